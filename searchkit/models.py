"""Small frozen dataclasses passed between the stages; never Whoosh objects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar, get_args


#: Where a value of an article came from (``ArticleMeta.*_source``); "" means nowhere.
SOURCE_TEXT = "text"
SOURCE_METADATA = "metadata"
SOURCE_NONE = ""

# The fixed lists a user chooses from, each written once: the CLI's choices, the shell's
# completion and checks, the web page's links and the library's validation derive from these.

#: The order of hits: by relevance, oldest first, newest first.
Sort = Literal["relevance", "date", "-date"]
SORTS: tuple[Sort, ...] = get_args(Sort)
#: How each order is named to a reader (status lines, the web page's links).
SORT_NAMES: dict[Sort, str] = {"relevance": "relevance", "-date": "newest first", "date": "oldest first"}
#: The unit of the date facet.
FacetDateUnit = Literal["day", "month"]
FACET_DATE_UNITS: tuple[FacetDateUnit, ...] = get_args(FacetDateUnit)
#: The formats an export is written in (``searchkit export``, ``:export``, the web page).
ExportFormat = Literal["csv", "jsonl", "md", "html"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)
#: The format of an export to a file with no known suffix, or to standard output.
DEFAULT_EXPORT_FORMAT: ExportFormat = "jsonl"

#: The filters a search is narrowed by as sets of documents (a story, a credited source, a
#: file format), each with its "not_" twin that leaves them out (Index.facet_ids).
SetFacet = Literal["story", "credited", "format"]
SET_FACETS: tuple[SetFacet, ...] = get_args(SetFacet)
SET_FILTER_KEYS: tuple[str, ...] = tuple(key for facet in SET_FACETS for key in (facet, f"not_{facet}"))

#: Inverse document frequencies BM25 can use: "whoosh" (ln(N/(n+1)) + 1) or "bm25"
#: (ln(1 + (N-n+.5)/(n+.5))); the default is ``Ranking.idf``.
IdfKind = Literal["whoosh", "bm25"]
IDF_KINDS: tuple[IdfKind, ...] = get_args(IdfKind)
#: How a search computes its match sets (``SearchOptions.path``): "sets" (Python sets, the
#: reference), "numpy" (masks over packed postings; where an index has none, sets), or
#: "auto": numpy for a long-lived process (library, shell, web) from its first search that
#: reads enough postings to gain from it; a one-shot process (``one_shot``) stays on sets
#: unless a search reads so much that importing numpy pays for itself.
QueryPath = Literal["auto", "sets", "numpy"]
QUERY_PATHS: tuple[QueryPath, ...] = get_args(QueryPath)

C = TypeVar("C", bound=str)


def choice(value: object, choices: tuple[C, ...]) -> C | None:
    """``value`` if it is one of ``choices`` (typed as that choice), else None."""
    return next((c for c in choices if c == value), None)


@dataclass(frozen=True)
class Ranking:
    """The ranking's knobs. The defaults are the ones ``benchmarks/relevance.py`` chose (see the
    docs/architecture.md, Ranking); other values exist to measure them against each other."""

    #: How a list of words is combined: "all_first", "coord", "or", "and" (querylang.parser).
    grouping: str = "all_first"
    #: How a word repeated in pasted text counts: "once", "count", "log" (1 + ln count) or
    #: "saturate" (BM25's query-term weight (k3 + 1) n / (k3 + n)).
    repeats: str = "saturate"
    k3: float = 8.0
    #: Share of the expanded query (``expand=True``) given to the feedback words.
    feedback_weight: float = 0.5
    #: Pasted text (plain queries): re-rank the best 100 by the word pairs they share with it.
    pairs: bool = False
    #: Leave function words ("what", "of") out of a query that has other words.
    drop_function_words: bool = True
    #: BM25F weight of the title field (the title line is in the body too).
    title_boost: float = 0.5
    #: BM25 term-frequency saturation and length normalisation (b 0.5: chosen across
    #: collections, docs/architecture.md, Ranking).
    k1: float = 1.2
    b: float = 0.5
    #: Inverse document frequency, one of IDF_KINDS.
    idf: IdfKind = "bm25"


@dataclass(frozen=True)
class SearchOptions:
    """Everything a search takes besides the query text (see :meth:`searchkit.Index.search`).

    The shell keeps the user's current settings in one of these."""

    limit: int = 10
    page: int = 1
    plain: bool = False
    sort: Sort = "relevance"
    #: One outlet name, or several (articles from any of them).
    outlet: str | tuple[str, ...] | None = None
    #: One language (ISO 639-1 code), or several: articles in any of them.
    lang: str | tuple[str, ...] | None = None
    #: Outlet names whose articles are left out (articles with no outlet stay).
    not_outlet: tuple[str, ...] | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    facets: bool = False
    facet_dates: FacetDateUnit = "day"
    snippets: bool = True
    expand: bool = False
    ranking: Ranking = field(default_factory=Ranking)
    #: One hit per story (the best), its other matching articles in ``Hit.versions``.
    collapse: bool = False
    #: Only these documents, by id (None: all); how collapsing fetches the snippets of a page.
    only: tuple[str, ...] | None = None
    #: These documents left out, by id (a facet value excluded: a story, a credited source).
    exclude: tuple[str, ...] | None = None
    #: Also give the id of every match in ``Results.matched_ids`` (what a page counts its
    #: other facets over, without running the query again).
    with_ids: bool = False
    #: How match sets are computed: one of QUERY_PATHS (the results are the same).
    path: QueryPath = "auto"
    #: This process runs this one search and exits (the CLI's ``query``): the "auto" path
    #: then avoids importing numpy where the set path is cheaper.
    one_shot: bool = False
    #: Say how the search ran in ``Results.explain``.
    explain: bool = False


