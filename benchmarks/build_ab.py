"""Full builds of two checkouts against Whoosh used plainly, interleaved: A/B of a build change.

    python benchmarks/build_ab.py --n 20000 --a OLD_CHECKOUT --b NEW_CHECKOUT [--repeats 2]

Each round builds, in turn, Whoosh used plainly (the 1x baseline of `scale.py`) and each
checkout's ``searchkit index CORPUS --index DIR --rebuild -q`` (``python -m searchkit`` with the
checkout first on the path, so that its own package runs), each in a fresh process, on the
corpus of N articles `scale.py` uses (benchmarks/work/, generated once). Per build: seconds, the
peak RSS of the largest process (wait4) and of the whole process tree (sampled every 20 ms:
a build's worker or stories process counts), the 1-minute load before and after; then the
medians, and each checkout's speed as a ratio to Whoosh's in the same round (on a shared
machine only ratios from one round mean much). Writes benchmarks/results/build-ab-n<N>-<date>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from scale import REPO, RESULTS_DIR, WORK_DIR, child_cmd, corpus_for, remove_index, run_process


def _commit(checkout: Path) -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                          cwd=checkout).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--a", type=Path, required=True, help="the checkout before the change")
    parser.add_argument("--b", type=Path, default=REPO, help="the checkout after it (default: this one)")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    corpus = corpus_for(args.n, 0)
    work = WORK_DIR / f"build-ab-n{args.n}"
    work.mkdir(parents=True, exist_ok=True)
    builds = {
        "whoosh plain": (lambda i: child_cmd("whoosh-build", str(corpus), str(i)), REPO),
        "a": (lambda i: [sys.executable, "-m", "searchkit", "index", str(corpus), "--index", str(i), "--rebuild", "-q"],
              args.a.resolve()),
        "b": (lambda i: [sys.executable, "-m", "searchkit", "index", str(corpus), "--index", str(i), "--rebuild", "-q"],
              args.b.resolve()),
    }
    rounds: list[dict] = []
    for r in range(args.repeats):
        names = list(builds)
        names = names[r % len(names):] + names[:r % len(names)]
        one: dict = {}
        for name in names:
            command, checkout = builds[name]
            index = work / f"idx-{name.replace(' ', '-')}"
            remove_index(index)
            load = os.getloadavg()[0]
            run = run_process(command(index), cwd=checkout, checkout=checkout)
            one[name] = {"seconds": round(run.seconds, 2), "peak_rss_mb": round(run.max_rss_mb),
                         "peak_tree_rss_mb": round(run.tree_rss_mb), "load_before": round(load, 2),
                         "load_after": round(os.getloadavg()[0], 2)}
            print(f"round {r}: {name:<13} {run.seconds:7.1f} s  rss {run.max_rss_mb:5.0f}/{run.tree_rss_mb:5.0f} MB"
                  f"  load {load:.1f}", file=sys.stderr, flush=True)
        for name in ("a", "b"):
            one[name]["x_whoosh"] = round(one["whoosh plain"]["seconds"] / one[name]["seconds"], 3)
        rounds.append(one)
    summary = {name: {"median_seconds": statistics.median(r[name]["seconds"] for r in rounds),
                      "median_peak_rss_mb": statistics.median(r[name]["peak_rss_mb"] for r in rounds),
                      "median_peak_tree_rss_mb": statistics.median(r[name]["peak_tree_rss_mb"] for r in rounds)}
               for name in builds}
    for name in ("a", "b"):
        summary[name]["median_x_whoosh"] = statistics.median(r[name]["x_whoosh"] for r in rounds)
    report = {"n": args.n, "date": dt.datetime.now().isoformat(timespec="seconds"), "cores": os.cpu_count(),
              "a": {"checkout": str(args.a), "commit": _commit(args.a)},
              "b": {"checkout": str(args.b), "commit": _commit(args.b)},
              "rounds": rounds, "summary": summary}
    out = args.json or RESULTS_DIR / f"build-ab-n{args.n}-{dt.date.today().isoformat()}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1) + "\n")
    for name, s in summary.items():
        ratio = f"  {s['median_x_whoosh']:.2f}x Whoosh" if "median_x_whoosh" in s else ""
        print(f"{name:<13} {s['median_seconds']:7.1f} s  rss {s['median_peak_rss_mb']:.0f}/"
              f"{s['median_peak_tree_rss_mb']:.0f} MB{ratio}")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
