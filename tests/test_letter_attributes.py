"""The pure functions behind ``imr_letter_attributes``, on small inputs with exact results,
and the component's dependency on the sections ``imr_sections`` writes."""

from __future__ import annotations

import pytest
import spacy

import imr_nlp  # noqa: F401  (registers the factories)
from imr_nlp.letter_attributes import find_patient, find_reviewer, letter_attributes, parse_case_header
from imr_nlp.sections import Section


@pytest.mark.parametrize(
    ("head", "values"),
    [
        # value after its label, up to the next label on the same line
        (
            "Case Number: CM15-0123456   Date Assigned: 01/02/2015\n",
            {"case_number": "CM15-0123456", "date_assigned": "01/02/2015"},
        ),
        # a line of labels only: the values are on the next non-blank line, in order
        (
            "Date Assigned:  Date of Injury:\n\n01/02/2015  06/15/2004\n",
            {"date_assigned": "01/02/2015", "date_of_injury": "06/15/2004"},
        ),
        (
            "IMR Case Number:  Date of Injury:\nCM15-0123456      6/15/2004\n",
            {"case_number": "CM15-0123456", "date_of_injury": "6/15/2004"},
        ),
        # "Received:" inside "Application Received:" is not a second label
        ("Application Received: 01/05/2015\nPriority: Standard\n", {"application_received": "01/05/2015", "priority": "Standard"}),
        ("No header here.\n", {}),
    ],
)
def test_parse_case_header(head, values):
    assert parse_case_header(head) == values


@pytest.mark.parametrize(
    ("text", "patient"),
    [
        ("The patient is a 52 year old male.", {"age": 52, "sex": "male"}),
        ("a 43-year-old woman", {"age": 43, "sex": "female"}),
        ("a 65 year old, right-hand dominant female", {"age": 65, "sex": "female"}),
        ("The 38 year old was seen", {"age": 38, "sex": None}),
        # an impossible age is skipped, the next statement is taken
        ("150 year old male, later a 40 yr old", {"age": 40, "sex": None}),
        ("no age here", {"age": None, "sex": None}),
    ],
)
def test_find_patient(text, patient):
    assert find_patient(text) == patient


@pytest.mark.parametrize(
    ("text", "reviewer"),
    [
        (
            "Certification(s)/Specialty: Internal Medicine, Pain Medicine\n"
            "State(s) of Licensure: California, Texas and Ohio\n",
            {"specialties": ["Internal Medicine", "Pain Medicine"], "licensure": ["California", "Texas", "Ohio"]},
        ),
        (
            "The reviewer is Board Certified in Anesthesiology, has a subspecialty in Pain Medicine "
            "and is licensed to practice in California.",
            {"specialties": ["Anesthesiology", "Pain Medicine"], "licensure": ["California"]},
        ),
        ("No qualifications.", {"specialties": [], "licensure": []}),
    ],
)
def test_find_reviewer(text, reviewer):
    assert find_reviewer(text) == reviewer


@pytest.mark.parametrize(
    ("line", "priority"),
    [
        ("Priority: Expedited", "Expedited"),
        ("Priority: urgent review", "Expedited"),
        ("Priority: Standard", "Standard"),
        ("Priority: unknown", None),
    ],
)
def test_priority_from_the_case_header(line, priority):
    assert letter_attributes(f"Case Number: CM15-0123456\n{line}\n")["priority"] == priority


def test_dates_in_prose_are_iso():
    text = (
        "Case Number: CM15-0123456\nCLINICAL CASE SUMMARY\n"
        "She was injured on 06/15/2004. Utilization review dated 01/03/2014 denied the request.\n"
    )
    attributes = letter_attributes(text)
    assert {k: attributes[k] for k in ("case_number", "date_of_injury", "ur_decision_date", "decision_date")} == {
        "case_number": "CM15-0123456",
        "date_of_injury": "2004-06-15",
        "ur_decision_date": "2014-01-03",
        "decision_date": None,
    }


SUMMARY_LETTER = "A 70 year old woman wrote.\nCLINICAL CASE SUMMARY\nThe patient is a 52 year old male.\n"


@pytest.mark.parametrize(
    ("sections", "patient"),
    [
        (None, {"age": 52, "sex": "male"}),  # found in the text: the case summary is read first
        ((Section("case_summary", 27, len(SUMMARY_LETTER) - 1),), {"age": 52, "sex": "male"}),
        ((), {"age": 70, "sex": "female"}),  # no sections given: the whole letter is the narrative
        ((Section("case_summary", 0, 26),), {"age": 70, "sex": "female"}),
    ],
)
def test_the_sections_given_decide_the_narrative(sections, patient):
    assert letter_attributes(SUMMARY_LETTER, sections)["patient"] == patient


def test_component_reads_the_sections_from_the_doc():
    nlp = spacy.blank("en")
    nlp.add_pipe("imr_sections")
    nlp.add_pipe("imr_letter_attributes")
    assert nlp.get_pipe_meta("imr_letter_attributes").requires == ["doc.spans"]
    doc = nlp.make_doc(SUMMARY_LETTER)
    doc = nlp.get_pipe("imr_sections")(doc)
    # Another component changed the sections: the attributes follow the doc, not the text.
    doc.spans["sections"] = [doc.char_span(0, 26, label="case_summary")]
    doc = nlp.get_pipe("imr_letter_attributes")(doc)
    assert doc._.patient == {"age": 70, "sex": "female"}
    assert nlp(SUMMARY_LETTER)._.patient == {"age": 52, "sex": "male"}


def test_component_without_sections_is_an_error():
    nlp = spacy.blank("en")
    nlp.add_pipe("imr_letter_attributes")
    with pytest.raises(ValueError, match=r"imr_letter_attributes reads the letter's sections.*add imr_sections"):
        nlp(SUMMARY_LETTER)
