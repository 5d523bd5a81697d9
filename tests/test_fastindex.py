"""The one-pass indexing of text fields writes what the query-side analyzer sees.

A full build indexes title, body and outlet words without Whoosh's analyzer chain
(searchkit.fastindex); queries and highlighting still analyse with the chain. These tests build
real indexes from real files and check that the two agree: every posting's positions and
character offsets, phrases across stop words, and highlights.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from whoosh.util.numeric import byte_to_length, length_to_byte

import searchkit
from searchkit import build_index
from searchkit.engine.whoosh.analysis import text_analyzer
from searchkit.engine.whoosh.index import open_whoosh
from searchkit.store import read_pointer

from .conftest import write_corpus

TRICKY = {
    "apostrophes.txt": "Ukraine’s Ukraine's UKRAINE’S neighbours\n\nThe U.S. and the E.U. said it's "
                       "Russia’s full-scale invasion; the U.S.A. didn't. Naïve café owners in Kyiv "
                       "were running, ran and runs. 3.14 and 12.0 degrees, covid-19 at 16:10.",
    "stops.txt": "Shock with waves\n\nA shock with waves, and shock waves; it is the end of the "
                 "line for THE waves of a shock. To be or not to be.",
    "repeats.txt": "Repeats\n\n" + "satellite imagery of satellites " * 50,
    "unicode.txt": "Ελληνικά и русский\n\nΚαλημέρα κόσμε, привет мир — Straße STRASSE straße ÆON.",
    "news.txt": "It May Rain\n\nIt may rain. The US and IT in May; \"The Hague\" said (It) WHO. "
                "Pékin, États-Unis, Øresund, ＣＨＩＮＡ, nitro\u00adcellulose, ﬁnance. "
                "中国人民银行宣布 and 東京都庁で, 中 alone; Ελληνικά.",
    "metadata.toml": '["stops.txt"]\noutlet = "The Morning Courier of the North"\n',
}


@pytest.fixture(scope="module")
def tricky(tmp_path_factory: pytest.TempPathFactory) -> searchkit.Index:
    root = tmp_path_factory.mktemp("tricky")
    ix = build_index(write_corpus(root / "c", TRICKY), root / "ix")
    yield ix
    ix.close()


def _expected_occurrences(text: str) -> dict[str, list[tuple[int, int, int]]]:
    """term -> [(position, start, end)] as the query-side analyzer chain sees ``text``."""
    found: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for token in text_analyzer()(text, positions=True, chars=True):
        found[token.text].append((token.pos, token.startchar, token.endchar))
    return dict(found)


def _indexed_occurrences(reader, fieldname: str, docnum: int) -> dict[str, list[tuple[int, int, int]]]:  # type: ignore[no-untyped-def]
    fmt = reader.schema[fieldname].format
    found = {}
    for term in reader.field_terms(fieldname):
        postings = reader.postings(fieldname, term)
        postings.skip_to(docnum)
        if postings.is_active() and postings.id() == docnum:
            value = postings.value()
            if fmt.supports("characters"):
                found[term] = fmt.decode_characters(value)
            else:
                found[term] = [(pos, -1, -1) for pos in fmt.decode_positions(value)]
            assert postings.weight() == len(found[term])
    return found


def test_every_posting_has_the_positions_and_offsets_the_query_analyzer_sees(tricky: searchkit.Index) -> None:
    ix = open_whoosh(tricky.path, read_pointer(tricky.path).generation)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for docnum in reader.all_doc_ids():
            stored = reader.stored_fields(docnum)
            for fieldname in ("title", "body"):
                text = stored.get(fieldname) or ""
                assert _indexed_occurrences(reader, fieldname, docnum) == _expected_occurrences(text)
                words = sum(len(v) for v in _expected_occurrences(text).values())
                # Whoosh keeps lengths as one byte, rounded.
                assert reader.doc_field_length(docnum, fieldname) == byte_to_length(length_to_byte(words))
            outlet = stored.get("outlet") or ""
            expected = {term: [(pos, -1, -1) for pos, _, _ in places]
                        for term, places in _expected_occurrences(outlet).items()}
            assert _indexed_occurrences(reader, "outlet_text", docnum) == expected


def test_phrases_keep_stop_word_gaps_and_highlight_the_words(tricky: searchkit.Index) -> None:
    assert [h.doc_id for h in tricky.search('"shock with waves"')] == ["stops.txt"]
    assert [h.doc_id for h in tricky.search('"waves of a shock"')] == ["stops.txt"]
    assert [h.doc_id for h in tricky.search('"russia’s full-scale invasion"')] == ["apostrophes.txt"]
    assert [h.doc_id for h in tricky.search('"the U.S. and the E.U."')] == ["apostrophes.txt"]
    hit = tricky.search("straße привет")[0]
    assert hit.doc_id == "unicode.txt"
    # ß folds to ss, so the capitalised STRASSE is the same word
    assert {hit.snippet[s:e] for s, e in hit.highlights} == {"Straße", "straße", "STRASSE", "привет"}


def test_highlights_point_at_every_repeated_word(tricky: searchkit.Index) -> None:
    hit = tricky.search("satellite")[0]
    marked = [hit.snippet[s:e] for s, e in hit.highlights]
    assert marked and set(marked) == {"satellite", "satellites"}


def test_outlet_words_are_searchable(tricky: searchkit.Index) -> None:
    assert [h.doc_id for h in tricky.search('"courier of the north"')] == ["stops.txt"]


def test_same_results_as_an_index_written_through_the_analyzer_chain(
    tmp_path: Path, tricky: searchkit.Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index whose text fields go through Whoosh's own analysis ranks and scores the same."""
    from whoosh import fields

    from searchkit.engine.whoosh import schema as schema_mod

    monkeypatch.setattr(schema_mod, "AnalyzedText",
                        lambda **kwargs: fields.TEXT(analyzer=text_analyzer(), **kwargs))
    chain = build_index(write_corpus(tmp_path / "c", TRICKY), tmp_path / "ix")
    monkeypatch.undo()
    for query in ("shock waves", '"shock with waves"', "ukraine’s", "run", "satellite imagery", "u.s", "courier"):
        fast = [(h.doc_id, round(h.score, 6), h.snippet, h.highlights) for h in tricky.search(query)]
        slow = [(h.doc_id, round(h.score, 6), h.snippet, h.highlights) for h in chain.search(query)]
        assert fast == slow, query
    chain.close()


