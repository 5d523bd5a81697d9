"""Writing documents with bulk requests of bounded size, retried with backoff.

A bulk request carries at most :data:`BULK_DOCS` documents (``SEARCHKIT_OPENSEARCH_BULK_DOCS``)
or :data:`BULK_BYTES` bytes.
Items refused with 429 (the node's write queue is full) or 503, and whole requests that time
out or find a node gone, are sent again after 0.5, 1, 2, 4... seconds (with jitter), for
at most :data:`RETRY_SECONDS` in all; an item refused for another reason (a mapping error)
stops the run with its reason. Index and delete actions are idempotent (the document id is
the ``_id``), so sending one twice is harmless.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable
from typing import Any

from ...errors import IndexWriteError
from ..base import IndexedDocument
from .errors import explain, is_read_only
from .fields import document_id, document_source

BULK_DOCS = 500
BULK_BYTES = 8 * 1024 * 1024
RETRY_SECONDS = 120.0
_RETRY_STATUS = {429, 502, 503, 504}


class BulkWriter:
    def __init__(self, client: Any, index: str, where: str, *, new: bool,
                 finish: Callable[[], None] | None = None) -> None:
        self._client = client
        self._index = index
        self._where = where
        self._new = new
        self._finish = finish
        self._lines: list[str] = []
        self._docs = 0
        self._bytes = 0
        self._max_docs = int(os.environ.get("SEARCHKIT_OPENSEARCH_BULK_DOCS") or BULK_DOCS)
        #: Requests sent again (for the benchmark and the fault tests).
        self.retries = 0

    # -- EngineWriter -----------------------------------------------------------------------

    def add(self, doc: IndexedDocument) -> None:
        self._queue({"index": {"_id": document_id(doc.doc_id)}}, document_source(doc))

    update = add

    def label(self, doc_id: str, story: str) -> None:
        """Set one document's story (a partial update)."""
        self._queue({"update": {"_id": document_id(doc_id)}}, {"doc": {"story": story}})

    def delete(self, doc_id: str) -> None:
        self._queue({"delete": {"_id": document_id(doc_id)}}, None)

    def on_progress(self, report: Callable[[int, int], None] | None) -> None:
        """Analysis happens on the cluster: there is no per-document progress to report."""

    def commit(self) -> int:
        self._flush()
        try:
            self._client.indices.refresh(index=self._index)
            if self._finish is not None:
                self._finish()
            count: int = self._client.count(index=self._index)["count"]
        except Exception as exc:  # noqa: BLE001
            raise explain(exc, self._where, writing=True) from None
        return count

    def cancel(self) -> None:
        self._lines.clear()
        self._docs = self._bytes = 0

    # -- bulk requests ----------------------------------------------------------------------

    def _queue(self, action: dict[str, Any], source: dict[str, Any] | None) -> None:
        self._lines.append(json.dumps(action))
        if source is not None:
            self._lines.append(json.dumps(source, ensure_ascii=False))
        self._docs += 1
        self._bytes += sum(len(line) for line in self._lines[-2:])
        if self._docs >= self._max_docs or self._bytes >= BULK_BYTES:
            self._flush()

    def _flush(self) -> None:
        if not self._lines:
            return
        pending = self._pairs()
        self._lines, self._docs, self._bytes = [], 0, 0
        deadline = time.monotonic() + RETRY_SECONDS
        delay = 0.5
        while pending:
            failed = self._send(pending, deadline)
            if not failed:
                return
            if time.monotonic() + delay > deadline:
                raise IndexWriteError(
                    f"OpenSearch at {self._where} kept refusing writes (HTTP 429/503) for "
                    f"{RETRY_SECONDS:.0f} s; the documents written so far are searchable: run `searchkit index` "
                    "again when the cluster has recovered (it redoes only what is missing)")
            self.retries += 1
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 8.0)
            pending = failed

    def _pairs(self) -> list[list[str]]:
        """The queued lines grouped per action (a delete has no source line)."""
        out: list[list[str]] = []
        for line in self._lines:
            if line.startswith(('{"index"', '{"delete"', '{"update"')):
                out.append([line])
            else:
                out[-1].append(line)
        return out

    def _send(self, pending: list[list[str]], deadline: float) -> list[list[str]]:
        """Send one bulk request; return the actions to send again."""
        from opensearchpy import exceptions as ox

        body = "\n".join(line for pair in pending for line in pair) + "\n"
        try:
            response = self._client.bulk(body=body, index=self._index)
        except (ox.ConnectionError, ox.ConnectionTimeout) as exc:
            if time.monotonic() < deadline:
                return pending  # a node went away or is slow: everything again
            raise explain(exc, self._where, writing=True) from None
        except ox.TransportError as exc:
            if exc.status_code in _RETRY_STATUS and not is_read_only(exc) and time.monotonic() < deadline:
                return pending
            raise explain(exc, self._where, writing=True) from None
        if not response.get("errors"):
            return []
        again: list[list[str]] = []
        for pair, item in zip(pending, response["items"]):
            result = next(iter(item.values()))
            status = result.get("status", 200)
            if status < 300 or (status == 404 and "delete" in item):
                continue
            error = result.get("error") or {}
            reason = f"{error.get('type', '')}: {error.get('reason', '')}" if isinstance(error, dict) else str(error)
            if status in _RETRY_STATUS:
                again.append(pair)
                continue
            if "block_exception" in reason or "read_only" in reason or "read-only" in reason:
                raise IndexWriteError(
                    f"OpenSearch at {self._where} is read-only ({reason[:160]}): free disk space on its nodes "
                    "(the flood-stage watermark makes indexes read-only) or lift the block, then run "
                    "`searchkit index` again; the index is still searchable")
            doc = json.loads(pair[1]).get("doc_id", "?") if len(pair) > 1 else "?"
            raise IndexWriteError(f"OpenSearch at {self._where} refused document {doc!r} ({reason[:200]}); "
                                  "the documents written so far are searchable")
        return again
