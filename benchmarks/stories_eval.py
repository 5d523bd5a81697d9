"""Stories and credits measured through a real index, on sets the method was not built on (issue 21).

Each set is a folder of files the indexer reads plus a truth; the set is indexed with
searchkit (the real indexer, the real stories stage) and what the index says is scored:

- grouping: pair precision / recall / F1 over all article pairs (singletons included);
- credits: precision / recall by span overlap and outlet (any alias of the credited outlet);
  recall by credit form and language, on held-out-only phrasings apart; false credits on
  self-references (own byline, footer, dateline, "as we reported") counted apart;
- earliest: per story with a dated member, the story the index puts most of its members in
  must name as earliest one of the acceptable members (earliest day; a same-day tie goes to
  the member crediting no other); an undated member named earliest is a guess;
- 95% intervals by a bootstrap over stories (the unit that was sampled);
- a baseline: bag-of-words cosine (tf-idf, single link) with its threshold tuned on the same
  set (an upper bound for that baseline) and, for held-out sets, the threshold tuned on the
  matching dev set.

Sets: storygen2-dev, storygen2-heldout (benchmarks/storygen2.py), storygen3-dev, storygen3-heldout
(benchmarks/storygen3.py: another edit model; pairs also reported without translations), storygen4-dev,
storygen4-heldout (benchmarks/storygen4.py: real prose, reuse as METER labels it), real-dev, real-heldout
(benchmarks/data/stories-real/), seeds (seeds/ with benchmarks/data/stories/seeds-truth.json),
storygen (the first generator's corpus, 600 articles, seed 0). Held-out sets need --unseal:
the method's developer must not run them before the end (benchmarks/STORIES-EVAL.md).

Usage: python benchmarks/stories_eval.py --set storygen2-dev [--label before] [--bootstrap 1000]
Writes benchmarks/results/stories-eval-<set>-<label>.json and prints a summary.
       python benchmarks/stories_eval.py --compare before,after   (a table of two runs, paired intervals)
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from random import Random

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work" / "stories-eval"
RESULTS = HERE / "results"
REAL = HERE / "data" / "stories-real"
SETS = ("storygen2-dev", "storygen2-heldout", "storygen3-dev", "storygen3-heldout", "storygen4-dev", "storygen4-heldout", "real-dev",
        "real-heldout", "seeds", "storygen")
SEALED = {"storygen2-heldout", "storygen3-heldout", "storygen4-heldout", "real-heldout"}
#: The synthetic generators whose truth.json has storygen2's shape, by set-name prefix.
GENERATORS = {"storygen2": "storygen2", "storygen3": "storygen3", "storygen4": "storygen4"}

#: Names the same agency goes by (general knowledge, not the method's lexicon): a predicted
#: credit naming any of them matches a gold credit of any other.
AGENCY_ALIASES = [
    ("Associated Press", "AP", "The Associated Press", "AP News"),
    ("Agence France-Presse", "AFP", "Agence France Presse", "France-Presse", "АФП"),
    ("Reuters", "Thomson Reuters", "Рейтер"), ("dpa", "Deutsche Presse-Agentur"),
    ("EFE", "Agencia EFE"), ("TASS", "ТАСС", "ИТАР-ТАСС"), ("Interfax", "Интерфакс"),
    ("Bloomberg", "Bloomberg News"), ("The Wall Street Journal", "Wall Street Journal", "WSJ"),
    ("Financial Times", "FT"), ("The New York Times", "New York Times", "NYT"),
    ("The Washington Post", "Washington Post"), ("Agenzia Nazionale Stampa Associata", "ANSA"),
    ("Europa Press", "EP"), ("Xinhua", "Xinhua News Agency"), ("Ukrinform", "Укрінформ"),
    ("RIA Novosti", "РИА Новости", "RIA"), ("Frankfurter Allgemeine Zeitung", "FAZ", "F.A.Z."),
    ("Süddeutsche Zeitung", "SZ"), ("Kathpress", "KAP"), ("Evangelischer Pressedienst", "epd"),
    ("Katholische Nachrichten-Agentur", "KNA"), ("Austria Presse Agentur", "APA"),
    ("Schweizerische Depeschenagentur", "SDA", "Keystone-SDA"),
]


def key(name: str | None) -> str:
    """Comparison key of an outlet name: letters and digits, case-folded, no leading article."""
    n = unicodedata.normalize("NFKC", name or "").casefold().strip()
    n = re.sub(r"^(?:the|l'|le|la|el|die|der|das)\s*", "", n)
    n = re.sub(r"\.(?:com|net|org|co\.uk|de|fr|es|ru|ua)$", "", n)
    return re.sub(r"[\W_]+", "", n)


_ALIAS_OF: dict[str, set[str]] = {}
for _group in AGENCY_ALIASES:
    for _n in _group:
        _ALIAS_OF[key(_n)] = {key(x) for x in _group}


def names_of(outlet: str, aliases=()) -> set[str]:
    out = {key(outlet)} | {key(a) for a in aliases}
    for k in list(out):
        out |= _ALIAS_OF.get(k, set())
    return {k for k in out if k}


# ----------------------------------------------------------------------------- sets
class Gold:
    """A set's truth in one shape: per document its story, date, credits, self-references."""

    def __init__(self, name: str, corpus: Path):
        self.name, self.corpus = name, corpus
        self.docs: dict[str, dict] = {}      # doc (path relative to corpus) -> record
        self.earliest: dict[str, list[str]] = {}  # story -> acceptable earliest docs ([] none dated)
        self.notes: list[str] = []
        self.pair_scored = True               # False when the set labels no story

    def story(self, d: str) -> str:
        return self.docs[d]["story"] or f"single:{d}"


def _gold_from_offsets(text: str, start: int, end: int) -> tuple[str, int]:
    """(context line, offset of the mention in it) for a span given by file offsets."""
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    le = len(text) if le < 0 else le
    return text[ls:le], start - ls


def load_generated(gen: str, split: str, regen: bool) -> Gold:
    """A storygen2 or storygen3 split, generated into the work folder (again if stale)."""
    import importlib

    mod = importlib.import_module(GENERATORS[gen])
    out = WORK / f"{gen}-{split}"
    truth_path = out / "truth.json"
    truth = None
    if truth_path.exists() and not regen:
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        if truth.get("version") != mod.VERSION:
            truth = None
    if truth is None:
        truth = mod.write(out, split)
    return gold_of_storygen2(out, truth, gen)


def gold_of_storygen2(out: Path, truth: dict, gen: str = "storygen2") -> Gold:
    """The Gold of a corpus storygen2 (or storygen3: the same truth shape) wrote into ``out``."""
    split = truth["split"]
    g = Gold(f"{gen}-{split}", out / "corpus")
    for d, a in truth["articles"].items():
        g.docs[d] = {"story": a["story"], "date": a["date"], "outlet": a["outlet"], "lang": a["lang"],
                     "credits": a["credits"], "self": a["self_references"], "dontcare": a["dontcare"], "kind": a["kind"],
                     "format": a["format"], "event": a["event"], "topic": a["topic"], "background_from": a.get("background_from", []),
                     "cross_language": a.get("cross_language", False), "issuer": a.get("issuer")}
    for sid, st in truth["stories"].items():
        g.earliest[sid] = st["earliest"]
    g.notes.append(f"generated by {truth['version']} split {split} seed {truth['seed']}, {truth['n']} articles")
    return g


