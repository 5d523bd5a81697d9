"""The stories scorer (benchmarks/stories_eval.py) scores what it is given: the truth itself
scores perfect, a false merge costs precision, a missed credit recall, a credit on an
outlet's own byline counts as a false credit on a self-reference."""
from __future__ import annotations


import pytest

import stories_eval  # noqa: E402
import storygen2  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("sg2")
    truth = storygen2.write(out, "dev", n=120)
    gold = stories_eval.gold_of_storygen2(out, truth)
    # the texts as files (html pages: their visible text, where the truth's offsets point)
    texts = {}
    for d, rec in gold.docs.items():
        raw = (gold.corpus / d).read_text(encoding="utf-8")
        texts[d] = raw if rec["format"] != "html" else _visible(raw)
    return gold, texts


def _visible(raw: str) -> str:
    import html
    import re
    return "\n\n".join(html.unescape(p) for p in re.findall(r"<(?:h1|p)[^>]*>(.*?)</(?:h1|p)>", raw.split("<body>")[1], re.S))


def _truth_answer(gold):
    members = {}
    for d in gold.docs:
        members.setdefault(gold.story(d), []).append(d)
    clusters = [m for m in members.values() if len(m) > 1]
    earliest = [gold.earliest.get(gold.story(c[0]), [None])[0] if gold.earliest.get(gold.story(c[0])) else None
                for c in clusters]
    credits = {d: [(c["start"], c["end"], c["outlet"]) for c in rec["credits"]] for d, rec in gold.docs.items()}
    return clusters, earliest, credits


def test_the_truth_scores_perfect(corpus):
    gold, texts = corpus
    clusters, earliest, credits = _truth_answer(gold)
    sc = stories_eval.score(gold, clusters, earliest, credits, texts)
    tot = stories_eval.totals(sc["per"])
    assert tot["pairs"]["precision"] == tot["pairs"]["recall"] == 1.0
    assert tot["credits"]["precision"] == tot["credits"]["recall"] == 1.0 and tot["credits"]["gold"] > 50
    assert tot["earliest"]["accuracy"] == 1.0 and tot["earliest"]["undated_named_earliest"] == 0
    assert not sc["unlocated"]
    ci = stories_eval.bootstrap(sc["per"], 50)
    assert ci["pairs.f1"] == [1.0, 1.0]


def test_a_false_merge_costs_precision_and_a_dropped_credit_recall(corpus):
    gold, texts = corpus
    clusters, earliest, credits = _truth_answer(gold)
    merged = [clusters[0] + clusters[1]] + clusters[2:]
    tot = stories_eval.totals(stories_eval.score(gold, merged, [earliest[0]] + earliest[2:], credits, texts)["per"])
    assert tot["pairs"]["recall"] == 1.0 and tot["pairs"]["precision"] < 1.0
    assert tot["pairs"]["false_pairs"] == len(clusters[0]) * len(clusters[1])
    doc = next(d for d, c in credits.items() if c)
    fewer = dict(credits, **{doc: credits[doc][1:]})
    tot = stories_eval.totals(stories_eval.score(gold, clusters, earliest, fewer, texts)["per"])
    assert tot["credits"]["precision"] == 1.0 and tot["credits"]["recall"] < 1.0


def test_crediting_an_outlet_on_its_own_byline_is_a_false_credit(corpus):
    gold, texts = corpus
    clusters, earliest, credits = _truth_answer(gold)
    doc, own = next((d, r["self"][0]) for d, r in gold.docs.items() if r["self"] and r["self"][0]["form"] == "byline")
    wrong = dict(credits, **{doc: credits[doc] + [(own["start"], own["end"], gold.docs[doc]["outlet"])]})
    tot = stories_eval.totals(stories_eval.score(gold, clusters, earliest, wrong, texts)["per"])
    assert tot["credits"]["fp"] == 1 and tot["credits"]["false_on_self_references"] == 1


def test_a_credit_naming_the_agency_by_another_of_its_names_is_right(corpus):
    gold, texts = corpus
    clusters, earliest, credits = _truth_answer(gold)
    doc, i = next((d, i) for d, r in gold.docs.items() for i, c in enumerate(r["credits"]) if c["outlet"] == "Associated Press")
    s, e, _ = credits[doc][i]
    renamed = dict(credits, **{doc: credits[doc][:i] + [(s, e, "AP")] + credits[doc][i + 1:]})
    tot = stories_eval.totals(stories_eval.score(gold, clusters, earliest, renamed, texts)["per"])
    assert tot["credits"]["precision"] == 1.0


def test_held_out_sets_need_unseal(capsys):
    assert stories_eval.main(["--set", "storygen2-heldout", "--no-write"]) == 2
    assert "held out" in capsys.readouterr().err
