"""The entity label registry: every label of ``doc.ents`` (SPEC §3) in one place.

Each :class:`Label` says how the rules find it (``find``), what normalized values its
entities carry (``normalize``, the ``span._.normalized`` getter) and which entities set by
an earlier component (a trained model) the rules reject (``veto``). The order of
:data:`REGISTRY` is the priority: where candidates of two labels overlap, the earlier label
wins (CITATION first), then the longer span. It is also the order of the ``labels``
setting of ``imr_entity_rules`` (its factory default and ``data/config.cfg``), of the JSON
Schema's label enum and of the corpus tools; tests check that each of those equals this
registry.

Adding a label: one :class:`Label` entry here (its finder lives in ``normalize/``), plus
tests; see ``CONTRIBUTING.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from spacy.tokens import Span

from .resources import rule_data_by_key, using

Offsets = list[tuple[int, int]]


class Finds:
    """The texts one finder pass works on, and the shared results of the finders.

    ``text`` is the letter with page furniture blanked (same length, offsets unchanged);
    ``original`` is the letter as given (a CITATION's printed text comes from it). Drugs
    and dates are found once, also when only the amount labels are asked for (amounts
    read them), and the amount finder once for its three labels.
    """

    def __init__(self, original: str, text: str) -> None:
        self.original = original
        self.text = text
        self.citations: dict[tuple[int, int], dict] = {}

    @cached_property
    def drugs(self) -> Offsets:
        from .normalize.drugs import find_drugs

        return [(s, e) for s, e, _ in find_drugs(self.text)]

    @cached_property
    def dates(self) -> Offsets:
        from .normalize.dates import find_dates

        return [(s, e) for s, e, _ in find_dates(self.text)]

    @cached_property
    def amounts(self) -> list[tuple[int, int, str]]:
        from .normalize.amounts import find_amount_mentions

        return [(s, e, label) for s, e, label, _ in find_amount_mentions(self.text, self.drugs, self.dates)]


# --- finders: (Finds) -> [(start, end)] ---------------------------------------------------


def _find_citations(finds: Finds) -> Offsets:
    from .normalize.citations import find_citations

    spans = []
    for citation in find_citations(finds.text):
        citation["text"] = finds.original[citation["start"] : citation["end"]]
        finds.citations[(citation["start"], citation["end"])] = citation
        spans.append((citation["start"], citation["end"]))
    return spans


def _find_drugs(finds: Finds) -> Offsets:
    return finds.drugs


def _find_dates(finds: Finds) -> Offsets:
    return finds.dates


def _amounts_labelled(label: str) -> Callable[[Finds], Offsets]:
    def find(finds: Finds) -> Offsets:
        return [(s, e) for s, e, found in finds.amounts if found == label]

    find.__name__ = f"_find_{label.lower()}"
    return find


def _find_diagnoses(finds: Finds) -> Offsets:
    from .normalize.diagnoses import find_diagnoses

    return list(find_diagnoses(finds.text))


# --- normalizers: (Span) -> dict ------------------------------------------------------------


def citation_key(start: int, end: int) -> str:
    """``doc.user_data`` key of the parsed citation of the CITATION entity at ``start:end``."""
    return f"imr_citation:{start}:{end}"


def _normalize_citation(span: Span) -> dict[str, Any]:
    from .normalize.citations import find_citations

    citation = span.doc.user_data.get(citation_key(span.start_char, span.end_char))
    if citation is None:  # an entity set by another component: parse its text
        parsed = find_citations(span.text)
        citation = {**parsed[0], "start": parsed[0]["start"] + span.start_char,
                    "end": parsed[0]["end"] + span.start_char} if parsed else None
    return {"citation": citation}


def _normalize_drug(span: Span) -> dict[str, Any]:
    from .normalize.drugs import lookup_drug

    info = lookup_drug(span.text)
    return {"generic": info.generic if info else None, "drug_class": info.drug_class if info else None}


def _normalize_date(span: Span) -> dict[str, Any]:
    from .normalize.dates import parse_date

    parsed = parse_date(" ".join(span.text.split()))
    return {"iso": parsed["iso"] if parsed else None}


def _normalize_dose(span: Span) -> dict[str, Any]:
    from .normalize.amounts import parse_strength

    parsed = parse_strength(span.text)
    return {"values": parsed["values"], "unit": parsed["unit"]} if parsed else {"values": [], "unit": None}


def _normalize_quantity(span: Span) -> dict[str, Any]:
    from .normalize.amounts import parse_quantity, parse_refills

    value = parse_refills(span.text)
    return {"value": value if value is not None else parse_quantity(span.text)}


def _normalize_frequency(span: Span) -> dict[str, Any]:
    from .normalize.amounts import parse_frequency

    parsed = parse_frequency(span.text) or {}
    return {"per_day": parsed.get("per_day"), "per_week": parsed.get("per_week")}


def _normalize_diagnosis(span: Span) -> dict[str, Any]:
    from .normalize.icd10cm import code_mention

    # the words around the mention (a few tokens each side: doc.text would cost O(letter) per entity)
    window = span.doc[max(0, span.start - 12) : min(len(span.doc), span.end + 20)]
    base = window.start_char
    return {"icd10cm": code_mention(window.text, span.start_char - base, span.end_char - base)}


# --- vetoes: (Span) -> keep? ------------------------------------------------------------------


def _names_a_guideline(span: Span) -> bool:
    from .normalize.citations import any_guideline_name

    return any_guideline_name().search(span.text) is not None


def _names_a_condition(span: Span) -> bool:
    from .normalize.diagnoses import names_a_condition

    return names_a_condition(span.text)


# --- the registry -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Label:
    """One entity label: its name, what it marks, and the rules behind it."""

    name: str
    description: str
    find: Callable[[Finds], Offsets]
    normalize: Callable[[Span], dict[str, Any]]
    veto: Callable[[Span], bool] | None = None  # None: an earlier component's entity is kept


REGISTRY: tuple[Label, ...] = (
    Label("CITATION", "A treatment guideline cited: name, chapter, topic, year and pages.",
          _find_citations, _normalize_citation, _names_a_guideline),
    Label("DRUG", "A medication name (brand or generic), without strength or dosage form.",
          _find_drugs, _normalize_drug),
    Label("DATE", "A calendar date or month and year.", _find_dates, _normalize_date),
    Label("DOSE", "A strength: amount of drug per unit (10/325 mg, 5%).",
          _amounts_labelled("DOSE"), _normalize_dose),
    Label("QUANTITY", "An amount dispensed or requested: count, refills, sessions.",
          _amounts_labelled("QUANTITY"), _normalize_quantity),
    Label("FREQUENCY", "How often: twice daily, every 4-6 hours as needed.",
          _amounts_labelled("FREQUENCY"), _normalize_frequency),
    Label("DIAGNOSIS", "A condition or injury of the patient (not a body part alone).",
          _find_diagnoses, _normalize_diagnosis, _names_a_condition),
)

BY_NAME: dict[str, Label] = {label.name: label for label in REGISTRY}
# Every label, in priority order (also the order of the config's ``labels`` setting).
LABELS: tuple[str, ...] = tuple(BY_NAME)

# The order evaluation tables, corpus summaries and the view's legend print labels in
# (kept from earlier releases so stored tables stay byte-identical); a label added to the
# registry and not listed here is printed last.
_PRINTED_FIRST = ("DRUG", "DOSE", "QUANTITY", "FREQUENCY", "DATE", "DIAGNOSIS", "CITATION")
REPORT_ORDER: tuple[str, ...] = tuple(
    [name for name in _PRINTED_FIRST if name in BY_NAME] + [name for name in LABELS if name not in _PRINTED_FIRST]
)


def ordered_labels(labels: Iterable[str]) -> tuple[str, ...]:
    """``labels`` in registry (priority) order; an unknown label is an error, not ignored."""
    wanted = list(labels)
    unknown = sorted(set(wanted) - set(BY_NAME))
    if unknown:
        raise ValueError(f"unknown entity label(s) {unknown}; known labels: {list(LABELS)}")
    return tuple(name for name in LABELS if name in wanted)


#: ``doc.user_data`` key of the data of the ``imr_entity_rules`` that ran on the doc, when
#: that data is not the packaged data (see :class:`imr_nlp.resources.RuleData`).
RULES_KEY = "imr_nlp.rule_data"


def normalized_values(span: Span) -> dict[str, Any]:
    """Normalized values of an entity (SPEC §2), by label; unknown values are ``None``.

    Read with the lexicons of the ``imr_entity_rules`` component that set the entity."""
    label = BY_NAME.get(span.label_)
    if label is None:
        return {}
    key = span.doc.user_data.get(RULES_KEY)
    with using(rule_data_by_key(key)):
        return label.normalize(span)


def plausible_entity(span: Span) -> bool:
    """Whether an entity set by an earlier component passes its label's veto (a DIAGNOSIS
    is not a body part alone, a CITATION names a guideline); labels without one pass."""
    label = BY_NAME.get(span.label_)
    return label is None or label.veto is None or label.veto(span)
