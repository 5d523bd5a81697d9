"""The synthetic benchmark corpus: reproducible, shaped like a real news folder, real words."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

import corpusgen  # noqa: E402

WORD = re.compile(r"[A-Za-z]+(?:['\u2019-][A-Za-z]+)*")
DATELINE = re.compile(r"^\(([^,()]+), ([A-Z][a-z]{2})(\d{2})['\u2019](\d{2})\) \u2014 \S")
DATE_LINE = re.compile(r"^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}) - \d{2}:\d{2}$", re.M)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def source_vocabulary() -> set[str]:
    """Every word of the Cranfield collection and the seed articles, read independently."""
    text = (REPO / "benchmarks/data/cranfield/cran.all.1400").read_text(encoding="utf-8")
    for seed in (REPO / "seeds").glob("*.txt"):
        text += "\n" + seed.read_text(encoding="utf-8")
    return {w.lower() for w in WORD.findall(text)}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "news"
    corpusgen.generate(out, 300, seed=11)
    return out


def test_same_seed_and_n_give_byte_identical_corpus_whatever_the_process_count(tmp_path: Path) -> None:
    corpusgen.generate(tmp_path / "a", 2100, seed=3, procs=1)
    corpusgen.generate(tmp_path / "b", 2100, seed=3, procs=2)
    a, b = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert len(a) == 2101  # articles + metadata.toml
    assert a == b


def test_another_seed_gives_other_articles(tmp_path: Path, corpus: Path) -> None:
    corpusgen.generate(tmp_path / "other", 300, seed=12)
    mine, other = tree(corpus), tree(tmp_path / "other")
    same = [p for p in mine if p in other and mine[p] == other[p]]
    assert len(same) == 0


def test_files_are_txt_articles_in_a_few_subfolders(corpus: Path) -> None:
    files = sorted(corpus.rglob("*.txt"))
    assert len(files) == 300
    folders = Counter(p.parent.name for p in files)
    assert 3 <= len(folders) <= 10
    assert all(p.parent.parent == corpus for p in files)


def test_metadata_toml_gives_outlet_and_date_for_a_portion_of_existing_files(corpus: Path) -> None:
    meta = tomllib.loads((corpus / "metadata.toml").read_text(encoding="utf-8"))
    assert 0.25 * 300 <= len(meta) <= 0.55 * 300
    for rel_path, entry in meta.items():
        assert (corpus / rel_path).is_file()
        assert set(entry) <= {"outlet", "date"} and entry
        if "date" in entry:
            assert isinstance(entry["date"], dt.date)
            assert dt.date(2023, 1, 1) <= entry["date"] <= dt.date(2024, 12, 31)
        if "outlet" in entry:
            assert entry["outlet"].strip() == entry["outlet"] != ""
    outlets = Counter(e["outlet"] for e in meta.values() if "outlet" in e)
    assert 4 <= len(outlets) <= 10
    days = sorted(e["date"] for e in meta.values() if "date" in e)
    assert (days[-1] - days[0]).days > 500  # spread over about two years


def test_other_articles_carry_outlet_and_date_in_their_text(corpus: Path) -> None:
    meta = tomllib.loads((corpus / "metadata.toml").read_text(encoding="utf-8"))
    datelines = date_lines = neither = 0
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    for path in corpus.rglob("*.txt"):
        if path.relative_to(corpus).as_posix() in meta:
            continue
        title, _, rest = path.read_text(encoding="utf-8").partition("\n\n")
        m = DATELINE.match(rest)
        if m:
            datelines += 1
            assert m.group(2) in months
            dt.date(2000 + int(m.group(4)), months.index(m.group(2)) + 1, int(m.group(3)))
            continue
        m = DATE_LINE.match(rest)
        if m:
            date_lines += 1
            dt.date(int(m.group(3)), months.index(m.group(1)) + 1, int(m.group(2)))
            continue
        neither += 1
    assert datelines >= 30 and date_lines >= 30
    assert 5 <= neither <= 60  # some articles have no outlet or date at all


def test_articles_have_a_title_line_and_about_250_words_of_real_vocabulary(corpus: Path) -> None:
    vocabulary = source_vocabulary()
    counts: Counter[str] = Counter()
    lengths = []
    for path in corpus.rglob("*.txt"):
        text = path.read_text(encoding="utf-8")
        title, _, body = text.partition("\n\n")
        assert 3 <= len(title.split()) <= 20 and "\n" not in title
        words = [w.lower() for w in WORD.findall(body)]
        lengths.append(len(words))
        counts.update(words)
    mean = sum(lengths) / len(lengths)
    assert 200 <= mean <= 330
    total = sum(counts.values())
    known = sum(n for w, n in counts.items() if w in vocabulary)
    assert known / total > 0.95  # real words, not random letters
    # Zipfian: a few words carry a large share of the text, and the tail is long.
    assert sum(n for _, n in counts.most_common(10)) / total > 0.15
    assert len(counts) > 3000
    assert sum(1 for n in counts.values() if n == 1) > 500


def test_cli_writes_n_articles_and_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    script = REPO / "benchmarks" / "corpusgen.py"
    out = tmp_path / "cli"
    done = subprocess.run([sys.executable, script, out, "40", "--seed", "2"], capture_output=True)
    assert done.returncode == 0, done.stderr
    assert len(list(out.rglob("*.txt"))) == 40
    again = subprocess.run([sys.executable, script, out, "40"], capture_output=True, text=True)
    assert again.returncode == 2
    assert "not empty" in again.stderr
