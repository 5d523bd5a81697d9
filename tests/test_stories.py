"""searchkit.stories on the five seed articles, against the hand-made truth (tests/data/stories)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from searchkit.stories import Credit, StoryInput, build_stories

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
TRUTH = json.loads((Path(__file__).parent / "data" / "stories" / "seeds-truth.json").read_text(encoding="utf-8"))
# what the indexer knows: outlet from the text (byline/dateline/footer) or metadata.toml, dates likewise
OUTLETS = {"000": "EU Today", "001": "Tibetan Review", "002": "Euromaidan Press", "003": None, "004": "Forbes"}
DATES = {"001": dt.date(2024, 4, 8), "002": dt.date(2024, 4, 7)}
TRUTH_STORY = {a["file"]: c["id"] for c in TRUTH["stories"]["clusters"] for a in (TRUTH["articles"][k] for k in c["members"])}


def _files():
    return {k: a["file"] for k, a in TRUTH["articles"].items()}


@pytest.fixture(scope="module")
def seeds():
    texts, docs = {}, []
    for k, f in sorted(_files().items()):
        t = (SEEDS / f).read_text(encoding="utf-8")
        texts[f] = t
        docs.append(StoryInput(f, t, t.strip().split("\n")[0], OUTLETS[k], DATES.get(k)))
    return build_stories(docs), texts


def _truth_story(cluster_id: str) -> set[str]:
    f = _files()
    (c,) = [c for c in TRUTH["stories"]["clusters"] if c["id"] == cluster_id]
    return {f[k] for k in c["members"]}


def _grouped(model) -> list[set[str]]:
    return [set(s.doc_ids) for s in model.stories if len(s.doc_ids) > 1]


@pytest.mark.xfail(strict=True, reason="issue 21 shortfall: 003 retells the report in its own words, credits no outlet "
                   "and shares no copied sentence with 000/001; as text it is what storygen2 calls an independent report "
                   "of the same event (kept apart there). See benchmarks/results/stories-cv-*.json")
def test_the_seeds_story_of_four(seeds):
    model, _ = seeds
    assert _grouped(model) == [s for s in (_truth_story(c["id"]) for c in TRUTH["stories"]["clusters"]) if len(s) > 1]


def test_the_rewrites_crediting_the_report_are_one_story_and_004_apart(seeds):
    """Each seed that credits the origin of its story's report (the truth's attributions) is
    in one story; what is grouped is grouped truly; 004 (another report) stays alone."""
    model, _ = seeds
    f = _files()
    (s1,) = [c for c in TRUTH["stories"]["clusters"] if len(c["members"]) > 1]
    origin = TRUTH["reports"][s1["report"]]["outlet"]
    crediting = {f[a["doc"]] for a in TRUTH["attributions"]
                 if a["doc"] in s1["members"] and a["counts_as_outlet_credit"] and origin in a["outlet"].split("; ")}
    assert len(crediting) >= 3
    assert len({model.story_of(d) for d in crediting}) == 1 and model.story_of(next(iter(crediting))) is not None
    for story in model.stories:
        assert {TRUTH_STORY[d] for d in story.doc_ids} == {s1["id"]} or len(story.doc_ids) == 1
    for c in TRUTH["stories"]["clusters"]:
        if len(c["members"]) == 1:
            assert model.story_of(f[c["members"][0]]) is None  # another report: shared background is not enough


def test_earliest_dated_and_undated_not_ordered(seeds):
    model, _ = seeds
    f = _files()
    s = model.story(model.story_of(f["000"]))
    dated = sorted((d for d in s.doc_ids if d in {f[k] for k in DATES}), key=lambda d: DATES[d[:3]])
    undated = sorted(d for d in s.doc_ids if d not in dated)
    assert dated and s.earliest == dated[0]
    assert s.doc_ids == tuple(dated + undated)  # dated members by date, then the undated
    assert s.undated == tuple(undated) and f["000"] in undated
    assert s.title  # a representative headline


def test_same_day_the_member_crediting_no_other_comes_first():
    wire = "Officials in Norport approved a 40.6 million euro repair fund for the flooded port on Monday.\n" \
           "The fund covers 1,200 homes in the harbour district, the mayor Helen Vale said.\n" \
           "Work on the sea wall starts in March and should take eighteen months.\n"
    copy = "Officials in Norport approved a 40.6 million euro repair fund for the flooded port on Monday, Kelvale Wire reported.\n" \
           "The fund covers 1,200 homes in the harbour district, the mayor Helen Vale said.\n" \
           "Work on the sea wall starts in March and should take eighteen months.\n"
    day = dt.date(2025, 3, 3)
    for order in ((0, 1), (1, 0)):
        docs = [StoryInput("a_copy.txt", copy, "Repair fund", "Brixham Times", day),
                StoryInput("z_wire.txt", wire, "Repair fund", "Kelvale Wire", day)]
        model = build_stories([docs[i] for i in order])
        (story,) = [s for s in model.stories if len(s.doc_ids) > 1]
        assert story.earliest == "z_wire.txt"  # the copy credits the wire: the wire was first


def test_same_day_an_origin_of_unknown_outlet_comes_before_the_copies_crediting_it():
    """The copies credit an outlet none of the members is known to be (the origin's own page
    names no outlet): the member that credits nobody is the earliest, whatever the order."""
    wire = "Officials in Norport approved a 40.6 million euro repair fund for the flooded port on Monday.\n" \
           "The fund covers 1,200 homes in the harbour district, the mayor Helen Vale said.\n" \
           "Work on the sea wall starts in March and should take eighteen months.\n"
    copy = wire.replace("on Monday.", "on Monday, Kelvale Wire reported.")
    day = dt.date(2025, 3, 3)
    docs = [StoryInput("a_copy.txt", copy, "Repair fund", "Brixham Times", day),
            StoryInput("b_copy.txt", copy.replace("Brixham", "Ashford"), "Repair fund", "Ashford Post", day),
            StoryInput("z_wire.txt", wire, "Repair fund", None, day)]
    for order in ((0, 1, 2), (2, 1, 0)):
        model = build_stories([docs[i] for i in order])
        (story,) = [s for s in model.stories if len(s.doc_ids) > 1]
        assert story.earliest == "z_wire.txt" and story.doc_ids[0] == "z_wire.txt"


def test_every_explicit_credit_found_with_spans(seeds):
    model, texts = seeds
    f = _files()
    missing = []
    for a in TRUTH["attributions"]:
        if not a["counts_as_outlet_credit"]:
            continue
        doc = f[a["doc"]]
        got = model.credits_of(doc)
        for outlet in a["outlet"].split("; "):
            if not any(c.source == outlet and c.start < a["mention"]["end"] and a["mention"]["start"] < c.end for c in got):
                missing.append((a["doc"], outlet, a["mention"]["text"]))
    assert missing == []
    for doc, t in texts.items():
        for c in model.credits_of(doc):
            assert isinstance(c, Credit) and 0 <= c.start < c.end <= len(t)
    # spans are offsets into the text given
    c000 = model.credits_of(f["000"])
    assert any("Bloomberg" in texts[f["000"]][c.start:c.end] and c.source == "Bloomberg" for c in c000)
    c004 = model.credits_of(f["004"])
    assert {"Associated Press", "Bloomberg", "The Wall Street Journal"} <= {c.source for c in c004}
    outlets = [c for c in c004 if texts[f["004"]][c.start:c.end] == "the outlets"]
    assert {c.source for c in outlets} == {"Associated Press", "Bloomberg"}
    journal = [c for c in c004 if texts[f["004"]][c.start:c.end] == "the Journal"]
    assert [c.source for c in journal] == ["The Wall Street Journal"]


def test_no_self_credit_and_no_false_credit(seeds):
    model, texts = seeds
    f = _files()
    for k, own in OUTLETS.items():
        srcs = {c.source for c in model.credits_of(f[k])}
        assert own not in srcs
    assert model.credits_of(f["003"]) == []  # "According to reports" is not an outlet
    for n in TRUTH["not_attributions"]:
        for c in model.credits_of(f[n["doc"]]):
            assert not (c.start < n["end"] and n["start"] < c.end), (n, c)
    # every credit is an outlet named in the truth for that article
    gold = {(a["doc"], o) for a in TRUTH["attributions"] if a["counts_as_outlet_credit"] for o in a["outlet"].split("; ")}
    for k in OUTLETS:
        for c in model.credits_of(f[k]):
            assert (k, c.source) in gold, (k, c, texts[f[k]][c.start:c.end])


def test_credits_without_known_outlet_still_skip_self_references():
    f = _files()
    texts = {k: (SEEDS / v).read_text(encoding="utf-8") for k, v in f.items()}
    model = build_stories([StoryInput(f[k], texts[k]) for k in f])  # no outlets known at all
    for k, own in (("000", "EU Today"), ("001", "Tibetan Review")):
        assert own not in {c.source for c in model.credits_of(f[k])}
    assert "Bloomberg" in {c.source for c in model.credits_of(f["000"])}


def test_credit_counts_and_timeline(seeds):
    model, _ = seeds
    cc = model.credit_counts()
    assert sum(cc["Bloomberg"].values()) == 4  # 000, 001, 002, 004
    assert cc["Bloomberg"]["EU Today"] == 1 and cc["Financial Times"] == {"Euromaidan Press": 1}
    assert "Politico" in cc and "Agence France-Presse" in cc
    tl = model.timeline()
    assert tl["dated"] == {"2024-04-07": {"Euromaidan Press": 1}, "2024-04-08": {"Tibetan Review": 1}}
    assert sum(tl["undated"].values()) == 3
    sub = model.timeline([_files()["002"]])
    assert sub["dated"] == {"2024-04-07": {"Euromaidan Press": 1}} and sub["undated"] == {}


def test_compare_marks_the_copied_words_of_000_and_001(seeds):
    model, texts = seeds
    f = _files()
    a, b = f["000"], f["001"]
    cmp = model.compare(a, b, texts[a], texts[b])
    run = "satellite imagery for military purposes, as well as microelectronics and"  # 000 then has "machinery"
    # the sentences around Bloomberg's surviving wording differ: reworded, with the run marked
    carrying = [p for p in cmp.shared if run in texts[b][p.b_start:p.b_end]]
    assert carrying and all(p.kind == "reworded" for p in carrying)
    marked = [texts[b][b0:b1] for p in carrying for _, _, b0, b1 in p.identical]
    assert any(run in m for m in marked)
    for p in cmp.shared:  # identical runs are the same words in both texts
        for a0, a1, b0, b1 in p.identical:
            assert " ".join(texts[a][a0:a1].casefold().split()) == " ".join(texts[b][b0:b1].casefold().split())
    # what each has alone: 000's Politico paragraph, 001's Carl Bildt quote
    assert any("Politico" in texts[a][s:e] for s, e in cmp.only_a)
    assert any("Carl Bildt" in texts[b][s:e] for s, e in cmp.only_b)
    assert cmp.same_story
    # shared and unique spans never overlap
    sa = [(p.a_start, p.a_end) for p in cmp.shared]
    assert not any(s < e2 and s2 < e for s, e in cmp.only_a for s2, e2 in sa)


def test_verbatim_only_for_the_same_words(seeds):
    model, texts = seeds
    f = _files()
    a, b = f["001"], f["002"]
    cmp = model.compare(a, b, texts[a], texts[b])
    blinken = [p for p in cmp.shared if "Blinken" in texts[a][p.a_start:p.a_end] and "Blinken" in texts[b][p.b_start:p.b_end]]
    assert blinken and all(p.kind == "reworded" for p in blinken)
    assert any("briefed European allies" in texts[a][a0:a1] for p in blinken for a0, a1, _, _ in p.identical)
    for p in cmp.shared:
        if p.kind == "verbatim":
            from searchkit.stories.passages import words
            assert [w for w, _, _ in words(texts[a], p.a_start, p.a_end)] == [w for w, _, _ in words(texts[b], p.b_start, p.b_end)]


@pytest.mark.parametrize("left, right, kind", [
    ('China bought "$240 billion" of goods, up 5 percent.', "china bought US$240bn of goods — up 5%!", "verbatim"),
    ("The deal, worth 1,000 tonnes, was signed.", "The deal worth 1000 tonnes was signed", "verbatim"),
    ("Blinken briefed European allies on Monday.", "Blinken was reported to have briefed European allies on Monday.", "reworded"),
    ("Officials said the plant will close.", "The plant will close, officials said.", "reworded"),
    ("Exports rose 5 percent.", "Exports rose 6 percent.", "reworded"),
])
def test_passage_kind(left, right, kind):
    from searchkit.stories.passages import classify
    assert classify(left, (0, len(left)), right, (0, len(right)))[0] == kind

def test_004_shares_little_with_story(seeds):
    model, _ = seeds
    f = _files()
    cmp = model.compare(f["000"], f["004"])
    assert not cmp.same_story
    assert len(cmp.shared) <= 2


def test_deterministic_and_order_free(seeds):
    model, _ = seeds
    f = _files()
    texts = {k: (SEEDS / v).read_text(encoding="utf-8") for k, v in f.items()}
    docs = [StoryInput(f[k], texts[k], texts[k].strip().split("\n")[0], OUTLETS[k], DATES.get(k)) for k in sorted(f, reverse=True)]
    other = build_stories(docs)
    assert [(s.story_id, s.doc_ids, s.earliest) for s in other.stories] == [(s.story_id, s.doc_ids, s.earliest) for s in model.stories]
    assert all(other.credits_of(d) == model.credits_of(d) for d in f.values())
