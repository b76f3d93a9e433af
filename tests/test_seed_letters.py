"""The three seed letters (2014 template), checked value by value."""

from __future__ import annotations

import pytest
from conftest import SEEDS, read

from imr_nlp.output import to_dict


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def records(nlp):
    return {path.name[:3]: to_dict(nlp(read(path)), id=path.stem) for path in SEEDS}


EXPECTED_ITEMS = {
    "000": [
        ("Unknown prescription of Norco", "upheld"),
        ("Unknown prescription of Soma", "upheld"),
    ],
    "002": [
        ("Oxycodone 10mg, #240 (1-2 4x a day)", "upheld"),
        ("Soma 350mg, #60 (one 2 x a day)", "upheld"),
    ],
    "003": [
        ("Soma 350mg # 30", "upheld"),
        ("Hydrocodone /APAP 10/325mg # 60", "upheld"),
        ("Thermacare heatwrap # 90 with 5 refills", "upheld"),
    ],
}


@pytest.mark.parametrize("seed", sorted(EXPECTED_ITEMS))
def test_items_found_once_with_outcome(records, seed):
    items = records[seed]["items"]
    assert [(it["request"]["text"], it["outcome"]) for it in items] == EXPECTED_ITEMS[seed]
    for it in items:
        assert it["original_request"] is None and it["ur_authorized"] is None
    assert records[seed]["warnings"] == []


# (seed, item index, claims administrator line, reviewer line, rationale start, rationale end)
GUIDELINES = [
    (
        "000", 0,
        "Decision based on MTUS Chronic Pain Treatment Guidelines.",
        "Decision based on MTUS Chronic Pain Treatment Guidelines Criteria For Use Of Opioids Page(s): 76-80. "
        "Decision based on Non-MTUS Citation Official Disability Guidelines (ODG) pain chapter - opioids",
        "Chronic Pain Medical Treatment Guidelines as well as ODG notes",
        "Therefore, the medical necessity of this request is not established.",
    ),
    (
        "000", 1,
        "Decision based on MTUS Chronic Pain Treatment Guidelines.",
        "Decision based on MTUS Chronic Pain Treatment Guidelines Carisoprodol Page(s): 65. Decision based on "
        "Non-MTUS Citation Official Disability Guidelines (ODG) Pain chapter - Soma.",
        "Chronic Pain Medical Treatment Guidelines as well as ODG does not",
        "Therefore, the medical necessity of this request is not established.",
    ),
    (
        "002", 0,
        "Decision based on MTUS Chronic Pain Treatment Guidelines Opioids Page(s): 79.",
        "Decision based on MTUS ACOEM Chapter 3 Initial Approaches to Treatment Page(s): 47-8,Chronic Pain "
        "Treatment Guidelines Opioids Page(s): 34, 74-96.",
        "Oxycodone is a semisynthetic opioid",
        "Medical necessity for use of this medication has not been established.",
    ),
    (
        "002", 1,
        "Decision based on MTUS Chronic Pain Treatment Guidelines Carisoprodol Page(s): 125.",
        "Decision based on MTUS ACOEM Chapter 3 Initial Approaches to Treatment Page(s): 47,Chronic Pain "
        "Treatment Guidelines Soma; Muscle Relaxants; Weaning from Medications Page(s): 29, 63-5, 124.",
        "Carisoprodol is a centrally acting skeletal muscle relaxant.",
        "weaning is recommended.",
    ),
    (
        "003", 0,
        "Decision based on MTUS ACOEM.",
        "Decision based on MTUS Chronic Pain Treatment Guidelines Section on Carisoprodol (Soma) Page(s): 29.",
        "The Chronic Pain Medical Treatment Guidelines Section on Carisoprodol",
        "At this time, Soma is not medically necessary.",
    ),
    (
        "003", 1,
        "Decision based on MTUS ACOEM.",
        "Decision based on MTUS Chronic Pain Treatment Guidelines Section on Opioids/Ongoing Management Page(s): 78.",
        "The Chronic Pain Medical Treatment Guidelines Section on Opioids/Ongoing Pain Management, page 78",
        "The request for hydrocodone is not medically necessary.",
    ),
    (
        "003", 2,
        "Decision based on MTUS ACOEM.",
        "Decision based on MTUS ACOEM Chapter 3 Initial Approaches to Treatment Page(s): 48.",
        "ACOEM Guidelines, Chapter 3 Treatment, page 48, states",
        "The request for ThermaCare heat wrap is not medically necessary.",
    ),
]


