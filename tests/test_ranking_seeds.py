"""Short keyword queries on the seed corpus: the article a journalist means comes first.

Each expected top hit is the only seed that contains the words (checked here against the
files themselves), or the one whose headline is about them; the tuning for long pasted
questions (Cranfield) must not break these.
"""

from __future__ import annotations

import pytest

import searchkit

from .conftest import SEEDS

EU_TODAY, TIBETAN, EUROMAIDAN, UNKNOWN, FORBES = sorted(p.name for p in SEEDS.glob("*.txt"))


def _only_seed_containing(phrase: str) -> str:
    found = [p.name for p in SEEDS.glob("*.txt") if phrase.lower() in p.read_text(encoding="utf-8").lower()]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("query, phrase", [
    ("geospatial intelligence", "geospatial intelligence"),
    ("diplomatic relations", "diplomatic relations"),
    ("bilateral trade", "bilateral trade"),
    ("Hikvision", "Hikvision"),
    ("Li Hui", "Li Hui"),
])
def test_the_only_article_with_the_words_ranks_first(seeds_index: searchkit.Index, query: str, phrase: str) -> None:
    assert seeds_index.search(query)[0].doc_id == _only_seed_containing(phrase)


@pytest.mark.parametrize("query, expected", [
    ("satellite imagery", EU_TODAY),  # its headline: "Satellite Imagery from China Helps Russia ..."
    ("drone parts", FORBES),  # "China Sending Russia Missile And Drone Parts ..."
    ("geospatial intel", EUROMAIDAN),  # "China provides geospatial intel ..."
])
def test_headline_topic_ranks_first(seeds_index: searchkit.Index, query: str, expected: str) -> None:
    assert seeds_index.search(query)[0].doc_id == expected


def test_nitrocellulose_finds_exactly_the_two_articles_that_name_it(seeds_index: searchkit.Index) -> None:
    ids = {h.doc_id for h in seeds_index.search("nitrocellulose")}
    assert ids == {p.name for p in SEEDS.glob("*.txt") if "nitrocellulose" in p.read_text(encoding="utf-8").lower()}
    assert ids == {EUROMAIDAN, FORBES}


def test_a_question_word_does_not_decide_the_order(seeds_index: searchkit.Index) -> None:
    # Forbes's article has a "WHAT TO WATCH FOR" section; asking "what is ..." must not favour it
    keyword = [h.doc_id for h in seeds_index.search("nitrocellulose")]
    for question in ("what is nitrocellulose", "what is nitrocellulose?"):
        assert [h.doc_id for h in seeds_index.search(question)] == keyword
        assert [h.doc_id for h in seeds_index.search(question, plain=True)] == keyword


def test_expand_keeps_the_top_hit_of_a_short_query(seeds_index: searchkit.Index) -> None:
    for query in ("satellite imagery", "drone parts", "geospatial intelligence"):
        assert seeds_index.search(query, expand=True)[0].doc_id == seeds_index.search(query)[0].doc_id
