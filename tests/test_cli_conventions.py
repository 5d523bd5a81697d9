"""The command line against the conventions of ripgrep, pgcli, sqlite-utils and Datasette
(issue 15): summary line, match-all, -c/-l/-q, stdin, --plain hints, repeated --outlet, one
date grammar, show by path, stats, colour precedence, config, completion, man page."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import SEEDS, run_cli, write_corpus

SEED_IDS = sorted(p.name for p in SEEDS.glob("*.txt"))


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with seeds/ (plus one dated article of another outlet) and a built index/."""
    root = tmp_path_factory.mktemp("conventions")
    shutil.copytree(SEEDS, root / "seeds")
    write_corpus(root / "seeds", {
        "zz_gazette.txt": "Quokka Gazette report\n\nQuokka Gazette, 12 March 2023\n\n"
                          "The quokkaflux survey of the island counted more animals than ever.\n",
    })
    meta = root / "seeds" / "metadata.toml"
    meta.write_text(meta.read_text(encoding="utf-8")
                    + '\n["zz_gazette.txt"]\noutlet = "Quokka Gazette"\ndate = 2023-03-12\n', encoding="utf-8")
    built = run_cli("index", cwd=root)
    assert built.returncode == 0, built.stderr
    return root


def _lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def _all(work: Path, *args: str) -> list[dict]:
    """Every hit of a query (one big page, every copy of a story its own hit), as JSON records."""
    result = run_cli("query", *args, "--json", "-n", "1000", "--no-collapse", cwd=work)
    assert result.returncode in (0, 1), result.stderr
    return _lines(result.stdout)[1:]


def oracle(work: Path, query: str, **options) -> list[dict]:
    """Every hit through the library, in process (the answer the CLI must print)."""
    import searchkit

    with searchkit.open_index(work / "index") as ix:
        hits = list(ix.export(query, snippets=False, **options))
    return [{"doc_id": h.doc_id, "path": str(h.path), "date": h.date.isoformat() if h.date else None,
             "outlet": h.outlet} for h in hits]


# -- --json summary, pages past the end ------------------------------------------------------


