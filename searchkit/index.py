"""The on-disk index: building it from a corpus, incrementally and safely, and opening it.

Layout of an index folder::

    searchkit.json      pointer: schema version, live Whoosh generation, corpus, times
    .searchkit.lock     flock held by the one indexer allowed at a time
    .metadata-cache.pickle   the corpus's parsed metadata.toml (a cache: safe to delete)
    .watched-paths.json      the corpus folders the last run walked (for freshness checks)
    _gen3_12.toc ...    Whoosh files of generation "gen3" (non-compound segments)

Whoosh commits are atomic per generation (a killed writer leaves the last TOC intact), but
creating an index deletes the old one first. So a full (re)build writes a *new* Whoosh index
name beside the old one and then replaces the pointer with ``os.replace``: until that moment
readers keep using the old generation, and a build killed halfway leaves only debris that the
next run removes.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
import pickle
import re
import struct
import sys
import time
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import corpus as corpus_mod
from .errors import (
    IndexDamagedError,
    IndexLockedError,
    IndexMissingError,
    SchemaMismatchError,
    SearchkitError,
)
from .models import ArticleMeta, BuildSummary, Skipped
from .schema import SCHEMA_VERSION, build_schema, date_of_day, day_number, outlet_key

POINTER_FILE = "searchkit.json"
LOCK_FILE = ".searchkit.lock"
#: The parsed metadata.toml of the last run, reused while the file is unchanged.
METADATA_CACHE_FILE = ".metadata-cache.pickle"
#: The corpus folders the last run walked, and metadata.toml: what a one-shot query stats to
#: tell whether the corpus changed (see searchkit.freshness).
WATCHED_PATHS_FILE = ".watched-paths.json"
POINTER_FORMAT = 1

#: Progress callback: (files done, files total).
ProgressFn = Callable[[int, int], None]

# What Whoosh raises on truncated, missing or garbled files (DESIGN pitfall 7).
DAMAGE_ERRORS = (EOFError, OSError, TypeError, ValueError, KeyError, AttributeError, IndexError,
                  pickle.UnpicklingError, struct.error)


@dataclass(frozen=True)
class Pointer:
    """Contents of ``searchkit.json``."""

    generation: str
    schema_version: int
    corpus: str | None
    built: str  # ISO timestamp of the last change to the index
    checked: str  # ISO timestamp of the last indexing run, changed or not
    #: The generation a full build replaced, kept on disk until the next run so that
    #: searchers still reading it (another process's) do not lose files under them.
    previous: str | None = None

    @property
    def built_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.built)

    @property
    def checked_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.checked)


@dataclass(frozen=True)
class FileState:
    """What incremental indexing remembers about an indexed file (kept in a Whoosh column)."""

    size: int
    mtime_ns: int
    sha256: str
    meta_sig: str

    def encode(self) -> bytes:
        return f"{self.size} {self.mtime_ns} {self.sha256} {self.meta_sig}".encode()

    @classmethod
    def decode(cls, raw: bytes) -> FileState:
        size, mtime, sha, sig = (raw.decode().split(" ") + ["", "", "", ""])[:4]
        return cls(int(size or -1), int(mtime or -1), sha, sig)


# --------------------------------------------------------------------------------------------
# Pointer and lock


def read_pointer(index_dir: Path) -> Pointer:
    path = Path(index_dir) / POINTER_FILE
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise IndexMissingError(
            f"no index at {index_dir}: build it with `searchkit index`"
        ) from None
    except OSError as exc:
        raise IndexDamagedError(f"cannot read index at {index_dir}: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw)
        if data.get("format") != POINTER_FORMAT:
            raise ValueError("unknown format")
        return Pointer(
            generation=str(data["generation"]),
            schema_version=int(data["schema_version"]),
            corpus=data.get("corpus"),
            built=str(data["built"]),
            checked=str(data.get("checked", data["built"])),
            previous=data.get("previous"),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        raise damaged(index_dir, f"{POINTER_FILE} is unreadable") from None


def _write_pointer(index_dir: Path, pointer: Pointer) -> None:
    data = {
        "format": POINTER_FORMAT,
        "generation": pointer.generation,
        "schema_version": pointer.schema_version,
        "corpus": pointer.corpus,
        "built": pointer.built,
        "checked": pointer.checked,
        "previous": pointer.previous,
    }
    tmp = Path(index_dir) / f".{POINTER_FILE}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, Path(index_dir) / POINTER_FILE)
    _fsync_dir(index_dir)


def _write_watched_paths(index_dir: Path, paths: list[str]) -> None:
    """Record ``paths`` (atomically; left alone when unchanged, as on a no-op run)."""
    path = Path(index_dir) / WATCHED_PATHS_FILE
    data = json.dumps(paths)  # ASCII: file names that are not UTF-8 survive as escapes
    try:
        if path.read_text(encoding="utf-8") == data:
            return
    except (OSError, ValueError):
        pass
    tmp = Path(index_dir) / f".{WATCHED_PATHS_FILE}.{os.getpid()}.tmp"
    tmp.write_text(data, encoding="utf-8")
    os.replace(tmp, path)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class IndexLock:
    """Exclusive lock on an index folder for one indexing run (released even on SIGKILL)."""

    def __init__(self, index_dir: Path) -> None:
        self.path = Path(index_dir) / LOCK_FILE
        self._fd: int | None = None

    def __enter__(self) -> IndexLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                os.close(fd)
                raise
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip()
            os.close(fd)
            who = f" (pid {holder})" if holder.isdigit() else ""
            raise IndexLockedError(
                f"another `searchkit index`{who} is updating {self.path.parent}; "
                "wait for it to finish and try again"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing releases the flock
            self._fd = None


# --------------------------------------------------------------------------------------------
# Opening


def damaged(index_dir: Path, what: str) -> IndexDamagedError:
    return IndexDamagedError(
        f"index at {index_dir} is damaged ({what}): rebuild it with `searchkit index --rebuild`"
    )


def open_whoosh(index_dir: Path, pointer: Pointer | None = None):  # type: ignore[no-untyped-def]
    """Open the live Whoosh index of ``index_dir``; return (whoosh index, pointer)."""
    from whoosh import index as whoosh_index

    index_dir = Path(index_dir)
    if pointer is None:
        pointer = read_pointer(index_dir)
    if pointer.schema_version != SCHEMA_VERSION:
        raise SchemaMismatchError(
            f"index at {index_dir} was built by another version of searchkit "
            f"(schema {pointer.schema_version}, this version uses {SCHEMA_VERSION}): "
            "rebuild it with `searchkit index --rebuild`"
        )
    try:
        ix = whoosh_index.open_dir(str(index_dir), indexname=pointer.generation)
        # Touch the TOC's segments so that truncated or missing files show up here.
        with ix.reader() as reader:
            reader.doc_count()
    except whoosh_index.EmptyIndexError:
        raise damaged(index_dir, "its table of contents is missing") from None
    except DAMAGE_ERRORS as exc:
        raise damaged(index_dir, f"{type(exc).__name__}: {exc}") from None
    return ix, pointer


# --------------------------------------------------------------------------------------------
# Building


def build(
    corpus_dir: Path,
    index_dir: Path,
    *,
    rebuild: bool = False,
    max_bytes: int = corpus_mod.DEFAULT_MAX_BYTES,
    progress: ProgressFn | None = None,
    procs: int = 1,
) -> BuildSummary:
    """Create or update the index of ``corpus_dir`` in ``index_dir``; see :func:`searchkit.build_index`."""
    started = time.perf_counter()
    # Taken before reading anything: a file edited during this run is newer than it.
    run_started = _now()
    corpus_dir = Path(corpus_dir)
    index_dir = Path(index_dir)
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SearchkitError(f"cannot create index folder {index_dir}: {exc.strerror or exc}") from None

    from . import metadata as metadata_mod  # inference patterns: only indexing pays for them

    with IndexLock(index_dir):
        # Read everything that can fail on user input before writing anything.
        meta_file = metadata_mod.load_metadata(corpus_dir, cache=index_dir / METADATA_CACHE_FILE)
        files: list[corpus_mod.CorpusFile] = []
        skipped: list[Skipped] = []
        folders: list[str] = []
        for item in corpus_mod.walk(corpus_dir, folders=folders):
            (skipped if isinstance(item, Skipped) else files).append(item)  # type: ignore[arg-type]
        metadata_mod.check_paths(meta_file, {f.rel_path for f in files})
        # Before the pointer: a run that dies after this leaves a list no less watchful.
        _write_watched_paths(index_dir, folders + ([metadata_mod.METADATA_FILENAME] if meta_file.path else []))

        try:
            live: Pointer | None = read_pointer(index_dir)
        except IndexMissingError:
            live = None
        except IndexDamagedError:
            if not rebuild:
                raise
            live = None
        if live is not None and not rebuild:
            open_whoosh(index_dir, live)  # schema mismatch / damage: ask for --rebuild

        run = _BuildRun(corpus_dir, index_dir, meta_file, max_bytes, progress, run_started)
        if live is None or rebuild:
            summary = run.full_build(files, skipped, procs=procs, replaces=live.generation if live else None)
        else:
            summary = run.incremental(live, files, skipped)
    return BuildSummary(**{**summary.__dict__, "elapsed": time.perf_counter() - started})


class _BuildRun:
    """State of one indexing run (keeps the long argument lists in one place)."""

    def __init__(self, corpus_dir: Path, index_dir: Path, meta_file, max_bytes: int,  # type: ignore[no-untyped-def]
                 progress: ProgressFn | None, run_started: str) -> None:
        self.run_started = run_started
        self.corpus_dir = corpus_dir.resolve()  # recorded in the pointer, so it works from anywhere
        self.index_dir = index_dir
        self.meta_file = meta_file
        self.max_bytes = max_bytes
        self.progress = progress

    # -- full build into a fresh generation, swapped in at the end ---------------------------

    def full_build(self, files: list[corpus_mod.CorpusFile], skipped: list[Skipped], *, procs: int,
                   replaces: str | None) -> BuildSummary:
        from whoosh import index as whoosh_index

        from .bulkwriter import BulkSegmentWriter  # only builds pay for importing Whoosh's writer

        generation = _new_generation_name(self.index_dir)
        ix = whoosh_index.create_in(str(self.index_dir), build_schema(), indexname=generation)
        added = 0
        if procs > 1 and len(files) > 2000:
            writer = ix.writer(procs=procs, multisegment=True, limitmb=256, compound=False)
        else:
            writer = BulkSegmentWriter(ix, limitmb=256, compound=False)
        try:
            for done, file in enumerate(files, 1):
                doc, _ = self._document_fields(file, skipped)
                if doc is not None:
                    writer.add_document(**doc)
                    added += 1
                self._report(done, len(files))
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        # A failing worker of the multiprocess writer drops documents silently (pitfall 2).
        with ix.reader() as reader:
            count = reader.doc_count()
        if count != added:
            raise SearchkitError(
                f"index build lost documents ({count} indexed of {added}); the previous index "
                "is unchanged: run `searchkit index --rebuild` again"
            )
        _write_pointer(self.index_dir, Pointer(generation, SCHEMA_VERSION, str(self.corpus_dir), _now(),
                                               self.run_started, previous=replaces))
        _remove_other_generations(self.index_dir, keep={generation, replaces})
        return BuildSummary(added=added, skipped=tuple(skipped), documents=count, rebuilt=True)

    # -- incremental update of the live generation ------------------------------------------

    def incremental(self, pointer: Pointer, files: list[corpus_mod.CorpusFile], skipped: list[Skipped]) -> BuildSummary:
        ix, _ = open_whoosh(self.index_dir, pointer)
        indexed = _indexed_states(ix)
        added = updated = unchanged = 0
        to_write: list[dict] = []
        gone: list[str] = []
        for done, file in enumerate(files, 1):
            previous = indexed.pop(file.rel_path, None)
            sig = self.meta_file.entry_signature(file.rel_path)
            if previous is not None and (previous.size, previous.mtime_ns, previous.meta_sig) == (
                file.size, file.mtime_ns, sig
            ):
                unchanged += 1
                self._report(done, len(files))
                continue
            doc, sha256 = self._document_fields(file, skipped)
            self._report(done, len(files))
            if doc is None:
                if previous is not None:
                    gone.append(file.rel_path)  # became empty or unreadable: no longer indexed
                continue
            if previous is None:
                added += 1
            elif previous.sha256 == sha256 and previous.meta_sig == sig:
                unchanged += 1  # touched but identical: rewrite only to remember the new mtime
            else:
                updated += 1
            to_write.append(doc)
        gone.extend(indexed)  # indexed files no longer in the corpus

        built = pointer.built
        if to_write or gone:
            writer = ix.writer(limitmb=256, compound=False)
            try:
                for rel_path in gone:
                    writer.delete_by_term("doc_id", rel_path)
                for doc in to_write:
                    writer.update_document(**doc)
                writer.commit(mergetype=_drop_empty_then_merge_small)
            except BaseException:
                writer.cancel()
                raise
            built = _now()
        with ix.reader() as reader:
            count = reader.doc_count()
        _write_pointer(self.index_dir, Pointer(pointer.generation, SCHEMA_VERSION, str(self.corpus_dir), built, self.run_started))
        _remove_other_generations(self.index_dir, keep={pointer.generation})
        return BuildSummary(added=added, updated=updated, removed=len(gone), unchanged=unchanged,
                            skipped=tuple(skipped), documents=count)

    # -- helpers -----------------------------------------------------------------------------

    def _document_fields(self, file: corpus_mod.CorpusFile, skipped: list[Skipped]) -> tuple[dict | None, str]:
        """Read one file; return its Whoosh fields and content hash, or (None, "") if skipped."""
        try:
            article = corpus_mod.read_article(file, max_bytes=self.max_bytes)
        except corpus_mod.UnusableFile as exc:
            skipped.append(Skipped(file.rel_path, str(exc)))
            return None, ""
        from . import metadata as metadata_mod

        meta = metadata_mod.merge(metadata_mod.infer(article.text), self.meta_file.entries.get(file.rel_path))
        state = FileState(file.size, file.mtime_ns, article.sha256, self.meta_file.entry_signature(file.rel_path))
        return document_fields(file.rel_path, article.text, meta, state), article.sha256

    def _report(self, done: int, total: int) -> None:
        if self.progress is not None and (done == total or done % 64 == 0):
            self.progress(done, total)


def document_fields(rel_path: str, text: str, meta: ArticleMeta, state: FileState) -> dict:
    """The Whoosh fields of one article (the one place that maps our model onto the schema)."""
    fields: dict = {
        "doc_id": rel_path,
        "title": meta.title or "",
        "body": text,
        "day": day_number(meta.date),
        "date": meta.date.isoformat() if meta.date else None,
        "url": meta.url,
        "title_source": meta.title_source,
        "outlet_source": meta.outlet_source,
        "date_source": meta.date_source,
        "state": state.encode(),
    }
    if meta.outlet:
        fields["outlet"] = meta.outlet
        fields["outlet_key"] = outlet_key(meta.outlet)
        fields["outlet_text"] = meta.outlet
    return fields


def _drop_empty_then_merge_small(writer, segments):  # type: ignore[no-untyped-def]
    """Whoosh's merge policy, except that segments whose documents were all deleted or
    replaced are dropped: Whoosh keeps them, and every query then walks their postings
    (queries on an index after three 1% update rounds ran 1.4x slower for it)."""
    from whoosh.writing import MERGE_SMALL

    return MERGE_SMALL(writer, [segment for segment in segments if segment.doc_count() > 0])


def column_values(reader, *fieldnames: str) -> Iterator[tuple]:  # type: ignore[no-untyped-def]
    """Yield a tuple of column values for every live document.

    Reads segment by segment: Whoosh's multi-segment column reader misaligns documents when
    a segment has no column for a field (no document in it had a value), while a segment's
    own reader fills in the default. Each column is read front to back (faster than looking
    values up by document number), and the rows of deleted documents are dropped.
    """
    for leaf, _offset in reader.leaf_readers():
        if not leaf.doc_count():
            continue
        rows = zip(*(column_list(leaf, name) for name in fieldnames))
        if not leaf.has_deletions():
            yield from rows
            continue
        for docnum, row in enumerate(rows):
            if not leaf.is_deleted(docnum):
                yield row


def column_list(reader, fieldname: str) -> list:  # type: ignore[no-untyped-def,type-arg]
    """Every document's value of a segment's column, as ``list(reader.column_reader(...))``
    gives them, but read in one piece for Whoosh's reference and numeric columns (Whoosh
    fetches and unpacks one document at a time: 270 ms for 200,000 articles' outlets and
    days) and translated once per distinct value."""
    from whoosh.columns import NumericColumn, RefBytesColumn, VarBytesColumn

    column = reader.column_reader(fieldname)
    raw = column.raw_column() if hasattr(column, "raw_column") else column
    translate = getattr(column, "_translate", None) or (lambda v: v)
    count = reader.doc_count_all()
    if type(raw) is RefBytesColumn.Reader:
        refs = _big_endian_array(raw._typecode, raw._dbfile.get(raw._basepos, count * raw._itemsize))
        values = [translate(u) for u in raw._uniques]
        return [values[r] for r in refs]
    if type(raw) is NumericColumn.Reader:
        stored = min(raw._count, count)
        numbers = _big_endian_array(raw._typecode, raw._dbfile.get(raw._basepos, stored * raw._fixedlen))
        memo: dict = {}  # type: ignore[type-arg]
        out = [memo[v] if v in memo else memo.setdefault(v, translate(v)) for v in numbers]
        return out + [translate(raw._default)] * (count - stored)
    if type(raw) is VarBytesColumn.Reader and raw._doccount == count and count:
        offsets, lengths = raw._offsets, raw._lengths
        data = raw._dbfile.get(raw._basepos, offsets[-1] + lengths[-1])
        memo = {}
        out = []
        for start, length in zip(offsets, lengths):
            value = data[start : start + length]
            out.append(memo[value] if value in memo else memo.setdefault(value, translate(value)))
        return out
    return list(column)


def _big_endian_array(typecode: str, data: bytes) -> array:  # type: ignore[type-arg]
    values = array(typecode)
    if values.itemsize != struct.calcsize(typecode):
        return array(typecode, struct.unpack(f"!{len(data) // struct.calcsize(typecode)}{typecode}", data))
    values.frombytes(data)
    if sys.byteorder == "little":
        values.byteswap()
    return values


def count_documents(searcher) -> dict:  # type: ignore[no-untyped-def]
    """Documents, per-outlet counts, date range and undated count (IndexStats fields)."""
    reader = searcher.reader()
    outlets: dict[str, int] = {}
    first = last = None
    undated = 0
    for name, day in column_values(reader, "outlet", "day"):
        if name:
            outlets[name] = outlets.get(name, 0) + 1
        if not day:
            undated += 1
            continue
        first = day if first is None else min(first, day)
        last = day if last is None else max(last, day)
    return {
        "documents": reader.doc_count(),
        "outlets": dict(sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))),
        "first_date": date_of_day(first),
        "last_date": date_of_day(last),
        "undated": undated,
    }


def stored_document(searcher, doc_id: str) -> tuple[str, ArticleMeta, FileState] | None:  # type: ignore[no-untyped-def]
    """The stored text, metadata and file state of one document, or None."""
    docnum = searcher.document_number(doc_id=doc_id)
    if docnum is None:
        return None
    stored = searcher.stored_fields(docnum)
    state = None
    for leaf, offset in searcher.reader().leaf_readers():
        if offset <= docnum < offset + leaf.doc_count_all():
            state = FileState.decode(leaf.column_reader("state")[docnum - offset])
    if state is None:
        return None
    meta = ArticleMeta(
        title=stored.get("title") or None,
        title_source=stored.get("title_source", ""),
        outlet=stored.get("outlet") or None,
        outlet_source=stored.get("outlet_source", ""),
        date=dt.date.fromisoformat(stored["date"]) if stored.get("date") else None,
        date_source=stored.get("date_source", ""),
        url=stored.get("url"),
    )
    return stored.get("body", ""), meta, state


def outlet_names(searcher) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(t.decode("utf-8") if isinstance(t, bytes) else t for t in searcher.reader().lexicon("outlet"))


def _indexed_states(ix) -> dict[str, FileState]:  # type: ignore[no-untyped-def]
    """doc_id -> FileState for every live document, read from columns (no stored text)."""
    with ix.reader() as reader:
        return {doc_id: FileState.decode(state) for doc_id, state in column_values(reader, "doc_id", "state")}


_GENERATION_FILE = re.compile(r"^_?(gen(\d+))[_.]")


def _new_generation_name(index_dir: Path) -> str:
    """A Whoosh index name not used by any file in the folder (live, old or debris)."""
    taken = [int(m.group(2)) for name in os.listdir(index_dir) if (m := _GENERATION_FILE.match(name))]
    return f"gen{max(taken, default=0) + 1}"


def _remove_other_generations(index_dir: Path, keep: set[str | None]) -> None:
    """Delete the files of replaced or abandoned generations other than ``keep``."""
    for name in os.listdir(index_dir):
        match = _GENERATION_FILE.match(name)
        if match and match.group(1) not in keep:
            try:
                os.remove(Path(index_dir) / name)
            except OSError:
                pass


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")

