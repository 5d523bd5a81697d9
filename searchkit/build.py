"""One indexing run: walk the corpus, read each file with its format's reader, describe each
document (reader hints, text inference, the user's metadata), and write it with the engine.

Runs are incremental: a file whose size, mtime and metadata entry are unchanged costs one
``stat``; a full build (or ``rebuild=True``) fills a new generation that replaces the live one
only once it is complete (see :mod:`searchkit.store`).
"""

from __future__ import annotations

import errno
import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .engine import locate
from .engine.base import Engine, EngineWriter, Home, IndexedDocument
from .errors import IndexDamagedError, IndexMissingError, IndexWriteError, SearchkitError
from .faults import fault_point
from .ingest.decode import DEFAULT_MAX_BYTES, UnusableFile, read_raw
from .ingest.ids import doc_id as make_doc_id
from .ingest.walk import CorpusFile, walk
from .models import BuildSummary, Skipped
from .story_stage import has_stories
from .store import METADATA_CACHE_FILE, FileState, Pointer, damaged, now, write_watched_paths

if TYPE_CHECKING:
    from .stories import StoryInput
    from .story_beside import StoriesBeside
    from .ingest.sidecar import MetadataFile

#: Progress callback: (bytes done, bytes total, the file being read now or "" once all are
#: read and the index is being written). Called as each file starts and once at the end.
ProgressFn = Callable[[int, int, str], None]


def build(
    corpus_dir: Path,
    index: Path | str,
    *,
    rebuild: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: ProgressFn | None = None,
    procs: int = 1,
    engine: Engine | None = None,
    include: tuple[str, ...] | None = None,
    exclude: tuple[str, ...] | None = None,
) -> BuildSummary:
    """Create or update the index of ``corpus_dir`` at ``index`` (a folder or a URL); see
    :func:`searchkit.build_index`."""
    started = time.perf_counter()
    # Taken before reading anything: a file edited during this run is newer than it.
    run_started = now()
    corpus_dir = Path(corpus_dir)
    located, home = locate(index)
    engine = engine or located
    index_dir = home.folder
    if corpus_dir.exists() and not corpus_dir.is_dir():
        raise SearchkitError(f"corpus {corpus_dir} is not a folder: searchkit indexes a folder of "
                             "articles (searchkit index FOLDER)")
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SearchkitError(f"cannot create index folder {index_dir}: {exc.strerror or exc}") from None
    try:
        summary = _locked_build(engine, home, corpus_dir, rebuild=rebuild, max_bytes=max_bytes,
                                progress=progress, procs=procs, run_started=run_started,
                                include=include, exclude=exclude)
    except OSError as exc:
        raise write_error(home.name, exc) from exc
    return BuildSummary(**{**summary.__dict__, "elapsed": time.perf_counter() - started})


#: errno values that mean "the disk (or a limit) is full", not "something is wrong".
_FULL = {errno.ENOSPC: "no space left on device", errno.EDQUOT: "disk quota exceeded",
         errno.EFBIG: "file size limit exceeded"}


#: Full builds of this many files or more compute their stories in a second process while
#: they index (story_beside); smaller ones after the index, in the build's process (a process
#: costs about half a second to start).
STORIES_BESIDE_MIN_FILES = 1000

#: Warnings said about one file's records (an export of 100,000 rows with day-first dates
#: gets five lines and a count, not 100,000 lines).
MAX_WARNINGS_PER_FILE = 5


def outlet_names_path(index_dir: Path, generation: str) -> Path:
    """The outlet name of each registered domain, beside the generation (see DomainNames)."""
    return Path(index_dir) / f"{generation}.outlets"


def write_error(index_dir: Path | str, exc: OSError) -> IndexWriteError:
    """The one-line message for a run stopped by the system (a full disk above all)."""
    what = _FULL.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()
    where = f" ({exc.filename})" if exc.filename and exc.errno not in _FULL else ""
    return IndexWriteError(f"{what} while writing the index at {index_dir}{where}; the previous index is unchanged")


