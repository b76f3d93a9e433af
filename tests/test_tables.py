"""Direct tests of imr_nlp.tables: the flat row(s) of a record, column by column."""

from __future__ import annotations

import csv

import pytest

from imr_nlp import tables
from imr_nlp.tables import COLUMN_DESCRIPTIONS, COLUMNS, item_rows, write_table


def _citation(source: str, pages: list[int], document: str | None = None, topic: str | None = None) -> dict:
    return {"source": source, "document": document, "chapter": None, "topic": topic, "year": None,
            "pages": pages, "start": 0, "end": 1, "text": "x"}


@pytest.mark.parametrize(
    "text, expected",
    [("a \n b\tc", "a b c"), ("  ", ""), ("", None), (None, None), ("one", "one")],  # blank: "" (not None)
)
def test_flat(text, expected):
    assert tables._flat(text) == expected


@pytest.mark.parametrize(
    "values, expected",
    [([], None), (["a"], "a"), (["a", None, 3], "a; ; 3"), ([None], "")],
)
def test_joined(values, expected):
    assert tables._joined(values) == expected


@pytest.mark.parametrize(
    "guideline, expected",
    [
        (None, (None, None)),
        ({"start": 0, "end": 1, "text": "x", "citations": []}, (None, None)),
        (
            {"start": 0, "end": 1, "text": "x", "citations": [_citation("MTUS", [78, 80]), _citation("ODG", [])]},
            ("MTUS; ODG", "78,80; "),
        ),
    ],
)
def test_citation_columns(guideline, expected):
    assert tables._citation_columns(guideline) == expected


@pytest.mark.parametrize(
    "ingredient, expected",
    [
        ({"generic": "flurbiprofen", "strength": {"text": "20 %", "values": [20], "unit": "%"}}, "flurbiprofen 20 %"),
        ({"generic": None, "strength": {"text": "4%", "values": [4], "unit": "%"}}, "? 4%"),
        ({"generic": "capsaicin", "strength": None}, "capsaicin"),
    ],
)
def test_ingredient_text(ingredient, expected):
    assert tables._ingredient_text(ingredient) == expected


def _treatment(**values) -> dict:
    base = {"drug": None, "strength": None, "quantity": None, "refills": None, "frequency": None,
            "mme_per_day": None, "mme_per_day_range": None, "mme_table": None, "ingredients": [],
            "service_type": "other", "sessions": None, "sessions_range": None, "duration_days": None,
            "body_regions": []}
    return {**base, **values}


def _item(request: str, outcome: str, **values) -> dict:
    base = {"request": {"start": 0, "end": len(request), "text": request}, "outcome": outcome,
            "original_request": None, "ur_authorized": None, "treatment": None,
            "claims_administrator_guideline": None, "reviewer_guideline": None, "rationale": None,
            "warnings": [], "reasons": []}
    return {**base, **values}


LETTER = {
    "id": "L1", "path": "in/L1.txt", "case_number": "CM16-0000001", "decision_date": "2016-11-02",
    "date_assigned": None, "application_received": None, "priority": "Standard",
    "patient": {"age": 48, "sex": "female"}, "date_of_injury": "2010-05-01", "ur_decision_date": None,
    "reviewer": {"specialties": ["Orthopaedic Surgery", "Sports Medicine"], "licensure": ["California"]},
    "entities": [],
    "diagnoses": [
        {"text": "lumbar\nradiculopathy", "start": 0, "end": 1, "icd10cm": {"code": "M54.16", "description": "d"}},
        {"text": "anxiety", "start": 2, "end": 3, "icd10cm": None},
    ],
    "items": [],
    "warnings": ["w1", "w2"],
}


def test_letter_columns():
    assert tables._letter_columns(LETTER) == {
        "decision_date": "2016-11-02", "date_assigned": None, "application_received": None,
        "priority": "Standard", "date_of_injury": "2010-05-01", "ur_decision_date": None,
        "patient_age": 48, "patient_sex": "female",
        "reviewer_specialties": "Orthopaedic Surgery; Sports Medicine", "reviewer_licensure": "California",
        "diagnosis_codes": "M54.16", "diagnoses": "lumbar radiculopathy; anxiety",
    }


def test_a_letter_without_items_gives_one_row():
    [row] = list(item_rows(LETTER))
    assert list(row) == COLUMNS
    assert (row["id"], row["path"], row["item_index"], row["request"], row["warnings"]) == (
        "L1", "in/L1.txt", None, None, "w1; w2",
    )


def test_an_error_record_gives_one_row():
    [row] = list(item_rows({"id": "x", "path": "x.pdf", "error": "empty file", "warnings": []}))
    assert row["error"] == "empty file" and row["warnings"] is None and row["patient_age"] is None
    assert [c for c, v in row.items() if v is not None] == ["id", "path", "error"]


