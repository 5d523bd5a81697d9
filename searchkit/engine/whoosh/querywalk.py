"""The one walk over Whoosh's query tree that turns a query into the documents it matches.

Two algebras implement :class:`MatchAlgebra`, the protocol the walk calls at each node (as
Whoosh's ``Query.matcher`` lets each query kind build its own matcher, and as bm25s names a
plain backend and a fast one): Python sets of segment document numbers (the reference,
:class:`~searchkit.engine.whoosh.docsets.SetAlgebra`) and numpy boolean masks over a
segment's documents (:class:`~searchkit.engine.whoosh.dense.MaskAlgebra`). The walk knows
every query kind the compiler makes and what each means as a set operation; an algebra only
knows how to read a word's or a phrase's documents and how to combine two results. A query
kind the walk does not know is asked for its documents the slow way (``Query.docs``), so an
answer is always right, only sometimes slower.

The helpers below (:func:`leaves`, :func:`with_phrases_replaced`) are the other walks the
engine needs: over the leaves (words, phrases, ranges) and rebuilding a query for ranking.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar

from whoosh import query as wq

from . import internals
from .queries import ConstantScore, GappedPhrase

M = TypeVar("M")

#: Query kinds that stand for the words of the segment's lexicon they select.
_WORD_EXPANDING = (wq.Prefix, wq.Wildcard, wq.FuzzyTerm, wq.TermRange)


class MatchAlgebra(Protocol[M]):
    """What the walk needs from a representation of one segment's match sets."""

    #: The segment's reader (ranges and prefixes are expanded into its words).
    reader: object

    def term(self, fieldname: str, text: str | bytes) -> M:
        """The documents holding the word (a value to read, never to change in place)."""

    def phrase(self, phrase: GappedPhrase) -> M:
        """The documents where the phrase occurs."""

    def whoosh(self, q: wq.Query) -> M:
        """The documents of a query kind the walk does not know, as Whoosh finds them."""

    def none(self) -> M:
        """A new empty result (the walk may add to it in place)."""

    def every(self) -> M:
        """Every document of the segment (deleted ones included)."""

    def add(self, into: M, docs: M) -> M:
        """``into`` with ``docs`` added; ``into`` is a result :meth:`none` made."""

    def both(self, a: M, b: M) -> M:
        """The documents in both (a new result)."""

    def without(self, a: M, b: M) -> M:
        """The documents of ``a`` not in ``b`` (a new result)."""

    def is_empty(self, docs: M) -> bool: ...


def segment_matches(algebra: MatchAlgebra[M], q: wq.Query) -> M:
    """The documents of one segment that ``q`` matches, in ``algebra``'s representation
    (deleted documents are not taken out here)."""
    kind = type(q)
    if kind is wq.Term:
        return algebra.term(q.fieldname, q.text)
    if kind in (wq.Or, wq.DisjunctionMax):
        return _union(algebra, (segment_matches(algebra, sub) for sub in q.subqueries))
    if kind is wq.And:
        result = None
        for sub in q.subqueries:
            part = segment_matches(algebra, sub)
            result = part if result is None else algebra.both(result, part)
            if algebra.is_empty(result):
                break
        return result if result is not None else algebra.none()
    if kind is wq.AndMaybe:
        return segment_matches(algebra, q.a)
    if isinstance(q, wq.AndNot):  # and queries.Excluding
        return algebra.without(segment_matches(algebra, q.a), segment_matches(algebra, q.b))
    if isinstance(q, wq.Require):  # Require and queries.Filtered: both sides must match
        return algebra.both(segment_matches(algebra, q.a), segment_matches(algebra, q.b))
    if kind is wq.Not:
        return algebra.without(algebra.every(), segment_matches(algebra, q.query))
    if isinstance(q, ConstantScore) or kind is wq.ConstantScoreQuery:
        return segment_matches(algebra, q.child)
    if isinstance(q, wq.NumericRange):
        return segment_matches(algebra, internals.numeric_range_terms(q, algebra.reader))
    if kind in _WORD_EXPANDING:
        fieldname = q.fieldname
        return _union(algebra, (algebra.term(fieldname, btext)
                                for btext in internals.expanded_words(q, algebra.reader)))
    if kind is GappedPhrase:
        return algebra.phrase(q)
    if q is wq.NullQuery or kind is type(wq.NullQuery):
        return algebra.none()
    if kind is wq.Every:
        return algebra.every()
    return algebra.whoosh(q)  # other phrases need positions; anything else is Whoosh's to answer


def _union(algebra: MatchAlgebra[M], parts: Iterable[M]) -> M:
    result = algebra.none()
    for part in parts:
        result = algebra.add(result, part)
    return result


def leaves(q: wq.Query, opaque: tuple[type, ...] = (), *, sought: bool = False) -> Iterator[wq.Query]:
    """The leaves of ``q`` (words, phrases, ranges...), depth first; a node of a kind in
    ``opaque`` is yielded as it is, not looked into. With ``sought``, only the leaves a
    match looks for: none under a NOT, nor on the excluded side of an AND NOT."""
    if sought and isinstance(q, wq.Not):
        return
    if q.is_leaf() or isinstance(q, opaque):
        yield q
        return
    for child in [q.a] if sought and isinstance(q, wq.AndNot) else q.children():
        yield from leaves(child, opaque, sought=sought)


def with_phrases_replaced(q: wq.Query, replace: Callable[[GappedPhrase], wq.Query]) -> wq.Query:
    """``q`` with each phrase replaced by ``replace(phrase)`` (the rest rebuilt as it was)."""
    if type(q) is GappedPhrase:
        return replace(q)
    if q.is_leaf():
        return q
    return q.apply(lambda child: with_phrases_replaced(child, replace))
