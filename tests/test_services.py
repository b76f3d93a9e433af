"""Service type, sessions, duration and body regions of disputed items (SPEC §4a).

Table-driven: each row is a request header as real IMR letters write it (abbreviations,
plurals, misspellings, PDF line breaks), and the value the normalizer must give.
"""

from __future__ import annotations

import pytest

from imr_nlp.normalize.services import body_regions, describe_service, duration_days, service_type, sessions
from imr_nlp.normalize.treatment import parse_treatment


def _describe(request: str, citations: list[dict] | None = None) -> dict:
    drug = parse_treatment(request)["drug"]
    span = (drug["start"], drug["end"]) if drug else None
    return describe_service(request, span, citations)


SERVICE_TYPES = [
    # the spec's own examples
    ("Norco 10/325mg #60", "pharmaceutical"),
    ("Flurbiprofen 20% cream", "pharmaceutical"),
    ("Fanatrex oral suspension", "pharmaceutical"),
    ("Two refills of Ibuprofen", "pharmaceutical"),
    ("Post-op Norco", "pharmaceutical"),
    ("Unknown prescription of Soma", "pharmaceutical"),
    ("Pharmacy purchase of Terocin patches #30", "pharmaceutical"),
    ("Deprizine (unknown quantity)", "pharmaceutical"),
    ("L5-S1 epidural steroid injection", "injection"),
    ("Bilateral L4-5 TFESI under fluoroscopic guidance", "injection"),
    ("facet joint injections", "injection"),
    ("Trigger point injections x 4", "injection"),
    ("PRP injection to the right elbow", "injection"),
    ("Radiofrequency ablation at L3-4, L4-5", "injection"),
    ("injection of 5cc lidocaine into the knee", "injection"),
    ("Ultrasound guided cortisone injection, left shoulder", "injection"),
    ("right shoulder arthroscopy", "surgery"),
    ("lumbar fusion", "surgery"),
    ("Right carpal tunnel release", "surgery"),
    ("Assistant surgeon", "surgery"),
    ("2-day inpatient stay", "surgery"),
    ("ACDF C5-6", "surgery"),
    ("Physical therapy 2x4 for the lumbar spine", "physical_medicine"),
    ("Post-op physical therapy", "physical_medicine"),
    ("Associated surgical service: Physical therapy, times 12", "physical_medicine"),
    ("Chiropractic care times 6", "physical_medicine"),
    ("Electro acupuncture", "physical_medicine"),
    ("PT 2x/wk x 4 wks cervical", "physical_medicine"),
    ("OT for the right hand x 6", "physical_medicine"),
    ("Chirophysio therapy 2 sessions", "physical_medicine"),
    ("Pulsed Ultrasound 2 times a week for 4 weeks", "physical_medicine"),
    ("Aquatic therapy 12 sessions", "physical_medicine"),
    ("ESWT to the left heel x 3", "physical_medicine"),
    ("Physical\ntherapy for the lumbar spine", "physical_medicine"),
    ("TENS unit", "dme"),
    ("EMS/TENS unit", "dme"),
    ("H-wave unit 30 day trial", "dme"),
    ("IF unit rental", "dme"),
    ("knee brace", "dme"),
    ("LSO brace", "dme"),
    ("lumbar support", "dme"),
    ("cold compression therapy 30 day rental", "dme"),
    ("Associated surgical service: Cryotherapy unit", "dme"),
    ("Q-tech cold therapy recovery system with wrap", "dme"),
    ("DVT prophylaxis unit, 14 day rental", "dme"),
    ("CPM machine for 21 days", "dme"),
    ("Thermacare heatwrap # 90 with 5 refills", "dme"),
    ("Home cervical traction unit", "dme"),
    ("Knee scooter", "dme"),
    ("Hearing aids", "dme"),
    ("MRI of the lumbar spine", "imaging"),
    ("MR arthrogram of the right shoulder", "imaging"),
    ("Cervical spine x-rays", "imaging"),
    ("CT scan of the thoracic spine", "imaging"),
    ("Three phase bone scan", "imaging"),
    ("Labs to include: Chest X-ray", "imaging"),
    ("Ultrasound of the right shoulder", "imaging"),
    ("EMG/NCV of the upper extremities", "diagnostic_test"),
    ("NCS/EMG RUE", "diagnostic_test"),
    ("Pre-op labs: CBC", "diagnostic_test"),
    ("Pre-operative PT/PTT", "diagnostic_test"),
    ("Urine drug screen", "diagnostic_test"),
    ("UDS", "diagnostic_test"),
    ("Retrospective urine toxicology (DOS 1/5/17)", "diagnostic_test"),
    ("Electroencephalogram", "diagnostic_test"),
    ("Sleep study", "diagnostic_test"),
    ("Orthopedic consultation", "evaluation_management"),
    ("Orthopedic surgery consultation", "evaluation_management"),
    ("Medical Clearance", "evaluation_management"),
    ("Initial exam", "evaluation_management"),
    ("TOC to ortho spine surgeon", "evaluation_management"),
    ("Functional capacity evaluation (FCE)", "evaluation_management"),
    ("Chiropractic evaluation, lumbar spine", "evaluation_management"),
    ("Re-exam with chiropractor for the lumbar spine flare-up", "evaluation_management"),
    ("Follow-up visits x 3", "evaluation_management"),
    ("Comprehensive psychological testing", "psychological"),
    ("6 sessions of CBT", "psychological"),
    ("Biofeedback 6 sessions", "psychological"),
    ("Psych eval", "psychological"),
    ("28 day functional restoration program", "program"),
    ("HELP program 160 hours", "program"),
    ("6 month aftercare program", "program"),
    ("Work hardening 10 sessions", "program"),
    ("Daily RN for 4 weeks for wound care", "home_health"),
    ("Home health aide 4 hours a day", "home_health"),
    ("Gym membership", "other"),
    ("Transportation to appointments", "other"),
    ("one week trial of Acute Rehabilitation Unit", "other"),
]


