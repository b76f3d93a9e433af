"""displaCy views of a processed letter: entities coloured by label, item parts as span groups.

``render(doc)`` is ``displacy.render`` with this package's colours applied; the same options
are public for plain displaCy::

    from spacy import displacy
    displacy.render(doc, style="ent", options=imr_nlp.DISPLACY_OPTIONS)
    displacy.render(doc, style="span", options=imr_nlp.SPAN_OPTIONS)                      # all item parts
    displacy.render(doc, style="span", options={**imr_nlp.SPAN_OPTIONS, "spans_key": "items.rationale"})

Colours live in ``data/display.json``.
"""

from __future__ import annotations

from typing import Any

from .items import ITEM_SPAN_GROUPS
from .labels import REPORT_ORDER
from .resources import load_json

__all__ = [
    "LABELS",
    "ENTITY_COLORS",
    "OUTCOME_COLORS",
    "OUTCOME_TINTS",
    "DISPLACY_OPTIONS",
    "SPAN_OPTIONS",
    "ITEM_SPAN_KEYS",
    "render",
]

_DISPLAY = load_json("display.json")

LABELS: tuple[str, ...] = REPORT_ORDER  # the label registry (labels.py), in the legend's order
ENTITY_COLORS: dict[str, str] = {label: _DISPLAY["entity_colors"][label] for label in LABELS}
OUTCOME_COLORS: dict[str, str] = dict(_DISPLAY["outcome_colors"])
OUTCOME_TINTS: dict[str, str] = dict(_DISPLAY["outcome_tints"])

# The span groups the item linker fills: "items" (every part, labelled "<part>: <outcome>")
# and one group per part ("items.request", "items.guideline", "items.rationale", labelled
# with the outcome).
ITEM_SPAN_KEYS: tuple[str, ...] = ("items", *dict.fromkeys(key for key, _ in ITEM_SPAN_GROUPS.values()))
_PART_NAMES = tuple(dict.fromkeys(name for _, name in ITEM_SPAN_GROUPS.values()))

# Span labels -> colour: the outcome for the per-part groups, and "<part>: <outcome>" for "items".
_SPAN_COLORS: dict[str, str] = {
    **OUTCOME_COLORS,
    **{f"{part}: {outcome}": color for outcome, color in OUTCOME_COLORS.items() for part in _PART_NAMES},
}

# Options for plain displaCy (copy before changing them).
DISPLACY_OPTIONS: dict[str, Any] = {"ents": list(LABELS), "colors": dict(ENTITY_COLORS)}
SPAN_OPTIONS: dict[str, Any] = {"spans_key": "items", "colors": dict(_SPAN_COLORS)}


def options_for(
    style: str, spans_key: str | None = None, options: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The displaCy options of ``style`` ("ent" or "span") with the package colours, ``options`` on top."""
    if style == "ent":
        merged = {"ents": list(LABELS), "colors": dict(ENTITY_COLORS)}
    elif style == "span":
        merged = {"spans_key": spans_key or "items", "colors": dict(_SPAN_COLORS)}
    else:
        raise ValueError(f"style must be 'ent' or 'span', not {style!r}")
    for key, value in (options or {}).items():
        if key == "colors":
            merged["colors"] = {**merged["colors"], **value}
        else:
            merged[key] = value
    return merged


def render(
    doc: Any,
    style: str = "ent",
    *,
    spans_key: str | None = None,
    options: dict[str, Any] | None = None,
    jupyter: bool | None = None,
    page: bool = False,
    **kwargs: Any,
) -> str:
    """``displacy.render`` with the package colours.

    style: "ent" (the seven entity labels) or "span" (a span group; ``spans_key`` defaults
        to "items", every item part; or "items.request", "items.guideline", "items.rationale").
    options: extra displaCy options (``colors`` are merged with the package colours).
    jupyter, page, **kwargs: passed to ``displacy.render`` (in a notebook the markup is
        displayed and None returned, as displaCy does).
    """
    from spacy import displacy

    merged = options_for(style, spans_key, options)
    return displacy.render(doc, style=style, options=merged, jupyter=jupyter, page=page, **kwargs)
