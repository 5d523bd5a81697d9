"""The ``searchkit`` command's arguments: one argparse parser, each command's options in a
function of its own, the options several commands share written once.

Built from the fixed lists in :mod:`searchkit.models` and :mod:`searchkit.config`, so the
choices offered here are the ones the library accepts. :mod:`searchkit.clidocs` generates the
completion scripts, the man page and the command reference from it.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import NoReturn

#: grep's exit statuses: something found (or done), nothing found, an error.
EXIT_FOUND, EXIT_NOT_FOUND, EXIT_ERROR = 0, 1, 2

DATE_FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"


class _ArgumentParser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit status 2, like the rest."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_ERROR, f"searchkit: error: {message} (see `{self.prog} --help`)\n")


def _date_arg(end: bool):
    """--since/--until: the query language's date grammar (a year or month is its first day
    for --since and its last for --until)."""

    def parse(value: str) -> dt.date:
        from .errors import QueryError
        from .querylang.dates import date_bound

        try:
            return date_bound(value, end=end)
        except QueryError as exc:
            raise argparse.ArgumentTypeError(f"{exc}; use {DATE_FORMS}") from None

    parse.__name__ = "date"
    return parse


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return number


def _examples(*lines: str) -> str:
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


class _FORMATTER(argparse.HelpFormatter):
    """Descriptions wrapped to the terminal by paragraph; example blocks kept as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        import textwrap

        out = []
        for paragraph in text.split("\n\n"):
            if paragraph.startswith("examples:"):
                out.append("\n".join(indent + line for line in paragraph.splitlines()))
            else:
                out.append(textwrap.fill(" ".join(paragraph.split()), width, initial_indent=indent,
                                         subsequent_indent=indent))
        return "\n\n".join(out)

SETTINGS_NOTE = ("Defaults come from the config file and SEARCHKIT_* variables "
                 "(see `searchkit config`); flags win over both.")

#: Shells `searchkit completion` writes a script for.
COMPLETION_SHELLS = ("bash", "zsh", "fish")


def build_parser() -> argparse.ArgumentParser:

    parser = _ArgumentParser(
        prog="searchkit",
        description="Full-text search for a corpus of news articles.",
        epilog="Run `searchkit COMMAND --help` for a command's options and examples. "
        "With no command on a terminal, opens the interactive shell.\n\n"
        + _examples("searchkit index ~/news            # index a folder of articles",
                    "searchkit query '\"shock waves\" outlet:forbes'",
                    "searchkit export 'satellite imagery' -o sources.md",
                    "searchkit shell"),
        formatter_class=_FORMATTER,
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"searchkit {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="print a traceback on internal errors (also SEARCHKIT_DEBUG=1); any position")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_ArgumentParser)
    for add_command in (_index_command, _query_command, _saved_command, _export_command, _similar_command,
                        _inspect_commands, _stories_commands, _shell_command, _serve_command, _tool_commands):
        add_command(commands)
    return parser


# -- Options shared by several commands -------------------------------------------------------

def _add(commands: argparse._SubParsersAction, name: str, help: str, description: str,
         examples: tuple[str, ...]) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(name, help=help, description=description,
                                                          epilog=_examples(*examples), formatter_class=_FORMATTER)
    return parser


def _index_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", metavar="DIR|URL",
                   help="index folder, or an OpenSearch index as opensearch://HOST:PORT/NAME or "
                   "https://HOST:PORT/NAME (default: $SEARCHKIT_INDEX, the config file's index, or ./index)")
    p.add_argument("--insecure", action="store_true",
                   help="with an https:// index: do not verify the cluster's TLS certificate")


def _corpus_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", metavar="DIR",
                   help="corpus to index first if the index is missing or stale "
                   "(default: the corpus the index was built from)")


def _page_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("-n", "--limit", type=_positive_int, default=None, metavar="N",
                   help="hits per page (default: the config file's limit, or 10)")
    p.add_argument("--page", type=_positive_int, default=1, metavar="K", help="page number (default: 1)")


def _color_option(p: argparse.ArgumentParser, help: str = "colour output (default: the config file's color, "
                  "or auto)") -> None:
    from .config import COLOR_CHOICES

    p.add_argument("--color", choices=COLOR_CHOICES, default=None, help=help)


