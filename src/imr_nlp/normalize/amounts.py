"""Doses, dispensed quantities, refills, frequencies and days' supply in IMR item headers.

Item headers are short, telegraphic and PDF-mangled: "Norco 10 2x a day #60 x1 refill",
"Oxycodone 10mg, #240 (1-2 4x a day)", "Hydrocodone /APAP 10/325mg # 60",
"Oxycodone HCL ER 20mg #60 day supply: 30". Units may be glued to the number, spaces
doubled and line breaks may fall anywhere between two parts of an amount. Every regex
therefore uses ``\\s`` (which includes newlines) between the parts of an expression.

Public functions:

- :func:`parse_strength` — ``"10/325 mg"`` → ``{"text", "values": [10, 325], "unit": "mg",
  "range": False}``. ``range`` is True for ``"240-300 mg"`` (values are then the bounds).
  Units are normalized: ``mg``, ``mcg`` (µg, ug, micrograms), ``g`` (gm, gms, grams),
  ``ml`` (mL, cc), ``%``, ``iu``, ``units``, ``meq``, and per-unit forms such as
  ``mcg/hr`` (mcg/h), ``mg/ml``, ``mg/g``, ``mg/day`` (mg/d). A bare number (``"10"`` of
  "Norco 10") has unit None.
- :func:`parse_quantity` — a dispensed count: ``#60``, ``# 30``, ``quantity 60``,
  ``Qty: 2``, ``(60)``, ``60 tablets``, ``12 sessions``, ``x 12``, ``times 12``, and a
  package amount such as ``180gm`` or ``120 ml``. Refill phrases are *not* quantities here
  (use :func:`parse_refills`).
- :func:`parse_refills` — ``x1 refill``, ``with 5 refills``, ``three (3) refills``,
  ``refills: 2``, ``no refills`` → 0.
- :func:`parse_frequency` — administrations per day or per week; see its docstring.
- :func:`parse_days_supply` — ``day supply: 30``, ``30-day supply`` → 30.
- :func:`find_amounts` — all of the above located in one item header, with offsets.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy

from ..resources import caseless_copy, finditer_at, led_by
from .dates import find_dates
from .vocabulary import dosage_form_alternation, dosage_form_words, number_words

__all__ = [
    "NUMBER_WORDS",
    "find_amounts",
    "parse_days_supply",
    "parse_frequency",
    "parse_number",
    "parse_quantity",
    "parse_refills",
    "parse_strength",
]

Span = tuple[int, int]

#: Number words used in headers ("Three refills", "two times a week", "twelve sessions"):
#: ``data/number_words.json``.
NUMBER_WORDS: dict[str, int] = number_words()
_ADVERB_TIMES = {"once": 1, "twice": 2, "thrice": 3}

_WORDS = [
    re.escape(w).replace(r"\ ", r"\s+").replace(r"\-", r"[\s-]")
    for w in sorted(NUMBER_WORDS, key=len, reverse=True)
]
_WORD = "|".join(_WORDS)
_SMALL_WORDS = [w for w in sorted(NUMBER_WORDS, key=len, reverse=True) if " " not in w and "-" not in w]
_SMALL_WORD = "|".join(_SMALL_WORDS)
_SMALL_WORD_INITIALS = "".join(sorted({w[0] for w in _SMALL_WORDS}))
# A decimal number: 10, 37.5, .5, 1,000 (thousands separators only in groups of three).
_NUM = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?|\.\d+"
_INT = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+"
# A count written as digits, a word, or a word with the digits in brackets: "three (3)".
_COUNT = rf"(?:(?:{_WORD})(?:\s*\(\s*\d+\s*\))?|{_INT})"
# First characters of a count or number word: a look-ahead that lets the regex engine skip
# most positions cheaply before trying the long alternations.
_COUNT_START = r"(?=[\d.EFHNOSTefhnost])"
# The same start as alternatives for resources.led_by (a count never starts with "zero").
_LED = "efhnost"
_INT_ALTS: list[str | tuple[str, str]] = [(r"\d", r"\d{0,2}(?:,\d{3})+(?!\d)"), (r"\d", r"\d*")]
_WORD_ALTS: list[str | tuple[str, str]] = [w for w in _WORDS if w[0] in _LED]
_COUNT_ALTS: list[str | tuple[str, str]] = [rf"{w}(?:\s*\(\s*\d+\s*\))?" for w in _WORDS if w[0] in _LED] + _INT_ALTS


class _CountLed:
    """A pattern led by a count (digits or a number word) with ``finditer`` made fast.

    Number words start with common letters, so even a set-led pattern (resources.led_by)
    is tried at a third of all positions, and a digit-led one at every character (the
    engine's test of a leading ``\\d`` is slow). Here the pattern (its digit-led or its
    word-led alternatives) is tried only where a run of digits starts (one scan per text,
    shared by all count-led rules) or a number word starts (``str.find`` in the lower-cased
    text). Matches are those of
    ``full.finditer`` (leftmost first, non-overlapping); texts holding a character that
    lower-cases differently or matches an ASCII letter only under IGNORECASE fall back to
    ``full.finditer``.
    """

    def __init__(
        self, alternatives: list[str | tuple[str, str]], rest: str, *, not_after: str, name: str | None = None
    ) -> None:
        if any(isinstance(a, tuple) and a[0] != r"\d" for a in alternatives):
            raise ValueError("a count starts with a digit or a letter")
        self.full = re.compile(led_by(alternatives, rest, not_after=not_after, name=name))
        # The same pattern with only the alternatives that can start at a digit, or a letter.
        self.digits = re.compile(led_by([a for a in alternatives if isinstance(a, tuple)], rest, not_after=not_after, name=name))
        self.words = re.compile(led_by([a for a in alternatives if isinstance(a, str)], rest, not_after=not_after, name=name))
        runs = {re.match(r"[a-z]+", a).group() for a in alternatives if isinstance(a, str)}
        # "seven" finds "seventeen" and "seventy" too, and "twe" both "twelve" and "twenty":
        # one str.find per group of words sharing their first three letters (their common
        # prefix; every find is a pass over the letter).
        groups: dict[str, list[str]] = {}
        for run in runs:
            groups.setdefault(run[:3], []).append(run)
        self.prefixes = tuple(sorted(os.path.commonprefix(group) for group in groups.values()))
        _WORD_STARTS.add(self.prefixes)
        self.pattern = self.full.pattern

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        low = None if len(text) < _SHORT else _lowered(text)
        if low is None:
            yield from self.full.finditer(text)
            return
        pos = 0
        digits, words = self.digits.match, self.words.match
        for at in _count_starts(text, low, self.prefixes):
            if at >= pos and (m := (digits if text[at].isdecimal() else words)(text, at)) is not None:
                yield m
                pos = m.end()


# Runs of digits: in an ASCII text, runs of "0" in a bytes copy with every digit made "0"
# and every other byte a space (the engine skips to a literal far faster than it tests a
# character class at each position); "\\d\\d*" in another text (its other decimal digits
# are digits too).
_DIGIT_RUN = re.compile(r"\d\d*")
_DIGITS_AS_ZEROS = bytes(48 if 48 <= byte <= 57 else 32 for byte in range(256))
_ZERO_RUN = re.compile(rb"00*")
_DOT_BEFORE_DIGIT = re.compile(r"\.(?=\d)")
_START, _END = re.Match.start, re.Match.end
_last_starts: tuple[str | None, dict[Any, list[int]]] = (None, {})


def _text_cache(text: str) -> dict[Any, list[int]]:
    """Offsets found in ``text`` by several rules, kept for the last text."""
    global _last_starts
    last = _last_starts
    if last[0] is not text:
        last = _last_starts = (text, {})
    return last[1]


def _number_starts(text: str) -> list[int]:
    """Sorted offsets in ``text`` where a number may start: every run of digits, and the dot
    before a run (".5")."""
    cache = _text_cache(text)
    starts = cache.get("starts")
    if starts is None:
        if text.isascii():
            runs = list(_ZERO_RUN.finditer(text.encode("ascii").translate(_DIGITS_AS_ZEROS)))
        else:
            runs = list(_DIGIT_RUN.finditer(text))
        cache["ends"] = list(map(_END, runs))
        starts = cache["starts"] = list(map(_START, runs))
        dots = list(map(_START, _DOT_BEFORE_DIGIT.finditer(text)))
        if dots:  # a dot before a digit starts no run: merge (two sorted runs, one sort in C)
            starts += dots
            starts.sort()
    return starts


def _number_ends(text: str) -> list[int]:
    """Offsets in ``text`` where the runs of digits end, in order."""
    cache = _text_cache(text)
    if "ends" not in cache:
        _number_starts(text)
    return cache["ends"]


def _count_starts(text: str, low: str, prefixes: tuple[str, ...]) -> list[int]:
    """Sorted offsets where a count may start: a number, or one of ``prefixes`` in ``low``
    (``text`` lower-cased) after no letter or digit."""
    cache = _text_cache(text)
    starts = cache.get(prefixes)
    if starts is None:
        starts = list(_number_starts(text))
        for prefix in prefixes:
            for at in _word_offsets(low, prefix):
                if not (at and low[at - 1].isalnum()):  # the look-behind would fail there
                    starts.append(at)
        starts.sort()
        cache[prefixes] = starts
    return starts


# Below this length (an item header) a text is scanned by each rule at once: finding where
# to try a rule, or whether to skip it, costs more than the scan.
_SHORT = 200
_last_lowered: tuple[str | None, str | None] = (None, None)


def _lowered(text: str) -> str | None:
    """``resources.caseless_copy(text)``; the finders of one letter ask for the same text
    many times: the last one is kept."""
    global _last_lowered
    last = _last_lowered
    if last[0] is text:
        return last[1]
    low = caseless_copy(text)
    _last_lowered = (text, low)
    return low


_last_found: tuple[str | None, dict[str, list[int]]] = (None, {})


def _offsets(low: str, word: str) -> list[int]:
    """Every offset of ``word`` in ``low`` (overlapping ones too), kept for the last text:
    several rules look for the same word ("every" leads five frequency rules)."""
    global _last_found
    last = _last_found
    if last[0] is not low:
        last = _last_found = (low, {})
    found = last[1].get(word)
    if found is None:
        found = last[1][word] = []
        at = low.find(word)
        while at >= 0:
            found.append(at)
            at = low.find(word, at + 1)
    return found


# Class of each byte for _WordStarts: a-z are 1-26, every other byte 0.
_LETTER_CLASS = bytes(byte - 96 if 97 <= byte <= 122 else 0 for byte in range(256))


class _WordStarts:
    """Where words start in a lower-cased ASCII text, for many words in one numpy read.

    A str.find is a pass over the whole letter, and the amount rules look for some thirty
    words (hints and number words) that most letters do not hold. Here each position's three
    letters (and the letter before it) are read once with numpy: a table of the words'
    first three letters gives the positions where one can start a word, checked with
    ``str.startswith``. Words are lower-case ``a-z``, three letters or more, added before
    the first read.
    """

    def __init__(self) -> None:
        self.words: set[str] = set()
        self.table: numpy.ndarray | None = None
        self.by_gram: dict[str, list[str]] = {}
        self.last: tuple[str | None, dict[str, list[int]]] = (None, {})

    def add(self, words: Iterable[str]) -> None:
        words = set(words)
        if any(not re.fullmatch(r"[a-z]{3,}", w) for w in words):
            raise ValueError(f"word starts are read for words of three letters a-z or more: {words}")
        if self.table is not None and not words <= self.words:
            raise ValueError("words are added before the first read")
        self.words |= words

    def _build(self) -> numpy.ndarray:
        table = numpy.zeros(27**3, dtype=bool)
        for word in sorted(self.words):
            self.by_gram.setdefault(word[:3], []).append(word)
            a, b, c = (ord(x) - 96 for x in word[:3])
            table[a * 729 + b * 27 + c] = True
        self.table = table
        return table

    def offsets(self, low: str) -> dict[str, list[int]]:
        """Each word's offsets in ``low`` (an ASCII text) where no letter a-z stands right
        before it; kept for the last text."""
        if self.last[0] is low:
            return self.last[1]
        table = self.table if self.table is not None else self._build()
        cls = numpy.frombuffer(b"\0" + low.encode("ascii").translate(_LETTER_CLASS) + b"\0\0", dtype=numpy.uint8)
        cls = cls.astype(numpy.intp)
        key = cls[1:-2] * 729
        key += cls[2:-1] * 27
        key += cls[3:]
        ok = table[key]
        ok &= cls[:-3] == 0
        found: dict[str, list[int]] = {}
        by_gram, startswith = self.by_gram, low.startswith
        for at in numpy.flatnonzero(ok).tolist():
            for word in by_gram[low[at : at + 3]]:
                if startswith(word, at):
                    found.setdefault(word, []).append(at)
        self.last = (low, found)
        return found


_WORD_STARTS = _WordStarts()
_NOTHING: list[int] = []


def _word_offsets(low: str, word: str) -> list[int]:
    """Offsets of ``word`` (one of _WORD_STARTS' words) in ``low``: every one where no
    letter a-z stands right before it, and in a text that is not ASCII every one."""
    if low.isascii():
        return _WORD_STARTS.offsets(low).get(word, _NOTHING)
    return _offsets(low, word)


class _Hinted:
    """A pattern whose ``finditer`` skips a text holding none of its hints.

    Each amount rule is one pass over the whole letter, and most letters hold none of the
    words most rules need ("twice", "q6h", "as needed"). A hint is a lower-case word (found
    with ``in``), a compiled case-sensitive pattern (found with ``search``; led by a literal,
    so that the engine finds it fast), both looked for in the lower-cased text, or a function
    of the text and the lower-cased text. Every match of ``pattern`` must contain one of the
    hints (lower-cased). Texts :func:`_lowered` cannot lower-case safely are always scanned.

    ``leading=True`` says more: every match of ``pattern`` (a compiled pattern) *starts*
    where one of the hints (words and patterns only) starts in the lower-cased text. The
    pattern is then tried only there (:func:`resources.finditer_at`), not over the letter:
    the hints are looked for anyway, and they are rare.

    ``word_starts=True``: a hint word starts a word in the matches that hold it (no letter
    a-z right before it: the pattern's look-behind forbids one, or whitespace stands
    there). The words are then read with all the others at once (:class:`_WordStarts`),
    not with a str.find each. A hint may then also be ``(pattern, words)``: every match of
    that hint pattern holds one of ``words`` starting a word ("at night" holds "night"),
    and the pattern is looked for only when one does.
    """

    def __init__(
        self,
        pattern: re.Pattern[str] | _CountLed,
        hints: Iterable[str | re.Pattern[str] | Callable[[str, str], bool]],
        *,
        leading: bool = False,
        word_starts: bool = False,
    ) -> None:
        self.pattern = pattern
        hints = list(hints)
        self.words = tuple(h for h in hints if isinstance(h, str))
        gated = [h for h in hints if isinstance(h, tuple)]
        self.searches = tuple((h.search, ()) for h in hints if isinstance(h, re.Pattern))
        self.searches += tuple((h.search, tuple(words)) for h, words in gated)
        self.checks = tuple(h for h in hints if not isinstance(h, (str, re.Pattern, tuple)))
        if gated and not word_starts:
            raise ValueError("a pattern hint gated by words needs word_starts=True")
        if any(w != w.lower() for w in self.words):
            raise ValueError(f"hints must be lower case: {self.words}")
        if leading and (self.checks or not isinstance(pattern, re.Pattern)):
            raise ValueError("leading hints are words and patterns, before a compiled pattern")
        self.leading = leading
        self.find = _offsets
        if word_starts:
            _WORD_STARTS.add(self.words + tuple(w for _, words in gated for w in words))
            self.find = _word_offsets

    def starts(self, low: str) -> list[int]:
        """Every offset of ``low`` where a hint starts (overlapping ones too), sorted."""
        found: set[int] = set()
        for word in self.words:
            found.update(self.find(low, word))
        for search, gate in self.searches:
            if gate and not any(self.find(low, word) for word in gate):
                continue  # none of the words its every match holds starts a word
            m = search(low)
            while m is not None:
                found.add(m.start())
                m = search(low, m.start() + 1)
        return sorted(found)

    def present(self, text: str) -> bool:
        """Whether ``text`` may hold a match (it does hold a hint, or is short, or cannot be
        checked)."""
        if len(text) < _SHORT:
            return True
        low = _lowered(text)
        if low is None or any(self.find(low, word) for word in self.words):
            return True
        for search, gate in self.searches:
            if (not gate or any(self.find(low, word) for word in gate)) and search(low):
                return True
        for check in self.checks:
            if check(text, low):
                return True
        return False

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if len(text) < _SHORT:
            return self.pattern.finditer(text)
        if self.leading and (low := _lowered(text)) is not None:
            starts = self.starts(low)
            return finditer_at(self.pattern, text, starts) if starts else iter(())  # type: ignore[arg-type]
        if not self.present(text):
            return iter(())
        return self.pattern.finditer(text)


_F = re.IGNORECASE


def parse_number(text: str) -> float | None:
    """Read ``"60"``, ``"1,000"``, ``"37.5"``, ``"three"`` or ``"three (3)"`` as a number."""
    t = text.strip().lower()
    bracket = re.search(r"\(\s*(\d+)\s*\)", t)
    if bracket:
        return float(bracket.group(1))
    t = re.sub(r"[\s-]+", " ", t)
    if t in NUMBER_WORDS:
        return float(NUMBER_WORDS[t])
    if t.replace(" ", "-") in NUMBER_WORDS:
        return float(NUMBER_WORDS[t.replace(" ", "-")])
    try:
        return float(t.replace(",", ""))
    except ValueError:
        return None


def _as_int(text: str) -> int | None:
    value = parse_number(text)
    return None if value is None or value != int(value) else int(value)


# --------------------------------------------------------------------------- strength

_UNIT_BASE = (
    r"(?:milligrams?|micrograms?|mcg|µg|μg|ug|mgs?|grams?|gms?|g|milliliters?|ml|cc"
    r"|meq|iu|units?|%)"
)
_UNIT_DENOM = r"(?:hours?|hrs?|h|ml|cc|grams?|gms?|g|kg|days?|d|l)"
_UNIT = (
    rf"(?:{_UNIT_BASE}(?:\s*/\s*(?:\d+(?:\.\d+)?\s*)?{_UNIT_DENOM})?)(?![a-z0-9µμ])"
)
_UNIT_RE = re.compile(_UNIT, _F)

_UNIT_NAMES = {
    "milligram": "mg", "milligrams": "mg", "mg": "mg", "mgs": "mg",
    "microgram": "mcg", "micrograms": "mcg", "mcg": "mcg", "µg": "mcg", "μg": "mcg",
    "ug": "mcg",
    "gram": "g", "grams": "g", "gm": "g", "gms": "g", "g": "g",
    "milliliter": "ml", "milliliters": "ml", "ml": "ml", "cc": "ml",
    "meq": "meq", "iu": "iu", "unit": "units", "units": "units", "%": "%",
    "hour": "hr", "hours": "hr", "hr": "hr", "hrs": "hr", "h": "hr",
    "kg": "kg", "day": "day", "days": "day", "d": "day", "l": "l",
}


def _normalize_unit(unit: str) -> str:
    """``"MG"`` → ``"mg"``, ``"mcg/h"`` → ``"mcg/hr"``, ``"gm"`` → ``"g"``."""
    parts = [p.strip() for p in unit.lower().split("/")]
    out = []
    for part in parts:
        m = re.fullmatch(r"(\d+(?:\.\d+)?)?\s*(.+)", part)
        assert m is not None
        number, name = m.group(1) or "", m.group(2)
        out.append(number + _UNIT_NAMES.get(name, name))
    return "/".join(out)


_TERM = rf"(?:{_NUM})(?:\s*{_UNIT})?"
_STRENGTH_RANGE = rf"(?:{_NUM})\s*(?:-|–|to)\s*(?:{_NUM})\s*{_UNIT}"
_STRENGTH_COMBO = rf"{_TERM}(?:\s*/\s*{_TERM})+"
_STRENGTH_SINGLE = rf"(?:{_NUM})\s*{_UNIT}"
_STRENGTH_FULL = re.compile(
    rf"(?P<range>{_STRENGTH_RANGE}|(?:{_NUM})\s*(?:-|–)\s*(?:{_NUM}))"
    rf"|{_STRENGTH_COMBO}|{_STRENGTH_SINGLE}|(?:{_NUM})",
    _F,
)
_NUM_RE = re.compile(_NUM)
_SPACES = re.compile(r"\s*")


def parse_strength(text: str) -> dict | None:
    """Parse a dose/strength span.

    Returns ``{"text", "values", "unit", "range"}`` or None when ``text`` (trimmed of
    whitespace and a trailing ``.`` or ``,``) is not entirely a strength. Combination
    strengths give one value per ingredient (``"10/325mg"`` → [10.0, 325.0]); the unit is
    the one written (shared by all parts); if parts carry different units the first is
    kept. ``"240-300 mg"`` gives the two bounds with ``range`` True.
    """
    read = _STRENGTHS_READ.get(text, _UNREAD)
    if read is _UNREAD:
        if len(_STRENGTHS_READ) >= 4096:
            _STRENGTHS_READ.clear()
        read = _STRENGTHS_READ[text] = _read_strength(text)
    if read is None:
        return None
    stripped, values, unit, is_range = read
    return {"text": stripped, "values": list(values), "unit": unit, "range": is_range}


# What parse_strength read from a text, kept: the strengths of a letter repeat ("10 mg",
# "350mg"), and reading one costs more than the rest of the finder's work on it.
_STRENGTHS_READ: dict[str, tuple[str, tuple[float, ...], str | None, bool] | None] = {}
_UNREAD = object()


def _read_strength(text: str) -> tuple[str, tuple[float, ...], str | None, bool] | None:
    """parse_strength's (text, values, unit, range) of ``text``, or None."""
    if not text:
        return None
    core = text.strip().rstrip(",;")
    if core.endswith("."):
        core = core[:-1].rstrip()
    m = _STRENGTH_FULL.fullmatch(core)
    if not m:
        return None
    values: list[float] = []
    units: list[str] = []
    pos = 0
    body = m.group(0)
    while pos < len(body):
        num = _NUM_RE.search(body, pos)
        if not num:
            break
        values.append(float(num.group(0).replace(",", "")))
        pos = num.end()
        unit = _UNIT_RE.match(body, _SPACES.match(body, pos).end())
        if unit:
            units.append(_normalize_unit(unit.group(0)))
            pos = unit.end()
    return text.strip(), tuple(values), units[0] if units else None, m.group("range") is not None


# --------------------------------------------------------------------------- refills

_REFILL_PATTERNS = [
    (re.compile(led_by(["no", "zero", "without", "w/o"], r"\s+(?:additional\s+|more\s+)?refills?\b")), "zero"),
    (re.compile(led_by(["refills?"], r"\s*[:=]?\s*(?:none|zero|no)\b")), "zero"),
    (
        re.compile(
            rf"(?:(?<![\w#])(?:x|times)\s*(?P<nx>{_COUNT})|(?<![\w.#/])(?P<n>{_COUNT}))\s*"
            r"(?:additional\s+|more\s+)?refills?(?:\s*\(s\))?\b",
            _F,
        ),
        "n",
    ),
    (
        re.compile(led_by(["refills?"], rf"\s*(?:[:=#]|of)?\s*(?:x\s*)?(?P<n>{_COUNT})(?![\w.])")),
        "n",
    ),
    (re.compile(r"\bRF\s*[:x#]?\s*(?P<n>\d+)\b"), "n"),
]


_REFILL_HINT = re.compile(led_by(["refill"], not_after=None))  # or a "\bRF\b" (any case)
_RF_HINT = re.compile(led_by(["rf"], r"\b"))
_RF_WORD = re.compile(r"rf\b(?<!\wrf)")  # _RF_HINT in the lower-cased text, led by a literal


# Every character a match of the refill patterns led or ended by "refill" can hold (all but
# the last, "RF"): a match lies inside one stretch of them around a "refill".
_REFILL_REACH = re.compile(r"[\w\s(),:=#/-]*")


def _refill_windows(text: str, low: str) -> list[Span]:
    """The stretches of ``text`` (``low`` its caseless copy) made of _REFILL_REACH
    characters that hold a "refill": every match of the refill patterns holding the word
    lies inside one, and none crosses from one to another, so scanning them (the
    characters around them stay visible to look-arounds) finds the same matches."""
    windows: list[Span] = []
    size = len(text)
    backwards = None
    at = low.find("refill")
    while at >= 0:
        if backwards is None:
            backwards = text[::-1]
        start = at - (_REFILL_REACH.match(backwards, size - at).end() - (size - at))
        end = _REFILL_REACH.match(text, at).end()
        windows.append((start, end))
        at = low.find("refill", end)
    return windows


def _refill_scans(text: str) -> Iterator[Iterable[re.Match[str]]]:
    """``pattern.finditer(text)`` of each of _REFILL_PATTERNS in turn, on a long text
    only where a match can be: in the refill windows, and where "RF" is written."""
    low = None if len(text) < _SHORT else _lowered(text)
    if low is None:
        for pattern, _ in _REFILL_PATTERNS:
            yield pattern.finditer(text)
        return
    windows = _refill_windows(text, low)
    size = len(text)
    *worded, (rf_pattern, _) = _REFILL_PATTERNS
    for pattern, _ in worded:
        yield (m for start, end in windows for m in pattern.finditer(text, start, min(size, end + 1)))
    rf_starts = []
    at = text.find("RF")
    while at >= 0:
        rf_starts.append(at)
        at = text.find("RF", at + 1)
    yield finditer_at(rf_pattern, text, rf_starts)


def _refill_matches(text: str) -> Iterable[tuple[int, int, int]]:
    low = None if len(text) < _SHORT else _lowered(text)
    if low is not None:  # cheap pre-check: most letters mention no refills
        if "refill" not in low and not _RF_WORD.search(low):
            return
    elif not (_REFILL_HINT.search(text) or _RF_HINT.search(text)):
        return
    for (_, kind), matches in zip(_REFILL_PATTERNS, _refill_scans(text)):
        for m in matches:
            number = m.groupdict().get("nx") or m.groupdict().get("n")
            value = 0 if kind == "zero" else _as_int(number or "")
            if value is not None:
                yield m.start(), m.end(), value


def parse_refills(text: str) -> int | None:
    """Number of refills in ``text``: ``"x1 refill"`` → 1, ``"no refills"`` → 0."""
    found = _first(_refill_matches(text), [])
    return found[2] if found else None


# --------------------------------------------------------------------------- days' supply

_DAYS_SUPPLY = [
    re.compile(r"\bdays?\s*'?\s*(?:'s\s*)?supply\s*(?:[:=]|of)?\s*(?P<n>\d+)\b", _F),
    re.compile(r"(?<![#\w])(?P<n>\d+)\s*-?\s*days?\s*'?\s*(?:'s\s*)?supply\b", _F),
]


_SUPPLY_HINT = _Hinted(_DAYS_SUPPLY[0], ["supply"])  # both patterns end in "supply" or hold it


def _days_supply_matches(text: str) -> Iterable[tuple[int, int, int]]:
    if not _SUPPLY_HINT.present(text):
        return
    for rank, pattern in enumerate(_DAYS_SUPPLY):
        for m in pattern.finditer(text):
            yield m.start(), m.end(), int(m.group("n"))
        if rank == 0 and pattern.search(text):
            return  # "supply: 30" beats "60 day supply" in "#60 day supply: 30"


def parse_days_supply(text: str) -> int | None:
    """Days' supply: ``"day supply: 30"`` or ``"30-day supply"`` → 30."""
    found = _first(_days_supply_matches(text), [])
    return found[2] if found else None


# --------------------------------------------------------------------------- frequency

_FNUM = rf"(?:\d+(?:\.\d+)?|{_SMALL_WORD})"
_FRANGE = rf"(?P<lo>{_FNUM})(?:\s*(?:-|–|to|or)\s*(?P<hi>{_FNUM}))?"
_TIMES = r"(?:x|×|times?)"
_PER_DAY = r"(?:(?:a|per|each|every|in\s+a|/)?\s*day\b|daily\b|/\s*d\b)"
_PER_WEEK = r"(?:(?:a|per|each|every|/)?\s*(?:week|wk)s?\b|weekly\b)"
_PRN = r"(?:as\s+needed|p\.\s*r\.\s*n\b\.?|prn\b|as\s+required|when\s+needed)"
_AS_NEEDED = rf"(?:\s*,?\s*{_PRN})"
# An abbreviation's dot is kept inside a phrase ("q6h. prn"), not at a sentence end ("q6h. The").
_HOURS = r"(?:hours?|hrs?|h)\b(?:\.(?![ \t]*(?:\r?\n|$|[A-Z])))?"
_NOT_LIVING = r"(?!\s+(?:living|activit))"

# (pattern, handler) — handlers turn a match into (per_day, per_week, day_range, week_range)
_Freq = tuple[float | None, float | None, list[float] | None, list[float] | None]


def _rate(lo: str, hi: str | None, scale: Callable[[float], float]) -> tuple[float | None, list[float] | None]:
    a = parse_number(lo)
    b = parse_number(hi) if hi else None
    if a is None:
        return None, None
    if b is None or b == a:
        return scale(a), None
    bounds = sorted([scale(a), scale(b)])
    return None, bounds


def _times_per(m: re.Match[str]) -> _Freq | None:
    value, bounds = _rate(m.group("lo"), m.group("hi"), lambda x: x)
    if m.group("week"):
        return None, value, None, bounds
    return value, None, bounds, None


def _adverb(m: re.Match[str]) -> _Freq | None:
    times = _ADVERB_TIMES.get(m.group("adv").lower())
    if times is None:
        return None  # a non-ASCII twin of a letter ("tw\u0131ce") matched under IGNORECASE
    value = float(times)
    if m.group("week"):
        return None, value, None, None
    return value, None, None, None


def _every_hours(m: re.Match[str]) -> _Freq | None:
    value, bounds = _rate(m.group("lo"), m.group("hi"), lambda h: 24.0 / h if h else 0.0)
    if value == 0.0:
        return None
    return value, None, bounds, None


def _every_n(m: re.Match[str]) -> _Freq | None:
    n = 2.0 if m.group("other") else parse_number(m.group("n") or "1")
    if not n:
        return None
    if m.group("unit").lower().startswith("d"):
        return 1.0 / n, None, None, None
    return None, 1.0 / n, None, None


def _const(per_day: float | None, per_week: float | None = None) -> Callable[[re.Match[str]], _Freq]:
    return lambda m: (per_day, per_week, None, None)


def _latin(m: re.Match[str]) -> _Freq | None:
    code = re.sub(r"[\s.]", "", m.group(0)).lower()
    table = {"qd": 1.0, "qday": 1.0, "od": 1.0, "bid": 2.0, "tid": 3.0, "qid": 4.0,
             "qhs": 1.0, "hs": 1.0, "qam": 1.0, "qpm": 1.0, "qod": 0.5}
    if code not in table:
        return None  # a non-ASCII twin of a letter ("h\u017f") matched under IGNORECASE
    return table[code], None, None, None


# "3 visits per week" states how often, like "3 times per week".
_VISITS_AS_TIMES = r"(?:visits?|sessions?|treatments?)"

_PER = rf"(?:(?P<week>{_PER_WEEK})|{_PER_DAY}{_NOT_LIVING})"
# Hints of "2 times a day", "3x/week", "6 visits per week": "x", "times", "visits"... right
# before a "per day/week" (one pattern per first word, each led by a literal).
_TIMES_PER_HINTS = [
    re.compile(rf"{word}s?\s*(?:(?:a|per|each|every|in\s+a|/)?\s*(?:day|week|wk)|daily|/\s*d)")
    for word in ("x", "×", "time", "visit", "session", "treatment")
]
# Hints of the Latin abbreviations (see _Hinted), each a search the engine runs fast (led by
# one literal, no alternation of first letters): "HS" and "tid" starting a word, "q6h"/"qd"/
# "q.i.d."/"qam", "bid" ending a word (not "morbidity": the rule's "bid" ends one too), "h.s.",
# and "t.i.d."/"t i d" (written apart, the "d" follows a dot or space, or "id" does).
_LATIN_HINTS = [
    re.compile(r"hs(?<![\w.]hs)"), re.compile(r"tid(?<![\w.]tid)"), re.compile(r"q\.?\s*[ohdiap]"), re.compile(r"b\.?\s*i\.?\s*d\b"), re.compile(r"h\.\s*s\."),
    re.compile(r"d\b(?<=[.\s]d)"), re.compile(r"id\b(?<=[.\s]id)"),
]
# Patterns led by words are written with resources.led_by (compiled without re.IGNORECASE,
# case-insensitive inside): the regex engine then skips to their first letters in C
# instead of trying every position of a letter (same matches, several times faster).
_FREQUENCY_RULES: list[tuple[_Hinted | _CountLed, Callable[[re.Match[str]], _Freq | None]]] = [
    (
        _Hinted(
            _CountLed(
                [(r"\d", r"\d*(?:\.\d+)?"), *(w for w in _SMALL_WORDS if w[0] in _LED)],
                rf"(?:\s*(?:-|–|to|or)\s*(?P<hi>{_FNUM}))?\s*(?:{_TIMES}|{_VISITS_AS_TIMES})\s*{_PER}",
                not_after=r"[\w.#/-]",
                name="lo",
            ),
            _TIMES_PER_HINTS,
        ),
        _times_per,
    ),
    (_Hinted(re.compile(led_by(["once", "twice", "thrice"], rf"\s*{_PER}", name="adv")), ["once", "twice", "thrice"], leading=True, word_starts=True), _adverb),
    (
        _Hinted(
            re.compile(
                led_by(["every", r"q\.?"], rf"\s*(?P<lo>{_FNUM})(?:\s*(?:-|–|to)\s*(?P<hi>{_FNUM}))?\s*{_HOURS}")
            ),
            ["every", re.compile(rf"q\.?\s*[\d{_SMALL_WORD_INITIALS}]")],
            leading=True,
            word_starts=True,
        ),
        _every_hours,
    ),
    (_Hinted(re.compile(led_by([r"every\s+hour", r"each\s+hour", "hourly"], r"\b")), ["hourly", "every", "each"], leading=True, word_starts=True), _const(24.0)),
    (
        _Hinted(
            re.compile(
                led_by(
                    [r"once\s+every", "every"],
                    rf"\s+(?:(?P<other>other)|(?P<n>{_FNUM}))\s+(?P<unit>days?|weeks?)\b",
                )
            ),
            ["every"],
            word_starts=True,
        ),
        _every_n,
    ),
    (
        _Hinted(
            re.compile(
                led_by(
                    [r"q\.?\s*o\.?\s*d\b\.?", r"q\.?\s*h\.?\s*s\b\.?", r"q\.?\s*d\b\.?", r"qday\b",
                     r"b\.?\s*i\.?\s*d\b\.?", r"t\.?\s*i\.?\s*d\b\.?", r"q\.?\s*i\.?\s*d\b\.?",
                     r"q\.?\s*am\b", r"q\.?\s*pm\b", r"h\.\s*s\.", r"HS\b"],
                    not_after=r"[\w.]",
                )
            ),
            _LATIN_HINTS,
        ),
        _latin,
    ),
    (
        _Hinted(
            re.compile(
                led_by(
                    [r"every\s+day", r"each\s+day", rf"daily{_NOT_LIVING}", "nightly",
                     r"every\s+(?:night|morning|evening)", r"each\s+(?:night|morning|evening)",
                     r"at\s+(?:bed\s*time|night)", r"before\s+bed(?:\s*time)?", r"in\s+the\s+(?:morning|evening)"],
                    r"\b",
                )
            ),
            [
                "every", "each", "daily", "nightly", (re.compile(r"at\s+(?:bed|night)"), ["bed", "night"]),
                (re.compile(r"before\s+bed"), ["bed"]), (re.compile(r"in\s+the\s+(?:morning|evening)"), ["morning", "evening"]),
            ],
            leading=True,
            word_starts=True,
        ),
        _const(1.0),
    ),
    (_Hinted(re.compile(led_by(["weekly", r"every\s+week", r"each\s+week"], r"\b")), ["weekly", "every", "each"], leading=True, word_starts=True), _const(None, 1.0)),
    (
        _Hinted(
            re.compile(
                led_by([r"as\s+needed", r"p\.\s*r\.\s*n\b\.?", r"prn\b", r"as\s+required", r"when\s+needed"],
                       not_after=r"[\w.]")
            ),
            [
                "prn", (re.compile(r"as\s+(?:needed|required)"), ["needed", "required"]),
                (re.compile(r"when\s+needed"), ["needed"]), re.compile(r"p\.\s*r\."),
            ],
            leading=True,
            word_starts=True,
        ),
        _const(None),
    ),
]
_AS_NEEDED_RE = re.compile(_AS_NEEDED, _F)
_RATE_KEYS = ("per_day", "per_week", "per_day_range", "per_week_range")


def _frequency_matches(text: str) -> Iterable[tuple[int, int, dict]]:
    prn_only = _FREQUENCY_RULES[-1][0]
    for pattern, handler in _FREQUENCY_RULES:
        for m in pattern.finditer(text):
            if m.group(0).lower() == "hs" and not m.group(0).isupper():
                continue  # lowercase "hs" is too often not the abbreviation
            rates = handler(m)
            if rates is None:
                continue
            end = m.end()
            as_needed = pattern is prn_only
            if not as_needed:
                tail = _AS_NEEDED_RE.match(text, end)
                if tail:
                    as_needed, end = True, tail.end()
            per_day, per_week, day_range, week_range = rates
            yield m.start(), end, {
                "text": text[m.start():end],
                "per_day": per_day,
                "per_week": per_week,
                "per_day_range": day_range,
                "per_week_range": week_range,
                "as_needed": as_needed,
            }


def parse_frequency(text: str) -> dict | None:
    """Find the first frequency expression in ``text`` and convert it.

    Returns ``{"text", "per_day", "per_week", "per_day_range", "per_week_range",
    "as_needed"}`` where ``text`` is the frequency part only ("one 2 x a day" →
    "2 x a day"; "1-2 4x a day" → "4x a day"). Daily forms fill ``per_day`` (BID → 2,
    every 6 hours → 4, at bedtime → 1, every other day → 0.5); weekly forms fill
    ``per_week`` only ("2 times a week", "3x/week", "weekly"). A range ("every 4-6 hours",
    "2-3 times a day") leaves ``per_day`` None and gives both bounds in
    ``per_day_range`` (every 4-6 hours → [4, 6]). "as needed"/"PRN" alone gives a dict
    with no rate and ``as_needed`` True; a contiguous "as needed" is part of the span
    (after the rate, or just before it: "PRN every 6 hours"). Daily forms leave
    ``per_week`` None (and weekly forms ``per_day``) so the unit the letter used stays
    visible. Lowercase bare "hs" is ignored (too often not the abbreviation).
    """
    found = _pick_frequency(text, list(_frequency_matches(text)))
    return found[2] if found else None


def _pick_frequency(text: str, matches: list[tuple[int, int, dict]]) -> tuple[int, int, dict] | None:
    """Earliest frequency that carries a rate; a bare "as needed"/PRN only if none does.

    A PRN written just before the rate ("PRN every 6 hours") joins the span.
    """
    def has_rate(info: dict) -> bool:
        return any(info[k] is not None for k in _RATE_KEYS)

    best = _first([m for m in matches if has_rate(m[2])], [])
    if best is None:
        return _first(matches, [])
    for start, end, info in matches:
        prn_just_before = end <= best[0] and not text[end:best[0]].strip(" \t\r\n,")
        if prn_just_before and not has_rate(info):
            return start, best[1], dict(best[2], text=text[start:best[1]], as_needed=True)
    return best


# --------------------------------------------------------------------------- quantity

_VISIT_NOUN = r"(?:sessions?|visits?|treatments?|appointments?)"
_DOSE_NOUN = (
    r"(?:tablets?|tabs?|capsules?|caps?|pills?|patch(?:es)?|injections?|applications?|tubes?"
    r"|bottles?|boxes|packs?|lozenges?|suppositor(?:y|ies)|films?|units?(?=\s+of\b)|count)"
)
_COUNT_NOUN = rf"(?:{_VISIT_NOUN}|{_DOSE_NOUN})"
# Up to four describing words may sit between a count and "sessions"/"visits":
# "2 physical therapy sessions", "two additional follow up office visits".
_DESCRIBER = (
    r"(?!(?:times|x|a|an|per|every|weeks?|days?|months?|years?|hours?|for|of|to|and|or"
    r"|with|the|in|at|on|is|was)\b)[a-z][a-z-]*"
)
_PACKAGE_UNIT = r"(?:grams?|gms?|g|ml|milliliters?|cc|oz|ounces?)"

_QUANTITY_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("hash", re.compile(rf"#\s*(?P<n>{_INT})(?![\d.]\d)")),
    (
        "qty",
        _Hinted(
            re.compile(
                led_by(["qty", "quantity", "quant"], rf"\.?\s*(?:[:=#]|of)?\s*(?:#\s*)?(?P<n>{_COUNT})(?![\w.]\d)"),
            ),
            ["qty", "quant"],
            leading=True,
            word_starts=True,
        ),
    ),
    (
        "noun",
        _CountLed(
            _COUNT_ALTS,
            rf"\s*(?:-\s*)?(?:(?:count\s+)?{_DOSE_NOUN}|(?:{_DESCRIBER}\s+){{0,4}}?{_VISIT_NOUN})\b",
            not_after=r"[\w.,/#-]",
            name="n",
        ),
    ),
    (
        "times",
        _Hinted(
            re.compile(
                led_by(
                    ["x", "times"],
                    rf"\s*(?P<n>{_INT})(?![\d.])"
                    rf"(?!\s*(?:-|–|/|x\b|times|refill|days?|weeks?|wks?|months?|hours?|hrs?|years?"
                    rf"|min|per|a\s+(?:day|week)|{_UNIT_BASE}(?![a-z])))",
                    not_after=r"[\w.#/-]",
                ),
            ),
            [re.compile(r"x\s*\d"), re.compile(r"times\s*\d")],
            leading=True,
        ),
    ),
    ("paren", re.compile(r"(?<=\S)\s*\(\s*(?P<n>\d+)\s*\)", _F)),
]
_PACKAGE_RE = re.compile(rf"(?<![\w.,/])(?P<n>{_INT})\s*{_PACKAGE_UNIT}(?![a-z/])", _F)
_TAKE_BEFORE = re.compile(r"(?:\btakes?|\buse|\bapply|-|–|\bto|\bor)\s*$", _F)
_ROUTE_GAP = re.compile(r"\s*(?:by\s+mouth|orally|p\.?o\.?|sublingually|topically)?\s*", _F)


