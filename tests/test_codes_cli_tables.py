"""`imr-nlp parse --mme-table`, the imr_items ``mme_table`` setting and the new table columns."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

import imr_nlp
from imr_nlp.output import to_dict
from imr_nlp.tables import COLUMNS, item_rows

LETTER = """Case Number: CM16-0000001
Date Assigned: 11/09/2016 Date of Injury:  10/13/2016
Decision Date: 12/09/2016 UR Denial Date:  11/03/2016
Priority:  Standard Application
Received:
11/03/2016

CLINICAL CASE SUMMARY
The injured worker is a 48 year old male. Diagnoses include lumbar radiculopathy.

IMR ISSUES, DECISIONS AND RATIONALES
The Final Determination was based on decisions for the disputed items/services set forth below:

Tramadol 50mg 1 tab 2x a day #60: Upheld

Claims Administrator guideline: Decision based on MTUS Chronic Pain Treatment Guidelines
Opioids Page(s): 78.

MAXIMUS guideline: Decision based on MTUS Chronic Pain Treatment Guidelines Opioids Page(s): 78.

Decision rationale: The request is not medically necessary.
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "imr_nlp.cli", "parse", "--no-progress", *args]
    return subprocess.run(cmd, capture_output=True, text=True, encoding="utf8", timeout=180)


@pytest.fixture(scope="module")
def letter(tmp_path_factory):
    path = tmp_path_factory.mktemp("letters") / "CM16-0000001.txt"
    path.write_text(LETTER, encoding="utf8")
    return path


def test_mme_table_option_changes_the_factors(letter, tmp_path):
    out = tmp_path / "rows.csv"
    proc = _run(str(letter), "--mme-table", "cdc2022", "--format", "csv", "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    with out.open(encoding="utf8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert float(row["mme_per_day"]) == 20.0  # 50 mg x 2 x 0.2
    assert row["mme_table"] == "cdc2022"
    assert row["item_warnings"] == ""
    assert (row["date_assigned"], row["application_received"], row["priority"]) == ("2016-11-09", "2016-11-03", "Standard")
    assert row["diagnosis_codes"] == "M54.16"
    assert row["ca_guideline_documents"] == "Chronic Pain Medical Treatment Guidelines"


def test_unknown_mme_table_is_refused(letter):
    proc = _run(str(letter), "--mme-table", "cdc1999")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_component_setting_and_default_warning(nlp):
    record = to_dict(nlp(LETTER))
    (item,) = record["items"]
    assert item["treatment"]["mme_per_day"] is None
    assert item["warnings"] == ["mme: tramadol has no conversion factor in the cdc2016 table"]
    (row,) = list(item_rows(record))
    assert list(row) == COLUMNS
    assert row["item_warnings"] == item["warnings"][0]
    custom = imr_nlp.load()
    custom.get_pipe("imr_items").mme_table = "cdc2022"
    assert to_dict(custom(LETTER))["items"][0]["treatment"]["mme_per_day"] == 20.0


def test_config_rejects_an_unknown_table():
    import spacy

    nlp = spacy.blank("en")
    with pytest.raises(ValueError, match="unknown MME table"):
        nlp.add_pipe("imr_items", config={"mme_table": "nope"})
