"""Small frozen dataclasses passed between the stages; never Whoosh objects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


#: Where a value of an article came from (``ArticleMeta.*_source``); "" means nowhere.
SOURCE_TEXT = "text"
SOURCE_METADATA = "metadata"
SOURCE_NONE = ""

SORTS = ("relevance", "date", "-date")
FACET_DATE_UNITS = ("day", "month")


@dataclass(frozen=True)
class SearchOptions:
    """Everything a search takes besides the query text (see :meth:`searchkit.Index.search`).

    The shell keeps the user's current settings in one of these."""

    limit: int = 10
    page: int = 1
    plain: bool = False
    sort: str = "relevance"
    outlet: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    facets: bool = False
    facet_dates: str = "day"
    snippets: bool = True
    expand: bool = False


@dataclass(frozen=True)
class Skipped:
    """A corpus file that was not indexed, and why (shown to the user)."""

    rel_path: str
    reason: str


@dataclass(frozen=True)
class ArticleMeta:
    """Title, outlet and date of one article, each with where it came from.

    A ``*_source`` is ``"text"`` (inferred from the article), ``"metadata"`` (the corpus's
    metadata.toml) or ``""`` when no source supports a value, in which case the value is None.
    """

    title: str | None = None
    title_source: str = ""
    outlet: str | None = None
    outlet_source: str = ""
    date: dt.date | None = None
    date_source: str = ""
    url: str | None = None


@dataclass(frozen=True)
class Document:
    """One indexed article with its full text and metadata (``Index.document``)."""

    doc_id: str
    path: Path
    text: str
    meta: ArticleMeta
    sha256: str
    size: int


@dataclass(frozen=True)
class Hit:
    """One search result."""

    rank: int
    doc_id: str
    path: Path
    title: str | None
    outlet: str | None
    date: dt.date | None
    #: Relevance score (higher is better); None when hits are sorted by date instead.
    score: float | None
    snippet: str
    #: ``(start, end)`` character offsets of highlighted terms inside ``snippet``.
    highlights: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Facets:
    """Counts over the whole result set (not only the page shown)."""

    outlets: dict[str, int] = field(default_factory=dict)
    #: Keys are ISO days ("2024-04-07") or months ("2024-04"), per the request.
    dates: dict[str, int] = field(default_factory=dict)
    #: Matching documents with no known outlet / date.
    no_outlet: int = 0
    no_date: int = 0


@dataclass(frozen=True)
class Results:
    """A page of hits, the total number of matches, and optional extras."""

    query: str
    hits: tuple[Hit, ...]
    total: int
    page: int
    limit: int
    elapsed: float
    facets: Facets | None = None
    #: A corrected query built from the index's own terms, when the query found little.
    suggestion: str | None = None
    #: Words added by pseudo-relevance feedback (``expand=True``), as written in articles.
    expansion: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def __getitem__(self, i: int) -> Hit:
        return self.hits[i]


@dataclass(frozen=True)
class BuildSummary:
    """What one ``build_index`` run did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: tuple[Skipped, ...] = ()
    documents: int = 0
    elapsed: float = 0.0
    rebuilt: bool = False
    #: Files no reader takes, by suffix: (".xlsx", 30), ... commonest first.
    unsupported: tuple[tuple[str, int], ...] = ()
    #: Problems that did not stop the run (a metadata.toml entry for a file that is gone).
    warnings: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass(frozen=True)
class IndexStats:
    """What ``Index.stats()`` reports."""

    path: Path
    corpus: Path | None
    documents: int
    outlets: dict[str, int]
    first_date: dt.date | None
    last_date: dt.date | None
    undated: int
    last_update: dt.datetime | None


@dataclass(frozen=True)
class CheckReport:
    """What :func:`searchkit.api.check_index` found (``searchkit check``)."""

    path: Path
    generation: str
    #: False for an index written before checksums were recorded: only readability and
    #: the document count were checked.
    checksums: bool
    files: int
    bytes: int
    documents: int | None
    #: (file or "", what is wrong), in file order; empty when the index is sound.
    problems: tuple[tuple[str, str], ...] = ()
    #: Remarks that are not damage (no checksums yet; a commit not yet recorded).
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems
