"""Saved searches: a name for a query and its filters, in one file that the CLI (``searchkit
saved``, ``query --save``), the shell (``:save``, ``:saved``) and the web page (``/saved``)
share, with how many of its matches are new since it was last viewed.

The file is JSON in the user data folder platformdirs gives (``~/.local/share/searchkit/
saved_searches.json`` on Linux), readable by its user only (0600), replaced atomically and
changed under a lock: a server and a shell saving at the same moment lose nothing.

What "new" means: the articles the search matches now that it did not match when it was last
viewed on the same index (an index is named by its folder). Viewing a search keeps the ids of
all its matches (not only the page shown); the next count is the matches whose id is not among
them. So the count stays exact through any update: an article added, or edited so that it now
matches, is new; a deleted one stops counting; a rebuild changes nothing (ids are the
articles' paths, the same in every build); an article already seen that was edited since is
not new (it is the same article, and it matched before). Saving marks the current matches
seen; a search never viewed on an index counts every match there as new.

The ids are kept as 64-bit xxh3 hashes (8 bytes each: a search matching 200,000 articles keeps
1.6 MB, its ids would take about 8 MB); two different ids share a hash with a probability of
about n*m/2^64, one in 10^9 for 200,000 seen and 200,000 new.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import QueryError, SearchkitError
from .models import SET_FILTER_KEYS, SORTS, FacetDateUnit, Results, SearchOptions

if TYPE_CHECKING:
    from .api import Index

FILE_NAME = "saved_searches.json"
FORMAT = 1
#: The filters a saved search may have (the web page's URL parameters, the CLI's options):
#: lists of values (outlet names, story ids, credited sources, file formats; ``not_*``: left
#: out), then single values.
#: The filters that become sets of articles (``Index.facet_ids``).
SET_KEYS = SET_FILTER_KEYS
LIST_KEYS = ("outlet", "not_outlet", "lang", *SET_KEYS)
FILTER_KEYS = (*LIST_KEYS, "since", "until", "sort", "collapse", "plain")
MAX_NAME = 100
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


def default_path() -> Path:
    """``saved_searches.json`` in the user data folder (where the shell keeps its history)."""
    import platformdirs

    return platformdirs.user_data_path("searchkit", appauthor=False) / FILE_NAME


@dataclass(frozen=True)
class SavedSearch:
    """A saved search; with an index, how many of its matches are new there."""

    name: str
    query: str
    #: Only the filters that are set, as JSON values: lists for LIST_KEYS (``outlet``,
    #: ``not_outlet``, ``story``, ...), ``since``/``until`` ISO days, ``sort``, ``collapse``, ``plain``.
    filters: dict[str, Any] = field(hash=False)
    saved_at: dt.datetime
    #: When it was last viewed on the index asked about (None: never there).
    viewed_at: dt.datetime | None = None
    #: Matches now that it did not match when last viewed (None: not counted).
    new: int | None = None
    #: Matches now (None: not counted).
    total: int | None = None
    #: Why it could not be counted (a query this version of searchkit cannot read).
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (``searchkit saved --json``, ``/saved.json``)."""
        out: dict[str, Any] = {
            "name": self.name, "query": self.query, "filters": dict(self.filters), "new": self.new,
            "total": self.total, "saved_at": _iso(self.saved_at),
            "viewed_at": _iso(self.viewed_at) if self.viewed_at else None,
        }
        if self.error:
            out["error"] = self.error
        return out


@dataclass(frozen=True)
class SavedView:
    """What viewing a saved search gives: the search with its counts as they were before
    this view marked them seen, a page of results, and which articles were new."""

    search: SavedSearch
    results: Results
    #: The ids of the matches that were new (the hits among them can be marked "new").
    new_ids: frozenset[str]


