"""A segment writer for full builds: postings grouped by term as documents arrive.

Whoosh's writer turns every posting into a tuple in a pool, sorts all of them at commit (in
runs on disk past ``limitmb``), then writes them one by one, asking the per-document reader for
the document's field length once per posting (a seek, a read and an unpack each). For a full
build that is as much time as analysing the text.

:class:`BulkSegmentWriter` writes the same files with less work: documents arrive in docnum
order, so it appends each posting to its term's list and only the terms need sorting; past
``limitmb`` the lists go to a run file on disk, and at commit the runs are merged term by term.
Field lengths are read once per flush.
"""

from __future__ import annotations

import heapq
import os
import pickle
import tempfile
from array import array
from collections.abc import Iterator
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3PostingsWriter
from whoosh.fields import UnknownFieldError
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from . import internals

#: (field name, term bytes, docnums, weights, encoded values), one per term.
TermPostings = tuple[str, bytes, array, array, list]

# Bytes of memory per buffered term and per posting besides its value's bytes (the arrays'
# and lists' slots, a bytes object's header, over-allocation), measured with tracemalloc;
# used only to decide when to spill.
_TERM_OVERHEAD = 400
_POSTING_OVERHEAD = 70


class _FieldLengths:
    """Every document's length in each scorable field of a flushed segment, read once."""

    def __init__(self, perdoc_reader, schema) -> None:
        table = [byte_to_length(b) for b in range(256)]
        self._lengths: dict[str, list[int]] = {}
        for name, field in schema.items():
            if not field.scorable:
                continue
            column = internals.length_column_name(name)
            if perdoc_reader.has_column(column):
                reader = perdoc_reader.column_reader(column, LENGTHS_COLUMN)
                # A zero byte means "no length"; Whoosh passes None for it, which is as falsy.
                self._lengths[name] = [table[b] if b else 0 for b in reader]

    def of(self, fieldname: str) -> list[int] | None:
        return self._lengths.get(fieldname)


class _PostingBuffer:
    """Postings by field and term, in docnum order, spilled to sorted run files when large."""

    def __init__(self, limit_bytes: int, tempdir: str, prefix: str) -> None:
        self.limit_bytes = limit_bytes
        self.tempdir = tempdir
        self.prefix = prefix
        self.fields: dict[str, dict[bytes, tuple[array, array, list]]] = {}
        self.size = 0
        self.runs: list[str] = []

    def add(self, fieldname: str, docnum: int, items: list[tuple[bytes, int, float, bytes]]) -> None:
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        size = _POSTING_OVERHEAD * len(items)
        for tbytes, _freq, weight, vbytes in items:
            postings = terms.get(tbytes)
            if postings is None:
                postings = terms[tbytes] = (array("I"), array("d"), [])
                size += _TERM_OVERHEAD + len(tbytes)
            postings[0].append(docnum)
            postings[1].append(weight)
            postings[2].append(vbytes)
            size += len(vbytes)
        self.size += size

    def spill_if_full(self) -> None:
        if self.size > self.limit_bytes:
            fd, path = tempfile.mkstemp(prefix=self.prefix, suffix=".run", dir=self.tempdir)
            with os.fdopen(fd, "wb") as fh:
                for record in self._sorted_in_memory():
                    # One pickle per record: one Unpickler for the whole file would keep
                    # every record it loaded in its memo (the whole run in memory).
                    pickle.dump(record, fh, pickle.HIGHEST_PROTOCOL)
            self.runs.append(path)
            self.fields = {}
            self.size = 0

    def _sorted_in_memory(self) -> Iterator[TermPostings]:
        for fieldname in sorted(self.fields):
            terms = self.fields[fieldname]
            for tbytes in sorted(terms):
                ids, weights, values = terms[tbytes]
                yield fieldname, tbytes, ids, weights, values

    @staticmethod
    def _read_run(path: str) -> Iterator[TermPostings]:
        with open(path, "rb") as fh:
            while True:
                try:
                    yield pickle.load(fh)
                except EOFError:
                    return

    def sorted_terms(self) -> Iterator[TermPostings]:
        """Every term's postings, by field and term, docnums ascending (runs are in docnum order)."""
        if not self.runs:
            yield from self._sorted_in_memory()
            return
        sources = [self._read_run(path) for path in self.runs] + [self._sorted_in_memory()]
        # heapq.merge is stable: for a term in several runs, the earlier run (lower docnums) comes first.
        merged = heapq.merge(*sources, key=lambda record: (record[0], record[1]))
        current: TermPostings | None = None
        for record in merged:
            if current is not None and record[0] == current[0] and record[1] == current[1]:
                current[2].extend(record[2])
                current[3].extend(record[3])
                current[4].extend(record[4])
                continue
            if current is not None:
                yield current
            current = record
        if current is not None:
            yield current

    def remove_runs(self) -> None:
        for path in self.runs:
            try:
                os.remove(path)
            except OSError:
                pass
        self.runs = []


