"""The faster scans of the diagnosis finder and the patient-diagnosis component find exactly
what their plain forms find (same spans), on sample letters and on hand-made edge cases."""

from __future__ import annotations

import re

import pytest
from conftest import LETTERS_2016, SEEDS, read

from imr_nlp import patient_diagnoses
from imr_nlp.normalize import diagnoses
from imr_nlp.resources import ascii_lower

EDGES = (
    'x. "Y" \n \n\n A! B?) C.\u201d D .\n\nBut, which; however although." a wh\u0130ch abut but\n'
    "Pain, pain/pain xpain lumbago\nCRPS crps, L4-5 radiculopathy.Stenosis"
)
TEXTS = [read(p) for p in [*SEEDS, *LETTERS_2016[::10]]] + [EDGES]

# The plain forms of the break patterns (the module's versions open with a first-character set).
CLAUSE_BREAK = re.compile(
    rf"[.;:!?]{patient_diagnoses._CLOSERS}(?=\s|$)|\n\s*\n|\bbut\b|\bhowever\b|\balthough\b|\bwhich\b", re.I
)
SENTENCE_BREAK = re.compile(rf"[.!?]{patient_diagnoses._CLOSERS}(?=\s+[A-Z(\"\u201c]|\s*$)|\n\s*\n")


def _spans(pattern: re.Pattern, text: str, begin: int, end: int) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text, begin, end)]


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_break_patterns_match_their_plain_forms(text):
    low = ascii_lower(text)
    for end in [*range(0, len(text), 11), len(text)]:
        begin = max(0, end - 400)
        assert _spans(patient_diagnoses._CLAUSE_BREAK, low, begin, end) == _spans(
            CLAUSE_BREAK, low, begin, end
        )
        assert _spans(patient_diagnoses._SENTENCE_BREAK, text, begin, end) == _spans(
            SENTENCE_BREAK, text, begin, end
        )
        # the tail-first scan gives the end of the window's last break
        plain = max((m.end() for m in SENTENCE_BREAK.finditer(text, begin, end)), default=begin)
        assert patient_diagnoses._last_break(patient_diagnoses._SENTENCE_BREAK, text, begin, end) == plain


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_head_scan_finds_the_heads_pattern_matches(text):
    lex = diagnoses.load_lexicon()
    assert lex.head_chunk_keys is not None  # every packaged head starts with a letter or digit
    low = ascii_lower(text)
    for start in (0, 1, 5):
        assert diagnoses._head_spans(lex, low[start:]) == [m.span() for m in lex.heads.finditer(low[start:])]


def test_lowercasing_keeps_offsets_and_non_ascii_letters():
    text = "Épaule DROITE \u2019s TENDINITIS \u0130"
    low = ascii_lower(text)
    assert len(low) == len(text)
    assert low == "Épaule droite \u2019s tendinitis \u0130"
    assert ascii_lower(text) == low


CUE_TEXT = (
    "He denies numbness. No improvement in right shoulder pain; not only lumbar pain but also "
    "the patient's knee pain. Per the guidelines (MTUS), patients with neuropathic pain; her "
    "chronic pain. Without relief of lumbar radiculopathy. The injured worker has been diagnosed "
    "with cervical strain. Risk of constipation; mechanism of injury: cumulative trauma."
)


@pytest.mark.parametrize("text", [*TEXTS, CUE_TEXT], ids=range(len(TEXTS) + 1))
def test_cue_tests_find_a_match_where_the_plain_cues_do(text):
    data = patient_diagnoses.active_data()
    fast, plain = patient_diagnoses._build_cues(data), patient_diagnoses._build_cues(data, fast=False)
    low = ascii_lower(text)
    changed = [f for f in fast.__dataclass_fields__ if getattr(fast, f).pattern != getattr(plain, f).pattern]
    assert {"negation_before", "pseudo_negation_test", "possessive"} <= set(changed)
    for name in changed:
        f, p = getattr(fast, name), getattr(plain, name)
        for end in [*range(0, len(low), 7), len(low)]:
            for begin in (max(0, end - 40), max(0, end - 150)):
                assert bool(f.search(low, begin, end)) == bool(p.search(low, begin, end)), (name, begin, end)
                assert bool(f.search(low[begin:end])) == bool(p.search(low[begin:end])), (name, begin, end)


