"""``imr-nlp view``: one self-contained HTML page for one letter.

The page has the case header and patient/reviewer fields, a table of the disputed items,
and the letter text with the entities coloured by label (displaCy's entity markup) and each
item's request, guideline lines and rationale marked (in the rationale, the sentence
stating each reason underlined, when items carry ``reasons``), each with an id the table links to
(``item-N-request``, ``item-N-ca-guideline``, ``item-N-reviewer-guideline``,
``item-N-rationale``; the table row is ``item-N``). No scripts, no fonts, no network: all
text is escaped, the style sheet is inlined.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from .resources import data_file
from .visualize import ENTITY_COLORS, LABELS, OUTCOME_COLORS, OUTCOME_TINTS, options_for

NOT_AVAILABLE = "not available"

# Item parts marked in the letter: record key -> (anchor suffix, shown name).
PARTS = {
    "request": ("request", "request"),
    "original_request": ("original-request", "original request"),
    "ur_authorized": ("ur-authorized", "UR authorized"),
    "claims_administrator_guideline": ("ca-guideline", "claims administrator guideline"),
    "reviewer_guideline": ("reviewer-guideline", "reviewer guideline"),
    "rationale": ("rationale", "rationale"),
}

# displaCy's entity template with the label as a data attribute (counted by the tests).
_ENT_TEMPLATE = (
    '<mark class="entity" data-label="{label}" style="background: {bg}; padding: 0.25em 0.4em; margin: 0 0.15em; '
    'line-height: 1; border-radius: 0.35em;">{text}<span style="font-size: 0.7em; font-weight: bold; '
    'line-height: 1; vertical-align: middle; margin-left: 0.35rem" class="ent-label">{label}</span></mark>'
)


def page_css() -> str:
    """The style sheet shared by the view and the report pages."""
    return data_file("page.css").read_text(encoding="utf8")


def page(title: str, body: str) -> str:
    """A complete HTML document: escaped title, inline style sheet, ``body`` markup."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>\n{page_css()}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _value(value: Any) -> str:
    """Escaped value for a table cell; None -> an em dash, a missing key -> 'not available'."""
    if value is _MISSING:
        return f'<span class="na">{NOT_AVAILABLE}</span>'
    if value is None or value == [] or value == "":
        return '<span class="muted">—</span>'
    if isinstance(value, float):
        return escape(f"{value:g}")
    if isinstance(value, list):
        return escape(", ".join(str(v) for v in value))
    return escape(str(value))


_MISSING = object()


def _flat(text: str | None) -> str:
    return " ".join((text or "").split())


def _outcome_badge(outcome: str) -> str:
    color = OUTCOME_COLORS.get(outcome, "#888")
    return f'<span class="outcome" style="background: {OUTCOME_TINTS.get(outcome, "#eee")}; color: #000; border: 1px solid {color}">{escape(outcome)}</span>'


def _citations(guideline: dict | None, anchor: str) -> str:
    if not guideline:
        return _value(None)
    cites = guideline.get("citations") or []
    if not cites:
        text = '<span class="muted">no citation</span>'
    else:
        parts = []
        for c in cites:
            bits = [c.get("source"), c.get("document"), c.get("chapter"), c.get("topic")]
            if c.get("year"):
                bits.append(str(c["year"]))
            pages = c.get("pages") or []
            if pages:
                bits.append("p. " + ", ".join(str(p) for p in pages))
            parts.append(escape(" · ".join(str(b) for b in bits if b)))
        text = "<br>".join(parts)
    return f'{text} <a href="#{anchor}" title="show in the letter">↓</a>'


def _mme(treatment: dict) -> Any:
    if treatment.get("mme_per_day") is not None:
        return treatment["mme_per_day"]
    rng = treatment.get("mme_per_day_range")
    if rng:
        return f"{rng[0]:g}–{rng[1]:g}"
    return None