def _quantity_matches(
    text: str, claimed: list[Span], frequencies: list[Span]
) -> Iterable[tuple[int, int, int]]:
    """Quantity candidates in priority order: # > qty > count noun > x N > (N)."""
    for kind, pattern in _QUANTITY_RULES:
        hits = []
        for m in pattern.finditer(text):
            start = m.start() if kind != "paren" else text.index("(", m.start())
            if _overlaps((start, m.end()), claimed):
                continue
            if kind == "noun" and _is_dose_count(text, m, frequencies):
                continue
            value = _as_int(m.group("n"))
            if value is not None:
                hits.append((start, m.end(), value))
        if hits:
            yield min(hits)
            return


def _is_dose_count(text: str, m: re.Match[str], frequencies: list[Span]) -> bool:
    """"1-2 tablets every 6 hours" counts tablets per dose, not tablets dispensed."""
    if re.search(rf"{_VISIT_NOUN}$", m.group(0), _F):
        return False
    # The verb must end where the whitespace before the count starts: search only there
    # (searching the whole text before the count made long inputs quadratic).
    ws = m.start()
    while ws > 0 and text[ws - 1].isspace():
        ws -= 1
    if _TAKE_BEFORE.search(text, max(0, ws - 8), m.start()):
        return True
    gap = _ROUTE_GAP.match(text, m.end())
    nxt = gap.end() if gap else m.end()
    return any(start == nxt for start, _ in frequencies)


