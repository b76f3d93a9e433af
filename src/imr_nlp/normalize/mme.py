"""Morphine milligram equivalents (MME) per day from a parsed opioid prescription.

Formula (CDC): ``MME/day = opioid strength per unit x units per day x conversion factor``.
Factors come from ``imr_nlp/data/mme_factors.json``: ``cdc2016`` (default, the table in force
when most IMR letters were written), ``cdc2022`` and ``cdc2017_analytic``. Every result
depends on the table, so callers should store the table name next to the number.

Choices (documented in the data file too):
- tramadol has no factor in the 2016 clinical table, so ``cdc2016`` gives ``None`` for it;
  ``cdc2017_analytic`` uses 0.1 and ``cdc2022`` 0.2.
- methadone under ``cdc2016``/``cdc2017_analytic`` uses the tiers by total daily methadone mg
  (4 / 8 / 10 / 12 for >0-20 / >20-40 / >40-60 / >60 mg/day); ``cdc2022`` uses 4.7 flat.
- transdermal fentanyl is dosed in mcg/hr: MME/day = rate x 2.4 while the patch is worn, so
  ``per_day`` (patch changes per day) is ignored. A fentanyl strength in plain mcg or mg
  (buccal, lozenge, spray) has no factor in the clinical tables and gives ``None``.
- buprenorphine has no factor in any table (partial agonist): ``None``.
- CDC: these numbers are for screening/analysis, not for converting a patient between opioids.
"""

from __future__ import annotations

from typing import Any

from ..resources import active_data

__all__ = ["DEFAULT_TABLE", "factor", "mme_per_day", "no_factor_reason", "opioid_strength", "tables"]

DEFAULT_TABLE = "cdc2016"

# Ingredients that make a combination product an analgesic + opioid pair (opioid = smaller mg).
_ANTAGONISTS = frozenset({"naloxone", "naltrexone", "methylnaltrexone", "naloxegol"})
# Opioid agonist ingredients known to the lexicon (with or without a factor in a given table).
_OPIOIDS = frozenset(
    {
        "buprenorphine", "butorphanol", "codeine", "dihydrocodeine", "fentanyl", "hydrocodone",
        "hydromorphone", "levorphanol", "meperidine", "methadone", "morphine", "oxycodone",
        "oxymorphone", "pentazocine", "tapentadol", "tramadol",
    }
)
_PATCH_UNITS = frozenset({"mcg/hr", "mcg/h", "mcg/hour", "µg/hr", "µg/h", "ug/hr", "ug/h"})
_MG_PER_UNIT = {"mg": 1.0, "milligram": 1.0, "milligrams": 1.0, "mcg": 0.001, "µg": 0.001, "ug": 0.001,
                "microgram": 0.001, "micrograms": 0.001, "g": 1000.0, "gm": 1000.0, "gram": 1000.0,
                "grams": 1000.0}


def _data() -> dict[str, Any]:
    return active_data()["mme_factors.json"]


def tables() -> list[str]:
    """Names of the available factor tables."""
    return sorted(_data()["tables"])


def _table(table: str) -> dict[str, Any]:
    try:
        return _data()["tables"][table]
    except KeyError:
        raise ValueError(f"unknown MME table {table!r}; choose one of {tables()}") from None


def _ingredients(generic: str) -> list[str]:
    return [p.strip() for p in generic.lower().split("/") if p.strip()]


def _opioid_of(generic: str) -> str | None:
    """The single opioid agonist ingredient of a generic string, else None."""
    found = [i for i in _ingredients(generic) if i in _OPIOIDS]
    return found[0] if len(found) == 1 else None


