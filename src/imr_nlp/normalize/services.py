"""What was disputed: service type, sessions, duration and body regions of an item (SPEC §4a).

A pure normalizer of one request header ("Physical therapy 2x4 for the lumbar spine",
"Associated surgical service: Cryotherapy unit", "Retro DOS 1/5/17"). The vocabulary is
data: ``data/services.json`` (service terms, context phrases, guideline-topic evidence)
and ``data/body_regions.json`` (region words); both note their sources.

:func:`describe_service` returns the five keys the item's ``treatment`` carries:

- ``service_type`` — one of twelve groups, decided by the service delivered: context
  phrases ("Associated surgical service:", "Post-op", "Labs to include:") are blanked, the
  most specific term wins (the leftmost among equals); a drug found in the request means
  ``pharmaceutical`` unless an injection is requested or a non-drug service comes first;
  with no term, the topics of the item's guideline citations vote; else ``other``.
- ``sessions`` / ``sessions_range`` — the number of sessions or visits asked for, only for
  services delivered in sessions ("2 times a week for 6 weeks" → 12, "12-18 sessions" →
  range [12, 18]).
- ``duration_days`` — a stated rental or treatment duration of a non-drug item
  ("30 day rental" → 30, "for 4 weeks" → 28); a range gives ``None``.
- ``body_regions`` — sorted regions the request names (laterality is not a region).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..resources import RuleData, active_data, finditer_at
from .amounts import NUMBER_WORDS, parse_number
from .pattern_starts import CaselessTwin, caseless_source, caseless_twin, first_chars

_F = re.IGNORECASE


def _bounded(pattern: str) -> str:
    """Letter boundaries on both sides, except for a '~' pattern (found inside glued words)."""
    if pattern.startswith("~"):
        return f"(?:{pattern[1:]})"
    return rf"(?<![A-Za-z])(?:{pattern})(?![A-Za-z])"


@dataclass(frozen=True)
class _Term:
    pattern: re.Pattern
    value: str | tuple[str, ...]  # service type, or regions
    priority: int


# A pattern, and whether it runs on the lowercased text (its lowercase twin, compiled
# case-sensitively: the engine then checks a branch's first letter before entering it).
_Twin = tuple[re.Pattern, bool]
# Per character: the union of the terms' alternations of their branches that may start
# with it, one named group per term ("t<i>": the i-th term), and per term (its index in
# the vocabulary) that alternation.
_Cut = tuple[_Twin, tuple[tuple[int, _Twin], ...]]


@dataclass(frozen=True)
class _Terms:
    """Term alternations, and the same cut per first character for ASCII text.

    ``bounded``: the cuts of the bounded terms (tried where the character is not preceded
    by a letter); ``glued``: those of the glued terms (tried where ``glued_starts``, the
    twin of their union, finds that one of them matches); ``others``: indices of the terms
    whose branch starts cannot be read, scanned as a whole.
    """

    terms: tuple[_Term, ...]
    bounded: dict[str, _Cut]
    glued: dict[str, _Cut]
    glued_starts: CaselessTwin | None
    others: tuple[int, ...]


@dataclass(frozen=True)
class _Blanker:
    """A pattern whose matches :func:`_blank` blanks, with its lowercase twin (None: none)."""

    pattern: re.Pattern
    twin: CaselessTwin | None

    @classmethod
    def of(cls, pattern: re.Pattern) -> _Blanker:
        return cls(pattern, caseless_twin(pattern))


@dataclass(frozen=True)
class _Vocabulary:
    service_types: tuple[str, ...]
    session_types: frozenset[str]
    duration_excluded: frozenset[str]
    context: _Blanker
    terms: _Terms
    topic_rules: tuple[tuple[str, re.Pattern], ...]
    region_exclude: _Blanker
    regions: _Terms


def _cut(
    terms: list[tuple[int, list[str], list[frozenset[str]]]], bounds: tuple[str, str]
) -> dict[str, _Cut]:
    """Cut each term's branches per first character; ``bounds`` wrap every alternation."""
    before, after = bounds
    per_char: dict[str, list[tuple[int, str]]] = {}
    for k, branches, starts in terms:
        for char in sorted(set().union(*starts)):
            alternation = "|".join(f"(?:{p})" for p, s in zip(branches, starts) if char in s)
            per_char.setdefault(char, []).append((k, f"{before}(?:{alternation}){after}"))
    return {
        char: (
            _twin("|".join(f"(?P<t{i}>{a})" for i, (_, a) in enumerate(cut))),
            tuple((k, _twin(a)) for k, a in cut),
        )
        for char, cut in per_char.items()
    }


