"""The user's own metadata: ``metadata.toml`` (and ``metadata.csv``) at the corpus root,
parsed, checked and cached.

Values given here win over anything a reader or inference finds. ``metadata.toml`` holds

* a table per file (``["reuters/2024-04-07.txt"]``) or per document of a many-record file
  (``["export.jsonl#17"]``);
* a table per glob pattern (``["reuters/**"] outlet = "Reuters"``; ``*`` stays inside a
  folder, ``**`` crosses folders); the most specific entry wins key by key: an exact path
  beats any pattern, a pattern with a longer fixed part beats a shorter one;
* ``[outlets]``: registered domain -> outlet name (``"pravda.com.ua" = "Ukrainska Pravda"``),
  applied to every document whose URL is on that domain, ahead of what the page says;
* ``[formats.csv]`` (``.jsonl``, ``.json``, ``.tsv``): which field of an export holds the
  text, title, outlet, date, url, author, lang or id (``text = "article_text"``).

``lang`` is the document's language as an ISO 639-1 code (``lang = "uk"``); an empty string
makes it unknown (no detection).

``metadata.csv`` beside it (columns ``path,title,outlet,date,url``, optionally ``author``)
is for people who keep a spreadsheet: its rows are exact entries, and a table for the same
path in metadata.toml wins over its row. An entry naming a file that no longer exists is a
warning (:func:`check_paths`), never an error.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import time
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import MetadataError

if TYPE_CHECKING:
    import tomllib

METADATA_FILENAME = "metadata.toml"
METADATA_CSV_FILENAME = "metadata.csv"
#: The keys a table of metadata.toml may hold.
METADATA_KEYS = ("title", "outlet", "date", "url", "author", "lang")
#: The tables of metadata.toml that are not files.
OUTLETS_TABLE = "outlets"
FORMATS_TABLE = "formats"
#: The fields a [formats.SUFFIX] table may name.
FORMAT_FIELDS = ("text", "title", "outlet", "date", "url", "author", "lang", "id")
#: A [formats.SUFFIX] setting beside the fields: how the export writes numeric dates
#: ("DMY", "MDY" or a strftime pattern), for dates like 04/05/2024.
DATE_FORMAT_KEY = "date_format"
_GLOB_CHARS = frozenset("*?[")

# --------------------------------------------------------------------------------------------
# metadata.toml


def _nfc(path: str) -> str:
    return path if path.isascii() else unicodedata.normalize("NFC", path)


_MISSING = object()


class _PathMap(Mapping[str, Any]):
    """Read-only map keyed by relative path; a lookup also finds an entry whose path is
    written in another Unicode normal form (file names on macOS are decomposed)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> Any:
        try:
            return self._data[key]
        except KeyError:
            return self._data[_nfc(key)]

    def get(self, key: str, default: Any = None) -> Any:
        # Called once per corpus file on every re-index: no exceptions for the usual miss.
        value = self._data.get(key, _MISSING)
        if value is _MISSING:
            value = self._data.get(_nfc(key), default) if not key.isascii() else default
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"_PathMap({self._data!r})"