def _filter_options(p: argparse.ArgumentParser) -> None:
    from .models import SORT_NAMES, SORTS

    p.add_argument("--plain", action="store_true",
                   help="read the query as plain words: no operators, fields or dates (for pasted text)")
    p.add_argument("--sort", choices=SORTS, default=SORTS[0],
                   help="order of hits: " + ", ".join(f"{s} ({'default' if s == SORTS[0] else SORT_NAMES[s]})"
                                                      for s in SORTS))
    p.add_argument("--outlet", metavar="NAME", action="append",
                   help="only articles from this outlet: its name in any case, or the one name it "
                   "begins (tib for Tibetan Review); repeat for several: articles from any of them")
    p.add_argument("--not-outlet", metavar="NAME", action="append",
                   help="leave out articles from this outlet (named as for --outlet; repeatable)")
    p.add_argument("--lang", metavar="CODE", action="append",
                   help="only articles in this language (ISO 639-1 code: ru, de, uk); repeat for "
                   "several: articles in any of them")
    p.add_argument("--since", type=_date_arg(False), metavar="DATE",
                   help=f"only articles published on or after DATE ({DATE_FORMS}; a year or month "
                   "means its first day)")
    p.add_argument("--until", type=_date_arg(True), metavar="DATE",
                   help=f"only articles published on or before DATE ({DATE_FORMS}; a year or month "
                   "means its last day)")
    p.add_argument("--no-update", action="store_true", help="do not update a stale index first")


def _json_option(p: argparse.ArgumentParser, help: str = "JSON output") -> None:
    p.add_argument("--json", action="store_true", help=help)


# -- The commands, in the order `searchkit --help` lists them ---------------------------------


def _index_command(commands: argparse._SubParsersAction) -> None:
    p = _add(commands, "index", "build or update the index of a corpus folder",
             "Build or update the index of CORPUS. Only new, changed and deleted files cost work; "
             "a full build replaces the live index only once it is complete.",
             ("searchkit index                      # ./seeds into ./index",
              "searchkit index ~/news --index ~/news-index",
              "searchkit index ~/news --rebuild --jobs 2"))
    p.add_argument("corpus", nargs="?", metavar="CORPUS",
                   help="folder of articles (default: $SEARCHKIT_CORPUS, the config file's corpus, or ./seeds)")
    _index_option(p)
    p.add_argument("--rebuild", action="store_true", help="start from an empty index (needed after an upgrade "
                   "that changes the index format)")
    p.add_argument("--max-size", type=_positive_int, metavar="MB", default=50,
                   help="skip files larger than this many megabytes (default: 50)")
    p.add_argument("--jobs", type=_positive_int, metavar="N", default=1,
                   help="worker processes for a full build of more than 2,000 files (default: 1)")
    p.add_argument("--include", action="append", metavar="GLOB",
                   help="read only files matching GLOB (repeatable; '*.pdf', '2024/**'); remembered for later runs")
    p.add_argument("--exclude", action="append", metavar="GLOB",
                   help="skip files and folders matching GLOB (repeatable; 'drafts', '*.csv'); remembered")
    p.add_argument("--no-filter", action="store_true", help="forget the remembered --include/--exclude globs")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")


