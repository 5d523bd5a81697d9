"""Reproducible synthetic news corpus for the scale benchmark.

Text comes from a variable-order Markov chain over real prose: the Cranfield abstracts plus
the seed news articles (weighted up so their vocabulary -- China, Russia, sanctions -- is
common). The generator copies a short run of 2-8 consecutive source tokens, then jumps to
another occurrence of the run's last word and continues from there. Every adjacent word pair is
therefore a real bigram, word frequencies follow the source's Zipfian distribution, and the
work per run is one list slice, so 200k articles take seconds, not minutes. A long tail of
proper names (built from real word stems and real name endings, chosen with Zipf's law) and
numbers gives the vocabulary the growth of a real news archive.

Each article gets a title, an outlet out of a handful and a date within two years. About 40%
have their outlet and date in ``metadata.toml`` at the corpus root; the others carry them in
the text as news sites do (a "(Outlet, Apr08'24) — " dateline, or an "Apr 7, 2024 - 16:10"
line under the title with an optional byline), and some have neither.

Article ``i`` depends only on ``(seed, i)``, so a corpus of N articles is byte-identical
for the same seed and N, and its articles are a prefix of a bigger corpus's.

CLI: ``python benchmarks/corpusgen.py OUT N [--seed S]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import multiprocessing
import os
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from random import Random

BENCH_DIR = Path(__file__).resolve().parent
CRANFIELD = BENCH_DIR / "data" / "cranfield" / "cran.all.1400"
SEEDS_DIR = BENCH_DIR.parent / "seeds"

#: The seeds are ~2.6k words against Cranfield's 250k; repeating them makes news words common.
SEED_WEIGHT = 25

#: (name, relative weight): a few big outlets and a tail of small ones.
OUTLETS = (
    ("Daily Ledger", 30),
    ("The Morning Courier", 22),
    ("Northern Wire", 15),
    ("Harbor Times", 12),
    ("Meridian Post", 9),
    ("Kestrel News Agency", 7),
    ("Valley Gazette", 5),
)
SECTIONS = ("world", "business", "politics", "science", "culture")
FIRST_DAY = dt.date(2023, 1, 1)
DAYS = 731  # two years: 2023-01-01 .. 2024-12-31
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

FIRST_NAMES = (
    "Anna", "Peter", "Maria", "John", "Elena", "David", "Sofia", "Michael", "Laura", "Omar",
    "Yuki", "Carlos", "Fatima", "Ivan", "Grace", "Ahmed", "Nina", "Paul", "Lena", "Tomas",
    "Priya", "James", "Olga", "Marco", "Chen", "Sarah", "Viktor", "Amara", "Lucas", "Ines",
)
NAME_ENDINGS = (
    "ov", "son", "berg", "ski", "ez", "ley", "ton", "ova", "ini", "ard", "er", "man", "enko",
    "ford", "ing", "well", "stein", "ova", "ic", "ard", "es", "ell", "ani", "ura",
)
#: Size of the proper-name vocabulary the long tail is drawn from.
NAME_POOL = 60_000

# Dotted acronyms (U.S, i.e; a following full stop is its own token), words with inner
# hyphens/apostrophes, numbers, and the punctuation we keep.
_SOURCE_TOKEN = re.compile(r"[A-Za-z](?:\.[A-Za-z])+|[A-Za-z]+(?:['\u2019-][A-Za-z]+)*|\d+(?:[.,]\d+)*|[.,]")


@dataclass(frozen=True)
class Model:
    """The token stream the chain walks, and where each word occurs in it."""

    tokens: tuple[str, ...]
    #: lower-cased token -> positions in ``tokens`` that may be jumped to (never at the end).
    occurrences: dict[str, tuple[int, ...]]
    #: positions right after a full stop: where sentences (and titles) can start.
    sentence_starts: tuple[int, ...]
    #: for each position p: where the chain may continue after a run ending at p (the
    #: positions right after every occurrence of the same word), shared between equal words.
    follow: tuple[tuple[int, ...], ...]
    names: tuple[str, ...]

    def word_counts(self) -> Counter[str]:
        """Lower-cased word frequencies of the stream: the generated corpus follows them."""
        return Counter(t.lower() for t in self.tokens if t[0].isalpha())

    def bigram_counts(self) -> Counter[tuple[str, str]]:
        """Frequencies of adjacent lower-cased word pairs (candidate phrase queries)."""
        words = [t.lower() for t in self.tokens]
        return Counter(
            (a, b) for a, b in zip(words, words[1:]) if a[0].isalpha() and b[0].isalpha()
        )


def _cranfield_abstracts(path: Path) -> list[str]:
    """The ``.W`` text of each Cranfield document."""
    texts: list[str] = []
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("."):
            if current is not None:
                texts.append(" ".join(current))
            current = [] if line.startswith(".W") else None
        elif current is not None:
            current.append(line)
    if current is not None:
        texts.append(" ".join(current))
    return texts


def _make_names(tokens: list[str]) -> tuple[str, ...]:
    """Proper names from real word stems plus real name endings (never random letters)."""
    words = {t.lower() for t in tokens if t.isalpha() and len(t) >= 6}
    stems = {w[:k] for w in words for k in (3, 4, 5)}
    candidates = sorted({(stem + ending).capitalize() for stem in stems for ending in NAME_ENDINGS})
    return tuple(Random(7).sample(candidates, min(NAME_POOL, len(candidates))))


@lru_cache(maxsize=1)
def load_model() -> Model:
    """Builds the chain from the Cranfield abstracts and the seed articles (cached)."""
    tokens: list[str] = []
    for text in _cranfield_abstracts(CRANFIELD):
        tokens.extend(_SOURCE_TOKEN.findall(text))
        if tokens and tokens[-1] != ".":
            tokens.append(".")
    seed_tokens: list[str] = []
    for seed_file in sorted(SEEDS_DIR.glob("*.txt")):
        seed_tokens.extend(_SOURCE_TOKEN.findall(seed_file.read_text(encoding="utf-8")))
        seed_tokens.append(".")
    tokens.extend(seed_tokens * SEED_WEIGHT)

    # Never jump into the last few tokens, so every slice of up to 8 tokens is full length.
    last_jump = len(tokens) - 10
    occurrences: dict[str, list[int]] = {}
    for pos, tok in enumerate(tokens[:last_jump]):
        occurrences.setdefault(tok.lower(), []).append(pos)
    starts = tuple(p + 1 for p in occurrences["."])
    after = {w: tuple(p + 1 for p in ps) for w, ps in occurrences.items()}
    return Model(
        tokens=tuple(tokens),
        occurrences={w: tuple(ps) for w, ps in occurrences.items()},
        sentence_starts=starts,
        follow=tuple(after.get(t.lower(), starts) for t in tokens),
        names=_make_names(tokens),
    )


class _ArticleWriter:
    """Generates one article's text from the model with a per-article random source."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.log_names = math.log(len(model.names))

    def _name(self, rng: Random) -> str:
        # exp(U * ln M) has density ~ 1/rank: Zipf's law over the name pool.
        return self.model.names[int(math.exp(rng.random() * self.log_names)) - 1]

    def _number(self, rng: Random) -> str:
        kind = rng.random()
        if kind < 0.4:
            return str(rng.randrange(2, 100))
        if kind < 0.6:
            return f"{rng.randrange(1, 999)}.{rng.randrange(10)} million"
        if kind < 0.8:
            return f"{rng.randrange(1, 100)} percent"
        return str(rng.randrange(1990, 2025))

    def words(self, rng: Random, target: int) -> list[str]:
        """About ``target`` words of running text (tokens, punctuation included)."""
        tokens = self.model.tokens
        follow = self.model.follow
        starts = self.model.sentence_starts
        rand = rng.random
        out: list[str] = []
        pos = starts[int(rand() * len(starts))]
        while len(out) < target:
            end = pos + 2 + int(rand() * 7)
            out += tokens[pos:end]
            extra = rand()
            if extra < 0.08:
                out.append(self._name(rng) if extra < 0.06 else self._number(rng))
            nxt = follow[end - 1]
            pos = nxt[int(rand() * len(nxt))]
        return out

    def title(self, rng: Random) -> str:
        target = 5 + int(rng.random() * 7)
        words = [w for w in self.words(rng, target + 6) if w[0].isalnum()][:target]
        if rng.random() < 0.5:
            words.insert(int(rng.random() * len(words)), self._name(rng))
        if rng.random() < 0.5:  # Headline Case, as many sites do
            return " ".join(w[:1].upper() + w[1:] for w in words)
        return words[0][:1].upper() + words[0][1:] + "".join(" " + w for w in words[1:])

    def body(self, rng: Random) -> str:
        if rng.random() < 0.01:
            target = 1000 + int(rng.random() * 1500)  # the occasional long feature
        else:
            target = max(80, int(rng.gauss(252, 60)))
        text = " ".join(self.words(rng, target)).replace(" .", ".").replace(" ,", ",")
        sentences = [s[:1].upper() + s[1:] for s in text.split(". ") if s]
        paragraphs: list[str] = []
        i = 0
        while i < len(sentences):
            k = 2 + int(rng.random() * 4)
            paragraph = ". ".join(sentences[i : i + k])
            paragraphs.append(paragraph if paragraph.endswith(".") else paragraph.rstrip(",") + ".")
            i += k
        return "\n\n".join(paragraphs) + "\n"


