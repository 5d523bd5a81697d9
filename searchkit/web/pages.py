"""The pages: each reads its URL, calls the library (:class:`searchkit.Index`) and returns
its data, rendered by :class:`~.render.Renderer` as HTML or as its ``.json`` twin.

The URLs are the contract of issue 20 (the browser tests and the saved searches rely on
them); every piece of state is in the URL.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlencode

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from ..errors import QueryError, SearchkitError
from ..models import SET_FILTER_KEYS, SORT_NAMES, ExportFormat, choice

from .. import export as exporting
from ..render import document_json, hit_json, ignored_note, source_text, stats_json
from . import charts
from .render import EXPORT_TWINS, TWINS, NotFound, Renderer, split_twin
from .marks import Span, marked_html, snippet_html, text_html
from .params import SearchState, compare_url, doc_url, story_url

if TYPE_CHECKING:
    from ..api import Index
    from ..models import Document, Hit, Results

#: Suffixes of the files whose original HTML can be opened (in a sandbox).
PAGE_FORMATS = ("html", "htm", "xhtml")
#: Stories per page of /stories; a story's members compared with its earliest (the rest link to it).
STORIES_PER_PAGE = 50
COMPARED_MEMBERS = 40
#: Credited sources listed on /credits (all are in its JSON twin), and outlets named per source.
CREDITS_SHOWN = 100
#: The credit graph of /credits: the most credited sources, and the outlets crediting them most.
GRAPH_SOURCES = 15
GRAPH_OUTLETS = 20
#: The longest query repeated in the links of facets, date bars and results (longer ones, a
#: pasted passage, are in the page's own URL and form only).
LINKED_QUERY_CHARS = 1000
#: Facet values listed before "more" (all are in the JSON twin).
FACET_SHOWN = 12
#: ... and after its "more" link.
FACET_MORE = 200


def json_twin(request: Request) -> str:
    """"json" for a page's .json twin (``/stories.json``), else ""."""
    return "json" if request.url.path.endswith(".json") else ""


def _index(renderer: Renderer) -> Index:
    ix: Index = renderer.site.index()
    return ix


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


# -- / -------------------------------------------------------------------------------------


def home(request: Request, renderer: Renderer) -> Response:
    twin = json_twin(request)
    ix = _index(renderer)
    stats = stats_json(ix.stats())
    data = {"stats": stats, "saved": _saved_summaries(renderer, ix)}
    return renderer.page(request, "home.html", data, twin=twin)


def _saved_summaries(renderer: Renderer, ix: Index) -> list[dict[str, Any]]:
    """The saved searches with how many new matches each has on this index."""
    rows = []
    for found in renderer.site.saved().list(ix):
        rows.append({**found.as_dict(), "url": saved_url(found.name),
                     "search_url": _saved_state(found.query, found.filters).url()})
    return rows


def saved_url(name: str) -> str:
    from urllib.parse import quote

    return "/saved/" + quote(name, safe="")


def _saved_state(query: str, filters: dict[str, Any]) -> SearchState:
    """The /search state a saved search stands for."""
    from ..saved import LIST_KEYS

    items: list[tuple[str, str]] = [("q", query)]
    for key in LIST_KEYS:
        items += [(key, value) for value in filters.get(key) or ()]
    for key in ("since", "until", "sort"):
        if filters.get(key):
            items.append((key, str(filters[key])))
    if filters.get("collapse"):
        items.append(("collapse", "1"))
    if filters.get("plain"):
        items.append(("plain", "1"))
    return SearchState.from_query(items)


# -- /search -------------------------------------------------------------------------------


def _facet_ids(ix: Index, state: SearchState) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """The documents the story, credited-source and format filters keep (None: no such filter)
    and leave out, as id sets for the library's ``only`` / ``exclude`` options."""
    return ix.facet_ids({name: getattr(state, name) for name in SET_FILTER_KEYS})


