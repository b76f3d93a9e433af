"""``imr_letter_attributes``: case header, patient and reviewer attributes of a letter.

Sets ``doc._.case_number``, ``decision_date``, ``date_of_injury``, ``ur_decision_date``,
``date_assigned``, ``application_received`` (ISO 8601 strings), ``priority`` ("Standard" /
"Expedited", 2015+ case header only), ``patient`` (``{"age", "sex"}``) and ``reviewer``
(``{"specialties", "licensure"}``). Values come from the page-1 header block when the letter
has one, else from the narrative ("injured on 06/15/2004", "utilization review dated ...").
Absent values are ``None`` / empty lists, never guesses.

Reads the letter's sections from ``doc.spans["sections"]`` (the case summary is where the
narrative values are looked for first), so ``imr_sections`` must run before it; without
them the component raises ``ValueError`` instead of finding sections itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .extensions import RuleComponent, doc_text, register_extensions
from .normalize.dates import parse_date
from .normalize.pattern_starts import caseless_twin, led_variant
from .resources import letter_templates
from .sections import Section, doc_sections, find_sections, section_of
from .text_layout import pattern_text

_HEADER_WINDOW = 1500  # the case header block sits at the top of page 1


def _lowered(text: str) -> str | None:
    """``text.lower()`` when it keeps every offset and case-folding is ASCII's, else None."""
    return text.lower() if text.isascii() else None


def _finditer(pattern: re.Pattern, text: str, lowered: str | None) -> Iterator[tuple[re.Match, int, int]]:
    """(match, start, end) of ``pattern.finditer(text)``, run as its lowercase twin on
    ``lowered`` (``text.lower()`` of an ASCII text) when it has one: the same spans, found
    faster. Read group text from ``text`` by the group spans (the twin's are lowercase)."""
    twin = caseless_twin(pattern) if lowered is not None else None
    if twin is not None:
        return twin.finditer(lowered)
    led = led_variant(pattern)  # a case-sensitive pattern, led by its first characters
    if led is not None:
        return led.finditer(text)
    return ((match, match.start(), match.end()) for match in pattern.finditer(text))


def _first(pattern: re.Pattern, text: str) -> re.Match | None:
    """``pattern.search(text)`` of a case-sensitive pattern, led by its first characters
    when they can be read (the match's groups are those of the pattern, on ``text``)."""
    found = _search(pattern, text, None)
    return found[0] if found else None


def _search(pattern: re.Pattern, text: str, lowered: str | None) -> tuple[re.Match, int, int] | None:
    """The first of :func:`_finditer`."""
    return next(_finditer(pattern, text, lowered), None)


def parse_case_header(text: str) -> dict[str, str | None]:
    """Values of the page-1 header labels, raw as printed.

    A label's value follows it on the same line; when the line holds only labels
    ("Date Assigned: Date of Injury:"), the values are taken in order from the next
    non-blank line.
    """
    templates = letter_templates()
    head = text[:_HEADER_WINDOW]
    lowered = _lowered(head)
    found: list[tuple[int, int, str]] = []
    for key, pattern in templates.header_labels.items():
        for _, start, end in _finditer(pattern, head, lowered):
            found.append((start, end, key))
    found.sort()
    # Drop labels nested inside a longer one ("Received:" inside "Application Received:").
    labels: list[tuple[int, int, str]] = []
    for item in found:
        if labels and item[0] < labels[-1][1]:
            continue
        labels.append(item)
    values: dict[str, str | None] = {}
    pending: list[str] = []
    for i, (_, end, key) in enumerate(labels):
        line_end = head.find("\n", end)
        line_end = len(head) if line_end < 0 else line_end
        stop = min(line_end, labels[i + 1][0] if i + 1 < len(labels) else line_end)
        value = head[end:stop].strip()
        if value:
            values.setdefault(key, value)
            continue
        pending.append(key)
        next_is_label_on_line = i + 1 < len(labels) and labels[i + 1][0] < line_end
        if next_is_label_on_line:
            continue
        # Values for the pending labels sit on the following non-blank line(s).
        rest = head[line_end:]
        next_lines = [ln for ln in rest.split("\n") if ln.strip()]
        if next_lines and not any(p.match(next_lines[0].strip()) for p in templates.header_labels.values()):
            parts = _header_values(next_lines[0])
            for label_key, part in zip(pending, parts):
                values.setdefault(label_key, part)
        pending = []
    return values


def _header_values(line: str) -> list[str]:
    """Split a line of header values: case numbers and dates, else runs separated by 2+ spaces."""
    templates = letter_templates()
    shaped = [
        m.group()
        for m in re.finditer(
            f"{templates.header_values['case_number'].pattern}|{templates.header_values['date'].pattern}",
            line,
            re.I,
        )
    ]
    return shaped or [part for part in re.split(r"\s{2,}", line.strip()) if part]


def _first_date(value: str | None) -> str | None:
    if not value:
        return None
    match = letter_templates().header_values["date"].search(value)
    if not match:
        return None
    parsed = parse_date(re.sub(r"\s+", "", match.group()))
    return parsed["iso"] if parsed else None


def _narrative_date(text: str, key: str, lowered: str | None = None) -> str | None:
    """The first date of the narrative patterns of ``key`` (``lowered``: see :func:`_finditer`)."""
    for pattern in letter_templates().narrative_fields[key]:
        found = _search(pattern, text, lowered)
        if found:
            match = found[0]
            parsed = parse_date(" ".join(text[match.start("value") : match.end("value")].split()))
            if parsed:
                return parsed["iso"]
    return None


