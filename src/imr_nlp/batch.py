"""The batch engine: read letters, run the pipeline, build one record per input.

Used by ``imr-nlp parse`` (:mod:`imr_nlp.cli`) and by the Dask runner
(:mod:`imr_nlp.distributed`); neither imports the other's module for it.

- :func:`parse_records`: one record per input, in input order, whatever the input: a
  letter record (:func:`letter_record`) or an error record; a letter a component fails
  on becomes an error record and the batch goes on (the failure log, retry letter by
  letter when ``nlp.pipe`` itself dies, a broken process pool finished in this process).
- reading ahead: with one process on a machine with more than one core, a batch that
  holds PDFs is read by a background thread (:func:`_read_all_ahead`) while the pipeline
  parses the letters before; PDFium parses a PDF without the GIL, so reading and parsing
  overlap (``read_ahead=False`` turns it off). PDFs PDFium declines are read with pypdf
  in the parsing thread.
- :func:`letter_record`: ``output.to_dict`` plus what the batch knows about the input
  (its id and path, the reader's warnings, offsets into the whole file for one letter
  of a file holding several).
- :func:`record_status` (from :mod:`imr_nlp.output`): ``"ok"``, ``"warned"`` or ``"failed"`` (the summary counts).
"""

from __future__ import annotations

import itertools
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from .inputs import (
    PDFIUM_DECLINED,
    LetterInput,
    error_record,
    iter_input_paths,
    letter_ids,
    read_letter,
    split_letters,
)
from .output import NOT_A_LETTER, record_status, to_dict
from .records import ErrorRecord, LetterRecord, Record
from .resources import MAX_CHARS

__all__ = ["NOT_A_LETTER", "parse_records", "letter_record", "record_status", "failed_record"]


class _FailureLog:
    """spaCy error handler that remembers why a document failed instead of raising.

    Documents are keyed by their ``doc._context`` (the input index). A module-level class
    rather than a closure so the handler can be pickled when spaCy starts worker
    processes with "spawn"/"forkserver" (macOS, Windows, Python >= 3.14). Failures seen
    inside a worker stay in the worker's copy; the parent retries those letters.
    """

    def __init__(self) -> None:
        self.failures: dict[int, str] = {}

    def __call__(self, proc_name, proc, docs, exc) -> None:  # noqa: ANN001
        if docs is None:  # a worker process failed on a whole batch (n_process > 1)
            return
        for doc in docs:
            index = getattr(doc, "_context", None)
            if isinstance(index, int):
                self.failures[index] = _reason(f"pipeline component {proc_name!r} failed", exc)


def _reason(what: str, exc: BaseException, limit: int = 500) -> str:
    text = f"{what}: {exc!r}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _texts(inputs: Iterator[tuple[int, LetterInput]], meta: dict[int, LetterInput]) -> Iterator[tuple[str, int]]:
    """Feed the pipeline: each input's text (empty for failed reads) with its index as context."""
    for index, inp in inputs:
        meta[index] = inp
        yield (inp.text or "", index)


def _read_all(listed: list[tuple[Path, str]], max_chars: int, keep_text: Path | None) -> Iterator[LetterInput]:
    """read_letter over the expanded paths; an unexpected reader bug becomes an error record."""
    for path, name in listed:
        yield from split_letters(_read_one(path, name, max_chars, keep_text))


def _listed(paths: Iterable[str | Path], ids: Sequence[str] | None) -> list[tuple[Path, str]]:
    """The expanded input paths with their record ids.

    Record ids are file stems made unique within the batch (:func:`letter_ids`), unless
    the caller gives ``ids`` (one per expanded path, e.g. computed over a whole Dask run).
    """
    listed = list(iter_input_paths(paths))
    if ids is None:
        ids = letter_ids(listed)
    elif len(ids) != len(listed):
        raise ValueError(f"{len(ids)} ids for {len(listed)} input files")
    return list(zip(listed, ids))


