"""Writing every hit of a query to a file a journalist can cite: JSON Lines, CSV, Markdown
(a citation list for a story memo) or one self-contained HTML page.

Each format names the query, the filters, the time, the index and its generation, so a list
can be cited and run again: a first ``{"export": ...}`` record in JSON Lines, front matter in
Markdown, a header block in HTML, and columns on every row in CSV (a CSV stays one table that
any spreadsheet opens).

Document text is untrusted in every format: control, bidi and invisible characters are
removed (:func:`searchkit.sanitize.one_line`), JSON goes through the one encoder
(:func:`searchkit.sanitize.json_line`), CSV cells that a spreadsheet would run as a formula
(``=``, ``+``, ``-``, ``@``, tab, CR at the start) get a leading apostrophe, in Markdown the
characters that could start markup are backslash-escaped (no more: "U.S." stays readable),
HTML is escaped.

Each hit is cited so that a reader can find the exact file again: title, outlet, author,
date, URL, the local file's path, its SHA-256 and size, and for a page from a web archive
when it was captured (``write(..., documents=ix.document)`` gives these).
"""

from __future__ import annotations

import csv
import hashlib
import html
import re
from dataclasses import replace
from pathlib import Path
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TextIO

from .models import DEFAULT_EXPORT_FORMAT, Document, ExportFormat, Hit
from .marks import html_marked, markdown_marked
from .sanitize import json_line, markdown_inline, markdown_line_start, one_line

if TYPE_CHECKING:
    from .api import ExportInfo

#: How an export looks up a hit's document for the citation (``Index.document``).
Documents = Callable[[str], Document]

_SUFFIXES: dict[str, ExportFormat] = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".md": "md",
             ".markdown": "md", ".html": "html", ".htm": "html"}


def format_for(path: str | None, given: ExportFormat | None) -> ExportFormat:
    """The format asked for, else the one the output file's suffix names, else JSON Lines."""
    if given:
        return given
    if path:
        for suffix, name in _SUFFIXES.items():
            if path.lower().endswith(suffix):
                return name
    return DEFAULT_EXPORT_FORMAT


def clean(text: str | None) -> str:
    """Untrusted text on one line with no control, bidi or invisible characters."""
    return one_line(text or "").strip()


def citation_fields(doc: Document | None) -> dict[str, object]:
    """What finds the exact file again: author, SHA-256 and size, capture time."""
    if doc is None:
        return {}
    return {"author": doc.meta.author, "sha256": doc.sha256 or None, "size": doc.size if doc.size >= 0 else None,
            "captured": doc.meta.captured}


def hit_record(hit: Hit, doc: Document | None = None) -> dict[str, object]:
    """One hit as the JSON Lines export writes it."""
    from .render import hit_fields

    return {
        **hit_fields(hit),
        **citation_fields(doc),
        "passages": [
            {"start": p.start, "end": p.end, "page": p.page, "text": p.text, "matches": [list(m) for m in p.matches]}
            for p in hit.passages
        ],
    }


def write(fmt: ExportFormat, info: ExportInfo, hits: Iterable[Hit], out: TextIO, documents: Documents | None = None) -> int:
    """Write ``hits`` in ``fmt``; return how many were written. ``documents`` (``Index.document``)
    adds each file's author, hash, size and capture time to the citation."""
    writer = _WRITERS[fmt]
    file_hashes: dict[str, str] = {}

    def cite(hit: Hit) -> Document | None:
        if documents is None:
            return None
        doc = documents(hit.doc_id)
        if "#" in doc.doc_id:  # one record of a file: the index keeps the record's hash, a reader needs the file's
            key = str(doc.path)
            if key not in file_hashes:
                file_hashes[key] = _file_sha256(doc.path)
            doc = replace(doc, sha256=file_hashes[key])
        return doc

    return writer(info, ((hit, cite(hit)) for hit in hits), out)


