"""The library's entry points: :func:`build_index`, :func:`open_index` and :class:`Index`."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from .build import ProgressFn
    from .stories import Comparison, Credit, CreditedSource, Story, StoryModel

from .engine import locate
from .engine.base import EngineReader, Lease, ReaderOutdated
from .errors import (
    IndexDamagedError,
    IndexLockedError,
    IndexWriteError,
    QueryError,
    SchemaMismatchError,
    SearchkitError,
)
from .ingest import DEFAULT_MAX_BYTES
from .models import (
    FACET_DATE_UNITS,
    QUERY_PATHS,
    SET_FACETS,
    SORTS,
    FacetDateUnit,
    QueryPath,
    Sort,
    BuildSummary,
    CheckReport,
    Document,
    Explain,
    Hit,
    IdMatches,
    IndexStats,
    MatchSet,
    MoreFacets,
    Ranking,
    Results,
    SearchOptions,
)
from .store import Pointer, damaged

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
    include: tuple[str, ...] | None = None,
    exclude: tuple[str, ...] | None = None,
) -> Index:
    """Create or update the index of the ``corpus`` folder in ``index``, and open it.

    Only new, changed and deleted files cost work; ``rebuild=True`` starts from empty (and is
    needed after a schema change). ``include``/``exclude`` are globs choosing the files read
    (``"*.pdf"``, ``"drafts/**"``); they are remembered in the index and reused by later runs
    that give None (pass ``()`` to clear them). ``progress(done_bytes, total_bytes, current_file)``
    is called as each file starts ("" as the file once all are read and the index is being
    written). Files that cannot be used are skipped and listed in
    ``Index.summary.skipped``. Raises :class:`SearchkitError` subclasses for problems the user
    must fix (a malformed metadata.toml, another indexer running, a damaged index).
    """
    from .build import build  # only indexing pays for the readers and the writer

    summary = build(
        Path(corpus), index, rebuild=rebuild, max_bytes=max_bytes, progress=progress, procs=procs,
        include=include, exclude=exclude,
    )
    return Index(index, summary=summary)


def open_index(index: PathLike) -> Index:
    """Open an existing index for searching (a folder, or a URL: ``opensearch://HOST:PORT/NAME``)."""
    return Index(index)


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

    _, home = locate(index)
    where = home.name
    say = notify or (lambda message: None)
    try:
        pointer = home.read_pointer()
    except IndexMissingError:
        source = Path(corpus) if corpus is not None else Path(default_corpus) if default_corpus is not None else None
        if source is None or not source.is_dir():
            raise
        say(f"no index at {where}; building it from {source}")
        return build_index(source, index)
    recorded = Path(corpus) if corpus is not None else Path(pointer.corpus) if pointer.corpus else None
    if update and recorded is not None and recorded.is_dir():
        paths = None if exact else watched_paths(home.folder)
        if paths is None:
            changed = corpus_changed_since(recorded, pointer.checked_at)
        else:
            changed = paths_changed_since(recorded, pointer.checked_at, paths)
        if changed:
            try:
                ix = build_index(recorded, index)
            except IndexLockedError:
                say(f"an update of {where} is running; searching the last complete index")
                return open_index(index)
            except IndexWriteError as exc:
                # A full disk or a read-only folder must not stop a search of what is there.
                say(f"warning: {exc}; searching it as it is")
                return open_index(index)
            say(f"{recorded} changed since the index was updated; updated {where}")
            for warning in ix.summary.warnings if ix.summary else ():
                say(f"warning: {warning}")
            return ix
    return open_index(index)


def _languages(lang: str | Sequence[str] | None) -> tuple[str, ...] | None:
    if lang is None:
        return None
    codes = (lang,) if isinstance(lang, str) else tuple(lang)
    return tuple(code for code in codes if code) or None


def _outlets(outlet: str | Sequence[str] | None) -> tuple[str, ...] | None:
    if outlet is None:
        return None
    names = (outlet,) if isinstance(outlet, str) else tuple(outlet)
    return tuple(name for name in names if name) or None


@dataclass(frozen=True)
class ExportInfo:
    """What an export was: enough to cite the list and to run it again."""

    query: str
    plain: bool
    sort: Sort
    outlets: tuple[str, ...]
    since: dt.date | None
    until: dt.date | None
    exported_at: dt.datetime
    index: Path | str
    corpus: Path | None
    generation: str
    total: int
    version: str
    not_outlets: tuple[str, ...] = ()
    #: Undated articles the query matches but the date filter left out (see ``Results``).
    undated_excluded: int = 0
    #: For :meth:`Index.export_similar`: the document the articles share content with.
    similar_to: str | None = None
    #: Filters applied by the caller as document sets (the web page's story, credited-source
    #: and format facets): (name, values) pairs, named in :meth:`filters`.
    other_filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: The languages the export was limited to (ISO 639-1 codes).
    languages: tuple[str, ...] = ()

    def subject(self) -> str:
        """What was exported, in words: the query, or "similar to DOC"."""
        if self.similar_to is not None:
            return f"similar to {self.similar_to}"
        return self.query

    def filters(self) -> dict[str, object]:
        """The filters that were set, as JSON-ready values."""
        out: dict[str, object] = {}
        if self.outlets:
            out["outlet"] = list(self.outlets)
        if self.not_outlets:
            out["not_outlet"] = list(self.not_outlets)
        if self.languages:
            out["lang"] = list(self.languages)
        if self.since:
            out["since"] = self.since.isoformat()
        if self.until:
            out["until"] = self.until.isoformat()
        for name, values in self.other_filters:
            out[name] = list(values)
        return out

    def as_dict(self) -> dict[str, object]:
        return {
            "query": self.query, "plain": self.plain, "sort": self.sort, "filters": self.filters(),
            "exported_at": self.exported_at.isoformat(), "index": str(self.index),
            "corpus": str(self.corpus) if self.corpus else None, "generation": self.generation,
            "total": self.total, "undated_excluded": self.undated_excluded, "searchkit": self.version,
            **({"similar_to": self.similar_to} if self.similar_to is not None else {}),
        }


class Export:
    """The hits of :meth:`Index.export`: iterate for :class:`Hit` objects (once)."""

    def __init__(self, info: ExportInfo, hits: Iterator[Hit]) -> None:
        self.info = info
        self._hits = hits

    def __iter__(self) -> Iterator[Hit]:
        return self._hits


def check_index(index: PathLike) -> CheckReport:
    """Verify an index like Lucene's CheckIndex: every file of its last commit is there,
    of the size and xxh3 checksum recorded when it was written, and the engine reads the
    number of documents that was committed. Raises IndexMissingError (no index); damage
    (an unreadable pointer too) is in the report."""
    from .store import POINTER_FILE

    engine, home = locate(index)
    where = home.name
    try:
        pointer = home.read_pointer()
    except IndexDamagedError:
        problem = (POINTER_FILE, "is unreadable (the pointer to the live index)")
        return CheckReport(where, "", False, 0, 0, None, (problem,))
    generation = pointer.generation
    problems: list[tuple[str, str]] = []
    notes: list[str] = []
    if pointer.schema_version != engine.schema_version:
        problems.append(("", f"built by another version of searchkit (schema {pointer.schema_version}, "
                             f"this version reads {engine.schema_version})"))
        return CheckReport(where, generation, False, 0, 0, None, tuple(problems))
    manifest, found = home.verify(generation)
    problems.extend((p.file, p.what) for p in found)
    problems.extend(("", problem) for problem in home.health())
    if not home.checksums:
        notes.append("its store checks and replicates its own files: searchkit records no checksums there")
    try:
        commit, names = engine.files(home.folder, generation)
    except Exception as exc:  # noqa: BLE001 - damage in the commit file is reported, not raised
        commit, names = "", []
        if not found:
            problems.append(("", f"its table of contents cannot be read ({type(exc).__name__}: {exc})"))
    if manifest is None and not found and home.checksums:
        notes.append("this index has no checksums (it was built by an older searchkit): only its readability "
                     "and document count were checked; run `searchkit index --rebuild` to record them")
    elif manifest is not None and commit and manifest.commit != commit:
        unrecorded = [n for n in names if n not in manifest.files]
        notes.append(f"{len(unrecorded)} files of the last commit have no checksums yet (a run was stopped "
                     "before recording them): run `searchkit index` to record them")
    documents: int | None = None
    if not problems:
        try:
            reader = engine.reader(home.folder, generation)
            try:
                documents = reader.counts().documents
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
        (home.folder / n).stat().st_size for n in names if (home.folder / n).exists())
    return CheckReport(where, generation, manifest is not None, len(records or names), size, documents,
                       tuple(problems), tuple(notes))


