"""What a reader yields: one record per document, with hints that say where they came from.

A file holds one document (a ``.txt`` article, a saved web page) or many (a ``.jsonl``
export, an e-mail with attachments). Each record carries a ``key`` that tells its documents
apart inside the file; :func:`searchkit.ingest.ids.doc_id` makes the document id from the
file's path and that key, and is the only place that does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

#: Where a value came from, most trusted first after the user's own ``metadata``:
#: page markup (meta tags, JSON-LD), an e-mail header, an export's record field, the URL,
#: document properties (PDF/Word), the text itself.
SOURCES = ("metadata", "markup", "header", "record", "url", "properties", "text")


@dataclass(frozen=True, slots=True)
class Hint:
    """A value a reader found for a field, and where it found it (one of :data:`SOURCES`)."""

    value: str
    source: str


@dataclass(frozen=True, slots=True)
class DateHint:
    """A publication date a reader found, and where (one of :data:`SOURCES`)."""

    value: dt.date
    source: str


@dataclass(frozen=True, slots=True)
class Article:
    """One document read from a file: its text and what the file says about it.

    ``key`` is None for a file that is one document; otherwise it names the record inside
    the file (``"17"`` for the 18th line of a JSONL export, a record's own id, or an
    attachment's name ``"report.pdf"``). Missing hints are filled by text inference
    (``searchkit.ingest.infer``) unless ``infer`` is False, and the user's metadata wins over
    everything.
    """

    text: str
    key: str | None = None
    title: Hint | None = None
    outlet: Hint | None = None
    date: DateHint | None = None
    url: Hint | None = None
    author: Hint | None = None
    #: The language the document says it is in (ISO 639-1, see ``searchkit.ingest.language``).
    lang: Hint | None = None
    #: Character offsets in ``text`` where pages 2, 3, ... begin (PDF); empty otherwise.
    page_starts: tuple[int, ...] = ()
    #: Whether inference from the text may fill the hints left empty.
    infer: bool = True
    #: What was read to get the text ("utf-8", "cp1252", "pdf", "html", ...): shown by ``show``.
    encoding: str = ""
    #: When a web archive captured the page (ISO 8601, as the archive wrote it); never the
    #: publication date.
    captured: str | None = None
    #: What the reader could not use and the user should hear of ("row 3: the date
    #: '04/05/2024' could be 4 May or 5 April; left undated"), said by the indexing run.
    warnings: tuple[str, ...] = ()


def content_hash(article: Article) -> str:
    """A hash of what a record holds (its text and hints): a changed export re-indexes only
    the records whose hash changed."""
    import hashlib

    h = hashlib.sha256()
    for part in (article.key, article.text, article.title, article.outlet, article.date, article.url,
                 article.author, article.page_starts, article.lang):
        h.update(repr(part).encode("utf-8", "surrogatepass"))
        h.update(b"\x1e")
    return h.hexdigest()


@dataclass(frozen=True, slots=True)
class RecordSkipped:
    """A record inside a file that could not be used (yielded by a reader instead of an
    Article), with the reason shown to the user; the file's other records are still read."""

    key: str
    reason: str


@dataclass(frozen=True, slots=True)
class Extra:
    """Free-form extras a reader may pass on (kept for later use; not indexed)."""

    values: dict[str, str] = field(default_factory=dict)
