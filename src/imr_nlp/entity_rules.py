"""``imr_entity_rules``: rule-based entities (SPEC §3) in ``doc.ents``.

Each label has a finder over the raw text (offsets into the original, PDF line breaks
allowed inside a span): guideline citations, drugs from the lexicon, dates, doses /
quantities / frequencies, and diagnoses; the labels, their finders, normalized values and
priority are the registry in ``labels.py``. Where candidates overlap, the earlier label of
the registry wins (CITATION first, as SPEC §3 requires), then the longer span.

Combining with a trained ``ner``: with ``overwrite_ents = true`` (default) the rules'
entities replace any overlapping entity already in ``doc.ents`` and the others are kept,
so a model placed before this component only adds what the rules do not find.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example

from .extensions import RuleComponent, doc_text, set_entities_on_blank
from .labels import (
    BY_NAME,
    LABELS,
    RULES_KEY,
    Finds,
    citation_key,
    normalized_values,
    ordered_labels,
    plausible_entity,
)
from .normalize.amounts import parse_frequency, parse_quantity, parse_strength
from .resources import MAX_CHARS, RuleData, using
from .text_layout import Layout, doc_layout


def find_entities(
    text: str,
    labels: Iterable[str] = LABELS,
    *,
    citations: dict[tuple[int, int], dict] | None = None,
    data: RuleData | None = None,
    layout: Layout | None = None,
) -> list[tuple[int, int, str]]:
    """Non-overlapping ``(start, end, label)`` entities of a letter, sorted by start.

    Each label's finder comes from the registry (``labels.py``); ``citations``, when
    given, receives the parsed citation of each CITATION span. ``data``: the rule data
    (lexicons, patterns) to use; default: the data in use, normally the packaged.
    ``layout``: the layout of ``text`` under that data, when already built.
    """
    with using(data):
        return _find_entities(text, ordered_labels(labels), citations, layout)


def _find_entities(
    text: str,
    labels: tuple[str, ...],
    citations: dict[tuple[int, int], dict] | None,
    layout: Layout | None = None,
) -> list[tuple[int, int, str]]:
    if layout is None or layout.original != text:
        layout = Layout(text)
    # Page furniture blanked (same length): a page break inside a mention does not end it
    # (corpus/README.md §2 rule 4), and "Page 3 of 4" is never a quantity.
    finds = Finds(text, layout.match_text)
    candidates = [(s, e, label) for label in labels for s, e in BY_NAME[label].find(finds)]
    entities = resolve_overlaps(candidates, labels)
    if citations is not None:
        citations.update({(s, e): finds.citations[(s, e)] for s, e, label in entities if label == "CITATION"})
    return entities


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


# A short letter-like text that walks every finder once (dates, amounts, citations in a
# guideline line and in free text, drugs, diagnoses) so that lazily built lexicons,
# tries and patterns are ready when the pipeline is loaded, not on the first letter.
_WARM_UP = (
    "Decision based on MTUS Chronic Pain Medical Treatment Guidelines, page 78.\n"
    "Per the ODG, Norco 10/325mg #60 twice a day as needed and Lidoderm 5% patch x1 refill "
    "on August 30, 2013 and 01/02/2015 for lumbar radiculopathy and chronic pain syndrome."
)


def prepare_rules() -> None:
    """Build the lexicons and patterns of the rule data in use now (once per data)."""
    from .normalize import diagnoses, drugs
    from .resources import letter_templates

    letter_templates()
    drugs.load_lexicon()
    diagnoses.load_lexicon()
    find_entities(_WARM_UP)
    parse_frequency("every 4-6 hours as needed")
    parse_strength("10/325 mg")
    parse_quantity("#60")


class EntityRules(RuleComponent):
    """Sets ``doc.ents`` from the rule finders."""

    # the finders' data: layout (page furniture), guidelines, drugs, diagnoses, and the
    # ICD-10-CM tables behind each DIAGNOSIS entity's normalized code
    DATA_FILES = (
        "letter_templates.json",
        "guidelines.json",
        "drugs.jsonl",
        "diagnoses.json",
        "diagnoses_icd10cm.json",
        "icd10cm_map.json",
        "icd10cm_codes.json",
    )

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        labels: list[str],
        overwrite_ents: bool,
        scorer: Callable[..., dict[str, Any]] | None = None,
    ) -> None:
        self.name = name
        self.labels = ordered_labels(labels)
        self.overwrite_ents = overwrite_ents
        self.scorer = scorer
        if not Span.has_extension("normalized"):
            Span.set_extension("normalized", getter=normalized_values)
        self.prepare()
        # One documented maximum length for the API and the CLI (resources.MAX_CHARS).
        nlp.max_length = max(nlp.max_length, MAX_CHARS)

    def prepare(self) -> None:
        with self.using_data():
            prepare_rules()

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        """Entity scores (``ents_p``, ``ents_r``, ``ents_f``, ``ents_per_type``) of the examples."""
        if self.scorer is None:
            raise NotImplementedError("imr_entity_rules was built without a scorer")
        return self.scorer(examples, **kwargs)

    def __call__(self, doc: Doc) -> Doc:
        data = self.data
        text = doc_text(doc)
        with using(data):
            layout = doc_layout(doc, text)  # shared with the item linker
        found = find_entities(text, self.labels, citations=(citations := {}), data=data, layout=layout)
        if not data.packaged:
            doc.user_data[RULES_KEY] = data.key
        spans = [doc.char_span(start, end, label=label) for start, end, label in found]
        misaligned = [entity for entity, span in zip(found, spans) if span is None]
        if misaligned:
            split_tokens_at(doc, misaligned)
            spans = [doc.char_span(start, end, label=label) for start, end, label in found]
        spans = [span for span in spans if span is not None]
        for (start, end), citation in citations.items():
            doc.user_data[citation_key(start, end)] = citation
        # A doc without entity annotation (the usual case): the entities are written as one
        # array, which is what set_ents does there (nothing to overwrite or keep).
        if not set_entities_on_blank(doc, spans):
            self._merge_entities(doc, spans)
        return doc

    def _merge_entities(self, doc: Doc, spans: list[Span]) -> None:
        """Set ``spans`` as entities, with those an earlier component set (see ``overwrite_ents``)."""
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


@Language.factory(
    "imr_entity_rules",
    default_config={
        "labels": list(LABELS),
        "overwrite_ents": True,
        "scorer": {"@scorers": "spacy.ner_scorer.v1"},
    },
    requires=[],
    assigns=["doc.ents", "token.ent_iob", "token.ent_type", "span._.normalized"],
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_entity_rules(
    nlp: Language,
    name: str,
    labels: list[str],
    overwrite_ents: bool,
    scorer: Callable[..., dict[str, Any]] | None,
) -> EntityRules:
    """Build the rule-based entity component (lexicons and patterns: ``imr_nlp/data``, held by
    the component, see :class:`imr_nlp.extensions.RuleComponent`)."""
    return EntityRules(nlp, name, labels=labels, overwrite_ents=overwrite_ents, scorer=scorer)
