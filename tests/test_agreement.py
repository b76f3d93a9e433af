"""scripts/agreement.py and the partial-annotation scoring of compare_diagnosis_model.py."""

from __future__ import annotations

from agreement import agreement
from compare_diagnosis_model import score_group

TEXT = "Norco for lumbar radiculopathy per MTUS guidelines."


def record(spans, labels=None, letter="a"):
    meta = {"id": letter}
    if labels:
        meta["labels"] = labels
    return {"text": TEXT, "spans": [{"start": s, "end": e, "label": lab} for s, e, lab in spans], "meta": meta}


def test_agreement_counts_only_the_second_files_labels_and_shared_letters():
    first = [record([(0, 5, "DRUG"), (10, 30, "DIAGNOSIS"), (35, 50, "CITATION")]), record([], letter="b")]
    # second annotator: DIAGNOSIS with a shorter boundary, the same CITATION, no DRUG (not annotated)
    second = [record([(17, 30, "DIAGNOSIS"), (35, 50, "CITATION")], labels=["DIAGNOSIS", "CITATION"])]
    result = agreement(first, second)
    assert result["letters"] == 1 and result["labels"] == ["DIAGNOSIS", "CITATION"]
    scores = result["scores"]
    assert scores["exact"]["per_label"]["DIAGNOSIS"]["f"] == 0.0
    assert scores["overlap"]["per_label"]["DIAGNOSIS"]["f"] == 1.0
    assert scores["exact"]["per_label"]["CITATION"]["f"] == 1.0
    assert "DRUG" not in scores["exact"]["per_label"]


def test_partially_annotated_letters_are_scored_on_their_labels():
    gold = [record([(10, 30, "DIAGNOSIS")], labels=["DIAGNOSIS"])]
    predicted = [[(0, 5, "DRUG"), (10, 30, "DIAGNOSIS")]]  # the DRUG is not a false positive there
    scores = score_group(gold, predicted)
    assert scores["exact"]["micro"]["f"] == 1.0
    full = score_group([record([(10, 30, "DIAGNOSIS")])], predicted)
    assert full["exact"]["micro"]["fp"] == 1
