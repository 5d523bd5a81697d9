"""Building and updating the index: incremental runs, rebuilds, versions, damage, locking."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

import searchkit
from searchkit import build_index, open_index
from searchkit.errors import (
    IndexDamagedError,
    IndexLockedError,
    IndexMissingError,
    SchemaMismatchError,
)
from searchkit.store import POINTER_FILE, IndexLock

from .conftest import SEEDS, write_corpus

ARTICLES = {
    "a.txt": "Satellite deal\n\nChina supplied satellite imagery to Russia.",
    "b.txt": "Drone parts\n\nEngines and drone parts crossed the border.",
    "sub/c.md": "# Rocket fuel\n\nNitrocellulose for rocket fuel was shipped.",
}


def test_first_build_indexes_every_article_with_its_metadata(seeds_copy: Path, tmp_path: Path) -> None:
    ix = build_index(seeds_copy, tmp_path / "ix")
    assert ix.summary is not None
    assert ix.summary.added == 5 and ix.summary.documents == 5 and ix.summary.rebuilt
    assert ix.doc_ids() == sorted(p.name for p in SEEDS.glob("*.txt"))
    doc = ix.document("001_9c9abb03a0ba5449.txt")
    assert doc.text == (SEEDS / "001_9c9abb03a0ba5449.txt").read_text(encoding="utf-8")
    assert doc.meta.outlet == "Tibetan Review" and doc.meta.outlet_source == "text"
    assert str(doc.meta.date) == "2024-04-08" and doc.meta.date_source == "text"
    forbes = ix.document("004_24cab58f69578a0d.txt").meta
    assert (forbes.outlet, forbes.outlet_source, forbes.date, forbes.date_source) == ("Forbes", "metadata", None, "")
    unknown = ix.document("003_fb593ee96fcbc111.txt").meta
    assert (unknown.outlet, unknown.outlet_source, unknown.date, unknown.date_source) == (None, "", None, "")


def test_second_run_over_unchanged_corpus_changes_nothing(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", ARTICLES)
    build_index(corpus, tmp_path / "ix").close()
    bookkeeping = {POINTER_FILE, ".searchkit.lock"}
    before = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "ix").iterdir() if p.name not in bookkeeping}
    ix = build_index(corpus, tmp_path / "ix")
    s = ix.summary
    assert (s.added, s.updated, s.removed, s.unchanged) == (0, 0, 0, 3)
    assert not s.changed
    after = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "ix").iterdir() if p.name not in bookkeeping}
    assert after == before  # no Whoosh file written


def test_edited_new_and_deleted_files_are_applied(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", ARTICLES)
    build_index(corpus, tmp_path / "ix").close()
    (corpus / "a.txt").write_text("Satellite deal\n\nThe deal now covers microelectronics.")
    (corpus / "d.txt").write_text("Tank optics\n\nOptics for tanks were sent.")
    (corpus / "b.txt").unlink()
    ix = build_index(corpus, tmp_path / "ix")
    s = ix.summary
    assert (s.added, s.updated, s.removed, s.unchanged) == (1, 1, 1, 1)
    assert ix.doc_ids() == ["a.txt", "d.txt", "sub/c.md"]
    assert [h.doc_id for h in ix.search("microelectronics")] == ["a.txt"]
    assert [h.doc_id for h in ix.search("imagery")] == []
    assert [h.doc_id for h in ix.search("drone")] == []
    assert [h.doc_id for h in ix.search("optics")] == ["d.txt"]


def test_touched_but_identical_file_counts_as_unchanged(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", ARTICLES)
    build_index(corpus, tmp_path / "ix").close()
    later = time.time() + 5
    os.utime(corpus / "a.txt", (later, later))
    s = build_index(corpus, tmp_path / "ix").summary
    assert (s.added, s.updated, s.removed, s.unchanged) == (0, 0, 0, 3)
    # and the new mtime is remembered: the next run does not even read the file
    os.chmod(corpus / "a.txt", 0o644)
    assert build_index(corpus, tmp_path / "ix").summary.unchanged == 3


def test_metadata_edit_updates_only_that_document(seeds_copy: Path, tmp_path: Path) -> None:
    build_index(seeds_copy, tmp_path / "ix").close()
    meta = seeds_copy / "metadata.toml"
    meta.write_text(meta.read_text(encoding="utf-8") + '\n["003_fb593ee96fcbc111.txt"]\noutlet = "West Timelines"\n',
                    encoding="utf-8")
    ix = build_index(seeds_copy, tmp_path / "ix")
    assert (ix.summary.updated, ix.summary.unchanged) == (1, 4)
    meta3 = ix.document("003_fb593ee96fcbc111.txt").meta
    assert (meta3.outlet, meta3.outlet_source) == ("West Timelines", "metadata")


def test_rebuild_starts_from_empty_and_swaps_generation(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", ARTICLES)
    build_index(corpus, tmp_path / "ix").close()

    def generation() -> str:
        return json.loads((tmp_path / "ix" / POINTER_FILE).read_text())["generation"]

    def files_of(gen: str) -> list[Path]:
        return [p for p in (tmp_path / "ix").iterdir() if p.name.lstrip("_").startswith(gen + "_")]

    gen1 = generation()
    reader = open_index(tmp_path / "ix")  # e.g. a shell in another terminal
    ix = build_index(corpus, tmp_path / "ix", rebuild=True)
    assert ix.summary.rebuilt and ix.summary.added == 3
    gen2 = generation()
    assert gen2 != gen1
    assert files_of(gen1)  # kept while readers may still have it open
    assert [h.doc_id for h in reader.search("satellite")] == ["a.txt"]  # picks up gen2 by itself
    assert reader.refresh() is False
    build_index(corpus, tmp_path / "ix", rebuild=True).close()
    assert not files_of(gen1) and files_of(gen2) and generation() not in (gen1, gen2)
    assert [h.doc_id for h in reader.search("satellite")] == ["a.txt"]
    reader.close()


@pytest.mark.parametrize("older", [0, 5, 9])  # 5: before issue 22's outlet names; 9: before issue 21's new credit forms
def test_index_written_by_another_schema_version_asks_for_rebuild(tmp_path: Path, older: int) -> None:
    corpus = write_corpus(tmp_path / "c", ARTICLES)
    build_index(corpus, tmp_path / "ix").close()
    pointer = tmp_path / "ix" / POINTER_FILE
    data = json.loads(pointer.read_text())
    data["schema_version"] = older
    pointer.write_text(json.dumps(data))
    for action in (lambda: open_index(tmp_path / "ix"), lambda: build_index(corpus, tmp_path / "ix")):
        with pytest.raises(SchemaMismatchError, match="--rebuild"):
            action()
    assert build_index(corpus, tmp_path / "ix", rebuild=True).summary.added == 3


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="searchkit index"):
        open_index(tmp_path / "nothing-here")


@pytest.mark.parametrize("damage", ["truncate", "delete", "empty_toc", "garbage_pointer"])
def test_damaged_index_is_a_clear_error_that_says_how_to_rebuild(tmp_path: Path, damage: str) -> None:
    corpus = write_corpus(tmp_path / "c", ARTICLES)
    build_index(corpus, tmp_path / "ix").close()
    folder = tmp_path / "ix"
    if damage == "truncate":
        target = max((p for p in folder.iterdir() if p.suffix in (".trm", ".pst")), key=lambda p: p.stat().st_size)
        target.write_bytes(target.read_bytes()[:10])
    elif damage == "delete":
        next(p for p in folder.iterdir() if p.suffix == ".trm").unlink()
    elif damage == "empty_toc":
        next(p for p in folder.iterdir() if p.suffix == ".toc").write_bytes(b"")
    else:
        (folder / POINTER_FILE).write_text("{not json")
    with pytest.raises(IndexDamagedError, match=r"searchkit index --rebuild"):
        ix = open_index(folder)
        ix.search("satellite")  # damage in postings may only show when they are read
    rebuilt = build_index(corpus, folder, rebuild=True)
    assert [h.doc_id for h in rebuilt.search("satellite")] == ["a.txt"]


def test_second_indexer_is_refused_while_the_first_holds_the_lock(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", ARTICLES)
    (tmp_path / "ix").mkdir()
    with IndexLock(tmp_path / "ix"):
        with pytest.raises(IndexLockedError, match=rf"pid {os.getpid()}.*wait for it to finish"):
            build_index(corpus, tmp_path / "ix")
    assert build_index(corpus, tmp_path / "ix").summary.added == 3


def test_stats_report_documents_outlets_and_dates(seeds_index: searchkit.Index) -> None:
    stats = seeds_index.stats()
    assert stats.documents == 5
    assert stats.outlets == {"EU Today": 1, "Euromaidan Press": 1, "Forbes": 1, "Tibetan Review": 1}
    assert (str(stats.first_date), str(stats.last_date), stats.undated) == ("2024-04-07", "2024-04-08", 3)
    assert stats.last_update is not None


def test_unknown_document_id_is_an_error(seeds_index: searchkit.Index) -> None:
    with pytest.raises(searchkit.SearchkitError, match="no document"):
        seeds_index.document("nope.txt")


def test_segments_left_empty_by_updates_are_dropped(tmp_path: Path) -> None:
    from searchkit.engine.whoosh.index import open_whoosh
    from searchkit.store import read_pointer

    corpus = write_corpus(tmp_path / "c", ARTICLES)
    build_index(corpus, tmp_path / "ix").close()
    for round_ in range(3):  # every file edited: each run replaces every document
        for rel, text in ARTICLES.items():
            (corpus / rel).write_text(f"{text} round{round_}", encoding="utf-8")
        ix = build_index(corpus, tmp_path / "ix")
        assert ix.summary.updated == 3
        assert [h.doc_id for h in ix.search(f"round{round_}", limit=10)] == sorted(ARTICLES)
        ix.close()
    whoosh_ix = open_whoosh(tmp_path / "ix", read_pointer(tmp_path / "ix").generation)
    segments = whoosh_ix._segments()
    assert len(segments) == 1 and segments[0].doc_count() == 3


# ------------------------------------------------------------------------------------------
# The parsed metadata.toml kept in the index folder between runs


@pytest.fixture
def metadata_cached_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cache metadata.toml even when it was written a moment ago (normally it must be a
    little older, so that a second edit within the clock's granularity cannot hide)."""
    from searchkit.ingest import sidecar

    monkeypatch.setattr(sidecar, "_CACHE_MIN_AGE_NS", -1)


