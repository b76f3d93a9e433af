"""``imr-nlp`` command line: parse folders of IMR letters into JSON Lines, CSV or Parquet;
view one letter or report on a corpus as a self-contained HTML page."""

from __future__ import annotations

import csv
import itertools
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import srsly
import typer
from tqdm import tqdm

from .inputs import (
    LetterInput,
    error_record,
    iter_input_paths,
    letter_ids,
    looks_like_letter,
    read_letter,
    split_letters,
)
from .output import record_status, to_dict
from .resources import MAX_CHARS
from .tables import COLUMNS, item_rows, write_table

app = typer.Typer(add_completion=False, help=__doc__, no_args_is_help=True)


def _print_version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(__version__)
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the package version and exit."),
    ] = False,
) -> None:
    """imr-nlp: structured data from IMR determination letters."""

NOT_A_LETTER = "does not look like an IMR determination letter"


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


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


def _read_all(
    paths: Iterable[str | Path], ids: Sequence[str] | None, max_chars: int, keep_text: Path | None
) -> Iterator[LetterInput]:
    """read_letter over the expanded paths; an unexpected reader bug becomes an error record.

    Record ids are file stems made unique within the batch (:func:`letter_ids`), unless
    the caller gives ``ids`` (one per expanded path, e.g. computed over a whole Dask run).
    """
    for path, name in _listed(paths, ids):
        yield from split_letters(_read_one(path, name, max_chars, keep_text))


def _listed(paths: Iterable[str | Path], ids: Sequence[str] | None) -> list[tuple[Path, str]]:
    """The expanded input paths with their record ids."""
    listed = list(iter_input_paths(paths))
    if ids is None:
        ids = letter_ids(listed)
    elif len(ids) != len(listed):
        raise ValueError(f"{len(ids)} ids for {len(listed)} input files")
    return list(zip(listed, ids))


def _read_one(path: Path, name: str, max_chars: int, keep_text: Path | None) -> LetterInput:
    try:
        return read_letter(path, max_chars=max_chars, keep_pdf_text=keep_text, id=name)
    except Exception as exc:  # read_letter should not raise; never lose the letter if it does
        return LetterInput(name, str(path), None, [], _reason("cannot read file", exc))


def _letter_record(doc, inp: LetterInput) -> dict[str, Any]:  # noqa: ANN001
    record = to_dict(doc, id=inp.id, path=inp.path)
    extra = list(inp.warnings)
    if not looks_like_letter(doc.text):
        extra.append(NOT_A_LETTER)
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


def _process_one(nlp, index: int, inp: LetterInput, log: _FailureLog) -> dict[str, Any]:  # noqa: ANN001
    """Run one letter on its own (in this process); any failure becomes an error record."""
    if inp.error is not None:
        return error_record(inp)
    try:
        doc = nlp.make_doc(inp.text or "")
        doc._context = index
        doc = nlp(doc)
    except Exception as exc:  # the batch must go on whatever a component does
        return _failed(inp, _reason("pipeline failed", exc))
    reason = log.failures.pop(index, None)
    if reason is not None:
        return _failed(inp, reason)
    return _letter_record(doc, inp)


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
) -> Iterator[dict[str, Any]]:
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
    """
    if n_process > 1:
        yield from _parallel_records(
            _listed(paths, ids), pipeline, nlp, n_process, batch_size, max_chars, keep_text
        )
        return
    if nlp is None:
        from . import load

        nlp = load(pipeline)
    yield from _records_in_process(nlp, _read_all(paths, ids, max_chars, keep_text), batch_size, max_chars)


def _records_in_process(nlp: Any, inputs: Iterator[LetterInput], batch_size: int, max_chars: int) -> Iterator[dict[str, Any]]:
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


def _worker_chunk(chunk: list[tuple[Path, str]], batch_size: int) -> list[dict[str, Any]]:
    """Read, parse and build the records of one chunk of letters, in order."""
    max_chars, keep_text = _WORKER["max_chars"], _WORKER["keep_text"]
    inputs = (part for path, name in chunk for part in split_letters(_read_one(path, name, max_chars, keep_text)))
    return list(_records_in_process(_WORKER["nlp"], inputs, batch_size, max_chars))


def _parallel_records(
    listed: list[tuple[Path, str]],
    pipeline: str | Path | None,
    nlp: Any,
    n_process: int,
    batch_size: int,
    max_chars: int,
    keep_text: Path | None,
) -> Iterator[dict[str, Any]]:
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
            inputs = (part for path, name in chunk for part in split_letters(_read_one(path, name, max_chars, keep_text)))
            yield from _records_in_process(nlp, inputs, batch_size, max_chars)


def _stream_records(
    nlp: Any,
    log: _FailureLog,
    inputs: Iterator[LetterInput],
    n_process: int,
    batch_size: int,
) -> Iterator[dict[str, Any]]:
    """The body of parse_records, run with ``log`` as the pipeline's error handler."""
    meta: dict[int, LetterInput] = {}
    source = enumerate(inputs)

    def settle(index: int) -> dict[str, Any]:
        """Record of an input the pipeline did not return: known failure or a retry."""
        inp = meta.pop(index)
        reason = log.failures.pop(index, None)
        if inp.error is not None:
            return error_record(inp)
        if reason is not None:
            return _failed(inp, reason)
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
                    yield error_record(inp)
                elif reason is not None:  # a component failed but the doc came back
                    yield _failed(inp, reason)
                else:
                    yield _letter_record(doc, inp)
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


