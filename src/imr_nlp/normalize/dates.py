"""Calendar dates as written in IMR letters, normalized to ISO 8601.

Letters are US documents, so numeric dates are month/day/year. Accepted shapes:

- numeric with ``/`` or ``-``: ``06/15/2004``, ``7/3/95``, ``10-25-2016``, ``10-13-16``;
  with ``.`` only when the year has four digits (``07.03.2014``), because short dotted
  triples are usually version or ICD numbers;
- ISO: ``2016-11-03`` (also ``2016/11/03``);
- month names, full or abbreviated, with or without a period: ``August 30, 2013``,
  ``Aug 30 2013``, ``Sept. 5, 2014``, ``August 30th, 2013``, ``30 August 2013``,
  ``30th of August, 2013``;
- month precision: ``October 2012``, ``Oct. 2012``, ``October of 2012``, ``10/2012``.

Two-digit years pivot at 30: ``00``-``29`` become 20xx and ``30``-``99`` become 19xx
(letters from 2013 on mention injuries back to the 1970s, never future years past 2029).
Four-digit years must lie in 1900-2099. Bare years (``2012``) are not dates here: the
spec tags a DATE only with at least month and year.

Whitespace between the parts of a written-out date may include line breaks (PDF text
wraps mid-phrase); a numeric date may wrap only right after a separator (``10/25/\\n2016``).
"""

from __future__ import annotations

import datetime as _dt
import re

import numpy

from ..resources import finditer_at, led_by

__all__ = ["DATE_REGEX", "MONTHS", "find_dates", "parse_date"]

#: Month names and abbreviations (lowercase, no period) → month number.
MONTHS: dict[str, int] = {
    "january": 1, "jan": 1,
    "february": 2, "feb": 2, "febr": 2,
    "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "may": 5,
    "june": 6, "jun": 6,
    "july": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# A month word ends at a period, whitespace or comma ("Aug.30" and "Aug 30" both fine,
# "Marchetti" and "decreased" not).
_MON = rf"(?P<mon>{_MONTH})(?![a-z])\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR4 = r"(?P<year>(?:19|20)\d\d)"
# A numeric date may break across lines only right after a separator.
_WRAP = r"(?:[ \t]*\r?\n[ \t]*)?"
_LEFT = r"(?=\d)(?<![\w/.+-])"  # not glued to a previous number, word, ratio or range
_RIGHT = r"(?![\w/+]|[.-]\d)"  # not followed by more digits, ratio parts or ranges

# Every pattern starts by reading one character of a set, in a pattern compiled without
# re.IGNORECASE (case-insensitive parts in scoped (?i:...) groups): Python's regex engine
# then skips to the possible first characters in C instead of trying the whole pattern at
# every position of a letter. The look-behind of _LEFT moves after that first digit.
_NOT_GLUED = r"(?<![\w/.+-]\d)"
_MONTH2 = rf"(?P<month>\d{_NOT_GLUED}\d?)"
_MON_REST = r"(?![a-z])\.?"

# What follows the month word in the two month-led shapes.
_MONTH_LED = {
    "month_day_year": rf"{_MON_REST}\s*{_DAY}(?![\d])\s*,?\s*{_YEAR4}(?!\d)",
    "month_year": rf"{_MON_REST}\s*,?\s+(?:of\s+)?{_YEAR4}(?!\d)",
}


def _month_led(rest: str, capitalized: bool = False) -> str:
    """A month-word-led pattern (case-insensitive) ending with ``rest``."""
    return led_by(sorted(MONTHS, key=len, reverse=True), rest, name="mon", capitalized=capitalized)


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "ymd",
        re.compile(
            rf"(?P<year>\d{_NOT_GLUED}(?<=[12])(?:(?<=1)9|(?<=2)0)\d\d)(?P<sep>[-/]){_WRAP}"
            rf"(?P<month>\d{{1,2}})(?P=sep){_WRAP}(?P<day>\d{{1,2}}){_RIGHT}"
        ),
    ),
    (
        "mdy",
        re.compile(
            rf"{_MONTH2}(?P<sep>[-/]){_WRAP}(?P<day>\d{{1,2}})(?P=sep){_WRAP}"
            rf"(?P<year>\d{{4}}|\d{{2}}){_RIGHT}"
        ),
    ),
    (
        "mdy",
        re.compile(rf"{_MONTH2}\.(?P<day>\d{{1,2}})\.(?P<year>(?:19|20)\d\d){_RIGHT}"),
    ),
    ("month_day_year", re.compile(_month_led(_MONTH_LED["month_day_year"]))),
    (
        "day_month_year",
        re.compile(
            rf"(?P<day>\d(?<![\w/.-]\d)\d?)(?i:(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}\s*,?\s*{_YEAR4}(?!\d))"
        ),
    ),
    ("month_year", re.compile(_month_led(_MONTH_LED["month_year"]))),
    (
        "my",
        re.compile(rf"{_MONTH2}(?P<sep>[-/]){_YEAR4}{_RIGHT}"),
    ),
]
# find_dates keeps a month word only when capitalised (_month_word_ok): its copies of the
# two month-led patterns only try capitalised words (no match can start inside another
# one's month word, so skipping the lower-case ones changes nothing else).
_FIND_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(_month_led(_MONTH_LED[kind], capitalized=True)) if kind in _MONTH_LED else pattern)
    for kind, pattern in _PATTERNS
]

