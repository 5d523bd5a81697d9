"""The layout's rules, checked on the source and on real processes: Whoosh stays inside
``searchkit/engine/whoosh/``, the import graph has no cycle, the engine version is checked,
what the index pickles never names a module that may move, and old indexes get a message."""

from __future__ import annotations

import ast
import json
import re
import os
import pickletools
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import searchkit

from .conftest import REPO, SEEDS, run_cli, write_corpus

PACKAGE = REPO / "searchkit"
ENGINE_DIR = PACKAGE / "engine" / "whoosh"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(absolute module imported, not made at run time by an importer) for every import in a
    file. Imports inside ``if TYPE_CHECKING:`` are type-only, and so are those of a module's
    ``if __name__ == "__main__":`` script entry (``python -m searchkit.clidocs``), which no
    importer of the module runs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    type_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ("TYPE_CHECKING" in ast.unparse(node.test)
                                         or ast.unparse(node.test) == "__name__ == '__main__'"):
            for inner in ast.walk(node):
                type_only.add(id(inner))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, id(node) in type_only) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((module, id(node) in type_only))
            for alias in node.names:  # "from . import api" imports the submodule
                found.append((f"{module}.{alias.name}", id(node) in type_only))
    return found


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_only_the_whoosh_engine_imports_whoosh() -> None:
    offenders = [
        f"{path.relative_to(REPO)} imports {module}"
        for path in _sources()
        if ENGINE_DIR not in path.parents
        for module, _ in _imports(path)
        if module == "whoosh" or module.startswith("whoosh.")
    ]
    assert offenders == []


def test_only_the_opensearch_engine_imports_opensearch() -> None:
    engine = PACKAGE / "engine" / "opensearch"
    offenders = [
        f"{path.relative_to(REPO)} imports {module}"
        for path in _sources()
        if engine not in path.parents
        for module, _ in _imports(path)
        if module == "opensearchpy" or module.startswith("opensearchpy.")
    ]
    assert offenders == []


def test_nothing_above_the_engines_names_one() -> None:
    """Above engine/, an index is a location: only engine/__init__ picks the engine."""
    offenders = [
        f"{path.relative_to(REPO)} imports {module}"
        for path in _sources()
        if PACKAGE / "engine" not in path.parents
        for module, _ in _imports(path)
        if module.startswith(("searchkit.engine.whoosh", "searchkit.engine.opensearch"))
    ]
    assert offenders == []


def test_the_import_graph_has_no_cycle() -> None:
    modules = {_module_name(path): path for path in _sources()}
    graph = {
        name: sorted({m for m, type_only in _imports(path) if m in modules and m != name and not type_only})
        for name, path in modules.items()
    }
    # A package's own __init__ importing its submodules is how packages work, not a cycle.
    graph = {name: [m for m in deps if not m.startswith(name + ".")] for name, deps in graph.items()}
    seen: dict[str, str] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        seen[node] = "active"
        for dep in graph[node]:
            if seen.get(dep) == "active":
                cycles.append(trail[trail.index(dep):] + [dep])
            elif dep not in seen:
                visit(dep, trail + [dep])
        seen[node] = "done"

    for name in graph:
        if name not in seen:
            visit(name, [name])
    assert cycles == []


def _loaded_modules(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True, cwd=REPO).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_import_searchkit_and_help_load_no_whoosh() -> None:
    for code in ("import searchkit",
                 "import searchkit.cli, contextlib, io\n"
                 "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
                 "    searchkit.cli.main(['--help'])"):
        loaded = _loaded_modules(code)
        assert [m for m in loaded if m == "whoosh" or m.startswith("whoosh.")] == [], code
        assert "searchkit.engine.whoosh" not in loaded


