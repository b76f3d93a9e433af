"""Learning curve: train the DIAGNOSIS tagger on 25/50/75/100% of the training letters and
score rules + tagger on the evaluation letters.

Each fraction draws its training letters at random (``--seeds`` draws per fraction, the
scores averaged); the tagger is trained exactly as ``train_diagnosis_tagger.py --final``
does and scored as ``compare_diagnosis_model.py`` scores the combined pipeline. The rules
alone are the 0% row.

    python scripts/learning_curve.py corpus/annotated --markdown metrics/learning-curve.md \\
        --output metrics/learning-curve.json
"""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from compare_diagnosis_model import GROUPS, load_pipeline, run_three, score_group
from convert_corpus import load_split_file, read_records, record_id
from evaluate import write_outputs
from train_diagnosis_tagger import (
    NAME,
    build_nlp,
    cross_fitted_docs,
    make_examples,
    train,
    training_records,
)

app = typer.Typer(add_completion=False, help=__doc__)


def summary(scores: dict) -> dict:
    de, do = scores["exact"]["per_label"]["DIAGNOSIS"], scores["overlap"]["per_label"]["DIAGNOSIS"]
    return {"diagnosis_exact_f": de["f"], "diagnosis_overlap_r": do["r"], "diagnosis_overlap_f": do["f"],
            "micro_exact_f": scores["exact"]["micro"]["f"]}


@app.command()
def main(
    corpus: Annotated[list[Path], typer.Argument(help="Annotated span JSONL files or folders", exists=True)],
    fractions: Annotated[str, typer.Option(help="Fractions of the training letters")] = "0.25,0.5,0.75,1.0",
    seeds: Annotated[int, typer.Option(help="Random draws per fraction below 1")] = 2,
    epochs: Annotated[int, typer.Option(help="Epochs (as the shipped model)")] = 10,
    learn_rate: Annotated[float, typer.Option(help="Adam learning rate")] = 0.03,
    fresh_weight: Annotated[int, typer.Option(help="Copies of each fresh letter")] = 1,
    splits: Annotated[Path, typer.Option(help="Split file")] = Path("corpus/splits.json"),
    output: Annotated[Path | None, typer.Option("--output", "-o", help="JSON results")] = None,
    md: Annotated[Path | None, typer.Option("--markdown", "-m", help="Markdown table")] = None,
) -> None:
    """Print the combined scores on the evaluation letters per training fraction."""
    split_of = load_split_file(splits)
    eval_records = [
        r for _, _, r in read_records(corpus)
        if split_of.get(str(r["meta"].get("source")), r["meta"].get("split", "train")) == "eval"
    ]
    groups = {name: [i for i, r in enumerate(eval_records) if part in r["meta"]["source"]] for name, part in GROUPS.items()}
    groups = {name: ids for name, ids in groups.items() if ids}
    groups["all eval letters"] = list(range(len(eval_records)))
    all_train = sorted(training_records(corpus, splits, 0)["train"], key=record_id)
    nlp = build_nlp()
    scorer = load_pipeline(None)
    rows = []

    def evaluate(weights: Path | None) -> dict:
        if weights is not None:
            scorer.get_pipe(NAME).from_disk(weights, exclude=["vocab"])
        preds = run_three(scorer, eval_records)
        rule_or_combined = preds["rules"] if weights is None else preds["combined"]
        return {g: summary(score_group([eval_records[i] for i in ids], [rule_or_combined[i] for i in ids]))
                for g, ids in groups.items()}

    rows.append({"fraction": 0.0, "letters": 0, "scores": evaluate(None)})
    for fraction in (float(f) for f in fractions.split(",")):
        draws = 1 if fraction >= 1.0 else seeds
        results = []
        for seed in range(draws):
            keep = max(1, round(len(all_train) * fraction))
            chosen = sorted(random.Random(seed).sample(all_train, keep), key=record_id)
            docs = cross_fitted_docs(nlp, chosen, "2016-2017-batch2", 4, seed)
            examples = make_examples(nlp, chosen, docs)
            examples += [eg for eg, r in zip(examples, chosen, strict=True)
                         if "2016-2017-batch2" in r["meta"]["source"]] * (fresh_weight - 1)
            train(nlp, examples, epochs, seed, learn_rate, 4)
            with tempfile.TemporaryDirectory() as tmp:
                nlp.get_pipe(NAME).to_disk(tmp, exclude=["vocab"])
                results.append(evaluate(Path(tmp)))
        mean = {g: {k: sum(r[g][k] for r in results) / len(results) for k in results[0][g]} for g in groups}
        rows.append({"fraction": fraction, "letters": keep, "draws": draws, "scores": mean})
        typer.echo(json.dumps(rows[-1]))
    lines = [
        "| training letters | " + " | ".join(f"{g}: DIAGNOSIS exact F1 / micro exact F1" for g in groups) + " |",
        "| --- | " + " | ".join("---:" for _ in groups) + " |",
    ]
    for row in rows:
        name = "0 (rules only)" if row["fraction"] == 0 else f"{row['letters']} ({row['fraction']:.0%})"
        cells = [f"{row['scores'][g]['diagnosis_exact_f']:.3f} / {row['scores'][g]['micro_exact_f']:.3f}" for g in groups]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    text = "\n".join(lines) + "\n"
    write_outputs(text, md, output, rows)


if __name__ == "__main__":
    app()