def _twin(source: str) -> _Twin:
    """The lowercase twin of a case-insensitive ``source`` when it has one, else itself."""
    lowered = caseless_source(source)
    return (re.compile(source, _F), False) if lowered is None else (re.compile(lowered), True)


_BOUNDS = (r"(?<![A-Za-z])", r"(?![A-Za-z])")


def _grouped(groups: list[tuple[str | tuple[str, ...], int, list[str]]]) -> _Terms:
    """One alternation per (value, priority) and boundary kind, longer patterns first; the
    letter boundary before a bounded alternation is checked once per position.

    For ASCII text the branches are also cut per first character (see
    :func:`_all_matches`), so that a position is tried only with the branches that can
    start there."""
    merged: dict[tuple, list[str]] = {}
    for value, priority, patterns in groups:
        merged.setdefault((value, priority), []).extend(patterns)
    terms: list[_Term] = []
    bounded_cuts, glued_cuts, others = [], [], []
    for (value, priority), patterns in merged.items():
        bounded = sorted((p for p in patterns if not p.startswith("~")), key=len, reverse=True)
        glued = sorted((p[1:] for p in patterns if p.startswith("~")), key=len, reverse=True)
        for branches, bounds, cuts in ((bounded, _BOUNDS, bounded_cuts), (glued, ("", ""), glued_cuts)):
            if not branches:
                continue
            alternation = "|".join(f"(?:{p})" for p in branches)
            terms.append(_Term(re.compile(f"{bounds[0]}(?:{alternation}){bounds[1]}", _F), value, priority))
            starts = [first_chars(p) for p in branches]
            if None in starts:
                others.append(len(terms) - 1)
            else:
                cuts.append((len(terms) - 1, branches, starts))
    glued_starts = None
    if glued_cuts:
        union = "|".join(f"(?:{terms[k].pattern.pattern})" for k, _, _ in glued_cuts)
        glued_starts = caseless_twin(re.compile(union, _F))
        if glued_starts is None:  # scanned as a whole
            others.extend(k for k, _, _ in glued_cuts)
            glued_cuts = []
    return _Terms(
        tuple(terms), _cut(bounded_cuts, _BOUNDS), _cut(glued_cuts, ("", "")), glued_starts, tuple(others)
    )


def _vocabulary() -> _Vocabulary:
    """The compiled service vocabulary of the rule data in use (once per component's data)."""
    return active_data().compiled("services.vocabulary", _build_vocabulary)


def _build_vocabulary(data: RuleData) -> _Vocabulary:
    services = data["services.json"]
    regions = data["body_regions.json"]
    terms = _grouped([(group["type"], group["priority"], group["patterns"]) for group in services["terms"]])
    topic_rules = tuple(
        (
            rule["type"],
            re.compile(rf"(?<![A-Za-z])(?:{'|'.join(rule['patterns'])})", _F),
        )  # plurals: no end bound
        for rule in services["topic_evidence"]["rules"]
    )
    region_terms = _grouped([(tuple(group["regions"]), 0, group["patterns"]) for group in regions["terms"]])
    return _Vocabulary(
        service_types=tuple(services["service_types"]),
        session_types=frozenset(services["session_types"]),
        duration_excluded=frozenset(services["duration_excluded_types"]),
        context=_Blanker.of(
            re.compile(
                rf"(?<![A-Za-z])(?:{'|'.join(f'(?:{p})' for p in services['context'])})(?![A-Za-z])", _F
            )
        ),
        terms=terms,
        topic_rules=topic_rules,
        region_exclude=_Blanker.of(re.compile("|".join(_bounded(p) for p in regions["exclude"]), _F)),
        regions=region_terms,
    )


_HYPHEN_BREAK = re.compile(r"([A-Za-z])-[ \t]*\r?\n\s*([a-z])")


def _clean(text: str) -> str:
    """A word hyphenated over a line break is joined; whitespace runs become one space."""
    return " ".join(_HYPHEN_BREAK.sub(r"\1\2", text).split())


