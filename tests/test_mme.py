"""MME arithmetic: CDC factor tables, methadone tiers, patches, and combination strengths."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from imr_nlp.normalize.mme import factor, mme_per_day, opioid_strength, tables

HC_APAP = "acetaminophen / hydrocodone"


@pytest.mark.parametrize(
    ("generic", "strength", "per_day", "unit", "table", "expected"),
    [
        # Worked examples (CDC 2016 default, CDC 2022, CDC 2017 analytic)
        ("morphine", 60, 3, "mg", "cdc2016", 180.0),          # MS ER 60 mg TID
        ("oxycodone", 10, 4, "mg", "cdc2016", 60.0),          # oxycodone 10 mg 1 tab QID
        ("oxycodone", 10, 8, "mg", "cdc2016", 120.0),         # ... 2 tabs QID
        ("morphine", 60, 3, "mg", "cdc2022", 180.0),
        ("oxycodone", 10, 8, "mg", "cdc2022", 120.0),
        (HC_APAP, 10, 4, "mg", "cdc2016", 40.0),              # Norco 10/325 QID
        (HC_APAP, 10, 4, None, "cdc2016", 40.0),              # "Norco 10" bare strength
        (HC_APAP, 10, 4, "mg", "cdc2022", 40.0),
        (HC_APAP, 10, 2, "mg", "cdc2016", 20.0),              # Norco 10 2x a day
        ("fentanyl", 50, 1 / 3, "mcg/hr", "cdc2016", 120.0),  # patch q72h: per_day ignored
        ("fentanyl", 50, 1, "mcg/hr", "cdc2022", 120.0),
        ("fentanyl", 25, 0.33, "mcg/h", "cdc2016", 60.0),
        ("fentanyl", 25, 0.33, "mcg per hour", "cdc2016", 60.0),
        ("tramadol", 50, 4, "mg", "cdc2016", None),           # not in 2016 table (documented)
        ("tramadol", 50, 4, "mg", "cdc2017_analytic", 20.0),
        ("tramadol", 50, 4, "mg", "cdc2022", 40.0),
        ("acetaminophen / tramadol", 37.5, 4, "mg", "cdc2022", 30.0),
        ("glucosamine / tramadol", 50, 2, "mg", "cdc2017_analytic", 10.0),
        ("methadone", 10, 3, "mg", "cdc2016", 240.0),         # 30 mg/day -> tier 8
        ("methadone", 10, 3, "mg", "cdc2022", 141.0),         # 4.7 flat
        ("methadone", 5, 4, "mg", "cdc2016", 80.0),           # 20 mg/day -> tier 4
        ("methadone", 10, 5, "mg", "cdc2016", 500.0),         # 50 mg/day -> tier 10
        ("methadone", 20, 4, "mg", "cdc2016", 960.0),         # 80 mg/day -> tier 12
        ("methadone", 50, 2, "mg", "cdc2016", 1200.0),        # 100 mg/day -> 12 (extended)
        ("hydromorphone", 4, 4, "mg", "cdc2016", 64.0),       # 4 mg q6h
        ("hydromorphone", 4, 4, "mg", "cdc2022", 80.0),
        ("oxymorphone", 10, 2, "mg", "cdc2016", 60.0),
        ("tapentadol", 100, 2, "mg", "cdc2016", 80.0),
        ("acetaminophen / codeine", 30, 4, "mg", "cdc2016", 18.0),  # Tylenol #3 QID
        ("naloxone / oxycodone", 10, 2, "mg", "cdc2016", 30.0),
        ("morphine / naltrexone", 20, 2, "mg", "cdc2016", 40.0),
        ("meperidine", 50, 4, "mg", "cdc2017_analytic", 20.0),
        ("meperidine", 50, 4, "mg", "cdc2016", None),
    ],
)
def test_mme_per_day(generic, strength, per_day, unit, table, expected) -> None:
    got = mme_per_day(generic, strength, per_day, unit=unit, table=table)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected)


def test_mme_default_table_is_cdc2016() -> None:
    assert mme_per_day("hydromorphone", 4, 4) == pytest.approx(64.0)
    assert mme_per_day("tramadol", 50, 4) is None


def test_worked_example_seed_range_240_300() -> None:
    """MS ER 60 mg TID + oxycodone 10 mg 1-2 QID -> the letter's '240-300 mg'."""
    low = mme_per_day("morphine", 60, 3) + mme_per_day("oxycodone", 10, 4)
    high = mme_per_day("morphine", 60, 3) + mme_per_day("oxycodone", 10, 8)
    assert (low, high) == (pytest.approx(240.0), pytest.approx(300.0))


