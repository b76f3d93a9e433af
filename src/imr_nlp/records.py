"""The record types of the JSON output contract, as ``TypedDict`` s.

``data/imr_letter.schema.json`` is the contract; these types spell it out for the code
that builds and reads records (:mod:`imr_nlp.output`, :mod:`imr_nlp.batch`,
:mod:`imr_nlp.tables`). ``tests/test_records.py`` checks them against the schema both ways
(every schema property is a key, every key a schema property, required keys are the
schema's ``required``), recursively. A key the schema marks optional is declared in a
``total=False`` subclass (Python 3.10 has no ``NotRequired``).

At run time a record is a plain ``dict``: nothing here changes the output.
"""

from __future__ import annotations

from typing import TypedDict

__all__ = [
    "Span",
    "ICD10CM",
    "PatientDiagnosis",
    "Citation",
    "Entity",
    "Guideline",
    "Drug",
    "Strength",
    "Frequency",
    "Ingredient",
    "Treatment",
    "Reason",
    "Item",
    "Patient",
    "Reviewer",
    "LetterRecord",
    "ErrorRecord",
    "Record",
]


class Span(TypedDict):
    """A piece of the letter: ``text == letter[start:end]``."""

    start: int
    end: int
    text: str


class ICD10CM(TypedDict):
    """An ICD-10-CM code and its official description."""

    code: str
    description: str


class PatientDiagnosis(TypedDict):
    """One of the patient's diagnoses (``diagnoses[]``)."""

    text: str
    start: int
    end: int
    icd10cm: ICD10CM | None


class Citation(TypedDict):
    """One guideline citation (``CITATION`` entities, items' guideline lines)."""

    source: str
    document: str | None
    chapter: str | None
    topic: str | None
    year: int | None
    pages: list[int]
    start: int
    end: int
    text: str


class _EntityBase(TypedDict):
    label: str
    start: int
    end: int
    text: str


class Entity(_EntityBase, total=False):
    """An entity; the optional keys are the normalized values of its label."""

    generic: str | None
    drug_class: str | None
    iso: str | None
    values: list[float]
    unit: str | None
    value: int | None
    per_day: float | None
    per_week: float | None
    citation: Citation | None
    icd10cm: ICD10CM | None


class Guideline(TypedDict):
    """A guideline line of an item (claims administrator's or reviewer's) with its citations."""

    start: int
    end: int
    text: str
    citations: list[Citation]


class _DrugBase(TypedDict):
    text: str
    generic: str | None
    drug_class: str | None


class Drug(_DrugBase, total=False):
    """The drug of a pharmaceutical item."""

    start: int
    end: int


class _StrengthBase(TypedDict):
    text: str
    values: list[float]
    unit: str | None


class Strength(_StrengthBase, total=False):
    """A strength: numbers and unit (``range`` when written as a range)."""

    range: bool


class _FrequencyBase(TypedDict):
    text: str
    per_day: float | None


class Frequency(_FrequencyBase, total=False):
    """How often: administrations per day (or week), ranges, as needed."""

    per_week: float | None
    per_day_range: list[float] | None
    per_week_range: list[float] | None
    as_needed: bool


class Ingredient(TypedDict):
    """One ingredient of a compound."""

    generic: str | None
    strength: Strength | None
    text: str
    start: int
    end: int


class _TreatmentBase(TypedDict):
    drug: Drug | None
    strength: Strength | None
    quantity: int | None
    refills: int | None
    frequency: Frequency | None
    mme_per_day: float | None
    mme_per_day_range: list[float] | None
    mme_table: str | None
    ingredients: list[Ingredient]
    service_type: str
    sessions: int | None
    sessions_range: list[int] | None
    duration_days: int | None
    body_regions: list[str]


class Treatment(_TreatmentBase, total=False):
    """What an item requests, normalized."""

    days_supply: int | None


class Reason(TypedDict):
    """A reason the rationale of an item states, with the sentence that states it."""

    reason: str
    start: int
    end: int


class Item(TypedDict):
    """One disputed item and its outcome."""

    request: Span
    outcome: str
    original_request: Span | None
    ur_authorized: Span | None
    treatment: Treatment | None
    claims_administrator_guideline: Guideline | None
    reviewer_guideline: Guideline | None
    rationale: Span | None
    warnings: list[str]
    reasons: list[Reason]


class Patient(TypedDict):
    age: int | None
    sex: str | None


class Reviewer(TypedDict):
    specialties: list[str]
    licensure: list[str]


class _LetterRecordBase(TypedDict):
    id: str
    case_number: str | None
    decision_date: str | None
    date_assigned: str | None
    application_received: str | None
    priority: str | None
    patient: Patient
    date_of_injury: str | None
    ur_decision_date: str | None
    reviewer: Reviewer
    entities: list[Entity]
    diagnoses: list[PatientDiagnosis]
    items: list[Item]
    warnings: list[str]


class LetterRecord(_LetterRecordBase, total=False):
    """The record of one letter (``output.to_dict``); ``path`` is set by batch runs."""

    path: str | None


class ErrorRecord(TypedDict):
    """Batch runs only: the record of an input that could not be read or parsed.

    Not a letter record (the schema describes letter records); ``tests/test_records.py``
    checks that its keys other than ``error`` are letter-record keys."""

    id: str
    path: str
    error: str | None
    warnings: list[str]


#: What a batch run yields per input.
Record = LetterRecord | ErrorRecord
