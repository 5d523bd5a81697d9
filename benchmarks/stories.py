"""Stories benchmark: searchkit.stories against a datasketch MinHashLSH baseline, same run.

Corpora: the five seeds (hand-made truth copied from the research into
benchmarks/data/stories/seeds-truth.json) and a synthetic corpus from storygen.py (exact truth).
Each method runs in its own subprocess so build time and peak RSS are its own.

Metrics: pairwise story F1 (all pairs; pairs involving a paraphrase-edited article; pairs
involving a verbatim copy), shared-sentence precision/recall (compare() on same-story pairs),
credit precision/recall (span overlap + alias-normalised outlet; self-references are false
positives), earliest-article accuracy, build time, peak RSS, time to add 1,000 articles.

Usage: python benchmarks/stories.py [--corpus seeds|tiny|medium|large|N] [--no-minhash]
Writes benchmarks/results/stories-<corpus>-<date>.json and prints a table.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import re
import resource
import subprocess
import sys
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path
from random import Random

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

SEEDS = ROOT / "seeds"
SEEDS_TRUTH = HERE / "data" / "stories" / "seeds-truth.json"
WORK = HERE / "work"
RESULTS = HERE / "results"
SEED_OUTLETS = {"000": "EU Today", "001": "Tibetan Review", "002": "Euromaidan Press", "003": None, "004": "Forbes"}
THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
SEED_DATES = {"001": "2024-04-08", "002": "2024-04-07"}


def _squash(name):
    from searchkit.stories.credits import squash
    return squash(name or "")


def _rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# ------------------------------------------------------------------------- corpora
def load_seeds():
    """(inputs as dicts, truth) for the seeds; outlets/dates as the indexer knows them."""
    truth = json.loads(SEEDS_TRUTH.read_text(encoding="utf-8"))
    docs = []
    for k, a in sorted(truth["articles"].items()):
        text = (SEEDS / a["file"]).read_text(encoding="utf-8")
        docs.append({"doc_id": a["file"], "text": text, "title": text.strip().split("\n")[0].strip(),
                     "outlet": SEED_OUTLETS[k], "date": SEED_DATES.get(k)})
    return docs, truth


def ensure_synth(size: str) -> Path:
    import storygen
    n = storygen.SIZES.get(size) or int(size)
    out = WORK / f"stories-{size}"
    if not (out / "truth.jsonl").exists():
        t = time.time()
        storygen.write(out, n)
        print(f"generated {n} articles in {time.time() - t:.1f}s -> {out}", file=sys.stderr)
    return out


def load_synth(out: Path):
    recs, stories = [], []
    with open(out / "truth.jsonl", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["type"] == "article":
                recs.append(r)
            elif r["type"] == "story":
                stories.append(r)
    return recs, stories


def _stream_inputs(out: Path):
    with open(out / "truth.jsonl", encoding="utf-8") as f:
        for line in f:
            if not line.startswith('{"type": "article"'):
                continue
            r = json.loads(line)
            text = (out / "corpus" / r["doc_id"]).read_text(encoding="utf-8")
            yield {"doc_id": r["doc_id"], "text": text, "title": r["title"], "outlet": r["outlet"], "date": r["date"]}


def synth_inputs(out: Path, recs):
    for r in recs:
        text = (out / "corpus" / r["doc_id"]).read_text(encoding="utf-8")
        yield {"doc_id": r["doc_id"], "text": text, "title": r["title"], "outlet": r["outlet"], "date": r["date"]}


# ------------------------------------------------------------------------- metrics
def pair_f1(clusters, gold_of, dontcare_of=None, subset=None):
    """Pairwise story P/R/F1 by counting (never materialises the pairs: a baseline that
    chains everything into one cluster must not need 10 GB).
    clusters: predicted groups; gold_of: doc -> primary story; dontcare_of: doc -> other
    stories it also belongs to (composites: pairs across those are not scored); subset(doc):
    score only pairs with at least one such member."""
    c2 = lambda n: n * (n - 1) // 2  # noqa: E731

    def counts(keep):
        tp = pred = 0
        for c in clusters:
            mem = [d for d in c if keep(d)]
            pred += c2(len(mem))
            tp += sum(c2(n) for n in Counter(gold_of[d] for d in mem).values())
        gold = sum(c2(n) for n in Counter(g for d, g in gold_of.items() if keep(d)).values())
        return tp, pred, gold
    tp, pred, gold = counts(lambda d: True)
    if subset is not None:
        t2, p2, g2 = counts(lambda d: not subset(d))
        tp, pred, gold = tp - t2, pred - p2, gold - g2
    dc = set()
    if dontcare_of:
        for c in clusters:
            by = defaultdict(list)
            for d in c:
                by[gold_of[d]].append(d)
            for a in c:
                for s2 in dontcare_of.get(a, ()):
                    if s2 != gold_of[a]:
                        for b in by.get(s2, ()):
                            p = (a, b) if a < b else (b, a)
                            if subset is None or subset(a) or subset(b):
                                dc.add(p)
    fp = pred - tp - len(dc)
    fn = gold - tp
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "gold_pairs": gold, "pred_pairs": pred}


def credit_scores(pred, gold, negatives):
    """pred/gold: {doc: [(start, end, source)]}; negatives: {doc: [(start, end)]}."""
    tp = fp = fn = selfc = 0
    for d in set(pred) | set(gold):
        g = list(gold.get(d, []))
        used = set()
        for s, e, src in pred.get(d, []):
            hit = None
            for i, (gs, ge, gsrc) in enumerate(g):
                if i not in used and s < ge and gs < e and _squash(src) in {_squash(x) for x in gsrc.split("; ")}:
                    hit = i
                    break
            if hit is None:
                fp += 1
                if any(s < ne and ns < e for ns, ne in negatives.get(d, [])):
                    selfc += 1
            else:
                used.add(hit)
                tp += 1
        fn += len(g) - len(used)
    return {"precision": round(tp / (tp + fp), 4) if tp + fp else 1.0, "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
            "tp": tp, "fp": fp, "fn": fn, "self_credits": selfc}


def _overlap(a0, a1, b0, b1):
    return max(0, min(a1, b1) - max(a0, b0))


def sentence_scores(pairs_labels):
    """pairs_labels: list of (gold_label in {'shared','unique'}, kind, predicted_shared bool)."""
    tp = sum(1 for g, _, p in pairs_labels if g == "shared" and p)
    fp = sum(1 for g, _, p in pairs_labels if g == "unique" and p)
    fn = sum(1 for g, _, p in pairs_labels if g == "shared" and not p)
    by_kind = defaultdict(lambda: [0, 0])
    for g, k, p in pairs_labels:
        if g == "shared":
            by_kind[k][1] += 1
            by_kind[k][0] += int(p)
    return {"precision": round(tp / (tp + fp), 4) if tp + fp else 1.0, "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0,
            "n": len(pairs_labels), "recall_by_kind": {k: round(a / b, 4) for k, (a, b) in sorted(by_kind.items()) if b}}


def _pred_shared(spans, gs, ge):
    """A gold sentence is predicted shared if a shared span covers >= 50% of the shorter of the two."""
    for s, e in spans:
        o = _overlap(s, e, gs, ge)
        if o and o >= 0.5 * min(e - s, ge - gs):
            return True
    return False


# ------------------------------------------------------------------------- workers
def _inputs(corpus):
    from searchkit.stories import StoryInput
    if corpus == "seeds":
        docs, _ = load_seeds()
        src = docs
    else:
        # streamed: the truth (sentence maps etc.) is never held in memory while building,
        # so peak RSS is the method's, not the benchmark's
        out = ensure_synth(corpus)
        src = _stream_inputs(out)
    for d in src:
        yield StoryInput(d["doc_id"], d["text"], d["title"], d["outlet"],
                         dt.date.fromisoformat(d["date"]) if d["date"] else None)


def _outlets_of(corpus):
    out = set()
    with open(ensure_synth(corpus) / "truth.jsonl", encoding="utf-8") as f:
        for line in f:
            m = re.search(r'"outlet": "([^"]*)"', line)
            if m:
                out.add(m.group(1))
    return sorted(out)


def worker_ours(corpus, incremental=1000):
    from searchkit.stories import build_stories
    from searchkit.stories import model as M
    # the indexer knows every article's outlet (text or metadata) before the stories stage
    known = sorted({d["outlet"] for d in load_seeds()[0] if d["outlet"]}) if corpus == "seeds" else _outlets_of(corpus)
    gc.collect()
    rss0 = _rss_mb()
    t = time.perf_counter()
    cpu0 = time.process_time()
    model = build_stories(_inputs(corpus), known_outlets=known)
    build = time.perf_counter() - t
    cpu = time.process_time() - cpu0
    rss = _rss_mb()
    res = {"method": "searchkit.stories", "build_s": round(build, 2), "build_cpu_s": round(cpu, 2),
           "peak_rss_mb": round(rss, 1), "rss_before_build_mb": round(rss0, 1),
           "params": {k: getattr(M, k) for k in dir(M) if k.isupper() and isinstance(getattr(M, k), (int, float))}}
    clusters = [list(s.doc_ids) for s in model.stories]
    earliest = {s.story_id: s.earliest for s in model.stories}
    story_of = {d: model.story_of(d) for s in model.stories for d in s.doc_ids}
    credits = {d: [(c.start, c.end, c.source) for c in model.credits_of(d)] for d in model._docs}
    blob = model.to_bytes()
    res["model_bytes"] = len(blob)
    if corpus == "seeds":
        res.update(score_seeds(clusters, credits, model, earliest))
    else:
        res.update(score_synth(corpus, clusters, credits, model, earliest, story_of))
        if incremental:
            ids = sorted(model._docs)[-incremental:]
            keep = {}
            out = ensure_synth(corpus)
            for d in ids:
                keep[d] = (out / "corpus" / d).read_text(encoding="utf-8")
            recs = {r["doc_id"]: r for r in load_synth(out)[0] if r["doc_id"] in keep}
            from searchkit.stories import StoryInput
            t = time.perf_counter()
            model.update([], removed=ids)
            rem = time.perf_counter() - t
            t = time.perf_counter()
            model.update([StoryInput(d, keep[d], recs[d]["title"], recs[d]["outlet"],
                                     dt.date.fromisoformat(recs[d]["date"]) if recs[d]["date"] else None) for d in ids])
            add = time.perf_counter() - t
            res["incremental"] = {"n": incremental, "remove_s": round(rem, 2), "add_s": round(add, 2),
                                  "pair_f1_after": score_synth(corpus, [list(s.doc_ids) for s in model.stories], None, None, None, None,
                                                               only_pairs=True)["pair"]["all"]["f1"]}
    res["peak_rss_mb_final"] = round(_rss_mb(), 1)
    return res


def _shingles(text, k=5):
    w = re.findall(r"\w+", text.lower())
    return {" ".join(w[i:i + k]).encode() for i in range(max(1, len(w) - k + 1))}


def worker_minhash(corpus):
    from datasketch import MinHash, MinHashLSH
    gc.collect()
    t = time.perf_counter()
    cpu0 = time.process_time()
    ids, sigs, meta = [], [], {}
    for d in _inputs(corpus):
        m = MinHash(num_perm=128)
        m.update_batch(list(_shingles(d.text)))
        ids.append(d.doc_id)
        sigs.append(m)
        meta[d.doc_id] = d.date
    sig_s = time.perf_counter() - t
    sig_cpu = time.process_time() - cpu0
    rss_sig = _rss_mb()
    best = None
    tried = []
    for thr in THRESHOLDS:
        t1 = time.perf_counter()
        c1 = time.process_time()
        lsh = MinHashLSH(threshold=thr, num_perm=128)
        for i, m in zip(ids, sigs):
            lsh.insert(i, m)
        parent = {i: i for i in ids}

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x
        for i, m in zip(ids, sigs):
            for j in lsh.query(m):
                a, b = find(i), find(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
        groups = defaultdict(list)
        for i in ids:
            groups[find(i)].append(i)
        clusters = [g for g in groups.values() if len(g) > 1]
        dur = time.perf_counter() - t1
        dcpu = time.process_time() - c1
        if corpus == "seeds":
            sc = score_seeds(clusters, None, None, _earliest_by_date(clusters, meta))
        else:
            sc = score_synth(corpus, clusters, None, None, _earliest_by_date(clusters, meta), None)
        f = sc["pair"]["all"]["f1"] if "all" in sc["pair"] else sc["pair"]["f1"]
        tried.append({"threshold": thr, "f1": f, "lsh_s": round(dur, 2)})
        if best is None or f > best[0]:
            best = (f, thr, sc, dur, dcpu)
        del lsh
    cpu = time.process_time() - cpu0
    res = {"method": "datasketch MinHashLSH (5-word shingles, num_perm 128, connected components)",
           "threshold": best[1], "tuning": tried, "build_s": round(sig_s + best[3], 2),
           "build_cpu_s": round(sig_cpu + best[4], 2), "peak_rss_mb_after_signatures": round(rss_sig, 1),
           "signatures_s": round(sig_s, 2), "all_thresholds_cpu_s": round(cpu, 2), "peak_rss_mb": round(_rss_mb(), 1)}
    res.update(best[2])
    return res


def _earliest_by_date(clusters, meta):
    out = {}
    for k, c in enumerate(clusters):
        dated = sorted((meta[d], d) for d in c if meta.get(d))
        out[k] = dated[0][1] if dated else None
    return out


# ------------------------------------------------------------------------- scoring
def score_seeds(clusters, credits, model, earliest):
    _, truth = load_seeds()
    f2k = {a["file"]: k for k, a in truth["articles"].items()}
    gold_of = {}
    for c in truth["stories"]["clusters"]:
        for k in c["members"]:
            gold_of[truth["articles"][k]["file"]] = c["id"]
    res = {"pair": pair_f1(clusters, gold_of)}
    res["stories"] = [sorted(f2k[d] for d in c) for c in clusters]
    # earliest dated carrier of story S1
    s1 = {truth["articles"][k]["file"] for k in truth["stories"]["clusters"][0]["members"]}
    want = truth["articles"][truth["claim_timeline"]["C01"]["earliest_dated"]]["file"]
    got = None
    vals = list(earliest.values()) if isinstance(earliest, dict) else []
    for c, e in zip(clusters, vals if model is None else [model.story(model.story_of(c[0])).earliest for c in clusters]):
        if set(c) & s1 and len(set(c) & s1) >= len(s1) / 2:
            got = e
    res["earliest"] = {"correct": got == want, "predicted": f2k.get(got), "expected": f2k[want]}
    if credits is not None:
        gold = defaultdict(list)
        for a in truth["attributions"]:
            if a["counts_as_outlet_credit"]:
                for o in a["outlet"].split("; "):  # "the outlets" = AP and Bloomberg: two credits
                    gold[truth["articles"][a["doc"]]["file"]].append((a["mention"]["start"], a["mention"]["end"], o))
        neg = defaultdict(list)
        for a in truth["not_attributions"]:
            neg[truth["articles"][a["doc"]]["file"]].append((a["start"], a["end"]))
        res["credits"] = credit_scores(credits, gold, neg)
        expl = {d: [g for g in v] for d, v in gold.items()}
        res["credits"]["gold"] = sum(len(v) for v in expl.values())
    if model is not None:
        labels = []
        arts = truth["articles"]
        for p in truth["pairs"]:
            if gold_of[arts[p["a"]]["file"]] != gold_of[arts[p["b"]]["file"]]:
                continue
            cmp = model.compare(arts[p["a"]]["file"], arts[p["b"]]["file"])
            sa = [(x.a_start, x.a_end) for x in cmp.shared]
            sb = [(x.b_start, x.b_end) for x in cmp.shared]
            kinds = {}
            for sh in p["shared"]:
                for side in ("a", "b"):
                    kinds[sh[side]] = "near_verbatim" if sh["kind"] == "near_verbatim" or kinds.get(sh[side]) == "near_verbatim" else sh["kind"]
            for sid, lab in p["sentence_labels"].items():
                if lab not in ("shared", "unique"):
                    continue
                k = sid.split(".")[0]
                sent = next(s for s in arts[k]["sentences"] if s["id"] == sid)
                spans = sa if k == p["a"] else sb
                labels.append((lab, kinds.get(sid, "unique"), _pred_shared(spans, sent["start"], sent["end"])))
        res["sentences"] = sentence_scores(labels)
        # the verbatim run the tests also check
        res["self_credit_outlets"] = []
    return res


_SYNTH_CACHE = {}


def score_synth(corpus, clusters, credits, model, earliest, story_of, only_pairs=False, n_cmp=1500):
    out = ensure_synth(corpus)
    if corpus not in _SYNTH_CACHE:
        _SYNTH_CACHE[corpus] = load_synth(out)
    recs, stories = _SYNTH_CACHE[corpus]
    by = {r["doc_id"]: r for r in recs}
    gold_of = {r["doc_id"]: r["story"] for r in recs}

    dontcare = {r["doc_id"]: [x for x in r["stories"] if x != r["story"]] for r in recs if len(r["stories"]) > 1}
    res = {"pair": {"all": pair_f1(clusters, gold_of, dontcare),
                    "paraphrase": pair_f1(clusters, gold_of, dontcare, lambda d: by[d]["kind"] == "paraphrase"),
                    "verbatim": pair_f1(clusters, gold_of, dontcare, lambda d: by[d]["kind"] == "verbatim"),
                    "light": pair_f1(clusters, gold_of, dontcare, lambda d: by[d]["kind"] == "light")}}
    if only_pairs:
        return res
    # earliest: per true story with a dated member; its predicted story (plurality) must name a
    # member whose known date is the story's earliest known date
    pred_of = {}
    pred_earliest = []
    for k, c in enumerate(clusters):
        for d in c:
            pred_of[d] = k
    if model is not None:
        pred_earliest = [model.story(model.story_of(c[0])).earliest for c in clusters]
    else:
        pred_earliest = [earliest[k] for k in range(len(clusters))]
    members = defaultdict(list)
    for r in recs:
        members[r["story"]].append(r["doc_id"])
    ok = tot = strict = 0
    for sid, m in members.items():
        dated = [d for d in m if by[d]["date"]]
        if len(m) < 2 or not dated:
            continue
        tot += 1
        first = min(by[d]["date"] for d in dated)
        first_doc = min(dated, key=lambda d: by[d]["time"])
        votes = Counter(pred_of[d] for d in m if d in pred_of)
        if not votes:
            continue
        k = votes.most_common(1)[0][0]
        e = pred_earliest[k]
        if e is not None and by[e]["story"] == sid and by[e]["date"] == first:
            ok += 1
        if e == first_doc:
            strict += 1
    res["earliest"] = {"accuracy": round(ok / tot, 4) if tot else None, "strict_first_by_time": round(strict / tot, 4) if tot else None, "stories": tot}
    if credits is not None:
        gold = {r["doc_id"]: [tuple(c) for c in r["credits"]] for r in recs}
        neg = {r["doc_id"]: [tuple(x[:2]) for x in r["negatives"]] for r in recs}
        res["credits"] = credit_scores(credits, gold, neg)
    if model is not None:
        rng = Random(1)
        pairs = []
        for sid, m in sorted(members.items()):
            if len(m) >= 2:
                a, b = rng.sample(sorted(m), 2)
                pairs.append((a, b))
        rng.shuffle(pairs)
        labels = []
        for a, b in pairs[:n_cmp]:
            cmp = model.compare(a, b)
            for side, me, other, spans in (("a", a, b, [(x.a_start, x.a_end) for x in cmp.shared]),
                                           ("b", b, a, [(x.b_start, x.b_end) for x in cmp.shared])):
                osids = set()
                for s0, s1, st, sids, kind in by[other]["sentences"]:
                    if st is not None:
                        osids.update((st, x) for x in sids)
                for s0, s1, st, sids, kind in by[me]["sentences"]:
                    if kind == "furniture":
                        continue
                    shared = st is not None and any((st, x) in osids for x in sids)
                    labels.append(("shared" if shared else "unique", kind, _pred_shared(spans, s0, s1)))
        res["sentences"] = sentence_scores(labels)
    return res


# ------------------------------------------------------------------------- driver
def run_worker(method, corpus):
    cmd = [sys.executable, __file__, "--worker", method, "--corpus", corpus,
           "--thresholds", ",".join(str(x) for x in THRESHOLDS)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr)
        raise SystemExit(f"{method} worker failed")
    sys.stderr.write(p.stderr)
    return json.loads(p.stdout.strip().splitlines()[-1])


def table(corpus, ours, mh):
    def g(r, *path):
        for k in path:
            if r is None or k not in r:
                return "-"
            r = r[k]
        return r
    rows = []
    if corpus == "seeds":
        rows += [("pair F1", g(ours, "pair", "f1"), g(mh, "pair", "f1"), "1.0"),
                 ("stories", g(ours, "stories"), g(mh, "stories"), "[[000,001,002,003]]"),
                 ("credits P", g(ours, "credits", "precision"), "-", ">=0.95"),
                 ("credits R", g(ours, "credits", "recall"), "-", "1.0"),
                 ("self-credits", g(ours, "credits", "self_credits"), "-", "0"),
                 ("shared-sent P", g(ours, "sentences", "precision"), "-", ">=0.85"),
                 ("shared-sent R", g(ours, "sentences", "recall"), "-", ">=0.70"),
                 ("earliest", g(ours, "earliest", "predicted"), g(mh, "earliest", "predicted"), "002")]
    else:
        rows += [("pair F1 all", g(ours, "pair", "all", "f1"), g(mh, "pair", "all", "f1"), ">=0.95"),
                 ("pair F1 paraphrase", g(ours, "pair", "paraphrase", "f1"), g(mh, "pair", "paraphrase", "f1"), ">=0.90, +0.15"),
                 ("pair F1 verbatim", g(ours, "pair", "verbatim", "f1"), g(mh, "pair", "verbatim", "f1"), ">= MinHash"),
                 ("pair P / R all", f'{g(ours, "pair", "all", "precision")} / {g(ours, "pair", "all", "recall")}',
                  f'{g(mh, "pair", "all", "precision")} / {g(mh, "pair", "all", "recall")}', ""),
                 ("shared-sent P", g(ours, "sentences", "precision"), "-", ">=0.95"),
                 ("shared-sent R", g(ours, "sentences", "recall"), "-", ">=0.90"),
                 ("credits P", g(ours, "credits", "precision"), "-", ">=0.97"),
                 ("credits R", g(ours, "credits", "recall"), "-", ">=0.95"),
                 ("self-credits", g(ours, "credits", "self_credits"), "-", "0"),
                 ("earliest", g(ours, "earliest", "accuracy"), g(mh, "earliest", "accuracy"), ">=0.98"),
                 ("build s (wall)", g(ours, "build_s"), g(mh, "build_s"), "<=2x MinHash"),
                 ("build s (CPU)", g(ours, "build_cpu_s"), g(mh, "build_cpu_s"), "<=2x MinHash"),
                 ("peak RSS MB (build)", g(ours, "peak_rss_mb"), g(mh, "peak_rss_mb_after_signatures"), "<=1536"),
                 ("add 1000 s", g(ours, "incremental", "add_s"), "-", "<=30")]
    w = max(len(r[0]) for r in rows)
    print(f"{'metric':<{w}}  {'stories':>22}  {'MinHash':>22}  goal")
    for r in rows:
        print(f"{r[0]:<{w}}  {str(r[1]):>22}  {str(r[2]):>22}  {r[3]}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="medium", help="seeds | tiny | medium | large | N")
    ap.add_argument("--worker", choices=["ours", "minhash"])
    ap.add_argument("--no-minhash", action="store_true")
    ap.add_argument("--both", action="store_true", help="seeds and the synthetic corpus")
    ap.add_argument("--thresholds", help="MinHash thresholds to tune over, comma-separated (default 0.1..0.9)")
    a = ap.parse_args(argv)
    global THRESHOLDS
    if a.thresholds:
        THRESHOLDS = tuple(float(x) for x in a.thresholds.split(","))
    if a.worker:
        r = worker_ours(a.corpus) if a.worker == "ours" else worker_minhash(a.corpus)
        print(json.dumps(r))
        return 0
    corpora = ["seeds", a.corpus] if a.both and a.corpus != "seeds" else [a.corpus]
    RESULTS.mkdir(exist_ok=True)
    for corpus in corpora:
        if corpus != "seeds":
            ensure_synth(corpus)
        ours = run_worker("ours", corpus)
        mh = None if a.no_minhash else run_worker("minhash", corpus)
        rec = {"corpus": corpus, "date": dt.date.today().isoformat(), "machine_cpus": os.cpu_count(),
               "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip(),
               "stories": ours, "minhash": mh}
        if corpus != "seeds":
            import storygen
            rec["generator"] = storygen.VERSION
        path = RESULTS / f"stories-{corpus}-{rec['date']}.json"
        path.write_text(json.dumps(rec, indent=1) + "\n", encoding="utf-8")
        print(f"\n== {corpus}  ({path.relative_to(ROOT)})")
        table(corpus, ours, mh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
