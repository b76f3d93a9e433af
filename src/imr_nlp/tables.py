"""Flat tables (CSV / Parquet): one row per disputed item, SPEC §6 columns."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .records import Guideline, Ingredient, Item, Record

COLUMNS = [
    "id",
    "path",
    "case_number",
    "item_index",
    "request",
    "outcome",
    "original_request",
    "ur_authorized",
    "drug",
    "generic",
    "drug_class",
    "strength",
    "strength_unit",
    "quantity",
    "refills",
    "frequency",
    "per_day",
    "mme_per_day",
    "service_type",
    "sessions",
    "sessions_range",
    "duration_days",
    "body_regions",
    "ca_guideline_sources",
    "ca_guideline_pages",
    "reviewer_guideline_sources",
    "reviewer_guideline_pages",
    "reasons",
    "error",
    "warnings",
]
# Letter-level fields repeated on every row of a letter, and further item fields (SPEC §4b, §4c).
LETTER_COLUMNS = [
    "decision_date",
    "date_assigned",
    "application_received",
    "priority",
    "date_of_injury",
    "ur_decision_date",
    "patient_age",
    "patient_sex",
    "reviewer_specialties",
    "reviewer_licensure",
    "diagnosis_codes",
    "diagnoses",
]
ITEM_COLUMNS = [
    "days_supply",
    "mme_per_day_low",
    "mme_per_day_high",
    "mme_table",
    "ingredients",
    "ca_guideline_documents",
    "ca_guideline_topics",
    "reviewer_guideline_documents",
    "reviewer_guideline_topics",
    "item_warnings",
]
COLUMNS.extend(LETTER_COLUMNS + ITEM_COLUMNS)

#: Meaning of every column (type, description); docs/data-dictionary.md is generated from it.
COLUMN_DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "id": ("string", "Letter id (the record's `id`)."),
    "path": ("string", "Input file path."),
    "case_number": ("string", "IMR case number (`case_number`)."),
    "item_index": ("integer", "0-based position of the item in the letter."),
    "request": ("string", "The item's request text, whitespace collapsed (`items[].request.text`)."),
    "outcome": ("string", "`upheld` or `overturned`."),
    "original_request": ("string", "Original request of a partially certified item."),
    "ur_authorized": ("string", "What the claims administrator authorized of a partially certified item."),
    "drug": ("string", "Drug text (`treatment.drug.text`; a compound's names without strengths)."),
    "generic": ("string", "Generic ingredient(s) (`treatment.drug.generic`)."),
    "drug_class": ("string", "Drug class (`treatment.drug.drug_class`; compounds: `compound: <classes>`)."),
    "strength": ("string", "Strength numbers joined with `/` (`treatment.strength.values`)."),
    "strength_unit": ("string", "Strength unit (`treatment.strength.unit`)."),
    "quantity": ("integer", "Dispensed amount (`treatment.quantity`)."),
    "refills": ("integer", "Refills (`treatment.refills`)."),
    "frequency": ("string", "Frequency text (`treatment.frequency.text`)."),
    "per_day": ("float", "Administrations per day (`treatment.frequency.per_day`)."),
    "mme_per_day": ("float", "MME per day (`treatment.mme_per_day`)."),
    "service_type": ("string", "Kind of service (`treatment.service_type`: pharmaceutical, injection, surgery, ...)."),
    "sessions": ("integer", "Total sessions/visits requested (`treatment.sessions`)."),
    "sessions_range": ("string", "Session range as `low-high` (`treatment.sessions_range`), e.g. `3-6`."),
    "duration_days": ("integer", "Stated rental or treatment duration in days (`treatment.duration_days`)."),
    "body_regions": ("string", "Body regions named by the request, joined with `; ` (`treatment.body_regions`)."),
    "reasons": ("string", "Reasons the rationale states, joined with `;` (`reasons[].reason`), e.g. `not_recommended;exceeds_limits`."),
    "ca_guideline_sources": ("string", "Sources of the claims administrator's citations, `; `-joined (one per citation)."),
    "ca_guideline_pages": ("string", "Their pages: `,`-joined per citation, citations `; `-joined."),
    "reviewer_guideline_sources": ("string", "Sources of the reviewer's citations, `; `-joined."),
    "reviewer_guideline_pages": ("string", "Their pages, as for `ca_guideline_pages`."),
    "error": ("string", "Why an input failed (error records only)."),
    "warnings": ("string", "Letter warnings, `; `-joined."),
    "decision_date": ("string (ISO date)", "IMR decision date (`decision_date`)."),
    "date_assigned": ("string (ISO date)", "Date assigned (`date_assigned`, 2015+ header)."),
    "application_received": ("string (ISO date)", "Application received (`application_received`, 2015+ header)."),
    "priority": ("string", "`Standard` or `Expedited` (`priority`, 2015+ header)."),
    "date_of_injury": ("string (ISO date)", "Date of injury (`date_of_injury`)."),
    "ur_decision_date": ("string (ISO date)", "Utilization review decision date (`ur_decision_date`)."),
    "patient_age": ("integer", "Patient age (`patient.age`)."),
    "patient_sex": ("string", "Patient sex (`patient.sex`)."),
    "reviewer_specialties": ("string", "Reviewer specialties, `; `-joined (`reviewer.specialties`)."),
    "reviewer_licensure": ("string", "Reviewer states of licensure, `; `-joined (`reviewer.licensure`)."),
    "diagnosis_codes": ("string", "ICD-10-CM codes of the patient's diagnoses, `; `-joined, in letter order (`diagnoses[].icd10cm.code`)."),
    "diagnoses": ("string", "The patient's diagnoses as written, `; `-joined (`diagnoses[].text`)."),
    "days_supply": ("integer", "Days' supply (`treatment.days_supply`)."),
    "mme_per_day_low": ("float", "Lower bound of `treatment.mme_per_day_range`, or `mme_per_day` when it is a single number."),
    "mme_per_day_high": ("float", "Upper bound of `treatment.mme_per_day_range`, or `mme_per_day` when it is a single number."),
    "mme_table": ("string", "MME conversion table (`treatment.mme_table`)."),
    "ingredients": ("string", "Compound ingredients with strengths, `; `-joined (`flurbiprofen 20%; cyclobenzaprine 4%`)."),
    "ca_guideline_documents": ("string", "Documents of the claims administrator's citations, `; `-joined (empty entry when none)."),
    "ca_guideline_topics": ("string", "Topics of the claims administrator's citations, `; `-joined."),
    "reviewer_guideline_documents": ("string", "Documents of the reviewer's citations, `; `-joined."),
    "reviewer_guideline_topics": ("string", "Topics of the reviewer's citations, `; `-joined."),
    "item_warnings": ("string", "The item's warnings, `; `-joined (`items[].warnings`, e.g. why MME is null)."),
}


def _flat(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None


def _citation_columns(guideline: Guideline | None) -> tuple[str | None, str | None]:
    if not guideline or not guideline.get("citations"):
        return None, None
    sources = "; ".join(c["source"] for c in guideline["citations"])
    pages = "; ".join(",".join(str(p) for p in c["pages"]) for c in guideline["citations"])
    return sources, pages


def _joined(values: list[Any]) -> str | None:
    return "; ".join("" if v is None else str(v) for v in values) if values else None


def _letter_columns(record: Record) -> dict[str, Any]:
    patient = record.get("patient") or {}
    reviewer = record.get("reviewer") or {}
    diagnoses = record.get("diagnoses") or []
    return {
        "decision_date": record.get("decision_date"),
        "date_assigned": record.get("date_assigned"),
        "application_received": record.get("application_received"),
        "priority": record.get("priority"),
        "date_of_injury": record.get("date_of_injury"),
        "ur_decision_date": record.get("ur_decision_date"),
        "patient_age": patient.get("age"),
        "patient_sex": patient.get("sex"),
        "reviewer_specialties": _joined(reviewer.get("specialties") or []),
        "reviewer_licensure": _joined(reviewer.get("licensure") or []),
        "diagnosis_codes": _joined([d["icd10cm"]["code"] for d in diagnoses if d.get("icd10cm")]),
        "diagnoses": _joined([_flat(d["text"]) for d in diagnoses]),
    }


def _ingredient_text(ingredient: Ingredient) -> str:
    strength = ingredient.get("strength") or {}
    return " ".join(p for p in (ingredient.get("generic") or "?", _flat(strength.get("text"))) if p)


def _item_columns(item: Item) -> dict[str, Any]:
    treatment = item.get("treatment") or {}
    low_high = treatment.get("mme_per_day_range") or [treatment.get("mme_per_day")] * 2
    ca = (item.get("claims_administrator_guideline") or {}).get("citations") or []
    rv = (item.get("reviewer_guideline") or {}).get("citations") or []
    return {
        "days_supply": treatment.get("days_supply"),
        "mme_per_day_low": low_high[0],
        "mme_per_day_high": low_high[1],
        "mme_table": treatment.get("mme_table"),
        "ingredients": _joined([_ingredient_text(i) for i in treatment.get("ingredients") or []]),
        "ca_guideline_documents": _joined([c.get("document") for c in ca]),
        "ca_guideline_topics": _joined([c.get("topic") for c in ca]),
        "reviewer_guideline_documents": _joined([c.get("document") for c in rv]),
        "reviewer_guideline_topics": _joined([c.get("topic") for c in rv]),
        "item_warnings": _joined(item.get("warnings") or []),
    }


def item_rows(record: Record) -> Iterator[dict[str, Any]]:
    """Rows of one letter record; a letter without items (or an error) still gives one row."""
    base = {
        "id": record.get("id"),
        "path": record.get("path"),
        "case_number": record.get("case_number"),
        "error": record.get("error"),
        "warnings": "; ".join(record.get("warnings") or []) or None,
        **_letter_columns(record),
    }
    items = record.get("items") or []
    if not items:
        yield {column: base.get(column) for column in COLUMNS}
        return
    for index, item in enumerate(items):
        treatment = item.get("treatment") or {}
        drug = treatment.get("drug") or {}
        strength = treatment.get("strength") or {}
        frequency = treatment.get("frequency") or {}
        ca_sources, ca_pages = _citation_columns(item.get("claims_administrator_guideline"))
        rv_sources, rv_pages = _citation_columns(item.get("reviewer_guideline"))
        row = {
            **base,
            "item_index": index,
            "request": _flat(item["request"]["text"]),
            "outcome": item["outcome"],
            "original_request": _flat((item.get("original_request") or {}).get("text")),
            "ur_authorized": _flat((item.get("ur_authorized") or {}).get("text")),
            "drug": _flat(drug.get("text")),
            "generic": drug.get("generic"),
            "drug_class": drug.get("drug_class"),
            "strength": "/".join(f"{v:g}" for v in strength.get("values", [])) or None,
            "strength_unit": strength.get("unit"),
            "quantity": treatment.get("quantity"),
            "refills": treatment.get("refills"),
            "frequency": _flat(frequency.get("text")),
            "per_day": frequency.get("per_day"),
            "mme_per_day": treatment.get("mme_per_day"),
            "service_type": treatment.get("service_type"),
            "sessions": treatment.get("sessions"),
            "sessions_range": "-".join(str(n) for n in treatment.get("sessions_range") or []) or None,
            "duration_days": treatment.get("duration_days"),
            "body_regions": "; ".join(treatment.get("body_regions") or []) or None,
            "ca_guideline_sources": ca_sources,
            "ca_guideline_pages": ca_pages,
            "reviewer_guideline_sources": rv_sources,
            "reviewer_guideline_pages": rv_pages,
            **_item_columns(item),
            "reasons": ";".join(r["reason"] for r in item.get("reasons") or []) or None,
        }
        yield {column: row.get(column) for column in COLUMNS}


_TYPES = {"item_index": "int64", "quantity": "int64", "refills": "int64", "per_day": "float64", "mme_per_day": "float64"}
_TYPES.update({"sessions": "int64", "duration_days": "int64"})
_TYPES.update(
    patient_age="int64", days_supply="int64", mme_per_day_low="float64", mme_per_day_high="float64"
)


def write_table(rows: Iterable[dict[str, Any]], path: Path, fmt: str, *, chunk_rows: int = 5000) -> int:
    """Write rows as CSV or Parquet, streaming in chunks; returns the number of rows."""
    count = 0
    if fmt == "csv":
        with path.open("w", encoding="utf8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS)
            writer.writeheader()
            for row in rows:
                writer.writerow(row)
                count += 1
        return count
    if fmt != "parquet":
        raise ValueError(f"unknown table format {fmt!r}")
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as err:  # pragma: no cover - depends on the install
        raise SystemExit("Parquet output needs pyarrow: pip install 'imr_nlp[parquet]'") from err
    schema = pa.schema(
        [(c, pa.int64() if _TYPES.get(c) == "int64" else pa.float64() if _TYPES.get(c) == "float64" else pa.string()) for c in COLUMNS]
    )
    with pq.ParquetWriter(str(path), schema) as writer:
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append(row)
            count += 1
            if len(chunk) >= chunk_rows:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                chunk = []
        if chunk or count == 0:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
    return count
