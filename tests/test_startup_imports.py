"""What a one-shot process imports: nothing it never uses (issue 13).

Each check runs a real ``python -m searchkit ...`` process and reads ``sys.modules`` as it
exits, so an import made any way (``import``, ``importlib``, a lazy import at first use)
counts. ``urllib.request`` (via ``whoosh.compat``) and ``asyncio`` (via the
``cached_property`` package) are imported by Whoosh and never used:
``searchkit/engine/whoosh/leanimports.py`` keeps them out; the last tests check that code
that really uses them in the same process still gets the real packages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, write_corpus

#: Imported by Whoosh, used by nothing that searchkit runs.
NEVER_USED = ("urllib.request", "asyncio")

# Runs the CLI as `python -m searchkit ARGS` does, then writes sys.modules to a file at exit.
_DRIVER = """
import atexit, json, runpy, sys
out = sys.argv.pop(1)
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
sys.argv[0] = "searchkit"
runpy.run_module("searchkit", run_name="__main__", alter_sys=True)
"""


def _cli_modules(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    out = tmp_path / "modules.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHKIT_")}
    env["XDG_CONFIG_HOME"] = str(REPO / "tests" / "data" / "no-config-here")
    done = subprocess.run([sys.executable, "-c", _DRIVER, str(out), *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    return done, set(json.loads(out.read_text()))


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import searchkit

    root = tmp_path_factory.mktemp("startup")
    corpus = write_corpus(root / "corpus", {
        "a.txt": "Nitrocellulose shipments\n\nMachine tools and nitrocellulose crossed the border.\n",
        "b.txt": "Port imagery\n\nSatellite imagery of the port shows new cranes.\n",
    })
    searchkit.build_index(corpus, root / "index").close()
    return root / "index"


def test_import_searchkit_loads_neither_numpy_nor_whoosh_unused_imports() -> None:
    code = "import json, sys, searchkit\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    modules = set(json.loads(out.stdout))
    assert "searchkit" in modules  # the check sees what the process loaded
    assert _loaded(modules, ("numpy", *NEVER_USED)) == []


def test_help_loads_neither_numpy_nor_whoosh_unused_imports(tmp_path: Path) -> None:
    done, modules = _cli_modules(tmp_path, "--help")
    assert done.returncode == 0 and "usage: searchkit" in done.stdout
    assert _loaded(modules, ("numpy", *NEVER_USED)) == []


def test_one_shot_query_finds_hits_without_urllib_request_or_asyncio(tmp_path: Path, small_index: Path) -> None:
    done, modules = _cli_modules(tmp_path, "query", "nitrocellulose", "--index", str(small_index))
    assert done.returncode == 0, done.stderr
    assert "Nitrocellulose shipments" in done.stdout
    assert "whoosh.reading" in modules and "cached_property" in modules  # the search ran Whoosh
    # A small index is searched with sets: importing numpy would cost more than the search.
    assert _loaded(modules, ("numpy", *NEVER_USED)) == []


def test_a_one_shot_phrase_on_a_small_index_loads_no_numpy(tmp_path: Path, small_index: Path) -> None:
    done, modules = _cli_modules(tmp_path, "query", '"nitrocellulose shipments"', "--facets", "--index", str(small_index))
    assert done.returncode == 0, done.stderr
    assert "Nitrocellulose shipments" in done.stdout
    assert _loaded(modules, ("numpy", *NEVER_USED)) == []


def test_stats_of_a_small_index_loads_neither(tmp_path: Path, small_index: Path) -> None:
    done, modules = _cli_modules(tmp_path, "stats", "--index", str(small_index))
    assert done.returncode == 0, done.stderr
    assert "documents  2" in done.stdout
    assert _loaded(modules, ("numpy", *NEVER_USED)) == []


# Code that really uses the packages Whoosh was imported without, after a search.
_LATER_USE = """
import asyncio, sys, urllib.request
from pathlib import Path
import searchkit
from cached_property import cached_property
import whoosh.compat

ix = searchkit.open_index(sys.argv[1])
assert ix.search("satellite").total == 1
assert hasattr(sys.modules["asyncio"], "__file__") and hasattr(sys.modules["urllib.request"], "__file__")

async def double(x):
    await asyncio.sleep(0)
    return 2 * x

print("asyncio.run", asyncio.run(double(21)))
print("Request", urllib.request.Request("http://example.invalid/a").get_method())

class Lazy:
    @cached_property
    async def value(self):
        return await double(4)

async def main():
    return await Lazy().value
print("async cached_property", asyncio.run(main()))

source = Path(sys.argv[2]) / "source.txt"
source.write_text("copied")
dest, _ = whoosh.compat.urlretrieve(source.as_uri(), str(Path(sys.argv[2]) / "copy.txt"))
print("urlretrieve", Path(dest).read_text())
"""


@pytest.mark.parametrize("first", ["searchkit", "asyncio"])
def test_urllib_request_and_asyncio_still_work_after_a_search(tmp_path: Path, small_index: Path,
                                                               first: str) -> None:
    # first=asyncio: the shell's case, where prompt_toolkit has imported asyncio before Whoosh.
    code = f"import {first}, searchkit.engine.whoosh\n" + _LATER_USE
    done = subprocess.run([sys.executable, "-c", code, str(small_index), str(tmp_path)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["asyncio.run 42", "Request GET", "async cached_property 8",
                                        "urlretrieve copied"]