def search(request: Request, renderer: Renderer) -> Response:
    _, twin = split_twin(request.url.path, tuple(TWINS))
    state = SearchState.from_query(request.query_params.multi_items())
    return _search_page(request, renderer, _index(renderer), state, twin)


def _search_page(request: Request, renderer: Renderer, ix: Index, state: SearchState, twin: str,
                 saved: dict[str, Any] | None = None) -> Response:
    only, exclude = _facet_ids(ix, state)
    export_format = choice(twin, EXPORT_TWINS)
    if export_format is not None:
        return _export(ix, state, export_format, only, exclude)
    # The story, credited-source and format facets count the search's own matches; while the
    # stories load (after an index run), the page answers without what needs them.
    if not ix.stories_loaded():
        renderer.site.load_stories()
    results = ix.search_with(state.q, state.options(only=only, exclude=exclude, with_ids=True))
    more = ix.more_facets(state.q, state.options(facets=False, only=only, exclude=exclude),
                          matched=results.matched, wait=False)
    data = _search_data(state, results, more)
    if saved is not None:
        data["saved"] = saved
    view = _search_view(state, results, more, saved, request.query_params.get("more", "")) if not twin else {}
    return renderer.page(request, "search.html", data, twin=twin, view=view)


def _export(ix: Index, state: SearchState, fmt: ExportFormat, only: tuple[str, ...] | None,
            exclude: tuple[str, ...] | None) -> Response:
    """Every hit (not one page) in the export's format, with its citation header."""
    options = replace(state.options(facets=False, only=only, exclude=exclude), limit=200, collapse=False)
    found = ix.export_with(state.q, options)
    facet_filters = tuple((name, getattr(state, name)) for name in
                          SET_FILTER_KEYS if getattr(state, name))
    info = replace(found.info, other_filters=facet_filters)
    out = io.StringIO()
    exporting.write(fmt, info, found, out)
    name = "searchkit-" + ("".join(c if c.isalnum() else "-" for c in state.q)[:40].strip("-") or "all")
    return Response(out.getvalue(), media_type=TWINS[fmt],
                    headers={"content-disposition": f'inline; filename="{name}.{fmt}"'})


def _search_data(state: SearchState, results: Results, more: Any) -> dict[str, Any]:
    facets = results.facets
    pages = results.pages
    data: dict[str, Any] = {
        "query": state.q, "filters": state.filters(), "sort": state.sort, "collapse": state.collapse,
        "total": results.total, "page": results.page, "pages": pages, "limit": results.limit,
        "elapsed_ms": round(results.elapsed * 1000, 1),
        "suggestion": results.suggestion, "ignored": list(results.ignored), "notices": list(results.notices),
        "problems": list(state.problems),
        "hits": [hit_json(hit) for hit in results.hits],
        "facets": {
            "outlet": facets.outlets if facets else {}, "outlet_unknown": facets.no_outlet if facets else 0,
            "date": facets.dates if facets else {}, "date_unknown": facets.no_date if facets else 0,
            "story": [{"story": k, "title": more.story_titles.get(k, ""), "count": v} for k, v in more.stories.items()],
            "credited": more.credited, "format": more.formats,
        },
        "stories_loading": more.stories_loading,
    }
    data["undated_left_out"] = results.undated_excluded
    if state.collapse:
        data["collapsed"] = results.collapsed
    return data


