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
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from .cliparser import EXIT_ERROR, EXIT_FOUND, EXIT_NOT_FOUND, build_parser
from .errors import SearchkitError

if TYPE_CHECKING:
    from .api import Index
    from .models import Results
    from .render import Style


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
    args = parser.parse_args(_joined_sort(argv))
    # Each command NAME is handled by cmd_NAME (tests/test_docs.py checks every one has it).
    handler = globals()[f"cmd_{args.command.replace('-', '_')}"]
    try:
        from .config import Config

        args.config = Config()
        return int(handler(args))
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


def _joined_sort(argv: list[str]) -> list[str]:
    """``--sort -date`` as ``--sort=-date``: argparse would take -date for an option."""
    out: list[str] = []
    for arg in argv:
        if out and out[-1] == "--sort" and arg.startswith("-") and arg != "--":
            out[-1] = f"--sort={arg}"
        else:
            out.append(arg)
    return out


def _error(message: str) -> int:
    from .sanitize import safe

    first_line = message.strip().splitlines()[0] if message.strip() else "unknown error"
    print(f"searchkit: error: {safe(first_line)}", file=sys.stderr)
    return EXIT_ERROR


def index_dir(args: argparse.Namespace) -> Path | str:
    """The --index given: a folder, or a URL kept as written (a Path would fold its //)."""
    from .engine import is_url

    if getattr(args, "insecure", False):
        os.environ["SEARCHKIT_OPENSEARCH_INSECURE"] = "1"  # read where the URL is parsed
    value = args.config.value("index", getattr(args, "index", None))
    return value if is_url(value) else Path(value)


def corpus_dir(args: argparse.Namespace) -> Path:
    return Path(args.config.value("corpus", getattr(args, "corpus", None)))


# --------------------------------------------------------------------------------------------
# index


def cmd_index(args: argparse.Namespace) -> int:
    from . import api
    from .render import summary_line

    progress = _Progress() if sys.stderr.isatty() and not args.quiet else None
    include = tuple(args.include or ()) or None
    exclude = tuple(args.exclude or ()) or None
    if args.no_filter or include is not None or exclude is not None:
        include, exclude = include or (), exclude or ()
    try:
        ix = api.build_index(corpus_dir(args), index_dir(args), rebuild=args.rebuild,
                             max_bytes=args.max_size * 1024 * 1024, progress=progress, procs=args.jobs,
                             include=include, exclude=exclude)
    finally:
        if progress is not None:
            progress.clear()
    summary = ix.summary
    ix.close()
    assert summary is not None
    from .render import safe

    for warning in summary.warnings:
        print(f"searchkit: warning: {safe(warning)}", file=sys.stderr)
    for skipped in summary.skipped:
        print(f"searchkit: skipped {safe(skipped.rel_path)}: {safe(skipped.reason)}", file=sys.stderr)
    if not args.quiet:
        print(summary_line(summary, str(ix.location)))
    return EXIT_FOUND


class _Progress:
    """A one-line progress bar by bytes, with the file being read and an ETA, on stderr (only
    used when stderr is a terminal). A ticker redraws it twice a second, so the elapsed time
    moves while one large file is read or the index is written."""

    WIDTH = 30

    def __init__(self, stream: TextIO | None = None, tick: float = 0.5) -> None:
        import threading

        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.done = self.total = 0
        self.current = None  # type: str | None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, args=(tick,), daemon=True)
        self._ticker.start()

    def __call__(self, done: int, total: int, current: str) -> None:
        with self._lock:
            self.done, self.total, self.current = done, total, current
        now = time.monotonic()
        if now - self._last_draw >= 0.1 or not current:  # 200,000 small files: not a line each
            self.draw()

    _last_draw = 0.0

    def _tick(self, every: float) -> None:
        while not self._stop.wait(every):
            if self.current is not None:
                self.draw()

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        fraction = self.done / self.total if self.total else 1.0
        filled = int(self.WIDTH * fraction)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        sizes = f"{_megabytes(self.done)}/{_megabytes(self.total)} MB"
        if self.current:
            from .render import safe

            what = f"reading {safe(self.current)[-40:]}"
            eta = f", ETA {elapsed / fraction - elapsed:.0f}s" if fraction > 0.02 else ""
        else:
            what, eta = "writing the index", ""
        return f"\rindexing [{bar}] {sizes} · {what} · {elapsed:.0f}s{eta}"

    def draw(self) -> None:
        with self._lock:
            self._last_draw = time.monotonic()
            self.stream.write(self.line() + "\x1b[K")
            self.stream.flush()

    def clear(self) -> None:
        self._stop.set()
        with self._lock:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _megabytes(n: int) -> str:
    return f"{n / 1_048_576:.1f}"


