"""Articles in other languages (issue 23): each document's language with its source, and each
language searched with its own analysis, on a real index of a multilingual corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import searchkit
from searchkit.engine.whoosh import dense
from searchkit.ingest.language import choose, detect, normalise_code, statement_of_page
from searchkit.models import SearchOptions

from .conftest import run_cli, write_corpus

RU = ("Санкции против российских компаний\n\nЕвросоюз ввёл новые ограничения против российских "
      "компаний. По словам министра, санкциями будут охвачены поставки дронов и электроники из Китая. "
      "Китайские поставщики отрицают участие в поставках оружия и называют обвинения политическими.")
RU2 = ("Китайские дроны на фронте\n\nЭксперты нашли китайские детали в российских дронах. Поставки "
       "электроники шли через третьи страны, а санкции не остановили торговлю, пишут журналисты.")
UK = ("Нові санкції проти Росії\n\nЄвропейський союз запровадив нові обмеження проти російських "
      "компаній. За словами міністра, санкціями будуть охоплені постачання дронів та електроніки з "
      "Китаю. Китайські постачальники заперечують свою участь у постачанні зброї.")
DE = ("Neue Sanktionen gegen Russland\n\nDie Europäische Union hat neue Sanktionen gegen russische "
      "Unternehmen beschlossen. Betroffen sind Lieferungen von Drohnen und Elektronik aus China, sagte "
      "der Minister am Montag in Brüssel. Auch ein Bär aus dem Zoo wurde in der Pressekonferenz erwähnt.")
DE2 = ("Drohnen aus China für Russland\n\nNach Recherchen mehrerer Zeitungen wurden Drohnen über "
       "Zwischenhändler geliefert. Die Sanktionen der Europäischen Union greifen bisher kaum, "
       "kritisieren Fachleute in Berlin und Brüssel.")
FR = ("Nouvelles sanctions contre la Russie\n\nL'Union européenne a adopté de nouvelles sanctions "
      "contre des entreprises russes. Les livraisons de drones et d'électronique venues de Chine sont "
      "visées, a déclaré le ministre lundi à Bruxelles.")
EN = ("New sanctions on Russia\n\nThe European Union adopted new sanctions against Russian companies. "
      "The measures cover deliveries of drones and electronics from China, the minister said on Monday. "
      "Reporters met at the hotel bar after the briefing.")
EN_SHORT = "Brief\n\nOk."
MIXED = ("Mixed notes\n\n" + ("The delegation discussed deliveries of electronics and drones with the "
         "ministry officials for several hours on Monday afternoon in the capital. ") * 10
         + ("Делегация обсуждала поставки электроники и дронов с представителями министерства "
            "в течение нескольких часов в понедельник днём в столице. ") * 10)
PAGE = (b"<!doctype html><html lang='en'><head><title>Drohnen</title></head><body><article><h1>"
        b"Drohnen aus China</h1>" + ("<p>" + DE2.split("\n\n")[1] + " " + DE.split("\n\n")[1] + "</p><p>"
        "Die Bundesregierung kündigte an, die Ausfuhrkontrollen zu verschärfen und die Zusammenarbeit "
        "mit den Zollbehörden der Nachbarländer auszubauen.</p>").encode()
        + b"</article></body></html>")
EXPORT = json.dumps({"title": "Sanzioni", "language": "it-IT",
                     "text": "Ok, grazie."}) + "\n"

CORPUS = {
    "ru.txt": RU, "ru2.txt": RU2, "uk.txt": UK, "de.txt": DE, "de2.txt": DE2, "fr.txt": FR,
    "en.txt": EN, "short.txt": EN_SHORT, "mixed.txt": MIXED, "page.html": PAGE,
    "export.jsonl": EXPORT, "forced.txt": EN.replace("New sanctions", "Forced").replace("hotel bar", "hotel"),
    "metadata.toml": '["forced.txt"]\nlang = "es"\n',
}


def ids(results: searchkit.Results) -> list[str]:
    return [hit.doc_id for hit in results.hits]


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("languages")
    index = searchkit.build_index(write_corpus(root / "c", CORPUS), root / "ix")
    yield index
    index.close()


# -- Which language, and where it came from ------------------------------------------------------

def test_language_codes_as_documents_write_them() -> None:
    assert [normalise_code(v) for v in ("en-US", "ru_RU", "zh-Hans-CN", "deu", "German", " uk ")] == \
        ["en", "ru", "zh", "de", "de", "uk"]
    assert [normalise_code(v) for v in ("und", "mul", "en, fr", "", None, "<b>", "x-klingon")] == [None] * 7


def test_detection_is_right_or_says_nothing() -> None:
    assert (detect(RU), detect(UK), detect(DE), detect(FR), detect(EN)) == ("ru", "uk", "de", "fr", "en")
    assert detect(EN_SHORT) is None  # too short to tell
    assert detect(MIXED) is None  # half English, half Russian: never guessed


def test_a_page_statement_is_taken_unless_a_long_text_says_otherwise() -> None:
    assert statement_of_page(b"<html lang='de-AT'><body><p>x</p></body></html>") == "de"
    ld = (b'<html lang="en"><head><script type="application/ld+json">{"@type": "NewsArticle", '
          b'"inLanguage": "uk"}</script></head><body><p>x</p></body></html>')
    assert statement_of_page(ld) == "uk"  # the article's own statement beats the template's
    assert choose("en", "markup", EN) == ("en", "markup")
    assert choose("en", "markup", DE + " " + DE2) == ("de", "text")  # a template's default lang="en"
    assert choose("en", "markup", "Kurz: Drohnen.") == ("en", "markup")
    assert choose("es", "metadata", EN) == ("es", "metadata")  # the user's word wins
    assert choose(None, "", EN_SHORT) == (None, "")


def test_each_document_has_its_language_and_its_source(ix: searchkit.Index) -> None:
    got = {d: (ix.document(d).meta.lang, ix.document(d).meta.lang_source)
           for d in ("ru.txt", "uk.txt", "en.txt", "short.txt", "mixed.txt", "page.html", "export.jsonl#1",
                     "forced.txt")}
    assert got == {
        "ru.txt": ("ru", "text"), "uk.txt": ("uk", "text"), "en.txt": ("en", "text"),
        "short.txt": (None, ""), "mixed.txt": (None, ""), "page.html": ("de", "text"),
        "export.jsonl#1": ("it", "record"), "forced.txt": ("es", "metadata"),
    }


# -- Each language's own analysis ------------------------------------------------------------------

@pytest.mark.parametrize("query, expected", [
    ("санкция", {"ru.txt", "ru2.txt"}),       # the text says санкциями, санкции
    ("поставка", {"ru.txt", "ru2.txt"}),      # поставки, поставках
    ("санкцію", {"uk.txt"}),                  # санкції, санкціями (the Ukrainian stripper)
    ("Sanktion", {"de.txt", "de2.txt", "page.html"}),
    ("Drohne", {"de.txt", "de2.txt", "page.html"}),
    ("livraison", {"fr.txt"}),
])
def test_a_word_finds_its_inflections_in_its_language(ix: searchkit.Index, query: str, expected: set[str]) -> None:
    assert set(ids(ix.search(query))) == expected


def test_english_is_analysed_as_before(ix: searchkit.Index) -> None:
    assert "en.txt" in ids(ix.search("sanction"))
    assert "en.txt" in ids(ix.search("delivery"))


def test_a_stem_of_one_language_does_not_match_another_languages_word(ix: searchkit.Index) -> None:
    # German "Bären" stems to "bar", as English "bar" does: only the German article has a bear.
    assert set(ids(ix.search("Bären"))) == {"de.txt", "page.html"}
    # An English "bars" is a German "Bären" too, when the query's language is not said.
    assert ids(ix.search("bars", lang="en")) == ["en.txt"]


def test_phrases_and_near_follow_the_articles_language(ix: searchkit.Index) -> None:
    assert ids(ix.search('"поставка дронов"')) == ["ru.txt"]  # "поставки дронов" in the text
    assert set(ids(ix.search('"Lieferung von Drohne"'))) == {"de.txt", "page.html"}
    assert set(ids(ix.search('"санкция поставка"~8'))) == {"ru.txt", "ru2.txt"}


def test_highlights_mark_the_inflected_words(ix: searchkit.Index) -> None:
    hit = ix.search("санкция").hits[0]
    marked = {hit.snippet[s:e].lower() for s, e in hit.highlights}
    assert marked & {"санкции", "санкциями"}, (hit.snippet, hit.highlights)


def test_lang_filters_in_the_query_and_the_options(ix: searchkit.Index) -> None:
    assert set(ids(ix.search("lang:de Drohne"))) == {"de.txt", "de2.txt", "page.html"}
    assert set(ids(ix.search("drones -lang:en"))) == {"fr.txt", "forced.txt", "mixed.txt"}
    assert ids(ix.search("drones", lang="en")) == ["en.txt"]
    assert set(ids(ix.search("*", lang=("ru", "uk"), limit=50))) == {"ru.txt", "ru2.txt", "uk.txt"}
    with pytest.raises(searchkit.QueryError, match="lang: needs a language code"):
        ix.search("lang:?? drones")


def test_language_facet(ix: searchkit.Index) -> None:
    facets = ix.search("*", facets=True, limit=1).facets
    assert facets is not None
    assert facets.languages["ru"] == 2 and facets.languages["de"] == 3 and facets.languages["uk"] == 1
    assert facets.no_language == 2  # the short note and the mixed one


def test_did_you_mean_stays_in_the_words_language(ix: searchkit.Index) -> None:
    assert ix.search("Sanktion").suggestion is None  # found in German: no English "sanction"
    assert ix.search("Sanktionnen").suggestion == "sanktionen"


def test_completion_offers_words_of_every_language(ix: searchkit.Index) -> None:
    words = ix.complete("санкц")
    assert {"санкции", "санкциями"} & set(words), words
    assert any(w.startswith("drohne") for w in ix.complete("drohn")), ix.complete("drohn")
    assert any(w.startswith("sanktionen") for w in ix.complete("sanktionen")), ix.complete("sanktionen")


def test_similar_reads_the_article_in_its_language(ix: searchkit.Index) -> None:
    assert ids(ix.similar("de2.txt"))[0] in {"de.txt", "page.html"}
    assert ids(ix.similar("ru2.txt"))[0] == "ru.txt"


def test_both_query_paths_agree_on_a_multilingual_index(ix: searchkit.Index) -> None:
    queries = ["санкция", '"поставка дронов"', "Drohne OR санкція", "lang:de Sanktion", "sanctions drones",
               "Bären", '"санкция поставка"~8', "livraison -lang:fr", "Europäische Union"]
    for query in queries:
        options = SearchOptions(limit=20, facets=True)
        fast = ix.search_with(query, options)
        with dense.disabled():
            slow = ix.search_with(query, options)
        assert [(h.doc_id, round(h.score or 0, 4), h.highlights) for h in fast.hits] == \
            [(h.doc_id, round(h.score or 0, 4), h.highlights) for h in slow.hits], query
        assert (fast.total, fast.facets) == (slow.total, slow.facets), query


# -- What users see --------------------------------------------------------------------------------

def test_cli_lang_option_json_show_and_export(ix: searchkit.Index, tmp_path: Path) -> None:
    index = str(ix.path)
    out = run_cli("query", "санкция", "--index", index, "--json", "--facets", "--no-update")
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert {line["lang"] for line in lines if "doc_id" in line} == {"ru"}
    assert lines[-1]["facets"]["lang"] == {"ru": 2}
    out = run_cli("query", "China", "--lang", "de", "--lang", "en", "--index", index, "-l", "--no-update")
    assert sorted(Path(p).name for p in out.stdout.split()) == ["de.txt", "de2.txt", "en.txt", "page.html"]
    bad = run_cli("query", "drones", "--lang", "русский", "--index", index, "--no-update")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    shown = json.loads(run_cli("show", "uk.txt", "--index", index, "--json").stdout)
    assert (shown["lang"], shown["lang_source"]) == ("uk", "text")
    assert "lang:" in run_cli("show", "forced.txt", "--index", index).stdout
    target = tmp_path / "out.csv"
    run_cli("export", "Drohne", "--index", index, "-o", str(target), "--no-update")
    header, *rows = target.read_text(encoding="utf-8").splitlines()
    assert "lang" in header.split(",") and all(",de," in row for row in rows) and rows


def test_metadata_toml_checks_the_lang_key(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c", {"a.txt": EN, "metadata.toml": '["a.txt"]\nlang = "not a language"\n'})
    with pytest.raises(searchkit.SearchkitError, match="not a language code like ru or de"):
        searchkit.build_index(corpus, tmp_path / "ix")


def test_an_index_from_before_languages_asks_for_a_rebuild(tmp_path: Path) -> None:
    from searchkit.engine.whoosh.schema import SCHEMA_VERSION

    corpus = write_corpus(tmp_path / "c", {"a.txt": RU})
    searchkit.build_index(corpus, tmp_path / "ix").close()
    pointer = tmp_path / "ix" / "searchkit.json"
    data = json.loads(pointer.read_text())
    data["schema_version"] = SCHEMA_VERSION - 1  # written before documents had languages
    pointer.write_text(json.dumps(data))
    done = run_cli("query", "санкция", "--index", str(tmp_path / "ix"), cwd=tmp_path)
    assert done.returncode == 2 and "rebuild it with `searchkit index --rebuild`" in done.stderr
    assert run_cli("index", str(corpus), "--index", str(tmp_path / "ix"), "--rebuild", cwd=tmp_path).returncode == 0
    done = run_cli("query", "санкция", "--index", str(tmp_path / "ix"), "--json", cwd=tmp_path)
    assert json.loads(done.stdout.splitlines()[1])["lang"] == "ru"


def test_the_shell_marks_inflected_words_in_an_open_article(ix: searchkit.Index) -> None:
    from searchkit.shell.view import match_spans

    doc = ix.document("ru.txt")
    marked = {doc.text[s:e] for s, e in match_spans(ix, doc.text, "санкция поставка", lang=doc.meta.lang)}
    assert {"Санкции", "санкциями", "поставки", "поставках"} <= marked, marked


def test_feedback_and_pasted_text_in_other_languages(ix: searchkit.Index) -> None:
    expanded = ix.search("санкция", expand=True)
    assert set(ids(expanded)) >= {"ru.txt", "ru2.txt"}
    pasted = " ".join(RU.split()) * 12  # a long pasted Russian passage (read as plain text)
    assert ids(ix.search(pasted, plain=True))[0] == "ru.txt"


def test_the_detector_model_is_inflated_once_into_the_cache(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    script = ("from searchkit.ingest.language import detect, _identifier; import sys; "
              "sys.stdout.write(str(detect(sys.argv[1])))")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", script, DE], env=env, capture_output=True, text=True, timeout=120)
            for _ in range(2)]
    assert [r.stdout for r in runs] == ["de", "de"], [r.stderr for r in runs]
    kept = list((tmp_path / "cache" / "searchkit").glob("py3langid-*/complete"))
    assert len(kept) == 1


@pytest.mark.parametrize("lang", ["ru", "uk", "de", "fr", "tr", None])
def test_one_pass_indexing_writes_what_the_analyzer_chain_writes_in_each_language(
        lang: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    from whoosh import fields

    from searchkit.engine.whoosh import fastindex
    from searchkit.engine.whoosh.analysis import text_analyzer
    from searchkit.engine.whoosh.fastindex import AnalyzedText, LangText

    text = " ".join([RU, UK, DE, FR, "Pékin İstanbul'da 中国人民银行 U.S. it May"]) * 3
    fast = AnalyzedText(stored=True, chars=True, phrase=True)
    chain = fields.TEXT(analyzer=text_analyzer(), chars=True, phrase=True)
    fast_postings = sorted((t, f, w, fast.format.decode_characters(v)) for t, f, w, v in fast.index(LangText(text, lang)))
    options = {"lang": lang} if lang else {}
    chain_postings = sorted((t, f, w, chain.format.decode_characters(v)) for t, f, w, v in chain.index(text, **options))
    assert fast_postings == chain_postings
    if lang:
        assert all(t.endswith(f"|{lang}".encode()) or "\u4e00" <= t.decode()[0] <= "\u9fff"
                   for t, *_ in fast_postings)
    monkeypatch.setattr(fastindex, "LARGE_TEXT", 10)
    monkeypatch.setattr(fastindex, "_LARGE_CHUNK", 97)
    lean = sorted((t, f, w, fast.format.decode_characters(v)) for t, f, w, v in fast.index(LangText(text, lang)))
    assert lean == fast_postings
