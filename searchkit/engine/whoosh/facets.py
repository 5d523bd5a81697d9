"""Outlet and date counts over a set of matching documents, from the index's columns.

Whoosh's ``groupedby`` facets score every match to group it; here the outlet and day of
every document are read once per searcher (in one piece per segment) and counted over the
match set that :mod:`searchkit.engine.whoosh.docsets` computed for the total.
"""

from __future__ import annotations


from .docsets import DocSet
from .index import column_list
from .internals import per_searcher


class FacetColumns:
    """Outlet, day and language of every document of one searcher, by global document number
    (an outlet or language is "" where the document has none, None in a segment written
    without the column)."""

    def __init__(self, searcher) -> None:
        size = searcher.doc_count_all()
        self.outlet: list[str] = [""] * size
        self.day: list[int] = [0] * size
        self.lang: list[str] = [""] * size
        for leaf, offset in searcher.reader().leaf_readers():
            count = leaf.doc_count_all()
            if not count:
                continue
            self.outlet[offset : offset + count] = column_list(leaf, "outlet")
            self.day[offset : offset + count] = column_list(leaf, "day")
            self.lang[offset : offset + count] = column_list(leaf, "lang")


def facet_columns(searcher) -> FacetColumns:
    """The searcher's outlet and day columns, read once per searcher."""
    return per_searcher(searcher, FacetColumns)


def facet_counts(searcher, docs: DocSet) -> tuple[dict[str, int], dict[int, int], dict[str, int]]:
    """How many of ``docs`` each outlet, each day (YYYYMMDD, 0 for undated) and each language
    ("" for unknown) has."""
    columns = facet_columns(searcher)
    outlet, day, lang = columns.outlet, columns.day, columns.lang
    by_outlet: dict[str, int] = {}
    by_day: dict[int, int] = {}
    by_lang: dict[str, int] = {}
    for doc in docs:
        name = outlet[doc]
        by_outlet[name] = by_outlet.get(name, 0) + 1
        d = day[doc]
        by_day[d] = by_day.get(d, 0) + 1
        code = lang[doc] or ""
        by_lang[code] = by_lang.get(code, 0) + 1
    return by_outlet, by_day, by_lang
