"""`searchkit shell` driven as a person would: keys in, screen out, on a real index.

Most tests drive the real shell in process (tests/shell_terminal.py: prompt_toolkit on a pipe
input, drawing into a screen buffer); those marked with ``TERMINALS`` also run it as
`python -m searchkit shell` in a real pseudo-terminal (the slow lane, `make test-all`). Each
asserts on what appears on the terminal: text, colour codes around matches, the prompt,
completion, history.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

import pytest

from searchkit import build_index

from .conftest import SEEDS, run_cli, write_corpus
from .shell_terminal import (ALT_N, ALT_P, CTRL_C, CTRL_D, STATUS, TAB, UP, InProcessShell, PtyShell,
                             ShellTerminal, shell_environment, strip_ansi)

TITLE_EUTODAY = "Satellite Imagery from China Helps Russia Plan Strikes on Ukraine"
TITLE_FORBES = "China Sending Russia Missile And Drone Parts For Ukraine War"
HOSTILE_NAME = "zz_hostile.txt"
# An article trying to set the terminal's title and colour the rest of the screen red.
HOSTILE_TEXT = (
    "Quokka census \x1b]0;pwned\x07 results\n\n"
    "The zanzibarite count rose sharply this spring. \x1b[31mREDALERT everything after this is red.\n"
    "A bell\x07 and a cursor move \x1b[2J\x1b[H should do nothing either.\n"
)


def seed_files_mentioning(*words: str) -> list[str]:
    """Seed articles whose text contains any of ``words`` (case-insensitive): the oracle."""
    found = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8").lower()
        if any(w.lower() in text for w in words):
            found.append(path.name)
    return found


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the seeds plus one hostile article, and its index (read-only for tests)."""
    import searchkit

    root = tmp_path_factory.mktemp("shell-library")
    corpus = root / "corpus"
    shutil.copytree(SEEDS, corpus)
    write_corpus(corpus, {HOSTILE_NAME: HOSTILE_TEXT})
    searchkit.build_index(corpus, root / "index").close()
    return root / "index"


@pytest.fixture
def shell_env(tmp_path: Path) -> dict[str, str]:
    """The shell's environment (tests may change it before opening a shell)."""
    return shell_environment(tmp_path)


@pytest.fixture
def open_shell(request: pytest.FixtureRequest, library: Path, shell_env: dict[str, str],
               monkeypatch: pytest.MonkeyPatch):
    """Factory: open_shell() starts a shell on the test library (closed at teardown), in
    process unless the test is parametrized with ``TERMINALS`` (then also in a real pty)."""
    kind = getattr(request, "param", "in-process")
    if kind == "pty":
        pytest.importorskip("pexpect", reason="pexpect is needed for the real-terminal tests")
    started: list[ShellTerminal] = []

    def start(index: Path = library, **kwargs) -> ShellTerminal:
        shell: ShellTerminal
        if kind == "pty":
            shell = PtyShell(index, shell_env, **kwargs)
        else:
            shell = InProcessShell(index, shell_env, monkeypatch, **kwargs)
        started.append(shell)
        return shell

    yield start
    for shell in started:
        shell.close()


# The tests that also run in a real pseudo-terminal (the slow lane): what the in-process
# terminal could get wrong (raw mode, the real key parser, a separate process's history).
TERMINALS = pytest.mark.parametrize(
    "open_shell", ["in-process", pytest.param("pty", marks=pytest.mark.slow)], indirect=True)


# ------------------------------------------------------------------------------------------
# Results


@TERMINALS
def test_query_shows_titles_outlets_dates_highlighted_snippets_and_status(open_shell) -> None:
    shell = open_shell()
    shell.run(":collapse off", r"Collapsing off")  # one line per article, copies included
    start = shell.mark()
    shell.run("satellite imagery", STATUS)
    shown = shell.since(start)
    text = strip_ansi(shown)
    expected = seed_files_mentioning("satellite", "imagery")
    status = re.search(STATUS + r" \((\d+(?:\.\d)?) ms\)", text)
    assert status is not None, text
    assert int(status.group(1)) == len(expected)
    assert TITLE_EUTODAY in text
    assert "EU Today · date unknown · score " in text
    assert "Euromaidan Press · 2024-04-07" in text
    # Ranks 1..n in order, each with its article's file name.
    assert [int(r) for r in re.findall(r"^ *(\d+)\. ", text, re.M)] == list(range(1, len(expected) + 1))
    for name in expected:
        assert name in text
    # The matched words are drawn in bold red, and only they.
    assert re.search(r"\x1b\[1;31m[Ss]atellite\x1b\[0m", shown)
    assert re.search(r"\x1b\[1;31m[Ii]magery\x1b\[0m", shown)
    assert not re.search(r"\x1b\[1;31m(?:China|Russia)\x1b\[0m", shown)
    assert shell.quit() == 0