def _failed(inp: LetterInput, reason: str) -> dict[str, Any]:
    return error_record(LetterInput(inp.id, inp.path, None, inp.warnings, reason))


@app.command("parse")
def parse(
    paths: list[Path] = typer.Argument(..., help="Letter files (.txt, .pdf) or folders (searched recursively)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Output file (default: JSON Lines on stdout)."),
    fmt: OutputFormat = typer.Option(
        OutputFormat.jsonl, "--format", "-f", help="jsonl: one object per letter; csv/parquet: one row per item."
    ),
    n_process: int = typer.Option(1, "--n-process", "-n", min=1, help="Worker processes (spaCy multiprocessing)."),
    batch_size: int = typer.Option(16, "--batch-size", min=1, help="Letters per batch sent to a worker."),
    pipeline: Path | None = typer.Option(
        None, "--pipeline", "-p", help="A pipeline directory saved with nlp.to_disk (default: the shipped one)."
    ),
    keep_text: Path | None = typer.Option(
        None, "--keep-text", help="Folder to save the text extracted from PDFs (offsets refer to it)."
    ),
    max_chars: int = typer.Option(MAX_CHARS, "--max-chars", min=1000, help="Read at most this many characters per file."),
    progress: bool | None = typer.Option(None, "--progress/--no-progress", help="Progress bar on stderr (default: when stderr is a terminal)."),
    mme_table: str | None = typer.Option(
        None, "--mme-table", help="MME conversion factors: cdc2016 (default) or cdc2022 (data/mme_factors.json)."
    ),
) -> None:
    """Parse IMR letters; one record per input, in input order."""
    if fmt is OutputFormat.parquet and output is None:
        raise typer.BadParameter("--format parquet needs --output FILE", param_hint="--output")
    nlp = None
    if mme_table is not None:
        from . import load
        from .normalize.mme import tables

        if mme_table not in tables():
            raise typer.BadParameter(f"choose one of {', '.join(tables())}", param_hint="--mme-table")
        nlp = load(pipeline)
        if "imr_items" in nlp.pipe_names:
            nlp.get_pipe("imr_items").mme_table = mme_table
    if keep_text is not None:
        keep_text.mkdir(parents=True, exist_ok=True)
    total = sum(1 for _ in iter_input_paths(paths))
    if total == 0:
        typer.echo("imr-nlp: no .txt or .pdf files found under the given paths", err=True)
        raise typer.Exit(2)
    records = parse_records(
        paths,
        pipeline=pipeline,
        nlp=nlp,
        n_process=n_process,
        batch_size=batch_size,
        max_chars=max_chars,
        keep_text=keep_text,
    )
    # The bar counts input files; a file holding several letters advances by 1/N per letter.
    bar = tqdm(total=total, unit="file", file=sys.stderr, disable=not progress if progress is not None else None)
    counts = {"ok": 0, "warned": 0, "failed": 0}

    def counted(stream: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for record in stream:
            counts[record_status(record)] += 1
            part = next((m for w in record["warnings"] if (m := _PART_OF.search(w))), None)
            bar.update(1 / int(part.group(1)) if part else 1)
            yield record

    stream = counted(records)
    if fmt is OutputFormat.jsonl:
        if output is None:
            try:
                for record in stream:
                    sys.stdout.write(srsly.json_dumps(record) + "\n")
                sys.stdout.flush()
            except BrokenPipeError:  # e.g. `imr-nlp parse DIR | head`: stop quietly, like Unix tools
                bar.close()
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
                raise typer.Exit(1) from None
        else:
            with output.open("w", encoding="utf8") as fh:
                for record in stream:
                    fh.write(srsly.json_dumps(record) + "\n")
    elif output is None:  # CSV on stdout
        try:
            writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            for record in stream:
                writer.writerows(item_rows(record))
            sys.stdout.flush()
        except BrokenPipeError:
            bar.close()
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(1) from None
    else:
        write_table((row for record in stream for row in item_rows(record)), output, fmt.value)
    bar.close()
    n_records = sum(counts.values())
    extra = f"; {n_records} letter records (files holding several letters give one per letter)" if n_records != total else ""
    _finish(total, counts["ok"], counts["warned"], counts["failed"], extra)


_PART_OF = re.compile(r"^the file holds (\d+) letters")  # split_letters' warning


def _finish(inputs: int, ok: int, warned: int, failed: int, extra: str = "") -> None:
    """The summary line on stderr; exit code 1 when any input failed."""
    typer.echo(
        f"imr-nlp: {inputs} inputs: {ok} parsed cleanly, {warned} with warnings, {failed} failed{extra}", err=True
    )
    if failed:
        raise typer.Exit(1)


@app.command("parse-dask")
def parse_dask(
    paths: Annotated[list[Path], typer.Argument(help="Letter files (.txt, .pdf) or folders (searched recursively).")],
    output_dir: Annotated[Path, typer.Option("--output-dir", "-o", help="Folder for part-NNNNN.parquet / .jsonl files.")],
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Address of a running Dask scheduler (default: start a local cluster).")
    ] = None,
    n_workers: Annotated[int, typer.Option("--n-workers", min=1, help="Worker processes of the local cluster.")] = 2,
    partition_size: Annotated[int, typer.Option("--partition-size", min=1, help="Letters per task / output file.")] = 200,
    pipeline: Annotated[
        Path | None,
        typer.Option("--pipeline", "-p", help="A pipeline directory saved with nlp.to_disk (default: the shipped one)."),
    ] = None,
    max_chars: Annotated[
        int, typer.Option("--max-chars", min=1000, help="Read at most this many characters per file.")
    ] = MAX_CHARS,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace part-* files left in --output-dir by an earlier run.")
    ] = False,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="Progress bar on stderr (default: when stderr is a terminal)."),
    ] = None,
) -> None:
    """Parse IMR letters on a Dask cluster: one Parquet (items) + one JSONL (letters) file per partition."""
    from .distributed import DaskMissingError, run_dask

    try:
        summary = run_dask(
            paths,
            output_dir,
            scheduler=scheduler,
            n_workers=n_workers,
            partition_size=partition_size,
            pipeline=pipeline,
            max_chars=max_chars,
            overwrite=overwrite,
            progress=progress,
        )
    except (DaskMissingError, FileExistsError) as err:
        typer.echo(f"imr-nlp: {err}", err=True)
        raise typer.Exit(2) from None
    if summary["inputs"] == 0:
        typer.echo("imr-nlp: no .txt or .pdf files found under the given paths", err=True)
        raise typer.Exit(2)
    lost = f"; {len(summary['lost_partitions'])} partition(s) failed on the cluster" if summary["lost_partitions"] else ""
    extra = f"; {summary['partitions']} partition(s) in {summary['output_dir']}{lost}"
    _finish(summary["inputs"], summary["ok"], summary["warned"], summary["failed"], extra)


