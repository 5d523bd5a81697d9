"""Whoosh's BM25F scores for a whole set of documents at once, from the posting blocks.

Whoosh scores a document by walking a tree of matchers, a dozen Python calls per word and
field per document. For a plain word query whose words all appear in thousands of articles
(on 200,000 articles, most two-word queries) ranking the all-words documents that way cost
more than everything else in the search together. This module computes the same sum in one
sweep per word and field over the blocks :class:`~searchkit.engine.whoosh.docsets.SearchPostings` has
already read for counting: the same idf, the same quantised field lengths, the same boosts,
the same float32 term weights, so the scores equal Whoosh's (to the last bits of float
rounding) and the order is the same, ties going to the lower document number as in Whoosh.

Only queries whose score is a plain sum of their words and phrases are scored here (a
phrase scores as the sum of its words where the phrase occurs; see :func:`plain_terms`);
anything else goes through Whoosh.
"""

from __future__ import annotations

import functools
import heapq
from collections.abc import Callable, Iterable, Iterator
from itertools import repeat
from typing import Any

from whoosh import query as wq
from whoosh.util.numeric import byte_to_length

from . import internals
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


def bm25_words(searcher, terms: list[wq.Term | GappedPhrase],
               lookup: Callable[[str, str], Any]) -> Iterator[tuple[str, str, float, GappedPhrase | None, float, tuple, Any]]:
    """What BM25F needs for each word of ``terms`` (a phrase's words each, after the plain
    words) that is in the schema and for which ``lookup(fieldname, text)`` finds something:
    (fieldname, text, boost, phrase or None, idf, (k1, b, avgfl) of its field, what lookup found).

    Whoosh's bm25() is ``idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))``;
    both scorers (here and :meth:`DenseSearch.top <searchkit.engine.whoosh.dense.DenseSearch.top>`)
    take the length part from :func:`length_norms` of those parameters.
    """
    weighting = searcher.weighting
    default_b = getattr(weighting, "B", B)
    k1 = getattr(weighting, "K1", K1)
    words: list[tuple[Any, str, GappedPhrase | None]] = [(t, t.text, None) for t in terms if type(t) is wq.Term]
    words += [(p, w, p) for p in terms if type(p) is GappedPhrase for w in p.words]
    params: dict[str, tuple[float, float, float]] = {}
    for term, text, phrase in words:
        fieldname = term.fieldname
        if fieldname not in searcher.schema:
            continue
        found = lookup(fieldname, text)
        if not found:
            continue
        idf = searcher.idf(fieldname, text)
        field_params = params.get(fieldname)
        if field_params is None:
            avgfl = searcher.avg_field_length(fieldname) or 1
            field_params = params[fieldname] = (k1, internals.field_b(weighting, fieldname, default_b), avgfl)
        yield fieldname, text, term.boost, phrase, idf, field_params, found


@functools.lru_cache(maxsize=256)
def length_norms(k1: float, b: float, avgfl: float) -> tuple[float, ...]:
    """BM25's length part by length byte, as Whoosh's bm25() computes it per document:
    ``k1 * ((1 - b) + b * length / avgfl)``: the same float operations."""
    return tuple(k1 * ((1 - b) + b * (_LENGTH_OF_BYTE[lbyte] if lbyte else 1) / avgfl) for lbyte in range(256))


def top_scored(searcher, terms: list[wq.Term | GappedPhrase], docs: DocSet, k: int,
               postings: SearchPostings) -> list[tuple[float, int]]:
    """The ``k`` best (score, document number) of ``docs``, best first, scored as Whoosh
    scores the OR of ``terms`` (the AND has the same score where all are present)."""
    if not docs or k <= 0:
        return []
    scores = dict.fromkeys(docs, 0.0)
    whole = searcher.reader()
    schema = searcher.schema

    def present(fieldname: str, text: str) -> bool:
        return (fieldname, schema[fieldname].to_bytes(text)) in whole

    for fieldname, text, boost, phrase, idf, params, _ in bm25_words(searcher, terms, present):
        norm = length_norms(*params)
        k1_plus_1 = params[0] + 1
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            lengths = internals.field_length_bytes(reader, fieldname) or bytes(reader.doc_count_all())
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
