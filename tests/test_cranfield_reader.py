"""The Cranfield reader used by benchmarks/relevance.py, on the real files in the repo."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

import cranfield  # noqa: E402

DATA = BENCHMARKS / "data" / "cranfield"


@pytest.fixture(scope="module")
def collection() -> cranfield.Collection:
    return cranfield.load(DATA)


def test_counts_match_the_collection(collection):
    assert len(collection.docs) == 1400
    assert [d.doc_id for d in collection.docs] == [str(n) for n in range(1, 1401)]
    assert len(collection.queries) == 225
    assert len(collection.judgements) == 1837


def test_first_document_sections(collection):
    first = collection.docs[0]
    assert first.title == (
        "experimental investigation of the aerodynamics of a wing in a slipstream ."
    )
    assert first.authors == "brenckman,m."
    assert first.biblio == "j. ae. scs. 25, 1958, 324."
    assert first.text.startswith(first.title + " an experimental study of a wing")
    assert first.text.endswith("for the specific configuration of the experiment .")
    assert "\n" not in first.text and "  " not in first.text


def test_damaged_record_keeps_both_text_sections(collection):
    # Record 576 has a second .W section in the distributed file; both halves are kept.
    doc = collection.docs[575]
    assert doc.doc_id == "576"
    assert doc.text.startswith("viscous and inviscid stagnation flow")
    assert doc.text.endswith("blades is included .")
    assert "limit characteristics" in doc.text


def test_queries_are_numbered_by_position_not_by_their_own_number(collection):
    queries = collection.queries
    assert [q.query_id for q in queries] == [str(n) for n in range(1, 226)]
    assert queries[2].file_number == "4" and queries[2].query_id == "3"
    assert queries[2].text == (
        "what problems of heat conduction in composite slabs have been solved so far ."
    )
    last = queries[-1]
    assert (last.query_id, last.file_number) == ("225", "365")
    assert last.text.startswith("what design factors can be used to control lift-drag")


def test_judgement_grades_and_ids(collection):
    grades = Counter(j.grade for j in collection.judgements)
    assert grades == {3: 734, 2: 387, 4: 363, -1: 225, 1: 128}
    query_ids = {q.query_id for q in collection.queries}
    doc_ids = {d.doc_id for d in collection.docs}
    assert {j.query_id for j in collection.judgements} == query_ids
    assert {j.doc_id for j in collection.judgements} <= doc_ids
    assert cranfield.Judgement("1", "184", 2) in collection.judgements


def test_text_outside_a_section_is_an_error(tmp_path):
    bad = tmp_path / "cran.qry"
    bad.write_text("stray words\n.I 1\n.W\nquery text\n")
    with pytest.raises(ValueError, match="outside any section"):
        cranfield.read_queries(bad)


def test_abstract_drops_the_repeated_title(collection):
    first = collection.docs[0]
    assert first.abstract().startswith("an experimental study of a wing")
    assert first.title + " " + first.abstract() == first.text
    # Record 1000's text spells its title differently: nothing is cut.
    odd = collection.docs[999]
    assert odd.doc_id == "1000" and odd.abstract() == odd.text
    empty = collection.docs[470]
    assert (empty.doc_id, empty.title, empty.abstract()) == ("471", "", "")
