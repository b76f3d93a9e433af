"""DIAGNOSIS mentions: a condition head from the lexicon plus its contiguous modifiers.

The lexicon is ``imr_nlp/data/diagnoses.json`` (rules in ``diagnoses.README.md``). Finding
works in three cheap steps, all on the original text so offsets never shift:

1. one compiled regex (a character trie built from the lexicon) finds condition heads;
2. each head grows to the left over laterality, qualifier, location and spinal-level words,
   matched by one anchored regex on the *reversed* text ("L4-5 and L5-S1 neuroforaminal
   stenosis", "neck, back and right shoulder pain");
3. each head grows to the right over location phrases ("of the right shoulder",
   "at L4-L5", "right wrist", ", lumbosacral region", "bilaterally").

Generic heads ("pain", "injury", "tear", "spasm") are kept only when a location (or, for
pain, a pain-type word such as "chronic") licenses them; heads followed by words such as
"management", "scale" or "guidelines", and guideline titles, are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy

from ..resources import RuleData, active_data, ascii_lower, packaged_data, using
from .pattern_starts import sre_parser as _sre_parser
from .word_hashes import byte_table, hashes_of, where_in, word_hashes

__all__ = ["find_diagnoses", "names_a_condition", "load_lexicon", "DiagnosisLexicon"]

_LEXICON_FILE = "diagnoses.json"
# Extra ordinary heads generated from ICD-10-CM by scripts/build_icd10cm_heads.py.
_ICD10CM_FILE = "diagnoses_icd10cm.json"

_ALNUM = "A-Za-z0-9"
# Spinal level, forward ("L4-5", "L5/S1", "C5-C6") and mirrored for the leftward scan.
_LEVEL = r"[CTLSctls]\d{1,2}(?:\s*[-/\u2013]\s*[CTLSctls]?\d{1,2})?"
_LEVEL_REV = r"(?:\d{1,2}[CTLSctls]?\s*[-/\u2013]\s*)?\d{1,2}[CTLSctls]"
# "grade 2 spondylolisthesis", "type II SLAP lesion", mirrored.
_GRADE_REV = r"(?:[1-4]|i{1,3}|vi|v)\s+(?:edarg|epyt)"
_LEVEL_FULL = re.compile(_LEVEL)
_DETERMINERS_BEFORE = frozenset({"the", "his", "her", "their", "a", "an"})
# "a lumbar, hip, and neck strain": an indefinite article opens the whole coordination.
_ARTICLES = frozenset({"a", "an"})


@dataclass(frozen=True)
class DiagnosisLexicon:
    """Compiled matchers and word sets built once from ``diagnoses.json``."""

    heads: re.Pattern
    abbr_only: frozenset[str]
    abbreviations: frozenset[str]
    left: re.Pattern
    right: re.Pattern
    bound: frozenset[str]
    license_words: frozenset[str]
    type_license: dict[str, frozenset[str]]
    coord_words: frozenset[str]
    type_words: frozenset[str]
    groups: dict[str, str]
    after_head: re.Pattern
    followers: frozenset[str]
    preceding: re.Pattern
    titles: re.Pattern
    # Sorted hashes of the words a head can start with (``_head_chunk_keys``): ``heads`` is
    # tried only where such a word starts; None: everywhere.
    head_chunk_keys: numpy.ndarray | None = None
    # One word that every match of ``titles`` holds, per title phrase; None when a phrase has
    # none (then ``titles`` is searched around every head).
    title_words: tuple[str, ...] | None = None


# ---- regex construction ------------------------------------------------------------------


def _units(phrase: str) -> list[str]:
    """Regex units for one lexicon phrase: letters, and flexible separators for ' ', '-', '/'."""
    units: list[str] = []
    for ch in phrase:
        if ch == " ":
            units.append(r"\s+")
        elif ch == "-":
            units.append(r"(?:\s*-\s*|\s+)?")
        elif ch == "/":
            units.append(r"\s*/\s*")
        elif ch in "'\u2019":
            units.append(r"['\u2019]?")
        else:
            units.append(re.escape(ch))
    return units


def _trie_regex(phrases: list[str], suffix: str = "", reverse: bool = False) -> str:
    """One alternation for many phrases, factored as a character trie so the regex engine
    does not retry hundreds of alternatives at each position. ``suffix`` goes after every
    phrase end (an optional plural); ``reverse`` builds it for the mirrored text."""
    trie: dict = {}
    for phrase in phrases:
        units = _units(phrase)
        if reverse:
            units = units[::-1]
        node = trie
        for unit in units:
            node = node.setdefault(unit, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [unit + emit(child) for unit, child in node.items() if unit]
        if "" in node:
            alts.append(suffix)
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    return emit(trie)


def _read(data: RuleData | None = None) -> dict:
    """``diagnoses.json`` with the ICD-10-CM heads added to its head groups (of ``data``, by
    default the rule data in use)."""
    data = active_data() if data is None else data
    raw = dict(data[_LEXICON_FILE])
    heads = {group: list(words) for group, words in raw["heads"].items()}
    for group, phrases in data[_ICD10CM_FILE]["heads"].items():
        heads.setdefault(group, []).extend(phrases)
    raw["heads"] = heads
    return raw


_NOT_KEY_RE = re.compile(r"[^a-z0-9]+")


def _norm(text: str) -> str:
    """Comparison key of a head: lowercase letters and digits only."""
    low = text.lower()
    if low.isascii() and low.isalnum():
        return low  # one plain word, the usual head: nothing to remove
    return _NOT_KEY_RE.sub("", low)


def _plural_keys(words: list[str]) -> frozenset[str]:
    keys = set()
    for w in words:
        k = _norm(w)
        keys.update({k, k + "s", k + "es"})
        if k.endswith("y"):
            keys.add(k[:-1] + "ies")
    return frozenset(keys)


def _type_license(data: dict, license_words: frozenset[str]) -> dict[str, frozenset[str]]:
    """Per bound head: location words plus the type words that also license it ("chronic pain")."""
    out: dict[str, frozenset[str]] = {}
    for head, words in data["bound_heads"]["type_words"].items():
        if isinstance(words, str):  # a reference such as "premodifiers.pain_type"
            section, name = words.split(".")
            words = data[section][name]
        parts = [p for w in words for p in re.split(r"[^a-z0-9]+", w.lower()) if p]
        keys = license_words | _plural_keys(parts)
        for form in _plural_keys([head]):
            out[form] = keys
    return out


def load_lexicon() -> DiagnosisLexicon:
    """The matchers of the rule data in use (``diagnoses.json`` plus the ICD-10-CM heads),
    built once per component's data (see ``resources.active_data``)."""
    return active_data().compiled(_LEXICON_KEY, _build_lexicon)


