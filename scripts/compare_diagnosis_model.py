"""Rules / model / combined on the same letters: the trained DIAGNOSIS tagger's effect.

For the letters of one split (default ``eval``, from ``corpus/splits.json``), grouped by
where they come from, three pipelines are scored per label (exact and overlap, one-to-one
matching, ``imr_nlp.scoring``):

- **rules**: ``imr_nlp.load(rules_only=True)``;
- **model**: DIAGNOSIS is the tagger's output alone (``merge = "replace"``: rule DIAGNOSIS
  spans it does not predict are dropped; the tagger still reads the rules as features);
  the other labels are the rules';
- **combined**: the shipped setting (``merge = "add"``): the tagger corrects and adds to
  the rule DIAGNOSIS spans.

A letter whose ``meta.labels`` lists only some labels is scored on those labels only.

    python scripts/compare_diagnosis_model.py corpus/annotated --markdown metrics/diagnosis-model-eval.md \\
        --output metrics/diagnosis-model-eval.json
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from convert_corpus import load_split_file, read_records
from evaluate import write_outputs
from spacy.language import Language
from spacy.tokens import Doc

import imr_nlp
from imr_nlp.labels import REPORT_ORDER as LABELS
from imr_nlp.scoring import add_counts, count_matches, scores_from_counts

NAME = "imr_diagnosis_tagger"
GROUPS = {"2016-2017": "letters/2016-2017/", "2016-2017 batch 2": "letters/2016-2017-batch2/"}

app = typer.Typer(add_completion=False, help=__doc__)


def load_pipeline(weights: Path | None) -> Language:
    """The shipped pipeline; with ``weights`` the tagger's weights come from that folder."""
    nlp = imr_nlp.load()
    if NAME not in nlp.pipe_names:
        raise typer.BadParameter(f"the default pipeline has no {NAME}")
    if weights is not None:
        nlp.get_pipe(NAME).from_disk(weights, exclude=["vocab"])
    return nlp


def run_three(nlp: Language, records: list[dict]) -> dict[str, list[list[tuple[int, int, str]]]]:
    """Predicted ``(start, end, label)`` entities per letter for rules, model and combined."""
    tagger = nlp.get_pipe(NAME)
    with nlp.select_pipes(disable=[NAME]):
        rule_docs = list(nlp.pipe(r["text"] for r in records))
    blobs = [doc.to_bytes() for doc in rule_docs]
    out = {"rules": [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in rule_docs]}
    merge = tagger.merge
    for name, mode in (("model", "replace"), ("combined", merge)):
        tagger.merge = mode
        docs = tagger.pipe(Doc(nlp.vocab).from_bytes(b) for b in blobs)
        out[name] = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in docs]
    tagger.merge = merge
    return out


def score_group(records: list[dict], predictions: list[list[tuple[int, int, str]]]) -> dict:
    total: dict = {}
    for record, pred in zip(records, predictions, strict=True):
        labels = list((record.get("meta") or {}).get("labels") or LABELS)
        gold = [(s["start"], s["end"], s["label"]) for s in record["spans"]]
        add_counts(total, count_matches(gold, pred, labels))
    return scores_from_counts(total, list(LABELS))


def markdown(results: dict, counts: dict) -> str:
    lines = []
    for group, runs in results.items():
        lines += [
            f"### {group} ({counts[group]} letters)",
            "",
            "| | DIAGNOSIS exact F1 | DIAGNOSIS overlap P | DIAGNOSIS overlap R | DIAGNOSIS overlap F1 "
            "| micro exact F1 | micro overlap F1 | lowest label overlap F1 |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for name, scores in runs.items():
            de, do = scores["exact"]["per_label"]["DIAGNOSIS"], scores["overlap"]["per_label"]["DIAGNOSIS"]
            me, mo = scores["exact"]["micro"], scores["overlap"]["micro"]
            active = {k: v for k, v in scores["overlap"]["per_label"].items() if v["support"] or v["fp"]}
            low = min(active, key=lambda k: active[k]["f"]) if active else "-"
            low_text = f"{low} {active[low]['f']:.3f}" if active else "-"
            lines.append(
                f"| {name} | {de['f']:.3f} | {do['p']:.3f} | {do['r']:.3f} | {do['f']:.3f} "
                f"| {me['f']:.3f} | {mo['f']:.3f} | {low_text} |"
            )
        lines.append("")
    return "\n".join(lines)


@app.command()
def main(
    corpus: Annotated[list[Path], typer.Argument(help="Annotated span JSONL files or folders", exists=True)],
    split: Annotated[str, typer.Option(help="Which letters of splits.json to score")] = "eval",
    splits: Annotated[Path, typer.Option(help="Split file")] = Path("corpus/splits.json"),
    weights: Annotated[Path | None, typer.Option(help="Tagger weights folder (default: the shipped ones)")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the scores as JSON here")] = None,
    md: Annotated[Path | None, typer.Option("--markdown", "-m", help="Write the Markdown tables here")] = None,
    limit: Annotated[int, typer.Option(help="Score only the first N letters (0: all; for quick checks)")] = 0,
) -> None:
    """Print rules / model / combined scores per group of letters."""
    split_of = load_split_file(splits)
    records = [
        r for _, _, r in read_records(corpus)
        if split_of.get(str(r["meta"].get("source")), r["meta"].get("split", "train")) == split
    ]
    if limit > 0:
        records = records[:limit]
    if not records:
        raise typer.BadParameter(f"no {split} letters in {', '.join(map(str, corpus))}")
    nlp = load_pipeline(weights)
    predictions = run_three(nlp, records)
    groups = {name: [i for i, r in enumerate(records) if part in r["meta"]["source"]] for name, part in GROUPS.items()}
    groups = {name: ids for name, ids in groups.items() if ids}
    groups[f"all {split} letters"] = list(range(len(records)))
    results: dict = {}
    for group, ids in groups.items():
        results[group] = {
            run: score_group([records[i] for i in ids], [preds[i] for i in ids]) for run, preds in predictions.items()
        }
    counts = {group: len(ids) for group, ids in groups.items()}
    text = markdown(results, counts)
    write_outputs(text, md, output, {"split": split, "letters": counts, "runs": results})


if __name__ == "__main__":
    app()