def _prose_date(
    text: str, narrative: str, key: str, lowered: tuple[str | None, str | None] = (None, None)
) -> str | None:
    """A date written in prose: the case summary first, then the rest of the letter (the
    opening notice of letters without a page-1 header, or a rationale restating it).
    ``lowered``: the lowercase copies of ``text`` and ``narrative`` (see :func:`_finditer`)."""
    return _narrative_date(narrative, key, lowered[1]) or (
        _narrative_date(text, key, lowered[0]) if narrative is not text else None
    )


_PRIORITIES = {"standard": "Standard", "expedited": "Expedited", "urgent": "Expedited"}


def _priority(value: str | None) -> str | None:
    """ "Standard" / "Expedited" from the header's Priority value (first word), else None."""
    if not value:
        return None
    word = re.match(r"[A-Za-z]+", value.strip())
    return _PRIORITIES.get(word.group().lower()) if word else None


def find_patient(text: str) -> dict[str, Any]:
    """Age and sex as stated ("52 year old male", "43-year-old", "a(n) 65 year old female")."""
    templates = letter_templates()
    for match in templates.age_sex.finditer(text):
        age = int(match.group("age"))
        if not 0 < age < 120:
            continue
        sex = match.group("sex")
        return {"age": age, "sex": templates.sex_words.get(sex.lower()) if sex else None}
    return {"age": None, "sex": None}


def _comma_list(value: str, *, split_and: bool = False) -> list[str]:
    """Split "Texas,New York" (and, for states, "Texas and Ohio") into names."""
    parts = re.split(r",|;|\s+and\s+" if split_and else r",|;", " ".join(value.split()))
    return list(dict.fromkeys(s for s in (p.strip(" .") for p in parts) if s))


def find_reviewer(text: str) -> dict[str, list[str]]:
    """Reviewer specialties and state(s) of licensure from the qualifications section."""
    patterns = letter_templates().reviewer
    specialties: list[str] = []
    licensure: list[str] = []
    match = _first(patterns["specialty_line"], text)
    if match:
        # "Physical Medicine & Rehabilitation" keeps its "&"; lists are comma separated.
        specialties = _comma_list(match.group("value"))
    else:
        board = _first(patterns["board_certified"], text)
        if board:
            # "Anesthesiology, has a subspecialty in Pain Medicine": the clause is handled below.
            specialties = [
                s for s in _comma_list(board.group("value")) if not re.match(r"has\s+a\s+sub", s, re.I)
            ]
        sub = _first(patterns["subspecialty"], text)
        if sub:
            specialties.append(" ".join(sub.group("value").split()))
    specialties = list(dict.fromkeys(specialties))
    match = _first(patterns["licensure_line"], text)
    if match:
        licensure = _comma_list(match.group("value"), split_and=True)
    else:
        lic = _first(patterns["licensed_in"], text)
        if lic:
            licensure = _comma_list(lic.group("value"), split_and=True)
    return {"specialties": specialties, "licensure": licensure}


def letter_attributes(text: str, sections: Sequence[Section] | None = None) -> dict[str, Any]:
    """All document attributes of a letter (pure function behind the component).

    ``sections``: the letter's sections (the component passes those of ``doc.spans``);
    None finds them in ``text``, for use outside a pipeline.
    """
    text = pattern_text(text)
    if sections is None:
        sections = find_sections(text)
    header = parse_case_header(text)
    lowered = _lowered(text)
    case = header.get("case_number")
    case_text = case or text
    case_match = _search(
        letter_templates().header_values["case_number"], case_text, None if case else lowered
    )
    summary = section_of(sections, "case_summary")
    narrative = text[summary.start : summary.end] if summary else text
    lowered_narrative = lowered[summary.start : summary.end] if summary and lowered is not None else lowered
    both = (lowered, lowered_narrative)
    return {
        "case_number": re.sub(r"\s+", "", case_text[case_match[1] : case_match[2]]).upper()
        if case_match
        else None,
        "decision_date": _first_date(header.get("decision_date")),
        "date_of_injury": _first_date(header.get("date_of_injury"))
        or _prose_date(text, narrative, "date_of_injury", both),
        "ur_decision_date": _first_date(header.get("ur_decision_date"))
        or _prose_date(text, narrative, "ur_decision_date", both),
        "date_assigned": _first_date(header.get("date_assigned")),
        "application_received": _first_date(header.get("application_received")),
        "priority": _priority(header.get("priority")),
        "patient": find_patient(narrative),
        "reviewer": find_reviewer(text),
    }


class LetterAttributes(RuleComponent):
    """Sets the document attributes of a letter on ``doc._``."""

    DATA_FILES = ("letter_templates.json",)

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        register_extensions()

    def prepare(self) -> None:
        with self.using_data():
            letter_templates()

    def __call__(self, doc: Doc) -> Doc:
        with self.using_data():
            attributes = letter_attributes(doc_text(doc), doc_sections(doc, self.name))
        for key, value in attributes.items():
            setattr(doc._, key, value)
        return doc


@Language.factory(
    "imr_letter_attributes",
    requires=["doc.spans"],
    assigns=[
        "doc._.case_number",
        "doc._.decision_date",
        "doc._.date_of_injury",
        "doc._.ur_decision_date",
        "doc._.date_assigned",
        "doc._.application_received",
        "doc._.priority",
        "doc._.patient",
        "doc._.reviewer",
    ],
)
def make_letter_attributes(nlp: Language, name: str) -> LetterAttributes:
    """Build the letter-attribute component (patterns in ``data/letter_templates.json``)."""
    return LetterAttributes(nlp, name)
