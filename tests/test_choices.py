"""Each fixed list a user chooses from is written once (searchkit.models, searchkit.config) and
the CLI, the shell, the web page and the export writers all offer exactly it."""

from __future__ import annotations

import argparse
import typing

import pytest

from searchkit import config, export, models
from searchkit.cli import build_parser
from searchkit.shell.commands import COMMANDS


def _choices(command: str, option: str) -> tuple[str, ...]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[command]
    action = next(a for a in sub._actions if option in a.option_strings)
    return tuple(action.choices or ())


@pytest.mark.parametrize(("command", "option", "expected"), [
    ("query", "--sort", models.SORTS), ("export", "--sort", models.SORTS), ("query", "--path", models.QUERY_PATHS),
    ("export", "--format", models.EXPORT_FORMATS), ("query", "--facet-dates", models.FACET_DATE_UNITS),
    ("query", "--color", config.COLOR_CHOICES), ("saved", "--color", config.COLOR_CHOICES),
    ("similar", "--color", config.COLOR_CHOICES),
])
def test_cli_choices_are_the_one_list(command: str, option: str, expected: tuple[str, ...]) -> None:
    assert _choices(command, option) == expected


def test_lists_are_their_literal_types() -> None:
    assert models.SORTS == typing.get_args(models.Sort)
    assert models.EXPORT_FORMATS == typing.get_args(models.ExportFormat)
    assert models.QUERY_PATHS == typing.get_args(models.QueryPath)
    assert models.IDF_KINDS == typing.get_args(models.IdfKind)
    assert set(models.SORT_NAMES) == set(models.SORTS)
    assert models.DEFAULT_EXPORT_FORMAT in models.EXPORT_FORMATS
    assert set(export._WRITERS) == set(models.EXPORT_FORMATS)  # a writer for every format, no other


def test_shell_completes_the_same_choices() -> None:
    by_name = {spec.name: spec for spec in COMMANDS}
    assert tuple(by_name["sort"].choices) == models.SORTS
    assert tuple(by_name["export"].choices) == models.EXPORT_FORMATS


def test_choice_types_a_value_or_refuses_it() -> None:
    assert models.choice("-date", models.SORTS) == "-date"
    assert models.choice("newest", models.SORTS) is None
    assert models.choice(None, models.SORTS) is None


def test_the_web_page_links_every_sort_and_export_twin(tmp_path) -> None:
    pytest.importorskip("starlette", reason="the web stack (starlette, jinja2) is not installed")
    from urllib.parse import parse_qs, urlsplit

    import searchkit

    from .conftest import SEEDS
    from .webcorpus import client, parse

    searchkit.build_index(SEEDS, tmp_path / "index").close()
    with client(tmp_path / "index") as c:
        tree = parse(c.get("/search?q=china"))
        hrefs = [a.get("href") or "" for a in tree.iter("a")]
        sorts = {parse_qs(urlsplit(h).query).get("sort", ["relevance"])[0] for h in hrefs if "sort=" in h}
        assert sorts | {"relevance"} == set(models.SORTS)
        twins = {urlsplit(h).path.rsplit(".", 1)[-1] for h in hrefs if urlsplit(h).path.startswith("/search.")}
        assert twins == {"json", *(f for f in models.EXPORT_FORMATS if f != "html")}
        for fmt in twins - {"json"}:
            assert c.get(f"/search.{fmt}?q=china").status_code == 200
