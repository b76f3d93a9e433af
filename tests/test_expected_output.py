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


# --- every letter, as a digest -------------------------------------------------------
# tests/data/expected_digests.json holds, for every sample letter, every test letter and
# 30 generated letters (seed 0), the SHA-256 of its canonical JSON record. A refactor must
# leave all of them unchanged; an intended output change rewrites the file with
#     IMR_NLP_UPDATE_EXPECTED=1 python -m pytest tests/test_expected_output.py
# and the diff of the file says which letters changed.
DIGESTS = Path(__file__).parent / "data" / "expected_digests.json"
N_GENERATED = 30


def _digest_inputs() -> dict[str, str]:
    from conftest import HANDWRITTEN, ROOT

    texts = {}
    for path in sorted(SAMPLES.glob("**/*.txt")) + sorted(HANDWRITTEN.glob("*.txt")):
        texts[str(path.relative_to(ROOT))] = path.read_text(encoding="utf8")
    from generate_letters import generate

    for k, record in enumerate(generate(N_GENERATED, seed=0)):
        texts[f"generated/seed0/{k:02d}"] = record["text"]
    return texts


def _digest(record: dict) -> str:
    import hashlib

    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf8")).hexdigest()


def test_every_letter_is_unchanged(nlp):
    import os

    got = {}
    for name, text in _digest_inputs().items():
        got[name] = _digest(json.loads(json.dumps(to_dict(nlp(text), id=Path(name).stem))))
    if os.environ.get("IMR_NLP_UPDATE_EXPECTED"):
        DIGESTS.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n", encoding="utf8")
    want = json.loads(DIGESTS.read_text(encoding="utf8"))
    changed = sorted(name for name in want.keys() | got.keys() if want.get(name) != got.get(name))
    assert not changed, f"{len(changed)} records changed: {changed[:10]}"
    assert len(want) >= 150
