"""Ranking quality on every collection in ``benchmarks/data/``: searchkit against the engines
people would use, with a significance test for each ranking decision.

Run ``python benchmarks/relevance.py`` (or ``make bench-relevance``) from the repository root,
with the ``bench`` extra installed (``pip install -e .[bench]``). ``--quick`` skips the
decisions and the cross-validation (the tables only).

Collections (each read by its own module; provenance in ``data/README.md``): Cranfield
(``cranfield.py``: 1,400 aeronautics abstracts, 225 graded queries), CACM (``cacm.py``: 3,204
CACM records, 52 of its 64 queries judged, binary) in two forms: with key words, authors and
date line (``CACM``) and title and abstract only (``CACM-TA``, half its records a title
alone), CISI (``glasgow.py``: 1,460 library-science abstracts, 76 judged queries, many of them
pasted paragraphs of up to 334 words) and Medline (``glasgow.py``: 1,033 medical abstracts, 30
queries). ``--unseen medline`` keeps a collection out of every choice (decisions and
leave-one-collection-out), only reported. For each, in one run:

1. the documents are written as a folder of ``.txt`` files (title line, blank line, text)
   under ``benchmarks/work/<collection>-corpus/`` (git-ignored);
2. the folder is indexed with ``searchkit.build_index`` and each query goes through
   ``Index.search(text, limit=100, plain=True, snippets=False)``, the path a user takes (and
   with ``expand=True``), and through ``Index.similar(text)`` (the query's text as a pasted
   passage);
3. the same queries run over the same texts with the peers: SQLite FTS5 (``porter
   unicode61``, ``bm25()``, the query's words OR-ed, each quoted), bm25s (PyStemmer English
   stemmer, its English stop words, Lucene BM25 k1=1.5 b=0.75) and Whoosh used plainly
   (StemmingAnalyzer, BM25F defaults, ``QueryParser`` with ``OrGroup``);
4. MAP, nDCG@10, P@10 and Recall@100 (ir-measures, trec_eval underneath), one table per
   collection, and per-query wins and losses (nDCG@10) against the best peer, with a paired
   bootstrap 95% interval of the difference;
5. the ranking decisions (:data:`DECISIONS`): each default against its alternative on every
   collection, the difference in nDCG@10 and MAP with a paired bootstrap 95% interval and a
   paired randomisation test. An alternative replaces a default only if it wins (interval
   above 0 and p < 0.05) on at least one collection and measure, and loses (interval below
   0 and p < 0.05) on none;
6. leave-one-collection-out choice of the query-term saturation and b (:data:`ACROSS_GRID`):
   for each collection the parameters best on the others, scored on it;
7. two-fold cross-validation (odd / even queries) of the tuned parameters (BM25 k1 and b,
   the title weight), for searchkit and bm25s: each fold's values are chosen on the other
   fold and only held-out figures are reported.

Relevance grades. Cranfield's Cleverdon grades 1 (complete answer) .. 4 (minimum interest), -1
judged of no interest: nDCG gain = 5 - grade; MAP, P@10 and R@100 count grades 1..4 as
relevant. ``--gains`` switches Cranfield to ``raw`` (grade as gain) or ``binary``. CACM is
binary.
"""

from __future__ import annotations

import argparse
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

import cacm  # noqa: E402
import glasgow  # noqa: E402
import cranfield  # noqa: E402

WORK_DIR = HERE / "work"
DATA_DIR = HERE / "data"
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


@dataclass
class Bench:
    """One collection as every system sees it."""

    name: str
    docs: list[tuple[str, str]]  # (doc id, the text every system indexes)
    queries: list[tuple[str, str]]  # (query id, text): the judged queries
    qrels: dict[str, dict[str, int]]

    @property
    def query_ids(self) -> list[str]:
        return [q for q, _ in self.queries]


# --------------------------------------------------------------------------- collections
def document_text(doc: cranfield.Doc) -> str:
    """What every system indexes of a Cranfield record: title line, blank line, text (its
    repeated title cut)."""
    return f"{doc.title}\n\n{doc.abstract()}\n"


def load_cranfield(data: Path, gains: str = "cleverdon") -> Bench:
    c = cranfield.load(data)
    gain = GAINS[gains]
    qrels: dict[str, dict[str, int]] = {}
    for j in c.judgements:
        qrels.setdefault(j.query_id, {})[j.doc_id] = gain(j.grade)
    return Bench("Cranfield", [(d.doc_id, document_text(d)) for d in c.docs],
                 [(q.query_id, q.text) for q in c.queries if q.query_id in qrels], qrels)


