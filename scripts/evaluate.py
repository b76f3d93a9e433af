"""Score a pipeline's entities against annotated letters (span JSONL), per label.

Reports precision / recall / F1 for EXACT span match and OVERLAP match (same label, at
least one shared character, one-to-one), per label with micro and macro averages, as a
Markdown table (stdout, or ``--markdown FILE``) and as JSON (``--output FILE``).

Compare rules and model: ``--disable ner`` scores the rules alone, ``--disable
imr_entity_rules`` the model alone; ``--compare`` runs combined / rules-only / model-only
in one go (components named by ``--model-component`` and ``--rule-component``).
Gold offsets are characters of the letter text, which the pipeline gets unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

import srsly
import typer
from spacy.language import Language

import imr_nlp
from imr_nlp.labels import REPORT_ORDER as LABELS
from imr_nlp.scoring import MODES, add_counts, count_matches, scores_from_counts

app = typer.Typer(add_completion=False, help=__doc__)


def read_gold(paths: Iterable[Path]) -> list[dict]:
    """Annotated records of JSONL files (folders: every ``*.jsonl`` inside)."""
    records: list[dict] = []
    for path in paths:
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        for file in files:
            records.extend(srsly.read_jsonl(file))
    return records


def evaluate_pipeline(
    nlp: Language, records: list[dict], labels: list[str] | None = None, disable: Iterable[str] = ()
) -> dict[str, Any]:
    """Scores of ``doc.ents`` against ``records[i]["spans"]``, with ``disable``d components off."""
    disable = [name for name in disable if name in nlp.pipe_names]
    total: dict = {}
    with nlp.select_pipes(disable=disable):
        docs = nlp.pipe(record["text"] for record in records)
        for record, doc in zip(records, docs, strict=True):
            gold = [(s["start"], s["end"], s["label"]) for s in record["spans"]]
            pred = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
            add_counts(total, count_matches(gold, pred, labels))
    report_labels = list(labels) if labels else list(LABELS)
    if not labels:  # labels outside the seven, if a pipeline or gold file has any
        report_labels += sorted({label for m in MODES for label in total.get(m, {})} - set(LABELS))
    scores = scores_from_counts(total, report_labels)
    return {"docs": len(records), "disabled": disable, "pipeline": nlp.pipe_names, "scores": scores}


def markdown_table(result: dict[str, Any], title: str) -> str:
    """One Markdown table: a row per label, then micro and macro rows."""
    scores = result["scores"]
    lines = [
        f"### {title} ({result['docs']} letters; disabled: {', '.join(result['disabled']) or 'none'})",
        "",
        "| label | gold | pred | exact P | exact R | exact F | overlap P | overlap R | overlap F |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]

    def cells(exact: dict, overlap: dict) -> str:
        return " | ".join(f"{cell[k]:.3f}" for cell in (exact, overlap) for k in ("p", "r", "f"))

    for label, exact in scores["exact"]["per_label"].items():
        overlap = scores["overlap"]["per_label"][label]
        pred = exact["tp"] + exact["fp"]
        lines.append(f"| {label} | {exact['support']} | {pred} | {cells(exact, overlap)} |")
    micro_e, micro_o = scores["exact"]["micro"], scores["overlap"]["micro"]
    lines.append(
        f"| **micro** | {micro_e['support']} | {micro_e['tp'] + micro_e['fp']} | {cells(micro_e, micro_o)} |"
    )
    lines.append(f"| **macro** | | | {cells(scores['exact']['macro'], scores['overlap']['macro'])} |")
    return "\n".join(lines) + "\n"


def write_outputs(text: str, markdown: Path | None, output: Path | None, data: Any) -> None:
    """Print ``text``; also write it to ``markdown`` and ``data`` as JSON to ``output`` when given."""
    typer.echo(text)
    if markdown is not None:
        markdown.parent.mkdir(parents=True, exist_ok=True)
        markdown.write_text(text, encoding="utf8")
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        srsly.write_json(output, data)


@app.command()
def main(
    gold: Annotated[
        list[Path], typer.Argument(help="Span JSONL files (or folders) with the gold entities", exists=True)
    ],
    pipeline: Annotated[
        Path | None, typer.Option("--pipeline", "-p", help="Pipeline dir or .cfg (default: imr_nlp.load())")
    ] = None,
    labels: Annotated[
        str | None, typer.Option("--labels", "-l", help="Comma-separated labels to score")
    ] = None,
    disable: Annotated[
        list[str] | None, typer.Option("--disable", "-d", help="Component to switch off (repeatable)")
    ] = None,
    compare: Annotated[
        bool, typer.Option("--compare", help="Score combined, rules-only and model-only")
    ] = False,
    model_component: Annotated[str, typer.Option(help="Trained entity component (for --compare)")] = "ner",
    rule_component: Annotated[
        str, typer.Option(help="Rule entity component (for --compare)")
    ] = "imr_entity_rules",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the scores as JSON here")
    ] = None,
    markdown: Annotated[
        Path | None, typer.Option("--markdown", "-m", help="Write the Markdown tables here")
    ] = None,
) -> None:
    """Print per-label exact/overlap precision, recall and F1 of a pipeline on annotated letters."""
    records = read_gold(gold)
    disable = list(disable or [])
    if not records:
        typer.echo("WARNING no annotated letters in the gold files; nothing to score.", err=True)
    nlp = imr_nlp.load(pipeline)
    wanted = [label.strip() for label in labels.split(",") if label.strip()] if labels else None
    runs: dict[str, list[str]] = {"pipeline": list(disable)}
    if compare:
        present = set(nlp.pipe_names)
        runs = {"combined": list(disable)}
        if model_component in present:
            runs["rules only"] = list(disable) + [model_component]
        if rule_component in present:
            runs["model only"] = list(disable) + [rule_component]
        missing = {model_component, rule_component} - present
        if missing:
            typer.echo(f"WARNING not in the pipeline: {', '.join(sorted(missing))}", err=True)
    results = {name: evaluate_pipeline(nlp, records, wanted, off) for name, off in runs.items()}
    text = "\n".join(markdown_table(result, name) for name, result in results.items())
    write_outputs(text, markdown, output, {"gold": [str(p) for p in gold], "runs": results})


if __name__ == "__main__":
    app()
