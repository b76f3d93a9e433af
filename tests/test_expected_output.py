"""Speed work must not change what the pipeline finds: a handful of letters (2014 seeds,
2016-2017 letters, one of batch 2) compared with their stored JSON records.

The stored records in tests/data/expected/ were written before the speed work; regenerate
one only when an output change is intended:
    imr-nlp parse samples/letters/.../ID.txt   (drop "path", indent 1)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SAMPLES

from imr_nlp.output import to_dict

EXPECTED = Path(__file__).parent / "data" / "expected"


def _source(stem: str) -> Path:
    return next(SAMPLES.glob(f"**/{stem}.txt"))


@pytest.mark.parametrize("expected", sorted(EXPECTED.glob("*.json")), ids=lambda p: p.stem)
def test_record_is_unchanged(nlp, expected):
    want = json.loads(expected.read_text(encoding="utf8"))
    got = to_dict(nlp(_source(expected.stem).read_text(encoding="utf8")), id=expected.stem)
    assert json.loads(json.dumps(got)) == want


def test_there_are_expected_records():
    assert len(list(EXPECTED.glob("*.json"))) >= 5
