"""CPU time per search of two checkouts of searchkit on the same index, alternated: a
sanity check that a change of the search code costs nothing, robust to a loaded machine
(process CPU time, not wall time; each checkout in its own processes, taken in turns).

    python benchmarks/search_cpu_ab.py --index benchmarks/work/scale-n20000-s0/idx-searchkit-j1 \\
        --queries benchmarks/results/scale-n20000-....json --a /path/to/old/checkout --rounds 3

``--a`` and ``--b`` are checkouts (``git worktree add DIR REV``; ``--b`` defaults to this
one); the queries are the ``query_set`` of a ``scale.py`` JSON (its date-filtered and facet
kinds left out). In a long-lived process with numpy imported, each query kind is searched 5
times per query, with and without snippets, on the numpy path and on the set path (through
``dense.disabled()``, which every release has). Prints the median CPU ms of each checkout
per kind and path, their ratio and its geometric mean; ``--json`` writes them.

``--cold`` forgets the terms each segment reader keeps between searches before every
search (the file stays open and in the page cache): the cost of reading a word's postings
the first time, which a warm run hides.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child(index: str, queries_json: str, cold: bool = False) -> dict[str, float]:
    """One process's measurements (run with the checkout first on sys.path)."""
    import contextlib
    import time

    import numpy  # noqa: F401  - a long-lived process that already took the numpy path

    import searchkit
    from searchkit.engine.whoosh import dense, internals

    sets = json.loads(Path(queries_json).read_text())["query_set"]
    queries = {kind: [q for q in texts if "[" not in q and "+facets" not in q] for kind, texts in sets.items()}
    queries = {kind: texts for kind, texts in queries.items() if texts}
    ix = searchkit.open_index(index)

    def forget() -> None:
        if cold:
            searcher = ix._reader.searcher  # type: ignore[attr-defined]
            for leaf, _ in searcher.leaf_searchers():
                internals.object_cache(leaf.reader(), "terms").clear()

    out = {}
    for path, context in (("numpy", contextlib.nullcontext), ("sets", dense.disabled)):
        for kind, texts in queries.items():
            for snippets in (False, True):
                with context():
                    for text in texts:  # warm
                        ix.search(text, snippets=snippets, collapse=False)
                    times = []
                    for _ in range(5):
                        for text in texts:
                            forget()
                            started = time.process_time()
                            ix.search(text, snippets=snippets, collapse=False)
                            times.append(time.process_time() - started)
                out[f"{path} | {kind} | {'snippets' if snippets else 'no snippets'}"] = statistics.median(times) * 1000
    ix.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--queries", required=True, help="a scale.py JSON (its query_set)")
    parser.add_argument("--a", required=True, type=Path, help="the checkout to compare with")
    parser.add_argument("--b", type=Path, default=HERE.parent, help="the checkout measured (default: this one)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--cold", action="store_true", help="forget the kept terms before every search")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.index, args.queries, args.cold)))
        return 0
    runs: dict[str, list[dict[str, float]]] = {"a": [], "b": []}
    loads = [os.getloadavg()]
    for _ in range(args.rounds):
        for side in ("a", "b"):
            checkout = getattr(args, side).resolve()
            done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child",
                                   "--index", str(Path(args.index).resolve()),
                                   "--queries", str(Path(args.queries).resolve()), "--a", str(checkout),
                                   *(["--cold"] if args.cold else [])],
                                  env={**os.environ, "PYTHONPATH": str(checkout)}, cwd=checkout,
                                  capture_output=True, text=True)
            if done.returncode:
                sys.exit(f"{checkout}: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}")
            runs[side].append(json.loads(done.stdout))
        loads.append(os.getloadavg())
    rows = {}
    for key in runs["a"][0]:
        a = statistics.median(r[key] for r in runs["a"])
        b = statistics.median(r[key] for r in runs["b"])
        rows[key] = {"a_ms": round(a, 3), "b_ms": round(b, 3), "b_over_a": round(b / a, 3)}
        print(f"{key:<44}{a:8.2f}{b:8.2f}{b / a:7.2f}")
    geomean = statistics.geometric_mean(row["b_over_a"] for row in rows.values())
    print(f"geometric mean b/a: {geomean:.3f}")
    if args.json:
        args.json.write_text(json.dumps({"a": str(args.a), "b": str(args.b), "rounds": args.rounds, "cold": args.cold,
                                         "load_averages": loads, "rows": rows, "geomean_b_over_a": geomean},
                                        indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
