"""One very large article: indexing memory and time, and phrase queries with snippets.

A 1963 magazine scan came to 45 MB of text in one file: indexing it peaked at 1.27 GB with no
progress shown, and a phrase query took 311 s with snippets (0.5 s without) because snippet
building was quadratic in the article's length. This benchmark builds articles of 1, 5 and
45 MB (generated, deterministic: a 20,000-word vocabulary with the phrase "nuclear pact"
about every 2 KB) and for each measures, in fresh processes:

- indexing: wall time and peak RSS, against a baseline process that only reads and decodes
  the same file (the floor any indexer pays), and against the file's size;
- the phrase query ``"nuclear pact"``: time with snippets against the same query without
  snippets (their ratio should stay flat as the article grows: linear, not quadratic).

    python benchmarks/big_article.py [--sizes 1 5 45] [--label after]

Prints a table and writes benchmarks/results/big-article-<label>-<date>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "benchmarks" / "work" / "big-article"

INDEX_SCRIPT = r"""
import resource, sys, time
import searchkit
started = time.perf_counter()
searchkit.build_index(sys.argv[1], sys.argv[2], rebuild=True, max_bytes=1 << 30).close()
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

READ_SCRIPT = r"""
import resource, sys, time, unicodedata
started = time.perf_counter()
raw = open(sys.argv[1], "rb").read()
text = unicodedata.normalize("NFC", raw.decode("utf-8"))
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

QUERY_SCRIPT = r"""
import json, statistics, sys, time
import searchkit
ix = searchkit.open_index(sys.argv[1])
out = {}
for snippets in (False, True):
    times = []
    for _ in range(int(sys.argv[3])):
        started = time.perf_counter()
        results = ix.search(sys.argv[2], snippets=snippets)
        times.append(time.perf_counter() - started)
    assert results.total == 1, results.total
    out["with" if snippets else "without"] = statistics.median(times)
    if snippets:
        out["snippet"] = results.hits[0].snippet
print(json.dumps(out))
"""


def make_article(path: Path, megabytes: int, seed: int = 1963) -> None:
    rnd = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocab = ["".join(rnd.choice(letters) for _ in range(rnd.randint(3, 10))) for _ in range(20000)]
    target = megabytes * 1024 * 1024
    size = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write("Why the West is so eager\n\n")
        while size < target:
            words = rnd.choices(vocab, k=300)
            words.insert(rnd.randrange(300), "nuclear pact")
            words.insert(rnd.randrange(300), "nuclear")
            paragraph = " ".join(words) + ".\n\n"
            out.write(paragraph)
            size += len(paragraph)


def run(script: str, *args: str) -> str:
    # Run from the work folder: `python -c` puts the current folder first on sys.path, which
    # must not shadow the searchkit under test (PYTHONPATH picks another checkout).
    WORK.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=WORK,
                          env={**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", "")})
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    return done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 5, 45])
    parser.add_argument("--runs", type=int, default=3, help="query repetitions (median)")
    parser.add_argument("--label", default="run")
    args = parser.parse_args()
    import searchkit

    rows = []
    for mb in args.sizes:
        corpus = WORK / f"corpus-{mb}"
        corpus.mkdir(parents=True, exist_ok=True)
        article = corpus / "article.txt"
        if not article.exists():
            make_article(article, mb)
        file_mb = article.stat().st_size / 1_048_576
        corpus, article = corpus.resolve(), article.resolve()
        read_s, read_kb = map(float, run(READ_SCRIPT, str(article)).split())
        index_s, index_kb = map(float, run(INDEX_SCRIPT, str(corpus), str(WORK / f"index-{mb}")).split())
        query = json.loads(run(QUERY_SCRIPT, str(WORK / f"index-{mb}"), '"nuclear pact"', str(args.runs)))
        rows.append({
            "megabytes": round(file_mb, 1),
            "index_s": round(index_s, 2), "index_peak_rss_mb": round(index_kb / 1024, 1),
            "read_only_s": round(read_s, 3), "read_only_peak_rss_mb": round(read_kb / 1024, 1),
            "rss_over_file": round(index_kb / 1024 / file_mb, 2),
            "rss_over_read_only": round(index_kb / read_kb, 2),
            "query_without_snippets_s": round(query["without"], 3),
            "query_with_snippets_s": round(query["with"], 3),
            "snippets_over_no_snippets": round(query["with"] / query["without"], 2),
        })
        print(json.dumps(rows[-1]), flush=True)
    print()
    print(f"{'MB':>5} {'index s':>8} {'peak MB':>8} {'x file':>7} {'x read':>7} {'query s':>8} "
          f"{'+snip s':>8} {'snip x':>7}")
    for r in rows:
        print(f"{r['megabytes']:>5} {r['index_s']:>8} {r['index_peak_rss_mb']:>8} {r['rss_over_file']:>7} "
              f"{r['rss_over_read_only']:>7} {r['query_without_snippets_s']:>8} {r['query_with_snippets_s']:>8} "
              f"{r['snippets_over_no_snippets']:>7}")
    results = REPO / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    target = results / f"big-article-{args.label}-{dt.date.today().isoformat()}.json"
    tested = run("import searchkit, pathlib; print(pathlib.Path(searchkit.__file__).parent)")
    target.write_text(json.dumps({"label": args.label, "searchkit": searchkit.__version__,
                                  "searchkit_path": tested,
                                  "python": sys.version.split()[0], "date": time.strftime("%Y-%m-%d %H:%M"),
                                  "rows": rows}, indent=2) + "\n")
    print(f"\nwrote {target.relative_to(REPO)}")


if __name__ == "__main__":
    main()
