"""Tests for imr_nlp.inputs: reading letters from disk, including hostile input."""

from __future__ import annotations

import logging
import os
import random
import tracemalloc
from pathlib import Path

import pytest

from imr_nlp import inputs
from imr_nlp.inputs import (
    SUPPORTED_SUFFIXES,
    LetterInput,
    error_record,
    iter_input_paths,
    looks_like_letter,
    read_letter,
)

SAMPLES = Path(__file__).parent.parent / "samples" / "letters" / "2016-2017"
SAMPLE_PDF = SAMPLES / "pdf" / "CM16-0213037.pdf"

LETTER_TEXT = (
    "INDEPENDENT MEDICAL REVIEW FINAL DETERMINATION\n"
    "Decision rationale: Norco 10/325 mg #60 is not medically necessary.\n"
)


# ----------------------------------------------------------------------- helpers


def _pdf_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[str]], *, bad_startxref: bool = False) -> bytes:
    """Build a small valid PDF whose pages show the given lines in Helvetica."""
    objs: list[bytes] = []
    n = len(pages)
    font_id = 3 + 2 * n
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    for i, lines in enumerate(pages):
        content_id = 4 + 2 * i
        objs.append(
            (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {content_id} 0 R >>"
            ).encode()
        )
        shown = " T* ".join(f"({_pdf_escape(line)}) Tj" for line in lines)
        ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td", shown, "ET"] if lines else []
        stream = "\n".join(ops).encode("latin-1")
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for num, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objs) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % (xref_at + 7 if bad_startxref else xref_at)
    return bytes(out)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return p


# ----------------------------------------------------------------------- text files


@pytest.mark.parametrize(
    ("data", "expected_text", "expected_warning"),
    [
        # plain UTF-8: no warning
        ("Naproxen 550 mg #60 — not medically necessary".encode(),
         "Naproxen 550 mg #60 — not medically necessary", None),
        # UTF-8 with BOM: BOM removed, no warning
        (b"\xef\xbb\xbfCase Number: CM16-0213037\n", "Case Number: CM16-0213037\n", None),
        # Windows-1252 smart quotes and accented letter
        (b"caf\xe9 \x93quoted\x94 Lidoderm 5% patch", "café “quoted” Lidoderm 5% patch",
         "decoded as cp1252"),
        # byte 0x81 is undefined in cp1252: latin-1 is the last resort
        (b"Tramadol ER 150mg \x81\xe9", "Tramadol ER 150mg \x81é", "decoded as latin-1"),
        # UTF-16 with BOM (Notepad "Unicode")
        ("Soma 350mg #90".encode("utf-16"), "Soma 350mg #90", "decoded as utf-16"),
        # CRLF line ends are kept as they are (offsets index the file's text)
        (b"Line one\r\nLine two\r\n", "Line one\r\nLine two\r\n", None),
    ],
)
def test_text_encodings(tmp_path, data, expected_text, expected_warning):
    res = read_letter(write(tmp_path, "letter.txt", data))
    assert res.error is None
    assert res.text == expected_text
    if expected_warning is None:
        assert res.warnings == []
    else:
        assert expected_warning in res.warnings


def test_nul_bytes_inside_text_become_spaces(tmp_path):
    data = LETTER_TEXT.encode() + b"Independent\x00Medical Review " * 20
    res = read_letter(write(tmp_path, "nul.txt", data))
    assert res.error is None
    assert len(res.text) == len(data)  # offsets preserved
    assert "\x00" not in res.text
    assert "Independent Medical Review" in res.text
    assert "replaced 20 NUL character(s) with spaces" in res.warnings


def test_trailing_nul_padding_is_text(tmp_path):
    data = LETTER_TEXT.encode() + b"\x00" * 5000
    res = read_letter(write(tmp_path, "padded.txt", data))
    assert res.error is None
    assert res.text.rstrip() == LETTER_TEXT.rstrip()


