"""``imr_diagnosis_tagger``: a trained tagger that corrects the rules' DIAGNOSIS spans.

It runs after ``imr_entity_rules`` and reads what the rules know as input features, so it
learns where the rules are wrong (boundaries, condition words the lexicon does not have)
and copies them where they are right:

- the rule tag of each token: B/I/L/U of a rule DIAGNOSIS span, the label of any other
  rule entity, or O;
- lexicon classes of each token's lowercase form, from ``data/diagnoses*.json`` (last word
  of a condition head, other head word, generic head such as "pain", location, side,
  qualifier, abbreviation, excluded follower such as "management");
- the letter section the token sits in (``doc.spans["sections"]``);
- hashed window features of the words around it (NORM, PREFIX, SUFFIX, SHAPE), and
  conjunctions (rule tag x lexicon class, rule tag x word, the rule tags of the
  neighbours); ``WINDOWS`` says which are used and how far.

Each feature column is hashed into one shared table whose rows are summed into BILUO tag
scores for DIAGNOSIS (a linear model; numpy only, no Python loop per token). Decoding
turns the argmax tags into candidate spans; each candidate (with the rule DIAGNOSIS spans
it overlaps) is decided by comparing the log-probabilities of two valid BILUO paths over
those tokens, the model's and the rules': the model's wins when it is ahead by ``margin``
(for a new span, ahead of the all-O path). ``merge`` says what the model may change:

- ``"extend"`` (shipped, ``data/config.cfg``): spans that overlap no rule entity are
  added, and a rule DIAGNOSIS span may be replaced only by a longer span containing it
  (the rules' usual error is cutting a condition phrase short); nothing the rules found
  is removed or cut;
- ``"new"``: only spans that overlap no rule entity are added;
- ``"add"`` (factory default): a winning span may also replace the rule DIAGNOSIS spans it
  overlaps (a boundary correction); rule spans no candidate overlaps are kept;
- ``"replace"``: DIAGNOSIS is the model's output alone (a rule span with no candidate is
  dropped when the all-O path beats it by ``margin``).

Predicted spans never override another label's rule entity (CITATION, DRUG, ...). The
lexicon features come from the lexicon ``imr_nlp.normalize.diagnoses`` has loaded, so a
changed lexicon changes the features at once (the training script relies on that).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy
from spacy.attrs import ENT_IOB, ENT_TYPE, IS_SPACE, LOWER, NORM, PREFIX, SHAPE, SUFFIX
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.scorer import get_ner_prf
from spacy.strings import StringStore
from spacy.tokens import Doc, Span
from spacy.training import Example, validate_examples
from spacy.util import minibatch, registry
from spacy.vocab import Vocab
from thinc.api import Config, Model

from .labels import RULES_KEY
from .linear_ner import _GOLDEN
from .normalize import diagnoses
from .resources import data_file, rule_data_by_key, using

ARCHITECTURE = "imr_nlp.RuleFeatureTagger.v1"
LABEL = "DIAGNOSIS"
MERGES = ("add", "extend", "new", "replace")
TAGS = ("O", f"B-{LABEL}", f"I-{LABEL}", f"L-{LABEL}", f"U-{LABEL}")
DEFAULT_MODEL_CONFIG = f"""
[model]
@architectures = "{ARCHITECTURE}"
n_bits = 16
"""

# Base columns per token (all uint64 keys; 0 is reserved for "outside the doc").
BASE_COLUMNS = _BASE = ("norm", "prefix", "suffix", "shape", "rule", "lex", "section", "rule_lex", "rule_norm", "rule_trigram")
# Neighbours on each side per base column.
# (-1: column left out). Picked on the dev letters and the unseen-vocabulary simulation:
# fewer word-identity columns generalize as well and cost less.
WINDOWS = {
    "norm": 1, "prefix": 0, "suffix": 1, "shape": 0, "rule": 2, "lex": 2, "section": 0,
    "rule_lex": 1, "rule_norm": -1, "rule_trigram": 0,
}
_MIX = (numpy.uint64(0xBF58476D1CE4E5B9), numpy.uint64(0x94D049BB133111EB), numpy.uint64(0xD6E8FEB86659FD93))
_SECTION_KEY = "sections"
_STRINGS = StringStore()

# Lexicon classes (bit flags) of a lowercase token.
LEX_CLASSES = ("head_last", "head_word", "generic_head", "location", "side", "qualifier", "abbreviation", "follower")


def _hash(word: str) -> int:
    return int(_STRINGS.add(word))


def _words(phrase: str) -> list[str]:
    return [w for w in re.split(r"[^a-z0-9']+", phrase.lower()) if w]


def _plurals(word: str) -> set[str]:
    forms = {word, word + "s", word + "es"}
    if word.endswith("y"):
        forms.add(word[:-1] + "ies")
    return forms


_LEX_CACHE: dict[int, tuple[numpy.ndarray, numpy.ndarray]] = {}
_LEX_BUCKETS = 2**16
_LEX_SHIFT = numpy.uint64(64 - 16)


def lexicon_table() -> tuple[numpy.ndarray, numpy.ndarray]:
    """LOWER hashes and their class bit masks by bucket, from the lexicon the rules use now.

    Rebuilt whenever ``diagnoses.load_lexicon`` builds a new lexicon (its cache cleared
    after a change), so features always match the rules."""
    key = id(diagnoses.load_lexicon())
    if key in _LEX_CACHE:
        return _LEX_CACHE[key]
    data = diagnoses._read()
    flags: dict[str, int] = {}

    def mark(words: Iterable[str], cls: str) -> None:
        bit = 1 << LEX_CLASSES.index(cls)
        for word in words:
            flags[word] = flags.get(word, 0) | bit

    for group in data["heads"].values():
        for phrase in group:
            words = _words(phrase)
            if words:
                mark(_plurals(words[-1]), "head_last")
                mark(words[:-1], "head_word")
    mark((f for w in data["bound_heads"]["words"] for f in _plurals(w.lower())), "generic_head")
    pre, post = data["premodifiers"], data["postmodifiers"]
    mark((w for p in pre["location"] + post["nouns"] for w in _words(p)), "location")
    mark((w for p in pre["laterality"] for w in _words(p)), "side")
    mark((w for p in pre["qualifiers"] + pre["pain_type"] for w in _words(p)), "qualifier")
    mark((w for a in data["abbreviations"] for w in _words(a)), "abbreviation")
    mark((w for p in data["exclude"]["following_words"] for w in _words(p)), "follower")
    # A direct-mapped table: bucket = top bits of (hash * golden); the stored hash
    # confirms a hit. A word whose bucket is taken by an earlier word is dropped (with a
    # few thousand words in 2**16 buckets that is a handful of rare words).
    keys = numpy.zeros(_LEX_BUCKETS, dtype=numpy.uint64)
    values = numpy.zeros(_LEX_BUCKETS, dtype=numpy.uint64)
    for word, bits in sorted(flags.items()):
        h = numpy.uint64(_hash(word))
        with numpy.errstate(over="ignore"):
            b = int((h * _GOLDEN) >> _LEX_SHIFT)
        if keys[b] == 0:
            keys[b], values[b] = h, bits
    _LEX_CACHE.clear()
    _LEX_CACHE[key] = (keys, values)
    return keys, values


_LEX_SLOTS: dict[int, tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray, numpy.ndarray]] = {}


def _lexicon_slots() -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """:func:`lexicon_table` in a form that stays in the CPU cache: per bucket the slot of its
    word (uint16, 0: empty), and per slot the word's LOWER hash and class bits (slot 0: none)."""
    keys, values = lexicon_table()
    cached = _LEX_SLOTS.get(id(keys))
    if cached is None or cached[0] is not keys:
        used = numpy.flatnonzero(keys)
        slots = numpy.zeros(len(keys), dtype=numpy.uint16 if len(used) < 2**16 - 1 else numpy.uint32)
        slots[used] = numpy.arange(1, len(used) + 1)
        words = numpy.zeros(len(used) + 1, dtype=numpy.uint64)
        words[1:] = keys[used]
        bits = numpy.zeros(len(used) + 1, dtype=numpy.uint64)
        bits[1:] = values[used]
        cached = (keys, slots, words, bits)
        _LEX_SLOTS.clear()
        _LEX_SLOTS[id(keys)] = cached
    return cached[1], cached[2], cached[3]


