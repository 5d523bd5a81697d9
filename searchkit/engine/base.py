"""The protocol an engine implements: write documents, search, count, facets, completion
terms and stored documents. Nothing here imports an engine.

The build run (:mod:`searchkit.build`) writes through :class:`EngineWriter`; the library's
:class:`~searchkit.api.Index` reads through :class:`EngineReader`. Data crosses as the frozen
dataclasses of :mod:`searchkit.models`, never as engine objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..models import ArticleMeta, Results, SearchOptions
from ..store import FileState


@dataclass(frozen=True)
class IndexedDocument:
    """One document as the build hands it to an engine."""

    doc_id: str
    #: The corpus file it was read from ("/"-separated, relative to the corpus).
    file: str
    text: str
    meta: ArticleMeta
    state: FileState


@dataclass(frozen=True)
class StoredDocument:
    """What an engine keeps of a document besides its postings."""

    doc_id: str
    file: str
    text: str
    meta: ArticleMeta
    state: FileState


class ReaderOutdated(Exception):
    """Raised by an engine reader whose files vanished under it (a rebuild swapped
    generations): the caller reopens and tries once more. Any other exception from a reader
    is either damage, which the caller tells from the files (:func:`searchkit.store.verify`),
    or a bug."""


class EngineWriter(Protocol):
    def add(self, doc: IndexedDocument) -> None: ...

    def update(self, doc: IndexedDocument) -> None: ...

    def delete(self, doc_id: str) -> None: ...

    def commit(self) -> int:
        """Make the changes durable and visible; return the number of live documents."""
        ...

    def cancel(self) -> None: ...


class EngineReader(Protocol):
    def search(self, text: str, options: SearchOptions, corpus: Path | None) -> Results: ...

    def counts(self) -> dict[str, object]:
        """``documents``, ``outlets`` {name: n}, ``first_date``, ``last_date``, ``undated``."""
        ...

    def document(self, doc_id: str) -> StoredDocument | None: ...

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

    def query_terms(self, text: str, *, plain: bool = False) -> frozenset[str]:
        """The indexed terms a query looks for in titles and bodies (none under NOT)."""
        ...

    def tokens(self, text: str) -> list[tuple[str, int, int, str]]:
        """(indexed term, start, end, word as written) for every word of ``text``."""
        ...
