"""Layouts of every year: fixed sentences across PDF breaks, the two layouts known from their
headings only, letters whose layout is not recognized, and dates written in prose."""

from __future__ import annotations

import re

import pytest
from conftest import HANDWRITTEN, LETTERS_2016, SEEDS, read
from test_templates import flat, parse

from imr_nlp.letter_attributes import letter_attributes

PREAMBLE = "The Final Determination was based on decisions for the disputed items/services set forth below:"

# The preamble sentence broken the ways PDF extraction breaks it; the item header follows it
# on the next line (no blank line that would end the paragraph).
PREAMBLE_BREAKS = {
    "line break before 'set forth'": PREAMBLE.replace("items/services set", "items/services \nset"),
    "line break before 'below'": PREAMBLE.replace("set forth below", "set forth \nbelow"),
    "blank line inside": PREAMBLE.replace("disputed items", "disputed \n \nitems"),
    "empty line inside": PREAMBLE.replace("forth below", "forth \n\nbelow"),
    "page furniture inside": PREAMBLE.replace("services set", "services set \nCM14-0041187 Page 3 of 5\n"),
    "glued words": PREAMBLE.replace("set forth below", "setforth below").replace("based on", "basedon"),
    "'listed below'": PREAMBLE.replace("set forth below", "listed \nbelow"),
    "three lines": PREAMBLE.replace("based on ", "based on \n").replace("services ", "services \n"),
}

REAL = SEEDS + LETTERS_2016[::10]


def _requests(record: dict) -> list[str]:
    return [flat(item["request"]["text"]) for item in record["items"]]


@pytest.mark.parametrize("variant", sorted(PREAMBLE_BREAKS))
@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_broken_preamble_never_joins_the_first_item(nlp, path, variant):
    text = read(path)
    assert PREAMBLE in text
    clean = _requests(parse(nlp, text))
    # No gap between the preamble and the first header: only the sentence itself can end it.
    tight = re.sub(re.escape(PREAMBLE) + r"[ \t]*(?:\n[ \t]*)+", PREAMBLE + " \n", text, count=1)
    assert _requests(parse(nlp, tight)) == clean
    assert _requests(parse(nlp, tight.replace(PREAMBLE, PREAMBLE_BREAKS[variant]))) == clean


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_glued_headings_are_found(nlp, path):
    text = read(path)
    clean = parse(nlp, text)
    glued = text.replace("IMR ISSUES, DECISIONS AND RATIONALES", "IMRISSUES,DECISIONSAND RATIONALES").replace(
        "CLINICAL CASE SUMMARY", "CLINICALCASE SUMMARY"
    )
    assert glued != text
    assert _requests(parse(nlp, glued)) == _requests(clean)
    assert parse(nlp, glued)["warnings"] == clean["warnings"]


# ---- the two layouts known from their headings (test letters written from the headings) ----

PROFESSIONAL_REVIEW = {
    "2013_medical_professional_review.txt": {
        "case_number": "CM13-0056781", "date_of_injury": "2012-02-11", "ur_decision_date": "2013-10-04",
        "patient": {"age": 46, "sex": "female"},
        "reviewer": {"specialties": ["Physical Medicine and Rehabilitation"], "licensure": ["California"]},
        "items": [
            ("Lidoderm 5% patch #30", "upheld", [56, 57], "is not medically necessary and appropriate."),
            ("physical therapy 2 times a week for 4 weeks for the right shoulder", "overturned", [98, 99],
             "is medically necessary and appropriate."),
        ],
    },
    "2013_medical_professional_review_single.txt": {
        "case_number": None, "date_of_injury": "2010-04-02", "ur_decision_date": "2013-11-12",
        "patient": {"age": 58, "sex": "male"},
        "reviewer": {"specialties": ["Orthopaedic Surgery"], "licensure": ["Texas"]},
        "items": [("MRI of the lumbar spine", "upheld", [303, 304], "was not medically necessary.")],
    },
    "2015_documents_reviewed_layout.txt": {
        "case_number": "CM15-0034567", "date_of_injury": "2013-09-22", "ur_decision_date": "2015-01-30",
        "patient": {"age": 61, "sex": "male"},
        "items": [
            ("Norco 10/325mg #120", "upheld", list(range(74, 97)), "The request is not medically necessary."),
            ("Lumbar epidural steroid injection at L4-5", "overturned", [46], "The request is medically necessary."),
        ],
    },
}