def parse_quantity(text: str) -> int | None:
    """Dispensed count in a quantity span (see module docstring for accepted forms).

    Refill phrases ("x1 refill"), days' supply and frequencies ("2x a day") are not
    counted. A package amount (``"180gm"``, ``"120 ml"``) is accepted only when it is the
    whole span, since inside a header the same shape is a strength.
    """
    if not text:
        return None
    claimed = [s[:2] for s in _refill_matches(text)] + [s[:2] for s in _days_supply_matches(text)]
    freqs = [s[:2] for s in _frequency_matches(text)]
    found = next(iter(_quantity_matches(text, claimed + freqs, freqs)), None)
    if found:
        return found[2]
    core = text.strip().rstrip(".,")
    m = _PACKAGE_RE.fullmatch(core) or re.fullmatch(r"\(\s*(?P<n>\d+)\s*\)", core)
    return _as_int(m.group("n")) if m else None


# --------------------------------------------------------------------------- find_amounts

_STRENGTH_MENTION = (
    rf"(?:(?P<range>{_STRENGTH_RANGE})|{_STRENGTH_COMBO}|{_STRENGTH_SINGLE}|(?P<bare>{_NUM}))(?!\w|\s*/\s*\d|\.\d)"
)
_STRENGTH_FIND = re.compile(rf"(?=[\d.])(?<![\w#./,+-]){_STRENGTH_MENTION}", _F)
# _STRENGTH_FIND, led by a look-ahead, is tried at every position of a letter: _strengths
# tries it only where a number starts.


