"""The ``searchkit`` command: a thin layer over the library.

Exit status follows grep: 0 something found (or done), 1 nothing found, 2 an error, printed as
one line ``searchkit: error: ...`` on stderr. Heavy modules (Whoosh) are imported inside the
commands that need them, so ``--help`` and argument errors stay instant.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import SearchkitError

if TYPE_CHECKING:
    from .api import Index

DEFAULT_CORPUS = "seeds"
DEFAULT_INDEX = "index"
EXIT_FOUND, EXIT_NOT_FOUND, EXIT_ERROR = 0, 1, 2


class _ArgumentParser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit status 2, like the rest."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_ERROR, f"searchkit: error: {message} (see `{self.prog} --help`)\n")


def _date_arg(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (use YYYY-MM-DD)") from None


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = _ArgumentParser(
        prog="searchkit",
        description="Full-text search for a corpus of news articles.",
        epilog="Run `searchkit COMMAND --help` for a command's options. "
        "With no command on a terminal, opens the interactive shell.",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"searchkit {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="print a traceback on internal errors (also SEARCHKIT_DEBUG=1); any position")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_ArgumentParser)

    def index_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--index", metavar="DIR", help="index folder (default: $SEARCHKIT_INDEX or ./index)")

    p = commands.add_parser("index", help="build or update the index of a corpus folder",
                            description="Build or update the index of CORPUS (default: $SEARCHKIT_CORPUS or ./seeds). "
                            "Only new, changed and deleted files cost work.")
    p.add_argument("corpus", nargs="?", metavar="CORPUS")
    index_option(p)
    p.add_argument("--rebuild", action="store_true", help="start from an empty index")
    p.add_argument("--max-size", type=_positive_int, metavar="MB", default=50,
                   help="skip files larger than this (default 50)")
    p.add_argument("--jobs", type=_positive_int, metavar="N", default=1,
                   help="worker processes for a full build (default 1)")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")

    p = commands.add_parser("query", help="search the index and print ranked hits",
                            description="Search the index. QUERY uses the query language: words, "
                            "\"phrases\", AND/OR/NOT, -word, title:, outlet:, date: (see README).")
    p.add_argument("query", nargs="+", metavar="QUERY", help="the query (several arguments are joined)")
    index_option(p)
    p.add_argument("--corpus", metavar="DIR", help="corpus to index first if the index is missing or stale")
    p.add_argument("-n", "--limit", type=_positive_int, default=10, metavar="N", help="hits per page (default 10)")
    p.add_argument("--page", type=_positive_int, default=1, metavar="K", help="page number (default 1)")
    p.add_argument("--sort", choices=("relevance", "date", "-date"), default="relevance",
                   help="order of hits (date: oldest first; -date: newest first)")
    p.add_argument("--outlet", metavar="NAME", help="only articles from this outlet (case-insensitive)")
    p.add_argument("--since", type=_date_arg, metavar="DATE", help="only articles published on or after DATE")
    p.add_argument("--until", type=_date_arg, metavar="DATE", help="only articles published on or before DATE")
    p.add_argument("--facets", action="store_true", help="also count matches by outlet and date")
    p.add_argument("--facet-dates", choices=("day", "month"), default="day", help="date facet unit")
    p.add_argument("--plain", action="store_true", help="read the query as plain words (no operators)")
    p.add_argument("--expand", action="store_true",
                   help="add the best hits' key words to the query (pseudo-relevance feedback)")
    p.add_argument("--json", action="store_true", help="JSON Lines output, one object per hit")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour output")
    p.add_argument("--no-update", action="store_true", help="do not update a stale index first")

    p = commands.add_parser("stats", help="show what the index holds")
    index_option(p)
    p.add_argument("--json", action="store_true", help="JSON output")

    p = commands.add_parser("show", help="print one article with its metadata and provenance")
    p.add_argument("doc_id", metavar="DOC_ID", help="the article's path relative to the corpus")
    index_option(p)
    p.add_argument("--json", action="store_true", help="JSON output")

    p = commands.add_parser("check", help="verify the index files' checksums and document count",
                            description="Verify every file of the index against the sizes and checksums "
                            "recorded when it was written, and its document count. Exit status: 0 sound, "
                            "1 damaged, 2 could not check.")
    index_option(p)
    p.add_argument("--json", action="store_true", help="JSON output")

    p = commands.add_parser("shell", help="interactive search shell")
    index_option(p)
    p.add_argument("--corpus", metavar="DIR", help="corpus to index first if the index is missing or stale")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # --debug anywhere before a "--" (so `searchkit query -- --debug` still searches for it).
    end = argv.index("--") if "--" in argv else len(argv)
    debug = "--debug" in argv[:end] or os.environ.get("SEARCHKIT_DEBUG", "") not in ("", "0")
    argv = [a for i, a in enumerate(argv) if not (a == "--debug" and i < end)]
    _tolerant_output()
    parser = build_parser()
    if not argv:
        if sys.stdin.isatty() and sys.stdout.isatty():
            argv = ["shell"]
        else:
            parser.print_usage(sys.stderr)
            return EXIT_ERROR
    args = parser.parse_args(argv)
    handlers = {"index": cmd_index, "query": cmd_query, "stats": cmd_stats, "show": cmd_show,
                "shell": cmd_shell, "check": cmd_check}
    try:
        return handlers[args.command](args)
    except SearchkitError as exc:
        return _error(str(exc))
    except KeyboardInterrupt:
        print("searchkit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`searchkit query x | head`): not an error.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return EXIT_FOUND
    except OSError as exc:
        # The system refused something (a folder not readable, a disk that fails): the
        # user's to fix, said in one line.
        if debug:
            import traceback

            traceback.print_exc()
        return _error(describe_os_error(exc))
    except Exception as exc:  # noqa: BLE001 - the one place a bug becomes one line
        if debug:
            import traceback

            traceback.print_exc()
            return _error(f"internal error: {type(exc).__name__}: {exc}")
        return _error(f"internal error ({type(exc).__name__}: {exc}); this is a bug in searchkit: "
                      "please report it with the output of the same command run with --debug")


def describe_os_error(exc: OSError) -> str:
    """``exc`` as the end of a sentence a user can act on: what failed, and where."""
    what = exc.strerror or str(exc) or type(exc).__name__
    where = f": {exc.filename}" if exc.filename else ""
    return f"{what[:1].lower()}{what[1:]}{where}"


def _tolerant_output() -> None:
    """Characters the terminal's encoding cannot show become "?" rather than a crash
    (JSON output escapes them instead: see :func:`searchkit.sanitize.json_line`)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):
                pass


