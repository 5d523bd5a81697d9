"""`searchkit serve` in a real browser: Debian's Chromium driven by Playwright (pinned to the
release that expects Chromium 156), a real server process over a real index of a newsroom
folder (text, a saved web page, a PDF, an e-mail, hostile articles).

The suite searches, clicks a facet and an exclude link, opens a document and moves through its
hits with n and p, opens a story and a comparison, saves a search, re-indexes and sees "1 new".
Every page is audited by axe-core (shipped inside the axe-playwright-python package: nothing
from a CDN) and fails on a serious or critical violation; any request to an address other than
127.0.0.1 fails the test. Screenshots of the main pages are kept in test-artifacts/browser/.

Without Chromium or Playwright the suite skips with one line saying why, unless
SEARCHKIT_REQUIRE_BROWSER=1 (CI) turns that into a failure. Never `playwright install`:
the browser is the system's (`apt-get install chromium`).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from .conftest import REPO, run_cli, write_corpus

CHROMIUM = os.environ.get("SEARCHKIT_CHROMIUM", "/usr/bin/chromium")
#: Playwright's expected Chromium major must match Debian's (1.64.1 -> 156; 1.65 -> 158-159).
PLAYWRIGHT_PIN = "1.64.1"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = REPO / "test-artifacts" / "browser"
BLOCKING = ("serious", "critical")


def _missing() -> str | None:
    """Why the suite cannot run here, or None."""
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright
        from playwright.sync_api import sync_playwright  # noqa: F401
    except ImportError:
        return f"Playwright is not installed (pip install -e '.[browser]', playwright=={PLAYWRIGHT_PIN})"
    try:
        import axe_playwright_python  # noqa: F401
    except ImportError:
        return "axe-playwright-python is not installed (pip install -e '.[browser]')"
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        return "the web packages are not installed (pip install -e .)"
    version = getattr(playwright, "__version__", "")
    if version and version != PLAYWRIGHT_PIN:
        return f"Playwright {version} is installed; this suite needs {PLAYWRIGHT_PIN} (its Chromium matches Debian's)"
    return None


_REASON = _missing()
if _REASON is not None:
    if os.environ.get("SEARCHKIT_REQUIRE_BROWSER", "") not in ("", "0"):
        pytest.fail(f"the browser suite must run (SEARCHKIT_REQUIRE_BROWSER is set) but {_REASON}",
                    pytrace=False)
    pytest.skip(f"browser suite skipped: {_REASON}", allow_module_level=True)


# --------------------------------------------------------------------------------------------
# The collection: the web tests' newsroom folder, plus a PDF and an e-mail


def _pdf(title: str, paragraphs: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for paragraph in paragraphs:
        pdf.multi_cell(0, 8, paragraph)
        pdf.ln(4)
    return bytes(pdf.output())


EMAIL = """From: Harbour Master <press@odesa-port.example>
To: desk@newsroom.example
Subject: Grain corridor: first convoy schedule
Date: Wed, 03 Apr 2024 08:15:00 +0000
Content-Type: text/plain; charset=utf-8

The first convoy through the grain corridor leaves the port of Odesa at dawn on Thursday.
Twelve ships are registered; the naval escort meets them at the harbour entrance.
"""


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(corpus, index, data folder): a real index built by the CLI."""
    from .webcorpus import web_corpus

    root = tmp_path_factory.mktemp("browser")
    corpus = web_corpus(root / "corpus")
    write_corpus(corpus, {
        "ministry-briefing.pdf": _pdf("Grain corridor briefing", [
            "Ministry briefing on the grain corridor, 2 April 2024.",
            "The grain corridor will carry wheat from the port of Odesa under naval escort. "
            "Insurance for ships in the corridor is arranged by the state.",
        ]),
        "convoy.eml": EMAIL,
    })
    index = root / "index"
    done = run_cli("index", str(corpus), "--index", str(index))
    assert done.returncode == 0, done.stderr
    return corpus, index, root / "data"


