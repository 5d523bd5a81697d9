"""Ranking quality on the Cranfield collection: searchkit against the engines people would use.

Run ``python benchmarks/relevance.py`` (or ``make bench-relevance``) from the repository root,
with the ``bench`` extra installed (``pip install -e .[bench]``).

What it does, in one run:

1. writes the 1400 Cranfield documents as a folder of ``.txt`` files (title line, blank line,
   text) under ``benchmarks/work/cranfield-corpus/`` (git-ignored). The collection's ``.W``
   text starts with the title again; that copy is cut, so each file holds the title once,
   exactly the words of ``.W``;
2. indexes that folder with ``searchkit.build_index`` and runs each of the 225 queries through
   ``Index.search(text, limit=100, plain=True, snippets=False)``, the path a user takes (and
   again with each option in :data:`SEARCHKIT_VARIANTS` this searchkit accepts, e.g.
   ``expand=True``);
3. runs the same queries over the same file texts with the peers: SQLite FTS5 (``porter
   unicode61`` tokenizer, ``bm25()``, the query's words OR-ed, each quoted), bm25s (PyStemmer
   English stemmer, its English stop words, Lucene BM25 k1=1.5 b=0.75) and Whoosh used
   plainly (StemmingAnalyzer, default BM25F, ``QueryParser`` with ``OrGroup``);
4. evaluates MAP, nDCG@10, P@10 and Recall@100 with ir-measures (trec_eval underneath), and
   lists per-query wins and losses (nDCG@10) of searchkit against the best peer.

Relevance grades. Cleverdon graded 1 (complete answer) .. 4 (minimum interest); -1 marks a
judged document of no interest. nDCG uses gain = 5 - grade (1 -> 4, 2 -> 3, 3 -> 2, 4 -> 1,
-1 -> 0); MAP, P@10 and R@100 count every graded document (1..4) as relevant (trec_eval's
relevance level 1). ``--gains`` switches to other conventions found in the wild: ``raw``
(the grade itself as gain, so grade 4 counts best, as ir_datasets labels the file) and
``binary``.

Published peer figures (bm25s 0.365 / 0.301, FTS5 0.358 / 0.294 nDCG@10 / MAP) are
reproduced with these gains by ``--depth 1000``: the figures were truncated to three
decimals and MAP was taken over 1000 results per query (trec_eval's default), which adds
about 0.007 to MAP over the 100 results used here. The published "Whoosh out of the box"
0.351 / 0.292 is an ``Or`` of the analyzer's terms, 0.3512 / 0.2928 at depth 1000; the
``QueryParser`` used here counts a repeated word once and reads some characters as syntax
(``?transverse`` becomes a wildcard), 0.3473 / 0.2889 at that depth.

``--folds`` adds two-fold cross-validation (odd / even queries) of parameter grids: each
fold's parameters are chosen on the other fold, and only held-out figures are reported.
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import shutil
import sqlite3
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import ir_measures
from ir_measures import AP, P, R, nDCG

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.append(str(HERE.parent))  # searchkit from this checkout when it is not installed

import cranfield  # noqa: E402

WORK_DIR = HERE / "work"
CORPUS_DIR = WORK_DIR / "cranfield-corpus"
DEPTH = 100  # results per query: the issue asks for search(limit=100)

MEASURES = {"MAP": AP, "nDCG@10": nDCG @ 10, "P@10": P @ 10, "R@100": R @ 100}

#: Grade -> gain conventions. "cleverdon" is ours; the others reproduce published figures.
GAINS: dict[str, Callable[[int], int]] = {
    "cleverdon": lambda grade: 5 - grade if grade > 0 else 0,
    "raw": lambda grade: grade if grade > 0 else 0,
    "binary": lambda grade: 1 if grade > 0 else 0,
}

Run = dict[str, dict[str, float]]  # query id -> doc id -> score


@dataclass
class SystemRun:
    name: str
    run: Run
    seconds: list[float] = field(default_factory=list)  # per query, search call only


# --------------------------------------------------------------------------- documents
def document_text(doc: cranfield.Doc) -> str:
    """What every system indexes: title line, blank line, text (its repeated title cut)."""
    return f"{doc.title}\n\n{doc.abstract()}\n"


def file_name(doc_id: str) -> str:
    return f"{int(doc_id):04d}.txt"


def doc_id_from_path(path: str) -> str:
    return str(int(Path(path).stem))


def write_corpus(docs: Iterable[cranfield.Doc], folder: Path = CORPUS_DIR) -> Path:
    """Writes one .txt per document; files already up to date are left alone (keeps mtimes)."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for doc in docs:
        name = file_name(doc.doc_id)
        wanted.add(name)
        path = folder / name
        text = document_text(doc)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    for stray in folder.iterdir():
        if stray.name not in wanted:
            stray.unlink() if stray.is_file() else shutil.rmtree(stray)
    return folder


