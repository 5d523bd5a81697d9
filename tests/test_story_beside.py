"""A full build computes its stories in a second process while it indexes (story_beside): the
stories it stores are the ones the index's own documents give in-process (to the byte of what
is stored), and a stories process that dies leaves a build with the same stories, computed in
the build's process instead."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

import searchkit
from searchkit import build as build_module
from searchkit import story_beside, story_stage
from searchkit.engine import locate
from searchkit.stories.model import read_payload

import storygen


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("beside")
    storygen.write(root / "sg", 300, seed=11)
    return root / "sg" / "corpus"


def _stored_and_recomputed(index: Path) -> tuple[dict[str, Any], dict[str, Any], Any, Any]:
    engine, home = locate(index)
    generation = home.read_pointer().generation
    stored = home.read_side(generation, story_stage.STORIES_SUFFIX)
    assert stored is not None
    reader = engine.reader(home.folder, generation)
    try:
        model = story_stage.compute(reader)
    finally:
        reader.close()
    return read_payload(stored), read_payload(model.to_bytes()), story_stage.load_map(home, generation), \
        story_stage.story_map(model)


@pytest.fixture
def spied(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every stories process the builds start (and the threshold low enough for this corpus)."""
    monkeypatch.setattr(build_module, "STORIES_BESIDE_MIN_FILES", 100)
    started: list[Any] = []
    real_init = story_beside.StoriesBeside.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        started.append(self)
    monkeypatch.setattr(story_beside.StoriesBeside, "__init__", init)
    return started


def test_stories_computed_beside_the_build_are_the_in_process_ones(corpus: Path, tmp_path: Path,
                                                                    spied: list[Any]) -> None:
    summary = build_module.build(corpus, tmp_path / "ix")
    assert len(spied) == 1 and summary.warnings == ()
    stored, recomputed, stored_map, recomputed_map = _stored_and_recomputed(tmp_path / "ix")
    assert stored == recomputed
    assert stored_map == recomputed_map and len(stored_map or {}) >= 10  # a corpus with stories
    assert not spied[0]._proc.is_alive()
    index = searchkit.open_index(tmp_path / "ix")
    member = next(iter(stored_map.values()))[0][0]  # type: ignore[union-attr]
    assert index.document(member) is not None


def test_a_stories_process_that_dies_leaves_the_same_stories(corpus: Path, tmp_path: Path, spied: list[Any],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    real_add = story_beside.StoriesBeside.add
    calls = []

    def add_then_die(self: Any, doc: Any) -> None:
        real_add(self, doc)
        calls.append(doc.doc_id)
        if len(calls) == 50:
            os.kill(self._proc.pid, 9)  # the OOM killer, say
    monkeypatch.setattr(story_beside.StoriesBeside, "add", add_then_die)
    summary = build_module.build(corpus, tmp_path / "ix")
    assert len(spied) == 1 and len(calls) == summary.documents
    assert summary.warnings == ()
    stored, recomputed, stored_map, recomputed_map = _stored_and_recomputed(tmp_path / "ix")
    assert stored == recomputed and stored_map == recomputed_map


def test_small_builds_keep_their_stories_in_process(tmp_path: Path, spied: list[Any], corpus: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    searchkit.build_index(corpus, tmp_path / "ix", procs=2)  # under 2,000 files: one process anyway
    assert len(spied) == 1
    monkeypatch.setattr(build_module, "STORIES_BESIDE_MIN_FILES", 10**9)
    searchkit.build_index(corpus, tmp_path / "ix2")
    assert len(spied) == 1
    stored, recomputed, _, _ = _stored_and_recomputed(tmp_path / "ix2")
    assert stored == recomputed
