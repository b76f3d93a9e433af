"""scripts/evaluate_unseen_vocabulary.py: which lexicon heads count as unseen, and removing them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import imr_nlp
import imr_nlp.normalize.diagnoses as diagnoses

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "evaluate_unseen_vocabulary.py"


@pytest.fixture(scope="module")
def unseen():
    spec = importlib.util.spec_from_file_location("evaluate_unseen_vocabulary", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _record(text: str, *phrases: str) -> dict:
    spans = []
    for phrase in phrases:
        start = text.index(phrase)
        spans.append({"start": start, "end": start + len(phrase), "label": "DIAGNOSIS"})
    return {"text": text, "spans": spans, "meta": {}}


def test_only_heads_no_other_letter_uses_are_unseen(unseen):
    dev = [_record("He has lumbago and right carpal tunnel syndrome.", "lumbago", "right carpal tunnel syndrome")]
    others = [_record("Treated for lumbago and chronic pain.", "lumbago", "chronic pain")]
    assert unseen.dev_only_heads(dev, others) == {"carpal tunnel syndrome"}


def test_removed_heads_are_no_longer_found_by_that_pipeline_only(unseen):
    text = "She has right carpal tunnel syndrome and lumbago."
    ablated, shipped = imr_nlp.load(rules_only=True), imr_nlp.load(rules_only=True)

    def found(nlp):
        return [e.text for e in nlp(text).ents if e.label_ == "DIAGNOSIS"]

    assert found(ablated) == ["right carpal tunnel syndrome", "lumbago"]
    unseen.without_heads(ablated, {"carpal tunnel syndrome"})
    assert found(ablated) == ["lumbago"]
    # the edit is held by that pipeline's component: the other pipeline and the module-level
    # finder (the packaged lexicon) still find the head
    assert found(shipped) == ["right carpal tunnel syndrome", "lumbago"]
    assert [text[s:e] for s, e in diagnoses.find_diagnoses(text)] == ["right carpal tunnel syndrome", "lumbago"]
    # heads generated from ICD-10-CM (the second lexicon file) are removed too
    other = "He was treated for accidental hypothermia."
    assert "accidental hypothermia" in [e.text for e in ablated(other).ents]
    unseen.without_heads(ablated, {"accidental hypothermia"})
    assert "accidental hypothermia" not in [e.text for e in ablated(other).ents]