@pytest.mark.parametrize(("request_text", "expected"), SERVICE_TYPES)
def test_service_type(request_text: str, expected: str) -> None:
    assert _describe(request_text)["service_type"] == expected


TOPIC = [
    # terse requests: the guideline citations of the item decide
    ("Unknown treatments", [{"topic": "Physical medicine treatment", "chapter": None}], "physical_medicine"),
    ("Retro DOS 1/5/17", [{"topic": "Compound drugs", "chapter": "Pain (Chronic)"}], "pharmaceutical"),
    ("Retro DOS 1/5/17", [{"topic": "Special Studies", "chapter": None}], "imaging"),
    ("Retro DOS 1/5/17", [], "other"),
]


@pytest.mark.parametrize(("request_text", "citations", "expected"), TOPIC)
def test_service_type_from_guideline_topics(request_text: str, citations: list[dict], expected: str) -> None:
    assert service_type(request_text, None, citations) == expected


def test_request_terms_beat_topics() -> None:
    topics = [{"topic": "Physical medicine treatment", "chapter": None}]
    assert service_type("MRI of the knee", None, topics) == "imaging"


SESSIONS = [
    ("12 sessions of physical therapy", "physical_medicine", 12, None),
    ("Physical therapy twelve visits", "physical_medicine", 12, None),
    ("Physical therapy 2 times a week for 6 weeks", "physical_medicine", 12, None),
    ("Physical therapy 2x4 for the lumbar spine", "physical_medicine", 8, None),
    ("PT 2x/wk x 4 wks", "physical_medicine", 8, None),
    ("Chiropractic care times 6", "physical_medicine", 6, None),
    ("Acupuncture x 6", "physical_medicine", 6, None),
    ("Acupuncture therapy sessions lumbar spine #6", "physical_medicine", 6, None),
    ("Physical exam 2 times 8", "evaluation_management", 16, None),
    ("two sessions for the lumbar spine and eight for the wrist", "physical_medicine", 10, None),
    ("Daily RN for 4 weeks", "home_health", 28, None),
    ("1 to 2 times per week for 3 weeks", "physical_medicine", None, [3, 6]),
    ("Post-op physical therapy 12-18 sessions", "physical_medicine", None, [12, 18]),
    ("Wound care nurse, 1-2 visits to evaluate right hip incision", "home_health", None, [1, 2]),
    ("Eight (8) physical therapy sessions", "physical_medicine", 8, None),
    ("Additional physical therapy two times four visits (8) for the lumbar", "physical_medicine", 8, None),
    ("Physical therapy to the lumbar spine 2 times a week for 2 weeks (4)", "physical_medicine", 4, None),
    ("Physical therapy additional 3 visits per week for 2 weeks", "physical_medicine", 6, None),
    (
        "Twelve physical therapy sessions, three times weekly, for the right elbow",
        "physical_medicine",
        12,
        None,
    ),
    ("Physical therapy 6 sessions 2 times a week for 3 weeks", "physical_medicine", 6, None),
    ("Additional physical therapy three times a week over two weeks", "physical_medicine", 6, None),
    ("Chiropractic twice a week for 4 weeks", "physical_medicine", 8, None),
    ("Home aide 6 hours per day, 5 times a week for 4 weeks", "home_health", 20, None),
    ("Facet joint injections L4-5, L5-S1", "injection", None, None),
    ("Physical therapy for the lumbar spine", "physical_medicine", None, None),
    ("MRI of the lumbar spine x 2", "imaging", None, None),
    ("NCV bilateral lower extremities QTY: 2", "diagnostic_test", None, None),
    ("Norco 10/325 #60 x 2 refills", "pharmaceutical", None, None),
]


