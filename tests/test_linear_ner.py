"""imr_linear_ner: decoding, training on tiny examples, serialization, merging with existing entities."""

from __future__ import annotations

from pathlib import Path

import numpy
import pytest
import spacy
from spacy.tokens import Span
from spacy.training import Example
from spacy.util import fix_random_seed, load_config, load_model_from_config

from imr_nlp import entity_rules  # noqa: F401  (registers imr_entity_rules)
from imr_nlp.linear_ner import LinearEntityTagger, gather_sum, tags_to_spans, window_features

ROOT = Path(__file__).resolve().parent.parent

# Tag ids: 0 = O, then 1 + 4 * label + move with moves B, I, L, U.
B0, I0, L0, U0, B1, I1, L1, U1 = range(1, 9)
TAG_CASES = [
    ([], []),
    ([0, 0, 0], []),
    ([B0, I0, L0], [(0, 3, 0)]),
    ([U0, U0], [(0, 1, 0), (1, 2, 0)]),
    ([I0, I0, 0, L0], [(0, 2, 0), (3, 4, 0)]),  # no B: a run still makes one span
    ([B0, I1, L1], [(0, 1, 0), (1, 3, 1)]),  # label change starts a new span
    ([B0, I0, B0, L0], [(0, 2, 0), (2, 4, 0)]),  # B inside a run starts a new span
    ([L0, I0, L0], [(0, 1, 0), (1, 3, 0)]),  # after L a new span starts
    ([0, U1, I1, 0, B0], [(1, 2, 1), (2, 3, 1), (4, 5, 0)]),
]


@pytest.mark.parametrize(("tags", "expected"), TAG_CASES)
def test_tags_to_spans_valid_and_non_overlapping(tags, expected):
    spans = tags_to_spans(numpy.asarray(tags, dtype="int64"))
    assert spans == expected
    for (_, end, _), (start, _, _) in zip(spans, spans[1:]):
        assert end <= start


TRAIN = [
    ("Norco 10/325 mg #60 was requested for chronic low back pain.",
     [("Norco", "DRUG"), ("10/325 mg", "DOSE"), ("#60", "QUANTITY"), ("chronic low back pain", "DIAGNOSIS")]),
    ("The claimant takes Tramadol ER 150mg once daily for lumbar radiculopathy.",
     [("Tramadol ER", "DRUG"), ("150mg", "DOSE"), ("once daily", "FREQUENCY"),
      ("lumbar radiculopathy", "DIAGNOSIS")]),
    ("Per MTUS Chronic Pain Medical Treatment Guidelines, page 78, the request is not medically necessary.",
     [("MTUS Chronic Pain Medical Treatment Guidelines, page 78", "CITATION")]),
    ("Date of injury: 03/15/2012. Cyclobenzaprine 7.5 mg #90 is not supported.",
     [("03/15/2012", "DATE"), ("Cyclobenzaprine", "DRUG"), ("7.5 mg", "DOSE"), ("#90", "QUANTITY")]),
]


def char_entities(text, mentions):
    out, cursor = [], 0
    for mention, label in mentions:
        start = text.index(mention, cursor)
        out.append((start, start + len(mention), label))
        cursor = start + len(mention)
    return out


def trained(n_iter: int = 60, **config):
    fix_random_seed(0)
    nlp = spacy.blank("en")
    nlp.add_pipe("imr_linear_ner", config=config)
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": char_entities(t, m)}) for t, m in TRAIN]
    optimizer = nlp.initialize(lambda: examples)
    optimizer.learn_rate = 0.01
    for _ in range(n_iter):
        nlp.update(examples, sgd=optimizer)
    return nlp


@pytest.fixture(scope="module")
def tiny_nlp():
    import imr_nlp.linear_ner  # noqa: F401  (registers the factory)

    return trained()


def test_labels_come_from_training(tiny_nlp):
    assert tiny_nlp.get_pipe("imr_linear_ner").labels == (
        "CITATION", "DATE", "DIAGNOSIS", "DOSE", "DRUG", "FREQUENCY", "QUANTITY")


@pytest.mark.parametrize(("text", "mentions"), TRAIN)
def test_trains_and_tags_training_examples(tiny_nlp, text, mentions):
    doc = tiny_nlp(text)
    assert [(e.text, e.label_) for e in doc.ents] == mentions


def test_to_disk_from_disk_round_trip(tiny_nlp, tmp_path):
    tiny_nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    component = loaded.get_pipe("imr_linear_ner")
    assert component.labels == tiny_nlp.get_pipe("imr_linear_ner").labels
    for text, _ in TRAIN:
        docs = [tiny_nlp.make_doc(text)]
        assert numpy.allclose(component.predict(docs), tiny_nlp.get_pipe("imr_linear_ner").predict(docs))
        assert [(e.start, e.end, e.label_) for e in loaded(text).ents] == [
            (e.start, e.end, e.label_) for e in tiny_nlp(text).ents]


