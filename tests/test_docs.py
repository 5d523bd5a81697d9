"""Documentation against the code (like sqlite-utils' tests/test_docs.py): every command of
the CLI and every command of the shell has help text and appears in the README, and the
README's generated command reference is current. Commands are discovered from the parser and
from the shell's COMMANDS table, so new ones are checked without touching this file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from searchkit.cli import build_parser
from searchkit.clidocs import README_BEGIN, README_END, commands, readme_reference
from searchkit.shell.commands import COMMANDS

from .conftest import run_cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
CLI_COMMANDS = commands(build_parser())


def _outside_reference(text: str) -> str:
    """The README without its generated block: what a person wrote."""
    start, end = text.index(README_BEGIN), text.index(README_END)
    return text[:start] + text[end:]


@pytest.mark.parametrize("command", CLI_COMMANDS, ids=lambda c: c.name)
def test_every_cli_command_has_help_and_is_in_the_readme(command) -> None:  # type: ignore[no-untyped-def]
    assert command.help and command.description, command.name
    assert all(option.help for option in command.options + command.positionals), command.name
    assert f"searchkit {command.name}" in _outside_reference(README), \
        f"`searchkit {command.name}` is not described in README.md (outside the generated reference)"


@pytest.mark.parametrize("spec", COMMANDS, ids=lambda s: s.name)
def test_every_shell_command_has_help_and_is_in_the_readme(spec) -> None:  # type: ignore[no-untyped-def]
    assert spec.help, spec.name
    assert re.search(rf"`:{re.escape(spec.name)}\b", README), f"shell command :{spec.name} is not in README.md"


def test_shell_help_lists_every_shell_command(tmp_path: Path) -> None:
    from .conftest import SEEDS, write_corpus

    write_corpus(tmp_path / "c", {"a.txt": "A\n\nsome words"})
    done = run_cli("shell", "--index", str(tmp_path / "ix"), "--corpus", str(tmp_path / "c"),
                   input=":help\n", env={"XDG_DATA_HOME": str(tmp_path / "data")})
    assert done.returncode == 0, done.stderr
    for spec in COMMANDS:
        assert f":{spec.name}" in done.stdout
    del SEEDS


def test_readme_command_reference_is_generated_from_the_parser() -> None:
    start = README.index(README_BEGIN)
    end = README.index(README_END) + len(README_END)
    assert README[start:end] == readme_reference(build_parser()), "run `make docs` to regenerate it"


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