# --------------------------------------------------------------------------------------------
# query


def open_fresh_index(args: argparse.Namespace, *, update: bool = True, exact: bool = True,
                     one_shot: bool = True) -> Index:
    """The index of the command line's arguments, built or updated first when needed
    (see :func:`searchkit.api.open_fresh`); what was done is said on stderr. ``one_shot``:
    the command searches and exits (:attr:`searchkit.Index.one_shot`); the shell does not."""
    from . import api

    corpus = args.config.get("corpus", getattr(args, "corpus", None))
    # A corpus named by flag or environment overrides the one the index records; the config
    # file's or the default only says what a missing index is built from.
    explicit = Path(corpus.value) if corpus.source == "flag" or corpus.source.startswith("environment") else None
    ix = api.open_fresh(index_dir(args), explicit, default_corpus=Path(corpus.value), update=update,
                        exact=exact, notify=lambda message: print(f"searchkit: {message}", file=sys.stderr))
    ix.one_shot = one_shot
    return ix


def query_text(args: argparse.Namespace) -> str:
    """The query of the command line: its words joined, or standard input for ``-``."""
    words = list(args.query)
    if words == ["-"]:
        if sys.stdin.isatty():
            raise SearchkitError("QUERY - reads the query from standard input, which is a terminal")
        return " ".join(sys.stdin.read().split())
    return " ".join(words)


def _query_error(exc: Exception, *, plain: bool) -> SearchkitError:
    """A rejected query's message, with the way out for pasted prose."""
    from .errors import OutletError

    message = str(exc)
    if plain or isinstance(exc, OutletError):
        return SearchkitError(message)
    return SearchkitError(f"{message} (use --plain to search these words as text)")


def operator_note(text: str, plain: bool) -> str | None:
    """For a long query with AND/OR/NOT in capitals (pasted prose, likely): a reminder that
    they are operators here, and of --plain."""
    from .querylang.lexer import capital_operators

    found = [] if plain else capital_operators(text)
    if not found:
        return None
    return (f"{'/'.join(found)} in capitals {'is an operator' if len(found) == 1 else 'are operators'}; "
            "use --plain to search every word as text")


def _filters(args: argparse.Namespace) -> dict:
    return {"plain": args.plain, "sort": args.sort, "outlet": args.outlet, "not_outlet": args.not_outlet,
            "since": args.since, "until": args.until, "lang": args.lang}