@pytest.mark.parametrize("seed,index,ca,reviewer,rat_start,rat_end", GUIDELINES)
def test_guideline_lines_and_rationale_boundaries(records, seed, index, ca, reviewer, rat_start, rat_end):
    item = records[seed]["items"][index]
    assert flat(item["claims_administrator_guideline"]["text"]) == ca
    assert flat(item["reviewer_guideline"]["text"]) == reviewer
    rationale = flat(item["rationale"]["text"])
    assert rationale.startswith(rat_start)
    assert rationale.endswith(rat_end)
    # the rationale never runs into the next item's header
    for other in records[seed]["items"]:
        assert other["request"]["text"] not in item["rationale"]["text"] or other is item


DOCUMENT_ATTRIBUTES = {
    "000": {"patient": {"age": 52, "sex": "male"}, "date_of_injury": "2004-06-15", "ur_decision_date": "2014-07-15",
            "reviewer": {"specialties": ["Physical Medicine & Rehabilitation"], "licensure": ["Texas"]}},
    "002": {"patient": {"age": 65, "sex": "female"}, "date_of_injury": "1995-07-03", "ur_decision_date": "2014-12-11",
            "reviewer": {"specialties": ["Preventive Medicine", "Occupational Medicine"], "licensure": ["California"]}},
    "003": {"patient": {"age": None, "sex": None}, "date_of_injury": "1999-08-02", "ur_decision_date": None,
            "reviewer": {"specialties": ["Physical Medicine and Rehabilitation"], "licensure": ["California"]}},
}


@pytest.mark.parametrize("seed", sorted(DOCUMENT_ATTRIBUTES))
def test_document_attributes(records, seed):
    record = records[seed]
    for key, value in DOCUMENT_ATTRIBUTES[seed].items():
        assert record[key] == value, key
    assert record["case_number"] is None  # the seeds carry no case header


def test_guideline_citations_are_parsed(records):
    reviewer = records["002"]["items"][0]["reviewer_guideline"]["citations"]
    assert [(c["source"], c["pages"]) for c in reviewer] == [("MTUS", [47, 48]), ("MTUS", [34, *range(74, 97)])]
    soma = records["002"]["items"][1]["reviewer_guideline"]["citations"]
    assert soma[1]["pages"] == [29, 63, 64, 65, 124]
    odg = records["000"]["items"][0]["reviewer_guideline"]["citations"]
    assert [c["source"] for c in odg] == ["MTUS", "ODG"]
    assert odg[0]["pages"] == [76, 77, 78, 79, 80]


def test_treatment_and_mme_of_seed_items(records):
    oxy = records["002"]["items"][0]["treatment"]
    assert oxy["drug"]["generic"] == "oxycodone" and oxy["quantity"] == 240
    assert oxy["mme_per_day_range"] == [60, 120]  # 10 mg x 1-2 tablets x 4/day x 1.5
    norco = records["003"]["items"][1]["treatment"]
    assert norco["drug"] == {**norco["drug"], "text": "Hydrocodone /APAP", "generic": "acetaminophen / hydrocodone"}
    assert norco["strength"]["values"] == [10, 325] and norco["quantity"] == 60
    wraps = records["003"]["items"][2]["treatment"]
    assert wraps["drug"] is None and (wraps["quantity"], wraps["refills"]) == (90, 5)
