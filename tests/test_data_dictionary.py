"""docs/data-dictionary.md is generated from the schema and the column descriptions, and stays current."""

from __future__ import annotations

import build_data_dictionary
from conftest import ROOT

from imr_nlp.output import schema
from imr_nlp.tables import COLUMN_DESCRIPTIONS, COLUMNS


def schema_nodes(node, path="$"):
    """(path, node) of every schema node that describes a value: the root, each property,
    each $defs entry, array items and oneOf/allOf branches that are objects with properties."""
    yield path, node
    for key in ("properties", "$defs"):
        for name, child in (node.get(key) or {}).items():
            if isinstance(child, dict):
                yield from schema_nodes(child, f"{path}.{key}.{name}")
    items = node.get("items")
    if isinstance(items, dict) and "$ref" not in items:
        yield from schema_nodes(items, f"{path}.items")
    for key in ("oneOf", "anyOf"):
        for i, alt in enumerate(node.get(key) or []):
            if isinstance(alt, dict) and alt.get("properties"):
                yield from (p for p in schema_nodes(alt, f"{path}.{key}[{i}]") if p[0] != f"{path}.{key}[{i}]")


def test_every_schema_node_has_a_description():
    missing = [path for path, node in schema_nodes(schema()) if not node.get("description")]
    assert missing == []


def test_every_table_column_has_a_type_and_description():
    assert [c for c in COLUMNS if not all(COLUMN_DESCRIPTIONS.get(c, ("", "")))] == []
    assert set(COLUMN_DESCRIPTIONS) <= set(COLUMNS)


def test_committed_data_dictionary_is_up_to_date():
    committed = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf8")
    assert committed == build_data_dictionary.render(), "run python scripts/build_data_dictionary.py"


def test_data_dictionary_lists_every_field_and_column():
    text = build_data_dictionary.render()
    for path, _ in build_data_dictionary.fields(schema(), schema()):
        assert f"| `{path}` |" in text
    for column in COLUMNS:
        assert f"| `{column}` |" in text
    for key in ("icd10cm", "diagnoses", "date_assigned", "mme_per_day_range", "ingredients"):
        assert key in text
