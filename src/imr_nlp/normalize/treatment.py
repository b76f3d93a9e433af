"""The ``treatment`` of a disputed item, read from its request header (SPEC §4, §5).

"Norco 10 2x a day #60 x1 refill" -> drug (text, generic, class), strength [10], quantity
60, refills 1, frequency 2/day and, for opioids, MME per day. Non-drug requests (therapy,
imaging, surgery, equipment) have ``drug: None``. Nothing is guessed: a value that is not
written, or is ambiguous, is ``None``.

MME: strength of the opioid ingredient x units per dose x administrations per day x the
conversion factor of the chosen table (CDC 2016 by default). When the units per dose or the
frequency are a range ("1-2 4x a day", "every 4-6 hours") ``mme_per_day`` is None and
``mme_per_day_range`` gives both bounds. With no frequency written, quantity / days' supply
gives the units per day ("#60, day supply: 30" -> 2). When no MME can be computed for an
opioid, a warning says why (no factor in the table, e.g. tramadol under CDC 2016).

Compounds ("Flurbiprofen 20%/Cyclobenzaprine 4% cream 180gm"): ``ingredients`` lists each
generic with its own strength and the offsets of its name, ``drug.text`` is the names
without strengths (no offsets: it is not a slice of the letter), ``drug_class``
is "compound: <class> + <class>" (the ingredients' classes, sorted), the package amount is
the quantity and ``strength`` is None.
"""

from __future__ import annotations

import re
from typing import Any

from .amounts import find_amounts, parse_number, parse_strength
from .drugs import DrugInfo, find_drugs, lookup_drug
from .mme import DEFAULT_TABLE, mme_per_day, no_factor_reason, opioid_strength
from .vocabulary import dosage_form_alternation, fraction_words

_UNITS_PER_DOSE = re.compile(
    r"(?:(?P<lo>\d+(?:\.\d+)?|one|two|three|half)\s*(?:-|to|or)\s*(?P<hi>\d+(?:\.\d+)?|one|two|three|four)"
    r"|(?P<one>\d+(?:\.\d+)?|one|two|three|half|1/2))"
    rf"\s*(?:{dosage_form_alternation('per_dose')})?\s*(?:by\s+mouth|orally|po)?\s*$",
    re.I,
)


def _number(value: str) -> float | None:
    """A count per dose: a number, a number word ("two") or a fraction word ("half", "1/2")."""
    fractions = fraction_words()
    return fractions[value.lower()] if value.lower() in fractions else parse_number(value)


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


_STRENGTH_AFTER = re.compile(
    r"[ \t]*(?P<s>\d+(?:\.\d+)?[ \t]*(?:%|mg|mcg|gm?|ml)(?:[ \t]*/[ \t]*(?:ml|gm?))?)(?![A-Za-z0-9])", re.I
)
# Words that make a list of ingredients a compounded product, not one drug named twice.
_COMPOUND_WORDS = re.compile(r"\b(?:compound(?:ed)?|cream|gel|ointment|lotion|topical|transdermal|liniment)\b", re.I)


def _paired(text: str, first: tuple[int, int, DrugInfo], second: tuple[int, int, DrugInfo]) -> bool:
    """ "Brand (generic)": the second drug is the first one's name in brackets."""
    between = text[first[1] : second[0]]
    return re.fullmatch(r"\s*\(\s*", between) is not None


def _merge_drugs(text: str, drugs: list[tuple[int, int, DrugInfo]]) -> tuple[int, int, str, str | None]:
    """One drug for the item: a single mention, or a compound ("A 10%/B 5%") as one entry."""
    if len({d[2].generic for d in drugs}) == 1:
        start, end, info = drugs[0]
        return start, end, info.generic, info.drug_class
    if len(drugs) == 2 and _paired(text, drugs[0], drugs[1]):
        # "Fanatrex (gabapentin)": a kit resolved only by the ingredient the letter names.
        first, second = drugs[0][2], drugs[1][2]
        info = first if first.generic is not None else second
        return drugs[0][0], drugs[0][1], info.generic, info.drug_class
    if any(d[2].generic is None for d in drugs):  # an ingredient is unknown: no partial list
        return drugs[0][0], drugs[-1][1], None, None
    ingredients = sorted({part for d in drugs for part in d[2].generic.split(" / ")})
    classes = {d[2].drug_class for d in drugs}
    return drugs[0][0], drugs[-1][1], " / ".join(ingredients), classes.pop() if len(classes) == 1 else None


