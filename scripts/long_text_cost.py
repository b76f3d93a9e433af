"""CPU cost per character of one long text given to the API as one doc (``nlp(text)``)
against the same letters parsed one at a time (``nlp.pipe(letters)``).

The long texts are the sample letters joined by a line break, repeated up to each size.
Runs are interleaved (letters, then each size) and the best of ``--repeats`` is kept
(CPU time, ``time.process_time``), after one warm-up run of each.

    python scripts/long_text_cost.py --sizes 250000,500000,1000000,2000000 --repeats 3
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import imr_nlp

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LETTERS = ROOT / "samples" / "letters" / "2016-2017" / "txt"


def joined(texts: list[str], size: int) -> str:
    """The texts one after the other (joined by a line break, repeated) up to ``size`` characters."""
    parts: list[str] = []
    total = k = 0
    while total < size:
        parts.append(texts[k % len(texts)])
        total += len(parts[-1]) + 1
        k += 1
    return "\n".join(parts)[:size]


def cpu(run: Callable[[], object]) -> float:
    start = time.process_time()
    run()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=Path, default=DEFAULT_LETTERS, help="folder of .txt letters")
    parser.add_argument("--sizes", default="250000,500000,1000000,2000000", help="comma-separated characters")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    letters = [p.read_text(encoding="utf8") for p in sorted(args.letters.glob("*.txt"))]
    sizes = [int(s) for s in args.sizes.split(",")]
    nlp = imr_nlp.load()
    nlp.max_length = max(nlp.max_length, *sizes)
    texts = {n: joined(letters, n) for n in sizes}
    list(nlp.pipe(letters))
    for text in texts.values():
        nlp(text)
    n_letters = sum(map(len, letters))
    best = {"letters": float("inf"), **dict.fromkeys(sizes, float("inf"))}
    for _ in range(args.repeats):
        best["letters"] = min(best["letters"], cpu(lambda: list(nlp.pipe(letters))) / n_letters)
        for n, text in texts.items():
            best[n] = min(best[n], cpu(lambda text=text: nlp(text)) / n)
    print(f"{len(letters)} letters one at a time: {best['letters'] * 1e6:.3f} µs CPU per character")
    for n in sizes:
        print(f"one doc of {n:>9,} characters: {best[n] * 1e6:.3f} µs per character = {best[n] / best['letters']:.2f}×")


if __name__ == "__main__":
    main()
