"""``searchkit shell``: an interactive prompt for exploring a corpus.

Type a query to see ranked hits with highlighted snippets; lines starting with ``:`` are
commands (``:help`` lists them). The shell is a thin layer over the library: one
:class:`searchkit.Index` stays open (one Whoosh searcher), and ``Index.refresh()`` before
each line picks up an index rewritten by ``searchkit index`` in another terminal.

:class:`Shell` holds the state and runs one line at a time, writing to a stream; it knows
nothing of prompt_toolkit, so it also serves piped input (``searchkit shell < queries``).
:func:`run_shell` adds the prompt: completion, highlighting, history, toolbar, key bindings.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..errors import OutletError, QueryError, SearchkitError
from ..render import Style, explain_text, facets_lines, safe, stats_text
from ..models import EXPORT_FORMATS, FACET_DATE_UNITS, SORT_NAMES, SORTS, Facets, SearchOptions, choice
from .commands import _QUIT_LINES, COMMANDS, DEFAULT_LIMIT, KEYS_HELP, ON_OFF, SYNTAX_HELP, resolve_command
from .view import document_block, json_lines, results_block, show_paged

if TYPE_CHECKING:
    from ..api import Index
    from ..models import Hit, IndexStats, Results
    from ..saved import SavedSearches

def parse_day(text: str, *, end: bool) -> dt.date:
    """YYYY, YYYY-MM or YYYY-MM-DD; a year or month means its first day, or its last if
    ``end`` (the query language's date grammar, as for ``--since``/``--until``)."""
    from ..querylang.dates import date_bound

    return date_bound(text, end=end)


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] in "\"'\u201c" and text[-1] in "\"'\u201d":
        return text[1:-1].strip()
    return text


def age_text(when: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """"just now", "5 min ago", "3 h ago", "2 days ago"."""
    if when is None:
        return "never"
    now = now or dt.datetime.now(dt.timezone.utc)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    seconds = max((now - when).total_seconds(), 0)
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60:.0f} min ago"
    if seconds < 86400 * 2:
        return f"{seconds // 3600:.0f} h ago"
    return f"{seconds // 86400:.0f} days ago"


def describe_options(options: SearchOptions) -> list[str]:
    """The standing filters shown in the prompt (as a saved search's are described)."""
    from ..saved import describe_filters

    outlets = (options.outlet,) if isinstance(options.outlet, str) else options.outlet or ()
    languages = (options.lang,) if isinstance(options.lang, str) else options.lang or ()
    parts = describe_filters({"outlet": outlets, "not_outlet": options.not_outlet or (),
                              "since": options.since.isoformat() if options.since else None,
                              "until": options.until.isoformat() if options.until else None})
    return parts + [f"lang:{safe(code)}" for code in languages]


@dataclass(frozen=True)
class Listing:
    """The last results: the page on screen and what it is a page of, a query or the articles
    similar to a document. Every command that acts on "the last results" reads this one
    object (:next, :prev, :open, :json, :story, :compare, :export, :facets, :stories,
    :credits, :timeline), so each means the same list after a query and after :similar."""

    results: Results
    #: The query as typed (the :story scope is added when it runs), or None after :similar.
    query: str | None = None
    #: The document the list is similar to, after :similar.
    similar_of: str | None = None

    def describe(self) -> str:
        if self.similar_of is not None:
            return f"the articles similar to {safe(self.similar_of)}"
        return safe(self.query or "")