def _blank(text: str, pattern: _Blanker) -> str:
    """``text`` with every match of the pattern replaced by as many spaces."""
    if pattern.twin is None or not text.isascii():
        return pattern.pattern.sub(lambda m: " " * len(m.group()), text)
    # ASCII text: the matches of the lowercase twin on the lowercase copy (the engine skips
    # the positions where no branch can start; an IGNORECASE pattern tries them all).
    pieces = []
    last = 0
    for _, start, end in pattern.twin.finditer(text.lower()):
        pieces.append(text[last:start])
        pieces.append(" " * (end - start))
        last = end
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def _term_matches(text: str, pattern: re.Pattern) -> list[tuple[int, int]]:
    """Matches of one alternation starting at every position (overlapping ones included)."""
    found = []
    pos = 0
    while (match := pattern.search(text, pos)) is not None:
        if match.end() > match.start():
            found.append((match.start(), match.end()))
        pos = match.start() + 1
    return found


_NOT_AFTER_LETTER = re.compile(r"(?<![A-Za-z]).", re.S)


def _cut_matches(text: str, lowered: str, positions, cuts: dict[str, _Cut], per_term: list[list]) -> None:
    """Add to ``per_term`` the matches of the cut terms at ``positions`` (ascending)."""
    for pos in positions:
        entry = cuts.get(lowered[pos])
        if entry is None:
            continue
        (union, on_lowered), terms = entry
        match = union.match(lowered if on_lowered else text, pos)
        if match is None:  # no term starts here
            continue
        first = int(match.lastgroup[1:])  # the first term that matches here
        if match.end() > pos:
            per_term[terms[first][0]].append((pos, match.end()))
        for k, (pattern, on_lowered) in terms[first + 1 :]:
            match = pattern.match(lowered if on_lowered else text, pos)
            if match is not None and match.end() > pos:
                per_term[k].append((pos, match.end()))


def _all_matches(text: str, terms: _Terms) -> list[tuple[int, int, _Term]]:
    """The matches of every term at every position, term by term in position order.

    On ASCII text a branch can only match where its first character stands (matched
    case-insensitively: the keys are lowercase), and a bounded one only where that
    character is not preceded by a letter. There the terms are matched with just the
    branches that start with that character, which gives each whole alternation's match
    at that position (the union of those terms gives the first term that matches, or
    none). Non-ASCII text
    (where case folding reaches beyond ASCII) is scanned term by term."""
    if not text.isascii():
        return [(s, e, term) for term in terms.terms for s, e in _term_matches(text, term.pattern)]
    per_term: list[list[tuple[int, int]]] = [[] for _ in terms.terms]
    lowered = text.lower()
    starts = (m.start() for m in _NOT_AFTER_LETTER.finditer(lowered))
    _cut_matches(text, lowered, starts, terms.bounded, per_term)
    if terms.glued_starts is not None:
        _cut_matches(text, lowered, terms.glued_starts.starts(lowered), terms.glued, per_term)
    for k in terms.others:
        per_term[k] = _term_matches(text, terms.terms[k].pattern)
    return [(s, e, term) for term, matches in zip(terms.terms, per_term) for s, e in matches]


def _longest_matches(text: str, terms: _Terms) -> list[tuple[int, int, _Term]]:
    """All term matches, overlapping ones resolved in favour of the longest (then earliest)."""
    found = _all_matches(text, terms)
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    kept: list[tuple[int, int, _Term]] = []
    for start, end, term in found:
        if all(end <= s or start >= e for s, e, _ in kept):
            kept.append((start, end, term))
    return sorted(kept, key=lambda f: f[0])


# --- service type ----------------------------------------------------------------------


def _topic_vote(citations: list[dict[str, Any]]) -> str | None:
    votes: Counter[str] = Counter()
    order: dict[str, int] = {}
    for citation in citations:
        text = " ".join(str(citation.get(k) or "") for k in ("topic", "chapter"))
        for service_type, pattern in _vocabulary().topic_rules:
            if pattern.search(text):
                votes[service_type] += 1
                order.setdefault(service_type, len(order))
                break
    if not votes:
        return None
    return max(votes, key=lambda t: (votes[t], -order[t]))


def service_type(
    text: str, drug_span: tuple[int, int] | None = None, citations: list[dict] | None = None
) -> str:
    """The service group of one request (SPEC §4a); ``drug_span`` is the drug's offsets in ``text``."""
    vocab = _vocabulary()
    cleaned = _blank(text, vocab.context)
    matches = _longest_matches(cleaned, vocab.terms)
    strong = [m for m in matches if m[2].priority >= 2]
    if drug_span is not None:
        if any(t.value == "injection" for _, _, t in strong):
            return "injection"
        before = [m for m in strong if m[0] < drug_span[0] and m[2].value != "pharmaceutical"]
        if before:
            return str(max(before, key=lambda m: (m[2].priority, -m[0]))[2].value)
        return "pharmaceutical"
    if strong:
        return str(max(strong, key=lambda m: (m[2].priority, -m[0]))[2].value)
    voted = _topic_vote(citations or [])
    if voted:
        return voted
    if matches:
        return str(matches[0][2].value)
    return "other"


