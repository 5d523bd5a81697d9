"""`searchkit serve` at scale: what a search page costs the server against the library's own
search of the same query, and how many pages a second one server gives 1, 8 and 32 clients.

Run ``python benchmarks/web.py --n 20000`` (or ``make bench-web N=20000``) from the repository
root. In one run:

1. generates (or reuses) the corpus of N articles of ``benchmarks/scale.py`` (corpusgen, seed
   0) and its searchkit index under ``benchmarks/work/`` (git-ignored);
2. server time per page, in-process and interleaved with the baseline, medians over repeats:
   the web application (``searchkit.web.create_app``) called directly as an ASGI app (routing,
   security middleware, the page's library calls, the template), with no network; against the
   library's own ``Index.search_with`` of the same query with the options the page asks for
   (20 hits with snippets, outlet and date facets). The goal of issue 20: page <= 1.3 x
   library + 5 ms. The page's other work is timed on its own too: ``Index.more_facets`` (the
   story, credited-source and format facets a page adds), so a miss can be explained;
3. the same pages from a real ``searchkit serve`` process (uvicorn on 127.0.0.1, a free port)
   over loopback, one client: latency as a user's browser sees it;
4. throughput with 1, 8 and 32 concurrent clients (threads, one keep-alive connection each,
   cycling through the queries), each level bounded in time and requests: pages/s, latency
   p50/p95, errors (any status but 200, any failed connection).

The query set is scale.py's (words by frequency band, rare words, phrases, a date filter), so
figures compare with its tables. Prints a table and writes JSON under ``benchmarks/results/``
with the machine's load average (``uptime``): on a shared machine, quote ratios measured in
one run.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import http.client
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

import scale  # noqa: E402  (the corpus and the query set)

RESULTS_DIR = HERE / "results"
WORK_DIR = HERE / "work"
PER_PAGE = 20  # the page's default (searchkit.web.params.PER_PAGE)
KINDS = ("1 word (common)", "1 word (rare)", "2 words", "3 words", "phrase (collocation)",
         "phrase (from text)", "2 words, dated")


# --------------------------------------------------------------------------------------------
# Corpus, index, queries


def index_for(n: int, seed: int) -> Path:
    corpus = scale.corpus_for(n, seed)
    index = WORK_DIR / f"web-index-n{n}-s{seed}"
    done = WORK_DIR / f"web-index-n{n}-s{seed}.done"
    if not done.exists():
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "searchkit", "index", str(corpus), "--index", str(index), "-q"],
                       check=True, cwd=REPO)
        done.write_text(f"{time.perf_counter() - started:.1f} s\n")
    return index


def _day(value: int) -> str:
    return f"{value // 10000:04d}-{value // 100 % 100:02d}-{value % 100:02d}"


def page_params(query: scale.Query) -> list[tuple[str, str]]:
    """The /search URL parameters of a benchmark query."""
    text = " ".join(query.words)
    params = [("q", f'"{text}"' if query.phrase else text)]
    if query.since:
        params += [("since", _day(query.since)), ("until", _day(query.until))]
    return params


def queries_for(corpus: Path, seed: int, per_kind: int) -> list[scale.Query]:
    return [q for q in scale.make_queries(corpus, seed, per_kind) if q.kind in KINDS]


# --------------------------------------------------------------------------------------------
# In-process: the ASGI app called directly, against the library


class AsgiCaller:
    """Calls an ASGI app as a server would, without a network: one GET, the body back."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.loop = asyncio.new_event_loop()

    def get(self, path: str, query: str) -> tuple[int, bytes]:
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
                 "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
                 "root_path": "", "headers": [(b"host", b"127.0.0.1:8765"), (b"accept", b"text/html")],
                 "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8765), "state": {}}
        status = 0
        body: list[bytes] = []

        async def receive() -> dict:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))

        self.loop.run_until_complete(self.app(scope, receive, send))
        return status, b"".join(body)

    def close(self) -> None:
        self.loop.close()


