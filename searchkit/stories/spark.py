"""The stories stage on Apache Spark: the same stories as :func:`build_stories`, byte for byte.

The per-document work (sentences, tokens, credits: :func:`parse_document`,
:func:`document_credits`) and the per-pair work (the edge decision: ``judge_pair``) are the
in-process stage's own functions, called on the executors. Spark does only what needs the
whole corpus, with joins and shuffles, as passim does for text reuse:

1. token ids in order of first appearance (the in-process vocabulary's order: ties in the
   method break on ids), document and sentence frequencies, each outlet's page furniture;
2. candidate pairs: each document's anchors (:func:`anchors_read`) joined with the first
   entries of those tokens' postings, counted per document (:func:`top_candidates`);
3. the components of the story edges, judging pairs next to their two documents (one
   shipped per pair) in two rounds: each document's best candidates, then only the pairs
   those edges left apart (pairs inside a component need no judging to know it);
4. grouping: inside each component, the in-process ordered merge (:func:`group_in_order`)
   over that component's candidate keys in their global order, knowing the scores judged so
   far. The merge depends on order only within a component, so this gives the same groups
   as one merge over all pairs.

The driver assembles the model (:meth:`StoryModel.assemble`): the stored stories are those of
the in-process stage. Inputs: a JSON Lines or Parquet file of story inputs (in the order the
in-process stage reads them: :func:`write_inputs`), or an index's parts that the executors
read (OpenSearch: in doc_id order, the order its reader yields).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from ..errors import SearchkitError
from .errors import StoryFormatError
from .model import (POSTING_PREFIX, MAX_POSTING, StoryInput, StoryModel, _Doc, _ordinal, anchors_read,
                    boiler_hashes, candidate_key, document_credits, furniture, group_in_order,
                    parse_document, set_token_ids, top_candidates)
from .credits import Lexicon, squash

INSTALL_PYSPARK = "pip install 'searchkit[spark]'"
INSTALL_JAVA = "apt-get install openjdk-17-jre-headless"


class SparkUnavailable(SearchkitError):
    """pyspark or Java is missing: the message says what to install."""


def check_spark() -> None:
    """Raise SparkUnavailable (one line: what to install) unless pyspark and Java are here."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise SparkUnavailable(f"--spark needs pyspark: {INSTALL_PYSPARK}") from None
    java_home = os.environ.get("JAVA_HOME")
    java = os.path.join(java_home, "bin", "java") if java_home else shutil.which("java")
    if not java or not os.path.exists(java):
        raise SparkUnavailable(f"--spark needs Java 17 or newer: {INSTALL_JAVA}")
    try:
        subprocess.run([java, "-version"], capture_output=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        raise SparkUnavailable(f"--spark needs a working Java 17 or newer ({java} did not run): {INSTALL_JAVA}") from None


#: Spark's own logging: warnings and errors, into the session's log file (see :func:`session`).
_LOG4J = """rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""


class SparkFailed(SearchkitError):
    """Spark could not run the job (a master out of reach, a task that failed): one line."""


def check_master(master: str, *, timeout: float = 10.0) -> None:
    """Raise SparkFailed (one line) when a standalone master (spark://host:port[,host:port])
    does not answer; Spark itself would retry for a minute and then log a stack trace."""
    import socket
    from urllib.parse import urlsplit

    if not master.startswith("spark://"):
        return
    why = ""
    for address in master[len("spark://"):].split(","):
        parts = urlsplit(f"spark://{address}")
        try:
            host, port = parts.hostname, parts.port or 7077
        except ValueError:
            host, port = None, 0
        if not host:
            raise SparkFailed(f"--spark {master}: not a master address (spark://host:port)")
        try:
            with socket.create_connection((host, port), timeout=timeout):
                return
        except OSError as exc:
            why = exc.strerror or type(exc).__name__
    raise SparkFailed(f"cannot reach the Spark master at {master} ({why})")


def session_log() -> str:
    """Where this process's Spark JVM writes its output (its banners, warnings and errors)."""
    return os.path.join(tempfile.gettempdir(), f"searchkit-spark-{os.getuid()}-{os.getpid()}.log")


def session(master: str, *, app: str = "searchkit-stories", conf: dict[str, str] | None = None) -> Any:
    """A SparkSession on ``master`` (local[2], local-cluster[2,1,1024], spark://host:7077).

    The driver JVM's standard output and error go to :func:`session_log`, not to the
    terminal: the JVM prints banners of its own (``Using incubator modules``, the default log
    level) that no log setting silences, and a command's output is only searchkit's."""
    check_spark()
    check_master(master)
    from pyspark import SparkConf, SparkContext
    from pyspark.java_gateway import launch_gateway
    from pyspark.sql import SparkSession

    log_config = os.path.join(tempfile.gettempdir(), f"searchkit-spark-log4j2-{os.getuid()}.properties")
    if not os.path.exists(log_config):
        with open(log_config + f".{os.getpid()}", "w", encoding="utf-8") as f:
            f.write(_LOG4J)
        os.replace(log_config + f".{os.getpid()}", log_config)
    quiet = f"-Dlog4j2.configurationFile=file:{log_config}"
    settings = {"spark.master": master, "spark.app.name": app,
                "spark.driver.extraJavaOptions": quiet, "spark.executor.extraJavaOptions": quiet,
                "spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false",
                "spark.driver.memory": "1g", "spark.python.worker.reuse": "true",
                "spark.sql.shuffle.partitions": "8"}
    if not os.environ.get("PYSPARK_PYTHON"):
        # the executors' Python is this one (with searchkit), unless the environment says
        # otherwise (a cluster whose machines have searchkit elsewhere); PySpark reads the
        # variable when the context starts
        os.environ["PYSPARK_PYTHON"] = sys.executable
    settings.update(conf or {})
    spark_conf = SparkConf(loadDefaults=False).setAll(list(settings.items()))
    if SparkContext._gateway is None:
        # PySpark's own launcher, with the JVM's output sent to the log (its documented
        # popen_kwargs); later sessions of this process reuse that JVM
        with open(session_log(), "ab") as log:
            gateway = launch_gateway(spark_conf, popen_kwargs={"stdout": log, "stderr": log})
        SparkContext._ensure_initialized(gateway=gateway)
    builder = SparkSession.builder
    for k, v in settings.items():
        builder = builder.config(k, v)
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # noqa: BLE001 - Spark's errors become one line
        raise failure(exc) from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def failure(exc: BaseException) -> SparkFailed:
    """One line for an error Spark raised (a Java exception, or a Python one on a worker):
    its last message, without the stack traces; the full story is in :func:`session_log`."""
    text = str(getattr(exc, "java_exception", None) or exc)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith(("\tat ", "\t..."))
             and not ln.strip().startswith(("at ", "File ", "..."))]
    # a worker's Python error is the last "module.Name: message" line of its traceback
    python = [ln for ln in lines if re.match(r"^[\w.]+(Error|Exception|Unavailable|Failed): ", ln)
              and not ln.startswith(("org.apache.", "java.", "py4j."))]
    reason = python[-1] if python else (lines[0] if lines else type(exc).__name__)
    if reason.startswith("searchkit."):
        reason = reason.split(": ", 1)[1]  # our own errors say it all
    reason = re.sub(r"^(?:\w+\.)+(\w+: )", r"\1", reason)
    if len(reason) > 300:
        reason = reason[:297] + "..."
    return SparkFailed(f"Spark failed: {reason} (Spark's log: {session_log()})")


# ---------------------------------------------------------------------- input

def input_record(inp: StoryInput) -> str:
    """One story input as a JSON line (dates as ISO text)."""
    date = inp.date.isoformat() if inp.date is not None else None
    return json.dumps({"doc_id": inp.doc_id, "text": inp.text, "title": inp.title, "outlet": inp.outlet,
                       "date": date, "url": inp.url}, ensure_ascii=False)


def write_inputs(inputs: Iterable[StoryInput], path: str) -> int:
    """Write story inputs as JSON Lines (the Spark stage's input); returns how many."""
    n = 0
    with open(path, "w", encoding="utf-8") as out:
        for inp in inputs:
            out.write(input_record(inp) + "\n")
            n += 1
    return n


def parse_input(line: str) -> StoryInput:
    """A story input from a JSON line (searchkit's own export of story inputs, or any JSON
    Lines with doc_id and text; title, outlet, date, url optional)."""
    try:
        row = json.loads(line)
        return input_from_row(row)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise StoryFormatError(f"not a story input line ({exc}): {line[:80]!r}") from None


def input_from_row(row: Any) -> StoryInput:
    """A story input from a mapping with doc_id and text (title, outlet, date, url optional):
    a JSON line, or a Parquet row. Dates: ISO text, a date, or a timestamp (its day)."""
    doc_id, text = row["doc_id"], row["text"]
    if doc_id is None or doc_id == "":
        raise KeyError("doc_id")
    date: Any = row.get("date") or None
    if hasattr(date, "date") and callable(date.date):
        date = date.date()  # a timestamp column: the day, as the index keeps it
    return StoryInput(str(doc_id), text if isinstance(text, str) else str(text or ""), row.get("title") or "",
                      row.get("outlet") or None, date, row.get("url") or None)


def is_parquet(path: str) -> bool:
    """A Parquet file or a folder of them (as Spark writes): by its name, or by its contents."""
    if path.rstrip("/").lower().endswith((".parquet", ".parq")):
        return True
    if os.path.isdir(path):
        return any(name.endswith(".parquet") for name in os.listdir(path))
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"PAR1"
    except OSError:
        return False


def _parquet_inputs(spark: Any, path: str) -> Any:
    """The rows of a Parquet input as story inputs, in file order."""
    frame = spark.read.parquet(path)
    missing = [c for c in ("doc_id", "text") if c not in frame.columns]
    if missing:
        raise StoryFormatError(f"{path}: no {' or '.join(missing)} column (story inputs need doc_id and text; "
                               "title, outlet, date, url are optional)")
    columns = [c for c in ("doc_id", "text", "title", "outlet", "date", "url") if c in frame.columns]

    def to_input(row: Any) -> StoryInput:
        try:
            return input_from_row(row.asDict())
        except (KeyError, TypeError, AttributeError) as exc:
            raise StoryFormatError(f"{path}: a row without {exc}") from None
    return frame.select(*columns).rdd.map(to_input)


#: A picklable reader of one part of an index's story inputs (see ``story_stage.compute_on_spark``).
DocumentPart = Callable[[], Iterator[StoryInput]]


def _inputs(spark: Any, source: str | Sequence[DocumentPart], partitions: int | None, keep: Any) -> tuple[Any, Any]:
    """Every story input with its position in the input order, (input, position), and the
    RDD held in memory to unpersist once parsed (or None).

    ``source``: a JSON Lines or Parquet file (any path or URL Spark reads; file order), or the
    parts of an index that its executors read themselves (doc_id order, the order the
    engine's ``documents()`` yields: sorted here, the index read once, held at ``keep``)."""
    sc = spark.sparkContext
    n = partitions or max(2 * sc.defaultParallelism, 4)
    if isinstance(source, str):
        if is_parquet(source):
            inputs = _parquet_inputs(spark, source)
        else:
            inputs = sc.textFile(source, minPartitions=n).filter(lambda s: s.strip()).map(parse_input)
        return inputs.zipWithIndex(), None
    parts = list(source)
    inputs = sc.parallelize(range(len(parts)), len(parts)).flatMap(lambda k: parts[k]()).persist(keep)
    # (held: sortBy samples it, then shuffles it)
    return inputs.sortBy(lambda inp: inp.doc_id, numPartitions=n).zipWithIndex(), inputs


# ---------------------------------------------------------------------- the job

def _parsed(rows: Iterator[tuple[StoryInput, int]], extra: dict[str, tuple[str, ...]] | None,
            known: list[str]) -> Iterator[tuple[int, tuple[Any, list[list[str]]]]]:
    """Per document: features without token ids, credits, and the sentences' tokens."""
    lex = Lexicon(extra)
    for o in known:
        if o:
            lex.add_outlet(o)
    for inp, i in rows:
        d, text, spans, words = parse_document(inp)
        d.credits = document_credits(d, text, spans, inp.url, lex)
        d.toks = d.soff = array("I")
        d.digest = 0
        yield i, (d.to_data(), words)


def _first_seen(item: tuple[int, tuple[Any, list[list[str]]]]) -> Iterator[tuple[str, tuple[int, int]]]:
    i, (_, words) = item
    seen: set[str] = set()
    pos = 0
    for sentence in words:
        for t in sentence:
            if t not in seen:
                seen.add(t)
                yield t, (i, pos)
            pos += 1


def _with_ids(vocab_bc: Any) -> Any:
    def assign(item: tuple[int, tuple[Any, list[list[str]]]]) -> tuple[int, Any]:
        i, (data, words) = item
        vocab = vocab_bc.value
        d = _Doc.from_data(data)
        toks: list[int] = []
        soff = [0]
        for sentence in words:
            toks.extend(vocab[t] for t in sentence)
            soff.append(len(toks))
        set_token_ids(d, toks, soff)
        return i, d.to_data()
    return assign


def _counted(item: tuple[int, Any]) -> Iterator[tuple[tuple[Any, ...], tuple[int, int]]]:
    """What one document adds to the counts: ("t", token) -> (documents, sentences),
    ("b", outlet key, sentence hash) -> (articles, 0), ("n",) -> (sentences, 0), and
    ("i", index, doc id)."""
    i, data = item
    d = _Doc.from_data(data)
    per_sentence: Counter[int] = Counter()
    for k in range(d.nsent()):
        per_sentence.update(set(d.sent(k)))
    for t in set(d.toks):
        yield ("t", t), (1, per_sentence.get(t, 0))
    if d.outlet:
        key = squash(d.outlet)
        for h in set(boiler_hashes(d)):
            yield ("b", key, h), (1, 0)
    yield ("n",), (d.nsent(), 0)
    yield ("i", i, d.doc_id), (0, 0)


def _kept(kv: tuple[tuple[Any, ...], tuple[int, int]]) -> bool:
    """Sentence hashes reach the driver only when they are furniture (the same rule)."""
    key, value = kv
    return key[0] != "b" or bool(furniture(Counter({key[2]: value[0]})))


def _add2(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return a[0] + b[0], a[1] + b[1]


def build_stories_spark(spark: Any, source: str | Sequence[DocumentPart], *, known_outlets: Iterable[str] | None = None,
                        outlets: dict[str, Iterable[str]] | None = None, partitions: int | None = None,
                        stats: dict[str, Any] | None = None) -> StoryModel:
    """The stories of the documents of ``source``, computed on ``spark``: equal to
    ``build_stories(documents, outlets, known_outlets)`` over the same documents in the same
    order. ``source``: a JSON Lines or Parquet file of story inputs (local path or any URL
    Spark reads; file order), or an index's parts that the executors read (doc_id order, as
    that engine's reader yields them). ``known_outlets``: the corpus's outlets (the
    in-process stage passes its index's; None: those of the documents, sorted). ``stats``, if
    given, is filled with counts and times of each step."""
    job = _Job(spark, stats if stats is not None else {})
    docs = job.features(source, outlets, known_outlets, partitions)
    job.counts(docs)
    keys, edges = job.candidates_and_edges(docs)
    groups = job.groups(keys, edges)
    return job.assemble(docs, groups, outlets)


class _Job:
    """One Spark run of the stories stage, step by step (the steps of the module docstring)."""

    def __init__(self, spark: Any, stats: dict[str, Any]) -> None:
        import time

        from pyspark import StorageLevel

        self.spark = spark
        self.sc = spark.sparkContext
        self.keep = StorageLevel.MEMORY_AND_DISK
        self.stats = stats
        self.clock = time.perf_counter
        self.started = self.step = self.clock()

    def lap(self, name: str) -> None:
        now = self.clock()
        self.stats[f"seconds_{name}"] = round(now - self.step, 3)
        self.step = now

    def features(self, source: str | Sequence[DocumentPart], outlets: dict[str, Iterable[str]] | None,
                 known_outlets: Iterable[str] | None, partitions: int | None) -> Any:
        """Every document's features with token ids in first-appearance order: (index, data)."""
        sc = self.sc
        extra = {k: tuple(v) for k, v in outlets.items()} if outlets else None
        inputs, held = _inputs(self.spark, source, partitions, self.keep)
        if known_outlets is None:
            self.known = sorted(inputs.map(lambda x: x[0].outlet).filter(bool).distinct().collect())
        else:
            self.known = sorted(o for o in known_outlets if o)
        if isinstance(source, str):
            self.stats["input"] = "parquet" if is_parquet(source) else "jsonl"
        else:
            self.stats["input"] = f"index in {len(source)} parts"
        known = self.known
        parsed = inputs.mapPartitions(lambda it: _parsed(it, extra, known)).persist(self.keep)
        first = parsed.flatMap(_first_seen).reduceByKey(min)
        self.vocab = [t for t, _ in sorted(first.collect(), key=lambda kv: kv[1])]
        if held is not None:
            held.unpersist()
        self.lap("parse_vocab")
        vocab_bc = sc.broadcast({t: i for i, t in enumerate(self.vocab)})
        self.parsed, self.vocab_bc = parsed, vocab_bc
        return parsed.map(_with_ids(vocab_bc)).persist(self.keep)

    def counts(self, docs: Any) -> None:
        """In one pass: document and sentence frequencies, sentences, each outlet's furniture,
        every document's id (then each one's rank in sorted order, as the grouping packs them)."""
        self.df = df = array("I", bytes(4 * len(self.vocab)))
        self.sdf = sdf = array("I", bytes(4 * len(self.vocab)))
        self.nsent = 0
        boiler_counts: dict[str, Counter[int]] = {}
        ids: list[tuple[int, str]] = []
        for key, value in docs.flatMap(_counted).reduceByKey(_add2).filter(_kept).collect():
            kind = key[0]
            if kind == "t":
                df[key[1]], sdf[key[1]] = value
            elif kind == "b":
                boiler_counts.setdefault(key[1], Counter())[key[2]] = value[0]
            elif kind == "i":
                ids.append((key[1], key[2]))
            else:
                self.nsent += value[0]
        boiler = {k: hs for k, c in boiler_counts.items() if (hs := furniture(c))}
        self.stats["documents"] = ndocs = len(ids)
        self.stats["vocabulary"] = len(self.vocab)
        rank_of = {did: r for r, did in enumerate(sorted(did for _, did in ids))}
        if len(rank_of) != ndocs:
            twice = next(did for did, n in Counter(did for _, did in ids).items() if n > 1)
            raise StoryFormatError(f"the input holds doc_id {twice!r} more than once")
        rank = array("I", bytes(4 * ndocs))
        for i, did in ids:
            rank[i] = rank_of[did]
        sc = self.sc
        self.judge_bc = sc.broadcast((bytes(bytearray(w[:1] == "#" for w in self.vocab)), df.tobytes(), sdf.tobytes(),
                                      self.nsent, ndocs, boiler))
        self.rank_bc = rank_bc = sc.broadcast(rank.tobytes())
        self.df_bc = sc.broadcast(df.tobytes())
        self.by_rank = docs.map(lambda kv: (_rank(rank_bc, kv[0]), kv[1])).persist(self.keep)
        self.lap("counts")

    def candidates_and_edges(self, docs: Any) -> tuple[Any, Any]:
        """Candidate keys (postings' first entries joined with each document's anchors), and
        the scores of the pairs judged to find the components of the story edges.

        The ordered merge never judges a pair whose two documents are already grouped, but
        the components must be known before it runs. So pairs are judged in two rounds: first
        each document's FIRST_ROUND best candidates (the pairs the merge meets first, mostly
        edges inside a story), then only the pairs whose documents those edges left in
        different components. The components are exactly those of all candidate edges (an
        unjudged pair lies inside one), at a fraction of the judging on syndicated corpora."""
        df_bc, rank_bc = self.df_bc, self.rank_bc
        postings = (docs.flatMap(lambda kv: _posted(df_bc, kv)).groupByKey()
                    .mapValues(lambda ii: array("I", [_rank(rank_bc, i) for i in sorted(ii)[:POSTING_PREFIX]]).tobytes()))
        reads = docs.flatMap(lambda kv: _reads(df_bc, rank_bc, kv))
        shared = reads.join(postings).map(lambda kv: (kv[1][0][0], (kv[1][0][1], kv[1][1]))).groupByKey()
        ranked = shared.flatMap(_candidate_keys).persist(self.keep)  # (key, its place in its document's list)
        keys = ranked.keys()
        # each distinct pair with its best place in either document's list
        pairs = ranked.map(lambda kr: (_pair(kr[0]), kr[1])).reduceByKey(min).persist(self.keep)
        self.judged = self.sc.accumulator(0)
        best = FIRST_ROUND  # (a value in the closure: the executors see the driver's)
        first = self._judge(pairs.filter(lambda pp: pp[1] < best).keys())
        first_edges = [kv for kv in first.collect() if kv[1] >= 1.0]
        comp_bc = self.sc.broadcast(_components(first_edges))
        apart = pairs.filter(lambda pp: pp[1] >= best and _apart(comp_bc.value, pp[0])).keys()
        second = self._judge(apart)
        self.edge_list = first_edges + [kv for kv in second.collect() if kv[1] >= 1.0]
        comp_bc.unpersist()
        pairs.unpersist()
        self.parsed.unpersist()
        self.vocab_bc.unpersist()
        self.stats["pairs_judged"] = self.judged.value
        self.stats["edges"] = len(self.edge_list)
        self.lap("candidates_judge")
        self.held = [ranked, first, second]
        return keys, first.union(second)

    def _judge(self, pairs: Any) -> Any:
        """((lo, hi), score) of each pair of ranks, judged beside its two documents (one
        shipped per pair, the other per lower rank); held until grouping."""
        by_rank, judge_bc, judged = self.by_rank, self.judge_bc, self.judged
        with_b = pairs.map(lambda p: (p[1], p[0])).join(by_rank).map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
        return with_b.cogroup(by_rank).flatMap(lambda kv: _judged(judge_bc, judged, kv)).persist(self.keep)

    def groups(self, keys: Any, scores: Any) -> list[list[str]]:
        """Components of the edges, then the in-process ordered merge inside each: over the
        component's candidate keys in their global order, with the scores judged so far (the
        merge judges the pairs it asks about beyond them beside the component's documents)."""
        comp_bc = self.sc.broadcast(_components(self.edge_list))
        del self.edge_list
        judge_bc, merged = self.judge_bc, self.sc.accumulator(0)
        inside = keys.map(lambda k: (_pair(k), k)).filter(lambda pk: _together(comp_bc.value, pk[0]))
        ordered = (inside.leftOuterJoin(scores)
                   .map(lambda kv: (comp_bc.value[kv[0][0]], (kv[1][0], kv[0], kv[1][1]))))
        members = (self.by_rank.filter(lambda kv: kv[0] in comp_bc.value)
                   .map(lambda kv: (comp_bc.value[kv[0]], (kv[0], kv[1]))))
        groups: list[list[str]] = (ordered.cogroup(members)
                                   .flatMap(lambda kv: _merge_component(judge_bc, merged, kv)).collect())
        self.stats["pairs_judged_merging"] = merged.value
        self.stats["groups"] = len(groups)
        self.lap("group")
        for bc in (self.judge_bc, self.rank_bc, self.df_bc, comp_bc):
            bc.unpersist()
        for rdd in (self.by_rank, *self.held):
            rdd.unpersist()
        return groups

    def assemble(self, docs: Any, groups: list[list[str]], outlets: dict[str, Iterable[str]] | None) -> StoryModel:
        """The model on the driver, every document in input order."""
        collected = docs.collect()
        collected.sort(key=lambda kv: kv[0])
        model = StoryModel.assemble(self.vocab, self.df, self.sdf, self.nsent,
                                    (_Doc.from_data(data) for _, data in collected), groups, outlets, self.known)
        del collected
        docs.unpersist()
        self.lap("assemble")
        self.stats["seconds"] = round(self.clock() - self.started, 3)
        return model


def _cached(bc: Any, build: Any) -> Any:
    """What ``build`` makes of a broadcast's value, once per worker process (a worker keeps
    one Broadcast object per id)."""
    made = getattr(bc, "_searchkit_made", None)
    if made is None:
        made = bc._searchkit_made = build(bc.value)
    return made


def _uint_array(raw: bytes) -> array:
    out = array("I")
    out.frombytes(raw)
    return out


def _rank(rank_bc: Any, i: int) -> int:
    return int(_cached(rank_bc, _uint_array)[i])


def _df(df_bc: Any) -> array:
    return _cached(df_bc, _uint_array)


def _pair_judge(value: tuple[Any, ...]) -> StoryModel:
    isnum, df_b, sdf_b, nsent, ndocs, boiler = value
    return StoryModel.pair_judge(isnum, _uint_array(df_b), _uint_array(sdf_b), nsent, ndocs, boiler)


def _posted(df_bc: Any, kv: tuple[int, Any]) -> Iterator[tuple[int, int]]:
    """(token, document) for the tokens whose postings some document may read."""
    df = _df(df_bc)
    toks = array("I")
    toks.frombytes(kv[1][4])
    for t in set(toks):
        if 2 <= df[t] <= MAX_POSTING:
            yield t, kv[0]


def _reads(df_bc: Any, rank_bc: Any, kv: tuple[int, Any]) -> Iterator[tuple[int, tuple[int, int]]]:
    """(token, (document's rank, entries read)) of the postings one document reads."""
    df = _df(df_bc)
    toks = array("I")
    toks.frombytes(kv[1][4])
    me = _rank(rank_bc, kv[0])
    for t, n in anchors_read((df[t], t) for t in set(toks) if df[t]):
        yield t, (me, n)


def _candidate_keys(kv: tuple[int, Iterable[tuple[int, bytes]]]) -> Iterator[tuple[int, int]]:
    """One document's candidate keys, each with its place in the document's list (best first)."""
    me, lists = kv
    shared: Counter[int] = Counter()
    for n, plist in lists:
        ranks = array("I")
        ranks.frombytes(plist)
        shared.update(ranks[:n])
    for place, (c, o) in enumerate(top_candidates(shared, me)):
        yield (candidate_key(c, me, o) if me < o else candidate_key(c, o, me)), place


#: Candidates of each document judged in the first round (its best ones; see
#: ``_Job.candidates_and_edges``). Any value gives the same stories; on storygen 3k, 2 judged
#: the fewest pairs of 1, 2 and 15 (benchmarks/SPARK-STORIES.md; one corpus: a guess elsewhere).
FIRST_ROUND = 2


def _pair(key: int) -> tuple[int, int]:
    """The two ranks of a candidate key (candidate_key), the lower first."""
    return (key >> 24) & 0xFFFFFF, key & 0xFFFFFF


def _apart(comp: dict[int, int], pair: tuple[int, int]) -> bool:
    """The two documents are in different components (one without edges is alone)."""
    a, b = pair
    return comp.get(a, -1 - a) != comp.get(b, -1 - b)


def _together(comp: dict[int, int], pair: tuple[int, int]) -> bool:
    return not _apart(comp, pair)


def _judged(judge_bc: Any, judged: Any, kv: tuple[int, tuple[Iterable[tuple[int, Any]], Iterable[Any]]]) -> Iterator[tuple[tuple[int, int], float]]:
    """The scores of one document (the lower rank) with the candidates it is judged against."""
    lo, (others, mine) = kv
    others = list(others)
    mine = list(mine)
    if not others or not mine:
        return
    judge = _cached(judge_bc, _pair_judge)
    a = _Doc.from_data(mine[0])
    judged.add(len(others))
    for hi, data in sorted(others, key=lambda x: x[0]):
        yield (lo, hi), judge.judge_pair(a, _Doc.from_data(data))


def _components(edges: list[tuple[tuple[int, int], float]]) -> dict[int, int]:
    """rank -> its component (the smallest rank in it), over the story edges."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for (a, b), _ in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in parent}


def _merge_component(judge_bc: Any, merged: Any,
                     kv: tuple[int, tuple[Iterable[tuple[int, tuple[int, int], float | None]], Iterable[tuple[int, Any]]]]) -> list[list[str]]:
    """The in-process ordered merge over one component's candidate keys, knowing the scores
    judged so far (None: not judged); the pairs it asks about beyond them are judged here,
    beside the component's documents (counted in ``merged``)."""
    from .model import _date_from

    _, (keyed, members) = kv
    keyed = list(keyed)
    data = {r: d for r, d in members}
    names = {r: d[0] for r, d in data.items()}
    by_id = {d[0]: d for d in data.values()}
    days = {d[0]: None if d[3] is None else _ordinal(_date_from(d[3])) for d in data.values()}
    known = {(names[a], names[b]): score for _, (a, b), score in keyed if score is not None}
    order = sorted(k for k, _, _ in keyed)
    judge = _cached(judge_bc, _pair_judge)
    docs: dict[str, _Doc] = {}

    def doc(did: str) -> _Doc:
        d = docs.get(did)
        if d is None:
            d = docs[did] = _Doc.from_data(by_id[did])
        return d

    def score(a: str, b: str) -> float:
        merged.add(1)
        return judge.judge_pair(doc(a), doc(b))
    return group_in_order(sorted(names.values()), names, order, score, days.get, known.items())
