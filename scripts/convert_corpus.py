"""Convert annotated letters (span JSONL) into spaCy ``.spacy`` training files.

Each input line is ``{"text", "spans": [{"start", "end", "label"}], "meta": {"source", ...}}``
(see corpus/README.md). Every span is validated first (in range, not starting or ending on
whitespace, no overlaps, known label); any error stops the conversion with a list of
``file:line`` messages. Splits come from ``corpus/splits.json`` (keyed by ``meta.source``),
else from ``meta.split``, else ``train``; ``--split`` forces one split for all records.
Every ``--dev-every``-th training letter (sorted by id) is moved to ``dev`` for tuning.

Spans are attached to spaCy tokens of ``spacy.blank(lang)`` -- the tokenizer the imr_nlp
pipeline uses. A span whose edges fall inside a token (e.g. "47-8" in "47-8,Chronic") is
shrunk to the tokens inside it (``alignment_mode="contract"``) and counted as a warning;
a span with no whole token inside is dropped and counted too. The gold JSONL of each split
is written next to the ``.spacy`` files, unchanged, for ``scripts/evaluate.py``.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Annotated

import spacy
import srsly
import typer
from spacy.tokens import DocBin

from imr_nlp.entity_rules import split_tokens_at
from imr_nlp.labels import REPORT_ORDER as LABELS

SPLITS = ("train", "dev", "eval")

app = typer.Typer(add_completion=False, help=__doc__)


def record_id(record: dict) -> str:
    """A stable id: ``meta.id``, else the stem of ``meta.source``."""
    meta = record.get("meta") or {}
    if meta.get("id"):
        return str(meta["id"])
    return Path(str(meta.get("source", ""))).stem


def validate_record(record: object, labels: tuple[str, ...] = LABELS) -> list[str]:
    """Problems of one annotated record (empty list when it is valid)."""
    if not isinstance(record, dict):
        return ["line is not a JSON object"]
    text = record.get("text")
    if not isinstance(text, str):
        return ['missing or non-string "text"']
    spans = record.get("spans", [])
    if not isinstance(spans, list):
        return ['"spans" is not a list']
    errors: list[str] = []
    good: list[tuple[int, int, str]] = []
    for i, span in enumerate(spans):
        where = f"span {i}"
        if not isinstance(span, dict) or not {"start", "end", "label"} <= set(span):
            errors.append(f'{where}: needs "start", "end" and "label"')
            continue
        start, end, label = span["start"], span["end"], span["label"]
        if (
            not (isinstance(start, int) and isinstance(end, int))
            or isinstance(start, bool)
            or isinstance(end, bool)
        ):
            errors.append(f"{where}: start/end must be integers")
            continue
        shown = repr(text[max(start, 0) : max(end, 0)][:60])
        where = f"span {i} [{start}:{end}] {label} {shown}"
        if label not in labels:
            errors.append(f"{where}: unknown label (expected one of {', '.join(labels)})")
        if not 0 <= start < end <= len(text):
            errors.append(f"{where}: offsets out of range for a text of {len(text)} characters")
            continue
        if text[start].isspace() or text[end - 1].isspace():
            errors.append(f"{where}: starts or ends on whitespace")
        good.append((start, end, label))
    good.sort()
    for (s1, e1, l1), (s2, e2, l2) in zip(good, good[1:], strict=False):
        if s2 < e1:
            errors.append(f"spans [{s1}:{e1}] {l1} and [{s2}:{e2}] {l2} overlap")
    return errors


def read_records(paths: list[Path]) -> list[tuple[str, int, dict]]:
    """``(file, line number, record)`` for every non-empty line of the JSONL inputs."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.jsonl")) if path.is_dir() else [path])
    rows = []
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                record = {"__error__": f"invalid JSON: {err}"}
            rows.append((str(file), number, record))
    return rows