def _binary(judgements: Iterable) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    for j in judgements:
        qrels.setdefault(j.query_id, {})[j.doc_id] = 1
    return qrels


def _title_and_abstract(doc: cacm.Doc) -> str:
    return f"{doc.title}\n\n{doc.abstract}\n" if doc.abstract else f"{doc.title}\n"


def _bench(name: str, c: cacm.Collection, text: Callable[[cacm.Doc], str]) -> Bench:
    qrels = _binary(c.judgements)
    return Bench(name, [(d.doc_id, text(d)) for d in c.docs],
                 [(q.query_id, q.text) for q in c.queries if q.query_id in qrels], qrels)


def load_cacm(data: Path) -> Bench:
    """CACM with key words, authors and date line (``cacm.Doc.text``)."""
    return _bench("CACM", cacm.load(data), cacm.Doc.text)


def load_cacm_title_abstract(data: Path) -> Bench:
    """CACM as title and abstract only (half its records are a title alone)."""
    return _bench("CACM-TA", cacm.load(data), _title_and_abstract)


def load_cisi(data: Path) -> Bench:
    return _bench("CISI", glasgow.load_cisi(data), _title_and_abstract)


def load_medline(data: Path) -> Bench:
    return _bench("Medline", glasgow.load_medline(data), _title_and_abstract)


#: collection -> (its folder in benchmarks/data, a file that marks it, loader)
COLLECTIONS: dict[str, tuple[str, str, Callable[..., Bench]]] = {
    "cranfield": ("cranfield", "cran.all.1400", load_cranfield),
    "cacm": ("cacm", "cacm.all", load_cacm),
    "cacm-ta": ("cacm", "cacm.all", load_cacm_title_abstract),
    "cisi": ("cisi", "CISI.ALL", load_cisi),
    "medline": ("medline", "MED.ALL", load_medline),
}


def load_all(data_root: Path, gains: str, only: list[str] | None = None) -> list[Bench]:
    benches = []
    for name, (folder, marker, loader) in COLLECTIONS.items():
        if only and name not in only:
            continue
        if (data_root / folder / marker).exists():
            benches.append(loader(data_root / folder, gains) if loader is load_cranfield
                           else loader(data_root / folder))
    return benches


def file_name(doc_id: str) -> str:
    return f"{int(doc_id):05d}.txt"


def doc_id_from_path(path: str) -> str:
    return str(int(Path(path).stem))


def write_corpus(docs: Iterable[tuple[str, str]], folder: Path = CORPUS_DIR) -> Path:
    """Writes one .txt per document; files already up to date are left alone (keeps mtimes)."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = set()
    for doc_id, text in docs:
        name = file_name(doc_id)
        wanted.add(name)
        path = folder / name
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
def build_searchkit(corpus: Path, index_dir: Path):  # type: ignore[no-untyped-def]
    import searchkit

    return searchkit.build_index(corpus, index_dir, rebuild=True)


def run_searchkit(ix, bench: Bench, depth: int = DEPTH, name: str = "searchkit",  # type: ignore[no-untyped-def]
                  **search_options) -> SystemRun:
    """Every query through the public path, ``Index.search(text, limit=depth, plain=True)``.

    Snippets are left out (``snippets=False``): they do not change the ranking, and the peers
    make none, so the query times stay comparable. ``ranking={...}`` sets
    :class:`searchkit.Ranking` knobs.
    """
    import searchkit

    if isinstance(search_options.get("ranking"), dict):
        search_options["ranking"] = searchkit.Ranking(**search_options["ranking"])
    out = SystemRun(name, {})
    for qid, text in bench.queries:
        _timed(out, qid, lambda: {
            doc_id_from_path(hit.doc_id): float(hit.score)
            for hit in ix.search(text, limit=depth, plain=True, snippets=False, **search_options)
        })
    return out


def run_similar(ix, bench: Bench, depth: int = DEPTH) -> SystemRun:  # type: ignore[no-untyped-def]
    """Each query's text as a pasted passage: ``Index.similar(text, limit=depth)``."""
    out = SystemRun("searchkit similar", {})
    for qid, text in bench.queries:
        _timed(out, qid, lambda: {
            doc_id_from_path(hit.doc_id): float(hit.score or 0.0)
            for hit in ix.similar(text, limit=depth, snippets=False)
        })
    return out


