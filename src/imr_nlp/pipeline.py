"""Assemble and load the imr_nlp pipeline.

``config.cfg`` in the package data is the source of truth for the default pipeline;
``load(path)`` loads a pipeline saved with ``nlp.to_disk`` (for example one trained with
``spacy project run``).
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

from . import register  # noqa: F401  (registers factories and registry functions)
from .resources import data_file


def default_config_path() -> Path:
    """Path of the packaged default pipeline config."""
    return Path(str(data_file("config.cfg")))


def load(path: str | Path | None = None) -> Language:
    """Return the imr_nlp pipeline.

    path (str | Path | None): a pipeline directory saved with ``nlp.to_disk`` or a
        ``.cfg`` file; ``None`` builds the shipped default pipeline.
    RETURNS (Language): the pipeline, ready for ``nlp(text)`` and ``nlp.pipe(texts)``.
    """
    if path is None:
        path = default_config_path()
    path = Path(path)
    if path.suffix == ".cfg":
        config = spacy.util.load_config(path)
        nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
        nlp.initialize()
        return nlp
    if not path.exists():
        raise FileNotFoundError(f"No imr_nlp pipeline at {path}")
    return spacy.load(path)