def test_bad_query_prints_one_error_line_and_the_shell_carries_on(open_shell) -> None:
    shell = open_shell()
    start = shell.mark()
    shell.run("foo:bar AND", r"error:[^\n]*unknown field 'foo'[^\n]*\n")
    error_lines = [line for line in strip_ansi(shell.since(start)).splitlines() if "error" in line]
    assert len(error_lines) == 1
    assert "Traceback" not in shell.screen
    shell.run("nitrocellulose", STATUS)
    assert TITLE_FORBES in shell.screen
    shell.run('"unclosed (phrase', r"\d+ match|No matches")  # forgiving: runs to the end
    assert shell.quit() == 0


@TERMINALS
def test_ctrl_c_clears_the_line_and_ctrl_d_quits_with_status_0(open_shell) -> None:
    shell = open_shell()
    shell.send("satellite")
    shell.settle()
    shell.send(CTRL_C)
    shell.wait_prompt()
    start = shell.mark()
    # Had Ctrl-C not cleared "satellite", this would search "satellitenitrocellulose".
    shell.run("nitrocellulose", STATUS)
    status = re.search(STATUS, strip_ansi(shell.since(start)))
    assert status and int(status.group(1)) == len(seed_files_mentioning("nitrocellulose"))
    assert shell.quit(CTRL_D) == 0


@TERMINALS
def test_next_and_prev_page_through_hits(open_shell) -> None:
    shell = open_shell()
    shell.run(":collapse off", r"Collapsing off")  # one line per article, copies included
    total = len(seed_files_mentioning("china"))
    assert total >= 3  # the oracle: enough hits for two pages of two
    shell.run(":limit 2", r"2 hits per page")
    first = strip_ansi(shell.run("china", STATUS))
    assert re.search(rf"{total} matches · showing 1-2 · page 1 of {-(-total // 2)}", first)
    second = strip_ansi(shell.run(":next", STATUS))
    assert "showing 3-4 · page 2" in second or "showing 3-3 · page 2" in second
    back = strip_ansi(shell.run(":prev", STATUS))
    assert "showing 1-2 · page 1" in back
    # The same with the keys: Alt-n, Alt-p.
    shell.send(ALT_N)
    assert "page 2" in strip_ansi(shell.expect(STATUS))
    shell.wait_prompt()
    shell.send(ALT_P)
    assert "page 1" in strip_ansi(shell.expect(STATUS))
    shell.wait_prompt()
    assert shell.quit() == 0


# ------------------------------------------------------------------------------------------
# Commands


def test_help_lists_every_command_with_one_line(open_shell) -> None:
    shell = open_shell()
    start = shell.mark()
    shell.run(":help", r"Queries")
    text = strip_ansi(shell.since(start))
    for name in ("open", "next", "prev", "sort", "filter", "facets", "stats", "json", "quit"):
        assert re.search(rf"^  :{name}\b.*\S", text, re.M) or re.search(rf"^  :{name}\b[^\n]*\n {{10,}}\S", text, re.M), name
    assert shell.quit() == 0


def _explain_rows(text: str) -> dict[str, str]:
    """The rows of the last "explain:" block in ``text``: name -> value."""
    block = text[text.rindex("explain:\n"):].splitlines()[1:]
    rows = {}
    for line in block:
        found = re.match(r"^  (\S.*?)  +(\S.*)$", line)
        if found is None:
            break
        rows[found.group(1)] = found.group(2)
    return rows


@TERMINALS
def test_explain_says_how_the_last_query_or_a_new_one_ran(open_shell, library: Path) -> None:
    """As `searchkit query --explain` says it: the same compiled query, filters and words
    dropped, with the time of each stage."""
    shell = open_shell()
    shell.run(":explain", r"type a query first")
    query = '"satellite imagery" of the drones'
    cli = run_cli("query", query, "--explain", "--index", str(library), "--no-update")
    assert cli.returncode == 0, cli.stderr
    expected = _explain_rows(cli.stderr)
    start = shell.mark()
    shell.run(f":explain {query}", r"total +[\d.]+ ms")
    text = strip_ansi(shell.since(start))
    assert re.search(STATUS, text) and TITLE_EUTODAY in text  # the hits, as for the query typed
    rows = _explain_rows(text)
    assert rows["compiled query"] == expected["compiled query"] and "satellit imageri" in rows["compiled query"]
    assert rows["words dropped"] == expected["words dropped"] == "of, the"
    assert rows["path"] in ("sets", "numpy") and {"parse", "match", "rank", "snippets"} <= set(rows)

    shell.run(":filter outlet:forbes", r"Filters|outlet")
    start = shell.mark()
    shell.run(":explain", r"total +[\d.]+ ms")
    text = strip_ansi(shell.since(start))
    assert f"How {query} ran (searched again):" in text
    assert "outlet" in _explain_rows(text)["filters"]
    assert _explain_rows(text)["compiled query"] == expected["compiled query"]

    shell.run(":filter clear", r"[Ff]ilters")
    shell.run("nitrocellulose", STATUS)
    shell.run(":similar 1", STATUS)
    start = shell.mark()
    shell.run(":explain", r"total +[\d.]+ ms")
    text = strip_ansi(shell.since(start))
    assert "How the articles similar to " in text and _explain_rows(text)["compiled query"]
    start = shell.mark()
    shell.run(":help explain", r"how the last query ran")
    assert ":explain [QUERY]\n    how the last query ran (or QUERY, run now)" in strip_ansi(shell.since(start))
    assert shell.quit() == 0