def query_words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _timed(run: SystemRun, query_id: str, search: Callable[[], dict[str, float]]) -> None:
    start = time.perf_counter()
    results = search()
    run.seconds.append(time.perf_counter() - start)
    run.run[query_id] = results


# --------------------------------------------------------------------------- systems
#: Index.search options measured besides the defaults, when this searchkit accepts them.
SEARCHKIT_VARIANTS: dict[str, dict] = {"searchkit --expand": {"expand": True}}


def build_searchkit(corpus: Path, index_dir: Path):  # type: ignore[no-untyped-def]
    import searchkit

    return searchkit.build_index(corpus, index_dir, rebuild=True)


def searchkit_variants(ix) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    """``{row name: search options}``: the defaults, plus each variant the API supports."""
    accepted = inspect.signature(ix.search).parameters
    variants: dict[str, dict] = {"searchkit": {}}
    for name, options in SEARCHKIT_VARIANTS.items():
        if all(key in accepted for key in options):
            variants[name] = options
    return variants


def run_searchkit(
    ix, queries: list[cranfield.Query], depth: int = DEPTH, name: str = "searchkit",  # type: ignore[no-untyped-def]
    **search_options,
) -> SystemRun:
    """Every query through the public path, ``Index.search(text, limit=depth, plain=True)``.

    Snippets are left out (``snippets=False``): they do not change the ranking, and the peers
    make none, so the query times stay comparable.
    """
    out = SystemRun(name, {})
    for q in queries:
        _timed(out, q.query_id, lambda: {
            doc_id_from_path(hit.doc_id): float(hit.score)
            for hit in ix.search(q.text, limit=depth, plain=True, snippets=False,
                                 **search_options)
        })
    return out


def run_fts5(
    docs: list[cranfield.Doc], queries: list[cranfield.Query], depth: int = DEPTH
) -> SystemRun:
    """SQLite FTS5, porter tokenizer, bm25() with its defaults (k1=1.2, b=0.75), OR of words."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(doc_id UNINDEXED, content, "
               "tokenize='porter unicode61')")
    db.executemany("INSERT INTO docs VALUES (?, ?)",
                   [(d.doc_id, document_text(d)) for d in docs])
    out = SystemRun("SQLite FTS5", {})
    sql = ("SELECT doc_id, bm25(docs) FROM docs WHERE docs MATCH ? "
           "ORDER BY bm25(docs) LIMIT ?")
    for q in queries:
        match = " OR ".join(f'"{w}"' for w in query_words(q.text))
        # bm25() is "lower is better": negate so that higher scores rank first everywhere.
        _timed(out, q.query_id, lambda: {
            doc_id: -score for doc_id, score in db.execute(sql, (match, depth))
        })
    db.close()
    return out


def run_bm25s(
    docs: list[cranfield.Doc], queries: list[cranfield.Query], depth: int = DEPTH,
    k1: float = 1.5, b: float = 0.75,
) -> SystemRun:
    """bm25s (Lucene BM25) with PyStemmer's English stemmer and English stop words."""
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")

    def tokens(texts: list[str]) -> list[list[str]]:
        return bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, return_ids=False,
                              show_progress=False)

    retriever = bm25s.BM25(k1=k1, b=b)
    retriever.index(tokens([document_text(d) for d in docs]), show_progress=False)
    doc_ids = [d.doc_id for d in docs]
    out = SystemRun("bm25s", {})

    def search(text: str) -> dict[str, float]:
        query = [t for t in tokens([text])[0] if t in retriever.vocab_dict]
        if not query:
            return {}
        found, scores = retriever.retrieve([query], k=min(depth, len(doc_ids)), show_progress=False)
        return {doc_ids[i]: float(s) for i, s in zip(found[0], scores[0]) if s > 0}

    for q in queries:
        _timed(out, q.query_id, lambda: search(q.text))
    return out


def run_whoosh_plain(
    docs: list[cranfield.Doc], queries: list[cranfield.Query], index_dir: Path,
    depth: int = DEPTH,
) -> SystemRun:
    """Whoosh as its tutorial shows it: StemmingAnalyzer, BM25F defaults, OR-ed QueryParser."""
    from whoosh import fields, index, qparser
    from whoosh.analysis import StemmingAnalyzer

    schema = fields.Schema(doc_id=fields.ID(stored=True),
                           content=fields.TEXT(analyzer=StemmingAnalyzer()))
    if index_dir.exists():
        shutil.rmtree(index_dir)
    index_dir.mkdir(parents=True)
    ix = index.create_in(str(index_dir), schema)
    with ix.writer() as writer:
        for d in docs:
            writer.add_document(doc_id=d.doc_id, content=document_text(d))
    parser = qparser.QueryParser("content", ix.schema, group=qparser.OrGroup)
    out = SystemRun("Whoosh plain", {})
    with ix.searcher() as searcher:
        for q in queries:
            _timed(out, q.query_id, lambda: {
                hit["doc_id"]: hit.score
                for hit in searcher.search(parser.parse(q.text), limit=depth)
            })
    return out


