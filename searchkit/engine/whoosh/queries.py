"""Whoosh query classes searchkit needs and Whoosh lacks or gets wrong.

Whoosh defects worked around here (each has a regression test in tests/test_query.py):
``NumericRange`` can match every document for wide ranges (:class:`DayRange`);
``Require``'s matcher trips an assertion when skipping by quality (:class:`Filtered`);
``AndNotMatcher`` can return an excluded document (:class:`Excluding`);
``ConstantScoreQuery`` stops being constant under ``terms=True`` (:class:`ConstantScore`).
"""

from __future__ import annotations

from typing import Sequence

from whoosh import matching
from whoosh.query import AndNot, NullQuery, NumericRange, Or, Phrase, Query, Require, Term, TermRange
from whoosh.query.spans import Span, SpanWrappingMatcher
from whoosh.query.wrappers import WrappingQuery
from whoosh.util import make_binary_tree
from whoosh.util.numeric import to_sortable

from . import internals

_MIN_DAY = 1  # day 0 means "date unknown" and must never match a date filter


class GappedPhrase(Phrase):
    """A phrase whose words must stand at given relative positions (``offsets``).

    ``"shock with waves"`` analyses to shock@0 wave@2; a plain Whoosh Phrase would demand
    them adjacent and miss the very text typed, or (with renumbered positions) match
    "shock waves". With ``near=N`` the words may instead appear in any order, with at
    most N other positions between the first and last of them.
    """

    def __init__(self, fieldname: str, words: Sequence[str],
                 offsets: Sequence[int] | None = None, near: int | None = None,
                 boost: float = 1.0) -> None:
        super().__init__(fieldname, list(words), slop=1, boost=boost)
        self.offsets = tuple(offsets) if offsets is not None else tuple(range(len(words)))
        if len(self.offsets) != len(self.words):
            raise ValueError("one offset per word")
        self.near = near

    def _key(self) -> tuple:
        return (self.fieldname, tuple(self.words), self.offsets, self.near, self.boost)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GappedPhrase) and type(other) is type(self) \
            and other._key() == self._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return "%s(%r, %r, offsets=%r, near=%r, boost=%r)" % (
            type(self).__name__, self.fieldname, self.words, self.offsets, self.near,
            self.boost)

    def __str__(self) -> str:
        near = "" if self.near is None else "~%d" % self.near
        return '%s:"%s"%s' % (self.fieldname, " ".join(self.words), near)

    def normalize(self) -> Query:
        if not self.words:
            return NullQuery
        if len(self.words) == 1:
            return Term(self.fieldname, self.words[0], boost=self.boost)
        return self

    def with_boost(self, boost: float) -> "GappedPhrase":
        return GappedPhrase(self.fieldname, self.words, self.offsets, self.near, boost)

    def replace(self, fieldname: str, oldtext: str, newtext: str) -> "GappedPhrase":
        words = [newtext if fieldname == self.fieldname and w == oldtext else w
                 for w in self.words]
        return GappedPhrase(self.fieldname, words, self.offsets, self.near, self.boost)

    def matcher(self, searcher, context=None):
        fieldname = self.fieldname
        if fieldname not in searcher.schema:
            return matching.NullMatcher()
        field = searcher.schema[fieldname]
        if not field.format or not field.format.supports("positions"):
            return matching.NullMatcher()
        leaves = self._word_matchers(searcher, context)
        if leaves is None:
            return matching.NullMatcher()
        m = _PositionsMatcher(leaves, self.offsets, self.near)
        if self.boost != 1.0:
            m = matching.WrappingMatcher(m, boost=self.boost)
        return m

    def words_matcher(self, searcher, context=None):
        """The intersection of the words, unboosted, scoring as the phrase does; None if a
        word is missing."""
        leaves = self._word_matchers(searcher, context)
        return None if leaves is None else make_binary_tree(matching.IntersectionMatcher, leaves)

    def _word_matchers(self, searcher, context):
        field = searcher.schema[self.fieldname]
        reader = searcher.reader()
        leaves = []
        for word in self.words:
            if (self.fieldname, field.to_bytes(word)) not in reader:
                return None
            leaves.append(Term(self.fieldname, word).matcher(searcher, context))
        return leaves


class _PositionsMatcher(SpanWrappingMatcher):
    """Intersection of the words' postings, kept where the positions fit the phrase."""

    def __init__(self, leaves, offsets, near):
        self.leaves = leaves
        self.offsets = offsets
        self.near = near
        super().__init__(make_binary_tree(matching.IntersectionMatcher, leaves))

    def copy(self):
        return type(self)([m.copy() for m in self.leaves], self.offsets, self.near)

    def replace(self, minquality=0):
        return self if self.is_active() else matching.NullMatcher()

    def supports_block_quality(self) -> bool:
        return self.child.supports_block_quality()

    def skip_to_quality(self, minquality):
        # The words' intersection may land on a document without the phrase: move on to
        # the next one that has it, as next() and skip_to() do. The words' block quality
        # bounds the phrase's score, which is the words' score.
        skipped = self.child.skip_to_quality(minquality)
        self._find_next()
        return skipped

    def _get_spans(self):
        positions = [[s.start for s in m.spans()] for m in self.leaves]
        if self.near is None:
            return _exact_spans(positions, self.offsets)
        return _near_spans(positions, self.near)


