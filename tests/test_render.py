"""Items as span groups, and displaCy's ent and span styles with the documented options."""

from __future__ import annotations

import re

import pytest
from conftest import LETTERS_2016, SEEDS, read
from spacy import displacy
from spacy.tokens import DocBin

import imr_nlp
from imr_nlp.resources import load_json
from imr_nlp.visualize import ENTITY_COLORS, ITEM_SPAN_KEYS, LABELS, OUTCOME_COLORS, render

# A seed letter (2 upheld drug items) and a 2016 letter with an overturned item; both have all seven labels.
SEED = next(p for p in SEEDS if p.stem.startswith("002_"))
OVERTURNED = next(p for p in LETTERS_2016 if p.stem == "CM16-0239110")
PARTS = {
    "request": "items.request",
    "claims_administrator_guideline": "items.guideline",
    "reviewer_guideline": "items.guideline",
    "rationale": "items.rationale",
}


def _expected_spans(doc) -> dict[str, list[tuple[int, int, str, str]]]:
    """What doc.spans should hold, from doc._.items: (start_char, end_char, label, id) per group.

    A span is the item part widened to whole tokens ("day):" is one token when the request
    ends at ")"), and never by more than the token it cuts."""
    expected: dict[str, list] = {key: [] for key in ITEM_SPAN_KEYS}
    names = {
        "request": "request",
        "claims_administrator_guideline": "CA guideline",
        "reviewer_guideline": "reviewer guideline",
        "rationale": "rationale",
    }
    for n, item in enumerate(doc._.items, start=1):
        for part, key in PARTS.items():
            value = item[part]
            if value:
                span = doc.char_span(value["start"], value["end"], alignment_mode="expand")
                assert span.start_char <= value["start"] and span.end_char >= value["end"]
                assert (
                    doc.text[span.start_char : value["start"]].strip()
                    == doc.text[span.start_char : value["start"]]
                )
                assert span.end_char - value["end"] <= 2 and value["start"] - span.start_char <= 2
                expected[key].append((span.start_char, span.end_char, item["outcome"], f"item-{n}"))
                expected["items"].append(
                    (span.start_char, span.end_char, f"{names[part]}: {item['outcome']}", f"item-{n}")
                )
    return expected


def _actual_spans(doc) -> dict[str, list[tuple[int, int, str, str]]]:
    return {
        key: [(s.start_char, s.end_char, s.label_, s.id_) for s in doc.spans[key]] for key in ITEM_SPAN_KEYS
    }


@pytest.fixture(scope="module")
def docs(nlp):
    return [nlp(read(SEED)), nlp(read(OVERTURNED))]


def test_item_parts_are_span_groups_at_the_item_offsets(docs):
    for doc in docs:
        assert set(ITEM_SPAN_KEYS) == {"items", "items.request", "items.guideline", "items.rationale"}
        assert _actual_spans(doc) == _expected_spans(doc)
        assert len(doc.spans["items.request"]) == len(doc._.items) >= 1
    assert {s.label_ for s in docs[1].spans["items.rationale"]} == {"overturned"}


def test_span_groups_survive_docbin_and_multiprocessing(nlp, docs):
    texts = [read(SEED), read(OVERTURNED)]
    expected = [_actual_spans(doc) for doc in docs]
    blob = DocBin(docs=docs, store_user_data=True).to_bytes()
    restored = list(DocBin().from_bytes(blob).get_docs(nlp.vocab))
    assert [_actual_spans(doc) for doc in restored] == expected
    piped = list(nlp.pipe(texts, n_process=2, batch_size=1))
    assert [_actual_spans(doc) for doc in piped] == expected


def test_colours_come_from_the_data_file_one_per_label():
    data = load_json("display.json")
    assert set(data["entity_colors"]) == set(LABELS)
    assert ENTITY_COLORS == data["entity_colors"]
    assert len(set(ENTITY_COLORS.values())) == 7
    assert imr_nlp.DISPLACY_OPTIONS["colors"] == ENTITY_COLORS
    assert set(imr_nlp.DISPLACY_OPTIONS["ents"]) == set(LABELS)


def _rgb(hex_colour: str) -> tuple[float, ...]:
    return tuple(int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))


def test_entity_colours_keep_black_text_readable():
    """WCAG contrast of black text on every entity colour is at least 7:1."""
    for colour in ENTITY_COLORS.values():
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in _rgb(colour)]
        luminance = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
        assert (luminance + 0.05) / 0.05 >= 7, colour


def _mark_colours(html: str) -> dict[str, set[str]]:
    """Label -> background colours of displaCy's entity marks."""
    found: dict[str, set[str]] = {}
    for bg, label in re.findall(
        r'<mark class="entity" style="background: ([^;]+);.*?<span[^>]*>(\w+)', html, re.S
    ):
        found.setdefault(label, set()).add(bg)
    return found


def test_plain_displacy_ent_style_with_the_documented_options(docs):
    html = displacy.render(docs, style="ent", options=imr_nlp.DISPLACY_OPTIONS)
    colours = _mark_colours(html)
    assert colours == {label: {ENTITY_COLORS[label]} for label in LABELS}  # all seven, each its own colour
    marks = sum(len(doc.ents) for doc in docs)
    assert html.count('<mark class="entity"') == marks


def test_render_applies_the_colours_by_default(docs):
    assert render(docs[0]) == displacy.render(docs[0], style="ent", options=imr_nlp.DISPLACY_OPTIONS)
    # Caller options go on top; colours are merged, not replaced.
    html = render(docs[0], options={"colors": {"DRUG": "#123456"}})
    colours = _mark_colours(html)
    assert colours["DRUG"] == {"#123456"} and colours["DATE"] == {ENTITY_COLORS["DATE"]}


def _span_labels(html: str) -> list[str]:
    """Labels displaCy's span renderer prints (one at the start of each span)."""
    return re.findall(r"font-size: 0\.6em[^>]*>\s*([^<]+?)\s*</span>", html)


def test_span_style_shows_each_item_part(docs):
    doc = docs[1]
    html = displacy.render(doc, style="span", options=imr_nlp.SPAN_OPTIONS)
    assert render(doc, style="span") == html
    assert _span_labels(html) == [span.label_ for span in doc.spans["items"]]
    assert OUTCOME_COLORS["overturned"] in html
    for key in ("items.request", "items.guideline", "items.rationale"):
        html = render(doc, style="span", spans_key=key)
        assert html == displacy.render(doc, style="span", options={**imr_nlp.SPAN_OPTIONS, "spans_key": key})
        assert _span_labels(html) == ["overturned"] * len(doc.spans[key]) and doc.spans[key]
        assert OUTCOME_COLORS["overturned"] in html and OUTCOME_COLORS["upheld"] not in html
    upheld = docs[0]
    assert OUTCOME_COLORS["upheld"] in render(upheld, style="span", spans_key="items.rationale")


def test_render_rejects_an_unknown_style(docs):
    with pytest.raises(ValueError, match="style"):
        render(docs[0], style="dep")
