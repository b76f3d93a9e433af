"""Build ``src/imr_nlp/data/icd10cm_codes.json``: the ICD-10-CM codes the DIAGNOSIS coder can give.

``imr_nlp.normalize.icd10cm`` codes a DIAGNOSIS mention from a curated table of condition
heads x sites (``data/icd10cm_map.json``) and, for heads that table lacks, from the codes stored
with the generated heads of ``data/diagnoses_icd10cm.json``. Both name a starting code; the
coder then walks down to the child code whose official description names the mention's
site, side or level. This script exports exactly what that needs, from the CDC/NCHS
ICD-10-CM tabular list (April 2026 release, public domain) as shipped by the
``simple_icd_10_cm`` package: every starting code with its official description and all its
descendant categories/subcategories, without the 7th-character extensions (a letter never
states the encounter). It is a build-time source only: the package reads the JSON and never
imports ``simple_icd_10_cm``.

To rerun::

    pip install simple-icd-10-cm==1.5.0
    python scripts/build_icd10cm_codes.py            # writes src/imr_nlp/data/icd10cm_codes.json
    python scripts/build_icd10cm_codes.py --check    # fails when a table code is not ICD-10-CM

A code of the curated table that is not in ICD-10-CM stops the build (``--check`` only reports).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path

import simple_icd_10_cm as icd

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "imr_nlp" / "data"
OUTPUT = DATA / "icd10cm_codes.json"
PACKAGE_VERSION = "1.5.0"
# Codes without a dot ("M17") are categories; their descendants are exported like any other.
SPECIAL_KEYS = frozenset({"ORDER", "SITE"})


def map_codes(table: dict) -> list[str]:
    """Every code the curated table names (``codes`` values of its heads)."""
    out = []
    for head in table["heads"]:
        for key, code in head["codes"].items():
            if key not in SPECIAL_KEYS:
                out.append(code)
    return out


def fallback_code(codes: list[str]) -> str:
    """The starting code of a generated head: the most general of its codes (shortest, first)."""
    return min(codes, key=lambda c: (len(c), codes.index(c)))


def head_codes(heads_doc: dict) -> list[str]:
    return [fallback_code(codes) for group in heads_doc["heads"].values() for codes in group.values()]


def _children(code: str) -> list[str]:
    return [c for c in icd.get_children(code) if not icd.is_extended_subcategory(c)]


def export(starts: Iterable[str]) -> dict[str, list]:
    """``{code: [description, [children]]}`` for the starting codes and their descendants."""
    codes: dict[str, list] = {}
    todo = list(starts)
    while todo:
        code = todo.pop()
        if code in codes:
            continue
        children = _children(code)
        codes[code] = [icd.get_description(code), children]
        todo.extend(children)
    return dict(sorted(codes.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="only report table codes that are not ICD-10-CM")
    args = parser.parse_args(argv)
    table = json.loads((DATA / "icd10cm_map.json").read_text(encoding="utf8"))
    heads_doc = json.loads((DATA / "diagnoses_icd10cm.json").read_text(encoding="utf8"))
    curated = map_codes(table)
    # A code may also name a one-category block (T07 "Unspecified multiple injuries" is block T07-T07).
    bad = sorted({c for c in curated if not icd.is_valid_item(c) or (icd.is_chapter_or_block(c) and not icd.is_category(c))})
    if bad:
        print(f"not ICD-10-CM codes in icd10cm_map.json: {bad}", file=sys.stderr)
        return 1
    if args.check:
        print(f"{len(set(curated))} table codes, all valid", file=sys.stderr)
        return 0
    codes = export([*curated, *head_codes(heads_doc)])
    doc = {
        "_source": {
            "classification": "ICD-10-CM, April 1, 2026 release (FY2026), Tabular List; CDC/NCHS, public domain, https://www.cdc.gov/nchs/icd/icd-10-cm/",
            "package": f"simple_icd_10_cm {PACKAGE_VERSION} (pip install simple-icd-10-cm=={PACKAGE_VERSION}), build time only",
            "built_by": "scripts/build_icd10cm_codes.py",
        },
        "_about": (
            "Official descriptions and child codes (7th-character extensions left out) of every code "
            "imr_nlp.normalize.icd10cm can start from: the codes of icd10cm_map.json and the most general "
            "code of each head of diagnoses_icd10cm.json, with all their descendants. "
            "Format: {code: [description, [child codes]]}. Generated: edit the table or the script, not this file."
        ),
        "codes": codes,
    }
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    args.output.write_text(text.replace('],"', '],\n"') + "\n", encoding="utf8")
    print(f"{len(codes)} codes, {len(text):,} characters", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
