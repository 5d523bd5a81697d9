"""A small newsroom folder for the web tests: a wire report copied and rewritten by three
outlets (with credits), articles on other days (and days with none between them), an
undated article, a saved web page, and hostile articles (script, event handlers,
javascript: links, iframes, CSS, bidi overrides, a 1 MB title)."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import write_corpus

WIRE = ("Officials in Kyiv said on Monday that the new grain corridor will reopen the port of Odesa to "
        "cargo ships next week. The corridor had been closed since March after repeated drone attacks on "
        "the harbour. Shipping companies welcomed the decision but warned that insurance premiums remain "
        "high. The agriculture ministry expects two million tonnes of wheat to leave the port in the first "
        "month.")
# A rewrite keeps some of the wire's wording (a story is evidence of copying, issue 21): one
# sentence as it was, one with a credit put in, two reworded.
REWRITE = ("Ukraine's government announced on Monday that cargo ships may return to Odesa next week through a "
           "reopened grain corridor. The corridor had been closed since March after repeated drone attacks on "
           "the harbour. Shipping firms praised the move, though they cautioned that insurance costs are still "
           "elevated. According to Reuters, the agriculture ministry expects two million tonnes of wheat to leave "
           "the port in the first month.")
HOSTILE_TITLE = "<script>alert('title')</script>\u202eevil\u202c <img src=x onerror=alert(1)>"
HOSTILE_TEXT = (
    "Grain corridor hostile sample. <script>alert('body')</script> <img src=x onerror=\"alert(2)\"> "
    "<a href=\"javascript:alert(3)\">click</a> <iframe src=\"https://tracker.example/\"></iframe> "
    "<style>body{display:none}</style> <div style=\"position:fixed\">overlay</div> "
    "Right-to-left \u202eoverride\u202c and \u2066isolate\u2069 and zero\u200bwidth. "
    "\x1b[31mterminal escape\x1b[0m. The grain corridor is mentioned again here.")
SAVED_PAGE = """<!DOCTYPE html><html><head><title>Grain corridor opens</title>
<meta property="og:site_name" content="Odesa Herald">
<meta property="article:published_time" content="2024-04-02T09:00:00Z">
<script>document.title = 'pwned'; fetch('https://tracker.example/opened');</script>
<link rel="stylesheet" href="https://tracker.example/style.css">
</head><body><h1>Grain corridor opens for cargo ships</h1>
<img src="https://tracker.example/pixel.gif" width="1" height="1">
<article><p>The grain corridor to the port of Odesa opened on Tuesday for the first cargo ships, the harbour
master said. Ships loaded with wheat left the port in the morning under naval escort.</p>
<p>Insurance companies have lowered premiums for the corridor after a week without drone attacks on the port,
brokers said. The harbour master expects twenty ships in the first week of the corridor.</p></article>
</body></html>
"""


def web_corpus(root: Path) -> Path:
    """Write the corpus under ``root`` and return its folder."""
    big_title = "A" * 1_000_000
    records = [
        {"id": "hostile-1", "title": HOSTILE_TITLE, "outlet": "<b>Evil Outlet</b>", "date": "2024-04-03",
         "url": "javascript:alert(4)", "text": HOSTILE_TEXT},
        {"id": "big-title", "title": big_title, "outlet": "Big Title Daily", "date": "2024-04-03",
         "text": "An article with an enormous headline about the grain corridor and nothing else of note."},
    ]
    files: dict[str, str | bytes] = {
        "wire.txt": "Grain corridor to reopen Odesa port\n\n" + WIRE + "\n",
        "copy.txt": "Grain corridor to reopen Odesa port\n\n" + WIRE + " Reuters contributed reporting.\n",
        "rewrite.txt": "Cargo ships to return to Odesa\n\n" + REWRITE + "\n",
        "other.txt": "Satellite images show new cranes\n\nSatellite imagery of the port of Mariupol shows new "
                     "cranes and fresh asphalt near the northern pier, analysts said.\n",
        "undated.txt": "Wheat prices fall\n\nWheat prices fell on the news that the grain corridor would reopen, "
                       "traders in Chicago said.\n",
        "page.html": SAVED_PAGE,
        "hostile.jsonl": "".join(json.dumps(r) + "\n" for r in records),
        "metadata.toml": """
["wire.txt"]
outlet = "Reuters"
date = 2024-04-01

["copy.txt"]
outlet = "Kyiv Post"
date = 2024-04-01

["rewrite.txt"]
outlet = "Euromaidan Press"
date = 2024-04-05

["other.txt"]
outlet = "Tibetan Review"
date = 2024-04-05

["undated.txt"]
outlet = "Farm Weekly"
""",
    }
    return write_corpus(root, files)


# -- reading pages as a reader sees them -------------------------------------------------------

def client(index: Path, **kwargs):
    """Starlette's test client on the app, addressed as http://127.0.0.1:8765 (server errors
    become the pages a user would get, not exceptions); saved searches in a file of the test's
    (beside the index) unless ``saved_path`` is given, never the user's."""
    import warnings

    kwargs.setdefault("saved_path", Path(index).parent / f"{Path(index).name}-saved.json")

    warnings.filterwarnings("ignore", message=".*`httpx` with `starlette.testclient`.*")
    from starlette.testclient import TestClient

    from searchkit.web import create_app

    return TestClient(create_app(index, **kwargs), base_url="http://127.0.0.1:8765", raise_server_exceptions=False)


def parse(response):
    """The page as an lxml tree (the HTML parser a test reads it with)."""
    import lxml.html

    assert response.headers["content-type"].startswith("text/html"), response.headers["content-type"]
    return lxml.html.document_fromstring(response.text)


def text_of(element) -> str:
    """What a reader sees of an element: its text with white space folded."""
    return " ".join(element.text_content().split())


def one(tree, xpath: str):
    found = tree.xpath(xpath)
    assert len(found) == 1, f"{xpath}: {len(found)} elements"
    return found[0]


def css(tree, selector: str):
    """Elements by a small CSS subset: "#id", ".class", "tag", "tag.class", "tag#id"."""
    import re

    parts = []
    for step in selector.split():
        m = re.fullmatch(r"([a-z0-9]*)(?:#([\w-]+))?((?:\.[\w-]+)*)", step)
        assert m, step
        tag, ident, classes = m.groups()
        cond = [f"@id='{ident}'"] if ident else []
        cond += [f"contains(concat(' ', normalize-space(@class), ' '), ' {c} ')" for c in classes.split(".") if c]
        parts.append((tag or "*") + "".join(f"[{c}]" for c in cond))
    return tree.xpath("//" + "//".join(parts))
