"""``imr_reasons``: a trainable classifier of the reasons a rationale states (hashed n-grams).

Why not spaCy's ``textcat_multilabel``: its reasons are per document, while each letter has
several rationales and every reason needs the one sentence that states it; and a per-item
``nlp`` call would cost more than the rest of the pipeline. This component scores every
sentence of every rationale with one linear layer over hashed features:

1. features of a sentence: the NORM hashes of its words, of adjacent word pairs and of
   the words in a negation's scope (taken from the doc's tokens with ``doc.to_array``, no
   Python per token), the item's outcome, the request's service type, the position, and —
   with ``rules = "features"`` or ``"both"`` — which reason patterns of
   ``data/reasons_patterns.json`` match the sentence and which match anywhere in the
   rationale; mixed with a seed and bucketed by multiplicative hashing into ``2**n_bits`` rows;
2. model: the rows are summed into one logit per reason (a bias added); a reason is given
   when its best sentence's probability reaches ``threshold``, and that sentence is the
   evidence;
3. training: logistic loss per sentence and reason; the evidence sentence of a reason the
   item has is a positive, the other sentences of that item carry no loss for it (they may
   state it too), and every sentence of an item without the reason is a negative.

Two kinds of docs: a letter processed by ``imr_items`` (``doc._.items`` set): every item
gets ``item["reasons"]`` (offsets into the letter); a doc that is one rationale (the
training and evaluation examples, ``doc._.items`` unset): ``doc.cats`` and
``doc.spans["reasons"]`` are set. The item outcome of a rationale doc is read from
``doc.user_data["imr_outcome"]`` (the corpus reader puts it there).

``rules = "union"`` adds the rule reasons (the patterns of ``imr_reasons_rules``) the model
missed; ``"both"`` does that and also uses the rule hits as features (the shipped setting).
Weights are saved sparse (only the rows training touched).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy
import srsly
from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, NORM
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc
from spacy.training import Example, validate_examples
from spacy.util import registry
from spacy.vocab import Vocab
from thinc.api import Model

from .extensions import register_extensions
from .normalize.reasons import (
    REASONS,
    rationale_hits,
    reason_rules,
    reasons_from_hits,
    score_reasons,
    sentence_hits,
)
from .normalize.services import service_type
from .reasons_rules import REASON_RULES_KEY
from .resources import data_file, rule_data_by_key, using

OUTCOME_KEY = "imr_outcome"
SERVICE_KEY = "imr_service"
SPANS_KEY = "reasons"
_GOLDEN = numpy.uint64(0x9E3779B97F4A7C15)
_PAIR = numpy.uint64(0xC2B2AE3D27D4EB4F)
_SEEDS = {"word": 11, "pair": 23, "outcome": 37, "rule": 41, "position": 53, "negated": 59, "service": 61, "context": 67}
# Words that open a negation scope: the next NEGATION_WINDOW words of the sentence are also
# features as "negated word" ("no red flags", "not documented", "without radicular signs").
NEGATION_WORDS = ("no", "not", "without", "lack", "absence", "none", "neither", "nor", "never", "fail", "fails",
                  "failed", "unclear", "insufficient", "n't")
NEGATION_WINDOW = 6
# Feature groups beyond words, word pairs, outcome and position (scripts/train_reasons.py
# --features compares them by cross-validation): "negation" (negated words), "service" (the
# request's service type, with the outcome), "context" (every reason a rule finds anywhere
# in the rationale, on each of its sentences).
FEATURE_GROUPS = ("negation", "service", "context")
DEFAULT_FEATURES = ("negation", "service", "context")
RULE_MODES = ("none", "features", "union", "both")


@lru_cache(maxsize=4096)
def _const(text: str) -> numpy.uint64:
    """A fixed 64-bit key for a feature name (FNV-1a; Python's ``hash`` is salted per process)."""
    value = 0xCBF29CE484222325
    for byte in text.encode("utf8"):
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return numpy.uint64(value)


# ---------------------------------------------------------------------------- features


class Rationale:
    """One rationale to classify: its text, outcome, sentences and where it lies in its doc."""

    __slots__ = ("text", "outcome", "offset", "sentences", "hits", "service")

    def __init__(self, text: str, outcome: str | None, offset: int, service: str | None = None) -> None:
        self.text = text
        self.outcome = outcome
        self.offset = offset  # character offset of the text in its doc
        sentences, hits = rationale_hits(text)
        self.sentences = list(sentences)
        self.hits: dict[str, list[int]] | None = hits
        self.service = service  # the request's service type (normalize.services.service_type)


def doc_rationales(doc: Doc) -> list[Rationale]:
    """The rationales of a doc: one per item with a rationale, or the doc itself."""
    if doc._.items is None:
        return [Rationale(doc.text, doc.user_data.get(OUTCOME_KEY), 0, doc.user_data.get(SERVICE_KEY))]
    # the reason patterns of the imr_reasons_rules that ran on the doc (its rule hits are features)
    with using(rule_data_by_key(doc.user_data.get(REASON_RULES_KEY))):
        return [
            Rationale(item["rationale"]["text"], item.get("outcome"), item["rationale"]["start"], item_service(item))
            for item in doc._.items
            if item.get("rationale")
        ]


def item_service(item: dict) -> str | None:
    """The service type of an item: ``treatment.service_type`` when set, else from the request text."""
    treatment = item.get("treatment") or {}
    if treatment.get("service_type"):
        return str(treatment["service_type"])
    request = item.get("request") or {}
    return request_service(request.get("text"))


def request_service(request: str | None) -> str | None:
    """The service type of a request text (the corpus records keep only the text)."""
    return service_type(request) if request else None


_NEGATION_IDS: numpy.ndarray | None = None


def _negation_ids() -> numpy.ndarray:
    global _NEGATION_IDS
    if _NEGATION_IDS is None:
        from spacy.strings import get_string_id

        _NEGATION_IDS = numpy.asarray(sorted(get_string_id(w) for w in NEGATION_WORDS), dtype=numpy.uint64)
    return _NEGATION_IDS


def sentence_features(
    doc: Doc, rationales: list[Rationale], n_bits: int, use_rules: bool,
    features: tuple[str, ...] = DEFAULT_FEATURES, rule_drop: float = 0.0, rng: numpy.random.Generator | None = None,
) -> tuple[numpy.ndarray, numpy.ndarray, list[int]]:
    """Bucket ids of all sentences of ``rationales`` (all in ``doc``).

    ``features``: the groups of :data:`FEATURE_GROUPS` to add; ``rule_drop``: in training,
    the share of rule hits left out (drawn with ``rng``), so that the words learn the reasons
    too and the model does not lean on the rules alone (they were written on the training
    letters and match fewer sentences of new ones). The word features of all rationales
    are taken at once from the tokens they cover, and every key is hashed in one pass with
    the seed of its kind; the ids are in the order of the kinds in ``_SEEDS`` (rationale by
    rationale within a kind).
    RETURNS: (ids, sentence index of each id, number of sentences per rationale).
    """
    ids, owners, counts = batch_sentence_features([(doc, rationales)], n_bits, use_rules, features, rule_drop, rng)
    return ids, owners, counts[0]


def batch_sentence_features(
    batch: list[tuple[Doc, list[Rationale]]], n_bits: int, use_rules: bool,
    features: tuple[str, ...] = DEFAULT_FEATURES, rule_drop: float = 0.0, rng: numpy.random.Generator | None = None,
) -> tuple[numpy.ndarray, numpy.ndarray, list[list[int]]]:
    """:func:`sentence_features` of several docs at once, their sentences numbered doc after
    doc: each sentence gets the ids it gets in its doc alone, in the same order (the sums of
    its rows are the same to the bit).
    RETURNS: (ids, sentence index of each id, number of sentences per rationale of each doc).
    """
    counts = [[len(r.sentences) for r in rationales] for _, rationales in batch]
    batch = [(doc, [r for r in rationales if r.sentences]) for doc, rationales in batch]
    used = [r for _, rationales in batch for r in rationales]
    if not used:
        return numpy.zeros(0, dtype=numpy.int64), numpy.zeros(0, dtype=numpy.int64), counts
    # the sentences of all rationales, numbered rationale after rationale
    sizes = numpy.asarray([len(r.sentences) for r in used], dtype=numpy.int64)
    bases = numpy.cumsum(sizes) - sizes
    keys: dict[str, list[numpy.ndarray]] = {name: [] for name in _SEEDS}
    owners: dict[str, list[numpy.ndarray]] = {name: [] for name in _SEEDS}
    _word_features(batch, sizes, bases, "negation" in features, keys, owners)
    constants: dict[str, list[numpy.uint64]] = {name: [] for name in _SEEDS}
    constant_owners: dict[str, list[int]] = {name: [] for name in _SEEDS}
    for rationale, base in zip(used, bases.tolist(), strict=True):
        n = len(rationale.sentences)
        sentence_ids = range(base, base + n)
        constants["outcome"] += [_const(f"outcome={rationale.outcome}")] * n
        constant_owners["outcome"] += sentence_ids
        constants["position"] += _positions(n)
        constant_owners["position"] += sentence_ids
        if "service" in features:
            constants["service"] += [_const(f"service={rationale.service}")] * n
            constants["service"] += [_const(f"service={rationale.service}:{rationale.outcome}")] * n
            constant_owners["service"] += [*sentence_ids, *sentence_ids]
        if use_rules:
            if rationale.hits is None:
                rationale.hits = sentence_hits(rationale.text, rationale.sentences)
            anywhere = []
            for reason, weights in rationale.hits.items():
                for k, w in enumerate(weights):
                    if w and not (rule_drop and rng is not None and rng.random() < rule_drop):
                        constants["rule"] += [_const(f"rule={reason}"), _const(f"rule={reason}:{rationale.outcome}")]
                        constant_owners["rule"] += [base + k, base + k]
                        if reason not in anywhere:
                            anywhere.append(reason)
            if "context" in features:
                for reason in anywhere:
                    # hashed with the rule seed (as the rule hits)
                    constants["rule"] += [_const(f"context={reason}")] * n
                    constant_owners["rule"] += sentence_ids
    for name in _SEEDS:
        if constants[name]:
            keys[name].append(numpy.asarray(constants[name], dtype=numpy.uint64))
            owners[name].append(numpy.asarray(constant_owners[name], dtype=numpy.int64))
    # one hashing pass: each key mixed with the seed of its kind
    parts = [(name, numpy.concatenate(keys[name]), numpy.concatenate(owners[name])) for name in _SEEDS if keys[name]]
    all_keys = numpy.concatenate([k for _, k, _ in parts])
    seeds = numpy.repeat(numpy.asarray([_SEED_KEYS[name] for name, _, _ in parts], dtype=numpy.uint64),
                         [len(k) for _, k, _ in parts])
    all_keys ^= seeds
    all_keys *= _GOLDEN
    all_keys >>= numpy.uint64(64 - n_bits)
    return all_keys.view(numpy.int64), numpy.concatenate([o for _, _, o in parts]), counts


# The 64-bit seed of each kind of key: bucket = ((key ^ seed) * _GOLDEN) >> (64 - n_bits).
_SEED_KEYS = {name: numpy.uint64((seed * 0x5BD1E995) & 0xFFFFFFFFFFFFFFFF) for name, seed in _SEEDS.items()}


@lru_cache(maxsize=256)
def _positions(n: int) -> tuple[numpy.uint64, ...]:
    """The position keys of the ``n`` sentences of a rationale."""
    if n == 1:
        return (_const("only"),)
    return (_const("first"), *[_const("middle")] * (n - 2), _const("last"))


def _word_features(
    batch: list[tuple[Doc, list[Rationale]]], sizes: numpy.ndarray, bases: numpy.ndarray, negation: bool,
    keys: dict[str, list[numpy.ndarray]], owners: dict[str, list[numpy.ndarray]],
) -> None:
    """The NORM keys of the words of every sentence (not punctuation or whitespace), of the
    adjacent word pairs within a sentence and of the words in a negation's scope, with the
    sentence each belongs to; the tokens of all rationales laid end to end (rationale by
    rationale and doc after doc, so a pair or a scope never spans two sentences, two
    rationales or two docs)."""
    parts, whose, starts_of = [], [], []
    number = 0  # the index of the doc's first rationale among all rationales
    span = 1  # above every character offset of the batch
    for doc, rationales in batch:
        first_rationale, number = number, number + len(rationales)
        if not rationales:
            continue
        array = doc.to_array([IDX, NORM, IS_PUNCT, IS_SPACE])
        if not len(array):
            continue
        starts = array[:, 0]
        offsets = [r.offset for r in rationales]
        lo = numpy.asarray([o + r.sentences[0][0] for o, r in zip(offsets, rationales, strict=True)],
                           dtype=numpy.uint64)
        hi = numpy.asarray([o + r.sentences[-1][1] for o, r in zip(offsets, rationales, strict=True)],
                           dtype=numpy.uint64)
        first, last = numpy.searchsorted(starts, lo), numpy.searchsorted(starts, hi)
        if len(rationales) == 1:
            tokens = numpy.arange(first[0], last[0])
        else:
            tokens = numpy.concatenate([numpy.arange(f, t) for f, t in zip(first.tolist(), last.tolist(), strict=True)])
        parts.append(array[tokens])
        whose.append(numpy.repeat(numpy.arange(first_rationale, number, dtype=numpy.int64),
                                  (last - first).astype(numpy.int64)))
        starts_of += [(i, o + s) for i, (o, r) in enumerate(zip(offsets, rationales, strict=True), first_rationale)
                      for s, _ in r.sentences]
        span = max(span, int(hi.max()) + 1)
    if not parts:
        return
    rows = numpy.concatenate(parts) if len(parts) > 1 else parts[0]
    which = numpy.concatenate(whose) if len(whose) > 1 else whose[0]
    word = (rows[:, 2] == 0) & (rows[:, 3] == 0)
    rows = rows[word]
    which = which[word]
    # the sentence of each word: the last sentence of its rationale starting at or before it
    # (one search in the sorted keys rationale * span + sentence start)
    sentence_starts = numpy.asarray([i * span + start for i, start in starts_of], dtype=numpy.int64)
    owner = numpy.searchsorted(sentence_starts, which * span + rows[:, 0].astype(numpy.int64), side="right") - 1
    numpy.clip(owner, bases[which], bases[which] + sizes[which] - 1, out=owner)
    norms = rows[:, 1]
    keys["word"].append(norms)
    owners["word"].append(owner)
    if len(norms) > 1:
        same = owner[1:] == owner[:-1]
        pairs = norms[:-1] * _PAIR + norms[1:]
        keys["pair"].append(pairs[same])
        owners["pair"].append(owner[1:][same])
        if negation:
            negations = _negation_ids()
            found = numpy.searchsorted(negations, norms)
            found[found == len(negations)] = 0
            is_neg = negations[found] == norms
            if is_neg.any():
                index = numpy.arange(len(norms))
                last_neg = numpy.maximum.accumulate(numpy.where(is_neg, index, -1))
                scope = (last_neg >= 0) & ~is_neg & (index - last_neg <= NEGATION_WINDOW)
                scope[scope] &= owner[last_neg[scope]] == owner[scope]
                keys["negated"].append(norms[scope])
                owners["negated"].append(owner[scope])


# ---------------------------------------------------------------------------- model


def _forward(model: Model, X: tuple[numpy.ndarray, numpy.ndarray, int], is_train: bool) -> tuple[Any, Callable]:
    """``(ids, owners, n_sentences)`` -> sentence logits ``(n_sentences, n_reasons)``."""
    ids, owners, n = X
    table, bias = model.get_param("W"), model.get_param("b")
    out = sentence_logits(table[ids], owners, n, bias)

    def backprop(d_out: numpy.ndarray) -> None:
        grad = numpy.zeros_like(table)
        if len(ids):
            numpy.add.at(grad, ids, d_out[owners])
        model.inc_grad("W", grad)
        model.inc_grad("b", d_out.sum(axis=0))

    return out, backprop


def sentence_logits(rows: numpy.ndarray, owners: numpy.ndarray, n: int, bias: numpy.ndarray) -> numpy.ndarray:
    """The table rows of the ids summed per sentence, plus the bias: ``(n, reasons)`` float32.

    One bincount over (sentence, reason) cells, far faster than ``numpy.add.at``: each cell's
    rows are added in float64 in the order of the ids (as a bincount per reason would)."""
    width = rows.shape[1]
    if len(rows):
        cells = (owners[:, None] * width + numpy.arange(width)).ravel()
        out = numpy.bincount(cells, weights=rows.ravel(), minlength=n * width).reshape(n, width).astype("f")
    else:
        out = numpy.zeros((n, width), dtype="f")
    out += bias
    return out


def _init(model: Model, X: Any = None, Y: Any = None) -> None:
    model.set_param("W", model.ops.alloc2f(2 ** model.attrs["n_bits"], len(REASONS)))
    model.set_param("b", model.ops.alloc1f(len(REASONS)))


@registry.architectures("imr_nlp.HashedSentenceScorer.v1")
def build_hashed_sentence_scorer(n_bits: int = 16) -> Model:
    """One linear layer over hashed sentence features, one logit per reason (starts at zero)."""
    return Model("imr_hashed_sentences", _forward, init=_init, params={"W": None, "b": None},
                 attrs={"n_bits": n_bits})


# ---------------------------------------------------------------------------- component


_RNG: list[numpy.random.Generator] = []


def _training_rng() -> numpy.random.Generator:
    """One generator per process for the rule-feature dropout, seeded from spaCy's fixed seed."""
    if not _RNG:
        _RNG.append(numpy.random.default_rng(int(numpy.random.randint(0, 2**31 - 1))))
    return _RNG[0]


def reason_outcomes() -> dict[str, frozenset[str]]:
    """The outcomes each reason applies to (``outcomes`` in ``data/reasons_patterns.json``)."""
    return reason_rules().outcomes


def _sigmoid(x: numpy.ndarray) -> numpy.ndarray:
    return 1.0 / (1.0 + numpy.exp(-numpy.clip(x, -30, 30)))


class ReasonClassifier(TrainablePipe):
    """Scores the sentences of each rationale per reason; sets the reasons with their evidence."""

    def __init__(
        self, vocab: Vocab, model: Model, name: str = "imr_reasons", *, threshold: float = 0.15,
        rules: str = "features", weights: str | None = None,
    ) -> None:
        if rules not in RULE_MODES:
            raise ValueError(f"imr_reasons: rules must be one of {RULE_MODES}, not {rules!r}")
        self.vocab = vocab
        self.model = model
        self.name = name
        self.threshold = float(threshold)
        self.rules = rules
        self.cfg: dict[str, Any] = {"reasons": list(REASONS), "trained": False}
        register_extensions()
        if weights:
            self.load_weights(_weights_path(weights))

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(REASONS)

    # ------------------------------------------------------------ prediction
    def _featurize(
        self, doc: Doc, rule_drop: float = 0.0
    ) -> tuple[list[Rationale], tuple[numpy.ndarray, numpy.ndarray, int], list[int]]:
        rationales = doc_rationales(doc)
        ids, owners, counts = sentence_features(
            doc, rationales, self.model.attrs["n_bits"], self.rules in ("features", "both"),
            rule_drop=rule_drop, rng=_training_rng() if rule_drop else None,
        )
        return rationales, (ids, owners, int(sum(counts))), counts

    def predict(self, docs: Iterable[Doc]) -> list[tuple[list[Rationale], list[numpy.ndarray]]]:
        """Per doc: its rationales and, for each, the sentence probabilities ``(sentences, reasons)``.

        The sentences of the whole batch are featurized and scored at once (each exactly as
        in its doc alone: :func:`batch_sentence_features`)."""
        batch = [(doc, doc_rationales(doc)) for doc in docs]
        if not any(rationales for _, rationales in batch):
            return [(rationales, []) for _, rationales in batch]
        if not self.model.has_param("W") or self.model.get_param("W") is None:
            raise ValueError("imr_reasons: the model is not initialized (train it or give `weights`)")
        ids, owners, counts = batch_sentence_features(
            batch, self.model.attrs["n_bits"], self.rules in ("features", "both")
        )
        sizes = [sum(c) for c in counts]
        probs = _sigmoid(self.model.predict((ids, owners, sum(sizes))))
        out = []
        first = 0
        for (_, rationales), doc_counts, size in zip(batch, counts, sizes, strict=True):
            if not rationales:
                out.append((rationales, []))
                continue
            doc_probs = probs[first : first + size]
            first += size
            out.append((rationales, numpy.split(doc_probs, numpy.cumsum(doc_counts)[:-1])))
        return out

    def decide(self, rationale: Rationale, probs: numpy.ndarray) -> list[dict[str, Any]]:
        """``[{"reason", "start", "end"}]`` of one rationale (offsets into the rationale text)."""
        found: dict[str, tuple[int, int]] = {}
        if len(probs):
            best = probs.argmax(axis=0)
            # each reason's best probability against the threshold, in float32 (as numpy
            # compares a float32 with a Python float)
            given = (probs[best, numpy.arange(probs.shape[1])] >= self.threshold).tolist()
            best = best.tolist()
            allowed = reason_outcomes()
            for j, reason in enumerate(REASONS):
                # a reason only for the outcomes it applies to (the guide: reasons against a
                # request on upheld items, criteria_met on overturned ones), as the rules do
                if rationale.outcome is not None and rationale.outcome not in allowed[reason]:
                    continue
                if given[j]:
                    found[reason] = rationale.sentences[best[j]]
        if self.rules in ("union", "both"):
            if rationale.hits is None:
                rationale.hits = sentence_hits(rationale.text, rationale.sentences)
            for r in reasons_from_hits(rationale.text, rationale.sentences, rationale.hits, rationale.outcome):
                found.setdefault(r["reason"], (r["start"], r["end"]))
        return [{"reason": r, "start": found[r][0], "end": found[r][1]} for r in REASONS if r in found]

    def set_annotations(self, docs: Iterable[Doc], scores: Any) -> None:
        for doc, (rationales, probs) in zip(docs, scores, strict=True):
            with using(rule_data_by_key(doc.user_data.get(REASON_RULES_KEY))):
                decided = [self.decide(r, p) for r, p in zip(rationales, probs, strict=True)]
            if doc._.items is None:
                reasons = decided[0] if decided else []
                best = probs[0].max(axis=0) if probs and len(probs[0]) else numpy.zeros(len(REASONS))
                doc.cats = {r: float(best[j]) for j, r in enumerate(REASONS)}
                spans = []
                for r in reasons:
                    span = doc.char_span(r["start"], r["end"], label=r["reason"], alignment_mode="expand")
                    if span is not None:
                        spans.append(span)
                doc.spans[SPANS_KEY] = spans
                continue
            with_rationale = iter(decided)
            for item in doc._.items:
                if not item.get("rationale"):
                    item["reasons"] = []
                    continue
                offset = item["rationale"]["start"]
                item["reasons"] = [
                    {"reason": r["reason"], "start": r["start"] + offset, "end": r["end"] + offset}
                    for r in next(with_rationale)
                ]

    # ------------------------------------------------------------ training
    def _targets(self, eg: Example, rationale: Rationale) -> tuple[numpy.ndarray, numpy.ndarray]:
        """Sentence targets and mask ``(sentences, reasons)`` from the reference doc."""
        n = len(rationale.sentences)
        target = numpy.zeros((n, len(REASONS)), dtype="f")
        mask = numpy.ones((n, len(REASONS)), dtype="f")
        ref = eg.reference
        spans = ref.spans[SPANS_KEY] if SPANS_KEY in ref.spans else []
        starts = numpy.asarray([s for s, _ in rationale.sentences], dtype=numpy.int64)
        for j, reason in enumerate(REASONS):
            evidence = [s for s in spans if s.label_ == reason]
            if not evidence and ref.cats.get(reason, 0.0) < 0.5:
                continue
            mask[:, j] = 0.0
            for span in evidence:
                k = int(numpy.searchsorted(starts, span.start_char, side="right")) - 1
                k = min(max(k, 0), n - 1)
                target[k, j] = 1.0
                mask[k, j] = 1.0
        return target, mask

    def update(
        self, examples: Iterable[Example], *, drop: float = 0.0, sgd: Any = None,
        losses: dict[str, float] | None = None,
    ) -> dict[str, float]:
        """One gradient step of the per-sentence logistic loss over a batch of rationale docs.

        ``drop`` (``[training] dropout``) is the share of rule-hit features left out of each
        example (with ``rules = "features"``), so that the words learn every reason too.
        """
        examples = list(examples)
        validate_examples(examples, "ReasonClassifier.update")
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        all_ids, all_owners, targets, masks, base = [], [], [], [], 0
        for eg in examples:
            doc = eg.predicted
            for key in (OUTCOME_KEY, SERVICE_KEY):
                if key not in doc.user_data and key in eg.reference.user_data:
                    doc.user_data[key] = eg.reference.user_data[key]
            rationales, (ids, owners, n), _ = self._featurize(doc, rule_drop=drop)
            if n == 0:
                continue
            target, mask = self._targets(eg, rationales[0])
            all_ids.append(ids)
            all_owners.append(owners + base)
            targets.append(target)
            masks.append(mask)
            base += n
        if not base:
            return losses
        X = (numpy.concatenate(all_ids), numpy.concatenate(all_owners), base)
        logits, backprop = self.model.begin_update(X)
        target, mask = numpy.concatenate(targets), numpy.concatenate(masks)
        probs = _sigmoid(logits)
        backprop(((probs - target) * mask).astype("f"))
        if sgd not in (None, False):
            self.finish_update(sgd)
        eps = 1e-7
        loss = -(mask * (target * numpy.log(probs + eps) + (1 - target) * numpy.log(1 - probs + eps))).sum()
        losses[self.name] += float(loss)
        return losses

    def initialize(self, get_examples: Callable[[], Iterable[Example]], *, nlp: Language | None = None) -> None:
        """Size the model (zero weights). Packaged weights, if loaded, are kept when there are no examples."""
        if self.cfg.get("trained") and not any(_has_reasons(eg) for eg in get_examples()):
            return  # packaged weights and nothing to train on (nlp.initialize() gives a dummy example)
        self.model.initialize()
        self.cfg["trained"] = True

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        """``reasons_micro_p/r/f``, ``reasons_evidence`` and ``reasons_per_type`` over rationale docs."""
        examples = list(examples)
        validate_examples(examples, "ReasonClassifier.score")
        gold, pred = [], []
        for eg in examples:
            for doc, out in ((eg.reference, gold), (eg.predicted, pred)):
                spans = doc.spans[SPANS_KEY] if SPANS_KEY in doc.spans else []
                out.append([{"reason": s.label_, "start": s.start_char, "end": s.end_char} for s in spans])
        result = score_reasons(gold, pred)
        return {
            "reasons_micro_p": result["micro"]["p"],
            "reasons_micro_r": result["micro"]["r"],
            "reasons_micro_f": result["micro"]["f"],
            "reasons_evidence": result["evidence_overlap"],
            "reasons_per_type": {r: {k: v[k] for k in ("p", "r", "f")} for r, v in result["per_reason"].items()},
        }

    # ------------------------------------------------------------ serialization
    def save_weights(self, path: Path) -> None:
        """Write the non-zero rows of the weight table (sparse, compressed ``.npz``)."""
        table, bias = self.model.get_param("W"), self.model.get_param("b")
        rows = numpy.flatnonzero(numpy.abs(table).sum(axis=1))
        numpy.savez_compressed(
            path, rows=rows.astype(numpy.int32), values=table[rows].astype(numpy.float16),
            bias=bias.astype("f"), n_bits=numpy.int32(self.model.attrs["n_bits"]),
        )

    def load_weights(self, path: Path) -> None:
        with numpy.load(path) as data:
            n_bits = int(data["n_bits"])
            if n_bits != self.model.attrs["n_bits"]:
                raise ValueError(f"imr_reasons: weights have n_bits={n_bits}, the model {self.model.attrs['n_bits']}")
            table = numpy.zeros((2**n_bits, len(REASONS)), dtype="f")
            table[data["rows"]] = data["values"].astype("f")
            self.model.set_param("W", table)
            self.model.set_param("b", data["bias"].astype("f"))
        self.cfg["trained"] = True

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg", self.cfg)
        if self.cfg.get("trained"):
            self.save_weights(path / "weights.npz")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = tuple()) -> ReasonClassifier:
        path = Path(path)
        self.cfg.update(srsly.read_json(path / "cfg"))
        if (path / "weights.npz").exists():
            self.load_weights(path / "weights.npz")
        return self

    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        import io

        buffer = io.BytesIO()
        if self.cfg.get("trained"):
            self.save_weights(buffer)  # type: ignore[arg-type]
        return srsly.msgpack_dumps({"cfg": self.cfg, "weights": buffer.getvalue()})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = tuple()) -> ReasonClassifier:
        import io

        msg = srsly.msgpack_loads(data)
        self.cfg.update(msg["cfg"])
        if msg["weights"]:
            self.load_weights(io.BytesIO(msg["weights"]))  # type: ignore[arg-type]
        return self