def test_item_rows_flatten_each_item():
    drug = {"text": "Norco\n10/325", "generic": "hydrocodone/acetaminophen", "drug_class": "opioid"}
    strength = {"text": "10/325 mg", "values": [10, 325], "unit": "mg"}
    frequency = {"text": "every 6\nhours", "per_day": 4.0}
    first = _item(
        "Norco 10/325 mg\n#120", "upheld",
        treatment=_treatment(drug=drug, strength=strength, quantity=120, frequency=frequency, mme_per_day=40.0,
                             mme_table="cdc2016", service_type="pharmaceutical", body_regions=["lumbar_spine"]),
        reviewer_guideline={"start": 0, "end": 1, "text": "x",
                            "citations": [_citation("MTUS", [78], document="Chronic Pain", topic="Opioids")]},
        reasons=[{"reason": "not_recommended", "start": 0, "end": 1},
                 {"reason": "exceeds_limits", "start": 2, "end": 3}],
        warnings=["mme: approximate"],
    )
    second = _item(
        "Physical therapy 2x6", "overturned",
        original_request={"start": 0, "end": 5, "text": "PT  x 12"},
        treatment=_treatment(service_type="physical_medicine", sessions=12, sessions_range=[6, 12]),
    )
    rows = list(item_rows({**LETTER, "items": [first, second]}))
    assert [r["item_index"] for r in rows] == [0, 1]
    one, two = rows
    assert {k: one[k] for k in (
        "request", "outcome", "drug", "generic", "drug_class", "strength", "strength_unit", "quantity",
        "frequency", "per_day", "mme_per_day", "mme_per_day_low", "mme_per_day_high", "mme_table",
        "service_type", "body_regions", "reviewer_guideline_sources", "reviewer_guideline_pages",
        "reviewer_guideline_documents", "reviewer_guideline_topics", "ca_guideline_sources", "reasons",
        "item_warnings",
    )} == {
        "request": "Norco 10/325 mg #120", "outcome": "upheld", "drug": "Norco 10/325",
        "generic": "hydrocodone/acetaminophen", "drug_class": "opioid", "strength": "10/325", "strength_unit": "mg",
        "quantity": 120, "frequency": "every 6 hours", "per_day": 4.0, "mme_per_day": 40.0,
        "mme_per_day_low": 40.0, "mme_per_day_high": 40.0, "mme_table": "cdc2016",
        "service_type": "pharmaceutical", "body_regions": "lumbar_spine", "reviewer_guideline_sources": "MTUS",
        "reviewer_guideline_pages": "78", "reviewer_guideline_documents": "Chronic Pain",
        "reviewer_guideline_topics": "Opioids", "ca_guideline_sources": None,
        "reasons": "not_recommended;exceeds_limits", "item_warnings": "mme: approximate",
    }
    assert (two["request"], two["outcome"], two["original_request"], two["sessions"], two["sessions_range"]) == (
        "Physical therapy 2x6", "overturned", "PT x 12", 12, "6-12",
    )
    assert (two["drug"], two["strength"], two["reasons"], two["mme_per_day_low"]) == (None, None, None, None)
    # letter columns repeat on every row
    assert one["case_number"] == two["case_number"] == "CM16-0000001"
    assert one["diagnosis_codes"] == two["diagnosis_codes"] == "M54.16"


def test_mme_range_gives_low_and_high():
    item = _item("x", "upheld", treatment=_treatment(mme_per_day=None, mme_per_day_range=[30.0, 60.0]))
    assert tables._item_columns(item)["mme_per_day_low"] == 30.0
    assert tables._item_columns(item)["mme_per_day_high"] == 60.0


def test_every_column_is_described():
    assert list(COLUMN_DESCRIPTIONS) != [] and set(COLUMN_DESCRIPTIONS) == set(COLUMNS)
    assert len(COLUMNS) == len(set(COLUMNS))


def test_write_table_csv_and_unknown_format(tmp_path):
    rows = list(item_rows(LETTER))
    path = tmp_path / "t.csv"
    assert write_table(iter(rows), path, "csv") == 1
    with path.open(encoding="utf8", newline="") as fh:
        [read] = list(csv.DictReader(fh))
    assert list(read) == COLUMNS
    assert (read["id"], read["patient_age"], read["item_index"]) == ("L1", "48", "")
    with pytest.raises(ValueError, match="unknown table format"):
        write_table(iter(rows), tmp_path / "t.xlsx", "xlsx")


def test_write_table_parquet_types(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    item = _item("x", "upheld", treatment=_treatment(quantity=30, mme_per_day=15.5))
    path = tmp_path / "t.parquet"
    assert write_table(item_rows({**LETTER, "items": [item]}), path, "parquet", chunk_rows=1) == 1
    table = pq.read_table(path)
    assert table.column_names == COLUMNS
    types = {f.name: str(f.type) for f in table.schema}
    assert (types["quantity"], types["mme_per_day"], types["patient_age"], types["id"]) == (
        "int64", "double", "int64", "string",
    )
    assert table.to_pylist()[0]["quantity"] == 30
    empty = tmp_path / "empty.parquet"
    assert write_table(iter([]), empty, "parquet") == 0 and pq.read_table(empty).num_rows == 0