# --------------------------------------------------------------------------- evaluation
def build_qrels(judgements: list[cranfield.Judgement], gains: str = "cleverdon") -> Run:
    gain = GAINS[gains]
    qrels: dict[str, dict[str, int]] = {}
    for j in judgements:
        qrels.setdefault(j.query_id, {})[j.doc_id] = gain(j.grade)
    return qrels  # type: ignore[return-value]


def per_query(run: Run, qrels: Run, query_ids: list[str]) -> dict[str, dict[str, float]]:
    """measure name -> query id -> value, every query present (missing queries score 0)."""
    names = {str(m): name for name, m in MEASURES.items()}
    values = {name: {qid: 0.0 for qid in query_ids} for name in MEASURES}
    for metric in ir_measures.iter_calc(list(MEASURES.values()), qrels, run):
        if metric.query_id in values[names[str(metric.measure)]]:
            values[names[str(metric.measure)]][metric.query_id] = metric.value
    return values


def mean_over(values: dict[str, float], query_ids: Iterable[str]) -> float:
    ids = list(query_ids)
    return sum(values[q] for q in ids) / len(ids)


@dataclass
class Scored:
    system: SystemRun
    values: dict[str, dict[str, float]]  # measure -> query id -> value

    def mean(self, measure: str, query_ids: Iterable[str] | None = None) -> float:
        per = self.values[measure]
        return mean_over(per, per.keys() if query_ids is None else query_ids)

    def row(self) -> dict[str, float | str]:
        row: dict[str, float | str] = {"system": self.system.name}
        row.update({name: round(self.mean(name), 4) for name in MEASURES})
        seconds = self.system.seconds
        row["query_ms_median"] = round(statistics.median(seconds) * 1000, 2) if seconds else 0.0
        return row


def print_table(rows: list[dict[str, float | str]]) -> None:
    header = ["system", *MEASURES, "query ms (median)"]
    print(f"{header[0]:<22}" + "".join(f"{h:>10}" for h in header[1:-1]) + f"{header[-1]:>20}")
    for row in rows:
        print(f"{row['system']:<22}"
              + "".join(f"{row[m]:>10.4f}" for m in MEASURES)
              + f"{row['query_ms_median']:>20.2f}")


def compare(ours: Scored, peer: Scored, queries: list[cranfield.Query],
            measure: str = "nDCG@10", worst: int = 10) -> dict:
    """Per-query wins and losses of ``ours`` against ``peer`` on one measure."""
    mine, theirs = ours.values[measure], peer.values[measure]
    deltas = {q.query_id: mine[q.query_id] - theirs[q.query_id] for q in queries}
    text = {q.query_id: q.text for q in queries}
    eps = 1e-9
    losses = sorted((d, qid) for qid, d in deltas.items() if d < -eps)
    return {
        "system": ours.system.name,
        "peer": peer.system.name,
        "measure": measure,
        "wins": sum(d > eps for d in deltas.values()),
        "losses": len(losses),
        "ties": sum(abs(d) <= eps for d in deltas.values()),
        "worst_losses": [
            {"query": qid, "delta": round(d, 4), "ours": round(mine[qid], 4),
             "peer": round(theirs[qid], 4), "text": text[qid]}
            for d, qid in losses[:worst]
        ],
    }


def print_comparison(result: dict) -> None:
    print(f"\n{result['system']} vs {result['peer']} per query ({result['measure']}): "
          f"{result['wins']} wins, {result['losses']} losses, {result['ties']} ties")
    for loss in result["worst_losses"]:
        print(f"  q{loss['query']:>3}  {loss['ours']:.3f} vs {loss['peer']:.3f} "
              f"({loss['delta']:+.3f})  {loss['text'][:90]}")


