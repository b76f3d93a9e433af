"""Access to the data files shipped inside the package (patterns, lexicons, schema)."""

from __future__ import annotations

import bisect
import hashlib
import re
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import srsly
from spacy.util import registry

FLAGS = re.IGNORECASE | re.MULTILINE

#: The longest text one letter record may hold, for the Python API and the command line
#: alike: ``imr_nlp.load()`` sets ``nlp.max_length`` to it (spaCy raises E088 past it) and
#: ``imr-nlp parse`` reads at most this many characters per file by default (longer files
#: are truncated with a warning). Time grows linearly with length, ~6 s per million
#: characters on one core.
MAX_CHARS = 2_000_000


def data_file(name: str):
    """Return a traversable for a file in ``imr_nlp/data``."""
    return resources.files("imr_nlp").joinpath("data", name)


@cache
def load_json(name: str) -> Any:
    """Load (once) a JSON data file of the package."""
    return srsly.json_loads(data_file(name).read_text(encoding="utf8"))


def read_data_file(path: str | Path | Any) -> Any:
    """The content of one rule data file: a list of rows for ``.jsonl``, else the JSON value.
    ``path`` is a file path or a package traversable (see :func:`data_file`)."""
    text = Path(path).read_text(encoding="utf8") if isinstance(path, str | Path) else path.read_text(encoding="utf8")
    if str(getattr(path, "name", path)).endswith(".jsonl"):
        return [srsly.json_loads(line) for line in text.splitlines() if line.strip()]
    return srsly.json_loads(text)


def write_data_file(path: str | Path, value: Any) -> None:
    """Write one rule data file as :func:`read_data_file` reads it (srsly JSON / JSONL)."""
    if str(path).endswith(".jsonl"):
        srsly.write_jsonl(path, value)
    else:
        srsly.write_json(path, value)


@cache
def packaged_file(name: str) -> Any:
    """The packaged content of a rule data file (``imr_nlp/data/<name>``), read once."""
    return read_data_file(data_file(name))


@registry.misc("imr_nlp.packaged_rule_data.v1")
def packaged_rule_data(files: Iterable[str] | None = None) -> Callable[[Iterable[str]], dict[str, Any]]:
    """Registered default of the rule components' ``initialize(data=...)``: a function that
    returns ``{file name: content}`` of the packaged data files a component asks for
    (``files``, when given, restricts them)."""
    wanted = None if files is None else set(files)

    def load(names: Iterable[str]) -> dict[str, Any]:
        return {name: packaged_file(name) for name in names if wanted is None or name in wanted}

    return load


# ---- rule data held by a component -------------------------------------------------------------

_REGISTRY: weakref.WeakValueDictionary[str, RuleData] = weakref.WeakValueDictionary()


