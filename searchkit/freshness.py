"""Is an index older than its corpus? Answered from file times alone, without reading files."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path


def corpus_changed_since(corpus: Path, since: dt.datetime) -> bool:
    """True if any folder, article or metadata file under ``corpus`` changed after ``since``.

    A folder's time changes when a file is added, removed or renamed in it, and an edited
    file's own time changes, so one stat per entry is enough. Stops at the first change.
    """
    limit_ns = int(since.timestamp() * 1_000_000_000)
    seen: set[tuple[int, int]] = set()
    stack = [Path(corpus)]
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in seen:
            continue
        seen.add((st.st_dev, st.st_ino))
        if st.st_mtime_ns > limit_ns:
            return True
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    stack.append(Path(entry.path))
                elif entry.stat().st_mtime_ns > limit_ns:
                    return True
            except OSError:
                continue
    return False
