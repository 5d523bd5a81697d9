"""Documentation against the code (like sqlite-utils' tests/test_docs.py): every command of
the CLI and every command of the shell has help text and is described in the pages a person
wrote (README.md and docs/, the generated reference aside), and the generated command
reference (docs/reference.md) is current. Commands are discovered from the parser and from
the shell's COMMANDS table, so new ones are checked without touching this file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from searchkit.cli import build_parser
from searchkit.clidocs import REFERENCE_BEGIN, REFERENCE_END, REFERENCE_PAGE, commands, main, reference_markdown
from searchkit.shell.commands import COMMANDS

from .conftest import run_cli

REPO = Path(__file__).resolve().parent.parent
#: What a person wrote: the README and the docs/ pages, the generated reference aside.
WRITTEN = "\n".join(p.read_text(encoding="utf-8") for p in [REPO / "README.md", *sorted((REPO / "docs").glob("**/*.md"))]
                    if p.resolve() != REFERENCE_PAGE.resolve())
CLI_COMMANDS = commands(build_parser())


@pytest.mark.parametrize("command", CLI_COMMANDS, ids=lambda c: c.name)
def test_every_cli_command_has_help_and_is_described(command) -> None:  # type: ignore[no-untyped-def]
    assert command.help and command.description, command.name
    assert all(option.help for option in command.options + command.positionals), command.name
    assert f"searchkit {command.name}" in WRITTEN, \
        f"`searchkit {command.name}` is described neither in README.md nor in docs/ (the generated reference aside)"


@pytest.mark.parametrize("spec", COMMANDS, ids=lambda s: s.name)
def test_every_shell_command_has_help_and_is_described(spec) -> None:  # type: ignore[no-untyped-def]
    assert spec.help, spec.name
    assert re.search(rf"`:{re.escape(spec.name)}\b", WRITTEN), f"shell command :{spec.name} is not in README.md or docs/"


def test_shell_help_lists_every_shell_command(tmp_path: Path) -> None:
    from .conftest import SEEDS, write_corpus

    write_corpus(tmp_path / "c", {"a.txt": "A\n\nsome words"})
    done = run_cli("shell", "--index", str(tmp_path / "ix"), "--corpus", str(tmp_path / "c"),
                   input=":help\n", env={"XDG_DATA_HOME": str(tmp_path / "data")})
    assert done.returncode == 0, done.stderr
    for spec in COMMANDS:
        assert f":{spec.name}" in done.stdout
    del SEEDS


def test_the_command_reference_is_generated_from_the_parser() -> None:
    page = (REPO / "docs" / "reference.md").read_text(encoding="utf-8")
    assert REFERENCE_PAGE == REPO / "docs" / "reference.md"
    start = page.index(REFERENCE_BEGIN)
    end = page.index(REFERENCE_END) + len(REFERENCE_END)
    assert page[start:end] == reference_markdown(build_parser()), "run `make docs` to regenerate it"


def test_clidocs_regenerates_the_reference_where_it_lives(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`python -m searchkit.clidocs reference PAGE` (and its old name `readme`) rewrites the
    generated block of a page and leaves the rest as written; a page without one is an error."""
    page = tmp_path / "reference.md"
    page.write_text(f"# Reference\n\nwritten by hand\n\n{REFERENCE_BEGIN}\nSTALE-BLOCK\n{REFERENCE_END}\n\nafter\n", encoding="utf-8")
    assert main(build_parser(), ["readme", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert "STALE-BLOCK" not in text and "## `searchkit query`" in text and text.startswith("# Reference\n\nwritten by hand")
    assert text.endswith("\n\nafter\n") and "updated" in capsys.readouterr().out
    assert main(build_parser(), ["reference", str(page)]) == 0 and "already current" in capsys.readouterr().out
    page.write_text("no block here\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(build_parser(), ["reference", str(page)])
    assert main(build_parser(), ["reference", str(tmp_path / "missing.md")]) == 2
    assert main(build_parser(), []) == 2


def test_every_cli_command_is_handled() -> None:
    import searchkit.cli as cli

    for command in CLI_COMMANDS:
        assert callable(getattr(cli, f"cmd_{command.name.replace('-', '_')}", None)), command.name


def test_make_run_installs_quietly_and_indexes_seeds() -> None:
    """`make run` must not print setuptools' editable-install banner: the install runs with
    Python warnings off (checked on the recipe; running it would rebuild a virtualenv)."""
    import shutil
    import subprocess

    if shutil.which("make") is None:
        pytest.skip("no make")
    repo = Path(__file__).resolve().parent.parent
    recipe = subprocess.run(["make", "-n", "-B", "run", "BIN=/nonexistent/bin"], cwd=repo, capture_output=True,
                            text=True).stdout
    installs = [line for line in recipe.splitlines() if "pip install" in line and "-e ." in line]
    assert installs and all("PYTHONWARNINGS=ignore" in line and "--quiet" in line for line in installs)
    assert "searchkit index seeds --index index" in recipe


def test_the_readme_lists_every_command_with_its_help() -> None:
    """The README's table of commands is the parser's: every command, in its order, with its help."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| \[`searchkit ([\w-]+)`\]\(docs/reference\.md#searchkit-[\w-]+\) \| (.*) \|$", readme, re.M)
    assert rows == [(c.name, c.help) for c in CLI_COMMANDS], "update the README's table of commands"