def load_seeds() -> Gold:
    truth = json.loads((HERE / "data" / "stories" / "seeds-truth.json").read_text(encoding="utf-8"))
    corpus = ROOT / "seeds"
    g = Gold("seeds", corpus)
    key_file = {k: a["file"] for k, a in truth["articles"].items()}
    texts = {k: (corpus / f).read_text(encoding="utf-8") for k, f in key_file.items()}
    story_of = {m: c["id"] for c in truth["stories"]["clusters"] for m in c["members"]}
    for k, f in key_file.items():
        art = truth["articles"][k]
        g.docs[f] = {"story": story_of[k], "date": (art.get("date") or {}).get("value"), "outlet": (art.get("outlet") or {}).get("value"),
                     "lang": "en", "credits": [], "self": [], "dontcare": [], "kind": "seed", "format": "txt"}
    for a in truth["attributions"]:
        if not a["counts_as_outlet_credit"]:
            continue
        m = a["mention"]
        ctx, at = _gold_from_offsets(texts[a["doc"]], m["start"], m["end"])
        for o in a["outlet"].split("; "):  # "the outlets" credits AP and Bloomberg: two credits
            g.docs[key_file[a["doc"]]]["credits"].append(
                {"outlet": o, "aliases": [o], "mention": m["text"], "context": ctx, "at": at, "start": m["start"], "end": m["end"],
                 "form": a["kind"], "lang": "en", "held_out_phrasing": False})
    for a in truth["not_attributions"]:
        ctx, at = _gold_from_offsets(texts[a["doc"]], a["start"], a["end"])
        g.docs[key_file[a["doc"]]]["self"].append({"mention": a["text"], "context": ctx, "at": at, "start": a["start"],
                                                   "end": a["end"], "form": "self"})
    for c in truth["stories"]["clusters"]:
        # the earliest dated carrier of the story's claims (the truth's claim timeline)
        firsts = {t["earliest_dated"] for t in truth["claim_timeline"].values()
                  if t.get("kind") == "story" and set(t["articles"]) <= set(c["members"]) and t.get("earliest_dated")}
        g.earliest[c["id"]] = [key_file[k] for k in sorted(firsts)] if len(c["members"]) > 1 else []
    g.notes.append("hand-made seeds truth (benchmarks/data/stories/seeds-truth.json)")
    return g


def earliest_by_text(members: list[str], docs: dict[str, dict]) -> list[str]:
    """Acceptable earliest members: dated on the earliest known day and crediting no other
    member published that day (the issue's rule for same-day ties); [] when none is dated."""
    dated = [d for d in members if docs[d]["date"]]
    if not dated:
        return []
    day = min(docs[d]["date"] for d in dated)
    same = [d for d in dated if docs[d]["date"] == day]
    outlets = {key(docs[d]["outlet"]) for d in same}
    ok = [d for d in same if not ({k for c in docs[d]["credits"] for k in names_of(c["outlet"], c.get("aliases", ()))}
                                  & (outlets - {key(docs[d]["outlet"])}))]
    return sorted(ok or same)


