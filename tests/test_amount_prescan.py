"""The amount and drug finders' shortcuts on long texts change no result.

On a letter-sized text each rule is skipped when none of its words is written (a pre-scan
of the lower-cased text), and the count-led rules and the strength finder are tried only
where a number or a number word starts. Below ``_SHORT`` characters every rule scans the
text directly, which is the reference the shortcuts must reproduce: written in upper case,
with PDF line breaks and doubled spaces, or holding characters that lower-case to another
length or that ``re.IGNORECASE`` matches to ASCII letters. The drug scanner skips a letter
in which no word can start a lexicon phrase.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imr_nlp.normalize import amounts, drugs
from imr_nlp.normalize.amounts import find_amount_mentions, find_amounts
from imr_nlp.normalize.drugs import find_drugs

FILLER = (
    "The request for the medication was reviewed against the guideline; the documentation "
    "describes chronic pain, a prior course of therapy and the results of imaging. "
) * 3  # longer than _SHORT: the shortcuts are used

PHRASES = [
    "TWICE A DAY", "Twice\na  day", "every 6 HOURS", "Every\n4-6 hours", "Q6H", "q.\n8 h",
    "Q.I.D.", "t i d", "T.I.D.", "b. i. d.", "BID", "HS", "h. s.", "qHS", "QAM", "Q.O.D.",
    "AS\nNEEDED", "as  needed", "P. R. N.", "PRN", "when needed", "as required",
    "at  bedtime", "AT NIGHT", "In The Morning", "NIGHTLY", "DAILY", "every other day",
    "once every 2 weeks", "WEEKLY", "each week", "Hourly", "3 X/WEEK", "2 TIMES PER DAY",
    "three times a day", "6 visits per week", "Qty: 60", "QUANTITY #90", "x 12", "TIMES 6",
    "#60", "Cream 240 GRAMS", "ointment, 30 g", "5%, 120 ML", "Refills: 2", "NO REFILLS",
    "RF x2", "x1 refill", "30 DAY SUPPLY", "day supply: 30", "Norco 10/325 MG",
    "Lidocaine 5%", "9-10 VISITS", "Eight sessions", "twelve (12) sessions", "120 tablets",
    ".5 mg", "1,000 mg", "Robaxin500mg",
    # number words found by a prefix shared with another word ("fift", "thirt", "twe")
    "FIFTEEN visits", "fifty tablets", "Thirteen sessions", "thirty tablets", "Twelve visits", "twenty sessions",
    # refill phrases: found only in the stretch of refill-phrase characters around "refill"
    "three (3) REFILLS", "w/o refills", "Refills = none", "refill #2 ", "RF: 3", "2,000 more refills",
    "times 2 refills (s)", "twenty-four\nadditional refills", "(x 3) refills", "Refills of x2",
]
TWINS = ["\u212a", "\u017f", "\u0131", "\u0130"]  # Kelvin sign, long s, dotless i, I with dot


def _results(text: str) -> tuple:
    drugs = [(s, e) for s, e, _ in find_drugs(text)]
    return find_amount_mentions(text, drugs), list(amounts._frequency_matches(text)), find_amounts(text)


def _reference(text: str) -> tuple:
    short = amounts._SHORT
    amounts._SHORT = 10**9  # every rule scans the whole text
    try:
        return _results(text)
    finally:
        amounts._SHORT = short


@pytest.mark.parametrize("phrase", PHRASES)
def test_phrase_in_a_letter_found_as_without_shortcuts(phrase):
    text = f"{FILLER}Requested: {phrase} for pain.\n{FILLER}"
    fast = _results(text)
    # every phrase is an amount (a days' supply only for the header parser): a skipped pass would lose it
    assert fast[0] or fast[1] or fast[2]["days_supply"] is not None, phrase
    assert fast == _reference(text)


def test_refill_windows_hold_every_refill_phrase():
    text = f"{FILLER}Norco #60; 2 refills. x1 refill, RF 2 REFILLS: NONE w/o (Refills (3)) {FILLER}Refills: 3."
    windows = amounts._refill_windows(text, text.lower())
    # each window is a whole stretch of refill-phrase characters around a "refill"
    assert [text[s:e] for s, e in windows] == [
        " 2 refills", " x1 refill, RF 2 REFILLS: NONE w/o (Refills (3)) The request for the medication was reviewed against the guideline",
        " Refills: 3",  # "3." is no count: the look-ahead reads the "." after the window
    ]
    found = list(amounts._refill_matches(text))
    assert [(text[s:e], n) for s, e, n in found] == [
        ("REFILLS: NONE", 0), ("2 refills", 2), ("x1 refill", 1), ("2 REFILLS", 2), ("RF 2", 2),
    ]
    assert (find_amount_mentions(text), found) == _reference_refills(text)


def _reference_refills(text: str) -> tuple:
    short = amounts._SHORT
    amounts._SHORT = 10**9  # every rule scans the whole text
    try:
        return find_amount_mentions(text), list(amounts._refill_matches(text))
    finally:
        amounts._SHORT = short


def test_rule_skipped_when_its_words_are_absent_and_run_when_present():
    calls = []

    class Spy:
        def finditer(self, text):
            calls.append(text)
            return iter(())

    rule = amounts._Hinted(Spy(), ["twice", amounts.re.compile(r"q\.?\s*\d")])
    assert list(rule.finditer(FILLER)) == [] and calls == []  # skipped: no pass at all
    for present in ("TWICE daily", "Twice", "Q 6", "q.6"):  # upper case, PDF noise
        rule.finditer(FILLER + present)
        assert calls[-1] == FILLER + present
    rule.finditer("twice"[:3])  # a short text (an item header) is always scanned
    assert calls[-1] == "twi"
    for twin in TWINS:  # cannot be lower-cased safely: always scanned
        rule.finditer(FILLER + twin)
        assert calls[-1] == FILLER + twin


def test_frequency_rules_skip_a_letter_without_their_words():
    skipped = [rule for rule, _ in amounts._FREQUENCY_RULES if not rule.present(FILLER)]
    assert len(skipped) == len(amounts._FREQUENCY_RULES)
    assert all(rule.present(FILLER + " 2 TIMES A\nDAY ") for rule, _ in amounts._FREQUENCY_RULES[:1])


@pytest.mark.parametrize("twin", TWINS)
def test_texts_with_ignorecase_twins_match_as_without_shortcuts(twin):
    text = f"{FILLER}Norco 10 mg {twin}wice a day, 2 {twin}e{twin}{twin}ions, qty 6{twin}. {FILLER}"
    assert amounts._lowered(text) is None
    assert _results(text) == _reference(text)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([*PHRASES, *TWINS, "\n", "  ", ", ", "(2)", "1/2", "Norco"]), max_size=12))
def test_random_letters_match_as_without_shortcuts(parts):
    text = FILLER + " ".join(parts) + FILLER[:40] + "".join(parts[::-1])
    assert _results(text) == _reference(text)


# --------------------------------------------------------------------------- find_drugs

DRUG_WRITINGS = [
    "NORCO 10/325", "Norco", "(Norco)", "-Norco", "'Norco'", "x-Norco", "Norco-APAP", "10Norco",
    "MS\nContin", "Oxycodone HCL ER", "Lidoderm patch", "Robaxin500mg", "Hydrocodone/APAP",
    "Tylenol #3", "morphine equivalent dose", "Ultram\u00a0ER", "Cyclobenza-\nprine",
]


@pytest.mark.parametrize("writing", DRUG_WRITINGS)
def test_drug_pre_check_never_hides_a_drug(monkeypatch, writing):
    text = f"{FILLER}Requested: {writing}; {FILLER}"
    fast = find_drugs(text)
    with monkeypatch.context() as m:
        m.setattr(drugs, "_first_words_ascii", lambda: None)  # read every word of the letter
        assert fast == find_drugs(text)


def test_drug_pre_check_skips_a_letter_naming_no_drug():
    at = len(FILLER)
    assert drugs._first_word_starts(FILLER.lower()) == []
    assert drugs._first_word_starts((FILLER + " TRAMADOL").lower()) == [at + 1]
    assert drugs._first_word_starts((FILLER + " tramadol's").lower()) == []  # one word "tramadol's"
    assert at + 3 in drugs._first_word_starts((FILLER + " --tramadol; x").lower())


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from([*DRUG_WRITINGS, "Sulfate", "ER", "mg", "equivalents", "-", "'", "/", "#3", "\n", " ", "10"]), max_size=14))
def test_random_drug_writings_found_as_reading_every_word(parts):
    text = FILLER + "".join(parts) + " " + " ".join(parts)
    fast = find_drugs(text)
    read_all = drugs._first_words_ascii
    drugs._first_words_ascii = lambda: None  # read every word of the letter
    try:
        assert fast == find_drugs(text)
    finally:
        drugs._first_words_ascii = read_all


@pytest.mark.parametrize("text", ["Norco HS", "Norco h\u017f", "TW\u0131CE a day", "twice a day"])
def test_twins_of_letters_in_abbreviations_are_no_frequency(text):
    """Under IGNORECASE "h\u017f" matches "HS" and "tw\u0131ce" "twice": they must not crash
    the frequency parser (they read as no frequency)."""
    found = amounts.parse_frequency(text)
    assert (found is not None) == text.isascii()


@pytest.mark.parametrize(
    "text",
    [
        "Norco 10/325 mg #60, .5 mg, 1.5 ml; 1,000 units. 2016-01-02",
        "9 codes: 0, 1234567890, 9/8, x7 and 6,5:4;3(2)1",  # every ASCII digit, runs at both ends
        "caf\u00e9 1.5 mg \u0663\u0664 tablets, \uff11\uff12 visits, .\u0665 ml",  # non-ASCII: other decimal digits
        "no number at all",
    ],
)
def test_number_starts_are_every_digit_run_and_the_dot_before_one(text):
    runs = [m.span() for m in re.finditer(r"\d+", text)]
    dots = [start - 1 for start, _ in runs if start and text[start - 1] == "."]
    amounts._last_starts = (None, {})
    assert amounts._number_starts(text) == sorted([start for start, _ in runs] + dots)
    assert amounts._number_ends(text) == [end for _, end in runs]


@pytest.mark.parametrize(
    "text",
    [
        "Norco 10/325 mg, Norco10, Norco\n\n 5 and 7; Lidocaine\u00a0\u2003 5% then 8",
        "Tramadol  50 mg Tramadol",  # a drug at the end of the text
    ],
)
def test_numbers_after_drugs_are_those_right_after_a_drug(text):
    drugs = find_drugs(text)
    drug_ends = sorted(end for _, end, _ in drugs)
    assert len(drugs) >= 2
    after = amounts._after_drugs(text, drug_ends)
    for start in range(len(text)):
        if not text[start].isspace():
            assert (start in after) == amounts._drug_right_before(text, drug_ends, start), start


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(["every", "each", "once", "TWICE", "qty", "one", "seventeen", "twenty", "fifty", "reach",
                         "none", "everyone", "1one", "_once", "x", " ", "\n", "-", ".", "(", "é"]),
        max_size=16,
    )
)
def test_word_starts_read_once_are_the_words_after_no_letter(parts):
    """_WordStarts (one numpy read of the letter for all hint and number words) gives each
    word's offsets with no letter a-z right before it, as a regex scan per word does."""
    low = "".join(parts).lower()
    words = sorted(amounts._WORD_STARTS.words)
    if low.isascii():
        found = amounts._WORD_STARTS.offsets(low)
        for word in words:
            expected = [m.start() for m in re.finditer(rf"(?<![a-z])(?={word})", low)]
            assert found.get(word, []) == expected, word
    else:  # read with str.find: every offset
        for word in words:
            assert amounts._word_offsets(low, word) == [m.start() for m in re.finditer(f"(?={word})", low)]


def test_strengths_read_once_give_a_fresh_result_each_time():
    """parse_strength keeps what it read of a text (a letter's strengths repeat); each call
    still returns its own dict and list, so a caller changing one changes no later result."""
    amounts._STRENGTHS_READ.clear()
    first = amounts.parse_strength("10/325 mg")
    first["values"].append(1.0)
    first["unit"] = "g"
    assert amounts.parse_strength("10/325 mg") == {"text": "10/325 mg", "values": [10.0, 325.0], "unit": "mg", "range": False}
    assert amounts.parse_strength(" 240-300 MG.") == {"text": "240-300 MG.", "values": [240.0, 300.0], "unit": "mg", "range": True}
    assert amounts.parse_strength("pain 8") is None and amounts.parse_strength("pain 8") is None
    assert set(amounts._STRENGTHS_READ) == {"10/325 mg", " 240-300 MG.", "pain 8"}
