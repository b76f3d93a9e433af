"""A file holding several letters gives one record per letter (offsets into the file), its
cost grows linearly, one long text through the API costs per character what a letter does,
and one maximum length holds for the API and the command line."""

from __future__ import annotations

import random
import time

import pytest
from conftest import LETTERS_2016, SEEDS, read
from long_text_cost import joined
from spacy.tokens import Doc

from imr_nlp import entity_rules
from imr_nlp.cli import parse_records
from imr_nlp.inputs import letter_bounds
from imr_nlp.items import request_drugs
from imr_nlp.output import to_dict
from imr_nlp.resources import MAX_CHARS


def _items(record: dict) -> list[tuple[str, str, int, int]]:
    return [(it["request"]["text"], it["outcome"], it["request"]["start"], it["request"]["end"]) for it in record["items"]]


@pytest.mark.parametrize(
    "picks",
    [(LETTERS_2016[0], LETTERS_2016[10], LETTERS_2016[20]), (SEEDS[0], LETTERS_2016[30], SEEDS[1])],
    ids=["2016-letters", "seeds-and-2016"],
)
def test_a_file_of_three_letters_gives_three_records(nlp, tmp_path, picks):
    texts = [read(p) for p in picks]
    joined = "\n".join(texts)
    path = tmp_path / "bundle.txt"
    path.write_text(joined, encoding="utf8")
    records = list(parse_records([path], nlp=nlp))
    assert [r["id"] for r in records] == ["bundle", "bundle#2", "bundle#3"]
    offset = 0
    for record, text in zip(records, texts):
        assert "error" not in record
        assert any("holds 3 letters" in w for w in record["warnings"])
        alone = to_dict(nlp(text), id="x")
        assert record["case_number"] == alone["case_number"]
        # the same items, offsets into the whole file
        want = [(t, o, s + offset, e + offset) for t, o, s, e in _items(alone)]
        assert _items(record) == want and want
        for _, _, start, end in want:
            assert joined[start:end] == text[start - offset : end - offset]
        for entity in record["entities"]:
            assert joined[entity["start"] : entity["end"]] == entity["text"]
        offset += len(text) + 1


def test_one_letter_is_never_split():
    for path in [*SEEDS, *LETTERS_2016]:
        assert letter_bounds(read(path)) == [(0, len(read(path)))], path.name


def _cpu(run) -> float:
    start = time.process_time()
    run()
    return time.process_time() - start


def test_cost_grows_linearly(nlp, tmp_path):
    """Ten letters in one file cost about ten letters; one 600,000-character text costs
    per character about what a letter does (it was quadratic)."""
    texts = [read(p) for p in LETTERS_2016[:10]]
    list(nlp.pipe(texts))  # warm
    one_by_one = min(_cpu(lambda: list(nlp.pipe(texts))) for _ in range(2))
    path = tmp_path / "ten.txt"
    path.write_text("\n".join(texts), encoding="utf8")
    bundled = _cpu(lambda: list(parse_records([path], nlp=nlp)))
    assert bundled < 2.0 * one_by_one + 0.3, (bundled, one_by_one)

    long_text = ""
    k = 0
    while len(long_text) < 600_000:  # one text, no split (the API parses what it is given)
        long_text += read(LETTERS_2016[k % len(LETTERS_2016)]) + "\n"
        k += 1
    per_char_letters = one_by_one / sum(map(len, texts))
    per_char_long = min(_cpu(lambda: nlp(long_text)) for _ in range(2)) / len(long_text)  # as warm as the letters
    assert per_char_long < 2.0 * per_char_letters, (per_char_long / per_char_letters)


def test_one_long_text_through_the_api_costs_per_character_what_letters_cost(nlp):
    """A 2,000,000-character text given to ``nlp()`` (one doc: the API parses what it is
    given) costs per character at most 1.5 times what the same letters cost one at a time.
    It cost 2.4 times: the entity rules cut some tokens ("#60.On") with one retokenizer split
    each, and each split shifts the whole doc (now the doc is built again once); and each
    request looked through all the drug mentions of the doc. Measured since: 1.0-1.2."""
    letters = [read(p) for p in LETTERS_2016]
    long_text = joined(letters, MAX_CHARS)
    list(nlp.pipe(letters))  # warm
    per_char_letters = min(_cpu(lambda: list(nlp.pipe(letters))) for _ in range(2)) / sum(map(len, letters))
    # best of two: the first run pays first-use costs the warmed letters do not
    per_char_long = min(_cpu(lambda: nlp(long_text)) for _ in range(2)) / len(long_text)
    assert per_char_long < 1.5 * per_char_letters, per_char_long / per_char_letters


def _cut_text() -> str:
    """Six tokens the entity rules cut ("#30.On": a QUANTITY, then a DATE) and tokenizer
    exceptions with their own norm ("n't": "not")."""
    drugs = ["Norco 10/325mg", "Tramadol 50mg", "Gabapentin 600mg", "Lidoderm 5% patch", "Naproxen 550mg", "Soma 350mg"]
    return " ".join(
        f"The patient doesn't tolerate {drug} #{30 + 30 * k}.On 0{k + 1}/12/2016 the request was denied."
        for k, drug in enumerate(drugs)
    )


def _state(doc: Doc) -> tuple:
    """What a doc holds: tokens with every token attribute, entities, span groups,
    user_data (extension values), doc.to_bytes()."""
    return (
        [(t.text, t.whitespace_, t.idx, t.norm_, t.head.i, t.ent_iob_, t.ent_type_, t.is_sent_start) for t in doc],
        [(e.start, e.end, e.label_) for e in doc.ents],
        {key: [(s.start, s.end, s.start_char, s.end_char, s.label_, s.id_) for s in group] for key, group in doc.spans.items()},
        dict(doc.user_data),
        doc.to_bytes(),
    )


