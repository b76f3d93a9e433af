"""Read IMR letters from disk (plain text or PDF) without ever raising on bad input.

A batch run calls :func:`read_letter` once per path; every path yields one
:class:`LetterInput`, either with text (plus warnings) or with an error reason, so
nothing is dropped silently (SPEC §5, §6).

Design choices:
- Character offsets produced downstream index the text returned here, so the text is
  never normalised in ways that change its length, except for stripping a leading
  byte-order mark. NUL characters become spaces (same length), with a warning.
- Reads are bounded: at most ``max_chars`` characters are decoded, read in chunks, so a
  1 GB file costs about ``max_chars`` characters of memory.
- PDFs are read with PDFium (pypdfium2, about ten times faster) laid out in pypdf's
  lines (:mod:`imr_nlp.pdfium_reader`), and with pypdf when PDFium cannot open a file or
  the file's content cannot be checked to be of bounded size; pages are joined with
  "\\n". Encrypted PDFs with an empty user password (all public IMR letters are) need
  the ``cryptography`` package (``pypdf[crypto]``).
"""

from __future__ import annotations

import codecs
import errno
import logging
import os
import re
import stat
import warnings as pywarnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import pdfium_reader
from .resources import MAX_CHARS

__all__ = [
    "SUPPORTED_SUFFIXES",
    "LetterInput",
    "iter_input_paths",
    "letter_ids",
    "read_letter",
    "looks_like_letter",
    "error_record",
]

SUPPORTED_SUFFIXES = (".txt", ".pdf")
#: The error of a PDF read with ``pdf_reader="pdfium"`` that PDFium does not read (it cannot
#: open it, or the file's size cannot be checked): with "auto", pypdf would read it.
PDFIUM_DECLINED = "PDFium cannot read this PDF or its size cannot be checked"
#: ``pdf_reader`` values of :func:`read_letter`: "auto" is PDFium with pypdf as fallback.
PDF_READERS = ("auto", "pdfium", "pypdf")

_CHUNK_BYTES = 1 << 20
# Fraction of control characters (C0 other than whitespace, and C1) above which a
# decoded file is judged binary. Random bytes give 10-23 % (cp1252 / latin-1);
# real text about 0.
_BINARY_CONTROL_RATIO = 0.05
_MAX_PDF_WARNINGS = 5

