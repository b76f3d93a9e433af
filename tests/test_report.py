"""``imr-nlp report``: its JSON numbers equal those counted directly from the records.

Records are the pipeline's real output on the seed and 2016-17 sample letters. A second set
adds the fields other branches are adding (``treatment.service_type``, ``date_assigned``,
item ``reasons``), a failed input and warnings, so the report is checked before and after
those fields exist.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import statistics
from collections import Counter

import pytest
import srsly
from conftest import LETTERS_2016, SEEDS
from typer.testing import CliRunner

from imr_nlp.cli import app, parse_records
from imr_nlp.report import read_records, report_html, summarize
from imr_nlp.tables import item_rows, write_table

SERVICE_TYPES = ["surgery", "imaging", "physical_medicine", "dme", "diagnostic_test"]
REASONS = ["not_recommended", "no_functional_improvement", "exceeds_limits", "criteria_met"]


@pytest.fixture(scope="module")
def records(nlp):
    return list(parse_records([*SEEDS, *LETTERS_2016], nlp=nlp))


@pytest.fixture(scope="module")
def merged(records):
    """The records as they will look once the other branches are merged (fields made up, deterministically)."""
    out = copy.deepcopy(records)
    k = 0
    for i, record in enumerate(out):
        decided = record["decision_date"]
        record["date_assigned"] = (
            (dt.date.fromisoformat(decided) - dt.timedelta(days=3 + 7 * (i % 9))).isoformat()
            if decided and len(decided) == 10 and i % 6
            else None
        )
        for item in record["items"]:
            treatment = item["treatment"]
            treatment["service_type"] = (
                "pharmaceutical" if treatment.get("drug") else SERVICE_TYPES[k % len(SERVICE_TYPES)]
            )
            item["reasons"] = [
                {
                    "reason": REASONS[(k + j) % len(REASONS)],
                    "start": item["rationale"]["start"],
                    "end": item["rationale"]["end"],
                }
                for j in range(k % 3)
            ]
            if k % 4 == 0:
                treatment["mme_per_day"] = float(15 * (k % 13))
            k += 1
    out[0]["warnings"] = ["no decision rationale found for item 'X'", "decoded as cp1252"]
    out[1]["warnings"] = ["no decision rationale found for item 'Y'"]
    out.append(
        {
            "id": "broken",
            "path": "broken.pdf",
            "error": "PDF has no extractable text (scanned?)",
            "warnings": [],
        }
    )
    return out


def assert_offline(html: str) -> None:
    """No scripts and nothing fetched from elsewhere (namespace URIs of inline SVG are not fetched)."""
    assert "<script" not in html and "@import" not in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//""", html)


def _rate(upheld: int, overturned: int):
    return overturned / (upheld + overturned) if upheld + overturned else None


def _by(items, key_of):
    """{key: (upheld, overturned)} counting each item once per key it has."""
    counts: dict[str, list[int]] = {}
    for item, keys in ((item, key_of(item)) for item in items):
        for key in keys:
            pair = counts.setdefault(key, [0, 0])
            pair[item["outcome"] == "overturned"] += 1
    return {key: tuple(pair) for key, pair in counts.items()}


def _rows(section):
    return {row["key"]: (row["upheld"], row["overturned"]) for row in section["rows"]}