class Index:
    """An open index: search it, look at its statistics, fetch a document.

    One engine reader is kept open between searches and reopened only when another process
    has written a newer index (also a full rebuild, which swaps in a new generation).
    """

    def __init__(self, path: PathLike, *, summary: BuildSummary | None = None) -> None:
        self._engine, self._home = locate(path)
        #: The index's folder (for an index in a cluster: the local folder of its caches).
        self.path = self._home.folder
        #: Where the index is, as users name it: its folder, or its URL (without credentials).
        self.location = self._home.name
        #: What the ``build_index`` call that opened this index did (None from ``open_index``).
        self.summary = summary
        #: This process makes a search or two and exits (the command line's ``query`` and
        #: ``export``): every search is made with ``SearchOptions.one_shot``, so the "auto"
        #: query path does not import numpy where sets are cheaper. False: a long-lived
        #: process (a program, the shell, the web page), which takes numpy from its first
        #: search that gains from it.
        self.one_shot = False
        self._lock = threading.RLock()
        self._lease: Lease | None = None
        self._sizes_checked = time.monotonic()
        self._pointer = self._home.read_pointer()
        try:
            self._reader: EngineReader = self._open(self._pointer)
        except IndexDamagedError:
            # A rebuild may have swapped generations between the pointer and the files.
            pointer = self._home.read_pointer()
            if pointer.generation == self._pointer.generation:
                raise
            self._pointer = pointer
            self._reader = self._open(pointer)
        #: The stories of the open generation, loaded on first use: (pointer, model), and
        #: (pointer, story id -> members, doc id -> story id) for searching.
        self._stories_cache: tuple[Pointer, StoryModel] | None = None
        self._map_cache: tuple[Pointer, dict[str, list[str]], dict[str, str]] | None = None
        self._formats_cache: tuple[str, dict[str, str]] | None = None
        self._titles_cache: tuple[StoryModel, dict[str, str]] | None = None
        #: (model, doc id -> the distinct sources it credits) for counting credited sources.
        self._sources_cache: tuple[StoryModel, dict[str, tuple[str, ...]]] | None = None
        #: Held while the stories model loads (seconds at 20,000 articles), so that one load
        #: runs at a time while searches go on under ``_lock``.
        self._stories_lock = threading.Lock()
        self._more_facets_cache: dict[tuple[str, str, SearchOptions], MoreFacets] = {}

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

    @property
    def indexing(self) -> bool:
        """Whether a `searchkit index` run is updating this index now (searches meanwhile
        answer from the last complete index, :attr:`built_at`)."""
        return self._home.indexing()

    def refresh(self, *, check_sizes: bool = False) -> bool:
        """Pick up a newer index written by another process; return True if it changed.

        Cheap (reads a small pointer file and lists the folder); every search calls it.
        The sizes of the index's files are compared with its manifest at most once a second,
        or now with ``check_sizes`` (a server does it once per request), so that a file cut
        short is named as damage soon; a file cut during a search is found by its reads
        (postings are read, never memory-mapped: reading a mapping past the new end of its
        file ends the process with SIGBUS).
        Whoosh's ``Searcher.refresh()`` returns duplicate hits after a merge, so the searcher
        is closed and reopened instead (Whoosh pitfall 1, docs/whoosh-pitfalls.md).
        """
        with self._lock:
            pointer = self._home.read_pointer()
            if (pointer.generation, pointer.schema_version) != (self._pointer.generation, self._pointer.schema_version):
                self._reopen(pointer)
                return True
            self._pointer = pointer
            if check_sizes or time.monotonic() - self._sizes_checked > 1.0:
                # A long-lived reader (the shell) notices a file cut short before reading it.
                self._home.verify_sizes(pointer.generation)
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
                f"index at {self.location} was built by another version of searchkit "
                f"(schema {pointer.schema_version}, this version uses {self._engine.schema_version}): "
                "rebuild it with `searchkit index --rebuild`"
            )
        lease = self._home.lease(pointer.generation)
        try:
            self._home.verify_sizes(pointer.generation)
            try:
                reader = self._engine.reader(self.path, pointer.generation)
            except IndexDamagedError as exc:
                # The engine could not open it: name the file whose bytes changed, if one did.
                problems = self._home.verify(pointer.generation)[1]
                if problems:
                    raise damaged(self.location, f"{problems[0].file} {problems[0].what}") from exc
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
            self._home.collect_garbage()  # we may have been the last reader of the old one

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
            self._reopen(self._home.read_pointer())
            try:
                return action(self._reader)
            except ReaderOutdated as exc:
                raise damaged(self.location, str(exc)) from None
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
        manifest, problems = self._home.verify(generation)
        if problems:
            raise damaged(self.location, f"{problems[0].file} {problems[0].what}") from exc
        if self._home.read_pointer().generation != generation:
            return
        if manifest is None and self._home.checksums:
            raise IndexDamagedError(
                f"index at {self.location} could not be read ({type(exc).__name__}: {exc}) and has no checksums "
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
                self._home.collect_garbage()

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
        sort: Sort = "relevance",
        outlet: str | Sequence[str] | None = None,
        not_outlet: str | Sequence[str] | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        lang: str | Sequence[str] | None = None,
        facets: bool = False,
        facet_dates: FacetDateUnit = "day",
        snippets: bool = True,
        expand: bool = False,
        collapse: bool = False,
        ranking: Ranking | None = None,
        path: QueryPath = "auto",
        explain: bool = False,
    ) -> Results:
        """Search the index.

        ``query`` uses the query language (words, "phrases", AND/OR/NOT, fields, dates; see
        docs/guide.md) unless ``plain`` is true, which reads it as plain words, for pasted text.
        ``sort`` is "relevance", "date" (oldest first) or "-date" (newest first); undated
        articles come last either way. A query of ``*`` or nothing matches every document,
        newest first unless sorted by "date". ``outlet`` (a name, or several: articles from
        any of them), ``not_outlet`` (articles from none of them), ``since``, ``until`` and
        ``lang`` (an ISO 639-1 code, or several: articles in any of them) filter; documents
        with no known date never pass a date filter. ``facets`` adds counts by outlet and by
        ``facet_dates`` ("day" or "month") over all matches. ``expand`` adds the best hits'
        key words to the query (pseudo-relevance feedback, applied only when the best hits agree;
        the words are in ``Results.expansion``). ``collapse`` shows one hit per story (copies
        and rewrites of one report), the best one, with the story's other matching articles in
        ``Hit.versions`` (oldest first); it applies to the relevance order only: sorted by date,
        every article is a hit of its own, so that the order is the chronology of who published
        when (``Hit.story`` still names each one's story). ``ranking`` overrides the ranking's knobs (for measuring them; the
        defaults are the measured best). Words left out as too common are in
        ``Results.ignored``. ``path`` chooses how match sets are computed ("auto", "sets" or
        "numpy"; the results are the same, see :data:`~searchkit.models.QUERY_PATHS` and
        :attr:`one_shot`); ``explain`` fills ``Results.explain`` with how the search ran.
        Raises :class:`QueryError`.
        """
        options = SearchOptions(
            limit=limit, page=page, plain=plain, sort=sort, outlet=_outlets(outlet), not_outlet=_outlets(not_outlet),
            since=since, until=until, lang=_languages(lang), facets=facets, facet_dates=facet_dates, snippets=snippets,
            expand=expand,
            collapse=collapse,
            ranking=ranking or Ranking(),
            path=path, explain=explain,
        )
        return self.search_with(query, options)

    def search_with(self, query: str, options: SearchOptions) -> Results:
        """:meth:`search` with every setting in one :class:`SearchOptions` (the shell keeps
        the user's settings in one)."""
        check_search_arguments(query, options)
        options = self._in_this_process(options)
        collapse = options.collapse and options.sort == "relevance"  # sorted by date, no collapsing
        if collapse:  # the engine collapses: hits carry their stories and versions
            started = time.perf_counter()
            story_of = self._story_map()[1]
            read = time.perf_counter() - started
            results = self._read(lambda reader: reader.search(query, options, self.corpus, self._members, story_of))
            return _with_stories_read(results, read)
        results = self._read(lambda reader: reader.search(query, options, self.corpus, self._members))
        return self._with_stories(results)

    # -- stories -----------------------------------------------------------------------------

    def _story_model(self) -> StoryModel:
        """The stories of the open generation: stored with it, or grouped now when missing."""
        from . import story_stage

        self.refresh()
        model = self._loaded_stories()
        if model is not None:
            return model
        with self._stories_lock:
            with self._lock:
                pointer = self._pointer
            model = self._loaded_stories()
            if model is None:  # not loaded by another thread meanwhile
                model = story_stage.load(self._home, pointer.generation)
                if model is None:
                    model = self._read(story_stage.compute)
                with self._lock:
                    self._stories_cache = (pointer, model)
            return model

    def _loaded_stories(self) -> StoryModel | None:
        with self._lock:
            cached = self._stories_cache
            return cached[1] if cached is not None and cached[0] == self._pointer else None

    def stories_loaded(self) -> bool:
        """Whether the stories of the index as it is now are in memory (the first use after
        opening or after an index run loads them: seconds at 20,000 articles)."""
        self.refresh()
        return self._loaded_stories() is not None

    def _story_map(self) -> tuple[dict[str, list[str]], dict[str, str]]:
        """(story id -> its articles, article -> its story) for stories of two or more
        articles: read from the small map stored with the index (searching never loads the
        stories model for it), else derived from the model."""
        from . import story_stage

        with self._lock:
            cached = self._map_cache
            if cached is not None and cached[0] == self._pointer:
                return cached[1], cached[2]
            pointer = self._pointer
            stored = story_stage.load_map(self._home, pointer.generation)
            if stored is None:
                stored = story_stage.story_map(self._story_model())
            members = {story_id: [doc_id for doc_id, _, _ in docs] for story_id, docs in stored.items()}
            of = {doc_id: story_id for story_id, docs in members.items() for doc_id in docs}
            self._map_cache = (pointer, members, of)
            return members, of

    def _members(self, story_id: str) -> list[str]:
        return list(self._story_map()[0].get(story_id, ()))

    def _in_this_process(self, options: SearchOptions) -> SearchOptions:
        """``options`` as this process searches (see :attr:`one_shot`)."""
        return replace(options, one_shot=True) if self.one_shot and not options.one_shot else options

    def _with_stories(self, results: Results) -> Results:
        if not results.hits:
            return results
        of = self._story_map()[1]
        return replace(results, hits=tuple(replace(hit, story=of.get(hit.doc_id)) for hit in results.hits))

    def _matching(self, query: str, plain: bool) -> list[str]:
        """The ids of every article ``query`` matches (what stories, credits and timelines of
        a query are made of)."""
        return self.matching_ids(query, SearchOptions(plain=plain))

    def matching_ids(self, query: str, options: SearchOptions | None = None) -> list[str]:
        """The ids of every article ``query`` matches under the filters of ``options`` (its
        outlets, dates, ``only`` and ``exclude``; page, sort and facets do not matter),
        sorted: no ranking, no snippets. Raises :class:`QueryError`."""
        options = self._in_this_process(replace(options or SearchOptions(), page=1, facets=False, collapse=False))
        check_search_arguments(query, options)
        return self._read(lambda reader: reader.matching_ids(query, options, self._members))

    def facet_ids(self, filters: Mapping[str, Sequence[str]]) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
        """The articles that filters by story, credited source and file format keep and leave
        out, as :class:`SearchOptions`' ``only`` and ``exclude``: ``filters`` maps ``story``,
        ``credited``, ``format`` (every value must hold) and ``not_story``, ``not_credited``,
        ``not_format`` (any value leaves out) to story ids, sources and formats ("pdf").
        None where no such filter is set."""
        def ids(facet: str, value: str) -> set[str]:
            if facet == "story":
                found = self.story(value)
                return set(found.doc_ids) if found is not None else set()
            if facet == "credited":
                return set(self.ids_crediting(value))
            return set(self.ids_of_format(value))

        only: set[str] | None = None
        exclude: set[str] = set()
        for facet in SET_FACETS:
            for value in filters.get(facet, ()):
                found = ids(facet, value)
                only = found if only is None else only & found
            for value in filters.get("not_" + facet, ()):
                exclude |= ids(facet, value)
        return (tuple(sorted(only)) if only is not None else None), (tuple(sorted(exclude)) or None)

    def more_facets(self, query: str, options: SearchOptions | None = None, *,
                    matched_ids: Sequence[str] | None = None, matched: MatchSet | None = None,
                    wait: bool = True) -> MoreFacets:
        """Counts over every match of ``query`` (with the filters of ``options``) by story,
        by credited source and by file format: the facets beside outlet and date.

        ``matched`` (a search's ``Results.matched``, with ``SearchOptions.with_ids``) or
        ``matched_ids``: those matches, when the caller has them, so that the query is not
        run again. ``wait=False``: when the stories are still loading, answer without
        headlines and credited sources (``stories_loading``) rather than wait for them."""
        options = replace(options or SearchOptions(), page=1, limit=10, sort="relevance", facets=False,
                          collapse=False, snippets=False, with_ids=False)
        check_search_arguments(query, options)
        self.refresh()
        loading = not wait and self._loaded_stories() is None
        key = (self._pointer.generation, query, options)
        with self._lock:
            found = None if loading else self._more_facets_cache.get(key)
        if found is not None:  # the same search's next page, or its .json twin
            return found
        if matched is None and matched_ids is not None:
            matched = IdMatches(tuple(matched_ids))
        if matched is None:
            matched = IdMatches(tuple(self._read(lambda reader: reader.matching_ids(query, options, self._members))))
        more = self._more_facets(matched, loading)
        if not loading:
            with self._lock:
                if len(self._more_facets_cache) >= 32:
                    self._more_facets_cache.pop(next(iter(self._more_facets_cache)))
                self._more_facets_cache[key] = more
        return more

    def _more_facets(self, matched: MatchSet, loading: bool) -> MoreFacets:
        """The counts of :meth:`more_facets` over the articles ``matched``; without what needs
        the stories model when ``loading``. The engine counts each per-generation map over
        its matches (on Whoosh with numpy over document numbers: no id is looked up)."""
        _, story_of = self._story_map()
        stories = {k: v for k, v in sorted(matched.count(story_of).items(), key=lambda kv: (-kv[1], kv[0])) if v > 1}
        titles: dict[str, str] = {}
        credited: dict[str, int] = {}
        if not loading:
            if stories:
                every = self._story_titles()
                titles = {story_id: every.get(story_id, "") for story_id in stories}
            credited = matched.count_each(self._credited_sources())
        formats = matched.count(self._formats(), default="")
        return MoreFacets(
            stories=stories, story_titles=titles,
            credited=dict(sorted(credited.items(), key=lambda kv: (-kv[1], kv[0]))),
            formats=dict(sorted(formats.items(), key=lambda kv: (-kv[1], kv[0]))),
            stories_loading=loading,
        )

    def _credited_sources(self) -> dict[str, tuple[str, ...]]:
        """Article id -> the distinct sources it credits (those crediting any), per model."""
        model = self._story_model()
        with self._lock:
            cached = self._sources_cache
            if cached is not None and cached[0] is model:
                return cached[1]
        sources: dict[str, tuple[str, ...]] = {}
        for doc_id in self.doc_ids():
            found = tuple(dict.fromkeys(c.source for c in model.credits_of(doc_id)))
            if found:
                sources[doc_id] = found
        with self._lock:
            self._sources_cache = (model, sources)
        return sources

    def _story_titles(self) -> dict[str, str]:
        """Story id -> headline, for every story (made once per index generation)."""
        model = self._story_model()
        with self._lock:
            cached = self._titles_cache
            if cached is not None and cached[0] is model:
                return cached[1]
            titles = {story.story_id: story.title for story in model.stories}
            self._titles_cache = (model, titles)
            return titles

    def credits_from(self, doc_ids: Sequence[str]) -> dict[str, dict[str | None, int]]:
        """:meth:`credits` of the given articles."""
        return self._story_model().credit_counts(doc_ids)

    def ids_crediting(self, source: str) -> list[str]:
        """The articles that credit ``source`` (a credited source as :meth:`credits` names it)."""
        return sorted(doc_id for doc_id, sources in self._credited_sources().items() if source in sources)

    def ids_of_format(self, kind: str) -> list[str]:
        """The articles read from files of format ``kind`` ("html", "pdf", "eml", ...)."""
        return sorted(doc_id for doc_id, found in self._formats().items() if found == kind)

    def format_of(self, doc_id: str) -> str:
        """The format of the file an article was read from ("html", "pdf", ...; "" if none)."""
        return self._formats().get(doc_id, "")

    def _formats(self) -> dict[str, str]:
        """doc id -> format of its file, read from the index's columns once per generation."""
        self.refresh()
        with self._lock:
            cached = self._formats_cache
            if cached is not None and cached[0] == self._pointer.generation:
                return cached[1]
            generation = self._pointer.generation
            files = self._engine.indexed(self.path, generation)
            formats = {doc_id: file_format(file) for doc_id, (file, _state) in files.items()}
            self._formats_cache = (generation, formats)
            return formats

    def _selected(self, query: str | None, plain: bool, doc_ids: Iterable[str] | None) -> list[str] | None:
        """The articles ``query`` matches, or ``doc_ids``, or None for the whole corpus."""
        if query is not None and doc_ids is not None:
            raise TypeError("give a query or doc_ids, not both")
        if doc_ids is not None:
            return list(doc_ids)
        return None if query is None else self._matching(query, plain)

    def stories(self, query: str | None = None, *, plain: bool = False,
                doc_ids: Iterable[str] | None = None) -> list[Story]:
        """The stories of the corpus (copies and rewrites of one report across outlets), the
        biggest first; with ``query``, the stories of its matches, or with ``doc_ids``, of
        those articles (a list such as :meth:`similar` gives): only their selected articles;
        stories left with one article are dropped."""
        from .stories import Story as _Story

        model = self._story_model()
        stories = [s for s in model.stories if len(s.doc_ids) > 1]
        selected = self._selected(query, plain, doc_ids)
        if selected is None:
            return stories
        matched = set(selected)
        out = []
        for story in stories:
            keep = [i for i, doc_id in enumerate(story.doc_ids) if doc_id in matched]
            if len(keep) < 2:
                continue
            doc_ids = tuple(story.doc_ids[i] for i in keep)
            undated = tuple(d for d in story.undated if d in matched)
            earliest = next((d for d in doc_ids if d not in undated), None)
            out.append(_Story(story.story_id, story.title, doc_ids, earliest, undated,
                              tuple(story.outlets[i] for i in keep)))
        out.sort(key=lambda s: (-len(s.doc_ids), s.story_id))
        return out

    def story_of(self, doc_id: str) -> str | None:
        """The id of the story (of two or more articles) an article belongs to, or None."""
        return self._story_map()[1].get(doc_id)

    def story(self, story_id: str) -> Story | None:
        """One story by id (as ``stories()`` and ``Hit.story`` give it), or None."""
        return self._story_model().story(story_id)

    def credits_of(self, doc_id: str) -> list[Credit]:
        """The outlets and agencies an article credits, with the character span of each
        mention in ``document(doc_id).text``; an outlet's own byline or footer is no credit."""
        model = self._story_model()
        if doc_id not in model:
            self.document(doc_id)  # unknown ids are an error here as everywhere
        return model.credits_of(doc_id)

    def credits(self, query: str | None = None, *, plain: bool = False,
                doc_ids: Iterable[str] | None = None) -> dict[str, dict[str | None, int]]:
        """Which sources are credited, by which outlets, in how many articles:
        ``{source: {crediting outlet or None: articles}}``, most credited first; of the
        corpus, of ``query``'s matches or of the articles ``doc_ids``."""
        return self._story_model().credit_counts(self._selected(query, plain, doc_ids))

    def credit_sources(self, query: str | None = None, *, plain: bool = False,
                       doc_ids: Iterable[str] | None = None) -> list[CreditedSource]:
        """Every credited source with the articles behind its count (by crediting outlet),
        most credited first; ``texts`` counts identical copies once. Of the corpus, of
        ``query``'s matches or of the articles ``doc_ids``."""
        return self._story_model().credit_sources(self._selected(query, plain, doc_ids))

    def compare(self, doc_a: str, doc_b: str) -> Comparison:
        """What two articles share (verbatim and reworded passages, with offsets in each
        text) and what each has alone. A passage is verbatim only when its words are the
        same up to case, punctuation, quotes and number style; a reworded one carries the
        runs of identical words inside it (``Passage.identical``)."""
        a, b = self._document(doc_a, credits=False), self._document(doc_b, credits=False)
        return self._story_model().compare(a.doc_id, b.doc_id, a.text, b.text)

    def timeline(self, query: str | None = None, *, plain: bool = False,
                 doc_ids: Iterable[str] | None = None) -> dict[str, dict[str | None, int]]:
        """Articles per day per outlet (``{"YYYY-MM-DD": {outlet: n}}``, every day from the
        first to the last in order, a day without articles as ``{}``), and undated ones under
        the key ``"undated"``; of the corpus, of ``query``'s matches or of the articles
        ``doc_ids``."""
        counts = self._story_model().timeline(self._selected(query, plain, doc_ids))
        dated = counts["dated"]
        out: dict[str, dict[str | None, int]] = {}
        if dated:
            day, last = dt.date.fromisoformat(min(dated)), dt.date.fromisoformat(max(dated))
            while day <= last:
                out[day.isoformat()] = dict(dated.get(day.isoformat(), {}))
                day += dt.timedelta(days=1)
        if counts["undated"]:
            out["undated"] = dict(counts["undated"])
        return out

    def similar(
        self,
        source: str | None = None,
        *,
        doc_id: str | None = None,
        text: str | None = None,
        limit: int = 10,
        page: int = 1,
        outlet: str | Sequence[str] | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        lang: str | Sequence[str] | None = None,
        snippets: bool = True,
        facets: bool = False,
        path: QueryPath = "auto",
        explain: bool = False,
    ) -> Results:
        """The articles that share the most content with a document or a pasted passage,
        best first, the shared words highlighted in their snippets ("find where this passage
        appears").

        ``source`` is a document id of this index (the document itself is left out of the
        results) or else a passage of text; ``doc_id=`` or ``text=`` says which explicitly.
        The passage's most telling words (by tf-idf, at most 64) are looked for, each weighted
        by how often the passage uses it. ``facets`` counts every one of them by outlet
        and date, as :meth:`search` does; ``path`` and ``explain`` as in :meth:`search`.
        Raises :class:`SearchkitError` for an unknown ``doc_id=``.
        """
        passage, exclude = self._passage(source, doc_id, text, "similar")
        options = SearchOptions(limit=limit, page=page, plain=True, outlet=_outlets(outlet), since=since,
                                until=until, lang=_languages(lang), snippets=snippets, facets=facets, path=path,
                                explain=explain)
        options = self._in_this_process(options)
        return self._with_stories(self._read(lambda reader: reader.similar(passage, options, self.corpus, exclude)))

    def _passage(self, source: str | None, doc_id: str | None, text: str | None, caller: str) -> tuple[str, str | None]:
        """The passage :meth:`similar` looks for, and the document to leave out (its own)."""
        if sum(x is not None for x in (source, doc_id, text)) != 1:
            raise TypeError(f"{caller}() takes one of: a document id or text, doc_id=, text=")
        if source is not None:
            if "\n" not in source and len(source) < 4096 and source in self._known_id(source):
                doc_id = source
            else:
                text = source
        if doc_id is not None:
            doc = self._document(doc_id, credits=False)
            return "\n".join(part for part in (doc.meta.title, doc.text) if part), doc.doc_id
        return text or "", None

    def _known_id(self, doc_id: str) -> set[str]:
        found = self._read(lambda reader: reader.document(doc_id))
        return {doc_id} if found is not None else set()

    # -- looking around ----------------------------------------------------------------------

    def stats(self) -> IndexStats:
        """Number of documents, documents per outlet, date range and last update."""
        counts = self._read(lambda reader: reader.counts())
        return IndexStats(path=self.location, corpus=self.corpus, documents=counts.documents, outlets=counts.outlets,
                          first_date=counts.first_date, last_date=counts.last_date, undated=counts.undated, no_outlet=counts.no_outlet,
                          last_update=self._pointer.built_at)

    def document(self, doc_id: str, *, paths: bool = True) -> Document:
        """The full text and metadata of one document; raises SearchkitError if unknown.

        ``doc_id`` is a document id (as hits and ``--json`` give it), or (unless ``paths`` is
        false: the web page looks ids up, never paths) the path of the
        article's file: absolute (``Hit.path``) or relative to the current folder; a
        ``#key`` after a path names one record of a file that holds several. ``credits``:
        the outlets and agencies it credits, with their spans in ``text`` (from the stories).
        """
        return self._document(doc_id, paths=paths)

    def _document(self, doc_id: str, *, credits: bool = True, paths: bool = True) -> Document:
        found = self._read(lambda reader: reader.document(doc_id))
        if found is None and paths:
            as_id = self._id_of_path(doc_id)
            if as_id is not None and as_id != doc_id:
                found = self._read(lambda reader: reader.document(as_id))
        if found is None:
            raise SearchkitError(f"no document {doc_id!r} in the index at {self.location}")
        path = self.corpus / found.file if self.corpus else Path(found.file)
        credited = tuple(self._story_model().credits_of(found.doc_id)) if credits else ()
        return Document(found.doc_id, path, found.text, found.meta, found.state.sha256, found.state.size, credited)

    def _id_of_path(self, ref: str) -> str | None:
        """The document id a file path (absolute or relative to the current folder, with an
        optional ``#key``) stands for, if the file is inside this index's corpus."""
        corpus = self.corpus
        if corpus is None:
            return None
        path_part, hash_mark, key = ref.partition("#")
        if hash_mark and not Path(path_part).suffix and not Path(path_part).exists():
            path_part, hash_mark, key = ref, "", ""
        try:
            relative = Path(path_part).expanduser().resolve().relative_to(corpus.resolve())
        except (ValueError, OSError):
            return None
        rel = relative.as_posix()
        return f"{rel}#{key}" if hash_mark else rel

    # -- every hit ---------------------------------------------------------------------------

    def export(
        self,
        query: str,
        *,
        plain: bool = False,
        sort: Sort = "relevance",
        outlet: str | Sequence[str] | None = None,
        not_outlet: str | Sequence[str] | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        lang: str | Sequence[str] | None = None,
        snippets: bool = True,
        batch: int = 200,
    ) -> Export:
        """Every hit of ``query`` (not one page), in rank order, with what is needed to cite
        and re-run the list (:class:`Export`: ``info`` names the query, the filters, the time,
        the index and its generation). Hits are fetched ``batch`` at a time as they are
        iterated; all come from the one index generation that was live at the call.
        Raises :class:`QueryError` for a malformed query."""
        outlets = _outlets(outlet)
        options = SearchOptions(limit=batch, page=1, plain=plain, sort=sort, outlet=outlets,
                                not_outlet=_outlets(not_outlet), since=since, until=until, lang=_languages(lang),
                                snippets=snippets)
        return self.export_with(query, options)

    def export_with(self, query: str, options: SearchOptions) -> Export:
        """:meth:`export` with every setting in one :class:`SearchOptions` (its ``limit`` is
        the batch size; its page, facets and collapsing are ignored). Raises :class:`QueryError`."""
        options = replace(options, page=1, facets=False, collapse=False)
        check_search_arguments(query, options)
        return self._export(lambda reader, opts: reader.search(query, opts, self.corpus, self._members), options,
                            query=query)

    def export_similar(
        self,
        source: str,
        *,
        outlet: str | Sequence[str] | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        snippets: bool = True,
        batch: int = 200,
    ) -> Export:
        """Every article :meth:`similar` finds for ``source`` (a document id or a passage),
        best first, as :meth:`export` gives a query's (``info.similar_to`` names the
        document, or says "a passage")."""
        passage, exclude = self._passage(source, None, None, "export_similar")
        options = SearchOptions(limit=batch, page=1, plain=True, outlet=_outlets(outlet), since=since, until=until,
                                snippets=snippets)
        return self._export(lambda reader, opts: reader.similar(passage, opts, self.corpus, exclude), options,
                            query="", similar_to=exclude or "a passage")

    def _export(self, fetch: Callable[[EngineReader, SearchOptions], Results], options: SearchOptions, *,
                query: str, similar_to: str | None = None) -> Export:
        """Pages of ``fetch`` from the one generation live now, as an :class:`Export`."""
        from . import __version__

        options = self._in_this_process(options)

        self.refresh()
        with self._lock:
            first = self._read(lambda reader: fetch(reader, options))
            reader = self._reader
        from .outlets import resolve_outlet

        outlets = tuple(resolve_outlet(name, self.outlets()) for name in _outlets(options.outlet) or ())
        info = ExportInfo(
            query=query, plain=options.plain, sort=options.sort, outlets=outlets,
            since=options.since, until=options.until,
            exported_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
            index=self.location.resolve() if isinstance(self.location, Path) else self.location,
            corpus=self.corpus, generation=self._pointer.generation,
            total=first.total, version=__version__, undated_excluded=first.undated_excluded, similar_to=similar_to,
            not_outlets=options.not_outlet or (),
            languages=_languages(options.lang) or (),
        )
        batch = options.limit

        def hits() -> Iterator[Hit]:
            yield from first.hits
            page = 1
            while page * batch < first.total:
                page += 1
                with self._lock:
                    if self._reader is not reader:  # another generation: stop rather than mix
                        raise SearchkitError("the index changed during the export; run it again")
                    try:
                        more = fetch(reader, replace(options, page=page))
                    except ReaderOutdated:
                        raise SearchkitError("the index changed during the export; run it again") from None
                if not more.hits:
                    return
                yield from more.hits

        return Export(info, hits())

    def complete(self, prefix: str, *, limit: int = 20) -> list[str]:
        """Words in the index that start with ``prefix`` (for completion), commonest first."""
        return self._read(lambda reader: reader.complete(prefix, limit))

    def check_query(self, query: str, *, plain: bool = False) -> None:
        """Raise :class:`QueryError` (with a message and position) if ``query`` is malformed."""
        self._engine.check_query(query, plain=plain)

    def query_terms(self, query: str, *, plain: bool = False, lang: str | None = None) -> frozenset[str]:
        """The indexed terms ``query`` looks for in titles and bodies (nothing under NOT), in
        articles in ``lang`` (ISO 639-1) or of the default analysis; raises
        :class:`QueryError` for a malformed query."""
        return self._engine.query_terms(query, plain=plain, lang=lang)

    def matched_spans(self, text: str, query: str, *, plain: bool = False,
                      lang: str | None = None) -> list[tuple[int, int]]:
        """Where ``text`` (an article in ``lang``) holds what ``query`` looks for, as character
        offsets: each word it asks for, a phrase's words only where they stand as the phrase
        (as the snippets mark them); nothing under NOT. Raises :class:`QueryError`."""
        return self._engine.matched_spans(text, query, plain=plain, lang=lang)

    def tokens(self, text: str, *, lang: str | None = None) -> list[tuple[str, int, int, str]]:
        """How the index reads ``text`` (an article in ``lang``): (term, start, end, word as
        written) per word."""
        return self._engine.tokens(text, lang=lang)

    def outlets(self) -> list[str]:
        """Every outlet name in the index, sorted."""
        return self._read(lambda reader: reader.outlets())

    def doc_ids(self) -> list[str]:
        """Every document id in the index, sorted."""
        return self._read(lambda reader: reader.doc_ids())


