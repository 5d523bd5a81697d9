"""Whoosh's BM25F scores for a whole set of documents at once, from the posting blocks.

Whoosh scores a document by walking a tree of matchers, a dozen Python calls per word and
field per document. For a plain word query whose words all appear in thousands of articles
(on 200,000 articles, most two-word queries) ranking the all-words documents that way cost
more than everything else in the search together. This module computes the same sum in one
sweep per word and field over the blocks :class:`~searchkit.docsets.SearchPostings` has
already read for counting: the same idf, the same quantised field lengths, the same boosts,
the same float32 term weights, so the scores equal Whoosh's (to the last bits of float
rounding) and the order is the same, ties going to the lower document number as in Whoosh.

Only queries whose score is a plain sum of their words and phrases are scored here (a
phrase scores as the sum of its words where the phrase occurs; see :func:`plain_terms`);
anything else goes through Whoosh.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from itertools import repeat
from typing import Any
from array import array

from whoosh import query as wq
from whoosh.util.numeric import byte_to_length

from .docsets import DocSet, SearchPostings
from .queries import GappedPhrase

#: Whoosh's BM25F defaults, which searchkit uses.
B = 0.75
K1 = 1.2

_LENGTH_OF_BYTE = [byte_to_length(b) for b in range(256)]


def plain_terms(q: wq.Query) -> list[wq.Term | GappedPhrase] | None:
    """The terms and phrases of ``q`` if its score is the sum of those present in a matching
    document, else None.

    That holds for ORs of terms and phrases, and for an AND of such ORs at the top (every
    document that matches has a match in each). An AND inside an OR does not qualify: a
    document with some of its words and the OR's other side scores only that other side.
    """
    terms: list[wq.Term | GappedPhrase] = []

    def plain(node: wq.Query) -> bool:
        return node.boost == 1.0 and getattr(node, "scale", None) is None and not getattr(node, "minmatch", 0)

    def or_tree(node: wq.Query) -> bool:
        kind = type(node)
        if kind is wq.Term or kind is GappedPhrase:
            terms.append(node)
            return True
        return kind is wq.Or and plain(node) and all(or_tree(sub) for sub in node.subqueries)

    if type(q) is wq.And and plain(q):
        return terms if all(or_tree(sub) for sub in q.subqueries) else None
    return terms if or_tree(q) else None


def top_scored(searcher, terms: list[wq.Term | GappedPhrase], docs: DocSet, k: int,
               postings: SearchPostings) -> list[tuple[float, int]]:
    """The ``k`` best (score, document number) of ``docs``, best first, scored as Whoosh
    scores the OR of ``terms`` (the AND has the same score where all are present)."""
    if not docs or k <= 0:
        return []
    scores = dict.fromkeys(docs, 0.0)
    weighting = searcher.weighting
    field_b = getattr(weighting, "B", B)
    k1 = getattr(weighting, "K1", K1)
    words: list[tuple[Any, str, GappedPhrase | None]] = [(t, t.text, None) for t in terms if type(t) is wq.Term]
    words += [(p, w, p) for p in terms if type(p) is GappedPhrase for w in p.words]
    norms: dict[str, list[float]] = {}
    for term, text, phrase in words:
        fieldname, boost = term.fieldname, term.boost
        if fieldname not in searcher.schema or (fieldname, searcher.schema[fieldname].to_bytes(text)) not in searcher.reader():
            continue
        idf = searcher.idf(fieldname, text)
        norm = norms.get(fieldname)
        if norm is None:
            avgfl = searcher.avg_field_length(fieldname) or 1
            b = getattr(weighting, "_field_B", {}).get(fieldname, field_b)  # BM25F's per-field B
            # Whoosh's bm25(): idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl))),
            # with the length part looked up per length byte: the same float operations.
            norm = norms[fieldname] = [k1 * ((1 - b) + b * (_LENGTH_OF_BYTE[lbyte] if lbyte else 1) / avgfl)
                                       for lbyte in range(256)]
        k1_plus_1 = k1 + 1
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            lengths = _field_lengths(reader, fieldname) or bytes(reader.doc_count_all())
            # A phrase's words count only where the phrase is.
            where = postings.phrase_docs(reader, phrase) if phrase is not None else None
            for ids, weights, _values in postings.blocks(reader, fieldname, text):
                tfs: Iterable[float] = (repeat(1.0 if weights is None else weights)
                                        if weights is None or isinstance(weights, float) else weights)
                for doc, tf in zip(ids, tfs):
                    global_doc = doc + offset
                    if global_doc not in scores or (where is not None and doc not in where):
                        continue
                    s = idf * ((tf * k1_plus_1) / (tf + norm[lengths[doc]]))
                    scores[global_doc] += s * boost if boost != 1.0 else s
    best = heapq.nsmallest(k, ((-score, doc) for doc, score in scores.items()))
    return [(-neg, doc) for neg, doc in best]


def _field_lengths(reader, fieldname: str):
    """The segment's length bytes of ``fieldname`` by document (Whoosh's lengths column),
    or None if no document has the field."""
    cache = reader.__dict__.setdefault("_searchkit_lengths", {})
    if fieldname not in cache:
        perdoc = reader._perdoc
        column = perdoc._cached_reader(f"_{fieldname}_len", _lengths_column())
        if column is None:
            cache[fieldname] = None
        elif getattr(column, "_fixedlen", None) == 1:
            # One byte per document, stored contiguously; documents past the stored
            # count have the default length byte 0. Read at once: a one-shot query on
            # 20,000 articles spent 80 ms fetching the bytes one call each.
            stored = column._dbfile.get(column._basepos, column._count)
            cache[fieldname] = bytes(stored) + bytes(column._doccount - column._count)
        else:
            cache[fieldname] = array("B", column)
    return cache[fieldname]


def _lengths_column():
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN

    return LENGTHS_COLUMN
