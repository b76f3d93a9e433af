"""The tokenizer warm-up at load: same tokens, fewer affix searches."""

from __future__ import annotations

import spacy
from conftest import HANDWRITTEN, LETTERS_2016, SAMPLES, SEEDS, read

from imr_nlp.resources import load_json
from imr_nlp.tokenizer_warmup import WARMUP_FILE, warm_tokenizer

BATCH2 = sorted((SAMPLES / "2016-2017-batch2" / "txt").glob("*.txt"))


def _tokens(nlp, text):
    return [(t.text, t.whitespace_, t.norm_, t.is_space) for t in nlp.make_doc(text)]


def test_warm_tokenizer_gives_the_same_tokens(nlp):
    """The loaded pipeline's (warm) tokenizer splits every letter as a blank English one."""
    cold = spacy.blank("en")
    texts = [read(p) for p in [*SEEDS, *LETTERS_2016, *BATCH2, *sorted(HANDWRITTEN.glob("*.txt"))]]
    texts += ["Dr. Smith's a.m. visit (MTUS) e.g. 5mg, 10/325mg. U.S. Ibuprofen,", ""]
    assert len(texts) > 120
    for text in texts:
        assert _tokens(nlp, text) == _tokens(cold, text)


class _Counting:
    """A tokenizer suffix_search that counts its calls."""

    def __init__(self, search):
        self.search, self.calls = search, 0

    def __call__(self, text):
        self.calls += 1
        return self.search(text)


def _suffix_searches(warm: bool, texts: list[str]) -> int:
    nlp = spacy.blank("en")
    counting = _Counting(nlp.tokenizer.suffix_search)
    nlp.tokenizer.suffix_search = counting  # (setting it empties the cache)
    if warm:
        warm_tokenizer(nlp)
    counting.calls = 0
    for text in texts:
        nlp.tokenizer(text)
    return counting.calls


def test_warm_up_spares_most_affix_searches():
    """On letters the list was not built from (the benchmark's sample letters), the warm
    tokenizer runs the suffix expression on well under half as many chunks."""
    texts = [read(p) for p in [*SEEDS, *LETTERS_2016[:20]]]
    cold, warm = _suffix_searches(False, texts), _suffix_searches(True, texts)
    assert warm < 0.5 * cold, (warm, cold)


def test_warm_up_list_holds_single_chunks_without_digits():
    chunks = load_json(WARMUP_FILE)["chunks"]
    assert 500 < len(chunks) < 5000  # the tokenizer caches at most 10,000 chunks
    assert chunks == sorted(set(chunks))
    assert all(c and c.split() == [c] and not any(ch.isdigit() for ch in c) for c in chunks)


def test_a_new_tokenizer_or_an_unpickled_pipeline_is_warmed_on_first_use(nlp):
    import pickle

    copy = pickle.loads(pickle.dumps(nlp))
    assert copy.make_doc._warmed is None  # the copy's tokenizer is new: not warm yet
    text = read(SEEDS[0])
    assert [t.text for t in copy(text)] == [t.text for t in nlp(text)]
    assert copy.make_doc._warmed is copy.tokenizer
    copy.tokenizer = spacy.blank("en").tokenizer
    copy.make_doc(text)
    assert copy.make_doc._warmed is copy.tokenizer
