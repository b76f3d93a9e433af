"""Access to the data files shipped inside the package (patterns, lexicons, schema)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import srsly

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


@dataclass(frozen=True)
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


@cache
def letter_templates(name: str = "letter_templates.json") -> LetterTemplates:
    """Compile the letter layout patterns once per process."""
    raw = load_json(name)
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
    when the pattern starts with a literal or a character set *and* is not compiled with
    ``re.IGNORECASE``; a case-insensitive pattern, or one led by a look-ahead, is tried at
    every position of the letter (several times slower). This returns the same pattern in
    a shape the engine can skip with: the first character of each alternative is read by
    one leading set (both cases), the alternatives keep their order, each guarded by a
    look-behind on its first character, and everything after it is case-insensitive in a
    scoped ``(?i:...)`` group. Compile the result WITHOUT ``re.IGNORECASE``: it matches
    exactly what ``re.compile(rf"(?<!{not_after})(?:{'|'.join(alternatives)}){rest}", re.I)``
    does, with the same groups (a leading ``\\b`` is ``not_after=r"\\w"``; ``None``: no
    guard); ``name`` makes the alternatives a named group ``(?P<name>alt1|alt2|...)``.

    An alternative is a string starting with a plain ASCII letter, or a pair
    ``(first, rest)`` whose ``first`` is a caseless set item such as ``r"\\d"`` matching
    exactly one character (``(r"\\d", r"\\d*")`` is ``\\d+``).

    ``capitalized=True`` keeps only the matches whose first letter is upper case (what a
    caller checking ``match[0].isupper()`` afterwards keeps), and scans faster still.
    """
    firsts: list[str] = []
    body: list[str] = []
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
        if item not in firsts:
            firsts.append(item)
        body.append(f"(?<=[{first}]){tail}")
    chars = "".join(firsts)
    guard = f"(?<!{not_after}[{chars}])" if not_after else ""
    if name:
        return f"(?P<{name}>[{chars}]{guard}(?i:{'|'.join(body)}))(?i:{rest})"
    return f"[{chars}]{guard}(?i:(?:{'|'.join(body)}){rest})"
