"""The trained components process a batch of docs at once (``pipe``): every doc must get
exactly what it gets alone, whatever its neighbours in the batch (empty, one word, long)."""

from __future__ import annotations

import json

import numpy
import pytest
from conftest import LETTERS_2016, SEEDS, read

import imr_nlp
from imr_nlp import diagnosis_tagger as D

# letters where the tagger changes the rules' DIAGNOSIS spans, letters where it does not,
# and docs with no or almost no tokens, mixed so that batch boundaries fall between them
_CHANGED = ("CM16-0240524", "CM17-0005924", "CM17-0004133")
_LETTERS = [p for p in LETTERS_2016 if p.stem in _CHANGED] + LETTERS_2016[:2] + SEEDS[:1]
_SHORT = ["", "Pain.", "  \n ", "Diagnoses: lumbar radiculopathy, chronic low back pain and depression."]


def _texts() -> list[str]:
    letters = [read(p) for p in _LETTERS]
    return [letters[0], _SHORT[0], letters[1], _SHORT[1], _SHORT[3], letters[3], _SHORT[2], letters[2],
            letters[4], _SHORT[1], letters[5], _SHORT[0]]


@pytest.fixture(scope="module")
def shipped():
    return imr_nlp.load()


@pytest.fixture(scope="module")
def rule_docs():
    """Docs as the tagger receives them (the rule pipeline's entities and sections)."""
    return list(imr_nlp.load(rules_only=True).pipe(_texts()))


def _ents(doc):
    return [(e.start, e.end, e.label_, e.kb_id_, e.id_) for e in doc.ents]


def _record(doc):
    return _ents(doc), json.dumps(doc._.items, sort_keys=True), doc.cats


def test_pipe_over_a_batch_gives_each_doc_its_own_result(shipped):
    texts = _texts()
    alone = [_record(shipped(t)) for t in texts]
    for batch_size in (32, 3):
        assert [_record(d) for d in shipped.pipe(texts, batch_size=batch_size)] == alone
    # the letters exercise the decoding: the tagger changes some rule spans
    rules = imr_nlp.load(rules_only=True)
    assert any(_ents(rules(t)) != a[0] for t, a in zip(texts, alone, strict=True))


@pytest.mark.parametrize("merge", D.MERGES)
@pytest.mark.parametrize("margin", [0.0, 4.0])
def test_batched_tagger_matches_predict_and_set_annotations(shipped, rule_docs, merge, margin):
    """The batch path against the generic one (``predict`` + ``set_annotations``, features
    and decoding doc by doc), for every merge mode."""
    model = shipped.get_pipe("imr_diagnosis_tagger").model
    tagger = D.DiagnosisTagger(shipped.vocab, model, merge=merge, margin=margin)
    batched = [d.copy() for d in rule_docs]
    generic = [d.copy() for d in rule_docs]
    assert len(list(tagger.pipe(batched, batch_size=5))) == len(batched)
    tagger.set_annotations(generic, tagger.predict(generic))
    assert [_ents(d) for d in batched] == [_ents(d) for d in generic]
    single = [d.copy() for d in rule_docs]
    assert [_ents(tagger(d)) for d in single] == [_ents(d) for d in generic]
    if margin == 0.0 and merge != "new":  # the letters have rule spans the model corrects
        assert [_ents(d) for d in batched] != [_ents(d) for d in rule_docs]


@pytest.mark.parametrize("windows", [None, [0] * 10, [3, 1, 2, 0, 2, 1, 0, 1, 1, 1]])
def test_batch_feature_ids_are_the_per_doc_ids(rule_docs, windows):
    """Window features and rule trigrams never reach across docs in a batch."""
    model = D.build_rule_feature_tagger(n_bits=16, windows=windows)
    windows = model.attrs["windows"]
    seeds = numpy.asarray(model.attrs["seeds"], dtype=numpy.uint64)
    docs = [d for d in rule_docs if len(d)]
    width = D._plan(windows)[2]
    padded, _, firsts = D.batch_keys(docs, width)
    ids = D.batch_feature_ids(padded, seeds, 16, windows)
    rows = numpy.concatenate([numpy.arange(f - width, f - width + len(d)) for f, d in zip(firsts, docs, strict=True)])
    assert numpy.array_equal(ids[:, rows], D.feature_ids(docs, seeds, 16, windows))
    # the keys of each doc are those of the doc alone
    for doc, first in zip(docs, firsts.tolist(), strict=True):
        assert numpy.array_equal(padded[:, first : first + len(doc)].T, D.token_keys(doc))


@pytest.mark.parametrize("tag", [2, 4])
def test_a_tag_everywhere_stays_inside_each_doc(shipped, rule_docs, tag):
    """A model that tags every position I (or U) — the positions between the docs of a batch
    included — still gives each doc the spans it gets alone."""
    windows = shipped.get_pipe("imr_diagnosis_tagger").model.attrs["windows"]
    model = D.build_rule_feature_tagger(n_bits=16, windows=windows)
    model.initialize()
    bias = numpy.zeros(len(D.TAGS), dtype="f")
    bias[tag] = 5.0
    model.set_param("b", bias)
    tagger = D.DiagnosisTagger(shipped.vocab, model, merge="add", margin=0.0)
    batched = [d.copy() for d in rule_docs]
    generic = [d.copy() for d in rule_docs]
    list(tagger.pipe(batched, batch_size=4))
    tagger.set_annotations(generic, tagger.predict(generic))
    assert [_ents(d) for d in batched] == [_ents(d) for d in generic]


def _by_sentence(ids, owners, n):
    order = numpy.argsort(owners, kind="stable")  # the ids of each sentence, in their order
    return numpy.split(ids[order], numpy.cumsum(numpy.bincount(owners, minlength=n))[:-1])


def test_batch_sentence_features_are_each_docs_own(shipped):
    """Each sentence of a batch gets the ids it gets in its doc alone, in the same order
    (so its summed rows are the same to the bit); no word pair or negation scope crosses
    into the next rationale or doc."""
    from imr_nlp.reasons_model import batch_sentence_features, doc_rationales, sentence_features

    component = shipped.get_pipe("imr_reasons")
    docs = [d for d in shipped.pipe(_texts()) if d._.items]
    batch = [(doc, doc_rationales(doc)) for doc in docs]
    assert sum(len(r) for _, r in batch) > len(batch)  # docs with several rationales
    ids, owners, counts = batch_sentence_features(batch, 16, True)
    n = sum(sum(c) for c in counts)
    expected = []
    for doc, rationales in batch:
        one_ids, one_owners, one_counts = sentence_features(doc, rationales, 16, True)
        expected += _by_sentence(one_ids, one_owners, sum(one_counts))
    got = _by_sentence(ids, owners, n)
    assert len(got) == len(expected) and all(numpy.array_equal(a, b) for a, b in zip(got, expected, strict=True))
    logits = component.model.predict((ids, owners, n))
    alone = [component.model.predict((*sentence_features(d, r, 16, True)[:2], sum(len(x.sentences) for x in r)))
             for d, r in batch]
    assert numpy.array_equal(logits, numpy.concatenate(alone))
