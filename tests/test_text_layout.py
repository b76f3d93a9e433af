"""Direct tests of imr_nlp.text_layout: line ends, lines, paragraph breaks, page furniture."""

from __future__ import annotations

import pytest

from imr_nlp.text_layout import Layout, Line, pattern_text, split_lines


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a\nb", "a\nb"),  # no CR: the same string
        ("a\r\nb", "a \nb"),  # CRLF: space + LF (same length)
        ("a\rb", "a\nb"),  # old Mac line end
        ("a\r\n\r\nb", "a \n\n\nb"),  # an empty CRLF line is two empty lines, not a line holding a space
        ("\r\nx", "\n\nx"),  # an empty first line
        ("", ""),
    ],
)
def test_pattern_text(text, expected):
    got = pattern_text(text)
    assert got == expected
    assert len(got) == len(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", [Line(0, 0, "")]),
        ("a\nb", [Line(0, 1, "a"), Line(2, 3, "b")]),
        ("a\n", [Line(0, 1, "a")]),  # no empty line after a final newline
        ("a\r\nbb\rc", [Line(0, 1, "a"), Line(3, 5, "bb"), Line(6, 7, "c")]),
        ("\n\n", [Line(0, 0, ""), Line(1, 1, "")]),
        (" \t\n", [Line(0, 2, " \t")]),
        # only \r and \n end a line (not a vertical tab, form feed or Unicode line separator)
        ("a\x0bb\u2028c\x0c\n\nd\n\n", [Line(0, 6, "a\x0bb\u2028c\x0c"), Line(7, 7, ""), Line(8, 9, "d"), Line(10, 10, "")]),
        ("\x85\r", [Line(0, 1, "\x85")]),
    ],
)
def test_split_lines(text, expected):
    assert split_lines(text) == expected


@pytest.mark.parametrize(
    "text, breaks",
    [
        # plain empty lines between paragraphs
        ("a\nb\n\nc\nd", [False, False, True, False, False]),
        # pypdf: paragraph gaps are lines holding a space; an empty line is a page join
        ("a\n \nb\n \nc\n\nd", [False, True, False, True, False, False, False]),
        # double-spaced extraction: one empty line separates lines, two or more end a paragraph
        ("a\n\nb\n\nc\n\n\nd\n\ne", [False, False, False, False, False, True, True, False, False, False]),
        ("one line", [False]),
    ],
)
def test_paragraph_breaks(text, breaks):
    assert Layout(text).is_break == breaks


@pytest.mark.parametrize(
    "line, furniture",
    [
        ("Page 2 of 5", True),
        ("CM16-0213037 Page 3 of 5", True),
        ("  IMR Case Number: CM16-0213037  ", True),
        ("- 4 -", True),
        ("Page 2 of 5 of the records were reviewed.", False),
        ("The request for CM16-0213037 was reviewed.", False),
        ("", False),
    ],
)
def test_page_furniture_lines(line, furniture):
    layout = Layout(f"before\n{line}\nafter")
    assert layout.furniture == [False, furniture, False]
    assert layout.is_skippable(1) is (furniture or not line.strip())


def test_match_text_blanks_furniture_with_the_same_length():
    text = "The request for\nPage 2 of 5\nTramadol is not medically necessary."
    layout = Layout(text)
    assert layout.match_text == "The request for\n" + " " * 11 + "\nTramadol is not medically necessary."
    assert Layout("no furniture here").match_text == "no furniture here"


@pytest.mark.parametrize("offset, line", [(0, 0), (2, 0), (3, 1), (5, 1), (7, 2), (100, 2)])
def test_line_at(offset, line):
    assert Layout("ab\ncd\nef").line_at(offset) == line


@pytest.mark.parametrize(
    "text, span, expected",
    [
        ("  hello world \n", (0, 15), "hello world"),
        ("  \nCM16-0213037 Page 2 of 5\nhello world\n", (0, 40), "hello world"),  # leading furniture
        ("hello\nPage 2 of 5\n", (0, 18), "hello"),  # trailing furniture
        ("   \n  ", (0, 6), ""),
    ],
)
def test_trim(text, span, expected):
    start, end = Layout(text).trim(*span)
    assert text[start:end] == expected
    assert start <= end


