"""The searchkit query language: text in, a ``whoosh.query.Query`` out.

One parser serves the CLI, the shell and the library. It is written here as a small
tokenizer plus a recursive-descent parser rather than configured from Whoosh's
``QueryParser``, because what we need from it is what that parser does not give:

* it must be *total*: any string yields a query or a :class:`QueryError` with a message
  and a position, never another exception (Whoosh's parser raises AttributeError on some
  inputs and its date plugin mangles ``date:2019-02-02``, DESIGN pitfall 5);
* exact phrases must respect the gaps stop words leave (pitfall 11), which no Whoosh
  phrase class does: :class:`GappedPhrase` matches words at exact relative positions;
* pasted text (``plain=True``) must treat every character as text (pitfall 12);
* ``date:`` values, ``outlet:`` names and words with a colon need rules of our own.

Language (operator mode, the default)::

    satellites launch        words; all of them ranks first, any one of them is found
    "shock waves"            exact phrase (stop-word gaps kept: not "shock with waves")
    "china russia"~5         both words within 5 other words of each other, any order
    a AND b, a OR b, NOT a   operators, uppercase only; lowercase and/or/not are words
    -word, +word             must not / must contain; (a OR b) groups
    satell*  m?cro           prefix / wildcard on the indexed terms
    nitrocelulose~  word~2   fuzzy (edit distance 0..2; default by length)
    title:word  title:"a b"  body:word   one field;  field:(a OR b) for a group
    outlet:forbes  outlet:"EU Today"     outlet name words (case-insensitive), a filter
    date:2024  date:2024-04  date:2024-04-07
    date:[2024-04-01 TO 2024-04-08]  date:[2024-04 TO *]  date:{2024 TO 2025}
    date:>=2024-04-01  date:<2024-05     dates, filters; undated articles never match

Decisions worth knowing:

* Precedence: ``NOT`` > ``AND`` > ``OR`` > adjacency. As in Lucene, an explicit AND
  expression inside a list of words is required (``a b AND c`` needs b and c, a ranks).
* ``date:`` and ``outlet:`` clauses are filters: next to words they restrict the result
  without changing the ranking (``china date:2024`` = china, in 2024).
* A list of words is combined by ``grouping`` (measured by the ranking work):
  ``"all_first"`` (default) finds documents with any word and adds a constant bonus
  larger than any BM25 score to those with all words, so they always rank first;
  ``"coord"`` is Whoosh's coordination bonus; ``"or"`` and ``"and"`` are plain.
* Pure negative queries (``-china``, ``NOT china``) match every article without the word;
  ``NOT`` with nothing after it is an error.
* A word of only stop words is dropped; a query left with nothing raises QueryError
  (operator mode) or returns ``NullQuery`` (plain mode, which never raises).
* A word that analyses to several tokens (``covid-19``, ``U.S.-China``, ``16:10``) is a
  phrase of those tokens.
* A trailing ``?`` is punctuation (``what is nitrocellulose?``), not a wildcard; ``*``
  anywhere and ``?`` inside a word are wildcards. A prefix matches index terms starting
  with the typed text or with its stem, so ``satellites*`` finds "satellite" too.
* An unclosed quote runs to the end of the query and an unclosed ``(`` closes at the end;
  a stray ``)``, an unclosed date bracket and ``AND``/``OR``/``NOT`` with a missing
  operand are errors.
* ``NAME:value`` is a field only for known names (title, body, outlet, date; any case).
  For an unknown NAME of two or more ASCII letters directly followed by a letter, quote,
  bracket or parenthesis it is an error ("unknown field 'foo'"); otherwise it is text:
  ``http://x``, ``16:10``, ``localhost:8080``, ``C:\\dir``, ``Note: this``.
* Curly quotes (“ ” „ « ») delimit phrases like ``"``.
* Proximity counts positions, stop words included: ``"a b"~N`` allows at most N other
  words between the first and last of the phrase's words.

Whoosh defects worked around here (each has a regression test in tests/test_query.py):
``NumericRange`` can match every document for wide ranges (:class:`DayRange`);
``Require``'s matcher trips an assertion when skipping by quality (:class:`Filtered`);
``ConstantScoreQuery`` stops being constant under ``terms=True`` (:class:`ConstantScore`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Iterable, Sequence

from whoosh import matching
from whoosh.query import (
    And,
    AndMaybe,
    AndNot,
    DisjunctionMax,
    FuzzyTerm,
    Not,
    NullQuery,
    NumericRange,
    Or,
    Phrase,
    Prefix,
    Query,
    Require,
    Term,
    TermRange,
    Wildcard,
)
from whoosh.query.spans import Span, SpanWrappingMatcher
from whoosh.query.terms import MultiTerm
from whoosh.query.wrappers import WrappingQuery
from whoosh.util import make_binary_tree
from whoosh.util.numeric import to_sortable

from .analysis import stem, text_analyzer
from .errors import QueryError
from .schema import DEFAULT_FIELDS

__all__ = [
    "DEFAULT_FIELD_BOOSTS",
    "GROUPINGS",
    "GappedPhrase",
    "ConstantScore",
    "DayRange",
    "Filtered",
    "day_range",
    "parse_query",
    "query_words",
]

#: BM25F-style field weights for unfielded words (the ranking work tunes them).
# The title line is also part of the body, so a title word already counts twice; a title
# boost of 2 let generic title words outrank rarer words of the text. 0.5 was chosen by
# two-fold cross-validation on Cranfield (both folds; benchmarks/relevance.py).
DEFAULT_FIELD_BOOSTS: dict[str, float] = {"title": 0.5, "body": 1.0, "outlet_text": 1.0}

#: How a list of words is combined; see the module docstring.
GROUPINGS = ("all_first", "coord", "or", "and")
#: How the per-field clauses of one word are combined: summed ("or") or best field ("max").
MULTIFIELD = ("or", "max")
#: How a word repeated in plain (pasted) text counts: once (default: measured slightly
#: better on Cranfield, nDCG@10 0.370 vs 0.368), or its count as a boost.
REPEATS = ("once", "count")

#: Coordination scale for grouping="coord" (Whoosh's OrGroup.factory(0.9)).
COORD_SCALE = 0.9
#: Deepest nesting of parentheses / NOT accepted (guards the recursion).
MAX_DEPTH = 32
#: Word lists longer than this are OR-ed without the all-words-first bonus (see _group).
ALL_FIRST_MAX_WORDS = 6
#: Largest fuzzy edit distance (Whoosh's automata get slow beyond it) and proximity.
MAX_FUZZY = 2
MAX_NEAR = 1000

#: Field names a user may type, and the index field each searches.
USER_FIELDS = {"title": "title", "body": "body", "outlet": "outlet_text", "date": "day"}
_KNOWN_LIST = ", ".join(USER_FIELDS)
_FILTER_FIELDS = frozenset({"outlet", "date"})
#: Field-like prefixes that are really text (URIs); ``name:`` followed by a digit is too.
_URI_SCHEMES = frozenset({"mailto", "tel", "urn", "doi", "isbn", "issn", "arxiv", "pmid"})

_QUOTES = frozenset('"\u201c\u201d\u201e\u00ab\u00bb')
_FIELD_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):")
_FUZZY_RE = re.compile(r"^(.+?)~(\d*)$", re.S)
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_CMP_RE = re.compile(r"^(>=|<=|>|<)?(.*)$", re.S)
_WORDCHAR_RE = re.compile(r"\w")
_EDGE_RE = re.compile(r"^[^\w*?]+|[^\w*?]+$")
_OPERATORS = frozenset({"AND", "OR", "NOT"})
_MIN_DAY = 1  # day 0 means "date unknown" and must never match a date filter


@lru_cache(maxsize=1)
def _analyzer():  # type: ignore[no-untyped-def]
    return text_analyzer()


@lru_cache(maxsize=4096)
def _analyse(text: str) -> tuple[tuple[int, str], ...]:
    """(position, indexed term) pairs; positions keep the gaps of dropped stop words."""
    return tuple((t.pos, t.text) for t in _analyzer()(text, positions=True))


def _show(text: str, limit: int = 40) -> str:
    """User text made safe for a one-line message (no control characters, bounded)."""
    if len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return "".join(c if c.isprintable() else "\\x%02x" % ord(c) if ord(c) < 256
                   else "\\u%04x" % ord(c) for c in text)


# ---------------------------------------------------------------------------------------
# Query classes Whoosh lacks


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

    def matcher(self, searcher, context=None):  # type: ignore[no-untyped-def]
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

    def words_matcher(self, searcher, context=None):  # type: ignore[no-untyped-def]
        """The intersection of the words, unboosted, scoring as the phrase does; None if a
        word is missing."""
        leaves = self._word_matchers(searcher, context)
        return None if leaves is None else make_binary_tree(matching.IntersectionMatcher, leaves)

    def _word_matchers(self, searcher, context):  # type: ignore[no-untyped-def]
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

    def __init__(self, leaves, offsets, near):  # type: ignore[no-untyped-def]
        self.leaves = leaves
        self.offsets = offsets
        self.near = near
        super().__init__(make_binary_tree(matching.IntersectionMatcher, leaves))

    def copy(self):  # type: ignore[no-untyped-def]
        return type(self)([m.copy() for m in self.leaves], self.offsets, self.near)

    def replace(self, minquality=0):  # type: ignore[no-untyped-def]
        return self if self.is_active() else matching.NullMatcher()

    def supports_block_quality(self) -> bool:
        return self.child.supports_block_quality()

    def skip_to_quality(self, minquality):  # type: ignore[no-untyped-def]
        # The words' intersection may land on a document without the phrase: move on to
        # the next one that has it, as next() and skip_to() do. The words' block quality
        # bounds the phrase's score, which is the words' score.
        skipped = self.child.skip_to_quality(minquality)
        self._find_next()
        return skipped

    def _get_spans(self):  # type: ignore[no-untyped-def]
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

    def _rewrap(self, child: Query) -> "ConstantScore":
        return ConstantScore(child, self.score)

    def with_boost(self, boost: float) -> "ConstantScore":
        return ConstantScore(self.child, self.score * boost)

    def matcher(self, searcher, context=None):  # type: ignore[no-untyped-def]
        m = self.child.matcher(searcher, searcher.boolean_context())
        if not m.is_active():
            return matching.NullMatcher()
        return _ConstantMatcher(m, self.score)


class _ConstantMatcher(matching.WrappingMatcher):
    def __init__(self, child, score):  # type: ignore[no-untyped-def]
        super().__init__(child)
        self._score = score

    def copy(self):  # type: ignore[no-untyped-def]
        return _ConstantMatcher(self.child.copy(), self._score)

    def _replacement(self, newchild):  # type: ignore[no-untyped-def]
        return _ConstantMatcher(newchild, self._score)

    def replace(self, minquality=0):  # type: ignore[no-untyped-def]
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

    def _compile_query(self, ixreader):  # type: ignore[no-untyped-def]
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
        return ConstantScore(_or(qs), self.boost)


def day_range(first: int | None, last: int | None) -> Query:
    """Articles dated ``first`` to ``last`` (YYYYMMDD ints, inclusive; None = open).

    Undated articles (day 0) never match, even with an open start. The search layer
    should build ``since``/``until`` filters with this, not with NumericRange.
    """
    return DayRange("day", _MIN_DAY if first is None else max(first, _MIN_DAY), last)


class Excluding(AndNot):
    """Documents of ``a`` that do not match ``b``.

    Whoosh's AndNotMatcher lets the first document of ``a`` through when ``b`` starts at a
    smaller document number, even if ``b`` also matches it (``laminar NOT provides``
    returned an article containing "provides"); this class uses a matcher that checks the
    first document like every other.
    """

    def matcher(self, searcher, context=None):  # type: ignore[no-untyped-def]
        scored = self.a.matcher(searcher, context)
        excluded = self.b.matcher(searcher, searcher.boolean_context())
        if not scored.is_active() or not excluded.is_active():
            return scored
        return _AndNotMatcher(scored, excluded)


class _AndNotMatcher(matching.AndNotMatcher):
    def _find_first(self):  # type: ignore[no-untyped-def]
        if self.a.is_active() and self.b.is_active():
            self._find_next()


class Filtered(Require):
    """Documents of ``a`` that also match ``b``, scored by ``a`` alone.

    Whoosh's RequireMatcher.skip_to_quality re-syncs its intersection even when nothing
    moved and trips an assertion (``satellite date:2024`` crashed in a search); this
    class uses a matcher that re-syncs only when needed.
    """

    def matcher(self, searcher, context=None):  # type: ignore[no-untyped-def]
        scored = self.a.matcher(searcher, context)
        required = self.b.matcher(searcher, searcher.boolean_context())
        return _RequireMatcher(scored, required)


class _RequireMatcher(matching.RequireMatcher):
    def skip_to_quality(self, minquality):  # type: ignore[no-untyped-def]
        skipped = self.a.skip_to_quality(minquality)
        if self.a.is_active() and self.b.is_active() and self.a.id() != self.b.id():
            self.child._find_next()
        return skipped


# ---------------------------------------------------------------------------------------
# Tokenizer


class _Tok:
    """One token: kind is WORD PHRASE LPAREN RPAREN AND OR NOT MINUS PLUS FIELD RANGE EOF;
    ``near`` is a phrase's proximity."""

    __slots__ = ("kind", "text", "pos", "end", "near")

    def __init__(self, kind: str, text: str, pos: int, end: int,
                 near: int | None = None) -> None:
        self.kind = kind
        self.text = text
        self.pos = pos
        self.end = end
        self.near = near