def _read_one(
    path: Path, name: str, max_chars: int, keep_text: Path | None, pdf_reader: str = "auto"
) -> LetterInput:
    try:
        return read_letter(path, max_chars=max_chars, keep_pdf_text=keep_text, id=name, pdf_reader=pdf_reader)
    except Exception as exc:  # read_letter should not raise; never lose the letter if it does
        return LetterInput(name, str(path), None, [], _reason("cannot read file", exc))


T = TypeVar("T")

#: Characters a reader thread may hold ready beyond the consumer; it holds at most
#: ``2 * batch_size + 2`` files too (``nlp.pipe`` takes a batch at a time).
READ_AHEAD_CHARS = 8_000_000
#: The interpreter's switch interval while a reader thread runs (Python's default is 5 ms).
#: After each PDFium call that released the GIL, the reader waits for it until the
#: interval runs out, a few times a letter; at 5 ms it would fall behind the parsing.
READ_AHEAD_SWITCH_INTERVAL = 0.0005
_READER_POLL_SECONDS = 0.05


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _wants_read_ahead(listed: list[tuple[Path, str]]) -> bool:
    """Read ahead by default: the batch holds PDFs and another core is free for PDFium."""
    return _usable_cpus() > 1 and any(path.suffix.lower() == ".pdf" for path, _ in listed)


class _ReadAhead(Generic[T]):
    """``items`` produced by a background thread, in their order, at most ``max_items``
    ahead of the consumer, and no more once those ready hold :data:`READ_AHEAD_CHARS`
    characters (``size`` of an item).

    Iterate once. An exception the reader raises is raised to the consumer where its
    item would have come; stopping early (closing the iterator) stops the reader after
    the item it is making. While the thread runs the switch interval is lowered to
    :data:`READ_AHEAD_SWITCH_INTERVAL`, and set back after.
    """

    def __init__(self, items: Iterator[T], max_items: int, size: Callable[[T], int]) -> None:
        self._items = items
        self._max_items = max(1, max_items)
        self._size = size
        self._ready: deque[tuple[T, int]] = deque()
        self._chars = 0
        self._done = False
        self._stop = False
        self._error: BaseException | None = None
        self._changed = threading.Condition()

    def _read(self) -> None:
        main = threading.main_thread()
        try:
            for item in self._items:
                chars = self._size(item)
                with self._changed:
                    while (
                        not self._stop
                        and main.is_alive()
                        and self._ready
                        and (len(self._ready) >= self._max_items or self._chars >= READ_AHEAD_CHARS)
                    ):
                        # Wake now and then: the program may end without closing the
                        # iterator (e.g. `imr-nlp parse DIR | head -1`).
                        self._changed.wait(_READER_POLL_SECONDS)
                    if self._stop:  # the consumer is gone
                        return
                    if not main.is_alive():
                        raise RuntimeError("the program's main thread ended: letters were left unread")
                    self._ready.append((item, chars))
                    self._chars += chars
                    self._changed.notify_all()
        except BaseException as exc:  # handed to the consumer: nothing is lost silently
            self._error = exc
        finally:
            with self._changed:
                self._done = True
                self._changed.notify_all()

    def __iter__(self) -> Iterator[T]:
        previous = sys.getswitchinterval()
        sys.setswitchinterval(min(previous, READ_AHEAD_SWITCH_INTERVAL))
        lowered = sys.getswitchinterval()
        # Not a daemon: at exit Python joins it before the atexit handlers run (pypdfium2's
        # shuts PDFium down, which crashes a thread still inside PDFium). It ends after
        # the file it is reading once the iterator is closed or the main thread is done.
        thread = threading.Thread(target=self._read, name="imr-nlp-reader")
        thread.start()
        try:
            while True:
                with self._changed:
                    while not self._ready and not self._done:
                        self._changed.wait()
                    if not self._ready:
                        break
                    item, chars = self._ready.popleft()
                    self._chars -= chars
                    self._changed.notify_all()
                yield item
            if self._error is not None:
                raise self._error
        finally:
            with self._changed:
                self._stop = True
                self._changed.notify_all()
            if sys.getswitchinterval() == lowered:  # unless someone else set it meanwhile
                sys.setswitchinterval(previous)