def _mix(keys: numpy.ndarray, k: int, out: numpy.ndarray | None = None) -> numpy.ndarray:
    out = numpy.multiply(keys, _MIX[k % 3], out=out)
    out ^= out >> numpy.uint64(29)
    return out


# The token attributes the features and the decoding read (one ``doc.to_array`` call).
_ATTRS = [NORM, PREFIX, SUFFIX, SHAPE, LOWER, ENT_IOB, ENT_TYPE, IS_SPACE]
_LABEL_KEY = numpy.uint64(_hash(LABEL))
_O_RULE = numpy.uint64(7)
_EDGE_RULE = numpy.uint64(3)
# rule move of a DIAGNOSIS token by (it begins a span) * 2 + (the next token continues it):
# L, I, U, B (moves 3, 2, 4, 1, plus 10)
_MOVES = numpy.asarray([13, 12, 14, 11], dtype=numpy.uint64)


def _token_array(doc: Doc) -> numpy.ndarray:
    """``(len(doc), len(_ATTRS))`` uint64 token attributes."""
    return doc.to_array(_ATTRS).reshape(len(doc), len(_ATTRS))


def token_keys(doc: Doc) -> numpy.ndarray:
    """``(len(doc), len(_BASE))`` uint64 keys of the base feature columns (never 0)."""
    return _padded_keys(doc, 0).T