@pytest.mark.parametrize(
    ("name", "data", "error_prefix"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \r\n\n\t \n", "empty file"),
        ("random.txt", random.Random(7).randbytes(4096), "binary file (not text)"),
        ("random_small.txt", random.Random(8).randbytes(64), "binary file (not text)"),
        ("zeros.txt", b"\x00" * 2048, "binary file (not text)"),
        ("nul_heavy.txt", b"N\x00o\x00r\x00c\x00o\x00 " * 50, "binary file (not text)"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "binary file (not text)"),
        ("letter.docx.txt", b"PK\x03\x04" + b"\x14\x00" * 100, "binary file (not text)"),
        ("letter.docx", b"PK\x03\x04" + b"\x14\x00" * 100, "unsupported file type .docx"),
        ("README", b"Independent Medical Review", "unsupported file type (no suffix)"),
        ("notes.TXT.bak", b"hello", "unsupported file type .bak"),
    ],
)
def test_hostile_files_give_errors(tmp_path, name, data, error_prefix):
    p = write(tmp_path, name, data)
    res = read_letter(p)
    assert res.text is None
    assert res.error is not None and res.error.startswith(error_prefix), res.error
    assert res.id == p.stem and res.path == str(p)


def test_suffix_is_case_insensitive(tmp_path):
    res = read_letter(write(tmp_path, "LETTER.TXT", LETTER_TEXT.encode()))
    assert res.error is None and res.text == LETTER_TEXT
    assert res.id == "LETTER"


def test_huge_file_is_truncated(tmp_path):
    p = write(tmp_path, "huge.txt", ("Norco 10/325 mg " * 10_000).encode())
    res = read_letter(p, max_chars=1000)
    assert res.error is None
    assert len(res.text) == 1000
    assert res.text == ("Norco 10/325 mg " * 10_000)[:1000]
    assert "truncated to 1000 characters" in res.warnings


def test_exactly_max_chars_is_not_truncated(tmp_path):
    p = write(tmp_path, "exact.txt", b"x" * 1000)
    res = read_letter(p, max_chars=1000)
    assert res.text == "x" * 1000 and res.warnings == []


def test_truncation_counts_characters_not_bytes(tmp_path):
    # 3-byte characters: 1000 characters are 3000 bytes
    p = write(tmp_path, "wide.txt", ("€" * 5000).encode("utf-8"))
    res = read_letter(p, max_chars=1000)
    assert res.text == "€" * 1000
    assert "truncated to 1000 characters" in res.warnings


