"""The JSON output contract (SPEC §5): one plain dict per letter (types: :mod:`imr_nlp.records`)."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span

from .extensions import LOOKS_LIKE_LETTER_KEY
from .inputs import looks_like_letter
from .records import Entity, LetterRecord, PatientDiagnosis, Record
from .resources import load_json

SCHEMA_FILE = "imr_letter.schema.json"
#: The letter warning of a text that does not look like an IMR determination letter
#: (:func:`imr_nlp.inputs.looks_like_letter`); first in ``warnings``.
NOT_A_LETTER = "does not look like an IMR determination letter"


def schema() -> dict[str, Any]:
    """The JSON Schema of a letter record."""
    return load_json(SCHEMA_FILE)


#: What became of one input, as the command line and the Dask runner count it: ``ok`` (a
#: letter record without warnings), ``warned`` (a letter record with warnings), ``failed``
#: (an error record: the input could not be read or processed).
RECORD_STATUSES = ("ok", "warned", "failed")


def record_status(record: Record | dict[str, Any]) -> str:
    """The status (one of :data:`RECORD_STATUSES`) of a letter or error record, or of a
    table row read back (where ``error`` is present and empty for letters)."""
    if record.get("error") not in (None, ""):
        return "failed"
    return "warned" if record.get("warnings") else "ok"


def entity_record(span: Span) -> Entity:
    """An entity as ``{"label", "start", "end", "text", ...normalized values}``."""
    record: Entity = {
        "label": span.label_,
        "start": span.start_char,
        "end": span.end_char,
        "text": span.text,
    }
    if Span.has_extension("normalized"):
        record.update(span._.normalized or {})
    return record


def _diagnoses(doc: Doc) -> list[PatientDiagnosis]:
    """The patient's diagnoses: set by ``imr_patient_diagnoses``; for a pipeline saved without
    that component, computed here from the entities and sections."""
    if doc._.diagnoses is not None:
        return [dict(d) for d in doc._.diagnoses]
    from .patient_diagnoses import patient_diagnoses

    mentions = [(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ == "DIAGNOSIS"]
    sections = [(span.label_, span.start_char, span.end_char) for span in doc.spans.get("sections", [])]
    return patient_diagnoses(doc.text, mentions, sections) if mentions else []


def letter_warnings(doc: Doc) -> list[str]:
    """The letter's warnings: :data:`NOT_A_LETTER` first when the text does not look like a
    letter, then the components' warnings (``doc._.imr_warnings``)."""
    found = list(doc._.imr_warnings or [])
    looks = doc.user_data.get(LOOKS_LIKE_LETTER_KEY)  # imr_sections tells; else read the text
    if looks or (looks is None and looks_like_letter(doc.text)):
        return found
    return [NOT_A_LETTER] + [w for w in found if w != NOT_A_LETTER]


def to_dict(doc: Doc, id: str | None = None, path: str | None = None) -> LetterRecord:
    """The letter record of a processed ``doc`` (keys always present, offsets into ``doc.text``).

    ``id`` defaults to the letter's case number ("" when it has none). The same record as
    ``imr-nlp parse`` gives for the same text, apart from ``id`` and ``path`` (the file's)
    and the reader's warnings (e.g. a PDF's), which a batch run puts first."""
    if id is None:
        id = doc._.case_number or ""
    patient = doc._.patient or {"age": None, "sex": None}
    reviewer = doc._.reviewer or {"specialties": [], "licensure": []}
    record: LetterRecord = {
        "id": id,
        "case_number": doc._.case_number,
        "decision_date": doc._.decision_date,
        "date_assigned": doc._.date_assigned,
        "application_received": doc._.application_received,
        "priority": doc._.priority,
        "patient": {"age": patient.get("age"), "sex": patient.get("sex")},
        "date_of_injury": doc._.date_of_injury,
        "ur_decision_date": doc._.ur_decision_date,
        "reviewer": {
            "specialties": list(reviewer.get("specialties") or []),
            "licensure": list(reviewer.get("licensure") or []),
        },
        "entities": [entity_record(ent) for ent in doc.ents],
        "diagnoses": _diagnoses(doc),
        # ``reasons`` is always present (``[]`` when no reason component ran).
        "items": [{**item, "reasons": list(item.get("reasons") or [])} for item in doc._.items or []],
        "warnings": letter_warnings(doc),
    }
    if path is not None:
        record["path"] = path
    return record
