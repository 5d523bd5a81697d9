"""The 3-node OpenSearch cluster the tests share (started once per run), or one line saying
why it cannot run here. SEARCHKIT_REQUIRE_OPENSEARCH=1 (set by `make test-opensearch`, which
CI runs) turns that skip into a failure."""

from __future__ import annotations

import os

import pytest


from cluster import Cluster, missing_tools  # noqa: E402


def unavailable() -> str | None:
    why = missing_tools()
    if why is None:
        try:
            import opensearchpy  # noqa: F401
        except ImportError:
            why = "opensearch-py is not installed (pip install -e '.[opensearch]')"
    return why


def skip_module_unless_available() -> None:
    """Called at a test module's top: one skip line for the whole module (or one failure
    when SEARCHKIT_REQUIRE_OPENSEARCH is set)."""
    why = unavailable()
    if why:
        if os.environ.get("SEARCHKIT_REQUIRE_OPENSEARCH"):
            pytest.fail(f"OpenSearch tests required but cannot run: {why}", pytrace=False)
        pytest.skip(f"OpenSearch tests skipped: {why}", allow_module_level=True)


def start_cluster(n: int = 3) -> Cluster:
    # Disk checks every 10 s (the least allowed; the full-disk test moves the watermarks); small heaps.
    return Cluster(n, heap="384m", settings={"cluster.info.update.interval": "10s"}).start()
