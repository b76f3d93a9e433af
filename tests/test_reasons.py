"""Reasons of each decision: sentence splitting, rule patterns, the trainable classifier,
the annotated corpus and the output contract (``reasons`` in items, schema, tables)."""

from __future__ import annotations

import jsonschema
import pytest
import spacy
import srsly
from conftest import ROOT, SEEDS, copy_project, read

from imr_nlp.normalize.reasons import REASONS, rule_reasons, score_reasons, split_sentences
from imr_nlp.output import schema, to_dict
from imr_nlp.reasons_model import rationale_docs
from imr_nlp.tables import COLUMNS, item_rows

CORPUS = ROOT / "corpus" / "reasons"


def reasons_of(text: str, outcome: str = "upheld") -> dict[str, str]:
    return {r["reason"]: text[r["start"] : r["end"]] for r in rule_reasons(text, outcome)}


# ---------------------------------------------------------------------------- sentences


def test_sentences_keep_offsets_and_skip_abbreviations():
    text = "Per Dr. Smith, e.g. ACOEM p. 79 applies.  No red flags were noted.\n\nThe request is denied."
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Per Dr. Smith, e.g. ACOEM p. 79 applies.",
        "No red flags were noted.",
        "The request is denied.",
    ]


def test_sentences_of_empty_text():
    assert split_sentences("") == []
    assert split_sentences("   \n ") == []


# ---------------------------------------------------------------------------- rules
# Phrasings of the letter genre written for these tests (not copied from sample letters).


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("Topical gabapentin is not recommended for the treatment of chronic pain.", "not_recommended"),
        ("The ODG does not recommend the use of compounded creams.", "not_recommended"),
        ("There is no documentation of objective functional improvement with the prior acupuncture.", "no_functional_improvement"),
        ("The records show no evidence of functional benefit from the ongoing use of Lyrica.", "no_functional_improvement"),
        ("The request for 12 further visits exceeds the guideline recommendation of 10 visits.", "exceeds_limits"),
        ("The total morphine equivalent dose is significantly above the maximum recommended.", "exceeds_limits"),
        ("The examination documented no red flags and no neurological deficits.", "indication_not_documented"),
        ("There is no documentation that the patient has tried and failed conservative care.", "indication_not_documented"),
        ("There is no history of peptic ulcer or GI bleeding to warrant a proton pump inhibitor.", "indication_not_documented"),
        ("There is no recent urine drug screen or CURES report in the records.", "monitoring_not_documented"),
        ("The request does not specify the quantity of patches.", "request_incomplete"),
        ("As the requested surgery is not medically necessary, the associated post-operative therapy is not medically necessary.", "depends_on_other_request"),
        ("This request duplicates one that was certified last month.", "other"),
    ],
)
def test_rule_patterns_find_reason(sentence, reason):
    text = f"The guidelines were reviewed. {sentence} Therefore the request is not medically necessary."
    found = reasons_of(text)
    assert reason in found
    assert found[reason] == sentence  # the evidence is that sentence


def test_guideline_background_is_not_a_reason():
    text = (
        "Passive therapy is not indicated for chronic pain in most instances. "
        "When treatment duration exceeds the guideline, exceptional factors should be noted. "
        "Repeat imaging should be reserved for red flag conditions."
    )
    assert reasons_of(text) == {}


def test_outcome_limits_reasons():
    text = "The criteria have been met. The patient has no red flags but imaging is indicated. The request is medically necessary."
    assert set(reasons_of(text, "overturned")) == {"criteria_met"}
    assert reasons_of(text, "overturned")["criteria_met"] == "The criteria have been met."
    assert "criteria_met" not in reasons_of(text, "upheld")


def test_overturned_without_pattern_falls_back_to_necessity_sentence():
    text = "The surgeon explained the plan. Here the knee scooter is medically necessary. Follow-up was scheduled."
    assert reasons_of(text, "overturned") == {"criteria_met": "Here the knee scooter is medically necessary."}


def test_score_reasons_counts_items_and_evidence():
    gold = [[{"label": "criteria_met", "start": 0, "end": 5}], [{"label": "other", "start": 0, "end": 3}]]
    pred = [[{"reason": "criteria_met", "start": 0, "end": 5}, {"reason": "other", "start": 6, "end": 9}], []]
    result = score_reasons(gold, pred)
    assert result["micro"]["tp"] == 1 and result["micro"]["fp"] == 1 and result["micro"]["fn"] == 1
    assert result["per_reason"]["criteria_met"]["f"] == 1.0
    assert result["evidence_exact"] == 1.0


# ---------------------------------------------------------------------------- corpus


