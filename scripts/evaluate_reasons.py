"""Score the reasons of item rationales against gold records: rules, model, combined.

    python scripts/evaluate_reasons.py corpus/reasons/eval.jsonl [--pipeline training/reasons/model-best] \
        --markdown metrics/reasons-eval.md --json metrics/reasons-eval.json

Gold records are the annotated rationales (corpus/reasons/README.md). Every variant reads the
same rationale text and item outcome: "rules" is ``imr_reasons_rules`` (the shipped default);
with ``--pipeline`` (a trained ``imr_reasons``) or ``--weights`` (``data:reasons_weights.npz``: the
shipped ones), "model" is its own decision (with the rule hits as features when it was
trained with them) and "model + rules union" adds the rule reasons it missed (with rule
features: ``rules = "both"``, the shipped setting). Item-level precision, recall and
F1 per reason and micro over reasons; "evidence" is the share of correct reasons whose
evidence sentence is the gold one.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import srsly
from train_reasons import markdown_table, predict, rules_predict

from imr_nlp.normalize.reasons import REASONS, score_reasons


def per_reason_rows(scores: dict[str, dict]) -> str:
    """P / R / F1 per reason of each variant (gold counts first)."""
    variants = list(scores)
    first = scores[variants[0]]
    lines = ["| reason | gold | " + " | ".join(f"{v} P / R / F1" for v in variants) + " |",
             "| --- | ---: | " + " | ".join("---:" for _ in variants) + " |"]
    for reason in REASONS:
        cells = [f"{scores[v]['per_reason'][reason]['p']:.2f} / {scores[v]['per_reason'][reason]['r']:.2f} / "
                 f"**{scores[v]['per_reason'][reason]['f']:.2f}**" for v in variants]
        lines.append(f"| {reason} | {first['per_reason'][reason]['gold']} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold", type=Path, nargs="+")
    parser.add_argument("--pipeline", type=Path, help="a trained imr_reasons pipeline (spacy train output)")
    parser.add_argument("--weights", help="or trained imr_reasons weights (.npz path, or data:NAME for the packaged ones)")
    parser.add_argument("--markdown", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    records = [r for path in args.gold for r in srsly.read_jsonl(path)]
    gold = [r["spans"] for r in records]
    scores = {"rules": score_reasons(gold, rules_predict(records))}
    if args.pipeline or args.weights:
        import spacy

        if args.pipeline:
            nlp = spacy.load(args.pipeline)
        else:
            nlp = spacy.blank("en")
            nlp.add_pipe("imr_reasons", config={"weights": args.weights})
        component = nlp.get_pipe("imr_reasons")
        trained_mode = component.rules
        with_rules = trained_mode in ("features", "both")
        component.rules = "features" if with_rules else "none"
        scores["model (+ rule features)" if with_rules else "model"] = score_reasons(gold, predict(nlp, records))
        component.rules = "both" if with_rules else "union"
        scores["model + rules union"] = score_reasons(gold, predict(nlp, records))
        component.rules = trained_mode
    names = ", ".join(str(p) for p in args.gold)
    text = markdown_table(scores, f"{len(records)} items of {names}") + "\n" + per_reason_rows(scores)
    print(text)
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(text, encoding="utf8")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(scores, indent=2), encoding="utf8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
