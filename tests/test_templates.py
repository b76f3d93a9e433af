"""Hand-written letters in the 2013 and 2015 templates, and PDF-noise variants of real letters."""

from __future__ import annotations

import re

import jsonschema
import pytest
from conftest import HANDWRITTEN, LETTERS_2016, SEEDS, read

from imr_nlp.output import schema, to_dict


def flat(text: str | None) -> str | None:
    return " ".join(text.split()) if text is not None else None


def parse(nlp, text: str, id: str = "x") -> dict:
    record = to_dict(nlp(text), id=id)
    jsonschema.validate(record, schema())
    for item in record["items"]:
        for key in ("request", "rationale", "claims_administrator_guideline", "reviewer_guideline"):
            span = item[key]
            if span:
                assert text[span["start"]:span["end"]] == span["text"]
    return record


def letter(name: str) -> str:
    with open(HANDWRITTEN / name, encoding="utf8", newline="") as fh:
        return fh.read()


HANDWRITTEN_EXPECTED = {
    "2013_numbered_items.txt": {
        "case_number": "CM13-0041187", "decision_date": "2013-11-26", "date_of_injury": "2011-03-14",
        "ur_decision_date": "2013-09-17", "patient": {"age": 47, "sex": "female"},
        "reviewer": {"specialties": ["Anesthesiology", "Pain Medicine"], "licensure": ["Arizona"]},
        "items": [
            ("Tramadol ER 150mg #30", "upheld", "Chronic Pain Medical Treatment Guidelines, Tramadol, page 113",
             "is not medically necessary and appropriate."),
            ("Physical therapy 2 times a week for 4 weeks for the lumbar spine", "overturned",
             "Physical Medicine, pages 98-99", "The request is medically necessary and appropriate."),
            ("Lumbar MRI", "upheld", "Chapter 12, page 303", "Imaging is not indicated."),
        ],
        "warnings": [],
    },
    "2013_early_notice.txt": {
        "case_number": "CM13-0001234", "decision_date": "2013-08-19", "date_of_injury": "2010-06-15",
        "ur_decision_date": "2013-07-02", "patient": {"age": 52, "sex": "male"},
        "reviewer": {"specialties": ["Orthopedic Surgery"], "licensure": ["California"]},
        "items": [
            ("Norco 10/325mg #120", "upheld", "Opioids, pages 74-96", "The request is not medically necessary."),
            ("acupuncture x6 sessions for the cervical spine", "overturned", "Acupuncture Medical Treatment",
             "The request is medically necessary."),
        ],
        "warnings": [],
    },
    "2013_early_notice_no_heading.txt": {
        "case_number": "CM13-0001234",
        "items": [
            ("Norco 10/325mg #120", "upheld", "Opioids, pages 74-96", "The request is not medically necessary."),
            ("acupuncture x6 sessions for the cervical spine", "overturned", "Acupuncture Medical Treatment",
             "The request is medically necessary."),
        ],
        "warnings": ["no decisions section found"],
    },
    "2015_noisy_crlf.txt": {
        "case_number": "CM15-0107766", "decision_date": "2015-07-15", "date_of_injury": "2012-02-03",
        "ur_decision_date": "2015-05-21", "patient": {"age": 39, "sex": "female"},
        "reviewer": {"specialties": ["Anesthesiology", "Pain Medicine"], "licensure": ["Oregon", "Washington"]},
        "items": [
            ("Gabapentin 600mg #90 with 2 refills", "overturned", "Page(s): 16-18, 49",
             "The request is medically necessary."),
            ("Cervical epidural steroid injection at C5-6 under fluoroscopic guidance, quantity 1", "upheld",
             "Epidural steroid injections (ESIs) Page(s): 46", "The request is not medically necessary."),
        ],
        "warnings": [],
    },
}


@pytest.mark.parametrize("name", sorted(HANDWRITTEN_EXPECTED))
def test_handwritten_template_letters(nlp, name):
    expected = HANDWRITTEN_EXPECTED[name]
    record = parse(nlp, letter(name), name)
    for key, value in expected.items():
        if key == "items":
            continue
        assert record[key] == value, key
    got = record["items"]
    assert len(got) == len(expected["items"])
    for item, (request, outcome, reviewer_part, rationale_end) in zip(got, expected["items"]):
        assert flat(item["request"]["text"]) == request
        assert item["outcome"] == outcome
        assert reviewer_part in flat(item["reviewer_guideline"]["text"])
        assert item["claims_administrator_guideline"] is not None
        assert flat(item["rationale"]["text"]).endswith(rationale_end)


def test_early_notice_reports_each_item_once_with_its_rationale(nlp):
    record = parse(nlp, letter("2013_early_notice.txt"))
    summary_end = letter("2013_early_notice.txt").index("This decision is final")
    assert all(item["request"]["start"] > summary_end for item in record["items"])


# ---- PDF-noise variants of real letters: the items must not change ----------------------

REAL = SEEDS + LETTERS_2016[::7]


def item_view(record: dict) -> list[tuple]:
    # A page break inside a wrapped header stays inside the (contiguous) request span.
    return [
        (flat(it["request"]["text"].replace("CM14-0041187 Page 3 of 5", "")), it["outcome"], flat((it["rationale"] or {}).get("text", ""))[:60],
         flat((it["reviewer_guideline"] or {}).get("text", ""))[:40])
        for it in record["items"]
    ]


def with_crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def stripped_lines(text: str) -> str:
    """pdftotext-like: trailing spaces removed, so blank lines are empty."""
    return "\n".join(line.rstrip() for line in text.split("\n"))


def furniture_before_each_header(text: str) -> str:
    """A page break (footer + header line) right before every item header."""
    return re.sub(
        r"(\n)([^\n]*:\s*(?:Upheld|Overturned)[ \t]*\n)",
        lambda m: f"{m.group(1)}CM14-0041187 Page 3 of 5 \n\n{m.group(2)}",
        text,
    )


def furniture_inside_rationales(text: str) -> str:
    return text.replace("Decision rationale:", "Decision rationale: \nPage 2 of 4 \n", 1)


def glued_words(text: str) -> str:
    return text.replace("not medically", "notmedically").replace("Decision rationale", "Decisionrationale")


def broken_headers(text: str) -> str:
    """The outcome word pushed to its own line after every item header."""
    return re.sub(r":[ \t]*(Upheld|Overturned)[ \t]*\n", r": \n\1 \n", text)


NOISES = [with_crlf, stripped_lines, furniture_before_each_header, furniture_inside_rationales, glued_words,
          broken_headers]


@pytest.mark.parametrize("noise", NOISES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_pdf_noise_keeps_the_items(nlp, path, noise):
    text = read(path)
    clean = item_view(parse(nlp, text))
    noisy_text = noise(text)
    noisy = item_view(parse(nlp, noisy_text))
    if noise is glued_words:
        clean = [(r, o, rat.replace("not medically", "notmedically"), g) for r, o, rat, g in clean]
    if noise is furniture_inside_rationales:
        noisy, clean = [v[:3] for v in noisy], [v[:3] for v in clean]
        noisy = [(r, o, rat.replace("Page 2 of 4 ", "")) for r, o, rat in noisy]
        clean = [(r, o, rat[:40]) for r, o, rat in clean]
        noisy = [(r, o, rat[:40]) for r, o, rat in noisy]
    assert noisy == clean