def _search_view(state: SearchState, results: Results, more: Any, saved: dict[str, Any] | None = None,
                 expand: str = "") -> dict[str, Any]:
    facets = results.facets
    bars, unit = charts.date_bars(facets.dates if facets else {})
    here = state.url()
    # A query too long to repeat in every link (a pasted passage): facets and bars are counts
    # without links, and documents open without its marks (a 5,000-character query made a
    # page of 300 KB).
    links = len(state.q) <= LINKED_QUERY_CHARS
    bar_links = dict(zip((key for key, _ in bars), map(state.day_link(), (key for key, _ in bars)))) if links else {}

    def facet(name: str, counts: dict[str, int], label: Callable[[str], str] = str) -> dict[str, Any]:
        """The most frequent values (FACET_SHOWN, or FACET_MORE after its "more" link) and
        those filtered on; the rest are counted, and all are in the .json twin."""
        chosen = set(getattr(state, name)) | set(getattr(state, "not_" + name))
        most = FACET_MORE if expand == name else FACET_SHOWN
        values = [value for i, value in enumerate(counts) if i < most or value in chosen]
        link = state.facet_links(name) if links else (lambda value: ("", ""))
        rows = [{"value": value, "label": label(value), "count": counts[value], "chosen": value in chosen,
                 "include": include, "exclude": exclude}
                for value in values for include, exclude in (link(value),)]
        hidden = len(counts) - len(values)
        more_url = here + ("&" if "?" in here else "?") + f"more={name}#facet-{name}-h"
        return {"rows": rows, "hidden": hidden, "more_url": more_url if hidden and expand != name and links else ""}

    hits = []
    # doc_url(id, q=..., hit=...) with its query string encoded once.
    marked = state.q if links else ""
    to_hit = doc_url("", q=marked, hit="1" if marked.strip() not in ("", "*") else "")
    to_doc = doc_url("", q=marked)
    for hit in results.hits:
        quoted = quote(hit.doc_id, safe="")
        hits.append({"hit": hit, "snippet": snippet_html(hit.snippet, hit.highlights),
                     "new": saved is not None and hit.doc_id in saved["new_ids"],
                     "url": to_hit.replace("/doc/", "/doc/" + quoted, 1),
                     "versions": [{"v": v, "url": to_doc.replace("/doc/", "/doc/" + quote(v.doc_id, safe=""), 1)}
                                  for v in hit.versions]})
    pages = results.pages
    return {
        "state": state,
        "saved": saved,
        "stories_loading": more.stories_loading,
        "hits": hits,
        "ignored_note": ignored_note(results.ignored) if results.ignored else "",
        "suggestion_url": state.url(q=results.suggestion, page=1) if results.suggestion else "",
        "unlinked": not links,
        "histogram": charts.histogram(bars, bar_links.__getitem__ if links else None, label=f"Matches per {unit}"),
        "date_unit": unit, "date_bars": [(key, n, bar_links.get(key, "")) for key, n in bars],
        "facet_outlet": facet("outlet", facets.outlets if facets else {}),
        "facet_story": facet("story", more.stories, lambda sid: more.story_titles.get(sid) or sid),
        "facet_credited": facet("credited", more.credited),
        "facet_format": facet("format", {k: v for k, v in more.formats.items() if k}),
        "prev_url": state.url(page=results.page - 1) if results.page > 1 else "",
        "next_url": state.url(page=results.page + 1) if results.page < pages else "",
        "twins": {fmt: state.url(f"/search.{fmt}", page=1 if fmt != "json" else state.page)
                  for fmt in ("json", *EXPORT_TWINS)},
        "sorts": [(value, label, state.url(sort=value, page=1)) for value, label in SORT_NAMES.items()],
        "collapse_url": state.url(collapse=not state.collapse, page=1),
    }


# -- /doc/{id} -------------------------------------------------------------------------------


def _document(ix: Index, doc_id: str) -> Document:
    try:
        return ix.document(doc_id, paths=False)
    except SearchkitError:
        raise NotFound(f"No document {doc_id!r} in this index.") from None


def _doc_and_twin(ix: Index, raw: str) -> tuple[Document, str]:
    """The document a path names: the whole id first (an id may end in ".json"), then
    without a ".json" suffix for the twin."""
    try:
        return ix.document(raw, paths=False), ""
    except SearchkitError:
        stem, twin = split_twin(raw)
        if twin:
            return _document(ix, stem), twin
        raise NotFound(f"No document {raw!r} in this index.") from None


def hit_spans(ix: Index, text: str, query: str, plain: bool = False, lang: str | None = None) -> list[tuple[int, int]]:
    """Where what ``query`` looks for occurs in ``text``, an article in ``lang`` (character
    offsets; a phrase only where its words stand as the phrase)."""
    if not query.strip() or query.strip() == "*":
        return []
    return ix.matched_spans(text, query, plain=plain, lang=lang)


