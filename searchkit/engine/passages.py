"""Snippets from matched fragments, whatever engine found them: the fragments' text on one
line, joined by ellipses, with the offsets of the matched words in it, and the same fragments
as :class:`~searchkit.models.Passage` objects (offsets into the whole text)."""

from __future__ import annotations

from ..models import Passage
from ..sanitize import one_line

SNIPPET_CHARS = 200  # about this long per fragment
SNIPPET_FRAGMENTS = 2
ELLIPSIS = "…"

#: (start, end, [(match start, match end), ...]): a fragment of a text, offsets into it.
Fragment = tuple[int, int, list[tuple[int, int]]]


def snippet_from(text: str, fragments: list[Fragment]) -> tuple[str, tuple[tuple[int, int], ...], tuple[Passage, ...]]:
    """The snippet of ``text`` made of ``fragments`` (the opening of the text if none)."""
    if not fragments:
        return lead_snippet(text), (), ()
    builder = _SnippetBuilder()
    merged = merge_fragments(fragments)
    passages = []
    for i, (start, end, matches) in enumerate(merged):
        if i or start > 0:
            builder.add_gap(ELLIPSIS)
        cursor = start
        kept = []
        own = _SnippetBuilder()  # the passage alone, for Hit.passages
        for m_start, m_end in matches:
            if m_start < cursor:
                continue
            for b in (builder, own):
                b.add_text(text[cursor:m_start])
                b.add_match(text[m_start:m_end])
            kept.append((m_start, m_end))
            cursor = m_end
        builder.add_text(text[cursor:end])
        own.add_text(text[cursor:end])
        if i == len(merged) - 1 and end < len(text.rstrip()):
            builder.add_gap(ELLIPSIS)
        passage_text, passage_spans = own.result()
        passages.append(Passage(start, end, passage_text, tuple(kept), passage_spans))
    snippet, spans = builder.result()
    return snippet, spans, tuple(passages)


def merge_fragments(fragments: list[tuple[int, int, list[tuple[int, int]]]]) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Fragments ``(start, end, matches)`` in text order, those that overlap or touch made one
    (two fragments around nearby matches share context, which was then shown twice)."""
    out: list[tuple[int, int, list[tuple[int, int]]]] = []
    for start, end, matches in sorted(fragments, key=lambda f: (f[0], f[1])):
        if out and start <= out[-1][1]:
            p_start, p_end, p_matches = out[-1]
            out[-1] = (p_start, max(p_end, end), sorted(set(p_matches) | set(matches)))
        else:
            out.append((start, end, sorted(matches)))
    return out


def lead_snippet(text: str) -> str:
    """The start of an article, cut at a word, when nothing in the body matched."""
    clean = one_line(text).strip()
    if len(clean) <= SNIPPET_CHARS:
        return clean
    cut = clean.rfind(" ", 0, SNIPPET_CHARS)
    return clean[: cut if cut > 0 else SNIPPET_CHARS] + " " + ELLIPSIS


class _SnippetBuilder:
    """Joins cleaned pieces of text while tracking the offsets of the matches."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[tuple[int, int]] = []

    def _append(self, piece: str) -> None:
        if not piece:
            return
        if self.parts and self.parts[-1].endswith(" ") and piece.startswith(" "):
            piece = piece[1:]
            if not piece:
                return
        self.parts.append(piece)
        self.length += len(piece)

    def add_text(self, raw: str) -> None:
        self._append(one_line(raw))

    def add_match(self, raw: str) -> None:
        piece = one_line(raw).strip()
        if not piece:
            return
        start = self.length
        self._append(piece)
        self.spans.append((start, self.length))

    def add_gap(self, mark: str) -> None:
        if self.parts and not self.parts[-1].endswith(" "):
            self._append(" ")
        self._append(mark + " ")

    def result(self) -> tuple[str, tuple[tuple[int, int], ...]]:
        text = "".join(self.parts)
        stripped = text.rstrip()
        lead = len(text) - len(text.lstrip())
        spans = tuple((s - lead, e - lead) for s, e in self.spans)
        return stripped.lstrip(), spans
