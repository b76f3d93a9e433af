"""Guideline citations (MTUS / ODG / ACOEM / OTHER) as structured data.

Two entry points:

* :func:`parse_citations` reads the text of ONE guideline line of a letter (what follows
  "Claims Administrator guideline:" or "MAXIMUS guideline:", possibly several
  "Decision based on ..." sentences, with PDF line breaks and runs of spaces).
* :func:`find_citations` finds guideline mentions in FREE text (decision rationales). It
  prefers precision to recall; the accepted forms are listed in its docstring.

Every citation is a dict ``{"source", "document", "chapter", "topic", "year", "pages",
"start", "end", "text"}``; ``start``/``end`` are offsets into the text given, and the span
follows the CITATION annotation guideline (from the guideline's name through chapter,
topic and pages; "Decision based on", a leading "the" and a trailing period excluded).
Value conventions:

* ``source``: "MTUS" for anything cited as part of the MTUS (its own guidelines and the
  adopted ACOEM chapters), "ODG", "ACOEM" (cited outside the MTUS) or "OTHER".
* ``document``: canonical MTUS document ("Chronic Pain Medical Treatment Guidelines",
  "Low Back Complaints", ...), "ACOEM" for ACOEM cited by chapter or as a whole,
  "Official Disability Guidelines" for ODG, the first clause as printed for OTHER.
* ``chapter``: ACOEM chapter title (from the chapter number when it is printed) or the
  canonical ODG chapter ("Pain (Chronic)", "Low Back", ...; several joined with "; ").
* ``topic``: section/topic as printed, whitespace collapsed. ``year``: as printed
  (an ODG "(updated 11/3/16)" gives 2016); never inferred. ``pages``: expanded page list.

The vocabulary is data, one file each: ``imr_nlp/data/guidelines.json`` (the names of the
MTUS, ODG and ACOEM, the MTUS documents and their aliases, ACOEM chapter numbers, ODG
chapter keywords, the "Decision based on" leads), read alike by the guideline-line parser
and the free-text finder; the labels before a guideline line ("MAXIMUS guideline:") come
from ``imr_nlp/data/letter_templates.json`` (``items.body_labels``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy

from ..resources import RuleData, active_data, caseless_copy, finditer_at
from .pattern_starts import sre_parser as _sre_parse

_IC = re.IGNORECASE
# "Guidelines", also hyphenated over a line break ("Guide-\nlines")
_GUIDE = r"Guide(?:-\s*)?lines?"
# Verbs that end a topic after "guidelines for ...": "... for chronic pain describe the criteria".
_VERBS = (
    r"is|are|was|were|includes?|recommends?|states?|requires?|indicates?|do|does|allows?|supports?|notes?"
    r"|has|have|suggests?|describes?|discuss(?:es)?|address(?:es)?|mentions?|lists?|specif(?:y|ies)|says?"
    r"|defines?|outlines?|explains?|advises?|limits?|permits?|considers?|cautions?|warns?|would|may|can|should"
)

# --- pages -----------------------------------------------------------------------------

# One page or a range; the negative look-ahead keeps dates (12/17/2016), section
# numbers (3.3.1) and words (2nd) out.
_PAGE_ITEM = r"\d{1,4}(?:\s*[-\u2013\u2014]\s*\d{1,4})?(?![\d/]|\.\d|[A-Za-z])"
_PAGE_LIST = rf"{_PAGE_ITEM}(?:\s*(?:,|&|\band\b)\s*{_PAGE_ITEM})*"
_PAGE_ITEM_RE = re.compile(r"(\d{1,4})(?:\s*[-\u2013\u2014]\s*(\d{1,4}))?")
_PAGE_LABEL = r"(?:Page\s*\(\s*s\s*\)|Pages?|pgs?\b\.?|pp?\.)"
# (?<![A-Za-z]){_PAGE_LABEL}: every label starts with "p", read first so that the engine
# skips to the p's in C (a leading look-behind is tried at every position)
_PAGE_LABEL_AFTER_P = r"(?:age\s*\(\s*s\s*\)|ages?|gs?\b\.?|p?\.)"
_PAGES_IN_BODY = re.compile(rf"p(?<![A-Za-z]p){_PAGE_LABEL_AFTER_P}\s*:?\s*(?P<pages>{_PAGE_LIST})", _IC)
_MAX_RANGE = 300  # a longer "range" is a misread, not a page range
_LEADING_PAGE_LABEL = re.compile(rf"^\s*{_PAGE_LABEL}\s*:?\s*", _IC)
_PAGE_LIST_RE = re.compile(_PAGE_LIST, _IC)


def _rstrip_space_and(s: str, chars: str) -> str:
    """``s`` without its trailing run of whitespace and ``chars`` (re.sub of ``[\\s<chars>]+$``:
    ``\\s`` is ``str.isspace``)."""
    end = len(s)
    while end and (s[end - 1] in chars or s[end - 1].isspace()):
        end -= 1
    return s[:end]


def expand_pages(text: str) -> list[int]:
    """Expand a printed page list ("29, 63-5, 124") into sorted, unique page numbers.

    Abbreviated range ends take the missing leading digits from the start ("47-8" ->
    47, 48; "100-2" -> 100..102). A leading "Page(s):"/"pages"/"pg." label and a final
    period are allowed. Anything that is not a page list, and reversed or implausibly
    long ranges, give nothing.
    """
    s = _LEADING_PAGE_LABEL.sub("", text or "")
    s = _rstrip_space_and(s, ".,;")
    if not s or not _PAGE_LIST_RE.fullmatch(s):
        return []
    pages: set[int] = set()
    for m in _PAGE_ITEM_RE.finditer(s):
        first, last = m.group(1), m.group(2)
        a = int(first)
        if last is None:
            if a > 0:
                pages.add(a)
            continue
        if len(last) < len(first):
            last = first[: len(first) - len(last)] + last
        b = int(last)
        if a <= 0 or b < a or b - a > _MAX_RANGE:
            continue
        pages.update(range(a, b + 1))
    return sorted(pages)


# --- vocabulary ------------------------------------------------------------------------


def _phrase(alias: str) -> str:
    """Regex for a plain phrase: words joined by optional whitespace (PDF breaks, glue)."""
    words = alias.split()
    parts = [
        _GUIDE if w.lower().startswith("guideline") else re.escape(w).replace(r"\-", r"-\s*") for w in words
    ]
    return r"\s*".join(parts)


_KEY_JUNK = re.compile(r"[\s\-]+")


@functools.lru_cache(maxsize=4096)
def _key(s: str) -> str:
    """Lookup key of a matched phrase: lowercase, no whitespace or hyphens, '&' = 'and'."""
    return _KEY_JUNK.sub("", s.lower().replace("&", "and"))


@dataclass(frozen=True)
class _Vocab:
    mtus_doc_re: re.Pattern  # any MTUS document alias (or ACOEM), as a token
    mtus_doc_alt: str  # alternation of the MTUS document aliases (no ACOEM)
    mtus_doc_by_key: dict[str, str]
    acoem_titles: dict[int, str]
    acoem_title_re: re.Pattern
    acoem_title_by_key: dict[str, str]
    mtus_name: str  # alternation of the names of the MTUS itself ("MTUS", "CA MTUS", ...)
    acoem_name: str
    acoem_fillers_re: re.Pattern
    odg_document: str
    odg_name: str
    line_label: str  # labels that open a guideline line ("Claims Administrator guideline:")
    decision_lead: str  # "Decision based on", opening each citation sentence of a line
    odg_chapter_re: re.Pattern
    odg_chapter_names: tuple[str, ...]
    odg_designator_re: re.Pattern
    non_mtus_re: re.Pattern
    other_start: str
    no_citation_re: re.Pattern


def _raw_vocabulary() -> dict[str, Any]:
    """``guidelines.json`` of the rule data in use."""
    return active_data()["guidelines.json"]


def _vocab() -> _Vocab:
    """The compiled vocabulary of the rule data in use (compiled once per component's data)."""
    return active_data().compiled("citations.vocab", _build_vocab)


def _build_vocab(data: RuleData) -> _Vocab:
    raw = data["guidelines.json"]
    names = {source: "|".join(patterns) for source, patterns in raw["guideline_names"].items() if source != "_about"}
    by_key: dict[str, str] = {}
    aliases: list[str] = []
    for doc in raw["mtus_documents"]:
        for alias in [doc["name"], *doc["aliases"]]:
            by_key[_key(alias)] = doc["name"]
            aliases.append(alias)
    aliases = sorted(set(aliases), key=len, reverse=True)
    acoem_doc = rf"(?:{names['ACOEM']})(?:\s*(?:Practice\s*)?Guidelines?)?"
    doc_alt = "|".join(_phrase(a) for a in aliases)
    mtus_doc_re = re.compile(rf"(?<![A-Za-z])(?:(?P<acoem>{acoem_doc})|(?P<doc>{doc_alt}))(?![A-Za-z])", _IC)
    titles = {int(k): v["title"] for k, v in raw["acoem_chapters"].items() if not k.startswith("_")}
    title_by_key = {_key(t): t for t in titles.values()}
    title_re = re.compile(
        r"(?:{})(?![A-Za-z])".format(
            "|".join(_phrase(t) for t in sorted(titles.values(), key=len, reverse=True))
        ),
        _IC,
    )
    odg = raw["odg"]
    chapter_alts = []
    chapter_names = []
    for i, ch in enumerate(odg["chapters"]):
        chapter_names.append(ch["name"])
        chapter_alts.append(rf"(?P<c{i}>{'|'.join(ch['patterns'])})")
    odg_chapter_re = re.compile(rf"(?<![A-Za-z])(?:{'|'.join(chapter_alts)})(?![A-Za-z])", _IC)
    desig = "|".join(odg["chapter_designators"]["patterns"])
    return _Vocab(
        mtus_doc_re=mtus_doc_re,
        mtus_doc_alt=doc_alt,
        mtus_doc_by_key=by_key,
        acoem_titles=titles,
        acoem_title_re=title_re,
        acoem_title_by_key=title_by_key,
        mtus_name=names["MTUS"],
        acoem_name=names["ACOEM"],
        acoem_fillers_re=re.compile(
            r"(?:{})(?![A-Za-z])".format("|".join(raw["acoem_names"]["fillers"])), _IC
        ),
        odg_document=odg["document"],
        odg_name=names["ODG"],
        odg_chapter_re=odg_chapter_re,
        odg_chapter_names=tuple(chapter_names),
        odg_designator_re=re.compile(rf"(?:{desig})", _IC),
        non_mtus_re=re.compile("(?:{})".format("|".join(raw["non_mtus_markers"]["patterns"])), _IC),
        other_start="|".join(raw["other_guideline_starts"]["patterns"]),
        no_citation_re=re.compile("|".join(raw["no_citation_sentences"]["patterns"]), _IC),
        line_label="|".join(guideline_line_labels(data)),
        decision_lead="|".join(raw["decision_leads"]["patterns"]),
    )


def guideline_line_labels(data: RuleData | None = None) -> list[str]:
    """Patterns of the labels that open a guideline line, from ``data/letter_templates.json``
    (``items.body_labels``: the Claims Administrator's and the reviewer's guideline)."""
    body_labels = (data or active_data())["letter_templates.json"]["items"]["body_labels"]
    return [*body_labels["claims_administrator_guideline"], *body_labels["reviewer_guideline"]]


def any_guideline_name() -> re.Pattern:
    """Any name of a guideline (the MTUS, ODG, ACOEM, an MTUS document) or the word
    "Guidelines": whether a span found by another component can be a citation."""
    return active_data().compiled("citations.any_name", _build_any_name)


def _build_any_name(data: RuleData) -> re.Pattern:
    v = data.compiled("citations.vocab", _build_vocab)
    names = "|".join([v.mtus_name, v.odg_name, v.acoem_name, v.mtus_doc_alt, r"Guide[-\s]*lines?"])
    return re.compile(rf"(?:{names})", _IC)


def _res() -> dict[str, re.Pattern]:
    """Patterns built from the vocabulary (compiled once per component's data)."""
    return active_data().compiled("citations.res", _build_res)


def _build_res(data: RuleData) -> dict[str, re.Pattern]:
    v = data.compiled("citations.vocab", _build_vocab)
    starts = rf"(?:{v.odg_name}|{v.acoem_name}|{v.other_start})"
    return {
        "odg_name": re.compile(rf"(?:{v.odg_name})(?:\s+guidelines?)?(?![A-Za-z])", _IC),
        "acoem_name": re.compile(rf"(?:{v.acoem_name})(?![A-Za-z])", _IC),
        "mtus_name": re.compile(rf"(?:{v.mtus_name})(?![A-Za-z])", _IC),
        # "Decision based on", and the 2013 wording "The Claims Administrator based its decision on the"
        "decision_lead": re.compile(rf"(?:{v.decision_lead})\b\s*", _IC),
        "other_start": re.compile(rf"(?:{v.other_start})", _IC),
        "line_label": re.compile(v.line_label, _IC),
        "mtus_name_any": re.compile(v.mtus_name, _IC),
        "designators_only": re.compile(rf"(?:\s|[.,;)]|{v.odg_designator_re.pattern})*", _IC),
        # where a Non-MTUS citation list continues with another guideline
        "non_mtus_split": re.compile(
            rf"(?:\s+(?:and|&)\s+|\s*[.;,]\s+(?:and\s+)?)(?:the\s+)?(?={starts}(?![A-Za-z]))", _IC
        ),
    }


def _with_first_letters(pattern: str) -> str:
    """``pattern`` behind a look-ahead on the characters a match can start with (both
    cases), or unchanged when that set cannot be worked out."""
    try:
        firsts, _ = _first_chars(_sre_parse.parse(pattern, _IC))
    except Exception:  # an unsupported construct: no look-ahead (same matches, slower)
        return pattern
    if not firsts:
        return pattern
    chars = sorted({c for f in firsts for c in (f.lower(), f.upper())})
    return "(?=[{}]){}".format("".join(re.escape(c) for c in chars), pattern)


def _first_chars(items: Any) -> tuple[set[str] | None, bool]:
    """(first characters of a parsed pattern or None for "any", whether it can match empty)."""
    firsts: set[str] = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            return firsts | {chr(av)}, False
        if name == "IN":
            chars = set()
            for kind, value in av:
                if str(kind) == "LITERAL":
                    chars.add(chr(value))
                elif str(kind) == "RANGE" and value[1] - value[0] < 64:
                    chars.update(chr(c) for c in range(value[0], value[1] + 1))
                else:
                    return None, False
            return firsts | chars, False
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # zero width
        if name == "BRANCH":
            parts = [_first_chars(branch) for branch in av[1]]
        elif name == "SUBPATTERN":
            parts = [_first_chars(av[-1])]
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            sub, nullable = _first_chars(av[2])
            parts = [(sub, nullable or av[0] == 0)]
        else:
            return None, False
        if any(sub is None for sub, _ in parts):
            return None, False
        for sub, _ in parts:
            firsts |= sub
        if not any(nullable for _, nullable in parts):
            return firsts, False
    return firsts, True


# --- pre-scan --------------------------------------------------------------------------
#
# A case-insensitive pattern is tried by ``re`` at every position of a letter. ``_Scan``
# finds the same matches faster: one case-sensitive pass over the lower-cased letter looks
# for the first few characters a match can start with (worked out from the pattern), and
# the pattern itself is only tried at those positions.

_WS_ATOM = None  # a prefix atom standing for a run of whitespace (\s*, \s+)
_PREFIX_CHARS = 4  # characters (whitespace runs aside) a pre-scan looks for


def _is_space_set(av: Any) -> bool:
    return len(av) == 1 and str(av[0][0]) == "CATEGORY" and str(av[0][1]) == "CATEGORY_SPACE"


def _prefix_atoms(items: Any, open_: set[tuple], k: int) -> tuple[set[tuple], set[tuple]]:
    """Prefixes (tuples of atoms: a frozenset of lower-case characters, or ``_WS_ATOM``)
    of what ``items`` can match after each prefix of ``open_``: (still open, closed).
    A closed prefix is complete (``k`` characters, or what follows cannot be listed)."""
    closed: set[tuple] = set()
    for op, av in items:
        if not open_:
            break
        name = str(op)
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # zero width
        atom: Any = False
        # Only ASCII characters are listed: re.IGNORECASE folds some other letters onto
        # letters that str.lower() does not give ("\u00b5" and "\u03bc").
        if name == "LITERAL":
            if av < 128:
                atom = frozenset(chr(av).lower())
        elif name == "IN":
            if _is_space_set(av):
                atom = _WS_ATOM
            elif len(av) <= 8 and all(str(kind) == "LITERAL" and value < 128 for kind, value in av):
                atom = frozenset(chr(value).lower() for _, value in av)
        elif name in ("MAX_REPEAT", "MIN_REPEAT") and len(av[2]) == 1 and str(av[2][0][0]) == "IN":
            if _is_space_set(av[2][0][1]):
                atom = _WS_ATOM
        if atom is _WS_ATOM:
            open_ = {p if p and p[-1] is _WS_ATOM else (*p, _WS_ATOM) for p in open_}
        elif atom is not False:
            grown = {(*p, atom) for p in open_}
            open_ = {p for p in grown if sum(a is not _WS_ATOM for a in p) < k}
            closed |= grown - open_
        elif name == "SUBPATTERN":
            open_, sub_closed = _prefix_atoms(av[-1], open_, k)
            closed |= sub_closed
        elif name == "BRANCH":
            after: set[tuple] = set()
            for branch in av[1]:
                branch_open, branch_closed = _prefix_atoms(branch, open_, k)
                after |= branch_open
                closed |= branch_closed
            open_ = after
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, sub = av
            once_open, once_closed = _prefix_atoms(sub, open_, k)
            closed |= once_closed
            if high == 1:
                open_ = once_open | (open_ if low == 0 else set())
            else:  # more repeats: a match starts with one whole first repeat
                closed |= once_open
                open_ = open_ if low == 0 else set()
        else:  # anything else ends the prefixes here
            closed |= open_
            open_ = set()
    return open_, closed


def _prefixes(pattern: re.Pattern) -> set[tuple] | None:
    """The prefixes (see :func:`_prefix_atoms`) every match of ``pattern`` starts with;
    None when that cannot be worked out or a match could start with anything."""
    try:
        open_, closed = _prefix_atoms(_sre_parse.parse(pattern.pattern, pattern.flags), {()}, _PREFIX_CHARS)
    except Exception:  # an unsupported construct: no pre-scan
        return None
    prefixes = open_ | closed
    if not prefixes or any(not p or p[0] is _WS_ATOM for p in prefixes):
        return None  # a match could start with anything
    return prefixes


def _prefix_alternation(pattern: re.Pattern) -> str | None:
    """A case-sensitive regex, for lower-case text, matching (zero width after its first
    character) wherever ``pattern`` can match; None when that cannot be worked out."""
    prefixes = _prefixes(pattern)
    if prefixes is None:
        return None

    def fragment(atom: Any) -> str:
        if atom is _WS_ATOM:
            return r"\s*"
        chars = sorted(atom)
        return re.escape(chars[0]) if len(chars) == 1 else "[{}]".format("".join(re.escape(c) for c in chars))

    rests: dict[str, set[str]] = {}
    for prefix in prefixes:
        for first in prefix[0]:
            rests.setdefault(first, set()).add("".join(fragment(a) for a in prefix[1:]))
    branches = []
    for first in sorted(rests):
        alts = sorted(rests[first], key=lambda r: (-len(r), r))
        branches.append(re.escape(first) + ("" if "" in alts else "(?={})".format("|".join(alts))))
    return "|".join(branches)


_GRAM = 3  # characters the vectorised filter of a pre-scan reads at each position
_ASCII_SPACE = [c for c in map(chr, range(128)) if re.match(r"\s", c)]


class _Alphabet:
    """Classes of the characters a set of pre-scans tell apart (one per character listed,
    0: any other character or past the end, 1: outside ASCII), and each position's next
    ``_GRAM`` classes as one number (the key a :class:`_GramFilter` looks up)."""

    def __init__(self, chars: set[str]) -> None:
        self.chars = sorted(chars | set(_ASCII_SPACE))
        classes = numpy.zeros(129, dtype=numpy.intp)
        classes[128] = 1
        for i, c in enumerate(self.chars, start=2):
            classes[ord(c)] = i
        self.classes = classes
        self.size = len(self.chars) + 2
        # Text is read through bytes.translate (no array of code points): one byte per
        # character in latin-1, "?" for the others; "?" (unless listed) and the bytes outside
        # ASCII are class 1, which every table allows wherever it allows class 0 or whitespace.
        table = bytearray(int(classes[i]) for i in range(128)) + bytearray([1] * 128)
        if "?" not in self.chars:
            table[ord("?")] = 1
        self.byte_table = bytes(table)

    def of(self, c: str) -> int:
        return int(self.classes[ord(c)])

    def read(self, low: str) -> tuple[_Alphabet, numpy.ndarray, numpy.ndarray]:
        """(this alphabet, class of each character, key of each position)."""
        pad = b"\0" * (_GRAM - 1)
        if low.isascii() or "?" not in self.chars:
            chars = low.encode("latin-1", "replace")
            cls = numpy.frombuffer(chars.translate(self.byte_table) + pad, dtype=numpy.uint8).astype(numpy.intp)
        else:
            codes = numpy.minimum(numpy.frombuffer(low.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32), 128)
            cls = numpy.zeros(len(codes) + _GRAM - 1, dtype=numpy.intp)
            cls[: len(codes)] = self.classes[codes]
        n, size = len(cls) - _GRAM + 1, self.size
        key = cls[:n] * (size * size)
        key += cls[1 : n + 1] * size
        key += cls[2 : n + 2]
        return self, cls, key


def _alphabet_of(prefixes: set[tuple], not_after: str | None) -> set[str]:
    """The characters a pre-scan of ``prefixes`` (and ``not_after``) tells apart."""
    chars = {c for p in prefixes for a in p if a is not _WS_ATOM for c in a}
    if not_after:
        chars |= {c for c in map(chr, range(128)) if re.match(f"[{not_after}]", c)}
    return chars


class _GramFilter:
    """Positions of a lower-case text where one of a pattern's prefixes can start, read
    with numpy: the classes of the characters at ``i, i+1, i+2`` index a table of the
    three-character starts the prefixes allow, and with ``not_after`` the character at
    ``i-1`` must not be in that class. A superset of the pre-scan's positions (whitespace
    runs are cut to what fits in three characters, characters outside ASCII are read as
    possible whitespace); the pre-scan regex then checks each one, so the starts are the
    same, found without trying the regex at every position."""

    def __init__(self, prefixes: set[tuple], not_after: str | None, alphabet: _Alphabet) -> None:
        self.alphabet = alphabet
        size = alphabet.size
        space = [1, *(alphabet.of(c) for c in _ASCII_SPACE)]
        anything = list(range(size))
        table = numpy.zeros((size,) * _GRAM, dtype=bool)

        def fill(prefix: tuple, j: int, sets: list) -> None:
            if len(sets) == _GRAM or j == len(prefix):
                table[numpy.ix_(*sets, *[anything] * (_GRAM - len(sets)))] = True
            elif prefix[j] is _WS_ATOM:  # none, or one more whitespace character
                fill(prefix, j + 1, sets)
                fill(prefix, j, [*sets, space])
            else:
                fill(prefix, j + 1, [*sets, [alphabet.of(c) for c in prefix[j]]])

        for prefix in prefixes:
            fill(prefix, 0, [])
        self.table = table.ravel()
        self.allowed_before = None
        if not_after:  # a class is allowed before a match if one of its characters is
            allowed = numpy.ones(size, dtype=bool)
            allowed[2:] = [not re.match(f"[{not_after}]", c) for c in alphabet.chars]
            self.allowed_before = allowed

    def positions(self, read: tuple[_Alphabet, numpy.ndarray, numpy.ndarray]) -> list[int]:
        """The positions, from ``self.alphabet.read`` of the text."""
        _, cls, key = read
        ok = self.table[key]
        if self.allowed_before is not None and len(ok) > 1:
            ok[1:] &= self.allowed_before[cls[: len(ok) - 1]]
        return numpy.flatnonzero(ok).tolist()


class _Scan:
    r"""``pattern.finditer`` through a pre-scan (same matches, in the same order).

    ``not_after``: a lower-case character class (``r"a-z\-"``) that the pattern's own
    look-behind forbids before a match; the pre-scan then only stops at word starts.
    """

    def __init__(self, pattern: re.Pattern, not_after: str | None = None, alphabet: _Alphabet | None = None) -> None:
        self.pattern = pattern
        prefixes = _prefixes(pattern)
        alternation = _prefix_alternation(pattern)
        self.offset = 1 if not_after else 0
        self.gram_filter = None
        if alternation is None or prefixes is None:
            self.prescan = None
            return
        if not_after:
            self.prescan = re.compile(rf"[^{not_after}](?={alternation})")
        else:
            self.prescan = re.compile(alternation)
        if alphabet is None or not _alphabet_of(prefixes, not_after) <= set(alphabet.chars):
            alphabet = _Alphabet(_alphabet_of(prefixes, not_after))
        self.gram_filter = _GramFilter(prefixes, not_after, alphabet)

    def starts(self, low: str | None, read: tuple | None = None) -> list[int] | None:
        """Where a match may start in the text whose ``_lowered`` copy is ``low``;
        ``read``: ``alphabet.read(low)`` of the scans sharing that alphabet."""
        if low is None or self.prescan is None:
            return None
        if self.gram_filter is None:
            return self.scanned_starts(low)
        # the pre-scan at the positions the filter gives (every other one fails)
        if read is None or read[0] is not self.gram_filter.alphabet:
            read = self.gram_filter.alphabet.read(low)
        match = self.prescan.match
        positions = self.gram_filter.positions(read)
        if self.offset:
            return [0, *(i for i in positions if i and match(low, i - 1))]
        return [i for i in positions if match(low, i)]

    def starts_within(self, text: str, pos: int, endpos: int, low: str | None = None) -> list[int] | None:
        """Where a match may start in ``text[pos:endpos]`` (a short stretch: the pre-scan regex
        over it, lower-cased); None: scan in full. Only for a pre-scan without ``not_after``
        (the character before ``pos`` is not read). ``low``: the ``caseless_copy`` of the
        whole ``text`` when known (the stretch is then not lower-cased again)."""
        if self.prescan is None or self.offset:
            return None
        if low is not None:  # the pre-scan only reads ASCII and whitespace: as in the stretch's copy
            return [m.start() for m in self.prescan.finditer(low, pos, endpos)]
        low = caseless_copy(text[pos:endpos])
        if low is None:
            return None
        return [m.start() + pos for m in self.prescan.finditer(low)]

    def search(self, text: str, low: str | None, pos: int) -> re.Match | None:
        """``pattern.search(text, pos)``: the pattern tried only where the pre-scan, searched
        in ``low`` (the lower-cased ``text``) from ``pos`` on, finds a possible start."""
        if low is None or self.prescan is None or self.offset:
            return self.pattern.search(text, pos)
        find, match = self.prescan.search, self.pattern.match
        start = find(low, pos)
        while start is not None:
            found = match(text, start.start())
            if found is not None:
                return found
            start = find(low, start.start() + 1)
        return None

    def scanned_starts(self, low: str) -> list[int]:
        """:meth:`starts` by running the pre-scan over the whole text (what the filter
        must agree with)."""
        offset = self.offset
        starts = [m.start() + offset for m in self.prescan.finditer(low)]
        if offset:
            starts.insert(0, 0)  # nothing before the first character
        return starts

    def finditer(self, text: str, pos: int, endpos: int, starts: list[int] | None) -> Iterator[re.Match]:
        """The matches of ``pattern.finditer(text, pos, endpos)``; ``starts``: from :meth:`starts`."""
        if starts is None:
            return self.pattern.finditer(text, pos, endpos)
        return finditer_at(self.pattern, text, starts, pos, endpos)  # never empty: every prefix holds a character


# --- helpers ---------------------------------------------------------------------------

_YEAR = re.compile(r"\s*,?\s*((?:19|20)\d\d)(?!\d)")
_YEAR_PAREN = re.compile(r"\s*,?\s*\(\s*(?:revised|updated|rev\.?)?\s*((?:19|20)\d\d)\s*\)", _IC)
_GUIDELINES_WORD = re.compile(rf"\s*{_GUIDE}(?![A-Za-z])", _IC)
_WS = re.compile(r"\s+")
_SEP = re.compile(r"(?:[,:/;\-\u2013]|(?<![A-Za-z])and(?![A-Za-z])|&)", _IC)
_UPDATED = re.compile(r"updated\s*\d{1,2}/\d{1,2}/(\d{2}(?:\d{2})?)", _IC)
# after _WS the only whitespace left is " "
_CLEAN_HEAD = " ,.;:/-\u2013"
_CLEAN_TAIL = " ,;:/-\u2013"
_LETTER = re.compile(r"[A-Za-z]", _IC)  # with the characters re.IGNORECASE folds onto them


def _clean(s: str | None) -> str | None:
    """Collapse whitespace and strip separators around a printed value; empty -> None."""
    if s is None:
        return None
    s = _WS.sub(" ", s).lstrip(_CLEAN_HEAD).rstrip(_CLEAN_TAIL)
    if s.endswith("."):
        s = s[:-1]
    s = s.strip()
    if s.startswith("(") and s.endswith(")") and s.count("(") == 1:
        s = s[1:-1].strip()
    return s or None


def _trim_end(text: str, start: int, end: int) -> int:
    """Move ``end`` back over trailing whitespace, separators, a final period and 'and'."""
    while end > start:
        trimmed = end
        while trimmed > start and (text[trimmed - 1] in ",;." or text[trimmed - 1].isspace()):
            trimmed -= 1
        if (
            trimmed == end
            and end - start >= 3
            and text[end - 3 : end].lower() == "and"
            and (end - 3 == start or not _LETTER.match(text, end - 4))
        ):
            trimmed = end - 3  # "and" not glued to a word before it
        if trimmed == end:
            return end
        end = trimmed
    return end


def _skip_ws(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


def _citation(
    source: str,
    text: str,
    start: int,
    end: int,
    document: str | None = None,
    chapter: str | None = None,
    topic: str | None = None,
    year: int | None = None,
    pages: list[int] | None = None,
) -> dict[str, Any]:
    return {
        "source": source,
        "document": document,
        "chapter": chapter,
        "topic": topic,
        "year": year,
        "pages": list(pages or []),
        "start": start,
        "end": end,
        "text": text[start:end],
    }


def _pages_and_rest(body: str) -> tuple[list[int], str]:
    """Split a citation body into its page list and the text before the page label."""
    matches = list(_PAGES_IN_BODY.finditer(body))
    if not matches:
        return [], body
    m = matches[-1]
    return expand_pages(m.group("pages")), body[: m.start()] + body[m.end() :]


_CHAPTER = re.compile(r"Chapter\s*(\d{1,2})\s*[,:]?", _IC)
_CHAPTER_AFTER_COMMA = re.compile(r"[\s,]*Chapter\s*(\d{1,2})\s*[,:]?", _IC)
_TITLE_END = re.compile(rf"{_PAGE_LABEL}|,|;", _IC)


def _numbered_chapter(body: str, lead: bool = False) -> tuple[str | None, str] | None:
    """An ACOEM "Chapter 12[,] <printed title>" opening ``body`` (after spaces and commas when ``lead``): the chapter
    name and the rest of ``body`` after the printed title; None without a chapter number."""
    m = (_CHAPTER_AFTER_COMMA if lead else _CHAPTER).match(body)
    if m is None:
        return None
    tail = body[m.end() :]
    tm = _TITLE_END.search(tail)
    printed = tail[: tm.start()] if tm else tail
    return _acoem_chapter_from_number(int(m.group(1)), printed), tail[len(printed) :]


def _acoem_chapter_from_number(num: int, printed: str | None) -> str:
    """Title of ACOEM chapter ``num``; printed title when the number is not in the table."""
    v = _vocab()
    if num in v.acoem_titles:
        return v.acoem_titles[num]
    return _clean(printed) or f"Chapter {num}"


# --- guideline lines ---------------------------------------------------------------------


_OUTSIDE_BEFORE = re.compile(r"outside\s+(?:of\s+)?(?:the\s+)?$", re.IGNORECASE)


def parse_citations(text: str) -> list[dict[str, Any]]:
    """Parse the text of one guideline line into its citations (see module docstring).

    Each "Decision based on" sentence is read as a list: "MTUS <document> [year]
    [Section(s): topic] [Page(s): pages]" items joined by ", and" or ","; or "Non-MTUS
    Citation <ODG | ACOEM | other reference>" items joined by "and"/". ". Sentences that
    cite nothing ("did not cite any medical evidence", "recommendation(s) outside of the
    MTUS Guidelines") give no citation. A line without "Decision based on" (older
    templates) is read like free text with :func:`find_citations`.
    """
    if not text or not text.strip():
        return []
    heads = list(_res()["decision_lead"].finditer(text))
    if not heads:
        # A guideline line that only says the decision was made "outside of the MTUS"
        # cites nothing, although the free-text finder tags that mention of the MTUS.
        return [c for c in find_citations(text) if not _OUTSIDE_BEFORE.search(text, 0, c["start"])]
    line_labels = _res()["line_label"]
    cuts = sorted([m.start() for m in heads] + [m.start() for m in line_labels.finditer(text)] + [len(text)])
    out: list[dict[str, Any]] = []
    for m in heads:
        seg_end = next(c for c in cuts if c > m.start())
        out.extend(_parse_segment(text, m.end(), seg_end))
    return out


_PART_OF_MTUS = re.compile(
    r",?\s*(?:which|that)\s+(?:is|are)\s+(?:a\s+)?part\s+of\s+the\s+(?:(?:CA|California)\s+)?MTUS\b", _IC
)
_STATEMENT_END = re.compile(r"\.(?=\s+[A-Z(]|\s*$)")


def parse_guideline_statement(text: str) -> list[dict[str, Any]]:
    """Citations of a guideline named without the "Decision based on" lead.

    Used for the "MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND
    WHY" section: its first sentence names the guideline and is read like a guideline
    line; the explanation after it (the "why") is not parsed. ", which is part of the
    MTUS" ends the reference and makes its source MTUS.
    """
    if not text or not text.strip():
        return []
    stop = _STATEMENT_END.search(text)
    end = stop.start() if stop else len(text)
    part = _PART_OF_MTUS.search(text, 0, end)
    if part:
        end = part.start()
    out = _parse_segment(text, 0, end)
    if part:
        for citation in out:
            citation["source"] = "MTUS"
    return out


def _parse_segment(text: str, start: int, end: int, low: str | None = None) -> list[dict[str, Any]]:
    """One "Decision based on ..." sentence (without that phrase); ``low``: the
    ``caseless_copy`` of ``text`` when known."""
    v = _vocab()
    start = _skip_ws(text, start, end)
    end = _trim_end(text, start, end)
    if start >= end:
        return []
    if v.no_citation_re.match(text, start, end):
        return []
    m = v.non_mtus_re.match(text, start, end)
    if m:
        return _parse_non_mtus(text, start, m.end(), end)
    m = _res()["mtus_name"].match(text, start, end)
    if m:
        return _parse_mtus(text, start, m.end(), end, low)
    if v.mtus_doc_re.match(text, start, end) and not _res()["acoem_name"].match(text, start, end):
        return _parse_mtus(text, start, start, end, low)
    return _parse_non_mtus(text, start, start, end)


_LIST_JOIN_BEFORE = re.compile(r"(?:[,;]\s*(?:and\s+)?|\s+and\s+)$", _IC)
_DOC_DETAIL_AFTER = re.compile(r"\s*(?:(?:19|20)\d\d(?!\d)|Guidelines?\b|Section|Page|Chapter|[,.;]|$)", _IC)


def _doc_is_split_point(text: str, m: re.Match, body_start: int, first: bool) -> bool:
    """Whether an MTUS document alias found in a list starts a new citation there."""
    if first:
        return text[body_start : m.start()].strip(" \t\r\n/") == ""
    before = text[max(body_start, m.start() - 12) : m.start()]
    if not _LIST_JOIN_BEFORE.search(before):
        return False
    if "guideline" in m.group(0).lower():
        return True
    after = text[m.end() : m.end() + 20]
    return bool(_DOC_DETAIL_AFTER.match(after))


def _parse_mtus(
    text: str, span_start: int, body_start: int, end: int, low: str | None = None
) -> list[dict[str, Any]]:
    """'MTUS <doc> ..., and <doc> ...' -> one MTUS citation per document."""
    doc_scan = _scans()["doc"]
    splits: list[re.Match] = []
    for m in doc_scan.finditer(text, body_start, end, doc_scan.starts_within(text, body_start, end, low)):
        if _doc_is_split_point(text, m, body_start, first=not splits):
            splits.append(m)
        elif not splits:
            break
    if not splits:
        body = text[body_start:end]
        body = _GUIDELINES_WORD.sub("", body, count=1) if _GUIDELINES_WORD.match(body) else body
        pages, rest = _pages_and_rest(body)
        return [_citation("MTUS", text, span_start, end, topic=_clean(rest), pages=pages)]
    out = []
    for i, m in enumerate(splits):
        piece_start = span_start if i == 0 else m.start()
        piece_end = splits[i + 1].start() if i + 1 < len(splits) else end
        piece_end = _trim_end(text, piece_start, piece_end)
        out.append(_mtus_piece(text, m, piece_start, piece_end))
    return out


_SECTIONS_LABEL = re.compile(r"^[\s,]*Sections?\s*(?:\(\s*s\s*\))?\s*:", _IC)
_SECTION_ON = re.compile(r"^\s*Section\s+on\s+", _IC)


def _mtus_piece(text: str, m: re.Match, start: int, end: int) -> dict[str, Any]:
    """One MTUS document with its year, chapter, section/topic and pages."""
    v = _vocab()
    acoem = m.group("acoem") is not None
    document = "ACOEM" if acoem else v.mtus_doc_by_key.get(_key(m.group("doc")), m.group("doc"))
    pos = m.end()
    year = None
    ym = _YEAR.match(text, pos, end) or _YEAR_PAREN.match(text, pos, end)
    if ym:
        year, pos = int(ym.group(1)), ym.end()
    gm = _GUIDELINES_WORD.match(text, pos, end)
    if gm:
        pos = gm.end()
    body = text[pos:end]
    chapter = None
    if acoem:
        numbered = _numbered_chapter(body, lead=True)
        if numbered:
            chapter, body = numbered
    pages, rest = _pages_and_rest(body)
    rest = _SECTIONS_LABEL.sub("", rest)
    rest = _SECTION_ON.sub("", rest)
    return _citation(
        "MTUS",
        text,
        start,
        end,
        document=document,
        chapter=chapter,
        topic=_clean(rest),
        year=year,
        pages=pages,
    )


def _parse_non_mtus(text: str, span_start: int, body_start: int, end: int) -> list[dict[str, Any]]:
    """'Non-MTUS Citation <ref> [and <ref>]' -> ODG / ACOEM / OTHER citations."""
    r = _res()
    body_start = _skip_ws(text, body_start, end)
    # (reference start, citation span start, end of the previous reference)
    pieces: list[list[int]] = [[body_start, span_start, end]]
    for m in r["non_mtus_split"].finditer(text, body_start, end):
        if m.start() > pieces[-1][0]:
            pieces[-1][2] = m.start()
            pieces.append([m.end(), m.end(), end])
    out = []
    for ref_start, cite_start, ref_end in pieces:
        ref_end = _trim_end(text, ref_start, ref_end)
        if ref_start < ref_end:
            out.append(_non_mtus_ref(text, cite_start, ref_start, ref_end))
    return out


_THE = re.compile(r"the\s+", _IC)


def _non_mtus_ref(text: str, span_start: int, ref_start: int, end: int) -> dict[str, Any]:
    r = _res()
    m = _THE.match(text[ref_start:end])
    if m and span_start == ref_start:
        span_start = ref_start = ref_start + m.end()
    elif m:
        ref_start += m.end()
    m = r["odg_name"].match(text, ref_start, end)
    if m:
        return _odg_ref(text, span_start, m.end(), end)
    m = r["acoem_name"].match(text, ref_start, end)
    if m:
        return _acoem_ref(text, span_start, m.end(), end)
    return _other_ref(text, span_start, ref_start, end)


def _odg_ref(text: str, span_start: int, pos: int, end: int) -> dict[str, Any]:
    """ODG: chapter designation (keywords, 'chapter', '(Acute & Chronic)', year) + topic."""
    v = _vocab()
    chapters: list[str] = []
    year = None
    zone_end = pos
    i = pos
    while i < end:
        i = _skip_ws(text, i, end)
        if i >= end:
            break
        m = _SEP.match(text, i, end)
        if m:
            i = m.end()
            continue
        m = v.odg_designator_re.match(text, i, end)
        if m and m.end() > i:
            um = _UPDATED.search(m.group(0))
            if um:
                y = int(um.group(1))
                year = y + 2000 if y < 100 else y
            i = zone_end = m.end()
            continue
        m = _YEAR.match(text, i, end)
        if m and m.start(1) == i:
            year, i = int(m.group(1)), m.end()
            zone_end = i
            continue
        m = v.odg_chapter_re.match(text, i, end)
        if m and _odg_chapter_follows(text, m.end(), end, first=not chapters):
            name = _odg_chapter_name(m)
            if name not in chapters:
                chapters.append(name)
            i = zone_end = m.end()
            continue
        break
    topic_text = text[zone_end:end]
    pages, topic_text = _pages_and_rest(topic_text)
    if not chapters:
        # "MRI Elbow", "Physical therapy/Preface": chapter named after the topic
        last = None
        for m in v.odg_chapter_re.finditer(topic_text):
            last = m
        if (
            last
            and _res()["designators_only"].fullmatch(topic_text[last.end() :])
            and (last.start() == 0 or topic_text[last.start() - 1] in " \t\r\n/,(")
        ):
            chapters.append(_odg_chapter_name(last))
            topic_text = topic_text[: last.start()]
    return _citation(
        "ODG",
        text,
        span_start,
        end,
        document=v.odg_document,
        chapter="; ".join(chapters) or None,
        topic=_clean(topic_text),
        year=year,
        pages=pages,
    )


_CHAPTER_LIST_GOES_ON = re.compile(r"\s*(?:$|[,:/;\-\u2013(.]|and\b|&)", _IC)
_CAPITALISED_NEXT = re.compile(r"\s+[A-Z]")


def _odg_chapter_follows(text: str, pos: int, end: int, first: bool) -> bool:
    """A chapter keyword counts when followed by a separator, designator or the end;
    the first one also when a capitalised topic follows ("Pain (Chronic) Acupuncture")."""
    v = _vocab()
    rest = text[pos:end]
    if _CHAPTER_LIST_GOES_ON.match(rest):
        return True
    stripped = rest.lstrip()
    if v.odg_designator_re.match(stripped):
        return True
    return first and bool(_CAPITALISED_NEXT.match(rest))


def _odg_chapter_name(m: re.Match) -> str:
    v = _vocab()
    for i, name in enumerate(v.odg_chapter_names):
        if m.group(f"c{i}") is not None:
            return name
    return m.group(0)


_ACOEM_FILLER_PUNCT = re.compile(r"[,:;/\-]|\(\s*ACOEM\s*\)", _IC)
_YEAR_IN_PARENS = re.compile(r"\(\s*((?:19|20)\d\d)\s*\)")
_CHAPTER_WORD = re.compile(r"^\s*Chapter\b", _IC)
_NAMED_CHAPTER = re.compile(
    r"(?P<t>[A-Za-z][A-Za-z ,&'\-\r\n]{0,80}?(?:Disorders|Complaints|Conditions))(?![A-Za-z])"
    r"(?:\s*Chapter\b)?"
    r"|(?P<c>[A-Za-z][A-Za-z ,&'\-\r\n]{0,80}?)\s+Chapter\b",
    _IC,
)


def _acoem_ref(text: str, span_start: int, pos: int, end: int) -> dict[str, Any]:
    """ACOEM outside the MTUS: fillers, then 'Chapter N [title]' or a named chapter."""
    v = _vocab()
    year = None
    while pos < end:
        p = _skip_ws(text, pos, end)
        m = _ACOEM_FILLER_PUNCT.match(text, p, end) or v.acoem_fillers_re.match(
            text, p, end
        )
        if m and m.end() > p:
            pos = m.end()
            continue
        m = _YEAR.match(text, p, end) or _YEAR_IN_PARENS.match(text, p, end)
        if m and m.start(1) <= p + 2:
            year, pos = int(m.group(1)), m.end()
            continue
        pos = p
        break
    body = text[pos:end]
    chapter = None
    numbered = _numbered_chapter(body)
    if numbered:
        chapter, body = numbered
    else:
        m = v.acoem_title_re.match(body)
        if m:
            chapter = v.acoem_title_by_key.get(_key(m.group(0)), _clean(m.group(0)))
            body = body[m.end() :]
            body = _CHAPTER_WORD.sub("", body)
        else:
            m = _NAMED_CHAPTER.match(body)
            if m:
                chapter = _clean(m.group("t") or m.group("c"))
                body = body[m.end() :]
    pages, rest = _pages_and_rest(body)
    return _citation(
        "ACOEM",
        text,
        span_start,
        end,
        document="ACOEM",
        chapter=chapter,
        topic=_clean(rest),
        year=year,
        pages=pages,
    )


_OTHER_DOCUMENT_END = re.compile(r"[,;:?]\s|\s+(?=https?://|www\.)")


def _other_ref(text: str, span_start: int, pos: int, end: int) -> dict[str, Any]:
    """Any other reference (drug monographs, UpToDate, fee schedules, URLs)."""
    body = text[pos:end]
    m = _res()["other_start"].match(body)
    if m:
        document, rest = body[: m.end()], body[m.end() :]
    else:
        parts = _OTHER_DOCUMENT_END.split(body, maxsplit=1)
        document, rest = parts[0], (parts[1] if len(parts) > 1 else "")
    pages, rest = _pages_and_rest(rest)
    return _citation(
        "OTHER", text, span_start, end, document=_clean(document), topic=_clean(rest), pages=pages
    )


# --- free text -----------------------------------------------------------------------------

# Where a guideline line embedded in free text ends (a guideline-line label ends it too).
_REGION_END = (
    r"\n[ \t]+\n|\.[ \t]*\r?\n[ \t]*\r?\n|Decision\s*rationale\s*:|"
    # 2013 letters: one sentence per line, "..., which is part of the MTUS." after the citation
    r"\.[ \t]*\r?\n[ \t]*The\s|,\s*which\s+is\s+(?:not\s+)?(?:a\s+)?part\s+of\b"
)


def _free_res() -> dict[str, re.Pattern]:
    """Patterns of the free-text forms (compiled once per component's data)."""
    return active_data().compiled("citations.free_res", _build_free_res)


def _scans() -> dict[str, _Scan]:
    """The "Decision based on" leads and the free-text names, each with its pre-scan."""
    return active_data().compiled("citations.scans", _build_scans)


def _build_scans(data: RuleData) -> dict[str, _Scan]:
    lead = data.compiled("citations.res", _build_res)["decision_lead"]
    head = data.compiled("citations.free_res", _build_free_res)["head"]
    # one alphabet for both: the letter is read once (find_citations)
    head_not_after = r"a-z\-"  # head: (?<![A-Za-z\-])
    chars = _alphabet_of(_prefixes(lead) or set(), None) | _alphabet_of(_prefixes(head) or set(), head_not_after)
    alphabet = _Alphabet(chars)
    return {
        "lead": _Scan(lead, alphabet=alphabet),
        "head": _Scan(head, not_after=head_not_after, alphabet=alphabet),
        # the MTUS documents listed in a guideline line (read in stretches: starts_within)
        "doc": _Scan(data.compiled("citations.vocab", _build_vocab).mtus_doc_re, alphabet=alphabet),
        # where a guideline line in free text ends (searched from each line's start)
        "region_end": _Scan(data.compiled("citations.free_res", _build_free_res)["region_end"], alphabet=alphabet),
    }


def _build_free_res(data: RuleData) -> dict[str, re.Pattern]:
    v = data.compiled("citations.vocab", _build_vocab)
    doc_alt = v.mtus_doc_alt
    mtus, odg, acoem = v.mtus_name, v.odg_name, v.acoem_name
    # "MTUS/ACOEM", "ACOEM/MTUS": the two names as one
    head = (
        r"(?<![A-Za-z\-])(?:"
        rf"(?P<mtus>(?:{mtus})(?P<mtus_acoem>\s*/\s*(?:{acoem}))?)"
        rf"|(?P<odg>{odg})"
        rf"|(?P<acoem>(?:{acoem})(?P<acoem_mtus>\s*/\s*(?:{mtus}))?)"
        rf"|(?P<doc>(?:(?:CA|California)\s+)?(?:{doc_alt})(?:\s+(?:19|20)\d\d)?\s*{_GUIDE}"
        rf"(?:\s*\(?\s*(?:{mtus})\s*\)?)?)"
        r")(?![A-Za-z])"
    )
    return {
        # A look-ahead on the possible first letters lets the engine skip most positions cheaply.
        "head": re.compile(_with_first_letters(head), _IC),
        "region_end": re.compile(rf"{_REGION_END}|{v.line_label}", _IC),
        "doc": re.compile(rf"\s+(?:{doc_alt})(?![A-Za-z])", _IC),
        "pre_pages": re.compile(
            rf"{_PAGE_LABEL}\s*(?P<pages>{_PAGE_LIST})\s*,?\s+(?:of|in)\s+(?:the\s+)?$", _IC
        ),
        "year": re.compile(r"\s+((?:19|20)\d\d)(?!\d)"),
        "year_paren": re.compile(r"\s*\(\s*(?:[A-Z][a-z]+\.?\s+\d{1,2},\s*)?((?:19|20)\d\d)\s*\)"),
        "guidelines": re.compile(rf"\s*(?:treatment\s+)?{_GUIDE}(?![A-Za-z])", _IC),
        # Two names sharing one head noun are one citation: "California MTUS and ACOEM Guidelines".
        "shared_head": re.compile(
            rf"\s+(?:and|&)\s+(?:(?:CA|California)\s+)?(?:{mtus}|{acoem}|{odg})\s*(?:treatment\s+)?{_GUIDE}(?![A-Za-z])",
            _IC,
        ),
        "then_acoem": re.compile(rf"\s+(?:{acoem})(?![A-Za-z])", _IC),
        "part": re.compile(r"\s+(?:introduction|preface|(?P<ch>(?:[a-z]+\s+){1,5}?)chapter)(?![A-Za-z])"),
        "pre_part": re.compile(r"(?:Introduction|Preface)\s+section\s+of\s+(?:the\s+)?$", _IC),
        "pre_year": re.compile(r"(?<![\w/,.-])(?:19|20)\d\d\s+$"),
        # "MTUS guidelines for chronic pain" (corpus/README.md): the topic after "for", up to a verb.
        "for_topic": re.compile(
            r"\s+for\s+(?!(?:this|that|these|those|the|a|an|such|his|her|their|its|any|which|all|use|patients?)\b)"
            rf"(?P<topic>[a-z][a-z-]*(?:\s+(?!(?:{_VERBS}|and|or|in|with)\b)[a-z][a-z-]*){{0,5}})"
            rf"(?=\s+(?:{_VERBS})\b|\s*[,.;:)])"
        ),
        "in_acoem": re.compile(rf"\s+in\s+(?:the\s+)?(?:{acoem})(?![A-Za-z])", _IC),
        "chapter_num": re.compile(
            r",?\s*Chapter\s*(?P<num>\d{1,2})(?![\d])(?P<title>(?:\s+(?!Table\b|Page\b)[A-Z][\w\-]*"
            r"(?:\s+(?:to|of|and|the|for|&))?){0,6})",
        ),
        "chapter_named": re.compile(
            r"\s+(?P<title>(?:[A-Z][\w\-]*,?\s+){0,4}?(?:[A-Z][\w\-]*\s+)?"
            r"(?:Disorders|Complaints|Conditions))(?:\s+Chapter)?(?![A-Za-z])"
            r"|\s+(?P<title2>(?:[A-Z][\w\-]*,?\s+){1,5}?)Chapter(?![A-Za-z])",
        ),
        "section": re.compile(
            r",?\s+[Ss]ection\s+on\s+(?P<topic>[A-Z][^,.;:]{0,80}?)"
            r"(?=\s*(?:[,.;:]|\bpages?\b|$))"
        ),
        "quoted_topic": re.compile(r'\s*\(\s*["\u201c](?P<topic>[^"\u201d]{1,60})["\u201d]\s*\)'),
        "table": re.compile(r",?\s*Table\s*\d{1,2}-\d{1,2}", _IC),
        "pages": re.compile(rf",?\s*(?:on\s+)?{_PAGE_LABEL}\s*:?\s*(?P<pages>{_PAGE_LIST})", _IC),
        "odg_chapter": re.compile(
            rf"\s+(?P<ch>{v.odg_chapter_re.pattern})\s*(?:chapter|section)(?![A-Za-z])"
            r"|\s+(?P<pref>Preface)(?![A-Za-z])"
            r"|\s+(?P<pt>Physical\s*Therapy\s*Guidelines)",
            _IC,
        ),
        # "Non-MTUS ..." is a marker, not a mention; "outside of the MTUS Guidelines" names the
        # MTUS and is tagged (corpus/README.md).
        "excluded_before": re.compile(r"Non\s*-?\s*$", _IC),
    }


def find_citations(text: str) -> list[dict[str, Any]]:
    """Find guideline citations in free text (rationales); precision over recall.

    Guideline lines embedded in the text ("Decision based on ..." up to the blank line or
    "Decision rationale:") are read with the guideline-line parser. Elsewhere these forms
    are accepted (a leading "the" is never part of the span):

    * MTUS names: "MTUS", "CA MTUS", "California MTUS", "MTUS/ACOEM", "California Medical
      Treatment Utilization Schedule (MTUS)", optionally followed by a year, an MTUS
      document ("Chronic Pain Medical Treatment Guidelines", "Opioids Treatment
      Guidelines", "Low Back Complaints", ...) or "Guidelines", or "Guideline in ACOEM
      Chapter 11";
    * an MTUS document named with "Guidelines" on its own: "Chronic Pain Medical
      Treatment Guidelines", "California chronic pain medical treatment guidelines";
    * ODG: "Official Disability Guidelines (ODG)", "ODG" (upper case), optionally with
      "<chapter> chapter", "Preface" or "Physical Therapy Guidelines";
    * ACOEM: "ACOEM" (upper case) [Practice] [Guidelines], "ACOEM/MTUS", "Third Edition
      ACOEM Guidelines", "American College of Occupational and Environmental Medicine
      (ACOEM) Guidelines", with "Chapter N [Title]" or "<Title> Disorders Chapter";
    * then, after any of these: a year or "(July 28, 2016)", "Section on <Topic>",
      ("<topic>"), "Table 12-8", "page(s) N" / "pg. N";
    * and, before any of these, "page(s) N of [the]" ("page 78 of the CA MTUS ...").

    Not accepted: generic "the guidelines", "Non-MTUS ...".
    ACOEM mentioned without MTUS is source "ACOEM"; with it ("MTUS/ACOEM", "MTUS
    Guideline in ACOEM Chapter 11") it is "MTUS" with document "ACOEM".
    """
    if not text:
        return []
    out: list[dict[str, Any]] = []
    regions: list[tuple[int, int]] = []
    scans = _scans()
    low = caseless_copy(text)
    lead, head = scans["lead"], scans["head"]
    # both pre-scans read the letter once (one alphabet)
    read = lead.gram_filter.alphabet.read(low) if low is not None and lead.gram_filter is not None else None
    lead_starts = lead.starts(low, read)
    for m in lead.finditer(text, 0, len(text), lead_starts):
        if regions and m.start() < regions[-1][1]:
            continue
        e = scans["region_end"].search(text, low, m.end())
        region_end = e.start() + (1 if e and e.group(0).startswith(".") else 0) if e else len(text)
        # Each "Decision based on" segment is a guideline line; one that cites nothing
        # ("recommendation(s) outside of the MTUS Guidelines") is read as free text.
        leads = list(lead.finditer(text, m.start(), region_end, lead_starts))
        cuts = [h.start() for h in leads[1:]] + [region_end]
        for lead_match, seg_end in zip(leads, cuts):
            parsed = _parse_segment(text, lead_match.end(), seg_end, low)
            if parsed:
                regions.append((lead_match.start(), seg_end))
                out.extend(parsed)
        regions.append((region_end, region_end))  # where the next head may start
    head_starts = head.starts(low, read)
    pos = 0
    for region_start, region_end in [*regions, (len(text), len(text))]:
        for m in head.finditer(text, pos, region_start, head_starts):
            if out and m.start() < out[-1]["end"] and out[-1]["start"] <= m.start():
                continue
            cit = _free_mention(text, m, region_start)
            if cit is not None:
                out.append(cit)
        pos = region_end
    out.sort(key=lambda c: (c["start"], -c["end"]))
    kept: list[dict[str, Any]] = []
    for c in out:
        if kept and c["start"] < kept[-1]["end"]:
            continue
        kept.append(c)
    return kept


@dataclass
class _Draft:
    """A citation being read from free text: what is known so far, and where the reading
    is (``pos``; the span starts at ``start``)."""

    source: str
    start: int
    pos: int
    document: str | None = None
    chapter: str | None = None
    topic: str | None = None
    year: int | None = None
    pages: list[int] = field(default_factory=list)


def _free_mention(text: str, m: re.Match, limit: int) -> dict[str, Any] | None:
    """Extend a guideline name found in free text into a citation (or None if excluded)."""
    if _free_res()["excluded_before"].search(text[max(0, m.start() - 25) : m.start()]):
        return None
    draft = _Draft("MTUS", m.start(), m.end())
    if m.group("mtus") is not None:
        _read_after_mtus(text, m, limit, draft)
    elif m.group("doc") is not None:
        if not _read_named_document(m.group(0), draft):
            return None
    elif m.group("odg") is not None:
        _read_after_odg(text, m.group(0), limit, draft)
    else:
        _read_after_acoem(text, m, limit, draft)
    if draft.document == "ACOEM" or (draft.source == "MTUS" and draft.document is None):
        _read_acoem_chapter(text, limit, draft)
    _read_trailing_details(text, limit, draft)
    _read_leading_details(text, draft)
    end = _trim_end(text, draft.start, draft.pos)
    return _citation(
        draft.source, text, draft.start, end, document=draft.document, chapter=draft.chapter,
        topic=draft.topic, year=draft.year, pages=draft.pages,
    )


def _read_year(text: str, limit: int, draft: _Draft) -> None:
    """" 2016" right at ``pos``."""
    year = _free_res()["year"].match(text, draft.pos, limit)
    if year:
        draft.year, draft.pos = int(year.group(1)), year.end()


def _read_after_mtus(text: str, m: re.Match, limit: int, draft: _Draft) -> None:
    """After a name of the MTUS: year, document ("Chronic Pain Medical Treatment
    Guidelines"), "ACOEM", "Guidelines [for <topic>]" or a part ("introduction")."""
    v, fr = _vocab(), _free_res()
    if m.group("mtus_acoem"):
        draft.document = "ACOEM"  # "MTUS/ACOEM"
    _read_year(text, limit, draft)
    document = fr["doc"].match(text, draft.pos, limit)
    if document:
        draft.document = v.mtus_doc_by_key.get(_key(document.group(0)), _clean(document.group(0)))
        draft.pos = document.end()
        _read_year(text, limit, draft)
    then_acoem = fr["then_acoem"].match(text, draft.pos, limit)
    if then_acoem and not document:
        draft.document, draft.pos = "ACOEM", then_acoem.end()  # "MTUS ACOEM Guidelines"
    guidelines = fr["guidelines"].match(text, draft.pos, limit) or fr["shared_head"].match(text, draft.pos, limit)
    if guidelines:
        draft.pos = guidelines.end()
        for_topic = fr["for_topic"].match(text, draft.pos, limit)
        if for_topic:
            draft.topic, draft.pos = _clean(for_topic.group("topic")), for_topic.end()
    elif not document:
        part = fr["part"].match(text, draft.pos, limit)
        if part:  # "MTUS introduction", "MTUS neck and upper back chapter"
            draft.chapter = _clean(part.group("ch")) if part.group("ch") else part.group(0).strip().capitalize()
            draft.pos = part.end()
    in_acoem = fr["in_acoem"].match(text, draft.pos, limit)
    if in_acoem:
        draft.document, draft.pos = "ACOEM", in_acoem.end()


_ANY_YEAR = re.compile(r"((?:19|20)\d\d)")


def _read_named_document(name: str, draft: _Draft) -> bool:
    """An MTUS document named with "Guidelines" ("Chronic Pain Medical Treatment
    Guidelines", "... 2016 Guidelines"); False when no document alias is in ``name``."""
    document = _vocab().mtus_doc_re.search(name)
    if document is None or document.group("doc") is None:
        return False
    draft.document = _vocab().mtus_doc_by_key.get(_key(document.group("doc")), _clean(document.group("doc")))
    year = _ANY_YEAR.search(name)
    draft.year = int(year.group(1)) if year else None
    return True


def _read_after_odg(text: str, name: str, limit: int, draft: _Draft) -> None:
    """After a name of the ODG: "Guidelines" (after a name without it), then a chapter
    ("Pain chapter"), "Preface" or "Physical Therapy Guidelines"."""
    v, fr = _vocab(), _free_res()
    draft.source, draft.document = "ODG", v.odg_document
    guidelines = fr["guidelines"].match(text, draft.pos, limit)
    if guidelines and not _GUIDELINES_WORD.search(name):
        draft.pos = guidelines.end()
    chapter = fr["odg_chapter"].match(text, draft.pos, limit)
    if not chapter:
        return
    if chapter.group("ch"):
        keyword = v.odg_chapter_re.match(chapter.group("ch"))
        draft.chapter = _odg_chapter_name(keyword) if keyword else None
    elif chapter.group("pref"):
        draft.chapter = "Preface"
    else:
        draft.topic = _clean(chapter.group("pt"))
    draft.pos = chapter.end()


_ACOEM_GUIDELINES = re.compile(rf"\s*(?:Practice\s*)?{_GUIDE}(?![A-Za-z])", _IC)


def _read_after_acoem(text: str, m: re.Match, limit: int, draft: _Draft) -> None:
    """After a name of ACOEM: year, "[Practice] Guidelines" or "and MTUS Guidelines"
    (then cited as part of the MTUS)."""
    fr = _free_res()
    draft.source, draft.document = ("MTUS" if m.group("acoem_mtus") else "ACOEM"), "ACOEM"
    _read_year(text, limit, draft)  # "ACOEM 2004 Lower Back Disorders Chapter"
    guidelines = _ACOEM_GUIDELINES.match(text, draft.pos, limit) or fr["shared_head"].match(text, draft.pos, limit)
    if guidelines:
        draft.pos = guidelines.end()
        if _res()["mtus_name_any"].search(guidelines.group(0)):  # "ACOEM and MTUS Guidelines"
            draft.source = "MTUS"


def _read_acoem_chapter(text: str, limit: int, draft: _Draft) -> None:
    """"Chapter 12 [Low Back Complaints]" or, after ACOEM, "<Title> Disorders Chapter"."""
    fr = _free_res()
    numbered = fr["chapter_num"].match(text, draft.pos, limit)
    if numbered:
        draft.document = "ACOEM"
        draft.chapter = _acoem_chapter_from_number(int(numbered.group("num")), numbered.group("title"))
        draft.pos = numbered.end() if numbered.group("title").strip() else numbered.start("title")
    elif draft.document == "ACOEM":
        named = fr["chapter_named"].match(text, draft.pos, limit)
        if named:
            draft.chapter = _clean(named.group("title") or named.group("title2"))
            draft.pos = named.end()


def _read_trailing_details(text: str, limit: int, draft: _Draft) -> None:
    """"(July 28, 2016)", "Section on <Topic>", ("<topic>"), "Table 12-8", "page(s) N"."""
    fr = _free_res()
    year = fr["year_paren"].match(text, draft.pos, limit)
    if year:
        draft.year, draft.pos = int(year.group(1)), year.end()
    for key in ("section", "quoted_topic"):
        topic = fr[key].match(text, draft.pos, limit)
        if topic:
            draft.topic, draft.pos = _clean(topic.group("topic")), topic.end()
    table = fr["table"].match(text, draft.pos, limit)
    pages = fr["pages"].match(text, table.end() if table else draft.pos, limit)
    if pages:
        draft.pages, draft.pos = expand_pages(pages.group("pages")), pages.end()
    elif table:
        draft.pos = table.end()


def _read_leading_details(text: str, draft: _Draft) -> None:
    """Before the name: "page 78 of [the]", "Introduction section of", "The 2016"."""
    fr = _free_res()
    window = max(0, draft.start - 40)
    pages = fr["pre_pages"].search(text[window : draft.start])
    if pages:
        draft.start = window + pages.start()
        draft.pages = sorted(set(draft.pages) | set(expand_pages(pages.group("pages"))))
    window = max(0, draft.start - 40)
    part = fr["pre_part"].search(text[window : draft.start])
    if part:  # "Introduction section of MTUS 2016 Chronic Pain Guidelines"
        draft.start = window + part.start()
        draft.chapter = draft.chapter or _clean(part.group(0).split()[0])
    window = max(0, draft.start - 6)
    year = fr["pre_year"].search(text[window : draft.start])
    if year and draft.year is None:  # "The 2016 California MTUS"
        draft.start, draft.year = window + year.start(), int(year.group(0))
