"""`searchkit export` as a process: every match, the header that makes a list citable, and
each format safe against hostile article text."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import run_cli, write_corpus
from .test_new_user import cited  # noqa: F401 - a fixture: a page, a web archive and odd text

HOSTILE_TITLE = "=HYPERLINK(\"http://evil.example\",\"quokka\")"
HOSTILE = (
    f"{HOSTILE_TITLE}\n\n"
    "The quokka census \x1b]0;pwned\x07 rose. \x1b[31mRed\u202eright-to-left\u202c text. "
    "[click](javascript:alert(1)) <script>alert(1)</script> quokka **bold** # heading\n"
    "@SUM(1+1) and +cmd|' /C calc'!A0 and -2+3 sit in the quokka text too.\n"
)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("export")
    files = {f"a{i:02d}.txt": f"Quokka note {i}\n\nA quokka was seen near the river, report number {i}. "
             + "Filler words about the island and its animals. " * (i % 5 + 1) for i in range(24)}
    files["zz_hostile.txt"] = HOSTILE
    write_corpus(root / "corpus", files)
    built = run_cli("index", "corpus", "--index", "index", cwd=root)
    assert built.returncode == 0, built.stderr
    return root


def _generation(work: Path) -> str:
    from searchkit.store import POINTER_FILE

    return json.loads((work / "index" / POINTER_FILE).read_text())["generation"]


def _count(work: Path, query: str) -> int:
    return int(run_cli("query", "-c", query, "--index", "index", cwd=work).stdout)


def test_jsonl_has_a_header_and_every_match_with_passages(work: Path) -> None:
    result = run_cli("export", "quokka", "--index", "index", "--since", "2000", cwd=work)
    assert result.returncode == 1  # nothing is dated: the filter leaves nothing
    result = run_cli("export", "quokka", "--index", "index", cwd=work)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    header = records[0]["export"]
    hits = records[1:]
    total = _count(work, "quokka")
    assert total == 25 and len(hits) == total == header["total"]  # not one page of 10
    assert header["query"] == "quokka" and header["filters"] == {} and header["sort"] == "relevance"
    assert header["index"] == str((work / "index").resolve()) and header["generation"] == _generation(work)
    assert re.match(r"\d{4}-\d\d-\d\dT", header["exported_at"])
    assert [h["rank"] for h in hits] == list(range(1, total + 1))
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    import searchkit

    with searchkit.open_index(work / "index") as ix:  # the text the offsets point into
        texts = {h["doc_id"]: ix.document(h["doc_id"]).text for h in hits}
    for hit in hits:
        text = texts[hit["doc_id"]]
        assert hit["passages"], hit["doc_id"]
        for passage in hit["passages"]:
            assert passage["matches"]
            for start, end in passage["matches"]:
                assert text[start:end].lower() == "quokka"
            from searchkit.sanitize import one_line  # what every output does to article text

            assert " ".join(one_line(text[passage["start"]:passage["end"]]).split()) == passage["text"]


def test_filters_are_named_in_the_header(work: Path) -> None:
    result = run_cli("export", "quokka", "--index", "index", "--until", "2024-04", cwd=work)
    header = json.loads(result.stdout.splitlines()[0])["export"]
    assert header["filters"] == {"until": "2024-04-30"}
    # An outlet the index does not have is an error naming why, never an empty list (issue 27).
    result = run_cli("export", "quokka", "--index", "index", "--outlet", "Nowhere", cwd=work)
    assert result.returncode == 2 and "no outlet 'Nowhere'" in result.stderr and not result.stdout


def test_outlets_are_named_in_the_header_as_the_index_names_them(cited: Path) -> None:
    result = run_cli("export", "quarry", "--index", "index", "--outlet", "daily", "--outlet", "odd", cwd=cited)
    assert result.returncode == 2 and "no outlet 'odd'" in result.stderr
    result = run_cli("export", "quarry", "--index", "index", "--outlet", "daily", cwd=cited)
    header = json.loads(result.stdout.splitlines()[0])["export"]
    assert header["filters"] == {"outlet": ["The Daily Courier"]}


def test_csv_is_one_table_with_no_formula_cells(work: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    result = run_cli("export", "quokka", "--index", "index", "-o", str(target), cwd=work)
    assert result.returncode == 0 and result.stdout == ""
    assert f"wrote 25 matches to {target} (csv)" in result.stderr
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 25 and rows[0]["rank"] == "1"
    assert {r["query"] for r in rows} == {"quokka"} and {r["generation"] for r in rows} == {_generation(work)}
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
            assert "\x1b" not in value and "\u202e" not in value and "\x07" not in value
    hostile = next(r for r in rows if r["doc_id"] == "zz_hostile.txt")
    assert hostile["title"] == "'" + HOSTILE_TITLE
    assert re.fullmatch(r"\d+-\d+(;\d+-\d+)*", hostile["passage_offsets"])


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:  # type: ignore[no-untyped-def]
        self.tags.append(tag)
        for name, value in attrs:
            assert not name.startswith("on") and "javascript:" not in (value or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_one_safe_self_contained_page(work: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.html"
    assert run_cli("export", "quokka", "--index", "index", "-o", str(target), cwd=work).returncode == 0
    page = target.read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(page)
    assert "script" not in parser.tags and "link" not in parser.tags and "img" not in parser.tags
    assert parser.tags.count("li") == 25 and "mark" in parser.tags
    text = "".join(parser.text)
    assert "<script>alert(1)</script>" in text  # shown as text, not run
    assert "\x1b" not in page and "\u202e" not in page and "\x07" not in page
    assert "quokka" in text and _generation(work) in text


def test_markdown_is_a_citation_list_with_inert_article_text(work: Path) -> None:
    result = run_cli("export", "quokka", "--index", "index", "--format", "md", cwd=work)
    assert result.returncode == 0
    memo = result.stdout
    front, _, body = memo.partition("\n---\n")
    assert front.startswith("---\nquery: \"quokka\"") and f'generation: "{_generation(work)}"' in front
    items = re.findall(r"^(\d+)\. \*\*", body, re.M)
    assert items == [str(i) for i in range(1, 26)]
    assert "**quokka**" in body.lower()
    assert "<script" not in memo.replace("\\<script", "") and "](javascript" not in memo.replace("\\](", "")
    assert "\x1b" not in memo and "\u202e" not in memo
    assert "\\[click\\](javascript:alert(1))" in memo  # the brackets escaped, so not a link


def test_a_bad_query_says_use_plain_and_writes_nothing(work: Path, tmp_path: Path) -> None:
    target = tmp_path / "x.md"
    result = run_cli("export", "date:2024-13", "--index", "index", "-o", str(target), cwd=work)
    assert result.returncode == 2 and "use --plain" in result.stderr
    assert not target.exists() and not list(tmp_path.iterdir())  # no partial file either


def test_library_export_iterates_every_hit(work: Path) -> None:
    import searchkit

    with searchkit.open_index(work / "index") as ix:
        found = ix.export("quokka", batch=7)
        hits = list(found)
    assert found.info.total == len(hits) == 25
    assert [h.rank for h in hits] == list(range(1, 26))
    assert len({h.doc_id for h in hits}) == 25
