"""The shell without a terminal: :class:`searchkit.shell.Shell` on a StringIO, its settings a
public :class:`searchkit.models.SearchOptions`, against a real index of the seeds."""

from __future__ import annotations

import re
import datetime as dt
import io

import pytest

import searchkit
from searchkit.models import SearchOptions
from searchkit.render import Style
from searchkit.shell import Shell


@pytest.fixture
def shell(seeds_index: searchkit.Index) -> tuple[Shell, io.StringIO, list[str]]:
    out = io.StringIO()
    paged: list[str] = []
    return Shell(seeds_index, out, Style(False), pager=paged.append), out, paged


def _take(out: io.StringIO) -> str:
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text


def test_settings_are_a_search_options_and_every_query_runs_with_them(shell, seeds_index) -> None:
    sh, out, _ = shell
    assert isinstance(sh.options, SearchOptions)
    sh.execute(":sort -date")
    sh.execute(":limit 2")
    sh.execute(":filter since:2024-04-08")
    assert (sh.options.sort, sh.options.limit, sh.options.since) == ("-date", 2, dt.date(2024, 4, 8))
    assert sh.prompt_parts() == ["since:2024-04-08", "sort:-date", "limit:2"]
    _take(out)
    sh.execute("satellite")
    shown = _take(out)
    expected = seeds_index.search("satellite", sort="-date", limit=2, since=dt.date(2024, 4, 8))
    assert expected.total >= 1
    for hit in expected.hits:
        assert (hit.title or hit.doc_id) in shown
    assert sh.results is not None and [h.doc_id for h in sh.results.hits] == [h.doc_id for h in expected.hits]
    sh.execute(":filter clear")
    assert sh.options.since is None and sh.options.sort == "-date"


def test_a_bad_query_prints_one_error_line_and_keeps_the_settings(shell) -> None:
    sh, out, _ = shell
    sh.execute(":limit 3")
    _take(out)
    assert sh.execute("date:2024-13") is True
    lines = _take(out).strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "month must be 1..12" in lines[0]
    assert sh.options.limit == 3


def test_open_pages_the_article_with_its_provenance_and_matches(shell, seeds_index) -> None:
    sh, _, paged = shell
    sh.execute("nitrocellulose")
    sh.execute(":open 1")
    assert len(paged) == 1
    top = seeds_index.search("nitrocellulose").hits[0]
    assert (top.title or top.doc_id) in paged[0]
    assert "match" in paged[0] and "highlighted" in paged[0]


def test_quit_ends_and_unknown_commands_are_named(shell) -> None:
    sh, out, _ = shell
    sh.execute(":frobnicate")
    assert "unknown command ':frobnicate'" in _take(out)
    assert sh.execute(":quit") is False


def test_story_commands_show_stories_credits_timeline_and_compare(shell, seeds_index) -> None:
    sh, out, paged = shell
    assert sh.options.collapse  # on by default in the shell
    sh.execute("satellite imagery")
    listing = _take(out)
    assert re.search(r"\+\d+ versions? \(story:s\w+\):", listing)
    sh.execute(":stories")
    (story,) = seeds_index.stories("satellite imagery")
    shown = _take(out)
    first = seeds_index.document(story.earliest)
    assert first.meta.date is not None  # the seeds' story has dated members
    assert f"story:{story.story_id}" in shown
    assert f"earliest dated: {first.meta.outlet}, {first.meta.date.isoformat()}" in shown
    sh.execute(":credits")
    assert "Bloomberg" in _take(out)
    sh.execute(":timeline")
    assert "2024-04-08" in _take(out)
    sh.execute(":collapse off")
    assert not sh.options.collapse and "no-collapse" in sh.prompt_parts()
    _take(out)
    sh.execute(":compare 1 2")
    assert paged and "Shared" in paged[-1] and "Only in A" in paged[-1]
    sh.execute(":story 1")
    assert sh.story == story.story_id and f"story:{story.story_id}" in sh.prompt_parts()
    _take(out)
    sh.execute("china")
    assert sh.results is not None and {h.doc_id for h in sh.results.hits} == set(story.doc_ids)
    sh.execute(":story off")
    assert sh.story is None
