"""Reading an index in a cluster: searches, facets, snippets, counts, stored documents.

The query text is parsed into the engine-neutral tree with the local analysis (so both
engines read a query alike) and compiled to the DSL (:mod:`.compile`). Highlights come back
as fragments between private-use marks; their offsets in the stored text are found and the
snippet is assembled by :mod:`searchkit.engine.passages`, as locally.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ...errors import QueryError, SearchkitError
from ...models import ArticleMeta, Explain, Facets, Hit, Passage, Results, SearchOptions, Version
from ..base import (Counts, IndexedDocument, ReaderOutdated, StoryMembers, languages_option, meta_from_stored,
                    outlet_key, story_members)
from ..passages import SNIPPET_CHARS, SNIPPET_FRAGMENTS, Fragment, lead_snippet, snippet_from
from .compile import MATCH_ALL, UNDATED, all_words_bonus, compile_query, filters, has_date_range, left_out
from .errors import explain
from .fields import document_id, source_document
from .location import Location

_PRE, _POST = "\ue000", "\ue001"
#: Characters of a long text the highlighter reads (its default stops at 1,000,000).
_HIGHLIGHT_CHARS = 50_000_000
_SCAN_PAGE = 2000
#: Stored fields a hit shows (the body is fetched only for snippets).
_HIT_FIELDS = ["doc_id", "file", "title", "outlet", "date", "url", "page_starts", "lang"]
_QUERY_WORD = re.compile(r"(?<![\w:\"'*?~])([^\W\d_][\w'\u2019]*)(?![\w:*?~])", re.UNICODE)
_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR", "TO"})


class OpenSearchReader:

    def __init__(self, client: Any, index: str, where: str, location: Location | None = None) -> None:
        self._client = client
        self._index = index
        self._where = where
        #: Where the cluster is, for readers in other processes (``id_sorted_parts``).
        self._location = location
        self._pits: list[str] = []
        self._outlet_names: list[str] | None = None

    def _names(self) -> list[str]:
        """The index's outlet names, read when first asked (``outlet:NAME``, ``--outlet``)."""
        if self._outlet_names is None:
            self._outlet_names = self.outlets()
        return self._outlet_names

    def _resolved(self, options: SearchOptions) -> SearchOptions:
        """``options`` with each outlet name replaced by the outlet it means."""
        from ...outlets import resolve_outlet

        if not options.outlet and not options.not_outlet:
            return options

        def resolved(names: str | tuple[str, ...] | None) -> tuple[str, ...] | None:
            given = (names,) if isinstance(names, str) else tuple(names or ())
            return tuple(resolve_outlet(name, self._names()) for name in given if name) or None

        return replace(options, outlet=resolved(options.outlet), not_outlet=resolved(options.not_outlet))

    # -- plumbing -------------------------------------------------------------------------------

    def _call(self, method: str, **kwargs: Any) -> Any:
        from opensearchpy import exceptions as ox

        try:
            return getattr(self._client, method)(index=self._index, **kwargs)
        except ox.NotFoundError as exc:
            if "index_not_found" in str(exc):
                raise ReaderOutdated(f"{self._index} is gone") from None  # a rebuild swapped generations
            raise explain(exc, self._where) from None
        except ox.RequestError as exc:
            raise QueryError(f"OpenSearch could not run the query ({_reason(exc)})") from None
        except Exception as exc:  # noqa: BLE001 - every client error becomes one sentence
            raise explain(exc, self._where) from None

    def _scan(self, query: dict[str, Any], source: list[str] | bool) -> Iterator[dict[str, Any]]:
        """Every matching document, in doc_id order (search_after: no scroll context held)."""
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {"query": query, "size": _SCAN_PAGE, "sort": [{"doc_id": "asc"}],
                                    "_source": source, "track_total_hits": False}
            if after is not None:
                body["search_after"] = after
            hits = self._call("search", body=body, allow_partial_search_results=False)["hits"]["hits"]
            yield from hits
            if len(hits) < _SCAN_PAGE:
                return
            after = hits[-1]["sort"]

    # -- searching ------------------------------------------------------------------------------

    def _tree(self, text: str, options: SearchOptions, ignored: list[str], notices: list[str]) -> Any:
        from ...querylang.parser import parse
        from ..whoosh.compile import ANALYZER

        ranking = options.ranking
        boosts = {"title": ranking.title_boost, "body": 1.0, "outlet_text": 1.0}
        return parse(text, ANALYZER, plain=options.plain, field_boosts=boosts, grouping=ranking.grouping,
                     repeats=ranking.repeats, drop_function_words=ranking.drop_function_words,
                     ignored=ignored, notices=notices)

    def _resolve_stories(self, tree: Any, stories: StoryMembers | None) -> Any:
        """``story:ID`` as the story's documents (the map the library keeps)."""
        from ...querylang import ast

        def walk(node: ast.Node) -> ast.Node:
            if isinstance(node, ast.Story):
                members = story_members(stories, node.story_id)
                return ast.Or(tuple(ast.Term("doc_id", m) for m in members))
            return ast.map_children(node, walk)

        return walk(tree)

    def _left_out(self, options: SearchOptions) -> list[dict[str, Any]]:
        return left_out([outlet_key(name) for name in options.not_outlet or () if name], options.exclude)

    def _filters(self, options: SearchOptions) -> list[dict[str, Any]]:
        outlets = (options.outlet,) if isinstance(options.outlet, str) else tuple(options.outlet or ())
        return filters([outlet_key(name) for name in outlets if name],
                       options.since.isoformat() if options.since else None,
                       options.until.isoformat() if options.until else None, options.only,
                       languages_option(options))

    def search(self, text: str, options: SearchOptions, corpus: Path | None,
               stories: StoryMembers | None = None, story_of: Mapping[str, str] | None = None) -> Results:
        started = time.perf_counter()
        options = self._resolved(options)
        ignored: list[str] = []
        notices: list[str] = []
        match_all = text.strip() in ("", "*")
        bonus = 0.0
        relaxed: dict[str, Any] | None = MATCH_ALL if match_all else None
        if match_all:
            query: dict[str, Any] = MATCH_ALL
        else:
            tree = self._resolve_stories(self._tree(text, options, ignored, notices), stories)
            bonus = all_words_bonus(tree)
            query = compile_query(tree, outlets=self._names)
            relaxed = compile_query(tree, undated_too=True, outlets=self._names) if has_date_range(tree) else None
        results = self._run(text, query, options, corpus, started, bonus=bonus, lead=match_all,
                            ignored=ignored, notices=notices, suggest=not match_all and not options.plain)
        if options.since or options.until or (relaxed is not None and not match_all):
            results = replace(results, undated_excluded=self._undated_left_out(query, relaxed or query, options))
        return results

    def _undated_left_out(self, query: dict[str, Any], relaxed: dict[str, Any], options: SearchOptions) -> int:
        """How many undated articles a date filter left out: those ``relaxed`` (the query with
        its date ranges letting undated articles through) matches under the other filters, less
        those the query itself matches anyway."""
        others = self._filters(replace(options, since=None, until=None))
        not_these = self._left_out(options)

        def count(q: dict[str, Any], clauses: list[dict[str, Any]]) -> int:
            body = {"query": {"bool": {"must": [q, UNDATED], "filter": clauses, "must_not": not_these}}}
            found: int = self._call("count", body=body)["count"]
            return found

        return max(count(relaxed, others) - count(query, self._filters(options)), 0)

    def _run(self, text: str, query: dict[str, Any], options: SearchOptions, corpus: Path | None,
             started: float, *, bonus: float, lead: bool, ignored: list[str], notices: list[str],
             suggest: bool, exclude: str | None = None) -> Results:
        sort = options.sort if not (lead and options.sort == "relevance") else "-date"
        clauses = self._filters(options)
        bool_query: dict[str, Any] = {"must": [query]}
        if clauses:
            bool_query["filter"] = clauses
        not_these = self._left_out(options) + ([{"term": {"doc_id": exclude}}] if exclude is not None else [])
        if not_these:
            bool_query["must_not"] = not_these
        body: dict[str, Any] = {
            "query": {"bool": bool_query},
            "from": (options.page - 1) * options.limit,
            "size": options.limit,
            "track_total_hits": True,
            "_source": _HIT_FIELDS + (["body"] if options.snippets else []),
        }
        if sort != "relevance":
            order = "desc" if sort == "-date" else "asc"
            body["sort"] = [{"date": {"order": order, "missing": "_last"}}, {"doc_id": "asc"}]
        else:
            body["sort"] = ["_score", {"doc_id": "asc"}]
        if options.snippets and not lead:
            body["highlight"] = {
                "fields": {"body": {"type": "unified", "number_of_fragments": SNIPPET_FRAGMENTS,
                                    "fragment_size": SNIPPET_CHARS, "no_match_size": 0,
                                    "max_analyzer_offset": _HIGHLIGHT_CHARS}},
                "pre_tags": [_PRE], "post_tags": [_POST], "order": "score",
            }
        if options.facets:
            body["aggs"] = _facet_aggs(options.facet_dates)
        collapse = options.collapse and options.sort == "relevance"  # sorted by date, every article is a hit
        if collapse:
            # Field collapsing: the best hit of each story; the story's other matching articles
            # come back as inner hits (its versions), and the number of stories as rows.
            body["collapse"] = {"field": "story", "inner_hits": {
                "name": "versions", "size": 100, "_source": ["doc_id", "outlet", "date"],
                "sort": [{"date": {"order": "asc", "missing": "_last"}}, {"doc_id": "asc"}]}}
            body.setdefault("aggs", {})["rows"] = {"cardinality": {"field": "story", "precision_threshold": 40000}}
        if suggest:
            words = [m.group(1) for m in _QUERY_WORD.finditer(text) if m.group(1) not in _OPERATORS][:8]
            if words:
                body["suggest"] = {"did_you_mean": {"text": " ".join(words), "term": {
                    "field": "body.words", "suggest_mode": "popular", "min_word_length": 4, "prefix_length": 1,
                    "max_edits": 2, "size": 1, "sort": "frequency"}}}
        # A shard with no live copy is an error, not silently fewer results.
        asked = time.perf_counter()
        response = self._call("search", body=body, allow_partial_search_results=False)
        searched = time.perf_counter()
        total = response["hits"]["total"]["value"]
        hits = tuple(self._hit(raw, (options.page - 1) * options.limit + i + 1, corpus,
                               scored=sort == "relevance" and not lead, bonus=bonus,
                               snippets=options.snippets, lead=lead)
                     for i, raw in enumerate(response["hits"]["hits"]))
        if collapse:
            hits = tuple(_with_versions(hit, raw) for hit, raw in zip(hits, response["hits"]["hits"]))
        facets = _facets(response.get("aggregations", {}), options.facet_dates, total) if options.facets else None
        rows = response.get("aggregations", {}).get("rows", {}).get("value") if collapse else None
        suggestion = _suggestion(text, response.get("suggest", {})) if suggest and total < 2 else None
        return Results(query=text, hits=hits, total=total, page=options.page, limit=options.limit,
                       elapsed=time.perf_counter() - started, facets=facets, suggestion=suggestion,
                       ignored=tuple(ignored), notices=tuple(notices),
                       collapsed=total - rows if rows is not None else 0, rows=rows,
                       explain=_explain(body, ignored, [("parse", asked - started), ("search", searched - asked),
                                                        ("read", time.perf_counter() - searched)])
                       if options.explain else None)

    def _hit(self, raw: dict[str, Any], rank: int, corpus: Path | None, *, scored: bool, bonus: float,
             snippets: bool, lead: bool) -> Hit:
        source = raw["_source"]
        body = source.get("body") or ""
        snippet = ""
        spans: tuple[tuple[int, int], ...] = ()
        passages: tuple[Passage, ...] = ()
        if snippets:
            if lead:
                snippet = lead_snippet(body)
            else:
                snippet, spans, passages = snippet_from(body, _fragments(body, raw.get("highlight", {}).get("body", [])))
        page = None
        starts = source.get("page_starts")
        if passages and starts:
            import bisect

            first = min((start for start, _ in passages[0].matches), default=passages[0].start)
            page = bisect.bisect_right(starts, first) + 1
            passages = tuple(replace(p, page=bisect.bisect_right(starts, p.start) + 1) for p in passages)
        file = source.get("file") or source["doc_id"]
        score = raw.get("_score")
        if scored and score is not None and bonus and score >= bonus:
            score -= bonus
        return Hit(rank=rank, doc_id=source["doc_id"], path=corpus / file if corpus else Path(file),
                   title=source.get("title") or None, outlet=source.get("outlet") or None,
                   date=dt.date.fromisoformat(source["date"]) if source.get("date") else None,
                   score=float(score) if scored and score is not None else None, snippet=snippet,
                   highlights=spans, passages=passages, url=source.get("url") or None, page=page,
                   lang=source.get("lang") or None)

    def matching_ids(self, text: str, options: SearchOptions, stories: StoryMembers | None = None,
                     among: Iterable[str] | None = None) -> list[str]:
        options = self._resolved(options)
        if text.strip() in ("", "*"):
            query: dict[str, Any] = MATCH_ALL
        else:
            query = compile_query(self._resolve_stories(self._tree(text, options, [], []), stories),
                                  outlets=self._names)
        if among is not None:
            options = replace(options, only=tuple(among))
        if options.only is not None and not options.only:
            return []
        body = {"bool": {"must": [query], "filter": self._filters(options), "must_not": self._left_out(options)}}
        return [hit["_source"]["doc_id"] for hit in self._scan(body, ["doc_id"])]

    def similar(self, text: str, options: SearchOptions, corpus: Path | None,
                exclude: str | None = None) -> Results:
        started = time.perf_counter()
        options = self._resolved(options)
        query = {"more_like_this": {"fields": ["title", "body"], "like": text[:200_000], "min_term_freq": 1,
                                    "min_doc_freq": 1, "max_query_terms": 64, "minimum_should_match": "1"}}
        return self._run(text, query, replace(options, facets=False), corpus, started, bonus=0.0, lead=False,
                         ignored=[], notices=[], suggest=False, exclude=exclude)

    # -- looking around -------------------------------------------------------------------------

    def documents(self) -> Iterator[tuple[str, str, ArticleMeta]]:
        for hit in self._scan(MATCH_ALL, True):
            source = hit["_source"]
            yield source["doc_id"], source.get("body") or "", meta_from_stored(source)

    def id_sorted_parts(self, parts: int) -> list[Callable[[], Iterator[tuple[str, str, ArticleMeta]]]] | None:
        """One point in time of the index, read in ``parts`` slices (each in doc_id order);
        the point in time is let go at ``close()``."""
        if self._location is None:
            return None
        try:
            opened = self._client.transport.perform_request(
                "POST", f"/{self._index}/_search/point_in_time", params={"keep_alive": PIT_KEEP_ALIVE})
        except Exception as exc:  # noqa: BLE001 - every client error becomes one sentence
            raise explain(exc, self._where) from None
        pit = opened["pit_id"]
        self._pits.append(pit)
        parts = max(1, parts)
        return [DocumentSlice(self._location, pit, k, parts) for k in range(parts)]

    def counts(self) -> Counts:
        response = self._call("search", body={"size": 0, "track_total_hits": True, "aggs": {
            "outlets": {"terms": {"field": "outlet", "size": 65536}},
            "no_outlet": {"missing": {"field": "outlet"}},
            "first": {"min": {"field": "date", "format": "strict_date"}},
            "last": {"max": {"field": "date", "format": "strict_date"}},
            "undated": {"missing": {"field": "date"}},
        }})
        aggs = response["aggregations"]
        outlets = {b["key"]: b["doc_count"] for b in aggs["outlets"]["buckets"]}

        def day(agg: dict[str, Any]) -> dt.date | None:
            return dt.date.fromisoformat(agg["value_as_string"]) if agg.get("value") is not None else None

        return Counts(documents=response["hits"]["total"]["value"],
                      outlets=dict(sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))),
                      first_date=day(aggs["first"]), last_date=day(aggs["last"]),
                      undated=aggs["undated"]["doc_count"], no_outlet=aggs["no_outlet"]["doc_count"])

    def document(self, doc_id: str) -> IndexedDocument | None:
        from opensearchpy import exceptions as ox

        try:
            found = self._client.get(index=self._index, id=document_id(doc_id))
        except ox.NotFoundError as exc:
            if "index_not_found" in str(exc):
                raise ReaderOutdated(f"{self._index} is gone") from None
            return None
        except Exception as exc:  # noqa: BLE001
            raise explain(exc, self._where) from None
        return source_document(found["_source"])

    def complete(self, prefix: str, limit: int) -> list[str]:
        """Words of the articles that start with ``prefix``, commonest first: read from the
        highlighted words of the documents that have one."""
        prefix = prefix.lower()
        if not prefix or not prefix.replace("'", "").isalnum():
            return []
        response = self._call("search", body={
            "size": 50, "_source": False, "query": {"prefix": {"body.words": prefix}},
            "highlight": {"fields": {"body.words": {"type": "unified", "number_of_fragments": 5,
                                                    "fragment_size": 20}},
                          "pre_tags": [_PRE], "post_tags": [_POST]}})
        seen: dict[str, int] = {}
        for hit in response["hits"]["hits"]:
            for fragment in hit.get("highlight", {}).get("body.words", []):
                for word in re.findall(f"{_PRE}(.*?){_POST}", fragment):
                    key = word.lower()
                    seen[key] = seen.get(key, 0) + 1
        return [w for w, _ in sorted(seen.items(), key=lambda kv: (-kv[1], kv[0]))][:limit]

    def outlets(self) -> list[str]:
        response = self._call("search", body={"size": 0, "aggs": {
            "outlets": {"terms": {"field": "outlet", "size": 65536}}}})
        return sorted(b["key"] for b in response["aggregations"]["outlets"]["buckets"])

    def doc_ids(self) -> list[str]:
        return [hit["_source"]["doc_id"] for hit in self._scan(MATCH_ALL, ["doc_id"])]

    def up_to_date(self) -> bool:
        return True

    def close(self) -> None:
        if self._pits:
            pits, self._pits = self._pits, []
            try:
                self._client.transport.perform_request("DELETE", "/_search/point_in_time", body={"pit_id": pits})
            except Exception:  # noqa: BLE001, S110 - it expires by itself (PIT_KEEP_ALIVE)
                pass


