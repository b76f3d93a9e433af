"""``extensions.set_entities_on_blank`` (the entity rules' fast path) sets exactly what
``Doc.set_ents(spans, default="outside")`` sets on a doc without entity annotation."""

from __future__ import annotations

import random

import numpy
import spacy
from conftest import SEEDS, read
from spacy.attrs import ENT_ID, ENT_IOB, ENT_KB_ID, ENT_TYPE
from spacy.tokens import Doc, Span

from imr_nlp.extensions import set_entities_on_blank

TEXTS = [
    "He takes Norco 10/325 mg #60.On 1/2/15,Chronic pain  \n\n  was noted.",
    "  leading spaces and trailing spaces   ",
    "x",
    "Page 3 of 4\r\n\r\nUpheld.\n",
]


def _annotation(doc: Doc) -> tuple:
    return (
        doc.to_array([ENT_IOB, ENT_TYPE, ENT_KB_ID, ENT_ID]).tolist(),
        [(e.start, e.end, e.label_, e.kb_id, e.id) for e in doc.ents],
    )


def test_entities_on_blank_doc_are_set_ents():
    nlp = spacy.blank("en")
    rng = random.Random(3)
    labels = ["DRUG", "DOSE", "DATE", "CITATION"]
    for text in [*TEXTS, read(SEEDS[0])]:
        for trial in range(20):
            doc = nlp(text)
            n = len(doc)
            cuts = sorted(rng.sample(range(n + 1), min(n + 1, rng.randrange(0, 12))))
            # consecutive cut pairs as entities (adjacent ones included), some left out
            entities = [
                (a, b, rng.choice(labels)) for a, b in zip(cuts, cuts[1:]) if b > a and rng.random() < 0.7
            ]
            if trial % 3 == 0:  # knowledge-base ids set before: set_ents clears them inside entities
                kb = doc.vocab.strings.add("Q1")
                array = numpy.zeros((n, 1), dtype=numpy.uint64)
                array[::2, 0] = kb
                doc.from_array([ENT_KB_ID], array)
            reference = doc.copy()
            reference.set_ents([Span(reference, a, b, label=label) for a, b, label in entities], default="outside")
            assert set_entities_on_blank(doc, [Span(doc, a, b, label=label) for a, b, label in entities])
            assert _annotation(doc) == _annotation(reference)


def test_entities_on_annotated_or_empty_doc_are_left_to_set_ents():
    nlp = spacy.blank("en")
    doc = nlp("Norco 10 mg")
    doc.set_ents([Span(doc, 0, 1, label="DRUG")])
    before = _annotation(doc)
    assert not set_entities_on_blank(doc, [Span(doc, 1, 3, label="DOSE")])
    assert _annotation(doc) == before
    assert not set_entities_on_blank(nlp(""), [])
