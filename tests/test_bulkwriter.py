"""Full builds through the bulk segment writer, including postings spilled to disk."""

from __future__ import annotations

from pathlib import Path

import pytest

import searchkit
from searchkit import build_index
from searchkit.engine.whoosh import bulkwriter

from .conftest import write_corpus

ARTICLES = {
    f"{section}/{n:03d}.txt": f"Report {n} from {section}\n\n"
    + " ".join(f"word{(n * 7 + i) % 97} shock waves {section}" for i in range(30))
    + (" The shock with waves." if n % 3 == 0 else "")
    for section in ("world", "science")
    for n in range(40)
}
QUERIES = ("shock waves", '"shock with waves"', "word5 word12", "world", "science report", "report 17")


def _results(ix: searchkit.Index) -> list:
    return [[(h.doc_id, round(h.score, 6), h.snippet, h.highlights) for h in ix.search(q, limit=100)]
            for q in QUERIES] + [ix.search(q).total for q in QUERIES]


def test_postings_spilled_to_disk_give_the_same_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = write_corpus(tmp_path / "c", ARTICLES)
    in_memory = build_index(corpus, tmp_path / "memory")
    # Count every posting as a megabyte: the writer spills a run file after each document.
    monkeypatch.setattr(bulkwriter, "_POSTING_OVERHEAD", 1 << 20)
    spilled = build_index(corpus, tmp_path / "spilled")
    assert spilled.stats().documents == len(ARTICLES)
    assert _results(spilled) == _results(in_memory)
    assert not list((tmp_path / "spilled").glob("*.run"))  # runs removed after the commit
    in_memory.close()
    spilled.close()