def _padded_keys(doc: Doc, width: int) -> numpy.ndarray:
    """The base feature keys of one doc column-major, ``(len(_BASE), width + len(doc) +
    width)``, with zero keys (outside the doc: a feature of its own) in the margins: the
    doc's part of :func:`batch_keys` for a batch of one."""
    keys, _, firsts = batch_keys([doc], width)
    first = int(firsts[0])
    return numpy.ascontiguousarray(keys[:, first - width : first + len(doc) + width])


_PLANS: dict[tuple[int, ...], tuple[numpy.ndarray, numpy.ndarray, int]] = {}


def _plan(windows: Sequence[int]) -> tuple[numpy.ndarray, numpy.ndarray, int]:
    """(base column, offset + width) of each feature column, and the width of the widest window."""
    key = tuple(windows)
    if key not in _PLANS:
        width = max(max(windows), 0)
        pairs = [(c, width + off) for c, w in enumerate(windows) if w >= 0 for off in range(-w, w + 1)]
        _PLANS[key] = (
            numpy.asarray([c for c, _ in pairs], dtype=numpy.intp),
            numpy.asarray([o for _, o in pairs], dtype=numpy.intp),
            width,
        )
    return _PLANS[key]


def doc_feature_ids(doc: Doc, seeds: numpy.ndarray, n_bits: int, windows: Sequence[int]) -> numpy.ndarray:
    """Bucket ids ``(columns, len(doc))`` of one doc: every base column at every offset of
    its window (``windows[i]`` neighbours on each side of base column ``i``; a negative
    number leaves it out), each (column, offset) hashed with its own seed."""
    columns, offsets, width = _plan(windows)
    padded = _padded_keys(doc, width)
    # windows[c, i, k] = padded[c, i + k]: the (2 * width + 1) keys around token i
    step = padded.strides[1]
    windows_view = numpy.ndarray(
        (len(_BASE), len(doc), 2 * width + 1), numpy.uint64, padded, strides=(padded.strides[0], step, step)
    )
    ids = windows_view[columns, :, offsets]
    ids ^= seeds[:, None]
    ids *= _GOLDEN
    ids >>= numpy.uint64(64 - n_bits)
    return ids.view(numpy.int64)


def feature_ids(docs: Sequence[Doc], seeds: numpy.ndarray, n_bits: int, windows: Sequence[int]) -> numpy.ndarray:
    """Bucket ids ``(columns, tokens)`` of the docs laid end to end (:func:`doc_feature_ids`)."""
    parts = [doc_feature_ids(doc, seeds, n_bits, windows) for doc in docs if len(doc)]
    if not parts:
        return numpy.zeros((n_columns(windows), 0), dtype=numpy.int64)
    return numpy.concatenate(parts, axis=1)