def _digits(text: str, i: int) -> int:
    j = i
    while j < len(text) and "0" <= text[j] <= "9":
        j += 1
    return j


def _tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    n = len(text)
    i = 0
    after_modifier = False
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            after_modifier = False
            continue
        glued_to_field = bool(toks) and toks[-1].kind == "FIELD" and toks[-1].end == i
        if c == "(":
            toks.append(_Tok("LPAREN", c, i, i + 1))
            i += 1
        elif c == ")":
            toks.append(_Tok("RPAREN", c, i, i + 1))
            i += 1
        elif c in _QUOTES:
            j = i + 1
            while j < n and text[j] not in _QUOTES:
                j += 1
            body = text[i + 1 : j]
            j = min(j + 1, n)  # past the closing quote; an unclosed one runs to the end
            near = None
            if j < n and text[j] == "~":
                k = _digits(text, j + 1)
                if k == j + 1:
                    raise QueryError(
                        "'~' after a phrase needs a number of words, as in \"a b\"~5", j)
                if k - j - 1 > 4 or int(text[j + 1 : k]) > MAX_NEAR:
                    raise QueryError("proximity must be at most %d words" % MAX_NEAR, j)
                near = int(text[j + 1 : k])
                j = k
            toks.append(_Tok("PHRASE", body, i, j, near))
            i = j
        elif (c in "+-" and not after_modifier and i + 1 < n and not text[i + 1].isspace()
              and (i == 0 or text[i - 1].isspace() or text[i - 1] == "(")):
            toks.append(_Tok("MINUS" if c == "-" else "PLUS", c, i, i + 1))
            i += 1
            after_modifier = True
            continue
        else:
            m = None if glued_to_field else _FIELD_RE.match(text, i)
            if m is not None:
                name = m.group(1)
                key = name.lower()
                j = m.end()
                nxt = text[j] if j < n else ""
                if key in USER_FIELDS:
                    toks.append(_Tok("FIELD", key, i, j))
                    i = j
                    if key == "date":
                        k = j
                        while k < n and text[k].isspace():
                            k += 1
                        if k < n and text[k] in "[{":
                            close = text.find("]", k)
                            close2 = text.find("}", k)
                            ends = [e for e in (close, close2) if e != -1]
                            if not ends:
                                raise QueryError(
                                    "unclosed '%s' in date range" % text[k], k)
                            e = min(ends)
                            toks.append(_Tok("RANGE", text[k : e + 1], k, e + 1))
                            i = e + 1
                    after_modifier = False
                    continue
                if (len(name) >= 2 and key not in _URI_SCHEMES and nxt
                        and (nxt.isalpha() or nxt in _QUOTES or nxt in "([{*?_")):
                    word_end = j
                    while word_end < n and not text[word_end].isspace():
                        word_end += 1
                    raise QueryError(
                        "unknown field '%s' (known: %s); to search for the text, quote "
                        'it: "%s"' % (_show(name), _KNOWN_LIST, _show(text[i:word_end])), i)
            j = i
            while j < n and not text[j].isspace() and text[j] not in "()" \
                    and text[j] not in _QUOTES:
                j += 1
            word = text[i:j]
            toks.append(_Tok(word if word in _OPERATORS else "WORD", word, i, j))
            i = j
        after_modifier = False
    toks.append(_Tok("EOF", "", n, n))
    return toks