def _outlet_of(ix: searchkit.Index, doc_id: str) -> tuple[str | None, str]:
    meta = ix.document(doc_id).meta
    return meta.outlet, meta.outlet_source


def test_metadata_edit_is_picked_up_even_with_the_same_size_and_time(
        tmp_path: Path, metadata_cached_at_once: None) -> None:
    corpus = write_corpus(tmp_path / "c", {**ARTICLES, "metadata.toml": '["a.txt"]\noutlet = "Alpha Wire"\n'})
    build_index(corpus, tmp_path / "ix").close()
    assert (tmp_path / "ix" / ".metadata-cache.pickle").is_file()
    with build_index(corpus, tmp_path / "ix") as ix:  # from the cache: same values
        assert ix.summary.unchanged == 3
        assert _outlet_of(ix, "a.txt") == ("Alpha Wire", "metadata")
    meta = corpus / "metadata.toml"
    before = meta.stat()
    meta.write_text('["a.txt"]\noutlet = "Omega Wire"\n', encoding="utf-8")  # same length
    os.utime(meta, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the old time put back
    with build_index(corpus, tmp_path / "ix") as ix:
        assert (ix.summary.updated, ix.summary.unchanged) == (1, 2)
        assert _outlet_of(ix, "a.txt") == ("Omega Wire", "metadata")
    meta.write_text('["b.txt"]\noutlet = "Beta Wire"\n', encoding="utf-8")
    with build_index(corpus, tmp_path / "ix") as ix:
        assert (ix.summary.updated, ix.summary.unchanged) == (2, 1)
        assert _outlet_of(ix, "b.txt") == ("Beta Wire", "metadata")
        assert _outlet_of(ix, "a.txt")[1] != "metadata"
    meta.unlink()
    with build_index(corpus, tmp_path / "ix") as ix:
        assert ix.summary.updated == 1
        assert _outlet_of(ix, "b.txt")[1] != "metadata"


def test_metadata_error_is_reported_although_an_earlier_version_is_cached(
        tmp_path: Path, metadata_cached_at_once: None) -> None:
    from searchkit.errors import MetadataError

    corpus = write_corpus(tmp_path / "c", {**ARTICLES, "metadata.toml": '["a.txt"]\noutlet = "Alpha Wire"\n'})
    build_index(corpus, tmp_path / "ix").close()
    (corpus / "metadata.toml").write_text('["a.txt"]\noutlett = "Alpha Wire"\n', encoding="utf-8")
    with pytest.raises(MetadataError, match="line 2: unknown key 'outlett'"):
        build_index(corpus, tmp_path / "ix")


@pytest.mark.parametrize("cache", [b"", b"garbage\x00\xff", b"\x80\x05K\x01.", "truncated"])
def test_damaged_metadata_cache_is_ignored_and_replaced(
        tmp_path: Path, metadata_cached_at_once: None, cache: bytes | str) -> None:
    corpus = write_corpus(tmp_path / "c", {**ARTICLES, "metadata.toml": '["a.txt"]\noutlet = "Alpha Wire"\n'})
    build_index(corpus, tmp_path / "ix").close()
    cache_file = tmp_path / "ix" / ".metadata-cache.pickle"
    good = cache_file.read_bytes()
    cache_file.write_bytes(good[: len(good) // 2] if cache == "truncated" else cache)
    with build_index(corpus, tmp_path / "ix") as ix:
        assert ix.summary.unchanged == 3
        assert _outlet_of(ix, "a.txt") == ("Alpha Wire", "metadata")
    assert cache_file.read_bytes() == good  # rebuilt


def test_metadata_cache_of_another_corpus_is_not_used(tmp_path: Path, metadata_cached_at_once: None) -> None:
    first = write_corpus(tmp_path / "c1", {**ARTICLES, "metadata.toml": '["a.txt"]\noutlet = "Alpha Wire"\n'})
    second = write_corpus(tmp_path / "c2", {**ARTICLES, "metadata.toml": '["a.txt"]\noutlet = "Omega Wire"\n'})
    build_index(first, tmp_path / "ix").close()
    with build_index(second, tmp_path / "ix", rebuild=True) as ix:
        assert _outlet_of(ix, "a.txt") == ("Omega Wire", "metadata")
