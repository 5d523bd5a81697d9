"""The "Save this search" form as Chromium posts it: with ``Referrer-Policy: no-referrer`` (every
page's) a browser sends ``Origin: null`` on our own form, and ``Sec-Fetch-Site: same-origin``,
which no page can forge. The real-browser suite found such a form refused as cross-site; this
test keeps it working where Chromium is not installed."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the web stack (starlette, jinja2) is not installed")

import searchkit  # noqa: E402

from .webcorpus import client, web_corpus  # noqa: E402


def test_our_own_form_is_accepted_with_origin_null_and_a_cross_site_one_is_not(tmp_path: Path) -> None:
    searchkit.build_index(web_corpus(tmp_path / "corpus"), tmp_path / "index").close()
    saved = tmp_path / "data" / "saved_searches.json"
    with client(tmp_path / "index", saved_path=saved) as c:
        form = {"name": "grain", "q": "grain corridor"}
        ours = c.post("/saved", data=form, headers={"sec-fetch-site": "same-origin", "origin": "null"},
                      follow_redirects=False)
        assert ours.status_code == 303 and ours.headers["location"] == "/saved"
        assert [s["name"] for s in c.get("/saved.json").json()["saved"]] == ["grain"]
        # A browser's word on the site wins over an Origin header that names us.
        theirs = c.post("/saved", data={"name": "evil", "q": "x"},
                        headers={"sec-fetch-site": "cross-site", "origin": "http://127.0.0.1:8765"})
        assert theirs.status_code == 403
        assert [s["name"] for s in c.get("/saved.json").json()["saved"]] == ["grain"]
