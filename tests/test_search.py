"""Index.search through the library: ranking, snippets, sorting, filters, facets, paging."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import searchkit
from searchkit import QueryError, build_index

from .conftest import write_corpus

NEWS = {
    "a.txt": "Satellites over Ukraine\n\n(Daily Ledger, Apr08'24) — China supplied satellite imagery to Russia. "
             "The satellites were commercial.",
    "b.txt": "Drone parts\n\nApr 2, 2024\n\nDrone engines crossed the border. Imagery was not mentioned.",
    "c.txt": "Rocket fuel\n\nMar 30, 2024\n\nNitrocellulose for rocket fuel was shipped from China.",
    "d.txt": "Border report\n\nTrucks carried machine tools and optics across the border.",
    "metadata.toml": '["a.txt"]\noutlet = "Daily Ledger"\n["b.txt"]\noutlet = "The Courier"\n'
                     '["d.txt"]\noutlet = "The Courier"\ndate = 2024-05-01\n',
}


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> searchkit.Index:
    root = tmp_path_factory.mktemp("news")
    ix = build_index(write_corpus(root / "c", NEWS), root / "ix")
    yield ix
    ix.close()


def _ids(results) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.doc_id for h in results]


def _marked(hit: searchkit.Hit) -> list[str]:
    return [hit.snippet[s:e] for s, e in hit.highlights]


def test_hit_carries_metadata_path_and_positive_scores(news: searchkit.Index) -> None:
    hits = list(news.search("nitrocellulose"))
    assert len(hits) == 1
    hit = hits[0]
    assert (hit.rank, hit.doc_id, hit.title, hit.date) == (1, "c.txt", "Rocket fuel", dt.date(2024, 3, 30))
    assert hit.outlet is None
    assert hit.path == news.corpus / "c.txt" and hit.path.exists()
    assert hit.score > 0


def test_stemmed_variants_are_found_and_highlighted(news: searchkit.Index) -> None:
    hit = news.search("satellite")[0]
    assert hit.doc_id == "a.txt"
    assert {w.lower() for w in _marked(hit)} >= {"satellite", "satellites"}


def test_every_matched_term_is_highlighted_including_phrase_parts(news: searchkit.Index) -> None:
    hit = news.search('"satellite imagery"')[0]
    assert hit.doc_id == "a.txt"
    marked = [w.lower() for w in _marked(hit)]
    assert "satellite" in marked and "imagery" in marked


def test_phrase_is_highlighted_where_it_occurs_not_its_words_alone(tmp_path: Path) -> None:
    text = ("Waves\n\nThe shock came first. Waves followed later. Engineers measured the shock waves "
            "in the tunnel. Another shock, more waves.")
    ix = build_index(write_corpus(tmp_path / "c", {"w.txt": text}), tmp_path / "ix")
    hit = ix.search('"shock waves"')[0]
    assert _marked(hit) == ["shock", "waves"]
    start, end = hit.highlights[0][0], hit.highlights[1][1]
    assert hit.snippet[start:end] == "shock waves"
    # A word also asked for on its own is marked everywhere; so are both words of a NEAR match.
    assert [w.lower() for w in _marked(ix.search('"shock waves" shock')[0])].count("shock") == 3
    near = ix.search('"waves shock"~1')[0]  # any order, at most one word between
    lone = near.snippet.index("Waves followed")
    assert "shock waves" in near.snippet and (lone, lone + 5) not in near.highlights
    assert [w.lower() for w in _marked(near)].count("waves") >= 2


def test_snippet_is_plain_short_and_cut_at_words(tmp_path: Path) -> None:
    filler = " ".join(f"word{i}" for i in range(400))
    corpus = write_corpus(tmp_path / "c", {"long.txt": f"Long\n\n{filler} zeppelin sighted {filler}"})
    hit = build_index(corpus, tmp_path / "ix").search("zeppelin")[0]
    assert hit.snippet.startswith("… ") and hit.snippet.endswith(" …")
    assert 100 <= len(hit.snippet) <= 260
    assert _marked(hit) == ["zeppelin"]
    words = hit.snippet.strip("… ").split()
    assert all(w.startswith("word") or w in ("zeppelin", "sighted") for w in words)


def test_matches_past_32kb_still_get_a_snippet(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {"big.txt": "Big\n\n" + "filler text here. " * 4000 + "The zeppelin landed."})
    hit = build_index(corpus, tmp_path / "ix").search("zeppelin")[0]
    assert _marked(hit) == ["zeppelin"]


def test_documents_with_all_words_rank_first_but_partial_matches_are_found(news: searchkit.Index) -> None:
    ids = _ids(news.search("china imagery", limit=10))
    assert ids[0] == "a.txt"  # the only article with both words
    assert set(ids) == {"a.txt", "b.txt", "c.txt"}


@pytest.mark.parametrize("sort, expected", [
    ("date", ["c.txt", "b.txt", "a.txt", "d.txt"]),
    ("-date", ["d.txt", "a.txt", "b.txt", "c.txt"]),
])
def test_sort_by_date_puts_undated_last(tmp_path: Path, sort: str, expected: list[str]) -> None:
    files = dict(NEWS)
    files["e.txt"] = "Undated\n\nThe border was quiet."
    ix = build_index(write_corpus(tmp_path / "c", {k: v + " border" if k.endswith(".txt") else v
                                                   for k, v in files.items()}), tmp_path / "ix")
    assert _ids(ix.search("border", sort=sort)) == expected + ["e.txt"]


def test_outlet_and_date_filters(news: searchkit.Index) -> None:
    assert sorted(_ids(news.search("border", outlet="the courier"))) == ["b.txt", "d.txt"]
    assert _ids(news.search("border", since=dt.date(2024, 4, 15))) == ["d.txt"]
    assert _ids(news.search("china", until=dt.date(2024, 4, 1))) == ["c.txt"]
    # undated documents never pass a date filter
    assert _ids(news.search("trucks", since=dt.date(1900, 1, 1))) == ["d.txt"]


@pytest.mark.parametrize("path", ["sets", "dense"])
@pytest.mark.parametrize("sort", ["relevance", "-date"])
def test_not_outlet_leaves_out_an_outlet_and_keeps_articles_without_one(
        news: searchkit.Index, monkeypatch: pytest.MonkeyPatch, path: str, sort: str) -> None:
    """The exclude link of a facet: every match but that outlet's (case-insensitive), on
    both match paths, with the other filters, facets and every sort."""
    from searchkit.engine.whoosh import dense, search

    if path == "dense":
        monkeypatch.setattr(search, "DENSE_MIN_DOCS", 0)
        monkeypatch.setattr(search, "SET_PATH_BUDGET", 0)
    else:
        monkeypatch.setattr(dense, "usable", lambda searcher: False)
    query = "border OR china"
    everything = news.search(query, sort=sort, facets=True)
    left = news.search(query, sort=sort, facets=True, not_outlet="THE COURIER")
    assert sorted(_ids(left)) == ["a.txt", "c.txt"]  # c.txt has no outlet: it stays
    assert left.total == everything.total - everything.facets.outlets["The Courier"]
    assert left.facets is not None and "The Courier" not in left.facets.outlets and left.facets.no_outlet == 1
    assert _ids(news.search(query, sort=sort, not_outlet=["The Courier", "Daily Ledger"])) == ["c.txt"]
    assert _ids(news.search("*", sort=sort, not_outlet=["The Courier"], since=dt.date(2024, 4, 1))) == ["a.txt"]
    assert news.search(query, sort=sort, outlet="The Courier", not_outlet="the courier").total == 0
    assert sorted(_ids(news.search(query, sort=sort, collapse=True, not_outlet="Daily Ledger"))) == [
        "b.txt", "c.txt", "d.txt"]
    exported = news.export(query, sort=sort, not_outlet="The Courier")
    assert sorted(h.doc_id for h in exported) == ["a.txt", "c.txt"]
    assert exported.info.filters() == {"not_outlet": ["The Courier"]}


def test_facets_count_the_whole_result_set_not_the_page(news: searchkit.Index) -> None:
    results = news.search("border OR china", limit=1, facets=True)
    assert results.total == 4 and len(results) == 1
    assert results.facets is not None
    assert results.facets.outlets == {"The Courier": 2, "Daily Ledger": 1}
    assert results.facets.no_outlet == 1
    assert results.facets.dates == {"2024-03-30": 1, "2024-04-02": 1, "2024-04-08": 1, "2024-05-01": 1}
    by_month = news.search("border OR china", facets=True, facet_dates="month").facets
    assert by_month.dates == {"2024-03": 1, "2024-04": 2, "2024-05": 1}


def test_paging_is_continuous_and_reports_total(news: searchkit.Index) -> None:
    everything = _ids(news.search("border OR china", limit=10))
    pages = [_ids(news.search("border OR china", limit=2, page=p)) for p in (1, 2, 3)]
    assert pages[0] + pages[1] == everything and pages[2] == []
    second = news.search("border OR china", limit=2, page=2)
    assert [h.rank for h in second] == [3, 4] and second.total == 4


def test_did_you_mean_uses_the_index_words(news: searchkit.Index) -> None:
    results = news.search("nitrocelulose")
    assert results.total == 0
    assert results.suggestion == "nitrocellulose"
    assert news.search("nitrocellulose").suggestion is None
    assert news.search("rocket nitrocelulose").suggestion == "rocket nitrocellulose"


def test_plain_mode_reads_operators_as_words(news: searchkit.Index) -> None:
    results = news.search('China AND (satellite OR "imagery" NOT date:2099', plain=True)
    assert _ids(results)[0] == "a.txt"


def test_malformed_query_is_a_query_error_with_a_message(news: searchkit.Index) -> None:
    for bad in ("date:2024-13-01", "nosuchfield:x", "china AND", '"unbalanced'):
        try:
            news.search(bad)
        except QueryError as exc:
            assert str(exc) and "\n" not in str(exc)
        else:
            if bad != '"unbalanced':  # a lone quote may be forgiven as a phrase to the end
                pytest.fail(f"{bad!r} should be a QueryError")


@pytest.mark.parametrize("kwargs", [{"limit": 0}, {"page": 0}, {"sort": "size"},
                                    {"since": dt.date(2024, 5, 1), "until": dt.date(2024, 4, 1)}])
def test_bad_search_options_are_query_errors(news: searchkit.Index, kwargs: dict) -> None:
    with pytest.raises(QueryError):
        news.search("china", **kwargs)


def test_document_text_never_carries_control_characters_into_snippets(tmp_path: Path) -> None:
    evil = "Evil\n\nThe \x1b]0;pwned\x07 zeppelin \x1b[31mred\x1b[0m text\x9b2J. " + "An ordinary sentence follows. " * 10
    corpus = write_corpus(tmp_path / "c", {"evil.txt": evil})
    hit = build_index(corpus, tmp_path / "ix").search("zeppelin")[0]
    assert not any(ch in hit.snippet for ch in "\x1b\x07\x9b")
    assert "zeppelin" in hit.snippet


def test_total_counts_every_match_even_when_whoosh_skips_blocks(tmp_path: Path) -> None:
    # Enough documents that the top-k collector skips postings blocks it cannot rank.
    files = {f"d{i:04d}.txt": f"Doc {i}\n\n" + ("shock " * (1 + i % 7)) + ("waves " if i % 3 == 0 else "calm ") + "filler " * (i % 50)
             for i in range(1500)}
    ix = build_index(write_corpus(tmp_path / "c", files), tmp_path / "ix")
    expected_or = sum(1 for i in range(1500))  # every document has "shock"
    expected_and = sum(1 for i in range(1500) if i % 3 == 0)
    assert ix.search("shock waves", limit=3).total == expected_or
    assert ix.search("shock waves", limit=3, snippets=False).total == expected_or
    assert ix.search("shock AND waves", limit=3).total == expected_and
    assert ix.search('"shock waves"', limit=3).total == expected_and


def test_expand_adds_words_from_the_best_hits_and_keeps_operator_constraints(news: searchkit.Index) -> None:
    plain = news.search("satellite", plain=True, expand=True)
    assert plain.expansion and "satellite" not in plain.expansion
    assert all(word and word == word.lower() and " " not in word for word in plain.expansion)
    assert _ids(plain)[0] == "a.txt"
    # with operators the query's own matches are kept; added words only re-rank them
    strict = news.search("border AND trucks", expand=True)
    assert _ids(strict) == ["d.txt"] and strict.total == 1
    assert news.search("satellite").expansion == ()


def test_question_words_do_not_decide_a_pasted_question(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {
        "what.txt": "What happened\n\nWhat happened is unclear, what they said is unclear.",
        "fuel.txt": "Rocket fuel\n\nNitrocellulose is a propellant in rocket fuel.",
    })
    ix = build_index(corpus, tmp_path / "ix")
    assert _ids(ix.search("what is nitrocellulose used for?", plain=True)) == ["fuel.txt"]
    assert _ids(ix.search("what", plain=True)) == ["what.txt"]  # nothing else left: kept


def test_top_hits_are_the_true_best_on_a_multi_segment_index(tmp_path: Path) -> None:
    """Top 10 is the head of the full ranking, with and without snippets.

    Guards search_whoosh(): Whoosh's periodic matcher replacement dropped real top-10 hits
    on a multi-segment index whose words are in titles and bodies of varied lengths. Word
    queries are ranked by bulkscore; ``a AND NOT b`` goes through Whoosh's collector, and with
    the replacement back on (``inner.replace = 0`` removed) this test fails at its first one.
    """
    import random

    rng = random.Random(3)
    vocab = [f"w{i}" for i in range(300)]
    weights = [1 / (i + 1) for i in range(300)]  # Zipf-like, as in real text
    outlets = ["Daily Ledger", "The Courier", "Wire Service", "Evening Post"]
    corpus = tmp_path / "c"
    for batch in range(3):  # each incremental run writes a new segment
        files: dict[str, str | bytes] = {}
        meta = []
        for i in range(500):
            rel = f"b{batch}/d{i:04d}.txt"
            title = " ".join(rng.choices(vocab, weights, k=rng.randint(2, 8)))
            length = int(rng.paretovariate(1.2) * 30)  # mostly short, a few very long, as news is
            files[rel] = f"{title}\n\n" + " ".join(rng.choices(vocab, weights, k=length))
            meta.append(f'["{rel}"]\noutlet = "{rng.choice(outlets)}"\n')
        previous = (corpus / "metadata.toml").read_text() if (corpus / "metadata.toml").exists() else ""
        files["metadata.toml"] = previous + "".join(meta)
        write_corpus(corpus, files)
        build_index(corpus, tmp_path / "ix").close()
    ix = searchkit.open_index(tmp_path / "ix")
    pairs = [(vocab[i], vocab[(i * 7 + 3) % 300]) for i in range(5, 300, 9)]
    forms = ("{a} AND {b}", "{a} {b}", "{a} AND NOT {b}")
    for query in (form.format(a=a, b=b) for form in forms for a, b in pairs):
        full = [round(h.score, 6) for h in ix.search(query, limit=5000, snippets=False)]
        for snippets in (False, True):
            top = [round(h.score, 6) for h in ix.search(query, limit=10, snippets=snippets)]
            assert top == full[:10], (query, snippets)
    ix.close()


def test_two_pass_word_queries_rank_exactly_like_the_all_words_bonus(tmp_path: Path) -> None:
    """Word queries search all-words matches first, then the rest; with facets requested the
    single-pass bonus query runs instead. Both must give the same hits, scores and order."""
    import random

    rng = random.Random(5)
    vocab = [f"w{i}" for i in range(40)]
    files = {f"d{i:03d}.txt": f"Doc {i}\n\n" + " ".join(rng.choices(vocab, k=rng.randint(3, 40))) for i in range(300)}
    ix = build_index(write_corpus(tmp_path / "c", files), tmp_path / "ix")
    for query in ("w1 w2", "w3 w4 w5", "w6 w7 w8 w9", "w10 -w11 w12", "w13 w14 date:2024"):
        for page in (1, 2, 5):
            two_pass = ix.search(query, limit=7, page=page)
            single = ix.search(query, limit=7, page=page, facets=True)
            assert [(h.doc_id, round(h.score, 6)) for h in two_pass] == \
                   [(h.doc_id, round(h.score, 6)) for h in single], (query, page)
            assert two_pass.total == single.total


@pytest.mark.parametrize("sort", ["date", "-date"])
def test_a_date_sorted_search_whose_filters_match_nothing_shows_no_hits(news: searchkit.Index, sort: str) -> None:
    """Whoosh reads an empty filter set as no filter: such a search once listed unfiltered hits."""
    for query in ("border", "*"):
        results = news.search(query, sort=sort, since=dt.date(2030, 1, 1))
        assert results.total == 0 and list(results) == [], (query, sort)
        # and the filters still work where they match something
        dated = news.search(query, sort=sort, since=dt.date(2024, 4, 1))
        assert dated.total == len(list(dated)) >= 1
        assert all(h.date and h.date >= dt.date(2024, 4, 1) for h in dated)
