"""What collapsing copies of one story costs a search, and what it gives.

Builds (once) an index of the synthetic syndication corpus (benchmarks/storygen.py; stories
are computed with the index), then runs the same queries with and without collapsing,
interleaved, and reports the median and p95 latency of each, their ratio, and how many
distinct stories the first page shows each way. Run: ``make bench-collapse`` (N articles,
default 20000). Writes benchmarks/results/collapse-nN-DATE.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

import searchkit  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000, help="articles (default 20000)")
    parser.add_argument("--queries", type=int, default=60, help="queries (default 60)")
    parser.add_argument("--repeats", type=int, default=3, help="passes over the queries (default 3)")
    parser.add_argument("--corpus", choices=("syndicated", "scale"), default="syndicated",
                        help="syndicated: storygen's copies of stories (default); scale: scale.py's corpus, "
                             "where almost nothing folds (its index from a scale.py run)")
    parser.add_argument("--json", type=Path, help="where to write the JSON (default benchmarks/results/...)")
    args = parser.parse_args()
    rng = random.Random(0)
    if args.corpus == "scale":
        import scale

        index = HERE / "work" / f"scale-n{args.n}-s0" / "idx-searchkit-j1"
        if not (index / "searchkit.json").exists():
            raise SystemExit(f"{index} is missing: run benchmarks/scale.py --n {args.n} first")
        started = time.perf_counter()
        ix = searchkit.open_index(index)
        found = scale.make_queries(scale.corpus_for(args.n, 0), 0)
        texts = [q.text for q in found if q.kind in ("1 word (common)", "2 words", "3 words")]
        queries = [rng.choice(texts) for _ in range(args.queries)]
    else:
        work = HERE / "work" / f"collapse-n{args.n}"
        corpus = work / "corpus"
        if not (work / "corpus.done").exists():
            subprocess.run([sys.executable, str(HERE / "storygen.py"), str(args.n), str(work)], check=True)
            (work / "corpus.done").touch()
        started = time.perf_counter()
        ix = searchkit.build_index(corpus, work / "index")
    build_s = time.perf_counter() - started
    stories = ix.stories()
    if args.corpus == "syndicated":
        titles = [s.title for s in stories if s.title] or ["report"]
        words = [w for t in titles for w in re.findall(r"[A-Za-z]{5,}", t)]
        queries = [" ".join(rng.sample(words, 2)) for _ in range(args.queries)]
    for query in queries:  # warm both (the first search of a word reads its postings from disk)
        ix.search(query, limit=10)
        ix.search(query, limit=10, collapse=True)
    numpy_path = "numpy" in sys.modules  # which path the searches take (see search.match_sets)
    timings: dict[str, list[float]] = {"flat": [], "collapsed": []}
    cpu: dict[str, list[float]] = {"flat": [], "collapsed": []}  # the process's CPU time: wall time grows with the load
    distinct: dict[str, list[int]] = {"flat": [], "collapsed": []}
    for _ in range(args.repeats):
        for query in queries:
            for mode in ("flat", "collapsed") if rng.random() < 0.5 else ("collapsed", "flat"):
                c0, t0 = time.process_time(), time.perf_counter()
                results = ix.search(query, limit=10, collapse=mode == "collapsed")
                timings[mode].append((time.perf_counter() - t0) * 1000)
                cpu[mode].append((time.process_time() - c0) * 1000)
                distinct[mode].append(len({h.story or h.doc_id for h in results.hits}))
    ix.close()

    def p95(values: list[float]) -> float:
        return sorted(values)[int(0.95 * (len(values) - 1))]

    report = {
        "n": args.n, "corpus": args.corpus, "stories": len(stories), "load_average": os.getloadavg(),
        "numpy_path": numpy_path, "queries": len(queries), "repeats": args.repeats,
        "build_s": round(build_s, 1), "date": dt.date.today().isoformat(),
        "p50_ms": {m: round(statistics.median(v), 2) for m, v in timings.items()},
        "p95_ms": {m: round(p95(v), 2) for m, v in timings.items()},
        "cpu_p50_ms": {m: round(statistics.median(v), 3) for m, v in cpu.items()},
        "cpu_p95_ms": {m: round(p95(v), 3) for m, v in cpu.items()},
        "distinct_stories_top10_mean": {m: round(statistics.mean(v), 2) for m, v in distinct.items()},
    }
    report["p50_ratio"] = round(report["p50_ms"]["collapsed"] / report["p50_ms"]["flat"], 3)
    report["cpu_p50_ratio"] = round(report["cpu_p50_ms"]["collapsed"] / report["cpu_p50_ms"]["flat"], 3)
    report["searchkit"] = str(Path(searchkit.__file__).parent)
    print(json.dumps(report, indent=1))
    out = args.json or HERE / "results" / f"collapse-n{args.n}-{report['date']}.json"
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
