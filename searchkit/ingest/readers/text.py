"""Plain text and Markdown articles (``.txt``, ``.md``): one document per file."""

from __future__ import annotations

from collections.abc import Iterator

from ..article import Article
from ..decode import UnusableFile, decode
from . import Source


def read(source: Source) -> Iterator[Article]:
    text, encoding = decode(source.data)
    if not text.strip():
        raise UnusableFile("empty")
    yield Article(text=text, encoding=encoding)
