"""Every read of Whoosh's private attributes, the Whoosh version they were written against,
and the caches searchkit keeps on Whoosh's readers and searchers.

searchkit reads Whoosh internals where the public API costs several Python calls per
posting (posting blocks, column bytes, field lengths) or has no door at all (the words a
prefix expands to, the highlighter's character cache, the writer's commit steps). They are
all here, each behind a function that says what it reads, so that a new Whoosh release is
checked in one place: opening an index with another release than :data:`SUPPORTED_WHOOSH`
is refused with a message (:func:`check_whoosh_version`) instead of failing obscurely.
``tests/test_architecture.py`` checks that no other module reads a private attribute of a
Whoosh object.
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections.abc import Callable, Iterator
from itertools import accumulate
from typing import Any, TypeVar

from ...errors import SearchkitError

T = TypeVar("T")

#: ``whoosh.__version__`` of the pinned ``whoosh-reloaded`` release.
SUPPORTED_WHOOSH = (2, 7, 5)


def check_whoosh_version() -> None:
    import whoosh

    found = tuple(whoosh.__version__[:3])
    if found != SUPPORTED_WHOOSH:
        raise SearchkitError(
            "searchkit needs Whoosh %s (the whoosh-reloaded release it pins), but Whoosh %s is "
            "installed: reinstall searchkit (`pip install -e .` or `make install`)"
            % (".".join(map(str, SUPPORTED_WHOOSH)), ".".join(map(str, found)))
        )


# --------------------------------------------------------------------------------------------
# Caches kept on Whoosh objects: one style, one place


def object_cache(owner: Any, name: str) -> dict:
    """A dict kept on ``owner`` (a segment reader or a searcher) under ``name``: it lives
    exactly as long as the reader or searcher, so a new index version starts afresh."""
    caches = owner.__dict__.get("_searchkit")
    if caches is None:
        caches = owner.__dict__["_searchkit"] = {}
    found = caches.get(name)
    if found is None:
        found = caches[name] = {}
    return found


def per_searcher(searcher: Any, make: Callable[[Any], T]) -> T:
    """``make(searcher)``, made once per searcher (a new index version gets a new searcher)."""
    made = object_cache(searcher, "made")
    if make not in made:
        made[make] = make(searcher)
    return made[make]


# --------------------------------------------------------------------------------------------
# Queries


def expanded_words(q: Any, reader: Any) -> Iterator[bytes]:
    """The words of the segment's lexicon a prefix, wildcard, fuzzy or range query stands for."""
    return q._btexts(reader)


def numeric_range_terms(q: Any, reader: Any) -> Any:
    """A numeric range as the OR of the indexed (trie) terms Whoosh compiles it to."""
    return q._compile_query(reader)


def field_b(weighting: Any, fieldname: str, default: float) -> float:
    """BM25F's length normalisation of ``fieldname`` (Whoosh keeps per-field values apart)."""
    return getattr(weighting, "_field_B", {}).get(fieldname, default)


# --------------------------------------------------------------------------------------------
# Posting lists