@dataclass(frozen=True)
class MetadataFile:
    """A parsed metadata.toml: values per file, and where each file's table starts."""

    #: The file read, or None when the corpus has none.
    path: Path | None = None
    #: rel_path -> {key: value}; values are str or datetime.date, or None where the file
    #: clears a value with an empty string.
    entries: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: _PathMap({}))
    #: rel_path -> line number of its table header.
    lines: Mapping[str, int] = field(default_factory=lambda: _PathMap({}))
    #: rel_path -> :meth:`entry_signature`, precomputed by a cached load (may be empty).
    signatures: Mapping[str, str] = field(default_factory=lambda: _PathMap({}), compare=False, repr=False)
    #: (pattern, compiled regex, values), most specific last.
    patterns: tuple[tuple[str, Any, Mapping[str, Any]], ...] = ()
    #: registered domain -> outlet name ([outlets]).
    outlets: Mapping[str, str] = field(default_factory=dict)
    #: suffix without the dot -> {field: column} ([formats.csv]).
    formats: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: rel_path -> values from metadata.csv (metadata.toml's exact tables win over them).
    csv_entries: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: _PathMap({}))

    def get(self, rel_path: str) -> Mapping[str, Any] | None:
        """The user's values for one file or document: matching patterns (least specific
        first), then its metadata.csv row, then its own table; None when nothing applies."""
        exact = self.entries.get(rel_path)
        from_csv = self.csv_entries.get(rel_path) if self.csv_entries else None
        if not self.patterns and from_csv is None:
            return exact
        merged: dict[str, Any] = {}
        for _pattern, regex, values in self.patterns:
            if regex.match(rel_path):
                merged.update(values)
        if from_csv:
            merged.update(from_csv)
        if exact:
            merged.update(exact)
        return merged or None

    def entry_signature(self, rel_path: str) -> str:
        """A short hash of the file's entry, "" when it has none: changes iff the values do."""
        if self.patterns or self.csv_entries or self.outlets:
            entry = self.get(rel_path)
            extra = _signature(self.outlets) if self.outlets else ""
            if not entry and not extra:
                return ""
            return _signature({**(entry or {}), "\x00outlets": extra})
        entry = self.entries.get(rel_path)
        if not entry:
            return ""
        return self.signatures.get(rel_path) or _signature(entry)

    def fields_for(self, name: str) -> Mapping[str, str]:
        """The [formats.SUFFIX] field names for a file called ``name`` ({} when none)."""
        if not self.formats:
            return {}
        return self.formats.get(name.lower().rsplit(".", 1)[-1], {})

    def __len__(self) -> int:
        return len(self.entries)


def _signature(entry: Mapping[str, Any]) -> str:
    canonical = "\x1e".join(f"{key}\x1f{_canonical_value(value)}" for key, value in sorted(entry.items()))
    import hashlib

    return hashlib.sha1(canonical.encode("utf-8")).hexdigest()[:16]


def _canonical_value(value: Any) -> str:
    if value is None:
        return ""  # the file clears the value
    if isinstance(value, dt.date):
        return "d" + value.isoformat()
    return "s" + str(value)


def _error(line: int | None, message: str) -> MetadataError:
    where = f"{METADATA_FILENAME}, line {line}" if line else METADATA_FILENAME
    return MetadataError(f"{where}: {message}")


