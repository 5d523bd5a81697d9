"""What a new user tripped on (issue 27): each finding of the walk-through, seen as the user
saw it (real processes on a real index; the shell under a real terminal where that is where
it was found)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from .conftest import run_cli


# ------------------------------------------------------------------------------------------
# 5. A date filter says how many undated articles it left out


def _undated_matches(ix, query: str, **filters) -> int:
    """The oracle: the query's matches without the date filter that have no date."""
    every = ix.search(query, limit=1000, collapse=False, **filters)
    return sum(1 for hit in every.hits if hit.date is None)


def test_a_date_filter_counts_the_undated_articles_it_left_out_in_the_library(seeds_index) -> None:
    ix = seeds_index
    since = dt.date(2024, 4, 1)
    undated = _undated_matches(ix, "china")
    assert undated >= 2  # the seeds have undated articles that mention China
    for collapse in (False, True):
        found = ix.search("china", since=since, collapse=collapse)
        assert found.undated_excluded == undated
        assert all(hit.date is not None and hit.date >= since for hit in found.hits)
    assert ix.search("china").undated_excluded == 0  # no date filter, nothing left out
    # The same filter written in the query, and the browse-everything query.
    assert ix.search("china date:>=2024-04-01").undated_excluded == undated
    assert ix.search("*", since=since).undated_excluded == _undated_matches(ix, "*")
    # Only those the other filters keep count: one outlet's undated articles.
    outlet = next(h.outlet for h in ix.search("china", limit=100, collapse=False).hits if h.outlet and h.date is None)
    assert ix.search("china", since=since, outlet=outlet).undated_excluded == _undated_matches(ix, "china", outlet=outlet)
    # A date under OR does not leave undated articles out; a negated one never did.
    assert ix.search("china OR date:2024").undated_excluded == 0
    assert ix.search("china -date:2024").undated_excluded == 0


def test_a_date_filter_says_what_it_left_out_in_the_cli_json_and_shell(seeds_index) -> None:
    undated = _undated_matches(seeds_index, "china")
    index = str(seeds_index.path)
    text = run_cli("query", "china", "--since", "2024-04-01", "--index", index, "--no-update")
    assert text.returncode == 0, text.stderr
    assert f"{undated} undated articles left out by the date filter" in text.stdout.splitlines()[0]
    as_json = run_cli("query", "china", "--since", "2024-04-01", "--index", index, "--json", "--no-update")
    summary = json.loads(as_json.stdout.splitlines()[0])["summary"]
    assert summary["undated_excluded"] == undated
    assert f"{undated} undated articles left out" in as_json.stderr
    count = run_cli("query", "-c", "china", "--since", "2024-04-01", "--index", index, "--no-update")
    assert count.stdout.strip().isdigit() and "left out by the date filter" in count.stderr
    plain = run_cli("query", "china", "--index", index, "--json", "--no-update")
    assert json.loads(plain.stdout.splitlines()[0])["summary"]["undated_excluded"] == 0
    assert "left out" not in plain.stderr
    shell = run_cli("shell", "--index", index, input=":filter since:2024-04-01\nchina\n")
    assert shell.returncode == 0, shell.stderr
    assert re.search(rf"\b{undated} undated articles left out by the date filter", shell.stdout)
    exported = run_cli("export", "china", "--since", "2024-04", "--index", index, "--no-update")
    assert json.loads(exported.stdout.splitlines()[0])["export"]["undated_excluded"] == undated
    assert "left out by the date filter" in exported.stderr


def test_nothing_found_in_the_date_range_still_says_undated_articles_were_left_out(seeds_index) -> None:
    index = str(seeds_index.path)
    done = run_cli("query", "china", "--until", "2000", "--index", index, "--no-update")
    assert done.returncode == 1
    assert re.search(r"No matches \(\d+ undated articles? left out by the date filter\)", done.stdout)


# ------------------------------------------------------------------------------------------
# 6. Collapsed versions are named (date, outlet, id); a date sort shows every article


