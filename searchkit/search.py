"""Running a query against an open Whoosh searcher: filters, ranking, paging, snippets,
facets and did-you-mean. Whoosh objects stop here; callers get :class:`Results`.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass
from pathlib import Path

from whoosh import highlight, sorting
from whoosh import query as wq

from .analysis import stem, text_analyzer
from .errors import QueryError
from .models import Facets, Hit, Results
from .query import DEFAULT_FIELD_BOOSTS, all_words_bonus, parse_query, query_words, split_all_words_first
from .sanitize import one_line
from .schema import date_of_day, day_number, outlet_key

SORTS = ("relevance", "date", "-date")
FACET_DATE_UNITS = ("day", "month")

SNIPPET_CHARS = 200  # about this long per fragment
SNIPPET_FRAGMENTS = 2
# Highlight matches anywhere in an article, not only in its first 32 KB (DESIGN pitfall 4).
HIGHLIGHT_CHARLIMIT = 2**31 - 1
ELLIPSIS = "…"



@dataclass(frozen=True)
class SearchOptions:
    """Everything a search takes besides the query text (see :meth:`searchkit.Index.search`)."""

    limit: int = 10
    page: int = 1
    plain: bool = False
    sort: str = "relevance"
    outlet: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    facets: bool = False
    facet_dates: str = "day"
    snippets: bool = True
    expand: bool = False


def run_search(searcher, text: str, options: SearchOptions, corpus_dir: Path | None) -> Results:  # type: ignore[no-untyped-def]
    """Search ``searcher`` for ``text``; raises :class:`QueryError` for a malformed query.

    ``corpus_dir`` turns document ids into the paths of the article files.
    """
    started = time.perf_counter()
    _check_options(options)
    query = parse_query(text, plain=options.plain)
    bonus = all_words_bonus(query)
    filter_query = _filter_query(options)
    expansion: tuple[str, ...] = ()
    if options.expand:
        query, expansion = expand_query(searcher, text, query, options.plain, filter_query)
    kwargs: dict = {"limit": options.page * options.limit, "terms": options.snippets}
    if filter_query is not None:
        kwargs["filter"] = filter_query
    day_of = _column_day_decoder(searcher)
    if options.sort != "relevance":
        kwargs["sortedby"] = _sort_facet(options.sort, day_of)
    if options.facets:
        kwargs["groupedby"] = {
            "outlet": sorting.FieldFacet("outlet"),
            "date": _date_facet(options.facet_dates, day_of),
        }
        kwargs["maptype"] = sorting.Count
    two_pass = split_all_words_first(query) if options.sort == "relevance" and not options.facets else None
    if two_pass is not None:
        ranked = _all_words_then_any(searcher, *two_pass, kwargs)
    else:
        results = search_whoosh(searcher, query, **kwargs)
        ranked = list(results)
    # Not len(results): with terms=True, Whoosh counts only the documents its top-k
    # collector visited after skipping non-competitive blocks, far fewer than matched.
    # The words OR-ed match the same documents as the query with its all-words clause.
    total = count_matches(searcher, two_pass[1] if two_pass else query, filter_query)
    first = (options.page - 1) * options.limit
    page_hits = ranked[first : first + options.limit]
    highlighter = _highlighter() if options.snippets else None
    hits = tuple(
        _make_hit(hit, first + i + 1, highlighter, corpus_dir, scored=options.sort == "relevance", bonus=bonus)
        for i, hit in enumerate(page_hits)
    )
    facets = _facets(results, options.facet_dates) if options.facets else None
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


def _all_words_then_any(searcher, all_words: wq.Query, any_word: wq.Query, kwargs: dict) -> list:  # type: ignore[no-untyped-def]
    """The top ``kwargs["limit"]`` hits of an all-words-first query, in two skipping passes."""
    need = kwargs["limit"]
    hits = list(search_whoosh(searcher, all_words, **kwargs))
    if len(hits) < need:  # every all-words match is in; fill from the rest
        rest = search_whoosh(searcher, any_word, **{**kwargs, "limit": need - len(hits), "mask": all_words})
        hits.extend(rest)
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


def count_matches(searcher, query: wq.Query, filter_query: wq.Query | None) -> int:  # type: ignore[no-untyped-def]
    """Number of documents matching ``query`` (and ``filter_query``), without scoring them."""
    docs = searcher.docs_for_query(query)
    if filter_query is None:
        return sum(1 for _ in docs)
    allowed = set(searcher.docs_for_query(filter_query))
    return sum(1 for doc in docs if doc in allowed)


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
        low = day_number(options.since) if options.since else 1
        high = day_number(options.until) if options.until else 99991231
        parts.append(wq.NumericRange("day", low, high))
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


def _date_facet(unit: str, day_of) -> sorting.FacetType:  # type: ignore[no-untyped-def]
    if unit == "month":
        return sorting.TranslateFacet(lambda raw: day_of(raw) // 100, sorting.FieldFacet("day"))
    return sorting.FieldFacet("day")


def _facets(results, unit: str) -> Facets:  # type: ignore[no-untyped-def]
    outlets = dict(results.groups("outlet"))
    no_outlet = outlets.pop("", 0) + outlets.pop(None, 0)
    dates: dict[str, int] = {}
    no_date = 0
    for key, count in results.groups("date").items():
        if not key:
            no_date += count
        elif unit == "month":
            dates[f"{key // 100:04d}-{key % 100:02d}"] = count
        else:
            dates[date_of_day(key).isoformat()] = count  # type: ignore[union-attr]
    return Facets(
        outlets=dict(sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))),
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
        path=corpus_dir / stored["doc_id"] if corpus_dir else Path(stored["doc_id"]),
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
                 filter_query: wq.Query | None) -> tuple[wq.Query, tuple[str, ...]]:
    """Re-weight ``query`` with the top hits' key words (RM3 with idf); return the new query
    and the words it added.

    The 10 best hits vote for their words, each vote weighted by the hit's share of the
    relevance and the word's share of the hit's length; idf keeps words common everywhere
    out. The query's own words take part too, so feedback also re-weights them. The original
    words and the feedback words get half the weight each (Anserini's RM3 defaults, not
    fitted). Plain queries may then find new documents; a query with operators keeps its own
    matches and the feedback only re-ranks them.
    """
    first = search_whoosh(searcher, query, limit=FEEDBACK_DOCS, filter=filter_query)
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


class _SpanFormatter(highlight.Formatter):
    """Returns ``(snippet, spans)``: plain text and the offsets of the highlighted terms."""

    def format(self, fragments, replace=False):  # type: ignore[no-untyped-def]
        return fragments


def _highlighter() -> highlight.Highlighter:
    fragmenter = highlight.PinpointFragmenter(
        maxchars=SNIPPET_CHARS, surround=SNIPPET_CHARS // 2 - 20, autotrim=True, charlimit=HIGHLIGHT_CHARLIMIT
    )
    return highlight.Highlighter(
        fragmenter=fragmenter, formatter=_SpanFormatter(), order=highlight.FIRST
    )


def make_snippet(hit, highlighter) -> tuple[str, tuple[tuple[int, int], ...]]:  # type: ignore[no-untyped-def]
    """The best fragments of the hit's body with the matched terms' offsets in them."""
    text = hit.get("body") or ""
    fragments = []
    try:
        fragments = highlighter.highlight_hit(hit, "body", text=text, top=SNIPPET_FRAGMENTS)
    except KeyError:
        fragments = []
    if not fragments:
        return _lead_snippet(text), ()
    builder = _SnippetBuilder()
    for i, fragment in enumerate(fragments):
        start, end = fragment.startchar, fragment.endchar
        if i or start > 0:
            builder.add_gap(ELLIPSIS)
        cursor = start
        for token in sorted(fragment.matches, key=lambda t: t.startchar):
            if token.startchar < cursor:
                continue
            builder.add_text(text[cursor : token.startchar])
            builder.add_match(text[token.startchar : token.endchar])
            cursor = token.endchar
        builder.add_text(text[cursor:end])
        if i == len(fragments) - 1 and end < len(text.rstrip()):
            builder.add_gap(ELLIPSIS)
    return builder.result()


def _lead_snippet(text: str) -> str:
    """The start of an article, cut at a word, when nothing in the body matched."""
    clean = one_line(text).strip()
    if len(clean) <= SNIPPET_CHARS:
        return clean
    cut = clean.rfind(" ", 0, SNIPPET_CHARS)
    return clean[: cut if cut > 0 else SNIPPET_CHARS] + " " + ELLIPSIS


class _SnippetBuilder:
    """Joins cleaned pieces of text while tracking the offsets of the matches."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[tuple[int, int]] = []

    def _append(self, piece: str) -> None:
        if not piece:
            return
        if self.parts and self.parts[-1].endswith(" ") and piece.startswith(" "):
            piece = piece[1:]
            if not piece:
                return
        self.parts.append(piece)
        self.length += len(piece)

    def add_text(self, raw: str) -> None:
        self._append(one_line(raw))

    def add_match(self, raw: str) -> None:
        piece = one_line(raw).strip()
        if not piece:
            return
        start = self.length
        self._append(piece)
        self.spans.append((start, self.length))

    def add_gap(self, mark: str) -> None:
        if self.parts and not self.parts[-1].endswith(" "):
            self._append(" ")
        self._append(mark + " ")

    def result(self) -> tuple[str, tuple[tuple[int, int], ...]]:
        text = "".join(self.parts)
        stripped = text.rstrip()
        lead = len(text) - len(text.lstrip())
        spans = tuple((s - lead, e - lead) for s, e in self.spans)
        return stripped.lstrip(), spans


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
