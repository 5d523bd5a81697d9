"""Documents to and from the mapping's fields (the one place that maps our model onto it)."""

from __future__ import annotations

import hashlib
from typing import Any

from ...store import FileState
from ..base import IndexedDocument, meta_from_stored, stored_fields

#: OpenSearch refuses ``_id`` values over 512 bytes; longer document ids are hashed.
_MAX_ID_BYTES = 200


def document_id(doc_id: str) -> str:
    """The ``_id`` of a document id (itself, or a hash when too long)."""
    if len(doc_id.encode("utf-8")) <= _MAX_ID_BYTES:
        return doc_id
    return "sha256:" + hashlib.sha256(doc_id.encode("utf-8")).hexdigest()


def document_source(doc: IndexedDocument) -> dict[str, Any]:
    state = doc.state
    return {
        **stored_fields(doc),
        "title": doc.meta.title or "",
        "body": doc.text,
        # The article's language (ISO 639-1; absent when unknown or mixed): lang: filters and
        # the language facet, as locally.
        "lang": doc.meta.lang,
        "lang_source": doc.meta.lang_source or None,
        "sha256": state.sha256,
        "mtime_ns": state.mtime_ns,
        "state": state.encode().decode("utf-8", "surrogateescape"),
        # Alone until the stories stage says otherwise (collapsing groups by this field).
        "story": doc.doc_id,
    }


def source_state(source: dict[str, Any]) -> FileState:
    return FileState.decode(str(source.get("state", "")).encode("utf-8", "surrogateescape"))


def source_document(source: dict[str, Any]) -> IndexedDocument:
    state = source_state(source)
    return IndexedDocument(source["doc_id"], source.get("file") or state.file or source["doc_id"],
                           source.get("body") or "", meta_from_stored(source), state)