def phrase_spans(phrase: GappedPhrase, positions: list[list[int]]) -> list[Span]:
    """Where ``phrase`` occurs, given the sorted positions of each of its words."""
    if phrase.near is None:
        return _exact_spans(positions, phrase.offsets)
    return _near_spans(positions, phrase.near)


def phrase_occurs(phrase: GappedPhrase, positions: list[list[int]]) -> bool:
    """Whether ``phrase`` occurs at all, given the positions of each of its words."""
    if phrase.near is not None:
        return bool(_near_spans(positions, phrase.near))
    starts = set(positions[0])
    for off, ps in zip(phrase.offsets[1:], positions[1:]):
        starts.intersection_update([p - off for p in ps])
        if not starts:
            return False
    return True


def _exact_spans(positions: list[list[int]], offsets: Sequence[int]) -> list[Span]:
    later = [(off, set(ps)) for off, ps in zip(offsets[1:], positions[1:])]
    last = max(offsets)
    return [Span(p, p + last) for p in positions[0]
            if all(p + off in ps for off, ps in later)]


def _near_spans(positions: list[list[int]], near: int) -> list[Span]:
    """Windows holding every word (a repeated word as often as repeated) with at most
    ``near`` other positions inside; the smallest such window per start."""
    need: dict[tuple[int, ...], int] = {}
    for ps in positions:  # the same word twice has the same position list
        key = tuple(ps)
        need[key] = need.get(key, 0) + 1
    keys = list(need)
    events = sorted((p, k) for k, key in enumerate(keys) for p in key)
    wanted = [need[key] for key in keys]
    total = sum(wanted)
    have = [0] * len(keys)
    missing = len(keys)
    spans = []
    left = 0
    for right, (pos, k) in enumerate(events):
        have[k] += 1
        if have[k] == wanted[k]:
            missing -= 1
        while missing == 0:
            lpos, lk = events[left]
            if pos - lpos + 1 - total <= near:
                spans.append(Span(lpos, pos))
            have[lk] -= 1
            if have[lk] < wanted[lk]:
                missing += 1
            left += 1
    return spans


class ConstantScore(WrappingQuery):
    """Matches what ``child`` matches, every document scoring the constant ``score``.

    Unlike Whoosh's ConstantScoreQuery it stays constant when the collector needs the
    current match (``terms=True``, facets), which grouping="all_first" relies on.
    """

    def __init__(self, child: Query, score: float) -> None:
        super().__init__(child)
        self.score = score

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ConstantScore) and type(other) is type(self) \
            and other.child == self.child and other.score == self.score

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.child, self.score))

    def __repr__(self) -> str:
        return "%s(%r, score=%r)" % (type(self).__name__, self.child, self.score)

    def __str__(self) -> str:
        return "CONSTANT(%s, %g)" % (self.child, self.score)

    def _rewrap(self, child: Query) -> "ConstantScore":
        return ConstantScore(child, self.score)

    def with_boost(self, boost: float) -> "ConstantScore":
        return ConstantScore(self.child, self.score * boost)

    def matcher(self, searcher, context=None):
        m = self.child.matcher(searcher, searcher.boolean_context())
        if not m.is_active():
            return matching.NullMatcher()
        return _ConstantMatcher(m, self.score)


class _ConstantMatcher(matching.WrappingMatcher):
    def __init__(self, child, score):
        super().__init__(child)
        self._score = score

    def copy(self):
        return _ConstantMatcher(self.child.copy(), self._score)

    def _replacement(self, newchild):
        return _ConstantMatcher(newchild, self._score)

    def replace(self, minquality=0):
        if not self.is_active() or (minquality and self._score < minquality):
            return matching.NullMatcher()
        child = self.child.replace(0)
        return self if child is self.child else _ConstantMatcher(child, self._score)

    def supports_block_quality(self) -> bool:
        # Whoosh's unions skip the lower-quality side when the two current blocks cannot
        # reach the threshold; a constant side would be skipped to its end, and the
        # documents after that would lose the bonus. So no block-quality shortcuts here.
        return False

    def max_quality(self) -> float:
        return self._score

    def block_quality(self) -> float:
        return self._score

    def weight(self) -> float:
        return self._score

    def score(self) -> float:
        return self._score


