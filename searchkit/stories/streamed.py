"""The stories of documents that arrive one by one, before the corpus's outlets are known.

A full build hands each document to the stories stage as it indexes it (in a second process:
:mod:`searchkit.story_beside`). Most of a document's work needs nothing of the corpus
(sentences, tokens, counts) and is done as it arrives; its credits need every outlet of the
corpus (a credit to "the Daily Bugle" is one only when that outlet is in the collection), so
they wait until the end. Meanwhile the text waits in a spool file, not in memory. Credits are
then found in arrival order with the lexicon that :func:`build_stories` would have, so the
model is the one ``build_stories(docs, known_outlets=outlets)`` makes.
"""
from __future__ import annotations

from array import array
from typing import BinaryIO, Iterable

from .model import StoryInput, StoryModel, _Doc, document_credits


class StreamedStories:
    """build_stories, fed a document at a time; its texts kept in ``spool`` (a binary file)."""

    def __init__(self, spool: BinaryIO, outlets: dict[str, Iterable[str]] | None = None) -> None:
        self._model = StoryModel._knowing(outlets, ())
        self._spool = spool
        self._filed: list[tuple[_Doc, int, str | None]] = []  # document, text bytes, url
        self._new: list[str] = []
        self._outlets: set[str] = set()

    def add(self, inp: StoryInput) -> None:
        d, text, _ = self._model._file(inp, self._outlets)
        data = text.encode("utf-8", "surrogatepass")
        self._spool.write(data)
        self._filed.append((d, len(data), inp.url))
        self._new.append(d.doc_id)

    def finish(self, known_outlets: Iterable[str]) -> StoryModel:
        """The model, once every document is in: ``known_outlets`` are the corpus's outlets."""
        m = self._model
        for o in known_outlets:
            if o:
                m._lex.add_outlet(o)
        self._spool.seek(0)
        for d, size, url in self._filed:
            text = self._spool.read(size).decode("utf-8", "surrogatepass")
            spans = _pairs(d.spans)
            d.credits = document_credits(d, text, spans, url, m._lex)
        self._filed = []
        ids = m._post_new(self._new, self._outlets)
        m._assign(m._cluster(ids, release=True), {})
        return m


def _pairs(flat: array) -> list[tuple[int, int]]:
    return list(zip(flat[0::2], flat[1::2]))