def load_storygen(regen: bool) -> Gold:
    import storygen

    out = WORK / "storygen-600"
    if regen or not (out / "truth.jsonl").exists():
        if out.exists():
            shutil.rmtree(out)
        storygen.write(out, 600, 0)
    g = Gold("storygen", out / "corpus")
    recs = [json.loads(x) for x in (out / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    members = defaultdict(list)
    for r in recs:
        if r.get("type") != "article":
            continue
        text = (out / "corpus" / r["doc_id"]).read_text(encoding="utf-8")
        cr = []
        for s, e, src in r["credits"]:
            if s is None:
                continue
            ctx, at = _gold_from_offsets(text, s, e)
            cr.append({"outlet": src.split("; ")[0], "aliases": src.split("; "), "mention": text[s:e], "context": ctx, "at": at,
                       "start": s, "end": e, "form": "storygen", "lang": "en", "held_out_phrasing": False})
        neg = []
        for x in r["negatives"]:
            ctx, at = _gold_from_offsets(text, x[0], x[1])
            neg.append({"mention": text[x[0]:x[1]], "context": ctx, "at": at, "start": x[0], "end": x[1], "form": "self"})
        g.docs[r["doc_id"]] = {"story": r["story"], "date": r["date"], "outlet": r["outlet"], "lang": "en", "credits": cr,
                               "self": neg, "dontcare": [], "kind": r["kind"], "format": "txt", "time": r["time"]}
        members[r["story"]].append(r["doc_id"])
    for sid, m in members.items():
        g.earliest[sid] = earliest_by_text(m, g.docs) if len(m) > 1 else []
    g.notes.append("storygen.py (the method author's generator), 600 articles, seed 0; earliest by the rule of storygen2")
    return g


def load_real(split: str) -> Gold:
    truth = json.loads((REAL / f"{split}.json").read_text(encoding="utf-8"))
    corpus = WORK / f"real-{split}" / "corpus"
    if corpus.exists():
        shutil.rmtree(corpus)
    corpus.mkdir(parents=True)
    g = Gold(f"real-{split}", corpus)
    for name, p in truth["pages"].items():
        src = (REAL / p["source"]) if not p["source"].startswith("/") else Path(p["source"])
        shutil.copyfile(src.resolve(), corpus / name)
        g.docs[name] = {"story": p.get("story"), "date": p.get("date"), "outlet": p.get("outlet"), "lang": p.get("lang", "?"),
                        "credits": p.get("credits", []), "self": p.get("self_references", []), "dontcare": p.get("doubtful", []),
                        "kind": "real", "format": Path(name).suffix.lstrip(".")}
    if truth.get("metadata_toml"):
        (corpus / "metadata.toml").write_text(truth["metadata_toml"], encoding="utf-8")
    stories = defaultdict(list)
    for d, r in g.docs.items():
        if r["story"]:
            stories[r["story"]].append(d)
    for sid, m in stories.items():
        g.earliest[sid] = truth.get("earliest", {}).get(sid, [])
    g.pair_scored = bool(stories)
    g.notes.append(truth.get("about", ""))
    return g


def load(name: str, regen: bool = False) -> Gold:
    gen, _, split = name.partition("-")
    if gen in GENERATORS and split:
        return load_generated(gen, split, regen)
    if name == "seeds":
        return load_seeds()
    if name == "storygen":
        return load_storygen(regen)
    if name.startswith("real-"):
        return load_real(name.split("-", 1)[1])
    raise SystemExit(f"stories_eval: unknown set {name!r} (one of {', '.join(SETS)})")


# ----------------------------------------------------------------------------- the index's answer
def run_index(g: Gold, index_dir: Path) -> dict:
    """Index the set (from empty) and read back what the index says: stories, earliest,
    credits with spans in each document's text, the text itself and its outlet and date."""
    from searchkit import api

    if index_dir.exists():
        shutil.rmtree(index_dir)
    t0 = time.perf_counter()
    ix = api.build_index(g.corpus, index_dir, rebuild=True)
    build_s = time.perf_counter() - t0
    docs = {}
    for d in ix.doc_ids():
        doc = ix.document(d)
        docs[d] = {"text": doc.text, "title": doc.meta.title, "outlet": doc.meta.outlet,
                   "date": doc.meta.date.isoformat() if doc.meta.date else None,
                   "credits": [(c.start, c.end, c.source) for c in ix.credits_of(d)]}
    stories = [(s.story_id, list(s.doc_ids), s.earliest) for s in ix.stories()]
    ix.close()
    return {"docs": docs, "stories": stories, "build_s": round(build_s, 2)}


# ----------------------------------------------------------------------------- locating gold spans
def _locate(text: str, rec: dict) -> tuple[int, int] | None:
    """Where a gold mention is in the indexed text: its context found there (exactly, else up to
    whitespace), nearest to the offset the truth gives."""
    ctx, at, m = rec["context"], rec["at"], rec["mention"]
    hits = [i.start() for i in re.finditer(re.escape(ctx), text)] if ctx else []
    if hits:
        want = rec.get("start", 0) - at
        i = min(hits, key=lambda h: abs(h - want))
        return i + at, i + at + len(m)
    # whitespace may differ (an extractor joins lines); map through a collapsed copy
    pat = r"\s+".join(re.escape(w) for w in ctx.split())
    mm = re.search(pat, text) if pat else None
    if mm:
        before = ctx[:at].split()
        k = mm.start()
        # walk the words of the context before the mention
        for w in before:
            k = text.index(w, k) + len(w)
        j = text.find(m, k)
        if j >= 0 and j - k < 10:
            return j, j + len(m)
    return None


# ----------------------------------------------------------------------------- scoring
def _c2(n: int) -> int:
    return n * (n - 1) // 2


def score(g: Gold, clusters: list[list[str]], earliest_of: list[str | None] | None, credits: dict | None,
          texts: dict[str, str], with_detail: bool = True, dates_ok: dict[str, bool] | None = None) -> dict:
    """Per-story contributions (for the bootstrap) and the totals."""
    docs = [d for d in g.docs if d in texts]
    missing = [d for d in g.docs if d not in texts]
    per: dict[str, Counter] = defaultdict(Counter)
    # pairs
    gold_size = Counter(g.story(d) for d in docs)
    for s, n in gold_size.items():
        per[s]["gold_pairs"] += _c2(n)
    # storygen3: translations are members; pairs with one are also counted apart ("xl")
    xl_docs = {d for d in docs if g.docs[d].get("cross_language")}
    if xl_docs:
        for s, n in gold_size.items():
            k = sum(1 for d in docs if d in xl_docs and g.story(d) == s)
            per[s]["gold_pairs_xl"] += _c2(n) - _c2(n - k)
    pred_of = {}
    false_by = Counter()
    for k, c in enumerate(clusters):
        mem = [d for d in c if d in g.docs]
        if with_detail and "event" in g.docs[next(iter(g.docs))]:
            for i, a in enumerate(mem):
                for b in mem[i + 1:]:
                    if g.story(a) != g.story(b):
                        false_by[_relation(g.docs[a], g.docs[b])] += 1
        by = Counter(g.story(d) for d in mem)
        for s, n in by.items():
            per[s]["tp_pairs"] += _c2(n)
            if xl_docs:
                nx = sum(1 for d in mem if d in xl_docs and g.story(d) == s)
                per[s]["tp_pairs_xl"] += _c2(n) - _c2(n - nx)
                # false pairs with a translation on either side (half to each story, as fp_pairs)
                other_xl = sum(1 for d in mem if d in xl_docs and g.story(d) != s)
                per[s]["fp_pairs_xl"] += (n * (len(mem) - n) - (n - nx) * (len(mem) - n - other_xl)) / 2
            # false pairs: half to each story
            per[s]["fp_pairs"] += n * (len(mem) - n) / 2
        for d in mem:
            pred_of[d] = k
    # earliest
    if earliest_of is not None:
        for s, ok in g.earliest.items():
            mem = [d for d in docs if g.story(d) == s]
            if len(mem) < 2 or not ok:
                continue
            per[s]["earliest_n"] += 1
            votes = Counter(pred_of[d] for d in mem if d in pred_of)
            if not votes:
                continue
            k = votes.most_common(1)[0][0]
            e = earliest_of[k]
            per[s]["earliest_ok"] += int(e in ok)
            if dates_ok is not None and all(dates_ok.get(d, False) for d in mem):
                per[s]["earliest_n_dates_read"] += 1
                per[s]["earliest_ok_dates_read"] += int(e in ok)
            if e is not None and e in g.docs and not g.docs[e]["date"]:
                per[s]["earliest_guess"] += 1
    # credits
    detail = defaultdict(Counter)
    unlocated = []
    if credits is not None:
        for d in docs:
            s = g.story(d)
            rec = g.docs[d]
            text = texts[d]
            gold = []
            for c in rec["credits"]:
                span = _locate(text, c)
                if span is None:
                    unlocated.append({"doc": d, "mention": c["mention"], "form": c["form"], "context": c["context"][:120]})
                    detail[("unlocated", c["form"])]["n"] += 1
                    continue
                gold.append((span, names_of(c["outlet"], c.get("aliases", ())), c))
            negf = [(sp, c["form"]) for c in rec["self"] if (sp := _locate(text, c))]
            dc = [sp for c in rec["dontcare"] if (sp := _locate(text, c))]
            for c in rec["dontcare"]:  # doubtful mentions repeated all over a page (teaser lists)
                if c.get("all_occurrences"):
                    dc += [(m.start(), m.end()) for m in re.finditer(re.escape(c["mention"]), text)]
            used = set()
            lenient_used = set()
            for ps, pe, src in credits.get(d, []):
                pk = names_of(src)
                hit = None
                for i, ((gs, ge), gnames, c) in enumerate(gold):
                    if i not in used and ps < ge and gs < pe and pk & gnames:
                        hit = i
                        break
                # lenient: also the right span naming the outlet by part of its name ("Fenul Wire")
                if hit is not None:
                    lenient_used.add(hit)
                    per[s]["cr_tp_lenient"] += 1
                else:
                    for i, ((gs, ge), gnames, c) in enumerate(gold):
                        if i not in lenient_used and i not in used and ps < ge and gs < pe and any(
                                a and b and (a in b or b in a) and min(len(a), len(b)) >= 3 for a in pk for b in gnames):
                            lenient_used.add(i)
                            per[s]["cr_tp_lenient"] += 1
                            break
                if hit is not None:
                    used.add(hit)
                    per[s]["cr_tp"] += 1
                    continue
                if any(ps < e and s0 < pe for s0, e in dc):
                    per[s]["cr_ignored"] += 1
                    continue
                per[s]["cr_fp"] += 1
                detail[("fp_lang", rec["lang"])]["n"] += 1
                selfhit = next((f for (s0, e), f in negf if ps < e and s0 < pe), None)
                if selfhit is not None:
                    per[s]["cr_self"] += 1
                    detail[("self_credit", selfhit)]["n"] += 1
                elif with_detail and len(detail[("fp_examples", "")]) < 40:
                    detail[("fp_examples", "")][f"{d}: {src!r} at {text[max(0, ps - 30):pe + 10]!r}"] += 1
            for i, ((gs, ge), gnames, c) in enumerate(gold):
                hit = i in used
                per[s]["cr_gold"] += 1
                for dim in (("form", c["form"]), ("lang", c.get("lang", rec["lang"])),
                            ("held_out_phrasing", str(bool(c.get("held_out_phrasing"))))):
                    detail[dim]["gold"] += 1
                    detail[dim]["tp"] += int(hit)
                if not hit and with_detail and len(detail[("fn_examples", "")]) < 60:
                    detail[("fn_examples", "")][f"{d} [{c['form']}/{c.get('lang')}]: {c['outlet']!r} in "
                                                f"{text[max(0, gs - 50):ge + 20]!r}"] += 1
            detail[("tp_lang", rec["lang"])]["n"] += len(used)
    return {"per": per, "detail": detail, "unlocated": unlocated, "missing": missing, "false_pairs_by_relation": dict(false_by)}


def _relation(a: dict, b: dict) -> str:
    """How two articles of different stories are related (storygen2, storygen3 and storygen4 truth)."""
    kinds = {a["kind"], b["kind"]}
    # storygen4's kinds that are no member of the story they take from
    if "roundup" in kinds:
        return "a roundup carrying one sentence of the other's story"
    if "headlines" in kinds:
        return "a headline list carrying the other's title"
    if "followup" in kinds and a["topic"] == b["topic"]:
        return "a follow-up recapping the other's story in one or two sentences"
    if kinds <= {"market", "weather", "sports"} and a["topic"] == b["topic"]:
        return "same-template report of another day (markets, weather, sports)"
    if "opinion" in kinds:
        return "an opinion piece quoting one sentence of the other's story"
    if "aggregator" in kinds:
        return "an aggregator page quoting the lede of the other's story"
    if kinds <= {"release", "reprint"} and a["topic"] != b["topic"]:
        if a.get("issuer") and a.get("issuer") == b.get("issuer"):
            return "press releases of one issuer (shared boilerplate)"
        return "press releases of two issuers (same frames)"
    if a["event"] == b["event"]:
        return "same event, independent report"
    if a.get("issuer") and a.get("issuer") == b.get("issuer"):  # storygen4: one institution, its boilerplate sentence
        return "same institution, other event (its boilerplate shared)"
    if a["story"] in b["background_from"] or b["story"] in a["background_from"]:
        return "one pasted background from the other's story"
    if a["topic"] == b["topic"]:
        return "same topic, other event"
    return "unrelated (shared sentence frames only)"


def totals(per: dict[str, Counter], keys: list[str] | None = None) -> dict:
    t = Counter()
    for s in (keys if keys is not None else per):
        t.update(per[s])
    out = {}
    tp, fp, gold = t["tp_pairs"], t["fp_pairs"], t["gold_pairs"]
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / gold if gold else 1.0
    out["pairs"] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
                    "true_pairs_found": tp, "false_pairs": fp, "gold_pairs": gold}
    if t["gold_pairs_xl"]:  # storygen3: the same figures without pairs involving a translation
        tp1, gold1 = tp - t["tp_pairs_xl"], gold - t["gold_pairs_xl"]
        fp1 = fp - t["fp_pairs_xl"]
        p1 = tp1 / (tp1 + fp1) if tp1 + fp1 else 1.0
        r1 = tp1 / gold1 if gold1 else 1.0
        out["pairs_within_language"] = {"precision": p1, "recall": r1, "f1": 2 * p1 * r1 / (p1 + r1) if p1 + r1 else 0.0,
                                        "gold_pairs": gold1, "about": "pairs involving a translation left out"}
        out["pairs_cross_language"] = {"recall": t["tp_pairs_xl"] / t["gold_pairs_xl"], "gold_pairs": t["gold_pairs_xl"]}
    if t["earliest_n"]:
        out["earliest"] = {"accuracy": t["earliest_ok"] / t["earliest_n"], "stories": t["earliest_n"],
                           "undated_named_earliest": t["earliest_guess"]}
        if t["earliest_n_dates_read"]:
            out["earliest"]["accuracy_where_index_read_all_dates"] = t["earliest_ok_dates_read"] / t["earliest_n_dates_read"]
            out["earliest"]["stories_where_index_read_all_dates"] = t["earliest_n_dates_read"]
    if t["cr_gold"] or t["cr_tp"] or t["cr_fp"]:
        ctp, cfp, cg = t["cr_tp"], t["cr_fp"], t["cr_gold"]
        lt = t["cr_tp_lenient"]
        npred = ctp + cfp
        out["credits"] = {"precision": ctp / npred if npred else 1.0, "recall": ctp / cg if cg else 1.0,
                          "tp": ctp, "fp": cfp, "gold": cg, "false_on_self_references": t["cr_self"],
                          "ignored_on_unresolvable": t["cr_ignored"],
                          "lenient_names": {"precision": min(lt, npred) / npred if npred else 1.0, "recall": lt / cg if cg else 1.0,
                                            "about": "span right, outlet named by part of its name or a longer form"}}
    return out


def bootstrap(per: dict[str, Counter], b: int, seed: int = 7) -> dict:
    """95% percentile intervals of each headline figure, resampling stories."""
    stories = sorted(per)
    rng = Random(seed)
    samples = defaultdict(list)
    for _ in range(b):
        pick = [stories[rng.randrange(len(stories))] for _ in stories]
        t = totals(per, pick)
        for sec, vals in t.items():
            for k in ("precision", "recall", "f1", "accuracy"):
                if k in vals:
                    samples[f"{sec}.{k}"].append(vals[k])
    out = {}
    for k, v in samples.items():
        v.sort()
        out[k] = [round(v[int(0.025 * (len(v) - 1))], 4), round(v[int(0.975 * (len(v) - 1))], 4)]
    return out


def _rounded(x):
    if isinstance(x, float):
        return round(x, 4)
    if isinstance(x, dict):
        return {k: _rounded(v) for k, v in x.items()}
    return x


# ----------------------------------------------------------------------------- baseline
def cosine_clusters(texts: dict[str, str], threshold: float) -> list[list[str]]:
    sims = _cosine_matrix(texts)
    return _components(sims, threshold)


_COS_CACHE: dict[int, tuple] = {}


def _cosine_matrix(texts: dict[str, str]):
    """tf-idf (log tf, idf from the set) cosine of every pair of documents."""
    import numpy as np

    k = id(texts)
    if k in _COS_CACHE:
        return _COS_CACHE[k]
    ids = sorted(texts)
    vocab: dict[str, int] = {}
    rows = []
    df = Counter()
    for d in ids:
        c = Counter(re.findall(r"\w+", texts[d].casefold()))
        rows.append(c)
        df.update(c.keys())
    n = len(ids)
    for w in df:
        vocab[w] = len(vocab)
    mat = np.zeros((n, len(vocab)), dtype=np.float32)
    for i, c in enumerate(rows):
        for w, tf in c.items():
            mat[i, vocab[w]] = (1 + math.log(tf)) * math.log((1 + n) / (1 + df[w]))
    norm = np.linalg.norm(mat, axis=1, keepdims=True)
    norm[norm == 0] = 1
    mat /= norm
    sims = mat @ mat.T
    _COS_CACHE[k] = (ids, sims)
    return ids, sims


def _components(sims, threshold: float) -> list[list[str]]:
    import numpy as np

    ids, m = sims
    parent = list(range(len(ids)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    ii, jj = np.nonzero(np.triu(m >= threshold, 1))
    for i, j in zip(ii.tolist(), jj.tolist()):
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups = defaultdict(list)
    for i, d in enumerate(ids):
        groups[find(i)].append(d)
    return [g for g in groups.values() if len(g) > 1]


def baseline(g: Gold, texts: dict[str, str], dates: dict[str, str | None], fixed: float | None) -> dict:
    grid = [round(0.05 * i, 2) for i in range(2, 20)]
    tried = []
    best = None
    for t in grid + ([fixed] if fixed is not None and fixed not in grid else []):
        cl = cosine_clusters(texts, t)
        early = [min((d for d in c if dates.get(d)), key=lambda d: (dates[d], d), default=None) for c in cl]
        sc = score(g, cl, early, None, texts, with_detail=False)
        tot = totals(sc["per"])
        f = tot["pairs"]["f1"]
        tried.append({"threshold": t, "f1": round(f, 4), "precision": round(tot["pairs"]["precision"], 4)})
        if t in grid and (best is None or f > best[0]):
            best = (f, t, sc, tot)
    out = {"method": "bag-of-words tf-idf cosine, single link", "tuning": tried,
           "tuned_on_this_set": {"threshold": best[1], **_rounded(best[3]), "ci95": bootstrap(best[2]["per"], 300)}}
    if fixed is not None:
        cl = cosine_clusters(texts, fixed)
        early = [min((d for d in c if dates.get(d)), key=lambda d: (dates[d], d), default=None) for c in cl]
        sc = score(g, cl, early, None, texts, with_detail=False)
        out["tuned_on_dev"] = {"threshold": fixed, **_rounded(totals(sc["per"])), "ci95": bootstrap(sc["per"], 300)}
    return out


# ----------------------------------------------------------------------------- main
def _git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def other_seeds(name: str, n: int) -> dict:
    """Headline figures on ``n`` further corpora of the split (its seed + 1, + 2, ...): how much
    a figure moves from one corpus to the next, which a bootstrap over one corpus's stories
    does not show (a false edge chains whole stories together)."""
    import importlib

    gen, _, split = name.partition("-")
    mod = importlib.import_module(GENERATORS[gen])
    runs = []
    for k in range(1, n + 1):
        seed = mod.SPLITS[split]["seed"] + k
        out = WORK / f"{gen}-{split}-seed{seed}"
        truth = mod.write(out, split, seed=seed)
        g = gold_of_storygen2(out, truth, gen)
        ans = run_index(g, WORK / f"{gen}-{split}-seed{seed}-index")
        texts = {d: ans["docs"][d]["text"] for d in g.docs if d in ans["docs"]}
        sc = score(g, [m for _, m, _ in ans["stories"]], [e for _, _, e in ans["stories"]],
                   {d: ans["docs"][d]["credits"] for d in texts}, texts, with_detail=False)
        tot = totals(sc["per"])
        runs.append({"seed": seed, **{f"{sec}.{fig}": round(tot[sec][fig], 4) for sec, fig in HEADLINES if sec in tot}})
    keys = [k for k in runs[0] if k != "seed"]
    return {"runs": runs, "min": {k: min(r[k] for r in runs) for k in keys}, "max": {k: max(r[k] for r in runs) for k in keys}}


def evaluate(name: str, label: str, b: int, regen: bool = False, dev_threshold: float | None = None,
             more_seeds: int = 0) -> dict:
    g = load(name, regen)
    ans = run_index(g, WORK / f"{name}-index")
    texts = {d: ans["docs"][d]["text"] for d in g.docs if d in ans["docs"]}
    clusters = [m for _, m, _ in ans["stories"]]
    earliest = [e for _, _, e in ans["stories"]]
    credits = {d: ans["docs"][d]["credits"] for d in texts}
    dates_ok = {d: ans["docs"][d]["date"] == g.docs[d]["date"] for d in texts}
    sc = score(g, clusters, earliest, credits, texts, dates_ok=dates_ok)
    tot = totals(sc["per"])
    det = sc["detail"]

    def rate(dim):
        rows = {k[1]: v for k, v in det.items() if k[0] == dim}
        return {x: {"recall": round(v["tp"] / v["gold"], 4) if v["gold"] else None, "gold": v["gold"]} for x, v in sorted(rows.items())}
    by_lang = {}
    for lang in sorted({r["lang"] for r in g.docs.values()}):
        tp, fp = det[("tp_lang", lang)]["n"], det[("fp_lang", lang)]["n"]
        by_lang[lang] = {"precision": round(tp / (tp + fp), 4) if tp + fp else None, "tp": tp, "fp": fp}
    with_outlet = [d for d in texts if g.docs[d]["outlet"]]
    ingest = {"outlet_agrees": sum(1 for d in with_outlet if key(ans["docs"][d]["outlet"]) == key(g.docs[d]["outlet"])),
              "documents_with_known_outlet": len(with_outlet),
              "date_agrees": sum(1 for d in texts if ans["docs"][d]["date"] == g.docs[d]["date"]),
              "dated_in_truth_undated_in_index": sum(1 for d in texts if g.docs[d]["date"] and not ans["docs"][d]["date"]),
              "undated_in_truth_dated_in_index": sum(1 for d in texts if not g.docs[d]["date"] and ans["docs"][d]["date"]),
              "documents": len(texts), "not_indexed": sc["missing"]}
    dates = {d: ans["docs"][d]["date"] for d in texts}
    import searchkit

    res = {"set": name, "label": label, "commit": _git("rev-parse", "--short", "HEAD"), "branch": _git("rev-parse", "--abbrev-ref", "HEAD"),
           "searchkit": str(Path(searchkit.__file__).parent),
           "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "load": os.getloadavg(),
           "notes": g.notes, "index_build_s": ans["build_s"], "documents": len(texts), "stories_predicted": len(clusters),
           "largest_predicted_story": max((len(c) for c in clusters), default=0),
           "gold_stories_with_2plus": sum(1 for s, n in Counter(g.story(d) for d in texts).items() if n > 1),
           "pair_scored": g.pair_scored, **_rounded(tot), "ci95": bootstrap(sc["per"], b),
           "credits_recall_by_form": rate("form"), "credits_recall_by_lang": rate("lang"),
           "credits_recall_held_out_phrasing": rate("held_out_phrasing"), "credits_precision_by_lang": by_lang,
           "false_credits_on_self_references_by_form": {k[1]: v["n"] for k, v in det.items() if k[0] == "self_credit"},
           "gold_credits_not_found_in_indexed_text": {"by_form": {k[1]: v["n"] for k, v in det.items() if k[0] == "unlocated"},
                                                      "examples": sc["unlocated"][:20]},
           "missed_credit_examples": list(det[("fn_examples", "")])[:40], "false_credit_examples": list(det[("fp_examples", "")])[:30],
           "ingest": ingest, "false_pairs_by_relation": sc["false_pairs_by_relation"],
           # per story (or page) counts, so that two runs can be compared by a paired bootstrap
           "per_story": {s: dict(c) for s, c in sorted(sc["per"].items())}}
    res["baseline"] = baseline(g, texts, dates, dev_threshold)
    if name.split("-", 1)[0] in GENERATORS and more_seeds:
        res["other_seeds"] = other_seeds(name, more_seeds)
    if name in SEALED:  # figures only: the held-out texts and phrasings stay unseen
        res["missed_credit_examples"] = res["false_credit_examples"] = "withheld (held-out set)"
        res["gold_credits_not_found_in_indexed_text"]["examples"] = "withheld (held-out set)"
    return res


def summary(res: dict) -> str:
    def ci(k):
        v = res["ci95"].get(k)
        return f" [{v[0]:.3f}, {v[1]:.3f}]" if v else ""
    lines = [f"{res['set']} ({res['label']}, {res['commit']}): {res['documents']} docs, {res['stories_predicted']} predicted stories "
             f"(largest {res['largest_predicted_story']}), load {res['load'][0]:.1f}"]
    p = res["pairs"]
    if res["pair_scored"]:
        lines.append(f"  pairs     P {p['precision']:.3f}{ci('pairs.precision')}  R {p['recall']:.3f}{ci('pairs.recall')}  "
                     f"F1 {p['f1']:.3f}{ci('pairs.f1')}  (gold pairs {p['gold_pairs']}, false pairs {p['false_pairs']:.0f})")
    else:
        lines.append(f"  pairs     no story labelled here; false pairs {p['false_pairs']:.0f}")
    if "pairs_within_language" in res:
        w, x = res["pairs_within_language"], res["pairs_cross_language"]
        lines.append(f"  pairs without translations: P {w['precision']:.3f}{ci('pairs_within_language.precision')}  "
                     f"R {w['recall']:.3f}{ci('pairs_within_language.recall')}  F1 {w['f1']:.3f}{ci('pairs_within_language.f1')}; "
                     f"cross-language pairs found {x['recall']:.3f} of {x['gold_pairs']}")
    if "credits" in res:
        c = res["credits"]
        lines.append(f"  credits   P {c['precision']:.3f}{ci('credits.precision')}  R {c['recall']:.3f}{ci('credits.recall')}  "
                     f"(gold {c['gold']}, fp {c['fp']}, on self-references {c['false_on_self_references']})")
        lines.append(f"  credits, lenient names: P {c['lenient_names']['precision']:.3f} R {c['lenient_names']['recall']:.3f}")
        lines.append("  recall by form: " + ", ".join(f"{k} {v['recall']}/{v['gold']}" for k, v in res["credits_recall_by_form"].items()))
        lines.append("  recall by lang: " + ", ".join(f"{k} {v['recall']}/{v['gold']}" for k, v in res["credits_recall_by_lang"].items()))
        ho = res["credits_recall_held_out_phrasing"].get("True")
        if ho:
            lines.append(f"  recall on held-out-only phrasings: {ho['recall']} of {ho['gold']}")
    if "earliest" in res:
        e = res["earliest"]
        lines.append(f"  earliest  {e['accuracy']:.3f}{ci('earliest.accuracy')} of {e['stories']} stories; undated named earliest "
                     f"{e['undated_named_earliest']}; where the index read every date right "
                     f"{e.get('accuracy_where_index_read_all_dates', float('nan')):.3f} of {e.get('stories_where_index_read_all_dates', 0)}")
    if "other_seeds" in res:
        o = res["other_seeds"]
        lines.append("  other seeds (" + ", ".join(str(r["seed"]) for r in o["runs"]) + "): " + ", ".join(
            f"{k} {o['min'][k]:.3f}..{o['max'][k]:.3f}" for k in o["min"]))
    bl = res["baseline"]["tuned_on_this_set"]
    lines.append(f"  baseline cosine (threshold {bl['threshold']} tuned on this set): pairs P {bl['pairs']['precision']:.3f} "
                 f"R {bl['pairs']['recall']:.3f} F1 {bl['pairs']['f1']:.3f}, false pairs {bl['pairs']['false_pairs']:.0f}")
    if "tuned_on_dev" in res["baseline"]:
        bd = res["baseline"]["tuned_on_dev"]
        lines.append(f"  baseline cosine (threshold {bd['threshold']} from dev): F1 {bd['pairs']['f1']:.3f}, "
                     f"false pairs {bd['pairs']['false_pairs']:.0f}")
    return "\n".join(lines)


HEADLINES = [("pairs", "precision"), ("pairs", "recall"), ("pairs", "f1"), ("pairs_within_language", "precision"),
             ("pairs_within_language", "recall"), ("pairs_within_language", "f1"), ("credits", "precision"), ("credits", "recall"),
             ("earliest", "accuracy")]


def compare_runs(before: str, after: str, b: int = 2000) -> str:
    """A Markdown table of every set run under both labels: each headline figure before and
    after with its 95% interval, and the paired-bootstrap 95% interval of the change (the
    same stories resampled for both runs)."""
    rows = ["| set | figure | before [95% CI] | after [95% CI] | change [95% CI, paired] |", "|---|---|---|---|---|"]
    for name in SETS:
        # a label may list alternatives ("after-ff2530c|before-b7c5c57"): the first a set has
        fa, fb = (next((f for lab in label.split("|") if (f := RESULTS / f"stories-eval-{name}-{lab}.json").exists()), None)
                  for label in (before, after))
        if fa is None or fb is None:
            continue
        ra, rb = (json.loads(f.read_text(encoding="utf-8")) for f in (fa, fb))
        pa = {k: Counter(v) for k, v in ra.get("per_story", {}).items()}
        pb = {k: Counter(v) for k, v in rb.get("per_story", {}).items()}
        keys = sorted(set(pa) | set(pb))
        rng = Random(11)
        diffs = defaultdict(list)
        for _ in range(b if keys else 0):
            pick = [keys[rng.randrange(len(keys))] for _ in keys]
            ta = totals(defaultdict(Counter, pa), pick)
            tb = totals(defaultdict(Counter, pb), pick)
            for sec, fig in HEADLINES:
                if sec in ta and sec in tb:
                    diffs[(sec, fig)].append(tb[sec][fig] - ta[sec][fig])
        for sec, fig in HEADLINES:
            if sec not in ra or sec not in rb or (sec == "pairs" and not ra.get("pair_scored")):
                continue
            ca, cb = (["%.3f" % x for x in r["ci95"].get(f"{sec}.{fig}", [math.nan, math.nan])] for r in (ra, rb))
            d = sorted(diffs[(sec, fig)])
            dci = f"[{d[int(0.025 * (len(d) - 1))]:+.3f}, {d[int(0.975 * (len(d) - 1))]:+.3f}]" if d else "-"
            rows.append(f"| {name} | {sec} {fig} | {ra[sec][fig]:.3f} [{ca[0]}, {ca[1]}] | {rb[sec][fig]:.3f} [{cb[0]}, {cb[1]}] | "
                        f"{rb[sec][fig] - ra[sec][fig]:+.3f} {dci} |")
        if not ra.get("pair_scored"):
            rows.append(f"| {name} | false merges (pairs) | {ra['pairs']['false_pairs']:.0f} | {rb['pairs']['false_pairs']:.0f} | |")
    return "\n".join(rows)


#: The issue's goals, checked on every set in the final table: (section, figure, at least).
GOALS = [("pairs", "precision", 0.95), ("pairs", "f1", 0.95), ("credits", "precision", 0.97), ("credits", "recall", 0.90),
         ("earliest", "accuracy", 0.95)]


def _dev_threshold(name: str, label: str) -> float | None:
    """A held-out set's baseline threshold: the one tuned on its dev split under the same label."""
    if not name.endswith("-heldout"):
        return None
    dev_file = RESULTS / f"stories-eval-{name.replace('heldout', 'dev')}-{label}.json"
    if dev_file.exists():
        return json.loads(dev_file.read_text(encoding="utf-8"))["baseline"]["tuned_on_this_set"]["threshold"]
    return None


def _write(res: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"stories-eval-{res['set']}-{res['label']}.json"
    path.write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def _credits_phrasings(which: str, split: str, label: str) -> dict:
    """benchmarks/credits_phrasings.py on one half of one set (phrasings: written from memory; real:
    sentences of real pages), in its own process (it imports the method's internals, which may
    change under it): its figures, or why it failed."""
    cmd = [sys.executable, str(HERE / "credits_phrasings.py"), "--set", which, "--split", split, "--label", label,
           "--results", str(RESULTS)] + (["--unseal"] if split == "heldout" else [])
    try:
        p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as e:
        return {"error": str(e)}
    out = RESULTS / f"credits-{which}-{split}-{label}.json"
    if p.returncode != 0 or not out.exists():
        return {"error": (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[-1]}
    return json.loads(out.read_text(encoding="utf-8"))


def _wilson(k: int, n: int) -> list[float]:
    if not n:
        return [0.0, 1.0]
    z, ph = 1.96, k / n
    d = 1 + z * z / n
    c, h = (ph + z * z / (2 * n)) / d, z * math.sqrt(ph * (1 - ph) / n + z * z / (4 * n * n)) / d
    return [round(max(0.0, c - h), 4), round(min(1.0, c + h), 4)]


def final_table(label: str) -> tuple[dict, str]:
    """One JSON and one Markdown report of every set's result file under ``label``."""
    def fig(r: dict, sec: str, name: str) -> str:
        if sec not in r or (sec.startswith("pairs") and not r.get("pair_scored")):
            return "-"
        lo, hi = r["ci95"].get(f"{sec}.{name}", [math.nan, math.nan])
        return f"{r[sec][name]:.3f} [{lo:.3f}, {hi:.3f}]"

    summary_rows, goal_rows, lang_rows = [], [], []
    combined: dict = {"label": label, "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "load": os.getloadavg(),
                      "commit": _git("rev-parse", "--short", "HEAD"), "sets": {}}
    for name in SETS:
        f = RESULTS / f"stories-eval-{name}-{label}.json"
        if not f.exists():
            combined["sets"][name] = {"missing": True}
            continue
        r = json.loads(f.read_text(encoding="utf-8"))
        bl = r["baseline"]
        entry = {k: r[k] for k in ("documents", "pair_scored", "pairs", "ci95") if k in r}
        for k in ("pairs_within_language", "credits", "earliest", "other_seeds", "credits_recall_by_lang", "credits_precision_by_lang",
                  "credits_recall_held_out_phrasing", "false_credits_on_self_references_by_form", "false_pairs_by_relation"):
            if k in r:
                entry[k] = r[k]
        entry["baseline"] = {k: {"threshold": v["threshold"], "pairs": v["pairs"]} for k, v in bl.items() if k.startswith("tuned")}
        combined["sets"][name] = entry
        seeds = r.get("other_seeds")
        spread = "; ".join(f"{k.split('.')[0].replace('pairs_within_language', 'w/o tr.')} {k.split('.')[1][:2]} "
                           f"{seeds['min'][k]:.3f}..{seeds['max'][k]:.3f}" for k in seeds["min"]
                           if k in ("pairs.f1", "credits.recall", "earliest.accuracy")) if seeds else ""
        base = f"{bl['tuned_on_this_set']['pairs']['f1']:.3f} (t {bl['tuned_on_this_set']['threshold']})"
        if "tuned_on_dev" in bl:
            base += f"; dev's t {bl['tuned_on_dev']['threshold']}: {bl['tuned_on_dev']['pairs']['f1']:.3f}"
        pairs = (fig(r, "pairs", "precision"), fig(r, "pairs", "recall"), fig(r, "pairs", "f1")) if r["pair_scored"] else (
            f"{r['pairs']['false_pairs']:.0f} false pairs", "-", "-")
        summary_rows.append(f"| {name}{' (held out)' if name in SEALED else ''} | {r['documents']} | {' | '.join(pairs)} | "
                            f"{fig(r, 'pairs_within_language', 'f1')} | {fig(r, 'credits', 'precision')} | {fig(r, 'credits', 'recall')} | "
                            f"{fig(r, 'earliest', 'accuracy')} | {base} | {spread} |")
        for sec, name_, goal in GOALS:
            if sec not in r or (sec == "pairs" and not r["pair_scored"]):
                continue
            v = r[sec][name_]
            lo, hi = r["ci95"].get(f"{sec}.{name_}", [v, v])
            verdict = "met" if lo >= goal else ("not met" if hi < goal else "inside the noise")
            goal_rows.append(f"| {name} | {sec} {name_} >= {goal} | {v:.3f} [{lo:.3f}, {hi:.3f}] | {verdict} |")
        if "credits" in r:
            langs = sorted(set(r.get("credits_recall_by_lang", {})) | set(r.get("credits_precision_by_lang", {})))
            cells = []
            for lg in langs:
                rc = r["credits_recall_by_lang"].get(lg, {})
                pc = r["credits_precision_by_lang"].get(lg, {})
                tp, fp = pc.get("tp", 0), pc.get("fp", 0)
                rr = f"{rc['recall']:.2f} of {rc['gold']}" if rc.get("recall") is not None else "-"
                pp = f"{tp / (tp + fp):.2f} of {tp + fp}" if tp + fp else "-"
                cells.append(f"{lg} P {pp}, R {rr}")
            ho = r.get("credits_recall_held_out_phrasing", {}).get("True")
            selfc = r["credits"].get("false_on_self_references", 0)
            held = f"{ho['recall']} of {ho['gold']}" if ho else "-"
            lang_rows.append(f"| {name} | {'; '.join(cells)} | {selfc} | {held} |")
    md = [f"# Stories and credits, final run `{label}` (commit {combined['commit']}, load {combined['load'][0]:.1f})", "",
          "95% intervals: bootstrap over stories (pages for the real sets); `other seeds`: min..max over further corpora of the "
          "split. Held-out sets were run once, for this table.", "",
          "| set | docs | pairs P | pairs R | pairs F1 | F1 w/o translations | credits P | credits R | earliest | baseline cosine F1 | other seeds |",
          "|---|---|---|---|---|---|---|---|---|---|---|", *summary_rows, "",
          "## The issue's goals, set by set", "",
          "`met`: the whole 95% interval clears the goal; `not met`: the whole interval is below it; else inside the noise.", "",
          "| set | goal | figure [95% CI] | verdict |", "|---|---|---|---|", *goal_rows, "",
          "## Credits by language; self-references credited; recall on held-out-only phrasings", "",
          "| set | by language (precision of n predicted, recall of n gold) | self-references credited | held-out phrasings recall |",
          "|---|---|---|---|", *lang_rows]
    return combined, "\n".join(md) + "\n"


CREDIT_HALVES = (("phrasings", "dev"), ("phrasings", "heldout"), ("real", "dev"), ("real", "heldout"))


def final_run(label: str, b: int, regen: bool, more_seeds: int, sets: tuple[str, ...] = SETS,
              credit_halves: tuple[tuple[str, str], ...] = CREDIT_HALVES) -> int:
    """Every set, dev before held-out, each written as usual; then one JSON and one Markdown table."""
    t0 = time.perf_counter()
    for name in sets:
        gen = name.split("-", 1)[0]
        res = evaluate(name, label, b, regen, _dev_threshold(name, label), more_seeds if gen in GENERATORS else 0)
        print(summary(res), flush=True)
        print(f"  -> {_write(res)}", flush=True)
    phr = {f"{which}-{split}": _credits_phrasings(which, split, label) for which, split in credit_halves}
    combined, md = final_table(label)
    combined["credits_phrasings"] = phr
    rows = ["", "## Credit sentences (benchmarks/credits_phrasings.py: written from memory, and real pages' sentences; Wilson 95% "
            "intervals)", "", "| set | cases | precision | recall | recall by language |", "|---|---|---|---|---|"]
    for split, r in phr.items():
        if "error" in r:
            rows.append(f"| {split} | failed: {r['error']} | | |")
            continue
        a = r["all"]
        langs = ", ".join(f"{lg} {v['recall']:.2f} of {v['tp'] + v['fn']}" for lg, v in r.get("by_language", {}).items())
        (plo, phi), (rlo, rhi) = _wilson(a["tp"], a["tp"] + a["fp"]), _wilson(a["tp"], a["tp"] + a["fn"])
        rows.append(f"| {split} | {r['cases']} | {a['precision']:.3f} [{plo:.3f}, {phi:.3f}] | "
                    f"{a['recall']:.3f} [{rlo:.3f}, {rhi:.3f}] | {langs} |")
    combined["took_s"] = round(time.perf_counter() - t0, 1)
    RESULTS.mkdir(exist_ok=True)
    jpath, mpath = RESULTS / f"stories-eval-final-{label}.json", RESULTS / f"stories-eval-final-{label}.md"
    jpath.write_text(json.dumps(combined, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    mpath.write_text(md + "\n".join(rows) + "\n", encoding="utf-8")
    print(f"-> {jpath}\n-> {mpath}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", dest="sets", action="append", choices=SETS, default=[], help="a set (repeatable)")
    ap.add_argument("--compare", metavar="BEFORE,AFTER",
                    help="print the table of two labels' results (no run); a label may be A|B (the first a set has)")
    ap.add_argument("--label", default="run", help="names the result file (before / after / ...)")
    ap.add_argument("--bootstrap", type=int, default=1000)
    ap.add_argument("--unseal", action="store_true", help="allow the held-out sets (only at the end: STORIES-EVAL.md)")
    ap.add_argument("--regen", action="store_true", help="regenerate synthetic sets even if present")
    ap.add_argument("--more-seeds", type=int, default=0, metavar="N",
                    help="storygen2/3 sets: also score N further corpora of the split (seed+1..seed+N) and report the spread")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--final", metavar="LABEL",
                    help="the lead's one run at the end: every set, held-out ones too (needs --unseal), then one JSON and one "
                         "Markdown table (results/stories-eval-final-LABEL.*)")
    ap.add_argument("--final-table", metavar="LABEL", help="(re)write the final JSON/Markdown from the result files of LABEL, no run")
    args = ap.parse_args(argv)
    if args.final_table:
        combined, md = final_table(args.final_table)
        print(md)
        return 0
    if args.final:
        if not args.unseal:
            print("stories_eval: --final runs the held-out sets: it is the lead's one run at the end; add --unseal "
                  "(benchmarks/STORIES-EVAL.md)", file=sys.stderr)
            return 2
        return final_run(args.final, args.bootstrap, args.regen, args.more_seeds)
    if args.compare:
        before, _, after = args.compare.partition(",")
        print(compare_runs(before, after))
        return 0
    if not args.sets:
        ap.error("give --set (or --compare)")
    for name in args.sets:
        if name in SEALED and not args.unseal:
            print(f"stories_eval: {name} is held out; it is run once at the end with --unseal (benchmarks/STORIES-EVAL.md)",
                  file=sys.stderr)
            return 2
        dev_thr = None
        if name.endswith("-heldout"):
            dev_file = RESULTS / f"stories-eval-{name.replace('heldout', 'dev')}-{args.label}.json"
            if dev_file.exists():
                dev_thr = json.loads(dev_file.read_text(encoding="utf-8"))["baseline"]["tuned_on_this_set"]["threshold"]
        res = evaluate(name, args.label, args.bootstrap, args.regen, dev_thr, args.more_seeds)
        print(summary(res))
        if not args.no_write:
            RESULTS.mkdir(exist_ok=True)
            path = RESULTS / f"stories-eval-{name}-{args.label}.json"
            path.write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            print(f"  -> {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
