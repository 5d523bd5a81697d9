"""Running a query against an open Whoosh searcher: filters, ranking, paging, snippets,
facets and did-you-mean. Whoosh objects stop here; callers get :class:`Results`.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterable, Mapping
import re
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from whoosh import sorting
from whoosh import query as wq
from whoosh.searching import Results as WhooshResults

from .analysis import ANALYSED_LANGUAGES, is_cjk, stem, stem_in, tagged, text_analyzer, untagged
from .bulkscore import plain_terms
from .setpath import SetSearch
from ...errors import QueryError
from ...outlets import resolve_outlet
from ...querylang.parser import repeat_weight
from ..base import languages_option
from ...models import (FACET_DATE_UNITS, QUERY_PATHS, SORTS, Explain, Facets, Hit, IdMatches, Passage, Ranking, Results,
                       SearchOptions)
from .compile import (
    DEFAULT_FIELD_BOOSTS,
    StoryMembers,
    all_words_bonus,
    index_languages,
    parse_query,
    query_words,
    split_all_words_first,
)
from .queries import DayRange, GappedPhrase, day_range, undated_query
from .internals import object_cache
from .querywalk import leaves
from .collapse import Folded, StoryTable, ranked_rows, story_table, with_versions
from .facets import NumberedMatches, doc_ids_by_number, document_numbers
from .index import outlet_names
from .schema import date_of_day, day_number, outlet_key
from .snippets import lead_snippet, make_snippet, record_matched_terms, snippet_highlighter

def run_search(searcher, text: str, options: SearchOptions, corpus_dir: Path | None,
               stories: StoryMembers | None = None, *, similar: bool = False, exclude: str | None = None,
               story_of: Mapping[str, str] | None = None) -> Results:
    """Search ``searcher`` for ``text``; raises :class:`QueryError` for a malformed query.

    ``corpus_dir`` turns document ids into article paths; ``stories`` resolves ``story:ID``
    filters. ``similar`` reads ``text`` as a passage and finds the articles sharing most of its
    content (:func:`similar_query`), leaving out ``exclude`` (the passage's own document).
    ``story_of`` (document -> its story) folds a collapsed search (:func:`.collapse.ranked_rows`)."""
    stages = Stages()
    _check_options(options)
    options = _resolved_outlets(searcher, options)
    if is_match_all(text) and not similar:
        return _match_all(searcher, text, options, corpus_dir, stages, stories, story_of)
    ignored: list[str] = []
    notices: list[str] = []
    searcher = _weighted(searcher, options.ranking)
    passage_lang = _passage_language(searcher, text, exclude) if similar else None
    query, undated_too, options = _compiled(searcher, text, options, stories, similar, passage_lang, ignored, notices)
    stages.done("parse")
    if not searcher.reader().doc_count_all():
        # An index of an empty corpus (Whoosh's EmptyReader lacks what the rest needs).
        facets = Facets({}, {}, 0, 0) if options.facets else None
        return Results(query=text, hits=(), total=0, page=options.page, limit=options.limit,
                       elapsed=stages.elapsed(), facets=facets, matched=IdMatches(()) if options.with_ids else None,
                       explain=_explain(options, query, "sets", ignored, stages))
    bonus = all_words_bonus(query)  # of the query as typed: expansion adds no bonus
    filter_query = _filter_query(options)
    # Filters, masks, totals and facets all work on match sets read from the posting lists
    # (dense.py on packed postings, docsets.py otherwise): far cheaper than Whoosh walking a
    # matcher for each.
    matches = match_sets(searcher, query, filter_query, path=options.path, one_shot=options.one_shot)
    filter_docs = matches.docs(filter_query) if filter_query is not None else None
    expansion: tuple[str, ...] = ()
    if options.expand:
        query, expansion = expand_query(searcher, text, query, options.plain,
                                        matches.as_set(filter_docs) if filter_docs is not None else None,
                                        _boosts(options.ranking), options.ranking.feedback_weight)
    two_pass = split_all_words_first(query) if options.sort == "relevance" else None
    # The words OR-ed match the same documents as the query with its all-words clause. A
    # search of a few given articles (a collapsed page's snippets) looks only at them.
    within = _numbers_of(searcher, options.only) if options.only else None
    query_docs = matched = matches.docs(two_pass[1] if two_pass else query, within)
    if filter_docs is not None:
        matched = matches.both(matched, filter_docs)
    own = searcher.document_number(doc_id=exclude) if exclude is not None else None
    if own is not None:
        matched = matches.discard(matched, own)
    left_out = _undated_left_out(matches, undated_too if undated_too is not None else query_docs, matched, options,
                                 own, dated_in_query=undated_too is not None)
    stages.done("match")
    total = matches.count(matched)
    table = _story_table(searcher, options, story_of, stories)
    ranked, folded = ranked_rows(lambda limit: _ranked(searcher, text, query, two_pass, matches, matched, options,
                                                       similar, limit, passage_lang), options, total, table)
    stages.done("rank")
    hits = _page_hits(searcher, query, ranked, matches, options, corpus_dir, bonus=bonus)
    stages.done("snippets")
    hits = _with_stories(hits, folded, table, matched, stages)
    facets = _facets(matches, matched, options.facet_dates) if options.facets else None
    stages.done("facets")
    suggestion = None
    if total < 2 and not options.plain and len(text) <= SUGGEST_MAX_CHARS:
        suggestion = suggest(searcher, text, total, notices)
    stages.done("did-you-mean")
    return Results(
        query=text,
        hits=hits,
        total=total,
        page=options.page,
        limit=options.limit,
        elapsed=stages.elapsed(),
        facets=facets,
        expansion=expansion,
        suggestion=suggestion,
        ignored=tuple(ignored),
        notices=tuple(notices),
        undated_excluded=left_out,
        matched=_matched(searcher, matches, matched) if options.with_ids else None,
        explain=_explain(options, query, matches.path, ignored, stages), **_folded_counts(folded))


def _compiled(searcher, text: str, options: SearchOptions, stories: StoryMembers | None, similar: bool,
              passage_lang: str | None, ignored: list[str], notices: list[str]) -> tuple[wq.Query, wq.Query | None, SearchOptions]:
    """The query ``text`` compiles to; the same query with its date ranges letting undated
    articles through, if it has any (else None); ``options`` as the query is read (a
    passage and a long query are read as plain text). ``ignored`` and ``notices`` collect
    the words left out and what the user should know."""
    ranking = options.ranking
    if similar:
        query = similar_query(searcher, text, _boosts(ranking), notices, passage_lang)
        return query, None, replace(options, plain=True, expand=False)
    if not options.plain and len(text) > OPERATOR_MAX_CHARS:
        notices.append(f"the query is {len(text):,} characters long: read as plain text, "
                       "without operators")
        options = replace(options, plain=True)
    huge = _huge_plain_query(searcher, text, ranking, ignored, notices) if options.plain else None
    if huge is not None:
        return huge, None, options
    parse = functools.partial(parse_query, text, grouping=ranking.grouping, repeats=ranking.repeats,
                              field_boosts=_boosts(ranking), drop_function_words=ranking.drop_function_words,
                              k3=ranking.k3, stories=stories, outlets=_outlet_names(searcher),
                              languages=_query_languages(searcher, options))
    query = parse(plain=options.plain, ignored=ignored, notices=notices)
    undated_too = None
    if not options.plain and _has_date_range(query):
        undated_too = parse(plain=False, undated_too=True)
    return query, undated_too, options


def _ranked(searcher, text: str, query: wq.Query, two_pass: tuple[wq.Query, wq.Query] | None, matches, matched,
            options: SearchOptions, similar: bool, limit: int, passage_lang: str | None = None) -> list:
    """The first ``limit`` hits of ``matched`` (Whoosh hits), in the order asked: scored in
    bulk where the query's score is a sum of its words, by the day column for a date order,
    else through Whoosh's collector; re-ranked by shared word pairs for a passage."""
    pairs = options.sort == "relevance" and (similar or (options.plain and options.ranking.pairs))
    if pairs:  # candidates for re-ranking by shared word pairs
        limit = max(limit, SIMILAR_CANDIDATES)
    terms = plain_terms(two_pass[1] if two_pass else query) if options.sort == "relevance" else None
    by_date = getattr(matches, "by_date", None) if options.sort != "relevance" else None
    if terms is not None:
        ranked = _bulk_ranked(searcher, query, terms, two_pass[0] if two_pass else None, matched, limit, matches)
    elif by_date is not None:  # sorted by date on the day column, not through a collector
        ranked = _hits(searcher, query, by_date(matched, limit, newest_first=options.sort == "-date"))
    else:
        ranked = _whoosh_ranked(searcher, query, two_pass, matches, matched, options, limit)
    if not pairs:
        return ranked
    return rerank_by_shared_pairs(searcher, text, ranked, passage_lang)


def _whoosh_ranked(searcher, query: wq.Query, two_pass: tuple[wq.Query, wq.Query] | None, matches, matched,
                   options: SearchOptions, limit: int) -> list:
    """The first ``limit`` hits through Whoosh's collector (scores that are no plain sum)."""
    kwargs: dict = {"limit": limit}
    if options.sort != "relevance":
        kwargs["sortedby"] = _sort_facet(options.sort, _column_day_decoder(searcher))
    # As a filter, the matches also keep out deleted documents, which Whoosh's own filter
    # lets through after skipping a block by quality.
    kwargs["filter"] = matches.as_set(matched)
    rank_query = getattr(matches, "rank_query", None) or (lambda q: q)
    if two_pass is not None:
        all_words, any_word = two_pass
        return _all_words_then_any(searcher, rank_query(all_words), rank_query(any_word), kwargs, kwargs["filter"])
    # Not list(results): list() asks len(results) first, which Whoosh answers by matching
    # the whole query again.
    return [hit for hit in search_whoosh(searcher, rank_query(query), **kwargs)]


def _page_hits(searcher, query: wq.Query, ranked: list, matches, options: SearchOptions, corpus_dir: Path | None,
               *, bonus: float) -> tuple[Hit, ...]:
    """The page's hits, with their snippets when asked."""
    first = (options.page - 1) * options.limit
    page_hits = ranked[first : first + options.limit]
    highlighter = None
    if options.snippets:
        highlighter = snippet_highlighter(query)
        record_matched_terms(searcher, query, page_hits, matches)
    return tuple(
        _make_hit(hit, first + i + 1, highlighter, corpus_dir, scored=options.sort == "relevance", bonus=bonus)
        for i, hit in enumerate(page_hits)
    )


# --------------------------------------------------------------------------------------------
# Collapsing copies of a story


def _story_table(searcher, options: SearchOptions, story_of: Mapping[str, str] | None,
                 stories: StoryMembers | None) -> StoryTable | None:
    """The searcher's stories by document number when the search is collapsed, else None."""
    if story_of is None or not options.collapse or options.sort != "relevance":
        return None
    return story_table(searcher, story_of, stories, whole=not options.one_shot)


def _with_stories(hits: tuple[Hit, ...], folded: Folded | None, table: StoryTable | None, matched,
                  stages: Stages) -> tuple[Hit, ...]:
    """A collapsed page's hits with their stories and versions (the "versions" stage);
    others as they are."""
    if folded is None or table is None:
        return hits
    hits = with_versions(hits, table, matched)
    stages.done("versions")
    return hits


def _folded_counts(folded: Folded | None) -> dict[str, Any]:
    return folded.counts() if folded is not None else {}


class Stages:
    """How long each stage of a search took (``searchkit query --explain``)."""

    def __init__(self) -> None:
        self.started = self._last = time.perf_counter()
        self.seconds: dict[str, float] = {}

    def done(self, stage: str) -> None:
        """``stage`` ended now (it began where the previous one ended)."""
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self._last
        self._last = now

    def elapsed(self) -> float:
        return time.perf_counter() - self.started


def _explain(options: SearchOptions, query: wq.Query, path: str, ignored: list[str], stages: Stages) -> Explain | None:
    if not options.explain:
        return None
    filter_query = _filter_query(options)
    return Explain(compiled=str(query), path=path, dropped=tuple(ignored),
                   stages=tuple(stages.seconds.items()), filters=str(filter_query) if filter_query is not None else None)


def _matched(searcher, matches, matched) -> NumberedMatches:
    """Every match of a search, for ``Results.matched``."""
    return NumberedMatches(searcher, matched, matches.count(matched))


def _has_date_range(query: wq.Query) -> bool:
    return any(isinstance(leaf, DayRange) for leaf in query.leaves())


def _undated_left_out(matches, relaxed, matched, options: SearchOptions, own: int | None, *,
                      dated_in_query: bool) -> int:
    """How many undated articles a date filter left out: those ``relaxed`` matches under the
    other filters, less those ``matched`` holds anyway (a date range under OR lets some
    through). ``relaxed`` is the query's match set before filters, or, for a query with date
    ranges of its own, the query with those ranges letting undated articles through. Not
    counted for a search of a few given articles (``only``: a collapsed page's snippets)."""
    if not (options.since or options.until or dated_in_query) or options.only:
        return 0
    undated = matches.docs(undated_query())
    if isinstance(relaxed, wq.Query):
        two_pass = split_all_words_first(relaxed)
        relaxed = matches.docs(two_pass[1] if two_pass else relaxed)
    would = matches.both(relaxed, undated)
    others = _filter_query(replace(options, since=None, until=None))
    if others is not None:
        would = matches.both(would, matches.docs(others))
    if own is not None:
        would = matches.discard(would, own)
    return max(matches.count(would) - matches.count(matches.both(matched, undated)), 0)


def matching_ids(searcher, text: str, options: SearchOptions, stories: StoryMembers | None = None,
                 among: Iterable[str] | None = None) -> list[str]:
    """The ids of the documents ``text`` matches under ``options``' filters (no ranking):
    all of them, or those of ``among``."""
    _check_options(options)
    options = _resolved_outlets(searcher, options)
    among = list(among) if among is not None else None
    if not searcher.reader().doc_count_all():
        if not is_match_all(text):
            parse_query(text, plain=options.plain, stories=stories)  # a malformed query is still an error
        return []  # an index of an empty corpus (Whoosh's EmptyReader lacks what the rest needs)
    filter_query = _filter_query(options)
    if is_match_all(text):
        matches = match_sets(searcher, path=options.path, one_shot=options.one_shot)
        matched = matches.every()
    else:
        query = parse_query(text, plain=options.plain, stories=stories, outlets=_outlet_names(searcher),
                            languages=_query_languages(searcher, options))
        two_pass = split_all_words_first(query)
        matches = match_sets(searcher, two_pass[1] if two_pass else query, filter_query, path=options.path,
                             one_shot=options.one_shot)
        among_numbers = _numbers_of(searcher, among) if among is not None else None
        matched = matches.docs(two_pass[1] if two_pass else query, among_numbers)
    if filter_query is not None:
        matched = matches.both(matched, matches.docs(filter_query))
    numbers = matches.numbers(matched)
    if among is not None:
        wanted = set(numbers)
        return sorted(doc_id for doc_id, number in document_numbers(searcher, among).items() if number in wanted)
    ids = doc_ids_by_number(searcher)
    return sorted(ids[docnum] for docnum in numbers)


#: Until a one-shot process has imported numpy (40-100 ms, paid by every `searchkit query`
#: that does), searches that read little use sets, which cost about 0.5 us per posting of a
#: word and 6 us per posting of a phrase's word on this machine (one-shot runs at 20,000
#: articles): all searches of an index below DENSE_MIN_DOCS documents, and others whose
#: postings cost less than SET_PATH_BUDGET word postings. Both paths give the same results
#: (tests compare).
DENSE_MIN_DOCS = 5_000
SET_PATH_BUDGET = 100_000
PHRASE_POSTING_COST = 12
#: A long-lived process pays numpy's import once: it takes the numpy path from its first
#: search that reads this many word postings. Below about 500 the set path is as fast or
#: faster (0.75-1.0x the numpy path's CPU time), from about 1,000 the numpy path is ahead
#: (1.3-1.5x at 1,000-4,000, 2-4x beyond); between, the two are within 15% of each other
#: (benchmarks/query_paths.py, results/query-paths-n20000-2026-12-07.json, top 10 with and
#: without snippets, one synthetic collection).
LONG_LIVED_SET_BUDGET = 1_000


def _numbers_of(searcher, doc_ids: Iterable[str]) -> list[int]:
    """The document numbers of those of ``doc_ids`` the index has, sorted."""
    return sorted(document_numbers(searcher, doc_ids).values())


def match_sets(searcher, *queries: wq.Query | None, path: str = "auto", one_shot: bool = False,
               numpy_loaded: bool | None = None):
    """How this search computes match sets: on packed postings with numpy
    (:class:`~searchkit.engine.whoosh.dense.DenseSearch`, ``path`` "numpy") when every
    segment has them and the path is not disabled, else with sets
    (:class:`~searchkit.engine.whoosh.setpath.SetSearch`, ``path`` "sets"). "auto" chooses
    by what the search reads (``queries``: the query and its filters) and by the process:
    numpy once it is imported; else sets while they cost less than the budget of a
    long-lived process (LONG_LIVED_SET_BUDGET) or of a one-shot one (``one_shot``:
    DENSE_MIN_DOCS and SET_PATH_BUDGET, the import of numpy included)."""
    if path == "sets":
        return SetSearch(searcher)
    if path == "auto" and not (numpy_loaded if numpy_loaded is not None else "numpy" in sys.modules):
        if one_shot and searcher.doc_count_all() < DENSE_MIN_DOCS:
            return SetSearch(searcher)
        cost = _set_path_cost(searcher, [q for q in queries if q is not None])
        if cost is not None and cost < (SET_PATH_BUDGET if one_shot else LONG_LIVED_SET_BUDGET):
            return SetSearch(searcher)
    from . import dense  # numpy: searches only

    return dense.DenseSearch(searcher) if dense.usable(searcher) else SetSearch(searcher)


def _set_path_cost(searcher, queries: list[wq.Query], most_terms: int = 64) -> float | None:
    """What reading ``queries`` on sets costs, in word postings (see SET_PATH_BUDGET), or
    None when that is not known cheaply (ranges, prefixes, whole-index matches, many terms)."""
    reader = searcher.reader()
    terms: list[tuple[str, str, float]] = []
    for q in queries:
        for leaf in leaves(q, opaque=(wq.Not,)):
            kind = type(leaf)
            if kind is wq.Term:
                terms.append((leaf.fieldname, leaf.text, 1.0))
            elif kind is GappedPhrase:
                terms.extend((leaf.fieldname, word, PHRASE_POSTING_COST) for word in leaf.words)
            elif not (leaf is wq.NullQuery or kind is type(wq.NullQuery)):
                return None  # a range, a prefix, every document, a NOT: not known cheaply
            if len(terms) > most_terms:
                return None
    if not queries:
        return None
    total = 0.0
    for fieldname, text, cost in terms:
        if fieldname in searcher.schema:
            total += cost * reader.doc_frequency(fieldname, searcher.schema[fieldname].to_bytes(text))
    return total


def is_match_all(text: str) -> bool:
    """``*`` or nothing at all: every document (filters still apply)."""
    return text.strip() in ("", "*")


def _match_all(searcher, text: str, options: SearchOptions, corpus_dir: Path | None, stages: Stages,
               stories: StoryMembers | None = None, story_of: Mapping[str, str] | None = None) -> Results:
    """Every document that passes the filters, newest first unless sorted oldest first
    (there is no relevance to rank by); snippets are the articles' openings. Collapsed as
    :func:`run_search` collapses, in that order."""
    filter_query = _filter_query(options)
    matches = match_sets(searcher, path=options.path, one_shot=options.one_shot)  # reads every document
    matched = matches.every()
    if filter_query is not None:
        matched = matches.both(matched, matches.docs(filter_query))
    left_out = _undated_left_out(matches, matches.every(), matched, options, None, dated_in_query=False)
    stages.done("match")
    sort = options.sort if options.sort != "relevance" else "-date"
    by_date = getattr(matches, "by_date", None)

    def rank(limit: int) -> list:
        if by_date is not None:
            return _hits(searcher, wq.Every(), by_date(matched, limit, newest_first=sort == "-date"))
        return [hit for hit in search_whoosh(searcher, wq.Every(), limit=limit, filter=matches.as_set(matched),
                                             sortedby=_sort_facet(sort, _column_day_decoder(searcher)))]

    total = matches.count(matched)
    table = _story_table(searcher, options, story_of, stories)
    ranked, folded = ranked_rows(rank, options, total, table)
    stages.done("rank")
    first = (options.page - 1) * options.limit
    hits = tuple(_make_hit(hit, first + i + 1, None, corpus_dir, scored=False, bonus=0.0, lead=options.snippets)
                 for i, hit in enumerate(ranked[first : first + options.limit]))
    stages.done("snippets")
    hits = _with_stories(hits, folded, table, matched, stages)
    facets = _facets(matches, matched, options.facet_dates) if options.facets else None
    stages.done("facets")
    return Results(query=text, hits=hits, total=total, page=options.page, limit=options.limit,
                   elapsed=stages.elapsed(), facets=facets, undated_excluded=left_out,
                   matched=_matched(searcher, matches, matched) if options.with_ids else None,
                   explain=_explain(options, wq.Every(), matches.path, [], stages), **_folded_counts(folded))


def _boosts(ranking: Ranking) -> dict[str, float]:
    return {**DEFAULT_FIELD_BOOSTS, "title": ranking.title_boost}


def _weighted(searcher, ranking: Ranking):
    """``searcher``, or one on the same reader scoring with other BM25 parameters."""
    w = searcher.weighting
    if (getattr(w, "K1", None), getattr(w, "B", None), getattr(w, "idf_kind", "whoosh")) == (ranking.k1, ranking.b, ranking.idf):
        return searcher
    from whoosh.searching import Searcher

    from .weighting import RankingBM25F

    return Searcher(searcher.reader(), weighting=RankingBM25F(B=ranking.b, K1=ranking.k1, idf=ranking.idf),
                    closereader=False)


def _bulk_ranked(searcher, query: wq.Query, terms: list, all_words: wq.Query | None,
                 matched, limit: int, matches) -> list:
    """The top ``limit`` hits of a plain word query, scored in bulk (dense.py or bulkscore.py).

    With ``all_words`` (an all-words-first query), documents with every word come first,
    then the rest, as the bonus clause orders them.
    """
    first = matched
    if all_words is not None:
        first = matches.both(matches.docs(all_words), matched)
    top = matches.top(terms, first, limit)
    if len(top) < limit and first is not matched:
        top += matches.top(terms, matches.without(matched, first), limit - len(top))
    return _hits(searcher, query, top)


def _hits(searcher, query: wq.Query, top: list[tuple[float, int]]) -> list:
    """Whoosh hits for (score or sort key, document number) pairs, in that order."""
    results = WhooshResults(searcher, query, top)
    return [results[i] for i in range(len(top))]


def _all_words_then_any(searcher, all_words: wq.Query, any_word: wq.Query, kwargs: dict,
                        matched: set[int]) -> list:
    """The top ``kwargs["limit"]`` hits of an all-words-first query, in two skipping passes.

    ``matched`` is every document the query matches (filter applied).
    """
    need = kwargs["limit"]
    hits = [hit for hit in search_whoosh(searcher, all_words, **kwargs)]
    if len(hits) < need:  # every all-words match is in hits; fill from the rest
        rest = matched - {hit.docnum for hit in hits}
        if rest:
            more = search_whoosh(searcher, any_word, **{**kwargs, "limit": need - len(hits), "filter": rest})
            hits += [hit for hit in more]  # not extend(): it asks len(), a full recount
    return hits


def search_whoosh(searcher, query: wq.Query, **kwargs):
    """``searcher.search`` without Whoosh's periodic matcher replacement.

    Every few matches Whoosh swaps the query's matcher for a pruned one that skips what can
    no longer reach the top k; on a multi-segment index with multi-field words that drops
    real hits (the true 4th hit of a two-word AND on a 20,000-article index went missing).
    Block-quality skipping stays on.
    """
    from whoosh.collectors import ScoredCollector

    allowed = kwargs.get("filter")
    if allowed is not None and isinstance(allowed, (set, frozenset)) and not allowed:
        return []  # Whoosh reads an empty filter set as no filter at all
    collector = searcher.collector(**kwargs)
    inner = collector
    while not isinstance(inner, ScoredCollector) and getattr(inner, "child", None) is not None:
        inner = inner.child
    if isinstance(inner, ScoredCollector):
        inner.replace = 0
    searcher.search_with_collector(query, collector)
    return collector.results()


def _outlet_names(searcher):
    """The index's outlet names, read when first asked (``outlet:NAME``, ``--outlet``)."""
    names: list[str] = []

    def get() -> list[str]:
        if not names:
            names.extend(outlet_names(searcher))
        return names

    return get


def _resolved_outlets(searcher, options: SearchOptions) -> SearchOptions:
    """``options`` with each outlet name replaced by the outlet it means
    (:func:`searchkit.outlets.resolve_outlet`: any case, a unique beginning)."""
    if not options.outlet and not options.not_outlet:
        return options
    known = outlet_names(searcher)

    def resolved(names: str | tuple[str, ...] | None) -> tuple[str, ...] | None:
        if not names:
            return None
        given = (names,) if isinstance(names, str) else tuple(names)
        return tuple(resolve_outlet(name, known) for name in given if name)

    return replace(options, outlet=resolved(options.outlet), not_outlet=resolved(options.not_outlet))


def _check_options(options: SearchOptions) -> None:
    if options.limit < 1:
        raise QueryError("limit must be at least 1")
    if options.page < 1:
        raise QueryError("page must be at least 1")
    if options.sort not in SORTS:
        raise QueryError(f"unknown sort {options.sort!r} (choose from {', '.join(SORTS)})")
    if options.path not in QUERY_PATHS:
        raise QueryError(f"unknown query path {options.path!r} (choose from {', '.join(QUERY_PATHS)})")
    if options.facet_dates not in FACET_DATE_UNITS:
        raise QueryError(f"unknown date facet {options.facet_dates!r} (choose day or month)")
    if options.since and options.until and options.since > options.until:
        raise QueryError(f"since {options.since} is after until {options.until}")


def _query_languages(searcher, options: SearchOptions) -> tuple[str, ...]:
    """The analysed languages a query's words are looked for in: the index's, or of those
    only the ones ``options.lang`` keeps."""
    present = index_languages(searcher)
    wanted = languages_option(options)
    return tuple(lang for lang in present if lang in wanted) if wanted else present


def _filter_query(options: SearchOptions) -> wq.Query | None:
    parts: list[wq.Query] = []
    codes = languages_option(options)
    if codes:
        terms = [wq.Term("lang", code) for code in codes]
        parts.append(terms[0] if len(terms) == 1 else wq.Or(terms))
    outlets = (options.outlet,) if isinstance(options.outlet, str) else tuple(options.outlet or ())
    keys = sorted({outlet_key(name) for name in outlets if name})
    if keys:  # several outlets: articles from any of them
        terms = [wq.Term("outlet_key", key) for key in keys]
        parts.append(terms[0] if len(terms) == 1 else wq.Or(terms))
    if options.since or options.until:
        low = day_number(options.since) if options.since else None
        high = day_number(options.until) if options.until else None
        parts.append(day_range(low, high))
    if options.only is not None:
        ids = [wq.Term("doc_id", doc_id) for doc_id in sorted(set(options.only))]
        parts.append(wq.NullQuery if not ids else ids[0] if len(ids) == 1 else wq.Or(ids))
    # Articles from none of these outlets (those with no outlet pass), and none of these ids.
    left_out: list[wq.Query] = [wq.Term("outlet_key", key) for key in
                                sorted({outlet_key(name) for name in options.not_outlet or () if name})]
    left_out += [wq.Term("doc_id", doc_id) for doc_id in sorted(set(options.exclude or ()))]
    if not parts and not left_out:
        return None
    kept = wq.Every() if not parts else parts[0] if len(parts) == 1 else wq.And(parts)
    if left_out:
        return wq.AndNot(kept, left_out[0] if len(left_out) == 1 else wq.Or(left_out))
    return kept


def _column_day_decoder(searcher):
    """Turns the raw sortable value Whoosh passes to a TranslateFacet into YYYYMMDD."""
    return searcher.schema["day"].from_column_value


def _sort_facet(sort: str, day_of) -> sorting.FacetType:
    if sort == "-date":
        # Unknown dates are 0 and so come last when newest comes first.
        return sorting.FieldFacet("day", reverse=True)
    # Oldest first, unknown dates still last.
    return sorting.TranslateFacet(lambda raw: day_of(raw) or 99999999, sorting.FieldFacet("day"))


@functools.lru_cache(maxsize=65536)
def _iso_day(day: int) -> str:
    date = date_of_day(day)
    assert date is not None  # day 0 (undated) was popped before
    return date.isoformat()


def _facets(matches, matched, unit: str) -> Facets:
    by_outlet, by_day, by_lang = matches.facets(matched)
    no_language = by_lang.pop("", 0) + by_lang.pop(None, 0)  # type: ignore[call-overload,unused-ignore]
    # Outlet columns give "" for no outlet; a segment written without the column gives None.
    no_outlet = by_outlet.pop("", 0) + by_outlet.pop(None, 0)  # type: ignore[call-overload,unused-ignore]  # keys may be None (set path)
    no_date = by_day.pop(0, 0)
    dates: dict[str, int] = {}
    for day, count in by_day.items():
        key = f"{day // 10000:04d}-{day // 100 % 100:02d}" if unit == "month" else _iso_day(day)
        dates[key] = dates.get(key, 0) + count
    return Facets(
        outlets=dict(sorted(by_outlet.items(), key=lambda kv: (-kv[1], kv[0]))),
        dates=dict(sorted(dates.items())),
        no_outlet=no_outlet,
        no_date=no_date,
        languages=dict(sorted(by_lang.items(), key=lambda kv: (-kv[1], kv[0]))),
        no_language=no_language,
    )


# --------------------------------------------------------------------------------------------
# Hits and snippets


def _make_hit(hit, rank: int, highlighter, corpus_dir: Path | None, *, scored: bool,
              bonus: float, lead: bool = False) -> Hit:
    stored = hit.fields()
    date = dt.date.fromisoformat(stored["date"]) if stored.get("date") else None
    snippet: str = ""
    spans: tuple[tuple[int, int], ...] = ()
    passages: tuple[Passage, ...] = ()
    if highlighter is not None:
        snippet, spans, passages = make_snippet(hit, highlighter)
    elif lead:
        snippet = lead_snippet(stored.get("body") or "")
    page = None
    if passages and stored.get("page_starts"):
        import bisect
        from dataclasses import replace as _replace

        starts = stored["page_starts"]
        first = min((start for start, _ in passages[0].matches), default=passages[0].start)
        page = bisect.bisect_right(starts, first) + 1
        passages = tuple(_replace(p, page=bisect.bisect_right(starts, p.start) + 1) for p in passages)
    return Hit(
        rank=rank,
        doc_id=stored["doc_id"],
        path=corpus_dir / stored.get("file", stored["doc_id"]) if corpus_dir else Path(stored.get("file", stored["doc_id"])),
        title=stored.get("title") or None,
        outlet=stored.get("outlet") or None,
        date=date,
        # Sorted searches carry the sort key in hit.score, not a relevance score.
        score=_relevance(hit.score, bonus) if scored and hit.score is not None else None,
        snippet=snippet,
        highlights=spans,
        page=page,
        passages=passages,
        url=stored.get("url") or None,
        lang=stored.get("lang") or None,
    )


def _relevance(score: float, bonus: float) -> float:
    """The BM25 score without the constant that ranks all-words documents first."""
    return float(score - bonus if bonus and score >= bonus else score)


# --------------------------------------------------------------------------------------------
# Find where this passage appears

#: Words of a passage (or of a pasted plain query) kept to look for, the most telling
#: (tf * idf) first: a whole article has hundreds, and every word costs a posting-list read.
SIMILAR_MAX_TERMS = 64
#: A plain query with more distinct words than this keeps only its most telling ones.
PLAIN_MAX_TERMS = 256
#: Characters of a passage analysed (a 100,000-character paste is read in full up to here).
SIMILAR_MAX_CHARS = 200_000


def _passage_language(searcher, text: str, doc_id: str | None) -> str | None:
    """The analysed language of a passage: its document's (``doc_id``), else detected from
    the text; None when the index has no documents in analysed languages."""
    present = index_languages(searcher)
    if not present:
        return None
    lang = None
    number = searcher.document_number(doc_id=doc_id) if doc_id is not None else None
    if number is not None:
        lang = searcher.stored_fields(number).get("lang")
    else:
        from ...ingest.language import detect

        lang = detect(text[:SIMILAR_MAX_CHARS])
    return lang if lang in present else None


def passage_terms(searcher, text: str, limit: int, notices: list[str] | None = None,
                  lang: str | None = None) -> list[tuple[float, str, int]]:
    """(tf * idf, term, tf) of the content words of ``text`` the index knows, best first;
    ``lang``: the passage is in that analysed language (its words are taken as its
    language's articles hold them).

    English function words are left out by the stop list. A passage in another language
    (few English function words) would be matched by its own language's function words,
    found in every article of that language whatever its subject, and rare in an index of
    mostly other languages (a high idf): those of its language's stop list are left out, and
    others are learnt from the index (:func:`_own_language_common_words`) and left out too;
    ``notices`` says so."""
    from .compile import ANALYZER, analyse_in, function_words_in, query_stop_words

    stop = query_stop_words()
    own_words, own_terms = function_words_in(lang) if lang is not None else (frozenset(), frozenset())
    counts: dict[str, int] = {}
    own_function_words: dict[str, int] = {}
    words = english_function_words = 0
    if lang is not None:
        # As its language's articles hold it, and (below) as the others do: names, numbers
        # and shared words still find the same story in other languages.
        for _pos, term in analyse_in(text[:SIMILAR_MAX_CHARS], lang):
            if term not in own_terms:
                counts[term] = counts.get(term, 0) + 1
    for term, original, _start, stopped in ANALYZER.terms_with_originals(text[:SIMILAR_MAX_CHARS]):
        words += 1
        lowered = original.lower().replace("\u2019", "'")
        if stopped or lowered in stop:
            english_function_words += 1
        elif lowered in own_words:
            own_function_words[lowered] = own_function_words.get(lowered, 0) + 1
        else:
            counts[term] = counts.get(term, 0) + 1
    reader = searcher.reader()
    scored = []
    for term, tf in counts.items():
        if ("body", term) not in reader and ("title", term) not in reader:
            continue
        scored.append((tf * searcher.idf("body", term), term, tf))
    scored.sort(key=lambda x: (-x[0], x[1]))
    if words >= FOREIGN_MIN_WORDS and english_function_words < FOREIGN_STOP_SHARE * words:
        common = _own_language_common_words(searcher, counts, [t for _, t, _ in scored[: 3 * limit]])
        if common:
            scored = [entry for entry in scored if entry[1] not in common]
        left_out = {**own_function_words, **{t.split("|")[0]: counts[t] for t in common}}
        if left_out and notices is not None:
            shown = ", ".join(sorted(left_out, key=lambda w: (-left_out[w], w))[:5])
            notices.append(f"the passage is not in English: {len(left_out)} of its words ({shown}, ...), function "
                           "words of its language or common to every article in its language here, were left "
                           "out, so that articles are compared by content, not by language")
        elif notices is not None:
            notices.append("the passage is not in English and the index holds too few articles in its language to "
                           "tell its common words: articles sharing its language may rank above those sharing "
                           "its content")
    return scored[:limit]


#: A passage of at least this many words with fewer than this share of English function
#: words is not English (English prose has 40-50%; German, French, Spanish or Russian
#: prose under 10% of words on the English list).
FOREIGN_MIN_WORDS = 30
FOREIGN_STOP_SHARE = 0.15
#: The passage's most widespread words in the index (its language's function words come
#: first) that mark an article as written in its language: at least 3 of these 5.
LANGUAGE_MARKERS, LANGUAGE_MARKERS_NEEDED = 5, 3
#: A word found in at least this share of the articles in the passage's language is one of
#: that language's common words; learnt only from at least LANGUAGE_MIN_ARTICLES of them.
LANGUAGE_COMMON_SHARE = 0.5
LANGUAGE_MIN_ARTICLES = 4


def _own_language_common_words(searcher, counts: dict[str, int], candidates: list[str]) -> set[str]:
    """Which of ``candidates`` are common words of the passage's own language, learnt from
    the index without knowing the language: the articles holding most of the passage's most
    widespread words are the articles in its language, and a word found in half of them or
    more says nothing of any subject. Empty when too few such articles exist to tell. Reads
    the postings of every word of the passage: only passages not in English pay for it."""
    reader = searcher.reader()

    def docs(term: str) -> set[int]:
        if ("body", term) not in reader:
            return set()
        return set(reader.postings("body", term).all_ids())

    found = {term: docs(term) for term in counts}
    markers = sorted((t for t in found if found[t]), key=lambda t: (-len(found[t]), -counts[t], t))[:LANGUAGE_MARKERS]
    if len(markers) < LANGUAGE_MARKERS:
        return set()
    hits: dict[int, int] = {}
    for term in markers:
        for doc in found[term]:
            hits[doc] = hits.get(doc, 0) + 1
    own = {doc for doc, n in hits.items() if n >= LANGUAGE_MARKERS_NEEDED}
    if len(own) < LANGUAGE_MIN_ARTICLES:
        return set()
    need = LANGUAGE_COMMON_SHARE * len(own)
    return {term for term in candidates if len(found.get(term) or docs(term)) >= need and
            len((found.get(term) or docs(term)) & own) >= need}


def similar_query(searcher, text: str, boosts: dict[str, float], notices: list[str] | None = None,
                  lang: str | None = None) -> wq.Query:
    """The articles sharing most content with ``text``: its most telling words OR-ed, each
    weighted 1 + ln(tf), so a passage's key words count more than words it mentions once.
    ``lang``: the passage's analysed language (its words as that language's documents hold them)."""
    terms = passage_terms(searcher, text, SIMILAR_MAX_TERMS, notices, lang)
    if not terms:
        return wq.NullQuery
    return wq.Or([
        wq.Or([wq.Term(field, term, boost=boost * (1.0 + math.log(tf))) for field, boost in boosts.items()])
        for _, term, tf in terms
    ])


#: Longer queries are pasted text, not written queries: they are read as plain text (the
#: query language's parser spends about 50 µs a word, and an OR of hundreds of phrases and
#: groups goes through Whoosh's matchers, not the bulk scorer).
OPERATOR_MAX_CHARS = 2_000
#: How many of the best articles by shared words are re-ranked by shared word pairs.
SIMILAR_CANDIDATES = 100


def _term_sequence(text: str) -> list[str]:
    """The indexed terms of ``text`` in order, stop words left out (the bigrams of a CJK run,
    each accented word by its folded term): what word pairs are made of."""
    from .fastindex import _FIND_ALL_WORDS, _term_bytes

    out: list[str] = []
    for word in _FIND_ALL_WORDS(text):
        term = _term_bytes(word)
        if term is None:
            continue
        if type(term) is str:  # a capitalised stop word
            out.append(term)
        elif type(term) is bytes:
            out.append(term.decode("utf-8"))
        elif type(term) is tuple:
            out.append(term[-1].decode("utf-8"))
        else:
            out.extend(g.decode("utf-8") for g in term)  # type: ignore[union-attr]  # the remaining kind: CJK bigrams, a list of bytes
    return out


def _pairs(terms: list[str]) -> set[tuple[str, str]]:
    return set(zip(terms, terms[1:]))


def rerank_by_shared_pairs(searcher, text: str, ranked: list, lang: str | None = None) -> list:
    """``ranked`` (Whoosh hits) re-ordered by their score plus, for each word pair (adjacent
    words, stop words left out) they share with the passage, the pair's mean idf: text
    copied or paraphrased closely shares pairs, an article on the same topic mostly words.

    ``lang``: the passage's analysed language. Its pairs are then of its words as its
    language's articles hold them, its language's function words left out, and compared
    with the articles in that language only: read as English, "sagte ein Sprecher des ..."
    made pairs of German function words, each weighed as a word no article holds."""
    if not ranked:
        return ranked
    from .compile import analyse_in, function_words_in, query_stop_words

    stop = function_words_in(lang)[1] if lang is not None else query_stop_words()

    def sequence(body: str, in_lang: str | None) -> list[str]:
        return [term for _pos, term in analyse_in(body, in_lang)] if in_lang is not None else _term_sequence(body)

    wanted = {p for p in _pairs(sequence(text[:SIMILAR_MAX_CHARS], lang))
              if p[0] not in stop and p[1] not in stop}
    if not wanted:
        return ranked
    idf: dict[str, float] = {}

    def weight(term: str) -> float:
        if term not in idf:
            idf[term] = searcher.idf("body", term)
        return idf[term]

    rescored = []
    for i, hit in enumerate(ranked):
        stored = hit.fields()
        body = (stored.get("title") or "") + "\n" + (stored.get("body") or "")
        pairs = _pairs(sequence(body, lang)) & wanted if stored.get("lang") == lang or lang is None else set()
        bonus = sum((weight(a) + weight(b)) / 2 for a, b in pairs)
        hit.score = (hit.score or 0.0) + bonus
        rescored.append((-hit.score, i, hit))
    rescored.sort(key=lambda x: (x[0], x[1]))
    return [hit for _, _, hit in rescored]


def _huge_plain_query(searcher, text: str, ranking: Ranking, ignored: list[str],
                      notices: list[str]) -> wq.Query | None:
    """For pasted text of more than PLAIN_MAX_TERMS different content words, the OR of its
    PLAIN_MAX_TERMS rarest in the index (a repeated word weighted as ``ranking.repeats``
    says, as in a shorter paste), else None (parse it as usual): a pasted article must not
    read thousands of posting lists."""
    if len(text) <= OPERATOR_MAX_CHARS:
        return None  # a few hundred words at most: parsed as usual
    from .compile import ANALYZER, query_stop_words

    stop = query_stop_words()
    terms: dict[str, int] = {}
    dropped: dict[str, None] = {}
    for term, original, _start, stopped in ANALYZER.terms_with_originals(text[:SIMILAR_MAX_CHARS]):
        word = original.lower().replace("\u2019", "'")
        if stopped or word in stop:
            dropped[word] = None
        else:
            terms[term] = terms.get(term, 0) + 1
    lang = _passage_language(searcher, text, None)
    if lang is not None:  # the pasted text's words also as its language's articles hold them
        from .compile import analyse_in

        for _pos, term in analyse_in(text[:SIMILAR_MAX_CHARS], lang):
            terms[term] = terms.get(term, 0) + 1
    if len(terms) <= PLAIN_MAX_TERMS:
        return None
    reader = searcher.reader()
    known = [(df, t) for t in terms if (df := reader.doc_frequency("body", t))]
    rarest = [t for _, t in sorted(known)[:PLAIN_MAX_TERMS]]
    ignored.extend(dropped)
    notices.append(f"the text has {len(terms)} different words: the {len(rarest)} rarest in the index were searched")
    if not rarest:
        return wq.NullQuery
    boosts = _boosts(ranking)
    return wq.Or([wq.Or([wq.Term(field, t, boost=boost * repeat_weight(terms[t], ranking.repeats, ranking.k3))
                         for field, boost in boosts.items()]) for t in rarest])


# --------------------------------------------------------------------------------------------
# Pseudo-relevance feedback

FEEDBACK_DOCS = 10
FEEDBACK_TERMS = 10
ORIGINAL_WEIGHT = 0.5
#: A feedback word must be in at least this share of the feedback documents: words only one
#: or two of them use (a name, a date line, an off-topic aside) are where the hits disagree.
FEEDBACK_MIN_SUPPORT = 0.3
#: Feedback is applied only when the best hits hold, on average, at least half of the query's
#: information (its words weighted by idf): hits that each match a different part of it are
#: no sample of what was meant, and feedback from them drifts.
FEEDBACK_MIN_COVERAGE = 0.5


def _feedback_word(term: str) -> bool:
    """Words only (as Anserini's RM3 keeps): no numbers, initials or codes ("1973", "j", "4.12")."""
    word = untagged(term)[0]
    return word.isalpha() and (len(word) >= 3 or is_cjk(word[0]))


def expand_query(searcher, text: str, query: wq.Query, plain: bool,
                 filter_docs: set[int] | None, boosts: dict[str, float] | None = None,
                 feedback_weight: float = 1 - ORIGINAL_WEIGHT) -> tuple[wq.Query, tuple[str, ...]]:
    """Re-weight ``query`` with the top hits' key words (RM3 with idf), when the top hits agree
    on some; return the new query and the words it added.

    The 10 best hits vote for their words, each vote weighted by the hit's share of the
    relevance and the word's share of the hit's length; idf keeps words common everywhere
    out. Only words found in at least 30% of those hits may vote (FEEDBACK_MIN_SUPPORT): the
    feedback is adaptive, as a query whose best hits share no words beyond its own is left
    as it is. The query's own words take part too, so feedback also re-weights them. The
    original words and the feedback words get half the weight each (Anserini's RM3
    defaults, not fitted). Plain queries may then find new documents; a query with
    operators keeps its own matches and the feedback only re-ranks them.
    """
    from .compile import query_stop_words

    boosts = boosts or DEFAULT_FIELD_BOOSTS
    first = search_whoosh(searcher, query, limit=FEEDBACK_DOCS, filter=filter_docs)
    bonus = all_words_bonus(query)
    hits = [(hit, _relevance(hit.score or 0.0, bonus)) for hit in first]
    total = sum(score for _, score in hits)
    asked = sorted({term for field, term in query_words(query) if field == "body"})
    if not hits or total <= 0 or not asked:
        return query, ()
    stop = query_stop_words()
    votes: dict[str, float] = {}
    support: dict[str, int] = {}
    spelled: dict[str, str] = {}
    analyzer = text_analyzer()
    asked_idf = {term: searcher.idf("body", term) for term in asked}
    coverage = 0.0
    for hit, score in hits:
        counts: dict[str, int] = {}
        lang = hit.get("lang")
        options = {"lang": lang} if lang in ANALYSED_LANGUAGES else {}
        for token in analyzer(hit.get("body") or "", keeporiginal=True, **options):
            counts[token.text] = counts.get(token.text, 0) + 1
            spelled.setdefault(token.text, token.original.lower())
        coverage += sum(w for t, w in asked_idf.items() if t in counts) / (sum(asked_idf.values()) or 1.0)
        length = sum(counts.values()) or 1
        for term, tf in counts.items():
            votes[term] = votes.get(term, 0.0) + (score / total) * (tf / length)
            support[term] = support.get(term, 0) + 1
    if coverage / len(hits) < FEEDBACK_MIN_COVERAGE:
        return query, ()  # the best hits hold little of what was asked: they do not agree
    needed = max(1, math.ceil(FEEDBACK_MIN_SUPPORT * len(hits)))
    feedback = sorted(((w * searcher.idf("body", t), t) for t, w in votes.items()
                       if support[t] >= needed and spelled.get(t, t) not in stop and _feedback_word(t)),
                      reverse=True)[:FEEDBACK_TERMS]
    if not any(t not in asked for _, t in feedback):
        return query, ()  # the best hits agree on no word beyond the query's own
    feedback_sum = sum(w for w, _ in feedback) or 1.0
    weights = {term: (1 - feedback_weight) / len(asked) for term in asked}
    for w, term in feedback:
        weights[term] = weights.get(term, 0.0) + feedback_weight * w / feedback_sum
    weighted = wq.Or([
        wq.Or([wq.Term(field, term, boost=boost * weight) for field, boost in boosts.items()])
        for term, weight in weights.items()
    ])
    added = tuple(spelled[t] for _, t in feedback if t not in asked and t in spelled)
    return (weighted if plain else wq.AndMaybe(query, weighted)), added


# --------------------------------------------------------------------------------------------
# Did you mean

#: Did-you-mean looks at queries up to this long, and at most SUGGEST_MAX_WORDS of their words
#: (each costs a walk of the lexicon within two edits).
SUGGEST_MAX_CHARS = 200
SUGGEST_MAX_WORDS = 8

_QUERY_WORD = re.compile(r"(?<![\w:])([^\W\d_][\w'’]*)(?![\w:*?~])")
_OPERATORS = frozenset({"AND", "OR", "NOT", "TO"})


def suggest(searcher, text: str, total: int, notices: list[str] | None = None) -> str | None:
    """A corrected query built from the index's own words, or None.

    Each plain word of the query that the index does not know (or knows far less than a word
    one or two edits away) is replaced by the most frequent such word, spelled as it appears
    in an article. A word is looked up in every language of the index, and corrected within
    one: "Sanktion", found in German articles, gets no English "sanctions". A query most of
    whose unknown words are near no word of the index is
    written in a language the index hardly holds, not misspelt: correcting its one or two
    words that happen to be near another language's words would only mislead ("Russland" to
    "russian" in a German query), so nothing is suggested and ``notices`` says why.
    """
    from .compile import analyse_in
    from .lexicon import field_words

    words = field_words(searcher.reader())
    analyzer = text_analyzer()
    languages = index_languages(searcher)
    changed = False
    out: list[str] = []
    last = 0
    unknown = corrected_unknown = 0
    for n, match in enumerate(_QUERY_WORD.finditer(text)):
        if n >= SUGGEST_MAX_WORDS:
            break
        word = match.group(1)
        if word in _OPERATORS:
            continue
        tokens = [t.text for t in analyzer(word)]
        if len(tokens) != 1:
            continue
        variants = [tokens[0]]
        for lang in languages:
            found = analyse_in(word, lang)
            if len(found) == 1:
                variants.append(found[0][1])
        freq = sum(words.freq(term) for term in variants)
        corrections = [c for c in (_best_correction(words, term, freq) for term in variants) if c]
        replacement = max(corrections, key=lambda c: c[1])[0] if corrections else None
        if not freq and len(tokens[0]) >= 4:
            unknown += 1
            corrected_unknown += replacement is not None
        if replacement is None:
            continue
        surface = _surface_form(searcher, replacement, near=word.lower())
        if surface is None or surface == word.lower():
            continue
        out.append(text[last : match.start(1)])
        out.append(surface)
        last = match.end(1)
        changed = True
    if not changed:
        return None
    if unknown >= 2 and corrected_unknown * 2 < unknown:
        if notices is not None:
            notices.append(f"no spelling suggestion: {unknown - corrected_unknown} of the query's {unknown} unknown "
                           "words are near no word of the index (another language than its articles'?)")
        return None
    out.append(text[last:])
    return "".join(out)


def _best_correction(words, term: str, freq: int) -> tuple[str, int] | None:
    """The most widespread word of the index within one edit of ``term`` (two from 7
    letters), in its language and sharing its first letter, with how many documents hold it;
    None unless it is in more than five times as many documents as the query's word."""
    if len(term) < 4:
        return None
    word, lang = untagged(term)
    if len(word) < 4:
        return None
    maxdist = 1 if len(word) < 7 else 2
    return words.letter(term[0]).most_frequent_within(  # a correction in the word's language
        term, maxdist, least=max(freq * 5, 0) + 1, accept=lambda c: c != term and untagged(c)[1] == lang)


def complete_words(searcher, prefix: str, limit: int, cache: dict[str, str | None]) -> list[str]:
    """Words of the index that start with ``prefix``, most widespread first, as written.

    The lexicon holds stems ("satellit"), so candidates are the stems that start with the
    prefix (or with the prefix's own stem) and each is shown in a form found in an article.
    ``cache`` maps stems to surface forms across calls.
    """
    prefix = prefix.lower()
    if not prefix or not prefix.replace("'", "").isalnum():
        return []
    reader = searcher.reader()
    stems = {_text(t) for t in reader.expand_prefix("body", prefix)}
    if len(prefix) > 3:
        stems.update(_text(t) for t in reader.expand_prefix("body", stem(prefix)))
        for lang in index_languages(searcher):  # "санкциям": the Russian articles hold "санкц|ru"
            stems.update(_text(t) for t in reader.expand_prefix("body", tagged(stem_in(prefix, lang), lang)))
    ranked = sorted(stems, key=lambda t: (-reader.doc_frequency("body", t), t))
    words: list[str] = []
    for term in ranked:
        if term not in cache:
            cache[term] = _surface_form(searcher, term)
        word = cache[term]
        if word and word.startswith(prefix) and word not in words:
            words.append(word)
            if len(words) >= limit:
                break
    return words


def _text(term: bytes | str) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


#: How many of a term's documents (its first) are read for the ways it is written.
SURFACE_DOCS = 5


def _surface_form(searcher, term: str, near: str | None = None) -> str | None:
    """How an indexed (stemmed) term is written in the articles that hold it, lower-cased:
    of its spellings in its first SURFACE_DOCS documents, the one closest to ``near`` (what
    was typed: "sanctoins" gets "sanctions", not "sanctioned"), then the commonest, then the
    first. Read from the postings' character offsets and the stored text: no search (the
    search for the term's best document, as this did before, ranked every document holding
    a common word); the spellings of a term are kept per searcher."""
    from whoosh.support.levenshtein import levenshtein

    cache = object_cache(searcher, "spellings")
    counts = cache.get(term)
    if counts is None:
        if len(cache) >= SPELLINGS_KEPT:
            cache.clear()
        counts = cache[term] = _spellings(searcher, term)
    if not counts:
        return None
    order = list(counts)
    return min(order, key=lambda w: (levenshtein(w, near) if near else 0, -counts[w], order.index(w)))


#: Terms whose spellings a searcher keeps (a few hundred bytes each).
SPELLINGS_KEPT = 4096


def _spellings(searcher, term: str) -> dict[str, int]:
    """How often each spelling (lower-cased) of ``term`` occurs in its first SURFACE_DOCS
    documents, in the order first met."""
    from whoosh.reading import TermNotFound

    reader = searcher.reader()
    try:
        postings = reader.postings("body", term)
    except TermNotFound:
        return {}
    counts: dict[str, int] = {}
    for _ in range(SURFACE_DOCS):
        if not postings.is_active():
            break
        body = reader.stored_fields(postings.id()).get("body") or ""
        for _pos, start, end in postings.value_as("characters"):
            spelling = body[start:end].lower()
            if spelling:
                counts[spelling] = counts.get(spelling, 0) + 1
        postings.next()
    return counts
