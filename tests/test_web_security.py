"""The web page against hostile articles and hostile requests: nothing a document holds runs,
loads or reorders text in a reader's browser, and no other site can read or change anything."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest

pytest.importorskip("starlette", reason="the web stack (starlette, jinja2) is not installed")

import searchkit  # noqa: E402

from .webcorpus import client, css, one, parse, text_of, web_corpus  # noqa: E402

BIDI_AND_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("websec")
    corpus = web_corpus(root / "corpus")
    searchkit.build_index(corpus, root / "index").close()
    with client(root / "index") as c:
        yield c, root


def pages_showing_hostile_text(c) -> list[str]:
    hostile = quote("hostile.jsonl#hostile-1", safe="")
    return ["/search?q=grain", "/search?q=alert", "/search?q=grain&collapse=1", f"/doc/{hostile}?q=alert",
            f"/doc/{hostile}?q=terminal+escape&hit=1", "/credits", "/timeline", "/stories",
            f"/compare/{hostile}/wire.txt", "/search?q=%3Cscript%3E", "/"]


def assert_inert(tree, where: str) -> None:
    """No script but ours, no event handler, no javascript: link, no frame, no style, no bidi."""
    scripts = tree.xpath("//script")
    assert [s.get("src") for s in scripts] == ["/static/keys.js"] and not any((s.text or "").strip() for s in scripts), where
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (where, element.tag, name)
            assert name.lower() != "style", (where, element.tag)
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href"):
                assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (where, value)
    for tag in ("iframe", "frame", "object", "embed", "style", "img", "base", "meta[@http-equiv]"):
        assert not tree.xpath(f"//{tag}"), (where, tag)
    assert not BIDI_AND_CONTROLS.search(tree.text_content()), where


def test_hostile_articles_are_shown_as_text(site):
    c, _ = site
    for url in pages_showing_hostile_text(c):
        response = c.get(url)
        assert response.status_code == 200, url
        assert_inert(parse(response), url)
    hostile = quote("hostile.jsonl#hostile-1", safe="")
    tree = parse(c.get(f"/doc/{hostile}"))
    # The markup of the article is there for the reader to see, as text.
    assert "<script>alert('body')</script>" in text_of(one(tree, "//div[@id='doc-text']"))
    assert "<script>alert('title')</script>" in text_of(one(tree, "//h1"))
    # Its javascript: URL is shown, never linked.
    url_row = one(tree, "//dl[@class='fields']/dt[.='url']/following-sibling::dd[1]")
    assert "javascript:alert(4)" in text_of(url_row) and not url_row.xpath(".//a")


def test_hostile_text_in_json_is_escaped(site):
    c, _ = site
    hostile = quote("hostile.jsonl#hostile-1", safe="")
    raw = c.get(f"/doc/{hostile}.json").text
    assert "\u202e" not in raw and "\\u202e" in raw and "\x1b" not in raw
    data = c.get(f"/doc/{hostile}.json").json()
    assert "\u202e" in data["title"]  # escaped on the wire, exact once decoded
    search = c.get("/search.json?q=alert").text
    assert "\u202e" not in search


def test_a_one_megabyte_title(site):
    c, root = site
    response = c.get("/doc/hostile.jsonl%23big-title")
    assert response.status_code == 200
    with searchkit.open_index(root / "index") as ix:
        stored = ix.document("hostile.jsonl#big-title").meta.title
    assert stored and stored.startswith("AAAA")
    assert text_of(one(parse(response), "//h1")) == stored
    results = parse(c.get("/search?q=enormous+headline"))
    assert css(results, ".hit")


def test_host_header_rebinding_is_refused(site):
    c, _ = site
    for host in ("evil.example", "evil.example:8765", "127.0.0.1.evil.example", "localhost.evil.example:8765", ""):
        response = c.get("/search?q=grain", headers={"host": host})
        assert response.status_code == 421, host
        assert "grain" not in response.text
        assert "Content-Security-Policy" in response.headers
    for host in ("127.0.0.1:8765", "localhost:8765", "[::1]:8765", "LOCALHOST", "127.0.0.1"):
        assert c.get("/", headers={"host": host}).status_code == 200, host


def test_the_host_given_is_allowed(site):
    _, root = site
    with client(root / "index", host="192.168.1.20") as other:
        assert other.get("/", headers={"host": "192.168.1.20:8765"}).status_code == 200
        assert other.get("/", headers={"host": "evil.example"}).status_code == 421


def test_cross_site_posts_are_refused(site):
    c, _ = site
    form = {"name": "x", "q": "grain"}
    assert c.post("/saved", data=form, headers={"sec-fetch-site": "cross-site"}).status_code == 403
    assert c.post("/saved", data=form, headers={"sec-fetch-site": "same-site"}).status_code == 403
    assert c.post("/saved", data=form, headers={"origin": "https://evil.example"}).status_code == 403
    assert c.post("/saved", data=form, headers={"origin": "null"}).status_code == 403
    same = c.post("/saved", data=form, headers={"sec-fetch-site": "same-origin", "origin": "http://127.0.0.1:8765"},
                  follow_redirects=False)
    assert same.status_code != 403


def test_no_state_changes_on_get(site):
    c, _ = site
    before = c.get("/saved.json").json()
    c.get("/saved?name=x&q=grain")
    c.get("/search?q=grain&name=x")
    assert c.get("/saved.json").json() == before


@pytest.mark.parametrize("path", [
    "/doc/../../etc/passwd", "/doc/%2e%2e/%2e%2e/etc/passwd", "/doc/..%2F..%2Fetc%2Fpasswd",
    "/doc/%2Fetc%2Fpasswd", "/original/%2Fetc%2Fpasswd", "/original/..%2F..%2Fetc%2Fpasswd",
    "/page/%2Fetc%2Fpasswd", "/static/../pages.py", "/static/%2e%2e/pages.py", "/compare/%2Fetc%2Fpasswd/wire.txt",
])
def test_paths_are_looked_up_never_joined(site, path):
    c, _ = site
    response = c.get(path)
    assert response.status_code == 404, path
    assert "root:" not in response.text and "def " not in response.text


def test_a_corpus_file_path_is_not_a_document_id(site):
    c, root = site
    absolute = quote(str(root / "corpus" / "wire.txt"), safe="")
    assert c.get(f"/doc/{absolute}").status_code == 404
    assert c.get("/doc/wire.txt").status_code == 200


def test_security_headers_on_every_response(site):
    c, _ = site
    for url in ["/", "/search?q=grain", "/search.json?q=grain", "/search.csv?q=grain", "/doc/wire.txt",
                "/nope", "/static/style.css", "/static/keys.js", "/doc/missing", "/story/s", "/credits"]:
        response = c.get(url)
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, url
        assert "unsafe-inline" not in policy, url
        assert response.headers["x-content-type-options"] == "nosniff", url
        assert response.headers["referrer-policy"] == "no-referrer", url


def test_saved_page_html_only_in_a_sandbox(site):
    c, _ = site
    response = c.get("/page/page.html")
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "tracker.example/pixel.gif" in response.text  # the original, untouched, but it cannot load
    doc = parse(c.get("/doc/page.html"))
    link = one(doc, "//a[@href='/page/page.html']")
    assert "sandbox" in text_of(link.getparent())
    # Only saved web pages are served as HTML.
    assert c.get("/page/wire.txt").status_code == 404
    hostile = c.get("/page/hostile.jsonl%23hostile-1")
    assert hostile.status_code == 404


def test_original_files_are_downloads(site):
    c, root = site
    response = c.get("/original/page.html")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"].startswith("attachment")
    assert response.content == (root / "corpus" / "page.html").read_bytes()
    assert response.headers["content-security-policy"] == "default-src 'none'; sandbox"
