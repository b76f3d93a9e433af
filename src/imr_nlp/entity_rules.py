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
    LEMMA,
    MORPH,
    NORM,
    ORTH,
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


def split_tokens_at(doc: Doc, entities: list[tuple[int, int, str]]) -> None:
    """Split tokens of ``doc`` in place so that every entity starts and ends on a token boundary.

    The tokenizer keeps "#60.On" or "47-8,Chronic" as one token; the rules know better, and
    offsets must stay exact, so such tokens are cut at the entity edges (spaCy's
    retokenizer). Span groups (``doc.spans``) keep their character offsets and get the
    token indices of the cut doc. See :func:`tokens_cut_at` for long docs.
    """
    _split_in_place(doc, _cuts(doc, entities))


def tokens_cut_at(doc: Doc, entities: list[tuple[int, int, str]]) -> Doc:
    """The doc of :func:`split_tokens_at`: ``doc`` split in place, or a new doc.

    Each ``retokenizer.split`` shifts all of the doc's tokens, so on a long text (a file of
    many letters parsed as one doc) with many tokens to cut the doc is built again once
    with the cuts instead (:func:`_rebuilt_with_cuts`): the doc returned is then a new
    ``Doc`` holding the same tokens, annotation and doc-level state as the split one.
    """
    cuts = _cuts(doc, entities)
    if len(cuts) >= _REBUILD_MIN_CUTS:
        columns = doc.to_array(_REBUILD_ATTRS)
        if _tokenizer_annotation_only(doc, columns):
            return _rebuilt_with_cuts(doc, cuts, columns)
    _split_in_place(doc, cuts)
    return doc


def _split_in_place(doc: Doc, cuts: dict[int, list[int]]) -> None:
    if not cuts:
        return
    with doc.retokenize() as retokenizer:
        for i, offsets in cuts.items():
            token = doc[i]
            edges = [0, *offsets, len(token.text)]
            orths = [token.text[a:b] for a, b in zip(edges, edges[1:])]
            retokenizer.split(token, orths, heads=[(token, 0)] * len(orths))
    _realign_span_groups(doc, doc)


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
# retokenizer split per token (each O(doc length)): measured, the rebuild costs as much
# as 4-5 splits on a doc of any length (a 4,000-character letter: 0.36 ms against 0.1 ms a
# split; 300,000 characters: 18 ms against 4 ms; 2M characters, 56 cuts: 0.13 s against
# 1.5 s). Of the 130 sample and test letters 8 have cuts, one of them 9.
_REBUILD_MIN_CUTS = 5

# What a rebuilt doc takes from the old one (ORTH, SPACY, NORM), and the annotation it
# does not carry over: a doc with any of the latter is retokenized instead.
_MODEL_ATTRS = (TAG, POS, MORPH, LEMMA, DEP, HEAD, SENT_START, ENT_IOB, ENT_TYPE, ENT_KB_ID, ENT_ID)
_REBUILD_ATTRS = [ORTH, SPACY, NORM, *_MODEL_ATTRS]


def _tokenizer_annotation_only(doc: Doc, columns: numpy.ndarray) -> bool:
    """True when ``doc`` holds only what the tokenizer sets (tokens, spaces, norms), as
    before ``imr_entity_rules`` in the default pipeline; a model or component that set tags,
    lemmas, a parse, sentence starts, entities or a tensor makes it False.
    ``columns``: ``doc.to_array(_REBUILD_ATTRS)``."""
    if doc.tensor is not None and getattr(doc.tensor, "size", 0):
        return False
    model = columns[:, 3:]
    first = model[0].copy()
    first[_MODEL_ATTRS.index(SENT_START)] = 0  # the first token always starts a sentence
    return not first.any() and not model[1:].any()


