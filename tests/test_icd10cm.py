"""ICD-10-CM codes of DIAGNOSIS mentions (SPEC §4b): normalize/icd10cm.py and its data."""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT

from imr_nlp.normalize.icd10cm import code_diagnosis, code_mention, describe, icd10cm_codes
from imr_nlp.resources import load_json

CASES = [
    # SPEC examples
    ("lumbar radiculopathy", "M54.16"),
    ("carpal tunnel syndrome", "G56.00"),
    ("low back pain", "M54.50"),
    ("depression", "F32.A"),
    # spinal levels pick the region
    ("L5-S1 radiculopathy", "M54.17"),
    ("radiculopathy, cervical region (right arm)", "M54.12"),
    ("disc protrusion at C5-6", "M50.222"),
    ("L4-5 disc herniation", "M51.26"),
    ("L4-5 and L5-S1 neuroforaminal stenosis", "M48.061"),
    ("degeneration at the L5/S1 disc", "M51.379"),
    ("lumbar spondylosis", "M47.816"),
    # laterality
    ("bilateral carpal tunnel syndrome", "G56.03"),
    ("carpal tunnel syndrome, left upper limb", "G56.02"),
    ("right shoulder pain", "M25.511"),
    ("shoulder pain", "M25.519"),
    ("left leg sciatica", "M54.32"),
    ("reflex sympathetic dystrophy of the right upper extremity", "G90.511"),
    ("CRPS of the left ankle/foot area", "G90.522"),
    ("right knee osteoarthritis", "M17.11"),
    ("knee osteoarthritis", "M17.9"),
    # type words
    ("partial thickness rotator cuff tears", "M75.110"),
    ("right shoulder full thickness rotator cuff tear", "M75.121"),
    ("lumbago with sciatica", "M54.40"),
    # injuries stop before the 7th character
    ("sprain of ligaments of lumbar spine", "S33.5"),
    ("strain of muscle, fascia, and tendon at neck level", "S16.1"),
    ("lumbar muscle strain", "S39.012"),
    ("left knee strain", "S86.912"),
    ("sprain of the left wrist", "S63.502"),
    ("left distal radius fracture", "S52.502"),
    ("open proximal phalanx fracture of his left small finger", "S62.607"),
    ("contusion of the left knee", "S80.02"),
    # pain, mental health, sleep, comorbidities
    ("chronic pain", "G89.29"),
    ("chronic pain syndrome", "G89.4"),
    ("chronic low back pain", "M54.50"),
    ("neck pain", "M54.2"),
    ("pain in right arm", "M79.601"),
    ("neuropathic pain", "M79.2"),
    ("myalgia", "M79.10"),
    ("major depressive disorder", "F32.9"),
    ("generalized anxiety disorder", "F41.1"),
    ("depression/anxiety", "F32.A"),
    ("insomnia", "G47.00"),
    ("opioid dependence", "F11.20"),
    ("hypertension", "I10"),
    # heads from the generated ICD-10-CM lexicon (fallback)
    ("mallet finger", "M20.019"),
    ("trochanteric bursitis", "M70.60"),
    ("meralgia paresthetica", "G57.10"),
]


@pytest.mark.parametrize("text, code", CASES, ids=[c[0] for c in CASES])
def test_code_diagnosis(text, code):
    result = code_diagnosis(text)
    assert result is not None
    assert result["code"] == code
    assert result["description"] == describe(code)


def test_pdf_line_breaks_and_case_do_not_change_the_code():
    assert code_diagnosis("Lumbar \n radiculopathy") == code_diagnosis("lumbar radiculopathy")
    assert code_diagnosis("CARPAL TUNNEL SYNDROME") == code_diagnosis("carpal tunnel syndrome")


@pytest.mark.parametrize("text", ["", "   ", "the", "right shoulder", "MRI of the lumbar spine"])
def test_no_condition_no_code(text):
    assert code_diagnosis(text) is None


def test_every_code_of_the_table_is_in_the_generated_data():
    table = load_json("icd10cm_map.json")
    codes = icd10cm_codes()
    for head in table["heads"]:
        for key, code in head["codes"].items():
            if key not in ("ORDER", "SITE"):
                assert code in codes, (head["terms"], code)


