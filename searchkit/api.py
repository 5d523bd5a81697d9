"""The library's entry points: :func:`build_index`, :func:`open_index` and :class:`Index`."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .build import ProgressFn, build
from .engine import default_engine
from .engine.base import EngineReader, ReaderOutdated
from .errors import (
    IndexDamagedError,
    IndexLockedError,
    IndexWriteError,
    QueryError,
    SchemaMismatchError,
    SearchkitError,
)
from .ingest.decode import DEFAULT_MAX_BYTES
from .models import FACET_DATE_UNITS, SORTS, BuildSummary, CheckReport, Document, IndexStats, Results, SearchOptions
from .store import Pointer, ReaderLease, collect_garbage, damaged, read_pointer, verify, verify_sizes

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
    one per file. ``notify`` is told, in a sentence, when the index is built or updated, and
    when another process is updating it (then the last complete index is opened: readers
    never wait for writers).
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
            try:
                ix = build_index(recorded, where)
            except IndexLockedError:
                say(f"an update of {where} is running; searching the last complete index")
                return open_index(where)
            except IndexWriteError as exc:
                # A full disk or a read-only folder must not stop a search of what is there.
                say(f"warning: {exc}; searching it as it is")
                return open_index(where)
            say(f"{recorded} changed since the index was updated; updated {where}")
            for warning in ix.summary.warnings if ix.summary else ():
                say(f"warning: {warning}")
            return ix
    return open_index(where)


def check_index(index: PathLike) -> CheckReport:
    """Verify an index like Lucene's CheckIndex: every file of its last commit is there,
    of the size and xxh3 checksum recorded when it was written, and the engine reads the
    number of documents that was committed. Raises IndexMissingError (no index); damage
    (an unreadable pointer too) is in the report."""
    from .store import read_manifest

    from .store import POINTER_FILE

    where = Path(index)
    try:
        pointer = read_pointer(where)
    except IndexDamagedError:
        problem = (POINTER_FILE, "is unreadable (the pointer to the live index)")
        return CheckReport(where, "", False, 0, 0, None, (problem,))
    engine = default_engine()
    generation = pointer.generation
    problems: list[tuple[str, str]] = []
    notes: list[str] = []
    if pointer.schema_version != engine.schema_version:
        problems.append(("", f"built by another version of searchkit (schema {pointer.schema_version}, "
                             f"this version reads {engine.schema_version})"))
        return CheckReport(where, generation, False, 0, 0, None, tuple(problems))
    manifest, found = verify(where, generation)
    problems.extend((p.file, p.what) for p in found)
    try:
        commit, names = engine.files(where, generation)
    except Exception as exc:  # noqa: BLE001 - damage in the commit file is reported, not raised
        commit, names = "", []
        if not found:
            problems.append(("", f"its table of contents cannot be read ({type(exc).__name__}: {exc})"))
    if manifest is None and not found:
        notes.append("this index has no checksums (it was built by an older searchkit): only its readability "
                     "and document count were checked; run `searchkit index --rebuild` to record them")
    elif manifest is not None and commit and manifest.commit != commit:
        unrecorded = [n for n in names if n not in manifest.files]
        notes.append(f"{len(unrecorded)} files of the last commit have no checksums yet (a run was stopped "
                     "before recording them): run `searchkit index` to record them")
    documents: int | None = None
    if not problems:
        try:
            reader = engine.reader(where, generation)
            try:
                documents = int(reader.counts()["documents"])  # type: ignore[call-overload]
                ids = reader.doc_ids()
            finally:
                reader.close()
            if len(ids) != documents or len(set(ids)) != len(ids):
                problems.append(("", f"{documents} documents but {len(set(ids))} distinct document ids"))
            if manifest is not None and manifest.commit == commit and manifest.documents != documents:
                problems.append(("", f"{documents} documents, but {manifest.documents} were committed"))
        except SearchkitError as exc:
            problems.append(("", str(exc)))
        except Exception as exc:  # noqa: BLE001 - whatever the engine meets is the report
            problems.append(("", f"cannot be read ({type(exc).__name__}: {exc})"))
    records = manifest.files if manifest else {}
    size = sum(r.size for r in records.values()) if records else sum(
        (where / n).stat().st_size for n in names if (where / n).exists())
    return CheckReport(where, generation, manifest is not None, len(records or names), size, documents,
                       tuple(problems), tuple(notes))


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
        self._lease: ReaderLease | None = None
        self._sizes_checked = time.monotonic()
        self._pointer = read_pointer(self.path)
        try:
            self._reader: EngineReader = self._open(self._pointer)
        except IndexDamagedError:
            # A rebuild may have swapped generations between the pointer and the files.
            pointer = read_pointer(self.path)
            if pointer.generation == self._pointer.generation:
                raise
            self._pointer = pointer
            self._reader = self._open(pointer)

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
            if time.monotonic() - self._sizes_checked > 1.0:
                # A long-lived reader (the shell) notices a file cut short before reading it.
                verify_sizes(self.path, pointer.generation)
                self._sizes_checked = time.monotonic()
            if not self._reader.up_to_date():
                self._reopen(pointer)
                return True
            return False

    def _open(self, pointer: Pointer) -> EngineReader:
        """A reader of the pointer's generation, holding its lease (so that it is not
        deleted under us); its files' sizes are compared with its manifest first."""
        if pointer.schema_version != self._engine.schema_version:
            raise SchemaMismatchError(
                f"index at {self.path} was built by another version of searchkit "
                f"(schema {pointer.schema_version}, this version uses {self._engine.schema_version}): "
                "rebuild it with `searchkit index --rebuild`"
            )
        lease = ReaderLease(self.path, pointer.generation)
        try:
            verify_sizes(self.path, pointer.generation)
            try:
                reader = self._engine.reader(self.path, pointer.generation)
            except IndexDamagedError as exc:
                # The engine could not open it: name the file whose bytes changed, if one did.
                problems = verify(self.path, pointer.generation)[1]
                if problems:
                    raise damaged(self.path, f"{problems[0].file} {problems[0].what}") from exc
                raise
        except BaseException:
            lease.release()
            raise
        old, self._lease = self._lease, lease
        if old is not None:
            old.release()
        return reader

    def _reopen(self, pointer: Pointer) -> None:
        before = self._pointer.generation
        old_reader = self._reader
        reader = self._open(pointer)
        old_reader.close()
        self._reader, self._pointer = reader, pointer
        if pointer.generation != before:
            collect_garbage(self.path)  # we may have been the last reader of the old one

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
                pass
            except SearchkitError:
                raise
            except Exception as exc:
                self._diagnose(exc)
            self._reopen(read_pointer(self.path))
            try:
                return action(self._reader)
            except ReaderOutdated as exc:
                raise damaged(self.path, str(exc)) from None
            except SearchkitError:
                raise
            except Exception as exc:
                self._diagnose(exc)
                raise

    def _diagnose(self, exc: Exception) -> None:
        """The reader failed: decide from the files whether the index is damaged (raise
        IndexDamagedError naming the file), or was replaced under us (return: the caller
        reopens), or neither (re-raise: a bug). Reads every file, but only on this path."""
        generation = self._pointer.generation
        manifest, problems = verify(self.path, generation)
        if problems:
            raise damaged(self.path, f"{problems[0].file} {problems[0].what}") from exc
        if read_pointer(self.path).generation != generation:
            return
        if manifest is None:
            raise IndexDamagedError(
                f"index at {self.path} could not be read ({type(exc).__name__}: {exc}) and has no checksums "
                "to tell whether its files are damaged: rebuild it with `searchkit index --rebuild`"
            ) from exc
        raise exc

    def close(self) -> None:
        with self._lock:
            self._reader.close()
            if self._lease is not None:
                self._lease.release()
                self._lease = None
                # The last reader of a replaced generation removes it; any reader removes a
                # killed run's debris when no indexer is running (one folder listing).
                collect_garbage(self.path)

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
        check_search_arguments(query, options)
        return self._read(lambda reader: reader.search(query, options, self.corpus))

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