#: How long a point in time the executors read stays open after each page read.
PIT_KEEP_ALIVE = "30m"


@dataclass(frozen=True)
class DocumentSlice:
    """Slice ``part`` of ``parts`` of a point in time of an index: its documents as
    ``documents()`` yields them, read with search_after in doc_id order by whichever process
    calls it (a Spark executor), over its own connection."""

    location: Location
    pit: str
    part: int
    parts: int

    def __call__(self) -> Iterator[tuple[str, str, ArticleMeta]]:
        from .location import connect

        client = connect(self.location, timeout=120.0)
        where = self.location.display
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {"size": _SCAN_PAGE, "sort": [{"doc_id": "asc"}], "track_total_hits": False,
                                    "pit": {"id": self.pit, "keep_alive": PIT_KEEP_ALIVE}}
            if self.parts > 1:
                body["slice"] = {"id": self.part, "max": self.parts}
            if after is not None:
                body["search_after"] = after
            try:
                hits = client.search(body=body, allow_partial_search_results=False)["hits"]["hits"]
            except Exception as exc:  # noqa: BLE001 - every client error becomes one sentence
                raise explain(exc, where) from None
            for hit in hits:
                source = hit["_source"]
                yield source["doc_id"], source.get("body") or "", meta_from_stored(source)
            if len(hits) < _SCAN_PAGE:
                return
            after = hits[-1]["sort"]


