"""``imr_items``: one record per disputed item, linked to outcome, guidelines and rationale.

The work is done by :func:`find_items`, a pure function of the letter text; the component
stores its result in ``doc._.items`` (plain dicts in the shape of the JSON contract,
SPEC §4–§5) and adds warnings for what it could not parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .extensions import StatelessComponent, add_warning, doc_text, register_extensions, release_text
from .normalize.citations import parse_citations
from .normalize.mme import DEFAULT_TABLE, tables
from .normalize.treatment import parse_treatment
from .resources import letter_templates
from .sections import find_sections
from .text_layout import Layout, layout_of

_PREAMBLE = re.compile(r"(?:set\s+forth\s+below|services?\s+listed\s+below)\s*:\s*$", re.I)
_TRAILING_IS = re.compile(r"\s+is\s*$", re.I)
_SENTENCE_END = re.compile(r"[.!?][\"')\]]?\s*$")
_MAX_HEADER_LINES = 4


def span_record(text: str, start: int, end: int) -> dict[str, Any]:
    """The ``{"start", "end", "text"}`` record of a character span of ``text``."""
    return {"start": start, "end": end, "text": text[start:end]}


@dataclass
class _Header:
    start: int  # request start
    end: int  # end of the whole header (after the outcome sentence)
    request: tuple[int, int]
    outcome: str
    original_request: tuple[int, int] | None = None
    ur_authorized: tuple[int, int] | None = None


def _decisions_region(text: str, layout: Layout) -> tuple[int, int, bool]:
    """Start and end of the decisions section; ``found`` is False when it has no heading."""
    templates = letter_templates()
    start = next((s.start for s in find_sections(text) if s.label == "decisions"), None)
    found = start is not None
    if start is None:
        start = 0
    else:
        start = layout.lines[layout.line_at(start)].end  # skip the heading line itself
    end_match = templates.decisions_end.search(text, start)
    end = end_match.start() if end_match else len(text)
    return start, end, found


def _request_start(layout: Layout, colon: int, floor: int) -> int:
    """Walk back from the header line holding ``colon`` to the start of its paragraph."""
    lines = layout.lines
    first = layout.line_at(colon)
    i = first
    while i - 1 >= 0 and lines[i - 1].start >= floor:
        prev = i - 1
        if layout.is_break[prev] or _PREAMBLE.search(lines[prev].text):
            break
        i = prev
    # Content lines of the candidate header, from the start line to the colon line.
    content = [k for k in range(i, first + 1) if not layout.is_skippable(k)]
    if len(content) > _MAX_HEADER_LINES:
        # No visible paragraph break before the header: cut after the last sentence end,
        # unless the header is a partial-certification statement made of sentences.
        block = layout.text[lines[content[0]].start : colon]
        if "original request" not in " ".join(block.split()).lower():
            for k in reversed(content[:-1]):
                if _SENTENCE_END.search(lines[k].text):
                    content = [c for c in content if c > k]
                    break
            else:
                content = content[-_MAX_HEADER_LINES:]
    return lines[content[0]].start if content else lines[first].start


def _split_partial(text: str, start: int, end: int, header: _Header) -> None:
    """Fill request / original_request / ur_authorized of a partial-certification header."""
    templates = letter_templates()
    segment = text[start:end]
    for pattern in templates.partial_certification:
        match = pattern.search(segment)
        if not match:
            continue
        groups = match.groupdict()
        header.request = (start + match.start("request"), start + match.end("request"))
        header.original_request = (
            start + match.start("original_request"),
            start + match.end("original_request"),
        )
        auth = "ur_authorized" if groups.get("ur_authorized") else "ur_authorized_b"
        if groups.get(auth):
            header.ur_authorized = (start + match.start(auth), start + match.end(auth))
        return
    trailing = _TRAILING_IS.search(segment)
    if trailing:
        header.request = (start, start + trailing.start())


def _outcome_headers(text: str, layout: Layout, start: int, end: int) -> list[_Header]:
    """2014+ headers: "<request>: Upheld|Overturned" (outcome possibly on the next line)."""
    templates = letter_templates()
    headers: list[_Header] = []
    floor = start
    for match in templates.outcome_header.finditer(text, start, end):
        colon = match.start()
        req_start = _request_start(layout, colon, floor)
        req_start, req_end = layout.trim(req_start, colon)
        if req_end <= req_start:
            continue
        outcome = templates.outcome_words[match.group("outcome").lower()]
        header = _Header(req_start, match.end(), (req_start, req_end), outcome)
        _split_partial(text, req_start, req_end, header)
        headers.append(header)
        floor = match.end()
    return headers


def _numbered_headers(text: str, start: int, end: int) -> list[_Header]:
    """2013 headers: "1. <request> is (not) medically necessary and appropriate."."""
    templates = letter_templates()
    outcomes = templates.numbered_outcome
    headers = []
    for match in templates.numbered_header.finditer(text, start, end):
        outcome = outcomes["negated"] if match.group("negation") else outcomes["plain"]
        req = (match.start("request"), match.end("request"))
        headers.append(_Header(match.start(), match.end(), req, outcome))
    return headers


def _norm(value: str) -> str:
    return " ".join(re.sub(r"[^\w/#%.]+", " ", value.lower()).split())


def _label_positions(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """First occurrence of each body label in ``[start, end)``: (label start, label end, key)."""
    templates = letter_templates()
    found = []
    for key, patterns in templates.body_labels.items():
        for pattern in patterns:
            match = pattern.search(text, start, end)
            if match:
                found.append((match.start(), match.end(), key))
                break
    return sorted(found)


def find_items(
    text: str, layout: Layout | None = None, *, mme_table: str = DEFAULT_TABLE
) -> tuple[list[dict[str, Any]], list[str]]:
    """Find the disputed items of a letter (``mme_table``: the MME conversion table).

    RETURNS: (items, warnings) — items as JSON-contract dicts (treatment read from the
    request header, guideline lines parsed into citations), warnings as strings.
    """
    layout = layout or layout_of(text)
    original, text = layout.original, layout.match_text  # match on ``text``, report slices of ``original``
    warnings: list[str] = []
    start, end, found = _decisions_region(text, layout)
    headers = _outcome_headers(text, layout, start, end)
    if not headers:  # 2013 templates: numbered items
        headers = _dedupe_numbered(text, _numbered_headers(text, start, end), end)
    headers.sort(key=lambda h: h.start)

    items = []
    for i, header in enumerate(headers):
        body_end = headers[i + 1].start if i + 1 < len(headers) else end
        items.append(_item_record(original, layout, header, body_end, warnings, mme_table))
    return items, warnings


def _dedupe_numbered(text: str, headers: list[_Header], end: int) -> list[_Header]:
    """One header per request: early 2013 notices list every item in a summary and again
    in the decisions; keep the occurrence followed by its own rationale, else the last."""
    ordered = sorted(headers, key=lambda h: h.start)
    chosen: dict[str, tuple[bool, _Header]] = {}
    for i, header in enumerate(ordered):
        key = _norm(text[header.request[0] : header.request[1]])
        body_end = ordered[i + 1].start if i + 1 < len(ordered) else end
        has_body = bool(_label_positions(text, header.end, body_end))
        if key not in chosen or has_body or not chosen[key][0]:
            chosen[key] = (has_body, header)
    return [header for _, header in chosen.values()]


def _item_record(
    text: str, layout: Layout, header: _Header, body_end: int, warnings: list[str], mme_table: str = DEFAULT_TABLE
) -> dict[str, Any]:
    labels = _label_positions(layout.match_text, header.end, body_end)
    spans: dict[str, tuple[int, int] | None] = {
        "claims_administrator_guideline": None,
        "reviewer_guideline": None,
        "rationale": None,
    }
    for k, (_, label_end, key) in enumerate(labels):
        next_label = labels[k + 1][0] if k + 1 < len(labels) else body_end
        if key == "rationale":
            span_end = body_end
        else:
            span_end = layout.paragraph_end(label_end, next_label)
        s, e = layout.trim(label_end, span_end)
        spans[key] = (s, e) if e > s else None
    request_text = text[header.request[0] : header.request[1]]
    if spans["rationale"] is None:
        warnings.append(f"no decision rationale found for item {' '.join(request_text.split())!r}")

    def guideline(key: str) -> dict[str, Any] | None:
        span = spans[key]
        if span is None:
            return None
        citations = [
            {**c, "start": c["start"] + span[0], "end": c["end"] + span[0]}
            for c in parse_citations(text[span[0] : span[1]])
        ]
        return {**span_record(text, *span), "citations": citations}

    item_warnings: list[str] = []
    treatment = parse_treatment(request_text, header.request[0], table=mme_table, warnings=item_warnings)
    return {
        "request": span_record(text, *header.request),
        "outcome": header.outcome,
        "original_request": span_record(text, *header.original_request) if header.original_request else None,
        "ur_authorized": span_record(text, *header.ur_authorized) if header.ur_authorized else None,
        "treatment": treatment,
        "claims_administrator_guideline": guideline("claims_administrator_guideline"),
        "reviewer_guideline": guideline("reviewer_guideline"),
        "rationale": span_record(text, *spans["rationale"]) if spans["rationale"] else None,
        "warnings": item_warnings,
    }


class ItemLinker(StatelessComponent):
    """Sets ``doc._.items`` from the decisions section of the letter."""

    def __init__(self, nlp: Language, name: str, *, mme_table: str = DEFAULT_TABLE) -> None:
        self.name = name
        if mme_table not in tables():
            raise ValueError(f"unknown MME table {mme_table!r}; choose one of {tables()}")
        self.mme_table = mme_table
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        items, warnings = find_items(text, mme_table=self.mme_table)
        doc._.items = items
        for warning in warnings:
            add_warning(doc, warning)
        if text.strip() and not items:
            add_warning(doc, "no disputed items found")
        release_text(doc)  # the last imr component: drop the cached text
        return doc


@Language.factory(
    "imr_items", default_config={"mme_table": DEFAULT_TABLE}, assigns=["doc._.items", "doc._.imr_warnings"]
)
def make_item_linker(nlp: Language, name: str, mme_table: str) -> ItemLinker:
    """Build the item linker (layout patterns come from ``data/letter_templates.json``;
    ``mme_table``: MME conversion factors, ``cdc2016`` or ``cdc2022``, see ``data/mme_factors.json``)."""
    return ItemLinker(nlp, name, mme_table=mme_table)
