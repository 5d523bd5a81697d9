"""A search page never waits for the stories model (seconds to load at 20,000 articles after
an index run): while it loads, the page answers with its hits and outlet and date facets, and
says that the story and credited-source facets are loading; once loaded, they are there."""

from __future__ import annotations

import threading
import time

import pytest

pytest.importorskip("starlette", reason="the web stack (starlette, jinja2) is not installed")

import searchkit  # noqa: E402
from searchkit import story_stage  # noqa: E402

from .webcorpus import client, css, parse, text_of, web_corpus  # noqa: E402


def test_a_search_page_answers_while_the_stories_load(tmp_path, monkeypatch):
    corpus = web_corpus(tmp_path / "corpus")
    searchkit.build_index(corpus, tmp_path / "index").close()
    ix = searchkit.open_index(tmp_path / "index")
    expected = ix.more_facets("corridor")
    hits = ix.search("corridor", limit=20)
    ix.close()
    assert expected.credited and expected.stories  # the corpus has both, so "loading" hides something
    release = threading.Event()
    real_load = story_stage.load

    def slow_load(*args, **kwargs):  # a big index: the model takes long to read
        release.wait(60)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(story_stage, "load", slow_load)
    with client(tmp_path / "index") as c:  # its start begins loading the stories
        started = time.monotonic()
        response = c.get("/search?q=corridor")
        waited = time.monotonic() - started
        assert response.status_code == 200 and not release.is_set()
        assert waited < 30  # answered while the load was still blocked
        tree = parse(response)
        assert "Stories are loading" in text_of(css(tree, "#stories-loading")[0])
        assert [text_of(e) for e in css(tree, ".hit .doc-id")] == [h.doc_id for h in hits]
        assert css(tree, ".facet-outlet a.include")
        for kind in ("credited", "story"):
            box = css(tree, f".facet-{kind}")[0]
            assert "loading" in text_of(box) and not box.xpath(".//a")
        assert c.get("/search.json?q=corridor").json()["stories_loading"] is True
        release.set()
        for _ in range(300):  # the background load finishes
            data = c.get("/search.json?q=corridor").json()
            if not data["stories_loading"]:
                break
            time.sleep(0.1)
        assert data["facets"]["credited"] == expected.credited
        assert [s["title"] for s in data["facets"]["story"]] == [expected.story_titles[k] for k in expected.stories]
        tree = parse(c.get("/search?q=corridor"))
        assert not css(tree, "#stories-loading")
        sources = [text_of(e) for e in css(tree, ".facet-credited a.include")]
        assert sources == list(expected.credited)[:len(sources)] and sources
