"""Running a query against an open Whoosh searcher: filters, ranking, paging, snippets,
facets and did-you-mean. Whoosh objects stop here; callers get :class:`Results`.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

from whoosh import sorting
from whoosh import query as wq
from whoosh.searching import Results as WhooshResults

from .analysis import stem, text_analyzer
from .bulkscore import plain_terms, top_scored
from .docsets import SearchPostings, matching_docs
from .facets import facet_counts
from ...errors import QueryError
from ...models import FACET_DATE_UNITS, SORTS, Facets, Hit, Results, SearchOptions
from .compile import DEFAULT_FIELD_BOOSTS, all_words_bonus, parse_query, query_words, split_all_words_first
from .queries import day_range
from .schema import date_of_day, day_number, outlet_key
from .snippets import make_snippet, record_matched_terms, snippet_highlighter

def run_search(searcher, text: str, options: SearchOptions, corpus_dir: Path | None) -> Results:  # type: ignore[no-untyped-def]
    """Search ``searcher`` for ``text``; raises :class:`QueryError` for a malformed query.

    ``corpus_dir`` turns document ids into the paths of the article files.
    """
    started = time.perf_counter()
    _check_options(options)
    query = parse_query(text, plain=options.plain)
    if not searcher.reader().doc_count_all():
        # An index of an empty corpus (Whoosh's EmptyReader lacks what the rest needs).
        facets = Facets({}, {}, 0, 0) if options.facets else None
        return Results(query=text, hits=(), total=0, page=options.page, limit=options.limit,
                       elapsed=time.perf_counter() - started, facets=facets)
    bonus = all_words_bonus(query)
    filter_query = _filter_query(options)
    # Filters, masks, totals and facets all work on sets of document numbers read from the
    # posting lists (docsets.py): far cheaper than Whoosh walking a matcher for each.
    filter_docs = matching_docs(searcher, filter_query) if filter_query is not None else None
    expansion: tuple[str, ...] = ()
    if options.expand:
        query, expansion = expand_query(searcher, text, query, options.plain, filter_docs)
    kwargs: dict = {"limit": options.page * options.limit}
    if options.sort != "relevance":
        kwargs["sortedby"] = _sort_facet(options.sort, _column_day_decoder(searcher))
    two_pass = split_all_words_first(query) if options.sort == "relevance" else None
    # The words OR-ed match the same documents as the query with its all-words clause.
    postings = SearchPostings()
    matched = matching_docs(searcher, two_pass[1] if two_pass else query, postings)
    if filter_docs is not None:
        matched &= filter_docs
    # As a filter, the matches also keep out deleted documents, which Whoosh's own filter
    # lets through after skipping a block by quality.
    kwargs["filter"] = matched
    terms = plain_terms(two_pass[1] if two_pass else query) if options.sort == "relevance" else None
    if terms is not None:
        ranked = _bulk_ranked(searcher, query, terms, two_pass[0] if two_pass else None, matched,
                              kwargs["limit"], postings)
    elif two_pass is not None:
        ranked = _all_words_then_any(searcher, *map(postings.rank_query, two_pass), kwargs, matched)
    else:
        # Not list(results): list() asks len(results) first, which Whoosh answers by
        # matching the whole query again.
        ranked = [hit for hit in search_whoosh(searcher, postings.rank_query(query), **kwargs)]
    total = len(matched)
    first = (options.page - 1) * options.limit
    page_hits = ranked[first : first + options.limit]
    highlighter = None
    if options.snippets:
        highlighter = snippet_highlighter(query)
        record_matched_terms(searcher, query, page_hits, postings)
    hits = tuple(
        _make_hit(hit, first + i + 1, highlighter, corpus_dir, scored=options.sort == "relevance", bonus=bonus)
        for i, hit in enumerate(page_hits)
    )
    facets = _facets(searcher, matched, options.facet_dates) if options.facets else None
    suggestion = None
    if total < 2 and not options.plain:
        suggestion = suggest(searcher, text, total)
    return Results(
        query=text,
        hits=hits,
        total=total,
        page=options.page,
        limit=options.limit,
        elapsed=time.perf_counter() - started,
        facets=facets,
        expansion=expansion,
        suggestion=suggestion,
    )


def _bulk_ranked(searcher, query: wq.Query, terms: list, all_words: wq.Query | None,  # type: ignore[no-untyped-def]
                 matched: set[int], limit: int, postings: SearchPostings) -> list:
    """The top ``limit`` hits of a plain word query, scored in bulk (bulkscore.py).

    With ``all_words`` (an all-words-first query), documents with every word come first,
    then the rest, as the bonus clause orders them.
    """
    first = matched
    if all_words is not None:
        first = matching_docs(searcher, all_words, postings) & matched
    top = top_scored(searcher, terms, first, limit, postings)
    if len(top) < limit and first is not matched:
        top += top_scored(searcher, terms, matched - first, limit - len(top), postings)
    results = WhooshResults(searcher, query, top)
    return [results[i] for i in range(len(top))]


def _all_words_then_any(searcher, all_words: wq.Query, any_word: wq.Query, kwargs: dict,  # type: ignore[no-untyped-def]
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


def search_whoosh(searcher, query: wq.Query, **kwargs):  # type: ignore[no-untyped-def]
    """``searcher.search`` without Whoosh's periodic matcher replacement.

    Every few matches Whoosh swaps the query's matcher for a pruned one that skips what can
    no longer reach the top k; on a multi-segment index with multi-field words that drops
    real hits (the true 4th hit of a two-word AND on a 20,000-article index went missing).
    Block-quality skipping stays on.
    """
    from whoosh.collectors import ScoredCollector

    collector = searcher.collector(**kwargs)
    inner = collector
    while not isinstance(inner, ScoredCollector) and getattr(inner, "child", None) is not None:
        inner = inner.child
    if isinstance(inner, ScoredCollector):
        inner.replace = 0
    searcher.search_with_collector(query, collector)
    return collector.results()


def _check_options(options: SearchOptions) -> None:
    if options.limit < 1:
        raise QueryError("limit must be at least 1")
    if options.page < 1:
        raise QueryError("page must be at least 1")
    if options.sort not in SORTS:
        raise QueryError(f"unknown sort {options.sort!r} (choose from {', '.join(SORTS)})")
    if options.facet_dates not in FACET_DATE_UNITS:
        raise QueryError(f"unknown date facet {options.facet_dates!r} (choose day or month)")
    if options.since and options.until and options.since > options.until:
        raise QueryError(f"since {options.since} is after until {options.until}")


def _filter_query(options: SearchOptions) -> wq.Query | None:
    parts: list[wq.Query] = []
    if options.outlet:
        parts.append(wq.Term("outlet_key", outlet_key(options.outlet)))
    if options.since or options.until:
        low = day_number(options.since) if options.since else None
        high = day_number(options.until) if options.until else None
        parts.append(day_range(low, high))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)


def _column_day_decoder(searcher):  # type: ignore[no-untyped-def]
    """Turns the raw sortable value Whoosh passes to a TranslateFacet into YYYYMMDD."""
    return searcher.schema["day"].from_column_value


def _sort_facet(sort: str, day_of) -> sorting.FacetType:  # type: ignore[no-untyped-def]
    if sort == "-date":
        # Unknown dates are 0 and so come last when newest comes first.
        return sorting.FieldFacet("day", reverse=True)
    # Oldest first, unknown dates still last.
    return sorting.TranslateFacet(lambda raw: day_of(raw) or 99999999, sorting.FieldFacet("day"))


def _facets(searcher, matched: set[int], unit: str) -> Facets:  # type: ignore[no-untyped-def]
    by_outlet, by_day = facet_counts(searcher, matched)
    no_outlet = by_outlet.pop("", 0) + by_outlet.pop(None, 0)  # type: ignore[call-overload]
    no_date = by_day.pop(0, 0)
    dates: dict[str, int] = {}
    for day, count in by_day.items():
        key = f"{day // 10000:04d}-{day // 100 % 100:02d}" if unit == "month" else date_of_day(day).isoformat()  # type: ignore[union-attr]
        dates[key] = dates.get(key, 0) + count
    return Facets(
        outlets=dict(sorted(by_outlet.items(), key=lambda kv: (-kv[1], kv[0]))),
        dates=dict(sorted(dates.items())),
        no_outlet=no_outlet,
        no_date=no_date,
    )


# --------------------------------------------------------------------------------------------
# Hits and snippets


def _make_hit(hit, rank: int, highlighter, corpus_dir: Path | None, *, scored: bool,  # type: ignore[no-untyped-def]
              bonus: float) -> Hit:
    stored = hit.fields()
    date = dt.date.fromisoformat(stored["date"]) if stored.get("date") else None
    snippet, spans = ("", ())
    if highlighter is not None:
        snippet, spans = make_snippet(hit, highlighter)
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
    )


def _relevance(score: float, bonus: float) -> float:
    """The BM25 score without the constant that ranks all-words documents first."""
    return float(score - bonus if bonus and score >= bonus else score)


# --------------------------------------------------------------------------------------------
# Pseudo-relevance feedback

FEEDBACK_DOCS = 10
FEEDBACK_TERMS = 10
ORIGINAL_WEIGHT = 0.5


def expand_query(searcher, text: str, query: wq.Query, plain: bool,  # type: ignore[no-untyped-def]
                 filter_docs: set[int] | None) -> tuple[wq.Query, tuple[str, ...]]:
    """Re-weight ``query`` with the top hits' key words (RM3 with idf); return the new query
    and the words it added.

    The 10 best hits vote for their words, each vote weighted by the hit's share of the
    relevance and the word's share of the hit's length; idf keeps words common everywhere
    out. The query's own words take part too, so feedback also re-weights them. The original
    words and the feedback words get half the weight each (Anserini's RM3 defaults, not
    fitted). Plain queries may then find new documents; a query with operators keeps its own
    matches and the feedback only re-ranks them.
    """
    first = search_whoosh(searcher, query, limit=FEEDBACK_DOCS, filter=filter_docs)
    bonus = all_words_bonus(query)
    hits = [(hit, _relevance(hit.score or 0.0, bonus)) for hit in first]
    total = sum(score for _, score in hits)
    asked = sorted({term for field, term in query_words(query) if field == "body"})
    if not hits or total <= 0 or not asked:
        return query, ()
    votes: dict[str, float] = {}
    spelled: dict[str, str] = {}
    analyzer = text_analyzer()
    for hit, score in hits:
        counts: dict[str, int] = {}
        for token in analyzer(hit.get("body") or "", keeporiginal=True):
            counts[token.text] = counts.get(token.text, 0) + 1
            spelled.setdefault(token.text, token.original.lower())
        length = sum(counts.values()) or 1
        for term, tf in counts.items():
            votes[term] = votes.get(term, 0.0) + (score / total) * (tf / length)
    feedback = sorted(((w * searcher.idf("body", t), t) for t, w in votes.items()), reverse=True)[:FEEDBACK_TERMS]
    feedback_sum = sum(w for w, _ in feedback) or 1.0
    weights = {term: ORIGINAL_WEIGHT / len(asked) for term in asked}
    for w, term in feedback:
        weights[term] = weights.get(term, 0.0) + (1 - ORIGINAL_WEIGHT) * w / feedback_sum
    weighted = wq.Or([
        wq.Or([wq.Term(field, term, boost=boost * weight) for field, boost in DEFAULT_FIELD_BOOSTS.items()])
        for term, weight in weights.items()
    ])
    added = tuple(spelled[t] for _, t in feedback if t not in asked and t in spelled)
    return (weighted if plain else wq.AndMaybe(query, weighted)), added


# --------------------------------------------------------------------------------------------
# Did you mean

_QUERY_WORD = re.compile(r"(?<![\w:])([^\W\d_][\w'’]*)(?![\w:*?~])")
_OPERATORS = frozenset({"AND", "OR", "NOT", "TO"})


def suggest(searcher, text: str, total: int) -> str | None:  # type: ignore[no-untyped-def]
    """A corrected query built from the index's own words, or None.

    Each plain word of the query that the index does not know (or knows far less than a word
    one or two edits away) is replaced by the most frequent such word, spelled as it appears
    in an article.
    """
    reader = searcher.reader()
    analyzer = text_analyzer()
    changed = False
    out: list[str] = []
    last = 0
    for match in _QUERY_WORD.finditer(text):
        word = match.group(1)
        if word in _OPERATORS:
            continue
        tokens = [t.text for t in analyzer(word)]
        if len(tokens) != 1:
            continue
        term = tokens[0]
        freq = reader.doc_frequency("body", term)
        replacement = _best_correction(reader, term, freq)
        if replacement is None:
            continue
        surface = _surface_form(searcher, replacement)
        if surface is None or surface == word.lower():
            continue
        out.append(text[last : match.start(1)])
        out.append(surface)
        last = match.end(1)
        changed = True
    if not changed:
        return None
    out.append(text[last:])
    return "".join(out)


def _best_correction(reader, term: str, freq: int) -> str | None:  # type: ignore[no-untyped-def]
    if len(term) < 4:
        return None
    maxdist = 1 if len(term) < 7 else 2
    best, best_freq = None, max(freq * 5, 0)
    for candidate in reader.terms_within("body", term, maxdist, prefix=1):
        if candidate == term:
            continue
        cand_freq = reader.doc_frequency("body", candidate)
        if cand_freq > best_freq:
            best, best_freq = candidate, cand_freq
    return best


def complete_words(searcher, prefix: str, limit: int, cache: dict[str, str | None]) -> list[str]:  # type: ignore[no-untyped-def]
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


def _surface_form(searcher, term: str) -> str | None:  # type: ignore[no-untyped-def]
    """How an indexed (stemmed) term is actually written in an article that contains it."""
    docs = searcher.search(wq.Term("body", term), limit=1)
    if not docs:
        return None
    body = docs[0].get("body") or ""
    for token in text_analyzer()(body, keeporiginal=True, removestops=False):
        if token.text == term:
            return token.original.lower()
    return None