def _wrap_headings(text: str) -> str:
    """Long headings wrapped onto a second line, as narrow PDF columns do."""
    return text.replace("RELIED UPON BY PROFESSIONAL REVIEWER", "RELIED UPON BY \nPROFESSIONAL REVIEWER").replace(
        "DECISION(S) AND RATIONALE(S)", "DECISION(S) AND \nRATIONALE(S)"
    )


def _furniture(text: str) -> str:
    """A page break (footer and header lines) before the rationale heading."""
    return re.sub(r"\n(RATIONALE FOR WHY|Decision rationale)", r"\nPage 2 of 3 \n\n\1", text, count=1)


def _noisy_variants(text: str) -> dict[str, str]:
    return {
        "clean": text,
        "crlf": text.replace("\n", "\r\n"),
        "stripped": "\n".join(line.rstrip() for line in text.split("\n")),
        "wrapped headings": _wrap_headings(text),
        "page furniture": _furniture(text),
        "glued": text.replace("not medically", "notmedically").replace("CASE SUMMARY", "CASESUMMARY"),
    }


@pytest.mark.parametrize("noise", ["clean", "crlf", "stripped", "wrapped headings", "page furniture", "glued"])
@pytest.mark.parametrize("name", sorted(PROFESSIONAL_REVIEW))
def test_layouts_known_from_headings(nlp, name, noise):
    expected = PROFESSIONAL_REVIEW[name]
    with open(HANDWRITTEN / name, encoding="utf8", newline="") as fh:
        text = _noisy_variants(fh.read())[noise]
    record = parse(nlp, text, name)
    for key, value in expected.items():
        if key != "items":
            assert record[key] == value, key
    assert not any(w.startswith("layout not recognized") for w in record["warnings"])
    got = record["items"]
    assert len(got) == len(expected["items"])
    for item, (request, outcome, pages, rationale_end) in zip(got, expected["items"]):
        assert flat(item["request"]["text"]) == request
        assert item["outcome"] == outcome
        assert [c["pages"] for c in item["reviewer_guideline"]["citations"]][-1] == pages
        assert flat(item["rationale"]["text"].replace("notmedically", "not medically")).endswith(rationale_end)


def test_professional_review_rationale_is_not_a_numbered_2013_item(nlp):
    record = parse(nlp, read(HANDWRITTEN / "2013_medical_professional_review.txt"))
    assert all("Topical lidocaine" not in item["request"]["text"] for item in record["items"])
    assert record["items"][0]["claims_administrator_guideline"] is None
    assert record["warnings"] == []


# ---- layout not recognized: a clear warning and no invented items ----

OTHER_GENRE = """PRIMARY TREATING PHYSICIAN'S PROGRESS REPORT (PR-2)

Patient: [redacted]        Date of exam: 03/04/2016

Subjective complaints: Low back pain 6/10 radiating to the left leg.
Objective findings: Tenderness over the lumbar paraspinals. Straight leg raise positive on the left.
Diagnosis: Lumbar radiculopathy.
Treatment plan: Request authorization for MRI of the lumbar spine: Upheld by prior reviewer
Claims Administrator guideline: not applicable.
Decision rationale: patient to follow up in 4 weeks.
Norco 10/325mg #60: Overturned
"""


def test_another_genre_gives_the_warning_and_no_items(nlp):
    record = parse(nlp, OTHER_GENRE)
    assert record["items"] == []
    assert any(w.startswith("layout not recognized") for w in record["warnings"])


HEADINGS = re.compile(
    r"^[ \t]*(?:IMR ISSUES, DECISIONS AND RATIONALES|HOW THE IMR FINAL DETERMINATION WAS MADE|"
    r"CLINICAL CASE SUMMARY|DOCUMENTS REVIEWED)[ \t]*$",
    re.M,
)


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_letter_without_headings_gives_the_warning_and_no_items(nlp, path):
    text = read(path)
    headless = HEADINGS.sub("", text)
    assert headless != text
    record = parse(nlp, headless)
    assert record["items"] == []
    assert any(w.startswith("layout not recognized") for w in record["warnings"])


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_a_letter_parsed_partly_says_which_part(nlp, path):
    text = read(path)
    clean = parse(nlp, text)
    assert not any("guideline line found" in w for w in clean["warnings"])
    damaged = re.sub(r"MAXIMUS guideline:", "", text, count=1)
    record = parse(nlp, damaged)
    first = flat(record["items"][0]["request"]["text"])
    assert f"no reviewer guideline line found for item {first!r}" in record["warnings"]
    assert _requests(record) == _requests(clean)


def test_empty_text_gets_no_layout_warning(nlp):
    from imr_nlp.output import NOT_A_LETTER

    # only the record's "not a letter" warning (output.to_dict), no layout warning
    assert parse(nlp, "")["warnings"] == [NOT_A_LETTER]


