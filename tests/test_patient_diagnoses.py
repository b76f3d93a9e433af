"""The patient's own conditions (SPEC §4b): letter-level ``diagnoses``."""

from __future__ import annotations

import pytest
from conftest import LETTERS_2016, read

from imr_nlp.output import to_dict

LETTER = """CLINICAL CASE SUMMARY
The expert reviewer developed the following clinical case summary based on a review of the
case file, including all medical records:

The injured worker is a 52 year old female who sustained an industrial injury on 01/02/2014.
The mechanism of injury was cumulative trauma. Diagnoses include chronic low back pain, lumbar
radiculopathy and depression. MRI of the lumbar spine showed L4-5 disc protrusion. There was no
evidence of carpal tunnel syndrome. She denies headaches. Treatment has included medications.
She reports low back pain radiating to the legs.

IMR ISSUES, DECISIONS AND RATIONALES
Norco 10/325mg #60: Upheld

Claims Administrator guideline: Decision based on MTUS Chronic Pain Treatment Guidelines
Opioids Page(s): 78.

MAXIMUS guideline: Decision based on MTUS Chronic Pain Treatment Guidelines Opioids Page(s): 78.

Decision rationale: The MTUS guidelines state opioids are not recommended as first-line
treatment for neuropathic pain. Opioids may cause constipation. The injured worker has been
diagnosed with insomnia. The request is not medically necessary.
"""


@pytest.fixture(scope="module")
def record(nlp):
    return to_dict(nlp(LETTER), id="synthetic")


def test_patient_conditions_once_with_codes(record):
    found = [(d["text"].replace("\n", " "), (d["icd10cm"] or {}).get("code")) for d in record["diagnoses"]]
    assert found == [
        ("chronic low back pain", "M54.50"),
        ("lumbar radiculopathy", "M54.16"),
        ("depression", "F32.A"),
        ("L4-5 disc protrusion", "M51.26"),
        ("insomnia", "G47.00"),
    ]


def test_first_mention_offsets(record):
    for d in record["diagnoses"]:
        assert LETTER[d["start"] : d["end"]] == d["text"]
    low_back = record["diagnoses"][0]
    assert low_back["start"] == LETTER.index("chronic low back pain")


def test_not_the_patients(record):
    texts = " | ".join(d["text"] for d in record["diagnoses"])
    for other in ("cumulative trauma", "carpal tunnel", "headaches", "neuropathic pain", "constipation"):
        assert other not in texts


@pytest.mark.parametrize("path", LETTERS_2016[:20], ids=lambda p: p.stem)
def test_real_letters_diagnoses_come_from_entities(nlp, path):
    text = read(path)
    record = to_dict(nlp(text))
    entities = {(e["start"], e["end"]) for e in record["entities"] if e["label"] == "DIAGNOSIS"}
    codes = [d["icd10cm"]["code"] for d in record["diagnoses"] if d["icd10cm"]]
    assert len(codes) == len(set(codes))
    for d in record["diagnoses"]:
        assert (d["start"], d["end"]) in entities
