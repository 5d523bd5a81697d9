"""`searchkit query` as a process: output, JSON Lines, exit codes, colour, safety, freshness."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from .conftest import SEEDS, run_cli, write_corpus

SEED_IDS = sorted(p.name for p in SEEDS.glob("*.txt"))


@pytest.fixture
def seeds_workdir(tmp_path: Path) -> Path:
    """A folder with seeds/ and a built index/, like a user's after `make run`."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    built = run_cli("index", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    return tmp_path


def _json_lines(stdout: str) -> list[dict]:
    """The records after the first line, which is always the summary."""
    rows = [json.loads(line) for line in stdout.splitlines() if line.strip()]
    assert rows and set(rows[0]) == {"summary"}, stdout[:300]
    return rows[1:]


def test_human_output_shows_rank_title_outlet_date_score_and_snippet(seeds_workdir: Path) -> None:
    result = run_cli("query", "nitrocellulose", cwd=seeds_workdir)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("2 matches, showing 1-2")
    assert " 1. " in out and " 2. " in out
    assert "China provides geospatial intel and other military support to Russia, US says" in out
    assert "Euromaidan Press · 2024-04-07 · score " in out
    assert "Forbes · date unknown · score " in out
    assert "nitrocellulose" in out
    assert "\x1b[" not in out  # not a terminal: no colour


def test_json_lines_format(seeds_workdir: Path) -> None:
    result = run_cli("query", "satellite imagery", "--json", "--limit", "3", "--no-collapse", cwd=seeds_workdir)
    assert result.returncode == 0
    rows = _json_lines(result.stdout)
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert set(rows[0]) == {"rank", "score", "doc_id", "path", "title", "outlet", "date", "url", "lang", "snippet", "highlights",
                            "page", "story", "versions"}
    assert all(r["doc_id"] in SEED_IDS for r in rows)
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    for row in rows:
        assert Path(row["path"]).name == row["doc_id"] and Path(row["path"]).exists()
        assert row["date"] is None or len(row["date"]) == 10
        marked = [row["snippet"][s:e].lower() for s, e in row["highlights"]]
        assert marked and all(m.startswith(("satellit", "imager")) for m in marked)


def test_json_facets_line_comes_last(seeds_workdir: Path) -> None:
    rows = _json_lines(run_cli("query", "china", "--json", "--facets", "--limit", "2", cwd=seeds_workdir).stdout)
    assert len(rows) == 3 and "facets" in rows[-1]
    facets = rows[-1]["facets"]
    assert facets["outlet"] == {"EU Today": 1, "Euromaidan Press": 1, "Forbes": 1, "Tibetan Review": 1}
    assert facets["outlet_unknown"] == 1
    assert facets["date"] == {"2024-04-07": 1, "2024-04-08": 1} and facets["date_unknown"] == 3


def test_exit_status_is_like_grep(seeds_workdir: Path) -> None:
    assert run_cli("query", "china", cwd=seeds_workdir).returncode == 0
    none = run_cli("query", "zeppelin", cwd=seeds_workdir)
    assert none.returncode == 1 and "No matches." in none.stdout
    bad = run_cli("query", "date:2024-13-01", cwd=seeds_workdir)
    assert bad.returncode == 2
    assert bad.stderr.startswith("searchkit: error: ") and len(bad.stderr.strip().splitlines()) == 1
    assert bad.stdout == ""


def test_did_you_mean(seeds_workdir: Path) -> None:
    result = run_cli("query", "nitrocelulose", cwd=seeds_workdir)
    assert result.returncode == 1
    assert "Did you mean: nitrocellulose" in result.stdout
    as_json = run_cli("query", "nitrocelulose", "--json", cwd=seeds_workdir)
    assert _json_lines(as_json.stdout) == [] and "did you mean: nitrocellulose" in as_json.stderr
    assert json.loads(as_json.stdout)["summary"]["suggestion"] == "nitrocellulose"


