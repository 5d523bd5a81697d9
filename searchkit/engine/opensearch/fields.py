"""Documents to and from the mapping's fields (the one place that maps our model onto it)."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from ...models import ArticleMeta
from ...store import FileState
from ..base import IndexedDocument

#: OpenSearch refuses ``_id`` values over 512 bytes; longer document ids are hashed.
_MAX_ID_BYTES = 200


def document_id(doc_id: str) -> str:
    """The ``_id`` of a document id (itself, or a hash when too long)."""
    if len(doc_id.encode("utf-8")) <= _MAX_ID_BYTES:
        return doc_id
    return "sha256:" + hashlib.sha256(doc_id.encode("utf-8")).hexdigest()


def outlet_key(name: str) -> str:
    """Case- and space-insensitive key used for exact outlet filters (as locally)."""
    return " ".join(name.casefold().split())


def document_source(doc: IndexedDocument) -> dict[str, Any]:
    meta, state = doc.meta, doc.state
    source: dict[str, Any] = {
        "doc_id": doc.doc_id,
        "file": doc.file,
        "title": meta.title or "",
        "body": doc.text,
        "date": meta.date.isoformat() if meta.date else None,
        "url": meta.url,
        "title_source": meta.title_source,
        "outlet_source": meta.outlet_source,
        "date_source": meta.date_source,
        "url_source": meta.url_source,
        "author": meta.author,
        "author_source": meta.author_source,
        "page_starts": list(meta.page_starts) or None,
        "captured": meta.captured,
        "sha256": state.sha256,
        "mtime_ns": state.mtime_ns,
        "state": state.encode().decode("utf-8", "surrogateescape"),
        # Alone until the stories stage says otherwise (collapsing groups by this field).
        "story": doc.doc_id,
    }
    if meta.outlet:
        source["outlet"] = meta.outlet
        source["outlet_key"] = outlet_key(meta.outlet)
        source["outlet_text"] = meta.outlet
    return source


def source_meta(source: dict[str, Any]) -> ArticleMeta:
    return ArticleMeta(
        title=source.get("title") or None,
        title_source=source.get("title_source") or "",
        outlet=source.get("outlet") or None,
        outlet_source=source.get("outlet_source") or "",
        date=dt.date.fromisoformat(source["date"]) if source.get("date") else None,
        date_source=source.get("date_source") or "",
        url=source.get("url"),
        url_source=source.get("url_source") or "",
        author=source.get("author"),
        author_source=source.get("author_source") or "",
        page_starts=tuple(source.get("page_starts") or ()),
        captured=source.get("captured"),
    )


def source_state(source: dict[str, Any]) -> FileState:
    return FileState.decode(str(source.get("state", "")).encode("utf-8", "surrogateescape"))


def source_document(source: dict[str, Any]) -> IndexedDocument:
    state = source_state(source)
    return IndexedDocument(source["doc_id"], source.get("file") or state.file or source["doc_id"],
                           source.get("body") or "", source_meta(source), state)
