"""A segment writer for full builds that reads field lengths once per flush.

At commit Whoosh's writer asks the per-document reader for a document's field length once per
posting (a seek, a read and an unpack each: a third of the commit). The lengths only feed
per-term statistics, so :class:`BulkSegmentWriter` loads each field's lengths once into a list.
The files written are the same.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter


class _FieldLengths:
    """Every document's length in each scorable field of a flushed segment, read once."""

    def __init__(self, perdoc_reader, schema) -> None:  # type: ignore[no-untyped-def]
        table = [byte_to_length(b) for b in range(256)]
        self._lengths: dict[str, list[int]] = {}
        for name, field in schema.items():
            if not field.scorable:
                continue
            column = _lenfield(name)
            if perdoc_reader.has_column(column):
                reader = perdoc_reader.column_reader(column, LENGTHS_COLUMN)
                # A zero byte means "no length"; Whoosh passes None for it, which is as falsy.
                self._lengths[name] = [table[b] if b else 0 for b in reader]

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._lengths.get(fieldname)
        return lengths[docnum] if lengths is not None else default


class BulkSegmentWriter(SegmentWriter):
    """Whoosh's segment writer with field lengths read once per flush, for full builds."""

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        try:
            lengths = _FieldLengths(reader, self.schema) if reader is not None else None
            self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
            self.fieldwriter.close()
        finally:
            if reader is not None:
                reader.close()