def test_train_corpus_records_are_valid():
    from reasons_corpus import validate_record

    records = list(srsly.read_jsonl(CORPUS / "train.jsonl"))
    splits = srsly.read_json(ROOT / "corpus" / "splits.json")["letters"]
    assert len(records) >= 150
    texts = {}
    for record in records:
        meta = record["meta"]
        assert meta["split"] == "train" and splits[meta["source"]] == "train"
        if meta["source"] not in texts:
            texts[meta["source"]] = read(ROOT / meta["source"])
        validate_record(record, texts[meta["source"]])
        sentences = split_sentences(record["text"])
        for span in record["spans"]:  # every evidence span is one whole sentence
            assert (span["start"], span["end"]) in sentences
    counted = {r: sum(rec["cats"][r] for rec in records) for r in REASONS}
    assert counted["indication_not_documented"] > counted["other"]


def test_label_file_and_records_agree():
    from reasons_corpus import parse_labels

    labels = parse_labels(CORPUS / "train_labels.txt")
    records = {(r["meta"]["id"], r["meta"]["item"]): r for r in srsly.read_jsonl(CORPUS / "train.jsonl")}
    assert set(labels) == set(records)
    for key, pairs in labels.items():
        assert {r for r, _ in pairs} == {r for r, v in records[key]["cats"].items() if v}


def test_agreement_script_reports_kappa():
    from reasons_agreement import agreement, kappa
    from reasons_corpus import parse_labels

    assert kappa([True, False, True, False], [True, False, False, False]) == pytest.approx(0.5)
    result = agreement(parse_labels(CORPUS / "train_labels.txt"), parse_labels(CORPUS / "train_labels_pass2.txt"))
    assert result["items"] == 20
    assert 0.0 <= result["micro_f1"] <= 1.0


# ---------------------------------------------------------------------------- pipeline and output


def test_pipeline_sets_reasons_with_letter_offsets(nlp):
    text = read(SEEDS[1])
    doc = nlp(text)
    assert doc._.items
    validator = jsonschema.Draft202012Validator(schema())
    record = to_dict(doc, id=SEEDS[1].stem)
    validator.validate(record)
    for item in record["items"]:
        rationale = item["rationale"]
        assert isinstance(item["reasons"], list)
        for reason in item["reasons"]:
            assert reason["reason"] in REASONS
            assert rationale["start"] <= reason["start"] < reason["end"] <= rationale["end"]
    oxycodone = record["items"][0]
    assert "exceeds_limits" in {r["reason"] for r in oxycodone["reasons"]}  # MME above the maximum


def test_reasons_key_present_without_reason_component():
    import imr_nlp

    nlp = imr_nlp.load()
    nlp.disable_pipe("imr_reasons_rules")
    nlp.disable_pipe("imr_reasons")
    record = to_dict(nlp(read(SEEDS[0])))
    assert all(item["reasons"] == [] for item in record["items"])
    jsonschema.Draft202012Validator(schema()).validate(record)


def test_table_rows_list_reasons(nlp):
    record = to_dict(nlp(read(SEEDS[1])), id="x")
    rows = list(item_rows(record))
    assert "reasons" in COLUMNS
    assert rows[0]["reasons"] == ";".join(r["reason"] for r in record["items"][0]["reasons"])


# ---------------------------------------------------------------------------- trainable classifier


@pytest.fixture(scope="module")
def trained():
    from train_reasons import train

    records = list(srsly.read_jsonl(CORPUS / "train.jsonl"))
    return train(records[:120], epochs=4), records


def test_classifier_learns_and_scores(trained):
    from train_reasons import predict

    nlp, records = trained
    held = records[150:]
    result = score_reasons([r["spans"] for r in held], predict(nlp, held))
    assert result["micro"]["f"] > 0.5  # well above chance after 4 epochs on 120 items
    scores = nlp.evaluate(list(rationale_docs(nlp, held)))
    assert 0.0 < scores["reasons_micro_f"] <= 1.0
    assert set(scores["reasons_per_type"]) == set(REASONS)


def test_classifier_round_trip_and_letter_docs(trained, tmp_path):
    import imr_nlp

    nlp, records = trained
    nlp.to_disk(tmp_path / "reasons")
    loaded = spacy.load(tmp_path / "reasons")
    docs = [eg.predicted for eg in rationale_docs(nlp, records[:20])]
    before = list(nlp.pipe([d.copy() for d in docs]))
    after = list(loaded.pipe([d.copy() for d in docs]))
    for a, b in zip(before, after, strict=True):  # weights are stored as float16
        assert a.cats == pytest.approx(b.cats, abs=2e-3)
        assert [(s.label_, s.start) for s in a.spans["reasons"]] == [(s.label_, s.start) for s in b.spans["reasons"]]
    assert len(nlp.get_pipe("imr_reasons").to_bytes()) > 100

    # On letters: the component fills item["reasons"] after imr_items, offsets into the letter.
    weights = tmp_path / "weights.npz"
    nlp.get_pipe("imr_reasons").save_weights(weights)
    full = imr_nlp.load(rules_only=True)  # the shipped pipeline has its own imr_reasons
    full.add_pipe("imr_reasons", config={"weights": str(weights)})
    text = read(SEEDS[2])
    doc = full(text)
    for item in doc._.items:
        for reason in item["reasons"]:
            assert item["rationale"]["start"] <= reason["start"] < reason["end"] <= item["rationale"]["end"]
    jsonschema.Draft202012Validator(schema()).validate(to_dict(doc))


