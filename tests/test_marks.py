"""The one span marker (searchkit.marks) and every output that uses it: the terminal (hit
snippets, the shell's article view), the Markdown and HTML exports, and the web page.

The four copies it replaced disagreed: the terminal snippet did not sort spans (an unsorted
list lost its marks), the article view did not check bounds, overlapping spans were dropped
by some and not others. Each property below is checked against a reference written here
character by character (not against the module's own cutting), on texts drawn from an
alphabet of hostile characters: escapes, C1 controls, bidi overrides, markup of every output.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit.marks import html_marked, markdown_marked, segments, terminal_marked
from searchkit.render import Style, hit_lines, wrapped

HOSTILE_CHARS = ("a", "b", "Z", "é", "7", " ", "  ", "\n", "\t", "\x1b", "\x1b[31m", "\x9b", "\x07", "\u202e",
                 "\u2066", "\u200b", "<", ">", "&", "&amp;", '"', "'", "*", "_", "`", "[", "]", "(", ")", "#", "1.",
                 "-", "|", "~", "\\", "<script>", "\u00a0")
BAD = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
texts = st.lists(st.sampled_from(HOSTILE_CHARS), max_size=30).map("".join)
spans = st.lists(st.tuples(st.integers(-5, 70), st.integers(-5, 70)), max_size=6)


def reference(text: str, marks: list[tuple[int, int]], *, fold: bool) -> tuple[str, list[bool]]:
    """What a marked text should read, character by character: each character of a span
    (clipped to the text) marked, unsafe characters as spaces, tabs and newlines as spaces;
    with ``fold`` a run of white space is one space, marked as the run's first character."""
    folded_space: list[bool] = []  # whether each kept character was white space
    chars = [(" " if BAD.match(c) or c in "\n\t" else c,
              any(max(0, s) <= i < min(len(text), e) for s, e in marks)) for i, c in enumerate(text)]
    if fold:
        folded: list[tuple[str, bool]] = []
        for c, m in chars:
            if c.isspace() and folded and folded[-1][0] == " " and folded_space[-1]:
                continue  # the rest of a run of white space
            folded_space.append(c.isspace())
            folded.append((" " if c.isspace() else c, m))
        folded_space.clear()
        chars = folded
    return "".join(c for c, _ in chars), [m for _, m in chars]


def runs(flags: list[bool]) -> int:
    """How many maximal marked stretches."""
    return sum(1 for i, f in enumerate(flags) if f and (i == 0 or not flags[i - 1]))


@settings(max_examples=300, deadline=None)
@given(texts, spans, st.booleans())
def test_segments_read_as_the_reference(text: str, marks: list[tuple[int, int]], fold: bool) -> None:
    pieces = segments(text, marks, fold=fold)
    expected, flags = reference(text, marks, fold=fold)
    assert "".join(p.text for p in pieces) == expected
    assert [p.marked for p in pieces for _ in p.text] == flags
    # Merged: never two marked pieces side by side, never an empty piece (but for "").
    assert all(not (a.marked and b.marked) for a, b in zip(pieces, pieces[1:]))
    assert all(p.text for p in pieces) or pieces == [pieces[0]]


MARK_ON, MARK_OFF = "\x1b[1;31m", "\x1b[0m"


def _terminal_read(out: str) -> tuple[str, list[bool]]:
    text, flags = [], []
    for i, part in enumerate(re.split(r"\x1b\[1;31m(.*?)\x1b\[0m", out, flags=re.S)):
        text.append(part)
        flags += [i % 2 == 1] * len(part)
    return "".join(text), flags


@settings(max_examples=300, deadline=None)
@given(texts, spans)
def test_terminal_output_marks_every_span_and_writes_no_escape_of_the_text(text: str, marks: list[tuple[int, int]]) -> None:
    out = terminal_marked(text, marks, Style(True).match)
    read, flags = _terminal_read(out)
    expected, expected_flags = reference(text, marks, fold=False)
    assert read == expected and flags == expected_flags
    assert out.count("\x1b") == 2 * runs(expected_flags)  # only searchkit's own colour codes
    assert not BAD.search(read)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.flags: list[bool] = []
        self.tags: list[str] = []
        self.depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        self.flags += [self.depth > 0] * len(data)


@settings(max_examples=300, deadline=None)
@given(texts, spans)
def test_html_output_is_escaped_text_with_one_mark_per_stretch(text: str, marks: list[tuple[int, int]]) -> None:
    out = html_marked(text, marks)
    reader = _Reader()
    reader.feed(out)
    reader.close()
    expected, flags = reference(text, marks, fold=True)
    assert "".join(reader.text) == expected and reader.flags == flags
    assert reader.tags == ["mark"] * runs(flags)
    assert not BAD.search(out)


