"""Import every module that registers a spaCy factory or architecture.

Listed in the ``spacy_factories`` entry points too, so a saved pipeline loads with plain
``spacy.load`` and ``spacy project`` commands see the same factories (``--code``).
"""

# Absolute import: spaCy's ``--code`` loads this file on its own, outside the package.
from imr_nlp import (  # noqa: F401
    diagnosis_tagger,
    entity_rules,
    items,
    letter_attributes,
    linear_ner,
    patient_diagnoses,
    reasons_model,
    reasons_rules,
    sections,
)