def _strengths(text: str) -> Iterator[re.Match[str]]:
    """``_STRENGTH_FIND.finditer(text)``, tried only where a number starts."""
    if len(text) < _SHORT:
        yield from _STRENGTH_FIND.finditer(text)
        return
    pos = 0
    for at in _number_starts(text):
        if at >= pos and (m := _STRENGTH_FIND.match(text, at)) is not None:
            yield m
            pos = m.end()
# The same, anchored right after a drug name that PDF extraction glued to its strength
# ("Robaxin500mg", "Norco10/325mg"): no look-behind, the caller gives the position.
_STRENGTH_GLUED = re.compile(_STRENGTH_MENTION, _F)
_BARE_STOP = {
    "page", "pages", "chapter", "section", "table", "level", "levels", "grade", "step",
    "phase", "part", "tier", "type", "stage", "item", "no", "number", "icd", "icd9", "icd10",
    "cpt", "version", "appendix", "figure", "request", "case", "of", "and", "or", "for",
}
_MONTH_WORDS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec",
}


def _bare_strength_ok(text: str, start: int, end: int) -> bool:
    """A unitless number is a strength only right after a capitalised name (Norco 10)."""
    prev = re.search(r"([A-Za-z][\w/-]*)\s*$", text[:start])
    if not prev or not text[prev.end():start].strip() == "":
        return False
    word = prev.group(1)
    if not word[0].isupper() or len(word) < 2:
        return False
    if word.lower() in _BARE_STOP or word.lower() in _MONTH_WORDS:
        return False
    after = text[end:]
    return not re.match(
        rf"\s*(?:[%/]|{_TIMES}\b|-|{_COUNT_NOUN}\b|(?:day|week|month|year|hour)s?\b)", after, _F
    )