@app.command("view")
def view(
    letter: Annotated[Path, typer.Argument(help="One letter (.pdf or .txt).")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="HTML file to write (default: <letter name>.html here).")
    ] = None,
    pipeline: Annotated[
        Path | None,
        typer.Option("--pipeline", "-p", help="A pipeline directory saved with nlp.to_disk (default: the shipped one)."),
    ] = None,
) -> None:
    """Write one self-contained HTML page for one letter: header, items table, coloured letter text."""
    from . import load
    from .view import view_letter

    try:
        html, record = view_letter(letter, nlp=load(pipeline))
    except ValueError as err:
        typer.echo(f"imr-nlp: {err}", err=True)
        raise typer.Exit(1) from None
    target = output or Path(f"{letter.stem}.html")
    target.write_text(html, encoding="utf8")
    typer.echo(
        f"imr-nlp: wrote {target} ({len(record['items'])} items, {len(record['entities'])} entities, "
        f"{len(record['warnings'])} warnings)",
        err=True,
    )


@app.command("report")
def report(
    records: Annotated[
        Path, typer.Argument(help="Output of imr-nlp parse: .jsonl, .parquet, or a parse-dask output folder.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path("report.html"),
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Also write the report's numbers as JSON to this file.")
    ] = None,
) -> None:
    """Write a self-contained corpus report (HTML; numbers as JSON with --json)."""
    from .report import read_records, report_html, summarize

    try:
        rows = read_records(records)
    except (OSError, ValueError) as err:
        typer.echo(f"imr-nlp: {err}", err=True)
        raise typer.Exit(2) from None
    summary = summarize(rows)
    output.write_text(report_html(summary, source=records.name), encoding="utf8")
    if json_path is not None:
        srsly.write_json(json_path, summary)
    typer.echo(
        f"imr-nlp: wrote {output} ({summary['letters']} letters, {summary['items']} items, {summary['errors']} errors)",
        err=True,
    )


@app.command("version")
def version() -> None:
    """Print the package version."""
    from . import __version__

    typer.echo(__version__)


def main() -> None:  # console-script entry point
    app()


if __name__ == "__main__":
    main()
