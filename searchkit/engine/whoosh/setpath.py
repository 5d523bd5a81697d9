"""The set path: match sets as Python sets (docsets.py), BM25F in bulk (bulkscore.py) and
facets (facets.py), behind the interface :class:`~searchkit.engine.whoosh.dense.DenseSearch`
offers on numpy masks. Segments without packed postings, and ``dense.disabled()``, use it.
"""

from __future__ import annotations

from whoosh import query as wq

from .bulkscore import top_scored
from .docsets import DocSet, SearchPostings, matching_docs
from .facets import facet_counts


class SetSearch:
    """The set path behind the interface :class:`~searchkit.engine.whoosh.dense.DenseSearch`
    offers on masks: match sets, their operations, ranking and facets, for one search."""

    reads_any_word = False
    path = "sets"

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self.postings = SearchPostings()

    def docs(self, query: wq.Query, within=None) -> DocSet:
        found = matching_docs(self.searcher, query, self.postings)
        return found if within is None else found & set(within)

    def count(self, docs: DocSet) -> int:
        return len(docs)

    def both(self, a: DocSet, b: DocSet) -> DocSet:
        return a & b

    def without(self, a: DocSet, b: DocSet) -> DocSet:
        return a - b

    def discard(self, docs: DocSet, docnum: int) -> DocSet:
        return docs - {docnum}

    def as_set(self, docs: DocSet) -> DocSet:
        return docs

    def numbers(self, docs: DocSet) -> list[int]:
        return sorted(docs)

    def every(self) -> DocSet:
        return set(self.searcher.reader().all_doc_ids())

    def rank_query(self, q: wq.Query) -> wq.Query:
        return self.postings.rank_query(q)

    def top(self, terms: list, docs: DocSet, k: int) -> list[tuple[float, int]]:
        return top_scored(self.searcher, terms, docs, k, self.postings)

    def facets(self, docs: DocSet) -> tuple[dict[str, int], dict[int, int], dict[str, int]]:
        return facet_counts(self.searcher, docs)