@dataclass(frozen=True)
class Skipped:
    """A corpus file that was not indexed, and why (shown to the user)."""

    rel_path: str
    reason: str


@dataclass(frozen=True)
class ArticleMeta:
    """Title, outlet and date of one article, each with where it came from.

    A ``*_source`` says where the value came from: ``"metadata"`` (the user's metadata.toml
    or metadata.csv), ``"markup"`` (a page's meta tags or JSON-LD), ``"header"`` (an e-mail
    header), ``"record"`` (a field of an export's record), ``"url"`` (read from the page's
    URL), ``"properties"`` (PDF/Word document properties), ``"text"`` (inferred from the
    article), or ``""`` when no source supports a value, in which case the value is None.
    """

    title: str | None = None
    title_source: str = ""
    outlet: str | None = None
    outlet_source: str = ""
    date: dt.date | None = None
    date_source: str = ""
    url: str | None = None
    url_source: str = ""
    author: str | None = None
    author_source: str = ""
    #: Character offsets in the text where pages 2, 3, ... begin (PDFs); empty otherwise.
    page_starts: tuple[int, ...] = ()
    #: When a web archive captured the page (ISO 8601); not a publication date.
    captured: str | None = None
    #: The language the article is in (ISO 639-1: "ru", "de"), or None when unknown or mixed.
    lang: str | None = None
    lang_source: str = ""

    def page_of(self, offset: int) -> int | None:
        """The page (1-based) holding character ``offset``, or None for a text without pages."""
        if not self.page_starts:
            return None
        import bisect

        return bisect.bisect_right(self.page_starts, offset) + 1


@dataclass(frozen=True)
class Document:
    """One indexed article with its full text and metadata (``Index.document``)."""

    doc_id: str
    path: Path
    text: str
    meta: ArticleMeta
    sha256: str
    size: int
    #: The outlets and agencies the article credits, each with the span of its mention in
    #: ``text`` (``searchkit.stories.Credit``); its own byline, dateline or footer never.
    credits: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Passage:
    """A matched passage of a document, for citing: ``start``/``end`` and each of
    ``matches`` are character offsets into the document's text (``Document.text``);
    ``text`` is the passage on one line (white space folded) and ``highlights`` the
    matches' offsets inside ``text``."""

    start: int
    end: int
    text: str
    matches: tuple[tuple[int, int], ...] = ()
    highlights: tuple[tuple[int, int], ...] = ()
    #: The page (1-based) the passage starts on, for documents with pages (PDFs).
    page: int | None = None


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
    #: The passages the snippet was made from, with offsets into the document.
    passages: tuple[Passage, ...] = ()
    url: str | None = None
    #: The page (1-based) the snippet's first match is on, for documents with pages (PDFs).
    page: int | None = None
    #: The story (copies and rewrites of one report) the article belongs to, if any.
    story: str | None = None
    #: With collapsing: the story's other articles that match too, folded under this hit.
    versions: tuple[Version, ...] = ()
    #: The article's language (ISO 639-1), None when unknown or mixed.
    lang: str | None = None


@dataclass(frozen=True)
class Version:
    """Another article of a hit's story that the query matches (see ``Hit.versions``)."""

    doc_id: str
    outlet: str | None
    date: dt.date | None


@dataclass(frozen=True)
class Facets:
    """Counts over the whole result set (not only the page shown)."""

    outlets: dict[str, int] = field(default_factory=dict)
    #: Keys are ISO days ("2024-04-07") or months ("2024-04"), per the request.
    dates: dict[str, int] = field(default_factory=dict)
    #: Matching documents with no known outlet / date.
    no_outlet: int = 0
    no_date: int = 0
    #: Matching documents per language (ISO 639-1), and those whose language is unknown.
    languages: dict[str, int] = field(default_factory=dict)
    no_language: int = 0