def _locked_build(engine: Engine, home: Home, corpus_dir: Path, *, rebuild: bool, max_bytes: int,
                  progress: ProgressFn | None, procs: int, run_started: str,
                  include: tuple[str, ...] | None, exclude: tuple[str, ...] | None) -> BuildSummary:
    from .ingest import sidecar  # only indexing pays for tomllib and the inference patterns

    index_dir = home.folder
    with home.lock():
        include, exclude = _filters(index_dir, include, exclude)
        # Read everything that can fail on user input before writing anything.
        meta_file = sidecar.load_metadata(corpus_dir, cache=index_dir / METADATA_CACHE_FILE)
        files: list[CorpusFile] = []
        skipped: list[Skipped] = []
        folders: list[str] = []
        unsupported: dict[str, int] = {}
        for item in walk(corpus_dir, folders=folders, unsupported=unsupported, include=include, exclude=exclude):
            if isinstance(item, Skipped):
                skipped.append(item)
            else:
                files.append(item)
        warnings = sidecar.check_paths(meta_file, {f.rel_path for f in files}) if not (include or exclude) else []
        # Before the pointer: a run that dies after this leaves a list no less watchful.
        watched = [sidecar.METADATA_FILENAME] if meta_file.path else []
        if meta_file.csv_entries or (corpus_dir / sidecar.METADATA_CSV_FILENAME).exists():
            watched.append(sidecar.METADATA_CSV_FILENAME)
        write_watched_paths(index_dir, folders + watched)

        try:
            live: Pointer | None = home.read_pointer()
        except IndexMissingError:
            live = None
        except IndexDamagedError:
            if not rebuild:
                raise
            live = None
        if live is not None and not rebuild:
            _check_version(engine, home.name, live)
            home.verify_sizes(live.generation)  # damage: ask for check and --rebuild
            engine.check(index_dir, live.generation)

        run = _BuildRun(engine, home, corpus_dir, meta_file, max_bytes, progress, run_started)
        if live is None or rebuild:
            summary = run.full_build(files, skipped, procs=procs, replaces=live.generation if live else None)
        else:
            summary = run.incremental(live, files, skipped)
    return BuildSummary(**{**summary.__dict__, "warnings": tuple(warnings) + summary.warnings,
                           "unsupported": tuple(sorted(unsupported.items(), key=lambda kv: (-kv[1], kv[0])))})


FILTERS_FILE = ".filters.json"


def _filters(index_dir: Path, include: tuple[str, ...] | None,
             exclude: tuple[str, ...] | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The --include/--exclude globs of this run: the ones given (then remembered in the
    index folder), else the ones the last run was given."""
    import json

    path = index_dir / FILTERS_FILE
    if include is None and exclude is None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return tuple(map(str, data.get("include", ()))), tuple(map(str, data.get("exclude", ())))
        except (OSError, ValueError, AttributeError, TypeError):
            return (), ()
    include, exclude = tuple(include or ()), tuple(exclude or ())
    if include or exclude:
        from .atomic import write_atomically

        write_atomically(path, json.dumps({"include": include, "exclude": exclude}))
    else:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
    return include, exclude


def _quietly(action: Callable[[], object]) -> None:
    """Run a clean-up step whose own failure must not hide the error being handled."""
    try:
        action()
    except Exception:  # noqa: BLE001
        pass


def _check_version(engine: Engine, index_dir: Path | str, pointer: Pointer) -> None:
    from .errors import SchemaMismatchError

    if pointer.schema_version != engine.schema_version:
        raise SchemaMismatchError(
            f"index at {index_dir} was built by another version of searchkit "
            f"(schema {pointer.schema_version}, this version uses {engine.schema_version}): "
            "rebuild it with `searchkit index --rebuild`"
        )


def recompute_stories(index: Path | str, *, spark: str | None = None, inputs: str | None = None,
                      stats: dict[str, object] | None = None) -> int:
    """Group the live generation's stories again from all its documents and store them (in
    this process, or on Spark at ``spark``: the same stories); returns how many stories of
    two or more articles there are. ``inputs``: the index's documents as a JSON Lines file of
    story inputs for Spark to read (on shared storage for a cluster) instead of the index."""
    from . import story_stage

    engine, home = locate(index)
    with home.lock():
        pointer = home.read_pointer()
        _check_version(engine, home.name, pointer)
        reader = engine.reader(home.folder, pointer.generation)
        try:
            if spark:
                model = story_stage.compute_on_spark(reader, spark, inputs=inputs, stats=stats)
            else:
                model = story_stage.compute(reader)
        finally:
            reader.close()
        story_of = story_stage.write(home, pointer.generation, model)
        engine.label_stories(home.folder, pointer.generation, story_of)
    return len(set(story_of.values()))


@dataclass
class _Diff:
    """An incremental run's work: documents to write, ids to delete, and the counts."""

    to_write: list[IndexedDocument] = field(default_factory=list)
    #: Added or updated: what the stories must look at again.
    changed_ids: set[str] = field(default_factory=set)
    gone: list[str] = field(default_factory=list)
    added: int = 0
    updated: int = 0
    unchanged: int = 0