# ---------------------------------------------------------------------------------------
# Parser + compiler


class _Node:
    """A compiled piece of query. ``sign`` is "" (ranks), "+" (required) or "-" (query
    holds what must NOT match); ``filter`` marks date:/outlet: restrictions."""

    __slots__ = ("query", "sign", "filter", "function_word")

    def __init__(self, query: Query, sign: str = "", filter: bool = False,
                 function_word: bool = False) -> None:
        self.query = query
        self.sign = sign
        self.filter = filter
        #: A bare function word ("what", "any"): dropped from a word list with other words.
        self.function_word = function_word


class _Options:
    """The knobs of one parse_query call."""

    __slots__ = ("fields", "boosts", "grouping", "multifield", "repeats")

    def __init__(self, fields: tuple[str, ...], boosts: dict[str, float], grouping: str,
                 multifield: str, repeats: str) -> None:
        self.fields = fields
        self.boosts = boosts
        self.grouping = grouping
        self.multifield = multifield
        self.repeats = repeats


class _Parser:
    def __init__(self, text: str, opts: _Options) -> None:
        self.text = text
        self.opts = opts
        self.toks = _tokenize(text)
        self.i = 0
        self.depth = 0
        self.dropped: list[str] = []  # stop words dropped, for the "nothing left" message

    # -- token helpers
    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def enter(self, tok: _Tok) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError("query nested too deeply (more than %d levels of "
                             "parentheses or NOT)" % MAX_DEPTH, tok.pos)

    # -- grammar
    def parse(self) -> Query:
        node = self.seq(None)
        tok = self.peek()
        if tok.kind == "RPAREN":
            raise QueryError("unmatched ')'", tok.pos)
        if node is None:
            if self.dropped:
                unique = list(dict.fromkeys(w.lower() for w in self.dropped))
                words = ", ".join("'%s'" % _show(w, 20) for w in unique[:5])
                raise QueryError("nothing to search for: %s %s too common to be indexed"
                                 % (words, "is" if len(unique) == 1 else "are"), 0)
            raise QueryError("nothing to search for in '%s'" % _show(self.text), 0)
        return Not(node.query) if node.sign == "-" else node.query

    def seq(self, field: str | None) -> _Node | None:
        items: list[_Node] = []
        while True:
            tok = self.peek()
            if tok.kind in ("EOF", "RPAREN"):
                break
            if tok.kind in ("AND", "OR"):
                raise QueryError("'%s' needs something before it" % tok.kind, tok.pos)
            node = self.or_expr(field)
            if node is not None:
                items.append(node)
        return self.combine_seq(items)

    def or_expr(self, field: str | None) -> _Node | None:
        parts = [self.and_expr(field)]
        while self.peek().kind == "OR":
            op = self.take()
            self.need_operand(op)
            parts.append(self.and_expr(field))
        if len(parts) == 1:
            return parts[0]
        live = [p for p in parts if p is not None]
        if not live:
            return None
        if len(live) == 1:
            return live[0]
        qs = [Not(p.query) if p.sign == "-" else p.query for p in live]
        return _Node(Or(qs), "", all(p.filter and p.sign != "-" for p in live))

    def and_expr(self, field: str | None) -> _Node | None:
        parts = [self.unary(field)]
        while self.peek().kind == "AND":
            op = self.take()
            self.need_operand(op)
            parts.append(self.unary(field))
        if len(parts) == 1:
            return parts[0]
        live = [p for p in parts if p is not None]
        if not live:
            return None
        neg = [p.query for p in live if p.sign == "-"]
        pos = [p for p in live if p.sign != "-"]
        if not pos:
            return _Node(_or(neg), "-")
        scoring = [p.query for p in pos if not p.filter]
        filters = [p.query for p in pos if p.filter]
        if scoring:
            q = _and(scoring)
            if filters:
                q = Filtered(q, _and(filters))
        else:
            q = _and(filters)
        if neg:
            q = Excluding(q, _or(neg))
        return _Node(q, "+", not scoring)

    def need_operand(self, op: _Tok) -> None:
        if self.peek().kind in ("EOF", "RPAREN", "AND", "OR"):
            raise QueryError("'%s' needs something after it" % op.kind, op.pos)

    def unary(self, field: str | None) -> _Node | None:
        tok = self.peek()
        if tok.kind == "NOT":
            self.take()
            self.need_operand(tok)
            self.enter(tok)
            node = self.unary(field)
            self.depth -= 1
            return _flip(node)
        if tok.kind in ("MINUS", "PLUS"):
            self.take()
            nxt = self.peek()
            if nxt.kind in ("EOF", "RPAREN", "AND", "OR", "NOT"):
                raise QueryError("'%s' needs a word right after it" % tok.text, tok.pos)
            node = self.atom(field)
            if tok.kind == "MINUS":
                return _flip(node)
            if node is None or node.sign == "-":
                return node
            return _Node(node.query, "+", node.filter)
        return self.atom(field)

    def atom(self, field: str | None) -> _Node | None:
        tok = self.take()
        kind = tok.kind
        if kind == "LPAREN":
            self.enter(tok)
            node = self.seq(field)
            self.depth -= 1
            if self.peek().kind == "RPAREN":
                self.take()
            # else: an unclosed "(" closes at the end of the query
            return node
        if kind == "FIELD":
            nxt = self.peek()
            if nxt.kind not in ("WORD", "PHRASE", "LPAREN", "RANGE"):
                raise QueryError("'%s:' needs a value after it" % tok.text, tok.pos)
            if nxt.kind == "RANGE":
                self.take()
                return _Node(_date_range(nxt), "", True)
            return self.atom(tok.text)
        if kind == "PHRASE":
            return self.phrase(tok, field)
        if kind == "WORD":
            return self.word(tok, field)
        if kind in ("MINUS", "PLUS"):  # "--a": the second sign is just a character
            return self.word(_Tok("WORD", tok.text, tok.pos, tok.end), field)
        # RANGE cannot reach here (only after FIELD); RPAREN/EOF/operators are checked
        # by the callers, but stay total:
        raise QueryError("unexpected '%s'" % _show(tok.text or kind), tok.pos)

    # -- leaves
    def targets(self, field: str | None) -> list[tuple[str, float]]:
        if field is None:
            return [(f, self.opts.boosts.get(f, 1.0)) for f in self.opts.fields]
        ixfield = USER_FIELDS[field]
        return [(ixfield, self.opts.boosts.get(ixfield, 1.0) if field != "outlet" else 1.0)]

    def fields_clause(self, field: str | None,
                      make: Callable[[str, float], Query | None]) -> _Node | None:
        qs = [q for f, b in self.targets(field) if (q := make(f, b)) is not None]
        if not qs:
            return None
        return _Node(_multifield(qs, self.opts.multifield), "", field in _FILTER_FIELDS)

    def terms_clause(self, field: str | None, tokens: Sequence[tuple[int, str]],
                     near: int | None = None) -> _Node | None:
        if not tokens:
            return None
        words = [t for _, t in tokens]
        offsets = [p - tokens[0][0] for p, _ in tokens]
        if len(words) == 1:
            return self.fields_clause(field, lambda f, b: Term(f, words[0], boost=b))
        return self.fields_clause(
            field, lambda f, b: GappedPhrase(f, words, offsets, near, boost=b))

    def phrase(self, tok: _Tok, field: str | None) -> _Node | None:
        if field == "date":
            return _Node(_date_value(tok.text.strip(), tok.pos + 1), "", True)
        tokens = _analyse(tok.text)
        if not tokens:
            self.note_dropped(tok.text)
        return self.terms_clause(field, tokens, tok.near)

    def note_dropped(self, raw: str) -> None:
        if _WORDCHAR_RE.search(raw):
            self.dropped.append(raw)

    def word(self, tok: _Tok, field: str | None) -> _Node | None:
        raw = tok.text
        if field == "date":
            return _Node(_date_value(raw, tok.pos), "", True)
        fuzzy = _FUZZY_RE.match(raw)
        if fuzzy is not None:
            return self.fuzzy(tok, fuzzy.group(1), fuzzy.group(2), field)
        core = raw.rstrip("?")  # "what is nitrocellulose?" asks; it is no wildcard
        if "*" in core or "?" in core:
            return self.wildcard(tok, core, field)
        tokens = _analyse(raw)
        if not tokens:
            self.note_dropped(raw)
        node = self.terms_clause(field, tokens)
        if node is not None and field is None and core.lower().replace("\u2019", "'") in query_stop_words():
            node.function_word = True
        return node

    def wildcard(self, tok: _Tok, core: str, field: str | None) -> _Node | None:
        pattern = _EDGE_RE.sub("", core.lower().replace("\u2019", "'"))
        if not _WORDCHAR_RE.search(pattern):
            raise QueryError("a wildcard needs at least one letter or digit: '%s'"
                             % _show(tok.text), tok.pos)
        if pattern.endswith("*") and "*" not in pattern[:-1] and "?" not in pattern:
            prefix = pattern.rstrip("*")
            stems = [prefix]
            stemmed = stem(prefix)
            if stemmed != prefix and stemmed:
                stems.append(stemmed)

            def make(f: str, b: float) -> Query:
                return _or([Prefix(f, p, boost=b) for p in stems])

            return self.fields_clause(field, make)
        patterns = [pattern]
        stemmed = stem(pattern)  # "m?croscopes" -> "m?croscop", as the index holds it
        if stemmed != pattern and all(stemmed.count(c) == pattern.count(c) for c in "*?"):
            patterns.append(stemmed)
        return self.fields_clause(
            field, lambda f, b: _or([Wildcard(f, p, boost=b) for p in patterns]))

    def fuzzy(self, tok: _Tok, base: str, digits: str, field: str | None) -> _Node | None:
        if digits:
            if len(digits) > 1 or int(digits) > MAX_FUZZY:
                raise QueryError("fuzzy edit distance must be 0, 1 or 2: '%s'"
                                 % _show(tok.text), tok.pos)
            dist: int | None = int(digits)
        else:
            dist = None
        tokens = _analyse(base)
        if not tokens:
            self.note_dropped(base)
            return None
        words = [t for _, t in tokens]

        def one(f: str, b: float, w: str) -> Query:
            d = _auto_distance(w) if dist is None else dist
            if d == 0:
                return Term(f, w, boost=b)
            # the exact word ranks above its neighbours (FuzzyTerm scores constantly)
            return Or([Term(f, w, boost=b), FuzzyTerm(f, w, boost=b, maxdist=d)])

        return self.fields_clause(field, lambda f, b: _and([one(f, b, w) for w in words]))

    # -- combination
    def combine_seq(self, items: list[_Node]) -> _Node | None:
        if not items:
            return None
        if len(items) == 1:
            return items[0] if items[0].sign == "-" else _Node(items[0].query, "",
                                                                items[0].filter)
        # As in plain mode: "what is nitrocellulose" looks for nitrocellulose, not for "what"
        # (rare in articles, so its idf would let it decide the order).
        if any(not n.function_word for n in items):
            items = [n for n in items if not (n.function_word and n.sign == "")]
        required = [n.query for n in items if n.sign == "+" and not n.filter]
        filters = [n.query for n in items if n.sign != "-" and n.filter]
        optional = [n.query for n in items if n.sign == "" and not n.filter]
        prohibited = [n.query for n in items if n.sign == "-"]
        if self.opts.grouping == "and":
            required, optional = required + optional, []
        q: Query | None = None
        if required:
            q = _and(required)
            if optional:
                q = AndMaybe(q, _group(optional, self.opts))
        elif optional:
            q = _group(optional, self.opts)
        if filters:
            q = Filtered(q, _and(filters)) if q is not None else _and(filters)
        if q is None:
            return _Node(_or(prohibited), "-")
        if prohibited:
            q = Excluding(q, _or(prohibited))
        return _Node(q, "", not required and not optional)