def load_metadata(corpus_root: Path, *, cache: Path | None = None) -> MetadataFile:
    """Read ``metadata.toml`` at the corpus root; an empty MetadataFile when there is none.

    With ``cache`` (a file in the index folder), the parsed result is kept there and reused
    while the file's size, times and inode are unchanged: parsing a 5 MB file takes seconds,
    and every re-index needs it. A missing, stale or unreadable cache is simply rebuilt.
    Raises MetadataError naming the line of the first problem.
    """
    path = Path(corpus_root) / METADATA_FILENAME
    key: tuple | None = None
    if cache is not None:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return _with_csv(MetadataFile(), corpus_root)
        except OSError as exc:
            raise _error(None, f"cannot read: {exc.strerror or exc}") from None
        # Taken before reading: if the file changes after this stat, the key is already stale.
        key = (_CACHE_FORMAT, METADATA_KEYS, os.path.abspath(path), st.st_size, st.st_mtime_ns,
               st.st_ctime_ns, st.st_ino, st.st_dev)
        cached = _read_cache(cache, key, path)
        if cached is not None:
            return cached
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return _with_csv(MetadataFile(), corpus_root)
    except OSError as exc:
        raise _error(None, f"cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _error(line, "not UTF-8 text; save the file as UTF-8") from None
    entries, lines, special = _parse_metadata(text)
    if cache is None or key is None:
        return _with_csv(_made(path, entries, lines, {}, special), corpus_root)
    signatures = {rel_path: _signature(entry) for rel_path, entry in entries.items() if entry}
    # A file changed again within the clock's granularity could keep the same times and size:
    # cache only a file whose last change is safely in the past (as git does for its index).
    if time.time_ns() - st.st_ctime_ns > _CACHE_MIN_AGE_NS:
        _write_cache(cache, (key, entries, lines, signatures, special))
    return _with_csv(_made(path, entries, lines, signatures, special), corpus_root)


def _made(path: Path | None, entries: dict, lines: dict, signatures: dict, special: dict) -> MetadataFile:
    patterns = tuple(
        (pattern, _glob_regex(pattern), values)
        for pattern, values in sorted(special.get("patterns", {}).items(), key=lambda kv: _specificity(kv[0]))
    )
    return MetadataFile(path, _PathMap(entries), _PathMap(lines), _PathMap(signatures), patterns,
                        dict(special.get("outlets", {})), dict(special.get("formats", {})))


def _specificity(pattern: str) -> tuple[int, int]:
    """Patterns sort least specific first: fewer fixed characters, then more wildcards."""
    fixed = len(re.sub(r"\*\*|[*?]|\[[^]]*\]", "", pattern))
    return fixed, -pattern.count("*")


def _glob_regex(pattern: str) -> Any:
    from .walk import glob_regex

    return glob_regex(pattern)


def _with_csv(meta: MetadataFile, corpus_root: Path) -> MetadataFile:
    """``meta`` with the rows of metadata.csv beside it (read on every run: it is small)."""
    path = Path(corpus_root) / METADATA_CSV_FILENAME
    try:
        raw = path.read_bytes()
    except OSError:
        return meta
    import csv
    import io
    from dataclasses import replace

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise MetadataError(f"{METADATA_CSV_FILENAME}, line {line}: not UTF-8 text; save the file as UTF-8") from None
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = [h.strip().lower().lstrip("\ufeff") for h in next(rows)]
    except (StopIteration, csv.Error):
        return meta
    if "path" not in header:
        raise MetadataError(f"{METADATA_CSV_FILENAME}, line 1: the first row must name the columns, "
                            f"one of them 'path' (then any of {', '.join(METADATA_KEYS)})")
    unknown = [h for h in header if h and h != "path" and h not in METADATA_KEYS]
    if unknown:
        raise MetadataError(f"{METADATA_CSV_FILENAME}, line 1: unknown column '{unknown[0]}' "
                            f"(columns are path, {', '.join(METADATA_KEYS)})")
    entries: dict[str, dict[str, Any]] = {}
    lines = dict(meta.lines)
    for number, row in enumerate(rows, 2):
        record = dict(zip(header, row))
        rel = (record.pop("path", "") or "").strip()
        if not rel:
            continue
        values: dict[str, Any] = {}
        for key, value in record.items():
            if key not in METADATA_KEYS:
                continue
            value = " ".join((value or "").split())
            if not value:
                continue
            if key == "lang":
                from .language import normalise_code

                code = normalise_code(value)
                if code is None:
                    raise MetadataError(f"{METADATA_CSV_FILENAME}, line {number}: lang '{value}' is not a "
                                        "language code like ru or de")
                values[key] = code
                continue
            if key == "date":
                from .infer import parse_date_value

                date = parse_date_value(value)
                if date is None:
                    from .infer import ambiguous_date

                    why = ("could be day or month first" if ambiguous_date(value) else "is not a date")
                    raise MetadataError(f"{METADATA_CSV_FILENAME}, line {number}: date '{value}' {why}; "
                                        "write it like 2024-04-07")
                values[key] = date
            else:
                values[key] = value
        entries[_normalise_rel_path(rel)] = values
        lines.setdefault(_normalise_rel_path(rel), -number)
    return replace(meta, csv_entries=_PathMap(entries), lines=_PathMap(lines))


# Bump when parsing or the cached layout changes, so that old caches are ignored.
_CACHE_FORMAT = 2
_CACHE_MIN_AGE_NS = 2_000_000_000


def _read_cache(cache: Path, key: tuple, path: Path) -> MetadataFile | None:
    """The MetadataFile cached under ``key``, or None (no cache, another key, or damaged).

    The cache is a pickle in the index folder, trusted as much as Whoosh's own pickled files
    beside it.
    """
    import pickle

    try:
        with open(cache, "rb") as fh:
            data = pickle.load(fh)
        cached_key, entries, lines, signatures, special = data
        if cached_key != key or not all(isinstance(d, dict) for d in (entries, lines, signatures, special)):
            return None
    except Exception:  # noqa: BLE001 - whatever is wrong with a cache, parsing again fixes it
        return None
    return _with_csv(_made(path, entries, lines, signatures, special), path.parent)


def _write_cache(cache: Path, data: tuple) -> None:
    """Write the cache atomically (a reader sees the old file or the new one); failures are
    ignored: the cache only saves time."""
    import pickle

    from ..atomic import atomic_binary_file

    try:
        with atomic_binary_file(cache, durable=False) as fh:
            pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        pass


def _toml_error(exc: tomllib.TOMLDecodeError, text: str) -> MetadataError:
    message = str(exc)
    line: int | None = None
    m = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if m:
        line = int(m.group(1))
        message = f"{message[: m.start()]} (column {m.group(2)})"
    elif message.endswith("(at end of document)"):
        line = text.count("\n") + (0 if text.endswith("\n") else 1)
        message = message[: -len("(at end of document)")].rstrip() + " (at the end of the file)"
    twice = re.match(r"Cannot declare \((.*)\) twice", message)
    if twice:
        message = f"a second table for {twice.group(1).rstrip(',')}; each file gets one table"
    return _error(line, message[:1].lower() + message[1:])


_HEADER_LINE = re.compile(r"^\s*\[(?!\[)\s*(?P<key>.*?)\s*\]\s*(?:#.*)?$")
_ARRAY_HEADER_LINE = re.compile(r"^\s*\[\[\s*(?P<key>.*?)\s*\]\]\s*(?:#.*)?$")
_KEY_LINE = re.compile(
    r"""^\s*(?P<key>(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)"""
    r"""(?:\s*\.\s*(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*="""
)
_SIMPLE_KEY = re.compile(r"""^(?:"(?P<basic>[^"\\]*)"|'(?P<literal>[^']*)'|(?P<bare>[A-Za-z0-9_-]+))$""")


def _key_path(key_text: str) -> tuple[str, ...] | None:
    """The key path a TOML key spells: '"a.txt"' -> ('a.txt',), 'a.txt' -> ('a', 'txt')."""
    m = _SIMPLE_KEY.match(key_text)
    if m:
        return (next(g for g in m.groups() if g is not None),)
    import tomllib

    try:
        value: Any = tomllib.loads(f"{key_text} = 0")
    except tomllib.TOMLDecodeError:
        return None
    path: list[str] = []
    while isinstance(value, dict) and len(value) == 1:
        key, value = next(iter(value.items()))
        path.append(key)
    return tuple(path)


def _header(line: str) -> tuple[str, re.Match[str] | None]:
    """("array", match) for ``[[name]]``, ("table", match) for ``[name]``, else no match."""
    for kind, pattern in (("array", _ARRAY_HEADER_LINE), ("table", _HEADER_LINE)):
        m = pattern.match(line)
        if m:
            return kind, m
    return "", None


def _scan_lines(text: str, *, keys: bool) -> Iterator[tuple[int, str, tuple[str, ...]]]:
    """(line number, "table" | "array" | "key", key path) for each header (and key) line.

    A light line scanner, run after tomllib has accepted the file, only to give errors and
    tables their line numbers; it skips the inside of multi-line strings.
    """
    in_string: str | None = None
    for number, line in enumerate(text.split("\n"), 1):
        if in_string:
            if in_string in line:
                in_string = None
            continue
        stripped = line.lstrip()
        if stripped.startswith("["):
            kind, m = _header(line)
            if m:
                path = _key_path(m.group("key"))
                if path:
                    yield number, kind, path
                continue
        m = _KEY_LINE.match(line)
        if m:
            if keys:
                path = _key_path(m.group("key"))
                if path:
                    yield number, "key", path
            for quote in ('"""', "'''"):
                if line.count(quote) % 2 == 1:
                    in_string = quote
                    break


def _find_key_line(text: str, table: tuple[str, ...], key: str) -> int | None:
    """The line where ``key`` is set inside ``table`` (or ``table`` itself, for inline tables)."""
    current: tuple[str, ...] = ()
    inline_line: int | None = None
    for number, kind, path in _scan_lines(text, keys=True):
        if kind != "key":
            current = path
            continue
        full = current + path
        if full[: len(table) + 1] == (*table, key):
            return number
        if full[: len(table)] == table and inline_line is None:
            inline_line = number  # "a.txt" = { outlet = ... } on one line
    return inline_line


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, dt.time):
        return "a time"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _normalise_rel_path(path: str) -> str:
    """'.\\world\\a.txt' and './world//a.txt' -> 'world/a.txt'."""
    path = path.replace("\\", "/")
    path = posixpath.normpath(path)
    return _nfc(path)


