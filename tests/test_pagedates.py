"""Publication dates of saved pages and texts (issue 22): what the page says was published, in
its own time zone, never a modification date, with the element named; date lines in the
languages news is written in."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from searchkit.ingest.infer import describe, infer_date
from searchkit.ingest.readers.html import page_article

BODY = ("<p>" + "The harbour council voted on Tuesday to close the old ferry terminal after a long "
        "debate about its budget and the state of the pier. " * 4 + "</p>")


def page(*, head: str = "", ld: dict | None = None, before_h1: str = "", after_h1: str = "",
         url: str = "https://www.example-times.com/news/ferry-terminal-closes") -> bytes:
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld else ""
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Council closes ferry terminal</title>'
            f'<link rel="canonical" href="{url}">{head}{script}</head><body>'
            f'<header><h1 class="logo">Example Times</h1><p>Tuesday, 10 December 2024</p></header>'
            f"<article>{before_h1}<h1>Council closes ferry terminal</h1>{after_h1}{BODY}</article>"
            f"</body></html>").encode()


def date_of(raw: bytes) -> tuple[str | None, str]:
    meta = describe(page_article(raw), None)
    return (meta.date.isoformat() if meta.date else None), meta.date_source


def article(**dates: str) -> dict:
    return {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Council closes ferry terminal", **dates}


def test_published_date_beats_the_modification_date() -> None:
    raw = page(ld=article(datePublished="2024-04-07T09:30:00+02:00", dateModified="2024-04-09T11:00:00+02:00"),
               head='<meta property="article:modified_time" content="2024-04-09T11:00:00+02:00">')
    assert date_of(raw) == ("2024-04-07", "markup: JSON-LD datePublished")


def test_a_modification_date_alone_is_no_publication_date() -> None:
    raw = page(ld=article(dateModified="2024-04-09T11:00:00+02:00"))
    assert date_of(raw)[0] != "2024-04-09"


def test_time_written_in_utc_counts_for_the_day_the_page_shows() -> None:
    # 02:10 UTC on the 8th is the evening of the 7th in New York, as the date line says.
    raw = page(ld=article(datePublished="2024-04-08T02:10:00Z"),
               after_h1="<p class='byline'>April 7, 2024 at 10:10 PM EDT</p>")
    assert date_of(raw) == ("2024-04-07", "markup: JSON-LD datePublished, local day")


def test_time_written_in_utc_takes_the_offset_another_time_of_the_page_gives() -> None:
    raw = page(head='<meta property="article:published_time" content="2024-04-08T02:10:00Z">'
                    '<meta property="article:modified_time" content="2024-04-08T09:00:00-04:00">')
    assert date_of(raw) == ("2024-04-07", "markup: article:published_time, local time")


def test_date_line_beside_the_headline_not_the_header_s_today_stamp() -> None:
    raw = page(after_h1="<ul class='meta'><li><a title='13 Oct 2020 18:29'>13 Oct 2020 18:29</a></li></ul>")
    assert date_of(raw) == ("2020-10-13", "markup: date line")
    before = page(before_h1="<p>02.02.2022 10:16 Uhr - 1. Bundesliga - PM Vereine, red</p>")
    assert date_of(before) == ("2022-02-02", "markup: date line")


@pytest.mark.parametrize("line, day", [
    ("Publié le 8 avril 2024 à 10h00", "2024-04-08"),
    ("Veröffentlicht am 8. April 2024, 10:12 Uhr", "2024-04-08"),
    ("Publicado el lunes, 8 de abril de 2024", "2024-04-08"),
    ("8 апреля 2024 г., 10:15", "2024-04-08"),
    ("Pubblicato il 8 aprile 2024", "2024-04-08"),
    ("8 kwietnia 2024", "2024-04-08"),
    ("1er avril 2024", "2024-04-01"),
])
def test_date_lines_in_other_languages(line: str, day: str) -> None:
    assert date_of(page(after_h1=f"<p>{line}</p>")) == (day, "markup: date line")
    text = f"Council closes ferry terminal\n\n{line}\n\nThe harbour council voted to close the terminal.\n"
    assert infer_date(text) == dt.date.fromisoformat(day)


def test_an_update_line_is_not_the_publication() -> None:
    raw = page(after_h1="<p>Mis à jour le 9 avril 2024 à 08h00</p><p>Publié le 8 avril 2024 à 10h00</p>")
    assert date_of(raw) == ("2024-04-08", "markup: date line")