class RuleData:
    """The data files (lexicons, patterns, tables) one rule component holds, by package file
    name, plus what is compiled from them (regexes, tries, lookup tables), built once per
    ``RuleData`` on first use and kept.

    The finders and normalizers read their data through :func:`active_data`: a component
    calls them inside ``with using(component.data)``, so two pipelines in one process can
    differ; outside any component they read the packaged data (:func:`packaged_data`).
    Treat the content as read-only: to change a file, give the component new content
    (``RuleComponent.set_data_file``), which makes a new ``RuleData`` and compiles it anew.
    """

    def __init__(self, files: Mapping[str, Any], *, packaged: bool = False) -> None:
        self._files = dict(files)
        self._compiled: dict[Any, Any] = {}
        self.packaged = packaged
        self._key: str | None = "packaged" if packaged else None

    # -- content
    @property
    def names(self) -> tuple[str, ...]:
        """Names of the files held (for the packaged data: those read so far)."""
        return tuple(self._files)

    def __getitem__(self, name: str) -> Any:
        try:
            return self._files[name]
        except KeyError:
            if not self.packaged:
                raise KeyError(f"rule data file {name!r} is not held here (files: {sorted(self._files)})") from None
        value = self._files[name] = packaged_file(name)
        return value

    def __contains__(self, name: str) -> bool:
        return self.packaged or name in self._files

    def compiled(self, key: Any, build: Callable[[RuleData], Any]) -> Any:
        """``build(self)``, computed once per ``RuleData`` and ``key``."""
        try:
            return self._compiled[key]
        except KeyError:
            value = self._compiled[key] = build(self)
            return value

    def forget(self, key: Any) -> None:
        """Drop one compiled structure (it is built again on next use)."""
        self._compiled.pop(key, None)

    def subset(self, names: Iterable[str]) -> dict[str, Any]:
        """``{name: content}`` of the given files."""
        return {name: self[name] for name in names}

    @property
    def key(self) -> str:
        """A content key (``"packaged"`` for the packaged data); the data can be found again
        by it with :func:`rule_data_by_key` while it is in use (a doc stores the key)."""
        if self._key is None:
            digest = hashlib.sha1(srsly.msgpack_dumps(self._files)).hexdigest()[:16]
            self._key = f"rules:{digest}"
            _REGISTRY.setdefault(self._key, self)
        return self._key

    # -- serialization: one file per data file, named as in the package
    def to_disk(self, path: str | Path, names: Iterable[str]) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name in names:
            write_data_file(path / name, self[name])

    def to_bytes(self, names: Iterable[str]) -> bytes:
        return srsly.msgpack_dumps(self.subset(names))

    @staticmethod
    def read_files(path: str | Path, names: Iterable[str]) -> dict[str, Any]:
        """``{name: content}`` of the files ``names`` in folder ``path`` (missing file: error)."""
        path = Path(path)
        files = {}
        for name in names:
            if not (path / name).exists():
                raise FileNotFoundError(f"rule data file {name} missing in {path}")
            files[name] = read_data_file(path / name)
        return files


@cache
def packaged_data() -> RuleData:
    """The packaged rule data (files read on first use), shared by every component that holds
    the packaged content unchanged, and read by the finders outside any component."""
    return RuleData({}, packaged=True)


def rule_data(files: Mapping[str, Any]) -> RuleData:
    """A ``RuleData`` for ``files``: the shared packaged one when every file is the packaged
    content unchanged (its compiled structures are then built once per process), else a new
    one of its own."""
    if all(value == packaged_file(name) for name, value in files.items()):
        return packaged_data()
    return RuleData(files)


def rule_data_by_key(key: str | None) -> RuleData:
    """The ``RuleData`` with this :attr:`RuleData.key` (the packaged data when unknown)."""
    if key is None or key == "packaged":
        return packaged_data()
    return _REGISTRY.get(key) or packaged_data()


_ACTIVE: ContextVar[RuleData | None] = ContextVar("imr_nlp_rule_data", default=None)


def active_data() -> RuleData:
    """The rule data in use: the calling component's (see :func:`using`), else the packaged."""
    data = _ACTIVE.get()
    return packaged_data() if data is None else data


@contextmanager
def using(data: RuleData | None) -> Iterator[RuleData]:
    """Run the finders with ``data`` (``None``: keep the data already in use)."""
    if data is None:
        yield active_data()
        return
    token = _ACTIVE.set(data)
    try:
        yield data
    finally:
        _ACTIVE.reset(token)


@dataclass(frozen=True, eq=False)  # hashed by identity: a cache key of what it compiles
class LetterTemplates:
    """Compiled layout patterns of ``letter_templates.json``."""

    sections: tuple[tuple[str, re.Pattern], ...]
    page_furniture: re.Pattern
    outcome_header: re.Pattern
    outcome_words: dict[str, str]
    numbered_header: re.Pattern
    numbered_outcome: dict[str, str]
    partial_certification: tuple[re.Pattern, ...]
    body_labels: dict[str, tuple[re.Pattern, ...]]
    decisions_end: re.Pattern
    preamble: re.Pattern
    issue: dict[str, re.Pattern]
    header_labels: dict[str, re.Pattern]
    header_values: dict[str, re.Pattern]
    narrative_fields: dict[str, tuple[re.Pattern, ...]]
    age_sex: re.Pattern
    sex_words: dict[str, str]
    reviewer: dict[str, re.Pattern]