def file_format(file: str) -> str:
    """The format of a corpus file by its suffix, lower case without the dot ("html", "pdf");
    "warc" for ".warc.gz"; "" for none."""
    name = file.partition("#")[0].rsplit("/", 1)[-1].lower()
    if name.endswith(".gz"):
        name = name[:-3]
    stem, dot, suffix = name.rpartition(".")
    return suffix if dot and stem else ""


def _with_stories_read(results: Results, seconds: float) -> Results:
    """A collapsed search's results counting the time its story map took to read (loaded on
    first use): first among the stages its explanation lists, with the engine's versions
    stage moved last."""
    if results.explain is None:
        return replace(results, elapsed=results.elapsed + seconds)
    stages = dict(results.explain.stages)
    versions = stages.pop("versions", 0.0)
    explain = replace(results.explain, stages=(("stories", seconds), *stages.items(), ("versions", versions)))
    return replace(results, elapsed=results.elapsed + seconds, explain=explain)


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
    outlet = options.outlet
    if outlet is not None and not isinstance(outlet, str) and not (
            isinstance(outlet, tuple) and all(isinstance(name, str) for name in outlet)):
        raise TypeError(f"outlet must be a str, a sequence of str or None, not {kind(outlet)}")
    excluded = options.not_outlet
    if excluded is not None and not (isinstance(excluded, tuple) and all(isinstance(name, str) for name in excluded)):
        raise TypeError(f"not_outlet must be a tuple of str or None, not {kind(excluded)}")
    if not isinstance(options.sort, str) or options.sort not in SORTS:
        raise QueryError(f"sort must be one of {', '.join(SORTS)}, not {options.sort!r}")
    if not isinstance(options.path, str) or options.path not in QUERY_PATHS:
        raise QueryError(f"path must be one of {', '.join(QUERY_PATHS)}, not {options.path!r}")
    if not isinstance(options.facet_dates, str) or options.facet_dates not in FACET_DATE_UNITS:
        raise QueryError(f"facet_dates must be one of {', '.join(FACET_DATE_UNITS)}, not {options.facet_dates!r}")
    if options.since and options.until and options.since > options.until:
        raise QueryError(f"since {options.since} is after until {options.until}")