def test_collapsed_versions_are_named_with_date_outlet_and_id(seeds_index) -> None:
    index = str(seeds_index.path)
    done = run_cli("query", "satellite imagery", "--index", index, "--no-update")
    assert done.returncode == 0, done.stderr
    flat = seeds_index.search("satellite imagery", limit=100, collapse=False).hits
    row = seeds_index.search("satellite imagery", collapse=True).hits[0]
    assert row.versions  # the seeds hold copies of one report
    lines = done.stdout.splitlines()
    head = next(i for i, line in enumerate(lines) if re.search(rf"\+{len(row.versions)} versions? \(story:", line))
    listed = lines[head + 1 : head + 1 + len(row.versions)]
    by_id = {hit.doc_id: hit for hit in flat}
    for line, version in zip(listed, row.versions):
        hit = by_id[version.doc_id]  # each version is a real match, named as its own hit would be
        assert line.split()[-1] == hit.doc_id
        assert (hit.date.isoformat() if hit.date else "undated") in line
        assert (hit.outlet or "outlet unknown") in line
    dates = [v.date for v in row.versions]
    assert [d for d in dates if d] == sorted(d for d in dates if d)  # oldest first, undated last
    assert all(d is None for d in dates[len([d for d in dates if d]):])
    # What is named can be opened: the id works with `show`.
    shown = run_cli("show", listed[0].split()[-1], "--index", index)
    assert shown.returncode == 0, shown.stderr


def test_sorted_by_date_every_article_is_shown_in_date_order(seeds_index) -> None:
    flat = seeds_index.search("china", limit=100, collapse=False)
    for sort in ("date", "-date"):
        found = seeds_index.search("china", limit=100, sort=sort, collapse=True)
        assert len(found.hits) == flat.total and found.collapsed == 0
        dated = [h.date for h in found.hits if h.date]
        assert dated == sorted(dated, reverse=sort == "-date")
    done = run_cli("query", "china", "--sort", "date", "--index", str(seeds_index.path), "--json", "--no-update")
    hits = [json.loads(line) for line in done.stdout.splitlines()[1:]]
    assert len(hits) == flat.total and not any(h["versions"] for h in hits)
    assert any(h["story"] for h in hits)  # still says which story each belongs to


# ------------------------------------------------------------------------------------------
# 2. The shell's "last results" mean one thing: after :similar, every command acts on its list


def _shell(index: Path, lines: list[str], tmp_path: Path) -> str:
    done = run_cli("shell", "--index", str(index), input="\n".join(lines) + "\n", cwd=tmp_path,
                   env={"PAGER": "cat"})
    assert done.returncode == 0, done.stderr  # a piped shell never ends on a command
    assert "internal error" not in done.stdout + done.stderr and "Traceback" not in done.stderr
    return done.stdout