def document(request: Request, renderer: Renderer) -> Response:
    ix = _index(renderer)
    doc, twin = _doc_and_twin(ix, request.path_params["doc_id"])
    q = request.query_params.get("q", "")
    plain = request.query_params.get("plain", "") not in ("", "0")
    hits = hit_spans(ix, doc.text, q, plain, doc.meta.lang)
    try:
        current = int(request.query_params.get("hit", "0") or 0)
    except ValueError:
        current = 0
    current = min(max(current, 0), len(hits))
    credits = ix.credits_of(doc.doc_id)
    story_id = ix.story_of(doc.doc_id)
    story = ix.story(story_id) if story_id else None
    similar = ix.similar(doc_id=doc.doc_id, limit=6, snippets=False)
    fmt = ix.format_of(doc.doc_id)
    meta = doc.meta
    fields = [(name, getattr(meta, name), getattr(meta, name + "_source"))
              for name in ("title", "outlet", "date", "url", "author")]
    record = document_json(doc)
    record.update({
        "format": fmt, "story": story_id,
        "hits": [list(span) for span in hits], "query": q,
        "credits": [{"source": c.source, "start": c.start, "end": c.end} for c in credits],
        "similar": [{"doc_id": h.doc_id, "title": h.title, "outlet": h.outlet, "date": _date(h.date),
                     "score": round(h.score, 4) if h.score is not None else None} for h in similar.hits],
        "original": doc_url(doc.doc_id, prefix="/original/"),
        "page": doc_url(doc.doc_id, prefix="/page/") if fmt in PAGE_FORMATS else None,
    })
    if twin:
        return renderer.page(request, "doc.html", record, twin=twin)
    spans = [Span(s, e, "hit", number=i) for i, (s, e) in enumerate(hits, 1)]
    spans += [Span(c.start, c.end, "credit", title=f"credits {c.source}") for c in credits]
    hit_url = (lambda n: doc_url(doc.doc_id, q=q, hit=str(n), **({"plain": "1"} if plain else {})) + f"#hit-{n}")
    view = {
        "doc": doc, "fields": [(name, value.isoformat() if isinstance(value, dt.date) else value, source_text(source) if value else "")
                               for name, value, source in fields],
        "text": marked_html(doc.text, spans, current=current or None),
        "hits": len(hits), "current": current, "q": q,
        "prev_url": hit_url(current - 1) if current > 1 else "",
        "next_url": hit_url(current + 1) if current < len(hits) else "",
        "first_url": hit_url(1) if hits else "",
        "credits": list(dict.fromkeys(c.source for c in credits)),
        "story": story, "similar": similar.hits, "format": fmt,
        "captured": meta.captured, "pages": len(meta.page_starts) + 1 if meta.page_starts else None,
    }
    return renderer.page(request, "doc.html", record, view=view)


def _source_file(ix: Index, raw: str) -> tuple[Document, Path]:
    doc = _document(ix, raw)
    path = doc.path
    if not path.is_file():
        raise NotFound(f"The file of {doc.doc_id!r} is no longer at {path}.")
    return doc, path


def original(request: Request, renderer: Renderer) -> Response:
    """The file an article was read from, as a download (never shown as a page)."""
    doc, path = _source_file(_index(renderer), request.path_params["doc_id"])
    return FileResponse(path, media_type="application/octet-stream", filename=path.name,
                        headers={"content-security-policy": "default-src 'none'; sandbox"})


def saved_page(request: Request, renderer: Renderer) -> Response:
    """A saved web page's original HTML, under a policy that runs no script and loads nothing
    (its tracking pixels cannot tell the outlet someone opened it)."""
    ix = _index(renderer)
    doc, path = _source_file(ix, request.path_params["doc_id"])
    if ix.format_of(doc.doc_id) not in PAGE_FORMATS:
        raise NotFound(f"{doc.doc_id!r} was not read from a saved web page.")
    return FileResponse(path, media_type="text/html", headers={
        "content-security-policy": "default-src 'none'; sandbox", "content-disposition": "inline"})


