"""Mailbox files (``.mbox``), as Thunderbird, Apple Mail and Google Takeout export them: each
message is a document keyed by its number (``inbox.mbox#3``), read as an ``.eml`` file is
(headers, body, attachments as ``inbox.mbox#3#report.pdf``). A bad message is reported and
the others are indexed."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..article import Article, RecordSkipped
from ..decode import UnusableFile
from . import Source
from .mail import _read

_FROM_LINE = re.compile(rb"(?:^|\n)From [^\n]*\n")
_ESCAPED_FROM = re.compile(rb"\n>(>*From )")


def read(source: Source) -> Iterator[Article | RecordSkipped]:
    data = source.data
    if not data.startswith(b"From "):
        raise UnusableFile("not an mbox file (it must start with a 'From ' line)")
    separators = list(_FROM_LINE.finditer(data))
    for number, sep in enumerate(separators, 1):
        end = separators[number].start() if number < len(separators) else len(data)
        # mboxrd: a body line "From ..." was written as ">From ..."; take one ">" off.
        message = _ESCAPED_FROM.sub(rb"\n\1", data[sep.end() : end])
        key = str(number)
        try:
            records = list(_read(Source(f"{source.rel_path}#{key}", f"{key}.eml", message), depth=1))
        except UnusableFile as exc:
            yield RecordSkipped(key, str(exc))
            continue
        from dataclasses import replace

        for record in records:
            sub = key if record.key is None else f"{key}#{record.key}"
            yield RecordSkipped(sub, record.reason) if isinstance(record, RecordSkipped) else replace(record, key=sub)