# Where find_dates tries its patterns (one pass each instead of one per pattern). Every
# pattern not led by a month word starts with a digit not glued to a word, ratio or range
# before it (the weakest of their look-behinds), then more digits and a separator, or a day
# ("30th") and a space. The month-led ones start with a capitalised month word: their own
# first part (a match cannot start inside a month word, so none is skipped).
# A digit-led start is of one of three kinds, told by the character after its run of digits
# (the kinds exclude each other): "sep" ("/" or "-": ymd, mdy, my), "dot" (dotted mdy) or
# "day" (a day, "30th", and a space: day_month_year); each pattern is tried only at the
# starts of its kind (_FIND_STARTS).
_DIGIT_LED = re.compile(
    r"\d(?<![\w/.-]\d)(?:(?=\d{0,3}[-/])(?P<sep>)|(?=\d{0,3}\.)(?P<dot>)|(?=\d?(?i:st|nd|rd|th)?\s)(?P<day>))"
)
_MONTH_WORD = re.compile(_month_led("", capitalized=True))
# where each of _FIND_PATTERNS is tried: a kind of digit-led start, or "month" (_MONTH_WORD)
_FIND_STARTS = ("sep", "sep", "dot", "month", "day", "month", "sep")

# The two pre-scans are themselves tried only where a cheap read of the letter allows
# (_candidates): a character that can start the pattern, one before it that its look-behind
# allows and one after it that can follow. Characters outside ASCII (read as themselves up
# to U+00FF, as "?" after that) pass every test: a superset, each candidate then checked
# with the pre-scan's regex.


def _ascii_table(test) -> bytes:
    """For bytes.translate: 1 for each ASCII character passing ``test``, for "?" and for
    every byte outside ASCII, else 0."""
    return bytes(1 if c == "?" or not c.isascii() or test(c) else 0 for c in map(chr, range(256)))


def _bits(*tables: bytes) -> bytes:
    return bytes(sum(table[i] << k for k, table in enumerate(tables)) for i in range(256))


_MONTH_SECOND = {w[1] for w in MONTHS} if all(len(w) > 1 for w in MONTHS) else None
# bit 1: _DIGIT_LED, bit 2: _MONTH_WORD
_FIRST = _bits(_ascii_table(str.isdigit), _ascii_table(lambda c: c in {w[0].upper() for w in MONTHS}))
_BEFORE = _bits(_ascii_table(lambda c: not re.match(r"[\w/.-]", c)), _ascii_table(lambda c: not re.match(r"\w", c)))
_AFTER = _bits(
    _ascii_table(lambda c: re.match(r"[\d/.\-\s]|(?i:[snrt])", c)),
    _ascii_table(lambda c: _MONTH_SECOND is None or c.lower() in _MONTH_SECOND),
)


def _candidates(text: str) -> tuple[list[int], list[int]]:
    """Where ``_DIGIT_LED`` and ``_MONTH_WORD`` may match (supersets)."""
    if len(text) < 2:  # both read at least two characters
        return [], []
    chars = text.encode("latin-1", "replace")  # one byte per character
    bits = numpy.frombuffer(chars.translate(_FIRST), dtype=numpy.uint8)[:-1]  # the last cannot start
    bits = bits & numpy.frombuffer(chars.translate(_AFTER), dtype=numpy.uint8)[1:]
    bits[1:] &= numpy.frombuffer(chars.translate(_BEFORE), dtype=numpy.uint8)[:-2]
    # (nonzero of a boolean array is several times faster than of uint8)
    digits = (bits & 1).view(bool).nonzero()[0].tolist()
    months = (bits >> 1).view(bool).nonzero()[0].tolist()
    return digits, months


