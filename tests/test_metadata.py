"""Title, outlet and date: inference from article text, metadata.toml, and their merge."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from pathlib import Path

import pytest

from searchkit.errors import MetadataError, SearchkitError
from searchkit.ingest.infer import clean_outlet_name, infer, infer_date, infer_outlet, infer_title, merge
from searchkit.ingest.sidecar import METADATA_FILENAME, check_paths, load_metadata
from searchkit.models import ArticleMeta
from searchkit.models import SOURCE_METADATA, SOURCE_NONE, SOURCE_TEXT

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
D = dt.date

# From the seeds README: what the text itself states (outlet, date), and the headline each
# file opens with (001 and 003 open with a paragraph: no title).
SEED_TEXT_FACTS = {
    "000_65e520f3d9f0041d.txt": (
        "EU Today",
        None,
        "Satellite Imagery from China Helps Russia Plan Strikes on Ukraine: Bloomberg Report",
    ),
    "001_9c9abb03a0ba5449.txt": ("Tibetan Review", D(2024, 4, 8), None),
    "002_dc834cac1790f529.txt": (
        None,
        D(2024, 4, 7),
        "China provides geospatial intel and other military support to Russia, US says",
    ),
    "003_fb593ee96fcbc111.txt": (None, None, None),
    "004_24cab58f69578a0d.txt": (
        None,
        None,
        "China Sending Russia Missile And Drone Parts For Ukraine War, U.S. Reportedly Warns",
    ),
}


def seed_text(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def write_corpus(root: Path, files: dict[str, str], toml: str | bytes | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if toml is not None:
        target = root / METADATA_FILENAME
        if isinstance(toml, bytes):
            target.write_bytes(toml)
        else:
            target.write_text(toml, encoding="utf-8")
    return root


def load_error(tmp_path: Path, toml: str | bytes) -> str:
    write_corpus(tmp_path, {"a.txt": "A\n\nbody"}, toml)
    with pytest.raises(MetadataError) as info:
        load_metadata(tmp_path)
    return str(info.value)


# ---------------------------------------------------------------------------------------------
# The seed corpus


@pytest.mark.parametrize("name", sorted(SEED_TEXT_FACTS))
def test_seed_inferred_from_text(name: str) -> None:
    outlet, date, title = SEED_TEXT_FACTS[name]
    text = seed_text(name)
    assert infer_outlet(text) == outlet
    assert infer_date(text) == date
    assert infer_title(text) == title
    meta = infer(text)
    assert (meta.outlet, meta.date, meta.title) == (outlet, date, title)
    assert meta.outlet_source == (SOURCE_TEXT if outlet else SOURCE_NONE)
    assert meta.date_source == (SOURCE_TEXT if date else SOURCE_NONE)
    assert meta.title_source == (SOURCE_TEXT if title else SOURCE_NONE)


def test_seeds_with_their_metadata_file(tmp_path: Path) -> None:
    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    meta = load_metadata(corpus)
    check_paths(meta, {p.name for p in corpus.glob("*.txt")})
    got = {
        p.name: merge(infer(p.read_text(encoding="utf-8")), meta.entries.get(p.name))
        for p in sorted(corpus.glob("*.txt"))
    }
    # README "known from outside the text": the outlets of 002 and 004; every date that is
    # unknown stays unknown.
    expected = {
        "000_65e520f3d9f0041d.txt": ("EU Today", SOURCE_TEXT, None, SOURCE_NONE),
        "001_9c9abb03a0ba5449.txt": ("Tibetan Review", SOURCE_TEXT, D(2024, 4, 8), SOURCE_TEXT),
        "002_dc834cac1790f529.txt": ("Euromaidan Press", SOURCE_METADATA, D(2024, 4, 7), SOURCE_TEXT),
        "003_fb593ee96fcbc111.txt": (None, SOURCE_NONE, None, SOURCE_NONE),
        "004_24cab58f69578a0d.txt": ("Forbes", SOURCE_METADATA, None, SOURCE_NONE),
    }
    for name, (outlet, outlet_source, date, date_source) in expected.items():
        m = got[name]
        assert (m.outlet, m.outlet_source, m.date, m.date_source) == (outlet, outlet_source, date, date_source), name
        assert m.title == SEED_TEXT_FACTS[name][2]


def test_seed_metadata_lists_only_what_the_text_does_not_state() -> None:
    meta = load_metadata(SEEDS)
    assert set(meta.entries) == {"002_dc834cac1790f529.txt", "004_24cab58f69578a0d.txt"}
    for name, entry in meta.entries.items():
        inferred = infer(seed_text(name))
        for key in entry:
            assert getattr(inferred, key) is None, f"{name}: {key} is already in the text"


# ---------------------------------------------------------------------------------------------
# Outlet


@pytest.mark.parametrize(
    "text, outlet",
    [
        ("T\n\nby EUToday Correspondents\n\nBody.", "EU Today"),
        ("T\n\nBy Reuters Staff\n\nBody.", "Reuters"),
        ("T\n\nBy the Kyiv Post staff\n\nBody.", "Kyiv Post"),
        ("T\n\nby Kestrel News Agency Correspondents\n\nBody.", "Kestrel News Agency"),
        ("(TibetanReview.net, Apr08\u201924) \u2014 China and Ukraine ...", "Tibetan Review"),
        ("(TibetanReview.net, Apr08'24) \u2014 China and Ukraine ...", "Tibetan Review"),
        ("T\n\n(Daily Ledger, Mar05'24) \u2014 Body text.", "Daily Ledger"),
        ("WASHINGTON (Reuters) - The United States warned its allies on Friday that ...", "Reuters"),
        ("T\n\nBody.\n\nClick here for more News & Current Affairs at EU Today", "EU Today"),
        ("T\n\nBody.\n\nEU Today brings you the latest news and commentary.", "EU Today"),
        ("T\n\nBody.\n\n\u00a9 2024 Harbor Times. All rights reserved.", "Harbor Times"),
        ("T\n\nBody.\n\nCopyright \u00a9 2024 The Associated Press. All rights reserved.", "The Associated Press"),
        ("T\n\nBody.\n\n\u00a9 Valley Gazette 2024", "Valley Gazette"),
    ],
)
def test_outlet_forms(text: str, outlet: str) -> None:
    assert infer_outlet(text) == outlet


@pytest.mark.parametrize(
    "text",
    [
        "T\n\nBy John Smith\n\nBody.",  # a person
        "T\n\nby Jane Doe, Staff Writer\n\nBody.",  # a person with a role
        "T\n\nBy our correspondent\n\nBody.",
        "T\n\nBy Staff\n\nBody.",  # names no outlet
        "T\n\nOfficials told the Associated Press and Bloomberg, the outlets reported.\n",
        "T\n\nBody.\n\nBecome a patron or see other ways to support. Become a Patron!",
        "(Kyiv, Apr 8, 2024) \u2014 Officials said the city was attacked overnight again.",  # a place
        "T\n\nBody.\n\nCopyright infringement is a crime.",
        "T\n\nclick here for more on this at our website",
    ],
)
def test_no_outlet_without_a_stated_one(text: str) -> None:
    assert infer_outlet(text) is None


def test_byline_and_footer_spellings_agree_and_the_spaced_one_wins() -> None:
    text = "Title\n\nby EUTODAY Correspondents\n\nBody.\n\nClick here for more News at EU Today\n"
    assert infer_outlet(text) == "EU Today"


def test_outlet_footer_is_read_only_at_the_bottom() -> None:
    footer = "Click here for more News & Current Affairs at EU Today"
    middle = "\n\n".join(f"Paragraph {i} of the story." for i in range(40))
    assert infer_outlet(f"Title\n\n{middle}\n\n{footer}\n\nMore.") == "EU Today"
    assert infer_outlet(f"Title\n\n{middle}\n\n{footer}\n\n{middle}") is None


@pytest.mark.parametrize(
    "written, clean",
    [
        ("TibetanReview.net", "Tibetan Review"),
        ("EUToday", "EU Today"),
        ("https://www.EUToday.com/news/2024/x.html", "EU Today"),
        ("www.telegraph.co.uk", "telegraph.co.uk"),  # a domain in lower case stays a domain
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("pravda.com.ua", "pravda.com.ua"),  # not "Pravda": that is pravda.ru
        ("kyiv-post.com", "kyiv-post.com"),
        ("AK-Kurier.de", "AK-Kurier.de"),
        ("NYTimes.com", "NY Times"),
        ("McClatchy", "McClatchy"),
        ("The Morning Courier", "The Morning Courier"),
        ("  Harbor   Times. ", "Harbor Times"),
        ("our website", None),
        ("", None),
    ],
)
def test_clean_outlet_name(written: str, clean: str | None) -> None:
    assert clean_outlet_name(written) == clean


def test_a_domain_is_never_made_into_a_name_it_does_not_spell() -> None:
    """The 125 news sites of benchmarks/data/news-html-dev, their names read by hand: each
    site's domain, and its host as in the page's URL, named by clean_outlet_name (what an
    export's outlet field, an e-mail sender's domain or a dateline gets) must be the site's
    own name or its registered domain, never a name made up from its letters ("Lemonde" for
    Le Monde, "Washingtonpost", "Thestar" for the Toronto Star: 85 of 125 before)."""
    from searchkit.ingest.domains import registered_domain
    from searchkit.outlets import name_key

    truth = json.loads((Path(__file__).resolve().parent.parent / "benchmarks" / "data" / "news-html-dev"
                        / "truth.json").read_text(encoding="utf-8"))
    made_up = []
    for page in truth.values():
        domain = registered_domain(page["url"])
        names = {name_key(n) for n in (page["sitename"], *page.get("sitename_alt", ()), domain)}
        for written in (domain, page["url"].split("/")[2]):
            got = clean_outlet_name(written)
            if got is None or name_key(got) not in names:
                made_up.append(f"{written} -> {got} (the site: {page['sitename']})")
    assert len(truth) == 125 and not made_up, made_up


# ---------------------------------------------------------------------------------------------
# Date


@pytest.mark.parametrize(
    "text, date",
    [
        ("(TibetanReview.net, Apr08\u201924) \u2014 China ...", D(2024, 4, 8)),
        ("(TibetanReview.net, Apr08'24) \u2014 China ...", D(2024, 4, 8)),
        ("Title\n\nApr 7, 2024\u00a0-\u00a016:10\nBody.", D(2024, 4, 7)),
        ("Title\n\nApr 7, 2024 - 16:10\nby EUToday Correspondents\n\nBody.", D(2024, 4, 7)),
        ("Title\n\n7 April 2024\n\nBody.", D(2024, 4, 7)),
        ("Title\n\nApril 7, 2024\n\nBody.", D(2024, 4, 7)),
        ("Title\n\nSunday, April 7, 2024 at 4:10 pm EDT\n\nBody.", D(2024, 4, 7)),
        ("Title\n\n2024-04-07\n\nBody.", D(2024, 4, 7)),
        ("Title\n\n2024-04-07T16:10:00Z\n\nBody.", D(2024, 4, 7)),
        ("Title\n\n2024-04-07 16:10\n\nBody.", D(2024, 4, 7)),
        ("Title\n\nPublished: 7 April 2024\n\nBody.", D(2024, 4, 7)),
        ("Title\n\nPublished on April 7, 2024 | 3 min read\n\nBody.", D(2024, 4, 7)),
        ("Title\n\nDate: 2024-04-07\n\nBody.", D(2024, 4, 7)),
        ("Title\n\n7 April 2024 by Jane Doe\n\nBody.", D(2024, 4, 7)),
        ("Title\n\nUpdated: 9 April 2024\nPublished: 7 April 2024\n\nBody.", D(2024, 4, 7)),
        ("Title\n\nUpdated: 9 April 2024\n\nBody.", D(2024, 4, 9)),  # better than nothing
        ("Title\n\nBy Jane Doe | April 7, 2024\n\nBody.", D(2024, 4, 7)),
        ("KYIV, Ukraine, April 7, 2024 (AP) \u2014 Ukrainian officials said on Sunday that ...", D(2024, 4, 7)),
        ("Title\n\nBody.\n\nPublished: 2024-04-07\n", D(2024, 4, 7)),
        ("Title\n\n(Daily Ledger, Feb29'24) \u2014 Body.", D(2024, 2, 29)),  # a leap day
    ],
)
def test_date_forms(text: str, date: dt.date) -> None:
    assert infer_date(text) == date


@pytest.mark.parametrize(
    "text",
    [
        # Dates the body mentions are not the publication date.
        "Title\n\nDuring meetings in Guangzhou on 5 and 6 April, Yellen warned China.\n",
        "Title\n\nIn 2023, trade reached a record.\n\nImports rose from February 2022.\n",
        "Title\n\nThe outlets reported Apr 7, 2024, citing US officials.\n",
        "Title\n\nIt was reported on\nApril 7, 2024 by officials who spoke to reporters.\n",
        # Not a valid date.
        "Title\n\nFebruary 30, 2024\n\nBody.",
        "Title\n\n2024-13-01\n\nBody.",
        "Title\n\n(Daily Ledger, Feb29'23) \u2014 Body.",  # 2023 has no Feb 29
        # No year: nothing to state.
        "Title\n\nApril 7\n\nBody.",
        "Title\n\nApril 2024\n\nBody.",
        # A copyright year is not a date.
        "Title\n\nBody.\n\n\u00a9 2024 Harbor Times",
    ],
)
def test_no_date_without_a_stated_one(text: str) -> None:
    assert infer_date(text) is None


def test_a_bare_date_line_counts_only_near_the_top() -> None:
    paragraphs = "\n\n".join(f"Paragraph {i} of the story." for i in range(15))
    assert infer_date(f"Title\n\n{paragraphs}\n\nApril 7, 2024\n\n{paragraphs}") is None
    assert infer_date(f"Title\n\n{paragraphs}\n\nPublished: April 7, 2024\n\n{paragraphs}") == D(2024, 4, 7)
    # At the bottom, only a labelled date: a bare one heads a list of other stories.
    assert infer_date(f"Title\n\n{paragraphs}\n\nLatest Posts\nApril 7, 2024\n") is None
    assert infer_date(f"Title\n\n{paragraphs}\n\nPublished: April 7, 2024\n") == D(2024, 4, 7)


def test_seed_001_body_date_is_not_taken_without_its_dateline() -> None:
    text = seed_text("001_9c9abb03a0ba5449.txt")
    body = text.split("\u2014", 1)[1]  # drop "(TibetanReview.net, Apr08’24) "
    assert "Apr 7" in body
    assert infer_date(body) is None


# ---------------------------------------------------------------------------------------------
# Title


@pytest.mark.parametrize(
    "text, title",
    [
        ("# Markdown Title\n\nText.", "Markdown Title"),
        ("## Second Level ##\nText follows.", "Second Level"),
        ("Setext Title\n============\n\nText.", "Setext Title"),
        (
            "experimental investigation of the aerodynamics of a wing in a slipstream .\n\n"
            "an experimental study of a wing in a propeller slipstream was made .",
            "experimental investigation of the aerodynamics of a wing in a slipstream .",
        ),
        ("Is China Helping Russia?\nOfficials say it is.", "Is China Helping Russia?"),
        ("Mr. Smith Goes to Washington\n\nText.", "Mr. Smith Goes to Washington"),
        ("Skip to content\n\nReal Title Here\n\nBody.", "Real Title Here"),
        (
            "Home WORLD China Helps Russia Plan Strikes\n\nChina Helps Russia Plan Strikes\n\nBody.",
            "China Helps Russia Plan Strikes",
        ),
        ("---\ntitle: \"Front Matter Title\"\ndate: 2024-04-07\n---\n\n# Heading\n\nText.", "Front Matter Title"),
    ],
)
def test_title_forms(text: str, title: str) -> None:
    assert infer_title(text) == title


@pytest.mark.parametrize(
    "text",
    [
        # A lede paragraph, even a short one.
        "Russia attacked Kyiv overnight, officials said on Sunday, adding that the air force had "
        "shot down most of the drones.\n\nMore text.",
        # Two sentences.
        "Russia attacked. Ukraine responded.\n\nText.",
        # A hard-wrapped paragraph.
        "China has reportedly stepped up its support for Moscow in the war, including\n"
        "providing geospatial intelligence, microelectronics, and other military\ncomponents.",
        # A dateline opening the story.
        "(TibetanReview.net, Apr08\u201924) \u2014 China ramped up support.\n\nMore.",
        # A date line or a byline is not a headline.
        "Apr 7, 2024 - 16:10\n\nBody.",
        "By John Smith\n\nBody.",
        # Too long for a headline.
        " ".join(["word"] * 50) + "\n\nBody.",
        "Read also:\n\nBody.",
        "",
        "\n\n   \n",
    ],
)
def test_no_title(text: str) -> None:
    assert infer_title(text) is None


def test_every_cranfield_title_is_found_and_nothing_else(tmp_path: Path) -> None:
    """Cranfield as a corpus would hold it: "title, blank line, text" (titles of up to 41 words)."""
    import cranfield

    docs = cranfield.read_documents()
    assert len(docs) == 1400
    for doc in docs:
        meta = infer(f"{doc.title}\n\n{doc.text}\n")
        assert meta.title == (doc.title or None), doc.title
        assert (meta.outlet, meta.date) == (None, None), doc.title


def test_front_matter_gives_outlet_date_and_url() -> None:
    text = (
        "---\ntitle: Headline\ndate: 2024-04-07T10:00:00Z\npublisher: https://www.TibetanReview.net/\n"
        "url: https://example.org/a\n---\n\nBody.\n"
    )
    meta = infer(text)
    assert (meta.title, meta.outlet, meta.date, meta.url) == (
        "Headline",
        "Tibetan Review",
        D(2024, 4, 7),
        "https://example.org/a",
    )


def test_inference_reads_only_the_ends_of_huge_texts() -> None:
    one_line = "word " * 2_000_000  # 10 MB without a newline
    many_lines = "A line of text\n" * 600_000
    start = time.perf_counter()
    assert infer(one_line) == ArticleMeta()
    assert infer(many_lines).date is None
    assert time.perf_counter() - start < 2.0


# ---------------------------------------------------------------------------------------------
# Merge and provenance


def test_merge_metadata_overrides_inference_and_records_it() -> None:
    inferred = infer("Old Title\n\nby EUToday Correspondents\nApr 7, 2024\n\nBody.")
    assert (inferred.outlet, inferred.date) == ("EU Today", D(2024, 4, 7))
    merged = merge(inferred, {"outlet": "Euromaidan Press", "url": "https://example.org/x"})
    assert merged.outlet == "Euromaidan Press"
    assert merged.outlet_source == SOURCE_METADATA
    assert (merged.date, merged.date_source) == (D(2024, 4, 7), SOURCE_TEXT)
    assert (merged.title, merged.title_source) == ("Old Title", SOURCE_TEXT)
    assert merged.url == "https://example.org/x"
    assert merge(inferred, None) == inferred
    assert merge(inferred, {}) == inferred


def test_merge_fills_what_the_text_lacks(tmp_path: Path) -> None:
    write_corpus(
        tmp_path,
        {"a.txt": "Long paragraph opening the story, with no headline and no date at all, goes on.\n"},
        '["a.txt"]\ntitle = "Given Title"\ndate = 2024-04-12\n',
    )
    meta = load_metadata(tmp_path)
    merged = merge(infer((tmp_path / "a.txt").read_text()), meta.entries.get("a.txt"))
    assert (merged.title, merged.title_source) == ("Given Title", SOURCE_METADATA)
    assert (merged.date, merged.date_source) == (D(2024, 4, 12), SOURCE_METADATA)
    assert (merged.outlet, merged.outlet_source) == (None, SOURCE_NONE)


def test_empty_string_clears_an_inferred_value(tmp_path: Path) -> None:
    write_corpus(tmp_path, {"a.txt": "T\n\nby EUToday Correspondents\n"}, '["a.txt"]\noutlet = ""\n')
    merged = merge(infer("T\n\nby EUToday Correspondents\n"), load_metadata(tmp_path).entries.get("a.txt"))
    assert (merged.outlet, merged.outlet_source) == (None, SOURCE_NONE)


# ---------------------------------------------------------------------------------------------
# Loading metadata.toml


def test_missing_file_is_empty(tmp_path: Path) -> None:
    meta = load_metadata(tmp_path)
    assert len(meta) == 0
    assert meta.entries.get("a.txt") is None
    assert meta.entry_signature("a.txt") == ""
    check_paths(meta, set())


def test_load_values_dates_and_header_lines(tmp_path: Path) -> None:
    toml = (
        "# comment\n"
        '"c.txt" = { date = 2024-04-09T10:00:00Z }\n'
        '["world/a.txt"]\n'
        'outlet = "  Euromaidan   Press "\n'
        "date = 2024-04-07\n"
        "\n"
        "['b.md']\n"
        'date = "2024-04-08"\n'
        'url = "https://example.org/b"\n'
        'title = "B"\n'
    )
    write_corpus(tmp_path, {"world/a.txt": "x", "b.md": "y", "c.txt": "z"}, toml)
    meta = load_metadata(tmp_path)
    assert dict(meta.entries["world/a.txt"]) == {"outlet": "Euromaidan Press", "date": D(2024, 4, 7)}
    assert dict(meta.entries["b.md"]) == {"date": D(2024, 4, 8), "url": "https://example.org/b", "title": "B"}
    assert dict(meta.entries["c.txt"]) == {"date": D(2024, 4, 9)}
    assert dict(meta.lines) == {"c.txt": 2, "world/a.txt": 3, "b.md": 7}
    check_paths(meta, {"world/a.txt", "b.md", "c.txt"})


def test_load_reads_a_utf8_bom_and_crlf(tmp_path: Path) -> None:
    write_corpus(tmp_path, {"a.txt": "x"}, b'\xef\xbb\xbf["a.txt"]\r\noutlet = "Kyiv Post"\r\n')
    assert load_metadata(tmp_path).entries["a.txt"]["outlet"] == "Kyiv Post"


@pytest.mark.parametrize("written", ["world\\\\a.txt", "./world/a.txt", ".\\\\world\\\\a.txt", "world//a.txt"])
def test_paths_are_normalised(tmp_path: Path, written: str) -> None:
    write_corpus(tmp_path, {"world/a.txt": "x"}, f'["{written}"]\noutlet = "X News"\n')
    meta = load_metadata(tmp_path)
    assert list(meta.entries) == ["world/a.txt"]
    check_paths(meta, {"world/a.txt"})


def test_path_in_another_unicode_form_is_found(tmp_path: Path) -> None:
    nfc, nfd = "caf\u00e9.txt", "cafe\u0301.txt"
    write_corpus(tmp_path, {"x.txt": "x"}, f'["{nfc}"]\noutlet = "X News"\n')
    meta = load_metadata(tmp_path)
    check_paths(meta, {nfd})
    assert meta.entries.get(nfd) == {"outlet": "X News"}


def test_signature_follows_values_not_formatting(tmp_path: Path) -> None:
    def signature(toml: str) -> str:
        write_corpus(tmp_path, {"a.txt": "x"}, toml)
        return load_metadata(tmp_path).entry_signature("a.txt")

    base = signature('["a.txt"]\noutlet = "X News"\ndate = 2024-04-07\n')
    assert base
    assert signature('# c\n\n[ "a.txt" ]\ndate = "2024-04-07"   # string form\noutlet="X News"\n') == base
    assert signature('["a.txt"]\noutlet = "X News"\ndate = 2024-04-08\n') != base
    assert signature('["a.txt"]\noutlet = "Y News"\ndate = 2024-04-07\n') != base
    assert signature('["a.txt"]\noutlet = ""\ndate = 2024-04-07\n') != base
    assert signature('["b.txt"]\noutlet = "X News"\n') == ""


# Each broken file, and the line its error must name.
BROKEN = [
    ('["a.txt"]\noutlet = "X"\n\n["b.txt"\noutlet = "Y"\n', 4, "line 4:"),  # malformed TOML
    ('["a.txt"]\noutlet = \n', 2, "invalid value"),
    ('["a.txt"]\noutlet = "X"\nautor = "Me"\n', 3, "unknown key 'autor'"),
    ('["a.txt"]\n\n\ndate = "2024-02-30"\n', 4, "invalid date '2024-02-30'"),
    ('["a.txt"]\ndate = 2024-02-30\n', 2, "invalid date"),  # caught by the TOML reader
    ('["a.txt"]\ndate = "7 April 2024"\n', 2, "2024-04-07"),
    ('["a.txt"]\ntitle = "T"\ndate = 20240407\n', 3, "not a number"),
    ('["a.txt"]\noutlet = 42\n', 2, "outlet must be a string"),
    ('["a.txt"]\nurl = ["x"]\n', 2, "not a list"),
    ('outlet = "X"\n\n["a.txt"]\n', 1, "outside any file table"),
    ("[a.txt]\noutlet = 'X'\n", 1, 'quote the file path: ["a.txt"]'),
    ('["a.txt"]\noutlet = "X"\n["a.txt"]\n', 3, "a second table"),
    ('["a.txt"]\noutlet = "X"\n\n["./a.txt"]\noutlet = "Y"\n', 4, "already has a table at line 1"),
    ('["a.txt"]\ntitle = """multi\n[not.a.header]\nline"""\ncolour = "x"\n', 5, "unknown key 'colour'"),
    ('"a.txt" = { outlet = "X", bogus = 1 }\n', 1, "unknown key 'bogus'"),
    ('["a.txt"]\noutlet = "X"\n"b.txt" = { outlet = "Y" }\n', 3, "must come before the first"),
    ('[""]\noutlet = "X"\n', 1, "empty file path"),
    ('["a.txt"]\noutlet = "X"\n\n[["b.txt"]]\noutlet = "Y"\n', 4, "list of tables"),
    ('["a.txt"]\ntitel = "X"\n', 2, "did you mean 'title'?"),
]


@pytest.mark.parametrize("toml, line, fragment", BROKEN)
def test_broken_file_names_the_line(tmp_path: Path, toml: str, line: int, fragment: str) -> None:
    message = load_error(tmp_path, toml)
    assert message.startswith(f"{METADATA_FILENAME}, line {line}: "), message
    assert fragment in message
    assert "\n" not in message


def test_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    message = load_error(tmp_path, b'["a.txt"]\n\noutlet = "Caf\xe9"\n')
    assert message.startswith(f"{METADATA_FILENAME}, line 3: ")
    assert "UTF-8" in message


def test_metadata_error_is_a_searchkit_error() -> None:
    assert issubclass(MetadataError, SearchkitError)


def test_unknown_path_is_a_warning_naming_the_line_of_its_table(tmp_path: Path) -> None:
    toml = '["a.txt"]\noutlet = "X"\n\n["sub/b.txt"]\noutlet = "Y"\n\n["x.txt"]\noutlet = "Z"\n'
    write_corpus(tmp_path, {"a.txt": "a", "sub/b.txt": "b"}, toml)
    meta = load_metadata(tmp_path)
    assert check_paths(meta, {"a.txt", "sub/b.txt"}) == [
        "metadata.toml, line 7: no file 'x.txt' in the corpus; its entry is ignored"]


def test_unknown_path_suggests_a_case_variant(tmp_path: Path) -> None:
    write_corpus(tmp_path, {"A.txt": "a"}, '["a.txt"]\noutlet = "X"\n')
    [warning] = check_paths(load_metadata(tmp_path), {"A.txt"})
    assert "line 1: no file 'a.txt' in the corpus (did you mean 'A.txt'?)" in warning


def test_unknown_paths_are_reported_in_file_order(tmp_path: Path) -> None:
    toml = '["z.txt"]\noutlet = "X"\n["a.txt"]\noutlet = "Y"\n["m.txt"]\noutlet = "Z"\n'
    write_corpus(tmp_path, {"a.txt": "a"}, toml)
    warnings = check_paths(load_metadata(tmp_path), {"a.txt"})
    assert [w.split(":")[0] for w in warnings] == ["metadata.toml, line 1", "metadata.toml, line 5"]
