"""imr_diagnosis_tagger: features from the rules, decoding against rule spans, training,
serialization, the shipped pipeline, and the annotate -> retrain loop end to end."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy
import pytest
from conftest import copy_project
from spacy.training import Example

import imr_nlp
from imr_nlp import diagnosis_tagger as D
from imr_nlp.entity_rules import find_entities

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def shipped():
    return imr_nlp.load()


def test_default_pipeline_ships_the_trained_tagger(shipped):
    assert shipped.pipe_names.index("imr_diagnosis_tagger") == shipped.pipe_names.index("imr_entity_rules") + 1
    weights = ROOT / "src" / "imr_nlp" / "data" / "diagnosis_tagger" / "model"
    assert weights.is_file() and weights.stat().st_size < 4_000_000
    table = shipped.get_pipe("imr_diagnosis_tagger").model.get_param("E")
    assert numpy.abs(table).sum() > 0  # trained weights, not a fresh model
    rules = imr_nlp.load(rules_only=True)
    assert "imr_diagnosis_tagger" not in rules.pipe_names
    from imr_nlp.pipeline import TRAINED_COMPONENTS

    assert [n for n in shipped.pipe_names if n not in TRAINED_COMPONENTS] == rules.pipe_names


def test_tagger_keeps_rule_entities_of_other_labels(shipped):
    text = (Path(ROOT / "samples/letters/seeds-2014").glob("*.txt").__next__()).read_text(encoding="utf8")
    doc = shipped(text)
    rules = imr_nlp.load(rules_only=True)(text)
    other = lambda d: [(e.start_char, e.end_char, e.label_) for e in d.ents if e.label_ != "DIAGNOSIS"]  # noqa: E731
    assert other(doc) == other(rules)
    # merge = "extend": every rule DIAGNOSIS span is still there or inside a longer one
    assert shipped.get_pipe("imr_diagnosis_tagger").merge == "extend"
    final = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "DIAGNOSIS"]
    for e in rules.ents:
        if e.label_ == "DIAGNOSIS":
            assert any(s <= e.start_char and e.end_char <= t for s, t in final)


def test_rule_and_lexicon_features():
    nlp = imr_nlp.load(rules_only=True)
    doc = nlp("She has chronic low back pain and a history of lumbago. Seen on 01/02/2015.")
    keys = D.token_keys(doc)
    assert keys.shape == (len(doc), len(D.BASE_COLUMNS))
    assert (keys != 0).all()
    rule = keys[:, D.BASE_COLUMNS.index("rule")]
    words = [t.text for t in doc]
    # B/I/L of the rule DIAGNOSIS span, U for the one-word one, a label key for the DATE
    b, i, last = (rule[words.index(w)] for w in ("chronic", "low", "pain"))
    assert len({b, i, last}) == 3 and rule[words.index("back")] == i
    assert rule[words.index("lumbago")] not in (b, i, last)
    assert rule[words.index("history")] == rule[words.index("She")]
    lex = keys[:, D.BASE_COLUMNS.index("lex")]
    assert lex[words.index("lumbago")] != lex[words.index("history")]  # a head word vs nothing
    assert lex[words.index("back")] != lex[words.index("history")]  # a location word


def test_decide_spans_compares_paths_against_the_rules():
    # logits for 6 tokens, tags O B I L U
    strong = {"O": [5, 0, 0, 0, 0], "B": [0, 5, 0, 0, 0], "I": [0, 0, 5, 0, 0], "L": [0, 0, 0, 5, 0],
              "U": [0, 0, 0, 0, 5]}
    scores = numpy.asarray([strong[t] for t in "OBILOU"], dtype="f")
    none = numpy.zeros(7, dtype=bool)
    space = numpy.zeros(6, dtype=bool)
    # the model's span (1, 4) beats the rule span (1, 3) in "add" and "replace"
    assert D.decide_spans(scores, [(1, 3)], none, space, 0.0, "add") == [(1, 4), (5, 6)]
    # "new" only adds spans that overlap no rule span; "extend" lets a rule span grow
    assert D.decide_spans(scores, [(1, 3)], none, space, 0.0, "new") == [(1, 3), (5, 6)]
    assert D.decide_spans(scores, [(1, 3)], none, space, 0.0, "extend") == [(1, 4), (5, 6)]
    assert D.decide_spans(scores, [(0, 4)], none, space, 0.0, "extend") == [(0, 4), (5, 6)]  # never cut
    # a big margin keeps the rules' answer
    assert D.decide_spans(scores, [(1, 3)], none, space, 100.0, "add") == [(1, 3)]
    # a span on another label's entity is never added
    other = none.copy()
    other[5] = True
    assert D.decide_spans(scores, [], other, space, 0.0, "new") == [(1, 4)]
    # "replace" drops a rule span the model gives no support to
    assert D.decide_spans(scores, [(0, 1)], none, space, 0.0, "replace") == [(1, 4), (5, 6)]
    assert D.decide_spans(scores, [(0, 1)], none, space, 0.0, "add") == [(0, 1), (1, 4), (5, 6)]



def test_candidate_spans_are_the_valid_biluo_spans():
    from imr_nlp.linear_ner import tags_to_spans

    assert D.candidate_spans(numpy.asarray([0, 1, 2, 3, 0, 4, 2, 2, 4, 3, 1])) == [(1, 4), (5, 6), (6, 8), (8, 9),
                                                                                  (9, 10), (10, 11)]
    rng = numpy.random.RandomState(7)
    for n in (1, 2, 5, 40, 300):
        for _ in range(50):
            tags = rng.randint(0, 5, n) * (rng.random_sample(n) < 0.6)
            assert D.candidate_spans(tags) == [(s, e) for s, e, _ in tags_to_spans(tags)]


def test_log_softmax_rows_do_not_depend_on_the_slice():
    # the rows of a log-softmax are the same numbers whatever rows are computed with them,
    # and a path scored from precomputed rows is the path score
    scores = numpy.random.RandomState(3).normal(0, 3, (500, 5)).astype("f")
    whole = D.log_probs(scores)
    for first, last in ((0, 1), (3, 17), (250, 500), (499, 500)):
        assert numpy.array_equal(whole[first:last], D.log_probs(scores[first:last]))
        spans = [(first, min(first + 2, last))]
        assert D._path_logp(whole[first:last], first, last, spans) == D.path_score(scores, first, last, spans)


TRAIN = [
    ("The claimant has zorbitis of the left knee and chronic low back pain.", "zorbitis of the left knee"),
    ("Diagnoses: zorbitis of the right wrist; lumbar radiculopathy.", "zorbitis of the right wrist"),
    ("She was treated for zorbitis of the left elbow after the injury.", "zorbitis of the left elbow"),
    ("Records document zorbitis of the right shoulder and lumbago.", "zorbitis of the right shoulder"),
]


def _gold(nlp, text, phrase):
    """Gold: the rule DIAGNOSIS spans plus the made-up condition the lexicon lacks."""
    doc = nlp.make_doc(text)
    start = text.index(phrase)
    spans = [(s, e) for s, e, _ in find_entities(text, ("DIAGNOSIS",)) if not (s < start + len(phrase) and start < e)]
    spans.append((start, start + len(phrase)))
    doc.set_ents([doc.char_span(s, e, label="DIAGNOSIS") for s, e in sorted(spans)])
    return doc


def _tiny_pipeline():
    sys.path.insert(0, str(ROOT / "scripts"))
    from train_diagnosis_tagger import build_nlp

    return build_nlp(merge="new", margin=0.0)


def test_training_learns_a_condition_the_rules_miss(tmp_path):
    from train_diagnosis_tagger import rule_docs, train

    nlp = _tiny_pipeline()
    docs = rule_docs(nlp, [{"text": t} for t, _ in TRAIN])
    assert not any("zorbitis" in e.text for d in docs for e in d.ents)  # the rules do not know it
    examples = [Example(d, _gold(nlp, t, p)) for d, (t, p) in zip(docs, TRAIN, strict=True)]
    train(nlp, examples, epochs=30, seed=0, learn_rate=0.05, batch_size=2)
    test = "The patient has zorbitis of the right knee."
    doc = nlp(test)
    assert "zorbitis of the right knee" in [e.text for e in doc.ents if e.label_ == "DIAGNOSIS"]
    scores = nlp.get_pipe("imr_diagnosis_tagger").score([Example(nlp(TRAIN[0][0]), _gold(nlp, *TRAIN[0]))])
    assert scores["ents_f"] == 1.0 and set(scores["ents_per_type"]) == {"DIAGNOSIS"}
    # to_disk / from_disk (and the config's "weights" initialize setting) give the same output
    nlp.get_pipe("imr_diagnosis_tagger").to_disk(tmp_path / "w", exclude=["vocab"])
    other = _tiny_pipeline()
    other.get_pipe("imr_diagnosis_tagger").initialize(lambda: [], nlp=other, weights=str(tmp_path / "w"))
    assert [(e.start_char, e.end_char, e.label_) for e in other(test).ents] == [
        (e.start_char, e.end_char, e.label_) for e in doc.ents
    ]


def test_lexicon_features_follow_the_rules_lexicon():
    from evaluate_unseen_vocabulary import without_heads

    nlp = imr_nlp.load(rules_only=True)
    before = D.token_keys(nlp("He has lumbago."))[2, D.BASE_COLUMNS.index("lex")]
    without_heads(nlp, {"lumbago"})  # edits the lexicon held by this pipeline's entity rules
    after = D.token_keys(nlp("He has lumbago."))[2, D.BASE_COLUMNS.index("lex")]
    assert before != after
    assert D.token_keys(imr_nlp.load(rules_only=True)("He has lumbago."))[2, D.BASE_COLUMNS.index("lex")] == before


def run(args: list[str], cwd: Path, timeout: int = 240) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def test_import_reads_doccano_and_label_studio(tmp_path):
    letter = ROOT / "tests" / "data" / "letters" / "2013_numbered_items.txt"
    (tmp_path / "in").mkdir()
    shutil.copy(letter, tmp_path / "in" / letter.name)
    records = {}
    for fmt, suffix in (("spans", "jsonl"), ("doccano", "jsonl"), ("labelstudio", "json")):
        result = run([sys.executable, "scripts/preannotate.py", str(tmp_path / "in"), "-o", str(tmp_path / "tasks"),
                      "-f", fmt, "--root", str(tmp_path)], ROOT)
        assert result.returncode == 0, result.stderr
        tasks = tmp_path / f"tasks.{fmt}.{suffix}"  # the file type the tool imports
        assert tasks.is_file()
        out = tmp_path / f"{fmt}.jsonl"
        result = run([sys.executable, "scripts/import_annotations.py", str(tasks), "-o", str(out),
                      "--annotator", "tester", "--split", "train"], ROOT)
        assert result.returncode == 0, result.stderr
        records[fmt] = json.loads(out.read_text(encoding="utf8"))
    spans = [(s["start"], s["end"], s["label"]) for s in records["spans"]["spans"]]
    assert spans and any(label == "DIAGNOSIS" for _, _, label in spans)
    for fmt in ("doccano", "labelstudio"):
        assert [(s["start"], s["end"], s["label"]) for s in records[fmt]["spans"]] == spans
        assert records[fmt]["text"] == letter.read_text(encoding="utf8")
    assert records["spans"]["meta"]["annotator"] == "tester" and records["spans"]["meta"]["split"] == "train"


def test_import_rejects_bad_corrections(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": "Norco 10 mg", "label": [[0, 6, "DRUG"]]}) + "\n", encoding="utf8")
    result = run([sys.executable, "scripts/import_annotations.py", str(bad), "-o", str(tmp_path / "out.jsonl")], ROOT)
    assert result.returncode == 1 and "whitespace" in result.stderr
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.slow
def test_annotate_retrain_loop_end_to_end(tmp_path):
    project = copy_project(tmp_path)
    letters = project / "annotation" / "new_letters"
    letters.mkdir(parents=True)
    for name in ("2013_numbered_items.txt", "2015_noisy_crlf.txt"):
        shutil.copy(ROOT / "tests" / "data" / "letters" / name, letters / name)
    result = run([sys.executable, "-m", "spacy", "project", "run", "preannotate", str(project)], project)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    tasks = [json.loads(line) for line in (project / "annotation/tasks.spans.jsonl").read_text().splitlines()]
    assert len(tasks) == 2
    # the "annotator" removes one predicted span: the correction must reach the corpus
    corrected = [dict(t, spans=t["spans"][1:]) for t in tasks]
    (project / "annotation" / "corrected.jsonl").write_text("".join(json.dumps(t) + "\n" for t in corrected))
    result = run(
        [sys.executable, "-m", "spacy", "project", "run", "annotate-loop", str(project),
         "--vars.tagger_fraction", "0.1", "--vars.tagger_epochs", "2", "--vars.compare_limit", "3"],
        project,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    imported = [json.loads(line) for line in (project / "corpus/annotated/new_letters.jsonl").read_text().splitlines()]
    assert [len(r["spans"]) for r in imported] == [len(t["spans"]) - 1 for t in tasks]
    assert (project / "training" / "diagnosis_tagger" / "model").is_file()
    metrics = json.loads((project / "metrics" / "diagnosis-model-candidate.json").read_text())
    runs = next(iter(metrics["runs"].values()))
    assert set(runs) == {"rules", "model", "combined"}