@pytest.mark.parametrize(("request_text", "service", "count", "count_range"), SESSIONS)
def test_sessions(request_text: str, service: str, count: int | None, count_range: list[int] | None) -> None:
    assert sessions(request_text, service) == (count, count_range)


DURATIONS = [
    ("cold compression therapy 30 day rental", "dme", 30),
    ("Daily RN for 4 weeks", "home_health", 28),
    ("Physical therapy 2 times a week for 6 weeks", "physical_medicine", 42),
    ("6 month aftercare program", "program", 180),
    ("standard wheelchair for a 2 month rental", "dme", 60),
    ("Vascutherm unit, 14 days rental", "dme", 14),
    ("Cold therapy for one week", "dme", 7),
    ("H-wave unit 30-day trial", "dme", 30),
    ("Cold therapy unit 7-10 days", "dme", None),
    ("TENS unit", "dme", None),
    ("Retro DOS 1/5/17 MRI", "imaging", None),
    ("Norco 10/325 #60 for 30 days", "pharmaceutical", None),
]


@pytest.mark.parametrize(("request_text", "service", "days"), DURATIONS)
def test_duration_days(request_text: str, service: str, days: int | None) -> None:
    assert duration_days(request_text, service) == days


REGIONS = [
    ("MRI of the lumbar spine", ["lumbar_spine"]),
    ("MRI Lumbosacral Spine without Contrast", ["lumbar_spine"]),
    ("Chiropractic care for the low back; six sessions", ["lumbar_spine"]),
    ("Back brace", ["lumbar_spine"]),
    ("Physical therapy for the upper back", ["thoracic_spine"]),
    (
        "Six physical therapy sessions for the neck, left trapezius and low back",
        ["cervical_spine", "lumbar_spine"],
    ),
    ("Facet joint injections L4-5, L5-S1", ["lumbar_spine"]),
    ("ACDF C5-6", ["cervical_spine"]),
    (
        "Physical therapy for the cervical, thoracic, and lumbar",
        ["cervical_spine", "lumbar_spine", "thoracic_spine"],
    ),
    ("Physical therapy for the right shoulder, right wrist and right hand", ["shoulder", "wrist_hand"]),
    ("MRI of the fingers of the right hand", ["wrist_hand"]),
    ("Right carpal tunnel release", ["wrist_hand"]),
    ("Left elbow lateral epicondylitis injection", ["elbow"]),
    ("Neurosurgeon evaluation for the Low back/Pelvis", ["hip_pelvis", "lumbar_spine"]),
    ("Right SI joint injection", ["hip_pelvis"]),
    ("MRI of the right knee", ["knee"]),
    ("Three phase bone scan to the left foot", ["ankle_foot"]),
    ("EMG/NCS of the bilateral upper extremities", ["upper_extremity"]),
    ("NCS/EMG RUE", ["upper_extremity"]),
    ("EMG bilateral lower extremities", ["lower_extremity"]),
    ("EMG BLE", ["lower_extremity"]),
    ("CT of the head", ["head"]),
    ("Labs to include: Chest X-ray", ["chest_abdomen"]),
    ("Knee scooter", []),
    ("TENS unit", []),
    ("Norco 10/325mg #60", []),
    ("MRI of the\nlumbar  spine", ["lumbar_spine"]),
]


@pytest.mark.parametrize(("request_text", "expected"), REGIONS)
def test_body_regions(request_text: str, expected: list[str]) -> None:
    assert body_regions(request_text) == expected