def test_shipped_pipeline_runs_the_packaged_classifier():
    import imr_nlp

    nlp = imr_nlp.load()
    component = nlp.get_pipe("imr_reasons")
    assert nlp.pipe_names.index("imr_reasons") > nlp.pipe_names.index("imr_reasons_rules")
    assert component.rules == "both" and component.cfg["trained"]
    assert "imr_reasons" not in imr_nlp.load(rules_only=True).pipe_names
    # The packaged weights match the features the code computes: they fit their own
    # training items (a feature change without retraining drops this far below).
    from train_reasons import predict

    blank = spacy.blank("en")
    blank.add_pipe("imr_reasons", config={"weights": "data:reasons_weights.npz", "rules": "features"})
    records = list(srsly.read_jsonl(CORPUS / "train.jsonl"))
    result = score_reasons([r["spans"] for r in records], predict(blank, records))
    assert result["micro"]["f"] > 0.9


def test_negated_words_are_features():
    from imr_nlp.reasons_model import Rationale, sentence_features

    nlp = spacy.blank("en")
    doc = nlp("There is no documentation of red flags. Radiculopathy is documented.")
    rationale = [Rationale(doc.text, "upheld", 0)]
    _, with_negation, _ = sentence_features(doc, rationale, 16, False, ("negation",))
    _, without, _ = sentence_features(doc, rationale, 16, False, ())
    # "documentation", "of", "red", "flags" are in the scope of "no"; nothing in sentence 2
    assert (with_negation == 0).sum() - (without == 0).sum() == 4
    assert (with_negation == 1).sum() == (without == 1).sum()


def test_rule_feature_dropout_hides_rule_hits():
    import numpy

    from imr_nlp.reasons_model import Rationale, sentence_features

    nlp = spacy.blank("en")
    doc = nlp("Chiropractic treatment is not recommended for the knee. The request exceeds the guidelines.")
    rationale = [Rationale(doc.text, "upheld", 0)]
    kept, _, _ = sentence_features(doc, rationale, 16, True)
    dropped, _, _ = sentence_features(doc, rationale, 16, True, rule_drop=1.0, rng=numpy.random.default_rng(0))
    words, _, _ = sentence_features(doc, rationale, 16, False)
    assert len(dropped) == len(words) < len(kept)


def test_classifier_rejects_unknown_rule_mode():
    nlp = spacy.blank("en")
    with pytest.raises(ValueError):
        nlp.add_pipe("imr_reasons", config={"rules": "sometimes"})


@pytest.mark.slow
def test_reasons_smoke_workflow_trains_and_loads(tmp_path):
    import subprocess
    import sys

    project = copy_project(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "spacy", "project", "run", "reasons-smoke", str(project)],
        cwd=project, capture_output=True, text=True, timeout=240,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    nlp = spacy.load(project / "training" / "reasons-smoke" / "model-last")
    assert nlp.pipe_names == ["imr_reasons"]
    dev = list(srsly.read_jsonl(project / "training" / "reasons-corpus" / "dev.jsonl"))
    scores = nlp.evaluate(list(rationale_docs(nlp, dev)))
    assert set(scores["reasons_per_type"]) == set(REASONS)


def test_reasons_table_groups_and_counts():
    from reasons_table import group_of, markdown, tabulate

    drug = {"drug": {"text": "Norco", "generic": "acetaminophen / hydrocodone", "drug_class": "opioid"}}
    assert group_of({"treatment": drug}) == "drug: opioid"
    assert group_of({"treatment": {"drug": None}}) == "non-drug"
    assert group_of({"treatment": {**drug, "service_type": "pharmaceutical"}}) == "pharmaceutical: opioid"
    assert group_of({"treatment": {"drug": None, "service_type": "imaging"}}) == "imaging"
    records = [{"items": [
        {"outcome": "upheld", "treatment": drug, "reasons": [{"reason": "monitoring_not_documented", "start": 0, "end": 1}]},
        {"outcome": "overturned", "treatment": drug, "reasons": [{"reason": "criteria_met", "start": 0, "end": 1}]},
        {"outcome": "upheld", "treatment": {"drug": None}, "reasons": []},
    ]}]
    table = tabulate(records)
    assert table["all"]["items"] == 3 and table["all"]["upheld"] == 2
    assert table["drug: opioid"]["reasons"]["criteria_met"] == [1, 0]
    text = markdown(table, 1)
    assert "| drug: opioid | 2 | 50% |" in text and "| **all** | 3 | 67% |" in text
