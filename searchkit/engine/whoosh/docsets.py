"""The set of documents a query matches, read straight from posting lists, without scoring.

Whoosh counts matches (``docs_for_query``, ``len(results)``, a filter or a mask) by walking
the query's matcher one posting at a time, several Python calls per posting per clause: on
20,000 articles that was a third of a two-word query's time. Reading each term's posting
blocks whole into a set and combining the sets with set operations gives the same documents
several times faster; the sets then serve as the exact total, as the filter and mask of the
ranking pass, and as the input of facet counts (:mod:`searchkit.engine.whoosh.facets`).

Document numbers are the searcher's (global) numbers; deleted documents are never in a set.
The query tree is walked by :func:`~searchkit.engine.whoosh.querywalk.segment_matches`;
:class:`SetAlgebra` is its set implementation, the reference the numpy one is tested against.
"""

from __future__ import annotations

import pickle
from itertools import accumulate
from typing import Any, Iterable

from whoosh import formats
from whoosh import query as wq
from whoosh.matching.wrappers import FilterMatcher

from . import internals
from .queries import GappedPhrase, phrase_occurs
from .querywalk import segment_matches, with_phrases_replaced

DocSet = set[int]


def matching_docs(searcher, query: wq.Query, postings: "SearchPostings | None" = None) -> DocSet:
    """Global numbers of the live documents that match ``query``.

    ``postings`` keeps what was read for ranking (:class:`SearchPostings`).
    """
    docs: DocSet = set()
    postings = postings if postings is not None else SearchPostings()
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        local = segment_matches(SetAlgebra(leaf, reader, postings), query)
        deleted = reader.deleted_docs_set
        if deleted:
            local = local - deleted  # not in place: local may be a cached word set
        docs.update(local if not offset else (d + offset for d in local))
    return docs


class SetAlgebra:
    """One segment's match sets as Python sets of segment document numbers: the reference
    implementation of :class:`~searchkit.engine.whoosh.querywalk.MatchAlgebra`."""

    def __init__(self, leaf, reader, postings: "SearchPostings") -> None:
        self.leaf = leaf
        self.reader = reader
        self.postings = postings

    def term(self, fieldname: str, text: str | bytes) -> DocSet:
        return self.postings.term_docs(self.reader, fieldname, text)

    def phrase(self, phrase: GappedPhrase) -> DocSet:
        return set(self.postings.phrase_docs(self.reader, phrase))

    def whoosh(self, q: wq.Query) -> DocSet:
        return set(q.docs(self.leaf))

    def none(self) -> DocSet:
        return set()

    def every(self) -> DocSet:
        return set(range(self.reader.doc_count_all()))

    def add(self, into: DocSet, docs: DocSet) -> DocSet:
        into |= docs
        return into

    def both(self, a: DocSet, b: DocSet) -> DocSet:
        return a & b

    def without(self, a: DocSet, b: DocSet) -> DocSet:
        return a - b

    def is_empty(self, docs: DocSet) -> bool:
        return not docs


def _intersection(sets: Iterable[DocSet]) -> DocSet:
    result: DocSet | None = None
    for docs in sets:
        result = docs if result is None else result & docs
        if not result:
            return set()
    return result or set()


def _phrase_docs(reader, phrase: GappedPhrase, postings: "SearchPostings") -> DocSet:
    """Documents where the phrase's words stand at the phrase's positions.

    Intersects the words' documents first, then decodes positions only for those; the
    positions come from the same blocks as the ids, each block read once.
    """
    fieldname = phrase.fieldname
    if fieldname not in reader.schema or not reader.schema[fieldname].format.supports("positions"):
        return set()
    words = list(dict.fromkeys(phrase.words))
    blocks = {w: postings.blocks(reader, fieldname, w) for w in words}
    candidates = _intersection({d for ids, _, _ in blocks[w] for d in ids} for w in words)
    if not candidates:
        return set()
    decode = _positions_decoder(reader.schema[fieldname].format)
    positions: dict[str, dict[int, list[int]]] = {}
    for w in words:
        found = positions[w] = {}
        for ids, _weights, values in blocks[w]:
            for i, d in enumerate(ids):
                if d in candidates:
                    found[d] = decode(values[i])
    return {d for d in candidates if phrase_occurs(phrase, [positions[w][d] for w in phrase.words])}


