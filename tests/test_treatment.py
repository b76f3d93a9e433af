"""Treatment fields read from item request headers (drug, strength, quantity, refills,
frequency, MME), with real and genre spellings."""

from __future__ import annotations

import pytest

from imr_nlp.normalize.treatment import parse_treatment

# request, drug text, generic, class, strength values, unit, quantity, refills, per_day, mme
CASES = [
    ("Norco 10 2x a day #60 x1 refill", "Norco", "acetaminophen / hydrocodone", "opioid", [10], None, 60, 1, 2, 20),
    ("Unknown prescription of Soma", "Soma", "carisoprodol", "muscle relaxant", None, None, None, None, None, None),
    ("Soma 350mg, #60 (one 2 x a day)", "Soma", "carisoprodol", "muscle relaxant", [350], "mg", 60, None, 2, None),
    ("Hydrocodone /APAP 10/325mg # 60", "Hydrocodone /APAP", "acetaminophen / hydrocodone", "opioid",
     [10, 325], "mg", 60, None, None, None),
    ("Thermacare heatwrap # 90 with 5 refills", None, None, None, None, None, 90, 5, None, None),
    # No frequency written: #60 over a 30-day supply is 2 tablets a day -> 20 x 2 x 1.5.
    ("Oxycodone HCL ER 20mg #60 day supply: 30", "Oxycodone HCL ER", "oxycodone", "opioid", [20], "mg", 60, None,
     None, 60.0),
    ("Morphine Sulfate ER 60 mg three times per day", "Morphine Sulfate ER", "morphine", "opioid", [60], "mg",
     None, None, 3, 180),
    ("MS Contin 30mg BID #60", "MS Contin", "morphine", "opioid", [30], "mg", 60, None, 2, 60),
    ("Percocet 5/325mg 1 tab every 6 hours #120", "Percocet", "acetaminophen / oxycodone", "opioid", [5, 325],
     "mg", 120, None, 4, 30),
    ("Fentanyl patch 50mcg/hr every 72 hours #10", "Fentanyl", "fentanyl", "opioid", [50], "mcg/hr", 10, None,
     pytest.approx(1 / 3), 120),
    ("Dilaudid 4 mg q6h #120", "Dilaudid", "hydromorphone", "opioid", [4], "mg", 120, None, 4, 64),
    ("Methadone 10mg TID #90", "Methadone", "methadone", "opioid", [10], "mg", 90, None, 3, 240),
    ("Ultram 50mg #60", "Ultram", "tramadol", "opioid", [50], "mg", 60, None, None, None),
    ("Three refills of Voltaren 75mg #60", "Voltaren", "diclofenac", "NSAID", [75], "mg", 60, 3, None, None),
    ("Lidoderm 5% patch #30 with 2 refills", "Lidoderm", "lidocaine", "local anesthetic", [5], "%", 30, 2, None,
     None),
    ("Physical therapy two times a week for three weeks for the lumbar spine", None, None, None, None, None, None,
     None, None, None),
    ("MRI of the lumbar spine without contrast", None, None, None, None, None, None, None, None, None),
    ("Acupuncture therapy sessions lumbar spine #6", None, None, None, None, None, 6, None, None, None),
]


@pytest.mark.parametrize(
    "request_text,drug,generic,drug_class,values,unit,quantity,refills,per_day,mme", CASES, ids=[c[0] for c in CASES]
)
def test_parse_treatment(request_text, drug, generic, drug_class, values, unit, quantity, refills, per_day, mme):
    t = parse_treatment(request_text, offset=100)
    if drug is None:
        assert t["drug"] is None
        assert t["strength"] is None
    else:
        assert t["drug"]["text"] == drug
        assert (t["drug"]["generic"], t["drug"]["drug_class"]) == (generic, drug_class)
        assert request_text[t["drug"]["start"] - 100 : t["drug"]["end"] - 100] == drug
    if values is not None:
        assert t["strength"]["values"] == values
        assert t["strength"]["unit"] == unit
    assert t["quantity"] == quantity
    assert t["refills"] == refills
    assert (t["frequency"] or {}).get("per_day") == per_day
    assert t["mme_per_day"] == mme


def test_fentanyl_patch_mme_uses_the_hourly_rate():
    t = parse_treatment("Duragesic 25mcg/hr patch, change every 72 hours")
    assert t["drug"]["generic"] == "fentanyl"
    # a patch is worn continuously: 25 mcg/hr x 2.4 whatever the change interval
    assert t["mme_per_day"] is None or t["mme_per_day"] == 60


def test_units_per_dose_range_gives_both_bounds():
    t = parse_treatment("Oxycodone 10mg, #240 (1-2 4x a day)")
    assert t["mme_per_day"] is None
    assert t["mme_per_day_range"] == [60, 120]
    assert t["mme_table"] == "cdc2016"


def test_2022_table_is_selectable():
    assert parse_treatment("Dilaudid 4 mg q6h", table="cdc2022")["mme_per_day"] == 80


def test_compound_cream_lists_every_ingredient():
    t = parse_treatment("Flurbiprofen 10%/Dextromethorphan 5%/Lidocaine 5%, 120grams #1")
    assert t["drug"]["generic"] == "dextromethorphan / flurbiprofen / lidocaine"
    assert t["quantity"] == 1
    ingredients = [(i["generic"], i["strength"]["text"], i["text"]) for i in t["ingredients"]]
    assert ingredients == [
        ("flurbiprofen", "10%", "Flurbiprofen"),
        ("dextromethorphan", "5%", "Dextromethorphan"),
        ("lidocaine", "5%", "Lidocaine"),
    ]
    assert t["drug"]["text"] == "Flurbiprofen/Dextromethorphan/Lidocaine"
    assert t["strength"] is None