def test_describe_service_keys_and_drug_span() -> None:
    result = _describe("Post-op   Percocet\n5/325mg #60")
    assert result == {
        "service_type": "pharmaceutical",
        "sessions": None,
        "sessions_range": None,
        "duration_days": None,
        "body_regions": [],
    }
    # a non-drug service named before the drug decides
    assert _describe("Urine drug screen for oxycodone")["service_type"] == "diagnostic_test"


def test_items_carry_the_fields_schema_valid_and_in_table_rows(nlp) -> None:
    """End to end on a real training letter: the five keys are in every item's treatment,
    the record validates against the JSON Schema, and the table rows carry them."""
    import jsonschema
    from conftest import SAMPLES, read

    from imr_nlp.output import schema, to_dict
    from imr_nlp.tables import item_rows

    # A training letter with surgery, DME, therapy, tests and imaging items.
    path = SAMPLES / "2016-2017" / "txt" / "CM17-0014449.txt"
    record = to_dict(nlp(read(path)), id=path.stem)
    jsonschema.Draft202012Validator(schema()).validate(record)
    by_request = {" ".join(i["request"]["text"].split()): i["treatment"] for i in record["items"]}
    vascutherm = by_request["Associated surgical service: Vascutherm unit, 14 days rental"]
    assert (vascutherm["service_type"], vascutherm["duration_days"], vascutherm["sessions"]) == (
        "dme",
        14,
        None,
    )
    therapy = by_request["Post-op physical therapy 12-18 sessions"]
    assert (therapy["service_type"], therapy["sessions"], therapy["sessions_range"]) == (
        "physical_medicine",
        None,
        [12, 18],
    )
    assert by_request["Associated surgical service: Chest x-ray"]["body_regions"] == ["chest_abdomen"]
    rows = list(item_rows(record))
    assert {r["service_type"] for r in rows} >= {
        "surgery",
        "dme",
        "physical_medicine",
        "diagnostic_test",
        "imaging",
    }
    assert any(r["sessions_range"] == "12-18" for r in rows)
    assert any(r["body_regions"] == "shoulder" for r in rows)


PDF_NOISE = [
    # glued words, line breaks, hyphenation over a line break, misspellings
    ("MRIof the lumbar spine", "imaging", ["lumbar_spine"]),
    ("Physical therapyfor thelumbar spine", "physical_medicine", ["lumbar_spine"]),
    ("Physical\n\ntherapy 2x4 for the cervi-\ncal spine", "physical_medicine", ["cervical_spine"]),
    ("Accupuncture 6 sessions for the neck", "physical_medicine", ["cervical_spine"]),
    ("Chiropratic treatment for the low back", "physical_medicine", ["lumbar_spine"]),
    ("Physcial therapy for the right knee", "physical_medicine", ["knee"]),
    ("Right knee arthoscopy", "surgery", ["knee"]),
    ("Lumbar epidural steroid injecton", "injection", ["lumbar_spine"]),
    ("EMG/NCV of the upper and lower extremities", "diagnostic_test", ["lower_extremity", "upper_extremity"]),
    ("LSO brace", "dme", ["lumbar_spine"]),
    ("TLSO", "dme", ["lumbar_spine", "thoracic_spine"]),
    ("Right AFO", "dme", ["ankle_foot"]),
]


@pytest.mark.parametrize(("request_text", "service", "regions"), PDF_NOISE)
def test_pdf_noise_and_misspellings(request_text: str, service: str, regions: list[str]) -> None:
    result = _describe(request_text)
    assert (result["service_type"], result["body_regions"]) == (service, regions)


def test_more_session_phrasings() -> None:
    assert sessions("Home health aide 4 hours per day, 5 days a week for 6 weeks", "home_health") == (
        30,
        None,
    )
    assert sessions("Physical therapy 8 (eight) sessions", "physical_medicine") == (8, None)
    assert sessions("PT 2-3x/week x 4 weeks", "physical_medicine") == (None, [8, 12])
    assert sessions("Lumbar ESI x2", "injection") == (2, None)
    assert sessions("Psychiatric follow-up visits x 6", "psychological") == (6, None)


def test_rates_are_not_durations_and_unknowns_are_not_guessed() -> None:
    assert duration_days("Home health care 4 hours/day, 7 days/week for 3 months", "home_health") == 90
    assert duration_days("Home aide 5 days a week for 4 weeks", "home_health") == 28
    assert service_type("Vitamin D 50,000 IU") == "pharmaceutical"
    assert service_type("Unknown treatments") == "other"
