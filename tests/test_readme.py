"""Every code block of the README (and of any docs/ page) is run or checked against the real
program, as sqlite-utils' tests/test_docs.py does (issue 27: the README's only Python example
crashed as written).

- ``python`` blocks run in a fresh process, in a folder holding a copy of the seeds;
- ``console`` blocks: each ``$ searchkit ...`` line runs in that folder, and its output must
  read as the README prints it (times and absolute paths aside; wrapped lines joined);
- every ``searchkit ...`` line of every other block (usage examples) parses with the real
  argument parser and runs: it finds something, nothing, or fails only for a file or folder
  the example assumes and the test folder lacks;
- ``json``, ``csv``, ``markdown`` and ``html`` examples have the fields and the lines the real
  output has; ``toml`` examples are accepted by the real metadata and config readers.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import REPO, SEEDS

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("**/*.md"))]


@dataclass(frozen=True)
class Block:
    page: str
    line: int
    lang: str
    body: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}"


def _blocks() -> list[Block]:
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for m in re.finditer(r"^( *)```(\w*)\n(.*?)^\1```", text, re.S | re.M):
            indent = len(m.group(1))
            body = "\n".join(line[indent:] for line in m.group(3).splitlines())
            found.append(Block(page.name, text[: m.start()].count("\n") + 1, m.group(2), body))
    return found


BLOCKS = _blocks()
#: Console blocks about the reader's own corpus: shown, not run.
NOT_RUN = {r"~/news\b": "the reader's own corpus (~/news) is not in the repository"}
#: Commands that run until stopped: their examples are parsed, not run.
SERVERS = ("serve",)


def _of(lang: str) -> list[Block]:
    return [b for b in BLOCKS if b.lang == lang]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A folder with a copy of the seeds and their index, and the environment a new user has:
    `searchkit` on the PATH, no config file, a home of its own."""
    root = tmp_path_factory.mktemp("readme")
    shutil.copytree(SEEDS, root / "seeds")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHKIT_") and k not in ("NO_COLOR", "PAGER")}
    env.update({"HOME": str(root / "home"), "XDG_CONFIG_HOME": str(root / "home" / ".config"),
                "XDG_DATA_HOME": str(root / "home" / ".local" / "share"), "COLUMNS": "100",
                "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"})
    done = subprocess.run(["searchkit", "index", "seeds", "--index", "index"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    make_desk(root / "desk")
    return {"root": root, "env": env}


def make_desk(desk: Path) -> None:
    """The guide's "A mixed folder": a saved page with its _files folder, an e-mail newsletter
    with a PDF attached, a JSONL export (one record without text), a wire story as text, a
    spreadsheet, and a metadata.toml mapping the page's domain to its outlet."""
    from email.message import EmailMessage

    from fpdf import FPDF

    (desk / "saved" / "dam-breach_files").mkdir(parents=True)
    (desk / "saved" / "dam-breach_files" / "style.css").write_text("p { margin: 0 }", encoding="utf-8")
    (desk / "saved" / "dam-breach.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Dam breach floods valley | Courier</title>'
        '<link rel="canonical" href="https://www.dailycourier.example.com/news/2024/04/07/dam-breach">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Dam breach floods valley", '
        '"datePublished": "2024-04-07T09:00:00Z", "author": {"@type": "Person", "name": "Jane Doe"}}</script>'
        '</head><body><nav><a href="/">Home</a></nav><article><h1>Dam breach floods valley</h1>'
        "<p>A dam upstream of the valley gave way overnight and the river flooded three villages, "
        "the regional authority said on Sunday.</p><p>Rescue teams evacuated about 400 residents; "
        "the water had reached the old harbour road by morning.</p></article></body></html>", encoding="utf-8")
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    pdf.set_title("Warehouse audit 2024")
    pdf.add_page()
    pdf.multi_cell(0, 8, "Warehouse audit 2024. The harbour warehouse held twice the stock declared in March.")
    mail = EmailMessage()
    mail["From"] = "Reuters Daily Briefing <newsletters@thomsonreuters.com>"
    mail["To"] = "desk@example.org"
    mail["Subject"] = "Ceasefire talks resume in Cairo"
    mail["Date"] = "Sun, 07 Apr 2024 08:30:00 +0000"
    mail["List-Unsubscribe"] = "<mailto:unsubscribe@thomsonreuters.com>"
    mail.set_content("Negotiators returned to Cairo on Sunday; harbour workers in Gaza waited for news of the talks.")
    mail.add_attachment(bytes(pdf.output()), maintype="application", subtype="pdf", filename="annex.pdf")
    (desk / "briefing.eml").write_bytes(bytes(mail))
    records = [{"id": 1, "title": "Harbour strike enters second week", "outlet": "Reuters", "date": "2024-04-08",
                "text": "Dock workers in the harbour stayed out on Monday as talks on pay stalled."},
               {"id": 2, "title": "Grain prices steady", "outlet": "Reuters", "date": "2024-04-08",
                "text": "Wheat futures were little changed in Chicago."},
               {"id": 3, "title": "Photo gallery", "outlet": "Reuters", "date": "2024-04-08"}]
    (desk / "export.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (desk / "story.txt").write_text("Harbour reopens after storm\n\nKYIV (AP) — The harbour reopened on Tuesday after "
                                    "the storm, officials said. Ships queued outside the port overnight.\n", encoding="utf-8")
    (desk / "budget.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (desk / "metadata.toml").write_text('[outlets]\n"dailycourier.example.com" = "The Daily Courier"\n', encoding="utf-8")


def _shell(command: str, workspace: dict, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], cwd=workspace["root"], env=workspace["env"],
                          capture_output=True, text=True, timeout=timeout)


# ------------------------------------------------------------------------------------------
# Python


@pytest.mark.parametrize("block", _of("python"), ids=str)
def test_python_blocks_run_as_written(block: Block, workspace: dict) -> None:
    script = workspace["root"] / f"readme_{block.line}.py"
    script.write_text(block.body, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], cwd=workspace["root"], env=workspace["env"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{block} fails as written:\n{done.stderr}"
    assert done.stdout.strip() and "Traceback" not in done.stderr


# ------------------------------------------------------------------------------------------
# Console sessions: the commands and what they print


def _normalise(text: str, root: Path) -> str:
    """Output as the README shows it: absolute paths as /…/, times and sizes of runs left out,
    wrapped lines joined."""
    text = text.replace(str(root), "/…")
    text = re.sub(r"\(\d+(\.\d+)? (ms|s)\)", "(TIME)", text)
    text = re.sub(r"\d+(\.\d+)? s\)", "TIME)", text)
    return " ".join(text.split())


def _sessions(block: Block) -> list[tuple[str, str]]:
    """(command, expected output) for each `$ ` line of a console block."""
    out: list[tuple[str, str]] = []
    for line in block.body.splitlines():
        if line.startswith("$ "):
            out.append((line[2:], ""))
        elif out:
            out[-1] = (out[-1][0], out[-1][1] + line + "\n")
    return out


CONSOLE = [(block, command, expected) for block in _of("console") for command, expected in _sessions(block)]


@pytest.mark.parametrize(("block", "command", "expected"), CONSOLE, ids=lambda v: str(v) if isinstance(v, Block) else "")
def test_console_examples_print_what_the_readme_shows(block: Block, command: str, expected: str,
                                                      workspace: dict) -> None:
    skipped = next((why for pattern, why in NOT_RUN.items() if re.search(pattern, block.body)), None)
    if skipped:
        pytest.skip(skipped)
    if "| jq" in command and shutil.which("jq") is None:
        pytest.skip("jq is not installed")
    if command.startswith("SEARCHKIT_LIMIT=20 searchkit config"):
        return _check_config_example(expected, workspace)
    done = _shell(command, workspace)
    assert done.returncode in (0, 1), f"{block}: `{command}` failed: {done.stderr}"
    assert _normalise(done.stdout, workspace["root"]) == _normalise(expected, workspace["root"]), (
        f"{block}: `{command}` prints something else now; update the README:\n{done.stdout}")


def _check_config_example(expected: str, workspace: dict) -> None:
    """`searchkit config` shows the reader's own config file: the rows the README gives as
    defaults or from the environment must be the program's."""
    done = _shell("SEARCHKIT_LIMIT=20 searchkit config", workspace)
    assert done.returncode == 0, done.stderr
    actual = {line.split()[0]: line.split(None, 1)[1] for line in done.stdout.splitlines()[1:]}
    shown = [line.split(None, 2) for line in expected.splitlines()[1:] if line.strip()]
    assert [row[0] for row in shown] == list(actual), "the README lists other settings than `searchkit config`"
    for name, value, source in shown:
        if source in ("default",) or source.startswith("environment"):
            assert " ".join(actual[name].split()) == f"{value} {source}", (
                f"README's `searchkit config` shows {name} = {value} ({source}); the program says {actual[name]}")


# ------------------------------------------------------------------------------------------
# Every `searchkit ...` example of every block parses and runs


def _example_lines() -> list[tuple[Block, str]]:
    out = []
    for block in BLOCKS:
        if block.lang not in ("", "sh", "console"):
            continue
        for raw in block.body.splitlines():
            line = raw[2:] if raw.startswith("$ ") else raw
            line = re.sub(r"^(\w+=\S+ )+", "", line.strip())  # SEARCHKIT_LIMIT=20 searchkit ...
            if line.startswith("pbpaste | "):
                line = line[len("pbpaste | "):]
            if not line.startswith("searchkit ") or "$(" in line:
                continue
            words = shlex.split(_command_part(line))
            if any(re.fullmatch(r"\[.*|.*\]|.*\.\.\.|[A-Z][A-Z_]*", word) for word in words):
                continue  # a synopsis: "searchkit query [QUERY ...] [options]", "searchkit completion SHELL"
            out.append((block, line))
    return out


def _command_part(line: str) -> str:
    """The searchkit command of an example line: no comment, pipe or redirection."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars="|<>")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    words = []
    for word in lexer:
        if word in ("|", "<", ">", ">>", "|&"):
            break
        words.append(word)
    return shlex.join(words)


EXAMPLES = _example_lines()
#: What an example may fail on: a file, folder or index it assumes and the test folder lacks.
ASSUMED = re.compile(r"no index at|not a folder|no such file|does not exist|cannot read|no document|"
                     r"is not a directory|no corpus|no outlet '[^']*' in the index|no saved search named", re.I)


@pytest.mark.parametrize(("block", "line"), EXAMPLES, ids=lambda v: str(v) if isinstance(v, Block) else v)
def test_every_example_command_parses_and_runs(block: Block, line: str, workspace: dict) -> None:
    from searchkit.cli import _joined_sort, build_parser

    command = _command_part(line)
    args = shlex.split(command)[1:]
    try:
        build_parser().parse_args(_joined_sort(args))
    except SystemExit as exc:
        raise AssertionError(f"{block}: `{line}` is not a valid command any more") from exc
    if args[:1] and args[0] in SERVERS:
        return  # it parses; running it would serve until stopped (tests/test_web_server.py runs it)
    if re.search(r"\bexample\.(?:org|com)\b", line):
        return  # it parses; the cluster it names is the reader's own (tests/test_opensearch*.py run real ones)
    if args[:1] == ["shell"]:
        command += " < /dev/null"
    done = _shell(command, workspace)
    if done.returncode == 2:
        assert ASSUMED.search(done.stderr), f"{block}: `{line}` fails: {done.stderr}"
    else:
        assert done.returncode in (0, 1), f"{block}: `{line}`: {done.returncode} {done.stderr}"
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr


def test_the_examples_were_found() -> None:
    """The parsing above must keep seeing the README's blocks (a changed fence would hide them)."""
    assert len(_of("python")) >= 1 and len(CONSOLE) >= 5 and len(EXAMPLES) >= 30


# ------------------------------------------------------------------------------------------
# Output formats: the README's examples have the real output's fields and lines


def _records(body: str) -> list[dict]:
    """JSON Lines of an example, a record continued on indented lines joined."""
    lines: list[str] = []
    for line in body.splitlines():
        if line.startswith(" ") and lines:
            lines[-1] += line
        elif line.strip():
            lines.append(line)
    return [json.loads(line) for line in lines]


def _keys(record: dict) -> set[str]:
    return {f"{outer}.{inner}" for outer, value in record.items() if isinstance(value, dict)
            for inner in value} | {key for key, value in record.items() if not isinstance(value, dict)}


@pytest.mark.parametrize("block", _of("json"), ids=str)
def test_json_examples_have_the_fields_of_the_real_output(block: Block, workspace: dict) -> None:
    example = _records(block.body)
    command = ("searchkit export nitrocellulose --index index" if "export" in example[0]
               else "searchkit query nitrocellulose --index index --json")
    real = [json.loads(line) for line in _shell(command, workspace).stdout.splitlines()]
    for shown, actual in zip(example, real):
        assert _keys(shown) == _keys(actual), f"{block}: fields differ from `{command}`"


@pytest.mark.parametrize("block", _of("csv"), ids=str)
def test_csv_example_has_the_real_columns(block: Block, workspace: dict) -> None:
    real = _shell("searchkit export nitrocellulose --index index --format csv", workspace).stdout
    assert block.body.splitlines()[0] == real.splitlines()[0]


def _export_lines(fmt: str, workspace: dict) -> set[str]:
    out = _shell(f"searchkit export nitrocellulose --index index --format {fmt}", workspace).stdout
    out = out.replace(str(workspace["root"]), "/…")
    return {re.sub(r"\d{4}-\d\d-\d\dT[\d:]+\+00:00", "TIME", line) for line in out.splitlines()}


@pytest.mark.parametrize("block", _of("markdown") + _of("html"), ids=str)
def test_markdown_and_html_examples_are_lines_of_the_real_export(block: Block, workspace: dict) -> None:
    real = _export_lines("md" if block.lang == "markdown" else "html", workspace)
    for line in block.body.splitlines():
        shown = re.sub(r"\d{4}-\d\d-\d\dT[\d:]+\+00:00", "TIME", line)
        assert shown in real, f"{block}: not in the real export: {line}"


# ------------------------------------------------------------------------------------------
# TOML: metadata.toml and config.toml examples are read by the real readers


@pytest.mark.parametrize("block", _of("toml"), ids=str)
def test_toml_examples_are_accepted(block: Block, workspace: dict, tmp_path: Path) -> None:
    if block.body.lstrip().startswith("index ="):  # the config file
        config = tmp_path / "config.toml"
        config.write_text(block.body, encoding="utf-8")
        done = _shell(f"SEARCHKIT_CONFIG={shlex.quote(str(config))} searchkit config --json", workspace)
        assert done.returncode == 0, done.stderr
        settings = json.loads(done.stdout)["settings"]
        from searchkit.config import SETTINGS

        defaults = {s.name: s.default for s in SETTINGS}
        for name, value in re.findall(r"^(\w+)\s*=\s*(\S+)", block.body, re.M):
            assert settings[name]["source"].startswith("config file"), name
            if name in ("collapse",):
                assert settings[name]["value"] == defaults[name], f"{block}: {name} example is not the default"
        return
    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    (corpus / "metadata.toml").write_text(block.body, encoding="utf-8")
    done = _shell(f"searchkit index {shlex.quote(str(corpus))} --index {shlex.quote(str(tmp_path / 'ix'))}",
                  workspace)
    assert done.returncode == 0, f"{block}: the metadata example is refused: {done.stderr}"


# ------------------------------------------------------------------------------------------
# No block goes unchecked, no link points nowhere

#: Blocks the tests above check by their language.
CHECKED_LANGS = {"python", "console", "json", "csv", "markdown", "html", "toml"}


def _makefile_targets() -> set[str]:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([\w-]+):", text, re.M))


def _extras() -> set[str]:
    import tomllib

    with open(REPO / "pyproject.toml", "rb") as f:
        return set(tomllib.load(f)["project"].get("optional-dependencies", {}))


def _options_of(command: str) -> set[str]:
    from searchkit.clidocs import commands, top_options
    from searchkit.cli import build_parser

    parser = build_parser()
    found = {f for c in commands(parser) if c.name == command for o in c.options for f in o.flags}
    return found | {f for o in top_options(parser) for f in o.flags}


def _parse(args: list[str]) -> None:
    from searchkit.cli import _joined_sort, build_parser

    build_parser().parse_args(_joined_sort(args))


def _unchecked_lines(block: Block) -> list[str]:
    """The lines of a shell or text block that no test runs or checks (should be none)."""
    if block.lang in CHECKED_LANGS:
        return []
    run = {line for b, line in EXAMPLES if b == block}
    targets, extras = _makefile_targets(), _extras()
    synopsis_of = ""
    out = []
    for raw in block.body.splitlines():
        line = re.sub(r"^(\w+=\S+ )+", "", (raw[2:] if raw.startswith("$ ") else raw).strip())
        line = line.removeprefix("pbpaste | ")
        code = line.split("  #")[0].strip()
        if not code or code.startswith("#") or line in run:
            continue
        if "$(" in code:  # a command built from another's output: both must parse
            inner, _, rest = code.partition("$(")
            for part in (_command_part(rest.split(")")[0]), _command_part(inner + "X" + rest.split(")", 1)[1])):
                try:
                    _parse(shlex.split(part)[1:])
                except SystemExit:
                    out.append(f"{raw}  (`{part}` does not parse)")
            continue
        if code.startswith("searchkit ") or (synopsis_of and raw.startswith(" ") and code.startswith("[")):
            # a synopsis ("searchkit query [QUERY ...] [-n N] ..."): its options are the command's
            if code.startswith("searchkit "):
                synopsis_of = code.split()[1]
            known = _options_of(synopsis_of)
            flags = set(re.findall(r"(?:^|[\s\[])(--?[a-zA-Z][\w-]*)", code))
            if flags - known:
                out.append(f"{raw}  (not options of `searchkit {synopsis_of}`: {sorted(flags - known)})")
            continue
        if m := re.fullmatch(r"make ([\w-]+)(?: [A-Z]+=\S+)*", code):
            if m.group(1) not in targets:
                out.append(f"{raw}  (no make target {m.group(1)})")
            continue
        if m := re.fullmatch(r"pip install '?searchkit\[([\w,]+)\]'?", code):
            if set(m.group(1).split(",")) - extras:
                out.append(f"{raw}  (no such extra)")
            continue
        if block.lang == "text":  # a diagram of the layout: every module and folder it names exists
            missing = [p for p in re.findall(r"[\w/]+(?:\.py|/)", code) if not (REPO / "searchkit" / p).exists()]
            if missing:
                out.append(f"{raw}  (no searchkit/{missing[0]})")
            continue
        out.append(raw)
    return out


@pytest.mark.parametrize("block", BLOCKS, ids=str)
def test_every_block_is_run_or_checked(block: Block) -> None:
    """A block of a language no test reads, or a line in a shell block that is neither an
    example the tests run nor a synopsis, make target or extra they check, would be a claim
    nobody verifies: fence it with a checked language or make it an example."""
    assert block.lang in CHECKED_LANGS | {"", "sh", "text"}, f"{block}: a ```{block.lang} block no test reads"
    assert not _unchecked_lines(block), f"{block}: lines no test checks: {_unchecked_lines(block)}"


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.S | re.M)
    return {_slug(h) for h in re.findall(r"^#+ (.*)$", text, re.M)}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_link_between_the_pages_resolves(page: Path) -> None:
    text = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.S | re.M)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        assert dest.exists(), f"{page.name}: link to {target}: no such file"
        if anchor and dest.suffix == ".md":
            assert anchor in _anchors(dest), f"{page.name}: link to {target}: no such heading in {dest.name}"


def test_the_block_check_flags_what_it_cannot_verify() -> None:
    block = Block("made-up.md", 1, "sh", "make run\nmake no-such-target\nsearchkit query [--no-such-flag]\nrm -rf /tmp/x\n"
                                         "pip install 'searchkit[no_such_extra]'")
    flagged = _unchecked_lines(block)
    assert [line.split("  (")[0] for line in flagged] == [
        "make no-such-target", "searchkit query [--no-such-flag]", "rm -rf /tmp/x", "pip install 'searchkit[no_such_extra]'"]


def test_the_guide_lists_each_of_its_sections_at_the_top() -> None:
    guide = (REPO / "docs" / "guide.md").read_text(encoding="utf-8")
    sections = re.findall(r"^## (.*)$", re.sub(r"^```.*?^```", "", guide, flags=re.S | re.M), re.M)
    listed = re.findall(r"^- \[(.*?)\]\(#([\w-]+)\)$", guide, re.M)
    assert [title for title, _ in listed] == sections, "update the guide's list of sections"
    assert all(anchor == _slug(title) for title, anchor in listed)
