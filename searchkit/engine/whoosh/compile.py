"""The query tree (:mod:`searchkit.querylang.ast`) compiled to Whoosh queries, and what the
search needs to know of a compiled query (its all-words bonus, the words it looks for).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable, Iterable

from whoosh.query import (
    And,
    AndMaybe,
    DisjunctionMax,
    FuzzyTerm,
    Not,
    NullQuery,
    Or,
    Phrase,
    Prefix,
    Query,
    Term,
    Wildcard,
)
from whoosh.query.terms import MultiTerm

from ...outlets import resolve_outlet
from ...querylang import ast
from ..base import StoryMembers, story_members
from ...querylang.parser import DEFAULT_FIELD_BOOSTS, DEFAULT_FIELDS, DEFAULT_K3, parse
from .analysis import stem, text_analyzer
from .schema import outlet_key
from .queries import AllWordsBonus, ConstantScore, Excluding, Filtered, GappedPhrase, day_range, undated_query
from .querywalk import leaves

__all__ = ["DEFAULT_FIELD_BOOSTS", "compile_query", "parse_query", "query_words"]


class _WhooshAnalyzer:
    """The parser's :class:`~searchkit.querylang.parser.Analyzer`, on the index's analysis;
    ``languages``: the analysed languages of the index's documents, each query word is
    analysed for them too (see :mod:`.analysis`)."""

    def __init__(self, languages: tuple[str, ...] = ()) -> None:
        self.languages = languages

    def terms_in(self, text: str, lang: str) -> tuple[tuple[int, str], ...]:
        return _analyse_in(text, lang)

    def exact_term_in(self, word: str, lang: str) -> str | None:
        return _exact_term_in(word, lang)

    @property
    def stop_words(self) -> frozenset[str]:
        return query_stop_words()

    def terms(self, text: str, keep_stops: bool = False) -> tuple[tuple[int, str], ...]:
        return _analyse(text, keep_stops)

    def exact_term(self, word: str) -> str | None:
        return _exact_term(word)

    def terms_with_originals(self, text: str) -> list[tuple[str, str, int, bool]]:
        out: list[tuple[str, str, int, bool]] = []
        last = -1
        for t in _analyzer()(text, positions=True, chars=True, keeporiginal=True, removestops=False):
            if t.pos == last:  # the folded twin of an accented word: it matches every spelling
                out[-1] = (t.text, t.original, t.startchar, t.stopped)
            else:
                out.append((t.text, t.original, t.startchar, t.stopped))
            last = t.pos
        return out

    def stem(self, word: str) -> str:
        return stem(word)


ANALYZER = _WhooshAnalyzer()


@lru_cache(maxsize=1)
def _analyzer():
    return text_analyzer()


@lru_cache(maxsize=4096)
def _analyse(text: str, keep_stops: bool = False) -> tuple[tuple[int, str], ...]:
    """(position, term) per word; of an accented word's two terms, the folded one."""
    out: list[tuple[int, str]] = []
    for t in _analyzer()(text, positions=True, removestops=not keep_stops):
        if out and out[-1][0] == t.pos:
            out[-1] = (t.pos, t.text)
        else:
            out.append((t.pos, t.text))
    return tuple(out)


def analyse_in(text: str, lang: str) -> tuple[tuple[int, str], ...]:
    """(position, term) per word of ``text`` as a document in ``lang`` indexes it (of an
    accented word's two terms, the folded one); nothing is a stop word there."""
    out: list[tuple[int, str]] = []
    for t in _analyzer()(text, positions=True, removestops=False, lang=lang):
        if out and out[-1][0] == t.pos:
            out[-1] = (t.pos, t.text)
        else:
            out.append((t.pos, t.text))
    return tuple(out)


_analyse_in = lru_cache(maxsize=4096)(analyse_in)


@lru_cache(maxsize=4096)
def _exact_term_in(word: str, lang: str) -> str | None:
    tokens = [t.text for t in _analyzer()(word, positions=True, removestops=False, lang=lang)]
    return tokens[0] if len(tokens) == 2 else None


@lru_cache(maxsize=64)
def analyzer_for(languages: tuple[str, ...]) -> _WhooshAnalyzer:
    """The query analyzer of an index whose documents are in ``languages`` (besides those
    analysed the default way)."""
    return _WhooshAnalyzer(languages) if languages else ANALYZER


