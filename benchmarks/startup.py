"""One-shot query start-up: `searchkit query` as a whole process against a minimal script.

The baseline is the least a Python program can do to answer the same question with Whoosh:
open the same index, parse the same words, search, and highlight the top 10. Both run as fresh
processes, interleaved, many times; we report medians and the ratio (goal: at most 1.15).

    python benchmarks/startup.py [--corpus seeds] [--query nitrocellulose] [--runs 40]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

MINIMAL_SCRIPT = r"""
import sys
from whoosh import index, highlight
from whoosh.qparser import MultifieldParser, OrGroup
ix = index.open_dir(sys.argv[1], indexname=sys.argv[2])
with ix.searcher() as s:
    q = MultifieldParser(["title", "body"], ix.schema, group=OrGroup).parse(sys.argv[3])
    results = s.search(q, limit=10, terms=True)
    results.fragmenter = highlight.PinpointFragmenter(maxchars=200, surround=80, autotrim=True)
    for hit in results:
        print(hit["doc_id"], hit.highlights("body", top=2))
"""


def _time_process(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"{cmd[:3]} failed: {done.stderr.strip()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / "seeds")
    parser.add_argument("--query", default="nitrocellulose")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    import searchkit

    work = Path(tempfile.mkdtemp(prefix="sk-startup-"))
    index_dir = work / "index"
    searchkit.build_index(args.corpus, index_dir).close()
    generation = json.loads((index_dir / "searchkit.json").read_text())["generation"]
    script = work / "minimal.py"
    script.write_text(MINIMAL_SCRIPT)

    # Users' Pythons cache bytecode; a sandbox that forbids it would time compilation instead.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SEARCHKIT_") and k != "PYTHONDONTWRITEBYTECODE"}
    searchkit_cmd = [sys.executable, "-m", "searchkit", "query", args.query, "--index", str(index_dir)]
    console_script = Path(sys.executable).with_name("searchkit")
    if console_script.exists():
        searchkit_cmd = [str(console_script), "query", args.query, "--index", str(index_dir)]
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "minimal whoosh script": [sys.executable, str(script), str(index_dir), generation, args.query],
        "searchkit query": searchkit_cmd,
    }
    for cmd in commands.values():  # warm the page cache and .pyc files
        _time_process(cmd, env)
    timings: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            timings[name].append(_time_process(cmd, env))

    medians = {name: statistics.median(values) * 1000 for name, values in timings.items()}
    ratio = medians["searchkit query"] / medians["minimal whoosh script"]
    print(f"one-shot query {args.query!r} on {args.corpus} ({args.runs} interleaved runs, {os.cpu_count()} cores)")
    for name, ms in medians.items():
        low, high = (sorted(timings[name])[len(timings[name]) // 10] * 1000,
                     sorted(timings[name])[-(len(timings[name]) // 10) - 1] * 1000)
        print(f"  {name:<24} median {ms:7.1f} ms   (p10 {low:.1f}, p90 {high:.1f})")
    print(f"  ratio searchkit / minimal: {ratio:.2f}  (goal <= 1.15)")
    if args.json:
        args.json.write_text(json.dumps({"medians_ms": medians, "ratio": ratio, "runs": args.runs,
                                         "cores": os.cpu_count(), "query": args.query}, indent=1))


if __name__ == "__main__":
    main()
