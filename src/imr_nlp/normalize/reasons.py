"""Reasons of a decision rationale: the label set and the sentence splitter they share.

Pure functions (no spaCy): the rule component, the trainable classifier and the corpus
scripts all cut a rationale into the same sentences, so an evidence span is always one of
them. Offsets are character offsets into the text given (the rationale text).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..resources import active_data

REASONS = (
    "not_recommended",
    "no_functional_improvement",
    "exceeds_limits",
    "indication_not_documented",
    "monitoring_not_documented",
    "request_incomplete",
    "depends_on_other_request",
    "criteria_met",
    "other",
)

# A sentence ends at . ! or ? (optionally followed by a closing quote or bracket) that is
# followed by whitespace and then an upper-case letter, a digit or an opening bracket/quote.
_BOUNDARY = re.compile(r"[.!?][\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9])")
# Words whose trailing period does not end a sentence ("Dr. Smith", "e.g. ACOEM", "p. 79").
_ABBREVIATIONS = frozenset(
    "dr mr mrs ms e.g i.e vs etc no nos fig pg pp p approx ca al st jr sr inc dept sec ch vol u.s".split()
)
_LAST_WORD = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_BLANK_LINES = re.compile(r"\n[ \t\f\r]*\n")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text``, whitespace trimmed, in order.

    Also cuts at blank lines (a paragraph never continues a sentence in these letters,
    except across a page join, which leaves the sentence unfinished: no cut there unless the
    text before the blank line ends like a sentence).
    """
    cuts: set[int] = set()
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        word = _LAST_WORD.search(text, max(0, match.start() - 12), match.start() + 1)
        if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
            continue
        if text[match.start()] == "." and re.search(r"\b[A-Z]\.$", text[max(0, match.start() - 2) : match.start() + 1]):
            continue  # an initial ("J. Smith", "U.S.")
        cuts.add(end)
    for match in _BLANK_LINES.finditer(text):
        before = text[: match.start()].rstrip()
        if before.endswith((".", "!", "?", ":", ";")):
            cuts.add(match.start())
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in [*sorted(cuts), len(text)]:
        s, e = start, cut
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
        start = cut
    return spans


# ---------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class _Pattern:
    weight: int
    regex: re.Pattern
    anchor: tuple[str, ...] = ()  # terms one of which every match contains (lower-case text)
    negated: bool = False  # every match starts with a negation word


@dataclass(frozen=True)
class ReasonRules:
    """Compiled ``reasons_patterns.json``: per reason, weighted patterns, exclusions, outcomes."""

    patterns: dict[str, tuple[_Pattern, ...]]
    exclude: dict[str, tuple[re.Pattern, ...]]
    outcomes: dict[str, frozenset[str]]
    fallback: frozenset[str]


