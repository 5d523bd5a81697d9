"""Reader for the Cranfield test collection (1400 aeronautics abstracts, 225 queries).

Files, in the classic SMART layout (``benchmarks/data/cranfield/``):

- ``cran.all.1400``: records opened by ``.I <number>``, with ``.T`` title, ``.A`` authors,
  ``.B`` bibliography and ``.W`` text sections (the text usually starts with the title again).
  A few records are damaged in the distributed file (e.g. 576 and 578 hold two ``.W``
  sections): a repeated section is appended to the first, never dropped.
- ``cran.qry``: queries opened by ``.I``. Their ``.I`` numbers skip values; the judgments
  number queries by position, so the k-th query in the file is query ``k``.
- ``cranqrel``: ``query doc grade`` per line. Cleverdon's grades: 1 = complete answer,
  2 = high relevance, 3 = useful, 4 = minimum interest; -1 = of no interest (judged, not
  relevant).

Ids are kept as strings of the plain number ("1" .. "1400", "1" .. "225"), the form
evaluation libraries (ir-measures, trec_eval) expect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data" / "cranfield"

_FIELD_MARKER = re.compile(r"^\.([TAWB])\s*$")
_RECORD_START = re.compile(r"^\.I\s+(\d+)\s*$")


@dataclass(frozen=True)
class Doc:
    doc_id: str
    title: str
    authors: str
    biblio: str
    text: str

    def abstract(self) -> str:
        """The text without the copy of the title it usually starts with."""
        if self.title and self.text.startswith(self.title):
            return self.text[len(self.title):].lstrip()
        return self.text


@dataclass(frozen=True)
class Query:
    query_id: str  # position in cran.qry, 1-based: the id the judgments use
    file_number: str  # the query's own .I number (not used by the judgments)
    text: str


@dataclass(frozen=True)
class Judgement:
    query_id: str
    doc_id: str
    grade: int  # 1 best .. 4 least; -1 judged not relevant


@dataclass(frozen=True)
class Collection:
    docs: list[Doc]
    queries: list[Query]
    judgements: list[Judgement]


def _one_line(lines: list[str]) -> str:
    """Joins a section's lines into one line with single spaces."""
    return " ".join(" ".join(lines).split())


def _read_records(path: Path) -> list[tuple[str, dict[str, list[str]]]]:
    """Splits a SMART file into (.I number, {section letter: lines}) records, in file order."""
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
            # A repeated marker continues the same section (damaged records).
            section = records[-1][1].setdefault(marker.group(1), [])
            continue
        if section is not None:
            section.append(raw.rstrip())
        elif raw.strip():
            raise ValueError(f"{path.name}: text outside any section: {raw!r}")
    return records


def read_documents(path: Path = DATA_DIR / "cran.all.1400") -> list[Doc]:
    """The documents, in file order; titles and texts whitespace-collapsed to one line."""
    return [
        Doc(
            doc_id=str(int(number)),
            title=_one_line(sections.get("T", [])),
            authors=_one_line(sections.get("A", [])),
            biblio=_one_line(sections.get("B", [])),
            text=_one_line(sections.get("W", [])),
        )
        for number, sections in _read_records(path)
    ]


def read_queries(path: Path = DATA_DIR / "cran.qry") -> list[Query]:
    """The queries; ``query_id`` is the 1-based position in the file."""
    return [
        Query(query_id=str(position), file_number=str(int(number)),
              text=_one_line(sections.get("W", [])))
        for position, (number, sections) in enumerate(_read_records(path), start=1)
    ]


def read_judgements(path: Path = DATA_DIR / "cranqrel") -> list[Judgement]:
    """All ``query doc grade`` lines, grades as written (1..4, -1)."""
    judgements = []
    for line_number, line in enumerate(path.read_text(encoding="ascii").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 3:
            raise ValueError(f"{path.name}:{line_number}: expected 'query doc grade': {line!r}")
        query, doc, grade = parts
        judgements.append(Judgement(str(int(query)), str(int(doc)), int(grade)))
    return judgements


def load(data_dir: Path = DATA_DIR) -> Collection:
    """Documents, queries and judgments from one Cranfield folder."""
    return Collection(
        docs=read_documents(data_dir / "cran.all.1400"),
        queries=read_queries(data_dir / "cran.qry"),
        judgements=read_judgements(data_dir / "cranqrel"),
    )
