"""What a new user tripped on (issue 27): each finding of the walk-through, seen as the user
saw it (real processes on a real index; the shell under a real terminal where that is where
it was found)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from .conftest import run_cli


# ------------------------------------------------------------------------------------------
# 5. A date filter says how many undated articles it left out


def _undated_matches(ix, query: str, **filters) -> int:
    """The oracle: the query's matches without the date filter that have no date."""
    every = ix.search(query, limit=1000, collapse=False, **filters)
    return sum(1 for hit in every.hits if hit.date is None)


def test_a_date_filter_counts_the_undated_articles_it_left_out_in_the_library(seeds_index) -> None:
    ix = seeds_index
    since = dt.date(2024, 4, 1)
    undated = _undated_matches(ix, "china")
    assert undated >= 2  # the seeds have undated articles that mention China
    for collapse in (False, True):
        found = ix.search("china", since=since, collapse=collapse)
        assert found.undated_excluded == undated
        assert all(hit.date is not None and hit.date >= since for hit in found.hits)
    assert ix.search("china").undated_excluded == 0  # no date filter, nothing left out
    # The same filter written in the query, and the browse-everything query.
    assert ix.search("china date:>=2024-04-01").undated_excluded == undated
    assert ix.search("*", since=since).undated_excluded == _undated_matches(ix, "*")
    # Only those the other filters keep count: one outlet's undated articles.
    outlet = next(h.outlet for h in ix.search("china", limit=100, collapse=False).hits if h.outlet and h.date is None)
    assert ix.search("china", since=since, outlet=outlet).undated_excluded == _undated_matches(ix, "china", outlet=outlet)
    # A date under OR does not leave undated articles out; a negated one never did.
    assert ix.search("china OR date:2024").undated_excluded == 0
    assert ix.search("china -date:2024").undated_excluded == 0


def test_a_date_filter_says_what_it_left_out_in_the_cli_json_and_shell(seeds_index) -> None:
    undated = _undated_matches(seeds_index, "china")
    index = str(seeds_index.path)
    text = run_cli("query", "china", "--since", "2024-04-01", "--index", index, "--no-update")
    assert text.returncode == 0, text.stderr
    assert f"{undated} undated articles left out by the date filter" in text.stdout.splitlines()[0]
    as_json = run_cli("query", "china", "--since", "2024-04-01", "--index", index, "--json", "--no-update")
    summary = json.loads(as_json.stdout.splitlines()[0])["summary"]
    assert summary["undated_excluded"] == undated
    assert f"{undated} undated articles left out" in as_json.stderr
    count = run_cli("query", "-c", "china", "--since", "2024-04-01", "--index", index, "--no-update")
    assert count.stdout.strip().isdigit() and "left out by the date filter" in count.stderr
    plain = run_cli("query", "china", "--index", index, "--json", "--no-update")
    assert json.loads(plain.stdout.splitlines()[0])["summary"]["undated_excluded"] == 0
    assert "left out" not in plain.stderr
    shell = run_cli("shell", "--index", index, input=":filter since:2024-04-01\nchina\n")
    assert shell.returncode == 0, shell.stderr
    assert re.search(rf"\b{undated} undated articles left out by the date filter", shell.stdout)
    exported = run_cli("export", "china", "--since", "2024-04", "--index", index, "--no-update")
    assert json.loads(exported.stdout.splitlines()[0])["export"]["undated_excluded"] == undated
    assert "left out by the date filter" in exported.stderr


def test_nothing_found_in_the_date_range_still_says_undated_articles_were_left_out(seeds_index) -> None:
    index = str(seeds_index.path)
    done = run_cli("query", "china", "--until", "2000", "--index", index, "--no-update")
    assert done.returncode == 1
    assert re.search(r"No matches \(\d+ undated articles? left out by the date filter\)", done.stdout)


# ------------------------------------------------------------------------------------------
# 6. Collapsed versions are named (date, outlet, id); a date sort shows every article


def test_collapsed_versions_are_named_with_date_outlet_and_id(seeds_index) -> None:
    index = str(seeds_index.path)
    done = run_cli("query", "satellite imagery", "--index", index, "--no-update")
    assert done.returncode == 0, done.stderr
    flat = seeds_index.search("satellite imagery", limit=100, collapse=False).hits
    row = seeds_index.search("satellite imagery", collapse=True).hits[0]
    assert len(row.versions) >= 2
    lines = done.stdout.splitlines()
    head = next(i for i, line in enumerate(lines) if re.search(rf"\+{len(row.versions)} versions \(story:", line))
    listed = lines[head + 1 : head + 1 + len(row.versions)]
    by_id = {hit.doc_id: hit for hit in flat}
    for line, version in zip(listed, row.versions):
        hit = by_id[version.doc_id]  # each version is a real match, named as its own hit would be
        assert line.split()[-1] == hit.doc_id
        assert (hit.date.isoformat() if hit.date else "undated") in line
        assert (hit.outlet or "outlet unknown") in line
    dates = [v.date for v in row.versions]
    assert [d for d in dates if d] == sorted(d for d in dates if d)  # oldest first, undated last
    assert all(d is None for d in dates[len([d for d in dates if d]):])
    # What is named can be opened: the id works with `show`.
    shown = run_cli("show", listed[0].split()[-1], "--index", index)
    assert shown.returncode == 0, shown.stderr