# Magic numbers of common non-text formats users drop into a letters folder by mistake.
_MAGIC = (
    (b"PK\x03\x04", "a ZIP archive (.docx/.xlsx?)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE document (.doc/.xls/.msg?)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
)

# C0 controls except \t \n \v \f \r and ESC, plus DEL and C1 controls: deleted by
# str.translate so len() difference counts them at C speed.
_CONTROL_CHARS = [c for c in range(0x20) if c not in (9, 10, 11, 12, 13, 27)]
_CONTROL_CHARS += [0x7F] + list(range(0x80, 0xA0))
_DELETE_CONTROLS = dict.fromkeys(_CONTROL_CHARS)

_SURROGATE_RE = re.compile("[\ud800-\udfff]")


@dataclass
class LetterInput:
    """One input file: its text (None iff it could not be read) and what went wrong."""

    id: str
    path: str
    text: str | None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    #: Where ``text`` starts in the file's text (a part of a file holding several letters).
    offset: int = 0


# --------------------------------------------------------------------------- many letters

# A letter's case header at the start of a line: "Case Number: CM16-0213037" (2015+) or
# "IMR Case Number: CM13-1252029" (2013-2014). Page furniture repeats the number without
# the label, so a second distinct number under this label starts another letter.
_CASE_HEADER = re.compile(
    r"^[ \t]*(?:IMR[ \t]+)?Case[ \t]*Number[ \t]*:?[ \t]*(CM\d{2}[ \t]*-[ \t]*\d{5,8})\b",
    re.IGNORECASE | re.MULTILINE,
)
# The title line that opens 2013-2014 letters, a few lines above their case header.
_NOTICE_TITLE = re.compile(r"^[ \t]*Notice[ \t]+of[ \t]+Independent[ \t]+Medical[ \t]+Review", re.I | re.M)
# The section heading every template has exactly once ("HOW THE IMR FINAL DETERMINATION WAS
# MADE"); letters whose header was cut off (the 2014 seeds) start with it.
_HOW_MADE = re.compile(
    r"^[ \t]*HOW[ \t]+THE[ \t]+IMR[ \t]+FINAL[ \t]+DETERMINATION[ \t]+WAS[ \t]+MADE", re.I | re.M
)
_HEADER_REACH = 1500  # characters a letter's header block may stand above that heading
_MIN_LETTER = 1500  # shortest letter split off (real letters run 2,500-20,000 characters)


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def letter_bounds(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each letter in ``text``: one span unless the text holds several.

    A letter starts at a case header with a case number not seen before, or at the
    once-per-letter heading "HOW THE IMR FINAL DETERMINATION WAS MADE" unless that heading
    belongs to the case header just above it (a repeated case header, e.g. the same letter
    twice, starts no letter). Each next letter starts at its header block
    (title line or case-header line) when one stands just above its anchor.
    """
    seen: set[str] = set()
    events: list[tuple[int, int]] = []  # (position, 2: new case header, 1: repeated one, 0: heading)
    for m in _CASE_HEADER.finditer(text):
        number = re.sub(r"[ \t]", "", m.group(1)).upper()
        events.append((m.start(), 1 if number in seen else 2))
        seen.add(number)
    events += [(m.start(), 0) for m in _HOW_MADE.finditer(text)]
    events.sort()
    anchors: list[int] = []
    header = -_HEADER_REACH - 1  # the last case header (a repeated one starts no letter)
    headed = True  # the heading under that header has been seen
    for pos, kind in events:
        if kind:
            if kind == 2:
                anchors.append(pos)
            header, headed = pos, False
        elif headed or pos - header > _HEADER_REACH:
            anchors.append(pos)  # a heading with no case header of its own above it
            headed = True
        else:
            headed = True
    if len(anchors) < 2:
        return [(0, len(text))]
    starts = [0]
    for anchor in anchors[1:]:
        start = _line_start(text, anchor)
        floor = max(starts[-1] + 1, start - _HEADER_REACH)
        above = [m.start() for rx in (_NOTICE_TITLE, _CASE_HEADER) for m in rx.finditer(text, floor, start)]
        start = _line_start(text, min(above)) if above else start
        if start - starts[-1] >= _MIN_LETTER:  # a shorter "letter" is a repeated fragment
            starts.append(start)
    if len(starts) > 1 and len(text) - starts[-1] < _MIN_LETTER:
        starts.pop()
    return list(zip(starts, [*starts[1:], len(text)]))


def split_letters(inp: LetterInput) -> list[LetterInput]:
    """One input per letter of a file holding several (ids ``<id>``, ``<id>#2``, ...,
    ``offset`` = where each starts in the file's text); other inputs unchanged."""
    if inp.text is None:
        return [inp]
    bounds = letter_bounds(inp.text)
    if len(bounds) == 1:
        return [inp]
    n = len(bounds)
    return [
        LetterInput(
            id=inp.id if k == 1 else f"{inp.id}#{k}",
            path=inp.path,
            text=inp.text[start:end],
            warnings=[
                *inp.warnings,
                f"the file holds {n} letters (several case headers or determination headings): letter {k} of {n}, "
                f"characters {start}-{end} of the file; offsets are into the whole file",
            ],
            offset=start,
        )
        for k, (start, end) in enumerate(bounds, 1)
    ]


# --------------------------------------------------------------------------- paths


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def iter_input_paths(
    paths: Iterable[str | Path],
    *,
    on_skip: Callable[[Path, str], None] | None = None,
) -> Iterator[Path]:
    """Yield the files to process, in a deterministic order.

    A path named explicitly is always yielded (whatever its suffix, even if missing), so
    the reader gives it a record. Directories are walked recursively: supported files in
    sorted order, hidden files and directories skipped. A directory with nothing to read
    is yielded itself, and so is a subdirectory that cannot be listed, so that
    :func:`read_letter` reports it. ``on_skip(path, reason)`` is told about each file
    skipped during a walk (hidden or unsupported), e.g. for a verbose log.
    """
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            yield path
            continue
        found = list(_walk_dir(path, on_skip))
        if found:
            yield from found
        else:
            yield path


def letter_ids(paths: Sequence[Path]) -> list[str]:
    """The record id of each input: its file stem, unless two inputs share that stem.

    Inputs whose stems collide ("a.txt" and "b/a.pdf") are named by their path relative
    to the deepest folder the colliding files share, suffix kept ("a.txt", "b/a.pdf"),
    so ids stay unique within a batch and still say which file a record came from. A
    path given twice gets "#2", "#3", ... after its second and later ids.
    """
    stems = Counter(p.stem for p in paths)
    groups: dict[str, list[Path]] = {}
    for p in paths:
        if stems[p.stem] > 1:
            groups.setdefault(p.stem, []).append(p)
    roots = {stem: os.path.commonpath([str(p.absolute().parent) for p in group]) for stem, group in groups.items()}
    ids: list[str] = []
    seen: Counter[str] = Counter()
    for p in paths:
        name = p.stem
        if p.stem in roots:
            name = Path(os.path.relpath(p.absolute(), roots[p.stem])).as_posix()
        seen[name] += 1
        ids.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return ids


def _walk_dir(root: Path, on_skip: Callable[[Path, str], None] | None) -> Iterator[Path]:
    """Supported files under root sorted by relative path; unlistable subdirs yielded."""
    results: list[Path] = []
    unlistable: list[Path] = []

    def onerror(err: OSError) -> None:
        if err.filename is not None and Path(err.filename) != root:
            unlistable.append(Path(err.filename))
        elif err.filename is not None:
            unlistable.append(root)

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror):
        here = Path(dirpath)
        for d in list(dirnames):
            if _is_hidden(d) and on_skip is not None:
                on_skip(here / d, "hidden directory")
        dirnames[:] = sorted(d for d in dirnames if not _is_hidden(d))
        for name in filenames:
            p = here / name
            if _is_hidden(name):
                if on_skip is not None:
                    on_skip(p, "hidden file")
            elif p.suffix.lower() in SUPPORTED_SUFFIXES:
                results.append(p)
            elif on_skip is not None:
                on_skip(p, f"unsupported file type {p.suffix or '(no suffix)'}")
    results.extend(unlistable)
    results.sort(key=lambda p: p.relative_to(root).parts)
    yield from results


# --------------------------------------------------------------------------- reading


def _fail(path: Path, reason: str, warnings: list[str] | None = None) -> LetterInput:
    return LetterInput(id=path.stem, path=str(path), text=None, warnings=warnings or [], error=reason)


def _os_reason(err: OSError) -> str:
    return err.strerror or type(err).__name__


def read_letter(
    path: str | Path,
    *,
    max_chars: int = MAX_CHARS,
    keep_pdf_text: Path | None = None,
    id: str | None = None,  # noqa: A002 - the record field's name
    pdf_reader: str = "auto",
) -> LetterInput:
    """Read one letter; never raises for a bad file (the reason goes to ``error``).

    ``max_chars`` bounds how much text is read (longer input is truncated with a
    warning). If ``keep_pdf_text`` is given, text extracted from a PDF is also written
    there as ``<id>.txt`` (UTF-8, "\\n" line ends) so users can check offsets. ``id``
    defaults to the file stem (see :func:`letter_ids` for a batch). ``pdf_reader`` is
    "auto" (PDFium, pypdf for files PDFium cannot open or that are not checked to be
    bounded), "pdfium" (no fallback: such files become an error) or "pypdf".
    """
    if pdf_reader not in PDF_READERS:
        raise ValueError(f"pdf_reader must be one of {PDF_READERS}, not {pdf_reader!r}")
    path = Path(path)
    letter = _read_letter(path, max_chars, keep_pdf_text, id or path.stem, pdf_reader)
    if id is not None:
        letter.id = id
    return letter


def _read_letter(
    path: Path, max_chars: int, keep_pdf_text: Path | None, name: str, pdf_reader: str = "auto"
) -> LetterInput:
    try:
        try:
            mode, size = _stat(path)
        except OSError as err:
            if err.errno in _NOT_FOUND:
                return _fail(path, "file not found")
            raise
        if stat.S_ISDIR(mode):
            return _fail(path, _directory_reason(path))
        if not stat.S_ISREG(mode):
            return _fail(path, "not a regular file")
        suffix = path.suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            shown = path.suffix or "(no suffix)"
            return _fail(path, f"unsupported file type {shown} (expected .txt or .pdf)")
        # A .pdf PDFium may read is read whole, once; of other files the first KB.
        whole = suffix == ".pdf" and size <= pdfium_reader.MAX_FILE_BYTES
        start = _read_bytes(path, size if whole else 1024)
        head = start[:1024]
        if not head:
            return _fail(path, "empty file")
        # The PDF header may follow a little junk in a real .pdf; a .txt must start with it.
        has_header = b"%PDF-" in head
        is_pdf_content = head.lstrip().startswith(b"%PDF-")
        if suffix == ".pdf" or is_pdf_content:
            warnings: list[str] = []
            if suffix != ".pdf":
                warnings.append(f"file content is PDF despite its {path.suffix} suffix; read as PDF")
            elif not has_header:
                return _fail(path, "not a PDF (no %PDF header)")
            data = start if whole and len(start) == size else None
            return _read_pdf(path, max_chars, keep_pdf_text, warnings, name, pdf_reader, data)
        return _read_text(path, head, max_chars)
    except OSError as err:
        return _fail(path, f"cannot read file: {_os_reason(err)}")
    except MemoryError:
        return _fail(path, "out of memory while reading file")


# The errors pathlib's exists() reads as "does not exist".
_NOT_FOUND = {errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP}


def _stat(path: Path) -> tuple[int, int]:
    """(mode, size) of the file, from one system call.

    Few calls matter when a reader thread reads ahead: each one gives up the GIL, and the
    thread waits for it again (up to the switch interval) when the call returns."""
    result = os.stat(path)
    return result.st_mode, result.st_size


def _read_bytes(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of the file (fewer if it is shorter), in as few calls as
    the system allows (see :func:`_stat`)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        parts = []
        left = size
        while left > 0:
            chunk = os.read(fd, left)
            if not chunk:
                break
            parts.append(chunk)
            left -= len(chunk)
        return b"".join(parts)
    finally:
        os.close(fd)


def _directory_reason(path: Path) -> str:
    try:
        os.listdir(path)
    except OSError as err:
        return f"cannot list directory: {_os_reason(err)}"
    return "is a directory with no .txt or .pdf files"


def _decode_bounded(fh, encoding: str, max_chars: int) -> tuple[str, bool]:
    """Decode at most max_chars characters from fh; True if more text followed."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    parts: list[str] = []
    n = 0
    while True:
        chunk = fh.read(_CHUNK_BYTES)
        final = not chunk
        piece = decoder.decode(chunk, final=final)
        if piece:
            parts.append(piece)
            n += len(piece)
        if n > max_chars:
            return "".join(parts)[:max_chars], True
        if final:
            return "".join(parts), False


def _read_text(path: Path, head: bytes, max_chars: int) -> LetterInput:
    warnings: list[str] = []
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return _fail(path, f"binary file (not text): looks like {what}")

    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        # utf-8-sig strips a leading UTF-8 BOM and otherwise is plain UTF-8.
        candidates = ["utf-8-sig", "cp1252", "latin-1"]

    text: str | None = None
    truncated = False
    used = candidates[0]
    with open(path, "rb") as fh:
        for enc in candidates:
            fh.seek(0)
            try:
                text, truncated = _decode_bounded(fh, enc, max_chars)
            except UnicodeDecodeError:
                continue
            used = enc
            break
    if text is None:
        return _fail(path, f"cannot decode text as {' / '.join(candidates)}")

    if _looks_binary(text):
        return _fail(path, "binary file (not text)")
    if used not in ("utf-8-sig",):
        warnings.append(f"decoded as {used}")
    if truncated:
        warnings.append(f"truncated to {max_chars} characters")
    text = _clean_text(text, warnings)
    if not text.strip():
        return _fail(path, "empty file (whitespace only)", warnings)
    if text.lstrip().startswith("{\\rtf"):
        warnings.append("file looks like RTF markup, not plain text")
    return LetterInput(id=path.stem, path=str(path), text=text, warnings=warnings, error=None)


def _looks_binary(text: str) -> bool:
    """True if control characters (NULs included) make up a large share of the text."""
    if not text:
        return False
    body = text.rstrip("\x00")  # NUL padding at the end is tolerated (replaced later)
    if not body:
        return True
    controls = len(body) - len(body.translate(_DELETE_CONTROLS))
    return controls / len(body) > _BINARY_CONTROL_RATIO


def _clean_text(text: str, warnings: list[str]) -> str:
    """Length-preserving repairs: NUL -> space, lone surrogates -> U+FFFD."""
    nuls = text.count("\x00")
    if nuls:
        text = text.replace("\x00", " ")
        warnings.append(f"replaced {nuls} NUL character(s) with spaces")
    if _SURROGATE_RE.search(text):
        text, n = _SURROGATE_RE.subn("\ufffd", text)
        warnings.append(f"replaced {n} invalid character(s) with U+FFFD")
    return text


# --------------------------------------------------------------------------- PDF


class _ListHandler(logging.Handler):
    """Collects log messages so pypdf's noise becomes our warnings, not stderr output."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.messages.append(record.getMessage())
        except Exception:  # a malformed log call must not break reading
            self.messages.append(str(record.msg))


def _read_pdf(
    path: Path,
    max_chars: int,
    keep_pdf_text: Path | None,
    warnings: list[str],
    name: str,
    reader: str,
    data: bytes | None = None,
) -> LetterInput:
    fast = None
    if reader != "pypdf":
        fast = pdfium_reader.extract_text(path, max_chars, warnings, data)
        if fast is None and reader == "pdfium":
            fast = (None, PDFIUM_DECLINED)
    if fast is not None:
        text, error = fast
        messages: list[str] = []
    else:
        text, error, messages = _read_pdf_with_pypdf(path, max_chars, warnings)

    unique = list(dict.fromkeys(m.strip() for m in messages if m.strip()))
    for msg in unique[:_MAX_PDF_WARNINGS]:
        warnings.append(f"pdf: {msg}")
    if len(unique) > _MAX_PDF_WARNINGS:
        warnings.append(f"pdf: {len(unique) - _MAX_PDF_WARNINGS} more PDF warning(s)")

    if error is not None or text is None:
        return _fail(path, error or "unreadable PDF", warnings)
    text = _clean_text(text, warnings)
    if keep_pdf_text is not None:
        try:
            target = Path(keep_pdf_text) / f"{name}.txt"
            target.parent.mkdir(parents=True, exist_ok=True)
            # bytes, not text mode: keep "\n" on every platform so offsets match.
            target.write_bytes(text.encode("utf-8"))
        except OSError as err:
            warnings.append(f"could not write extracted text: {_os_reason(err)}")
    return LetterInput(id=path.stem, path=str(path), text=text, warnings=warnings, error=None)


def _read_pdf_with_pypdf(
    path: Path, max_chars: int, warnings: list[str]
) -> tuple[str | None, str | None, list[str]]:
    """(text, error, pypdf's log and warning messages) from pypdf."""
    logger = logging.getLogger("pypdf")
    handler = _ListHandler()
    old_propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with pywarnings.catch_warnings(record=True) as caught:
            pywarnings.simplefilter("always")
            text, error = _extract_pdf_text(path, max_chars, warnings)
        messages = handler.messages + [str(w.message) for w in caught]
    finally:
        logger.removeHandler(handler)
        logger.propagate = old_propagate
    return text, error, messages


_NEEDS_CRYPTO = "encrypted PDF: decrypting needs the 'cryptography' package (pip install 'pypdf[crypto]')"


def _extract_pdf_text(path: Path, max_chars: int, warnings: list[str]) -> tuple[str | None, str | None]:
    """Return (text, error). Pages are joined with "\\n"; a failing page becomes ""."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import DependencyError, FileNotDecryptedError
    except ImportError:  # pragma: no cover - pypdf is a declared dependency
        return None, "PDF support needs the 'pypdf' package"

    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except DependencyError:
                return None, _NEEDS_CRYPTO
            if not ok:
                return None, "encrypted PDF (password required)"
        n_pages = len(reader.pages)
    except FileNotDecryptedError:
        return None, "encrypted PDF (password required)"
    except DependencyError:
        return None, _NEEDS_CRYPTO
    except RecursionError:
        return None, "unreadable PDF: structure too deeply nested"
    except Exception as err:  # pypdf raises many types on malformed files
        return None, f"unreadable PDF: {_describe(err)}"

    if n_pages == 0:
        return None, "PDF has no pages"

    pages: list[str] = []
    joined_len = -1  # length of "\n".join(pages)
    failed = 0
    for i in range(n_pages):
        try:
            page_text = reader.pages[i].extract_text() or ""
        except DependencyError:
            return None, _NEEDS_CRYPTO
        except Exception as err:
            failed += 1
            warnings.append(f"page {i + 1}: text extraction failed ({_describe(err)})")
            page_text = ""
        pages.append(page_text)
        joined_len += len(page_text) + 1
        if joined_len > max_chars:
            break  # the rest would be cut anyway
    if failed == n_pages:
        return None, "unreadable PDF: text extraction failed on every page"
    text = "\n".join(pages)
    if len(text) > max_chars:
        text = text[:max_chars]
        warnings.append(f"truncated to {max_chars} characters")
    if not text.strip():
        return None, "PDF has no extractable text (scanned?)"
    return text, None


def _describe(err: BaseException) -> str:
    msg = str(err).strip()
    return f"{type(err).__name__}: {msg}" if msg else type(err).__name__


# --------------------------------------------------------------------------- checks

_STRONG_MARKERS = re.compile(
    r"independent\s*medical\s*review|maximus|\bCM\d{2}\s*-\s*\d{5,8}\b",
    re.IGNORECASE,
)
_WEAK_MARKERS = {
    "imr": re.compile(r"\bIMR\b"),
    "rationale": re.compile(r"decision\s*rationale", re.IGNORECASE),
    "necessary": re.compile(r"medically\s*necessary", re.IGNORECASE),
    "ur": re.compile(r"utilization\s*review", re.IGNORECASE),
    "guideline": re.compile(r"\bMTUS\b|\bODG\b|official\s*disability\s*guidelines", re.IGNORECASE),
    "reviewer": re.compile(r"expert\s*reviewer|claims\s*administrator", re.IGNORECASE),
    "outcome": re.compile(r"\b(?:upheld|overturned)\b", re.IGNORECASE),
}


def looks_like_letter(text: str) -> bool:
    """Cheap check whether text resembles an IMR determination letter.

    True on one strong marker (Independent Medical Review, MAXIMUS, an IMR case number)
    or at least two weaker ones (IMR, decision rationale, medically necessary, ...), so
    truncated letters and decision-only fragments still pass. Whitespace between words
    is optional to survive PDF line breaks and glued words.
    """
    if not text:
        return False
    if _STRONG_MARKERS.search(text):
        return True
    hits = sum(1 for rx in _WEAK_MARKERS.values() if rx.search(text))
    return hits >= 2


def error_record(inp: LetterInput) -> dict:
    """The batch-mode record for an input that could not be read."""
    return {"id": inp.id, "path": inp.path, "error": inp.error, "warnings": list(inp.warnings)}