def _clear_lexicon() -> None:
    """Forget the packaged data's built lexicon (for code that swaps ``_read``)."""
    packaged_data().forget(_LEXICON_KEY)


load_lexicon.cache_clear = _clear_lexicon  # type: ignore[attr-defined]
_LEXICON_KEY = "diagnoses.lexicon"


def _build_lexicon(data: RuleData) -> DiagnosisLexicon:
    with using(data):
        raw = _read()  # looked up at call time: scripts may wrap it
    return build_lexicon(raw)


class _Words(NamedTuple):
    """The lower-cased word lists of the lexicon that several matchers share."""

    heads: list[str]
    bound: list[str]
    location: list[str]
    pain_type: list[str]
    laterality: list[str]
    qualifiers: list[str]


def _words(data: dict) -> _Words:
    pre = data["premodifiers"]
    return _Words(
        heads=[h.lower() for group in data["heads"].values() for h in group],
        bound=[w.lower() for w in data["bound_heads"]["words"]],
        location=[w.lower() for w in pre["location"]],
        pain_type=[w.lower() for w in pre["pain_type"]],
        laterality=[w.lower() for w in pre["laterality"]],
        qualifiers=[w.lower() for w in pre["qualifiers"]],
    )


def _head_phrases(words: _Words) -> list[str]:
    """The condition heads, with "-ies" plurals of heads ending in "y" ("spinal instabilities")."""
    plurals = [h[:-1] + "ies" for h in words.heads if h.endswith("y") and not h.endswith(("ay", "ey", "oy", "uy"))]
    return sorted(set(words.heads + words.bound + plurals))