def test_json_starts_with_a_summary_and_keeps_facets_last(work: Path) -> None:
    result = run_cli("query", "russia", "--json", "-n", "2", "--facets", cwd=work)
    assert result.returncode == 0
    rows = _lines(result.stdout)
    summary = rows[0]["summary"]
    every = oracle(work, "russia")
    assert summary["total"] == len(every) and summary["total"] > 2
    assert summary["page"] == 1 and summary["pages"] == -(-len(every) // 2) and summary["query"] == "russia"
    assert isinstance(summary["elapsed_ms"], (int, float)) and summary["elapsed_ms"] >= 0
    assert [r["rank"] for r in rows[1:-1]] == [1, 2]
    assert set(rows[-1]) == {"facets"} and sum(rows[-1]["facets"]["outlet"].values()) + \
        rows[-1]["facets"]["outlet_unknown"] == summary["total"]


@pytest.mark.parametrize("extra", [(), ("--json",)])
def test_a_page_past_the_end_says_so_on_stderr_with_exit_1(work: Path, extra: tuple[str, ...]) -> None:
    total = len(oracle(work, "russia"))
    result = run_cli("query", "russia", "-n", "2", "--page", str(total), "--no-collapse", *extra, cwd=work)
    assert result.returncode == 1
    assert f"page {total} is past the last page ({-(-total // 2)} of 2 hits" in result.stderr
    if extra:
        rows = _lines(result.stdout)
        assert len(rows) == 1 and rows[0]["summary"]["shown"] == 0
    else:
        assert result.stdout == ""


# -- match-all ------------------------------------------------------------------------------


@pytest.mark.parametrize("query", [("*",), ()])
def test_match_all_lists_everything_newest_first(work: Path, query: tuple[str, ...]) -> None:
    rows = _all(work, *query)
    assert sorted(r["doc_id"] for r in rows) == sorted(SEED_IDS + ["zz_gazette.txt"])
    dated = [r["date"] for r in rows if r["date"]]
    assert dated == sorted(dated, reverse=True) and "2023-03-12" in dated
    assert all(r["date"] for r in rows[: len(dated)])  # undated last
    assert all(r["score"] is None and r["snippet"] for r in rows)
    oldest = _all(work, *query, "--sort", "date")
    assert [r["date"] for r in oldest if r["date"]] == sorted(dated)


def test_match_all_with_filters(work: Path) -> None:
    rows = _all(work, "*", "--since", "2024")
    assert rows and all(r["date"] >= "2024-01-01" for r in rows)
    assert "zz_gazette.txt" not in [r["doc_id"] for r in rows]


# -- ripgrep's habits -----------------------------------------------------------------------


def test_count_files_and_quiet(work: Path) -> None:
    every = oracle(work, "china")
    count = run_cli("query", "-c", "china", cwd=work)
    assert (count.returncode, count.stdout) == (0, f"{len(every)}\n")
    files = run_cli("query", "-l", "china", "-n", "1", cwd=work)  # every match, not one page
    assert files.returncode == 0
    assert files.stdout.splitlines() == [r["path"] for r in every]
    assert all(Path(p).is_file() for p in files.stdout.splitlines())
    quiet = run_cli("query", "-q", "china", cwd=work)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    none = run_cli("query", "-q", "zzxqwv", cwd=work)
    assert (none.returncode, none.stdout) == (1, "")
    assert run_cli("query", "-c", "zzxqwv", cwd=work).stdout == "0\n"
    both = run_cli("query", "-c", "-l", "china", cwd=work)
    assert both.returncode == 2 and both.stderr.startswith("searchkit: error: argument")


def test_query_from_standard_input(work: Path) -> None:
    piped = run_cli("query", "-", "--json", "--no-collapse", cwd=work, input='"satellite imagery"\nchina\n')
    assert piped.returncode == 0
    assert _lines(piped.stdout)[0]["summary"]["query"] == '"satellite imagery" china'
    assert [r["doc_id"] for r in _lines(piped.stdout)[1:]] == [r["doc_id"] for r in oracle(work, '"satellite imagery" china')][:10]


# -- pasted prose ---------------------------------------------------------------------------


def test_a_rejected_query_points_to_plain(work: Path) -> None:
    prose = "The report was filed date: 2024-04-07. by the desk"
    rejected = run_cli("query", prose, cwd=work)
    assert rejected.returncode == 2
    assert rejected.stderr.startswith("searchkit: error: ") and len(rejected.stderr.splitlines()) == 1
    assert "use --plain to search these words as text" in rejected.stderr
    plain = run_cli("query", "--plain", prose, cwd=work)
    assert plain.returncode in (0, 1) and "error" not in plain.stderr


def test_capital_operators_in_a_long_query_mention_plain(work: Path) -> None:
    prose = "Officials said China did NOT supply weapons to Russia for the war in Ukraine"
    result = run_cli("query", prose, cwd=work)
    assert "NOT in capitals is an operator; use --plain" in result.stderr
    short = run_cli("query", "china NOT drone", cwd=work)
    assert "--plain" not in short.stderr
    plain = run_cli("query", "--plain", prose, cwd=work)
    assert "--plain" not in plain.stderr and plain.returncode == 0


# -- filters --------------------------------------------------------------------------------


def test_outlet_given_twice_is_a_union(work: Path) -> None:
    every = oracle(work, "*")
    forbes = {r["doc_id"] for r in every if r["outlet"] == "Forbes"}
    gazette = {r["doc_id"] for r in every if r["outlet"] == "Quokka Gazette"}
    both = {r["doc_id"] for r in _all(work, "*", "--outlet", "forbes", "--outlet", "quokka gazette")}
    assert forbes and gazette and both == forbes | gazette


@pytest.mark.parametrize("flag, value, query", [
    ("--since", "2024-04", "date:>=2024-04"),
    ("--until", "2023", "date:<=2023"),
    ("--since", "2024-04-08", "date:>=2024-04-08"),
])
def test_since_and_until_take_the_query_date_grammar(work: Path, flag: str, value: str, query: str) -> None:
    by_flag = [r["doc_id"] for r in _all(work, "*", flag, value)]
    by_query = [r["doc_id"] for r in oracle(work, query, sort="-date")]
    assert by_flag and by_flag == by_query


def test_until_a_month_means_its_last_day(work: Path) -> None:
    april = [r["date"] for r in _all(work, "*", "--since", "2024-04", "--until", "2024-04")]
    assert april and all(d.startswith("2024-04") for d in april)
    assert "2024-04-08" in april  # not cut at 2024-04-01


@pytest.mark.parametrize("value", ["2024-13", "April", "2024-02-30"])
def test_a_bad_date_is_one_line(work: Path, value: str) -> None:
    result = run_cli("query", "china", "--since", value, cwd=work)
    assert result.returncode == 2
    assert result.stderr.startswith(f"searchkit: error: argument --since: not a date: '{value}'")
    assert "YYYY-MM" in result.stderr and len(result.stderr.splitlines()) == 1


# -- show -----------------------------------------------------------------------------------


def test_show_takes_the_id_the_json_path_and_a_relative_path(work: Path) -> None:
    hit = oracle(work, "nitrocellulose")[0]
    by_id = run_cli("show", hit["doc_id"], "--json", cwd=work)
    assert by_id.returncode == 0, by_id.stderr
    expected = json.loads(by_id.stdout)
    for ref, cwd in [(hit["path"], work), (f"seeds/{hit['doc_id']}", work), (hit["doc_id"], work / "seeds"),
                     (f"./{hit['doc_id']}", work / "seeds")]:
        index = ["--index", str(work / "index")]
        shown = run_cli("show", ref, *index, "--json", cwd=cwd)
        assert shown.returncode == 0, (ref, shown.stderr)
        assert json.loads(shown.stdout) == expected
    missing = run_cli("show", "seeds/nope.txt", cwd=work)
    assert missing.returncode == 2 and missing.stderr.startswith("searchkit: error: no document 'seeds/nope.txt'")


# -- stats, index messages ------------------------------------------------------------------


def test_stats_counts_articles_with_no_outlet(work: Path) -> None:
    every = oracle(work, "*")
    no_outlet = sum(1 for r in every if not r["outlet"])
    outlets = {r["outlet"] for r in every if r["outlet"]}
    as_json = json.loads(run_cli("stats", "--json", cwd=work).stdout)
    assert as_json["outlet_unknown"] == no_outlet > 0
    assert sum(as_json["outlets"].values()) + no_outlet == as_json["documents"] == len(every)
    text = run_cli("stats", cwd=work).stdout
    noun = "document" if no_outlet == 1 else "documents"
    assert f"outlets    {len(outlets)} ({no_outlet} {noun} with no outlet)" in text


def test_one_document_is_singular_and_the_index_is_named_by_its_path(tmp_path: Path) -> None:
    write_corpus(tmp_path / "c", {"a.txt": "Alone\n\nthe only article"})
    result = run_cli("index", "c", "--index", "index", cwd=tmp_path)
    assert result.stdout.startswith("index ./index rebuilt: 1 added")
    assert "(1 document," in result.stdout


def test_indexing_a_file_says_the_corpus_is_not_a_folder(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# hello\n", encoding="utf-8")
    result = run_cli("index", "README.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("searchkit: error: corpus README.md is not a folder")
    assert "metadata.toml" not in result.stderr


# -- colour ---------------------------------------------------------------------------------


def test_color_flag_wins_over_no_color_and_no_color_wins_over_auto(work: Path) -> None:
    forced = run_cli("query", "china", "--color", "always", cwd=work, env={"NO_COLOR": "1"})
    assert "\x1b[" in forced.stdout
    never = run_cli("query", "china", "--color", "never", cwd=work)
    assert "\x1b[" not in never.stdout
    guide = (Path(__file__).resolve().parent.parent / "docs" / "guide.md").read_text(encoding="utf-8")
    assert "--color always` wins over `NO_COLOR`" in guide


# -- config ---------------------------------------------------------------------------------


def test_flags_over_environment_over_config_file_over_defaults(work: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'limit = 2\nindex = "{work / "index"}"\ncolor = "always"\n', encoding="utf-8")
    env = {"SEARCHKIT_CONFIG": str(config)}
    # From the file: index found from another folder, 2 hits, colour although not a terminal.
    elsewhere = run_cli("query", "russia", "--no-collapse", cwd=tmp_path, env=env)
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert re.search(r"showing 1-2\b", elsewhere.stdout) and "\x1b[" in elsewhere.stdout
    # Environment over the file, flag over both.
    assert "showing 1-3" in run_cli("query", "russia", "--no-collapse", cwd=tmp_path,
                                    env={**env, "SEARCHKIT_LIMIT": "3"}).stdout
    assert "showing 1-1" in run_cli("query", "russia", "--no-collapse", "-n", "1", cwd=tmp_path,
                                    env={**env, "SEARCHKIT_LIMIT": "3"}).stdout
    shown = run_cli("config", "--json", cwd=tmp_path, env={**env, "SEARCHKIT_LIMIT": "3"})
    settings = json.loads(shown.stdout)["settings"]
    assert settings["limit"] == {"value": 3, "source": "environment (SEARCHKIT_LIMIT)"}
    assert settings["color"] == {"value": "always", "source": f"config file ({config})"}
    assert settings["index"]["value"] == str(work / "index")
    assert settings["history"] == {"value": "global", "source": "default"}
    text = run_cli("config", cwd=tmp_path, env=env).stdout
    assert f"config file: {config}" in text
    assert re.search(r"^limit\s+2\s+config file", text, re.M) and re.search(r"^history\s+global\s+default", text, re.M)


def test_the_config_file_lives_in_the_platform_config_folder(tmp_path: Path) -> None:
    shown = run_cli("config", "--path", env={"XDG_CONFIG_HOME": str(tmp_path)})
    assert shown.stdout.strip() == str(tmp_path / "searchkit" / "config.toml")


@pytest.mark.parametrize("content, message", [
    ("limit = 0\n", "limit must be a whole number of at least 1"),
    ("colour = 'never'\n", "unknown setting 'colour'"),
    ("limit = [\n", "not valid TOML"),
    ("history = 'sometimes'\n", "history must be one of global, index, off"),
])
def test_a_bad_config_file_is_one_line(tmp_path: Path, content: str, message: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(content, encoding="utf-8")
    result = run_cli("query", "x", "--index", str(tmp_path / "none"), env={"SEARCHKIT_CONFIG": str(config)})
    assert result.returncode == 2
    assert result.stderr.startswith(f"searchkit: error: config file {config}: ") and message in result.stderr
    assert len(result.stderr.splitlines()) == 1


# -- help, completion, man page --------------------------------------------------------------


def _command_names() -> list[str]:
    from searchkit.cli import build_parser
    from searchkit.clidocs import commands

    return [c.name for c in commands(build_parser())]


@pytest.mark.parametrize("name", _command_names())
def test_every_command_has_a_description_examples_and_stated_defaults(name: str) -> None:
    import argparse

    from searchkit.cli import build_parser
    from searchkit.clidocs import commands

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    out = sub.choices[name].format_help()  # what `searchkit NAME --help` prints (one is run below)
    assert "examples:" in out and f"searchkit {name}" in out.split("examples:")[1]
    command = next(c for c in commands(parser) if c.name == name)
    assert len(command.description) > len(command.help)
    for option in command.options + command.positionals:
        assert option.help, (name, option.flags)
        if option.takes_value and option.flags[0].startswith("-") and option.metavar not in ("FILE",):
            stated = "default" in option.help or option.choices or option.repeatable \
                or option.flags[0] in ("--since", "--until", "--corpus")
            assert stated, (name, option.flags, option.help)


def test_help_states_the_date_forms() -> None:
    result = run_cli("query", "--help")
    assert result.returncode == 0 and "examples:" in result.stdout
    out = result.stdout
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in " ".join(out.split())


def _bash_complete(script: Path, words: list[str]) -> list[str]:
    line = " ".join(words)
    program = (f"source {script}\nCOMP_WORDS=({' '.join(repr(w) if w else repr('') for w in words)})\n"
               f"COMP_CWORD={len(words) - 1}\nCOMP_LINE={line!r}\n_searchkit\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n")
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return [w for w in done.stdout.splitlines() if w]


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_bash_completion_completes_commands_options_and_choices(tmp_path: Path) -> None:
    script = tmp_path / "searchkit.bash"
    result = run_cli("completion", "bash")
    assert result.returncode == 0
    script.write_text(result.stdout, encoding="utf-8")
    assert set(_bash_complete(script, ["searchkit", ""])) >= set(_command_names())
    assert _bash_complete(script, ["searchkit", "ex"]) == ["export"]
    assert set(_bash_complete(script, ["searchkit", "query", "--so"])) == {"--sort"}
    assert set(_bash_complete(script, ["searchkit", "query", "--sort", ""])) == {"relevance", "date", "-date"}
    assert set(_bash_complete(script, ["searchkit", "export", "--format", ""])) == {"csv", "jsonl", "md", "html"}
    assert _bash_complete(script, ["searchkit", "completion", "f"]) == ["fish"]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_completion_name_every_command_and_option(shell: str, tmp_path: Path) -> None:
    result = run_cli("completion", shell)
    assert result.returncode == 0
    script = result.stdout
    from searchkit.cli import build_parser
    from searchkit.clidocs import commands

    for command in commands(build_parser()):
        assert re.search(rf"\b{command.name}\b", script)
        for option in command.options:
            long = [f for f in option.flags if f.startswith("--")][0]
            assert (long if shell == "zsh" else f"-l {long[2:]}") in script
    if shutil.which(shell):  # the shell itself parses it
        path = tmp_path / f"completion.{shell}"
        path.write_text(script, encoding="utf-8")
        checked = subprocess.run([shell, "-n", str(path)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr


@pytest.mark.skipif(shutil.which("groff") is None, reason="no groff")
def test_man_page_renders_without_warnings_and_documents_every_option() -> None:
    page = run_cli("man").stdout
    assert page.startswith(".TH SEARCHKIT 1")
    rendered = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z"], input=page, capture_output=True,
                              text=True, env={**os.environ, "LC_ALL": "C.UTF-8"})
    assert rendered.returncode == 0 and rendered.stderr == ""
    text = subprocess.run(["groff", "-man", "-Tascii", "-P-cbou"], input=page, capture_output=True,
                          text=True).stdout
    from searchkit.cli import build_parser
    from searchkit.clidocs import commands

    for command in commands(build_parser()):
        assert f"searchkit {command.name}" in text
        for option in command.options:
            assert option.flags[-1] in text, option.flags
    assert "SEARCHKIT_INDEX" in text and "EXIT STATUS" in text


# -- snippets ---------------------------------------------------------------------------------


def test_overlapping_fragments_are_merged_not_repeated(tmp_path: Path) -> None:
    """Two matches about 100 characters apart: their fragments' context overlapped and the
    shared words were printed twice in one snippet (a 1963 magazine article showed "WHY,
    THEN, IS THE WEST SO EAGER TO SIGN A NUCLEAR PACT" twice)."""
    words = [f"w{i:03d}" for i in range(400)]
    words[150] = "nuclear"
    words[170] = "pact"  # ~100 characters after "nuclear"
    write_corpus(tmp_path / "c", {"mag.txt": "Magazine\n\n" + " ".join(words) + "\n"})
    assert run_cli("index", "c", "--index", "ix", cwd=tmp_path).returncode == 0
    result = run_cli("query", "nuclear pact", "--index", "ix", "--json", cwd=tmp_path)
    hit = _lines(result.stdout)[1]
    tokens = hit["snippet"].replace("…", " ").split()
    assert "nuclear" in tokens and "pact" in tokens
    assert len(tokens) == len(set(tokens)), hit["snippet"]  # no word of the article twice
    # The context runs on both sides, in the article's order.
    numbers = [int(t[1:]) for t in tokens if t.startswith("w")]
    assert numbers == sorted(numbers) and min(numbers) < 150 < 170 < max(numbers)
