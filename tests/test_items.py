"""The pure functions behind ``imr_items`` on small inputs with exact results, and the
component reading what the earlier components wrote (sections, DRUG entities)."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Span

import imr_nlp
from imr_nlp.items import NO_ENTITIES, doc_drugs, find_items, request_drugs
from imr_nlp.normalize.drugs import DrugInfo
from imr_nlp.sections import find_sections

HEADING = "IMR ISSUES, DECISIONS AND RATIONALES\n"
PREAMBLE = "The Final Determination was based on decisions for the disputed items/services set forth below:\n"
LETTER = (
    "Case Number: CM15-0123456\n"
    "CLINICAL CASE SUMMARY\nThe patient is a 52 year old male.\n"
    + HEADING
    + PREAMBLE
    + "Norco 10/325mg #60: Upheld\n"
    "Claims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines.\n"
    "MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines, page 78.\n"
    "Decision rationale: No functional improvement is documented.\n"
)
NUMBERED = (
    "1. Norco 10mg #60 is not medically necessary and appropriate.\n"
    "Decision rationale: No improvement.\n\n"
    "2. Physical therapy x6 is medically necessary and appropriate.\n"
    "Decision rationale: Indicated.\n"
)
ISSUE = (
    "ISSUE AT DISPUTE:\n1. Is the request for Norco 10mg #60 medically necessary?\n"
    "2. Is the request for Lidoderm 5% patch medically necessary?\n"
    "MEDICAL TREATMENT GUIDELINES RELIED UPON:\n1. MTUS Chronic Pain Medical Treatment Guidelines, page 78.\n"
    "2. MTUS Chronic Pain Medical Treatment Guidelines, page 56.\n"
    "RATIONALE FOR WHY THE REQUESTED TREATMENT IS NOT MEDICALLY NECESSARY:\n"
    "1. The Norco is not medically necessary.\n2. The Lidoderm is medically necessary.\n"
)
PARTIAL = (
    HEADING + "Physical therapy 12 sessions was the original request. Physical therapy 6 sessions was authorized "
    "by the Claims Administrator. The remaining IMR eligible portion of the original request, Physical therapy "
    "6 sessions is: Upheld\nClaims Administrator guideline: Decision based on MTUS.\n"
    "MAXIMUS guideline: Decision based on MTUS.\nDecision rationale: Six visits were enough.\n"
)
PARTS = ("request", "outcome", "original_request", "ur_authorized", "claims_administrator_guideline")
PARTS += ("reviewer_guideline", "rationale")


def _summary(item: dict) -> tuple:
    """The texts of an item's parts, its drug's text and its quantity."""
    parts = tuple(item[k]["text"] if isinstance(item[k], dict) else item[k] for k in PARTS)
    drug = item["treatment"]["drug"]
    return (*parts, drug["text"] if drug else None, item["treatment"]["quantity"])


@pytest.mark.parametrize(
    ("text", "items", "warnings"),
    [
        (
            LETTER,
            [
                (
                    "Norco 10/325mg #60", "upheld", None, None,
                    "Decision based on MTUS Chronic Pain Medical Treatment Guidelines.",
                    "Decision based on MTUS Chronic Pain Medical Treatment Guidelines, page 78.",
                    "No functional improvement is documented.", "Norco", 60,
                )
            ],
            [],
        ),
        (  # 2013: numbered determinations, the outcome in the sentence
            NUMBERED,
            [
                ("Norco 10mg #60", "upheld", None, None, None, None, "No improvement.", "Norco", 60),
                ("Physical therapy x6", "overturned", None, None, None, None, "Indicated.", None, 6),
            ],
            [],
        ),
        (  # MEDICAL PROFESSIONAL REVIEW: numbered entries of three sections, questions as requests
            ISSUE,
            [
                (
                    "Norco 10mg #60", "upheld", None, None, None,
                    "MTUS Chronic Pain Medical Treatment Guidelines, page 78.",
                    "The Norco is not medically necessary.", "Norco", 60,
                ),
                (
                    "Lidoderm 5% patch", "overturned", None, None, None,
                    "MTUS Chronic Pain Medical Treatment Guidelines, page 56.",
                    "The Lidoderm is medically necessary.", "Lidoderm", None,
                ),
            ],
            [],
        ),
        (  # partial certification: the remaining request, the original one and what UR authorized
            PARTIAL,
            [
                (
                    "Physical therapy 6 sessions", "upheld", "Physical therapy 12 sessions",
                    "Physical therapy 6 sessions", "Decision based on MTUS.", "Decision based on MTUS.",
                    "Six visits were enough.", None, 6,
                )
            ],
            [],
        ),
        (
            HEADING + "Norco 10mg #60: Overturned\nDecision rationale: Fine.\n",
            [("Norco 10mg #60", "overturned", None, None, None, None, "Fine.", "Norco", 60)],
            [
                "no claims administrator guideline line found for item 'Norco 10mg #60'",
                "no reviewer guideline line found for item 'Norco 10mg #60'",
            ],
        ),
        (
            "Dear claimant, nothing here.\n",
            [],
            [
                "layout not recognized: no decisions heading, 'ISSUE AT DISPUTE' section or numbered "
                "determination found, so no items are reported"
            ],
        ),
        ("", [], []),
    ],
)
def test_find_items(text, items, warnings):
    found, found_warnings = find_items(text)
    assert [_summary(item) for item in found] == items
    assert found_warnings == warnings


def test_request_offsets_index_the_letter():
    (item,), _ = find_items(LETTER)
    start = LETTER.index("Norco 10/325mg")
    assert (item["request"]["start"], item["request"]["end"]) == (start, start + len("Norco 10/325mg #60"))
    drug = item["treatment"]["drug"]
    assert (drug["start"], drug["end"]) == (start, start + 5)
    assert (drug["generic"], drug["drug_class"]) == ("acetaminophen / hydrocodone", "opioid")


NORCO = LETTER.index("Norco 10/325mg")


@pytest.mark.parametrize(
    ("drugs", "drug", "strength"),
    [
        (None, ("Norco", "acetaminophen / hydrocodone", "opioid"), [10.0, 325.0]),  # found in the request text
        ([], None, None),  # the caller's mentions decide: none, so no drug (and no strength without one)
        ([(NORCO, NORCO + 5, DrugInfo("Norco", "hydrocodone", "opioid"))], ("Norco", "hydrocodone", "opioid"), [10.0, 325.0]),
        # a mention outside the request, or crossing its edge, is not the request's drug
        ([(0, 4, DrugInfo("Case", "x", "y")), (NORCO - 2, NORCO + 5, DrugInfo("?", "x", "y"))], None, None),
    ],
)
def test_find_items_takes_the_drug_mentions_it_is_given(drugs, drug, strength):
    (item,), _ = find_items(LETTER, drugs=drugs)
    found = item["treatment"]["drug"]
    assert ((found["text"], found["generic"], found["drug_class"]) if found else None) == drug
    assert (item["treatment"]["strength"] or {}).get("values") == strength


def test_find_items_uses_the_sections_it_is_given():
    # Without the decisions section the 2014 header is not looked for: the letter is not recognized.
    sections = [s for s in find_sections(LETTER) if s.label != "decisions"]
    assert find_items(LETTER, sections=sections)[0] == []
    assert len(find_items(LETTER, sections=find_sections(LETTER))[0]) == 1


@pytest.mark.parametrize(
    ("drugs", "start", "end", "inside"),
    [
        (None, 0, 10, None),
        ([], 0, 10, []),
        ([(2, 5, "a"), (8, 12, "b"), (0, 10, "c")], 2, 10, [(0, 3, "a")]),  # "b" ends after, "c" starts before
        ([(10, 12, "a")], 10, 12, [(0, 2, "a")]),
    ],
)
def test_request_drugs(drugs, start, end, inside):
    assert request_drugs(drugs, start, end) == inside


@Language.component("test_items_forget_drugs")
def _forget_drugs(doc):
    doc.set_ents([e for e in doc.ents if e.label_ != "DRUG"], default="outside")
    return doc


def test_the_component_reads_drugs_from_doc_ents():
    nlp = imr_nlp.load(rules_only=True)
    doc = nlp(LETTER)
    assert doc._.items[0]["treatment"]["drug"]["text"] == "Norco"
    assert [(s, e, i.generic) for s, e, i in doc_drugs(doc)] == [(NORCO, NORCO + 5, "acetaminophen / hydrocodone")]
    nlp.add_pipe("test_items_forget_drugs", before="imr_items")
    doc = nlp(LETTER)
    assert doc._.items[0]["treatment"]["drug"] is None  # not found again from the request text
    assert nlp.get_pipe_meta("imr_items").requires == ["doc.spans", "doc.ents"]


def test_the_component_without_sections_is_an_error_and_without_entities_warns():
    nlp = spacy.blank("en")
    nlp.add_pipe("imr_items")
    with pytest.raises(ValueError, match=r"imr_items reads the letter's sections.*add imr_sections before imr_items"):
        nlp(LETTER)
    nlp = spacy.blank("en")
    nlp.add_pipe("imr_sections")
    nlp.add_pipe("imr_items")
    doc = nlp(LETTER)
    assert NO_ENTITIES.format(component="imr_items") in doc._.imr_warnings
    assert doc._.items[0]["treatment"]["drug"] is None
    assert "imr_items" in nlp.analyze_pipes()["problems"]
    assert nlp("")._.imr_warnings is None  # an empty letter has no tokens to annotate


def test_drug_values_without_the_entity_rules_extension():
    doc = spacy.blank("en")("Norco and Zzyzx daily")
    doc.set_ents([doc.char_span(0, 5, label="DRUG"), doc.char_span(10, 15, label="DRUG")])
    saved = Span.get_extension("normalized") if Span.has_extension("normalized") else None
    if saved:
        Span.remove_extension("normalized")
    try:
        drugs = doc_drugs(doc)
    finally:
        if saved:
            Span.set_extension("normalized", getter=saved[2])  # imr_entity_rules registers a getter
    assert [(s, e, i.generic, i.drug_class) for s, e, i in drugs] == [
        (0, 5, "acetaminophen / hydrocodone", "opioid"),
        (10, 15, None, None),
    ]


def test_repeated_guideline_lines_are_parsed_once_with_the_same_citations_and_no_shared_values():
    """Items of one letter that repeat a guideline line reuse its parse: the citations equal a
    fresh parse of each line, and no two items share a list or dict (each owns its values)."""
    from conftest import LETTERS_2016, read

    from imr_nlp.normalize.citations import parse_citations

    repeated = 0
    for path in LETTERS_2016:
        text = read(path)
        found, _ = find_items(text)
        seen_ids: set[int] = set()
        lines = [item[key] for item in found for key in ("claims_administrator_guideline", "reviewer_guideline")]
        lines = [line for line in lines if line]
        repeated += len(lines) - len({line["text"] for line in lines})
        for line in lines:
            fresh = [
                {**c, "start": c["start"] + line["start"], "end": c["end"] + line["start"]}
                for c in parse_citations(text[line["start"] : line["end"]])
            ]
            assert line["citations"] == fresh
            for citation in line["citations"]:
                for value in (citation, *citation.values()):
                    if isinstance(value, (list, dict)):
                        assert id(value) not in seen_ids
                        seen_ids.add(id(value))
    assert repeated > 20  # the letters do repeat lines