def _check(summary, records) -> None:
    """Every number of the summary against a direct count over the records."""
    letters = [r for r in records if "error" not in r]
    items = [item for r in letters for item in r["items"]]
    upheld = sum(item["outcome"] == "upheld" for item in items)
    overturned = sum(item["outcome"] == "overturned" for item in items)
    assert summary["letters"] == len(letters)
    assert summary["errors"] == len(records) - len(letters)
    assert summary["items"] == len(items) == upheld + overturned
    assert summary["outcomes"] == {
        "upheld": upheld,
        "overturned": overturned,
        "overturn_rate": pytest.approx(_rate(upheld, overturned)),
    }
    assert summary["letters_with_warnings"] == sum(bool(r["warnings"]) for r in letters)
    assert summary["warnings"] == sum(len(r["warnings"]) for r in letters)

    for row in summary["by_drug_class"]["rows"] + summary["by_guideline_source"]["rows"]:
        assert row["items"] == row["upheld"] + row["overturned"]
        assert row["overturn_rate"] == pytest.approx(_rate(row["upheld"], row["overturned"]))
    drugs = [item for item in items if item["treatment"]["drug"]]
    assert summary["by_drug_class"]["items_naming_a_drug"] == len(drugs)
    assert _rows(summary["by_drug_class"]) == _by(
        drugs, lambda i: [i["treatment"]["drug"]["drug_class"] or "(unknown class)"]
    )
    top = _by(
        drugs,
        lambda i: [
            i["treatment"]["drug"]["generic"] or " ".join(i["treatment"]["drug"]["text"].lower().split())
        ],
    )
    assert _rows(summary["top_drugs"]) == dict(sorted(top.items(), key=lambda kv: (-sum(kv[1]), kv[0]))[:15])

    def cited(field):
        return lambda i: set(
            c[field] or "(none)" for c in ((i["reviewer_guideline"] or {}).get("citations") or [])
        )

    assert _rows(summary["by_guideline_source"]) == _by(items, cited("source"))
    assert _rows(summary["by_guideline_document"]) == _by(items, cited("document"))

    mme = sorted(i["treatment"]["mme_per_day"] for i in items if i["treatment"]["mme_per_day"] is not None)
    m = summary["mme_per_day"]
    assert (m["n"], m["items_with_mme"]) == (len(mme), len(mme))
    if mme:
        assert (m["min"], m["max"]) == (mme[0], mme[-1])
        assert m["median"] == pytest.approx(statistics.median(mme))
        assert m["mean"] == pytest.approx(sum(mme) / len(mme))
    assert sum(b["count"] for b in m["bins"]) == len(mme)
    assert [b["count"] for b in m["bins"]] == [
        sum(lo <= v < hi for v in mme)
        for lo, hi in [(0, 20), (20, 50), (50, 90), (90, 120), (120, 200), (200, 1e9)]
    ]
    assert m["opioid_items"] == sum(
        (i["treatment"]["drug"] or {}).get("drug_class") == "opioid" for i in items
    )

    partial = [i for i in items if i["original_request"]]
    p = summary["partial_certifications"]
    assert (p["items"], p["upheld"], p["overturned"]) == (
        len(partial),
        sum(i["outcome"] == "upheld" for i in partial),
        sum(i["outcome"] == "overturned" for i in partial),
    )
    assert len(p["rows"]) == len(partial)

    specialties = Counter(s for r in letters for s in set(r["reviewer"]["specialties"]))
    assert {row["key"]: row["letters"] for row in summary["reviewer_specialties"]["rows"]} == dict(
        specialties
    )
    by_specialty = _by(
        [dict(item, _s=r["reviewer"]["specialties"]) for r in letters for item in r["items"]],
        lambda i: set(i["_s"]),
    )
    assert {
        row["key"]: (row["upheld"], row["overturned"])
        for row in summary["reviewer_specialties"]["rows"]
        if row["items"]
    } == by_specialty


def test_summary_equals_direct_counts_on_sample_records(records):
    summary = summarize(records)
    _check(summary, records)
    assert summary["letters"] == len(SEEDS) + len(LETTERS_2016) and summary["items"] > 100
    assert summary["partial_certifications"]["items"] > 0
    # A section whose field the records do not carry says so instead of showing zeros.
    items = [item for r in records for item in r.get("items", [])]
    present = {
        "by_service_type": any(item["treatment"].get("service_type") for item in items),
        "days_assignment_to_decision": any(r.get("date_assigned") for r in records),
        "reasons": any("reasons" in item for item in items),
    }
    for key, there in present.items():
        assert summary[key]["available"] is there, key
    html = report_html(summary)
    assert html.count("not available") == sum(not there for there in present.values())
    assert_offline(html)