def cmd_query(args: argparse.Namespace) -> int:
    from .errors import QueryError

    limit = args.config.value("limit", args.limit)
    if args.like is not None:
        if args.query:
            raise SearchkitError("give a QUERY or --like FILE, not both")
        passage = _read_passage(args.like)
        with open_fresh_index(args, update=not args.no_update, exact=False) as ix:
            results = ix.similar(text=passage, limit=limit, page=args.page, outlet=args.outlet,
                                 since=args.since, until=args.until, lang=args.lang)
        return _print_results(results, args)
    text = query_text(args)
    note = operator_note(text, args.plain)
    if note and not args.quiet:
        print(f"searchkit: note: {note}", file=sys.stderr)
    ix = open_fresh_index(args, update=not args.no_update, exact=False)
    with ix:
        try:
            if args.files:
                return _print_files(ix, text, args)
            collapse = args.config.value("collapse", False if args.no_collapse else None)
            results = ix.search(
                text, limit=1 if args.count or args.quiet else limit, page=1 if args.count or args.quiet else args.page,
                facets=args.facets and not (args.count or args.quiet), facet_dates=args.facet_dates,
                expand=args.expand, snippets=not (args.count or args.quiet), collapse=collapse, **_filters(args),
                path=args.path, explain=args.explain,
            )
            if args.save is not None:
                _save(ix, args.save, text, {**_filters(args), "collapse": False if args.no_collapse else None})
        except QueryError as exc:
            raise _query_error(exc, plain=args.plain) from None
    return _print_results(results, args)


def _save(ix: Index, name: str, text: str, filters: dict) -> None:
    from .render import plural, safe
    from .saved import SavedSearches

    store = SavedSearches()
    saved = store.save(name, text, filters, index=ix)
    print(f"searchkit: saved as {safe(saved.name)!r} ({plural(saved.total or 0, 'match', 'matches')}, now seen; "
          f"`searchkit saved` counts new ones) in {safe(str(store.path))}", file=sys.stderr)


def _read_passage(name: str) -> str:
    """The text of ``--like FILE`` (``-``: standard input)."""
    if name == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(name).read_bytes()
        except OSError as exc:
            raise SearchkitError(f"cannot read {name}: {exc.strerror or exc}") from None
    text = data.decode("utf-8", errors="replace")
    if not text.strip():
        raise SearchkitError(f"nothing to search for: {'standard input' if name == '-' else name} is empty")
    return text


def cmd_similar(args: argparse.Namespace) -> int:
    from . import api

    with api.open_index(index_dir(args)) as ix:
        ix.one_shot = True
        results = ix.similar(doc_id=args.doc_id, limit=args.config.value("limit", args.limit), page=args.page)
    return _print_results(results, args)


def _print_results(results: Results, args: argparse.Namespace, *, new: frozenset[str] | None = None) -> int:
    """Hits as ``query`` prints them (text, JSON Lines, a count or nothing); notices on stderr.
    ``new``: a saved search's new matches, marked."""
    from .render import Style, ignored_note, results_text, use_color

    quiet, count = getattr(args, "quiet", False), getattr(args, "count", False)
    status = EXIT_FOUND if results.total else EXIT_NOT_FOUND
    if results.explain is not None and not args.json:
        from .render import explain_text

        sys.stderr.write(explain_text(results.explain, results.elapsed))
    if quiet:
        return status
    if count:
        print(results.total)
    if results.undated_excluded and (count or args.json):
        from .render import undated_note

        print(f"searchkit: {undated_note(results.undated_excluded)}", file=sys.stderr)
    if count:
        return status
    if results.ignored:
        print(f"searchkit: {ignored_note(results.ignored)}", file=sys.stderr)
    for notice in results.notices:
        print(f"searchkit: {notice}", file=sys.stderr)
    past_end = bool(results.total and not results.hits)
    if args.json:
        from .render import safe, write_json_lines

        write_json_lines(results, new=new)
        if results.suggestion:
            print(f"searchkit: did you mean: {safe(results.suggestion)}", file=sys.stderr)
        if results.expansion:
            print(f"searchkit: expanded with: {safe(' '.join(results.expansion))}", file=sys.stderr)
    elif not past_end:
        style = Style(use_color(args.config.value("color", args.color), sys.stdout))
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        sys.stdout.write(results_text(results, style, width=width, new=new or frozenset()))
    sys.stdout.flush()
    if past_end:
        print(f"searchkit: page {results.page} is past the last page ({results.pages} of {results.limit} hits "
              f"for {results.total} {'match' if results.total == 1 else 'matches'})", file=sys.stderr)
        return EXIT_NOT_FOUND
    return status


