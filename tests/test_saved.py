"""Saved searches (searchkit/saved.py): one file shared by the library, the CLI and the shell,
and "new since last viewed" kept exact through re-indexing, deletions, edits and rebuilds.
Real corpora, real indexes, the CLI and the shell as real processes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import searchkit
from searchkit import SearchkitError, build_index
from searchkit.saved import SavedSearches, describe_filters

from .conftest import run_cli, write_corpus

CORPUS = {
    "a.txt": "Drone strike on the depot\n\nApr 2, 2024\n\nA drone hit the fuel depot overnight.",
    "b.txt": "Drones over the border\n\nApr 5, 2024\n\nSeveral drones crossed the border at dawn.",
    "c.txt": "Grain exports resume\n\nApr 6, 2024\n\nShips carried grain out of the port.",
    "metadata.toml": '["a.txt"]\noutlet = "Daily Ledger"\n["b.txt"]\noutlet = "The Courier"\n'
                     '["c.txt"]\noutlet = "The Courier"\n',
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus", CORPUS)


@pytest.fixture
def store(tmp_path: Path) -> SavedSearches:
    return SavedSearches(tmp_path / "data" / "saved_searches.json")


def _reindex(corpus: Path, index: Path, **files: str) -> searchkit.Index:
    write_corpus(corpus, {name.replace("__", "."): text for name, text in files.items()})
    return build_index(corpus, index)


def _counts(store: SavedSearches, ix: searchkit.Index) -> dict[str, tuple[int | None, int | None]]:
    return {s.name: (s.new, s.total) for s in store.list(ix)}


def test_an_article_added_by_a_re_index_is_one_new_match_until_viewed(corpus: Path, tmp_path: Path,
                                                                      store: SavedSearches) -> None:
    ix = build_index(corpus, tmp_path / "ix")
    saved = store.save("Drones", "drone", index=ix)
    assert (saved.new, saved.total) == (0, 2)  # what you saved from, you have seen
    assert _counts(store, ix) == {"Drones": (0, 2)}
    ix.close()

    ix = _reindex(corpus, tmp_path / "ix", d__txt="Drone footage\n\nApr 9, 2024\n\nNew drone footage emerged.")
    assert _counts(store, ix) == {"Drones": (1, 3)}
    view = store.view("drones", ix)  # any case
    assert (view.search.new, view.search.total) == (1, 3)
    assert view.new_ids == {"d.txt"}
    assert {h.doc_id for h in view.results} == {"a.txt", "b.txt", "d.txt"}
    assert view.search.viewed_at is not None
    assert _counts(store, ix) == {"Drones": (0, 3)}  # viewing marked every match seen
    assert store.get("DRONES", ix).viewed_at > view.search.viewed_at
    ix.close()


def test_new_stays_exact_through_deletions_edits_and_a_rebuild(corpus: Path, tmp_path: Path,
                                                              store: SavedSearches) -> None:
    ix = build_index(corpus, tmp_path / "ix")
    store.save("drones", "drone", index=ix)
    ix.close()
    # A seen match deleted and another added: the total is the same, one is new (a count
    # difference would say 0).
    (corpus / "a.txt").unlink()
    ix = _reindex(corpus, tmp_path / "ix", e__txt="Drone parts\n\nApr 10, 2024\n\nDrone parts were seized.")
    assert _counts(store, ix) == {"drones": (1, 2)}
    ix.close()
    # A seen article edited (still matching) is not new; one edited so that it now matches is.
    ix = _reindex(corpus, tmp_path / "ix",
                  b__txt="Drones over the border\n\nApr 5, 2024\n\nDrones crossed again; a second wave followed.",
                  c__txt="Grain exports resume\n\nApr 6, 2024\n\nA drone shadowed the grain ships.")
    assert _counts(store, ix) == {"drones": (2, 3)}
    ix.close()
    # A rebuild gives the same ids: nothing changes.
    ix = build_index(corpus, tmp_path / "ix", rebuild=True)
    assert _counts(store, ix) == {"drones": (2, 3)}
    assert store.view("drones", ix).new_ids == {"c.txt", "e.txt"}
    assert _counts(store, ix) == {"drones": (0, 3)}
    ix.close()


def test_filters_decide_what_can_be_new(corpus: Path, tmp_path: Path, store: SavedSearches) -> None:
    ix = build_index(corpus, tmp_path / "ix")
    store.save("not the courier", "drone", {"not_outlet": "the courier", "since": "2024-04", "sort": "-date"}, index=ix)
    store.save("courier", "*", {"outlet": ["The Courier"], "collapse": "off"}, index=ix)
    assert _counts(store, ix) == {"courier": (0, 2), "not the courier": (0, 1)}
    ix.close()
    (corpus / "metadata.toml").write_text(
        CORPUS["metadata.toml"] + '["f.txt"]\noutlet = "The Courier"\n["g.txt"]\ndate = 2023-12-30\n', encoding="utf-8")
    ix = _reindex(corpus, tmp_path / "ix",
                  f__txt="Drone report\n\nApr 11, 2024\n\nA drone report from the courier.",
                  g__txt="Old drone story\n\nAn old drone story.",
                  h__txt="Drone sighting\n\nApr 12, 2024\n\nA drone was sighted.")
    assert _counts(store, ix) == {"courier": (1, 3), "not the courier": (1, 2)}
    view = store.view("not the courier", ix)
    assert view.new_ids == {"h.txt"}
    assert [h.doc_id for h in view.results] == ["h.txt", "a.txt"]  # the saved sort: newest first
    assert store.get("courier").filters == {"outlet": ["The Courier"], "collapse": False}
    assert store.get("not the courier").filters == {"not_outlet": ["the courier"], "since": "2024-04-01",
                                                    "sort": "-date"}
    ix.close()


def test_the_web_pages_facet_filters_are_saved_and_counted(corpus: Path, tmp_path: Path,
                                                          store: SavedSearches) -> None:
    """A search saved from the web page keeps its format (and story, credited-source) filters."""
    write_corpus(corpus, {"notes.md": "# Drone notes\n\nA drone list kept as notes."})
    ix = build_index(corpus, tmp_path / "ix")
    store.save("no notes", "drone", {"not_format": ["md"]}, index=ix)
    store.save("notes only", "drone", {"format": "md"}, index=ix)
    assert _counts(store, ix) == {"no notes": (0, 2), "notes only": (0, 1)}
    ix.close()
    ix = _reindex(corpus, tmp_path / "ix", more__md="# More drone notes\n\nDrone notes again.",
                  d__txt="Drone footage\n\nApr 9, 2024\n\nNew drone footage emerged.")
    assert _counts(store, ix) == {"no notes": (1, 3), "notes only": (1, 2)}
    assert store.view("notes only", ix).new_ids == {"more.md"}
    assert "-format:md" in " ".join(describe_filters(store.get("no notes").filters))
    ix.close()


def test_a_long_open_index_counts_what_another_process_added(corpus: Path, tmp_path: Path,
                                                             store: SavedSearches) -> None:
    """A server or a shell keeps one Index open: a listing after another process's index run
    counts the new article (never a count cached for the index as it was)."""
    ix = build_index(corpus, tmp_path / "ix")
    store.save("drones", "drone", index=ix)
    assert _counts(store, ix) == {"drones": (0, 2)}
    done = run_cli("index", str(write_corpus(corpus, {"d.txt": "Drone footage\n\nNew drone footage."})),
                   "--index", str(tmp_path / "ix"))
    assert done.returncode == 0, done.stderr
    assert _counts(store, ix) == {"drones": (1, 3)}
    ix.close()


def test_each_index_keeps_its_own_seen_matches(corpus: Path, tmp_path: Path, store: SavedSearches) -> None:
    one = build_index(corpus, tmp_path / "one")
    two = build_index(corpus, tmp_path / "two")
    store.save("drones", "drone", index=one)
    assert _counts(store, two) == {"drones": (2, 2)}  # never viewed on the other index
    assert store.get("drones", two).viewed_at is None
    store.view("drones", two)
    assert _counts(store, two) == {"drones": (0, 2)} and _counts(store, one) == {"drones": (0, 2)}
    one.close()
    two.close()


def test_saving_again_replaces_and_delete_forgets(corpus: Path, tmp_path: Path, store: SavedSearches) -> None:
    ix = build_index(corpus, tmp_path / "ix")
    store.save("Watch", "drone", index=ix)
    store.save("watch", "grain", index=ix)
    assert [(s.name, s.query, s.total) for s in store.list(ix)] == [("watch", "grain", 1)]
    assert store.delete("WATCH").query == "grain"
    assert store.list() == []
    with pytest.raises(SearchkitError, match="no saved search named 'watch'"):
        store.delete("watch")
    with pytest.raises(SearchkitError, match="no saved search named 'gone'"):
        store.view("gone", ix)
    ix.close()


@pytest.mark.parametrize("name, filters, message", [
    ("", {}, "needs a name"),
    ("x" * 101, {}, "at most 100"),
    ("evil\u202ename", {}, "control, invisible or direction"),
    ("line\nbreak", {}, "control, invisible or direction"),
    ("ok", {"page": 2}, "unknown filter 'page'"),
    ("ok", {"since": "2024-13"}, "since: not a date"),
    ("ok", {"since": "2024-05", "until": "2024-04"}, "after until"),
    ("ok", {"sort": "oldest"}, "sort must be one of"),
    ("ok", {"plain": "maybe"}, "plain must be true or false"),
])
def test_bad_names_and_filters_are_refused_with_a_message(corpus: Path, tmp_path: Path, store: SavedSearches,
                                                          name: str, filters: dict, message: str) -> None:
    ix = build_index(corpus, tmp_path / "ix")
    with pytest.raises(SearchkitError, match=message):
        store.save(name, "drone", filters, index=ix)
    assert not store.path.exists()
    ix.close()


def test_the_file_is_private_and_a_damaged_one_is_reported_never_overwritten(
        corpus: Path, tmp_path: Path, store: SavedSearches) -> None:
    ix = build_index(corpus, tmp_path / "ix")
    store.save("drones", "drone", index=ix)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    data = json.loads(store.path.read_text(encoding="utf-8"))
    assert [s["name"] for s in data["searches"]] == ["drones"]
    store.path.write_text('{"format": 1, "searches": [{"name": "x"', encoding="utf-8")
    for action in (lambda: store.list(ix), lambda: store.save("other", "grain", index=ix)):
        with pytest.raises(SearchkitError, match="is damaged"):
            action()
    assert store.path.read_text(encoding="utf-8") == '{"format": 1, "searches": [{"name": "x"'
    store.path.write_text('{"format": 99, "searches": []}', encoding="utf-8")
    with pytest.raises(SearchkitError, match="newer version of searchkit"):
        store.list()
    ix.close()


def test_processes_saving_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "data" / "saved_searches.json"
    script = ("import sys; from searchkit.saved import SavedSearches\n"
              "s = SavedSearches(sys.argv[1])\n"
              "for i in range(25): s.save(f'{sys.argv[2]}-{i}', f'word{i}')\n")
    workers = [subprocess.Popen([sys.executable, "-c", script, str(path), tag]) for tag in ("a", "b", "c")]
    assert all(w.wait(timeout=120) == 0 for w in workers)
    names = {s.name for s in SavedSearches(path).list()}
    assert names == {f"{tag}-{i}" for tag in "abc" for i in range(25)}
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_query_this_version_cannot_read_is_listed_with_its_error(corpus: Path, tmp_path: Path,
                                                                   store: SavedSearches) -> None:
    ix = build_index(corpus, tmp_path / "ix")
    store.save("fine", "drone", index=ix)
    data = json.loads(store.path.read_text(encoding="utf-8"))
    data["searches"].append({**data["searches"][0], "name": "broken", "query": "date:2024-99"})
    store.path.write_text(json.dumps(data), encoding="utf-8")
    listed = {s.name: s for s in store.list(ix)}
    assert listed["fine"].total == 2 and listed["broken"].total is None
    assert "month must be 1..12" in (listed["broken"].error or "")
    ix.close()


# --------------------------------------------------------------------------------------------
# The CLI and the shell, as real processes sharing one file


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"XDG_DATA_HOME": str(tmp_path / "xdg")}


def test_cli_save_list_new_view_and_delete(corpus: Path, tmp_path: Path, env: dict[str, str]) -> None:
    index = str(tmp_path / "ix")
    done = run_cli("query", "drone", "--index", index, "--corpus", str(corpus), "--not-outlet", "The Courier",
                   "--save", "No courier", env=env)
    assert done.returncode == 0, done.stderr
    assert "saved as 'No courier' (1 match, now seen" in done.stderr
    saved_file = tmp_path / "xdg" / "searchkit" / "saved_searches.json"
    assert stat.S_IMODE(saved_file.stat().st_mode) == 0o600
    done = run_cli("query", "drone", "--index", index, "--sort", "-date", "--save", "drones", env=env)
    assert done.returncode == 0, done.stderr

    listing = run_cli("saved", "--index", index, env=env)
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.splitlines()
    assert lines[0].split()[:5] == ["drones", "0", "new", "of", "2"] and "sort:-date" in lines[0]
    assert lines[1].split()[:6] == ["No", "courier", "0", "new", "of", "1"]
    assert '-outlet:"The Courier"' in lines[1]

    write_corpus(corpus, {"d.txt": "Drone footage\n\nApr 9, 2024\n\nNew drone footage emerged."})
    assert run_cli("index", str(corpus), "--index", index, env=env).returncode == 0
    listing = run_cli("saved", "--index", index, "--json", env=env)
    rows = [json.loads(line) for line in listing.stdout.splitlines()]
    assert [(r["name"], r["new"], r["total"]) for r in rows] == [("drones", 1, 3), ("No courier", 1, 2)]
    assert rows[1]["filters"] == {"not_outlet": ["The Courier"]} and rows[1]["query"] == "drone"

    shown = run_cli("saved", "DRONES", "--index", index, "--json", env=env)
    assert shown.returncode == 0, shown.stderr
    assert "saved search 'drones': drone sort:-date · 1 new since" in shown.stderr
    hits = [json.loads(line) for line in shown.stdout.splitlines()[1:]]
    assert [(h["doc_id"], h["new"]) for h in hits] == [("d.txt", True), ("b.txt", False), ("a.txt", False)]
    text = run_cli("saved", "no courier", "--index", index, "--color", "never", env=env)
    assert " 1. new Drone footage" in text.stdout or " 2. new Drone footage" in text.stdout
    again = run_cli("saved", "--index", index, env=env)
    assert all(" 0 new of " in line for line in again.stdout.splitlines()), again.stdout

    missing = run_cli("saved", "nothing-like-it", "--index", index, env=env)
    assert missing.returncode == 2 and missing.stderr.startswith("searchkit: error: no saved search named")
    assert len(missing.stderr.splitlines()) == 1
    assert run_cli("saved", "--delete", "drones", env=env).returncode == 0
    assert run_cli("saved", "--delete", "no courier", env=env).returncode == 0
    empty = run_cli("saved", "--index", index, env=env)
    assert empty.returncode == 1 and "no saved searches yet" in empty.stderr and not empty.stdout


def test_cli_reports_a_damaged_file_in_one_line_and_keeps_it(corpus: Path, tmp_path: Path,
                                                             env: dict[str, str]) -> None:
    saved_file = tmp_path / "xdg" / "searchkit" / "saved_searches.json"
    saved_file.parent.mkdir(parents=True)
    saved_file.write_text("not json", encoding="utf-8")
    for args in (("saved",), ("query", "drone", "--save", "x")):
        done = run_cli(*args, "--index", str(tmp_path / "ix"), "--corpus", str(corpus), env=env)
        assert done.returncode == 2, done.stderr
        assert done.stderr.splitlines()[-1].startswith("searchkit: error: the saved searches file")
        assert "Traceback" not in done.stderr
    assert saved_file.read_text(encoding="utf-8") == "not json"


def test_hostile_text_in_a_saved_search_never_reaches_the_terminal(corpus: Path, tmp_path: Path,
                                                                   env: dict[str, str]) -> None:
    ix = build_index(corpus, tmp_path / "ix")
    store = SavedSearches(tmp_path / "xdg" / "searchkit" / "saved_searches.json")
    # An outlet filter must name an outlet of the index (resolve_outlet) and a name cannot hold
    # control characters, so the hostile text is in the query.
    name = "escapes"
    store.save(name, "drone \x1b]0;pwned\x07 \u202eevil", {"outlet": "daily ledger"}, index=ix)
    ix.close()
    for args in (("saved",), ("saved", name)):
        done = run_cli(*args, "--index", str(tmp_path / "ix"), env=env)
        assert done.returncode in (0, 1), done.stderr
        for stream in (done.stdout, done.stderr):
            assert "\x1b" not in stream and "\u202e" not in stream and "\x07" not in stream


def test_the_shell_saves_lists_and_runs_saved_searches_the_cli_sees(corpus: Path, tmp_path: Path,
                                                                     env: dict[str, str]) -> None:
    index = str(tmp_path / "ix")
    session = run_cli("shell", "--index", index, "--corpus", str(corpus), "--no-history", env=env,
                      input="drone\n:filter -outlet:the courier\n:save Ledger drones\n:saved\n")
    assert session.returncode == 0, session.stderr
    assert "Saved as 'Ledger drones' (1 match, now seen)" in session.stdout
    assert "Ledger drones  0 new of 1  drone -outlet:\"The Courier\"" in session.stdout

    write_corpus(corpus, {"d.txt": "Drone footage\n\nApr 9, 2024\n\nNew drone footage emerged."})
    listing = run_cli("saved", "--index", index, "--corpus", str(corpus), env=env)  # updates the index first
    assert "Ledger drones  1 new of 2" in listing.stdout, listing.stdout + listing.stderr

    session = run_cli("shell", "--index", index, "--no-history", env=env,
                      input=":saved\n:saved ledger drones\n:filter\n:saved\n:saved --delete ledger drones\n:saved\n")
    assert session.returncode == 0, session.stderr
    out = session.stdout
    assert out.index("1 new of 2") < out.index("new Drone footage") < out.index("0 new of 2")
    assert "Saved search 'Ledger drones': 1 new since" in out
    assert 'Filters: -outlet:"The Courier"' in out  # its filters became the standing ones
    assert "Deleted the saved search 'Ledger drones'." in out and out.rstrip().endswith(
        "No saved searches yet: type a query, then :save NAME.")


def test_importing_searchkit_or_a_query_loads_no_saved_searches_module() -> None:
    code = "import sys, searchkit, searchkit.cli; print('searchkit.saved' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ})
    assert done.stdout.strip() == "False", done.stderr


def test_a_saved_search_keeps_its_language_filter(corpus: Path, tmp_path: Path, env: dict[str, str]) -> None:
    index = str(tmp_path / "ix")
    saved = run_cli("query", "drone", "--lang", "zz", "--save", "nowhere", "--index", index,
                    "--corpus", str(corpus), env=env)
    assert saved.returncode == 1, saved.stderr  # no article is in that language
    listing = run_cli("saved", "--json", "--index", index, env=env)
    (entry,) = [json.loads(line) for line in listing.stdout.splitlines()]
    assert entry["filters"]["lang"] == ["zz"] and entry["total"] == 0
