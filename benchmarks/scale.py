"""Speed at scale: searchkit against SQLite FTS5, tantivy (and Whoosh used plainly) on N synthetic articles.

Run ``python benchmarks/scale.py --n 20000`` (or ``make bench-scale N=20000``) from the
repository root. In one run, interleaved, with medians over repeats:

1. generates (or reuses) a corpus of N articles with ``corpusgen.py`` under
   ``benchmarks/work/`` (git-ignored), keyed by N and seed;
2. full index build, each in its own process: ``searchkit index`` (one process, and with
   ``--jobs 2``), SQLite FTS5 (``porter unicode61``, title + body columns, outlet and day in a
   side table, one transaction, then ``optimize``), tantivy through tantivy-py when installed
   (title + body with the ``en_stem`` tokenizer, outlet a raw string and day an integer, both
   fast fields; one writer thread, one commit, merges waited for) and Whoosh used plainly
   (default writer, ``StemmingAnalyzer``, one process: the 1x baseline of the build goal;
   ``--no-plain-whoosh`` skips it, the slowest). Figures: docs/s, peak RSS (of the largest
   process, from ``wait4``, and of the whole process tree, sampled), size on disk;
3. re-index of the unchanged corpus (no-op) and after 1% of the files changed (searchkit's
   ``searchkit index``; for FTS5 the same stat-first, hash-what-changed update in SQL);
4. query latency in-process (wall time, and the CPU time of the process: under load, the wall
   time of a search longer than the scheduler's slice grows with the load), p50/p95 over
   queries x repeats, each kind with and without 10
   highlighted snippets: single common words and single rare words, 2- and 3-word queries
   (any word matches, as searchkit's default; FTS5 ``OR``, tantivy's default), two kinds of
   two-word phrase (frequent collocations of the generator's source, and adjacent word pairs
   from random articles' text), a date-filtered 2-word query, and 2 words with facets (outlet
   and day counts over all matches; FTS5 ``GROUP BY``, tantivy terms aggregations). FTS5 and
   tantivy also compute the total match count, as searchkit's ``Results.total`` does; FTS5's
   top-10-only time is shown beside it. Totals are compared across engines: differences over
   15% against FTS5 or tantivy are reported, not failed (the stemmers differ). searchkit's
   time for a query with very few matches (the rare words) includes its "did you mean"
   suggestion, which the peers do not compute; then searchkit's numpy path on packed
   postings is checked against its set path (``path="sets"``) on every query, with
   snippets and facets: totals, hits, float32 scores, snippets and facets must agree;
5. the one-shot ``searchkit query`` process against a minimal Whoosh script doing the same
   search with highlights on the same index (hyperfine when installed), with each process's
   peak RSS.

The query set is deterministic by seed and the same for every engine: common words and the
words of multi-word queries by frequency band of the generator's vocabulary, collocations
among its most frequent word pairs, rare words (its tail, and proper names) and phrases "from
text" picked from the running text of random articles among the first 2,000 (so each matches
at least one article, and the set is the same for every N >= 2000). Without tantivy installed
the run leaves its column out (with a note). Prints a table with the ratios searchkit / FTS5
and searchkit / tantivy and writes JSON under ``benchmarks/results/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Callable, Iterator

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

import corpusgen  # noqa: E402

WORK_DIR = HERE / "work"
RESULTS_DIR = HERE / "results"
PAGE = 10
SNIPPET_TOKENS = 32  # FTS5 snippet(): about searchkit's 200-character fragments

# --------------------------------------------------------------------------------------------
# Corpus


def corpus_for(n: int, seed: int) -> Path:
    """The corpus of N articles for ``seed`` under benchmarks/work/, generated once."""
    path = WORK_DIR / f"corpus-n{n}-s{seed}"
    done = WORK_DIR / f"corpus-n{n}-s{seed}.done"
    if path.is_dir() and done.exists():
        return path
    shutil.rmtree(path, ignore_errors=True)
    tmp = WORK_DIR / f"corpus-n{n}-s{seed}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    corpusgen.generate(tmp, n, seed)
    tmp.rename(path)
    done.write_text(f"{time.perf_counter() - started:.1f} s\n")
    print(f"generated {n} articles in {path} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return path


def article_paths(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*.txt"))


class OnePercentChange:
    """Edits 1% of the articles (every 100th) and puts them back afterwards."""

    def __init__(self, corpus: Path) -> None:
        paths = article_paths(corpus)
        self.paths = paths[::100]
        self.originals = {p: p.read_bytes() for p in self.paths}

    def apply(self, round_no: int) -> None:
        for p, raw in self.originals.items():
            p.write_bytes(raw + f"\nUpdate {round_no}: this article was corrected.\n".encode())

    def restore(self) -> None:
        for p, raw in self.originals.items():
            p.write_bytes(raw)


# --------------------------------------------------------------------------------------------
# What the peers read from an article (searchkit has its own, richer inference)

_MONTHS = {m: i for i, m in enumerate(corpusgen.MONTHS, 1)}
_DATELINE = re.compile(r"^\(([^,()\n]+), ([A-Z][a-z]{2})(\d{2})['\u2019](\d{2})\) \u2014 ", re.M)
_DATE_LINE = re.compile(r"^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}) - \d{2}:\d{2}\n(?:by (.+) Correspondents\n)?", re.M)


@dataclass(frozen=True)
class PeerDoc:
    rel_path: str
    title: str
    text: str
    outlet: str
    day: int  # YYYYMMDD, 0 when unknown


def _load_toml(corpus: Path) -> dict:
    meta_file = corpus / "metadata.toml"
    return tomllib.loads(meta_file.read_text(encoding="utf-8")) if meta_file.exists() else {}


def peer_doc(rel_path: str, raw: bytes, meta: dict) -> PeerDoc:
    text = raw.decode("utf-8", errors="replace")
    title = text.split("\n", 1)[0].strip()
    head = text[:600]
    outlet, day = "", 0
    m = _DATELINE.search(head)
    if m:
        outlet = m.group(1)
        day = (2000 + int(m.group(4))) * 10000 + _MONTHS.get(m.group(2), 0) * 100 + int(m.group(3))
    else:
        m = _DATE_LINE.search(head)
        if m:
            day = int(m.group(3)) * 10000 + _MONTHS.get(m.group(1), 0) * 100 + int(m.group(2))
            outlet = m.group(4) or ""
    entry = meta.get(rel_path)
    if entry:
        outlet = entry.get("outlet", outlet)
        if "date" in entry:
            d = entry["date"]
            day = d.year * 10000 + d.month * 100 + d.day
    return PeerDoc(rel_path, title, text, outlet, day)


def walk_articles(corpus: Path) -> Iterator[tuple[str, os.stat_result]]:
    """(relative path, stat) of every .txt file, in a stable order."""
    stack = [corpus]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
        for entry in reversed(entries):
            if entry.is_dir():
                stack.append(Path(entry.path))
        for entry in entries:
            if entry.name.endswith(".txt") and entry.is_file():
                yield Path(entry.path).relative_to(corpus).as_posix(), entry.stat()


# --------------------------------------------------------------------------------------------
# SQLite FTS5

FTS5_SCHEMA = """
CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter unicode61');
CREATE TABLE meta(id INTEGER PRIMARY KEY, path TEXT UNIQUE, outlet TEXT, day INTEGER,
                  size INTEGER, mtime_ns INTEGER, sha256 TEXT);
