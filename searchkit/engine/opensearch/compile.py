"""The query tree (:mod:`searchkit.querylang.ast`) compiled to OpenSearch's query DSL.

One function per node kind, each returning plain JSON-ready dicts (reviewed as JSON by the
golden tests in ``tests/golden/opensearch``). Terms in the tree are already analysed (the
local analysis, which the mapping reproduces), so words become ``term`` queries, not
``match`` queries that would analyse them again.

* A phrase is a ``span_near`` of its terms in order; a gap left by a stop word ("shock with
  waves" -> shock _ waves) becomes slop, so the phrase also matches with the gap closed
  (the local engine wants the gap exactly).
* ``"a b"~n`` (near) is a ``span_near`` with ``in_order: false`` and slop ``n``.
* The all-words bonus is a ``constant_score`` clause, added to the relevance as locally;
  the hit's shown score has it subtracted.
* ``Or.scale`` (a coordination factor, only in the "coord" grouping) has no DSL equivalent
  and is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ...errors import QueryError
from ...querylang import ast

Json = dict[str, Any]

MATCH_ALL: Json = {"match_all": {}}
MATCH_NONE: Json = {"match_none": {}}


def _field_query(kind: str, field: str, body: Json, boost: float) -> Json:
    """``{kind: {field: body}}``, the boost inside the field's body (where the DSL wants it)."""
    return {kind: {field: {**body, "boost": boost} if boost != 1.0 else body}}


def _term(field: str, text: str, boost: float = 1.0) -> Json:
    body: Json = {"value": text}
    if boost != 1.0:
        body["boost"] = boost
    return {"term": {field: body}}


def _day(yyyymmdd: int) -> str:
    return f"{yyyymmdd // 10000:04d}-{yyyymmdd // 100 % 100:02d}-{yyyymmdd % 100:02d}"


def _phrase(node: ast.Phrase) -> Json:
    if len(node.words) == 1:
        return _term(node.field, node.words[0], node.boost)
    clauses = [{"span_term": {node.field: word}} for word in node.words]
    if node.near is not None:
        body: Json = {"clauses": clauses, "slop": node.near, "in_order": False}
    else:
        gaps = (node.offsets[-1] - node.offsets[0]) - (len(node.offsets) - 1)
        body = {"clauses": clauses, "slop": max(gaps, 0), "in_order": True}
    if node.boost != 1.0:
        body["boost"] = node.boost
    return {"span_near": body}


def _wildcard(node: ast.Wildcard) -> Json:
    body: Json = {"value": node.pattern, "rewrite": "top_terms_blended_freqs_1000"}
    return _field_query("wildcard", node.field, body, node.boost)


#: The outlet names of the index (for ``outlet:NAME``), asked only when a query names one.
OutletNames = Callable[[], Iterable[str]]
UNDATED: Json = {"bool": {"must_not": [{"exists": {"field": "date"}}]}}