def _print_files(ix: Index, text: str, args: argparse.Namespace) -> int:
    """``-l``: the path of every matching file, once, best first (like ``rg -l``)."""
    seen: set[str] = set()
    for hit in ix.export(text, snippets=False, **_filters(args)):
        path = str(hit.path)
        if path not in seen:
            seen.add(path)
            sys.stdout.write(path + "\n")
    sys.stdout.flush()
    return EXIT_FOUND if seen else EXIT_NOT_FOUND


def cmd_export(args: argparse.Namespace) -> int:
    from . import export
    from .errors import QueryError

    text = query_text(args)
    fmt = export.format_for(args.output, args.format)
    ix = open_fresh_index(args, update=not args.no_update, exact=False)
    with ix:
        try:
            found = ix.export(text, **_filters(args))
        except QueryError as exc:
            raise _query_error(exc, plain=args.plain) from None
        if args.output:
            from .atomic import atomic_file

            target = Path(args.output)
            try:
                with atomic_file(target, newline="") as out:
                    n = export.write(fmt, found.info, found, out, documents=ix.document)
            except OSError as exc:
                raise SearchkitError(f"cannot write {target}: {exc.strerror or exc}") from None
            print(f"searchkit: wrote {n} {'match' if n == 1 else 'matches'} to {target} ({fmt})", file=sys.stderr)
        else:
            n = export.write(fmt, found.info, found, sys.stdout, documents=ix.document)
            sys.stdout.flush()
        if found.info.undated_excluded:
            from .render import undated_note

            print(f"searchkit: {undated_note(found.info.undated_excluded)}", file=sys.stderr)
    return EXIT_FOUND if n else EXIT_NOT_FOUND


# --------------------------------------------------------------------------------------------
# saved searches


def cmd_saved(args: argparse.Namespace) -> int:
    from .render import safe
    from .saved import SavedSearches, describe_filters

    store = SavedSearches()
    if args.delete:
        if not args.name:
            raise SearchkitError("--delete needs the NAME of the saved search to forget")
        gone = store.delete(args.name)
        print(f"searchkit: deleted the saved search {safe(gone.name)!r}", file=sys.stderr)
        return EXIT_FOUND
    with open_fresh_index(args, update=not args.no_update, exact=False) as ix:
        if not args.name:
            return _print_saved(store.list(ix), args)
        view = store.view(args.name, ix, page=args.page, limit=args.config.value("limit", args.limit),
                          collapse=args.config.value("collapse"))
    before = view.search
    since = f" since {_local_time(before.viewed_at)}" if before.viewed_at else " (never viewed on this index)"
    filters = " ".join(describe_filters(before.filters))
    print(f"searchkit: saved search {safe(before.name)!r}: {safe(before.query) or '*'}"
          f"{' ' + filters if filters else ''} · {before.new} new{since}", file=sys.stderr)
    return _print_results(view.results, args, new=view.new_ids)


def _print_saved(searches: list, args: argparse.Namespace) -> int:
    """``searchkit saved``: one line per saved search (or JSON Lines)."""
    from .render import Style, safe, use_color
    from .sanitize import json_line
    from .saved import describe_filters

    if not searches:
        print("searchkit: no saved searches yet; save one with `searchkit query ... --save NAME`", file=sys.stderr)
        return EXIT_NOT_FOUND
    if args.json:
        for search in searches:
            print(json_line(search.as_dict()))
        return EXIT_FOUND
    style = Style(use_color(args.config.value("color", args.color), sys.stdout))
    width = max(len(safe(s.name)) for s in searches)
    for search in searches:
        if search.error:
            counts = style.match("cannot run: ") + safe(search.error)
        else:
            new = f"{search.new} new"
            counts = f"{style.match(new) if search.new else style.dim(new)} of {search.total}"
        name = safe(search.name)
        what = " ".join([safe(search.query) or "*", *describe_filters(search.filters)])
        print(f"{style.title(name)}{' ' * (width - len(name))}  {counts}  {style.dim(what)}")
    return EXIT_FOUND


