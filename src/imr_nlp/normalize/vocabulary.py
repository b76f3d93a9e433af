"""Word lists several finders share, read from one data file each.

* ``data/dosage_forms.json``: dosage-form and route words with the roles they play
  (inside a drug name, between a drug and its strength, before a package amount, the unit
  of a count per dose);
* ``data/number_words.json``: numbers and fractions written as words.
"""

from __future__ import annotations

import re
from functools import cache

from ..resources import load_json

DOSAGE_FORM_ROLES = ("drug_name", "before_strength", "package", "per_dose")


@cache
def dosage_form_words(role: str) -> tuple[str, ...]:
    """The dosage-form words playing ``role`` (one of :data:`DOSAGE_FORM_ROLES`), sorted."""
    if role not in DOSAGE_FORM_ROLES:
        raise ValueError(f"unknown dosage-form role {role!r}; roles: {DOSAGE_FORM_ROLES}")
    words = load_json("dosage_forms.json")["words"]
    return tuple(sorted(word for word, roles in words.items() if role in roles))


def dosage_form_alternation(role: str) -> str:
    """A regex alternation of the words playing ``role`` (longest first; match case-insensitively)."""
    return "|".join(re.escape(w) for w in sorted(dosage_form_words(role), key=lambda w: (-len(w), w)))


@cache
def number_words() -> dict[str, int]:
    """Numbers written as words: ``{"one": 1, ..., "one hundred twenty": 120}``."""
    return dict(load_json("number_words.json")["numbers"])


@cache
def fraction_words() -> dict[str, float]:
    """Parts of a unit written as words: ``{"half": 0.5, "1/2": 0.5}``."""
    return {word: float(value) for word, value in load_json("number_words.json")["fractions"].items()}