def test_huge_file_memory_is_bounded(tmp_path):
    """A 20 MB file with a small cap must not be read whole into memory."""
    p = tmp_path / "big.txt"
    line = b"Decision rationale: Norco is not medically necessary.\n"
    with open(p, "wb") as fh:
        for _ in range(20 * 1024 * 1024 // len(line)):
            fh.write(line)
    tracemalloc.start()
    try:
        res = read_letter(p, max_chars=100_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(res.text) == 100_000
    assert peak < 8 * 1024 * 1024, peak


def test_missing_path(tmp_path):
    res = read_letter(tmp_path / "nope.txt")
    assert res.error == "file not found" and res.text is None and res.id == "nope"


def test_directory(tmp_path):
    res = read_letter(tmp_path)
    assert res.error is not None and "directory" in res.error


def test_permission_error_is_reported(tmp_path, monkeypatch):
    p = write(tmp_path, "locked.txt", LETTER_TEXT.encode())

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(p))

    monkeypatch.setattr(inputs, "open", denied, raising=False)
    res = read_letter(p)
    assert res.error == "cannot read file: Permission denied"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read mode-000 files")
def test_real_unreadable_file(tmp_path):
    p = write(tmp_path, "locked.txt", LETTER_TEXT.encode())
    p.chmod(0)
    try:
        res = read_letter(p)
    finally:
        p.chmod(0o644)
    assert res.error is not None and res.error.startswith("cannot read file")


def test_fifo_is_not_read(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    res = read_letter(fifo)  # must not block
    assert res.error == "not a regular file"


# ----------------------------------------------------------------------- PDF files


def test_sample_pdf_text():
    res = read_letter(SAMPLE_PDF)
    assert res.error is None, f"{res.error} (install pypdf[crypto]: sample PDFs are AES-encrypted)"
    assert "CM16-0213037" in res.text
    assert "Decision rationale" in res.text
    assert res.id == "CM16-0213037"
    assert looks_like_letter(res.text)


def line_structure(text: str) -> list:
    """Each non-blank line with its spacing made uniform, and each blank line as ""."""
    return [" ".join(line.split()) for line in text.split("\n")]


@pytest.mark.parametrize("stem", ["CM16-0213037", "CM16-0219557", "CM16-0221706"])
def test_sample_pdf_matches_provided_text(stem):
    """The shipped .txt files were extracted by pypdf (pages joined by \\n); PDFium's text,
    laid out in pypdf's lines, has the same lines and blank lines, spacing aside."""
    expected = (SAMPLES / "txt" / f"{stem}.txt").read_bytes().decode("utf-8")
    assert read_letter(SAMPLES / "pdf" / f"{stem}.pdf", pdf_reader="pypdf").text == expected
    res = read_letter(SAMPLES / "pdf" / f"{stem}.pdf")
    assert res.text != expected  # PDFium's: one space where pypdf has two, fewer trailing spaces
    assert line_structure(res.text) == line_structure(expected)


def test_keep_pdf_text_writes_exact_text(tmp_path):
    out = tmp_path / "extracted"
    res = read_letter(SAMPLE_PDF, keep_pdf_text=out)
    written = (out / "CM16-0213037.txt").read_bytes().decode("utf-8")
    assert written == res.text


def test_generated_pdf_pages_joined_with_newline(tmp_path):
    p = write(tmp_path, "two.pdf", make_pdf([["Independent Medical Review"], ["Decision rationale: upheld"]]))
    res = read_letter(p)
    assert res.error is None
    assert res.text.split("\n") == ["Independent Medical Review", "Decision rationale: upheld"]


def test_pdf_truncated(tmp_path):
    p = write(tmp_path, "long.pdf", make_pdf([[f"Page {i} of the letter text"] for i in range(10)]))
    res = read_letter(p, max_chars=40)
    assert len(res.text) == 40
    assert res.text.startswith("Page 0 of the letter text\nPage 1")
    assert "truncated to 40 characters" in res.warnings


@pytest.mark.parametrize(
    ("name", "data", "error_prefix"),
    [
        ("garbage.pdf", b"%PDF-1.4 garbage", "unreadable PDF"),
        ("cut.pdf", make_pdf([["Independent Medical Review"]])[:200], "unreadable PDF"),
        ("letter.pdf", LETTER_TEXT.encode(), "not a PDF (no %PDF header)"),
        ("photo.pdf", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "not a PDF (no %PDF header)"),
        ("junk_before_header.pdf", b"\r\n\x00junk" + b"%PDF-1.4 garbage", "unreadable PDF"),
        ("empty.pdf", b"", "empty file"),
        ("scanned.pdf", make_pdf([[], []]), "PDF has no extractable text (scanned?)"),
    ],
)
def test_bad_pdfs(tmp_path, name, data, error_prefix):
    res = read_letter(write(tmp_path, name, data))
    assert res.text is None
    assert res.error is not None and res.error.startswith(error_prefix), res.error


def test_blank_page_pdf_from_pypdf(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    p = tmp_path / "blank.pdf"
    with open(p, "wb") as fh:
        writer.write(fh)
    assert read_letter(p).error == "PDF has no extractable text (scanned?)"


def test_password_protected_pdf(tmp_path):
    from pypdf import PdfReader, PdfWriter

    src = write(tmp_path, "plain.pdf", make_pdf([["Independent Medical Review"]]))
    writer = PdfWriter(clone_from=PdfReader(src))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    p = tmp_path / "locked.pdf"
    with open(p, "wb") as fh:
        writer.write(fh)
    res = read_letter(p)
    assert res.error == "encrypted PDF (password required)"


def test_pdf_warnings_captured_not_logged(tmp_path, caplog):
    p = write(tmp_path, "offset.pdf", make_pdf([["Independent Medical Review"]], bad_startxref=True))
    with caplog.at_level(logging.DEBUG):
        res = read_letter(p, pdf_reader="pypdf")  # PDFium repairs the file without a word
    assert read_letter(p).text == "Independent Medical Review"
    assert res.error is None and res.text == "Independent Medical Review"
    assert any(w.startswith("pdf: ") for w in res.warnings), res.warnings
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]
    # logger state restored
    assert logging.getLogger("pypdf").propagate is True


def test_pdf_content_in_txt_file_is_read_as_pdf(tmp_path):
    p = write(tmp_path, "letter.txt", make_pdf([["Independent Medical Review"]]))
    res = read_letter(p)
    assert res.text == "Independent Medical Review"
    assert any("content is PDF" in w for w in res.warnings)


# ----------------------------------------------------------------------- paths


def test_iter_input_paths_walks_sorted_and_skips(tmp_path):
    write(tmp_path, "b.txt", b"x")
    write(tmp_path, "a.PDF", b"x")
    write(tmp_path, "notes.docx", b"x")
    write(tmp_path, ".hidden.txt", b"x")
    write(tmp_path, ".git/config.txt", b"x")
    write(tmp_path, "sub/c.txt", b"x")
    write(tmp_path, "sub/deeper/a.txt", b"x")
    write(tmp_path, "Z.txt", b"x")
    skipped: list[tuple[Path, str]] = []
    got = list(iter_input_paths([tmp_path], on_skip=lambda p, why: skipped.append((p, why))))
    rel = [p.relative_to(tmp_path).as_posix() for p in got]
    assert rel == ["Z.txt", "a.PDF", "b.txt", "sub/c.txt", "sub/deeper/a.txt"]
    reasons = {p.name: why for p, why in skipped}
    assert reasons == {
        "notes.docx": "unsupported file type .docx",
        ".hidden.txt": "hidden file",
        ".git": "hidden directory",
    }


def test_iter_input_paths_explicit_files_always_yielded(tmp_path):
    docx = write(tmp_path, "x.docx", b"x")
    hidden = write(tmp_path, ".h.txt", b"x")
    missing = tmp_path / "missing.txt"
    got = list(iter_input_paths([str(docx), hidden, missing]))
    assert got == [docx, hidden, missing]
    assert read_letter(missing).error == "file not found"
    assert read_letter(docx).error.startswith("unsupported file type")


def test_empty_directory_is_yielded_for_a_record(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    write(tmp_path, "empty/readme.md", b"x")
    assert list(iter_input_paths([empty])) == [empty]
    assert read_letter(empty).error == "is a directory with no .txt or .pdf files"


def test_unlistable_subdirectory_is_yielded(tmp_path, monkeypatch):
    write(tmp_path, "a.txt", b"x")
    locked = tmp_path / "locked"
    locked.mkdir()
    real_walk = os.walk

    def walk(top, onerror=None, **kw):
        for dirpath, dirnames, filenames in real_walk(top, onerror=onerror, **kw):
            if Path(dirpath) == locked:
                onerror(PermissionError(13, "Permission denied", str(locked)))
                dirnames[:] = []
                continue
            yield dirpath, dirnames, filenames

    monkeypatch.setattr(inputs.os, "walk", walk)
    assert list(iter_input_paths([tmp_path])) == [tmp_path / "a.txt", locked]


def test_text_mentioning_pdf_header_stays_text(tmp_path):
    data = b"Notes on the file format: %PDF-1.4 appears in headers.\n" + LETTER_TEXT.encode()
    res = read_letter(write(tmp_path, "notes.txt", data))
    assert res.error is None and res.text == data.decode()


def test_walk_on_samples_is_deterministic():
    first = list(iter_input_paths([SAMPLES]))
    assert first == list(iter_input_paths([SAMPLES]))
    assert len([p for p in first if p.suffix == ".pdf"]) == 70
    assert all(p.suffix in SUPPORTED_SUFFIXES for p in first)


# ----------------------------------------------------------------------- checks


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("INDEPENDENT MEDICAL REVIEW FINAL DETERMINATION", True),
        ("Independent Medical\nReview", True),
        ("MAXIMUS Federal Services sent the complete case file", True),
        ("Case Number: CM16-0213037", True),
        ("Decision rationale: the request is not medically necessary", True),
        ("Decision rationale: the request is notmedically\nnecessary", True),
        ("The IMR found the request medically necessary.", True),
        ("The Expert Reviewer based his decision on MTUS guidelines.", True),
        ("Grocery list: milk, eggs, bread", False),
        ("The treatment is medically necessary.", False),
        ("Vitamin D 1000 IU daily, #30", False),
        ("", False),
    ],
)
def test_looks_like_letter(text, expected):
    assert looks_like_letter(text) is expected


def test_all_sample_letters_look_like_letters():
    root = Path(__file__).parent.parent / "samples" / "letters"
    texts = sorted(root.glob("*/*.txt")) + sorted(root.glob("*/txt/*.txt"))
    assert texts
    for p in texts:
        res = read_letter(p)
        assert res.error is None and res.warnings == [], p
        assert looks_like_letter(res.text), p


def test_error_record_shape(tmp_path):
    res = read_letter(write(tmp_path, "empty.txt", b""))
    rec = error_record(res)
    assert rec == {"id": "empty", "path": str(tmp_path / "empty.txt"), "error": "empty file", "warnings": []}


def test_letter_input_text_none_iff_error(tmp_path):
    cases = [
        write(tmp_path, "ok.txt", LETTER_TEXT.encode()),
        write(tmp_path, "bad.txt", b""),
        write(tmp_path, "bad.pdf", b"%PDF-1.4 garbage"),
        tmp_path / "missing.pdf",
    ]
    for p in cases:
        res = read_letter(p)
        assert isinstance(res, LetterInput)
        assert (res.text is None) == (res.error is not None)


def test_a_pdf_is_stated_and_read_once(monkeypatch):
    """One stat, one open, one read of a letter's PDF (PDFium reads the bytes read for the
    header check): each system call gives up the GIL, which a reader thread pays for."""
    calls: list[str] = []
    real_stat, real_open, real_read = os.stat, os.open, os.read

    def counted(name, real):
        def call(target, *args, **kwargs):
            if target == SAMPLE_PDF or (name == "read" and target in opened):
                calls.append(name)
            result = real(target, *args, **kwargs)
            if name == "open" and target == SAMPLE_PDF:
                opened.add(result)
            return result

        return call

    opened: set[int] = set()
    monkeypatch.setattr(os, "stat", counted("stat", real_stat))
    monkeypatch.setattr(os, "open", counted("open", real_open))
    monkeypatch.setattr(os, "read", counted("read", real_read))
    letter = read_letter(SAMPLE_PDF)
    assert letter.error is None and "Case Number: CM16-0213037" in letter.text
    assert calls == ["stat", "open", "read"]


def test_a_shorter_file_than_its_size_is_read_as_it_is(tmp_path, monkeypatch):
    """A file that shrank between the stat and the read: PDFium gets no bytes, the path."""
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(SAMPLE_PDF.read_bytes())
    monkeypatch.setattr(inputs, "_stat", lambda path: (os.stat(path).st_mode, os.stat(path).st_size + 10))
    given = []
    real = inputs.pdfium_reader.extract_text
    monkeypatch.setattr(
        inputs.pdfium_reader, "extract_text", lambda *args: given.append(args[3]) or real(*args)
    )
    assert read_letter(pdf).text == read_letter(SAMPLE_PDF).text
    assert given[0] is None