def _items_table(items: list[dict[str, Any]]) -> str:
    if not items:
        return '<p class="muted">No disputed items found.</p>'
    with_reasons = any("reasons" in item for item in items)
    head = [
        "#",
        "Request",
        "Outcome",
        "Service type",
        "Drug",
        "Strength",
        "Quantity",
        "Frequency",
        "MME/day",
        "Claims administrator guideline",
        "Reviewer guideline",
    ]
    if with_reasons:
        head.append("Reasons")
    head.append("Rationale")
    rows = ['<table class="items">', "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr>"]
    for n, item in enumerate(items, start=1):
        treatment = item.get("treatment") or {}
        drug = treatment.get("drug") or {}
        strength = treatment.get("strength") or {}
        frequency = treatment.get("frequency") or {}
        request = f'<a href="#item-{n}-request">{escape(_flat(item["request"]["text"]))}</a>'
        if item.get("original_request"):
            request += f'<br><span class="muted">original request: {escape(_flat(item["original_request"]["text"]))}</span>'
        if item.get("ur_authorized"):
            request += f'<br><span class="muted">UR authorized: {escape(_flat(item["ur_authorized"]["text"]))}</span>'
        drug_text = _flat(drug.get("text")) or None
        if drug_text and (drug.get("generic") or drug.get("drug_class")):
            extra = ", ".join(x for x in (drug.get("generic"), drug.get("drug_class")) if x)
            drug_text = f"{drug_text} ({extra})"
        cells = [
            f'<td class="num">{n}</td>',
            f"<td>{request}</td>",
            f"<td>{_outcome_badge(item['outcome'])}</td>",
            f"<td>{_value(treatment.get('service_type', _MISSING) if treatment else _MISSING)}</td>",
            f"<td>{_value(drug_text)}</td>",
            f"<td>{_value(_flat(strength.get('text')) or None)}</td>",
            f'<td class="num">{_value(treatment.get("quantity"))}</td>',
            f"<td>{_value(_flat(frequency.get('text')) or None)}</td>",
            f'<td class="num">{_value(_mme(treatment))}</td>',
            f"<td>{_citations(item.get('claims_administrator_guideline'), f'item-{n}-ca-guideline')}</td>",
            f"<td>{_citations(item.get('reviewer_guideline'), f'item-{n}-reviewer-guideline')}</td>",
        ]
        if with_reasons:
            reasons = item.get("reasons", _MISSING)
            if reasons is not _MISSING:
                reasons = sorted({r.get("reason") for r in reasons if r.get("reason")})
            cells.append(f"<td>{_value(reasons)}</td>")
        rationale = (
            f'<a href="#item-{n}-rationale">rationale</a>'
            if item.get("rationale")
            else '<span class="muted">none found</span>'
        )
        cells.append(f"<td>{rationale}</td>")
        rows.append(f'<tr id="item-{n}">' + "".join(cells) + "</tr>")
    rows.append("</table>")
    return "\n".join(rows)


def _header(record: dict[str, Any]) -> str:
    patient = record.get("patient") or {}
    reviewer = record.get("reviewer") or {}
    age, sex = patient.get("age"), patient.get("sex")
    patient_text = ", ".join(x for x in (f"{age} years" if age is not None else None, sex) if x) or None
    fields = [
        ("Case number", record.get("case_number")),
        ("Decision date", record.get("decision_date")),
        ("Date assigned", record.get("date_assigned", _MISSING)),
        ("Application received", record.get("application_received", _MISSING)),
        ("Priority", record.get("priority", _MISSING)),
        ("Patient", patient_text),
        ("Date of injury", record.get("date_of_injury")),
        ("UR decision date", record.get("ur_decision_date")),
        ("Reviewer specialties", reviewer.get("specialties") or None),
        ("Reviewer licensure", reviewer.get("licensure") or None),
        ("Source file", record.get("path")),
        ("Items", len(record.get("items") or [])),
    ]
    dl = "".join(f"<dt>{escape(k)}</dt><dd>{_value(v)}</dd>" for k, v in fields)
    out = f'<dl class="fields">{dl}</dl>'
    warnings = record.get("warnings") or []
    if warnings:
        out += '<ul class="warnings">' + "".join(f"<li>⚠ {escape(w)}</li>" for w in warnings) + "</ul>"
    return out


def _legend() -> str:
    labels = "".join(f'<span style="background: {ENTITY_COLORS[label]}">{label}</span>' for label in LABELS)
    outcomes = "".join(
        f'<span style="background: {OUTCOME_TINTS[o]}; border-left: 4px solid {OUTCOME_COLORS[o]}">item part, {o}</span>'
        for o in OUTCOME_COLORS
    )
    return f'<p class="legend">{labels} {outcomes}</p>'


def _parts(items: list[dict[str, Any]]) -> list[tuple[int, int, str, str, int, str]]:
    """Non-overlapping marked parts: (start, end, anchor, name, item number, outcome)."""
    found = []
    for n, item in enumerate(items, start=1):
        for key, (suffix, name) in PARTS.items():
            value = item.get(key)
            if value and value["end"] > value["start"]:
                found.append((value["start"], value["end"], f"item-{n}-{suffix}", name, n, item["outcome"]))
    found.sort(key=lambda p: (p[0], -(p[1] - p[0])))
    kept: list[tuple[int, int, str, str, int, str]] = []
    for part in found:
        if kept and part[0] < kept[-1][1]:
            continue  # overlaps the previous part (e.g. a request inside its partial-certification sentence)
        kept.append(part)
    return kept


