"""The library's entry points: :func:`build_index`, :func:`open_index` and :class:`Index`."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .build import ProgressFn, build
from .engine import default_engine
from .engine.base import EngineReader, ReaderOutdated
from .errors import SchemaMismatchError, SearchkitError
from .ingest.decode import DEFAULT_MAX_BYTES
from .models import BuildSummary, Document, IndexStats, Ranking, Results, SearchOptions
from .store import Pointer, damaged, read_pointer

PathLike = str | Path
T = TypeVar("T")


def build_index(
    corpus: PathLike,
    index: PathLike,
    *,
    rebuild: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: ProgressFn | None = None,
    procs: int = 1,
) -> Index:
    """Create or update the index of the ``corpus`` folder in ``index``, and open it.

    Only new, changed and deleted files cost work; ``rebuild=True`` starts from empty (and is
    needed after a schema change). Files that cannot be used are skipped and listed in
    ``Index.summary.skipped``. Raises :class:`SearchkitError` subclasses for problems the user
    must fix (a malformed metadata.toml, another indexer running, a damaged index).
    """
    summary = build(
        Path(corpus), Path(index), rebuild=rebuild, max_bytes=max_bytes, progress=progress, procs=procs
    )
    return Index(Path(index), summary=summary)


def open_index(index: PathLike) -> Index:
    """Open an existing index for searching."""
    return Index(Path(index))


def open_fresh(index: PathLike, corpus: PathLike | None = None, *, default_corpus: PathLike | None = None,
               update: bool = True, exact: bool = True,
               notify: Callable[[str], None] | None = None) -> Index:
    """Open the index, building it first if missing, or updating it if its corpus changed.

    ``corpus`` overrides the corpus the index records; ``default_corpus`` is what a missing
    index is built from. ``exact=False`` trusts folder times (see :mod:`searchkit.freshness`):
    an article rewritten in place is not noticed, and the check costs a few stats instead of
    one per file. ``notify`` is told, in a sentence, when the index is built or updated.
    """
    from .errors import IndexMissingError
    from .freshness import corpus_changed_since, paths_changed_since, watched_paths

    where = Path(index)
    say = notify or (lambda message: None)
    try:
        pointer = read_pointer(where)
    except IndexMissingError:
        source = Path(corpus) if corpus is not None else Path(default_corpus) if default_corpus is not None else None
        if source is None or not source.is_dir():
            raise
        say(f"no index at {where}; building it from {source}")
        return build_index(source, where)
    recorded = Path(corpus) if corpus is not None else Path(pointer.corpus) if pointer.corpus else None
    if update and recorded is not None and recorded.is_dir():
        paths = None if exact else watched_paths(where)
        if paths is None:
            changed = corpus_changed_since(recorded, pointer.checked_at)
        else:
            changed = paths_changed_since(recorded, pointer.checked_at, paths)
        if changed:
            say(f"{recorded} changed since the index was updated; updating {where}")
            return build_index(recorded, where)
    return open_index(where)


class Index:
    """An open index: search it, look at its statistics, fetch a document.

    One engine reader is kept open between searches and reopened only when another process
    has written a newer index (also a full rebuild, which swaps in a new generation).
    """

    def __init__(self, path: Path, *, summary: BuildSummary | None = None) -> None:
        self.path = Path(path)
        #: What the ``build_index`` call that opened this index did (None from ``open_index``).
        self.summary = summary
        self._lock = threading.RLock()
        self._engine = default_engine()
        self._pointer = read_pointer(self.path)
        self._reader: EngineReader = self._open(self._pointer)

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
            pointer = read_pointer(self.path)
            if (pointer.generation, pointer.schema_version) != (self._pointer.generation, self._pointer.schema_version):
                self._reopen(pointer)
                return True
            self._pointer = pointer
            if not self._reader.up_to_date():
                self._reopen(pointer)
                return True
            return False

    def _open(self, pointer: Pointer) -> EngineReader:
        if pointer.schema_version != self._engine.schema_version:
            raise SchemaMismatchError(
                f"index at {self.path} was built by another version of searchkit "
                f"(schema {pointer.schema_version}, this version uses {self._engine.schema_version}): "
                "rebuild it with `searchkit index --rebuild`"
            )
        return self._engine.reader(self.path, pointer.generation)

    def _reopen(self, pointer: Pointer) -> None:
        reader = self._open(pointer)
        self._reader.close()
        self._reader, self._pointer = reader, pointer

    def _read(self, action: Callable[[EngineReader], T]) -> T:
        """Run ``action(reader)`` on the newest index.

        If files vanish under the reader anyway (a rebuild swapped generations during the
        call), reopen and try once more; a second failure means the index is damaged.
        """
        self.refresh()
        with self._lock:
            try:
                return action(self._reader)
            except ReaderOutdated:
                self._reopen(read_pointer(self.path))
            try:
                return action(self._reader)
            except ReaderOutdated as exc:
                raise damaged(self.path, str(exc)) from None

    def close(self) -> None:
        with self._lock:
            self._reader.close()

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
        ranking: Ranking | None = None,
    ) -> Results:
        """Search the index.

        ``query`` uses the query language (words, "phrases", AND/OR/NOT, fields, dates; see the
        README) unless ``plain`` is true, which reads it as plain words, for pasted text.
        ``sort`` is "relevance", "date" (oldest first) or "-date" (newest first); undated
        articles come last either way. ``outlet``, ``since`` and ``until`` filter; documents
        with no known date never pass a date filter. ``facets`` adds counts by outlet and by
        ``facet_dates`` ("day" or "month") over all matches. ``expand`` adds the best hits'
        key words to the query (pseudo-relevance feedback, applied only when the best hits agree;
        the words are in ``Results.expansion``). ``ranking`` overrides the ranking's knobs
        (for measuring them; the defaults are the measured best). Words left out as too
        common are in ``Results.ignored``. Raises :class:`QueryError`.
        """
        options = SearchOptions(
            limit=limit, page=page, plain=plain, sort=sort, outlet=outlet, since=since,
            until=until, facets=facets, facet_dates=facet_dates, snippets=snippets, expand=expand,
            ranking=ranking or Ranking(),
        )
        return self._read(lambda reader: reader.search(query, options, self.corpus))

    def similar(
        self,
        source: str | None = None,
        *,
        doc_id: str | None = None,
        text: str | None = None,
        limit: int = 10,
        page: int = 1,
        outlet: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        snippets: bool = True,
    ) -> Results:
        """The articles that share the most content with a document or a pasted passage,
        best first, the shared words highlighted in their snippets ("find where this passage
        appears").

        ``source`` is a document id of this index (the document itself is left out of the
        results) or else a passage of text; ``doc_id=`` or ``text=`` says which explicitly.
        The passage's most telling words (by tf-idf, at most 64) are looked for, each weighted
        by how often the passage uses it. Raises :class:`SearchkitError` for an unknown
        ``doc_id=``.
        """
        if sum(x is not None for x in (source, doc_id, text)) != 1:
            raise TypeError("similar() takes one of: a document id or text, doc_id=, text=")
        if source is not None:
            if "\n" not in source and len(source) < 4096 and source in self._known_id(source):
                doc_id = source
            else:
                text = source
        exclude = None
        if doc_id is not None:
            doc = self.document(doc_id)
            text = "\n".join(part for part in (doc.meta.title, doc.text) if part)
            exclude = doc_id
        assert text is not None
        options = SearchOptions(limit=limit, page=page, plain=True, outlet=outlet, since=since,
                                until=until, snippets=snippets)
        passage = text
        return self._read(lambda reader: reader.similar(passage, options, self.corpus, exclude))

    def _known_id(self, doc_id: str) -> set[str]:
        found = self._read(lambda reader: reader.document(doc_id))
        return {doc_id} if found is not None else set()

    # -- looking around ----------------------------------------------------------------------

    def stats(self) -> IndexStats:
        """Number of documents, documents per outlet, date range and last update."""
        counts = self._read(lambda reader: reader.counts())
        return IndexStats(path=self.path, corpus=self.corpus, last_update=self._pointer.built_at,
                          **counts)  # type: ignore[arg-type]  # counts() documents its keys

    def document(self, doc_id: str) -> Document:
        """The full text and metadata of one document; raises SearchkitError if unknown."""
        found = self._read(lambda reader: reader.document(doc_id))
        if found is None:
            raise SearchkitError(f"no document {doc_id!r} in the index at {self.path}")
        path = self.corpus / found.file if self.corpus else Path(found.file)
        return Document(doc_id, path, found.text, found.meta, found.state.sha256, found.state.size)

    def complete(self, prefix: str, *, limit: int = 20) -> list[str]:
        """Words in the index that start with ``prefix`` (for completion), commonest first."""
        return self._read(lambda reader: reader.complete(prefix, limit))

    def check_query(self, query: str, *, plain: bool = False) -> None:
        """Raise :class:`QueryError` (with a message and position) if ``query`` is malformed."""
        self._engine.check_query(query, plain=plain)

    def query_terms(self, query: str, *, plain: bool = False) -> frozenset[str]:
        """The indexed terms ``query`` looks for in titles and bodies (nothing under NOT);
        raises :class:`QueryError` for a malformed query."""
        return self._engine.query_terms(query, plain=plain)

    def tokens(self, text: str) -> list[tuple[str, int, int, str]]:
        """How the index reads ``text``: (term, start, end, word as written) per word."""
        return self._engine.tokens(text)

    def outlets(self) -> list[str]:
        """Every outlet name in the index, sorted."""
        return self._read(lambda reader: reader.outlets())

    def doc_ids(self) -> list[str]:
        """Every document id in the index, sorted."""
        return self._read(lambda reader: reader.doc_ids())
