"""News words and other languages: common words typed in capitals, the "ignored" notice,
accents / width / soft hyphens, Chinese and Japanese text, and bounded work for huge queries.

Each test builds a real index of real files and asks through the library or the CLI.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import searchkit
from searchkit.engine.whoosh import search as engine_search
from searchkit.engine.whoosh.compile import ANALYZER
from searchkit.querylang.parser import MAX_QUERY_WORDS, parse

from .conftest import SEEDS, run_cli, write_corpus

CORPUS = {
    "us.txt": "Sanctions on Iran\n\nThe US announced sanctions on Iran on Monday.",
    "us-lower.txt": "Sanctions talk\n\nOfficials told us that sanctions were discussed at length.",
    "may.txt": "Election\n\nThe election will be held in May, officials said.",
    "may-lower.txt": "Weather\n\nIt may rain tomorrow and it may snow later.",
    "who.txt": "Pandemic warning\n\nThe WHO warned about a new pandemic wave.",
    "pandemic.txt": "Pandemic notes\n\nA pandemic changes how cities work; the pandemic lasted years.",
    "it.txt": "Budget\n\nSpending on IT systems rose by a third.",
    "pekin.txt": "Dépêche\n\nLe président est arrivé à Pékin pour parler des États-Unis.",
    "pekin-ascii.txt": "Wire\n\nReporters in Pekin waited for the statement.",
    "cafe.txt": "Menu\n\nThe café on the corner reopened.",
    "cafe-ascii.txt": "Menu two\n\nThe cafe near the station closed.",
    "strasse.txt": "Berlin\n\nDie Straße war gesperrt, sagte die Polizei in Łódź.",
    "wide.txt": "Full width\n\nＣＨＩＮＡ and ＲＵＳＳＩＡ signed a paper.",
    "soft.txt": "Chemistry\n\nA factory of nitro\u00adcellulose was hit.",
    "zh.txt": "新闻\n\n中国人民银行宣布降息。",
    "zh-other.txt": "其他\n\n人中有很多想法。",
    "ja.txt": "ニュース\n\n東京都庁で会議が開かれた。",
}


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("news-words")
    index = searchkit.build_index(write_corpus(root / "c", CORPUS), root / "ix")
    yield index
    index.close()


def ids(results: searchkit.Results) -> list[str]:
    return [h.doc_id for h in results]


# --- common words typed in capitals --------------------------------------------------------

def test_us_in_capitals_is_searched_and_ranks_the_article_that_names_it(ix: searchkit.Index) -> None:
    assert ids(ix.search("US")) == ["us.txt"]  # "told us" is not the US
    found = ix.search("US sanctions")
    assert ids(found)[0] == "us.txt" and "us-lower.txt" in ids(found)
    assert found.ignored == ()


def test_may_who_and_it_in_capitals_are_names(ix: searchkit.Index) -> None:
    assert ids(ix.search("May")) == ["may.txt"]
    assert ids(ix.search("election in May"))[0] == "may.txt"
    assert ids(ix.search("WHO pandemic"))[0] == "who.txt"
    assert ids(ix.search("IT")) == ["it.txt"]
    # pasted text keeps them too, but not a capital at the start of a sentence
    assert ids(ix.search("Spending on IT.", plain=True))[0] == "it.txt"


def test_the_only_word_is_never_dropped(ix: searchkit.Index) -> None:
    results = ix.search("us")  # lower case, alone: still searched
    assert results.total >= 1 and ids(results)[0] == "us.txt"


def test_a_dropped_word_is_named(ix: searchkit.Index) -> None:
    assert ix.search("sanctions of the").ignored == ("of", "the")
    assert ix.search("what is a pandemic", plain=True).ignored == ("what", "is", "a")


def test_cli_says_which_common_word_it_ignored(ix: searchkit.Index) -> None:
    done = run_cli("query", "pandemic", "of", "--index", str(ix.path), "--no-update")
    assert done.returncode == 0, done.stderr
    assert "searchkit: ignored the common word 'of'" in done.stderr
    done = run_cli("query", "US", "--index", str(ix.path), "--no-update", "--json")
    assert done.returncode == 0 and "us.txt" in done.stdout and "nothing to search" not in done.stderr


def test_shell_says_which_common_word_it_ignored(ix: searchkit.Index) -> None:
    done = run_cli("shell", "--index", str(ix.path), input="pandemic of\n", env={"PAGER": ""})
    assert "Ignored the common word 'of'" in done.stdout


# --- accents, width, soft hyphens ------------------------------------------------------------

def test_accents_fold_and_exact_spellings_rank_first(ix: searchkit.Index) -> None:
    assert set(ids(ix.search("Pekin"))) == {"pekin.txt", "pekin-ascii.txt"}
    assert ids(ix.search("Pékin"))[0] == "pekin.txt"
    assert ids(ix.search("Pekin"))[0] == "pekin-ascii.txt"
    assert ids(ix.search("Etats-Unis")) == ["pekin.txt"]
    assert ids(ix.search('"Etats-Unis"')) == ["pekin.txt"]
    assert set(ids(ix.search("cafe"))) == {"cafe.txt", "cafe-ascii.txt"}
    assert ids(ix.search("café"))[0] == "cafe.txt"


def test_other_latin_languages_fold_their_letters(ix: searchkit.Index) -> None:
    assert ids(ix.search("strasse")) == ["strasse.txt"]
    assert ids(ix.search("Lodz")) == ["strasse.txt"]
    assert ids(ix.search("Łódź")) == ["strasse.txt"]


def test_full_width_and_soft_hyphens_read_as_plain_letters(ix: searchkit.Index) -> None:
    assert ids(ix.search("china russia")) == ["wide.txt"]
    assert ids(ix.search("ＣＨＩＮＡ")) == ["wide.txt"]
    hits = ix.search("nitrocellulose")
    assert ids(hits) == ["soft.txt"]
    assert [hits[0].snippet[s:e] for s, e in hits[0].highlights] == ["nitro\u00adcellulose"]


# --- Chinese and Japanese -----------------------------------------------------------------

def test_cjk_words_are_found_inside_runs(ix: searchkit.Index) -> None:
    assert ids(ix.search("中国")) == ["zh.txt"]
    assert ids(ix.search("银行")) == ["zh.txt"]
    assert ids(ix.search("東京")) == ["ja.txt"]
    assert ids(ix.search("会議")) == ["ja.txt"]


def test_cjk_phrases_match_the_run_and_nothing_else(ix: searchkit.Index) -> None:
    assert ids(ix.search('"人民银行"')) == ["zh.txt"]
    assert ids(ix.search("人民银行")) == ["zh.txt"]  # one word of four characters: a phrase of bigrams
    assert ids(ix.search('"中国银行"')) == []  # both bigrams present, never side by side
    hit = ix.search("中国")[0]
    assert [hit.snippet[s:e] for s, e in hit.highlights] == ["中国"]


# --- bounded work ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    import shutil

    root = tmp_path_factory.mktemp("seeds-bounded")
    shutil.copytree(SEEDS, root / "seeds")
    index = searchkit.build_index(root / "seeds", root / "ix")
    yield index
    index.close()


def _seed_text() -> str:
    return " ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))


def test_did_you_mean_looks_only_at_short_queries(seeds: searchkit.Index, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = engine_search._best_correction

    def counting(reader, term, freq):  # type: ignore[no-untyped-def]
        calls.append(term)
        return real(reader, term, freq)

    monkeypatch.setattr(engine_search, "_best_correction", counting)
    assert seeds.search("satelite imagry").suggestion == "satellite imagery"
    calls.clear()
    long_query = " ".join(["satelite"] * 30 + ["zzzqqq"] * 30)
    assert seeds.search(long_query).suggestion is None and calls == []
    calls.clear()
    words = " ".join(f"satelite{i}" for i in range(40))[: engine_search.SUGGEST_MAX_CHARS]
    seeds.search(words)
    assert len(calls) <= engine_search.SUGGEST_MAX_WORDS


def test_a_100000_character_query_reads_a_bounded_number_of_words(seeds: searchkit.Index) -> None:
    text = (_seed_text() * 10)[:100_000]
    for plain in (False, True):
        results = seeds.search(text, plain=plain)
        assert results.total == 5
        assert any("rarest in the index were searched" in n for n in results.notices)
        terms = seeds.query_terms(text, plain=True)
        assert len(terms) > engine_search.PLAIN_MAX_TERMS  # the parser sees them all ...
    # ... the search looks for at most PLAIN_MAX_TERMS of them
    assert len(engine_search.passage_terms(seeds._reader.searcher, text, engine_search.PLAIN_MAX_TERMS)) \
        <= engine_search.PLAIN_MAX_TERMS
    assert "read as plain text" in " ".join(seeds.search(text).notices)


def test_a_5000_term_or_query_is_bounded_and_still_answers(seeds: searchkit.Index) -> None:
    random.seed(14)
    words = [f"w{i}" for i in range(4999)] + ["nitrocellulose"]
    random.shuffle(words)
    results = seeds.search(" OR ".join(words))
    assert any("read as plain text" in n for n in results.notices)
    assert set(ids(results)) == {p.name for p in SEEDS.glob("*.txt")
                                 if "nitrocellulose" in p.read_text(encoding="utf-8").lower()}
    # the parser itself (used by check_query and query_terms too) looks for a bounded number
    notices: list[str] = []
    tree = parse(" OR ".join(words), ANALYZER, notices=notices)
    assert len(tree.items) == MAX_QUERY_WORDS  # type: ignore[attr-defined]
    assert notices == [f"the query has more than {MAX_QUERY_WORDS} different words: "
                       f"{len(words) - MAX_QUERY_WORDS} more were left out"]


def test_cli_query_from_a_huge_file_answers(seeds: searchkit.Index, tmp_path: Path) -> None:
    passage = tmp_path / "paste.txt"
    passage.write_text((_seed_text() * 10)[:100_000], encoding="utf-8")
    done = run_cli("query", "--like", str(passage), "--index", str(seeds.path), "--no-update", "--json")
    assert done.returncode == 0, done.stderr
    assert len([line for line in done.stdout.splitlines() if '"doc_id"' in line]) == 5
