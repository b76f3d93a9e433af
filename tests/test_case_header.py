"""Case header fields of 2015+ letters (SPEC §4c): date_assigned, application_received, priority.

Checked on every 2015+ sample letter (the 70 letters of 2016-2017 and the 50 of batch 2)
against values read from the letter's own text with simple label patterns, and by order
(an application is received before the case is assigned, and both before the decision)."""

from __future__ import annotations

import re

import pytest
from conftest import HANDWRITTEN, LETTERS_2016, SAMPLES, SEEDS, read

from imr_nlp.letter_attributes import letter_attributes

LETTERS_BATCH2 = sorted((SAMPLES / "2016-2017-batch2" / "txt").glob("*.txt"))
LETTERS_2015_PLUS = LETTERS_2016 + LETTERS_BATCH2
DATE = r"(\d{1,2})/(\d{1,2})/(\d{4})"


def own_value(text: str, label: str) -> str | None:
    """The first date after a header label, possibly on a later line ("Received: \\n11/03/2016")."""
    match = re.search(label + r"\s*:\s*(?:[A-Za-z ]*\s*)?(?:Received\s*:\s*)?" + DATE, text[:1500])
    if not match:
        return None
    month, day, year = match.group(1, 2, 3)
    return f"{year}-{int(month):02d}-{int(day):02d}"


def test_there_are_120_letters_of_the_2015_template():
    assert len(LETTERS_2015_PLUS) == 120


@pytest.mark.parametrize("path", LETTERS_2015_PLUS, ids=lambda p: p.stem)
def test_header_fields_of_every_2015_letter(path):
    text = read(path)
    attrs = letter_attributes(text)
    assert attrs["date_assigned"] == own_value(text, r"Date\s+Assigned")
    assert attrs["application_received"] == own_value(text, r"Application\s+Received")
    priority = re.search(r"Priority\s*:\s*(\w+)", text).group(1)
    assert attrs["priority"] == priority.capitalize()
    assert attrs["priority"] in ("Standard", "Expedited")
    assert attrs["application_received"] <= attrs["date_assigned"] <= attrs["decision_date"]


@pytest.mark.parametrize("path", SEEDS + sorted(HANDWRITTEN.glob("2013_early*.txt")), ids=lambda p: p.stem)
def test_letters_without_these_header_labels_have_null_header_fields(path):
    attrs = letter_attributes(read(path))
    assert (attrs["date_assigned"], attrs["application_received"], attrs["priority"]) == (None, None, None)


def test_2013_header_has_priority_and_received_but_no_date_assigned():
    attrs = letter_attributes(read(HANDWRITTEN / "2013_numbered_items.txt"))
    assert (attrs["date_assigned"], attrs["application_received"], attrs["priority"]) == (None, "2013-09-30", "Standard")


def test_expedited_priority_and_values_on_the_next_line():
    text = (
        "Case Number: CM15-0123456 \nDate Assigned: Date of Injury: \n07/02/2015 01/05/2012 \n"
        "Decision Date: 07/20/2015 UR Denial Date: 06/11/2015 \nPriority: EXPEDITED Application \n"
        "Received: \n06/30/2015 \n\nHOW THE IMR FINAL DETERMINATION WAS MADE\n"
    )
    attrs = letter_attributes(text)
    assert attrs["priority"] == "Expedited"
    assert attrs["date_assigned"] == "2015-07-02"
    assert attrs["date_of_injury"] == "2012-01-05"
    assert attrs["application_received"] == "2015-06-30"