def letter_templates(name: str = "letter_templates.json") -> LetterTemplates:
    """The compiled letter layout patterns of the rule data in use (:func:`active_data`),
    compiled once per component's data."""
    return active_data().compiled(("letter_templates", name), lambda data: _compile_templates(data[name]))


def _compile_templates(raw: dict[str, Any]) -> LetterTemplates:
    items = raw["items"]
    narrative = raw["narrative_fields"]
    date = narrative["date"]
    return LetterTemplates(
        sections=tuple((s["label"], re.compile(s["pattern"], FLAGS)) for s in raw["sections"]),
        page_furniture=re.compile(raw["page_furniture"], FLAGS),
        outcome_header=re.compile(items["outcome_header"], FLAGS),
        outcome_words={k.lower(): v for k, v in items["outcome_words"].items()},
        numbered_header=re.compile(items["numbered_header"], FLAGS),
        numbered_outcome=items["numbered_outcome"],
        partial_certification=tuple(re.compile(p, FLAGS) for p in items["partial_certification"]),
        body_labels={
            key: tuple(re.compile(p, FLAGS) for p in patterns)
            for key, patterns in items["body_labels"].items()
        },
        decisions_end=re.compile(items["decisions_end"], FLAGS),
        preamble=re.compile(items["preamble"], FLAGS),
        issue={k: re.compile(p, FLAGS) for k, p in items["issue"].items() if not k.startswith("_")},
        header_labels={k: re.compile(p, FLAGS) for k, p in raw["header_fields"]["labels"].items()},
        header_values={k: re.compile(p, FLAGS) for k, p in raw["header_fields"]["values"].items()},
        narrative_fields={
            key: tuple(re.compile(p.replace("DATE", date), FLAGS) for p in patterns)
            for key, patterns in narrative.items()
            if key != "date"
        },
        age_sex=re.compile(raw["patient"]["age_sex"], FLAGS),
        sex_words=raw["patient"]["sex_words"],
        # Reviewer patterns rely on capitalisation ("licensed to practice in Texas").
        reviewer={k: re.compile(p, re.MULTILINE) for k, p in raw["reviewer"].items()},
    )


# Characters that match an ASCII letter under re.IGNORECASE without being its upper case.
_CASE_TWINS = {"i": "\u0131\u0130", "k": "\u212a", "s": "\u017f"}