@pytest.mark.parametrize(
    "source",
    ["synthetic", "CM17-0013716", "seed-002", "two-letters"],
)
def test_rebuilt_doc_is_the_retokenized_doc(nlp, monkeypatch, source):
    """A doc with many tokens to cut is built again once instead of split token by token:
    the same doc either way, through the whole pipeline (on letters with 1, 3 and 9 cuts,
    two letters in one text, and a text with 6 cuts and tokenizer norms)."""
    texts = {
        "synthetic": _cut_text(),
        "CM17-0013716": read(next(p for p in LETTERS_2016 if p.stem == "CM17-0013716")),
        "seed-002": read(next(p for p in SEEDS if p.stem.startswith("002_"))),
    }
    texts["two-letters"] = texts["CM17-0013716"] + "\n" + texts["seed-002"]
    text = texts[source]
    monkeypatch.setattr(entity_rules, "_REBUILD_MIN_CUTS", 10**9)
    retokenized = nlp(text)
    monkeypatch.setattr(entity_rules, "_REBUILD_MIN_CUTS", 1)
    rebuilt = nlp(text)
    assert len(rebuilt) > len(nlp.make_doc(text))  # tokens were cut
    assert _state(rebuilt) == _state(retokenized)
    # the retokenizer leaves later tokens' edges at their old index; a rebuilt doc has none stale
    assert all(t.left_edge.i == t.i == t.right_edge.i for t in rebuilt)
    assert to_dict(rebuilt, id="x") == to_dict(retokenized, id="x")


def test_span_groups_follow_cut_tokens(nlp):
    """Every span of every group covers the tokens of its characters after tokens were cut
    (the retokenizer left the sections' token indices as they were before the cuts)."""
    text = read(next(p for p in LETTERS_2016 if p.stem == "CM17-0013716"))
    for doc in (nlp(text), nlp(text + "\n" + text)):
        assert len(doc) > len(nlp.make_doc(text))
        for key, group in doc.spans.items():
            for span in group:
                assert span.text == doc.text[span.start_char : span.end_char], (key, span.label_)


@pytest.mark.parametrize("min_cuts", [1, 10**9], ids=["rebuilt", "split"])
def test_span_groups_keep_their_spans_when_tokens_are_cut(nlp, monkeypatch, min_cuts):
    """Labels, ids, group attributes and character offsets, empty spans included."""
    from spacy.tokens import Span, SpanGroup

    monkeypatch.setattr(entity_rules, "_REBUILD_MIN_CUTS", min_cuts)
    text = _cut_text()
    doc = nlp.make_doc(text)
    spans = [Span(doc, 2, 2), Span(doc, 5, 20, label="X", span_id="z"), Span(doc, len(doc), len(doc), label="E")]
    doc.spans["test"] = SpanGroup(doc, name="test", attrs={"a": 1}, spans=spans)
    before = [(s.start_char, s.end_char, s.label_, s.id_) for s in doc.spans["test"]]
    out = entity_rules.tokens_cut_at(doc, entity_rules.find_entities(text))
    assert len(out) > len(nlp.make_doc(text))
    group = out.spans["test"]
    assert group.attrs == {"a": 1} and group.name == "test"
    assert [(s.start_char, s.end_char, s.label_, s.id_) for s in group] == before
    assert [s.text for s in group] == [text[a:b] for a, b, _, _ in before]
    assert group[-1].start == len(out)


def test_rebuild_keeps_context_and_falls_back_on_annotated_docs(nlp):
    """The rebuilt doc carries the ``as_tuples`` context; a doc already holding annotation
    (here a tag) is split in place by the retokenizer, annotation kept; so is any doc given
    to ``split_tokens_at``."""
    text = _cut_text()
    [(doc, context)] = list(nlp.pipe([(text, {"id": 7})], as_tuples=True))
    assert context == {"id": 7} and doc.text == text
    component = nlp.get_pipe("imr_entity_rules")
    plain = nlp.make_doc(text)
    out = component(plain)
    assert out is not plain and out.text == text and len(out) > len(plain)
    tagged = nlp.make_doc(text)
    tagged[0].tag_ = "DT"
    out = component(tagged)
    assert out is tagged and len(out) > len(nlp.make_doc(text)) and out[0].tag_ == "DT"
    assert [t.text for t in out] == [t.text for t in component(nlp.make_doc(text))]
    # split_tokens_at (used by the corpus scripts) always splits in place
    in_place = nlp.make_doc(text)
    assert entity_rules.split_tokens_at(in_place, entity_rules.find_entities(text)) is None
    assert [t.text for t in in_place] == [t.text for t in out]


def test_request_drugs_by_bisection_finds_what_the_scan_finds():
    rng = random.Random(14)
    for _ in range(200):
        drugs = sorted((s, s + rng.randint(0, 12), f"d{s}") for s in (rng.randint(0, 200) for _ in range(rng.randint(0, 30))))
        starts = [d[0] for d in drugs]
        start = rng.randint(0, 200)
        end = start + rng.randint(0, 60)
        assert request_drugs(drugs, start, end, starts) == request_drugs(drugs, start, end)


def test_one_maximum_length_for_api_and_cli(nlp):
    assert nlp.max_length == MAX_CHARS
    with pytest.raises(ValueError, match="E088"):
        nlp("x" * (MAX_CHARS + 1))
