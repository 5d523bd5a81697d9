"""Incremental updates, persistence and robustness of searchkit.stories."""
from __future__ import annotations

import datetime as dt
import json
import pickle
import zlib
from pathlib import Path

import pytest

from searchkit.stories import FORMAT, StoryFormatError, StoryInput, StoryModel, build_stories
from searchkit.stories.model import MAGIC, read_payload

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
TRUTH = json.loads((Path(__file__).parent / "data" / "stories" / "seeds-truth.json").read_text(encoding="utf-8"))
OUTLETS = {"000": "EU Today", "001": "Tibetan Review", "002": "Euromaidan Press", "003": None, "004": "Forbes"}
DATES = {"001": dt.date(2024, 4, 8), "002": dt.date(2024, 4, 7)}
F = {k: a["file"] for k, a in TRUTH["articles"].items()}
TEXT = {k: (SEEDS / f).read_text(encoding="utf-8") for k, f in F.items()}

UNRELATED = """Flooding closes mountain railway in Valdoria

Heavy rain washed away a 40-metre section of the Karsthal mountain railway on Tuesday, the regional
transport office said, stranding 1,300 hikers near the Obermatt pass.
Engineers expect repairs to take six weeks and to cost about 2.8 million euros.
The line, opened in 1912, carries 450,000 passengers a year and is the valley's largest employer.
Local hoteliers said cancellations had already doubled since the weekend.
"""


def _inputs(keys=("000", "001", "002", "003", "004")):
    return [StoryInput(F[k], TEXT[k], TEXT[k].strip().split("\n")[0], OUTLETS[k], DATES.get(k)) for k in keys]


def _copy_of_000(doc_id="900_copy.txt", outlet="Kyiv Mirror Daily", date=dt.date(2024, 4, 9)):
    return StoryInput(doc_id, "Republished: " + TEXT["000"], "China helps Russia plan strikes", outlet, date)


@pytest.mark.xfail(strict=True, reason="issue 21 shortfall: in a corpus of six, a verbatim copy of 001 halves the "
                   "weight of every word 001 shares with 000, and the sentence of 000 that credits Bloomberg no longer "
                   "aligns with 001's: the rewrite edge 000-001 is lost")
def test_a_verbatim_copy_of_001_keeps_the_seeds_story_whole():
    copy = StoryInput("900_copy.txt", "Republished: " + TEXT["001"], "China ramps up support for Russia", "Kyiv Mirror Daily",
                      dt.date(2024, 4, 9))
    m = build_stories(_inputs() + [copy])
    assert m.story_of("900_copy.txt") == m.story_of(F["000"]) == m.story_of(F["001"]) is not None


def test_add_copy_joins_edit_leaves_delete_gone():
    m = build_stories(_inputs())
    sid = m.story_of(F["000"])
    before = set(m.story(sid).doc_ids)
    m.update([_copy_of_000()], [])
    assert m.story_of("900_copy.txt") == sid
    assert m.story_of(F["000"]) == sid  # the story keeps its id
    assert "900_copy.txt" in m.story(sid).doc_ids
    # edited into unrelated text: leaves the story
    m.update([StoryInput("900_copy.txt", UNRELATED, "Flooding", "Kyiv Mirror Daily", dt.date(2024, 4, 9))], [])
    assert m.story_of("900_copy.txt") is None
    assert m.story_of(F["000"]) == sid and set(m.story(sid).doc_ids) == before
    # back again, then deleted
    m.update([_copy_of_000()], [])
    assert m.story_of("900_copy.txt") == sid
    m.update([], ["900_copy.txt"])
    assert "900_copy.txt" not in m and m.story_of("900_copy.txt") is None
    assert set(m.story(sid).doc_ids) == before
    assert m.credits_of("900_copy.txt") == []


def test_unrelated_stories_keep_their_ids():
    extra = [StoryInput("u1.txt", UNRELATED, "Flooding", "Alpine Courier", dt.date(2024, 5, 1)),
             StoryInput("u2.txt", UNRELATED.replace("Tuesday", "Wednesday") + "\nMore at Alpine Courier.\n",
                        "Flooding", "Valley Post", dt.date(2024, 5, 2))]
    m = build_stories(_inputs() + extra)
    ids = {s.story_id: set(s.doc_ids) for s in m.stories}
    assert {"u1.txt", "u2.txt"} in ids.values() and len(ids) == 2
    flood = m.story_of("u1.txt")
    m.update([_copy_of_000()], [])
    assert m.story_of("u1.txt") == flood and m.story_of("u2.txt") == flood
    m.update([], [F["003"]])
    assert m.story_of("u1.txt") == flood
    assert m.story_of(F["000"]) is not None and F["003"] not in m


def test_incremental_equals_batch_membership():
    full = build_stories(_inputs() + [_copy_of_000()])
    inc = build_stories(_inputs(("000", "004")))
    inc.update(_inputs(("001", "002", "003")) + [_copy_of_000()], [])
    groups = lambda mm: sorted(sorted(s.doc_ids) for s in mm.stories)  # noqa: E731
    assert groups(inc) == groups(full)


