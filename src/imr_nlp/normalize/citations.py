"""Guideline citations (MTUS / ODG / ACOEM / OTHER) as structured data.

Two entry points:

* :func:`parse_citations` reads the text of ONE guideline line of a letter (what follows
  "Claims Administrator guideline:" or "MAXIMUS guideline:", possibly several
  "Decision based on ..." sentences, with PDF line breaks and runs of spaces).
* :func:`find_citations` finds guideline mentions in FREE text (decision rationales). It
  prefers precision to recall; the accepted forms are listed in its docstring.

Every citation is a dict ``{"source", "document", "chapter", "topic", "year", "pages",
"start", "end", "text"}``; ``start``/``end`` are offsets into the text given, and the span
follows the CITATION annotation guideline (from the guideline's name through chapter,
topic and pages; "Decision based on", a leading "the" and a trailing period excluded).
Value conventions:

* ``source``: "MTUS" for anything cited as part of the MTUS (its own guidelines and the
  adopted ACOEM chapters), "ODG", "ACOEM" (cited outside the MTUS) or "OTHER".
* ``document``: canonical MTUS document ("Chronic Pain Medical Treatment Guidelines",
  "Low Back Complaints", ...), "ACOEM" for ACOEM cited by chapter or as a whole,
  "Official Disability Guidelines" for ODG, the first clause as printed for OTHER.
* ``chapter``: ACOEM chapter title (from the chapter number when it is printed) or the
  canonical ODG chapter ("Pain (Chronic)", "Low Back", ...; several joined with "; ").
* ``topic``: section/topic as printed, whitespace collapsed. ``year``: as printed
  (an ODG "(updated 11/3/16)" gives 2016); never inferred. ``pages``: expanded page list.

The vocabulary (aliases, chapter numbers, ODG chapter keywords) is data:
``imr_nlp/data/guidelines.json``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..resources import RuleData, active_data

_IC = re.IGNORECASE
# "Guidelines", also hyphenated over a line break ("Guide-\nlines")
_GUIDE = r"Guide(?:-\s*)?lines?"
# Verbs that end a topic after "guidelines for ...": "... for chronic pain describe the criteria".
_VERBS = (
    r"is|are|was|were|includes?|recommends?|states?|requires?|indicates?|do|does|allows?|supports?|notes?"
    r"|has|have|suggests?|describes?|discuss(?:es)?|address(?:es)?|mentions?|lists?|specif(?:y|ies)|says?"
    r"|defines?|outlines?|explains?|advises?|limits?|permits?|considers?|cautions?|warns?|would|may|can|should"
)

# --- pages -----------------------------------------------------------------------------

# One page or a range; the negative look-ahead keeps dates (12/17/2016), section
# numbers (3.3.1) and words (2nd) out.
_PAGE_ITEM = r"\d{1,4}(?:\s*[-\u2013\u2014]\s*\d{1,4})?(?![\d/]|\.\d|[A-Za-z])"
_PAGE_LIST = rf"{_PAGE_ITEM}(?:\s*(?:,|&|\band\b)\s*{_PAGE_ITEM})*"
_PAGE_ITEM_RE = re.compile(r"(\d{1,4})(?:\s*[-\u2013\u2014]\s*(\d{1,4}))?")
_PAGE_LABEL = r"(?:Page\s*\(\s*s\s*\)|Pages?|pgs?\b\.?|pp?\.)"
_PAGES_IN_BODY = re.compile(rf"(?<![A-Za-z]){_PAGE_LABEL}\s*:?\s*(?P<pages>{_PAGE_LIST})", _IC)
_MAX_RANGE = 300  # a longer "range" is a misread, not a page range


def expand_pages(text: str) -> list[int]:
    """Expand a printed page list ("29, 63-5, 124") into sorted, unique page numbers.

    Abbreviated range ends take the missing leading digits from the start ("47-8" ->
    47, 48; "100-2" -> 100..102). A leading "Page(s):"/"pages"/"pg." label and a final
    period are allowed. Anything that is not a page list, and reversed or implausibly
    long ranges, give nothing.
    """
    s = re.sub(rf"^\s*{_PAGE_LABEL}\s*:?\s*", "", text or "", flags=_IC)
    s = re.sub(r"[\s.,;]+$", "", s)
    if not s or not re.fullmatch(_PAGE_LIST, s, flags=_IC):
        return []
    pages: set[int] = set()
    for m in _PAGE_ITEM_RE.finditer(s):
        first, last = m.group(1), m.group(2)
        a = int(first)
        if last is None:
            if a > 0:
                pages.add(a)
            continue
        if len(last) < len(first):
            last = first[: len(first) - len(last)] + last
        b = int(last)
        if a <= 0 or b < a or b - a > _MAX_RANGE:
            continue
        pages.update(range(a, b + 1))
    return sorted(pages)


# --- vocabulary ------------------------------------------------------------------------


def _phrase(alias: str) -> str:
    """Regex for a plain phrase: words joined by optional whitespace (PDF breaks, glue)."""
    words = alias.split()
    parts = [
        _GUIDE if w.lower().startswith("guideline") else re.escape(w).replace(r"\-", r"-\s*") for w in words
    ]
    return r"\s*".join(parts)


def _key(s: str) -> str:
    """Lookup key of a matched phrase: lowercase, no whitespace or hyphens, '&' = 'and'."""
    return re.sub(r"[\s\-]+", "", s.lower().replace("&", "and"))


@dataclass(frozen=True)
class _Vocab:
    mtus_doc_re: re.Pattern  # any MTUS document alias (or ACOEM), as a token
    mtus_doc_alt: str  # alternation of the MTUS document aliases (no ACOEM)
    mtus_doc_initials: str  # first letters of those aliases (for a fast look-ahead)
    mtus_doc_by_key: dict[str, str]
    acoem_titles: dict[int, str]
    acoem_title_re: re.Pattern
    acoem_title_by_key: dict[str, str]
    acoem_name: str
    acoem_fillers_re: re.Pattern
    odg_document: str
    odg_name: str
    odg_chapter_re: re.Pattern
    odg_chapter_names: tuple[str, ...]
    odg_designator_re: re.Pattern
    non_mtus_re: re.Pattern
    other_start: str
    no_citation_re: re.Pattern


def _raw_vocabulary() -> dict[str, Any]:
    """``guidelines.json`` of the rule data in use."""
    return active_data()["guidelines.json"]


def _vocab() -> _Vocab:
    """The compiled vocabulary of the rule data in use (compiled once per component's data)."""
    return active_data().compiled("citations.vocab", _build_vocab)


def _build_vocab(data: RuleData) -> _Vocab:
    raw = data["guidelines.json"]
    by_key: dict[str, str] = {}
    aliases: list[str] = []
    for doc in raw["mtus_documents"]:
        for alias in [doc["name"], *doc["aliases"]]:
            by_key[_key(alias)] = doc["name"]
            aliases.append(alias)
    aliases = sorted(set(aliases), key=len, reverse=True)
    acoem_doc = r"ACOEM(?:\s*(?:Practice\s*)?Guidelines?)?"
    doc_alt = "|".join(_phrase(a) for a in aliases)
    mtus_doc_re = re.compile(rf"(?<![A-Za-z])(?:(?P<acoem>{acoem_doc})|(?P<doc>{doc_alt}))(?![A-Za-z])", _IC)
    titles = {int(k): v["title"] for k, v in raw["acoem_chapters"].items() if not k.startswith("_")}
    title_by_key = {_key(t): t for t in titles.values()}
    title_re = re.compile(
        r"(?:{})(?![A-Za-z])".format(
            "|".join(_phrase(t) for t in sorted(titles.values(), key=len, reverse=True))
        ),
        _IC,
    )
    odg = raw["odg"]
    chapter_alts = []
    names = []
    for i, ch in enumerate(odg["chapters"]):
        names.append(ch["name"])
        chapter_alts.append(rf"(?P<c{i}>{'|'.join(ch['patterns'])})")
    odg_chapter_re = re.compile(rf"(?<![A-Za-z])(?:{'|'.join(chapter_alts)})(?![A-Za-z])", _IC)
    desig = "|".join(odg["chapter_designators"]["patterns"])
    return _Vocab(
        mtus_doc_re=mtus_doc_re,
        mtus_doc_alt=doc_alt,
        mtus_doc_initials="".join(sorted({a[0].lower() for a in aliases} | {a[0].upper() for a in aliases})),
        mtus_doc_by_key=by_key,
        acoem_titles=titles,
        acoem_title_re=title_re,
        acoem_title_by_key=title_by_key,
        acoem_name="|".join(raw["acoem_names"]["patterns"]),
        acoem_fillers_re=re.compile(
            r"(?:{})(?![A-Za-z])".format("|".join(raw["acoem_names"]["fillers"])), _IC
        ),
        odg_document=odg["document"],
        odg_name="|".join(odg["name_patterns"]),
        odg_chapter_re=odg_chapter_re,
        odg_chapter_names=tuple(names),
        odg_designator_re=re.compile(rf"(?:{desig})", _IC),
        non_mtus_re=re.compile("(?:{})".format("|".join(raw["non_mtus_markers"]["patterns"])), _IC),
        other_start="|".join(raw["other_guideline_starts"]["patterns"]),
        no_citation_re=re.compile("|".join(raw["no_citation_sentences"]["patterns"]), _IC),
    )


def _res() -> dict[str, re.Pattern]:
    """Patterns built from the vocabulary (compiled once per component's data)."""
    return active_data().compiled("citations.res", _build_res)


def _build_res(data: RuleData) -> dict[str, re.Pattern]:
    v = data.compiled("citations.vocab", _build_vocab)
    starts = rf"(?:{v.odg_name}|{v.acoem_name}|{v.other_start})"
    return {
        "odg_name": re.compile(rf"(?:{v.odg_name})(?![A-Za-z])", _IC),
        "acoem_name": re.compile(rf"(?:{v.acoem_name})(?![A-Za-z])", _IC),
        "other_start": re.compile(rf"(?:{v.other_start})", _IC),
        # where a Non-MTUS citation list continues with another guideline
        "non_mtus_split": re.compile(
            rf"(?:\s+(?:and|&)\s+|\s*[.;,]\s+(?:and\s+)?)(?:the\s+)?(?={starts}(?![A-Za-z]))", _IC
        ),
    }


# --- helpers ---------------------------------------------------------------------------

# "Decision based on", and the 2013 wording "The Claims Administrator based its decision on the".
_DECISION_BASED_ON = re.compile(
    r"(?:Decision\s*based\s*on|based\s+(?:its|his|her|their|his\s*/\s*her)\s+decision\s+on(?:\s+the(?![A-Za-z]))?)\b\s*", _IC
)
_LINE_LABEL = re.compile(
    r"(?:MAXIMUS|Claims\s*Administrator|(?:Expert|Physician)\s*Reviewer)\s*guideline\s*:", _IC
)
_MTUS_PREFIX = re.compile(r"(?:(?:CA|California)\s*)?(?-i:MTUS)(?![A-Za-z])", _IC)
_YEAR = re.compile(r"\s*,?\s*((?:19|20)\d\d)(?!\d)")
_YEAR_PAREN = re.compile(r"\s*,?\s*\(\s*(?:revised|updated|rev\.?)?\s*((?:19|20)\d\d)\s*\)", _IC)
_GUIDELINES_WORD = re.compile(rf"\s*{_GUIDE}(?![A-Za-z])", _IC)
_WS = re.compile(r"\s+")
_SEP = re.compile(r"(?:[,:/;\-\u2013]|(?<![A-Za-z])and(?![A-Za-z])|&)", _IC)
_UPDATED = re.compile(r"updated\s*\d{1,2}/\d{1,2}/(\d{2}(?:\d{2})?)", _IC)


def _clean(s: str | None) -> str | None:
    """Collapse whitespace and strip separators around a printed value; empty -> None."""
    if s is None:
        return None
    s = _WS.sub(" ", s)
    s = re.sub(r"^[\s,.;:/\-\u2013]+", "", s)
    s = re.sub(r"[\s,;:/\-\u2013]+$", "", s)
    s = re.sub(r"\.$", "", s).strip()
    if s.startswith("(") and s.endswith(")") and s.count("(") == 1:
        s = s[1:-1].strip()
    return s or None


def _trim_end(text: str, start: int, end: int) -> int:
    """Move ``end`` back over trailing whitespace, separators, a final period and 'and'."""
    while end > start:
        tail = text[start:end]
        m = re.search(r"(?:[\s,;.]+|(?<![A-Za-z])and)$", tail, _IC)
        if not m or m.start() == m.end():
            break
        end = start + m.start()
    return end


def _skip_ws(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


def _citation(
    source: str,
    text: str,
    start: int,
    end: int,
    document: str | None = None,
    chapter: str | None = None,
    topic: str | None = None,
    year: int | None = None,
    pages: list[int] | None = None,
) -> dict[str, Any]:
    return {
        "source": source,
        "document": document,
        "chapter": chapter,
        "topic": topic,
        "year": year,
        "pages": list(pages or []),
        "start": start,
        "end": end,
        "text": text[start:end],
    }


def _pages_and_rest(body: str) -> tuple[list[int], str]:
    """Split a citation body into its page list and the text before the page label."""
    matches = list(_PAGES_IN_BODY.finditer(body))
    if not matches:
        return [], body
    m = matches[-1]
    return expand_pages(m.group("pages")), body[: m.start()] + body[m.end() :]


def _numbered_chapter(body: str, lead: str = "") -> tuple[str | None, str] | None:
    """An ACOEM "Chapter 12[,] <printed title>" opening ``body`` (after ``lead``): the chapter
    name and the rest of ``body`` after the printed title; None without a chapter number."""
    m = re.match(rf"{lead}Chapter\s*(\d{{1,2}})\s*[,:]?", body, _IC)
    if m is None:
        return None
    tail = body[m.end() :]
    tm = re.search(rf"{_PAGE_LABEL}|,|;", tail, _IC)
    printed = tail[: tm.start()] if tm else tail
    return _acoem_chapter_from_number(int(m.group(1)), printed), tail[len(printed) :]


def _acoem_chapter_from_number(num: int, printed: str | None) -> str:
    """Title of ACOEM chapter ``num``; printed title when the number is not in the table."""
    v = _vocab()
    if num in v.acoem_titles:
        return v.acoem_titles[num]
    return _clean(printed) or f"Chapter {num}"


# --- guideline lines ---------------------------------------------------------------------


_OUTSIDE_BEFORE = re.compile(r"outside\s+(?:of\s+)?(?:the\s+)?$", re.IGNORECASE)


def parse_citations(text: str) -> list[dict[str, Any]]:
    """Parse the text of one guideline line into its citations (see module docstring).

    Each "Decision based on" sentence is read as a list: "MTUS <document> [year]
    [Section(s): topic] [Page(s): pages]" items joined by ", and" or ","; or "Non-MTUS
    Citation <ODG | ACOEM | other reference>" items joined by "and"/". ". Sentences that
    cite nothing ("did not cite any medical evidence", "recommendation(s) outside of the
    MTUS Guidelines") give no citation. A line without "Decision based on" (older
    templates) is read like free text with :func:`find_citations`.
    """
    if not text or not text.strip():
        return []
    heads = list(_DECISION_BASED_ON.finditer(text))
    if not heads:
        # A guideline line that only says the decision was made "outside of the MTUS"
        # cites nothing, although the free-text finder tags that mention of the MTUS.
        return [c for c in find_citations(text) if not _OUTSIDE_BEFORE.search(text, 0, c["start"])]
    cuts = sorted([m.start() for m in heads] + [m.start() for m in _LINE_LABEL.finditer(text)] + [len(text)])
    out: list[dict[str, Any]] = []
    for m in heads:
        seg_end = next(c for c in cuts if c > m.start())
        out.extend(_parse_segment(text, m.end(), seg_end))
    return out


_PART_OF_MTUS = re.compile(
    r",?\s*(?:which|that)\s+(?:is|are)\s+(?:a\s+)?part\s+of\s+the\s+(?:(?:CA|California)\s+)?MTUS\b", _IC
)
_STATEMENT_END = re.compile(r"\.(?=\s+[A-Z(]|\s*$)")


def parse_guideline_statement(text: str) -> list[dict[str, Any]]:
    """Citations of a guideline named without the "Decision based on" lead.

    Used for the "MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND
    WHY" section: its first sentence names the guideline and is read like a guideline
    line; the explanation after it (the "why") is not parsed. ", which is part of the
    MTUS" ends the reference and makes its source MTUS.
    """
    if not text or not text.strip():
        return []
    stop = _STATEMENT_END.search(text)
    end = stop.start() if stop else len(text)
    part = _PART_OF_MTUS.search(text, 0, end)
    if part:
        end = part.start()
    out = _parse_segment(text, 0, end)
    if part:
        for citation in out:
            citation["source"] = "MTUS"
    return out


def _parse_segment(text: str, start: int, end: int) -> list[dict[str, Any]]:
    """One "Decision based on ..." sentence (without that phrase)."""
    v = _vocab()
    start = _skip_ws(text, start, end)
    end = _trim_end(text, start, end)
    if start >= end:
        return []
    if v.no_citation_re.match(text, start, end):
        return []
    m = v.non_mtus_re.match(text, start, end)
    if m:
        return _parse_non_mtus(text, start, m.end(), end)
    m = _MTUS_PREFIX.match(text, start, end)
    if m:
        return _parse_mtus(text, start, m.end(), end)
    if v.mtus_doc_re.match(text, start, end) and not _res()["acoem_name"].match(text, start, end):
        return _parse_mtus(text, start, start, end)
    return _parse_non_mtus(text, start, start, end)


def _doc_is_split_point(text: str, m: re.Match, body_start: int, first: bool) -> bool:
    """Whether an MTUS document alias found in a list starts a new citation there."""
    if first:
        return text[body_start : m.start()].strip(" \t\r\n/") == ""
    before = text[max(body_start, m.start() - 12) : m.start()]
    if not re.search(r"(?:[,;]\s*(?:and\s+)?|\s+and\s+)$", before, _IC):
        return False
    if "guideline" in m.group(0).lower():
        return True
    after = text[m.end() : m.end() + 20]
    return bool(
        re.match(r"\s*(?:(?:19|20)\d\d(?!\d)|Guidelines?\b|Section|Page|Chapter|[,.;]|$)", after, _IC)
    )


def _parse_mtus(text: str, span_start: int, body_start: int, end: int) -> list[dict[str, Any]]:
    """'MTUS <doc> ..., and <doc> ...' -> one MTUS citation per document."""
    v = _vocab()
    splits: list[re.Match] = []
    for m in v.mtus_doc_re.finditer(text, body_start, end):
        if _doc_is_split_point(text, m, body_start, first=not splits):
            splits.append(m)
        elif not splits:
            break
    if not splits:
        body = text[body_start:end]
        body = _GUIDELINES_WORD.sub("", body, count=1) if _GUIDELINES_WORD.match(body) else body
        pages, rest = _pages_and_rest(body)
        return [_citation("MTUS", text, span_start, end, topic=_clean(rest), pages=pages)]
    out = []
    for i, m in enumerate(splits):
        piece_start = span_start if i == 0 else m.start()
        piece_end = splits[i + 1].start() if i + 1 < len(splits) else end
        piece_end = _trim_end(text, piece_start, piece_end)
        out.append(_mtus_piece(text, m, piece_start, piece_end))
    return out


def _mtus_piece(text: str, m: re.Match, start: int, end: int) -> dict[str, Any]:
    """One MTUS document with its year, chapter, section/topic and pages."""
    v = _vocab()
    acoem = m.group("acoem") is not None
    document = "ACOEM" if acoem else v.mtus_doc_by_key.get(_key(m.group("doc")), m.group("doc"))
    pos = m.end()
    year = None
    ym = _YEAR.match(text, pos, end) or _YEAR_PAREN.match(text, pos, end)
    if ym:
        year, pos = int(ym.group(1)), ym.end()
    gm = _GUIDELINES_WORD.match(text, pos, end)
    if gm:
        pos = gm.end()
    body = text[pos:end]
    chapter = None
    if acoem:
        numbered = _numbered_chapter(body, lead=r"[\s,]*")
        if numbered:
            chapter, body = numbered
    pages, rest = _pages_and_rest(body)
    rest = re.sub(r"^[\s,]*Sections?\s*(?:\(\s*s\s*\))?\s*:", "", rest, flags=_IC)
    rest = re.sub(r"^\s*Section\s+on\s+", "", rest, flags=_IC)
    return _citation(
        "MTUS",
        text,
        start,
        end,
        document=document,
        chapter=chapter,
        topic=_clean(rest),
        year=year,
        pages=pages,
    )


def _parse_non_mtus(text: str, span_start: int, body_start: int, end: int) -> list[dict[str, Any]]:
    """'Non-MTUS Citation <ref> [and <ref>]' -> ODG / ACOEM / OTHER citations."""
    r = _res()
    body_start = _skip_ws(text, body_start, end)
    # (reference start, citation span start, end of the previous reference)
    pieces: list[list[int]] = [[body_start, span_start, end]]
    for m in r["non_mtus_split"].finditer(text, body_start, end):
        if m.start() > pieces[-1][0]:
            pieces[-1][2] = m.start()
            pieces.append([m.end(), m.end(), end])
    out = []
    for ref_start, cite_start, ref_end in pieces:
        ref_end = _trim_end(text, ref_start, ref_end)
        if ref_start < ref_end:
            out.append(_non_mtus_ref(text, cite_start, ref_start, ref_end))
    return out


def _non_mtus_ref(text: str, span_start: int, ref_start: int, end: int) -> dict[str, Any]:
    r = _res()
    m = re.match(r"the\s+", text[ref_start:end], _IC)
    if m and span_start == ref_start:
        span_start = ref_start = ref_start + m.end()
    elif m:
        ref_start += m.end()
    m = r["odg_name"].match(text, ref_start, end)
    if m:
        return _odg_ref(text, span_start, m.end(), end)
    m = r["acoem_name"].match(text, ref_start, end)
    if m:
        return _acoem_ref(text, span_start, m.end(), end)
    return _other_ref(text, span_start, ref_start, end)


def _odg_ref(text: str, span_start: int, pos: int, end: int) -> dict[str, Any]:
    """ODG: chapter designation (keywords, 'chapter', '(Acute & Chronic)', year) + topic."""
    v = _vocab()
    chapters: list[str] = []
    year = None
    zone_end = pos
    i = pos
    while i < end:
        i = _skip_ws(text, i, end)
        if i >= end:
            break
        m = _SEP.match(text, i, end)
        if m:
            i = m.end()
            continue
        m = v.odg_designator_re.match(text, i, end)
        if m and m.end() > i:
            um = _UPDATED.search(m.group(0))
            if um:
                y = int(um.group(1))
                year = y + 2000 if y < 100 else y
            i = zone_end = m.end()
            continue
        m = _YEAR.match(text, i, end)
        if m and m.start(1) == i:
            year, i = int(m.group(1)), m.end()
            zone_end = i
            continue
        m = v.odg_chapter_re.match(text, i, end)
        if m and _odg_chapter_follows(text, m.end(), end, first=not chapters):
            name = _odg_chapter_name(m)
            if name not in chapters:
                chapters.append(name)
            i = zone_end = m.end()
            continue
        break
    topic_text = text[zone_end:end]
    pages, topic_text = _pages_and_rest(topic_text)
    if not chapters:
        # "MRI Elbow", "Physical therapy/Preface": chapter named after the topic
        last = None
        for m in v.odg_chapter_re.finditer(topic_text):
            last = m
        if (
            last
            and re.fullmatch(rf"(?:\s|[.,;)]|{v.odg_designator_re.pattern})*", topic_text[last.end() :], _IC)
            and (last.start() == 0 or topic_text[last.start() - 1] in " \t\r\n/,(")
        ):
            chapters.append(_odg_chapter_name(last))
            topic_text = topic_text[: last.start()]
    return _citation(
        "ODG",
        text,
        span_start,
        end,
        document=v.odg_document,
        chapter="; ".join(chapters) or None,
        topic=_clean(topic_text),
        year=year,
        pages=pages,
    )


def _odg_chapter_follows(text: str, pos: int, end: int, first: bool) -> bool:
    """A chapter keyword counts when followed by a separator, designator or the end;
    the first one also when a capitalised topic follows ("Pain (Chronic) Acupuncture")."""
    v = _vocab()
    rest = text[pos:end]
    if re.match(r"\s*(?:$|[,:/;\-\u2013(.]|and\b|&)", rest, _IC):
        return True
    stripped = rest.lstrip()
    if v.odg_designator_re.match(stripped):
        return True
    return first and bool(re.match(r"\s+[A-Z]", rest))


def _odg_chapter_name(m: re.Match) -> str:
    v = _vocab()
    for i, name in enumerate(v.odg_chapter_names):
        if m.group(f"c{i}") is not None:
            return name
    return m.group(0)


def _acoem_ref(text: str, span_start: int, pos: int, end: int) -> dict[str, Any]:
    """ACOEM outside the MTUS: fillers, then 'Chapter N [title]' or a named chapter."""
    v = _vocab()
    year = None
    while pos < end:
        p = _skip_ws(text, pos, end)
        m = re.compile(r"[,:;/\-]|\(\s*ACOEM\s*\)", _IC).match(text, p, end) or v.acoem_fillers_re.match(
            text, p, end
        )
        if m and m.end() > p:
            pos = m.end()
            continue
        m = _YEAR.match(text, p, end) or re.compile(r"\(\s*((?:19|20)\d\d)\s*\)").match(text, p, end)
        if m and m.start(1) <= p + 2:
            year, pos = int(m.group(1)), m.end()
            continue
        pos = p
        break
    body = text[pos:end]
    chapter = None
    numbered = _numbered_chapter(body)
    if numbered:
        chapter, body = numbered
    else:
        m = v.acoem_title_re.match(body)
        if m:
            chapter = v.acoem_title_by_key.get(_key(m.group(0)), _clean(m.group(0)))
            body = body[m.end() :]
            body = re.sub(r"^\s*Chapter\b", "", body, flags=_IC)
        else:
            m = re.match(
                r"(?P<t>[A-Za-z][A-Za-z ,&'\-\r\n]{0,80}?(?:Disorders|Complaints|Conditions))(?![A-Za-z])"
                r"(?:\s*Chapter\b)?"
                r"|(?P<c>[A-Za-z][A-Za-z ,&'\-\r\n]{0,80}?)\s+Chapter\b",
                body,
                _IC,
            )
            if m:
                chapter = _clean(m.group("t") or m.group("c"))
                body = body[m.end() :]
    pages, rest = _pages_and_rest(body)
    return _citation(
        "ACOEM",
        text,
        span_start,
        end,
        document="ACOEM",
        chapter=chapter,
        topic=_clean(rest),
        year=year,
        pages=pages,
    )


def _other_ref(text: str, span_start: int, pos: int, end: int) -> dict[str, Any]:
    """Any other reference (drug monographs, UpToDate, fee schedules, URLs)."""
    body = text[pos:end]
    m = _res()["other_start"].match(body)
    if m:
        document, rest = body[: m.end()], body[m.end() :]
    else:
        parts = re.split(r"[,;:?]\s|\s+(?=https?://|www\.)", body, maxsplit=1)
        document, rest = parts[0], (parts[1] if len(parts) > 1 else "")
    pages, rest = _pages_and_rest(rest)
    return _citation(
        "OTHER", text, span_start, end, document=_clean(document), topic=_clean(rest), pages=pages
    )


# --- free text -----------------------------------------------------------------------------

_REGION_END = re.compile(
    r"\n[ \t]+\n|\.[ \t]*\r?\n[ \t]*\r?\n|Decision\s*rationale\s*:|"
    # 2013 letters: one sentence per line, "..., which is part of the MTUS." after the citation
    r"\.[ \t]*\r?\n[ \t]*The\s|,\s*which\s+is\s+(?:not\s+)?(?:a\s+)?part\s+of\b|"
    r"(?:MAXIMUS|Claims\s*Administrator|(?:Expert|Physician)\s*Reviewer)\s*guideline\s*:",
    _IC,
)


def _free_res() -> dict[str, re.Pattern]:
    """Patterns of the free-text forms (compiled once per component's data)."""
    return active_data().compiled("citations.free_res", _build_free_res)


def _build_free_res(data: RuleData) -> dict[str, re.Pattern]:
    v = data.compiled("citations.vocab", _build_vocab)
    doc_alt = v.mtus_doc_alt
    # Look-ahead on the possible first letters: the engine skips most positions cheaply.
    initials = "".join(sorted(set("CcMmOoAaTtSs32" + v.mtus_doc_initials)))
    head = (
        rf"(?=[{initials}])(?<![A-Za-z\-])(?:"
        r"(?P<mtus>(?:(?:CA|California)\s*)?(?-i:MTUS)(?:\s*/\s*(?-i:ACOEM))?"
        r"|California\s*Medical\s*Treatment\s*Utilization\s*Schedule(?:\s*\(\s*MTUS\s*\))?)"
        rf"|(?P<odg>Official\s*Disability\s*Guidelines?(?:\s*\(\s*ODG\s*\))?|(?-i:ODG))"
        r"|(?P<acoem>American\s*College\s*of\s*Occupational\s*(?:and|&)\s*Environmental\s*Medicine"
        r"(?:\s*\(\s*ACOEM\s*\))?|(?:(?:Third|3rd|Second|2nd)\s+Edition\s+)?(?-i:ACOEM)"
        r"(?:\s*/\s*(?-i:MTUS))?)"
        rf"|(?P<doc>(?:(?:CA|California)\s+)?(?:{doc_alt})(?:\s+(?:19|20)\d\d)?\s*{_GUIDE}"
        r"(?:\s*\(?\s*(?-i:MTUS)\s*\)?)?)"
        r")(?![A-Za-z])"
    )
    return {
        "head": re.compile(head, _IC),
        "doc": re.compile(rf"\s+(?:{doc_alt})(?![A-Za-z])", _IC),
        "pre_pages": re.compile(
            rf"{_PAGE_LABEL}\s*(?P<pages>{_PAGE_LIST})\s*,?\s+(?:of|in)\s+(?:the\s+)?$", _IC
        ),
        "year": re.compile(r"\s+((?:19|20)\d\d)(?!\d)"),
        "year_paren": re.compile(r"\s*\(\s*(?:[A-Z][a-z]+\.?\s+\d{1,2},\s*)?((?:19|20)\d\d)\s*\)"),
        "guidelines": re.compile(rf"\s*(?:treatment\s+)?{_GUIDE}(?![A-Za-z])", _IC),
        # Two names sharing one head noun are one citation: "California MTUS and ACOEM Guidelines".
        "shared_head": re.compile(
            rf"\s+(?:and|&)\s+(?:(?:CA|California)\s+)?(?-i:MTUS|ACOEM|ODG)\s*(?:treatment\s+)?{_GUIDE}(?![A-Za-z])",
            _IC,
        ),
        "then_acoem": re.compile(r"\s+(?-i:ACOEM)(?![A-Za-z])"),
        "part": re.compile(r"\s+(?:introduction|preface|(?P<ch>(?:[a-z]+\s+){1,5}?)chapter)(?![A-Za-z])"),
        "pre_part": re.compile(r"(?:Introduction|Preface)\s+section\s+of\s+(?:the\s+)?$", _IC),
        "pre_year": re.compile(r"(?<![\w/,.-])(?:19|20)\d\d\s+$"),
        # "MTUS guidelines for chronic pain" (corpus/README.md): the topic after "for", up to a verb.
        "for_topic": re.compile(
            r"\s+for\s+(?!(?:this|that|these|those|the|a|an|such|his|her|their|its|any|which|all|use|patients?)\b)"
            rf"(?P<topic>[a-z][a-z-]*(?:\s+(?!(?:{_VERBS}|and|or|in|with)\b)[a-z][a-z-]*){{0,5}})"
            rf"(?=\s+(?:{_VERBS})\b|\s*[,.;:)])"
        ),
        "in_acoem": re.compile(r"\s+in\s+(?:the\s+)?(?-i:ACOEM)(?![A-Za-z])", _IC),
        "chapter_num": re.compile(
            r",?\s*Chapter\s*(?P<num>\d{1,2})(?![\d])(?P<title>(?:\s+(?!Table\b|Page\b)[A-Z][\w\-]*"
            r"(?:\s+(?:to|of|and|the|for|&))?){0,6})",
        ),
        "chapter_named": re.compile(
            r"\s+(?P<title>(?:[A-Z][\w\-]*,?\s+){0,4}?(?:[A-Z][\w\-]*\s+)?"
            r"(?:Disorders|Complaints|Conditions))(?:\s+Chapter)?(?![A-Za-z])"
            r"|\s+(?P<title2>(?:[A-Z][\w\-]*,?\s+){1,5}?)Chapter(?![A-Za-z])",
        ),
        "section": re.compile(
            r",?\s+[Ss]ection\s+on\s+(?P<topic>[A-Z][^,.;:]{0,80}?)"
            r"(?=\s*(?:[,.;:]|\bpages?\b|$))"
        ),
        "quoted_topic": re.compile(r'\s*\(\s*["\u201c](?P<topic>[^"\u201d]{1,60})["\u201d]\s*\)'),
        "table": re.compile(r",?\s*Table\s*\d{1,2}-\d{1,2}", _IC),
        "pages": re.compile(rf",?\s*(?:on\s+)?{_PAGE_LABEL}\s*:?\s*(?P<pages>{_PAGE_LIST})", _IC),
        "odg_chapter": re.compile(
            rf"\s+(?P<ch>{v.odg_chapter_re.pattern})\s*(?:chapter|section)(?![A-Za-z])"
            r"|\s+(?P<pref>Preface)(?![A-Za-z])"
            r"|\s+(?P<pt>Physical\s*Therapy\s*Guidelines)",
            _IC,
        ),
        # "Non-MTUS ..." is a marker, not a mention; "outside of the MTUS Guidelines" names the
        # MTUS and is tagged (corpus/README.md).
        "excluded_before": re.compile(r"Non\s*-?\s*$", _IC),
    }


def find_citations(text: str) -> list[dict[str, Any]]:
    """Find guideline citations in free text (rationales); precision over recall.

    Guideline lines embedded in the text ("Decision based on ..." up to the blank line or
    "Decision rationale:") are read with the guideline-line parser. Elsewhere these forms
    are accepted (a leading "the" is never part of the span):

    * MTUS names: "MTUS", "CA MTUS", "California MTUS", "MTUS/ACOEM", "California Medical
      Treatment Utilization Schedule (MTUS)", optionally followed by a year, an MTUS
      document ("Chronic Pain Medical Treatment Guidelines", "Opioids Treatment
      Guidelines", "Low Back Complaints", ...) or "Guidelines", or "Guideline in ACOEM
      Chapter 11";
    * an MTUS document named with "Guidelines" on its own: "Chronic Pain Medical
      Treatment Guidelines", "California chronic pain medical treatment guidelines";
    * ODG: "Official Disability Guidelines (ODG)", "ODG" (upper case), optionally with
      "<chapter> chapter", "Preface" or "Physical Therapy Guidelines";
    * ACOEM: "ACOEM" (upper case) [Practice] [Guidelines], "ACOEM/MTUS", "Third Edition
      ACOEM Guidelines", "American College of Occupational and Environmental Medicine
      (ACOEM) Guidelines", with "Chapter N [Title]" or "<Title> Disorders Chapter";
    * then, after any of these: a year or "(July 28, 2016)", "Section on <Topic>",
      ("<topic>"), "Table 12-8", "page(s) N" / "pg. N";
    * and, before any of these, "page(s) N of [the]" ("page 78 of the CA MTUS ...").

    Not accepted: generic "the guidelines", "Non-MTUS ...".
    ACOEM mentioned without MTUS is source "ACOEM"; with it ("MTUS/ACOEM", "MTUS
    Guideline in ACOEM Chapter 11") it is "MTUS" with document "ACOEM".
    """
    if not text:
        return []
    out: list[dict[str, Any]] = []
    regions: list[tuple[int, int]] = []
    for m in _DECISION_BASED_ON.finditer(text):
        if regions and m.start() < regions[-1][1]:
            continue
        e = _REGION_END.search(text, m.end())
        region_end = e.start() + (1 if e and e.group(0).startswith(".") else 0) if e else len(text)
        # Each "Decision based on" segment is a guideline line; one that cites nothing
        # ("recommendation(s) outside of the MTUS Guidelines") is read as free text.
        heads = list(_DECISION_BASED_ON.finditer(text, m.start(), region_end))
        cuts = [h.start() for h in heads[1:]] + [region_end]
        for head, seg_end in zip(heads, cuts):
            parsed = _parse_segment(text, head.end(), seg_end)
            if parsed:
                regions.append((head.start(), seg_end))
                out.extend(parsed)
        regions.append((region_end, region_end))  # where the next head may start
    fr = _free_res()
    pos = 0
    for region_start, region_end in [*regions, (len(text), len(text))]:
        for m in fr["head"].finditer(text, pos, region_start):
            if out and m.start() < out[-1]["end"] and out[-1]["start"] <= m.start():
                continue
            cit = _free_mention(text, m, region_start)
            if cit is not None:
                out.append(cit)
        pos = region_end
    out.sort(key=lambda c: (c["start"], -c["end"]))
    kept: list[dict[str, Any]] = []
    for c in out:
        if kept and c["start"] < kept[-1]["end"]:
            continue
        kept.append(c)
    return kept


def _free_mention(text: str, m: re.Match, limit: int) -> dict[str, Any] | None:
    """Extend a guideline name found in free text into a citation (or None if excluded)."""
    v = _vocab()
    fr = _free_res()
    before = text[max(0, m.start() - 25) : m.start()]
    if fr["excluded_before"].search(before):
        return None
    start, pos = m.start(), m.end()
    source, document, chapter, topic, year, pages = "MTUS", None, None, None, None, []
    name = m.group(0)
    if m.group("mtus") is not None:
        if re.search(r"ACOEM", name):
            document = "ACOEM"
        ym = fr["year"].match(text, pos, limit)
        if ym:
            year, pos = int(ym.group(1)), ym.end()
        dm = fr["doc"].match(text, pos, limit)
        if dm:
            document = v.mtus_doc_by_key.get(_key(dm.group(0)), _clean(dm.group(0)))
            pos = dm.end()
            ym = fr["year"].match(text, pos, limit)
            if ym:
                year, pos = int(ym.group(1)), ym.end()
        xm = fr["then_acoem"].match(text, pos, limit)
        if xm and not dm:
            document, pos = "ACOEM", xm.end()  # "MTUS ACOEM Guidelines"
        gm = fr["guidelines"].match(text, pos, limit) or fr["shared_head"].match(text, pos, limit)
        if gm:
            pos = gm.end()
            fm = fr["for_topic"].match(text, pos, limit)
            if fm:
                topic, pos = _clean(fm.group("topic")), fm.end()
        elif not dm:
            pm = fr["part"].match(text, pos, limit)
            if pm:  # "MTUS introduction", "MTUS neck and upper back chapter"
                chapter, pos = (_clean(pm.group("ch")) if pm.group("ch") else pm.group(0).strip().capitalize()), pm.end()
        am = fr["in_acoem"].match(text, pos, limit)
        if am:
            document, pos = "ACOEM", am.end()
    elif m.group("doc") is not None:
        dm = v.mtus_doc_re.search(name)
        if dm is None or dm.group("doc") is None:
            return None
        document = v.mtus_doc_by_key.get(_key(dm.group("doc")), _clean(dm.group("doc")))
        ym = re.search(r"((?:19|20)\d\d)", name)
        year = int(ym.group(1)) if ym else None
    elif m.group("odg") is not None:
        source, document = "ODG", v.odg_document
        gm = fr["guidelines"].match(text, pos, limit)
        if gm and name.upper() == "ODG":
            pos = gm.end()
        om = fr["odg_chapter"].match(text, pos, limit)
        if om:
            if om.group("ch"):
                sub = v.odg_chapter_re.match(om.group("ch"))
                chapter = _odg_chapter_name(sub) if sub else None
            elif om.group("pref"):
                chapter = "Preface"
            else:
                topic = _clean(om.group("pt"))
            pos = om.end()
    else:
        source, document = ("MTUS" if "MTUS" in name else "ACOEM"), "ACOEM"
        ym = fr["year"].match(text, pos, limit)
        if ym:  # "ACOEM 2004 Lower Back Disorders Chapter"
            year, pos = int(ym.group(1)), ym.end()
        gm = re.compile(rf"\s*(?:Practice\s*)?{_GUIDE}(?![A-Za-z])", _IC).match(text, pos, limit)
        gm = gm or fr["shared_head"].match(text, pos, limit)
        if gm:
            pos = gm.end()
            if "MTUS" in gm.group(0):
                source = "MTUS"
    if document == "ACOEM" or (source == "MTUS" and document is None):
        cm = fr["chapter_num"].match(text, pos, limit)
        if cm:
            document = "ACOEM"
            chapter = _acoem_chapter_from_number(int(cm.group("num")), cm.group("title"))
            pos = cm.end() if cm.group("title").strip() else cm.start("title")
        elif document == "ACOEM":
            nm = fr["chapter_named"].match(text, pos, limit)
            if nm:
                chapter = _clean(nm.group("title") or nm.group("title2"))
                pos = nm.end()
    yp = fr["year_paren"].match(text, pos, limit)
    if yp:
        year, pos = int(yp.group(1)), yp.end()
    sm = fr["section"].match(text, pos, limit)
    if sm:
        topic, pos = _clean(sm.group("topic")), sm.end()
    qm = fr["quoted_topic"].match(text, pos, limit)
    if qm:
        topic, pos = _clean(qm.group("topic")), qm.end()
    tm = fr["table"].match(text, pos, limit)
    pm = fr["pages"].match(text, tm.end() if tm else pos, limit)
    if pm:
        pages, pos = expand_pages(pm.group("pages")), pm.end()
    elif tm:
        pos = tm.end()
    pre = fr["pre_pages"].search(text[max(0, start - 40) : start])
    if pre:
        start = max(0, start - 40) + pre.start()
        pages = sorted(set(pages) | set(expand_pages(pre.group("pages"))))
    part = fr["pre_part"].search(text[max(0, start - 40) : start])
    if part:  # "Introduction section of MTUS 2016 Chronic Pain Guidelines"
        start = max(0, start - 40) + part.start()
        chapter = chapter or _clean(part.group(0).split()[0])
    yb = fr["pre_year"].search(text[max(0, start - 6) : start])
    if yb and year is None:  # "The 2016 California MTUS"
        start, year = max(0, start - 6) + yb.start(), int(yb.group(0))
    end = _trim_end(text, start, pos)
    return _citation(
        source, text, start, end, document=document, chapter=chapter, topic=topic, year=year, pages=pages
    )
