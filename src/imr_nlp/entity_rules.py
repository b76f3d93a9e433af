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

import numpy
from spacy.attrs import (
    DEP,
    ENT_ID,
    ENT_IOB,
    ENT_KB_ID,
    ENT_TYPE,
    HEAD,
    IDX,
    LEMMA,
    LENGTH,
    MORPH,
    NORM,
    POS,
    SENT_START,
    SPACY,
    TAG,
)
from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup
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
from .text_layout import Layout, doc_layout, move_layout


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


def split_tokens_at(doc: Doc, entities: list[tuple[int, int, str]]) -> Doc:
    """Split tokens so that every entity starts and ends on a token boundary; returns the doc.

    The tokenizer keeps "#60.On" or "47-8,Chronic" as one token; the rules know better, and
    offsets must stay exact, so such tokens are cut at the entity edges. Each
    ``retokenizer.split`` shifts all of the doc's tokens, so on a long text (a file of many
    letters parsed as one doc) with many cuts the doc is built again once with the cut
    tokens instead (:func:`_rebuilt_with_cuts`): the returned doc is then a new ``Doc``
    holding the same tokens, annotation and doc-level state as the retokenized one would.
    Span groups (``doc.spans``) keep their character offsets and get the token indices
    of the cut doc.
    """
    cuts = _cuts(doc, entities)
    if not cuts:
        return doc
    if len(cuts) >= _REBUILD_MIN_CUTS and _tokenizer_annotation_only(doc):
        return _rebuilt_with_cuts(doc, cuts)
    with doc.retokenize() as retokenizer:
        for i, offsets in cuts.items():
            token = doc[i]
            edges = [0, *offsets, len(token.text)]
            orths = [token.text[a:b] for a, b in zip(edges, edges[1:])]
            retokenizer.split(token, orths, heads=[(token, 0)] * len(orths))
    _realign_span_groups(doc, doc)
    return doc


def _cuts(doc: Doc, entities: list[tuple[int, int, str]]) -> dict[int, list[int]]:
    """``{token index: sorted character offsets inside the token}`` where entity edges fall."""
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
    return {i: sorted(offsets) for i, offsets in sorted(cuts.items())}


# From this many cut tokens on, building the doc again once costs less than one
# retokenizer split per token (each O(doc length); measured: one rebuild costs about as
# much as 5 splits on a doc of any length). Letters have 0-3 cut tokens.
_REBUILD_MIN_CUTS = 8

# Annotation a rebuilt doc does not carry over: a doc with any of it is retokenized.
_MODEL_ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD, SENT_START, ENT_IOB, ENT_TYPE, ENT_KB_ID, ENT_ID]


def _tokenizer_annotation_only(doc: Doc) -> bool:
    """True when ``doc`` holds only what the tokenizer sets (tokens, spaces, norms), as
    before ``imr_entity_rules`` in the default pipeline; a model or component that set tags,
    lemmas, a parse, sentence starts, entities or a tensor makes it False."""
    if doc.tensor is not None and getattr(doc.tensor, "size", 0):
        return False
    values = doc.to_array(_MODEL_ATTRS)
    first = values[0].copy()
    first[_MODEL_ATTRS.index(SENT_START)] = 0  # the first token always starts a sentence
    return not first.any() and not values[1:].any()


def _rebuilt_with_cuts(doc: Doc, cuts: dict[int, list[int]]) -> Doc:
    """A new doc of the tokens of ``doc`` with ``cuts`` made, as ``retokenizer.split`` makes
    them (pieces: no trailing space but the last, the norm of their own text, the head of
    every piece the first), the other tokens' norms, and the doc-level state moved over:
    ``user_data`` (the extension values), span groups, cats, context, hooks and the shared
    layout. Only for a doc with tokenizer annotation only (:func:`_tokenizer_annotation_only`)."""
    text = doc_text(doc)
    columns = doc.to_array([IDX, LENGTH, SPACY])
    starts, lengths = columns[:, 0].tolist(), columns[:, 1].tolist()
    spaces = columns[:, 2].astype(bool).tolist()
    words = [text[a : a + n] for a, n in zip(starts, lengths)]
    new_words: list[str] = []
    new_spaces: list[bool] = []
    piece_heads: list[tuple[int, int]] = []  # (new index, head offset) of every piece but the first
    added = numpy.zeros(len(doc), dtype=numpy.int64)  # pieces added at each cut token
    previous = 0
    for i, offsets in cuts.items():
        new_words += words[previous:i]
        new_spaces += spaces[previous:i]
        edges = [0, *offsets, lengths[i]]
        first = len(new_words)
        new_words += [words[i][a:b] for a, b in zip(edges, edges[1:])]
        new_spaces += [False] * (len(edges) - 2) + [spaces[i]]
        piece_heads += [(first + k, -k) for k in range(1, len(edges) - 1)]
        added[i] = len(edges) - 2
        previous = i + 1
    new_words += words[previous:]
    new_spaces += spaces[previous:]
    new = Doc(doc.vocab, words=new_words, spaces=new_spaces)
    # NORM: each token not cut keeps its own (tokenizer exceptions set some); pieces keep
    # their text's. HEAD: the retokenizer makes each piece depend on the first.
    position = numpy.arange(len(doc)) + numpy.concatenate([[0], numpy.cumsum(added)[:-1]])
    kept = added == 0
    for i in cuts:
        kept[i] = False
    norms = new.to_array(NORM)
    norms[position[kept]] = doc.to_array(NORM)[kept]
    heads = numpy.zeros(len(new), dtype=numpy.int64)
    rows, offsets = zip(*piece_heads)
    heads[list(rows)] = offsets
    new.from_array([NORM, HEAD], numpy.column_stack([norms, heads.astype(numpy.uint64)]))
    new.user_data = doc.user_data
    new.cats = doc.cats
    new.sentiment = doc.sentiment
    new.user_hooks = doc.user_hooks
    new.user_token_hooks = doc.user_token_hooks
    new.user_span_hooks = doc.user_span_hooks
    new.has_unknown_spaces = doc.has_unknown_spaces
    new._context = doc._context
    new._vector = doc._vector
    new._vector_norm = doc._vector_norm
    _realign_span_groups(doc, new)
    move_layout(doc, new)
    return new


def _realign_span_groups(doc: Doc, new: Doc) -> None:
    """Write the span groups of ``doc`` into ``new`` (``doc`` itself after a retokenization,
    which leaves their token indices as they were) with the same character offsets,
    labels, ids and attributes, on the tokens of ``new``."""
    for key, group in list(doc.spans.items()):
        spans = []
        for span in group:
            moved = new.char_span(
                span.start_char, span.end_char, label=span.label, kb_id=span.kb_id, span_id=span.id
            ) or new.char_span(
                span.start_char,
                span.end_char,
                label=span.label,
                kb_id=span.kb_id,
                span_id=span.id,
                alignment_mode="expand",
            )
            spans.append(moved)
        new.spans[key] = SpanGroup(new, name=group.name, attrs=dict(group.attrs), spans=spans)


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
            doc = split_tokens_at(doc, misaligned)
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
