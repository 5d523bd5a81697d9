"""`searchkit index` as a user runs it: summaries, skipped files, errors, defaults."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SEEDS, run_cli, write_corpus


def test_index_defaults_to_seeds_and_index_in_the_current_folder(tmp_path: Path) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    result = run_cli("index", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("index ./index rebuilt: 5 added, 0 updated, 0 removed, 0 unchanged, 0 skipped")
    assert (tmp_path / "index" / "searchkit.json").exists()
    again = run_cli("index", cwd=tmp_path)
    assert "up to date: 0 added, 0 updated, 0 removed, 5 unchanged" in again.stdout


def test_environment_variables_choose_corpus_and_index(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "articles", {"a.txt": "Alpha\n\nalpha text"})
    result = run_cli("index", cwd=tmp_path, env={"SEARCHKIT_CORPUS": str(corpus), "SEARCHKIT_INDEX": str(tmp_path / "ix")})
    assert result.returncode == 0, result.stderr
    assert "1 added" in result.stdout and (tmp_path / "ix" / "searchkit.json").exists()
    # a flag beats the environment
    flagged = run_cli("index", str(corpus), "--index", str(tmp_path / "ix2"), cwd=tmp_path,
                      env={"SEARCHKIT_INDEX": str(tmp_path / "ix")})
    assert (tmp_path / "ix2" / "searchkit.json").exists(), flagged.stderr


def test_skipped_files_are_listed_with_reasons_and_the_rest_is_indexed(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {"ok.txt": "Fine\n\nfine text", "empty.txt": b"",
                                           "bin.txt": b"\x00\xff" * 64, "big.txt": "word " * 300_000})
    result = run_cli("index", str(corpus), "--index", str(tmp_path / "ix"), "--max-size", "1")
    assert result.returncode == 0
    assert "1 added" in result.stdout and "3 skipped" in result.stdout
    lines = set(result.stderr.strip().splitlines())
    assert "searchkit: skipped empty.txt: empty" in lines
    assert "searchkit: skipped bin.txt: binary file" in lines
    assert any(line.startswith("searchkit: skipped big.txt: too large") for line in lines)


def test_file_and_folder_names_that_are_not_utf8_are_reported_and_skipped(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {"ok.txt": "Fine\n\nzeppelin text"})
    root = os.fsencode(corpus)
    with open(root + b"/bad\xff.txt", "wb") as f:
        f.write(b"Bad\n\nzeppelin too")
    os.mkdir(root + b"/dir\xfe")
    with open(root + b"/dir\xfe/inner.txt", "wb") as f:
        f.write(b"Inner\n\nzeppelin inside")
    result = run_cli("index", str(corpus), "--index", str(tmp_path / "ix"))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "1 added" in result.stdout and "2 skipped" in result.stdout
    lines = set(result.stderr.strip().splitlines())
    assert "searchkit: skipped bad\\xff.txt: file name is not valid UTF-8 (rename it to index it)" in lines
    assert "searchkit: skipped dir\\xfe: folder name is not valid UTF-8 (rename it to index its files)" in lines
    found = run_cli("query", "zeppelin", "--index", str(tmp_path / "ix"), "--json")
    assert found.returncode == 0 and '"ok.txt"' in found.stdout


def test_unreadable_file_is_reported_and_skipped(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {"ok.txt": "Fine\n\nfine text", "secret.txt": "Secret\n\nhidden"})
    os.chmod(corpus / "secret.txt", 0)
    command = [sys.executable, "-m", "searchkit", "index", str(corpus), "--index", str(tmp_path / "ix")]
    if os.geteuid() == 0:
        # root reads anything: drop the capabilities that let it ignore permission bits
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot make a file unreadable")
        command = [setpriv, "--bounding-set=-dac_override,-dac_read_search", *command]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHKIT_")}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "searchkit: skipped secret.txt: unreadable: Permission denied" in result.stderr
    assert "1 added" in result.stdout and "1 skipped" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["index", "no-such-folder"], "searchkit: error: cannot read corpus folder no-such-folder"),
        (["query", "x", "--index", "no-index", "--corpus", "no-corpus"], "searchkit: error: no index at no-index"),
        (["index", "--max-size", "0"], "searchkit: error: argument --max-size: must be at least 1"),
        (["frobnicate"], "searchkit: error: argument COMMAND: invalid choice"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(message), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_malformed_metadata_file_names_the_line_and_indexes_nothing(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {"a.txt": "Alpha\n\nalpha text",
                                           "metadata.toml": '["a.txt"]\noutlet = "EU Today"\ndate = 2024-13-01\n'})
    result = run_cli("index", str(corpus), "--index", str(tmp_path / "ix"))
    assert result.returncode == 2
    assert result.stderr.startswith("searchkit: error: ") and "line 3" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "ix" / "searchkit.json").exists()


def test_metadata_naming_a_missing_file_is_a_warning_naming_the_line(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {"a.txt": "Alpha\n\nalpha text",
                                           "metadata.toml": '["a.txt"]\noutlet = "EU Today"\n\n["gone.txt"]\noutlet = "X"\n'})
    result = run_cli("index", str(corpus), "--index", str(tmp_path / "ix"))
    assert result.returncode == 0, result.stderr
    assert ("searchkit: warning: metadata.toml, line 4: no file 'gone.txt' in the corpus; "
            "its entry is ignored") in result.stderr
    assert "1 added" in result.stdout
    # ... and a query that updates the index first still answers.
    (corpus / "b.txt").write_text("Beta\n\nalpha beta", encoding="utf-8")
    query = run_cli("query", "alpha", "--index", str(tmp_path / "ix"))
    assert query.returncode == 0 and "EU Today" in query.stdout


def test_progress_is_by_bytes_and_names_the_file_being_read(tmp_path: Path) -> None:
    """On a terminal, the bar counts megabytes (one big file is most of the work) and says
    which file is being read, then that the index is being written."""
    pexpect = pytest.importorskip("pexpect")
    words = " ".join(f"w{i % 5000}" for i in range(400_000))  # about 2.2 MB: the long-text path too
    write_corpus(tmp_path / "c", {"big.txt": f"Big one\n\n{words} closingwordqz\n", "small.txt": "Small\n\nhello"})
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHKIT_")}
    env.update({"TERM": "xterm", "XDG_CONFIG_HOME": str(tmp_path / "config")})
    child = pexpect.spawn(sys.executable, ["-m", "searchkit", "index", "c", "--index", "ix"], cwd=str(tmp_path),
                          env=env, encoding="utf-8", timeout=120)
    child.expect(pexpect.EOF)
    out = child.before
    child.close()
    assert child.exitstatus == 0, out
    total = f"{sum(p.stat().st_size for p in (tmp_path / 'c').iterdir()) / 1_048_576:.1f}"
    assert re.search(rf"indexing \[[#-]{{30}}\] 0\.0/{total} MB · reading big\.txt", out), out
    assert re.search(rf"indexing \[#{{30}}\] {total}/{total} MB · writing the index", out), out
    # Within the one big file the bar moves as its text is analysed, a megabyte at a time.
    inside = [float(m) for m in re.findall(rf"indexing \[[#-]{{30}}\] (\d+\.\d)/{total} MB · reading big\.txt", out)]
    assert any(0 < done < float(total) for done in inside), out
    assert "index ./ix rebuilt: 2 added" in out
    found = run_cli("query", "-c", "closingwordqz", "--index", str(tmp_path / "ix"))
    assert found.stdout == "1\n"