def test_after_similar_every_command_acts_on_the_similar_list(seeds_index, tmp_path: Path) -> None:
    ix = seeds_index
    first = ix.search("china", collapse=False).hits[1]
    similar = ix.similar(doc_id=first.doc_id, limit=100)
    ids = [hit.doc_id for hit in similar.hits]
    assert len(ids) >= 3
    out = _shell(ix.path, ["china", ":collapse off", f":similar 2", ":compare 1 2", f":export {tmp_path / 'sim.md'}",
                           f":export {tmp_path / 'sim.jsonl'}", ":facets", ":timeline", ":credits", ":stories",
                           ":story 1", ":open 3"], tmp_path)
    after = out.split(f"Articles sharing the most content with {first.doc_id}:")[-1]
    # :compare 1 2 compares the similar list's hits 1 and 2
    assert re.search(rf"A  [^\n]*\n[^\n]*{re.escape(ids[0])}", after)
    assert re.search(rf"B  [^\n]*\n[^\n]*{re.escape(ids[1])}", after)
    # :export writes the similar list, and says what it is
    exported = [json.loads(line) for line in (tmp_path / "sim.jsonl").read_text().splitlines()]
    assert exported[0]["export"]["similar_to"] == first.doc_id
    assert [r["doc_id"] for r in exported[1:]] == ids
    assert f"similar to {first.doc_id}" in (tmp_path / "sim.md").read_text().replace("\\", "")
    # :facets and :timeline count the similar list, not "type a query first"
    assert f"{similar.total} matches for the articles similar to {first.doc_id}" in after
    assert "type a query first" not in after
    dated = sum(1 for hit in similar.hits if hit.date)
    timeline = ix.timeline(doc_ids=ids)
    assert sum(sum(c.values()) for k, c in timeline.items() if k != "undated") == dated
    assert f"(of the articles similar to {first.doc_id})" in after
    # :stories covers the similar list's articles only
    for story in ix.stories(doc_ids=ids):
        assert f"story:{story.story_id}" in after
    # :story 1 takes hit 1 of the similar list; :open 3 opens its hit 3
    story_of_1 = similar.hits[0].story
    if story_of_1:
        assert f"Limited to story:{story_of_1}" in after
    assert f"hit 3 · " in after and str(ix.document(ids[2]).path) in after


def test_commands_before_any_query_say_so_and_never_fail(seeds_index, tmp_path: Path) -> None:
    out = _shell(seeds_index.path, [":similar 2", ":story 1", ":compare 1 2", ":export f.md", ":facets", ":open 1",
                                    ":json", ":next", ":timeline"], tmp_path)
    assert out.count("No results yet: type a query first.") >= 7
    assert "(the whole corpus: type a query to narrow it)" in out  # :timeline before a query
    assert not (tmp_path / "f.md").exists()


# ------------------------------------------------------------------------------------------
# 4. Outlet filters: one rule (any case, a unique beginning, candidates named) everywhere


def test_the_outlet_rule() -> None:
    from searchkit.errors import OutletError
    from searchkit.outlets import resolve_outlet

    known = ["Libération", "Le Monde", "Le Monde diplomatique", "The Times", "Financial Times", "Reuters",
             "Reuters Daily Briefing"]
    assert resolve_outlet("liberation", known) == "Libération"  # case and accents
    assert resolve_outlet("  le   MONDE ", known) == "Le Monde"  # the whole name beats longer ones
    assert resolve_outlet("Le\u200b Monde\u202e", known) == "Le Monde"  # invisible characters of a paste
    assert resolve_outlet("reuters", known) == "Reuters"
    assert resolve_outlet("diplo", known) == "Le Monde diplomatique"  # a word it begins
    assert resolve_outlet("fin", known) == "Financial Times"
    with pytest.raises(OutletError, match=r"'times' could be any of 2 outlets: Financial Times, The Times"):
        resolve_outlet("times", known)
    with pytest.raises(OutletError, match=r"did you mean Reuters"):
        resolve_outlet("reuter5", known)
    with pytest.raises(OutletError, match=r"no outlet 'zz' in the index \(its outlets: Financial Times, "):
        resolve_outlet("zz", known)


