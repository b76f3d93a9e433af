"""Train the reason classifier ``imr_reasons`` and compare rules / model / combined.

    python scripts/train_reasons.py corpus/reasons/train.jsonl --output src/imr_nlp/data/reasons_weights.npz
    python scripts/train_reasons.py corpus/reasons/train.jsonl --cv 5 --markdown metrics/reasons-cv.md

Training is in-process (``nlp.update`` on rationale docs, the same component ``spacy train``
uses with ``configs/reasons.cfg``). ``--cv K`` splits the training records by letter into K
folds, trains on K-1 and predicts the held-out fold, for every variant: the rules alone,
the model on words alone (``rules = "none"``), that model plus the rule reasons it missed
(``"union"``), the model with rule hits as features (``"features"``, trained with rule-feature
dropout ``--drop``) and that model plus the rule reasons it missed (``"both"``, the shipped
setting); the held-out predictions of all folds are scored together (item-level F1 per reason).

The rules were written while reading the training letters, so in cross-validation they are
nearly perfect, which no new letter repeats. ``--degrade P`` scores the held-out folds with
each reason the rules find dropped with probability P (from the rule features and from the
union alike): a simulation of rules that miss the phrasings of new reviewers, used to pick
the combination that holds up when the rules miss.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import spacy
import srsly
from thinc.api import SGD, Adam

from imr_nlp.normalize.reasons import (
    REASONS,
    reasons_from_hits,
    rule_reasons,
    score_reasons,
    sentence_hits,
    split_sentences,
)
from imr_nlp.reasons_model import _sigmoid, doc_rationales, rationale_docs, sentence_features

VARIANTS = ("rules", "model", "model+rules union", "model+rule features", "model+rule features+rules union")
# variant -> (the mode the model is trained with, the mode it predicts with)
_MODES = {"model": ("none", "none"), "model+rules union": ("none", "union"),
          "model+rule features": ("features", "features"), "model+rule features+rules union": ("features", "both")}


def train(records: list[dict], *, rules: str = "both", epochs: int = 30, n_bits: int = 16,
          learn_rate: float = 0.05, l2: float = 1e-3, optimizer_name: str = "sgd", batch_size: int = 16,
          threshold: float = 0.15, seed: int = 0, drop: float = 0.3):
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
            nlp.update(examples[start : start + batch_size], sgd=optimizer, drop=drop)
    return nlp


def predict(nlp, records: list[dict], dropped: list[set[str]] | None = None) -> list[list[dict]]:
    """Reasons predicted for each record's rationale (offsets into the rationale text);
    ``dropped``: per record, the reasons whose rule hits are hidden (``--degrade``)."""
    component = nlp.get_pipe("imr_reasons")
    out = []
    for i, eg in enumerate(rationale_docs(nlp, records)):
        doc = eg.predicted
        rationale = doc_rationales(doc)[0]
        if not rationale.sentences:
            out.append([])
            continue
        rationale.hits = hidden_hits(rationale.text, rationale.sentences, dropped[i] if dropped else set())
        X = sentence_features(doc, [rationale], component.model.attrs["n_bits"], component.rules in ("features", "both"))
        probs = _sigmoid(component.model.predict((X[0], X[1], len(rationale.sentences))))
        out.append(component.decide(rationale, probs))
    return out


def hidden_hits(text: str, sentences: list, dropped: set[str]) -> dict[str, list[int]]:
    hits = sentence_hits(text, sentences)
    return {r: [0] * len(w) if r in dropped else w for r, w in hits.items()}


def rules_predict(records: list[dict], dropped: list[set[str]] | None = None) -> list[list[dict]]:
    out = []
    for i, r in enumerate(records):
        sentences = split_sentences(r["text"])
        hits = hidden_hits(r["text"], sentences, dropped[i] if dropped else set())
        out.append(reasons_from_hits(r["text"], sentences, hits, r["meta"]["outcome"]))
    return out


def degraded(records: list[dict], p: float, seed: int = 1) -> list[set[str]]:
    """Per record, each reason the rules find hidden with probability ``p``."""
    rng = random.Random(seed)
    return [{x["reason"] for x in rule_reasons(r["text"], r["meta"]["outcome"]) if rng.random() < p} for r in records]


def folds(records: list[dict], k: int) -> list[list[int]]:
    """Record indices per fold, whole letters per fold (letters in sorted order, dealt round-robin)."""
    letters = sorted({r["meta"]["source"] for r in records})
    fold_of = {letter: i % k for i, letter in enumerate(letters)}
    return [[i for i, r in enumerate(records) if fold_of[r["meta"]["source"]] == f] for f in range(k)]


def cross_validate(records: list[dict], k: int, degrade: float = 0.0, **train_args) -> dict[str, dict]:
    predictions = {v: [None] * len(records) for v in VARIANTS}
    dropped = degraded(records, degrade) if degrade else [set() for _ in records]
    for held in folds(records, k):
        held_set = set(held)
        train_records = [r for i, r in enumerate(records) if i not in held_set]
        test_records = [records[i] for i in held]
        test_dropped = [dropped[i] for i in held]
        for i, pred in zip(held, rules_predict(test_records, test_dropped), strict=True):
            predictions["rules"][i] = pred
        trained = {mode: train(train_records, rules=mode, **train_args) for mode in {m for m, _ in _MODES.values()}}
        for variant, (trained_mode, mode) in _MODES.items():
            nlp = trained[trained_mode]
            nlp.get_pipe("imr_reasons").rules = mode
            for i, pred in zip(held, predict(nlp, test_records, test_dropped), strict=True):
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
    parser.add_argument("--rules", default="both", choices=["none", "features", "union", "both"])
    parser.add_argument("--cv", type=int, default=0, help="K-fold cross-validation by letter instead of training")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--n-bits", type=int, default=16)
    parser.add_argument("--learn-rate", type=float, default=0.05)
    parser.add_argument("--threshold", type=float, default=0.15)
    parser.add_argument("--drop", type=float, default=0.3, help="rule-feature dropout in training")
    parser.add_argument("--degrade", type=float, default=0.0,
                        help="with --cv: hide each rule reason of a held-out item with this probability")
    parser.add_argument("--json", type=Path, help="write the scores (JSON)")
    parser.add_argument("--markdown", type=Path, help="write the comparison table (Markdown)")
    args = parser.parse_args(argv)
    records = [r for path in args.records for r in srsly.read_jsonl(path)]
    train_args = {"epochs": args.epochs, "n_bits": args.n_bits, "learn_rate": args.learn_rate,
                  "threshold": args.threshold, "drop": args.drop}
    if args.cv:
        scores = cross_validate(records, args.cv, degrade=args.degrade, **train_args)
        title = f"{args.cv}-fold cross-validation by letter, {len(records)} items"
        if args.degrade:
            title += f", rule reasons hidden with probability {args.degrade}"
        table = markdown_table(scores, title)
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