def batch_keys(docs: Sequence[Doc], width: int) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """The base feature keys of non-empty docs laid end to end: ``(len(_BASE), P)`` column-major with ``max(width, 1)`` zero columns
    before, between and after the docs (so no window or rule trigram reaches into another
    doc), the token attributes ``(P, len(_ATTRS))`` (zero rows between the docs) and the
    position of each doc's first token. One pass of numpy operations for the whole batch."""
    pad = max(width, 1)
    lengths = [len(doc) for doc in docs]
    firsts = numpy.cumsum([pad] + [n + pad for n in lengths[:-1]]) if docs else numpy.zeros(0, dtype=numpy.intp)
    total = (int(firsts[-1]) + lengths[-1] + pad) if docs else pad
    arr = numpy.zeros((total, len(_ATTRS)), dtype=numpy.uint64)
    token = numpy.zeros(total, dtype=bool)
    for doc, first, n in zip(docs, firsts.tolist(), lengths, strict=True):
        arr[first : first + n] = _token_array(doc)
        token[first : first + n] = True
    one = numpy.uint64(1)
    keys = numpy.empty((len(_BASE), total), dtype=numpy.uint64)
    keys[:4] = arr[:, :4].T
    keys[:4] |= one
    # rule tag: B/I/L/U of DIAGNOSIS, the label hash of other entities, else O; the zero
    # rows between docs are outside any entity
    iob, etype = arr[:, 5], arr[:, 6]
    inside = (iob == 1) | (iob == 3)
    code = (iob == 3).astype(numpy.intp) * 2
    code[:-1] += iob[1:] == 1
    rule = keys[4]
    rule[:] = _O_RULE
    numpy.copyto(rule, etype, where=inside)
    numpy.copyto(rule, _MOVES[code], where=inside & (etype == _LABEL_KEY))
    # lexicon classes of the lowercase form, from the lexicon of the entity rules that ran
    # on each doc (a pipeline whose rules hold an edited lexicon records it on the doc;
    # docs in a row with the same rules share one lookup)
    lex = keys[5]
    lex[:] = 0
    rule_keys = [doc.user_data.get(RULES_KEY) for doc in docs]
    bounds = [0] + [k for k in range(1, len(docs)) if rule_keys[k] is not rule_keys[k - 1]] + [len(docs)]
    for a, b in zip(bounds[:-1], bounds[1:], strict=False):
        if a == b:
            continue
        lo = int(firsts[a])
        hi = int(firsts[b - 1]) + lengths[b - 1]
        with using(rule_data_by_key(rule_keys[a])):
            slots, words, bits = _lexicon_slots()
        lower = arr[lo:hi, 4]
        slot = slots.take((lower * _GOLDEN) >> _LEX_SHIFT)
        numpy.copyto(lex[lo:hi], bits.take(slot), where=words.take(slot) == lower)
    lex += one
    section = keys[6]
    section[:] = one
    for doc, first in zip(docs, firsts.tolist(), strict=True):
        if _SECTION_KEY in doc.spans:
            for span in doc.spans[_SECTION_KEY]:
                section[first + span.start : first + span.end] = span.label
    _mix(rule, 0, out=keys[7])
    keys[7] ^= lex
    _mix(rule, 1, out=keys[8])
    keys[8] ^= arr[:, 0]
    # (previous, own, next rule tag): the rows between docs read as the doc's edge
    rule[~token] = _EDGE_RULE
    around = numpy.empty(total + 2, dtype=numpy.uint64)
    around[0] = around[-1] = _EDGE_RULE
    around[1:-1] = rule
    trigram = _mix(around[:-2], 0, out=keys[9])
    trigram ^= rule
    _mix(trigram, 2, out=trigram)
    trigram ^= around[2:]
    keys[:, ~token] = 0
    return keys, arr, firsts


def batch_feature_ids(
    padded: numpy.ndarray, seeds: numpy.ndarray, n_bits: int, windows: Sequence[int]
) -> numpy.ndarray:
    """Bucket ids ``(columns, P - 2 * width)`` of every position of :func:`batch_keys`'s keys
    whose window fits (position ``p`` is column ``p - width``), as :func:`doc_feature_ids`."""
    columns, offsets, width = _plan(windows)
    n = padded.shape[1] - 2 * width
    step = padded.strides[1]
    windows_view = numpy.ndarray(
        (len(_BASE), n, 2 * width + 1), numpy.uint64, padded, strides=(padded.strides[0], step, step)
    )
    ids = windows_view[columns, :, offsets]
    ids ^= seeds[:, None]
    ids *= _GOLDEN
    ids >>= numpy.uint64(64 - n_bits)
    return ids.view(numpy.int64)


def sum_rows(table: numpy.ndarray, ids: numpy.ndarray, chunk: int = 2048) -> numpy.ndarray:
    """``table[ids].sum(axis=0)`` for ``ids`` ``(columns, tokens)``: the rows of each token
    added column after column (the order of :func:`imr_nlp.linear_ner.gather_columns`, so
    the float32 sums are the same), over chunks of tokens that stay in the CPU cache."""
    n = ids.shape[1]
    if n <= chunk:
        return numpy.add.reduce(table.take(ids, axis=0), axis=0)
    out = numpy.empty((n, table.shape[1]), dtype=table.dtype)
    for first in range(0, n, chunk):
        numpy.add.reduce(table.take(ids[:, first : first + chunk], axis=0), axis=0, out=out[first : first + chunk])
    return out


def n_columns(windows: Sequence[int]) -> int:
    return sum(2 * w + 1 for w in windows if w >= 0)


# ---------------------------------------------------------------------------- model


def _init(model: Model, X: Any = None, Y: Any = None) -> None:
    model.set_param("E", model.ops.alloc2f(model.get_dim("nV"), model.get_dim("nO")))
    model.set_param("b", model.ops.alloc1f(model.get_dim("nO")))


