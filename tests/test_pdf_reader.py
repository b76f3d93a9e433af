"""The PDFium reader: pypdf's line structure, pypdf as the fallback, hostile PDFs bounded."""

from __future__ import annotations

import io
import os
import time
import zlib

import pytest
from conftest import SAMPLES
from test_inputs import line_structure, make_pdf
from test_pdf_limits import assert_bomb_beside_a_good_pdf_is_bounded, bomb_pdf

from imr_nlp import pdfium_reader
from imr_nlp.inputs import read_letter

pytest.importorskip("pypdfium2")

# Word-made letters: an empty paragraph is a single space on its own baseline; a word
# broken at a line end keeps its hyphen.
PARAGRAPHS = [
    [
        " ",
        "Case Number: CM16-0213037",
        " ",
        "Decision rationale: the right-",
        "sided carpal tunnel syndrome",
        " ",
        " ",
        "is not medically necessary.",
    ],
    ["Page two line", " "],
    [" ", " "],
]


def encrypted(data: bytes, algorithm: str = "AES-128") -> bytes:
    """``data`` encrypted with an empty user password (IMR letters use AES-128)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password="", owner_password="owner", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("encrypt", [False, True], ids=["plain", "aes128"])
def test_pdfium_text_has_pypdfs_lines_and_blank_lines(tmp_path, encrypt):
    data = make_pdf(PARAGRAPHS)
    path = tmp_path / "letter.pdf"
    path.write_bytes(encrypted(data) if encrypt else data)
    by_pypdf = read_letter(path, pdf_reader="pypdf")
    by_pdfium = read_letter(path, pdf_reader="pdfium")
    assert by_pdfium.error is None, by_pdfium.error
    assert by_pdfium.text == by_pypdf.text
    assert by_pdfium.text.split("\n")[:5] == [
        " ",
        "Case Number: CM16-0213037",
        " ",
        "Decision rationale: the right-",
        "sided carpal tunnel syndrome",
    ]


@pytest.mark.parametrize(
    "pdf",
    [
        SAMPLES / "2016-2017" / "pdf" / "CM16-0236906.pdf",  # its last page holds only empty paragraphs
        SAMPLES / "2016-2017-batch2" / "pdf" / "CM16-0240259.pdf",  # line-end hyphens
        SAMPLES / "2016-2017" / "pdf" / "CM17-0018054.pdf",
    ],
    ids=lambda p: p.stem,
)
def test_sample_letters_same_lines_from_both_readers(pdf):
    by_pdfium = read_letter(pdf, pdf_reader="pdfium")
    assert by_pdfium.error is None
    assert line_structure(by_pdfium.text) == line_structure(read_letter(pdf, pdf_reader="pypdf").text)


def test_same_records_from_both_readers_on_a_subset(nlp):
    """scripts/compare_pdf_readers.py on six letters (all 120: run the script)."""
    from compare_pdf_readers import compare_letter

    pdfs = sorted((SAMPLES / "2016-2017" / "pdf").glob("*.pdf"))[:3]
    pdfs += sorted((SAMPLES / "2016-2017-batch2" / "pdf").glob("*.pdf"))[-3:]
    for pdf in pdfs:
        result = compare_letter(nlp, pdf)
        assert result["differences"] == [], (pdf.stem, result["differences"][:3])
        assert result["bad_offsets"] == [], (pdf.stem, result["bad_offsets"][:3])


def test_content_size_of_a_sample_letter_counts_its_decrypted_streams():
    from pypdf import PdfReader

    pdf = SAMPLES / "2016-2017" / "pdf" / "CM16-0213037.pdf"
    reader = PdfReader(pdf)
    reader.decrypt("")
    page_content = sum(len(page.get_contents().get_data()) for page in reader.pages)
    size = pdfium_reader.content_size(pdf.read_bytes())
    assert size is not None  # the AES-128 letters are checked, not left to pypdf
    assert page_content <= size < 4 * page_content + 2**20


def test_most_inflated_bounds_the_densest_deflate_stream():
    for data in (b"\0" * 10**7, b"ab" * 10**6, os.urandom(5000)):
        packed = zlib.compress(data, 9)
        assert len(data) <= pdfium_reader._most_inflated(len(packed))
    assert pdfium_reader._most_inflated(len(zlib.compress(b"\0" * 10**7, 9))) < 1.01 * 10**7


def test_the_bounded_size_check_decodes_only_the_streams_it_must(monkeypatch):
    """A letter's small streams cannot inflate past the limit, so none is decoded; the
    answer still bounds the exact size."""
    decoded = []
    inflate = pdfium_reader._inflated_size
    monkeypatch.setattr(pdfium_reader, "_inflated_size", lambda blob, budget: decoded.append(blob) or inflate(blob, budget))
    for pdf in sorted((SAMPLES / "2016-2017" / "pdf").glob("*.pdf"))[:5]:
        data = pdf.read_bytes()
        bound = pdfium_reader.content_size(data, exact=False)
        assert decoded == []
        assert pdfium_reader.content_size(data) <= bound <= pdfium_reader.MAX_CONTENT_BYTES
        decoded.clear()
    # Under a small budget the largest streams are decoded, and only until the rest fit.
    data = (SAMPLES / "2016-2017" / "pdf" / "CM16-0213037.pdf").read_bytes()
    exact = pdfium_reader.content_size(data)
    decoded.clear()
    bound = pdfium_reader.content_size(data, budget=exact + 200_000, exact=False)
    assert exact <= bound <= exact + 200_000
    assert 0 < len(decoded) < len(list(pdfium_reader._streams(data)))
    assert min(map(len, decoded)) >= 100  # the largest


@pytest.fixture
def pdfium_calls(monkeypatch):
    """Counts the documents handed to PDFium."""
    api = pdfium_reader._api()
    calls = []
    original = api.load_document

    def spy(*args):
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(api, "load_document", spy)
    return calls


def test_a_file_pdfium_rejects_is_read_by_pypdf(tmp_path, monkeypatch, pdfium_calls):
    path = tmp_path / "letter.pdf"
    path.write_bytes(make_pdf(PARAGRAPHS))
    assert read_letter(path).error is None and len(pdfium_calls) == 1  # PDFium reads it
    monkeypatch.setattr(pdfium_reader._api(), "load_document", lambda *args: None)  # as for a damaged file
    letter = read_letter(path)
    assert letter.error is None and letter.warnings == []
    assert letter.text == read_letter(path, pdf_reader="pypdf").text
    assert read_letter(path, pdf_reader="pdfium").error.startswith("PDFium cannot read")


def test_a_file_whose_size_cannot_be_checked_goes_to_pypdf(tmp_path, pdfium_calls):
    # A content stream in ASCIIHex: a filter the size check does not decode.
    data = make_pdf([["Independent Medical Review"]])
    body = b"BT\n/F1 12 Tf\n14 TL\n72 720 Td\n(Independent Medical Review) Tj\nET"
    hexed = body.hex().encode() + b">"
    data = data.replace(
        b"<< /Length %d >>\nstream\n" % len(body) + body,
        b"<< /Length %d /Filter /ASCIIHexDecode >>\nstream\n" % len(hexed) + hexed,
    )
    assert b"ASCIIHexDecode" in data
    path = tmp_path / "hex.pdf"
    path.write_bytes(data)
    assert pdfium_reader.content_size(data) is None
    letter = read_letter(path)
    assert letter.error is None and letter.text == "Independent Medical Review"
    assert pdfium_calls == []


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    """The decompression bomb of test_pdf_limits (one page inflating to 300 MB), plain and
    AES-128-encrypted."""
    bomb = bomb_pdf()
    return {"plain": bomb, "aes128": encrypted(bomb)}


@pytest.mark.parametrize("kind", ["plain", "aes128"])
def test_a_decompression_bomb_never_reaches_pdfium(tmp_path, pdfium_calls, bombs, kind):
    bomb = bombs[kind]
    start = time.monotonic()
    size = pdfium_reader.content_size(bomb)
    assert size is not None and size > pdfium_reader.MAX_CONTENT_BYTES
    assert pdfium_reader.content_size(bomb, exact=False) > pdfium_reader.MAX_CONTENT_BYTES
    assert time.monotonic() - start < 5
    path = tmp_path / "bomb.pdf"
    path.write_bytes(bomb)
    letter = read_letter(path)  # pypdf's own limits make it an error
    assert letter.error is not None
    assert pdfium_calls == []


def test_other_encryption_is_read_by_pdfium_when_no_stream_must_be_inflated(tmp_path, pdfium_calls, bombs):
    """The size check decrypts only AES-128, and only to inflate a stream that might pass
    the limit: a small AES-256 letter goes to PDFium, an AES-256 bomb to pypdf."""
    path = tmp_path / "aes256.pdf"
    path.write_bytes(encrypted(make_pdf(PARAGRAPHS), "AES-256"))
    letter = read_letter(path)
    assert letter.error is None and len(pdfium_calls) == 1
    assert line_structure(letter.text) == line_structure(read_letter(path, pdf_reader="pypdf").text)
    bomb = tmp_path / "bomb256.pdf"
    bomb.write_bytes(encrypted(bombs["plain"], "AES-256"))
    assert pdfium_reader.content_size(bomb.read_bytes(), exact=False) is None  # cannot decrypt to check
    assert read_letter(bomb).error is not None and len(pdfium_calls) == 1


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs os.wait4 for the child's peak memory")
def test_encrypted_bomb_beside_good_pdfs_in_bounded_time_and_memory(tmp_path, bombs):
    """The issue's check with the bomb AES-encrypted: the size check decrypts before it inflates."""
    assert_bomb_beside_a_good_pdf_is_bounded(tmp_path, bombs["aes128"])


def test_keep_text_writes_the_text_the_offsets_index(tmp_path, nlp):
    from imr_nlp.output import to_dict

    pdf = SAMPLES / "2016-2017" / "pdf" / "CM16-0213037.pdf"
    letter = read_letter(pdf, keep_pdf_text=tmp_path)
    kept = (tmp_path / "CM16-0213037.txt").read_bytes().decode("utf-8")
    assert kept == letter.text
    for item in to_dict(nlp(letter.text), id=pdf.stem)["items"]:
        assert kept[item["request"]["start"] : item["request"]["end"]] == item["request"]["text"]
