"""searchkit.stories on the tiny synthetic corpus (benchmarks/storygen.py, exact truth)."""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from itertools import combinations

import pytest

from searchkit.stories import StoryInput, build_stories
from searchkit.stories.credits import squash

import storygen  # noqa: E402


@pytest.fixture(scope="module")
def tiny():
    texts, recs = {}, {}
    for name, text, rec in storygen.generate(storygen.SIZES["tiny"], seed=0):
        if name is not None:
            texts[name], recs[name] = text, rec
    docs = [StoryInput(d, texts[d], recs[d]["title"], recs[d]["outlet"],
                       dt.date.fromisoformat(recs[d]["date"]) if recs[d]["date"] else None) for d in sorted(texts)]
    return build_stories(docs), texts, recs


def test_generator_is_deterministic():
    a = [(n, t) for n, t, _ in storygen.generate(60, seed=3)]
    b = [(n, t) for n, t, _ in storygen.generate(60, seed=3)]
    assert a == b and len([x for x in a if x[0]]) == 60


def _pairs(groups, keep=lambda a, b: True):
    out = set()
    for g in groups:
        out.update(p for p in combinations(sorted(g), 2) if keep(*p))
    return out


def test_pair_f1_floor(tiny):
    model, texts, recs = tiny
    gold_groups = defaultdict(list)
    for d, r in recs.items():
        gold_groups[r["story"]].append(d)
    dontcare = lambda a, b: recs[a]["story"] in recs[b]["stories"] or recs[b]["story"] in recs[a]["stories"]  # noqa: E731
    for kind, floor in ((None, 0.9), ("paraphrase", 0.88), ("verbatim", 0.88)):
        sub = (lambda a, b: True) if kind is None else (lambda a, b, k=kind: recs[a]["kind"] == k or recs[b]["kind"] == k)
        gold = _pairs(gold_groups.values(), sub)
        pred = _pairs([s.doc_ids for s in model.stories], sub)
        tp = len(gold & pred)
        fp = len([p for p in pred - gold if not dontcare(*p)])
        p, r = tp / (tp + fp), tp / len(gold)
        assert 2 * p * r / (p + r) >= floor, (kind, p, r)


def test_credits_floor(tiny):
    model, texts, recs = tiny
    tp = fp = fn = 0
    for d, r in recs.items():
        gold = [tuple(c) for c in r["credits"]]
        pred = model.credits_of(d)
        for c in pred:
            assert 0 <= c.start < c.end <= len(texts[d])
            for s, e, _ in r["negatives"]:
                assert not (c.start < e and s < c.end), (d, c)  # never a self-reference
        hit = sum(1 for c in pred if any(c.start < e and s < c.end and squash(c.source) == squash(o) for s, e, o in gold))
        tp += hit
        fp += len(pred) - hit
        fn += sum(1 for s, e, o in gold if not any(c.start < e and s < c.end and squash(c.source) == squash(o) for c in pred))
    assert tp / (tp + fp) >= 0.97 and tp / (tp + fn) >= 0.95, (tp, fp, fn)


def test_shared_sentences_floor(tiny):
    model, texts, recs = tiny
    groups = defaultdict(list)
    for d, r in recs.items():
        groups[r["story"]].append(d)
    tp = fp = fn = 0
    for m in groups.values():
        for a, b in list(combinations(sorted(m), 2))[:6]:
            cmp = model.compare(a, b)
            for me, other, spans in ((a, b, [(p.a_start, p.a_end) for p in cmp.shared]),
                                     (b, a, [(p.b_start, p.b_end) for p in cmp.shared])):
                osids = {(st, x) for _, _, st, sids, _ in recs[other]["sentences"] if st for x in sids}
                for s0, s1, st, sids, kind in recs[me]["sentences"]:
                    if kind == "furniture":
                        continue
                    gold = st is not None and any((st, x) in osids for x in sids)
                    pred = any(min(e, s1) - max(s, s0) >= 0.5 * min(e - s, s1 - s0) for s, e in spans)
                    tp += gold and pred
                    fp += pred and not gold
                    fn += gold and not pred
    assert tp / (tp + fp) >= 0.93 and tp / (tp + fn) >= 0.9, (tp, fp, fn)


def test_earliest_floor(tiny):
    model, texts, recs = tiny
    ok = tot = 0
    for s in model.stories:
        true = Counter(recs[d]["story"] for d in s.doc_ids).most_common(1)[0][0]
        dated = [d for d, r in recs.items() if r["story"] == true and r["date"]]
        if not dated:
            assert s.earliest is None or recs[s.earliest]["story"] != true
            continue
        tot += 1
        first = min(recs[d]["date"] for d in dated)
        ok += s.earliest is not None and recs[s.earliest]["date"] == first and recs[s.earliest]["story"] == true
        assert s.earliest is None or recs[s.earliest]["date"] is not None  # never an undated member
    assert ok / tot >= 0.85, (ok, tot)
