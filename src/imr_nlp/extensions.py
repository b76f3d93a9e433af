"""Custom attributes the components set on ``Doc`` (all plain JSON-able values).

Values are plain dicts and lists so that docs survive ``DocBin`` / multiprocessing
serialization unchanged. ``None`` means "not computed" (the component did not run).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy
import srsly
from spacy.attrs import ENT_IOB, ENT_KB_ID, ENT_TYPE
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch, raise_error

from .resources import RuleData, packaged_data, packaged_rule_data, rule_data, using

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


class RuleComponent:
    """Base of the imr rule components: the component holds the data files it uses.

    Like spaCy's ``SpanRuler`` / ``EntityRuler``, the rules are state of the component:
    ``initialize(data=...)`` loads them (default: the packaged files, through the registered
    ``imr_nlp.packaged_rule_data.v1``), ``to_disk`` writes one file per data file into the
    component's folder, named as in ``imr_nlp/data`` (``drugs.jsonl``, ``diagnoses.json``, ...),
    and ``from_disk`` / ``from_bytes`` read them back, so a saved pipeline carries its own
    rules and two pipelines in one process can differ. A component used without
    ``initialize`` (a config loaded without it, ``nlp.add_pipe`` on a blank pipeline) holds
    the packaged data.

    ``DATA_FILES`` lists the files the component's finders read (directly or through the
    normalizers they call); the component runs them inside ``using(self.data)``.
    """

    DATA_FILES: tuple[str, ...] = ()
    _data: RuleData | None = None
    name: str
    _error_handler: Callable[..., Any] = staticmethod(raise_error)

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Run over ``stream`` a batch of docs at a time, as ``nlp.pipe`` calls it.

        The component goes through the whole batch before the next component starts, so its
        patterns and lexicons stay in the processor's cache (4–12% faster over the
        pipeline than doc by doc). A doc whose processing raises goes to the error handler
        (:meth:`set_error_handler`, set by ``nlp.set_error_handler``) and is not yielded,
        as spaCy does for components without ``pipe``.
        """
        for docs in minibatch(stream, size=batch_size):
            done = []
            for doc in docs:
                try:
                    done.append(self(doc))
                except Exception as e:
                    self._error_handler(self.name, self, [doc], e)
            yield from done

    def set_error_handler(self, error_handler: Callable[..., Any]) -> None:
        """What :meth:`pipe` calls with ``(name, component, [doc], exception)`` when a doc
        fails (default: raise)."""
        self._error_handler = error_handler

    def get_error_handler(self) -> Callable[..., Any]:
        """The error handler :meth:`pipe` uses."""
        return self._error_handler

    @property
    def data(self) -> RuleData:
        """The rule data this component holds (the packaged data until set)."""
        if self._data is None:
            self._data = packaged_data()
        return self._data

    @property
    def data_files(self) -> dict[str, Any]:
        """``{file name: content}`` of the data files held (treat as read-only)."""
        return self.data.subset(self.DATA_FILES)

    def set_data(self, files: Mapping[str, Any], *, share: bool = True) -> None:
        """Hold exactly these data files (one entry per name of ``DATA_FILES``) and build what
        is compiled from them now (not on the first doc). Files equal to the packaged ones
        share the process's compiled packaged data unless ``share`` is False."""
        missing = sorted(set(self.DATA_FILES) - set(files))
        extra = sorted(set(files) - set(self.DATA_FILES))
        if missing or extra:
            raise ValueError(
                f"{type(self).__name__} holds the data files {list(self.DATA_FILES)}; "
                f"missing {missing}, not used {extra}"
            )
        self._data = rule_data(files) if share else RuleData(files)
        # register the content key now: docs made by this component in worker processes
        # (nlp.pipe(n_process=...)) name it, and their normalized values are read here
        _ = self._data.key
        self.prepare()

    def set_data_file(self, name: str, value: Any) -> None:
        """Replace one data file (content as ``srsly`` reads it: a list of rows for ``.jsonl``)."""
        self.set_data({**self.data_files, name: value})

    def prepare(self) -> None:
        """Compile the rules of the held data (override: called when the data is set)."""

    def initialize(
        self,
        get_examples: Any = None,
        *,
        nlp: Any = None,
        data: Any = None,
    ) -> None:
        """Load the data files: ``data`` (``[initialize.components.NAME.data]`` in a config) is
        ``{file name: content}`` or a function of the file names returning it; default: the packaged files (``imr_nlp.packaged_rule_data.v1``)."""
        if data is None:
            data = packaged_rule_data()
        files = data(self.DATA_FILES) if callable(data) else data
        self.set_data(dict(files))

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = tuple()) -> None:
        """Write each data file into folder ``path`` (srsly JSON / JSONL, package file names)."""
        names = [name for name in self.DATA_FILES if name.split(".")[0] not in exclude]
        self.data.to_disk(path, names)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = tuple()):
        """Read the data files written by :meth:`to_disk`. A pipeline saved before the
        components kept their data has no folder: it keeps the packaged data."""
        path = Path(path)
        if path.exists():
            self.set_data(RuleData.read_files(path, self.DATA_FILES))
        return self

    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        """The data files as msgpack ``{file name: content}``."""
        return srsly.msgpack_dumps(self.data_files)

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = tuple()):
        """Read the data files written by :meth:`to_bytes` (empty bytes: the packaged data)."""
        if bytes_data:
            self.set_data(srsly.msgpack_loads(bytes_data))
        return self

    def using_data(self):
        """Context in which the finders read this component's data."""
        return using(self.data)


