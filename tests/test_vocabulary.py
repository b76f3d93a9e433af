"""Shared word lists (dosage forms, number words) come from one data file each and reach every finder."""

from __future__ import annotations

import re

import pytest

from imr_nlp.normalize import amounts, drugs, treatment
from imr_nlp.normalize.vocabulary import (
    DOSAGE_FORM_ROLES,
    dosage_form_words,
    fraction_words,
    number_words,
)
from imr_nlp.resources import load_json


def test_dosage_form_file_is_well_formed():
    words = load_json("dosage_forms.json")["words"]
    for word, roles in words.items():
        assert re.fullmatch(r"[a-z]+", word), word  # _NOT_IN_GAP in amounts relies on letters only
        assert roles and set(roles) <= set(DOSAGE_FORM_ROLES), word
    for role in DOSAGE_FORM_ROLES:
        assert dosage_form_words(role)
    with pytest.raises(ValueError):
        dosage_form_words("route")


def test_every_role_reaches_its_finder():
    assert drugs._FORM_WORDS == set(dosage_form_words("drug_name"))
    for word in dosage_form_words("before_strength"):
        assert amounts._DRUG_TO_STRENGTH_GAP.fullmatch(f" {word.upper()}, "), word
    assert not amounts._DRUG_TO_STRENGTH_GAP.fullmatch(" relief ")
    for word in dosage_form_words("package"):
        m = amounts._PACKAGE_AFTER_FORM.search(f"Ketoprofen 20% {word.capitalize()} 240g")
        assert m and m.group("q") == "240g", word
    for word in dosage_form_words("per_dose"):
        assert treatment._units_per_dose(f"take 1-2 {word} ", len(f"take 1-2 {word} "), 0) == (1.0, 2.0), word


def test_a_dose_after_a_form_word_and_a_package_amount():
    text = "Lidocaine ointment 5% in cream base 240g; 75% relief"
    spans = [(text[s:e], label) for s, e, label, _ in amounts.find_amount_mentions(text, [(0, 9)], [])]
    assert spans == [("5%", "DOSE"), ("240g", "QUANTITY")]


def test_number_words_come_from_one_file():
    assert amounts.NUMBER_WORDS == number_words() == load_json("number_words.json")["numbers"]
    assert amounts.parse_number("twelve") == 12.0
    assert fraction_words() == {"half": 0.5, "1/2": 0.5}
    assert [treatment._number(w) for w in ("half", "1/2", "two", "Four", "3")] == [0.5, 0.5, 2.0, 4.0, 3.0]
