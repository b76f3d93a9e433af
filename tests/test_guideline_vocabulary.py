"""A guideline name or document added to ``data/guidelines.json`` alone is found in guideline
lines and in free text (the procedure of CONTRIBUTING.md, "Adding a guideline name")."""

from __future__ import annotations

import contextlib
import copy

import pytest

from imr_nlp.entity_rules import EntityRules, find_entities
from imr_nlp.normalize import citations
from imr_nlp.resources import load_json, packaged_file, rule_data, using


@pytest.fixture
def guidelines():
    """Edit a copy of guidelines.json in memory; after ``use_copy()`` the finders read the
    entity rules' data with that copy (as a component holding it would) until the test ends."""
    data = copy.deepcopy(load_json("guidelines.json"))
    stack = contextlib.ExitStack()

    def use_copy():
        files = {name: packaged_file(name) for name in EntityRules.DATA_FILES}
        stack.enter_context(using(rule_data({**files, "guidelines.json": data})))

    with stack:
        yield data, use_copy


NEW_NAME_LINE = "Decision based on Non-MTUS Citation Zorblat Practice Compendium, Low Back Chapter, Lumbar supports"
NEW_NAME_TEXT = "The Zorblat Practice Compendium Low Back chapter does not recommend lumbar supports."


def test_a_new_guideline_name_is_found_in_a_guideline_line_and_in_free_text(guidelines):
    data, use_copy = guidelines
    # Before: the name is not known.
    assert [c["source"] for c in citations.parse_citations(NEW_NAME_LINE)] == ["OTHER"]
    assert citations.find_citations(NEW_NAME_TEXT) == []

    data["guideline_names"]["ODG"].append(r"Zorblat\s*Practice\s*Compendium")
    use_copy()

    (line,) = citations.parse_citations(NEW_NAME_LINE)
    assert (line["source"], line["document"], line["chapter"], line["topic"]) == (
        "ODG", "Official Disability Guidelines", "Low Back", "Lumbar supports"
    )
    (free,) = citations.find_citations(NEW_NAME_TEXT)
    assert (free["source"], free["chapter"], free["text"]) == ("ODG", "Low Back", "Zorblat Practice Compendium Low Back chapter")
    # the entity rules find it, and it passes the check on a trained model's CITATION spans
    entities = find_entities(NEW_NAME_TEXT, ["CITATION"])
    assert [NEW_NAME_TEXT[s:e] for s, e, _ in entities] == [free["text"]]
    assert citations.any_guideline_name().search("Zorblat Practice Compendium")


DOC_LINE = "Decision based on MTUS Zorblat Treatment Guidelines, 2019, Page(s): 12-13"
DOC_TEXT = "Per the Zorblat Treatment Guidelines, page 12, the request is not supported."


def test_a_new_mtus_document_is_found_in_a_guideline_line_and_in_free_text(guidelines):
    data, use_copy = guidelines
    assert citations.find_citations(DOC_TEXT) == []
    data["mtus_documents"].append(
        {"name": "Zorblat Treatment Guidelines", "ccr": "0000", "status": "U",
         "aliases": ["Zorblat Treatment Guidelines", "Zorblat Treatment"]}
    )
    use_copy()

    (line,) = citations.parse_citations(DOC_LINE)
    assert (line["source"], line["document"], line["year"], line["pages"]) == (
        "MTUS", "Zorblat Treatment Guidelines", 2019, [12, 13]
    )
    (free,) = citations.find_citations(DOC_TEXT)
    assert (free["source"], free["document"], free["pages"], free["text"]) == (
        "MTUS", "Zorblat Treatment Guidelines", [12], "Zorblat Treatment Guidelines, page 12"
    )


def test_guideline_line_labels_come_from_the_letter_templates():
    """The labels that cut a guideline line are the templates' guideline labels."""
    body = load_json("letter_templates.json")["items"]["body_labels"]
    assert citations.guideline_line_labels() == [*body["claims_administrator_guideline"], *body["reviewer_guideline"]]
    text = ("Decision based on MTUS Chronic Pain Medical Treatment Guidelines, page 78 "
            "MAXIMUS guideline: Decision based on ODG Pain chapter")
    assert [c["source"] for c in citations.parse_citations(text)] == ["MTUS", "ODG"]
    assert citations.parse_citations(text)[0]["text"] == "MTUS Chronic Pain Medical Treatment Guidelines, page 78"


def test_the_free_text_look_ahead_admits_every_name():
    """The first-letter look-ahead is computed from the names: each name still matches."""
    head = citations._free_res()["head"]
    assert head.pattern.startswith("(?=[")
    for text in ["MTUS", "CA MTUS", "California Medical Treatment Utilization Schedule", "ODG",
                 "Official Disability Guidelines", "ACOEM", "3rd Edition ACOEM",
                 "American College of Occupational and Environmental Medicine",
                 "Chronic Pain Medical Treatment Guidelines", "Eye Guidelines", "Knee Complaints Guidelines"]:
        assert head.fullmatch(text), text


def test_decision_leads_come_from_the_data(guidelines):
    data, use_copy = guidelines
    line = "Reliance placed on ODG Low Back, Lumbar supports"
    # without a known lead the line is read as free text: the name alone
    assert [c["text"] for c in citations.parse_citations(line)] == ["ODG"]
    data["decision_leads"]["patterns"].append(r"Reliance\s*placed\s*on")
    use_copy()
    (citation,) = citations.parse_citations(line)
    assert (citation["text"], citation["chapter"], citation["topic"]) == (
        "ODG Low Back, Lumbar supports", "Low Back", "Lumbar supports"
    )