def register_extensions() -> None:
    """Register the ``Doc`` extensions once (idempotent)."""
    for name in DOC_ATTRIBUTES:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


_TEXT_KEY = "imr_nlp.text"
#: ``doc.user_data`` key: whether the text looks like an IMR letter (set by ``imr_sections``,
#: so that the output need not rebuild ``doc.text`` from the tokens to tell).
LOOKS_LIKE_LETTER_KEY = "imr_nlp.looks_like_letter"


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
        self._warmed: Any = None  # the tokenizer whose cache was warmed
        self._warm_up()

    def _warm_up(self) -> None:
        """Warm the tokenizer's cache (:mod:`imr_nlp.tokenizer_warmup`): at load, and again
        when the pipeline has another tokenizer (replaced, or a copy of the pipeline
        unpickled in a worker process of ``nlp.pipe(n_process=...)``)."""
        from .tokenizer_warmup import warm_tokenizer

        warm_tokenizer(self.nlp)
        self._warmed = self.nlp.tokenizer

    def __call__(self, text: str) -> Doc:
        if self._warmed is not self.nlp.tokenizer:
            self._warm_up()
        doc = Language.make_doc(self.nlp, text)
        doc.user_data[_TEXT_KEY] = text
        return doc

    def __getstate__(self) -> dict[str, Any]:
        return {"nlp": self.nlp}  # an unpickled copy warms its own tokenizer on first use

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.nlp, self._warmed = state["nlp"], None


def keep_input_text(nlp: Language) -> Language:
    """Make ``nlp`` keep each input text on its doc for the imr components (see above), and
    warm its tokenizer's cache (:mod:`imr_nlp.tokenizer_warmup`)."""
    if not isinstance(nlp.__dict__.get("make_doc"), _TextKeepingMakeDoc):
        nlp.make_doc = _TextKeepingMakeDoc(nlp)
    return nlp


def release_text(doc: Doc) -> None:
    """Drop the cached text (keeps serialized docs small)."""
    doc.user_data.pop(_TEXT_KEY, None)


def set_entities_on_blank(doc: Doc, spans: Sequence[Span]) -> bool:
    """``doc.set_ents(spans, default="outside")`` for a doc without entity annotation, as one
    array write (set_ents checks every token in Python); ``spans``: labelled, sorted by start
    and not overlapping. Returns False (and sets nothing) when the doc has entity
    annotation or no tokens: use ``set_ents`` then."""
    n = len(doc)
    if not n or doc.has_annotation("ENT_IOB"):
        return False
    kb_ids = doc.to_array(ENT_KB_ID)
    runs: list[tuple[int, int, int]] = []  # (ENT_IOB, ENT_TYPE, tokens): O = 2, B = 3, I = 1
    previous = 0
    for span in spans:
        start, end, label = span.start, span.end, span.label
        if start > previous:
            runs.append((2, 0, start - previous))
        runs.append((3, label, 1))
        if end - start > 1:
            runs.append((1, label, end - start - 1))
        previous = end
    if n > previous:
        runs.append((2, 0, n - previous))
    values = numpy.array([run[:2] for run in runs], dtype=numpy.uint64).reshape(-1, 2)
    columns = numpy.repeat(values, [run[2] for run in runs], axis=0)
    attrs = [ENT_IOB, ENT_TYPE]
    if kb_ids.any():  # set_ents gives an entity's tokens the span's knowledge-base id (0)
        attrs.append(ENT_KB_ID)
        kept = numpy.where(columns[:, 0] == 2, kb_ids, 0).astype(numpy.uint64)
        columns = numpy.column_stack([columns, kept])
    doc.from_array(attrs, columns)
    return True


def add_warning(doc: Doc, message: str) -> None:
    """Append a warning (once) to ``doc._.imr_warnings``."""
    warnings = doc._.imr_warnings
    if warnings is None:
        warnings = []
    if message not in warnings:
        warnings = [*warnings, message]
    doc._.imr_warnings = warnings


register_extensions()