def test_paging_sort_and_filters(seeds_workdir: Path) -> None:
    page1 = _json_lines(run_cli("query", "russia", "--no-collapse", "--json", "--limit", "2", cwd=seeds_workdir).stdout)
    page2 = _json_lines(run_cli("query", "russia", "--no-collapse", "--json", "--limit", "2", "--page", "2", cwd=seeds_workdir).stdout)
    assert [r["rank"] for r in page2] == [3, 4]
    assert not {r["doc_id"] for r in page1} & {r["doc_id"] for r in page2}
    newest = _json_lines(run_cli("query", "russia", "--no-collapse", "--json", "--sort=-date", cwd=seeds_workdir).stdout)
    assert [r["date"] for r in newest][:2] == ["2024-04-08", "2024-04-07"]
    assert all(r["score"] is None for r in newest)  # sorted by date: no relevance score to show
    human = run_cli("query", "russia", "--no-collapse", "--sort", "date", cwd=seeds_workdir).stdout
    assert "score" not in human and "Tibetan Review · 2024-04-08 · 001_" in human
    assert all(r["date"] is None for r in newest[2:])
    forbes = _json_lines(run_cli("query", "russia", "--no-collapse", "--json", "--outlet", "forbes", cwd=seeds_workdir).stdout)
    assert [r["doc_id"] for r in forbes] == ["004_24cab58f69578a0d.txt"]
    since = _json_lines(run_cli("query", "russia", "--no-collapse", "--json", "--since", "2024-04-08", cwd=seeds_workdir).stdout)
    assert [r["doc_id"] for r in since] == ["001_9c9abb03a0ba5449.txt"]
    bad = run_cli("query", "russia", "--since", "April", cwd=seeds_workdir)
    assert bad.returncode == 2 and "not a date" in bad.stderr


def test_colour_rules(seeds_workdir: Path) -> None:
    always = run_cli("query", "nitrocellulose", "--color", "always", cwd=seeds_workdir).stdout
    assert "\x1b[1;31mnitrocellulose\x1b[0m" in always
    assert "\x1b[" not in run_cli("query", "nitrocellulose", "--color", "never", cwd=seeds_workdir).stdout


@pytest.mark.parametrize("no_color, coloured", [(None, True), ("1", False)])
def test_terminal_gets_colour_unless_no_color_is_set(seeds_workdir: Path, no_color: str | None, coloured: bool) -> None:
    import sys

    import pexpect

    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHKIT_") and k != "NO_COLOR"}
    env["TERM"] = "xterm-256color"
    if no_color:
        env["NO_COLOR"] = no_color
    child = pexpect.spawn(sys.executable, ["-m", "searchkit", "query", "nitrocellulose"], cwd=str(seeds_workdir),
                          env=env, encoding="utf-8", timeout=30)
    output = child.read()
    child.close()
    assert child.exitstatus == 0
    assert "nitrocellulose" in output
    assert ("\x1b[1;31mnitrocellulose\x1b[0m" in output) is coloured
    assert ("\x1b[" in output) is coloured


def test_escape_sequences_from_documents_never_reach_the_terminal(tmp_path: Path) -> None:
    evil = ("\x1b]0;pwned\x07Evil \x1b[2J title\n\nThe zeppelin \x1b[31mred\x1b[0m landed \x9b6n here.\x07 "
            + "An ordinary sentence follows. " * 10)
    corpus = write_corpus(tmp_path / "c", {"evil.txt": evil,
                                           "metadata.toml": '["evil.txt"]\noutlet = "Bad\\u001b[5mOutlet"\n'})
    for color in ("always", "never"):
        out = run_cli("query", "zeppelin", "--index", str(tmp_path / "ix"), "--corpus", str(corpus),
                      "--color", color).stdout
        assert "zeppelin" in out and "pwned" in out
        for seq in ("\x1b]", "\x1b[2J", "\x1b[31m", "\x1b[5m", "\x9b", "\x07"):
            assert seq not in out
    shown = run_cli("show", "evil.txt", "--index", str(tmp_path / "ix")).stdout
    assert "zeppelin" in shown and "\x1b" not in shown and "\x07" not in shown


