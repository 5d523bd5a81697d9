"""The query language, checked against a real Whoosh index built with searchkit's schema.

Each test asserts which documents a query finds (or the error it raises), the way a user
of the CLI or the library sees it.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import index
from whoosh.query import NullQuery, Query

from searchkit.errors import QueryError
from searchkit.engine.whoosh.compile import parse_query, query_words
from searchkit.engine.whoosh.queries import day_range
from searchkit.querylang.parser import MAX_DEPTH
from searchkit.engine.whoosh.schema import build_schema, outlet_key

# doc_id: (title, body, outlet, day)   day 0 = date unknown
DOCS = {
    "space/launch.txt": ("Satellites launched",
                         "The satellite was launched at dawn. Shock waves hit the coast.",
                         "Forbes", 20240407),
    "space/shock.txt": ("Shock report", "There was a shock with waves nearby.",
                        "EU Today", 20240415),
    "world/deal.txt": ("Deal signed", "China signed a deal. Russia agreed later.",
                       "EU Today Weekly", 20240501),
    "chem/nitro.txt": ("Nitrocellulose", "Nitrocellulose explodes. Microscopes help.",
                       "Reuters", 0),
    "sport/run.txt": ("Running", "The runner was running fast past the harbour.",
                      "Forbes", 20231231),
    "old/archive.txt": ("Archive", "A satellite photo from the archive, at 16:10 local "
                        "time; see https://example.com/page", "Le Monde", 20150310),
    "world/far.txt": ("Talks", "China, after long and difficult talks with many partners, "
                      "finally met Russia.", "Reuters", 20240102),
    "space/many.txt": ("Satellite satellite satellite",
                       "satellite satellite satellite satellite satellite satellite",
                       "Forbes", 20240303),
    "space/both.txt": ("Notes", "Notes from the field: a satellite, a harbour, a storm, a "
                       "delay, then the launch at last, after weeks of waiting for "
                       "weather and permits and crews.", "Le Monde", 20240304),
    "health/covid.txt": ("Cases", "COVID-19 cases rose. Nineteen covid wards; 19 beds.",
                         "EU Today", 20240220),
}


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    path = tmp_path_factory.mktemp("ix")
    ix = index.create_in(str(path), build_schema())
    w = ix.writer()
    for doc_id, (title, body, outlet, day) in DOCS.items():
        w.add_document(doc_id=doc_id, title=title, body=body, outlet=outlet,
                       outlet_key=outlet_key(outlet), outlet_text=outlet, day=day)
    w.commit()
    yield ix
    ix.close()


@pytest.fixture(scope="module")
def searcher(ix):
    with ix.searcher() as s:
        yield s


def ids(searcher, text: str, **kw) -> set[str]:
    return {hit["doc_id"] for hit in searcher.search(parse_query(text, **kw), limit=None)}


def ranked(searcher, text: str, terms: bool = False, **kw) -> list[str]:
    hits = searcher.search(parse_query(text, **kw), limit=None, terms=terms)
    return [hit["doc_id"] for hit in hits]


def error(text: str) -> QueryError:
    with pytest.raises(QueryError) as info:
        parse_query(text)
    assert "\n" not in str(info.value)
    return info.value


DATED = {d for d, (_, _, _, day) in DOCS.items() if day}
SATELLITE = {"space/launch.txt", "old/archive.txt", "space/many.txt", "space/both.txt"}


# --- words ------------------------------------------------------------------------------

def test_stemming_and_case_folding(searcher):
    assert ids(searcher, "SATELLITES") == SATELLITE
    assert ids(searcher, "run") == {"sport/run.txt"}  # running -> run (not Porter's "runn")


def test_stop_word_dropped_from_a_word_list(searcher):
    assert ids(searcher, "the nitrocellulose") == {"chem/nitro.txt"}


def test_lowercase_operators_are_words(searcher):
    # "not" is a stop word, so this is "china russia": both China documents
    assert ids(searcher, "china not russia") == {"world/deal.txt", "world/far.txt"}
    assert ids(searcher, "china NOT russia") == set()


def test_word_with_inner_punctuation_is_a_phrase(searcher):
    assert ids(searcher, "covid-19") == {"health/covid.txt"}
    assert ids(searcher, "16:10") == {"old/archive.txt"}
    assert ids(searcher, "https://example.com/page") == {"old/archive.txt"}
    assert ids(searcher, "19-covid") == set()  # order matters in the phrase


# --- phrases ----------------------------------------------------------------------------

def test_phrase_respects_stop_word_gaps(searcher):
    assert ids(searcher, '"shock waves"') == {"space/launch.txt"}
    assert ids(searcher, '"shock with waves"') == {"space/shock.txt"}
    assert ids(searcher, "“shock waves”") == {"space/launch.txt"}  # curly quotes


def test_unclosed_quote_runs_to_the_end(searcher):
    assert ids(searcher, '"shock waves') == {"space/launch.txt"}


def test_proximity(searcher):
    # far.txt: China ... 10 positions ... Russia; deal.txt: China signed a deal. Russia
    assert ids(searcher, '"china russia"~10') == {"world/deal.txt", "world/far.txt"}
    assert ids(searcher, '"china russia"~9') == {"world/deal.txt"}
    assert ids(searcher, '"russia china"~3') == {"world/deal.txt"}  # any order
    assert ids(searcher, '"russia china"~2') == set()
    assert ids(searcher, '"china russia"') == set()


# --- operators --------------------------------------------------------------------------

def test_and_or_not_minus_plus(searcher):
    assert ids(searcher, "china AND russia") == {"world/deal.txt", "world/far.txt"}
    assert ids(searcher, "nitrocellulose OR runner") == {"chem/nitro.txt", "sport/run.txt"}
    assert ids(searcher, "satellite NOT launch") == SATELLITE - {"space/launch.txt",
                                                                "space/both.txt"}
    assert ids(searcher, "satellite -launch") == ids(searcher, "satellite NOT launch")
    assert ids(searcher, "satellite AND NOT launch") == ids(searcher, "satellite -launch")
    assert ids(searcher, "+harbour satellite") == {"sport/run.txt", "space/both.txt"}


def test_pure_negative_query_matches_everything_else(searcher):
    assert ids(searcher, "-satellite") == set(DOCS) - SATELLITE
    assert ids(searcher, "NOT satellite") == set(DOCS) - SATELLITE


def test_parentheses_and_precedence(searcher):
    assert ids(searcher, "(nitrocellulose OR runner) AND harbour") == {"sport/run.txt"}
    assert ids(searcher, "nitrocellulose OR runner AND harbour") == {"chem/nitro.txt",
                                                                     "sport/run.txt"}
    # an explicit AND inside a word list is required; the other words only rank
    assert ids(searcher, "nitrocellulose launch AND coast") == {"space/launch.txt"}
    assert ids(searcher, "(shock OR storm) -(waves OR report)") == {"space/both.txt"}


def test_unclosed_parenthesis_closes_at_the_end(searcher):
    assert ids(searcher, "(nitrocellulose OR runner") == {"chem/nitro.txt", "sport/run.txt"}


# --- prefix, wildcard, fuzzy --------------------------------------------------------------

def test_prefix_matches_stemmed_index_terms(searcher):
    assert ids(searcher, "satell*") == SATELLITE
    assert ids(searcher, "satellites*") == SATELLITE  # stem of the typed prefix too
    assert ids(searcher, "micro*") == {"chem/nitro.txt"}
    assert ids(searcher, "title:satell*") == {"space/launch.txt", "space/many.txt"}


def test_wildcard(searcher):
    assert ids(searcher, "m?croscop*") == {"chem/nitro.txt"}
    assert ids(searcher, "h?rbour") == {"sport/run.txt", "space/both.txt"}
    assert ids(searcher, "m?croscopes") == {"chem/nitro.txt"}  # stemmed like the index
    assert ids(searcher, "m?cro") == set()  # a wildcard matches whole index terms


def test_trailing_question_mark_is_punctuation(searcher):
    assert ids(searcher, "nitrocellulose?") == {"chem/nitro.txt"}


def test_fuzzy(searcher):
    assert ids(searcher, "nitrocelulose") == set()
    assert ids(searcher, "nitrocelulose~") == {"chem/nitro.txt"}
    assert ids(searcher, "satelite~1") == SATELLITE
    assert ids(searcher, "satelite~0") == set()


def test_fuzzy_exact_match_ranks_first(searcher):
    # "runner~" also reaches "run" (distance 2); the exact word ranks above it
    assert ranked(searcher, "runner~")[0] == "sport/run.txt"


# --- fields -----------------------------------------------------------------------------

def test_title_field(searcher):
    assert ids(searcher, "title:shock") == {"space/shock.txt"}
    assert ids(searcher, "shock") == {"space/shock.txt", "space/launch.txt"}
    assert ids(searcher, 'title:"shock report"') == {"space/shock.txt"}
    assert ids(searcher, "TITLE:(nitrocellulose OR running)") == {"chem/nitro.txt",
                                                                  "sport/run.txt"}
    assert ids(searcher, "title: shock") == {"space/shock.txt"}  # space after the colon


def test_body_field(searcher):
    assert ids(searcher, "body:running") == {"sport/run.txt"}
    assert ids(searcher, "body:talks") == {"world/far.txt"}
    assert ids(searcher, "body:notes") == {"space/both.txt"}
    assert ids(searcher, "title:notes") == {"space/both.txt"}
    assert ids(searcher, "body:archive") == {"old/archive.txt"}
    assert ids(searcher, "body:deal") == {"world/deal.txt"}
    assert ids(searcher, "body:report") == set()


def test_outlet_field(searcher):
    from searchkit.engine.whoosh.index import outlet_names

    def ids(searcher, text: str) -> set[str]:  # with the index's outlet names, as searches have them
        return {hit["doc_id"] for hit in searcher.search(
            parse_query(text, outlets=lambda: outlet_names(searcher)), limit=None)}

    forbes = {d for d, v in DOCS.items() if v[2] == "Forbes"}
    assert ids(searcher, "outlet:forbes") == forbes
    assert ids(searcher, "outlet:FORBES") == forbes
    # An outlet's whole name means that outlet, not the others whose names hold it (issue 27).
    eu_today = {d for d, v in DOCS.items() if v[2] == "EU Today"}
    assert ids(searcher, 'outlet:"EU Today"') == eu_today == {"space/shock.txt", "health/covid.txt"}
    assert ids(searcher, 'outlet:"eu today weekly"') == {"world/deal.txt"}
    assert ids(searcher, "outlet:weekly") == {"world/deal.txt"}  # a word it begins, one outlet
    assert ids(searcher, "outlet:monde") == {"old/archive.txt", "space/both.txt"}
    with pytest.raises(QueryError, match=r"could be any of 2 outlets: EU Today, EU Today Weekly"):
        ids(searcher, "outlet:eu")
    with pytest.raises(QueryError, match=r"no outlet 'today eu'"):
        ids(searcher, 'outlet:"today eu"')


def test_outlet_and_date_filter_the_words(searcher):
    # next to words, filters restrict: documents from Forbes without the word stay out
    assert ids(searcher, "satellite outlet:forbes") == {"space/launch.txt", "space/many.txt"}
    assert ids(searcher, "satellite date:2024-03") == {"space/many.txt", "space/both.txt"}
    assert ids(searcher, "satellite -outlet:forbes") == {"old/archive.txt", "space/both.txt"}


def test_filtered_word_with_a_small_limit(searcher):
    # Whoosh's own Require matcher trips an assertion when it skips blocks by quality
    hits = searcher.search(parse_query("satellite date:[2024 TO *]"), limit=1)
    assert hits[0]["doc_id"] == "space/many.txt"


def test_filter_does_not_change_ranking(searcher):
    plain = [d for d in ranked(searcher, "satellite launch") if DOCS[d][3] // 10000 == 2024]
    assert ranked(searcher, "satellite launch date:2024") == plain


# --- dates ------------------------------------------------------------------------------

def in_days(lo: int, hi: int) -> set[str]:
    return {d for d, v in DOCS.items() if v[3] and lo <= v[3] <= hi}


@pytest.mark.parametrize("query, lo, hi", [
    ("date:2024-04-07", 20240407, 20240407),
    ("date:2024-04", 20240401, 20240430),
    ("date:2024", 20240101, 20241231),
    ("date:2024-4-7", 20240407, 20240407),
    ("date:[2024-04-01 TO 2024-04-08]", 20240401, 20240408),
    ("date:[2024-04-01 to 2024-04-15]", 20240401, 20240415),
    ("date:[2024-04-10 TO *]", 20240410, 99991231),
    ("date:[* TO 2024-04]", 1, 20240430),
    ("date:[* TO *]", 1, 99991231),
    ("date:{2024-04-07 TO 2024-05}", 20240408, 20240430),
    ("date:>=2024-04-15", 20240415, 99991231),
    ("date:>2024-04", 20240501, 99991231),
    ("date:<2024-05", 1, 20240430),
    ("date:<=2023", 1, 20231231),
    ("date:[1000 TO 9999]", 1, 99991231),
    ("date:[2010 TO 2030]", 1, 99991231),
    ("date: [2024-03 TO 2024-04]", 20240301, 20240430),
    ('date:"2024-03"', 20240301, 20240331),
    ("date:(2015 OR 2023)", 20150101, 20231231),
])
def test_dates(searcher, query, lo, hi):
    expected = in_days(lo, hi)
    if "OR" in query:
        expected = in_days(20150101, 20151231) | in_days(20230101, 20231231)
    assert ids(searcher, query) == expected
    assert "chem/nitro.txt" not in ids(searcher, query)  # undated never matches


def test_negated_date_keeps_undated_documents(searcher):
    assert ids(searcher, "-date:2024") == set(DOCS) - in_days(20240101, 20241231)


def test_day_range_helper_for_since_until(searcher):
    assert {h["doc_id"] for h in searcher.search(day_range(None, 20240101), limit=None)} \
        == in_days(1, 20240101)
    assert {h["doc_id"] for h in searcher.search(day_range(20240410, None), limit=None)} \
        == in_days(20240410, 99991231)


def test_day_range_is_right_where_whoosh_numeric_range_is_not(tmp_path):
    from whoosh import fields
    from whoosh.query import NumericRange

    from searchkit.engine.whoosh.queries import DayRange

    schema = fields.Schema(name=fields.ID(stored=True),
                           day=fields.NUMERIC(int, bits=32, signed=False))
    ix = index.create_in(str(tmp_path), schema)
    with ix.writer() as w:
        for name, day in [("undated", 0), ("old", 20150310), ("new", 20240415)]:
            w.add_document(name=name, day=day)
    with ix.searcher() as s:
        def names(q):
            return {h["name"] for h in s.search(q, limit=None)}
        assert names(DayRange("day", 20240410, 99991231)) == {"new"}
        assert names(DayRange("day", 1, 20240101)) == {"old"}
        # the defect DayRange exists for: Whoosh's own split reaches down to 0
        assert names(NumericRange("day", 20240410, 99991231)) == {"undated", "old", "new"}


# --- grouping of plain words ------------------------------------------------------------

def test_all_words_rank_first_but_one_word_is_enough(searcher):
    # many.txt repeats "satellite" in title and body, both.txt has satellite and launch
    # once each in a long text: a plain OR ranks many.txt first, the default does not.
    order_or = ranked(searcher, "satellite launch", grouping="or")
    assert order_or.index("space/many.txt") < order_or.index("space/both.txt")
    order = ranked(searcher, "satellite launch")
    with_both = {"space/launch.txt", "space/both.txt"}
    assert set(order[:2]) == with_both
    assert set(order) == SATELLITE  # a document with one of the words is still found
    # the same with the collector that needs the current match (matched terms)
    assert set(ranked(searcher, "satellite launch", terms=True)[:2]) == with_both


def test_grouping_and_coord(searcher):
    assert ids(searcher, "satellite launch", grouping="and") == {"space/launch.txt",
                                                                 "space/both.txt"}
    assert ids(searcher, "satellite launch", grouping="coord") == SATELLITE
    with pytest.raises(ValueError):
        parse_query("a", grouping="sometimes")


def test_field_boosts_are_parameters(searcher):
    q_title = parse_query("satellite", field_boosts={"title": 50.0}, grouping="or")
    top_title = [h["doc_id"] for h in searcher.search(q_title, limit=None)][:2]
    assert set(top_title) == {"space/launch.txt", "space/many.txt"}  # satellite in title
    body_only = parse_query("satellite", field_boosts={"title": 0.0, "outlet_text": 0.0})
    scores = {h["doc_id"]: h.score for h in searcher.search(body_only, limit=None)}
    body_scores = {h["doc_id"]: h.score for h in searcher.search(parse_query("body:satellite"),
                                                                 limit=None)}
    assert scores == pytest.approx(body_scores)


# --- plain mode -------------------------------------------------------------------------

def test_plain_mode_reads_operators_as_text(searcher):
    pasted = ('Nitrocellulose AND (explodes) OR NOT "microscopes date:2024-13-01 '
              'foo:bar [1 TO 2] * ~ ?')
    assert ids(searcher, pasted, plain=True) == {"chem/nitro.txt"}
    assert ids(searcher, "-satellite", plain=True) == SATELLITE
    assert ids(searcher, "satellite -launch", plain=True) == SATELLITE


def test_plain_mode_never_raises(searcher):
    for text in ["", "   ", "the of and", "((((", "date:[2024", "AND", "\x00\x1b[31m"]:
        q = parse_query(text, plain=True)
        assert q is NullQuery or isinstance(q, Query)
        assert list(searcher.search(q)) == []
    assert parse_query("the of and", plain=True) is NullQuery


def test_plain_mode_repeated_words(searcher):
    once = parse_query("nitrocellulose nitrocellulose", plain=True, repeats="once")
    count = parse_query("nitrocellulose nitrocellulose", plain=True, repeats="count")
    s_once = searcher.search(once)[0].score
    s_count = searcher.search(count)[0].score
    assert s_count == pytest.approx(2 * s_once)
    # The default saturates as BM25's query-term weight: (k3 + 1) n / (k3 + n), k3 = 8.
    thrice = parse_query("nitrocellulose " * 3, plain=True)
    assert searcher.search(thrice)[0].score == pytest.approx(27 / 11 * s_once)
    assert searcher.search(parse_query("nitrocellulose " * 1000, plain=True))[0].score < 9 * s_once


def test_pasted_paragraph_ranks_the_article_on_the_word_it_repeats_first(tmp_path):
    from searchkit import Ranking, api

    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "reservoir.txt").write_text("Water levels\n\nThe reservoir was at a record low and the reservoir "
                                          "board met on Monday.\n")
    (corpus / "budget.txt").write_text("Council talks\n\nThe budget vote was delayed, the budget office "
                                       "closed, and the budget row went on.\n")
    for n in range(6):
        (corpus / f"other{n}.txt").write_text(f"Other story {n}\n\nA story about the harbour and the ferry {n}.\n")
    # A paragraph that keeps coming back to the reservoir and mentions a budget once.
    pasted = ("Why is the reservoir so empty? Farmers near the reservoir blame the heat; engineers at the "
              "reservoir blame leaks, and one asks about the budget.")
    with api.build_index(corpus, tmp_path / "ix") as ix:
        assert [h.doc_id for h in ix.search(pasted, plain=True).hits[:2]] == ["reservoir.txt", "budget.txt"]
        # Counting each word once, the article that repeats the word said once would win.
        once = ix.search(pasted, plain=True, ranking=Ranking(repeats="once"))
        assert once.hits[0].doc_id == "budget.txt"


# --- errors -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, message, position", [
    ("date:2024-13-01", "date:2024-13-01: month must be 1..12", 5),
    ("china date:2024-02-30", "date:2024-02-30: day must be 1..29 in 2024-02", 11),
    ("date:[2024-01 TO 2024-13]", "date:2024-13: month must be 1..12", 17),
    ("date:[2024-05 TO 2024-04]", "date:[2024-05 TO 2024-04]: the range is empty", 5),
    ("date:yesterday", "date:yesterday: expected a date like 2024", 5),
    ("date:[2024 TO", "unclosed '[' in date range", 5),
    ("date:[2024 2025]", "date:[2024 2025]: a range is two dates with TO between them", 5),
    ("china foo:bar", "unknown field 'foo' (known: title, body, outlet, date, story, lang)", 6),
    ('Re:"hello"', "unknown field 'Re'", 0),
    ("china AND", "'AND' needs something after it", 6),
    ("china OR )", "'OR' needs something after it", 6),
    ("AND china", "'AND' needs something before it", 0),
    ("NOT", "'NOT' needs something after it", 0),
    ("china NOT", "'NOT' needs something after it", 6),
    ("china)", "unmatched ')'", 5),
    ("", "empty query", 0),
    ("  \t ", "empty query", 0),
    ("the of", "nothing to search for: 'the', 'of' are too common to be indexed", 0),
    ("()", "nothing to search for", 0),
    ("title:", "'title:' needs a value after it", 0),
    ('"a b"~x', "'~' after a phrase needs a number", 5),
    ("satellite~3", "fuzzy edit distance must be 0, 1 or 2", 0),
    ("*", "a wildcard needs at least one letter or digit", 0),
])
def test_errors_say_what_and_where(text, message, position):
    err = error(text)
    assert str(err).startswith(message)
    assert err.position == position


def test_error_message_escapes_control_characters():
    err = error("date:2024-\x1b[1m")
    assert "\x1b" not in str(err) and "\\x1b" in str(err)


def test_colon_text_that_is_not_a_field_is_read_as_words():
    for text in ["http://example.com", "16:10", "localhost:8080", "C:\\dir",
                 "Note: this", "mailto:a@b.org", "a:b"]:
        assert isinstance(parse_query(text), Query)


def test_nesting_is_bounded_and_deep_queries_still_run(searcher):
    with pytest.raises(QueryError, match="nested too deeply"):
        parse_query("(" * 1000 + "a" + ")" * 1000)
    with pytest.raises(QueryError, match="nested too deeply"):
        parse_query("NOT " * 1000 + "a")
    # the deepest allowed structure, each level a real Whoosh compound, searches fine
    text = "satellite"
    for level in range(MAX_DEPTH - 1):
        word = ("launch", "coast", "storm")[level % 3]
        text = "(%s %s -dawn%d)" % (word, text, level) if level % 2 else \
            "(%s OR %s)" % (word, text)
    q = parse_query(text)
    assert {h["doc_id"] for h in searcher.search(q, limit=None)} >= SATELLITE


# --- query_words --------------------------------------------------------------------------

def test_query_words_leaves_out_negated_terms(searcher):
    words = query_words(parse_query('satellites "shock waves" -russia NOT (china OR deal)'))
    assert ("body", "satellit") in words and ("title", "satellit") in words
    assert ("body", "shock") in words and ("body", "wave") in words
    assert not {t for _, t in words} & {"russia", "china", "deal"}


def test_query_words_expands_patterns_with_a_reader(searcher):
    q = parse_query("satell* date:2024")
    assert query_words(q) == set()
    assert ("body", "satellit") in query_words(q, searcher.reader())
    fuzzy = query_words(parse_query("nitrocelulose~"), searcher.reader())
    assert ("body", "nitrocellulos") in fuzzy


# --- performance and totality ---------------------------------------------------------------

def test_parsing_is_fast():
    start = time.perf_counter()
    for _ in range(200):
        parse_query('satellites "shock waves" date:[2024-04 TO *] outlet:forbes -china t*')
    assert (time.perf_counter() - start) / 200 < 0.005
    start = time.perf_counter()
    parse_query("satellite " * 1000)
    parse_query("satellite launch " * 3000, plain=True)
    assert time.perf_counter() - start < 2.0


def test_import_pulls_in_nothing_heavy():
    code = ("import sys, searchkit.errors\n"
            "before = set(sys.modules)\n"
            "import searchkit.querylang.parser\n"
            "print(sorted(set(sys.modules) - before))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == str(sorted(["searchkit.querylang", "searchkit.querylang.ast", "searchkit.querylang.dates",
                                      "searchkit.querylang.lexer", "searchkit.querylang.parser"]))


TOKENS = ["AND", "OR", "NOT", "(", ")", '"', "“", "-", "+", "~", "~2", "*", "?", ":",
          "title:", "TITLE:", "body:", "outlet:", "date:", "foo:", "[", "]", "{", "}", "TO",
          "date:[2024 TO *]", "date:{* TO 2024-04}", "date:>=", "2024", "2024-04-07",
          "2024-13", "satellite", "satell*", "nitrocelulose~", "the", "china", "\\", "^",
          "http://x", "16:10", "\x00", "\u200b", "é", "中文", " ", "\n"]


def check_total(searcher, text: str) -> None:
    for plain in (False, True):
        try:
            q = parse_query(text, plain=plain)
        except QueryError as err:
            assert not plain, "plain mode must never raise"
            assert "\n" not in str(err) and isinstance(err.position, int)
            assert 0 <= err.position <= len(text)
            continue
        assert isinstance(q, Query) or q is NullQuery
        searcher.search(q, limit=1)  # a small limit makes Whoosh skip blocks by quality
        searcher.search(q, limit=3, terms=True)  # as the search layer runs it
        query_words(q, searcher.reader())


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=120))
def test_any_text_gives_a_query_or_a_query_error(searcher, text):
    check_total(searcher, text)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(TOKENS), st.sampled_from(["", " ", ""])),
                max_size=25))
def test_any_token_sequence_gives_a_query_or_a_query_error(searcher, parts):
    check_total(searcher, "".join(tok + sep for tok, sep in parts))


def test_extreme_inputs_are_total(searcher):
    for text in ["a" * 10_000, "(" * 1000, ")" * 1000, '"' * 999, "NOT " * 2500,
                 "- " * 5000, "-" * 10_000, "date:" * 2000, "~" * 10_000,
                 "\u0000\u0007\u001b" * 3000, "x AND " * 1600 + "y", "*" * 10_000,
                 "a~" + "9" * 5000, '"a b"~' + "9" * 5000, "date:[" + "1" * 9000 + " TO *]"]:
        check_total(searcher, text)