# --------------------------------------------------------------------------- cross-validation
def two_fold(
    label: str,
    grid: list[dict],
    evaluate: Callable[[dict], dict[str, dict[str, float]]],
    query_ids: list[str],
    select_on: str = "nDCG@10",
) -> dict:
    """Chooses parameters on odd queries to score even ones and vice versa.

    Returns the held-out figures over all queries (each query scored by parameters chosen
    without it) and the parameters each fold picked.
    """
    odd = [q for q in query_ids if int(q) % 2 == 1]
    even = [q for q in query_ids if int(q) % 2 == 0]
    results = [(params, evaluate(params)) for params in grid]
    held_out: dict[str, dict[str, float]] = {name: {} for name in MEASURES}
    picks = {}
    for train, test, fold in ((odd, even, "even"), (even, odd, "odd")):
        params, values = max(results, key=lambda pv: mean_over(pv[1][select_on], train))
        picks[fold] = params
        for name in MEASURES:
            held_out[name].update({q: values[name][q] for q in test})
    return {
        "system": label,
        "picked": picks,
        **{name: round(mean_over(held_out[name], query_ids), 4) for name in MEASURES},
    }


def grid_product(**axes: list) -> list[dict]:
    grid = [{}]
    for key, options in axes.items():
        grid = [{**g, key: o} for g in grid for o in options]
    return grid


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=cranfield.DATA_DIR,
                        help="folder with cran.all.1400, cran.qry, cranqrel")
    parser.add_argument("--gains", choices=sorted(GAINS), default="cleverdon",
                        help="grade to gain mapping for nDCG (default: cleverdon, 5 - grade)")
    parser.add_argument("--depth", type=int, default=DEPTH,
                        help="results per query, for every system (default: 100; trec_eval "
                             "and the published peer MAP figures use 1000)")
    parser.add_argument("--folds", action="store_true",
                        help="two-fold (odd/even queries) cross-validation of parameter grids")
    parser.add_argument("--no-searchkit", action="store_true", help="peers only")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)

    collection = cranfield.load(args.data)
    docs, queries = collection.docs, collection.queries
    query_ids = [q.query_id for q in queries]
    qrels = build_qrels(collection.judgements, args.gains)
    corpus = write_corpus(docs)

    systems: list[SystemRun] = []
    ix = None
    if not args.no_searchkit:
        ix = build_searchkit(corpus, WORK_DIR / "cranfield-index")
        for name, options in searchkit_variants(ix).items():
            systems.append(run_searchkit(ix, queries, args.depth, name, **options))
    systems.append(run_fts5(docs, queries, args.depth))
    systems.append(run_bm25s(docs, queries, args.depth))
    systems.append(run_whoosh_plain(docs, queries, WORK_DIR / "cranfield-whoosh-plain",
                                    args.depth))

    scored = [Scored(s, per_query(s.run, qrels, query_ids)) for s in systems]
    rows = [s.row() for s in scored]
    print(f"Cranfield: {len(docs)} documents, {len(queries)} queries, "
          f"gains={args.gains}, depth={args.depth}\n")
    print_table(rows)

    report: dict = {"gains": args.gains, "depth": args.depth, "table": rows}
    ours = [s for s in scored if s.system.name.startswith("searchkit")]
    peers = [s for s in scored if not s.system.name.startswith("searchkit")]
    if ours:
        best_peer = max(peers, key=lambda s: s.mean("nDCG@10"))
        report["versus_best_peer"] = [compare(mine, best_peer, queries) for mine in ours]
        for result in report["versus_best_peer"]:
            print_comparison(result)

    if args.folds:
        report["folds"] = run_folds(docs, queries, qrels, query_ids, args.depth, ix)
        print("\nTwo-fold cross-validation (parameters chosen on the other fold):")
        print_table([{**f, "query_ms_median": 0.0} for f in report["folds"]])
        for f in report["folds"]:
            print(f"  {f['system']}: picked {f['picked']}")
    if ix is not None:
        ix.close()

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


def run_folds(docs, queries, qrels, query_ids, depth: int, ix) -> list[dict]:  # type: ignore[no-untyped-def]
    """Held-out figures for the peers' and searchkit's tunable parameters."""

    def bm25s_values(params: dict) -> dict[str, dict[str, float]]:
        return per_query(run_bm25s(docs, queries, depth, **params).run, qrels, query_ids)

    folds = [two_fold("bm25s (k1, b)", grid_product(k1=[0.9, 1.2, 1.5, 2.0],
                                                    b=[0.3, 0.5, 0.75, 0.9]),
                      bm25s_values, query_ids)]
    if ix is not None:
        def searchkit_values(params: dict) -> dict[str, dict[str, float]]:
            return per_query(run_searchkit(ix, queries, depth, **params).run, qrels, query_ids)

        grid = [{}, *[options for name, options in searchkit_variants(ix).items() if options]]
        if len(grid) > 1:
            folds.append(two_fold("searchkit (options)", grid, searchkit_values, query_ids))
    return folds


if __name__ == "__main__":
    sys.exit(main())
