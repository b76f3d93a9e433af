"""Flat tables (CSV / Parquet): one row per disputed item, SPEC §6 columns."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

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
    "ca_guideline_sources",
    "ca_guideline_pages",
    "reviewer_guideline_sources",
    "reviewer_guideline_pages",
    "reasons",
    "error",
    "warnings",
]


def _flat(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None


def _citation_columns(guideline: dict | None) -> tuple[str | None, str | None]:
    if not guideline or not guideline.get("citations"):
        return None, None
    sources = "; ".join(c["source"] for c in guideline["citations"])
    pages = "; ".join(",".join(str(p) for p in c["pages"]) for c in guideline["citations"])
    return sources, pages


def item_rows(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Rows of one letter record; a letter without items (or an error) still gives one row."""
    base = {
        "id": record.get("id"),
        "path": record.get("path"),
        "case_number": record.get("case_number"),
        "error": record.get("error"),
        "warnings": "; ".join(record.get("warnings") or []) or None,
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
            "ca_guideline_sources": ca_sources,
            "ca_guideline_pages": ca_pages,
            "reviewer_guideline_sources": rv_sources,
            "reviewer_guideline_pages": rv_pages,
            "reasons": ";".join(r["reason"] for r in item.get("reasons") or []) or None,
        }
        yield {column: row.get(column) for column in COLUMNS}


_TYPES = {"item_index": "int64", "quantity": "int64", "refills": "int64", "per_day": "float64", "mme_per_day": "float64"}


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
