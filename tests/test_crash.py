"""Real processes: an indexer killed mid-write, and two indexers at once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from searchkit import build_index, open_index
from searchkit.api import check_index

from .conftest import SEEDS, run_cli, write_corpus

N_FILES = 2500


def _big_corpus(root: Path, n: int = N_FILES, seed: int = 7) -> Path:
    """n small articles made from the seeds' words, plus one article we search for."""
    rng = random.Random(seed)
    words = " ".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")).split()
    files = {f"batch{i // 500}/art{i:05d}.txt": f"Article {i}\n\n" + " ".join(rng.choices(words, k=120))
             for i in range(n)}
    files["marker.txt"] = "Zeppelin report\n\nA zeppelin was seen over the harbour."
    return write_corpus(root, files)


def _start_index(corpus: Path, index: Path, *extra: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHKIT_")}
    return subprocess.Popen([sys.executable, "-m", "searchkit", "index", str(corpus), "--index", str(index), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _wait_for_lock_holder(index: Path, proc: subprocess.Popen[str], timeout: float = 30) -> None:
    lock = index / ".searchkit.lock"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if lock.exists() and lock.read_text().strip() == str(proc.pid):
            return
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        time.sleep(0.01)
    raise AssertionError("indexer never took the lock")


@pytest.mark.parametrize("mode", ["rebuild", "update"])
@pytest.mark.parametrize("delay", [0.3, 1.2])
def test_index_killed_mid_write_leaves_the_last_good_index_searchable(tmp_path: Path, mode: str, delay: float) -> None:
    corpus = _big_corpus(tmp_path / "c")
    index = tmp_path / "ix"
    first = build_index(corpus, index)
    expected = [h.doc_id for h in first.search("zeppelin")]
    count = first.summary.documents
    first.close()
    assert expected == ["marker.txt"] and count == N_FILES + 1

    if mode == "update":  # change every file so that the run has real writing to do
        for path in sorted(corpus.rglob("art*.txt")):
            path.write_text(path.read_text() + " amended", encoding="utf-8")
    proc = _start_index(corpus, index, *(["--rebuild"] if mode == "rebuild" else []))
    _wait_for_lock_holder(index, proc)
    time.sleep(delay)
    still_running = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    after = open_index(index)  # the old index (or a complete new one) answers
    assert [h.doc_id for h in after.search("zeppelin")] == expected
    assert after.stats().documents == count
    after.close()
    report = check_index(index)  # and what is live matches its recorded checksums
    assert report.ok and report.checksums, report
    # and the next run recovers completely
    ix = build_index(corpus, index)
    assert ix.stats().documents == count
    assert [h.doc_id for h in ix.search("zeppelin")] == expected
    if mode == "update":
        assert ix.search("amended").total == N_FILES
    ix.close()
    assert still_running or delay > 1, "the run finished before it could be killed: make the corpus bigger"


def test_two_concurrent_index_runs_one_waits_out_with_a_clear_message(tmp_path: Path) -> None:
    corpus = _big_corpus(tmp_path / "c")
    index = tmp_path / "ix"
    first = _start_index(corpus, index)
    _wait_for_lock_holder(index, first)
    second = run_cli("index", str(corpus), "--index", str(index))
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, err
    assert second.returncode == 2
    assert second.stderr.startswith("searchkit: error: another `searchkit index`")
    assert f"pid {first.pid}" in second.stderr
    assert len(second.stderr.strip().splitlines()) == 1
    ix = open_index(index)
    assert ix.stats().documents == N_FILES + 1
    ix.close()
