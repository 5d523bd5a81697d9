"""Web archives (``.warc``, ``.warc.gz``) as Webrecorder, ArchiveBox, wget and Heritrix write
them: every HTML response record is a document, keyed by its record number, with its target
URL (``url``) and the capture time as the upper bound of its date (a page cannot be
published after it was captured; the capture time itself is never taken as the date).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

from ..article import Article, Hint, RecordSkipped
from ..decode import UnusableFile
from . import Source

#: A response larger than this is skipped (a video, a data dump).
MAX_RECORD_BYTES = 20 * 1024 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read(source: Source) -> Iterator[Article | RecordSkipped]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    from .html import page_article

    stream = io.BytesIO(source.data)
    number = 0
    seen = 0
    try:
        for record in ArchiveIterator(stream, arc2warc=True):
            seen += 1
            if record.rec_type not in ("response", "resource"):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            if record.http_headers is not None:
                status = record.http_headers.get_statuscode() or ""
                ctype = (record.http_headers.get_header("Content-Type") or "").lower()
            else:
                status, ctype = "200", (record.rec_headers.get_header("Content-Type") or "").lower()
            if not any(t in ctype for t in _HTML_TYPES) or not status.startswith("2"):
                continue
            number += 1
            key = str(number)
            try:
                payload = record.content_stream().read(MAX_RECORD_BYTES + 1)
            except Exception:  # noqa: BLE001 - truncated or badly compressed record
                yield RecordSkipped(key, f"{url}: truncated record")
                break
            if len(payload) > MAX_RECORD_BYTES:
                yield RecordSkipped(key, f"{url}: page too large")
                continue
            warc_date = record.rec_headers.get_header("WARC-Date") or None
            captured = _capture_date(warc_date)
            try:
                article = page_article(payload, url=url or None, encoding="warc", capture_date=captured)
            except UnusableFile as exc:
                yield RecordSkipped(key, f"{url}: {exc}")
                continue
            if article.url is None and url:
                article = _with_url(article, url)
            from dataclasses import replace

            yield replace(article, key=key, captured=warc_date)
    except ArchiveLoadFailed as exc:
        if seen == 0:
            raise UnusableFile(f"not a web archive ({str(exc).splitlines()[0][:80]})") from None
        yield RecordSkipped(str(number + 1), "the archive is damaged from here on")
    except (OSError, EOFError, ValueError) as exc:
        if seen == 0:
            raise UnusableFile(f"not a web archive ({type(exc).__name__})") from None
        yield RecordSkipped(str(number + 1), "the archive is truncated or damaged from here on")
    if seen == 0:
        raise UnusableFile("not a web archive (no records)")


def _capture_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _with_url(article: Article, url: str) -> Article:
    from dataclasses import replace

    return replace(article, url=Hint(url, "record"))


def _with_key(article: Article, key: str) -> Article:
    from dataclasses import replace

    return replace(article, key=key)
