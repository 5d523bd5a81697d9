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
from .models import (
    EXPORT_FORMATS,
    FACET_DATE_UNITS,
    IDF_KINDS,
    QUERY_PATHS,
    SORTS,
    ArticleMeta,
    BuildSummary,
    CheckReport,
    Document,
    Explain,
    ExportFormat,
    FacetDateUnit,
    Facets,
    Hit,
    IdfKind,
    IndexStats,
    MoreFacets,
    Passage,
    QueryPath,
    Ranking,
    Results,
    SearchOptions,
    Skipped,
    Sort,
    Version,
)

if TYPE_CHECKING:
    from .api import Export, ExportInfo, Index, build_index, check_index, open_fresh, open_index
    from .stories import Comparison, Credit, CreditedSource, Story

__version__ = "0.1.0"

__all__ = [
    # Building and opening an index
    "build_index", "open_index", "open_fresh", "check_index", "Index",
    # What a search takes and returns
    "SearchOptions", "Ranking", "Sort", "SORTS", "FacetDateUnit", "FACET_DATE_UNITS", "QueryPath", "QUERY_PATHS",
    "IdfKind", "IDF_KINDS", "Results", "Hit", "Passage",
    "Version", "Facets", "MoreFacets", "Explain", "Document", "ArticleMeta",
    # Exports
    "Export", "ExportInfo", "ExportFormat", "EXPORT_FORMATS",
    # Stories, credits, comparisons
    "Story", "Credit", "CreditedSource", "Comparison",
    # Reports of a build and of a check
    "BuildSummary", "Skipped", "IndexStats", "CheckReport",
    # Errors
    "SearchkitError", "CorpusError", "IndexDamagedError", "IndexLockedError", "IndexMissingError", "IndexWriteError",
    "MetadataError", "OutletError", "QueryError", "SchemaMismatchError",
]

#: Names loaded on first use, by the module that defines them.
_LAZY = {"Export": "api", "ExportInfo": "api", "Index": "api", "build_index": "api", "check_index": "api",
         "open_fresh": "api", "open_index": "api",
         "Comparison": "stories", "Credit": "stories", "CreditedSource": "stories", "Story": "stories"}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'searchkit' has no attribute {name!r}")
