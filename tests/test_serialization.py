"""Saving a pipeline keeps its rules: each imr rule component writes its data files
(lexicons, patterns, tables) into its folder and reads them back, so a saved pipeline runs on
the rules it was saved with, and two pipelines in one process can differ."""

from __future__ import annotations

import json

import pytest
import spacy
import srsly
from conftest import SAMPLES, read
from spacy.tokens import Doc, Span
from spacy.training import Example

import imr_nlp
from imr_nlp.extensions import RuleComponent
from imr_nlp.output import to_dict
from imr_nlp.pipeline import TRAINED_COMPONENTS, default_config_path
from imr_nlp.resources import RuleData, packaged_data, packaged_file

LETTERS = sorted(SAMPLES.glob("**/*.txt"))
# every component of the default pipeline that is not trained holds its rules
RULE_FACTORIES = tuple(
    block["factory"]
    for block in spacy.util.load_config(default_config_path())["components"].values()
    if block["factory"] not in TRAINED_COMPONENTS
)
# A made-up drug name and condition head: neither is in the packaged lexicons.
NEW_DRUG = "Quelvatrex"
NEW_HEAD = "brachial plexopathy of vandermeer"
TEXT = f"The patient takes {NEW_DRUG} 20 mg twice daily for {NEW_HEAD} of the right arm."


def _records(nlp, paths=LETTERS) -> list[str]:
    return [json.dumps(to_dict(doc, id=p.stem), sort_keys=True) for p, doc in zip(paths, nlp.pipe(map(read, paths)))]


def _rule_components(nlp) -> list[RuleComponent]:
    return [nlp.get_pipe(n) for n in nlp.pipe_names if nlp.get_pipe_meta(n).factory in RULE_FACTORIES]


@pytest.fixture(scope="module")
def default_records(nlp):
    return _records(nlp)


@pytest.fixture(scope="module")
def saved(nlp, tmp_path_factory):
    path = tmp_path_factory.mktemp("pipeline") / "imr"
    nlp.to_disk(path)
    return path


def test_every_rule_component_holds_and_saves_its_data_files(nlp, saved):
    components = _rule_components(nlp)
    assert sorted(nlp.get_pipe_meta(c.name).factory for c in components) == sorted(RULE_FACTORIES)
    assert len(RULE_FACTORIES) >= 6 and all(isinstance(c, RuleComponent) for c in components)
    for component in components:
        assert component.DATA_FILES
        for name in component.DATA_FILES:
            written = saved / component.name / name
            assert written.is_file(), written
            content = [srsly.json_loads(line) for line in read(written).splitlines()] if name.endswith(".jsonl") \
                else srsly.read_json(written)
            assert content == packaged_file(name)


def test_spacy_load_of_the_saved_pipeline_gives_identical_records(saved, default_records):
    loaded = spacy.load(saved)
    assert loaded.pipe_names == imr_nlp.load().pipe_names
    assert _records(loaded) == default_records
    assert len(default_records) == len(LETTERS) >= 120


def test_components_with_their_own_copy_of_the_data_give_identical_records(default_records):
    """Every component reads its finders' data from what it holds: with private copies (no
    compiled structure shared with the packaged data) the records are the same; a file a
    finder reads but the component does not hold would raise here."""
    nlp = imr_nlp.load()
    for component in _rule_components(nlp):
        component.set_data(component.data_files, share=False)
        assert not component.data.packaged
    assert _records(nlp) == default_records


def _add_drug_and_head(path) -> None:
    """Edit the lexicons saved in ``path`` (a pipeline folder): one drug row, one head."""
    rules = path / "imr_entity_rules"
    drugs = list(srsly.read_jsonl(rules / "drugs.jsonl"))
    drugs.append({"name": NEW_DRUG, "generic": "quelvatrex", "drug_class": "muscle relaxant", "kind": "brand"})
    srsly.write_jsonl(rules / "drugs.jsonl", drugs)
    lexicon = srsly.read_json(rules / "diagnoses.json")
    lexicon["heads"]["nerve_and_pain"].append(NEW_HEAD)
    srsly.write_json(rules / "diagnoses.json", lexicon)


def _entities(doc) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in doc.ents]


def test_editing_a_saved_lexicon_changes_that_pipeline_only(nlp, saved, tmp_path):
    edited = tmp_path / "edited"
    spacy.load(saved).to_disk(edited)
    _add_drug_and_head(edited)
    before = _entities(nlp(TEXT))
    assert (NEW_DRUG, "DRUG") not in before
    changed = spacy.load(edited)
    doc = changed(TEXT)
    assert (NEW_DRUG, "DRUG") in _entities(doc)
    drug = next(e for e in doc.ents if e.text == NEW_DRUG)
    assert drug._.normalized == {"generic": "quelvatrex", "drug_class": "muscle relaxant"}
    assert any(label == "DIAGNOSIS" and NEW_HEAD in text for text, label in _entities(doc))
    # the shipped pipeline in the same process, and a new one, still use the packaged rules
    assert _entities(nlp(TEXT)) == before
    assert _entities(imr_nlp.load(rules_only=True)(TEXT)) == before
    assert (NEW_DRUG, "DRUG") in _entities(changed(TEXT))
    # the record of the edited pipeline shows the drug with its normalized values
    record = to_dict(changed(TEXT))
    assert {"label": "DRUG", "text": NEW_DRUG, "generic": "quelvatrex"}.items() <= next(
        e for e in record["entities"] if e["text"] == NEW_DRUG
    ).items()
    # a doc of the edited pipeline sent through bytes (as from a worker process) keeps them
    copy = Doc(changed.vocab).from_bytes(changed(TEXT).to_bytes())
    assert next(e for e in copy.ents if e.text == NEW_DRUG)._.normalized["generic"] == "quelvatrex"
    # the edited pipeline saves its edited rules again
    again = tmp_path / "again"
    changed.to_disk(again)
    assert NEW_DRUG in read(again / "imr_entity_rules" / "drugs.jsonl")


