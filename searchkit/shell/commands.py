"""The shell's commands: a registry of name, arguments, help and completion choices.

:class:`~searchkit.shell.app.Shell` runs a command through its ``cmd_NAME`` method; ``:help``,
Tab completion, the highlighter and the documentation test read this registry.
"""

from __future__ import annotations

from ..models import EXPORT_FORMATS, SORT_NAMES, SORTS
from .complete import CommandSpec

#: The values of a setting that is on or off (:expand, :plain, :collapse).
ON_OFF = ("on", "off")

DEFAULT_LIMIT = 10

COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("open", "N", "show hit N in full in a pager: metadata with provenance, matches highlighted"),
    CommandSpec("next", "", "next page of hits (Alt-n)"),
    CommandSpec("prev", "", "previous page of hits (Alt-p)"),
    CommandSpec("sort", "|".join(SORTS), "order hits by " + ", ".join(SORT_NAMES[s] for s in SORTS), SORTS),
    CommandSpec("filter", "outlet:NAME | -outlet:NAME | lang:CODE | since:DATE | until:DATE | clear",
                "standing filters for every query (shown in the prompt; -outlet: leaves an outlet out); "
                "no argument lists them",
                ("outlet:", "-outlet:", "lang:", "since:", "until:", "clear")),
    CommandSpec("limit", "N", "hits per page (default: the config file's limit, or 10)"),
    CommandSpec("expand", "on|off", "add the best hits' key words to every query (pseudo-relevance feedback)",
                ON_OFF),
    CommandSpec("similar", "N | DOC_ID", "the articles sharing the most content with hit N (or a document): "
                "where else its passage appears"),
    CommandSpec("plain", "on|off", "read queries as plain words, no operators (for pasted prose)",
                ON_OFF),
    CommandSpec("explain", "[QUERY]", "how the last query ran (or QUERY, run now): the query as the engine "
                "ran it, the filters, the path, the words dropped and the time of each stage",
                query_argument=True),
    CommandSpec("facets", "", "count the last query's matches by outlet and by date"),
    CommandSpec("export", f"FILE [{'|'.join(EXPORT_FORMATS)}]",
                "write every match of the last query (with the filters) to FILE to cite; the format "
                "from FILE's suffix if not given", EXPORT_FORMATS),
    CommandSpec("stats", "", "what the index holds: documents, outlets, dates, last update"),
    CommandSpec("json", "", "the hits on screen as JSON Lines"),
    CommandSpec("stories", "", "the stories of the last query's matches (of the corpus before any query)"),
    CommandSpec("story", "N", "only the articles of hit N's story, for every query until :story off",
                ("off",)),
    CommandSpec("compare", "N M", "what hits N and M share (verbatim, reworded) and what each adds"),
    CommandSpec("credits", "", "which sources the last query's matches credit, by outlet"),
    CommandSpec("timeline", "", "the last query's matches per day and outlet, as a chart"),
    CommandSpec("collapse", "on|off", "one hit per story, its other versions named under it (default on)",
                ON_OFF),
    CommandSpec("save", "NAME", "save the last query and the filters as NAME (shared with `searchkit saved` "
                "and the web page); its matches now count as seen"),
    CommandSpec("saved", "[NAME | --delete NAME]",
                "list the saved searches with their new matches; with NAME, run one (its filters become "
                "the standing ones) and mark its matches seen", ("--delete",)),
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