def check_search_arguments(query: object, options: SearchOptions) -> None:
    """TypeError or QueryError (a ValueError), with a message naming the argument, for a wrong argument
    to :meth:`Index.search` (a programming error, never reported as a damaged index)."""

    def kind(value: object) -> str:
        return type(value).__name__

    if not isinstance(query, str):
        raise TypeError(f"query must be a str, not {kind(query)}")
    for name in ("limit", "page"):
        value = getattr(options, name)
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{name} must be an int, not {kind(value)}")
        if value < 1:
            raise QueryError(f"{name} must be at least 1, not {value}")
    for name in ("since", "until"):
        value = getattr(options, name)
        if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            hint = f" (datetime.date.fromisoformat({value!r}))" if isinstance(value, str) else ""
            raise TypeError(f"{name} must be a datetime.date or None, not {kind(value)}{hint}")
    if options.outlet is not None and not isinstance(options.outlet, str):
        raise TypeError(f"outlet must be a str or None, not {kind(options.outlet)}")
    if not isinstance(options.sort, str) or options.sort not in SORTS:
        raise QueryError(f"sort must be one of {', '.join(SORTS)}, not {options.sort!r}")
    if not isinstance(options.facet_dates, str) or options.facet_dates not in FACET_DATE_UNITS:
        raise QueryError(f"facet_dates must be one of {', '.join(FACET_DATE_UNITS)}, not {options.facet_dates!r}")
    if options.since and options.until and options.since > options.until:
        raise QueryError(f"since {options.since} is after until {options.until}")
