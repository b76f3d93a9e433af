"""Line structure of letter text (``text_layout``): small inputs, exact results."""

from __future__ import annotations

import pytest

from imr_nlp.text_layout import Layout, pattern_text, split_lines


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("a\nb", [(0, 1, "a"), (2, 3, "b")]),
        ("a\r\nb\rc\n", [(0, 1, "a"), (3, 4, "b"), (5, 6, "c")]),  # CRLF, CR and LF ends
        ("a\n\n", [(0, 1, "a"), (2, 2, "")]),
        ("", [(0, 0, "")]),
    ],
)
def test_split_lines(text, lines):
    assert [(line.start, line.end, line.text) for line in split_lines(text)] == lines


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("a\r\nb", "a \nb"),
        ("a\r\n\r\nb", "a \n\n\nb"),  # an empty CRLF line stays empty (not a line holding a space)
        ("a\rb", "a\nb"),
        ("plain\n", "plain\n"),
    ],
)
def test_pattern_text_keeps_the_length(text, pattern):
    assert pattern_text(text) == pattern
    assert len(pattern) == len(text)


@pytest.mark.parametrize(
    ("text", "breaks"),
    [
        # pypdf style: lines holding a space are the paragraph gaps
        ("p1 l1\np1 l2\n \np2\n \np3\n", [False, False, True, False, True, False]),
        # double-spaced extraction: only a run of two or more empty lines is a break
        ("p1\n\np1b\n\np1c\n\n\np2\n", [False, False, False, False, False, True, True, False]),
        # plain text: every empty line is a break
        ("p1\n\np2\np2b\n", [False, True, False, False]),
    ],
)
def test_paragraph_breaks_in_three_whitespace_styles(text, breaks):
    assert Layout(text).is_break == breaks


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
