"""The protocol an engine implements: write documents, search, count, facets, completion
terms and stored documents. Nothing here imports an engine.

The build run (:mod:`searchkit.build`) writes through :class:`EngineWriter`; the library's
:class:`~searchkit.api.Index` reads through :class:`EngineReader`. Data crosses as the frozen
dataclasses of :mod:`searchkit.models`, never as engine objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from contextlib import AbstractContextManager
from typing import Any, Protocol

from ..errors import QueryError
from ..models import ArticleMeta, Results, SearchOptions
from ..store import FileState, Manifest, Pointer, Problem


@dataclass(frozen=True)
class IndexedDocument:
    """One document as the build hands it to an engine, and as the engine gives it back."""

    doc_id: str
    #: The corpus file it was read from ("/"-separated, relative to the corpus).
    file: str
    text: str
    meta: ArticleMeta
    state: FileState


def outlet_key(name: str) -> str:
    """The key of an exact outlet filter: case and spacing do not matter (both engines)."""
    return " ".join(name.casefold().split())


def stored_fields(doc: IndexedDocument) -> dict[str, Any]:
    """What every engine stores of a document as the model has it: its id and file, date,
    URL, author, capture time, page starts, where each value came from, and the outlet with
    its filter key. Each engine adds its own text, date and state fields."""
    meta = doc.meta
    fields: dict[str, Any] = {
        "doc_id": doc.doc_id,
        "file": doc.file,
        "date": meta.date.isoformat() if meta.date else None,
        "url": meta.url,
        "title_source": meta.title_source,
        "outlet_source": meta.outlet_source,
        "date_source": meta.date_source,
        "url_source": meta.url_source,
        "author": meta.author,
        "author_source": meta.author_source,
        "page_starts": list(meta.page_starts) or None,
        "captured": meta.captured,
    }
    if meta.outlet:
        fields.update(outlet=meta.outlet, outlet_key=outlet_key(meta.outlet), outlet_text=meta.outlet)
    return fields


def languages_option(options: SearchOptions) -> tuple[str, ...]:
    """The ISO codes of ``options.lang`` (QueryError for one that names no language), sorted:
    every engine filters on these."""
    from ..ingest.language import normalise_code

    given = (options.lang,) if isinstance(options.lang, str) else tuple(options.lang or ())
    codes = []
    for value in given:
        code = normalise_code(value)
        if code is None:
            raise QueryError(f"--lang: '{value}' is not a language code like ru or de")
        codes.append(code)
    return tuple(sorted(set(codes)))


def meta_from_stored(stored: dict[str, Any]) -> ArticleMeta:
    """A document's metadata from what an engine stored (the inverse of :func:`stored_fields`,
    with the title and the language, which each engine stores in its own way)."""
    return ArticleMeta(
        title=stored.get("title") or None,
        title_source=stored.get("title_source") or "",
        outlet=stored.get("outlet") or None,
        outlet_source=stored.get("outlet_source") or "",
        date=dt.date.fromisoformat(stored["date"]) if stored.get("date") else None,
        date_source=stored.get("date_source") or "",
        url=stored.get("url"),
        url_source=stored.get("url_source") or "",
        author=stored.get("author"),
        author_source=stored.get("author_source") or "",
        page_starts=tuple(stored.get("page_starts") or ()),
        captured=stored.get("captured"),
        lang=stored.get("lang") or None,
        lang_source=stored.get("lang_source") or "",
    )


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


def story_members(stories: StoryMembers | None, story_id: str) -> list[str]:
    """The documents of ``story:ID``, sorted; a :class:`QueryError` when the index has no
    stories yet or no such story (every engine says it in the same words)."""
    if stories is None:
        raise QueryError(f"story:{story_id}: this index has no stories yet "
                         "(run `searchkit index` to compute them)")
    members = sorted(stories(story_id))
    if not members:
        raise QueryError(f"story:{story_id}: no such story (see `searchkit stories`)")
    return members


class EngineReader(Protocol):
    def search(self, text: str, options: SearchOptions, corpus: Path | None,
               stories: StoryMembers | None = None, story_of: Mapping[str, str] | None = None) -> Results:
        """A page of hits. With ``options.collapse`` (sorted by relevance), one hit per story
        (``Hit.story`` and ``Hit.versions`` filled, ``Results.rows`` and ``collapsed``
        counted), by the stories the engine recorded (:meth:`Engine.label_stories`) or by
        ``story_of`` (document -> its story, for stories of two or more articles)."""
        ...

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

    def id_sorted_parts(self, parts: int) -> list[Callable[[], Iterator[tuple[str, str, ArticleMeta]]]] | None:
        """Picklable readers of disjoint parts of the documents (together: all of them, as
        ``documents()`` yields them, which is then in doc_id order), for the workers of a
        cluster (Spark) to read in parallel; None when the documents are read here only.
        The parts stay readable until ``close()``."""
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

    def label_stories(self, index_dir: Path, generation: str, story_of: dict[str, str]) -> None:
        """Record each document's story (``story_of``: the documents of stories of two or more
        articles; the others stand alone) where the engine collapses by it; an engine whose
        searches are given the story map instead ignores it."""
        ...

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


class Lease(Protocol):
    def release(self) -> None: ...


class Home(Protocol):
    """Where an index lives, whatever its engine: the pointer to its live generation, the
    lock of an indexing run, readers' leases, the record of each commit, and what later
    stages keep beside a generation (its stories). A folder (:class:`searchkit.store.FileHome`)
    or a cluster (:mod:`searchkit.engine.opensearch`); :func:`searchkit.engine.locate` picks.
    """

    #: The location as users wrote it, for messages: a folder's Path, or a URL (never with
    #: credentials).
    name: Path | str
    #: A local folder for this index's caches (metadata cache, remembered filters, history).
    folder: Path
    #: Whether searchkit records each commit's files with checksums (a folder), or the store
    #: checks its own data (a cluster).
    checksums: bool

    def read_pointer(self) -> Pointer:
        """Raise IndexMissingError if there is no index, IndexDamagedError if unreadable."""
        ...

    def write_pointer(self, pointer: Pointer) -> None: ...

    def lock(self) -> AbstractContextManager[object]:
        """Held by one indexing run; raises IndexLockedError when another holds it."""
        ...

    def lease(self, generation: str) -> Lease:
        """Held by a reader of ``generation`` so that it is not removed under it."""
        ...

    def new_generation_name(self) -> str: ...

    def remove_other_generations(self, keep: set[str | None]) -> None: ...

    def collect_garbage(self) -> None: ...

    def verify_sizes(self, generation: str) -> None: ...

    def verify(self, generation: str) -> tuple[Manifest | None, list[Problem]]: ...

    def read_manifest(self, generation: str) -> Manifest | None: ...

    def record_commit(self, generation: str, files: list[str], commit: str, documents: int) -> None: ...

    def discard_uncommitted(self, generation: str, committed: list[str]) -> None: ...

    def read_side(self, generation: str, suffix: str) -> bytes | None:
        """What a later stage stored beside ``generation`` under ``suffix`` (None: nothing)."""
        ...

    def has_side(self, generation: str, suffix: str) -> bool: ...

    def write_side(self, generation: str, suffix: str, data: bytes) -> None:
        """Store ``data`` beside ``generation``, atomically (all of it, or the old value)."""
        ...

    def indexing(self) -> bool:
        """Whether an indexing run holds the lock now."""
        ...

    def health(self) -> list[str]:
        """Problems of the store itself, one sentence each (a cluster that is red)."""
        ...
