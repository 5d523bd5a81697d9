"""The library's entry points: :func:`build_index`, :func:`open_index` and :class:`Index`."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from . import index as index_mod
from .corpus import DEFAULT_MAX_BYTES
from .errors import SearchkitError
from .models import BuildSummary, Document, IndexStats, Results
from .search import SearchOptions, complete_words, run_search

PathLike = str | Path
T = TypeVar("T")


def build_index(
    corpus: PathLike,
    index: PathLike,
    *,
    rebuild: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: index_mod.ProgressFn | None = None,
    procs: int = 1,
) -> Index:
    """Create or update the index of the ``corpus`` folder in ``index``, and open it.

    Only new, changed and deleted files cost work; ``rebuild=True`` starts from empty (and is
    needed after a schema change). Files that cannot be used are skipped and listed in
    ``Index.summary.skipped``. Raises :class:`SearchkitError` subclasses for problems the user
    must fix (a malformed metadata.toml, another indexer running, a damaged index).
    """
    summary = index_mod.build(
        Path(corpus), Path(index), rebuild=rebuild, max_bytes=max_bytes, progress=progress, procs=procs
    )
    return Index(Path(index), summary=summary)


def open_index(index: PathLike) -> Index:
    """Open an existing index for searching."""
    return Index(Path(index))


class Index:
    """An open index: search it, look at its statistics, fetch a document.

    One Whoosh searcher is kept open between searches and reopened only when another process
    has written a newer index (also a full rebuild, which swaps in a new generation).
    """

    def __init__(self, path: Path, *, summary: BuildSummary | None = None) -> None:
        self.path = Path(path)
        #: What the ``build_index`` call that opened this index did (None from ``open_index``).
        self.summary = summary
        self._lock = threading.RLock()
        self._whoosh, self._pointer = index_mod.open_whoosh(self.path)
        self._searcher = self._whoosh.searcher()
        self._surface_cache: dict[str, str | None] = {}

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def corpus(self) -> Path | None:
        """The corpus folder this index was built from."""
        return Path(self._pointer.corpus) if self._pointer.corpus else None

    @property
    def built_at(self) -> dt.datetime:
        """When the index last changed."""
        return self._pointer.built_at

    @property
    def checked_at(self) -> dt.datetime:
        """When an indexing run last compared the index with its corpus."""
        return self._pointer.checked_at

    def refresh(self) -> bool:
        """Pick up a newer index written by another process; return True if it changed.

        Cheap (reads a small pointer file and lists the folder); every search calls it.
        Whoosh's ``Searcher.refresh()`` returns duplicate hits after a merge, so the searcher
        is closed and reopened instead (DESIGN pitfall 1).
        """
        with self._lock:
            pointer = index_mod.read_pointer(self.path)
            if (pointer.generation, pointer.schema_version) != (self._pointer.generation, self._pointer.schema_version):
                self._reopen(pointer)
                return True
            self._pointer = pointer
            if not self._searcher.up_to_date():
                self._reopen(pointer)
                return True
            return False

    def _reopen(self, pointer: index_mod.Pointer) -> None:
        whoosh_ix, pointer = index_mod.open_whoosh(self.path, pointer)
        self._searcher.close()
        self._whoosh, self._pointer = whoosh_ix, pointer
        self._searcher = whoosh_ix.searcher()
        self._surface_cache.clear()

    def _read(self, action: Callable[[Any], T]) -> T:
        """Run ``action(searcher)`` on the newest index.

        If files vanish under the searcher anyway (a rebuild swapped generations during the
        call), reopen and try once more; a second failure means the index is damaged.
        """
        self.refresh()
        with self._lock:
            try:
                return action(self._searcher)
            except SearchkitError:
                raise
            except index_mod.DAMAGE_ERRORS:
                self._reopen(index_mod.read_pointer(self.path))
            try:
                return action(self._searcher)
            except SearchkitError:
                raise
            except index_mod.DAMAGE_ERRORS as exc:
                raise index_mod.damaged(self.path, f"{type(exc).__name__}: {exc}") from None

    def close(self) -> None:
        with self._lock:
            self._searcher.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- searching ---------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        page: int = 1,
        plain: bool = False,
        sort: str = "relevance",
        outlet: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        facets: bool = False,
        facet_dates: str = "day",
        snippets: bool = True,
        expand: bool = False,
    ) -> Results:
        """Search the index.

        ``query`` uses the query language (words, "phrases", AND/OR/NOT, fields, dates; see the
        README) unless ``plain`` is true, which reads it as plain words, for pasted text.
        ``sort`` is "relevance", "date" (oldest first) or "-date" (newest first); undated
        articles come last either way. ``outlet``, ``since`` and ``until`` filter; documents
        with no known date never pass a date filter. ``facets`` adds counts by outlet and by
        ``facet_dates`` ("day" or "month") over all matches. ``expand`` adds the best hits'
        key words to the query (pseudo-relevance feedback; the words are in
        ``Results.expansion``): better for long, vague queries, slower. Raises
        :class:`QueryError`.
        """
        options = SearchOptions(
            limit=limit, page=page, plain=plain, sort=sort, outlet=outlet, since=since,
            until=until, facets=facets, facet_dates=facet_dates, snippets=snippets, expand=expand,
        )
        return self._read(lambda searcher: run_search(searcher, query, options, self.corpus))

    # -- looking around ----------------------------------------------------------------------

    def stats(self) -> IndexStats:
        """Number of documents, documents per outlet, date range and last update."""
        counts = self._read(index_mod.count_documents)
        return IndexStats(path=self.path, corpus=self.corpus, last_update=self._pointer.built_at, **counts)

    def document(self, doc_id: str) -> Document:
        """The full text and metadata of one document; raises SearchkitError if unknown."""
        found = self._read(lambda searcher: index_mod.stored_document(searcher, doc_id))
        if found is None:
            raise SearchkitError(f"no document {doc_id!r} in the index at {self.path}")
        text, meta, state = found
        path = self.corpus / doc_id if self.corpus else Path(doc_id)
        return Document(doc_id, path, text, meta, state.sha256, state.size)

    def complete(self, prefix: str, *, limit: int = 20) -> list[str]:
        """Words in the index that start with ``prefix`` (for completion), commonest first."""
        return self._read(lambda searcher: complete_words(searcher, prefix, limit, self._surface_cache))

    def outlets(self) -> list[str]:
        """Every outlet name in the index, sorted."""
        return self._read(index_mod.outlet_names)

    def doc_ids(self) -> list[str]:
        """Every document id in the index, sorted."""
        return self._read(lambda searcher: sorted(i for (i,) in index_mod.column_values(searcher.reader(), "doc_id")))