def _query_command(commands: argparse._SubParsersAction) -> None:
    from .models import FACET_DATE_UNITS, QUERY_PATHS

    p = _add(commands, "query", "search the index and print ranked hits",
             "Search the index. QUERY uses the query language: words, \"phrases\", \"near words\"~5, "
             "AND/OR/NOT, -word, +word, satell*, word~, title:, body:, outlet:, lang:ru, "
             f"date:2024-04, date:>=2024-04-07, date:[2024-04-01 TO 2024-04-08] (dates: {DATE_FORMS}). "
             "A QUERY of * (or none) lists every article, newest first. QUERY - reads it from "
             "standard input. Exit status: 0 found, 1 nothing found, 2 error. " + SETTINGS_NOTE,
             ("searchkit query nitrocellulose",
              "searchkit query '\"satellite imagery\" NOT drone' --since 2024-04 --json",
              "searchkit query china --outlet Forbes --outlet 'EU Today' --sort -date",
              "searchkit query -c china                 # just the number of matches",
              "pbpaste | searchkit query --plain -      # pasted prose as words"))
    p.add_argument("query", nargs="*", metavar="QUERY",
                   help="the query; several arguments are joined with spaces; - reads standard input")
    _index_option(p)
    _corpus_option(p)
    p.add_argument("--like", metavar="FILE",
                   help="find the articles that share the most content with the passage in FILE "
                   "(- for standard input) instead of a query")
    _page_options(p)
    _filter_options(p)
    p.add_argument("--facets", action="store_true", help="also count matches by outlet, date and language")
    p.add_argument("--facet-dates", choices=FACET_DATE_UNITS, default=FACET_DATE_UNITS[0],
                   help=f"unit of the date facet (default: {FACET_DATE_UNITS[0]})")
    p.add_argument("--expand", action="store_true",
                   help="add the best hits' key words to the query (pseudo-relevance feedback)")
    output = p.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true",
                        help="JSON Lines: a summary line, one object per hit, then facets if asked")
    output.add_argument("-c", "--count", action="store_true", help="print only the number of matches")
    output.add_argument("-l", "--files", action="store_true",
                        help="print only the paths of the matching files, every match, best first")
    output.add_argument("-q", "--quiet", action="store_true",
                        help="print nothing; the exit status says whether anything matched")
    _color_option(p, "colour output (default: the config file's color, or auto: on a terminal unless "
                  "NO_COLOR is set; --color always wins over NO_COLOR)")
    p.add_argument("--no-collapse", action="store_true",
                   help="show every copy of a story as its own hit (default: one hit per story, "
                        "its other matching versions named under it, in relevance order; sorted by "
                        "date every article is shown; the config file's collapse)")
    p.add_argument("--explain", action="store_true",
                   help="also say how the search ran: the compiled query, the path taken, the words "
                   "dropped and the time of each stage (on stderr; with --json, a last line)")
    p.add_argument("--path", choices=QUERY_PATHS, default="auto",
                   help="how match sets are computed: sets, numpy (packed postings), or auto (sets "
                   "unless the search reads enough to pay for importing numpy); the results are the "
                   "same (default: auto)")
    p.add_argument("--save", metavar="NAME",
                   help="also save the query and its filters as NAME (replacing a saved search of that "
                   "name), its matches as seen: `searchkit saved` then counts what is new (default: not saved)")


def _saved_command(commands: argparse._SubParsersAction) -> None:
    p = _add(commands, "saved", "list saved searches with their new matches, or run one",
             "Saved searches, shared by the command line, the shell and `searchkit serve` (one file in "
             "the user data folder). With no NAME: each with its number of matches on the index and how "
             "many are new since it was last viewed there. With NAME (any case): run it, printed as "
             "`query` prints hits with the new ones marked, and mark its matches seen. Save one with "
             "`searchkit query ... --save NAME`. Exit status: 0 found, 1 nothing found (or nothing "
             "saved), 2 error.",
             ("searchkit query satellite --not-outlet forbes --save satellite",
              "searchkit saved                      # each with its new matches",
              "searchkit saved satellite            # run it; its matches are then seen",
              "searchkit saved --json | jq -r 'select(.new > 0) | .name'",
              "searchkit saved --delete satellite"))
    p.add_argument("name", nargs="?", metavar="NAME", help="the saved search to run (or to delete)")
    p.add_argument("--delete", action="store_true", help="forget the saved search NAME")
    _index_option(p)
    _corpus_option(p)
    _page_options(p)
    _json_option(p, "JSON Lines: one object per saved search (name, query, filters, new, total, "
                 "saved_at, viewed_at); with NAME, as `query --json` with \"new\" on each hit")
    _color_option(p)
    p.add_argument("--no-update", action="store_true", help="do not update a stale index first")


def _export_command(commands: argparse._SubParsersAction) -> None:
    from .models import DEFAULT_EXPORT_FORMAT, EXPORT_FORMATS

    p = _add(commands, "export", "write every match of a query to a file to cite (CSV, JSON Lines, Markdown, HTML)",
             "Write every match of QUERY (not one page) with rank, score, id, path, title, outlet, "
             "date, URL and the matched passages with their character offsets, plus the query, "
             "filters, time, index and generation, so the list can be cited and run again. "
             "Markdown is a citation list for a story memo; HTML is one self-contained page.",
             ("searchkit export 'satellite imagery' -o sources.csv",
              "searchkit export '\"shock waves\"' --format md > memo-sources.md",
              "searchkit export china --outlet Forbes --since 2024 -o china.html",
              "searchkit export '*' --format jsonl -o everything.jsonl"))
    p.add_argument("query", nargs="*", metavar="QUERY",
                   help="the query (as for `searchkit query`; * or none: every article; - reads standard input)")
    p.add_argument("--format", choices=EXPORT_FORMATS, default=None,
                   help=f"output format (default: from the -o file's suffix, else {DEFAULT_EXPORT_FORMAT})")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    _index_option(p)
    _corpus_option(p)
    _filter_options(p)


