"""E-mail messages (``.eml``): newsletters, press releases, tips.

The message is one document: its ``Subject`` is the title, the sender the author and its
``Date`` the date, all marked ``header``. The sender is a person, not an outlet ("Desk Editor
<desk@paper.example>" wrote a tip, it published nothing), unless the headers say the message
is a publication: a mailing list or newsletter (``List-Id``, ``List-Unsubscribe``,
``Precedence: bulk``) is the outlet its sender names, an ``Organization`` header names one;
``metadata.toml`` can always set it; the body is the plain-text part,
or else the HTML part read by the HTML reader. Attachments that a reader takes become
documents of their own, keyed by their file name (``mail.eml#report.pdf``); a bad
attachment is reported and the rest of the message is still indexed.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import re
from collections.abc import Iterator
from email.message import EmailMessage

from ..article import Article, DateHint, Hint, RecordSkipped
from ..decode import UnusableFile, decode
from . import Source, read_source, reader_for

#: Attachments deeper than this (a message attached to a message ...) are not opened.
MAX_DEPTH = 3


def read(source: Source) -> Iterator[Article | RecordSkipped]:
    yield from _read(source, depth=0)


def _read(source: Source, depth: int) -> Iterator[Article | RecordSkipped]:
    try:
        message = email.message_from_bytes(source.data, policy=email.policy.default)
    except Exception:  # noqa: BLE001 - the email package raises many kinds on garbage
        raise UnusableFile("not an e-mail message (cannot parse it)") from None
    if not isinstance(message, EmailMessage) or not (message.keys()):
        raise UnusableFile("not an e-mail message (no headers)")
    if not any(h in message for h in ("From", "Subject", "Date", "To", "Message-ID")):
        raise UnusableFile("not an e-mail message (no From, Subject or Date header)")

    subject = _header(message, "Subject")
    sender = _header(message, "From")
    date = _date(message)
    outlet = _publication_outlet(message, sender)
    text = _body_text(message)
    # Headers go into the text too: a search for the sender finds the message.
    header_lines = [f"{name}: {value}" for name in ("From", "To", "Subject")
                    if (value := _header(message, name))]
    body = text.strip()
    if body or subject:
        yield Article(
            text="\n".join(header_lines) + "\n\n" + body if body else "\n".join(header_lines),
            title=Hint(subject, "header") if subject else None,
            outlet=Hint(outlet, "header") if outlet else None,
            date=DateHint(date, "header") if date else None,
            author=Hint(_sender_name(sender) or sender, "header") if sender else None,
            lang=_language_header(message),
            encoding="email",
            infer=False,
        )
    elif not list(message.iter_attachments()):
        raise UnusableFile("empty message")
    if depth >= MAX_DEPTH:
        return
    used: dict[str, int] = {}
    for part in message.iter_attachments():
        name = _attachment_name(part, used)
        if name is None:
            continue
        payload: bytes | None = None
        try:
            raw = part.get_payload(decode=True)
            if isinstance(raw, bytes):
                payload = raw
            elif part.get_content_type() == "message/rfc822":
                inner = part.get_payload()
                if isinstance(inner, list) and inner and hasattr(inner[0], "as_bytes"):
                    payload = inner[0].as_bytes()
        except Exception:  # noqa: BLE001
            payload = None
        if not payload:
            yield RecordSkipped(name, "attachment is empty or undecodable")
            continue
        inner_source = Source(f"{source.rel_path}#{name}", name, payload)
        try:
            if name.lower().endswith(".eml"):
                records = list(_read(inner_source, depth + 1))
            else:
                records = list(read_source(inner_source))
        except UnusableFile as exc:
            yield RecordSkipped(name, str(exc))
            continue
        for record in records:
            key = name if record.key is None else f"{name}#{record.key}"
            if isinstance(record, RecordSkipped):
                yield RecordSkipped(key, record.reason)
            else:
                from dataclasses import replace

                yield replace(record, key=key)


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - a header the parser cannot decode
        value = message.get_all(name, [""])[0] if hasattr(message, "get_all") else ""
    return " ".join(str(value or "").split())


def _date(message: EmailMessage):
    raw = _header(message, "Date")
    if not raw:
        return None
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or not 1900 <= when.year <= 2100:
        return None
    return when.date()  # the day as the sender wrote it, in the sender's time zone


def _sender_name(sender: str) -> str:
    name, _address = email.utils.parseaddr(sender)
    return " ".join(name.strip(" \"'").split())


def _publication_outlet(message: EmailMessage, sender: str) -> str | None:
    """The outlet a message's headers name: its Organization, or the sender of a mailing."""
    organization = _header(message, "Organization")
    if organization:
        from ..infer import clean_outlet_name

        return clean_outlet_name(organization)
    precedence = _header(message, "Precedence").lower()
    if any(h in message for h in ("List-Id", "List-Unsubscribe", "List-Post")) or precedence in ("bulk", "list"):
        return _sender_outlet(sender)
    return None


def _sender_outlet(sender: str) -> str | None:
    """"Reuters Daily Briefing <newsletters@thomsonreuters.com>" -> "Reuters Daily Briefing";
    "press@nato.int" -> "nato.int" (its domain, as written)."""
    name, address = email.utils.parseaddr(sender)
    name = " ".join(name.strip(" \"'").split())
    if name and "@" not in name:
        return name
    if "@" in address:
        from ..infer import clean_outlet_name

        domain = address.rsplit("@", 1)[1]
        if domain.lower() in ("gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "proton.me",
                              "protonmail.com", "icloud.com", "mail.ru", "yandex.ru", "gmx.de", "web.de"):
            return None
        return clean_outlet_name(domain)
    return None


def _body_text(message: EmailMessage) -> str:
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:  # noqa: BLE001
        part = None
    if part is None:
        return ""
    try:
        content = part.get_content()
    except Exception:  # noqa: BLE001 - unknown charset or bad transfer encoding
        raw = part.get_payload(decode=True) or b""
        try:
            content, _encoding = decode(raw if isinstance(raw, bytes) else str(raw).encode())
        except UnusableFile:
            return ""
    if not isinstance(content, str):
        return ""
    if part.get_content_type() == "text/html":
        from .html import page_article

        try:
            return page_article(content, encoding="email").text
        except UnusableFile:
            return ""
    return content.replace("\r\n", "\n")


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\#]+")


def _attachment_name(part: EmailMessage, used: dict[str, int]) -> str | None:
    """The attachment's file name (made safe for an id), or None when no reader takes it."""
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001
        name = None
    if not name and part.get_content_type() == "message/rfc822":
        name = "message.eml"
    if not name:
        return None
    name = _UNSAFE_NAME.sub("_", name).strip() or "attachment"
    if reader_for(name) is None and not name.lower().endswith(".eml"):
        return None
    count = used.get(name, 0)
    used[name] = count + 1
    if count:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem}-{count + 1}.{ext}" if dot else f"{name}-{count + 1}"
    return name


def _language_header(message) -> Hint | None:
    """The message's Content-Language header, when it names one language."""
    from ..language import normalise_code

    code = normalise_code(_header(message, "Content-Language"))
    return Hint(code, "header") if code else None