# -- stories -------------------------------------------------------------------------------


def stories(request: Request, renderer: Renderer) -> Response:
    twin = json_twin(request)
    ix = _index(renderer)
    q = request.query_params.get("q", "").strip()
    found = ix.stories(q or None)
    page = _page_number(request)
    pages = max(-(-len(found) // STORIES_PER_PAGE), 1)
    shown = found[(page - 1) * STORIES_PER_PAGE: page * STORIES_PER_PAGE]
    rows = []
    for s in shown:
        first = ix.document(s.earliest, paths=False) if s.earliest else None
        outlets = sorted({o for o in s.outlets if o})
        rows.append({"story": s.story_id, "title": s.title, "articles": len(s.doc_ids), "outlets": outlets,
                     "earliest": s.earliest, "earliest_outlet": first.meta.outlet if first else None,
                     "earliest_date": _date(first.meta.date) if first else None, "undated": len(s.undated)})
    data = {"query": q, "total": len(found), "page": page, "pages": pages, "stories": rows}

    def page_url(n: int) -> str:
        return "/stories?" + urlencode([("q", q)] * bool(q) + [("page", str(n))])

    view = {"q": q, "prev_url": page_url(page - 1) if page > 1 else "",
            "next_url": page_url(page + 1) if page < pages else ""}
    return renderer.page(request, "stories.html", data, twin=twin, view=view)


def _page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= 100_000 else 1


def story(request: Request, renderer: Renderer) -> Response:
    ix = _index(renderer)
    story_id, twin = split_twin(request.path_params["story_id"])
    found = ix.story(story_id)
    if found is None:
        raise NotFound(f"No story {story_id!r} in this index.")
    docs = {d: ix.document(d, paths=False) for d in found.doc_ids}
    earliest = found.earliest
    members: list[dict[str, Any]] = []
    edges: dict[tuple[str, str], int] = {}
    for doc_id in found.doc_ids:
        doc = docs[doc_id]
        credits = list(dict.fromkeys(c.source for c in ix.credits_of(doc_id)))
        for source in credits:
            key = (doc.meta.outlet or "outlet unknown", source)
            edges[key] = edges.get(key, 0) + 1
        added: list[str] | None = [] if len(members) < COMPARED_MEMBERS else None
        if earliest and doc_id != earliest and added is not None:
            comparison = ix.compare(earliest, doc_id)
            # What it adds of weight: passages of a sentence or more (not a date line or byline).
            added = [_excerpt(doc.text[s:e]) for s, e in comparison.only_b if len(doc.text[s:e].split()) >= 8][:3]
        members.append({"doc_id": doc_id, "title": doc.meta.title, "outlet": doc.meta.outlet,
                        "date": _date(doc.meta.date), "earliest": doc_id == earliest, "credits": credits,
                        "added": added})
    data = {"story": found.story_id, "title": found.title, "earliest": earliest, "members": members,
            "undated": list(found.undated),
            "credits": [{"outlet": a, "source": b, "articles": n} for (a, b), n in sorted(edges.items())]}
    if twin:
        return renderer.page(request, "story.html", data, twin=twin)
    points = [(day, docs[d].meta.outlet or "outlet unknown", d) for d in found.doc_ids
              if (day := docs[d].meta.date) is not None]
    view = {
        "timeline": charts.story_timeline(points, doc_url, label=f"When each outlet ran the story"),
        "graph": charts.credit_graph(edges, label="Who credits whom in this story"),
    }
    return renderer.page(request, "story.html", data, view=view)


def _excerpt(text: str, most: int = 320) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1].rsplit(" ", 1)[0] + " …"


def compare(request: Request, renderer: Renderer) -> Response:
    """Two articles side by side. The two ids are read from the raw path, split at its one
    unescaped "/" (an id may hold "/", which its link escapes as %2F)."""
    ix = _index(renderer)
    raw = request.scope.get("raw_path", b"").decode("latin-1").split("?", 1)[0]
    parts = raw[len("/compare/"):].split("/")
    if len(parts) != 2:
        raise NotFound("A comparison's address is /compare/FIRST/SECOND (document ids, each escaped).")
    second, twin = split_twin(unquote(parts[1]))
    first_id = unquote(parts[0])
    if twin:
        try:
            ix.document(unquote(parts[1]), paths=False)
            second, twin = unquote(parts[1]), ""
        except Exception:  # noqa: BLE001 - not an id with that suffix: the twin it is
            pass
    a, b = _document(ix, first_id), _document(ix, second)
    comparison = ix.compare(a.doc_id, b.doc_id)
    data: dict[str, Any] = {
        "a": {"doc_id": a.doc_id, "title": a.meta.title, "outlet": a.meta.outlet, "date": _date(a.meta.date)},
        "b": {"doc_id": b.doc_id, "title": b.meta.title, "outlet": b.meta.outlet, "date": _date(b.meta.date)},
        "same_story": comparison.same_story,
        "shared": [{"kind": p.kind, "score": p.score, "a": [p.a_start, p.a_end], "b": [p.b_start, p.b_end],
                    "a_text": a.text[p.a_start:p.a_end], "b_text": b.text[p.b_start:p.b_end]} for p in comparison.shared],
        "only_a": [{"span": list(s), "text": a.text[s[0]:s[1]]} for s in comparison.only_a],
        "only_b": [{"span": list(s), "text": b.text[s[0]:s[1]]} for s in comparison.only_b],
    }
    if twin:
        return renderer.page(request, "compare.html", data, twin=twin)
    spans_a: list[Span] = [Span(s, e, "added", title="only in this article") for s, e in comparison.only_a]
    spans_b: list[Span] = [Span(s, e, "added", title="only in this article") for s, e in comparison.only_b]
    pairs = []
    for p in comparison.shared:
        spans_a.append(Span(p.a_start, p.a_end, p.kind))
        spans_b.append(Span(p.b_start, p.b_end, p.kind))
        left, right = a.text[p.a_start:p.a_end], b.text[p.b_start:p.b_end]
        # A reworded pair shows the words both kept; a verbatim one the few words that differ.
        kind = "same" if p.kind == "reworded" else "differs"
        marks_a = _words(ix, left, right, same=kind == "same")
        marks_b = _words(ix, right, left, same=kind == "same")
        spans_a += [Span(p.a_start + s, p.a_start + e, kind) for s, e in marks_a]
        spans_b += [Span(p.b_start + s, p.b_start + e, kind) for s, e in marks_b]
        pairs.append({"kind": p.kind, "a": marked_html(left, [Span(s, e, kind) for s, e in marks_a]),
                      "b": marked_html(right, [Span(s, e, kind) for s, e in marks_b])})
    view = {"A": a, "B": b, "pairs": pairs, "text_a": marked_html(a.text, spans_a), "text_b": marked_html(b.text, spans_b),
            "only_a": [_excerpt(a.text[s:e]) for s, e in comparison.only_a],
            "only_b": [_excerpt(b.text[s:e]) for s, e in comparison.only_b],
            "swap_url": compare_url(b.doc_id, a.doc_id), "json_url": compare_url(a.doc_id, b.doc_id, ".json")}
    return renderer.page(request, "compare.html", data, view=view)


def _words(ix: Index, text: str, other: str, *, same: bool) -> list[tuple[int, int]]:
    """Where ``text`` has a word that ``other`` has too (``same``), or lacks (as the index
    reads words: "ships" and "ship" are one)."""
    theirs = {term for term, *_ in ix.tokens(other)}
    return [(s, e) for term, s, e, _ in ix.tokens(text) if (term in theirs) == same]


# -- timeline and credits --------------------------------------------------------------------


def timeline(request: Request, renderer: Renderer) -> Response:
    twin = json_twin(request)
    ix = _index(renderer)
    q = request.query_params.get("q", "").strip()
    counts = ix.timeline(q or None)
    undated = counts.pop("undated", {})
    outlets: dict[str, int] = {}
    for per in counts.values():
        for outlet, n in per.items():
            outlets[outlet or "outlet unknown"] = outlets.get(outlet or "outlet unknown", 0) + n
    days: list[dict[str, Any]] = []
    for day, per_outlet in counts.items():  # every day from the first to the last (the library's)
        per = {(o or "outlet unknown"): n for o, n in per_outlet.items()}
        days.append({"day": day, "total": sum(per.values()), "outlets": per})
    by_outlet = dict(sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0])))
    undated_by = {(o or "outlet unknown"): n for o, n in undated.items()}
    data = {"query": q, "days": days, "undated": undated_by, "outlets": by_outlet}
    if twin:
        return renderer.page(request, "timeline.html", data, twin=twin)
    search_state = SearchState(q=q)
    columns = list(by_outlet)[:8]
    others = {d["day"]: d["total"] - sum(d["outlets"].get(o, 0) for o in columns) for d in days}
    view = {"q": q, "columns": columns, "more_outlets": len(by_outlet) > len(columns), "others": others,
            "chart": charts.histogram([(d["day"], d["total"]) for d in days],
                                      lambda day: search_state.url(since=day, until=day), label="Articles per day",
                                      width=640, height=120),
            "day_url": lambda day: search_state.url(since=day, until=day),
            "undated_total": sum(undated_by.values())}
    return renderer.page(request, "timeline.html", data, view=view)