def _format_key(path: tuple[str, ...]) -> str:
    return ".".join(path)


def _parse_metadata(text: str) -> tuple[dict[str, dict[str, Any]], dict[str, int], dict[str, Any]]:
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(exc, text) from None
    header_lines: dict[tuple[str, ...], int] = {}
    for number, kind, path in _scan_lines(text, keys=False):
        if kind == "array":
            dotted = _format_key(path)
            raise _error(number, f'[[{dotted}]] is a list of tables; write one table per file: ["{dotted}"]')
        header_lines.setdefault(path, number)

    def table_line(name: str) -> int | None:
        return header_lines.get((name,)) or _find_key_line(text, (), name)

    entries: dict[str, dict[str, Any]] = {}
    lines: dict[str, int] = {}
    special: dict[str, Any] = {"patterns": {}, "outlets": {}, "formats": {}}
    for name, table in data.items():
        if name == OUTLETS_TABLE and isinstance(table, dict):
            for domain, outlet in table.items():
                if not isinstance(outlet, str) or not outlet.strip():
                    raise _error(_find_key_line(text, (name,), domain) or table_line(name),
                                 f"[outlets] maps a domain to an outlet name in quotes: \"{domain}\" = \"Name\"")
                special["outlets"][domain.strip().lower().removeprefix("www.")] = " ".join(outlet.split())
            continue
        if name == FORMATS_TABLE and isinstance(table, dict):
            for suffix, names in table.items():
                if not isinstance(names, dict):
                    raise _error(table_line(name), f"[formats.{suffix}] must be a table of field = \"column\"")
                mapping: dict[str, str] = {}
                for fld, column in names.items():
                    if fld == DATE_FORMAT_KEY:
                        from .infer import check_date_format

                        problem = check_date_format(column) if isinstance(column, str) else "date_format must be in quotes"
                        if problem:
                            raise _error(_find_key_line(text, (name, suffix), fld) or table_line(name),
                                         f"[formats.{suffix}] {problem}")
                        mapping[fld] = column.strip()
                        continue
                    if fld not in FORMAT_FIELDS:
                        raise _error(_find_key_line(text, (name, suffix), fld) or table_line(name),
                                     f"unknown field '{fld}' in [formats.{suffix}] (fields are {', '.join(FORMAT_FIELDS)}, "
                                     f"and {DATE_FORMAT_KEY})")
                    if not isinstance(column, str) or not column.strip():
                        raise _error(_find_key_line(text, (name, suffix), fld) or table_line(name),
                                     f"[formats.{suffix}] {fld} must name a column in quotes")
                    mapping[fld] = column.strip()
                special["formats"][suffix.lower().lstrip(".")] = mapping
            continue
        if isinstance(table, list):
            raise _error(table_line(name), f'[[{name}]] is a list of tables; write one table per file: ["{name}"]')
        if not isinstance(table, dict):
            raise _error(
                table_line(name),
                f"'{name}' is outside any file table; start each file's entry with a line like "
                '["path/to/article.txt"]',
            )
        line = table_line(name)
        if not name.strip():
            raise _error(line, "a table with an empty file path")
        values: dict[str, Any] = {}
        for key, value in table.items():
            if isinstance(value, dict) and key not in METADATA_KEYS:
                raise _nested_table_error(text, header_lines, name, key, line)
            values[key] = _check_value(text, name, key, value)
        if _GLOB_CHARS & set(name):
            special["patterns"][name.replace("\\", "/").removeprefix("./")] = values
            continue
        rel_path = _normalise_rel_path(name)
        if rel_path in entries:
            raise _error(line, f"'{rel_path}' already has a table at line {lines[rel_path]}")
        entries[rel_path] = values
        lines[rel_path] = line or 0
    return entries, lines, special


