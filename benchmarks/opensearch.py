"""The OpenSearch engine against the local engine, on N synthetic articles, in one run.

Run ``python benchmarks/opensearch.py --n 20000`` (``make bench-opensearch N=...``) from the
repository root; Java 17 and Maven are needed (the nodes come from ``opensearch-node/``).

1. generates (or reuses) the corpus of ``benchmarks/scale.py`` (same generator, same seed);
2. builds the local index with ``searchkit index`` in its own process, then, for a cluster of
   1 node and of 3 nodes on this machine (loopback, ``--heap`` each; 3 nodes: 3 primary
   shards and 1 replica), the same command with ``--index opensearch://...``: wall time,
   documents/s, and the client process's peak memory (the nodes' memory is the JVM heap given);
3. query latency in-process through the library, p50/p95 over the query kinds of
   ``scale.py`` (words, phrases, dated, facets), with and without 10 snippets, interleaved
   across engines; totals are compared with the local engine's.

``--relevance`` instead measures ranking: nDCG@10 (and MAP) on Cranfield and CACM (the
collections of ``benchmarks/relevance.py``, the same queries through ``Index.search(text,
plain=True)``) for the local engine and a 1-node cluster, with the paired bootstrap interval
of the difference. Reported, not required equal: BM25 in OpenSearch is per shard, and its
analysis differs from the local one in the places ``engine/opensearch/mapping.py`` lists.

What one machine cannot show: network latency between client and nodes (loopback here), a
cluster's parallelism (3 JVMs share 2 cores here, so 3 nodes are slower than 1), disks of
their own, and scale beyond one machine's memory. Writes JSON under ``benchmarks/results/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import scale

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def _node_tools():
    """opensearch-node/cluster.py (a folder with a dash: not importable by name), loaded by path."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("cluster", REPO / "opensearch-node" / "cluster.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["cluster"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


_cluster = _node_tools()
Cluster, missing_tools = _cluster.Cluster, _cluster.missing_tools


def load() -> str:
    return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__() if Path("/proc/loadavg").exists() else "?"


def build(corpus: Path, index: str) -> dict:
    run = scale.run_process(scale.searchkit_cmd() + ["index", str(corpus), "--index", index, "--quiet"])
    docs = len(scale.article_paths(corpus))
    return {"seconds": round(run.seconds, 2), "docs_per_s": round(docs / run.seconds, 1),
            "client_peak_rss_mb": round(run.max_rss_mb, 1), "tree_peak_rss_mb": round(run.tree_rss_mb, 1)}


def measure(indexes: dict[str, str], queries: list, repeats: int) -> dict:
    searchers = {name: scale.SearchkitSearcher(where) for name, where in indexes.items()}  # type: ignore[arg-type]
    timings: dict[tuple[str, str, str], list[float]] = {}
    totals: dict[str, dict[str, int]] = {name: {} for name in searchers}
    for rep in range(repeats + 1):  # the first pass warms caches and is not counted
        for mode, snippets in scale.MODES.items():
            for q in queries:
                names = list(searchers)
                names = names[rep % len(names):] + names[: rep % len(names)]
                for name in names:
                    started = time.perf_counter()
                    total = searchers[name].search(q, snippets=snippets)
                    elapsed = (time.perf_counter() - started) * 1000
                    if rep == 0:
                        totals[name][q.label] = total
                    else:
                        timings.setdefault((name, q.kind, mode), []).append(elapsed)
    for s in searchers.values():
        s.close()
    latency: dict = {}
    for (name, kind, mode), values in timings.items():
        latency.setdefault(name, {}).setdefault(mode, {})[kind] = {
            "p50_ms": round(statistics.median(values), 2), "p95_ms": round(scale._pct(values, 0.95), 2),
            "n": len(values)}
    differ = {name: sorted(label for label, total in got.items() if total != totals["local"].get(label))
              for name, got in totals.items() if name != "local"}
    return {"latency": latency, "totals_differing_from_local": differ,
            "queries": len(queries)}


def relevance(args: argparse.Namespace) -> dict:
    import relevance as rel

    cluster = Cluster(1, heap=args.heap).start()
    os.environ["SEARCHKIT_OPENSEARCH_SHARDS"] = "1"
    os.environ["SEARCHKIT_OPENSEARCH_REPLICAS"] = "0"
    out: dict = {}
    try:
        import searchkit

        for bench in rel.load_all(rel.DATA_DIR, "cleverdon"):
            corpus = rel.write_corpus(bench.docs, scale.WORK_DIR / f"{bench.name.lower()}-os-corpus")
            systems = {}
            for name, where in (("local", str(scale.WORK_DIR / f"{bench.name.lower()}-os-local")),
                                ("opensearch", f"{cluster.url}/{bench.name.lower()}")):
                ix = searchkit.build_index(corpus, where, rebuild=True)
                systems[name] = rel.Scored(rel.run_searchkit(ix, bench, name=name),
                                           {})
                systems[name].values = rel.per_query(systems[name].system.run, bench.qrels, bench.query_ids)
                ix.close()
            test = rel.paired_test(systems["opensearch"].values["nDCG@10"], systems["local"].values["nDCG@10"],
                                   bench.query_ids)
            out[bench.name] = {
                **{name: {m: round(sc.mean(m), 4) for m in ("nDCG@10", "MAP")} | {
                    "query_ms_median": round(statistics.median(sc.system.seconds) * 1000, 2)}
                   for name, sc in systems.items()},
                "opensearch_minus_local_nDCG@10": test, "queries": len(bench.query_ids)}
            print(bench.name, json.dumps(out[bench.name]), file=sys.stderr, flush=True)
    finally:
        cluster.stop()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--nodes", default="1,3", help="cluster sizes to measure (default 1,3)")
    parser.add_argument("--heap", default="1g", help="JVM heap of each node (default 1g)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--per-kind", type=int, default=8)
    parser.add_argument("--relevance", action="store_true", help="nDCG@10 on Cranfield and CACM instead")
    args = parser.parse_args()
    why = missing_tools()
    if why:
        print(f"cannot run: {why}", file=sys.stderr)
        return 2
    if args.relevance:
        os.environ["XDG_CACHE_HOME"] = str(scale.WORK_DIR / "opensearch-relevance-cache")
        result = {"date": dt.date.today().isoformat(), "load_before": load(), "collections": relevance(args),
                  "load_after": load()}
        out = scale.RESULTS_DIR / f"opensearch-relevance-{result['date']}.json"
        out.write_text(json.dumps(result, indent=1) + "\n")
        print(f"wrote {out}", file=sys.stderr)
        return 0
    corpus = scale.corpus_for(args.n, args.seed)
    queries = scale.make_queries(corpus, args.seed, per_kind=args.per_kind)
    work = scale.WORK_DIR / f"opensearch-n{args.n}"
    local = work / "local-index"
    scale.remove_index(local)
    report: dict = {"n": args.n, "seed": args.seed, "heap": args.heap, "machine": platform.machine(),
                    "cpus": os.cpu_count(), "load_before": load(), "date": dt.date.today().isoformat(),
                    "builds": {}, "queries": {}}
    report["builds"]["local"] = {**build(corpus, str(local)), "disk_mb": round(scale.disk_mb(local), 1)}
    print("local", report["builds"]["local"], file=sys.stderr, flush=True)
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")
    for size in [int(x) for x in args.nodes.split(",")]:
        os.environ["SEARCHKIT_OPENSEARCH_SHARDS"] = str(size)
        os.environ["SEARCHKIT_OPENSEARCH_REPLICAS"] = "1" if size > 1 else "0"
        cluster = Cluster(size, heap=args.heap).start()
        try:
            name = f"opensearch {size} node{'s' if size > 1 else ''}"
            where = f"{cluster.url}/bench"
            report["builds"][name] = {**build(corpus, where), "shards": size, "replicas": 1 if size > 1 else 0}
            stats = cluster.request("GET", "/bench/_stats/store,docs")["_all"]
            report["builds"][name]["store_mb_primaries"] = round(stats["primaries"]["store"]["size_in_bytes"] / 1e6, 1)
            report["builds"][name]["store_mb_total"] = round(stats["total"]["store"]["size_in_bytes"] / 1e6, 1)
            report["builds"][name]["corpus_mb"] = round(sum(p.stat().st_size for p in scale.article_paths(corpus)) / 1e6, 1)
            print(name, report["builds"][name], file=sys.stderr, flush=True)
            report["queries"][name] = measure({"local": str(local), name: where}, queries, args.repeats)
            print(json.dumps(report["queries"][name]["latency"], indent=1)[:3000], file=sys.stderr, flush=True)
        finally:
            cluster.stop()
    report["load_after"] = load()
    scale.RESULTS_DIR.mkdir(exist_ok=True)
    out = scale.RESULTS_DIR / f"opensearch-n{args.n}-{report['date']}.json"
    out.write_text(json.dumps(report, indent=1) + "\n")
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
