"""Shared fixtures: the shipped pipeline and the sample letters kept in the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "letters"
SEEDS = sorted((SAMPLES / "seeds-2014").glob("*.txt"))
LETTERS_2016 = sorted((SAMPLES / "2016-2017" / "txt").glob("*.txt"))
PDFS_2016 = sorted((SAMPLES / "2016-2017" / "pdf").glob("*.pdf"))
HANDWRITTEN = ROOT / "tests" / "data" / "letters"


def read(path: Path) -> str:
    return path.read_text(encoding="utf8")


@pytest.fixture(scope="session")
def nlp():
    import imr_nlp

    return imr_nlp.load()
