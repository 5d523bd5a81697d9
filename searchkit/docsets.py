"""The set of documents a query matches, read straight from posting lists, without scoring.

Whoosh counts matches (``docs_for_query``, ``len(results)``, a filter or a mask) by walking
the query's matcher one posting at a time, several Python calls per posting per clause: on
20,000 articles that was a third of a two-word query's time. Reading each term's posting
blocks whole into a set and combining the sets with set operations gives the same documents
several times faster; the sets then serve as the exact total, as the filter and mask of the
ranking pass, and as the input of facet counts (:func:`facet_counts`, from cached columns).

Document numbers are the searcher's (global) numbers; deleted documents are never in a set.
Query types this module does not know are asked for their documents the slow way, so a
result is always right, only sometimes slower.
"""

from __future__ import annotations

import weakref
from itertools import accumulate
from typing import Iterable

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

from .query import ConstantScore

DocSet = set[int]


def matching_docs(searcher, query: wq.Query) -> DocSet:  # type: ignore[no-untyped-def]
    """Global numbers of the live documents that match ``query``."""
    docs: DocSet = set()
    for leaf, offset in searcher.leaf_searchers():
        local = _segment_docs(leaf, leaf.reader(), query)
        deleted = leaf.reader().deleted_docs_set
        if deleted:
            local -= deleted
        docs.update(local if not offset else (d + offset for d in local))
    return docs


def _segment_docs(leaf, reader, q: wq.Query) -> DocSet:  # type: ignore[no-untyped-def]
    """Segment-local numbers of the documents ``q`` matches (deleted ones may be included)."""
    kind = type(q)
    if kind is wq.Term:
        return _term_docs(reader, q.fieldname, q.text)
    if kind in (wq.Or, wq.DisjunctionMax):
        docs: DocSet = set()
        for sub in q.subqueries:
            docs |= _segment_docs(leaf, reader, sub)
        return docs
    if kind is wq.And:
        return _intersection(_segment_docs(leaf, reader, sub) for sub in q.subqueries)
    if kind is wq.AndMaybe:
        return _segment_docs(leaf, reader, q.a)
    if isinstance(q, wq.AndNot):  # and query.Excluding
        return _segment_docs(leaf, reader, q.a) - _segment_docs(leaf, reader, q.b)
    if isinstance(q, wq.Require):  # Require and query.Filtered: both sides must match
        return _segment_docs(leaf, reader, q.a) & _segment_docs(leaf, reader, q.b)
    if kind is wq.Not:
        return set(range(reader.doc_count_all())) - _segment_docs(leaf, reader, q.query)
    if isinstance(q, ConstantScore) or kind is wq.ConstantScoreQuery:
        return _segment_docs(leaf, reader, q.child)
    if isinstance(q, wq.NumericRange):
        return _segment_docs(leaf, reader, q._compile_query(reader))
    if kind in (wq.Prefix, wq.Wildcard, wq.FuzzyTerm, wq.TermRange):
        docs = set()
        for btext in q._btexts(reader):
            docs |= _term_docs(reader, q.fieldname, btext)
        return docs
    if q is wq.NullQuery or kind is type(wq.NullQuery):
        return set()
    if kind is wq.Every:
        return set(range(reader.doc_count_all()))
    # Phrases need positions, and anything else is Whoosh's to answer.
    return set(q.docs(leaf))


def _intersection(sets: Iterable[DocSet]) -> DocSet:
    result: DocSet | None = None
    for docs in sets:
        result = docs if result is None else result & docs
        if not result:
            return set()
    return result or set()


def _term_docs(reader, fieldname: str, text: str | bytes) -> DocSet:  # type: ignore[no-untyped-def]
    try:
        matcher = reader.postings(fieldname, text)
    except TermNotFound:
        return set()
    if isinstance(matcher, FilterMatcher):  # deletions: matching_docs removes them
        matcher = matcher.child
    if type(matcher) is not W3LeafMatcher:
        return set(matcher.all_ids())
    return _block_ids(matcher)


def _block_ids(matcher: W3LeafMatcher) -> DocSet:
    """Every id of a fresh on-disk posting list, decoded a block at a time.

    Uses the matcher's block fields (Whoosh 2.7's W3LeafMatcher; whoosh-reloaded is pinned
    in pyproject.toml): the public ``all_ids()`` makes three Python calls per posting.
    """
    docs: DocSet = set()
    while True:
        if matcher._data is None:
            matcher._read_data()
        ids = matcher._data[0]
        docs.update(ids if matcher._byteids else accumulate(ids))
        if matcher._lastblock:
            return docs
        matcher._goto(matcher._nextoffset)


# --------------------------------------------------------------------------------------------
# Facets


class _FacetColumns:
    """Outlet and day of every document of one searcher, by global document number."""

    def __init__(self, searcher) -> None:  # type: ignore[no-untyped-def]
        size = searcher.doc_count_all()
        self.outlet: list[str] = [""] * size
        self.day: list[int] = [0] * size
        for leaf, offset in searcher.reader().leaf_readers():
            count = leaf.doc_count_all()
            if not count:
                continue
            self.outlet[offset : offset + count] = list(leaf.column_reader("outlet"))
            self.day[offset : offset + count] = list(leaf.column_reader("day"))


_columns_of: "weakref.WeakKeyDictionary[object, _FacetColumns]" = weakref.WeakKeyDictionary()


def facet_columns(searcher) -> _FacetColumns:  # type: ignore[no-untyped-def]
    """The searcher's outlet and day columns, read once per searcher (a new index version
    gets a new searcher)."""
    columns = _columns_of.get(searcher)
    if columns is None:
        columns = _columns_of[searcher] = _FacetColumns(searcher)
    return columns


def facet_counts(searcher, docs: DocSet) -> tuple[dict[str, int], dict[int, int]]:  # type: ignore[no-untyped-def]
    """How many of ``docs`` each outlet and each day (YYYYMMDD, 0 for undated) has."""
    columns = facet_columns(searcher)
    outlet, day = columns.outlet, columns.day
    by_outlet: dict[str, int] = {}
    by_day: dict[int, int] = {}
    for doc in docs:
        name = outlet[doc]
        by_outlet[name] = by_outlet.get(name, 0) + 1
        d = day[doc]
        by_day[d] = by_day.get(d, 0) + 1
    return by_outlet, by_day
