"""Hostile PDFs are bounded: a decompression bomb beside a good letter gives an error record
and the letter, in bounded time and memory (same items from PDF and text: test_pdf_letters)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zlib

import pytest
from conftest import SAMPLES


def bomb_pdf(inflated_mb: int = 300) -> bytes:
    """A one-page PDF (under 1 MB) whose content stream inflates to ``inflated_mb`` MB of
    text-showing operators: a decompression bomb."""
    line = b"BT /F1 12 Tf 72 712 Td (Decompression bomb text) Tj ET\n"
    chunk = line * (2**20 // len(line))
    squeeze = zlib.compressobj(9)
    stream = b"".join([squeeze.compress(chunk) for _ in range(inflated_mb)] + [squeeze.flush()])
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def assert_bomb_beside_a_good_pdf_is_bounded(folder, bomb: bytes) -> None:
    """``imr-nlp parse`` over a good letter PDF and ``bomb``: two records (the letter fully
    parsed, the bomb an error record) in < 60 s and < 1.5 GiB peak RSS of the child."""
    good = SAMPLES / "2016-2017" / "pdf" / "CM16-0213037.pdf"
    shutil.copy(good, folder / good.name)
    (folder / "bomb.pdf").write_bytes(bomb)
    out = folder / "out.jsonl"
    cmd = [sys.executable, "-m", "imr_nlp.cli", "parse", "--no-progress", str(folder), "--output", str(out)]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.monotonic() - start
    peak_mb = usage.ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
    records = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf8").splitlines())}
    assert set(records) == {"CM16-0213037", "bomb"}
    assert "error" not in records["CM16-0213037"] and records["CM16-0213037"]["items"]
    assert "error" in records["bomb"]
    assert os.waitstatus_to_exitcode(status) == 1  # one input failed
    assert elapsed < 60, f"{elapsed:.1f} s"
    assert peak_mb < 1536, f"{peak_mb:.0f} MiB"


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs os.wait4 for the child's peak memory")
def test_pdf_bomb_beside_a_good_pdf_gives_two_records_in_bounded_time_and_memory(tmp_path):
    bomb = bomb_pdf()
    assert len(bomb) < 1_500_000
    assert_bomb_beside_a_good_pdf_is_bounded(tmp_path, bomb)
