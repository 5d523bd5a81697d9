"""The web page while the index changes under it: updates picked up without a restart, an
index run in progress said, a damaged or missing index a clear page (never a traceback)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the web stack (starlette, jinja2) is not installed")

import searchkit  # noqa: E402
from searchkit.store import IndexLock, read_pointer  # noqa: E402

from .webcorpus import client, css, one, parse, text_of, web_corpus  # noqa: E402


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    corpus = web_corpus(tmp_path / "corpus")
    searchkit.build_index(corpus, tmp_path / "index").close()
    return corpus, tmp_path / "index"


def _total(c, q: str) -> int:
    return c.get(f"/search.json?q={q}").json()["total"]


def test_an_update_is_seen_by_the_next_request(built):
    corpus, index = built
    with client(index) as c:
        before = _total(c, "grain")
        built_at = one(parse(c.get("/")), "//*[@id='index-status']//time").get("datetime")
        (corpus / "new.txt").write_text("Grain barges\n\nGrain barges left Izmail on the Danube.\n")
        searchkit.build_index(corpus, index).close()
        assert _total(c, "grain") == before + 1
        tree = parse(c.get("/search?q=barges"))
        assert [text_of(e) for e in css(tree, ".hit .doc-id")] == ["new.txt"]
        assert one(parse(c.get("/")), "//*[@id='index-status']//time").get("datetime") != built_at
        # A full rebuild (a new generation) too.
        (corpus / "new.txt").unlink()
        searchkit.build_index(corpus, index, rebuild=True).close()
        assert _total(c, "grain") == before


def test_pages_say_when_an_index_run_is_going(built):
    _, index = built
    with client(index) as c:
        assert "updating it now" not in text_of(parse(c.get("/")))
        with IndexLock(index):
            status = text_of(one(parse(c.get("/search?q=grain")), "//*[@id='index-status']"))
            assert "An index run is updating it now" in status and "last complete index" in status
            assert _total(c, "grain") > 0  # and the last complete index answers meanwhile
        assert "updating it now" not in text_of(parse(c.get("/")))


def _damage(index: Path) -> Path:
    generation = read_pointer(index).generation
    postings = max((p for p in index.iterdir() if p.name.startswith(generation + "_") and p.name.endswith(".pst")),
                   key=lambda p: p.stat().st_size)
    postings.write_bytes(postings.read_bytes()[: postings.stat().st_size // 3])
    return postings


def test_a_damaged_index_is_a_page_saying_what_to_do(built):
    corpus, index = built
    with client(index) as c:
        assert c.get("/search?q=grain").status_code == 200
        postings = _damage(index)
        for url in ("/search?q=grain", "/doc/wire.txt", "/", "/stories", "/timeline", "/credits"):
            response = c.get(url)
            assert response.status_code == 503, url
            assert "Traceback" not in response.text and "File \"" not in response.text
            tree = parse(response)
            assert "cannot be read" in text_of(one(tree, "//h1"))
            assert postings.name in text_of(one(tree, "//p[@class='message']")), url
            assert "searchkit index --rebuild" in text_of(one(tree, "//p[@class='hint']"))
        data = c.get("/search.json?q=grain").json()
        assert data["status"] == 503 and postings.name in data["error"]
        # Rebuilt by `searchkit index --rebuild`, the same server answers again.
        searchkit.build_index(corpus, index, rebuild=True).close()
        assert c.get("/search?q=grain").status_code == 200


def test_a_file_cut_while_requests_run_is_a_damage_page_never_a_crash(built):
    """The sizes are checked at the start of every request, but a file can be cut during
    one: its postings were read from a memory map then, and the server died of SIGBUS."""
    import threading
    import time

    corpus, index = built
    queries = ("grain", "barges", '"grain barges"', "danube", "izmail", "wire", "harbour", "grain OR wire")
    with client(index) as c:
        before = {q: c.get(f"/search.json?q={q}").json()["total"] for q in queries}
        generation = read_pointer(index).generation
        postings = max(index.glob(generation + "_*.pst"), key=lambda p: p.stat().st_size)
        whole = postings.read_bytes()
        statuses: list[int] = []
        stop = threading.Event()

        def ask() -> None:
            while not stop.is_set():
                for q in queries:
                    statuses.append(c.get(f"/search.json?q={q}").status_code)

        asking = threading.Thread(target=ask)
        asking.start()
        try:
            ends = time.monotonic() + 3
            while time.monotonic() < ends:
                postings.write_bytes(whole[: len(whole) // 3])
                time.sleep(0.02)
                postings.write_bytes(whole)
                time.sleep(0.02)
        finally:
            stop.set()
            asking.join()
        assert statuses and set(statuses) <= {200, 503}, statuses
        assert {q: c.get(f"/search.json?q={q}").json()["total"] for q in queries} == before


def test_a_missing_index_is_a_page_and_found_once_built(tmp_path):
    corpus = web_corpus(tmp_path / "corpus")
    with client(tmp_path / "index") as c:
        response = c.get("/search?q=grain")
        assert response.status_code == 503 and "Traceback" not in response.text
        assert "searchkit index" in text_of(one(parse(response), "//p[@class='hint']"))
        searchkit.build_index(corpus, tmp_path / "index").close()
        assert c.get("/search?q=grain").status_code == 200


def test_an_index_of_another_version_says_rebuild(built):
    _, index = built
    from searchkit.store import POINTER_FILE

    pointer = index / POINTER_FILE
    with client(index) as c:
        text = pointer.read_text()
        import json

        data = json.loads(text)
        data["schema_version"] = int(data["schema_version"]) + 100
        pointer.write_text(json.dumps(data))
        response = c.get("/search?q=grain")
        assert response.status_code == 503
        assert "searchkit index --rebuild" in text_of(parse(response))


def test_an_empty_corpus(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "note.xyz").write_text("nothing a reader takes")
    searchkit.build_index(tmp_path / "corpus", tmp_path / "index").close()
    with client(tmp_path / "index") as c:
        for url in ("/", "/search?q=grain", "/search?q=*", "/stories", "/timeline", "/credits", "/saved"):
            assert c.get(url).status_code == 200, url
        assert "No matches" in text_of(one(parse(c.get("/search?q=grain")), "//*[@id='total']"))
    shutil.rmtree(tmp_path / "index")