def test_a_field_with_another_analyzer_is_indexed_by_that_analyzer() -> None:
    """If the analyzer chain changes and the one-pass analysis does not, indexing follows the chain."""
    from whoosh import fields
    from whoosh.analysis import StemmingAnalyzer

    from searchkit.engine.whoosh.fastindex import AnalyzedText

    text = TRICKY["stops.txt"] + " " + TRICKY["apostrophes.txt"]
    field = AnalyzedText(stored=True, chars=True, phrase=True)
    field.analyzer = StemmingAnalyzer()
    expected = fields.TEXT(analyzer=StemmingAnalyzer(), chars=True, phrase=True)

    def occurrences(of: fields.FieldType) -> list:  # values in each field's own format
        return sorted((t, f, w, of.format.decode_characters(v)) for t, f, w, v in of.index(text))

    assert occurrences(field) == occurrences(expected)


def test_a_long_text_is_indexed_lean_with_the_same_postings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The chunked, flat-array path for long articles writes byte for byte the postings of the
    short path, whatever the chunk size (words never straddle a cut)."""
    import random

    from searchkit.engine.whoosh import fastindex

    rnd = random.Random(7)
    words = ["quokka", "the", "Gamma's", "U.S.", "island’s", "x1", "and", "over-counted", "é"]
    text = "".join(rnd.choice(words) + rnd.choice([" ", "\n", ", ", "  ", "-", "."]) for _ in range(20000))
    short = sorted(fastindex._character_postings(text, 1.0))
    for chunk in (7, 1000, 1 << 20):
        monkeypatch.setattr(fastindex, "_LARGE_CHUNK", chunk)
        assert sorted(fastindex._character_postings_lean(text, 1.0)) == short
    monkeypatch.setattr(fastindex, "LARGE_TEXT", 100)  # and the field takes that path for long texts
    assert sorted(fastindex._character_postings(text, 1.0)) == short


def test_the_long_text_path_writes_what_the_short_path_writes_for_every_kind_of_word(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Articles over a megabyte are analysed in chunks into flat arrays: names typed in capitals,
    accent-folded twins and CJK bigrams must come out exactly as the short path writes them."""
    from searchkit.engine.whoosh import fastindex

    text = ("Pékin and the US said on Monday. It was May; the WHO met in 中国人民银行 and Łódź. "
            "Straße nitro\u00adcellulose ＣＨＩＮＡ us it may. ") * 50
    short = fastindex._character_postings(text, 1.0)
    monkeypatch.setattr(fastindex, "LARGE_TEXT", 10)
    monkeypatch.setattr(fastindex, "_LARGE_CHUNK", 97)  # many chunks, cut inside the text
    lean = fastindex._character_postings(text, 1.0)
    assert sorted(lean) == sorted(short)
    terms = {term for term, *_ in short}
    assert {"pekin".encode(), "中国".encode(), "国人".encode()} <= terms  # folded twin, bigrams
