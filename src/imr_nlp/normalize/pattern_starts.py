"""Reading regular expression sources to scan letters faster, with the same matches.

``re`` tries a case-insensitive pattern at every position of the text; it skips ahead
with a quick C loop only to the literal or character-set start of a case-sensitive one.

- :func:`first_chars`: the characters a match can start with, so that a long
  case-insensitive alternation is tried only where one of its branches can start (the
  service vocabulary, ``data/services.json``, is split per first character).
- :func:`caseless_twin`: a case-insensitive pattern rewritten in lower case, to run
  case-sensitively on the lowercased copy of an ASCII text (same length, same offsets).

Both are conservative: what they cannot read (a look-around at the start, inline flags,
a non-ASCII character) gives ``None``, and callers keep the original pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

try:  # the parser behind ``re`` (named sre_parse before Python 3.11), for readers of parsed patterns
    from re import _parser as sre_parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse as sre_parser  # type: ignore[no-redef]  # noqa: F401  (re-exported)

_SPECIAL = set(".^$*+?{}[]\\|()")
_ESCAPES = {"d": frozenset("0123456789"), "s": frozenset(" \t\n\r\f\v")}
_ESCAPES.update({e: frozenset(c) for e, c in zip("tnrfv", "\t\n\r\f\v")})  # literal controls


def _closing(pattern: str, i: int) -> int | None:
    """Index of the ``)`` closing the group opened at ``pattern[i]`` (None when unreadable)."""
    depth = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            end = _class_end(pattern, i)
            if end is None:
                return None
            i = end + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def _class_end(pattern: str, i: int) -> int | None:
    """Index of the ``]`` closing the character class opened at ``pattern[i]``."""
    j = i + 1
    if pattern[j : j + 1] == "^":
        j += 1
    if pattern[j : j + 1] == "]":
        j += 1
    while j < len(pattern):
        if pattern[j] == "\\":
            j += 2
            continue
        if pattern[j] == "]":
            return j
        j += 1
    return None


def alternatives(pattern: str) -> list[str] | None:
    """The top-level alternatives of ``pattern`` (None when its groups or sets do not close)."""
    parts, start, i = [], 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            end = _class_end(pattern, i)
            if end is None:
                return None
            i = end + 1
            continue
        if c == "(":
            end = _closing(pattern, i)
            if end is None:
                return None
            i = end + 1
            continue
        if c == "|":
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _class_chars(body: str) -> frozenset[str] | None:
    chars: set[str] = set()
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            esc = body[i + 1 : i + 2]
            if esc in _ESCAPES:
                chars |= _ESCAPES[esc]
            elif esc and not esc.isalnum() and esc.isascii():
                chars.add(esc)
            else:
                return None
            i += 2
            continue
        if body[i + 1 : i + 2] == "-" and i + 2 < len(body):
            hi = body[i + 2]
            if hi == "\\" or not (c.isascii() and hi.isascii()):
                return None
            chars.update(chr(k) for k in range(ord(c), ord(hi) + 1))
            i += 3
            continue
        if not c.isascii():
            return None
        chars.add(c)
        i += 1
    return frozenset(ch.lower() for ch in chars)


_ZERO_WIDTH = "bBA"  # escapes that match no character


def _atom(pattern: str, i: int) -> tuple[frozenset[str] | None, int, bool]:
    """First characters of the atom at ``pattern[i]``, the index after it, and whether it
    is zero-width (an anchor or a look-around: the next atom starts the match)."""
    atom, end = _atom_chars(pattern, i)
    zero = pattern[i] in "^$" or (pattern[i] == "\\" and pattern[i + 1 : i + 2] in tuple(_ZERO_WIDTH))
    zero = zero or pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), i)
    return (frozenset() if zero else atom), end, zero


def _atom_chars(pattern: str, i: int) -> tuple[frozenset[str] | None, int]:
    c = pattern[i]
    if c == "\\":
        esc = pattern[i + 1 : i + 2]
        if esc in _ESCAPES:
            return _ESCAPES[esc], i + 2
        if esc and esc.isascii() and not esc.isalnum():
            return frozenset(esc), i + 2
        return None, i + 2
    if c == "[":
        end = _class_end(pattern, i)
        if end is None or pattern[i + 1 : i + 2] == "^":
            return None, len(pattern)
        return _class_chars(pattern[i + 1 : end]), end + 1
    if c == "(":
        end = _closing(pattern, i)
        if end is None:
            return None, len(pattern)
        inner = pattern[i + 1 : end]
        if inner.startswith("?"):
            colon = inner.find(":")
            flags = inner[1:colon] if colon > 0 else "="
            if colon < 0 or not all(f in "imsx-" for f in flags):
                return None, end + 1  # look-around, named or conditional group
            inner = inner[colon + 1 :]
        return first_chars(inner), end + 1
    if c in _SPECIAL or not c.isascii():
        return None, i + 1
    return frozenset(c.lower()), i + 1


def _optional(pattern: str, i: int) -> tuple[bool, int]:
    """Whether the quantifier at ``pattern[i]`` allows zero repeats, and the index after it."""
    q = pattern[i : i + 1]
    if q in ("?", "*"):
        i += 1
        optional = True
    elif q == "+":
        return False, i + 1
    elif q == "{":
        end = pattern.find("}", i)
        if end < 0:
            return True, len(pattern)
        low = pattern[i + 1 : end].split(",")[0]
        optional = not low.isdigit() or int(low) == 0
        i = end + 1
    else:
        return False, i
    if pattern[i : i + 1] in ("?", "+"):  # lazy or possessive
        i += 1
    return optional, i


def first_chars(pattern: str) -> frozenset[str] | None:
    """The lowercased characters a non-empty match of ``pattern`` can start with (matched
    case-insensitively against ASCII text); None when the pattern cannot be read that far
    or may match the empty string."""
    branches = alternatives(pattern)
    if branches is None:
        return None
    chars: set[str] = set()
    for alternative in branches:
        i, found = 0, False
        while i < len(alternative):
            atom, i, zero = _atom(alternative, i)
            if atom is None:
                return None
            chars |= atom
            optional, i = _optional(alternative, i)
            if not optional and not zero:
                found = True
                break
        if not found:
            return None
    return frozenset(chars)


_LEAD = "_lead_match"  # the group holding a led twin's match


@dataclass(frozen=True)
class CaselessTwin:
    """A case-insensitive pattern rewritten to run on the lowercased copy of ASCII text.

    When the characters its matches start with are known, the twin is led by a set of
    them, ``[abc](?<=(?=(?P<_lead_match>...))[\\s\\S])``, so that the engine skips ahead
    to those characters; the match is then the group's span.
    """

    pattern: re.Pattern
    led: bool

    def finditer(self, lowered: str) -> Iterator[tuple[re.Match, int, int]]:
        """(match, start, end) of the original pattern's ``finditer`` on the text whose
        lowercase copy is ``lowered`` (groups by name; read their text from the original)."""
        if not self.led:
            for match in self.pattern.finditer(lowered):
                yield match, match.start(), match.end()
            return
        pos = 0
        while (match := self.pattern.search(lowered, pos)) is not None:
            start, pos = match.span(_LEAD)  # never empty: the start was read, so is a character
            yield match, start, pos

    def starts(self, lowered: str) -> Iterator[int]:
        """Every position where the original pattern matches (overlapping matches too)."""
        pos = 0
        while (match := self.pattern.search(lowered, pos)) is not None:
            start = match.start(_LEAD) if self.led else match.start()
            yield start
            pos = start + 1


@cache
def caseless_twin(pattern: re.Pattern) -> CaselessTwin | None:
    """The :class:`CaselessTwin` of an ``re.IGNORECASE`` pattern (see :func:`caseless_source`);
    None when ``pattern`` is not case-insensitive or cannot be rewritten."""
    if not pattern.flags & re.IGNORECASE:
        return None
    source = caseless_source(pattern.pattern)
    if source is None:
        return None
    flags = pattern.flags & ~re.IGNORECASE
    chars = first_chars(source)
    if chars is None or _literal_start(source):
        return CaselessTwin(re.compile(source, flags), led=False)
    lead = "".join(re.escape(c) for c in sorted(chars))
    return CaselessTwin(re.compile(rf"[{lead}](?<=(?=(?P<{_LEAD}>{source}))[\s\S])", flags), led=True)


def _literal_start(source: str) -> bool:
    """Whether ``source`` starts with a literal character that every match starts with: the
    engine then finds its matches fast by itself (leading it would slow it down)."""
    branches = alternatives(source)
    if not source or branches is None or len(branches) != 1:
        return False
    return source[0].isascii() and source[0] not in _SPECIAL and source[1:2] not in ("?", "*", "{")


@cache
def led_variant(pattern: re.Pattern) -> CaselessTwin | None:
    """A case-sensitive pattern led by the set of its first characters (both cases), to
    run on the text itself: the same matches, found by skipping ahead to those characters.
    None for a case-insensitive pattern (see :func:`caseless_twin`) or an unreadable start."""
    if pattern.flags & re.IGNORECASE:
        return None
    chars = first_chars(pattern.pattern)
    if chars is None or _literal_start(pattern.pattern):
        return None
    lead = "".join(re.escape(c) for c in sorted(chars | {c.upper() for c in chars}))
    return CaselessTwin(
        re.compile(rf"[{lead}](?<=(?=(?P<{_LEAD}>{pattern.pattern}))[\s\S])", pattern.flags), led=True
    )


def _kept_escape(source: str, i: int) -> str | None:
    """The escape at ``source[i]`` (a backslash), as written, when the lower-case twin can
    keep it; None for numeric or named-character escapes (and a trailing backslash)."""
    esc = source[i + 1 : i + 2]
    if not esc or esc.isdigit() or esc in "xuUN":
        return None
    return "\\" + esc


def caseless_source(pattern: str) -> str | None:
    """``pattern`` (written for ``re.IGNORECASE``) with its letters lowercased, to be compiled
    WITHOUT ``re.IGNORECASE`` and run on ``text.lower()`` of an ASCII ``text``: the same
    matches, at the same offsets, and the engine can then skip ahead to a literal start.

    None when the pattern holds what this cannot carry over: inline flags, numeric or
    named-character escapes, a non-ASCII character, a class range mixing letter cases.
    Group names and escapes (``\\S``, ``\\W``, ``\\B``...) are kept as written.
    """
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if not c.isascii():
            return None
        if c == "\\":
            escape = _kept_escape(pattern, i)
            if escape is None:
                return None
            out.append(escape)
            i += 2
            continue
        if c == "(" and pattern.startswith("(?", i):
            if pattern.startswith(("(?P<", "(?P="), i):
                end = pattern.find(">" if pattern[i + 3] == "<" else ")", i)
                if end < 0:
                    return None
                out.append(pattern[i : end + 1])
                i = end + 1
                continue
            if not pattern.startswith(("(?:", "(?=", "(?!", "(?<=", "(?<!"), i):
                return None  # inline flags, conditionals, comments
            out.append("(?")
            i += 2
            continue
        if c == "[":
            end = _class_end(pattern, i)
            if end is None:
                return None
            body = _caseless_class(pattern[i + 1 : end])
            if body is None:
                return None
            out.append(f"[{body}]")
            i = end + 1
            continue
        out.append(c.lower())
        i += 1
    return "".join(out)


def _caseless_class(body: str) -> str | None:
    out: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if not c.isascii():
            return None
        if c == "\\":
            escape = _kept_escape(body, i)
            if escape is None:
                return None
            out.append(escape)
            i += 2
            continue
        if body[i + 1 : i + 2] == "-" and i + 2 < len(body):
            lo, hi = c, body[i + 2]
            letters = lo.isalpha() + hi.isalpha()
            if hi == "\\" or letters == 1 or (letters == 2 and lo.isupper() != hi.isupper()):
                return None
            out.append(f"{lo.lower()}-{hi.lower()}")
            i += 3
            continue
        out.append(c.lower())
        i += 1
    return "".join(out)