def _positions_decoder(fmt):
    """``fmt.decode_positions``, with a shortcut for Whoosh's Characters format (the text
    fields'): its values are a 4-byte count and a pickled list of (position delta, start
    delta, length) tuples missing the final STOP opcode."""
    if type(fmt) is not formats.Characters:
        return fmt.decode_positions
    loads = pickle.loads

    def decode(value: bytes) -> list[int]:
        return list(accumulate([code[0] for code in loads(value[4:] + b".")]))

    return decode


# --------------------------------------------------------------------------------------------
# Phrases ranked without checking positions twice


class SearchPostings:
    """What one search read from the posting lists, per segment: each word's blocks (ids
    and weights) and each phrase's documents, so that counting, ranking and scoring read
    them once.

    Counting a phrase query decodes positions; ranking it through Whoosh's phrase matcher
    would decode them all again. :meth:`rank_query` swaps each phrase for its words limited
    to the documents already found, which scores exactly the same (a phrase scores as the
    sum of its words) without touching a position.
    """

    def __init__(self) -> None:
        self._sets: dict[tuple[tuple, int], DocSet] = {}
        self._blocks: dict[tuple[int, str, str | bytes], list[tuple[list[int], object, object]]] = {}
        self._term_sets: dict[tuple[int, str, str | bytes], DocSet] = {}

    def blocks(self, reader, fieldname: str, text: str | bytes) -> list[tuple[list[int], Any, Any]]:
        """(ids, weights, values) per block of a word's postings in a segment
        (see :func:`internals.posting_blocks`), read once per search."""
        key = (id(reader), fieldname, text)
        found = self._blocks.get(key)
        if found is None:
            found = self._blocks[key] = list(internals.posting_blocks(reader, fieldname, text))
        return found

    def cached_blocks(self, reader, fieldname: str, text: str | bytes):
        """The blocks this search already read for the word, or None."""
        return self._blocks.get((id(reader), fieldname, text))

    def term_docs(self, reader, fieldname: str, text: str | bytes) -> DocSet:
        """The word's documents in the segment (a set to read, not to change)."""
        key = (id(reader), fieldname, text)
        docs = self._term_sets.get(key)
        if docs is None:
            docs = self._term_sets[key] = set()
            for ids, _weights, _values in self.blocks(reader, fieldname, text):
                docs.update(ids)
        return docs

    def phrase_docs(self, reader, phrase: GappedPhrase) -> DocSet:
        key = (phrase._key(), id(reader))
        found = self._sets.get(key)
        if found is None:
            found = self._sets[key] = _phrase_docs(reader, phrase, self)
        return found

    def rank_query(self, q: wq.Query) -> wq.Query:
        return with_phrases_replaced(q, lambda phrase: _PhraseInSets(phrase, self))


class _PhraseInSets(wq.Query):
    """A phrase's words, matching only where :class:`SearchPostings` found the phrase."""

    def __init__(self, phrase: GappedPhrase, sets: SearchPostings) -> None:
        self.phrase = phrase
        self.sets = sets
        self.boost = phrase.boost

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.phrase == self.phrase

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.phrase))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.phrase!r})"

    def is_leaf(self) -> bool:
        return True

    def normalize(self) -> wq.Query:
        return self

    def estimate_size(self, ixreader) -> int:
        return self.phrase.estimate_size(ixreader)

    def estimate_min_size(self, ixreader) -> int:
        return self.phrase.estimate_min_size(ixreader)

    def matcher(self, searcher, context=None):
        from whoosh import matching

        docs = self.sets.phrase_docs(searcher.reader(), self.phrase)
        words = self.phrase.words_matcher(searcher, context) if docs else None
        if words is None:
            return matching.NullMatcher()
        return _InSetMatcher(words, docs, boost=self.boost)


class _InSetMatcher(FilterMatcher):
    """Whoosh's FilterMatcher, also after skipping blocks by quality (Whoosh's lands on
    whatever document starts the new block, in the set or not)."""

    def skip_to_quality(self, minquality):
        skipped = self.child.skip_to_quality(minquality / self.boost)
        self._find_next()
        return skipped

