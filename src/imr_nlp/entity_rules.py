"""``imr_entity_rules``: rule-based entities (SPEC §3) in ``doc.ents``.

Each label has a finder over the raw text (offsets into the original, PDF line breaks
allowed inside a span): guideline citations, drugs from the lexicon, dates, doses /
quantities / frequencies, and diagnoses. Where candidates overlap, the earlier label of
``label_priority`` wins (CITATION first, as SPEC §3 requires), then the longer span.

Combining with a trained ``ner``: with ``overwrite_ents = true`` (default) the rules'
entities replace any overlapping entity already in ``doc.ents`` and the others are kept,
so a model placed before this component only adds what the rules do not find.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from .extensions import StatelessComponent, doc_text
from .normalize.amounts import (
    find_amount_mentions,
    parse_frequency,
    parse_quantity,
    parse_refills,
    parse_strength,
)
from .normalize.citations import find_citations
from .normalize.dates import find_dates, parse_date
from .normalize.diagnoses import find_diagnoses, names_a_condition
from .normalize.drugs import find_drugs, lookup_drug
from .normalize.icd10cm import code_mention
from .resources import MAX_CHARS
from .text_layout import Layout

LABELS = ("CITATION", "DRUG", "DATE", "DOSE", "QUANTITY", "FREQUENCY", "DIAGNOSIS")


def find_entities(
    text: str, labels: Iterable[str] = LABELS, *, citations: dict[tuple[int, int], dict] | None = None
) -> list[tuple[int, int, str]]:
    """Non-overlapping ``(start, end, label)`` entities of a letter, sorted by start.

    ``citations``, when given, receives the parsed citation of each CITATION span.
    """
    labels = tuple(labels)
    # Page furniture blanked (same length): a page break inside a mention does not end it
    # (corpus/README.md §2 rule 4), and "Page 3 of 4" is never a quantity.
    original, text = text, Layout(text).match_text
    candidates: list[tuple[int, int, str]] = []
    parsed_citations: dict[tuple[int, int], dict] = {}
    if "CITATION" in labels:
        for citation in find_citations(text):
            citation["text"] = original[citation["start"] : citation["end"]]
            parsed_citations[(citation["start"], citation["end"])] = citation
            candidates.append((citation["start"], citation["end"], "CITATION"))
    drugs = [(s, e) for s, e, _ in find_drugs(text)]
    if "DRUG" in labels:
        candidates += [(s, e, "DRUG") for s, e in drugs]
    dates = [(s, e) for s, e, _ in find_dates(text)]
    if "DATE" in labels:
        candidates += [(s, e, "DATE") for s, e in dates]
    if {"DOSE", "QUANTITY", "FREQUENCY"} & set(labels):
        amounts = find_amount_mentions(text, drugs, dates)
        candidates += [(s, e, label) for s, e, label, _ in amounts if label in labels]
    if "DIAGNOSIS" in labels:
        candidates += [(s, e, "DIAGNOSIS") for s, e in find_diagnoses(text)]
    entities = resolve_overlaps(candidates, labels)
    if citations is not None:
        citations.update({(s, e): parsed_citations[(s, e)] for s, e, label in entities if label == "CITATION"})
    return entities


def _citation_key(start: int, end: int) -> str:
    return f"imr_citation:{start}:{end}"


def split_tokens_at(doc: Doc, entities: list[tuple[int, int, str]]) -> None:
    """Split tokens so that every entity starts and ends on a token boundary.

    The tokenizer keeps "#60.On" or "47-8,Chronic" as one token; the rules know better, and
    offsets must stay exact, so such tokens are cut at the entity edges.
    """
    cuts: dict[int, set[int]] = {}
    for start, end, _ in entities:
        if doc.char_span(start, end) is not None:
            continue
        covering = doc.char_span(start, end, alignment_mode="expand")
        if covering is None:
            continue
        for token in (covering[0], covering[-1]):
            for edge in (start, end):
                if token.idx < edge < token.idx + len(token.text):
                    cuts.setdefault(token.i, set()).add(edge - token.idx)
    if not cuts:
        return
    with doc.retokenize() as retokenizer:
        for i, offsets in cuts.items():
            token = doc[i]
            edges = [0, *sorted(offsets), len(token.text)]
            orths = [token.text[a:b] for a, b in zip(edges, edges[1:])]
            retokenizer.split(token, orths, heads=[(token, 0)] * len(orths))


def resolve_overlaps(candidates: list[tuple[int, int, str]], priority: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """Keep the best of overlapping spans: earlier label in ``priority``, then longer, then earlier."""
    rank = {label: i for i, label in enumerate(priority)}
    ordered = sorted(
        (c for c in candidates if c[1] > c[0]), key=lambda c: (rank.get(c[2], len(rank)), -(c[1] - c[0]), c[0])
    )
    starts: list[int] = []  # kept spans, sorted by start (they never overlap each other)
    ends: list[int] = []
    taken: list[tuple[int, int, str]] = []
    for start, end, label in ordered:
        i = bisect.bisect_left(starts, end)  # kept spans starting before our end
        if i and ends[i - 1] > start:  # the last of them reaches into us
            continue
        starts.insert(i, start)
        ends.insert(i, end)
        taken.append((start, end, label))
    return sorted(taken)


_GUIDELINE_NAME = re.compile(r"MTUS|ODG|ACOEM|Official\s+Disability|Guide\s*lines?|Medical\s+Treatment", re.I)


def plausible_entity(span: Span) -> bool:
    """Whether an entity set by an earlier component (a trained model) passes the guide's
    checks that the rules can make cheaply: a DIAGNOSIS is not a body part alone, a CITATION
    names a guideline. Other labels are kept as they are."""
    if span.label_ == "DIAGNOSIS":
        return names_a_condition(span.text)
    if span.label_ == "CITATION":
        return _GUIDELINE_NAME.search(span.text) is not None
    return True


def normalized_values(span: Span) -> dict[str, Any]:
    """Normalized values of an entity (SPEC §2), by label; unknown values are ``None``."""
    text = span.text
    label = span.label_
    if label == "DRUG":
        info = lookup_drug(text)
        return {"generic": info.generic if info else None, "drug_class": info.drug_class if info else None}
    if label == "DATE":
        parsed = parse_date(" ".join(text.split()))
        return {"iso": parsed["iso"] if parsed else None}
    if label == "DOSE":
        parsed = parse_strength(text)
        return {"values": parsed["values"], "unit": parsed["unit"]} if parsed else {"values": [], "unit": None}
    if label == "QUANTITY":
        value = parse_refills(text)
        return {"value": value if value is not None else parse_quantity(text)}
    if label == "FREQUENCY":
        parsed = parse_frequency(text) or {}
        return {"per_day": parsed.get("per_day"), "per_week": parsed.get("per_week")}
    if label == "CITATION":
        citation = span.doc.user_data.get(_citation_key(span.start_char, span.end_char))
        if citation is None:  # an entity set by another component: parse its text
            parsed = find_citations(text)
            citation = {**parsed[0], "start": parsed[0]["start"] + span.start_char,
                        "end": parsed[0]["end"] + span.start_char} if parsed else None
        return {"citation": citation}
    if label == "DIAGNOSIS":
        # the words around the mention (a few tokens each side: doc.text would cost O(letter) per entity)
        window = span.doc[max(0, span.start - 12) : min(len(span.doc), span.end + 20)]
        base = window.start_char
        return {"icd10cm": code_mention(window.text, span.start_char - base, span.end_char - base)}
    return {}


# A short letter-like text that walks every finder once (dates, amounts, citations in a
# guideline line and in free text, drugs, diagnoses) so that lazily built lexicons,
# tries and patterns are ready when the pipeline is loaded, not on the first letter.
_WARM_UP = (
    "Decision based on MTUS Chronic Pain Medical Treatment Guidelines, page 78.\n"
    "Per the ODG, Norco 10/325mg #60 twice a day as needed and Lidoderm 5% patch x1 refill "
    "on August 30, 2013 and 01/02/2015 for lumbar radiculopathy and chronic pain syndrome."
)


def prepare_rules() -> None:
    """Build the rule lexicons and patterns now (once per process; cached afterwards)."""
    from .normalize import diagnoses, drugs
    from .resources import letter_templates

    letter_templates()
    drugs.load_lexicon()
    diagnoses.load_lexicon()
    find_entities(_WARM_UP)
    parse_frequency("every 4-6 hours as needed")
    parse_strength("10/325 mg")
    parse_quantity("#60")


class EntityRules(StatelessComponent):
    """Sets ``doc.ents`` from the rule finders."""

    def __init__(self, nlp: Language, name: str, *, labels: list[str], overwrite_ents: bool) -> None:
        self.name = name
        self.labels = tuple(label for label in LABELS if label in labels)
        self.overwrite_ents = overwrite_ents
        if not Span.has_extension("normalized"):
            Span.set_extension("normalized", getter=normalized_values)
        prepare_rules()
        # One documented maximum length for the API and the CLI (resources.MAX_CHARS).
        nlp.max_length = max(nlp.max_length, MAX_CHARS)

    def __call__(self, doc: Doc) -> Doc:
        found = find_entities(doc_text(doc), self.labels, citations=(citations := {}))
        spans = [doc.char_span(start, end, label=label) for start, end, label in found]
        misaligned = [entity for entity, span in zip(found, spans) if span is None]
        if misaligned:
            split_tokens_at(doc, misaligned)
            spans = [doc.char_span(start, end, label=label) for start, end, label in found]
        spans = [span for span in spans if span is not None]
        for (start, end), citation in citations.items():
            doc.user_data[_citation_key(start, end)] = citation
        # ``doc.ents`` walks every token: read it only when an earlier component set entities.
        existing = list(doc.ents) if doc.has_annotation("ENT_IOB") else []
        if self.overwrite_ents:
            kept = [
                e for e in existing
                if not any(e.start < s.end and s.start < e.end for s in spans) and plausible_entity(e)
            ]
        else:
            spans = [s for s in spans if not any(e.start < s.end and s.start < e.end for e in existing)]
            kept = existing
        doc.set_ents(sorted(kept + spans, key=lambda s: s.start), default="outside")
        return doc


@Language.factory(
    "imr_entity_rules",
    default_config={"labels": list(LABELS), "overwrite_ents": True},
    assigns=["doc.ents", "span._.normalized"],
)
def make_entity_rules(nlp: Language, name: str, labels: list[str], overwrite_ents: bool) -> EntityRules:
    """Build the rule-based entity component (lexicons and patterns in ``imr_nlp/data``)."""
    return EntityRules(nlp, name, labels=labels, overwrite_ents=overwrite_ents)
