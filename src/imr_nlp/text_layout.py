"""Line structure of letter text as extracted from PDF.

Offsets always index the original text. The helpers here find paragraph breaks in the
three whitespace styles seen in practice (blank lines holding a space, double-spaced
extraction, plain empty lines), and recognise page furniture lines ("CM14-0041187 Page 3
of 5") so that the components can step over them.
"""

from __future__ import annotations

import bisect
import re
import weakref
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from .resources import letter_templates

if TYPE_CHECKING:
    from spacy.tokens import Doc

_SPACE_ONLY = re.compile(r"[ \t\u00a0\f\v]+")


_EMPTY_CRLF_LINE = re.compile(r"(?:(?<=\n)|^)\r\n")


def pattern_text(text: str) -> str:
    """A same-length copy of ``text`` for pattern matching: CRLF → " \n", lone CR → LF.

    Patterns anchor on ``$`` and ``\n``; this keeps them working on Windows and old Mac
    line ends while every offset still indexes the original text. An empty CRLF line
    becomes two empty lines ("\n\n"), not a line holding a space, which would read as a
    paragraph gap (pypdf marks those with a space); a page join stays a page join.
    """
    if "\r" not in text:
        return text
    return _EMPTY_CRLF_LINE.sub("\n\n", text).replace("\r\n", " \n").replace("\r", "\n")


class Line(NamedTuple):
    """One line of the text: ``text[start:end]`` without its newline (a tuple: letters have
    hundreds of lines and each component that reads the layout builds them)."""

    start: int
    end: int
    text: str

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()


def split_lines(text: str) -> list[Line]:
    """Split ``text`` into lines with their offsets (``\\n``, ``\\r\\n`` and ``\\r`` ends)."""
    if "\r" not in text:
        # The usual case (and always for Layout's pattern text): str.split, no regex.
        bodies = text.split("\n")
        if len(bodies) > 1 and not bodies[-1]:
            bodies.pop()  # a final line end opens no line
        lines = []
        start = 0
        for body in bodies:
            end = start + len(body)
            lines.append(Line(start, end, body))
            start = end + 1
        return lines
    lines = []
    for match in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text):
        if match.start() == len(text) and lines and match.group() == "":
            break
        body = match.group().rstrip("\r\n")
        lines.append(Line(match.start(), match.start() + len(body), body))
        if match.end() == len(text):
            break
    return lines


class Layout:
    """Lines of a letter, with paragraph breaks and page furniture marked.

    In a pipeline the components share one per doc (:func:`doc_layout`: the entity rules
    read ``match_text``, the item linker lines and paragraphs). The paragraph breaks are
    found on first use.
    """

    def __init__(self, text: str) -> None:
        self.original = text
        self.text = pattern_text(text)  # same length as ``original``
        self.lines = split_lines(self.text)
        self._starts = [line.start for line in self.lines]
        self.page_furniture = furniture = letter_templates().page_furniture
        self.furniture = [bool(furniture.match(line.text)) for line in self.lines]
        # For matching: page furniture blanked out (same length), so a page break inside
        # a header or a sentence does not stop a pattern.
        self.match_text = self._blank_furniture()

    def _blank_furniture(self) -> str:
        if not any(self.furniture):
            return self.text
        chars = list(self.text)
        for line, is_furniture in zip(self.lines, self.furniture):
            if is_furniture:
                chars[line.start : line.end] = " " * (line.end - line.start)
        return "".join(chars)

    @cached_property
    def is_break(self) -> list[bool]:
        """Per line: whether it is a paragraph break (in the whitespace style of the text)."""
        lines = self.lines
        spaced = [line.is_blank and _SPACE_ONLY.fullmatch(line.text) is not None for line in lines]
        # Page furniture lines are neither content nor paragraph breaks.
        if sum(spaced) >= 2:
            # pypdf style: paragraph gaps are lines holding a space; empty lines are page joins
            # or line separators of double-spaced extraction.
            return spaced
        empty = [line.is_blank for line in lines]
        text_lines = [i for i, line in enumerate(lines) if not line.is_blank]
        single_gaps = sum(
            1
            for i in text_lines
            if i + 2 < len(lines) and empty[i + 1] and not empty[i + 2]
        )
        if text_lines and single_gaps / len(text_lines) >= 0.5:
            # Double-spaced extraction: a gap of two or more empty lines is a paragraph break.
            breaks = [False] * len(lines)
            i = 0
            while i < len(lines):
                if empty[i]:
                    j = i
                    while j < len(lines) and empty[j]:
                        j += 1
                    if j - i >= 2:
                        for k in range(i, j):
                            breaks[k] = True
                    i = j
                else:
                    i += 1
            return breaks
        return empty

    def line_at(self, offset: int) -> int:
        """Index of the line holding character ``offset``."""
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def is_skippable(self, index: int) -> bool:
        """Blank or page furniture: a line that carries no letter content."""
        return self.lines[index].is_blank or self.furniture[index]

    def trim(self, start: int, end: int) -> tuple[int, int]:
        """Shrink ``[start, end)`` past surrounding whitespace and furniture lines."""
        text = self.text
        while True:
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start >= end:
                return start, start
            first = self.line_at(start)
            last = self.line_at(end - 1)
            changed = False
            if self.furniture[first]:
                start = min(end, self.lines[first].end)
                changed = True
            if first != last and self.furniture[last]:
                end = max(start, self.lines[last].start)
                changed = True
            if not changed:
                return start, end

    def paragraph_end(self, offset: int, limit: int) -> int:
        """End of the paragraph holding ``offset`` (first break line after it), at most ``limit``."""
        index = self.line_at(offset)
        for i in range(index + 1, len(self.lines)):
            if self.lines[i].start >= limit:
                break
            if self.is_break[i]:
                return min(limit, self.lines[i].start)
        return limit


# The layout of each doc being processed, for the components after the first that needs it.
# Held beside the doc (weakly keyed: gone with the doc), never in it, so that nothing of
# it is serialized, copied with ``doc.copy()`` or sent to another process.
_DOC_LAYOUTS: weakref.WeakKeyDictionary[Doc, Layout] = weakref.WeakKeyDictionary()


def doc_layout(doc: Doc, text: str) -> Layout:
    """The :class:`Layout` of ``text``, the text of ``doc``, under the letter templates in use:
    built by the first component that asks, then shared. A layout built from another text
    object (the doc's cached text was replaced) or under other page-furniture rules (a
    component holding other templates) is not reused."""
    layout = _DOC_LAYOUTS.get(doc)
    if layout is None or layout.original is not text or layout.page_furniture != letter_templates().page_furniture:
        layout = _DOC_LAYOUTS[doc] = Layout(text)
    return layout


def move_layout(old: Doc, new: Doc) -> None:
    """Hand the shared layout of ``old`` to ``new``, a doc built to replace it (same text)."""
    layout = _DOC_LAYOUTS.pop(old, None)
    if layout is not None:
        _DOC_LAYOUTS[new] = layout


def release_layout(doc: Doc) -> None:
    """Forget the shared layout of ``doc`` (the last component that reads it calls this)."""
    _DOC_LAYOUTS.pop(doc, None)