def _heads_regex(words: _Words, abbreviations: frozenset[str]) -> re.Pattern:
    """Step 1: condition heads and abbreviations, matched on the ASCII-lowercased text (same
    offsets); the case of an abbreviation is checked after."""
    # Plurals: "s"/"es" after any head.
    head_alt = _trie_regex(_head_phrases(words), suffix=r"(?:e?s)?")
    abbr_alt = _trie_regex(sorted({a.lower() for a in abbreviations}))
    return re.compile(rf"(?<![{_ALNUM}])(?:{head_alt}|{abbr_alt})(?![{_ALNUM}])")


_JOINABLE = frozenset("-'\u2019")  # a separator the text may leave out ("lowback", "crohns")


def _first_chunks(phrase: str, suffixes: tuple[str, ...]) -> set[str]:
    """The runs of letters and digits a match of ``phrase`` (see ``_units``) can start with:
    its first word, joined with the next ones where the text leaves out a "-" or an
    apostrophe, and with a plural ``suffixes`` when that reaches the phrase's end."""
    parts = re.split(f"([^{_ALNUM}])", phrase)
    chunk, out = parts[0], set()
    for i in range(1, len(parts), 2):
        out.add(chunk)
        if parts[i] not in _JOINABLE:
            return out
        chunk += parts[i + 1]
    out.update(chunk + s for s in suffixes)
    return out


def _head_chunk_keys(words: _Words, abbreviations: frozenset[str]) -> numpy.ndarray | None:
    """The sorted hashes (``word_hashes``) of the words a head or abbreviation can start
    with (``_first_chunks``); None when a phrase does not start with a letter or digit (then
    a match need not start a word)."""
    heads = _head_phrases(words)
    abbrs = sorted({a.lower() for a in abbreviations})
    if not all(re.match(f"[{_ALNUM}]", p) for p in [*heads, *abbrs]):
        return None
    chunks = set().union(*(_first_chunks(h, ("", "s", "es")) for h in heads))
    chunks.update(*(_first_chunks(a, ("",)) for a in abbrs))
    return hashes_of(chunks)


def _left_regex(words: _Words) -> re.Pattern:
    """Step 2: the leftward scan on the reversed text: SEP MOD (SEP MOD)* [COORD CHAIN (, CHAIN)*]."""
    pre_words = sorted(set(words.location + words.pain_type + words.laterality + words.qualifiers))
    mod_rev = rf"(?:{_LEVEL_REV}|{_GRADE_REV}|{_trie_regex(pre_words, reverse=True)}s?)(?![{_ALNUM}])"
    sep = r"(?:\s+|\s*[-/]\s*)"
    chain = rf"{mod_rev}(?:{sep}{mod_rev})*"
    conj_rev = r"(?:dna|ro|ro\s*/\s*dna|&)"
    # A severity word may open the second run: "left and mild right foraminal narrowing".
    severity_rev = _trie_regex(sorted(_SEVERITY), reverse=True)
    # Further runs may follow with commas or another conjunction ("neck, right shoulder and
    # right hand and wrist injuries").
    more = rf"(?:\s*,\s*{chain}|\s*,?\s+{conj_rev}(?:\s*,\s*|\s+){chain})*"
    return re.compile(
        rf"(?P<main>(?:{sep}{mod_rev})*)"
        rf"(?P<coord>(?:\s+{severity_rev})?\s*,?\s+{conj_rev}(?:\s*,\s*|\s+){chain}{more})?"
    )