def _local_time(when: dt.datetime) -> str:
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


# --------------------------------------------------------------------------------------------
# stats, show, shell, config, completion, man


def cmd_stats(args: argparse.Namespace) -> int:
    from . import api
    from .render import Style, stats_json, stats_text, use_color
    from .sanitize import json_line

    with api.open_index(index_dir(args)) as ix:
        stats = ix.stats()
    if args.json:
        print(json_line(stats_json(stats)))
    else:
        sys.stdout.write(stats_text(stats, Style(use_color(args.config.value("color"), sys.stdout))))
    return EXIT_FOUND


def cmd_show(args: argparse.Namespace) -> int:
    from . import api
    from .render import Style, document_header, safe, use_color
    from .sanitize import json_line

    with api.open_index(index_dir(args)) as ix:
        doc = ix.document(args.doc_id)
    if args.json:
        from .render import document_json

        print(json_line(document_json(doc)))
        return EXIT_FOUND
    style = Style(use_color(args.config.value("color"), sys.stdout))
    sys.stdout.write("\n".join(document_header(doc, style)) + "\n\n")
    sys.stdout.write(safe(doc.text, keep_newlines=True).rstrip("\n") + "\n")
    return EXIT_FOUND


def _optional_query(args: argparse.Namespace) -> str | None:
    """The QUERY words of stories, credits and timeline, or None for the whole corpus."""
    return " ".join(args.query) if args.query else None


def cmd_stories(args: argparse.Namespace) -> int:
    from .render_stories import stories_json_lines, stories_text

    if args.spark and not args.recompute:
        raise SearchkitError("--spark computes the stories again: use it with --recompute")
    if args.inputs and not args.spark:
        raise SearchkitError("--from is the input of a Spark run: use it with --recompute --spark MASTER")
    if args.recompute:
        return _recompute_stories(args)
    return _report(args, lambda ix: ix.stories(_optional_query(args), plain=args.plain),
                   lambda ix, stories: stories_json_lines(stories, ix.document, ix.credits_of),
                   lambda ix, stories, style, width: stories_text(stories, ix.document, ix.credits_of, style))


def _recompute_stories(args: argparse.Namespace) -> int:
    import time

    from .build import recompute_stories
    from .sanitize import json_line

    if args.query:
        raise SearchkitError("--recompute groups the whole index: give no QUERY")
    started = time.perf_counter()
    count = recompute_stories(index_dir(args), spark=args.spark, inputs=args.inputs)
    where = f"on Spark ({args.spark})" if args.spark else "in this process"
    seconds = time.perf_counter() - started
    if args.json:
        print(json_line({"stories": count, "spark": args.spark, "seconds": round(seconds, 3)}))
    else:
        print(f"{count} {'story' if count == 1 else 'stories'} of two or more articles, recomputed {where} "
              f"in {seconds:.1f} s")
    return EXIT_FOUND


def cmd_compare(args: argparse.Namespace) -> int:
    from .render_stories import comparison_json, comparison_text
    from .sanitize import json_line

    _report(args, lambda ix: ix.compare(args.doc_a, args.doc_b),
            lambda ix, comparison: json_line(comparison_json(comparison)) + "\n",
            lambda ix, comparison, style, width: comparison_text(comparison, ix.document(args.doc_a),
                                                                 ix.document(args.doc_b), style, width=width))
    return EXIT_FOUND


def cmd_credits(args: argparse.Namespace) -> int:
    from .render_stories import credits_json_lines, credits_text

    return _report(args, lambda ix: ix.credit_sources(_optional_query(args), plain=args.plain),
                   lambda ix, counts: credits_json_lines(counts),
                   lambda ix, counts, style, width: credits_text(counts, style))


