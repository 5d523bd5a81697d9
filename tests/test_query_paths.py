"""Two query paths give the same results on the same index (issue 13, packed postings).

``searchkit.engine.whoosh.dense`` answers queries from packed posting arrays (the
``numpy`` path); the ``sets`` path (sets of document numbers and Whoosh's matchers) is
the reference. Both must give the same totals, the same hits in the same order with the
same scores (as float32), facets, snippets and highlights, on a real index built in three
runs (a full build, then two incremental runs adding, editing and deleting files): several
segments, deleted documents, the layout users' indexes have.

The path is asked for as users ask (``SearchOptions(path=...)``, ``Index.similar(path=...)``)
and the search must say it took it (``Results.explain.path``); some queries take the set
path inside ``dense.disabled()`` instead, the switch the benchmarks use. Below the searches,
both match-set algebras run through the one walk over the query tree on every query kind.
"""

from __future__ import annotations

import signal
import struct
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from searchkit.models import Results, SearchOptions

from . import querycorpus
from .querycorpus import Case

from searchkit.engine.whoosh import dense

disabled = dense.disabled

N_ARTICLES = 300
SEED = 1
N_QUERIES = 250


@pytest.fixture(scope="module")
def built(multi_segment_index):
    """The generated corpus indexed in three runs (the session's shared index, conftest.py);
    the index has several segments and deleted documents (asserted here, so that the
    comparison never runs on less)."""
    shared = multi_segment_index
    assert (shared.articles, shared.seed) == (N_ARTICLES, SEED)
    ix, corpus = shared.index, shared.corpus
    first, second, third = shared.summaries
    before = {a.rel_path: a for a in querycorpus.stage_files(N_ARTICLES, SEED, 1)}
    after = {a.rel_path: a for a in querycorpus.stage_files(N_ARTICLES, SEED, 2)}
    changed = sum(1 for path, a in after.items() if before[path] != a)
    assert (first.rebuilt, first.added, first.skipped) == (True, N_ARTICLES, ()), first
    assert (second.rebuilt, second.added, second.updated, second.removed) == (False, N_ARTICLES // 5, 0, 0), second
    assert (third.rebuilt, third.added, third.updated, third.removed) == (False, 0, changed, len(before) - len(after)), third
    segments = ix._read(lambda reader: [(leaf.doc_count_all(), leaf.doc_count())
                                        for leaf, _ in reader.searcher.reader().leaf_readers()])
    assert len(segments) >= 3, segments
    assert sum(all_docs - live for all_docs, live in segments) >= third.updated + third.removed, segments
    assert sum(live for _, live in segments) == third.documents
    return ix, corpus


#: Seconds one query may take before it counts as hung (a query takes well under one).
QUERY_SECONDS = 15


class _Hung(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Hung(f"no answer within {QUERY_SECONDS} s")


def _run(ix: Any, case: Case, path: str = "auto") -> dict[str, Any] | str:
    """What a user sees of one query's results on the query path ``path``, or the error it
    raised (a query that runs on and on is stopped and counts as an error, so that the
    others are still compared). The path the search says it took must be the one asked."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, QUERY_SECONDS)
    try:
        if case.kind == "similar":
            results = ix.similar(case.text, **case.options, path=path, explain=True)
        else:
            results = ix.search_with(case.text, SearchOptions(**case.options, path=path, explain=True))
    except Exception as exc:  # noqa: BLE001 - an error on one side only is a difference
        return f"{type(exc).__name__}: {exc}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if path != "auto" and (results.explain is None or results.explain.path != path):
        return f"asked for the {path} path, took {results.explain.path if results.explain else None}"
    return _view(results)


def _f32(score: float | None) -> bytes | None:
    return None if score is None else struct.pack("<f", score)


def _view(results: Results) -> dict[str, Any]:
    facets = results.facets
    return {
        "total": results.total,
        "doc ids": [hit.doc_id for hit in results.hits],
        "scores (float32)": [_f32(hit.score) for hit in results.hits],
        "facets": None if facets is None else {
            "outlets": list(facets.outlets.items()), "dates": list(facets.dates.items()),
            "no_outlet": facets.no_outlet, "no_date": facets.no_date},
        "hits": [{
            "rank": hit.rank, "title": hit.title, "outlet": hit.outlet, "date": hit.date, "url": hit.url,
            "path": hit.path, "page": hit.page, "story": hit.story, "versions": hit.versions,
            "snippet": hit.snippet, "highlights": hit.highlights, "passages": hit.passages,
        } for hit in results.hits],
        "suggestion": results.suggestion,
        "expansion": results.expansion,
        "ignored": results.ignored,
        "notices": results.notices,
        "collapsed": results.collapsed,
        "rows": results.rows,
        "page": results.page,
        "limit": results.limit,
        "_scores": [hit.score for hit in results.hits],  # shown in messages, not compared
    }


def _short(value: Any, width: int = 160) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def _differences(old: dict[str, Any] | str, new: dict[str, Any] | str) -> list[str]:
    """What differs between the old and the new results of one query, one phrase each."""
    if isinstance(old, str) or isinstance(new, str):
        def said(side: dict[str, Any] | str) -> str:
            return f"raised {side}" if isinstance(side, str) else f"gave {side['total']} matches"
        return [] if old == new else [f"old {said(old)}, new {said(new)}"]
    out = []
    for key in old:
        if key.startswith("_") or key == "hits" or old[key] == new[key]:
            continue
        if key == "scores (float32)":
            for i, (a, b) in enumerate(zip(old[key], new[key])):
                if a != b:
                    out.append(f"hit {i + 1} ({old['doc ids'][i]}) score {old['_scores'][i]!r} != "
                               f"{new['_scores'][i]!r} as float32")
            continue
        if key == "doc ids":
            a, b = old[key], new[key]
            at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            sizes = f" ({len(a)} hits != {len(b)})" if len(a) != len(b) else ""
            out.append(f"doc ids differ from hit {at + 1}: {_short(a[at : at + 4])} != {_short(b[at : at + 4])}{sizes}")
        elif key == "facets" and old[key] is not None and new[key] is not None:
            for part in old[key]:
                a, b = old[key][part], new[key][part]
                if a == b:
                    continue
                if isinstance(a, list):
                    da, db = dict(a), dict(b)
                    keys = [k for k in sorted(set(da) | set(db)) if da.get(k) != db.get(k)]
                    counts = ", ".join(f"{k!r} {da.get(k)} != {db.get(k)}" for k in keys[:5]) or "order"
                    out.append(f"facets {part}: {counts}")
                else:
                    out.append(f"facets {part}: {a!r} != {b!r}")
        else:
            out.append(f"{key}: {_short(old[key])} != {_short(new[key])}")
    if old["doc ids"] == new["doc ids"]:
        for i, (a, b) in enumerate(zip(old["hits"], new["hits"])):
            for field in a:
                if a[field] != b[field]:
                    out.append(f"hit {i + 1} ({old['doc ids'][i]}) {field}: {_short(a[field])} != {_short(b[field])}")
    return out


def _cases(corpus: Path) -> list[Case]:
    return querycorpus.queries(corpus, N_QUERIES, seed=SEED) + querycorpus.similar_cases(corpus, 8, seed=SEED)


def test_the_query_paths_give_the_same_results(built) -> None:
    ix, corpus = built
    assert ix._read(lambda r: dense.usable(r.searcher))  # every segment has packed postings
    with disabled():
        assert not ix._read(lambda r: dense.usable(r.searcher))
    cases = _cases(corpus)
    mismatches = []
    olds = []
    for k, case in enumerate(cases):
        # Either order, half the time each: one path must not change what the other sees.
        # Every fourth query takes the set path by dense.disabled() rather than by asking.
        if k % 4 == 3:
            with disabled():
                old = _run(ix, case)
            new = _run(ix, case, "numpy")
        elif k % 2 == 0:
            old = _run(ix, case, "sets")
            new = _run(ix, case, "numpy")
        else:
            new = _run(ix, case, "numpy")
            old = _run(ix, case, "sets")
        olds.append(old)
        found = _differences(old, new)
        if found:
            shown = found[:6] + ([f"... and {len(found) - 6} more"] if len(found) > 6 else [])
            mismatches.append(f"#{k} {case.describe()}:\n      " + "\n      ".join(shown))
    which = "old = path sets (or inside dense.disabled()), new = path numpy"
    assert not mismatches, (f"{len(mismatches)} of {len(cases)} queries differ ({which}):\n  "
                            + "\n  ".join(mismatches))

    # The queries must exercise what they are meant to: a comparison of empty pages proves nothing.
    errors = [(case.describe(), old) for case, old in zip(cases, olds) if isinstance(old, str)]
    assert not errors, errors
    views = [old for old in olds if not isinstance(old, str)]
    found_by_kind = Counter(case.kind for case, old in zip(cases, olds) if not isinstance(old, str) and old["doc ids"])
    assert set(found_by_kind) == {case.kind for case in cases}, f"kinds that never found anything: " \
        f"{sorted({case.kind for case in cases} - set(found_by_kind))}"
    assert sum(1 for v in views if v["total"]) >= 0.8 * len(cases)
    assert sum(1 for v in views if v["doc ids"]) >= 0.6 * len(cases)
    assert any(v["page"] >= 2 and v["doc ids"] for v in views)
    assert any(v["facets"] and v["facets"]["outlets"] and v["facets"]["dates"] for v in views)
    assert any(v["collapsed"] for v in views), "no query folded a story's articles"
    assert any(h["versions"] for v in views for h in v["hits"])
    assert any(h["highlights"] for v in views for h in v["hits"])
    assert any(s is not None for v in views for s in v["_scores"])


def _walk_both(searcher: Any, query: Any) -> list[str]:
    """The one walk (querywalk.segment_matches) run with each algebra on every segment, over
    all its documents and over some of them: where the numpy masks and the reference sets
    disagree, one line each."""
    import numpy as np

    from searchkit.engine.whoosh.docsets import SearchPostings, SetAlgebra
    from searchkit.engine.whoosh.querywalk import segment_matches

    dense_search = dense.DenseSearch(searcher)
    postings = SearchPostings()
    out = []
    for leaf, reader, _offset, size in dense_search.leaves:
        reference = segment_matches(SetAlgebra(leaf, reader, postings), query)
        mask = segment_matches(dense.MaskAlgebra(dense_search, leaf, reader, dense._Segment(size)), query)
        if set(np.flatnonzero(mask).tolist()) != reference:
            out.append(f"{query!r}: segment of {size}: masks {int(mask.sum())} documents, sets {len(reference)}")
        some = np.arange(0, size, 3, dtype=np.int64)
        among = segment_matches(dense.MaskAlgebra(dense_search, leaf, reader, dense._Among(some)), query)
        if set(some[among].tolist()) != {d for d in reference if d % 3 == 0}:
            out.append(f"{query!r}: segment of {size}: every third document differs")
    return out


def test_the_two_match_algebras_agree_on_every_query_kind(built) -> None:
    """The set algebra is the reference the mask algebra is tested against, through the one
    walk both share, on every query kind it knows (and one it leaves to Whoosh), and on the
    compiled queries of the generated cases."""
    from whoosh import query as wq

    from searchkit.engine.whoosh import querywalk
    from searchkit.engine.whoosh.compile import parse_query
    from searchkit.engine.whoosh.queries import ConstantScore, day_range

    ix, corpus = built
    cases = [c for c in querycorpus.queries(corpus, 120, seed=SEED + 1) if c.kind not in ("every", "similar")]

    def made(searcher: Any) -> list[Any]:
        common = [t.decode() for _, t in searcher.reader().most_frequent_terms("body", 3)]
        body = [wq.Term("body", w) for w in common]
        near = common[1][:-1] + ("a" if common[1][-1] != "a" else "e")  # one edit away
        return [
            wq.Or(body), wq.And(body[:2]), wq.DisjunctionMax(body), wq.AndMaybe(body[0], body[1]),
            wq.AndNot(body[0], body[1]), wq.Require(body[1], body[2]), wq.Not(body[0]),
            ConstantScore(body[1], 2.0), wq.ConstantScoreQuery(body[2]), day_range(20230601, 20240301),
            wq.Prefix("body", common[0][:3]), wq.Wildcard("body", common[2][0] + "*" + common[2][-1]),
            wq.FuzzyTerm("body", near, maxdist=1), wq.TermRange("body", "sa", "sc"), wq.Every(), wq.NullQuery,
            wq.Term("body", "zzzznotaword"), wq.Phrase("body", common[:2]),  # not a GappedPhrase: Whoosh's
            wq.And([body[0], wq.Term("body", "zzzznotaword"), body[1]]),
        ]

    seen: set[str] = set()

    def compare(searcher: Any) -> list[str]:
        out = []
        queries = made(searcher) + [parse_query(case.text, plain=bool(case.options.get("plain"))) for case in cases]
        for query in queries:
            out += _walk_both(searcher, query)
            seen.update(type(q).__name__ for q in querywalk.leaves(query))
        return out

    mismatches = ix._read(lambda reader: compare(reader.searcher))
    assert not mismatches, "\n".join(mismatches[:20])
    assert {"Term", "GappedPhrase", "DayRange", "Prefix", "Every", "Phrase"} <= seen, seen


def test_records_read_section_by_section_give_the_same_results(built, monkeypatch) -> None:
    """A large record is read section by section, and for snippets and gathered phrase
    positions only the spans of its documents (codec.PostingsFile); the records of this
    index are small, so here every record is read that way, each document's span apart."""
    from searchkit import open_index
    from searchkit.engine.whoosh.codec import PostingsFile, SectionedRecord

    ix, corpus = built
    monkeypatch.setattr(PostingsFile, "WHOLE_RECORD", 0)
    monkeypatch.setattr(PostingsFile, "GAP", 0)
    spans = Counter()
    take = SectionedRecord.take

    def counted(self, name, flat):
        spans[name] += 1
        return take(self, name, flat)

    monkeypatch.setattr(SectionedRecord, "take", counted)
    fresh = open_index(ix.path)  # readers of its own: no record read whole before
    try:
        cases = _cases(corpus)[::3]
        mismatches = [f"#{k} {case.describe()}: {found[:3]}" for k, case in enumerate(cases)
                      if (found := _differences(_run(fresh, case, "sets"), _run(fresh, case, "numpy")))]
    finally:
        fresh.close()
    assert not mismatches, "\n".join(mismatches)
    assert spans["starts"] and spans["positions"], spans


def _words_by_the_old_walk(q: Any, reader: Any) -> set[tuple[str, str]]:
    """compile.query_words as it was, with a walk of its own: the reference for the one walk."""
    from whoosh.query import AndNot, MultiTerm, Not, NumericRange, Phrase, Term

    found: set[tuple[str, str]] = set()
    stack = [q]
    while stack:
        node = stack.pop()
        if isinstance(node, (Not, NumericRange)):
            continue
        if isinstance(node, AndNot):
            stack.append(node.a)
        elif isinstance(node, Phrase):
            found.update((node.fieldname, w) for w in node.words)
        elif isinstance(node, Term):
            found.add((node.fieldname, node.text))
        elif isinstance(node, MultiTerm):
            if reader is None or node.field() not in reader.schema:
                continue
            field = reader.schema[node.field()]
            for n, (fname, btext) in enumerate(node.expanded_terms(reader)):
                if n >= 1000:
                    break
                found.add((fname, btext if isinstance(btext, str) else field.from_bytes(btext)))
        elif not node.is_leaf():
            stack.extend(node.children())
    return found


def test_the_words_a_query_looks_for_come_from_the_one_walk(built) -> None:
    """compile.query_words (the words snippets mark and spelling checks) walks the query
    through querywalk.leaves: the same words as its own walk gave, on every query kind."""
    from whoosh import query as wq

    from searchkit.engine.whoosh.compile import parse_query, query_words
    from searchkit.engine.whoosh.querywalk import leaves

    ix, corpus = built
    reader = ix._read(lambda r: r.searcher.reader())
    compared = Counter()
    for case in _cases(corpus):
        if case.kind == "similar":
            continue
        try:
            q = parse_query(case.text, plain=bool(case.options.get("plain")))
        except Exception:  # noqa: BLE001 - a query the search rejects too (compared above)
            continue
        for with_reader in (None, reader):  # prefixes and fuzzy words expanded or left out
            assert query_words(q, with_reader) == _words_by_the_old_walk(q, with_reader), case.describe()
        kinds = {type(leaf) for leaf in leaves(q, opaque=(wq.Not, wq.AndNot))}
        compared["queries"] += 1
        compared["negated"] += any(issubclass(k, (wq.Not, wq.AndNot)) for k in kinds)
        compared["phrases"] += any(issubclass(k, wq.Phrase) for k in kinds)
        compared["expanded"] += any(issubclass(k, wq.MultiTerm) for k in kinds)
    assert compared["queries"] >= 200 and all(compared[k] >= 5 for k in ("negated", "phrases", "expanded")), compared