def _right_regex(words: _Words, post: dict) -> tuple[re.Pattern, re.Pattern]:
    """Step 3: the rightward location phrases after a head, and the preposition (with its
    determiner) that may open one."""
    laterality = words.laterality
    loc_nouns = sorted(set(words.location + [w.lower() for w in post["nouns"]]))
    trailing = [w.lower() for w in post["trailing_nouns"]]
    inner = [w.lower() for w in post["inner_qualifiers"]]
    directions = [w.lower() for w in post["direction_words"]]
    # "upper and lower back": two direction or side words may share one location noun
    modw1 = _trie_regex(sorted(set(laterality + inner + directions)))
    modw = rf"{modw1}(?:\s+(?:and|or)\s+{modw1})?"
    locw = rf"(?:{_LEVEL}|{_trie_regex(loc_nouns)}(?:e?s)?)(?![{_ALNUM}])"
    trailw = rf"{_trie_regex(trailing)}(?![{_ALNUM}])"
    psep = r"(?:\s+|\s*[-/]\s*)"
    phrase = (
        rf"(?:(?:{modw}){psep}){{0,4}}{locw}(?:{psep}(?:{locw}|{trailw})){{0,4}}"
        rf"|(?:(?:{modw}){psep}){{1,3}}{trailw}"
    )
    det = _trie_regex([w.lower() for w in post["determiners"]])
    lst = (
        rf"(?:{phrase})(?:(?:\s*,\s*(?:(?:and|or|and\s*/\s*or|&)\s+)?|\s+(?:and|or|and\s*/\s*or|&)\s+)"
        rf"(?:{det}\s+)?(?:{phrase})){{0,6}}"
    )
    prep = _trie_regex([w.lower() for w in post["prepositions"]])
    lat = _trie_regex(laterality)
    end_guard = r"(?=\s*(?:[;:.,)\]]|$))"
    comma_sides = [p.strip(", ") for p in post["side_phrases"] if p.startswith(",")]
    word_sides = [p.strip() for p in post["side_phrases"] if not p.startswith(",")]
    sides = (
        rf",\s*{_trie_regex(comma_sides)}{end_guard}"
        rf"|\s+{_trie_regex(word_sides)}(?![{_ALNUM}])"
    )
    component = (
        rf"\s+{prep}\s+(?:{det}\s+)?(?:{lst})"
        rf"|\s+{lat}\s+(?:{phrase})"
        rf"|\s+{_LEVEL}(?:\s*(?:,|and|to|through)\s*{_LEVEL})*(?![{_ALNUM}])"
        rf"|\s*,\s*(?:{lat}\s+)?(?:{phrase})(?=\s*(?:[;:.()\]]|$))"
        rf"|(?:{sides})(?![{_ALNUM}])"
    )
    det_prep = re.compile(rf"\s+{prep}\s+(?:{det}\s+)?")
    return re.compile(rf"(?:{component}){{1,3}}"), det_prep


def build_lexicon(data: dict) -> DiagnosisLexicon:
    """The matchers of a lexicon (``diagnoses.json`` content with the ICD-10-CM heads added,
    as :func:`_read` gives it)."""
    words = _words(data)
    abbreviations = frozenset(data["abbreviations"])
    post = data["postmodifiers"]
    right_re, after_head = _right_regex(words, post)
    excl = data["exclude"]
    preceding = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in excl["preceding_phrases"])
    license_words = _plural_keys(words.location + [w.lower() for w in post["nouns"]])
    heads = _heads_regex(words, abbreviations)
    return DiagnosisLexicon(
        heads=heads,
        abbr_only=frozenset(a.lower() for a in abbreviations) - _plural_keys(words.heads + words.bound),
        abbreviations=abbreviations,
        left=_left_regex(words),
        right=right_re,
        bound=_plural_keys(words.bound) | {"injuries"},
        license_words=license_words,
        type_license=_type_license(data, license_words),
        coord_words=_plural_keys(words.location + words.laterality),
        type_words=frozenset(words.qualifiers + words.pain_type),
        groups={key: group for group, ws in data["heads"].items() for w in ws for key in _plural_keys([w])},
        after_head=after_head,
        followers=frozenset(w.lower() for w in excl["following_words"]),
        preceding=re.compile(rf"(?<![{_ALNUM}])(?:{preceding})\s+$"),
        titles=re.compile("|".join(p.lower() for p in excl["phrases"])),
        head_chunk_keys=_head_chunk_keys(words, abbreviations),
        title_words=_title_words([p.lower() for p in excl["phrases"]]),
    )


def _title_words(phrases: list[str]) -> tuple[str, ...] | None:
    """The longest run of plain characters of each title phrase (a regex) outside any group,
    repeat or alternation: a text holds a match of the phrase only where it holds that run."""
    words = []
    for phrase in phrases:
        parsed = _sre_parser.parse(phrase)
        if parsed.state.flags & re.IGNORECASE:
            return None
        best = run = ""
        for op, value in parsed:
            run = run + chr(value) if op is _sre_parser.LITERAL else ""
            best = max(best, run, key=len)
        if len(best) < 3:
            return None
        words.append(best)
    return tuple(dict.fromkeys(words))