def run_fts5(bench: Bench, depth: int = DEPTH) -> SystemRun:
    """SQLite FTS5, porter tokenizer, bm25() with its defaults (k1=1.2, b=0.75), OR of words."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(doc_id UNINDEXED, content, "
               "tokenize='porter unicode61')")
    db.executemany("INSERT INTO docs VALUES (?, ?)", bench.docs)
    out = SystemRun("SQLite FTS5", {})
    sql = ("SELECT doc_id, bm25(docs) FROM docs WHERE docs MATCH ? "
           "ORDER BY bm25(docs) LIMIT ?")
    for qid, text in bench.queries:
        match = " OR ".join(f'"{w}"' for w in query_words(text))
        # bm25() is "lower is better": negate so that higher scores rank first everywhere.
        _timed(out, qid, lambda: {
            doc_id: -score for doc_id, score in db.execute(sql, (match, depth))
        })
    db.close()
    return out


def run_bm25s(bench: Bench, depth: int = DEPTH, k1: float = 1.5, b: float = 0.75) -> SystemRun:
    """bm25s (Lucene BM25) with PyStemmer's English stemmer and English stop words."""
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")

    def tokens(texts: list[str]) -> list[list[str]]:
        return bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, return_ids=False,
                              show_progress=False)

    retriever = bm25s.BM25(k1=k1, b=b)
    retriever.index(tokens([text for _, text in bench.docs]), show_progress=False)
    doc_ids = [d for d, _ in bench.docs]
    out = SystemRun("bm25s", {})

    def search(text: str) -> dict[str, float]:
        query = [t for t in tokens([text])[0] if t in retriever.vocab_dict]
        if not query:
            return {}
        found, scores = retriever.retrieve([query], k=min(depth, len(doc_ids)), show_progress=False)
        return {doc_ids[i]: float(s) for i, s in zip(found[0], scores[0]) if s > 0}

    for qid, text in bench.queries:
        _timed(out, qid, lambda: search(text))
    return out


def run_whoosh_plain(bench: Bench, index_dir: Path, depth: int = DEPTH) -> SystemRun:
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
        for doc_id, text in bench.docs:
            writer.add_document(doc_id=doc_id, content=text)
    parser = qparser.QueryParser("content", ix.schema, group=qparser.OrGroup)
    out = SystemRun("Whoosh plain", {})
    with ix.searcher() as searcher:
        for qid, text in bench.queries:
            _timed(out, qid, lambda: {
                hit["doc_id"]: hit.score
                for hit in searcher.search(parser.parse(text), limit=depth)
            })
    return out


# --------------------------------------------------------------------------- evaluation
def per_query(run: Run, qrels: dict, query_ids: list[str]) -> dict[str, dict[str, float]]:
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
    print(f"{header[0]:<24}" + "".join(f"{h:>10}" for h in header[1:-1]) + f"{header[-1]:>20}")
    for row in rows:
        print(f"{row['system']:<24}"
              + "".join(f"{row[m]:>10.4f}" for m in MEASURES)
              + f"{row['query_ms_median']:>20.2f}")


BOOTSTRAP_SAMPLES = 10_000


def paired_test(mine: dict[str, float], theirs: dict[str, float], query_ids: list[str],
                samples: int = BOOTSTRAP_SAMPLES, seed: int = 14) -> dict:
    """Mean difference, its paired-bootstrap 95% interval, and a two-sided paired
    randomisation (sign-flip) p-value, over ``query_ids``."""
    import numpy as np

    d = np.array([mine[q] - theirs[q] for q in query_ids])
    rng = np.random.default_rng(seed)
    boot = d[rng.integers(0, len(d), size=(samples, len(d)))].mean(axis=1)
    lo, hi = np.percentile(boot, [2.5, 97.5])
    flips = rng.choice([-1.0, 1.0], size=(samples, len(d)))
    observed = abs(d.mean())
    p = (np.sum(np.abs((flips * d).mean(axis=1)) >= observed - 1e-12) + 1) / (samples + 1)
    return {"delta": round(float(d.mean()), 4), "ci95": [round(float(lo), 4), round(float(hi), 4)],
            "p": round(float(p), 4)}


