"""Is an index older than its corpus? Answered from file times alone, without reading files.

The answer costs one ``stat`` per corpus file (an edit in place changes only the file's own
time, not its folder's), about 90 ms for 20,000 files. A one-shot query does not wait for it:
:class:`CorpusCheck` runs the check in a forked child while the query is parsed and run, and
the caller asks for the verdict before it prints anything.
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


class CorpusCheck:
    """:func:`corpus_changed_since`, started now and answered by :meth:`changed`.

    With ``background`` (and where processes fork), the check runs in a child process so
    that the caller's own work overlaps it; the child reports through its exit status. Only
    fork from a single-threaded process (the one-shot CLI at start-up). A child that fails
    in any way is answered by checking again here.
    """

    _UNCHANGED, _CHANGED = 0, 1

    def __init__(self, corpus: Path, since: dt.datetime, *, background: bool = False) -> None:
        self.corpus = corpus
        self.since = since
        self._changed: bool | None = None
        self._child: int | None = None
        if background and hasattr(os, "fork"):
            try:
                pid = os.fork()
            except OSError:
                pid = -1
            if pid == 0:  # the child: check, report, and leave without running any cleanup
                status = 2
                try:
                    status = self._CHANGED if corpus_changed_since(corpus, since) else self._UNCHANGED
                finally:
                    os._exit(status)
            if pid > 0:
                self._child = pid
                return
        self._changed = corpus_changed_since(corpus, since)

    def changed(self) -> bool:
        """Whether the corpus changed (waits for the child if it is still checking)."""
        if self._changed is None:
            status = -1
            try:
                _, wait_status = os.waitpid(self._child, 0)  # type: ignore[arg-type]
                status = os.waitstatus_to_exitcode(wait_status)
            except (OSError, ValueError):
                pass
            self._child = None
            if status in (self._UNCHANGED, self._CHANGED):
                self._changed = status == self._CHANGED
            else:
                self._changed = corpus_changed_since(self.corpus, self.since)
        return self._changed
