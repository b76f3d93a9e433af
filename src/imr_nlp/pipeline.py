"""Assemble and load the imr_nlp pipeline.

``config.cfg`` in the package data is the source of truth for the default pipeline: the
rule components plus the trained DIAGNOSIS tagger ``imr_diagnosis_tagger`` (weights in
``data/diagnosis_tagger/``) and the trained reason classifier ``imr_reasons`` (weights in
``data/reasons_weights.npz``); nothing is trained or downloaded on load.
``load(rules_only=True)`` builds the same pipeline without trained components;
``load(path)`` loads a pipeline saved with ``nlp.to_disk`` (for example one trained with
``spacy project run``).
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

from . import register  # noqa: F401  (registers factories and registry functions)
from .extensions import keep_input_text
from .resources import data_file

# Components that carry trained weights; ``rules_only`` leaves them out.
TRAINED_COMPONENTS = ("imr_diagnosis_tagger", "imr_linear_ner", "imr_reasons")


def default_config_path() -> Path:
    """Path of the packaged default pipeline config."""
    return Path(str(data_file("config.cfg")))


def load(path: str | Path | None = None, *, rules_only: bool = False) -> Language:
    """Return the imr_nlp pipeline.

    path (str | Path | None): a pipeline directory saved with ``nlp.to_disk`` or a
        ``.cfg`` file; ``None`` builds the shipped default pipeline (rules + trained
        DIAGNOSIS tagger).
    rules_only (bool): leave out the trained components (the rules alone).
    RETURNS (Language): the pipeline, ready for ``nlp(text)`` and ``nlp.pipe(texts)``.
    """
    if path is None:
        path = default_config_path()
    path = Path(path)
    if path.suffix == ".cfg":
        config = spacy.util.load_config(path)
        if rules_only:
            config = _without_trained(config)
        nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
        nlp.initialize()
        return keep_input_text(nlp)
    if not path.exists():
        raise FileNotFoundError(f"No imr_nlp pipeline at {path}")
    nlp = spacy.load(path)
    if rules_only:
        for name in [n for n in nlp.pipe_names if nlp.get_pipe_meta(n).factory in TRAINED_COMPONENTS]:
            nlp.remove_pipe(name)
    return keep_input_text(nlp)


def _without_trained(config: spacy.util.Config) -> spacy.util.Config:
    """The config with every trained component (and its initialize settings) removed."""
    config = config.copy()
    components = config.get("components", {})
    trained = [name for name, block in components.items() if block.get("factory") in TRAINED_COMPONENTS]
    config["nlp"]["pipeline"] = [name for name in config["nlp"]["pipeline"] if name not in trained]
    for name in trained:
        del components[name]
        config.get("initialize", {}).get("components", {}).pop(name, None)
    return config
