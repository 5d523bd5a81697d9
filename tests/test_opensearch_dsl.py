"""Golden tests: the query DSL each kind of query-tree node compiles to, kept as JSON files
in tests/golden/opensearch so that a change to the compiler is reviewed as a JSON diff.

Run with SEARCHKIT_UPDATE_GOLDEN=1 to rewrite the files after an intended change."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from searchkit.engine.opensearch.compile import compile_query
from searchkit.engine.whoosh.compile import ANALYZER
from searchkit.querylang import ast
from searchkit.querylang.parser import parse

GOLDEN = Path(__file__).parent / "golden" / "opensearch"

#: One query per node kind the parser makes (and the grouping of a list of words).
QUERIES = {
    "word": "satellites",
    "words_all_first": "chinese satellites",
    "phrase": '"machine tools"',
    "phrase_with_stop_gap": "\"shock with waves\"",
    "near": "\"china russia\"~5",
    "pure_not": "NOT china",
    "and_or_not": "(russia OR ukraine) AND NOT china",
    "field_title": "title:missile",
    "field_outlet": 'outlet:"EU Today"',
    "wildcard": "satell*",
    "single_char_wildcard": "gr?y",
    "fuzzy": "nitrocelulose~2",
    "date_range": "date:[2024-04-01 TO 2024-04-07]",
    "date_open_range": "drones date:>=2024-04-08",
    "accented": "Pékin",
    "field_lang": "drones lang:de",
    "not_lang": "drones -lang:en",
}

#: Nodes the parser does not make from text alone.
NODES = {
    "story": ast.Story("s123"),
    "nothing": ast.NOTHING,
    "dismax": ast.DisMax((ast.Term("title", "drone"), ast.Term("body", "drone"))),
    "and_maybe": ast.AndMaybe(ast.Term("body", "drone"), ast.Term("body", "missil")),
    "prefix": ast.Prefix("body", "sat"),
}


def _check(name: str, dsl: dict) -> None:
    path = GOLDEN / f"{name}.json"
    text = json.dumps(dsl, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if os.environ.get("SEARCHKIT_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with SEARCHKIT_UPDATE_GOLDEN=1 and review it"
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text), f"{name}: the DSL changed"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_compiles_to_golden_dsl(name: str) -> None:
    _check(name, compile_query(parse(QUERIES[name], ANALYZER)))


@pytest.mark.parametrize("name", sorted(NODES))
def test_node_compiles_to_golden_dsl(name: str) -> None:
    _check(name, compile_query(NODES[name]))


def test_every_node_kind_has_a_golden_file() -> None:
    """A new node kind in the query tree must get a golden file (and a compile rule)."""
    seen: set[type] = set()

    def walk(node: ast.Node) -> None:
        seen.add(type(node))
        for child in ast.children(node):
            walk(child)

    for text in QUERIES.values():
        walk(parse(text, ANALYZER))
    for node in NODES.values():
        walk(node)
    missing = {kind.__name__ for kind in ast.LEAVES + (ast.And, ast.Or, ast.DisMax, ast.Not, ast.AndMaybe,
                                                        ast.Filtered, ast.Excluding, ast.AllWordsBonus)} - {
        kind.__name__ for kind in seen}
    assert not missing, f"no golden query uses {sorted(missing)}"
