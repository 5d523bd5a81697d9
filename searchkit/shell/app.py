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

import calendar
import datetime as dt
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..errors import QueryError, SearchkitError
from ..render import Style, facets_lines, safe, stats_text, use_color
from .complete import CommandSpec
from .view import document_block, json_lines, results_block, show_paged

if TYPE_CHECKING:
    from ..api import Index
    from ..models import Results

SORTS = ("relevance", "date", "-date")
DEFAULT_LIMIT = 10

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("open", "N", "show hit N in full in a pager: metadata with provenance, matches highlighted"),
    CommandSpec("next", "", "next page of hits (Alt-n)"),
    CommandSpec("prev", "", "previous page of hits (Alt-p)"),
    CommandSpec("sort", "relevance|date|-date", "order hits by relevance, oldest first or newest first", SORTS),
    CommandSpec("filter", "outlet:NAME | since:DATE | until:DATE | clear",
                "standing filters for every query (shown in the prompt); no argument lists them",
                ("outlet:", "since:", "until:", "clear")),
    CommandSpec("limit", "N", "hits per page (default 10)"),
    CommandSpec("expand", "on|off", "add the best hits' key words to every query (pseudo-relevance feedback)",
                ("on", "off")),
    CommandSpec("facets", "", "count the last query's matches by outlet and by date"),
    CommandSpec("stats", "", "what the index holds: documents, outlets, dates, last update"),
    CommandSpec("json", "", "the hits on screen as JSON Lines"),
    CommandSpec("help", "[COMMAND]", "list the commands, keys and query syntax"),
    CommandSpec("quit", "", "leave the shell (also Ctrl-D, exit, quit)"),
)
_BY_NAME = {spec.name: spec for spec in COMMANDS}
_ALIASES = {"q": "quit", "exit": "quit", "n": "next", "p": "prev", "o": "open", "h": "help", "?": "help"}
_QUIT_LINES = frozenset({"exit", "quit", ":q", ":quit", ":exit", r"\q"})

KEYS_HELP = (
    ("Tab", "complete a command, field, outlet name or word from the index"),
    ("Up / Down, Ctrl-R", "recall earlier lines; search them"),
    ("Right arrow", "accept the grey suggestion from history"),
    ("Alt-n / Alt-p", "next / previous page of hits"),
    ("Ctrl-C", "clear the line (or stop a search)"),
    ("Ctrl-L", "clear the screen"),
    ("Ctrl-D", "quit (on an empty line)"),
)
SYNTAX_HELP = (
    'words  "exact phrase"  "near words"~5  a AND b  a OR b  NOT a  -word  +word  (a OR b)',
    "satell*  nitrocelulose~  title:word  body:word  outlet:forbes  outlet:\"EU Today\"",
    "date:2024  date:2024-04  date:2024-04-07  date:[2024-04-01 TO 2024-04-08]  date:>=2024-04",
)


def resolve_command(name: str) -> CommandSpec | None:
    """A command by name, alias (``:q``, ``:n``, ``:o``) or unambiguous prefix."""
    name = name.lower()
    name = _ALIASES.get(name, name)
    if name in _BY_NAME:
        return _BY_NAME[name]
    matches = [spec for spec in COMMANDS if spec.name.startswith(name)] if name else []
    return matches[0] if len(matches) == 1 else None