"""


def fts5_build(corpus: Path, db_path: Path) -> int:
    meta = _load_toml(corpus)
    con = sqlite3.connect(db_path)
    con.executescript(FTS5_SCHEMA)
    count = 0
    with con:
        for rel_path, st in walk_articles(corpus):
            raw = (corpus / rel_path).read_bytes()
            doc = peer_doc(rel_path, raw, meta)
            cur = con.execute(
                "INSERT INTO meta(path, outlet, day, size, mtime_ns, sha256) VALUES (?,?,?,?,?,?)",
                (rel_path, doc.outlet, doc.day, st.st_size, st.st_mtime_ns, hashlib.sha256(raw).hexdigest()),
            )
            con.execute("INSERT INTO docs(rowid, title, body) VALUES (?,?,?)", (cur.lastrowid, doc.title, doc.text))
            count += 1
        con.execute("INSERT INTO docs(docs) VALUES('optimize')")
    con.close()
    return count


def fts5_update(corpus: Path, db_path: Path) -> dict:
    """Stat every file, hash only those whose size or mtime changed, rewrite what differs."""
    con = sqlite3.connect(db_path)
    known = {path: (rowid, size, mtime, sha) for rowid, path, size, mtime, sha in
             con.execute("SELECT id, path, size, mtime_ns, sha256 FROM meta")}
    meta: dict | None = None
    changed = unchanged = added = 0
    with con:
        for rel_path, st in walk_articles(corpus):
            old = known.pop(rel_path, None)
            if old is not None and (old[1], old[2]) == (st.st_size, st.st_mtime_ns):
                unchanged += 1
                continue
            raw = (corpus / rel_path).read_bytes()
            sha = hashlib.sha256(raw).hexdigest()
            if old is not None and old[3] == sha:
                con.execute("UPDATE meta SET size=?, mtime_ns=? WHERE id=?", (st.st_size, st.st_mtime_ns, old[0]))
                unchanged += 1
                continue
            if meta is None:
                meta = _load_toml(corpus)
            doc = peer_doc(rel_path, raw, meta)
            if old is not None:
                con.execute("DELETE FROM docs WHERE rowid=?", (old[0],))
                con.execute("DELETE FROM meta WHERE id=?", (old[0],))
                changed += 1
            else:
                added += 1
            cur = con.execute(
                "INSERT INTO meta(path, outlet, day, size, mtime_ns, sha256) VALUES (?,?,?,?,?,?)",
                (rel_path, doc.outlet, doc.day, st.st_size, st.st_mtime_ns, sha),
            )
            con.execute("INSERT INTO docs(rowid, title, body) VALUES (?,?,?)", (cur.lastrowid, doc.title, doc.text))
        for rowid, *_ in known.values():
            con.execute("DELETE FROM docs WHERE rowid=?", (rowid,))
            con.execute("DELETE FROM meta WHERE id=?", (rowid,))
    con.close()
    return {"updated": changed, "added": added, "removed": len(known), "unchanged": unchanged}


def fts5_match(words: list[str], phrase: bool) -> str:
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    return '"' + " ".join(words) + '"' if phrase else " OR ".join(quoted)


class Fts5Searcher:
    def __init__(self, db_path: Path) -> None:
        self.con = sqlite3.connect(db_path)

    def search(self, q: Query, *, snippets: bool, count: bool = True) -> int:
        facets = q.facets
        match = fts5_match(q.words, q.phrase)
        where = "docs MATCH ?"
        params: list = [match]
        join = ""
        if q.since:
            join = " JOIN meta ON meta.id = docs.rowid"
            where += " AND meta.day BETWEEN ? AND ?"
            params += [q.since, q.until]
        cols = "docs.rowid, docs.title"
        if snippets:
            cols += f", snippet(docs, 1, '\x02', '\x03', '\u2026', {SNIPPET_TOKENS})"
        rows = self.con.execute(
            f"SELECT {cols} FROM docs{join} WHERE {where} ORDER BY bm25(docs, 2.0, 1.0) LIMIT {PAGE}", params
        ).fetchall()
        # What a result page shows besides the hits: outlet, date and the total.
        if rows:
            ids = ",".join(str(r[0]) for r in rows)
            self.con.execute(f"SELECT id, outlet, day FROM meta WHERE id IN ({ids})").fetchall()
        total = len(rows)
        if count or facets:
            total = self.con.execute(f"SELECT count(*) FROM docs{join} WHERE {where}", params).fetchone()[0]
        if facets:
            join_f = join or " JOIN meta ON meta.id = docs.rowid"
            self.con.execute(f"SELECT meta.outlet, count(*) FROM docs{join_f} WHERE {where} GROUP BY meta.outlet", params).fetchall()
            self.con.execute(f"SELECT meta.day, count(*) FROM docs{join_f} WHERE {where} GROUP BY meta.day", params).fetchall()
        return total

    def close(self) -> None:
        self.con.close()


# --------------------------------------------------------------------------------------------
# Whoosh used plainly


def plain_whoosh_schema():  # type: ignore[no-untyped-def]
    from whoosh import fields
    from whoosh.analysis import StemmingAnalyzer

    return fields.Schema(
        path=fields.ID(stored=True, unique=True),
        title=fields.TEXT(stored=True, analyzer=StemmingAnalyzer()),
        body=fields.TEXT(stored=True, analyzer=StemmingAnalyzer()),
        outlet=fields.ID(stored=True),
        day=fields.NUMERIC(int, stored=True),
    )


def plain_whoosh_build(corpus: Path, index_dir: Path) -> int:
    from whoosh import index

    index_dir.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(index_dir), plain_whoosh_schema())
    meta = _load_toml(corpus)
    writer = ix.writer()
    count = 0
    for rel_path, _st in walk_articles(corpus):
        doc = peer_doc(rel_path, (corpus / rel_path).read_bytes(), meta)
        writer.add_document(path=rel_path, title=doc.title, body=doc.text, outlet=doc.outlet, day=doc.day)
        count += 1
    writer.commit()
    return count


class PlainWhooshSearcher:
    def __init__(self, index_dir: Path) -> None:
        from whoosh import index
        from whoosh.qparser import MultifieldParser, OrGroup

        self.ix = index.open_dir(str(index_dir))
        self.searcher = self.ix.searcher()
        self.parser = MultifieldParser(["title", "body"], self.ix.schema, group=OrGroup)

    def search(self, q: Query, *, snippets: bool) -> int:
        from whoosh import query as wq
        from whoosh import sorting

        facets = q.facets
        text = q.text
        kwargs: dict = {"limit": PAGE, "terms": snippets}
        if q.since:
            kwargs["filter"] = wq.NumericRange("day", q.since, q.until)
        if facets:
            kwargs["groupedby"] = {"outlet": sorting.FieldFacet("outlet"), "day": sorting.FieldFacet("day")}
            kwargs["maptype"] = sorting.Count
        results = self.searcher.search(self.parser.parse(text), **kwargs)
        for hit in results:
            fields = hit.fields()
            if snippets:
                hit.highlights("body", text=fields["body"], top=2)
        if facets:
            results.groups("outlet")
            results.groups("day")
        return len(results)

    def close(self) -> None:
        self.searcher.close()


# --------------------------------------------------------------------------------------------
# tantivy (the tantivy-py binding): optional, its column is left out when it is not installed

#: Index writer memory budget: tantivy-py's default. One indexing thread, like searchkit's
#: one-process build and FTS5.
TANTIVY_HEAP = 128_000_000
TANTIVY_SNIPPET_CHARS = 200  # searchkit's fragment size
TANTIVY_FACETS = {"outlet": {"terms": {"field": "outlet", "size": 10_000}},
                  "day": {"terms": {"field": "day", "size": 10_000}}}
#: How tantivy is set up, written to the JSON beside its figures.
TANTIVY_SETUP = {
    "build": f"one IndexWriter thread, heap {TANTIVY_HEAP // 1_000_000} MB, one commit, then wait_merging_threads",
    "fields": "title, body: en_stem tokenizer, positions, stored; outlet: raw string, fast; day: i64 indexed, fast",
    "query": "Index.parse_query over title (boost 2) and body, OR by default; searcher.search(query, 10, count=True)",
    "date filter": "Query.range_query on day, Must with the text query",
    "snippets": f"SnippetGenerator on body, {TANTIVY_SNIPPET_CHARS} chars, to_html()",
    "facets": "Searcher.aggregate, terms aggregations on outlet and day over all matches (native, not iterated)",
}


def tantivy_version() -> str | None:
    """tantivy-py's version, or None when it is not installed."""
    from importlib import metadata

    try:
        return metadata.version("tantivy")
    except metadata.PackageNotFoundError:
        return None