def test_open_shows_metadata_with_provenance_and_highlighted_text(open_shell) -> None:
    shell = open_shell()
    shell.run("nitrocellulose", STATUS)
    start = shell.mark()
    shell.run(":open 1", r"sha256")  # run() also waits for the prompt: the pager is done
    shown = shell.since(start)
    text = strip_ansi(shown)
    first_hit = re.search(r"title:\s+(.*?)\s+\(from the text\)", text)
    assert first_hit is not None, text
    assert re.search(r"outlet:\s+\S.*\((?:from the text|from metadata\.toml)\)", text)
    assert re.search(r"date:\s+\S+\s+\((?:from the text|from metadata\.toml|unknown)\)", text)
    assert "file:" in text
    # The whole article follows, with every occurrence of the word highlighted.
    article = next(p for p in SEEDS.glob("*.txt")
                   if first_hit.group(1)[:40] in p.read_text(encoding="utf-8"))
    occurrences = article.read_text(encoding="utf-8").lower().count("nitrocellulose")
    assert len(re.findall(r"\x1b\[1;31mnitrocellulose\x1b\[0m", shown, re.I)) == occurrences
    assert re.search(rf"{occurrences} match(es)? highlighted", text)
    assert shell.quit() == 0


@pytest.mark.parametrize("open_shell", [pytest.param("pty", marks=pytest.mark.slow)], indirect=True)
def test_open_in_less_then_back_to_the_prompt(open_shell, shell_env: dict[str, str]) -> None:
    if shutil.which("less") is None:
        pytest.skip("less is not installed")
    del shell_env["PAGER"]  # the default: less, with LESS=-RFX
    shell = open_shell(dimensions=(12, 100))
    shell.run("geospatial", STATUS)
    shell.send(":open 1\r")
    shell.expect(r"from metadata\.toml|from the text")
    shell.settle(0.5)
    shell.send("q")
    shell.wait_prompt()
    shell.run("nitrocellulose", STATUS)  # the shell still answers
    assert shell.quit() == 0


def test_filter_is_shown_in_the_prompt_and_applied(open_shell) -> None:
    shell = open_shell()
    shell.run(":filter outlet:tibetan review", r"Filters: outlet:\"Tibetan Review\"")
    assert '[outlet:"Tibetan Review"]' in strip_ansi(shell.raw)
    start = shell.mark()
    shell.run("china", STATUS)
    text = strip_ansi(shell.since(start))
    assert re.search(r"\b1 match\b", text)
    assert "Tibetan Review · " in text
    assert "EU Today" not in text and "Forbes" not in text

    shell.run(":filter clear", r"Filters cleared")
    shell.run(":filter since:2024-04-08", r"Filters: since:2024-04-08")
    assert "[since:2024-04-08]" in strip_ansi(shell.raw)
    text = strip_ansi(shell.run("china", STATUS))
    assert re.search(r"\b1 match\b", text)
    start = shell.mark()
    shell.run(":filter until:2024-04-07", r"error:[^\n]*since[^\n]*\n")
    text = strip_ansi(shell.since(start))
    assert re.search(r"\[since:2024-04-08 until:2024-04-07\]", text) is None
    assert "error: since 2024-04-08 is after until 2024-04-07" in text
    shell.run(":filter outlet:Nobody Weekly", r"error:[^\n]*no outlet 'Nobody Weekly' in the index")
    assert shell.quit() == 0


def test_expand_toggle_adds_feedback_words_and_shows_in_the_prompt(open_shell) -> None:
    shell = open_shell()
    start = shell.mark()
    shell.run(":expand on", r"Expansion on")
    shell.run("nitrocellulose", STATUS)
    text = strip_ansi(shell.since(start))
    assert re.search(r"Expanded with: \S+ \S+", text)
    assert re.search(r"\[expand\]>", text)
    start = shell.mark()
    shell.run(":expand off", STATUS)  # re-runs the last query without expansion
    shell.run("drone", STATUS)
    assert "Expanded with" not in strip_ansi(shell.since(start))
    assert shell.quit() == 0