# --- sessions and duration -------------------------------------------------------------

_WORDS = "|".join(sorted((w for w in NUMBER_WORDS if " " not in w), key=len, reverse=True))
# The look-ahead lets the engine skip positions that cannot start a number cheaply.
_N = rf"(?=[\dzotfsenh])(?:\d{{1,3}}|{_WORDS})"
_NUM = rf"(?P<n>{_N})(?:\s*\(\s*(?:\d+|[a-z]+)\s*\))?"  # "eight (8)", "8 (eight)"
_WEEK = r"(?:weeks?|wks?\.?)"
_PER_WEEK = rf"(?:\s*(?:x|times?|visits?|sessions?|treatments?|days?)\s*(?:a|per|/|each|every)?|\s*(?:a|per|/|each|every)|\s*x\s*/)\s*{_WEEK}|\s*(?:x|times?)\s*weekly"
_ADVERB = r"(?P<adverb>once|twice|thrice)\s*(?:a|per|/|each|every)\s*week|(?P<weekly>weekly)"
_FOR = r"\s*[,;]?\s*(?:for|x|times|over|during|\*)?\s*(?:a\s*(?:period|total)\s*of\s*|the\s*next\s*)?"
_NOISE = re.compile(
    r"\d{1,2}/\d{1,2}/\d{2,4}"  # dates
    r"|\b[CTL]\d{1,2}(?:\s*-\s*[CTLS]?\d{1,2})+"  # spinal levels L4-5, L5-S1
    r"|\d+(?:\.\d+)?\s*(?:mg|mcg|ml|cc|%|hours?|hrs?|minutes?|mins?)\b"
    r"|\d+\.\d+",
    _F,
)

_DENOISE = _Blanker.of(_NOISE)

_RANGE_SESSIONS = re.compile(
    rf"(?P<lo>{_N})\s*(?:-|to)\s*(?P<hi>{_N})\s*(?:additional\s*|more\s*)?(?:[a-z][a-z'/&-]*\s+){{0,3}}?(?:sessions?|visits?|treatments?|appointments?|injections?)",
    _F,
)
_RANGE_FREQ = re.compile(
    rf"(?P<lo>{_N})\s*(?:-|to|or)\s*(?P<hi>{_N})(?:{_PER_WEEK}){_FOR}(?P<w>{_N})\s*{_WEEK}"
    rf"|(?P<f>{_N})(?:{_PER_WEEK}){_FOR}(?P<wlo>{_N})\s*(?:-|to)\s*(?P<whi>{_N})\s*{_WEEK}",
    _F,
)
# "12 sessions", "Twelve physical therapy sessions", "Eight (8) visits" (not "3 visits per week").
_EXPLICIT = re.compile(
    rf"(?<![\w/-])(?<!\bto\s)(?<!\bor\s){_NUM}\s*(?:additional\s*|more\s*|further\s*)?"
    r"(?:(?!times\b|per\b|a\b|for\b|x\b|weeks?\b|days?\b)[a-z][a-z'/&-]*\s+){0,4}?"
    r"(?:sessions?|visits?|treatments?|appointments?|classes|injections?)(?![a-z])"
    r"(?!\s*(?:a|per|/|each|every)\s*(?:week|wk|day|month))",
    _F,
)
_AND_MORE = re.compile(
    rf"\s*(?:[^,;]*?)\band\s*{_NUM}\s*(?:sessions?|visits?)?\s*(?:for|to|of|on)\b",
    _F,
)
_PAREN = re.compile(r"\(\s*(?P<n>\d{1,3})\s*\)", _F)
_PRODUCT = re.compile(
    rf"(?<![\w/])(?P<a>{_N})\s*(?:x|×|times)\s*(?P<b>{_N})(?![\w/])(?!\s*(?:a|per|/)\s*(?:week|wk|day)|\s*(?:{_WEEK}|days?|months?|refills?))",
    _F,
)
_TIMES = re.compile(
    rf"(?<![\w/])(?<!\d\s)(?:times|x|×|#|qty\s*:?|quantity\s*:?)\s*{_NUM}(?![\w/])(?!\s*(?:{_WEEK}|days?|months?|per|a\s*week|/))",
    _F,
)
_FREQ_WEEKS = re.compile(
    rf"(?:(?P<f>{_N})(?:{_PER_WEEK})|{_ADVERB}){_FOR}(?P<w>{_N})\s*{_WEEK}"
    rf"|(?:for|x)\s*(?P<w2>{_N})\s*{_WEEK}\s*[,;]?\s*(?:at\s*)?(?P<f2>{_N})(?:{_PER_WEEK})",
    _F,
)
_DAILY = re.compile(rf"\bdaily\b(?:\s*[a-z]+){{0,3}}?\s*(?:for|x)\s*(?P<n>{_N})\s*(?P<u>{_WEEK}|days?)", _F)


