"""Table tests over the 70 real letters of 2016-2017 (and the seeds): counts, outcomes,
case header, schema validity and offsets, each checked against the letter's own text."""

from __future__ import annotations

import re

import jsonschema
import pytest
from conftest import LETTERS_2016, SEEDS, read

from imr_nlp.output import schema, to_dict

ALL_LETTERS = SEEDS + LETTERS_2016


@pytest.fixture(scope="module")
def parsed(nlp):
    texts = [read(p) for p in ALL_LETTERS]
    return {
        path.stem: (text, to_dict(doc, id=path.stem))
        for path, text, doc in zip(ALL_LETTERS, texts, nlp.pipe(texts))
    }


def own_outcomes(text: str) -> list[str]:
    """Outcome words as the letter prints them: the word ending a header line, in order."""
    decisions = text[re.search(r"IMR ISSUES, DECISIONS AND RATIONALES", text).end():]
    return [m.group(1).lower() for m in re.finditer(r"\b(Upheld|Overturned)[ \t]*$", decisions, re.M)]


def header_value(text: str, label: str) -> str | None:
    match = re.search(label + r":\s*(\S+)", text)
    return match.group(1) if match else None


def iso(us_date: str) -> str:
    month, day, year = us_date.split("/")
    return f"{year}-{int(month):02d}-{int(day):02d}"


@pytest.mark.parametrize("path", ALL_LETTERS, ids=lambda p: p.stem)
def test_items_match_the_letters_own_count_and_outcomes(parsed, path):
    text, record = parsed[path.stem]
    assert len(record["items"]) == len(re.findall(r"Decision rationale:", text))
    assert [item["outcome"] for item in record["items"]] == own_outcomes(text)
    assert record["warnings"] == []


@pytest.mark.parametrize("path", LETTERS_2016, ids=lambda p: p.stem)
def test_case_header(parsed, path):
    text, record = parsed[path.stem]
    assert record["case_number"] == path.stem == header_value(text, "Case Number")
    assert record["decision_date"] == iso(header_value(text, "Decision Date"))
    assert record["date_of_injury"] == iso(header_value(text, "Date of Injury"))
    assert record["ur_decision_date"] == iso(header_value(text, "UR Denial Date"))
    assert record["reviewer"]["licensure"], "State(s) of Licensure"
    assert record["reviewer"]["specialties"], "Certification(s)/Specialty"
    assert isinstance(record["patient"]["age"], int)


def spans_of(record):
    """Every span-like dict in a record (items, guidelines, citations, entities)."""
    stack = [record]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if {"start", "end", "text"} <= value.keys():
                yield value
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


@pytest.mark.parametrize("path", ALL_LETTERS, ids=lambda p: p.stem)
def test_output_validates_and_offsets_index_the_original_text(parsed, path):
    text, record = parsed[path.stem]
    jsonschema.validate(record, schema())
    spans = list(spans_of(record))
    assert spans
    for span in spans:
        assert 0 <= span["start"] <= span["end"] <= len(text)
        assert text[span["start"]:span["end"]] == span["text"]
        assert span["text"] == span["text"].strip()


def test_partially_certified_requests(parsed):
    text, record = parsed["CM16-0239190"]
    (item,) = record["items"]
    assert item["request"]["text"] == "Occupational therapy for six sessions"
    assert item["original_request"]["text"] == "Occupational therapy for nine sessions"
    assert " ".join(item["ur_authorized"]["text"].split()) == "Occupational therapy for three sessions"
    partial = [it for _, rec in parsed.values() for it in rec["items"] if it["original_request"]]
    # every header that restates the original request is split; the others are not
    restated = sum(
        len(re.findall(r"was\s+the\s+original\s+request", t[t.find("IMR ISSUES, DECISIONS"):]))
        for t, _ in parsed.values()
    )
    assert len(partial) == restated
    for it in partial:
        assert "original request" not in it["request"]["text"]
        # the request runs to the outcome: only "is" and the colon may follow it
        text = next(t for t, rec in parsed.values() if it in rec["items"])
        assert re.match(r"\s*(?:is)?\s*:", text[it["request"]["end"]:])
        assert it["ur_authorized"] is not None