def _with_versions(hit: Hit, raw: dict[str, Any]) -> Hit:
    """A collapsed hit with its story and the story's other matching articles."""
    story = raw.get("fields", {}).get("story", [None])[0]
    if story is None or story == hit.doc_id:
        return hit
    versions = []
    for inner in raw.get("inner_hits", {}).get("versions", {}).get("hits", {}).get("hits", []):
        source = inner["_source"]
        if source["doc_id"] != hit.doc_id:
            versions.append(Version(source["doc_id"], source.get("outlet") or None,
                                    dt.date.fromisoformat(source["date"]) if source.get("date") else None))
    return replace(hit, story=story, versions=tuple(versions))


def _reason(exc: Any) -> str:
    info = getattr(exc, "info", None)
    if isinstance(info, dict) and isinstance(info.get("error"), dict):
        root = (info["error"].get("root_cause") or [info["error"]])[0]
        return str(root.get("reason", ""))[:200]
    return str(exc)[:200]


def _facet_aggs(unit: str) -> dict[str, Any]:
    return {
        "outlets": {"terms": {"field": "outlet", "size": 65536}},
        "no_outlet": {"missing": {"field": "outlet"}},
        "dates": {"date_histogram": {"field": "date", "calendar_interval": "month" if unit == "month" else "day",
                                     "min_doc_count": 1,
                                     "format": "yyyy-MM" if unit == "month" else "yyyy-MM-dd"}},
        "no_date": {"missing": {"field": "date"}},
        "languages": {"terms": {"field": "lang", "size": 1000}},
        "no_language": {"missing": {"field": "lang"}},
    }