def assign_splits(
    records: list[dict], splits: dict[str, str], forced: str | None, dev_every: int
) -> dict[str, list[dict]]:
    """Group records by split; every ``dev_every``-th train record (by id) becomes dev."""
    groups: dict[str, list[dict]] = {name: [] for name in SPLITS}
    for record in records:
        meta = record.get("meta") or {}
        split = forced or splits.get(str(meta.get("source", ""))) or meta.get("split") or "train"
        if split not in groups:
            raise typer.BadParameter(f"unknown split {split!r} for {record_id(record)}")
        groups[split].append(record)
    if not forced and dev_every > 0:
        ordered = sorted(groups["train"], key=record_id)
        groups["dev"] += [r for i, r in enumerate(ordered) if i % dev_every == dev_every - 1]
        groups["train"] = [r for i, r in enumerate(ordered) if i % dev_every != dev_every - 1]
    return groups


def load_split_file(path: Path | None) -> dict[str, str]:
    """``{source path: split}`` from ``splits.json`` (its ``"letters"`` mapping)."""
    if path is None or not path.exists():
        return {}
    data = srsly.read_json(path)
    return {str(source): str(split) for source, split in data.get("letters", {}).items()}


@app.command()
def main(
    inputs: Annotated[list[Path], typer.Argument(help="Span JSONL files or folders of them", exists=True)],
    output_dir: Annotated[
        Path, typer.Option("--output-dir", "-o", help="Where to write <split>.spacy")
    ] = Path("corpus/spacy"),
    splits_file: Annotated[
        Path | None, typer.Option("--splits", help="Split file mapping meta.source to train/eval")
    ] = Path("corpus/splits.json"),
    split: Annotated[
        str | None, typer.Option("--split", help="Put every record in this split (train/dev/eval)")
    ] = None,
    dev_every: Annotated[
        int, typer.Option("--dev-every", help="Move every Nth train letter to dev (0: never)")
    ] = 3,
    lang: Annotated[str, typer.Option("--lang", help="Language of the blank tokenizer")] = "en",
) -> None:
    """Validate annotated letters and write train/dev/eval ``.spacy`` and gold ``.jsonl`` files."""
    if split is not None and split not in SPLITS:
        raise typer.BadParameter(f"--split must be one of {', '.join(SPLITS)}")
    rows = read_records(inputs)
    errors = []
    for file, number, record in rows:
        problems = [record["__error__"]] if "__error__" in record else validate_record(record)
        errors += [f"{file}:{number}: {problem}" for problem in problems]
    if errors:
        for error in errors:
            typer.echo(f"ERROR {error}", err=True)
        typer.echo(f"{len(errors)} annotation error(s); nothing written.", err=True)
        raise typer.Exit(code=1)
    if not rows:
        typer.echo("No annotated records found.", err=True)
        raise typer.Exit(code=1)

    groups = assign_splits([r for _, _, r in rows], load_split_file(splits_file), split, dev_every)
    if not groups["dev"] and groups["train"]:
        typer.echo(
            "WARNING no dev letters: using the train letters as dev (dev scores are training scores).",
            err=True,
        )
        groups["dev"] = list(groups["train"])

    nlp = spacy.blank(lang)
    output_dir.mkdir(parents=True, exist_ok=True)
    warnings: Counter = Counter()
    labels: Counter = Counter()
    for name in SPLITS:
        docbin = DocBin(store_user_data=False)
        for record in groups[name]:
            doc = nlp.make_doc(record["text"])
            spans = sorted((s["start"], s["end"], s["label"]) for s in record["spans"])
            # Same token splits as the rule component ("#60.On" -> "#60" ".On"): gold edges
            # always fall on token boundaries, so no span is contracted or dropped.
            split_tokens_at(doc, spans)
            ents = []
            for start, end, label in spans:
                ent = doc.char_span(start, end, label=label)
                if ent is None:  # only whitespace-bounded spans, which validation rejects
                    warnings["not aligned to tokens, skipped"] += 1
                    continue
                ents.append(ent)
                labels[label] += 1
            doc.set_ents(ents, default="outside")
            docbin.add(doc)
        docbin.to_disk(output_dir / f"{name}.spacy")
        srsly.write_jsonl(output_dir / f"{name}.jsonl", groups[name])
        typer.echo(f"{name}: {len(groups[name])} letters -> {output_dir / (name + '.spacy')}")
    typer.echo("entities: " + ", ".join(f"{label} {labels[label]}" for label in LABELS))
    for what, count in warnings.items():
        typer.echo(f"WARNING {count} span(s) {what}", err=True)


if __name__ == "__main__":
    app()