def _flip(node: _Node | None) -> _Node | None:
    if node is None:
        return None
    if node.sign == "-":
        return _Node(node.query, "", node.filter)
    return _Node(node.query, "-", node.filter)


def _and(qs: list[Query]) -> Query:
    return qs[0] if len(qs) == 1 else And(qs)


def _or(qs: list[Query]) -> Query:
    return qs[0] if len(qs) == 1 else Or(qs)


def _multifield(qs: list[Query], how: str) -> Query:
    if len(qs) == 1:
        return qs[0]
    return DisjunctionMax(qs) if how == "max" else Or(qs)


def _auto_distance(word: str) -> int:
    """Edit distance for ``word~`` (Elasticsearch's AUTO): 0, 1 or 2 by length."""
    return 0 if len(word) <= 2 else 1 if len(word) <= 5 else 2


def _group(qs: list[Query], opts: _Options, weight: float | None = None) -> Query:
    """Combine the optional clauses of a word list according to ``opts.grouping``.

    ``weight`` is the sum of the clauses' own boosts when it exceeds one per clause.
    "all_first" applies to keyword-length lists only: in a pasted passage hardly any
    article has every word, so the bonus clause would cost time (about 1.3x) and never
    change the order (measured on Cranfield: nDCG@10 equal within 0.002).
    """
    if len(qs) == 1:
        return qs[0]
    if opts.grouping == "all_first" and len(qs) > ALL_FIRST_MAX_WORDS:
        return Or(qs)
    if opts.grouping == "and":
        return And(qs)
    if opts.grouping == "coord":
        return Or(qs, scale=COORD_SCALE)
    if opts.grouping == "or":
        return Or(qs)
    # all_first: a bonus above any BM25 sum. Per word and field, Whoosh's BM25F scores at
    # most idf * (K1 + 1) < 35 for any index under 10^6 documents (idf <= ln(N) + 1).
    # The bonus re-tests the clauses without their own (nested) bonuses, so nesting
    # grows the query linearly per level, not 2**depth.
    top = max([1.0, *opts.boosts.values()])
    bonus = 100.0 * top * len(opts.fields) * max(weight or 0.0, len(qs))
    distinct = list(dict.fromkeys(_without_bonus(q) for q in qs))
    return Or([*qs, _AllWordsBonus(_and(distinct), bonus)])


