"""Equivalence tests of the fast paths of ``imr_items``: each gives what the general code
it replaces gives (``doc.ents`` and ``span._.normalized``; ``doc.char_span``)."""

from __future__ import annotations

import spacy
from conftest import LETTERS_2016, SEEDS, read

import imr_nlp
from imr_nlp.extensions import register_extensions
from imr_nlp.items import doc_drugs
from imr_nlp.normalize.drugs import DrugInfo


def _reference_drugs(doc):
    """doc_drugs as read through Spans: every DRUG entity of doc.ents with span._.normalized."""
    found = []
    for ent in doc.ents:
        if ent.label_ == "DRUG":
            values = ent._.normalized
            found.append((ent.start_char, ent.end_char, DrugInfo(ent.text, values["generic"], values["drug_class"])))
    return found


def test_doc_drugs_equals_the_drug_entities_with_their_normalized_values():
    nlp = imr_nlp.load(rules_only=True)
    docs = list(nlp.pipe([read(p) for p in SEEDS + LETTERS_2016[:20]]))
    assert sum(len(_reference_drugs(doc)) for doc in docs) > 100
    for _ in range(2):  # the second time the values come from the memo
        for doc in docs:
            assert doc_drugs(doc) == _reference_drugs(doc)
            assert doc_drugs(doc, doc.text) == _reference_drugs(doc)


def test_doc_drugs_reads_adjacent_and_multi_token_entities_as_doc_ents_does():
    register_extensions()
    doc = spacy.blank("en")("Oxycodone HCL ER Norco Zzyzx 10 mg and Lyrica then Norco")
    doc.set_ents(
        [
            doc.char_span(0, 16, label="DRUG"),  # three tokens
            doc.char_span(17, 22, label="DRUG"),  # right after: B B
            doc.char_span(23, 28, label="DRUG"),
            doc.char_span(29, 34, label="DOSE"),  # I tokens of another label follow
            doc.char_span(39, 45, label="DRUG"),
            doc.char_span(51, 56, label="DRUG"),  # the last token
        ],
        default="outside",
    )
    assert [(s, e) for s, e, _ in doc_drugs(doc)] == [(0, 16), (17, 22), (23, 28), (39, 45), (51, 56)]
    assert doc_drugs(doc) == _reference_drugs(doc)
    assert doc_drugs(spacy.blank("en")("")) == []