class _BuildRun:
    """State of one indexing run (keeps the long argument lists in one place)."""

    def __init__(self, engine: Engine, home: Home, corpus_dir: Path, meta_file: MetadataFile,
                 max_bytes: int, progress: ProgressFn | None, run_started: str) -> None:
        self.engine = engine
        self.run_started = run_started
        self.corpus_dir = corpus_dir.resolve()  # recorded in the pointer, so it works from anywhere
        self.home = home
        #: The folder the engine is given (for an index in a cluster, a local folder of caches).
        self.index_dir = home.folder
        self.meta_file = meta_file
        self.max_bytes = max_bytes
        self.progress = progress
        from .ingest.sitename import DomainNames

        #: One name per outlet (registered domain) across the corpus's pages.
        self.outlet_names = DomainNames()
        #: What readers could not use in the documents they read (an ambiguous date), to say.
        self.read_warnings: list[str] = []

    # -- full build into a fresh generation, swapped in at the end ---------------------------

    def full_build(self, files: list[CorpusFile], skipped: list[Skipped], *, procs: int,
                   replaces: str | None) -> BuildSummary:
        generation = self.home.new_generation_name()
        added = 0
        total_bytes = sum(file.size for file in files)
        done_bytes = 0
        procs = procs if len(files) > 2000 else 1
        beside = None
        try:
            writer = self.engine.create(self.index_dir, generation, procs=procs)
            # One indexing process: the stories on the second core, as the documents come.
            beside = self._stories_beside(len(files)) if procs == 1 else None
            try:
                self._track_long_texts(writer, total_bytes)
                for file in files:
                    self._report(done_bytes, total_bytes, file.rel_path)
                    self._current = (done_bytes, file.size, file.rel_path)
                    for doc in self._documents(file, skipped):
                        writer.add(doc)
                        if beside is not None:
                            beside.add(doc)
                        added += 1
                    done_bytes += file.size
                self._report(total_bytes, total_bytes, "")
                count = writer.commit()
                fault_point("after-segment-write")
            except BaseException:
                _quietly(writer.cancel)
                raise
            # A failing worker of Whoosh's multiprocess writer drops documents silently
            # (Whoosh pitfall 2, docs/whoosh-pitfalls.md).
            if count != added:
                raise SearchkitError(
                    f"index build lost documents ({count} indexed of {added}); the previous index "
                    "is unchanged: run `searchkit index --rebuild` again"
                )
            # Lucene's order: the new files and the folder are durable before the pointer
            # names them (record_commit), and the pointer after (write_pointer).
            commit, names = self.engine.files(self.index_dir, generation)
            fault_point("before-manifest")
            self.home.record_commit(generation, names, commit, count)
            self.outlet_names.save(outlet_names_path(self.index_dir, generation))
            # The stories of the new generation, before the pointer names it (a failure there
            # is said, never fatal: the next run retries).
            warnings = self._stories(generation, previous=None, full=True, beside=beside)
            fault_point("before-pointer-swap")
            self.home.write_pointer(Pointer(generation, self.engine.schema_version, str(self.corpus_dir),
                                                  now(), self.run_started))
        except BaseException:
            if beside is not None:
                _quietly(beside.close)
            # Nothing of this run is live: remove all it wrote (readers never saw it).
            self.home.remove_other_generations(keep={replaces})
            raise
        # The generation replaced goes now, unless a reader still holds it (the last one out
        # removes it then).
        self.home.remove_other_generations(keep={generation})
        return BuildSummary(added=added, skipped=tuple(skipped), documents=count, rebuilt=True,
                            warnings=tuple(self.read_warnings) + warnings)

    # -- incremental update of the live generation ------------------------------------------

    def incremental(self, pointer: Pointer, files: list[CorpusFile], skipped: list[Skipped]) -> BuildSummary:
        from .ingest.sitename import DomainNames

        self.outlet_names = DomainNames.load(outlet_names_path(self.index_dir, pointer.generation))
        diff = self._diff(pointer, files, skipped)
        built = pointer.built
        generation = pointer.generation
        if diff.to_write or diff.gone:
            count = self._commit(generation, diff)
            built = now()
        else:
            count = diff.unchanged
            manifest = self.home.read_manifest(generation)
            commit, names = self.engine.files(self.index_dir, generation)
            if manifest is not None and manifest.commit != commit:
                # A run killed between its commit and its manifest: record the commit now.
                self.home.record_commit(generation, names, commit, count)
        if diff.to_write:
            self.outlet_names.save(outlet_names_path(self.index_dir, generation))
        warnings: tuple[str, ...] = ()
        changed = [doc for doc in diff.to_write if doc.doc_id in diff.changed_ids]
        if changed or diff.gone or not has_stories(self.home, generation):
            from .story_stage import story_input

            warnings = self._stories(generation, previous=generation, removed=diff.gone,
                                     changed=[story_input(d.doc_id, d.text, d.meta) for d in changed])
        fault_point("before-pointer-swap")
        self.home.write_pointer(Pointer(pointer.generation, self.engine.schema_version, str(self.corpus_dir),
                                              built, self.run_started))
        self.home.remove_other_generations(keep={pointer.generation})
        return BuildSummary(added=diff.added, updated=diff.updated, removed=len(diff.gone), unchanged=diff.unchanged,
                            skipped=tuple(skipped), documents=count, warnings=tuple(self.read_warnings) + warnings)

    def _diff(self, pointer: Pointer, files: list[CorpusFile], skipped: list[Skipped]) -> _Diff:
        """What the corpus changed since the index's generation: the documents to write (new,
        changed, or a touched file's new size and mtime) and the ids to delete."""
        by_file: dict[str, dict[str, FileState]] = {}
        for doc_id, (file_path, state) in self.engine.indexed(self.index_dir, pointer.generation).items():
            by_file.setdefault(file_path, {})[doc_id] = state
        diff = _Diff()
        total_bytes = sum(file.size for file in files)
        done_bytes = 0
        for file in files:
            previous = by_file.pop(file.rel_path, {})
            done_bytes += file.size
            if previous and self._fresh(file, previous):
                diff.unchanged += len(previous)
                continue
            self._report(done_bytes - file.size, total_bytes, file.rel_path)
            docs = list(self._documents(file, skipped))
            kept: list[IndexedDocument] = []
            for doc in docs:
                old = previous.pop(doc.doc_id, None)
                if old is None:
                    diff.added += 1
                    diff.changed_ids.add(doc.doc_id)
                elif (old.sha256, old.meta_sig) == (doc.state.sha256, doc.state.meta_sig):
                    diff.unchanged += 1
                    if doc.doc_id != doc.file:
                        # A record of a changed export that is itself unchanged: not rewritten.
                        kept.append(doc)
                        continue
                    # A touched single-document file: rewritten only to remember the new mtime.
                else:
                    diff.updated += 1
                    diff.changed_ids.add(doc.doc_id)
                diff.to_write.append(doc)
            if kept and len(kept) == len(docs):
                # Nothing of this file is written: one record carries the file's new size and
                # mtime, so that the next run sees the file as unchanged (see _fresh).
                diff.to_write.append(kept[0])
            diff.gone.extend(previous)  # documents the file no longer holds, or it became unusable
        for remaining in by_file.values():  # files no longer in the corpus
            diff.gone.extend(remaining)
        self._report(total_bytes, total_bytes, "")
        return diff

    def _commit(self, generation: str, diff: _Diff) -> int:
        """Write ``diff`` into ``generation``, commit, record the commit; the document count."""
        # Lucene's rule: verify what a merge may read before merging, or a damaged segment
        # would be copied into a new one with a fresh, valid checksum (~0.1 s per 100 MB).
        problems = self.home.verify(generation)[1]
        if problems:
            raise damaged(self.home.name, f"{problems[0].file} {problems[0].what}")
        try:
            writer: EngineWriter = self.engine.writer(self.index_dir, generation)
            try:
                for doc_id in diff.gone:
                    writer.delete(doc_id)
                for doc in diff.to_write:
                    writer.update(doc)
                count = writer.commit()
            except BaseException:
                _quietly(writer.cancel)
                raise
        except BaseException:
            # Whoosh commits in place: remove the files of the segment that was not
            # committed (readers use only the files of the last TOC).
            _quietly(lambda: self.home.discard_uncommitted(generation,
                                                           self.engine.files(self.index_dir, generation)[1]))
            raise
        commit, names = self.engine.files(self.index_dir, generation)
        fault_point("before-manifest")
        try:
            self.home.record_commit(generation, names, commit, count)
        except OSError as exc:
            # The update itself is committed (and searchable); only its record is not.
            message = str(write_error(self.home.name, exc)).replace(
                "the previous index is unchanged",
                "the update is committed, but its checksums are not recorded: run `searchkit index` again")
            raise IndexWriteError(message) from exc
        return count

    def _stories_beside(self, files: int) -> StoriesBeside | None:
        """The stories process of a full build of at least STORIES_BESIDE_MIN_FILES files
        (None: computed after the index, in this process)."""
        if files < STORIES_BESIDE_MIN_FILES:
            return None
        from .story_beside import StoriesBeside

        try:
            return StoriesBeside(str(self.index_dir))
        except OSError:  # no process to be had: the stories come after the index
            return None

    def _stories(self, generation: str, *, previous: str | None, full: bool = False,
                 changed: list[StoryInput] | None = None, removed: list[str] | None = None,
                 beside: StoriesBeside | None = None) -> tuple[str, ...]:
        """Update the generation's stories (a full build's from its stories process, when it
        has one); a failure there never costs the index, it is said."""
        from . import story_stage

        try:
            reader = self.engine.reader(self.index_dir, generation)
            try:
                story_of = None
                if beside is not None:
                    from .story_beside import StoriesBesideFailed

                    try:
                        story_of = story_stage.write_stored(self.home, generation, *beside.finish(reader.outlets()))
                    except StoriesBesideFailed:
                        story_of = None  # computed below, in this process
                if story_of is None:
                    story_of = story_stage.update(self.home, generation, reader, previous=previous, full=full,
                                                  changed=changed or (), removed=removed or ())
                self.engine.label_stories(self.index_dir, generation, story_of)
            finally:
                reader.close()
        except Exception as exc:  # noqa: BLE001 - the index is complete; stories are a later stage
            return (f"stories not updated ({type(exc).__name__}: {exc}); the next `searchkit index` retries",)
        finally:
            if beside is not None:
                _quietly(beside.close)
        return ()

    # -- helpers -----------------------------------------------------------------------------

    def _signature(self, doc_id: str, rel_path: str) -> str:
        """The signature of the user's entries that apply to a document: its file's, and
        (for a record) its own."""
        sig = self.meta_file.entry_signature(rel_path)
        formats = self.meta_file.fields_for(rel_path.rsplit("/", 1)[-1])
        if formats:  # a changed [formats.csv] (columns, date_format) reads the file again
            sig = f"{sig}+formats:{hashlib.sha256(repr(sorted(formats.items())).encode()).hexdigest()[:16]}"
        if doc_id != rel_path:
            own = self.meta_file.entry_signature(doc_id)
            if own and own != sig:
                sig = f"{sig}+{own}"
        return sig

    def _fresh(self, file: CorpusFile, previous: dict[str, FileState]) -> bool:
        """Whether a file's documents are up to date without reading it: the newest state
        among them has the file's size and mtime (the records of an export that an update
        left unchanged keep their older states), and no user entry for them changed."""
        newest = max(previous.values(), key=lambda s: s.mtime_ns)
        if (newest.size, newest.mtime_ns) != (file.size, file.mtime_ns):
            return False
        return all(s.meta_sig == self._signature(doc_id, file.rel_path) for doc_id, s in previous.items())

    def _documents(self, file: CorpusFile, skipped: list[Skipped]) -> Iterator[IndexedDocument]:
        """Read one file and yield its documents; a file or record that cannot be used is
        added to ``skipped`` instead."""
        from .ingest.article import RecordSkipped, content_hash
        from .ingest.infer import describe
        from .ingest.readers import Source, read_source

        try:
            raw = read_raw(file, max_bytes=self.max_bytes)
        except UnusableFile as exc:
            skipped.append(Skipped(file.rel_path, str(exc)))
            return
        sha256 = hashlib.sha256(raw).hexdigest()
        name = file.rel_path.rsplit("/", 1)[-1]
        records = []
        try:
            # Read the whole file before yielding: a file that fails halfway is skipped whole.
            records = list(read_source(Source(file.rel_path, name, raw, self.meta_file.fields_for(name))))
        except UnusableFile as exc:
            skipped.append(Skipped(file.rel_path, str(exc)))
            return
        except RecursionError:
            skipped.append(Skipped(file.rel_path, "too deeply nested to read"))
            return
        except MemoryError:
            skipped.append(Skipped(file.rel_path, "too large to read in memory"))
            return
        except Exception as exc:  # noqa: BLE001 - a library's bug on a hostile file must not end the run
            skipped.append(Skipped(file.rel_path, f"could not be read ({type(exc).__name__}: {str(exc)[:120]})"))
            return
        file_entry = self.meta_file.get(file.rel_path)
        seen: set[str] = set()
        said = 0  # warnings about this file's records
        del raw  # the records hold the text; the bytes of a 45 MB file need not wait for the writer
        for record in records:
            if isinstance(record, RecordSkipped):
                skipped.append(Skipped(make_doc_id(file.rel_path, record.key), record.reason))
                continue
            doc_id = make_doc_id(file.rel_path, record.key)
            if doc_id in seen:  # two attachments or records under one name: keep the first
                skipped.append(Skipped(doc_id, "a second document with this id in the file"))
                continue
            seen.add(doc_id)
            for warning in record.warnings:
                said += 1
                if said <= MAX_WARNINGS_PER_FILE:
                    self.read_warnings.append(f"{doc_id}: {warning}")
            entry = file_entry
            if record.key is not None:
                own = self.meta_file.get(doc_id)
                if own:
                    entry = {**(file_entry or {}), **own}
            meta = self.outlet_names.apply(describe(record, entry, self.meta_file.outlets))
            # A record's own content hash (an export's unchanged records are not rewritten);
            # the file's hash for a file that is one document.
            digest = sha256 if record.key is None else content_hash(record)
            state = FileState(file.size, file.mtime_ns, digest, self._signature(doc_id, file.rel_path), file.rel_path)
            yield IndexedDocument(doc_id, file.rel_path, record.text, meta, state)
        if said > MAX_WARNINGS_PER_FILE:
            self.read_warnings.append(f"{file.rel_path}: {said - MAX_WARNINGS_PER_FILE} more records with a date "
                                      "that could not be read, left undated as above")

    def _track_long_texts(self, writer: EngineWriter, total_bytes: int) -> None:
        """Within one long file, move the bar as the engine analyses its text (bytes done
        taken in proportion to characters done)."""
        if self.progress is None:
            return

        def report(done_chars: int, all_chars: int) -> None:
            base, size, name = self._current
            self._report(base + size * done_chars // max(all_chars, 1), total_bytes, name)

        writer.on_progress(report)

    _current: tuple[int, int, str] = (0, 0, "")

    def _report(self, done: int, total: int, current: str) -> None:
        if self.progress is not None:
            self.progress(done, total, current)
