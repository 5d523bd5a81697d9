"""Totals and facet counts are exact on an index with several segments and replaced documents.

searchkit counts matches from posting lists with set operations instead of Whoosh's
one-posting-at-a-time matchers; the oracle here is Whoosh's own ``docs_for_query`` and the
stored fields of every matching document.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest

import searchkit
from searchkit.engine.whoosh.compile import all_words_bonus, parse_query
from searchkit.engine.whoosh.schema import outlet_key


import corpusgen  # noqa: E402


@pytest.fixture(scope="module")
def updated(tmp_path_factory: pytest.TempPathFactory):
    """400 articles indexed, then 20 edited and re-indexed: two segments, 20 deletions."""
    root = tmp_path_factory.mktemp("docsets")
    corpus = root / "news"
    corpusgen.generate(corpus, 400, seed=5)
    searchkit.build_index(corpus, root / "index").close()
    for path in sorted(corpus.rglob("*.txt"))[::20]:
        path.write_text(path.read_text(encoding="utf-8") + "\nA correction was appended.\n", encoding="utf-8")
    ix = searchkit.build_index(corpus, root / "index")
    segments = _on_searcher(ix, lambda s: [(leaf.reader().doc_count_all(), len(leaf.reader().deleted_docs_set))
                                   for leaf, _ in s.leaf_searchers()])
    assert len(segments) >= 2 and any(deleted for _, deleted in segments), segments
    yield ix, corpus
    ix.close()


def _words(corpus: Path) -> list[str]:
    counts: Counter[str] = Counter()
    for path in sorted(corpus.rglob("*.txt")):
        counts.update(w.lower() for w in re.findall(r"[A-Za-z]{5,}", path.read_text(encoding="utf-8")))
    return [w for w, _ in counts.most_common()]


def _bigrams(corpus: Path) -> list[str]:
    """Adjacent word pairs, commonest first: phrases that occur."""
    counts: Counter[str] = Counter()
    for path in sorted(corpus.rglob("*.txt")):
        words = re.findall(r"[A-Za-z]+", path.read_text(encoding="utf-8"))
        counts.update(f"{a} {b}".lower() for a, b in zip(words, words[1:]) if len(a) > 4 and len(b) > 4)
    return [pair for pair, _ in counts.most_common()]


def _on_searcher(ix, action):  # type: ignore[no-untyped-def]
    """Run ``action`` on the Whoosh searcher behind an open Index (engine-level tests)."""
    return ix._read(lambda reader: action(reader.searcher))


def _whoosh_docs(ix, text: str, outlet: str | None = None, since=None, until=None) -> set[int]:  # type: ignore[no-untyped-def]
    def docs(searcher) -> set[int]:  # type: ignore[no-untyped-def]
        found = set(searcher.docs_for_query(parse_query(text)))
        for docnum in list(found):
            stored = searcher.stored_fields(docnum)
            day = dt.date.fromisoformat(stored["date"]) if stored.get("date") else None
            if outlet and outlet_key(stored.get("outlet") or "") != outlet_key(outlet):
                found.discard(docnum)
            elif (since or until) and (day is None or (since and day < since) or (until and day > until)):
                found.discard(docnum)
        return found
    return _on_searcher(ix, docs)


def _queries(words: list[str], corpus: Path) -> list[str]:
    common, middle, rare = words[30], words[300], words[1500]
    return [
        common, rare, f"{common} {middle}", f"{common} {middle} {rare}", f"{middle} OR {rare}",
        f"{common} AND {middle}", f"{common} NOT {middle}", f"{common} -{middle}",
        f'"{_bigrams(corpus)[0]}"', f'"{_bigrams(corpus)[20]}"~2', f"{middle[:4]}*", f"{rare}~", f"title:{common}",
        f"{common} date:2024", f"{common} date:[2023-01 TO 2023-06]", f"{middle} date:>=2024-04-01", "correction appended",
    ]


def test_totals_equal_whooshs_own_count(updated) -> None:  # type: ignore[no-untyped-def]
    ix, corpus = updated
    for text in _queries(_words(corpus), corpus):
        expected = _whoosh_docs(ix, text)
        assert ix.search(text, snippets=False).total == len(expected), text
        assert ix.search(text, facets=True).total == len(expected), text


def test_totals_with_filters(updated) -> None:  # type: ignore[no-untyped-def]
    ix, corpus = updated
    outlet = ix.stats().outlets and next(iter(ix.stats().outlets))
    since, until = dt.date(2023, 3, 1), dt.date(2023, 9, 30)
    for text in _queries(_words(corpus), corpus)[:6]:
        assert ix.search(text, outlet=outlet).total == len(_whoosh_docs(ix, text, outlet=outlet)), text
        assert ix.search(text, since=since, until=until).total == \
            len(_whoosh_docs(ix, text, since=since, until=until)), text


def test_facets_count_every_match(updated) -> None:  # type: ignore[no-untyped-def]
    ix, corpus = updated
    words = _words(corpus)
    for text in (words[30], f"{words[30]} {words[300]}"):
        docs = _whoosh_docs(ix, text)
        stored = _on_searcher(ix, lambda s: [s.stored_fields(d) for d in docs])
        outlets = Counter(f.get("outlet") or None for f in stored)
        months = Counter((f.get("date") or "")[:7] or None for f in stored)
        facets = ix.search(text, facets=True, facet_dates="month").facets
        assert facets.no_outlet == outlets.pop(None, 0)
        assert facets.outlets == dict(outlets)
        assert facets.no_date == months.pop(None, 0)
        assert facets.dates == dict(months)


def test_paging_through_all_matches_visits_each_once(updated) -> None:  # type: ignore[no-untyped-def]
    ix, corpus = updated
    words = _words(corpus)
    text = f"{words[300]} {words[1500]}"
    expected = _whoosh_docs(ix, text)
    seen: list[str] = []
    page = 1
    while True:
        results = ix.search(text, limit=7, page=page, snippets=False)
        if not results.hits:
            break
        seen.extend(hit.doc_id for hit in results.hits)
        page += 1
    assert len(seen) == len(set(seen)) == len(expected)


def test_not_excludes_every_document_with_the_word(updated) -> None:  # type: ignore[no-untyped-def]
    """Whoosh's own AndNot let a segment's first candidate through (query.Excluding)."""
    from searchkit.engine.whoosh.analysis import text_analyzer

    ix, corpus = updated
    words = _words(corpus)
    for common, excluded in ((words[30], words[300]), (words[100], words[40]), (words[300], words[30])):
        results = ix.search(f"{common} NOT {excluded}", limit=1000, snippets=False)
        assert results.hits
        banned = {t.text for t in text_analyzer()(excluded)}
        for hit in results.hits:
            body = ix.document(hit.doc_id).text
            assert not banned & {t.text for t in text_analyzer()(body + " " + (hit.title or ""))}, (hit.doc_id, excluded)


def test_phrase_ranking_equals_whooshs_phrase_matcher(updated) -> None:  # type: ignore[no-untyped-def]
    """Phrases are ranked by their words limited to the phrase's documents (PhraseSets);
    the order and scores must be those of scoring the phrase itself."""
    ix, corpus = updated
    words, pairs = _words(corpus), _bigrams(corpus)
    for text in (f'"{pairs[0]}"', f'"{pairs[5]}" {words[300]}', f'"{pairs[10]}"~3', f'{words[30]} AND "{pairs[3]}"'):
        def oracle(searcher):  # type: ignore[no-untyped-def]
            found = searcher.search(parse_query(text), limit=None)
            return [(searcher.stored_fields(h.docnum)["doc_id"], round(h.score, 6)) for h in found]
        expected = _on_searcher(ix, oracle)
        results = ix.search(text, limit=1000, snippets=False)
        assert [h.doc_id for h in results.hits] == [doc_id for doc_id, _ in expected], text
        assert len(expected) == results.total > 0, text
        # Scores shown leave out the all-words bonus: equal, or apart by that one constant.
        gaps = {round(score - hit.score, 4) for (_, score), hit in zip(expected, results.hits)}
        assert gaps <= {0.0, round(all_words_bonus(parse_query(text)), 4)}, (text, gaps)


def test_word_ranking_equals_whooshs_matchers(updated) -> None:  # type: ignore[no-untyped-def]
    """Plain word queries are scored in bulk from posting blocks (bulkscore.py); order and
    scores must be Whoosh's own for the same query, bonus clause and all."""
    ix, corpus = updated
    words = _words(corpus)
    for text in (words[30], f"{words[30]} {words[300]}", f"{words[100]} {words[300]} {words[1500]}",
                 f"{words[5]} {words[6]}", f"title:{words[30]} {words[300]}"):
        def oracle(searcher):  # type: ignore[no-untyped-def]
            found = searcher.search(parse_query(text), limit=None)
            return [(searcher.stored_fields(h.docnum)["doc_id"], h.score) for h in found]
        expected = _on_searcher(ix, oracle)
        for limit in (10, 1000):
            results = ix.search(text, limit=limit, snippets=False)
            assert [h.doc_id for h in results.hits] == [doc_id for doc_id, _ in expected][:limit], text
            gaps = {round(score - hit.score, 6) for (_, score), hit in zip(expected, results.hits)}
            assert gaps <= {0.0, round(all_words_bonus(parse_query(text)), 6)}, (text, gaps)


