"""Direct tests of imr_nlp.batch: record status, the letter record of an input, error records."""

from __future__ import annotations

import pytest

from imr_nlp.batch import failed_record, letter_record, record_status
from imr_nlp.inputs import LetterInput
from imr_nlp.output import NOT_A_LETTER, to_dict

NOTES = "Quarterly facilities meeting, notes\nParking lot resurfacing in May."


@pytest.mark.parametrize(
    "record, status",
    [
        ({"id": "a", "path": "a", "error": "empty file", "warnings": []}, "failed"),
        ({"id": "a", "path": "a", "error": "x", "warnings": ["w"]}, "failed"),
        ({"id": "a", "warnings": ["w"], "items": []}, "warned"),
        ({"id": "a", "warnings": [], "items": []}, "ok"),
    ],
)
def test_record_status(record, status):
    assert record_status(record) == status


def test_letter_record_is_to_dict_with_the_reader_warnings_first(nlp):
    doc = nlp.make_doc(NOTES)
    doc._.imr_warnings = ["component warning", "read warning"]
    inp = LetterInput("notes", "in/notes.txt", NOTES, ["read warning"])
    record = letter_record(doc, inp)
    assert record == {**to_dict(doc, id="notes", path="in/notes.txt"),
                      "warnings": ["read warning", NOT_A_LETTER, "component warning"]}


def test_letter_record_shifts_offsets_of_one_letter_of_several(nlp):
    text = "Seen on 03/25/2013 for pain."
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(8, 18, label="DATE")]
    doc._.items = [{"request": {"start": 0, "end": 4, "text": "Seen"}, "outcome": "upheld",
                    "reasons": [{"reason": "other", "start": 5, "end": 7}]}]
    doc._.diagnoses = [{"text": "pain", "start": 23, "end": 27, "icd10cm": None}]
    inp = LetterInput("f", "f.txt", text, [], offset=100)
    record = letter_record(doc, inp)
    assert [(e["start"], e["end"]) for e in record["entities"]] == [(108, 118)]
    item = record["items"][0]
    assert (item["request"]["start"], item["request"]["end"]) == (100, 104)
    assert (item["reasons"][0]["start"], item["reasons"][0]["end"]) == (105, 107)
    assert (record["diagnoses"][0]["start"], record["diagnoses"][0]["end"]) == (123, 127)


def test_failed_record_keeps_id_path_and_reader_warnings():
    inp = LetterInput("x", "in/x.pdf", "some text", ["pdf: 2 pages empty"])
    assert failed_record(inp, "pipeline failed: boom") == {
        "id": "x", "path": "in/x.pdf", "error": "pipeline failed: boom", "warnings": ["pdf: 2 pages empty"],
    }
