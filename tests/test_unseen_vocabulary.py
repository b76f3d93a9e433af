"""scripts/evaluate_unseen_vocabulary.py: which lexicon heads count as unseen, and removing them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

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


@pytest.fixture
def restore_lexicon():
    original = diagnoses._read
    yield
    diagnoses._read = original
    diagnoses.load_lexicon.cache_clear()


def test_only_heads_no_other_letter_uses_are_unseen(unseen):
    dev = [_record("He has lumbago and right carpal tunnel syndrome.", "lumbago", "right carpal tunnel syndrome")]
    others = [_record("Treated for lumbago and chronic pain.", "lumbago", "chronic pain")]
    assert unseen.dev_only_heads(dev, others) == {"carpal tunnel syndrome"}


def test_removed_heads_are_no_longer_found(unseen, restore_lexicon):
    text = "She has right carpal tunnel syndrome and lumbago."
    assert [text[s:e] for s, e in diagnoses.find_diagnoses(text)] == ["right carpal tunnel syndrome", "lumbago"]
    unseen.without_heads({"carpal tunnel syndrome"})
    assert [text[s:e] for s, e in diagnoses.find_diagnoses(text)] == ["lumbago"]
