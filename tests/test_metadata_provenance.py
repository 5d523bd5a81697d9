"""Metadata is never invented: where a date or an outlet comes from, on generated files
indexed for real (HTML pages, Markdown with front matter, plain-text wire copies)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from searchkit import api
from searchkit.render import document_json
from tests.conftest import run_cli, write_corpus

_PARAGRAPHS = (
    "The regional council approved the new water tariff after a session that lasted most of "
    "the evening and drew dozens of residents.",
    "Officials said the increase would fund repairs to the ageing pipe network, which loses "
    "about a third of the treated water before it reaches homes.",
    "Opposition members argued that poorer households would carry most of the cost, and "
    "asked for a social rate that the majority rejected.",
)


def _page(*, head: str = "", top: str = "", footer: str = "", extra: str = "", saved_from: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in _PARAGRAPHS)
    comment = f"<!-- saved from url=({len(saved_from):04d}){saved_from} -->\n" if saved_from else ""
    return (f"{comment}<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Council approves water tariff rise</title>{head}</head><body>"
            f"<header><nav><a href=\"/\">Home</a> <a href=\"/local\">Local</a></nav></header>"
            f"<main><article><h1>Council approves water tariff rise</h1>{top}{body}{extra}</article></main>"
            f"<footer>{footer}</footer></body></html>")


def _index(tmp_path: Path, files: dict[str, str | bytes]) -> dict[str, dict]:  # type: ignore[type-arg]
    corpus = write_corpus(tmp_path / "c", files)
    api.build_index(corpus, tmp_path / "ix").close()
    with api.open_index(tmp_path / "ix") as ix:
        return {name: document_json(ix.document(name)) for name in files}


# Pages whose only "dates" are ones a reader would not take for the publication date.
UNDATED_PAGES = {
    "copyright.html": _page(footer="<p>\u00a9 2025 Some Paper</p>"),
    "copyright_range.html": _page(footer="<p>Copyright \u00a9 2019\u20132025 Harbor Times Media. All rights reserved.</p>"),
    "year_alone.html": _page(top="<p class=\"meta\">2024</p>"),
    "month_alone.html": _page(top="<p>March 2024</p>", footer="<p>\u00a9 2025 Some Paper</p>"),
    "quoted_dates.html": _page(extra="<p>The vote recalls the referendum of 12 March 2023, when turnout was low.</p>"
                                     "<p>\u201cWe met on 5 May 2022,\u201d she said.</p>"
                                     "<p>Next session: 3 June 2024 at 10:00</p>"),
    # Day and month could be either way round: 7 April or July 4.
    "ambiguous_numeric.html": _page(top="<span class=\"date\">07/04/2024</span>"),
    "updated_only.html": _page(top="<p class=\"date\">Updated: 9 April 2024</p>"),
    "aktualisiert.html": _page(top="<p class=\"datum\">Aktualisiert am 09.04.2024, 10:16 Uhr</p>",
                               footer="<p>\u00a9 2024 Rheinblatt</p>"),
}


def test_undated_pages_get_no_date_from_copyright_years_quotes_or_updates(tmp_path: Path) -> None:
    shown = _index(tmp_path, UNDATED_PAGES)
    for name, got in shown.items():
        assert (got["date"], got["date_source"]) == (None, None), name


def test_dated_pages_keep_their_date_labelled_with_its_source(tmp_path: Path) -> None:
    ld = ('<script type="application/ld+json">{"@type":"NewsArticle","datePublished":'
          '"2024-04-07T09:00:00+02:00"}</script>')
    pages = {
        "json_ld.html": _page(head=ld, footer="<p>\u00a9 2025 Harbor Times</p>"),
        "date_line.html": _page(top="<p class=\"byline\">Published 7 April 2024</p>",
                                footer="<p>\u00a9 2025 Some Paper</p>"),
        "url.html": _page(saved_from="https://www.harbortimes.example.com/local/2024/04/07/water-tariff"),
        # Dates in the page's own short texts, in forms other readers find (htmldate's answer
        # counts when the page states its day).
        "span_german.html": _page(top="<div class=\"release\"><span>dpa</span><span> am 07.04.2024</span></div>"),
        "span_numeric.html": _page(top="<span class=\"date\">17/04/2024</span>"),
        "time_element.html": _page(extra="<p class=\"meta\">Filed <time datetime=\"2024-04-07T08:00:00+02:00\">"
                                         "Sunday morning</time></p>", footer="<p>\u00a9 2025 Some Paper</p>"),
    }
    shown = _index(tmp_path, pages)
    sources = {name: got["date_source"] for name, got in shown.items()}
    dates = {name: got["date"] for name, got in shown.items()}
    assert dates == {name: "2024-04-17" if name == "span_numeric.html" else "2024-04-07" for name in pages}, sources
    assert sources["json_ld.html"] == "markup: JSON-LD datePublished"
    assert sources["date_line.html"] == "markup: date line"
    assert sources["url.html"] == "url"
    assert sources["time_element.html"] == "markup: <time datetime>"
    assert sources["span_german.html"] in ("markup: date text", "markup: date line")
    # An extractor's byline "Published" (the date taken off) is not an author.
    assert shown["date_line.html"]["author"] is None


@pytest.mark.parametrize("key", ["publisher", "outlet", "source", "site", "site_name", "publication",
                                 "Site Name", "newspaper"])
@pytest.mark.parametrize("quote", ['"', "'", ""])
def test_front_matter_outlet_under_any_usual_key_quoted_or_not(tmp_path: Path, key: str, quote: str) -> None:
    name = "La Voz de Torreblanca del R\u00edo"
    text = (f"---\ntitle: \"Lluvias torrenciales en la costa\"\n{key}: {quote}{name}{quote}\n"
            "date: 2024-04-07\n---\n\nLas lluvias de la noche inundaron varias calles del centro.\n")
    got = _index(tmp_path, {"nota.md": text})["nota.md"]
    assert (got["outlet"], got["outlet_source"]) == (name, "properties")
    assert got["date"] == "2024-04-07"


@pytest.mark.parametrize("name", ["\u0423\u043a\u0440\u0430\u0457\u043d\u0441\u044c\u043a\u0430 \u043f\u0440\u0430\u0432\u0434\u0430",
                                  "taz", "\u0627\u0644\u0634\u0631\u0642 \u0627\u0644\u0623\u0648\u0633\u0637",
                                  "O'Reilly Daily"])
def test_front_matter_outlet_in_any_script_and_as_a_mapping(tmp_path: Path, name: str) -> None:
    quoted = "'" + name.replace("'", "''") + "'"
    files = {"plain.txt": f"---\ntitle: Headline of the day\npublisher: {quoted}\n---\n\nBody text of the note.\n",
             "mapping.md": f"---\ntitle: Headline of the day\npublisher:\n  name: {quoted}\n  url: https://x.example\n---\n\nBody.\n"}
    shown = _index(tmp_path, files)
    for file, got in shown.items():
        assert (got["outlet"], got["outlet_source"]) == (name, "properties"), file


WIRE_COPIES = {
    "en.txt": ("Storm floods the coast\n\nBy Ana Ruiz, El Diario del Sur\n\n"
               "MADRID (Reuters) - Heavy rain flooded coastal towns overnight, officials said on Sunday.\n\nMore text.\n",
               "El Diario del Sur", "text: byline"),
    "es.txt": ("Lluvias en la costa\n\nPor Ana Ruiz, El Diario del Sur\n\n"
               "MADRID (EFE) - Las lluvias de la noche inundaron varias calles del centro, dijeron las autoridades.\n\nM\u00e1s.\n",
               "El Diario del Sur", "text: byline"),
    "de.txt": ("Sturm trifft die K\u00fcste\n\nVon Anna Schmidt, S\u00fcddeutsche Zeitung\n\n"
               "BERLIN (dpa) - Heftiger Regen hat in der Nacht mehrere K\u00fcstenorte \u00fcberflutet, teilten die Beh\u00f6rden mit.\n\nMehr.\n",
               "S\u00fcddeutsche Zeitung", "text: byline"),
    "fr.txt": ("Temp\u00eate sur la c\u00f4te\n\nPar Marie Dupont, Le Courrier de l'Ouest\n\n"
               "PARIS (AFP) - De fortes pluies ont inond\u00e9 plusieurs villes c\u00f4ti\u00e8res dans la nuit, selon les autorit\u00e9s.\n\nSuite.\n",
               "Le Courrier de l'Ouest", "text: byline"),
    "published_by.txt": ("Storm floods the coast\n\nMADRID (Reuters) - Heavy rain flooded coastal towns overnight, "
                         "officials said on Sunday.\n\nMore text.\n\nPublished by Harbor Times\n",
                         "Harbor Times", "text: publisher line"),
    "publicado.txt": ("Lluvias en la costa\n\nPublicado por La Gaceta del Norte\n\nMADRID (EFE) - Las lluvias de la "
                      "noche inundaron varias calles del centro, dijeron las autoridades.\n\nM\u00e1s.\n",
                      "La Gaceta del Norte", "text: publisher line"),
    "agency_parens.txt": ("Storm floods the coast\n\nBy Ana Ruiz, El Diario del Sur\n\n(Associated Press, April 7, "
                          "2024) \u2014 Heavy rain flooded coastal towns overnight, officials said.\n\nMore text.\n",
                          "El Diario del Sur", "text: byline"),
    # A place after the name is no outlet: the agency's dateline is all there is.
    "place_byline.txt": ("Storm floods the coast\n\nBy Jane Doe, Los Angeles\n\nLOS ANGELES (AP) \u2014 Heavy rain "
                         "flooded coastal towns overnight, officials said.\n\nMore text.\n", "AP", "text: dateline"),
    "dateline_only.txt": ("Storm floods the coast\n\nMADRID (Reuters) - Heavy rain flooded coastal towns overnight, "
                          "officials said on Sunday.\n\nMore text.\n", "Reuters", "text: dateline"),
}


def test_a_byline_or_publisher_line_wins_over_a_wire_dateline(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {name: text for name, (text, _, _) in WIRE_COPIES.items()})
    result = run_cli("index", str(corpus), "--index", str(tmp_path / "ix"))
    assert result.returncode == 0, result.stderr
    for name, (_text, outlet, source) in WIRE_COPIES.items():
        shown = run_cli("show", name, "--index", str(tmp_path / "ix"), "--json")
        got = json.loads(shown.stdout)
        assert (got["outlet"], got["outlet_source"]) == (outlet, source), name


def test_front_matter_publisher_wins_over_a_wire_dateline(tmp_path: Path) -> None:
    text = ("---\ntitle: Storm floods the coast\npublisher: \"La Voz de Torreblanca del R\u00edo\"\n---\n\n"
            "MADRID (Reuters) - Heavy rain flooded coastal towns overnight, officials said on Sunday.\n")
    got = _index(tmp_path, {"wire.md": text})["wire.md"]
    assert (got["outlet"], got["outlet_source"]) == ("La Voz de Torreblanca del R\u00edo", "properties")
