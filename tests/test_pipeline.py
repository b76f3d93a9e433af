"""Loading, saving and reloading the pipeline; multiprocessing gives the same records."""

from __future__ import annotations

import pytest
import spacy
from conftest import LETTERS_2016, SEEDS, read

import imr_nlp
from imr_nlp.output import to_dict


def test_default_pipeline_components(nlp):
    assert nlp.pipe_names == [
        "imr_sections",
        "imr_letter_attributes",
        "imr_entity_rules",
        "imr_diagnosis_tagger",
        "imr_patient_diagnoses",
        "imr_items",
        "imr_reasons_rules",
        "imr_reasons",
    ]
    assert imr_nlp.load(rules_only=True).pipe_names == [
        "imr_sections",
        "imr_letter_attributes",
        "imr_entity_rules",
        "imr_patient_diagnoses",
        "imr_items",
        "imr_reasons_rules",
    ]


def test_save_and_reload_gives_identical_records(nlp, tmp_path):
    nlp.to_disk(tmp_path / "pipeline")
    reloaded = imr_nlp.load(tmp_path / "pipeline")
    also_plain_spacy = spacy.load(tmp_path / "pipeline")  # entry points register the factories
    text = read(SEEDS[1])
    expected = to_dict(nlp(text), id="x")
    assert to_dict(reloaded(text), id="x") == expected
    assert to_dict(also_plain_spacy(text), id="x") == expected
    assert reloaded.from_bytes(nlp.to_bytes()).pipe_names == nlp.pipe_names


def test_sections_span_group(nlp):
    doc = nlp(read(LETTERS_2016[0]))
    labels = [span.label_ for span in doc.spans["sections"]]
    assert labels == ["header", "reviewer_qualifications", "reviewer_credentials", "case_summary", "decisions"]


def test_pipe_in_batches_gives_the_records_of_one_doc_at_a_time(nlp):
    texts = [read(p) for p in [*SEEDS, *LETTERS_2016[:4]]] + ["", "IMR"]
    one_by_one = [to_dict(nlp(t), id="x") for t in texts]
    assert [to_dict(d, id="x") for d in nlp.pipe(texts, batch_size=3)] == one_by_one


def test_pipe_sends_a_failing_doc_to_the_error_handler(monkeypatch):
    """The rule components' batched pipe() keeps spaCy's contract: a doc that raises goes to
    the handler set with nlp.set_error_handler and is left out; the batch goes on."""
    nlp = imr_nlp.load(rules_only=True)
    items = nlp.get_pipe("imr_items")
    call = type(items).__call__

    def fails_on_boom(self, doc):
        if "BOOM" in doc.text:
            raise ValueError("boom")
        return call(self, doc)

    monkeypatch.setattr(type(items), "__call__", fails_on_boom)
    texts = [read(SEEDS[0]), "BOOM", read(SEEDS[1])]
    failed = []
    nlp.set_error_handler(lambda name, proc, docs, e: failed.append((name, [d.text for d in docs], str(e))))
    kept = [doc.text for doc in nlp.pipe(texts, batch_size=2)]
    assert kept == [texts[0], texts[2]]
    assert failed == [("imr_items", ["BOOM"], "boom")]
    nlp.set_error_handler(spacy.util.raise_error)
    with pytest.raises(ValueError, match="boom"):
        list(nlp.pipe(texts))


def test_n_process_two_gives_the_same_records(nlp):
    texts = [read(p) for p in LETTERS_2016[:6]]
    single = [to_dict(d, id="x") for d in nlp.pipe(texts)]
    multi = [to_dict(d, id="x") for d in nlp.pipe(texts, n_process=2, batch_size=2)]
    assert multi == single