def test_a_different_whoosh_release_is_refused_with_a_message(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {"a.txt": "Satellite imagery of the port.\n"})
    searchkit.build_index(corpus, tmp_path / "ix").close()
    code = ("import sys, whoosh\nwhoosh.__version__ = (2, 7, 4)\nimport searchkit.cli\n"
            f"sys.exit(searchkit.cli.main(['query', 'satellite', '--index', {str(tmp_path / 'ix')!r}]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("searchkit: error: searchkit needs Whoosh 2.7.5")
    assert "2.7.4" in done.stderr and "Traceback" not in done.stderr


def _pickled_globals(data: bytes) -> set[str]:
    """Module names that a pickle refers to (GLOBAL and STACK_GLOBAL opcodes)."""
    modules: set[str] = set()
    strings: list[str] = []
    for opcode, arg, _ in pickletools.genops(data):
        if opcode.name in ("SHORT_BINUNICODE", "BINUNICODE", "UNICODE"):
            strings.append(arg)
        elif opcode.name == "GLOBAL":
            modules.add(arg.split(" ")[0])
        elif opcode.name == "STACK_GLOBAL":
            modules.add(strings[-2])
    return modules


#: Modules named by the pickles inside every index: they must never move or be renamed.
PICKLED_MODULES = {"searchkit.engine.whoosh.analysis", "searchkit.engine.whoosh.fastindex",
                   "searchkit.engine.whoosh.codec"}


def test_what_the_index_pickles_names_only_modules_that_never_move(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {"a.txt": "Satellite imagery of the port.\n"})
    searchkit.build_index(corpus, tmp_path / "ix").close()
    tocs = list((tmp_path / "ix").glob("*.toc"))
    assert tocs
    named: set[str] = set()
    for toc in tocs:  # a TOC holds several pickles: the schema, then the segments (their codec)
        data = toc.read_bytes()
        starts = [m.start() for m in re.finditer(b"\x80[\x02-\x05]", data)]
        for start in starts:
            try:
                named |= _pickled_globals(data[start:])
            except Exception:  # a protocol mark inside another pickle's data
                continue
    ours = {m for m in named if m.startswith("searchkit")}
    assert ours and ours <= PICKLED_MODULES, ours
    assert "searchkit.engine.whoosh.codec" in ours  # the segments' codec
    for module in PICKLED_MODULES:  # and they are where the pickles say
        assert (REPO / (module.replace(".", "/") + ".py")).is_file()


def test_an_index_from_another_schema_version_asks_for_a_rebuild(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {"a.txt": "Satellite imagery of the port.\n"})
    searchkit.build_index(corpus, tmp_path / "ix").close()
    pointer = tmp_path / "ix" / "searchkit.json"
    data = json.loads(pointer.read_text())
    data["schema_version"] = 1
    pointer.write_text(json.dumps(data))
    for args in (["query", "satellite"], ["index", str(corpus)], ["stats"]):
        done = run_cli(*args, "--index", str(tmp_path / "ix"), cwd=tmp_path)
        assert done.returncode == 2, args
        assert "rebuild it with `searchkit index --rebuild`" in done.stderr
        assert "Traceback" not in done.stderr
    assert run_cli("index", str(corpus), "--index", str(tmp_path / "ix"), "--rebuild", cwd=tmp_path).returncode == 0
    assert run_cli("query", "satellite", "--index", str(tmp_path / "ix"), cwd=tmp_path).returncode == 0


PREVIOUS_LAYOUT = "92bb2e7"  # the last commit before searchkit.engine.whoosh existed


def test_an_index_written_by_the_previous_layout_gets_the_rebuild_message(tmp_path: Path) -> None:
    """Built by the real previous release (its source taken from git history), opened by this one."""
    git = shutil.which("git")
    if git is None or subprocess.run([git, "-C", str(REPO), "cat-file", "-e", PREVIOUS_LAYOUT],
                                     capture_output=True).returncode != 0:
        pytest.skip("no git history to take the previous layout from")
    old = tmp_path / "old"
    old.mkdir()
    archive = subprocess.run([git, "-C", str(REPO), "archive", PREVIOUS_LAYOUT, "searchkit"],
                             capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    env = {**os.environ, "PYTHONPATH": str(old)}
    built = subprocess.run([sys.executable, "-m", "searchkit", "index", str(corpus), "--index", str(tmp_path / "ix")],
                           capture_output=True, text=True, env=env, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert any("searchkit.analysis" in toc.read_bytes().decode("latin-1") for toc in (tmp_path / "ix").glob("*.toc"))
    done = run_cli("query", "satellite", "--index", str(tmp_path / "ix"), cwd=tmp_path)
    assert done.returncode == 2
    assert "built by another version of searchkit" in done.stderr and "--rebuild" in done.stderr
    assert "Traceback" not in done.stderr and "ModuleNotFoundError" not in done.stderr


def test_cli_json_escapes_control_and_bidi_characters_as_the_shell_does(tmp_path: Path) -> None:
    from searchkit.render import Style
    from searchkit.shell import Shell

    hostile = "Satellite \u009b31m report \u202eevil\u202c \x1b[2J and \u2066more\u2069"
    corpus = write_corpus(tmp_path / "c", {"a.txt": f"{hostile}\n\nSatellite imagery of the port.\n"})
    done = run_cli("query", "satellite", "--json", "--corpus", str(corpus), "--index", str(tmp_path / "ix"),
                   cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for raw in ("\u009b", "\u202e", "\u202c", "\x1b", "\u2066", "\u2069"):
        assert raw not in done.stdout
    assert "\\u009b" in done.stdout and "\\u202e" in done.stdout
    hit = next(row for row in map(json.loads, done.stdout.splitlines()) if "doc_id" in row)
    import io

    with searchkit.open_index(tmp_path / "ix") as ix:
        stored = ix.document(hit["doc_id"]).meta.title
        assert stored is not None and "\u202e" in stored and "\u009b" in stored
        assert hit["title"] == stored  # escaped on the wire, exact once decoded
        out = io.StringIO()
        shell = Shell(ix, out, Style(False))
        shell.execute("satellite")
        out.seek(0)
        out.truncate()
        shell.execute(":json")
    assert out.getvalue().splitlines()[0] in done.stdout.splitlines()  # the same hit line, byte for byte


def test_every_data_file_of_the_package_ships_in_the_wheel() -> None:
    """A non-editable install has only the package data pyproject names: every template and
    static file of the web page must match one of its patterns."""
    import fnmatch
    import tomllib

    root = Path(__file__).resolve().parent.parent
    package_data = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    data_files = [p for p in (root / "searchkit").rglob("*")
                  if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts]
    assert data_files
    for path in data_files:
        package = ".".join(path.relative_to(root).parent.parts)
        owners = [(pkg, pattern) for pkg, patterns in package_data.items() for pattern in patterns
                  if package.startswith(pkg) and fnmatch.fnmatch(
                      str(path.relative_to(root / pkg.replace(".", "/"))), pattern)]
        assert owners, f"{path.relative_to(root)} is not in [tool.setuptools.package-data]"


def _own_private_names(paths: list[Path]) -> set[str]:
    """Private names defined in ``paths``: functions, classes, variables, the attributes
    their classes set on ``self`` and their ``__slots__``."""
    names: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
                  and isinstance(node.value, ast.Name) and node.value.id == "self"):
                names.add(node.attr)
            elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__slots__"
                                                      for t in node.targets):
                names.update(e.value for e in ast.walk(node.value) if isinstance(e, ast.Constant))
    return {name for name in names if name.startswith("_") and not name.startswith("__")}


def _own_methods() -> set[str]:
    """Private functions, methods and classes searchkit defines anywhere."""
    names = set()
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name.startswith("_"):
                names.add(node.name)
    return names


def _private_reads(path: Path, own: set[str]) -> list[str]:
    """Reads of a private attribute of an object that is not the module's own: ``x._name``
    (not ``self.``, ``cls.`` or ``super().``) where ``_name`` is not in ``own``, a
    ``getattr(x, "_name")``, an import of a private Whoosh name, or a cache kept in an
    object's ``__dict__``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        where = f"{path.relative_to(REPO)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            receiver = node.value
            # self/cls are the module's own; os._exit and sys._getframe are the standard library's.
            if isinstance(receiver, ast.Name) and receiver.id in ("self", "cls", "os", "sys"):
                continue
            if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name) and receiver.func.id == "super":
                continue
            if node.attr not in own:
                found.append(f"{where} reads {ast.unparse(node)}")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id in ("getattr", "hasattr", "setattr") and len(node.args) > 1
              and isinstance(node.args[1], ast.Constant) and str(node.args[1].value).startswith("_")):
            found.append(f"{where} {ast.unparse(node)}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
            found += [f"{where} imports {alias.name} from {node.module}" for alias in node.names
                      if alias.name.startswith("_")]
        elif (isinstance(node, ast.Attribute) and node.attr == "__dict__"
              and not (isinstance(node.value, ast.Name) and node.value.id == "self")):
            found.append(f"{where} uses {ast.unparse(node)}")
    return found


def test_only_the_internals_module_reads_whoosh_private_attributes() -> None:
    """Whoosh's private attributes are read in engine/whoosh/internals.py alone, beside the
    version check that guards them (a new Whoosh release is then checked in one place),
    and the caches kept on Whoosh's readers and searchers are made there too."""
    methods = _own_methods()
    internals = ENGINE_DIR / "internals.py"
    offenders = [line for path in sorted(ENGINE_DIR.rglob("*.py")) if path != internals
                 for line in _private_reads(path, methods | _own_private_names([path]))]
    assert offenders == []
    # The check sees what it is meant to: internals.py itself reads them.
    assert len(_private_reads(internals, methods | _own_private_names([internals]))) >= 40