def _random_query(rng, words: list[str], depth: int = 0) -> str:  # type: ignore[no-untyped-def]
    word = rng.choice(words[:50] if rng.random() < 0.3 else words)
    r = rng.random()
    if r < 0.45 or depth > 2:
        return word
    if r < 0.55:
        return f'"{word} {rng.choice(words)}"'
    if r < 0.60:
        return f"{word[:4]}*"
    if r < 0.65:
        return f"{word}~"
    if r < 0.72:
        return f"title:{word}"
    if r < 0.78:
        return f"NOT {word}"
    if r < 0.84:
        return f"({_random_query(rng, words, depth + 1)} OR {_random_query(rng, words, depth + 1)})"
    if r < 0.90:
        return f"{_random_query(rng, words, depth + 1)} AND {_random_query(rng, words, depth + 1)}"
    if r < 0.95:
        return rng.choice(["date:2024", "date:[2023-01 TO 2023-06]", "date:>=2024-04-01"])
    return f'"{word} {rng.choice(words)}"~3'


def test_random_queries_count_and_rank_as_whoosh_does(updated) -> None:  # type: ignore[no-untyped-def]
    """Totals from posting sets, bulk scoring and phrase shortcuts against Whoosh's own
    matchers, on random mixes of words, phrases, fields, NOT, OR/AND, prefixes and dates."""
    import random

    from searchkit.errors import QueryError

    ix, corpus = updated
    words = _words(corpus)[:3000]
    rng = random.Random(7)
    checked = 0
    for i in range(250):
        text = " ".join(_random_query(rng, words) for _ in range(rng.randint(1, 4)))
        try:
            q = parse_query(text)
        except QueryError:
            continue

        def oracle(searcher):  # type: ignore[no-untyped-def]
            return [searcher.stored_fields(h.docnum)["doc_id"] for h in searcher.search(q, limit=None)]

        expected = _on_searcher(ix, oracle)
        results = ix.search(text, limit=30, snippets=i % 3 == 0)
        assert results.total == len(expected), text
        assert [h.doc_id for h in results.hits] == expected[:30], text
        checked += 1
    assert checked > 200
