"""Did-you-mean from the in-memory word list (engine/whoosh/lexicon.py): the words within an
edit distance are exactly those Whoosh's own automaton finds, on one segment and on several;
the suggestion is spelled as the articles spell it, nearest to what was typed; document
numbers by id from the per-searcher table equal Whoosh's lookups, updated documents included."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import searchkit
from searchkit import build_index
from searchkit.engine.whoosh.facets import LOOKUP_COST_IN_TABLE_ENTRIES, _IdNumbers
from searchkit.engine.whoosh.lexicon import field_words

from .conftest import write_corpus

WORDS = ("sanction sanctions sanctioned sanctioning sanctuary santa sandal scandal station "
         "senator senate sentence secretary secret secrets security securities seminar sector "
         "minister ministers ministry minster mister monster mineral mining minimal minute "
         "parliament parliamentary parameter parameters paramount paragraph parchment").split()


def _corpus(root: Path, seed: int, n: int = 40) -> Path:
    rng = random.Random(seed)
    files = {f"{i:03d}.txt": f"Report {i}\n\n" + " ".join(rng.choice(WORDS) for _ in range(30)) + "."
             for i in range(n)}
    # The article most about "sanction" spells it "Sanctioned" first, "sanctions" most.
    files["000.txt"] = "Sanctioned\n\nThe sanctions were sanctioned; sanctions again, and sanctions."
    return write_corpus(root, files)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> searchkit.Index:
    root = tmp_path_factory.mktemp("spelling")
    ix = build_index(_corpus(root / "c", 1), root / "ix")
    yield ix
    ix.close()


def _searcher(ix: searchkit.Index):  # type: ignore[no-untyped-def]
    return ix._read(lambda reader: reader.searcher)


def _typos(word: str) -> list[str]:
    out = [word[:i] + word[i + 1:] for i in range(1, len(word))]  # a letter dropped
    out += [word[:i] + "x" + word[i:] for i in range(1, len(word))]  # one inserted
    out += [word[:i] + "q" + word[i + 1:] for i in range(1, len(word))]  # one replaced
    out += [word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(1, len(word) - 1)]  # swapped
    return out


def _same_as_whoosh(reader) -> None:  # type: ignore[no-untyped-def]
    words = field_words(reader)
    asked = {t for w in WORDS for t in [w, *_typos(w)]}
    for term in sorted(asked):
        for maxdist in (1, 2):
            ours = [t for t, _ in words.letter(term[0]).within(term, maxdist, prefix=1)]
            theirs = sorted(reader.terms_within("body", term, maxdist, prefix=1))
            assert sorted(ours) == theirs, (term, maxdist)
            for t, freq in words.letter(term[0]).within(term, maxdist, prefix=1):
                assert freq == reader.doc_frequency("body", t)


def test_words_within_an_edit_distance_are_whoosh_s(index: searchkit.Index) -> None:
    reader = _searcher(index).reader()
    assert len(reader.leaf_readers()) == 1
    _same_as_whoosh(reader)


def test_words_within_an_edit_distance_on_several_segments(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c", 2)
    ix = build_index(corpus, tmp_path / "ix")
    (corpus / "900.txt").write_text("Late\n\nA sanctuary and a minstrel met a paramedic.\n", encoding="utf-8")
    (corpus / "001.txt").write_text("Changed\n\nThe senator's sanctimonious secretary.\n", encoding="utf-8")
    ix.close()
    ix = build_index(corpus, tmp_path / "ix")  # an update: a new segment, a deleted document
    try:
        reader = _searcher(ix).reader()
        assert len(reader.leaf_readers()) > 1 and reader.has_deletions()
        words = field_words(reader)
        assert words.freq("sanctimoni") == 1 and words.freq("minstrel") == 1
        # Whoosh's several-segment path measures Damerau distance; its plain Levenshtein
        # matches, on each segment, are ours.
        for leaf, _ in reader.leaf_readers():
            _same_as_whoosh(leaf)
    finally:
        ix.close()


def test_most_frequent_word_within_is_the_walk_of_every_word_s(index: searchkit.Index) -> None:
    """The walk by bands of frequency (the frequent words first) picks what a walk of every
    word picks: the most widespread word within the distance, the first in order on a tie."""
    words = field_words(_searcher(index).reader())
    asked = sorted({t for w in WORDS for t in [w, *_typos(w)]})
    found = 0
    for term in asked:
        letter = words.letter(term[0])
        for maxdist in (1, 2):
            for least in (1, 2, 6, 7, 30, 1000):
                best, best_freq = None, least - 1
                for candidate, freq in letter.within(term, maxdist, prefix=1):
                    if candidate != term and freq > best_freq:
                        best, best_freq = candidate, freq
                expected = (best, best_freq) if best is not None else None
                assert letter.most_frequent_within(term, maxdist, least, accept=lambda c: c != term) == expected
                found += expected is not None
    assert found > 100  # the comparison saw real corrections


def test_suggestion_is_spelled_as_the_articles_spell_it_nearest_to_what_was_typed(index: searchkit.Index) -> None:
    assert index.search("sanctoins").suggestion == "sanctions"
    assert index.search("parlaiment").suggestion == "parliament"
    assert index.search("sanctions").suggestion is None


def test_document_numbers_from_the_table_are_whoosh_s(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c", 3)
    ix = build_index(corpus, tmp_path / "ix")
    (corpus / "002.txt").write_text("Edited\n\nNew text.\n", encoding="utf-8")  # deleted, then added again
    ix.close()
    ix = build_index(corpus, tmp_path / "ix")
    try:
        searcher = _searcher(ix)
        ids = [*ix.doc_ids(), "no-such-id"]
        expected = {i: n for i in ids if (n := searcher.document_number(doc_id=i)) is not None}
        few = _IdNumbers(searcher)
        assert few.numbers(ids[:1]) == {ids[0]: expected[ids[0]]} and few.table is None  # looked up one by one
        many = _IdNumbers(searcher)
        assert many.numbers(ids * LOOKUP_COST_IN_TABLE_ENTRIES) == expected and many.table is not None
        assert many.numbers(["002.txt"]) == {"002.txt": expected["002.txt"]}
    finally:
        ix.close()
