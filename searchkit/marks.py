"""Marking character spans of untrusted text, once, for every output.

Hits, passages and articles carry their matches as ``(start, end)`` character offsets into the
text. :func:`segments` turns a text and its spans into the pieces to print: the spans sorted,
clipped to the text, empty ones dropped, overlapping and touching ones merged, and the text
made safe first (control, bidi and invisible characters become spaces one for one, so the
offsets stay right; on one line, runs of white space folded with the offsets moved along).
Small renderers write the pieces for a terminal (:func:`terminal_marked`), HTML
(:func:`html_marked`) and Markdown (:func:`markdown_marked`). :func:`layers` does the same
cutting for spans of several kinds that may nest (the web page's hits inside credits).
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from .sanitize import markdown_inline, markdown_line_start, safe

Spans = Iterable[tuple[int, int]]

_SPACES = re.compile(r"\s+")
_EDGE_SPACE = re.compile(r"^(\s*)(.*?)(\s*)$", re.S)


@dataclass(frozen=True)
class Segment:
    """A piece of safe text, marked or not."""

    text: str
    marked: bool


def merged_spans(spans: Spans, length: int) -> list[tuple[int, int]]:
    """``spans`` sorted and clipped to ``0..length``, empty ones dropped, overlapping and
    touching ones merged into one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted((max(0, s), min(length, e)) for s, e in spans):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def segments(text: str, spans: Spans, *, lines: bool = False, fold: bool = False) -> list[Segment]:
    """``text`` made safe and cut into unmarked and marked pieces, in order.

    ``lines`` keeps newlines and tabs (an article's body); otherwise they become spaces.
    ``fold`` also makes every run of white space one space (what :func:`sanitize.one_line`
    does), moving the spans with the text.
    """
    text = safe(text, keep_newlines=lines)
    span_list = list(spans)
    if fold:
        text, span_list = _folded(text, span_list)
    out: list[Segment] = []
    cursor = 0
    for start, end in merged_spans(span_list, len(text)):
        if start > cursor:
            out.append(Segment(text[cursor:start], False))
        out.append(Segment(text[start:end], True))
        cursor = end
    if cursor < len(text) or not out:
        out.append(Segment(text[cursor:], False))
    return out


def _folded(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with each run of white space made one space, and ``spans`` moved to match."""
    runs = [(m.start(), m.end()) for m in _SPACES.finditer(text) if m.end() - m.start() > 1]
    folded = _SPACES.sub(" ", text)
    if not runs:
        return folded, spans
    run_starts = [start for start, _ in runs]
    removed_before = [0]  # characters removed by the runs before run i
    for start, end in runs:
        removed_before.append(removed_before[-1] + end - start - 1)

    def moved(offset: int) -> int:
        i = bisect.bisect_right(run_starts, offset) - 1
        if i < 0:
            return offset
        start, end = runs[i]
        return offset - removed_before[i] - max(0, min(offset, end) - (start + 1))

    return folded, [(moved(s), moved(e)) for s, e in spans]


def rendered(pieces: Iterable[Segment], *, escape: Callable[[str], str], mark: Callable[[str], str]) -> str:
    """The pieces joined, each escaped for the output, the marked ones passed to ``mark``."""
    return "".join(mark(escape(p.text)) if p.marked else escape(p.text) for p in pieces)


def terminal_marked(text: str, spans: Spans, mark: Callable[[str], str], *, lines: bool = False) -> str:
    """For a terminal: safe text with each span passed to ``mark`` (a style's colour codes,
    the only escape sequences ever written)."""
    return rendered(segments(text, spans, lines=lines), escape=str, mark=mark)


def html_marked(text: str, spans: Spans) -> str:
    """HTML on one line: the text escaped, each span in ``<mark>``."""
    return rendered(segments(text, spans, fold=True), escape=_html_escape, mark=lambda t: f"<mark>{t}</mark>")


def markdown_marked(text: str, spans: Spans) -> str:
    """Inert Markdown on one line, each span in bold (white space kept outside the ``**``,
    where CommonMark needs it); it may start a line: a leading "#" or "1." is escaped."""
    return markdown_line_start(rendered(segments(text, spans, fold=True), escape=markdown_inline, mark=_bold))


def _html_escape(text: str) -> str:
    return html.escape(text, quote=True)


def _bold(text: str) -> str:
    match = _EDGE_SPACE.match(text)
    assert match is not None
    before, core, after = match.groups()
    return f"{before}**{core}**{after}" if core else text


class _Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=_Span)


def layers(text: str, spans: Sequence[S]) -> tuple[str, list[tuple[str, list[S]]]]:
    """For spans of several kinds that may overlap or nest: the safe text (newlines kept) and
    its pieces, each with the spans that cover it (outermost first). Spans are clipped to the
    text; none is merged, as each may carry its own number or title."""
    text = safe(text, keep_newlines=True)
    n = len(text)
    kept = sorted((s for s in spans if max(0, s.start) < min(n, s.end)), key=lambda s: (max(0, s.start), -s.end))
    cuts = sorted({0, n, *(max(0, s.start) for s in kept), *(min(n, s.end) for s in kept)})
    pieces: list[tuple[str, list[S]]] = []
    for a, b in zip(cuts, cuts[1:]):
        pieces.append((text[a:b], [s for s in kept if s.start <= a and b <= s.end]))
    return text, pieces