def _rebuilt_with_cuts(doc: Doc, cuts: dict[int, list[int]], columns: numpy.ndarray) -> Doc:
    """A new doc of the tokens of ``doc`` with ``cuts`` made, as ``retokenizer.split`` makes
    them (pieces: no trailing space but the last, the norm of their own text, the head of
    every piece the first), the other tokens' norms, and the doc-level state moved over:
    ``user_data`` (the extension values), span groups, cats, context, hooks and the shared
    layout. Only for a doc with tokenizer annotation only (:func:`_tokenizer_annotation_only`);
    ``columns``: ``doc.to_array(_REBUILD_ATTRS)``. One difference: a split leaves each later
    token's ``left_edge`` / ``right_edge`` at its old index (another token); here every
    token is its own edge, as in any doc without a parse."""
    vocab = doc.vocab
    n = len(doc)
    added = numpy.zeros(n, dtype=numpy.int64)  # pieces added by each token (cut tokens only)
    for i, offsets in cuts.items():
        added[i] = len(offsets)
    # new index of each old token (of a cut token: of its first piece)
    position = numpy.arange(n) + numpy.concatenate([[0], numpy.cumsum(added)[:-1]])
    length = n + int(added.sum())
    # ORTH, SPACY, NORM, HEAD of the new tokens; a token not cut keeps its own, pieces get theirs
    new = numpy.zeros((length, 4), dtype=numpy.uint64)
    new[position, :3] = columns[:, :3]
    for i, offsets in cuts.items():
        token = doc[i]
        text = token.text
        edges = [0, *offsets, len(text)]
        for k, (a, b) in enumerate(zip(edges, edges[1:])):
            piece = text[a:b]
            row = int(position[i]) + k
            new[row, 0] = vocab.strings.add(piece)
            new[row, 1] = columns[i, 1] if b == len(text) else 0
            new[row, 2] = vocab[piece].norm
            new[row, 3] = numpy.uint64(2**64 - k) if k else 0  # relative head: the first piece
    rebuilt = Doc(vocab, words=new[:, 0].tolist(), spaces=new[:, 1].astype(bool).tolist())
    # SENT_START: a new doc marks its first token; the old one may not (the tokenizer's
    # special cases rewrite the token array), so the first token takes the old value
    starts = numpy.zeros(length, dtype=numpy.uint64)
    starts[0] = columns[0, _REBUILD_ATTRS.index(SENT_START)]
    rebuilt.from_array([SENT_START], starts)  # before HEAD (no doc with heads takes SENT_START)
    rebuilt.from_array([NORM, HEAD], new[:, 2:])
    rebuilt.user_data = doc.user_data
    rebuilt.cats = doc.cats
    rebuilt.sentiment = doc.sentiment
    rebuilt.user_hooks = doc.user_hooks
    rebuilt.user_token_hooks = doc.user_token_hooks
    rebuilt.user_span_hooks = doc.user_span_hooks
    rebuilt.has_unknown_spaces = doc.has_unknown_spaces
    rebuilt._context = doc._context
    rebuilt._vector = doc._vector
    rebuilt._vector_norm = doc._vector_norm
    _realign_span_groups(doc, rebuilt)
    move_layout(doc, rebuilt)
    return rebuilt


def _realign_span_groups(doc: Doc, new: Doc) -> None:
    """Write the span groups of ``doc`` into ``new`` (``doc`` itself after a retokenization,
    which leaves their token indices as they were) with the same character offsets,
    labels, ids and attributes, on the tokens of ``new``."""
    for key, group in list(doc.spans.items()):
        spans = [_span_on(new, span) for span in group]
        new.spans[key] = SpanGroup(new, name=group.name, attrs=dict(group.attrs), spans=spans)


def _span_on(doc: Doc, span: Span) -> Span:
    """``span`` (a span of the same text before tokens were cut) on the tokens of ``doc``."""
    start, end = span.start_char, span.end_char
    found = doc.char_span(start, end, label=span.label, kb_id=span.kb_id, span_id=span.id)
    if found is None:  # cuts only add token boundaries: only an empty span gets here
        found = doc.char_span(start, end, label=span.label, kb_id=span.kb_id, span_id=span.id, alignment_mode="expand")
    if found is None:  # empty, where no token starts: before the first token that starts after
        i = bisect.bisect_left([token.idx for token in doc], start)
        found = Span(doc, i, i, label=span.label, kb_id=span.kb_id, span_id=span.id)
    return found


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
            doc = tokens_cut_at(doc, misaligned)
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