@lru_cache(maxsize=4096)
def _exact_term(word: str) -> str | None:
    tokens = [t.text for t in _analyzer()(word, positions=True)]
    return tokens[0] if len(tokens) == 2 else None


@lru_cache(maxsize=1)
def query_stop_words() -> frozenset[str]:
    """Function words left out of plain-mode queries (Whoosh's 127-word English list),
    loaded on first use: the module holds every language's list."""
    from whoosh.lang.stopwords import stoplists

    return frozenset(stoplists["en"])


@lru_cache(maxsize=64)
def function_words_in(lang: str) -> tuple[frozenset[str], frozenset[str]]:
    """The function words of ``lang`` (Whoosh's Snowball lists: Danish, Dutch, Finnish,
    French, German, Hungarian, Italian, Norwegian, Portuguese, Russian, Spanish, Swedish,
    Turkish; empty for another language) as written in lower case, and as terms of a
    document in ``lang``."""
    from whoosh.lang.stopwords import stoplists

    words = frozenset(stoplists.get(lang, ()))
    return words, frozenset(term for word in words for _pos, term in _analyse_in(word, lang))


#: The outlet names of the index (for ``outlet:NAME``), asked only when a query names one.
OutletNames = Callable[[], Iterable[str]]


def parse_query(text: str, *, plain: bool = False, fields: Iterable[str] = DEFAULT_FIELDS,
                field_boosts: dict[str, float] | None = None, grouping: str = "all_first",
                multifield: str = "or", repeats: str = "saturate", drop_function_words: bool = True,
                k3: float = DEFAULT_K3, ignored: list[str] | None = None, notices: list[str] | None = None,
                stories: StoryMembers | None = None, undated_too: bool = False,
                outlets: OutletNames | None = None, languages: tuple[str, ...] = ()) -> Query:
    """Parse ``text`` (see :func:`searchkit.querylang.parser.parse`) and compile it;
    ``stories`` resolves ``story:ID`` filters, ``outlets`` gives the index's outlet names
    for ``outlet:NAME``; ``undated_too`` see :func:`compile_query`; ``languages``: the analysed
    languages present in the index (:func:`index_languages`), each word is looked for in each."""
    return compile_query(parse(text, analyzer_for(tuple(languages)), plain=plain, fields=fields, field_boosts=field_boosts,
                               grouping=grouping, multifield=multifield, repeats=repeats,
                               drop_function_words=drop_function_words, k3=k3, ignored=ignored,
                               notices=notices), stories, undated_too=undated_too, outlets=outlets)


def compile_query(node: ast.Node, stories: StoryMembers | None = None, *, undated_too: bool = False,
                  outlets: OutletNames | None = None) -> Query:
    """The Whoosh query for a query tree; ``stories`` resolves ``story:ID`` filters.

    ``undated_too`` lets undated articles through every date range that is not negated:
    what the query would match if no date filtered it (to count the undated articles a
    date filter left out)."""

    def sub(child: ast.Node, undated: bool = undated_too) -> Query:
        return compile_query(child, stories, undated_too=undated, outlets=outlets)

    if isinstance(node, ast.Term):
        return Term(node.field, node.text, boost=node.boost)
    if isinstance(node, ast.Phrase):
        return GappedPhrase(node.field, list(node.words), list(node.offsets), node.near, boost=node.boost)
    if isinstance(node, ast.Prefix):
        return Prefix(node.field, node.text, boost=node.boost)
    if isinstance(node, ast.Wildcard):
        return Wildcard(node.field, node.pattern, boost=node.boost)
    if isinstance(node, ast.Fuzzy):
        return FuzzyTerm(node.field, node.text, boost=node.boost, maxdist=node.maxdist)
    if isinstance(node, ast.DayRange):
        dated = day_range(node.first, node.last)
        return Or([dated, undated_query()]) if undated_too else dated
    if isinstance(node, ast.And):
        return And([sub(n) for n in node.items])
    if isinstance(node, ast.Or):
        return Or([sub(n) for n in node.items], boost=node.boost, scale=node.scale)
    if isinstance(node, ast.DisMax):
        return DisjunctionMax([sub(n) for n in node.items])
    if isinstance(node, ast.Not):
        return Not(sub(node.item, False))
    if isinstance(node, ast.AndMaybe):
        return AndMaybe(sub(node.required), sub(node.optional))
    if isinstance(node, ast.Filtered):
        return Filtered(sub(node.query), sub(node.filter))
    if isinstance(node, ast.Excluding):
        return Excluding(sub(node.query), sub(node.excluded, False))
    if isinstance(node, ast.AllWordsBonus):
        return AllWordsBonus(sub(node.item), node.score)
    if isinstance(node, ast.Nothing):
        return NullQuery
    if isinstance(node, ast.Outlet):
        # Without the index's names (checking a query's syntax, listing its words) the name
        # is taken as written.
        name = resolve_outlet(node.name, outlets()) if outlets is not None else node.name
        return ConstantScore(Term("outlet_key", outlet_key(name)), 1.0)
    if isinstance(node, ast.Story):
        members = story_members(stories, node.story_id)
        return ConstantScore(Or([Term("doc_id", doc_id) for doc_id in members]) if len(members) > 1
                             else Term("doc_id", members[0]), 1.0)
    raise TypeError(f"not a query tree node: {node!r}")


