"""Every command a user can type is explained: in ``--help`` / ``:help`` and in the README
(as sqlite-utils checks its CLI against its docs). Commands are discovered from the parser
and the shell's registry, so a new one is checked without editing this file."""

from __future__ import annotations

import argparse
import re

import pytest

from searchkit.cli import build_parser
from searchkit.shell.commands import COMMANDS

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    for action in parser._actions:  # argparse keeps subparsers only here
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("the CLI has no subcommands")


def _subcommand_help() -> dict[str, str]:
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return {choice.dest: choice.help or "" for choice in action._choices_actions}
    return {}


@pytest.mark.parametrize("name", sorted(_subcommands()))
def test_every_cli_command_has_help_and_is_in_the_readme(name: str) -> None:
    assert _subcommand_help()[name].strip(), f"`searchkit {name}` has no help text"
    for action in _subcommands()[name]._actions:
        if action.option_strings and action.dest != "help":
            assert (action.help or "").strip(), f"`searchkit {name} {action.option_strings[0]}` has no help"
    assert re.search(rf"`searchkit {re.escape(name)}\b", README), f"README does not mention `searchkit {name}`"


@pytest.mark.parametrize("spec", COMMANDS, ids=lambda spec: spec.name)
def test_every_shell_command_has_help_and_is_in_the_readme(spec) -> None:  # type: ignore[no-untyped-def]
    assert spec.help.strip()
    assert re.search(rf"`:{re.escape(spec.name)}\b", README), f"README does not mention :{spec.name}"
