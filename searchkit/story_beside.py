"""The stories of a full build, computed on the second core while the build indexes.

The build hands each document to a second process as it writes it to the index; that process
does the stories' per-document work as they arrive (:class:`~searchkit.stories.streamed.StreamedStories`,
the texts waiting in a spool file for the credits), and the rest once the index is committed
and every outlet is known. It sends back the stored model and story map, which the build
writes before its pointer names the new generation: a build never says it is done before its
stories are. The stories are those :func:`searchkit.story_stage.compute` makes from the index
(the same documents, in the same order). Any failure of the second process is told to the
caller, which computes the stories in its own process instead.
"""

from __future__ import annotations

import os
import tempfile
from typing import TYPE_CHECKING, Any

from .errors import SearchkitError

if TYPE_CHECKING:
    from .engine.base import IndexedDocument
    from .stories import StoryInput

#: Documents sent to the stories process at a time (a pipe message each).
BATCH = 256


class StoriesBesideFailed(SearchkitError):
    """The stories process stopped or failed; the stories are to be computed in-process."""


class StoriesBeside:
    """The stories process of one full build (started on creation)."""

    def __init__(self, spool_dir: str | None = None) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")  # no copy of the build's memory, no forked locks
        self._conn, child = ctx.Pipe()
        self._proc: Any = ctx.Process(target=_work, args=(child, spool_dir, os.getpid()),
                                      name="searchkit-stories", daemon=True)
        self._proc.start()
        child.close()
        self._batch: list[StoryInput] = []
        self.failure: str | None = None

    def add(self, doc: IndexedDocument) -> None:
        """Hand the process one document as the index has it."""
        from .story_stage import story_input

        if self.failure is not None:
            return
        self._batch.append(story_input(doc.doc_id, doc.text, doc.meta))
        if len(self._batch) >= BATCH:
            self._send(("docs", self._batch))
            self._batch = []

    def _send(self, message: tuple[str, Any]) -> None:
        try:
            self._conn.send(message)
        except (OSError, ValueError) as exc:
            self.failure = f"the stories process stopped ({exc})"

    def finish(self, known_outlets: list[str]) -> tuple[bytes, bytes]:
        """The stored model and story map of every document handed over (``known_outlets``:
        the index's outlets); raises StoriesBesideFailed."""
        try:
            if self._batch:
                self._send(("docs", self._batch))
                self._batch = []
            self._send(("end", known_outlets))
            if self.failure is not None:
                raise StoriesBesideFailed(self.failure)
            try:
                reply = self._conn.recv()
            except (EOFError, OSError) as exc:
                raise StoriesBesideFailed(f"the stories process stopped (exit code {self._proc.exitcode}, {exc!r})") from None
            if reply[0] != "ok":
                raise StoriesBesideFailed(str(reply[1]))
            return reply[1], reply[2]
        finally:
            self.close()

    def close(self) -> None:
        """Stop the process (if it still runs) and free its pipe."""
        self._conn.close()
        self._proc.join(timeout=5)
        if self._proc.is_alive():
            self._proc.kill()
            self._proc.join()


def _work(conn: Any, spool_dir: str | None, parent: int) -> None:
    """The stories process: documents in, ("ok", model bytes, map bytes) or ("error", why) out."""
    from .lifetime import end_with_parent

    end_with_parent(parent)
    try:
        from . import story_stage
        from .stories.streamed import StreamedStories

        with tempfile.TemporaryFile(dir=spool_dir, prefix=".stories-spool-") as spool:
            stories = StreamedStories(spool)
            while True:
                kind, payload = conn.recv()
                if kind == "docs":
                    for inp in payload:
                        stories.add(inp)
                    continue
                model = stories.finish(payload)
                break
        reply: tuple[Any, ...] = ("ok", model.to_bytes(), story_stage.map_bytes(model))
    except EOFError:  # the build stopped sending: it was cancelled
        return
    except BaseException as exc:  # noqa: BLE001 - told to the build, which computes them itself
        reply = ("error", f"stories not computed beside the build ({type(exc).__name__}: {exc})")
    try:
        conn.send(reply)
    except OSError:
        pass
