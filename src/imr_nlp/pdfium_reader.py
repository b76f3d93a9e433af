"""Fast PDF text with PDFium (pypdfium2), laid out in lines the way pypdf lays them out.

:func:`imr_nlp.inputs.read_letter` reads a PDF with :func:`extract_text` first and falls
back to pypdf whenever this returns None. PDFium reads a letter about ten times faster
than pypdf, but its text differs in ways the layout and item rules notice:

- PDFium ends lines with "\\r\\n" and replaces a hyphen that ends a line with U+FFFE,
  joining the two lines; pypdf keeps "-" and "\\n";
- PDFium drops text-showing operations that show only spaces. Word-made letters draw
  every empty paragraph as such an operation (a single space on its own baseline), and
  pypdf turns each into a line holding " ": the blank lines that separate paragraphs,
  which the layout and item rules rely on;
- pypdf ends a line before every external object drawn (``Do``: the logo image), so a
  page whose last drawing is the logo ends with "\\n".

:func:`page_text` takes PDFium's lines and puts the blank lines back: it walks the
page's objects in content-stream order, as pypdf does, and counts every run of
space-only text objects that sits on a baseline of its own (more than 0.8 font size
from the text before and after it, pypdf's rule) as one blank line " " before the
PDFium line whose first character comes next. Spacing inside a line keeps PDFium's
(one space where pypdf sometimes has two, no trailing spaces at some line ends).

Bounded: PDFium parses a whole page in one call and keeps every drawing operation as an
object, so a decompression bomb (a page whose content inflates to hundreds of MB) costs
it tens of seconds and gigabytes. Before PDFium sees a file, :func:`content_size`
inflates each of its streams that PDFium may decode to read text (page and form content,
fonts, object streams, colour profiles; not images, metadata or attachments, which it
leaves alone) with a bounded decompressor, decrypting first when the file uses the
standard security handler with AES-128 and an empty user password (as IMR letters do),
and the file goes to PDFium only if the total stays under :data:`MAX_CONTENT_BYTES`. A stream
is inflated only when the most it could inflate to (zlib's limit of 1032 bytes a byte)
might take the total past the limit: a letter's streams are small enough that none is.
Files it cannot check (other filters; other encryption, when a stream must be inflated;
larger than :data:`MAX_FILE_BYTES`) or that are over the limit go to pypdf, whose own
decoding limits bound them.
"""

from __future__ import annotations

import ctypes
import hashlib
import math
import re
import struct
import threading
import zlib
from pathlib import Path

__all__ = ["MAX_CONTENT_BYTES", "MAX_FILE_BYTES", "available", "content_size", "extract_text", "page_text"]

#: Decoded stream bytes above which a file is left to pypdf (an IMR letter holds 30-150 KB;
#: PDFium needs about 13 bytes of memory and 70 ns per byte of page content).
MAX_CONTENT_BYTES = 16 * 2**20
#: Files larger than this are not scanned (nor given to PDFium): pypdf reads them.
MAX_FILE_BYTES = 64 * 2**20

# PDFium is not thread-safe: one lock for every call into it (threads of a Dask worker).
_LOCK = threading.Lock()
_INFLATE_CHUNK = 1 << 20

# The object number and generation just before "obj".
_OBJ_NUMBERS = re.compile(rb"(\d+)\s+(\d+)\s+$")
_NAME = rb"/([^\s/<>\[\]()]+)"
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\d)(?!\s+\d+\s+R)")
_FILTER = re.compile(rb"/Filter\s*(?:" + _NAME + rb"|\[\s*" + _NAME + rb"\s*\])")
_TYPE = re.compile(rb"/Type\s*" + _NAME)
_SUBTYPE = re.compile(rb"/Subtype\s*" + _NAME)
_SKIP_TYPES = {b"XRef", b"Metadata", b"EmbeddedFile"}
_SKIP_SUBTYPES = {b"Image", b"XML"}
_ENCRYPT_REF = re.compile(rb"/Encrypt\s+(\d+)\s+(\d+)\s+R")
_ID = re.compile(rb"/ID\s*\[\s*(<[0-9A-Fa-f\s]*>|\()")
_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


class _Unchecked(Exception):
    """The file cannot be checked here (its encryption or filters are not handled)."""


def available() -> bool:
    """True if pypdfium2 can be imported."""
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        return False
    return True


# --------------------------------------------------------------------------- bounds


