"""Train the reason classifier ``imr_reasons`` and compare rules / model / combined.

    python scripts/train_reasons.py corpus/reasons/train.jsonl --output src/imr_nlp/data/reasons_weights.npz
    python scripts/train_reasons.py corpus/reasons/train.jsonl --cv 5 --markdown metrics/reasons-cv.md

Training is in-process (``nlp.update`` on rationale docs, the same component ``spacy train``
uses with ``configs/reasons.cfg``). ``--cv K`` splits the training records by letter into K
folds, trains on K-1 and predicts the held-out fold, for every variant: the rules alone,
the model alone (``rules = "none"``), the model with rule hits as features
(``"features"``), and the model plus the rule reasons it missed (``"union"``); the
held-out predictions of all folds are scored together (item-level F1 per reason).
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import spacy
import srsly
from thinc.api import SGD, Adam

from imr_nlp.normalize.reasons import REASONS, rule_reasons, score_reasons
from imr_nlp.reasons_model import rationale_docs

VARIANTS = ("rules", "model", "model+rule features", "model+rules union")
_MODES = {"model": "none", "model+rule features": "features", "model+rules union": "union"}


def train(records: list[dict], *, rules: str = "features", epochs: int = 30, n_bits: int = 16,
          learn_rate: float = 0.05, l2: float = 1e-3, optimizer_name: str = "sgd", batch_size: int = 16, threshold: float = 0.15, seed: int = 0):
    """A blank pipeline with a trained ``imr_reasons`` (returns ``nlp``)."""
    spacy.util.fix_random_seed(seed)
    nlp = spacy.blank("en")
    nlp.add_pipe("imr_reasons", config={"rules": rules, "threshold": threshold,
                                         "model": {"@architectures": "imr_nlp.HashedSentenceScorer.v1", "n_bits": n_bits}})
    examples = list(rationale_docs(nlp, records))
    # Plain SGD: Adam gives every rare word feature the same step size as a rule-hit or
    # outcome feature and the model then memorizes words (3-fold dev micro F1 0.70 vs 0.88).
    # No gradient clipping (the loss is summed over sentences), no parameter averaging.
    if optimizer_name == "sgd":
        optimizer = SGD(learn_rate=learn_rate, L2=l2, L2_is_weight_decay=True, grad_clip=0.0, use_averages=False)
    else:
        optimizer = Adam(learn_rate=learn_rate, L2=l2, L2_is_weight_decay=True, grad_clip=0.0, use_averages=False)
    nlp.initialize(lambda: examples, sgd=optimizer)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(examples)
        for start in range(0, len(examples), batch_size):
            nlp.update(examples[start : start + batch_size], sgd=optimizer, drop=0.0)
    return nlp


def predict(nlp, records: list[dict]) -> list[list[dict]]:
    """Reasons predicted for each record's rationale (offsets into the rationale text)."""
    component = nlp.get_pipe("imr_reasons")
    docs = [eg.predicted for eg in rationale_docs(nlp, records)]
    return [component.decide(rationales[0], probs[0]) if rationales else []
            for rationales, probs in component.predict(docs)]


def rules_predict(records: list[dict]) -> list[list[dict]]:
    return [rule_reasons(r["text"], r["meta"]["outcome"]) for r in records]


def folds(records: list[dict], k: int) -> list[list[int]]:
    """Record indices per fold, whole letters per fold (letters in sorted order, dealt round-robin)."""
    letters = sorted({r["meta"]["source"] for r in records})
    fold_of = {letter: i % k for i, letter in enumerate(letters)}
    return [[i for i, r in enumerate(records) if fold_of[r["meta"]["source"]] == f] for f in range(k)]


def cross_validate(records: list[dict], k: int, **train_args) -> dict[str, dict]:
    predictions = {v: [None] * len(records) for v in VARIANTS}
    for held in folds(records, k):
        held_set = set(held)
        train_records = [r for i, r in enumerate(records) if i not in held_set]
        test_records = [records[i] for i in held]
        for i, pred in zip(held, rules_predict(test_records), strict=True):
            predictions["rules"][i] = pred
        for variant, mode in _MODES.items():
            nlp = train(train_records, rules=mode, **train_args)
            for i, pred in zip(held, predict(nlp, test_records), strict=True):
                predictions[variant][i] = pred
    gold = [r["spans"] for r in records]
    return {v: score_reasons(gold, predictions[v]) for v in VARIANTS}


def markdown_table(scores: dict[str, dict], title: str) -> str:
    """Per-reason F1 of every variant, plus micro P/R/F1 and evidence agreement."""
    variants = list(scores)
    lines = [f"**{title}**", "", "| reason | gold | " + " | ".join(variants) + " |",
             "| --- | ---: | " + " | ".join("---:" for _ in variants) + " |"]
    first = scores[variants[0]]
    for reason in REASONS:
        cells = [f"{scores[v]['per_reason'][reason]['f']:.3f}" for v in variants]
        lines.append(f"| {reason} | {first['per_reason'][reason]['gold']} | " + " | ".join(cells) + " |")
    lines.append("| **micro F1** | " + str(sum(p["gold"] for p in first["per_reason"].values())) + " | "
                 + " | ".join(f"**{scores[v]['micro']['f']:.3f}**" for v in variants) + " |")
    lines.append("| micro P / R | | " + " | ".join(f"{scores[v]['micro']['p']:.3f} / {scores[v]['micro']['r']:.3f}" for v in variants) + " |")
    lines.append("| evidence sentence = gold | | " + " | ".join(f"{scores[v]['evidence_exact']:.3f}" for v in variants) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("records", type=Path, nargs="+", help="reason records (JSON Lines)")
    parser.add_argument("--output", type=Path, help="write the trained weights (.npz) here")
    parser.add_argument("--rules", default="features", choices=["none", "features", "union"])
    parser.add_argument("--cv", type=int, default=0, help="K-fold cross-validation by letter instead of training")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--n-bits", type=int, default=16)
    parser.add_argument("--learn-rate", type=float, default=0.05)
    parser.add_argument("--threshold", type=float, default=0.15)
    parser.add_argument("--json", type=Path, help="write the scores (JSON)")
    parser.add_argument("--markdown", type=Path, help="write the comparison table (Markdown)")
    args = parser.parse_args(argv)
    records = [r for path in args.records for r in srsly.read_jsonl(path)]
    train_args = {"epochs": args.epochs, "n_bits": args.n_bits, "learn_rate": args.learn_rate,
                  "threshold": args.threshold}
    if args.cv:
        scores = cross_validate(records, args.cv, **train_args)
        table = markdown_table(scores, f"{args.cv}-fold cross-validation by letter, {len(records)} items")
        print(table)
        for path, text in ((args.json, json.dumps(scores, indent=2)), (args.markdown, table)):
            if path:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf8")
        return 0
    nlp = train(records, rules=args.rules, **train_args)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        nlp.get_pipe("imr_reasons").save_weights(args.output)
        print(f"weights -> {args.output} ({args.output.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
