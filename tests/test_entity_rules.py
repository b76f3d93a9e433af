"""The rule entity component: labels, boundaries, priorities, normalized values, token splits."""

from __future__ import annotations

import pytest

from imr_nlp.entity_rules import find_entities, resolve_overlaps


def ents(nlp, text):
    doc = nlp(text)
    for ent in doc.ents:
        assert text[ent.start_char:ent.end_char] == ent.text
    return [(ent.label_, ent.text) for ent in doc.ents]


CASES = [
    ("He takes Norco 10/325 mg #60 x1 refill twice daily.",
     [("DRUG", "Norco"), ("DOSE", "10/325 mg"), ("QUANTITY", "#60"), ("QUANTITY", "x1 refill"),
      ("FREQUENCY", "twice daily")]),
    ("Requested: MS\nContin 30mg every 12 hours as needed on 7/3/95.",
     [("DRUG", "MS\nContin"), ("DOSE", "30mg"), ("FREQUENCY", "every 12 hours as needed"), ("DATE", "7/3/95")]),
    ("Lidoderm 5% patch gave 75% relief.", [("DRUG", "Lidoderm"), ("DOSE", "5%")]),
    ("Pain was rated 8/10 and she completed 4/6 sessions.", []),
    ("Flurbiprofen 10%/Lidocaine 5% in cream base 240g; Lidocaine ointment 5% #1",
     [("DRUG", "Flurbiprofen"), ("DOSE", "10%"), ("DRUG", "Lidocaine"), ("DOSE", "5%"), ("QUANTITY", "240g"),
      ("DRUG", "Lidocaine"), ("DOSE", "5%"), ("QUANTITY", "#1")]),
    ("ODG allows 9-10 visits over 8 weeks.", [("CITATION", "ODG"), ("QUANTITY", "9-10 visits")]),
    ("She was diagnosed with lumbago and left leg sciatica in October 2012.",
     [("DIAGNOSIS", "lumbago"), ("DIAGNOSIS", "left leg sciatica"), ("DATE", "October 2012")]),
    ("the maximum daily dose of opioids is 120 mg per day", [("DOSE", "120 mg")]),
    # PDF noise: a strength glued to the name (corpus/README.md rule 6)
    ("Requested: Robaxin750mg #90 and Gabapentin600 mg.",
     [("DRUG", "Robaxin"), ("DOSE", "750mg"), ("QUANTITY", "#90"), ("DRUG", "Gabapentin"), ("DOSE", "600 mg")]),
    # "morphine" in a unit name is not a medication; a sentence-final dot is not in the frequency
    ("Her morphine equivalent dose is 90 and morphine milligram equivalents stay under 120.", []),
    ("Tramadol 50 mg every 8 hours. The request", [("DRUG", "Tramadol"), ("DOSE", "50 mg"), ("FREQUENCY", "every 8 hours")]),
    # a page break inside a mention does not end it; page furniture is never an amount
    ("He has L4-5 disc\nCM16-0000001 Page 2 of 4\n\nprotrusion and takes 4 \nPage 3 of 4\ntablets a day.",
     [("DIAGNOSIS", "L4-5 disc\nCM16-0000001 Page 2 of 4\n\nprotrusion")]),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:30] for c in CASES])
def test_rule_entities(nlp, text, expected):
    assert ents(nlp, text) == expected


def test_citation_wins_over_a_drug_named_as_its_topic(nlp):
    text = "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) Pain chapter - Soma."
    assert ents(nlp, text) == [
        ("CITATION", "Non-MTUS Citation Official Disability Guidelines (ODG) Pain chapter - Soma")
    ]


def test_tokens_are_split_at_entity_edges(nlp):
    text = "certified MS ER 30mg #60.On 12/11/14 the request for 47-8,Chronic Pain"
    doc = nlp(text)
    labels = [(e.label_, e.text) for e in doc.ents]
    assert ("QUANTITY", "#60") in labels
    assert doc.text == text


def test_normalized_values(nlp):
    doc = nlp("Oxycodone HCL ER 20mg #60 three times per day since 11/13/14.\n \nMAXIMUS guideline: Decision "
              "based on MTUS Chronic Pain Treatment Guidelines Opioids Page(s): 74-96.\n \n")
    values = {e.label_: e._.normalized for e in doc.ents}
    assert values["DRUG"] == {"generic": "oxycodone", "drug_class": "opioid"}
    assert values["DOSE"] == {"values": [20.0], "unit": "mg"}
    assert values["QUANTITY"] == {"value": 60}
    assert values["FREQUENCY"] == {"per_day": 3.0, "per_week": None}
    assert values["DATE"] == {"iso": "2014-11-13"}
    assert values["CITATION"]["citation"]["pages"] == list(range(74, 97))


def test_resolve_overlaps_prefers_label_priority_then_length():
    candidates = [(0, 10, "DIAGNOSIS"), (5, 9, "DRUG"), (20, 30, "DOSE"), (20, 25, "QUANTITY")]
    assert resolve_overlaps(candidates, ("DRUG", "DOSE", "QUANTITY", "DIAGNOSIS")) == [
        (5, 9, "DRUG"), (20, 30, "DOSE")
    ]


def test_label_subset():
    text = "Norco 10 on 7/3/95 for lumbago"
    assert [label for _, _, label in find_entities(text, ["DATE"])] == ["DATE"]


def test_crlf_offsets(nlp):
    text = "Soma 350mg #30\r\non 11/13/14\r\n"
    assert ents(nlp, text) == [("DRUG", "Soma"), ("DOSE", "350mg"), ("QUANTITY", "#30"), ("DATE", "11/13/14")]


@pytest.mark.parametrize(
    "label, text, kept",
    [
        ("DIAGNOSIS", "hip", False),
        ("DIAGNOSIS", "the right shoulder", False),
        ("DIAGNOSIS", "L4-5", False),
        ("DIAGNOSIS", "meniscal pathology", True),
        ("CITATION", "Pain chapter", False),
        ("CITATION", "ODG Pain chapter", True),
        ("DRUG", "Zzyzxin", True),
    ],
)
def test_rules_veto_implausible_entities_of_an_earlier_component(nlp, label, text, kept):
    """A model span that touches no rule span is kept only if it passes the guide's checks."""
    from spacy.tokens import Span

    doc = nlp.make_doc(f"Noted: {text} today.")
    start = len(nlp.make_doc("Noted: "))
    doc.ents = [Span(doc, start, start + len(nlp.make_doc(text)), label=label)]
    doc = nlp.get_pipe("imr_entity_rules")(doc)
    assert [(e.label_, e.text) for e in doc.ents if e.text == text] == ([(label, text)] if kept else [])

