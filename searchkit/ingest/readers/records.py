"""Data exports: ``.jsonl``/``.ndjson`` (one JSON object a line), ``.json`` (an array of
objects, or an object holding one), ``.csv``/``.tsv`` (a header row, then one record a row).

Each record is a document, keyed by its own id field when every record has a distinct one,
else by its number (1 for the first record: ``export.jsonl#1``). Fields are found by the
names common exports use (Media Cloud, GDELT, NewsAPI, news-please, Factiva and scraper
exports), case-insensitively; a ``[formats.csv]`` (``[formats.jsonl]`` ...) table in
metadata.toml names other fields (``text = "article_text"``). Values found are marked
``record``. A record without text, or one too large, is reported and skipped; the others
are indexed.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..article import Article, DateHint, Hint, RecordSkipped
from ..decode import UnusableFile, decode
from . import Source

#: A record larger than this is skipped (a 100 MB "article" is a data dump).
MAX_RECORD_BYTES = 8 * 1024 * 1024

FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "maintext", "full_text", "fulltext", "article_text",
             "article", "story", "body_text", "text_content", "articlebody"),
    "title": ("title", "headline", "heading", "name"),
    "outlet": ("outlet", "source", "site", "sitename", "site_name", "publisher", "media_name",
               "source_name", "publication", "media", "domain", "source_domain"),
    "date": ("date", "published", "publish_date", "date_publish", "seendate", "published_at",
             "publishedat", "pubdate", "publication_date", "date_published", "datetime", "timestamp"),
    "url": ("url", "link", "href", "article_url", "permalink", "source_url"),
    "author": ("author", "byline", "authors", "creator"),
    "lang": ("lang", "language", "inlanguage", "language_code", "lang_code", "locale"),
    "id": ("id", "_id", "doc_id", "article_id", "stories_id", "guid", "uuid", "record_id"),
}
_KEY_UNSAFE = re.compile(r"[\x00-\x1f\x7f#/\\\s]+")


def read(source: Source) -> Iterator[Article | RecordSkipped]:
    suffix = source.name.lower().rsplit(".", 1)[-1]
    fields = _field_map(source.fields)
    if suffix in ("jsonl", "ndjson"):
        rows: Iterator[tuple[int, Any]] = _jsonl_rows(source.data)
    elif suffix == "json":
        rows = _json_rows(source.data)
    else:
        rows = _csv_rows(source.data, "\t" if suffix == "tsv" else None)
    records: list[tuple[int, Any]] = list(rows)
    if not records:
        raise UnusableFile("no records")
    keys = _record_keys(records, fields["id"])
    for (number, record), key in zip(records, keys):
        if isinstance(record, RecordSkipped):
            yield RecordSkipped(key, record.reason)
            continue
        if not isinstance(record, Mapping):
            yield RecordSkipped(key, "not a record (a JSON object or a row with a header)")
            continue
        # A spreadsheet's row is named (the id may be the record's own); a JSON record's id says it.
        yield _article(record, key, fields, f"row {number} after the header: " if suffix in ("csv", "tsv") else "",
                       (source.fields or {}).get("date_format"), suffix)


def _field_map(overrides: Mapping[str, str] | None) -> dict[str, tuple[str, ...]]:
    fields = dict(FIELD_NAMES)
    for name, column in (overrides or {}).items():
        if name in fields and column:
            fields[name] = (column.lower(),)
    return fields


def _jsonl_rows(data: bytes) -> Iterator[tuple[int, Any]]:
    number = 0
    pos = 0
    end = len(data)
    if data.startswith(b"\xef\xbb\xbf"):
        pos = 3
    while pos < end:
        nl = data.find(b"\n", pos)
        if nl < 0:
            nl = end
        length = nl - pos
        if length > MAX_RECORD_BYTES:
            number += 1
            yield number, RecordSkipped(str(number), f"record too large ({length // (1024 * 1024)} MB; the cap is {MAX_RECORD_BYTES // (1024 * 1024)} MB)")
            pos = nl + 1
            continue
        line = data[pos:nl].strip()
        pos = nl + 1
        if not line:
            continue
        number += 1
        try:
            yield number, json.loads(line)
        except (ValueError, RecursionError):
            yield number, RecordSkipped(str(number), f"line {number} is not valid JSON")


def _json_rows(data: bytes) -> Iterator[tuple[int, Any]]:
    try:
        text, _encoding = decode(data)
        value = json.loads(text)
    except UnusableFile:
        raise
    except (ValueError, RecursionError) as exc:
        raise UnusableFile(f"not valid JSON ({str(exc).split(':')[0]})") from None
    if isinstance(value, dict):
        # {"articles": [...]} (NewsAPI), {"data": [...]}, {"results": [...]}, or one record.
        lists = [v for v in value.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v[:5])]
        if lists:
            value = max(lists, key=len)
        else:
            value = [value]
    if not isinstance(value, list):
        raise UnusableFile("JSON holds no records (expected an array of objects)")
    for number, record in enumerate(value, 1):
        yield number, record


def _csv_rows(data: bytes, delimiter: str | None) -> Iterator[tuple[int, Any]]:
    text, _encoding = decode(data)
    if delimiter is None:
        sample = text[:8192]
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    csv.field_size_limit(MAX_RECORD_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise UnusableFile(f"not a CSV file ({exc})") from None
    header = [h.strip().lstrip("\ufeff") for h in header]
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            number += 1
            yield number, RecordSkipped(str(number), f"row {number}: {exc}")
            continue
        if not any(cell.strip() for cell in row):
            continue
        number += 1
        yield number, dict(zip(header, row))


def _lower_keys(record: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in record.items():
        out.setdefault(str(key).lower().strip(), value)
    return out


def _record_keys(records: list[tuple[int, Any]], id_names: tuple[str, ...]) -> list[str]:
    """The record's own id where every record has a distinct one, else its number."""
    ids: list[str] = []
    for _number, record in records:
        if not isinstance(record, Mapping):
            break
        lowered = _lower_keys(record)
        value = next((lowered[n] for n in id_names if lowered.get(n) not in (None, "")), None)
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            break
        key = _KEY_UNSAFE.sub("_", str(value)).strip("_")[:120]
        if not key:
            break
        ids.append(key)
    if len(ids) == len(records) and len(set(ids)) == len(ids):
        return ids
    return [str(number) for number, _record in records]