class _AllWordsBonus(ConstantScore):
    """The bonus of grouping="all_first" (a distinct type so it can be recognised)."""

    def _rewrap(self, child: Query) -> "_AllWordsBonus":
        return _AllWordsBonus(child, self.score)


def _without_bonus(q: Query) -> Query:
    if isinstance(q, _AllWordsBonus):
        return NullQuery
    if isinstance(q, Or) and not isinstance(q, DisjunctionMax):
        subs = [_without_bonus(s) for s in q.subqueries if not isinstance(s, _AllWordsBonus)]
        return subs[0] if len(subs) == 1 else Or(subs, boost=q.boost, scale=q.scale)
    if q.is_leaf():
        return q
    return q.apply(_without_bonus)


# ---------------------------------------------------------------------------------------
# Dates


def _date_bounds(value: str, pos: int) -> tuple[int, int]:
    """First and last day (YYYYMMDD ints) of a year, month or day."""
    m = _DATE_RE.match(value)
    if m is None:
        raise QueryError("date:%s: expected a date like 2024, 2024-04 or 2024-04-07"
                         % _show(value), pos)
    year = int(m.group(1))
    if year < 1:
        raise QueryError("date:%s: year must be 1..9999" % _show(value), pos)
    if m.group(2) is None:
        return year * 10000 + 101, year * 10000 + 1231
    month = int(m.group(2))
    if not 1 <= month <= 12:
        raise QueryError("date:%s: month must be 1..12" % _show(value), pos)
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    last = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    base = year * 10000 + month * 100
    if m.group(3) is None:
        return base + 1, base + last
    day = int(m.group(3))
    if not 1 <= day <= last:
        raise QueryError("date:%s: day must be 1..%d in %04d-%02d"
                         % (_show(value), last, year, month), pos)
    return base + day, base + day


