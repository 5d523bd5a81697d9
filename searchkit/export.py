"""Writing every hit of a query to a file a journalist can cite: JSON Lines, CSV, Markdown
(a citation list for a story memo) or one self-contained HTML page.

Each format names the query, the filters, the time, the index and its generation, so a list
can be cited and run again: a first ``{"export": ...}`` record in JSON Lines, front matter in
Markdown, a header block in HTML, and columns on every row in CSV (a CSV stays one table that
any spreadsheet opens).

Document text is untrusted in every format: control, bidi and invisible characters are
removed (:func:`searchkit.sanitize.one_line`), JSON goes through the one encoder
(:func:`searchkit.sanitize.json_line`), CSV cells that a spreadsheet would run as a formula
(``=``, ``+``, ``-``, ``@``, tab, CR at the start) get a leading apostrophe, Markdown
punctuation is backslash-escaped and ``<``/``>``/``&`` written as entities, HTML is escaped.
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from .models import Hit
from .sanitize import json_line, one_line

if TYPE_CHECKING:
    from .api import ExportInfo

FORMATS = ("jsonl", "csv", "md", "html")
_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".md": "md",
             ".markdown": "md", ".html": "html", ".htm": "html"}


def format_for(path: str | None, given: str | None) -> str:
    """The format asked for, else the one the output file's suffix names, else JSON Lines."""
    if given:
        return given
    if path:
        for suffix, name in _SUFFIXES.items():
            if path.lower().endswith(suffix):
                return name
    return "jsonl"


def clean(text: str | None) -> str:
    """Untrusted text on one line with no control, bidi or invisible characters."""
    return one_line(text or "").strip()


def hit_record(hit: Hit) -> dict[str, object]:
    """One hit as the JSON Lines export writes it."""
    from .render import hit_fields

    return {
        **hit_fields(hit),
        "passages": [
            {"start": p.start, "end": p.end, "page": p.page, "text": p.text, "matches": [list(m) for m in p.matches]}
            for p in hit.passages
        ],
    }


def write(fmt: str, info: ExportInfo, hits: Iterable[Hit], out: TextIO) -> int:
    """Write ``hits`` in ``fmt``; return how many were written."""
    writer = {"jsonl": _jsonl, "csv": _csv, "md": _markdown, "html": _html}[fmt]
    return writer(info, hits, out)


# -- JSON Lines ------------------------------------------------------------------------------


def _jsonl(info: ExportInfo, hits: Iterable[Hit], out: TextIO) -> int:
    out.write(json_line({"export": info.as_dict()}) + "\n")
    n = 0
    for hit in hits:
        out.write(json_line(hit_record(hit)) + "\n")
        n += 1
    return n


# -- CSV -------------------------------------------------------------------------------------