def test_missing_index_is_built_first_with_one_line_on_stderr(tmp_path: Path) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    result = run_cli("query", "nitrocellulose", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr.splitlines() == ["searchkit: no index at index; building it from seeds"]
    assert "2 matches" in result.stdout


def test_stale_index_is_updated_first(seeds_workdir: Path) -> None:
    time.sleep(0.05)
    new = seeds_workdir / "seeds" / "zz_new.txt"
    new.write_text("Zeppelin\n\nA zeppelin was spotted over Kyiv.", encoding="utf-8")
    result = run_cli("query", "zeppelin", "--json", cwd=seeds_workdir)
    assert result.returncode == 0
    assert "changed since the index was updated" in result.stderr
    assert [r["doc_id"] for r in _json_lines(result.stdout)] == ["zz_new.txt"]
    quiet = run_cli("query", "zeppelin", cwd=seeds_workdir)
    assert quiet.stderr == ""  # up to date now: nothing said
    new.unlink()
    skipped = run_cli("query", "zeppelin", "--no-update", "--json", cwd=seeds_workdir)
    assert skipped.returncode == 0 and skipped.stderr == ""


def test_metadata_edit_new_folder_and_removed_file_are_picked_up_first(seeds_workdir: Path) -> None:
    time.sleep(0.05)
    article = "003_fb593ee96fcbc111.txt"
    meta = seeds_workdir / "seeds" / "metadata.toml"
    meta.write_text(meta.read_text(encoding="utf-8") + f'\n["{article}"]\noutlet = "Quokka Courier"\n',
                    encoding="utf-8")  # in place: no folder's time changes
    result = run_cli("query", "--outlet", "quokka courier", "--json", "russia OR ukraine OR china", cwd=seeds_workdir)
    assert result.returncode == 0 and "changed since the index was updated" in result.stderr
    assert [(r["doc_id"], r["outlet"]) for r in _json_lines(result.stdout)] == [(article, "Quokka Courier")]
    time.sleep(0.05)
    write_corpus(seeds_workdir / "seeds" / "new" / "deeper", {"q.txt": "Quokkaflux\n\nA quokkaflux was seen.\n"})
    result = run_cli("query", "quokkaflux", "--json", cwd=seeds_workdir)
    assert "changed since the index was updated" in result.stderr
    assert [r["doc_id"] for r in _json_lines(result.stdout)] == ["new/deeper/q.txt"]
    time.sleep(0.05)
    (seeds_workdir / "seeds" / "new" / "deeper" / "q.txt").unlink()
    result = run_cli("query", "quokkaflux", "--json", cwd=seeds_workdir)
    assert "changed since the index was updated" in result.stderr and result.returncode == 1


def test_article_rewritten_in_place_is_noticed_by_the_next_index_run(seeds_workdir: Path) -> None:
    # The documented trade-off (docs/guide.md, Searching): a one-shot query trusts folder times, and rewriting
    # a file in place does not change its folder's time.
    time.sleep(0.05)
    article = seeds_workdir / "seeds" / "003_fb593ee96fcbc111.txt"
    with open(article, "a", encoding="utf-8") as fh:
        fh.write("\nA quokkaflux was seen near the harbour.\n")
    assert run_cli("query", "quokkaflux", cwd=seeds_workdir).returncode == 1
    assert run_cli("index", "-q", cwd=seeds_workdir).returncode == 0
    result = run_cli("query", "quokkaflux", "--json", cwd=seeds_workdir)
    assert [r["doc_id"] for r in _json_lines(result.stdout)] == [article.name]


def test_index_without_a_list_of_folders_is_checked_file_by_file(seeds_workdir: Path) -> None:
    (seeds_workdir / "index" / ".watched-paths.json").unlink()  # as written by an older searchkit
    time.sleep(0.05)
    article = seeds_workdir / "seeds" / "003_fb593ee96fcbc111.txt"
    with open(article, "a", encoding="utf-8") as fh:
        fh.write("\nA quokkaflux was seen near the harbour.\n")
    result = run_cli("query", "quokkaflux", "--json", cwd=seeds_workdir)
    assert "changed since the index was updated" in result.stderr
    assert [r["doc_id"] for r in _json_lines(result.stdout)] == [article.name]
    assert (seeds_workdir / "index" / ".watched-paths.json").is_file()


def test_output_pipes_cleanly_into_a_reader_that_stops_early(tmp_path: Path) -> None:
    import subprocess
    import sys

    # far more output than a pipe buffers, so the writer really meets the closed pipe
    corpus = write_corpus(tmp_path / "c", {f"a{i:03d}.txt": f"Zeppelin {i}\n\n" + "The zeppelin flew on. " * 30
                                           for i in range(400)})
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHKIT_")}
    cmd = f"{sys.executable} -m searchkit query zeppelin --limit 400 --corpus c --index ix | head -1"
    proc = subprocess.run(cmd, shell=True, cwd=tmp_path, capture_output=True, text=True, env=env)
    assert corpus.exists() and proc.stdout.startswith("400 matches")
    assert "Traceback" not in proc.stderr and "Broken" not in proc.stderr


def test_expand_reports_the_added_words(seeds_workdir: Path) -> None:
    result = run_cli("query", "nitrocellulose", "--expand", cwd=seeds_workdir)
    assert result.returncode == 0
    line = next(line for line in result.stdout.splitlines() if line.startswith("Expanded with: "))
    assert len(line.split(": ", 1)[1].split()) >= 3
    as_json = run_cli("query", "nitrocellulose", "--expand", "--json", cwd=seeds_workdir)
    assert "searchkit: expanded with: " in as_json.stderr
    assert all("rank" in row for row in _json_lines(as_json.stdout))