def verdict(test: dict) -> str:
    """"win" / "loss" when the bootstrap interval excludes 0 and the randomisation test
    agrees (p < 0.05); else "tie"."""
    lo, hi = test["ci95"]
    if test["p"] >= 0.05:
        return "tie"
    return "win" if lo > 0 else "loss" if hi < 0 else "tie"


def compare(ours: Scored, peer: Scored, bench: Bench, measure: str = "nDCG@10",
            worst: int = 10) -> dict:
    """Per-query wins and losses of ``ours`` against ``peer`` on one measure."""
    mine, theirs = ours.values[measure], peer.values[measure]
    deltas = {qid: mine[qid] - theirs[qid] for qid in bench.query_ids}
    text = dict(bench.queries)
    eps = 1e-9
    losses = sorted((d, qid) for qid, d in deltas.items() if d < -eps)
    return {
        "system": ours.system.name,
        "peer": peer.system.name,
        "measure": measure,
        "wins": sum(d > eps for d in deltas.values()),
        "losses": len(losses),
        "ties": sum(abs(d) <= eps for d in deltas.values()),
        "relative": round(ours.mean(measure) / peer.mean(measure) - 1, 4) if peer.mean(measure) else None,
        "test": paired_test(mine, theirs, bench.query_ids),
        "worst_losses": [
            {"query": qid, "delta": round(d, 4), "ours": round(mine[qid], 4),
             "peer": round(theirs[qid], 4), "text": text[qid]}
            for d, qid in losses[:worst]
        ],
    }


def print_comparison(result: dict, worst: int = 5) -> None:
    t = result["test"]
    print(f"\n{result['system']} vs {result['peer']} per query ({result['measure']}): "
          f"{result['wins']} wins, {result['losses']} losses, {result['ties']} ties; "
          f"{result['relative']:+.1%}, difference {t['delta']:+.4f} "
          f"[{t['ci95'][0]:+.4f}, {t['ci95'][1]:+.4f}] p={t['p']:.3f}")
    for loss in result["worst_losses"][:worst]:
        print(f"  q{loss['query']:>3}  {loss['ours']:.3f} vs {loss['peer']:.3f} "
              f"({loss['delta']:+.3f})  {loss['text'][:90]}")


#: The ranking before issue 22 (1fa23ce): shown beside the default for before/after figures.
BEFORE_ISSUE_22 = "searchkit before #22"
BEFORE_RANKING = {"repeats": "once", "b": 0.75}


# --------------------------------------------------------------------------- decisions
#: (decision, default's search options, the alternative's). Ranking knobs are
#: searchkit.Ranking fields; the first of each pair is the current default.
DECISIONS: list[tuple[str, dict, dict]] = [
    ("repeated words: saturating (k3 8) vs once", {}, {"ranking": {"repeats": "once"}}),
    ("repeated words: saturating (k3 8) vs by count", {}, {"ranking": {"repeats": "count"}}),
    ("repeated words: saturating (k3 8) vs 1 + ln(count)", {}, {"ranking": {"repeats": "log"}}),
    ("grouping: all words first vs plain OR", {}, {"ranking": {"grouping": "or"}}),
    ("grouping: all words first vs coordination", {}, {"ranking": {"grouping": "coord"}}),
    ("function words: dropped vs kept", {}, {"ranking": {"drop_function_words": False}}),
    ("title weight: 0.5 vs 1.0", {}, {"ranking": {"title_boost": 1.0}}),
    ("length normalisation: b 0.5 vs 0.75", {}, {"ranking": {"b": 0.75}}),
    ("idf: Whoosh's ln(N/(n+1))+1 (the old default) vs BM25's (now the default)",
     {"ranking": {"idf": "whoosh"}}, {}),
    ("expansion: off vs adaptive feedback", {}, {"expand": True}),
]


