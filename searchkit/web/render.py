"""What the pages share: the open index (:class:`Site`), rendering a page's data as HTML or
as its ``.json`` twin (:class:`Renderer`), and the errors a page raises."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..errors import SearchkitError
from ..models import EXPORT_FORMATS, ExportFormat
from ..sanitize import json_line, one_line

HERE = Path(__file__).parent


class NotFound(SearchkitError):
    """A page for something the index does not hold (404)."""


class Site:
    """The index the pages read, opened on first use and reopened after a failure.

    ``Index`` picks up a newer generation on every search (another process's index run),
    so an update is seen by the next request without a restart; while a run is going the
    last complete index answers."""

    def __init__(self, index_path: Path | str, saved_path: Path | None = None) -> None:
        from ..engine import is_url

        #: A folder, or a URL kept as written (a Path would fold its //).
        self.index_path: Path | str = index_path if is_url(index_path) else Path(index_path)
        self.saved_path = saved_path
        self._index: Any = None
        self._saved: Any = None
        self._warming: threading.Thread | None = None
        self._lock = threading.Lock()

    def saved(self) -> Any:
        """The saved-searches store (the user's file, shared with the CLI and the shell)."""
        from ..saved import SavedSearches

        with self._lock:
            if self._saved is None:
                self._saved = SavedSearches(self.saved_path)
            return self._saved

    def index(self) -> Any:
        from ..api import open_index

        with self._lock:
            if self._index is None:
                self._index = open_index(self.index_path)
                return self._index
            index = self._index
        # A newer index written by `searchkit index` is used from this request on; a file
        # cut short is found before it is read.
        index.refresh(check_sizes=True)
        return index

    def current(self) -> Any:
        """The index this request already opened and refreshed (None: none is open)."""
        with self._lock:
            return self._index

    def warm(self) -> None:
        """Load what the pages need beside the search (the stories model: seconds at 20,000
        articles), so that no reader waits for it."""
        try:
            self.index().stories()
        except Exception:  # noqa: BLE001 - a missing or damaged index is the pages' to explain
            pass
        finally:
            with self._lock:
                self._warming = None

    def load_stories(self) -> None:
        """Start :meth:`warm` in the background, unless it is running already (a page that
        finds the stories not loaded answers without them meanwhile)."""
        with self._lock:
            if self._warming is not None:
                return
            self._warming = loader = threading.Thread(target=self.warm, name="searchkit-stories", daemon=True)
        loader.start()

    def forget(self) -> None:
        """Drop the open index (after damage): the next request opens it again."""
        with self._lock:
            old, self._index = self._index, None
        if old is not None:
            try:
                old.close()
            except Exception:  # noqa: BLE001 - a damaged index may fail to close; it is dropped anyway
                pass

    def close(self) -> None:
        self.forget()


def _environment() -> Environment:
    from . import params

    # Every value a template prints passes through here: text (document text above all) loses
    # its control, bidi and invisible characters, then autoescaping escapes it. Markup (marked
    # text, charts) was built from text cleaned the same way.
    def finalize(value: object) -> object:
        if isinstance(value, str) and not isinstance(value, Markup):
            return one_line(value)
        return value

    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True, finalize=finalize)
    env.globals.update(doc_url=params.doc_url, compare_url=params.compare_url, story_url=params.story_url)
    env.filters["thousands"] = lambda n: f"{n:,}" if isinstance(n, int) else n
    env.filters["plural"] = lambda n, word, many=None: f"{n:,} {word if n == 1 else many or word + 's'}"
    return env


#: The twins a page may have, by suffix, and their media types.
TWINS = {"json": "application/json", "csv": "text/csv; charset=utf-8",
         "jsonl": "application/x-ndjson; charset=utf-8", "md": "text/markdown; charset=utf-8"}
#: The export formats a search page has as twins (every match, as ``searchkit export`` writes
#: it); an HTML export would be the page itself.
EXPORT_TWINS: tuple[ExportFormat, ...] = tuple(f for f in EXPORT_FORMATS if f in TWINS)


def split_twin(name: str, allowed: tuple[str, ...] = ("json",)) -> tuple[str, str]:
    """``("doc", "json")`` from ``"doc.json"``; ``(name, "")`` without a known suffix."""
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix in allowed:
        return stem, suffix
    return name, ""


class Renderer:
    """Turns a page's data into HTML (its template) or its JSON twin."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.env = _environment()

    def status(self) -> dict[str, Any]:
        """When the index answering was built, and whether an index run is going now."""
        ix = self.site.current()
        if ix is None:
            return {}
        built = ix.built_at
        return {"built_at": built.isoformat(), "built_shown": built.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z"),
                "built_ago": ago(built), "indexing": ix.indexing,
                "index": str(ix.location)}

    def page(self, request: Request, template: str, data: dict[str, Any], *, twin: str = "",
             view: dict[str, Any] | None = None, status: int = 200) -> Response:
        if twin == "json":
            return Response(json_line(data, ascii=False) + "\n", status_code=status, media_type=TWINS["json"])
        context = {"request": request, "data": data, "status": self.status(), **(view or {})}
        html = self.env.get_template(template).render(context)
        return HTMLResponse(html, status_code=status)

    def error(self, request: Request, status: int, title: str, message: str, hint: str = "",
              twin: str = "") -> Response:
        data = {"error": message, "status": status, **({"hint": hint} if hint else {})}
        return self.page(request, "error.html", data, twin=twin, view={"title": title}, status=status)


def ago(when: dt.datetime) -> str:
    seconds = (dt.datetime.now(dt.timezone.utc) - when).total_seconds()
    if seconds < 90:
        return "just now"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return "just now"
