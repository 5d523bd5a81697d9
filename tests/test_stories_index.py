"""Stories as users meet them: computed with the index, kept up to date by `searchkit index`,
shown by `searchkit stories|compare|credits|timeline`, and collapsing copies in search results.
Real seed articles, a real index, the CLI as a real process."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

import searchkit

from .conftest import SEEDS, run_cli

S000, S001, S002, S003, S004 = sorted(p.name for p in SEEDS.glob("*.txt"))
# The story the method finds in the seeds: 000 and 001 share copied passages, and 002 copies a
# few sentences that it credits, as 000 and 001 do, to Bloomberg. The truth is {000, 001, 002,
# 003} (tests/test_stories.py keeps 003, a retelling in other words crediting no one, as a
# known shortfall of issue 21).
SAME_STORY = {S000, S001, S002}


@pytest.fixture(scope="module")
def seeds_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stories")
    shutil.copytree(SEEDS, root / "seeds")
    assert run_cli("index", str(root / "seeds"), "--index", str(root / "ix"), cwd=root).returncode == 0
    return root


def _hits(out: str) -> list[dict]:  # type: ignore[type-arg]
    """The hit objects of `query --json` (its summary line and facets left out)."""
    rows = [json.loads(line) for line in out.splitlines()]
    return [row for row in rows if "doc_id" in row]


def _cli(root: Path, *args: str) -> tuple[int, str, str]:
    done = run_cli(*args, "--index", str(root / "ix"), cwd=root)
    assert "Traceback" not in done.stderr
    return done.returncode, done.stdout, done.stderr


def test_stories_json_groups_the_rewrites_and_names_the_earliest_dated_one(seeds_dir: Path) -> None:
    code, out, _ = _cli(seeds_dir, "stories", "--json")
    assert code == 0
    stories = [json.loads(line) for line in out.splitlines()]
    assert len(stories) == 1
    story = stories[0]
    assert set(story) == {"story", "title", "docs", "earliest"}
    assert {d["doc_id"] for d in story["docs"]} == SAME_STORY  # 004 tells another story
    assert story["earliest"] == S002  # dated 2024-04-07, 001 2024-04-08; 000 is undated, never placed
    dates = [d["date"] for d in story["docs"]]
    assert dates == ["2024-04-07", "2024-04-08", None]  # dated by date, then undated
    for doc in story["docs"]:
        assert set(doc) == {"doc_id", "outlet", "date", "credits"}
        for credit in doc["credits"]:
            assert set(credit) == {"source", "start", "end"}


def test_credit_spans_point_at_the_mention_in_the_documents_text(seeds_dir: Path) -> None:
    _, out, _ = _cli(seeds_dir, "stories", "--json")
    docs = {d["doc_id"]: d for d in json.loads(out.splitlines()[0])["docs"]}
    with searchkit.open_index(seeds_dir / "ix") as ix:
        for doc_id, doc in docs.items():
            text = ix.document(doc_id).text
            for credit in doc["credits"]:
                mention = text[credit["start"]:credit["end"]]
                assert mention.strip() and mention == mention.strip(), (doc_id, credit)
                if credit["source"] == "Bloomberg":
                    assert "bloomberg" in mention.lower() or mention.lower() in ("this report", "the report")
    sources = {c["source"] for c in docs[S001]["credits"]}
    assert {"Bloomberg", "The Telegraph", "Ukrainska Pravda"} <= sources
    with searchkit.open_index(seeds_dir / "ix") as ix:
        assert ix.credits_of(S003) == [] and ix.document(S003).credits == ()  # "According to reports": nobody named
        assert ix.document(S001).credits == tuple(ix.credits_of(S001))


def test_credits_counts_sources_by_outlet_and_never_an_outlet_crediting_itself(seeds_dir: Path) -> None:
    code, out, _ = _cli(seeds_dir, "credits", "--json")
    assert code == 0
    rows = {r["source"]: r for r in map(json.loads, out.splitlines())}
    assert rows["Bloomberg"]["articles"] == 4
    assert {"Associated Press", "Financial Times", "Politico"} <= set(rows)
    for source, row in rows.items():
        assert all(by["outlet"] != source for by in row["by"])
    assert not {"EU Today", "Tibetan Review", "Euromaidan Press", "Forbes"} & set(rows)
    text = _cli(seeds_dir, "credits")[1]
    assert re.search(r"^\s*4\s+Bloomberg\b", text, re.M)


def test_compare_shows_the_verbatim_run_of_000_and_001(seeds_dir: Path) -> None:
    code, out, _ = _cli(seeds_dir, "compare", S000, S001, "--json")
    assert code == 0
    comparison = json.loads(out)
    assert comparison["same_story"] is True
    with searchkit.open_index(seeds_dir / "ix") as ix:
        b_text = ix.document(S001).text
    run = "satellite imagery for military purposes, as well as microelectronics and"  # 000 then has "machinery"
    copied = [" ".join(b_text[r["b"][0]:r["b"][1]].split()) for p in comparison["shared"] for r in p["identical"]]
    assert any(run in c for c in copied)
    assert all(p["kind"] == "reworded" for p in comparison["shared"] if run in " ".join(b_text[p["b"][0]:p["b"][1]].split()))
    assert comparison["only_a"] and comparison["only_b"]  # what each outlet added
    narrow = _cli(seeds_dir, "compare", S000, S001)[1]
    assert "Shared" in narrow and "Only in A" in narrow and "Only in B" in narrow


def test_timeline_counts_articles_per_day_and_outlet(seeds_dir: Path) -> None:
    code, out, _ = _cli(seeds_dir, "timeline", "--json")
    assert code == 0
    days = {row["date"]: row for row in map(json.loads, out.splitlines())}
    assert days["2024-04-07"]["outlets"] == [{"outlet": "Euromaidan Press", "articles": 1}]
    assert days["2024-04-08"]["outlets"] == [{"outlet": "Tibetan Review", "articles": 1}]
    assert days[None]["articles"] == 3
    assert "\u2588" in _cli(seeds_dir, "timeline")[1]


def test_search_collapses_copies_under_the_best_hit_unless_asked_not_to(seeds_dir: Path) -> None:
    code, out, _ = _cli(seeds_dir, "query", "satellite imagery", "--json")
    assert code == 0
    hits = _hits(out)
    flat = _hits(_cli(seeds_dir, "query", "satellite imagery", "--json", "--no-collapse")[1])
    assert len({h["doc_id"] for h in flat} & SAME_STORY) >= 2  # several versions match
    story_rows = [h for h in hits if h["story"] is not None]
    assert len(story_rows) == 1  # one row for the story ...
    row = story_rows[0]
    assert row["doc_id"] == next(h["doc_id"] for h in flat if h["doc_id"] in SAME_STORY)  # ... its best hit
    folded = {v["doc_id"] for v in row["versions"]}
    assert folded == {h["doc_id"] for h in flat if h["doc_id"] in SAME_STORY} - {row["doc_id"]}
    text = _cli(seeds_dir, "query", "satellite imagery")[1]
    assert re.search(rf"\+{len(folded)} versions? \(story:{row['story']}\):", text)


def test_story_filter_limits_a_query_to_one_story(seeds_dir: Path) -> None:
    story_id = json.loads(_cli(seeds_dir, "stories", "--json")[1].splitlines()[0])["story"]
    out = _cli(seeds_dir, "query", f"story:{story_id} china", "--json", "--no-collapse")[1]
    assert {h["doc_id"] for h in _hits(out)} == SAME_STORY
    code, _, err = _cli(seeds_dir, "query", "story:nosuch china")
    assert code == 2 and "no such story" in err


def test_a_filter_does_not_change_the_scores_shown(seeds_dir: Path) -> None:
    def scores(query: str) -> dict[str, float]:
        out = _cli(seeds_dir, "query", query, "--json", "--no-collapse")[1]
        return {h["doc_id"]: h["score"] for h in _hits(out)}

    plain, dated = scores("satellite imagery"), scores("satellite imagery date:2024-04")
    assert dated and all(dated[d] == pytest.approx(plain[d]) for d in dated)


def test_stories_follow_the_corpus_incrementally(tmp_path: Path) -> None:
    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    ix = searchkit.build_index(corpus, tmp_path / "ix")
    (before,) = ix.stories()
    ix.close()
    copy = corpus / "copy_of_000.txt"
    copy.write_text((corpus / S000).read_text(encoding="utf-8"), encoding="utf-8")
    with searchkit.build_index(corpus, tmp_path / "ix") as ix:
        (story,) = ix.stories()
        assert story.story_id == before.story_id and set(story.doc_ids) == SAME_STORY | {copy.name}
    copy.write_text("Local council approves a new bicycle lane on the high street after a long debate.\n"
                    "Residents welcomed the plan; works start in June.\n", encoding="utf-8")
    with searchkit.build_index(corpus, tmp_path / "ix") as ix:
        (story,) = ix.stories()
        assert set(story.doc_ids) == SAME_STORY and story.story_id == before.story_id
    copy.unlink()
    with searchkit.build_index(corpus, tmp_path / "ix") as ix:
        assert [set(s.doc_ids) for s in ix.stories()] == [SAME_STORY]


def test_an_index_without_its_stories_file_still_answers_and_the_next_run_restores_it(tmp_path: Path) -> None:
    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    searchkit.build_index(corpus, tmp_path / "ix").close()
    (stories_file,) = (tmp_path / "ix").glob("*.stories")
    stories_file.write_bytes(b"garbage")
    with searchkit.open_index(tmp_path / "ix") as ix:
        assert [set(s.doc_ids) for s in ix.stories()] == [SAME_STORY]
    stories_file.unlink()
    searchkit.build_index(corpus, tmp_path / "ix").close()
    assert stories_file.exists()


def test_an_emailed_tip_is_by_its_sender_and_a_forward_is_not_dated_first(tmp_path: Path) -> None:
    from email.message import EmailMessage

    corpus = tmp_path / "c"
    shutil.copytree(SEEDS, corpus)
    wire = (corpus / S001).read_text(encoding="utf-8")
    tip = EmailMessage()
    tip["From"] = "Desk Editor <desk@paper.example>"
    tip["To"] = "newsroom@paper.example"
    tip["Subject"] = "Fwd: China and Russia"
    tip["Date"] = "Sat, 06 Apr 2024 09:00:00 +0000"  # before every dated member: a forward's day
    tip.set_content("---------- Forwarded message ---------\n\n" + wire)
    (corpus / "tip.eml").write_bytes(tip.as_bytes())
    with searchkit.build_index(corpus, tmp_path / "ix") as ix:
        doc = ix.document("tip.eml")
        assert doc.meta.outlet is None and doc.meta.author == "Desk Editor"
        (story,) = [s for s in ix.stories() if "tip.eml" in s.doc_ids]
        assert "tip.eml" in story.undated and story.earliest == S001  # not placed first by its sending day
        assert all(src.source != "Desk Editor" for src in ix.credit_sources())


@pytest.mark.parametrize("collapse", [True, False], ids=["collapsed", "flat"])
def test_the_page_count_is_the_pages_that_hold_hits(seeds_dir: Path, collapse: bool) -> None:
    """`pages` in the JSON summary (and the web page's pager) counts result rows: with copies
    collapsed, a story is one row, so it is fewer than the matches would fill."""
    flag = () if collapse else ("--no-collapse",)
    first = [json.loads(line) for line in _cli(seeds_dir, "query", "satellite imagery", "--json", "--limit", "1",
                                               *flag)[1].splitlines()]
    summary = first[0]["summary"]
    filled = 0
    while True:
        code, out, _ = _cli(seeds_dir, "query", "satellite imagery", "--json", "--limit", "1", "--page",
                            str(filled + 1), *flag)
        if not _hits(out):
            break
        filled += 1
    assert summary["pages"] == filled >= 1
    if collapse:
        assert summary["pages"] < summary["total"]  # the seeds' copies fold: fewer rows than matches


def test_recompute_rewrites_the_stories_an_index_lost(seeds_dir: Path, tmp_path: Path) -> None:
    """`stories --recompute` (in this process) stores again what the build stored; --spark and
    --from without what they need are one line and exit 2."""
    ix = tmp_path / "ix"
    shutil.copytree(seeds_dir / "ix", ix)
    maps = sorted(ix.glob("*.storymap"))
    assert len(maps) == 1
    before = maps[0].read_bytes()
    _, listed, _ = _cli(tmp_path, "stories", "--json")
    maps[0].unlink()
    for model in ix.glob("*.stories"):
        model.unlink()
    done = run_cli("stories", "--recompute", "--index", str(ix), cwd=tmp_path)
    assert done.returncode == 0 and "recomputed in this process" in done.stdout
    assert maps[0].read_bytes() == before
    assert _cli(tmp_path, "stories", "--json")[1] == listed
    for args, says in ((["--spark", "local[2]"], "use it with --recompute"),
                       (["--recompute", "--from", "x.jsonl"], "use it with --recompute --spark MASTER"),
                       (["--recompute", "yellen"], "give no QUERY")):
        done = run_cli("stories", *args, "--index", str(ix), cwd=tmp_path)
        assert done.returncode == 2 and says in done.stderr and "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
