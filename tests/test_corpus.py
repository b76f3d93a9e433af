"""The annotated corpus is valid gold, the converter checks it, and the smoke workflow trains.

Every line of ``corpus/annotated/*.jsonl`` must hold the unchanged text of the sample letter
it names and spans that follow corpus/README.md. The smoke test copies the project to a
temporary folder and runs ``spacy project run smoke`` (a few training steps, ~10 s).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from conftest import ROOT

from imr_nlp.labels import LABELS as REGISTERED_LABELS

CORPUS = ROOT / "corpus"
LABELS = set(REGISTERED_LABELS)
RECORDS = [
    (f"{path.name}:{number}", json.loads(line))
    for path in sorted((CORPUS / "annotated").glob("*.jsonl"))
    for number, line in enumerate(path.read_text(encoding="utf8").splitlines(), start=1)
    if line.strip()
]
MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
DATE_SHAPES = re.compile(
    rf"^(?:\d{{1,2}}\s*([/.-])\s*\d{{1,2}}\s*\1\s*\d{{2,4}}|\d{{1,2}}\s*[/-]\s*\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|{MONTHS}\s+(?:of\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?\d{{4}})$",  # "November of 2016" too
    re.I,
)
DOSAGE_FORM_WORDS = re.compile(
    r"\b(?:patch|patches|tablets?|tabs?|capsules?|caps|cream|gel|ointment|solution)\s*$", re.I
)


def spans_of(record: dict, label: str | None = None) -> list[str]:
    text = record["text"]
    return [text[s["start"] : s["end"]] for s in record["spans"] if label is None or s["label"] == label]


def run(args: list[str], cwd: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def test_corpus_has_the_three_seed_letters():
    sources = {record["meta"]["source"] for _, record in RECORDS}
    assert {
        f"samples/letters/seeds-2014/{p.name}" for p in (ROOT / "samples/letters/seeds-2014").glob("*.txt")
    } <= sources


@pytest.mark.parametrize(("where", "record"), RECORDS, ids=[w for w, _ in RECORDS])
def test_record_is_valid_gold(where, record):
    source = ROOT / record["meta"]["source"]
    assert source.is_file(), f"{where}: meta.source {source} missing"
    text = record["text"]
    assert text == source.read_text(encoding="utf8"), f"{where}: text differs from {source.name}"
    assert record["meta"].get("annotator")
    previous_end = 0
    for span in sorted(record["spans"], key=lambda s: s["start"]):
        start, end, label = span["start"], span["end"], span["label"]
        assert label in LABELS, (where, span)
        assert 0 <= start < end <= len(text), (where, span)
        assert not text[start].isspace() and not text[end - 1].isspace(), (where, span, text[start:end])
        assert start >= previous_end, f"{where}: overlap at {span}"
        previous_end = end


@pytest.mark.parametrize(("where", "record"), RECORDS, ids=[w for w, _ in RECORDS])
def test_record_follows_the_guide(where, record):
    for date in spans_of(record, "DATE"):
        assert DATE_SHAPES.match(" ".join(date.split())), (where, date)
    for drug in spans_of(record, "DRUG"):
        assert not DOSAGE_FORM_WORDS.search(drug), (where, drug)
    for citation in spans_of(record, "CITATION"):
        assert not re.match(r"(?:decision based on|the)\b", citation, re.I), (where, citation)
        assert not citation.endswith((".", ",", ";")), (where, citation)


# Boundary decisions of corpus/README.md, as they appear in the seed letters.
SEED_EXPECTED = [
    ("000_327011dee9612c2d", "DRUG", "Norco"),
    ("000_327011dee9612c2d", "DOSE", "10/325 mg"),
    ("000_327011dee9612c2d", "DRUG", "nor hydrocodone"),
    ("000_327011dee9612c2d", "DIAGNOSIS", "left leg sciatica"),
    (
        "000_327011dee9612c2d",
        "CITATION",
        "Non-MTUS Citation Official Disability \n\nGuidelines (ODG) pain chapter - opioids",
    ),
    ("002_8a90cba33b8aca59", "DRUG", "Morphine Sulfate ER"),
    ("002_8a90cba33b8aca59", "QUANTITY", "#240"),
    ("002_8a90cba33b8aca59", "FREQUENCY", "four \n\ntimes per day"),
    ("002_8a90cba33b8aca59", "DOSE", "240-300 mg"),
    (
        "002_8a90cba33b8aca59",
        "CITATION",
        "MTUS ACOEM Chapter 3 Initial Approaches to \n\nTreatment Page(s): 47-8",
    ),
    ("002_8a90cba33b8aca59", "CITATION", "Chronic Pain Treatment Guidelines Opioids Page(s): 34, 74-96"),
    ("003_911e865f50b21622", "DRUG", "Hydrocodone /APAP"),
    ("003_911e865f50b21622", "DRUG", "Lidoderm"),
    ("003_911e865f50b21622", "QUANTITY", "5 refills"),
    ("003_911e865f50b21622", "CITATION", "ACOEM Guidelines, Chapter 3 Treatment, page 48"),
]
SEED_NOT_TAGGED = [
    ("003_911e865f50b21622", "ThermaCare heat wrap"),  # a device, not a DRUG
    ("002_8a90cba33b8aca59", "opioids"),  # a drug class
    ("002_8a90cba33b8aca59", "lumbar spine"),  # a body part alone
    ("000_327011dee9612c2d", "lumbar epidural steroid injection"),  # a procedure
    ("003_911e865f50b21622", "2002"),  # a bare year
]
BY_ID = {record["meta"].get("id"): record for _, record in RECORDS}


@pytest.mark.parametrize(("letter", "label", "text"), SEED_EXPECTED)
def test_seed_gold_decisions(letter, label, text):
    assert text in spans_of(BY_ID[letter], label)


@pytest.mark.parametrize(("letter", "text"), SEED_NOT_TAGGED)
def test_seed_gold_leaves_out(letter, text):
    record = BY_ID[letter]
    assert text in record["text"]
    assert not any(text in span for span in spans_of(record) if "Guidelines" not in span)


def test_splits_file_follows_its_rule():
    splits = json.loads((CORPUS / "splits.json").read_text(encoding="utf8"))["letters"]
    later = sorted(p.stem for p in (ROOT / "samples/letters/2016-2017/txt").glob("*.txt"))
    expected = {
        f"samples/letters/2016-2017/txt/{case}.txt": "eval" if i % 7 in (2, 5) else "train"
        for i, case in enumerate(later)
    }
    assert {k: v for k, v in splits.items() if "2016-2017/" in k} == expected
    assert sum(v == "eval" for v in expected.values()) == 20
    batch2 = sorted(p.stem for p in (ROOT / "samples/letters/2016-2017-batch2/txt").glob("*.txt"))
    expected2 = {
        f"samples/letters/2016-2017-batch2/txt/{case}.txt": "eval" if i % 2 == 1 else "train"
        for i, case in enumerate(batch2)
    }
    assert {k: v for k, v in splits.items() if "2016-2017-batch2/" in k} == expected2
    assert sum(v == "eval" for v in expected2.values()) == 25
    assert all(splits[record["meta"]["source"]] in {"train", "eval"} for _, record in RECORDS)


def test_convert_writes_docbins(tmp_path):
    result = run([sys.executable, "scripts/convert_corpus.py", "corpus/annotated", "-o", str(tmp_path)], ROOT)
    assert result.returncode == 0, result.stderr
    nlp = spacy.blank("en")
    from spacy.tokens import DocBin

    docs = {
        n: list(DocBin().from_disk(tmp_path / f"{n}.spacy").get_docs(nlp.vocab)) for n in ("train", "dev")
    }
    assert len(docs["train"]) >= 2 and len(docs["dev"]) >= 1
    assert {e.label_ for d in docs["train"] for e in d.ents} == LABELS
    # Tokens are split at gold edges ("47-8,Chronic", "#60.On"): every gold span is kept exactly.
    assert "not aligned" not in result.stderr
    gold = sum(len(r["spans"]) for f in sorted((ROOT / "corpus" / "annotated").glob("*.jsonl"))
               for r in map(json.loads, f.read_text(encoding="utf8").splitlines()) if r)
    converted = sum(len(d.ents) for n in ("train", "dev", "eval")
                    for d in DocBin().from_disk(tmp_path / f"{n}.spacy").get_docs(nlp.vocab))
    assert converted == gold


BAD_SPANS = [
    (
        "overlap",
        [{"start": 0, "end": 5, "label": "DRUG"}, {"start": 3, "end": 8, "label": "DOSE"}],
        "overlap",
    ),
    ("whitespace edge", [{"start": 0, "end": 6, "label": "DRUG"}], "whitespace"),
    ("unknown label", [{"start": 0, "end": 5, "label": "MEDICATION"}], "unknown label"),
    ("out of range", [{"start": 20, "end": 99, "label": "DRUG"}], "out of range"),
    ("empty span", [{"start": 3, "end": 3, "label": "DRUG"}], "out of range"),
]


@pytest.mark.parametrize(("case", "spans", "message"), BAD_SPANS, ids=[c[0] for c in BAD_SPANS])
def test_convert_rejects_bad_spans(tmp_path, case, spans, message):
    bad = tmp_path / "bad.jsonl"
    record = {"text": "Norco 10/325 mg #60", "spans": spans, "meta": {"source": "x.txt"}}
    bad.write_text(json.dumps(record) + "\n", encoding="utf8")
    result = run([sys.executable, "scripts/convert_corpus.py", str(bad), "-o", str(tmp_path / "out")], ROOT)
    assert result.returncode == 1
    assert "bad.jsonl:1: " in result.stderr and message in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_smoke_workflow_trains_and_loads(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("project.yml",):
        shutil.copy(ROOT / name, project / name)
    for folder in ("configs", "scripts", "corpus"):
        shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (project / "src").symlink_to(ROOT / "src")
    result = run(
        [sys.executable, "-m", "spacy", "project", "run", "smoke", str(project)], project, timeout=240
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    nlp = spacy.load(project / "training" / "smoke" / "model-last")
    assert nlp.pipe_names == ["imr_linear_ner"]
    assert set(nlp.get_pipe("imr_linear_ner").labels) == LABELS
    doc = nlp("Norco 10/325 mg #60 was denied on 07/15/2014.")
    assert doc.text.startswith("Norco")
    metrics = json.loads((project / "metrics" / "smoke.json").read_text(encoding="utf8"))
    per_label = metrics["runs"]["pipeline"]["scores"]["overlap"]["per_label"]
    assert set(per_label) == LABELS
