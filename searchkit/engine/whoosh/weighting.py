"""The BM25F weighting searches use: Whoosh's, with a choice of idf.

Whoosh's own idf, ``ln(N / (n + 1)) + 1``, is flat: a word in half the documents still weighs
a third of the rarest word, so the common words of a long question ("articles", "describing",
"find") decide more of the order than they should. ``idf="bm25"`` is Robertson and Sparck
Jones's ``ln(1 + (N - n + 0.5) / (n + 0.5))`` (Lucene's and bm25s's). Which one is the
default is decided by ``benchmarks/relevance.py`` (see docs/architecture.md, Ranking).
"""

from __future__ import annotations

from math import log

from whoosh.scoring import BM25F

from ...models import IDF_KINDS, Ranking

IDFS = IDF_KINDS


class RankingBM25F(BM25F):
    """BM25F with the idf ``idf`` (one of IDF_KINDS, by default the ranking's); scores
    otherwise Whoosh's."""

    def __init__(self, B: float = 0.75, K1: float = 1.2, idf: str = Ranking.idf) -> None:
        if idf not in IDFS:
            raise ValueError("idf must be one of %s" % ", ".join(IDFS))
        super().__init__(B=B, K1=K1)
        self.idf_kind = idf

    def idf(self, searcher, fieldname, text):
        if self.idf_kind == "whoosh":
            return super().idf(searcher, fieldname, text)
        parent = searcher.get_parent()
        n = parent.doc_frequency(fieldname, text)
        dc = parent.doc_count_all()
        return log(1.0 + (dc - n + 0.5) / (n + 0.5))