def _has_reasons(eg: Example) -> bool:
    """Whether an example carries reason annotation (cats or evidence spans)."""
    return bool(eg.reference.cats) or SPANS_KEY in eg.reference.spans


def _weights_path(weights: str) -> Path:
    """``data:NAME`` is a file in the package data; anything else a file path."""
    if weights.startswith("data:"):
        return Path(str(data_file(weights[len("data:") :])))
    return Path(weights)


@Language.factory(
    "imr_reasons",
    default_config={
        "model": {"@architectures": "imr_nlp.HashedSentenceScorer.v1", "n_bits": 16},
        "threshold": 0.15,
        "rules": "features",
        "weights": None,
    },
    assigns=["doc._.items", "doc.cats", "doc.spans"],
    default_score_weights={"reasons_micro_f": 1.0, "reasons_micro_p": 0.0, "reasons_micro_r": 0.0,
                           "reasons_evidence": 0.0, "reasons_per_type": None},
)
def make_reason_classifier(
    nlp: Language, name: str, model: Model, threshold: float, rules: str, weights: str | None
) -> ReasonClassifier:
    """Build the reason classifier; ``weights`` (``data:NAME`` or a path) loads trained weights."""
    return ReasonClassifier(nlp.vocab, model, name, threshold=threshold, rules=rules, weights=weights)


