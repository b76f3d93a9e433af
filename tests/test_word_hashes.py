"""The numpy word hashes that the diagnosis and drug finders look their first words up in."""

from __future__ import annotations

import pytest
from conftest import LETTERS_2016, SEEDS, read

from imr_nlp.normalize import drugs
from imr_nlp.normalize.word_hashes import byte_table, hashes_of, where_in, word_hashes

LETTERS = byte_table("abcdefghijklmnopqrstuvwxyz")
WORD = byte_table("abcdefghijklmnopqrstuvwxyz'-")


def _words(text, word_bytes, start_bytes=None):
    starts, ends, _ = word_hashes(text, word_bytes, start_bytes)
    return [text[s:e] for s, e in zip(starts.tolist(), ends.tolist())]


def test_words_and_their_hashes():
    text = "--tramadol; x-norco, tramadol's \u00e9tramadol tramadol"
    assert _words(text, WORD) == ["--tramadol", "x-norco", "tramadol's", "tramadol", "tramadol"]
    split = ["tramadol", "x-norco", "norco", "tramadol's", "s", "tramadol", "tramadol"]
    assert _words(text, WORD, LETTERS) == split
    starts, _, hashes = word_hashes(text, WORD, LETTERS)
    found = where_in(hashes_of({"tramadol", "norco"}), hashes)
    assert starts[found].tolist() == [2, 14, 33, 42]
    assert word_hashes("", WORD)[0].tolist() == []
    long = "x " * 20000 + "norco"  # longer than the first power tables
    assert word_hashes(long, WORD)[0].tolist()[-1] == 40000
    assert where_in(hashes_of({"norco"}), word_hashes(long, WORD)[2]).sum() == 1


@pytest.mark.parametrize("path", [*SEEDS, *LETTERS_2016[::7]])
def test_drugs_found_as_reading_every_word(monkeypatch, path):
    text = read(path)
    fast = drugs.find_drugs(text)
    assert fast or path not in SEEDS
    monkeypatch.setattr(drugs, "_first_words_ascii", lambda: None)  # read every word of the letter
    assert fast == drugs.find_drugs(text)
