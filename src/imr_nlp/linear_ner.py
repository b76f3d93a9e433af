"""``imr_linear_ner``: a fast trainable entity tagger (hashed window features, BILUO softmax).

Why not spaCy's ``ner``: a transition-based parser costs several times the whole rule
pipeline (configs/README.md, "Why not spaCy's ner"). This tagger spends about a microsecond per word:

1. features: ``doc.to_array`` of hashed lexical attributes (NORM, PREFIX, SUFFIX, SHAPE by
   default) of each token and its neighbours (a window per attribute), mixed with a
   per-column seed and bucketed by multiplicative hashing (all numpy, no Python per token);
2. model: the rows of one embedding table for those buckets are summed (a linear model
   when ``hidden_width`` is 0, else a ReLU layer follows) and a softmax gives BILUO tag
   probabilities over the labels seen in training;
3. decoding: argmax per token, then a repair that turns any tag sequence into valid,
   non-overlapping spans (vectorized; Python only loops over the predicted spans), trims
   whitespace tokens at span edges and drops spans whose weakest token probability is
   below ``threshold``.

``set_annotations`` keeps the entities already in ``doc.ents`` and adds only predictions
that overlap none of them, so the component can run before ``imr_entity_rules`` (whose
``overwrite_ents`` then replaces overlapping model spans) or after it (filling gaps).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy
from spacy.attrs import ENT_IOB, IS_SPACE
from spacy.attrs import IDS as ATTR_IDS
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.scorer import get_ner_prf
from spacy.tokens import Doc, Span
from spacy.training import Example, validate_examples, validate_get_examples
from spacy.util import registry
from spacy.vocab import Vocab
from thinc.api import Config, Model, Softmax_v2, chain

ARCHITECTURE = "imr_nlp.HashWindowTagger.v1"
DEFAULT_MODEL_CONFIG = f"""
[model]
@architectures = "{ARCHITECTURE}"
attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE"]
windows = [3, 1, 1, 1]
n_bits = 17
n_hashes = 1
hidden_width = 0
"""
_MOVES = ("B", "I", "L", "U")  # tag id = 1 + 4 * label index + move index; 0 is O
_GOLDEN = numpy.uint64(0x9E3779B97F4A7C15)  # 2**64 / golden ratio, odd: a bijective mixer


# ---------------------------------------------------------------------------- model


def window_features(
    docs: Sequence[Doc], attrs: Sequence[int], windows: Sequence[int], seeds: numpy.ndarray, n_bits: int
) -> numpy.ndarray:
    """Bucket ids, shape (total tokens, columns x hashes): one column per (attribute, offset).

    The attribute values are already 64-bit string hashes; each column XORs its own seed and
    multiplies by an odd constant, and the top ``n_bits`` bits are the bucket. Tokens outside
    a doc read a padding key of 0, so doc edges are features of their own.
    """
    width = max(windows)
    arrays = [doc.to_array(list(attrs)).reshape(len(doc), len(attrs)) for doc in docs]
    lengths = [len(a) for a in arrays]
    pad = numpy.zeros((width, len(attrs)), dtype=numpy.uint64)
    padded = numpy.concatenate([pad, *[x for a in arrays for x in (a, pad)]]).astype(numpy.uint64, copy=False)
    firsts = numpy.cumsum([width] + [n + width for n in lengths[:-1]])
    positions = numpy.concatenate(
        [numpy.arange(first, first + n) for first, n in zip(firsts, lengths, strict=True)]
    )
    keys = numpy.stack(
        [padded[positions + offset, a] for a, w in enumerate(windows) for offset in range(-w, w + 1)], axis=1
    )
    seeds = seeds.reshape(-1, keys.shape[1])  # (hashes, columns)
    shift = numpy.uint64(64 - n_bits)
    ids = numpy.empty((keys.shape[0], keys.shape[1] * len(seeds)), dtype=numpy.uint64)
    for k, row in enumerate(seeds):
        part = ids[:, k * keys.shape[1] : (k + 1) * keys.shape[1]]
        numpy.bitwise_xor(keys, row, out=part)
        part *= _GOLDEN
        part >>= shift
    return ids.view(numpy.int64)  # bucket ids are < 2**n_bits: the same values as int64


def HashWindowFeatures(
    attrs: Sequence[str], windows: Sequence[int], n_bits: int, n_hashes: int, nO: int | None, linear: bool
) -> Model[list[Doc], Any]:
    """Sum of embedding rows of the hashed window features plus a bias: ``List[Doc]`` -> ``(tokens, nO)``."""
    if len(attrs) != len(windows) or not attrs:
        raise ValueError("attrs and windows must be non-empty and of the same length")
    attr_ids = [ATTR_IDS[a.upper()] for a in attrs]
    n_columns = sum(2 * w + 1 for w in windows)
    rng = numpy.random.RandomState(1234)
    seeds = rng.randint(1, 2**62, size=n_columns * n_hashes, dtype=numpy.int64)
    return Model(
        "imr_hash_window",
        _features_forward,
        init=_features_init,
        dims={"nO": nO, "nV": 2**n_bits},
        params={"E": None, "b": None},
        attrs={"attr_ids": attr_ids, "windows": list(windows), "n_bits": n_bits, "seeds": seeds.tolist(),
               "linear": linear},
    )


def gather_columns(table: numpy.ndarray, ids: numpy.ndarray, chunk: int = 4096) -> numpy.ndarray:
    """``table[ids].sum(axis=0)`` for column-major ``ids`` ``(columns, tokens)``.

    Rows are summed one column at a time over chunks of tokens, so the running sum and the
    gathered rows stay in the CPU cache (about 3x faster than whole-batch gathers, and no
    (tokens, columns, width) temporary).
    """
    n, width = ids.shape[1], table.shape[1]
    out = numpy.zeros((n, width), dtype="f")
    buffer = numpy.empty((min(chunk, n), width), dtype="f")
    for first in range(0, n, chunk):
        part = out[first : first + chunk]
        rows = buffer[: len(part)]
        for column in ids:
            numpy.take(table, column[first : first + chunk], axis=0, out=rows)
            part += rows
    return out


def gather_sum(table: numpy.ndarray, ids: numpy.ndarray, chunk: int = 2048) -> numpy.ndarray:
    """``table[ids].sum(axis=1)`` for row-major ``ids`` ``(tokens, columns)``."""
    return gather_columns(table, numpy.ascontiguousarray(ids.T), chunk)


def _features_init(model: Model, X: Any = None, Y: Any = None) -> None:
    n_rows, width = model.get_dim("nV"), model.get_dim("nO")
    n_columns = len(model.attrs["seeds"])
    if model.attrs["linear"]:  # convex: start at zero
        model.set_param("E", model.ops.alloc2f(n_rows, width))
    else:
        scale = (1.0 / n_columns) ** 0.5
        table = numpy.random.RandomState(0).normal(0.0, scale, (n_rows, width)).astype("f")
        model.set_param("E", model.ops.asarray2f(table))
    model.set_param("b", model.ops.alloc1f(width))


def _features_forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[Any, Callable]:
    seeds = numpy.asarray(model.attrs["seeds"], dtype=numpy.uint64)
    table, bias = model.get_param("E"), model.get_param("b")
    if not any(len(doc) for doc in docs):
        return numpy.zeros((0, table.shape[1]), dtype="f"), lambda d_out: []
    ids = window_features(docs, model.attrs["attr_ids"], model.attrs["windows"], seeds, model.attrs["n_bits"])
    out = gather_sum(table, ids)
    out += bias

    def backprop(d_out: Any) -> list:
        grad = numpy.zeros_like(table)
        for column in range(ids.shape[1]):
            numpy.add.at(grad, ids[:, column], d_out)
        model.inc_grad("E", grad)
        model.inc_grad("b", d_out.sum(axis=0))
        return []

    return out, backprop


def _softmax_forward(model: Model, X: Any, is_train: bool) -> tuple[Any, Callable]:
    """Softmax without weights in training (the backward pass expects d(loss)/d(logits) =
    probs - truth); at inference the logits pass unchanged (argmax needs no softmax)."""
    if not is_train:
        return X, lambda dY: dY
    shifted = X - X.max(axis=1, keepdims=True)
    numpy.exp(shifted, out=shifted)
    shifted /= shifted.sum(axis=1, keepdims=True)
    return shifted, lambda d_probs: d_probs


def _relu_forward(model: Model, X: Any, is_train: bool) -> tuple[Any, Callable]:
    mask = X > 0
    return X * mask, lambda dY: dY * mask


@registry.architectures(ARCHITECTURE)
def build_hash_window_tagger(
    attrs: list[str], windows: list[int], n_bits: int, n_hashes: int, hidden_width: int, nO: int | None = None
) -> Model[list[Doc], Any]:
    """Hashed window features summed into tag logits (``hidden_width`` 0: linear) or into a
    ReLU layer of that width followed by a softmax layer; one ``(tokens, nO)`` array per batch."""
    if hidden_width > 0:
        features = HashWindowFeatures(attrs, windows, n_bits, n_hashes, hidden_width, False)
        output = Softmax_v2(nO=nO, nI=hidden_width, normalize_outputs=False)
        model = chain(features, Model("imr_relu", _relu_forward), output)
    else:
        features = HashWindowFeatures(attrs, windows, n_bits, n_hashes, nO, True)
        output = features
        model = chain(features, Model("imr_softmax", _softmax_forward))
    model.set_ref("features", features)
    model.set_ref("output", output)
    return model


# ---------------------------------------------------------------------------- decoding


def tags_to_spans(tags: numpy.ndarray) -> list[tuple[int, int, int]]:
    """Valid, non-overlapping ``(start, end, label index)`` token spans for any BILUO tag ids.

    A span starts at a non-O token whose label differs from the previous token's, whose
    move is B or U, or whose predecessor is L or U; it runs to the next start or O.
    """
    n = len(tags)
    if n == 0:
        return []
    tags = numpy.asarray(tags, dtype=numpy.int64)
    inside = tags > 0
    if not inside.any():
        return []
    label = numpy.where(inside, (tags - 1) // 4, -1)
    move = numpy.where(inside, (tags - 1) % 4, -1)
    prev_label = numpy.concatenate([[-1], label[:-1]])
    prev_move = numpy.concatenate([[-1], move[:-1]])
    start = inside & ((label != prev_label) | (move == 0) | (move == 3) | (prev_move >= 2))
    next_start = numpy.concatenate([start[1:], [True]])
    next_inside = numpy.concatenate([inside[1:], [False]])
    end = inside & (next_start | ~next_inside)
    starts = numpy.flatnonzero(start)
    ends = numpy.flatnonzero(end) + 1
    return list(zip(starts.tolist(), ends.tolist(), label[starts].tolist(), strict=True))


def _tag_confidence(logits: numpy.ndarray, tags: numpy.ndarray) -> numpy.ndarray:
    """Softmax probability of the chosen tag, computed for the non-O tokens only (O: 1.0)."""
    confidence = numpy.ones(len(tags), dtype="f")
    rows = numpy.flatnonzero(tags)
    if len(rows):
        chosen = logits[rows]
        confidence[rows] = 1.0 / numpy.exp(chosen - chosen.max(axis=1, keepdims=True)).sum(axis=1)
    return confidence


# ---------------------------------------------------------------------------- component


class LinearEntityTagger(TrainablePipe):
    """BILUO tagger over hashed window features; adds entities that overlap no existing one."""

    def __init__(self, vocab: Vocab, model: Model, name: str = "imr_linear_ner", *, threshold: float = 0.0) -> None:
        self.vocab = vocab
        self.model = model
        self.name = name
        # The threshold comes from the pipeline config (not ``cfg``, which from_disk restores),
        # so a sourced model can be given another operating point in the assembled config.
        self.threshold = float(threshold)
        self.cfg: dict[str, Any] = {"labels": []}

    # labels and tags
    @property
    def labels(self) -> tuple[str, ...]:
        """Entity labels, in tag order."""
        return tuple(self.cfg["labels"])

    @property
    def tag_names(self) -> list[str]:
        """``O`` then ``B-``/``I-``/``L-``/``U-`` of every label."""
        return ["O"] + [f"{m}-{label}" for label in self.labels for m in _MOVES]

    def add_label(self, label: str) -> int:
        """Add a label before initialization (the output layer is sized at initialize)."""
        if label in self.cfg["labels"]:
            return 0
        if self.model.get_ref("output").has_dim("nO") is True:
            raise ValueError("imr_linear_ner: labels cannot be added after initialization")
        self.cfg["labels"].append(label)
        return 1

    # prediction
    def predict(self, docs: Iterable[Doc]) -> Any:
        """Tag scores for the batch, ``(total tokens, tags)``: logits (the softmax is only
        computed in training and, in ``set_annotations``, for the tokens of predicted spans)."""
        docs = list(docs)
        if not any(len(doc) for doc in docs):
            return numpy.zeros((0, len(self.tag_names)), dtype="f")
        return self.model.predict(docs)

    def set_annotations(self, docs: Iterable[Doc], scores: Any) -> None:
        """Add the decoded spans that overlap no entity already in ``doc.ents``."""
        scores = numpy.asarray(scores)
        if scores.shape[0] == 0:
            return
        tags = scores.argmax(axis=1)
        threshold = self.threshold
        labels = self.labels
        offset = 0
        for doc in docs:
            n = len(doc)
            first, offset = offset, offset + n
            spans = tags_to_spans(tags[first:offset])
            if not spans:
                continue
            # ENT_IOB 1 (I) or 3 (B): the token is inside an entity set before us.
            info = doc.to_array([ENT_IOB, IS_SPACE])
            taken = (info[:, 0] == 1) | (info[:, 0] == 3)
            space = info[:, 1].astype(bool)
            confidence = _tag_confidence(scores[first:offset], tags[first:offset]) if threshold else None
            new: list[Span] = []
            for start, end, label in spans:
                while start < end and space[start]:
                    start += 1
                while end > start and space[end - 1]:
                    end -= 1
                if start == end or taken[start:end].any():
                    continue
                if confidence is not None and confidence[start:end].min() < threshold:
                    continue
                new.append(Span(doc, start, end, label=labels[label]))
            if new:
                doc.set_ents(new, default="unmodified" if taken.any() else "outside")

    # training
    def get_loss(self, examples: Iterable[Example], scores: Any) -> tuple[float, Any]:
        """Cross-entropy against ``example.get_aligned_ner()``; missing tags ("-", None) get no gradient.

        Tags of labels this component does not predict count as O.
        """
        index = {name: i for i, name in enumerate(self.tag_names)}
        truth: list[int] = []
        for eg in examples:
            for tag in eg.get_aligned_ner():
                if tag is None or tag == "-" or tag == "":
                    truth.append(-1)
                else:
                    truth.append(index.get(tag, 0))
        gold = numpy.asarray(truth, dtype=numpy.int64)
        scores = numpy.asarray(scores)
        if gold.shape[0] != scores.shape[0]:
            raise ValueError(f"imr_linear_ner: {gold.shape[0]} gold tags for {scores.shape[0]} tokens")
        known = gold >= 0
        d_scores = scores.copy()
        rows = numpy.flatnonzero(known)
        d_scores[rows, gold[rows]] -= 1.0
        d_scores[~known] = 0.0
        loss = float(-numpy.log(numpy.clip(scores[rows, gold[rows]], 1e-8, 1.0)).sum())
        return loss, self.model.ops.asarray2f(d_scores)

    def initialize(
        self, get_examples: Callable[[], Iterable[Example]], *, nlp: Language | None = None,
        labels: list[str] | None = None,
    ) -> None:
        """Take the labels (given, else those of the training entities) and size the model."""
        validate_get_examples(get_examples, "LinearEntityTagger.initialize")
        if labels is not None:
            for label in labels:
                self.add_label(label)
        else:
            found = sorted({ent.label_ for eg in get_examples() for ent in eg.reference.ents})
            for label in found:
                self.add_label(label)
        if not self.labels:
            raise ValueError("imr_linear_ner: no entity labels in the training examples")
        n_tags = len(self.tag_names)
        self.model.get_ref("output").set_dim("nO", n_tags)
        sample = [eg.predicted for _, eg in zip(range(10), get_examples())]
        self.model.initialize(X=sample)

    def update(
        self, examples: Iterable[Example], *, drop: float = 0.0, sgd: Any = None,
        losses: dict[str, float] | None = None,
    ) -> dict[str, float]:
        """One gradient step on a batch (dropout is not used: the model is linear/shallow)."""
        examples = list(examples)
        validate_examples(examples, "LinearEntityTagger.update")
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        if not any(len(eg.predicted) for eg in examples):
            return losses
        scores, backprop = self.model.begin_update([eg.predicted for eg in examples])
        loss, d_scores = self.get_loss(examples, scores)
        backprop(d_scores)
        if sgd not in (None, False):
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        """Entity precision / recall / F (``ents_p``, ``ents_r``, ``ents_f``, ``ents_per_type``)."""
        validate_examples(examples, "LinearEntityTagger.score")
        return get_ner_prf(examples)


@Language.factory(
    "imr_linear_ner",
    default_config={"model": Config().from_str(DEFAULT_MODEL_CONFIG)["model"], "threshold": 0.0},
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_linear_ner(nlp: Language, name: str, model: Model, threshold: float) -> LinearEntityTagger:
    """Build the linear entity tagger; ``threshold`` drops spans whose weakest token is less sure."""
    return LinearEntityTagger(nlp.vocab, model, name, threshold=threshold)
