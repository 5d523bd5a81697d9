"""The stories stage on a real Apache Spark (issue 26): the same stories as the in-process
stage, to the byte of what is stored, on the seeds and on both generators' corpora, in
``local[2]`` (one JVM) and ``local-cluster[2,1,1024]`` (two executor JVMs, a real shuffle over
loopback), from JSON Lines and Parquet exports; `searchkit stories --recompute --spark` as a
user runs it, on those and on a real standalone cluster (a Master and a Worker started from
the pyspark wheel's jars, ``spark://127.0.0.1:PORT``); and its errors in one line.

One Spark session per master for the whole module (a JVM takes 10-50 s to start here). Without
pyspark or Java the module skips with one line; SEARCHKIT_REQUIRE_SPARK=1 (`make test-spark`,
which CI runs) turns that into a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import searchkit
from searchkit import story_stage
from searchkit.engine import locate
from searchkit.stories import StoryModel
from searchkit.stories.model import read_payload
from searchkit.stories import spark as on_spark

from .conftest import SEEDS, run_cli
from .spark_standalone import Standalone, free_port

import storygen
import storygen2


def _unavailable() -> str | None:
    try:
        on_spark.check_spark()
    except on_spark.SparkUnavailable as exc:
        return str(exc)
    return None


_WHY = _unavailable()
if _WHY:
    if os.environ.get("SEARCHKIT_REQUIRE_SPARK"):
        pytest.fail(f"Spark tests required but cannot run: {_WHY}", pytrace=False)
    pytest.skip(f"Spark tests skipped: {_WHY}", allow_module_level=True)

MASTERS = ["local[2]", "local-cluster[2,1,1024]"]


@pytest.fixture(scope="module", params=MASTERS)
def spark(request: pytest.FixtureRequest) -> Any:
    session = on_spark.session(request.param)
    yield session
    session.stop()


def _index(corpus: Path, where: Path) -> Path:
    searchkit.build_index(corpus, where)
    return where


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Real indexes of the seeds, a storygen corpus and a storygen2 dev corpus."""
    root = tmp_path_factory.mktemp("spark-corpora")
    storygen.write(root / "sg", 400, seed=3)
    storygen2.write(root / "sg2", "dev", n=240)
    return {"seeds": _index(SEEDS, root / "ix-seeds"),
            "storygen": _index(root / "sg" / "corpus", root / "ix-sg"),
            "storygen2-dev": _index(root / "sg2" / "corpus", root / "ix-sg2")}


def _payload(model: StoryModel) -> dict[str, Any]:
    """Everything the stored stories hold (the pickle's bytes may share strings differently)."""
    data: dict[str, Any] = read_payload(model.to_bytes())
    return data


def _assert_same(spark_model: StoryModel, local: StoryModel) -> None:
    assert spark_model.stories == local.stories  # ids, titles, members in order, earliest, outlets
    assert story_stage.story_map(spark_model) == story_stage.story_map(local)
    for doc_id in local.dates():
        assert spark_model.credits_of(doc_id) == local.credits_of(doc_id)
    for story in local.stories[:25]:
        a, b = story.doc_ids[:2]
        assert spark_model.compare(a, b) == local.compare(a, b)  # the shared passages
    assert spark_model.credit_sources() == local.credit_sources()
    assert _payload(spark_model) == _payload(local)


@pytest.mark.parametrize("name", ["seeds", "storygen", "storygen2-dev"])
def test_spark_stories_equal_the_in_process_stage(spark: Any, corpora: dict[str, Path], name: str,
                                                  tmp_path: Path) -> None:
    engine, home = locate(corpora[name])
    reader = engine.reader(home.folder, home.read_pointer().generation)
    try:
        local = story_stage.compute(reader)
        path = str(tmp_path / "inputs.jsonl")
        on_spark.write_inputs(story_stage._all_inputs(reader), path)
        stats: dict[str, Any] = {}
        model = on_spark.build_stories_spark(spark, path, known_outlets=reader.outlets(), stats=stats)
    finally:
        reader.close()
    assert stats["documents"] == len(local)
    if name != "seeds":
        assert len([s for s in local.stories if len(s.doc_ids) > 1]) >= 10  # something to get wrong
    _assert_same(model, local)


