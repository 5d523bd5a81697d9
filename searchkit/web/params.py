"""A search page's state, read from its URL and written back into the links it shows.

Every page's state is in its URL: the facets' include and exclude links, the date bars, the
pages and the twins (``.json``, ``.csv``, ...) are the same parameters with one changed,
built here on the server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote, urlencode

from ..errors import QueryError
from ..models import SORTS, SearchOptions, Sort, choice

#: Results per page, and the most a URL may ask for.
PER_PAGE = 20
MAX_PER_PAGE = 200
#: Marks where a parameter goes in a URL whose other parts are encoded once (no URL has it:
#: parameters are stripped text).
_HERE = "\x00"
#: Multi-valued filters: (include parameter, exclude parameter).
FACET_PARAMS = {"outlet": ("outlet", "not_outlet"), "story": ("story", "not_story"),
                "credited": ("credited", "not_credited"), "format": ("format", "not_format")}


@dataclass(frozen=True)
class SearchState:
    """What a /search URL asks for."""

    q: str = ""
    outlet: tuple[str, ...] = ()
    not_outlet: tuple[str, ...] = ()
    story: tuple[str, ...] = ()
    not_story: tuple[str, ...] = ()
    credited: tuple[str, ...] = ()
    not_credited: tuple[str, ...] = ()
    format: tuple[str, ...] = ()
    not_format: tuple[str, ...] = ()
    #: Languages (ISO 639-1 codes): articles in any of them.
    lang: tuple[str, ...] = ()
    since: str = ""
    until: str = ""
    sort: Sort = "relevance"
    page: int = 1
    limit: int = PER_PAGE
    collapse: bool = False
    plain: bool = False
    problems: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_query(cls, items: Iterable[tuple[str, str]]) -> SearchState:
        """From a URL's query parameters; a value that cannot be read becomes a problem
        the page shows (never a crash), and the default is used."""
        values: dict[str, list[str]] = {}
        for key, value in items:
            values.setdefault(key, []).append(value)

        def one(name: str) -> str:
            found = values.get(name)
            return found[-1].strip() if found else ""

        def many(name: str) -> tuple[str, ...]:
            return tuple(dict.fromkeys(v.strip() for v in values.get(name, ()) if v.strip()))

        problems: list[str] = []

        def number(name: str, default: int, most: int) -> int:
            raw = one(name)
            if not raw:
                return default
            try:
                value = int(raw)
            except ValueError:
                problems.append(f"{name} must be a number, not {raw!r}")
                return default
            if not 1 <= value <= most:
                problems.append(f"{name} must be between 1 and {most}")
                return min(max(value, 1), most)
            return value

        sort = choice(one("sort") or SORTS[0], SORTS)
        if sort is None:
            problems.append(f"sort must be one of {', '.join(SORTS)}, not {one('sort')!r}")
            sort = SORTS[0]
        multi: dict[str, Any] = {name: many(name) for pair in FACET_PARAMS.values() for name in pair}
        state = cls(
            q=one("q"), sort=sort, since=one("since"), until=one("until"),
            page=number("page", 1, 10_000), limit=number("limit", PER_PAGE, MAX_PER_PAGE),
            collapse=one("collapse") not in ("", "0", "false", "off"),
            plain=one("plain") not in ("", "0", "false", "off"), lang=many("lang"),
            **multi,
        )
        for name in ("since", "until"):
            try:
                parse_day(getattr(state, name), end=name == "until")
            except QueryError as exc:
                problems.append(str(exc))
                blank: dict[str, Any] = {name: ""}
                state = replace(state, **blank)
        return replace(state, problems=tuple(problems))

    def params(self, **changes: Any) -> list[tuple[str, str]]:
        """The URL parameters of this state with ``changes``, defaults left out."""
        state = replace(self, **changes) if changes else self
        out: list[tuple[str, str]] = []
        if state.q:
            out.append(("q", state.q))
        for pair in FACET_PARAMS.values():
            for name in pair:
                out.extend((name, v) for v in getattr(state, name))
        out.extend(("lang", v) for v in state.lang)
        for name in ("since", "until"):
            if getattr(state, name):
                out.append((name, getattr(state, name)))
        if state.sort != "relevance":
            out.append(("sort", state.sort))
        if state.collapse:
            out.append(("collapse", "1"))
        if state.plain:
            out.append(("plain", "1"))
        if state.limit != PER_PAGE:
            out.append(("limit", str(state.limit)))
        if state.page != 1:
            out.append(("page", str(state.page)))
        return out

    def url(self, path: str = "/search", **changes: Any) -> str:
        params = self.params(**changes)
        return path + ("?" + urlencode(params) if params else "")

    def including(self, facet: str, value: str) -> str:
        """This search with only ``value`` of ``facet`` kept (added to the values included)."""
        keep, drop = FACET_PARAMS[facet]
        changes: dict[str, Any] = {
            keep: (*getattr(self, keep), value) if value not in getattr(self, keep) else getattr(self, keep),
            drop: tuple(v for v in getattr(self, drop) if v != value), "page": 1}
        return self.url(**changes)

    def excluding(self, facet: str, value: str) -> str:
        keep, drop = FACET_PARAMS[facet]
        changes: dict[str, Any] = {
            drop: (*getattr(self, drop), value) if value not in getattr(self, drop) else getattr(self, drop),
            keep: tuple(v for v in getattr(self, keep) if v != value), "page": 1}
        return self.url(**changes)

    def facet_links(self, facet: str) -> Callable[[str], tuple[str, str]]:
        """``value -> (including(facet, value), excluding(facet, value))``, the same URLs built
        faster: the parts of the URL that no value changes are encoded once (a page shows
        hundreds of such links; building each from the whole state took most of a page's own
        time)."""
        keep, drop = FACET_PARAMS[facet]
        head, tail = self._around({keep: (_HERE,), drop: (), "page": 1}, keep)
        kept, dropped = getattr(self, keep), getattr(self, drop)

        def url(keeping: tuple[str, ...], dropping: tuple[str, ...]) -> str:
            middle = urlencode([(keep, v) for v in keeping] + [(drop, v) for v in dropping])
            return "/search?" + "&".join(part for part in (head, middle, tail) if part)

        def links(value: str) -> tuple[str, str]:
            others_kept = tuple(v for v in kept if v != value)
            others_dropped = tuple(v for v in dropped if v != value)
            return (url(kept if value in kept else (*kept, value), others_dropped),
                    url(others_kept, dropped if value in dropped else (*dropped, value)))
        return links

    def day_link(self) -> Callable[[str], str]:
        """``key -> url(since=key, until=key, page=1)`` (a date bar's link), encoded as
        :meth:`facet_links` does."""
        head, tail = self._around({"since": _HERE, "until": "", "page": 1}, "since")

        def url(key: str) -> str:
            middle = urlencode([("since", key), ("until", key)])
            return "/search?" + "&".join(part for part in (head, middle, tail) if part)
        return url

    def _around(self, changes: dict[str, Any], name: str) -> tuple[str, str]:
        """The encoded parameters before and after the place of ``name`` in this state's URL
        with ``changes`` (whose value for ``name`` is the marker ``_HERE``)."""
        items = self.params(**changes)
        at = items.index((name, _HERE))
        return urlencode(items[:at]), urlencode(items[at + 1:])

    def without(self, name: str, value: str | None = None) -> str:
        """This search with a filter removed (one value of a multi-valued one)."""
        current = getattr(self, name)
        changes: dict[str, Any] = {name: tuple(v for v in current if v != value) if isinstance(current, tuple) else "",
                                   "page": 1}
        return self.url(**changes)

    def active_filters(self) -> list[tuple[str, str, str]]:
        """(parameter, value, URL without it) of every filter set."""
        out: list[tuple[str, str, str]] = []
        for pair in FACET_PARAMS.values():
            for name in pair:
                out.extend((name, v, self.without(name, v)) for v in getattr(self, name))
        out.extend(("lang", v, self.without("lang", v)) for v in self.lang)
        for name in ("since", "until"):
            if getattr(self, name):
                out.append((name, getattr(self, name), self.without(name)))
        return out

    def filters(self) -> dict[str, object]:
        """The filters set, JSON-ready."""
        out: dict[str, object] = {}
        for pair in FACET_PARAMS.values():
            for name in pair:
                if getattr(self, name):
                    out[name] = list(getattr(self, name))
        if self.lang:
            out["lang"] = list(self.lang)
        for name in ("since", "until"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        return out

    def options(self, *, facets: bool = True, only: tuple[str, ...] | None = None,
                exclude: tuple[str, ...] | None = None, with_ids: bool = False) -> SearchOptions:
        return SearchOptions(
            limit=self.limit, page=self.page, plain=self.plain, sort=self.sort,
            outlet=self.outlet or None, not_outlet=self.not_outlet or None, lang=self.lang or None,
            since=parse_day(self.since), until=parse_day(self.until, end=True),
            facets=facets, collapse=self.collapse, only=only, exclude=exclude or None, with_ids=with_ids,
        )


def parse_day(text: str, *, end: bool = False) -> dt.date | None:
    """``2024``, ``2024-04`` or ``2024-04-07`` as a day: the first of the period, or the last
    with ``end``; "" is None. QueryError for anything else."""
    if not text:
        return None
    try:
        parts = [int(p) for p in text.split("-")]
        if len(parts) == 1 and len(text) == 4:
            return dt.date(parts[0], 12, 31) if end else dt.date(parts[0], 1, 1)
        if len(parts) == 2:
            first = dt.date(parts[0], parts[1], 1)
            if not end:
                return first
            following = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        if len(parts) == 3:
            return dt.date(*parts)
    except ValueError:
        pass
    raise QueryError(f"not a date: {text!r} (write 2024-04-07, 2024-04 or 2024)")


def doc_url(doc_id: str, suffix: str = "", *, prefix: str = "/doc/", **params: str) -> str:
    """The page of a document (or its ``/original/`` file, its saved ``/page/``): its id
    quoted into the path, slashes too (looked up, never a file path)."""
    query = {k: v for k, v in params.items() if v}
    return f"{prefix}{quote(doc_id, safe='')}{suffix}" + ("?" + urlencode(query) if query else "")


def compare_url(a: str, b: str, suffix: str = "") -> str:
    return f"/compare/{quote(a, safe='')}/{quote(b, safe='')}{suffix}"


def story_url(story_id: str, suffix: str = "") -> str:
    return f"/story/{quote(story_id, safe='')}{suffix}"
