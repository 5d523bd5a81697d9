"""Whoosh's side of the index folder: opening a generation, the fields of a document,
reading columns, and what is stored of a document.

Whoosh commits are atomic per generation (a killed writer leaves the last TOC intact), but
creating an index deletes the old one first; so :mod:`searchkit.store` gives every full build
a new Whoosh index name ("generation") and swaps the pointer only when it is complete.
"""

from __future__ import annotations

import pickle
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ...store import FileState, damaged
from ..base import IndexedDocument, meta_from_stored, stored_fields
from . import internals
from .fastindex import LangText
from .schema import date_of_day, day_number

# What Whoosh raises on truncated, missing or garbled files (Whoosh pitfall 7, docs/whoosh-pitfalls.md).
DAMAGE_ERRORS = (EOFError, OSError, TypeError, ValueError, KeyError, AttributeError, IndexError,
                  pickle.UnpicklingError, struct.error)


# --------------------------------------------------------------------------------------------
# Opening


def open_whoosh(index_dir: Path, generation: str) -> Any:
    """Open generation ``generation`` of the Whoosh index in ``index_dir``."""
    from whoosh import index as whoosh_index

    index_dir = Path(index_dir)
    try:
        ix = whoosh_index.open_dir(str(index_dir), indexname=generation)
        # Touch the TOC's segments so that truncated or missing files show up here.
        with ix.reader() as reader:
            reader.doc_count()
    except whoosh_index.EmptyIndexError:
        raise damaged(index_dir, "its table of contents is missing") from None
    except DAMAGE_ERRORS as exc:
        raise damaged(index_dir, f"{type(exc).__name__}: {exc}") from None
    return ix


def generation_files(index_dir: Path, generation: str) -> tuple[str, list[str]]:
    """The files of the generation's latest commit: (its TOC file, every file: the TOC and
    each segment's files). ("", []) when it has no commit."""
    import os
    import re

    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    storage = FileStorage(str(index_dir), readonly=True)
    number = internals.latest_toc_number(storage, generation)
    if number < 0:
        return "", []
    toc_name = internals.toc_filename(generation, number)
    toc = TOC.read(storage, generation, gen=number)
    ids = {segment.segment_id() for segment in toc.segments}
    pattern = re.compile(rf"^({re.escape(generation)}_[0-9a-z]+)\.[A-Za-z0-9_.]+$")
    names = [name for name in os.listdir(index_dir) if (m := pattern.match(name)) and m.group(1) in ids]
    return toc_name, [toc_name, *sorted(names)]


# --------------------------------------------------------------------------------------------
# Writing


def document_fields(doc: IndexedDocument) -> dict[str, Any]:
    """The Whoosh fields of one document (the one place that maps our model onto the schema)."""
    meta = doc.meta
    fields: dict[str, Any] = {
        **stored_fields(doc),
        "title": LangText(meta.title or "", meta.lang),
        "body": LangText(doc.text, meta.lang),
        "day": day_number(meta.date),
        "lang_source": meta.lang_source or None,
        "state": doc.state.encode(),
    }
    if meta.lang:
        fields["lang"] = meta.lang
    return fields


def drop_empty_then_merge_small(writer, segments):
    """Whoosh's merge policy, except that segments whose documents were all deleted or
    replaced are dropped: Whoosh keeps them, and every query then walks their postings
    (queries on an index after three 1% update rounds ran 1.4x slower for it)."""
    from whoosh.writing import MERGE_SMALL

    return MERGE_SMALL(writer, [segment for segment in segments if segment.doc_count() > 0])


def column_values(reader, *fieldnames: str) -> Iterator[tuple]:
    """Yield a tuple of column values for every live document.

    Reads segment by segment: Whoosh's multi-segment column reader misaligns documents when
    a segment has no column for a field (no document in it had a value), while a segment's
    own reader fills in the default. Each column is read front to back (faster than looking
    values up by document number), and the rows of deleted documents are dropped.
    """
    for leaf, _offset in reader.leaf_readers():
        if not leaf.doc_count():
            continue
        rows = zip(*(column_list(leaf, name) for name in fieldnames))
        if not leaf.has_deletions():
            yield from rows
            continue
        for docnum, row in enumerate(rows):
            if not leaf.is_deleted(docnum):
                yield row


def column_list(reader, fieldname: str) -> list:
    """Every document's value of a segment's column, as ``list(reader.column_reader(...))``
    gives them, but read in one piece (:func:`internals.column_values`)."""
    return internals.column_values(reader, fieldname)


def column_list_global(reader: Any, fieldname: str) -> list[Any]:
    """A column's values indexed by global document number (deleted documents included)."""
    values: list[Any] = []
    for leaf, offset in reader.leaf_readers():
        values.extend([None] * (offset - len(values)))
        values.extend(column_list(leaf, fieldname) if leaf.doc_count_all() else [])
    return values


def count_documents(searcher) -> dict:
    """Documents, per-outlet counts, date range and undated count (IndexStats fields)."""
    reader = searcher.reader()
    outlets: dict[str, int] = {}
    first = last = None
    undated = no_outlet = 0
    for name, day in column_values(reader, "outlet", "day"):
        if name:
            outlets[name] = outlets.get(name, 0) + 1
        else:
            no_outlet += 1
        if not day:
            undated += 1
            continue
        first = day if first is None else min(first, day)
        last = day if last is None else max(last, day)
    return {
        "documents": reader.doc_count(),
        "outlets": dict(sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))),
        "first_date": date_of_day(first),
        "last_date": date_of_day(last),
        "undated": undated,
        "no_outlet": no_outlet,
    }


def stored_document(searcher, doc_id: str) -> IndexedDocument | None:
    """The stored text, metadata and file state of one document, or None."""
    docnum = searcher.document_number(doc_id=doc_id)
    if docnum is None:
        return None
    stored = searcher.stored_fields(docnum)
    state = None
    for leaf, offset in searcher.reader().leaf_readers():
        if offset <= docnum < offset + leaf.doc_count_all():
            state = FileState.decode(leaf.column_reader("state")[docnum - offset])
    if state is None:
        return None
    return IndexedDocument(doc_id, state.file or doc_id, stored.get("body", ""), meta_from_stored(stored), state)


def outlet_names(searcher) -> list[str]:
    return sorted(t.decode("utf-8") if isinstance(t, bytes) else t for t in searcher.reader().lexicon("outlet"))


def indexed_states(ix) -> dict[str, tuple[str, FileState]]:
    """doc_id -> (file, FileState) for every live document, read from columns (no stored text)."""
    out = {}
    with ix.reader() as reader:
        for doc_id, raw in column_values(reader, "doc_id", "state"):
            state = FileState.decode(raw)
            out[doc_id] = (state.file or doc_id, state)
    return out