def test_sort_by_date_shows_newest_first(open_shell) -> None:
    shell = open_shell()
    shell.run(":collapse off", r"Collapsing off")  # one line per article, copies included
    start = shell.mark()
    shell.run(":sort -date", r"Sorting by -date")
    shell.run("china", STATUS)
    text = strip_ansi(shell.since(start))
    dates = re.findall(r" · (\d{4}-\d{2}-\d{2}) · \d{3}_", text)
    assert " · score " not in text  # sorted by date: no relevance score to show
    assert dates == sorted(dates, reverse=True) and len(dates) >= 2
    assert "newest first" in text
    assert re.search(r"\[sort:-date\b", text)
    assert shell.quit() == 0


def test_facets_and_stats(open_shell) -> None:
    shell = open_shell()
    shell.run("china", STATUS)
    start = shell.mark()
    shell.run(":facets", r"\d+ match(es)? for china")
    text = strip_ansi(shell.since(start))
    assert "Outlets" in text and "Dates" in text and "(date unknown)" in text
    start = shell.mark()
    shell.run(":stats", r"outlets\s+\d+")
    text = strip_ansi(shell.since(start))
    documents = len(list(SEEDS.glob("*.txt"))) + 1  # the seeds and the hostile article
    assert re.search(rf"documents\s+{documents}\b", text)
    assert shell.quit() == 0


def test_json_prints_the_hits_as_parsable_json_lines(open_shell) -> None:
    shell = open_shell()
    shell.run(":collapse off", r"Collapsing off")  # one line per article, copies included
    shell.run("satellite imagery", STATUS)
    expected = seed_files_mentioning("satellite", "imagery")
    start = shell.mark()
    shell.run(":json", rf'\{{"rank": {len(expected)},[^\n]*\n')
    lines = [line for line in strip_ansi(shell.since(start)).split("\n") if line.startswith("{")]
    records = [json.loads(line) for line in lines]
    assert len(records) == len(expected)
    assert [r["rank"] for r in records] == list(range(1, len(records) + 1))
    assert {r["doc_id"] for r in records} == set(expected)
    assert all(r["title"] is None or isinstance(r["title"], str) for r in records)
    assert shell.quit() == 0


# ------------------------------------------------------------------------------------------
# Completion, highlighting as you type, history, toolbar


def test_tab_completes_a_command(open_shell) -> None:
    shell = open_shell()
    start = shell.tab_complete_and_enter(":sta")
    shell.expect(r"documents\s+\d+")  # what :stats prints
    shell.wait_prompt()
    assert ":stats" in strip_ansi(shell.raw)
    assert "unknown command" not in strip_ansi(shell.since(start))
    assert shell.quit() == 0


def test_tab_completes_outlet_names_quoted_when_they_have_spaces(open_shell) -> None:
    shell = open_shell()
    start = shell.tab_complete_and_enter("china outlet:Forb")
    text = strip_ansi(shell.expect(STATUS))
    shell.wait_prompt()
    assert "china outlet:Forbes" in strip_ansi(shell.since(start - 200))
    assert re.match(r"1 match\b", text)

    start = shell.tab_complete_and_enter("china outlet:euroma")
    shell.expect(STATUS)
    shell.wait_prompt()
    shown = strip_ansi(shell.since(start))
    assert 'outlet:"Euromaidan Press"' in shown
    assert "Euromaidan Press · 2024-04-07" in shown
    assert shell.quit() == 0


def test_tab_completes_words_from_the_index(open_shell) -> None:
    shell = open_shell()
    start = shell.tab_complete_and_enter("nitrocel")
    shell.expect(STATUS)
    shell.wait_prompt()
    text = strip_ansi(shell.since(start))
    assert "nitrocellulose" in text
    assert TITLE_FORBES in text
    assert shell.quit() == 0


def test_query_is_coloured_as_it_is_typed(open_shell) -> None:
    shell = open_shell()
    start = shell.mark()
    shell.send('china AND title:"rocket fuel" foo:bar')
    sgr = r"\x1b\[([0-9;]*)m"
    shell.expect(sgr + "foo:")  # the line drawn up to its last word
    typed = shell.since(start)
    operator = re.search(sgr + "AND", typed)
    field = re.search(sgr + "title:", typed)
    phrase = re.search(sgr + '"rocket fuel"', typed)
    error = re.search(sgr + "foo:", typed)
    assert operator and "35" in operator.group(1).split(";")  # magenta
    assert field and "34" in field.group(1).split(";")  # blue
    assert phrase and "33" in phrase.group(1).split(";")  # yellow
    assert error and {"31", "4"} <= set(error.group(1).split(";"))  # red, underlined
    shell.send(CTRL_C)
    shell.wait_prompt()
    assert shell.quit() == 0


