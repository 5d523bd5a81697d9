"""Readers for two more SMART-format test collections from the University of Glasgow IR
group's distribution (``benchmarks/data/cisi/``, ``benchmarks/data/medline/``; provenance
and terms in ``benchmarks/data/README.md``). Both have long natural-language queries, the
kind a user pastes.

- CISI (library and information science): ``CISI.ALL`` 1,460 records (``.T`` title, ``.A``
  authors, ``.W`` abstract, ``.X`` citations); ``CISI.QRY`` 112 queries (``.W`` text; some
  also carry a ``.T``/``.A`` title and authors and a ``.B`` Boolean form, not used), 76 of
  them judged; ``CISI.REL`` ``query doc 0 0.0`` per line, binary.
- Medline (MED): ``MED.ALL`` 1,033 abstracts (``.W`` only: the title is the first sentence,
  as written); ``MED.QRY`` 30 queries; ``MED.REL`` ``query 0 doc 1`` per line (the revised
  judgments of 2000 shipped in the same archive), binary.

What is indexed of a record: the title line, a blank line, the abstract (CISI); the abstract
as written (Medline, whose first line is its title). Citations and authors are left out.
"""

from __future__ import annotations

from pathlib import Path

from cacm import Collection, Doc, Judgement, _one_line, read_queries, read_records

DATA = Path(__file__).resolve().parent / "data"


def _judgements(path: Path, query_col: int, doc_col: int) -> list[Judgement]:
    out = []
    seen = set()
    for line_number, line in enumerate(path.read_text(encoding="ascii").splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 4:
            raise ValueError(f"{path.name}:{line_number}: expected four columns: {line!r}")
        key = (str(int(parts[query_col])), str(int(parts[doc_col])))
        if key not in seen:  # CISI.REL lists a few pairs twice
            seen.add(key)
            out.append(Judgement(*key, 1))
    return out


def load_cisi(data_dir: Path = DATA / "cisi") -> Collection:
    docs = [
        Doc(doc_id=str(int(number)), title=_one_line(sections.get("T", [])),
            abstract=_one_line(sections.get("W", [])), keywords="", authors="", date_line="")
        for number, sections in read_records(data_dir / "CISI.ALL")
    ]
    return Collection(docs, read_queries(data_dir / "CISI.QRY"), _judgements(data_dir / "CISI.REL", 0, 1))


def load_medline(data_dir: Path = DATA / "medline") -> Collection:
    docs = []
    for number, sections in read_records(data_dir / "MED.ALL"):
        lines = [line.strip() for line in sections.get("W", [])]
        # The first sentence (up to " ." at a line's end) is the article's title.
        title_end = next((i for i, line in enumerate(lines) if line.endswith(" .") or line.endswith(".")), 0)
        title = _one_line(lines[: title_end + 1])
        abstract = _one_line(lines[title_end + 1:])
        docs.append(Doc(doc_id=str(int(number)), title=title, abstract=abstract, keywords="", authors="",
                        date_line=""))
    return Collection(docs, read_queries(data_dir / "MED.QRY"), _judgements(data_dir / "MED.REL", 0, 2))
