"""Entity labels of package amounts and of "as needed"/PRN (corpus/README.md §2)."""

from __future__ import annotations

import pytest

from imr_nlp.entity_rules import find_entities
from imr_nlp.normalize.amounts import find_amounts


def _labelled(text: str) -> list[tuple[str, str]]:
    return [(text[s:e], label) for s, e, label in find_entities(text) if label in ("DOSE", "QUANTITY", "FREQUENCY")]


# (a) a package amount after a dosage form is a QUANTITY, not a DOSE
PACKAGES = [
    ("Ketoprofen cream 240 grams is not medically necessary.", [("240 grams", "QUANTITY")]),
    ("Gabapentin oral suspension 300ml is not medically necessary.", [("300ml", "QUANTITY")]),
    ("Lidocaine ointment 50gm was requested.", [("50gm", "QUANTITY")]),
    ("Flurbiprofen 20% cream 180gm", [("20%", "DOSE"), ("180gm", "QUANTITY")]),
    ("Hydrocodone syrup 120 ml", [("120 ml", "QUANTITY")]),
    ("Capsaicin 0.075% cream, 60 grams", [("0.075%", "DOSE"), ("60 grams", "QUANTITY")]),
    ("Gabapentin 300mg capsules", [("300mg", "DOSE")]),  # a strength stays a DOSE
]


@pytest.mark.parametrize("text,expected", PACKAGES, ids=[t for t, _ in PACKAGES])
def test_package_amount_after_a_dosage_form_is_a_quantity(text, expected):
    assert _labelled(text) == expected


@pytest.mark.parametrize(
    "header,strength,quantity",
    [
        ("Ketoprofen cream 240 grams", None, 240),
        ("Gabapentin oral suspension 300ml", None, 300),
        ("Lidocaine 5% cream 120gm", "5%", 120),
        ("Norco 10/325mg #60", "10/325mg", 60),
    ],
)
def test_item_header_package_amount_is_the_quantity(header, strength, quantity):
    found = find_amounts(header)
    assert (found["strength"] and found["strength"]["text"]) == strength
    assert found["quantity"] == quantity


# (b) "as needed"/PRN is a FREQUENCY alone after a dosing phrase, and part of a rate it touches
AS_NEEDED = [
    ("Norco 10/325mg 1 tablet by mouth as needed #60",
     [("10/325mg", "DOSE"), ("as needed", "FREQUENCY"), ("#60", "QUANTITY")]),
    ("Ibuprofen 800mg as needed", [("800mg", "DOSE"), ("as needed", "FREQUENCY")]),
    ("Tramadol 50mg 1 tab PO PRN pain", [("50mg", "DOSE"), ("PRN", "FREQUENCY")]),
    ("Ibuprofen PRN", [("PRN", "FREQUENCY")]),
    ("Norco 10/325mg every 4-6 hours as needed #60",
     [("10/325mg", "DOSE"), ("every 4-6 hours as needed", "FREQUENCY"), ("#60", "QUANTITY")]),
    ("Norco 10/325mg PRN every 6 hours", [("10/325mg", "DOSE"), ("PRN every 6 hours", "FREQUENCY")]),
    ("Oxycodone 10mg 2x a day p.r.n.", [("10mg", "DOSE"), ("2x a day p.r.n.", "FREQUENCY")]),
    # prose, not a dosing instruction
    ("He attends physical therapy as needed.", []),
    ("Follow up with the provider as needed.", []),
]


@pytest.mark.parametrize("text,expected", AS_NEEDED, ids=[t for t, _ in AS_NEEDED])
def test_as_needed_is_a_frequency(text, expected):
    assert _labelled(text) == expected