def _starts_by_kind(text: str) -> dict[str, list[int]]:
    """Every position where ``_DIGIT_LED`` matches, by kind, and where ``_MONTH_WORD`` does ("month")."""
    digits, months = _candidates(text)
    digit_led, month_word = _DIGIT_LED.match, _MONTH_WORD.match
    starts: dict[str, list[int]] = {"sep": [], "dot": [], "day": []}
    for i in digits:
        m = digit_led(text, i)
        if m is not None:
            starts[m.lastgroup].append(i)
    starts["month"] = [i for i in months if month_word(text, i)]
    return starts


def _starts(text: str) -> tuple[list[int], list[int]]:
    """Every position where ``_DIGIT_LED`` / ``_MONTH_WORD`` match (what a pass of each finds)."""
    starts = _starts_by_kind(text)
    return sorted(starts["sep"] + starts["dot"] + starts["day"]), starts["month"]


def _scanned_starts(text: str) -> tuple[list[int], list[int]]:
    """:func:`_starts` by one pass of each pre-scan over the whole text."""
    return [m.start() for m in _DIGIT_LED.finditer(text)], [m.start() for m in _MONTH_WORD.finditer(text)]


#: One alternation of every accepted shape, for callers that want a single regex
#: (e.g. to build a spaCy pattern). Use :func:`find_dates` to also validate.
def _anonymous(pattern: str) -> str:
    """Drop group names and back-references so several patterns can be joined."""
    pattern = re.sub(r"\(\?P=\w+\)", "[-/]", pattern)
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


DATE_REGEX: re.Pattern[str] = re.compile(
    "|".join(f"(?:{_anonymous(p.pattern)})" for _, p in _PATTERNS), re.IGNORECASE
)


def _expand_year(text: str) -> int:
    """Two-digit years pivot at 30 (00-29 → 2000s, 30-99 → 1900s)."""
    year = int(text)
    if len(text) == 2:
        return 2000 + year if year < 30 else 1900 + year
    return year


def _build(kind: str, m: re.Match[str]) -> dict | None:
    """Validate a regex match and return ``{"iso", "precision"}`` or None."""
    groups = m.groupdict()
    if groups.get("mon"):
        month = MONTHS.get(groups["mon"].lower().rstrip("."))
    else:
        month = int(groups["month"])
    if month is None:
        return None
    year = _expand_year(groups["year"])
    if not 1900 <= year <= 2099:
        return None
    if kind in ("month_year", "my"):
        if not 1 <= month <= 12:
            return None
        return {"iso": f"{year:04d}-{month:02d}", "precision": "month"}
    try:
        day = _dt.date(year, month, int(groups["day"]))
    except ValueError:
        return None
    return {"iso": day.isoformat(), "precision": "day"}


def _month_word_ok(m: re.Match[str]) -> bool:
    """In running text a month word must be capitalised ("may" and "march" are words)."""
    mon = m.groupdict().get("mon")
    return not mon or mon[0].isupper()


def parse_date(text: str) -> dict | None:
    """Parse one date string to ``{"iso": ..., "precision": "day"|"month"}``.

    The whole string (surrounding whitespace and a trailing period/comma aside) must be a
    single date; impossible dates (``13/45/2014``, ``February 30, 2015``) and bare years
    give None. Month words are matched case-insensitively here.
    """
    if not text:
        return None
    core = text.strip().rstrip(",;")
    if core.endswith(".") and not re.search(r"\b(?:" + _MONTH + r")\.$", core, re.I):
        core = core[:-1]
    for kind, pattern in _PATTERNS:
        m = pattern.fullmatch(core)
        if m:
            return _build(kind, m)
    return None


def find_dates(text: str) -> list[tuple[int, int, dict]]:
    """Find every valid date in free text, as ``(start, end, parsed)`` sorted by start.

    Offsets index into ``text`` unchanged. Overlapping candidates resolve to the earliest,
    then the longest (so ``August 30, 2013`` wins over ``August ... 2013`` shapes).
    Ratios and scores (``10/325``, ``6/10``, ``4+/5``, ``5/5``) have no year part and are
    never matched; invalid calendar dates are skipped.
    """
    candidates: list[tuple[int, int, dict]] = []
    starts = _starts_by_kind(text)
    for (kind, pattern), where in zip(_FIND_PATTERNS, _FIND_STARTS):
        for m in finditer_at(pattern, text, starts[where]):
            if not _month_word_ok(m):
                continue
            parsed = _build(kind, m)
            if parsed is not None:
                candidates.append((m.start(), m.end(), parsed))
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    result: list[tuple[int, int, dict]] = []
    last_end = -1
    for start, end, parsed in candidates:
        if start >= last_end:
            result.append((start, end, parsed))
            last_end = end
    return result
