"""Did-you-mean on a set of misspellings: what it suggests, how often that is the word meant,
and what a search that ends in a suggestion costs; two versions of searchkit compared.

Run from the repository root::

    python benchmarks/spelling.py --baseline /path/to/older/checkout [--n-words 150]

For each collection (Cranfield, CACM, CISI, Medline from ``benchmarks/data``, the saved news
pages of ``benchmarks/data/news-html-dev``, and the synthetic corpus of ``scale.py`` when its
index exists under ``benchmarks/work``), in one run:

1. an index is built (once, under ``benchmarks/work/spelling/``) with ``searchkit.build_index``;
2. a set of queries is drawn from the collection's own text, seeded: words (half drawn by
   occurrence, as people type common words, half by distinct word), each misspelt by one
   random edit (a letter dropped, doubled, inserted, replaced by a keyboard neighbour, two
   letters swapped; words of 7 letters or more get a second edit 30% of the time); two-word
   phrases from the running text with one word misspelt; and correctly spelt words found in
   one article only (a suggestion there is a false alarm);
3. every query goes through ``Index.search(q, limit=10)`` (snippets on, the user's path) of
   this checkout and, in a child process, of the ``--baseline`` checkout; the suggestion and
   the time of each are recorded.

Reported per collection and overall: how many suggestions agree, how often each version
suggests exactly the word meant and a word with the same stem (the index's own term), false
alarms on correct words, and the median / p95 search time of queries that end in a
suggestion. Writes JSON under ``benchmarks/results/``. Medline and the news pages are the
collections kept unseen while the method was chosen (``--unseen``): they are reported apart.
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
REPO = HERE.parent
WORK = HERE / "work" / "spelling"
DATA = HERE / "data"

_WORD = re.compile(r"[A-Za-z][a-z]+")
_KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
UNSEEN = ("medline", "news")


def _neighbours() -> dict[str, str]:
    rows = _KEYBOARD
    out: dict[str, str] = {}
    for r, row in enumerate(rows):
        for c, ch in enumerate(row):
            near = [row[c - 1]] if c else []
            near += [row[c + 1]] if c + 1 < len(row) else []
            for other in (r - 1, r + 1):
                if 0 <= other < len(rows):
                    near += [rows[other][k] for k in (c - 1, c, c + 1) if 0 <= k < len(rows[other])]
            out[ch] = "".join(near)
    return out


NEAR = _neighbours()


def misspell(word: str, rng: random.Random) -> str:
    """``word`` with one random typing error (the first letter is kept, as people rarely get
    it wrong and as the suggester assumes)."""
    for _ in range(20):
        i = rng.randrange(1, len(word))
        kind = rng.choice(("drop", "double", "insert", "replace", "swap"))
        if kind == "drop":
            out = word[:i] + word[i + 1:]
        elif kind == "double":
            out = word[:i] + word[i] + word[i:]
        elif kind == "insert":
            out = word[:i] + rng.choice(NEAR.get(word[i].lower(), "e") or "e") + word[i:]
        elif kind == "replace":
            out = word[:i] + rng.choice(NEAR.get(word[i].lower(), "e") or "e") + word[i + 1:]
        else:
            if i + 1 >= len(word) or word[i] == word[i + 1]:
                continue
            out = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        if out != word:
            return out
    return word + "x"


# --------------------------------------------------------------------------------------------
# Collections


def collections() -> dict[str, tuple[Path, list[str]]]:
    """name -> (corpus folder, the texts queries are drawn from)."""
    import relevance  # this script's folder is first on sys.path

    out: dict[str, tuple[Path, list[str]]] = {}
    for bench in relevance.load_all(DATA, "cleverdon", ["cranfield", "cacm", "cisi", "medline"]):
        folder = relevance.write_corpus(bench.docs, WORK / f"{bench.name.lower()}-corpus")
        out[bench.name.lower()] = (folder, [text for _, text in bench.docs])
    pages = DATA / "news-html-dev" / "pages"
    if pages.is_dir():
        out["news"] = (pages, [])
    synthetic = HERE / "work" / "corpus-n20000-s0"
    if (HERE / "work" / "scale-n20000-s0" / "idx-searchkit-j1" / "searchkit.json").exists():
        out["synthetic-20k"] = (synthetic, [])  # scale.py's index of it is used
    return out


def index_of(name: str, corpus: Path) -> Path:
    import searchkit

    index = WORK / f"{name}-index"
    if name == "synthetic-20k":
        return HERE / "work" / "scale-n20000-s0" / "idx-searchkit-j1"
    if not (index / "searchkit.json").exists():
        searchkit.build_index(corpus, index).close()
    return index


def texts_of(ix, texts: list[str], rng: random.Random, limit: int = 3000) -> list[str]:
    """The collection's texts, or those of ``limit`` random articles of the index."""
    if texts:
        return texts
    ids = ix.doc_ids()
    return [ix.document(doc_id, paths=False).text for doc_id in rng.sample(ids, min(limit, len(ids)))]


