"""Shared fixtures: real corpora on disk, real indexes, the CLI as a real process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"

#: Whole modules in the slow lane (`make test-all`, CI; `make test` runs ``-m "not slow"``):
#: indexers killed and raced as real processes, a real browser, a real OpenSearch cluster, a
#: real Spark (those two in their own target, `make test-spark`).
#: Single slow tests elsewhere carry ``@pytest.mark.slow`` themselves.
SLOW_MODULES = ("test_crash.py", "test_web_browser.py", "test_opensearch.py", "test_stories_spark.py",
                "test_stories_spark_opensearch.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


def write_corpus(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create ``root`` with the given files (str is written as UTF-8)."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
    return root


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 120, **kwargs) -> subprocess.CompletedProcess[str]:
    """Run ``python -m searchkit ARGS`` as a user would, capturing text output."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHKIT_")}
    full_env.pop("NO_COLOR", None)
    # No user config file of the machine running the tests (tests that want one set it).
    full_env["XDG_CONFIG_HOME"] = str(REPO / "tests" / "data" / "no-config-here")
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "searchkit", *args],
        cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout, **kwargs,
    )


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of the seed corpus (with its metadata.toml) that a test may change."""
    dest = tmp_path / "seeds"
    shutil.copytree(SEEDS, dest)
    return dest


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory: pytest.TempPathFactory):
    """An index of the seed corpus, shared by read-only tests."""
    import searchkit

    root = tmp_path_factory.mktemp("seeds-index")
    corpus = root / "seeds"
    shutil.copytree(SEEDS, corpus)
    ix = searchkit.build_index(corpus, root / "index")
    yield ix
    ix.close()


@pytest.fixture
def searchkit_runs(tmp_path: Path):
    """Start real `searchkit` processes (tests/processes.py); all killed when the test ends."""
    from .processes import SearchkitRuns

    runs = SearchkitRuns(tmp_path)
    yield runs
    runs.kill_all()


@dataclass(frozen=True)
class MultiSegmentIndex:
    """The generated news corpus of tests/querycorpus.py indexed in three runs (a full build,
    then two updates adding, editing and deleting files), as users' indexes are: several
    segments and deleted documents. Shared by the whole session: tests only read it."""

    index: Any  # the open searchkit.Index
    corpus: Path
    summaries: tuple[Any, ...]  # the three runs' BuildSummary
    articles: int
    seed: int


@pytest.fixture(scope="session")
def multi_segment_index(tmp_path_factory: pytest.TempPathFactory):
    from . import querycorpus

    root = tmp_path_factory.mktemp("multi-segment")
    n, seed = 300, 1
    ix, summaries = querycorpus.build_three_runs(root / "news", root / "index", n=n, seed=seed)
    yield MultiSegmentIndex(ix, root / "news", tuple(summaries), n, seed)
    ix.close()