# ---- issue 12: frequency ranges, days' supply, tramadol, compounds, kits --------------------


@pytest.mark.parametrize(
    "request_text, mme, mme_range",
    [
        # every 4-6 hours = 4 to 6 times a day
        ("Norco 10/325mg 1 tab every 4-6 hours #120", None, [40.0, 60.0]),
        ("Oxycodone 10mg every 4-6 hours as needed #90", None, [60.0, 90.0]),
        # both ranges: 1-2 tablets x 4-6 a day
        ("Percocet 10/325 1-2 tabs every 4-6 hours prn #120", None, [60.0, 180.0]),
        # no frequency: #60 over 30 days = 2 a day
        ("Oxycodone HCL ER 20mg #60, day supply: 30", 60.0, None),
        ("MS Contin 15mg #90 30-day supply", 45.0, None),
        # a written frequency wins over quantity / days' supply
        ("MS Contin 15mg 2x a day #90 30-day supply", 30.0, None),
    ],
)
def test_ranges_and_days_supply(request_text, mme, mme_range):
    warnings: list[str] = []
    t = parse_treatment(request_text, warnings=warnings)
    assert t["mme_per_day"] == mme
    assert t["mme_per_day_range"] == mme_range
    assert t["mme_table"] == "cdc2016"
    assert warnings == []


def test_tramadol_has_no_mme_under_cdc2016_and_a_warning_says_why():
    warnings: list[str] = []
    t = parse_treatment("Tramadol 50mg 1 tab 2x a day #60", warnings=warnings)
    assert (t["mme_per_day"], t["mme_per_day_range"], t["mme_table"]) == (None, None, None)
    assert warnings == ["mme: tramadol has no conversion factor in the cdc2016 table"]
    warnings = []
    assert parse_treatment("Tramadol 50mg 1 tab 2x a day #60", table="cdc2022", warnings=warnings)["mme_per_day"] == 20
    assert warnings == []


@pytest.mark.parametrize(
    "request_text, reason",
    [
        ("Norco 10/325mg #60", "no daily frequency"),
        ("Norco #60 2x a day", "no single strength"),
        ("Synapryn (tramadol) 10mg/ml 5ml 3x a day", "mg/ml cannot be converted"),
    ],
)
def test_opioid_without_mme_gets_a_reason(request_text, reason):
    warnings: list[str] = []
    t = parse_treatment(request_text, warnings=warnings)
    assert t["mme_per_day"] is None and t["mme_per_day_range"] is None
    assert len(warnings) == 1 and reason in warnings[0]


def test_non_opioids_get_no_mme_warning():
    warnings: list[str] = []
    parse_treatment("Cyclobenzaprine 7.5mg #60", warnings=warnings)
    assert warnings == []


@pytest.mark.parametrize(
    "request_text, text, generics, strengths, drug_class, quantity",
    [
        ("Flurbiprofen 20%/Cyclobenzaprine 4% cream 180gm", "Flurbiprofen/Cyclobenzaprine",
         ["flurbiprofen", "cyclobenzaprine"], ["20%", "4%"], "compound: muscle_relaxant + nsaid", 180),
        ("Compound: Flurbiprofen 20%, Baclofen 5%, Lidocaine 4% 180gm", "Flurbiprofen, Baclofen, Lidocaine",
         ["flurbiprofen", "baclofen", "lidocaine"], ["20%", "5%", "4%"],
         "compound: local_anesthetic + muscle_relaxant + nsaid", 180),
        ("Ketoprofen 10%, Gabapentin 6%, Lidocaine 5% topical cream 240gm", "Ketoprofen, Gabapentin, Lidocaine",
         ["ketoprofen", "gabapentin", "lidocaine"], ["10%", "6%", "5%"],
         "compound: anticonvulsant + local_anesthetic + nsaid", 240),
        # no strengths written: still a compound because it is a cream
        ("Flurbiprofen/Cyclobenzaprine/Lidocaine cream", "Flurbiprofen/Cyclobenzaprine/Lidocaine",
         ["cyclobenzaprine", "flurbiprofen", "lidocaine"], [None, None, None],
         "compound: local_anesthetic + muscle_relaxant + nsaid", None),
    ],
)
def test_compounds(request_text, text, generics, strengths, drug_class, quantity):
    t = parse_treatment(request_text, offset=10)
    assert t["drug"]["text"] == text
    assert "start" not in t["drug"]  # the text is not a slice of the letter
    assert t["drug"]["drug_class"] == drug_class
    assert [i["generic"] for i in t["ingredients"]] == generics
    assert [(i["strength"] or {}).get("text") for i in t["ingredients"]] == strengths
    for ingredient in t["ingredients"]:
        assert request_text[ingredient["start"] - 10 : ingredient["end"] - 10] == ingredient["text"]
    assert t["quantity"] == quantity
    assert t["strength"] is None


@pytest.mark.parametrize(
    "request_text",
    ["Norco 10/325mg #60", "Hydrocodone/APAP 10/325 #60", "Cyclobenzaprine (Flexeril) 7.5mg #60", "Terocin patch"],
)
def test_single_drugs_and_fixed_combinations_are_not_compounds(request_text):
    t = parse_treatment(request_text)
    assert t["ingredients"] == []
    assert not (t["drug"]["drug_class"] or "").startswith("compound")


def test_kit_resolved_only_by_the_ingredient_the_letter_names():
    named = parse_treatment("Fanatrex (gabapentin) 25mg/ml oral suspension 420ml")
    assert (named["drug"]["generic"], named["drug"]["drug_class"]) == ("gabapentin", "anticonvulsant")
    assert named["ingredients"] == []
    bare = parse_treatment("Fanatrex (unknown quantity)")
    assert bare["drug"]["generic"] is None  # never guessed