def measure_in_process(index: Path, queries: list[scale.Query], repeats: int) -> dict:
    from searchkit import open_index
    from searchkit.models import SearchOptions
    from searchkit.web import create_app

    app = create_app(index, saved_path=WORK_DIR / "web-bench-data" / "saved_searches.json")
    caller = AsgiCaller(app)
    ix = open_index(index)

    def first_visit() -> None:
        """Forget the per-query caches (Index.more_facets keeps its last answers, for a
        search's next page and its .json twin): every timed page is a query's first visit,
        as the library's search it is compared with is."""
        site = app.app.state.site  # the Starlette app inside the security middleware
        for each in (site._index, ix):
            cache = getattr(each, "_more_facets_cache", None)
            if cache is not None:
                cache.clear()
    rows = []
    failures: list[dict] = []
    for query in queries:
        params = page_params(query)
        qs = urlencode(params)
        text = params[0][1]
        options = SearchOptions(limit=PER_PAGE, facets=True,
                                since=dt.date.fromisoformat(_day(query.since)) if query.since else None,
                                until=dt.date.fromisoformat(_day(query.until)) if query.until else None)
        # Warm both (the first search of a word reads its postings from disk).
        status, body = caller.get("/search", qs)
        if status != 200:  # reported in the JSON, not a crash: the other queries still count
            failures.append({"query": qs, "status": status, "body": body[:300].decode(errors="replace")})
            continue
        library = ix.search_with(text, options)
        ix.more_facets(text, options)
        total = re.search(rb'id="total">([\d,]+) match', body)
        page_total = int(total.group(1).replace(b",", b"")) if total else 0
        lib_times, page_times, more_times = [], [], []
        lib_cpu, page_cpu = [], []
        for _ in range(repeats):
            cpu, started = time.process_time(), time.perf_counter()
            ix.search_with(text, options)
            lib_times.append(time.perf_counter() - started)
            lib_cpu.append(time.process_time() - cpu)
            first_visit()
            cpu, started = time.process_time(), time.perf_counter()
            status, _ = caller.get("/search", qs)
            page_times.append(time.perf_counter() - started)
            page_cpu.append(time.process_time() - cpu)
            if status != 200:
                failures.append({"query": qs, "status": status})
            first_visit()
            started = time.perf_counter()
            ix.more_facets(text, options)
            more_times.append(time.perf_counter() - started)
        lib = statistics.median(lib_times) * 1000
        page = statistics.median(page_times) * 1000
        rows.append({"kind": query.kind, "query": qs, "total": library.total, "page_total": page_total,
                     "library_ms": round(lib, 2), "page_ms": round(page, 2),
                     # CPU time of this process: under load, wall time grows with the load.
                     "library_cpu_ms": round(statistics.median(lib_cpu) * 1000, 2),
                     "page_cpu_ms": round(statistics.median(page_cpu) * 1000, 2),
                     "more_facets_ms": round(statistics.median(more_times) * 1000, 2),
                     "ratio": round(page / lib, 2) if lib else None, "goal_ms": round(1.3 * lib + 5, 2),
                     "meets_goal": page <= 1.3 * lib + 5})
    ix.close()
    caller.close()
    return {"rows": rows, "by_kind": _by_kind(rows), "overall": _summary(rows), "failures": failures}


