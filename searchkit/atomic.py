"""Replacing a file so that a reader sees the old content or the new, never a part.

The one way searchkit writes a file in place (pointer, manifests, side files, saved searches,
exports, caches): the new content goes to a temporary file in the same folder (a rename is
atomic only within one file system), which is fsynced, renamed over the target, and then the
folder is fsynced so that the rename itself survives a power cut. On any error, Ctrl-C
included, the temporary file is removed and the target is untouched.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO


def fsync_dir(folder: Path) -> None:
    """Make the entries of ``folder`` durable (renames, new files); best effort: a file system
    that cannot sync a folder is not an error."""
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def fsync_file(path: Path) -> None:
    """Make the content of the file at ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_file(path: Path, *, mode: int = 0o666, newline: str | None = None,
                durable: bool = True) -> Iterator[TextIO]:
    """A text file to write (UTF-8) that replaces ``path`` when the block ends without an
    exception.

    ``mode`` is the new file's permissions (less the umask): 0o600 for what only its user may
    read. ``durable=False`` skips the fsyncs, for caches that only save time. The temporary
    file is hidden (``.NAME.PID.THREAD.tmp``) so that a corpus walk never takes it for a
    document.
    """
    with _replacing(Path(path), mode, durable) as fd, open(fd, "w", encoding="utf-8", newline=newline) as fh:
        yield fh
        _flush(fh, durable)


@contextmanager
def atomic_binary_file(path: Path, *, mode: int = 0o666, durable: bool = True) -> Iterator[BinaryIO]:
    """As :func:`atomic_file`, for bytes."""
    with _replacing(Path(path), mode, durable) as fd, open(fd, "wb") as fh:
        yield fh
        _flush(fh, durable)


def _flush(fh: IO[Any], durable: bool) -> None:
    fh.flush()
    if durable:
        os.fsync(fh.fileno())


@contextmanager
def _replacing(path: Path, mode: int, durable: bool) -> Iterator[int]:
    """An open descriptor of a temporary file beside ``path``; the caller writes and closes it,
    then it is renamed over ``path`` (or removed, on any exception)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        if mode != 0o666:
            os.fchmod(fd, mode)  # also when a stale temporary file had other permissions
        yield fd
        os.replace(tmp, path)
    except BaseException:
        try:
            os.remove(tmp)  # a full disk or an interrupted export leaves no debris
        except OSError:
            pass
        raise
    if durable:
        fsync_dir(path.parent)


def write_atomically(path: Path, data: str | bytes, *, mode: int = 0o666, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8); see :func:`atomic_file`."""
    if isinstance(data, bytes):
        with atomic_binary_file(path, mode=mode, durable=durable) as fh:
            fh.write(data)
    else:
        with atomic_file(path, mode=mode, durable=durable) as out:
            out.write(data)