def query_set(ix, texts: list[str], seed: int, n_words: int) -> list[dict]:
    rng = random.Random(seed)
    texts = texts_of(ix, texts, rng)
    tokens = [w for t in texts for w in _WORD.findall(t) if len(w) >= 4 and w.isalpha()]
    lower = [w.lower() for w in tokens]
    df: dict[str, int] = {}
    for t in texts:
        for w in {w.lower() for w in _WORD.findall(t)}:
            df[w] = df.get(w, 0) + 1
    types = sorted({w for w in lower if df.get(w, 0) >= 2})
    queries: list[dict] = []
    for i in range(n_words):
        word = rng.choice(lower) if i % 2 == 0 else rng.choice(types)
        queries.append({"kind": "word", "query": misspell(word, rng), "meant": word})
    for _ in range(n_words // 3):
        text = rng.choice(texts)
        words = [w.lower() for w in re.findall(r"[A-Za-z]+", text)]
        pairs = [(a, b) for a, b in zip(words, words[1:]) if len(a) >= 4 and len(b) >= 4]
        if not pairs:
            continue
        a, b = rng.choice(pairs)
        if rng.random() < 0.5:
            queries.append({"kind": "phrase", "query": f'"{misspell(a, rng)} {b}"', "meant": f'"{a} {b}"'})
        else:
            queries.append({"kind": "phrase", "query": f'"{a} {misspell(b, rng)}"', "meant": f'"{a} {b}"'})
    once = sorted(w for w, n in df.items() if n == 1 and len(w) >= 5 and w.isalpha())
    for word in rng.sample(once, min(len(once), n_words // 3)):
        queries.append({"kind": "correct", "query": word, "meant": word})
    return queries


# --------------------------------------------------------------------------------------------
# Running one checkout


def run(names: list[str], seed: int, n_words: int) -> dict:
    import searchkit

    found = collections()
    out: dict = {}
    for name in names:
        if name not in found:
            continue
        corpus, texts = found[name]
        ix = searchkit.open_index(index_of(name, corpus))
        try:
            queries = query_set(ix, texts, seed, n_words)
            for q in queries:  # warm: the first search of a word reads its postings from disk
                ix.search(q["query"], limit=10)
            rows = []
            for q in queries:
                started = time.perf_counter()
                results = ix.search(q["query"], limit=10)
                elapsed = (time.perf_counter() - started) * 1000
                rows.append({**q, "suggestion": results.suggestion, "total": results.total, "ms": round(elapsed, 3)})
            out[name] = rows
        finally:
            ix.close()
    return out


# --------------------------------------------------------------------------------------------
# Comparing


def _stem_of(word: str) -> str:
    from searchkit.engine.whoosh.analysis import stem

    return " ".join(stem(w) for w in re.findall(r"\w+", word.lower()))


def score(rows: list[dict]) -> dict:
    typos = [r for r in rows if r["kind"] != "correct"]
    correct = [r for r in rows if r["kind"] == "correct"]
    exact = sum(1 for r in typos if r["suggestion"] and r["suggestion"].lower() == r["meant"])
    same_stem = sum(1 for r in typos if r["suggestion"] and _stem_of(r["suggestion"]) == _stem_of(r["meant"]))
    suggested = [r["ms"] for r in rows if r["suggestion"]]
    return {
        "misspellings": len(typos),
        "suggested": sum(1 for r in typos if r["suggestion"]),
        "exact_word": exact,
        "same_stem": same_stem,
        "correct_words": len(correct),
        "false_alarms": sum(1 for r in correct if r["suggestion"]),
        "ms_p50_all": round(statistics.median(r["ms"] for r in rows), 3) if rows else None,
        "ms_p50_suggested": round(statistics.median(suggested), 3) if suggested else None,
        "ms_p95_suggested": round(sorted(suggested)[int(0.95 * (len(suggested) - 1))], 3) if suggested else None,
    }


def compare(before: dict, after: dict) -> dict:
    report: dict = {}
    for name in after:
        if name not in before:
            continue
        pairs = list(zip(before[name], after[name]))
        assert all(b["query"] == a["query"] for b, a in pairs), "the query sets differ"
        differ = [{"query": a["query"], "meant": a["meant"], "before": b["suggestion"], "after": a["suggestion"]}
                  for b, a in pairs if b["suggestion"] != a["suggestion"]]
        report[name] = {"queries": len(pairs), "same_suggestion": len(pairs) - len(differ),
                        "before": score(before[name]), "after": score(after[name]), "differ": differ}
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="a checkout of searchkit to compare with (run in a child)")
    parser.add_argument("--collections", default="cranfield,cacm,cisi,medline,news,synthetic-20k")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-words", type=int, default=150)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    names = [n for n in args.collections.split(",") if n]
    if args.child:  # run by the parent with another checkout first on sys.path
        args.child.write_text(json.dumps(run(names, args.seed, args.n_words)))
        return 0
    WORK.mkdir(parents=True, exist_ok=True)
    collections()  # write the corpora once, before either checkout reads them
    before = None
    if args.baseline:
        child_out = WORK / "baseline.json"
        env = {**os.environ, "PYTHONPATH": str(args.baseline.resolve())}
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", str(child_out),
                        "--collections", ",".join(names), "--seed", str(args.seed), "--n-words", str(args.n_words)],
                       check=True, env=env, cwd=args.baseline)
        before = json.loads(child_out.read_text())
    after = run(names, args.seed, args.n_words)
    report: dict = {"date": dt.datetime.now().isoformat(timespec="seconds"), "load_average": os.getloadavg(),
                    "seed": args.seed, "n_words": args.n_words, "unseen": list(UNSEEN)}
    if before is not None:
        report["baseline"] = str(args.baseline)
        report["collections"] = compare(before, after)
        for name, r in report["collections"].items():
            b, a = r["before"], r["after"]
            print(f"{name:14} same {r['same_suggestion']:4}/{r['queries']:<4} exact {b['exact_word']:4} -> "
                  f"{a['exact_word']:<4} stem {b['same_stem']:4} -> {a['same_stem']:<4} false "
                  f"{b['false_alarms']:3} -> {a['false_alarms']:<3} ms p50 {b['ms_p50_suggested']} -> "
                  f"{a['ms_p50_suggested']}  p95 {b['ms_p95_suggested']} -> {a['ms_p95_suggested']}")
    else:
        report["collections"] = {name: score(rows) for name, rows in after.items()}
        print(json.dumps(report["collections"], indent=1))
    out = args.json or HERE / "results" / f"spelling-{dt.date.today().isoformat()}.json"
    out.write_text(json.dumps(report, indent=1) + "\n")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
