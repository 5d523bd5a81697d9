"""The public surface is one place: `searchkit/__init__.py` names every type a library user
needs, loads the heavy ones lazily, and the package says it is typed (PEP 561)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import searchkit

PACKAGE = Path(searchkit.__file__).resolve().parent


def test_every_public_name_resolves_and_is_listed_once() -> None:
    assert len(searchkit.__all__) == len(set(searchkit.__all__))
    for name in searchkit.__all__:
        assert getattr(searchkit, name) is not None, name


def test_type_checkers_see_the_lazy_names() -> None:
    """The names loaded on first use are also imported under TYPE_CHECKING, so that mypy and
    editors know their types (a module ``__getattr__`` alone gives them none)."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    checked = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.If)
               and getattr(node.test, "id", "") == "TYPE_CHECKING"
               for stmt in node.body if isinstance(stmt, ast.ImportFrom) for alias in stmt.names}
    lazy = set(searchkit._LAZY)
    assert checked == lazy
    assert lazy <= set(searchkit.__all__)


def test_what_a_search_returns_is_public() -> None:
    """Every dataclass Index.search, Index.stories, Index.export... hand back can be named."""
    from searchkit import api

    hints = {name for fn in vars(api.Index).values() if callable(fn)
             for name in [getattr(fn, "__annotations__", {}).get("return")] if isinstance(name, str)}
    named = {h.split("[")[0].split(" |")[0] for h in hints}
    for name in named & {"Results", "Story", "Comparison", "Export", "IndexStats", "Document", "CheckReport"}:
        assert name in searchkit.__all__, name


def test_importing_the_package_stays_light() -> None:
    code = ("import sys, searchkit; from searchkit import Sort, SORTS, Hit; "
            "print(sorted(m for m in ('whoosh', 'searchkit.api', 'searchkit.stories') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_package_is_marked_typed() -> None:
    assert (PACKAGE / "py.typed").is_file()