def led_by(
    alternatives: list[str | tuple[str, str]],
    rest: str = "",
    *,
    not_after: str | None = r"\w",
    name: str | None = None,
    capitalized: bool = False,
) -> str:
    """A case-insensitive ``(?:alt1|alt2|...)rest`` that Python's regex engine scans fast.

    ``re`` skips ahead to a pattern's possible first characters with a quick C loop only
    when the pattern starts with a literal, a set or an alternation of literals *and* is not
    compiled with ``re.IGNORECASE``; a case-insensitive pattern, or one led by a look-ahead,
    is tried at every position of the letter (several times slower). This returns the same
    pattern in a shape the engine can skip with, compiled WITHOUT ``re.IGNORECASE``: it
    matches exactly what ``re.compile(rf"(?<!{not_after})(?:{'|'.join(alternatives)}){rest}",
    re.I)`` does, with the same groups (a leading ``\\b`` is ``not_after=r"\\w"``; ``None``:
    no guard); ``name`` makes the alternatives a named group ``(?P<name>alt1|alt2|...)``.

    An alternative is a string starting with a plain ASCII letter, or a pair
    ``(first, rest)`` whose ``first`` is a caseless set item such as ``r"\\d"`` matching
    exactly one character (``(r"\\d", r"\\d*")`` is ``\\d+``). An alternative holds no
    top-level ``|``.

    Shape: when every alternative is a string, one branch per character that can start a
    match (``j``, ``J``; the re.IGNORECASE twins of i, k and s too), each with the rests of
    the alternatives starting with that letter, in their order, case-insensitive in a
    scoped ``(?i:...)`` group; a letter's twins match only that letter, so the alternatives
    each character tries are the ones the plain pattern tries, in the same order. The
    engine reads the leading characters in C and tries only the branch of the character
    it stands on. With pairs: one leading set of the first characters, then each
    alternative behind a look-behind on its first character (slower: every alternative
    is tried at each start).

    ``capitalized=True`` keeps only the matches whose first letter is upper case (what a
    caller checking ``match[0].isupper()`` afterwards keeps), and scans faster still.
    """
    firsts: list[str] = []
    body: list[str] = []
    by_letter: dict[str, list[str]] = {}  # first letter (lower case) -> rests, in order
    items: dict[str, str] = {}  # first letter -> the characters that read it
    for alt in alternatives:
        if isinstance(alt, tuple):
            first, tail = alt
            item = first
        else:
            first, tail = alt[0], alt[1:]
            if not ("a" <= first.lower() <= "z"):
                raise ValueError(f"alternative must start with an ASCII letter: {alt!r}")
            first = first.lower()
            item = first + first.upper() + _CASE_TWINS.get(first, "")
            if capitalized:
                item = "".join(c for c in item if c.isupper())
            by_letter.setdefault(first, []).append(tail)
            items[first] = item
        if item not in firsts:
            firsts.append(item)
        body.append(f"(?<=[{first}]){tail}")
    chars = "".join(firsts)
    guard = f"(?<!{not_after}[{chars}])" if not_after else ""
    if alternatives and all(isinstance(alt, str) for alt in alternatives):
        branches = "|".join(
            f"{re.escape(c)}{guard}(?i:{'|'.join(tails)})"
            for first, tails in by_letter.items()
            for c in items[first]
        )
        if name:
            return f"(?P<{name}>{branches})(?i:{rest})"
        return f"(?:{branches})(?i:{rest})"
    if name:
        return f"(?P<{name}>[{chars}]{guard}(?i:{'|'.join(body)}))(?i:{rest})"
    return f"[{chars}]{guard}(?i:(?:{'|'.join(body)}){rest})"


def finditer_at(
    pattern: re.Pattern, text: str, starts: list[int], pos: int = 0, endpos: int | None = None
) -> Iterator[re.Match]:
    """The matches of ``pattern.finditer(text, pos, endpos)``, trying the pattern only at
    ``starts`` (sorted): the same matches whenever ``starts`` holds every position where
    ``pattern`` can match and ``pattern`` never matches the empty string.

    For a pattern tried at every position of a letter (case-insensitive, or several passes
    over the same text): one cheap pre-scan finds the possible starts, the pattern runs there.
    """
    endpos = len(text) if endpos is None else endpos
    match = pattern.match
    i, n = bisect.bisect_left(starts, pos), len(starts)
    while i < n and starts[i] < endpos:
        m = match(text, starts[i], endpos)
        if m is None:
            i += 1
            continue
        yield m
        i = bisect.bisect_left(starts, m.end(), i + 1)


# --- lower-cased copies that keep every offset ---------------------------------------
# The characters re.IGNORECASE matches to an ASCII letter (_CASE_TWINS): str.lower() does
# not turn them into that letter (long s, dotless i), changes their length (dotted capital
# I) or maps them onto ASCII (Kelvin sign).
_IGNORECASE_TWINS = "".join(_CASE_TWINS.values())


def caseless_copy(text: str) -> str | None:
    """``text.lower()`` when a case-insensitive match of an ASCII pattern in ``text`` is a
    case-sensitive match of the lower-cased pattern in the copy at the same offsets, else
    None (scan ``text`` itself then)."""
    low = text.lower()
    if len(low) != len(text) or any(c in text for c in _IGNORECASE_TWINS):
        return None
    return low


def ascii_lower(text: str) -> str:
    """``text`` with A-Z lower-cased and every other character kept, so every offset holds
    (``str.lower`` may lengthen non-ASCII text)."""
    if text.isascii():
        return text.lower()
    # bytes.lower() changes only A-Z; every other UTF-8 byte is >= 0x80 (far faster than translate)
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")
