"""One record-status rule for the command line, the Dask runner and the report."""

from __future__ import annotations

from imr_nlp.output import RECORD_STATUSES, record_status
from imr_nlp.report import summarize


def test_record_status_of_letter_error_and_table_rows():
    assert record_status({"id": "a", "warnings": []}) == "ok"
    assert record_status({"id": "a", "warnings": ["does not look like an IMR determination letter"]}) == "warned"
    assert record_status({"id": "a", "error": "unreadable PDF", "warnings": []}) == "failed"
    # a table row read back: the error column is present and empty for letters
    assert record_status({"id": "a", "error": None, "warnings": None}) == "ok"
    assert record_status({"id": "a", "error": "", "warnings": ["x"]}) == "warned"
    assert set(RECORD_STATUSES) == {"ok", "warned", "failed"}


def test_report_counts_letters_and_errors_by_status():
    records = [{"id": "a", "warnings": [], "items": []}, {"id": "b", "error": "unreadable PDF", "warnings": []},
               {"id": "c", "error": None, "warnings": ["w"], "items": []}]
    summary = summarize(records)
    assert (summary["letters"], summary["errors"], summary["letters_with_warnings"]) == (2, 1, 1)
