"""Turning results into text for a terminal (ANSI-safe) and into JSON Lines.

Everything that comes from a document goes through :func:`safe` before it is printed: control
characters (ESC among them) become spaces, so an article cannot move the cursor, change colours
or set the terminal's title. Only searchkit's own colour codes are ever emitted.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Iterable
from typing import TextIO

from .marks import terminal_marked
from .models import BuildSummary, Document, Explain, Facets, Hit, IndexStats, Results
from .sanitize import json_line, safe



class Style:
    """ANSI styles, or no styles at all when colour is off."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.enabled and text else text

    def title(self, text: str) -> str:
        return self._wrap("1", text)

    def match(self, text: str) -> str:
        return self._wrap("1;31", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def rank(self, text: str) -> str:
        return self._wrap("1;32", text)

    def outlet(self, text: str) -> str:
        return self._wrap("36", text)


def use_color(choice: str, stream: TextIO) -> bool:
    """grep/ripgrep rules: "always", "never", or "auto" (a terminal, and NO_COLOR not set)."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty() and os.environ.get("TERM") != "dumb"


def line_ranges(text: str, width: int) -> list[tuple[int, int]]:
    """Break ``text`` at spaces into lines of at most ``width`` characters: (start, end) pairs.

    A word longer than the width gets a line of its own rather than being cut.
    """
    lines: list[tuple[int, int]] = []
    start = end = -1
    for word in re.finditer(r"\S+", text):
        if start < 0:
            start, end = word.start(), word.end()
        elif word.end() - start <= width:
            end = word.end()
        else:
            lines.append((start, end))
            start, end = word.start(), word.end()
    if start >= 0:
        lines.append((start, end))
    return lines


def wrapped(snippet: str, spans: Iterable[tuple[int, int]], style: Style, *, width: int, indent: str) -> list[str]:
    """The highlighted snippet as indented lines that fit ``width`` columns."""
    spans = list(spans)
    out = []
    for start, end in line_ranges(snippet, max(20, width - len(indent))):
        local = [(s - start, e - start) for s, e in spans if s < end and e > start]  # clipped by the marker
        out.append(indent + terminal_marked(snippet[start:end], local, style.match))
    return out


def date_text(date: dt.date | None) -> str:
    return date.isoformat() if date else "date unknown"


def hit_lines(hit: Hit, style: Style, *, width: int | None = None, new: bool = False) -> list[str]:
    """A hit as the lines a person reads: rank and title, then facts, then the snippet.

    With a ``width`` (a terminal's), the snippet is wrapped under the title's indent; ``new``
    marks a match that is new since its saved search was last viewed.
    """
    title = safe(hit.title) or safe(hit.doc_id)
    facts = [
        style.outlet(safe(hit.outlet)) if hit.outlet else style.dim("outlet unknown"),
        date_text(hit.date) if hit.date else style.dim("date unknown"),
        f"p. {hit.page}" if hit.page else "",
        style.dim(f"score {hit.score:.2f}") if hit.score is not None else "",
        style.dim(safe(hit.doc_id)),
    ]
    facts = [fact for fact in facts if fact]
    mark = f"{style.match('new')} " if new else ""
    lines = [f"{style.rank(f'{hit.rank:>2}.')} {mark}{style.title(title)}", "    " + " · ".join(facts)]
    if hit.snippet and width:
        lines.extend(wrapped(hit.snippet, hit.highlights, style, width=width, indent="    "))
    elif hit.snippet:
        lines.append("    " + terminal_marked(hit.snippet, hit.highlights, style.match))
    if hit.versions:
        lines.extend("    " + style.dim(line) for line in versions_lines(hit))
    return lines


#: Versions named one per line under a collapsed hit; the rest are counted.
VERSIONS_SHOWN = 5


def versions_lines(hit: Hit, shown: int = VERSIONS_SHOWN) -> list[str]:
    """The story's other matching articles under a collapsed hit, each with its date, outlet
    and id (as ``searchkit show`` and ``compare`` take it), as ``searchkit stories`` lists them:

        +3 versions (story:s9b2b0b4335):
          2024-04-08  Tibetan Review  001_9c9abb03a0ba5449.txt
          undated     outlet unknown  003_fb593ee96fcbc111.txt
    """
    versions = hit.versions
    noun = "version" if len(versions) == 1 else "versions"
    lines = [f"+{len(versions)} {noun} (story:{safe(hit.story)}):"]
    listed = versions[:shown]
    width = max(len(safe(v.outlet) if v.outlet else "outlet unknown") for v in listed)
    for v in listed:
        outlet = safe(v.outlet) if v.outlet else "outlet unknown"
        lines.append(f"  {v.date.isoformat() if v.date else 'undated':<10}  {outlet:<{width}}  {safe(v.doc_id)}")
    if len(versions) > shown:
        lines.append(f"  … and {len(versions) - shown} more (the query with story:{safe(hit.story)} lists "
                     "every one, or --no-collapse)")
    return lines


def undated_note(n: int) -> str:
    """"3 undated articles left out by the date filter" (articles with no known date never
    pass one; see ``Results.undated_excluded``)."""
    return f"{plural(n, 'undated article')} left out by the date filter"


def ignored_note(words: Iterable[str], shown: int = 5) -> str:
    """"ignored the common word 'of'" / "ignored the common words 'of', 'the' and 3 more"."""
    words = list(words)
    quoted = [f"'{safe(w)}'" for w in words[:shown]]
    if len(words) == 1:
        return f"ignored the common word {quoted[0]}"
    rest = len(words) - len(quoted)
    listed = ", ".join(quoted[:-1]) + f" and {quoted[-1]}" if not rest else ", ".join(quoted) + f" and {rest} more"
    return f"ignored the common words {listed}"


def results_text(results: Results, style: Style, *, width: int | None = None,
                 new: frozenset[str] = frozenset()) -> str:
    """Human output of ``searchkit query`` (snippets wrapped to ``width`` if given; the hits
    whose ids are in ``new`` marked new)."""
    lines: list[str] = []
    if results.hits:
        first = results.hits[0].rank
        last = results.hits[-1].rank
        noun = "match" if results.total == 1 else "matches"
        folded = f", {results.collapsed} shown as versions of their story" if results.collapsed else ""
        left_out = f"; {undated_note(results.undated_excluded)}" if results.undated_excluded else ""
        lines.append(style.dim(f"{results.total} {noun}{folded}, showing {first}-{last} "
                               f"({results.elapsed * 1000:.0f} ms){left_out}"))
        lines.append("")
    elif results.total:
        lines.append(style.dim(f"{results.total} matches; page {results.page} is past the last one"))
    else:
        lines.append(f"No matches ({undated_note(results.undated_excluded)})." if results.undated_excluded
                     else "No matches.")
    for hit in results.hits:
        lines.extend(hit_lines(hit, style, width=width, new=hit.doc_id in new))
        lines.append("")
    if results.suggestion:
        lines.append(f"Did you mean: {style.title(safe(results.suggestion))}")
    if results.expansion:
        lines.append(style.dim(f"Expanded with: {safe(' '.join(results.expansion))}"))
    if results.facets is not None:
        lines.extend(facets_lines(results.facets, style))
    return "\n".join(lines).rstrip("\n") + "\n"


def facets_lines(facets: Facets, style: Style) -> list[str]:
    lines = [style.title("Outlets")]
    for name, count in facets.outlets.items():
        lines.append(f"  {count:>6}  {safe(name)}")
    if facets.no_outlet:
        lines.append(f"  {facets.no_outlet:>6}  {style.dim('(outlet unknown)')}")
    lines.append(style.title("Dates"))
    for key, count in facets.dates.items():
        lines.append(f"  {count:>6}  {key}")
    if facets.no_date:
        lines.append(f"  {facets.no_date:>6}  {style.dim('(date unknown)')}")
    if facets.languages:
        lines.append(style.title("Languages"))
        for code, count in facets.languages.items():
            lines.append(f"  {count:>6}  {safe(code)}")
        if facets.no_language:
            lines.append(f"  {facets.no_language:>6}  {style.dim('(language unknown or mixed)')}")
    return lines


# --------------------------------------------------------------------------------------------
# JSON Lines


def hit_fields(hit: Hit) -> dict[str, object]:
    """What every JSON form of a hit starts with (``query --json`` and the export)."""
    return {
        "rank": hit.rank,
        "score": round(hit.score, 6) if hit.score is not None else None,
        "doc_id": hit.doc_id,
        "path": str(hit.path),
        "title": hit.title,
        "outlet": hit.outlet,
        "date": hit.date.isoformat() if hit.date else None,
        "url": hit.url,
        "lang": hit.lang,
        "snippet": hit.snippet,
    }


def hit_json(hit: Hit) -> dict:
    return {
        **hit_fields(hit),
        "highlights": [list(span) for span in hit.highlights],
        "page": hit.page,
        "story": hit.story,
        "versions": [{"doc_id": v.doc_id, "outlet": v.outlet, "date": v.date.isoformat() if v.date else None}
                     for v in hit.versions],
    }


def facets_json(facets: Facets) -> dict:
    return {
        "facets": {
            "outlet": facets.outlets,
            "date": facets.dates,
            "outlet_unknown": facets.no_outlet,
            "date_unknown": facets.no_date,
            "lang": facets.languages,
            "lang_unknown": facets.no_language,
        }
    }


def summary_json(results: Results) -> dict:
    """The first line of ``--json``: what the page is part of."""
    return {
        "summary": {
            "query": results.query,
            "total": results.total,
            "page": results.page,
            "pages": results.pages,
            "limit": results.limit,
            "shown": len(results.hits),
            "elapsed_ms": round(results.elapsed * 1000, 1),
            **({"suggestion": results.suggestion} if results.suggestion else {}),
            **({"expansion": list(results.expansion)} if results.expansion else {}),
            "undated_excluded": results.undated_excluded,
        }
    }


def explain_json(explain: Explain, elapsed: float) -> dict:
    """The last line of ``query --json --explain``: how the search ran."""
    return {
        "explain": {
            "compiled": explain.compiled,
            "filters": explain.filters,
            "path": explain.path,
            "dropped": list(explain.dropped),
            "stages_ms": {stage: round(seconds * 1000, 3) for stage, seconds in explain.stages},
            "elapsed_ms": round(elapsed * 1000, 3),
        }
    }


def explain_text(explain: Explain, elapsed: float) -> str:
    """``query --explain`` on a terminal (printed on stderr): the compiled query, the path,
    the words left out and the time of each stage."""
    rows = [("compiled query", safe(explain.compiled))]
    if explain.filters:
        rows.append(("filters", safe(explain.filters)))
    rows.append(("path", explain.path))
    rows.append(("words dropped", safe(", ".join(explain.dropped)) if explain.dropped else "none"))
    rows += [(stage, f"{seconds * 1000:.2f} ms") for stage, seconds in explain.stages]
    other = elapsed - sum(seconds for _, seconds in explain.stages)
    if other >= 0.0005:  # opening the index, first imports (a one-shot process pays them here)
        rows.append(("other", f"{other * 1000:.2f} ms"))
    rows.append(("total", f"{elapsed * 1000:.2f} ms"))
    width = max(len(name) for name, _ in rows)
    return "explain:\n" + "".join(f"  {name:<{width}}  {value}\n" for name, value in rows)


def write_json_lines(results: Results, stream: TextIO = sys.stdout, *, new: frozenset[str] | None = None) -> None:
    """A ``{"summary": ...}`` line, one line per hit, then ``{"facets": ...}`` if asked, then
    ``{"explain": ...}`` if asked. With ``new`` (a saved search's new matches), each hit says
    whether it is new."""
    stream.write(json_line(summary_json(results)) + "\n")
    for hit in results.hits:
        fields = hit_json(hit)
        if new is not None:
            fields["new"] = hit.doc_id in new
        stream.write(json_line(fields) + "\n")
    if results.facets is not None:
        stream.write(json_line(facets_json(results.facets)) + "\n")
    if results.explain is not None:
        stream.write(json_line(explain_json(results.explain, results.elapsed)) + "\n")


# --------------------------------------------------------------------------------------------
# Index runs, statistics, documents


def plural(n: int, noun: str, many: str | None = None) -> str:
    """"1 document", "2 documents"."""
    return f"{n} {noun if n == 1 else many or noun + 's'}"


def display_path(path: str) -> str:
    """A path as the user can tell it is one: ``index`` becomes ``./index``."""
    if path.startswith(("/", ".", "~")) or (len(path) > 1 and path[1] == ":"):
        return path
    return "./" + path


def summary_line(summary: BuildSummary, index_path: str) -> str:
    parts = [
        f"{summary.added} added",
        f"{summary.updated} updated",
        f"{summary.removed} removed",
        f"{summary.unchanged} unchanged",
        f"{len(summary.skipped)} skipped",
    ]
    verb = "rebuilt" if summary.rebuilt else "updated" if summary.changed else "up to date"
    line = (
        f"index {index_path if '://' in index_path else display_path(index_path)} {verb}: {', '.join(parts)} "
        f"({plural(summary.documents, 'document')}, {summary.elapsed:.2f} s)"
    )
    if summary.unsupported:
        total = sum(count for _suffix, count in summary.unsupported)
        kinds = ", ".join(f"{safe(suffix)} {count}" for suffix, count in summary.unsupported[:8])
        if len(summary.unsupported) > 8:
            kinds += ", ..."
        noun = "file" if total == 1 else "files"
        line += f"; {total} {noun} of unsupported types: {kinds}"
    return line


def stats_text(stats: IndexStats, style: Style) -> str:
    lines = [
        f"index      {stats.path}",
        f"corpus     {stats.corpus or 'unknown'}",
        f"documents  {stats.documents}",
        f"dates      {date_text(stats.first_date)} to {date_text(stats.last_date)}"
        f" ({stats.undated} undated)",
        f"updated    {stats.last_update.isoformat() if stats.last_update else 'never'}",
        f"outlets    {len(stats.outlets)} ({stats.no_outlet} {'document' if stats.no_outlet == 1 else 'documents'} with no outlet)",
    ]
    for name, count in stats.outlets.items():
        lines.append(f"  {count:>6}  {safe(name)}")
    if stats.no_outlet:
        lines.append(f"  {stats.no_outlet:>6}  {style.dim('(outlet unknown)')}")
    return "\n".join(lines) + "\n"


_SOURCE_TEXTS = {
    "text": "from the text",
    "metadata": "from metadata.toml",
    "markup": "from the page's markup",
    "header": "from the e-mail headers",
    "record": "from the record's fields",
    "url": "from the URL",
    "properties": "from the document properties",
}


def stats_json(stats: IndexStats) -> dict:
    return {
        "path": str(stats.path), "corpus": str(stats.corpus) if stats.corpus else None,
        "documents": stats.documents, "outlets": stats.outlets, "outlet_unknown": stats.no_outlet,
        "first_date": stats.first_date.isoformat() if stats.first_date else None,
        "last_date": stats.last_date.isoformat() if stats.last_date else None,
        "undated": stats.undated,
        "last_update": stats.last_update.isoformat() if stats.last_update else None,
    }


def source_text(source: str) -> str:
    """"markup: og:site_name" -> "from the page's markup: og:site_name" (the element that
    gave the value follows the kind of source)."""
    kind, _, element = source.partition(": ")
    text = _SOURCE_TEXTS.get(kind, "unknown")
    return f"{text}: {element}" if element and kind in _SOURCE_TEXTS else text


def document_json(doc: Document) -> dict:
    """``searchkit show --json``: a document, its metadata and each value's provenance."""
    meta = doc.meta
    return {
        "doc_id": doc.doc_id, "path": str(doc.path), "title": meta.title,
        "title_source": meta.title_source or None, "outlet": meta.outlet,
        "outlet_source": meta.outlet_source or None,
        "date": meta.date.isoformat() if meta.date else None,
        "date_source": meta.date_source or None, "url": meta.url,
        "url_source": meta.url_source or None, "author": meta.author,
        "author_source": meta.author_source or None,
        "lang": meta.lang, "lang_source": meta.lang_source or None,
        "pages": len(meta.page_starts) + 1 if meta.page_starts else None,
        "page_starts": list(meta.page_starts) or None, "captured": meta.captured, "sha256": doc.sha256,
        "size": doc.size,
        "credits": [{"source": c.source, "start": c.start, "end": c.end, "mention": doc.text[c.start:c.end]}
                    for c in doc.credits],
        "text": doc.text,
    }


def document_header(doc: Document, style: Style) -> list[str]:
    """Metadata of a document with where each value came from."""
    meta = doc.meta
    rows = [
        ("title", safe(meta.title) or "(none)", meta.title_source),
        ("outlet", safe(meta.outlet) or "unknown", meta.outlet_source),
        ("date", meta.date.isoformat() if meta.date else "unknown", meta.date_source),
    ]
    if meta.author:
        rows.append(("author", safe(meta.author), meta.author_source))
    if meta.url:
        rows.append(("url", safe(meta.url), meta.url_source))
    rows.append(("lang", safe(meta.lang) if meta.lang else "unknown", meta.lang_source))
    lines = [f"{style.title(name + ':'):<8} {value}  {style.dim('(' + safe(source_text(src)) + ')')}" for name, value, src in rows]
    if meta.page_starts:
        lines.append(f"pages:   {len(meta.page_starts) + 1}")
    if meta.captured:
        lines.append(f"captured: {safe(meta.captured)}  {style.dim('(by the web archive)')}")
    lines.append(f"file:    {safe(str(doc.path))}")
    return lines