@pytest.fixture(scope="module")
def server(collection: tuple[Path, Path, Path]) -> Iterator[str]:
    """A real `searchkit serve` process on a free port of 127.0.0.1: its base URL."""
    _, index, data = collection
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEARCHKIT_")}
    env.update({"XDG_DATA_HOME": str(data), "XDG_CONFIG_HOME": str(data / "no-config"), "PYTHONUNBUFFERED": "1"})
    process = subprocess.Popen([sys.executable, "-m", "searchkit", "serve", "--index", str(index), "--port", "0"],
                               env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert process.stderr is not None
    first = process.stderr.readline()
    found = re.search(r"at (http://127\.0\.0\.1:\d+/)", first)
    if not found:
        process.kill()
        pytest.fail(f"searchkit serve did not print its URL: {first!r} {process.stderr.read()}")
    try:
        yield found.group(1).rstrip("/")
    finally:
        # Ctrl-C stops it cleanly: promptly, status 0, no traceback.
        process.send_signal(signal.SIGINT)
        try:
            status = process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        rest = process.stderr.read()
        assert status == 0 and "stopped" in rest and "Traceback" not in rest, (status, rest)


class Browser:
    """A Chromium page with the suite's guards: requests leaving 127.0.0.1 are blocked and
    recorded, as are dialogs (an alert() from a document) and page errors."""

    def __init__(self, context) -> None:  # type: ignore[no-untyped-def]
        self.context = context
        self.foreign: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        context.route("**/*", self._route)
        self.page = context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _route(self, route) -> None:  # type: ignore[no-untyped-def]
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about") or parts.hostname == "127.0.0.1":
            route.continue_()
            return
        self.foreign.append(url)
        route.abort()

    def _dialog(self, dialog) -> None:  # type: ignore[no-untyped-def]
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def audit(self, name: str) -> None:
        """axe-core on the page as it is: no serious or critical violation."""
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(self.page)
        bad = [v for v in results.response["violations"] if v.get("impact") in BLOCKING]
        described = [f"{v['id']} ({v['impact']}): {v['help']} at "
                     f"{', '.join(str(n['target']) for n in v['nodes'][:3])}" for v in bad]
        assert not described, f"accessibility violations on {name}:\n" + "\n".join(described)

    def shot(self, name: str) -> None:
        """Keep a screenshot; the page must fit the window's width (nothing, not a 1 MB
        headline, pushes it sideways)."""
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= self.page.viewport_size["width"] + 1, f"{name} is {width} px wide"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser(chromium) -> Iterator[Browser]:  # type: ignore[no-untyped-def]
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB",
                                   timezone_id="Europe/Kyiv")
    context.set_default_timeout(15_000)
    guarded = Browser(context)
    yield guarded
    context.close()
    assert not guarded.foreign, f"requests left 127.0.0.1: {guarded.foreign}"
    assert not guarded.dialogs, f"a page opened dialogs (a script ran): {guarded.dialogs}"
    assert not guarded.errors, f"script errors on the pages: {guarded.errors}"