def _summary(rows: list[dict]) -> dict:
    lib = [r["library_ms"] for r in rows]
    page = [r["page_ms"] for r in rows]
    return {"queries": len(rows), "library_p50_ms": round(statistics.median(lib), 2),
            "page_p50_ms": round(statistics.median(page), 2),
            "library_p95_ms": round(scale._pct(lib, 0.95), 2), "page_p95_ms": round(scale._pct(page, 0.95), 2),
            "more_facets_p50_ms": round(statistics.median(r["more_facets_ms"] for r in rows), 2),
            # The page's own work: view, links, template, ASGI (page less both library calls).
            "rest_p50_ms": round(statistics.median(r["page_ms"] - r["library_ms"] - r["more_facets_ms"]
                                                   for r in rows), 2),
            "ratio_p50": round(statistics.median(r["ratio"] for r in rows if r["ratio"]), 2),
            "cpu_ratio_p50": round(statistics.median(r["page_cpu_ms"] / r["library_cpu_ms"] for r in rows
                                                     if r["library_cpu_ms"]), 2),
            "meeting_goal": sum(r["meets_goal"] for r in rows),
            "totals_agree": sum(r["total"] == r["page_total"] for r in rows)}


def _by_kind(rows: list[dict]) -> dict:
    out = {}
    for kind in KINDS:
        mine = [r for r in rows if r["kind"] == kind]
        if mine:
            out[kind] = _summary(mine)
    return out


# --------------------------------------------------------------------------------------------
# A real server over loopback


class Server:
    """`searchkit serve` on a free port of 127.0.0.1, as a user starts it."""

    def __init__(self, index: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHKIT_")}
        env["XDG_DATA_HOME"] = str(WORK_DIR / "web-bench-data")
        self.process = subprocess.Popen([sys.executable, "-m", "searchkit", "serve", "--index", str(index),
                                         "--port", "0"], env=env, stderr=subprocess.PIPE, text=True, cwd=REPO)
        assert self.process.stderr is not None
        line = self.process.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not found:
            self.process.kill()
            raise SystemExit(f"searchkit serve did not start: {line}{self.process.stderr.read()}")
        self.port = int(found.group(1))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _get(conn: http.client.HTTPConnection, url: str) -> int:
    conn.request("GET", url, headers={"Host": f"127.0.0.1:{conn.port}"})
    response = conn.getresponse()
    response.read()
    return response.status


def measure_loopback(port: int, urls: list[str], repeats: int) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    errors: list[str] = []

    def get(url: str) -> int | None:
        """The status, or None after an error (recorded; a new connection is opened)."""
        nonlocal conn
        try:
            return _get(conn, url)
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            return None

    for url in urls:
        get(url)
    times = []
    for _ in range(repeats):
        for url in urls:
            started = time.perf_counter()
            status = get(url)
            if status == 200:
                times.append(time.perf_counter() - started)
            elif status is not None:
                errors.append(f"status {status}")
    conn.close()
    ms = [t * 1000 for t in times]
    return {"requests": len(ms), "p50_ms": round(statistics.median(ms), 2) if ms else None,
            "p95_ms": round(scale._pct(ms, 0.95), 2) if ms else None,
            "errors": len(errors), "error_kinds": sorted(set(errors))[:5]}


def measure_throughput(port: int, urls: list[str], clients: int, seconds: float, most: int) -> dict:
    """``clients`` threads, one keep-alive connection each, cycling through ``urls`` until
    ``seconds`` have passed or ``most`` requests were made in all."""
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    issued = 0
    deadline = time.perf_counter() + seconds
    start = threading.Barrier(clients + 1)

    def client(k: int) -> None:
        nonlocal issued
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        i = k
        start.wait()
        while time.perf_counter() < deadline:
            with lock:
                if issued >= most:
                    break
                issued += 1
            url = urls[i % len(urls)]
            i += clients
            began = time.perf_counter()
            try:
                status = _get(conn, url)
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                continue
            took = time.perf_counter() - began
            with lock:
                latencies.append(took)
                if status != 200:
                    errors.append(f"status {status}")
        conn.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    ms = sorted(t * 1000 for t in latencies)
    return {"clients": clients, "requests": len(ms), "seconds": round(elapsed, 2),
            "pages_per_s": round(len(ms) / elapsed, 1) if elapsed else None,
            "p50_ms": round(statistics.median(ms), 1) if ms else None,
            "p95_ms": round(scale._pct(ms, 0.95), 1) if ms else None,
            "errors": len(errors), "error_kinds": sorted(set(errors))[:5]}


# --------------------------------------------------------------------------------------------


def load() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=REPO).stdout.strip()
    except OSError:
        return ""