def _read_all_ahead(
    listed: list[tuple[Path, str]], max_chars: int, keep_text: Path | None, max_files: int
) -> Iterator[LetterInput]:
    """:func:`_read_all`, the files read by a background thread (:class:`_ReadAhead`).

    The thread reads text files, and PDFs with PDFium only: a PDF PDFium declines is read
    here, with pypdf, because pypdf's warnings are caught with ``warnings.catch_warnings``,
    which works on the whole process (in the thread it would also catch, and take from the
    user, the warnings of the parsing going on meanwhile)."""

    def files() -> Iterator[tuple[Path, str, list[LetterInput] | None]]:
        for path, name in listed:
            inp = _read_one(path, name, max_chars, keep_text, pdf_reader="pdfium")
            yield path, name, None if inp.error == PDFIUM_DECLINED else list(split_letters(inp))

    def size(item: tuple[Path, str, list[LetterInput] | None]) -> int:
        return sum(len(part.text or "") for part in item[2] or ())

    for path, name, parts in _ReadAhead(files(), max_files, size):
        yield from parts if parts is not None else _read_all([(path, name)], max_chars, keep_text)


def letter_record(doc, inp: LetterInput) -> LetterRecord:  # noqa: ANN001
    """The record of a parsed letter: ``to_dict`` with the input's id and path, the reader's
    warnings first, and offsets into the whole file when ``inp`` is one letter of several."""
    record = to_dict(doc, id=inp.id, path=inp.path)
    extra = list(inp.warnings)
    record["warnings"] = extra + [w for w in record["warnings"] if w not in extra]
    if inp.offset:  # one letter of a file holding several: offsets into the whole file
        _shift_offsets(record, inp.offset)
    return record


def _shift_offsets(value: Any, by: int) -> None:
    """Add ``by`` to every integer ``start``/``end`` of a record (entities, items, citations)."""
    if isinstance(value, dict):
        for key in ("start", "end"):
            if isinstance(value.get(key), int) and not isinstance(value.get(key), bool):
                value[key] += by
        for child in value.values():
            if isinstance(child, (dict, list)):
                _shift_offsets(child, by)
    elif isinstance(value, list):
        for child in value:
            _shift_offsets(child, by)


def _process_one(nlp, index: int, inp: LetterInput, log: _FailureLog) -> Record:  # noqa: ANN001
    """Run one letter on its own (in this process); any failure becomes an error record."""
    if inp.error is not None:
        return _error_record(inp)
    try:
        doc = nlp.make_doc(inp.text or "")
        doc._context = index
        doc = nlp(doc)
    except Exception as exc:  # the batch must go on whatever a component does
        return failed_record(inp, _reason("pipeline failed", exc))
    reason = log.failures.pop(index, None)
    if reason is not None:
        return failed_record(inp, reason)
    return letter_record(doc, inp)


