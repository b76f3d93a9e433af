"""The pure functions behind ``imr_sections`` on small inputs with exact results, and how the
later components read the sections back from the doc."""

from __future__ import annotations

import pytest
import spacy

import imr_nlp  # noqa: F401  (registers the factories)
from imr_nlp.sections import Section, doc_sections, find_sections, section_of

LETTER = (
    "Case Number: CM15-0123456\n"
    "CLINICAL CASE SUMMARY\nText one.\n\n"
    "IMR ISSUES, DECISIONS AND RATIONALES\nNorco: Upheld\n"
)


@pytest.mark.parametrize(
    ("text", "sections"),
    [
        # text before the first heading that holds "Case Number:" is the header; each section
        # runs to the next heading, trailing whitespace excluded
        (LETTER, [("header", 0, 25), ("case_summary", 26, 57), ("decisions", 59, 109)]),
        # CRLF line ends: offsets index the original text
        (
            "CLINICAL CASE SUMMARY\r\nText one.\r\n\r\nIMR DECISION(S) AND RATIONALE(S)\r\nNorco: Upheld\r\n",
            [("case_summary", 0, 32), ("decisions", 36, 83)],
        ),
        # an indented heading starts at its first letter; a repeated heading keeps the first
        ("   CLINICAL CASE SUMMARY\nText.\nCLINICAL CASE SUMMARY\nagain\n", [("case_summary", 3, 58)]),
        # the MEDICAL PROFESSIONAL REVIEW layout
        (
            "ISSUE AT DISPUTE:\n1. Norco\nMEDICAL TREATMENT GUIDELINES RELIED UPON:\nMTUS\n"
            "RATIONALE FOR WHY THE REQUESTED TREATMENT IS NOT MEDICALLY NECESSARY:\nNo.\n",
            [("issue_at_dispute", 0, 26), ("guidelines_relied_upon", 27, 73), ("issue_rationale", 74, 147)],
        ),
        ("", []),
        ("Just prose, no headings.\n", []),
        ("DECISIONS", []),  # a word, not a heading of any template
    ],
)
def test_find_sections(text, sections):
    assert [(s.label, s.start, s.end) for s in find_sections(text)] == sections


@pytest.mark.parametrize(
    ("label", "found"),
    [("case_summary", Section("case_summary", 26, 57)), ("decisions", Section("decisions", 59, 109)), ("x", None)],
)
def test_section_of(label, found):
    assert section_of(find_sections(LETTER), label) == found


def test_the_component_writes_the_sections_and_later_components_read_them_back():
    nlp = spacy.blank("en")
    nlp.add_pipe("imr_sections")
    doc = nlp(LETTER)
    assert [(s.label_, s.start_char, s.end_char) for s in doc.spans["sections"]] == [
        ("header", 0, 25),
        ("case_summary", 26, 57),
        ("decisions", 59, 109),
    ]
    assert doc_sections(doc, "me") == find_sections(LETTER)
    assert doc._.imr_warnings is None


@pytest.mark.parametrize(
    ("text", "warnings"),
    [
        ("CLINICAL CASE SUMMARY\nText.\n", ["no decisions section found"]),
        ("ISSUE AT DISPUTE:\n1. Norco\n", None),  # the other layout's decisions
        ("   \n", None),  # nothing to warn about in an empty letter
    ],
)
def test_the_component_warns_when_there_is_no_decisions_section(text, warnings):
    nlp = spacy.blank("en")
    nlp.add_pipe("imr_sections")
    assert nlp(text)._.imr_warnings == warnings


def test_reading_sections_that_no_component_wrote_is_an_error():
    doc = spacy.blank("en")(LETTER)
    with pytest.raises(ValueError, match=r"imr_items reads the letter's sections from doc.spans\['sections'\]"):
        doc_sections(doc, "imr_items")
    doc.spans["sections"] = []  # written, and empty: no sections
    assert doc_sections(doc, "imr_items") == ()
