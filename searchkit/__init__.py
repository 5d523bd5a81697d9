"""searchkit: full-text search for a corpus of news articles.

    >>> import searchkit
    >>> ix = searchkit.build_index("seeds", "index")
    >>> for hit in ix.search("satellite imagery"):
    ...     print(hit.rank, hit.title, hit.outlet, hit.date, hit.snippet)

The names below load lazily, so that ``import searchkit`` (and ``searchkit --help``) stays
fast: Whoosh is imported only when an index is built or opened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import (
    CorpusError,
    IndexDamagedError,
    IndexLockedError,
    IndexMissingError,
    IndexWriteError,
    MetadataError,
    OutletError,
    QueryError,
    SchemaMismatchError,
    SearchkitError,
)
from .models import ArticleMeta, BuildSummary, Document, Explain, Facets, Hit, IndexStats, Passage, Ranking, Results, SearchOptions, Skipped, Version

if TYPE_CHECKING:
    from .api import Export, ExportInfo, Index, build_index, open_fresh, open_index

__version__ = "0.1.0"

__all__ = [
    "ArticleMeta", "BuildSummary", "CorpusError", "Document", "Explain", "Export", "ExportInfo", "Facets", "Hit", "Index",
    "IndexDamagedError", "IndexLockedError", "IndexMissingError", "IndexStats", "IndexWriteError", "MetadataError",
    "OutletError", "Passage", "QueryError", "Ranking", "Results", "SchemaMismatchError", "SearchOptions", "SearchkitError",
    "Skipped", "Version", "build_index", "open_fresh", "open_index",
]

_LAZY = {"Export", "ExportInfo", "Index", "build_index", "open_fresh", "open_index"}


def __getattr__(name: str):
    if name in _LAZY:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'searchkit' has no attribute {name!r}")
