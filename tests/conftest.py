"""Shared fixtures: the shipped pipeline and the sample letters kept in the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "letters"
SEEDS = sorted((SAMPLES / "seeds-2014").glob("*.txt"))
LETTERS_2016 = sorted((SAMPLES / "2016-2017" / "txt").glob("*.txt"))
PDFS_2016 = sorted((SAMPLES / "2016-2017" / "pdf").glob("*.pdf"))
PDFS_BATCH2 = sorted((SAMPLES / "2016-2017-batch2" / "pdf").glob("*.pdf"))
HANDWRITTEN = ROOT / "tests" / "data" / "letters"


def read(path: Path) -> str:
    return path.read_text(encoding="utf8")


@pytest.fixture(scope="session")
def nlp():
    import imr_nlp

    return imr_nlp.load()


def copy_project(tmp_path: Path) -> Path:
    """A copy of the spaCy project (project.yml, configs, scripts, corpus) in ``tmp_path``,
    with ``src`` and ``samples`` linked, for tests that run ``spacy project run``."""
    import shutil

    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "project.yml", project / "project.yml")
    for folder in ("configs", "scripts", "corpus"):
        shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (project / "src").symlink_to(ROOT / "src")
    (project / "samples").symlink_to(ROOT / "samples")
    return project
