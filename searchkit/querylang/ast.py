"""The query tree: what a query means, independent of any engine.

:mod:`searchkit.querylang.parser` builds it; an engine compiles it (Whoosh:
:mod:`searchkit.engine.whoosh.compile`). Nodes are frozen and compare by value, so equal
sub-queries can be found and merged. Field names are the logical ones of the index
(``title``, ``body``, ``outlet_text``); dates are YYYYMMDD integers.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Callable, Union


@dataclass(frozen=True)
class Term:
    """One indexed term (already analysed) in one field."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """Terms at given relative positions (``offsets``, stop-word gaps kept), or with
    ``near`` set, all within ``near`` positions of each other in any order."""

    field: str
    words: tuple[str, ...]
    offsets: tuple[int, ...]
    near: int | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class Prefix:
    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Wildcard:
    """A glob over indexed terms: ``*`` any run, ``?`` one character."""

    field: str
    pattern: str
    boost: float = 1.0


@dataclass(frozen=True)
class Fuzzy:
    """Terms within ``maxdist`` edits of ``text``."""

    field: str
    text: str
    maxdist: int
    boost: float = 1.0


@dataclass(frozen=True)
class DayRange:
    """Documents dated ``first`` to ``last`` (YYYYMMDD, inclusive; None is open). Undated
    documents never match."""

    first: int | None
    last: int | None


@dataclass(frozen=True)
class Outlet:
    """The articles of the outlet ``name`` means (``outlet:NAME``); the engine resolves the
    name against its index's outlets with :func:`searchkit.outlets.resolve_outlet`."""

    name: str


@dataclass(frozen=True)
class Story:
    """The documents of one story (``story:ID``); the engine asks the index's stories."""

    story_id: str


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Any of the items, scores summed (``scale``: a coordination factor, or None)."""

    items: tuple[Node, ...]
    boost: float = 1.0
    scale: float | None = None


@dataclass(frozen=True)
class DisMax:
    """Any of the items, scored by the best one."""

    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """Every document that does not match ``item``."""

    item: Node


@dataclass(frozen=True)
class AndMaybe:
    """Documents of ``required``; ``optional`` only adds to their score."""

    required: Node
    optional: Node


@dataclass(frozen=True)
class Filtered:
    """Documents of ``query`` that also match ``filter``, scored by ``query`` alone."""

    query: Node
    filter: Node


@dataclass(frozen=True)
class Excluding:
    """Documents of ``query`` that do not match ``excluded``."""

    query: Node
    excluded: Node


@dataclass(frozen=True)
class AllWordsBonus:
    """A constant ``score`` for documents matching ``item`` (every word of a list): larger
    than any relevance score, so they rank first."""

    item: Node
    score: float


@dataclass(frozen=True)
class Nothing:
    """Matches no document."""


NOTHING = Nothing()

Node = Union[Term, Phrase, Prefix, Wildcard, Fuzzy, DayRange, Outlet, Story, And, Or, DisMax, Not, AndMaybe,
             Filtered, Excluding, AllWordsBonus, Nothing]

LEAVES = (Term, Phrase, Prefix, Wildcard, Fuzzy, DayRange, Outlet, Story, Nothing)


def children(node: Node) -> list[Node]:
    """The direct sub-queries of ``node``."""
    out: list[Node] = []
    for f in fields(node):
        value = getattr(node, f.name)
        if isinstance(value, tuple) and value and not isinstance(value[0], (str, int)):
            out.extend(value)
        elif f.name in ("item", "required", "optional", "query", "filter", "excluded"):
            out.append(value)
    return out


def map_children(node: Node, fn: Callable[[Node], Node]) -> Node:
    """``node`` with ``fn`` applied to each direct sub-query."""
    if isinstance(node, LEAVES):
        return node
    changes: dict[str, object] = {}
    for f in fields(node):
        value = getattr(node, f.name)
        if f.name == "items":
            changes["items"] = tuple(fn(v) for v in value)
        elif f.name in ("item", "required", "optional", "query", "filter", "excluded"):
            changes[f.name] = fn(value)
    return replace(node, **changes)  # type: ignore[arg-type]  # mypy cannot tie each key to its field's type