def _string(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Mapping):  # {"name": "BBC"} (NewsAPI source), {"#text": ...}
        for key in ("name", "title", "text", "value", "#text", "id"):
            if isinstance(value.get(key), (str, int)):
                return _string(value[key])
        return None
    if isinstance(value, list):
        parts = [s for s in (_string(v) for v in value[:20]) if s]
        return ", ".join(parts) if parts else None
    if isinstance(value, bool):
        return None
    s = str(value)
    return s if s.strip() else None


def _find(record: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = record.get(name)
        if value not in (None, "", [], {}):
            return value
    return None


def _article(record: Mapping[str, Any], key: str, fields: dict[str, tuple[str, ...]], where: str,
             date_format: str | None = None, suffix: str = "csv") -> Article | RecordSkipped:
    """The article of one record; ``where`` starts what is said of it ("row 3 after the header: ");
    ``date_format`` is the [formats.SUFFIX] table's way of writing numeric dates."""
    lowered = _lower_keys(record)
    text_value = _find(lowered, fields["text"])
    text = _string(text_value) if not isinstance(text_value, Mapping) else None
    if isinstance(text_value, list):
        text = "\n\n".join(s for s in (_string(v) for v in text_value) if s)
    if not text or not text.strip():
        present = next((name for name in fields["text"] if name in lowered), None)
        if present is not None:
            return RecordSkipped(key, f"{where}its text field '{present}' is empty")
        return RecordSkipped(key, f"{where}record has no text (no " + "/".join(fields["text"][:5]) + " field)")
    if len(text) > MAX_RECORD_BYTES:
        return RecordSkipped(key, "record too large")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    title = _string(_find(lowered, fields["title"]))
    outlet = _string(_find(lowered, fields["outlet"]))
    url = _string(_find(lowered, fields["url"]))
    author = _string(_find(lowered, fields["author"]))
    date, date_warning = record_date(_find(lowered, fields["date"]), date_format, suffix)
    from ..language import normalise_code

    lang = normalise_code(_string(_find(lowered, fields["lang"])))
    if outlet and "." in outlet and " " not in outlet:
        from ..infer import clean_outlet_name

        outlet = clean_outlet_name(outlet) or outlet
    return Article(
        text=text,
        key=key,
        title=Hint(" ".join(title.split())[:500], "record") if title else None,
        outlet=Hint(" ".join(outlet.split())[:200], "record") if outlet else None,
        date=DateHint(date, "record") if date else None,
        url=Hint(url.strip(), "record") if url and len(url) < 4000 else None,
        author=Hint(" ".join(author.split())[:300], "record") if author else None,
        lang=Hint(lang, "record") if lang else None,
        encoding="record",
        warnings=(f"{where}{date_warning}",) if date_warning else (),
    )


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def record_date(value: Any, date_format: str | None = None, suffix: str = "csv") -> tuple[Any, str | None]:
    """A record's date, and what to tell the user when a value is there but gives no date:
    ``04/05/2024`` could be 4 May or 5 April (left undated, never guessed, unless the
    [formats.SUFFIX] table's ``date_format`` says which); ``13/05/2024`` can only be 13 May.
    Never silent: a date field that is not empty either gives a date or a warning. The
    reading itself is :func:`searchkit.ingest.infer.parse_date_value`'s (one rule)."""
    from ..infer import date_readings, parse_date_value

    date = parse_date_value(value, date_format)
    if date is not None or value in (None, "") or not _string(value):
        return date, None
    text = " ".join(str(_string(value)).split())
    readings = date_readings(text)
    if len(readings) == 2 and not date_format:
        first, second = sorted(readings, key=lambda d: (d.month, d.day))
        return None, (f"the date {text!r} could be {first.day} {_MONTHS[first.month - 1]} or "
                      f"{second.day} {_MONTHS[second.month - 1]} {first.year}: left undated (say which with "
                      f"date_format = \"DMY\" or \"MDY\" in [formats.{suffix}] of metadata.toml, or write dates "
                      "as YYYY-MM-DD)")
    return None, f"the date {text[:40]!r} could not be read: left undated (write dates as YYYY-MM-DD)"
