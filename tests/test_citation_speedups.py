"""The citation and date finders' fast paths give what the plain code they replace gives:
each test runs the reference (the regexes the module used before) on texts made to hit
the edge cases (whitespace of every kind, separators, page labels glued to words)."""

from __future__ import annotations

import random
import re

import pytest

from imr_nlp.normalize import citations

_PIECES = [
    *" \t\n\r\u00a0\u2003\x1c,.;:/-\u2013&()", "p", "P", "Page", "page(s)", "Pages", "pg.", "pgs", "pp.", "p.",
    "xpage", "9", "12", "47-8", "and", "Chronic Pain", "\u017f", "\u212a", "K", "s", "(s)", "Opioids",
]


def _fuzz(count: int = 1500, length: int = 12, seed: int = 14) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, length))) for _ in range(count)]


TEXTS = [*_fuzz(), "", " ", ". ", "Page(s): 76-80.  ", "pages 29, 63-5, 124.", "xpage 5 Page 6", "(Opioids)"]


def _reference_clean(s):
    if s is None:
        return None
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"^[\s,.;:/\-\u2013]+", "", s)
    s = re.sub(r"[\s,;:/\-\u2013]+$", "", s)
    s = re.sub(r"\.$", "", s).strip()
    if s.startswith("(") and s.endswith(")") and s.count("(") == 1:
        s = s[1:-1].strip()
    return s or None


def test_clean_strips_as_the_regexes_did():
    for text in [*TEXTS, None]:
        assert citations._clean(text) == _reference_clean(text), repr(text)


def test_a_trailing_run_of_space_and_punctuation_is_what_the_regex_removes():
    for text in TEXTS:
        assert citations._rstrip_space_and(text, ".,;") == re.sub(r"[\s.,;]+$", "", text), repr(text)


def test_the_page_label_read_from_its_p_finds_what_the_look_behind_pattern_finds():
    reference = re.compile(
        rf"(?<![A-Za-z]){citations._PAGE_LABEL}\s*:?\s*(?P<pages>{citations._PAGE_LIST})", re.IGNORECASE
    )
    found = 0
    for text in TEXTS:
        want = [(m.span(), m.group("pages")) for m in reference.finditer(text)]
        assert [(m.span(), m.group("pages")) for m in citations._PAGES_IN_BODY.finditer(text)] == want, repr(text)
        found += len(want)
    assert found > 50  # the texts hold page lists


@pytest.mark.parametrize("alias", ["Chronic Pain Medical Treatment Guidelines", "low back-\ncomplaints", "A & B"])
def test_the_key_is_lower_case_without_space_or_hyphen(alias):
    assert citations._key(alias) == re.sub(r"[\s\-]+", "", alias.lower().replace("&", "and"))