def parse_records(
    paths: Iterable[str | Path],
    *,
    pipeline: str | Path | None = None,
    nlp: Any = None,
    n_process: int = 1,
    batch_size: int = 16,
    max_chars: int = MAX_CHARS,
    keep_text: Path | None = None,
    ids: Sequence[str] | None = None,
    read_ahead: bool | None = None,
) -> Iterator[Record]:
    """One record per input path, in input order: a letter record or an error record.

    ``id`` of a record is the file stem, made unique within the batch when two inputs
    share a stem (see :func:`imr_nlp.inputs.letter_ids`); ``ids`` overrides them.

    ``nlp`` is an already loaded pipeline (e.g. cached per worker); otherwise
    ``pipeline`` is loaded. A letter the pipeline fails on yields an error record and
    the batch goes on: if ``nlp.pipe`` itself dies, the letters in flight are retried one
    by one and the stream restarts on the remaining inputs. A file holding several
    letters gives one record per letter (:func:`imr_nlp.inputs.split_letters`).

    ``n_process > 1``: worker processes each read, parse and build the records of chunks
    of ``batch_size`` files (same records, same order); a broken pool is finished here.

    ``read_ahead`` (one process only): read the files in a background thread while the
    pipeline parses the letters before (same records, same order). PDFium reads a PDF
    without holding the GIL, so on a machine with two cores a folder of PDFs is parsed
    about 20% faster; text files gain nothing. Default (None): on when the batch holds
    PDFs and more than one core is usable. The interpreter's switch interval is lowered
    while the thread runs (see :data:`READ_AHEAD_SWITCH_INTERVAL`).
    """
    listed = _listed(paths, ids)
    if n_process > 1:
        yield from _parallel_records(listed, pipeline, nlp, n_process, batch_size, max_chars, keep_text)
        return
    if nlp is None:
        from . import load

        nlp = load(pipeline)
    if read_ahead is None:
        read_ahead = _wants_read_ahead(listed)
    if read_ahead:
        inputs = _read_all_ahead(listed, max_chars, keep_text, 2 * batch_size + 2)
    else:
        inputs = _read_all(listed, max_chars, keep_text)
    yield from _records_in_process(nlp, inputs, batch_size, max_chars)


def _records_in_process(nlp: Any, inputs: Iterator[LetterInput], batch_size: int, max_chars: int) -> Iterator[Record]:
    """Records of ``inputs`` parsed in this process (the pipeline's settings restored after)."""
    # The reader already bounds every text to max_chars; spaCy's own limit (1,000,000
    # by default) would otherwise raise inside nlp.pipe and end the whole batch.
    previous = nlp.max_length, nlp.default_error_handler
    nlp.max_length = max(nlp.max_length, max_chars + 1)
    log = _FailureLog()
    nlp.set_error_handler(log)
    try:
        yield from _stream_records(nlp, log, inputs, 1, batch_size)
    finally:  # a caller's pipeline gets its settings back
        nlp.max_length = previous[0]
        nlp.set_error_handler(previous[1])


# --------------------------------------------------------------------------- processes
#
# With n_process > 1 each worker process does the whole job for a chunk of letters: read
# the file, run the pipeline, build the JSON record. Only the paths go out and only the
# small records come back (spaCy's own multiprocessing sent every text out and every
# parsed Doc back, and the parent read the files and built the records: two processes
# were barely faster than one).

_WORKER: dict[str, Any] = {}


def _worker_init(pipeline: str | Path | None, nlp_bytes: bytes | None, max_chars: int, keep_text: Path | None) -> None:
    """Load the pipeline once per worker (a forked worker already has the parent's)."""
    if _WORKER.get("nlp") is None:
        if nlp_bytes is not None:
            import pickle

            _WORKER["nlp"] = pickle.loads(nlp_bytes)
        else:
            from . import load

            _WORKER["nlp"] = load(pipeline)
    _WORKER["max_chars"] = max_chars
    _WORKER["keep_text"] = keep_text


def _worker_chunk(chunk: list[tuple[Path, str]], batch_size: int) -> list[Record]:
    """Read, parse and build the records of one chunk of letters, in order."""
    max_chars, keep_text = _WORKER["max_chars"], _WORKER["keep_text"]
    return list(_records_in_process(_WORKER["nlp"], _read_all(chunk, max_chars, keep_text), batch_size, max_chars))


