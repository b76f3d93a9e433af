"""Tests for ``imr_nlp.normalize.citations`` (guideline citations -> data).

``REAL_LINES`` holds every distinct guideline line of the public sample letters in
``samples/letters`` (2014 seeds and 2016-2017 letters), copied as printed: the text after
"Claims Administrator guideline:" / "MAXIMUS guideline:" up to the next blank line or
label, with the PDF line breaks and runs of spaces left in. Each expected citation is
(source, document, chapter, topic, year, pages, span text with whitespace collapsed).
``GENRE_LINES`` are invented variants of the same genre (other chapters, other pages,
other references, PDF noise).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imr_nlp.normalize.citations import expand_pages, find_citations, parse_citations

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "letters"
CPMTG = "Chronic Pain Medical Treatment Guidelines"
ODG = "Official Disability Guidelines"


def _rows(citations: list[dict]) -> list[tuple]:
    return [
        (
            c["source"],
            c["document"],
            c["chapter"],
            c["topic"],
            c["year"],
            c["pages"],
            " ".join(c["text"].split()),
        )
        for c in citations
    ]


def _check_spans(text: str, citations: list[dict]) -> None:
    """Offsets point into the input; spans follow the CITATION annotation guideline."""
    last_end = -1
    for c in citations:
        assert set(c) == {"source", "document", "chapter", "topic", "year", "pages", "start", "end", "text"}
        assert text[c["start"] : c["end"]] == c["text"]
        assert c["start"] >= last_end
        last_end = c["end"]
        assert c["text"] == c["text"].strip()
        assert not c["text"].endswith(".")
        assert not c["text"].lower().startswith(("decision based on", "the "))
        assert c["source"] in {"MTUS", "ODG", "ACOEM", "OTHER"}
        assert c["pages"] == sorted(set(c["pages"]))


REAL_LINES = [
    pytest.param(
        " Decision based on MTUS Shoulder Complaints 2004.  ",
        [
            ("MTUS", "Shoulder Complaints", None, None, 2004, [], "MTUS Shoulder Complaints 2004"),
        ],
        id="CM16-0213037-000",
    ),
    pytest.param(
        " Decision based on MTUS Shoulder Complaints 2004, Section(s): \nSpecial Studies.  ",
        [
            (
                "MTUS",
                "Shoulder Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "MTUS Shoulder Complaints 2004, Section(s): Special Studies",
            ),
        ],
        id="CM16-0213037-001",
    ),
    pytest.param(
        " Decision based on MTUS Neck and Upper Back Complaints \n2004.  ",
        [
            (
                "MTUS",
                "Neck and Upper Back Complaints",
                None,
                None,
                2004,
                [],
                "MTUS Neck and Upper Back Complaints 2004",
            ),
        ],
        id="CM16-0213037-002",
    ),
    pytest.param(
        " Decision based on MTUS Neck and Upper Back Complaints 2004, \nSection(s): Special Studies.  ",
        [
            (
                "MTUS",
                "Neck and Upper Back Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "MTUS Neck and Upper Back Complaints 2004, Section(s): Special Studies",
            ),
        ],
        id="CM16-0213037-003",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004.   ",
        [
            ("MTUS", "Low Back Complaints", None, None, 2004, [], "MTUS Low Back Complaints 2004"),
        ],
        id="CM16-0219557-004",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004, Section(s): \nSummary, and Chronic Pain Medical Treatment 2016, Section(s): Facet blocks.  Decision based \non Non-MTUS Citation ACOEM Occupational Medicine Practice Guidelines, 3rd ed., Low Back \nDisorders, pg. 607. ",
        [
            (
                "MTUS",
                "Low Back Complaints",
                None,
                "Summary",
                2004,
                [],
                "MTUS Low Back Complaints 2004, Section(s): Summary",
            ),
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Facet blocks",
                2016,
                [],
                "Chronic Pain Medical Treatment 2016, Section(s): Facet blocks",
            ),
            (
                "ACOEM",
                "ACOEM",
                "Low Back Disorders",
                None,
                None,
                [607],
                "Non-MTUS Citation ACOEM Occupational Medicine Practice Guidelines, 3rd ed., Low Back Disorders, pg. 607",
            ),
        ],
        id="CM16-0219557-005",
    ),
    pytest.param(
        " The Claims Administrator did not cite any medical evidence \nfor its decision.  ",
        [],
        id="CM16-0221706-006",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation Sildenafil: Drug information, \naccessed from UpToDate.com on 12/17/2016. ",
        [
            (
                "OTHER",
                "Sildenafil",
                None,
                "Drug information, accessed from UpToDate.com on 12/17/2016",
                None,
                [],
                "Non-MTUS Citation Sildenafil: Drug information, accessed from UpToDate.com on 12/17/2016",
            ),
        ],
        id="CM16-0221706-007",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment \n2016.  ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                None,
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016",
            ),
        ],
        id="CM16-0231884-008",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment 2016, \nSection(s): Psychological treatment.  ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Psychological treatment",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Psychological treatment",
            ),
        ],
        id="CM16-0231884-009",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment \n2016, Section(s): Physical medicine treatment. Decision based on Non-MTUS Citation Official \nDisability Guidelines (ODG), Physical Therapy Guidelines. ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Physical medicine treatment",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Physical medicine treatment",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                None,
                "Physical Therapy Guidelines",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Physical Therapy Guidelines",
            ),
        ],
        id="CM16-0235869-010",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment 2016, \nSection(s): Physical medicine treatment.  ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Physical medicine treatment",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Physical medicine treatment",
            ),
        ],
        id="CM16-0235869-011",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment 2016, \nSection(s): TENS, chronic pain (transcutaneous electrical nerve stimulation).  ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "TENS, chronic pain (transcutaneous electrical nerve stimulation)",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): TENS, chronic pain (transcutaneous electrical nerve stimulation)",
            ),
        ],
        id="CM16-0235869-012",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment 2016, \nSection(s): Thermography (infrared stress thermography).  ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Thermography (infrared stress thermography)",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Thermography (infrared stress thermography)",
            ),
        ],
        id="CM16-0235869-013",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment 2016, \nSection(s): Manual therapy & manipulation.  ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Manual therapy & manipulation",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Manual therapy & manipulation",
            ),
        ],
        id="CM16-0235869-014",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment 2016, \nSection(s): Biofeedback.  ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Biofeedback",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Biofeedback",
            ),
        ],
        id="CM16-0235869-015",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation \nOfficial Disability Guidelines, Head Chapter (updated 11/3/16): EEG (neurofeedback). ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Head",
                "EEG (neurofeedback)",
                2016,
                [],
                "Non-MTUS Citation Official Disability Guidelines, Head Chapter (updated 11/3/16): EEG (neurofeedback)",
            ),
        ],
        id="CM16-0236906-016",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Head section, Electroencephalography. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Head",
                "Electroencephalography",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Head section, Electroencephalography",
            ),
        ],
        id="CM16-0236906-017",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation \nOfficial Disability Guidelines - Physical Medicine Guidelines. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                None,
                "Physical Medicine Guidelines",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines - Physical Medicine Guidelines",
            ),
        ],
        id="CM16-0238676-018",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation \nOfficial Disability Guidelines - Hip and Pelvis Chapter. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Hip & Pelvis",
                None,
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines - Hip and Pelvis Chapter",
            ),
        ],
        id="CM16-0238676-019",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004, Section(s): \nSpecial Studies. Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) \nHip & Pelvis Chapter, MRI (magnetic resonance imaging), CT (computed tomography). ",
        [
            (
                "MTUS",
                "Low Back Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "MTUS Low Back Complaints 2004, Section(s): Special Studies",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Hip & Pelvis",
                "MRI (magnetic resonance imaging), CT (computed tomography)",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Hip & Pelvis Chapter, MRI (magnetic resonance imaging), CT (computed tomography)",
            ),
        ],
        id="CM16-0238676-020",
    ),
    pytest.param(
        " Decision based on MTUS Opioid Treatment 2016, Section(s): 1.3 \nOpioids for Acute Pain: Severe Acute Injuries.   ",
        [
            (
                "MTUS",
                "Opioids Treatment Guidelines",
                None,
                "1.3 Opioids for Acute Pain: Severe Acute Injuries",
                2016,
                [],
                "MTUS Opioid Treatment 2016, Section(s): 1.3 Opioids for Acute Pain: Severe Acute Injuries",
            ),
        ],
        id="CM16-0239110-021",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment \n2016, Section(s): Benzodiazepines.  \n",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Benzodiazepines",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Benzodiazepines",
            ),
        ],
        id="CM16-0240524-022",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment 2016, \nSection(s): Benzodiazepines, Benzodiazepine dependence, maintenance.  \n",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Benzodiazepines, Benzodiazepine dependence, maintenance",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Benzodiazepines, Benzodiazepine dependence, maintenance",
            ),
        ],
        id="CM16-0240524-023",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004.  \nDecision based on Non-MTUS Citation Official Disability Guidelines - Low Back Procedures. ",
        [
            ("MTUS", "Low Back Complaints", None, None, 2004, [], "MTUS Low Back Complaints 2004"),
            (
                "ODG",
                "Official Disability Guidelines",
                "Low Back",
                None,
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines - Low Back Procedures",
            ),
        ],
        id="CM16-0240900-024",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation ACOEM: Low back disorders, \ndiagnostic and treatment recommendations, low back pain/radicular pain, diagnostic \nrecommendations, MRI. ",
        [
            (
                "ACOEM",
                "ACOEM",
                "Low back disorders",
                "diagnostic and treatment recommendations, low back pain/radicular pain, diagnostic recommendations, MRI",
                None,
                [],
                "Non-MTUS Citation ACOEM: Low back disorders, diagnostic and treatment recommendations, low back pain/radicular pain, diagnostic recommendations, MRI",
            ),
        ],
        id="CM16-0240900-025",
    ),
    pytest.param(
        " Decision based on MTUS Elbow Complaints 2007.   ",
        [
            ("MTUS", "Elbow Complaints", None, None, 2007, [], "MTUS Elbow Complaints 2007"),
        ],
        id="CM16-0242302-026",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines.  Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) MRI Elbow. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Elbow",
                "MRI",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) MRI Elbow",
            ),
        ],
        id="CM16-0242302-027",
    ),
    pytest.param(
        " Decision based on MTUS Acupuncture Treatment 2007.  ",
        [
            (
                "MTUS",
                "Acupuncture Medical Treatment Guidelines",
                None,
                None,
                2007,
                [],
                "MTUS Acupuncture Treatment 2007",
            ),
        ],
        id="CM16-0242419-028",
    ),
    pytest.param(
        " Decision based on MTUS Acupuncture Treatment 2007. Decision based \non Non-MTUS Citation Official Disability Guidelines (ODG) Pain (Chronic) Acupuncture. ",
        [
            (
                "MTUS",
                "Acupuncture Medical Treatment Guidelines",
                None,
                None,
                2007,
                [],
                "MTUS Acupuncture Treatment 2007",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Pain (Chronic)",
                "Acupuncture",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Pain (Chronic) Acupuncture",
            ),
        ],
        id="CM16-0242419-029",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004. \nDecision based on Non-MTUS Citation Official Disability Guidelines, Low Back - MRIs. ",
        [
            ("MTUS", "Low Back Complaints", None, None, 2004, [], "MTUS Low Back Complaints 2004"),
            (
                "ODG",
                "Official Disability Guidelines",
                "Low Back",
                "MRIs",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines, Low Back - MRIs",
            ),
        ],
        id="CM16-0242419-030",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004, Section(s): \nSpecial Studies.  ",
        [
            (
                "MTUS",
                "Low Back Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "MTUS Low Back Complaints 2004, Section(s): Special Studies",
            ),
        ],
        id="CM16-0242419-031",
    ),
    pytest.param(
        " Decision based on MTUS Knee Complaints 2004.  ",
        [
            ("MTUS", "Knee Complaints", None, None, 2004, [], "MTUS Knee Complaints 2004"),
        ],
        id="CM16-0243453-032",
    ),
    pytest.param(
        " Decision based on MTUS Knee Complaints 2004, Section(s): Special \nStudies.  ",
        [
            (
                "MTUS",
                "Knee Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "MTUS Knee Complaints 2004, Section(s): Special Studies",
            ),
        ],
        id="CM16-0243453-033",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation \nACOEM guidelines and the Official Disability Guidelines. ",
        [
            ("ACOEM", "ACOEM", None, None, None, [], "Non-MTUS Citation ACOEM guidelines"),
            ("ODG", "Official Disability Guidelines", None, None, None, [], "Official Disability Guidelines"),
        ],
        id="CM16-0244053-034",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation ACOEM Hip and Groin \nChapter/Diagnostic and treatment recommendations. ",
        [
            (
                "ACOEM",
                "ACOEM",
                "Hip and Groin",
                "Diagnostic and treatment recommendations",
                None,
                [],
                "Non-MTUS Citation ACOEM Hip and Groin Chapter/Diagnostic and treatment recommendations",
            ),
        ],
        id="CM16-0244053-035",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004, \nSection(s): Physical Methods.  Decision based on Non-MTUS Citation Official Disability \nGuidelines: Low Back - Lumbar & Thoracic (Acute & Chronic) Chapter (Online Version). ",
        [
            (
                "MTUS",
                "Low Back Complaints",
                None,
                "Physical Methods",
                2004,
                [],
                "MTUS Low Back Complaints 2004, Section(s): Physical Methods",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Low Back",
                None,
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines: Low Back - Lumbar & Thoracic (Acute & Chronic) Chapter (Online Version)",
            ),
        ],
        id="CM16-0245295-036",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004, \nSection(s): Special Studies.  Decision based on Non-MTUS Citation Official Disability \nGuidelines: Low Back - Lumbar & Thoracic (Acute & Chronic) Chapter (Online Version). ",
        [
            (
                "MTUS",
                "Low Back Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "MTUS Low Back Complaints 2004, Section(s): Special Studies",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Low Back",
                None,
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines: Low Back - Lumbar & Thoracic (Acute & Chronic) Chapter (Online Version)",
            ),
        ],
        id="CM16-0245295-037",
    ),
    pytest.param(
        " Decision based on MTUS Shoulder Complaints 2004, \nSection(s): Surgical Considerations. Decision based on Non-MTUS Citation Official Disability \nGuidelines (ODG), Shoulder. ",
        [
            (
                "MTUS",
                "Shoulder Complaints",
                None,
                "Surgical Considerations",
                2004,
                [],
                "MTUS Shoulder Complaints 2004, Section(s): Surgical Considerations",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Shoulder",
                None,
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Shoulder",
            ),
        ],
        id="CM16-0246487-038",
    ),
    pytest.param(
        " Decision based on MTUS Shoulder Complaints 2004, Section(s): \nSurgical Considerations. Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Shoulder, Surgery for shoulder dislocation & Surgery for biceps tenodesis. ",
        [
            (
                "MTUS",
                "Shoulder Complaints",
                None,
                "Surgical Considerations",
                2004,
                [],
                "MTUS Shoulder Complaints 2004, Section(s): Surgical Considerations",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Shoulder",
                "Surgery for shoulder dislocation & Surgery for biceps tenodesis",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Shoulder, Surgery for shoulder dislocation & Surgery for biceps tenodesis",
            ),
        ],
        id="CM16-0246487-039",
    ),
    pytest.param(
        " Decision based on MTUS Shoulder Complaints 2004, \nSection(s): Initial Care, and Postsurgical Treatment 2009, Section(s): Elbow & Upper Arm.  ",
        [
            (
                "MTUS",
                "Shoulder Complaints",
                None,
                "Initial Care",
                2004,
                [],
                "MTUS Shoulder Complaints 2004, Section(s): Initial Care",
            ),
            (
                "MTUS",
                "Postsurgical Treatment Guidelines",
                None,
                "Elbow & Upper Arm",
                2009,
                [],
                "Postsurgical Treatment 2009, Section(s): Elbow & Upper Arm",
            ),
        ],
        id="CM16-0246487-040",
    ),
    pytest.param(
        " Decision based on MTUS Postsurgical Treatment 2009, Section(s): \nShoulder.  ",
        [
            (
                "MTUS",
                "Postsurgical Treatment Guidelines",
                None,
                "Shoulder",
                2009,
                [],
                "MTUS Postsurgical Treatment 2009, Section(s): Shoulder",
            ),
        ],
        id="CM16-0246487-041",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation \nOfficial Disability Guidelines (ODG), Shoulder. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Shoulder",
                None,
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Shoulder",
            ),
        ],
        id="CM16-0246487-042",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Shoulder, Continuous-flow cryotherapy. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Shoulder",
                "Continuous-flow cryotherapy",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Shoulder, Continuous-flow cryotherapy",
            ),
        ],
        id="CM16-0246487-043",
    ),
    pytest.param(
        " Decision based on MTUS Shoulder Complaints 2004, \nSection(s): Initial Care. Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG), Shoulder. ",
        [
            (
                "MTUS",
                "Shoulder Complaints",
                None,
                "Initial Care",
                2004,
                [],
                "MTUS Shoulder Complaints 2004, Section(s): Initial Care",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Shoulder",
                None,
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Shoulder",
            ),
        ],
        id="CM16-0246487-044",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Shoulder, Postoperative abduction pillow sling. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Shoulder",
                "Postoperative abduction pillow sling",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Shoulder, Postoperative abduction pillow sling",
            ),
        ],
        id="CM16-0246487-045",
    ),
    pytest.param(
        " Decision based on MTUS Shoulder Complaints 2004, \nSection(s): Summary, and Opioid Treatment 2016, Section(s): 1.4 Opioids for Acute Pain: \nOpioids for Post-operative Pain, 3.2 Opioids for Chronic Pain and Chronic Opioid Treatment: \nConsideration of Alternative Treatments for Chronic Pain and Chronic Opioid Treatment, 3.3.1.2 \nOpioids for Chronic Pain and Chronic Opioid Treatment: Screening for Risk of Addiction or \nAdverse Events, Prior to Chronic Opioid Treatment: Screening for Alcohol Misuse/Abuse, 3.3.6 \nOpioids for Chronic Pain and Chronic Opioid Treatment: Use of Urine Drug Testing (UDT), \n3.3.8 Opioids for Chronic Pain and Chronic Opioid Treatment: Opioid Titration and Dosing \nThreshold. Decision based on Non-MTUS Citation Official Disability Guidelines (ODG), Pain. ",
        [
            (
                "MTUS",
                "Shoulder Complaints",
                None,
                "Summary",
                2004,
                [],
                "MTUS Shoulder Complaints 2004, Section(s): Summary",
            ),
            (
                "MTUS",
                "Opioids Treatment Guidelines",
                None,
                "1.4 Opioids for Acute Pain: Opioids for Post-operative Pain, 3.2 Opioids for Chronic Pain and Chronic Opioid Treatment: Consideration of Alternative Treatments for Chronic Pain and Chronic Opioid Treatment, 3.3.1.2 Opioids for Chronic Pain and Chronic Opioid Treatment: Screening for Risk of Addiction or Adverse Events, Prior to Chronic Opioid Treatment: Screening for Alcohol Misuse/Abuse, 3.3.6 Opioids for Chronic Pain and Chronic Opioid Treatment: Use of Urine Drug Testing (UDT), 3.3.8 Opioids for Chronic Pain and Chronic Opioid Treatment: Opioid Titration and Dosing Threshold",
                2016,
                [],
                "Opioid Treatment 2016, Section(s): 1.4 Opioids for Acute Pain: Opioids for Post-operative Pain, 3.2 Opioids for Chronic Pain and Chronic Opioid Treatment: Consideration of Alternative Treatments for Chronic Pain and Chronic Opioid Treatment, 3.3.1.2 Opioids for Chronic Pain and Chronic Opioid Treatment: Screening for Risk of Addiction or Adverse Events, Prior to Chronic Opioid Treatment: Screening for Alcohol Misuse/Abuse, 3.3.6 Opioids for Chronic Pain and Chronic Opioid Treatment: Use of Urine Drug Testing (UDT), 3.3.8 Opioids for Chronic Pain and Chronic Opioid Treatment: Opioid Titration and Dosing Threshold",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Pain (Chronic)",
                None,
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Pain",
            ),
        ],
        id="CM16-0246487-046",
    ),
    pytest.param(
        " Decision based on MTUS Opioid Treatment 2016, Section(s): 1.4 \nOpioids for Acute Pain: Opioids for Post-operative Pain.  ",
        [
            (
                "MTUS",
                "Opioids Treatment Guidelines",
                None,
                "1.4 Opioids for Acute Pain: Opioids for Post-operative Pain",
                2016,
                [],
                "MTUS Opioid Treatment 2016, Section(s): 1.4 Opioids for Acute Pain: Opioids for Post-operative Pain",
            ),
        ],
        id="CM16-0246487-047",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation \nOfficial Disability Guidelines (ODG), Pain. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Pain (Chronic)",
                None,
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Pain",
            ),
        ],
        id="CM16-0246487-048",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment 2016, \nSection(s): Antiemetics (for opioid nausea).  ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Antiemetics (for opioid nausea)",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Antiemetics (for opioid nausea)",
            ),
        ],
        id="CM16-0246487-049",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment \n2016, Section(s): Electrodiagnostic testing (EMG/NCS).   ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Electrodiagnostic testing (EMG/NCS)",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Electrodiagnostic testing (EMG/NCS)",
            ),
        ],
        id="CM16-0247287-050",
    ),
    pytest.param(
        " Decision based on MTUS Forearm, Wrist, and Hand Complaints 2004, \nSection(s): Diagnostic Criteria.   ",
        [
            (
                "MTUS",
                "Forearm, Wrist, and Hand Complaints",
                None,
                "Diagnostic Criteria",
                2004,
                [],
                "MTUS Forearm, Wrist, and Hand Complaints 2004, Section(s): Diagnostic Criteria",
            ),
        ],
        id="CM16-0247287-051",
    ),
    pytest.param(
        " Decision based on MTUS Forearm, Wrist, and Hand Complaints 2004, \nSection(s): Diagnostic Criteria, Special Studies.   ",
        [
            (
                "MTUS",
                "Forearm, Wrist, and Hand Complaints",
                None,
                "Diagnostic Criteria, Special Studies",
                2004,
                [],
                "MTUS Forearm, Wrist, and Hand Complaints 2004, Section(s): Diagnostic Criteria, Special Studies",
            ),
        ],
        id="CM16-0247287-052",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004, \nSection(s): Special Studies.  Decision based on Non-MTUS Citation Official Disability \nGuidelines (ODG), Low Back. ",
        [
            (
                "MTUS",
                "Low Back Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "MTUS Low Back Complaints 2004, Section(s): Special Studies",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Low Back",
                None,
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Low Back",
            ),
        ],
        id="CM16-0248698-053",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines.  Decision based on Non-MTUS Citation \nOfficial Disability Guidelines (ODG), Hip and Pelvis. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Hip & Pelvis",
                None,
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Hip and Pelvis",
            ),
        ],
        id="CM16-0248698-054",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines.  Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Hip & Pelvis, X-Ray. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Hip & Pelvis",
                "X-Ray",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Hip & Pelvis, X-Ray",
            ),
        ],
        id="CM16-0248698-055",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines.  Decision based on Non-MTUS Citation \nACOEM Guidelines, Chapter 7, Independent Medical Examinations and Consultations, page \n137. ",
        [
            (
                "ACOEM",
                "ACOEM",
                "Independent Medical Examinations and Consultations",
                None,
                None,
                [137],
                "Non-MTUS Citation ACOEM Guidelines, Chapter 7, Independent Medical Examinations and Consultations, page 137",
            ),
        ],
        id="CM16-0248698-056",
    ),
    pytest.param(
        " Decision based on MTUS General Approaches 2004, Section(s): \nGeneral Approach to Initial Assessment and Documentation.   ",
        [
            (
                "MTUS",
                "General Approaches",
                None,
                "General Approach to Initial Assessment and Documentation",
                2004,
                [],
                "MTUS General Approaches 2004, Section(s): General Approach to Initial Assessment and Documentation",
            ),
        ],
        id="CM16-0248698-057",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines.  Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Hip & Pelvis, MRI (magnetic resonance imaging). ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Hip & Pelvis",
                "MRI (magnetic resonance imaging)",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Hip & Pelvis, MRI (magnetic resonance imaging)",
            ),
        ],
        id="CM16-0248698-058",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment 2016, \nSection(s): Compound drugs.   ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Compound drugs",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Compound drugs",
            ),
        ],
        id="CM16-0248698-059",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment 2016, \nSection(s): Compound drugs, and Opioid Treatment 2016, Section(s): 3.3 Opioids for Chronic \nPain and Chronic Opioid Treatment: Initiating and Monitoring Chronic Opioid Treatment.   ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Compound drugs",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Compound drugs",
            ),
            (
                "MTUS",
                "Opioids Treatment Guidelines",
                None,
                "3.3 Opioids for Chronic Pain and Chronic Opioid Treatment: Initiating and Monitoring Chronic Opioid Treatment",
                2016,
                [],
                "Opioid Treatment 2016, Section(s): 3.3 Opioids for Chronic Pain and Chronic Opioid Treatment: Initiating and Monitoring Chronic Opioid Treatment",
            ),
        ],
        id="CM16-0248698-060",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment \n2016, Section(s): Topical analgesics.   ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Topical analgesics",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Topical analgesics",
            ),
        ],
        id="CM16-0248698-061",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment \n2016 Guidelines, Section(s): Bupropion (Wellbutrin®). ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Bupropion (Wellbutrin®)",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016 Guidelines, Section(s): Bupropion (Wellbutrin®)",
            ),
        ],
        id="CM16-0248698-062",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment 2016 \nGuidelines, Section(s): Antidepressants for chronic pain. ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Antidepressants for chronic pain",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016 Guidelines, Section(s): Antidepressants for chronic pain",
            ),
        ],
        id="CM16-0248698-063",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment \n2016 Guidelines, Section(s): Proton Pump Inhibitors (PPIs). ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Proton Pump Inhibitors (PPIs)",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016 Guidelines, Section(s): Proton Pump Inhibitors (PPIs)",
            ),
        ],
        id="CM16-0248698-064",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment 2016 \nGuidelines, Section(s): NSAIDs, GI symptoms & cardiovascular risk.  ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "NSAIDs, GI symptoms & cardiovascular risk",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016 Guidelines, Section(s): NSAIDs, GI symptoms & cardiovascular risk",
            ),
        ],
        id="CM16-0248698-065",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment \n2016 Guidelines, Section(s): NSAIDs (non-steroidal anti-inflammatory drugs). ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "NSAIDs (non-steroidal anti-inflammatory drugs)",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016 Guidelines, Section(s): NSAIDs (non-steroidal anti-inflammatory drugs)",
            ),
        ],
        id="CM16-0248698-066",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines.  Decision based on Non-MTUS Official \nDisability Guidelines (ODG), Pain. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Pain (Chronic)",
                None,
                None,
                [],
                "Non-MTUS Official Disability Guidelines (ODG), Pain",
            ),
        ],
        id="CM16-0248698-067",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment 2016 \nGuidelines, Section(s): Compound drugs. ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Compound drugs",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016 Guidelines, Section(s): Compound drugs",
            ),
        ],
        id="CM16-0248698-068",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation \nOfficial Disability Guidelines (ODG) Knee and Leg Chapter Guidelines. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Knee & Leg",
                None,
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Knee and Leg Chapter Guidelines",
            ),
        ],
        id="CM16-0249724-069",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Knee & Leg, Durable medical equipment (DME). ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Knee & Leg",
                "Durable medical equipment (DME)",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Knee & Leg, Durable medical equipment (DME)",
            ),
        ],
        id="CM16-0249724-070",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation \nOfficial Disability Guidelines (ODG), Knee and Leg Chapter, Durable medical equipment. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Knee & Leg",
                "Durable medical equipment",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Knee and Leg Chapter, Durable medical equipment",
            ),
        ],
        id="CM16-0249724-071",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment \n2009, Section(s): Drug testing.  ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Drug testing",
                2009,
                [],
                "MTUS Chronic Pain Medical Treatment 2009, Section(s): Drug testing",
            ),
        ],
        id="CM17-0001064-072",
    ),
    pytest.param(
        " Decision based on MTUS Opioid Treatment 2016, Section(s): 3.3.6 \nOpioids for Chronic Pain and Chronic Opioid Treatment: Use of Urine Drug Testing (UDT).  ",
        [
            (
                "MTUS",
                "Opioids Treatment Guidelines",
                None,
                "3.3.6 Opioids for Chronic Pain and Chronic Opioid Treatment: Use of Urine Drug Testing (UDT)",
                2016,
                [],
                "MTUS Opioid Treatment 2016, Section(s): 3.3.6 Opioids for Chronic Pain and Chronic Opioid Treatment: Use of Urine Drug Testing (UDT)",
            ),
        ],
        id="CM17-0001064-073",
    ),
    pytest.param(
        " Decision based on MTUS Elbow Complaints 2007, \nSection(s): 326. Decision based on Non-MTUS Citation Official Disability Guidelines (ODG), \nShoulder (updated 11/23/16). ",
        [
            (
                "MTUS",
                "Elbow Complaints",
                None,
                "326",
                2007,
                [],
                "MTUS Elbow Complaints 2007, Section(s): 326",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Shoulder",
                None,
                2016,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Shoulder (updated 11/23/16)",
            ),
        ],
        id="CM17-0002106-074",
    ),
    pytest.param(
        " Decision based on MTUS Shoulder Complaints 2004, \nSection(s): Special Studies. Decision based on Non-MTUS Citation Official Disability \nGuidelines (ODG), Neck and Upper Back, Magnetic resonance imaging (MRI). ",
        [
            (
                "MTUS",
                "Shoulder Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "MTUS Shoulder Complaints 2004, Section(s): Special Studies",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Neck and Upper Back",
                "Magnetic resonance imaging (MRI)",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Neck and Upper Back, Magnetic resonance imaging (MRI)",
            ),
        ],
        id="CM17-0002106-075",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation \nOfficial Disability Guidelines (ODG), Head (updated 11/22/16). ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Head",
                None,
                2016,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Head (updated 11/22/16)",
            ),
        ],
        id="CM17-0002106-076",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Head, CT (computed tomography). ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Head",
                "CT (computed tomography)",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Head, CT (computed tomography)",
            ),
        ],
        id="CM17-0002106-077",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment \n2016, Section(s): Physical medicine treatment. Decision based on Non-MTUS Citation Official \nDisability Guidelines (ODG): Physical Therapy Guidelines. ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Physical medicine treatment",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Physical medicine treatment",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                None,
                "Physical Therapy Guidelines",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG): Physical Therapy Guidelines",
            ),
        ],
        id="CM17-0002857-078",
    ),
    pytest.param(
        " Decision based on MTUS Knee Complaints 2004, Section(s): \nSurgical Considerations.  ",
        [
            (
                "MTUS",
                "Knee Complaints",
                None,
                "Surgical Considerations",
                2004,
                [],
                "MTUS Knee Complaints 2004, Section(s): Surgical Considerations",
            ),
        ],
        id="CM17-0002892-079",
    ),
    pytest.param(
        " The Expert Reviewer did not cite any medical evidence for its decision.  ",
        [],
        id="CM17-0002892-080",
    ),
    pytest.param(
        " Decision based on MTUS Elbow Complaints 2007, Section(s): \nRecommendations, Radial Head Fracture.   ",
        [
            (
                "MTUS",
                "Elbow Complaints",
                None,
                "Recommendations, Radial Head Fracture",
                2007,
                [],
                "MTUS Elbow Complaints 2007, Section(s): Recommendations, Radial Head Fracture",
            ),
        ],
        id="CM17-0003192-081",
    ),
    pytest.param(
        " Decision based on MTUS Neck and Upper Back Complaints \n2004, Section(s): Initial Care, and Forearm, Wrist, and Hand Complaints 2004, Section(s): \nPhysical Methods, and Low Back Complaints 2004, Section(s): Physical Methods. Decision \nbased on Non-MTUS Citation Official Disability Guidelines (ODG), Neck & Upper Back, Low \nBack- Lumbar & Thoracic and Forearm, Wrist and Hand chapters: Chiropractic Guidelines. ",
        [
            (
                "MTUS",
                "Neck and Upper Back Complaints",
                None,
                "Initial Care",
                2004,
                [],
                "MTUS Neck and Upper Back Complaints 2004, Section(s): Initial Care",
            ),
            (
                "MTUS",
                "Forearm, Wrist, and Hand Complaints",
                None,
                "Physical Methods",
                2004,
                [],
                "Forearm, Wrist, and Hand Complaints 2004, Section(s): Physical Methods",
            ),
            (
                "MTUS",
                "Low Back Complaints",
                None,
                "Physical Methods",
                2004,
                [],
                "Low Back Complaints 2004, Section(s): Physical Methods",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Neck and Upper Back; Low Back; Forearm, Wrist & Hand",
                "Chiropractic Guidelines",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Neck & Upper Back, Low Back- Lumbar & Thoracic and Forearm, Wrist and Hand chapters: Chiropractic Guidelines",
            ),
        ],
        id="CM17-0003284-082",
    ),
    pytest.param(
        " Decision based on MTUS Neck and Upper Back Complaints \n2004, Section(s): Special Studies. Decision based on Non-MTUS Citation Official Disability \nGuidelines (ODG), Neck & Upper Back chapter: Electromyography (EMG), Nerve conduction \nstudies (NCS). ",
        [
            (
                "MTUS",
                "Neck and Upper Back Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "MTUS Neck and Upper Back Complaints 2004, Section(s): Special Studies",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Neck and Upper Back",
                "Electromyography (EMG), Nerve conduction studies (NCS)",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Neck & Upper Back chapter: Electromyography (EMG), Nerve conduction studies (NCS)",
            ),
        ],
        id="CM17-0003284-083",
    ),
    pytest.param(
        " Decision based on MTUS Neck and Upper Back Complaints \n2004, Section(s): Special Studies. Decision based on Non-MTUS Citation Official Disability \nGuidelines (ODG), Neck & Upper Back chapter: Magnetic resonance imaging (MRI). ",
        [
            (
                "MTUS",
                "Neck and Upper Back Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "MTUS Neck and Upper Back Complaints 2004, Section(s): Special Studies",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Neck and Upper Back",
                "Magnetic resonance imaging (MRI)",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Neck & Upper Back chapter: Magnetic resonance imaging (MRI)",
            ),
        ],
        id="CM17-0003284-084",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004, \nSection(s): Special Studies. Decision based on Non-MTUS Citation Official Disability \nGuidelines (ODG), Low Back- Lumbar & Thoracic chapter: MRI (magnetic resonance imaging). ",
        [
            (
                "MTUS",
                "Low Back Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "MTUS Low Back Complaints 2004, Section(s): Special Studies",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Low Back",
                "MRI (magnetic resonance imaging)",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Low Back- Lumbar & Thoracic chapter: MRI (magnetic resonance imaging)",
            ),
        ],
        id="CM17-0003284-085",
    ),
    pytest.param(
        " Decision based on MTUS Forearm, Wrist, and Hand Complaints 2004, \nSection(s): Special Studies.  ",
        [
            (
                "MTUS",
                "Forearm, Wrist, and Hand Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "MTUS Forearm, Wrist, and Hand Complaints 2004, Section(s): Special Studies",
            ),
        ],
        id="CM17-0003284-086",
    ),
    pytest.param(
        " Decision based on MTUS Knee Complaints 2004.  Decision \nbased on Non-MTUS Citation Official Disability Guidelines (ODG), Knee and Leg - MRI \n(magnetic resonance imaging). ",
        [
            ("MTUS", "Knee Complaints", None, None, 2004, [], "MTUS Knee Complaints 2004"),
            (
                "ODG",
                "Official Disability Guidelines",
                "Knee & Leg",
                "MRI (magnetic resonance imaging)",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Knee and Leg - MRI (magnetic resonance imaging)",
            ),
        ],
        id="CM17-0003591-087",
    ),
    pytest.param(
        " Decision based on MTUS Knee Complaints 2004, Section(s): Special \nStudies, Summary.   ",
        [
            (
                "MTUS",
                "Knee Complaints",
                None,
                "Special Studies, Summary",
                2004,
                [],
                "MTUS Knee Complaints 2004, Section(s): Special Studies, Summary",
            ),
        ],
        id="CM17-0003591-088",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004. \nDecision based on Non-MTUS Citation Official Disability Guidelines (ODG), Physical Therapy \nGuidelines. ",
        [
            ("MTUS", "Low Back Complaints", None, None, 2004, [], "MTUS Low Back Complaints 2004"),
            (
                "ODG",
                "Official Disability Guidelines",
                None,
                "Physical Therapy Guidelines",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Physical Therapy Guidelines",
            ),
        ],
        id="CM17-0003890-089",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004, Section(s): \nInitial Care, Physical Methods, and Chronic Pain Medical Treatment 2016, Section(s): Physical \nmedicine treatment.  ",
        [
            (
                "MTUS",
                "Low Back Complaints",
                None,
                "Initial Care, Physical Methods",
                2004,
                [],
                "MTUS Low Back Complaints 2004, Section(s): Initial Care, Physical Methods",
            ),
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Physical medicine treatment",
                2016,
                [],
                "Chronic Pain Medical Treatment 2016, Section(s): Physical medicine treatment",
            ),
        ],
        id="CM17-0003890-090",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation \nOfficial Disability Guidelines (ODG), Neck and Upper Back Chapter, Magnetic resonance \nimaging. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Neck and Upper Back",
                "Magnetic resonance imaging",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Neck and Upper Back Chapter, Magnetic resonance imaging",
            ),
        ],
        id="CM17-0004039-091",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation \nOfficial Disability Guidelines (ODG), Low Back Chapter, Magnetic resonance imaging. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Low Back",
                "Magnetic resonance imaging",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Low Back Chapter, Magnetic resonance imaging",
            ),
        ],
        id="CM17-0004039-092",
    ),
    pytest.param(
        " Decision based on MTUS General Approaches 2004, Section(s): \nCornerstones of Disability Prevention and Management.  ",
        [
            (
                "MTUS",
                "General Approaches",
                None,
                "Cornerstones of Disability Prevention and Management",
                2004,
                [],
                "MTUS General Approaches 2004, Section(s): Cornerstones of Disability Prevention and Management",
            ),
        ],
        id="CM17-0004133-093",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Hip and Pelvis Chapter, Home health services. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Hip & Pelvis",
                "Home health services",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Hip and Pelvis Chapter, Home health services",
            ),
        ],
        id="CM17-0004133-094",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Hip and Pelvis Chapter, Skilled nursing facility LOS (SNF). ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Hip & Pelvis",
                "Skilled nursing facility LOS (SNF)",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Hip and Pelvis Chapter, Skilled nursing facility LOS (SNF)",
            ),
        ],
        id="CM17-0004133-095",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004, \nSection(s): Special Studies. Decision based on Non-MTUS Citation Official Disability \nGuidelines (ODG) Low Back - Lumbar and Thoracic Chapter (updated 12/20/16), MRI \n(magnetic resonance imaging). ",
        [
            (
                "MTUS",
                "Low Back Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "MTUS Low Back Complaints 2004, Section(s): Special Studies",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Low Back",
                "MRI (magnetic resonance imaging)",
                2016,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Low Back - Lumbar and Thoracic Chapter (updated 12/20/16), MRI (magnetic resonance imaging)",
            ),
        ],
        id="CM17-0004344-096",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004, Section(s): \nSpecial Studies. Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) \nLower Back section, MRI. ",
        [
            (
                "MTUS",
                "Low Back Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "MTUS Low Back Complaints 2004, Section(s): Special Studies",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Low Back",
                "MRI",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Lower Back section, MRI",
            ),
        ],
        id="CM17-0004344-097",
    ),
    pytest.param(
        " Decision based on MTUS Ankle and Foot Complaints 2004. \nDecision based on Non-MTUS Citation Official Disability Guidelines, Ankle & Foot. \n",
        [
            (
                "MTUS",
                "Ankle and Foot Complaints",
                None,
                None,
                2004,
                [],
                "MTUS Ankle and Foot Complaints 2004",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Ankle & Foot",
                None,
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines, Ankle & Foot",
            ),
        ],
        id="CM17-0004547-098",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) PRP. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                None,
                "PRP",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) PRP",
            ),
        ],
        id="CM17-0004547-099",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation \nOfficial Disability Guidelines, Ankle & Foot. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Ankle & Foot",
                None,
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines, Ankle & Foot",
            ),
        ],
        id="CM17-0004547-100",
    ),
    pytest.param(
        " Decision based on MTUS General Approaches 2004, Section(s): \nPrevention, General Approach to Initial Assessment and Documentation, Initial Approaches to \nTreatment, Cornerstones of Disability Prevention and Management.  ",
        [
            (
                "MTUS",
                "General Approaches",
                None,
                "Prevention, General Approach to Initial Assessment and Documentation, Initial Approaches to Treatment, Cornerstones of Disability Prevention and Management",
                2004,
                [],
                "MTUS General Approaches 2004, Section(s): Prevention, General Approach to Initial Assessment and Documentation, Initial Approaches to Treatment, Cornerstones of Disability Prevention and Management",
            ),
        ],
        id="CM17-0004547-101",
    ),
    pytest.param(
        " Decision based on MTUS General Approaches 2004, \nSection(s): Initial Approaches to Treatment, and Chronic Pain Medical Treatment 2016, \n\nSection(s): Manual therapy & manipulation. Decision based on Non-MTUS Citation Official \nDisability Guidelines (ODG), Physical therapy guidelines. ",
        [
            (
                "MTUS",
                "General Approaches",
                None,
                "Initial Approaches to Treatment",
                2004,
                [],
                "MTUS General Approaches 2004, Section(s): Initial Approaches to Treatment",
            ),
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Manual therapy & manipulation",
                2016,
                [],
                "Chronic Pain Medical Treatment 2016, Section(s): Manual therapy & manipulation",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                None,
                "Physical therapy guidelines",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Physical therapy guidelines",
            ),
        ],
        id="CM17-0004738-102",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines.  Decision based on Non-MTUS Citation \nOfficial Disability Guidelines (ODG), 2016, Neck and Upper Back, Indications for imaging, CT \n(computed tomography). ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Neck and Upper Back",
                "Indications for imaging, CT (computed tomography)",
                2016,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), 2016, Neck and Upper Back, Indications for imaging, CT (computed tomography)",
            ),
        ],
        id="CM17-0005924-103",
    ),
    pytest.param(
        " Decision based on MTUS Neck and Upper Back Complaints 2004, \nSection(s): Special Studies.  Decision based on Non-MTUS Citation Official Disability \nGuidelines (ODG) Neck and Upper Back Chapter/ Computed Tomography (CT). ",
        [
            (
                "MTUS",
                "Neck and Upper Back Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "MTUS Neck and Upper Back Complaints 2004, Section(s): Special Studies",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Neck and Upper Back",
                "Computed Tomography (CT)",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Neck and Upper Back Chapter/ Computed Tomography (CT)",
            ),
        ],
        id="CM17-0005924-104",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment \n2009, Section(s): Epidural steroid injections (ESIs).  ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Epidural steroid injections (ESIs)",
                2009,
                [],
                "MTUS Chronic Pain Medical Treatment 2009, Section(s): Epidural steroid injections (ESIs)",
            ),
        ],
        id="CM17-0006287-105",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004, Section(s): \nInitial Care, Summary.  ",
        [
            (
                "MTUS",
                "Low Back Complaints",
                None,
                "Initial Care, Summary",
                2004,
                [],
                "MTUS Low Back Complaints 2004, Section(s): Initial Care, Summary",
            ),
        ],
        id="CM17-0006287-106",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment \n2016, Section(s): Work conditioning, work hardening.  ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Work conditioning, work hardening",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Work conditioning, work hardening",
            ),
        ],
        id="CM17-0006634-107",
    ),
    pytest.param(
        " Decision based on MTUS General Approaches 2004, Section(s): \nGeneral Approach to Initial Assessment and Documentation. Decision based on Non-MTUS \nCitation Official Disability Guidelines (ODG) Fitness for Duty, Functional capacity evaluation \n(FCE). ",
        [
            (
                "MTUS",
                "General Approaches",
                None,
                "General Approach to Initial Assessment and Documentation",
                2004,
                [],
                "MTUS General Approaches 2004, Section(s): General Approach to Initial Assessment and Documentation",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Fitness for Duty",
                "Functional capacity evaluation (FCE)",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Fitness for Duty, Functional capacity evaluation (FCE)",
            ),
        ],
        id="CM17-0006634-108",
    ),
    pytest.param(
        " Decision based on MTUS Neck and Upper Back Complaints \n2004. Decision based on Non-MTUS Citation Official Disability Guidelines (ODG), Neck & \nUpper Back. ",
        [
            (
                "MTUS",
                "Neck and Upper Back Complaints",
                None,
                None,
                2004,
                [],
                "MTUS Neck and Upper Back Complaints 2004",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Neck and Upper Back",
                None,
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Neck & Upper Back",
            ),
        ],
        id="CM17-0006634-109",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004. \nDecision based on Non-MTUS Citation Official Disability Guidelines (ODG), Low Back, \nLumbar & Thoracic (Acute & Chronic). ",
        [
            ("MTUS", "Low Back Complaints", None, None, 2004, [], "MTUS Low Back Complaints 2004"),
            (
                "ODG",
                "Official Disability Guidelines",
                "Low Back",
                None,
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Low Back, Lumbar & Thoracic (Acute & Chronic)",
            ),
        ],
        id="CM17-0006634-110",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment \n2016, Section(s): NSAIDs (non-steroidal anti-inflammatory drugs).  ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "NSAIDs (non-steroidal anti-inflammatory drugs)",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): NSAIDs (non-steroidal anti-inflammatory drugs)",
            ),
        ],
        id="CM17-0006634-111",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment \n2016, Section(s): Lidoderm (lidocaine patch), Topical analgesics.  ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Lidoderm (lidocaine patch), Topical analgesics",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Lidoderm (lidocaine patch), Topical analgesics",
            ),
        ],
        id="CM17-0006634-112",
    ),
    pytest.param(
        " Decision based on MTUS Shoulder Complaints 2004, \nSection(s): Surgical Considerations. Decision based on Non-MTUS Citation Official Disability \nGuidelines (ODG), Shoulder (Acute and Chronic), Rotator cuff repair, Acromioplasty, Mumford \nprocedure. ",
        [
            (
                "MTUS",
                "Shoulder Complaints",
                None,
                "Surgical Considerations",
                2004,
                [],
                "MTUS Shoulder Complaints 2004, Section(s): Surgical Considerations",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Shoulder",
                "Rotator cuff repair, Acromioplasty, Mumford procedure",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Shoulder (Acute and Chronic), Rotator cuff repair, Acromioplasty, Mumford procedure",
            ),
        ],
        id="CM17-0007142-113",
    ),
    pytest.param(
        " Decision based on MTUS Shoulder Complaints 2004, Section(s): \nSurgical Considerations.  ",
        [
            (
                "MTUS",
                "Shoulder Complaints",
                None,
                "Surgical Considerations",
                2004,
                [],
                "MTUS Shoulder Complaints 2004, Section(s): Surgical Considerations",
            ),
        ],
        id="CM17-0007142-114",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation \nCenters for Medicare and Medicaid services, Physician Fee Schedule Search. ",
        [
            (
                "OTHER",
                "Centers for Medicare and Medicaid services",
                None,
                "Physician Fee Schedule Search",
                None,
                [],
                "Non-MTUS Citation Centers for Medicare and Medicaid services, Physician Fee Schedule Search",
            ),
        ],
        id="CM17-0007142-115",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Shoulder Chapter, Surgical assistant. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Shoulder",
                "Surgical assistant",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Shoulder Chapter, Surgical assistant",
            ),
        ],
        id="CM17-0007142-116",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation \nMedicare Physicians Fee Schedule (MPFS); Chapter 12-Surgeons and Global Surgery; 40.1-\nDefinition of a Global Surgical Package. ",
        [
            (
                "OTHER",
                "Medicare Physicians Fee Schedule (MPFS)",
                None,
                "Chapter 12-Surgeons and Global Surgery; 40.1- Definition of a Global Surgical Package",
                None,
                [],
                "Non-MTUS Citation Medicare Physicians Fee Schedule (MPFS); Chapter 12-Surgeons and Global Surgery; 40.1- Definition of a Global Surgical Package",
            ),
        ],
        id="CM17-0007142-117",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Low Back Chapter, Preoperative electrocardiogram (ECG). ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Low Back",
                "Preoperative electrocardiogram (ECG)",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Low Back Chapter, Preoperative electrocardiogram (ECG)",
            ),
        ],
        id="CM17-0007142-118",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Low Back Chapter, Preoperative lab testing. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Low Back",
                "Preoperative lab testing",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Low Back Chapter, Preoperative lab testing",
            ),
        ],
        id="CM17-0007142-119",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation \nOfficial Disability Guidelines (ODG), Shoulder (Acute and Chronic), Continuous-flow \ncryotherapy. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Shoulder",
                "Continuous-flow cryotherapy",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Shoulder (Acute and Chronic), Continuous-flow cryotherapy",
            ),
        ],
        id="CM17-0007142-120",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Shoulder Chapter, Continuous-flow cryotherapy. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Shoulder",
                "Continuous-flow cryotherapy",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Shoulder Chapter, Continuous-flow cryotherapy",
            ),
        ],
        id="CM17-0007142-121",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation \nOfficial Disability Guidelines (ODG), Shoulder (Acute and Chronic), Postoperative abduction \npillow sling. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Shoulder",
                "Postoperative abduction pillow sling",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Shoulder (Acute and Chronic), Postoperative abduction pillow sling",
            ),
        ],
        id="CM17-0007142-122",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Shoulder Chapter, Postoperative abduction pillow sling. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Shoulder",
                "Postoperative abduction pillow sling",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Shoulder Chapter, Postoperative abduction pillow sling",
            ),
        ],
        id="CM17-0007142-123",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004, Section(s): \nPhysical Methods, Special Studies, Surgical Considerations, Summary.  Decision based on Non-\nMTUS Citation Official Disability Guidelines (ODG) Low Back (Thoracic and Lumbar, Acute \nand Chronic) Chapter, Epidural Steroid Injection (ESI) and Other Medical Treatment Guidelines \nwww.mdguidelines.com. ",
        [
            (
                "MTUS",
                "Low Back Complaints",
                None,
                "Physical Methods, Special Studies, Surgical Considerations, Summary",
                2004,
                [],
                "MTUS Low Back Complaints 2004, Section(s): Physical Methods, Special Studies, Surgical Considerations, Summary",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Low Back",
                "Epidural Steroid Injection (ESI)",
                None,
                [],
                "Non- MTUS Citation Official Disability Guidelines (ODG) Low Back (Thoracic and Lumbar, Acute and Chronic) Chapter, Epidural Steroid Injection (ESI)",
            ),
            (
                "OTHER",
                "Other Medical Treatment Guidelines",
                None,
                "www.mdguidelines.com",
                None,
                [],
                "Other Medical Treatment Guidelines www.mdguidelines.com",
            ),
        ],
        id="CM17-0007151-124",
    ),
    pytest.param(
        " Decision based on MTUS Shoulder Complaints 2004, \nSection(s): Special Studies. Decision based on Non-MTUS Citation Official Disability \nGuidelines (ODG) 2016 Shoulder Chapter: MR arthrogram. ",
        [
            (
                "MTUS",
                "Shoulder Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "MTUS Shoulder Complaints 2004, Section(s): Special Studies",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Shoulder",
                "MR arthrogram",
                2016,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) 2016 Shoulder Chapter: MR arthrogram",
            ),
        ],
        id="CM17-0008177-125",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Shoulder/MR Arthrogram. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Shoulder",
                "MR Arthrogram",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Shoulder/MR Arthrogram",
            ),
        ],
        id="CM17-0008177-126",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation \nOfficial Disability Guidelines (ODG) Low Back -Lumbar & Thoracic (Acute & Chronic) MRIs \n(magnetic resonance imaging). ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Low Back",
                "MRIs (magnetic resonance imaging)",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Low Back -Lumbar & Thoracic (Acute & Chronic) MRIs (magnetic resonance imaging)",
            ),
        ],
        id="CM17-0008519-127",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004, Section(s): \nSummary.  ",
        [
            (
                "MTUS",
                "Low Back Complaints",
                None,
                "Summary",
                2004,
                [],
                "MTUS Low Back Complaints 2004, Section(s): Summary",
            ),
        ],
        id="CM17-0008519-128",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004, Section(s): \nDiagnostic Criteria, Special Studies, Summary.  ",
        [
            (
                "MTUS",
                "Low Back Complaints",
                None,
                "Diagnostic Criteria, Special Studies, Summary",
                2004,
                [],
                "MTUS Low Back Complaints 2004, Section(s): Diagnostic Criteria, Special Studies, Summary",
            ),
        ],
        id="CM17-0008577-129",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Low Back, Flexibility. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Low Back",
                "Flexibility",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Low Back, Flexibility",
            ),
        ],
        id="CM17-0009441-130",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Head, X-Rays. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Head",
                "X-Rays",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Head, X-Rays",
            ),
        ],
        id="CM17-0009441-131",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation \nOfficial Disability Guidelines (ODG). ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                None,
                None,
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG)",
            ),
        ],
        id="CM17-0009441-132",
    ),
    pytest.param(
        " Decision based on MTUS General Approaches 2004, Section(s): \nCornerstones of Disability Prevention and Management. Decision based on Non-MTUS Citation \nOfficial Disability Guidelines (ODG) Fitness for Duty, Functional capacity evaluation (FCE). ",
        [
            (
                "MTUS",
                "General Approaches",
                None,
                "Cornerstones of Disability Prevention and Management",
                2004,
                [],
                "MTUS General Approaches 2004, Section(s): Cornerstones of Disability Prevention and Management",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Fitness for Duty",
                "Functional capacity evaluation (FCE)",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Fitness for Duty, Functional capacity evaluation (FCE)",
            ),
        ],
        id="CM17-0009441-133",
    ),
    pytest.param(
        " Decision based on MTUS Knee Complaints 2004, Section(s): Special \nStudies. Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Knee & \nLeg (Acute & Chronic), MRI's (magnetic resonance imaging). ",
        [
            (
                "MTUS",
                "Knee Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "MTUS Knee Complaints 2004, Section(s): Special Studies",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Knee & Leg",
                "MRI's (magnetic resonance imaging)",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Knee & Leg (Acute & Chronic), MRI's (magnetic resonance imaging)",
            ),
        ],
        id="CM17-0009574-134",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004, Section(s): \nPhysical Methods, and Chronic Pain Medical Treatment 2016, Section(s): TENS, chronic pain \n(transcutaneous electrical nerve stimulation).  ",
        [
            (
                "MTUS",
                "Low Back Complaints",
                None,
                "Physical Methods",
                2004,
                [],
                "MTUS Low Back Complaints 2004, Section(s): Physical Methods",
            ),
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "TENS, chronic pain (transcutaneous electrical nerve stimulation)",
                2016,
                [],
                "Chronic Pain Medical Treatment 2016, Section(s): TENS, chronic pain (transcutaneous electrical nerve stimulation)",
            ),
        ],
        id="CM17-0010021-135",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment 2016, \nSection(s): Physical medicine treatment.  Decision based on Non-MTUS Citation Official \nDisability Guidelines (ODG) Low Back and neck Chapter, Physical Therapy. ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Physical medicine treatment",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Physical medicine treatment",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Low Back; Neck and Upper Back",
                "Physical Therapy",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Low Back and neck Chapter, Physical Therapy",
            ),
        ],
        id="CM17-0010365-136",
    ),
    pytest.param(
        " Decision based on MTUS Shoulder Complaints 2004, \nSection(s): Initial Care.  Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Physical Therapy Guidelines. ",
        [
            (
                "MTUS",
                "Shoulder Complaints",
                None,
                "Initial Care",
                2004,
                [],
                "MTUS Shoulder Complaints 2004, Section(s): Initial Care",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                None,
                "Physical Therapy Guidelines",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Physical Therapy Guidelines",
            ),
        ],
        id="CM17-0011517-137",
    ),
    pytest.param(
        " Decision based on MTUS Neck and Upper Back Complaints \n2004, Section(s): Special Studies. Decision based on Non-MTUS Citation Official Disability \nGuidelines, Neck and Upper Back, Electromyography (EMG); Nerve Conduction Studies (NCS). ",
        [
            (
                "MTUS",
                "Neck and Upper Back Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "MTUS Neck and Upper Back Complaints 2004, Section(s): Special Studies",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Neck and Upper Back",
                "Electromyography (EMG); Nerve Conduction Studies (NCS)",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines, Neck and Upper Back, Electromyography (EMG); Nerve Conduction Studies (NCS)",
            ),
        ],
        id="CM17-0011543-138",
    ),
    pytest.param(
        " Decision based on MTUS Shoulder Complaints 2004, Section(s): \nSummary. Decision based on Non-MTUS Citation ACOEM Occupational Medicine Practice \nGuidelines, 3rd ed., Shoulder Disorders, pg. 64. ",
        [
            (
                "MTUS",
                "Shoulder Complaints",
                None,
                "Summary",
                2004,
                [],
                "MTUS Shoulder Complaints 2004, Section(s): Summary",
            ),
            (
                "ACOEM",
                "ACOEM",
                "Shoulder Disorders",
                None,
                None,
                [64],
                "Non-MTUS Citation ACOEM Occupational Medicine Practice Guidelines, 3rd ed., Shoulder Disorders, pg. 64",
            ),
        ],
        id="CM17-0011543-139",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation \nODG Neck and Upper Back Chapter. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Neck and Upper Back",
                None,
                None,
                [],
                "Non-MTUS Citation ODG Neck and Upper Back Chapter",
            ),
        ],
        id="CM17-0011730-140",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment 2016, \nSection(s): Electrodiagnostic testing (EMG/NCS). Decision based on Non-MTUS Citation \nOfficial Disability Guidelines (ODG) Low Back/Intra-operative monitoring and Other Medical \nTreatment Guidelines http://www.aetna.com/cpb/medical/data/100_199/0181.html. ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Electrodiagnostic testing (EMG/NCS)",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Electrodiagnostic testing (EMG/NCS)",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Low Back",
                "Intra-operative monitoring",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Low Back/Intra-operative monitoring",
            ),
            (
                "OTHER",
                "Other Medical Treatment Guidelines",
                None,
                "http://www.aetna.com/cpb/medical/data/100_199/0181.html",
                None,
                [],
                "Other Medical Treatment Guidelines http://www.aetna.com/cpb/medical/data/100_199/0181.html",
            ),
        ],
        id="CM17-0011730-141",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004. \nDecision based on Non-MTUS Citation Official Disability Guidelines, Neck and upper back. ",
        [
            ("MTUS", "Low Back Complaints", None, None, 2004, [], "MTUS Low Back Complaints 2004"),
            (
                "ODG",
                "Official Disability Guidelines",
                "Neck and Upper Back",
                None,
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines, Neck and upper back",
            ),
        ],
        id="CM17-0013077-142",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation \nOfficial Disability Guidelines, Pain, Benzodiazepines. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Pain (Chronic)",
                "Benzodiazepines",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines, Pain, Benzodiazepines",
            ),
        ],
        id="CM17-0013077-143",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Pain (Benzodiazepines). ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Pain (Chronic)",
                "Benzodiazepines",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Pain (Benzodiazepines)",
            ),
        ],
        id="CM17-0013077-144",
    ),
    pytest.param(
        " Decision based on MTUS Opioid Treatment 2016.  ",
        [
            ("MTUS", "Opioids Treatment Guidelines", None, None, 2016, [], "MTUS Opioid Treatment 2016"),
        ],
        id="CM17-0013077-145",
    ),
    pytest.param(
        " Decision based on MTUS Opioid Treatment 2016, Section(s): 2. Opioids \nfor Subacute Pain.  ",
        [
            (
                "MTUS",
                "Opioids Treatment Guidelines",
                None,
                "2. Opioids for Subacute Pain",
                2016,
                [],
                "MTUS Opioid Treatment 2016, Section(s): 2. Opioids for Subacute Pain",
            ),
        ],
        id="CM17-0013077-146",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment \n2009, Section(s): Physical Medicine. Decision based on Non-MTUS Citation American College \n\nof Occupational and Environmental Medicine (ACOEM) Pain, Suffering, and the Restoration of \nFunction Chapter. ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Physical Medicine",
                2009,
                [],
                "MTUS Chronic Pain Medical Treatment 2009, Section(s): Physical Medicine",
            ),
            (
                "ACOEM",
                "ACOEM",
                "Pain, Suffering, and the Restoration of Function",
                None,
                None,
                [],
                "Non-MTUS Citation American College of Occupational and Environmental Medicine (ACOEM) Pain, Suffering, and the Restoration of Function Chapter",
            ),
        ],
        id="CM17-0013240-147",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment \n2016, Section(s): Office visits. Decision based on Non-MTUS Citation Official Disability \nGuidelines (ODG). ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Office visits",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Office visits",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                None,
                None,
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG)",
            ),
        ],
        id="CM17-0013587-148",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment 2016, \nSection(s): Introduction.  ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Introduction",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Introduction",
            ),
        ],
        id="CM17-0013587-149",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation What is an electrocardiogram? \nNational Heart, Lung, and Blood Institute, Department of Health and Human Services. \nhttp://www.nhlbi.nih.gov/health/health-topics/topics/ekg, accessed 02/18/2017, Benditt D, et al. \nSyncope in adults: Clinical manifestations and diagnostic evaluation. Topic 969, version 21.0. \nUpToDate, accessed 02/18/2017. ",
        [
            (
                "OTHER",
                "What is an electrocardiogram",
                None,
                "National Heart, Lung, and Blood Institute, Department of Health and Human Services. http://www.nhlbi.nih.gov/health/health-topics/topics/ekg, accessed 02/18/2017, Benditt D, et al. Syncope in adults: Clinical manifestations and diagnostic evaluation. Topic 969, version 21.0. UpToDate, accessed 02/18/2017",
                None,
                [],
                "Non-MTUS Citation What is an electrocardiogram? National Heart, Lung, and Blood Institute, Department of Health and Human Services. http://www.nhlbi.nih.gov/health/health-topics/topics/ekg, accessed 02/18/2017, Benditt D, et al. Syncope in adults: Clinical manifestations and diagnostic evaluation. Topic 969, version 21.0. UpToDate, accessed 02/18/2017",
            ),
        ],
        id="CM17-0013587-150",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment \n2016, Section(s): Naproxen (Naprosyn, EC-Naprosyn, EC-Naprosyn, Anaprox, Anaprox DS \n[otc], Naprelan), NSAIDs (non-steroidal anti-inflammatory drugs).   ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Naproxen (Naprosyn, EC-Naprosyn, EC-Naprosyn, Anaprox, Anaprox DS [otc], Naprelan), NSAIDs (non-steroidal anti-inflammatory drugs)",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Naproxen (Naprosyn, EC-Naprosyn, EC-Naprosyn, Anaprox, Anaprox DS [otc], Naprelan), NSAIDs (non-steroidal anti-inflammatory drugs)",
            ),
        ],
        id="CM17-0013716-151",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment \n2016, Section(s): NSAIDs, GI symptoms & cardiovascular risk, Proton Pump Inhibitors (PPIs).   ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "NSAIDs, GI symptoms & cardiovascular risk, Proton Pump Inhibitors (PPIs)",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): NSAIDs, GI symptoms & cardiovascular risk, Proton Pump Inhibitors (PPIs)",
            ),
        ],
        id="CM17-0013716-152",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment 2016, \nSection(s): Proton Pump Inhibitors (PPIs).   ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Proton Pump Inhibitors (PPIs)",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Proton Pump Inhibitors (PPIs)",
            ),
        ],
        id="CM17-0013716-153",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines. Decision based on Non-MTUS Citation \nOfficial Disability Guidelines, Lumbar Physical Therapy Guidelines. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Low Back",
                "Physical Therapy Guidelines",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines, Lumbar Physical Therapy Guidelines",
            ),
        ],
        id="CM17-0013754-154",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment 2016, \nSection(s): Physical medicine treatment. Decision based on Non-MTUS Citation Official \nDisability Guidelines (ODG) Physical therapy/Preface. ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Physical medicine treatment",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Physical medicine treatment",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Preface",
                "Physical therapy",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Physical therapy/Preface",
            ),
        ],
        id="CM17-0013754-155",
    ),
    pytest.param(
        " Decision based on MTUS Shoulder Complaints 2004, Section(s): \nSurgical Considerations.  Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Shoulder Chapter, Surgery for SLAP lesions. ",
        [
            (
                "MTUS",
                "Shoulder Complaints",
                None,
                "Surgical Considerations",
                2004,
                [],
                "MTUS Shoulder Complaints 2004, Section(s): Surgical Considerations",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Shoulder",
                "Surgery for SLAP lesions",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Shoulder Chapter, Surgery for SLAP lesions",
            ),
        ],
        id="CM17-0014449-156",
    ),
    pytest.param(
        " Decision based on MTUS Elbow Complaints 2007, \nSection(s): 326. Decision based on Non-MTUS Citation Official Disability Guidelines, Elbow \nProcedure Summary Online Version (updated 11/23/16): Magnetic Resonance Imaging. ",
        [
            (
                "MTUS",
                "Elbow Complaints",
                None,
                "326",
                2007,
                [],
                "MTUS Elbow Complaints 2007, Section(s): 326",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Elbow",
                "Magnetic Resonance Imaging",
                2016,
                [],
                "Non-MTUS Citation Official Disability Guidelines, Elbow Procedure Summary Online Version (updated 11/23/16): Magnetic Resonance Imaging",
            ),
        ],
        id="CM17-0014800-157",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Elbow, MRI. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Elbow",
                "MRI",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Elbow, MRI",
            ),
        ],
        id="CM17-0014800-158",
    ),
    pytest.param(
        " The Claims Administrator based their decision on \nrecommendation(s) outside of the MTUS Guidelines.  Decision based on Non-MTUS Citation \nOfficial Disability Guidelines, Forearm, Wrist & Hand - Open reduction internal fixation. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Forearm, Wrist & Hand",
                "Open reduction internal fixation",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines, Forearm, Wrist & Hand - Open reduction internal fixation",
            ),
        ],
        id="CM17-0015218-159",
    ),
    pytest.param(
        " Decision based on MTUS Forearm, Wrist, and Hand Complaints 2004, \nSection(s): Surgical Considerations.  Decision based on Non-MTUS Citation Green's Operative \nHand Surgery, 6th ed Chapter 17: Distal Radius Fractures, Chapter 30: Compression \nNeuropathies. ",
        [
            (
                "MTUS",
                "Forearm, Wrist, and Hand Complaints",
                None,
                "Surgical Considerations",
                2004,
                [],
                "MTUS Forearm, Wrist, and Hand Complaints 2004, Section(s): Surgical Considerations",
            ),
            (
                "OTHER",
                "Green's Operative Hand Surgery",
                None,
                "6th ed Chapter 17: Distal Radius Fractures, Chapter 30: Compression Neuropathies",
                None,
                [],
                "Non-MTUS Citation Green's Operative Hand Surgery, 6th ed Chapter 17: Distal Radius Fractures, Chapter 30: Compression Neuropathies",
            ),
        ],
        id="CM17-0015218-160",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Knee and Leg Section/Physical Medicine Topic. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Knee & Leg",
                "Physical Medicine Topic",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Knee and Leg Section/Physical Medicine Topic",
            ),
        ],
        id="CM17-0015348-161",
    ),
    pytest.param(
        " The Expert Reviewer based their decision on recommendation(s) outside \nof the MTUS Guidelines. Decision based on Non-MTUS Citation ODG guidelines, Neck and \nUpper back, MRI. ",
        [
            (
                "ODG",
                "Official Disability Guidelines",
                "Neck and Upper Back",
                "MRI",
                None,
                [],
                "Non-MTUS Citation ODG guidelines, Neck and Upper back, MRI",
            ),
        ],
        id="CM17-0016204-162",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004, \nSection(s): Special Studies.  Decision based on Non-MTUS Citation Official Disability \nGuidelines (ODG) Low Back, MRI. ",
        [
            (
                "MTUS",
                "Low Back Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "MTUS Low Back Complaints 2004, Section(s): Special Studies",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Low Back",
                "MRI",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Low Back, MRI",
            ),
        ],
        id="CM17-0016311-163",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment \n2016, Section(s): Tramadol (Ultram), and Opioid Treatment 2016, Section(s): 3.3.1.1 Opioids for \nChronic Pain and Chronic Opioid Treatment: Screening for Risk of Addiction or Adverse \nEvents, Prior to Chronic Opioid Treatment: Screening for Drug Misuse/Abuse, 3.3.1.2 Opioids \nfor Chronic Pain and Chronic Opioid Treatment: Screening for Risk of Addiction or Adverse \nEvents, Prior to Chronic Opioid Treatment: Screening for Alcohol Misuse/Abuse.   ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Tramadol (Ultram)",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Tramadol (Ultram)",
            ),
            (
                "MTUS",
                "Opioids Treatment Guidelines",
                None,
                "3.3.1.1 Opioids for Chronic Pain and Chronic Opioid Treatment: Screening for Risk of Addiction or Adverse Events, Prior to Chronic Opioid Treatment: Screening for Drug Misuse/Abuse, 3.3.1.2 Opioids for Chronic Pain and Chronic Opioid Treatment: Screening for Risk of Addiction or Adverse Events, Prior to Chronic Opioid Treatment: Screening for Alcohol Misuse/Abuse",
                2016,
                [],
                "Opioid Treatment 2016, Section(s): 3.3.1.1 Opioids for Chronic Pain and Chronic Opioid Treatment: Screening for Risk of Addiction or Adverse Events, Prior to Chronic Opioid Treatment: Screening for Drug Misuse/Abuse, 3.3.1.2 Opioids for Chronic Pain and Chronic Opioid Treatment: Screening for Risk of Addiction or Adverse Events, Prior to Chronic Opioid Treatment: Screening for Alcohol Misuse/Abuse",
            ),
        ],
        id="CM17-0016311-164",
    ),
    pytest.param(
        " Decision based on MTUS Opioid Treatment 2016, Section(s): 3.3.9 \nOpioids for Chronic Pain and Chronic Opioid Treatment: Maintenance of Chronic Opioid \nTreatment.   ",
        [
            (
                "MTUS",
                "Opioids Treatment Guidelines",
                None,
                "3.3.9 Opioids for Chronic Pain and Chronic Opioid Treatment: Maintenance of Chronic Opioid Treatment",
                2016,
                [],
                "MTUS Opioid Treatment 2016, Section(s): 3.3.9 Opioids for Chronic Pain and Chronic Opioid Treatment: Maintenance of Chronic Opioid Treatment",
            ),
        ],
        id="CM17-0016311-165",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment \n2016, Section(s): Muscle relaxants (for pain).   ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Muscle relaxants (for pain)",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Muscle relaxants (for pain)",
            ),
        ],
        id="CM17-0016311-166",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment 2016, \nSection(s): Cyclobenzaprine (Flexeril).   ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Cyclobenzaprine (Flexeril)",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Cyclobenzaprine (Flexeril)",
            ),
        ],
        id="CM17-0016311-167",
    ),
    pytest.param(
        " Decision based on MTUS Shoulder Complaints 2004. \nDecision based on Non-MTUS Citation Official Disability Guidelines (ODG), Shoulder Chapter, \nIndications for imaging-Magnetic resonance imaging. ",
        [
            ("MTUS", "Shoulder Complaints", None, None, 2004, [], "MTUS Shoulder Complaints 2004"),
            (
                "ODG",
                "Official Disability Guidelines",
                "Shoulder",
                "Indications for imaging-Magnetic resonance imaging",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Shoulder Chapter, Indications for imaging-Magnetic resonance imaging",
            ),
        ],
        id="CM17-0017688-168",
    ),
    pytest.param(
        " Decision based on MTUS Shoulder Complaints 2004, Section(s): \nSpecial Studies. Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) \nMRI shoulder. ",
        [
            (
                "MTUS",
                "Shoulder Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "MTUS Shoulder Complaints 2004, Section(s): Special Studies",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Shoulder",
                "MRI",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) MRI shoulder",
            ),
        ],
        id="CM17-0017688-169",
    ),
    pytest.param(
        " Decision based on MTUS Neck and Upper Back Complaints \n2004, Section(s): Special Studies, and Low Back Complaints 2004, Section(s): Special Studies.  ",
        [
            (
                "MTUS",
                "Neck and Upper Back Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "MTUS Neck and Upper Back Complaints 2004, Section(s): Special Studies",
            ),
            (
                "MTUS",
                "Low Back Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "Low Back Complaints 2004, Section(s): Special Studies",
            ),
        ],
        id="CM17-0018054-170",
    ),
    pytest.param(
        " Decision based on MTUS General Approaches 2004, Section(s): Initial \nApproaches to Treatment, and Neck and Upper Back Complaints 2004, Section(s): Summary.   ",
        [
            (
                "MTUS",
                "General Approaches",
                None,
                "Initial Approaches to Treatment",
                2004,
                [],
                "MTUS General Approaches 2004, Section(s): Initial Approaches to Treatment",
            ),
            (
                "MTUS",
                "Neck and Upper Back Complaints",
                None,
                "Summary",
                2004,
                [],
                "Neck and Upper Back Complaints 2004, Section(s): Summary",
            ),
        ],
        id="CM17-0019011-171",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment \n2016, Section(s): Physical medicine treatment. Decision based on Non-MTUS Citation Official \nDisability Guidelines: Physical Therapy Guidelines. ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Physical medicine treatment",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Physical medicine treatment",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                None,
                "Physical Therapy Guidelines",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines: Physical Therapy Guidelines",
            ),
        ],
        id="CM17-0019120-172",
    ),
    pytest.param(
        " Decision based on MTUS Knee Complaints 2004, Section(s): \nDiagnostic Criteria, Special Studies.  ",
        [
            (
                "MTUS",
                "Knee Complaints",
                None,
                "Diagnostic Criteria, Special Studies",
                2004,
                [],
                "MTUS Knee Complaints 2004, Section(s): Diagnostic Criteria, Special Studies",
            ),
        ],
        id="CM17-0019120-173",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004, \nSection(s): Initial Care. Decision based on Non-MTUS Citation Official Disability Guidelines \n(ODG) Low Back, Physical Therapy. Official Disability Guidelines (ODG) Physical Therapy \nGuidelines. \n",
        [
            (
                "MTUS",
                "Low Back Complaints",
                None,
                "Initial Care",
                2004,
                [],
                "MTUS Low Back Complaints 2004, Section(s): Initial Care",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Low Back",
                "Physical Therapy",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Low Back, Physical Therapy",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                None,
                "Physical Therapy Guidelines",
                None,
                [],
                "Official Disability Guidelines (ODG) Physical Therapy Guidelines",
            ),
        ],
        id="CM17-0019907-174",
    ),
    pytest.param(
        " Decision based on MTUS Low Back Complaints 2004, \nSection(s): Diagnositc Criteria, Special Studies.   \n",
        [
            (
                "MTUS",
                "Low Back Complaints",
                None,
                "Diagnositc Criteria, Special Studies",
                2004,
                [],
                "MTUS Low Back Complaints 2004, Section(s): Diagnositc Criteria, Special Studies",
            ),
        ],
        id="CM17-0020243-175",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment \n2016, Section(s): Physical medicine treatment.  Decision based on Non-MTUS Citation Official \nDisability Guidelines (ODG), Low Back. ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Physical medicine treatment",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Physical medicine treatment",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Low Back",
                None,
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG), Low Back",
            ),
        ],
        id="CM17-0020728-176",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Medical Treatment 2016, \nSection(s): Physical medicine treatment.  Decision based on Non-MTUS Citation Official \nDisability Guidelines (ODG) Preface/Physical therapy. ",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Physical medicine treatment",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Physical medicine treatment",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Preface",
                "Physical therapy",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Preface/Physical therapy",
            ),
        ],
        id="CM17-0020728-177",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Treatment \n\nGuidelines. \n",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                None,
                None,
                [],
                "MTUS Chronic Pain Treatment Guidelines",
            ),
        ],
        id="000_327011dee9612c2d-178",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Treatment Guidelines Criteria \n\nFor Use Of Opioids Page(s): 76-80.  Decision based on Non-MTUS Citation Official Disability \n\nGuidelines (ODG) pain chapter - opioids \n",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Criteria For Use Of Opioids",
                None,
                [76, 77, 78, 79, 80],
                "MTUS Chronic Pain Treatment Guidelines Criteria For Use Of Opioids Page(s): 76-80",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Pain (Chronic)",
                "opioids",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) pain chapter - opioids",
            ),
        ],
        id="000_327011dee9612c2d-179",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Treatment Guidelines \n\nCarisoprodol Page(s): 65. Decision based on Non-MTUS Citation Official Disability Guidelines \n\n(ODG) Pain chapter - Soma. \n",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Carisoprodol",
                None,
                [65],
                "MTUS Chronic Pain Treatment Guidelines Carisoprodol Page(s): 65",
            ),
            (
                "ODG",
                "Official Disability Guidelines",
                "Pain (Chronic)",
                "Soma",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Pain chapter - Soma",
            ),
        ],
        id="000_327011dee9612c2d-180",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Treatment Guidelines \n\nOpioids Page(s): 79.   \n",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Opioids",
                None,
                [79],
                "MTUS Chronic Pain Treatment Guidelines Opioids Page(s): 79",
            ),
        ],
        id="002_8a90cba33b8aca59-181",
    ),
    pytest.param(
        " Decision based on MTUS ACOEM Chapter 3 Initial Approaches to \n\nTreatment Page(s): 47-8,Chronic Pain Treatment Guidelines Opioids Page(s): 34, 74-96.   \n",
        [
            (
                "MTUS",
                "ACOEM",
                "Initial Approaches to Treatment",
                None,
                None,
                [47, 48],
                "MTUS ACOEM Chapter 3 Initial Approaches to Treatment Page(s): 47-8",
            ),
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Opioids",
                None,
                [34, *range(74, 97)],
                "Chronic Pain Treatment Guidelines Opioids Page(s): 34, 74-96",
            ),
        ],
        id="002_8a90cba33b8aca59-182",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Treatment Guidelines \n\nCarisoprodol Page(s): 125.   \n",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Carisoprodol",
                None,
                [125],
                "MTUS Chronic Pain Treatment Guidelines Carisoprodol Page(s): 125",
            ),
        ],
        id="002_8a90cba33b8aca59-183",
    ),
    pytest.param(
        " Decision based on MTUS ACOEM Chapter 3 Initial Approaches to \n\nTreatment Page(s): 47,Chronic Pain Treatment Guidelines Soma; Muscle Relaxants; Weaning \n\nfrom Medications Page(s): 29, 63-5, 124.   \n",
        [
            (
                "MTUS",
                "ACOEM",
                "Initial Approaches to Treatment",
                None,
                None,
                [47],
                "MTUS ACOEM Chapter 3 Initial Approaches to Treatment Page(s): 47",
            ),
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Soma; Muscle Relaxants; Weaning from Medications",
                None,
                [29, 63, 64, 65, 124],
                "Chronic Pain Treatment Guidelines Soma; Muscle Relaxants; Weaning from Medications Page(s): 29, 63-5, 124",
            ),
        ],
        id="002_8a90cba33b8aca59-184",
    ),
    pytest.param(
        " Decision based on MTUS ACOEM.   \n",
        [
            ("MTUS", "ACOEM", None, None, None, [], "MTUS ACOEM"),
        ],
        id="003_911e865f50b21622-185",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Treatment Guidelines Section \n\non Carisoprodol (Soma) Page(s): 29.   \n",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Carisoprodol (Soma)",
                None,
                [29],
                "MTUS Chronic Pain Treatment Guidelines Section on Carisoprodol (Soma) Page(s): 29",
            ),
        ],
        id="003_911e865f50b21622-186",
    ),
    pytest.param(
        " Decision based on MTUS Chronic Pain Treatment Guidelines Section \n\non Opioids/Ongoing Management Page(s): 78.   \n",
        [
            (
                "MTUS",
                "Chronic Pain Medical Treatment Guidelines",
                None,
                "Opioids/Ongoing Management",
                None,
                [78],
                "MTUS Chronic Pain Treatment Guidelines Section on Opioids/Ongoing Management Page(s): 78",
            ),
        ],
        id="003_911e865f50b21622-187",
    ),
    pytest.param(
        " Decision based on MTUS ACOEM Chapter 3 Initial Approaches to \n\nTreatment Page(s): 48.   \n",
        [
            (
                "MTUS",
                "ACOEM",
                "Initial Approaches to Treatment",
                None,
                None,
                [48],
                "MTUS ACOEM Chapter 3 Initial Approaches to Treatment Page(s): 48",
            ),
        ],
        id="003_911e865f50b21622-188",
    ),
]


@pytest.mark.parametrize(("text", "expected"), REAL_LINES)
def test_real_guideline_lines(text: str, expected: list[tuple]) -> None:
    citations = parse_citations(text)
    assert _rows(citations) == expected
    _check_spans(text, citations)


GENRE_LINES = [
    # other ACOEM chapter numbers and abbreviated page ranges
    pytest.param(
        "Decision based on MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 303-5.",
        [
            (
                "MTUS",
                "ACOEM",
                "Low Back Complaints",
                None,
                None,
                [303, 304, 305],
                "MTUS ACOEM Chapter 12 Low Back Complaints Page(s): 303-5",
            )
        ],
        id="acoem-ch12",
    ),
    pytest.param(
        "Decision based on MTUS ACOEM Chapter 8 Neck and Upper Back Complaints Page(s): 177-8,"
        "Chronic Pain Treatment Guidelines Cyclobenzaprine (Flexeril) Page(s): 41-2.",
        [
            (
                "MTUS",
                "ACOEM",
                "Neck and Upper Back Complaints",
                None,
                None,
                [177, 178],
                "MTUS ACOEM Chapter 8 Neck and Upper Back Complaints Page(s): 177-8",
            ),
            (
                "MTUS",
                CPMTG,
                None,
                "Cyclobenzaprine (Flexeril)",
                None,
                [41, 42],
                "Chronic Pain Treatment Guidelines Cyclobenzaprine (Flexeril) Page(s): 41-2",
            ),
        ],
        id="acoem-ch8-glued-comma",
    ),
    pytest.param(
        "Decision based on MTUS Chronic Pain Treatment Guidelines Opioids, specific drug list Page(s): 91.",
        [
            (
                "MTUS",
                CPMTG,
                None,
                "Opioids, specific drug list",
                None,
                [91],
                "MTUS Chronic Pain Treatment Guidelines Opioids, specific drug list Page(s): 91",
            )
        ],
        id="cpmtg-topic-with-comma",
    ),
    pytest.param(
        "Decision based on MTUS Chronic Pain Medical Treatment Guidelines Lidoderm (lidocaine "
        "patch) Page(s): 56-7, 111-3.",
        [
            (
                "MTUS",
                CPMTG,
                None,
                "Lidoderm (lidocaine patch)",
                None,
                [56, 57, 111, 112, 113],
                "MTUS Chronic Pain Medical Treatment Guidelines Lidoderm (lidocaine patch) "
                "Page(s): 56-7, 111-3",
            )
        ],
        id="cpmtg-two-ranges",
    ),
    pytest.param(
        "Decision based on MTUS Postsurgical Treatment Guidelines Page(s): 10-12.",
        [
            (
                "MTUS",
                "Postsurgical Treatment Guidelines",
                None,
                None,
                None,
                [10, 11, 12],
                "MTUS Postsurgical Treatment Guidelines Page(s): 10-12",
            )
        ],
        id="postsurgical-pages",
    ),
    pytest.param(
        "Decision based on MTUS Acupuncture Medical Treatment Guidelines Page(s): 8-9.",
        [
            (
                "MTUS",
                "Acupuncture Medical Treatment Guidelines",
                None,
                None,
                None,
                [8, 9],
                "MTUS Acupuncture Medical Treatment Guidelines Page(s): 8-9",
            )
        ],
        id="acupuncture-pages",
    ),
    pytest.param(
        "Decision based on MTUS Stress Related Conditions 2004, Section(s): Summary.",
        [
            (
                "MTUS",
                "Stress Related Conditions",
                None,
                "Summary",
                2004,
                [],
                "MTUS Stress Related Conditions 2004, Section(s): Summary",
            )
        ],
        id="stress-related",
    ),
    pytest.param(
        "Decision based on MTUS Eye 2004.",
        [("MTUS", "Eye", None, None, 2004, [], "MTUS Eye 2004")],
        id="eye",
    ),
    pytest.param(
        "Decision based on MTUS Elbow Disorders (Revised 2007) Page(s): 42.",
        [
            (
                "MTUS",
                "Elbow Complaints",
                None,
                None,
                2007,
                [42],
                "MTUS Elbow Disorders (Revised 2007) Page(s): 42",
            )
        ],
        id="elbow-disorders-alias",
    ),
    pytest.param(
        "Decision based on MTUS Ankle and Foot Complaints 2004, Section(s): Special Studies, and "
        "Chronic Pain Medical Treatment 2016, Section(s): Opioids, criteria for use.",
        [
            (
                "MTUS",
                "Ankle and Foot Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "MTUS Ankle and Foot Complaints 2004, Section(s): Special Studies",
            ),
            (
                "MTUS",
                CPMTG,
                None,
                "Opioids, criteria for use",
                2016,
                [],
                "Chronic Pain Medical Treatment 2016, Section(s): Opioids, criteria for use",
            ),
        ],
        id="two-mtus-documents",
    ),
    pytest.param(
        "Decision based on MTUS Opioid Treatment 2016, Section(s): 3.3.6 Opioids for Chronic Pain "
        "and Chronic Opioid Treatment: Use of Urine Drug Testing (UDT), and Chronic Pain Medical "
        "Treatment 2016, Section(s): Drug testing.",
        [
            (
                "MTUS",
                "Opioids Treatment Guidelines",
                None,
                "3.3.6 Opioids for Chronic Pain and Chronic Opioid Treatment: Use of Urine Drug "
                "Testing (UDT)",
                2016,
                [],
                "MTUS Opioid Treatment 2016, Section(s): 3.3.6 Opioids for Chronic Pain and Chronic "
                "Opioid Treatment: Use of Urine Drug Testing (UDT)",
            ),
            (
                "MTUS",
                CPMTG,
                None,
                "Drug testing",
                2016,
                [],
                "Chronic Pain Medical Treatment 2016, Section(s): Drug testing",
            ),
        ],
        id="opioid-section-then-cpmtg",
    ),
    pytest.param(
        "Decision based on MTUS.",
        [("MTUS", None, None, None, None, [], "MTUS")],
        id="bare-mtus",
    ),
    # PDF noise: line breaks and double spaces inside names, labels and page lists
    pytest.param(
        "Decision  based on MTUS  Chronic Pain Treatment Guidelines Criteria\n\nFor Use Of "
        "Opioids Page(s):\n76-80.  Decision based on Non-MTUS Citation Official Disability\n\n"
        "Guidelines (ODG) Pain  chapter - Opioids",
        [
            (
                "MTUS",
                CPMTG,
                None,
                "Criteria For Use Of Opioids",
                None,
                [76, 77, 78, 79, 80],
                "MTUS Chronic Pain Treatment Guidelines Criteria For Use Of Opioids Page(s): 76-80",
            ),
            (
                "ODG",
                ODG,
                "Pain (Chronic)",
                "Opioids",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Pain chapter - Opioids",
            ),
        ],
        id="noise-pages-after-break",
    ),
    pytest.param(
        "Decision based on MTUS Knee Complaints 2004, Section(s):\nSpecial Studies.  \n",
        [
            (
                "MTUS",
                "Knee Complaints",
                None,
                "Special Studies",
                2004,
                [],
                "MTUS Knee Complaints 2004, Section(s): Special Studies",
            )
        ],
        id="noise-section-after-break",
    ),
    pytest.param(
        "Decision based on MTUS ChronicPain Medical Treatment 2016,Section(s): Opioids, dosing.",
        [
            (
                "MTUS",
                CPMTG,
                None,
                "Opioids, dosing",
                2016,
                [],
                "MTUS ChronicPain Medical Treatment 2016,Section(s): Opioids, dosing",
            )
        ],
        id="noise-glued-words",
    ),
    pytest.param(
        "Decision based on MTUS Low Back \nComplaints 2004, Section(s): Surgical \n\nConsiderations.",
        [
            (
                "MTUS",
                "Low Back Complaints",
                None,
                "Surgical Considerations",
                2004,
                [],
                "MTUS Low Back Complaints 2004, Section(s): Surgical Considerations",
            )
        ],
        id="noise-break-inside-document",
    ),
    pytest.param(
        "Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): Benzodiazepines. "
        "MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment 2016, "
        "Section(s): Benzodiazepines, Benzodiazepine dependence, maintenance.",
        [
            (
                "MTUS",
                CPMTG,
                None,
                "Benzodiazepines",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Benzodiazepines",
            ),
            (
                "MTUS",
                CPMTG,
                None,
                "Benzodiazepines, Benzodiazepine dependence, maintenance",
                2016,
                [],
                "MTUS Chronic Pain Medical Treatment 2016, Section(s): Benzodiazepines, "
                "Benzodiazepine dependence, maintenance",
            ),
        ],
        id="noise-next-label-not-absorbed",
    ),
    # ODG chapters
    pytest.param(
        "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Mental Illness "
        "& Stress Chapter - Psychotherapy Guidelines",
        [
            (
                "ODG",
                ODG,
                "Mental Illness & Stress",
                "Psychotherapy Guidelines",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Mental Illness & Stress "
                "Chapter - Psychotherapy Guidelines",
            )
        ],
        id="odg-mental-illness",
    ),
    pytest.param(
        "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Carpal Tunnel "
        "Syndrome Chapter, Carpal tunnel release surgery.",
        [
            (
                "ODG",
                ODG,
                "Carpal Tunnel Syndrome",
                "Carpal tunnel release surgery",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Carpal Tunnel Syndrome "
                "Chapter, Carpal tunnel release surgery",
            )
        ],
        id="odg-carpal-tunnel",
    ),
    pytest.param(
        "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Ankle & Foot "
        "(Acute & Chronic), Ankle foot orthosis (AFO)",
        [
            (
                "ODG",
                ODG,
                "Ankle & Foot",
                "Ankle foot orthosis (AFO)",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Ankle & Foot (Acute & "
                "Chronic), Ankle foot orthosis (AFO)",
            )
        ],
        id="odg-ankle-foot",
    ),
    pytest.param(
        "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Pain (Chronic), "
        "Pain management programs.",
        [
            (
                "ODG",
                ODG,
                "Pain (Chronic)",
                "Pain management programs",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Pain (Chronic), Pain "
                "management programs",
            )
        ],
        id="odg-topic-starting-with-chapter-word",
    ),
    pytest.param(
        "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Knee & Leg "
        "Procedure Summary (updated 06/05/15), Hyaluronic acid injections.",
        [
            (
                "ODG",
                ODG,
                "Knee & Leg",
                "Hyaluronic acid injections",
                2015,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Knee & Leg Procedure "
                "Summary (updated 06/05/15), Hyaluronic acid injections",
            )
        ],
        id="odg-updated-year",
    ),
    pytest.param(
        "Decision based on Non-MTUS Citation ODG Forearm, Wrist & Hand, Splints. Decision based "
        "on Non-MTUS Citation ACOEM Occupational Medicine Practice Guidelines, 3rd ed., Hand, "
        "Wrist, and Forearm Disorders, pg. 1061-2.",
        [
            (
                "ODG",
                ODG,
                "Forearm, Wrist & Hand",
                "Splints",
                None,
                [],
                "Non-MTUS Citation ODG Forearm, Wrist & Hand, Splints",
            ),
            (
                "ACOEM",
                "ACOEM",
                "Hand, Wrist, and Forearm Disorders",
                None,
                None,
                [1061, 1062],
                "Non-MTUS Citation ACOEM Occupational Medicine Practice Guidelines, 3rd ed., Hand, "
                "Wrist, and Forearm Disorders, pg. 1061-2",
            ),
        ],
        id="odg-then-acoem-3rd",
    ),
    # ACOEM outside the MTUS
    pytest.param(
        "Decision based on Non-MTUS Citation ACOEM Practice Guidelines, 2nd Edition (2004), "
        "Chapter 12, page 303.",
        [
            (
                "ACOEM",
                "ACOEM",
                "Low Back Complaints",
                None,
                2004,
                [303],
                "Non-MTUS Citation ACOEM Practice Guidelines, 2nd Edition (2004), Chapter 12, page 303",
            )
        ],
        id="acoem-non-mtus-chapter-number",
    ),
    pytest.param(
        "Decision based on Non-MTUS Citation ACOEM guidelines and the Official Disability "
        "Guidelines, Knee & Leg.",
        [
            ("ACOEM", "ACOEM", None, None, None, [], "Non-MTUS Citation ACOEM guidelines"),
            ("ODG", ODG, "Knee & Leg", None, None, [], "Official Disability Guidelines, Knee & Leg"),
        ],
        id="acoem-and-the-odg",
    ),
    # other references
    pytest.param(
        "Decision based on Non-MTUS Citation Drugs.com",
        [("OTHER", "Drugs.com", None, None, None, [], "Non-MTUS Citation Drugs.com")],
        id="other-drugs-com",
    ),
    pytest.param(
        "Decision based on Non-MTUS Citation Physicians' Desk Reference, 68th ed.",
        [
            (
                "OTHER",
                "Physicians' Desk Reference",
                None,
                "68th ed",
                None,
                [],
                "Non-MTUS Citation Physicians' Desk Reference, 68th ed",
            )
        ],
        id="other-pdr",
    ),
    pytest.param(
        "Decision based on Non-MTUS Citation http://www.drugs.com/pro/tramadol.html.",
        [
            (
                "OTHER",
                "http://www.drugs.com/pro/tramadol.html",
                None,
                None,
                None,
                [],
                "Non-MTUS Citation http://www.drugs.com/pro/tramadol.html",
            )
        ],
        id="other-url",
    ),
    pytest.param(
        "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Neck and Upper "
        "Back, Facet joint diagnostic blocks and Other Medical Treatment Guidelines "
        "http://www.aetna.com/cpb/medical/data/1_99/0016.html.",
        [
            (
                "ODG",
                ODG,
                "Neck and Upper Back",
                "Facet joint diagnostic blocks",
                None,
                [],
                "Non-MTUS Citation Official Disability Guidelines (ODG) Neck and Upper Back, Facet "
                "joint diagnostic blocks",
            ),
            (
                "OTHER",
                "Other Medical Treatment Guidelines",
                None,
                "http://www.aetna.com/cpb/medical/data/1_99/0016.html",
                None,
                [],
                "Other Medical Treatment Guidelines http://www.aetna.com/cpb/medical/data/1_99/0016.html",
            ),
        ],
        id="odg-and-other-url",
    ),
    # lines that cite nothing
    pytest.param(
        "The Claims Administrator did not cite any medical evidence for its decision.",
        [],
        id="none-claims-administrator",
    ),
    pytest.param(
        "The Expert Reviewer did not cite any medical evidence for its \ndecision.",
        [],
        id="none-expert-reviewer",
    ),
    pytest.param("", [], id="empty"),
    pytest.param(" recommendation(s) outside of the MTUS Guidelines.", [], id="outside-only"),
    # older template without "Decision based on" (read as free text)
    pytest.param(
        "the MTUS Chronic Pain Medical Treatment Guidelines, page 78, and the ODG",
        [
            (
                "MTUS",
                CPMTG,
                None,
                None,
                None,
                [78],
                "MTUS Chronic Pain Medical Treatment Guidelines, page 78",
            ),
            ("ODG", ODG, None, None, None, [], "ODG"),
        ],
        id="no-decision-based-on",
    ),
]


@pytest.mark.parametrize(("text", "expected"), GENRE_LINES)
def test_genre_guideline_lines(text: str, expected: list[tuple]) -> None:
    citations = parse_citations(text)
    assert _rows(citations) == expected
    _check_spans(text, citations)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("47-8", [47, 48]),
        ("63-5", [63, 64, 65]),
        ("29, 63-5, 124", [29, 63, 64, 65, 124]),
        ("74-96", list(range(74, 97))),
        ("34, 74-96", [34, *range(74, 97)]),
        ("124-126", [124, 125, 126]),
        ("100-2", [100, 101, 102]),
        ("79", [79]),
        ("Page(s): 76-80.", [76, 77, 78, 79, 80]),
        ("Page(s):\n76-80", [76, 77, 78, 79, 80]),
        ("pages 47 and 48", [47, 48]),
        ("pg. 607", [607]),
        ("124, 29, 29", [29, 124]),
        ("47 - 48", [47, 48]),
        ("1061-2", [1061, 1062]),
        ("96-74", []),
        ("1-900", []),
        ("0", []),
        ("", []),
        ("abc", []),
        ("12/17/2016", []),
        ("3.3.6", []),
        ("2nd", []),
    ],
)
def test_expand_pages(text: str, expected: list[int]) -> None:
    assert expand_pages(text) == expected


FREE_TEXT = [
    pytest.param(
        "As noted on page 78 of the CA MTUS Chronic Pain Medical Treatment Guidelines, ongoing "
        "opioid therapy requires review.",
        [
            (
                "MTUS",
                CPMTG,
                None,
                None,
                None,
                [78],
                "page 78 of the CA MTUS Chronic Pain Medical Treatment Guidelines",
            )
        ],
        id="page-of-cpmtg",
    ),
    pytest.param(
        'Decision rationale: ACOEM Guidelines, Chapter 3 Treatment, page 48, states, "During '
        "the acute to subacute phases",
        [
            (
                "ACOEM",
                "ACOEM",
                "Initial Approaches to Treatment",
                None,
                None,
                [48],
                "ACOEM Guidelines, Chapter 3 Treatment, page 48",
            )
        ],
        id="acoem-chapter-3",
    ),
    pytest.param(
        "Decision rationale: The Chronic Pain Medical Treatment Guidelines Section on Carisoprodol "
        '\n\n(Soma), page 29, states, "This medication is not indicated for long-term use."',
        [
            (
                "MTUS",
                CPMTG,
                None,
                "Carisoprodol (Soma)",
                None,
                [29],
                "Chronic Pain Medical Treatment Guidelines Section on Carisoprodol (Soma), page 29",
            )
        ],
        id="cpmtg-section-on",
    ),
    pytest.param(
        "Decision rationale: The CA MTUS/ACOEM Guidelines do not address this request.",
        [("MTUS", "ACOEM", None, None, None, [], "CA MTUS/ACOEM Guidelines")],
        id="ca-mtus-acoem",
    ),
    pytest.param(
        "The MTUS is silent on this issue. The ODG recommends a trial.",
        [("MTUS", None, None, None, None, [], "MTUS"), ("ODG", ODG, None, None, None, [], "ODG")],
        id="bare-mtus-and-odg",
    ),
    pytest.param(
        "Per the Official Disability Guidelines, an MRI is indicated.",
        [("ODG", ODG, None, None, None, [], "Official Disability Guidelines")],
        id="odg-long-name",
    ),
    pytest.param(
        "was at odds with page 82 of the MTUS Chronic Pain Medical \nTreatment Guidelines "
        "(July 28, 2016), with the MTUS Guideline in ACOEM Chapter 12, Table \n12-8, page 309, "
        "and with the Third Edition ACOEM Guidelines Low Back Disorders Chapter, \npage 607.",
        [
            (
                "MTUS",
                CPMTG,
                None,
                None,
                2016,
                [82],
                "page 82 of the MTUS Chronic Pain Medical Treatment Guidelines (July 28, 2016)",
            ),
            (
                "MTUS",
                "ACOEM",
                "Low Back Complaints",
                None,
                None,
                [309],
                "MTUS Guideline in ACOEM Chapter 12, Table 12-8, page 309",
            ),
            (
                "ACOEM",
                "ACOEM",
                "Low Back Disorders",
                None,
                None,
                [607],
                "Third Edition ACOEM Guidelines Low Back Disorders Chapter, page 607",
            ),
        ],
        id="three-in-a-sentence",
    ),
    pytest.param(
        "According to California MTUS 2016 Chronic Pain Guidelines, physical medicine may be recommended.",
        [("MTUS", CPMTG, None, None, 2016, [], "California MTUS 2016 Chronic Pain Guidelines")],
        id="california-mtus-year",
    ),
    pytest.param(
        "According to California MTUS Chronic Pain Medical Treatment Guide-\nlines, Physical "
        "Therapy is recommended.",
        [
            (
                "MTUS",
                CPMTG,
                None,
                None,
                None,
                [],
                "California MTUS Chronic Pain Medical Treatment Guide- lines",
            )
        ],
        id="hyphenated-guidelines",
    ),
    pytest.param(
        "the patient and physician are advised to consult the MTUS Opioids Treatment Guidelines "
        '("Tapering opioids"), and if',
        [
            (
                "MTUS",
                "Opioids Treatment Guidelines",
                None,
                "Tapering opioids",
                None,
                [],
                'MTUS Opioids Treatment Guidelines ("Tapering opioids")',
            )
        ],
        id="quoted-topic",
    ),
    pytest.param(
        "According to the American College of Occupational and Environmental Medicine (ACOEM) "
        "\nGuidelines, MRI's are recommended",
        [
            (
                "ACOEM",
                "ACOEM",
                None,
                None,
                None,
                [],
                "American College of Occupational and Environmental Medicine (ACOEM) Guidelines",
            )
        ],
        id="acoem-long-name",
    ),
    pytest.param(
        "The requested physical therapy is in excess of California chronic pain medical "
        "treatment guidelines for lumbar pain.",
        [("MTUS", CPMTG, None, None, None, [], "California chronic pain medical treatment guidelines")],
        id="lowercase-cpmtg",
    ),
    pytest.param(
        "Also see the ODG Preface for physical therapy and the ODG Pain chapter.",
        [
            ("ODG", ODG, "Preface", None, None, [], "ODG Preface"),
            ("ODG", ODG, "Pain (Chronic)", None, None, [], "ODG Pain chapter"),
        ],
        id="odg-chapters",
    ),
    pytest.param(
        "The Postsurgical Treatment Guidelines, pages 10-12, allow 24 visits.",
        [
            (
                "MTUS",
                "Postsurgical Treatment Guidelines",
                None,
                None,
                None,
                [10, 11, 12],
                "Postsurgical Treatment Guidelines, pages 10-12",
            )
        ],
        id="postsurgical-pages",
    ),
    # conventions settled by the independent second annotation (corpus/README.md)
    pytest.param(
        "The California MTUS and ACOEM Guidelines are silent on hot packs.",
        [("MTUS", None, None, None, None, [], "California MTUS and ACOEM Guidelines")],
        id="shared-head-noun",
    ),
    pytest.param(
        "Per the ACOEM and MTUS Guidelines, massage is an adjunct.",
        [("MTUS", "ACOEM", None, None, None, [], "ACOEM and MTUS Guidelines")],
        id="shared-head-noun-acoem-first",
    ),
    pytest.param(
        "The MTUS ACOEM Guidelines advise against bed rest.",
        [("MTUS", "ACOEM", None, None, None, [], "MTUS ACOEM Guidelines")],
        id="mtus-acoem",
    ),
    pytest.param(
        "The MTUS guidelines for acupuncture allow 3 to 6 treatments.",
        [("MTUS", None, None, "acupuncture", None, [], "MTUS guidelines for acupuncture")],
        id="for-topic",
    ),
    pytest.param(
        "The MTUS guidelines for this patient do not apply.",
        [("MTUS", None, None, None, None, [], "MTUS guidelines")],
        id="for-not-a-topic",
    ),
    pytest.param(
        "As the MTUS introduction explains, function matters.",
        [("MTUS", None, "Introduction", None, None, [], "MTUS introduction")],
        id="mtus-introduction",
    ),
    pytest.param(
        "See the Preface section of MTUS 2016 Chronic Pain Guidelines).",
        [("MTUS", CPMTG, "Preface", None, 2016, [], "Preface section of MTUS 2016 Chronic Pain Guidelines")],
        id="section-of",
    ),
    pytest.param(
        "According to the MTUS shoulder chapter, imaging is not routine.",
        [("MTUS", None, "shoulder", None, None, [], "MTUS shoulder chapter")],
        id="lowercase-chapter",
    ),
    pytest.param(
        "Reviewers rely on ACOEM 2004 Elbow Disorders Chapter to decide.",
        [("ACOEM", "ACOEM", "Elbow Disorders", None, 2004, [], "ACOEM 2004 Elbow Disorders Chapter")],
        id="acoem-year-chapter",
    ),
    pytest.param(
        "The 2016 California MTUS recommends it.",
        [("MTUS", None, None, None, 2016, [], "2016 California MTUS")],
        id="leading-year",
    ),
    pytest.param(
        "The Claims Administrator based its decision on the Chronic Pain Medical Treatment \n"
        "Guidelines, Muscle Relaxants, pages 63-66, which is part of the MTUS. \n"
        "The Physician Reviewer based his/her decision on the MTUS Chronic Pain Medical Treatment \n"
        "Guidelines, pages 78-80. \n \nRationale for the Decision:",
        [
            ("MTUS", CPMTG, None, "Muscle Relaxants", None, [63, 64, 65, 66],
             "Chronic Pain Medical Treatment Guidelines, Muscle Relaxants, pages 63-66"),
            ("MTUS", None, None, None, None, [], "MTUS"),
            ("MTUS", CPMTG, None, None, None, [78, 79, 80], "MTUS Chronic Pain Medical Treatment Guidelines, pages 78-80"),
        ],
        id="2013-based-its-decision-on",
    ),
]


@pytest.mark.parametrize(("text", "expected"), FREE_TEXT)
def test_find_citations_free_text(text: str, expected: list[tuple]) -> None:
    citations = find_citations(text)
    assert _rows(citations) == expected
    _check_spans(text, citations)


@pytest.mark.parametrize(
    "text",
    [
        "The guidelines do not support the request.",
        "Per guidelines, psychological evaluations are recommended.",
        "Non MTUS guidelines were also used since they have specific criteria.",
        "the request exceeds the recommended guidelines for the initial 6 sessions",
        "Chronic pain treatment was discussed with the patient.",
        "the patient's odg score",
        "Pain management and acoem referral",
        "",
    ],
)
def test_find_citations_rejects(text: str) -> None:
    assert find_citations(text) == []


def test_find_citations_reads_guideline_lines_inside_a_letter() -> None:
    text = (
        "Norco 10/325mg #60: Upheld \n \nClaims Administrator guideline: Decision based on MTUS "
        "Chronic Pain Treatment \n\nGuidelines. \n\n \nMAXIMUS guideline: Decision based on MTUS "
        "Chronic Pain Treatment Guidelines Opioids Page(s): 79. \n \nDecision rationale: The "
        "MTUS notes that ongoing use requires review.\n"
    )
    rows = _rows(find_citations(text))
    assert rows == [
        ("MTUS", CPMTG, None, None, None, [], "MTUS Chronic Pain Treatment Guidelines"),
        (
            "MTUS",
            CPMTG,
            None,
            "Opioids",
            None,
            [79],
            "MTUS Chronic Pain Treatment Guidelines Opioids Page(s): 79",
        ),
        ("MTUS", None, None, None, None, [], "MTUS"),
    ]


def _sample_letters() -> list[Path]:
    return sorted(SAMPLES.glob("seeds-2014/*.txt")) + sorted(SAMPLES.glob("2016-2017/txt/*.txt"))


@pytest.mark.skipif(not _sample_letters(), reason="sample letters not present")
def test_find_citations_on_sample_letters_is_well_formed() -> None:
    total = 0
    for path in _sample_letters():
        text = path.read_text(encoding="utf8")
        citations = find_citations(text)
        _check_spans(text, citations)
        total += len(citations)
        # every "Decision based on" sentence that names a guideline yields a citation
        for i in range(len(text)):
            if text.startswith("Decision based on MTUS", i):
                assert any(c["start"] == i + len("Decision based on ") for c in citations), path
    assert total > 200


def test_vocabulary_file() -> None:
    raw = json.loads(
        resources.files("imr_nlp").joinpath("data", "guidelines.json").read_text(encoding="utf8")
    )
    assert raw["_sources"]
    chapters = raw["acoem_chapters"]
    assert [int(k) for k in chapters if not k.startswith("_")] == list(range(1, 17))
    assert chapters["3"]["title"] == "Initial Approaches to Treatment"
    assert chapters["12"]["title"] == "Low Back Complaints"
    names = {d["name"] for d in raw["mtus_documents"]}
    assert {
        CPMTG,
        "Postsurgical Treatment Guidelines",
        "Acupuncture Medical Treatment Guidelines",
        "Opioids Treatment Guidelines",
        "General Approaches",
        "Low Back Complaints",
        "Forearm, Wrist, and Hand Complaints",
        "Eye",
    } <= names
    odg = {c["name"] for c in raw["odg"]["chapters"]}
    assert {
        "Pain (Chronic)",
        "Low Back",
        "Neck and Upper Back",
        "Knee & Leg",
        "Shoulder",
        "Mental Illness & Stress",
        "Forearm, Wrist & Hand",
        "Carpal Tunnel Syndrome",
        "Elbow",
        "Ankle & Foot",
        "Hip & Pelvis",
        "Head",
        "Fitness for Duty",
    } <= odg
    assert all(c["source"] and c["status"] in {"V", "U"} for c in raw["odg"]["chapters"])


_WORDS = [
    "Decision based on",
    "MTUS",
    "Non-MTUS Citation",
    "ACOEM",
    "Chapter",
    "3",
    "12",
    "ODG",
    "Official Disability Guidelines",
    "(ODG)",
    "Chronic Pain Treatment Guidelines",
    "Page(s):",
    "47-8",
    "29, 63-5,",
    "Section(s):",
    "Low Back Complaints",
    "2004",
    "pain chapter",
    "-",
    ",",
    ".",
    "and",
    "the",
    "\n",
    "\n \n",
    "  ",
    "Opioids",
    "Soma;",
    "page",
    "of",
    "Section on",
    "(updated 11/3/16)",
    "Shoulder",
    "http://x.org",
    "Decision rationale:",
    "MAXIMUS guideline:",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=40))
def test_random_guideline_text_is_well_formed(words: list[str]) -> None:
    text = " ".join(words)
    for citations in (parse_citations(text), find_citations(text)):
        for c in citations:
            assert text[c["start"] : c["end"]] == c["text"]
            assert c["start"] < c["end"]
            assert c["pages"] == sorted(set(c["pages"]))


def test_outside_of_the_mtus_is_a_mention_but_not_a_guideline_citation() -> None:
    text = "The Claims Administrator based their decision on recommendation(s) outside of the MTUS Guidelines."
    found = find_citations(text)
    assert [text[c["start"]:c["end"]] for c in found] == ["MTUS Guidelines"]
    assert parse_citations(text) == []
