"""Untrusted text as HTML, with marks placed from character offsets.

Marks are never made by inserting HTML into text: the text is cut at the spans' offsets,
every piece is escaped (after the control, bidi and invisible characters are replaced by
spaces, one for one, so offsets stay right), and the tags are written around the pieces.
Overlapping spans of different kinds (a query hit inside a credit) nest by cutting at every
boundary.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

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
    text = safe(text, keep_newlines=True)
    spans = sorted((s for s in spans if 0 <= s.start < s.end <= len(text)), key=lambda s: (s.start, -s.end))
    if not spans:
        return Markup(html.escape(text, quote=True))
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out: list[str] = []
    started: set[int] = set()
    for a, b in zip(cuts, cuts[1:]):
        piece = html.escape(text[a:b], quote=True)
        active = [s for s in spans if s.start <= a and b <= s.end]
        for span in reversed(active):
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
    from ..export import highlight_html

    return Markup(highlight_html(snippet, highlights))