def factor(generic: str, table: str = DEFAULT_TABLE, daily_mg: float | None = None) -> float | None:
    """Conversion factor for the opioid in ``generic`` (per mg; fentanyl: per mcg/hr).

    Methadone under a tiered table needs ``daily_mg`` (total methadone mg/day) to pick a tier;
    without it the answer is None. Non-opioids and opioids without a factor give None.
    """
    tab = _table(table)
    opioid = _opioid_of(generic)
    if opioid is None:
        return None
    if opioid == "fentanyl":
        value = tab.get("fentanyl_transdermal_per_mcg_hr")
        return float(value) if value is not None else None
    if opioid == "methadone" and tab.get("methadone_tiers"):
        if daily_mg is None or daily_mg <= 0:
            return None
        for tier in tab["methadone_tiers"]:
            upper = tier["up_to_mg_per_day"]
            if daily_mg > tier["above_mg_per_day"] and (upper is None or daily_mg <= upper):
                return float(tier["factor"])
        return None
    value = tab["factors"].get(opioid)
    return float(value) if value is not None else None


def _norm_unit(unit: str | None) -> str:
    return "mg" if unit is None else unit.strip().lower().replace(" ", "").replace("per", "/")


def mme_per_day(
    generic: str,
    strength_mg: float,
    per_day: float,
    *,
    unit: str | None = "mg",
    table: str = DEFAULT_TABLE,
) -> float | None:
    """MME/day for one opioid prescription, or None when it cannot be computed.

    ``strength_mg`` is the strength of the opioid ingredient only (see ``opioid_strength``) in
    ``unit`` (``None`` = bare number after the drug name, read as mg); ``per_day`` is units
    taken per day. Fentanyl with a mcg/hr unit is a patch: rate x factor, ``per_day`` ignored.
    """
    if strength_mg is None or strength_mg <= 0:
        return None
    opioid = _opioid_of(generic)
    if opioid is None:
        return None
    u = _norm_unit(unit)
    if opioid == "fentanyl":
        if u not in _PATCH_UNITS:
            return None
        f = factor(opioid, table)
        return None if f is None else round(strength_mg * f, 4)
    if u not in _MG_PER_UNIT or per_day is None or per_day <= 0:
        return None
    daily_mg = strength_mg * _MG_PER_UNIT[u] * per_day
    f = factor(opioid, table, daily_mg=daily_mg)
    return None if f is None else round(daily_mg * f, 4)


def no_factor_reason(generic: str, unit: str | None, table: str = DEFAULT_TABLE) -> str | None:
    """Why ``mme_per_day`` gives None for this opioid and unit under ``table`` (None if it should not):
    "tramadol has no conversion factor in the cdc2016 table"."""
    opioid = _opioid_of(generic)
    if opioid is None:
        return "no single opioid ingredient" if generic else None
    u = _norm_unit(unit)
    if opioid == "fentanyl":
        if u not in _PATCH_UNITS:
            return f"fentanyl in {unit or 'a bare number'} (not mcg/hr, a patch) has no conversion factor in the {table} table"
        return None if factor(opioid, table) is not None else f"fentanyl has no conversion factor in the {table} table"
    if u not in _MG_PER_UNIT:
        return f"a strength in {unit} cannot be converted to mg"
    if opioid == "methadone" and _table(table).get("methadone_tiers"):
        return None
    if factor(opioid, table) is None:
        return f"{opioid} has no conversion factor in the {table} table"
    return None


def opioid_strength(generic: str, values: list[float]) -> float | None:
    """Which number of a written strength belongs to the opioid ingredient.

    Rule (independent of the order the writer used): one value -> that value; several values
    with an opioid combined with analgesics (acetaminophen, ibuprofen, aspirin, butalbital,
    caffeine...) -> the smallest (Norco 10/325 -> 10, APAP/codeine 300/30 -> 30, Ultracet
    37.5/325 -> 37.5); opioid combined with an antagonist (naloxone, naltrexone) -> the
    largest (Suboxone 8/2 -> 8, Embeda 20/0.8 -> 20). No opioid in ``generic`` -> None.
    """
    nums = [float(v) for v in values if v is not None]
    if not nums or _opioid_of(generic) is None:
        return None
    if len(nums) == 1:
        return nums[0]
    partners = [i for i in _ingredients(generic) if i not in _OPIOIDS]
    if partners and all(p in _ANTAGONISTS for p in partners):
        return max(nums)
    return min(nums)