def compound_ingredients(
    text: str, drugs: list[tuple[int, int, DrugInfo]], offset: int = 0
) -> list[dict[str, Any]] | None:
    """Ingredients of a compounded product, each with the strength written right after it.

    A request is a compound when it names two or more drugs with different ingredients, not
    as "Brand (generic)", and either at least two of them carry their own strength
    ("Flurbiprofen 20%/Cyclobenzaprine 4%") or the request says it is a compound or a topical
    form ("... cream"). A lexicon entry that is itself a compounded ingredient list
    ("Flurbiprofen/Cyclobenzaprine") counts once per ingredient. Returns None otherwise.
    """
    if len(drugs) == 2 and _paired(text, drugs[0], drugs[1]):
        return None
    parts = []
    for start, end, info in drugs:
        m = _STRENGTH_AFTER.match(text, end)
        strength = parse_strength(m.group("s")) if m else None
        names = info.generic.split(" / ") if info.generic else [None]
        if len(names) > 1 and info.drug_class != "compounded topical":
            names = [info.generic]  # a fixed combination product is one ingredient of the compound
        for k, name in enumerate(names):
            parts.append(
                {
                    "generic": name,
                    "strength": strength if k == len(names) - 1 else None,
                    "text": text[start:end],
                    "start": offset + start,
                    "end": offset + end,
                }
            )
    if len({p["generic"] for p in parts}) < 2:
        return None
    with_strength = sum(1 for p in parts if p["strength"] is not None)
    if with_strength < 2 and not _COMPOUND_WORDS.search(text):
        return None
    return parts


def _compound_text(text: str, start: int, end: int) -> str:
    """The drug names of a compound without their strengths: "Flurbiprofen, Baclofen, Lidocaine"."""
    segment = _STRENGTH_AFTER.sub("", text[start:end])
    segment = re.sub(r"\s*([,/])\s*", r"\1 ", " ".join(segment.split()))
    return segment.replace("/ ", "/").strip(" ,/")


def _compound_class(drugs: list[tuple[int, int, DrugInfo]], ingredients: list[dict[str, Any]]) -> str | None:
    """ "compound: <class> + <class>": the distinct classes of the ingredients (lowercase, spaces
    as underscores, sorted; an ingredient's own lexicon class, else its mention's class)."""
    mention_classes = [d[2].drug_class for d in drugs if d[2].drug_class and d[2].drug_class != "compounded topical"]
    classes = set()
    for ingredient in ingredients:
        info = lookup_drug(ingredient["generic"]) if ingredient["generic"] else None
        if info and info.drug_class:
            classes.add(info.drug_class)
    if not classes:
        classes.update(mention_classes)
    names = sorted({c.lower().replace(" ", "_") for c in classes})
    return "compound: " + " + ".join(names) if names else None


def _per_day(
    frequency: dict[str, Any] | None, quantity: int | None, days_supply: int | None
) -> tuple[float, float] | None:
    """Administrations per day as (low, high): the frequency, its range ("every 4-6 hours"),
    or, with no frequency written, quantity / days' supply ("#60, day supply: 30" -> 2)."""
    if frequency:
        if frequency.get("per_day"):
            return (frequency["per_day"], frequency["per_day"])
        day_range = frequency.get("per_day_range")
        if day_range and all(day_range):
            return (min(day_range), max(day_range))
        if frequency.get("per_week") or frequency.get("per_week_range"):
            return None
    if quantity and days_supply:
        return (quantity / days_supply, quantity / days_supply)
    return None


