"""Custom attributes the components set on ``Doc`` (all plain JSON-able values).

Values are plain dicts and lists so that docs survive ``DocBin`` / multiprocessing
serialization unchanged. ``None`` means "not computed" (the component did not run).
"""

from __future__ import annotations

from spacy.tokens import Doc

DOC_ATTRIBUTES = (
    "items",
    "case_number",
    "decision_date",
    "patient",
    "date_of_injury",
    "ur_decision_date",
    "reviewer",
    "imr_warnings",
)


def register_extensions() -> None:
    """Register the ``Doc`` extensions once (idempotent)."""
    for name in DOC_ATTRIBUTES:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def add_warning(doc: Doc, message: str) -> None:
    """Append a warning (once) to ``doc._.imr_warnings``."""
    warnings = doc._.imr_warnings
    if warnings is None:
        warnings = []
    if message not in warnings:
        warnings = [*warnings, message]
    doc._.imr_warnings = warnings


register_extensions()