class SavedSearches:
    """The saved searches of one file (by default the user's: :func:`default_path`).

    Every call reads the file afresh (another process may have changed it); changes are
    made under an exclusive lock and written atomically.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        #: (index folder, index built_at, name, query, filters, viewed_at) -> (new, total):
        #: a listing asked again before the index or the search changed costs no search.
        self._counts: dict[tuple[str, ...], tuple[int, int]] = {}

    # -- reading ---------------------------------------------------------------------------

    def list(self, index: Index | None = None) -> list[SavedSearch]:
        """Every saved search, by name (case-insensitively); with ``index``, each with its
        number of matches there and how many of them are new."""
        entries = self._read()["searches"]
        out = [self._counted(entry, index) if index is not None else _search(entry, None)
               for entry in entries.values()]
        return sorted(out, key=lambda s: (s.name.casefold(), s.name))

    def get(self, name: str, index: Index | None = None) -> SavedSearch:
        """One saved search by name (any case); with ``index``, counted there. Raises
        :class:`SearchkitError` if there is none of that name."""
        entry = self._entry(self._read(), name)
        return self._counted(entry, index) if index is not None else _search(entry, None)

    def view(self, name: str, index: Index, *, page: int = 1, limit: int = 10, facets: bool = False,
             facet_dates: FacetDateUnit = "day", snippets: bool = True, collapse: bool | None = None,
             mark_seen: bool = True) -> SavedView:
        """Run a saved search on ``index`` (a page of results, as :meth:`Index.search` gives
        it) and, unless ``mark_seen`` is false, mark all its current matches seen.
        ``collapse`` is used when the search was saved without one."""
        entry = self._entry(self._read(), name)
        options = search_options(entry["filters"], index, page=page, limit=limit, facets=facets,
                                 facet_dates=facet_dates, snippets=snippets, collapse=bool(collapse))
        # The matches first: an article indexed between the two calls is then still new
        # at the next view, never marked seen without having been shown.
        ids = index.matching_ids(entry["query"], options)
        seen = _seen_hashes(entry, _index_key(index))
        hashes = _hashes(ids)
        is_new = _not_in(hashes, seen)
        new_ids = frozenset(doc_id for doc_id, new in zip(ids, is_new) if new)
        results = index.search_with(entry["query"], options)
        before = _search(entry, _index_key(index), new=len(new_ids), total=len(ids))
        if mark_seen:
            self._mark(entry["name"], index, hashes)
        return SavedView(before, results, new_ids)

    # -- changing ---------------------------------------------------------------------------

    def save(self, name: str, query: str, filters: Mapping[str, Any] | None = None, *,
             index: Index | None = None) -> SavedSearch:
        """Save ``query`` with ``filters`` (keys of FILTER_KEYS; dates as ``datetime.date`` or
        ``2024``, ``2024-04``, ``2024-04-07``) as ``name``, replacing a search of that name
        (any case). With ``index``, the query is checked there and its current matches are
        marked seen (nothing is new right after saving). Raises :class:`QueryError` for a
        malformed query and :class:`SearchkitError` for a bad name or filter."""
        name = check_name(name)
        if not isinstance(query, str):
            raise TypeError(f"query must be a str, not {type(query).__name__}")
        query = query.strip()
        clean = normalize_filters(filters or {})
        plain = bool(clean.get("plain"))
        if index is not None:
            index.check_query(query, plain=plain)
        else:
            from .engine import default_engine

            default_engine().check_query(query, plain=plain)
        now = dt.datetime.now(dt.timezone.utc)
        entry: dict[str, Any] = {"name": name, "query": query, "filters": clean, "saved_at": _iso(now), "seen": {}}
        total = None
        if index is not None:
            ids = _matching_ids(index, entry)
            entry["seen"][_index_key(index)] = _seen_record(_hashes(ids), now)
            total = len(ids)
        with self._changing() as data:
            searches = data["searches"]
            old = _find(searches, name)
            if old is not None:
                del searches[old]
            searches[name.casefold()] = entry
        where = _index_key(index) if index is not None else None
        return _search(entry, where, new=0 if total is not None else None, total=total)

    def mark_seen(self, name: str, index: Index) -> SavedSearch:
        """Mark every current match of a saved search on ``index`` seen; returns it as it
        was counted just before."""
        entry = self._entry(self._read(), name)
        ids = _matching_ids(index, entry)
        hashes = _hashes(ids)
        counted = _search(entry, _index_key(index), new=int(_not_in(hashes, _seen_hashes(entry, _index_key(index))).sum()),
                          total=len(ids))
        self._mark(entry["name"], index, hashes)
        return counted

    def delete(self, name: str) -> SavedSearch:
        """Forget a saved search (any case of its name); returns it. Raises
        :class:`SearchkitError` if there is none of that name."""
        with self._changing() as data:
            key = _find(data["searches"], name)
            if key is None:
                raise SearchkitError(_unknown(name, data["searches"]))
            return _search(data["searches"].pop(key), None)

    # -- the file ----------------------------------------------------------------------------

    def _mark(self, name: str, index: Index, hashes: Any) -> None:
        with self._changing() as data:
            key = _find(data["searches"], name)
            if key is None:  # deleted meanwhile (another window): nothing to mark
                return
            entry = data["searches"][key]
            entry.setdefault("seen", {})[_index_key(index)] = _seen_record(hashes, dt.datetime.now(dt.timezone.utc))

    def _counted(self, entry: dict[str, Any], index: Index) -> SavedSearch:
        index.refresh()  # the cache below is keyed by the index's last update: see a newer one first
        where = _index_key(index)
        record = entry.get("seen", {}).get(where) or {}
        cache_key = (where, index.built_at.isoformat(), entry["name"], entry["query"],
                     json.dumps(entry["filters"], sort_keys=True), str(record.get("viewed_at")))
        counts = self._counts.get(cache_key)
        if counts is None:
            try:
                ids = _matching_ids(index, entry)
            except QueryError as exc:
                return _search(entry, where, error=str(exc))
            counts = (int(_not_in(_hashes(ids), _seen_hashes(entry, where)).sum()), len(ids))
            if len(self._counts) > 1000:
                self._counts.clear()
            self._counts[cache_key] = counts
        return _search(entry, where, new=counts[0], total=counts[1])

    def _entry(self, data: dict[str, Any], name: str) -> dict[str, Any]:
        key = _find(data["searches"], name)
        if key is None:
            raise SearchkitError(_unknown(name, data["searches"]))
        entry: dict[str, Any] = data["searches"][key]
        return entry

    def _read(self) -> dict[str, Any]:
        """The file's content: ``{"format": 1, "searches": {casefolded name: entry}}``."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {"format": FORMAT, "searches": {}}
        except OSError as exc:
            raise SearchkitError(f"cannot read the saved searches in {self.path}: {exc.strerror or exc}") from None
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("searches"), list):
                raise ValueError("no list of searches")
            version = data.get("format")
            if not isinstance(version, int) or version > FORMAT:
                raise SearchkitError(f"the saved searches in {self.path} were written by a newer version of "
                                     f"searchkit (format {version}); upgrade searchkit to read them")
            searches = {}
            for entry in data["searches"]:
                _check_entry(entry)
                searches[entry["name"].casefold()] = entry
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise SearchkitError(f"the saved searches file {self.path} is damaged ({exc}); fix it, or move it "
                                 "away to start a new one") from None
        return {"format": FORMAT, "searches": searches}

    @contextmanager
    def _changing(self) -> Iterator[dict[str, Any]]:
        """The file's content to change in place, under an exclusive lock; written back
        (atomically, 0600) when the block ends without an exception."""
        from .atomic import write_atomically

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            lock_fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise SearchkitError(f"cannot write the saved searches in {self.path}: {exc.strerror or exc}") from None
        try:
            _lock(lock_fd)
            data = self._read()
            yield data
            text = json.dumps({"format": FORMAT, "searches": list(data["searches"].values())},
                              ensure_ascii=False, indent=1)
            try:
                write_atomically(self.path, text, mode=0o600)
            except OSError as exc:
                raise SearchkitError(f"cannot write the saved searches in {self.path}: "
                                     f"{exc.strerror or exc}") from None
        finally:
            os.close(lock_fd)  # closing releases the lock


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; the write is still atomic
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


