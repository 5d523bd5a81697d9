"""The claim the Spark stage rests on (issue 26), checked without Spark: the ordered merge of
candidate pairs gives the same groups when run over each connected component of the story
edges alone (in the global key order) as over all pairs at once. On the storygen corpus,
where stories are big and chained merges are refused, so that order matters."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from searchkit.stories import StoryInput, build_stories
from searchkit.stories.model import _ordinal, candidate_key, group_in_order

import storygen


def test_merging_each_component_alone_gives_the_groups_of_one_merge() -> None:
    docs = [StoryInput(name, text, rec["title"], rec["outlet"],
                       dt.date.fromisoformat(rec["date"]) if rec["date"] else None)
            for name, text, rec in storygen.generate(600, seed=5) if name is not None]
    model = build_stories(docs)
    model._ensure_weights()
    names = sorted(model._docs)
    index = {x: i for i, x in enumerate(names)}
    keys = []
    for did in names:
        for c, o in model._candidates(model._docs[did]):
            lo, hi = sorted((index[did], index[o]))
            keys.append(candidate_key(c, lo, hi))
    keys.sort()
    scores: dict[tuple[str, str], float] = {}
    candidate_pairs = set()
    for k in keys:
        pair = (names[(k >> 24) & 0xFFFFFF], names[k & 0xFFFFFF])
        candidate_pairs.add(pair)
        if pair not in scores:
            scores[pair] = model._edge(model._docs[pair[0]], model._docs[pair[1]])

    def score(a: str, b: str) -> float:
        """Candidate pairs from the table; the pairs a group's sample asks about, judged now."""
        if (a, b) not in scores:
            scores[(a, b)] = model._edge(model._docs[a], model._docs[b])
        return scores[(a, b)]

    def day(i: str) -> int | None:
        d = model._docs[i].date
        return None if d is None else _ordinal(d)

    whole = group_in_order(names, names, keys, score, day)
    assert sorted(whole) == sorted(sorted(m) for m in model._members.values())  # what build_stories made
    # components of the edges (score >= 1), then each one's keys alone
    parent = {x: x for x in names}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x
    for (a, b), s in list(scores.items()):
        if s >= 1.0 and (a, b) in candidate_pairs:
            parent[find(a)] = find(b)
    parts: dict[str, list[int]] = {}
    for k in keys:
        a = names[(k >> 24) & 0xFFFFFF]
        if scores[(a, names[k & 0xFFFFFF])] >= 1.0:
            parts.setdefault(find(a), []).append(k)
    pieces = []
    for root, part in parts.items():
        members = [x for x in names if find(x) == root]
        pieces.extend(group_in_order(members, names, part, score, day))
    assert sorted(pieces) == sorted(whole)
    assert len(whole) >= 10 and max(len(g) for g in whole) >= 5  # big stories: the order matters
