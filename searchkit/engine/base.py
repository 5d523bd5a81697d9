"""The protocol an engine implements: write documents, search, count, facets, completion
terms and stored documents. Nothing here imports an engine.

The build run (:mod:`searchkit.build`) writes through :class:`EngineWriter`; the library's
:class:`~searchkit.api.Index` reads through :class:`EngineReader`. Data crosses as the frozen
dataclasses of :mod:`searchkit.models`, never as engine objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..models import ArticleMeta, Results, SearchOptions
from ..store import FileState


@dataclass(frozen=True)
class IndexedDocument:
    """One document as the build hands it to an engine, and as the engine gives it back."""

    doc_id: str
    #: The corpus file it was read from ("/"-separated, relative to the corpus).
    file: str
    text: str
    meta: ArticleMeta
    state: FileState


@dataclass(frozen=True)
class Counts:
    """What an index holds: documents, documents per outlet (commonest first), date range."""

    documents: int
    outlets: dict[str, int]
    first_date: dt.date | None
    last_date: dt.date | None
    undated: int
    #: Documents with no known outlet.
    no_outlet: int = 0


class ReaderOutdated(Exception):
    """Raised by an engine reader whose files vanished under it (a rebuild swapped
    generations): the caller reopens and tries once more. Any other exception from a reader
    is either damage, which the caller tells from the files (:func:`searchkit.store.verify`),
    or a bug."""


class EngineWriter(Protocol):
    def add(self, doc: IndexedDocument) -> None: ...

    def update(self, doc: IndexedDocument) -> None: ...

    def delete(self, doc_id: str) -> None: ...

    def on_progress(self, report: Callable[[int, int], None] | None) -> None:
        """Have ``report(done, total)`` called while one long document is analysed (for a
        progress bar); an engine may never call it."""
        ...

    def commit(self) -> int:
        """Make the changes durable and visible; return the number of live documents."""
        ...

    def cancel(self) -> None: ...


#: The documents of a story, by id; how an engine resolves ``story:ID`` filters.
StoryMembers = Callable[[str], Iterable[str]]


class EngineReader(Protocol):
    def search(self, text: str, options: SearchOptions, corpus: Path | None,
               stories: StoryMembers | None = None) -> Results: ...

    def matching_ids(self, text: str, options: SearchOptions, stories: StoryMembers | None = None,
                     among: Iterable[str] | None = None) -> list[str]:
        """The ids of the documents the query matches under the options' filters: all of
        them, or those of ``among``."""
        ...

    def similar(self, text: str, options: SearchOptions, corpus: Path | None,
                exclude: str | None = None) -> Results:
        """The documents sharing most content with the passage ``text``, without the
        document ``exclude``."""
        ...

    def documents(self) -> Iterator[tuple[str, str, ArticleMeta]]:
        """(doc id, text, metadata) of every live document."""
        ...

    def counts(self) -> Counts: ...

    def document(self, doc_id: str) -> IndexedDocument | None: ...

    def complete(self, prefix: str, limit: int) -> list[str]: ...

    def outlets(self) -> list[str]: ...

    def doc_ids(self) -> list[str]: ...

    def up_to_date(self) -> bool: ...

    def close(self) -> None: ...


class Engine(Protocol):
    """An engine's entry points, given an index folder and a generation name."""

    #: Version of what this engine writes; an index of another version must be rebuilt.
    schema_version: int

    def check(self, index_dir: Path, generation: str) -> None:
        """Raise IndexDamagedError if the generation cannot be opened."""
        ...

    def files(self, index_dir: Path, generation: str) -> tuple[str, list[str]]:
        """The generation's latest commit: (the file that is its commit point, every file it
        uses, that one included), names relative to ``index_dir``; ("", []) if none. The
        build records their sizes and checksums (:func:`searchkit.store.record_commit`)."""
        ...

    def create(self, index_dir: Path, generation: str, *, procs: int = 1) -> EngineWriter:
        """A writer filling a new, empty generation."""
        ...

    def writer(self, index_dir: Path, generation: str) -> EngineWriter:
        """A writer updating an existing generation in place."""
        ...

    def indexed(self, index_dir: Path, generation: str) -> dict[str, tuple[str, FileState]]:
        """doc_id -> (file, state) for every live document."""
        ...

    def reader(self, index_dir: Path, generation: str) -> EngineReader: ...

    def check_query(self, text: str, *, plain: bool = False) -> None:
        """Raise QueryError if ``text`` is not a valid query."""
        ...

    def query_terms(self, text: str, *, plain: bool = False, lang: str | None = None) -> frozenset[str]:
        """The indexed terms a query looks for in titles and bodies (none under NOT), in
        articles in ``lang`` as well as in those of the default analysis."""
        ...

    def matched_spans(self, text: str, query: str, *, plain: bool = False,
                      lang: str | None = None) -> list[tuple[int, int]]:
        """(start, end) of what ``query`` looks for in ``text`` (an article in ``lang``): its
        words, and a phrase's words only where they stand as the phrase."""
        ...

    def tokens(self, text: str, *, lang: str | None = None) -> list[tuple[str, int, int, str]]:
        """(indexed term, start, end, word as written) for every word of ``text``, an article
        in ``lang``."""
        ...