def index_languages(searcher) -> tuple[str, ...]:
    """The analysed languages (:data:`.analysis.ANALYSED_LANGUAGES`) of the searcher's
    documents, read once per searcher from the ``lang`` field's terms."""
    from .internals import per_searcher

    return per_searcher(searcher, _languages_of)


def _languages_of(searcher) -> tuple[str, ...]:
    from .analysis import ANALYSED_LANGUAGES

    reader = searcher.reader()
    if "lang" not in reader.schema:
        return ()
    found = (t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.lexicon("lang"))
    return tuple(sorted(code for code in found if code in ANALYSED_LANGUAGES))


def all_words_bonus(q: Query) -> float:
    """The constant that grouping="all_first" adds at the top of ``q`` (0 if none).

    Subtracting it from a hit's score gives the plain relevance score to show users.
    """
    if isinstance(q, (Filtered, Excluding)):  # a filter or an exclusion does not score
        return all_words_bonus(q.a)
    if isinstance(q, Or):
        return sum(s.score for s in q.subqueries if isinstance(s, AllWordsBonus))
    return 0.0


def split_all_words_first(q: Query) -> tuple[Query, Query] | None:
    """For a top-level all-words-first query, (all words AND-ed, the words OR-ed), else None.

    Searching the AND first and filling from the OR (minus the AND's matches) gives the same
    order as the bonus clause, but lets Whoosh skip blocks that cannot reach the top k; a
    constant-score clause turns that skipping off for the whole query.
    """
    if not isinstance(q, Or) or isinstance(q, DisjunctionMax):
        return None
    bonuses = [s for s in q.subqueries if isinstance(s, AllWordsBonus)]
    rest = [s for s in q.subqueries if not isinstance(s, AllWordsBonus)]
    if len(bonuses) != 1 or not rest or q.boost != 1:
        return None
    return bonuses[0].child, rest[0] if len(rest) == 1 else Or(rest)


def query_words(q: Query, reader=None, max_expansions: int = 1000
                ) -> set[tuple[str, str]]:
    """(field, indexed term) pairs the query looks for, leaving out anything under NOT.

    Prefix, wildcard and fuzzy terms are expanded against ``reader`` when one is given
    (at most ``max_expansions`` each), and left out otherwise. Date ranges are left out.
    """
    found: set[tuple[str, str]] = set()
    for leaf in leaves(q, sought=True):
        if isinstance(leaf, Phrase):
            found.update((leaf.fieldname, w) for w in leaf.words)
        elif isinstance(leaf, Term):
            found.add((leaf.fieldname, leaf.text))
        elif isinstance(leaf, MultiTerm) and reader is not None and leaf.field() in reader.schema:
            field = reader.schema[leaf.field()]
            for n, (fname, btext) in enumerate(leaf.expanded_terms(reader)):
                if n >= max_expansions:
                    break
                # FuzzyTerm yields str, Prefix and Wildcard yield bytes
                found.add((fname, btext if isinstance(btext, str) else field.from_bytes(btext)))
    return found