def _may_hold_title(lex: DiagnosisLexicon, low: str, start: int, end: int) -> bool:
    """Whether ``low[start:end]`` may hold a match of ``lex.titles`` (one of its words is there)."""
    if lex.title_words is None:
        return True
    window = low[start:end]
    for word in lex.title_words:
        if word in window:
            return True
    return False


# ---- finding -------------------------------------------------------------------------------

_WORDS_RE = re.compile(r"[a-z0-9]+")
_NEXT_WORD_RE = re.compile(r"[ \t\r\n\-]*([a-z]+)")
_CONJUNCT_RE = re.compile(r"[a-z0-9]+(?:[-/][a-z0-9]+)?")
_SIDE_ONLY_RE = re.compile(
    r"[\s,]*(?:(?:left|right)\s+(?:greater|more|worse)\s+than\s+(?:left|right)|(?:left|right|bilateral)(?:\s+sides?)?|bilaterally"
    r"|on\s+(?:the\s+(?:left|right)(?:\s+side)?|both\s+sides))"
)
_CONJUNCTIONS = frozenset({"and", "or", "and/or"})
_SEVERITY = frozenset({"mild", "moderate", "severe"})
_GRADE_WORDS = frozenset({"type", "grade"})
_SIDES = frozenset({"left", "right", "bilateral"})
# A severity word right before a coordinated side run ("moderate| left and mild right ...").
_SEVERITY_BEFORE = re.compile(r"(?<![a-z0-9])(?:mild|moderate|severe)\s+$")
# A location run right after a preposition belongs to the phrase before it, not to the head.
_PREPOSITIONS_BEFORE = frozenset({"along", "into", "over", "down", "through", "radiating"})


def _licensed(words: list[str], keys: frozenset[str]) -> bool:
    return any(w in keys or _LEVEL_FULL.fullmatch(w) for w in words)


def _is_location(lex: DiagnosisLexicon, word: str) -> bool:
    return word in lex.coord_words or bool(_LEVEL_FULL.fullmatch(word))


def _left_extent(lex: DiagnosisLexicon, low: str, rev: str, start: int, head_end: int, floor: int) -> int:
    """Leftmost start of the premodifier run before the head ``start:head_end`` (not crossing ``floor``)."""
    n = len(low)
    m = lex.left.match(rev, n - start, n - floor)
    if m is None:
        return start
    main_start = start - (m.end("main") - m.start("main"))
    if m.group("coord") is None:
        return main_start
    # Coordination joins location/level runs ("neck and back pain", "neck and low back pain",
    # "L4-5 and L5-S1") and type words ("acute or chronic pain", "acute and chronic soft
    # tissue injuries"); the run after the conjunction may be part of the head itself.
    coord_start = n - m.end(0)
    inner = _CONJUNCT_RE.findall(low, main_start, head_end)[:-1] or _CONJUNCT_RE.findall(low, main_start, head_end)
    conjunct = [
        w for w in _CONJUNCT_RE.findall(low, coord_start, main_start) if w not in _CONJUNCTIONS and w not in _SEVERITY
    ]
    if not (inner and conjunct):
        return main_start
    locations = any(_is_location(lex, w) for w in inner) and _is_location(lex, conjunct[-1])
    types = inner[0] in lex.type_words and conjunct[-1] in lex.type_words
    grades = inner[0] in _GRADE_WORDS and len(conjunct) > 1 and conjunct[-2] in _GRADE_WORDS  # "type II or type IV"
    if types or grades:
        return coord_start  # "a large and massive rotator cuff tear"
    if not locations:
        return main_start
    if floor and (prev := lex.right.match(low, floor)) and prev.end() > coord_start:
        return main_start  # "contusion of face, scalp and neck and acute cervical sprain"
    before = low[max(floor, coord_start - 12):coord_start].split()
    if before and (before[-1] in _DETERMINERS_BEFORE - _ARTICLES or before[-1] in _PREPOSITIONS_BEFORE):
        return main_start  # "tenderness of the cervical spine and right shoulder pain", "numbness along right arm and back pain"
    if floor and lex.after_head.fullmatch(low, floor, coord_start):
        return main_start  # "numbness along right arm and back pain": the first part is the PP
    if (
        conjunct[0] in _SIDES
        and _SEVERITY.intersection(_CONJUNCT_RE.findall(low, coord_start, main_start))
        and (sev := _SEVERITY_BEFORE.search(low, max(floor, coord_start - 12), coord_start))
    ):
        return sev.start()  # "moderate left and mild right foraminal narrowing": one severity per side
    return coord_start


