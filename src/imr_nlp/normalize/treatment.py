"""The ``treatment`` of a disputed item, read from its request header (SPEC §4, §5).

"Norco 10 2x a day #60 x1 refill" -> drug (text, generic, class), strength [10], quantity
60, refills 1, frequency 2/day and, for opioids, MME per day. Non-drug requests (therapy,
imaging, surgery, equipment) have ``drug: None``. Nothing is guessed: a value that is not
written, or is ambiguous, is ``None``.

MME: strength of the opioid ingredient x units per dose x administrations per day x the
conversion factor of the chosen table (CDC 2016 by default). When the units per dose are a
range ("1-2 4x a day") ``mme_per_day`` is None and ``mme_per_day_range`` gives both bounds.
"""

from __future__ import annotations

import re
from typing import Any

from .amounts import find_amounts, parse_number
from .drugs import DrugInfo, find_drugs
from .mme import DEFAULT_TABLE, mme_per_day, opioid_strength

_UNITS_PER_DOSE = re.compile(
    r"(?:(?P<lo>\d+(?:\.\d+)?|one|two|three|half)\s*(?:-|to|or)\s*(?P<hi>\d+(?:\.\d+)?|one|two|three|four)"
    r"|(?P<one>\d+(?:\.\d+)?|one|two|three|half|1/2))"
    r"\s*(?:tabs?|tablets?|caps?|capsules?|pills?|patch(?:es)?|puffs?|sprays?)?\s*(?:by\s+mouth|orally|po)?\s*$",
    re.I,
)
_WORD_NUMBERS = {"one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "half": 0.5, "1/2": 0.5}


def _number(value: str) -> float | None:
    return _WORD_NUMBERS.get(value.lower()) if value.lower() in _WORD_NUMBERS else parse_number(value)


def _units_per_dose(text: str, frequency_start: int, floor: int) -> tuple[float, float] | None:
    """Units taken per administration, written just before the frequency ("1-2 4x a day")."""
    before = text[floor:frequency_start]
    before = before.rsplit("(", 1)[-1].rsplit(",", 1)[-1]
    match = _UNITS_PER_DOSE.search(before)
    if not match or not before.strip():
        return (1.0, 1.0)
    if match.group("one"):
        value = _number(match.group("one"))
        return (value, value) if value else None
    lo, hi = _number(match.group("lo")), _number(match.group("hi"))
    return (lo, hi) if lo and hi else None


def _merge_drugs(text: str, drugs: list[tuple[int, int, DrugInfo]]) -> tuple[int, int, str, str | None]:
    """One drug for the item: a single mention, or a compound ("A 10%/B 5%") as one entry."""
    if len({d[2].generic for d in drugs}) == 1:
        start, end, info = drugs[0]
        return start, end, info.generic, info.drug_class
    if any(d[2].generic is None for d in drugs):  # an ingredient is unknown: no partial list
        return drugs[0][0], drugs[-1][1], None, None
    ingredients = sorted({part for d in drugs for part in d[2].generic.split(" / ")})
    classes = {d[2].drug_class for d in drugs}
    return drugs[0][0], drugs[-1][1], " / ".join(ingredients), classes.pop() if len(classes) == 1 else None


def parse_treatment(text: str, offset: int = 0, *, table: str = DEFAULT_TABLE) -> dict[str, Any]:
    """Treatment fields of one request header; drug offsets are shifted by ``offset``."""
    amounts = find_amounts(text)
    drugs = find_drugs(text)
    drug = None
    strength = None
    mme = None
    mme_range = None
    if drugs:
        start, end, generic, drug_class = _merge_drugs(text, drugs)
        drug = {
            "text": text[start:end],
            "generic": generic,
            "drug_class": drug_class,
            "start": offset + start,
            "end": offset + end,
        }
        strength = amounts["strength"]
        if strength is not None and amounts["strength_span"][0] < start:
            strength = None  # a number before the drug name is not its strength
    frequency = amounts["frequency"]
    if drug and drug["drug_class"] == "opioid" and strength and frequency and frequency.get("per_day"):
        floor = max(drugs[-1][1], amounts["strength_span"][1])
        per_dose = _units_per_dose(text, amounts["frequency_span"][0], floor)
        mg = opioid_strength(drug["generic"], list(strength["values"])) if not strength.get("range") else None
        if per_dose and mg is not None:
            lo, hi = (
                mme_per_day(drug["generic"], mg * units, frequency["per_day"], unit=strength["unit"], table=table)
                for units in per_dose
            )
            if lo is not None and hi is not None:
                if lo == hi:
                    mme = lo
                else:
                    mme_range = [lo, hi]
    return {
        "drug": drug,
        "strength": strength,
        "quantity": amounts["quantity"],
        "refills": amounts["refills"],
        "days_supply": amounts["days_supply"],
        "frequency": frequency,
        "mme_per_day": mme,
        "mme_per_day_range": mme_range,
        "mme_table": table if (mme is not None or mme_range is not None) else None,
    }
