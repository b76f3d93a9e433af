"""Reading ahead (imr_nlp.batch._ReadAhead): a background thread reads the inputs of a
one-process batch holding PDFs while the pipeline parses the letters before.

What must hold: the same records in the same order as without it; the reader never more
than its bound ahead; an exception in the reader reaches the consumer; stopping early
stops the reader; the switch interval is lowered only while it runs; PDFium's costly
calls release the GIL (otherwise the thread cannot overlap anything); pypdf, whose
warnings are caught process-wide, never reads in the thread."""

from __future__ import annotations

import ctypes
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import LETTERS_2016, PDFS_2016

from imr_nlp import batch
from imr_nlp.batch import READ_AHEAD_CHARS, READ_AHEAD_SWITCH_INTERVAL, _ReadAhead, parse_records
from imr_nlp.inputs import LetterInput


def _inp(i: int, text: str = "x") -> LetterInput:
    return LetterInput(f"l{i}", f"l{i}.txt", text, [])


def _ahead(items, max_items: int) -> _ReadAhead:
    return _ReadAhead(iter(items), max_items, lambda inp: len(inp.text))


def _wait_until(condition, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def _reader_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "imr-nlp-reader"]


def test_inputs_come_in_order_and_all():
    assert [inp.id for inp in _ahead([_inp(i) for i in range(50)], 4)] == [f"l{i}" for i in range(50)]


@pytest.mark.parametrize("text_size, bound", [(10, 5), (READ_AHEAD_CHARS // 2, 2)])
def test_reader_stays_within_its_bound(text_size, bound):
    """Five letters ahead at most; or as many as hold READ_AHEAD_CHARS characters."""
    produced = []

    def inputs():
        for i in range(100):
            produced.append(i)
            yield _inp(i, "x" * text_size)

    stream = iter(_ahead(inputs(), 5))
    assert next(stream).id == "l0"
    # the reader fills what it may hold, plus the one it waits to add
    assert _wait_until(lambda: len(produced) >= bound + 2)
    time.sleep(0.2)
    assert len(produced) == bound + 2
    assert [inp.id for inp in stream] == [f"l{i}" for i in range(1, 100)]


def test_reader_error_reaches_the_consumer_after_the_inputs_before_it():
    def inputs():
        yield _inp(0)
        yield _inp(1)
        raise RuntimeError("reader bug")

    got = []
    with pytest.raises(RuntimeError, match="reader bug"):
        for inp in _ahead(inputs(), 4):
            got.append(inp.id)
    assert got == ["l0", "l1"]


def test_switch_interval_lowered_while_reading_then_restored():
    before = sys.getswitchinterval()
    seen = [sys.getswitchinterval() for _ in _ahead([_inp(0), _inp(1)], 4)]
    assert seen == [min(before, READ_AHEAD_SWITCH_INTERVAL)] * 2
    assert sys.getswitchinterval() == before


def test_stopping_early_stops_the_reader():
    def endless():
        i = 0
        while True:
            yield _inp(i)
            i += 1

    before = sys.getswitchinterval()
    stream = iter(_ahead(endless(), 3))
    assert next(stream).id == "l0"
    stream.close()
    assert _wait_until(lambda: not _reader_threads())
    assert sys.getswitchinterval() == before


def test_pdfium_work_releases_the_gil_and_small_calls_keep_it():
    """CFUNCTYPE prototypes release the GIL around the call, PYFUNCTYPE ones keep it."""
    from imr_nlp.pdfium_reader import _api

    api = _api()

    def releases(function) -> bool:
        return not type(function)._flags_ & ctypes._FUNCFLAG_PYTHONAPI

    assert all(releases(f) for f in (api.load_document, api.load_page, api.load_textpage))
    small = [api.page_count, api.get_object, api.font_size, api.object_matrix, api.object_text, api.close_page]
    assert not any(releases(f) for f in small)


# ------------------------------------------------------------------- in parse_records


def _inputs(tmp_path: Path) -> list[Path]:
    """Two PDFs, their letters as text, an empty file and a broken PDF."""
    paths = []
    for txt in LETTERS_2016[:2]:
        pdf = txt.parent.parent / "pdf" / f"{txt.stem}.pdf"
        assert pdf in PDFS_2016
        paths += [pdf, txt]
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    return paths + [tmp_path / "empty.txt", tmp_path / "broken.pdf"]


@pytest.mark.parametrize("cpus", [2, 1])
def test_a_batch_with_pdfs_is_read_ahead_when_a_core_is_free(nlp, tmp_path, monkeypatch, cpus):
    read_in = []
    real_read = batch.read_letter

    def read_letter(path, **kwargs):
        read_in.append((Path(path).name, threading.current_thread().name))
        return real_read(path, **kwargs)

    monkeypatch.setattr(batch, "_usable_cpus", lambda: cpus)
    monkeypatch.setattr(batch, "read_letter", read_letter)
    paths = _inputs(tmp_path)
    records = list(parse_records(paths, nlp=nlp))
    assert len(records) == len(paths)
    if cpus == 1:
        assert read_in == [(p.name, "MainThread") for p in paths]
    else:  # every file in the thread; the PDF PDFium cannot open again here, with pypdf
        reader = [name for name, thread in read_in if thread == "imr-nlp-reader"]
        assert reader == [p.name for p in paths]
        assert [name for name, thread in read_in if thread == "MainThread"] == ["broken.pdf"]
    read_in.clear()
    list(parse_records([p for p in paths if p.suffix == ".txt"], nlp=nlp))  # no PDF: no thread
    assert {thread for _, thread in read_in} == {"MainThread"}


def test_read_ahead_gives_the_same_records(nlp, tmp_path):
    paths = _inputs(tmp_path)
    ahead = list(parse_records(paths, nlp=nlp, read_ahead=True, batch_size=2))
    assert ahead == list(parse_records(paths, nlp=nlp, read_ahead=False, batch_size=2))
    assert [r["path"] for r in ahead] == [str(p) for p in paths]
    assert [("error" in r) for r in ahead] == [False] * 4 + [True, True]


def test_pypdf_reads_in_the_parsing_thread(nlp, tmp_path, monkeypatch):
    """A PDF PDFium declines is read with pypdf by the consumer, not by the reader thread:
    catching pypdf's warnings there would catch the parsing thread's warnings too."""
    from imr_nlp import inputs

    pypdf_in = []
    real = inputs._read_pdf_with_pypdf

    def pypdf(*args):
        pypdf_in.append(threading.current_thread().name)
        return real(*args)

    monkeypatch.setattr(inputs, "_read_pdf_with_pypdf", pypdf)
    paths = _inputs(tmp_path)
    records = list(parse_records(paths, nlp=nlp, read_ahead=True))
    assert pypdf_in == ["MainThread"]  # broken.pdf, which PDFium cannot open
    assert records[-1]["error"].startswith("unreadable PDF")


def test_a_program_that_ends_while_the_reader_reads_exits_cleanly():
    """The iterator left open at exit: the reader ends after its file, before pypdfium2's
    exit handler shuts PDFium down (a thread inside PDFium then would crash the process)."""
    import subprocess

    pdf_folder = PDFS_2016[0].parent
    script = (
        "import sys\n"
        "from imr_nlp.batch import parse_records\n"
        f"records = parse_records([{str(pdf_folder)!r}], read_ahead=True, batch_size=1)\n"
        "print(next(records)['id'])\n"
    )
    for _ in range(3):
        proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert proc.stdout.strip() == sorted(pdf_folder.iterdir())[0].stem