def _entities_markup(text: str, entities: list[dict[str, Any]], start: int, end: int) -> str:
    """displaCy entity markup of ``text[start:end]``; entities clipped to the segment."""
    from spacy.displacy.render import EntityRenderer
    from spacy.displacy.templates import TPL_ENTS

    renderer = EntityRenderer(options_for("ent", options={"template": _ENT_TEMPLATE}))
    spans = [
        {"start": max(e["start"], start) - start, "end": min(e["end"], end) - start, "label": e["label"]}
        for e in entities
        if e["start"] < end and e["end"] > start
    ]
    markup = renderer.render_ents(text[start:end], spans, None)
    before, after = TPL_ENTS.format(content="\x00", dir=renderer.direction).split("\x00")
    if markup.startswith(before) and markup.endswith(after):  # keep the content, not displaCy's wrapper div
        markup = markup[len(before) : len(markup) - len(after)]
    return markup


def _with_reasons(
    text: str, entities: list[dict[str, Any]], start: int, end: int, reasons: list[dict]
) -> str:
    """Markup of a rationale: the sentence stating each reason underlined, the reason as its title."""
    out: list[str] = []
    pos = start
    spans = sorted(
        (max(r["start"], start), min(r["end"], end), r["reason"])
        for r in reasons
        if isinstance(r.get("start"), int) and isinstance(r.get("end"), int) and r.get("reason")
    )
    for s, e, reason in spans:
        if s < pos or e <= s:
            continue  # overlapping or empty: the table still lists the reason
        out.append(_entities_markup(text, entities, pos, s))
        out.append(
            f'<span class="reason" data-reason="{escape(reason)}" title="reason: {escape(reason)}">'
            f"{_entities_markup(text, entities, s, e)}</span>"
        )
        pos = e
    out.append(_entities_markup(text, entities, pos, end))
    return "".join(out)


def _letter_markup(text: str, record: dict[str, Any]) -> str:
    entities = sorted(record.get("entities") or [], key=lambda e: (e["start"], e["end"]))
    items = record.get("items") or []
    out: list[str] = []
    pos = 0
    for start, end, anchor, name, n, outcome in _parts(items):
        out.append(_entities_markup(text, entities, pos, start))
        badge = (
            f'<a class="badge" href="#item-{n}" style="background: {OUTCOME_COLORS.get(outcome, "#888")}" '
            f'title="back to the items table">item {n} · {escape(name)} · {escape(outcome)}</a>'
        )
        style = f"background: {OUTCOME_TINTS.get(outcome, '#eee')}; box-shadow: -3px 0 0 {OUTCOME_COLORS.get(outcome, '#888')}"
        reasons = items[n - 1].get("reasons") or [] if name == "rationale" else []
        inner = (
            _with_reasons(text, entities, start, end, reasons)
            if reasons
            else _entities_markup(text, entities, start, end)
        )
        out.append(
            f'<span class="part" id="{anchor}" data-part="{escape(name)}" data-outcome="{escape(outcome)}" '
            f'style="{style}">{badge}{inner}</span>'
        )
        pos = end
    out.append(_entities_markup(text, entities, pos, len(text)))
    return '<div class="entities letter" style="line-height: 2.5; direction: ltr">' + "".join(out) + "</div>"


def view_html(text: str, record: dict[str, Any], title: str | None = None) -> str:
    """The page of one letter: ``text`` is the letter text all offsets of ``record`` point into."""
    name = record.get("case_number") or record.get("id") or "letter"
    title = title or f"IMR letter {name}"
    body = "\n".join(
        [
            f"<h1>{escape(title)}</h1>",
            _header(record),
            "<h2>Disputed items</h2>",
            _items_table(record.get("items") or []),
            "<h2>Letter</h2>",
            _legend(),
            _letter_markup(text, record),
            '<p class="muted">Made by imr_nlp; offsets and text are those of the letter as read '
            "(PDF text as extracted by pypdf).</p>",
        ]
    )
    return page(title, body)


def view_letter(path: str | Path, nlp: Any = None) -> tuple[str, dict[str, Any]]:
    """Read and parse one letter file; return (page HTML, letter record). Raises ValueError when unreadable."""
    from .inputs import read_letter
    from .output import to_dict

    letter = read_letter(path)
    if letter.error is not None:
        raise ValueError(f"{path}: {letter.error}")
    if nlp is None:
        from . import load

        nlp = load()
    doc = nlp(letter.text or "")
    record = to_dict(doc, id=letter.id, path=letter.path)
    record["warnings"] = list(letter.warnings) + [w for w in record["warnings"] if w not in letter.warnings]
    return view_html(letter.text or "", record), record