@TERMINALS
def test_history_is_recalled_with_up_after_a_restart(open_shell, shell_env: dict[str, str]) -> None:
    shell = open_shell()
    shell.run("nitrocellulose", STATUS)
    assert shell.quit() == 0
    history = Path(shell_env["XDG_DATA_HOME"]) / "searchkit" / "shell_history"
    assert "nitrocellulose" in history.read_text(encoding="utf-8")

    again = open_shell()
    again.send(UP)
    again.settle()
    start = again.mark()
    again.send("\r")
    text = strip_ansi(again.expect(STATUS))
    again.wait_prompt()
    assert re.match(rf"{len(seed_files_mentioning('nitrocellulose'))} match", text)
    assert "nitrocellulose" in strip_ansi(again.since(start))
    again.run("china", STATUS)
    # Ctrl-R searches the history: Enter takes the line found, a second Enter runs it.
    again.send("\x12")
    again.settle()
    again.send("nitro")
    again.settle()
    again.send("\r")
    again.settle()
    start = again.mark()
    again.send("\r")
    text = strip_ansi(again.expect(STATUS))
    again.wait_prompt()
    assert re.match(rf"{len(seed_files_mentioning('nitrocellulose'))} match", text)
    assert again.quit() == 0


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_history_file_is_readable_by_its_owner_only(open_shell, shell_env: dict[str, str], tmp_path: Path) -> None:
    """Issue 27: it was created 0644 under the usual umask, every query typed readable by all."""
    history = Path(shell_env["XDG_DATA_HOME"]) / "searchkit" / "shell_history"
    old_umask = os.umask(0o022)  # the shell inherits the usual umask
    try:
        shell = open_shell()
        shell.run("nitrocellulose", STATUS)
        assert shell.quit() == 0
        assert history.stat().st_mode & 0o777 == 0o600
        history.chmod(0o644)  # one written by an older searchkit is made private at the next start
        shell = open_shell()
        assert shell.quit() == 0
        assert history.stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(old_umask)


def test_toolbar_shows_index_documents_outlets_dates_and_age(open_shell, shell_env: dict[str, str]) -> None:
    # The toolbar is drawn once the terminal has told where the cursor is: this one answers.
    shell_env.pop("PROMPT_TOOLKIT_NO_CPR")
    shell = open_shell(dimensions=(40, 160))
    shell.expect(r"documents ·[^\n]*updated")
    text = shell.screen
    documents = len(list(SEEDS.glob("*.txt"))) + 1
    assert str(shell.index) in text
    assert re.search(rf"{documents} documents · \d+ outlets · 2024-04-07 to 2024-04-08 · updated just now", text), text
    assert shell.quit() == 0


def test_no_color_turns_off_the_colours(open_shell, shell_env: dict[str, str]) -> None:
    shell_env["NO_COLOR"] = "1"
    shell = open_shell()
    start = shell.mark()
    shell.run("satellite imagery", STATUS)
    shown = shell.since(start)
    assert re.search(r"satellite", shown, re.I)
    assert "\x1b[1;31m" not in shown and "\x1b[31m" not in shown
    assert shell.quit() == 0


def test_lines_piped_in_run_without_a_prompt(library: Path) -> None:
    done = run_cli("shell", "--index", str(library), input="nitrocellulose\n:json\nfoo:bar\n:quit\nchina\n")
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout  # not a terminal: no colour, no prompt
    records = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert len(records) == len(seed_files_mentioning("nitrocellulose"))
    assert "error: unknown field 'foo'" in done.stdout
    assert "china" not in done.stdout.split("error:")[-1].lower()  # nothing ran after :quit


# ------------------------------------------------------------------------------------------
# Safety and freshness


@TERMINALS
def test_escape_sequences_in_an_article_never_reach_the_terminal(open_shell) -> None:
    shell = open_shell()
    shell.run("zanzibarite", STATUS)
    shell.run(":open 1", r"sha256")
    shell.run(":json", r'\{"rank": 1,[^\n]*\n')
    raw = shell.raw
    assert "REDALERT" in raw and "pwned" in raw  # the article was shown...
    assert "\x1b]0;pwned" not in raw  # ...but could not set the window title,
    assert "\x1b[31mREDALERT" not in raw  # colour the screen,
    assert "\x1b[2J" not in raw and "\x07" not in raw  # clear it or ring the bell
    assert shell.quit() == 0


def test_a_newer_index_written_by_another_process_is_picked_up(tmp_path: Path, open_shell) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    index = tmp_path / "index"
    build_index(corpus, index).close()
    shell = open_shell(index)
    shell.run("quokkaflux", r"No matches")
    write_corpus(corpus, {"new.txt": "Quokkaflux sightings\n\nA quokkaflux was seen near the harbour.\n"})
    done = run_cli("index", str(corpus), "--index", str(index), "-q")
    assert done.returncode == 0, done.stderr
    start = shell.mark()
    shell.run("quokkaflux", STATUS)
    text = strip_ansi(shell.since(start))
    assert "index updated by another process" in text
    assert re.search(r"\b1 match\b", text) and "Quokkaflux sightings" in text
    assert shell.quit() == 0


