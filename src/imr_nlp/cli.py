"""``imr-nlp`` command line: parse folders of IMR letters into JSON Lines, CSV or Parquet."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import Any

import srsly
import typer
from tqdm import tqdm

from .inputs import LetterInput, error_record, iter_input_paths, looks_like_letter, read_letter
from .output import to_dict
from .tables import item_rows, write_table

app = typer.Typer(add_completion=False, help=__doc__, no_args_is_help=True)

NOT_A_LETTER = "does not look like an IMR determination letter"


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


def _texts(inputs: Iterable[LetterInput], meta: dict[int, LetterInput]) -> Iterator[tuple[str, int]]:
    """Feed the pipeline: each input's text (empty for failed reads) with its index as context."""
    for index, inp in enumerate(inputs):
        meta[index] = LetterInput(inp.id, inp.path, None, inp.warnings, inp.error)
        yield (inp.text or "", index)


def parse_records(
    paths: Iterable[str | Path],
    *,
    pipeline: str | Path | None = None,
    n_process: int = 1,
    batch_size: int = 16,
    max_chars: int = 2_000_000,
    keep_text: Path | None = None,
) -> Iterator[dict[str, Any]]:
    """One record per input path, in input order: a letter record or an error record.

    A letter the pipeline fails on yields an error record; the batch goes on.
    """
    from . import load

    nlp = load(pipeline)
    failures: dict[int, str] = {}

    def on_error(proc_name, proc, docs, exc) -> None:  # noqa: ANN001
        for doc in docs:
            index = doc._context if hasattr(doc, "_context") else None
            if isinstance(index, int):
                failures[index] = f"pipeline component {proc_name!r} failed: {exc!r}"

    nlp.set_error_handler(on_error)
    meta: dict[int, LetterInput] = {}
    inputs = (read_letter(path, max_chars=max_chars, keep_pdf_text=keep_text) for path in iter_input_paths(paths))
    expected = 0
    for doc, index in nlp.pipe(_texts(inputs, meta), as_tuples=True, n_process=n_process, batch_size=batch_size):
        while expected < index:  # documents the pipeline dropped after an error
            yield _failed(meta.pop(expected), failures.pop(expected, "pipeline failed on this letter"))
            expected += 1
        expected = index + 1
        inp = meta.pop(index)
        if inp.error is not None:
            yield error_record(inp)
            continue
        record = to_dict(doc, id=inp.id, path=inp.path)
        extra = list(inp.warnings)
        if not looks_like_letter(doc.text):
            extra.append(NOT_A_LETTER)
        record["warnings"] = extra + [w for w in record["warnings"] if w not in extra]
        yield record
    for index in sorted(meta):
        yield _failed(meta.pop(index), failures.pop(index, "pipeline failed on this letter"))


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
    max_chars: int = typer.Option(2_000_000, "--max-chars", min=1000, help="Read at most this many characters per file."),
    progress: bool | None = typer.Option(None, "--progress/--no-progress", help="Progress bar on stderr (default: when stderr is a terminal)."),
) -> None:
    """Parse IMR letters; one record per input, in input order."""
    if fmt is not OutputFormat.jsonl and output is None:
        raise typer.BadParameter("--format csv/parquet needs --output FILE", param_hint="--output")
    if keep_text is not None:
        keep_text.mkdir(parents=True, exist_ok=True)
    total = sum(1 for _ in iter_input_paths(paths))
    if total == 0:
        typer.echo("imr-nlp: no .txt or .pdf files found under the given paths", err=True)
        raise typer.Exit(2)
    records = parse_records(
        paths, pipeline=pipeline, n_process=n_process, batch_size=batch_size, max_chars=max_chars, keep_text=keep_text
    )
    bar = tqdm(records, total=total, unit="letter", file=sys.stderr, disable=not progress if progress is not None else None)
    counts = {"ok": 0, "warned": 0, "failed": 0}

    def counted(stream: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for record in stream:
            key = "failed" if "error" in record else ("warned" if record["warnings"] else "ok")
            counts[key] += 1
            yield record

    stream = counted(bar)
    if fmt is OutputFormat.jsonl:
        if output is None:
            for record in stream:
                sys.stdout.write(srsly.json_dumps(record) + "\n")
            sys.stdout.flush()
        else:
            with output.open("w", encoding="utf8") as fh:
                for record in stream:
                    fh.write(srsly.json_dumps(record) + "\n")
    else:
        write_table((row for record in stream for row in item_rows(record)), output, fmt.value)
    bar.close()
    typer.echo(
        f"imr-nlp: {total} inputs: {counts['ok']} parsed cleanly, {counts['warned']} with warnings, "
        f"{counts['failed']} failed",
        err=True,
    )
    if counts["failed"]:
        raise typer.Exit(1)


@app.command("version")
def version() -> None:
    """Print the package version."""
    from . import __version__

    typer.echo(__version__)


def main() -> None:  # console-script entry point
    app()


if __name__ == "__main__":
    main()