@pytest.mark.parametrize(
    ("generic", "strength", "per_day", "unit"),
    [
        ("carisoprodol", 350, 3, "mg"),           # not an opioid
        ("cyclobenzaprine", 10, 3, "mg"),
        ("buprenorphine", 20, 1, "mcg/hr"),       # no factor (partial agonist)
        ("buprenorphine / naloxone", 8, 1, "mg"),
        ("fentanyl", 200, 4, "mcg"),              # transmucosal: no clinical factor
        ("fentanyl", 25, 1, "mg"),
        ("morphine", 15, 2, "%"),                 # unusable unit
        ("morphine", 0, 2, "mg"),
        ("morphine", 15, 0, "mg"),
        ("unknownol", 10, 2, "mg"),
    ],
)
def test_mme_not_computable(generic, strength, per_day, unit) -> None:
    for table in tables():
        assert mme_per_day(generic, strength, per_day, unit=unit, table=table) is None


def test_mme_mcg_converted_for_oral_opioid() -> None:
    assert mme_per_day("hydromorphone", 2000, 4, unit="mcg") == pytest.approx(32.0)


def test_unknown_table_raises() -> None:
    with pytest.raises(ValueError):
        mme_per_day("morphine", 10, 2, table="mtus")


@pytest.mark.parametrize(
    ("generic", "table", "daily_mg", "expected"),
    [
        ("oxycodone", "cdc2016", None, 1.5),
        ("acetaminophen / oxycodone", "cdc2016", None, 1.5),
        ("hydromorphone", "cdc2016", None, 4.0),
        ("hydromorphone", "cdc2022", None, 5.0),
        ("codeine", "cdc2016", None, 0.15),
        ("fentanyl", "cdc2016", None, 2.4),
        ("methadone", "cdc2016", None, None),     # tier needs the daily dose
        ("methadone", "cdc2016", 20, 4.0),
        ("methadone", "cdc2016", 20.5, 8.0),
        ("methadone", "cdc2016", 40, 8.0),
        ("methadone", "cdc2016", 60, 10.0),
        ("methadone", "cdc2016", 61, 12.0),
        ("methadone", "cdc2022", None, 4.7),
        ("tramadol", "cdc2016", None, None),
        ("tramadol", "cdc2022", None, 0.2),
        ("tramadol", "cdc2017_analytic", None, 0.1),
        ("naproxen", "cdc2016", None, None),
    ],
)
def test_factor(generic, table, daily_mg, expected) -> None:
    assert factor(generic, table, daily_mg) == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(
    ("generic", "values", "expected"),
    [
        (HC_APAP, [10, 325], 10.0),                          # Norco 10/325
        (HC_APAP, [325, 10], 10.0),                          # written acetaminophen first
        (HC_APAP, [10], 10.0),                               # "Norco 10"
        (HC_APAP, [7.5, 325], 7.5),
        ("acetaminophen / codeine", [300, 30], 30.0),        # APAP/codeine 300/30
        ("acetaminophen / oxycodone", [5, 325], 5.0),        # Percocet 5/325
        ("acetaminophen / tramadol", [37.5, 325], 37.5),     # Ultracet
        ("hydrocodone / ibuprofen", [7.5, 200], 7.5),        # Vicoprofen
        ("acetaminophen / butalbital / caffeine / codeine", [50, 300, 40, 30], 30.0),
        ("buprenorphine / naloxone", [8, 2], 8.0),           # Suboxone: antagonist is smaller
        ("morphine / naltrexone", [20, 0.8], 20.0),          # Embeda
        ("naloxone / oxycodone", [10, 5], 10.0),             # Targiniq
        ("morphine", [30], 30.0),
        ("carisoprodol", [350], None),                       # not an opioid
        (HC_APAP, [], None),
    ],
)
def test_opioid_strength(generic, values, expected) -> None:
    assert opioid_strength(generic, values) == expected


def test_factor_file_integrity() -> None:
    data = json.loads(resources.files("imr_nlp.data").joinpath("mme_factors.json").read_text("utf-8"))
    assert data["default_table"] == "cdc2016"
    assert set(data["tables"]) == {"cdc2016", "cdc2022", "cdc2017_analytic"}
    for name, tab in data["tables"].items():
        assert tab["sources"], name
        assert tab["fentanyl_transdermal_per_mcg_hr"] == 2.4
        for ingredient, value in tab["factors"].items():
            assert ingredient == ingredient.lower()
            assert value is None or value > 0
        tiers = tab["methadone_tiers"]
        if tiers:
            uppers = [t["up_to_mg_per_day"] for t in tiers]
            assert uppers[-1] is None
            assert [t["above_mg_per_day"] for t in tiers[1:]] == uppers[:-1]
        else:
            assert tab["factors"]["methadone"] > 0
    assert data["tables"]["cdc2016"]["factors"]["tramadol"] is None