def credits(request: Request, renderer: Renderer) -> Response:
    twin = json_twin(request)
    ix = _index(renderer)
    q = request.query_params.get("q", "").strip()
    counts = ix.credits(q or None)
    rows: list[dict[str, Any]] = [
        {"source": source, "articles": sum(by.values()),
         "by": {(o or "outlet unknown"): n for o, n in sorted(by.items(), key=lambda kv: (-kv[1], kv[0] or ""))}}
        for source, by in counts.items()]
    data = {"query": q, "credits": rows}
    if twin:
        return renderer.page(request, "credits.html", data, twin=twin)
    state = SearchState(q=q)
    # The graph draws the most credited sources and the outlets crediting most (the table has all).
    by_outlet: dict[str, int] = {}
    for row in rows[:GRAPH_SOURCES]:
        for outlet, n in row["by"].items():
            by_outlet[outlet] = by_outlet.get(outlet, 0) + n
    outlets = set(sorted(by_outlet, key=lambda o: (-by_outlet[o], o))[:GRAPH_OUTLETS])
    edges = {(outlet, row["source"]): n for row in rows[:GRAPH_SOURCES] for outlet, n in row["by"].items()
             if outlet in outlets}
    view = {"q": q, "rows": rows[:CREDITS_SHOWN], "hidden": max(len(rows) - CREDITS_SHOWN, 0),
            "bars": charts.hbars([(r["source"], r["articles"]) for r in rows[:GRAPH_SOURCES]],
                                 lambda source: state.including("credited", source), label="Articles crediting each source"),
            "graph": charts.credit_graph(edges, label="Which outlets credit which sources"),
            "source_url": lambda source: state.including("credited", source)}
    return renderer.page(request, "credits.html", data, view=view)


