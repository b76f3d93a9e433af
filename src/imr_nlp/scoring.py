"""Span-level scoring of entities: exact and overlap matching, per label, micro and macro.

Spans are ``(start, end, label)`` character offsets. A predicted span matches a gold span
*exactly* when offsets and label are equal; it matches by *overlap* when the label is equal
and the character ranges share at least one character. Matching is one-to-one (a maximum
bipartite matching, exact pairs preferred), so one long prediction covering two gold spans
counts once. Used by ``scripts/evaluate.py`` and by the tests.

Convention (as spaCy's ``PRFScore``): a ratio with a zero denominator is ``0.0``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from .labels import REPORT_ORDER

Span = tuple[int, int, str]

# The labels of the registry (labels.py), in the order score tables print them.
LABELS = REPORT_ORDER
MODES = ("exact", "overlap")


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _max_matching(gold: Sequence[Span], pred: Sequence[Span]) -> int:
    """Size of a maximum one-to-one matching of same-label overlapping spans (Kuhn's algorithm)."""
    edges: list[list[int]] = []
    for g in gold:
        exact = [j for j, p in enumerate(pred) if p == g]
        other = [j for j, p in enumerate(pred) if p != g and p[2] == g[2] and _overlaps(g, p)]
        edges.append(exact + other)
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    return sum(1 for i in range(len(gold)) if augment(i, set()))


def count_matches(
    gold: Iterable[Span], pred: Iterable[Span], labels: Iterable[str] | None = None
) -> dict[str, dict[str, Counter]]:
    """Per-label ``tp``/``fp``/``fn`` counts for both modes: ``{"exact": {label: Counter}, ...}``.

    labels: keep only spans with these labels (``None`` keeps all).
    Counts of several documents can be summed with :func:`add_counts`.
    """
    keep = None if labels is None else set(labels)
    gold = [tuple(s) for s in gold if keep is None or s[2] in keep]
    pred = [tuple(s) for s in pred if keep is None or s[2] in keep]
    counts: dict[str, dict[str, Counter]] = {mode: {} for mode in MODES}
    for label in sorted({s[2] for s in gold} | {s[2] for s in pred}):
        g = [s for s in gold if s[2] == label]
        p = [s for s in pred if s[2] == label]
        exact_tp = sum((Counter(g) & Counter(p)).values())
        overlap_tp = _max_matching(g, p)
        for mode, tp in (("exact", exact_tp), ("overlap", overlap_tp)):
            counts[mode][label] = Counter(tp=tp, fp=len(p) - tp, fn=len(g) - tp)
    return counts


def add_counts(total: dict[str, dict[str, Counter]], counts: dict[str, dict[str, Counter]]) -> None:
    """Add ``counts`` (from :func:`count_matches`) into ``total`` in place."""
    for mode, per_label in counts.items():
        bucket = total.setdefault(mode, {})
        for label, counter in per_label.items():
            bucket.setdefault(label, Counter()).update(counter)


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    """Precision, recall, F1 and the raw counts of one cell."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f": f, "tp": tp, "fp": fp, "fn": fn, "support": tp + fn}


def scores_from_counts(
    counts: dict[str, dict[str, Counter]], labels: Iterable[str] | None = None
) -> dict[str, dict]:
    """Per-label, micro and macro scores for each mode.

    labels: the labels to report (default: every label seen in gold or predictions);
        listed labels with no gold and no prediction are reported as zeros but left out
        of the macro average.
    RETURNS: ``{mode: {"per_label": {label: prf}, "micro": prf, "macro": {"p","r","f"}}}``.
    """
    result: dict[str, dict] = {}
    for mode in MODES:
        per_label_counts = counts.get(mode, {})
        names = list(labels) if labels is not None else sorted(per_label_counts, key=_label_order)
        per_label = {}
        for name in names:
            c = per_label_counts.get(name, Counter())
            per_label[name] = prf(c["tp"], c["fp"], c["fn"])
        total = Counter()
        for name in names:
            total.update(per_label_counts.get(name, Counter()))
        active = [per_label[n] for n in names if per_label[n]["tp"] + per_label[n]["fp"] + per_label[n]["fn"]]
        macro = {
            key: (sum(cell[key] for cell in active) / len(active) if active else 0.0)
            for key in ("p", "r", "f")
        }
        result[mode] = {
            "per_label": per_label,
            "micro": prf(total["tp"], total["fp"], total["fn"]),
            "macro": macro,
        }
    return result


def score_spans(
    gold: Iterable[Span], pred: Iterable[Span], labels: Iterable[str] | None = None
) -> dict[str, dict]:
    """Score predicted against gold ``(start, end, label)`` spans of one text.

    RETURNS: see :func:`scores_from_counts`; e.g. ``score_spans(g, p)["overlap"]["micro"]["f"]``.
    """
    labels = None if labels is None else list(labels)
    return scores_from_counts(count_matches(gold, pred, labels), labels)


def _label_order(label: str) -> tuple[int, str]:
    return (LABELS.index(label) if label in LABELS else len(LABELS), label)
