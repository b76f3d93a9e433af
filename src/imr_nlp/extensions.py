"""Custom attributes the components set on ``Doc`` (all plain JSON-able values).

Values are plain dicts and lists so that docs survive ``DocBin`` / multiprocessing
serialization unchanged. ``None`` means "not computed" (the component did not run).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

DOC_ATTRIBUTES = (
    "items",
    "case_number",
    "decision_date",
    "patient",
    "date_of_injury",
    "ur_decision_date",
    "date_assigned",
    "application_received",
    "priority",
    "diagnoses",
    "reviewer",
    "imr_warnings",
)


class StatelessComponent:
    """Base of the imr components: rules come from package data, so the component itself has
    no state to save; the four serialization methods exist so ``nlp.to_disk`` / ``to_bytes``
    and their loaders work (the config alone rebuilds the component)."""

    def to_disk(self, path, *, exclude=tuple()) -> None:  # noqa: D102
        return None

    def from_disk(self, path, *, exclude=tuple()):  # noqa: D102
        return self

    def to_bytes(self, *, exclude=tuple()) -> bytes:  # noqa: D102
        return b""

    def from_bytes(self, data: bytes, *, exclude=tuple()):  # noqa: D102
        return self


def register_extensions() -> None:
    """Register the ``Doc`` extensions once (idempotent)."""
    for name in DOC_ATTRIBUTES:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


_TEXT_KEY = "imr_nlp.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per doc.

    spaCy rebuilds ``doc.text`` from every token on each access; the components all need
    it, so the first one caches it in ``doc.user_data`` (splitting or merging tokens never
    changes the text) and :func:`release_text` drops it at the end of the pipeline.
    """
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.text
        doc.user_data[_TEXT_KEY] = text
    return text


class _TextKeepingMakeDoc:
    """``nlp.make_doc`` that also stores the input text on the doc, so that :func:`doc_text`
    never rebuilds it from the tokens (that rebuild cost about a tenth of the pipeline).
    spaCy's doc.text is exactly the input text, so the stored text is the same string."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    def __call__(self, text: str) -> Doc:
        doc = Language.make_doc(self.nlp, text)
        doc.user_data[_TEXT_KEY] = text
        return doc


def keep_input_text(nlp: Language) -> Language:
    """Make ``nlp`` keep each input text on its doc for the imr components (see above)."""
    if not isinstance(nlp.__dict__.get("make_doc"), _TextKeepingMakeDoc):
        nlp.make_doc = _TextKeepingMakeDoc(nlp)
    return nlp


def release_text(doc: Doc) -> None:
    """Drop the cached text (keeps serialized docs small)."""
    doc.user_data.pop(_TEXT_KEY, None)


def add_warning(doc: Doc, message: str) -> None:
    """Append a warning (once) to ``doc._.imr_warnings``."""
    warnings = doc._.imr_warnings
    if warnings is None:
        warnings = []
    if message not in warnings:
        warnings = [*warnings, message]
    doc._.imr_warnings = warnings


register_extensions()