def _literal_string(data: bytes, start: int) -> bytes:
    """The bytes of the PDF literal string whose "(" is at ``start``."""
    out = bytearray()
    depth = 0
    i = start
    escapes = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}
    while i < len(data):
        c = data[i]
        if c == 0x5C:  # backslash
            i += 1
            c = data[i]
            if c in escapes:
                out += escapes[c]
            elif 0x30 <= c <= 0x37:
                digits = data[i : i + 3]
                n = 1
                while n < len(digits) and 0x30 <= digits[n] <= 0x37:
                    n += 1
                out.append(int(digits[:n], 8) & 0xFF)
                i += n - 1
            elif c == 0x0D:  # line continuation
                if data[i + 1 : i + 2] == b"\n":
                    i += 1
            elif c != 0x0A:
                out.append(c)
        elif c == 0x28:
            if depth:
                out.append(c)
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out)
            out.append(c)
        else:
            out.append(c)
        i += 1
    raise _Unchecked("unterminated string")


def _string_value(data: bytes, key: bytes, within: tuple[int, int]) -> bytes:
    m = re.compile(rb"/" + key + rb"\s*([(<])").search(data, *within)
    if m is None:
        raise _Unchecked(f"no /{key.decode()}")
    if m.group(1) == b"(":
        return _literal_string(data, m.start(1))
    end = data.index(b">", m.end(1))
    return bytes.fromhex(re.sub(rb"\s", b"", data[m.end(1) : end]).decode("ascii"))


def _file_key(data: bytes) -> bytes | None:
    """The AES-128 file key for the empty user password, or None if not encrypted."""
    ref = None
    at = len(data)
    while ref is None:  # the last "/Encrypt N G R" (not "/EncryptMetadata")
        at = data.rfind(b"/Encrypt", 0, at)
        if at < 0:
            return None
        ref = _ENCRYPT_REF.match(data, at)
    num, gen = ref.groups()
    head = None
    for m in re.finditer(num + rb"\s+" + gen + rb"\s+obj\s*<<", data):
        if m.start() == 0 or not data[m.start() - 1 : m.start()].isdigit():
            head = m
    if head is None:
        raise _Unchecked("encryption dictionary not found")
    end = data.find(b"endobj", head.end())
    within = (head.end(), end if end > 0 else len(data))
    body = data[within[0] : within[1]]

    def number(key: bytes) -> int:
        m = re.search(rb"/" + key + rb"\s+(-?\d+)", body)
        if m is None:
            raise _Unchecked(f"no /{key.decode()}")
        return int(m.group(1))

    if not re.search(rb"/Filter\s*/Standard\b", body) or number(b"V") != 4 or number(b"R") != 4:
        raise _Unchecked("not AES-128 standard security")
    if not re.search(rb"/CFM\s*/AESV2\b", body) or not re.search(rb"/StmF\s*/StdCF\b", body):
        raise _Unchecked("not AES-128 standard security")
    owner = _string_value(data, b"O", within)[:32]
    at = data.rfind(b"/ID")
    if at < 0 or not _ID.match(data, at):
        raise _Unchecked("no /ID")
    first_id = _string_value(data, b"ID\\s*\\[\\s*", (at, len(data)))
    md5 = hashlib.md5(_PAD + owner + struct.pack("<I", number(b"P") & 0xFFFFFFFF) + first_id)
    if re.search(rb"/EncryptMetadata\s+false", body):
        md5.update(b"\xff\xff\xff\xff")
    key = md5.digest()
    for _ in range(50):
        key = hashlib.md5(key).digest()
    return key


