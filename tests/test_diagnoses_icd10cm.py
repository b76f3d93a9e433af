"""The ICD-10-CM head list (``diagnoses_icd10cm.json``) and the conditions it adds to find_diagnoses."""

from __future__ import annotations

import re

import pytest

from imr_nlp.normalize.diagnoses import find_diagnoses
from imr_nlp.resources import load_json

ICD = load_json("diagnoses_icd10cm.json")
BASE = load_json("diagnoses.json")
ICD_PHRASES = [p for group in ICD["heads"].values() for p in group]

# Words that stay bound heads or are ordinary letter English: never an ICD head on their own.
GENERIC = {"disorder", "disease", "condition", "injury", "pain", "syndrome", "problem", "lesion", "tear",
           "spasm", "complication", "encounter", "status", "history", "abnormal", "effects", "care", "use"}
SYMPTOMS = {"nausea", "vomiting", "fever", "dizziness", "vertigo", "ataxia", "numbness", "weakness",
            "tingling", "swelling", "deformity", "constipation", "diarrhea", "palpitations", "chills"}
ICD_CODE = re.compile(r"[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?")


def key(phrase: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", phrase.lower())


def spans(text: str) -> list[str]:
    return [text[a:b] for a, b in find_diagnoses(text)]


def test_source_is_documented():
    source = ICD["_source"]
    assert "ICD-10-CM" in source["classification"] and "2026" in source["classification"]
    assert "CDC/NCHS" in source["classification"]
    assert "simple_icd_10_cm 1.5.0" in source["package"]
    assert source["scope"] and source["rules"]
    assert sum(source["phrases_per_chapter"].values()) == len(ICD_PHRASES)


def test_groups_are_groups_of_diagnoses_json():
    assert set(ICD["heads"]) <= set(BASE["heads"])


def test_phrases_are_lowercase_short_and_sourced():
    for group in ICD["heads"].values():
        for phrase, codes in group.items():
            assert phrase == phrase.lower() == phrase.strip(), phrase
            assert re.fullmatch(r"[a-z][a-z'\-]*(?: [a-z][a-z'\-]*){0,3}", phrase), phrase
            assert codes and all(ICD_CODE.fullmatch(c) for c in codes), (phrase, codes)


def test_no_duplicates_with_diagnoses_json_or_within():
    base = {key(h) for group in BASE["heads"].values() for h in group}
    base |= {key(w) for w in BASE["bound_heads"]["words"]} | {key(a) for a in BASE["abbreviations"]}
    keys = [key(p) for p in ICD_PHRASES]
    assert len(keys) == len(set(keys))
    assert not set(keys) & base


def test_no_generic_words_or_symptoms():
    for phrase in ICD_PHRASES:
        words = phrase.split()
        assert not (len(words) == 1 and words[0] in GENERIC), phrase
        assert not set(words) & (GENERIC - {"disorder", "disease", "injury", "pain", "syndrome", "tear", "spasm"}), phrase
        assert words[-1] not in SYMPTOMS, phrase


# (text in letter phrasing, expected DIAGNOSIS spans): conditions absent from diagnoses.json.
POSITIVE = [
    ("Diagnoses: mallet finger, right ring finger.", ["mallet finger, right ring finger"]),
    ("The progress note dated 09/14/2016 states he has a left foot drop.", ["left foot drop"]),
    ("Diagnoses include radial styloid tenosynovitis, left wrist; and meralgia paresthetica.",
     ["radial styloid tenosynovitis, left wrist", "meralgia paresthetica"]),
    ("Past medical history of essential hypertension and dysthymic disorder.",
     ["essential hypertension", "dysthymic disorder"]),
    ("Diagnoses: 1. Trochanteric bursitis, right hip. 2. Cervical dystonia",
     ["Trochanteric bursitis, right hip", "Cervical dystonia"]),
    ("The patient has hallux valgus of the left foot.", ["hallux valgus of the left foot"]),
    ("MRI showed a Tarlov cyst at S2.", ["Tarlov cyst at S2"]),
    ("Diagnosis: arachnoiditis, lumbar", ["arachnoiditis, lumbar"]),
    ("She was treated for trigeminal\nneuralgia and cluster headaches.", ["trigeminal\nneuralgia", "cluster headaches"]),
    ("sustained a comminuted supracondylar fracture of the left humerus", ["comminuted supracondylar fracture of the left humerus"]),
    ("The injured worker is diagnosed with persistent depressive disorder.", ["persistent depressive disorder"]),
    ("Diagnoses: Cubital tunnel syndrome; Restless legs syndrome", ["Cubital tunnel syndrome", "Restless legs syndrome"]),
    ("history of cocaine dependence, in remission", ["cocaine dependence"]),
    ("statins may cause rhabdomyolysis", ["rhabdomyolysis"]),
    ("diagnosed with myasthenia gravis", ["myasthenia gravis"]),
    ("a whiplash injury on 03/12/2015", ["whiplash injury"]),
    # conditions diagnoses.json already had, in the same phrasing (must still be found)
    ("He was diagnosed with adhesive capsulitis of the left shoulder.", ["adhesive capsulitis of the left shoulder"]),
    ("She has a history of gout.", ["gout"]),
    ("trigger finger of the right ring finger", ["trigger finger of the right ring finger"]),
]

NEGATIVE = [
    "status post open reduction internal fixation of the right wrist",
    "status post L4-5 fusion",
    "The lumbar spine and the right shoulder were examined.",
    "The patient denies nausea, vomiting, fever or dizziness.",
    "no amaurosis, no diplopia, paralysis, paresis, muscle weakness",
    "Doctor of Osteopathy, board certified",
    "The claimant has been using opioids; opioid use is monitored with urine drug screens.",
    "adverse effects of medications and their complications",
    "He had an encounter with the reviewer; care was provided.",
]


@pytest.mark.parametrize(("text", "expected"), POSITIVE)
def test_icd_conditions_found(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text", NEGATIVE)
def test_not_conditions(text):
    assert spans(text) == []
