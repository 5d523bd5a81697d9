"""The second syndication generator (benchmarks/storygen2.py): deterministic per seed, and its
truth agrees with the files it writes (every credit where it says, splits kept apart)."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

import storygen2  # noqa: E402


@pytest.fixture(scope="module")
def dev(tmp_path_factory):
    out = tmp_path_factory.mktemp("sg2dev")
    truth = storygen2.write(out, "dev", n=160)
    return out, truth


@pytest.fixture(scope="module")
def held(tmp_path_factory):
    out = tmp_path_factory.mktemp("sg2held")
    truth = storygen2.write(out, "heldout", n=160)
    return out, truth


def _visible(path: Path) -> str:
    """What a reader sees of a file: the text, or a page's paragraphs joined by blank lines."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix != ".html":
        return raw
    paras = re.findall(r"<(?:h1|p)[^>]*>(.*?)</(?:h1|p)>", raw.split("<body>")[1], re.S)
    return "\n\n".join(html.unescape(p) for p in paras)


def test_same_seed_same_corpus_other_seed_other_corpus():
    a_files, a_meta, a_truth = storygen2.build("dev", n=60)
    b_files, b_meta, b_truth = storygen2.build("dev", n=60)
    assert a_files == b_files and a_meta == b_meta
    assert json.dumps(a_truth, sort_keys=True) == json.dumps(b_truth, sort_keys=True)
    c_files, _, _ = storygen2.build("dev", n=60, seed=5)
    assert set(c_files) != set(a_files)


def test_every_credit_and_self_reference_is_where_the_truth_says(dev):
    out, truth = dev
    n_credits = n_self = 0
    for doc, a in truth["articles"].items():
        path = out / "corpus" / doc
        raw = path.read_text(encoding="utf-8")
        visible = _visible(path)
        for rec in a["credits"] + a["self_references"] + a["dontcare"]:
            m = rec["mention"]
            assert rec["context"][rec["at"]:rec["at"] + len(m)] == m, (doc, rec)
            if a["format"] == "html":
                assert visible[rec["start"]:rec["end"]] == m, (doc, rec)
                assert rec["context"] in visible
            else:
                assert raw[rec["start"]:rec["end"]] == m, (doc, rec)
                assert rec["context"] in raw
        for rec in a["credits"]:
            n_credits += 1
            assert rec["outlet"] != a["outlet"], "an outlet never credits itself"
            assert rec["aliases"]
        for rec in a["self_references"]:
            n_self += 1
            assert rec["outlet"] == a["outlet"]
    assert n_credits > 100 and n_self > 50


def test_stories_earliest_and_dates_are_consistent(dev):
    _, truth = dev
    arts = truth["articles"]
    members = sum((s["members"] for s in truth["stories"].values()), [])
    assert sorted(members) == sorted(arts)
    ties = 0
    for sid, st in truth["stories"].items():
        assert all(arts[d]["story"] == sid for d in st["members"])
        dated = [arts[d]["date"] for d in st["members"] if arts[d]["date"]]
        if not dated:
            assert st["earliest"] == []
            continue
        assert st["earliest"], sid
        for d in st["earliest"]:
            assert arts[d]["date"] == min(dated), "the earliest is on the earliest known day, and dated"
        ties += sum(1 for x in dated if x == min(dated)) > 1
    assert ties > 0, "some stories have same-day ties for the text to decide"
    assert any(a["date"] is None for a in arts.values())


def test_independent_reports_share_no_sentence_with_the_wire(dev):
    out, truth = dev
    arts = truth["articles"]
    by_event: dict[str, dict[str, str]] = {}
    for doc, a in arts.items():
        if a["kind"] in ("wire", "independent"):
            by_event.setdefault(a["event"], {})[a["kind"]] = doc
    pairs = [(v["wire"], v["independent"]) for v in by_event.values() if len(v) == 2]
    assert pairs
    for w, i in pairs:
        assert arts[w]["story"] != arts[i]["story"]
        sw = {s.strip() for s in re.split(r"(?<=[.!?»“\"])\s+", _visible(out / "corpus" / w)) if len(s.split()) > 4}
        si = {s.strip() for s in re.split(r"(?<=[.!?»“\"])\s+", _visible(out / "corpus" / i)) if len(s.split()) > 4}
        assert not (sw & si), (w, i, sw & si)


def test_held_out_phrasings_and_names_never_appear_in_dev(dev, held):
    _, dtruth = dev
    _, htruth = held
    dcred = [c for a in dtruth["articles"].values() for c in a["credits"]]
    hcred = [c for a in htruth["articles"].values() for c in a["credits"]]
    assert not any(c["held_out_phrasing"] for c in dcred)
    assert any(c["held_out_phrasing"] for c in hcred)
    assert not {c["phrasing"] for c in hcred if c["held_out_phrasing"]} & {c["phrasing"] for c in dcred}
    invented = lambda t: {a["outlet"] for a in t["articles"].values() if a["outlet"] not in storygen2.WIRES}  # noqa: E731
    assert not invented(dtruth) & invented(htruth)
    assert dtruth["seed"] != htruth["seed"]


def test_credit_forms_and_languages_are_all_there(held):
    _, truth = held
    cred = [c for a in truth["articles"].values() for c in a["credits"]]
    forms = {c["form"] for c in cred}
    assert {"according_to", "reported", "citing", "anaphora", "endline", "headline", "told", "dateline", "signoff"} <= forms
    assert {c["lang"] for c in cred} == {"en", "de", "fr", "es", "ru"}
    selfs = {s["form"] for a in truth["articles"].values() for s in a["self_references"]}
    assert {"byline", "footer", "told"} <= selfs


def test_refuses_to_overwrite_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "mine.txt").write_text("my notes", encoding="utf-8")
    with pytest.raises(SystemExit):
        storygen2.write(tmp_path, "dev", n=20)
    assert (tmp_path / "corpus" / "mine.txt").exists()
