"""Build ``src/imr_nlp/data/diagnoses_icd10cm.json``: DIAGNOSIS head phrases from ICD-10-CM.

The hand-picked heads of ``diagnoses.json`` miss conditions that letters name only now and
then ("mallet finger", "foot drop", "meralgia paresthetica", "dysthymic disorder"). This
script takes them from the CDC/NCHS ICD-10-CM tabular list (April 2026, public domain), as
shipped by the ``simple_icd_10_cm`` package. It is a build-time source only: the package reads
the generated JSON and never imports ``simple_icd_10_cm``.

To rerun::

    pip install simple-icd-10-cm==1.5.0
    python scripts/build_icd10cm_heads.py            # writes src/imr_nlp/data/diagnoses_icd10cm.json
    python scripts/build_icd10cm_heads.py --stdout   # print instead

Extraction (see ``RULES``): category and subcategory descriptions and inclusion terms of the
chapters that matter in workers' compensation are cut down to the head a letter writes
("Adhesive capsulitis of right shoulder" -> "adhesive capsulitis", "Gout, unspecified" ->
"gout", "Syncope and collapse" -> "syncope"); generic words, body parts, procedures,
constitutional symptoms and words that collide with ordinary letter English are dropped, and
so is anything ``diagnoses.json`` already covers (its heads, or one of its premodifiers plus
one of its heads, such as "chronic gout").
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import simple_icd_10_cm as icd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "imr_nlp" / "data"
OUTPUT = DATA / "diagnoses_icd10cm.json"
PACKAGE_VERSION = "1.5.0"

# ---- scope: which codes, and the diagnoses.json group each one joins ------------------------

# (first category, last category or code prefix, group in diagnoses.json, what it is).
# Ranges are compared on the category (first three characters); entries with a dot select
# one subcategory and its descendants. First match wins.
# An empty group excludes the range (dental anomalies, procedural complications,
# maltreatment, developmental and childhood disorders, gender identity).
SCOPE: list[tuple[str, str, str, str]] = [
    ("M40", "M54", "spine", "M40-M54 dorsopathies"),
    ("M96.1", "M96.1", "spine", "M96.1 postlaminectomy syndrome"),
    ("M26", "M27", "", "excluded: M26-M27 dentofacial anomalies, diseases of the jaws"),
    ("M96", "M97", "", "excluded: M96-M97 intraoperative and postprocedural complications (except M96.1)"),
    ("M00", "M99", "soft_tissue_and_joints", "M00-M99 musculoskeletal system and connective tissue"),
    ("S00", "S09", "head_and_other_injury", "S00-S09 injuries to the head"),
    ("S10", "S99", "soft_tissue_and_joints", "S10-S99 injuries by body region"),
    ("T20", "T34", "soft_tissue_and_joints", "T20-T34 burns, corrosions and frostbite"),
    ("T36", "T50", "substance_use", "T36-T50 poisoning by drugs (conditions only)"),
    ("T74", "T76", "", "excluded: T74-T76 maltreatment"),
    ("T66", "T79", "head_and_other_injury", "T66-T79 other effects of external causes, early complications of trauma"),
    ("G43", "G44", "head_and_other_injury", "G43-G44 migraine and other headache syndromes"),
    ("G40", "G40", "head_and_other_injury", "G40 epilepsy"),
    ("G47", "G47", "mental_health_and_sleep", "G47 sleep disorders"),
    ("G97", "G97", "", "excluded: G97 intraoperative and postprocedural complications"),
    ("G00", "G99", "nerve_and_pain", "G00-G99 nervous system"),
    ("F10", "F19", "substance_use", "F10-F19 substance use disorders"),
    ("F64", "F99", "", "excluded: F64-F99 gender identity, paraphilias, intellectual and developmental, childhood disorders"),
    ("F01", "F63", "mental_health_and_sleep", "F01-F63 mental and behavioral disorders"),
    # Chapter R: named conditions only, not constitutional symptoms (nausea, fever, dizziness).
    ("R13", "R13", "medical_comorbidities", "R13 dysphagia"),
    ("R15", "R15", "medical_comorbidities", "R15 fecal incontinence"),
    ("R20", "R20", "nerve_and_pain", "R20 disturbances of skin sensation (paresthesia, hypoesthesia)"),
    ("R32", "R32", "medical_comorbidities", "R32 urinary incontinence"),
    ("R40.2", "R40.2", "head_and_other_injury", "R40.2 coma"),
    ("R41.3", "R41.3", "head_and_other_injury", "R41.3 amnesia"),
    ("R47", "R47", "head_and_other_injury", "R47 speech disturbances (aphasia, dysarthria)"),
    ("R49", "R49", "head_and_other_injury", "R49 voice disorders (dysphonia)"),
    ("R51", "R51", "head_and_other_injury", "R51 headache"),
    ("R55", "R55", "head_and_other_injury", "R55 syncope"),
    ("R56", "R56", "head_and_other_injury", "R56 convulsions"),
    ("R60", "R60", "medical_comorbidities", "R60 edema"),
    ("R64", "R64", "medical_comorbidities", "R64 cachexia"),
    ("R73.9", "R73.9", "medical_comorbidities", "R73.9 hyperglycemia"),
    # Common comorbidities in workers' compensation files.
    ("I10", "I10", "medical_comorbidities", "I10 essential hypertension"),
    ("E11", "E11", "medical_comorbidities", "E11 type 2 diabetes mellitus"),
    ("E66", "E66", "medical_comorbidities", "E66 obesity"),
    ("K21", "K21", "medical_comorbidities", "K21 gastro-esophageal reflux disease"),
    ("H93.1", "H93.1", "head_and_other_injury", "H93.1 tinnitus"),
]

# ---- extraction rules -----------------------------------------------------------------------

RULES = [
    "codes: ICD-10-CM categories and subcategories of the scope (7th-character extensions skipped); texts: the description and the inclusion terms",
    "remove '[...]' and '(...)'; cut at the first comma (site lists, 'unspecified', encounter tails) and at the first connector word (of, in, by, with, without, due to, following, after, NOS, NEC ...)",
    "split ICD pairs on 'and' / 'or' / '/' ('Syncope and collapse' -> 'syncope', 'collapse'); skip parts with an upper-case abbreviation (SLE, TIA)",
    "drop the words other, unspecified, specified, laterality, articles and severity (mild, moderate, severe: outside a span by the guide); lowercase; last word singular",
    "keep 1-4 word phrases of letters, hyphens and apostrophes (no digits)",
    "the last word is a condition word: a medical suffix (-itis, -osis, -pathy, -algia, -ia ...) or a condition noun (fracture, sprain, syndrome, disorder, palsy ...); a single word is not a generic or dependent noun (drop, node, wound, gravis ...)",
    "drop generic words alone (disorder, disease, condition, injury, pain, syndrome, problem and the bound heads of diagnoses.json), listed generic phrases, body parts and modifiers alone, procedures, constitutional and exam symptoms (guide v2), and phrases with a word that is ordinary letter English (complication, encounter, status, history, abnormal, effects, care, use ...)",
    "drop what is already found: diagnoses.json heads and abbreviations, and premodifier words + a head of diagnoses.json or of this file ('chronic gout', 'displaced transverse fracture'); the codes of a dropped phrase go to that head",
]

_CONNECTORS = (
    "of", "in", "by", "with", "without", "due", "following", "after", "at", "involving", "from",
    "on", "to", "as", "associated", "affecting", "complicating", "classified", "not", "for",
    "during", "except", "other than", "including", "current", "when", "which", "that", "under",
    "elsewhere", "resulting", "caused", "while", "nec", "nos",
)
_CUT_RE = re.compile(
    r"\s+(?:" + "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in _CONNECTORS) + r")\b.*$", re.IGNORECASE
)
_SPLIT_RE = re.compile(r"\s+(?:and|or|and/or)\s+|\s*/\s*")
_DROP_WORDS = frozenset({
    "other", "unspecified", "specified", "nos", "nec", "left", "right", "bilateral", "unilateral",
    "ambiguous", "elsewhere", "a", "an", "the",
    # Severity stays outside a DIAGNOSIS span (guide: "mild [canal stenosis]").
    "mild", "moderate", "severe", "minor", "profound",
})
_PHRASE_RE = re.compile(r"[a-z][a-z'\-]*(?: [a-z][a-z'\-]*){0,3}")

# Generic words: never heads on their own (they stay bound heads of diagnoses.json).
GENERIC = frozenset({
    "disorder", "disease", "condition", "injury", "pain", "syndrome", "problem", "illness",
    "abnormality", "anomaly", "lesion", "symptom", "sign", "state", "type", "episode", "reaction",
    "sequela", "sequelae", "disturbance", "dysfunction", "impairment", "deficit", "change",
    "involvement", "manifestation", "complication", "infection", "inflammation", "damage",
    "defect", "failure", "insufficiency", "loss", "lack", "mass", "lump", "growth", "cyst",
    "wound", "trauma", "attack", "crisis", "finding", "findings", "certain", "unknown", "mild",
    "moderate", "severe", "single", "recurrent", "partial", "total", "primary", "secondary",
    "acute", "chronic", "localized", "generalized", "inflammatory", "traumatic", "nontraumatic",
    "spontaneous", "pathological", "idiopathic", "acquired", "congenital", "hereditary",
    "drug-induced", "alcohol-induced", "postprocedural", "intraoperative", "persistent", "stress",
})
# Words that make a phrase ordinary letter English (or an administrative/test term), anywhere in it.
COLLISION_WORDS = frozenset({
    "complication", "complications", "encounter", "status", "history", "abnormal", "effect",
    "effects", "care", "presence", "absence", "contact", "exposure", "examination", "observation",
    "screening", "counseling", "problems", "difficulty", "difficulties", "elevated", "decreased",
    "increased", "reduced", "low", "high", "poor", "personal", "family", "follow-up", "aftercare",
    "underdosing", "intoxication", "remission", "uncomplicated", "use", "misuse", "allergy",
    "collapse", "shock", "exhaustion", "fall", "attack", "sickness", "old", "age", "debility",
    "behavior", "behaviour", "trait", "traits", "reaction", "response",
    "habit", "habits", "delay", "developmental", "nonorganic", "organic", "involuntary", "movement",
    "movements", "late", "unknown", "cause", "causes", "mechanical", "foreign", "body",
    "maltreatment", "abuse-related", "confirmed", "suspected", "malingering", "simulation",
    "fatigue", "weakness", "stiffness", "tenderness", "swelling", "deformity", "deformities",
    "numbness", "tingling", "nausea", "vomiting", "fever", "dizziness", "vertigo", "ataxia",
    "chills", "palpitations", "diarrhea", "constipation", "giddiness", "light-headedness",
    "anesthesia", "blackout", "fainting", "cramp", "tremor", "twitching", "deconditioning",
    "noise",
})
# Whole phrases that are generic in letters, fragments of ICD wording, or another word's sense
# ("osteopathy" is also the profession: "Doctor of Osteopathy").
GENERIC_PHRASES = frozenset({
    "localizes pain", "related syndrome", "related disorder", "for vertical fracture",
    "associated transverse-posterior fracture", "systemic disorder", "mental disorder",
    "behavioral disorder", "behavioral syndrome", "nervous system disorder", "specific arthropathy",
    "multiple burn", "multiple fracture", "multiple laceration", "multiple pelvic fracture",
    "superficial injury", "blast injury", "spontaneous rupture", "complete transection",
    "incomplete transection", "acute infarction", "full incontinence", "localized edema",
    "neoplasm related pain", "character disorder", "impulse disorder", "mixed anxiety",
    "secondary multiple arthritis", "nontraumatic fracture", "nontraumatic hematoma",
    "nontraumatic seroma", "osteopathy", "hypertrophy", "hospitalism", "diastasis",
})
# Procedures and devices (a condition head never contains them).
PROCEDURE_WORDS = frozenset({
    "fusion", "arthrodesis", "replacement", "removal", "implant", "implants", "transplant",
    "graft", "surgery", "surgical", "procedure", "operation", "prosthesis", "prosthetic",
    "device", "devices", "injection", "release", "repair", "reconstruction", "resection",
    "excision", "biopsy", "stump", "fixation",
})
# Anatomical and modifier words: a phrase made only of these is a body part, not a condition.
ANATOMY = frozenset({
    "shoulder", "upper", "arm", "elbow", "forearm", "wrist", "hand", "finger", "fingers", "thumb",
    "hip", "thigh", "knee", "lower", "leg", "ankle", "foot", "toe", "toes", "neck", "head", "face",
    "back", "spine", "thorax", "abdomen", "pelvis", "trunk", "limb", "limbs", "joint", "joints",
    "muscle", "muscles", "tendon", "tendons", "ligament", "ligaments", "bone", "bones", "vertebra",
    "nerve", "nerves", "root", "roots", "plexus", "cord", "tissue", "soft", "skin", "region",
    "ear", "eye", "nose", "mouth", "lip", "scalp", "jaw", "teeth", "tooth", "chest", "breast",
    "cartilage", "capsule", "meniscus", "disc", "intervertebral", "vertebral", "cervical",
    "thoracic", "lumbar", "sacral", "lumbosacral", "thoracolumbar", "cervicothoracic",
})
# Constitutional and exam symptoms ruled out by the annotation guide (v2): not heads.
SYMPTOMS = frozenset({
    "nausea", "vomiting", "diarrhea", "constipation", "fever", "chills", "palpitations",
    "dizziness", "vertigo", "ataxia", "loss of consciousness", "tingling", "swelling",
    "deformity", "numbness", "weakness", "fatigue", "malaise", "tenderness", "stiffness",
    "spasticity", "clumsiness",
})
# A head ends on a condition word: a medical suffix ("-itis", "-osis", "-pathy", "-algia" ...)
# or one of these nouns. This keeps "adhesive capsulitis", "mallet finger", "cluster headache"
# and drops fragments of ICD wording ("conditions related", "transverse fracture are present").
_MEDICAL_SUFFIX = re.compile(
    r"(?:itis|osis|algia|algesia|pathy|emia|oma|plegia|paresis|trophy|plasia|ia|ism|rrhea|asis"
    r"|ysis|cele|odynia|spasm|megaly|ostosis|esis|edema|thorax|ptysis)$"
)
CONDITION_NOUNS = frozenset({
    "abscess", "abuse", "amputation", "anxiety", "apnea", "barotrauma", "bunion", "bunionette",
    "burn", "chorea", "contracture", "contusion", "convulsion", "cyst", "degeneration",
    "delirium", "dependence", "depression", "disease", "disorder", "dislocation", "dysfunction",
    "epilepsy", "fracture", "frostbite", "gout", "headache", "heatstroke", "sunstroke",
    "hemorrhage", "hydrocephalus", "hypertension", "hypotension", "impairment", "incontinence",
    "infarction", "injury", "laceration", "leak", "migraine", "myoclonus", "narcolepsy", "node",
    "nodule", "obesity", "overweight", "pain", "palsy", "podagra", "reflux", "rupture", "seizure",
    "spur", "sprain", "strain", "subluxation", "syncope", "syndrome", "tear", "tics", "torticollis",
    "toxicity", "transection", "withdrawal", "wound", "drop", "finger", "toe", "elbow", "episode",
    "cachexia", "bruise", "avulsion", "electrocution", "asphyxiation", "anaphylaxis", "whiplash",
    "gravis", "nervosa", "rigidus", "paresthetica", "douloureux", "rheumatica", "erythematosus",
    "nodosa", "dissecans", "multiplex", "valgus", "varus", "sclerosis", "dementia", "psychosis",
    "phobia", "mania", "hypomania", "stuttering", "cataplexy", "hyperhidrosis",
})
# Condition nouns that need a word before them ("foot drop", "myasthenia gravis", "open wound").
NOT_ALONE = frozenset({
    "drop", "finger", "toe", "elbow", "node", "nodule", "episode", "leak", "wound", "spur", "cyst",
    "gravis", "nervosa", "rigidus", "paresthetica", "douloureux", "rheumatica", "erythematosus",
    "nodosa", "dissecans", "multiplex", "valgus", "varus", "impairment", "dependence", "reflux",
    "toxicity", "transection", "withdrawal", "sclerosis", "degeneration", "infarction", "phobia",
    "mania", "paralysis",
})
_KEEP_S = ("ss", "us", "is", "ys", "os", "ans", "ens")
_KEEP_WORDS = frozenset({"diabetes", "herpes", "rabies", "varices", "caries", "scabies", "mellitus", "series", "species", "tabes", "pes"})


def in_scope(code: str) -> tuple[str, str] | None:
    """The (group, scope description) of a category/subcategory code, or None when out of scope."""
    category = code[:3]
    for first, last, group, what in SCOPE:
        if "." in first:
            if code.startswith(first):
                return (group, what) if group else None
        elif first <= category <= last:
            return (group, what) if group else None
    return None


def singular(word: str) -> str:
    """Singular of the last word of an ICD phrase ("Dorsopathies" -> "dorsopathy")."""
    if word in _KEEP_WORDS or len(word) < 5:
        return word
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(_KEEP_S):
        return word[:-1]
    return word


def phrases(text: str) -> Iterator[str]:
    """Candidate head phrases of one ICD description or inclusion term."""
    text = re.sub(r"\[[^\]]*\]|\([^)]*\)", " ", text)
    text = text.split(",")[0].split(";")[0]
    text = _CUT_RE.sub("", " ".join(text.split()))
    for part in _SPLIT_RE.split(text):
        raw = part.split()
        if any(w.isupper() and len(w) > 1 for w in raw):
            continue  # an abbreviation ("SLE", "TIA", "CFS"): case-insensitive matching would misfire
        words = [w.strip(".'\"").lower() for w in raw]
        words = [w for w in words if w and w not in _DROP_WORDS]
        if not words:
            continue
        words[-1] = singular(words[-1])
        phrase = " ".join(words)
        if _PHRASE_RE.fullmatch(phrase):
            yield phrase


def _key(phrase: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", phrase)


def _forms(phrase: str) -> set[str]:
    key = _key(phrase)
    forms = {key, key + "s", key + "es"}
    if key.endswith("y"):
        forms.add(key[:-1] + "ies")
    return forms


class Lexicon:
    """What ``diagnoses.json`` already has: heads, bound heads, abbreviations and premodifiers."""

    def __init__(self, data: dict) -> None:
        self.heads = {f for group in data["heads"].values() for h in group for f in _forms(h.lower())}
        self.bound = {f for w in data["bound_heads"]["words"] for f in _forms(w.lower())}
        self.abbreviations = {a.lower() for a in data["abbreviations"]}
        pre = data["premodifiers"]
        post = data["postmodifiers"]
        self.modifiers = {
            w.lower()
            for name in ("laterality", "qualifiers", "location", "pain_type")
            for w in pre[name]
        } | {w.lower() for w in post["nouns"] + post["direction_words"] + post["trailing_nouns"]}

    def covered(self, phrase: str, extra: Iterable[str] = ()) -> str | None:
        """The head that already finds the phrase (itself, or after modifier words) or None:
        "chronic gout" -> "gout"; ``extra`` adds heads (the other ICD phrases)."""
        words = phrase.split()
        extra_keys = {_key(p): p for p in extra if p != phrase}
        for i in range(len(words)):
            rest = " ".join(words[i:])
            key = _key(rest)
            known = key in self.heads or key in self.bound or rest in self.abbreviations
            if not known and key not in extra_keys:
                continue
            if all(part in self.modifiers for w in words[:i] for part in w.split("-")):
                return extra_keys.get(key, rest)
        return None


def condition_word(word: str) -> bool:
    """Whether a head may end on ``word`` (a medical suffix or a condition noun)."""
    return word in CONDITION_NOUNS or bool(_MEDICAL_SUFFIX.search(word))


def excluded(phrase: str, lexicon: Lexicon) -> str | None:
    """Why a candidate phrase is not a head (None when it is kept)."""
    words = phrase.split()
    if phrase in GENERIC_PHRASES:
        return "generic"
    if not condition_word(words[-1]):
        return "no condition word"
    if len(words) == 1 and words[0] in NOT_ALONE:
        return "generic"
    if len(words) > 1 and _MEDICAL_SUFFIX.search(words[0]) and words[-1] in ANATOMY | lexicon.modifiers:
        return "condition + site"  # "osteomyelitis jaw": the rules add the site
    if phrase in SYMPTOMS or words[-1] in SYMPTOMS:
        return "symptom"
    if len(words) == 1 and (phrase in GENERIC or _key(phrase) in lexicon.bound):
        return "generic"
    if any(w in COLLISION_WORDS for w in words):
        return "collision"
    if any(w in PROCEDURE_WORDS for w in words):
        return "procedure"
    if all(w in ANATOMY or w in GENERIC or w in lexicon.modifiers for w in words):
        return "body part or modifiers"
    if words[-1] in GENERIC and all(w in ANATOMY or w in GENERIC or w in lexicon.modifiers for w in words[:-1]):
        return "generic"
    if lexicon.covered(phrase):
        return "covered"
    return None


def scoped_codes() -> Iterator[tuple[str, str, str]]:
    """(code, group, scope description) of every in-scope category and subcategory."""
    for code in icd.get_all_codes(with_dots=True):
        if not icd.is_category(code) and not icd.is_subcategory(code, include_extended_subcategories=False):
            continue
        scope = in_scope(code)
        if scope:
            yield code, *scope


def code_texts(code: str) -> Iterable[str]:
    return [icd.get_description(code), *icd.get_inclusion_term(code)]


def build(data: dict) -> tuple[dict, dict[str, int]]:
    """The JSON document and counts of dropped candidates by reason."""
    lexicon = Lexicon(data)
    found: dict[str, tuple[str, list[str]]] = {}
    reasons: dict[str, int] = {}
    for code, group, _ in scoped_codes():
        for text in code_texts(code):
            for phrase in phrases(text):
                if phrase in found:
                    if code not in found[phrase][1]:
                        found[phrase][1].append(code)
                    continue
                reason = excluded(phrase, lexicon)
                if reason:
                    reasons[reason] = reasons.get(reason, 0) + 1
                    continue
                found[phrase] = (group, [code])
    # Second pass: "displaced transverse fracture" is modifiers + the new head "transverse fracture".
    for phrase in sorted(found, key=lambda p: -len(p.split())):
        head = lexicon.covered(phrase, found)
        if head and head in found:
            found[head][1].extend(c for c in found[phrase][1] if c not in found[head][1])
            del found[phrase]
            reasons["covered"] = reasons.get("covered", 0) + 1
    heads: dict[str, dict[str, list[str]]] = {}
    chapters: dict[str, int] = {}
    for phrase in sorted(found):
        group, codes = found[phrase]
        heads.setdefault(group, {})[phrase] = codes
        chapter = codes[0][0]
        chapters[chapter] = chapters.get(chapter, 0) + 1
    doc = {
        "_source": {
            "classification": "ICD-10-CM, April 1, 2026 release (FY2026), Tabular List; CDC/NCHS, public domain, https://www.cdc.gov/nchs/icd/icd-10-cm/",
            "package": f"simple_icd_10_cm {PACKAGE_VERSION} (pip install simple-icd-10-cm=={PACKAGE_VERSION}), build time only",
            "built_by": "scripts/build_icd10cm_heads.py",
            "scope": [what for _, _, group, what in SCOPE if group],
            "excluded_ranges": [what for _, _, group, what in SCOPE if not group],
            "rules": RULES,
            "phrases_per_chapter": dict(sorted(chapters.items())),
        },
        "_about": (
            "Extra ordinary DIAGNOSIS heads for imr_nlp.normalize.diagnoses, grouped like "
            "diagnoses.json 'heads' (the group decides which coordinated conditions share one span). "
            "Each phrase maps to the ICD-10-CM codes it was taken from. Generated: edit the build script, not this file."
        ),
        "heads": heads,
    }
    return doc, reasons


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--stdout", action="store_true", help="print the document instead of writing it")
    args = parser.parse_args(argv)
    data = json.loads((DATA / "diagnoses.json").read_text(encoding="utf8"))
    doc, reasons = build(data)
    text = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
    if args.stdout:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf8")
    total = sum(len(g) for g in doc["heads"].values())
    print(f"{total} phrases; per chapter {doc['_source']['phrases_per_chapter']}; dropped {reasons}", file=sys.stderr)


if __name__ == "__main__":
    main()
