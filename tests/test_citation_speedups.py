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


def _date_texts(count: int = 1000, seed: int = 3) -> list[str]:
    # date-like pieces (every shape, mixed separators, glued to numbers, words, ratios)
    rng = random.Random(seed)

    def part(*choices: str) -> str:
        return rng.choice(choices)

    def piece() -> str:
        m, d, y = part("1", "12", "31", "007"), part("3", "30", "123"), part("2016", "16", "1999", "20161")
        sep = part("/", "-", ".", " ")
        sep2 = part(sep, sep, sep, "/")
        suffix, space, of, month = part("st", "th", "rd", ""), part(" ", "\n"), part("of ", ""), part("May", "Sept.", "aug")
        shape = part(
            f"{m}{sep}{d}{sep2}{y}", f"{y}{sep}{m}{sep}{d}", f"{d}{suffix}{space}{of}{month} {y}", f"{m}{sep}{y}", f"{m}.{d}.{y}"
        )
        return part("", " ", "x", "/", ".", "-", "+", "1", "\n", "\u0661") + shape + part("", " ", "/", "-1", ".5", "x")

    return ["".join(piece() for _ in range(6)) for _ in range(count)]


def test_each_date_pattern_is_tried_where_every_match_of_a_pass_over_the_text_starts():
    # find_dates tries each pattern only at the starts of its kind (_FIND_STARTS): a pass of
    # the pattern over the whole text must find nothing elsewhere
    from imr_nlp.normalize import dates

    tried = {kind: 0 for kind in dates._FIND_STARTS}
    for text in _date_texts():
        starts = dates._starts_by_kind(text)
        for (kind, pattern), where in zip(dates._FIND_PATTERNS, dates._FIND_STARTS):
            for m in pattern.finditer(text):
                assert m.start() in starts[where], (kind, where, text)
                tried[where] += 1
    assert min(tried.values()) > 5  # every kind of start holds matches


def test_find_dates_keeps_what_a_pass_of_each_pattern_keeps():
    # find_dates (pre-scans, each pattern tried at the starts of its kind):
    # the same dates as each pattern's own pass over the text with _month_word_ok and _build
    from imr_nlp.normalize import dates

    lower_case_months = 0
    for text in [*_date_texts(300), "3 may 2015, 30th of august, 2013 and 1 March 2016"]:
        found = []
        for kind, pattern in dates._FIND_PATTERNS:
            for m in pattern.finditer(text):
                lower_case_months += not dates._month_word_ok(m)
                parsed = dates._build(kind, m) if dates._month_word_ok(m) else None
                if parsed is not None:
                    found.append((m.start(), m.end(), parsed))
        found.sort(key=lambda c: (c[0], -(c[1] - c[0])))
        want, last_end = [], -1
        for start, end, parsed in found:
            if start >= last_end:
                want.append((start, end, parsed))
                last_end = end
        assert dates.find_dates(text) == want, text
    assert lower_case_months > 10
