"""The index folder, engine aside: the pointer, the lock, generations and watched paths.

Layout of an index folder::

    searchkit.json      pointer: schema version, live generation, corpus, times
    gen3.manifest.json  size and xxh3 checksum of every file of generation "gen3" at its
                        last commit, and its document count (see :func:`record_commit`)
    .searchkit.lock     flock held by the one indexer allowed at a time
    .gen3.lease         shared flock held by every reader of generation "gen3"
    .metadata-cache.pickle   the corpus's parsed metadata.toml (a cache: safe to delete)
    .watched-paths.json      the corpus folders the last run walked (for freshness checks)
    _gen3_12.toc ...    the engine's files of generation "gen3"

A full (re)build writes a *new* generation beside the old one and then replaces the pointer
with ``os.replace``: until that moment readers keep using the old generation, and a build
killed halfway leaves only debris that the next run removes. A replaced generation is deleted
as soon as no reader holds its lease (:func:`collect_garbage`). Commits follow Lucene's order:
every new file is fsynced, then the folder, then the manifest and the pointer. Nothing here
imports the engine.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import fsync_dir, fsync_file, write_atomically
from .errors import IndexDamagedError, IndexLockedError, IndexMissingError

POINTER_FILE = "searchkit.json"
LOCK_FILE = ".searchkit.lock"
#: The parsed metadata.toml of the last run, reused while the file is unchanged.
METADATA_CACHE_FILE = ".metadata-cache.pickle"
#: The corpus folders the last run walked, and metadata.toml: what a one-shot query stats to
#: tell whether the corpus changed (see searchkit.freshness).
WATCHED_PATHS_FILE = ".watched-paths.json"
POINTER_FORMAT = 1


@dataclass(frozen=True)
class Pointer:
    """Contents of ``searchkit.json``."""

    generation: str
    schema_version: int
    corpus: str | None
    built: str  # ISO timestamp of the last change to the index
    checked: str  # ISO timestamp of the last indexing run, changed or not
    #: Written by earlier versions (the replaced generation, kept until the next run); no
    #: longer used: a replaced generation is kept exactly while a reader holds its lease.
    previous: str | None = None

    @property
    def built_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.built)

    @property
    def checked_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.checked)


@dataclass(frozen=True)
class FileState:
    """What incremental indexing remembers about a document's file (kept beside each
    document by the engine): the file's size, mtime and content hash, the signature of its
    metadata entry, and the file's path (a file may hold several documents)."""

    size: int
    mtime_ns: int
    sha256: str
    meta_sig: str
    file: str

    def encode(self) -> bytes:
        return f"{self.size} {self.mtime_ns} {self.sha256} {self.meta_sig} {self.file}".encode()

    @classmethod
    def decode(cls, raw: bytes) -> FileState:
        size, mtime, sha, sig, file = (raw.decode().split(" ", 4) + ["", "", "", "", ""])[:5]
        return cls(int(size or -1), int(mtime or -1), sha, sig, file)


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


def write_pointer(index_dir: Path, pointer: Pointer) -> None:
    data = {
        "format": POINTER_FORMAT,
        "generation": pointer.generation,
        "schema_version": pointer.schema_version,
        "corpus": pointer.corpus,
        "built": pointer.built,
        "checked": pointer.checked,
        "previous": pointer.previous,
    }
    write_atomically(Path(index_dir) / POINTER_FILE, json.dumps(data, indent=1))


def write_watched_paths(index_dir: Path, paths: list[str]) -> None:
    """Record ``paths`` (atomically; left alone when unchanged, as on a no-op run)."""
    path = Path(index_dir) / WATCHED_PATHS_FILE
    data = json.dumps(paths)  # ASCII: file names that are not UTF-8 survive as escapes
    try:
        if path.read_text(encoding="utf-8") == data:
            return
    except (OSError, ValueError):
        pass
    write_atomically(path, data)