def _pick_outlet(rng: Random) -> str:
    total = sum(w for _, w in OUTLETS)
    x = rng.random() * total
    for name, weight in OUTLETS:
        x -= weight
        if x < 0:
            return name
    return OUTLETS[-1][0]


@dataclass(frozen=True)
class _Article:
    rel_path: str
    text: str
    #: TOML lines for metadata.toml ("" when the article carries its metadata in the text).
    toml: str


def _article(writer: _ArticleWriter, seed: int, i: int, width: int) -> _Article:
    rng = Random((seed << 40) + i)
    section = SECTIONS[int(rng.random() * len(SECTIONS))]
    rel_path = f"{section}/{i:0{width}d}.txt"
    outlet = _pick_outlet(rng)
    day = FIRST_DAY + dt.timedelta(days=int(rng.random() * DAYS))
    title = writer.title(rng)
    body = writer.body(rng)
    style = rng.random()
    toml = ""
    if style < 0.40:  # metadata.toml carries outlet and date (sometimes only one of them)
        text = f"{title}\n\n{body}"
        which = rng.random()
        lines = [f'["{rel_path}"]']
        if which < 0.95:
            lines.append(f'outlet = "{outlet}"')
        if which < 0.90 or which >= 0.95:
            lines.append(f"date = {day.isoformat()}")
        toml = "\n".join(lines) + "\n"
    elif style < 0.65:  # "(TibetanReview.net, Apr08’24) — China and Ukraine ..."
        quote = "\u2019" if rng.random() < 0.5 else "'"
        dateline = f"({outlet}, {MONTHS[day.month - 1]}{day.day:02d}{quote}{day.year % 100:02d}) \u2014 "
        text = f"{title}\n\n{dateline}{body}"
    elif style < 0.90:  # "Apr 7, 2024 - 16:10" under the title, maybe a byline
        stamp = f"{MONTHS[day.month - 1]} {day.day}, {day.year} - {rng.randrange(6, 23):02d}:{rng.randrange(60):02d}"
        byline = f"by {outlet} Correspondents\n" if rng.random() < 0.5 else ""
        text = f"{title}\n\n{stamp}\n{byline}\n{body}"
    else:  # no outlet, no date: the index must cope
        text = f"{title}\n\n{body}"
    return _Article(rel_path, text, toml)


