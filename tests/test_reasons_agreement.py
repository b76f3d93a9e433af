"""The second, independent annotation of the reasons evaluation items
(corpus/agreement/reasons_eval_second.*) and the agreement script over record files."""

from __future__ import annotations

import srsly
from conftest import ROOT
from reasons_agreement import agreement, disagreements, load, record_labels
from reasons_corpus import parse_labels, validate_record

from imr_nlp.normalize.reasons import REASONS, split_sentences

SECOND = ROOT / "corpus" / "agreement" / "reasons_eval_second"
EVAL = ROOT / "corpus" / "reasons" / "eval.jsonl"


def test_second_annotation_records_are_valid_eval_items():
    records = list(srsly.read_jsonl(SECOND.with_suffix(".jsonl")))
    gold = {(r["meta"]["id"], r["meta"]["item"]): r for r in srsly.read_jsonl(EVAL)}
    labels = parse_labels(SECOND.with_suffix(".txt"))
    keys = [(r["meta"]["id"], r["meta"]["item"]) for r in records]
    assert len(keys) == len(set(keys)) == len(labels) >= 50
    assert set(keys) == set(labels) <= set(gold)
    letters: dict[str, str] = {}
    for record, key in zip(records, keys, strict=True):
        meta = record["meta"]
        assert meta["split"] == "eval" and meta["annotator"] != gold[key]["meta"]["annotator"]
        # the same item as the evaluation file: same rationale text at the same place of the same letter
        assert record["text"] == gold[key]["text"]
        for field in ("source", "rationale_start", "outcome", "request"):
            assert meta[field] == gold[key]["meta"][field], (key, field)
        source = meta["source"]
        letters.setdefault(source, (ROOT / source).read_text(encoding="utf8"))
        validate_record(record, letters[source])  # spans in the text, one per reason, cats = spans
        sentences = split_sentences(record["text"])
        for span in record["spans"]:
            assert (span["start"], span["end"]) in sentences, (key, span)  # one whole sentence
        # the label line and the record say the same thing
        assert sorted(labels[key]) == sorted(
            (s["label"], sentences.index((s["start"], s["end"]))) for s in record["spans"]
        )
        assert {r for r, v in record["cats"].items() if v} == {r for r, _ in labels[key]}


def test_records_turn_back_into_sentence_numbers_and_disagreements_are_listed():
    text = "No red flags were noted. The request exceeds 10 visits. It is not necessary."
    (s0, s1, s2) = split_sentences(text)

    def record(spans):
        return {
            "text": text,
            "spans": [{"start": s, "end": e, "label": lab} for (s, e), lab in spans],
            "meta": {"id": "L", "item": 0},
        }

    first, texts = record_labels([record([(s0, "indication_not_documented"), (s1, "exceeds_limits")])])
    assert first == {("L", 0): [("indication_not_documented", 0), ("exceeds_limits", 1)]}
    partial = (s1[0], s1[0] + 10)  # not a whole sentence: compared by offsets, never equal to a number
    second, _ = record_labels([record([(s2, "indication_not_documented"), (partial, "exceeds_limits")])])
    assert second[("L", 0)] == [("indication_not_documented", 2), ("exceeds_limits", partial)]
    result = agreement(first, second)
    assert result["micro_f1"] == 1.0 and result["same_item_sets"] == 1
    assert result["agreed"] == 2 and result["same_evidence"] == 0.0
    assert result["per_reason"]["exceeds_limits"]["same_evidence"] == 0
    lines = disagreements(first, second, texts)
    assert lines[0].startswith("L 0: first IND=0 EXC=1")
    assert any("IND second=2: It is not necessary." in line for line in lines)


def test_second_annotation_against_the_evaluation_labels():
    first, _ = load(EVAL)
    second, _ = load(SECOND.with_suffix(".jsonl"))
    assert second == parse_labels(SECOND.with_suffix(".txt"))
    result = agreement(first, second)
    assert result["items"] == len(second)
    assert set(result["per_reason"]) == set(REASONS)
    assert 0.0 <= result["micro_f1"] <= 1.0 and 0.0 <= result["same_evidence"] <= 1.0
