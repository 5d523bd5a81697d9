"""Titles of saved pages (issue 22): the headline the reader sees, its own dashes kept, the
site's name cut however the page spells it, the visible <h1> over a social-media title."""

from __future__ import annotations

from searchkit.ingest.readers.html import page_article

BODY = ("<p>" + "The harbour council voted on Tuesday to close the old ferry terminal after a long "
        "debate about its budget and the state of the pier. " * 4 + "</p>")


def title_of(*, title: str, head: str = "", h1: str = "", url: str = "https://www.example.de/a/1") -> str | None:
    heading = f"<h1>{h1}</h1>" if h1 else ""
    raw = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
           f'<link rel="canonical" href="{url}">{head}</head><body><article>{heading}{BODY}</article></body></html>')
    hint = page_article(raw.encode()).title
    return hint.value if hint else None


def test_a_headline_s_own_dash_and_colon_are_not_cut_as_a_site_suffix() -> None:
    got = title_of(title="Dortmund - Gladbach: Bundesliga live sehen! - EXAMPLE BILD",
                   head='<meta property="og:site_name" content="examplebild.de">', url="https://www.examplebild.de/a/1")
    assert got == "Dortmund - Gladbach: Bundesliga live sehen!"
    # A dash inside a headline with no site part at all stays whole.
    assert title_of(title="Biden - Trump debate moves to Ohio after venue row",
                    head='<meta property="og:site_name" content="Example Times">') == \
        "Biden - Trump debate moves to Ohio after venue row"


def test_a_site_suffix_is_cut_however_the_page_spells_the_site() -> None:
    head = '<meta property="og:site_name" content="Example">'
    assert title_of(title="Council closes ferry terminal after budget row | Example.DE", head=head) == \
        "Council closes ferry terminal after budget row"
    assert title_of(title="Council closes ferry terminal after budget row - Example Online", head=head) == \
        "Council closes ferry terminal after budget row"
    assert title_of(title="EXAMPLE | Council closes ferry terminal after budget row", head=head) == \
        "Council closes ferry terminal after budget row"


def test_the_visible_headline_beats_a_social_media_title() -> None:
    got = title_of(title="Council closes ferry terminal after budget row | Example Times",
                   head='<meta property="og:title" content="You will not believe what the council did">'
                        '<meta property="og:site_name" content="Example Times">',
                   h1="Council closes the ferry terminal after a budget row")
    assert got == "Council closes the ferry terminal after a budget row"


def test_a_kicker_in_the_h1_is_left_out() -> None:
    got = title_of(title="Council closes ferry terminal after budget row",
                   head='<meta property="og:title" content="Council closes ferry terminal after budget row">',
                   h1="<span>Harbour</span> | Council closes ferry terminal after budget row")
    assert got == "Council closes ferry terminal after budget row"