@settings(max_examples=300, deadline=None)
@given(texts, spans)
def test_markdown_output_renders_to_no_markup_but_bold(text: str, marks: list[tuple[int, int]]) -> None:
    markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py is in the test extras")
    out = markdown_marked(text, marks)
    assert "\n" not in out and not BAD.search(out)
    rendered = markdown_it.MarkdownIt("commonmark").render(out)
    reader = _Reader()
    reader.feed(rendered)
    reader.close()
    assert set(reader.tags) <= {"p", "strong"}, rendered
    expected, flags = reference(text, marks, fold=True)
    # Every character of the text is shown, in order (CommonMark trims a paragraph's ends, and
    # may leave a "**" literal where the marked text ends in punctuation before a letter).
    assert "".join(reader.text).strip().replace("*", "") == expected.strip().replace("*", "")


@pytest.mark.parametrize("words", ["alpha beta gamma delta", "one  two\tthree\nfour"])
def test_markdown_bold_covers_exactly_the_marked_words(words: str) -> None:
    markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py is in the test extras")
    found = [m.span() for m in re.finditer(r"\w+", words)]
    marks = [found[2], found[0], (found[0][0], found[0][1] - 1)]  # unsorted, overlapping
    rendered = markdown_it.MarkdownIt("commonmark").render(markdown_marked(words, marks))
    strong = re.findall(r"<strong>(.*?)</strong>", rendered)
    assert strong == [words[slice(*found[0])], words[slice(*found[2])]]


# -- The outputs, through the functions that write them ---------------------------------------


def _hit(snippet: str, highlights: tuple[tuple[int, int], ...]):
    from searchkit.models import Hit, Passage

    return Hit(rank=1, doc_id="a.txt", path=Path("/c/a.txt"), title="T", outlet="O", date=dt.date(2024, 4, 1),
               score=1.0, snippet=snippet, highlights=highlights,
               passages=(Passage(0, len(snippet), snippet, highlights=highlights),))


SNIPPET = "The quokka census rose; quokka \x1b]0;pwned\x07 numbers \u202egrew."
UNSORTED = ((24, 30), (4, 10), (200, 210), (4, 8))  # the second quokka first, a stray span, an overlap


def test_terminal_snippet_marks_unsorted_spans_which_it_used_to_drop() -> None:
    lines = hit_lines(_hit(SNIPPET, UNSORTED), Style(True))
    body = "\n".join(lines)
    assert body.count(MARK_ON + "quokka" + MARK_OFF) == 2
    assert "\x07" not in body and "\u202e" not in body and "]0;pwned" in body.replace("\x1b", "")
    wrapped_lines = wrapped(SNIPPET, list(UNSORTED), Style(True), width=24, indent="  ")
    assert "".join(wrapped_lines).count(MARK_ON + "quokka" + MARK_OFF) == 2


def test_article_view_ignores_spans_past_the_end_and_keeps_lines() -> None:
    text = "First line with quokka\nSecond \x1b[2J line"
    out = terminal_marked(text, [(16, 22), (30, 400), (400, 500)], Style(True).match, lines=True)
    assert out.splitlines()[0] == "First line with " + MARK_ON + "quokka" + MARK_OFF
    assert out.count("\x1b") == 4 and "[2J" in out  # the text's ESC is a space; ours are the only ones


def test_exports_mark_each_passage_the_same_way() -> None:
    from searchkit import export
    from searchkit.api import ExportInfo

    info = ExportInfo(query="quokka", plain=False, sort="relevance", outlets=(), since=None, until=None,
                      exported_at=dt.datetime(2024, 4, 1, tzinfo=dt.timezone.utc), index=Path("/i"), corpus=None,
                      generation="gen1", total=1, version="0")
    for fmt, marked in (("md", "**quokka**"), ("html", "<mark>quokka</mark>")):
        out = io.StringIO()
        export.write(fmt, info, [_hit(SNIPPET, UNSORTED)], out)
        quote = next(line for line in out.getvalue().splitlines() if "census" in line)
        assert quote.count(marked) == 2, quote
        assert "\x1b" not in quote and "\x07" not in quote and "\u202e" not in quote


def test_web_snippet_and_article_marks() -> None:
    from searchkit.web.marks import Span, marked_html, snippet_html

    snippet = str(snippet_html(SNIPPET, UNSORTED))
    assert snippet.count("<mark>quokka</mark>") == 2 and "\u202e" not in snippet
    text = "<b>quokka</b> said \u202eAP\u202c"
    page = str(marked_html(text, [Span(3, 9, "hit", number=1), Span(0, 99, "credit", title="x<y"),
                                  Span(-4, 2, "hit", number=2)]))
    assert "<b>" not in page and "</b>" not in page
    reader = _Reader()
    reader.feed(page)
    assert "".join(reader.text) == text.replace("\u202e", " ").replace("\u202c", " ")
    assert page.startswith('<span class="credit" title="x&lt;y">') and 'id="hit-1"' in page and 'id="hit-2"' in page
