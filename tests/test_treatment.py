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
