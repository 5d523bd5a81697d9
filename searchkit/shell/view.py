"""What the shell prints: a page of results with its status line, a whole article with every
match highlighted, JSON Lines, and the pager that shows long text.

Everything taken from a document passes through :func:`searchkit.render.safe` (control
characters become spaces) before searchkit's own colour codes are added, so no article can
move the cursor, recolour the terminal or set its title.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

from ..marks import terminal_marked
from ..models import SORT_NAMES, Document, Results, Sort
from ..render import Style, document_header, hit_lines, ignored_note, safe, undated_note
from ..sanitize import json_line
from .lexer import scan

if TYPE_CHECKING:
    from ..api import Index


def status_line(results: Results, *, sort: Sort, elapsed: float, style: Style) -> str:
    """One line under the results: matches, the page shown, the order, the time taken."""
    ms = f"{elapsed * 1000:.1f} ms" if elapsed < 0.1 else f"{elapsed * 1000:.0f} ms"
    noun = "match" if results.total == 1 else "matches"
    left_out = f" · {undated_note(results.undated_excluded)}" if results.undated_excluded else ""
    if not results.total:
        return style.dim(f"0 matches ({ms}){left_out}")
    pages = results.pages
    if results.hits:
        shown = f"showing {results.hits[0].rank}-{results.hits[-1].rank}"
    else:
        shown = "past the last hit"
    parts = [f"{results.total} {noun}", shown, f"page {results.page} of {pages}"]
    if sort != "relevance":
        parts.append(SORT_NAMES[sort])
    return style.dim(" · ".join(parts) + f" ({ms})" + left_out)


def results_block(results: Results, *, sort: Sort, elapsed: float, style: Style,
                  new: frozenset[str] = frozenset()) -> str:
    """Hits (rank, title, outlet, date, score, highlighted snippet), then the status line;
    the hits whose ids are in ``new`` (a saved search's new matches) marked new."""
    lines: list[str] = []
    width = shutil.get_terminal_size().columns
    for hit in results.hits:
        lines.extend(hit_lines(hit, style, width=width, new=hit.doc_id in new))
        lines.append("")
    if not results.total:
        lines.append("No matches.")
    if results.suggestion:
        lines.append(f"Did you mean: {style.title(safe(results.suggestion))}")
    if results.expansion:
        lines.append(style.dim(f"Expanded with: {safe(' '.join(results.expansion))}"))
    if results.ignored:
        note = ignored_note(results.ignored)
        lines.append(style.dim(note[0].upper() + note[1:]))
    for notice in results.notices:
        lines.append(style.dim(safe(notice[0].upper() + notice[1:])))
    lines.append(status_line(results, sort=sort, elapsed=elapsed, style=style))
    return "\n".join(lines) + "\n"


def json_lines(results: Results) -> str:
    """The page of hits as JSON Lines (the objects of ``searchkit query --json``)."""
    from ..render import hit_json

    return "".join(json_line(hit_json(hit)) + "\n" for hit in results.hits)


# --------------------------------------------------------------------------------------------
# A whole article


def _glob_pattern(word: str) -> re.Pattern[str]:
    body = "".join(r"\w*" if c == "*" else r"\w" if c == "?" else re.escape(c) for c in word.lower())
    return re.compile(body)


def _wildcards(query: str) -> list[re.Pattern[str]]:
    """Patterns for the query's prefix/wildcard words that are not negated."""
    tokens = [t for t in scan(query) if t.kind != "space"]
    patterns = []
    for index, token in enumerate(tokens):
        if token.kind != "wildcard":
            continue
        before = tokens[index - 1] if index else None
        if before is not None and (
            (before.kind == "modifier" and query[before.start] == "-")
            or (before.kind == "operator" and query[before.start : before.end] == "NOT")
        ):
            continue
        if before is not None and before.kind == "field" and query[before.start : before.end - 1].lower() in ("outlet", "date"):
            continue
        word = query[token.start : token.end].strip(".,;:!")
        if word.strip("*?"):
            patterns.append(_glob_pattern(word))
    return patterns


def match_spans(ix: Index, text: str, query: str, *, plain: bool = False,
                lang: str | None = None) -> list[tuple[int, int]]:
    """Character spans of ``text`` (an article in ``lang``) holding a word the query looks
    for (title or body terms, prefixes and wildcards; nothing under NOT). An unreadable query
    matches nothing."""
    from ..errors import QueryError

    try:
        terms = ix.query_terms(query, plain=plain, lang=lang)
    except QueryError:
        return []
    patterns = [] if plain else _wildcards(query)
    if not terms and not patterns:
        return []
    spans = []
    for term, start, end, original in ix.tokens(text, lang=lang):
        if term in terms or any(p.fullmatch(original.lower()) or p.fullmatch(term) for p in patterns):
            spans.append((start, end))
    return spans


def document_block(ix: Index, doc: Document, query: str | None, *, rank: int | None,
                   style: Style) -> tuple[str, int]:
    """The article as the pager shows it: metadata with provenance, then the text, matches
    highlighted. Returns the text and the number of matches highlighted."""
    spans = match_spans(ix, doc.text, query, lang=doc.meta.lang) if query else []
    header = document_header(doc, style)
    facts = f"{len(spans)} match{'es' if len(spans) != 1 else ''} highlighted" if query else "no query"
    if rank is not None:
        facts = f"hit {rank} · {facts}"
    header.append(style.dim(f"{facts} · {doc.size} bytes · sha256 {doc.sha256[:12]}"))
    body = terminal_marked(doc.text.rstrip(), spans, style.match, lines=True)
    return "\n".join(header) + "\n" + style.dim("─" * 40) + "\n" + body + "\n", len(spans)


# --------------------------------------------------------------------------------------------
# Pager


def pager_command() -> list[str] | None:
    """$SEARCHKIT_PAGER, else $PAGER, else ``less`` when installed; None means print.

    An empty variable (``PAGER=``) also means print.
    """
    for name in ("SEARCHKIT_PAGER", "PAGER"):
        value = os.environ.get(name)
        if value is not None:
            try:
                return shlex.split(value) or None
            except ValueError:
                return None
    less = shutil.which("less")
    return [less] if less else None


def show_paged(text: str, out=None) -> None:
    """Show ``text`` (already safe, with searchkit's colour codes) in the pager, or print it.

    less gets ``LESS=-RFX`` unless the user set LESS: -R passes our colours, -F quits at once
    when the article fits the screen, -X leaves it on the screen afterwards.
    """
    out = out or sys.stdout
    command = pager_command() if out.isatty() else None
    if command:
        env = dict(os.environ)
        env.setdefault("LESS", "-RFX")
        env.setdefault("LESSSECURE", "1")  # no shell escapes or file opening from inside less
        out.flush()
        if _run_pager(command, text.encode("utf-8", "replace"), env):
            return
    out.write(text)
    out.flush()


def _run_pager(command: list[str], data: bytes, env: dict[str, str]) -> bool:
    """Feed ``data`` to the pager and wait for it; False if it could not be started.

    Ctrl-C belongs to the pager while it runs (less uses it to stop a search), so it must
    not abort the shell: the interrupt is swallowed until the pager exits.
    """
    try:
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    assert proc.stdin is not None
    try:
        proc.stdin.write(data)
    except (BrokenPipeError, KeyboardInterrupt):
        pass  # the user left the pager before reading everything
    finally:
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass
    while True:
        try:
            code = proc.wait()
            break
        except KeyboardInterrupt:
            continue
    return code != 127
