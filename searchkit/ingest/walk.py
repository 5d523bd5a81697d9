"""Walking a corpus folder: which files are documents for one of the readers.

Walking is separate from reading so that incremental indexing can compare a file's size and
mtime with the index before paying for a read. Nothing here raises for a bad file: a file that
cannot be used becomes a :class:`~searchkit.models.Skipped` with a reason the user can act on.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusError
from ..models import Skipped
from .readers import is_readable_name, suffix_of


@dataclass(frozen=True, slots=True)
class CorpusFile:
    """A candidate article found by :func:`walk`, not yet read."""

    rel_path: str  # relative to the corpus root, "/"-separated
    path: str | os.PathLike[str]  # where to open it (walk gives a plain string)
    size: int
    mtime_ns: int


def walk(root: Path, *, folders: list[str] | None = None,
         unsupported: dict[str, int] | None = None) -> Iterator[CorpusFile | Skipped]:
    """Yield the corpus's readable files in a stable order, and the ones skipped on the way.

    Follows symbolic links but never enters a directory twice (a link loop is reported, not
    followed forever). Hidden files and folders (".git", ".DS_Store") are ignored silently.
    Each folder entered is appended to ``folders`` (relative to ``root``; "" for the root);
    files of types no reader takes are counted in ``unsupported`` by lower-cased suffix.
    """
    root = Path(root)
    try:
        root_stat = root.stat()
    except OSError as exc:
        raise CorpusError(f"cannot read corpus folder {root}: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(root_stat.st_mode):
        raise CorpusError(f"corpus {root} is not a folder")
    seen_dirs = {(root_stat.st_dev, root_stat.st_ino)}
    yield from _walk_dir(str(root), "", seen_dirs, folders, unsupported)


def _walk_dir(folder: str, prefix: str, seen_dirs: set[tuple[int, int]],
              folders: list[str] | None, unsupported: dict[str, int] | None) -> Iterator[CorpusFile | Skipped]:
    # Plain strings, not Path objects: this runs once per file of the corpus on every re-index.
    if folders is not None:
        folders.append(prefix.rstrip("/"))
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        yield Skipped(_shown(prefix.rstrip("/")) or ".", f"folder unreadable: {exc.strerror or exc}")
        return
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        rel = prefix + name
        try:
            st = entry.stat(follow_symlinks=True)
        except OSError as exc:
            if entry.is_symlink():
                reason = "symlink loop" if _is_link_loop(exc) else "broken symlink"
                suffix = _suffix(name)
                if not suffix or is_readable_name(name):
                    yield Skipped(_shown(rel), reason)
            else:
                yield Skipped(_shown(rel), f"unreadable: {exc.strerror or exc}")
            continue
        mode = st.st_mode
        undecodable = not _valid_utf8(name)
        if stat.S_ISDIR(mode):
            if undecodable:
                yield Skipped(_shown(rel), "folder name is not valid UTF-8 (rename it to index its files)")
                continue
            key = (st.st_dev, st.st_ino)
            if key in seen_dirs:
                yield Skipped(_shown(rel), "symlink loop (folder already visited)")
                continue
            seen_dirs.add(key)
            yield from _walk_dir(entry.path, rel + "/", seen_dirs, folders, unsupported)
            continue
        if not is_readable_name(name):
            if unsupported is not None and stat.S_ISREG(mode):
                kind = suffix_of(name) or "(no suffix)"
                unsupported[kind] = unsupported.get(kind, 0) + 1
            continue
        if not stat.S_ISREG(mode):
            yield Skipped(_shown(rel), "not a regular file")
            continue
        if undecodable:
            yield Skipped(_shown(rel), "file name is not valid UTF-8 (rename it to index it)")
            continue
        yield CorpusFile(rel, entry.path, st.st_size, st.st_mtime_ns)


def _valid_utf8(name: str) -> bool:
    """False for a name the file system gave as bytes that are not UTF-8 (Python keeps them
    as lone surrogates, which no index field or terminal can take)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(rel: str) -> str:
    """``rel`` with undecodable bytes written as \\xNN, for messages."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _suffix(name: str) -> str:
    """The file name's extension as :attr:`pathlib.PurePath.suffix` gives it ("" for "a.")."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _is_link_loop(exc: OSError) -> bool:
    import errno

    return exc.errno == errno.ELOOP