def _decrypt(key: bytes, num: int, gen: int, blob: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    object_key = hashlib.md5(key + struct.pack("<i", num)[:3] + struct.pack("<i", gen)[:2] + b"sAlT").digest()
    usable = len(blob) - len(blob) % 16
    if usable < 32:
        return b""
    decryptor = Cipher(algorithms.AES(object_key), modes.CBC(blob[:16])).decryptor()
    return decryptor.update(blob[16:usable]) + decryptor.finalize()


def _inflated_size(blob: bytes, budget: int) -> int:
    """Bytes ``blob`` inflates to, counting at most ``budget + 1`` (memory: one chunk)."""
    inflater = zlib.decompressobj()
    total = 0
    pending = blob
    try:
        while pending and total <= budget:
            total += len(inflater.decompress(pending, min(_INFLATE_CHUNK, budget + 1 - total)))
            pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error as err:
        raise _Unchecked(f"stream does not inflate ({err})") from err
    return total


def _streams(data: bytes):
    """(object number, generation, dictionary bytes, data start, data end) of each stream
    object in the file, in file order; a stream's data is skipped, not searched."""
    pos = 0
    while True:
        at = data.find(b"stream", pos)
        if at < 0:
            return
        pos = at + 6
        if data[at - 3 : at] == b"end" or data[max(0, at - 40) : at].rstrip()[-2:] != b">>":
            continue
        obj = data.rfind(b"obj", max(0, at - 65536), at)
        numbers = _OBJ_NUMBERS.search(data, max(0, obj - 40), obj) if obj >= 0 else None
        if numbers is None:
            raise _Unchecked("stream without object header")
        info = data[obj + 3 : at]
        start = at + 6
        if data[start : start + 2] == b"\r\n":
            start += 2
        elif data[start : start + 1] in (b"\n", b"\r"):
            start += 1
        length = _LENGTH.search(info)
        end = start + int(length.group(1)) if length else -1
        if not length or data[end : end + 12].strip()[:9] != b"endstream":
            end = data.find(b"endstream", start)
            if end < 0:
                raise _Unchecked("stream without end")
        pos = end + 9
        yield int(numbers.group(1)), int(numbers.group(2)), info, start, end


def _most_inflated(n: int) -> int:
    """The most bytes a deflate stream of ``n`` bytes can inflate to (zlib's documented
    maximum ratio of 1032:1, a 258-byte match per two bits, plus a block's worth)."""
    return 1032 * n + 1032


def content_size(data: bytes, budget: int = MAX_CONTENT_BYTES, *, exact: bool = True) -> int | None:
    """Decoded bytes of the content-like streams of the PDF ``data`` (stopping once over
    ``budget``), or None if this cannot tell (encryption or filters not handled here).

    With ``exact=False`` the answer may be an upper bound instead: the largest streams
    are decoded only until the most the others could inflate to fits in ``budget``, so a
    letter whose streams are small is checked without decoding (or decrypting) any."""
    try:
        streams = []
        for num, gen, info, start, end in _streams(data):
            kind = _TYPE.search(info)
            subtype = _SUBTYPE.search(info)
            if (kind and kind.group(1) in _SKIP_TYPES) or (subtype and subtype.group(1) in _SKIP_SUBTYPES):
                continue
            filters = _FILTER.search(info)
            if b"/Filter" in info and filters is None:
                raise _Unchecked("filter chain")
            name = filters and (filters.group(1) or filters.group(2))
            if name not in (None, b"FlateDecode", b"Fl"):
                raise _Unchecked(f"filter {name.decode('latin-1')}")
            # Decryption never lengthens a stream, so its stored length bounds it too.
            most = end - start if name is None else _most_inflated(end - start)
            streams.append((most, num, gen, start, end, name))
        unknown = sum(stream[0] for stream in streams)  # the most the streams not decoded hold
        total = 0
        keys: list[bytes | None] = [_file_key(data)] if exact else []  # read when first needed
        for most, num, gen, start, end, name in streams if exact else sorted(streams, reverse=True):
            if not exact and total + unknown <= budget:
                return total + unknown
            if not keys:
                keys.append(_file_key(data))
            blob = data[start:end]
            if keys[0] is not None:
                blob = _decrypt(keys[0], num, gen, blob)
            total += len(blob) if name is None else _inflated_size(blob, budget - total)
            unknown -= most
            if total > budget:
                return total
        return total
    except _Unchecked:
        return None
    except (ValueError, IndexError, OverflowError, struct.error):
        return None


# --------------------------------------------------------------------------- text


def _pdfium_lines(s: str) -> list[tuple[int, str]]:
    """PDFium's page text as (index of the first character, line text); a line-ending
    hyphen (U+FFFE, the lines joined) becomes "-" and ends the line, as in pypdf."""
    lines: list[tuple[int, str]] = []
    pos = 0
    end = len(s)
    while s and pos <= end:
        crlf = s.find("\r\n", pos)
        hyphen = s.find("\ufffe", pos)
        crlf = end if crlf < 0 else crlf
        hyphen = end if hyphen < 0 else hyphen
        cut = min(crlf, hyphen)
        if cut == end:
            lines.append((pos, s[pos:]))
            break
        if cut == hyphen:
            lines.append((pos, s[pos:cut] + "-"))
            pos = cut + 1
        else:
            lines.append((pos, s[pos:cut]))
            pos = cut + 2
    return lines


class _Api:
    """The PDFium functions this module calls, with handles as plain integers.

    pypdfium2's own bindings return a ctypes pointer object for every handle, and its
    helper classes register a finalizer for every page; a letter's pages make about a
    thousand such calls, and plain integers cost about 30% less. The prototypes are
    made from the addresses of pypdfium2's functions (the library it loaded and
    initialised), so pypdfium2's bindings are left as they are.

    Only the three calls that do the work (loading the document, parsing a page's
    content, building its text page: about 4 of a letter's 5.5 ms) release the GIL, so
    another thread runs Python meanwhile (:func:`imr_nlp.batch.parse_records` reads PDFs
    ahead in a thread). The others take microseconds and keep it: a thread that gives
    the GIL back waits for it again (up to the switch interval) after every call."""

    def __init__(self) -> None:
        import pypdfium2.raw as raw

        handle, integer, size = ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t

        def bind(name: str, restype, *argtypes, release_gil: bool = False):
            address = ctypes.cast(getattr(raw, name), ctypes.c_void_p).value
            prototype = ctypes.CFUNCTYPE if release_gil else ctypes.PYFUNCTYPE
            return prototype(restype, *argtypes)(address)

        self.load_document = bind(
            "FPDF_LoadMemDocument64", handle, ctypes.c_char_p, size, ctypes.c_char_p, release_gil=True
        )
        self.close_document = bind("FPDF_CloseDocument", None, handle)
        self.page_count = bind("FPDF_GetPageCount", integer, handle)
        self.load_page = bind("FPDF_LoadPage", handle, handle, integer, release_gil=True)
        self.close_page = bind("FPDF_ClosePage", None, handle)
        self.load_textpage = bind("FPDFText_LoadPage", handle, handle, release_gil=True)
        self.close_textpage = bind("FPDFText_ClosePage", None, handle)
        self.count_chars = bind("FPDFText_CountChars", integer, handle)
        self.text_index = bind("FPDFText_GetTextIndexFromCharIndex", integer, handle, integer)
        self.get_text = bind("FPDFText_GetText", integer, handle, integer, integer, handle)
        self.text_object_of_char = bind("FPDFText_GetTextObject", handle, handle, integer)
        self.count_objects = bind("FPDFPage_CountObjects", integer, handle)
        self.get_object = bind("FPDFPage_GetObject", handle, handle, integer)
        self.object_type = bind("FPDFPageObj_GetType", integer, handle)
        self.object_matrix = bind("FPDFPageObj_GetMatrix", integer, handle, handle)
        self.font_size = bind("FPDFTextObj_GetFontSize", integer, handle, handle)
        self.object_text = bind("FPDFTextObj_GetText", ctypes.c_ulong, handle, handle, handle, ctypes.c_ulong)
        self.IMAGE, self.FORM = raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM
        self.FS_MATRIX = raw.FS_MATRIX


_API: _Api | None = None


def _api() -> _Api:
    global _API
    if _API is None:
        _API = _Api()
    return _API


def _textpage_text(api: _Api, textpage: int, n_chars: int) -> str | None:
    """All of PDFium's text of a page, or None unless its characters map one to one onto
    the text (e.g. characters outside the BMP, or characters PDFium leaves out)."""
    if n_chars <= 0:
        return ""
    if api.text_index(textpage, 0) != 0 or api.text_index(textpage, n_chars - 1) != n_chars - 1:
        return None
    # A bytearray, not create_string_buffer: that makes a new ctypes array type for every
    # length (about 13 µs a page).
    buffer = bytearray(2 * (n_chars + 1))
    written = api.get_text(textpage, 0, n_chars, ctypes.addressof(ctypes.c_char.from_buffer(buffer)))
    if written != n_chars + 1:  # the characters and a NUL
        return None
    s = buffer[: 2 * n_chars].decode("utf-16-le", errors="ignore")
    return s if len(s) == n_chars else None


def page_text(page: int, textpage: int) -> str | None:
    """The text of one page (PDFium handles) with pypdf's line structure, or None if
    PDFium's characters do not map one to one onto its text."""
    api = _api()
    n_chars = api.count_chars(textpage)
    s = _textpage_text(api, textpage, n_chars)
    if s is None:
        return None
    lines = _pdfium_lines(s)
    breaking_kinds = (api.IMAGE, api.FORM)
    matrix = api.FS_MATRIX()
    font_size = ctypes.c_float()
    matrix_at, font_size_at = ctypes.addressof(matrix), ctypes.addressof(font_size)
    get_object, object_type, object_matrix, get_font_size = (
        api.get_object,
        api.object_type,
        api.object_matrix,
        api.font_size,
    )
    # The object each PDFium line starts with -> the line's number (the first, if several).
    starts: dict[int, int] = {}
    for line_no, (first, _) in enumerate(lines):
        if first < n_chars:
            obj = api.text_object_of_char(textpage, first)
            if obj is not None and obj not in starts:
                starts[obj] = line_no
    object_text = api.object_text
    hypot = math.hypot
    # The page's objects in stream order, as pypdf reads them: text objects, and images
    # and forms, where pypdf ends the line.
    blanks = [0] * (len(lines) + 1)
    pending = 0  # blank lines not yet placed before a PDFium line
    fragment = False  # whether a text fragment came yet; then its baseline and font size:
    baseline_before = size_before = 0.0
    group: float | None = None  # baseline of the last run of space-only objects
    ends_with_break = False
    for obj in [get_object(page, k) for k in range(api.count_objects(page))]:
        if not get_font_size(obj, font_size_at):  # fails for all but text objects
            if object_type(obj) in breaking_kinds:
                ends_with_break = True
            continue
        ends_with_break = False
        object_matrix(obj, matrix_at)
        baseline, size = matrix.f, font_size.value * hypot(matrix.c, matrix.d)
        if fragment:
            threshold = 0.8 * (size_before if size_before < size else size)
            moved = abs(baseline - baseline_before) > threshold
        else:
            threshold, moved = 0.8 * size, True
        line_no = starts.get(obj)
        # Whether it shows nothing (PDFium dropped it: only spaces) matters only where it
        # may open or close a blank line; the call scans the page's characters.
        if line_no is None and (moved or group is not None) and object_text(obj, textpage, None, 0) <= 2:
            if moved:  # on a baseline of its own: a blank line, unless text follows on it
                pending += 1
                group = baseline
                fragment, baseline_before, size_before = True, baseline, size
            continue
        if group is not None:
            if abs(baseline - group) <= threshold:
                pending -= 1  # the spaces open this line: no blank line
            group = None
        if line_no is not None:
            blanks[line_no] += pending
            pending = 0
        fragment, baseline_before, size_before = True, baseline, size
    blanks[len(lines)] += pending
    out: list[str] = []
    for line_no, (_, line) in enumerate(lines):
        out.extend([" "] * blanks[line_no])
        out.append(line)
    out.extend([" "] * blanks[len(lines)])
    if ends_with_break and out:
        out.append("")
    return "\n".join(out)


def extract_text(
    path: Path, max_chars: int, warnings: list[str], data: bytes | None = None
) -> tuple[str | None, str | None] | None:
    """(text, error) like pypdf's reading, or None to leave the file to pypdf: pypdfium2
    missing, the file too large to check, its content over the limit or unchecked, PDFium
    unable to open it, a page whose text cannot be laid out, or no text at all.

    ``data``: the file's bytes, when the caller has read them already."""
    if not available():
        return None
    if data is None:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                return None
            data = path.read_bytes()
        except OSError:
            return None
    elif len(data) > MAX_FILE_BYTES:
        return None
    size = content_size(data, exact=False)
    if size is None or size > MAX_CONTENT_BYTES:
        return None
    api = _api()
    with _LOCK:
        doc = api.load_document(data, len(data), None)  # `data` outlives the document
        if not doc:  # a password, a damaged file: pypdf decides
            return None
        try:
            pages: list[str] = []
            joined_len = -1
            for i in range(api.page_count(doc)):
                page = api.load_page(doc, i)
                if not page:
                    return None
                textpage = api.load_textpage(page)
                try:
                    text = page_text(page, textpage) if textpage else None
                finally:
                    if textpage:
                        api.close_textpage(textpage)
                    api.close_page(page)
                if text is None:
                    return None
                pages.append(text)
                joined_len += len(text) + 1
                if joined_len > max_chars:
                    break
        except Exception:
            return None
        finally:
            api.close_document(doc)
    text = "\n".join(pages)
    if not text.strip():
        return None
    if len(text) > max_chars:
        text = text[:max_chars]
        warnings.append(f"truncated to {max_chars} characters")
    return text, None
