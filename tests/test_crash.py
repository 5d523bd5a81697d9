"""Real processes: an indexer killed at each step of its commit, and two indexers at once.

The kill happens at a named fault point (SEARCHKIT_FAULT, searchkit/faults.py), never after
a guessed delay: each test knows the step it killed at, fails if the run never got there,
and asserts the one state the index may be in after it. The whole module is in the slow lane.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from searchkit import build_index, open_index
from searchkit.api import check_index
from searchkit.faults import POINTS
from searchkit.store import read_pointer

from .conftest import SEEDS, run_cli, write_corpus

N_FILES = 300


def _corpus(root: Path, n: int = N_FILES, seed: int = 7) -> Path:
    """n small articles made from the seeds' words, plus one article we search for."""
    rng = random.Random(seed)
    words = " ".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")).split()
    files = {f"batch{i // 100}/art{i:05d}.txt": f"Article {i}\n\n" + " ".join(rng.choices(words, k=120))
             for i in range(n)}
    files["marker.txt"] = "Zeppelin report\n\nA zeppelin was seen over the harbour."
    return write_corpus(root, files)


@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize("mode", ["rebuild", "update"])
def test_index_killed_mid_write_leaves_the_last_good_index_searchable(tmp_path: Path, searchkit_runs,
                                                                      mode: str, point: str) -> None:
    corpus = _corpus(tmp_path / "c")
    index = tmp_path / "ix"
    first = build_index(corpus, index)
    expected = [h.doc_id for h in first.search("zeppelin")]
    count = first.summary.documents
    first.close()
    assert expected == ["marker.txt"] and count == N_FILES + 1
    live = read_pointer(index).generation

    if mode == "update":  # change every file so that the run has real writing to do
        for path in sorted(corpus.rglob("art*.txt")):
            path.write_text(path.read_text() + " amended", encoding="utf-8")
    proc = searchkit_runs.start("index", str(corpus), "--index", str(index),
                                *(["--rebuild"] if mode == "rebuild" else []), fault=f"{point}:kill")
    searchkit_runs.killed_at(proc, point)

    # A rebuild is live only once the pointer names it: the old generation answers. An update
    # is committed in place by its TOC: before it, the old documents answer; after, the new.
    assert read_pointer(index).generation == live
    committed = mode == "update" and point != "after-segment-write"
    after = open_index(index)
    assert [h.doc_id for h in after.search("zeppelin")] == expected
    assert after.stats().documents == count
    assert after.search("amended").total == (N_FILES if committed else 0)
    after.close()
    report = check_index(index)  # what is live matches its recorded checksums
    assert report.ok, report
    if mode == "update" and point == "before-manifest":  # committed, its checksums not recorded
        assert any("no checksums yet" in note for note in report.notes), report
    else:
        assert report.checksums and not report.notes, report
    # and the next run recovers completely
    ix = build_index(corpus, index)
    assert ix.stats().documents == count
    assert [h.doc_id for h in ix.search("zeppelin")] == expected
    if mode == "update":
        assert ix.search("amended").total == N_FILES
    ix.close()
    assert check_index(index).ok and not check_index(index).notes


def test_two_concurrent_index_runs_one_waits_out_with_a_clear_message(tmp_path: Path, searchkit_runs) -> None:
    corpus = _corpus(tmp_path / "c")
    index = tmp_path / "ix"
    first = searchkit_runs.start("index", str(corpus), "--index", str(index), pause_at="art00150.txt")
    searchkit_runs.wait_for_pause(first)  # holding the lock, mid-run
    second = run_cli("index", str(corpus), "--index", str(index))
    searchkit_runs.release()
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert second.returncode == 2
    assert second.stderr.startswith("searchkit: error: another `searchkit index`")
    assert f"pid {first.pid}" in second.stderr
    assert len(second.stderr.strip().splitlines()) == 1
    ix = open_index(index)
    assert ix.stats().documents == N_FILES + 1
    ix.close()
