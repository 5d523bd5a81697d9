"""Search engines behind one small protocol (:mod:`searchkit.engine.base`).

Whoosh (:mod:`searchkit.engine.whoosh`, every Whoosh import) for an index in a folder, the
default; OpenSearch (:mod:`searchkit.engine.opensearch`, every OpenSearch import) for an index
named by a URL (``opensearch://HOST:PORT/NAME``). The rest of searchkit gets its engine and
the index's :class:`~searchkit.engine.base.Home` from :func:`locate`, and never knows which.
"""

from __future__ import annotations

import re
from pathlib import Path

from .base import Engine, Home

_URL = re.compile(r"^(opensearchs?|https?)://", re.IGNORECASE)


def is_url(location: object) -> bool:
    """Whether an index location names a cluster (a URL) rather than a folder."""
    return isinstance(location, str) and bool(_URL.match(location))


def default_engine() -> Engine:
    """The engine of indexes in folders (imported on first use: Whoosh costs ~60 ms)."""
    from .whoosh import WhooshEngine

    return WhooshEngine()


def locate(location: str | Path) -> tuple[Engine, Home]:
    """The engine and home of the index at ``location``: a folder, or a URL."""
    if is_url(location):
        from .opensearch import open_location

        return open_location(str(location))
    from ..store import FileHome

    return default_engine(), FileHome(Path(location))
