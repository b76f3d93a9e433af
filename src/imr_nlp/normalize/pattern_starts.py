"""The characters a regular expression's match can start with, read from its source.

Used to try a long case-insensitive alternation only at the positions where one of its
branches can start: a large term vocabulary (``data/services.json``) is split per first
character, so a request word is matched against the few branches that begin with its
letter instead of every branch. The reader is conservative: whatever it cannot read (a
look-around at the start, a back-reference, a non-ASCII character) gives ``None``, which
callers treat as "may start anywhere".
"""

from __future__ import annotations

_SPECIAL = set(".^$*+?{}[]\\|()")
_ESCAPES = {"d": frozenset("0123456789"), "s": frozenset(" \t\n\r\f\v")}


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


def _alternatives(pattern: str) -> list[str] | None:
    """The top-level alternatives of ``pattern``."""
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


def _atom(pattern: str, i: int) -> tuple[frozenset[str] | None, int]:
    """First characters of the atom at ``pattern[i]`` and the index after it."""
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
    alternatives = _alternatives(pattern)
    if alternatives is None:
        return None
    chars: set[str] = set()
    for alternative in alternatives:
        i, found = 0, False
        while i < len(alternative):
            atom, i = _atom(alternative, i)
            if atom is None:
                return None
            chars |= atom
            optional, i = _optional(alternative, i)
            if not optional:
                found = True
                break
        if not found:
            return None
    return frozenset(chars)
