"""The OpenSearch engine: every ``import opensearchpy`` of searchkit lives in this package.

Modules: ``location`` (URLs, credentials, the client), ``mapping`` (fields, analysis and
their version), ``fields`` (documents to and from the mapping), ``compile`` (query tree ->
query DSL), ``writer`` (bounded bulk requests with retries), ``reader`` (searching),
``home`` (pointer, lock, generations and stories kept in the cluster), ``errors`` (the
client's exceptions as one sentence each), ``engine`` (the Engine protocol).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..base import Engine, Home


def open_location(url: str) -> tuple[Engine, Home]:
    """The engine and home of the index a URL names (the client is made, nothing is asked
    of the cluster yet)."""
    from .engine import OpenSearchEngine
    from .home import ClusterHome
    from .location import connect, parse_location

    location = parse_location(url)
    client = connect(location)
    home = ClusterHome(location, client)
    return OpenSearchEngine(location, client, home), home