def posting_blocks(reader: Any, fieldname: str, text: str | bytes) -> Iterator[tuple[Any, Any, Any]]:
    """The (ids, weights, values) of each block of a term's posting list: ids as segment
    document numbers (deleted documents included), weights as stored (None for all 1.0,
    one float for all, or an array), values the encoded postings (positions).

    Reads the on-disk blocks whole (Whoosh 2.7's W3LeafMatcher fields): the public
    ``all_ids()`` makes three Python calls per posting.
    """
    from whoosh.codec.whoosh3 import W3LeafMatcher
    from whoosh.matching.wrappers import FilterMatcher
    from whoosh.reading import TermNotFound

    try:
        matcher = reader.postings(fieldname, text)
    except TermNotFound:
        return
    if isinstance(matcher, FilterMatcher):  # deletions: the callers remove them
        matcher = matcher.child
    if hasattr(matcher, "packed_block"):  # the W4 codec's packed list: one block
        yield matcher.packed_block()
        return
    if type(matcher) is not W3LeafMatcher or not matcher.is_active():
        ids, weights, vals = [], [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            vals.append(matcher.value())
            matcher.next()
        yield ids, weights, vals
        return
    while True:
        if matcher._data is None:
            matcher._read_data()
        ids, weights, vals = matcher._data
        ids = ids if matcher._byteids else list(accumulate(ids))
        yield ids, weights, vals
        if matcher._lastblock:
            return
        matcher._goto(matcher._nextoffset)


def segment_codec(reader: Any) -> Any:
    """The codec a segment reader reads with (None for readers without one)."""
    return getattr(reader, "_codec", None)


def term_info(reader: Any, fieldname: str, btext: bytes) -> Any:
    """The segment's TermInfo of a word (raises TermNotFound)."""
    return reader._terms.term_info(fieldname, btext)


def postings_file(reader: Any) -> Any:
    """The segment's open postings file (a StructFile)."""
    return reader._terms._postfile


# --------------------------------------------------------------------------------------------
# Columns


def length_column_name(fieldname: str) -> str:
    """The name of the per-document column where W3 keeps ``fieldname``'s length bytes."""
    from whoosh.codec.whoosh3 import _lenfield

    return _lenfield(fieldname)


def field_length_bytes(reader: Any, fieldname: str) -> bytes | array | None:
    """The segment's length bytes of ``fieldname`` by document (Whoosh's lengths column),
    or None if no document has the field; kept per reader."""
    cache = object_cache(reader, "lengths")
    if fieldname not in cache:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN

        column = reader._perdoc._cached_reader(length_column_name(fieldname), LENGTHS_COLUMN)
        if column is None:
            cache[fieldname] = None
        elif getattr(column, "_fixedlen", None) == 1:
            # One byte per document, stored contiguously; documents past the stored
            # count have the default length byte 0. Read at once: a one-shot query on
            # 20,000 articles spent 80 ms fetching the bytes one call each.
            stored = column._dbfile.get(column._basepos, column._count)
            cache[fieldname] = bytes(stored) + bytes(column._doccount - column._count)
        else:
            cache[fieldname] = array("B", column)
    return cache[fieldname]


def column_values(reader: Any, fieldname: str) -> list:
    """Every document's value of a segment's column, as ``list(reader.column_reader(...))``
    gives them, but read in one piece for Whoosh's reference and numeric columns (Whoosh
    fetches and unpacks one document at a time: 270 ms for 200,000 articles' outlets and
    days) and translated once per distinct value."""
    from whoosh.columns import NumericColumn, RefBytesColumn, VarBytesColumn

    column = reader.column_reader(fieldname)
    raw = column.raw_column() if hasattr(column, "raw_column") else column
    translate = getattr(column, "_translate", None) or (lambda v: v)
    count = reader.doc_count_all()
    if type(raw) is RefBytesColumn.Reader:
        refs = _big_endian_array(raw._typecode, raw._dbfile.get(raw._basepos, count * raw._itemsize))
        values = [translate(u) for u in raw._uniques]
        return [values[r] for r in refs]
    if type(raw) is NumericColumn.Reader:
        stored = min(raw._count, count)
        numbers = _big_endian_array(raw._typecode, raw._dbfile.get(raw._basepos, stored * raw._fixedlen))
        memo: dict = {}
        out = [memo[v] if v in memo else memo.setdefault(v, translate(v)) for v in numbers]
        return out + [translate(raw._default)] * (count - stored)
    if type(raw) is VarBytesColumn.Reader and raw._doccount == count and count:
        offsets, lengths = raw._offsets, raw._lengths
        data = raw._dbfile.get(raw._basepos, offsets[-1] + lengths[-1])
        memo = {}
        out = []
        for start, length in zip(offsets, lengths):
            value = data[start : start + length]
            out.append(memo[value] if value in memo else memo.setdefault(value, translate(value)))
        return out
    return list(column)


def _big_endian_array(typecode: str, data: bytes) -> array:
    values = array(typecode)
    if values.itemsize != struct.calcsize(typecode):
        return array(typecode, struct.unpack(f"!{len(data) // struct.calcsize(typecode)}{typecode}", data))
    values.frombytes(data)
    if sys.byteorder == "little":
        values.byteswap()
    return values


# --------------------------------------------------------------------------------------------
# Index files


def latest_toc_number(storage: Any, generation: str) -> int:
    """The number of the generation's latest table of contents (-1 when it has none)."""
    from whoosh.index import TOC

    return TOC._latest_generation(storage, generation)


def toc_filename(generation: str, number: int) -> str:
    from whoosh.index import TOC

    return TOC._filename(generation, number)


# --------------------------------------------------------------------------------------------
# Matchers and writers


def resync_require(matcher: Any) -> None:
    """Move a RequireMatcher's inner intersection to the next document both sides have
    (after its scored side skipped by quality alone)."""
    matcher.child._find_next()


def writer_new_task(writer: Any) -> Callable[[], Any]:
    """The multiprocess writer's method that starts a worker process."""
    return writer._new_task


def set_writer_new_task(writer: Any, new_task: Callable[[], Any]) -> None:
    writer._new_task = new_task


def writer_commit_toc(writer: Any) -> Callable[[Any], None]:
    """The writer's method that writes the new table of contents (the commit point)."""
    return writer._commit_toc


def set_writer_commit_toc(writer: Any, commit_toc: Callable[[Any], None]) -> None:
    writer._commit_toc = commit_toc


def postings_writer(fieldwriter: Any) -> Any:
    """The codec field writer's postings writer (None if it has none)."""
    return getattr(fieldwriter, "_postwriter", None)


def writes_byte_ids(postwriter: Any) -> bool:
    """Whether a W3 postings writer stores its block ids as bytes (small segments)."""
    return bool(postwriter._byteids)


def add_postings_in_blocks(postwriter: Any, ids: array, weights: array, values: list,
                   doc_lengths: list[int] | None) -> None:
    """What ``add_posting`` once per posting does, a block's worth at a time.

    Reaches into the Whoosh 2.7.5 postings writer's block buffer (the version is pinned):
    per-posting calls with their checks were a fifth of a full build.
    """
    limit = postwriter._blocklimit
    count = len(ids)
    start = 0
    while start < count:
        if len(postwriter._ids) >= limit:
            postwriter._write_block()  # as add_posting: a full block is written before adding more
        end = min(count, start + limit - len(postwriter._ids))
        block_ids = ids[start:end]
        block_weights = weights[start:end].tolist()
        postwriter._ids.extend(block_ids)
        postwriter._weights.fromlist(block_weights)
        heaviest = max(block_weights)
        if heaviest > postwriter._maxweight:
            postwriter._maxweight = heaviest
        postwriter._values.extend([value for value in values[start:end] if value])
        if doc_lengths is not None:
            block_lengths = [doc_lengths[docnum] for docnum in block_ids]
            block_lengths = [length for length in block_lengths if length]
            if block_lengths:
                shortest, longest = min(block_lengths), max(block_lengths)
                if postwriter._minlength is None or shortest < postwriter._minlength:
                    postwriter._minlength = shortest
                if longest > postwriter._maxlength:
                    postwriter._maxlength = longest
        start = end


# --------------------------------------------------------------------------------------------
# Highlighting


def set_highlight_chars(results: Any, fieldname: str, chars: dict) -> None:
    """Give the highlighter the character offsets of the matched words of ``results``' hits
    (what ``Highlighter._load_chars`` would read again from the postings)."""
    results._char_cache[fieldname] = chars


def terms_table(reader: Any) -> tuple[Any, dict[str, int]] | None:
    """A segment reader's W3 terms file (an ordered hash file whose keys are a field number
    and a term) and its field numbers, or None for another kind of reader (did-you-mean's
    word list reads it in one piece: :mod:`searchkit.engine.whoosh.lexicon`)."""
    terms = getattr(reader, "_terms", None)
    table = getattr(terms, "_tindex", None)
    fieldmap = getattr(terms, "_fieldmap", None)
    if table is None or fieldmap is None or not hasattr(table, "closest_key_pos"):
        return None
    return table, fieldmap
