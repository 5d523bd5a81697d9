"""`searchkit query --explain` and `--path`: how a search ran, said by real processes on a
real index; the path a process takes (issue 24: explicit, the fast one from a long-lived
process's first search that gains from it)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import REPO, SEEDS, run_cli

STAGES = ["parse", "match", "rank", "snippets", "facets", "did-you-mean"]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """seeds/ and its index/, as after `make run`."""
    root = tmp_path_factory.mktemp("explain")
    shutil.copytree(SEEDS, root / "seeds")
    built = run_cli("index", cwd=root)
    assert built.returncode == 0, built.stderr
    return root


def _json(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def _explain_block(stderr: str) -> dict[str, str]:
    """The rows of the ``explain:`` block on stderr, by name."""
    lines = stderr.splitlines()
    start = lines.index("explain:")
    rows = {}
    for line in lines[start + 1:]:
        if not line.startswith("  "):
            break
        name, _, value = line.strip().partition("  ")
        rows[name] = value.strip()
    return rows


def test_explain_prints_the_compiled_query_path_dropped_words_and_stage_times(workdir: Path) -> None:
    plain = run_cli("query", '"satellite imagery" of the drone', "--no-collapse", cwd=workdir)
    explained = run_cli("query", '"satellite imagery" of the drone', "--no-collapse", "--explain", cwd=workdir)
    assert plain.returncode == explained.returncode == 0, explained.stderr
    # The hits are what they are without --explain (the timing line aside).
    assert plain.stdout.splitlines()[1:] == explained.stdout.splitlines()[1:]
    rows = _explain_block(explained.stderr)
    compiled = rows["compiled query"]
    assert 'body:"' in compiled and "drone" in compiled and "ALL-WORDS-FIRST(" in compiled
    assert " of " not in compiled and " the " not in compiled
    assert rows["words dropped"] == "of, the"
    assert rows["path"] == "sets"  # a one-shot process on a small index does not import numpy
    names = list(rows)
    assert names[:3] == ["compiled query", "path", "words dropped"]  # no filters: no row for them
    assert names[3:] == [*STAGES, "other", "total"] or names[3:] == [*STAGES, "total"]
    times = [float(rows[stage].removesuffix(" ms")) for stage in STAGES]
    assert all(t >= 0 for t in times) and sum(times) <= float(rows["total"].removesuffix(" ms")) + 0.05
    assert "explain" not in plain.stderr


def test_explain_in_json_is_a_last_line_and_each_path_says_it_ran(workdir: Path) -> None:
    runs = {}
    for path in ("sets", "numpy", "auto"):
        done = run_cli("query", "russia china", "--json", "--explain", "--facets", "--since", "2024-01-01",
                       "--path", path, "--no-collapse", cwd=workdir)
        assert done.returncode == 0, done.stderr
        runs[path] = _json(done.stdout)
    for path, rows in runs.items():
        explain = rows[-1]["explain"]
        assert set(explain) == {"compiled", "filters", "path", "dropped", "stages_ms", "elapsed_ms"}
        assert explain["path"] == (path if path != "auto" else "sets")
        assert list(explain["stages_ms"]) == STAGES
        assert sum(explain["stages_ms"].values()) <= explain["elapsed_ms"] + 0.05
        assert "day:[20240101 TO" in explain["filters"]
        assert "facets" in rows[-2]
    # The same hits, scores, totals and facets on every path.
    without_timings = {path: [row for row in rows if "summary" not in row and "explain" not in row]
                       for path, rows in runs.items()}
    assert without_timings["sets"] == without_timings["numpy"] == without_timings["auto"]
    assert len(without_timings["sets"]) >= 3


def test_a_collapsed_search_explains_its_stories_and_versions(workdir: Path) -> None:
    done = run_cli("query", "russia", "--json", "--explain", cwd=workdir)
    assert done.returncode == 0, done.stderr
    explain = _json(done.stdout)[-1]["explain"]
    assert list(explain["stages_ms"]) == ["stories", *STAGES, "versions"]
    assert sum(explain["stages_ms"].values()) <= explain["elapsed_ms"] + 0.05


def test_an_unknown_path_is_a_one_line_error(workdir: Path) -> None:
    done = run_cli("query", "russia", "--path", "fastest", cwd=workdir)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "invalid choice: 'fastest'" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_explained_query_never_carries_terminal_escapes_or_bidi_overrides() -> None:
    """The compiled query and the dropped words come from what was typed (or pasted): the
    block on stderr and the JSON line escape control and bidi characters, as for hits."""
    from searchkit.models import Explain
    from searchkit.render import explain_json, explain_text
    from searchkit.sanitize import json_line

    hostile = "outlet_key:\x1b[31mx\u202e\x07"
    explain = Explain(compiled=hostile, path="sets", dropped=("of\x1b]0;title\x07",), stages=(("parse", 0.001),),
                      filters=hostile)
    text = explain_text(explain, 0.002)
    line = json_line(explain_json(explain, 0.002))
    for shown in (text, line):
        assert "\x1b" not in shown and "\u202e" not in shown and "\x07" not in shown
    assert "outlet_key:" in text and json.loads(line)["explain"]["compiled"] == hostile


def _process(script: str, index: Path) -> list[str]:
    """Run ``script`` in a new Python process (``ix`` open on ``index``); its stdout lines."""
    code = "import sys, searchkit\nix = searchkit.open_index(sys.argv[1])\n" + textwrap.dedent(script)
    done = subprocess.run([sys.executable, "-c", code, str(index)], capture_output=True, text=True,
                          cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_a_long_lived_process_takes_the_numpy_path_from_its_first_search_that_gains(workdir: Path) -> None:
    """The library (as the shell and the web page) keeps sets while searches read little,
    without importing numpy; at the first search that reads more than its budget it imports
    numpy and stays on that path. The budget is set between the two searches' real costs."""
    script = """
        from searchkit.engine.whoosh import search
        costs = ix._read(lambda r: [search._set_path_cost(r.searcher, [search.parse_query(q)])
                                    for q in ("nitrocellulose", "russia china")])
        assert costs[0] < costs[1], costs
        search.LONG_LIVED_SET_BUDGET = costs[0] + 1
        for q in ("nitrocellulose", "russia china", "nitrocellulose"):
            results = ix.search(q, explain=True)
            print(results.explain.path, "numpy" in sys.modules)
    """
    assert _process(script, workdir / "index") == ["sets", "False", "numpy", "True", "numpy", "True"]


def test_a_one_shot_process_stays_on_sets_where_they_are_cheaper(workdir: Path) -> None:
    """As the command line's query and export: sets on an index this small, whatever they read."""
    script = """
        ix.one_shot = True
        for q in ("nitrocellulose", "russia china", '"satellite imagery"'):
            results = ix.search(q, explain=True)
            print(results.explain.path, "numpy" in sys.modules)
        list(ix.export("russia"))
        print("numpy" in sys.modules)
    """
    assert _process(script, workdir / "index") == ["sets", "False"] * 3 + ["False"]
