"""The third syndication generator (benchmarks/storygen3.py) and its sets in the scorer: the
truth agrees with the files (every credit and self-reference where it says), the splits share
no invented name, the kinds that are not members of a story are singletons, translations are
scored apart, and the held-out set is sealed."""
from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import stories_eval  # noqa: E402
import storygen3  # noqa: E402


@pytest.fixture(scope="module")
def dev(tmp_path_factory):
    out = tmp_path_factory.mktemp("sg3dev")
    return out, storygen3.write(out, "dev", n=220)


@pytest.fixture(scope="module")
def held(tmp_path_factory):
    out = tmp_path_factory.mktemp("sg3held")
    return out, storygen3.write(out, "heldout", n=220)


def _visible(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    if path.suffix != ".html":
        return raw
    return "\n\n".join(html.unescape(p) for p in re.findall(r"<(?:h1|p)[^>]*>(.*?)</(?:h1|p)>", raw.split("<body>")[1], re.S))


def test_same_seed_same_corpus_other_seed_other_corpus():
    a = storygen3.build("dev", n=80)
    b = storygen3.build("dev", n=80)
    assert a[0] == b[0] and json.dumps(a[2], sort_keys=True) == json.dumps(b[2], sort_keys=True)
    assert storygen3.build("dev", n=80, seed=7)[0] != a[0]


@pytest.mark.parametrize("split", ["dev", "held"])
def test_every_mention_is_where_the_truth_says(split, dev, held):
    out, truth = dev if split == "dev" else held
    n_credits = 0
    for doc, a in truth["articles"].items():
        path = out / "corpus" / doc
        text = _visible(path)
        for rec in a["credits"] + a["self_references"] + a["dontcare"]:
            m = rec["mention"]
            assert rec["context"][rec["at"]:rec["at"] + len(m)] == m, (doc, rec)
            assert text[rec["start"]:rec["end"]] == m, (doc, rec)
        for rec in a["credits"]:
            n_credits += 1
            assert rec["outlet"] != a["outlet"] and rec["aliases"]
        assert all(s["outlet"] == a["outlet"] for s in a["self_references"])
    assert n_credits > 150


def test_forms_languages_and_self_references_are_all_there(dev):
    _, truth = dev
    arts = truth["articles"].values()
    cred = [c for a in arts for c in a["credits"]]
    assert {"according_to", "reported", "citing", "told", "anaphora", "endline", "headline", "dateline", "signoff",
            "aggregator"} <= {c["form"] for c in cred}
    assert {c["lang"] for c in cred} == {"en", "de", "fr", "es", "ru"}
    selfs = {s["form"] for a in arts for s in a["self_references"]}
    assert {"byline", "footer", "own_dateline", "told_own", "as_we_reported", "citing_self"} <= selfs
    assert any(a["date"] is None for a in arts)


def test_opinion_and_aggregator_pages_are_no_members_and_translations_are(dev):
    _, truth = dev
    arts, stories = truth["articles"], truth["stories"]
    kinds = {a["kind"] for a in arts.values()}
    assert {"wire", "copy", "live", "translation", "correction", "release", "reprint", "independent", "opinion", "aggregator"} <= kinds
    for d, a in arts.items():
        if a["kind"] in ("opinion", "aggregator"):
            assert stories[a["story"]]["members"] == [d]
            assert a["credits"], "they credit what they quote"
        if a["kind"] == "translation":
            assert a["cross_language"] and arts[a["parent"]]["lang"] != a["lang"] and arts[a["parent"]]["story"] == a["story"]
        if a["kind"] == "independent":
            wire = next(x for x in arts.values() if x["event"] == a["event"] and x["kind"] == "wire")
            assert wire["story"] != a["story"]


def test_earliest_is_on_the_first_day_and_ties_are_common(dev):
    _, truth = dev
    arts = truth["articles"]
    ties = 0
    for st in truth["stories"].values():
        dated = [arts[d]["date"] for d in st["members"] if arts[d]["date"]]
        if not dated:
            assert st["earliest"] == []
            continue
        assert st["earliest"] and all(arts[d]["date"] == min(dated) for d in st["earliest"])
        ties += len(st["members"]) > 1 and dated.count(min(dated)) > 1
    assert ties > 10


def test_held_out_names_and_phrasings_stay_out_of_dev(dev, held):
    _, d = dev
    _, h = held
    invented = lambda t: {a["outlet"] for a in t["articles"].values() if a["outlet"] not in storygen3.WIRES}  # noqa: E731
    assert invented(d) and invented(h) and not invented(d) & invented(h)
    assert not any(c["held_out_phrasing"] for a in d["articles"].values() for c in a["credits"])
    assert any(c["held_out_phrasing"] for a in h["articles"].values() for c in a["credits"])
    assert d["seed"] != h["seed"]


def test_the_truth_scores_perfect_and_translations_are_counted_apart(dev):
    out, truth = dev
    gold = stories_eval.gold_of_storygen2(out, truth, "storygen3")
    texts = {d: _visible(gold.corpus / d) for d in gold.docs}
    members: dict[str, list[str]] = {}
    for d in gold.docs:
        members.setdefault(gold.story(d), []).append(d)
    clusters = [m for m in members.values() if len(m) > 1]
    earliest = [(gold.earliest.get(gold.story(c[0])) or [None])[0] for c in clusters]
    credits = {d: [(c["start"], c["end"], c["outlet"]) for c in r["credits"]] for d, r in gold.docs.items()}
    tot = stories_eval.totals(stories_eval.score(gold, clusters, earliest, credits, texts)["per"])
    assert tot["pairs"]["f1"] == tot["credits"]["precision"] == tot["credits"]["recall"] == tot["earliest"]["accuracy"] == 1.0
    # the same answer without the translations: every cross-language pair lost, none other
    xl = {d for d, r in gold.docs.items() if r["cross_language"]}
    assert xl
    mono = [[d for d in c if d not in xl] for c in clusters]
    tot = stories_eval.totals(stories_eval.score(gold, [c for c in mono if len(c) > 1], [None] * len(mono), None, texts)["per"])
    assert tot["pairs"]["recall"] < 1.0 and tot["pairs_within_language"]["recall"] == 1.0
    assert tot["pairs_cross_language"]["recall"] == 0.0


def test_held_out_storygen3_needs_unseal(capsys):
    assert stories_eval.main(["--set", "storygen3-heldout", "--no-write"]) == 2
    assert "held out" in capsys.readouterr().err