def test_first_chars():
    def first(pattern):
        return patient_diagnoses._first_chars(patient_diagnoses._sre_parser.parse(pattern))

    assert first(r"\bno\b|\bnot\b") == {"n"}
    assert first(r"^\s*x") is None  # starts with a category
    assert first(r"(?:a|b)c|\b[d-f]+") == {"a", "b", "c", "d", "e", "f"} - {"c"}
    assert first(r"a?b") is None  # may start with "b"
    assert first(r"(?:)") is None  # matches the empty string
    assert first(r"[^a]") is None
    assert patient_diagnoses._any_test([r"(?i:abc)"]).pattern == patient_diagnoses._any([r"(?i:abc)"]).pattern


def _phrase_text(lex_data: dict) -> str:
    """Every head and abbreviation as written, without its hyphens and apostrophes, in the
    plural and in capitals, after assorted separators."""
    words = diagnoses._words(lex_data)
    phrases = [*diagnoses._head_phrases(words), *lex_data["abbreviations"]]
    seps = [" ", "\n", ". ", "-", "(", "x "]
    out = []
    for i, p in enumerate(phrases):
        joined = p.replace("-", "").replace("'", "")
        for variant in (p, joined, p + "s", p + "es", p.upper(), p + " pain", p + " disorder"):
            out.append(seps[i % len(seps)] + variant)
    return "".join(out)


def test_head_scan_on_every_lexicon_phrase():
    lex = diagnoses.load_lexicon()
    low = ascii_lower(_phrase_text(diagnoses._read()) + " tmj pain, TMJ disorder; tmjs")
    spans = diagnoses._head_spans(lex, low)
    assert len(spans) > 5000
    assert spans == [m.span() for m in lex.heads.finditer(low)]


def test_heads_are_tried_everywhere_when_one_does_not_start_a_word():
    data = diagnoses._read()
    data = {**data, "abbreviations": [*data["abbreviations"], "#PAIN"]}
    lex = diagnoses.build_lexicon(data)
    assert lex.head_chunk_keys is None
    low = "the #pain score, pain x"
    assert diagnoses._head_spans(lex, low) == [m.span() for m in lex.heads.finditer(low)] == [(4, 9), (17, 21)]


def test_chunk_hashes():
    starts, _, hashes = diagnoses.word_hashes("pain, x-ray \u00e9pain pain2 pain", diagnoses._CHUNK_BYTES)
    assert starts.tolist() == [0, 6, 8, 13, 18, 24]
    assert hashes[0] == hashes[3] == hashes[5] != hashes[4]
    assert len(set(hashes.tolist())) == 4


TITLE_TEXT = (
    "ACOEM Low Back Disorders chapter; Official Disability Guidelines, Pain (Chronic) and Shoulder Disorders; "
    "Beck Depression Inventory, the Hospital Anxiety and Depression Scale, Fear-Avoidance Beliefs; chronic "
    "pain syndrome with depression and anxiety. Carpal Tunnel Syndrome (Acute & Chronic); Mental Illness & Stress"
)


@pytest.mark.parametrize("text", [*TEXTS, TITLE_TEXT], ids=range(len(TEXTS) + 1))
def test_title_words_are_in_every_window_holding_a_title(text):
    lex = diagnoses.load_lexicon()
    assert lex.title_words is not None
    low = ascii_lower(text)
    found = 0
    for start in range(0, len(low), 3):
        for end in (start + 40, start + 90):
            if lex.titles.search(low, start, end):
                found += 1
                assert diagnoses._may_hold_title(lex, low, start, end), (start, end)
    assert found or text is not TITLE_TEXT


def test_title_words():
    assert diagnoses._title_words([r"beck\s+depression", r"(?:low(?:er)?\s+back|knee)\s+disorders?"]) == (
        "depression",
        "disorder",
    )
    assert diagnoses._title_words([r"beck\s+anxiety", r"ab|cdef"]) is None  # no run outside the alternation
    assert diagnoses._title_words([r"(?i)beck\s+anxiety"]) is None
