"""Tables of strength, quantity, refill, frequency and days'-supply spellings in IMR headers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imr_nlp.normalize.amounts import (
    find_amounts,
    parse_days_supply,
    parse_frequency,
    parse_number,
    parse_quantity,
    parse_refills,
    parse_strength,
)

# --------------------------------------------------------------------------- strength

STRENGTH_CASES = [
    # (text, values, unit, range)
    ("10/325 mg", [10, 325], "mg", False),
    ("10/325mg", [10, 325], "mg", False),
    ("10 / 325 mg", [10, 325], "mg", False),
    ("10/325\nmg", [10, 325], "mg", False),
    ("10 mg/325 mg", [10, 325], "mg", False),
    ("7.5/325", [7.5, 325], None, False),
    ("5/325MG", [5, 325], "mg", False),
    ("350mg", [350], "mg", False),
    ("350 MG", [350], "mg", False),
    ("350mgs", [350], "mg", False),
    ("350 milligrams", [350], "mg", False),
    ("10", [10], None, False),
    ("37.5mg", [37.5], "mg", False),
    ("0.5 mg", [0.5], "mg", False),
    (".5 mg", [0.5], "mg", False),
    ("1,000 mg", [1000], "mg", False),
    ("120 mg", [120], "mg", False),
    ("120 mg.", [120], "mg", False),
    ("5%", [5], "%", False),
    ("3 %", [3], "%", False),
    ("0.025%", [0.025], "%", False),
    ("10%/5%", [10, 5], "%", False),
    ("10mcg/hr", [10], "mcg/hr", False),
    ("10 mcg/h", [10], "mcg/hr", False),
    ("25 mcg / hr", [25], "mcg/hr", False),
    ("50 µg", [50], "mcg", False),
    ("50 ug", [50], "mcg", False),
    ("300mg/g", [300], "mg/g", False),
    ("5 mg/ml", [5], "mg/ml", False),
    ("5 mg/mL", [5], "mg/ml", False),
    ("120 mg/day", [120], "mg/day", False),
    ("50mg/5ml", [50], "mg/5ml", False),
    ("120grams", [120], "g", False),
    ("180gm", [180], "g", False),
    ("240g", [240], "g", False),
    ("10 ml", [10], "ml", False),
    ("5 cc", [5], "ml", False),
    ("100 units", [100], "units", False),
    ("400 IU", [400], "iu", False),
    ("20 mEq", [20], "meq", False),
    ("240-300 mg", [240, 300], "mg", True),
    ("240 - 300mg", [240, 300], "mg", True),
    ("240 to 300 mg", [240, 300], "mg", True),
    ("240-300", [240, 300], None, True),
]


@pytest.mark.parametrize(("text", "values", "unit", "is_range"), STRENGTH_CASES)
def test_parse_strength(text: str, values: list[float], unit: str | None, is_range: bool) -> None:
    parsed = parse_strength(text)
    assert parsed is not None
    assert parsed["values"] == values
    assert parsed["unit"] == unit
    assert parsed["range"] is is_range
    assert parsed["text"] == text.strip()


@pytest.mark.parametrize(
    "text",
    ["", "Norco", "#60", "mg", "2x a day", "10 mg Norco", "x1 refill", "10 tablets", "6 gabapentin"],
)
def test_parse_strength_rejects(text: str) -> None:
    assert parse_strength(text) is None


# --------------------------------------------------------------------------- quantity

QUANTITY_CASES = [
    ("#60", 60),
    ("# 30", 30),
    ("#\n30", 30),
    ("#1", 1),
    ("#1,000", 1000),
    ("#60.", 60),
    ("quantity 60", 60),
    ("quantity: 60", 60),
    ("quantity of 60", 60),
    ("Quantity #90", 90),
    ("Qty: 2", 2),
    ("QTY 120", 120),
    ("qty. 30", 30),
    ("QTY: 3.", 3),
    ("(60)", 60),
    ("( 6 )", 6),
    ("60 tablets", 60),
    ("90 tabs", 90),
    ("30 capsules", 30),
    ("30 patches", 30),
    ("12 sessions", 12),
    ("(12 sessions)", 12),
    ("6 visits", 6),
    ("twelve sessions", 12),
    ("six sessions", 6),
    ("three (3) sessions", 3),
    ("8 \nchiropractic visits", 8),
    ("two additional follow up office visits", 2),
    ("times 12", 12),
    ("x 12", 12),
    ("x12", 12),
    ("x 6 sessions", 6),
    ("180gm", 180),
    ("120 grams", 120),
    ("240g", 240),
    ("4 oz", 4),
    ("#60 day supply: 30", 60),
    ("#90 with 5 refills", 90),
]


@pytest.mark.parametrize(("text", "expected"), QUANTITY_CASES)
def test_parse_quantity(text: str, expected: int) -> None:
    assert parse_quantity(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "x1 refill",
        "with 5 refills",
        "2x a day",
        "4 x a day",
        "times 2 weeks",
        "x 2 weeks",
        "1-2 tablets every 6 hours",
        "take 1 tab orally every 4-6 hours",
        "day supply: 30",
        "unknown quantity",
        "10 mg",
    ],
)
def test_parse_quantity_rejects(text: str) -> None:
    assert parse_quantity(text) is None


# --------------------------------------------------------------------------- refills

REFILL_CASES = [
    ("x1 refill", 1),
    ("x 1 refill", 1),
    ("X2 refills", 2),
    ("times 2 refills", 2),
    ("with 5 refills", 5),
    ("1 refill", 1),
    ("one refill", 1),
    ("three refills", 3),
    ("Three refills of Voltaren", 3),
    ("three (3) refills", 3),
    ("3 additional refills", 3),
    ("2 refill(s)", 2),
    ("2\nrefills", 2),
    ("no refills", 0),
    ("No Refills", 0),
    ("zero refills", 0),
    ("without refills", 0),
    ("refills: 2", 2),
    ("Refills: 2", 2),
    ("refills x2", 2),
    ("refill x 1", 1),
    ("refills: none", 0),
    ("RF x2", 2),
    ("#60 with 3 refills.", 3),
]


@pytest.mark.parametrize(("text", "expected"), REFILL_CASES)
def test_parse_refills(text: str, expected: int) -> None:
    assert parse_refills(text) == expected


@pytest.mark.parametrize("text", ["", "#60", "refill", "request to refill Robaxin", "x1", "2x a day"])
def test_parse_refills_rejects(text: str) -> None:
    assert parse_refills(text) is None


# --------------------------------------------------------------------------- days' supply

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("day supply: 30", 30),
        ("#60 day supply: 30", 30),
        ("days supply: 15", 15),
        ("days' supply 5", 5),
        ("30 day supply", 30),
        ("30-day supply", 30),
        ("30 days' supply", 30),
        ("day supply of 30", 30),
        ("#60", None),
        ("30 days", None),
    ],
)
def test_parse_days_supply(text: str, expected: int | None) -> None:
    assert parse_days_supply(text) == expected


# --------------------------------------------------------------------------- frequency

FREQUENCY_CASES = [
    # (text, matched part, per_day, per_week)
    ("2x a day", "2x a day", 2, None),
    ("2 x a day", "2 x a day", 2, None),
    ("2X A DAY", "2X A DAY", 2, None),
    ("one 2 x a day", "2 x a day", 2, None),
    ("1-2 4x a day", "4x a day", 4, None),
    ("(1-2 4x a day)", "4x a day", 4, None),
    ("4x/day", "4x/day", 4, None),
    ("2 x/day", "2 x/day", 2, None),
    ("3 x daily", "3 x daily", 3, None),
    ("3 times daily", "3 times daily", 3, None),
    ("three times per day", "three times per day", 3, None),
    ("three times a day", "three times a day", 3, None),
    ("four times per day", "four times per day", 4, None),
    ("one time per day", "one time per day", 1, None),
    ("three times\nper day", "three times\nper day", 3, None),
    ("once daily", "once daily", 1, None),
    ("once a day", "once a day", 1, None),
    ("twice daily", "twice daily", 2, None),
    ("twice a day", "twice a day", 2, None),
    ("daily", "daily", 1, None),
    ("every day", "every day", 1, None),
    ("BID", "BID", 2, None),
    ("bid", "bid", 2, None),
    ("b.i.d.", "b.i.d.", 2, None),
    ("B.I.D", "B.I.D", 2, None),
    ("TID", "TID", 3, None),
    ("t.i.d.", "t.i.d.", 3, None),
    ("QID", "QID", 4, None),
    ("q.i.d.", "q.i.d.", 4, None),
    ("QD", "QD", 1, None),
    ("q.d.", "q.d.", 1, None),
    ("QOD", "QOD", 0.5, None),
    ("every other day", "every other day", 0.5, None),
    ("every 6 hours", "every 6 hours", 4, None),
    ("every 8 hrs", "every 8 hrs", 3, None),
    ("every 12 hours", "every 12 hours", 2, None),
    ("q6h", "q6h", 4, None),
    ("Q12H", "Q12H", 2, None),
    ("q 6 hrs", "q 6 hrs", 4, None),
    ("q.8h", "q.8h", 3, None),
    ("1 tab po q8h", "q8h", 3, None),
    ("at bedtime", "at bedtime", 1, None),
    ("at bed time", "at bed time", 1, None),
    ("qhs", "qhs", 1, None),
    ("QHS", "QHS", 1, None),
    ("HS", "HS", 1, None),
    ("h.s.", "h.s.", 1, None),
    ("nightly", "nightly", 1, None),
    ("at night", "at night", 1, None),
    ("every morning", "every morning", 1, None),
    ("every 6 hours as needed", "every 6 hours as needed", 4, None),
    ("every 6 hours, as needed", "every 6 hours, as needed", 4, None),
    ("BID PRN", "BID PRN", 2, None),
    ("tid prn pain", "tid prn", 3, None),
    ("2 times a week", "2 times a week", None, 2),
    ("two times a week", "two times a week", None, 2),
    ("two times a \nweek for three weeks", "two times a \nweek", None, 2),
    ("three times per week for two weeks", "three times per week", None, 3),
    ("3x/week", "3x/week", None, 3),
    ("3x a week", "3x a week", None, 3),
    ("3 x per wk", "3 x per wk", None, 3),
    ("2x weekly", "2x weekly", None, 2),
    ("once a week", "once a week", None, 1),
    ("twice weekly", "twice weekly", None, 2),
    ("weekly", "weekly", None, 1),
    ("every week", "every week", None, 1),
    ("every 2 weeks", "every 2 weeks", None, 0.5),
    ("every other week", "every other week", None, 0.5),
    ("Physical therapy 2 times a week for 4 weeks (8 sessions)", "2 times a week", None, 2),
]


@pytest.mark.parametrize(("text", "part", "per_day", "per_week"), FREQUENCY_CASES)
def test_parse_frequency(text: str, part: str, per_day: float | None, per_week: float | None) -> None:
    parsed = parse_frequency(text)
    assert parsed is not None
    assert parsed["text"] == part
    assert parsed["per_day"] == per_day
    assert parsed["per_week"] == per_week


@pytest.mark.parametrize(
    ("text", "day_range", "week_range"),
    [
        ("every 4-6 hours", [4, 6], None),
        ("every 4 to 6 hours as needed", [4, 6], None),
        ("q4-6h prn", [4, 6], None),
        ("2-3 times a day", [2, 3], None),
        ("1 to 3 times per week", None, [1, 3]),
    ],
)
def test_frequency_ranges_give_bounds_not_a_value(text, day_range, week_range) -> None:
    parsed = parse_frequency(text)
    assert parsed is not None
    assert parsed["per_day"] is None and parsed["per_week"] is None
    assert parsed["per_day_range"] == day_range
    assert parsed["per_week_range"] == week_range


@pytest.mark.parametrize(
    ("text", "as_needed"),
    [("as needed", True), ("PRN", True), ("p.r.n.", True), ("every 6 hours as needed", True),
     ("every 6 hours", False), ("BID", False)],
)
def test_frequency_as_needed(text: str, as_needed: bool) -> None:
    parsed = parse_frequency(text)
    assert parsed is not None and parsed["as_needed"] is as_needed
    if text.lower() in ("as needed", "prn", "p.r.n."):
        assert parsed["per_day"] is None and parsed["per_week"] is None


@pytest.mark.parametrize(
    ("text", "part", "per_day"),
    [
        ("PRN every 6 hours", "PRN every 6 hours", 4),
        ("as needed, every 8 hours #60", "as needed, every 8 hours", 3),
        ("as needed #60 2x a day", "2x a day", 2),
    ],
)
def test_frequency_prefers_a_rate_over_a_bare_prn(text: str, part: str, per_day: float) -> None:
    parsed = parse_frequency(text)
    assert parsed is not None
    assert (parsed["text"], parsed["per_day"]) == (part, per_day)
    assert parsed["as_needed"] is part.lower().startswith(("prn", "as needed"))


@pytest.mark.parametrize(
    "text",
    ["", "Norco 10", "#60", "120 mg per day", "activities of daily living", "hs", "his bidding",
     "for three weeks", "x 12", "MRI of the lumbar spine", "2 month rental"],
)
def test_parse_frequency_rejects(text: str) -> None:
    assert parse_frequency(text) is None


# --------------------------------------------------------------------------- numbers

@pytest.mark.parametrize(
    ("text", "expected"),
    [("60", 60), ("1,000", 1000), ("37.5", 37.5), ("three", 3), ("Three (3)", 3),
     ("twelve", 12), ("twenty-four", 24), ("sixty", 60), ("lots", None)],
)
def test_parse_number(text: str, expected: float | None) -> None:
    assert parse_number(text) == expected


# --------------------------------------------------------------------------- find_amounts

HEADER_CASES = [
    # (header, strength text, quantity text, refills text, frequency text, days supply)
    ("Norco 10 2x a day #60 x1 refill", "10", "#60", "x1 refill", "2x a day", None),
    ("Oxycodone 10mg, #240 (1-2 4x a day)", "10mg", "#240", None, "4x a day", None),
    ("Soma 350mg, #60 (one 2 x a day)", "350mg", "#60", None, "2 x a day", None),
    ("Thermacare heatwrap # 90 with 5 refills", None, "# 90", "5 refills", None, None),
    ("Oxycodone HCL ER 20mg #60 day supply: 30", "20mg", "#60", None, None, 30),
    ("Flurbiprofen 10%/Dextromethorphan 5%/Lidocaine 5%, 120grams #1", "10%", "#1", None, None, None),
    ("Three refills of Voltaren 75mg #60", "75mg", "#60", "Three refills", None, None),
    ("Voltaren 75mg #60 with three (3) refills", "75mg", "#60", "three (3) refills", None, None),
    ("Physical therapy two times a week for three weeks", None, None, None, "two times a week", None),
    ("Acupuncture therapy sessions lumbar spine #6", None, "#6", None, None, None),
    ("Hydrocodone /APAP 10/325mg # 60", "10/325mg", "# 60", None, None, None),
    ("Hydrocodone /APAP 10/325\nmg  #\n60", "10/325\nmg", "#\n60", None, None, None),
    ("Diclofenac sodium 3% 300mg/g #1", "3%", "#1", None, None, None),
    ("Naproxen 500mg \n#60", "500mg", "#60", None, None, None),
    ("Post-op Percocet 5/325mg", "5/325mg", None, None, None, None),
    ("Norco 10/325", "10/325", None, None, None, None),
    ("MS Contin 30 mg three times per day", "30 mg", None, None, "three times per day", None),
    ("Tramadol ER 150", "150", None, None, None, None),
    ("Butrans 10mcg/hr #4", "10mcg/hr", "#4", None, None, None),
    ("Lidoderm 5% patch #30", "5%", "#30", None, None, None),
    ("Ketoprofen 20% in cream base \n240g", "20%", "240g", None, None, None),
    ("Voltaren gel 1% 100 g", "1%", "100 g", None, None, None),
    (
        "Ultram 50mg take 1 tab orally every 4-6 hours as needed #120",
        "50mg", "#120", None, "every 4-6 hours as needed", None,
    ),
    ("Norco 10/325 1-2 tablets every 6 hours #90", "10/325", "#90", None, "every 6 hours", None),
    ("Ibuprofen 800 mg 90 tablets", "800 mg", "90 tablets", None, None, None),
    ("Diazepam tab 5 mg quantity 10 days' supply 5", "5 mg", "quantity 10", None, None, 5),
    ("Follow up office visit QTY: 3", None, "QTY: 3", None, None, None),
    ("NCV \nbilateral lower extremities QTY: 2", None, "QTY: 2", None, None, None),
    ("Associated surgical service: Physical therapy, times 12", None, "times 12", None, None, None),
    (
        "Chiropractic physiotherapy 2 times a week for 4 weeks (8 sessions)",
        None, "8 sessions", None, "2 times a week", None,
    ),
    ("Physical therapy 2 times a week for 3 weeks (6)", None, "(6)", None, "2 times a week", None),
    ("Acupuncture 12 sessions", None, "12 sessions", None, None, None),
    ("6 sessions of physical therapy", None, "6 sessions", None, None, None),
    ("Occupational therapy for six sessions", None, "six sessions", None, None, None),
    ("Deprizine (unknown quantity)", None, None, None, None, None),
    ("MRI of the lumbar spine", None, None, None, None, None),
    ("Unknown prescription of Soma", None, None, None, None, None),
    ("standard wheelchair for a 2 month rental", None, None, None, None, None),
    ("purchase of a bedside 3 in 1 commode", None, None, None, None, None),
    ("Retrospective CT scan of the cervical spine (Date of Service 11/18/16)", None, None, None, None, None),
    ("Lumbar epidural steroid injection at L4-5", None, None, None, None, None),
    ("Oxycodone 30 mg, maximum 240-300 mg per day", "30 mg", None, None, None, None),
]


@pytest.mark.parametrize(("header", "strength", "quantity", "refills", "frequency", "supply"), HEADER_CASES)
def test_find_amounts_spans(header, strength, quantity, refills, frequency, supply) -> None:
    found = find_amounts(header)

    def text_of(key: str) -> str | None:
        span = found[f"{key}_span"]
        return None if span is None else header[span[0]:span[1]]

    assert text_of("strength") == strength
    assert text_of("quantity") == quantity
    assert text_of("refills") == refills
    assert text_of("frequency") == frequency
    assert found["days_supply"] == supply


@pytest.mark.parametrize(
    ("header", "values", "unit", "quantity", "refills", "per_day", "per_week"),
    [
        ("Norco 10 2x a day #60 x1 refill", [10], None, 60, 1, 2, None),
        ("Oxycodone 10mg, #240 (1-2 4x a day)", [10], "mg", 240, None, 4, None),
        ("Soma 350mg, #60 (one 2 x a day)", [350], "mg", 60, None, 2, None),
        ("Thermacare heatwrap # 90 with 5 refills", None, None, 90, 5, None, None),
        ("Three refills of Voltaren 75mg #60", [75], "mg", 60, 3, None, None),
        ("Hydrocodone /APAP 10/325mg # 60", [10, 325], "mg", 60, None, None, None),
        ("Diclofenac sodium 3% 300mg/g #1", [3], "%", 1, None, None, None),
        ("Physical therapy two times a week for three weeks", None, None, None, None, None, 2),
        ("Oxycodone 10 mg every 4-6 hours as needed #180", [10], "mg", 180, None, None, None),
        ("Percocet 10/325mg #120 with no refills", [10, 325], "mg", 120, 0, None, None),
    ],
)
def test_find_amounts_values(header, values, unit, quantity, refills, per_day, per_week) -> None:
    found = find_amounts(header)
    if values is None:
        assert found["strength"] is None
    else:
        assert found["strength"]["values"] == values
        assert found["strength"]["unit"] == unit
    assert found["quantity"] == quantity
    assert found["refills"] == refills
    freq = found["frequency"]
    assert (freq["per_day"] if freq else None) == per_day
    assert (freq["per_week"] if freq else None) == per_week


def test_find_amounts_keys_always_present() -> None:
    assert find_amounts("") == {
        "strength": None, "strength_span": None, "quantity": None, "quantity_span": None,
        "refills": None, "refills_span": None, "frequency": None, "frequency_span": None,
        "days_supply": None, "days_supply_span": None,
    }


def test_find_amounts_spans_do_not_overlap_on_a_busy_header() -> None:
    header = "Norco 10/325mg  one tab\nevery 6 hours as needed #120 with\n2 refills, 30 day supply"
    found = find_amounts(header)
    spans = sorted(found[k] for k in found if k.endswith("_span") and found[k])
    assert len(spans) == 5
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert end <= start
    assert found["frequency"]["text"] == "every 6 hours as needed"
    assert (found["quantity"], found["refills"], found["days_supply"]) == (120, 2, 30)


_header_chars = st.text(
    alphabet=st.sampled_from(list("0123456789/#%.,-() \nxXmgqdhBIDTabletsrfilyupwk")), max_size=60
)


@given(_header_chars)
def test_find_amounts_never_fails_and_spans_index_the_text(text: str) -> None:
    found = find_amounts(text)
    for key in ("strength", "quantity", "refills", "frequency", "days_supply"):
        span = found[f"{key}_span"]
        if span is None:
            assert found[key] is None
        else:
            assert 0 <= span[0] < span[1] <= len(text)
            assert found[key] is not None
    if found["strength"] is not None:
        s, e = found["strength_span"]
        assert found["strength"]["text"] == text[s:e].strip()
