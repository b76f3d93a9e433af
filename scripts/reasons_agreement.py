"""Agreement between two reason annotations of the same items (Cohen's kappa and F1 per reason).

    python scripts/reasons_agreement.py corpus/reasons/train_labels.txt corpus/reasons/train_labels_pass2.txt

Both files are label files (``<letter id> <item index>: CODE=<sentence> ...``); only the items
of the second file are compared. Per reason: the 2x2 table of "states it / does not" over the
items, Cohen's kappa and the F1 of one pass against the other; plus the share of agreed
reasons whose evidence sentence is the same.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from reasons_corpus import parse_labels

from imr_nlp.normalize.reasons import REASONS


def kappa(a: list[bool], b: list[bool]) -> float | None:
    """Cohen's kappa of two boolean label lists (None when both are constant and equal)."""
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pa, pb = sum(a) / n, sum(b) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    if expected == 1.0:
        return None
    return (observed - expected) / (1 - expected)


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
        rows[reason] = {"first": sum(a), "second": sum(b), "both": both, "kappa": kappa(a, b), "f1": f}
        for k in keys:
            ea = dict(first[k]).get(reason)
            eb = dict(second[k]).get(reason)
            if ea is not None and eb is not None:
                agreed += 1
                same_evidence += ea == eb
    micro = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None
    return {"items": len(keys), "per_reason": rows, "micro_f1": micro,
            "same_evidence": same_evidence / agreed if agreed else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    args = parser.parse_args(argv)
    result = agreement(parse_labels(args.first), parse_labels(args.second))
    print(f"{result['items']} items; micro F1 {result['micro_f1']:.3f}; same evidence sentence {result['same_evidence']:.3f}")
    print("| reason | pass 1 | pass 2 | both | kappa | F1 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for reason, row in result["per_reason"].items():
        k = "n/a" if row["kappa"] is None else f"{row['kappa']:.2f}"
        f = "n/a" if row["f1"] is None else f"{row['f1']:.2f}"
        print(f"| {reason} | {row['first']} | {row['second']} | {row['both']} | {k} | {f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