CSV_COLUMNS = ("rank", "score", "doc_id", "path", "title", "outlet", "date", "url", "lang", "passages",
               "passage_offsets", "passage_pages", "query", "filters", "exported_at", "index", "generation")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A cell value that no spreadsheet runs as a formula (OWASP's advice: a leading quote)."""
    if not isinstance(value, str):
        return value
    text = clean(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(info: ExportInfo, hits: Iterable[Hit], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    filters = " ".join(f"{k}={','.join(v) if isinstance(v, list) else v}" for k, v in info.filters().items())
    common = [info.query, filters, info.exported_at.isoformat(), str(info.index), info.generation]
    n = 0
    for hit in hits:
        passages = " … ".join(p.text for p in hit.passages) or hit.snippet
        offsets = ";".join(f"{p.start}-{p.end}" for p in hit.passages)
        pages = ";".join(str(p.page) for p in hit.passages if p.page is not None)
        row = [hit.rank, round(hit.score, 6) if hit.score is not None else "", hit.doc_id, str(hit.path),
               hit.title or "", hit.outlet or "", hit.date.isoformat() if hit.date else "", hit.url or "",
               hit.lang or "", passages, offsets, pages, *common]
        writer.writerow([csv_cell(v) for v in row])
        n += 1
    return n


# -- Markdown --------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md_text(text: str | None) -> str:
    """Untrusted text as inert Markdown: punctuation escaped, no HTML, on one line."""
    escaped = html.escape(clean(text), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", escaped)


def _md_url(url: str) -> str:
    """A link target only if it is a plain http(s) URL; angle brackets keep it one token."""
    url = clean(url)
    if re.fullmatch(r"https?://[^\s<>]+", url):
        return f"<{url}>"
    return md_text(url)


def _yaml_str(text: str) -> str:
    return json_line(text)  # a JSON string is a valid YAML scalar, escapes included


def _markdown(info: ExportInfo, hits: Iterable[Hit], out: TextIO) -> int:
    front = ["---", f"query: {_yaml_str(info.query)}"]
    for key, value in info.filters().items():
        front.append(f"{key}: {_yaml_str(','.join(value) if isinstance(value, list) else str(value))}")
    front += [f"sort: {info.sort}", f"plain: {str(info.plain).lower()}",
              f"exported_at: {info.exported_at.isoformat()}", f"index: {_yaml_str(str(info.index))}",
              f"generation: {_yaml_str(info.generation)}", f"total: {info.total}",
              f"searchkit: {info.version}", "---", ""]
    out.write("\n".join(front) + "\n")
    out.write(f"# Sources for {md_text(info.query) or 'every article'}\n\n")
    n = 0
    for hit in hits:
        title = md_text(hit.title) or md_text(hit.doc_id)
        facts = [md_text(hit.outlet) or "outlet unknown", hit.date.isoformat() if hit.date else "date unknown"]
        if hit.lang:
            facts.append(f"in {md_text(hit.lang)}")
        where = _md_url(hit.url) if hit.url else f"`{clean(str(hit.path)).replace('`', '')}`"
        out.write(f"{hit.rank}. **{title}**. {', '.join(facts)}. {where}\n")
        for passage in hit.passages:
            where = f"p. {passage.page}, " if passage.page is not None else ""
            out.write(f"   > {md_marked(passage.text, passage.highlights)} "
                      f"({where}characters {passage.start}–{passage.end})\n")
        if not hit.passages and hit.snippet:
            out.write(f"   > {md_marked(hit.snippet, hit.highlights)}\n")
        out.write("\n")
        n += 1
    return n


def md_marked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` as inert Markdown with each span (offsets into ``text``) in bold."""
    parts: list[str] = []
    cursor = 0
    for start, end in sorted(spans):
        if start < cursor or end > len(text):
            continue
        parts.append(_md_keep(text[cursor:start]))
        parts.append(f"**{_md_keep(text[start:end])}**")
        cursor = end
    parts.append(_md_keep(text[cursor:]))
    return "".join(parts)


def _md_keep(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", html.escape(one_line(text), quote=False))


# -- HTML ------------------------------------------------------------------------------------

_STYLE = """body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;color:#555}
dl.meta dt{font-weight:600}ol li{margin:1rem 0}.facts{color:#555;font-size:.9rem}
blockquote{margin:.3rem 0 .3rem 1rem;padding-left:.7rem;border-left:3px solid #ccc}
mark{background:#ffe36e;padding:0 .1em}.where{font-size:.85rem;color:#666;word-break:break-all}"""


def _h(text: str | None) -> str:
    return html.escape(clean(text))


def _html(info: ExportInfo, hits: Iterable[Hit], out: TextIO) -> int:
    title = f"searchkit: {clean(info.query) or 'every article'}"
    meta = [("query", info.query), *((k, ",".join(v) if isinstance(v, list) else str(v)) for k, v in info.filters().items()),
            ("sort", info.sort), ("exported", info.exported_at.isoformat()), ("index", str(info.index)),
            ("generation", info.generation), ("matches", str(info.total)), ("searchkit", info.version)]
    out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
              f"<title>{_h(title)}</title>\n<style>{_STYLE}</style></head>\n<body>\n"
              f"<h1>{_h(title)}</h1>\n<dl class=\"meta\">\n")
    for key, value in meta:
        out.write(f"<dt>{_h(key)}</dt><dd>{_h(value)}</dd>\n")
    out.write("</dl>\n<ol>\n")
    n = 0
    for hit in hits:
        facts = " · ".join([_h(hit.outlet) or "outlet unknown", hit.date.isoformat() if hit.date else "date unknown"]
                           + ([f"in {_h(hit.lang)}"] if hit.lang else [])
                           + ([f"score {hit.score:.2f}"] if hit.score is not None else []))
        url = clean(hit.url)
        link = (f"<a href=\"{html.escape(url, quote=True)}\">{_h(url)}</a>"
                if re.fullmatch(r"https?://[^\s<>\"]+", url) else _h(url))
        out.write(f"<li value=\"{hit.rank}\"><strong>{_h(hit.title) or _h(hit.doc_id)}</strong>"
                  f"<div class=\"facts\">{facts}</div>\n")
        for passage in hit.passages:
            where = f"p. {passage.page}, " if passage.page is not None else ""
            out.write(f"<blockquote>{highlight_html(passage.text, passage.highlights)}"
                      f" <span class=\"where\">({where}characters {passage.start}–{passage.end})</span></blockquote>\n")
        if not hit.passages and hit.snippet:
            out.write(f"<blockquote>{highlight_html(hit.snippet, hit.highlights)}</blockquote>\n")
        out.write(f"<div class=\"where\">{link + ' · ' if link else ''}{_h(str(hit.path))}</div></li>\n")
        n += 1
    out.write("</ol>\n</body></html>\n")
    return n


def highlight_html(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` escaped, with each span (offsets into ``text``) in ``<mark>``."""
    parts: list[str] = []
    cursor = 0
    for start, end in sorted(spans):
        if start < cursor or end > len(text):
            continue
        parts.append(_h_keep(text[cursor:start]))
        parts.append(f"<mark>{_h_keep(text[start:end])}</mark>")
        cursor = end
    parts.append(_h_keep(text[cursor:]))
    return "".join(parts)


def _h_keep(text: str) -> str:
    """Escaped, cleaned, but spaces at the ends kept (pieces are joined)."""
    return html.escape(one_line(text))
