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


def field_length_bytes(reader: Any, fieldname: str) -> bytes | array | None:
    """The segment's length bytes of ``fieldname`` by document (Whoosh's lengths column),
    or None if no document has the field; kept per reader."""
    cache = object_cache(reader, "lengths")
    if fieldname not in cache:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN

        column = reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
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


# --------------------------------------------------------------------------------------------
# Highlighting


def set_highlight_chars(results: Any, fieldname: str, chars: dict) -> None:
    """Give the highlighter the character offsets of the matched words of ``results``' hits
    (what ``Highlighter._load_chars`` would read again from the postings)."""
    results._char_cache[fieldname] = chars
