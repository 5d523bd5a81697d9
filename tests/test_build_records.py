"""A file that holds several documents (an export, a mailbox): ids ``path#key``, paths back to
the file, records added, changed and removed incrementally. Uses a reader registered for the
test, through the same registry the real readers use."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

import searchkit
from searchkit.ingest import readers
from searchkit.ingest.article import Article, RecordSkipped

from .conftest import write_corpus


def _read_lines(source: readers.Source) -> Iterator[Article | RecordSkipped]:
    """One document per line "key: text"; a line without text is a bad record."""
    for line in source.data.decode("utf-8").splitlines():
        key, _, text = line.partition(":")
        if text.strip():
            yield Article(text=text.strip(), key=key.strip())
        else:
            yield RecordSkipped(key.strip(), "no text")


@pytest.fixture
def lines_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("searchkit.ingest.readers.lines_for_test")
    module.read = _read_lines  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setitem(readers.READERS, ".lines", "lines_for_test")


def test_records_of_one_file_are_documents_with_ids_and_paths_of_their_file(tmp_path: Path, lines_reader) -> None:
    corpus = write_corpus(tmp_path / "c", {
        "feeds/export.lines": "r1: Satellite imagery of the port\nr2: Drone parts shipped\nr3:\n",
        "notes.txt": "Satellite launch notes.\n",
    })
    with searchkit.build_index(corpus, tmp_path / "ix") as ix:
        assert ix.summary is not None
        assert [(s.rel_path, s.reason) for s in ix.summary.skipped] == [("feeds/export.lines#r3", "no text")]
        assert ix.doc_ids() == ["feeds/export.lines#r1", "feeds/export.lines#r2", "notes.txt"]
        hits = {h.doc_id: h for h in ix.search("satellite")}
        assert set(hits) == {"feeds/export.lines#r1", "notes.txt"}
        assert hits["feeds/export.lines#r1"].path == corpus / "feeds" / "export.lines"
        doc = ix.document("feeds/export.lines#r2")
        assert doc.text == "Drone parts shipped" and doc.path == corpus / "feeds" / "export.lines"


def test_a_changed_export_updates_its_records_and_a_deleted_one_removes_them(tmp_path: Path, lines_reader) -> None:
    corpus = write_corpus(tmp_path / "c", {"export.lines": "a: alpha satellite\nb: beta satellite\nc: gamma satellite\n"})
    searchkit.build_index(corpus, tmp_path / "ix").close()
    (corpus / "export.lines").write_text("a: alpha satellite\nc: gamma drone\nd: delta satellite\n", encoding="utf-8")
    with searchkit.build_index(corpus, tmp_path / "ix") as ix:
        summary = ix.summary
        assert summary is not None
        assert (summary.added, summary.updated, summary.removed, summary.unchanged) == (1, 1, 1, 1)
        assert ix.doc_ids() == ["export.lines#a", "export.lines#c", "export.lines#d"]
        assert {h.doc_id for h in ix.search("satellite")} == {"export.lines#a", "export.lines#d"}
    (corpus / "export.lines").unlink()
    with searchkit.build_index(corpus, tmp_path / "ix") as ix:
        assert ix.summary is not None and ix.summary.removed == 3
        assert ix.doc_ids() == []


def test_a_name_with_a_hash_is_still_one_file(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {"issue#12 notes.txt": "Satellite imagery notes.\n"})
    with searchkit.build_index(corpus, tmp_path / "ix") as ix:
        (hit,) = ix.search("satellite").hits
        assert hit.doc_id == "issue#12 notes.txt" and hit.path == corpus / "issue#12 notes.txt"
        assert ix.document("issue#12 notes.txt").path == corpus / "issue#12 notes.txt"
