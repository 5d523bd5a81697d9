"""The Whoosh schema, and its version.

Bump :data:`SCHEMA_VERSION` whenever a field or its analysis changes: an index written with
another version is refused with a message asking for ``searchkit index --rebuild``.
"""

from __future__ import annotations

import datetime as dt

from whoosh import columns, fields

from ..base import outlet_key  # noqa: F401 - the engines' one rule, imported from here by the Whoosh modules
from .fastindex import AnalyzedText

#: 2: modules moved into searchkit.engine.whoosh (the schema pickles their paths); documents
#: record the file they came from (a file may hold many).
#: 3: documents store their URL's and author's provenance, the author, page starts (PDFs)
#: and capture times (web archives).
#: 4: analysis for news words and other languages: capitalised stop words (US, IT, May)
#: indexed, accent-folded twins of accented words, NFKC, soft hyphens, CJK bigrams.
#: 5: postings written by the W4 codec (codec.py): packed arrays instead of W3's pickled blocks.
#: 6: outlet names as pages state them, one per registered domain (a ``.outlets`` file beside
#: the generation), provenance naming the element ("markup: og:site_name"): an index of
#: version 5 would mix old made-up names ("Aero") with new ones ("aero.de") in its facets.
#: 7: each document's language (``lang``, its source), and the words of documents in
#: Russian, German, ... analysed in their language, as language-tagged terms (analysis.py).
#: 8: stories format 2 (an edge needs copying; document digests; credits without a lexicon).
#: 9: stories format 3 (issue 21's grouping and credits): an index of version 8 would keep
#: its old story map for collapsing and story: filters while `stories` regrouped in memory.
#: 10: stories format 4 and issue 21's second round: credits of new forms (French, Spanish,
#: German and Russian cues, end lines, sign-offs, headlines), a grouping where an uncredited
#: copy needs words copied in order, and the model stored as a stream of pickles written and
#: read a batch of documents at a time; an index of version 9 keeps its old credits and map.
SCHEMA_VERSION = 10

#: Fields searched by words when a query names no field, with their BM25F weights.
DEFAULT_FIELDS = ("title", "body", "outlet_text")

def day_number(date: dt.date | None) -> int:
    """The ``day`` field's value: YYYYMMDD, or 0 for an unknown date."""
    return date.year * 10000 + date.month * 100 + date.day if date else 0


def date_of_day(day: int | None) -> dt.date | None:
    """The date a ``day`` value stands for (None for 0, unknown)."""
    return dt.date(day // 10000, day // 100 % 100, day % 100) if day else None


def build_schema() -> fields.Schema:
    return fields.Schema(
        # The file's path relative to the corpus root ("/"-separated), with "#key" for one
        # of several documents in a file: see searchkit.ingest.ids.
        doc_id=fields.ID(unique=True, stored=True, sortable=True),
        title=AnalyzedText(stored=True, chars=True, phrase=True),
        body=AnalyzedText(stored=True, chars=True, phrase=True),
        # Outlet: display name (exact, facetable), a folded key for filters, and words.
        outlet=fields.ID(stored=True, sortable=True),
        outlet_key=fields.ID(),
        outlet_text=AnalyzedText(phrase=True),
        # Publication date as YYYYMMDD (0 = unknown) for ranges, sorting and facets;
        # the ISO string is stored for display. Unknown dates never match a range.
        day=fields.NUMERIC(int, bits=32, sortable=True),  # signed: unsigned ranges misfire in Whoosh
        date=fields.STORED(),
        # The corpus file the document came from (its doc_id, or what precedes "#key").
        file=fields.STORED(),
        url=fields.STORED(),
        title_source=fields.STORED(),
        outlet_source=fields.STORED(),
        date_source=fields.STORED(),
        url_source=fields.STORED(),
        author=fields.STORED(),
        author_source=fields.STORED(),
        # Character offsets where pages 2, 3, ... start (PDFs), for "p. 4" in hits.
        page_starts=fields.STORED(),
        # When a web archive captured the page (not a publication date).
        captured=fields.STORED(),
        # The document's language (ISO 639-1; absent when unknown or mixed), for lang:
        # filters, the language facet and the analysis of its words; where it came from.
        lang=fields.ID(stored=True, sortable=True),
        lang_source=fields.STORED(),
        # What incremental indexing compares (size, mtime, content hash, metadata entry, file), in a
        # column so that a no-op run never decompresses stored text.
        state=fields.COLUMN(columns.VarBytesColumn()),
    )
