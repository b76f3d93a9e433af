"""All 120 real letters read from their PDFs (70 of 2016-2017, 50 of batch 2) give the same items, outcomes and case header
as their text files (offsets refer to the text the project extracted)."""

from __future__ import annotations

import pytest
from conftest import PDFS_2016, PDFS_BATCH2

from imr_nlp.inputs import read_letter
from imr_nlp.output import to_dict


def summary(record: dict) -> tuple:
    return (
        record["case_number"],
        record["decision_date"],
        record["date_of_injury"],
        record["ur_decision_date"],
        [(" ".join(it["request"]["text"].split()), it["outcome"]) for it in record["items"]],
    )


@pytest.mark.parametrize("pdf", PDFS_2016 + PDFS_BATCH2, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_pdf_gives_the_same_items_as_the_text(nlp, pdf):
    from_pdf = read_letter(pdf)
    assert from_pdf.error is None, from_pdf.error
    text = (pdf.parent.parent / "txt" / f"{pdf.stem}.txt").read_text(encoding="utf8")
    pdf_record = to_dict(nlp(from_pdf.text), id=pdf.stem)
    assert summary(pdf_record) == summary(to_dict(nlp(text), id=pdf.stem))
    assert pdf_record["warnings"] == []
    for item in pdf_record["items"]:
        span = item["request"]
        assert from_pdf.text[span["start"]:span["end"]] == span["text"]


def test_all_120_pdfs_are_there():
    assert (len(PDFS_2016), len(PDFS_BATCH2)) == (70, 50)