def _day_range(lo: int | None, hi: int | None, text: str, pos: int) -> Query:
    if lo is not None and hi is not None and lo > hi:
        raise QueryError("date:%s: the range is empty (it ends before it starts)"
                         % _show(text), pos)
    return day_range(lo, hi)


def _date_value(value: str, pos: int) -> Query:
    """``2024``, ``2024-04``, ``2024-04-07``, optionally after >=, <=, > or <."""
    m = _CMP_RE.match(value)
    assert m is not None  # the pattern matches any string
    op, rest = m.group(1), m.group(2)
    if op and not rest:
        raise QueryError("date:%s: a date must follow '%s'" % (_show(value), op), pos)
    first, last = _date_bounds(rest, pos + len(op or ""))
    if op == ">=":
        return _day_range(first, None, value, pos)
    if op == ">":
        return _day_range(last + 1, None, value, pos)
    if op == "<=":
        return _day_range(None, last, value, pos)
    if op == "<":
        return _day_range(None, first - 1, value, pos)
    return _day_range(first, last, value, pos)


def _date_range(tok: _Tok) -> Query:
    """``[a TO b]`` inclusive, ``{a TO b}`` exclusive (ends may mix), ``*`` for open."""
    text = tok.text
    opening, closing, inner = text[0], text[-1], text[1:-1]
    parts = inner.split()
    if len(parts) != 3 or parts[1].upper() != "TO":
        raise QueryError("date:%s: a range is two dates with TO between them, as in "
                         "date:[2024-04-01 TO 2024-04-08]" % _show(text), tok.pos)
    start_at = tok.pos + 1 + inner.find(parts[0])
    end_at = tok.pos + 1 + inner.rfind(parts[2])
    lo = hi = None
    if parts[0] != "*":
        first, last = _date_bounds(parts[0], start_at)
        lo = first if opening == "[" else last + 1
    if parts[2] != "*":
        first, last = _date_bounds(parts[2], end_at)
        hi = last if closing == "]" else first - 1
    return _day_range(lo, hi, text, tok.pos)