def test_outlet_filters_agree_in_the_cli_the_query_language_and_the_shell(seeds_index, tmp_path: Path) -> None:
    ix = seeds_index
    outlets = ix.stats().outlets
    name = max(outlets, key=len)  # a multi-word name: "Euromaidan Press" or the like
    first_word = name.split()[0].lower()
    assert sum(1 for o in outlets if o.lower().startswith(first_word[:4]) or
               any(w.lower().startswith(first_word[:4]) for w in o.split())) == 1, "pick another prefix"
    index = str(ix.path)
    expected = {h.doc_id for h in ix.search("*", limit=100).hits if h.outlet == name}
    for typed in (name.upper(), first_word, first_word[:4]):
        flag = run_cli("query", "*", "--outlet", typed, "--index", index, "--json", "--no-collapse", "--no-update")
        assert flag.returncode == 0, flag.stderr
        assert {json.loads(l)["doc_id"] for l in flag.stdout.splitlines()[1:]} == expected
        field = run_cli("query", f'outlet:"{typed}"', "--index", index, "--json", "--no-collapse", "--no-update")
        assert {json.loads(l)["doc_id"] for l in field.stdout.splitlines()[1:]} == expected
    # Ambiguous: the error names the candidates; nothing: a hint, never an empty result.
    initials = {}
    for o in outlets:
        initials.setdefault(o[0].lower(), []).append(o)
    letter, several = next((k, v) for k, v in initials.items() if len(v) > 1)
    ambiguous = run_cli("query", "china", "--outlet", letter, "--index", index, "--no-update")
    assert ambiguous.returncode == 2
    assert all(o in ambiguous.stderr for o in several) and "give more of the name" in ambiguous.stderr
    assert "--plain" not in ambiguous.stderr
    typo = run_cli("query", "china", "--outlet", name[:-1] + "x", "--index", index, "--no-update")
    assert typo.returncode == 2 and f"did you mean {name}?" in typo.stderr
    shell = run_cli("shell", "--index", index, input=f":filter outlet:{first_word[:4]}\n:filter outlet:{letter}\n")
    assert f'outlet:"{name}"' in shell.stdout or f"outlet:{name}" in shell.stdout
    assert "give more of the name" in shell.stdout


# ------------------------------------------------------------------------------------------
# 9. The timeline shows the days without articles


def test_timeline_shows_every_day_between_the_first_and_the_last(tmp_path: Path) -> None:
    from .conftest import write_corpus

    days = [dt.date(2024, 3, 1), dt.date(2024, 3, 4), dt.date(2024, 3, 30)]
    files = {f"a{i}.txt": f"Harbour strike day {i}\n\nThe harbour strike went on." for i in range(len(days))}
    toml = "".join(f'["a{i}.txt"]\ndate = {day.isoformat()}\noutlet = "Courier"\n' for i, day in enumerate(days))
    corpus = write_corpus(tmp_path / "c", {**files, "metadata.toml": toml})
    index = tmp_path / "ix"
    assert run_cli("index", str(corpus), "--index", str(index)).returncode == 0
    as_json = run_cli("timeline", "harbour", "--index", str(index), "--json")
    rows = [json.loads(line) for line in as_json.stdout.splitlines()]
    span = (days[-1] - days[0]).days + 1
    assert [r["date"] for r in rows] == [(days[0] + dt.timedelta(n)).isoformat() for n in range(span)]
    assert sum(r["articles"] for r in rows) == len(days)
    assert {r["date"] for r in rows if r["articles"]} == {d.isoformat() for d in days}
    text = run_cli("timeline", "harbour", "--index", str(index)).stdout.splitlines()
    assert "2024-03-02  0" in text and "2024-03-03  0" in text  # a short gap, day by day
    assert "2024-03-05 to 2024-03-29  0  (25 days without articles)" in text  # a long one, on one line


# ------------------------------------------------------------------------------------------
# 8. Markdown and HTML exports: readable, and a citation that finds the exact file again


ODD_TEXT = ("Sanctions on AT&T and the U.S. Treasury\n\n"
            "# Not a heading. The U.S. Treasury said AT&T &amp; others, 1. not a list, *not emphasis* and "
            "[not a link](javascript:alert(1)) <b>not bold</b> | not a table | ~~not struck~~ sanctions.\n")


@pytest.fixture(scope="module")
def cited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from .conftest import write_corpus
    from .test_readers import PAGE, _warc

    root = tmp_path_factory.mktemp("cited")
    crawl = _warc([("https://www.dailycourier.example.com/news/2024/04/07/dam-breach", "text/html", PAGE.encode())],
                  gz=True)
    write_corpus(root / "corpus", {"odd.txt": ODD_TEXT, "saved/dam-breach.html": PAGE, "crawl.warc.gz": crawl})
    built = run_cli("index", "corpus", "--index", "index", cwd=root)
    assert built.returncode == 0, built.stderr
    return root