def tantivy_schema():  # type: ignore[no-untyped-def]
    """Title and body with the English stemmer, outlet as an untokenised string, day as an int.

    outlet and day are fast fields (tantivy's column store), which its aggregations and range
    filters read.
    """
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("path", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("body", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("outlet", stored=True, tokenizer_name="raw", fast=True)
    builder.add_integer_field("day", stored=True, indexed=True, fast=True)
    return builder.build()


def tantivy_build(corpus: Path, index_dir: Path) -> int:
    """One writer thread, one commit, then wait for tantivy's background segment merges."""
    import tantivy

    index_dir.mkdir(parents=True, exist_ok=True)
    ix = tantivy.Index(tantivy_schema(), path=str(index_dir))
    writer = ix.writer(heap_size=TANTIVY_HEAP, num_threads=1)
    meta = _load_toml(corpus)
    count = 0
    for rel_path, _st in walk_articles(corpus):
        doc = peer_doc(rel_path, (corpus / rel_path).read_bytes(), meta)
        fields: dict = {"path": rel_path, "title": doc.title, "body": doc.text}
        if doc.outlet:
            fields["outlet"] = doc.outlet
        if doc.day:
            fields["day"] = doc.day
        writer.add_document(tantivy.Document(**fields))
        count += 1
    writer.commit()
    writer.wait_merging_threads()
    return count


class TantivySearcher:
    """Top 10 by BM25 (title boosted 2x, as FTS5's bm25 weights) with the total count; date
    filter as a range on ``day``; snippets from tantivy's SnippetGenerator; outlet and day
    counts over all matches from ``Searcher.aggregate`` (terms aggregations)."""

    def __init__(self, index_dir: Path) -> None:
        import tantivy

        self.tantivy = tantivy
        self.ix = tantivy.Index.open(str(index_dir))
        self.schema = self.ix.schema
        self.searcher = self.ix.searcher()

    def query(self, q: Query):  # type: ignore[no-untyped-def]
        tv = self.tantivy
        parsed = self.ix.parse_query(q.text, ["title", "body"], field_boosts={"title": 2.0})
        if not q.since:
            return parsed
        day = tv.Query.range_query(self.schema, "day", tv.FieldType.Integer, q.since, q.until)
        return tv.Query.boolean_query([(tv.Occur.Must, parsed), (tv.Occur.Must, day)])

    def search(self, q: Query, *, snippets: bool) -> int:
        query = self.query(q)
        result = self.searcher.search(query, PAGE, count=True)
        generator = None
        if snippets:
            generator = self.tantivy.SnippetGenerator.create(self.searcher, query, self.schema, "body")
            generator.set_max_num_chars(TANTIVY_SNIPPET_CHARS)
        for _score, address in result.hits:
            # What a result page shows: title, path, outlet, date (and the snippet).
            doc = self.searcher.doc(address)
            doc.get_first("title"), doc.get_first("path"), doc.get_first("outlet"), doc.get_first("day")
            if generator is not None:
                generator.snippet_from_doc(doc).to_html()
        if q.facets:
            self.searcher.aggregate(query, TANTIVY_FACETS)
        return result.count

    def close(self) -> None:
        pass


# --------------------------------------------------------------------------------------------
# searchkit


#: The query path searchkit is asked to take (``--path``): "auto", "sets" or "numpy".
SEARCHKIT_PATH = "auto"


class SearchkitSearcher:
    """searchkit in this (long-lived) process; the first search of each query, in the
    uncounted warm-up pass, also says which query path it took (``paths``)."""

    def __init__(self, index_dir: Path) -> None:
        import searchkit

        self.ix = searchkit.open_index(index_dir)
        self.paths: dict[str, dict[str, str]] = {}  # kind -> query label -> path

    def search(self, q: Query, *, snippets: bool) -> int:
        kwargs: dict = {"limit": PAGE, "snippets": snippets, "facets": q.facets, "path": SEARCHKIT_PATH}
        if q.since:
            kwargs["since"] = _date(q.since)
            kwargs["until"] = _date(q.until)
        seen = self.paths.setdefault(q.kind, {})
        if q.label in seen:
            return self.ix.search(q.text, **kwargs).total
        results = self.ix.search(q.text, explain=True, **kwargs)
        seen[q.label] = results.explain.path if results.explain else "?"
        return results.total

    def close(self) -> None:
        self.ix.close()


def _date(day: int) -> dt.date:
    return dt.date(day // 10000, day // 100 % 100, day % 100)


# --------------------------------------------------------------------------------------------
# Queries


@dataclass(frozen=True)
class Query:
    kind: str
    words: list[str]
    phrase: bool = False
    since: int = 0
    until: int = 0
    facets: bool = False  # outlet and day counts over all matches

    @property
    def text(self) -> str:
        """The query as a user types it (searchkit's, Whoosh's and tantivy's syntax alike)."""
        return '"' + " ".join(self.words) + '"' if self.phrase else " ".join(self.words)

    @property
    def label(self) -> str:
        return (self.text + (f" [{self.since}..{self.until}]" if self.since else "")
                + (" +facets" if self.facets else ""))


#: Words people do not search for (beyond Whoosh's short stop list).
FUNCTION_WORDS = frozenset("""
about above after again against also although among another because been before being below
between both could does doing down during each either else ever every further given here hers
herself himself however into itself just least less made make many more most much must near
neither only other others over same shall should since some such than that their theirs them
themselves then there therefore these they those though through thus under until upon very
were what whatever when where whether which while whom whose would your yours also used using
""".split())

# Frequency bands (ranks among usable words of the generator's vocabulary). At 20k articles
# the frequent band matches ~27% of the articles (median), the middle ~4%, the rare ~0.2%.
BANDS = {"frequent": (10, 80), "middle": (300, 1200), "rare": (2500, 5000)}
PHRASE_BANDS = {"frequent": (0, 40), "middle": (60, 400)}
DATE_WINDOW = (20240101, 20240331)
#: Phrases and rare words "from text" come from articles 0..TEXT_ARTICLES-1, so the query set
#: is the same for every N >= TEXT_ARTICLES (a corpus of N is a prefix of a bigger one). A rare
#: word is one that only one of those articles has (about 10 of 20k articles, some only 1).
TEXT_ARTICLES = 2000
_WORD_CHUNK = re.compile(r"[A-Za-z]+")


def usable_word(w: str) -> bool:
    from whoosh.analysis import STOP_WORDS

    return w.isalpha() and w.isascii() and len(w) >= 4 and w not in STOP_WORDS and w not in FUNCTION_WORDS


def article_body(text: str) -> str:
    """An article's running text: without its title line, dateline, date line and byline."""
    body = text.split("\n", 1)[1] if "\n" in text else ""
    body = _DATELINE.sub("", body.lstrip("\n"), count=1)
    return _DATE_LINE.sub("", body, count=1)


def text_articles(corpus: Path, rng: Random) -> list[list[str]]:
    """The bodies of the first TEXT_ARTICLES articles in a random order, as whitespace-separated
    chunks (a chunk with punctuation, digits or an apostrophe is not a plain word)."""
    by_number = {int(p.stem): p for p in article_paths(corpus) if p.stem.isdigit()}
    numbers = sorted(i for i in by_number if i < TEXT_ARTICLES)
    return [article_body(by_number[i].read_text(encoding="utf-8")).split() for i in rng.sample(numbers, len(numbers))]


def plain_words(chunks: list[str]) -> list[str | None]:
    """The chunks lower-cased, ``None`` for each that is not a plain word."""
    return [c.lower() if _WORD_CHUNK.fullmatch(c) else None for c in chunks]


def rare_words(articles: list[list[str]], rng: Random, count: int) -> list[str]:
    """``count`` words that each occur in only one of ``articles``, taken from the first half
    (the phrases come from the second)."""
    df = Counter(w for chunks in articles for w in set(plain_words(chunks)) if w and usable_word(w))
    out: list[str] = []
    for chunks in articles[: (len(articles) + 1) // 2]:
        found = sorted({w for w in plain_words(chunks) if w and df[w] == 1})
        if found:
            out.append(rng.choice(found))
        if len(out) == count:
            break
    return out


def phrases_from_text(articles: list[list[str]], rng: Random, count: int) -> list[list[str]]:
    """``count`` two-word phrases, each two adjacent words of an article's running text: plain
    words (no punctuation between or on them), neither a stop or function word."""
    out: list[list[str]] = []
    for chunks in articles:
        words = plain_words(chunks)
        pairs = [[a, b] for a, b in zip(words, words[1:])
                 if a and b and a != b and usable_word(a) and usable_word(b)]
        if pairs:
            out.append(rng.choice(pairs))
        if len(out) == count:
            break
    return out


def make_queries(corpus: Path, seed: int, per_kind: int = 12) -> list[Query]:
    """The query set, the same for every engine and deterministic by seed.

    Words by frequency band from the generator's own counts; rare single words and phrases
    "from text" from random articles' text; collocations among the generator's most frequent
    word pairs.
    """
    model = corpusgen.load_model()
    ranked = [w for w, _ in model.word_counts().most_common() if usable_word(w)]
    rng = Random(seed + 1)
    bands = {name: ranked[a:b] for name, (a, b) in BANDS.items()}
    names = list(bands)

    def word(band: str) -> str:
        return rng.choice(bands[band])

    queries = [Query("1 word (common)", [word("frequent")]) for _ in range(per_kind)]
    text_rng = Random(seed + 2)
    articles = text_articles(corpus, text_rng)
    queries += [Query("1 word (rare)", [w]) for w in rare_words(articles, text_rng, per_kind)]
    two_words = [[word(rng.choice(names)) for _ in range(2)] for _ in range(per_kind)]
    queries += [Query("2 words", words) for words in two_words]
    queries += [Query("3 words", [word(rng.choice(names)) for _ in range(3)]) for _ in range(per_kind)]
    pairs = [p for p, _ in model.bigram_counts().most_common(2000) if usable_word(p[0]) and usable_word(p[1]) and p[0] != p[1]]
    for i in range(per_kind):
        a, b = PHRASE_BANDS["frequent" if i % 2 == 0 else "middle"]
        queries.append(Query("phrase (collocation)", list(rng.choice(pairs[a:b])), phrase=True))
    queries += [Query("phrase (from text)", words, phrase=True)
                for words in phrases_from_text(articles[(len(articles) + 1) // 2:], text_rng, per_kind)]
    for _ in range(per_kind):
        queries.append(Query("2 words, dated", [word(rng.choice(names)) for _ in range(2)],
                             since=DATE_WINDOW[0], until=DATE_WINDOW[1]))
    # The same words as "2 words": the difference is what the facets cost.
    queries += [Query("2 words + facets", words, facets=True) for words in two_words]
    return queries


def sparse_queries(fts5_db: Path, corpus: Path, seed: int, per_kind: int = 12) -> list[Query]:
    """Queries that find nothing or one article, as users' typos and wrong guesses do: a
    frequent word misspelt by one edit (no match), a word of the running text that one
    article holds (one match), and two words of the middle band that never stand together
    as a phrase (no match). Match counts are taken from the FTS5 index (its Porter stems
    differ a little from searchkit's Snowball: the totals check reports any difference)."""
    model = corpusgen.load_model()
    ranked = [w for w, _ in model.word_counts().most_common() if usable_word(w)]
    vocabulary = set(model.word_counts())
    rng = Random(seed + 3)
    con = sqlite3.connect(fts5_db)

    def count(match: str) -> int:
        return con.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (match,)).fetchone()[0]

    out: list[Query] = []
    lo, hi = BANDS["frequent"][0], BANDS["middle"][1]
    while sum(q.kind == "1 word (no match)" for q in out) < per_kind:
        word = rng.choice(ranked[lo:hi])
        i = rng.randrange(1, len(word))
        typo = rng.choice((word[:i] + word[i + 1:], word[:i] + word[i] + word[i:],
                           word[:i] + rng.choice("aeiourstn") + word[i + 1:]))
        if typo != word and typo not in vocabulary and count(fts5_match([typo], False)) == 0:
            out.append(Query("1 word (no match)", [typo]))
    articles = text_articles(corpus, Random(seed + 4))
    for chunks in articles:
        words = sorted({w for w in plain_words(chunks) if w and usable_word(w)})
        rng.shuffle(words)
        for w in words[:20]:
            if count(fts5_match([w], False)) == 1:
                out.append(Query("1 word (one match)", [w]))
                break
        if sum(q.kind == "1 word (one match)" for q in out) == per_kind:
            break
    band = ranked[BANDS["middle"][0]:BANDS["middle"][1]]
    tries = 0
    while sum(q.kind == "phrase (no match)" for q in out) < per_kind and tries < 1000:
        tries += 1
        a, b = rng.sample(band, 2)
        if count(fts5_match([a, b], True)) == 0:
            out.append(Query("phrase (no match)", [a, b], phrase=True))
    con.close()
    return out


# --------------------------------------------------------------------------------------------
# Running and measuring processes


@dataclass(frozen=True)
class ProcessRun:
    seconds: float
    max_rss_mb: float  # largest single process (wait4)
    tree_rss_mb: float  # process and its children together (sampled every 20 ms)
    stdout: str


def _tree_rss_kb(pid: int, only_root: bool = False) -> int:
    """Resident memory of a process and (unless ``only_root``) all its descendants."""
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * page_kb
            if only_root:
                break
            with open(f"/proc/{p}/task/{p}/children") as f:
                stack.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


#: Runs a command and writes its peak RSS (largest process, from wait4) to a file. GNU time
#: is a small C program; measuring from this Python process instead would report our own RSS,
#: which a forked child inherits as its high-water mark.
_RUSAGE_WRAPPER = """
import json, resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as f:
    f.write("%d" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)
"""


def run_process(cmd: list[str], *, cwd: Path = REPO, checkout: Path = REPO) -> ProcessRun:
    """Run ``cmd``; wall time, peak RSS of its largest process and of its process tree.
    ``checkout``: the searchkit it imports (another one for an A/B run)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHKIT_")}
    env["PYTHONPATH"] = str(checkout) + os.pathsep + env.get("PYTHONPATH", "")
    rss_file = WORK_DIR / f".rss-{os.getpid()}"
    if os.access("/usr/bin/time", os.X_OK):
        wrapped = ["/usr/bin/time", "-q", "-o", str(rss_file), "-f", "%M", *cmd]
    else:
        wrapped = [sys.executable, "-c", _RUSAGE_WRAPPER, str(rss_file), *cmd]
    peak = 0
    stop = threading.Event()
    started = time.perf_counter()
    proc = subprocess.Popen(wrapped, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def sample() -> None:
        nonlocal peak
        while not stop.wait(0.02):
            peak = max(peak, _tree_rss_kb(proc.pid) - _tree_rss_kb(proc.pid, only_root=True))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    elapsed = time.perf_counter() - started
    stop.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode(errors='replace').strip()}")
    lines = rss_file.read_text().split()
    rss_file.unlink()
    max_rss_kb = int(lines[-1])
    return ProcessRun(elapsed, max_rss_kb / 1024, max(peak, max_rss_kb) / 1024, out.decode(errors="replace"))


def disk_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def searchkit_cmd() -> list[str]:
    console = Path(sys.executable).with_name("searchkit")
    return [str(console)] if console.exists() else [sys.executable, "-m", "searchkit"]


def child_cmd(*args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "_child", *args]


# --------------------------------------------------------------------------------------------
# Engines: how each builds, updates and searches


@dataclass
class Engine:
    name: str
    index: Path
    build: Callable[[Path, Path], list[str]]
    update: Callable[[Path, Path], list[str]] | None
    searcher: Callable[[Path], object] | None


def engines(work: Path, jobs: list[int], with_plain: bool, with_tantivy: bool) -> list[Engine]:
    out = []
    for j in jobs:
        name = "searchkit" if j == 1 else f"searchkit -j{j}"
        extra = [] if j == 1 else ["--jobs", str(j)]
        out.append(Engine(
            name, work / f"idx-searchkit-j{j}",
            lambda c, i, extra=extra: [*searchkit_cmd(), "index", str(c), "--index", str(i), "--rebuild", "-q", *extra],
            (lambda c, i: [*searchkit_cmd(), "index", str(c), "--index", str(i), "-q"]) if j == 1 else None,
            SearchkitSearcher if j == 1 else None,
        ))
    out.append(Engine("fts5", work / "fts5.db",
                      lambda c, i: child_cmd("fts5-build", str(c), str(i)),
                      lambda c, i: child_cmd("fts5-update", str(c), str(i)),
                      Fts5Searcher))
    if with_plain:
        out.append(Engine("whoosh plain", work / "idx-whoosh-plain",
                          lambda c, i: child_cmd("whoosh-build", str(c), str(i)), None, PlainWhooshSearcher))
    if with_tantivy:
        out.append(Engine("tantivy", work / "idx-tantivy",
                          lambda c, i: child_cmd("tantivy-build", str(c), str(i)), None, TantivySearcher))
    return out


def remove_index(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def measure_builds(corpus: Path, n: int, all_engines: list[Engine], repeats: int) -> dict:
    runs: dict[str, list[ProcessRun]] = {e.name: [] for e in all_engines}
    sizes: dict[str, float] = {}
    for r in range(repeats):
        order = all_engines[r % len(all_engines):] + all_engines[: r % len(all_engines)]
        for e in order:
            remove_index(e.index)
            run = run_process(e.build(corpus, e.index))
            runs[e.name].append(run)
            sizes[e.name] = disk_mb(e.index)
            print(f"  build {e.name:<16} {run.seconds:7.1f} s  {n / run.seconds:7.0f} docs/s  "
                  f"rss {run.max_rss_mb:5.0f}/{run.tree_rss_mb:5.0f} MB", file=sys.stderr)
    return {
        name: {
            "seconds": statistics.median(r.seconds for r in rs),
            "docs_per_s": n / statistics.median(r.seconds for r in rs),
            "peak_rss_mb": statistics.median(r.max_rss_mb for r in rs),
            "peak_tree_rss_mb": statistics.median(r.tree_rss_mb for r in rs),
            "disk_mb": sizes[name],
            "all_seconds": [round(r.seconds, 3) for r in rs],
        }
        for name, rs in runs.items()
    }


def measure_updates(corpus: Path, all_engines: list[Engine], repeats: int) -> dict:
    updaters = [e for e in all_engines if e.update is not None]
    change = OnePercentChange(corpus)
    noop: dict[str, list[float]] = {e.name: [] for e in updaters}
    one_pct: dict[str, list[float]] = {e.name: [] for e in updaters}
    outputs: dict[str, str] = {}
    try:
        for r in range(repeats):
            order = updaters if r % 2 == 0 else updaters[::-1]
            for e in order:
                noop[e.name].append(run_process(e.update(corpus, e.index)).seconds)
            for step in ("apply", "restore"):
                time.sleep(0.01)  # a new mtime even on coarse clocks
                change.apply(r) if step == "apply" else change.restore()
                for e in order:
                    run = run_process(e.update(corpus, e.index))
                    one_pct[e.name].append(run.seconds)
                    outputs[e.name] = run.stdout.strip()
    finally:
        change.restore()
    result = {}
    for e in updaters:
        result[e.name] = {
            "noop_seconds": statistics.median(noop[e.name]),
            "one_percent_seconds": statistics.median(one_pct[e.name]),
            "files_changed": len(change.paths),
            "last_output": outputs.get(e.name, ""),
            "all_noop": [round(x, 3) for x in noop[e.name]],
            "all_one_percent": [round(x, 3) for x in one_pct[e.name]],
        }
        print(f"  update {e.name:<16} no-op {result[e.name]['noop_seconds']:6.2f} s   "
              f"1% ({len(change.paths)} files) {result[e.name]['one_percent_seconds']:6.2f} s", file=sys.stderr)
    return result


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


#: mode -> whether the 10 hits get highlighted snippets (facets are a query kind).
MODES = {"no snippets": False, "10 snippets": True}


def measure_queries(all_engines: list[Engine], queries: list[Query], repeats: int) -> dict:
    searchers = {e.name: e.searcher(e.index) for e in all_engines if e.searcher is not None}  # type: ignore[misc]
    variants: dict[str, Callable[[Query, bool], int | None]] = {}
    for name, s in searchers.items():
        if name == "whoosh plain":
            # Plain Whoosh facets on non-sortable fields take seconds per query (4.9 s p50 at
            # 20k articles); they would dominate the run, so that kind is left out for it.
            variants[name] = lambda q, sn, s=s: None if q.facets else s.search(q, snippets=sn)
            continue
        variants[name] = lambda q, sn, s=s: s.search(q, snippets=sn)
        if name == "fts5":
            variants["fts5 top-10 only"] = lambda q, sn, s=s: s.search(q, snippets=sn, count=q.facets)
    timings: dict[tuple[str, str, str], list[float]] = {}
    # CPU time of this process (all its threads) beside the wall time: on a shared machine
    # under load, a search longer than the scheduler's slice waits for the CPU, and its wall
    # time grows with the load while its CPU time does not.
    cpu_timings: dict[tuple[str, str, str], list[float]] = {}
    totals: dict[str, dict[str, dict[str, int]]] = {name: {} for name in variants}
    kinds = sorted({q.kind for q in queries}, key=[q.kind for q in queries].index)
    for rep in range(repeats + 1):  # the first pass warms caches and is not counted
        for mode, snippets in MODES.items():
            for q in queries:
                names = list(variants)
                names = names[rep % len(names):] + names[: rep % len(names)]
                for name in names:
                    cpu_started = time.process_time()
                    started = time.perf_counter()
                    total = variants[name](q, snippets)
                    elapsed = time.perf_counter() - started
                    cpu = time.process_time() - cpu_started
                    if total is None:
                        continue
                    if rep == 0:
                        totals[name].setdefault(mode, {})[q.label] = total
                    else:
                        timings.setdefault((name, q.kind, mode), []).append(elapsed * 1000)
                        cpu_timings.setdefault((name, q.kind, mode), []).append(cpu * 1000)
    paths = {kind: sorted(set(by_label.values())) for kind, by_label in searchers["searchkit"].paths.items()} \
        if isinstance(searchers.get("searchkit"), SearchkitSearcher) else {}
    for s in searchers.values():
        s.close()  # type: ignore[attr-defined]
    stats: dict = {}
    for (name, kind, mode), values in timings.items():
        cpu = cpu_timings[(name, kind, mode)]
        stats.setdefault(name, {}).setdefault(mode, {})[kind] = {
            "p50_ms": statistics.median(values), "p95_ms": _pct(values, 0.95), "n": len(values),
            "cpu_p50_ms": statistics.median(cpu), "cpu_p95_ms": _pct(cpu, 0.95),
        }
    return {"latency": stats, "totals": totals, "kinds": kinds, "total_checks": check_totals(totals, queries),
            "searchkit_path_asked": SEARCHKIT_PATH, "searchkit_paths": paths}


def check_paths(index_dir: Path, queries: list[Query]) -> dict:
    """searchkit's numpy path on packed postings against its set path (``path="numpy"`` and
    ``path="sets"``) on the same index and queries, with snippets and facets: totals, hits in order, scores
    as float32, snippets, highlights and facets must all be the same."""
    import struct

    import searchkit

    def view(results) -> tuple:  # type: ignore[no-untyped-def]
        return (results.total, results.facets,
                [(h.doc_id, struct.pack("<f", h.score or 0.0), h.snippet, h.highlights) for h in results.hits])

    ix = searchkit.open_index(index_dir)
    differ = []
    try:
        for q in queries:
            kwargs: dict = {"limit": PAGE, "facets": True}
            if q.since:
                kwargs.update(since=_date(q.since), until=_date(q.until))
            old = view(ix.search(q.text, path="sets", **kwargs))
            if view(ix.search(q.text, path="numpy", **kwargs)) != old:
                differ.append(q.label)
    finally:
        ix.close()
    return {"queries": len(queries), "differ": differ}


#: Engines searchkit's match counts are compared with.
COUNT_PEERS = ("fts5", "tantivy")


def check_totals(totals: dict, queries: list[Query]) -> dict:
    """Where match counts disagree: searchkit with itself across modes and with and without
    facets, and with each peer (FTS5, tantivy) by more than 15%.

    Stemmers differ (Snowball in searchkit and tantivy's ``en_stem``, Porter in FTS5; each
    tokenises differently), so differences against the peers are only reported; a count that
    changes with the snippet or facet setting, or ignores a date filter, is a bug.
    """
    sk = totals.get("searchkit", {})
    modes_disagree = []
    facets_disagree = []
    vs_peer: dict[str, list] = {peer: [] for peer in COUNT_PEERS}
    plain_counts = {q.text: sk.get("no snippets", {}).get(q.label) for q in queries if not q.facets and not q.since}
    for q in queries:
        counts = {mode: by_label[q.label] for mode, by_label in sk.items() if q.label in by_label}
        if len(set(counts.values())) > 1:
            modes_disagree.append({"query": q.label, "kind": q.kind, **counts})
        mine = counts.get("no snippets")
        if q.facets and plain_counts.get(q.text) not in (None, mine):
            facets_disagree.append({"query": q.label, "with facets": mine, "without": plain_counts[q.text]})
        for peer in COUNT_PEERS:
            theirs = totals.get(peer, {}).get("no snippets", {}).get(q.label)
            if theirs is not None and mine is not None and abs(mine - theirs) > max(2, 0.15 * theirs):
                vs_peer[peer].append({"query": q.label, "kind": q.kind, "searchkit": mine, peer: theirs})
    return {"searchkit_count_depends_on_mode": modes_disagree,
            "searchkit_count_depends_on_facets": facets_disagree,
            **{f"searchkit_vs_{peer}_over_15pct": vs_peer[peer] for peer in COUNT_PEERS if peer in totals}}


# The same minimal Whoosh script as the start-up benchmark, so both compare like with like.
from startup import MINIMAL_SCRIPT  # noqa: E402

FTS5_SCRIPT = r"""
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
m = " OR ".join('"%s"' % w for w in sys.argv[2].split())
for row in con.execute("SELECT meta.path, snippet(docs, 1, '[', ']', '...', 32) FROM docs JOIN meta ON meta.id = docs.rowid WHERE docs MATCH ? ORDER BY bm25(docs, 2.0, 1.0) LIMIT 10", (m,)):
    print(*row)
print(con.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (m,)).fetchone()[0])
"""


def measure_one_shot(work: Path, sk_index: Path, fts5_db: Path, query: str, runs: int, use_hyperfine: bool) -> dict:
    """Whole-process time of one query, per command (own interleaved timing by default: on a
    busy machine interleaving spreads the noise evenly; hyperfine runs commands one after
    another)."""
    generation = json.loads((sk_index / "searchkit.json").read_text())["generation"]
    minimal = work / "minimal_whoosh.py"
    minimal.write_text(MINIMAL_SCRIPT)
    fts5_script = work / "minimal_fts5.py"
    fts5_script.write_text(FTS5_SCRIPT)
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "minimal whoosh script": [sys.executable, str(minimal), str(sk_index), generation, query],
        "searchkit query --no-update": [*searchkit_cmd(), "query", query, "--index", str(sk_index), "--no-update"],
        "searchkit query": [*searchkit_cmd(), "query", query, "--index", str(sk_index)],
        "fts5 python script": [sys.executable, str(fts5_script), str(fts5_db), query],
    }
    result: dict = {"query": query, "commands": {}}
    for name, cmd in commands.items():  # peak RSS of each, once warmed
        subprocess.run(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
        run_process(cmd)
        result["commands"][name] = {"max_rss_mb": run_process(cmd).max_rss_mb}
    hyperfine = shutil.which("hyperfine") if use_hyperfine else None
    if hyperfine:
        export = work / "hyperfine.json"
        env_cmd = [hyperfine, "-N", "--warmup", "3", "--runs", str(runs), "--export-json", str(export), "-i"]
        for name, cmd in commands.items():
            env_cmd += ["-n", name, " ".join(_shell_quote(c) for c in cmd)]
        subprocess.run(env_cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env={**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
                            "PYTHONPATH": str(REPO)}, check=True)
        for entry in json.loads(export.read_text())["results"]:
            result["commands"][entry["command"]]["median_ms"] = entry["median"] * 1000
        result["tool"] = "hyperfine"
    else:
        # Bytecode caching on, as on users' machines (some sandboxes turn it off, and then
        # searchkit's modules are compiled on every run while Whoosh's come precompiled).
        env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHKIT_") and k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPATH"] = str(REPO)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for i in range(runs):
            names = list(commands)
            for name in names[i % len(names):] + names[: i % len(names)]:
                started = time.perf_counter()
                subprocess.run(commands[name], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                times[name].append(time.perf_counter() - started)
        for name, values in times.items():
            result["commands"][name]["median_ms"] = statistics.median(values) * 1000
            result["commands"][name]["p10_p90_ms"] = [_pct(values, 0.1) * 1000, _pct(values, 0.9) * 1000]
        result["tool"] = f"interleaved subprocess runs ({runs} each)"
    medians = {name: c["median_ms"] for name, c in result["commands"].items()}
    result["ratio_no_update_vs_minimal"] = medians["searchkit query --no-update"] / medians["minimal whoosh script"]
    result["ratio_vs_minimal"] = medians["searchkit query"] / medians["minimal whoosh script"]
    return result


def _shell_quote(arg: str) -> str:
    return arg if re.fullmatch(r"[\w./:=-]+", arg) else "'" + arg.replace("'", "'\\''") + "'"


# --------------------------------------------------------------------------------------------
# Report


def print_report(report: dict) -> None:
    n = report["n"]
    print(f"\nscale benchmark: {n} articles, seed {report['seed']}, {report['cores']} cores, "
          f"Python {report['python']}, SQLite {report['sqlite']}, {report['date']}")
    builds = report.get("build", {})
    names = list(builds)
    if builds:
        print_builds(report, builds, names)
    if "update" in report:
        print("\nre-index (median of %d)" % report["repeats"]["update"])
        for name, u in report["update"].items():
            print(f"  {name:<18} no-op {u['noop_seconds']:7.2f} s    1% changed ({u['files_changed']} files) "
                  f"{u['one_percent_seconds']:7.2f} s")
    if "queries" in report:
        print_queries(report)
    for one in (report.get("one_shot_by_kind") or {"": report.get("one_shot")}).values():
        if one:
            print_one_shot(one)


def print_builds(report: dict, builds: dict, names: list[str]) -> None:
    print("\nfull build (median of %d)" % report["repeats"]["build"])
    print(f"  {'engine':<18}{'seconds':>9}{'docs/s':>9}{'RSS MB':>8}{'tree MB':>9}{'disk MB':>9}")
    for name in names:
        b = builds[name]
        print(f"  {name:<18}{b['seconds']:9.1f}{b['docs_per_s']:9.0f}{b['peak_rss_mb']:8.0f}"
              f"{b['peak_tree_rss_mb']:9.0f}{b['disk_mb']:9.1f}")
    if "whoosh plain" in builds:
        base = builds["whoosh plain"]["docs_per_s"]
        for name in names:
            if name.startswith("searchkit"):
                print(f"  {name} / whoosh plain build speed: {builds[name]['docs_per_s'] / base:.2f}x (goal >= 2)")
    if "searchkit" in builds:
        for peer in COUNT_PEERS:
            if peer in builds:
                ratio = builds["searchkit"]["docs_per_s"] / builds[peer]["docs_per_s"]
                print(f"  searchkit / {peer} build speed: {ratio:.2f}x")


def print_queries(report: dict) -> None:
    lat = report["queries"]["latency"]
    kinds = report["queries"]["kinds"]
    engines_q = list(lat)
    peers = [p for p in COUNT_PEERS if p in lat]
    print(f"\nquery latency, ms p50 / p95 ({report['repeats']['queries']} passes over "
          f"{report['queries_per_kind']} queries per kind; {' and '.join(p.replace('fts5', 'FTS5') for p in peers)} "
          "include the total count)")
    for mode in MODES:
        print(f"  {mode}")
        header = "".join(f"{e:>19}" for e in engines_q) + "".join(f"{'sk/' + p:>12}" for p in peers)
        print(f"    {'kind':<22}{header}")
        for kind in kinds:
            cells = []
            for e in engines_q:
                s = lat[e].get(mode, {}).get(kind)
                cells.append(f"{s['p50_ms']:9.1f} /{s['p95_ms']:7.1f}  " if s else " " * 19)
            sk = lat.get("searchkit", {}).get(mode, {}).get(kind)
            for peer in peers:
                theirs = lat[peer].get(mode, {}).get(kind)
                cells.append(f"{sk['p50_ms'] / theirs['p50_ms']:12.2f}" if sk and theirs else " " * 12)
            if any(c.strip() for c in cells):
                print(f"    {kind:<22}{''.join(cells)}")
    print("  CPU time of the process, ms p50 / p95 (10 snippets)")
    cpu_engines = [e for e in engines_q if e != "fts5 top-10 only"]
    print(f"    {'kind':<22}" + "".join(f"{e:>19}" for e in cpu_engines) + "".join(f"{'sk/' + p:>12}" for p in peers))
    for kind in kinds:
        cells = []
        for e in cpu_engines:
            s = lat[e].get("10 snippets", {}).get(kind, {})
            cells.append(f"{s['cpu_p50_ms']:9.2f} /{s['cpu_p95_ms']:7.2f}  " if "cpu_p50_ms" in s else " " * 19)
        sk = lat.get("searchkit", {}).get("10 snippets", {}).get(kind, {})
        for peer in peers:
            theirs = lat[peer].get("10 snippets", {}).get(kind, {})
            cells.append(f"{sk['cpu_p50_ms'] / theirs['cpu_p50_ms']:12.2f}"
                         if sk.get("cpu_p50_ms") and theirs.get("cpu_p50_ms") else " " * 12)
        print(f"    {kind:<22}{''.join(cells)}")
    if "tantivy" in lat:
        print("  (tantivy: facets are Searcher.aggregate terms aggregations over all matches)")
    paths = report["queries"].get("searchkit_paths")
    if paths:
        taken = ", ".join(f"{kind} {'/'.join(p)}" for kind, p in paths.items())
        print(f"  searchkit query path (asked {report['queries'].get('searchkit_path_asked', 'auto')}): {taken}")

    checks = report["queries"]["total_checks"]
    print(f"  match counts: searchkit's total changes with the snippet setting for "
          f"{len(checks['searchkit_count_depends_on_mode'])} queries, with facets for "
          f"{len(checks['searchkit_count_depends_on_facets'])}", end="")
    for peer in COUNT_PEERS:
        if f"searchkit_vs_{peer}_over_15pct" in checks:
            print(f"; differs from {peer} by >15% for {len(checks[f'searchkit_vs_{peer}_over_15pct'])}", end="")
    print(" (details in the JSON)")


def print_one_shot(one: dict) -> None:
    if one:
        print(f"\none-shot process, query {one['query']!r} ({one['tool']}, median ms, peak RSS MB)")
        for name, c in one["commands"].items():
            print(f"  {name:<30}{c['median_ms']:8.1f} ms {c['max_rss_mb']:7.0f} MB")
        print(f"  searchkit query --no-update / minimal whoosh: {one['ratio_no_update_vs_minimal']:.2f} (goal <= 1.15)")
        print(f"  searchkit query (freshness check) / minimal whoosh: {one['ratio_vs_minimal']:.2f}")


def git_state() -> dict:
    """The commit measured, and whether searchkit/ had uncommitted changes at the time."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""
    return {"commit": git("rev-parse", "HEAD"),
            "uncommitted": git("status", "--porcelain", "--", "searchkit").splitlines()}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_child":
        return child_main(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000, help="articles (default 20000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--build-repeats", type=int, default=3)
    parser.add_argument("--update-repeats", type=int, default=3)
    parser.add_argument("--query-repeats", type=int, default=5)
    parser.add_argument("--queries-per-kind", type=int, default=12)
    parser.add_argument("--jobs", default="1,2", help="searchkit build process counts to measure (default 1,2)")
    parser.add_argument("--no-plain-whoosh", action="store_true", help="skip Whoosh used plainly (the slowest build)")
    parser.add_argument("--no-tantivy", action="store_true", help="skip tantivy even when it is installed")
    parser.add_argument("--one-shot-runs", type=int, default=30)
    parser.add_argument("--hyperfine", action="store_true", help="time one-shot processes with hyperfine")
    parser.add_argument("--skip", default="", help="comma-separated phases to skip: build,update,queries,paths,one-shot")
    parser.add_argument("--json", type=Path, help="where to write the JSON (default benchmarks/results/...)")
    parser.add_argument("--path", choices=("auto", "sets", "numpy"), default="auto",
                        help="the query path searchkit takes (default auto); the JSON says which ran per kind")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    global SEARCHKIT_PATH
    SEARCHKIT_PATH = args.path

    corpus = corpus_for(args.n, args.seed)
    work = WORK_DIR / f"scale-n{args.n}-s{args.seed}"
    work.mkdir(parents=True, exist_ok=True)
    jobs = [int(j) for j in args.jobs.split(",") if j]
    with_tantivy = not args.no_tantivy and tantivy_version() is not None
    if not args.no_tantivy and not with_tantivy:
        print("note: tantivy is not installed (pip install tantivy, or the bench extra): "
              "its column is left out", file=sys.stderr)
    all_engines = engines(work, jobs, not args.no_plain_whoosh, with_tantivy)
    report: dict = {
        "n": args.n, "seed": args.seed, "cores": os.cpu_count(), "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version, "tantivy": tantivy_version() if with_tantivy else None,
        "tantivy_setup": TANTIVY_SETUP if with_tantivy else None, "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": platform.machine(), "load_average_at_start": os.getloadavg(),
        "repeats": {"build": args.build_repeats, "update": args.update_repeats, "queries": args.query_repeats},
        "queries_per_kind": args.queries_per_kind,
        "searchkit_source": git_state(),
    }
    if "build" not in skip:
        print("full builds", file=sys.stderr)
        report["build"] = measure_builds(corpus, args.n, all_engines, args.build_repeats)
    if "update" not in skip:
        print("re-index", file=sys.stderr)
        report["update"] = measure_updates(corpus, all_engines, args.update_repeats)
    queries = make_queries(corpus, args.seed, args.queries_per_kind)
    if (work / "fts5.db").exists():  # the sparse kinds are chosen by FTS5's counts
        queries += sparse_queries(work / "fts5.db", corpus, args.seed, args.queries_per_kind)
    report["query_set"] = {kind: [q.label for q in queries if q.kind == kind]
                           for kind in dict.fromkeys(q.kind for q in queries)}
    if "queries" not in skip:
        print("queries", file=sys.stderr)
        report["queries"] = measure_queries(all_engines, queries, args.query_repeats)
    if "queries" in report:
        checks = report["queries"]["total_checks"]
        for item in checks["searchkit_count_depends_on_mode"]:
            print(f"  CHECK searchkit total depends on mode: {item}", file=sys.stderr)
        for item in checks["searchkit_count_depends_on_facets"]:
            print(f"  CHECK searchkit total depends on facets: {item}", file=sys.stderr)
        for peer in COUNT_PEERS:
            for item in checks.get(f"searchkit_vs_{peer}_over_15pct", []):
                print(f"  CHECK searchkit vs {peer} total: {item}", file=sys.stderr)
    if "paths" not in skip and "queries" not in skip:
        print("packed path against the set path", file=sys.stderr)
        report["path_check"] = check_paths(work / "idx-searchkit-j1", queries)
        print(f"  {len(report['path_check']['differ'])} of {report['path_check']['queries']} queries differ",
              file=sys.stderr)
    if "one-shot" not in skip:
        print("one-shot processes", file=sys.stderr)
        two_word = next(q for q in queries if q.kind == "2 words")
        report["one_shot"] = measure_one_shot(work, work / "idx-searchkit-j1", work / "fts5.db",
                                              " ".join(two_word.words), args.one_shot_runs, args.hyperfine)
        # However a query ends: no match (did-you-mean runs), one match, a phrase with none.
        report["one_shot_by_kind"] = {"2 words": report["one_shot"]}
        for kind in ("1 word (no match)", "1 word (one match)", "phrase (no match)", "phrase (from text)"):
            found = next((q for q in queries if q.kind == kind), None)
            if found is not None:
                report["one_shot_by_kind"][kind] = measure_one_shot(
                    work, work / "idx-searchkit-j1", work / "fts5.db", found.text, args.one_shot_runs,
                    args.hyperfine)
    report["load_average_at_end"] = os.getloadavg()
    out = args.json or RESULTS_DIR / f"scale-n{args.n}-{dt.date.today().isoformat()}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, default=str) + "\n")
    print_report(report)
    print(f"\nwrote {out}")
    return 0


def child_main(argv: list[str]) -> int:
    """The build/update work of the peers, run in a process of its own to measure it."""
    what, corpus, target = argv[0], Path(argv[1]), Path(argv[2])
    if what == "fts5-build":
        print(json.dumps({"documents": fts5_build(corpus, target)}))
    elif what == "fts5-update":
        print(json.dumps(fts5_update(corpus, target)))
    elif what == "whoosh-build":
        print(json.dumps({"documents": plain_whoosh_build(corpus, target)}))
    elif what == "tantivy-build":
        print(json.dumps({"documents": tantivy_build(corpus, target)}))
    else:
        raise SystemExit(f"unknown child task {what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
