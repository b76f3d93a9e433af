"""The JSON output contract (SPEC §5): one plain dict per letter."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span

from .resources import load_json

SCHEMA_FILE = "imr_letter.schema.json"


def schema() -> dict[str, Any]:
    """The JSON Schema of a letter record."""
    return load_json(SCHEMA_FILE)


#: What became of one input, as the command line and the Dask runner count it: ``ok`` (a
#: letter record without warnings), ``warned`` (a letter record with warnings), ``failed``
#: (an error record: the input could not be read or processed).
RECORD_STATUSES = ("ok", "warned", "failed")


def record_status(record: dict[str, Any]) -> str:
    """The status (one of :data:`RECORD_STATUSES`) of a letter or error record, or of a
    table row read back (where ``error`` is present and empty for letters)."""
    if record.get("error") not in (None, ""):
        return "failed"
    return "warned" if record.get("warnings") else "ok"


def entity_record(span: Span) -> dict[str, Any]:
    """An entity as ``{"label", "start", "end", "text", ...normalized values}``."""
    record: dict[str, Any] = {
        "label": span.label_,
        "start": span.start_char,
        "end": span.end_char,
        "text": span.text,
    }
    if Span.has_extension("normalized"):
        record.update(span._.normalized or {})
    return record


def _diagnoses(doc: Doc) -> list[dict[str, Any]]:
    """The patient's diagnoses: set by ``imr_patient_diagnoses``; for a pipeline saved without
    that component, computed here from the entities and sections."""
    if doc._.diagnoses is not None:
        return [dict(d) for d in doc._.diagnoses]
    from .patient_diagnoses import patient_diagnoses

    mentions = [(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ == "DIAGNOSIS"]
    sections = [(span.label_, span.start_char, span.end_char) for span in doc.spans.get("sections", [])]
    return patient_diagnoses(doc.text, mentions, sections) if mentions else []


def to_dict(doc: Doc, id: str | None = None, path: str | None = None) -> dict[str, Any]:
    """The letter record of a processed ``doc`` (keys always present, offsets into ``doc.text``).

    ``id`` defaults to the letter's case number ("" when it has none)."""
    if id is None:
        id = doc._.case_number or ""
    patient = doc._.patient or {"age": None, "sex": None}
    reviewer = doc._.reviewer or {"specialties": [], "licensure": []}
    record: dict[str, Any] = {
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
        "warnings": list(doc._.imr_warnings or []),
    }
    if path is not None:
        record["path"] = path
    return record
