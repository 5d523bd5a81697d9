"""Interactive shell latency: time from Enter to the results drawn, in a real pseudo-terminal.

For each corpus (the seeds, and the 1400 Cranfield abstracts written as .txt files under
benchmarks/work/), the shell is started once under pexpect; each query is typed, the shell is
left to settle (completion, highlighting), then the clock runs from sending Enter until the
status line under the results has been read from the terminal. Also reported: the time the
shell itself prints in the status line, and the in-process time of ``Index.search`` alone
(same options), so the cost of the terminal layer can be seen.

    python benchmarks/shell_latency.py [--queries 30] [--only seeds|cranfield]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

import pexpect

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

WORK_DIR = HERE / "work"

SEED_QUERIES = [
    "satellite imagery", "nitrocellulose", "china", "russia ukraine", '"rocket fuel"',
    "microelectronics", "drones", "outlet:forbes china", "sanctions", "title:china",
    "military support", "satell*", "Bloomberg", "kremlin AND china", "chips OR optics",
    "machine tools", "Tibetan", "Blinken", '"machine tools" -satellite', "date:2024-04",
    "Hikvision", "neutrality", "turbojet engines", "Yellen", "integrated circuits",
    "US officials", "tanks", "geospatial intel", "europe", "trade",
]

# The status line the shell prints under every result set, and its error line.
STATUS_END = r"\((\d+(?:\.\d+)?) ms\)"
ERROR_LINE = r"error:(?:\x1b\[0m)? [^\r\n]*\r\n"
PROMPT = r"searchkit(?:\x1b\[[0-9;]*m)*(?: \[[^\]\n]*\])?(?:\x1b\[[0-9;]*m)*> "


def cranfield_corpus() -> Path:
    """The Cranfield abstracts as one .txt file each (title line, blank line, text)."""
    import cranfield

    folder = WORK_DIR / "shell-cranfield-corpus"
    docs = cranfield.read_documents()
    if folder.is_dir() and len(list(folder.glob("*.txt"))) == len(docs):
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        (folder / f"{int(doc.doc_id):04d}.txt").write_text(f"{doc.title}\n\n{doc.abstract()}\n", encoding="utf-8")
    return folder


def cranfield_queries(count: int) -> list[str]:
    import cranfield

    return [q.text.rstrip(" .") for q in cranfield.read_queries()[:count]]


def shell_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHKIT_") and k != "NO_COLOR"}
    history = WORK_DIR / "shell-bench-data"
    env.update({"TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1", "XDG_DATA_HOME": str(history),
                "HOME": str(history), "PAGER": "cat", "LANG": "C.UTF-8"})
    return env


def time_in_pty(index: Path, queries: list[str], settle: float) -> tuple[list[float], list[float], int]:
    """(Enter-to-status seconds, shell-reported seconds, errors) for each query in a pty."""
    child = pexpect.spawn(sys.executable, ["-m", "searchkit", "shell", "--index", str(index)],
                          cwd=str(REPO), env=shell_env(), dimensions=(50, 200), encoding="utf-8",
                          codec_errors="replace", timeout=60)
    child.delaybeforesend = None  # pexpect sleeps 50 ms before each send by default
    child.logfile_read = io.StringIO()
    child.expect("Type a query")
    child.expect(PROMPT)
    wall: list[float] = []
    reported: list[float] = []
    errors = 0
    for query in [queries[0], *queries]:  # the first one warms up and is not counted
        child.send(query)
        child.expect(pexpect.TIMEOUT, timeout=settle)  # let typing, highlighting, completion finish
        started = time.perf_counter()
        child.send("\r")
        which = child.expect([STATUS_END, ERROR_LINE])
        elapsed = time.perf_counter() - started
        shell_ms = float(child.match.group(1)) if which == 0 else None
        child.expect(PROMPT)
        wall.append(elapsed)
        if shell_ms is not None:
            reported.append(shell_ms / 1000)
        else:
            errors += 1
    child.send(":quit\r")
    child.expect(pexpect.EOF)
    return wall[1:], reported[1:], errors


def time_in_process(index: Path, queries: list[str], rounds: int = 3) -> list[float]:
    """Median over ``rounds`` of each query's ``Index.search`` time, in one open index."""
    import searchkit

    ix = searchkit.open_index(index)
    try:
        for query in queries:  # warm up
            _search(ix, query)
        per_query = []
        for query in queries:
            samples = []
            for _ in range(rounds):
                started = time.perf_counter()
                _search(ix, query)
                samples.append(time.perf_counter() - started)
            per_query.append(statistics.median(samples))
        return per_query
    finally:
        ix.close()


def _search(ix, query: str) -> None:  # type: ignore[no-untyped-def]
    from searchkit import QueryError

    try:
        ix.search(query, limit=10)
    except QueryError:
        pass


def _ms(values: list[float]) -> str:
    if not values:
        return "   n/a"
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return f"{statistics.median(values) * 1000:7.1f} ms (p90 {p90 * 1000:.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=30, help="queries per corpus (default 30)")
    parser.add_argument("--settle", type=float, default=0.4, help="seconds to wait after typing, before Enter")
    parser.add_argument("--only", choices=("seeds", "cranfield"))
    args = parser.parse_args()

    import searchkit

    corpora = []
    if args.only in (None, "seeds"):
        corpora.append(("seeds", REPO / "seeds", WORK_DIR / "shell-seeds-index", SEED_QUERIES[: args.queries]))
    if args.only in (None, "cranfield"):
        corpora.append(("cranfield", cranfield_corpus(), WORK_DIR / "shell-cranfield-index",
                        cranfield_queries(args.queries)))
    print(f"shell latency, {os.cpu_count()} cores; Enter -> status line read from the pty, "
          f"medians over the queries (first one is a warm-up)")
    for name, corpus, index, queries in corpora:
        ix = searchkit.build_index(corpus, index)
        documents = ix.stats().documents
        ix.close()
        wall, reported, errors = time_in_pty(index, queries, args.settle)
        search_only = time_in_process(index, queries)
        print(f"\n{name}: {documents} documents, {len(queries)} queries"
              + (f" ({errors} rejected by the parser)" if errors else ""))
        print(f"  Enter to results drawn (pty)   {_ms(wall)}")
        print(f"  time the shell reports         {_ms(reported)}")
        print(f"  Index.search alone (in-proc)   {_ms(search_only)}")


if __name__ == "__main__":
    main()