def _parallel_records(
    listed: list[tuple[Path, str]],
    pipeline: str | Path | None,
    nlp: Any,
    n_process: int,
    batch_size: int,
    max_chars: int,
    keep_text: Path | None,
) -> Iterator[Record]:
    """parse_records over worker processes: chunks of ``batch_size`` letters, in input order.

    A few chunks per worker are in flight at a time (memory stays bounded on any batch).
    If the pool breaks (a worker killed, e.g. by the out-of-memory killer), the chunks not
    yet returned are parsed in this process, so no letter is lost.
    """
    import multiprocessing as mp
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunks = [listed[i : i + batch_size] for i in range(0, len(listed), batch_size)]
    if not chunks:
        return
    methods = mp.get_all_start_methods()
    nlp_bytes = None
    if "fork" in methods and sys.platform.startswith("linux"):
        context = mp.get_context("fork")  # workers inherit the loaded pipeline
        if nlp is None:
            from . import load

            nlp = load(pipeline)
        _WORKER["nlp"] = nlp
    else:
        context = mp.get_context("spawn")
        if nlp is not None:
            import pickle

            nlp_bytes = pickle.dumps(nlp)
    pending: deque = deque()
    todo = iter(chunks)
    local: list[list[tuple[Path, str]]] = []
    try:
        with ProcessPoolExecutor(
            max_workers=n_process,
            mp_context=context,
            initializer=_worker_init,
            initargs=(pipeline, nlp_bytes, max_chars, keep_text),
        ) as pool:
            for chunk in itertools.islice(todo, 2 * n_process):
                pending.append((chunk, pool.submit(_worker_chunk, chunk, batch_size)))
            while pending:
                chunk, future = pending.popleft()
                try:
                    records = future.result()
                except BrokenProcessPool:
                    local = [chunk] + [c for c, _ in pending] + list(todo)
                    pending.clear()
                    break
                yield from records
                nxt = next(todo, None)
                if nxt is not None:
                    pending.append((nxt, pool.submit(_worker_chunk, nxt, batch_size)))
    finally:
        _WORKER.pop("nlp", None)
    if local:  # the pool broke: finish here
        if nlp is None:
            from . import load

            nlp = load(pipeline)
        for chunk in local:
            yield from _records_in_process(nlp, _read_all(chunk, max_chars, keep_text), batch_size, max_chars)


def _stream_records(
    nlp: Any,
    log: _FailureLog,
    inputs: Iterator[LetterInput],
    n_process: int,
    batch_size: int,
) -> Iterator[Record]:
    """The body of parse_records, run with ``log`` as the pipeline's error handler."""
    meta: dict[int, LetterInput] = {}
    source = enumerate(inputs)

    def settle(index: int) -> Record:
        """Record of an input the pipeline did not return: known failure or a retry."""
        inp = meta.pop(index)
        reason = log.failures.pop(index, None)
        if inp.error is not None:
            return _error_record(inp)
        if reason is not None:
            return failed_record(inp, reason)
        return _process_one(nlp, index, inp, log)

    expected = 0
    safe_mode = False  # set when nlp.pipe died without making progress: go letter by letter
    while True:
        if safe_mode:
            for index, inp in source:
                yield _process_one(nlp, index, inp, log)
            return
        start = expected
        try:
            stream = nlp.pipe(_texts(source, meta), as_tuples=True, n_process=n_process, batch_size=batch_size)
            for doc, index in stream:
                while expected < index:  # documents the pipeline dropped after an error
                    yield settle(expected)
                    expected += 1
                expected = index + 1
                inp = meta.pop(index)
                reason = log.failures.pop(index, None)
                if inp.error is not None:
                    yield _error_record(inp)
                elif reason is not None:  # a component failed but the doc came back
                    yield failed_record(inp, reason)
                else:
                    yield letter_record(doc, inp)
        except Exception:  # nlp.pipe died: settle what was in flight, then go on
            pending = sorted(meta)
            if expected == start and not pending:
                safe_mode = True
            for index in pending:
                yield settle(index)
                expected = index + 1
            continue
        for index in sorted(meta):
            yield settle(index)
        return


def failed_record(inp: LetterInput, reason: str) -> ErrorRecord:
    """The error record of a readable input the pipeline failed on."""
    return _error_record(LetterInput(inp.id, inp.path, None, inp.warnings, reason))


def _error_record(inp: LetterInput) -> ErrorRecord:
    return cast(ErrorRecord, error_record(inp))