def test_a_json_lines_export_gives_the_stories_of_build_stories(spark: Any, corpora: dict[str, Path],
                                                                tmp_path: Path) -> None:
    """The third input: a JSON Lines file read by Spark, against build_stories over its lines
    (known outlets: those of the file)."""
    from searchkit.stories import build_stories

    inputs = _inputs_of(corpora["storygen2-dev"])
    inputs.reverse()  # another order than the index's: ids and postings follow the file
    path = tmp_path / "export.jsonl"
    on_spark.write_inputs(inputs, str(path))
    local = build_stories(iter(inputs), known_outlets=sorted({i.outlet for i in inputs if i.outlet}))
    _assert_same(on_spark.build_stories_spark(spark, str(path)), local)


def _inputs_of(index: Path) -> list[Any]:
    """The story inputs of an index, in the order the in-process stage reads them."""
    engine, home = locate(index)
    reader = engine.reader(home.folder, home.read_pointer().generation)
    try:
        return list(story_stage._all_inputs(reader))
    finally:
        reader.close()


def _write_parquet(inputs: list[Any], path: str) -> None:
    """Story inputs as Spark writes Parquet (dates as a date column), in their order, with the
    session running (a new one in local[1] if none is)."""
    from pyspark.sql import SparkSession
    from pyspark.sql.types import DateType, StringType, StructField, StructType

    active = SparkSession.getActiveSession()
    session = active or on_spark.session("local[1]")
    try:
        schema = StructType([StructField(name, DateType() if name == "date" else StringType())
                             for name in ("doc_id", "text", "title", "outlet", "date", "url")])
        rows = [(i.doc_id, i.text, i.title, i.outlet, i.date, i.url) for i in inputs]
        session.createDataFrame(rows, schema).coalesce(1).write.parquet(path)
    finally:
        if active is None:
            session.stop()


def test_a_parquet_export_gives_the_stories_of_build_stories(spark: Any, corpora: dict[str, Path],
                                                             tmp_path: Path) -> None:
    """The third input as Spark writes it (a folder of Parquet files, dates as a date column),
    against build_stories over its rows in file order."""
    import datetime as dt

    from searchkit.stories import build_stories

    inputs = _inputs_of(corpora["storygen"])
    inputs = inputs[1::2] + inputs[::2]  # another order than the index's
    path = str(tmp_path / "export.parquet")
    _write_parquet(inputs, path)
    assert on_spark.is_parquet(path) and any(isinstance(i.date, dt.date) for i in inputs)
    local = build_stories(iter(inputs), known_outlets=sorted({i.outlet for i in inputs if i.outlet}))
    assert len([s for s in local.stories if len(s.doc_ids) > 1]) >= 10
    _assert_same(on_spark.build_stories_spark(spark, path), local)
    # a Parquet file without the columns story inputs need: one line saying which
    spark.createDataFrame([("a", "b")], "id string, body string").write.parquet(str(tmp_path / "other.parquet"))
    with pytest.raises(on_spark.StoryFormatError, match="no doc_id or text column"):
        on_spark.build_stories_spark(spark, str(tmp_path / "other.parquet"))