def compile_query(node: ast.Node, *, undated_too: bool = False, outlets: OutletNames | None = None) -> Json:
    """The DSL for a query tree. ``undated_too`` lets undated articles through every date
    range that is not negated (to count those a date filter left out); ``outlets`` gives the
    index's outlet names for ``outlet:NAME`` (without it the name is taken as written)."""

    def sub(child: ast.Node, undated: bool = undated_too) -> Json:
        return compile_query(child, undated_too=undated, outlets=outlets)

    if isinstance(node, ast.Term):
        return _term(node.field, node.text, node.boost)
    if isinstance(node, ast.Phrase):
        return _phrase(node)
    if isinstance(node, ast.Prefix):
        return _field_query("prefix", node.field, {"value": node.text}, node.boost)
    if isinstance(node, ast.Wildcard):
        return _wildcard(node)
    if isinstance(node, ast.Fuzzy):
        body: Json = {"value": node.text, "fuzziness": node.maxdist, "prefix_length": 1, "max_expansions": 50}
        return _field_query("fuzzy", node.field, body, node.boost)
    if isinstance(node, ast.DayRange):
        bounds: Json = {}
        if node.first is not None:
            bounds["gte"] = _day(node.first)
        if node.last is not None:
            bounds["lte"] = _day(node.last)
        dated = {"range": {"date": bounds}} if bounds else {"exists": {"field": "date"}}
        return {"bool": {"should": [dated, UNDATED], "minimum_should_match": 1}} if undated_too else dated
    if isinstance(node, ast.Outlet):
        from ...outlets import resolve_outlet
        from ..base import outlet_key

        name = resolve_outlet(node.name, outlets()) if outlets is not None else node.name
        return {"constant_score": {"filter": {"term": {"outlet_key": outlet_key(name)}}, "boost": 1.0}}
    if isinstance(node, ast.Story):
        return {"constant_score": {"filter": {"term": {"story": node.story_id}}, "boost": 1.0}}
    if isinstance(node, ast.And):
        return {"bool": {"must": [sub(n) for n in node.items]}}
    if isinstance(node, ast.Or):
        body = {"should": [sub(n) for n in node.items], "minimum_should_match": 1}
        if node.boost != 1.0:
            body["boost"] = node.boost
        return {"bool": body}
    if isinstance(node, ast.DisMax):
        return {"dis_max": {"queries": [sub(n) for n in node.items]}}
    if isinstance(node, ast.Not):
        return {"bool": {"must": [MATCH_ALL], "must_not": [sub(node.item, False)]}}
    if isinstance(node, ast.AndMaybe):
        return {"bool": {"must": [sub(node.required)], "should": [sub(node.optional)]}}
    if isinstance(node, ast.Filtered):
        return {"bool": {"must": [sub(node.query)], "filter": [sub(node.filter)]}}
    if isinstance(node, ast.Excluding):
        return {"bool": {"must": [sub(node.query)], "must_not": [sub(node.excluded, False)]}}
    if isinstance(node, ast.AllWordsBonus):
        return {"constant_score": {"filter": sub(node.item), "boost": node.score}}
    if isinstance(node, ast.Nothing):
        return MATCH_NONE
    raise TypeError(f"not a query tree node: {node!r}")


def all_words_bonus(node: ast.Node) -> float:
    """The constant an all-words-first query adds to the documents having every word."""
    if isinstance(node, (ast.Filtered, ast.Excluding)):
        return all_words_bonus(node.query)
    if isinstance(node, ast.Or):
        return sum(item.score for item in node.items if isinstance(item, ast.AllWordsBonus))
    return 0.0


def stories_used(node: ast.Node) -> list[str]:
    """The story ids a tree filters on (``story:ID``), to check that they exist."""
    found: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Story):
            found.append(current.story_id)
        stack.extend(ast.children(current))
    return found


def has_date_range(node: ast.Node) -> bool:
    return isinstance(node, ast.DayRange) or any(has_date_range(child) for child in ast.children(node))


def left_out(not_outlet_keys: list[str], exclude: tuple[str, ...] | None) -> list[Json]:
    """The must_not clauses of a search's options: outlets (articles with none stay) and ids."""
    out: list[Json] = []
    if not_outlet_keys:
        out.append({"terms": {"outlet_key": sorted(set(not_outlet_keys))}})
    if exclude:
        out.append({"terms": {"doc_id": sorted(set(exclude))}})
    return out


def filters(outlet_keys: list[str], since: str | None, until: str | None,
            only: tuple[str, ...] | None = None, languages: tuple[str, ...] = ()) -> list[Json]:
    """The filter clauses of a search's options (outlets, languages: any of them; dates
    inclusive)."""
    out: list[Json] = []
    if languages:
        out.append({"terms": {"lang": sorted(set(languages))}})
    if outlet_keys:
        out.append({"terms": {"outlet_key": sorted(set(outlet_keys))}})
    if since or until:
        bounds: Json = {}
        if since:
            bounds["gte"] = since
        if until:
            bounds["lte"] = until
        out.append({"range": {"date": bounds}})
    if only is not None:  # none at all: nothing passes
        out.append({"terms": {"doc_id": sorted(set(only))}})
    return out


def unknown_story(story_id: str) -> QueryError:
    return QueryError(f"story:{story_id}: no such story (see `searchkit stories`)")
