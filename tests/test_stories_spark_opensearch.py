"""The stories stage on Spark with the index in a real OpenSearch cluster (two nodes, two
primary shards, one replica; issue 26): Spark's executors read the index themselves (one
point in time, in slices, each with search_after), the story ids go back with bulk updates,
and the stored stories are those of the in-process stage over the same articles.

Run by `make test-spark` (CI), which requires both Spark and the OpenSearch nodes; elsewhere
the module skips with one line when either is missing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import searchkit
from searchkit import story_stage
from searchkit.build import recompute_stories
from searchkit.engine import locate
from searchkit.stories import StoryModel

from .opensearch_cluster import skip_module_unless_available, start_cluster
from .test_stories_spark import _assert_same, _payload  # noqa: F401 - also skips without Spark

import storygen

skip_module_unless_available()


@pytest.fixture(scope="module")
def cluster() -> Any:
    c = start_cluster(2)
    yield c
    c.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("spark-opensearch")
    storygen.write(root / "sg", 300, seed=11)
    return root / "sg" / "corpus"


def _labels(engine: Any, generation: str) -> dict[str, str]:
    """Every document's story as the cluster holds it (its own id when alone)."""
    from searchkit.engine.opensearch.compile import MATCH_ALL
    from searchkit.engine.opensearch.reader import OpenSearchReader

    reader = OpenSearchReader(engine.client, engine.home.concrete(generation), engine.location.display)
    return {hit["_source"]["doc_id"]: hit["_source"].get("story") for hit in reader._scan(MATCH_ALL, ["doc_id", "story"])}


def test_spark_reads_an_opensearch_index_and_writes_its_stories_back(cluster: Any, corpus: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("SEARCHKIT_OPENSEARCH_SHARDS", "2")
    monkeypatch.setenv("SEARCHKIT_OPENSEARCH_REPLICAS", "1")
    url = f"{cluster.url}/stories-on-spark"
    searchkit.build_index(corpus, url)  # the in-process stage stores its stories and labels
    engine, home = locate(url)
    gen = home.read_pointer().generation
    built = StoryModel.from_bytes(home.read_side(gen, story_stage.STORIES_SUFFIX) or b"")
    built_map = home.read_side(gen, story_stage.MAP_SUFFIX)
    labels = _labels(engine, gen)
    assert len([s for s in built.stories if len(s.doc_ids) > 1]) >= 10  # something to get wrong
    story_of = {d: sid for sid, docs in story_stage.story_map(built).items() for d, _, _ in docs}
    assert labels == {d: story_of.get(d, d) for d in labels}
    reader = engine.reader(home.folder, gen)
    try:
        _assert_same(story_stage.compute(reader), built)  # the in-process stage, again, over the cluster
    finally:
        reader.close()
    local = searchkit.build_index(corpus, tmp_path / "local")  # the same articles in a local index
    assert [s.doc_ids for s in local.stories()] == [s.doc_ids for s in built.stories]

    # Forget them: stories that say nothing, every article labelled alone.
    home.write_side(gen, story_stage.STORIES_SUFFIX, b"not a model")
    home.write_side(gen, story_stage.MAP_SUFFIX, b"{}")
    engine.label_stories(home.folder, gen, {})
    assert set(_labels(engine, gen).items()) == {(d, d) for d in labels}

    stats: dict[str, Any] = {}
    count = recompute_stories(url, spark="local[2]", stats=stats)
    assert stats["input"] == f"index in {story_stage.SPARK_READ_PARTS} parts"  # read by the executors
    assert stats["documents"] == len(labels)
    assert count == len(story_stage.story_map(built))
    stored = StoryModel.from_bytes(home.read_side(gen, story_stage.STORIES_SUFFIX) or b"")
    _assert_same(stored, built)
    assert home.read_side(gen, story_stage.MAP_SUFFIX) == built_map
    assert _labels(engine, gen) == labels  # written back with bulk updates
    # what a user sees through the engine: story: filters and collapsing by the labels
    index = searchkit.open_index(url)
    story = max(built.stories, key=lambda s: len(s.doc_ids))
    hits = index.search(f"story:{story.story_id}", limit=1000)
    assert sorted(h.doc_id for h in hits.hits) == sorted(story.doc_ids)