def _error(message: str) -> int:
    first_line = message.strip().splitlines()[0] if message.strip() else "unknown error"
    print(f"searchkit: error: {first_line}", file=sys.stderr)
    return EXIT_ERROR


def index_dir(args: argparse.Namespace) -> Path:
    return Path(args.index or os.environ.get("SEARCHKIT_INDEX") or DEFAULT_INDEX)


def corpus_dir(args: argparse.Namespace) -> Path:
    return Path(getattr(args, "corpus", None) or os.environ.get("SEARCHKIT_CORPUS") or DEFAULT_CORPUS)


# --------------------------------------------------------------------------------------------
# index


def cmd_index(args: argparse.Namespace) -> int:
    from . import api
    from .render import summary_line

    progress = _Progress() if sys.stderr.isatty() and not args.quiet else None
    try:
        ix = api.build_index(corpus_dir(args), index_dir(args), rebuild=args.rebuild,
                             max_bytes=args.max_size * 1024 * 1024, progress=progress, procs=args.jobs)
    finally:
        if progress is not None:
            progress.clear()
    summary = ix.summary
    ix.close()
    assert summary is not None
    for warning in summary.warnings:
        print(f"searchkit: warning: {warning}", file=sys.stderr)
    for skipped in summary.skipped:
        print(f"searchkit: skipped {skipped.rel_path}: {skipped.reason}", file=sys.stderr)
    if not args.quiet:
        print(summary_line(summary, str(index_dir(args))))
    return EXIT_FOUND


class _Progress:
    """A one-line progress bar with ETA on stderr (only used when stderr is a terminal)."""

    WIDTH = 30

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.last_draw = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last_draw < 0.1:
            return
        self.last_draw = now
        elapsed = now - self.started
        fraction = done / total if total else 1.0
        eta = elapsed / fraction - elapsed if fraction > 0 else 0.0
        filled = int(self.WIDTH * fraction)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        sys.stderr.write(f"\rindexing [{bar}] {done}/{total} files, {elapsed:.0f}s elapsed, ETA {eta:.0f}s ")
        sys.stderr.flush()

    def clear(self) -> None:
        sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()


# --------------------------------------------------------------------------------------------
# query


def open_fresh_index(args: argparse.Namespace, *, update: bool = True, exact: bool = True) -> Index:
    """The index of the command line's arguments, built or updated first when needed
    (see :func:`searchkit.api.open_fresh`); what was done is said on stderr."""
    from . import api

    explicit_corpus = getattr(args, "corpus", None) or os.environ.get("SEARCHKIT_CORPUS")
    return api.open_fresh(index_dir(args), Path(explicit_corpus) if explicit_corpus else None,
                          default_corpus=corpus_dir(args), update=update, exact=exact,
                          notify=lambda message: print(f"searchkit: {message}", file=sys.stderr))


