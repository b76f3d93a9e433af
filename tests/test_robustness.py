"""Property tests: whatever text comes in, the pipeline returns a valid record.

Inputs are random mixes of real letter lines (from the sample letters), unicode noise,
control characters, CRLF line ends, glued words and cut-off letters. For every one:
no exception, every span's offsets index the input text, the record validates
against the JSON schema and serializes to JSON.
"""

from __future__ import annotations

import os
import tempfile

import jsonschema
import pytest
import srsly
from conftest import LETTERS_2016, SEEDS, read
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imr_nlp.cli import parse_records
from imr_nlp.output import schema, to_dict

LETTERS = [read(p) for p in SEEDS + LETTERS_2016]
LINES = sorted({line for text in LETTERS for line in text.splitlines() if line.strip()})
VALIDATOR = jsonschema.Draft202012Validator(schema())
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters PDF extraction and old editors leave in text files.
ODD_CHARS = [
    "\x00",
    "\x0c",
    "\x0b",
    "\x1b",
    "\x7f",
    "\x85",
    "\u00a0",
    "\u200b",
    "\u2028",
    "\ufeff",
    "\ufffd",
    "\t",
    "\r",
]

noise = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
odd = st.lists(st.sampled_from(ODD_CHARS), min_size=1, max_size=4).map("".join)


@st.composite
def mangled_line(draw) -> str:
    """A real letter line, maybe glued, re-cased, broken or sprinkled with odd characters."""
    line = draw(st.sampled_from(LINES))
    how = draw(st.sampled_from(["as is", "glued", "upper", "broken", "odd", "cut"]))
    if how == "glued":
        return line.replace(" ", "")
    if how == "upper":
        return line.upper()
    if how == "broken" and len(line) > 2:
        at = draw(st.integers(1, len(line) - 1))
        return line[:at] + draw(st.sampled_from(["\n", "\r\n", "  \n ", "-\n"])) + line[at:]
    if how == "odd":
        at = draw(st.integers(0, len(line)))
        return line[:at] + draw(odd) + line[at:]
    if how == "cut":
        return line[: draw(st.integers(0, len(line)))]
    return line


piece = st.one_of(mangled_line(), mangled_line(), mangled_line(), noise, odd)
separator = st.sampled_from(["\n", "\r\n", "\n\n", " ", "", "\r\n\r\n"])


@st.composite
def letter_like(draw) -> str:
    pieces = draw(st.lists(piece, max_size=60))
    sep = draw(separator)
    return sep.join(pieces)


@st.composite
def damaged_letter(draw) -> str:
    """A whole real letter, cut, with CRLF line ends and noise inserted at random places."""
    text = draw(st.sampled_from(LETTERS))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    for _ in range(draw(st.integers(0, 5))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.one_of(noise, odd)) + text[at:]
    start = draw(st.integers(0, len(text) // 4))
    end = draw(st.integers(start, len(text)))
    return text[start:end]


def spans(obj):
    """Every dict shaped like a span (int start/end, str text), however deep."""
    if isinstance(obj, dict):
        if (
            isinstance(obj.get("start"), int)
            and isinstance(obj.get("end"), int)
            and isinstance(obj.get("text"), str)
        ):
            yield obj
        for value in obj.values():
            yield from spans(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from spans(value)


def check_record(text: str, record: dict) -> None:
    VALIDATOR.validate(record)
    srsly.json_dumps(record)
    for span in spans(record):
        assert 0 <= span["start"] <= span["end"] <= len(text), span
        assert text[span["start"] : span["end"]] == span["text"], span
    starts = [e["start"] for e in record["entities"]]
    assert starts == sorted(starts)


@SETTINGS
@given(text=letter_like())
def test_random_mixes_never_break_the_pipeline(nlp, text):
    check_record(text, to_dict(nlp(text), id="random"))


@SETTINGS
@given(text=damaged_letter())
def test_damaged_letters_keep_valid_offsets(nlp, text):
    check_record(text, to_dict(nlp(text), id="damaged"))


@settings(max_examples=80, deadline=None)
@given(text=st.text(max_size=300))
def test_arbitrary_unicode(nlp, text):
    check_record(text, to_dict(nlp(text), id="unicode"))


@settings(max_examples=80, deadline=None)
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        letter_like().map(lambda t: t.encode("utf8", "surrogatepass")),
        letter_like().map(lambda t: t.encode("cp1252", "replace")),
        st.sampled_from(LETTERS).map(lambda t: t.encode("utf-16")),
    ),
    suffix=st.sampled_from([".txt", ".pdf"]),
)
def test_any_file_gives_exactly_one_record(nlp, data, suffix):
    """Whatever bytes a file holds, the batch path yields one valid record for it."""
    fd, name = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        records = list(parse_records([name], nlp=nlp))
    finally:
        os.unlink(name)
    # One record, or one per letter when the file holds several (ids "<stem>", "<stem>#2", ...).
    stem = os.path.basename(name)[: -len(suffix)]
    assert [r["id"] for r in records] == [stem] + [f"{stem}#{k}" for k in range(2, len(records) + 1)]
    for record in records:
        assert record["path"] == name
        if "error" in record:
            assert set(record) == {"id", "path", "error", "warnings"} and record["error"] and len(records) == 1
        else:
            VALIDATOR.validate(record)
            assert len(records) == 1 or any("letters" in w for w in record["warnings"])


def _items(text: str, nlp) -> list[tuple[str, str]]:
    return [(" ".join(i["request"]["text"].split()), i["outcome"]) for i in to_dict(nlp(text))["items"]]


# CRLF line ends (letters saved on Windows) must not change what is extracted
# (CM17-0020728 has a page join inside a partial-certification header).
@pytest.mark.parametrize("path", SEEDS + LETTERS_2016, ids=lambda p: p.stem)
def test_crlf_line_ends_give_the_same_items(nlp, path):
    text = read(path)
    assert _items(text.replace("\n", "\r\n"), nlp) == _items(text, nlp)


def test_crlf_entities_are_the_lf_entities(nlp):
    """Entities too: the same spans (shifted by one character per line end) with CRLF."""
    text = read(LETTERS_2016[0]) + read(SEEDS[1])
    crlf = text.replace("\n", "\r\n")
    lf_ents = [(e.label_, " ".join(e.text.split())) for e in nlp(text).ents]
    crlf_ents = [(e.label_, " ".join(e.text.split())) for e in nlp(crlf).ents]
    assert crlf_ents == lf_ents