@dataclass(frozen=True)
class MoreFacets:
    """Counts over every match by story, by credited source and by file format
    (:meth:`searchkit.Index.more_facets`), most first."""

    #: Story id -> matching articles of it (stories with two or more matching articles).
    stories: dict[str, int] = field(default_factory=dict)
    #: Story id -> its headline.
    story_titles: dict[str, str] = field(default_factory=dict)
    #: Credited source ("Reuters") -> matching articles crediting it.
    credited: dict[str, int] = field(default_factory=dict)
    #: File format ("html", "pdf", "eml") -> matching articles read from such files.
    formats: dict[str, int] = field(default_factory=dict)
    #: True when the stories were still loading (``wait=False``): no headlines and no
    #: credited sources yet.
    stories_loading: bool = False


class MatchSet(Protocol):
    """Every document a search matched, as an engine holds them (``Results.matched``):
    their ids, and counts of labels over them without turning each into its id (a page's
    facets over 100,000 matches)."""

    def __len__(self) -> int: ...

    def ids(self) -> tuple[str, ...]:
        """The id of every match, in no particular order."""
        ...

    def count(self, label_of: Mapping[str, str], default: str | None = None) -> dict[str, int]:
        """How many matches have each label (``label_of``: document id -> label; a document
        it lacks counts as ``default``, or not at all when that is None)."""
        ...

    def count_each(self, labels_of: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
        """How many matches have each label, a document counting once for each of its
        labels (``labels_of``: document id -> its labels)."""
        ...


class IdMatches:
    """A :class:`MatchSet` of ids (engines that give ids; and the reference the engines'
    own are compared with)."""

    def __init__(self, ids: tuple[str, ...]) -> None:
        self._ids = ids

    def __len__(self) -> int:
        return len(self._ids)

    def ids(self) -> tuple[str, ...]:
        return self._ids

    def count(self, label_of: Mapping[str, str], default: str | None = None) -> dict[str, int]:
        from collections import Counter

        found = (label_of.get(doc_id, default) for doc_id in self._ids)
        return dict(Counter(label for label in found if label is not None))

    def count_each(self, labels_of: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
        from collections import Counter
        from itertools import chain

        return dict(Counter(chain.from_iterable(filter(None, map(labels_of.get, self._ids)))))


@dataclass(frozen=True)
class Explain:
    """How a search ran (``SearchOptions.explain``, ``searchkit query --explain``)."""

    #: The query as the engine ran it (after parsing, stop words and expansion).
    compiled: str
    #: How its match sets were computed: "sets" or "numpy" (QUERY_PATHS), or the engine's name.
    path: str
    #: Words of the query left out (function words, the rest of a long paste), as typed.
    dropped: tuple[str, ...]
    #: (stage, seconds) in the order they ran: parse, match, rank, snippets, facets, did-you-mean.
    stages: tuple[tuple[str, float], ...]
    #: The filters (outlet, language, dates...) as the engine ran them, or None.
    filters: str | None = None


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
    #: With collapsing: matching articles folded under a hit of their story (among those ranked
    #: so far), and the number of rows (hits plus folded stories) when every match was ranked.
    collapsed: int = 0
    rows: int | None = None
    #: Words of the query left out as too common to help ("of", "the"), as typed.
    ignored: tuple[str, ...] = ()
    #: Other things the user should know about how the query was read (one sentence each).
    notices: tuple[str, ...] = ()
    #: Articles with no known date that the query matches but a date filter left out
    #: (``since``/``until``, or ``date:`` in the query): undated articles never pass one.
    undated_excluded: int = 0
    #: With ``SearchOptions.with_ids``: every match, as the engine holds them (an engine
    #: that cannot give them leaves None); ``matched_ids`` gives their ids.
    matched: MatchSet | None = None
    #: With ``SearchOptions.explain``: how the search ran.
    explain: Explain | None = None

    @property
    def matched_ids(self) -> tuple[str, ...] | None:
        """With ``SearchOptions.with_ids``: the id of every match, in no particular order."""
        return self.matched.ids() if self.matched is not None else None

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def __getitem__(self, i: int) -> Hit:
        return self.hits[i]

    @property
    def pages(self) -> int:
        """How many pages of ``limit`` the results fill: by rows (a collapsed story is one)
        when they are known, else by matches; 0 when nothing matched."""
        rows = self.rows if self.rows is not None else self.total
        return -(-rows // self.limit) if rows else 0


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
    #: Problems that did not stop the run (a metadata entry for a file that is gone, stories
    #: that could not be updated).
    warnings: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass(frozen=True)
class IndexStats:
    """What ``Index.stats()`` reports."""

    #: The index's folder, or its URL.
    path: Path | str
    corpus: Path | None
    documents: int
    outlets: dict[str, int]
    first_date: dt.date | None
    last_date: dt.date | None
    undated: int
    last_update: dt.datetime | None
    #: Documents with no known outlet.
    no_outlet: int = 0


@dataclass(frozen=True)
class CheckReport:
    """What :func:`searchkit.api.check_index` found (``searchkit check``)."""

    #: The index's folder, or its URL.
    path: Path | str
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
