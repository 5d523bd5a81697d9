"""Collapsing copies of one story: a relevance ranking folded to one row per story (its best
hit), each row with its versions (the story's other articles the search matched).

The stories come from the index's story map (article id -> story, story -> articles); a
searcher keeps them by document number in a :class:`StoryTable`, so that folding a ranking
reads one list entry per hit and a row's versions are its story's members kept in the order
a hit lists them, filtered by the search's matches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ...models import Hit, SearchOptions, Version
from ..base import StoryMembers
from .facets import doc_id_of, doc_ids_by_number, document_numbers, facet_columns
from .internals import object_cache
from .schema import date_of_day


@dataclass
class Folded:
    """A ranking folded by story: one row per story (its best hit) and per article of no
    story, the other hits of each story ranked so far, and whether every match was ranked."""

    rows: list
    folded: dict[str, list]
    every: bool

    @property
    def collapsed(self) -> int:
        return sum(len(hits) for hits in self.folded.values())

    def counts(self) -> dict[str, Any]:
        """``Results.collapsed`` and ``rows`` (rows known when every match was ranked)."""
        return {"collapsed": self.collapsed, "rows": len(self.rows) if self.every else None}


#: A collapsed search ranks this many hits per row wanted, then twice as many while too many
#: fold away: a ranked hit costs little (its story from a list), ranking again costs a pass.
WINDOW_ROWS = 5


class StoryTable:
    """One searcher's stories by document number, for one story map: each document's story,
    and each story's members (document numbers and versions, by date, undated last) as
    first asked.

    A long-lived process (``whole``) lists every document's story at once (a few tens of
    milliseconds at 200,000 articles, once per searcher and story map); a one-shot process
    reads the ids of the hits it folds from the id column instead."""

    def __init__(self, searcher, story_of: Mapping[str, str], stories: StoryMembers | None, whole: bool) -> None:
        self.searcher = searcher
        self.story_of = story_of
        self.stories = stories
        self._by_number: list[str | None] | None = None
        self._id_of: Callable[[int], str] | None = None
        if whole:
            get = story_of.get
            self._by_number = [get(doc_id) for doc_id in doc_ids_by_number(searcher)]
        else:
            self._id_of = doc_id_of(searcher)
        self._members: dict[str, tuple[list[int], list[Version]]] = {}

    def story_at(self, docnum: int) -> str | None:
        """The story of document number ``docnum`` (None if it is in none)."""
        if self._by_number is not None:
            return self._by_number[docnum]
        assert self._id_of is not None
        return self.story_of.get(self._id_of(docnum))

    def versions(self, story_id: str, matched, leave_out: str) -> tuple[Version, ...]:
        """The articles of ``story_id`` that ``matched`` holds (a set of document numbers or
        a mask over them), but ``leave_out``, by date, undated last."""
        found = self._members.get(story_id)
        if found is None:
            numbers = document_numbers(self.searcher, self.stories(story_id) if self.stories is not None else ())
            columns = facet_columns(self.searcher)  # read whole once per searcher: a story may have hundreds
            listed = sorted(((Version(doc_id, columns.outlet[n] or None, date_of_day(columns.day[n])), n)
                             for doc_id, n in numbers.items()),
                            key=lambda vn: (vn[0].date is None, vn[0].date or dt.date.min, vn[0].doc_id))
            found = self._members[story_id] = ([n for _, n in listed], [v for v, _ in listed])
        members, versions = found
        if isinstance(matched, (set, frozenset)):
            keep = [n in matched for n in members]
        else:  # a numpy mask: every member looked up at once
            keep = matched[members].tolist() if members else []
        return tuple(v for v, k in zip(versions, keep) if k and v.doc_id != leave_out)


def story_table(searcher, story_of: Mapping[str, str], stories: StoryMembers | None, whole: bool) -> StoryTable:
    """The searcher's :class:`StoryTable` of ``story_of`` (the last story map asked for is
    kept; a one-shot table becomes a whole one when a long-lived search asks)."""
    cache = object_cache(searcher, "story table")
    table = cache.get("table")
    if table is None or table.story_of is not story_of or (whole and table._by_number is None):
        table = cache["table"] = StoryTable(searcher, story_of, stories, whole)
    table.stories = stories
    return table


def ranked_rows(rank: Callable[[int], list], options: SearchOptions, total: int,
                table: StoryTable | None) -> tuple[list, Folded | None]:
    """The hits of the pages up to ``options.page`` from ``rank(limit)``, folded by story
    when the search is collapsed (``table``; with what was folded), else as ranked (and None)."""
    want = options.page * options.limit
    if table is None or not options.collapse or options.sort != "relevance":
        return rank(want), None
    folded = fold(rank, want, total, table)
    return folded.rows, folded


def fold(rank: Callable[[int], list], want: int, total: int, table: StoryTable) -> Folded:
    """Hits ranked by ``rank`` and folded by story until ``want`` rows stand (or every match
    is ranked): a window of WINDOW_ROWS hits per row wanted, doubled while too many fold away."""
    fetch = max(WINDOW_ROWS * want, 50)
    story_at = table.story_at
    while True:
        window = rank(fetch)[:fetch]
        rows: list = []
        folded: dict[str, list] = {}
        for hit in window:
            story_id = story_at(hit.docnum)
            if story_id is not None:
                if story_id in folded:
                    folded[story_id].append(hit)
                    continue
                folded[story_id] = []
            rows.append(hit)
        if len(rows) >= want or len(window) >= total:
            return Folded(rows, folded, len(window) >= total)
        fetch *= 2


def with_versions(hits: tuple[Hit, ...], table: StoryTable, matched) -> tuple[Hit, ...]:
    """A collapsed page's hits, each with its story and, as its versions, every other
    article of that story the search matched (also beyond the hits ranked)."""
    out = []
    for hit in hits:
        story_id = table.story_of.get(hit.doc_id)
        out.append(hit if story_id is None else
                   replace(hit, story=story_id, versions=table.versions(story_id, matched, hit.doc_id)))
    return tuple(out)
