"""The outlet's own name as a saved page states it (issue 22): which statement wins, how it is
spelled, where it came from, and one name per outlet across an index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from searchkit import api
from searchkit.ingest.infer import describe
from searchkit.ingest.readers.html import page_article
from searchkit.render import document_json

BODY = ("<p>" + "The harbour council voted on Tuesday to close the old ferry terminal after a long "
        "debate about its budget and the state of the pier. " * 4 + "</p>")


def page(*, url: str = "https://www.example-times.com/news/2024/04/07/ferry", title: str = "Council closes ferry terminal",
         head: str = "", ld: dict | None = None, h1: str = "Council closes ferry terminal") -> str:
    script = ""
    if ld is not None:
        script = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
            f'<link rel="canonical" href="{url}">{head}{script}</head>'
            f"<body><article><h1>{h1}</h1>{BODY}</article></body></html>")


def outlet(html: str) -> tuple[str | None, str]:
    meta = describe(page_article(html.encode()), None)
    return meta.outlet, meta.outlet_source


def news_article(publisher: str) -> dict:
    return {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Council closes ferry terminal",
            "publisher": {"@type": "Organization", "name": publisher}}


def test_section_in_og_site_name_loses_to_json_ld_publisher() -> None:
    got = outlet(page(head='<meta property="og:site_name" content="World">', ld=news_article("The Example Times")))
    assert got == ("The Example Times", "markup: JSON-LD publisher")


def test_wire_service_as_json_ld_publisher_loses_to_the_site_that_names_itself_twice() -> None:
    html = page(title="Council closes ferry terminal | The Example Times",
                head='<meta property="og:site_name" content="The Example Times">',
                ld=news_article("Associated Press"))
    assert outlet(html) == ("The Example Times", "markup: og:site_name")


def test_abbreviation_loses_to_the_full_name_it_stands_for() -> None:
    html = page(url="https://www.abz.net/politik/2024/04/07/faehre",
                head='<meta property="og:site_name" content="ABZ.NET">'
                     '<meta name="publisher" content="Allgemeine Beispiel-Zeitung">')
    assert outlet(html) == ("Allgemeine Beispiel-Zeitung", "markup: meta publisher")


@pytest.mark.parametrize("stated", ["example.org", "Science.example", "NEWS.EXAMPLE", "News.az"])
def test_domain_like_site_name_is_kept_as_the_page_states_it(stated: str) -> None:
    html = page(url="https://www.example.org/a/2024/04/07/ferry", head=f'<meta property="og:site_name" content="{stated}">')
    assert outlet(html) == (stated, "markup: og:site_name")


def test_shouting_name_takes_the_mixed_case_spelling_the_page_gives_it() -> None:
    html = page(url="https://www.examplepaper.com/x", title="Council closes ferry terminal - ExamplePaper",
                head='<meta property="og:site_name" content="EXAMPLEPAPER">'
                     '<meta property="og:title" content="Council closes ferry terminal">')
    assert outlet(html)[0] == "ExamplePaper"
    # With no other spelling on the page, the outlet's own capitals stay.
    alone = page(url="https://www.examplepaper.com/x", head='<meta property="og:site_name" content="EXAMPLEPAPER">')
    assert outlet(alone)[0] == "EXAMPLEPAPER"


def test_trademark_signs_and_taglines_and_legal_forms_are_cut() -> None:
    assert outlet(page(head='<meta property="og:site_name" content="Example Times\u00ae">'))[0] == "Example Times"
    tagline = '<meta property="og:site_name" content="Boxring \u2013 Alle News, Termine und Ergebnisse">'
    assert outlet(page(url="https://www.boxring.example/x", head=tagline))[0] == "Boxring"
    assert outlet(page(head='<meta name="application-name" content="The Example Times, LLC">')) == \
        ("The Example Times", "markup: application-name")


def test_company_in_a_publisher_tag_is_not_the_outlet() -> None:
    html = page(url="https://www.ak-example.de/artikel/1", title="Council closes ferry terminal | AK-Example.de",
                head='<meta name="publisher" content="RS-Regio Media Services Ltd. & Co. KG">'
                     '<meta property="og:title" content="Council closes ferry terminal">')
    assert outlet(html) == ("AK-Example.de", "markup: <title>")


def test_dc_publisher_and_application_name_are_read() -> None:
    assert outlet(page(head='<meta name="DC.publisher" content="Harbour Gazette">')) == \
        ("Harbour Gazette", "markup: DC.publisher")
    assert outlet(page(head='<meta name="application-name" content="Harbour Gazette">')) == \
        ("Harbour Gazette", "markup: application-name")


def test_title_part_names_the_outlet_but_a_section_beside_it_does_not() -> None:
    html = page(url="https://www.example-actualite.fr/node/1",
                title="Council closes ferry terminal - Avocat | Example Actualit\u00e9",
                head='<meta property="og:title" content="Council closes ferry terminal">')
    assert outlet(html) == ("Example Actualit\u00e9", "markup: <title>")


def test_a_page_that_names_itself_nowhere_gets_its_domain_as_written() -> None:
    got = outlet(page(url="https://www.chemie-example.de/news/1178836/x.html"))
    assert got == ("chemie-example.de", "url")


def test_one_outlet_gets_one_name_across_its_pages_in_the_index(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.html").write_text(page(url="https://www.lexample.fr/a/2024/04/07/x",
                                        ld=news_article("Le Example")), encoding="utf-8")
    (corpus / "b.html").write_text(page(url="https://www.lexample.fr/b/2024/04/08/y",
                                        head='<meta property="og:site_name" content="Le Example.fr">'),
                                   encoding="utf-8")
    with api.build_index(corpus, tmp_path / "ix") as ix:
        a, b = document_json(ix.document("a.html")), document_json(ix.document("b.html"))
        assert (a["outlet"], a["outlet_source"]) == ("Le Example", "markup: JSON-LD publisher")
        assert (b["outlet"], b["outlet_source"]) == ("Le Example", "markup: JSON-LD publisher (lexample.fr)")
        assert ix.stats().outlets == {"Le Example": 2}
    # A page added later, in an incremental run, gets the same name.
    (corpus / "c.html").write_text(page(url="https://www.lexample.fr/c/2024/04/09/z",
                                        head='<meta property="og:site_name" content="LEXAMPLE">'), encoding="utf-8")
    with api.build_index(corpus, tmp_path / "ix") as ix:
        assert document_json(ix.document("c.html"))["outlet"] == "Le Example"