# ---------------------------------------------------------------------------------------
# Public API


def parse_query(text: str, *, plain: bool = False,
                fields: Iterable[str] = DEFAULT_FIELDS,
                field_boosts: dict[str, float] | None = None,
                grouping: str = "all_first", multifield: str = "or",
                repeats: str = "once") -> Query:
    """Turn a user's query into a Whoosh query over the searchkit schema.

    ``plain=True`` reads ``text`` as pasted prose: no operators, every word counts
    (``repeats``: a repeated word counts once, or weighs its count); it never raises, and a text
    with no searchable word gives ``NullQuery`` (matches nothing). Otherwise the query
    language of this module applies and malformed input raises :class:`QueryError`
    with a one-line message and the character position.
    """
    if grouping not in GROUPINGS:
        raise ValueError("grouping must be one of %s" % ", ".join(GROUPINGS))
    if multifield not in MULTIFIELD:
        raise ValueError("multifield must be one of %s" % ", ".join(MULTIFIELD))
    if repeats not in REPEATS:
        raise ValueError("repeats must be one of %s" % ", ".join(REPEATS))
    boosts = dict(DEFAULT_FIELD_BOOSTS)
    if field_boosts:
        boosts.update(field_boosts)
    opts = _Options(tuple(fields), boosts, grouping, multifield, repeats)
    if not isinstance(text, str):
        raise TypeError("query must be a str")
    if plain:
        return _plain_query(text, opts)
    if not text.strip():
        raise QueryError("empty query", 0)
    return _Parser(text, opts).parse()