def _overlaps(span: Span, claimed: list[Span]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in claimed)


class _Claims:
    """Claimed spans of a whole letter; overlap tests in O(log n) (a list made them quadratic).

    Overlapping claims are merged (a span overlaps the union of two overlapping spans
    exactly when it overlaps one of them); empty claims are kept apart.
    """

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.empty: list[Span] = []
        for start, end in spans:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        if end <= start:
            self.empty.append((start, end))
            return
        i = bisect.bisect_right(self.ends, start)  # first claim ending after our start
        j = bisect.bisect_left(self.starts, end)  # claims i..j-1 overlap us
        if i < j:
            start, end = min(start, self.starts[i]), max(end, self.ends[j - 1])
        self.starts[i:j] = [start]
        self.ends[i:j] = [end]

    def overlaps(self, span: Span) -> bool:
        i = bisect.bisect_right(self.ends, span[0])
        if i < len(self.starts) and self.starts[i] < span[1]:
            return True
        return bool(self.empty) and _overlaps(span, self.empty)


def _first(matches: Iterable[tuple], claimed: list[Span]) -> tuple | None:
    """Earliest (then longest) match that does not overlap a claimed span."""
    best = None
    for match in matches:
        if _overlaps((match[0], match[1]), claimed):
            continue
        if best is None or (match[0], -match[1]) < (best[0], -best[1]):
            best = match
    return best


