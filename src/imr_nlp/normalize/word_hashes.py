"""Where the words of a letter start, with a 64-bit hash of each, for the whole text at once
in numpy (no Python object per word): a finder looks the hashes up in the sorted hashes of
the words its lexicon phrases can start with (``hashes_of``) and tries its pattern only
there. Equal words hash equal; a collision only costs the finder a try, never a miss."""

from __future__ import annotations

import numpy

__all__ = ["byte_table", "word_hashes", "hashes_of"]

_BASE = 0x9E3779B97F4A7C15  # odd: invertible modulo 2**64
_powers: list[numpy.ndarray] = []  # [base**k, base**-k] (mod 2**64) for k < their length


def byte_table(chars: str) -> bytes:
    """A bytes.translate table: 1 for the (ASCII) ``chars``, 0 for every other byte."""
    return bytes(int(chr(b) in chars) for b in range(256))


def _power_tables(n: int) -> tuple[numpy.ndarray, numpy.ndarray]:
    if not _powers or len(_powers[0]) < n:
        size = max(n, 1 << 14)
        tables = []
        for factor in (_BASE, pow(_BASE, -1, 1 << 64)):
            table = numpy.empty(size, dtype=numpy.uint64)
            table[0] = 1
            numpy.cumprod(numpy.full(size - 1, factor, dtype=numpy.uint64), out=table[1:])
            tables.append(table)
        _powers[:] = tables
    return _powers[0], _powers[1]


def word_hashes(
    text: str, word_bytes: bytes, start_bytes: bytes | None = None
) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """``(starts, ends, hashes)`` of the words of ``text``: the runs of the characters that
    ``word_bytes`` (a ``byte_table``) marks, non-ASCII characters never in one. With
    ``start_bytes`` (a subset of ``word_bytes``) a word starts at each start character that
    does not follow one and runs to the end of its run ("--x" and "y-x" give "x")."""
    raw = text.encode("ascii", "replace")  # one byte per character
    codes = numpy.frombuffer(raw, dtype=numpy.uint8)
    inside = numpy.frombuffer(b"\0" + raw.translate(word_bytes) + b"\0", dtype=numpy.int8)
    edges = numpy.flatnonzero(inside[1:] != inside[:-1])
    starts, ends = edges[0::2], edges[1::2]
    if start_bytes is not None:
        first = numpy.frombuffer(b"\0" + raw.translate(start_bytes), dtype=numpy.int8)
        starts = numpy.flatnonzero(first[1:] > first[:-1])
        ends = ends[numpy.searchsorted(ends, starts, side="right")]
    powers, inverses = _power_tables(len(codes))
    prefix = numpy.zeros(len(codes) + 1, dtype=numpy.uint64)
    numpy.cumsum(codes * powers[: len(codes)], out=prefix[1:])  # wraps modulo 2**64
    return starts, ends, (prefix[ends] - prefix[starts]) * inverses[starts]


def hashes_of(words: set[str] | frozenset[str]) -> numpy.ndarray:
    """The sorted, unique hashes of ``words`` (ASCII, as ``word_hashes`` gives them)."""
    return numpy.unique(word_hashes(" ".join(sorted(words)), byte_table("".join(set("".join(words)))))[2])


def where_in(keys: numpy.ndarray, hashes: numpy.ndarray) -> numpy.ndarray:
    """Boolean mask: which ``hashes`` are in the sorted ``keys``."""
    found = numpy.searchsorted(keys, hashes)
    found[found == len(keys)] = 0
    return keys[found] == hashes
