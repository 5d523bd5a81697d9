"""Plain text and Markdown articles (``.txt``, ``.md``): one document per file.

Markdown front matter (a ``---`` block of ``key: value`` lines at the top, as static-site
generators write it) gives the title, date, outlet, URL and author, marked ``properties``;
it is not indexed as body text.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..article import Article, DateHint, Hint
from ..decode import UnusableFile, decode
from . import Source


def read(source: Source) -> Iterator[Article]:
    text, encoding = decode(source.data)
    if not text.strip():
        raise UnusableFile("empty")
    article = Article(text=text, encoding=encoding)
    if text.startswith("---"):
        article = _without_front_matter(article)
    yield article


def _without_front_matter(article: Article) -> Article:
    from .. import infer

    lines = article.text.split("\n", 80)
    stripped = [line.strip() for line in lines[:80]]
    values, body_start = infer._front_matter(stripped)
    if not values:
        return article
    body = "\n".join(lines[body_start:]) if body_start < len(lines) else ""
    if len(lines) > 80 and body_start >= 80:
        return article
    body = body.lstrip("\n")
    if not body.strip():
        raise UnusableFile("empty (front matter only)")

    def hint(keys: tuple[str, ...]) -> Hint | None:
        value = infer._first_value(values, keys)
        return Hint(" ".join(value.split()), "properties") if value else None

    date_value = infer._first_value(values, infer._FM_DATE_KEYS)
    date = infer.parse_date_value(date_value) if date_value else None
    outlet = hint(infer._FM_OUTLET_KEYS)
    if outlet is not None:
        name = infer.stated_outlet_name(outlet.value)
        outlet = Hint(name, "properties") if name else None
    from dataclasses import replace

    return replace(
        article,
        text=body,
        title=hint(infer._FM_TITLE_KEYS),
        outlet=outlet,
        date=DateHint(date, "properties") if date else None,
        url=hint(infer._FM_URL_KEYS),
        author=hint(("author", "byline", "authors")),
        lang=_front_matter_language(infer._first_value(values, ("lang", "language"))),
    )


def _front_matter_language(value: str | None) -> Hint | None:
    from ..language import normalise_code

    code = normalise_code(value)
    return Hint(code, "properties") if code else None