def _file_sha256(path: Path) -> str:
    """The SHA-256 of a file as it is now ("" if it cannot be read)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


Cited = Iterable[tuple[Hit, Document | None]]


def _quotes(hit: Hit, marked: Callable[[str, Iterable[tuple[int, int]]], str]) -> Iterator[tuple[str, str]]:
    """Each passage of ``hit`` marked for the output, with where it stands ("p. 3, characters
    120–410"); without passages, the snippet, standing nowhere in particular ("")."""
    for passage in hit.passages:
        page = f"p. {passage.page}, " if passage.page is not None else ""
        yield marked(passage.text, passage.highlights), f"{page}characters {passage.start}–{passage.end}"
    if not hit.passages and hit.snippet:
        yield marked(hit.snippet, hit.highlights), ""


# -- JSON Lines ------------------------------------------------------------------------------


def _jsonl(info: ExportInfo, hits: Cited, out: TextIO) -> int:
    out.write(json_line({"export": info.as_dict()}) + "\n")
    n = 0
    for hit, doc in hits:
        out.write(json_line(hit_record(hit, doc)) + "\n")
        n += 1
    return n


# -- CSV -------------------------------------------------------------------------------------

CSV_COLUMNS = ("rank", "score", "doc_id", "path", "title", "outlet", "author", "date", "url", "lang", "sha256",
               "size", "captured", "passages", "passage_offsets", "passage_pages", "query", "filters", "exported_at",
               "index", "generation")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A cell value that no spreadsheet runs as a formula (OWASP's advice: a leading quote)."""
    if not isinstance(value, str):
        return value
    text = clean(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(info: ExportInfo, hits: Cited, out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    filters = " ".join(f"{k}={','.join(v) if isinstance(v, list) else v}" for k, v in info.filters().items())
    common = [info.subject(), filters, info.exported_at.isoformat(), str(info.index), info.generation]
    n = 0
    for hit, doc in hits:
        passages = " … ".join(p.text for p in hit.passages) or hit.snippet
        offsets = ";".join(f"{p.start}-{p.end}" for p in hit.passages)
        pages = ";".join(str(p.page) for p in hit.passages if p.page is not None)
        cite = citation_fields(doc)
        row = [hit.rank, round(hit.score, 6) if hit.score is not None else "", hit.doc_id, str(hit.path),
               hit.title or "", hit.outlet or "", cite.get("author") or "", hit.date.isoformat() if hit.date else "",
               hit.url or "", hit.lang or "", cite.get("sha256") or "", cite.get("size") if cite.get("size") is not None else "",
               cite.get("captured") or "", passages, offsets, pages, *common]
        writer.writerow([csv_cell(v) for v in row])
        n += 1
    return n


# -- Markdown --------------------------------------------------------------------------------

def md_text(text: str | None) -> str:
    """Untrusted text as inert Markdown on one line, escaped no more than needed: "U.S."
    and "AT&T" stay as they are, "*", "[", "<", a leading "#" or "1." do not make markup."""
    return markdown_line_start(markdown_inline(clean(text)))


def _md_url(url: str) -> str:
    """A link target only if it is a plain http(s) URL; angle brackets keep it one token."""
    url = clean(url)
    if re.fullmatch(r"https?://[^\s<>]+", url):
        return f"<{url}>"
    return md_text(url)


def _yaml_str(text: str) -> str:
    return json_line(text)  # a JSON string is a valid YAML scalar, escapes included


def _markdown(info: ExportInfo, hits: Cited, out: TextIO) -> int:
    front = ["---", f"query: {_yaml_str(info.query)}",
             *([f"similar_to: {_yaml_str(info.similar_to)}"] if info.similar_to is not None else [])]
    for key, value in info.filters().items():
        front.append(f"{key}: {_yaml_str(','.join(value) if isinstance(value, list) else str(value))}")
    front += [f"sort: {info.sort}", f"plain: {str(info.plain).lower()}",
              f"exported_at: {info.exported_at.isoformat()}", f"index: {_yaml_str(str(info.index))}",
              f"generation: {_yaml_str(info.generation)}", f"total: {info.total}",
              *([f"undated_excluded: {info.undated_excluded}"] if info.undated_excluded else []),
              f"searchkit: {info.version}", "---", ""]
    out.write("\n".join(front) + "\n")
    out.write(f"# Sources for {md_text(info.subject()) or 'every article'}\n\n")
    n = 0
    for hit, doc in hits:
        title = md_text(hit.title) or md_text(hit.doc_id)
        author = doc.meta.author if doc is not None else None
        facts = [md_text(hit.outlet) or "outlet unknown", *([f"by {md_text(author)}"] if author else []),
                 hit.date.isoformat() if hit.date else "date unknown"]
        link = f" {_md_url(hit.url)}" if hit.url else ""
        out.write(f"{hit.rank}. **{title}**. {', '.join(facts)}.{link}\n")
        record = f", record {_md_code(hit.doc_id)}" if "#" in hit.doc_id else ""
        out.write(f"   File: {_md_code(str(hit.path))}{record}{_file_facts(doc, code=_md_code)}\n")
        for quote, where in _quotes(hit, markdown_marked):
            out.write(f"   > {quote}" + (f" ({where})" if where else "") + "\n")
        out.write("\n")
        n += 1
    return n


def _md_code(text: str) -> str:
    """``text`` as inline code, whatever backticks it holds."""
    text = clean(text)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _file_facts(doc: Document | None, *, code: Callable[[str], str]) -> str:
    """" (sha256 `...`, 4,896 bytes; captured 2024-04-08T10:00:00Z)", or "" without the document."""
    if doc is None:
        return ""
    parts = []
    if doc.sha256:
        parts.append(f"sha256 {code(doc.sha256)}")
    if doc.size >= 0:
        parts.append(f"{doc.size:,} bytes")
    facts = ", ".join(parts)
    if doc.meta.captured:
        facts += f"; captured {code(doc.meta.captured)}"
    return f" ({facts})" if facts else ""


# -- HTML ------------------------------------------------------------------------------------

_STYLE = """body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;color:#555}
dl.meta dt{font-weight:600}ol li{margin:1rem 0}.facts{color:#555;font-size:.9rem}
blockquote{margin:.3rem 0 .3rem 1rem;padding-left:.7rem;border-left:3px solid #ccc}
mark{background:#ffe36e;padding:0 .1em}.where{font-size:.85rem;color:#666;word-break:break-all}"""


def _h(text: str | None) -> str:
    return html.escape(clean(text))


def _html(info: ExportInfo, hits: Cited, out: TextIO) -> int:
    from .render import undated_note

    title = f"searchkit: {clean(info.subject()) or 'every article'}"
    meta = [("query", info.query), *([("similar to", info.similar_to)] if info.similar_to is not None else []),
            *((k, ",".join(v) if isinstance(v, list) else str(v)) for k, v in info.filters().items()),
            ("sort", info.sort), ("exported", info.exported_at.isoformat()), ("index", str(info.index)),
            ("generation", info.generation), ("matches", str(info.total)),
            *([("left out", undated_note(info.undated_excluded))] if info.undated_excluded else []),
            ("searchkit", info.version)]
    out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
              f"<title>{_h(title)}</title>\n<style>{_STYLE}</style></head>\n<body>\n"
              f"<h1>{_h(title)}</h1>\n<dl class=\"meta\">\n")
    for key, value in meta:
        out.write(f"<dt>{_h(key)}</dt><dd>{_h(value)}</dd>\n")
    out.write("</dl>\n<ol>\n")
    n = 0
    for hit, doc in hits:
        author = doc.meta.author if doc is not None else None
        facts = " · ".join([_h(hit.outlet) or "outlet unknown", *([f"by {_h(author)}"] if author else []),
                            hit.date.isoformat() if hit.date else "date unknown"]
                           + ([f"score {hit.score:.2f}"] if hit.score is not None else []))
        url = clean(hit.url)
        link = (f"<a href=\"{html.escape(url, quote=True)}\">{_h(url)}</a>"
                if re.fullmatch(r"https?://[^\s<>\"]+", url) else _h(url))
        out.write(f"<li value=\"{hit.rank}\"><strong>{_h(hit.title) or _h(hit.doc_id)}</strong>"
                  f"<div class=\"facts\">{facts}</div>\n")
        for quote, where in _quotes(hit, html_marked):
            out.write(f"<blockquote>{quote}" + (f" <span class=\"where\">({where})</span>" if where else "")
                      + "</blockquote>\n")
        file_facts = (f", record <code>{_h(hit.doc_id)}</code>" if "#" in hit.doc_id else "") + _file_facts(
            doc, code=lambda t: f"<code>{_h(t)}</code>")
        out.write(f"<div class=\"where\">{link + ' · ' if link else ''}{_h(str(hit.path))}{file_facts}</div></li>\n")
        n += 1
    out.write("</ol>\n</body></html>\n")
    return n


_WRITERS: dict[ExportFormat, Callable[[ExportInfo, Cited, TextIO], int]] = {
    "jsonl": _jsonl, "csv": _csv, "md": _markdown, "html": _html}