def _forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[Any, Callable]:
    seeds = numpy.asarray(model.attrs["seeds"], dtype=numpy.uint64)
    table, bias = model.get_param("E"), model.get_param("b")
    if not any(len(doc) for doc in docs):
        return numpy.zeros((0, table.shape[1]), dtype="f"), lambda d_out: []
    ids = feature_ids(docs, seeds, model.attrs["n_bits"], model.attrs["windows"])
    drop = model.attrs.get("drop", 0.0) if is_train else 0.0
    if drop > 0:  # feature dropout: a dropped feature reads the last row, which never learns
        ids[numpy.random.random_sample(ids.shape) < drop] = table.shape[0] - 1
    out = sum_rows(table, ids)
    out += bias
    if not is_train:
        return out, lambda d_out: []
    probs = out - out.max(axis=1, keepdims=True)
    numpy.exp(probs, out=probs)
    probs /= probs.sum(axis=1, keepdims=True)

    def backprop(d_probs: Any) -> list:
        grad = numpy.zeros_like(table)
        for column in ids:
            numpy.add.at(grad, column, d_probs)
        grad[-1] = 0.0
        model.inc_grad("E", grad)
        model.inc_grad("b", d_probs.sum(axis=0))
        return []

    return probs, backprop


@registry.architectures(ARCHITECTURE)
def build_rule_feature_tagger(n_bits: int = 16, windows: list[int] | None = None) -> Model[list[Doc], Any]:
    """Linear BILUO scorer over hashed rule, lexicon, section and window features:
    ``List[Doc]`` -> ``(tokens, 5)`` (logits at inference, probabilities in training).

    windows: neighbours on each side for the base columns, in the order of ``BASE_COLUMNS``
        (-1 leaves a column out); default ``WINDOWS``."""
    windows = [WINDOWS[name] for name in _BASE] if windows is None else list(windows)
    if len(windows) != len(_BASE):
        raise ValueError(f"windows needs {len(_BASE)} numbers, one per base column {_BASE}")
    seeds = numpy.random.RandomState(4321).randint(1, 2**62, size=n_columns(windows), dtype=numpy.int64)
    return Model(
        "imr_rule_feature_tagger",
        _forward,
        init=_init,
        dims={"nO": len(TAGS), "nV": 2**n_bits},
        params={"E": None, "b": None},
        attrs={"n_bits": n_bits, "seeds": seeds.tolist(), "windows": windows, "drop": 0.0},
    )



# ---------------------------------------------------------------------------- decoding