class BulkSegmentWriter(SegmentWriter):
    """Whoosh's segment writer for adding documents to a new, empty index, faster.

    Only ``add_document`` (no boosts, deletions, merges, vectors or spelling fields): what a
    full build needs. The segment written is the one Whoosh's writer would write.
    """

    def __init__(self, ix, limitmb: int = 128, **kwargs) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        if self.segments:
            raise ValueError("BulkSegmentWriter writes new indexes only")
        for name, field in self.schema.items():
            if field.vector or field.separate_spelling():
                raise ValueError(f"field {name!r}: vectors and spelling fields are not supported")
        # Runs go beside the index (like Whoosh's own), not to a /tmp that may be in memory,
        # named after the index so that the debris of a killed build is recognisable.
        self._buffer = _PostingBuffer(limitmb * 1024 * 1024, getattr(ix.storage, "folder", None) or tempfile.gettempdir(),
                                      prefix=f"{ix.indexname}_")

    def add_document(self, **fields) -> None:
        self._check_state()
        schema = self.schema
        docnum = self.docnum
        perdoc = self.perdocwriter
        postings: list[tuple[str, list]] = []
        perdoc.start_doc(docnum)
        try:
            for name in sorted(fields):
                value = fields[name]
                if name not in schema:
                    raise UnknownFieldError(f"No field named {name!r} in {schema}")
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    items = list(field.index(value))
                    postings.append((name, items))
                    if field.scorable:
                        length = sum(item[1] for item in items)
                perdoc.add_field(name, field, value if field.stored else None, length)
                if field.column_type:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        for name, items in postings:
            self._buffer.add(name, docnum, items)
        self._added = True
        self.docnum += 1
        self._buffer.spill_if_full()

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        try:
            lengths = _FieldLengths(reader, self.schema) if reader is not None else None
            _write_postings(self.fieldwriter, self.schema, lengths, self._buffer.sorted_terms())
            self.fieldwriter.close()
        finally:
            if reader is not None:
                reader.close()
            self._buffer.remove_runs()

    def _close_segment(self) -> None:
        super()._close_segment()
        self._buffer.remove_runs()


def _write_postings(fieldwriter, schema, lengths: _FieldLengths | None,
                    terms: Iterator[TermPostings]) -> None:
    """Hand sorted term postings to the codec's field writer, with each document's length."""
    current = None
    doc_lengths: list[int] | None = None
    for fieldname, tbytes, ids, weights, values in terms:
        if fieldname != current:
            if current is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            current = fieldname
            doc_lengths = lengths.of(fieldname) if lengths is not None else None
        fieldwriter.start_term(tbytes)
        postwriter: Any = internals.postings_writer(fieldwriter)
        if hasattr(postwriter, "add_many"):  # the W4 codec's packed postings
            postwriter.add_many(ids, weights, values, doc_lengths)
        elif type(postwriter) is W3PostingsWriter and not internals.writes_byte_ids(postwriter):
            internals.add_postings_in_blocks(postwriter, ids, weights, values, doc_lengths)
        else:
            for docnum, weight, value in zip(ids, weights, values):
                fieldwriter.add(docnum, weight, value, doc_lengths[docnum] if doc_lengths else 0)
        fieldwriter.finish_term()
    if current is not None:
        fieldwriter.finish_field()