class IndexLock:
    """Exclusive lock on an index folder for one indexing run (released even on SIGKILL)."""

    def __init__(self, index_dir: Path, *, wait: float = 1.0) -> None:
        self.path = Path(index_dir) / LOCK_FILE
        self._fd: int | None = None
        #: Seconds to wait for the lock: a reader collecting garbage holds it for a moment.
        self._wait = wait

    def __enter__(self) -> IndexLock:
        import time

        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self._wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    os.close(fd)
                    raise
                if time.monotonic() < deadline:
                    time.sleep(0.02)
                    continue
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


def indexing_pid(index_dir: Path) -> int | None:
    """The process id of a `searchkit index` run updating the index now, or None.

    A run writes its pid into the lock file it holds; a killed run's pid stays in the file
    but its lock is gone, which a non-blocking shared lock attempt tells apart."""
    try:
        fd = os.open(Path(index_dir) / LOCK_FILE, os.O_RDONLY)
    except OSError:
        return None
    try:
        holder = os.pread(fd, 64, 0).decode(errors="replace").strip()
        if not holder.isdigit():
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return int(holder)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def damaged(index_dir: Path | str, what: str) -> IndexDamagedError:
    return IndexDamagedError(
        f"index at {index_dir} is damaged ({what}): run `searchkit check`, then `searchkit index --rebuild`"
    )


_GENERATION_FILE = re.compile(r"^[_.]?(gen(\d+))[_.]")


def new_generation_name(index_dir: Path) -> str:
    """A Whoosh index name not used by any file in the folder (live, old or debris)."""
    taken = [int(m.group(2)) for name in os.listdir(index_dir) if (m := _GENERATION_FILE.match(name))]
    return f"gen{max(taken, default=0) + 1}"


def remove_other_generations(index_dir: Path, keep: set[str | None]) -> None:
    """Delete the files of generations other than ``keep`` that no reader holds (the caller
    holds the index lock)."""
    _collect(Path(index_dir), {g for g in keep if g}, may_remove_newer=True)


#: Files a later stage keeps beside a generation (its stories: see searchkit.story_stage);
#: they live and go with the generation, but no engine commit lists them.
SIDE_FILE_SUFFIXES = (".stories", ".storymap", ".outlets")


def discard_uncommitted(index_dir: Path, generation: str, committed: list[str]) -> None:
    """After a failed in-place commit: delete the generation's files that its last commit
    does not use (the caller holds the index lock; readers use only committed files)."""
    keep = set(committed) | {manifest_name(generation), _lease_name(generation), f"{generation}_WRITELOCK"}
    keep |= {f"{generation}{suffix}" for suffix in SIDE_FILE_SUFFIXES}
    for name in _generations(Path(index_dir)).get(generation, []):
        if name not in keep:
            target = Path(index_dir) / name
            try:
                if target.is_dir() and not target.is_symlink():
                    shutil.rmtree(target, ignore_errors=True)
                else:
                    os.remove(target)
            except OSError:
                pass


def collect_garbage(index_dir: Path) -> None:
    """Delete replaced generations that no reader holds any more, and, when no indexer is
    running, the debris of killed runs. Cheap (one folder listing); called when a reader
    lets go of a generation and at the end of every indexing run."""
    index_dir = Path(index_dir)
    try:
        live = read_pointer(index_dir).generation
    except Exception:  # noqa: BLE001 - no index, or one being repaired: nothing to collect
        return
    groups = _generations(index_dir)
    if not any(g != live for g in groups):
        return
    live_number = _number(live)
    if any(_number(g) > live_number for g in groups if g != live):
        # Newer than the live one: debris of a killed build, or a build running now.
        try:
            with IndexLock(index_dir, wait=0.0):
                _collect(index_dir, {live}, may_remove_newer=True)
            return
        except (IndexLockedError, OSError):
            pass
    _collect(index_dir, {live}, may_remove_newer=False)


def _number(generation: str) -> int:
    return int(generation[3:]) if generation[3:].isdigit() else 0


def _generations(index_dir: Path) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    try:
        names = os.listdir(index_dir)
    except OSError:
        return groups
    for name in names:
        match = _GENERATION_FILE.match(name)
        if match:
            groups.setdefault(match.group(1), []).append(name)
    return groups