def parse_day(text: str, *, end: bool) -> dt.date:
    """YYYY, YYYY-MM or YYYY-MM-DD; a year or month means its first day, or its last if ``end``."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text.strip())
    if not match:
        raise QueryError(f"not a date: {text!r} (use YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if month is None:
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        if day is None:
            return dt.date(year, month, calendar.monthrange(year, month)[1] if end else 1)
        return dt.date(year, month, day)
    except ValueError as err:
        raise QueryError(f"not a date: {text!r} ({err})") from None


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


@dataclass
class Filters:
    """Standing filters applied to every query."""

    outlet: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def describe(self) -> list[str]:
        parts = []
        if self.outlet:
            name = safe(self.outlet)
            parts.append(f'outlet:"{name}"' if " " in name else f"outlet:{name}")
        if self.since:
            parts.append(f"since:{self.since.isoformat()}")
        if self.until:
            parts.append(f"until:{self.until.isoformat()}")
        return parts


class Shell:
    """The shell's state and commands; :meth:`execute` runs one input line."""

    def __init__(self, ix: Index, out: TextIO, style: Style,
                 pager: Callable[[str], None] | None = None) -> None:
        self.ix = ix
        self.out = out
        self.style = style
        self.pager = pager or (lambda text: show_paged(text, out))
        self.filters = Filters()
        self.sort = "relevance"
        self.expand = False
        self.limit = DEFAULT_LIMIT
        self.query: str | None = None
        self.results: Results | None = None
        self._stats = None
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

    def stats(self):  # type: ignore[no-untyped-def]
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

    def hits_on_screen(self) -> list[tuple[int, str]]:
        if self.results is None:
            return []
        return [(hit.rank, hit.title or hit.doc_id) for hit in self.results.hits]

    def prompt_parts(self) -> list[str]:
        """The standing state shown in the prompt: filters, then a sort other than relevance."""
        parts = self.filters.describe()
        if self.sort != "relevance":
            parts.append(f"sort:{self.sort}")
        if self.limit != DEFAULT_LIMIT:
            parts.append(f"limit:{self.limit}")
        if self.expand:
            parts.append("expand")
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

    def search(self, query: str, *, page: int) -> bool:
        """Run ``query`` with the standing filters and print a page; False on a bad query."""
        started = time.perf_counter()
        try:
            results = self.ix.search(
                query, limit=self.limit, page=page, sort=self.sort, outlet=self.filters.outlet,
                since=self.filters.since, until=self.filters.until, expand=self.expand,
            )
        except QueryError as err:
            self.error(str(err))
            return False
        elapsed = time.perf_counter() - started
        self.query, self.results = query, results
        self.write(results_block(results, sort=self.sort, elapsed=elapsed, style=self.style))
        return True

    def _rerun(self, setting: str, *, announce: bool = False) -> None:
        """Say what changed (always if ``announce``), and show the last query again under it."""
        if self.query is None:
            self.note(f"{setting}; it applies from the next query on.")
            return
        if announce:
            self.note(f"{setting}.")
        self.search(self.query, page=1)

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
        self.write("\n".join(lines))

    def _need_results(self) -> bool:
        if self.results is None:
            self.note("No results yet: type a query first.")
            return False
        return True

    def cmd_next(self, arg: str) -> None:
        if not self._need_results():
            return
        assert self.results is not None and self.query is not None
        pages = max(-(-self.results.total // self.results.limit), 1)
        if self.results.page >= pages:
            self.note(f"Already on the last page ({self.results.page} of {pages}).")
            return
        self.search(self.query, page=self.results.page + 1)

    def cmd_prev(self, arg: str) -> None:
        if not self._need_results():
            return
        assert self.results is not None and self.query is not None
        if self.results.page <= 1:
            self.note("Already on the first page.")
            return
        self.search(self.query, page=self.results.page - 1)

    def cmd_sort(self, arg: str) -> None:
        if not arg:
            self.note(f"Sorted by {self.sort}; :sort relevance|date|-date to change.")
            return
        if arg not in SORTS:
            self.error(f"unknown order {arg!r}: choose relevance, date (oldest first) or -date (newest first)")
            return
        self.sort = arg
        self._rerun(f"Sorting by {arg}")

    def cmd_expand(self, arg: str) -> None:
        if arg not in ("", "on", "off"):
            self.error(f"unknown setting {arg!r}: :expand on or :expand off")
            return
        if not arg:
            self.note(f"Expansion is {'on' if self.expand else 'off'}; :expand on|off to change.")
            return
        self.expand = arg == "on"
        self._rerun(f"Expansion {arg}")

    def cmd_limit(self, arg: str) -> None:
        if not arg:
            self.note(f"{self.limit} hits per page.")
            return
        if not arg.isdigit() or not 1 <= int(arg) <= 1000:
            self.error(f"not a number of hits from 1 to 1000: {arg!r}")
            return
        self.limit = int(arg)
        self._rerun(f"{self.limit} hits per page")

    def cmd_filter(self, arg: str) -> None:
        if not arg:
            described = self.filters.describe()
            self.note("Filters: " + " ".join(described) if described else "No filters. :filter outlet:NAME | since:DATE | until:DATE")
            return
        if arg.lower() == "clear":
            self.filters = Filters()
            self._rerun("Filters cleared", announce=True)
            return
        key, colon, value = arg.partition(":")
        key = key.strip().lower()
        value = _unquote(value)
        if not colon or key not in ("outlet", "since", "until"):
            self.error(f"unknown filter {arg!r}: use outlet:NAME, since:DATE, until:DATE or clear")
            return
        if key == "outlet":
            self._set_outlet(value)
        elif not value:
            setattr(self.filters, key, None)
        else:
            day = parse_day(value, end=(key == "until"))
            since = day if key == "since" else self.filters.since
            until = day if key == "until" else self.filters.until
            if since and until and since > until:
                self.error(f"since {since} is after until {until}")
                return
            setattr(self.filters, key, day)
        described = self.filters.describe()
        self._rerun("Filters: " + " ".join(described) if described else "No filters", announce=True)

    def _set_outlet(self, value: str) -> None:
        if not value:
            self.filters.outlet = None
            return
        known = self.outlet_counts()
        wanted = " ".join(value.split()).casefold()
        match = next((name for name in known if " ".join(name.split()).casefold() == wanted), None)
        if match is None:
            similar = [n for n in known if wanted in n.casefold()] or list(known)
            listing = ", ".join(safe(n) for n in similar[:8]) + (" …" if len(similar) > 8 else "")
            raise QueryError(f"no outlet named {value!r} in the index (outlets: {listing or 'none'})")
        self.filters.outlet = match

    def cmd_open(self, arg: str) -> None:
        if not self._need_results():
            return
        assert self.results is not None and self.query is not None
        target = arg or "1"
        if not target.isdigit() or int(target) < 1:
            self.error(f"not a hit number: {arg!r} (:open N, N as shown before each title)")
            return
        rank = int(target)
        if rank > self.results.total:
            self.error(f"no hit {rank}: the query found {self.results.total}")
            return
        hit = next((h for h in self.results.hits if h.rank == rank), None)
        if hit is None:
            found = self.ix.search(
                self.query, limit=1, page=rank, sort=self.sort, outlet=self.filters.outlet,
                since=self.filters.since, until=self.filters.until, snippets=False, expand=self.expand,
            )
            if not found.hits:
                self.error(f"no hit {rank} any more (the index changed)")
                return
            hit = found.hits[0]
        doc = self.ix.document(hit.doc_id)
        text, _ = document_block(self.ix, doc, self.query, rank=rank, style=self.style)
        self.pager(text)

    def cmd_facets(self, arg: str) -> None:
        if not self._need_results():
            return
        assert self.query is not None
        results = self.ix.search(
            self.query, limit=1, sort="relevance", outlet=self.filters.outlet,
            since=self.filters.since, until=self.filters.until, facets=True, snippets=False,
            facet_dates=arg if arg in ("day", "month") else "day",
        )
        assert results.facets is not None
        noun = "match" if results.total == 1 else "matches"
        self.write("\n".join(facets_lines(results.facets, self.style)
                             + [self.style.dim(f"{results.total} {noun} for {safe(self.query)}")]))

    def cmd_stats(self, arg: str) -> None:
        self._stats = None
        self.write(stats_text(self.stats(), self.style).rstrip("\n"))

    def cmd_json(self, arg: str) -> None:
        if not self._need_results():
            return
        assert self.results is not None
        self.out.write(json_lines(self.results))
        self.out.flush()


# ------------------------------------------------------------------------------------------
# The prompt


def history_path() -> Path:
    """Where the shell keeps its history: the user data directory platformdirs gives."""
    import platformdirs

    return platformdirs.user_data_path("searchkit", appauthor=False) / "shell_history"


def run_shell(ix: Index) -> int:
    """Entry point of ``searchkit shell`` on an open index (closed on return); returns the
    exit status."""
    with ix:
        out = sys.stdout
        shell = Shell(ix, out, Style(use_color("auto", out)))
        if not (sys.stdin.isatty() and out.isatty()):
            return _run_piped(shell, sys.stdin)
        return _run_prompt(shell)


def _run_piped(shell: Shell, lines: TextIO) -> int:
    """Lines from a pipe or file, one at a time, with no prompt (for scripts)."""
    for line in lines:
        if not shell.execute(line):
            break
    return 0


@dataclass(frozen=True)
class _KeyCommand:
    """What a key binding asks the loop to run, and the half-typed line to give back."""

    command: str
    keep: str


def _run_prompt(shell: Shell) -> int:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
    from prompt_toolkit.completion import ThreadedCompleter
    from prompt_toolkit.history import FileHistory, History, InMemoryHistory
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.styles import Style as PTStyle

    from .complete import ShellCompleter
    from .lexer import ShellLexer

    class ShellHistory(FileHistory):
        """File history that skips quitting lines and immediate repeats."""

        def append_string(self, string: str) -> None:
            if string.strip() in _QUIT_LINES or (self._loaded_strings and self._loaded_strings[0] == string):
                return
            super().append_string(string)

    history: History
    try:
        path = history_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        history = ShellHistory(str(path))
    except OSError:
        history = InMemoryHistory()

    bindings = KeyBindings()

    def page_key(command: str):  # type: ignore[no-untyped-def]
        def handler(event) -> None:  # type: ignore[no-untyped-def]
            buffer = event.app.current_buffer
            keep = buffer.text
            buffer.text = command  # so the screen shows what ran
            event.app.exit(result=_KeyCommand(command, keep))

        return handler

    bindings.add("escape", "n")(page_key(":next"))
    bindings.add("escape", "p")(page_key(":prev"))

    style = PTStyle.from_dict({
        "prompt": "ansigreen bold",
        "prompt.state": "ansicyan",
        "query.operator": "ansimagenta bold",
        "query.modifier": "ansimagenta bold",
        "query.field": "ansiblue bold",
        "query.badfield": "ansired underline",
        "query.phrase": "ansiyellow",
        "query.near": "ansiyellow bold",
        "query.paren": "bold",
        "query.range": "ansigreen",
        "query.wildcard": "ansicyan",
        "query.fuzzy": "ansicyan",
        "query.error": "ansired bold underline",
        "command": "ansigreen bold",
        "command.unknown": "ansired",
        "bottom-toolbar": "noreverse bg:ansiblack ansiwhite",
        "bottom-toolbar.keys": "noreverse bg:ansiblack ansigray",
    })

    def prompt_message():  # type: ignore[no-untyped-def]
        parts = shell.prompt_parts()
        fragments = [("class:prompt", "searchkit")]
        if parts:
            fragments.append(("class:prompt.state", " [" + " ".join(parts) + "]"))
        fragments.append(("class:prompt", "> "))
        return fragments

    def toolbar():  # type: ignore[no-untyped-def]
        try:
            text = shell.toolbar_text()
        except Exception:  # noqa: BLE001 - an index being swapped must not break the prompt
            text = f" {safe(str(shell.ix.path))} "
        return [("class:bottom-toolbar", text),
                ("class:bottom-toolbar.keys", "· Tab complete · Alt-n/p pages · :help · Ctrl-D quit ")]

    completer = ShellCompleter(
        COMMANDS, resolve_command, shell.outlet_counts, shell.complete_words, shell.hits_on_screen,
    )
    session: PromptSession = PromptSession(
        message=prompt_message,
        lexer=ShellLexer(lambda name: resolve_command(name) is not None, shell.ix.check_query),
        completer=ThreadedCompleter(completer),
        complete_while_typing=True,
        auto_suggest=AutoSuggestFromHistory(),
        history=history,
        bottom_toolbar=toolbar,
        style=style,
        include_default_pygments_style=False,
        key_bindings=bindings,
        search_ignore_case=True,
    )

    stats = shell.stats()
    shell.note(
        f"searchkit shell: {stats.documents} documents in {safe(str(shell.ix.path))}. "
        "Type a query; :help lists commands; Ctrl-D quits."
    )
    keep = ""
    while True:
        try:
            line = session.prompt(default=keep)
        except KeyboardInterrupt:
            keep = ""
            continue
        except EOFError:
            break
        keep = ""
        if isinstance(line, _KeyCommand):
            keep, line = line.keep, line.command
        try:
            if not shell.execute(line):
                break
        except KeyboardInterrupt:
            shell.note("(interrupted)")
        except Exception as exc:  # noqa: BLE001 - a bug must not close the user's session
            if os.environ.get("SEARCHKIT_DEBUG", "") not in ("", "0"):
                import traceback

                traceback.print_exc()
            shell.error(f"internal error ({type(exc).__name__}: {exc}); this is a bug in searchkit: please "
                        "report it with what you typed (SEARCHKIT_DEBUG=1 shows the traceback)")
    return 0
