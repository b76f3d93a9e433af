"""A file holding several letters gives one record per letter (offsets into the file), its
cost grows linearly, and one maximum length holds for the API and the command line."""

from __future__ import annotations

import time

import pytest
from conftest import LETTERS_2016, SEEDS, read

from imr_nlp.cli import parse_records
from imr_nlp.inputs import letter_bounds
from imr_nlp.output import to_dict
from imr_nlp.resources import MAX_CHARS


def _items(record: dict) -> list[tuple[str, str, int, int]]:
    return [(it["request"]["text"], it["outcome"], it["request"]["start"], it["request"]["end"]) for it in record["items"]]


@pytest.mark.parametrize(
    "picks",
    [(LETTERS_2016[0], LETTERS_2016[10], LETTERS_2016[20]), (SEEDS[0], LETTERS_2016[30], SEEDS[1])],
    ids=["2016-letters", "seeds-and-2016"],
)
def test_a_file_of_three_letters_gives_three_records(nlp, tmp_path, picks):
    texts = [read(p) for p in picks]
    joined = "\n".join(texts)
    path = tmp_path / "bundle.txt"
    path.write_text(joined, encoding="utf8")
    records = list(parse_records([path], nlp=nlp))
    assert [r["id"] for r in records] == ["bundle", "bundle#2", "bundle#3"]
    offset = 0
    for record, text in zip(records, texts):
        assert "error" not in record
        assert any("holds 3 letters" in w for w in record["warnings"])
        alone = to_dict(nlp(text), id="x")
        assert record["case_number"] == alone["case_number"]
        # the same items, offsets into the whole file
        want = [(t, o, s + offset, e + offset) for t, o, s, e in _items(alone)]
        assert _items(record) == want and want
        for _, _, start, end in want:
            assert joined[start:end] == text[start - offset : end - offset]
        for entity in record["entities"]:
            assert joined[entity["start"] : entity["end"]] == entity["text"]
        offset += len(text) + 1


def test_one_letter_is_never_split():
    for path in [*SEEDS, *LETTERS_2016]:
        assert letter_bounds(read(path)) == [(0, len(read(path)))], path.name


def _cpu(run) -> float:
    start = time.process_time()
    run()
    return time.process_time() - start


def test_cost_grows_linearly(nlp, tmp_path):
    """Ten letters in one file cost about ten letters; one 600,000-character text costs
    per character about what a letter does (it was quadratic)."""
    texts = [read(p) for p in LETTERS_2016[:10]]
    list(nlp.pipe(texts))  # warm
    one_by_one = min(_cpu(lambda: list(nlp.pipe(texts))) for _ in range(2))
    path = tmp_path / "ten.txt"
    path.write_text("\n".join(texts), encoding="utf8")
    bundled = _cpu(lambda: list(parse_records([path], nlp=nlp)))
    assert bundled < 2.0 * one_by_one + 0.3, (bundled, one_by_one)

    long_text = ""
    k = 0
    while len(long_text) < 600_000:  # one text, no split (the API parses what it is given)
        long_text += read(LETTERS_2016[k % len(LETTERS_2016)]) + "\n"
        k += 1
    per_char_letters = one_by_one / sum(map(len, texts))
    per_char_long = min(_cpu(lambda: nlp(long_text)) for _ in range(2)) / len(long_text)  # as warm as the letters
    assert per_char_long < 2.0 * per_char_letters, (per_char_long / per_char_letters)


def test_one_maximum_length_for_api_and_cli(nlp):
    assert nlp.max_length == MAX_CHARS
    with pytest.raises(ValueError, match="E088"):
        nlp("x" * (MAX_CHARS + 1))