@pytest.mark.parametrize(("text", "preset"), [
    ("Norco 10/325 mg #60 was requested for chronic low back pain.", [(0, 3, "CITATION")]),
    ("Norco 10/325 mg #60 was requested for chronic low back pain.", [(7, 10, "DRUG")]),
    ("The claimant takes Tramadol ER 150mg once daily for lumbar radiculopathy.", [(4, 6, "DATE")]),
])
def test_predictions_never_overlap_existing_entities(tiny_nlp, text, preset):
    doc = tiny_nlp.make_doc(text)
    doc.set_ents([Span(doc, s, e, label=label) for s, e, label in preset])
    doc = tiny_nlp.get_pipe("imr_linear_ner")(doc)
    ents = [(e.start, e.end, e.label_) for e in doc.ents]
    for entity in preset:
        assert entity in ents  # kept unchanged
    for start, end, label in ents:
        if (start, end, label) not in preset:
            assert not any(start < e and s < end for s, e, _ in preset)
    assert ents == sorted(ents) and all(a[1] <= b[0] for a, b in zip(ents, ents[1:]))


def test_after_rules_only_fills_gaps(tiny_nlp):
    text = "Norco 10/325 mg #60 was requested for chronic low back pain on 03/15/2012."
    rules = spacy.blank("en")
    rules.add_pipe("imr_entity_rules")
    expected = [(e.start_char, e.end_char, e.label_) for e in rules(text).ents]
    rules.add_pipe("imr_linear_ner", source=tiny_nlp)
    found = [(e.start_char, e.end_char, e.label_) for e in rules(text).ents]
    assert set(expected) <= set(found)


@pytest.mark.parametrize("texts", [[""], ["", "Norco 10/325 mg #60.", ""], [" \n\n "]])
def test_empty_and_whitespace_docs(tiny_nlp, texts):
    docs = list(tiny_nlp.pipe(texts))
    for text, doc in zip(texts, docs):
        assert doc.text == text
        if not text.strip():
            assert list(doc.ents) == []


def test_spans_never_start_or_end_on_whitespace(tiny_nlp):
    doc = tiny_nlp("Norco\n\n10/325 mg  #60 for chronic low\nback pain.")
    for ent in doc.ents:
        assert not ent[0].is_space and not ent[-1].is_space


def test_threshold_above_one_keeps_nothing(tiny_nlp):
    component = tiny_nlp.get_pipe("imr_linear_ner")
    component.threshold = 1.01
    try:
        assert list(tiny_nlp(TRAIN[0][0]).ents) == []
    finally:
        component.threshold = 0.0


def test_missing_tags_get_no_gradient(tiny_nlp):
    component: LinearEntityTagger = tiny_nlp.get_pipe("imr_linear_ner")
    doc = tiny_nlp.make_doc("Norco 10/325 mg #60 daily.")  # Norco 10/325 mg # 60 daily .
    assert len(doc) == 7
    example = Example.from_dict(doc, {"entities": ["U-DRUG", "-", "-", "-", "O", "O", "O"]})
    n_tags = len(component.tag_names)
    scores = numpy.full((len(doc), n_tags), 1.0 / n_tags, dtype="f")
    loss, d_scores = component.get_loss([example], scores)
    assert numpy.all(d_scores[1:4] == 0)
    assert d_scores[0, component.tag_names.index("U-DRUG")] < 0
    assert loss == pytest.approx(4 * numpy.log(n_tags), rel=1e-4)  # four known tags


def test_window_features_do_not_depend_on_batch_neighbours():
    nlp = spacy.blank("en")
    a, b = nlp("Ibuprofen 800 mg"), nlp("Lumbar strain and sprain.")
    attrs, windows = [spacy.attrs.NORM, spacy.attrs.SHAPE], [2, 1]
    seeds = numpy.arange(1, 2 * (5 + 3) + 1, dtype=numpy.uint64)
    alone = window_features([a], attrs, windows, seeds, 12)
    batch = window_features([b, a], attrs, windows, seeds, 12)
    assert alone.shape == (3, 16)
    assert numpy.array_equal(batch[len(b):], alone)
    assert alone.min() >= 0 and alone.max() < 2**12


def test_gather_sum_matches_fancy_indexing():
    rng = numpy.random.RandomState(0)
    table = rng.rand(50, 7).astype("f")
    ids = rng.randint(0, 50, size=(5000, 9))
    assert numpy.allclose(gather_sum(table, ids, chunk=300), table[ids].sum(axis=1), atol=1e-4)


@pytest.mark.parametrize("hidden_width", [0, 16])
def test_linear_and_hidden_models_train(hidden_width):
    nlp = trained(n_iter=80, model={
        "@architectures": "imr_nlp.HashWindowTagger.v1", "attrs": ["NORM", "SHAPE"], "windows": [1, 1],
        "n_bits": 12, "n_hashes": 2, "hidden_width": hidden_width})
    text, mentions = TRAIN[0]
    assert [(e.text, e.label_) for e in nlp(text).ents] == mentions


def test_threshold_comes_from_config_not_saved_cfg(tiny_nlp, tmp_path):
    tiny_nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model", config={"components": {"imr_linear_ner": {"threshold": 1.01}}})
    assert loaded.get_pipe("imr_linear_ner").threshold == 1.01
    assert list(loaded(TRAIN[0][0]).ents) == []


def test_training_config_builds():
    config = load_config(ROOT / "configs" / "linear_ner.cfg")
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    assert nlp.pipe_names == ["imr_linear_ner"]
    assert isinstance(nlp.get_pipe("imr_linear_ner"), LinearEntityTagger)