def cmd_timeline(args: argparse.Namespace) -> int:
    from .render_stories import timeline_json_lines, timeline_text

    return _report(args, lambda ix: ix.timeline(_optional_query(args), plain=args.plain),
                   lambda ix, timeline: timeline_json_lines(timeline),
                   lambda ix, timeline, style, width: timeline_text(timeline, style, width=width))


_T = TypeVar("_T")


def _report(args: argparse.Namespace, compute: Callable[[Index], _T], as_json: Callable[[Index, _T], str],
            as_text: Callable[[Index, _T, Style, int], str]) -> int:
    """The pattern of stories, compare, credits and timeline: compute from the index, print it
    as JSON Lines or as text for the terminal (coloured there, as wide as it is); exit 0 when
    there is something, 1 when not."""
    from . import api
    from .render import Style, use_color

    with api.open_index(index_dir(args)) as ix:
        data = compute(ix)
        if args.json:
            sys.stdout.write(as_json(ix, data))
        else:
            width = shutil.get_terminal_size().columns if sys.stdout.isatty() else 80
            sys.stdout.write(as_text(ix, data, Style(use_color("auto", sys.stdout)), width))
    return EXIT_FOUND if data else EXIT_NOT_FOUND


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
        docs = "" if report.documents is None else f", {report.documents} documents"
        # Said only once known: a damaged index's files were checked, not verified.
        what = ("" if not report.ok else "; sizes and checksums verified" if report.checksums
                else "; no checksums recorded")
        if report.files or report.checksums:
            print(f"index at {report.path}: {report.files} files, {size}{docs}{what}")
        else:  # a store that checks its own files (an OpenSearch cluster)
            print(f"index at {report.path}: {(docs or ', no documents readable')[2:]}")
        for note in report.notes:
            print(f"note: {note}")
        for file, problem in report.problems:
            print(f"damaged: {file + ' ' if file else ''}{problem}")
        print(f"damaged: {advice}" if advice else "ok")
    return EXIT_FOUND if report.ok else EXIT_NOT_FOUND


def cmd_shell(args: argparse.Namespace) -> int:
    from .shell import run_shell

    config = args.config
    history = "off" if args.no_history else config.value("history")
    return run_shell(open_fresh_index(args, one_shot=False), history=history, limit=config.value("limit"),
                     color=config.value("color"), collapse=config.value("collapse"))


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        from .web.server import serve
    except ImportError as exc:
        raise SearchkitError(f"searchkit serve needs its web packages ({exc.name} is missing): "
                             "pip install starlette jinja2 uvicorn") from None
    if not 0 <= args.port <= 65535:
        raise SearchkitError(f"--port must be between 0 and 65535, not {args.port}")
    return serve(index_dir(args), host=args.host, port=args.port, open_browser=args.open)


def cmd_config(args: argparse.Namespace) -> int:
    from .config import SETTINGS
    from .sanitize import json_line

    config = args.config
    if args.path:
        print(config.path)
        return EXIT_FOUND
    values = {s.name: config.get(s.name) for s in SETTINGS}
    if args.json:
        print(json_line({"config_file": str(config.path), "exists": config.path.exists(),
                         "settings": {k: {"value": v.value, "source": v.source} for k, v in values.items()}}))
        return EXIT_FOUND
    print(f"config file: {config.path}{'' if config.path.exists() else ' (none)'}")
    width = max(len(name) for name in values)
    for name, value in values.items():
        shown = str(value.value).lower() if isinstance(value.value, bool) else str(value.value)
        print(f"{name:<{width}}  {shown:<12}  {value.source}")
    return EXIT_FOUND


def cmd_completion(args: argparse.Namespace) -> int:
    from .clidocs import completion_script

    sys.stdout.write(completion_script(build_parser(), args.shell))
    return EXIT_FOUND


def cmd_man(args: argparse.Namespace) -> int:
    from .clidocs import man_page

    sys.stdout.write(man_page(build_parser()))
    return EXIT_FOUND
