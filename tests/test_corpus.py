"""Reading messy corpus files: encodings, line endings, Unicode forms, and what gets skipped."""

from __future__ import annotations

import codecs
import os
import unicodedata
from pathlib import Path

import pytest

from searchkit import build_index
from searchkit.ingest.decode import UnusableFile, decode, read_article
from searchkit.ingest.walk import CorpusFile, walk
from searchkit.models import Skipped

from .conftest import write_corpus

TEXT = "Café owners in Kyiv said “nitrocellulose” shipments – unverified – resumed.\n"


def _file(path: Path) -> CorpusFile:
    st = path.stat()
    return CorpusFile(path.name, path, st.st_size, st.st_mtime_ns)


@pytest.mark.parametrize(
    "raw, encoding",
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
    ],
)
def test_unicode_encodings_with_and_without_bom_decode_exactly(raw: bytes, encoding: str) -> None:
    text, used = decode(raw)
    assert text == TEXT
    assert used == encoding


def test_legacy_cp1252_is_detected_not_mangled() -> None:
    legacy = ("Le café était plein. Les “réfugiés” arrivaient – épuisés – à l’aube. " * 6).encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        legacy.decode("utf-8")
    text, used = decode(legacy)
    assert "café" in text and "“réfugiés”" in text and "l’aube" in text
    assert used.lower().replace("_", "-") in {"cp1252", "windows-1252", "latin-1", "iso-8859-1", "iso8859-1", "cp1250"} or "1252" in used


def test_line_endings_and_unicode_are_normalised() -> None:
    decomposed = unicodedata.normalize("NFD", "Caf\u00e9 r\u00e9sum\u00e9")
    text, _ = decode(f"line one\r\nline two\r{decomposed}\n".encode("utf-8"))
    assert text == "line one\nline two\nCaf\u00e9 r\u00e9sum\u00e9\n"


def test_nfd_article_is_found_by_nfc_query(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {"a.txt": unicodedata.normalize("NFD", "Title\n\nThe café in Zürich.")})
    ix = build_index(corpus, tmp_path / "ix")
    assert [h.doc_id for h in ix.search("café")] == ["a.txt"]
    assert [h.doc_id for h in ix.search("zürich")] == ["a.txt"]


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "empty"),
        (b"  \n\t\r\n  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4, "binary file"),
        (bytes(range(1, 32)) * 50, "binary file"),
    ],
)
def test_unusable_content_is_refused_with_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    with pytest.raises(UnusableFile, match=reason):
        read_article(_file(path))


def test_size_cap_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)
    assert read_article(_file(path), max_bytes=10_000).text.startswith("word")
    with pytest.raises(UnusableFile, match="too large"):
        read_article(_file(path), max_bytes=1000)


def test_walk_finds_txt_and_md_recursively_and_ignores_the_rest(tmp_path: Path) -> None:
    write_corpus(tmp_path, {
        "b.txt": "b", "a/c.md": "c", "a/d.TXT": "d", "notes.xlsx": "x", "metadata.toml": "",
        ".git/e.txt": "hidden", ".hidden.txt": "hidden",
        "f..txt": "f", "g.tar.Md": "g", "h.txt.": "no", "h.txt.bak": "no", "txt": "no", "md/i": "no",
    })
    found = [item.rel_path for item in walk(tmp_path) if isinstance(item, CorpusFile)]
    assert found == ["a/c.md", "a/d.TXT", "b.txt", "f..txt", "g.tar.Md"]


def test_symlink_loop_is_reported_and_walk_terminates(tmp_path: Path) -> None:
    write_corpus(tmp_path, {"a/one.txt": "one"})
    os.symlink(tmp_path / "a", tmp_path / "a" / "loop")
    os.symlink("self.txt", tmp_path / "self.txt")  # a link to itself
    items = list(walk(tmp_path))
    files = [i.rel_path for i in items if isinstance(i, CorpusFile)]
    skipped = {i.rel_path: i.reason for i in items if isinstance(i, Skipped)}
    assert files == ["a/one.txt"]
    assert "symlink loop" in skipped["a/loop"]
    assert "symlink loop" in skipped["self.txt"]


def test_build_indexes_the_good_files_and_reports_each_bad_one(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {
        "good.txt": "Satellite imagery\n\nChina supplied satellite imagery.",
        "latin.txt": "Réfugiés\n\nLes réfugiés arrivaient à l’aube, épuisés.".encode("cp1252"),
        "utf16.txt": codecs.BOM_UTF16_LE + "Drones\n\nDrone parts were shipped.".encode("utf-16-le"),
        "empty.txt": b"",
        "binary.txt": b"\x00\x01\x02\x03" * 100,
    })
    os.symlink(corpus, corpus / "loop")
    ix = build_index(corpus, tmp_path / "ix", max_bytes=1_000_000)
    summary = ix.summary
    assert summary is not None
    assert sorted(ix.doc_ids()) == ["good.txt", "latin.txt", "utf16.txt"]
    reasons = {s.rel_path: s.reason for s in summary.skipped}
    assert reasons["empty.txt"] == "empty"
    assert reasons["binary.txt"] == "binary file"
    assert "symlink loop" in reasons["loop"]
    assert [h.doc_id for h in ix.search("réfugiés")] == ["latin.txt"]
    assert [h.doc_id for h in ix.search("drone")] == ["utf16.txt"]
