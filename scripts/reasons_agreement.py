"""Agreement between two reason annotations of the same items (Cohen's kappa and F1 per reason).

    python scripts/reasons_agreement.py corpus/reasons/train_labels.txt corpus/reasons/train_labels_pass2.txt
    python scripts/reasons_agreement.py corpus/reasons/eval.jsonl corpus/agreement/reasons_eval_second.jsonl \
        --names lead second --disagreements

Each file is a label file (``<letter id> <item index>: CODE=<sentence> ...``) or a JSONL file of
reason records (corpus/reasons/README.md; evidence spans are turned back into sentence numbers
of ``split_sentences``). Only the items of the second file are compared. Per reason: the 2x2
table of "states it / does not" over the items, Cohen's kappa and the F1 of one annotation
against the other; plus the share of agreed reasons whose evidence sentence is the same, overall
and per reason. ``--disagreements`` lists every item where the two differ, with the sentences.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import srsly
from reasons_corpus import CODES, parse_labels

from imr_nlp.normalize.reasons import REASONS, split_sentences

SHORT = {reason: code for code, reason in CODES.items()}


def kappa(a: list[bool], b: list[bool]) -> float | None:
    """Cohen's kappa of two boolean label lists (None when both are constant and equal)."""
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pa, pb = sum(a) / n, sum(b) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    if expected == 1.0:
        return None
    return (observed - expected) / (1 - expected)


def record_labels(records: list[dict]) -> tuple[dict, dict]:
    """``({(letter id, item index): [(reason, sentence number), ...]}, {key: rationale text})`` of
    reason records; a span that is not one whole sentence keeps its ``(start, end)`` instead."""
    labels, texts = {}, {}
    for record in records:
        key = (record["meta"]["id"], record["meta"]["item"])
        sentences = {span: k for k, span in enumerate(split_sentences(record["text"]))}
        pairs = []
        for span in record["spans"]:
            bounds = (span["start"], span["end"])
            pairs.append((span["label"], sentences.get(bounds, bounds)))
        labels[key] = pairs
        texts[key] = record["text"]
    return labels, texts


def load(path: Path) -> tuple[dict, dict]:
    """Labels of a label file or a JSONL record file (texts only for records)."""
    if path.suffix == ".jsonl":
        return record_labels(list(srsly.read_jsonl(path)))
    return parse_labels(path), {}


def agreement(first: dict, second: dict) -> dict:
    keys = sorted(second)
    missing = [k for k in keys if k not in first]
    if missing:
        raise ValueError(f"items of the second pass missing from the first: {missing}")
    rows = {}
    same_evidence = agreed = 0
    tp = fp = fn = 0
    for reason in REASONS:
        a = [any(r == reason for r, _ in first[k]) for k in keys]
        b = [any(r == reason for r, _ in second[k]) for k in keys]
        both = sum(x and y for x, y in zip(a, b, strict=True))
        only_a = sum(x and not y for x, y in zip(a, b, strict=True))
        only_b = sum(y and not x for x, y in zip(a, b, strict=True))
        tp, fp, fn = tp + both, fp + only_b, fn + only_a
        f = 2 * both / (2 * both + only_a + only_b) if both + only_a + only_b else None
        same = 0
        for k in keys:
            ea = dict(first[k]).get(reason)
            eb = dict(second[k]).get(reason)
            if ea is not None and eb is not None:
                same += ea == eb
        agreed, same_evidence = agreed + both, same_evidence + same
        rows[reason] = {
            "first": sum(a),
            "second": sum(b),
            "both": both,
            "only_first": only_a,
            "only_second": only_b,
            "kappa": kappa(a, b),
            "f1": f,
            "same_evidence": same,
        }
    micro = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
    exact = sum({r for r, _ in first[k]} == {r for r, _ in second[k]} for k in keys)
    return {
        "items": len(keys),
        "per_reason": rows,
        "micro_f1": micro,
        "same_item_sets": exact,
        "agreed": agreed,
        "same_evidence": same_evidence / agreed if agreed else None,
    }


def disagreements(first: dict, second: dict, texts: dict) -> list[str]:
    """One block per item where the reason sets or the evidence sentences differ."""
    lines = []
    for key in sorted(second):
        a, b = dict(first[key]), dict(second[key])
        if a == b:
            continue
        text = texts.get(key)
        sentences = split_sentences(text) if text else []
        lines.append(f"{key[0]} {key[1]}: first {_codes(first[key])} | second {_codes(second[key])}")
        for reason in REASONS:
            ea, eb = a.get(reason), b.get(reason)
            if ea == eb:
                continue
            for who, k in (("first", ea), ("second", eb)):
                if k is None:
                    continue
                sentence = ""
                if isinstance(k, int) and k < len(sentences):
                    s, e = sentences[k]
                    sentence = " ".join(text[s:e].split())[:160]
                lines.append(f"    {SHORT[reason]} {who}={k}: {sentence}")
    return lines


def _codes(pairs: list) -> str:
    return " ".join(f"{SHORT[r]}={k}" for r, k in pairs) or "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    parser.add_argument(
        "--names", nargs=2, default=["pass 1", "pass 2"], help="column names of the two annotations"
    )
    parser.add_argument("--disagreements", action="store_true", help="list the items where the two differ")
    args = parser.parse_args(argv)
    (first, texts), (second, texts2) = load(args.first), load(args.second)
    result = agreement(first, second)
    print(
        f"{result['items']} items ({result['same_item_sets']} with the same reason set); micro F1 "
        f"{result['micro_f1']:.3f}; same evidence sentence for {round(result['same_evidence'] * result['agreed'])} "
        f"of {result['agreed']} agreed reasons ({result['same_evidence']:.3f})"
    )
    one, two = args.names
    print(f"| reason | {one} | {two} | both | Cohen's kappa | F1 | same sentence |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for reason, row in result["per_reason"].items():
        k = "n/a" if row["kappa"] is None else f"{row['kappa']:.2f}"
        f = "n/a" if row["f1"] is None else f"{row['f1']:.2f}"
        same = f"{row['same_evidence']}/{row['both']}" if row["both"] else "n/a"
        print(f"| {reason} | {row['first']} | {row['second']} | {row['both']} | {k} | {f} | {same} |")
    if args.disagreements:
        print()
        print("\n".join(disagreements(first, second, texts or texts2)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
