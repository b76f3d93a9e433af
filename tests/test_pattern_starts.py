"""First characters of a pattern's matches, and the service-term matching built on them.

The service and body-region vocabularies are matched per first character on ASCII text
(normalize.services._all_matches); that must find exactly what scanning every term's whole
alternation finds, which the last tests check on request-like texts.
"""

from __future__ import annotations

import random
import re

import pytest
from conftest import LETTERS_2016, SEEDS, read

from imr_nlp.normalize import services
from imr_nlp.normalize.pattern_starts import caseless_source, caseless_twin, first_chars, led_variant
from imr_nlp.resources import letter_templates, packaged_data, using

CASES = [
    ("creams?", {"c"}),
    ("PT", {"p"}),
    (r"\d+(?:\.\d+)?\s*%", set("0123456789")),
    (r"(?:eye|ear)?\s*drops", {"e", "d", " ", "\t", "\n", "\r", "\f", "\v"}),
    (r"H-?\s*wave", {"h"}),
    (r"(?:PA|RN\s*FA)\s*assist", {"p", "r"}),
    ("(?-i:IF)(?=\\s*units?)", {"i"}),
    ("a{0,2}b", {"a", "b"}),
    ("a{2}b", {"a"}),
    ("a*?b", {"a", "b"}),
    ("[A-C]x|y", {"a", "b", "c", "y"}),
    (r"[\d,]x", set("0123456789,")),
    (r"\.5", {"."}),
    ("(?=a)a", {"a"}),  # anchors and look-arounds match no character: the next atom starts
    (r"\bDOI\b", {"d"}),
    (r"^[ \t]*Case", {" ", "\t", "c"}),
    (r"(?<![A-Za-z])(?:utilization|\bUR\b)", {"u"}),
    ("(knee|hip)s?", {"k", "h"}),
]

UNREADABLE = [
    "a?",  # may match the empty string
    "(?:a|)",
    "x|",
    ".x",  # any character
    "[^a]x",
    r"\wx",
    r"\b(?=a)",  # zero-width only
    "(?P<n>a)",
    "µg",  # non-ASCII
    "(a",  # unbalanced
]


@pytest.mark.parametrize(("pattern", "expected"), CASES)
def test_first_chars(pattern, expected):
    assert first_chars(pattern) == frozenset(expected)


@pytest.mark.parametrize("pattern", UNREADABLE)
def test_unreadable_patterns_give_none(pattern):
    assert first_chars(pattern) is None


def _vocabulary_patterns() -> list[str]:
    data = packaged_data()
    groups = data["services.json"]["terms"] + data["body_regions.json"]["terms"]
    return [p.removeprefix("~") for group in groups for p in group["patterns"]]


def _texts(count: int) -> list[str]:
    """Request-like texts: vocabulary words, numbers and glue in random order and case."""
    rng = random.Random(14)
    words = re.findall(r"[A-Za-z]+", " ".join(_vocabulary_patterns()))
    pieces = [*words, "10mg", "5%", "2x4", "L4-5", "C5-6", "T12-L1", "#60", "(3)", "x-ray", "-", "/", ","]
    texts = []
    for _ in range(count):
        glue = rng.choice([" ", "  ", "", "-", "/", ", "])
        text = glue.join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        texts.append(rng.choice([text, text.upper(), text.lower(), text.title()]))
    return texts


def test_vocabulary_matches_start_with_their_first_chars():
    """Every branch of the vocabularies is readable, and each non-empty match at any
    position of the texts starts with one of the characters read."""
    texts = _texts(120)
    for pattern in _vocabulary_patterns():
        chars = first_chars(pattern)
        assert chars is not None, pattern
        compiled = re.compile(pattern, re.I)
        for text in texts:
            for pos in range(len(text)):
                match = compiled.match(text, pos)
                if match and match.end() > pos:
                    assert text[pos].lower() in chars, (pattern, text, pos)