#: Articles per task when several processes generate a corpus.
_BLOCK = 2000


def _write_block(out_dir: Path, seed: int, start: int, stop: int, width: int) -> str:
    """Writes articles ``start..stop-1``; returns their metadata.toml entries."""
    writer = _ArticleWriter(load_model())
    toml_parts: list[str] = []
    for i in range(start, stop):
        article = _article(writer, seed, i, width)
        with open(out_dir / article.rel_path, "wb") as f:
            f.write(article.text.encode("utf-8"))
        if article.toml:
            toml_parts.append(article.toml)
    return "\n".join(toml_parts)


def generate(out_dir: Path, n: int, seed: int = 0, procs: int | None = None) -> None:
    """Writes ``n`` articles and ``metadata.toml`` under ``out_dir`` (must not hold files).

    ``procs`` processes share the work (default: all cores); the output does not depend on it.
    """
    out_dir = Path(out_dir)
    if n < 0:
        raise ValueError("n must be >= 0")
    if out_dir.exists() and any(out_dir.iterdir()):
        raise FileExistsError(f"{out_dir} is not empty")
    for section in SECTIONS:
        (out_dir / section).mkdir(parents=True, exist_ok=True)
    load_model()  # once, before forking: the workers inherit it
    width = max(6, len(str(n - 1)))
    blocks = [(out_dir, seed, a, min(a + _BLOCK, n), width) for a in range(0, n, _BLOCK)]
    procs = min(procs or os.cpu_count() or 1, len(blocks))
    if procs > 1:
        with multiprocessing.get_context("fork").Pool(procs) as pool:
            parts = pool.starmap(_write_block, blocks, chunksize=1)
    else:
        parts = [_write_block(*block) for block in blocks]
    header = f"# Synthetic corpus: {n} articles, seed {seed} (benchmarks/corpusgen.py)\n\n"
    body = "\n".join(p for p in parts if p)
    (out_dir / "metadata.toml").write_bytes((header + body).encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic news corpus.")
    parser.add_argument("out", type=Path, help="output folder (created; must be empty)")
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--procs", type=int, default=None, help="processes (default: all cores)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        generate(args.out, args.n, args.seed, args.procs)
    except (FileExistsError, ValueError) as err:
        print(f"corpusgen: error: {err}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    print(f"{args.n} articles in {args.out} ({elapsed:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
