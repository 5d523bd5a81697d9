"""One-shot `searchkit query` processes of two checkouts, interleaved: A/B of a change.

    python benchmarks/oneshot_ab.py --a OLD_CHECKOUT OLD_INDEX --b NEW_CHECKOUT NEW_INDEX \\
        [--runs 15] [--json out.json] QUERY...

Each checkout runs as ``python -m searchkit query QUERY --index INDEX --no-update`` from its own
directory (so that its own package is imported), in turn with the other and with
``python -c pass``, for ``--runs`` rounds; prints median milliseconds and the ratio b / a. Use it
when an index format changes: each checkout on an index it wrote (``git worktree add`` for the
old one; build its index from that directory).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--a", nargs=2, metavar=("CHECKOUT", "INDEX"), required=True)
    parser.add_argument("--b", nargs=2, metavar=("CHECKOUT", "INDEX"), required=True)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", type=Path)
    parser.add_argument("queries", nargs="+")
    args = parser.parse_args()
    sides = {"a": args.a, "b": args.b}
    report: dict = {"date": dt.datetime.now().isoformat(timespec="seconds"), "load_average_at_start": os.getloadavg(),
                    "a": args.a, "b": args.b, "runs": args.runs, "queries": {}}
    for query in args.queries:
        times: dict[str, list[float]] = {"a": [], "b": [], "python -c pass": []}
        for _ in range(args.runs):
            for name, (checkout, index) in sides.items():
                started = time.perf_counter()
                subprocess.run([sys.executable, "-m", "searchkit", "query", query, "--index", index, "--no-update"],
                               cwd=checkout, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
                times[name].append(time.perf_counter() - started)
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            times["python -c pass"].append(time.perf_counter() - started)
        medians = {name: round(statistics.median(v) * 1000, 1) for name, v in times.items()}
        medians["b / a"] = round(medians["b"] / medians["a"], 3)
        report["queries"][query] = medians
        print(f"{query:30s} a {medians['a']:7.1f} ms  b {medians['b']:7.1f} ms  b/a {medians['b / a']:.2f}  "
              f"(python -c pass {medians['python -c pass']:.1f} ms)")
    report["load_average_at_end"] = os.getloadavg()
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