class Shell:
    """The shell's state and commands; :meth:`execute` runs one input line."""

    def __init__(self, ix: Index, out: TextIO, style: Style,
                 pager: Callable[[str], None] | None = None, history: str = "off",
                 history_file: Path | None = None, limit: int = DEFAULT_LIMIT, collapse: bool = True) -> None:
        self.ix = ix
        self.out = out
        self.style = style
        self.pager = pager or (lambda text: show_paged(text, out))
        #: What the user has set (filters, sort, page size, expansion): every query runs with it.
        self.options = SearchOptions(limit=limit, collapse=collapse)
        #: The page size the prompt does not mention (the configured one).
        self.default_limit = limit
        #: Where the history is kept ("global", "index" or "off") and its file, for :help.
        self.history = history
        self.history_file = history_file
        #: The story every query is limited to (:story N), or None.
        self.story: str | None = None
        #: The last results (None before the first query).
        self.last: Listing | None = None
        self._stats: IndexStats | None = None
        self._outlet_counts: dict[str, int] | None = None
        self._seen_built_at = ix.built_at

    # -- output --------------------------------------------------------------------------

    def write(self, text: str) -> None:
        self.out.write(text if text.endswith("\n") else text + "\n")
        self.out.flush()

    def error(self, message: str) -> None:
        first = safe(message.strip().splitlines()[0] if message.strip() else "unknown error")
        self.write(f"{self.style.match('error:')} {first}")

    def note(self, message: str) -> None:
        self.write(self.style.dim(message))

    # -- what the prompt, the toolbar and the completer show ------------------------------

    def stats(self) -> IndexStats:
        if self._stats is None:
            self._stats = self.ix.stats()
        return self._stats

    def outlet_counts(self) -> dict[str, int]:
        """Outlet name -> number of articles (cached until the index changes)."""
        if self._outlet_counts is None:
            self._outlet_counts = dict(self.stats().outlets)
        return self._outlet_counts

    def complete_words(self, prefix: str) -> list[str]:
        return self.ix.complete(prefix, limit=20)

    @property
    def results(self) -> Results | None:
        """The page of the last results on screen."""
        return self.last.results if self.last is not None else None

    def hits_on_screen(self) -> list[tuple[int, str]]:
        if self.last is None:
            return []
        return [(hit.rank, hit.title or hit.doc_id) for hit in self.last.results.hits]

    def prompt_parts(self) -> list[str]:
        """The standing state shown in the prompt: filters, then a sort other than relevance."""
        parts = describe_options(self.options)
        if self.options.sort != "relevance":
            parts.append(f"sort:{self.options.sort}")
        if self.options.limit != self.default_limit:
            parts.append(f"limit:{self.options.limit}")
        if self.options.expand:
            parts.append("expand")
        if self.options.plain:
            parts.append("plain")
        if not self.options.collapse:
            parts.append("no-collapse")
        if self.story:
            parts.append(f"story:{safe(self.story)}")
        return parts

    def toolbar_text(self) -> str:
        stats = self.stats()
        if stats.first_date and stats.last_date:
            dates = f"{stats.first_date.isoformat()} to {stats.last_date.isoformat()}"
        else:
            dates = "no dates"
        outlets = len(stats.outlets)
        return (
            f" {safe(str(self.ix.path))} · {stats.documents} documents · "
            f"{outlets} outlet{'s' if outlets != 1 else ''} · {dates} · "
            f"updated {age_text(self.ix.built_at)} "
        )

    # -- running lines -------------------------------------------------------------------

    def execute(self, line: str) -> bool:
        """Run one line (a query or a command); False when the shell should end."""
        text = line.strip()
        if not text:
            return True
        if text in _QUIT_LINES:
            return False
        self.refresh()
        try:
            if text.startswith(":"):
                return self._command(text)
            self.search(text, page=1)
        except SearchkitError as err:
            self.error(str(err))
        return True

    def refresh(self) -> None:
        """Pick up an index rewritten by another process since the last line, and say so.

        The change is told by the index's last-update time rather than by what
        ``refresh()`` returns, because other calls (completion in its thread) may have
        reopened the index already.
        """
        try:
            self.ix.refresh()
        except SearchkitError as err:
            self.error(str(err))
            return
        if self.ix.built_at != self._seen_built_at:
            self._seen_built_at = self.ix.built_at
            self._stats = None
            self._outlet_counts = None
            self.note(f"(index updated by another process: {self.stats().documents} documents)")

    def search(self, query: str, *, page: int, explain: bool = False) -> bool:
        """Run ``query`` with the standing filters and print a page (and how the search ran,
        with ``explain``); False on a bad query."""
        started = time.perf_counter()
        try:
            results = self.ix.search_with(self._scoped(query), replace(self.options, page=page, explain=explain))
        except QueryError as err:
            plain_helps = not (self.options.plain or isinstance(err, OutletError))
            self.error(f"{err} (use :plain on to search these words as text)" if plain_helps else str(err))
            return False
        elapsed = time.perf_counter() - started
        self.last = Listing(results, query=query)
        self.write(results_block(results, sort=self.options.sort, elapsed=elapsed, style=self.style))
        if results.explain is not None:
            self.write(explain_text(results.explain, results.elapsed))
        if not self.options.plain:
            from ..querylang.lexer import capital_operators

            found = capital_operators(query)
            if found:
                self.note(f"({'/'.join(found)} in capitals {'is an operator' if len(found) == 1 else 'are operators'}; "
                          ":plain on searches every word as text)")
        return True

    def _rerun(self, setting: str, *, announce: bool = False) -> None:
        """Say what changed (always if ``announce``), and show the last results again under it."""
        if self.last is None:
            self.note(f"{setting}; it applies from the next query on.")
            return
        if announce:
            self.note(f"{setting}.")
        self._page(1)

    def _command(self, text: str) -> bool:
        name, _, arg = text[1:].partition(" ")
        spec = resolve_command(name)
        if spec is None:
            candidates = [s.name for s in COMMANDS if s.name.startswith(name.lower())]
            hint = f" (did you mean {', '.join(':' + c for c in candidates)}?)" if candidates else ""
            self.error(f"unknown command ':{name}'{hint}; :help lists the commands")
            return True
        if spec.name == "quit":
            return False
        handler = getattr(self, f"cmd_{spec.name}")
        handler(arg.strip())
        return True

    # -- commands ------------------------------------------------------------------------

    def cmd_help(self, arg: str) -> None:
        st = self.style
        if arg:
            spec = resolve_command(arg.lstrip(":"))
            if spec is None:
                self.error(f"no command ':{arg.lstrip(':')}'")
            else:
                self.write(f"{st.title(':' + spec.name)} {spec.usage}\n    {spec.help}")
            return
        width = max(len(f":{s.name} {s.usage}") for s in COMMANDS if len(s.usage) < 24) + 2
        lines = [st.title("Commands")]
        for spec in COMMANDS:
            head = f":{spec.name} {spec.usage}".rstrip()
            if len(head) > width:
                lines.append(f"  {st.rank(head)}\n  {'':<{width}}{spec.help}")
            else:
                lines.append(f"  {st.rank(head)}{'':<{width - len(head)}}{spec.help}")
        lines.append(st.title("Keys"))
        for key, what in KEYS_HELP:
            lines.append(f"  {key:<{width}}{what}")
        lines.append(st.title("Queries"))
        lines.extend(f"  {example}" for example in SYNTAX_HELP)
        lines.append(st.title("History"))
        lines.append("  " + self.history_text())
        self.write("\n".join(lines))

    def history_text(self) -> str:
        if self.history == "off" or self.history_file is None:
            return ("off: nothing typed here is kept on disk" if self.history == "off"
                    else "kept in memory only (the history file could not be opened)")
        where = "for this index" if self.history == "index" else "for every index"
        return (f"every line typed is kept in {safe(str(self.history_file))} ({where}); "
                "`searchkit shell --no-history` or history = \"off\" in the config file keeps none")

    def _need_results(self) -> Listing | None:
        """The last results, or None with a note that there are none yet."""
        if self.last is None:
            self.note("No results yet: type a query first.")
        return self.last

    def _fetch(self, listing: Listing, **changes: object) -> Results:
        """More of the last results under the current settings (``changes`` to
        :class:`SearchOptions`: another page, facets, no snippets)."""
        if listing.similar_of is not None:
            return self._similar(listing.similar_of, **changes)
        return self.ix.search_with(self._scoped(listing.query or ""), replace(self.options, **changes))  # type: ignore[arg-type]

    def _similar(self, doc_id: str, **changes: object) -> Results:
        """The articles similar to ``doc_id`` under the standing filters (and ``changes``)."""
        options = replace(self.options, **changes)  # type: ignore[arg-type]
        return self.ix.similar(doc_id=doc_id, limit=options.limit, page=options.page, outlet=options.outlet,
                               since=options.since, until=options.until, snippets=options.snippets,
                               facets=options.facets, explain=options.explain)

    def cmd_next(self, arg: str) -> None:
        last = self._need_results()
        if last is None:
            return
        results = last.results
        pages = max(results.pages, 1)
        if results.page >= pages:
            self.note(f"Already on the last page ({results.page} of {pages}).")
            return
        self._page(results.page + 1)

    def cmd_prev(self, arg: str) -> None:
        last = self._need_results()
        if last is None:
            return
        if last.results.page <= 1:
            self.note("Already on the first page.")
            return
        self._page(last.results.page - 1)

    def _page(self, page: int) -> None:
        if self.last is None:
            return
        if self.last.similar_of is not None:
            self.show_similar(self.last.similar_of, page=page)
        elif self.last.query is not None:
            self.search(self.last.query, page=page)

    def cmd_similar(self, arg: str) -> None:
        """``:similar N`` (hit N of the results on screen) or ``:similar DOC_ID``."""
        target = arg or "1"
        if target.isdigit():
            hit = self._hit(target)
            if hit is None:
                return
            doc_id = hit.doc_id
        else:
            doc_id = _unquote(target)
        self.show_similar(doc_id, page=1)

    def show_similar(self, doc_id: str, *, page: int) -> None:
        started = time.perf_counter()
        results = self._similar(doc_id, page=page)
        elapsed = time.perf_counter() - started
        self.last = Listing(results, similar_of=doc_id)
        self.note(f"Articles sharing the most content with {safe(doc_id)}:")
        self.write(results_block(results, sort="relevance", elapsed=elapsed, style=self.style))

    def cmd_sort(self, arg: str) -> None:
        if not arg:
            self.note(f"Sorted by {self.options.sort}; :sort {'|'.join(SORTS)} to change.")
            return
        sort = choice(arg, SORTS)
        if sort is None:
            self.error(f"unknown order {arg!r}: choose "
                       + ", ".join(f"{s} ({SORT_NAMES[s]})" if s != SORTS[0] else s for s in SORTS))
            return
        self.options = replace(self.options, sort=sort)
        if arg != "relevance" and self.options.collapse:
            self.note("Sorted by date, every article is shown in the order published; one hit per story "
                      "(:collapse) applies to relevance order.")
        self._rerun(f"Sorting by {arg}")

    def _switch(self, arg: str, command: str, setting: str, current: bool) -> bool | None:
        """The new value of an on/off setting, or None when there is none: with no argument
        the current value is said, a wrong one is an error."""
        if arg not in ("", *ON_OFF):
            self.error(f"unknown setting {arg!r}: :{command} on or :{command} off")
            return None
        if not arg:
            self.note(f"{setting} {'on' if current else 'off'}; :{command} on|off to change.")
            return None
        return arg == "on"

    def cmd_expand(self, arg: str) -> None:
        expand = self._switch(arg, "expand", "Expansion is", self.options.expand)
        if expand is None:
            return
        self.options = replace(self.options, expand=expand)
        self._rerun(f"Expansion {arg}")

    def cmd_plain(self, arg: str) -> None:
        plain = self._switch(arg, "plain", "Plain words are", self.options.plain)
        if plain is None:
            return
        self.options = replace(self.options, plain=plain)
        self._rerun("Plain words " + ("on: operators, fields and dates are read as words" if self.options.plain
                                      else "off: the query language is back"), announce=True)

    def cmd_export(self, arg: str) -> None:
        from .. import export
        from ..atomic import atomic_file

        last = self._need_results()
        if last is None:
            return
        parts = arg.split()
        given = choice(parts[1], EXPORT_FORMATS) if len(parts) == 2 else None
        if not parts or len(parts) > 2 or (len(parts) == 2 and given is None):
            self.error(f":export FILE [{'|'.join(EXPORT_FORMATS)}]")
            return
        target = Path(parts[0]).expanduser()
        fmt = export.format_for(parts[0], given)
        options = self.options
        if last.similar_of is not None:
            found = self.ix.export_similar(last.similar_of, outlet=options.outlet, since=options.since,
                                           until=options.until)
        else:
            found = self.ix.export(self._scoped(last.query or ""), plain=options.plain, sort=options.sort,
                                   outlet=options.outlet, since=options.since, until=options.until)
        try:
            with atomic_file(target, newline="") as out:
                n = export.write(fmt, found.info, found, out, documents=self.ix.document)
        except OSError as exc:
            self.error(f"cannot write {target}: {exc.strerror or exc}")
            return
        self.note(f"Wrote {n} {'match' if n == 1 else 'matches'} to {safe(str(target))} ({fmt}).")

    def cmd_limit(self, arg: str) -> None:
        if not arg:
            self.note(f"{self.options.limit} hits per page.")
            return
        if not arg.isdigit() or not 1 <= int(arg) <= 1000:
            self.error(f"not a number of hits from 1 to 1000: {arg!r}")
            return
        self.options = replace(self.options, limit=int(arg))
        self._rerun(f"{self.options.limit} hits per page")

    def cmd_filter(self, arg: str) -> None:
        if not arg:
            described = describe_options(self.options)
            self.note("Filters: " + " ".join(described) if described
                      else "No filters. :filter outlet:NAME | -outlet:NAME | lang:CODE | since:DATE | until:DATE")
            return
        if arg.lower() == "clear":
            self.options = replace(self.options, outlet=None, not_outlet=None, lang=None, since=None, until=None)
            self._rerun("Filters cleared", announce=True)
            return
        key, colon, value = arg.partition(":")
        key = key.strip().lower()
        value = _unquote(value)
        if not colon or key not in ("outlet", "-outlet", "lang", "since", "until"):
            self.error(f"unknown filter {arg!r}: use outlet:NAME, -outlet:NAME, lang:CODE, since:DATE, until:DATE "
                       "or clear")
            return
        if key == "outlet":
            self._set_outlet(value)
        elif key == "-outlet":
            left_out = (*(self.options.not_outlet or ()), self._known_outlet(value)) if value else ()
            self.options = replace(self.options, not_outlet=tuple(dict.fromkeys(left_out)) or None)
        elif key == "lang":
            from ..querylang.parser import language_code

            self.options = replace(self.options, lang=language_code(value) if value else None)
        elif not value:
            self.options = replace(self.options, since=None) if key == "since" else replace(self.options, until=None)
        else:
            day = parse_day(value, end=(key == "until"))
            since = day if key == "since" else self.options.since
            until = day if key == "until" else self.options.until
            if since and until and since > until:
                self.error(f"since {since} is after until {until}")
                return
            self.options = replace(self.options, since=since, until=until)
        described = describe_options(self.options)
        self._rerun("Filters: " + " ".join(described) if described else "No filters", announce=True)

    def _set_outlet(self, value: str) -> None:
        self.options = replace(self.options, outlet=self._known_outlet(value) if value else None)

    def _known_outlet(self, value: str) -> str:
        """The index's name of the outlet ``value`` names (:func:`searchkit.outlets.resolve_outlet`)."""
        from ..outlets import resolve_outlet

        return resolve_outlet(value, self.outlet_counts())

    def cmd_open(self, arg: str) -> None:
        hit = self._hit(arg or "1")
        if hit is None or self.last is None:
            return
        doc = self.ix.document(hit.doc_id)
        text, _ = document_block(self.ix, doc, self.last.query, rank=hit.rank, style=self.style)
        self.pager(text)

    def cmd_explain(self, arg: str) -> None:
        """``:explain QUERY`` runs QUERY and says how it ran (as ``query --explain``);
        ``:explain`` says it of the last results, searched again as they are on screen."""
        if arg:
            self.search(arg, page=1, explain=True)
            return
        last = self._need_results()
        if last is None:
            return
        results = self._fetch(last, page=last.results.page, explain=True)
        self.note(f"How {last.describe()} ran (searched again):")
        if results.explain is not None:
            self.write(explain_text(results.explain, results.elapsed))

    def cmd_facets(self, arg: str) -> None:
        last = self._need_results()
        if last is None:
            return
        unit = choice(arg or FACET_DATE_UNITS[0], FACET_DATE_UNITS)
        if unit is None:
            self.error(f"unknown date unit {arg!r}: :facets or " + " or ".join(f":facets {u}" for u in FACET_DATE_UNITS))
            return
        results = self._fetch(last, limit=1, page=1, sort="relevance", facets=True, snippets=False,
                              facet_dates=unit)
        facets = results.facets or Facets()
        noun = "match" if results.total == 1 else "matches"
        self.write("\n".join(facets_lines(facets, self.style)
                             + [self.style.dim(f"{results.total} {noun} for {last.describe()}")]))

    def _scoped(self, query: str) -> str:
        """The query limited to the :story the user chose, if any."""
        return f"story:{self.story} ({query})" if self.story else query

    def _hit(self, arg: str) -> Hit | None:
        """Hit N of the last results (on screen, or fetched from another page), or None with
        an error said."""
        last = self._need_results()
        if last is None:
            return None
        if not arg.isdigit() or int(arg) < 1:
            self.error(f"not a hit number: {arg!r} (N as shown before each title)")
            return None
        rank = int(arg)
        results = last.results
        hit = next((h for h in results.hits if h.rank == rank), None)
        if hit is not None:
            return hit
        if rank > results.total or results.rows is not None and rank > results.rows:
            found = results.rows if results.rows is not None else results.total
            self.error(f"no hit {rank}: the last results have {found}")
            return None
        found_page = self._fetch(last, limit=1, page=rank, snippets=False)
        if not found_page.hits:
            self.error(f"no hit {rank} any more (the index changed)")
            return None
        return found_page.hits[0]

    def _selection(self) -> dict[str, object]:
        """What :stories, :credits and :timeline cover: the last results' articles (every
        one, not only the page), or the whole corpus before any query."""
        last = self.last
        if last is None:
            return {}
        if last.similar_of is not None:
            every = self._fetch(last, limit=max(last.results.total, 1), page=1, snippets=False)
            return {"doc_ids": [hit.doc_id for hit in every.hits]}
        return {"query": self._scoped(last.query or ""), "plain": self.options.plain}

    def _covering(self) -> str:
        """The line under :stories, :credits and :timeline saying what they cover."""
        if self.last is None:
            return "(the whole corpus: type a query to narrow it)"
        return f"(of {self.last.describe() if self.last.similar_of else 'the matches of ' + self.last.describe()})"

    def cmd_stories(self, arg: str) -> None:
        from ..render_stories import stories_text

        stories = self.ix.stories(**self._selection())  # type: ignore[arg-type]
        self.note(self._covering())
        self.write(stories_text(stories, self.ix.document, self.ix.credits_of, self.style).rstrip("\n"))

    def cmd_story(self, arg: str) -> None:
        if arg in ("off", "clear"):
            self.story = None
            self._rerun("Every story", announce=True)
            return
        if not arg:
            self.note(f"Limited to story:{self.story}; :story off to undo." if self.story
                      else "Not limited to a story; :story N limits queries to hit N's story.")
            return
        hit = self._hit(arg)
        if hit is None:
            return
        story = hit.story
        if story is None:
            self.error(f"hit {arg} belongs to no story of two or more articles")
            return
        self.story = story
        if self.last is not None and self.last.similar_of is not None:
            self.note(f"Limited to story:{story} from the next query on (the list of {self.last.describe()} "
                      "is not a query and stays as it is).")
            return
        self._rerun(f"Limited to story:{story}", announce=True)

    def cmd_compare(self, arg: str) -> None:
        from ..render_stories import comparison_text

        parts = arg.split()
        if len(parts) != 2:
            self.error("usage: :compare N M (two hit numbers)")
            return
        hits = [self._hit(part) for part in parts]
        if hits[0] is None or hits[1] is None:
            return
        a, b = (self.ix.document(h.doc_id) for h in hits if h is not None)
        comparison = self.ix.compare(a.doc_id, b.doc_id)
        self.pager(comparison_text(comparison, a, b, self.style, width=shutil.get_terminal_size().columns))

    def cmd_credits(self, arg: str) -> None:
        from ..render_stories import credits_text

        self.note(self._covering())
        self.write(credits_text(self.ix.credit_sources(**self._selection()), self.style).rstrip("\n"))  # type: ignore[arg-type]

    def cmd_timeline(self, arg: str) -> None:
        from ..render_stories import timeline_text

        timeline = self.ix.timeline(**self._selection())  # type: ignore[arg-type]
        self.note(self._covering())
        self.write(timeline_text(timeline, self.style, width=shutil.get_terminal_size().columns).rstrip("\n"))

    def cmd_collapse(self, arg: str) -> None:
        collapse = self._switch(arg, "collapse", "Collapsing is", self.options.collapse)
        if collapse is None:
            return
        self.options = replace(self.options, collapse=collapse)
        self._rerun(f"Collapsing {arg}")

    # -- saved searches (the store the CLI and the web page share) ---------------------------

    def cmd_save(self, arg: str) -> None:
        from ..render import plural
        from ..saved import SavedSearches

        name = _unquote(arg)
        if not name:
            self.error(":save NAME saves the last query and the filters as NAME")
            return
        last = self.last
        if last is None or last.query is None:
            self.note("No query to save: type a query first, then :save NAME.")
            return
        options = self.options
        filters = {"outlet": options.outlet, "not_outlet": options.not_outlet, "since": options.since,
                   "until": options.until, "sort": options.sort, "plain": options.plain,
                   "collapse": None if options.collapse else False}
        saved = SavedSearches().save(name, self._scoped(last.query), filters, index=self.ix)
        self.note(f"Saved as {safe(saved.name)!r} ({plural(saved.total or 0, 'match', 'matches')}, now seen); "
                  ":saved lists the saved searches with their new matches.")

    def cmd_saved(self, arg: str) -> None:
        from ..saved import SavedSearches, describe_filters

        store = SavedSearches()
        command, _, rest = arg.partition(" ")
        if command in ("--delete", "-d"):
            if not rest.strip():
                self.error(":saved --delete NAME forgets a saved search")
                return
            gone = store.delete(_unquote(rest))
            self.note(f"Deleted the saved search {safe(gone.name)!r}.")
            return
        if arg:
            self._view_saved(store, _unquote(arg))
            return
        searches = store.list(self.ix)
        if not searches:
            self.note("No saved searches yet: type a query, then :save NAME.")
            return
        st = self.style
        width = max(len(safe(s.name)) for s in searches)
        lines = []
        for search in searches:
            name = safe(search.name)
            if search.error:
                counts = st.match("cannot run: ") + safe(search.error)
            else:
                new = f"{search.new} new"
                counts = f"{st.match(new) if search.new else st.dim(new)} of {search.total}"
            what = " ".join([safe(search.query) or "*", *describe_filters(search.filters)])
            lines.append(f"  {st.title(name)}{' ' * (width - len(name))}  {counts}  {st.dim(what)}")
        lines.append(st.dim("(:saved NAME runs one and marks its matches seen)"))
        self.write("\n".join(lines))

    def _view_saved(self, store: SavedSearches, name: str) -> None:
        """Run a saved search: its query and filters become the shell's, its matches seen."""
        from ..saved import search_options

        saved = store.get(name)
        its = search_options(saved.filters, self.ix, collapse=self.options.collapse)
        options = replace(self.options, page=1, outlet=its.outlet, not_outlet=its.not_outlet, since=its.since,
                          until=its.until, sort=its.sort, plain=its.plain, collapse=its.collapse)
        started = time.perf_counter()
        view = store.view(saved.name, self.ix, limit=options.limit, collapse=options.collapse)
        elapsed = time.perf_counter() - started
        self.options, self.story = options, None
        self.last = Listing(view.results, query=saved.query)
        self.write(results_block(view.results, sort=options.sort, elapsed=elapsed, style=self.style,
                                 new=view.new_ids))
        before = view.search
        when = f"since {before.viewed_at.astimezone().strftime('%Y-%m-%d %H:%M')}" if before.viewed_at \
            else "(never viewed on this index)"
        described = " ".join(describe_options(options))
        self.note(f"Saved search {safe(before.name)!r}: {before.new} new {when}; now all seen."
                  + (f" Filters: {described}" if described else "")
                  + (" (Its story, credited-source and format filters apply to this view only.)"
                     if its.only is not None or its.exclude is not None else ""))

    def cmd_stats(self, arg: str) -> None:
        self._stats = None
        self.write(stats_text(self.stats(), self.style).rstrip("\n"))

    def cmd_json(self, arg: str) -> None:
        last = self._need_results()
        if last is None:
            return
        self.out.write(json_lines(last.results))
        self.out.flush()
