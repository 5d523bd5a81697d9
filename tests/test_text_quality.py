"""Text quality: legacy encodings of short news texts, UTF-16 without a BOM, stray control
characters, Markdown front matter; and that a query loads none of the ingestion libraries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from searchkit.ingest.decode import UnusableFile, decode
from tests.conftest import run_cli, write_corpus

SHORT_TEXTS = [
    ("Une naïve pièce de théâtre : l'élève a vu les pièces.", "cp1252"),
    ("¿Dónde está el niño? La señora habló con él mañana.", "cp1252"),
    ("Der Bürgermeister äußerte sich über die Straße.", "cp1252"),
    ("Zażółć gęślą jaźń. Wiadomości z kraju i ze świata.", "cp1250"),
    ("Příliš žluťoučký kůň úpěl ďábelské ódy.", "cp1250"),
    ("Президент заявил, что переговоры продолжатся.", "cp1251"),
    ("Президент заявил, что переговоры продолжатся.", "koi8_r"),
]


@pytest.mark.parametrize(("text", "encoding"), SHORT_TEXTS)
def test_short_legacy_texts_decode_in_their_own_encoding(text: str, encoding: str) -> None:
    decoded, used = decode(text.encode(encoding))
    assert decoded == text, (used, decoded)


def test_french_cp1252_article_is_found_by_its_accented_words(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {"fr.txt": "Théâtre\n\nUne pièce naïve jouée à Paris.".encode("cp1252")})
    run_cli("index", str(corpus), "--index", str(tmp_path / "ix"))
    result = run_cli("query", "pièces", "--index", str(tmp_path / "ix"), "--json")
    hits = [row for row in map(json.loads, result.stdout.splitlines()) if "doc_id" in row]
    assert result.returncode == 0 and [h["doc_id"] for h in hits] == ["fr.txt"]


def test_utf16_without_bom_is_text(tmp_path: Path) -> None:
    for codec in ("utf-16-le", "utf-16-be"):
        text, used = decode("Ceasefire talks resumed in Cairo on Sunday.\n".encode(codec))
        assert (text, used) == ("Ceasefire talks resumed in Cairo on Sunday.\n", codec)


def test_stray_control_characters_are_stripped_not_binary() -> None:
    raw = ("A long article about the harbour. " * 100 + "\x1b\x07\x00 the end.").encode()
    text, _used = decode(raw)
    assert "\x1b" not in text and "\x00" not in text and text.endswith(" the end.")
    with pytest.raises(UnusableFile, match="binary"):
        decode(bytes(range(256)) * 20)


def test_front_matter_is_metadata_not_body(tmp_path: Path) -> None:
    md = ("---\ntitle: \"Harbour strike\"\ndate: 2024-04-07\noutlet: Kyiv Post\n"
          "url: https://kyivpost.com/x\nauthor: Jane Doe\n---\n\nDock workers stayed out.\n")
    corpus = write_corpus(tmp_path / "c", {"a.md": md})
    run_cli("index", str(corpus), "--index", str(tmp_path / "ix"))
    got = json.loads(run_cli("show", "a.md", "--index", str(tmp_path / "ix"), "--json").stdout)
    assert got["text"].strip() == "Dock workers stayed out."
    assert (got["title"], got["date"], got["outlet"], got["author"]) == ("Harbour strike", "2024-04-07", "Kyiv Post", "Jane Doe")
    assert got["date_source"] == "properties" and got["url"] == "https://kyivpost.com/x"
    assert run_cli("query", "kyivpost", "--index", str(tmp_path / "ix")).returncode == 1


def test_datelines_and_credits_are_read() -> None:
    from searchkit.ingest.infer import infer

    m = infer("Big fire downtown\n\nMOSCOW, April 10, 2024 – A big fire broke out in the city centre.")
    assert str(m.date) == "2024-04-10"
    assert infer("Sanctions\n\n(TASS) — Russia said new sanctions would be answered.").outlet == "TASS"
    m = infer("Vote count\n\nBy Jane Doe, Associated Press\n\nThe count went on all night.")
    assert (m.author, m.outlet) == ("Jane Doe", "Associated Press")
    m = infer("Storm hits the coast | The Guardian | World news\n\nThe storm hit the coast on Monday.")
    assert (m.title, m.outlet) == ("Storm hits the coast", "The Guardian")


def test_query_loads_no_ingestion_library(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {"a.txt": "Alpha\n\nalpha harbour"})
    run_cli("index", str(corpus), "--index", str(tmp_path / "ix"))
    code = (
        "import sys\n"
        "from searchkit.cli import main\n"
        f"code = main(['query', 'harbour', '--index', {str(tmp_path / 'ix')!r}, '--no-update'])\n"
        "heavy = ('trafilatura', 'lxml', 'htmldate', 'pypdfium2', 'warcio', 'tldextract', 'justext',"
        " 'courlan', 'charset_normalizer', 'docx', 'fpdf', 'pdfminer', 'pypdf')\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy)\n"
        "print('LOADED', loaded, code)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=str(Path(__file__).parent.parent))
    assert "LOADED [] 0" in result.stdout, result.stdout + result.stderr


def test_registered_domain_needs_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from searchkit.ingest import domains

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(domains, "_EXTRACTOR", None)
    assert domains.registered_label("https://www.bbc.co.uk/news/world") == "bbc"
    assert domains.registered_domain("https://www.pravda.com.ua/eng/news/") == "pravda.com.ua"


def test_a_reader_crashing_on_a_file_skips_it_and_the_run_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from searchkit import api
    from searchkit.ingest.readers import pdf

    def crash(source: object) -> None:
        raise RuntimeError("library bug")

    monkeypatch.setattr(pdf, "read", crash)
    corpus = write_corpus(tmp_path / "c", {"a.pdf": b"%PDF-1.4 whatever", "b.txt": "Fine\n\nfine text"})
    ix = api.build_index(corpus, tmp_path / "ix")
    assert ix.summary is not None and ix.summary.added == 1
    assert [(s.rel_path, s.reason) for s in ix.summary.skipped] == [("a.pdf", "could not be read (RuntimeError: library bug)")]
    ix.close()