def _compile(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


def _anchor(words: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The search terms of the ``any`` words: the longest word of each (a phrase may be split
    by a line break in the letter), lower case, for ``str.find`` on the lower-cased text —
    far cheaper than running a pattern that starts with an alternation."""
    terms: list[str] = []
    for phrase in words:
        term = max(phrase.lower().split(), key=len)
        if term not in terms:
            terms.append(term)
    return tuple(terms)


def _anchored_sentences(lowered: str, terms: tuple[str, ...], starts: list[int]) -> set[int]:
    """Indices of the sentences (by start offset) that contain one of ``terms``."""
    found: set[int] = set()
    for term in terms:
        i = lowered.find(term)
        while i != -1:
            k = bisect_right(starts, i) - 1
            found.add(k)
            # skip to the next sentence: one hit per sentence is enough
            i = lowered.find(term, starts[k + 1]) if k + 1 < len(starts) else -1
    return found


def reason_rules(name: str = "reasons_patterns.json") -> ReasonRules:
    """The compiled reason patterns of the rule data in use (compiled once per component's
    data, see ``resources.active_data``)."""
    return active_data().compiled(("reasons.rules", name), lambda data: compile_reason_rules(data[name], name))


def compile_reason_rules(content: dict[str, Any], name: str = "reasons_patterns.json") -> ReasonRules:
    """Compile (and check) the content of a reason pattern file."""
    raw = content["reasons"]
    unknown = set(raw) - set(REASONS)
    if unknown:
        raise ValueError(f"{name}: unknown reasons {sorted(unknown)}")
    return ReasonRules(
        patterns={
            r: tuple(
                _Pattern(int(p["weight"]), _compile(p["pattern"]), _anchor(p.get("any", ())), bool(p.get("negated")))
                for p in spec["patterns"]
            )
            for r, spec in raw.items()
        },
        exclude={r: tuple(_compile(p) for p in spec.get("exclude", [])) for r, spec in raw.items()},
        outcomes={r: frozenset(spec.get("outcomes", ["upheld", "overturned"])) for r, spec in raw.items()},
        fallback=frozenset(r for r, spec in raw.items() if spec.get("fallback")),
    )


_NEGATIONS = frozenset("no not lack absence without fail fails failed none insufficient yet".split())
_WORD = re.compile(r"[a-z]+")


def _flat(text: str) -> str:
    return " ".join(text.split())


def sentence_hits(
    text: str, sentences: list[tuple[int, int]], rules: ReasonRules | None = None, reasons: tuple[str, ...] = REASONS
) -> dict[str, list[int]]:
    """``{reason: [weight of the best pattern matching sentence k, or 0, for each k]}`` (outcome ignored).

    A pattern with ``any`` words is only tried on the sentences that contain one of them
    (found with ``str.find`` on the lower-cased text); one without scans the whole
    rationale once, and a match counts for the sentence it starts in when it ends inside
    it (else the pattern is tried on that sentence alone). Exclusions are tried only on
    sentences that matched.
    """
    rules = rules or reason_rules()
    starts = [s for s, _ in sentences]
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer: no anchors
        lowered = None
    negated: set[int] | None = None  # sentences with a negation word, computed when needed
    hits: dict[str, list[int]] = {}
    for reason in reasons:
        weights = [0] * len(sentences)
        for pattern in rules.patterns.get(reason, ()):
            if pattern.anchor and lowered is not None:
                # Only the sentences holding an anchor word (and a negation) can match.
                candidates = _anchored_sentences(lowered, pattern.anchor, starts)
                if pattern.negated and candidates:
                    if negated is None:
                        negated = {
                            k for k, (s, e) in enumerate(sentences) if not _NEGATIONS.isdisjoint(_WORD.findall(lowered, s, e))
                        }
                    candidates &= negated
                for k in candidates:
                    if k >= 0 and weights[k] < pattern.weight and pattern.regex.search(text, *sentences[k]):
                        weights[k] = pattern.weight
                continue
            for match in pattern.regex.finditer(text):
                k = bisect_right(starts, match.start()) - 1
                if k < 0 or weights[k] >= pattern.weight:
                    continue
                s, e = sentences[k]
                if match.end() > e and not pattern.regex.search(text, s, e):
                    continue
                weights[k] = pattern.weight
        excludes = rules.exclude.get(reason, ())
        if excludes:
            for k, weight in enumerate(weights):
                if weight:
                    sentence = _flat(text[sentences[k][0] : sentences[k][1]])
                    if any(x.search(sentence) for x in excludes):
                        weights[k] = 0
        hits[reason] = weights
    return hits


_NECESSARY = re.compile(r"medically\s+necessary", re.IGNORECASE)


def rule_reasons(text: str, outcome: str | None, rules: ReasonRules | None = None) -> list[dict[str, Any]]:
    """The reasons the rules find in a rationale: ``[{"reason", "start", "end"}]`` (offsets into
    ``text``, the evidence sentence), in the order of :data:`REASONS`."""
    if rules is None:  # the packaged patterns: hits shared with the classifier (imr_reasons)
        sentences, hits = rationale_hits(text)
        return reasons_from_hits(text, list(sentences), hits, outcome)
    sentences = split_sentences(text)
    if not sentences:
        return []
    wanted = tuple(r for r in REASONS if outcome is None or outcome in rules.outcomes[r])
    return reasons_from_hits(text, sentences, sentence_hits(text, sentences, rules, wanted), outcome, rules)


def rationale_hits(text: str) -> tuple[tuple[tuple[int, int], ...], dict[str, list[int]]]:
    """The sentences of a rationale and the :func:`sentence_hits` of the patterns in use for
    every reason, kept for the last rationales: ``imr_reasons_rules`` and ``imr_reasons`` (which
    uses them as features) read the same rationale one after the other. Do not modify the result."""
    return _rationale_hits(text, active_data())


@lru_cache(maxsize=256)  # keyed on the rule data too: two pipelines' patterns may differ
def _rationale_hits(text: str, data: Any) -> tuple[tuple[tuple[int, int], ...], dict[str, list[int]]]:
    sentences = split_sentences(text)
    return tuple(sentences), sentence_hits(text, sentences) if sentences else {}


def reasons_from_hits(
    text: str, sentences: list[tuple[int, int]], hits: dict[str, list[int]], outcome: str | None,
    rules: ReasonRules | None = None,
) -> list[dict[str, Any]]:
    """:func:`rule_reasons` from the :func:`sentence_hits` of the rationale (computed once when
    the classifier also uses them as features): the outcome filter, the best sentence, the
    fallback."""
    rules = rules or reason_rules()
    if not sentences:
        return []
    wanted = tuple(r for r in REASONS if outcome is None or outcome in rules.outcomes[r])
    found = []
    for reason in wanted:
        weights = hits.get(reason) or [0]
        best = max(weights)
        if best:
            k = weights.index(best)
        elif reason in rules.fallback and outcome is not None:
            necessary = [i for i, (s, e) in enumerate(sentences) if _NECESSARY.search(text[s:e])]
            k = necessary[-1] if necessary else len(sentences) - 1
        else:
            continue
        start, end = sentences[k]
        found.append({"reason": reason, "start": start, "end": end})
    return found


# ---------------------------------------------------------------------------- scoring


def score_reasons(gold: list[list[dict[str, Any]]], pred: list[list[dict[str, Any]]]) -> dict[str, Any]:
    """Item-level precision / recall / F1 per reason and micro over reasons, plus evidence agreement.

    ``gold`` and ``pred`` hold, per item, lists of ``{"reason", "start", "end"}`` (or
    ``{"label", ...}`` spans). A reason counts once per item. ``evidence_exact`` /
    ``evidence_overlap``: among true positives, the share whose evidence span equals /
    overlaps the gold one.
    """
    counts = {r: {"tp": 0, "fp": 0, "fn": 0, "gold": 0} for r in REASONS}
    exact = overlap = 0
    for g_item, p_item in zip(gold, pred, strict=True):
        g = {(s.get("reason") or s.get("label")): (s["start"], s["end"]) for s in g_item}
        p = {(s.get("reason") or s.get("label")): (s["start"], s["end"]) for s in p_item}
        for reason in REASONS:
            c = counts[reason]
            c["gold"] += reason in g
            if reason in g and reason in p:
                c["tp"] += 1
                exact += g[reason] == p[reason]
                overlap += g[reason][0] < p[reason][1] and p[reason][0] < g[reason][1]
            elif reason in p:
                c["fp"] += 1
            elif reason in g:
                c["fn"] += 1

    def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return {"p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0}

    per_reason = {r: {**c, **prf(c["tp"], c["fp"], c["fn"])} for r, c in counts.items()}
    tp = sum(c["tp"] for c in counts.values())
    fp = sum(c["fp"] for c in counts.values())
    fn = sum(c["fn"] for c in counts.values())
    return {
        "items": len(gold),
        "micro": {"tp": tp, "fp": fp, "fn": fn, **prf(tp, fp, fn)},
        "per_reason": per_reason,
        "evidence_exact": exact / tp if tp else 0.0,
        "evidence_overlap": overlap / tp if tp else 0.0,
    }