def _num(value: str) -> int | None:
    number = parse_number(value)
    return int(number) if number is not None and number == int(number) else None


def _per_week(match: re.Match, freq: str = "f") -> int | None:
    if match.groupdict().get("adverb"):
        return {"once": 1, "twice": 2, "thrice": 3}[match.group("adverb").lower()]
    if match.groupdict().get("weekly"):
        return 1
    return _num(match.group(freq)) if match.group(freq) else None


def sessions(text: str, service: str) -> tuple[int | None, list[int] | None]:
    """(sessions, sessions_range) of a request whose service is delivered in sessions."""
    if service not in _vocabulary().session_types:
        return None, None
    return _sessions(_blank(_clean(text), _DENOISE))


# Where a match of the session patterns can start, on the lowercase copy of ASCII text (where
# IGNORECASE is ASCII case folding and \d is [0-9]): every one holds a number (_N: digits or
# a number word); _RANGE_SESSIONS, _RANGE_FREQ and the duration patterns start with it,
# _FREQ_WEEKS with it, an adverb, "weekly", "for" or "x". These are tried only there (the engine would try
# every position, entering the number-word alternation at each).
_NUMBER_LEAD = re.compile(rf"[0-9]|{_WORDS}")
_FREQ_LEAD = re.compile(rf"[0-9]|{_WORDS}|once|twice|thrice|weekly|for|x")


def _lead_starts(lead: re.Pattern, lowered: str) -> list[int]:
    """Every position where ``lead`` matches ``lowered`` (overlapping matches too)."""
    found = []
    pos = 0
    while (match := lead.search(lowered, pos)) is not None:
        found.append(match.start())
        pos = match.start() + 1
    return found


def _search_led(pattern: re.Pattern, text: str, starts: list[int] | None) -> re.Match | None:
    """``pattern.search(text)``, tried only at ``starts`` (ascending; every position where a
    match can start), or everywhere when ``starts`` is None."""
    return pattern.search(text) if starts is None else next(finditer_at(pattern, text, starts), None)


def _finditer_led(pattern: re.Pattern, text: str, starts: list[int] | None) -> Iterator[re.Match]:
    """``pattern.finditer(text)`` for a pattern whose matches are never empty, tried only at
    ``starts`` (as for :func:`_search_led`)."""
    return pattern.finditer(text) if starts is None else finditer_at(pattern, text, starts)


def _sessions(t: str) -> tuple[int | None, list[int] | None]:
    """:func:`sessions` of a cleaned request with its noise blanked."""
    lowered = t.lower() if t.isascii() else None
    numbers = None if lowered is None else _lead_starts(_NUMBER_LEAD, lowered)
    if numbers == []:  # every pattern below needs a number
        return None, None
    rng = _search_led(_RANGE_SESSIONS, t, numbers)
    if rng:
        lo, hi = _num(rng.group("lo")), _num(rng.group("hi"))
        return (None, [lo, hi]) if lo is not None and hi is not None and lo < hi else (None, None)
    explicit = [m for m in _EXPLICIT.finditer(t) if not re.search(r"(?:x|times)\s*$", t[: m.start()], _F)]
    if explicit:
        total = 0
        for m in explicit:
            total += _num(m.group("n")) or 0
            more = _AND_MORE.match(t, m.end())
            if more and len(explicit) == 1:
                total += _num(more.group("n")) or 0
        return (total or None), None
    rng = _search_led(_RANGE_FREQ, t, numbers)
    if rng:
        if rng.group("lo"):
            lo, hi, w = (_num(rng.group(k)) for k in ("lo", "hi", "w"))
            bounds = (lo * w, hi * w) if None not in (lo, hi, w) else None
        else:
            f, wlo, whi = (_num(rng.group(k)) for k in ("f", "wlo", "whi"))
            bounds = (f * wlo, f * whi) if None not in (f, wlo, whi) else None
        if bounds and bounds[0] < bounds[1]:
            return None, list(bounds)
    paren = _PAREN.search(t)
    if paren:
        return _num(paren.group("n")), None
    freq = _search_led(_FREQ_WEEKS, t, None if lowered is None else _lead_starts(_FREQ_LEAD, lowered))
    if freq:
        if freq.group("w2"):
            f, w = _num(freq.group("f2")), _num(freq.group("w2"))
        else:
            f, w = _per_week(freq), _num(freq.group("w"))
        if f and w:
            return f * w, None
    daily = _DAILY.search(t)
    if daily:
        n = _num(daily.group("n"))
        if n:
            return (n * 7 if daily.group("u").lower().startswith("w") else n), None
    product = _PRODUCT.search(t)
    if product:
        a, b = _num(product.group("a")), _num(product.group("b"))
        if a and b:
            return a * b, None
    times = _TIMES.search(t)
    if times:
        return _num(times.group("n")), None
    return None, None