# ------------------------------------------------------------------------------------------
# The pieces behind the prompt, in-process: highlighting agrees with the parser; completion


def _completions(text: str, *, tab: bool = True) -> list[str]:
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from searchkit.shell.commands import COMMANDS, resolve_command
    from searchkit.shell.complete import ShellCompleter

    outlets = {"EU Today": 1, "Euromaidan Press": 1, "Forbes": 2, "Tibetan Review": 1}
    words = ["satellite", "satellites", "sanctions", "nitrocellulose"]
    completer = ShellCompleter(
        COMMANDS, resolve_command, lambda: outlets,
        lambda prefix: [w for w in words if w.startswith(prefix.lower())],
        lambda: [(1, "First hit"), (2, "Second hit")],
    )
    document = Document(text, len(text))
    found = completer.get_completions(document, CompleteEvent(completion_requested=tab))
    return [text[: len(text) + c.start_position] + c.text for c in found]


def test_completion_of_commands_fields_outlets_and_words() -> None:
    assert _completions(":so") == [":sort "]  # a command that takes an argument: the space too
    assert _completions(":he") == [":help "]
    assert _completions(":export ") == []  # a file name comes first
    assert _completions(":export memo.md m") == [":export memo.md md"]
    assert _completions(":sta") == [":stats"]
    assert _completions(":sort -") == [":sort -date"]
    assert set(_completions(":f")) == {":filter ", ":facets"}
    assert _completions(":filter outlet:tib") == [':filter outlet:"Tibetan Review"']
    assert _completions(":open ") == [":open 1", ":open 2"]
    assert _completions("china outlet:Forb") == ["china outlet:Forbes"]
    assert set(_completions('outlet:"eu')) == {'outlet:"EU Today"', 'outlet:"Euromaidan Press"'}
    assert _completions("outlet:today") == ['outlet:"EU Today"']  # any word of the name
    assert _completions("ti") == ["title:"]
    assert _completions("-Sat") == ["-Satellite", "-Satellites"]  # modifier kept, case followed
    assert _completions("title:nitro") == ["title:nitrocellulose"]
    assert _completions('"shock sat') == ['"shock satellite', '"shock satellites']  # no fields in a phrase
    assert _completions("a AN") == ["a AND "]
    assert _completions("s", tab=False) == []  # while typing, words need two letters
    # :explain QUERY completes its query as a query is completed
    assert _completions(":expl") == [":explain "]
    assert _completions(":explain sat") == [":explain satellite", ":explain satellites"]
    assert _completions(":explain china outlet:Forb") == [":explain china outlet:Forbes"]
    assert _completions(":explain drones ti") == [":explain drones title:"]


def test_the_query_after_explain_is_highlighted_as_a_query() -> None:
    from searchkit.engine.whoosh.compile import parse_query
    from searchkit.shell.commands import resolve_command
    from searchkit.shell.lexer import ShellLexer, query_fragments

    lexer = ShellLexer(lambda name: resolve_command(name) is not None, parse_query,
                       lambda name: getattr(resolve_command(name), "query_argument", False))
    for query in ('"satellite imagery" AND drones', "title:china -outlet:forbes", "drones AND"):
        fragments = lexer.fragments(f":explain  {query}")
        assert fragments == [("class:command", ":explain"), ("", "  "), *query_fragments(query, parse_query)]
    assert ("class:query.error", "AND") in lexer.fragments(":expl drones AND")  # as the parser rejects it
    assert lexer.fragments(":export drones AND") == [("class:command", ":export"), ("class:command.args",
                                                                                  " drones AND")]


def test_highlighting_shows_an_error_exactly_where_the_parser_rejects_the_line() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from searchkit.errors import QueryError
    from searchkit.engine.whoosh.compile import parse_query
    from searchkit.shell.lexer import query_fragments

    pieces = st.sampled_from(list('ab ()"~5*?-+:[]{}\u201c') + ["AND", "OR", "NOT", "TO", "2024",
                                                               "title:", "date:", "outlet:", "foo:"])

    @settings(max_examples=400, deadline=None)
    @given(st.lists(pieces, max_size=12).map("".join))
    def agrees(text: str) -> None:
        fragments = query_fragments(text, parse_query)
        assert "".join(piece for _, piece in fragments) == text
        marked = any(style in ("class:query.error", "class:query.badfield") for style, _ in fragments)
        try:
            parse_query(text)
        except QueryError:
            assert marked or not text.strip()
        else:
            assert not marked

    agrees()


# ------------------------------------------------------------------------------------------
# Issue 15: one Tab completes a single candidate, :plain, :export, history opt-out


