"""The two query paths against each other, by how many postings a search reads: the evidence
for ``search.LONG_LIVED_SET_BUDGET`` (where a long-lived process leaves the set path).

Run ``python benchmarks/query_paths.py --n 20000`` from the repository root after
``benchmarks/scale.py --n 20000`` has built its index (``benchmarks/work/scale-n20000-s0``),
or give ``--index``. In one long-lived process (numpy imported, as the web page's would be
after its first costly search), for words of the index's body chosen by document frequency
from a few postings to most of the index, each searched as one word and as a two-word
query, top 10 without and with snippets: p50 of the CPU time (``time.process_time``: a
loaded machine's waits left out) of ``--repeats`` runs on ``path="sets"`` and
``path="numpy"``, interleaved, and their ratio, against the set path's cost in word
postings (``search._set_path_cost``). Writes JSON under ``benchmarks/results/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: Document frequencies the words are chosen near (a share of the index for the last ones).
BANDS = (5, 20, 60, 150, 400, 1000, 2500, 6000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20000, help="the scale.py index to use (default 20000)")
    parser.add_argument("--index", type=Path, help="another index folder")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    index = args.index or HERE / "work" / f"scale-n{args.n}-s0" / "idx-searchkit-j1"

    import numpy  # noqa: F401  - a long-lived process that already took the numpy path once

    import searchkit
    from searchkit.engine.whoosh import search

    ix = searchkit.open_index(index)
    words = ix._read(lambda r: _words_by_band(r.searcher))
    rows = []
    for df, word, other in words:
        for text in (word, f"{word} {other}"):
            cost = ix._read(lambda r: search._set_path_cost(r.searcher, [search.parse_query(text)]))
            for snippets in (False, True):
                times: dict[str, list[float]] = {"sets": [], "numpy": []}
                for rep in range(args.repeats + 1):  # the first pass warms caches
                    for path in (("sets", "numpy") if rep % 2 else ("numpy", "sets")):
                        started = time.process_time()
                        results = ix.search(text, path=path, snippets=snippets, collapse=False)
                        if rep:
                            times[path].append((time.process_time() - started) * 1000)
                sets_ms, numpy_ms = statistics.median(times["sets"]), statistics.median(times["numpy"])
                rows.append({"query": text, "df": df, "set_path_cost": cost, "snippets": snippets,
                             "total": results.total, "sets_p50_ms": round(sets_ms, 3),
                             "numpy_p50_ms": round(numpy_ms, 3), "sets_over_numpy": round(sets_ms / numpy_ms, 2)})
                print(f"{text!r:>32} cost {cost:>9,.0f}  snippets {snippets!s:<5}  sets {sets_ms:7.2f} ms  "
                      f"numpy {numpy_ms:7.2f} ms  sets/numpy {sets_ms / numpy_ms:5.2f}", flush=True)
    ix.close()
    report = {"index": str(index), "repeats": args.repeats, "date": dt.datetime.now().isoformat(timespec="seconds"),
              "load_average": os.getloadavg(), "long_lived_set_budget": search.LONG_LIVED_SET_BUDGET, "rows": rows}
    out = args.json or HERE / "results" / f"query-paths-n{args.n}-{dt.date.today().isoformat()}.json"
    out.write_text(json.dumps(report, indent=1) + "\n")
    print(f"wrote {out}", file=sys.stderr)
    return 0


def _words_by_band(searcher) -> list[tuple[int, str, str]]:
    """(document frequency, word, a second word of about the same frequency) near each band."""
    reader = searcher.reader()
    found: dict[int, list[tuple[int, str]]] = {band: [] for band in BANDS}
    for term, info in reader.iter_field("body"):
        word = term.decode("utf-8") if isinstance(term, bytes) else term
        if not word.isalpha() or "|" in word:
            continue
        df = info.doc_frequency()
        for band in BANDS:
            if band * 0.8 <= df <= band * 1.25 and len(found[band]) < 2:
                found[band].append((df, word))
    return [(pair[0][0], pair[0][1], pair[1][1]) for pair in found.values() if len(pair) == 2]


if __name__ == "__main__":
    sys.exit(main())