def _nested_table_error(
    text: str, header_lines: dict[tuple[str, ...], int], name: str, key: str, line: int | None
) -> MetadataError:
    header = next((n for p, n in header_lines.items() if p[:2] == (name, key)), None)
    if header is not None:  # [a.txt] without quotes: the tables "a" > "txt"
        dotted = _format_key((name, key))
        return _error(header, f'[{dotted}] is read as a table inside a table; quote the file path: ["{dotted}"]')
    # "b.txt" = { ... } written below another file's [header] belongs to that table.
    return _error(
        _find_key_line(text, (name,), key) or line,
        f"'{key}' is a table inside the table for '{name}'; one-line entries like "
        f"'\"{key}\" = {{ ... }}' must come before the first [\"...\"] header",
    )


def _check_value(text: str, table: str, key: str, value: Any) -> Any:
    """A table's value, checked and normalised; raises MetadataError at the key's line."""

    def fail(message: str) -> MetadataError:
        return _error(_find_key_line(text, (table,), key), message)

    if key not in METADATA_KEYS:
        import difflib  # only when reporting a mistake

        close = difflib.get_close_matches(key.lower(), METADATA_KEYS, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f" (keys are {', '.join(METADATA_KEYS)})"
        raise fail(f"unknown key '{key}' in the table for '{table}'{hint}")
    if key == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            s = value.strip()
            if not s:
                return None
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
                raise fail(f"date '{value}' is not a date like 2024-04-07")
            try:
                return dt.date.fromisoformat(s)
            except ValueError as exc:
                raise fail(f"invalid date '{value}' ({exc})") from None
        raise fail(f"date must be a date like 2024-04-07, not {_type_name(value)}")
    if not isinstance(value, str):
        raise fail(f"{key} must be a string in quotes, not {_type_name(value)}")
    if key == "lang":
        from .language import normalise_code

        code = normalise_code(value)
        if code is None and value.strip():
            raise fail(f"lang '{value}' is not a language code like ru or de")
        return code
    cleaned = " ".join(value.split())
    return cleaned or None


def check_paths(meta: MetadataFile, known: set[str]) -> list[str]:
    """Warnings, one per entry naming a file that is not in the corpus (a file deleted or
    renamed since the entry was written): never an error, so that one stale line does not
    stop every index run and query. An entry for ``file#key`` is checked by its file."""
    entries = list(meta.entries) + [p for p in meta.csv_entries if p not in meta.entries]
    missing: list[str] = [p for p in entries if p not in known and p.split("#", 1)[0] not in known]
    if not missing:
        return []
    known_nfc = {_nfc(p) for p in known}
    missing = [p for p in missing if p not in known_nfc and _nfc(p.split("#", 1)[0]) not in known_nfc]
    by_case = {p.casefold(): p for p in known_nfc}
    warnings = []
    for path in sorted(missing, key=lambda p: (meta.lines.get(p, 0) < 0, abs(meta.lines.get(p, 0)))):
        near = by_case.get(path.casefold())
        hint = f" (did you mean '{near}'?)" if near else ""
        line = meta.lines.get(path) or 0
        where = (f"{METADATA_CSV_FILENAME}, line {-line}" if line < 0
                 else f"{METADATA_FILENAME}, line {line}" if line else METADATA_FILENAME)
        warnings.append(f"{where}: no file '{path}' in the corpus{hint}; its entry is ignored")
    return warnings
