"""Tests of scripts/generate_letters.py: synthetic IMR letters with exact gold spans.

The generator must be deterministic, its spans valid and exactly where the entities are
(also after PDF noise), its span texts what the labels mean (drug names of the lexicon,
parseable dates, doses, quantities and frequencies), and its output accepted by
scripts/convert_corpus.py.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from imr_nlp.labels import LABELS
from imr_nlp.normalize.amounts import parse_frequency, parse_quantity, parse_refills, parse_strength
from imr_nlp.normalize.dates import parse_date
from imr_nlp.normalize.drugs import lookup_drug

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
FURNITURE = re.compile(r"(?:CM\d{2}-\d{7} )?Page \d+ of \d+")


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@cache
def gen():
    return _load("generate_letters")


@cache
def converter():
    return _load("convert_corpus")


@cache
def letters(seed: int = 7, n: int = 30, clean: bool = False) -> tuple[dict, ...]:
    g = gen()
    return tuple(g.generate(n, seed, g.NoiseConfig(enabled=not clean)))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", FURNITURE.sub(" ", text)).strip()


def span_texts(record: dict, label: str | None = None) -> list[str]:
    t = record["text"]
    return [t[s["start"] : s["end"]] for s in record["spans"] if label in (None, s["label"])]


# ---- determinism -------------------------------------------------------------------------


def test_same_seed_same_letters_and_other_seed_other_letters():
    g = gen()
    a = g.generate(5, 11)
    assert a == g.generate(5, 11)
    assert [r["text"] for r in a] != [r["text"] for r in g.generate(5, 12)]
    assert [r["meta"]["id"] for r in a] == [f"GEN-11-{i}" for i in range(5)]


def test_meta_fields():
    for rec in letters():
        meta = rec["meta"]
        assert meta["source"] == "generated" and meta["split"] == "generated"
        assert meta["generator"] == "scripts/generate_letters.py" and meta["seed"] == 7
        assert meta["template"] in ("2013", "2014", "2015+")
        assert isinstance(meta["noise"], dict)


def test_every_template_appears_in_thirty_letters():
    counts = {t: 0 for t in ("2013", "2014", "2015+")}
    for rec in letters():
        counts[rec["meta"]["template"]] += 1
    assert min(counts.values()) >= 5, counts


# ---- span validity -------------------------------------------------------------------------


def test_every_span_is_valid_for_the_converter():
    validate = converter().validate_record
    for rec in letters() + letters(clean=True):
        assert validate(rec) == [], rec["meta"]["id"]
        assert rec["spans"], rec["meta"]["id"]


def test_all_seven_labels_are_generated():
    labels = {s["label"] for rec in letters() for s in rec["spans"]}
    assert labels == set(LABELS)


def test_drug_spans_are_lexicon_drugs():
    for rec in letters(clean=True):
        for text in span_texts(rec, "DRUG"):
            assert lookup_drug(text) is not None, text


def test_date_spans_parse():
    for rec in letters(clean=True) + letters():
        for text in span_texts(rec, "DATE"):
            assert parse_date(squash(text)) is not None, text


def test_dose_quantity_and_frequency_spans_parse():
    for rec in letters(clean=True):
        for text in map(squash, span_texts(rec, "DOSE")):
            assert parse_strength(text) is not None, text
        for text in map(squash, span_texts(rec, "QUANTITY")):
            ranged = re.fullmatch(r"\d+-\d+ visits", text)  # guideline ranges ("9-10 visits") have no integer
            assert ranged or parse_quantity(text) is not None or parse_refills(text) is not None, text
        for text in map(squash, span_texts(rec, "FREQUENCY")):
            parsed = parse_frequency(text)
            assert parsed is not None and parsed["text"] == text, text


def test_citation_and_diagnosis_boundaries_follow_the_guide():
    g = gen()
    heads = g.package_diagnosis_heads()
    for rec in letters(clean=True):
        for text in span_texts(rec, "CITATION"):
            assert not re.match(r"(?i)(the|decision based on)\b", text), text
            assert not text.endswith((".", ",", ";")), text
            assert re.search(r"MTUS|ODG|ACOEM|Guidelines|Chronic Pain|Disability", text), text
        for text in span_texts(rec, "DIAGNOSIS"):
            low = squash(text).lower()
            assert any(re.search(rf"\b{re.escape(h)}", low) for h in heads) or "pain" in low or "spasm" in low, text


@pytest.mark.parametrize(
    "phrase",
    ["morphine equivalent dose", "pain relief", "opioids", "muscle relaxants", "NSAIDs", "the guidelines",
     "lumbar epidural steroid injection", "tenderness"],
)
def test_non_entities_are_present_and_untagged(phrase):
    """Precision traps the guide excludes: present in the letters, never inside a span."""
    seen = 0
    for rec in letters(seed=3, n=60, clean=True):
        for m in re.finditer(r"\s+".join(map(re.escape, phrase.split())), rec["text"], re.I):
            seen += 1
            for s in rec["spans"]:
                if s["label"] == "CITATION":
                    continue
                assert not (s["start"] <= m.start() and m.end() <= s["end"]), (phrase, rec["meta"]["id"])
    assert seen, phrase


# ---- noise -------------------------------------------------------------------------------


def test_noise_keeps_every_span_on_its_entity():
    """Same seed with and without noise: same spans, same texts once whitespace and furniture go."""
    g = gen()
    heavy = g.NoiseConfig(p_blank_in_phrase=0.3, p_furniture=1.0, p_furniture_mid=1.0, p_glue_phrase=1.0,
                          p_glue_random=0.05, p_glue_entity=0.5, p_double_space=1.0, p_crlf=0.5)
    kinds: set[str] = set()
    for i in range(20):
        noisy = g.generate_letter(5, i, None, heavy)
        clean = g.generate_letter(5, i, None, g.NoiseConfig(enabled=False))
        assert noisy["text"] != clean["text"]
        assert [s["label"] for s in noisy["spans"]] == [s["label"] for s in clean["spans"]]
        for a, b in zip(span_texts(noisy), span_texts(clean), strict=True):
            assert squash(a) == squash(b)
        kinds |= set(noisy["meta"]["noise"])
    assert {"crlf", "furniture", "furniture_mid_paragraph", "glued", "glued_drug_dose", "double_space",
            "blank_line_in_phrase"} <= kinds
    assert "furniture_inside_span" in kinds


def test_clean_letters_have_no_crlf_and_noisy_letters_can():
    assert not any("\r" in rec["text"] for rec in letters(clean=True))
    assert any("\r\n" in rec["text"] for rec in letters(seed=1, n=40))


@pytest.mark.parametrize(
    ("text", "spans", "edits", "expected_text", "expected_spans"),
    [
        # a line break inside a span: the span grows over it
        ("MTUS Chronic Pain", [(0, 17, "CITATION")], {4: (1, " \n\n")}, "MTUS \n\nChronic Pain", [(0, 19, "CITATION")]),
        # glue between two entities (guide rule 6): spans become adjacent
        ("Norco 10/325mg #60", [(0, 5, "DRUG"), (6, 14, "DOSE")], {5: (1, "")}, "Norco10/325mg #60",
         [(0, 5, "DRUG"), (5, 13, "DOSE")]),
        # edits before and after a span shift it only by the ones before
        ("a b Norco c", [(4, 9, "DRUG")], {1: (1, "\r\n"), 9: (1, "  ")}, "a\r\nb Norco  c", [(5, 10, "DRUG")]),
    ],
)
def test_apply_edits_moves_spans(text, spans, edits, expected_text, expected_spans):
    out, moved = gen().apply_edits(text, spans, edits)
    assert out == expected_text
    assert moved == expected_spans


def test_apply_edits_refuses_an_edit_across_a_span_edge():
    with pytest.raises(ValueError):
        gen().apply_edits("ab Norco", [(3, 8, "DRUG")], {2: (3, "")})


def test_fill_marks_fixed_and_slot_entities():
    g = gen()
    pieces = g.fill("[[DOSE:{n} mg]] per day for {who}: {drug}.", {"n": "120", "who": "the patient",
                                                                   "drug": [g.E("DRUG", "Norco")]})
    assert pieces == [("120 mg", "DOSE"), (" per day for ", None), ("the patient", None), (": ", None),
                      ("Norco", "DRUG"), (".", None)]
    doc = g.LogicalDoc()
    doc.para(pieces)
    assert [doc.text[s:e] for s, e, _ in doc.spans] == ["120 mg", "Norco"]


# ---- converter and CLI -------------------------------------------------------------------


def test_cli_output_is_accepted_by_convert_corpus(tmp_path):
    out = tmp_path / "letters.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    subprocess.run([sys.executable, str(SCRIPTS / "generate_letters.py"), "--n", "6", "--seed", "2",
                    "--output", str(out)], check=True, cwd=ROOT, env=env, capture_output=True)
    lines = out.read_text(encoding="utf8").splitlines()
    assert len(lines) == 6
    assert json.loads(lines[0])["meta"]["id"] == "GEN-2-0"
    done = subprocess.run([sys.executable, str(SCRIPTS / "convert_corpus.py"), str(out), "--split", "train",
                           "-o", str(tmp_path / "spacy")], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "spacy" / "train.spacy").exists()
