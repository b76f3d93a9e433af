"""Fill the tokenizer's cache with the common words of IMR letters when the pipeline loads.

spaCy's tokenizer remembers how it split each whitespace-separated chunk ("patient,",
"(MTUS)"), but within one text it stops remembering new chunks after the first one that
hits a tokenizer exception ("Dr.", "a.m."). Letters meet one in their first lines, so
almost every chunk of every letter was split again with the prefix, suffix and infix
expressions: the tokenizer was half of the pipeline's time. :func:`warm_tokenizer`
tokenizes each chunk of ``data/tokenizer_warmup.json`` alone once, so the cache holds
them for every later text. The tokens are the same (the cache holds exactly the split the
tokenizer computes); only speed changes.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokenizer import Tokenizer

from .resources import load_json

WARMUP_FILE = "tokenizer_warmup.json"


def warm_tokenizer(nlp: Language) -> Language:
    """Tokenize the packaged common chunks once with ``nlp.tokenizer`` (a spaCy ``Tokenizer``;
    any other tokenizer is left alone). A pipeline from :func:`imr_nlp.load` does this at
    load and again on its first text after its tokenizer was replaced (or the pipeline
    unpickled in another process); call it yourself after changing the tokenizer's rules
    in place (``tokenizer.from_disk``, setting ``prefix_search``, ...), which empties its
    cache."""
    tokenizer = nlp.tokenizer
    if isinstance(tokenizer, Tokenizer):
        for chunk in load_json(WARMUP_FILE)["chunks"]:
            tokenizer(chunk)
    return nlp


__all__ = ["warm_tokenizer"]
