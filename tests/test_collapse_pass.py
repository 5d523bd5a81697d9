"""A collapsed search (one engine pass that ranks, folds and makes snippets) against a
reference built from the flat search of the same query: the rows are the flat hits whose story
has not shown yet, in order, each with the flat hit's snippet and score; a row's versions are
the other articles of its story that the query matches under the same filters (also those
ranked below the window), by date, undated last; the folded count and the row count agree."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

import searchkit
from searchkit.engine.whoosh import dense
from searchkit.models import SearchOptions

from .conftest import SEEDS, write_corpus

OUTLETS = ["Daily Ledger", "The Courier", "Wire Service", "Evening Post"]
WORDS = ("unrelated", "column", "letters", "weather", "sport", "satellite", "china", "ukraine", "minister")


def _corpus(root: Path) -> Path:
    """The seed articles, each copied by up to three other outlets (a paragraph dropped, a
    word changed) with their own dates, some undated; and articles of no story."""
    rng = random.Random(7)
    files: dict[str, str] = {}
    meta = []
    for n, seed in enumerate(sorted(SEEDS.glob("*.txt"))):
        text = seed.read_text(encoding="utf-8")
        for copy in range((1, 3, 2, 4, 1)[n]):
            name = f"s{n}-{copy}.txt"
            paragraphs = text.split("\n\n")
            edited = "\n\n".join(paragraphs[:-1] if copy else paragraphs).replace(" said ", " stated ", copy)
            files[name] = edited
            day = dt.date(2024, 3, 1) + dt.timedelta(days=rng.randint(0, 20))
            meta.append(f'["{name}"]\noutlet = "{OUTLETS[copy % len(OUTLETS)]}"\n'
                        + (f"date = {day.isoformat()}\n" if copy != 2 else ""))
    for i in range(20):
        files[f"lone-{i:02d}.txt"] = f"Note {i}\n\n" + " ".join(rng.choice(WORDS) for _ in range(60)) + f" lone {i}.\n"
    files["metadata.toml"] = "\n".join(meta)
    return write_corpus(root, files)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> searchkit.Index:
    root = tmp_path_factory.mktemp("collapse")
    ix = searchkit.build_index(_corpus(root / "c"), root / "ix")
    assert any(len(s.doc_ids) > 2 for s in ix.stories())
    yield ix
    ix.close()


def _reference(ix: searchkit.Index, query: str, options: SearchOptions) -> tuple[list, int, int | None]:
    flat = ix.search_with(query, SearchOptions(**{**options.__dict__, "collapse": False, "page": 1, "limit": 1000}))
    rows, seen, folded = [], set(), 0
    for hit in flat.hits:
        if hit.story is not None and hit.story in seen:
            folded += 1
            continue
        if hit.story is not None:
            seen.add(hit.story)
        rows.append(hit)
    start = (options.page - 1) * options.limit
    page = []
    for rank, hit in enumerate(rows[start:start + options.limit], start + 1):
        versions = []
        if hit.story is not None:
            story = ix.story(hit.story)
            assert story is not None
            matching = set(ix.matching_ids(query, options)) & set(story.doc_ids)
            versions = sorted((d for d in matching if d != hit.doc_id),
                              key=lambda d: (ix.document(d).meta.date is None, ix.document(d).meta.date or dt.date.min, d))
        page.append((rank, hit.doc_id, hit.story, hit.snippet, hit.highlights, hit.score, versions))
    return page, folded, len(rows)


@pytest.mark.parametrize("process", ["long-lived", "one-shot"])
@pytest.mark.parametrize("path", ["numpy", "sets"])
@pytest.mark.parametrize("query", ["satellite imagery", "china OR ukraine", "minister", '"satellite imagery"', "nosuchword", "*"])
def test_a_collapsed_page_is_the_flat_ranking_folded_by_story(index: searchkit.Index, query: str, path: str,
                                                              process: str) -> None:
    """Also in a one-shot process, which folds by the hits' ids instead of the searcher's
    table of every document's story (a fresh index object: nothing kept from other searches)."""
    context = dense.disabled() if path == "sets" else None
    if context is not None:
        context.__enter__()
    searched = index
    if process == "one-shot":
        searched = searchkit.open_index(index.path)
        searched.one_shot = True
    try:
        for options in (SearchOptions(limit=3, collapse=True), SearchOptions(limit=3, page=2, collapse=True),
                        SearchOptions(limit=4, collapse=True, outlet="The Courier"),
                        SearchOptions(limit=5, collapse=True, since=dt.date(2024, 3, 5))):
            got = searched.search_with(query, options)
            page, folded, rows = _reference(index, query, options)
            assert [(h.rank, h.doc_id, h.story, h.snippet, h.highlights, h.score, [v.doc_id for v in h.versions])
                    for h in got.hits] == page
            for hit in got.hits:
                for version in hit.versions:
                    meta = index.document(version.doc_id).meta
                    assert (version.outlet, version.date) == (meta.outlet, meta.date)
            if got.rows is not None:  # every match was ranked: the counts are the whole ranking's
                assert (got.rows, got.collapsed) == (rows, folded)
            assert got.total == index.search_with(query, SearchOptions(**{**options.__dict__, "collapse": False})).total
    finally:
        if searched is not index:
            searched.close()
        if context is not None:
            context.__exit__(None, None, None)
