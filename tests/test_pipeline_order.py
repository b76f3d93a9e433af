"""The component order documented in configs/README.md is the order the components need:
each reads what an earlier one wrote (declared with ``requires``), in both configs."""

from __future__ import annotations

import spacy
from conftest import ROOT

import imr_nlp
from imr_nlp.pipeline import TRAINED_COMPONENTS, default_config_path

ASSEMBLE = ROOT / "configs" / "assemble.cfg"


def _problems(nlp) -> dict[str, list[str]]:
    return {name: missing for name, missing in nlp.analyze_pipes()["problems"].items() if missing}


def test_the_shipped_pipelines_satisfy_every_requires():
    assert _problems(imr_nlp.load(rules_only=True)) == {}
    config = spacy.util.load_config(default_config_path())
    nlp = spacy.blank("en")
    for name in config["nlp"]["pipeline"]:
        nlp.add_pipe(config["components"][name]["factory"], name=name)
    assert _problems(nlp) == {}


def test_the_assembled_pipeline_keeps_the_rule_order_and_satisfies_every_requires():
    shipped = spacy.util.load_config(default_config_path())
    rules = [n for n in shipped["nlp"]["pipeline"] if shipped["components"][n]["factory"] not in TRAINED_COMPONENTS]
    assembled = spacy.util.load_config(ASSEMBLE, interpolate=False)
    order = assembled["nlp"]["pipeline"]
    assert [n for n in order if n != "imr_linear_ner"] == rules
    nlp = spacy.blank("en")
    for name in order:  # the sourced model as a fresh component: same factory, same declarations
        nlp.add_pipe(assembled["components"][name].get("factory", "imr_linear_ner"), name=name)
    assert _problems(nlp) == {}


def test_a_pipeline_without_sections_or_entities_is_reported():
    nlp = spacy.blank("en")
    for name in ("imr_letter_attributes", "imr_patient_diagnoses", "imr_items", "imr_reasons_rules"):
        nlp.add_pipe(name)
    assert _problems(nlp) == {
        "imr_letter_attributes": ["doc.spans"],
        "imr_patient_diagnoses": ["doc.ents", "doc.spans"],
        "imr_items": ["doc.spans", "doc.ents"],
    }
