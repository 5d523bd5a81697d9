"""Is an index older than its corpus? Answered from file times alone, without reading files.

Two answers. :func:`corpus_changed_since` is exact: one ``stat`` per corpus file (an edit in
place changes only the file's own time), about 30 ms per 20,000 files on an idle machine
(a whole one-shot query takes about 135 ms). :func:`paths_changed_since` stats only the
folders the last indexing run walked and ``metadata.toml``: it sees every file added, removed
or renamed (each changes its folder's time; a new folder changes its parent's) and every
metadata edit, but not an article rewritten in place under the same name, which the next
``searchkit index`` (or shell start) picks up. The one-shot query uses the second.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path


def corpus_changed_since(corpus: Path, since: dt.datetime) -> bool:
    """True if any folder, article or metadata file under ``corpus`` changed after ``since``.

    A folder's time changes when a file is added, removed or renamed in it, and an edited
    file's own time changes, so one stat per entry is enough. Stops at the first change.
    """
    limit_ns = int(since.timestamp() * 1_000_000_000)
    seen: set[tuple[int, int]] = set()
    stack = [str(corpus)]
    while stack:
        folder = stack.pop()
        try:
            st = os.stat(folder)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in seen:
            continue
        seen.add((st.st_dev, st.st_ino))
        if st.st_mtime_ns > limit_ns:
            return True
        try:
            with os.scandir(folder) as scan:
                entries = list(scan)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                st = entry.stat()  # follows links, as the indexer does
            except OSError:
                continue
            if stat.S_ISDIR(st.st_mode):
                stack.append(entry.path)
            elif st.st_mtime_ns > limit_ns:
                return True
    return False


def paths_changed_since(corpus: Path, since: dt.datetime, paths: list[str]) -> bool:
    """True if one of ``paths`` (relative to ``corpus``: the folders the last indexing run
    walked, and metadata.toml) changed after ``since``, or is gone."""
    limit_ns = int(since.timestamp() * 1_000_000_000)
    root = str(corpus)
    for path in paths:
        try:
            if os.stat(os.path.join(root, path)).st_mtime_ns > limit_ns:
                return True
        except OSError:
            return True
    return False


def watched_paths(index_dir: Path) -> list[str] | None:
    """The paths the last indexing run asked to watch, or None (an index written before
    they were recorded, or an unreadable list: then only the exact check will do)."""
    import json

    from .store import WATCHED_PATHS_FILE

    try:
        with open(os.path.join(index_dir, WATCHED_PATHS_FILE), encoding="utf-8") as fh:
            paths = json.load(fh)
    except (OSError, ValueError):
        return None
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        return None
    return paths
