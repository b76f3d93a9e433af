"""The citation finder's pre-scan (a case-sensitive pass over the lower-cased letter that
says where a guideline name or "Decision based on" may start) must find every match the
case-insensitive patterns find, in mixed case, with PDF noise and with characters that
lower-case to something else."""

from __future__ import annotations

import re

import pytest

from imr_nlp.normalize import citations
from imr_nlp.normalize.citations import _lowered, _Scan, _scans

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
