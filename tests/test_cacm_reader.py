"""The CACM reader used by benchmarks/relevance.py, on the real files in the repo."""

from __future__ import annotations

from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

import cacm  # noqa: E402

DATA = BENCHMARKS / "data" / "cacm"


def test_counts_match_the_collection() -> None:
    collection = cacm.load(DATA)
    assert [d.doc_id for d in collection.docs] == [str(n) for n in range(1, 3205)]
    assert [q.query_id for q in collection.queries] == [str(n) for n in range(1, 65)]  # the empty ".I 0" is left out
    assert len(collection.judgements) == 796
    judged = {j.query_id for j in collection.judgements}
    assert len(judged) == 52 and judged <= {q.query_id for q in collection.queries}
    doc_ids = {d.doc_id for d in collection.docs}
    assert all(j.doc_id in doc_ids for j in collection.judgements)


def test_a_record_is_indexed_as_title_then_its_sections_without_bookkeeping() -> None:
    first = cacm.read_documents(DATA / "cacm.all")[0]
    assert first.title == "Preliminary Report-International Algebraic Language"
    text = first.text()
    assert text.startswith(first.title + "\n\n")
    assert "Perlis, A. J.; Samelson,K." in text and "CACM December, 1958" in text
    assert "CA581203" not in text  # the .N line
    assert "\t" not in text  # the .X citation triples
    query = {q.query_id: q.text for q in cacm.read_queries(DATA / "query.text")}
    assert query["2"] == "I am interested in articles written either by Prieve or Udo Pooch"