def cmd_query(args: argparse.Namespace) -> int:
    from .render import Style, results_text, use_color, write_json_lines

    text = " ".join(args.query)
    ix = open_fresh_index(args, update=not args.no_update, exact=False)
    with ix:
        results = ix.search(
            text, limit=args.limit, page=args.page, plain=args.plain, sort=args.sort,
            outlet=args.outlet, since=args.since, until=args.until, facets=args.facets,
            facet_dates=args.facet_dates, expand=args.expand,
        )
    if args.json:
        write_json_lines(results)
        from .render import safe

        if results.suggestion:
            print(f"searchkit: did you mean: {safe(results.suggestion)}", file=sys.stderr)
        if results.expansion:
            print(f"searchkit: expanded with: {safe(' '.join(results.expansion))}", file=sys.stderr)
    else:
        style = Style(use_color(args.color, sys.stdout))
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        sys.stdout.write(results_text(results, style, width=width))
    sys.stdout.flush()
    return EXIT_FOUND if results.total else EXIT_NOT_FOUND


# --------------------------------------------------------------------------------------------
# stats, show, shell


def cmd_stats(args: argparse.Namespace) -> int:
    from . import api
    from .render import Style, stats_text, use_color
    from .sanitize import json_line

    with api.open_index(index_dir(args)) as ix:
        stats = ix.stats()
    if args.json:
        print(json_line({
            "path": str(stats.path), "corpus": str(stats.corpus) if stats.corpus else None,
            "documents": stats.documents, "outlets": stats.outlets,
            "first_date": stats.first_date.isoformat() if stats.first_date else None,
            "last_date": stats.last_date.isoformat() if stats.last_date else None,
            "undated": stats.undated,
            "last_update": stats.last_update.isoformat() if stats.last_update else None,
        }))
    else:
        sys.stdout.write(stats_text(stats, Style(use_color("auto", sys.stdout))))
    return EXIT_FOUND


def cmd_show(args: argparse.Namespace) -> int:
    from . import api
    from .render import Style, document_header, safe, use_color
    from .sanitize import json_line

    with api.open_index(index_dir(args)) as ix:
        doc = ix.document(args.doc_id)
    if args.json:
        meta = doc.meta
        print(json_line({
            "doc_id": doc.doc_id, "path": str(doc.path), "title": meta.title,
            "title_source": meta.title_source or None, "outlet": meta.outlet,
            "outlet_source": meta.outlet_source or None,
            "date": meta.date.isoformat() if meta.date else None,
            "date_source": meta.date_source or None, "url": meta.url, "sha256": doc.sha256,
            "size": doc.size, "text": doc.text,
        }))
        return EXIT_FOUND
    style = Style(use_color("auto", sys.stdout))
    sys.stdout.write("\n".join(document_header(doc, style)) + "\n\n")
    sys.stdout.write(safe(doc.text, keep_newlines=True).rstrip("\n") + "\n")
    return EXIT_FOUND


def cmd_check(args: argparse.Namespace) -> int:
    from . import api
    from .sanitize import json_line

    report = api.check_index(index_dir(args))
    advice = "" if report.ok else "run `searchkit index --rebuild` to rebuild it from the corpus"
    if args.json:
        print(json_line({
            "index": str(report.path), "generation": report.generation, "ok": report.ok,
            "checksums": report.checksums, "files": report.files, "bytes": report.bytes,
            "documents": report.documents,
            "problems": [{"file": f or None, "problem": what} for f, what in report.problems],
            "notes": list(report.notes), "advice": advice or None,
        }))
    else:
        size = f"{report.bytes / 1e6:.1f} MB" if report.bytes >= 100_000 else f"{report.bytes / 1e3:.1f} kB"
        what = "checksums verified" if report.checksums else "no checksums"
        docs = "" if report.documents is None else f", {report.documents} documents"
        print(f"index at {report.path}: {report.files} files, {size}, {what}{docs}")
        for note in report.notes:
            print(f"note: {note}")
        for file, problem in report.problems:
            print(f"damaged: {file + ' ' if file else ''}{problem}")
        print(f"damaged: {advice}" if advice else "ok")
    return EXIT_FOUND if report.ok else EXIT_NOT_FOUND


def cmd_shell(args: argparse.Namespace) -> int:
    from .shell import run_shell

    return run_shell(open_fresh_index(args))