def test_round_trip_bytes():
    m = build_stories(_inputs())
    b = m.to_bytes()
    m2 = StoryModel.from_bytes(b)
    assert [(s.story_id, s.doc_ids, s.earliest, s.title) for s in m2.stories] == \
           [(s.story_id, s.doc_ids, s.earliest, s.title) for s in m.stories]
    for f in F.values():
        assert m2.credits_of(f) == m.credits_of(f)
    assert m2.compare(F["000"], F["001"]) == m.compare(F["000"], F["001"])
    assert m2.timeline() == m.timeline() and m2.credit_counts() == m.credit_counts()
    # still updatable after loading
    m2.update([_copy_of_000()], [])
    assert m2.story_of("900_copy.txt") == m2.story_of(F["000"])
    assert m2.to_bytes() != b


def test_persisted_form_is_plain_builtins_and_versioned():
    b = build_stories(_inputs()).to_bytes()
    data = read_payload(b)
    assert data["format"] == FORMAT and len(data["docs"]) == len(_inputs())

    def plain(x):
        if isinstance(x, dict):
            return all(isinstance(k, (str, int)) and plain(v) for k, v in x.items())
        if isinstance(x, (list, tuple)):
            return all(plain(v) for v in x)
        return x is None or isinstance(x, (str, int, float, bytes, bool))
    assert plain(data)
    magic = b[:len(MAGIC)]

    def stream(*objects) -> bytes:
        return magic + zlib.compress(b"".join(pickle.dumps(o) for o in objects))
    header = {**data, "docs": len(data["docs"])}  # the stored header counts the documents
    with pytest.raises(StoryFormatError):
        StoryModel.from_bytes(b"nonsense")
    with pytest.raises(StoryFormatError):
        StoryModel.from_bytes(stream({"format": "searchkit-stories/999"}))
    with pytest.raises(StoryFormatError):
        StoryModel.from_bytes(b[:40])
    with pytest.raises(StoryFormatError):  # a model cut short: fewer documents than its header says
        StoryModel.from_bytes(stream({**header, "docs": len(data["docs"]) + 1}, data["docs"]))
    assert len(StoryModel.from_bytes(stream(header, data["docs"][:2], data["docs"][2:]))) == len(data["docs"])

    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))
    with pytest.raises(StoryFormatError):
        StoryModel.from_bytes(stream({"format": FORMAT, "x": Evil()}))
    with pytest.raises(StoryFormatError):
        StoryModel.from_bytes(stream(header, [Evil()]))


def test_robust_inputs():
    huge = (TEXT["002"] + "\n") * 60 + ("x" * 100000) + " word" * 50000  # ~640k chars, giant lines
    hostile = "\u202eevil\u202c \u0000 \ud800 \ufeff Zalgo: Z\u0335\u0321a\u0336l\u0334g\u0337o \U0001F4A9 e\u0301 \u00ad" \
              "\u2028line\u2029para\x0c AP\u200b reported \uFF21\uFF30 (AP) — 𝐁𝐥𝐨𝐨𝐦𝐛𝐞𝐫𝐠 reported that ."
    docs = [StoryInput("empty.txt", ""), StoryInput("space.txt", " \n\n\t "), StoryInput("huge.txt", huge),
            StoryInput("hostile.txt", hostile, title="\ud800", outlet="\u202eX", date=None),
            StoryInput("dup.txt", huge)] + _inputs()
    m = build_stories(docs)
    assert m.credits_of("empty.txt") == [] and m.story_of("empty.txt") is None
    for c in m.credits_of("hostile.txt"):
        assert 0 <= c.start < c.end <= len(hostile)
    assert m.story_of("huge.txt") == m.story_of("dup.txt") is not None
    cmp = m.compare("empty.txt", "huge.txt")
    assert cmp.shared == () and cmp.only_a == ()
    m.update([StoryInput("empty.txt", hostile)], ["huge.txt", "missing.txt"])
    StoryModel.from_bytes(m.to_bytes())
    assert len(build_stories([]).stories) == 0


def test_dates_never_guessed():
    docs = _inputs()
    m = build_stories(docs)
    s = m.stories[0]
    assert s.earliest not in s.undated
    m2 = build_stories([StoryInput(d.doc_id, d.text, d.title, d.outlet, None) for d in docs])
    s2 = m2.stories[0]
    assert s2.earliest is None and set(s2.undated) == set(s2.doc_ids)


def test_postings_hold_each_documents_tokens_in_order_until_a_token_is_too_common(monkeypatch):
    """The candidate generator's postings, posted a block at a time: every token's documents in
    the order they came, and no list for a token in more than POST_CAP documents; the same
    after an update and after loading the stored model."""
    import searchkit.stories.model as model_module
    monkeypatch.setattr(model_module, "POST_CAP", 3)
    monkeypatch.setattr(model_module, "_POST_BLOCK", 2)  # blocks end inside the batch

    def expected(m):
        docs = list(m._docs.values())
        holders = {}
        for d in docs:
            for t in set(d.toks):
                holders.setdefault(t, []).append(d.doc_id)
        return {t: ids for t, ids in holders.items() if len(ids) <= 3}, {t for t, ids in holders.items() if len(ids) > 3}

    def actual(m):
        post = m._postings()
        return {t: [m._names[n] for n in pl] for t, pl in post.items()}, m._stop
    m = build_stories(_inputs() + [_copy_of_000()])
    assert actual(m) == expected(m) and m._stop
    loaded = StoryModel.from_bytes(m.to_bytes())
    assert actual(loaded) == expected(loaded) == expected(m)
    loaded.update([], [F["002"]])  # a removal leaves the stopped tokens stopped
    posts, stopped = actual(loaded)
    assert stopped == m._stop and posts == {t: ids for t, ids in expected(loaded)[0].items() if t not in stopped}