def test_recompute_on_spark_stores_what_the_build_stored(corpora: dict[str, Path], tmp_path: Path) -> None:
    """`searchkit stories --recompute --spark local[2]` as a real process: the stored story map
    is the build's, byte for byte, and `stories` lists the same stories after it."""
    ix = tmp_path / "ix"
    shutil.copytree(corpora["storygen"], ix)
    gen = locate(ix)[1].read_pointer().generation
    before_map = (ix / f"{gen}.storymap").read_bytes()
    before = run_cli("stories", "--json", "--index", str(ix), cwd=tmp_path).stdout
    (ix / f"{gen}.storymap").unlink()
    (ix / f"{gen}.stories").unlink()
    done = run_cli("stories", "--recompute", "--spark", "local[2]", "--index", str(ix), cwd=tmp_path, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr == ""  # nothing of Spark's JVM (its banners go to its log)
    assert len(done.stdout.splitlines()) == 1 and "recomputed on Spark (local[2])" in done.stdout
    assert (ix / f"{gen}.storymap").read_bytes() == before_map
    assert run_cli("stories", "--json", "--index", str(ix), cwd=tmp_path).stdout == before


@pytest.fixture(scope="module")
def standalone() -> Any:
    cluster = Standalone(cores=2, memory="1g").start()
    yield cluster
    cluster.stop()


def test_recompute_on_a_standalone_cluster(standalone: Standalone, corpora: dict[str, Path], tmp_path: Path) -> None:
    """`--spark spark://127.0.0.1:PORT`: a real Master and Worker (executors in the worker's
    JVMs), from the index and from a Parquet export (--from); the stored stories are the
    build's, byte for byte."""
    ix = tmp_path / "ix"
    shutil.copytree(corpora["storygen2-dev"], ix)
    gen = locate(ix)[1].read_pointer().generation
    before_map = (ix / f"{gen}.storymap").read_bytes()
    before_model = _payload(StoryModel.from_bytes((ix / f"{gen}.stories").read_bytes()))
    before = run_cli("stories", "--json", "--index", str(ix), cwd=tmp_path).stdout
    env = {"SPARK_LOCAL_IP": "127.0.0.1"}
    for extra in ([], ["--from", "export"]):
        (ix / f"{gen}.storymap").unlink()
        (ix / f"{gen}.stories").unlink()
        if extra:  # the index's documents as Parquet, in the index's order, written by Spark
            _write_parquet(_inputs_of(ix), str(tmp_path / "export"))
            extra = ["--from", str(tmp_path / "export")]
        done = run_cli("stories", "--recompute", "--spark", standalone.master, *extra, "--index", str(ix),
                       cwd=tmp_path, timeout=900, env=env)
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stderr == ""
        assert f"recomputed on Spark ({standalone.master})" in done.stdout
        assert (ix / f"{gen}.storymap").read_bytes() == before_map
        assert _payload(StoryModel.from_bytes((ix / f"{gen}.stories").read_bytes())) == before_model
        assert run_cli("stories", "--json", "--index", str(ix), cwd=tmp_path).stdout == before
    apps = (standalone.state() or {}).get("completedapps", [])
    assert len(apps) >= 2  # the jobs ran on this master


def test_a_bad_input_file_is_one_line_naming_it(corpora: dict[str, Path], tmp_path: Path) -> None:
    """A line of --from that is no story input fails the job on an executor: the user reads
    that reason in one line (and where Spark's log is), never a Java or Python stack trace."""
    bad = tmp_path / "inputs.jsonl"
    bad.write_text('{"doc_id": "a", "text": "one"}\n["not", "an", "object"]\n', encoding="utf-8")
    done = run_cli("stories", "--recompute", "--spark", "local[1]", "--from", str(bad), "--index",
                   str(corpora["seeds"]), cwd=tmp_path, timeout=600)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr[-3000:]
    assert lines[0].startswith("searchkit: error: Spark failed: not a story input line"), lines
    log = lines[0].rsplit("Spark's log: ", 1)[1].rstrip(")")
    assert Path(log).is_file()  # kept, since the run failed
    Path(log).unlink()


def test_an_unreachable_master_is_one_line(corpora: dict[str, Path], tmp_path: Path) -> None:
    master = f"spark://127.0.0.1:{free_port()}"
    done = run_cli("stories", "--recompute", "--spark", master, "--index", str(corpora["seeds"]), cwd=tmp_path,
                   timeout=300)
    assert done.returncode != 0
    assert done.stderr.strip().splitlines() == [
        f"searchkit: error: cannot reach the Spark master at {master} (Connection refused)"]
    assert done.stdout == ""


def test_missing_java_or_pyspark_is_one_line_and_exit_2(corpora: dict[str, Path], tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "JAVA_HOME"}
    env["PATH"] = str(Path(sys.executable).parent)  # this Python, no java
    done = subprocess.run([sys.executable, "-m", "searchkit", "stories", "--recompute", "--spark", "local[2]",
                           "--index", str(corpora["seeds"])], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "searchkit: error: --spark needs Java 17 or newer: apt-get install openjdk-17-jre-headless"]
    code = ("import sys; sys.modules['pyspark'] = None; from searchkit.cli import main; "
            f"sys.exit(main(['stories', '--recompute', '--spark', 'local[2]', '--index', {str(corpora['seeds'])!r}]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == ["searchkit: error: --spark needs pyspark: pip install 'searchkit[spark]'"]