def _similar_command(commands: argparse._SubParsersAction) -> None:
    p = _add(commands, "similar", "the articles that share the most content with a document",
             "Find where a document's content appears elsewhere: the articles sharing the most of "
             "its telling words, ranked, the shared words highlighted (printed as `query` prints hits).",
             ("searchkit similar 000_65e520f3d9f0041d.txt", "searchkit similar notes/tip.eml --json",
              "searchkit query --like pasted.txt        # a passage instead of a document"))
    p.add_argument("doc_id", metavar="DOC_ID", help="the article's id (its path relative to the corpus)")
    _index_option(p)
    _page_options(p)
    _json_option(p, "JSON Lines output: a summary line, one object per hit")
    _color_option(p)


def _inspect_commands(commands: argparse._SubParsersAction) -> None:
    """stats, show and check: what the index holds, one article, whether the files are sound."""
    p = _add(commands, "stats", "show what the index holds",
             "Show what the index holds: documents, outlets with their counts (and how many have "
             "none), the date range (and how many are undated), the corpus and the last update.",
             ("searchkit stats", "searchkit stats --index ~/news-index --json"))
    _index_option(p)
    _json_option(p)

    p = _add(commands, "show", "print one article with its metadata and provenance",
             "Print one article: its title, outlet and date with where each came from (the text "
             "or metadata.toml), its URL and file, then its full text.",
             ("searchkit show 000_65e520f3d9f0041d.txt",
              "searchkit show seeds/000_65e520f3d9f0041d.txt      # a path works too",
              "searchkit show \"$(searchkit query -l china | head -1)\" --json"))
    p.add_argument("doc_id", metavar="DOC",
                   help="the article: its id (as hits show it), or the path of its file, absolute or "
                   "relative to the current folder")
    _index_option(p)
    _json_option(p)

    p = _add(commands, "check", "verify the index files' checksums and document count",
             "Verify every file of the index against the sizes and xxh3 checksums recorded when it "
             "was written, that it opens, and its document count (Lucene's CheckIndex, SQLite's "
             "integrity_check). Exit status: 0 sound, 1 damaged, 2 could not check.",
             ("searchkit check", "searchkit check --index ~/news-index --json"))
    _index_option(p)
    _json_option(p)


def _stories_commands(commands: argparse._SubParsersAction) -> None:
    """stories, compare, credits and timeline: how a report spread."""
    p = _add(commands, "stories", "the stories: articles that copy or rewrite one report, with outlets, dates, "
             "credits and the earliest dated one",
             "Group the articles that tell one story (copies and paraphrases of one report, across "
             "outlets), the biggest first: a headline, the articles by date (undated ones last, never "
             "placed by guess), whom each credits, and the earliest dated one. With QUERY, only the "
             "stories of its matches.",
             ("searchkit stories", "searchkit stories yellen --json",
              "searchkit stories 'outlet:forbes OR outlet:\"EU Today\"'",
              "searchkit stories --recompute --spark 'local[2]'"))
    _subset_options(p, "only the stories of this query's matches", "JSON Lines output, one object per story")
    p.add_argument("--recompute", action="store_true",
                   help="group every article of the index again and store the stories (what `index` does after a build)")
    p.add_argument("--spark", metavar="MASTER",
                   help="with --recompute: compute on Apache Spark (local[2], local-cluster[2,1,1024], spark://host:7077); "
                        "the same stories as in this process (needs searchkit[spark] and Java 17); default: in this process")
    p.add_argument("--from", dest="inputs", metavar="FILE",
                   help="with --spark: read the index's documents from this JSON Lines or Parquet file of story inputs "
                        "(doc_id, text, title, outlet, date, url; a path or URL every executor can read); "
                        "default: the index's own documents (an OpenSearch index: read by the executors)")

    p = _add(commands, "compare", "what two articles share (verbatim, reworded) and what each adds",
             "The passages two articles share, = verbatim and ~ reworded, and what each has alone "
             "(+: what that outlet added); side by side on a wide terminal.",
             ("searchkit compare 000_65e520f3d9f0041d.txt 001_9c9abb03a0ba5449.txt",
              "searchkit compare A.txt B.txt --json | jq '.shared[] | select(.kind == \"verbatim\")'"))
    p.add_argument("doc_a", metavar="DOC_A", help="an article id (as `query` or `stories` prints it)")
    p.add_argument("doc_b", metavar="DOC_B", help="another article id")
    _index_option(p)
    _json_option(p, "JSON output with character offsets into each text")

    p = _add(commands, "credits", "which sources are credited, by which outlets, how often",
             "The outlets and agencies the articles credit (\"citing Bloomberg\", \"told the AP\"), "
             "with the outlets that credit each and in how many articles (identical copies: how many "
             "distinct texts). --json lists the articles behind every count. An outlet's own byline, "
             "dateline or footer is never a credit, and no list of known outlets is needed.",
             ("searchkit credits", "searchkit credits china --json"))
    _subset_options(p, "only the credits of this query's matches", "JSON Lines output, one object per source")

    p = _add(commands, "timeline", "articles per day per outlet, as a chart",
             "How a story spread: the articles per day and outlet as a bar chart, undated ones on a "
             "line of their own.",
             ("searchkit timeline", "searchkit timeline 'story:s9b2b0b4335' --json"))
    _subset_options(p, "only this query's matches", "JSON Lines output, one object per day")


