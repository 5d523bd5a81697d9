"""Each format a journalist keeps, generated on disk, indexed for real, and its text,
metadata and provenance checked; plus the bad cases of each (reported, skipped, no crash)."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import re
import os
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from searchkit import api
from tests.conftest import run_cli, write_corpus

D = dt.date

PAGE = """<!DOCTYPE html><html lang="en"><head>
<meta charset="utf-8"><title>Dam breach floods valley | The Daily Courier</title>
<meta property="og:site_name" content="The Daily Courier">
<link rel="canonical" href="https://www.dailycourier.example.com/news/2024/04/07/dam-breach">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Dam breach floods valley", "datePublished": "2024-04-07T09:30:00+02:00",
 "author": {"@type": "Person", "name": "Jane Doe"},
 "publisher": {"@type": "Organization", "name": "The Daily Courier"}}</script>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport navigation link</a></nav>
<article><h1>Dam breach floods valley</h1>
<p>Engineers said the nitrocellulose charges used in the quarry upstream had weakened the dam wall
over several years, and that the collapse on Sunday morning was the result of that damage.</p>
<p>Residents of three villages were evacuated by the fire brigade before the water reached their
houses, and no one was hurt, according to the regional governor who visited the valley.</p>
<p>The regional government has promised an inquiry into the quarry's licence and its inspections,
which local campaigners say were never carried out in the last decade.</p>
</article>
<aside class="related"><h3>Read also</h3><ul><li><a href="/x">Unrelated celebrity gossip story</a></li></ul></aside>
<footer><p>Copyright 2024 The Daily Courier. All rights reserved. Footer boilerplate text.</p></footer>
</body></html>"""


class Run:
    """What `searchkit index` prints, from a run in this process (the CLI itself is run
    by the tests that say so: starting a process per build would triple the time)."""

    def __init__(self, stdout: str, stderr: str) -> None:
        self.stdout, self.stderr = stdout, stderr


def _hits(stdout: str) -> list[dict]:  # type: ignore[type-arg]
    """The hit objects of `query --json` (without its summary line)."""
    return [row for row in map(json.loads, stdout.splitlines()) if "doc_id" in row]


def build(corpus: Path, index: Path, *args: str, cli: bool = False) -> Run:
    if cli:
        result = run_cli("index", str(corpus), "--index", str(index), *args)
        assert result.returncode == 0, result.stderr
        return Run(result.stdout, result.stderr)
    from searchkit.render import summary_line

    options: dict = {"include": None, "exclude": None}  # type: ignore[type-arg]
    items = list(args)
    while items:
        flag = items.pop(0)
        if flag == "--max-size":
            options["max_bytes"] = int(items.pop(0)) * 1024 * 1024
        elif flag in ("--include", "--exclude"):
            key = flag[2:]
            options[key] = (*(options[key] or ()), items.pop(0))
        elif flag == "--no-filter":
            options["include"], options["exclude"] = (), ()
    if options["include"] is not None or options["exclude"] is not None:
        options["include"], options["exclude"] = options["include"] or (), options["exclude"] or ()
    ix = api.build_index(corpus, index, **options)
    summary = ix.summary
    ix.close()
    assert summary is not None
    stderr = "".join(f"searchkit: warning: {w}\n" for w in summary.warnings)
    stderr += "".join(f"searchkit: skipped {s.rel_path}: {s.reason}\n" for s in summary.skipped)
    return Run(summary_line(summary, str(index)) + "\n", stderr)


def show(index: Path, doc_id: str) -> dict:  # type: ignore[type-arg]
    from searchkit.render import document_json

    with api.open_index(index) as ix:
        return document_json(ix.document(doc_id))


def doc(index: Path, doc_id: str):  # type: ignore[no-untyped-def]
    with api.open_index(index) as ix:
        return ix.document(doc_id)


# --------------------------------------------------------------------------------------------
# HTML, MHTML


def test_saved_page_gives_main_text_and_metadata_with_provenance(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {"page.html": PAGE, "page_files/logo.png": b"\x89PNG..",
                                           "page_files/app.js": "var x;"})
    result = build(corpus, tmp_path / "ix", cli=True)
    assert "1 added" in result.stdout and "unsupported" not in result.stdout  # assets not counted
    got = json.loads(run_cli("show", "page.html", "--index", str(tmp_path / "ix"), "--json").stdout)
    assert "nitrocellulose charges" in got["text"] and "no one was hurt" in got["text"]
    assert "celebrity gossip" not in got["text"] and "Footer boilerplate" not in got["text"]
    assert "Sport navigation link" not in got["text"]
    assert (got["title"], got["title_source"]) == ("Dam breach floods valley", "markup")
    assert (got["outlet"], got["outlet_source"]) == ("The Daily Courier", "markup: JSON-LD publisher")
    assert (got["date"], got["date_source"]) == ("2024-04-07", "markup: JSON-LD datePublished")
    assert got["url"] == "https://www.dailycourier.example.com/news/2024/04/07/dam-breach"
    assert (got["author"], got["author_source"]) == ("Jane Doe", "markup")
    human = run_cli("show", "page.html", "--index", str(tmp_path / "ix")).stdout
    assert "from the page's markup: JSON-LD publisher" in human and "author:" in human
    hits = run_cli("query", "nitrocellulose", "--index", str(tmp_path / "ix"), "--json")
    assert _hits(hits.stdout)[0]["outlet"] == "The Daily Courier"


def test_page_without_markup_gets_outlet_and_date_from_its_url(tmp_path: Path) -> None:
    body = "<p>" + "The council voted to close the library after a long debate about its budget. " * 6 + "</p>"
    page = (f"<!-- saved from url=(0060)https://www.theguardian.com/world/2023/11/08/council-vote -->\n"
            f"<html><head><title>Council votes to close library | The Guardian</title></head>"
            f"<body><article>{body}</article></body></html>")
    corpus = write_corpus(tmp_path / "c", {"g.htm": page})
    build(corpus, tmp_path / "ix")
    got = show(tmp_path / "ix", "g.htm")
    # The title's part that spells the URL's domain names the outlet; the date is the URL's.
    assert (got["outlet"], got["outlet_source"]) == ("The Guardian", "markup: <title>")
    assert (got["date"], got["date_source"]) == ("2023-11-08", "url")
    assert got["url"].startswith("https://www.theguardian.com/")


def test_user_outlet_map_wins_over_the_page(tmp_path: Path) -> None:
    page = PAGE.replace("dailycourier.example.com", "pravda.com.ua")
    corpus = write_corpus(tmp_path / "c", {"p.html": page,
                                           "metadata.toml": '[outlets]\n"pravda.com.ua" = "Ukrainska Pravda"\n'})
    build(corpus, tmp_path / "ix")
    got = show(tmp_path / "ix", "p.html")
    assert (got["outlet"], got["outlet_source"]) == ("Ukrainska Pravda", "metadata")


def test_mhtml_single_file_save(tmp_path: Path) -> None:
    boundary = "----MultipartBoundary--abc"
    mhtml = (f"From: <Saved by Blink>\r\nSnapshot-Content-Location: https://example.org/a\r\n"
             f"Subject: Dam breach floods valley\r\nDate: Tue, 9 Apr 2024 14:05:00 +0200\r\nMIME-Version: 1.0\r\n"
             f'Content-Type: multipart/related; type="text/html"; boundary="{boundary}"\r\n\r\n'
             f"--{boundary}\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n"
             f"Content-Location: https://example.org/a\r\n\r\n"
             + PAGE.replace("=", "=3D") + f"\r\n--{boundary}--\r\n")
    corpus = write_corpus(tmp_path / "c", {"saved.mhtml": mhtml})
    build(corpus, tmp_path / "ix")
    got = show(tmp_path / "ix", "saved.mhtml")
    assert got["title"] == "Dam breach floods valley" and "nitrocellulose" in got["text"]
    assert got["captured"] == "2024-04-09T12:05:00Z"  # when the browser saved it, for the citation (issue 27)
    assert got["date"] == "2024-04-07"  # never taken as the publication date


def test_garbage_html_is_reported_not_fatal(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {"bad.html": b"\x00\x01\x02" * 10, "empty.html": b"",
                                           "ok.txt": "Fine\n\nfine text"})
    result = build(corpus, tmp_path / "ix")
    assert "1 added" in result.stdout
    assert "skipped bad.html" in result.stderr and "skipped empty.html" in result.stderr


# --------------------------------------------------------------------------------------------
# PDF


def _pdf(pages: list[str], *, title: str | None = None, author: str | None = None,
         password: str | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    return bytes(pdf.output())


def test_pdf_text_pages_and_properties(tmp_path: Path) -> None:
    pages = [f"Page {n} of the report. " + ("filler words " * 20) for n in range(1, 5)]
    pages[3] += " The auditors found nitrocellulose in the warehouse."
    corpus = write_corpus(tmp_path / "c", {"report.pdf": _pdf(pages, title="Warehouse audit 2024",
                                                               author="Office of the Auditor")})
    build(corpus, tmp_path / "ix")
    got = show(tmp_path / "ix", "report.pdf")
    assert (got["title"], got["title_source"]) == ("Warehouse audit 2024", "properties")
    assert (got["author"], got["author_source"]) == ("Office of the Auditor", "properties")
    assert got["date"] is None  # the creation time is not a publication date
    assert got["pages"] == 4
    stored = doc(tmp_path / "ix", "report.pdf")
    at = stored.text.index("nitrocellulose")
    assert stored.meta.page_of(at) == 4 and stored.meta.page_of(0) == 1
    assert stored.text[stored.meta.page_starts[1]:].startswith("Page 3")
    hits = run_cli("query", "nitrocellulose", "--index", str(tmp_path / "ix"), "--color", "never")
    assert "p. 4" in hits.stdout
    rows = _hits(run_cli("query", "nitrocellulose", "--index", str(tmp_path / "ix"), "--json").stdout)
    assert rows[0]["page"] == 4


def test_scanned_encrypted_and_broken_pdfs_are_skipped_with_reasons(tmp_path: Path) -> None:
    from fpdf import FPDF

    scan = FPDF()
    scan.add_page()
    scan.rect(10, 10, 100, 100, style="F")  # a page with marks but no text layer
    good = _pdf(["A readable page about the harbour. " * 5])
    corpus = write_corpus(tmp_path / "c", {
        "scan.pdf": bytes(scan.output()),
        "locked.pdf": _pdf(["secret text " * 10], password="pw"),
        "truncated.pdf": good[: len(good) // 3],
        "fake.pdf": b"this is not a pdf at all",
        "good.pdf": good,
    })
    result = build(corpus, tmp_path / "ix", cli=True)
    assert "1 added" in result.stdout and "4 skipped" in result.stdout
    assert "skipped scan.pdf: no text layer: OCR it first" in result.stderr
    assert "skipped locked.pdf: encrypted PDF" in result.stderr
    assert "skipped truncated.pdf:" in result.stderr and "skipped fake.pdf: not a PDF" in result.stderr
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------------------------
# Word, OpenDocument


def test_docx_paragraphs_heading_and_core_properties(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Harbour strike enters second week", level=1)
    document.add_paragraph("Dock workers in the port stayed out on Monday, the union said.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Ships waiting"
    table.cell(0, 1).text = "42"
    document.core_properties.author = "Jane Doe"
    document.core_properties.created = dt.datetime(2001, 1, 1)
    buffer = io.BytesIO()
    document.save(buffer)
    corpus = write_corpus(tmp_path / "c", {"strike.docx": buffer.getvalue()})
    build(corpus, tmp_path / "ix")
    got = show(tmp_path / "ix", "strike.docx")
    assert (got["title"], got["title_source"]) == ("Harbour strike enters second week", "properties")
    assert (got["author"], got["author_source"]) == ("Jane Doe", "properties")
    assert "Dock workers" in got["text"] and "Ships waiting" in got["text"]
    assert got["date"] is None


def _odt(paragraphs: list[str], title: str) -> bytes:
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
               f'<text:h text:outline-level="1">{title}</text:h>'
               + "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
               + "</office:text></office:body></office:document-content>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content)
    return buffer.getvalue()


def test_odt_and_bad_word_files(tmp_path: Path) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<" + b" " * (200 * 1024 * 1024))  # 200 MB of spaces
    corpus = write_corpus(tmp_path / "c", {
        "memo.odt": _odt(["The ministry denied the report on Tuesday."], "Ministry denies report"),
        "bomb.docx": bomb.getvalue(),
        "notzip.docx": b"PK\x03\x04 garbage",
        "empty.docx": _empty_docx(),
    })
    assert (corpus / "bomb.docx").stat().st_size < 1024 * 1024
    result = build(corpus, tmp_path / "ix")
    assert "1 added" in result.stdout
    assert "skipped bomb.docx: refused" in result.stderr and "zip bomb" in result.stderr
    assert "skipped notzip.docx: not a Word file" in result.stderr
    assert "skipped empty.docx: no text in the document" in result.stderr
    got = show(tmp_path / "ix", "memo.odt")
    assert got["title"] == "Ministry denies report" and "denied the report" in got["text"]


def _empty_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("word/document.xml", '<w:document xmlns:w="http://schemas.openxmlformats.org/'
                   'wordprocessingml/2006/main"><w:body/></w:document>')
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# E-mail


def test_email_headers_body_and_attachments(tmp_path: Path) -> None:
    message = EmailMessage()
    message["From"] = "Reuters Daily Briefing <newsletters@thomsonreuters.com>"
    message["To"] = "desk@example.org"
    message["Subject"] = "Ceasefire talks resume in Cairo"
    message["Date"] = "Sun, 07 Apr 2024 23:30:00 -0400"
    message["List-Unsubscribe"] = "<mailto:unsubscribe@thomsonreuters.com>"  # a newsletter: a publication
    message.set_content("Negotiators returned to Cairo on Sunday for a new round of talks.")
    message.add_attachment(_pdf(["Annex: the draft agreement mentions nitrocellulose."]),
                           maintype="application", subtype="pdf", filename="annex.pdf")
    message.add_attachment(b"\x00\x01broken", maintype="application", subtype="pdf", filename="broken.pdf")
    message.add_attachment(b"GIF89a", maintype="image", subtype="gif", filename="logo.gif")
    html_only = EmailMessage()
    html_only["From"] = "press@nato.int"
    html_only["Subject"] = "Press release"
    html_only["Date"] = "Mon, 08 Apr 2024 10:00:00 +0000"
    html_only.set_content(PAGE, subtype="html")
    corpus = write_corpus(tmp_path / "c", {"mail.eml": message.as_bytes(), "pr.eml": html_only.as_bytes(),
                                           "junk.eml": b"\x00\x01\x02 not mail"})
    result = build(corpus, tmp_path / "ix")
    assert "3 added" in result.stdout
    assert "skipped mail.eml#broken.pdf:" in result.stderr and "skipped junk.eml" in result.stderr
    got = show(tmp_path / "ix", "mail.eml")
    assert (got["title"], got["title_source"]) == ("Ceasefire talks resume in Cairo", "header")
    assert (got["outlet"], got["outlet_source"]) == ("Reuters Daily Briefing", "header")
    assert (got["date"], got["date_source"]) == ("2024-04-07", "header")  # the sender's day
    assert "Negotiators returned" in got["text"]
    annex = show(tmp_path / "ix", "mail.eml#annex.pdf")
    assert "nitrocellulose" in annex["text"] and annex["path"].endswith("mail.eml")
    pr = show(tmp_path / "ix", "pr.eml")
    assert "no one was hurt" in pr["text"] and "celebrity gossip" not in pr["text"]
    # a sender is a person or a mailbox, not an outlet, unless the headers say it publishes
    assert pr["outlet"] is None and pr["author"] == "press@nato.int"


def test_mbox_messages_and_their_attachments(tmp_path: Path) -> None:
    first = EmailMessage()
    first["From"] = "Tipster <tips@example.org>"
    first["Subject"] = "Documents about the port"
    first["Date"] = "Mon, 08 Apr 2024 09:00:00 +0000"
    first.set_content("From the start, the port authority knew.\nSee attached.")
    first.add_attachment(_pdf(["The audit mentions nitrocellulose in hangar 4."]), maintype="application",
                         subtype="pdf", filename="audit.pdf")
    second = EmailMessage()
    second["From"] = "Desk <desk@example.org>"
    second["Subject"] = "Re: Documents about the port"
    second["Date"] = "Tue, 09 Apr 2024 10:00:00 +0000"
    second.set_content("Thanks, we are checking.")
    mbox = b""
    for message in (first, second):
        body = message.as_bytes().replace(b"\nFrom ", b"\n>From ")
        mbox += b"From MAILER-DAEMON Mon Apr  8 09:00:00 2024\n" + body + b"\n"
    corpus = write_corpus(tmp_path / "c", {"inbox.mbox": mbox, "bad.mbox": b"not a mailbox"})
    result = build(corpus, tmp_path / "ix")
    assert "3 added" in result.stdout and "skipped bad.mbox: not an mbox file" in result.stderr
    one = show(tmp_path / "ix", "inbox.mbox#1")
    assert (one["title"], one["date"], one["title_source"]) == ("Documents about the port", "2024-04-08", "header")
    assert "From the start, the port authority knew." in one["text"]  # the escaped line restored
    assert show(tmp_path / "ix", "inbox.mbox#2")["title"] == "Re: Documents about the port"
    assert "nitrocellulose" in show(tmp_path / "ix", "inbox.mbox#1#audit.pdf")["text"]


# --------------------------------------------------------------------------------------------
# Data exports


def test_jsonl_export_records_fields_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a1", "title": "Flood", "maintext": "The river rose overnight.",
                    "source": {"name": "BBC News"}, "publish_date": "2024-04-07T22:00:00-05:00",
                    "url": "https://bbc.co.uk/x", "byline": "Jane Doe"}),
        "{not json",
        json.dumps({"id": "a2", "headline": "No text here"}),
        json.dumps({"id": "a3", "headline": "Drought", "body": "The reservoir is empty.",
                    "seendate": "20240409T101500Z", "domain": "lemonde.fr"}),
    ]
    corpus = write_corpus(tmp_path / "c", {"export.jsonl": "\n".join(lines) + "\n"})
    result = build(corpus, tmp_path / "ix")
    assert "2 added" in result.stdout and "2 skipped" in result.stdout
    assert "skipped export.jsonl#2: line 2 is not valid JSON" in result.stderr
    assert "skipped export.jsonl#3: record has no text" in result.stderr
    first = show(tmp_path / "ix", "export.jsonl#1")
    assert (first["title"], first["outlet"], first["date"], first["author"]) == ("Flood", "BBC News", "2024-04-07", "Jane Doe")
    assert {first["title_source"], first["outlet_source"], first["date_source"], first["url_source"]} == {"record"}
    third = show(tmp_path / "ix", "export.jsonl#4")
    assert (third["date"], third["outlet"]) == ("2024-04-09", "lemonde.fr")


def test_an_outlet_given_as_a_domain_keeps_its_domain_unless_capitals_spell_its_words(tmp_path: Path) -> None:
    """An export naming outlets by domain: a lower-case domain says neither where its words
    begin nor how they are spelled ("Lemonde", "Pravda" for Ukrainska Pravda), so it stays
    the registered domain as written, as a saved page that names itself nowhere does; a
    domain whose capitals spell its words is that name."""
    given = {"lemonde.fr": "lemonde.fr", "https://www.nytimes.com/section/world": "nytimes.com",
             "www.bbc.co.uk": "bbc.co.uk", "spiegel.de": "spiegel.de", "elpais.com": "elpais.com",
             "tass.ru": "tass.ru", "pravda.com.ua": "pravda.com.ua", "kyiv-post.com": "kyiv-post.com",
             "News.az": "News.az", "TibetanReview.net": "Tibetan Review", "Le Monde": "Le Monde"}
    lines = [json.dumps({"id": f"r{i}", "text": f"Report number {i} on the harbour.", "source": outlet})
             for i, outlet in enumerate(given)]
    corpus = write_corpus(tmp_path / "c", {"export.jsonl": "\n".join(lines) + "\n"})
    build(corpus, tmp_path / "ix")
    shown = {outlet: show(tmp_path / "ix", f"export.jsonl#r{i}") for i, outlet in enumerate(given)}
    assert {outlet: doc["outlet"] for outlet, doc in shown.items()} == given
    assert {doc["outlet_source"] for doc in shown.values()} == {"record"}


def test_records_use_their_own_ids_when_unique(tmp_path: Path) -> None:
    data = [{"id": "x-1", "text": "one"}, {"id": "x-2", "text": "two"}]
    corpus = write_corpus(tmp_path / "c", {"a.json": json.dumps({"articles": data})})
    build(corpus, tmp_path / "ix")
    with api.open_index(tmp_path / "ix") as ix:
        assert sorted(ix.doc_ids()) == ["a.json#x-1", "a.json#x-2"]


def test_csv_with_field_overrides_and_changed_records_only(tmp_path: Path) -> None:
    rows = "story_id,headline,article_text,media,when\n" + "".join(
        f"{n},Story {n},Text of story {n} about the harbour,Kyiv Post,2024-04-0{n}\n" for n in range(1, 6))
    toml = '[formats.csv]\ntext = "article_text"\noutlet = "media"\ndate = "when"\nid = "story_id"\n'
    corpus = write_corpus(tmp_path / "c", {"data.csv": rows, "metadata.toml": toml})
    build(corpus, tmp_path / "ix")
    got = show(tmp_path / "ix", "data.csv#3")
    assert (got["title"], got["outlet"], got["date"]) == ("Story 3", "Kyiv Post", "2024-04-03")
    assert "Text of story 3" in got["text"]
    # Change one record and remove another: only those are written.
    changed = rows.replace("Text of story 2 about", "Rewritten story 2 about").replace(
        "5,Story 5,Text of story 5 about the harbour,Kyiv Post,2024-04-05\n", "")
    (corpus / "data.csv").write_text(changed, encoding="utf-8")
    os.utime(corpus / "data.csv", ns=(2_000_000_000_000_000_000, 2_000_000_000_000_000_000))
    second = build(corpus, tmp_path / "ix")
    assert "0 added, 1 updated, 1 removed, 3 unchanged" in second.stdout
    third = build(corpus, tmp_path / "ix")
    assert "up to date" in third.stdout and "4 unchanged" in third.stdout
    assert "Rewritten" in show(tmp_path / "ix", "data.csv#2")["text"]


def test_huge_jsonl_line_is_skipped_and_the_rest_indexed(tmp_path: Path) -> None:
    big = json.dumps({"text": "x" * (100 * 1024 * 1024)})
    corpus = tmp_path / "c"
    corpus.mkdir()
    with open(corpus / "big.jsonl", "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": "small record one"}) + "\n")
        fh.write(big + "\n")
        fh.write(json.dumps({"text": "small record three"}) + "\n")
    del big
    result = build(corpus, tmp_path / "ix", "--max-size", "200")
    assert "2 added" in result.stdout
    assert "skipped big.jsonl#2: record too large (100 MB" in result.stderr


# --------------------------------------------------------------------------------------------
# WARC


def _warc(records: list[tuple[str, str, bytes]], *, gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    for url, ctype, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.0")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                           warc_headers_dict={"WARC-Date": "2024-04-09T12:00:00Z"})
        writer.write_record(record)
    return buffer.getvalue()


@pytest.mark.parametrize("gz", [True, False])
def test_warc_html_responses_become_documents(tmp_path: Path, gz: bool) -> None:
    plain = ("<html><head><title>Town hall fire</title></head><body><article><p>"
             + "The town hall burned down on Tuesday night, firefighters said. " * 5
             + "</p></article></body></html>").encode()
    data = _warc([("https://www.example.com/a", "text/html; charset=utf-8", PAGE.encode()),
                  ("https://www.example.com/logo.png", "image/png", b"\x89PNG"),
                  ("https://news.example.org/2024/04/08/fire", "text/html", plain)], gz=gz)
    name = "crawl.warc.gz" if gz else "crawl.warc"
    corpus = write_corpus(tmp_path / "c", {name: data, "bad.warc.gz": gzip.compress(b"not a warc")})
    result = build(corpus, tmp_path / "ix")
    assert "2 added" in result.stdout and "skipped bad.warc.gz: not a web archive" in result.stderr
    first = show(tmp_path / "ix", f"{name}#1")
    assert first["title"] == "Dam breach floods valley" and first["date"] == "2024-04-07"
    assert first["captured"] == "2024-04-09T12:00:00Z"
    second = show(tmp_path / "ix", f"{name}#2")
    assert (second["url"], second["url_source"]) == ("https://news.example.org/2024/04/08/fire", "record")
    assert (second["date"], second["date_source"]) == ("2024-04-08", "url")


# --------------------------------------------------------------------------------------------
# The folder as a whole


def test_mixed_folder_lists_unsupported_types_and_filters(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {
        "a.txt": "Alpha\n\nalpha text", "b.html": PAGE, "sheet1.xlsx": b"x", "sheet2.xlsx": b"x",
        "photo.png": b"x", "drafts/c.txt": "Draft\n\ndraft text",
    })
    result = build(corpus, tmp_path / "ix", cli=True)
    assert "3 added" in result.stdout
    assert "3 files of unsupported types: .xlsx 2, .png 1" in result.stdout
    filtered = build(corpus, tmp_path / "ix2", "--exclude", "drafts", "--include", "*.txt", cli=True)
    assert "1 added" in filtered.stdout
    again = build(corpus, tmp_path / "ix2")  # the filters are remembered
    assert "up to date" in again.stdout
    cleared = build(corpus, tmp_path / "ix2", "--no-filter")
    assert "2 added" in cleared.stdout


def test_symlink_to_an_article_is_indexed_once_by_its_real_path(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {"real/story.txt": "Storm\n\nThe storm hit the harbour."})
    os.symlink(corpus / "real" / "story.txt", corpus / "alias.txt")
    result = build(corpus, tmp_path / "ix", cli=True)
    assert "1 added" in result.stdout
    assert "skipped alias.txt: symbolic link to real/story.txt: indexed once, as real/story.txt" in result.stderr
    hits = _hits(run_cli("query", "storm", "--index", str(tmp_path / "ix"), "--json").stdout)
    assert [h["doc_id"] for h in hits] == ["real/story.txt"]


def test_glob_entries_and_metadata_csv(tmp_path: Path) -> None:
    toml = ('["reuters/**"]\noutlet = "Reuters"\n\n["reuters/special/*.txt"]\noutlet = "Reuters Special"\n\n'
            '["reuters/a.txt"]\ntitle = "Exact title"\n')
    csv_rows = "path,title,outlet,date,url\nother.txt,From the sheet,Sheet News,2024-04-01,https://x.org/o\n"
    corpus = write_corpus(tmp_path / "c", {
        "reuters/a.txt": "A\n\nalpha", "reuters/special/b.txt": "B\n\nbeta", "other.txt": "O\n\nomega",
        "metadata.toml": toml, "metadata.csv": csv_rows,
    })
    result = build(corpus, tmp_path / "ix")
    assert "3 added" in result.stdout and "metadata.csv" not in result.stderr
    a = show(tmp_path / "ix", "reuters/a.txt")
    assert (a["outlet"], a["title"], a["outlet_source"]) == ("Reuters", "Exact title", "metadata")
    assert show(tmp_path / "ix", "reuters/special/b.txt")["outlet"] == "Reuters Special"
    o = show(tmp_path / "ix", "other.txt")
    assert (o["title"], o["outlet"], o["date"], o["url"]) == ("From the sheet", "Sheet News", "2024-04-01", "https://x.org/o")
    # Editing the sheet updates the document.
    (corpus / "metadata.csv").write_text(csv_rows.replace("Sheet News", "Sheet Daily"), encoding="utf-8")
    build(corpus, tmp_path / "ix")
    assert show(tmp_path / "ix", "other.txt")["outlet"] == "Sheet Daily"


def test_headline_rules_truncated_title_and_logo_heading() -> None:
    from searchkit.ingest.readers.html import page_article

    body = "<p>" + "The minister resigned on Friday after the inquiry published its findings. " * 5 + "</p>"
    truncated = (f'<html><head><meta property="og:title" content="Minister resigns after inquiry into the '
                 f'harbour contracts finds...">'
                 f'<meta property="og:site_name" content="Harbour Daily Chronicle"></head><body>'
                 f'<h1>Harbour Daily Chronicle</h1><article><h1>Minister resigns after inquiry into the harbour '
                 f'contracts finds serious failings</h1>{body}</article></body></html>')
    article = page_article(truncated.encode())
    assert article.title is not None
    assert article.title.value == "Minister resigns after inquiry into the harbour contracts finds serious failings"
    logo = (f'<html><head><title>Budget vote | Oberösterreichisches Volksblatt</title>'
            f'<meta property="og:site_name" content="Oberösterreichisches Volksblatt"></head><body>'
            f'<h1>Oberösterreichisches Volksblatt</h1><article>{body}</article></body></html>')
    article = page_article(logo.encode())
    assert article.title is not None and article.title.value == "Budget vote"


def test_relative_canonical_link_is_resolved_against_the_base() -> None:
    from searchkit.ingest.readers.html import page_article

    body = "<p>" + "The council voted to close the library after a long debate about its budget. " * 6 + "</p>"
    page = (f'<html><head><base href="https://www.example.com/"><link rel="canonical" '
            f'href="/news/2024/04/07/library"><title>Library closes</title></head>'
            f'<body><article>{body}</article></body></html>')
    article = page_article(page.encode())
    assert article.url is not None and article.url.value == "https://www.example.com/news/2024/04/07/library"
    assert article.date is not None and (str(article.date.value), article.date.source) == ("2024-04-07", "url")


def test_an_export_cites_the_page_of_each_passage_of_a_pdf(tmp_path: Path) -> None:
    import csv
    import io

    pages = [f"Page {n} of the report. " + ("filler words " * 20) for n in range(1, 6)]
    pages[1] += " Inspectors first saw nitrocellulose in the port."
    pages[4] += " The auditors found nitrocellulose in the warehouse."
    corpus = write_corpus(tmp_path / "c", {"report.pdf": _pdf(pages, title="Warehouse audit 2024")})
    build(corpus, tmp_path / "ix")
    stored = doc(tmp_path / "ix", "report.pdf")
    jsonl = run_cli("export", "nitrocellulose", "--format", "jsonl", "--index", str(tmp_path / "ix"))
    assert jsonl.returncode == 0, jsonl.stderr
    (row,) = [r for r in map(json.loads, jsonl.stdout.splitlines()) if "doc_id" in r]
    assert row["passages"]
    for passage in row["passages"]:  # each passage's page is the page its text starts on
        assert passage["page"] == stored.meta.page_of(passage["start"])
    assert {p["page"] for p in row["passages"]} <= {2, 5}  # where the word is, never a filler page
    md = run_cli("export", "nitrocellulose", "--format", "md", "--index", str(tmp_path / "ix")).stdout
    assert re.search(r"\(p\. [25], characters \d+–\d+\)", md)
    table = list(csv.DictReader(io.StringIO(
        run_cli("export", "nitrocellulose", "--format", "csv", "--index", str(tmp_path / "ix")).stdout)))
    assert table[0]["passage_pages"] and set(table[0]["passage_pages"].split(";")) <= {"2", "5"}


def test_csv_ambiguous_dates_are_a_warning_naming_file_and_row_and_date_format_resolves_them(tmp_path: Path) -> None:
    """Issue 22's date_format over issue 27's warning (one rule: infer.parse_date_value)."""
    rows = ("id,title,text,date\n"
            "1,Harbour vote,The harbour council voted on the ferry terminal,04/05/2024\n"
            "2,Pier report,The pier report was published by the council,25/12/2024\n"
            "3,Budget row,The budget row went on all night at the council,yesterday\n")
    corpus = write_corpus(tmp_path / "c", {"export.csv": rows})
    result = build(corpus, tmp_path / "ix", cli=True)
    assert ("warning: export.csv#1: row 1 after the header: the date '04/05/2024' could be 5 April or 4 May "
            '2024: left undated (say which with date_format = "DMY" or "MDY" in [formats.csv]') in result.stderr
    assert "warning: export.csv#3: row 3 after the header: the date 'yesterday' could not be read" in result.stderr
    assert "export.csv#2" not in result.stderr
    assert show(tmp_path / "ix", "export.csv#1")["date"] is None  # not guessed
    assert show(tmp_path / "ix", "export.csv#2")["date"] == "2024-12-25"  # only one order makes a date
    # Saying the order reads the file again and resolves it.
    (corpus / "metadata.toml").write_text('[formats.csv]\ndate_format = "DMY"\n', encoding="utf-8")
    again = build(corpus, tmp_path / "ix", cli=True)
    assert "row 1 " not in again.stderr and "row 3 after the header: the date 'yesterday'" in again.stderr
    assert show(tmp_path / "ix", "export.csv#1")["date"] == "2024-05-04"
    (corpus / "metadata.toml").write_text('[formats.csv]\ndate_format = "%m/%d/%Y"\n', encoding="utf-8")
    build(corpus, tmp_path / "ix")
    assert show(tmp_path / "ix", "export.csv#1")["date"] == "2024-04-05"
    # A date_format that is no date pattern is an error with its line, before anything is read.
    (corpus / "metadata.toml").write_text('[formats.csv]\ndate_format = "day first"\n', encoding="utf-8")
    bad = run_cli("index", str(corpus), "--index", str(tmp_path / "ix"))
    assert bad.returncode == 2 and "date_format" in bad.stderr and "Traceback" not in bad.stderr


def test_an_export_full_of_ambiguous_dates_gets_five_lines_and_a_count(tmp_path: Path) -> None:
    rows = "id,text,date\n" + "".join(f"{n},Story {n} about the harbour council,04/05/2024\n" for n in range(1, 41))
    corpus = write_corpus(tmp_path / "c", {"big.csv": rows})
    result = build(corpus, tmp_path / "ix", cli=True)
    lines = [line for line in result.stderr.splitlines() if "big.csv" in line]
    assert len(lines) == 6 and "big.csv: 35 more records with a date that could not be read" in lines[-1]