def test_to_bytes_and_from_bytes_round_trip():
    source = imr_nlp.load(rules_only=True)
    rules = source.get_pipe("imr_entity_rules")
    rules.set_data_file("drugs.jsonl", [*rules.data_files["drugs.jsonl"], {
        "name": NEW_DRUG, "generic": "quelvatrex", "drug_class": "muscle relaxant", "kind": "brand"}])
    data = source.to_bytes()
    target = imr_nlp.load(rules_only=True)
    assert (NEW_DRUG, "DRUG") not in _entities(target(TEXT))
    target.from_bytes(data)
    assert (NEW_DRUG, "DRUG") in _entities(target(TEXT))
    assert target.get_pipe("imr_entity_rules").data_files == rules.data_files
    # an unchanged component round-trips to the shared packaged data
    assert target.get_pipe("imr_items").data is packaged_data()
    assert to_dict(target(read(LETTERS[0]))) == to_dict(source(read(LETTERS[0])))


def test_unknown_label_is_an_error():
    nlp = spacy.blank("en")
    with pytest.raises(ValueError, match="unknown .*label.*DRUGS"):
        nlp.add_pipe("imr_entity_rules", config={"labels": ["DRUG", "DRUGS"]})


def test_initialize_loads_the_given_data_and_checks_the_file_names():
    nlp = spacy.blank("en")
    rules = nlp.add_pipe("imr_entity_rules", config={"labels": ["DRUG"]})
    assert rules.data is packaged_data()  # without initialize: the packaged data
    drugs = [{"name": NEW_DRUG, "generic": "quelvatrex", "drug_class": "muscle relaxant", "kind": "brand"}]
    files = {name: packaged_file(name) for name in rules.DATA_FILES} | {"drugs.jsonl": drugs}
    nlp.initialize(lambda: [])  # the registered default: the packaged files
    assert rules.data is packaged_data()
    rules.initialize(data=files)
    assert _entities(nlp("Norco and " + NEW_DRUG)) == [(NEW_DRUG, "DRUG")]
    with pytest.raises(ValueError, match="missing"):
        rules.initialize(data={"drugs.jsonl": drugs})
    with pytest.raises(ValueError, match="drugs.jsonl"):
        rules.set_data_file("drugs.jsonl", [{"name": "Nothing"}])  # a row without its fields


def test_a_pipeline_saved_without_rule_files_keeps_the_packaged_rules(tmp_path):
    nlp = imr_nlp.load(rules_only=True)
    nlp.to_disk(tmp_path / "p")
    for name in ("imr_entity_rules", "imr_items"):
        for path in (tmp_path / "p" / name).iterdir():
            path.unlink()
        (tmp_path / "p" / name).rmdir()
    loaded = spacy.load(tmp_path / "p")
    assert loaded.get_pipe("imr_entity_rules").data is packaged_data()
    assert _entities(loaded("Norco 10/325 mg")) == _entities(nlp("Norco 10/325 mg"))


def test_entity_rules_score_with_the_ner_scorer():
    nlp = imr_nlp.load(rules_only=True)
    text = "He takes Norco 10/325 mg."
    predicted = nlp(text)
    reference = nlp.make_doc(text)
    reference.ents = [Span(reference, 2, 3, label="DRUG")]
    scores = nlp.get_pipe("imr_entity_rules").score([Example(predicted, reference)])
    assert scores["ents_per_type"]["DRUG"]["p"] == 1.0
    assert 0 < scores["ents_p"] < 1  # the DOSE the reference lacks
    assert nlp.get_pipe_meta("imr_entity_rules").assigns
    assert nlp.get_pipe_meta("imr_patient_diagnoses").requires


def test_rule_data_reads_only_the_files_it_holds():
    data = RuleData({"drugs.jsonl": []})
    with pytest.raises(KeyError, match="guidelines.json"):
        data["guidelines.json"]


def test_the_reason_classifier_reads_the_patterns_of_the_reason_rules_that_ran(nlp, saved):
    """imr_reasons takes the rule hits of imr_reasons_rules as features (and adds the rule
    reasons it misses): with patterns edited in imr_reasons_rules, its features follow them."""
    import copy

    from imr_nlp.reasons_model import doc_rationales
    from imr_nlp.reasons_rules import REASON_RULES_KEY

    text = next(p for p in LETTERS if "2016-2017" in str(p)).read_text(encoding="utf8")
    edited = spacy.load(saved)
    rules = edited.get_pipe("imr_reasons_rules")
    patterns = copy.deepcopy(rules.data["reasons_patterns.json"])
    for reason in patterns["reasons"].values():
        reason["patterns"] = []  # no pattern finds anything
    rules.set_data_file("reasons_patterns.json", patterns)

    shipped_doc, edited_doc = nlp(text), edited(text)
    assert REASON_RULES_KEY not in shipped_doc.user_data
    shipped_hits = [r.hits for r in doc_rationales(shipped_doc)]
    edited_hits = [r.hits for r in doc_rationales(edited_doc)]
    assert any(any(any(weights) for weights in hits.values()) for hits in shipped_hits)
    assert not any(any(any(weights) for weights in hits.values()) for hits in edited_hits)
    assert all(item["reasons"] == [] or item["outcome"] != "overturned" for item in edited_doc._.items)
