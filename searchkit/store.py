"""The index folder, engine aside: the pointer, the lock, generations and watched paths.

Layout of an index folder::

    searchkit.json      pointer: schema version, live generation, corpus, times
    .searchkit.lock     flock held by the one indexer allowed at a time
    .metadata-cache.pickle   the corpus's parsed metadata.toml (a cache: safe to delete)
    .watched-paths.json      the corpus folders the last run walked (for freshness checks)
    _gen3_12.toc ...    the engine's files of generation "gen3"

A full (re)build writes a *new* generation beside the old one and then replaces the pointer
with ``os.replace``: until that moment readers keep using the old generation, and a build
killed halfway leaves only debris that the next run removes. Nothing here imports the engine.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

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
    tmp = Path(index_dir) / f".{POINTER_FILE}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, Path(index_dir) / POINTER_FILE)
    fsync_dir(index_dir)


def write_watched_paths(index_dir: Path, paths: list[str]) -> None:
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


def fsync_dir(folder: Path) -> None:
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


def damaged(index_dir: Path, what: str) -> IndexDamagedError:
    return IndexDamagedError(
        f"index at {index_dir} is damaged ({what}): rebuild it with `searchkit index --rebuild`"
    )


_GENERATION_FILE = re.compile(r"^_?(gen(\d+))[_.]")


def new_generation_name(index_dir: Path) -> str:
    """A Whoosh index name not used by any file in the folder (live, old or debris)."""
    taken = [int(m.group(2)) for name in os.listdir(index_dir) if (m := _GENERATION_FILE.match(name))]
    return f"gen{max(taken, default=0) + 1}"


def remove_other_generations(index_dir: Path, keep: set[str | None]) -> None:
    """Delete the files of replaced or abandoned generations other than ``keep``."""
    for name in os.listdir(index_dir):
        match = _GENERATION_FILE.match(name)
        if match and match.group(1) not in keep:
            try:
                os.remove(Path(index_dir) / name)
            except OSError:
                pass


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")

