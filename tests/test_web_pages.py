"""The web page (`searchkit serve`) through Starlette's test client, read with an HTML parser
as a reader sees it: results, facets and their links, documents with their hits, stories,
comparisons, timeline, credits and the twins. Expected values come from the library's own
answers or from the corpus text, never typed in."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

pytest.importorskip("starlette", reason="the web stack (starlette, jinja2) is not installed")

import searchkit  # noqa: E402

from .webcorpus import WIRE, client, css, one, parse, text_of, web_corpus  # noqa: E402


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("web")
    corpus = web_corpus(root / "corpus")
    ix = searchkit.build_index(corpus, root / "index")
    with client(root / "index") as c:
        yield c, ix, corpus
    ix.close()


def hit_ids(tree) -> list[str]:
    return [text_of(e) for e in css(tree, ".hit .doc-id")]


def follow(c, href: str):
    response = c.get(href)
    assert response.status_code == 200, (href, response.status_code)
    return response


def test_home_says_what_the_index_holds(site):
    c, ix, _ = site
    tree = parse(c.get("/"))
    stats = ix.stats()
    assert f"Search {stats.documents} articles" in text_of(one(tree, "//h1"))
    assert one(tree, "//input[@id='q']").get("name") == "q"
    assert "Index built" in text_of(one(tree, "//*[@id='index-status']"))
    data = c.get("/.json").json()
    assert data["stats"]["documents"] == stats.documents
    assert data["stats"]["outlets"] == stats.outlets


def test_search_shows_marked_hits_and_the_total(site):
    c, ix, _ = site
    results = ix.search("corridor", limit=20)
    tree = parse(c.get("/search?q=corridor"))
    assert str(results.total) in text_of(one(tree, "//*[@id='total']"))
    assert hit_ids(tree) == [h.doc_id for h in results.hits]
    marks = [text_of(m).lower() for m in tree.xpath("//li[contains(@class,'hit')]//mark")]
    assert marks and all(m.startswith("corridor") for m in marks)
    assert one(tree, "//input[@id='q']").get("value") == "corridor"


def test_outlet_facet_counts_and_include_exclude_links(site):
    c, ix, _ = site
    results = ix.search("grain", facets=True, limit=20)
    tree = parse(c.get("/search?q=grain"))
    shown = {text_of(li.xpath(".//a[contains(@class,'include')]")[0]): int(text_of(li.xpath(".//*[@class='count']")[0]))
             for li in css(tree, ".facet-outlet li") if li.xpath(".//a[contains(@class,'include')]")}
    assert shown == results.facets.outlets
    outlet = "Reuters"
    row = next(li for li in css(tree, ".facet-outlet li") if text_of(li.xpath(".//a")[0]) == outlet)
    excluded = parse(follow(c, row.xpath(".//a[contains(@class,'exclude')]")[0].get("href")))
    expected = ix.search("grain", not_outlet=outlet, limit=20)
    assert hit_ids(excluded) == [h.doc_id for h in expected.hits]
    assert outlet not in [text_of(e) for e in css(excluded, ".hit .outlet")]
    assert "not outlet" in text_of(one(excluded, "//*[@id='active-filters']"))
    included = parse(follow(c, row.xpath(".//a[contains(@class,'include')]")[0].get("href")))
    assert {text_of(e) for e in css(included, ".hit .outlet")} == {outlet}
    # Removing the filter gives the first list back.
    removed = parse(follow(c, one(included, "//*[@id='active-filters']//a[contains(@class,'remove')]").get("href")))
    assert hit_ids(removed) == hit_ids(tree)


def test_date_histogram_bars_link_to_their_day(site):
    c, ix, _ = site
    tree = parse(c.get("/search?q=grain"))
    bars = tree.xpath("//section[contains(@class,'facet-date')]//*[local-name()='svg']//*[local-name()='a']")
    results = ix.search("grain", facets=True, limit=20)
    assert len(bars) == len(results.facets.dates)  # one link per day with matches; empty days are drawn, not linked
    first = bars[0].get("href")
    day = parse_qs(urlsplit(first).query)["since"][0]
    page = parse(follow(c, first))
    dates = [e.get("datetime") for e in css(page, ".hit time")]
    assert dates and set(dates) == {day}
    assert len(dates) == results.facets.dates[day]


def test_story_credited_and_format_facets_filter(site):
    c, ix, _ = site
    tree = parse(c.get("/search?q=grain"))
    story = ix.stories()[0]
    link = one(tree, "//section[contains(@class,'facet-story')]//a[contains(@class,'include')]")
    assert text_of(link) == story.title
    only_story = parse(follow(c, link.get("href")))
    assert set(hit_ids(only_story)) == set(story.doc_ids)
    fmt = css(tree, ".facet-format li")
    formats = {text_of(li.xpath(".//a")[0]): int(text_of(li.xpath(".//*[@class='count']")[0])) for li in fmt}
    assert formats["html"] == 1
    html_only = parse(follow(c, next(li for li in fmt if text_of(li.xpath(".//a")[0]) == "html")
                             .xpath(".//a[contains(@class,'include')]")[0].get("href")))
    assert hit_ids(html_only) == ["page.html"]
    credited = css(tree, ".facet-credited li")
    assert [text_of(li.xpath(".//a")[0]) for li in credited] == list(ix.credits("grain"))
    not_reuters = parse(follow(c, credited[0].xpath(".//a[contains(@class,'exclude')]")[0].get("href")))
    crediting = set(ix.ids_crediting("Reuters"))
    assert crediting and not crediting & set(hit_ids(not_reuters))


def test_ignored_word_and_did_you_mean(site):
    c, ix, _ = site
    results = ix.search("what is the grain corridor")
    tree = parse(c.get("/search?q=what+is+the+grain+corridor"))
    note = text_of(one(tree, "//*[@id='ignored']"))
    assert results.ignored and all(f"'{w}'" in note for w in results.ignored)
    typo = ix.search("corrdor")
    assert typo.suggestion
    link = one(parse(c.get("/search?q=corrdor")), "//*[@id='did-you-mean']//a")
    assert parse_qs(urlsplit(link.get("href")).query)["q"] == [typo.suggestion]


def test_collapsed_story_lists_its_versions(site):
    c, ix, _ = site
    results = ix.search("grain corridor", collapse=True, limit=20)
    folded = next(h for h in results.hits if h.versions)
    tree = parse(c.get("/search?q=grain+corridor&collapse=1"))
    row = next(li for li in css(tree, ".hit") if text_of(li.xpath(".//*[contains(@class,'doc-id')]")[0]) == folded.doc_id)
    versions = row.xpath(".//details[contains(@class,'versions')]//li")
    assert [text_of(v.xpath(".//*[contains(@class,'doc-id')]")[0]) for v in versions] == [v.doc_id for v in folded.versions]
    for v, li in zip(folded.versions, versions):
        assert v.outlet in text_of(li)


def test_document_marks_every_hit_with_next_and_previous(site):
    c, ix, corpus = site
    text = ix.document("wire.txt").text
    expected = len(re.findall(r"\bport\b", text, re.I))
    assert expected >= 2
    tree = parse(c.get("/doc/wire.txt?q=port&hit=2"))
    numbers = {m.get("data-hit") for m in tree.xpath("//div[@id='doc-text']//mark")}
    assert len(numbers) == expected
    counter = text_of(one(tree, "//*[@id='hit-counter']"))
    assert f"2 of {expected} hits" in counter
    assert text_of(one(tree, "//mark[contains(@class,'current')]")).lower() == "port"
    nxt = one(tree, "//a[@id='hit-next']").get("href")
    assert "hit=3" in nxt and nxt.endswith("#hit-3")
    prev = parse(follow(c, one(tree, "//a[@id='hit-prev']").get("href")))
    assert "1 of" in text_of(one(prev, "//*[@id='hit-counter']"))
    assert not prev.xpath("//a[@id='hit-prev']")


def test_document_marks_a_phrase_only_where_it_stands_as_the_phrase(site):
    c, ix, _ = site
    text = ix.document("wire.txt").text
    phrases = len(re.findall(r"\bgrain\s+corridor\b", text, re.I))
    corridors = len(re.findall(r"\bcorridor\b", text, re.I))
    assert phrases >= 1 and corridors > phrases  # the word also stands alone
    marked = [text_of(m).lower() for m in parse(c.get('/doc/wire.txt?q="grain corridor"')).xpath(
        "//div[@id='doc-text']//mark")]
    assert sorted(marked) == sorted(["grain", "corridor"] * phrases)
    counter = text_of(one(parse(c.get('/doc/wire.txt?q="grain corridor"&hit=1')), "//*[@id='hit-counter']"))
    assert f"of {2 * phrases} hits" in counter
    # Asked for on its own too, the word is marked wherever it stands.
    loose = [text_of(m).lower() for m in parse(c.get('/doc/wire.txt?q="grain corridor" corridor')).xpath(
        "//div[@id='doc-text']//mark")]
    assert loose.count("corridor") == corridors and loose.count("grain") == phrases
    assert c.get('/doc/wire.txt.json?q="grain corridor"').json()["hits"] == [
        [m.start(), m.end()] for m in re.finditer(r"\b(grain|corridor)\b", text, re.I)
        if re.match(r"grain\s+corridor", text[m.start():], re.I) or re.search(r"grain\s+$", text[:m.start()], re.I)]


def test_document_shows_provenance_credits_story_and_similar(site):
    c, ix, _ = site
    tree = parse(c.get("/doc/rewrite.txt"))
    fields = {text_of(dt): text_of(dd) for dt, dd in zip(tree.xpath("//dl[@class='fields']/dt"),
                                                        tree.xpath("//dl[@class='fields']/dd"))}
    assert fields["outlet"].startswith("Euromaidan Press") and "metadata" in fields["outlet"]
    assert fields["date"].startswith("2024-04-05")
    credit = one(tree, "//div[@id='doc-text']//span[contains(@class,'credit')]")
    assert text_of(credit) == "Reuters"
    story = ix.story(ix.story_of("rewrite.txt"))
    assert story.title in text_of(tree)
    similar = [a.get("href") for a in tree.xpath("//ol[contains(@class,'similar')]//a")]
    assert similar and all(h.startswith("/doc/") for h in similar)
    data = c.get("/doc/rewrite.txt.json").json()
    assert data["doc_id"] == "rewrite.txt" and data["outlet_source"] == "metadata"
    assert data["credits"][0]["source"] == "Reuters"
    start, end = data["credits"][0]["start"], data["credits"][0]["end"]
    assert data["text"][start:end] == "Reuters"


def test_document_ids_with_hash_and_unknown_ids(site):
    c, _, _ = site
    assert c.get("/doc/hostile.jsonl%23hostile-1").status_code == 200
    missing = c.get("/doc/no-such-doc.txt")
    assert missing.status_code == 404
    assert "No document" in text_of(one(parse(missing), "//p[@class='message']"))
    assert c.get("/doc/no-such-doc.txt.json").json()["status"] == 404


def test_story_page_members_by_date_earliest_graph_and_timeline(site):
    c, ix, _ = site
    story = ix.stories()[0]
    tree = parse(c.get(f"/story/{story.story_id}"))
    rows = css(tree, "tr.story-member")
    dates = [text_of(r.xpath("./td")[0]) for r in rows]
    assert dates == sorted(d for d in dates if d != "undated") + [d for d in dates if d == "undated"]
    earliest = one(tree, "//tr[contains(@class,'earliest')]")
    assert ix.document(story.earliest).meta.outlet in text_of(earliest)
    assert tree.xpath("//*[local-name()='svg' and contains(@class,'timeline')]")
    graph = one(tree, "//*[local-name()='svg' and contains(@class,'graph')]")
    assert "Reuters" in text_of(graph)
    data = c.get(f"/story/{story.story_id}.json").json()
    assert [m["doc_id"] for m in data["members"]] == list(story.doc_ids)
    rewrite = next(m for m in data["members"] if m["doc_id"] == "rewrite.txt")
    assert rewrite["credits"] == ["Reuters"]
    assert c.get("/story/nope").status_code == 404


def test_compare_aligns_verbatim_and_reworded(site):
    c, ix, _ = site
    tree = parse(c.get("/compare/wire.txt/copy.txt"))
    kinds = [r.get("class") for r in tree.xpath("//table[contains(@class,'aligned')]/tbody/tr")]
    assert kinds == [p.kind for p in ix.compare("wire.txt", "copy.txt").shared] and "verbatim" in kinds
    assert "Reuters contributed reporting" in text_of(one(tree, "(//ul[contains(@class,'added')])[last()]"))
    reworded = parse(c.get("/compare/wire.txt/rewrite.txt"))
    comparison = ix.compare("wire.txt", "rewrite.txt")
    rows = reworded.xpath("//table[contains(@class,'aligned')]/tbody/tr")
    assert [r.get("class") for r in rows] == [p.kind for p in comparison.shared]
    same = [text_of(s).lower() for s in reworded.xpath("//tr[@class='reworded']//span[@class='same']")]
    # The wire and its copy share their sentences word for word: no word of a pair differs.
    assert tree.xpath("//tr[@class='verbatim']") and not tree.xpath("//tr[@class='verbatim']//span[@class='differs']")
    assert "corridor" in same or "odesa" in same
    data = c.get("/compare/wire.txt/rewrite.txt.json").json()
    assert len(data["shared"]) == len(comparison.shared)
    assert c.get("/compare/wire.txt/nope.txt").status_code == 404


def test_timeline_shows_days_without_articles(site):
    c, ix, _ = site
    tree = parse(c.get("/timeline"))
    rows = tree.xpath("//table[contains(@class,'timeline-table')]/tbody/tr")
    days = [text_of(r.xpath("./td")[0]) for r in rows]
    assert days == ["2024-04-01", "2024-04-02", "2024-04-03", "2024-04-04", "2024-04-05"]
    empty = [text_of(r.xpath("./td")[0]) for r in rows if "empty" in (r.get("class") or "")]
    assert empty == ["2024-04-04"]
    counts = ix.timeline()
    assert "undated article" in text_of(tree) and counts["undated"]
    data = c.get("/timeline.json").json()
    assert {d["day"]: d["total"] for d in data["days"] if d["total"]} == {
        day: sum(per.values()) for day, per in counts.items() if day != "undated" and per}


def test_credits_page_tables_and_chart(site):
    c, ix, _ = site
    tree = parse(c.get("/credits"))
    rows = tree.xpath("//table[contains(@class,'credits-table')]/tbody/tr")
    credits = ix.credits()
    assert [text_of(r.xpath("./td")[0]) for r in rows] == list(credits)
    assert tree.xpath("//*[local-name()='svg' and contains(@class,'hbars')]")
    assert c.get("/credits.json").json()["credits"][0]["source"] == next(iter(credits))


def test_stories_list(site):
    c, ix, _ = site
    tree = parse(c.get("/stories?q=grain"))
    links = [a.get("href") for a in tree.xpath("//tr[@class='story-row']//a")]
    assert links == [f"/story/{s.story_id}" for s in ix.stories("grain")]


def test_twins_are_the_export_with_its_citation_header(site):
    c, ix, _ = site
    total = ix.search("grain").total
    data = c.get("/search.json?q=grain").json()
    assert data["total"] == total and data["query"] == "grain"
    assert data["facets"]["outlet"] == ix.search("grain", facets=True).facets.outlets
    rows = list(csv.DictReader(io.StringIO(c.get("/search.csv?q=grain").text)))
    assert len(rows) == total and {r["query"] for r in rows} == {"grain"}
    lines = c.get("/search.jsonl?q=grain&not_outlet=Reuters").text.splitlines()
    header = json.loads(lines[0])["export"]
    assert header["query"] == "grain" and header["filters"] == {"not_outlet": ["Reuters"]}
    assert len(lines) - 1 == ix.search("grain", not_outlet="Reuters").total
    story = ix.stories()[0]
    lines = c.get(f"/search.jsonl?q=grain&story={story.story_id}").text.splitlines()
    assert json.loads(lines[0])["export"]["filters"] == {"story": [story.story_id]}
    assert {json.loads(line)["doc_id"] for line in lines[1:]} == set(story.doc_ids)
    md = c.get("/search.md?q=grain").text
    assert md.startswith("---\nquery: \"grain\"") and "# Sources for grain" in md
    tree = parse(c.get("/search?q=grain"))
    twins = {a.text_content(): a.get("href") for a in tree.xpath("//*[@id='twins']//a")}
    assert set(twins) == {".json", ".csv", ".jsonl", ".md"}


def test_bad_parameters_are_explained_not_crashed(site):
    c, _, _ = site
    tree = parse(c.get("/search?q=grain&since=2024-13-45&page=x&sort=sideways"))
    problems = [text_of(p) for p in css(tree, ".notice.problem")]
    assert any("not a date" in p for p in problems) and any("sort" in p for p in problems)
    assert css(tree, ".hit")
    bad = c.get('/search?q=grain+AND')
    assert bad.status_code == 400
    assert "AND" in text_of(one(parse(bad), "//p[@class='message']"))


def test_pages_are_linked_and_paged(site):
    c, ix, _ = site
    tree = parse(c.get("/search?q=*&limit=3"))
    assert len(css(tree, ".hit")) == 3
    nxt = one(tree, "//a[@rel='next']").get("href")
    second = parse(follow(c, nxt))
    every = [h.doc_id for h in ix.search("*", limit=6).hits]
    assert hit_ids(tree) + hit_ids(second) == every


def test_saved_searches_count_new_matches_and_viewing_marks_them_seen(tmp_path):
    corpus = web_corpus(tmp_path / "corpus")
    searchkit.build_index(corpus, tmp_path / "index").close()
    same_origin = {"origin": "http://127.0.0.1:8765", "sec-fetch-site": "same-origin"}
    with client(tmp_path / "index", saved_path=tmp_path / "saved.json") as c:
        saved = c.post("/saved", data={"name": "Odesa grain", "q": "grain", "not_outlet": "Reuters"},
                       headers=same_origin, follow_redirects=False)
        assert saved.status_code == 303 and saved.headers["location"] == "/saved"
        listed = c.get("/saved.json").json()["saved"]
        assert [(s["name"], s["query"], s["new"]) for s in listed] == [("Odesa grain", "grain", 0)]
        (corpus / "late.txt").write_text("Grain exports climb\n\nGrain exports climbed as the corridor held.\n")
        searchkit.build_index(corpus, tmp_path / "index").close()
        # The next request sees the update (no restart), and the saved search one new match.
        assert c.get("/saved.json").json()["saved"][0]["new"] == 1
        home = parse(c.get("/"))
        assert "1 new" in text_of(one(home, "//ul[@class='saved-list']"))
        row = one(parse(c.get("/saved")), "//tr[@class='saved-search']")
        viewed = parse(follow(c, row.xpath(".//a")[0].get("href")))
        assert "1 new" in text_of(one(viewed, "//*[@id='saved-banner']"))
        new_hits = [li for li in css(viewed, ".hit") if li.xpath(".//span[contains(@class,'new')]")]
        assert [text_of(li.xpath(".//*[contains(@class,'doc-id')]")[0]) for li in new_hits] == ["late.txt"]
        assert "Reuters" not in [text_of(e) for e in css(viewed, ".hit .outlet")]
        assert c.get("/saved.json").json()["saved"][0]["new"] == 0
        refused = c.post("/saved", data={"name": "", "q": "grain"}, headers=same_origin)
        assert refused.status_code == 400 and "name" in text_of(one(parse(refused), "//p[@class='message']"))
        # A facet filter is kept too, and the saved search shows what the page showed.
        with searchkit.open_index(tmp_path / "index") as ix:
            ix_story = ix.stories()[0]
        story = ix_story.story_id
        kept = c.post("/saved", data={"name": "One story", "q": "grain", "story": story}, headers=same_origin,
                      follow_redirects=False)
        assert kept.status_code == 303
        shown = parse(follow(c, "/saved/One%20story"))
        assert {text_of(e) for e in css(shown, ".hit .doc-id")} == set(ix_story.doc_ids)
        # The search page's own form posts what the page shows.
        form = one(parse(c.get("/search?q=corridor&outlet=Reuters&since=2024-04")), "//form[contains(@class,'save-search')]")
        fields = {i.get("name"): i.get("value") for i in form.xpath(".//input[@type='hidden']")}
        assert fields == {"q": "corridor", "outlet": "Reuters", "since": "2024-04"}


def test_a_date_filter_says_how_many_undated_articles_it_left_out(site):
    c, ix, _ = site
    results = ix.search("grain", since=searchkit_date("2024-04-01"))
    assert results.undated_excluded >= 1
    tree = parse(c.get("/search?q=grain&since=2024-04-01"))
    note = text_of(one(tree, "//*[@id='undated-left-out']"))
    assert f"left out {results.undated_excluded} undated article" in note
    everything = parse(follow(c, one(tree, "//*[@id='undated-left-out']//a").get("href")))
    assert "undated.txt" in hit_ids(everything)
    assert not parse(c.get("/search?q=grain")).xpath("//*[@id='undated-left-out']")


def searchkit_date(text: str):
    import datetime as dt

    return dt.date.fromisoformat(text)


def test_a_very_long_query_is_not_repeated_in_every_link(site):
    c, ix, _ = site
    text = ix.document("wire.txt").text
    short = " ".join(text.split()[:4])
    tree = parse(c.get("/search?" + urlencode({"q": short})))
    assert tree.xpath("//section[contains(@class,'facet-outlet')]//a[@class='include']")
    assert not tree.xpath("//*[@id='long-query']")
    sizes = {}
    for words in (800, 1600):  # a pasted passage: thousands of characters
        query = " ".join((text.split() * 200)[:words])
        assert len(query) > 1000
        response = c.get("/search?" + urlencode({"q": query}))
        assert response.status_code == 200
        tree = parse(response)
        assert "too long to repeat in every link" in text_of(one(tree, "//*[@id='long-query']"))
        assert not tree.xpath("//section[contains(@class,'facet')]//a[@class='include' or @class='exclude']")
        assert tree.xpath("//section[contains(@class,'facet-outlet')]//li//span[@class='count']")
        hits = tree.xpath("//li[@class='hit']//h2/a/@href")
        assert hits and all("q=" not in href for href in hits)
        sizes[len(response.content)] = len(urlencode({"q": query}))
    # The page grows with a few copies of the query (box, forms, twins, sort), not one per link.
    for size, encoded in sizes.items():
        assert size < 20 * encoded + 60_000


def test_a_language_filter_keeps_the_articles_in_that_language(site):
    c, ix, _ = site
    everything = c.get("/search.json?q=grain").json()
    languages = {hit["lang"] for hit in everything["hits"]} - {None}
    assert languages
    for lang in languages:
        kept = c.get(f"/search.json?q=grain&lang={lang}").json()
        assert kept["total"] == ix.search("grain", lang=lang).total
        assert {hit["lang"] for hit in kept["hits"]} == {lang}
        assert kept["filters"]["lang"] == [lang]
    assert c.get("/search.json?q=grain&lang=zz").json()["total"] == 0