def test_cli_report_json_equals_direct_counts_after_the_merge(merged, tmp_path):
    source = tmp_path / "letters.jsonl"
    srsly.write_jsonl(source, merged)
    page, numbers = tmp_path / "report.html", tmp_path / "summary.json"
    done = CliRunner().invoke(app, ["report", str(source), "--output", str(page), "--json", str(numbers)])
    assert done.exit_code == 0, done.output
    summary = json.loads(numbers.read_text(encoding="utf8"))
    _check(summary, merged)
    letters = [r for r in merged if "error" not in r]
    items = [item for r in letters for item in r["items"]]
    assert summary["errors"] == 1 and summary["error_reasons"] == [
        {"key": "PDF has no extractable text (scanned?)", "count": 1}
    ]
    # Alike warnings count together (the quoted item differs).
    assert summary["top_warnings"][0] == {"key": "no decision rationale found for item '…'", "count": 2}

    assert summary["by_service_type"]["available"] is True
    assert _rows(summary["by_service_type"]) == _by(items, lambda i: [i["treatment"]["service_type"]])
    assert summary["reasons"]["available"] is True
    assert _rows(summary["reasons"]) == _by(items, lambda i: {r["reason"] for r in i["reasons"]})

    days = [
        (dt.date.fromisoformat(r["decision_date"]) - dt.date.fromisoformat(r["date_assigned"])).days
        for r in letters
        if r["date_assigned"]
    ]
    d = summary["days_assignment_to_decision"]
    assert d["available"] is True and d["n"] == len(days) > 30
    assert (d["min"], d["max"], d["median"]) == (min(days), max(days), statistics.median(days))
    assert [b["count"] for b in d["bins"]] == [
        sum(lo <= v < hi for v in days)
        for lo, hi in [(0, 8), (8, 15), (15, 22), (22, 31), (31, 61), (61, 10**6)]
    ]
    assert summary["mme_per_day"]["n"] > 10

    html = page.read_text(encoding="utf8")
    assert_offline(html)
    assert "not available" not in html
    for row in summary["by_service_type"]["rows"]:
        assert f"<td>{row['key']}</td>" in html
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return
    assert html.count("<svg") >= 8


def test_parquet_item_table_gives_the_same_outcome_numbers(records, tmp_path):
    table = tmp_path / "items.parquet"
    write_table((row for record in records for row in item_rows(record)), table, "parquet")
    from_table = summarize(read_records(table))
    from_jsonl = summarize(records)
    for key in ("letters", "items", "outcomes", "by_drug_class", "top_drugs", "by_guideline_source"):
        assert from_table[key] == from_jsonl[key], key
    assert from_table["mme_per_day"] == {**from_jsonl["mme_per_day"], "items_with_range_only": None}
    assert from_table["partial_certifications"]["items"] == from_jsonl["partial_certifications"]["items"]
    # What the table does not hold is reported as not available.
    assert from_table["reviewer_specialties"]["available"] is False
    assert from_table["by_guideline_document"]["available"] is False


def test_report_escapes_text_from_the_letters(records):
    hostile = copy.deepcopy(records[:3])
    hostile[0]["reviewer"]["specialties"] = ["<img src=x onerror=alert(1)>"]
    hostile[0]["items"][0]["original_request"] = {"start": 0, "end": 1, "text": "<script>alert(1)</script>"}
    html = report_html(summarize(hostile))
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_parse_dask_folders_and_empty_input(records, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    srsly.write_jsonl(folder / "part-00000.jsonl", records[:10])
    srsly.write_jsonl(folder / "part-00001.jsonl", records[10:])
    assert read_records(folder) == records
    empty = summarize([])
    assert (empty["letters"], empty["items"], empty["outcomes"]["overturn_rate"]) == (0, 0, None)
    assert "No items." in report_html(empty)