# The words a head starts: runs of ASCII lower-case letters and digits (as [A-Za-z0-9] of
# the patterns on the lower-cased text).
_CHUNK_BYTES = byte_table("abcdefghijklmnopqrstuvwxyz0123456789")


def _head_spans(lex: DiagnosisLexicon, low: str) -> list[tuple[int, int]]:
    """Spans of ``lex.heads`` matches in ``low``, tried only where a word that may start a
    head starts (a hash of each word is looked up in ``lex.head_chunk_keys``; a collision
    only costs a try): a head starts a word, after no letter or digit."""
    if lex.head_chunk_keys is None:
        return [m.span() for m in lex.heads.finditer(low)]
    starts, _, hashes = word_hashes(low, _CHUNK_BYTES)
    spans = []
    end = 0
    match = lex.heads.match
    for start in starts[where_in(lex.head_chunk_keys, hashes)].tolist():
        if start >= end and (m := match(low, start)):
            spans.append(m.span())
            end = m.end()
    return spans


def find_diagnoses(text: str) -> list[tuple[int, int]]:
    """Character spans of DIAGNOSIS mentions in ``text``, in order and non-overlapping.

    Case-insensitive (abbreviations such as "CRPS" must be capitals); words may be split by
    PDF line breaks; a span starts and ends on a word character.
    """
    if not text:
        return []
    lex = load_lexicon()
    low = ascii_lower(text)
    hits = []
    for start, end in _head_spans(lex, low):
        if low[start:end] in lex.abbr_only and text[start:end] not in lex.abbreviations:
            continue  # a lowercase "gad" or "cad" is not the abbreviation
        hits.append((start, end))
    if not hits:
        return []
    rev = low[::-1]
    # Left extents first, so each head's right extension can stop where the next one begins.
    lefts = []
    floor = 0
    for start, end in hits:
        lefts.append(_left_extent(lex, low, rev, start, end, floor))
        floor = end
    found: list[_Found] = []
    for i, (start, end) in enumerate(hits):
        left = lefts[i]
        limit = lefts[i + 1] if i + 1 < len(hits) else len(low)
        m = lex.right.match(low, end, limit)
        right = m.end() if m else end
        post_words = _WORDS_RE.findall(low, end, right)
        post_licensed = _licensed(post_words, lex.license_words)
        key = _norm(low[start:end])
        if key in lex.bound:
            keys = lex.type_license.get(key, lex.license_words)
            if not post_licensed and not _licensed(_WORDS_RE.findall(low, left, start), keys):
                if found and left == start and _shares_modifiers(lex, low, found[-1], start, key, "or"):
                    found[-1] = found[-1]._replace(end=end)  # "right shoulder pain and injury"
                continue
        if post_words and not post_licensed and not _SIDE_ONLY_RE.fullmatch(low, end, right):
            right = end
        nxt = _NEXT_WORD_RE.match(low, right)
        if nxt and nxt.group(1) in lex.followers:
            continue
        if lex.preceding.search(low, max(0, left - 20), left):
            continue
        near = max(0, left - 40), min(len(low), right + 30)
        if _may_hold_title(lex, low, *near) and lex.titles.search(low, *near):
            if any(t.start() < right and left < t.end() for t in lex.titles.finditer(low, *near)):
                continue
        if found and left < found[-1].end:
            continue
        current = _Found(left, right, start, end, key)
        if found and _joined(lex, low, found[-1], current):
            found[-1] = found[-1]._replace(end=right, head_end=end, key=key)
        else:
            found.append(current)
    return [(f.start, f.end) for f in found]


class _Found(NamedTuple):
    """A DIAGNOSIS span (start, end) and its head (head_start, head_end, normalized key)."""

    start: int
    end: int
    head_start: int
    head_end: int
    key: str


