"""Drug lexicon: surface form (brand, generic, abbreviation, misspelling) -> ingredients + class.

The lexicon lives in ``imr_nlp/data/drugs.jsonl`` (see ``drugs.README.md`` there). Lookups work
on the text of a whole DRUG span as extracted from a PDF, so they tolerate line breaks and runs
of spaces inside the name, spacing around "/", salt words ("Oxycodone HCL ER"), long or short
release-form words ("Naproxen ER", "extended-release") and a trailing dosage-form word. They
never guess: a text that is not in the lexicon after those normalizations gives ``None``.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import compress

import numpy

from ..resources import RuleData, active_data
from .vocabulary import dosage_form_words
from .word_hashes import byte_table, hashes_of, where_in, word_hashes

__all__ = ["DrugInfo", "load_lexicon", "lookup_drug", "surface_forms", "normalize_name"]

_LEXICON_FILE = "drugs.jsonl"
_REQUIRED_KEYS = ("name", "generic", "drug_class", "kind")


@dataclass(frozen=True)
class DrugInfo:
    """One lexicon entry: the surface form as listed, its ingredient(s) and coarse class."""

    name: str
    generic: str | None
    drug_class: str | None


# Salt / ester words that sit between a drug name and its release form ("Oxycodone HCL ER").
_SALTS = (
    "hcl", "hci", "hydrochloride", "hbr", "hydrobromide", "sodium", "potassium", "calcium", "magnesium",
    "sulfate", "sulphate", "tartrate", "bitartrate", "citrate", "phosphate", "succinate", "maleate",
    "mesylate", "besylate", "fumarate", "acetate", "acetonide", "tromethamine", "pamoate", "oxalate",
    "epolamine", "dihydrate", "monohydrate", "trihydrate", "disodium",
)
_SALT_RE = re.compile(r"(?<=[a-z0-9])\s+(?:" + "|".join(_SALTS) + r")\.?(?=\s|/|$)")

# Written-out release forms -> the abbreviation the lexicon uses.
_LONG_RELEASE = (
    (re.compile(r"\b(?:extended|ext\.?)[\s-]*release\b"), "er"),
    (re.compile(r"\bcontrolled[\s-]*release\b"), "cr"),
    (re.compile(r"\bsustained[\s-]*release\b"), "sr"),
    (re.compile(r"\bimmediate[\s-]*release\b"), "ir"),
    (re.compile(r"\bdelayed[\s-]*release\b"), "dr"),
    (re.compile(r"\bdouble[\s-]*strength\b"), "ds"),
    (re.compile(r"\borally[\s-]*disintegrating\b"), "odt"),
)
_RELEASE_WORDS = frozenset(
    {"er", "cr", "xr", "ir", "sr", "xl", "la", "dr", "ds", "cd", "ec", "odt", "es", "hp", "sa", "mr"}
)
# Dosage-form / route words: excluded from DRUG spans by the annotation guidelines, but tolerated.
_FORM_WORDS = frozenset(dosage_form_words("drug_name"))  # data/dosage_forms.json
# Connectors writers use between combination ingredients ("Hydrocodone and APAP", "APAP w/ codeine").
_CONNECTOR_RE = re.compile(r"\s+(?:and|with|w/|plus|\+)\s*|\s*\+\s*")

_SPACE_RE = re.compile(r"\s+")
_SLASH_RE = re.compile(r"\s*/\s*")
_EDGE_PUNCT = " \t\r\n.,;:()[]{}\"'`*"
_MARKS_RE = re.compile(r"[®™©]")


def normalize_name(text: str) -> str:
    """Lexicon key: lowercase, whitespace runs collapsed, no spaces around "/", edge punctuation off."""
    s = _MARKS_RE.sub("", text).replace("\u00a0", " ").lower()
    s = _SPACE_RE.sub(" ", s)
    s = _SLASH_RE.sub("/", s)
    return s.strip(_EDGE_PUNCT)


def _rows(data: RuleData) -> list[dict]:
    """The lexicon rows of ``data`` (``drugs.jsonl``), checked."""
    rows = []
    for line_no, row in enumerate(data[_LEXICON_FILE], 1):
        # "unverified" rows name a product (WC compounding kits such as Tabradol) whose
        # ingredients no public label confirmed: tagged as DRUG, generic and class null.
        required = ("name", "kind") if row.get("kind") == "unverified" else _REQUIRED_KEYS
        missing = [k for k in required if not row.get(k)]
        if missing:
            raise ValueError(f"{_LEXICON_FILE}: row {line_no}: missing {missing}")
        rows.append(row)
    return rows


def load_lexicon() -> dict[str, DrugInfo]:
    """Map normalized surface form -> DrugInfo, of the rule data in use (built once per
    component's data, see ``resources.active_data``). Conflicting duplicates are an error."""
    return active_data().compiled("drugs.lexicon", _build_lexicon)


def _build_lexicon(data: RuleData) -> dict[str, DrugInfo]:
    lexicon: dict[str, DrugInfo] = {}
    for row in _rows(data):
        key = normalize_name(row["name"])
        info = DrugInfo(name=row["name"], generic=row["generic"], drug_class=row["drug_class"])
        old = lexicon.get(key)
        if old is not None and (old.generic, old.drug_class) != (info.generic, info.drug_class):
            raise ValueError(f"{_LEXICON_FILE}: {row['name']!r} conflicts with {old.name!r}")
        lexicon.setdefault(key, info)
    return lexicon


def _surface_forms() -> tuple[str, ...]:
    return active_data().compiled("drugs.surface_forms", _build_surface_forms)


def _build_surface_forms(data: RuleData) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for row in _rows(data):
        seen.setdefault(row["name"], None)
    return tuple(seen)


def surface_forms() -> list[str]:
    """All surface forms as written in the lexicon (file order, unique), for building matchers."""
    return list(_surface_forms())


_LINE_END_HYPHEN = re.compile(r"-[ \t]*\r?\n")
_LINE_END_HYPHEN_SPACE = re.compile(r"-[ \t]*\r?\n\s*")
_SPACED_HYPHEN = re.compile(r"\s*-\s*")
_HASH_SPACE = re.compile(r"#\s+(?=\d)")
_HASH_AFTER_LETTER = re.compile(r"(?<=[a-z])#")
_NUMBER_ABBREVIATION = re.compile(r"\bno\.?\s*(?=\d)")
_HYPHEN_BETWEEN_LETTERS = re.compile(r"(?<=[a-z])-(?=[a-z])")


def _base_variants(text: str) -> list[str]:
    """Whole-text spellings to try: PDF hyphen breaks, '# 3' / 'No. 3', connector words."""
    variants = []
    if _LINE_END_HYPHEN.search(text):  # word split at a line end: "Cyclobenza-\nprine"
        variants.append(normalize_name(_LINE_END_HYPHEN_SPACE.sub("", text)))
    variants.append(normalize_name(text))
    variants.append(_SPACED_HYPHEN.sub("-", variants[-1]))  # "Hydrocodone-\nAPAP"
    out: list[str] = []
    for v in variants:
        hashed = _HASH_AFTER_LETTER.sub(" #", _HASH_SPACE.sub("#", v))
        for w in (v, hashed, _NUMBER_ABBREVIATION.sub("#", v)):
            if w not in out:
                out.append(w)
    for v in list(out):
        joined = _SLASH_RE.sub("/", _CONNECTOR_RE.sub("/", v))
        dashed = _HYPHEN_BETWEEN_LETTERS.sub("/", v)
        for w in (joined, dashed):
            if w not in out:
                out.append(w)
    return out


def _reductions(key: str) -> list[str]:
    """Progressively simplified keys: salts dropped, long release forms shortened, trailing
    dosage-form word and then trailing release-form word removed."""
    steps = [key]
    s = _SALT_RE.sub("", key)
    steps.append(s)
    for rx, abbr in _LONG_RELEASE:
        s = rx.sub(abbr, s)
    s = _SPACE_RE.sub(" ", s).strip()
    steps.append(s)
    for _ in range(2):
        words = s.split(" ")
        if len(words) > 1 and words[-1] in _FORM_WORDS:
            s = " ".join(words[:-1])
            steps.append(s)
    words = s.split(" ")
    if len(words) > 1 and words[-1] in _RELEASE_WORDS:
        s = " ".join(words[:-1])
        steps.append(s)
        steps.append(_SALT_RE.sub("", s))
    out: list[str] = []
    for step in steps:
        if step and step not in out:
            out.append(step)
    return out


def lookup_drug(text: str) -> DrugInfo | None:
    """Exact lookup of a whole span text; tolerant of PDF whitespace, salts and release forms.

    Unknown names, drug classes ("opioids") and empty text give None.
    """
    if not text or not text.strip():
        return None
    lexicon = load_lexicon()
    for variant in _base_variants(text):
        for key in _reductions(variant):
            info = lexicon.get(key)
            if info is not None:
                return info
    return None


# ---- scanning free text ---------------------------------------------------------------

# A word starting with a letter ends where digits begin, so that a strength glued to a name
# by PDF extraction stays outside the drug ("Robaxin500mg", "Norco10/325").
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'\-]*|[0-9][A-Za-z0-9'\-]*|[/#+]")
# "morphine equivalent dose", "morphine milligram equivalents": a unit, not a medication.
_UNIT_FOLLOWERS = frozenset({"equivalent", "equivalents", "milligram", "milligrams", "mg"})
_GAP_RE = re.compile(r"[ \t\u00a0]*(?:\r?\n[ \t\u00a0]*)*")  # spaces and line breaks only
_MAX_PHRASE_WORDS = 6


def _phrase_index() -> tuple[dict[str, int], dict[tuple[str, ...], DrugInfo]]:
    """First word -> longest phrase length, and word tuple -> DrugInfo, from the lexicon keys."""
    return active_data().compiled("drugs.phrase_index", _build_phrase_index)


def _build_phrase_index(data: RuleData) -> tuple[dict[str, int], dict[tuple[str, ...], DrugInfo]]:
    first: dict[str, int] = {}
    phrases: dict[tuple[str, ...], DrugInfo] = {}
    for key, info in data.compiled("drugs.lexicon", _build_lexicon).items():
        words = tuple(_WORD_RE.findall(key))
        if not words or len(words) > _MAX_PHRASE_WORDS:
            continue
        phrases.setdefault(words, info)
        first[words[0]] = max(first.get(words[0], 0), len(words))
    return first, phrases


# A word of _WORD_RE led by a letter is a run of letters, apostrophes and hyphens that
# starts after no letter ("--tramadol", "x-norco" hold "tramadol", "norco" as such runs).
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_LETTER_WORD_BYTES = byte_table(_LETTERS + "'-")
_LETTER_BYTES = byte_table(_LETTERS)


def _first_words_ascii() -> numpy.ndarray | None:
    """The sorted hashes (``word_hashes``) of the first words of the lexicon phrases, or None
    when one does not start with a letter (the pre-check of find_drugs then cannot be used)."""
    return active_data().compiled("drugs.first_words_ascii", _build_first_words_ascii)


def _build_first_words_ascii(data: RuleData) -> numpy.ndarray | None:
    first, _ = data.compiled("drugs.phrase_index", _build_phrase_index)
    if not all(re.fullmatch(r"[a-z][a-z'\-]*", word) for word in first):
        return None
    return hashes_of(set(first))


def _first_word_starts(low: str) -> list[int] | None:
    """Offsets in the lower-cased ``low`` where a letter run of the first word of a lexicon
    phrase starts (a superset of the places a phrase starts: find_drugs checks each; None
    when they cannot be told: then every word is read). In numpy: ``word_hashes``."""
    keys = _first_words_ascii()
    if keys is None:
        return None
    starts, _, hashes = word_hashes(low, _LETTER_WORD_BYTES, _LETTER_BYTES)
    return starts[where_in(keys, hashes)].tolist()


def find_drugs(text: str) -> list[tuple[int, int, DrugInfo]]:
    """Drug mentions in free text: ``(start, end, info)``, longest lexicon match first.

    Words may be separated by spaces or PDF line breaks ("MS\\nContin"); salt words and a
    release form that follow the name are part of the span ("Oxycodone HCL ER"), dosage-form
    words are not ("Lidoderm patch" -> "Lidoderm"). Case-insensitive, one dict lookup per word.
    """
    first, phrases = _phrase_index()
    low = text.lower()
    if len(low) == len(text) and "\u212a" not in text:
        # Words are ASCII: read them from the lower-cased text in C (no tuple per word);
        # only U+0130 (length changes) and the Kelvin sign lower-case into ASCII.
        at = _first_word_starts(low)
        if at is not None:
            return _find_at_first_words(text, low, first, phrases, at) if at else []
        matches = list(_WORD_RE.finditer(low))
        words = list(map(_GROUP, matches))
    else:
        matches = list(_WORD_RE.finditer(text))
        words = [m.group().lower() for m in matches]
    # Indices of the words that start a lexicon phrase, found in C (a Python test per word
    # of the letter cost as much as the tokenization).
    starts = list(compress(range(len(words)), map(first.__contains__, words)))
    found: list[tuple[int, int, DrugInfo]] = []
    n = len(words)
    i = 0
    for i0 in starts:
        if i0 < i:
            continue
        i = i0
        hit = _phrase_at(text, words, matches, i, first, phrases, lambda k: k < n)
        if hit is None:
            i += 1
            continue
        end_index, info = hit
        if info is not None:
            found.append((matches[i].start(), matches[end_index].end(), info))
        i = end_index + 1
    return found


def _phrase_at(
    text: str,
    w: list[str],
    matches: list[re.Match[str]],
    i: int,
    first: dict[str, int],
    phrases: dict[tuple[str, ...], DrugInfo],
    has: Callable[[int], bool],
) -> tuple[int, DrugInfo | None] | None:
    """The longest lexicon phrase starting at word ``i`` (a phrase's first word): the index
    of its last word, salt words and one release form included ("Morphine Sulfate ER"), and
    its info; info None when the words are a unit ("mg equivalent"), None when no phrase
    starts there. ``has(k)`` says whether there is a word ``k`` (a lazy reader reads it)."""
    longest = first[w[i]]
    # Contiguous run of words (only whitespace between them) starting at i.
    j = i + 1
    while j - i < longest and has(j) and _GAP_RE.fullmatch(text, matches[j - 1].end(), matches[j].start()):
        j += 1
    match = None
    for size in range(j - i, 0, -1):
        info = phrases.get(tuple(w[i : i + size]))
        if info is not None:
            match = (size, info)
            break
    if match is None:
        return None
    size, info = match
    end_index = i + size - 1
    k = end_index + 1
    while has(k) and w[k] in _SALT_SET and _GAP_RE.fullmatch(text, matches[k - 1].end(), matches[k].start()):
        end_index = k
        k += 1
    if has(k) and w[k] in _RELEASE_WORDS and _GAP_RE.fullmatch(text, matches[k - 1].end(), matches[k].start()):
        end_index = k
    nxt = end_index + 1
    if has(nxt) and w[nxt] in _UNIT_FOLLOWERS:
        has(nxt + 1)  # _is_unit_use reads the word after it too
        if _is_unit_use(w, nxt):
            return end_index, None
    return end_index, info


_GROUP = operator.itemgetter(0)
_IN_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789'-")  # may continue a word (lower case)


class _Words:
    """The words of ``low`` from ``start`` on, read when asked (``start`` must fall between
    two words: the words read are then those of the whole text from there)."""

    __slots__ = ("scan", "matches", "words")

    def __init__(self, low: str, start: int) -> None:
        self.scan = _WORD_RE.finditer(low, start)
        self.matches: list[re.Match[str]] = []
        self.words: list[str] = []

    def has(self, k: int) -> bool:
        """Whether there is a word ``k`` (reading up to it)."""
        while len(self.matches) <= k:
            m = next(self.scan, None)
            if m is None:
                return False
            self.matches.append(m)
            self.words.append(m.group())
        return True


def _find_at_first_words(
    text: str, low: str, first: dict[str, int], phrases: dict[tuple[str, ...], DrugInfo], positions: list[int]
) -> list[tuple[int, int, DrugInfo]]:
    """find_drugs on an ASCII-lower-casable text, reading words only at the sorted
    ``positions`` (``_first_word_starts``), not the whole letter: the same spans as a scan
    of every word, since a word starts after a character no word holds (or a "/", "#",
    "+"), and the words are read from there."""
    found: list[tuple[int, int, DrugInfo]] = []
    done = 0  # words starting before this offset were read already
    for at in positions:
        if at < done or (at and low[at - 1] in _IN_WORD and low[at - 1] not in "'-"):
            continue  # read already, or inside a word led by a digit: "10norco"
        start = at
        while start and low[start - 1] in _IN_WORD:
            start -= 1
        words = _Words(low, start)
        i = 0
        while words.has(i) and words.matches[i].start() < at:
            i += 1
        if not words.has(i) or words.matches[i].start() != at or words.words[i] not in first:
            continue  # inside a longer word: "x-norco", "10norco"
        hit = _phrase_at(text, words.words, words.matches, i, first, phrases, words.has)
        if hit is None:
            done = at + 1
            continue
        end_index, info = hit
        done = words.matches[end_index].end()
        if info is not None:
            found.append((words.matches[i].start(), done, info))
    return found


_SALT_SET = frozenset(_SALTS)


def _is_unit_use(words: list[str], k: int) -> bool:
    """Whether the words from ``k`` read "equivalent(s)" or "milligram/mg equivalent(s)"."""
    if words[k].startswith("equivalent"):
        return True
    return k + 1 < len(words) and words[k + 1].startswith("equivalent")