def test_markdown_export_reads_as_written_and_cites_author_file_hash_and_capture(cited: Path) -> None:
    import hashlib

    markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py renders the export as a reader sees it")
    memo = run_cli("export", "sanctions OR quarry", "--index", "index", "--format", "md", cwd=cited)
    assert memo.returncode == 0, memo.stderr
    assert "U\\.S\\." not in memo.stdout and "AT&amp;T" not in memo.stdout  # not over-escaped
    front, _, body = memo.stdout.partition("\n---\n\n")  # YAML front matter, which Markdown viewers hide
    assert front.startswith("---\nquery: ")
    html = markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough").render(body)
    links = re.findall(r'<a href="([^"]*)"', html)
    assert links and all(link.startswith("https://www.dailycourier.example.com/") for link in links)  # ours only
    assert "<b>" not in html and "<em>" not in html and "<s>" not in html
    assert html.count("<h1>") == 1 and "<h2>" not in html and "<table" not in html  # only our heading
    records = [json.loads(line) for line in run_cli("export", "sanctions OR quarry", "--index", "index",
                                                     cwd=cited).stdout.splitlines()[1:]]
    assert len(records) == 3
    import html as html_module

    shown = html_module.unescape(re.sub(r"<[^>]+>", "", html))  # what the reader reads
    for record in records:  # every title and passage reads exactly as in the article
        assert record["title"] in shown
        for passage in record["passages"]:
            assert passage["text"] in shown, passage["text"]
        path = Path(record["path"])
        digest = hashlib.sha256(path.read_bytes()).hexdigest()  # the reader finds the exact file again
        assert record["sha256"] == digest and record["size"] == path.stat().st_size
        assert str(path) in memo.stdout and digest in memo.stdout
    page = next(r for r in records if r["doc_id"] == "saved/dam-breach.html")
    assert page["author"] == "Jane Doe" and "by Jane Doe" in memo.stdout
    assert page["url"] and page["url"] in memo.stdout  # the URL and the local copy, both
    archived = next(r for r in records if r["doc_id"].startswith("crawl.warc.gz#"))
    assert archived["captured"] == "2024-04-09T12:00:00Z" and "captured `2024-04-09T12:00:00Z`" in memo.stdout
    assert f"record `{archived['doc_id']}`" in memo.stdout


def test_html_export_cites_author_file_hash_and_capture(cited: Path) -> None:
    page = run_cli("export", "sanctions OR quarry", "--index", "index", "--format", "html", cwd=cited).stdout
    assert "by Jane Doe" in page and "captured <code>2024-04-09T12:00:00Z</code>" in page
    for name in ("odd.txt", "saved/dam-breach.html"):
        assert str(cited / "corpus" / name) in page
    assert "Sanctions on AT&amp;T and the U.S. Treasury" in page  # escaped once, as HTML must be
    rows = run_cli("export", "sanctions OR quarry", "--index", "index", "--format", "csv", cwd=cited).stdout
    header = rows.splitlines()[0].split(",")
    assert {"author", "sha256", "size", "captured"} <= set(header)


# ------------------------------------------------------------------------------------------
# 11. Nothing dropped silently on import