@pytest.mark.parametrize("kind", ["terms", "regions"])
def test_cut_matching_equals_whole_scans(kind):
    """Per-first-character matching finds what a scan of each whole alternation finds."""
    terms = getattr(services._vocabulary(), kind)
    for text in [*_texts(1500), "Physiotherapy 2x4 lumbar/cervical spine", "TENS unit rental x 30 days"]:
        scanned = [(s, e, t) for t in terms.terms for s, e in services._term_matches(text, t.pattern)]
        assert services._all_matches(text, terms) == scanned, text


def test_non_ascii_text_is_scanned_whole():
    text = "Physical therapy for the kneé ×6"
    terms = services._vocabulary().terms
    scanned = [(s, e, t) for t in terms.terms for s, e in services._term_matches(text, t.pattern)]
    assert services._all_matches(text, terms) == scanned
    assert services.service_type(text) == "physical_medicine"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?:IMR\s+)?Case\s+(?:Number|No\.?)\s*:", r"(?:imr\s+)?case\s+(?:number|no\.?)\s*:"),
        (r"\bDOI\S*(?P<Value>[A-Z]\W)", r"\bdoi\S*(?P<Value>[a-z]\W)"),
        (r"[^A-Z0-9][a-f]", r"[^a-z0-9][a-f]"),
        ("(?-i:IF)", None),  # inline flags
        ("[A-z]", None),  # a range across cases
        (r"\x41", None),
        ("é", None),
    ],
)
def test_caseless_source(pattern, expected):
    assert caseless_source(pattern) == expected


def test_caseless_twins_find_what_the_templates_find():
    """The lowercase twin of every layout pattern gives the original's spans and groups on
    sample letters (case-sensitive patterns have no twin)."""
    with using(packaged_data()):
        templates = letter_templates()
    patterns = [p for _, p in templates.sections] + list(templates.header_labels.values())
    patterns += [p for group in templates.narrative_fields.values() for p in group]
    patterns += [templates.age_sex, *templates.header_values.values(), *templates.body_labels["rationale"]]
    texts = [t for t in map(read, [*SEEDS, *LETTERS_2016[::6]]) if t.isascii()]
    assert texts and len(patterns) > 20
    for pattern in patterns:
        twin = caseless_twin(pattern)
        assert twin is not None, pattern.pattern
        for text in texts:
            lowered = text.lower()
            expected = [(m.span(), [m.span(g) for g in pattern.groupindex]) for m in pattern.finditer(text)]
            found = [((s, e), [m.span(g) for g in pattern.groupindex]) for m, s, e in twin.finditer(lowered)]
            assert found == expected, pattern.pattern
    for key, pattern in templates.reviewer.items():  # case-sensitive: led on the text itself
        assert caseless_twin(pattern) is None
        led = led_variant(pattern)
        # a literal start ("Board ...") is found fast by re itself: no led variant
        assert (led is None) == (key != "subspecialty"), key
        for text in texts if led else []:
            expected = [(m.span(), m.span("value")) for m in pattern.finditer(text)]
            assert [((s, e), m.span("value")) for m, s, e in led.finditer(text)] == expected
    assert caseless_twin(re.compile(r"\bur\b", re.I)).led


def test_section_headings_are_each_patterns_first_match():
    """imr_sections matches the heading patterns only at the line starts where one of them
    matches: the same first match of each as a search of the whole letter."""
    from imr_nlp.sections import _first_headings

    with using(packaged_data()):
        templates = letter_templates()
        texts = [read(p) for p in [*SEEDS, *LETTERS_2016[::4]]]
        texts += ["Case Number: CM14-0000001\nFinal Determination: Upheld", "\n\n  DOCUMENTS REVIEWED\n", ""]
        for text in texts:
            expected = [(label, m and m.span()) for label, p in templates.sections for m in [p.search(text)]]
            assert [(label, m and m.span()) for label, m in _first_headings(text, templates)] == expected