# -- saved searches --------------------------------------------------------------------------


def saved_list(request: Request, renderer: Renderer) -> Response:
    """The saved searches, each with its matches and how many are new since last viewed."""
    twin = json_twin(request)
    ix = _index(renderer)
    return renderer.page(request, "saved.html", {"saved": _saved_summaries(renderer, ix)}, twin=twin)


def save_search(request: Request, renderer: Renderer) -> Response:
    """POST /saved (form fields ``name``, ``q`` and the filters, as the search page's URL
    has them): save, then show the list."""
    from ..saved import LIST_KEYS

    fields = _form_fields(request)
    state = SearchState.from_query(fields)
    if state.problems:
        raise QueryError(state.problems[0])
    name = next((v for k, v in fields if k == "name"), "")
    filters: dict[str, Any] = {key: list(getattr(state, key)) for key in LIST_KEYS}
    filters.update(since=state.since, until=state.until, sort=state.sort, plain=state.plain)
    if state.collapse:
        filters["collapse"] = True
    renderer.site.saved().save(name, state.q, filters, index=_index(renderer))
    return RedirectResponse("/saved", status_code=303)


#: The most a form may send: a name, a query and its filters.
MAX_FORM_BYTES = 64 * 1024


def _form_fields(request: Request) -> list[tuple[str, str]]:
    """A urlencoded form's fields (what an HTML form posts), read without a multipart parser."""
    import anyio.from_thread
    from urllib.parse import parse_qsl

    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise SearchkitError("send the form as application/x-www-form-urlencoded")
    length = request.headers.get("content-length", "")
    if not length.isdigit() or int(length) > MAX_FORM_BYTES:
        raise SearchkitError(f"a form of at most {MAX_FORM_BYTES // 1024} KB, with its length, is expected")

    async def body() -> bytes:
        return await request.body()

    raw = anyio.from_thread.run(body)[:MAX_FORM_BYTES]
    try:
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True, max_num_fields=200)
    except (UnicodeDecodeError, ValueError):
        raise SearchkitError("the form could not be read (UTF-8 text, at most 200 fields)") from None


