"""W4: Whoosh's W3 codec with each term's postings written as packed arrays.

Whoosh's W3 postings are blocks of 128 pickled, zlib-compressed tuples carrying every
occurrence's position and character offsets. A search that only counts or scores a word
still unpickles and inflates all of it: 11.8 ms for one common body word on 200,000 articles.
W4 writes, in the same ``.pst`` file and at the extent the W3 term info already records,
one record per term of plain little-endian arrays that numpy reads without a copy:

=========  ================================  =================================
section    type                              holds
=========  ================================  =================================
header     ``<2sBBII``                       magic ``W4``, version, flags, n, occurrences
docs       uint32 [n]                        segment document numbers, ascending
counts     uint16 or uint32 [n]              occurrences per document (positional formats)
positions  uint32 [occurrences]              token positions, document by document
starts     uint32 [occurrences]              character starts (Characters format)
weights    none, uint16 or float32 [n]       Whoosh's posting weights (float32 in W3 too)
widths     uint16 or uint32 [occurrences]    end - start of each occurrence (Characters)
values     uint32 [n] lengths + bytes        encoded values of any other format
=========  ================================  =================================

Records start at a multiple of 4 bytes and the 4-byte sections come first (the 2-byte ones,
such as counts stored as uint16, after them; :class:`PackedRecord` reads the layout), so every
array is aligned. Everything else (segments, the terms dictionary with W3's term infos,
stored fields, columns, the TOC, locking) is W3's own. The search path reads the records as
:class:`PackedRecord` views (``dense``); Whoosh's own paths (its matchers, highlighter,
merges) get a :class:`PackedMatcher`, whose ``value()`` re-encodes a posting in the field
format's bytes.

No W3 postings are written beside the arrays: the matcher serves every Whoosh path from
them, so the index holds one copy of each posting.

This module is pickled into every index (the TOC names ``W4Codec`` by import path): it
never moves. It imports no numpy, so that opening an index (``stats``, ``--help``) does not.
"""

from __future__ import annotations

import struct
import sys
from array import array
from bisect import bisect_left
from itertools import accumulate
from operator import sub
from typing import Any

from whoosh import formats
from whoosh.codec.whoosh3 import W3Codec
from whoosh.matching import ListMatcher, ReadTooFar

MAGIC = b"W4"
RECORD_VERSION = 1
HEADER = struct.Struct("<2sBBII")

# Flags of a record.
ONE_WEIGHTS = 1  #: every weight is 1.0: no weights section
U16_WEIGHTS = 2  #: weights are whole numbers below 65,536, stored as uint16
POSITIONS = 4  #: counts and positions sections present
CHARACTERS = 8  #: starts and widths sections present
U16_COUNTS = 16
U16_WIDTHS = 32
VALUES = 64  #: a format with other values: lengths and bytes

_SWAP = sys.byteorder != "little"


def little_endian_bytes(values: array) -> bytes:
    """``values``' bytes, little-endian whatever the machine (the records' byte order)."""
    if _SWAP:
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def little_endian_array(typecode: str, data: bytes | memoryview) -> array:
    """An array of ``typecode`` from little-endian ``data``."""
    out = array(typecode)
    out.frombytes(data)
    if _SWAP:
        out.byteswap()
    return out


def value_kind(fmt) -> str:
    """How a format's values are packed: "characters", "positions", "none" or "values"; the
    first two with "flat " in front for the one-pass indexer's formats, whose values are
    already flat uint32 numbers (``flat_width`` of them per occurrence)."""
    width = getattr(fmt, "flat_width", None)
    if width == 3:
        return "flat characters"
    if width == 1:
        return "flat positions"
    kind = type(fmt)
    if kind is formats.Characters:
        return "characters"
    if kind is formats.Positions:
        return "positions"
    if fmt.fixed_value_size() == 0:
        return "none"
    return "values"