def _split_trie(lo: int, hi: int, step: int, bits: int) -> list[tuple[int, int, int]]:
    """Cover [lo, hi] with (shift, a, b) blocks: the values whose ``v >> shift`` lies in
    [a, b]; coarse blocks in the middle, fine ones at the edges (as Lucene does)."""
    blocks = []
    shift = 0
    while lo <= hi:
        if step <= 0 or shift + step >= bits:
            blocks.append((shift, lo, hi))
            break
        up = (lo + (1 << step) - 1) >> step  # first whole coarse block
        down = ((hi + 1) >> step) - 1  # last whole coarse block
        if up > down:
            blocks.append((shift, lo, hi))
            break
        if lo < up << step:
            blocks.append((shift, lo, (up << step) - 1))
        if hi > ((down + 1) << step) - 1:
            blocks.append((shift, (down + 1) << step, hi))
        lo, hi = up, down
        shift += step
    return blocks


class DayRange(NumericRange):
    """An inclusive range on an integer NUMERIC field such as ``day``.

    Whoosh's NumericRange splits ranges into trie terms with ``split_ranges``, which is
    wrong for many ranges of an unsigned field: ``[20240410, 99991231]`` yields a block
    starting at 0, so it matches every document, undated ones included (the signed
    ``day`` field happens to avoid it for dates). This class does the split itself,
    correct for any range; everything else is NumericRange's.
    """

    def __init__(self, fieldname: str, start: int | None, end: int | None,
                 boost: float = 1.0) -> None:
        super().__init__(fieldname, start, end, boost=boost)

    def _compile_query(self, ixreader):
        field = ixreader.schema[self.fieldname]
        if not getattr(field, "sortable_to_bytes", None) or field.numtype is not int:
            raise TypeError("DayRange needs an integer NUMERIC field")
        top = (1 << field.bits) - 1

        def sortable(x: int) -> int:
            return min(max(to_sortable(int, field.bits, field.signed, int(x)), 0), top)

        lo = 0 if self.start is None else sortable(self.start)
        hi = top if self.end is None else sortable(self.end)
        if lo > hi:
            return NullQuery
        stb = field.sortable_to_bytes
        qs: list[Query] = []
        for shift, a, b in _split_trie(lo, hi, field.shift_step, field.bits):
            if a == b:
                qs.append(Term(self.fieldname, stb(a << shift, shift)))
            else:
                qs.append(TermRange(self.fieldname, stb(a << shift, shift),
                                    stb(b << shift, shift)))
        return ConstantScore(qs[0] if len(qs) == 1 else Or(qs), self.boost)


def day_range(first: int | None, last: int | None) -> Query:
    """Articles dated ``first`` to ``last`` (YYYYMMDD ints, inclusive; None = open).

    Undated articles (day 0) never match, even with an open start. The search layer
    should build ``since``/``until`` filters with this, not with NumericRange.
    """
    return DayRange("day", _MIN_DAY if first is None else max(first, _MIN_DAY), last)


def undated_query() -> Query:
    """Articles with no known date (day 0)."""
    return DayRange("day", 0, 0)


class Excluding(AndNot):
    """Documents of ``a`` that do not match ``b``.

    Whoosh's AndNotMatcher lets the first document of ``a`` through when ``b`` starts at a
    smaller document number, even if ``b`` also matches it (``laminar NOT provides``
    returned an article containing "provides"); this class uses a matcher that checks the
    first document like every other.
    """

    def matcher(self, searcher, context=None):
        scored = self.a.matcher(searcher, context)
        excluded = self.b.matcher(searcher, searcher.boolean_context())
        if not scored.is_active() or not excluded.is_active():
            return scored
        return _AndNotMatcher(scored, excluded)


class _AndNotMatcher(matching.AndNotMatcher):
    def _find_first(self):
        if self.a.is_active() and self.b.is_active():
            self._find_next()


class Filtered(Require):
    """Documents of ``a`` that also match ``b``, scored by ``a`` alone.

    Whoosh's RequireMatcher.skip_to_quality re-syncs its intersection even when nothing
    moved and trips an assertion (``satellite date:2024`` crashed in a search); this
    class uses a matcher that re-syncs only when needed.
    """

    def matcher(self, searcher, context=None):
        scored = self.a.matcher(searcher, context)
        required = self.b.matcher(searcher, searcher.boolean_context())
        return _RequireMatcher(scored, required)


class _RequireMatcher(matching.RequireMatcher):
    def skip_to_quality(self, minquality):
        skipped = self.a.skip_to_quality(minquality)
        if self.a.is_active() and self.b.is_active() and self.a.id() != self.b.id():
            internals.resync_require(self)
        return skipped


class AllWordsBonus(ConstantScore):
    """The bonus of grouping="all_first" (a distinct type so it can be recognised)."""

    def __str__(self) -> str:
        return "ALL-WORDS-FIRST(%s, +%g)" % (self.child, self.score)

    def _rewrap(self, child: Query) -> "AllWordsBonus":
        return AllWordsBonus(child, self.score)