def _dates(text: str) -> list[Span]:
    return [(s, e) for s, e, _ in find_dates(text)]


def find_amounts(text: str) -> dict:
    """Locate strength, quantity, refills, frequency and days' supply in an item header.

    Returns ``{"strength", "strength_span", "quantity", "quantity_span", "refills",
    "refills_span", "frequency", "frequency_span", "days_supply", "days_supply_span"}``
    with spans as ``(start, end)`` offsets into ``text`` (or None).

    Order of claims (each later step skips text already claimed): dates, refills, days'
    supply, frequency, quantity, strength. The strength is the first strength-like token:
    a number with a unit ("350mg", "5%", "10mcg/hr", "240-300 mg"), a number pair
    ("10/325"), or a bare number right after a capitalised word ("Norco 10", "ER 20") that
    is not followed by a frequency, count noun or time unit. When no ``#``/qty/count
    quantity exists, a package amount in g/ml/oz written after the strength ("Voltaren gel
    1% 100 g") is the quantity.
    """
    claimed: list[Span] = _dates(text)
    result: dict = {
        "strength": None, "strength_span": None, "quantity": None, "quantity_span": None,
        "refills": None, "refills_span": None, "frequency": None, "frequency_span": None,
        "days_supply": None, "days_supply_span": None,
    }

    refill = _first(_refill_matches(text), claimed)
    if refill:
        result["refills"], result["refills_span"] = refill[2], refill[:2]
        claimed.append(refill[:2])

    supply = _first(_days_supply_matches(text), claimed)
    if supply:
        result["days_supply"], result["days_supply_span"] = supply[2], supply[:2]
        claimed.append(supply[:2])

    freq_all = [f for f in _frequency_matches(text) if not _overlaps(f[:2], claimed)]
    freq = _pick_frequency(text, freq_all)
    if freq:
        result["frequency"], result["frequency_span"] = freq[2], freq[:2]
        claimed.append(freq[:2])

    quantity = next(iter(_quantity_matches(text, claimed, [f[:2] for f in freq_all])), None)
    if quantity:
        result["quantity"], result["quantity_span"] = quantity[2], quantity[:2]
        claimed.append(quantity[:2])

    if quantity is None:  # a package amount after a dosage form: "cream 240 grams"
        for m in _PACKAGE_HINT.finditer(text):
            span = (m.start("q"), m.end("q"))
            if not _overlaps(span, claimed):
                result["quantity"], result["quantity_span"] = _as_int(m.group("n")), span
                claimed.append(span)
                break

    for m in _strengths(text):
        span = (m.start(), m.end())
        if _overlaps(span, claimed):
            continue
        if m.group("bare") is not None and not _bare_strength_ok(text, *span):
            continue
        parsed = parse_strength(m.group(0))
        if parsed is None:
            continue
        result["strength"], result["strength_span"] = parsed, span
        claimed.append(span)
        break

    if result["quantity"] is None and result["strength_span"] is not None:
        for m in _PACKAGE_RE.finditer(text, result["strength_span"][1]):
            if not _overlaps((m.start(), m.end()), claimed):
                result["quantity"] = _as_int(m.group("n"))
                result["quantity_span"] = (m.start(), m.end())
                break
    return result


