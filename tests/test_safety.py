"""Issue 12: never a traceback, never a lost or silently wrong index.

Each test meets a fault where a user meets it (the CLI as a subprocess), and asserts the
one-line message, the exit status, and that the previous index still answers with the
same results (or, for damage, that `searchkit check` names the file and a rebuild answers
as before).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from searchkit import build_index, open_index
from searchkit.api import check_index
from searchkit.store import POINTER_FILE, read_pointer

from .conftest import SEEDS, run_cli, write_corpus

ARTICLES = {
    "a.txt": "Satellite report\n\nChina shared satellite imagery with Russia, officials said.",
    "b.txt": "Drone parts\n\nDrone components travelled from China through Kazakhstan.",
    "c.txt": "Pékin et Moscou\n\nLes relations entre Pékin et Moscou, China and Russia.",
}


def _ids(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [json.loads(line)["doc_id"] for line in result.stdout.splitlines() if '"doc_id"' in line]


def _query(index: Path, *words: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli("query", "--no-collapse", *words, "--index", str(index), "--json", "--no-update", env=env)


def _one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("searchkit: error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.fixture
def indexed(tmp_path: Path) -> tuple[Path, Path, list[str]]:
    corpus = write_corpus(tmp_path / "c", ARTICLES)
    index = tmp_path / "ix"
    with build_index(corpus, index) as ix:  # in-process: the CLI is what each test runs after
        before = [hit.doc_id for hit in ix.search("china")]
    assert sorted(before) == ["a.txt", "b.txt", "c.txt"]
    return corpus, index, before


def _segment_file(index: Path, suffix: str) -> Path:
    generation = read_pointer(index).generation
    return max((p for p in index.iterdir() if p.name.startswith(generation + "_") and p.name.endswith(suffix)),
               key=lambda p: p.stat().st_size)


# --------------------------------------------------------------------------------------------
# Damage: truncated, flipped, missing files; a wrong document count


def test_truncated_postings_are_damage_naming_the_file_everywhere(indexed) -> None:
    corpus, index, before = indexed
    postings = _segment_file(index, ".pst")
    postings.write_bytes(postings.read_bytes()[: postings.stat().st_size // 3])

    query = _query(index, "china")
    line = _one_error_line(query)
    assert query.returncode == 2
    assert f"index at {index} is damaged ({postings.name} is " in line
    assert line.endswith("run `searchkit check`, then `searchkit index --rebuild`")

    update = run_cli("index", str(corpus), "--index", str(index))  # never "up to date"
    assert update.returncode == 2 and postings.name in _one_error_line(update)

    check = run_cli("check", "--index", str(index))
    assert check.returncode == 1, check.stdout + check.stderr
    assert f"damaged: {postings.name} is " in check.stdout and "searchkit index --rebuild" in check.stdout

    assert run_cli("index", str(corpus), "--index", str(index), "--rebuild").returncode == 0
    assert _ids(_query(index, "china")) == before
    assert run_cli("check", "--index", str(index)).returncode == 0


FILE_KINDS = [".toc", ".trm", ".pst", "._stored.col", ".doc_id.col", ".day.col", "._body_len.col",
              ".state.col", ".outlet.col", "._title_len.col"]


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x40
    path.write_bytes(bytes(data))


def test_check_finds_a_flipped_byte_in_every_kind_of_file(indexed, tmp_path: Path) -> None:
    corpus, index, before = indexed
    kinds = {suffix for p in index.iterdir() for suffix in FILE_KINDS if p.name.endswith(suffix)}
    assert {".toc", ".trm", ".pst", "._stored.col"} <= kinds, kinds
    for suffix in sorted(kinds):  # the same check as the CLI's, in-process: one copy per kind
        copy = tmp_path / f"copy{suffix}"
        shutil.copytree(index, copy)
        target = _segment_file(copy, suffix) if suffix != ".toc" else next(copy.glob("_gen*.toc"))
        _flip_a_byte(target)
        report = check_index(copy)
        assert report.problems == ((target.name, "does not match its checksum (its bytes changed)"),), suffix

    postings = _segment_file(index, ".pst")
    _flip_a_byte(postings)
    check = run_cli("check", "--index", str(index), "--json")
    assert check.returncode == 1, check.stdout + check.stderr
    report_json = json.loads(check.stdout)
    assert report_json["ok"] is False and report_json["checksums"] is True
    assert report_json["problems"] == [{"file": postings.name,
                                        "problem": "does not match its checksum (its bytes changed)"}]
    assert "searchkit index --rebuild" in report_json["advice"]
    text = run_cli("check", "--index", str(index))  # issue 27: never "verified" above the damage
    assert text.returncode == 1 and "verified" not in text.stdout
    assert f"damaged: {postings.name} does not match its checksum" in text.stdout
    # A query never prints a traceback: either it answers, or it names the damaged file.
    query = _query(index, "china")
    assert "Traceback" not in query.stderr
    if query.returncode == 2:
        assert postings.name in _one_error_line(query)
    # An update verifies before it merges: damage is never copied into a fresh segment.
    (corpus / "d.txt").write_text("Fourth\n\nChina again.", encoding="utf-8")
    update = run_cli("index", str(corpus), "--index", str(index))
    assert update.returncode == 2 and f"({postings.name} does not match its checksum" in _one_error_line(update)
    assert run_cli("index", str(corpus), "--index", str(index), "--rebuild").returncode == 0
    assert sorted(_ids(_query(index, "china"))) == sorted(before + ["d.txt"])


def test_check_finds_a_missing_file_and_a_wrong_document_count(indexed) -> None:
    corpus, index, before = indexed
    ok = run_cli("check", "--index", str(index))
    assert ok.returncode == 0 and ok.stdout.splitlines()[-1] == "ok"
    assert "3 documents; sizes and checksums verified" in ok.stdout

    manifest = index / f"{read_pointer(index).generation}.manifest.json"
    data = json.loads(manifest.read_text())
    data["documents"] = 4
    manifest.write_text(json.dumps(data))
    wrong = run_cli("check", "--index", str(index))
    assert wrong.returncode == 1 and "damaged: 3 documents, but 4 were committed" in wrong.stdout
    assert "verified" not in wrong.stdout  # issue 27: damage found is never announced as verified

    manifest.write_text("{garbage")  # an unreadable record is reported, not taken for an old index
    garbled = run_cli("check", "--index", str(index))
    assert garbled.returncode == 1 and f"damaged: {manifest.name} is unreadable" in garbled.stdout
    manifest.write_text(json.dumps({**data, "documents": 3}))

    terms = _segment_file(index, ".trm")
    terms.unlink()
    missing = run_cli("check", "--index", str(index))
    assert missing.returncode == 1 and f"damaged: {terms.name} is missing" in missing.stdout
    query = _query(index, "china")
    assert query.returncode == 2 and f"({terms.name} is missing)" in _one_error_line(query)
    assert run_cli("index", str(corpus), "--index", str(index), "--rebuild").returncode == 0
    assert _ids(_query(index, "china")) == before


def test_an_index_without_a_manifest_opens_and_check_says_it_has_no_checksums(indexed) -> None:
    corpus, index, before = indexed
    (index / f"{read_pointer(index).generation}.manifest.json").unlink()  # as an older searchkit wrote it
    assert _ids(_query(index, "china")) == before
    check = run_cli("check", "--index", str(index))
    assert check.returncode == 0
    assert "no checksums" in check.stdout and "searchkit index --rebuild" in check.stdout


def test_check_without_an_index_is_one_error_line(tmp_path: Path) -> None:
    result = run_cli("check", "--index", str(tmp_path / "none"))
    assert result.returncode == 2 and "no index at" in _one_error_line(result)


def test_check_reports_an_unreadable_pointer(indexed) -> None:
    corpus, index, before = indexed
    (index / POINTER_FILE).write_text("{not json")
    query = _query(index, "china")
    assert query.returncode == 2 and f"({POINTER_FILE} is unreadable)" in _one_error_line(query)
    check = run_cli("check", "--index", str(index))
    assert check.returncode == 1 and f"damaged: {POINTER_FILE} is unreadable" in check.stdout
    assert run_cli("index", str(corpus), "--index", str(index), "--rebuild").returncode == 0
    assert _ids(_query(index, "china")) == before


def test_incremental_commits_are_recorded_too(indexed) -> None:
    corpus, index, before = indexed
    (corpus / "d.txt").write_text("Fourth\n\nChina again, and zeppelins.", encoding="utf-8")
    assert run_cli("index", str(corpus), "--index", str(index)).returncode == 0
    report = json.loads(run_cli("check", "--index", str(index), "--json").stdout)
    assert report["ok"] and report["documents"] == 4 and report["notes"] == []
    newest = max((p for p in index.iterdir() if p.suffix == ".pst"), key=lambda p: p.stat().st_mtime_ns)
    newest.write_bytes(newest.read_bytes()[:-1])
    assert newest.name in _one_error_line(_query(index, "zeppelins"))


def test_a_run_killed_between_its_commit_and_its_manifest_is_recorded_by_the_next(indexed) -> None:
    corpus, index, before = indexed
    manifest = index / f"{read_pointer(index).generation}.manifest.json"
    older = manifest.read_bytes()
    (corpus / "d.txt").write_text("Fourth\n\nChina again, and zeppelins.", encoding="utf-8")
    assert run_cli("index", str(corpus), "--index", str(index)).returncode == 0
    manifest.write_bytes(older)  # as if killed after Whoosh's commit, before the manifest
    assert sorted(_ids(_query(index, "china"))) == sorted(before + ["d.txt"])
    check = run_cli("check", "--index", str(index))
    assert check.returncode == 0 and "have no checksums yet" in check.stdout and "run `searchkit index`" in check.stdout
    assert run_cli("index", str(corpus), "--index", str(index)).returncode == 0  # nothing changed: records it
    report = json.loads(run_cli("check", "--index", str(index), "--json").stdout)
    assert report["ok"] and report["notes"] == [] and report["documents"] == 4


# --------------------------------------------------------------------------------------------
# Disk full and size limits


def _limit_file_size(limit: int):  # type: ignore[no-untyped-def]
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def _index_files(index: Path) -> set[str]:
    return {p.name for p in index.iterdir() if not p.name.startswith(".")}


@pytest.mark.parametrize("mode", ["rebuild", "update"])
def test_a_size_limit_stops_the_run_cleanly_and_keeps_the_previous_index(indexed, mode: str) -> None:
    corpus, index, before = indexed
    # Enough text that the new segment's files exceed the limit; small files that fit stay.
    for i in range(8):
        (corpus / f"big{i}.txt").write_text(f"Big {i}\n\n" + " ".join(f"word{j % 300}" for j in range(2000)),
                                             encoding="utf-8")
    files_before = _index_files(index)
    result = run_cli("index", str(corpus), "--index", str(index), *(["--rebuild"] if mode == "rebuild" else []),
                     preexec_fn=_limit_file_size(60_000))
    assert result.returncode == 2
    assert _one_error_line(result) == (f"searchkit: error: file size limit exceeded while writing the index at "
                                       f"{index}; the previous index is unchanged")
    assert _index_files(index) == files_before  # no debris
    assert _ids(_query(index, "china")) == before
    assert run_cli("check", "--index", str(index)).returncode == 0
    # A query that tries to update first still searches what is there, and says why.
    query = run_cli("query", "--no-collapse", "china", "--index", str(index), "--json", preexec_fn=_limit_file_size(60_000))
    assert query.returncode == 0 and _ids(query) == before
    assert query.stderr.strip().splitlines()[-1] == (
        f"searchkit: warning: file size limit exceeded while writing the index at {index}; the previous "
        "index is unchanged; searching it as it is")


@pytest.mark.slow  # the size limit test above meets the same error path in the fast lane
def test_a_full_disk_stops_the_run_cleanly_and_keeps_the_previous_index(tmp_path: Path) -> None:
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root")
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)],
                      capture_output=True).returncode != 0:
        pytest.skip("mount is not permitted here")
    try:
        corpus = write_corpus(tmp_path / "c", ARTICLES)
        index = disk / "ix"
        assert run_cli("index", str(corpus), "--index", str(index)).returncode == 0
        before = _ids(_query(index, "china"))
        for i in range(40):  # ~1.2 MB of text to store: more than the disk holds
            (corpus / f"big{i}.txt").write_text(f"Big {i}\n\n" + " ".join(f"w{i}x{j % 700}" for j in range(4000)),
                                                 encoding="utf-8")
        files_before = _index_files(index)
        for extra in ([], ["--rebuild"]):
            result = run_cli("index", str(corpus), "--index", str(index), *extra)
            assert result.returncode == 2
            assert _one_error_line(result) == (f"searchkit: error: no space left on device while writing the "
                                               f"index at {index}; the previous index is unchanged")
            assert _index_files(index) == files_before
            assert _ids(_query(index, "china")) == before
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


# --------------------------------------------------------------------------------------------
# An empty corpus; wrong library arguments; stale metadata entries; output encodings


def test_an_empty_corpus_indexed_then_queried_finds_nothing(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    index = tmp_path / "ix"
    built = run_cli("index", str(tmp_path / "empty"), "--index", str(index))
    assert built.returncode == 0 and "0 documents" in built.stdout
    for extra in ([], ["--json", "--facets"], ["--sort", "date"]):
        result = run_cli("query", "--no-collapse", "china", "--index", str(index), *extra)
        assert result.returncode == 1 and result.stderr == "", result.stderr
    assert run_cli("query", "--no-collapse", "china", "--index", str(index)).stdout == "No matches.\n"
    assert run_cli("check", "--index", str(index)).returncode == 0


def test_wrong_library_arguments_are_type_and_value_errors_not_damage(seeds_index) -> None:
    before = [h.doc_id for h in seeds_index.search("china")]
    with pytest.raises(TypeError, match=r"since must be a datetime.date or None, not str"):
        seeds_index.search("china", since="2024-04-08")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"query must be a str, not NoneType"):
        seeds_index.search(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"limit must be an int"):
        seeds_index.search("china", limit="5")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"sort must be one of relevance, date, -date"):
        seeds_index.search("china", sort="newest")
    with pytest.raises(ValueError, match=r"limit must be at least 1"):
        seeds_index.search("china", limit=0)
    assert [h.doc_id for h in seeds_index.search("china")] == before


def test_a_metadata_entry_for_a_deleted_article_warns_once_and_never_fails_a_search(seeds_copy: Path,
                                                                                    tmp_path: Path) -> None:
    index = tmp_path / "ix"
    assert run_cli("index", str(seeds_copy), "--index", str(index)).returncode == 0
    before = _ids(run_cli("query", "--no-collapse", "china", "--index", str(index), "--json"))
    (seeds_copy / "002_dc834cac1790f529.txt").unlink()  # it has a metadata.toml entry
    first = run_cli("query", "--no-collapse", "china", "--index", str(index), "--json")
    assert first.returncode == 0
    assert _ids(first) == [d for d in before if d != "002_dc834cac1790f529.txt"]
    warnings = [line for line in first.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "no file '002_dc834cac1790f529.txt' in the corpus" in warnings[0]
    again = run_cli("query", "--no-collapse", "china", "--index", str(index), "--json")
    assert again.returncode == 0 and _ids(again) == _ids(first) and "warning" not in again.stderr


def test_an_ascii_terminal_never_crashes_the_output(indexed) -> None:
    corpus, index, before = indexed
    ascii_env = {"PYTHONIOENCODING": "ascii"}
    text = run_cli("query", "--no-collapse", "Pékin", "--index", str(index), env=ascii_env)
    assert text.returncode == 0 and text.stderr == ""
    assert "P?kin" in text.stdout and "c.txt" in text.stdout
    as_json = run_cli("query", "--no-collapse", "Pékin", "--index", str(index), "--json", env=ascii_env)
    assert as_json.returncode == 0 and as_json.stdout.isascii()
    hit = next(row for row in map(json.loads, as_json.stdout.splitlines()) if "doc_id" in row)
    assert hit["title"] == "Pékin et Moscou"  # escaped, not lost
    show = run_cli("show", "c.txt", "--index", str(index), env=ascii_env)
    assert show.returncode == 0 and "P?kin et Moscou" in show.stdout
    show_json = run_cli("show", "c.txt", "--index", str(index), "--json", env=ascii_env)
    assert json.loads(show_json.stdout)["text"].startswith("Pékin et Moscou")
    assert _ids(_query(index, "china")) == before


# --------------------------------------------------------------------------------------------
# Bugs: one line, the traceback only with --debug


def _crashing_env(tmp_path: Path) -> dict[str, str]:
    """A sitecustomize that makes every search raise a ZeroDivisionError: a stand-in for a bug."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import searchkit.engine.whoosh.search as s\n"
        "def broken(*a, **k):\n    return 1 / 0\n"
        "s.run_search = broken\n", encoding="utf-8")
    return {"PYTHONPATH": f"{hook}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}


def test_a_bug_is_one_line_saying_how_to_report_it_and_debug_shows_the_traceback(indexed, tmp_path: Path) -> None:
    corpus, index, before = indexed
    env = _crashing_env(tmp_path)
    plain = _query(index, "china", env=env)
    assert plain.returncode == 2
    line = _one_error_line(plain)
    assert "internal error (ZeroDivisionError: division by zero)" in line and "--debug" in line
    for debug in (["--debug"], []):
        shown = run_cli("query", "--no-collapse", "china", "--index", str(index), "--no-update", *debug,
                        env={**env, **({} if debug else {"SEARCHKIT_DEBUG": "1"})})
        assert shown.returncode == 2 and "Traceback" in shown.stderr and "ZeroDivisionError" in shown.stderr
    assert run_cli("check", "--index", str(index)).returncode == 0  # a bug is not damage
    assert _ids(_query(index, "china")) == before


# --------------------------------------------------------------------------------------------
# Readers and writers: never blocked, old generations removed as soon as unused


def _many_articles(corpus: Path, n: int, tag: str) -> None:
    words = " ".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")).split()
    for i in range(n):
        (corpus / f"bulk{i:05d}.txt").write_text(f"Bulk {i} {tag}\n\n" + " ".join(words[i % 50: i % 50 + 150]),
                                                 encoding="utf-8")


def test_a_query_during_a_rebuild_searches_the_last_complete_index_and_says_so(indexed, searchkit_runs) -> None:
    corpus, index, before = indexed
    _many_articles(corpus, 20, "zeppelin")
    proc = searchkit_runs.start("index", str(corpus), "--index", str(index), "--rebuild", pause_at="bulk00019.txt")
    searchkit_runs.wait_for_pause(proc)
    during = run_cli("query", "--no-collapse", "china", "--index", str(index), "--json")
    searchkit_runs.release()
    out, err = proc.communicate(timeout=120)
    assert during.returncode == 0, during.stderr
    assert during.stderr == f"searchkit: an update of {index} is running; searching the last complete index\n"
    assert _ids(during) == before
    assert proc.returncode == 0, err
    assert len(_ids(run_cli("query", "--no-collapse", "zeppelin", "--index", str(index), "--json", "-n", "100"))) == 20


def _generations_on_disk(index: Path) -> set[str]:
    return {p.name.split("_")[0].split(".")[0] for p in index.iterdir() if p.name.startswith("gen")}


def test_a_rebuild_removes_the_old_generation_at_once_or_when_its_last_reader_closes(indexed) -> None:
    corpus, index, before = indexed
    assert run_cli("index", str(corpus), "--index", str(index), "--rebuild").returncode == 0
    assert _generations_on_disk(index) == {read_pointer(index).generation}  # no reader: gone at once

    reader = open_index(index)  # a reader of this generation (as a shell would be)
    held = read_pointer(index).generation
    assert run_cli("index", str(corpus), "--index", str(index), "--rebuild").returncode == 0
    live = read_pointer(index).generation
    assert _generations_on_disk(index) == {held, live}  # kept for its reader
    assert [h.doc_id for h in reader.search("china")] == before  # which moves to the new one
    assert _generations_on_disk(index) == {live}  # and was the last out
    reader.close()
    assert _ids(_query(index, "china")) == before


def test_a_killed_runs_debris_is_removed_by_the_next_reader(indexed, searchkit_runs) -> None:
    corpus, index, before = indexed
    _many_articles(corpus, 20, "zeppelin")
    live = read_pointer(index).generation
    proc = searchkit_runs.start("index", str(corpus), "--index", str(index), "--rebuild",
                                fault="after-segment-write:kill")
    searchkit_runs.killed_at(proc, "after-segment-write")  # the new generation is written, not live
    assert read_pointer(index).generation == live
    assert len(_generations_on_disk(index)) == 2, "the build wrote nothing before it was killed"
    assert _ids(_query(index, "china")) == before  # a reader, and no indexer running: it cleans up
    assert _generations_on_disk(index) == {live}
    assert not [p for p in index.iterdir() if p.name.endswith(".tmp")]


def _children(pid: int) -> set[int]:
    """The live child processes of ``pid`` (Linux's /proc)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(child) for child in (task / "children").read_text().split())
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"  # not a zombie
    except FileNotFoundError:
        return False


@pytest.mark.slow
def test_ctrl_c_during_a_parallel_build_stops_without_child_tracebacks(indexed, searchkit_runs) -> None:
    corpus, index, before = indexed
    _many_articles(corpus, 2050, "zeppelin")  # parallel builds start above 2000 files
    proc = searchkit_runs.start("index", str(corpus), "--index", str(index), "--rebuild", "--jobs", "2",
                                pause_at="bulk02000.txt")
    searchkit_runs.wait_for_pause(proc)  # 2,000 articles handed to the two workers
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C at a terminal does: the whole group
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err == "searchkit: interrupted\n"
    assert _ids(_query(index, "china")) == before
    assert _generations_on_disk(index) == {read_pointer(index).generation}


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="lists child processes through Linux's /proc")
def test_a_parallel_build_killed_takes_its_workers_with_it(indexed, searchkit_runs) -> None:
    """kill -9 of the build alone (not its group, as the OOM killer does): its workers, left
    waiting on their queue, used to live on for ever."""
    corpus, index, before = indexed
    _many_articles(corpus, 2050, "zeppelin")
    proc = searchkit_runs.start("index", str(corpus), "--index", str(index), "--rebuild", "--jobs", "2",
                                pause_at="bulk01000.txt")
    searchkit_runs.wait_for_pause(proc)
    workers = _children(proc.pid)
    assert len(workers) >= 2, workers  # the two workers (and any helper multiprocessing starts)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if _alive(pid)], "workers outlived their build"
    assert _ids(_query(index, "china")) == before


# --------------------------------------------------------------------------------------------
# Durability: Lucene's commit order, checked on the system calls


_TRACE = r"""
import os, sys
log = []
real_fsync, real_replace, real_rename = os.fsync, os.replace, os.rename
def name(fd):
    try:
        return os.path.basename(os.readlink(f"/proc/self/fd/{fd}")) or "/"
    except OSError:
        return "?"
def fsync(fd):
    log.append(("fsync", name(fd)))
    return real_fsync(fd)
def replace(a, b, *k, **kw):
    log.append(("replace", os.path.basename(str(b))))
    return real_replace(a, b, *k, **kw)
def rename(a, b, *k, **kw):
    log.append(("rename", os.path.basename(str(b))))
    return real_rename(a, b, *k, **kw)
os.fsync, os.replace, os.rename = fsync, replace, rename
from searchkit.cli import main
code = main(sys.argv[1:])
with open(os.environ["TRACE_OUT"], "w") as fh:
    for op, target in log:
        fh.write(f"{op} {target}\n")
sys.exit(code)
"""


def _traced(tmp_path: Path, *args: str) -> list[tuple[str, str]]:
    out = tmp_path / "trace.txt"
    script = tmp_path / "trace.py"
    script.write_text(_TRACE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHKIT_")}
    result = subprocess.run([sys.executable, str(script), *args], env={**env, "TRACE_OUT": str(out)},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return [tuple(line.split(" ", 1)) for line in out.read_text().splitlines()]  # type: ignore[misc]


def test_commits_fsync_files_then_the_folder_then_the_manifest_and_pointer(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", ARTICLES)
    index = tmp_path / "ix"
    for step in ("full", "incremental"):
        if step == "incremental":
            (corpus / "d.txt").write_text("Fourth\n\nChina again.", encoding="utf-8")
        log = _traced(tmp_path, "index", str(corpus), "--index", str(index))
        generation = read_pointer(index).generation
        manifest = json.loads((index / f"{generation}.manifest.json").read_text())
        pointer_at = log.index(("replace", POINTER_FILE))
        manifest_at = log.index(("replace", f"{generation}.manifest.json"))
        assert manifest_at < pointer_at
        synced = [i for i, (op, _) in enumerate(log) if op == "fsync"]
        # the pointer's and the manifest's own contents before each swap, the folder after
        assert log[pointer_at - 1][0] == "fsync" and log[pointer_at - 1][1].startswith(f".{POINTER_FILE}.")
        assert log[manifest_at - 1][0] == "fsync" and log[manifest_at - 1][1].startswith(f".{generation}.manifest")
        assert log[pointer_at + 1] == ("fsync", index.name) and log[manifest_at + 1] == ("fsync", index.name)
        first_sync: dict[str, int] = {}
        for i in synced:
            first_sync.setdefault(log[i][1], i)
        folder_before_manifest = max(i for i in synced if log[i][1] == index.name and i < manifest_at - 1)
        for name in manifest["files"]:
            if name in first_sync:
                assert first_sync[name] < folder_before_manifest, (name, log)
        if step == "incremental":
            toc_at = next(i for i, (op, target) in enumerate(log) if op == "rename" and target == manifest["commit"])
            new_segment = [n for n in manifest["files"] if n in first_sync and n != manifest["commit"]]
            assert new_segment, log
            assert all(first_sync[n] < toc_at for n in new_segment), log  # segment files before the TOC
            assert any(log[i][1] == index.name for i in synced if first_sync[new_segment[0]] < i < toc_at)
        else:
            assert set(manifest["files"]) <= set(first_sync), log  # every file of a new generation
    assert run_cli("check", "--index", str(index)).returncode == 0


# --------------------------------------------------------------------------------------------
# A long-lived reader (a program, the shell, the web page) whose files change under it

_LONG_LIVED_READER = """
import os, shutil, sys, time
import searchkit

index, how = sys.argv[1], sys.argv[2]
ix = searchkit.open_index(index)
words = ("satellite", "china", "drone", "nitrocellulose", "kazakhstan", "imagery", "Pékin")
for word in words:  # every word's postings read once (and kept between searches)
    ix.search(word, path="numpy")
generation = searchkit.store.read_pointer(ix.path).generation
postings = max((p for p in ix.path.glob(generation + "_*.pst")), key=lambda p: p.stat().st_size)
data = postings.read_bytes()
if how == "emptied":
    postings.write_bytes(b"")
elif how == "cut":
    postings.write_bytes(data[: len(data) // 3])
else:  # replaced by another file, as a sync tool or a restore would
    postings.with_suffix(".new").write_bytes(data[: len(data) // 2])
    os.replace(postings.with_suffix(".new"), postings)
print("changed", postings.name, flush=True)
for rounds in range(2):  # at once (the sizes are checked at most once a second), then later
    for word in ("ukraine", *words):  # one word never read before, then the others
        try:
            print("found", word, ix.search(word, path="numpy").total, flush=True)
        except searchkit.IndexDamagedError as exc:
            print("damaged", word, exc, flush=True)
    time.sleep(1.2)
ix.close()
print("closed", flush=True)
"""


@pytest.mark.parametrize("how", ["emptied", "cut", "replaced"])
def test_postings_cut_or_replaced_under_an_open_index_are_damage_never_a_crash(seeds_copy: Path, tmp_path: Path,
                                                                              how: str) -> None:
    """A reader that stays open (``Index``, the shell, the web page) read its postings from a
    memory map: a file cut short under it killed the process with SIGBUS."""
    index = tmp_path / "ix"
    build_index(seeds_copy, index).close()
    run = subprocess.run([sys.executable, "-c", _LONG_LIVED_READER, str(index), how], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, f"exit {run.returncode} ({'SIGBUS' if run.returncode == -signal.SIGBUS else ''})\n" \
                                + run.stdout + run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    lines = run.stdout.splitlines()
    postings = lines[0].split()[1]
    at_once, later = lines[1:9], lines[9:17]  # the second round after the sizes were checked again
    assert all(line.startswith("damaged ") for line in later), run.stdout
    if how == "emptied":  # the word never read before is read from the file cut short
        assert at_once[0].startswith("damaged ukraine "), run.stdout
    assert all(f"is damaged ({postings} is " in line and line.endswith("`searchkit index --rebuild`")
               for line in lines[1:-1] if line.startswith("damaged")), run.stdout
    assert lines[-1] == "closed"
