"""Reader for the CACM test collection (3,204 Communications of the ACM records, 64 queries).

Files, in the SMART distribution (``benchmarks/data/cacm/``):

- ``cacm.all``: records opened by ``.I <number>``, with ``.T`` title, ``.W`` abstract (about
  half the records have one), ``.K`` key words, ``.B`` a date line ("CACM December, 1958"),
  ``.A`` authors, ``.N`` the entry's bookkeeping line and ``.X`` citation triples.
- ``query.text``: 64 queries (``.W`` text, some with ``.A`` authors and ``.N`` the asker), then
  an empty ``.I 0`` record, which is skipped.
- ``qrels.text``: ``query doc 0 0`` per line; binary relevance; 52 queries have judgments.
- ``common_words``: SMART's stop list for it (not used by any system here).

What is indexed of a record (:meth:`Doc.text`): the title line, a blank line, then the
abstract, key words, authors and date line, each as written. ``.N`` and ``.X`` are the
collection's own bookkeeping, not the article, and are left out.

Ids are strings of the plain number, as ir-measures expects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data" / "cacm"

_FIELD_MARKER = re.compile(r"^\.([A-Z])\s*$")  # every SMART collection's field markers
_RECORD_START = re.compile(r"^\.I\s+(\d+)\s*$")


@dataclass(frozen=True)
class Doc:
    doc_id: str
    title: str
    abstract: str
    keywords: str
    authors: str
    date_line: str

    def text(self) -> str:
        parts = [p for p in (self.abstract, self.keywords, self.authors, self.date_line) if p]
        return self.title + "\n\n" + "\n".join(parts) + "\n"


@dataclass(frozen=True)
class Query:
    query_id: str
    text: str


@dataclass(frozen=True)
class Judgement:
    query_id: str
    doc_id: str
    grade: int  # 1: relevant (the collection is binary)


@dataclass(frozen=True)
class Collection:
    docs: list[Doc]
    queries: list[Query]
    judgements: list[Judgement]


def _one_line(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def read_records(path: Path) -> list[tuple[str, dict[str, list[str]]]]:
    records: list[tuple[str, dict[str, list[str]]]] = []
    section: list[str] | None = None
    for raw in path.read_text(encoding="ascii", errors="replace").splitlines():
        start = _RECORD_START.match(raw)
        if start:
            records.append((start.group(1), {}))
            section = None
            continue
        marker = _FIELD_MARKER.match(raw)
        if marker and records:
            section = records[-1][1].setdefault(marker.group(1), [])
            continue
        if section is not None:
            section.append(raw.rstrip())
        elif raw.strip():
            raise ValueError(f"{path.name}: text outside any section: {raw!r}")
    return records


def _lines(lines: list[str]) -> str:
    """Author lines stay one per line (joined by "; "); other sections become one line."""
    return "; ".join(line.strip() for line in lines if line.strip())


def read_documents(path: Path = DATA_DIR / "cacm.all") -> list[Doc]:
    return [
        Doc(
            doc_id=str(int(number)),
            title=_one_line(sections.get("T", [])),
            abstract=_one_line(sections.get("W", [])),
            keywords=_one_line(sections.get("K", [])),
            authors=_lines(sections.get("A", [])),
            date_line=_one_line(sections.get("B", [])),
        )
        for number, sections in read_records(path)
    ]


def read_queries(path: Path = DATA_DIR / "query.text") -> list[Query]:
    """The queries with text (the trailing empty ``.I 0`` record is skipped)."""
    out = []
    for number, sections in read_records(path):
        text = _one_line(sections.get("W", []))
        if text:
            out.append(Query(str(int(number)), text))
    return out


def read_judgements(path: Path = DATA_DIR / "qrels.text") -> list[Judgement]:
    judgements = []
    for line_number, line in enumerate(path.read_text(encoding="ascii").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 4:
            raise ValueError(f"{path.name}:{line_number}: expected 'query doc 0 0': {line!r}")
        judgements.append(Judgement(str(int(parts[0])), str(int(parts[1])), 1))
    return judgements


def load(data_dir: Path = DATA_DIR) -> Collection:
    return Collection(
        docs=read_documents(data_dir / "cacm.all"),
        queries=read_queries(data_dir / "query.text"),
        judgements=read_judgements(data_dir / "qrels.text"),
    )