def test_an_ambiguous_csv_date_is_a_warning_naming_file_and_row_and_an_empty_body_is_named(tmp_path: Path) -> None:
    from .conftest import write_corpus

    rows = [("Harbour strike", "04/05/2024", "The harbour strike went on."),
            ("Harbour deal", "13/05/2024", "The harbour strike ended with a deal."),
            ("Harbour rumour", "soon", "Harbour gossip."),
            ("Harbour empty", "2024-04-05", "")]
    table = "title,date,body\n" + "".join(f"{t},{d},{b}\n" for t, d, b in rows)
    corpus = write_corpus(tmp_path / "c", {"export.csv": table})
    done = run_cli("index", str(corpus), "--index", str(tmp_path / "ix"))
    assert done.returncode == 0, done.stderr
    err = done.stderr
    assert re.search(r"warning: export\.csv#1: row 1 after the header: the date '04/05/2024' could be "
                     r"5 April or 4 May 2024: left undated", err)
    assert "warning: export.csv#3: row 3 after the header: the date 'soon' could not be read" in err
    assert "skipped export.csv#4: row 4 after the header: its text field 'body' is empty" in err
    assert "no body field" not in err and "no text" not in err
    shown = json.loads(run_cli("show", "export.csv#2", "--index", str(tmp_path / "ix"), "--json").stdout)
    assert shown["date"] == "2024-05-13"  # one reading only: taken
    undated = json.loads(run_cli("show", "export.csv#1", "--index", str(tmp_path / "ix"), "--json").stdout)
    assert undated["date"] is None  # never guessed


# ------------------------------------------------------------------------------------------
# 10. Other languages: similar compares content, not language; no English "did you mean"

LANGUAGES = Path(__file__).resolve().parent / "data" / "languages"


@pytest.fixture(scope="module")
def mixed_languages(tmp_path_factory: pytest.TempPathFactory):
    import shutil

    import searchkit

    root = tmp_path_factory.mktemp("languages")
    shutil.copytree(LANGUAGES, root / "corpus")
    ix = searchkit.build_index(root / "corpus", root / "index")
    yield ix
    ix.close()


def test_similar_to_a_german_article_ranks_the_same_story_in_english_above_other_german_news(mixed_languages) -> None:
    """German function words ("an", "von", "sagte ein Sprecher des ...") once counted as
    content: in the passage's words, and as word pairs read as English (each weighed as a
    word no article holds), so German articles on other subjects ranked above the story."""
    ix = mixed_languages
    found = ix.similar("de_hafen.txt", limit=10)
    ranked = [hit.doc_id for hit in found.hits]
    same_story = {"en_port1.txt", "en_port2.txt"}  # the Rotterdam strike, in English
    other_german = {p.name for p in LANGUAGES.glob("de_*.txt")} - {"de_hafen.txt"}
    if same_story & set(ranked):
        # Compared across languages: matched by German's common words, every other German
        # article ranked above the story; with them left out, the story comes first.
        assert same_story <= set(ranked[:3]), ranked
        assert sum(1 for doc in ranked[: ranked.index(max(same_story, key=ranked.index)) + 1]
                   if doc in other_german) <= 1
    else:  # compared within the article's language (an index that knows each article's)
        assert set(ranked) <= other_german and all(getattr(hit, "lang", "de") == "de" for hit in found.hits)
    assert any("the passage is not in English" in notice and "die" in notice and "|" not in notice
               for notice in found.notices)
    # It is said where the user sees it.
    done = run_cli("similar", "de_hafen.txt", "--index", str(ix.path))
    assert "searchkit: the passage is not in English" in done.stderr
    # An English passage is untouched: no notice, and its own story first.
    english = ix.similar("en_port1.txt", limit=3)
    assert not english.notices and english.hits[0].doc_id == "en_port2.txt"


def test_a_query_in_another_language_gets_no_did_you_mean_but_a_misspelling_does(mixed_languages, seeds_index) -> None:
    for query in ("Sanktionen gegen Russland wegen des Krieges", "la guerra in Ucraina e le sanzioni"):
        found = seeds_index.search(query)
        assert found.total < 2 and found.suggestion is None, found.suggestion
        assert any("no spelling suggestion" in n for n in found.notices)
    for typo, meant in (("sattelite imagry", "satellite imagery"), ("sanctons agianst rusia", "sanctions against russia")):
        assert seeds_index.search(typo).suggestion == meant
    done = run_cli("query", "Sanktionen gegen Russland wegen des Krieges", "--index", str(seeds_index.path), "--no-update")
    assert "did you mean" not in done.stdout.lower() + done.stderr.lower()
    assert "no spelling suggestion" in done.stderr
