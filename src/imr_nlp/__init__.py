"""imr_nlp: structured data from California workers' compensation IMR determination letters."""

from __future__ import annotations

import warnings as _warnings
from pathlib import Path

from .pipeline import load
from .visualize import DISPLACY_OPTIONS, SPAN_OPTIONS, render

__version__ = "0.1.0"

__all__ = [
    "load",
    "read_letter",
    "render",
    "DISPLACY_OPTIONS",
    "SPAN_OPTIONS",
    "LetterReadError",
    "__version__",
]


class LetterReadError(ValueError):
    """A letter file that cannot be read (missing, not text, a PDF without text, ...)."""


def read_letter(path: str | Path, *, max_chars: int = 2_000_000) -> str:
    """The text of one letter file (.txt or .pdf), as ``imr-nlp parse`` reads it.

    All offsets the pipeline gives for this letter index this text (PDF pages are joined
    with a newline). Problems that still leave a text (a legacy encoding, a PDF warning)
    are issued as Python warnings; an unreadable file raises :class:`LetterReadError`.
    """
    from .inputs import read_letter as _read

    letter = _read(path, max_chars=max_chars)
    for message in letter.warnings:
        _warnings.warn(f"{path}: {message}", stacklevel=2)
    if letter.error is not None or letter.text is None:
        raise LetterReadError(f"{path}: {letter.error}")
    return letter.text
