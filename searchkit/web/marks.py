"""Untrusted text as HTML, with marks placed from character offsets.

Marks are never made by inserting HTML into text: :mod:`searchkit.marks` cuts the safe text
at the spans' offsets, every piece is escaped, and the tags are written around the pieces.
Overlapping spans of different kinds (a query hit inside a credit) nest by cutting at every
boundary.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ..marks import html_marked, layers
from ..sanitize import one_line, safe


@dataclass(frozen=True)
class Span:
    """A stretch of text to wrap: ``kind`` is the tag's class ("hit", "credit", "verbatim",
    "reworded", "added", "same"); ``number`` numbers hits (``id="hit-N"``); ``title`` is a tooltip."""

    start: int
    end: int
    kind: str
    number: int | None = None
    title: str = ""


_TAGS = {"hit": "mark"}


def text_html(text: str | None, *, lines: bool = False) -> Markup:
    """Untrusted text escaped; on one line unless ``lines`` (newlines kept)."""
    if not text:
        return Markup("")
    cleaned = safe(text, keep_newlines=True) if lines else one_line(text)
    return Markup(html.escape(cleaned, quote=True))


def marked_html(text: str, spans: Iterable[Span], *, current: int | None = None) -> Markup:
    """``text`` (newlines kept) escaped, with each span wrapped in its tag; the hit numbered
    ``current`` gets the class ``current``."""
    out: list[str] = []
    started: set[int] = set()
    for text_piece, active in layers(text, list(spans))[1]:
        piece = html.escape(text_piece, quote=True)
        for span in reversed(active):  # the innermost first, so the outermost wraps the rest
            tag = _TAGS.get(span.kind, "span")
            attrs = [f'class="{span.kind}{" current" if span.number is not None and span.number == current else ""}"']
            if span.number is not None:
                attrs.append(f'data-hit="{span.number}"')
                if span.number not in started:
                    attrs.append(f'id="hit-{span.number}"')
                    started.add(span.number)
            if span.title:
                attrs.append(f'title="{html.escape(one_line(span.title), quote=True)}"')
            piece = f"<{tag} {' '.join(attrs)}>{piece}</{tag}>"
        out.append(piece)
    return Markup("".join(out))


def snippet_html(snippet: str, highlights: Sequence[tuple[int, int]]) -> Markup:
    """A hit's snippet on one line, its matched words in ``<mark>``."""
    return Markup(html_marked(snippet, highlights))
