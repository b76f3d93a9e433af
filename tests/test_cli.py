"""End-to-end tests of ``imr-nlp parse``: one record per input, in order, whatever the input.

The command runs in a subprocess (as users run it), on a folder mixing real letters
(text and PDF) with hostile inputs.
"""

from __future__ import annotations

import csv
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from conftest import LETTERS_2016, PDFS_2016
from spacy.language import Language

from imr_nlp.batch import parse_records
from imr_nlp.output import NOT_A_LETTER, schema, to_dict
from imr_nlp.tables import COLUMNS

SUMMARY = re.compile(r"imr-nlp: (\d+) inputs: (\d+) parsed cleanly, (\d+) with warnings, (\d+) failed")
MAX_CHARS = 1_100_000  # above spaCy's default nlp.max_length (1,000,000)

NOT_A_LETTER_TEXT = (
    "Quarterly facilities meeting, notes\n\n"
    "Attendees: facilities team, two contractors.\n"
    "1. The parking lot resurfacing is scheduled for the second week of May.\n"
    "2. Badge readers on the east entrance will be replaced; expect delays.\n"
    "3. Next meeting: same room, bring the updated floor plans.\n"
)


def _letter(i: int) -> Path:
    return LETTERS_2016[i]


def _pdf_of(txt: Path) -> Path:
    pdf = txt.parent.parent / "pdf" / f"{txt.stem}.pdf"
    assert pdf in PDFS_2016
    return pdf


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "imr_nlp.cli", "parse", "--no-progress", *args]
    return subprocess.run(cmd, capture_output=True, text=True, encoding="utf8", timeout=180)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[list[Path], dict[str, str]]:
    """Inputs in a deliberate non-alphabetical order, and what each should give."""
    d = tmp_path_factory.mktemp("hostile")
    rng = random.Random(20240611)
    pdf_letter, nul_letter = _letter(1), _letter(2)
    files: list[tuple[str, bytes | None, str]] = []

    def add(name: str, data: bytes | None, kind: str) -> None:
        files.append((name, data, kind))

    add("zeta_good.txt", _letter(0).read_bytes(), "letter")
    add("empty.txt", b"", "error")
    add(f"{pdf_letter.stem}.pdf", _pdf_of(pdf_letter).read_bytes(), "letter")
    add("random.txt", bytes(rng.randrange(256) for _ in range(4096)), "error")
    add(f"{pdf_letter.stem}.txt", pdf_letter.read_bytes(), "letter")
    cp = _letter(4).read_text(encoding="utf8")
    cp = cp.replace("'", "\u2019").replace(" - ", " \u2013 ") + "\nR\u00e9sum\u00e9 of care \u00a7 9792.24\n"
    add("legacy_cp1252.txt", cp.encode("cp1252"), "cp1252")
    text = nul_letter.read_text(encoding="utf8")
    spaces = [i for i, c in enumerate(text) if c == " "][::97]
    nul = "".join("\x00" if i in set(spaces) else c for i, c in enumerate(text))
    add("nul_bytes.txt", nul.encode("utf8"), "nul")
    t5 = _letter(5).read_text(encoding="utf8")
    add("truncated.txt", t5[: len(t5) * 4 // 10].encode("utf8"), "truncated")
    add("meeting_notes.txt", NOT_A_LETTER_TEXT.encode("utf8"), "not_letter")
    t6 = _letter(6).read_text(encoding="utf8")
    add("huge.txt", (t6 * (1_300_000 // len(t6) + 1)).encode("utf8"), "huge")
    add(
        "corrupt.pdf",
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\n" + bytes(range(256)) * 8,
        "error",
    )
    add("missing/nowhere.txt", None, "error")
    add("a_good.txt", nul_letter.read_bytes(), "letter")

    paths, kinds = [], {}
    for name, data, kind in files:
        path = d / name
        if data is not None:
            path.write_bytes(data)
        paths.append(path)
        kinds[str(path)] = kind
    return paths, kinds


@pytest.fixture(scope="module")
def jsonl_run(hostile):
    paths, _ = hostile
    proc = _run(*map(str, paths), "--max-chars", str(MAX_CHARS))
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    return proc, records


def _by_name(records: list[dict], paths: list[Path], name: str) -> dict:
    return records[[p.name for p in paths].index(name)]


def _items(record: dict) -> list[tuple[str, str]]:
    return [(" ".join(i["request"]["text"].split()), i["outcome"]) for i in record["items"]]


def test_one_record_per_input_in_input_order(hostile, jsonl_run):
    paths, _ = hostile
    proc, records = jsonl_run
    assert proc.returncode == 1
    assert [r["path"] for r in records] == [str(p) for p in paths]
    # the .pdf and .txt of one letter share a stem: their ids keep the suffix
    assert [r["id"] for r in records] == [p.name if p.stem == _letter(1).stem else p.stem for p in paths]


def test_no_traceback_and_summary_counts(hostile, jsonl_run):
    paths, _ = hostile
    proc, records = jsonl_run
    assert "Traceback" not in proc.stderr
    match = SUMMARY.search(proc.stderr)
    assert match, proc.stderr
    total, ok, warned, failed = map(int, match.groups())
    assert total == len(paths)
    assert failed == sum("error" in r for r in records) == 4
    assert warned == sum("error" not in r and bool(r["warnings"]) for r in records)
    assert ok + warned + failed == total


@pytest.mark.parametrize(
    "kind, check",
    [
        ("letter", lambda r: not r["warnings"] and r["items"]),
        ("cp1252", lambda r: any("cp1252" in w for w in r["warnings"]) and r["items"]),
        ("nul", lambda r: any("NUL" in w for w in r["warnings"]) and r["items"]),
        ("truncated", lambda r: NOT_A_LETTER not in r["warnings"]),
        ("not_letter", lambda r: NOT_A_LETTER in r["warnings"] and r["items"] == []),
        (
            "huge",
            lambda r: any(f"truncated to {MAX_CHARS}" in w for w in r["warnings"]) and len(r["items"]) > 10,
        ),
    ],
)
def test_readable_inputs_give_letter_records(hostile, jsonl_run, kind, check):
    paths, kinds = hostile
    _, records = jsonl_run
    validator = jsonschema.Draft202012Validator(schema())
    chosen = [r for r in records if kinds[r["path"]] == kind]
    assert chosen
    for record in chosen:
        assert "error" not in record, record.get("error")
        validator.validate(record)
        assert check(record), (record["path"], record["warnings"], len(record["items"]))
        for item in record["items"]:
            assert item["outcome"] in ("upheld", "overturned")


@pytest.mark.parametrize(
    "name, reason",
    [
        ("empty.txt", "empty file"),
        ("random.txt", "binary"),
        ("corrupt.pdf", "PDF"),
        ("nowhere.txt", "not found"),
    ],
)
def test_bad_inputs_give_error_records(hostile, jsonl_run, name, reason):
    paths, _ = hostile
    _, records = jsonl_run
    record = _by_name(records, paths, name)
    assert set(record) == {"id", "path", "error", "warnings"}
    assert reason in record["error"]


def test_nul_bytes_do_not_change_items(hostile, jsonl_run):
    paths, _ = hostile
    _, records = jsonl_run
    clean, nul = _by_name(records, paths, "a_good.txt"), _by_name(records, paths, "nul_bytes.txt")
    assert _items(nul) == _items(clean) != []


def test_pdf_record_equals_text_record(hostile, jsonl_run):
    paths, _ = hostile
    _, records = jsonl_run
    stem = _letter(1).stem
    pdf, txt = _by_name(records, paths, f"{stem}.pdf"), _by_name(records, paths, f"{stem}.txt")
    assert _items(pdf) == _items(txt) != []
    assert pdf["case_number"] == txt["case_number"]
    assert [i["treatment"]["drug"] for i in pdf["items"]] == [i["treatment"]["drug"] for i in txt["items"]]


def _expected_rows(records: list[dict]) -> list[tuple[str, str | None]]:
    rows = []
    for r in records:
        items = r.get("items") or []
        rows += [(r["path"], i["outcome"]) for i in items] or [(r["path"], None)]
    return rows


def test_csv_one_row_per_item(hostile, jsonl_run, tmp_path):
    paths, _ = hostile
    _, records = jsonl_run
    out = tmp_path / "items.csv"
    proc = _run(*map(str, paths), "--max-chars", str(MAX_CHARS), "--format", "csv", "--output", str(out))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    with out.open(encoding="utf8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS
        rows = list(reader)
    assert [(r["path"], r["outcome"] or None) for r in rows] == _expected_rows(records)
    errors = {r["path"] for r in rows if r["error"]}
    assert errors == {r["path"] for r in records if "error" in r}


def test_parquet_one_row_per_item(hostile, jsonl_run, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    paths, _ = hostile
    _, records = jsonl_run
    out = tmp_path / "items.parquet"
    proc = _run(*map(str, paths), "--max-chars", str(MAX_CHARS), "--format", "parquet", "--output", str(out))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    table = pq.read_table(out)
    assert table.column_names == COLUMNS
    got = list(zip(table.column("path").to_pylist(), table.column("outcome").to_pylist(), strict=True))
    assert got == _expected_rows(records)
    assert table.schema.field("item_index").type == "int64"


def test_two_processes_give_identical_records(hostile, jsonl_run):
    paths, _ = hostile
    _, records = jsonl_run
    proc = _run(*map(str, paths), "--max-chars", str(MAX_CHARS), "--n-process", "2", "--batch-size", "2")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert [json.loads(line) for line in proc.stdout.splitlines()] == records


def test_read_ahead_flags_give_identical_records(hostile, jsonl_run):
    """The default run reads ahead on a machine with two cores (the inputs hold a PDF).
    Ids aside: a subset's ids need no suffix (no other input shares the PDF's stem)."""
    paths, _ = hostile
    _, records = jsonl_run
    small = [i for i, p in enumerate(paths) if p.suffix == ".pdf" or p.name in ("zeta_good.txt", "empty.txt")]

    def without_id(record: dict) -> dict:
        return {k: v for k, v in record.items() if k != "id"}

    for flag in ("--read-ahead", "--no-read-ahead"):
        proc = _run(*[str(paths[i]) for i in small], "--max-chars", str(MAX_CHARS), flag)
        assert "Traceback" not in proc.stderr
        got = [without_id(json.loads(line)) for line in proc.stdout.splitlines()]
        assert got == [without_id(records[i]) for i in small]


@pytest.mark.parametrize("folder", [LETTERS_2016[0].parent, PDFS_2016[0].parent], ids=["text", "pdf"])
def test_closed_stdout_is_not_a_traceback(folder):
    """`imr-nlp parse DIR | head -1` stops quietly, exit code 1; with PDFs while the reader
    thread is still reading (it must end before PDFium is shut down at exit)."""
    cmd = [sys.executable, "-m", "imr_nlp.cli", "parse", "--no-progress", "--read-ahead", str(folder)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read().decode("utf8", "replace")
    proc.wait(timeout=120)
    assert json.loads(first)["id"] == sorted(folder.iterdir())[0].stem
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr
    assert proc.returncode == 1



@pytest.mark.parametrize("kind", ["letter", "truncated", "not_letter", "cp1252", "nul"])
def test_cli_record_is_the_library_record(nlp, hostile, jsonl_run, kind):
    """``imr-nlp parse`` and ``to_dict(nlp(text))`` give the same record for the same file.

    The CLI adds ``path``; its ``id`` is the file's (to_dict's default is the case number,
    so the test passes the CLI's id); the reader's warnings (encoding, NUL bytes, PDF) come
    first. Everything else, the "not a letter" warning included, is to_dict's."""
    from imr_nlp.inputs import read_letter

    paths, kinds = hostile
    _, records = jsonl_run
    chosen = [r for r in records if kinds[r["path"]] == kind]
    assert chosen
    for record in chosen:
        inp = read_letter(Path(record["path"]), max_chars=MAX_CHARS, id=record["id"])
        expected = to_dict(nlp(inp.text), id=record["id"], path=record["path"])
        expected["warnings"] = inp.warnings + [w for w in expected["warnings"] if w not in inp.warnings]
        assert record == json.loads(json.dumps(expected))
        if Path(record["path"]).suffix == ".txt" and not inp.warnings:  # plain text: the library record as is
            text = Path(record["path"]).read_text(encoding="utf8")
            assert {k: v for k, v in record.items() if k != "path"} == json.loads(
                json.dumps(to_dict(nlp(text), id=record["id"]))
            )

# ----------------------------------------------------- parse_records with failing components


@Language.component("test_cli_fails_on_marker")
def _fails_on_marker(doc):
    if "XQZ-FAIL" in doc.text:
        raise RuntimeError("component failed on purpose")
    return doc


class _PipeRaises:
    """A component whose own .pipe lets an exception escape (bypassing spaCy's error handler)."""

    def __call__(self, doc):
        if "XQZ-FAIL" in doc.text:
            raise RuntimeError("component failed on purpose")
        return doc

    def pipe(self, docs, batch_size=16):
        for doc in docs:
            yield self(doc)


@Language.factory("test_cli_pipe_raises")
def _make_pipe_raises(nlp, name):
    return _PipeRaises()


@pytest.mark.parametrize("component", ["test_cli_fails_on_marker", "test_cli_pipe_raises"])
@pytest.mark.parametrize("n_process", [1, 2])
def test_failing_component_costs_one_letter_only(tmp_path, component, n_process):
    import imr_nlp

    paths = []
    for i, source in enumerate(LETTERS_2016[:9]):
        text = source.read_text(encoding="utf8")
        if i in (2, 6):
            text += "\nXQZ-FAIL\n"
        path = tmp_path / f"{i:02d}.txt"
        path.write_text(text, encoding="utf8")
        paths.append(path)
    nlp = imr_nlp.load()
    nlp.add_pipe(component)
    records = list(parse_records(paths, nlp=nlp, n_process=n_process, batch_size=2))
    assert [r["path"] for r in records] == [str(p) for p in paths]
    failed = [i for i, r in enumerate(records) if "error" in r]
    assert failed == [2, 6]
    assert all("component failed on purpose" in records[i]["error"] for i in failed)
    assert all(records[i]["items"] for i in range(9) if i not in failed)


# ------------------------------------------------------------------------ record ids


@pytest.mark.parametrize(
    "names, expected",
    [
        (["x/a.txt", "x/b.pdf"], ["a", "b"]),
        (["x/a.txt", "x/b/a.pdf"], ["a.txt", "b/a.pdf"]),
        (["x/2016/CM1.pdf", "x/2017/CM1.pdf", "x/CM2.txt"], ["2016/CM1.pdf", "2017/CM1.pdf", "CM2"]),
        (["x/a.txt", "x/a.txt"], ["a.txt", "a.txt#2"]),
    ],
)
def test_letter_ids_are_unique_and_readable(tmp_path, names, expected):
    from imr_nlp.inputs import letter_ids

    assert letter_ids([tmp_path / n for n in names]) == expected


def test_same_stem_inputs_keep_distinct_ids_and_kept_texts(tmp_path):
    """Two PDFs named alike in different folders: distinct ids, both extracted texts kept."""
    for sub, txt in (("2016", LETTERS_2016[0]), ("2017", LETTERS_2016[1])):
        (tmp_path / "in" / sub).mkdir(parents=True)
        (tmp_path / "in" / sub / "letter.pdf").write_bytes(_pdf_of(txt).read_bytes())
    kept = tmp_path / "kept"
    records = list(parse_records([tmp_path / "in"], keep_text=kept))
    assert [r["id"] for r in records] == ["2016/letter.pdf", "2017/letter.pdf"]
    for record in records:
        text = (kept / f"{record['id']}.txt").read_text(encoding="utf8")
        item = record["items"][0]["request"]
        assert text[item["start"] : item["end"]] == item["text"]
