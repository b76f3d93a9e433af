"""scripts/analyst_tables.py: shares, uphold rates and days to decision from parsed records."""

from __future__ import annotations

from analyst_tables import days_to_decision, tables


def _item(service: str, outcome: str, drug_class: str | None = None) -> dict:
    drug = {"text": "x", "generic": "x", "drug_class": drug_class} if drug_class else None
    return {"outcome": outcome, "treatment": {"service_type": service, "drug": drug}}


RECORDS = [
    {"id": "a", "date_assigned": "2017-01-02", "decision_date": "2017-01-12",
     "items": [_item("imaging", "upheld"), _item("pharmaceutical", "overturned", "opioid")]},
    {"id": "b", "date_assigned": "2017-01-01", "decision_date": "2017-01-31",
     "items": [_item("imaging", "overturned"), _item("pharmaceutical", "upheld", "opioid")]},
    {"id": "c", "decision_date": "2017-02-01", "items": [_item("pharmaceutical", "upheld")]},
    {"id": "d", "path": "d.pdf", "error": "unreadable", "warnings": []},
]  # fmt: skip


def test_shares_uphold_rates_and_medians() -> None:
    report = tables(RECORDS)
    assert report.startswith("3 letters, 5 disputed items, 60.0% upheld (1 unreadable inputs skipped)")
    assert "Median days from assignment to decision: 20 (2 of 3 letters have both dates)." in report
    assert "| imaging | 2 | 40.0% | 50.0% | 20 |" in report
    assert "| pharmaceutical | 3 | 60.0% | 66.7% | 20 |" in report
    assert "| opioid | 2 | 66.7% | 50.0% | 20 |" in report
    assert "| (class unknown) | 1 | 33.3% | 100.0% | n/a |" in report


def test_missing_assignment_dates_are_reported_not_guessed() -> None:
    records = [{"id": "x", "decision_date": "2017-01-12", "items": [_item("dme", "upheld")]}]
    report = tables(records)
    assert "n/a (no record has both date_assigned and decision_date)" in report
    assert "| dme | 1 | 100.0% | 100.0% | n/a |" in report
    assert days_to_decision({"date_assigned": "2017-02-01", "decision_date": "2017-01-01"}) is None