def _mme(
    text: str,
    drug: dict[str, Any],
    drugs: list[tuple[int, int, DrugInfo]],
    amounts: dict[str, Any],
    strength: dict[str, Any] | None,
    table: str,
    warnings: list[str],
) -> tuple[float | None, list[float] | None]:
    """MME per day (or its range) of an opioid request; a warning says why there is none."""
    generic = drug["generic"] or ""
    if not generic:
        warnings.append("mme: the opioid's ingredient is unknown")
        return None, None
    frequency = amounts["frequency"]
    per_day = _per_day(frequency, amounts["quantity"], amounts["days_supply"])
    mg = opioid_strength(generic, list(strength["values"])) if strength and not strength.get("range") else None
    if mg is None:
        warnings.append("mme: no single strength of the opioid is written")
        return None, None
    if per_day is None:
        warnings.append("mme: no daily frequency (or quantity with days' supply) is written")
        return None, None
    if frequency and (frequency.get("per_day") or frequency.get("per_day_range")):
        floor = max(drugs[-1][1], amounts["strength_span"][1])
        per_dose = _units_per_dose(text, amounts["frequency_span"][0], floor)
    else:
        per_dose = (1.0, 1.0)  # quantity / days' supply already counts units
    if per_dose is None:
        warnings.append("mme: the number of units per dose is unclear")
        return None, None
    lo = mme_per_day(generic, mg * per_dose[0], per_day[0], unit=strength["unit"], table=table)
    hi = mme_per_day(generic, mg * per_dose[1], per_day[1], unit=strength["unit"], table=table)
    if lo is None or hi is None:
        reason = no_factor_reason(generic, strength["unit"], table)
        warnings.append(f"mme: {reason}" if reason else "mme: the strength unit cannot be converted")
        return None, None
    return (lo, None) if lo == hi else (None, [lo, hi])


def parse_treatment(
    text: str,
    offset: int = 0,
    *,
    table: str = DEFAULT_TABLE,
    warnings: list[str] | None = None,
    drugs: list[tuple[int, int, DrugInfo]] | None = None,
) -> dict[str, Any]:
    """Treatment fields of one request header; drug offsets are shifted by ``offset``.

    ``warnings``, when given, receives why an opioid's MME could not be computed.
    ``drugs``: the drug mentions of the request, ``(start, end, info)`` with offsets into
    ``text`` (``imr_items`` passes the DRUG entities of the doc that lie inside the request);
    None finds them in ``text``. The amounts are always read from ``text`` (the header's
    grammar, :func:`~imr_nlp.normalize.amounts.find_amounts`).
    """
    amounts = find_amounts(text)
    drugs = find_drugs(text) if drugs is None else sorted(drugs, key=lambda d: (d[0], d[1]))
    notes: list[str] = [] if warnings is None else warnings
    drug = None
    strength = None
    mme = None
    mme_range = None
    ingredients: list[dict[str, Any]] = []
    if drugs:
        start, end, generic, drug_class = _merge_drugs(text, drugs)
        compound = compound_ingredients(text, drugs, offset)
        drug = {
            "text": _compound_text(text, start, end) if compound else text[start:end],
            "generic": generic,
            "drug_class": _compound_class(drugs, compound) if compound else drug_class,
        }
        if not compound:  # a compound's text drops the strengths: its offsets are on its ingredients
            drug.update(start=offset + start, end=offset + end)
        strength = amounts["strength"]
        if strength is not None and amounts["strength_span"][0] < start:
            strength = None  # a number before the drug name is not its strength
        if compound:
            ingredients = compound
            strength = None  # each ingredient carries its own
    if drug and drug["drug_class"] == "opioid":
        mme, mme_range = _mme(text, drug, drugs, amounts, strength, table, notes)
    return {
        "drug": drug,
        "strength": strength,
        "quantity": amounts["quantity"],
        "refills": amounts["refills"],
        "days_supply": amounts["days_supply"],
        "frequency": amounts["frequency"],
        "mme_per_day": mme,
        "mme_per_day_range": mme_range,
        "mme_table": table if (mme is not None or mme_range is not None) else None,
        "ingredients": ingredients,
    }
