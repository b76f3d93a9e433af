"""Compare the two PDF readers: the records parsed from PDFium's text and from pypdf's.

For every PDF given (default: the 120 sample letters in samples/letters/**/pdf), the
letter is read with ``pdf_reader="pypdf"`` and with ``pdf_reader="pdfium"`` (no
fallback), both texts are parsed by the shipped pipeline and the two JSON records are
compared field by field: every key, the items (request, outcome, treatment fields,
guidelines, reasons ...), the warnings, the entities (label and text) and the
diagnoses. Offsets are into the text each reader extracted, so they may differ in
number: the comparison checks that every span's offsets index its own text exactly
(``text[start:end] == span text``), then drops the offsets and compares span texts with
runs of whitespace made one space (the readers differ in spacing inside a line).

Prints one line per letter that differs (with the first differences) and a summary, and
the time each reader took; exits 1 if any letter differs or any span's offsets are wrong.

    python scripts/compare_pdf_readers.py
    python scripts/compare_pdf_readers.py samples/letters/2016-2017/pdf --show 5

``--speed`` measures instead the batch path of ``imr-nlp parse`` (``parse_records``: read,
pipeline, JSON record; one process, pipeline loaded once) on the sample letters as text
(``txt/``), as PDF read with PDFium (the default: read ahead in a thread when more than
one core is usable), as PDF read with PDFium in the parsing thread (``--no-read-ahead``),
and as PDF read with pypdf only (as before PDFium). Runs are interleaved; the table gives
the best of ``--repeats`` and, steadier on a noisy machine, the median over the rounds of
each run's ratio to the text run of its round. Then the CPU time of reading a PDF alone
and of a text letter through the batch path, which the ratio without read-ahead follows:

    python scripts/compare_pdf_readers.py --speed
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PDFS = [
    ROOT / "samples" / "letters" / "2016-2017" / "pdf",
    ROOT / "samples" / "letters" / "2016-2017-batch2" / "pdf",
]

app = typer.Typer(add_completion=False, help=__doc__)


def normalised(value: Any, text: str, bad: list[str], where: str = "") -> Any:
    """``value`` (a record or part of it) without offsets and with spacing made uniform;
    every span whose offsets do not index ``text`` is reported in ``bad``."""
    if isinstance(value, dict):
        if isinstance(value.get("start"), int) and isinstance(value.get("end"), int) and "text" in value:
            if text[value["start"] : value["end"]] != value["text"]:
                bad.append(f"{where}: offsets {value['start']}-{value['end']} do not index {value['text']!r}")
        return {
            key: normalised(item, text, bad, f"{where}.{key}")
            for key, item in value.items()
            if key not in ("start", "end")
        }
    if isinstance(value, list):
        return [normalised(item, text, bad, f"{where}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, str):
        return " ".join(value.split())
    return value


def differences(a: Any, b: Any, where: str = "") -> list[str]:
    """Paths where two normalised records differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            out += differences(a.get(key), b.get(key), f"{where}.{key}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += differences(x, y, f"{where}[{i}]")
        return out
    return [] if a == b else [f"{where}: {a!r} != {b!r}"[:300]]


def compare_letter(nlp, pdf: Path) -> dict:
    """Both readers on one PDF: their records normalised, differences, offset errors, times."""
    from imr_nlp.inputs import read_letter
    from imr_nlp.output import to_dict

    result: dict[str, Any] = {"id": pdf.stem, "seconds": {}, "bad_offsets": []}
    records = {}
    for reader in ("pypdf", "pdfium"):
        start = time.perf_counter()
        letter = read_letter(pdf, pdf_reader=reader)
        result["seconds"][reader] = time.perf_counter() - start
        if letter.error is not None:
            records[reader] = {"error": letter.error}
            continue
        record = to_dict(nlp(letter.text), id=pdf.stem)
        record["reader_warnings"] = letter.warnings
        record["entity_labels"] = [[ent.label_, ent.text] for ent in nlp(letter.text).ents]
        bad: list[str] = []
        records[reader] = normalised(record, letter.text, bad)
        result["bad_offsets"] += [f"{reader}{b}" for b in bad]
    result["differences"] = differences(records["pypdf"], records["pdfium"])
    return result


def speed(pdfs: list[Path], repeats: int) -> None:
    """letters/s of parse_records on the text and on the PDFs of the same letters."""
    import imr_nlp
    from imr_nlp import pdfium_reader
    from imr_nlp.cli import parse_records

    texts = [pdf.parent.parent / "txt" / f"{pdf.stem}.txt" for pdf in pdfs]
    missing = [t for t in texts if not t.exists()]
    if missing:
        raise typer.BadParameter(f"no text file for {len(missing)} PDF(s), e.g. {missing[0]}")
    nlp = imr_nlp.load()
    fast = pdfium_reader.extract_text

    def run(paths: list[Path], pypdf_only: bool = False, read_ahead: bool | None = None) -> tuple[float, float]:
        pdfium_reader.extract_text = (lambda *args: None) if pypdf_only else fast  # None: pypdf reads
        try:
            start, start_cpu = time.perf_counter(), time.process_time()
            records = list(parse_records(paths, nlp=nlp, read_ahead=read_ahead))
            spent = (time.perf_counter() - start, time.process_time() - start_cpu)
        finally:
            pdfium_reader.extract_text = fast
        assert len(records) == len(paths) and not any("error" in r for r in records)
        return spent

    run(texts[:5])  # warm up
    runs = {
        "text": (texts, False, None),
        "pdf (PDFium, the default)": (pdfs, False, None),
        "pdf (PDFium, --no-read-ahead)": (pdfs, False, False),
        "pdf (pypdf only, no read-ahead)": (pdfs, True, False),
    }
    best = {name: [float("inf"), float("inf")] for name in runs}
    rounds: dict[str, list[float]] = {name: [] for name in runs}  # text / this, round by round
    for _ in range(repeats):
        text_wall = None
        for name, (paths, pypdf_only, read_ahead) in runs.items():
            wall, cpu = run(paths, pypdf_only, read_ahead)
            text_wall = text_wall or wall
            rounds[name].append(text_wall / wall)
            best[name] = [min(best[name][0], wall), min(best[name][1], cpu)]
    n = len(pdfs)
    from imr_nlp.batch import _usable_cpus

    print(f"parse_records, one process, {n} letters, best of {repeats}, {_usable_cpus()} usable CPUs")
    print("(ratio of rounds: the median over the rounds of text's time / this time in the same round)")
    print("| input | seconds | letters/s | ratio to text | ratio of rounds | CPU s | ratio to text (CPU) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    text_wall, text_cpu = best["text"]
    for name, (wall, cpu) in best.items():
        print(
            f"| {name} | {wall:.2f} | {n / wall:.1f} | {text_wall / wall:.2f} | {statistics.median(rounds[name]):.2f}"
            f" | {cpu:.2f} | {text_cpu / cpu:.2f} |"
        )
    from imr_nlp.inputs import read_letter

    reading = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        for pdf in pdfs:
            read_letter(pdf)
        reading = min(reading, time.process_time() - start)
    print(
        f"CPU a letter: reading a PDF (PDFium) {1000 * reading / n:.2f} ms; a text letter through "
        f"parse_records {1000 * text_cpu / n:.2f} ms (the ratio is about parse / (parse + read))"
    )


@app.command()
def main(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="PDF files or folders (default: the sample letters).")
    ] = None,
    show: Annotated[int, typer.Option(help="Differences shown per letter.")] = 3,
    speed_run: Annotated[
        bool, typer.Option("--speed", help="Measure letters/s instead (see above).")
    ] = False,
    repeats: Annotated[int, typer.Option(help="Repeats of --speed (best kept).")] = 3,
) -> None:
    import imr_nlp

    pdfs: list[Path] = []
    for path in paths or DEFAULT_PDFS:
        pdfs += sorted(path.rglob("*.pdf")) if path.is_dir() else [path]
    if speed_run:
        speed(pdfs, repeats)
        return
    nlp = imr_nlp.load()
    differing = 0
    offset_errors = 0
    seconds = {"pypdf": 0.0, "pdfium": 0.0}
    for pdf in pdfs:
        result = compare_letter(nlp, pdf)
        for reader, spent in result["seconds"].items():
            seconds[reader] += spent
        if result["differences"] or result["bad_offsets"]:
            differing += bool(result["differences"])
            offset_errors += len(result["bad_offsets"])
            print(
                f"{pdf}: {len(result['differences'])} difference(s), {len(result['bad_offsets'])} offset error(s)"
            )
            for line in (result["differences"] + result["bad_offsets"])[:show]:
                print(f"    {line}")
    n = len(pdfs)
    print(
        f"{n} PDFs: {n - differing} give the same record from PDFium's text as from pypdf's, {differing} differ;"
    )
    print(f"{offset_errors} span(s) whose offsets do not index the extracted text")
    print(
        f"reading: pypdf {seconds['pypdf']:.2f} s ({n / max(seconds['pypdf'], 1e-9):.1f} PDFs/s), "
        f"PDFium {seconds['pdfium']:.2f} s ({n / max(seconds['pdfium'], 1e-9):.1f} PDFs/s)"
    )
    sys.exit(1 if differing or offset_errors else 0)


if __name__ == "__main__":
    app()