def _subset_options(p: argparse.ArgumentParser, query_help: str, json_help: str) -> None:
    """A query that narrows what a command reads, the index, --plain and --json."""
    p.add_argument("query", nargs="*", metavar="QUERY", help=query_help)
    _index_option(p)
    p.add_argument("--plain", action="store_true", help="read the query as plain words (no operators)")
    _json_option(p, json_help)


def _shell_command(commands: argparse._SubParsersAction) -> None:
    p = _add(commands, "shell", "interactive search shell",
             "An interactive prompt: type a query to see ranked hits, :open N to read one, :help "
             "for the commands. Completion, highlighting as you type, standing filters, history "
             "(see --no-history and the config file's history setting).",
             ("searchkit shell", "searchkit shell --index ~/news-index --no-history",
              "searchkit shell < queries.txt            # one query per line, no prompt"))
    _index_option(p)
    _corpus_option(p)
    p.add_argument("--no-history", action="store_true",
                   help="keep no history of this session on disk (for sensitive stories)")


def _serve_command(commands: argparse._SubParsersAction) -> None:
    p = _add(commands, "serve", "the web page: search, read, compare outlets, follow stories",
             "Serve the index as a web page on this computer: search with facets and a date "
             "histogram, read articles with their hits marked, stories, comparisons, the timeline and "
             "credits; every page has a .json twin. Listens on 127.0.0.1 only unless --host says "
             "otherwise. Prints its address; Ctrl-C stops it.",
             ("searchkit serve", "searchkit serve --index ~/news-index --port 8080 --open",
              "searchkit serve --port 0            # any free port"))
    _index_option(p)
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this computer only; another address "
                   "lets anyone on that network read the collection)")
    p.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 picks a free one)")
    p.add_argument("--open", action="store_true", help="open the page in the web browser")


def _tool_commands(commands: argparse._SubParsersAction) -> None:
    """config, completion and man: about searchkit itself."""
    p = _add(commands, "config", "show the effective settings and where each came from",
             "Show every setting (index, corpus, color, limit, collapse, history) with its effective "
             "value and its source: flag, environment (SEARCHKIT_*), the config file, or the default. "
             "The config file is TOML in the user config folder (or $SEARCHKIT_CONFIG).",
             ("searchkit config", "searchkit config --json", "SEARCHKIT_LIMIT=20 searchkit config"))
    _json_option(p)
    p.add_argument("--path", action="store_true", help="print only the config file's path")

    p = _add(commands, "completion", "print a shell completion script (bash, zsh or fish)",
             "Print a completion script for SHELL, generated from searchkit's own options.",
             ("searchkit completion bash > ~/.local/share/bash-completion/completions/searchkit",
              "searchkit completion zsh > \"${fpath[1]}/_searchkit\"",
              "searchkit completion fish > ~/.config/fish/completions/searchkit.fish"))
    p.add_argument("shell", choices=COMPLETION_SHELLS, metavar="SHELL", help="bash, zsh or fish")

    _add(commands, "man", "print the manual page (roff)",
         "Print searchkit's manual page in roff, generated from its options.",
         ("searchkit man | man -l -", "searchkit man > ~/.local/share/man/man1/searchkit.1"))