def _facets(aggs: dict[str, Any], unit: str, total: int) -> Facets:
    outlets = {b["key"]: b["doc_count"] for b in aggs.get("outlets", {}).get("buckets", [])}
    dates = {b["key_as_string"]: b["doc_count"] for b in aggs.get("dates", {}).get("buckets", [])}
    languages = {b["key"]: b["doc_count"] for b in aggs.get("languages", {}).get("buckets", [])}
    return Facets(outlets=dict(sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))),
                  dates=dict(sorted(dates.items())),
                  no_outlet=aggs.get("no_outlet", {}).get("doc_count", 0),
                  no_date=aggs.get("no_date", {}).get("doc_count", 0),
                  languages=dict(sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))),
                  no_language=aggs.get("no_language", {}).get("doc_count", 0))


def _fragments(text: str, highlighted: list[str]) -> list[Fragment]:
    """Each highlighted fragment as (start, end, match offsets) in ``text``."""
    out: list[Fragment] = []
    cursor = 0
    for fragment in highlighted:
        plain = fragment.replace(_PRE, "").replace(_POST, "")
        start = text.find(plain)
        if start < 0:
            continue
        matches = []
        offset = start
        for piece in re.split(f"({_PRE}.*?{_POST})", fragment):
            if piece.startswith(_PRE):
                word = piece[1:-1]
                matches.append((offset, offset + len(word)))
                offset += len(word)
            else:
                offset += len(piece)
        out.append((start, start + len(plain), matches))
        cursor = max(cursor, start)
    return out


def _suggestion(text: str, suggest: dict[str, Any]) -> str | None:
    """The query with each unknown (or rare) word replaced by the commonest one a few edits
    away, from the term suggester."""
    entries = suggest.get("did_you_mean", [])
    replacements: dict[str, str] = {}
    for entry in entries:
        options = entry.get("options") or []
        if options and options[0]["text"] != entry["text"]:
            replacements[entry["text"]] = options[0]["text"]
    if not replacements:
        return None
    out = _QUERY_WORD.sub(lambda m: replacements.get(m.group(1).lower(), m.group(1)), text)
    return out if out != text else None


def unknown(exc: BaseException) -> SearchkitError:
    return SearchkitError(str(exc))


def _explain(body: dict[str, Any], ignored: list[str], stages: list[tuple[str, float]]) -> Explain:
    """How an OpenSearch search ran: the request's query as sent; the search stage is the
    round trip to the cluster (which ranks, highlights and counts facets in one request)."""
    import json

    return Explain(compiled=json.dumps(body["query"], ensure_ascii=False, sort_keys=True), path="opensearch",
                   dropped=tuple(ignored), stages=tuple(stages))
