"""The label registry (labels.py) is the one list: config, factory, schema, tools and views agree with it."""

from __future__ import annotations

import json
import re

import pytest
import spacy
from conftest import ROOT
from spacy.tokens import Span
from thinc.api import Config

from imr_nlp.entity_rules import find_entities
from imr_nlp.labels import BY_NAME, LABELS, REGISTRY, REPORT_ORDER, normalized_values, ordered_labels
from imr_nlp.resources import data_file, load_json


def test_registry_holds_the_seven_labels_in_priority_order():
    assert LABELS == ("CITATION", "DRUG", "DATE", "DOSE", "QUANTITY", "FREQUENCY", "DIAGNOSIS")
    assert [label.name for label in REGISTRY] == list(LABELS)
    assert sorted(REPORT_ORDER) == sorted(LABELS) and len(REPORT_ORDER) == len(LABELS)


def test_packaged_config_lists_the_registry():
    config = Config().from_str(data_file("config.cfg").read_text(encoding="utf8"))
    assert config["components"]["imr_entity_rules"]["labels"] == list(LABELS)


def test_factory_default_is_the_registry():
    nlp = spacy.blank("en")
    nlp.add_pipe("imr_entity_rules")
    assert nlp.config["components"]["imr_entity_rules"]["labels"] == list(LABELS)
    assert nlp.get_pipe("imr_entity_rules").labels == LABELS


def test_schema_label_enum_is_the_registry():
    schema = json.loads(data_file("imr_letter.schema.json").read_text(encoding="utf8"))
    enums = []

    def walk(node):
        if isinstance(node, dict):
            if "enum" in node and "CITATION" in node["enum"]:
                enums.append(node["enum"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    assert enums and all(enum == list(REPORT_ORDER) for enum in enums)


def test_annotation_config_and_colours_cover_the_registry():
    xml = (ROOT / "configs" / "labelstudio.xml").read_text(encoding="utf8")
    assert set(re.findall(r'<Label value="(\w+)"', xml)) == set(LABELS)
    assert set(load_json("display.json")["entity_colors"]) == set(LABELS)


def test_unknown_label_is_an_error_not_ignored():
    with pytest.raises(ValueError, match="DRUGS"):
        ordered_labels(["DRUG", "DRUGS"])
    with pytest.raises(ValueError, match="DRUGS"):
        find_entities("Norco 10 mg", ["DRUGS"])
    nlp = spacy.blank("en")
    with pytest.raises(ValueError, match="DRUGS"):
        nlp.add_pipe("imr_entity_rules", config={"labels": ["DRUGS"]})


def test_requested_labels_take_the_registry_priority():
    assert ordered_labels(["DIAGNOSIS", "CITATION", "DRUG"]) == ("CITATION", "DRUG", "DIAGNOSIS")


TEXT = (
    "Decision based on MTUS Chronic Pain Medical Treatment Guidelines, page 78.\n\n"
    "Norco 10/325mg #60 twice a day since 01/02/2015 for lumbar radiculopathy."
)


def test_each_finder_finds_its_label_and_only_it():
    every = find_entities(TEXT)
    assert {label for _, _, label in every} == set(LABELS)
    for name in LABELS:
        alone = find_entities(TEXT, [name])
        assert alone and {label for _, _, label in alone} == {name}
        assert [e for e in every if e[2] == name] == alone  # no overlap with another label in TEXT


def test_each_label_normalizes_through_the_registry():
    nlp = spacy.blank("en")
    doc = nlp(TEXT)
    keys = {"CITATION": {"citation"}, "DRUG": {"generic", "drug_class"}, "DATE": {"iso"},
            "DOSE": {"values", "unit"}, "QUANTITY": {"value"}, "FREQUENCY": {"per_day", "per_week"},
            "DIAGNOSIS": {"icd10cm"}}
    assert set(keys) == set(LABELS)
    for start, end, label in find_entities(TEXT):
        span = doc.char_span(start, end, label=label)
        values = normalized_values(span)
        assert set(values) == keys[label] == set(BY_NAME[label].normalize(span)), label
    assert normalized_values(Span(doc, 0, 1, label="OTHER")) == {}