@pytest.mark.parametrize(
    "offset, limit, expected",
    [
        (0, 100, 4),  # the break line starts at 4
        (0, 3, 3),  # at most limit
        (5, 100, 100),  # no break after: limit
    ],
)
def test_paragraph_end(offset, limit, expected):
    assert Layout("a\nb\n\nc\nd").paragraph_end(offset, limit) == expected


def test_offsets_index_the_original_text_with_crlf():
    text = "Item 1\r\n\r\nPage 2 of 5\r\nDecision\r\n"
    layout = Layout(text)
    assert layout.original is text and len(layout.text) == len(text)
    # a CR reads as a space: lines keep their length, so offsets still index ``text``
    assert [line.text for line in layout.lines] == ["Item 1 ", "", "", "Page 2 of 5 ", "Decision "]
    assert layout.furniture == [False, False, False, True, False]
    last = layout.lines[-1]
    start, end = layout.trim(last.start, last.end)
    assert text[start:end] == "Decision"


def test_page_furniture_is_blanked_for_matching_and_trimmed_from_spans():
    text = "Request: Norco\nCM15-0123456 Page 2 of 3\nmore text\n\nnext"
    layout = Layout(text)
    assert layout.furniture == [False, True, False, False, False]
    assert layout.match_text == "Request: Norco\n" + " " * 24 + "\nmore text\n\nnext"
    assert layout.is_skippable(1) and layout.is_skippable(3) and not layout.is_skippable(2)
    furniture = text.index("CM15")
    assert layout.trim(furniture, len(text)) == (text.index("more"), len(text))
    assert layout.trim(0, text.index("more")) == (0, len("Request: Norco"))
    assert layout.line_at(text.index("Page")) == 1
    assert layout.paragraph_end(0, len(text)) == text.index("\n\nnext") + 1  # start of the blank line
    assert layout.paragraph_end(0, 10) == 10  # never past the limit


# --- one layout per doc, shared by the components --------------------------------------

LETTER = "CM16-0000001 Page 1 of 2\nDECISIONS\n1. Norco 10/325mg #60: Upheld\nPage 2 of 2\nMore text.\n"


def _counting_layouts(monkeypatch):
    import imr_nlp.text_layout as text_layout

    built = []
    original = text_layout.Layout.__init__

    def counting(self, text):
        built.append(text)
        original(self, text)

    monkeypatch.setattr(text_layout.Layout, "__init__", counting)
    return built


def test_the_pipeline_builds_one_layout_per_letter_and_keeps_none(nlp, monkeypatch):
    from conftest import SEEDS, read

    from imr_nlp.text_layout import _DOC_LAYOUTS

    letter = read(SEEDS[0])
    built = _counting_layouts(monkeypatch)
    doc = nlp(letter)
    assert len(built) == 1  # built by imr_entity_rules, read again by imr_items
    assert doc not in _DOC_LAYOUTS  # released by imr_items, the last reader
    assert doc._.items and doc.ents
    assert doc.to_bytes()  # nothing of it in the doc
    assert doc.copy().text == letter


def test_doc_layout_is_rebuilt_for_another_text_object_or_other_templates(monkeypatch):
    import spacy

    from imr_nlp.resources import RuleData, packaged_data, using
    from imr_nlp.text_layout import doc_layout, release_layout

    doc = spacy.blank("en")(LETTER)
    built = _counting_layouts(monkeypatch)
    text = doc.text
    first = doc_layout(doc, text)
    assert doc_layout(doc, text) is first and len(built) == 1
    equal = "".join(list(text))  # the same characters, another object (the doc's text was replaced)
    assert equal is not text
    assert doc_layout(doc, equal) is not first and len(built) == 2
    templates = dict(packaged_data()["letter_templates.json"])
    templates["page_furniture"] = "^Page \\d+ of \\d+$"  # other furniture rules: other match text
    other = RuleData({"letter_templates.json": templates})
    with using(other):
        theirs = doc_layout(doc, equal)
    assert len(built) == 3 and theirs.match_text != first.match_text
    release_layout(doc)
    assert doc_layout(doc, equal) is not theirs
