"""Build ``src/imr_nlp/data/tokenizer_warmup.json``: the words ``imr_nlp.load()`` runs through
the tokenizer once so that its cache holds them.

spaCy's tokenizer caches how it split each whitespace-separated chunk ("patient,",
"Ibuprofen", "(MTUS)"), but within one text it stops adding to the cache after the first
chunk that hits a tokenizer exception ("Dr.", "a.m.", "Mr."): every later chunk of that
text is split again with the prefix, suffix and infix expressions, on every letter. IMR
letters meet such an exception in their first lines, so nearly every word of every letter
was split afresh. Chunks tokenized alone at load are cached like any other, and the
tokens are the same (the cache stores exactly the split the tokenizer computes).

The list holds the chunks without digits found in at least ``--min-letters`` of the chosen
letters (by default the batch-2 'train' letters of corpus/splits.json). These letters are
not the benchmark's sample letters (samples/letters/seeds-2014 and 2016-2017), so
``scripts/benchmark.py`` measures the warm-up on letters it was not built from.

    python scripts/build_tokenizer_warmup.py
"""

from __future__ import annotations

import collections
import json
from pathlib import Path

import typer

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "src" / "imr_nlp" / "data" / "tokenizer_warmup.json"


def main(
    splits: Path = typer.Option(ROOT / "corpus" / "splits.json", help="corpus/splits.json"),
    folder: str = typer.Option("samples/letters/2016-2017-batch2/", help="use the letters under this folder"),
    split: str = typer.Option("train", help="... that have this split"),
    min_letters: int = typer.Option(2, help="keep a chunk found in at least this many letters"),
    output: Path = typer.Option(OUTPUT),
) -> None:
    letters = sorted(
        path
        for path, which in json.loads(splits.read_text())["letters"].items()
        if path.startswith(folder) and which == split
    )
    if not letters:
        raise typer.BadParameter(f"no {split!r} letters under {folder} in {splits}")
    found: collections.Counter[str] = collections.Counter()
    for path in letters:
        found.update(set((ROOT / path).read_text(encoding="utf8").split()))
    # words, not dates, numbers or codes: those differ from letter to letter
    chunks = sorted(
        chunk for chunk, n in found.items() if n >= min_letters and not any(c.isdigit() for c in chunk)
    )
    output.write_text(
        json.dumps(
            {
                "description": "Whitespace-separated chunks that imr_nlp.load() tokenizes once, so that the "
                "tokenizer's cache holds them (spaCy stops caching new chunks within a text after its first "
                "tokenizer exception). Only speed depends on this list; the tokens are the same without it.",
                "source": f"chunks found in at least {min_letters} of the {len(letters)} {split!r} letters under "
                f"{folder} (corpus/splits.json); public IMR determination letters, see samples/README.md",
                "built_by": "scripts/build_tokenizer_warmup.py",
                "chunks": chunks,
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf8",
    )
    print(f"{len(chunks)} chunks from {len(letters)} letters -> {output}")


if __name__ == "__main__":
    typer.run(main)