def _collect(index_dir: Path, keep: set[str], *, may_remove_newer: bool) -> None:
    newest_kept = max((_number(g) for g in keep), default=0)
    for generation, names in _generations(index_dir).items():
        if generation in keep or (not may_remove_newer and _number(generation) > newest_kept):
            continue
        lease_path = index_dir / _lease_name(generation)
        try:
            fd = os.open(lease_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            continue  # a read-only folder: nothing can be removed anyway
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a reader still uses it: the last one out removes it
            for name in names:
                if name == lease_path.name:
                    continue
                target = index_dir / name
                try:
                    if target.is_dir() and not target.is_symlink():
                        shutil.rmtree(target, ignore_errors=True)  # Whoosh's "genN.tmp" folder
                    else:
                        os.remove(target)
                except OSError:
                    pass
            try:
                os.remove(lease_path)
            except OSError:
                pass
        finally:
            os.close(fd)


def _lease_name(generation: str) -> str:
    return f".{generation}.lease"


class ReaderLease:
    """A shared flock on a generation's lease file, held while a reader has it open, so
    that :func:`collect_garbage` does not delete files under it. Released on close (and by
    the kernel when the process dies). In a folder the reader may not write to, no lease is
    taken (nothing can delete files there that this process could not either)."""

    def __init__(self, index_dir: Path, generation: str) -> None:
        self._fd: int | None = None
        try:
            fd = os.open(Path(index_dir) / _lease_name(generation), os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)  # being deleted right now: the caller finds its files gone and retries
            return
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


# --------------------------------------------------------------------------------------------
# The manifest: size and checksum of every file of a commit

MANIFEST_FORMAT = 1
CHECKSUM = "xxh3_64"


def manifest_name(generation: str) -> str:
    return f"{generation}.manifest.json"


@dataclass(frozen=True)
class FileRecord:
    size: int
    checksum: str


@dataclass(frozen=True)
class Manifest:
    """What a commit wrote: its files with their sizes and checksums, and the documents."""

    generation: str
    #: The engine's name for the commit (Whoosh: its TOC file), one of ``files``.
    commit: str
    documents: int
    files: dict[str, FileRecord] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an index, found from its files."""

    file: str
    what: str


def checksum(path: Path) -> str:
    import xxhash

    digest = xxhash.xxh3_64()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest(index_dir: Path, generation: str) -> Manifest | None:
    """The generation's manifest, or None for an index written before manifests (or a
    manifest that cannot be read: then nothing is checked rather than everything damned)."""
    try:
        data = json.loads((Path(index_dir) / manifest_name(generation)).read_text(encoding="utf-8"))
        if data.get("format") != MANIFEST_FORMAT or data.get("checksum") != CHECKSUM:
            return None
        files = {str(name): FileRecord(int(rec["size"]), str(rec["checksum"]))
                 for name, rec in data["files"].items()}
        return Manifest(str(data["generation"]), str(data["commit"]), int(data["documents"]), files)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def record_commit(index_dir: Path, generation: str, files: list[str], commit: str, documents: int) -> Manifest:
    """Make a commit durable and record it: fsync every new file, then the folder, then
    write the manifest (atomically, fsynced). Files already recorded with the same size are
    not read again (the engine never rewrites a file in place), so an incremental commit
    costs the new files only."""
    index_dir = Path(index_dir)
    before = read_manifest(index_dir, generation)
    known = before.files if before else {}
    records: dict[str, FileRecord] = {}
    for name in files:
        path = index_dir / name
        size = os.stat(path).st_size
        old = known.get(name)
        if old is not None and old.size == size:
            records[name] = old
            continue
        fsync_file(path)
        records[name] = FileRecord(size, checksum(path))
    fsync_dir(index_dir)
    manifest = Manifest(generation, commit, documents, records)
    data = {"format": MANIFEST_FORMAT, "generation": generation, "commit": commit, "documents": documents,
            "checksum": CHECKSUM,
            "files": {n: {"size": r.size, "checksum": r.checksum} for n, r in sorted(records.items())}}
    write_atomically(index_dir / manifest_name(generation), json.dumps(data, indent=1))
    return manifest


def verify_sizes(index_dir: Path, generation: str) -> None:
    """Raise IndexDamagedError naming the first file whose size is not the one recorded at
    its commit (a few stats: done at every open). An index without a manifest passes."""
    manifest = read_manifest(index_dir, generation)
    if manifest is None:
        return
    for problem in _size_problems(Path(index_dir), manifest):
        raise damaged(index_dir, f"{problem.file} {problem.what}")


def _size_problems(index_dir: Path, manifest: Manifest) -> list[Problem]:
    # A manifest whose commit file is gone is behind the files (a commit in flight, or
    # one killed between the engine's commit and the manifest): files merged away since are
    # not missing, but a file still there must still have its size.
    current = (index_dir / manifest.commit).exists()
    problems = []
    for name, record in sorted(manifest.files.items()):
        try:
            size = os.stat(index_dir / name).st_size
        except FileNotFoundError:
            if current:
                problems.append(Problem(name, "is missing"))
            continue
        if size != record.size:
            problems.append(Problem(name, f"is {size} bytes, {record.size} were written"))
    return problems


def verify(index_dir: Path, generation: str) -> tuple[Manifest | None, list[Problem]]:
    """Every file of the generation's last recorded commit: present, of its size, of its
    checksum. Returns the manifest (None: the index has no checksums) and the problems."""
    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir, generation)
    if manifest is None:
        if (index_dir / manifest_name(generation)).exists():
            return None, [Problem(manifest_name(generation), "is unreadable (the record of the checksums)")]
        return None, []
    problems = _size_problems(index_dir, manifest)
    bad = {p.file for p in problems}
    for name, record in sorted(manifest.files.items()):
        if name in bad:
            continue
        try:
            if checksum(index_dir / name) != record.checksum:
                problems.append(Problem(name, "does not match its checksum (its bytes changed)"))
        except FileNotFoundError:
            continue
        except OSError as exc:
            problems.append(Problem(name, f"cannot be read ({exc.strerror or exc})"))
    return manifest, problems


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")



class FileHome:
    """An index in a folder: :class:`searchkit.engine.base.Home` over this module's files."""

    checksums = True

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.name: Path | str = self.folder

    def read_pointer(self) -> Pointer:
        return read_pointer(self.folder)

    def write_pointer(self, pointer: Pointer) -> None:
        write_pointer(self.folder, pointer)

    def lock(self) -> IndexLock:
        return IndexLock(self.folder)

    def lease(self, generation: str) -> ReaderLease:
        return ReaderLease(self.folder, generation)

    def new_generation_name(self) -> str:
        return new_generation_name(self.folder)

    def remove_other_generations(self, keep: set[str | None]) -> None:
        remove_other_generations(self.folder, keep)

    def collect_garbage(self) -> None:
        collect_garbage(self.folder)

    def verify_sizes(self, generation: str) -> None:
        verify_sizes(self.folder, generation)

    def verify(self, generation: str) -> tuple[Manifest | None, list[Problem]]:
        return verify(self.folder, generation)

    def read_manifest(self, generation: str) -> Manifest | None:
        return read_manifest(self.folder, generation)

    def record_commit(self, generation: str, files: list[str], commit: str, documents: int) -> None:
        record_commit(self.folder, generation, files, commit, documents)

    def discard_uncommitted(self, generation: str, committed: list[str]) -> None:
        discard_uncommitted(self.folder, generation, committed)

    def _side(self, generation: str, suffix: str) -> Path:
        assert suffix in SIDE_FILE_SUFFIXES, suffix  # the generation's clean-up must know them
        return self.folder / f"{generation}{suffix}"

    def read_side(self, generation: str, suffix: str) -> bytes | None:
        try:
            return self._side(generation, suffix).read_bytes()
        except OSError:
            return None

    def has_side(self, generation: str, suffix: str) -> bool:
        return self._side(generation, suffix).exists()

    def write_side(self, generation: str, suffix: str, data: bytes) -> None:
        write_atomically(self._side(generation, suffix), data)

    def indexing(self) -> bool:
        return indexing_pid(self.folder) is not None

    def health(self) -> list[str]:
        return []