def _plain_query(text: str, opts: _Options) -> Query:
    tokens = [(t.text, t.original.lower().replace("\u2019", "'"))
              for t in _analyzer()(text, keeporiginal=True)]
    # Pasted questions are full of function words ("what", "any", "there") that are rare in
    # articles, so their idf is high and they pull in the wrong documents. Drop them unless
    # nothing else is left.
    stop_words = query_stop_words()
    content = [term for term, original in tokens if original not in stop_words]
    counts: dict[str, int] = {}
    for term in content or [term for term, _ in tokens]:
        counts[term] = counts.get(term, 0) + 1
    if not counts:
        return NullQuery
    clauses = []
    total = 0.0
    for word, n in counts.items():
        weight = float(n) if opts.repeats == "count" else 1.0
        total += weight
        qs = [Term(f, word, boost=opts.boosts.get(f, 1.0) * weight) for f in opts.fields]
        clauses.append(_multifield(qs, opts.multifield))
    return _group(clauses, opts, total)


@lru_cache(maxsize=1)
def query_stop_words() -> frozenset[str]:
    """Function words left out of plain-mode queries (Whoosh's 127-word English list),
    loaded on first use: the module holds every language's list."""
    from whoosh.lang.stopwords import stoplists

    return frozenset(stoplists["en"])


def all_words_bonus(q: Query) -> float:
    """The constant that grouping="all_first" adds at the top of ``q`` (0 if none).

    Subtracting it from a hit's score gives the plain relevance score to show users.
    """
    if isinstance(q, Or):
        return sum(s.score for s in q.subqueries if isinstance(s, _AllWordsBonus))
    return 0.0


def split_all_words_first(q: Query) -> tuple[Query, Query] | None:
    """For a top-level all-words-first query, (all words AND-ed, the words OR-ed), else None.

    Searching the AND first and filling from the OR (minus the AND's matches) gives the same
    order as the bonus clause, but lets Whoosh skip blocks that cannot reach the top k; a
    constant-score clause turns that skipping off for the whole query.
    """
    if not isinstance(q, Or) or isinstance(q, DisjunctionMax):
        return None
    bonuses = [s for s in q.subqueries if isinstance(s, _AllWordsBonus)]
    rest = [s for s in q.subqueries if not isinstance(s, _AllWordsBonus)]
    if len(bonuses) != 1 or not rest or q.boost != 1:
        return None
    return bonuses[0].child, _or(rest)


def query_words(q: Query, reader=None, max_expansions: int = 1000  # type: ignore[no-untyped-def]
                ) -> set[tuple[str, str]]:
    """(field, indexed term) pairs the query looks for, leaving out anything under NOT.

    Prefix, wildcard and fuzzy terms are expanded against ``reader`` when one is given
    (at most ``max_expansions`` each), and left out otherwise. Date ranges are left out.
    """
    found: set[tuple[str, str]] = set()
    stack = [q]
    while stack:
        node = stack.pop()
        if isinstance(node, Not) or isinstance(node, NumericRange):
            continue
        if isinstance(node, AndNot):
            stack.append(node.a)
        elif isinstance(node, Phrase):
            found.update((node.fieldname, w) for w in node.words)
        elif isinstance(node, Term):
            found.add((node.fieldname, node.text))
        elif isinstance(node, MultiTerm):
            if reader is not None and node.field() in reader.schema:
                field = reader.schema[node.field()]
                for n, (fname, btext) in enumerate(node.expanded_terms(reader)):
                    if n >= max_expansions:
                        break
                    # FuzzyTerm yields str, Prefix and Wildcard yield bytes
                    text = btext if isinstance(btext, str) else field.from_bytes(btext)
                    found.add((fname, text))
        elif not node.is_leaf():
            stack.extend(node.children())
    return found