# ---- dates, age and sex written in prose (letters without a page-1 header) ----

INJURY = [
    ("The patient is a 52 year old male who was injured on 06/15/2004.", "2004-06-15"),
    ("The injured worker is a(n) 65 year old female, who sustained an industrial injury on 7/3/95.", "1995-07-03"),
    ("The underlying date of injury in this case is 08/02/1999.", "1999-08-02"),
    ("She sustained an industrial injury of 02/11/2012 while lifting boxes.", "2012-02-11"),
    ("The applicant has an industrial injury dated March 3, 2011.", "2011-03-03"),
    ("This 44 year old female has a date of injury 11/20/2009.", "2009-11-20"),
    ("The patient has a date of injury of 1/2/03.", "2003-01-02"),
    ("Date of injury: 05/06/2007.", "2007-05-06"),
    ("The claimant, DOI 4/4/2004, reports neck pain.", "2004-04-04"),
    ("He injured his low back on 9/9/2012 while lifting.", "2012-09-09"),
    ("She injured her right shoulder and neck at work on 10/01/2010.", "2010-10-01"),
    ("The worker reported a cumulative trauma injury to the neck and back on 12/12/2011.", "2011-12-12"),
    ("He sustained a work-related injury to his left knee on January 5, 2013.", "2013-01-05"),
    ("The employee was hurt at work on 2-14-2012 when he fell.", "2012-02-14"),
    ("The patient claims an injury occurring on 06/30/2008.", "2008-06-30"),
]

UR = [
    ("Prior utilization review dated 07/15/2014 states the request was modified.", "2014-07-15"),
    ("On 12/11/14 Utilization Review modified a prescription.", "2014-12-11"),
    ("In a Utilization Review Report dated 12/11/2014, the claims administrator denied the request.", "2014-12-11"),
    ("The utilization review determination dated 10/04/2013 non-certified both requests.", "2013-10-04"),
    ("In a utilization review report of November 12, 2013 the request was denied.", "2013-11-12"),
    ("The request was non-certified by utilization review on 3/3/2014.", "2014-03-03"),
    ("The requests were denied in a UR decision dated 01/30/2015.", "2015-01-30"),
    ("The UR non-certification dated 5/5/2013 was appealed.", "2013-05-05"),
    ("On 8/8/2013, the claims administrator's utilization review denied the MRI.", "2013-08-08"),
]

AGE_SEX = [
    ("The patient is a 52 year old male.", 52, "male"),
    ("This 43-year-old woman reports pain.", 43, "female"),
    ("The injured worker is a 38 year old right-hand dominant female.", 38, "female"),
    ("The applicant is a 61-year-old, left handed man.", 61, "male"),
    ("A 29 year-old gentleman was injured.", 29, "male"),
]


@pytest.mark.parametrize(("sentence", "iso"), INJURY)
def test_date_of_injury_from_prose(sentence, iso):
    assert letter_attributes("CLINICAL CASE SUMMARY \n" + sentence + " \n")["date_of_injury"] == iso


@pytest.mark.parametrize(("sentence", "iso"), UR)
def test_ur_date_from_prose(sentence, iso):
    assert letter_attributes("CLINICAL CASE SUMMARY \n" + sentence + " \n")["ur_decision_date"] == iso


@pytest.mark.parametrize(("sentence", "age", "sex"), AGE_SEX)
def test_age_and_sex_from_prose(sentence, age, sex):
    assert letter_attributes("CLINICAL CASE SUMMARY \n" + sentence + " \n")["patient"] == {"age": age, "sex": sex}


def test_ur_date_from_the_opening_notice_when_the_summary_has_none():
    text = (
        "Dear Mr. [redacted]: \nMAXIMUS Federal Services, Inc. has completed the Independent Medical Review of "
        "the utilization review determination dated 09/03/2013. \n\nCase Summary: \nThe applicant is a 50 year "
        "old male with neck pain since an injury on 1/1/2010. \n"
    )
    attributes = letter_attributes(text)
    assert attributes["ur_decision_date"] == "2013-09-03"
    assert attributes["date_of_injury"] == "2010-01-01"


def test_no_date_is_invented_from_other_dates():
    text = "CLINICAL CASE SUMMARY \nThe patient was seen on 04/04/2014 and an MRI on 05/05/2014 showed a tear. \n"
    attributes = letter_attributes(text)
    assert attributes["date_of_injury"] is None
    assert attributes["ur_decision_date"] is None