_UNIT_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
_UNIT = r"(?P<u>days?|weeks?|wks?\.?|months?|mos?\.?|years?|yrs?\.?)"
_DURATION_RANGE = re.compile(rf"(?<![\w/]){_N}\s*(?:-|to)\s*{_N}\s*-?\s*{_UNIT}(?![a-z])", _F)
_DURATION = re.compile(
    rf"(?<![\w/]){_NUM}\s*-?\s*{_UNIT}(?![a-z])(?!\s*'?s?\s*supply)"
    r"(?!\s*(?:a|per|/|each|every|of\s+the)\s*(?:week|wk|month|day))",  # "7 days a week" is a rate
    _F,
)
_THEN = re.compile(r"\b(?:then|followed\s+by|plus)\b", _F)


def duration_days(text: str, service: str) -> int | None:
    """A stated rental or treatment duration in days; ``None`` for none, a range or a drug."""
    if service in _vocabulary().duration_excluded:
        return None
    return _duration_days(_blank(_clean(text), _DENOISE))


def _duration_days(t: str) -> int | None:
    """:func:`duration_days` of a cleaned request with its noise blanked."""
    numbers = _lead_starts(_NUMBER_LEAD, t.lower()) if t.isascii() else None  # both start with _N
    if numbers == [] or _search_led(_DURATION_RANGE, t, numbers):
        return None
    found = [(m, _num(m.group("n"))) for m in _finditer_led(_DURATION, t, numbers)]
    days = [n * _UNIT_DAYS[m.group("u")[0].lower()] for m, n in found if n]
    if not days:
        return None
    if len(days) > 1 and _THEN.search(t):
        return sum(days)
    return days[0]


# --- body regions ----------------------------------------------------------------------


def body_regions(text: str) -> list[str]:
    """Sorted regions the request names (``[]`` when none)."""
    return _body_regions(_clean(text))


def _body_regions(cleaned: str) -> list[str]:
    vocab = _vocabulary()
    t = _blank(cleaned, vocab.region_exclude)
    found = {region for _, _, term in _longest_matches(t, vocab.regions) for region in term.value}
    return sorted(found)


def describe_service(
    text: str, drug_span: tuple[int, int] | None = None, citations: list[dict] | None = None
) -> dict[str, Any]:
    """The five SPEC §4a keys of one request: service_type, sessions, sessions_range,
    duration_days, body_regions. ``drug_span``: offsets in ``text`` of the drug the
    request names (None when none); ``citations``: the item's parsed guideline citations."""
    cleaned = _clean(text)
    if drug_span is not None:  # re-map the span onto the whitespace-collapsed text
        drug_span = (len(_clean(text[: drug_span[0]] + "x")) - 1, len(_clean(text[: drug_span[1]])))
    service = service_type(cleaned, drug_span, citations)
    vocab = _vocabulary()
    in_sessions, has_duration = service in vocab.session_types, service not in vocab.duration_excluded
    # cleaning is idempotent
    denoised = _blank(cleaned, _DENOISE) if in_sessions or has_duration else ""
    count, count_range = _sessions(denoised) if in_sessions else (None, None)
    return {
        "service_type": service,
        "sessions": count,
        "sessions_range": count_range,
        "duration_days": _duration_days(denoised) if has_duration else None,
        "body_regions": _body_regions(cleaned),
    }
