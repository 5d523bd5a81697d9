"""The ``searchkit serve`` application: the routes, errors as pages, the security middleware.

Thin, like the CLI: each page (:mod:`.pages`) reads its URL, calls the library and returns
a dict of JSON-ready data, which is either the page's ``.json`` twin or rendered with the
page's template. Only ``searchkit serve`` imports this package (Starlette, Jinja2).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import IndexDamagedError, IndexMissingError, QueryError, SchemaMismatchError, SearchkitError
from .render import HERE, NotFound, Renderer, Site
from .security import SecurityMiddleware, allowed_hosts

log = logging.getLogger("searchkit.web")


def create_app(index_path: Path | str, *, host: str = "127.0.0.1", saved_path: Path | str | None = None) -> Any:
    """The ASGI application serving the index at ``index_path`` (wrapped in the security
    middleware: Host allow-list for ``host`` and the loopback names, same-site POSTs).
    ``saved_path`` is the saved-searches file (default: the user's, see :mod:`searchkit.saved`)."""
    from . import pages
    from .pages import json_twin

    site = Site(index_path, Path(saved_path) if saved_path is not None else None)
    renderer = Renderer(site)

    def handler(page: Callable[[Request, Renderer], Response]) -> Callable[[Request], Response]:
        def endpoint(request: Request) -> Response:
            try:
                return page(request, renderer)
            except NotFound as exc:
                return renderer.error(request, 404, "Not found", str(exc), twin=json_twin(request))
            except QueryError as exc:
                return renderer.error(request, 400, "Cannot read that query", str(exc), twin=json_twin(request))
            except IndexMissingError as exc:
                site.forget()
                return renderer.error(request, 503, "No index yet", str(exc),
                                      "Build it with `searchkit index CORPUS --index DIR`, then reload this page.",
                                      twin=json_twin(request))
            except (IndexDamagedError, SchemaMismatchError) as exc:
                site.forget()
                return renderer.error(request, 503, "The index cannot be read", str(exc),
                                      "Run `searchkit check` to see what is wrong, and `searchkit index --rebuild` "
                                      "to build it again; then reload this page.", twin=json_twin(request))
            except SearchkitError as exc:
                return renderer.error(request, 400, "Cannot do that", str(exc), twin=json_twin(request))
        return endpoint

    routes: list[Route | Mount] = [Route(path, handler(fn), methods=methods) for path, fn, methods in pages.ROUTES]
    routes.append(Mount("/static", StaticFiles(directory=HERE / "static"), name="static"))

    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        if status == 405:
            return renderer.error(request, 405, "Not allowed", "That address does not take this kind of request.")
        return renderer.error(request, 404, "Not found", "There is no page at this address.",
                              twin=json_twin(request))

    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("error serving %s", request.url.path, exc_info=exc)
        site.forget()
        return renderer.error(request, 500, "Something went wrong",
                              "searchkit could not show this page (the error is in the server's log). "
                              "Reload to try again; if it persists, run `searchkit check`.")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        site.load_stories()
        yield
        site.close()

    app = Starlette(routes=routes, exception_handlers={HTTPException: not_found, 404: not_found, 405: not_found,
                                                       500: server_error, Exception: server_error},
                    lifespan=lifespan)
    app.state.site = site
    return SecurityMiddleware(app, allowed_hosts(host))