def _params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _hit_outlets(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [" ".join(t.split()) for t in page.locator(".hit .hit-meta .outlet").all_inner_texts()]


def _total(page) -> int:  # type: ignore[no-untyped-def]
    found = re.search(r"([\d,]+) match", page.locator("#total").inner_text())
    return int(found.group(1).replace(",", "")) if found else 0


# --------------------------------------------------------------------------------------------
# The reader's path through the pages


def test_search_a_facet_and_an_exclude_link(server: str, browser: Browser) -> None:
    page = browser.page
    page.goto(server + "/")
    browser.shot("home")
    browser.audit("the home page")
    page.keyboard.press("/")  # "/" focuses the search box
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("grain corridor")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    assert _params(page.url)["q"] == ["grain corridor"]
    total = _total(page)
    assert total >= 5 and page.locator(".hit").count() >= 3
    marked = {t.lower() for t in page.locator(".hit .snippet mark").all_inner_texts()}
    assert marked & {"grain", "corridor"}, marked
    browser.shot("search")
    browser.audit("the results")

    # Include one outlet: every hit is from it.
    include = page.locator(".facet-outlet a.include").first
    outlet = unquote(_params(include.get_attribute("href") or "")["outlet"][0])
    include.click()
    page.wait_for_url(re.compile(r"outlet="))
    assert _params(page.url)["outlet"] == [outlet]
    assert set(_hit_outlets(page)) == {outlet}
    assert page.locator("#active-filters").inner_text().count(outlet) == 1

    # Back, then exclude it: no hit is from it, and the total drops by its count.
    page.go_back()
    page.wait_for_url(re.compile(r"q=grain"))
    row = page.locator(".facet-outlet li:has(a.exclude)").first
    exclude = row.locator("a.exclude")
    left_out = unquote(_params(exclude.get_attribute("href") or "")["not_outlet"][0])
    counted = int(row.locator(".count").inner_text().replace(",", ""))
    exclude.click()
    page.wait_for_url(re.compile(r"not_outlet="))
    assert left_out not in _hit_outlets(page)
    assert _total(page) == total - counted
    browser.shot("search-excluded")
    browser.audit("the results with an outlet left out")


def test_a_document_with_its_hits_and_the_n_and_p_keys(server: str, browser: Browser) -> None:
    page = browser.page
    page.goto(server + "/search?q=corridor&sort=date")
    page.keyboard.press("j")  # j selects the first result
    assert page.evaluate("document.activeElement.closest('.hit') !== null")
    page.locator(".hit .hit-title a", has_text=re.compile("Grain corridor to reopen", re.I)).first.click()
    page.wait_for_url(re.compile(r"/doc/"))
    counter = page.locator("#hit-counter")
    total = int(page.locator("#hit-total").inner_text())
    assert total >= 2 and page.locator("#doc-text mark").count() >= total
    assert re.search(rf"\b1 of {total}\b", counter.inner_text()), counter.inner_text()  # the first hit is shown
    page.keyboard.press("n")
    assert re.search(rf"\b2 of {total}\b", counter.inner_text()), counter.inner_text()
    assert page.locator('mark.current[data-hit="2"]').count() >= 1
    assert page.locator('mark.current[data-hit="1"]').count() == 0
    assert _params(page.url).get("hit") == ["2"]
    page.keyboard.press("p")
    assert re.search(rf"\b1 of {total}\b", counter.inner_text()), counter.inner_text()
    assert page.locator('mark.current[data-hit="1"]').count() >= 1
    assert _params(page.url).get("hit") == ["1"]
    page.keyboard.press("?")
    assert page.locator("#keys-help").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#keys-help").is_visible()
    browser.shot("document")
    browser.audit("a document")


def test_a_story_and_a_comparison(server: str, browser: Browser) -> None:
    page = browser.page
    page.goto(server + "/stories")
    browser.audit("the stories")
    page.locator("a[href^='/story/']").first.click()
    page.wait_for_url(re.compile(r"/story/"))
    members = page.locator("tr.story-member")
    assert members.count() >= 3
    assert page.locator("tr.story-member.earliest").count() == 1
    assert page.locator("svg").count() >= 1  # the timeline / credit graph, drawn on the server
    outlets = page.locator("tr.story-member").all_inner_texts()
    assert any("Reuters" in row for row in outlets) and any("Euromaidan Press" in row for row in outlets)
    browser.shot("story")
    browser.audit("a story")
    page.locator("a[href^='/compare/']").first.click()
    page.wait_for_url(re.compile(r"/compare/"))
    body = page.locator("main").inner_text()
    assert "grain corridor" in body.lower()
    browser.shot("compare")
    browser.audit("a comparison")


def test_a_hostile_article_and_a_saved_page_run_nothing_and_fetch_nothing(server: str, browser: Browser) -> None:
    page = browser.page
    page.goto(server + "/search?q=hostile")
    page.locator(".hit .hit-title a").first.click()
    page.wait_for_url(re.compile(r"/doc/"))
    assert "<script>" in page.locator("#doc-text").inner_text()  # shown as text
    assert page.title() != "pwned"
    browser.audit("a hostile article")
    page.goto(server + "/doc/page.html")
    with page.expect_popup() as popup_info:
        page.locator("a", has_text="Open the saved page").click()
    popup = popup_info.value
    popup.wait_for_load_state()
    assert popup.title() != "pwned"  # its script did not run
    assert "Grain corridor opens" in popup.locator("body").inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    popup.screenshot(path=str(ARTIFACTS / "saved-page-sandboxed.png"), full_page=True)
    popup.close()


def test_save_a_search_re_index_and_see_one_new(server: str, browser: Browser,
                                                collection: tuple[Path, Path, Path]) -> None:
    corpus, index, _ = collection
    page = browser.page
    page.goto(server + "/search?q=convoy")
    before = _total(page)
    assert before >= 1
    page.fill("#save-name", "Convoys")
    page.locator("form.save-search button[type=submit]").click()
    page.wait_for_url(re.compile(r"/saved$"))
    row = page.locator("tr.saved-search", has_text="Convoys")
    assert row.count() == 1 and "new" not in row.inner_text().replace("new since", "")
    browser.audit("the saved searches")

    write_corpus(corpus, {"convoy-second.txt": "Second convoy leaves Odesa\n\nApr 10, 2024\n\n"
                                               "A second convoy of grain ships left the port of Odesa."})
    done = run_cli("index", str(corpus), "--index", str(index))
    assert done.returncode == 0, done.stderr

    page.goto(server + "/")
    saved = page.locator(".saved-list li", has_text="Convoys")
    assert re.search(r"\b1 new\b", saved.inner_text()), saved.inner_text()
    browser.shot("home-one-new")
    page.goto(server + "/saved")
    row = page.locator("tr.saved-search", has_text="Convoys")
    assert re.search(r"\b1 new\b", row.inner_text()), row.inner_text()
    browser.shot("saved-one-new")
    row.locator("a").first.click()
    page.wait_for_url(re.compile(r"/saved/"))
    assert page.locator(".hit").count() == before + 1
    new_hits = page.locator(".hit", has_text="Second convoy")
    assert new_hits.count() == 1 and "new" in new_hits.inner_text().lower()
    browser.shot("saved-search-viewed")
    browser.audit("a saved search's results")
    page.goto(server + "/")
    assert not re.search(r"\bnew\b", page.locator(".saved-list li", has_text="Convoys").inner_text())


def test_the_timeline_and_credits_pages(server: str, browser: Browser) -> None:
    page = browser.page
    for path, name in (("/timeline?q=corridor", "timeline"), ("/credits?q=corridor", "credits")):
        page.goto(server + path)
        assert page.locator("svg").count() >= 1 and page.locator("table").count() >= 1
        browser.shot(name)
        browser.audit(f"the {name}")


def test_the_screenshots_were_kept() -> None:
    """The main pages' screenshots are artefacts to look at (test-artifacts/browser/)."""
    for name in ("home", "search", "document", "story", "compare", "saved-one-new"):
        shot = ARTIFACTS / f"{name}.png"
        assert shot.is_file() and shot.stat().st_size > 5_000, shot
