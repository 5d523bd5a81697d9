"""The W4 codec: what it writes reads back the same through every path that reads postings.

An index is built from generated articles; then Whoosh's own merge rewrites its segments
into one (postings read through the codec's matcher and written again), and its own
phrase matcher and highlighter run on the packed records. Each path must give what the
numpy path gives on the index as first written.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

import searchkit
from searchkit.models import SearchOptions


import corpusgen  # noqa: E402

QUERIES = ["boundary", "pressure wing", "heat transfer coefficient", '"boundary layer"', '"shock waves"',
           "turbul*", "wing -pressure", '"flow pressure"~4', "title:flow"]


def _view(results) -> tuple:
    return (results.total, [(h.doc_id, struct.pack("<f", h.score or 0.0), h.snippet, h.highlights) for h in results.hits],
            results.facets)


def _searcher(ix):
    return ix._read(lambda r: r.searcher)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("codec")
    corpus = root / "news"
    corpusgen.generate(corpus, 300, seed=11)
    searchkit.build_index(corpus, root / "index").close()
    for path in sorted(corpus.rglob("*.txt"))[::15]:  # a second segment, with deletions
        path.write_text(path.read_text(encoding="utf-8") + "\nThe boundary layer was revised.\n", encoding="utf-8")
    ix = searchkit.build_index(corpus, root / "index")
    yield ix, root / "index"
    ix.close()


def test_every_segment_is_written_by_the_w4_codec(built) -> None:
    from searchkit.engine.whoosh.codec import W4Codec

    ix, _ = built
    readers = [leaf.reader() for leaf, _ in _searcher(ix).leaf_searchers()]
    assert len(readers) >= 2
    assert all(type(reader._codec) is W4Codec for reader in readers)


def test_a_whoosh_merge_rewrites_packed_postings_that_answer_the_same(built, tmp_path: Path) -> None:
    import json
    import shutil

    from whoosh import index as whoosh_index

    from searchkit.engine.whoosh import dense
    from searchkit.engine.whoosh.codec import W4Codec
    from searchkit.engine.whoosh.search import run_search

    ix, index_dir = built
    options = SearchOptions(facets=True, limit=20)
    searcher = _searcher(ix)
    before = {q: _view(run_search(searcher, q, options, None)) for q in QUERIES}
    assert sum(1 for v in before.values() if v[0]) >= len(QUERIES) - 1  # the queries find things
    copy = tmp_path / "index"
    shutil.copytree(index_dir, copy)
    generation = json.loads((copy / "searchkit.json").read_text())["generation"]
    whoosh_ix = whoosh_index.open_dir(str(copy), indexname=generation)
    whoosh_ix.writer(codec=W4Codec()).commit(optimize=True)  # read through PackedMatcher, written again
    with whoosh_index.open_dir(str(copy), indexname=generation).searcher(weighting=searcher.weighting) as merged:
        readers = [leaf.reader() for leaf, _ in merged.leaf_searchers()]
        assert len(readers) == 1 and not readers[0].has_deletions()
        assert type(readers[0]._codec) is W4Codec
        assert dense.usable(merged)
        after = {q: run_search(merged, q, options, None) for q in QUERIES}
        with dense.disabled():  # the set path on the merged records: the same, scores too
            assert {q: _view(run_search(merged, q, options, None)) for q in QUERIES} == \
                {q: _view(r) for q, r in after.items()}
    # Purging the deleted documents changes idf, so scores and order may move; the matches,
    # their counts and what each hit shows may not.
    for q in QUERIES:
        total, hits, facets = before[q]
        assert after[q].total == total and after[q].facets == facets, q
        shown = {doc_id: (snippet, spans) for doc_id, _score, snippet, spans in hits}
        for hit in after[q].hits:
            if hit.doc_id in shown:
                assert (hit.snippet, hit.highlights) == shown[hit.doc_id], (q, hit.doc_id)


def test_whoosh_own_matchers_read_the_packed_records(built) -> None:
    """Whoosh's phrase matcher and per-posting values (its highlighter's and fallbacks'
    source) agree with the numpy path."""
    from whoosh import query as wq

    from searchkit.engine.whoosh.dense import DenseSearch

    ix, _ = built
    searcher = _searcher(ix)
    phrase = wq.Phrase("body", ["boundari", "layer"])
    whoosh_docs = set(phrase.docs(searcher))
    packed = DenseSearch(searcher)
    from searchkit.engine.whoosh.queries import GappedPhrase

    mask = packed.docs(GappedPhrase("body", ["boundari", "layer"]))
    assert whoosh_docs and whoosh_docs == set(mask.nonzero()[0].tolist())
    # Each posting's value decodes to the occurrences the arrays hold.
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        matcher = reader.postings("body", "layer")
        docnums = []
        while matcher.is_active():
            docnums.append(matcher.id() + offset)
            matcher.next()
        chars = packed.characters("body", "layer", docnums)
        matcher = reader.postings("body", "layer")
        while matcher.is_active():
            assert matcher.value_as("characters") == chars[matcher.id() + offset]
            matcher.next()


def test_a_process_without_numpy_reads_cheap_queries_with_sets(built, monkeypatch: pytest.MonkeyPatch) -> None:
    """Importing numpy costs a one-shot query more than reading a few postings with sets."""
    from searchkit.engine.whoosh import search
    from searchkit.engine.whoosh.compile import parse_query
    from searchkit.engine.whoosh.dense import DenseSearch
    from searchkit.engine.whoosh.setpath import SetSearch

    ix, _ = built
    searcher = _searcher(ix)
    word, phrase, prefix = parse_query("pressure"), parse_query('"boundary layer"'), parse_query("turbul*")
    reader = searcher.reader()
    body_postings = sum(reader.doc_frequency("body", w) for w in ("boundari", "layer"))
    assert body_postings and search._set_path_cost(searcher, [phrase]) >= search.PHRASE_POSTING_COST * body_postings
    assert search._set_path_cost(searcher, [prefix]) is None  # its terms are not known before expanding

    monkeypatch.setattr(search, "DENSE_MIN_DOCS", 0)
    monkeypatch.setattr(search, "SET_PATH_BUDGET", search._set_path_cost(searcher, [phrase]))

    def one_shot(query: object, **kwargs: object) -> type:
        return type(search.match_sets(searcher, query, one_shot=True, numpy_loaded=False, **kwargs))

    assert one_shot(word) is SetSearch
    assert one_shot(phrase) is DenseSearch  # not below the budget
    assert one_shot(prefix) is DenseSearch
    assert type(search.match_sets(searcher, word, one_shot=True, numpy_loaded=True)) is DenseSearch
    # Asked for explicitly, a path is taken whatever the cost and whatever is imported.
    assert one_shot(phrase, path="sets") is SetSearch
    assert one_shot(word, path="numpy") is DenseSearch
    with pytest.raises(searchkit.QueryError, match="path must be one of auto, sets, numpy, not 'fast'"):
        ix.search_with("pressure", SearchOptions(path="fast"))
    monkeypatch.setattr(search, "DENSE_MIN_DOCS", 10**9)  # a small index: sets, whatever the query
    assert one_shot(prefix) is SetSearch
    # A long-lived process does not wait for a costly search: the numpy path from the first
    # search that reads more than LONG_LIVED_SET_BUDGET postings, whatever the index's size.
    monkeypatch.setattr(search, "LONG_LIVED_SET_BUDGET", search._set_path_cost(searcher, [word]) + 1)
    assert type(search.match_sets(searcher, word, numpy_loaded=False)) is SetSearch
    assert type(search.match_sets(searcher, phrase, numpy_loaded=False)) is DenseSearch
    assert type(search.match_sets(searcher, prefix, numpy_loaded=False)) is DenseSearch  # cost unknown


@pytest.mark.parametrize("kind", ["characters", "positions", "frequency", "existence"])
def test_a_record_of_whoosh_own_formats_reads_back_what_was_written(kind: str) -> None:
    """Fields of Whoosh's own formats (not searchkit's packed ones) are packed and read too."""
    from array import array

    from whoosh import formats

    from searchkit.engine.whoosh.codec import PackedMatcher, PackedRecord, encode_record

    fmt = {"characters": formats.Characters(), "positions": formats.Positions(),
           "frequency": formats.Frequency(), "existence": formats.Existence()}[kind]
    occurrences = {3: [(0, 0, 5), (7, 40, 46)], 9: [(2, 11, 70000 + 11)], 70000: [(1, 4, 9)]}
    ids = array("I", sorted(occurrences))
    if kind == "characters":
        values = [fmt.encode(occurrences[d]) for d in ids]
    elif kind == "positions":
        values = [fmt.encode([p for p, _, _ in occurrences[d]]) for d in ids]
    else:
        from whoosh.system import pack_uint  # what Frequency.word_values writes

        values = [pack_uint(len(occurrences[d])) if kind == "frequency" else b"" for d in ids]
    weights = array("f", [float(len(occurrences[d])) for d in ids])
    matcher = PackedMatcher(PackedRecord(encode_record(fmt, ids, weights, values)), fmt)
    seen = []
    while matcher.is_active():
        seen.append((matcher.id(), matcher.weight(), matcher.value()))
        matcher.next()
    assert [(d, w) for d, w, _ in seen] == list(zip(ids, weights))
    if kind in ("characters", "positions"):
        astype = "characters" if kind == "characters" else "positions"
        assert [fmt.decode_as(astype, v) for *_, v in seen] == [fmt.decode_as(astype, v) for v in values]
    elif kind == "frequency":
        assert [fmt.decode_as("frequency", v) for *_, v in seen] == [len(occurrences[d]) for d in ids]


@pytest.mark.parametrize("kind", ["characters", "frequency"])
def test_a_record_read_from_its_file_section_by_section_is_the_record(tmp_path, kind: str) -> None:
    """A long-lived reader reads records with ``pread``, a large one section by section and
    only the spans it needs (codec.PostingsFile): the same values as the whole record, and
    a file cut short is an EOFError, never a read of what is not there."""
    from array import array
    from random import Random

    import numpy as np
    from whoosh import formats

    from searchkit.engine.whoosh.codec import PackedRecord, PostingsFile, SectionedRecord, encode_record

    rng = Random(7)
    fmt = formats.Characters() if kind == "characters" else formats.Frequency()
    ids = array("I", sorted(rng.sample(range(200_000), 3000)))
    if kind == "characters":
        values = []
        for _ in ids:
            at, spans = 0, []
            for position in sorted(rng.sample(range(400), rng.randint(1, 6))):
                at += rng.randint(1, 30)
                spans.append((position, at, at + rng.randint(1, 12)))
            values.append(fmt.encode(spans))
    else:
        from whoosh.system import pack_uint

        values = [pack_uint(rng.randint(1, 9)) for _ in ids]
    data = encode_record(fmt, ids, array("f", [rng.random() * 5 for _ in ids]), values)
    path = tmp_path / "postings"
    path.write_bytes(b"\0" * 12 + data)

    class Info:  # a term info's extent, as W3 keeps it
        def extent(self):
            return 12, (len(data),)

    whole = PackedRecord(data)
    with open(path, "rb") as fh:
        file = PostingsFile(fh.fileno())
    record = file.record(Info())
    assert isinstance(record, SectionedRecord) and len(data) > PostingsFile.WHOLE_RECORD
    assert set(record.sections) == set(whole.sections)
    for name in whole.sections:
        if name == "value_bytes":
            continue
        # spans: a page's few documents, far apart, close together; every other; all of them
        total = whole.sections[name][2]
        for flat in (np.array([0]), np.array([5, 6, 7, total // 2, total - 1]), np.arange(0, total, 977),
                     np.arange(100, 140), np.arange(0, total, 2), np.arange(total)):
            fresh = file.record(Info())
            assert np.array_equal(fresh.take(name, flat), whole.numpy(name)[flat]), (name, flat[:8])
        assert np.array_equal(record.numpy(name), whole.numpy(name))
        assert record.python(name) == whole.python(name)
    cut = file.record(Info())
    path.write_bytes(path.read_bytes()[: 12 + len(data) // 2])
    with pytest.raises(EOFError):
        for name in whole.sections:
            cut.numpy(name)
