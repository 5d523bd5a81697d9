"""Stories and credits scored on corpora the method was not built on, through the real indexer.

Sets: a storygen2 corpus (benchmarks/storygen2.py, written by another helper; its truth.json),
the storygen corpus (benchmarks/storygen.py) and the seeds. Each corpus folder is indexed once
with `searchkit.build_index` (readers, metadata.toml, outlet/date inference: what a user gets),
the indexed texts and metadata are kept, and the stories are then computed in this process so
that several settings of the method can be compared on the same inputs (cross-validation).

Scores, each with a 95% interval (Wilson for proportions; a bootstrap over stories for pair
precision/recall/F1, resampling whole true stories):
- pairs: pairwise precision / recall / F1 of story membership;
- credits: precision / recall of outlet credits (mention located by the truth's paragraph and
  offset; the credited outlet matched by its aliases); self-references credited are errors;
- earliest: the predicted story's earliest dated member is one of the truth's earliest;
  undated articles never count as earliest.

Usage:
  python benchmarks/stories_sets.py storygen2 --split dev [--n 600]   (or storygen3, storygen4: the same truth shape)
  python benchmarks/stories_sets.py folder CORPUS_DIR   (a storygen2-format truth.json inside)
Writes benchmarks/results/stories-sets-<name>-<date>.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from random import Random

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work"
RESULTS = HERE / "results"


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (round(max(0.0, c - h), 4), round(min(1.0, c + h), 4))


def indexed_inputs(corpus: Path, work: Path):
    """StoryInputs of every document, as the indexer sees them (built once, cached in work)."""
    import pickle

    import searchkit
    from searchkit import story_stage
    cache = work / "inputs.pickle"
    if cache.exists() and cache.stat().st_mtime > max(p.stat().st_mtime for p in corpus.rglob("*")):
        return pickle.loads(cache.read_bytes())
    work.mkdir(parents=True, exist_ok=True)
    ix = searchkit.build_index(corpus, work / "ix", rebuild=True)
    with ix:
        rows = ix._read(lambda reader: [story_stage.story_input(d, t, m) for d, t, m in reader.documents()])
    cache.write_bytes(pickle.dumps(rows))
    return rows


def _squash(name):
    from searchkit.stories.credits import squash
    return squash(name or "")


def _locate(text: str, item: dict) -> tuple[int, int] | None:
    """Where a truth mention is in the indexed text: its paragraph, then its offset there."""
    ctx = item.get("context") or ""
    pos = text.find(ctx) if ctx else -1
    if pos < 0 and ctx:
        head = ctx[:60]
        pos = text.find(head)
    if pos < 0:
        return None
    s = pos + item["at"]
    return (s, s + len(item["mention"]))


def pair_counts(clusters, gold_of):
    c2 = lambda n: n * (n - 1) // 2  # noqa: E731
    tp = pred = 0
    for c in clusters:
        pred += c2(len(c))
        tp += sum(c2(n) for n in Counter(gold_of[d] for d in c if d in gold_of).values())
    gold = sum(c2(n) for n in Counter(gold_of.values()).values())
    return tp, pred, gold


def prf(tp, pred, gold):
    p = tp / pred if pred else 1.0
    r = tp / gold if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score_pairs(clusters, gold_of, boot=300, seed=1):
    tp, pred, gold = pair_counts(clusters, gold_of)
    p, r, f = prf(tp, pred, gold)
    # 95% intervals by cluster bootstrap: precision resamples predicted clusters (its pairs
    # are not independent), recall resamples true stories; F1 from the two draws
    c2 = lambda n: n * (n - 1) // 2  # noqa: E731
    per_pred = [(sum(c2(n) for n in Counter(gold_of[d] for d in c if d in gold_of).values()), c2(len(c))) for c in clusters]
    pred_of = {}
    for k, c in enumerate(clusters):
        for d in c:
            pred_of[d] = k
    stories = defaultdict(list)
    for d, g in gold_of.items():
        stories[g].append(d)
    per_gold = [(sum(c2(n) for n in Counter(pred_of.get(d, ("solo", d)) for d in m).values()), c2(len(m)))
                for m in stories.values()]
    rng = Random(seed)
    fs, ps, rs = [], [], []
    for _ in range(boot):
        sp = [per_pred[rng.randrange(len(per_pred))] for _ in per_pred] if per_pred else []
        sg = [per_gold[rng.randrange(len(per_gold))] for _ in per_gold]
        pp = sum(x[0] for x in sp) / max(1, sum(x[1] for x in sp)) if sp else 1.0
        rr = sum(x[0] for x in sg) / max(1, sum(x[1] for x in sg))
        ps.append(pp)
        rs.append(rr)
        fs.append(2 * pp * rr / (pp + rr) if pp + rr else 0.0)

    def ci(xs):
        xs = sorted(xs)
        return (round(xs[int(0.025 * len(xs))], 4), round(xs[int(0.975 * len(xs)) - 1], 4))
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "precision_ci": ci(ps),
            "recall_ci": ci(rs), "f1_ci": ci(fs), "gold_pairs": gold, "pred_pairs": pred}


def score_credits(model, texts, truth_articles, by_form=True):
    tp = fp = fn = selfc = 0
    forms = defaultdict(lambda: [0, 0])
    langs = defaultdict(lambda: [0, 0])
    held = [0, 0]
    misses, false = [], []
    for doc, a in truth_articles.items():
        if doc not in texts:
            continue
        text = texts[doc]
        # an outlet is named by its canonical name or by the mention itself ("AP" may be an
        # agency the method's lexicon does not know under that acronym)
        pred = [(c.start, c.end, (_squash(c.source), _squash(text[c.start:c.end])), c.source) for c in model.credits_of(doc)]
        used = set()
        gold = a["credits"]
        dontcare = [(_locate(text, x), {_squash(o) for o in x.get("aliases", [x.get("outlet")])}) for x in a.get("dontcare", [])]
        selfs = [_locate(text, x) for x in a.get("self_references", [])]
        for g in gold:
            span = _locate(text, g)
            names = {_squash(x) for x in g.get("aliases") or [g["outlet"]]} | {_squash(g["outlet"])}
            hit = None
            for i, (s, e, k, _) in enumerate(pred):
                if i in used or not (set(k) & names):
                    continue
                if span is None or (s < span[1] and span[0] < e):
                    hit = i
                    break
            forms[g["form"]][1] += 1
            langs[g["lang"]][1] += 1
            if g.get("held_out_phrasing"):
                held[1] += 1
            if hit is None:
                fn += 1
                if len(misses) < 400:
                    misses.append({"doc": doc, "form": g["form"], "outlet": g["outlet"], "context": g["context"][:200]})
            else:
                used.add(hit)
                tp += 1
                forms[g["form"]][0] += 1
                langs[g["lang"]][0] += 1
                if g.get("held_out_phrasing"):
                    held[0] += 1
        for i, (s, e, k, src) in enumerate(pred):
            if i in used:
                continue
            if any(sp and s < sp[1] and sp[0] < e for sp, _ in dontcare):
                continue
            fp += 1
            is_self = any(sp and s < sp[1] and sp[0] < e for sp in selfs)
            selfc += is_self
            if len(false) < 400:
                false.append({"doc": doc, "source": src, "self_reference": is_self,
                              "context": text[max(0, s - 80):e + 60].replace("\n", " / ")})
    return {"precision": round(tp / (tp + fp), 4) if tp + fp else 1.0, "precision_ci": wilson(tp, tp + fp),
            "recall": round(tp / (tp + fn), 4) if tp + fn else 1.0, "recall_ci": wilson(tp, tp + fn),
            "tp": tp, "fp": fp, "fn": fn, "self_credits": selfc,
            "recall_by_form": {k: f"{a}/{b}" for k, (a, b) in sorted(forms.items())},
            "recall_by_lang": {k: f"{a}/{b}" for k, (a, b) in sorted(langs.items())},
            "recall_held_out_phrasings": f"{held[0]}/{held[1]}",
            "misses": misses, "false": false}


def score_earliest(model, truth):
    ok = tot = 0
    for sid, st in truth["stories"].items():
        m = st["members"]
        if len(m) < 2:
            continue
        votes = Counter(model.story_of(d) for d in m if model.story_of(d) is not None)
        tot += 1
        if not votes:
            continue
        story = model.story(votes.most_common(1)[0][0])
        want = set(st["earliest"])
        got = story.earliest
        if (not want and got is None) or (got in want):
            ok += 1
    return {"accuracy": round(ok / tot, 4) if tot else None, "ci": wilson(ok, tot), "stories": tot}


def evaluate(inputs, truth, params=None):
    from searchkit.stories import build_stories
    from searchkit.stories import model as M
    saved = {}
    for k, v in (params or {}).items():
        saved[k] = getattr(M, k)
        setattr(M, k, v)
    try:
        t = time.perf_counter()
        model = build_stories(inputs)
        took = time.perf_counter() - t
    finally:
        for k, v in saved.items():
            setattr(M, k, v)
    texts = {x.doc_id: x.text for x in inputs}
    gold_of = {}
    for sid, st in truth["stories"].items():
        for d in st["members"]:
            gold_of[d] = sid
    clusters = [list(s.doc_ids) for s in model.stories if len(s.doc_ids) > 1]
    res = {"build_s": round(took, 2), "pair": score_pairs(clusters, gold_of),
           "credits": score_credits(model, texts, truth["articles"]), "earliest": score_earliest(model, truth)}
    # by hard-negative kind: false merges involving independent reports and same-topic events
    kind = {d: a["kind"] for d, a in truth["articles"].items()}
    wrong = Counter()
    for c in clusters:
        for i, a in enumerate(c):
            for b in c[i + 1:]:
                if gold_of.get(a) != gold_of.get(b):
                    wrong[tuple(sorted((kind.get(a, "?"), kind.get(b, "?"))))] += 1
    res["false_pairs_by_kind"] = {"+".join(k): v for k, v in wrong.most_common()}
    return res, model


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("kind", choices=["storygen2", "storygen3", "storygen4", "folder"])
    ap.add_argument("path", nargs="?")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--n", type=int)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--name")
    ap.add_argument("--unseal", action="store_true", help="allow a held-out split (only at the end: STORIES-EVAL.md)")
    ap.add_argument("--show", type=int, default=0, help="print this many credit misses and false credits")
    a = ap.parse_args(argv)
    if a.kind != "folder":
        if a.split == "heldout" and not a.unseal:
            print("stories_sets: held-out splits are run once, at the end, with --unseal (benchmarks/STORIES-EVAL.md)", file=sys.stderr)
            return 2
        name = a.name or f"{a.kind}-{a.split}" + (f"-n{a.n}" if a.n else "") + (f"-s{a.seed}" if a.seed else "")
        corpus = WORK / name
        if not (corpus / "truth.json").exists():
            cmd = [sys.executable, str(HERE / f"{a.kind}.py"), str(corpus), "--split", a.split]
            if a.n:
                cmd += ["--n", str(a.n)]
            if a.seed:
                cmd += ["--seed", str(a.seed)]
            subprocess.run(cmd, check=True)
    else:
        corpus = Path(a.path)
        name = a.name or corpus.name
    truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
    inputs = indexed_inputs(corpus / "corpus" if (corpus / "corpus").is_dir() else corpus, WORK / f"{name}-work")
    res, _ = evaluate(inputs, truth)
    rec = {"set": name, "generator": truth.get("version"), "date": dt.date.today().isoformat(),
           "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip(),
           "articles": len(inputs), **res}
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"stories-sets-{name}-{rec['date']}.json"
    slim = json.loads(json.dumps(rec))
    slim["credits"]["misses"] = slim["credits"]["misses"][:40]
    slim["credits"]["false"] = slim["credits"]["false"][:40]
    out.write_text(json.dumps(slim, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    p, c, e = res["pair"], res["credits"], res["earliest"]
    print(f"{name}: {len(inputs)} articles")
    print(f"  pairs    P {p['precision']} {p['precision_ci']}  R {p['recall']} {p['recall_ci']}  F1 {p['f1']} {p['f1_ci']}")
    print(f"  false pairs by kind: {res['false_pairs_by_kind']}")
    print(f"  credits  P {c['precision']} {c['precision_ci']}  R {c['recall']} {c['recall_ci']}  self {c['self_credits']}  "
          f"(tp {c['tp']} fp {c['fp']} fn {c['fn']})")
    print(f"  credits recall by form {c['recall_by_form']}")
    print(f"  credits recall by lang {c['recall_by_lang']}  held-out phrasings {c['recall_held_out_phrasings']}")
    print(f"  earliest {e['accuracy']} {e['ci']} of {e['stories']}")
    for m in c["misses"][:a.show]:
        print("  MISS", m["form"], m["outlet"], "|", m["context"][:160])
    for m in c["false"][:a.show]:
        print("  FALSE", m["source"], "self" if m["self_reference"] else "", "|", m["context"][:170])
    print(f"  -> {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