def _occurrences(fmt, kind: str, values: list[bytes]) -> tuple[array, array, array | None, array | None]:
    """(counts, positions, starts, widths) of a positional format's encoded values, one
    count per posting; starts and widths None for a format without characters. Whoosh's own
    formats are decoded by their decoders; the packed formats are read as flat numbers."""
    if kind.startswith("flat "):
        width = 3 if kind == "flat characters" else 1
        flat = little_endian_array("I", b"".join([v[4:] for v in values]))
        counts = array("I", [(len(v) - 4) // (4 * width) for v in values])
        if width == 1:
            return counts, flat, None, None
        starts = flat[1::3]
        return counts, flat[0::3], starts, array("I", map(sub, flat[2::3], starts))
    counts, positions = array("I"), array("I")
    if kind == "characters":
        starts, widths = array("I"), array("I")
        for vbytes in values:
            places = fmt.decode_characters(vbytes)
            counts.append(len(places))
            for pos, start, end in places:
                positions.append(pos)
                starts.append(start)
                widths.append(end - start)
        return counts, positions, starts, widths
    for vbytes in values:
        found = fmt.decode_positions(vbytes)
        counts.append(len(found))
        positions.extend(found)
    return counts, positions, None, None


def encode_record(fmt, ids: array, weights: array, values: list) -> bytes:
    """One term's record (see the module docstring) from its postings as Whoosh hands them
    to a postings writer: ids, float32 weights and the values encoded in format ``fmt``."""
    kind = value_kind(fmt)
    flags = 0
    head = [little_endian_bytes(ids)]  # the 4-byte sections
    tail: list[bytes] = []  # the rest
    occurrences = 0
    u16_counts = False
    if kind in ("characters", "positions", "flat characters", "flat positions") and values:
        counts, positions, starts, widths = _occurrences(fmt, kind, values)
        flags |= POSITIONS
        occurrences = len(positions)
        u16_counts = max(counts) < 65536
        if u16_counts:
            flags |= U16_COUNTS
        else:
            head.append(little_endian_bytes(counts))
        head.append(little_endian_bytes(positions))
        if starts is not None:
            flags |= CHARACTERS
            head.append(little_endian_bytes(starts))
    if all(w == 1.0 for w in weights):
        flags |= ONE_WEIGHTS
    elif all(w == int(w) and 0 <= w < 65536 for w in weights):
        flags |= U16_WEIGHTS
        tail.append(little_endian_bytes(array("H", [int(w) for w in weights])))
    else:
        tail.append(little_endian_bytes(weights))  # float32, as W3 stores them
    if flags & POSITIONS:
        if u16_counts:
            tail.append(little_endian_bytes(array("H", counts)))
        if widths is not None:
            if not widths or max(widths) < 65536:
                flags |= U16_WIDTHS
                tail.append(little_endian_bytes(array("H", widths)))
            else:
                tail.append(little_endian_bytes(widths))
    elif kind == "values" and values:
        flags |= VALUES
        tail.append(little_endian_bytes(array("I", [len(v) for v in values])))
        tail.append(b"".join(values))
    return HEADER.pack(MAGIC, RECORD_VERSION, flags, len(ids), occurrences) + b"".join(head + tail)


class PackedRecord:
    """The sections of one term's record, as (typecode, start, count) into its bytes, read
    by :func:`read_record`; :meth:`numpy` and :meth:`python` give them as arrays."""

    __slots__ = ("data", "flags", "n", "occurrences", "sections")

    def __init__(self, data: bytes | memoryview, length: int | None = None) -> None:
        """``data``: the record's bytes, or (with its ``length``) its header alone."""
        magic, version, flags, n, occurrences = HEADER.unpack_from(data)
        if magic != MAGIC or version != RECORD_VERSION:
            raise ValueError("not a W4 postings record")
        self.data = data
        self.flags = flags
        self.n = n
        self.occurrences = occurrences
        at = HEADER.size
        sections: dict[str, tuple[str, int, int]] = {}

        def take(name: str, typecode: str, count: int) -> None:
            nonlocal at
            sections[name] = (typecode, at, count)
            at += count * (2 if typecode == "H" else 4)

        take("docs", "I", n)
        if flags & POSITIONS:
            if not flags & U16_COUNTS:
                take("counts", "I", n)
            take("positions", "I", occurrences)
            if flags & CHARACTERS:
                take("starts", "I", occurrences)
        if not flags & ONE_WEIGHTS:
            take("weights", "H" if flags & U16_WEIGHTS else "f", n)
        if flags & POSITIONS:
            if flags & U16_COUNTS:
                take("counts", "H", n)
            if flags & CHARACTERS:
                take("widths", "H" if flags & U16_WIDTHS else "I", occurrences)
        if flags & VALUES:
            take("value_lengths", "I", n)
            sections["value_bytes"] = ("B", at, (len(data) if length is None else length) - at)
        self.sections = sections

    def has(self, name: str) -> bool:
        return name in self.sections

    def section_bytes(self, name: str) -> memoryview:
        typecode, start, count = self.sections[name]
        return memoryview(self.data)[start : start + count * _ITEM_SIZES[typecode]]

    def python(self, name: str) -> array:
        return little_endian_array(self.sections[name][0], self.section_bytes(name))

    def numpy(self, name: str) -> Any:
        """The section as a numpy array viewing the record's bytes (numpy imported here)."""
        import numpy as np

        typecode, _start, count = self.sections[name]
        return np.frombuffer(self.section_bytes(name), dtype=_DTYPES[typecode], count=count)

    def take(self, name: str, flat: Any) -> Any:
        """``numpy(name)[flat]`` (``flat``: ascending indexes, a numpy array)."""
        return self.numpy(name)[flat]

    def values(self) -> list[bytes]:
        """Each posting's encoded value, for a format packed as "values"."""
        lengths = self.python("value_lengths")
        data, at = self.section_bytes("value_bytes"), 0
        out = []
        for length in lengths:
            out.append(bytes(data[at : at + length]))
            at += length
        return out


_ITEM_SIZES = {"I": 4, "H": 2, "f": 4, "B": 1}
_DTYPES = {"I": "<u4", "H": "<u2", "f": "<f4", "B": "u1"}


def record_extent(terminfo) -> tuple[int, int]:
    """Where a term's record is in the postings file: (offset, length)."""
    offset, length = terminfo.extent()
    if isinstance(length, tuple):  # W3TermInfo.from_bytes leaves the length a 1-tuple
        length = length[0]
    return offset, length


class PostingsFile:
    """A segment's postings file for a long-lived reader, read with ``os.pread``.

    Never memory-mapped: a file cut short under a mapping (damage, a sync tool, a restore
    that rewrites it in place) kills the process with SIGBUS at the first read of a page past
    its new end, a crash no Python code can catch; a ``pread`` that comes back short is an
    EOFError, which the library turns into "index damaged, naming the file" (it checks the
    sizes and checksums). Holds a duplicate of the file's descriptor, so the records read
    from it never read another file reusing a closed descriptor's number.
    """

    #: A record up to this size is read whole (one call); a larger one section by section.
    WHOLE_RECORD = 16384
    #: Occurrences this far apart are read in separate calls rather than one span.
    GAP = 1024
    #: More separate spans than this: the section is read whole instead.
    MAX_SPANS = 32

    def __init__(self, fileno: int) -> None:
        import os

        self._pread = os.pread
        self._close = os.close
        self.fd: int = os.dup(fileno)
        #: Bytes read since the owner last set it to 0 (what its caches may be holding).
        self.bytes_read = 0

    def __del__(self) -> None:
        fd = getattr(self, "fd", None)  # None: the dup failed
        if fd is not None:
            self._close(fd)

    def read(self, offset: int, length: int) -> bytes:
        data = self._pread(self.fd, length, offset)
        if len(data) != length:
            raise EOFError(f"the postings file ends at byte {offset + len(data)}, before byte {offset + length}")
        self.bytes_read += length
        return data

    def record(self, terminfo) -> PackedRecord:
        offset, length = record_extent(terminfo)
        if length <= self.WHOLE_RECORD:
            return PackedRecord(self.read(offset, length))
        return SectionedRecord(self, offset, length)


class SectionedRecord(PackedRecord):
    """A large record whose sections are read from its file when first used: a search reads
    a word's ids and weights; its positions only for phrases, and only the snippets'
    documents' share of its character offsets (as a memory map touched only those pages)."""

    __slots__ = ("file", "offset", "_read")

    def __init__(self, file: PostingsFile, offset: int, length: int) -> None:
        super().__init__(file.read(offset, HEADER.size), length)
        self.file = file
        self.offset = offset
        self._read: dict[str, bytes] = {}

    def section_bytes(self, name: str) -> memoryview:
        found = self._read.get(name)
        if found is None:
            typecode, start, count = self.sections[name]
            found = self._read[name] = self.file.read(self.offset + start, count * _ITEM_SIZES[typecode])
        return memoryview(found)

    def take(self, name: str, flat: Any) -> Any:
        """The values at ``flat`` of a section, reading only the spans of the section that
        hold them when they are few and close together (a page of snippets' documents)."""
        import numpy as np

        typecode, start, count = self.sections[name]
        if name in self._read or not len(flat) or 8 * len(flat) >= count:
            return self.numpy(name)[flat]
        breaks = np.flatnonzero(np.diff(flat) > self.file.GAP) + 1
        if len(breaks) >= self.file.MAX_SPANS:
            return self.numpy(name)[flat]
        firsts = flat[np.concatenate(([0], breaks))]
        lasts = flat[np.concatenate((breaks - 1, [len(flat) - 1]))] + 1
        size = _ITEM_SIZES[typecode]
        data = b"".join(self.file.read(self.offset + start + int(lo) * size, int(hi - lo) * size)
                        for lo, hi in zip(firsts.tolist(), lasts.tolist()))
        values = np.frombuffer(data, dtype=_DTYPES[typecode])
        span = np.repeat(np.arange(len(firsts)), np.diff(np.concatenate(([0], breaks, [len(flat)]))))
        based = np.cumsum(lasts - firsts) - (lasts - firsts)  # where each span begins in ``values``
        return values[flat - firsts[span] + based[span]]


def read_record(dbfile, terminfo) -> PackedRecord:
    offset, length = record_extent(terminfo)
    return PackedRecord(dbfile.get(offset, length))


class PackedPostingsWriter:
    """Collects a term's postings and writes them as one record (Whoosh's PostingsWriter
    protocol: start_postings, add_posting, finish_postings, written)."""

    def __init__(self, postfile) -> None:
        self._postfile = postfile
        self._terminfo: Any = None
        self._count = 0

    def written(self) -> bool:
        return self._count > 0

    def start_postings(self, format_, terminfo) -> None:
        if self._terminfo is not None:
            raise Exception("Called start in a term")
        self._format = format_
        self._terminfo = terminfo
        self._ids = array("I")
        self._weights = array("f")
        self._values: list[bytes] = []
        self._minlength: int | None = None
        self._maxlength = 0
        self._maxweight = 0.0

    def add_posting(self, id_, weight, vbytes, length=None) -> None:
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            if self._minlength is None or length < self._minlength:
                self._minlength = length
            if length > self._maxlength:
                self._maxlength = length

    def add_many(self, ids: array, weights: array, values: list, doc_lengths: list[int] | None) -> None:
        """``add_posting`` for a whole term's postings at once (the bulk writer's path: a
        call per posting with its checks was a fifth of a full build)."""
        self._ids.extend(ids)
        self._weights.fromlist(weights.tolist())
        if len(weights):
            self._maxweight = max(self._maxweight, max(weights))
        self._values.extend([value for value in values if value])
        if doc_lengths is not None:
            lengths = [length for length in (doc_lengths[docnum] for docnum in ids) if length]
            if lengths:
                shortest, longest = min(lengths), max(lengths)
                if self._minlength is None or shortest < self._minlength:
                    self._minlength = shortest
                self._maxlength = max(self._maxlength, longest)

    # The statistics W3TermInfo.add_block asks of a block.
    def __len__(self) -> int:
        return len(self._ids)

    def min_id(self) -> int:
        return self._ids[0]

    def max_id(self) -> int:
        return self._ids[-1]

    def min_length(self) -> int | None:
        return self._minlength

    def max_length(self) -> int:
        return self._maxlength

    def max_weight(self) -> float:
        return self._maxweight

    def finish_postings(self):
        terminfo = self._terminfo
        postfile = self._postfile
        pad = -postfile.tell() % 4
        if pad:
            postfile.write(b"\0" * pad)
        start = postfile.tell()
        if self._ids:
            terminfo.add_block(self)
        postfile.write(encode_record(self._format, self._ids, self._weights, self._values))
        terminfo.set_extent(start, postfile.tell() - start)
        self._count += 1
        self._terminfo = None
        return terminfo


class PackedMatcher(ListMatcher):
    """Whoosh's matcher protocol over a packed record, for Whoosh's own paths: the whole
    list is one block (the term info's statistics bound its quality), ``skip_to`` bisects,
    and ``value()`` encodes a posting in its format's bytes only when asked."""

    def __init__(self, record: PackedRecord, format_, scorer=None, term=None, terminfo=None,
                 position: int = 0) -> None:
        weights: Any
        if record.has("weights"):
            weights = record.python("weights")
            if record.flags & U16_WEIGHTS:
                weights = array("f", weights)
            all_weights = None
        else:
            weights, all_weights = None, 1.0
        super().__init__(record.python("docs"), weights, None, format_, scorer, position, all_weights,
                         term, terminfo)
        self.format = format_
        self._i: int = position
        self._values: list[bytes] | None = None
        self._record = record
        self._kind = value_kind(format_).replace("flat ", "")
        self._starts: array | None = None  # index of each posting's first occurrence

    def copy(self):
        return PackedMatcher(self._record, self._format, self._scorer, self._term, self._terminfo, self._i)

    def skip_to(self, id) -> None:
        if not self.is_active():
            raise ReadTooFar
        if id > self._ids[self._i]:
            self._i = bisect_left(self._ids, id, self._i)

    def supports_block_quality(self) -> bool:
        return self._scorer is not None and self._scorer.supports_block_quality()

    def value(self):
        kind = self._kind
        if kind == "none":
            return b""
        if kind == "values":
            if self._values is None:
                self._values = self._record.values() if self._record.has("value_lengths") else []
            return self._values[self._i] if self._values else b""
        if not self._record.has("positions"):
            return b""
        if self._starts is None:
            self._counts = self._record.python("counts")
            self._positions = self._record.python("positions")
            firsts = array("I", [0])
            firsts.extend(accumulate(self._counts))
            self._starts = firsts
            if kind == "characters":
                self._char_starts = self._record.python("starts")
                self._widths = self._record.python("widths")
        i = self._i
        lo, hi = self._starts[i], self._starts[i + 1]
        positions = self._positions[lo:hi]
        if kind == "positions":
            return self._format.encode(list(positions))
        starts = self._char_starts[lo:hi]
        widths = self._widths[lo:hi]
        return self._format.encode([(p, s, s + w) for p, s, w in zip(positions, starts, widths)])

    def packed_block(self) -> tuple[array, array | None, "_Values"]:
        """The whole list as one block for the set path (docsets): ids, weights (None for
        all 1.0) and each posting's encoded value, made only when indexed."""
        return self._ids, self._weights, _Values(self)

    def value_at(self, i: int):
        here = self._i
        self._i = i
        try:
            return self.value()
        finally:
            self._i = here

    def all_items(self):
        here = self._i
        try:
            for i in range(len(self._ids)):
                self._i = i
                yield self._ids[i], self.value()
        finally:
            self._i = here


class _Values:
    """A packed list's encoded values as a sequence, each encoded when read."""

    def __init__(self, matcher: PackedMatcher) -> None:
        self._matcher = matcher

    def __len__(self) -> int:
        return len(self._matcher._ids)

    def __getitem__(self, i: int):
        return self._matcher.value_at(i)


class W4Codec(W3Codec):
    """W3 with packed array postings (see the module docstring)."""

    def postings_writer(self, dbfile, byteids=False):
        if byteids:  # term vectors (searchkit's schema has none) stay W3's
            return super().postings_writer(dbfile, byteids=byteids)
        return PackedPostingsWriter(dbfile)

    def postings_reader(self, dbfile, terminfo, format_, term=None, scorer=None):
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        return PackedMatcher(read_record(dbfile, terminfo), format_, scorer=scorer, term=term, terminfo=terminfo)
