"""Tables of date spellings from IMR letters (numeric, written-out, PDF-wrapped)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imr_nlp.normalize.dates import DATE_REGEX, find_dates, parse_date

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "letters"


def day(iso: str) -> dict:
    return {"iso": iso, "precision": "day"}


def month(iso: str) -> dict:
    return {"iso": iso, "precision": "month"}


PARSE_CASES = [
    ("06/15/2004", day("2004-06-15")),
    ("7/3/95", day("1995-07-03")),
    ("11/13/14", day("2014-11-13")),
    ("01/05/00", day("2000-01-05")),
    ("3/9/29", day("2029-03-09")),
    ("3/9/30", day("1930-03-09")),
    ("10-25-2016", day("2016-10-25")),
    ("10-13-16", day("2016-10-13")),
    ("1-3-17", day("2017-01-03")),
    ("12-6-16", day("2016-12-06")),
    ("07.03.2014", day("2014-07-03")),
    ("2016-11-03", day("2016-11-03")),
    ("2016/11/03", day("2016-11-03")),
    ("August 30, 2013", day("2013-08-30")),
    ("Aug 30 2013", day("2013-08-30")),
    ("Aug. 30, 2013", day("2013-08-30")),
    ("Sept. 5, 2014", day("2014-09-05")),
    ("Sep 5, 2014", day("2014-09-05")),
    ("November 04, 2016", day("2016-11-04")),
    ("August 30th, 2013", day("2013-08-30")),
    ("January 1st 2015", day("2015-01-01")),
    ("30 August 2013", day("2013-08-30")),
    ("3rd of July, 2014", day("2014-07-03")),
    ("AUGUST 30, 2013", day("2013-08-30")),
    ("august 30, 2013", day("2013-08-30")),
    ("August 30 , 2013", day("2013-08-30")),
    ("August 30,2013", day("2013-08-30")),
    ("February 29, 2016", day("2016-02-29")),
    ("October 2012", month("2012-10")),
    ("Oct. 2012", month("2012-10")),
    ("October, 2012", month("2012-10")),
    ("October of 2012", month("2012-10")),
    ("May 2014", month("2014-05")),
    ("10/2012", month("2012-10")),
    ("1/2014", month("2014-01")),
    ("10-2012", month("2012-10")),
    # PDF line breaks and surrounding noise
    ("August\n30, 2013", day("2013-08-30")),
    ("October 13, \n2016", day("2016-10-13")),
    ("December \n19, 2016", day("2016-12-19")),
    ("February \n2017", month("2017-02")),
    ("10/25/\n2016", day("2016-10-25")),
    ("12-\n07-2016", day("2016-12-07")),
    ("  10/25/2016.  ", day("2016-10-25")),
    ("10/25/2016,", day("2016-10-25")),
]

INVALID = [
    "13/45/2014",
    "02/30/2016",
    "February 30, 2015",
    "February 29, 2015",
    "September 31, 2016",
    "13/2012",
    "0/12/2016",
    "2012",
    "in 2012",
    "August",
    "Aug. 30",
    "10/325",
    "6/10",
    "4+/5",
    "5/5",
    "47-8",
    "74-96",
    "1-2",
    "729.1",
    "21.0.1",
    "1.5.10",
    "10/25/1816",
    "10/25/2116",
    "CM16-0213037",
    "June 20216",
    "",
    "10/25/2016 and 10/26/2016",
]


@pytest.mark.parametrize(("text", "expected"), PARSE_CASES)
def test_parse_date(text: str, expected: dict) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", INVALID)
def test_parse_date_rejects(text: str) -> None:
    assert parse_date(text) is None


FIND_CASES = [
    # (text, [(matched text, iso), ...])
    (
        "The injured worker is a 43 year old male who reported an injury on 05/31/2012.",
        [("05/31/2012", "2012-05-31")],
    ),
    (
        "Pain was rated 6/10 and strength 4+/5 on 12-6-16; Norco 10/325mg was continued.",
        [("12-6-16", "2016-12-06")],
    ),
    (
        "(DOS 12/29/16) and the progress report dated October 13, \n2016 noted",
        [("12/29/16", "2016-12-29"), ("October 13, \n2016", "2016-10-13")],
    ),
    (
        "Case Number: CM16-0213037 Date Assigned: 12/22/2016",
        [("12/22/2016", "2016-12-22")],
    ),
    (
        "surgery in May 2014; pain may 2 days later improve; treatment may\n2014 continue",
        [("May 2014", "2014-05")],
    ),
    (
        "MTUS ACOEM Chapter 3, Page(s): 47-8 and pages 74-96, grade 5/5, BP 140/90",
        [],
    ),
    (
        "seen 12-16-2016 to 12-20-2016 (11-19-16).",
        [("12-16-2016", "2016-12-16"), ("12-20-2016", "2016-12-20"), ("11-19-16", "2016-11-19")],
    ),
    (
        "The UR dated 1-8-17 denied it; the 13/45/2014 entry is garbled.",
        [("1-8-17", "2017-01-08")],
    ),
    ("since August\n30, 2013 and again on 30 August 2014", [
        ("August\n30, 2013", "2013-08-30"), ("30 August 2014", "2014-08-30")]),
    ("injured in October 2012 and then 10/2013", [
        ("October 2012", "2012-10"), ("10/2013", "2013-10")]),
    ("ICD9 729.1 version 21.0.1 and L4-5 and C5-6-7", []),
]


@pytest.mark.parametrize(("text", "expected"), FIND_CASES)
def test_find_dates(text: str, expected: list[tuple[str, str]]) -> None:
    found = find_dates(text)
    assert [(text[s:e], d["iso"]) for s, e, d in found] == expected


def test_find_dates_offsets_are_exact() -> None:
    text = "Date of injury:\n  07/03/1995  UR decision: March 28, 2014."
    found = find_dates(text)
    assert [(s, e) for s, e, _ in found] == [
        (text.index("07/03"), text.index("07/03") + 10),
        (text.index("March"), text.index("2014.") + 4),
    ]


def test_date_regex_finds_candidates() -> None:
    text = "on 10/25/2016 and August 30, 2013 and October 2012"
    assert [m.group(0) for m in DATE_REGEX.finditer(text)] == [
        "10/25/2016", "August 30, 2013", "October 2012"]


_FORMATS = [
    lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",
    lambda d: f"{d.month}/{d.day}/{d.year % 100:02d}",
    lambda d: f"{d.month}-{d.day}-{d.year}",
    lambda d: d.strftime("%B %d, %Y"),
    lambda d: d.strftime("%b %d %Y"),
    lambda d: d.strftime("%d %B %Y"),
    lambda d: d.isoformat(),
]


@given(
    st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2029, 12, 31)),
    st.sampled_from(_FORMATS),
)
def test_round_trip(date: dt.date, fmt) -> None:
    text = fmt(date)
    assert parse_date(text) == day(date.isoformat())
    wrapped = f"seen on {text}, 6/10 pain"
    assert [d["iso"] for _, _, d in find_dates(wrapped)] == [date.isoformat()]


def _sample_texts() -> list[str]:
    return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SAMPLES.rglob("*.txt"))]


@pytest.mark.skipif(not SAMPLES.exists(), reason="sample letters not present")
def test_every_full_numeric_date_in_samples_is_found() -> None:
    """Every mm/dd/yyyy in real letters is found, with the same text."""
    texts = _sample_texts()
    assert texts
    for text in texts:
        found = {(s, e) for s, e, _ in find_dates(text)}
        for m in re.finditer(r"(?<![\w/-])\d{1,2}/\d{1,2}/\d{4}(?![\w/])", text):
            assert (m.start(), m.end()) in found, m.group(0)