# --------------------------------------------------------------------------------------------
# Names and filters


def check_name(name: object) -> str:
    """A saved search's name, stripped; SearchkitError when empty, too long or holding
    control or bidi characters (names are shown in terminals and web pages)."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, not {type(name).__name__}")
    clean = name.strip()
    if not clean:
        raise SearchkitError("a saved search needs a name")
    if len(clean) > MAX_NAME:
        raise SearchkitError(f"a saved search's name is at most {MAX_NAME} characters, not {len(clean)}")
    if _UNSAFE_NAME.search(clean):
        raise SearchkitError("a saved search's name cannot hold control, invisible or direction characters")
    return clean


def normalize_filters(filters: Mapping[str, Any]) -> dict[str, Any]:
    """The filters as they are stored: only those set, as JSON values (outlet names as a
    list, days as ISO text). Takes what a program, the command line or a web form gives:
    one name or several, dates as ``datetime.date`` or text (``2024``, ``2024-04``:
    their first day for ``since``, their last for ``until``), booleans as text."""
    from .querylang.dates import date_bound

    unknown = sorted(set(filters) - set(FILTER_KEYS))
    if unknown:
        raise SearchkitError(f"unknown filter {unknown[0]!r} for a saved search (known: {', '.join(FILTER_KEYS)})")
    out: dict[str, Any] = {}
    for key in LIST_KEYS:
        value = filters.get(key)
        names = [value] if isinstance(value, str) else list(value or ())
        if not all(isinstance(n, str) for n in names):
            raise SearchkitError(f"{key} must be text, or a list of texts")
        kept = list(dict.fromkeys(n.strip() for n in names if n.strip()))
        if kept:
            out[key] = kept
    for key in ("since", "until"):
        value = filters.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, str):
            try:
                value = date_bound(value, end=key == "until")
            except QueryError as exc:
                raise SearchkitError(f"{key}: {exc}") from None
        if not isinstance(value, dt.date):
            raise SearchkitError(f"{key} must be a date, not {value!r}")
        out[key] = value.isoformat()
    if "since" in out and "until" in out and out["since"] > out["until"]:
        raise SearchkitError(f"since {out['since']} is after until {out['until']}")
    sort = filters.get("sort") or "relevance"
    if sort not in SORTS:
        raise SearchkitError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    if sort != "relevance":
        out["sort"] = sort
    collapse = _boolean(filters.get("collapse"), "collapse")
    if collapse is not None:
        out["collapse"] = collapse
    if _boolean(filters.get("plain"), "plain"):
        out["plain"] = True
    return out


def describe_filters(filters: Mapping[str, Any]) -> list[str]:
    """Stored filters as the shell's prompt shows them: ``outlet:Reuters``,
    ``-outlet:"EU Today"``, ``story:s1f2``, ``since:2024-04-01``, ``sort:-date``, ``plain``,
    ``no-collapse`` (values made safe to print)."""
    from .sanitize import one_line

    parts = []
    for key in LIST_KEYS:
        name = key.removeprefix("not_")
        sign = "-" if key.startswith("not_") else ""
        for value in filters.get(key) or ():
            shown = one_line(value)
            parts.append(f'{sign}{name}:"{shown}"' if " " in shown else f"{sign}{name}:{shown}")
    parts.extend(f"{key}:{filters[key]}" for key in ("since", "until", "sort") if filters.get(key))
    if filters.get("plain"):
        parts.append("plain")
    if filters.get("collapse") is False:
        parts.append("no-collapse")
    return parts


def search_options(filters: Mapping[str, Any], index: Index, **settings: Any) -> SearchOptions:
    """Stored filters as the :class:`SearchOptions` of a search on ``index``: story,
    credited-source and format filters become the articles they keep and leave out
    (``only``, ``exclude``). ``settings`` are the other fields (``limit``, ``page``,
    ``facets``...); a saved ``collapse`` wins over the one given."""
    def names(key: str) -> tuple[str, ...] | None:
        return tuple(filters[key]) if filters.get(key) else None

    def day(key: str) -> dt.date | None:
        return dt.date.fromisoformat(filters[key]) if filters.get(key) else None

    only, exclude = (index.facet_ids({k: filters[k] for k in SET_KEYS if filters.get(k)})
                     if any(filters.get(k) for k in SET_KEYS) else (None, None))
    if "collapse" in filters:
        settings["collapse"] = bool(filters["collapse"])
    return SearchOptions(plain=bool(filters.get("plain")), sort=filters.get("sort") or "relevance",
                         outlet=names("outlet"), not_outlet=names("not_outlet"), lang=names("lang"), since=day("since"),
                         until=day("until"), only=only, exclude=exclude, **settings)


def _boolean(value: Any, key: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return None if text == "" else False
    raise SearchkitError(f"{key} must be true or false, not {value!r}")


# --------------------------------------------------------------------------------------------
# Entries, counts and seen sets


def _check_entry(entry: Any) -> None:
    if not isinstance(entry, dict):
        raise ValueError("a search is not an object")
    for key in ("name", "query", "saved_at"):
        if not isinstance(entry.get(key), str):
            raise ValueError(f"a search has no {key}")
    if not isinstance(entry.get("filters", {}), dict) or not isinstance(entry.get("seen", {}), dict):
        raise ValueError(f"search {entry['name']!r} has malformed filters")
    entry.setdefault("filters", {})
    entry.setdefault("seen", {})


def _find(searches: dict[str, Any], name: str) -> str | None:
    key = name.strip().casefold() if isinstance(name, str) else None
    return key if key in searches else None


def _unknown(name: str, searches: dict[str, Any]) -> str:
    from .sanitize import one_line

    known = sorted(entry["name"] for entry in searches.values())
    hint = f" (saved: {', '.join(one_line(n) for n in known[:10])}{', ...' if len(known) > 10 else ''})" if known \
        else " (none is saved yet)"
    return f"no saved search named {one_line(str(name))!r}{hint}"


def _search(entry: dict[str, Any], where: str | None, *, new: int | None = None, total: int | None = None,
            error: str | None = None) -> SavedSearch:
    record = entry.get("seen", {}).get(where) if where is not None else None
    viewed = dt.datetime.fromisoformat(record["viewed_at"]) if record and record.get("viewed_at") else None
    return SavedSearch(entry["name"], entry["query"], dict(entry["filters"]), dt.datetime.fromisoformat(entry["saved_at"]),
                       viewed, new, total, error)


def _index_key(index: Index) -> str:
    """How the file names an index: its folder, resolved."""
    return str(Path(index.path).resolve())


def _matching_ids(index: Index, entry: dict[str, Any]) -> list[str]:
    return index.matching_ids(entry["query"], search_options(entry["filters"], index))


def _hashes(ids: list[str]) -> Any:
    """The ids' 64-bit xxh3 hashes, as a numpy array in the ids' order."""
    import numpy as np
    import xxhash

    digest = xxhash.xxh3_64_intdigest
    return np.fromiter((digest(doc_id.encode("utf-8", "surrogatepass")) for doc_id in ids),
                       dtype=np.uint64, count=len(ids))


def _seen_record(hashes: Any, when: dt.datetime) -> dict[str, Any]:
    import numpy as np

    unique = np.unique(hashes).astype("<u8")
    return {"viewed_at": when.isoformat(), "count": int(len(unique)),
            "ids": base64.b64encode(unique.tobytes()).decode("ascii")}


def _seen_hashes(entry: dict[str, Any], where: str) -> Any:
    """The sorted hashes of the matches when the search was last viewed on index ``where``
    (empty if never)."""
    import numpy as np

    record = entry.get("seen", {}).get(where)
    if not record or not record.get("ids"):
        return np.zeros(0, dtype=np.uint64)
    try:
        raw = base64.b64decode(record["ids"], validate=True)
    except ValueError:
        raw = b""
    return np.frombuffer(raw[: len(raw) // 8 * 8], dtype="<u8").astype(np.uint64)


def _not_in(hashes: Any, seen: Any) -> Any:
    """A boolean array: which of ``hashes`` are not in the sorted array ``seen``."""
    import numpy as np

    if not len(seen):
        return np.ones(len(hashes), dtype=bool)
    at = np.searchsorted(seen, hashes)
    found = seen[np.minimum(at, len(seen) - 1)] == hashes
    return ~found


def _iso(when: dt.datetime) -> str:
    return when.isoformat(timespec="seconds")
