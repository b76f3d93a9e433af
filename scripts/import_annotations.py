"""Convert corrected annotation-tool exports back into corpus span JSONL.

Reads exports of the tasks written by ``scripts/preannotate.py`` after correction:

- span JSONL (Prodigy ``db-out``, or the corpus format): ``{"text", "spans": [...]}``;
  Prodigy records whose ``answer`` is not ``accept`` are skipped;
- doccano JSONL: ``{"text", "label": [[start, end, label], ...]}`` (or ``"entities"``);
- Label Studio JSON (a list of tasks): the latest annotation's ``labels`` results, else
  the predictions when nobody annotated the task.

The format is detected per record. Spans are checked as ``scripts/convert_corpus.py``
checks them (in range, no whitespace edge, no overlap, known label); any error stops the
import with ``file:record`` messages. The text must be unchanged: offsets point into it.

    python scripts/import_annotations.py export.jsonl -o corpus/annotated/mine.jsonl --annotator "your name"
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from convert_corpus import validate_record

app = typer.Typer(add_completion=False, help=__doc__)


def read_export(path: Path) -> list[dict]:
    """Records of a JSON list (Label Studio) or JSONL file (Prodigy, doccano, spans)."""
    text = path.read_text(encoding="utf8")
    if text.lstrip().startswith("["):
        return list(json.loads(text))
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _labelstudio_spans(task: dict) -> list[dict]:
    done = [a for a in task.get("annotations", []) if not a.get("was_cancelled")]
    source = done[-1]["result"] if done else (task.get("predictions") or [{"result": []}])[-1]["result"]
    spans = []
    for item in source:
        value = item.get("value", {})
        for label in value.get("labels", []):
            spans.append({"start": value["start"], "end": value["end"], "label": label})
    return spans


def to_record(raw: dict) -> dict | None:
    """One export record in corpus format (``None`` for a rejected Prodigy answer)."""
    if "data" in raw:  # Label Studio task
        data = raw["data"]
        meta = {k: data[k] for k in ("source", "id") if k in data}
        return {"text": data["text"], "spans": _labelstudio_spans(raw), "meta": meta}
    if raw.get("answer") not in (None, "accept"):
        return None
    meta = dict(raw.get("meta") or {})
    if "spans" in raw:
        spans = [{"start": s["start"], "end": s["end"], "label": s["label"]} for s in raw["spans"]]
    else:
        pairs = raw.get("label", raw.get("entities", []))
        spans = []
        for item in pairs:
            if isinstance(item, dict):  # doccano's "entities" export
                spans.append({"start": item["start_offset"], "end": item["end_offset"], "label": item["label"]})
            else:
                spans.append({"start": item[0], "end": item[1], "label": item[2]})
    return {"text": raw["text"], "spans": spans, "meta": meta}


@app.command()
def main(
    exports: Annotated[list[Path], typer.Argument(help="Corrected exports (JSONL or Label Studio JSON)", exists=True)],
    output: Annotated[Path, typer.Option("--output", "-o", help="Corpus file to write (corpus/annotated/NAME.jsonl)")],
    annotator: Annotated[str, typer.Option(help="meta.annotator of the imported letters")] = "imported",
    split: Annotated[str | None, typer.Option(help="meta.split (train or eval) for letters splits.json does not list")] = None,
) -> None:
    """Validate the corrected annotations and write them in corpus format."""
    records, errors = [], []
    for path in exports:
        for number, raw in enumerate(read_export(path), start=1):
            record = to_record(raw)
            if record is None:
                continue
            record["meta"]["annotator"] = record["meta"].get("annotator") if record["meta"].get(
                "annotator", "").strip() not in ("", "imr_nlp pre-annotation") else annotator
            if split:
                record["meta"]["split"] = split
            record["spans"].sort(key=lambda s: (s["start"], s["end"]))
            errors += [f"{path}:{number}: {problem}" for problem in validate_record(record)]
            records.append(record)
    if errors:
        for error in errors:
            typer.echo(f"ERROR {error}", err=True)
        typer.echo(f"{len(errors)} annotation error(s); nothing written.", err=True)
        raise typer.Exit(code=1)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf8")
    typer.echo(f"{len(records)} letters, {sum(len(r['spans']) for r in records)} spans -> {output}")


if __name__ == "__main__":
    app()
