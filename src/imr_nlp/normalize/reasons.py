"""Reasons of a decision rationale: the label set and the sentence splitter they share.

Pure functions (no spaCy): the rule component, the trainable classifier and the corpus
scripts all cut a rationale into the same sentences, so an evidence span is always one of
them. Offsets are character offsets into the text given (the rationale text).
"""

from __future__ import annotations

import re

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