def test_one_tab_completes_a_single_candidate_at_once(open_shell) -> None:
    shell = open_shell()
    shell.send(":he")
    shell.settle(0.6)  # the menu opened while typing, with its one candidate
    shell.send(TAB)
    shell.settle()
    shell.send("sort\r")  # completed to ":help " at once: this is ":help sort"
    text = strip_ansi(shell.expect(r"order hits by relevance[^\n]*"))
    shell.wait_prompt()
    assert "order hits by relevance" in text
    assert "unknown command" not in shell.screen and "no command" not in shell.screen
    assert shell.quit() == 0


@TERMINALS
@pytest.mark.parametrize("pause", [0.0, 0.02, 0.15])
def test_one_tab_completes_a_unique_command_or_outlet_typed_key_by_key(open_shell, pause: float) -> None:
    """Issue 27: typed as a person types (a key at a time), one Tab completes the only
    candidate, however far completion-while-typing has got."""
    shell = open_shell()
    for key in ":he":
        shell.send(key)
        time.sleep(0.08)
    time.sleep(pause)
    shell.send(TAB)
    shell.settle()
    shell.send("sort\r")
    shell.expect(r"order hits by relevance[^\n]*")
    shell.wait_prompt()
    for key in "china outlet:tib":
        shell.send(key)
        time.sleep(0.05)
    time.sleep(pause)
    start = shell.mark()
    shell.send(TAB)
    shell.settle()
    shell.send("\r")
    shell.expect(STATUS)
    shell.wait_prompt()
    assert 'outlet:"Tibetan Review"' in strip_ansi(shell.since(start))
    assert "unknown command" not in shell.screen and "error:" not in shell.screen
    assert shell.quit() == 0


def test_tab_completes_a_single_candidate_even_while_the_menu_is_still_being_filled() -> None:
    """The race behind issue 27's report: Tab pressed after completion-while-typing started
    (its menu exists) but before its thread delivered the candidates."""
    from prompt_toolkit.buffer import Buffer, CompletionState
    from prompt_toolkit.document import Document

    from searchkit.shell.commands import COMMANDS, resolve_command
    from searchkit.shell.complete import ShellCompleter, complete_or_cycle

    completer = ShellCompleter(COMMANDS, resolve_command, lambda: {"Tibetan Review": 1, "EU Today": 2},
                               lambda prefix: [], lambda: [])
    for typed, completed in ((":he", ":help "), ("china outlet:tib", 'china outlet:"Tibetan Review"')):
        buffer = Buffer(completer=completer)
        buffer.document = Document(typed)
        buffer.complete_state = CompletionState(original_document=buffer.document, completions=[])
        complete_or_cycle(buffer, completer)
        assert buffer.text == completed
        assert buffer.complete_state is None  # no menu left open


def test_plain_reads_pasted_prose_as_words(open_shell) -> None:
    shell = open_shell()
    start = shell.mark()
    shell.run("filed date: 2024-04-07. nitrocellulose", r"error:[^\n]*")
    assert "use :plain on to search these words as text" in strip_ansi(shell.since(start))
    shell.run("Officials said China did NOT supply weapons to Russia for the war", r"NOT in capitals[^\n]*")
    assert ":plain on searches every word as text" in shell.screen
    shell.run(":plain on", r"Plain words on[^\n]*")
    start = shell.mark()
    text = strip_ansi(shell.run("filed date: 2024-04-07. nitrocellulose", STATUS))
    assert re.match(r"[1-9]\d* match", text)
    assert "plain" in strip_ansi(shell.since(start))  # the prompt shows the setting
    shell.run(":plain off", r"Plain words off[^\n]*")
    assert shell.quit() == 0


def test_export_writes_every_match_of_the_last_query(open_shell, tmp_path: Path) -> None:
    import searchkit

    shell = open_shell()
    shell.run(":limit 1", r"1 hits per page[^\n]*|applies from the next query[^\n]*")
    shell.run("china", STATUS)
    target = tmp_path / "china.csv"
    shell.run(f":export {target}", r"Wrote \d+ match(?:es)? to [^\n]*")
    assert shell.quit() == 0
    import csv

    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    with searchkit.open_index(shell.index) as ix:
        expected = [h.doc_id for h in ix.export("china", snippets=False)]
    assert [r["doc_id"] for r in rows] == expected and len(expected) > 1
    assert all(r["query"] == "china" for r in rows)


def test_no_history_keeps_nothing_on_disk_and_help_says_where_history_is(
        open_shell, shell_env: dict[str, str]) -> None:
    history = Path(shell_env["XDG_DATA_HOME"]) / "searchkit" / "shell_history"
    shell = open_shell(args=("--no-history",))
    shell.run("quokkasecretword", STATUS + r"|No matches")
    start = shell.mark()
    shell.run(":help", r"History[^\n]*\n[^\n]*on disk")
    assert "off: nothing typed here is kept on disk" in strip_ansi(shell.since(start))
    assert shell.quit() == 0
    assert not history.exists()

    again = open_shell()
    start = again.mark()
    again.run(":help", r"History[^\n]*\n[^\n]*keeps none")
    assert str(history) in strip_ansi(again.since(start)).replace("\n", "")
    assert again.quit() == 0


