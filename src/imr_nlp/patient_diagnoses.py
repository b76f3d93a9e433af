"""``imr_patient_diagnoses``: the injured worker's own conditions (SPEC §4b) in ``doc._.diagnoses``.

A DIAGNOSIS entity is the patient's when it sits in the clinical case summary (the reviewer's
account of this worker's file: "diagnoses include ...", "diagnosed with ...", imaging findings,
complaints), or in a rationale sentence that speaks of this worker ("the injured worker has
been diagnosed with ...") and quotes no guideline. A hedged condition of this worker ("possible internal derangement", "rule out CRPS") counts.
It is not when its clause negates it ("no
evidence of radiculopathy", "denies numbness"), names it as a risk, a mechanism of injury or
a general statement ("opioids may cause constipation", "patients with neuropathic pain"), or
it is only a mechanism ("cumulative trauma"). Cues are data (``data/patient_diagnoses.json``).

Each condition is listed once, at its first mention: mentions with the same ICD-10-CM code
(or, without a code, the same words) are one condition. Records are
``{"text", "start", "end", "icd10cm"}`` (offsets into the letter text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc

from .extensions import RuleComponent, doc_text, register_extensions
from .normalize.icd10cm import code_mention
from .normalize.pattern_starts import sre_parser as _sre_parser
from .resources import RuleData, active_data, ascii_lower, using

_CUES_FILE = "patient_diagnoses.json"
# A clause ends at a sentence end, a semicolon or colon, or a contrast word.
_CLOSERS = "[\"'\u201d)\\]]*"  # a quote or bracket may close the sentence: 'No fracture." The ...'
# Both break patterns open with the set of their first characters (each branch then checks
# that character with a look-behind), so the regex engine skips every other character in its
# fast search loop. "(?<!\w\w)" after a word's first letter is "\b" before it; the clause
# breaks check it once, before the branches (after a punctuation mark or a newline it always
# holds), so a letter inside a word is given up after one test. The clause breaks are scanned
# on the lowercased letter, so without re.I (the dotted and dotless capital I are what re.I
# would still let "which" match there).
# Same matches as: [.;:!?]CLOSERS(?=\s|$) | \n\s*\n | \b(?:but|however|although|which)\b
_CLAUSE_BREAK = re.compile(
    rf"[.;:!?\nbhaw](?<!\w\w)(?:(?<=[.;:!?]){_CLOSERS}(?=\s|$)|(?<=\n)\s*\n|(?<=b)ut\b|(?<=h)owever\b"
    rf"|(?<=a)lthough\b|(?<=w)h[i\u0130\u0131]ch\b)"
)
# Same matches as: [.!?]CLOSERS(?=\s+[A-Z(\"\u201c]|\s*$) | \n\s*\n
_SENTENCE_BREAK = re.compile(rf"[.!?\n](?:(?<=[.!?]){_CLOSERS}(?=\s+[A-Z(\"\u201c]|\s*$)|(?<=\n)\s*\n)")
_WINDOW = 400
_DIAGNOSIS = get_string_id("DIAGNOSIS")  # the label's hash: ent.label == _DIAGNOSIS is ent.label_ == "DIAGNOSIS"


@dataclass(frozen=True)
class _Cues:
    negation_before: re.Pattern
    pseudo_negation: re.Pattern
    negation_after: re.Pattern
    not_patient_before: re.Pattern
    guideline_sentence: re.Pattern
    not_patient_sentence: re.Pattern
    not_patient_mention: re.Pattern
    patient: re.Pattern
    rationale_claim: re.Pattern
    rationale_self: re.Pattern
    possessive: re.Pattern
    # finds a match exactly where ``pseudo_negation`` does (only then is the clause rewritten)
    pseudo_negation_test: re.Pattern


def _any(patterns: Iterable[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns).replace(" ", r"\s+"))


def _first_chars(items: Any) -> set[str] | None:
    """The characters a match of the parsed regex ``items`` can start with; None when that is
    not known here or the regex can match the empty string."""
    for op, arg in items:
        if op is _sre_parser.AT:  # "\b", "^", "$": zero width
            continue
        if op is _sre_parser.LITERAL:
            return {chr(arg)}
        if op is _sre_parser.IN:
            chars = set()
            for kind, value in arg:
                if kind is _sre_parser.LITERAL:
                    chars.add(chr(value))
                elif kind is _sre_parser.RANGE and value[1] - value[0] < 64:
                    chars.update(map(chr, range(value[0], value[1] + 1)))
                else:  # a negated set, a category such as \w, a wide range
                    return None
            return chars
        if op is _sre_parser.BRANCH:
            out: set[str] = set()
            for alternative in arg[1]:
                first = _first_chars(alternative)
                if first is None:
                    return None
                out |= first
            return out
        if op is _sre_parser.SUBPATTERN and not arg[1] and not arg[2]:  # a group without inline flags
            return _first_chars(arg[3])
        if op in (_sre_parser.MAX_REPEAT, _sre_parser.MIN_REPEAT) and arg[0] >= 1:
            return _first_chars(arg[2])
        return None
    return None


def _any_test(patterns: Iterable[str]) -> re.Pattern:
    """A regex whose ``search`` finds a match exactly where the one of :func:`_any` does (its
    match spans are not the same: use it for yes/no). It opens with the set of characters a
    match can start with, so the regex engine skips every other character in its fast search
    loop, and checks the cue at a candidate with a lookahead inside a one-character lookbehind."""
    plain = _any(patterns)
    parsed = _sre_parser.parse(plain.pattern)
    first = None if parsed.state.flags & ~re.UNICODE else _first_chars(parsed)
    if not first:
        return plain
    chars = "[" + "".join(re.escape(c) for c in sorted(first)) + "]"
    return re.compile(rf"{chars}(?<=(?=(?:{plain.pattern})){chars})")


def _cues() -> _Cues:
    """The compiled cues of the rule data in use (once per component's data)."""
    return active_data().compiled("patient_diagnoses.cues", _build_cues)


def _build_cues(rule_data: RuleData, *, fast: bool = True) -> _Cues:
    """The cues; the ones only tested for a match use :func:`_any_test` (``fast=False``: all
    plain, as the equivalence tests compare)."""
    data = rule_data[_CUES_FILE]
    test = _any_test if fast else _any
    return _Cues(
        test(data["negation_before"]),
        _any(data["pseudo_negation"]),
        _any(data["negation_after"]),
        test(data["not_patient_before"]),
        test(data["guideline_sentence"]),
        test([*data["guideline_sentence"], *data["not_patient_sentence"]]),
        _any(data["not_patient_mention"]),
        test(data["patient_cues"]),
        test(data["rationale_claim_cues"]),
        test(data["rationale_self_cues"]),
        test(data["possessive_before"]),
        test(data["pseudo_negation"]),
    )


def _last_break(pattern: re.Pattern, text: str, begin: int, end: int) -> int:
    """End of the last ``pattern`` match in ``text[begin:end]`` (``begin`` when none). The last
    ``_TAIL`` characters are scanned first: a break pattern's matches cannot overlap, so a
    match found there is also the last one of the whole window; the whole window only when
    the tail has none."""
    tail = max(begin, end - _TAIL)
    last = -1
    for m in pattern.finditer(text, tail, end):
        last = m.end()
    if last >= 0:
        return last
    last = begin
    if tail > begin:
        for m in pattern.finditer(text, begin, end):
            last = m.end()
    return last


_TAIL = 150


def _clause_start(low: str, start: int, floor: int) -> int:
    return _last_break(_CLAUSE_BREAK, low, max(floor, start - _WINDOW), start)


def _sentence_start(text: str, start: int, floor: int) -> int:
    """Start of the sentence that holds ``start`` (``text`` in its original case)."""
    return _last_break(_SENTENCE_BREAK, text, max(floor, start - _WINDOW), start)


def _sentence_end(text: str, end: int, ceiling: int) -> int:
    """End of the sentence that holds ``end`` (``text`` in its original case)."""
    m = _SENTENCE_BREAK.search(text, end, min(ceiling, end + _WINDOW))
    return m.start() if m else min(ceiling, end + _WINDOW)


def is_patient_mention(
    text: str, start: int, end: int, region: tuple[int, int], *, summary: bool, low: str | None = None
) -> bool:
    """Whether the DIAGNOSIS ``text[start:end]`` is stated as the patient's own condition.

    ``region`` is the section it sits in; ``summary`` says whether that is the case summary
    (else a decision rationale, which needs a sentence about this worker). ``low``: the text
    lowercased (same length), when the caller has it.
    """
    cues = _cues()
    if low is None or len(low) != len(text):
        low = ascii_lower(text)
    mention = " ".join(low[start:end].split())
    if cues.not_patient_mention.search(mention):
        return False
    clause = low[_clause_start(low, start, region[0]) : start]
    if cues.pseudo_negation_test.search(clause):
        clause = cues.pseudo_negation.sub(" ", clause)
    if cues.negation_before.search(clause) or cues.not_patient_before.search(clause):
        return False
    # (on a slice: "^" of a pattern does not match at a ``pos`` given to ``match``)
    if cues.negation_after.match(low[end : min(region[1], end + 60)]):
        return False
    s = _sentence_start(text, start, region[0])
    if summary:
        return not cues.guideline_sentence.search(low[s:start])
    sentence = low[s:start] + " " + low[end : _sentence_end(text, end, region[1])]
    if cues.not_patient_sentence.search(sentence):
        return False
    if cues.possessive.search(low, max(s, start - 40), start) or cues.rationale_self.search(low, s, start):
        return True
    return bool(cues.patient.search(low, s, start) and cues.rationale_claim.search(sentence))


def _condition_key(mention: str, icd: dict[str, Any] | None) -> str:
    if icd:
        return icd["code"]
    return " ".join(re.findall(r"[a-z0-9]+", mention.lower()))


def patient_diagnoses(
    text: str,
    mentions: Iterable[tuple[int, int]],
    sections: Iterable[tuple[str, int, int]],
    *,
    data: RuleData | None = None,
) -> list[dict[str, Any]]:
    """The patient's conditions among DIAGNOSIS ``mentions`` (character spans of ``text``),
    each once, in order of first mention. ``sections``: (label, start, end) of the letter.
    ``data``: the rule data to read (default: the data in use, normally the packaged)."""
    with using(data):
        return _patient_diagnoses(text, mentions, sections)


def _patient_diagnoses(
    text: str, mentions: Iterable[tuple[int, int]], sections: Iterable[tuple[str, int, int]]
) -> list[dict[str, Any]]:
    regions = [(label, s, e) for label, s, e in sections if label in ("case_summary", "decisions")]
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    low = ascii_lower(text)
    for start, end in sorted(mentions):
        region = next(((label, s, e) for label, s, e in regions if s <= start < e), None)
        if region is None:
            continue
        label, s, e = region
        if not is_patient_mention(text, start, end, (s, e), summary=label == "case_summary", low=low):
            continue
        mention = text[start:end]
        icd = code_mention(text, start, end)
        key = _condition_key(mention, icd)
        if key in seen:
            continue
        seen.add(key)
        out.append({"text": mention, "start": start, "end": end, "icd10cm": icd})
    return out


class PatientDiagnoses(RuleComponent):
    """Sets ``doc._.diagnoses`` from the DIAGNOSIS entities and the letter sections."""

    # the cues, and the ICD-10-CM tables that code each condition
    DATA_FILES = (_CUES_FILE, "icd10cm_map.json", "icd10cm_codes.json", "diagnoses_icd10cm.json")

    def __init__(self, nlp: Language, name: str, *, span_key: str = "sections") -> None:
        self.name = name
        self.span_key = span_key
        register_extensions()

    def prepare(self) -> None:
        with self.using_data():
            _cues()
            code_mention("lumbar radiculopathy", 0, 20)

    def __call__(self, doc: Doc) -> Doc:
        mentions = [(ent.start_char, ent.end_char) for ent in doc.ents if ent.label == _DIAGNOSIS]
        sections = [(span.label_, span.start_char, span.end_char) for span in doc.spans.get(self.span_key, [])]
        doc._.diagnoses = (
            patient_diagnoses(doc_text(doc), mentions, sections, data=self.data) if mentions else []
        )
        return doc


@Language.factory(
    "imr_patient_diagnoses",
    default_config={"span_key": "sections"},
    requires=["doc.ents", "doc.spans"],
    assigns=["doc._.diagnoses"],
)
def make_patient_diagnoses(nlp: Language, name: str, span_key: str) -> PatientDiagnoses:
    """Build the patient-diagnosis component (cues in ``data/patient_diagnoses.json``)."""
    return PatientDiagnoses(nlp, name, span_key=span_key)


__all__ = ["PatientDiagnoses", "is_patient_mention", "patient_diagnoses"]
