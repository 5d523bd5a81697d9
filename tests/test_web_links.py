"""The fast link builders of a search page give the very URLs the plain ones give, and the
facets counted over a search's own matches equal those counted by running the query again."""

from __future__ import annotations

import contextlib
import itertools

import pytest

pytest.importorskip("starlette", reason="the web stack (starlette, jinja2) is not installed")

import searchkit  # noqa: E402
from searchkit.models import SearchOptions  # noqa: E402
from searchkit.web.params import FACET_PARAMS, SearchState  # noqa: E402

from .webcorpus import web_corpus  # noqa: E402

VALUES = ("Reuters", "A & B = c?", "نشرة", "x y", "pdf")


def states() -> list[SearchState]:
    out = []
    for q, outlet, since, sort, page, collapse in itertools.product(
            ("", "corridor", '"a phrase" & more'), ((), ("Reuters",)), ("", "2024-04"),
            ("relevance", "-date"), (1, 3), (False, True)):
        out.append(SearchState(q=q, outlet=outlet, not_outlet=("A & B = c?",) if not outlet else (),
                               since=since, sort=sort, page=page, collapse=collapse, story=("s1",) * (page == 3),
                               not_format=("pdf",) * collapse))
    return out


def test_facet_links_are_the_including_and_excluding_urls():
    for state in states():
        for facet in FACET_PARAMS:
            links = state.facet_links(facet)
            for value in (*VALUES, *getattr(state, facet), *getattr(state, "not_" + facet)):
                assert links(value) == (state.including(facet, value), state.excluding(facet, value))


def test_day_link_is_the_url_of_that_day():
    for state in states():
        link = state.day_link()
        for key in ("2024-04-07", "2024-04"):
            assert link(key) == state.url(since=key, until=key, page=1)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("links")
    ix = searchkit.build_index(web_corpus(root / "corpus"), root / "index")
    yield ix
    ix.close()


@pytest.mark.parametrize("path", ["numpy", "sets"])
@pytest.mark.parametrize("query", ["corridor", '"grain corridor"', "*", "", "odesa OR ship", "nosuchwordanywhere"])
def test_facets_of_a_search_s_own_matches_equal_a_second_run(index, query, path):
    from searchkit.engine.whoosh import dense

    with (dense.disabled() if path == "sets" else contextlib.nullcontext()):
        check_facets_of_own_matches(index, query)


def check_facets_of_own_matches(index, query):
    for options in (SearchOptions(limit=5, facets=True), SearchOptions(limit=5, facets=True, outlet="Reuters"),
                    SearchOptions(limit=5, facets=True, collapse=True)):
        results = index.search_with(query, SearchOptions(**{**options.__dict__, "with_ids": True}))
        assert results.matched_ids is not None and len(results.matched_ids) == results.total
        assert sorted(results.matched_ids) == index.matching_ids(query, options)
        index._more_facets_cache.clear()
        given = index.more_facets(query, options, matched_ids=results.matched_ids)
        index._more_facets_cache.clear()
        again = index.more_facets(query, options)
        assert given == again
        # Counted by the engine over the matches' document numbers, without their ids.
        index._more_facets_cache.clear()
        assert index.more_facets(query, options, matched=results.matched) == given
        assert sum(given.formats.values()) == results.total
        expected = {source: sum(by.values()) for source, by in index.credits(doc_ids=results.matched_ids).items()}
        assert given.credited == expected