_SLASH_RE = re.compile(r"\s*/\s*")
_ONE_WORD = re.compile(r"[a-z0-9'-]+")
_CONJ_GAP_RE = re.compile(r"\s*,?\s+(and|or|and\s*/\s*or)\s+")


def _shares_modifiers(lex: DiagnosisLexicon, low: str, prev: _Found, start: int, key: str, conj: str) -> bool:
    """Whether a head right after ``prev`` + a conjunction shares prev's premodifiers:
    "[acute sprain or strain]", "[right shoulder pain and injury]" (generic second head)."""
    gap = _CONJ_GAP_RE.fullmatch(low, prev.end, start)
    if gap is None or prev.start == prev.head_start or prev.end != prev.head_end:
        return False
    return key in lex.bound or (gap.group(1) == conj and lex.groups.get(key) == lex.groups.get(prev.key))


def _joined(lex: DiagnosisLexicon, low: str, prev: _Found, cur: _Found) -> bool:
    """Whether two adjacent mentions are one coordinated condition (one span).

    Slash pairs always are ("fracture/dislocation", "depression/anxiety"). Conditions of
    the same kind joined by "and"/"or" are when one modifier run is shared: a location
    after the second ("[sprains and strains of the knee]", "[synovitis and tenosynovitis,
    left hand]") or, with "or", modifiers before the first ("[acute sprain or strain]",
    "[biceps dislocation or subluxation]"). Otherwise two diagnoses are two spans.
    """
    if _SLASH_RE.fullmatch(low, prev.end, cur.start):
        return True
    if _combined(low, prev, cur):
        return True
    if cur.start != cur.head_start and cur.end == cur.head_end:
        return False  # the second has its own modifiers and nothing to share
    gap = _CONJ_GAP_RE.fullmatch(low, prev.end, cur.start)
    if gap is None or lex.groups.get(prev.key) != lex.groups.get(cur.key) or lex.groups.get(cur.key) is None:
        return False
    # A bare one-word first condition shares the second's location; a longer name does not
    # ("myofascial pain syndrome and bursitis of the right hip" are two).
    bare = prev.start == prev.head_start and prev.end == prev.head_end
    shared_after = cur.end > cur.head_end and bare and _ONE_WORD.fullmatch(low, prev.start, prev.end) is not None
    return shared_after or _shares_modifiers(lex, low, prev, cur.head_start, cur.key, "or")


def _combination_rule(data: RuleData) -> tuple[dict, frozenset[str]]:
    rule = data[_LEXICON_FILE]["combination"]
    return rule, frozenset(_plural_keys(rule["second_heads"]))


_LINK_GAP_RE = re.compile(r"\s+([a-z]+)\s+")
_WITH_RE = re.compile(r"(?<![a-z])with(?:out)?(?![a-z])")


def _combined(low: str, prev: _Found, cur: _Found) -> bool:
    """Whether ``cur`` completes an ICD-10-CM combination with ``prev`` (``diagnoses.json``
    "combination"): "[disc herniation with radiculopathy]", "[spondylosis without myelopathy
    or radiculopathy]", "[spinal stenosis with neurogenic claudication]"."""
    rule, second = active_data().compiled("diagnoses.combination", _combination_rule)
    if cur.key not in second or cur.start != cur.head_start:
        return False
    gap = _LINK_GAP_RE.fullmatch(low, prev.end, cur.start)
    if gap is None:
        return False
    if gap.group(1) in rule["links"]:
        return any(stem in prev.key for stem in rule["first_head_stems"])
    # "... without myelopathy| or |radiculopathy": a second condition of the same link
    return gap.group(1) == "or" and prev.key in second and _WITH_RE.search(low, prev.start, prev.end) is not None


_FUNCTION_WORDS = frozenset({"the", "a", "an", "of", "in", "at", "to", "and", "or", "on", "with", "his", "her", "their"})


def names_a_condition(text: str) -> bool:
    """Whether a candidate DIAGNOSIS span (e.g. from a trained model) can name a condition:
    it has a word that is not a location, side, level, modifier or function word (the guide:
    body parts alone are not diagnoses)."""
    lex = load_lexicon()
    for word in _WORDS_RE.findall(ascii_lower(text)):
        if word in _FUNCTION_WORDS or _is_location(lex, word) or word in lex.type_words or word.isdigit():
            continue
        return True
    return False