def test_history_kept_per_index_when_the_config_asks(library: Path, shell_env: dict[str, str],
                                                     tmp_path: Path, open_shell) -> None:
    index = tmp_path / "story-index"
    shutil.copytree(library, index)
    config = tmp_path / "config.toml"
    config.write_text('history = "index"\n', encoding="utf-8")
    shell_env["SEARCHKIT_CONFIG"] = str(config)
    config.write_text('history = "index"\nlimit = 1\n', encoding="utf-8")  # and the page size
    shell = open_shell(index)
    text = strip_ansi(shell.run("nitrocellulose", STATUS))
    assert re.match(r"2 matches · showing 1-1 · page 1 of 2", text)
    assert shell.quit() == 0
    assert "nitrocellulose" in (index / "shell_history").read_text(encoding="utf-8")
    assert not (Path(shell_env["XDG_DATA_HOME"]) / "searchkit" / "shell_history").exists()
    listed = run_cli("query", "nitrocellulose", "-c", "--index", str(index))  # the index still works
    assert listed.returncode == 0 and listed.stdout.strip() != "0"


def test_similar_lists_the_articles_sharing_hit_n_and_pages_through_them(open_shell) -> None:
    shell = open_shell()
    shell.run("satellite imagery helps russia plan strikes", STATUS)
    start = shell.mark()
    shell.run(":limit 2", STATUS)  # re-runs the query under the new page size
    shell.run(":similar 1", STATUS)
    text = strip_ansi(shell.since(start))
    assert "Articles sharing the most content with 000_65e520f3d9f0041d.txt:" in text
    similar = text.split("Articles sharing the most content with")[-1]
    assert "000_65e520f3d9f0041d.txt ·" not in similar  # not the article itself
    assert "page 1 of 2" in similar
    assert "page 2 of 2" in strip_ansi(shell.run(":next", STATUS))
    assert "no hit 7: the last results have" in strip_ansi(shell.run(":similar 7", r"no hit 7[^\n]*"))
    assert shell.quit() == 0


def test_after_similar_story_compare_and_export_act_on_its_list_in_a_terminal(open_shell, tmp_path: Path) -> None:
    """Issue 27: these raised "internal error (AssertionError)" after :similar."""
    shell = open_shell()
    shell.run("china", STATUS)
    shell.run(":similar 2", STATUS)
    start = shell.mark()
    shell.run(":compare 1 2", r"passages shared")
    shell.run(f":export {tmp_path / 'similar.jsonl'}", r"Wrote \d+ match[^\n]*")
    shell.run(":facets", r"\d+ match(es)? for the articles similar to [^\n]*")
    shell.run(":story 1", r"Limited to story:\w+[^\n]*|belongs to no story[^\n]*")
    text = strip_ansi(shell.since(start))
    assert "internal error" not in text and "type a query first" not in text
    header = json.loads((tmp_path / "similar.jsonl").read_text().splitlines()[0])["export"]
    assert header["similar_to"] and header["total"] >= 2
    assert shell.quit() == 0


def test_the_shell_names_the_common_words_it_ignored(open_shell) -> None:
    shell = open_shell()
    start = shell.mark()
    shell.run("the price of oil", STATUS)
    assert "Ignored the common words 'the' and 'of'" in strip_ansi(shell.since(start))


@TERMINALS
def test_damage_found_mid_session_is_one_error_line_and_the_shell_carries_on(tmp_path: Path, open_shell) -> None:
    """Issue 12: a postings file cut to a third while the shell is open. The lines typed at
    once after it, before the file sizes are checked again (at most once a second), read
    words searched before and words never read: each answers or names the damage, and the
    shell carries on (its postings were memory-mapped: reading past the cut was a SIGBUS)."""
    import searchkit

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    searchkit.build_index(corpus, tmp_path / "index").close()
    shell = open_shell(tmp_path / "index")
    # A prefix query is read with numpy (the path of a long-lived process on a big index),
    # whose postings were mapped; the words after it then take that path too.
    for word in ("satell*", "satellite", "china", "nitrocellulose"):
        shell.run(word, STATUS)
    postings = max((tmp_path / "index").glob("gen*.pst"), key=lambda p: p.stat().st_size)
    postings.write_bytes(postings.read_bytes()[: postings.stat().st_size // 3])
    start = shell.mark()
    for word in ("satellite", "china", "geospatial", "turbojet", "microelectronics"):
        shell.run(word, STATUS + r"|No matches|searchkit index --rebuild`")
    time.sleep(1.1)
    shell.run("nitrocellulose", r"searchkit index --rebuild")
    text = strip_ansi(shell.since(start))
    assert f"is damaged ({postings.name} is " in text and "Traceback" not in text
    shell.run(":help", r":quit")  # still running
    assert shell.quit() == 0
