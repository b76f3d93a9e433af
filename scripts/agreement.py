"""Inter-annotator agreement: exact and overlap F1 per label between two annotations.

Letters are matched by ``meta.id`` (else ``meta.source``); only labels that the second
file's ``meta.labels`` lists are compared (all seven when it has none), and only the
letters both files hold. F1 is symmetric, so which file is "gold" does not matter.

    python scripts/agreement.py corpus/annotated/batch2_eval.jsonl corpus/agreement/batch2_eval_iaa_a.jsonl
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import srsly
import typer
from evaluate import write_outputs

from imr_nlp.labels import REPORT_ORDER as LABELS
from imr_nlp.scoring import add_counts, count_matches, scores_from_counts

app = typer.Typer(add_completion=False, help=__doc__)


def key(record: dict) -> str:
    meta = record.get("meta") or {}
    return str(meta.get("id") or meta.get("source"))


def agreement(first: list[dict], second: list[dict]) -> dict:
    """Scores of ``second`` against ``first`` on their shared letters and ``second``'s labels."""
    by_key = {key(r): r for r in first}
    total: dict = {}
    labels: list[str] = []
    letters = 0
    for record in second:
        other = by_key.get(key(record))
        if other is None:
            continue
        if other["text"] != record["text"]:
            raise typer.BadParameter(f"{key(record)}: the two files hold different texts")
        wanted = list((record.get("meta") or {}).get("labels") or LABELS)
        labels += [label for label in wanted if label not in labels]
        gold = [(s["start"], s["end"], s["label"]) for s in other["spans"]]
        pred = [(s["start"], s["end"], s["label"]) for s in record["spans"]]
        add_counts(total, count_matches(gold, pred, wanted))
        letters += 1
    ordered = [label for label in LABELS if label in labels]
    return {"letters": letters, "labels": ordered, "scores": scores_from_counts(total, ordered)}


def markdown(result: dict, title: str) -> str:
    scores = result["scores"]
    lines = [
        f"### {title} ({result['letters']} letters)",
        "",
        "| label | spans (file 1) | spans (file 2) | exact F1 | overlap F1 |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label in result["labels"]:
        e, o = scores["exact"]["per_label"][label], scores["overlap"]["per_label"][label]
        lines.append(f"| {label} | {e['support']} | {e['tp'] + e['fp']} | {e['f']:.3f} | {o['f']:.3f} |")
    e, o = scores["exact"]["micro"], scores["overlap"]["micro"]
    lines.append(f"| **micro** | {e['support']} | {e['tp'] + e['fp']} | {e['f']:.3f} | {o['f']:.3f} |")
    return "\n".join(lines) + "\n"


@app.command()
def main(
    first: Annotated[Path, typer.Argument(help="One annotation (span JSONL)", exists=True)],
    second: Annotated[Path, typer.Argument(help="The other annotation (its meta.labels say what was annotated)", exists=True)],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the scores as JSON here")] = None,
    md: Annotated[Path | None, typer.Option("--markdown", "-m", help="Write the Markdown table here")] = None,
) -> None:
    """Print exact/overlap agreement per label."""
    result = agreement(list(srsly.read_jsonl(first)), list(srsly.read_jsonl(second)))
    text = markdown(result, f"Agreement of {second.name} with {first.name}")
    write_outputs(text, md, output, result)


if __name__ == "__main__":
    app()