def test_generated_data_is_compact_and_well_formed():
    path = ROOT / "src" / "imr_nlp" / "data" / "icd10cm_codes.json"
    assert path.stat().st_size < 2_000_000
    data = json.loads(path.read_text(encoding="utf8"))
    assert "CDC/NCHS" in data["_source"]["classification"]
    shape = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")
    for code, (description, children) in data["codes"].items():
        assert shape.match(code) and description
        assert not (code[0] in "ST" and len(code) == 8), code  # no 7th-character (encounter) extensions
        for child in children:
            assert child in data["codes"] and child.startswith(code)


def test_every_table_site_has_icd_words_and_known_group():
    table = load_json("icd10cm_map.json")
    grouped = {site for members in table["site_groups"].values() for site in members}
    assert set(table["icd_site_words"]) == set(table["sites"])
    assert grouped <= set(table["sites"])


def test_entities_carry_icd10cm(nlp):
    text = (
        "CLINICAL CASE SUMMARY\nThe injured worker is a 50 year old male. Diagnoses include lumbar radiculopathy "
        "and right carpal tunnel syndrome.\n"
    )
    doc = nlp(text)
    codes = {ent.text: ent._.normalized["icd10cm"]["code"] for ent in doc.ents if ent.label_ == "DIAGNOSIS"}
    assert codes == {"lumbar radiculopathy": "M54.16", "right carpal tunnel syndrome": "G56.01"}


# Heads and rules added from the batch-2 development gold (corpus/diagnoses/dev_batch2_train.jsonl).
GENRE_CASES = [
    # "myoligamentous" injury/sprain/strain is a sprain of the site's ligaments (first site of a list)
    ("cervical, thoracic and lumbar myoligamentous injury", "S13.4"),
    ("lumbar myoligamentous sprain/strain", "S33.5"),
    ("myoligamentous injury of the lumbar spine", "S33.5"),
    # multiple injuries (Index: Injury, multiple T07)
    ("multiple trauma", "T07"),
    ("polytrauma", "T07"),
    # Index: Tumor - see Neoplasm, unspecified behavior; malignancy stays C80.1
    ("tumor", "D49.9"),
    ("Tumor", "D49.9"),
    ("cancer", "C80.1"),
    ("malignancy", "C80.1"),
    # Index: Chondromalacia, knee M94.26-; patella M22.4-
    ("chondromalacia right knee", "M94.261"),
    ("chondromalacia of the left knee", "M94.262"),
    ("chondromalacia patella", "M22.40"),
    ("right knee chondromalacia patellae", "M22.41"),
    ("erosive osteoarthritis", "M15.4"),
    ("right thumb post-operative infection", "T81.40"),
    ("surgical site infection", "T81.40"),
    ("infection", "B99.9"),
    ("possible right thumb foreign body", "M79.5"),
    # two conditions joined by a slash: the first one, with the whole mention's site
    ("instability/labral tear", "M25.30"),
    ("right shoulder impingement/rotator cuff tear", "M75.41"),
    ("sprain/strain of the lumbar spine", "S33.5"),
    ("ulnar nerve entrapment/cubital tunnel syndrome", "G56.20"),
    ("C5/6 disc protrusion", "M50.222"),
    ("neck/back pain", "M54.2"),
]

