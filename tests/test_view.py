"""``imr-nlp view`` pages, and the small command-line and API conveniences around it."""

from __future__ import annotations

import copy
import csv
import io
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from conftest import LETTERS_2016, PDFS_2016, ROOT, SEEDS, read
from test_report import assert_offline
from typer.testing import CliRunner

import imr_nlp
from imr_nlp.cli import app
from imr_nlp.output import to_dict
from imr_nlp.tables import COLUMNS
from imr_nlp.view import view_html, view_letter
from imr_nlp.visualize import ENTITY_COLORS

PDF = next(p for p in PDFS_2016 if p.stem == "CM16-0246487")
SEED = next(p for p in SEEDS if p.stem.startswith("002_"))  # two drug items, all seven labels


class _Page(HTMLParser):
    """Collects ids, marks (label, covered text) and the text of each marked item part."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.marks: list[list[str]] = []
        self.parts: dict[str, list[str]] = {}
        self._stack: list[tuple[str, str | None]] = []  # (tag, part id)
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        part = a["id"] if a.get("class") == "part" else None
        if part:
            self.parts[part] = []
        if tag == "mark":
            self.marks.append([a.get("data-label"), ""])
        skip = a.get("class") in ("ent-label", "badge")
        self._skip += skip
        if tag != "br":
            self._stack.append((tag, part, skip))

    def handle_endtag(self, tag):
        if tag == "br":
            return
        _, _, skip = self._stack.pop()
        self._skip -= skip

    def handle_data(self, data):
        if self._skip:
            return
        for _, part, _ in self._stack:
            if part:
                self.parts[part].append(data)
        if any(tag == "mark" for tag, _, _ in self._stack):
            self.marks[-1][1] += data


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def pdf_view(nlp):
    return view_letter(PDF, nlp=nlp)


def test_view_marks_every_entity_and_item_part(pdf_view):
    html, record = pdf_view
    page = _Page()
    page.feed(html)
    assert len(page.ids) == len(set(page.ids))
    # Every entity is one mark with its label and exactly its text (none crosses a part edge here).
    assert [(e["label"], _squash(e["text"])) for e in record["entities"]] == [
        (lab, _squash(t)) for lab, t in page.marks
    ]
    for label in {e["label"] for e in record["entities"]}:
        assert f"background: {ENTITY_COLORS[label]}" in html
    # Each item part is anchored and holds exactly the item's span; the table links to it.
    for n, item in enumerate(record["items"], start=1):
        assert f'id="item-{n}"' in html
        for key, suffix in [
            ("request", "request"),
            ("claims_administrator_guideline", "ca-guideline"),
            ("reviewer_guideline", "reviewer-guideline"),
            ("rationale", "rationale"),
        ]:
            if item[key]:
                anchor = f"item-{n}-{suffix}"
                assert _squash("".join(page.parts[anchor])) == _squash(item[key]["text"])
                assert f'href="#{anchor}"' in html
    assert_offline(html)
    assert "<script" not in html


def test_view_header_and_fields_that_are_not_there_yet(pdf_view):
    html, record = pdf_view
    assert record["case_number"] == "CM16-0246487"
    for value in (
        record["case_number"],
        record["decision_date"],
        record["date_of_injury"],
        *record["reviewer"]["specialties"],
    ):
        assert value in html
    # Header fields and service types the record does not carry are shown as "not available".
    missing = sum(record.get(key) is None for key in ("date_assigned", "application_received", "priority"))
    missing += sum(item["treatment"].get("service_type") is None for item in record["items"])
    assert html.count("not available") == missing
    later = copy.deepcopy(record)
    later.update(date_assigned="2016-12-01", application_received="2016-11-25", priority="Standard")
    for item in later["items"]:
        item["treatment"]["service_type"] = "surgery"
        item["reasons"] = [{"reason": "criteria_met", "start": 0, "end": 0}]
    html = view_html(read_pdf_text := imr_nlp.read_letter(PDF), later)
    assert (
        "not available" not in html
        and "2016-12-01" in html
        and ">surgery<" in html
        and "criteria_met" in html
    )
    assert len(read_pdf_text) > 1000


def test_view_escapes_the_letter_text(nlp):
    text = read(SEED).replace(
        "CLINICAL CASE SUMMARY", "CLINICAL CASE SUMMARY <script>alert('x')</script> & <b>"
    )
    html = view_html(text, to_dict(nlp(text)))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert('x')&lt;/script&gt; &amp; &lt;b&gt;" in html


def _cli(*args: str):
    """The command line in this process (the browser test runs it as `python -m imr_nlp`)."""
    return CliRunner().invoke(app, list(args))


def test_cli_view_writes_one_page_named_after_the_letter(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    done = _cli("view", str(PDF))
    assert done.exit_code == 0, done.output
    assert [p.name for p in tmp_path.iterdir()] == ["CM16-0246487.html"]
    assert "wrote CM16-0246487.html (6 items" in done.output
    missing = _cli("view", str(tmp_path / "nope.pdf"))
    assert missing.exit_code == 1 and "file not found" in missing.output


def test_version_and_module_entry_point():
    done = subprocess.run(
        [sys.executable, "-m", "imr_nlp", "--version"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stdout.strip() == imr_nlp.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", imr_nlp.__version__)
    assert "report" in _cli("--help").output


def test_csv_goes_to_stdout_without_output():
    done = _cli("parse", "--no-progress", "--format", "csv", str(SEED), str(LETTERS_2016[0]))
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert list(rows[0]) == COLUMNS
    assert [r["request"] for r in rows if r["id"] == SEED.stem][0].startswith("Oxycodone 10mg")
    assert {r["id"] for r in rows} == {SEED.stem, LETTERS_2016[0].stem}
    parquet = _cli("parse", "--no-progress", "--format", "parquet", str(SEED))
    assert parquet.exit_code == 2 and "--output" in parquet.output


def test_to_dict_id_defaults_to_the_case_number(nlp):
    doc = nlp(read(LETTERS_2016[0]))
    assert to_dict(doc)["id"] == doc._.case_number == LETTERS_2016[0].stem
    assert to_dict(doc, id="mine")["id"] == "mine"
    assert to_dict(nlp(read(SEED)))["id"] == ""  # 2014 letters print no case number


def test_read_letter_for_notebooks(tmp_path):
    text = imr_nlp.read_letter(PDF)
    assert "CM16-0246487" in text and text == imr_nlp.read_letter(str(PDF))
    assert imr_nlp.read_letter(LETTERS_2016[0]) == read(LETTERS_2016[0])
    with pytest.raises(imr_nlp.LetterReadError, match="file not found"):
        imr_nlp.read_letter(tmp_path / "missing.pdf")
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("Independent Medical Review \u2013 r\u00e9sum\u00e9".encode("cp1252"))
    with pytest.warns(UserWarning, match="decoded as cp1252"):
        assert imr_nlp.read_letter(legacy).startswith("Independent Medical Review \u2013")


def test_readme_documents_what_a_new_user_needs():
    readme = (ROOT / "README.md").read_text(encoding="utf8")
    for needle in (
        "imr-nlp view",
        "imr-nlp report",
        "imr_nlp.read_letter",
        "DISPLACY_OPTIONS",
        "SPAN_OPTIONS",
        "docs/img/view.png",
        "docs/img/report.png",
        "--version",
        "python -m imr_nlp",
    ):
        assert needle in readme, needle
    for image in ("view.png", "report.png"):
        assert (ROOT / "docs" / "img" / image).stat().st_size > 10_000