def print_report(report: dict) -> None:
    print(f"\nweb benchmark: {report['n']} articles, {report['cores']} cores, commit {report['commit']}")
    print(f"load before: {report['load_before']}\nload after:  {report['load_after']}\n")
    print("server time of a search page (in-process ASGI) against Index.search_with of the same query, medians:")
    print(f"{'kind':24} {'library':>9} {'page':>9} {'ratio':>6} {'+facets':>8} {'rest':>8} {'meet goal':>10}")
    rows = [*report["in_process"]["by_kind"].items(), ("all", report["in_process"]["overall"])]
    for kind, row in rows:
        print(f"{kind:24} {row['library_p50_ms']:>7.1f}ms {row['page_p50_ms']:>7.1f}ms {row['ratio_p50']:>6.2f} "
              f"{row['more_facets_p50_ms']:>6.1f}ms {row['rest_p50_ms']:>6.1f}ms {row['meeting_goal']:>4}/{row['queries']}")
    print("(goal: page <= 1.3 x library + 5 ms; +facets: Index.more_facets, the story, credited-source and "
          "format facets; rest: the page's own work)")
    overall = report["in_process"]["overall"]
    print(f"CPU time, page / library, median: {overall['cpu_ratio_p50']} "
          f"({len(report['in_process']['failures'])} pages failed)")
    lb = report["loopback"]
    print(f"\nover loopback, one client: p50 {lb['p50_ms']} ms, p95 {lb['p95_ms']} ms ({lb['requests']} requests, "
          f"{lb['errors']} errors)")
    print("\nthroughput (a real server, keep-alive clients):")
    for row in report["throughput"]:
        print(f"  {row['clients']:>2} clients: {row['pages_per_s']:>7} pages/s, p50 {row['p50_ms']} ms, "
              f"p95 {row['p95_ms']} ms, {row['requests']} requests, {row['errors']} errors")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20000, help="articles (default 20000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per query, in-process (default 5)")
    parser.add_argument("--queries-per-kind", type=int, default=12)
    parser.add_argument("--clients", default="1,8,32", help="concurrent clients per throughput level")
    parser.add_argument("--seconds", type=float, default=15.0, help="most seconds per throughput level")
    parser.add_argument("--most", type=int, default=3000, help="most requests per throughput level")
    parser.add_argument("--out", help="JSON file (default: benchmarks/results/web-nN-DATE.json)")
    args = parser.parse_args()

    index = index_for(args.n, args.seed)
    corpus = scale.corpus_for(args.n, args.seed)
    queries = queries_for(corpus, args.seed, args.queries_per_kind)
    urls = ["/search?" + urlencode(page_params(q)) for q in queries]
    report: dict = {"benchmark": "web", "n": args.n, "seed": args.seed, "commit": git_commit(),
                    "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                    "python": platform.python_version(), "cores": os.cpu_count(), "load_before": load(),
                    "per_page": PER_PAGE, "repeats": args.repeats}
    RESULTS_DIR.mkdir(exist_ok=True)
    out = Path(args.out) if args.out else RESULTS_DIR / f"web-n{args.n}-{dt.date.today().isoformat()}.json"
    report["in_process"] = measure_in_process(index, queries, args.repeats)
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")  # kept if the server part fails
    server = Server(index)
    try:
        report["loopback"] = measure_loopback(server.port, urls, max(1, args.repeats // 2))
        report["throughput"] = [measure_throughput(server.port, urls, int(c), args.seconds, args.most)
                                for c in args.clients.split(",")]
    finally:
        server.stop()
    report["load_after"] = load()
    print_report(report)
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