# Written for the genre from the ICD-10-CM Tabular List and Index (no letter read).
ICD_GENRE_CASES = [
    # MTUS wording: chronic non-malignant pain is chronic pain; cancer pain is G89.3
    ("chronic non-malignant pain", "G89.29"),
    ("chronic nonmalignant pain", "G89.29"),
    ("chronic non-cancer pain", "G89.29"),
    ("cancer pain", "G89.3"),
    ("chronic post-traumatic pain", "G89.21"),
    ("phantom limb pain", "G54.6"),
    ("central pain syndrome", "G89.0"),
    ("medication overuse headache", "G44.40"),
    # a list of sites is coded for the first one
    ("lumbar and cervical radiculopathy", "M54.16"),
    ("lumbar, hip, and neck strain", "S39.012"),
    # combination codes and ICD-9 descriptors
    ("lumbar disc herniation with radiculopathy", "M51.16"),
    ("thoracic or lumbosacral neuritis or radiculitis", "M54.14"),
    ("lumbar spinal stenosis with neurogenic claudication", "M48.062"),
    ("lumbar instability", "M53.2X6"),
    ("segmental and somatic dysfunction of lumbar region", "M99.03"),
    # DSM-IV descriptors written in full
    ("adjustment disorder with mixed anxiety and depressed mood", "F43.23"),
    ("pain disorder associated with both psychological factors and a general medical condition", "F45.42"),
    ("primary insomnia", "F51.01"),
    ("sleep disorder", "G47.9"),
    # named neuropathies, knee and wrist
    ("radial tunnel syndrome", "G56.30"),
    ("lesion of ulnar nerve, right upper limb", "G56.21"),
    ("Morton's neuroma", "G57.60"),
    ("right patellofemoral pain syndrome", "M22.2X1"),
    ("left TFCC tear", "S63.592"),
    ("wrist tendinitis", "M77.8"),
    ("synovitis of the left knee", "M65.962"),
    ("osteoarthritis of first carpometacarpal joint", "M18.9"),
    ("CRPS type II of the right upper extremity", "G56.41"),
    # fracture sites named by the bone
    ("right calcaneus fracture", "S92.001"),
    ("tibial plateau fracture", "S82.10"),
    ("scaphoid fracture", "S62.00"),
    ("femoral neck fracture", "S72.00"),
    ("strain of muscle and tendon of back wall of thorax", "S29.012"),
    ("respiratory depression", "R06.89"),
    ("stress related physiological response", "F54"),
    ("spinal instabilities, cervical region", "M53.2X2"),
    ("malunion of the left wrist", "S62.102"),
    ("degenerative changes of the lumbar spine", "M47.816"),
    ("heart failure", "I50.9"),
]
GENRE_CASES += ICD_GENRE_CASES


@pytest.mark.parametrize("text, code", GENRE_CASES, ids=[c[0] for c in GENRE_CASES])
def test_code_diagnosis_genre(text, code):
    assert (code_diagnosis(text) or {}).get("code") == code


# (text, mention, code): a mention naming no site reads it from the words around it.
CONTEXT_CASES = [
    ("underwent surgery for a fracture of the 5th finger. He", "fracture", "S62.60"),
    ("ODG: Fracture of one or more phalanges of hand (fingers): Minor", "Fracture", "S62.60"),
    ("hematoma and lumbar\ntransverse process fracture. The", "fracture", "S32.00"),
    ("and sprain of tibiofibular ligament of right ankle.", "sprain", "S93.401"),
    ("dislocation of a DIP joint to rule out fracture", "dislocation", "S63.25"),
    ("a tear of the rotator cuff was seen", "tear", "M75.100"),
    # no site nearby, or the site belongs to another phrase: the mention alone
    ("low back pain and fracture. The", "fracture", "T14.8"),
    ("pain.\n\nFracture was suspected", "Fracture", "T14.8"),
    ("chronic pain in patients with", "chronic pain", "G89.29"),
    ("depression in the evening", "depression", "F32.A"),
    # a mention with its own site keeps it
    ("right knee pain to the right ankle", "right knee pain", "M25.561"),
    # the imaging study named earlier in the sentence gives the site
    ("included MRI of the cervical spine to rule out herniated nucleus pulposus and", "herniated nucleus pulposus",
     "M50.20"),
    ("X-rays of the left hip were noted to show a fracture. He", "fracture", "S72.002"),
    ("X-rays of the left hip were normal. There was a fracture.", "fracture", "T14.8"),  # another sentence
]


@pytest.mark.parametrize("text, mention, code", CONTEXT_CASES, ids=[c[0] for c in CONTEXT_CASES])
def test_code_mention_reads_site_from_context(text, mention, code):
    start = text.index(mention)
    assert (code_mention(text, start, start + len(mention)) or {}).get("code") == code
