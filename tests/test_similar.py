""""Find where this passage appears": Index.similar, `searchkit similar`, `query --like`,
and the shell's :similar, on the seed corpus (five reports of one story, from five outlets).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import searchkit

from .conftest import SEEDS, run_cli

IDS = sorted(p.name for p in SEEDS.glob("*.txt"))
EU_TODAY, TIBETAN, EUROMAIDAN, UNKNOWN, FORBES = IDS


def _hits(stdout: str) -> list[dict]:  # type: ignore[type-arg]
    """The hit objects of JSON Lines output (its summary line left out)."""
    return [row for row in map(json.loads, stdout.splitlines()) if "doc_id" in row]


def _ids(results: searchkit.Results) -> list[str]:
    return [h.doc_id for h in results]


def test_similar_to_a_document_ranks_the_retellings_above_the_other_story(seeds_index: searchkit.Index) -> None:
    # 000 (satellite imagery for Russia's strikes) is retold by 001, 002 and 003; 004 (Forbes)
    # is about missile and drone parts.
    found = _ids(seeds_index.similar(EU_TODAY))
    assert EU_TODAY not in found  # the document itself is left out
    assert set(found[:3]) == {TIBETAN, EUROMAIDAN, UNKNOWN}
    assert found.index(FORBES) > max(found.index(d) for d in (TIBETAN, EUROMAIDAN, UNKNOWN))
    assert _ids(seeds_index.similar(doc_id=EU_TODAY)) == found


def test_a_pasted_passage_finds_its_article_with_the_shared_words_highlighted(seeds_index: searchkit.Index) -> None:
    text = (SEEDS / EUROMAIDAN).read_text(encoding="utf-8")
    passage = " ".join(text.split()[40:110])  # some seventy words from the middle
    results = seeds_index.similar(text=passage)
    assert results[0].doc_id == EUROMAIDAN
    hit = results[0]
    marked = {hit.snippet[s:e].lower() for s, e in hit.highlights}
    assert marked and all(word in passage.lower() for word in marked)
    # a passage that is also a document id is still read as text when it is not one
    assert seeds_index.similar(passage)[0].doc_id == EUROMAIDAN


def test_similar_rejects_an_unknown_document(seeds_index: searchkit.Index) -> None:
    with pytest.raises(searchkit.SearchkitError, match="no document"):
        seeds_index.similar(doc_id="nope.txt")
    with pytest.raises(TypeError):
        seeds_index.similar()


def test_cli_similar_prints_hits_as_query_does(seeds_index: searchkit.Index) -> None:
    done = run_cli("similar", EU_TODAY, "--json", "--index", str(seeds_index.path))
    assert done.returncode == 0, done.stderr
    rows = _hits(done.stdout)
    query = run_cli("query", "satellite", "--json", "--index", str(seeds_index.path), "--no-update")
    assert set(rows[0]) == set(_hits(query.stdout)[0])
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert {r["doc_id"] for r in rows[:3]} == {TIBETAN, EUROMAIDAN, UNKNOWN}
    text = run_cli("similar", EU_TODAY, "--index", str(seeds_index.path))
    assert text.returncode == 0 and " 1. " in text.stdout
    missing = run_cli("similar", "nope.txt", "--index", str(seeds_index.path))
    assert missing.returncode == 2
    assert missing.stderr.startswith("searchkit: error: no document") and "Traceback" not in missing.stderr


def test_cli_query_like_reads_a_file_or_standard_input(seeds_index: searchkit.Index, tmp_path: Path) -> None:
    passage = " ".join((SEEDS / FORBES).read_text(encoding="utf-8").split()[60:140])
    paste = tmp_path / "paste.txt"
    paste.write_text(passage, encoding="utf-8")
    from_file = run_cli("query", "--like", str(paste), "--json", "--index", str(seeds_index.path), "--no-update")
    assert from_file.returncode == 0, from_file.stderr
    assert _hits(from_file.stdout)[0]["doc_id"] == FORBES
    from_stdin = run_cli("query", "--like", "-", "--json", "--index", str(seeds_index.path), "--no-update",
                         input=passage)
    assert _hits(from_stdin.stdout) == _hits(from_file.stdout)
    empty = run_cli("query", "--like", "-", "--index", str(seeds_index.path), "--no-update", input="  \n")
    assert empty.returncode == 2 and "empty" in empty.stderr
    both = run_cli("query", "china", "--like", str(paste), "--index", str(seeds_index.path), "--no-update")
    assert both.returncode == 2 and "not both" in both.stderr
    absent = run_cli("query", "--like", str(tmp_path / "absent.txt"), "--index", str(seeds_index.path))
    assert absent.returncode == 2 and absent.stderr.startswith("searchkit: error: cannot read")


def test_shell_similar_shows_the_articles_sharing_hit_n(seeds_index: searchkit.Index) -> None:
    done = run_cli("shell", "--index", str(seeds_index.path), env={"PAGER": ""},
                   input="satellite imagery helps russia plan strikes\n:similar 1\n:similar 9\n"
                         f":similar {EU_TODAY}\n:open 1\n")
    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert out.count("Articles sharing the most content with") == 2
    assert "no hit 9: the last results have" in out
    section = out.split(f"Articles sharing the most content with {EU_TODAY}:")[-1]
    assert "hit 1 ·" in section  # :open works on the similar hits
