"""Outlet and date counts over a set of matching documents, from the index's columns.

Whoosh's ``groupedby`` facets score every match to group it; here the outlet and day of
every document are read once per searcher (in one piece per segment) and counted over the
match set that :mod:`searchkit.engine.whoosh.docsets` computed for the total.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from typing import Any

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


def doc_ids_by_number(searcher) -> list[str]:
    """Every document's id by global document number, decoded once per searcher: a page of
    the web application asks for the ids of every match several times (its facets, saved
    searches), and decoding 20,000 ids took 40 ms each time."""
    return per_searcher(searcher, _doc_ids)


def _doc_ids(searcher) -> list[str]:
    from .index import column_list_global

    return column_list_global(searcher.reader(), "doc_id")


class NumberedMatches:
    """A search's matches as the searcher's document numbers (``Results.matched`` on Whoosh,
    a :class:`searchkit.models.MatchSet`): labels are counted with numpy over arrays of each
    document's label by number, made once per searcher and label map, instead of turning
    every match into its id and counting in Python (175 ms for a common word's 100,000
    matches at 200,000 articles)."""

    def __init__(self, searcher, matched: Any, total: int) -> None:
        self._searcher = searcher
        self._matched = matched  # a numpy mask (dense path) or a set of numbers (set path)
        self._total = total

    def __len__(self) -> int:
        return self._total

    def numbers(self) -> Any:
        """The matches' document numbers, ascending, as a numpy array."""
        import numpy as np

        if isinstance(self._matched, (set, frozenset)):
            return np.array(sorted(self._matched), dtype=np.int64)
        return np.flatnonzero(self._matched)

    def ids(self) -> tuple[str, ...]:
        ids = doc_ids_by_number(self._searcher)
        return tuple(map(ids.__getitem__, self.numbers().tolist()))

    def count(self, label_of: Mapping[str, str], default: str | None = None) -> dict[str, int]:
        import numpy as np

        codes, names = _label_codes(self._searcher, label_of, default)
        counts = np.bincount(codes[self.numbers()], minlength=len(names))
        return {str(names[code]): int(counts[code]) for code in np.flatnonzero(counts).tolist() if code}

    def count_each(self, labels_of: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
        import numpy as np

        docs, codes, names = _label_pairs(self._searcher, labels_of)
        matched = np.zeros(self._searcher.doc_count_all(), dtype=bool)
        matched[self.numbers()] = True
        counts = np.bincount(codes[matched[docs]], minlength=len(names))
        return {names[code]: int(counts[code]) for code in np.flatnonzero(counts).tolist()}


#: Label maps whose arrays a searcher keeps (a page counts three).
_LABEL_MAPS_KEPT = 8


def _label_cache(searcher) -> dict[tuple, tuple]:
    return {}


def _cached_labels(searcher, key: tuple, label_map: Mapping, make: Callable[[], tuple]) -> tuple:
    """``make()``'s arrays for ``label_map`` (compared by identity: the library keeps one map
    per index generation), kept per searcher."""
    cache = per_searcher(searcher, _label_cache)
    found = cache.get(key)
    if found is None or found[0] is not label_map:
        if len(cache) >= _LABEL_MAPS_KEPT:
            cache.pop(next(iter(cache)))
        found = cache[key] = (label_map, make())
    return found[1]


def _label_codes(searcher, label_of: Mapping[str, str], default: str | None) -> tuple[Any, list[str | None]]:
    """Each document's label as a code into names, by document number (code 0: none)."""
    def make() -> tuple:
        import numpy as np

        ids = doc_ids_by_number(searcher)
        code_of: dict[str | None, int] = {None: 0}
        get = label_of.get
        codes = np.fromiter((code_of.setdefault(get(doc_id, default), len(code_of)) for doc_id in ids),
                            dtype=np.int32, count=len(ids))
        return codes, list(code_of)

    return _cached_labels(searcher, ("one", id(label_of), default), label_of, make)


def _label_pairs(searcher, labels_of: Mapping[str, tuple[str, ...]]) -> tuple[Any, Any, list[str]]:
    """(document number, label code) of every label of every document, as two arrays."""
    def make() -> tuple:
        import numpy as np

        ids = doc_ids_by_number(searcher)
        code_of: dict[str, int] = {}
        docs: list[int] = []
        codes: list[int] = []
        get = labels_of.get
        for number, doc_id in enumerate(ids):
            labels = get(doc_id)
            if labels:
                for label in labels:
                    docs.append(number)
                    codes.append(code_of.setdefault(label, len(code_of)))
        return np.array(docs, dtype=np.int64), np.array(codes, dtype=np.int64), list(code_of)

    return _cached_labels(searcher, ("each", id(labels_of)), labels_of, make)


#: A Whoosh lookup of a document id costs about 25 times what one id adds to the table of
#: every id (decoding the column and a dict entry: 3 us against 74 us here).
LOOKUP_COST_IN_TABLE_ENTRIES = 25


class _IdNumbers:
    """One searcher's document numbers by id: looked up through Whoosh one by one until
    the searcher has been asked for as many as building the table of every id would cost
    (a one-shot query asks for a few), then from that table (a long-lived process asks for
    a collapsed page's story members on every search)."""

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self.asked = 0
        self.table: dict[str, int] | None = None

    def numbers(self, doc_ids: Iterable[str]) -> dict[str, int]:
        wanted = set(doc_ids)
        self.asked += len(wanted)
        if self.table is None and self.asked * LOOKUP_COST_IN_TABLE_ENTRIES >= self.searcher.doc_count_all():
            self.table = self._every_id()
        if self.table is not None:
            table = self.table
            return {doc_id: table[doc_id] for doc_id in wanted if doc_id in table}
        found = ((doc_id, self.searcher.document_number(doc_id=doc_id)) for doc_id in wanted)
        return {doc_id: number for doc_id, number in found if number is not None}

    def _every_id(self) -> dict[str, int]:
        reader = self.searcher.reader()
        ids = doc_ids_by_number(self.searcher)
        if not reader.has_deletions():
            return {doc_id: number for number, doc_id in enumerate(ids)}
        # A document updated in place keeps its deleted old version's id: the live one wins.
        return {ids[number]: number for number in reader.all_doc_ids()}


def document_numbers(searcher, doc_ids: Iterable[str]) -> dict[str, int]:
    """The document number of each of ``doc_ids`` that the index has (live documents)."""
    return per_searcher(searcher, _IdNumbers).numbers(doc_ids)


class _Column:
    """Document number -> value of one column, through each segment's column reader (a few
    microseconds a document, where reading the stored document decompresses its text; and
    nothing read for the other documents, where :class:`FacetColumns` reads them all)."""

    def __init__(self, searcher, fieldname: str) -> None:
        self.searcher = searcher
        self.fieldname = fieldname
        self.offsets: list[int] = []
        self.columns: list[Any] = []
        for leaf, offset in searcher.reader().leaf_readers():
            self.offsets.append(offset)
            self.columns.append(leaf.column_reader(fieldname) if leaf.has_column(fieldname) else None)

    def __call__(self, number: int) -> Any:
        i = bisect_right(self.offsets, number) - 1
        column = self.columns[i] if i >= 0 else None
        if column is None:
            return self.searcher.stored_fields(number).get(self.fieldname)
        return column[number - self.offsets[i]]


def _columns(searcher) -> dict[str, _Column]:
    return {}


def column_of(searcher, fieldname: str) -> Callable[[int], Any]:
    """A function giving the ``fieldname`` column's value of a document number of
    ``searcher`` (made once per searcher and field)."""
    made = per_searcher(searcher, _columns)
    found = made.get(fieldname)
    if found is None:
        found = made[fieldname] = _Column(searcher, fieldname)
    return found


def doc_id_of(searcher) -> Callable[[int], str]:
    """A function giving the id of a document number of ``searcher``."""
    return column_of(searcher, "doc_id")