def run_decisions(benches: list[Bench], indexes: dict, depth: int,
                  decisions: list[tuple[str, dict, dict]] = DECISIONS) -> list[dict]:
    out = []
    cache: dict[tuple[str, str], dict[str, dict[str, float]]] = {}

    def values(bench: Bench, options: dict) -> dict[str, dict[str, float]]:
        key = (bench.name, json.dumps(options, sort_keys=True))
        if key not in cache:
            run = run_searchkit(indexes[bench.name], bench, depth, **json.loads(key[1]))
            cache[key] = per_query(run.run, bench.qrels, bench.query_ids)
        return cache[key]

    for label, default, alternative in decisions:
        entry: dict = {"decision": label, "default": default, "alternative": alternative,
                       "collections": {}}
        for bench in benches:
            base, alt = values(bench, default), values(bench, alternative)
            entry["collections"][bench.name] = {
                measure: {"default": round(mean_over(base[measure], bench.query_ids), 4),
                          "alternative": round(mean_over(alt[measure], bench.query_ids), 4),
                          **paired_test(alt[measure], base[measure], bench.query_ids)}
                for measure in ("nDCG@10", "MAP")
            }
        verdicts = [verdict(c["nDCG@10"]) for c in entry["collections"].values()]
        verdicts += [verdict(c["MAP"]) for c in entry["collections"].values()]
        entry["adopt_alternative"] = "win" in verdicts and "loss" not in verdicts
        out.append(entry)
    return out


def print_decisions(decisions: list[dict]) -> None:
    print("\nRanking decisions (alternative minus default; paired bootstrap 95% interval, "
          "randomisation p):")
    for d in decisions:
        print(f"  {d['decision']}: {'ADOPT the alternative' if d['adopt_alternative'] else 'keep the default'}")
        for name, c in d["collections"].items():
            parts = []
            for measure in ("nDCG@10", "MAP"):
                t = c[measure]
                parts.append(f"{measure} {t['default']:.4f} -> {t['alternative']:.4f} "
                             f"({t['delta']:+.4f} [{t['ci95'][0]:+.4f}, {t['ci95'][1]:+.4f}] p={t['p']:.3f})")
            print(f"    {name:<10} " + "; ".join(parts))


# --------------------------------------------------------------------------- across collections
#: Parameters chosen across collections (leave one collection out): query-term saturation
#: and length normalisation.
ACROSS_GRID: list[dict] = [
    {**repeats, "b": b}
    for repeats in ([{"repeats": "once"}, {"repeats": "log"}, {"repeats": "count"}]
                    + [{"repeats": "saturate", "k3": k3} for k3 in (1.5, 3.0, 8.0, 20.0, 100.0)])
    for b in (0.5, 0.75)]


def leave_one_collection_out(benches: list[Bench], indexes: dict, depth: int, grid: list[dict] = ACROSS_GRID,
                             unseen: Iterable[str] = ()) -> dict:
    """For each collection, the grid's parameters that do best on the *other* collections
    (mean nDCG@10 relative to FTS5 on each), and how they do on it; collections named in
    ``unseen`` take no part in any choice and are scored with the choice of all the others.
    Nothing is chosen on the collection it is reported on."""
    unseen = {u.lower() for u in unseen}
    ratio: dict[str, list[float]] = {}
    figures: dict[str, list[dict]] = {}
    for bench in benches:
        fts = per_query(run_fts5(bench, depth).run, bench.qrels, bench.query_ids)
        base = {m: mean_over(fts[m], bench.query_ids) for m in ("nDCG@10", "MAP")}
        rows = []
        for params in grid:
            v = per_query(run_searchkit(indexes[bench.name], bench, depth, ranking=dict(params)).run,
                          bench.qrels, bench.query_ids)
            rows.append({m: round(mean_over(v[m], bench.query_ids), 4) for m in ("nDCG@10", "MAP")}
                        | {f"{m} x FTS5": round(mean_over(v[m], bench.query_ids) / base[m], 3)
                           for m in ("nDCG@10", "MAP")})
        figures[bench.name] = rows
        ratio[bench.name] = [r["nDCG@10 x FTS5"] for r in rows]
    seen = [b.name for b in benches if b.name.lower() not in unseen]
    out: dict = {"grid": grid, "per_collection": figures, "held_out": {}}
    for bench in benches:
        others = [n for n in seen if n != bench.name]
        if not others:
            continue
        best = max(range(len(grid)), key=lambda i: sum(ratio[n][i] for n in others) / len(others))
        out["held_out"][bench.name] = {"chosen_on": others, "picked": grid[best], **figures[bench.name][best]}
    return out


