"""What issue 27's additions cost a search: counting the undated articles a date filter left
out (``Results.undated_excluded``) and resolving ``--outlet`` names by the outlet rule.

On the synthetic corpus of the scale benchmark (``corpusgen.py``, N articles), each query
kind runs with the addition and with it switched off (the same process, the same index,
alternating), and the medians are compared.

CLI: ``python benchmarks/filter_costs.py [--n 20000] [--repeats 7] [--json PATH]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent

QUERIES = ["china sanctions", "russia military", "satellite imagery", "pressure distribution", "boundary layer",
           "heat transfer", "drone parts", "supersonic flow"]


@contextmanager
def without_additions():
    """Searches as before issue 27: no undated count, outlet names taken as written."""
    from searchkit.engine.whoosh import search

    count, resolve = search._undated_left_out, search._resolved_outlets
    search._undated_left_out = lambda *args, **kwargs: 0
    search._resolved_outlets = lambda searcher, options: options
    try:
        yield
    finally:
        search._undated_left_out, search._resolved_outlets = count, resolve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    import numpy  # noqa: F401 - as a long-lived process (the shell, the web page) has it

    import corpusgen
    import searchkit

    with tempfile.TemporaryDirectory() as tmp:
        corpus, index = Path(tmp) / "corpus", Path(tmp) / "index"
        corpusgen.generate(corpus, args.n, seed=0)
        started = time.perf_counter()
        ix = searchkit.build_index(corpus, index)
        built = time.perf_counter() - started
        outlet = max(ix.stats().outlets.items(), key=lambda kv: kv[1])[0]
        kinds = {
            "2 words + since": dict(since=dt.date(2024, 1, 1)),
            "2 words + since + until": dict(since=dt.date(2023, 6, 1), until=dt.date(2024, 6, 30)),
            "2 words + outlet (typed in lower case)": dict(outlet=outlet.lower()),
            "2 words, no filter": {},
        }
        rows = {}
        for kind, filters in kinds.items():
            times: dict[str, list[float]] = {"with": [], "without": []}
            for _ in range(args.repeats):
                for mode in ("with", "without"):
                    given = dict(filters)
                    if mode == "without" and "outlet" in given:
                        given["outlet"] = outlet  # before, only the exact name found anything
                    for query in QUERIES:
                        with without_additions() if mode == "without" else _nothing():
                            t0 = time.perf_counter()
                            ix.search(query, **given)
                            times[mode].append(time.perf_counter() - t0)
            with_ms, without_ms = (statistics.median(times[m]) * 1000 for m in ("with", "without"))
            rows[kind] = {"with_ms_p50": round(with_ms, 2), "without_ms_p50": round(without_ms, 2),
                          "ratio": round(with_ms / without_ms, 3)}
            print(f"{kind:42} {with_ms:7.2f} ms  {without_ms:7.2f} ms  x{with_ms / without_ms:.2f}")
        undated = ix.search("china sanctions", since=dt.date(2024, 1, 1)).undated_excluded
        ix.close()
    result = {"n": args.n, "repeats": args.repeats, "queries": QUERIES, "build_s": round(built, 1),
              "load_average": os.getloadavg(), "example_undated_excluded": undated, "kinds": rows}
    target = args.json or BENCH_DIR / "results" / f"filter-costs-n{args.n}-{dt.date.today().isoformat()}.json"
    target.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target}")
    return 0


@contextmanager
def _nothing():
    yield


if __name__ == "__main__":
    raise SystemExit(main())
