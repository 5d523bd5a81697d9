"""Fuzzing beyond queries (issue 12): metadata.toml and every input reader take arbitrary
bytes and either succeed or report the problem in their own terms, never another exception.

The reader harness walks ``READERS``, so readers added later are fuzzed without a new test.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchkit.errors import MetadataError
from searchkit.ingest.article import Article, RecordSkipped
from searchkit.ingest.decode import UnusableFile, decode
from searchkit.ingest.readers import READERS, Source, read_source
from searchkit.ingest.sidecar import METADATA_FILENAME, check_paths, load_metadata

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# TOML-shaped text: tables named by paths, known and unknown keys, values of every type,
# broken quotes and brackets. Mixed with raw bytes, this reaches the parser's error paths.
_keys = st.sampled_from(["title", "outlet", "date", "url", "titel", "author", "", "date.x", '"q"'])
_values = st.one_of(
    st.sampled_from(['"EU Today"', "2024-04-07", '"2024-04-07"', '"2024-13-01"', "2024-04-07T10:00:00Z",
                     "12", "true", "[1, 2]", "{ a = 1 }", '""', '"x', "'''", "nan", "1979-05-27T07:32:00-08:00"]),
    st.text(max_size=20).map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.text(max_size=12),
)
_table = st.tuples(st.sampled_from(["a.txt", "sub/b.txt", "../x.txt", "", "a.txt", "/abs.txt", "c\\d.txt"]),
                   st.lists(st.tuples(_keys, _values), max_size=4))


@st.composite
def toml_like(draw: st.DrawFn) -> bytes:
    tables = draw(st.lists(_table, max_size=5))
    lines = []
    for path, items in tables:
        lines.append(draw(st.sampled_from(['["{}"]', "[{}]", "['{}']", '[["{}"]]', '"{}" = {{ }}'])).format(path))
        lines.extend(f"{key} = {value}" for key, value in items)
    text = "\n".join(lines).encode("utf-8", "surrogatepass") if lines else b""
    noise = draw(st.binary(max_size=8))
    return draw(st.sampled_from([text, text + noise, noise + text, text.replace(b"=", b"", 1)]))


def _load(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "a.txt").write_text("x", encoding="utf-8")
        (root / METADATA_FILENAME).write_bytes(data)
        try:
            meta = load_metadata(root)
        except MetadataError as exc:
            message = str(exc)
            assert message.startswith(METADATA_FILENAME) and "\n" not in message.strip(), message
            return
        for warning in check_paths(meta, {"a.txt"}):
            assert warning.startswith(METADATA_FILENAME)
        for rel_path in meta.entries:
            meta.entry_signature(rel_path)


@FUZZ
@given(toml_like())
def test_metadata_toml_shaped_input_parses_or_names_the_problem(data: bytes) -> None:
    _load(data)


@FUZZ
@given(st.binary(max_size=300))
def test_metadata_random_bytes_parse_or_name_the_problem(data: bytes) -> None:
    _load(data)


def _check_reader_output(suffix: str, data: bytes) -> None:
    try:
        records = list(read_source(Source(f"fuzz{suffix}", f"fuzz{suffix}", data)))
    except UnusableFile as exc:
        assert str(exc).strip(), "a skipped file needs a reason the user can read"
        return
    for record in records:
        assert isinstance(record, (Article, RecordSkipped))
        if isinstance(record, Article):
            assert isinstance(record.text, str) and record.text.strip()


@pytest.mark.parametrize("suffix", sorted(READERS))
def test_every_reader_survives_arbitrary_bytes(suffix: str) -> None:
    @FUZZ
    @given(st.one_of(st.binary(max_size=2000),
                     st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass")),
                     st.text(max_size=200).map(lambda t: t.encode("utf-16", "surrogatepass"))))
    def fuzz(data: bytes) -> None:
        _check_reader_output(suffix, data)

    fuzz()


@FUZZ
@given(st.binary(max_size=3000))
def test_the_decoder_returns_text_for_any_bytes_or_refuses_them(data: bytes) -> None:
    try:
        text, encoding = decode(data)
    except UnusableFile as exc:
        assert str(exc).strip()
        return
    assert isinstance(text, str) and isinstance(encoding, str) and encoding
    assert "\r" not in text  # line endings normalised