def print_across(result: dict) -> None:
    print("\nLeave one collection out (parameters chosen on the other collections):")
    for name, r in result["held_out"].items():
        print(f"  {name:<10} picked {json.dumps(r['picked'])} on {', '.join(r['chosen_on'])}: "
              f"nDCG@10 {r['nDCG@10']:.4f} ({r['nDCG@10 x FTS5']:.3f}x FTS5), MAP {r['MAP']:.4f} "
              f"({r['MAP x FTS5']:.3f}x)")


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
        "held_out_per_query": held_out,
        **{name: round(mean_over(held_out[name], query_ids), 4) for name in MEASURES},
    }


def grid_product(**axes: list) -> list[dict]:
    grid = [{}]
    for key, options in axes.items():
        grid = [{**g, key: o} for g in grid for o in options]
    return grid


def run_folds(bench: Bench, depth: int, ix, default_values: dict) -> list[dict]:  # type: ignore[no-untyped-def]
    """Held-out figures for the peers' and searchkit's tunable parameters, each tested
    against searchkit's fixed defaults on the same queries."""

    def bm25s_values(params: dict) -> dict[str, dict[str, float]]:
        return per_query(run_bm25s(bench, depth, **params).run, bench.qrels, bench.query_ids)

    folds = [two_fold("bm25s (k1, b)", grid_product(k1=[0.9, 1.2, 1.5, 2.0],
                                                    b=[0.3, 0.5, 0.75, 0.9]),
                      bm25s_values, bench.query_ids)]

    def searchkit_values(params: dict) -> dict[str, dict[str, float]]:
        run = run_searchkit(ix, bench, depth, ranking=dict(params))
        return per_query(run.run, bench.qrels, bench.query_ids)

    folds.append(two_fold("searchkit (k1, b)", grid_product(k1=[0.9, 1.2, 1.5, 2.0],
                                                            b=[0.3, 0.5, 0.75, 0.9]),
                          searchkit_values, bench.query_ids))
    def expanded_values(params: dict) -> dict[str, dict[str, float]]:
        run = run_searchkit(ix, bench, depth, expand=True, ranking=dict(params))
        return per_query(run.run, bench.qrels, bench.query_ids)

    folds.append(two_fold("searchkit --expand (feedback weight)",
                          grid_product(feedback_weight=[0.2, 0.3, 0.5]),
                          expanded_values, bench.query_ids))
    folds.append(two_fold("searchkit (title weight)",
                          grid_product(title_boost=[0.25, 0.5, 1.0, 2.0]),
                          searchkit_values, bench.query_ids))
    for f in folds:
        held = f.pop("held_out_per_query")
        if f["system"].startswith("searchkit"):
            f["versus_default"] = {m: paired_test(held[m], default_values[m], bench.query_ids)
                                   for m in ("nDCG@10", "MAP")}
    return folds