def test_sorted_by_date_every_article_is_shown_in_date_order(seeds_index) -> None:
    flat = seeds_index.search("china", limit=100, collapse=False)
    for sort in ("date", "-date"):
        found = seeds_index.search("china", limit=100, sort=sort, collapse=True)
        assert len(found.hits) == flat.total and found.collapsed == 0
        dated = [h.date for h in found.hits if h.date]
        assert dated == sorted(dated, reverse=sort == "-date")
    done = run_cli("query", "china", "--sort", "date", "--index", str(seeds_index.path), "--json", "--no-update")
    hits = [json.loads(line) for line in done.stdout.splitlines()[1:]]
    assert len(hits) == flat.total and not any(h["versions"] for h in hits)
    assert any(h["story"] for h in hits)  # still says which story each belongs to


# ------------------------------------------------------------------------------------------
# 2. The shell's "last results" mean one thing: after :similar, every command acts on its list


def _shell(index: Path, lines: list[str], tmp_path: Path) -> str:
    done = run_cli("shell", "--index", str(index), input="\n".join(lines) + "\n", cwd=tmp_path,
                   env={"PAGER": "cat"})
    assert done.returncode == 0, done.stderr  # a piped shell never ends on a command
    assert "internal error" not in done.stdout + done.stderr and "Traceback" not in done.stderr
    return done.stdout


def test_after_similar_every_command_acts_on_the_similar_list(seeds_index, tmp_path: Path) -> None:
    ix = seeds_index
    first = ix.search("china", collapse=False).hits[1]
    similar = ix.similar(doc_id=first.doc_id, limit=100)
    ids = [hit.doc_id for hit in similar.hits]
    assert len(ids) >= 3
    out = _shell(ix.path, ["china", ":collapse off", f":similar 2", ":compare 1 2", f":export {tmp_path / 'sim.md'}",
                           f":export {tmp_path / 'sim.jsonl'}", ":facets", ":timeline", ":credits", ":stories",
                           ":story 1", ":open 3"], tmp_path)
    after = out.split(f"Articles sharing the most content with {first.doc_id}:")[-1]
    # :compare 1 2 compares the similar list's hits 1 and 2
    assert re.search(rf"A  [^\n]*\n[^\n]*{re.escape(ids[0])}", after)
    assert re.search(rf"B  [^\n]*\n[^\n]*{re.escape(ids[1])}", after)
    # :export writes the similar list, and says what it is
    exported = [json.loads(line) for line in (tmp_path / "sim.jsonl").read_text().splitlines()]
    assert exported[0]["export"]["similar_to"] == first.doc_id
    assert [r["doc_id"] for r in exported[1:]] == ids
    assert f"similar to {first.doc_id}" in (tmp_path / "sim.md").read_text().replace("\\", "")
    # :facets and :timeline count the similar list, not "type a query first"
    assert f"{similar.total} matches for the articles similar to {first.doc_id}" in after
    assert "type a query first" not in after
    dated = sum(1 for hit in similar.hits if hit.date)
    timeline = ix.timeline(doc_ids=ids)
    assert sum(sum(c.values()) for k, c in timeline.items() if k != "undated") == dated
    assert f"(of the articles similar to {first.doc_id})" in after
    # :stories covers the similar list's articles only
    for story in ix.stories(doc_ids=ids):
        assert f"story:{story.story_id}" in after
    # :story 1 takes hit 1 of the similar list; :open 3 opens its hit 3
    story_of_1 = similar.hits[0].story
    if story_of_1:
        assert f"Limited to story:{story_of_1}" in after
    assert f"hit 3 · " in after and str(ix.document(ids[2]).path) in after


def test_commands_before_any_query_say_so_and_never_fail(seeds_index, tmp_path: Path) -> None:
    out = _shell(seeds_index.path, [":similar 2", ":story 1", ":compare 1 2", ":export f.md", ":facets", ":open 1",
                                    ":json", ":next", ":timeline"], tmp_path)
    assert out.count("No results yet: type a query first.") >= 7
    assert "(the whole corpus: type a query to narrow it)" in out  # :timeline before a query
    assert not (tmp_path / "f.md").exists()
