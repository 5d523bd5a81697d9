"""Single-file saved pages (``.mhtml``, ``.mht``): a MIME message holding the page and its
assets; the page's HTML part goes through the HTML reader, with the URL the browser saved and
the time it saved the page (its ``Date`` header: when the page was captured, never taken as
its publication date, which it only bounds)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
from collections.abc import Iterator
from dataclasses import replace

from ..article import Article
from ..decode import UnusableFile
from . import Source
from .html import page_article


def read(source: Source) -> Iterator[Article]:
    try:
        message = email.message_from_bytes(source.data, policy=email.policy.default)
    except Exception:  # noqa: BLE001 - the email package raises many kinds on garbage
        raise UnusableFile("not an MHTML file (cannot parse it)") from None
    url = _header(message, "Snapshot-Content-Location") or None
    saved = _saved_at(message)
    for part in message.walk():
        if part.get_content_type() not in ("text/html", "application/xhtml+xml"):
            continue
        try:
            content = part.get_content()
        except Exception:  # noqa: BLE001 - a bad transfer encoding or charset
            payload = part.get_payload(decode=True)
            content = payload if isinstance(payload, bytes) else None
        if not content:
            continue
        article = page_article(content, url=url or _header(part, "Content-Location") or None, encoding="mhtml",
                               capture_date=saved.date() if saved else None)
        yield replace(article, captured=saved.strftime("%Y-%m-%dT%H:%M:%SZ")) if saved else article
        return
    raise UnusableFile("no HTML page inside the MHTML file")


def _header(message: email.message.Message, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001
        return ""
    value = str(value or "").strip()
    return value if value.lower().startswith(("http://", "https://")) else ""


def _saved_at(message: email.message.Message) -> dt.datetime | None:
    """When the browser saved the page (the message's ``Date``), in UTC."""
    try:
        when = email.utils.parsedate_to_datetime(str(message.get("Date") or ""))
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc)
