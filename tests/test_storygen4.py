"""The fourth syndication generator (benchmarks/storygen4.py) and its sets in the scorer: the
generator is deterministic, the truth agrees with the files (every credit, self-reference and
ignored mention where it says), the held-out split shares no invented name with dev and is
sealed, the kinds that only quote a story are not its members, and the truth scores perfect."""
from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import stories_eval  # noqa: E402
import storygen4  # noqa: E402

MEMBER_KINDS = {"copy", "regional", "update", "partial"}
OWN_STORY_KINDS = {"independent", "followup", "roundup", "headlines", "background"}


@pytest.fixture(scope="module")
def dev(tmp_path_factory):
    out = tmp_path_factory.mktemp("sg4dev")
    return out, storygen4.write(out, "dev", n=200)


@pytest.fixture(scope="module")
def held(tmp_path_factory):
    out = tmp_path_factory.mktemp("sg4held")
    return out, storygen4.write(out, "heldout", n=200, seed=5)  # not the sealed seed: its contents stay unseen


def _visible(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    if path.suffix != ".html":
        return raw
    return "\n\n".join(html.unescape(p) for p in re.findall(r"<(?:h1|p)[^>]*>(.*?)</(?:h1|p)>", raw.split("<body>")[1], re.S))


def test_same_seed_same_corpus_other_seed_other_corpus():
    a = storygen4.build("dev", n=60)
    b = storygen4.build("dev", n=60)
    assert a[0] == b[0] and json.dumps(a[2], sort_keys=True) == json.dumps(b[2], sort_keys=True)
    assert storygen4.build("dev", n=60, seed=7)[0] != a[0]


@pytest.mark.parametrize("split", ["dev", "held"])
def test_every_mention_is_where_the_truth_says(split, dev, held):
    out, truth = dev if split == "dev" else held
    n_credits = 0
    for doc, a in truth["articles"].items():
        text = _visible(out / "corpus" / doc)
        for rec in a["credits"] + a["self_references"] + a["dontcare"]:
            m = rec["mention"]
            shown = (doc, rec) if split == "dev" else doc  # a failure on the sealed split names the file, not its text
            assert rec["context"][rec["at"]:rec["at"] + len(m)] == m, shown
            assert text[rec["start"]:rec["end"]] == m, shown
        for rec in a["credits"]:
            n_credits += 1
            assert rec["outlet"] != a["outlet"] and rec["aliases"]
        assert all(s["outlet"] == a["outlet"] for s in a["self_references"])
    assert n_credits > 150


def test_forms_languages_kinds_and_dates_are_all_there(dev):
    _, truth = dev
    arts = truth["articles"].values()
    cred = [c for a in arts for c in a["credits"]]
    assert {"according_to", "reported", "told", "anaphora", "endline", "headline", "dateline", "signoff", "roundup"} <= {c["form"] for c in cred}
    assert {c["lang"] for c in cred} == {"en", "de", "fr", "es", "ru"}
    assert {"byline", "footer", "own_dateline", "told_own", "newsletter"} <= {s["form"] for a in arts for s in a["self_references"]}
    assert MEMBER_KINDS | {"wire", "independent", "followup", "roundup"} <= {a["kind"] for a in arts}
    assert any(a["date"] is None for a in arts)
    assert any(d["why"].startswith("a journal") for a in arts for d in a["dontcare"])


def test_members_carry_the_report_and_the_others_stand_alone(dev):
    _, truth = dev
    arts, stories = truth["articles"], truth["stories"]
    for d, a in arts.items():
        if a["kind"] in MEMBER_KINDS:
            assert a["story"] == arts[a["parent"]]["story"]
        if a["kind"] in OWN_STORY_KINDS - {"independent"}:
            assert stories[a["story"]]["members"] == [d]
        if a["kind"] == "independent":  # the official's quote is word for word the wire's, yet another story
            wire = next(x for x in arts.values() if x["event"] == a["event"] and x["kind"] == "wire")
            assert wire["story"] != a["story"]
    ties = sum(1 for st in stories.values() if len(st["members"]) > 1 and len(st["earliest"]) > 1)
    assert ties > 3


def test_held_out_names_and_phrasings_stay_out_of_dev(dev, held):
    _, d = dev
    _, h = held
    invented = lambda t: {a["outlet"] for a in t["articles"].values() if a["outlet"] not in storygen4.WIRES}  # noqa: E731
    assert invented(d) and invented(h) and not invented(d) & invented(h)
    words = lambda t, k: {w for a in t["articles"].values() for w in re.findall(r"\w+", a[k] or "")}  # noqa: E731
    assert not any(c["held_out_phrasing"] for a in d["articles"].values() for c in a["credits"])
    assert any(c["held_out_phrasing"] for a in h["articles"].values() for c in a["credits"])
    assert d["seed"] != h["seed"] and words(d, "outlet") != words(h, "outlet")


def test_the_truth_scores_perfect(dev):
    out, truth = dev
    gold = stories_eval.gold_of_storygen2(out, truth, "storygen4")
    texts = {d: _visible(gold.corpus / d) for d in gold.docs}
    members: dict[str, list[str]] = {}
    for d in gold.docs:
        members.setdefault(gold.story(d), []).append(d)
    clusters = [m for m in members.values() if len(m) > 1]
    earliest = [(gold.earliest.get(gold.story(c[0])) or [None])[0] for c in clusters]
    credits = {d: [(c["start"], c["end"], c["outlet"]) for c in r["credits"]] for d, r in gold.docs.items()}
    tot = stories_eval.totals(stories_eval.score(gold, clusters, earliest, credits, texts)["per"])
    assert tot["pairs"]["f1"] == tot["credits"]["precision"] == tot["credits"]["recall"] == tot["earliest"]["accuracy"] == 1.0
    # one false merge of a follow-up into the story it recaps is counted as such
    fu = next(d for d, r in gold.docs.items() if r["kind"] == "followup")
    wire_story = next(r["story"] for r in gold.docs.values() if r["topic"] == gold.docs[fu]["topic"] and r["kind"] == "wire")
    merged = [c + [fu] if gold.story(c[0]) == wire_story else c for c in clusters]
    sc = stories_eval.score(gold, merged, earliest, None, texts)
    assert "a follow-up recapping the other's story in one or two sentences" in sc["false_pairs_by_relation"]


def test_held_out_storygen4_needs_unseal(capsys):
    assert stories_eval.main(["--set", "storygen4-heldout", "--no-write"]) == 2
    assert "held out" in capsys.readouterr().err
