"""Pre-annotate new letters with the current pipeline, for correction in an annotation tool.

Reads a folder (or files) of letters (``.txt`` or ``.pdf``; PDFs through the same text
extraction as ``imr-nlp parse``), runs ``imr_nlp.load()`` (or ``--pipeline``) and writes
one task per letter in the format a tool imports:

- ``spans`` (default, ``*.jsonl``): ``{"text", "spans": [{"start", "end", "label", "text"}],
  "meta"}`` -- the corpus format (corpus/README.md); Prodigy's ``ner.manual`` reads it as is;
- ``doccano`` (``*.jsonl``): ``{"text", "label": [[start, end, label], ...], "meta"}``,
  doccano's sequence-labeling JSONL;
- ``labelstudio`` (``*.json``): a list of tasks ``{"data": {"text", "source", "id"},
  "predictions": [{"model_version", "result": [...]}]}`` for the labeling config
  ``configs/labelstudio.xml``.

Offsets are characters of the text written in the task (the letter as the pipeline reads
it), so corrected files convert back with ``scripts/import_annotations.py``.

    python scripts/preannotate.py new_letters/ -o annotation/tasks.jsonl
    python scripts/preannotate.py new_letters/ -o annotation/tasks --format labelstudio   # annotation/tasks.labelstudio.json
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

import imr_nlp
from imr_nlp.inputs import iter_input_paths, letter_ids, read_letter
from imr_nlp.labels import REPORT_ORDER as LABELS

FORMATS = ("spans", "doccano", "labelstudio")

app = typer.Typer(add_completion=False, help=__doc__)


def relative_source(path: Path, root: Path) -> str:
    """The letter's path relative to ``root`` when it lies inside it (as ``meta.source``)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def to_task(record: dict, fmt: str, model_version: str) -> dict:
    """One corpus-format record as a task of ``fmt``."""
    if fmt == "spans":
        return record
    if fmt == "doccano":
        label = [[s["start"], s["end"], s["label"]] for s in record["spans"]]
        return {"text": record["text"], "label": label, "meta": record["meta"]}
    result = [
        {
            "id": f"p{i}",
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": {"start": s["start"], "end": s["end"], "text": s["text"], "labels": [s["label"]]},
        }
        for i, s in enumerate(record["spans"])
    ]
    return {
        "data": {"text": record["text"], **{k: record["meta"][k] for k in ("source", "id")}},
        "predictions": [{"model_version": model_version, "result": result}],
    }


@app.command()
def main(
    inputs: Annotated[list[Path], typer.Argument(help="Letters (.txt/.pdf) or folders of them", exists=True)],
    output: Annotated[Path, typer.Option("--output", "-o", help="Tasks file (without .json/.jsonl: <output>.<format>.jsonl, .json for labelstudio)")],
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"One of {', '.join(FORMATS)}")] = "spans",
    pipeline: Annotated[
        Path | None, typer.Option("--pipeline", "-p", help="Pipeline dir or .cfg (default: imr_nlp.load())")
    ] = None,
    root: Annotated[Path, typer.Option(help="meta.source is relative to this folder")] = Path("."),
    split: Annotated[
        str | None, typer.Option(help="meta.split of the new letters (train or eval) unless splits.json lists them")
    ] = None,
) -> None:
    """Write pre-annotated tasks for the letters in ``inputs``."""
    if fmt not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    paths = list(iter_input_paths(inputs))
    nlp = imr_nlp.load(pipeline)
    records = []
    for path, letter_id in zip(paths, letter_ids(paths), strict=True):
        letter = read_letter(path, id=letter_id)
        if letter.text is None:
            typer.echo(f"WARNING skipped {path}: {letter.error}", err=True)
            continue
        doc = nlp(letter.text)
        spans = [
            {"start": e.start_char, "end": e.end_char, "label": e.label_, "text": e.text}
            for e in doc.ents if e.label_ in LABELS
        ]
        meta = {"source": relative_source(path, root), "id": letter.id, "annotator": "imr_nlp pre-annotation",
                "guidelines": "corpus/README.md"}
        if split:
            meta["split"] = split
        records.append({"text": letter.text, "spans": spans, "meta": meta})
    version = f"imr_nlp {imr_nlp.__version__} ({'+'.join(nlp.pipe_names)})"
    tasks = [to_task(r, fmt, version) for r in records]
    if output.suffix not in (".json", ".jsonl"):
        output = output.with_name(f"{output.name}.{fmt}.{'json' if fmt == 'labelstudio' else 'jsonl'}")
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "labelstudio":
        output.write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf8")
    else:
        output.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in tasks), encoding="utf8")
    typer.echo(f"{len(tasks)} letters, {sum(len(r['spans']) for r in records)} spans -> {output} ({fmt})")


if __name__ == "__main__":
    app()