def log_probs(scores: numpy.ndarray) -> numpy.ndarray:
    """Log-softmax of the tag logits, row by row."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    return shifted - numpy.log(numpy.exp(shifted).sum(axis=1, keepdims=True))


def path_score(scores: numpy.ndarray, first: int, last: int, spans: list[tuple[int, int]]) -> float:
    """Log-probability of tokens ``first:last`` tagged as the BILUO path of ``spans`` (O elsewhere)."""
    return _path_logp(log_probs(scores[first:last]), first, last, spans)


def _path_logp(logp: numpy.ndarray, first: int, last: int, spans: list[tuple[int, int]]) -> float:
    """:func:`path_score` from the log-probabilities of tokens ``first:last`` (computed once
    for the paths compared over the same tokens)."""
    tags = numpy.zeros(last - first, dtype=numpy.int64)
    for start, end in spans:
        a, b = max(start, first) - first, min(end, last) - first
        if b - a == 1:
            tags[a] = 4
        elif b > a:
            tags[a], tags[a + 1 : b - 1], tags[b - 1] = 1, 2, 3
    return float(logp[numpy.arange(last - first), tags].sum())


def candidate_spans(tags: numpy.ndarray) -> list[tuple[int, int]]:
    """``(start, end)`` of the valid spans of BILUO tag ids (0 O, 1 B, 2 I, 3 L, 4 U): the
    spans of :func:`imr_nlp.linear_ner.tags_to_spans` for one label, computed from the
    tagged tokens only. A span starts at a tagged token whose predecessor is untagged, L or
    U, or which is B or U; it runs to the next start or untagged token."""
    index = numpy.flatnonzero(tags)
    if not len(index):
        return []
    move = tags[index]
    after = numpy.ones(len(index), dtype=bool)  # the previous token is untagged, L or U
    after[1:] = (index[1:] != index[:-1] + 1) | (move[:-1] >= 3)
    start = after | (move == 1) | (move == 4)
    end = numpy.ones(len(index), dtype=bool)  # the next token is untagged or starts a span
    end[:-1] = (index[1:] != index[:-1] + 1) | start[1:]
    return list(zip(index[start].tolist(), (index[end] + 1).tolist(), strict=True))


def _trimmed(spans: list[tuple[int, int]], other: numpy.ndarray, space: numpy.ndarray) -> list[tuple[int, int]]:
    """``spans`` without their leading and trailing whitespace tokens, less the spans left
    empty and those on a token of ``other`` (another label's entity)."""
    if not spans:
        return []
    bounds = numpy.asarray(spans, dtype=numpy.intp)
    solid = numpy.flatnonzero(~space)  # the tokens that are not whitespace
    first, last = numpy.searchsorted(solid, bounds.T)  # the span's solid tokens: solid[first:last]
    keep = first < last
    first, last = solid[first[keep]], solid[last[keep] - 1] + 1
    seen = numpy.zeros(len(other) + 1, dtype=numpy.intp)  # other tokens before each position
    numpy.cumsum(other, out=seen[1:])
    clear = seen[last] == seen[first]
    return list(zip(first[clear].tolist(), last[clear].tolist(), strict=True))


def decide_spans(
    scores: numpy.ndarray, rule: list[tuple[int, int]], other: numpy.ndarray, space: numpy.ndarray,
    margin: float, merge: str, *, tags: numpy.ndarray | None = None,
    candidates: list[tuple[int, int]] | None = None,
) -> list[tuple[int, int]]:
    """DIAGNOSIS token spans from the tag scores and the rule spans (``tags``: the argmax of
    ``scores`` if already computed; ``candidates``: the candidates if already computed).

    Candidates are the argmax tags made into valid spans (whitespace trimmed, spans on
    another label's entity dropped). Each candidate group (candidates and the rule spans
    they overlap) is decided by comparing two valid BILUO paths over the tokens they cover:
    the model's spans win when their log-probability beats the rules' (or, for a new
    span, the all-O path) by ``margin``. With ``merge="replace"`` a rule span no candidate
    overlaps is dropped when the all-O path beats it by ``margin``.
    """
    scores = numpy.asarray(scores, dtype="f")
    if candidates is None:
        candidates = _trimmed(candidate_spans(scores.argmax(axis=1) if tags is None else tags), other, space)
    result = list(rule)
    if not candidates and merge != "replace":
        return result
    rule_set = set(rule)
    if merge in ("extend", "new") and rule_set.issuperset(candidates):
        return sorted(result)  # every candidate is a rule span: each group keeps its rule spans
    # group overlapping candidates and rule spans
    items = sorted([(s, e, 0) for s, e in candidates] + [(s, e, 1) for s, e in rule])
    groups: list[list[tuple[int, int, int]]] = []
    reach = 0  # the end of the last group
    for item in items:
        if groups and item[0] < reach:
            groups[-1].append(item)
            reach = max(reach, item[1])
        else:
            groups.append([item])
            reach = item[1]
    out: list[tuple[int, int]] = []
    for group in groups:
        model = [(s, e) for s, e, kind in group if kind == 0]
        ruled = [(s, e) for s, e, kind in group if kind == 1]
        if model and set(model) <= rule_set and sorted(model) == sorted(ruled):
            out += ruled
            continue
        first, last = group[0][0], max(e for _, e, _ in group)
        if ruled and merge == "new":
            out += ruled
            continue
        if ruled and merge == "extend" and not all(
            any(ms <= rs and re <= me for ms, me in model) for rs, re in ruled
        ):
            out += ruled  # "extend": a rule span may only grow
            continue
        logp = log_probs(scores[first:last])
        if not model:
            keep = merge != "replace" or _path_logp(logp, first, last, ruled) + margin >= _path_logp(
                logp, first, last, [])
            out += ruled if keep else []
            continue
        if _path_logp(logp, first, last, model) >= _path_logp(logp, first, last, ruled) + margin:
            out += model
        else:
            out += ruled
    return sorted(out)

# ---------------------------------------------------------------------------- component


def resolve_weights(path: str | Path) -> Path:
    """A weights path: absolute, or relative to the current folder, else to ``imr_nlp/data``."""
    path = Path(path)
    if path.is_absolute() or path.exists():
        return path
    return Path(str(data_file(str(path))))


class DiagnosisTagger(TrainablePipe):
    """Re-tags DIAGNOSIS from the rule entities, lexicon classes, sections and words."""

    def __init__(
        self, vocab: Vocab, model: Model, name: str = "imr_diagnosis_tagger", *, merge: str = "add",
        margin: float = 0.0,
    ) -> None:
        if merge not in MERGES:
            raise ValueError(f"imr_diagnosis_tagger: merge must be one of {MERGES}, not {merge!r}")
        self.vocab = vocab
        self.model = model
        self.name = name
        self.merge = merge
        self.margin = float(margin)
        self.cfg: dict[str, Any] = {"labels": [LABEL]}
        self._seed_cache: tuple[list, numpy.ndarray] | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        return (LABEL,)

    def predict(self, docs: Iterable[Doc]) -> Any:
        """Tag logits for the batch, ``(total tokens, 5)``."""
        docs = list(docs)
        if not any(len(doc) for doc in docs):
            return numpy.zeros((0, len(TAGS)), dtype="f")
        return self.model.predict(docs)

    def __call__(self, doc: Doc) -> Doc:
        """Tag one doc (:meth:`pipe` with a batch of one: same result as ``predict`` then
        ``set_annotations``)."""
        if self.model._func is not _forward:  # another architecture: the generic path
            return super().__call__(doc)
        try:
            self._tag_batch([doc])
            return doc
        except Exception as e:
            self.get_error_handler()(self.name, self, [doc], e)
            return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Tag a stream of docs a batch at a time: the features, scores and candidate spans
        of a batch are computed in one pass (each doc's exactly as alone), then decided doc
        by doc."""
        if self.model._func is not _forward:
            yield from super().pipe(stream, batch_size=batch_size)
            return
        error_handler = self.get_error_handler()
        for docs in minibatch(stream, size=batch_size):
            try:
                self._tag_batch(docs)
                yield from docs
            except Exception as e:
                error_handler(self.name, self, docs, e)

    def _tag_batch(self, docs: Sequence[Doc]) -> None:
        docs = [doc for doc in docs if len(doc)]
        if not docs:
            return
        windows = self.model.attrs["windows"]
        width = _plan(windows)[2]
        padded, arr, firsts = batch_keys(docs, width)
        ids = batch_feature_ids(padded, self._seeds(), self.model.attrs["n_bits"], windows)
        table, bias = self.model.get_param("E"), self.model.get_param("b")
        scores = sum_rows(table, ids)  # row p - width: position p of the batch
        scores += bias
        # positions are rows of ``scores`` (the margins of the batch dropped)
        self._decide_batch(docs, scores, arr[width : len(arr) - width], firsts - width)

    def _decide_batch(
        self, docs: Sequence[Doc], scores: numpy.ndarray, arr: numpy.ndarray, firsts: numpy.ndarray
    ) -> None:
        """Set the DIAGNOSIS entities of non-empty ``docs`` laid end to end with gap rows
        between them: row ``firsts[k] + i`` of ``scores`` (tag scores) and ``arr`` (token
        attributes, zero in the gaps) is token ``i`` of ``docs[k]``."""
        lengths = [len(doc) for doc in docs]
        token = numpy.zeros(len(arr), dtype=bool)
        for first, n in zip(firsts.tolist(), lengths, strict=True):
            token[first : first + n] = True
        tags = scores.argmax(axis=1)
        tags[~token] = 0
        replace = self.merge == "replace"
        if not replace and not tags.any():
            return  # nothing predicted: the rule entities stay as they are
        iob, etype = arr[:, 5], arr[:, 6]
        inside = (iob == 1) | (iob == 3)
        diag = inside & (etype == _LABEL_KEY)
        other = numpy.zeros(len(arr) + 1, dtype=bool)
        other[:-1] = inside & ~diag
        candidates = _trimmed(candidate_spans(tags), other, arr[:, 7].astype(bool))
        if not replace and not candidates:
            return
        starts = numpy.flatnonzero(diag & (iob == 3))
        ends = numpy.flatnonzero(diag & ~numpy.append(iob[1:] == 1, False)) + 1
        # the candidates and rule spans of each doc, in its own token offsets
        by_doc: dict[int, list[tuple[int, int]]] = {}
        owner = numpy.searchsorted(firsts, [s for s, _ in candidates], side="right") - 1
        for k, (s, e) in zip(owner.tolist(), candidates, strict=True):
            first = int(firsts[k])
            by_doc.setdefault(k, []).append((s - first, e - first))
        rule_owner = (numpy.searchsorted(firsts, starts, side="right") - 1).tolist()
        rule_by_doc: dict[int, list[tuple[int, int]]] = {}
        for k, s, e in zip(rule_owner, starts.tolist(), ends.tolist(), strict=True):
            first = int(firsts[k])
            rule_by_doc.setdefault(k, []).append((s - first, e - first))
        for k in range(len(docs)) if replace else sorted(by_doc):
            doc, first = docs[k], int(firsts[k])
            local = by_doc.get(k, [])
            rule_diag = rule_by_doc.get(k, [])
            if not replace and self.merge != "add" and set(rule_diag).issuperset(local):
                continue  # every candidate is a rule span: the rule spans stay
            last = first + lengths[k]
            spans = decide_spans(
                scores[first:last], rule_diag, other[first : last + 1], arr[first:last, 7].astype(bool),
                self.margin, self.merge, candidates=local,
            )
            if spans == rule_diag:
                continue
            ents = [e for e in doc.ents if e.label_ != LABEL] + [Span(doc, s, e, label=LABEL) for s, e in spans]
            doc.set_ents(sorted(ents, key=lambda s: s.start), default="outside")

    def _seeds(self) -> numpy.ndarray:
        seeds = self.model.attrs["seeds"]
        if self._seed_cache is None or self._seed_cache[0] is not seeds:
            self._seed_cache = (seeds, numpy.asarray(seeds, dtype=numpy.uint64))
        return self._seed_cache[1]

    def set_annotations(self, docs: Iterable[Doc], scores: Any) -> None:
        """Set the entities from ``predict``'s scores (one row per token of the docs laid end
        to end), decided as :meth:`pipe` decides them."""
        scores = numpy.asarray(scores)
        docs = [doc for doc in docs if len(doc)]
        if not docs:
            return
        # one gap row after each doc, as the batch path lays docs out
        lengths = [len(doc) for doc in docs]
        firsts = numpy.cumsum([0] + [n + 1 for n in lengths[:-1]])
        laid = numpy.zeros((sum(lengths) + len(docs), scores.shape[1]), dtype=scores.dtype)
        arr = numpy.zeros((len(laid), len(_ATTRS)), dtype=numpy.uint64)
        offset = 0
        for doc, first, n in zip(docs, firsts.tolist(), lengths, strict=True):
            laid[first : first + n] = scores[offset : offset + n]
            arr[first : first + n] = _token_array(doc)
            offset += n
        self._decide_batch(docs, laid, arr, firsts)

    # training
    def get_loss(self, examples: Iterable[Example], probs: Any) -> tuple[float, Any]:
        """Cross-entropy against the gold DIAGNOSIS BILUO tags (other labels count as O)."""
        index = {name: i for i, name in enumerate(TAGS)}
        truth: list[int] = []
        for eg in examples:
            for tag in eg.get_aligned_ner():
                if tag is None or tag in ("-", ""):
                    truth.append(-1)
                else:
                    truth.append(index.get(tag, 0))
        gold = numpy.asarray(truth, dtype=numpy.int64)
        probs = numpy.asarray(probs)
        if gold.shape[0] != probs.shape[0]:
            raise ValueError(f"imr_diagnosis_tagger: {gold.shape[0]} gold tags for {probs.shape[0]} tokens")
        rows = numpy.flatnonzero(gold >= 0)
        d_probs = probs.copy()
        d_probs[rows, gold[rows]] -= 1.0
        d_probs[gold < 0] = 0.0
        loss = float(-numpy.log(numpy.clip(probs[rows, gold[rows]], 1e-8, 1.0)).sum())
        return loss, self.model.ops.asarray2f(d_probs)

    def initialize(
        self, get_examples: Callable[[], Iterable[Example]], *, nlp: Language | None = None,
        weights: str | None = None,
    ) -> None:
        """Size the model; with ``weights`` (a folder written by ``to_disk``; relative paths
        are looked up in ``imr_nlp/data``) load the trained weights instead."""
        if weights:
            self.model.initialize()
            self.from_disk(resolve_weights(weights), exclude=["vocab"])
            return
        sample = [eg.predicted for _, eg in zip(range(10), get_examples())]
        self.model.initialize(X=sample or None)

    def update(
        self, examples: Iterable[Example], *, drop: float = 0.0, sgd: Any = None,
        losses: dict[str, float] | None = None,
    ) -> dict[str, float]:
        """One gradient step on a batch whose predicted docs carry the rule entities."""
        examples = list(examples)
        validate_examples(examples, "DiagnosisTagger.update")
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        if not any(len(eg.predicted) for eg in examples):
            return losses
        self.model.attrs["drop"] = float(drop or 0.0)
        probs, backprop = self.model.begin_update([eg.predicted for eg in examples])
        self.model.attrs["drop"] = 0.0
        loss, d_probs = self.get_loss(examples, probs)
        backprop(d_probs)
        if sgd not in (None, False):
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        """DIAGNOSIS precision / recall / F (``ents_p``, ``ents_r``, ``ents_f``, ``ents_per_type``)."""
        validate_examples(examples, "DiagnosisTagger.score")
        per_type = get_ner_prf(examples).get("ents_per_type") or {}
        cell = per_type.get(LABEL, {"p": 0.0, "r": 0.0, "f": 0.0})
        return {"ents_p": cell["p"], "ents_r": cell["r"], "ents_f": cell["f"], "ents_per_type": {LABEL: cell}}

    def add_label(self, label: str) -> int:
        if label != LABEL:
            raise ValueError(f"imr_diagnosis_tagger only predicts {LABEL}")
        return 0


@Language.factory(
    "imr_diagnosis_tagger",
    default_config={"model": Config().from_str(DEFAULT_MODEL_CONFIG)["model"], "merge": "add", "margin": 0.0},
    assigns=["doc.ents", "token.ent_iob", "token.ent_type"],
    requires=["doc.ents"],
    default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0, "ents_per_type": None},
)
def make_diagnosis_tagger(nlp: Language, name: str, model: Model, merge: str, margin: float) -> DiagnosisTagger:
    """Build the DIAGNOSIS tagger that reads the rule entities (place it after ``imr_entity_rules``)."""
    return DiagnosisTagger(nlp.vocab, model, name, merge=merge, margin=margin)
