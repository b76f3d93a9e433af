"""Table tests of span scoring: exact vs overlap matching, one-to-one, empty inputs."""

from __future__ import annotations

import pytest

from imr_nlp.scoring import score_spans

D, Q, C = "DRUG", "QUANTITY", "CITATION"

# (case, gold, pred, exact (tp, fp, fn), overlap (tp, fp, fn)) -- micro counts
CASES = [
    ("identical", [(0, 5, D)], [(0, 5, D)], (1, 0, 0), (1, 0, 0)),
    ("boundary off by a word", [(0, 9, D)], [(0, 5, D)], (0, 1, 1), (1, 0, 0)),
    ("same offsets, other label", [(0, 5, D)], [(0, 5, Q)], (0, 1, 1), (0, 1, 1)),
    ("touching is not overlapping", [(0, 5, D)], [(5, 9, D)], (0, 1, 1), (0, 1, 1)),
    (
        "one long prediction over two gold spans counts once",
        [(0, 5, D), (6, 10, D)],
        [(0, 10, D)],
        (0, 1, 2),
        (1, 0, 1),
    ),
    (
        "two predictions inside one gold span count once",
        [(0, 40, C)],
        [(0, 10, C), (12, 40, C)],
        (0, 2, 1),
        (1, 1, 0),
    ),
    (
        "matching is maximal, not greedy",
        [(0, 10, D), (12, 14, D)],
        [(8, 13, D), (2, 5, D)],
        (0, 2, 2),
        (2, 0, 0),
    ),
    (
        "exact pair kept alongside an overlap pair",
        [(0, 5, D), (10, 20, D)],
        [(0, 5, D), (12, 30, D)],
        (1, 1, 1),
        (2, 0, 0),
    ),
    ("nothing predicted", [(0, 5, D)], [], (0, 0, 1), (0, 0, 1)),
    ("nothing to find", [], [(0, 5, D)], (0, 1, 0), (0, 1, 0)),
    ("both empty", [], [], (0, 0, 0), (0, 0, 0)),
]


@pytest.mark.parametrize(("case", "gold", "pred", "exact", "overlap"), CASES, ids=[c[0] for c in CASES])
def test_micro_counts(case, gold, pred, exact, overlap):
    scores = score_spans(gold, pred)
    for mode, expected in (("exact", exact), ("overlap", overlap)):
        micro = scores[mode]["micro"]
        assert (micro["tp"], micro["fp"], micro["fn"]) == expected, mode


def test_per_label_prf_and_macro():
    gold = [(0, 5, D), (10, 15, D), (20, 24, Q)]
    pred = [(0, 5, D), (30, 33, D), (20, 23, Q)]
    exact = score_spans(gold, pred)["exact"]
    assert exact["per_label"][D] == {"p": 0.5, "r": 0.5, "f": 0.5, "tp": 1, "fp": 1, "fn": 1, "support": 2}
    assert exact["per_label"][Q]["f"] == 0.0
    assert exact["macro"]["f"] == pytest.approx(0.25)
    assert exact["micro"]["p"] == pytest.approx(1 / 3)
    overlap = score_spans(gold, pred)["overlap"]
    assert overlap["per_label"][Q]["f"] == 1.0
    assert overlap["macro"]["f"] == pytest.approx(0.75)


def test_empty_scores_are_zero_not_errors():
    scores = score_spans([], [])
    assert scores["exact"]["micro"]["f"] == 0.0
    assert scores["overlap"]["macro"] == {"p": 0.0, "r": 0.0, "f": 0.0}


def test_labels_restrict_both_sides():
    gold = [(0, 5, D), (6, 9, Q)]
    pred = [(0, 5, D), (40, 44, Q)]
    scores = score_spans(gold, pred, labels=[D])
    assert list(scores["exact"]["per_label"]) == [D]
    assert scores["exact"]["micro"]["f"] == 1.0


def test_listed_label_without_spans_is_reported_but_not_averaged():
    scores = score_spans([(0, 5, D)], [(0, 5, D)], labels=[D, C])
    assert scores["exact"]["per_label"][C]["support"] == 0
    assert scores["exact"]["macro"]["f"] == 1.0