# --------------------------------------------------------------------------- main
def evaluate_collection(bench: Bench, args: argparse.Namespace) -> tuple[dict, object]:
    slug = bench.name.lower()
    corpus = write_corpus(bench.docs, WORK_DIR / f"{slug}-corpus")
    systems: list[SystemRun] = []
    ix = None
    if not args.no_searchkit:
        ix = build_searchkit(corpus, WORK_DIR / f"{slug}-index")
        systems.append(run_searchkit(ix, bench, args.depth, "searchkit"))
        systems.append(run_searchkit(ix, bench, args.depth, "searchkit --expand", expand=True))
        # The ranking before issue 22 (each repeated word once, b 0.75), for before/after.
        systems.append(run_searchkit(ix, bench, args.depth, BEFORE_ISSUE_22, ranking=dict(BEFORE_RANKING)))
        if hasattr(ix, "similar"):
            systems.append(run_similar(ix, bench, args.depth))
    systems.append(run_fts5(bench, args.depth))
    systems.append(run_bm25s(bench, args.depth))
    systems.append(run_whoosh_plain(bench, WORK_DIR / f"{slug}-whoosh-plain", args.depth))

    scored = [Scored(s, per_query(s.run, bench.qrels, bench.query_ids)) for s in systems]
    rows = [s.row() for s in scored]
    print(f"\n{bench.name}: {len(bench.docs)} documents, {len(bench.queries)} judged queries, "
          f"depth={args.depth}\n")
    print_table(rows)
    report: dict = {"documents": len(bench.docs), "queries": len(bench.queries), "table": rows}
    ours = [s for s in scored if s.system.name.startswith("searchkit")]
    peers = [s for s in scored if not s.system.name.startswith("searchkit")]
    if ours:
        # The goal of issue 22: the default against SQLite FTS5, and against the ranking before.
        fts5 = next(s for s in scored if s.system.name == "SQLite FTS5")
        default = next(s for s in scored if s.system.name == "searchkit")
        before = next((s for s in scored if s.system.name == BEFORE_ISSUE_22), None)
        report["versus_fts5"] = {}
        for measure in ("nDCG@10", "MAP"):
            entry = {"ratio": round(default.mean(measure) / fts5.mean(measure), 3),
                     "test": paired_test(default.values[measure], fts5.values[measure], bench.query_ids)}
            if before is not None:
                entry["before_ratio"] = round(before.mean(measure) / fts5.mean(measure), 3)
                entry["before_test"] = paired_test(before.values[measure], fts5.values[measure], bench.query_ids)
                entry["after_minus_before"] = paired_test(default.values[measure], before.values[measure],
                                                          bench.query_ids)
            report["versus_fts5"][measure] = entry
            t = entry["test"]
            print(f"searchkit vs SQLite FTS5 ({measure}): {entry['ratio']:.3f}x, difference {t['delta']:+.4f} "
                  f"[{t['ci95'][0]:+.4f}, {t['ci95'][1]:+.4f}]"
                  + (f"; before issue 22 {entry['before_ratio']:.3f}x" if before is not None else ""))
        ours = [s for s in ours if s.system.name != BEFORE_ISSUE_22]
        report["versus_best_peer"] = []
        for measure in ("nDCG@10", "MAP"):
            best_peer = max(peers, key=lambda s: s.mean(measure))
            for mine in ours:
                result = compare(mine, best_peer, bench, measure)
                report["versus_best_peer"].append(result)
                print_comparison(result)
    if args.folds and ix is not None:
        default_values = scored[0].values
        report["folds"] = run_folds(bench, args.depth, ix, default_values)
        print(f"\n{bench.name}: two-fold cross-validation (parameters chosen on the other fold):")
        print_table([{**f, "query_ms_median": 0.0} for f in report["folds"]])
        for f in report["folds"]:
            vs = f.get("versus_default")
            extra = ""
            if vs:
                t = vs["nDCG@10"]
                extra = (f"; held-out vs defaults nDCG@10 {t['delta']:+.4f} "
                         f"[{t['ci95'][0]:+.4f}, {t['ci95'][1]:+.4f}]")
            print(f"  {f['system']}: picked {f['picked']}{extra}")
    return report, ix


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA_DIR,
                        help="folder holding one folder per collection (default: benchmarks/data)")
    parser.add_argument("--only", action="append", choices=sorted(COLLECTIONS),
                        help="evaluate only this collection (repeatable)")
    parser.add_argument("--gains", choices=sorted(GAINS), default="cleverdon",
                        help="Cranfield's grade to gain mapping for nDCG (default: 5 - grade)")
    parser.add_argument("--depth", type=int, default=DEPTH,
                        help="results per query, for every system (default: 100)")
    parser.add_argument("--quick", action="store_true",
                        help="the tables only: no decisions, no cross-validation")
    parser.add_argument("--no-searchkit", action="store_true", help="peers only")
    parser.add_argument("--unseen", action="append", choices=sorted(COLLECTIONS),
                        help="a collection no parameter is chosen on (repeatable; reported only)")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)
    args.folds = not args.quick

    benches = load_all(args.data, args.gains, args.only)
    if not benches:
        parser.error(f"no collection found in {args.data}")
    report: dict = {"gains": args.gains, "depth": args.depth, "collections": {}}
    indexes = {}
    for bench in benches:
        report["collections"][bench.name], ix = evaluate_collection(bench, args)
        if ix is not None:
            indexes[bench.name] = ix
    if indexes and not args.quick:
        unseen = {u.lower() for u in args.unseen or ()}
        seen = [b for b in benches if b.name.lower() not in unseen]
        report["decisions"] = run_decisions(seen, indexes, args.depth)
        print_decisions(report["decisions"])
        report["across_collections"] = leave_one_collection_out(benches, indexes, args.depth,
                                                                unseen=args.unseen or ())
        print_across(report["across_collections"])
    for ix in indexes.values():
        ix.close()  # type: ignore[attr-defined]
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