# ---------------------------------------------------------------------------- corpus reader


def rationale_docs(nlp: Language, records: Iterable[dict]) -> Iterator[Example]:
    """Examples from reason records (corpus/reasons/README.md): the rationale text, its outcome
    in ``user_data``, gold ``cats`` and evidence spans under ``spans["reasons"]``."""
    for record in records:
        outcome = record.get("meta", {}).get("outcome")
        service = request_service(record.get("meta", {}).get("request"))
        predicted = nlp.make_doc(record["text"])
        reference = nlp.make_doc(record["text"])
        for doc in (predicted, reference):
            doc.user_data[OUTCOME_KEY] = outcome
            doc.user_data[SERVICE_KEY] = service
        reference.cats = {r: float(record["cats"].get(r, 0)) for r in REASONS}
        spans = []
        for s in record["spans"]:
            span = reference.char_span(s["start"], s["end"], label=s["label"], alignment_mode="expand")
            if span is not None:
                spans.append(span)
        reference.spans[SPANS_KEY] = spans
        yield Example(predicted, reference)


@registry.readers("imr_nlp.ReasonsCorpus.v1")
def create_reasons_reader(path: str) -> Callable[[Language], Iterator[Example]]:
    """Reader of reason records (JSON Lines, one item's rationale per line) for ``spacy train``."""

    def read(nlp: Language) -> Iterator[Example]:
        yield from rationale_docs(nlp, srsly.read_jsonl(path))

    return read
