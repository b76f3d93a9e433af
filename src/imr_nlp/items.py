"""``imr_items``: one record per disputed item, linked to outcome, guidelines and rationale.

The work is done by :func:`find_items`, a pure function of the letter text, its sections
and its drug mentions; the component stores its result in ``doc._.items`` (plain dicts in
the shape of the JSON contract) and adds warnings for what it could not parse.

The component composes with the earlier ones through the ``Doc``: it reads the sections
``imr_sections`` wrote to ``doc.spans["sections"]`` and the DRUG entities of ``doc.ents``
(with their normalized ``generic`` / ``drug_class``, ``span._.normalized``) that lie inside
each request; it never finds them itself. Without the sections group (``imr_sections`` did
not run) it raises ``ValueError``. A doc with no entity annotation at all gets a warning
(:data:`NO_ENTITIES`) instead of an error: that is what a misassembled pipeline gives, but
also a letter on which an entity component found nothing and left the tokens unset
(``imr_linear_ner`` does), which an error would stop; its items then have no drugs.

The amounts of a request (strength, quantity, refills, days' supply, frequency) are read
from the request text by the header parser (``normalize.amounts.find_amounts``), not taken
from the DOSE / QUANTITY / FREQUENCY entities: a request header has its own grammar (days'
supply, which no entity label holds; counts without a marker, "Eight physical therapy
sessions"; one strength chosen among several), and the entities follow the stricter
free-text rules.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from .extensions import RuleComponent, add_warning, doc_text, register_extensions, release_text
from .labels import RULES_KEY, normalized_values
from .normalize.citations import parse_citations, parse_guideline_statement
from .normalize.drugs import DrugInfo, lookup_drug
from .normalize.mme import DEFAULT_TABLE, tables
from .normalize.services import describe_service
from .normalize.treatment import parse_treatment
from .resources import letter_templates, rule_data_by_key
from .sections import Section, doc_sections, find_sections, section_of
from .text_layout import Layout, doc_layout, release_layout

# A drug mention: (start, end, lexicon info), offsets into the letter.
DrugMention = tuple[int, int, DrugInfo]

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


@dataclass(frozen=True)
class _Context:
    """What every item of a letter is read against: its layout, sections and drug mentions."""

    layout: Layout
    sections: Sequence[Section]
    drugs: Sequence[DrugMention] | None
    mme_table: str
    # Parsed guideline lines of this letter by (parser, line text): items of one letter
    # often repeat a guideline line word for word.
    parsed: dict[tuple[Any, str], list[dict[str, Any]]] = field(default_factory=dict)
    # Start offsets of ``drugs`` when they are sorted by start (as ``doc.ents`` gives them):
    # each request then finds its mentions by bisection, not by a scan of all the mentions
    # (a long text of many letters has thousands of requests and of drug mentions).
    drug_starts: list[int] | None = None


_PREAMBLE_WINDOW = 1500  # characters after the decisions heading in which the preamble may sit


def _decisions_region(text: str, layout: Layout, sections: Sequence[Section]) -> tuple[int, int, bool]:
    """Start and end of the decisions section; ``found`` is False when it has no heading.

    The region starts after the heading and, when present, after the fixed preamble
    sentence ("The Final Determination was based on decisions for the disputed
    items/services set forth below:"), found across line breaks, blank lines, page
    furniture and glued words, so that it never becomes part of the first request.
    """
    templates = letter_templates()
    decisions = section_of(sections, "decisions")
    start = decisions.start if decisions else None
    found = start is not None
    if start is None:
        start = 0
    else:
        start = layout.lines[layout.line_at(start)].end  # skip the heading line itself
    end_match = templates.decisions_end.search(text, start)
    end = end_match.start() if end_match else len(text)
    preamble = templates.preamble.search(text, start, min(end, start + _PREAMBLE_WINDOW))
    if preamble:
        start = preamble.end()
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
    text: str,
    layout: Layout | None = None,
    *,
    sections: Sequence[Section] | None = None,
    drugs: Sequence[DrugMention] | None = None,
    mme_table: str = DEFAULT_TABLE,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Find the disputed items of a letter (``mme_table``: the MME conversion table).

    ``sections``: the letter's sections (the component passes ``doc.spans["sections"]``);
    ``drugs``: its drug mentions (the component passes the DRUG entities of ``doc.ents``),
    of which those inside a request are that item's drugs. None finds them in ``text``
    (sections) or in each request's text (drugs), for use outside a pipeline.

    RETURNS: (items, warnings) — items as JSON-contract dicts (treatment read from the
    request header, guideline lines parsed into citations), warnings as strings.
    """
    layout = layout or Layout(text)
    if sections is None:
        sections = find_sections(text)
    starts = [d[0] for d in drugs] if drugs is not None else None
    if starts is not None and any(a > b for a, b in zip(starts, starts[1:])):
        starts = None
    context = _Context(layout, sections, drugs, mme_table, drug_starts=starts)
    original, text = layout.original, layout.match_text  # match on ``text``, report slices of ``original``
    warnings: list[str] = []
    start, end, found = _decisions_region(text, layout, sections)
    if not found:
        issue_items = _issue_items(original, context, warnings)
        if issue_items is not None:
            return issue_items, warnings
    headers = _outcome_headers(text, layout, start, end) if found else []
    labelled_lines = bool(headers)  # 2014+ items always have both guideline lines
    if not headers:  # 2013 templates: numbered items (early notices may have no decisions heading)
        headers = _dedupe_numbered(text, _numbered_headers(text, start, end), end)
    if not headers and not found:
        if original.strip():
            warnings.append(
                "layout not recognized: no decisions heading, 'ISSUE AT DISPUTE' section or numbered "
                "determination found, so no items are reported"
            )
        return [], warnings
    headers.sort(key=lambda h: h.start)

    items = []
    for i, header in enumerate(headers):
        body_end = headers[i + 1].start if i + 1 < len(headers) else end
        item = _item_record(original, context, header, body_end, warnings)
        items.append(item)
        if labelled_lines:
            request = " ".join(item["request"]["text"].split())
            for key, name in _GUIDELINE_LINES.items():
                if item[key] is None:
                    warnings.append(f"no {name} line found for item {request!r}")
    return items, warnings


_GUIDELINE_LINES = {
    "claims_administrator_guideline": "claims administrator guideline",
    "reviewer_guideline": "reviewer guideline",
}


def _section_bounds(text: str, label: str, sections: Sequence[Section]) -> tuple[int, int] | None:
    """Body of the section ``label`` (after its heading) as ``(start, end)``, or None."""
    section = section_of(sections, label)
    if section is None:
        return None
    pattern = dict(letter_templates().sections)[label]
    heading = pattern.match(text, section.start) or pattern.search(text, section.start)
    body_start = heading.end() if heading else section.start
    return body_start, section.end


def _entries(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Numbered entries ("1. ...", "2) ...") of ``text[start:end]``, or the whole range as one."""
    entry = letter_templates().issue["entry"]
    marks = [m for m in entry.finditer(text, start, end)]
    if len(marks) < 2:
        if marks and not text[start : marks[0].start()].strip():
            return [(marks[0].end(), end)]
        return [(start, end)]
    bounds = [m.end() for m in marks]
    starts = [m.start() for m in marks]
    return [(bounds[i], starts[i + 1] if i + 1 < len(marks) else end) for i in range(len(marks))]


def _issue_items(text: str, context: _Context, warnings: list[str]) -> list[dict[str, Any]] | None:
    """Items of the 'MEDICAL PROFESSIONAL REVIEW' layout, or None when it is not that layout.

    ISSUE AT DISPUTE lists the requests (numbered when several, often as a question); the
    guideline section and the rationale section follow, numbered the same way when they
    treat several requests. A section that is not split per request is shared by all.
    """
    layout, sections = context.layout, context.sections
    match_text = layout.match_text
    patterns = letter_templates().issue
    issue = _section_bounds(match_text, "issue_at_dispute", sections)
    rationale = _section_bounds(match_text, "issue_rationale", sections)
    if issue is None or rationale is None:
        return None
    guideline = _section_bounds(match_text, "guidelines_relied_upon", sections)
    requests = _entries(match_text, *issue)
    rationales = _entries(match_text, *rationale)
    guidelines = _entries(match_text, *guideline) if guideline else []
    heading = section_of(sections, "issue_rationale")
    heading_text = match_text[heading.start : rationale[0]]
    default_outcome = "upheld" if patterns["heading_negation"].search(heading_text) else "overturned"
    if len(rationales) != len(requests) and len(requests) > 1:
        warnings.append("rationale not split per request: each item gets the whole rationale section")
    items = []
    for i, (req_start, req_end) in enumerate(requests):
        req_start, req_end = layout.trim(req_start, req_end)
        question = patterns["question"].match(match_text, req_start, req_end)
        if question:
            req_start, req_end = layout.trim(question.start("request"), question.end("request"))
        rat = rationales[i] if len(rationales) == len(requests) else rationale
        rat = layout.trim(*rat)
        conclusions = list(patterns["conclusion"].finditer(match_text, *rat))
        outcome = default_outcome
        if conclusions:
            outcome = "upheld" if conclusions[-1].group("negation") else "overturned"
        gl = guidelines[i] if len(guidelines) == len(requests) else guideline
        gl = layout.trim(*gl) if gl else None
        header = _Header(req_start, req_end, (req_start, req_end), outcome)
        spans = {
            "claims_administrator_guideline": None,
            "reviewer_guideline": gl if gl and gl[1] > gl[0] else None,
            "rationale": rat if rat[1] > rat[0] else None,
        }
        items.append(_assemble(text, header, spans, context, parse_guideline_statement))
    return items


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
    text: str, context: _Context, header: _Header, body_end: int, warnings: list[str]
) -> dict[str, Any]:
    layout = context.layout
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
    return _assemble(text, header, spans, context)


def _guideline(
    text: str,
    span: tuple[int, int] | None,
    parse=parse_citations,
    parsed: dict[tuple[Any, str], list[dict[str, Any]]] | None = None,
) -> dict[str, Any] | None:
    """A guideline line with its parsed citations (offsets into ``text``); ``parsed``: the
    letter's lines parsed so far (a line seen before is not parsed again)."""
    if span is None:
        return None
    line = text[span[0] : span[1]]
    found = parsed.get((parse, line)) if parsed is not None else None
    if found is None:
        found = parse(line)
        if parsed is not None:
            parsed[(parse, line)] = found
    else:
        found = _copied(found)  # each item owns its values (as when parsed for it)
    citations = [{**c, "start": c["start"] + span[0], "end": c["end"] + span[0]} for c in found]
    return {**span_record(text, *span), "citations": citations}


def _copied(value: Any) -> Any:
    """A copy of nested dicts and lists (the JSON values of a parse); other values are shared."""
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copied(v) for v in value]
    return value


def request_drugs(
    drugs: Sequence[DrugMention] | None, start: int, end: int, starts: list[int] | None = None
) -> list[DrugMention] | None:
    """The mentions lying wholly inside ``[start, end)``, offsets made relative to ``start``
    (a mention that crosses the request's edge is not the request's); None stays None.
    ``starts``: the mentions' start offsets when ``drugs`` is sorted by start (only the
    mentions starting in ``[start, end]`` are then looked at)."""
    if drugs is None:
        return None
    if starts is not None:
        drugs = drugs[bisect.bisect_left(starts, start) : bisect.bisect_right(starts, end)]
    return [(s - start, e - start, info) for s, e, info in drugs if start <= s and e <= end]


def _assemble(
    text: str,
    header: _Header,
    spans: dict[str, tuple[int, int] | None],
    context: _Context,
    parse=parse_citations,
) -> dict[str, Any]:
    """The item record of every layout: header spans, treatment, guideline lines, rationale."""
    request_text = text[header.request[0] : header.request[1]]
    item_warnings: list[str] = []
    treatment = parse_treatment(
        request_text,
        header.request[0],
        table=context.mme_table,
        warnings=item_warnings,
        drugs=request_drugs(context.drugs, *header.request, context.drug_starts),
    )
    guidelines = {
        key: _guideline(text, spans[key], parse, context.parsed)
        for key in ("claims_administrator_guideline", "reviewer_guideline")
    }
    drug = treatment.get("drug")
    drug_span = (
        (drug["start"] - header.request[0], drug["end"] - header.request[0])
        if drug and drug.get("start") is not None
        else None
    )
    evidence = [c for g in guidelines.values() if g for c in g["citations"]]
    treatment.update(describe_service(request_text, drug_span, evidence))  # SPEC §4a
    return {
        "request": span_record(text, *header.request),
        "outcome": header.outcome,
        "original_request": span_record(text, *header.original_request) if header.original_request else None,
        "ur_authorized": span_record(text, *header.ur_authorized) if header.ur_authorized else None,
        "treatment": treatment,
        **guidelines,
        "rationale": span_record(text, *spans["rationale"]) if spans["rationale"] else None,
        "warnings": item_warnings,
    }


# Span groups of the item parts (doc.spans[key]), labelled with the item's outcome; the
# group "items" holds all parts, labelled "<part>: <outcome>". Span ids are "item-<n>"
# (1-based, the item's position in doc._.items).
ITEM_SPAN_GROUPS = {
    "request": ("items.request", "request"),
    "claims_administrator_guideline": ("items.guideline", "CA guideline"),
    "reviewer_guideline": ("items.guideline", "reviewer guideline"),
    "rationale": ("items.rationale", "rationale"),
}


def set_item_spans(doc: Doc, items: list[dict[str, Any]]) -> None:
    """Put each item's request, guideline lines and rationale in ``doc.spans`` (see ITEM_SPAN_GROUPS)."""
    groups: dict[str, list[Span]] = {"items": []}
    groups.update({key: [] for key, _ in ITEM_SPAN_GROUPS.values()})
    for number, item in enumerate(items, start=1):
        for part, (key, name) in ITEM_SPAN_GROUPS.items():
            value = item.get(part)
            if not value:
                continue
            span_id = f"item-{number}"
            span = doc.char_span(
                value["start"], value["end"], label=item["outcome"], alignment_mode="expand", span_id=span_id
            )
            if span is None or not len(span):
                continue
            groups[key].append(span)
            groups["items"].append(Span(doc, span.start, span.end, label=f"{name}: {item['outcome']}", span_id=span_id))
    for key, spans in groups.items():
        doc.spans[key] = spans


NO_ENTITIES = (
    "{component}: no entity annotation on this letter (did imr_entity_rules or another entity component run "
    "before it?); the drugs of the requests are read from doc.ents, so no item has a drug"
)


def doc_drugs(doc: Doc, text: str | None = None) -> list[DrugMention]:
    """The DRUG entities of ``doc.ents`` with their normalized values (``span._.normalized``);
    ``text``: ``doc.text`` when the caller holds it."""
    drugs = []
    normalized = Span.get_extension("normalized") if Span.has_extension("normalized") else None
    if normalized is not None and normalized[2] is normalized_values:
        # The getter imr_entity_rules registers: a pure function of the rule data that set
        # the entities and the entity's text, so its values are kept per rule data and text
        # (a drug name recurs through letters).
        data = rule_data_by_key(doc.user_data.get(RULES_KEY))
        known: dict[str, DrugInfo] = data.compiled(_DRUG_VALUES, lambda _: {})
        if len(known) > _DRUG_VALUES_LIMIT:
            known.clear()
        text = doc.text if text is None else text
        label = doc.vocab.strings["DRUG"]
        for ent in doc.ents:
            if ent.label != label:
                continue
            start, end = ent.start_char, ent.end_char
            name = text[start:end]
            info = known.get(name)
            if info is None:
                values = normalized_values(ent)
                info = known[name] = DrugInfo(name, values.get("generic"), values.get("drug_class"))
            drugs.append((start, end, info))
        return drugs
    # A DRUG's normalized values depend on its text only (the lexicon look-up): a name
    # repeated through the letter is looked up once.
    infos: dict[str, DrugInfo] = {}
    for ent in doc.ents:
        if ent.label_ == "DRUG":
            text = ent.text
            info = infos.get(text)
            if info is None:
                if normalized:
                    values = ent._.normalized
                    generic, drug_class = values.get("generic"), values.get("drug_class")
                else:  # entities set without imr_entity_rules: the look-up its normalizer makes
                    found = lookup_drug(text)
                    generic, drug_class = (found.generic, found.drug_class) if found else (None, None)
                info = infos[text] = DrugInfo(text, generic, drug_class)
            drugs.append((ent.start_char, ent.end_char, info))
    return drugs


_DRUG_VALUES = "imr_items.drug_values"  # RuleData.compiled key: {DRUG text: DrugInfo}
_DRUG_VALUES_LIMIT = 50_000  # distinct texts kept before the memo starts over


class ItemLinker(RuleComponent):
    """Sets ``doc._.items`` from the decisions section of the letter."""

    # layout, guideline vocabulary, service types and body regions, and for each treatment
    # the drug lexicon and the MME factors
    DATA_FILES = (
        "letter_templates.json",
        "guidelines.json",
        "services.json",
        "body_regions.json",
        "drugs.jsonl",
        "mme_factors.json",
    )

    def __init__(self, nlp: Language, name: str, *, mme_table: str = DEFAULT_TABLE) -> None:
        self.name = name
        self.mme_table = mme_table
        self._check_table()
        register_extensions()

    def _check_table(self) -> None:
        with self.using_data():
            if self.mme_table not in tables():
                raise ValueError(f"unknown MME table {self.mme_table!r}; choose one of {tables()}")

    def prepare(self) -> None:
        self._check_table()
        with self.using_data():
            find_items(_WARM_UP, mme_table=self.mme_table)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        sections = doc_sections(doc, self.name)
        if len(doc) and not doc.has_annotation("ENT_IOB"):
            add_warning(doc, NO_ENTITIES.format(component=self.name))
        with self.using_data():
            layout = doc_layout(doc, text)  # built by imr_entity_rules when it ran
            items, warnings = find_items(
                text, layout, sections=sections, drugs=doc_drugs(doc, text), mme_table=self.mme_table
            )
        doc._.items = items
        set_item_spans(doc, items)
        for warning in warnings:
            add_warning(doc, warning)
        if text.strip() and not items:
            add_warning(doc, "no disputed items found")
        release_text(doc)  # the last imr component: drop the cached text and layout
        release_layout(doc)
        return doc


# A decisions section with one drug item, to compile the patterns when the data is set.
_WARM_UP = (
    "DISPUTED ITEMS AND SERVICES\nIssue at Dispute: Whether Norco 10/325mg #60 is medically necessary.\n"
    "Determination: Upheld\nDECISIONS\n1. Norco 10/325mg #60 is not medically necessary and appropriate.\n"
    "Medical Treatment Guideline Issue: MTUS Chronic Pain Medical Treatment Guidelines, page 78.\n"
    "Decision rationale: The patient has chronic pain."
)


@Language.factory(
    "imr_items",
    default_config={"mme_table": DEFAULT_TABLE},
    assigns=["doc._.items", "doc._.imr_warnings"],
    requires=["doc.spans", "doc.ents"],
)
def make_item_linker(nlp: Language, name: str, mme_table: str) -> ItemLinker:
    """Build the item linker (layout patterns come from ``data/letter_templates.json``;
    ``mme_table``: MME conversion factors, ``cdc2016`` or ``cdc2022``, see ``data/mme_factors.json``)."""
    return ItemLinker(nlp, name, mme_table=mme_table)