def saved_search(request: Request, renderer: Renderer) -> Response:
    """One saved search: its results, the new ones marked; viewing it marks its matches seen."""
    ix = _index(renderer)
    name, twin = split_twin(request.path_params["name"])
    store = renderer.site.saved()
    try:
        store.get(name)
    except SearchkitError:
        if not twin:
            raise NotFound(f"No saved search named {name!r}.") from None
        name, twin = request.path_params["name"], ""
        try:
            store.get(name)
        except SearchkitError:
            raise NotFound(f"No saved search named {name!r}.") from None
    viewed = store.view(name, ix, limit=1, snippets=False)
    state = _saved_state(viewed.search.query, viewed.search.filters)
    page = request.query_params.get("page", "")
    if page.isdigit() and int(page) >= 1:
        state = replace(state, page=int(page))
    return _search_page(request, renderer, ix, state, twin,
                        saved={"name": viewed.search.name, "new": viewed.search.new, "total": viewed.search.total,
                               "new_ids": sorted(viewed.new_ids)})


ROUTES: list[tuple[str, Callable[[Request, Renderer], Response], list[str]]] = [
    ("/", home, ["GET", "HEAD"]),
    ("/.json", home, ["GET", "HEAD"]),
    ("/index.json", home, ["GET", "HEAD"]),
    ("/search", search, ["GET", "HEAD"]),
    *((f"/search.{fmt}", search, ["GET", "HEAD"]) for fmt in TWINS),
    ("/doc/{doc_id:path}", document, ["GET", "HEAD"]),
    ("/original/{doc_id:path}", original, ["GET", "HEAD"]),
    ("/page/{doc_id:path}", saved_page, ["GET", "HEAD"]),
    ("/stories", stories, ["GET", "HEAD"]),
    ("/stories.json", stories, ["GET", "HEAD"]),
    ("/story/{story_id}", story, ["GET", "HEAD"]),
    ("/compare/{pair:path}", compare, ["GET", "HEAD"]),
    ("/timeline", timeline, ["GET", "HEAD"]),
    ("/timeline.json", timeline, ["GET", "HEAD"]),
    ("/credits", credits, ["GET", "HEAD"]),
    ("/credits.json", credits, ["GET", "HEAD"]),
    ("/saved", saved_list, ["GET", "HEAD"]),
    ("/saved.json", saved_list, ["GET", "HEAD"]),
    ("/saved", save_search, ["POST"]),
    ("/saved/{name:path}", saved_search, ["GET", "HEAD"]),
]
