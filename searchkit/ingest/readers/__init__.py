"""One reader per file format, chosen by the file name's suffix (longest suffix first).

A reader is a module of this package with a function ``read(source: Source) ->
Iterator[Article | RecordSkipped]``. It raises :class:`~searchkit.ingest.decode.UnusableFile`
when the whole file cannot be used (the message is the reason the user sees) and yields a
:class:`~searchkit.ingest.article.RecordSkipped` for one bad record of a many-record file.
Modules are imported only when a file of their kind is read, so a query never pays for the
libraries behind them (trafilatura, pypdfium2, ...).

To add a format: write ``readers/NAME.py`` and list its suffixes in :data:`READERS`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from ..article import Article, RecordSkipped

#: Lower-cased file suffix -> the module of this package that reads it.
READERS: dict[str, str] = {
    ".txt": "text",
    ".md": "text",
    ".markdown": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".mhtml": "mhtml",
    ".mht": "mhtml",
    ".pdf": "pdf",
    ".docx": "office",
    ".odt": "office",
    ".eml": "mail",
    ".mbox": "mbox",
    ".jsonl": "records",
    ".ndjson": "records",
    ".json": "records",
    ".csv": "records",
    ".tsv": "records",
    ".warc": "warc",
    ".warc.gz": "warc",
}

ReadFunction = Callable[["Source"], Iterator["Article | RecordSkipped"]]
_MAX_SUFFIX_DOTS = 2  # ".warc.gz"


@dataclass(frozen=True, slots=True)
class Source:
    """The bytes of one file (or of a file inside a file, such as an e-mail attachment).

    ``name`` is the file's own name (its suffix chose the reader); ``rel_path`` is where it is
    in the corpus, for messages.
    """

    rel_path: str
    name: str
    data: bytes
    #: Field names a data export uses, from metadata.toml's ``[formats.csv]`` (``text =
    #: "article_text"``): field -> column.
    fields: Mapping[str, str] = field(default_factory=dict)


def suffix_of(name: str) -> str:
    """The lower-cased suffix that selects a reader (".warc.gz" before ".gz"), or the last
    suffix when no reader takes the name, or "" when it has none."""
    lowered = name.lower()
    parts = lowered.split(".")
    if len(parts) < 2 or not parts[0] and len(parts) == 2:
        return ""
    for dots in range(min(_MAX_SUFFIX_DOTS, len(parts) - 1), 0, -1):
        suffix = "." + ".".join(parts[-dots:])
        if suffix in READERS:
            return suffix
    return "." + parts[-1] if parts[-1] else ""


def is_readable_name(name: str) -> bool:
    """True when some reader takes files of this name."""
    return suffix_of(name) in READERS


def reader_for(name: str) -> ReadFunction | None:
    """The ``read`` function for a file of this name, or None if no reader takes it."""
    module = READERS.get(suffix_of(name))
    if module is None:
        return None
    read: ReadFunction = importlib.import_module(f"{__name__}.{module}").read
    return read


def read_source(source: Source) -> Iterator[Article | RecordSkipped]:
    """Read ``source`` with the reader its name selects (nothing when none does)."""
    read = reader_for(source.name)
    if read is not None:
        yield from read(source)
