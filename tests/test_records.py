"""The record TypedDicts (imr_nlp.records) and the JSON Schema describe the same records.

Both ways, recursively: every schema property is a key of the TypedDict, every key is a
schema property, the required keys are the schema's ``required``, and a property holding
objects (directly, in an array, or nullable) is typed with the TypedDict of those objects.
"""

from __future__ import annotations

import typing
from typing import Any, get_args, get_type_hints

import pytest

from imr_nlp import records
from imr_nlp.output import schema


def _is_typeddict(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, dict) and hasattr(tp, "__required_keys__")


def _typeddicts_in(tp: Any) -> list[type]:
    """The TypedDicts an annotation holds: ``X``, ``X | None``, ``list[X]``, ``list[X] | None``."""
    if _is_typeddict(tp):
        return [tp]
    return [td for arg in get_args(tp) for td in _typeddicts_in(arg)]


def _resolve(node: dict, root: dict) -> dict:
    while "$ref" in node:
        name = node["$ref"].removeprefix("#/$defs/")
        node = {**root["$defs"][name], **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _object_schemas(node: dict, root: dict) -> list[dict]:
    """The object schemas a property's schema allows (through $ref, oneOf/anyOf, arrays)."""
    node = _resolve(node, root)
    found = []
    for alternative in node.get("oneOf", []) + node.get("anyOf", []):
        found += _object_schemas(alternative, root)
    if "properties" in node:
        merged = dict(node)
        for part in node.get("allOf", []):  # e.g. entity = span + its own properties
            part = _resolve(part, root)
            merged["properties"] = {**part.get("properties", {}), **merged["properties"]}
            merged["required"] = sorted(set(part.get("required", [])) | set(merged.get("required", [])))
        found.append(merged)
    if "items" in node:
        found += _object_schemas(node["items"], root)
    return found


def _check(td: type, node: dict, root: dict, where: str, seen: set[str]) -> None:
    [obj] = _object_schemas(node, root)
    properties = set(obj["properties"])
    keys = set(td.__required_keys__) | set(td.__optional_keys__)
    assert sorted(properties - keys) == [], f"{where} ({td.__name__}): schema properties missing from the TypedDict"
    assert sorted(keys - properties) == [], f"{where} ({td.__name__}): keys the schema does not have"
    assert set(td.__required_keys__) == set(obj.get("required", [])), f"{where} ({td.__name__}): required keys"
    seen.add(td.__name__)
    hints = get_type_hints(td)
    for key in sorted(keys):
        nested = _typeddicts_in(hints[key])
        objects = _object_schemas(obj["properties"][key], root)
        assert len(nested) == len(objects) <= 1, f"{where}.{key}: typed {hints[key]}, schema objects {len(objects)}"
        if nested:
            _check(nested[0], obj["properties"][key], root, f"{where}.{key}", seen)


def test_letter_record_matches_the_schema_recursively():
    root = schema()
    seen: set[str] = set()
    _check(records.LetterRecord, root, root, "record", seen)
    # every record type of the module is reached from the letter record (ErrorRecord apart)
    declared = {name for name in records.__all__ if _is_typeddict(getattr(records, name))}
    assert declared - seen == {"ErrorRecord"}


def test_error_record_shares_the_letter_record_keys():
    """Error records are batch-only (not in the schema): their keys are letter-record keys,
    plus ``error``."""
    letter = records.LetterRecord.__required_keys__ | records.LetterRecord.__optional_keys__
    assert records.ErrorRecord.__required_keys__ - letter == {"error"}


@pytest.mark.parametrize(
    "annotation, expected",
    [
        (records.Span, ["Span"]),
        (records.Span | None, ["Span"]),
        (list[records.Citation], ["Citation"]),
        (typing.Optional[list[records.Entity]], ["Entity"]),  # noqa: UP045
        (list[int] | None, []),
        (str, []),
    ],
)
def test_typeddicts_in_annotations(annotation, expected):
    assert [td.__name__ for td in _typeddicts_in(annotation)] == expected


def test_the_check_catches_a_missing_and_an_extra_key():
    """The comparison fails when the two drift apart (a key added on one side only)."""
    root = schema()

    class Narrow(typing.TypedDict):
        start: int
        end: int

    class Wide(typing.TypedDict):
        start: int
        end: int
        text: str
        page: int

    span = root["$defs"]["span"]
    for td in (Narrow, Wide):
        with pytest.raises(AssertionError):
            _check(td, span, root, "span", set())
    _check(records.Span, span, root, "span", set())


def test_library_and_batch_signatures_use_the_record_types():
    from imr_nlp import batch, output

    assert get_type_hints(output.to_dict)["return"] is records.LetterRecord
    assert get_type_hints(output.entity_record)["return"] is records.Entity
    assert get_type_hints(batch.letter_record)["return"] is records.LetterRecord
