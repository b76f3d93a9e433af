"""Pre-scans must find every match the patterns find. The citation finder's (a
case-sensitive pass over the lower-cased letter saying where a guideline name or "Decision
based on" may start): in mixed case, with PDF noise and with characters that lower-case to
something else. The date finder's (one pass for the digit-led shapes, one for the
month-led): every date its patterns find, one pass each, in numbers glued to words,
ratios, ranges and line breaks."""

from __future__ import annotations

import re

import pytest

from imr_nlp.normalize import citations, dates
from imr_nlp.normalize.citations import _Scan, _scans
from imr_nlp.resources import caseless_copy as _lowered

TEXTS = [
    "MTUS Chronic Pain Medical Treatment Guidelines, page 78.",
    "per the ca mtus and the CALIFORNIA CHRONIC PAIN MEDICAL TREATMENT GUIDE-\nLINES (mtus) 2016",
    "mTuS is not MTUS; xMTUS-ODG Non-MTUS ODG/ACOEM acoem/mtus 3rd  Edition\n\nACOEM",
    "Official  Disability\nGuidelines (ODG) Pain chapter; American College of Occupational &\n"
    "Environmental Medicine (ACOEM) Guidelines, Low\n   Back Complaints Guidelines",
    "DECISION BASED ON MTUS. Decision\nbased on ODG. The reviewer based his / her decision on the ACOEM",
    "ODG at the start, post surgical treatment Guide- lines, Eye 2016 Guidelines, cpmtg guideline",
    # characters whose lower case has another length or that re.IGNORECASE folds onto ASCII
    "\u0130 MTUS \u017fhoulder Complaints Guidelines, Chronic Pain Medical Treatment Guidelines",
    "\u0131 \u212aNEE COMPLAINTS GUIDELINES \u2013 ODG \u00e9t\u00e9 Opioids Guidelines",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("name", ["lead", "head"])
def test_the_prescan_finds_what_the_pattern_finds(text, name):
    scan = _scans()[name]
    assert scan.prescan is not None  # built from the vocabulary, not given up on
    for pos, endpos in [(0, len(text)), (3, len(text) - 5)]:
        want = [m.span() for m in scan.pattern.finditer(text, pos, endpos)]
        got = [m.span() for m in scan.finditer(text, pos, endpos, scan.starts(_lowered(text)))]
        assert got == want


GRAM_TEXTS = [
    *TEXTS,
    # whitespace runs of every kind inside a name ("CA  MTUS", a no-break space, a line break)
    "CA  MTUS; ca\u00a0mtus, CA\n\t MTUS and ca\u2003\u2003mtus, Ca\x1cMTUS; 3rd\u00a0edition acoem",
    "mtus",  # a match at the very start and end of the text
    "x-mtus _mtus 9mtus (mtus) /mtus \u00e9mtus \u2013mtus decision\u00a0based on; based on odg",
    "MTUS Chronic Pain Medical Treatment Guidelines, and Opioids, and Low Back Complaints; ACOEM Chapter 12,"
    " and xKnee Complaints, and 2nd  Edition, and Eye 2016, and Shoulder\n Complaints, what? and Knee Complaints and Eye",
]


@pytest.mark.parametrize("text", GRAM_TEXTS)
@pytest.mark.parametrize("name", ["lead", "head"])
def test_the_vectorised_filter_keeps_every_start_of_the_prescan(text, name):
    # the starts come from the pre-scan regex tried where the numpy filter says a prefix
    # can start: they must be the ones the regex finds scanning the whole text
    scan = _scans()[name]
    assert scan.gram_filter is not None
    low = _lowered(text)
    if low is None:  # scanned without pre-scan (test above)
        return
    want = scan.scanned_starts(low)
    assert want != [0] or text == "mtus"  # the text holds starts
    assert scan.starts(low) == want


@pytest.mark.parametrize("text", GRAM_TEXTS)
def test_the_documents_of_a_stretch_are_what_the_pattern_finds_there(text):
    # a guideline line's MTUS documents: the pre-scan run over that stretch only
    scan = _scans()["doc"]
    assert scan.prescan is not None
    for pos, endpos in [(0, len(text)), (1, len(text) - 1), (5, len(text) // 2), (len(text) // 3, len(text))]:
        want = [m.span() for m in scan.pattern.finditer(text, pos, endpos)]
        got = [m.span() for m in scan.finditer(text, pos, endpos, scan.starts_within(text, pos, endpos))]
        assert got == want


REGION_TEXTS = [
    "Decision based on MTUS, page 9.\n \nThe patient, which is part of the MTUS. Decision rationale: x",
    "Decision based on ODG.\n\n\tNext. The\nClaims Administrator guideline: y,\twhich  is not a part of\n",
    "MAXIMUS GUIDELINE: a.  \r\n  \r\nb. the claims administrator based its decision on\nthe\u00a0physician"
    " reviewer guideline: c.\n\u00a0\nd. Expert Reviewer guideline:",
]


@pytest.mark.parametrize("text", REGION_TEXTS + GRAM_TEXTS)
def test_the_end_of_a_guideline_line_is_what_the_pattern_searches(text):
    scan = _scans()["region_end"]
    assert scan.prescan is not None
    low = _lowered(text)
    for pos in range(len(text) + 1):
        want = scan.pattern.search(text, pos)
        got = scan.search(text, low, pos)
        assert (got and got.span()) == (want and want.span()), pos
    assert text not in REGION_TEXTS or scan.pattern.search(text)


def test_a_search_tries_every_candidate_after_one_that_fails():
    # the candidate at "abcd" fails (no X), the next one, a character later, matches
    scan = _Scan(re.compile(r"abcdX|bcdeY", re.I))
    text = "ABCD abcdeY ABCDX"
    for pos in range(len(text) + 1):
        want = scan.pattern.search(text, pos)
        got = scan.search(text, _lowered(text), pos)
        assert (got and got.span()) == (want and want.span()), pos
    assert scan.pattern.search(text).span() == (6, 11)


def test_texts_that_do_not_lower_case_in_place_are_scanned_without_prescan():
    assert _lowered("\u0130 MTUS") is None  # two characters in lower case
    assert _lowered("\u017fhoulder") is None  # re.IGNORECASE reads it as "s"
    assert _lowered("ODG \u2013 \u00c9t\u00e9") == "odg \u2013 \u00e9t\u00e9"
    (found,) = citations.find_citations("\u017f MTUS Guidelines, page 8.")
    assert (found["text"], found["pages"]) == ("MTUS Guidelines, page 8", [8])


def test_a_pattern_whose_start_cannot_be_listed_is_scanned_in_full():
    scan = _Scan(re.compile(r"\w+\s*Guidelines", re.I))
    assert scan.prescan is None and scan.starts("x") is None
    text = "ODG Guidelines and acoem guidelines"
    assert [m.group(0) for m in scan.finditer(text, 0, len(text), None)] == ["ODG Guidelines", "acoem guidelines"]


def test_a_repeated_group_keeps_every_start():
    scan = _Scan(re.compile(r"(?:ab)*c|x(?:yz){2,}", re.I))
    text = "ABABC xyzyz abc C XYZYZYZ"
    want = [m.span() for m in scan.pattern.finditer(text)]
    assert [m.span() for m in scan.finditer(text, 0, len(text), scan.starts(_lowered(text)))] == want


DATE_TEXTS = [
    "DOI 06/15/2004; 7/3/95, 10-25-2016 and 10-13-16 on 07.03.2014 (v1.2.2014) 2016-11-03 2016/11/03",
    "August 30, 2013; Aug 30 2013, Sept. 5, 2014 August 30th, 2013, 30 August 2013 the 30th of August, 2013",
    "October 2012, Oct. 2012 October of 2012 10/2012 may 2012 MARCH 2013 x10/25/2016 10/325 5/10/20166",
    "a/1/2/2015 +3/4/2015 -3/4/2015 .3/4/2015 12/\n 31/2015 12/31/\n2015 3rd December, 2014 1ST\nMAY 2015",
    "31 \u017feptember 2014, \u0661\u0662/01/2015, 9/9/1999/1 2/29/2016 2/30/2016 DecemberDecember 2014 Dec.\n2015",
]


def _dates_one_pass_each(text):
    found = []
    for kind, pattern in dates._FIND_PATTERNS:
        for m in pattern.finditer(text):
            parsed = dates._build(kind, m) if dates._month_word_ok(m) else None
            if parsed is not None:
                found.append((m.start(), m.end(), parsed))
    found.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    kept, last_end = [], -1
    for start, end, parsed in found:
        if start >= last_end:
            kept.append((start, end, parsed))
            last_end = end
    return kept


@pytest.mark.parametrize("text", DATE_TEXTS)
def test_the_date_prescans_find_every_date(text):
    want = _dates_one_pass_each(text)
    assert want  # the text holds dates
    assert dates.find_dates(text) == want


def test_a_name_with_a_letter_outside_ascii_is_found_in_every_case_form():
    # re.IGNORECASE matches "\u00b5" (micro sign) with "\u03bc" (Greek mu); str.lower() does not
    scan = _Scan(re.compile(r"(?<![A-Za-z\-])\u03bcTUS Guidelines", re.I), not_after=r"a-z\-")
    text = "per \u00b5TUS guidelines and \u039cTUS GUIDELINES"
    want = [m.span() for m in scan.pattern.finditer(text)]
    assert len(want) == 2
    assert [m.span() for m in scan.finditer(text, 0, len(text), scan.starts(_lowered(text)))] == want


def _fuzz_texts(count=400, length=30, seed=7):
    import random

    rng = random.Random(seed)
    pieces = [*"0123456789/-.,+_ \n\tstndrhSTNDRHxXADFJMNOSaeupcoylbgvi", "\u0661", "\u00a0", "\u0130", "\u017f",
              "Jan", "SEPT", "may", "Dec.", "21st", "3rd ", "of ", "2016", "12/31/"]
    return ["".join(rng.choice(pieces) for _ in range(length)) for _ in range(count)]


def test_the_date_prescans_start_where_a_pass_of_each_regex_starts():
    # the numpy filter (a character that can start, one before the look-behind allows, one
    # after that can follow) then the regex at each candidate: the same starts as a pass of
    # each pre-scan regex over the whole text
    texts = [*DATE_TEXTS, *_fuzz_texts(), "1", "12", "Ma", "May", " 1 ", "\u0661 "]
    found = [0, 0]
    for text in texts:
        assert dates._starts(text) == dates._scanned_starts(text), text
        digit_led, month_led = dates._scanned_starts(text)
        found[0] += len(digit_led)
        found[1] += len(month_led)
    assert min(found) > 50  # the texts exercise both