# ------------------------------------------------------------------ mentions in free text

_FREE_TEXT_QUANTITY_KINDS = ("hash", "qty", "noun", "times")
_CONTIGUOUS_COUNT = re.compile(rf"(?:{_COUNT})\s*(?:-\s*)?(?:count\s+)?(?:{_DOSE_NOUN}|{_VISIT_NOUN})", _F)
# A package amount after a dosage form, or after the last strength of a compound, is a
# dispensed QUANTITY: "cream 180gm", "in cream base 240g", "Lidocaine 5%, 120grams".
_PACKAGE_FORMS = dosage_form_alternation("package")  # data/dosage_forms.json
_PACKAGE_INITIALS = "".join(sorted({c for w in dosage_form_words("package") for c in (w[0].lower(), w[0].upper())}))
_PACKAGE_AFTER_FORM = re.compile(
    rf"(?=[{_PACKAGE_INITIALS}%])(?:\b(?:{_PACKAGE_FORMS})\b|%)[\s,]*"
    rf"(?P<q>(?P<n>{_INT})\s*(?:grams?|gms?|g|ml|milliliters?|oz|ounces?))(?![a-z/])",
    _F,
)
_UNIT_AFTER_NUMBER = re.compile(r"\s*(?:grams?|gms?|g|ml|milliliters?|oz|ounces?)(?![a-z/])")


def _package_unit_after_number(text: str, low: str) -> bool:
    """Whether a package unit follows a run of digits (in ``low``, ``text`` lower-cased)."""
    return any(_UNIT_AFTER_NUMBER.match(low, end) for end in _number_ends(text))


# Every match ends in a number and a package unit (see _Hinted).
_PACKAGE_HINT = _Hinted(_PACKAGE_AFTER_FORM, [_package_unit_after_number])
# "9-10 visits", "3 to 6 treatments": a range of sessions is one QUANTITY (value: None).
_COUNT_RANGE = _CountLed(
    [*_INT_ALTS, *_WORD_ALTS],
    rf"\s*(?:-|–|to)\s*(?:{_INT}|{_WORD})\s+{_VISIT_NOUN}\b",
    not_after=r"[\w.,/#-]",
)
_TIME_OF_DAY = re.compile(r"at\s+night|in\s+the\s+(?:morning|evening)|nightly", _F)
_DOSING_BEFORE = re.compile(r"\b(?:takes?|taken|taking|tabs?|tablets?|caps?|capsules?|doses?|mg|mcg|apply|applied|use)\b", _F)
_NOT_A_SCHEDULE = re.compile(
    r"\s+(?:doses?|dosages?|dosing|activit|living|morphine|mme\b|med\b|limits?|max|intake|total)", _F
)
# Between a drug name and its bare strength or percentage only dosage-form words may stand
# ("Lidocaine ointment 5%", "Ketoprofen 20% in cream base"), so "75% relief" is no dose
# (the words of role "before_strength" in data/dosage_forms.json).
_DRUG_TO_STRENGTH_GAP = re.compile(rf"[\s,]*(?:(?:{dosage_form_alternation('before_strength')})[\s,]*)*", _F)


# A character no dosage-form word of _DRUG_TO_STRENGTH_GAP can hold (non-ASCII letters
# count as possible: re.IGNORECASE matches a few of them to ASCII letters).
_NOT_IN_GAP = re.compile(r"[^\s,a-zA-Z\u0080-\U0010ffff]")


def _drug_before(text: str, drug_ends: list[int], start: int) -> bool:
    """Whether a drug ends before ``start`` with only dosage-form words between (the
    nearest drug ends first; a character no gap can hold ends the search)."""
    for k in range(bisect.bisect_right(drug_ends, start) - 1, -1, -1):
        end = drug_ends[k]
        if _DRUG_TO_STRENGTH_GAP.fullmatch(text, end, start):
            return True
        if _NOT_IN_GAP.search(text, end, start):
            return False
    return False


