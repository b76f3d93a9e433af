"""The patient's own conditions (SPEC §4b): letter-level ``diagnoses``."""

from __future__ import annotations

import pytest
from conftest import LETTERS_2016, read

from imr_nlp.output import to_dict
from imr_nlp.patient_diagnoses import is_patient_mention

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


# (section, sentence, mention, patient's?): the annotation conventions of the diagnosis gold
# (corpus/README.md): a hedged condition of this worker counts, a negated one does not.
MENTION_CASES = [
    ("summary", "Diagnoses include possible internal derangement of the right knee.", "internal derangement", True),
    ("summary", "She is treated for left foot pain and rule out complex regional pain syndrome.",
     "complex regional pain syndrome", True),
    ("summary", "The therapist noted buttock symptoms, suspect possible internal derangement.",
     "internal derangement", True),
    ("summary", "Complex regional pain syndrome was ruled out.", "Complex regional pain syndrome", False),
    ("summary", "There was no evidence of carpal tunnel syndrome.", "carpal tunnel syndrome", False),
    ("summary", "She denies headaches.", "headaches", False),
    ("rationale", "Objectively, there is lumbar spine tenderness and spasm.", "spasm", True),
    ("rationale", "Subjective complaints include low back pain without radiation.", "low back pain", True),
    ("rationale", "The documentation indicated the worker was experiencing lower back pain that went into the legs.",
     "lower back pain", True),
    ("rationale", "The injured worker underwent surgery for an open phalanx fracture of his left small finger.",
     "open phalanx fracture", True),
    ("rationale", "The working diagnoses are lumbar muscle strain and neck muscle strain.", "neck muscle strain", True),
    ("rationale", "There is noted internal derangement with limitation.", "internal derangement", True),
    ("rationale", "The guidelines recommend physical therapy for low back pain.", "low back pain", False),
    ("rationale", "Acupuncture is indicated to treat chronic pain conditions.", "chronic pain", False),
    ("rationale", "Opioids may cause constipation.", "constipation", False),
    ("rationale", "Objectively, there is no spasm.", "spasm", False),
    ("rationale", "The medical records indicate that she has acute pain with cervical symptoms.", "acute pain", True),
    ("rationale", "This individual has a nicotine addiction.", "nicotine addiction", True),
    ("rationale", "The guidelines state that he has to have chronic pain for 3 months.", "chronic pain", False),
]


@pytest.mark.parametrize("section, sentence, mention, expected", MENTION_CASES, ids=[c[1][:50] for c in MENTION_CASES])
def test_is_patient_mention(section, sentence, mention, expected):
    text = "Intro. " + sentence + " End."
    start = text.index(mention)
    summary = section == "summary"
    assert is_patient_mention(text, start, start + len(mention), (0, len(text)), summary=summary) is expected
