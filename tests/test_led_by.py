"""resources.led_by builds a case-sensitive pattern that the regex engine scans fast; it
must match exactly what the plain case-insensitive pattern matches, at every position,
with the same groups (the alternatives' order decides between a short and a long one)."""

from __future__ import annotations

import re

import pytest

from imr_nlp.normalize.dates import MONTHS
from imr_nlp.resources import led_by

TEXTS = [
    "Sept. 5, 2014 SEPTEMBER 2014 sep 2014 Septembers xSept 5 _Jan 3 Mar. 2 may 2016 MAYBE",
    "\u017fept 2014 \u017eEPT \u0130mitrex \u0131mitrex Imitrex imitrex \u212aNEE knee Knee KNEE",
    "no refills, zero refills; Zero  refill NO REFILLS n0 refills w/o refills W/O  REFILLS",
    "every 4 hours, q4h, Q 6 HOURS, q.4 hours, every\n6-8 hours, each hour, hourly, HOURLY, 12 tabs",
    "",
]
MONTH_WORDS = sorted(MONTHS, key=len, reverse=True)
CASES = [
    (MONTH_WORDS, r"\.?\s*(?P<year>\d{4})", {"name": "mon"}),
    (MONTH_WORDS, r"(?![a-z])", {"name": "mon", "capitalized": True}),
    (["imitrex", "i", "knee", "k", "sept", "s"], "", {}),
    (["no", "zero", "without", "w/o"], r"\s+refills?\b", {}),
    (["refill"], "", {"not_after": None}),
    (["every", r"q\.?", "each"], r"\s*(?P<n>\d+)", {"not_after": r"[\w.]"}),
    # pairs: a set item leads some alternatives
    ([(r"\d", r"\d*"), "twelve", "twelfth", "tabs"], r"\b", {"name": "n"}),
]


def _reference(alternatives, rest, not_after=r"\w", name=None, capitalized=False):
    alts = "|".join(a if isinstance(a, str) else f"[{a[0]}]{a[1]}" for a in alternatives)
    alts = f"(?P<{name}>{alts})" if name else f"(?:{alts})"
    guard = f"(?<!{not_after})" if not_after else ""
    return re.compile(f"{guard}{alts}{rest}", re.IGNORECASE)


@pytest.mark.parametrize("alternatives,rest,options", CASES)
@pytest.mark.parametrize("text", TEXTS)
def test_led_by_matches_what_the_case_insensitive_pattern_matches(alternatives, rest, options, text):
    fast = re.compile(led_by(alternatives, rest, **options))
    plain = _reference(alternatives, rest, **options)
    for pos in range(len(text) + 1):
        want = plain.match(text, pos)
        if want is not None and options.get("capitalized") and not want.group(0)[0].isupper():
            want = None
        got = fast.match(text, pos)
        assert (got and (got.span(), got.groupdict())) == (want and (want.span(), want.groupdict())), pos
    if not options.get("capitalized"):
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_led_by_finds_something_in_each_case():
    # the cases above are not vacuous: every one matches somewhere in the texts
    for alternatives, rest, options in CASES:
        fast = re.compile(led_by(alternatives, rest, **options))
        assert any(fast.search(text) for text in TEXTS), alternatives


def test_led_by_lets_the_engine_skip_to_the_first_characters():
    # an alternation of literals (or a set) first: re scans for those characters in C
    for pattern in (led_by(MONTH_WORDS, capitalized=True, name="mon"), led_by(["refill"], not_after=None)):
        parsed = re._parser.parse(pattern) if hasattr(re, "_parser") else None
        if parsed is None:
            pytest.skip("Python without re._parser")
        op, av = parsed.data[0]
        while str(op) == "SUBPATTERN":
            op, av = av[-1].data[0]
        assert str(op) == "BRANCH" and all(str(branch.data[0][0]) == "LITERAL" for branch in av[1])
