"""Direct tests of imr_nlp.output on hand-built docs: what each part of the record holds."""

from __future__ import annotations

import jsonschema
import pytest

from imr_nlp.extensions import LOOKS_LIKE_LETTER_KEY
from imr_nlp.inputs import looks_like_letter
from imr_nlp.output import NOT_A_LETTER, entity_record, letter_warnings, schema, to_dict

LETTER = "Independent Medical Review\nIMR Case Number: CM16-0000001\nThe request is upheld."
NOT_LETTER = "Quarterly facilities meeting, notes\nParking lot resurfacing in May."


@pytest.mark.parametrize(
    "text, found, expected",
    [
        (LETTER, None, []),
        (LETTER, ["w"], ["w"]),
        (NOT_LETTER, None, [NOT_A_LETTER]),
        (NOT_LETTER, ["w", NOT_A_LETTER], [NOT_A_LETTER, "w"]),  # first, once
        ("", ["w"], [NOT_A_LETTER, "w"]),
        ("IMR decision rationale only", [], []),  # two weak markers are enough
    ],
)
def test_letter_warnings(nlp, text, found, expected):
    doc = nlp.make_doc(text)
    doc._.imr_warnings = found
    assert letter_warnings(doc) == expected


@pytest.mark.parametrize("text", [LETTER, NOT_LETTER, ""])
def test_letter_warnings_read_what_the_section_finder_found(nlp, text):
    """The pipeline tells whether the text looks like a letter (so the record need not
    rebuild doc.text); the answer is the text's, and the output reads it."""
    doc = nlp(text)
    looks = doc.user_data[LOOKS_LIKE_LETTER_KEY]
    assert looks is looks_like_letter(text)
    assert (NOT_A_LETTER in letter_warnings(doc)) is not looks
    doc.user_data[LOOKS_LIKE_LETTER_KEY] = not looks  # the stored answer is the one used
    assert (NOT_A_LETTER in letter_warnings(doc)) is looks


def test_to_dict_of_a_bare_doc_has_every_key(nlp):
    """A doc no component ran on: every key present, null or [] (plus the not-a-letter warning)."""
    doc = nlp.make_doc(NOT_LETTER)
    record = to_dict(doc)
    assert record == {
        "id": "", "case_number": None, "decision_date": None, "date_assigned": None,
        "application_received": None, "priority": None, "patient": {"age": None, "sex": None},
        "date_of_injury": None, "ur_decision_date": None, "reviewer": {"specialties": [], "licensure": []},
        "entities": [], "diagnoses": [], "items": [], "warnings": [NOT_A_LETTER],
    }
    jsonschema.Draft202012Validator(schema()).validate(record)
    assert to_dict(doc, id="x", path="in/x.txt")["id"] == "x"
    assert to_dict(doc, path="in/x.txt")["path"] == "in/x.txt"
    assert "path" not in record


def test_to_dict_copies_the_doc_attributes(nlp):
    doc = nlp.make_doc(LETTER)
    doc._.case_number = "CM16-0000001"
    doc._.decision_date = "2016-11-02"
    doc._.priority = "Expedited"
    doc._.patient = {"age": 48, "sex": "male", "other": "dropped"}
    doc._.reviewer = {"specialties": ("Internal Medicine",), "licensure": None}
    doc._.diagnoses = [{"text": "lumbago", "start": 0, "end": 7, "icd10cm": None}]
    request = {"start": 0, "end": 5, "text": "Norco"}
    doc._.items = [{"request": request, "outcome": "upheld"}, {"request": request, "outcome": "x", "reasons": None}]
    record = to_dict(doc)
    assert record["id"] == "CM16-0000001"  # defaults to the case number
    assert (record["decision_date"], record["priority"]) == ("2016-11-02", "Expedited")
    assert record["patient"] == {"age": 48, "sex": "male"}
    assert record["reviewer"] == {"specialties": ["Internal Medicine"], "licensure": []}
    assert record["diagnoses"] == [{"text": "lumbago", "start": 0, "end": 7, "icd10cm": None}]
    assert record["diagnoses"][0] is not doc._.diagnoses[0]  # a copy
    # reasons always present
    assert record["items"] == [{"request": request, "outcome": "upheld", "reasons": []},
                               {"request": request, "outcome": "x", "reasons": []}]
    assert record["warnings"] == []


@pytest.mark.parametrize(
    "start, end, label, values",
    [
        (8, 18, "DATE", {"iso": "2013-03-25"}),
        (23, 27, "DIAGNOSIS", {"icd10cm": {"code": "R52", "description": "Pain, unspecified"}}),
    ],
)
def test_entity_record_is_the_span_and_its_normalized_values(nlp, start, end, label, values):
    text = "Seen on 03/25/2013 for pain."
    doc = nlp.make_doc(text)
    span = doc.char_span(start, end, label=label)
    expected = {"label": label, "start": start, "end": end, "text": text[start:end], **values}
    assert entity_record(span) == expected
    doc.ents = [span]
    assert to_dict(doc)["entities"] == [expected]
