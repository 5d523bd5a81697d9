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
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


def fsync_dir(folder: Path) -> None:
    """Make the entries of ``folder`` durable (renames, new files); best effort: a file system
    that cannot sync a folder is not an error."""
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


def fsync_file(path: Path) -> None:
    """Make the content of the file at ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_file(path: Path, *, binary: bool = False, mode: int = 0o666, newline: str | None = None,
                durable: bool = True) -> Iterator[IO[Any]]:
    """A file to write (UTF-8 text, or bytes when ``binary``) that replaces ``path`` when the
    block ends without an exception.

    ``mode`` is the new file's permissions (less the umask): 0o600 for what only its user may
    read. ``durable=False`` skips the fsyncs, for caches that only save time. The temporary
    file is hidden (``.NAME.PID.THREAD.tmp``) so that a folder watcher or a corpus walk does
    not take it for a document.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        if mode != 0o666:
            os.fchmod(fd, mode)  # also when a stale temporary file had other permissions
        with (open(fd, "wb") if binary else open(fd, "w", encoding="utf-8", newline=newline)) as fh:
            yield fh
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
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
        with atomic_file(path, binary=True, mode=mode, durable=durable) as fh:
            fh.write(data)
    else:
        with atomic_file(path, mode=mode, durable=durable) as out:
            out.write(data)
