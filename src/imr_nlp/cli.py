"""``imr-nlp`` command line: parse folders of IMR letters into JSON Lines, CSV or Parquet;
view one letter or report on a corpus as a self-contained HTML page."""

from __future__ import annotations

import csv
import os
import re
import sys
from collections.abc import Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated

import srsly
import typer
from tqdm import tqdm

from .batch import NOT_A_LETTER, parse_records, record_status
from .inputs import iter_input_paths
from .records import Record
from .resources import MAX_CHARS
from .tables import COLUMNS, item_rows, write_table

__all__ = ["app", "main", "parse_records", "NOT_A_LETTER"]  # the batch engine lives in imr_nlp.batch

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


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


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
    read_ahead: bool | None = typer.Option(
        None,
        "--read-ahead/--no-read-ahead",
        help="Read files in a background thread while letters are parsed (default: when one process "
        "runs on a machine with more than one core and the inputs include PDFs).",
    ),
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
        read_ahead=read_ahead,
    )
    # The bar counts input files; a file holding several letters advances by 1/N per letter.
    bar = tqdm(total=total, unit="file", file=sys.stderr, disable=not progress if progress is not None else None)
    counts = {"ok": 0, "warned": 0, "failed": 0}

    def counted(stream: Iterable[Record]) -> Iterator[Record]:
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
