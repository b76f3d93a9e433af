"""``imr_sections``: find the letter's sections and store them in ``doc.spans["sections"]``."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from .extensions import LOOKS_LIKE_LETTER_KEY, RuleComponent, add_warning, doc_text, register_extensions
from .inputs import looks_like_letter
from .normalize.pattern_starts import alternatives
from .resources import LetterTemplates, active_data, letter_templates
from .text_layout import pattern_text

SPAN_KEY = "sections"


@dataclass(frozen=True)
class Section:
    """A section of a letter: its label and character offsets (heading included)."""

    label: str
    start: int
    end: int


def find_sections(text: str) -> tuple[Section, ...]:
    """Find section headings of any known template; each section runs to the next heading.

    Text before the first heading that holds a case header ("Case Number:") becomes the
    ``header`` section. Repeated headings (a heading echoed in a page header) keep the first.
    In a pipeline this runs once per letter, in ``imr_sections``; later components read its
    result from ``doc.spans`` (:func:`doc_sections`).
    """
    return _find_sections(text, letter_templates())


def _find_sections(text: str, templates: LetterTemplates) -> tuple[Section, ...]:
    text = pattern_text(text)
    found: list[tuple[int, str]] = []
    seen: set[str] = set()
    for label, match in _first_headings(text, templates):
        if match and label not in seen:
            seen.add(label)
            found.append((match.start() + (len(match.group()) - len(match.group().lstrip())), label))
    found.sort()
    sections = []
    for i, (start, label) in enumerate(found):
        end = found[i + 1][0] if i + 1 < len(found) else len(text)
        end = len(text[:end].rstrip())
        sections.append(Section(label, start, max(start, end)))
    return tuple(sections)


def _first_headings(text: str, templates: LetterTemplates) -> list[tuple[str, re.Match | None]]:
    """Each section pattern's first match (``pattern.search(text)``), in template order.

    The headings start a line (``^``): the lines where any heading starts are found by one
    scan that jumps from line break to line break, and each pattern is matched only there,
    instead of ten scans trying every position of the letter."""
    line_heads = active_data().compiled(("sections.line_heads", templates), lambda _: _line_heads(templates))
    if line_heads is None:
        return [(label, pattern.search(text)) for label, pattern in templates.sections]
    first: list[re.Match | None] = [None] * len(templates.sections)
    missing = len(first)
    at_start, after_break = line_heads
    starts = [0] if at_start.match(text) else []
    for head in itertools.chain(starts, (m.end() for m in after_break.finditer(text))):
        for k, (_, pattern) in enumerate(templates.sections):
            if first[k] is None and (match := pattern.match(text, head)) is not None:
                first[k] = match
                missing -= 1
        if not missing:
            break
    return [(label, match) for (label, _), match in zip(templates.sections, first)]


def _line_heads(templates: LetterTemplates) -> tuple[re.Pattern, re.Pattern] | None:
    """Patterns of the line starts where a section heading matches: at the text's start,
    and after a line break (led by the ``\\n``, which the engine finds fast); None unless
    every heading pattern starts with ``^`` (multiline), all with one set of flags."""
    patterns = [pattern for _, pattern in templates.sections]
    flags = {pattern.flags for pattern in patterns}
    if not patterns or len(flags) != 1 or not next(iter(flags)) & re.MULTILINE:
        return None
    for pattern in patterns:
        branches = alternatives(pattern.pattern)
        if branches is None or not all(branch.startswith("^") for branch in branches):
            return None
    union = "|".join(f"(?:{pattern.pattern})" for pattern in patterns)
    flag = flags.pop()
    return re.compile(f"(?={union})", flag), re.compile(f"\\n(?={union})", flag)


def doc_sections(doc: Doc, component: str, span_key: str = SPAN_KEY) -> tuple[Section, ...]:
    """The sections ``imr_sections`` wrote to ``doc.spans[span_key]``, as :class:`Section` s.

    Raises ``ValueError`` naming ``component`` when the span group is missing: a component
    that reads the sections was put in a pipeline without ``imr_sections`` before it.
    """
    if span_key not in doc.spans:
        raise ValueError(
            f"{component} reads the letter's sections from doc.spans[{span_key!r}], which imr_sections "
            f"writes, but they are missing: add imr_sections before {component} "
            f"(nlp.add_pipe('imr_sections', before=...)) or run the whole pipeline (imr_nlp.load())"
        )
    return tuple(Section(span.label_, span.start_char, span.end_char) for span in doc.spans[span_key])


def section_of(sections: Sequence[Section], label: str) -> Section | None:
    """The first section labelled ``label``, or None."""
    return next((section for section in sections if section.label == label), None)


class SectionFinder(RuleComponent):
    """Sets ``doc.spans["sections"]`` with one span per section found."""

    DATA_FILES = ("letter_templates.json",)

    def __init__(self, nlp: Language, name: str, *, span_key: str = SPAN_KEY) -> None:
        self.name = name
        self.span_key = span_key
        register_extensions()

    def prepare(self) -> None:
        with self.using_data():
            letter_templates()

    def __call__(self, doc: Doc) -> Doc:
        with self.using_data():
            return self._process(doc)

    def _process(self, doc: Doc) -> Doc:
        spans = []
        for section in find_sections(doc_text(doc)):
            span = doc.char_span(section.start, section.end, label=section.label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[self.span_key] = spans
        labels = {span.label_ for span in spans}
        if doc_text(doc).strip() and not labels & {"decisions", "issue_at_dispute"}:
            add_warning(doc, "no decisions section found")
        doc.user_data[LOOKS_LIKE_LETTER_KEY] = looks_like_letter(doc_text(doc))
        return doc


@Language.factory(
    "imr_sections",
    default_config={"span_key": SPAN_KEY},
    assigns=["doc.spans", "doc._.imr_warnings", "doc.user_data"],
)
def make_section_finder(nlp: Language, name: str, span_key: str) -> SectionFinder:
    """Build the section finder (layout patterns come from ``data/letter_templates.json``)."""
    return SectionFinder(nlp, name, span_key=span_key)


__all__ = ["Section", "SectionFinder", "doc_sections", "find_sections", "section_of"]