# Words that make a following stand-alone "as needed"/PRN a dosing instruction.
_PRN_AFTER_DOSING = re.compile(
    r"(?:\b(?:takes?|taken|taking|tabs?|tablets?|caps?|capsules?|pills?|doses?|puffs?|patch(?:es)?"
    r"|mg|mcg|ml|apply|applied|use|by\s+mouth|orally|p\.?\s*o\.?|sublingual(?:ly)?|topically)"
    r"|\d\s*(?:mg|mcg|ml|%))[\s,]*$",
    _F,
)
_PRN_GAP = re.compile(r"[\s,]*")


def _rate_right_after(
    text: str, end: int, later: list[tuple[int, int, dict]]
) -> tuple[int, int, dict] | None:
    """The frequency with a rate that starts right after ``end`` (spaces/commas between)."""
    nxt = _PRN_GAP.match(text, end).end()
    for start, stop, info in later:
        if start > nxt:
            break
        if start == nxt and any(info.get(key) is not None for key in _RATE_KEYS):
            return start, stop, info
    return None


def _after_drugs(text: str, drug_ends: list[int]) -> set[int]:
    """The offsets ``start`` of a non-whitespace character for which
    ``_drug_right_before(text, drug_ends, start)`` holds: the first one after each drug end
    and the whitespace after it."""
    return {_SPACES.match(text, end).end() for end in drug_ends}


def _drug_right_before(text: str, drug_ends: list[int], start: int) -> bool:
    """Whether a drug ends before ``start`` with only whitespace between."""
    space = start
    while space > 0 and text[space - 1].isspace():
        space -= 1
    k = bisect.bisect_left(drug_ends, space)
    return k < len(drug_ends) and drug_ends[k] <= start


class _Mentions:
    """Amount mentions taken so far in a letter; a taken span is claimed, so the later
    (weaker) finders skip it. Dates are claimed from the start."""

    def __init__(self, claimed: _Claims) -> None:
        self.claimed = claimed
        self.found: list[tuple[int, int, str, Any]] = []

    def free(self, start: int, end: int) -> bool:
        return not self.claimed.overlaps((start, end))

    def take(self, start: int, end: int, label: str, value: Any) -> None:
        self.claimed.add(start, end)
        self.found.append((start, end, label, value))


def find_amount_mentions(
    text: str, drug_spans: Iterable[Span] = (), date_spans: Iterable[Span] | None = None
) -> list[tuple[int, int, str, Any]]:
    """DOSE / QUANTITY / FREQUENCY mentions anywhere in a letter: ``(start, end, label, value)``.

    Stricter than :func:`find_amounts` (which reads one item header): a bare number is a
    dose only right after a drug name ("Norco 10"), a percentage only shortly after one
    ("Lidocaine 5%", not "75% relief"), and quantities need a marker ("#60", "qty 2",
    "12 sessions", "x1 refill"). Dates are never read as amounts (pass ``date_spans`` when
    the caller has already found them). The finders run from the most to the least
    specific; each skips what an earlier one took.
    """
    drugs = sorted(drug_spans)
    drug_ends = sorted(e for _, e in drugs)
    mentions = _Mentions(_Claims(date_spans if date_spans is not None else _dates(text)))
    _take_refills(text, mentions)
    frequency_spans = _take_frequencies(text, drug_ends, mentions)
    _take_package_quantities(text, mentions)
    _take_session_ranges(text, mentions)
    _take_marked_quantities(text, frequency_spans, mentions)
    _take_strengths(text, drugs, drug_ends, mentions)
    return sorted(mentions.found)


def _take_refills(text: str, mentions: _Mentions) -> None:
    """"x1 refill", "2 refills": QUANTITY."""
    for start, end, value in _refill_matches(text):
        if mentions.free(start, end):
            mentions.take(start, end, "QUANTITY", value)


def _take_frequencies(text: str, drug_ends: list[int], mentions: _Mentions) -> list[Span]:
    """Dosing schedules: FREQUENCY. Returns every frequency match (taken or not), which
    tells a dose count ("1-2 tablets every 6 hours") from a dispensed quantity."""
    frequencies = sorted(_frequency_matches(text), key=lambda m: (m[0], -m[1]))
    for k, (start, end, info) in enumerate(frequencies):
        if not mentions.free(start, end):
            continue
        if info.get("per_day") is None and info.get("per_week") is None and not (
            info.get("per_day_range") or info.get("per_week_range")
        ):
            # "as needed"/PRN alone: joins a rate written right after it ("PRN every 6
            # hours"); on its own it is a FREQUENCY after a dosing phrase ("1 tablet by mouth
            # as needed", "Ibuprofen 800mg PRN"), not in prose ("therapy as needed").
            joined = _rate_right_after(text, end, frequencies[k + 1 :])
            if joined is not None:
                end, info = joined[1], dict(joined[2], text=text[start : joined[1]], as_needed=True)
            elif not (
                _PRN_AFTER_DOSING.search(text, max(0, start - 40), start)
                or _drug_right_before(text, drug_ends, start)
            ):
                continue
        if _NOT_A_SCHEDULE.match(text, end) and " " not in text[start:end].strip():
            continue  # "maximum daily dose", "daily activities": an adjective, not a schedule
        if _TIME_OF_DAY.fullmatch(text, start, end) and not _DOSING_BEFORE.search(text, max(0, start - 40), start):
            continue  # "pain worse at night": a time of day, not a dosing schedule
        mentions.take(start, end, "FREQUENCY", info)
    return [(s, e) for s, e, _ in frequencies]


def _take_package_quantities(text: str, mentions: _Mentions) -> None:
    """"cream 180gm", "in cream base 240g": a package amount after a dosage form, QUANTITY."""
    for m in _PACKAGE_HINT.finditer(text):
        if mentions.free(m.start("q"), m.end("q")):
            mentions.take(m.start("q"), m.end("q"), "QUANTITY", _as_int(m.group("n")))


def _take_session_ranges(text: str, mentions: _Mentions) -> None:
    """"9-10 visits": a range of sessions, one QUANTITY without a value."""
    for m in _COUNT_RANGE.finditer(text):
        if mentions.free(m.start(), m.end()):
            mentions.take(m.start(), m.end(), "QUANTITY", None)


def _take_marked_quantities(text: str, frequency_spans: list[Span], mentions: _Mentions) -> None:
    """"#60", "Qty: 2", "12 sessions", "x 12": counts with a marker, QUANTITY."""
    for kind, pattern in _QUANTITY_RULES:
        if kind not in _FREE_TEXT_QUANTITY_KINDS:
            continue
        for m in pattern.finditer(text):
            if not mentions.free(m.start(), m.end()):
                continue
            if kind == "noun" and (
                _is_dose_count(text, m, frequency_spans) or not _CONTIGUOUS_COUNT.fullmatch(m.group(0))
            ):
                continue  # "Eight physical therapy sessions": count and noun are not contiguous
            value = _as_int(m.group("n"))
            if value is not None:
                mentions.take(m.start(), m.end(), "QUANTITY", value)


def _take_strengths(text: str, drugs: list[Span], drug_ends: list[int], mentions: _Mentions) -> None:
    """Strengths ("10/325 mg", "5%", a bare "10" right after a drug name): DOSE."""
    glued = [_STRENGTH_GLUED.match(text, e) for _, e in drugs if e < len(text) and text[e].isdigit()]
    # A bare number is a dose only right after a drug (whitespace between): most numbers of a
    # letter are bare and far from one, and are dropped here (they claim nothing).
    after_drug = _after_drugs(text, drug_ends)
    strengths = [m for m in _strengths(text) if m.start() in after_drug or m.group("bare") is None]
    strengths += filter(None, glued)
    strengths.sort(key=_START)
    for m in strengths:  # the bare numbers left are right after a drug (glued ones: at its end)
        span = (m.start(), m.end())
        if not mentions.free(*span):
            continue
        if (
            m.group("bare") is None
            and not _drug_before(text, drug_ends, span[0])
            and (m.group(0).rstrip().endswith("%") or not _UNIT_RE.search(m.group(0)))
        ):
            continue  # "75% relief", pain scores "8/10": a strength only right after a drug
        parsed = parse_strength(m.group(0))
        if parsed is not None:
            mentions.take(span[0], span[1], "DOSE", parsed)
