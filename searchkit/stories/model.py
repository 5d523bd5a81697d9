"""Stories: group copies and rewrites of one report across outlets (engine-neutral core).

Pipeline (what a user sees of it: docs/guide.md, "Stories"; how it is measured:
benchmarks/STORIES-EVAL.md):
1. features: sentences (char spans) and their content tokens (stems, normalised numbers);
   document frequencies give every token an idf weight;
2. candidates: each document is posted under its rarest tokens (names, numbers, rare words);
   documents sharing several of them become candidate pairs (no all-pairs work);
3. verification (``_edge``, one pair at a time): sentence alignment: two sentences match when
   the idf-weighted overlap of their tokens covers much of the smaller one, they share the
   rarer half of its tokens (ANCHOR_SHARE) and any number both state (NUMBER_VETO), and are not
   one sentence frame with other fillers (SLOT_VETO: each has a word much rarer than every
   word they share, words the collection repeats in FRAME_MIN_DOCS documents or more); a pair
   of documents is a story edge when matched sentences whose content words run in the same
   order (a copy weight from COPY_RATIO, nothing, to COPY_FULL, whole: evidence of copying,
   which two outlets' own reports of one event lack) cover DOC_COV of one and DOC_COV_MIN of
   the other, or a run of CHAIN_MIN sentences matched in the same order does (a rewrite
   sentence by sentence), or, for a rewrite that keeps less of its source, when both credit
   one origin and copied sentences crediting it in both cover SHARED_ORIGIN_COV of one (the
   rewrite of a credited report, whose sentences over COPY_RATIO count whole: ORIGIN_STEP);
   dates more than 30 days apart veto; the outlet's own page furniture (sentences repeated
   across its articles) never counts;
4. clusters (``_cluster``): union-find over verified edges; an article (or group) joins a
   group of three or more only when it also has edges with LINK_SHARE of LINK_CHECK of that
   group's members (a fixed sample), and two groups of 3+ merge only on two independent
   edges: one edge never chains two stories; a rewrite whose copied sentence credits the
   other article's own outlet is an edge like a shared origin.
The settings were chosen by leave-one-source-out cross-validation over five sources of
material (benchmarks/stories_cv.py; the last choice: benchmarks/results/stories-cv-group-final.json).
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import io
import heapq
import math
import pickle
import re
import sys
import zlib
from array import array
from collections import Counter, defaultdict
from itertools import chain
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping, Sequence

from .credits import Credit, Lexicon, extract_credits, squash
from .errors import StoryFormatError
from .text import segment, tokens

FORMAT = "searchkit-stories/4"  # 4: copies graded by word order, frames, ordered runs; a stream of pickles (older models are regrouped)
_NO_LINKS: frozenset = frozenset()
# Page furniture that links to other stories: never evidence of a shared story.
_LINK = re.compile(r"\s*(?:read\s+(?:also|more|next)|also\s+read|see\s+also|related(?:\s+(?:articles?|stories|news))?|"
                   r"recommended|more\s+(?:on\s+this|stories|news)|watch|listen|trending|popular|you\s+may\s+(?:also\s+)?like)\s*[:|>»-]",
                   re.IGNORECASE)

# Tunables (module constants so the benchmark can report them; not fitted to the seeds).
POST_CAP = 3000       # tokens in more documents than this are not posted (stop words of the corpus)
MAX_POSTING = 400     # tokens posted for more documents than this are not used for candidates
POSTING_PREFIX = 64      # entries read from one token's posting list
CANDIDATE_BUDGET = 1500  # postings read per document (rarest anchors first) ...
MIN_QUERY_ANCHORS = 8    # ... but at least this many anchors
CANDIDATES = 15       # candidates verified per document (best first)
MIN_SHARED_ANCHORS = 2
SENT_SIM = 0.35       # weighted containment of the smaller sentence (rewrites are loose)
SENT_SIM_MULTI = 0.6  # a sentence matched twice (split/merge) needs this much for the second
SENT_MIN_SHARED = 3   # tokens two matched sentences must share
SENT_MIN_OUTER = 0.2  # overlap / larger sentence weight
DOC_COV = 0.4         # copied share (by weight) of the better-covered document
DOC_COV_MIN = 0.2     # ... and of the other one (an inserted paragraph does not make a story)
DOC_MIN_SENTS = 2     # matched sentences on each side
FAST_PATH = True
MAX_DAYS = 30         # dated members further apart than this are not one story
ANCHOR_SHARE = 0.5    # share of the rarer half of a sentence's tokens the other must have
NUMBER_VETO = True    # matched sentences that both state numbers must share one
COPY_RATIO = 0.5      # sequence similarity of two matched sentences' content tokens that counts as copying ...
COPY_FULL = 0.9       # ... and from which it counts fully (between the two: in proportion)
SLOT_VETO = 1.5       # matched sentences that each have a word this many times rarer than any they share: other fillers of one frame (0: off)
FRAME_MIN_DOCS = 5    # ... when every word they share is in at least this many documents (a frame recurs)
CHAIN_MIN = 5         # this many sentences matched in the same order are a rewrite however reworded (0: off)
ORIGIN_STEP = True    # credited rewrites: every pair over COPY_RATIO counts whole (not graded up to COPY_FULL)
MAX_ALIGN_SENTENCES = 300  # sentences of one article considered (a story lives in its first pages)
SHARED_ORIGIN_COV = 0.1  # copied share of one article enough when both credit one origin (0: off)
ORIGIN_NEAR = 0         # ... and a copied sentence (or one this near it) credits it in both
ORIGIN_MIN_TOKENS = 6   # ... by copied sentences of this many content tokens
LINK_CHECK = 4          # members of a group of 3+ a newcomer is also checked against (0: off) ...
LINK_SHARE = 0.25       # ... and the share of them it must have edges with
BOILER_MIN = 3        # a sentence in this many articles of one outlet is its furniture


@dataclass(frozen=True, slots=True)
class StoryInput:
    doc_id: str
    text: str
    title: str = ""
    outlet: str | None = None
    date: _dt.date | None = None
    url: str | None = None            # the article's address: its host names its own outlet too


@dataclass(frozen=True, slots=True)
class Story:
    story_id: str
    title: str
    doc_ids: tuple[str, ...]          # dated members by date, then undated ones
    earliest: str | None              # earliest dated member (None if no member is dated)
    undated: tuple[str, ...]          # members without a date (never ordered by guess)
    outlets: tuple[str | None, ...]   # outlet of each doc_ids entry


@dataclass(frozen=True, slots=True)
class CreditedSource:
    """One credited source and the articles behind its count."""
    source: str
    doc_ids: tuple[str, ...]                          # the articles that credit it
    texts: int                                        # of those, distinct texts: identical copies count once
    by: tuple[tuple[str | None, tuple[str, ...]], ...]  # (crediting outlet or None, its articles)


@dataclass(frozen=True, slots=True)
class Passage:
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    kind: str                         # "verbatim" | "reworded"
    score: float
    #: Runs of identical words (up to case, punctuation, quotes, number style) inside the
    #: pair, as (a_start, a_end, b_start, b_end); a verbatim pair is one run over both.
    identical: tuple[tuple[int, int, int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Comparison:
    doc_a: str
    doc_b: str
    same_story: bool
    shared: tuple[Passage, ...]
    only_a: tuple[tuple[int, int], ...]
    only_b: tuple[tuple[int, int], ...]


class _Doc:
    """One article's features: token ids, sentence offsets, character spans, credits."""

    __slots__ = ("doc_id", "title", "outlet", "date", "toks", "soff", "spans", "credits", "length", "links", "digest",
                 "num")
    doc_id: str
    title: str
    outlet: str | None
    date: Any
    toks: array
    soff: array
    spans: array
    credits: list[Credit]
    length: int
    links: frozenset[int]
    digest: int               # of the content tokens: identical copies have the same
    num: int                  # its number in the model's postings (not stored)

    def to_data(self):
        return (self.doc_id, self.title, self.outlet, _date_to(self.date), self.toks.tobytes(),
                self.soff.tobytes(), self.spans.tobytes(), [(c.source, c.start, c.end) for c in self.credits],
                self.length, sorted(self.links), self.digest)

    @classmethod
    def from_data(cls, t):
        d = cls()
        d.doc_id, d.title, d.outlet = t[0], t[1], t[2] and sys.intern(t[2])
        d.date = _date_from(t[3])
        d.toks = array("I"); d.toks.frombytes(t[4])
        d.soff = array("I"); d.soff.frombytes(t[5])
        d.spans = array("I"); d.spans.frombytes(t[6])
        d.credits = [Credit(s, a, b) for s, a, b in t[7]]
        d.length = t[8]
        d.links = frozenset(t[9])
        d.digest = t[10]
        return d

    def nsent(self):
        return len(self.soff) - 1

    def sent(self, i):
        return self.toks[self.soff[i]:self.soff[i + 1]]


def _date_to(d):
    if d is None:
        return None
    return d.isoformat()


def _date_from(s):
    if s is None:
        return None
    if "T" in s or " " in s:
        return _dt.datetime.fromisoformat(s)
    return _dt.date.fromisoformat(s)


def _date_key(d):
    """Sortable key; a date sorts before any time on that day's datetime? no: by day, then time."""
    if isinstance(d, _dt.datetime):
        return (d.date().toordinal(), d.hour * 3600 + d.minute * 60 + d.second)
    return (d.toordinal(), -1)


def _ordinal(d):
    return d.toordinal() if not isinstance(d, _dt.datetime) else d.date().toordinal()


def _coerce_date(d):
    if d is None or isinstance(d, (_dt.date, _dt.datetime)):
        return d
    if isinstance(d, str) and d:
        try:
            return _date_from(d)
        except ValueError:
            return None
    return None


def parse_document(inp: StoryInput) -> tuple[_Doc, str, list[tuple[int, int]], list[list[str]]]:
    """The per-document work that needs nothing of the corpus: sentences (character spans),
    their content tokens as text, page-furniture links. Token ids (set_token_ids) and credits
    come after; the in-process stage and the Spark stage both start here."""
    text = inp.text if isinstance(inp.text, str) else str(inp.text or "")
    d = _Doc()
    d.doc_id = str(inp.doc_id)
    d.title = inp.title or ""
    d.outlet = sys.intern(str(inp.outlet)) if inp.outlet else None  # one string per outlet, not per article
    d.date = _coerce_date(inp.date)
    d.length = len(text)
    spans = segment(text)
    words = [tokens(text[s:e]) for s, e in spans]
    d.spans = array("I", [x for span in spans for x in span])
    d.links = frozenset(i for i, (s, e) in enumerate(spans) if _LINK.match(text, s, e)) or _NO_LINKS
    d.credits = []  # filled once every outlet of the batch is known
    return d, text, spans, words


def document_credits(d: _Doc, text: str, spans: list[tuple[int, int]], url: str | None, lex: Lexicon) -> list[Credit]:
    """Whom an article credits (after parse_document; ``lex`` knows the corpus's outlets)."""
    if d.outlet:
        lex.add_outlet(d.outlet)
    return extract_credits(text, d.outlet, lex, spans, url)


def set_token_ids(d: _Doc, toks: list[int], soff: list[int]) -> None:
    """A document's token ids (every sentence's, in order) and sentence offsets into them."""
    d.toks, d.soff = array("I", toks), array("I", soff)  # exact-size arrays, allocated once
    d.digest = zlib.crc32(d.toks.tobytes()) ^ (len(toks) << 32)


def boiler_hashes(d: _Doc):
    """One hash per sentence of its tokens (0 for a sentence without any): page furniture is a
    sentence repeated in BOILER_MIN articles of one outlet."""
    for i in range(d.nsent()):
        s = d.sent(i)
        yield zlib.crc32(s.tobytes()) ^ (len(s) << 32) if len(s) else 0


def furniture(counts: Counter) -> set[int]:
    """The sentence hashes that are an outlet's furniture, from their article counts."""
    return {h for h, c in counts.items() if c >= BOILER_MIN and h}


def alignment_weights(ndocs: int, nsent: int, df: array, sdf: array) -> tuple[array, array]:
    """Per token: document idf (candidates) and alignment weight = sentence-level idf
    (informative even in a corpus of five) + document idf (separates a story's own names
    and numbers from its topic's)."""
    n = max(ndocs, 1) + 1
    ns = nsent + 1
    log = math.log
    wd = array("d", (log(n / (x + 0.5)) for x in df))
    wt = array("d", (log(ns / (y + 0.5)) + w for y, w in zip(sdf, wd)))
    return wd, wt


def anchors_read(posting_lengths: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Which postings a document reads for its candidates, from (posting length, token) of its
    tokens: (token, entries read from the start of its list), rarest first within a budget."""
    lists = sorted((ln, t) for ln, t in posting_lengths if 2 <= ln <= MAX_POSTING)
    budget = 0
    read = []
    for k, (ln, t) in enumerate(lists):
        n = min(ln, POSTING_PREFIX)  # a big story: its first articles are hub enough
        budget += n
        if budget > CANDIDATE_BUDGET and k >= MIN_QUERY_ANCHORS:
            break
        read.append((t, n))
    return read


def top_candidates(shared: Mapping[Any, int], me, allowed=None) -> list[tuple[int, Any]]:
    """The best candidates of one document from {other document: anchors shared}; documents
    are ids or anything ordered as they are (ties go to the greater)."""
    c = [(n, o) for o, n in shared.items() if n >= MIN_SHARED_ANCHORS and o != me and (allowed is None or o in allowed)]
    return heapq.nlargest(CANDIDATES, c)


def candidate_key(count: int, lo: int, hi: int) -> int:
    """One candidate pair packed in one int (8 bytes, not ~200): sorting the keys orders the
    pairs by anchors shared (most first), then by the positions of the two ids in sorted order."""
    cmax = (1 << 16) - 1
    return ((cmax - min(count, cmax)) << 48) | (lo << 24) | hi


def sorted_keys(packed: array) -> Iterator[int]:
    """Packed candidate keys (``array("Q")``) in ascending order, as ints: sorted by numpy
    and handed out a slice at a time (a list of them all would be 44 bytes a key, not 8)."""
    import numpy as np

    keys = np.frombuffer(packed, dtype=np.uint64).copy()
    del packed
    keys.sort(kind="stable")
    for i in range(0, len(keys), 1 << 16):
        yield from keys[i:i + (1 << 16)].tolist()


def links_enough(x: str, others: list[str], verified: dict, score) -> bool:
    """x has story edges with at least LINK_SHARE of ``others``: scores from ``verified``, or
    ``score(a, b)`` (a's id first; then kept in ``verified``)."""
    need = math.ceil(LINK_SHARE * len(others) - 1e-9)
    hits = 0
    for n, o in enumerate(others):
        if hits >= need or hits + len(others) - n < need:
            break  # decided: the rest cannot change the answer (most joins cost one check)
        k = (x, o) if x < o else (o, x)
        sc = verified.get(k)
        if sc is None:
            sc = verified[k] = score(*k)
        hits += sc >= 1.0
    return hits >= need


def group_in_order(ids: list[str], names: Sequence[str] | Mapping[int, str], order: Iterable[int], score, day_of, known_edges=()) -> list[list[str]]:
    """Union-find over candidate pairs in key order (candidate_key), each verified by
    ``score(a, b)`` (>= 1.0: a story edge; a's id first), with guards against chaining (two
    groups of 3+ articles merge only on two independent edges; an article joins a group of 3+
    only with edges to LINK_SHARE of a LINK_CHECK sample of its members, which may ask
    ``score`` for pairs that are not candidates) and the MAX_DAYS span of dated members
    (``day_of``: an id's day ordinal or None). The result depends on the order only within a
    connected component of the story edges (the sample's pairs included): a component's keys
    alone give its groups."""
    mask = (1 << 24) - 1
    parent = {i: i for i in ids}
    size = {i: 1 for i in ids}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    span = {}
    for i in ids:
        o = day_of(i)
        if o is not None:
            span[i] = (o, o)
    pending: dict[tuple[str, str], tuple[set, set]] = {}
    # per group: its LINK_CHECK members of smallest hash (a sample fixed by the members)
    sample: dict[str, list[tuple[int, str]]] = {i: [(zlib.crc32(i.encode("utf-8", "surrogatepass")), i)] for i in ids} \
        if LINK_CHECK else {}
    verified = dict(known_edges)
    failed: set[int] = set()

    for key in order:
        pk = key & ((1 << 48) - 1)
        a, b = names[pk >> 24], names[pk & mask]
        ra, rb = find(a), find(b)
        if ra == rb or pk in failed:
            continue
        sc = verified.get((a, b))
        if sc is None:
            sc = score(a, b)
            verified[(a, b)] = sc  # the same pair comes from both sides
        if sc < 1.0:
            failed.add(pk)
            verified.pop((a, b), None)
            continue
        if size[ra] >= 3 and size[rb] >= 3:
            # two groups merge only on edges from two different articles on each side
            # (one composite article must not chain two stories)
            if ra > rb:
                ra, rb, a, b = rb, ra, b, a
            ea, eb = pending.setdefault((ra, rb), (set(), set()))
            ea.add(a)
            eb.add(b)
            if len(ea) < 2 or len(eb) < 2:
                continue
        elif LINK_CHECK and max(size[ra], size[rb]) >= 3:
            # joining a group of three or more: one edge is not enough, the newcomer must
            # be a copy of that group's members too (no chaining through one edge)
            x, y, big = (a, b, rb) if size[ra] < size[rb] else (b, a, ra)
            if not links_enough(x, [m for _, m in sample[big] if m != y], verified, score):
                continue
        sa, sb = span.get(ra), span.get(rb)
        if sa and sb and max(sa[0], sb[0]) - min(sa[1], sb[1]) > MAX_DAYS:
            continue  # dated members of the two groups are more than MAX_DAYS apart
        if size[ra] < size[rb] or (size[ra] == size[rb] and ra > rb):
            ra, rb = rb, ra
        parent[rb] = ra
        size[ra] += size[rb]
        if LINK_CHECK:
            sample[ra] = sorted(sample[ra] + sample.pop(rb))[:LINK_CHECK]
        if sa or sb:
            span[ra] = (min(x[0] for x in (sa, sb) if x), max(x[1] for x in (sa, sb) if x))
    groups = defaultdict(list)
    for i in ids:
        groups[find(i)].append(i)
    return [sorted(g) for g in groups.values() if len(g) >= 2]


class StoryModel:
    """Stories of a corpus; built by build_stories(), kept current by update()."""

    def __init__(self):
        self._vocab: dict[str, int] = {}
        self._isnum = bytearray()  # per token id: 1 for a number
        self._df = array("I")
        self._sdf = array("I")  # sentence frequency: the weight of a token in alignment
        self._nsent = 0
        self._docs: dict[str, _Doc] = {}
        #: token -> the numbers (``_names``) of the documents holding it, in the order they
        #: were posted: 4 bytes an entry, not a pointer to an id string. None once a full
        #: build no longer needs them (rebuilt, as loading a model does, when asked).
        self._post: dict[int, array] | None = {}
        self._stop: set[int] = set()
        self._names: list[str | None] = []  # document number -> id (None: removed)
        self._boiler: dict[str, set[int]] = {}
        self._by_outlet: dict[str, set[str]] = defaultdict(set)
        self._story_of: dict[str, str] = {}
        self._members: dict[str, list[str]] = {}
        self._stories_cache: list[Story] | None = None
        self._wt = None
        self._wd = None
        self._wcache: dict = {}
        self._dirty = True
        self._lex = Lexicon()
        self._extra_outlets: dict[str, tuple[str, ...]] = {}

    @classmethod
    def pair_judge(cls, isnum: bytes, df: array, sdf: array, nsent: int, ndocs: int,
                   boiler: dict[str, set[int]]) -> "StoryModel":
        """A model that only judges pairs of documents it is handed (``judge_pair``): the
        corpus's statistics without the corpus, as a Spark executor holds them."""
        m = cls()
        m._isnum, m._df, m._sdf, m._nsent, m._boiler = bytearray(isnum), df, sdf, nsent, boiler
        m._wd, m._wt = alignment_weights(ndocs, nsent, df, sdf)
        m._dirty = False
        return m

    def judge_pair(self, a: _Doc, b: _Doc) -> float:
        """The story-edge score of two documents (a's id sorting first), as grouping asks it."""
        return self._edge(a, b)

    @classmethod
    def _knowing(cls, outlets: dict[str, Iterable[str]] | None, known_outlets: Iterable[str]) -> "StoryModel":
        """An empty model whose credit lexicon knows ``outlets`` (extra names with aliases) and
        the corpus's own ``known_outlets``."""
        m = cls()
        if outlets:
            m._extra_outlets = {k: tuple(v) for k, v in outlets.items()}
            m._lex = Lexicon(m._extra_outlets)
        for o in known_outlets:
            if o:
                m._lex.add_outlet(o)
        return m

    @classmethod
    def assemble(cls, vocab: list[str], df: array, sdf: array, nsent: int, docs: Iterable[_Doc],
                 groups: list[list[str]], outlets: dict[str, Iterable[str]] | None = None,
                 known_outlets: Iterable[str] = ()) -> "StoryModel":
        """The model build_stories would make, from parts computed elsewhere (on Spark): the
        vocabulary in id order, the counts, every document in input order, the groups."""
        m = cls._knowing(outlets, known_outlets)
        m._vocab = {w: i for i, w in enumerate(vocab)}
        m._isnum = bytearray(w[:1] == "#" for w in vocab)
        m._df, m._sdf, m._nsent = df, sdf, nsent
        for d in docs:
            if d.outlet:
                m._lex.add_outlet(d.outlet)
            m._docs[d.doc_id] = d
        m._index_docs(list(m._docs), set())
        m._assign(groups, {})
        return m

    # ------------------------------------------------------------------ features
    def _featurize(self, inp: StoryInput) -> tuple[_Doc, str, list[tuple[int, int]]]:
        d, text, spans, words = parse_document(inp)
        toks: list[int] = []
        soff = [0]
        vocab = self._vocab
        df = self._df
        sdf = self._sdf
        for sentence in words:
            for t in sentence:
                i = vocab.get(t)
                if i is None:
                    i = vocab[t] = len(vocab)
                    self._isnum.append(t[:1] == "#")
                    df.append(0)
                    sdf.append(0)
                toks.append(i)
            soff.append(len(toks))
        set_token_ids(d, toks, soff)
        return d, text, spans

    def _idf(self, t: int) -> float:
        n = max(len(self._docs), 1)
        return math.log((n + 1) / (self._df[t] + 0.5))

    def _weights(self) -> None:
        """Per token: document idf (candidates) and alignment weight = sentence-level idf
        (informative even in a corpus of five) + document idf (separates a story's own names
        and numbers from its topic's). Recomputed when counts change."""
        self._wd, self._wt = alignment_weights(len(self._docs), self._nsent, self._df, self._sdf)
        self._wcache = {}
        self._dirty = False

    def _ensure_weights(self) -> None:
        if self._dirty or self._wt is None:
            self._weights()

    def _count(self, d: _Doc, sign: int) -> None:
        for t in set(d.toks):
            self._df[t] += sign
        for i in range(d.nsent()):
            for t in set(d.sent(i)):
                self._sdf[t] += sign
        self._nsent += sign * d.nsent()
        self._dirty = True

    def _post_docs(self, docs: Sequence[_Doc]) -> None:
        """Inverted index over the rarer tokens: the candidate generator (the postings are
        there: see _postings). The documents are numbered and posted in order, as one by one:
        a token's list holds them in that order, and a token in more than POST_CAP documents
        is stopped for good; numpy does it a block of documents at a time."""
        import numpy as np

        post, stop = self._post, self._stop
        assert post is not None
        for at in range(0, len(docs), _POST_BLOCK):
            block = docs[at:at + _POST_BLOCK]
            first = len(self._names)
            for k, d in enumerate(block):
                d.num = first + k
                self._names.append(d.doc_id)
            # (token, document number) once per pair, by token, then number
            unique = [np.unique(np.frombuffer(d.toks, dtype=np.uint32)) for d in block]
            toks = np.concatenate(unique) if unique else np.zeros(0, np.uint32)
            nums = np.repeat(np.arange(first, first + len(block), dtype=np.uint32), [len(u) for u in unique])
            del unique
            order = np.argsort(toks, kind="stable")
            toks, nums = toks[order], nums[order]
            del order
            cuts = np.flatnonzero(toks[1:] != toks[:-1]) + 1
            starts = [0, *cuts.tolist()]
            ends = [*cuts.tolist(), len(toks)]
            for t, a, b in zip(toks[starts].tolist() if len(toks) else [], starts, ends):
                if t in stop:
                    continue
                pl = post.get(t)
                if pl is None:
                    pl = post[t] = array("I")
                pl.frombytes(nums[a:b].tobytes())
                if len(pl) > POST_CAP:
                    stop.add(t)
                    del post[t]

    def _postings(self) -> dict[int, array]:
        """The postings, posted again in the documents' order if they were released (the
        postings a model loaded from its bytes has)."""
        if self._post is None:
            self._post, self._stop, self._names = {}, set(), []
            self._post_docs(list(self._docs.values()))
        assert self._post is not None
        return self._post

    def _release_postings(self) -> None:
        """Free the postings (a full build's candidates are chosen: a third of its memory)."""
        self._post, self._stop, self._names = None, set(), []

    def _boiler_hashes(self, d: _Doc):
        return boiler_hashes(d)

    def _recompute_boiler(self, outlet_key: str) -> None:
        cnt: Counter[int] = Counter()
        for did in self._by_outlet.get(outlet_key, ()):
            cnt.update(set(self._boiler_hashes(self._docs[did])))
        hs = furniture(cnt)
        self._wcache.clear()
        if hs:
            self._boiler[outlet_key] = hs
        else:
            self._boiler.pop(outlet_key, None)

    # ------------------------------------------------------------------ alignment
    def _sent_weights(self, d: _Doc):
        """Per sentence: (token set, weight) or None when it cannot carry a story."""
        c = self._wcache.get(d.doc_id)
        if c is not None:
            return c
        boiler = self._boiler.get(squash(d.outlet), ()) if d.outlet else ()
        wt = self._wt
        out: list[tuple[frozenset[int], float] | None] = []
        hs: Any = list(self._boiler_hashes(d)) if boiler else None
        toks, soff = d.toks, d.soff
        for i in range(min(len(soff) - 1, MAX_ALIGN_SENTENCES)):
            s = frozenset(toks[soff[i]:soff[i + 1]])
            if len(s) < SENT_MIN_SHARED or (boiler and hs[i] in boiler) or (d.links and i in d.links):
                out.append(None)
                continue
            out.append((s, sum([wt[t] for t in s])))
        out.extend([None] * (len(soff) - 1 - len(out)))
        if len(self._wcache) > 4096:
            self._wcache.clear()
        self._wcache[d.doc_id] = out
        return out

    def _align(self, a: _Doc, b: _Doc, wa=None, wb=None, anchored: bool = True):
        """Matched sentence pairs [(i, j, sim)] (best j per i and best i per j) + weights;
        ``anchored``: only pairs that share the rarer half of their tokens."""
        wa = wa if wa is not None else self._sent_weights(a)
        wb = wb if wb is not None else self._sent_weights(b)
        inv = defaultdict(list)
        for j, x in enumerate(wb):
            if x:
                for t in x[0]:
                    inv[t].append(j)
        cand = {}
        wt = self._wt
        for i, x in enumerate(wa):
            if not x:
                continue
            acc: dict[Any, float] = {}
            nshared: dict[Any, int] = {}
            wi, Wi = x
            for t in wi:
                js = inv.get(t)
                if js:
                    w = wt[t]
                    for j in js:
                        acc[j] = acc.get(j, 0.0) + w
                        nshared[j] = nshared.get(j, 0) + 1
            for j, inter in acc.items():
                if nshared[j] < SENT_MIN_SHARED:
                    continue
                Wj = wb[j][1]
                sim = inter / min(Wi, Wj)
                if sim >= SENT_SIM and inter / max(Wi, Wj) >= SENT_MIN_OUTER:
                    if NUMBER_VETO and self._numbers_disagree(wi, wb[j][0]):
                        continue
                    if anchored and ANCHOR_SHARE and not self._anchored(wi, wb[j][0]):
                        continue
                    if SLOT_VETO and self._slots_differ(wi, wb[j][0]):
                        continue
                    cand[(i, j)] = sim
        # greedy one-to-one by similarity; a second partner only when it matches strongly
        # (a sentence split in two, two merged into one)
        pairs = {}
        used_i: dict[int, int] = {}
        used_j: dict[int, int] = {}
        for (i, j), sim in sorted(cand.items(), key=lambda kv: (-kv[1], kv[0])):
            ui, uj = i in used_i, j in used_j
            if (ui or uj) and (sim < SENT_SIM_MULTI or (ui and uj)):
                continue
            pairs[(i, j)] = sim
            used_i[i] = used_i.get(i, 0) + 1
            used_j[j] = used_j.get(j, 0) + 1
        return sorted((i, j, s) for (i, j), s in pairs.items()), wa, wb

    def _numbers_disagree(self, x: frozenset, y: frozenset) -> bool:
        """Both sentences state numbers and share none: the same template about other facts
        ("at least 41,107 people" / "at least 25,298 people"), not a copy."""
        isnum = self._isnum
        nx = [t for t in x if isnum[t]]
        if not nx:
            return False
        ny = [t for t in y if isnum[t]]
        return bool(ny) and not (set(nx) & set(ny))

    def _anchored(self, x: frozenset, y: frozenset) -> bool:
        """The rarer half of the smaller sentence's tokens (names, numbers, distinctive words)
        is mostly in the other: a filler sentence with other names in its slots is not."""
        if len(x) > len(y):
            x, y = y, x
        wd, df = self._wd, self._df
        # tokens of one document only cannot be shared by any: they are no evidence either way
        ranked = sorted((t for t in x if df[t] > 1), key=lambda t: -wd[t])
        top = ranked[:max(1, (len(ranked) + 1) // 2)]
        total = sum(wd[t] for t in top)
        return total <= 0 or sum(wd[t] for t in top if t in y) >= ANCHOR_SHARE * total

    def _slots_differ(self, x: frozenset, y: frozenset) -> bool:
        """One sentence frame filled with other words ("the union called the measure
        premature" / "...overdue"; "Acme warned its costs may rise 4%" / "Zenith warned..."):
        each sentence has a word the other lacks that is SLOT_VETO times rarer (in documents;
        among words another document has too) than every word they share, and those are in
        FRAME_MIN_DOCS documents or more (a small collection shows no frame). A copy or a
        rewrite keeps its story's names and numbers, the rarest words of its sentences."""
        df = self._df
        shared = min((df[t] for t in x & y), default=0)
        if shared < FRAME_MIN_DOCS:
            return False  # words of so few documents are no frame this collection repeats
        return all(any(1 < df[t] and df[t] * SLOT_VETO <= shared for t in u - v) for u, v in ((x, y), (y, x)))

    def _edge(self, a: _Doc, b: _Doc) -> float:
        """Story-edge score of two documents (>= 1.0 means: same story), 0 if none.

        Copying is the evidence: sentence pairs whose rarer tokens agree and whose content
        words run in much the same order (COPY_RATIO), covering DOC_COV of one article and
        DOC_COV_MIN of the other. Shared facts told in other words (two outlets' own reports
        of one event), the same sentence template with other names and numbers, and one pasted
        background paragraph are not enough. A rewrite that keeps less of its source (a few
        copied sentences among its own) is a member when both articles credit the same
        origin (SHARED_ORIGIN_COV): the rewrite of a credited report; or when the copied words
        credit the other article's own outlet in the one that copies them (a rewrite of a wire
        story that is itself in the collection)."""
        if a.date is not None and b.date is not None and abs(_ordinal(a.date) - _ordinal(b.date)) > MAX_DAYS:
            return 0.0
        pairs, wa, wb = self._align(a, b)
        if not pairs:
            return 0.0
        origins = self._shared_origins(a, b) if SHARED_ORIGIN_COV else set()
        # one credits the other's own outlet: a rewrite naming its source, which is here
        cited_a, cited_b = (self._credits_outlet_of(a, b), self._credits_outlet_of(b, a)) if SHARED_ORIGIN_COV else ((), ())
        origins |= {*cited_a, *cited_b}
        need, need_lo = (SHARED_ORIGIN_COV, 0.0) if origins else (DOC_COV, DOC_COV_MIN)
        # filtering only removes pairs: when all of them fall short, so would the copied ones
        if self._coverage_score(pairs, wa, wb, need, need_lo) < 1.0:
            return 0.0
        if COPY_RATIO:
            # (i, j, how much of a copy the pair is): 0 under COPY_RATIO, 1 from COPY_FULL
            pairs = [(i, j, c) for i, j, _ in pairs if (c := _copy_weight(_order_ratio(a.sent(i), b.sent(j)))) > 0]
        strong = self._coverage_score(pairs, wa, wb, DOC_COV, DOC_COV_MIN, graded=bool(COPY_RATIO))
        if strong < 1.0 and CHAIN_MIN and len(pairs) >= CHAIN_MIN:
            # a long run of sentences matched in order is a rewrite sentence by sentence,
            # however reworded each sentence is (passim's alignment, by sentences)
            chain = _ordered_chain(pairs)
            if len(chain) >= CHAIN_MIN:
                strong = max(strong, self._coverage_score(chain, wa, wb, DOC_COV, DOC_COV_MIN))
        if strong >= 1.0 or not origins:
            return strong
        # the copied words are credited to that origin in both: a rewrite of its report (an
        # end line "Source: X" is the credit, not copied words)
        pairs = [p for p in pairs if min(len(wa[p[0]][0]), len(wb[p[1]][0])) >= ORIGIN_MIN_TOKENS]
        ca, cb = self._credited_sentences(a), self._credited_sentences(b)
        near = ORIGIN_NEAR

        def credited(c: dict, k: int, sources) -> bool:
            """Sentence k (or one within ORIGIN_NEAR of it) credits one of ``sources``."""
            return any(c.get(o, _NO_LINKS) & set(range(k - near, k + near + 1)) for o in sources)
        if not any((credited(ca, i, origins) and credited(cb, j, origins)) or credited(ca, i, cited_a) or credited(cb, j, cited_b)
                   for i, j, _ in pairs):
            return 0.0
        # credited: a copy in the words of the outlet that rewrites it counts whole
        return self._coverage_score(pairs, wa, wb, need, need_lo, graded=bool(COPY_RATIO) and not ORIGIN_STEP)

    def _shared_origins(self, a: _Doc, b: _Doc) -> set[str]:
        """Sources both articles credit that are neither's own outlet."""
        if not (a.credits and b.credits):
            return set()
        own = {squash(x.outlet) for x in (a, b) if x.outlet}
        return ({squash(c.source) for c in a.credits} & {squash(c.source) for c in b.credits}) - own

    @staticmethod
    def _credits_outlet_of(a: _Doc, b: _Doc) -> set[str]:
        """The outlet of ``b`` when ``a`` credits it (and it is not ``a``'s own)."""
        if not (a.credits and b.outlet) or squash(b.outlet) == squash(a.outlet or ""):
            return set()
        own_b = squash(b.outlet)
        return {own_b} if any(squash(c.source) == own_b for c in a.credits) else set()

    @staticmethod
    def _credited_sentences(d: _Doc) -> dict[str, frozenset[int]]:
        """{credited source: the sentences that credit it}."""
        from bisect import bisect_right
        starts = d.spans[0::2]
        out: dict[str, set[int]] = {}
        for c in d.credits:
            out.setdefault(squash(c.source), set()).add(max(0, bisect_right(starts, c.start) - 1))
        return {k: frozenset(v) for k, v in out.items()}

    @staticmethod
    def _coverage_score(pairs, wa, wb, need: float, need_lo: float, graded: bool = False) -> float:
        """max(covered share of a, of b) / need, 0 when the lesser is under need_lo or fewer
        than DOC_MIN_SENTS sentences match on a side; ``graded``: a pair's third item scales
        the weight its sentences cover (the best pair of each sentence counts)."""
        if not pairs:
            return 0.0
        ia: dict[int, float] = {}
        jb: dict[int, float] = {}
        for i, j, c in pairs:
            c = c if graded else 1.0
            ia[i] = max(ia.get(i, 0.0), c)
            jb[j] = max(jb.get(j, 0.0), c)
        if min(len(ia), len(jb)) < DOC_MIN_SENTS:
            return 0.0
        tot_a = sum(x[1] for x in wa if x) or 1.0
        tot_b = sum(x[1] for x in wb if x) or 1.0
        cov_a = sum(wa[i][1] * c for i, c in ia.items()) / tot_a
        cov_b = sum(wb[j][1] * c for j, c in jb.items()) / tot_b
        hi, lo = max(cov_a, cov_b), min(cov_a, cov_b)
        if lo < need_lo:
            return 0.0
        return hi / need

    # ------------------------------------------------------------------ candidates / clusters
    def _candidates(self, d: _Doc, allowed=None) -> list[tuple[int, str]]:
        """Documents sharing the most of d's rarest tokens (postings read rarest first, within a
        budget; counting runs in C via Counter)."""
        post = self._postings()
        lengths = [(len(pl), t) for t in set(d.toks) if (pl := post.get(t))]
        read = [post[t][:n] for t, n in anchors_read(lengths)]
        names = self._names
        # ids for the counts that can be chosen only (ties go to the greater id)
        shared = {names[o]: n for o, n in Counter(chain.from_iterable(read)).items() if n >= MIN_SHARED_ANCHORS}
        return top_candidates(shared, d.doc_id, allowed)

    def _candidate_order(self, names: list[str], known_edges=()) -> Iterable[int]:
        """Candidate pairs of ``names`` (sorted ids), each packed in one int (count desc, then
        the two ids' positions): 8 bytes a pair, not ~200, in the order they are verified."""
        allowed = set(names) if len(names) < len(self._docs) else None
        index = {x: i for i, x in enumerate(names)}
        packed = array("Q")
        for did in names:
            ia = index[did]
            for c, o in self._candidates(self._docs[did], allowed):
                ib = index[o]
                packed.append(candidate_key(c, ia, ib) if ia < ib else candidate_key(c, ib, ia))
        for (a, b), _ in known_edges:
            lo, hi = sorted((index[a], index[b]))
            packed.append(candidate_key(MIN_SHARED_ANCHORS, lo, hi))
        return sorted_keys(packed)

    def _cluster(self, ids: list[str], known_edges=(), release: bool = False) -> list[list[str]]:
        """Groups of ``ids``; ``release``: free the postings once the candidates are chosen."""
        self._ensure_weights()
        names = sorted(ids)
        order = self._candidate_order(names, known_edges)
        if release:
            self._release_postings()
        docs = self._docs
        return group_in_order(ids, names, order, lambda a, b: self._edge(docs[a], docs[b]),
                              lambda i: None if docs[i].date is None else _ordinal(docs[i].date), known_edges)

    def _linked(self, x: str, others: list[str], verified: dict) -> bool:
        """x has story edges with at least LINK_SHARE of ``others`` (verified as needed)."""
        return links_enough(x, others, verified, lambda a, b: self._edge(self._docs[a], self._docs[b]))


    # ------------------------------------------------------------------ ingest / update
    def _add_docs(self, inputs: Iterable[StoryInput]) -> list[str]:
        # credits recognise the corpus's own outlets: all of a sequence's are known up front;
        # a one-pass stream knows those seen so far (pass outlets= to build_stories for more)
        if isinstance(inputs, (list, tuple)):
            for inp in inputs:
                if inp.outlet:
                    self._lex.add_outlet(inp.outlet)
        new = []
        outlets: set[str] = set()
        for inp in inputs:
            d, text, spans = self._file(inp, outlets)
            d.credits = document_credits(d, text, spans, inp.url, self._lex)
            new.append(d.doc_id)
        return self._post_new(new, outlets)

    def _file(self, inp: StoryInput, outlets: set[str]) -> tuple[_Doc, str, list[tuple[int, int]]]:
        """One document's features, counted and filed (replacing an older copy; the keys of
        outlets that lost one are added to ``outlets``); its credits are the caller's."""
        self._postings()  # before any new document is filed, should they be posted again
        d, text, spans = self._featurize(inp)
        if d.doc_id in self._docs:
            self._remove_doc(d.doc_id, outlets)
        self._docs[d.doc_id] = d
        self._count(d, 1)
        return d, text, spans

    def _post_new(self, new: list[str], outlets: set[str]) -> list[str]:
        """Post the documents filed (see _index_docs); their ids, each once."""
        self._index_docs(new, outlets)
        return [did for did in dict.fromkeys(new) if did in self._docs]

    def _index_docs(self, doc_ids: Iterable[str], outlets: set[str]) -> None:
        """Post the documents' tokens and file them under their outlets; then recompute the
        boilerplate of those outlets and of ``outlets`` (keys of outlets that lost documents)."""
        docs = [d for did in dict.fromkeys(doc_ids) if (d := self._docs.get(did)) is not None]  # each once
        self._post_docs(docs)
        for doc in docs:
            did = doc.doc_id
            if doc.outlet:
                k = squash(doc.outlet)
                self._by_outlet[k].add(did)
                outlets.add(k)
        for k in outlets:
            self._recompute_boiler(k)

    def _remove_doc(self, did: str, outlets: set[str] | None = None) -> None:
        """Forget a document; its outlet's boilerplate is recomputed now, or, given
        ``outlets``, added to them for the caller to recompute once for many removals
        (per removal it was minutes for 2,000 changed articles of 200,000)."""
        d = self._docs.get(did)
        if d is None:
            return
        post = self._postings()
        del self._docs[did]
        self._count(d, -1)
        num = getattr(d, "num", None)  # None: filed in this batch, not posted yet
        for t in set(d.toks) if num is not None else ():
            pl = post.get(t)
            if pl is not None:
                try:
                    pl.remove(num)
                except ValueError:
                    pass
                if not pl:
                    del post[t]
        if num is not None:
            self._names[num] = None
        if d.outlet:
            k = squash(d.outlet)
            self._by_outlet[k].discard(did)
            if outlets is None:
                self._recompute_boiler(k)
            else:
                outlets.add(k)

    def _assign(self, groups: list[list[str]], old_ids: dict[str, str]) -> None:
        """Give each new group an id: inherit the old story id it overlaps most, else a fresh one."""
        used = set(self._members)
        groups = sorted(groups, key=lambda g: (-len(g), g[0]))
        for g in groups:
            votes = Counter(old_ids[x] for x in g if x in old_ids)
            sid = None
            for cand, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])):
                if cand not in used:
                    sid = cand
                    break
            if sid is None:
                base = "s" + hashlib.sha1(min(g).encode("utf-8", "surrogatepass")).hexdigest()[:10]
                sid, k = base, 1
                while sid in used:
                    k += 1
                    sid = f"{base}-{k}"
            used.add(sid)
            self._members[sid] = list(g)
            for x in g:
                self._story_of[x] = sid

    def _drop_story(self, sid: str) -> list[str]:
        m = self._members.pop(sid, [])
        for x in m:
            if self._story_of.get(x) == sid:
                del self._story_of[x]
        return m

    def update(self, added_or_changed: Iterable[StoryInput] = (), removed: Iterable[str] = ()) -> "StoryModel":
        """Apply changes in place (and return self): only stories they touch are recomputed."""
        added_or_changed = list(added_or_changed)
        old_ids: dict[str, str] = {}
        touched = self._drop_changed(list(removed) + [str(x.doc_id) for x in added_or_changed], old_ids)
        new = self._add_docs(added_or_changed)
        self._ensure_weights()
        edges, comps = self._new_edges(new)
        recluster = self._place(comps, touched, edges, old_ids)
        ids = sorted(recluster)
        if ids:
            keep = set(ids)
            self._assign(self._cluster(ids, [e for e in edges if e[0][0] in keep and e[0][1] in keep]), old_ids)
        self._stories_cache = None
        return self

    def _drop_changed(self, doc_ids: list[str], old_ids: dict[str, str]) -> set[str]:
        """Remove the changed and removed documents and dissolve their stories; the remaining
        members of those stories (to regroup), with their old story ids in ``old_ids``."""
        touched: set[str] = set()
        outlets: set[str] = set()
        for did in doc_ids:
            sid = self._story_of.get(did)
            if sid is not None:
                for x in self._drop_story(sid):
                    old_ids[x] = sid
                    touched.add(x)
            self._remove_doc(did, outlets)
        for k in outlets:
            self._recompute_boiler(k)
        return {x for x in touched if x in self._docs}

    def _new_edges(self, new: list[str]) -> tuple[list, list[set[str]]]:
        """The verified edges of the new documents with their candidates, and the components
        those edges make (each new document in one)."""
        newset = set(new)
        seen: set[tuple[str, str]] = set()
        edges = []
        parent: dict[str, str] = {}

        def find(x):
            parent.setdefault(x, x)
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x
        for did in new:
            find(did)
            d = self._docs[did]
            joined = set()
            for _, o in self._candidates(d):
                if o in newset and ((o, did) in seen or find(o) == find(did)):
                    continue
                seen.add((did, o))
                so = self._story_of.get(o)
                if so is not None and so in joined:
                    continue  # already linked to that story: one edge is enough
                sc = self._edge(d, self._docs[o])
                if sc >= 1.0:
                    if so is not None:
                        joined.add(so)
                    edges.append(((did, o) if did < o else (o, did), sc))
                    ra, rb = find(did), find(o)
                    if ra != rb:
                        parent[max(ra, rb)] = min(ra, rb)
        comps = defaultdict(set)
        for x in list(parent):
            comps[find(x)].add(x)
        return edges, sorted(comps.values(), key=min)

    def _place(self, comps: list[set[str]], touched: set[str], edges: list, old_ids: dict[str, str]) -> set[str]:
        """Place each component of new documents: joined to the one story it links to, or a
        small story of its own, where that is safe (the fast path); the documents that must be
        regrouped otherwise."""
        recluster = set(touched)
        for comp in comps:
            linked = {self._story_of[x] for x in comp if x in self._story_of}
            if FAST_PATH and not (comp & recluster) and len(linked) <= 1:
                # fast path: the new articles join one story (or start one) and bridge nothing
                if linked:
                    sid = linked.pop()
                    if self._fits(sid, comp) and self._joins(sid, comp, edges):
                        for x in sorted(comp):
                            if self._story_of.get(x) != sid:
                                self._members[sid].append(x)
                                self._story_of[x] = sid
                        self._members[sid].sort()
                        continue
                elif len(comp) >= 2:
                    if len(comp) <= 3:
                        self._assign([sorted(comp)], {})
                        continue
                else:
                    continue
            for x in comp:
                story = self._story_of.get(x)
                if story is not None:
                    for y in self._drop_story(story):
                        old_ids[y] = story
                        recluster.add(y)
                recluster.add(x)
        return recluster

    def _joins(self, sid: str, comp: set[str], edges: list) -> bool:
        """The check _cluster makes when one article joins a story of three or more: an edge
        with LINK_SHARE of the story's sample too (else the slow path regroups)."""
        members = self._members[sid]
        new = comp.difference(members)
        if not LINK_CHECK:
            return True
        if len(new) != 1:
            return False
        if len(members) < 3:
            return True
        (x,) = new
        ys = {a if b == x else b for (a, b), _ in edges if x in (a, b)} & set(members)
        sample = sorted((zlib.crc32(m.encode("utf-8", "surrogatepass")), m) for m in members)[:LINK_CHECK]
        return bool(ys) and self._linked(x, [m for _, m in sample if m != min(ys)], {})

    def _fits(self, sid: str, comp) -> bool:
        """New members keep the story's dated span within MAX_DAYS of their dates."""
        days = [_ordinal(self._docs[x].date) for x in self._members[sid] if self._docs[x].date is not None]
        if not days:
            return True
        lo, hi = min(days), max(days)
        for x in comp:
            d = self._docs[x].date
            if d is not None and (_ordinal(d) - hi > MAX_DAYS or lo - _ordinal(d) > MAX_DAYS):
                return False
        return True

    # ------------------------------------------------------------------ queries
    @property
    def stories(self) -> list[Story]:
        if self._stories_cache is None:
            out = [self._story(sid) for sid in self._members]
            out.sort(key=lambda s: (-len(s.doc_ids), s.story_id))
            self._stories_cache = out
        return list(self._stories_cache)

    def story(self, story_id: str) -> Story | None:
        return self._story(story_id) if story_id in self._members else None

    def _story(self, sid: str) -> Story:
        m = self._members[sid]
        docs = [self._docs[x] for x in m]
        rank = self._origin_ranks(docs)
        dated = sorted((d for d in docs if d.date is not None),
                       key=lambda d: (_ordinal(d.date), rank[d.doc_id], _date_key(d.date), d.doc_id))
        undated = sorted((d for d in docs if d.date is None), key=lambda d: d.doc_id)
        order = dated + undated
        earliest = dated[0].doc_id if dated else None
        title = self._title(docs, dated)
        return Story(sid, title, tuple(d.doc_id for d in order), earliest,
                     tuple(d.doc_id for d in undated), tuple(d.outlet for d in order))

    def _origin_ranks(self, docs) -> dict[str, tuple[int, int]]:
        """Among members published on one day, the text decides who was first: a member that
        credits no outlet but its own comes first, then one that credits only outlets not
        among the members' (an origin outside the collection, or a member whose outlet is
        unknown), then one that credits a member's outlet; within each, the one the others
        credit most (the wire before its copies); then the time of day, if known."""
        keys = {d.doc_id: squash(self._lex.canonical(d.outlet)) if d.outlet else "" for d in docs}
        outlets = {k for k in keys.values() if k}
        credited_by: Counter[str] = Counter()
        tier: dict[str, int] = {}
        for d in docs:
            own = keys[d.doc_id]
            named = {squash(c.source) for c in d.credits}
            named.discard(own)
            tier[d.doc_id] = 2 if named & outlets else 1 if named else 0
            credited_by.update(named & outlets)
        return {d.doc_id: (tier[d.doc_id], -credited_by.get(keys[d.doc_id], 0) if keys[d.doc_id] else 0)
                for d in docs}

    def _title(self, docs, dated) -> str:
        titled = [d for d in docs if d.title.strip()]
        if not titled:
            return ""
        # the most common title (copies keep headlines), else the earliest dated member's
        cnt = Counter(d.title.strip() for d in titled)
        t, c = max(cnt.items(), key=lambda kv: (kv[1], -len(kv[0]), kv[0]))
        if c > 1:
            return t
        for d in dated:
            if d.title.strip():
                return d.title.strip()
        return sorted(titled, key=lambda d: d.doc_id)[0].title.strip()

    def story_of(self, doc_id: str) -> str | None:
        return self._story_of.get(doc_id)

    def __contains__(self, doc_id) -> bool:
        return doc_id in self._docs

    def __len__(self) -> int:
        return len(self._docs)

    def credits_of(self, doc_id: str) -> list[Credit]:
        d = self._docs.get(doc_id)
        return list(d.credits) if d else []

    def compare(self, doc_a: str, doc_b: str, text_a: str | None = None, text_b: str | None = None) -> Comparison:
        """What two articles share, sentence pair by sentence pair. With the two texts (as
        indexed), each pair is "verbatim" only when the words are identical up to case,
        punctuation, quotes and number style, else "reworded" with its identical runs marked;
        without them, from the stored tokens (no stop words: "reworded" unless the token
        sequences and the passages' lengths agree)."""
        from .passages import classify
        a, b = self._docs[doc_a], self._docs[doc_b]
        self._ensure_weights()
        pairs, wa, wb = self._align(a, b)
        have_text = text_a is not None and text_b is not None and len(text_a) == a.length and len(text_b) == b.length
        shared = []
        for i, j, s in pairs:
            sa = (a.spans[2 * i], a.spans[2 * i + 1])
            sb = (b.spans[2 * j], b.spans[2 * j + 1])
            if have_text:
                kind, runs = classify(text_a, sa, text_b, sb)  # type: ignore[arg-type]
            else:
                same = a.sent(i) == b.sent(j) and abs((sa[1] - sa[0]) - (sb[1] - sb[0])) <= 0.1 * (sa[1] - sa[0]) + 2
                kind, runs = ("verbatim", ((sa[0], sa[1], sb[0], sb[1]),)) if same else ("reworded", ())
            shared.append(Passage(sa[0], sa[1], sb[0], sb[1], kind, round(s, 4), runs))
        ia = {i for i, _, _ in pairs}
        jb = {j for _, j, _ in pairs}
        only_a = tuple((a.spans[2 * i], a.spans[2 * i + 1]) for i in range(a.nsent()) if i not in ia and wa[i])
        only_b = tuple((b.spans[2 * j], b.spans[2 * j + 1]) for j in range(b.nsent()) if j not in jb and wb[j])
        sa_ = self._story_of.get(doc_a)
        return Comparison(doc_a, doc_b, sa_ is not None and sa_ == self._story_of.get(doc_b), tuple(shared), only_a, only_b)

    def credit_sources(self, doc_ids: Iterable[str] | None = None) -> list[CreditedSource]:
        """Every credited source with the articles that credit it, by crediting outlet, most
        credited first. ``texts`` counts identical copies (the same words, as republished
        wire copy often is) once: the number of independent-looking articles is ``texts``."""
        ids = self._docs.keys() if doc_ids is None else doc_ids
        docs_of: dict[str, list[_Doc]] = {}
        for did in ids:
            d = self._docs.get(did)
            if d is None:
                continue
            for src in dict.fromkeys(c.source for c in d.credits):
                docs_of.setdefault(src, []).append(d)
        out = []
        for src, docs in docs_of.items():
            by: dict[str | None, list[str]] = {}
            for d in docs:
                by.setdefault(d.outlet, []).append(d.doc_id)
            ranked = sorted(by.items(), key=lambda kv: (-len(kv[1]), kv[0] is None, kv[0] or ""))
            out.append(CreditedSource(src, tuple(d.doc_id for d in docs), len({d.digest for d in docs}),
                                      tuple((o, tuple(v)) for o, v in ranked)))
        out.sort(key=lambda c: (-len(c.doc_ids), c.source))
        return out

    def credit_counts(self, doc_ids: Iterable[str] | None = None) -> dict[str, dict[str | None, int]]:
        """{source: {crediting outlet (None if unknown): number of articles}}."""
        ids = self._docs.keys() if doc_ids is None else doc_ids
        out: dict[str, dict[str | None, int]] = {}
        for did in ids:
            d = self._docs.get(did)
            if d is None:
                continue
            for src in dict.fromkeys(c.source for c in d.credits):
                per = out.setdefault(src, {})
                per[d.outlet] = per.get(d.outlet, 0) + 1
        return dict(sorted(out.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])))

    def dates(self) -> dict[str, str | None]:
        """Every article's publication day as ISO text (None: undated)."""
        return {did: None if d.date is None else _dt.date.fromordinal(_ordinal(d.date)).isoformat()
                for did, d in self._docs.items()}

    def timeline(self, doc_ids: Iterable[str] | None = None) -> dict:
        """{"dated": {YYYY-MM-DD: {outlet: count}}, "undated": {outlet: count}} (outlet None = unknown)."""
        ids = self._docs.keys() if doc_ids is None else doc_ids
        dated: dict[str, dict] = {}
        undated: dict = {}
        for did in ids:
            d = self._docs.get(did)
            if d is None:
                continue
            if d.date is None:
                undated[d.outlet] = undated.get(d.outlet, 0) + 1
            else:
                day = _dt.date.fromordinal(_ordinal(d.date)).isoformat()
                per = dated.setdefault(day, {})
                per[d.outlet] = per.get(d.outlet, 0) + 1
        return {"dated": dict(sorted(dated.items())), "undated": undated}

    # ------------------------------------------------------------------ persistence
    def to_bytes(self) -> bytes:
        """The stored model: MAGIC, then one zlib stream of pickles (see read_payload): a
        header, then the documents a batch at a time, so that writing it never holds a
        second copy of the model (uncompressed) in memory."""
        out = [MAGIC]
        packer = zlib.compressobj(3)
        vocab = sorted(self._vocab.items(), key=lambda kv: kv[1])
        header = {
            "format": FORMAT,
            "vocab": [w for w, _ in vocab],
            "df": self._df.tobytes(),
            "sdf": self._sdf.tobytes(),
            "nsent": self._nsent,
            "stories": {sid: list(m) for sid, m in self._members.items()},
            "extra_outlets": {k: list(v) for k, v in self._extra_outlets.items()},
            "docs": len(self._docs),
        }
        out.append(packer.compress(pickle.dumps(header, protocol=4)))
        del vocab, header
        batch = []
        for d in self._docs.values():
            batch.append(d.to_data())
            if len(batch) == _DOCS_PER_PICKLE:
                out.append(packer.compress(pickle.dumps(batch, protocol=4)))
                batch = []
        if batch:
            out.append(packer.compress(pickle.dumps(batch, protocol=4)))
        out.append(packer.flush())
        return b"".join(out)

    @classmethod
    def from_bytes(cls, blob: bytes) -> "StoryModel":
        header, batches = _read_stream(blob)
        m = cls()
        m._extra_outlets = {k: tuple(v) for k, v in header["extra_outlets"].items()}
        m._lex = Lexicon(m._extra_outlets)
        m._vocab = {w: i for i, w in enumerate(header["vocab"])}
        m._isnum = bytearray(w[:1] == "#" for w in header["vocab"])
        m._df = array("I"); m._df.frombytes(header["df"])
        m._sdf = array("I"); m._sdf.frombytes(header["sdf"])
        m._nsent = header["nsent"]
        try:
            for batch in batches:
                for t in batch:
                    d = _Doc.from_data(t)
                    m._docs[d.doc_id] = d
                    if d.outlet:
                        m._lex.add_outlet(d.outlet)
                        m._by_outlet[squash(d.outlet)].add(d.doc_id)
        except StoryFormatError:
            raise
        except Exception as e:  # noqa: BLE001 - any corruption is one error for the caller
            raise StoryFormatError(f"corrupt stories model: {e}") from e
        if len(m._docs) != header["docs"]:
            raise StoryFormatError(f"corrupt stories model: {len(m._docs)} documents of {header['docs']}")
        m._post_docs(list(m._docs.values()))
        for k in list(m._by_outlet):
            m._recompute_boiler(k)
        for sid, mem in header["stories"].items():
            m._members[sid] = list(mem)
            for x in mem:
                m._story_of[x] = sid
        return m


MAGIC = b"SKST3"
_POST_BLOCK = 8192  # documents posted at a time (numpy arrays of ~1M entries)
_DOCS_PER_PICKLE = 1024


def read_payload(blob: bytes) -> dict:
    """Everything a stored model holds, as one dict of builtins (the header's fields, and
    "docs": every document's data in order): what tests and benchmarks compare."""
    header, batches = _read_stream(blob)
    return {**header, "docs": [t for batch in batches for t in batch]}


def _read_stream(blob: bytes) -> tuple[dict, Iterator[list]]:
    """The header of a stored model and an iterator of its batches of documents, decompressed
    and unpickled as they are read."""
    if not blob.startswith(MAGIC):
        raise StoryFormatError("not a stories model (bad magic)")
    stream = io.BufferedReader(_Inflating(memoryview(blob)[len(MAGIC):]), 1 << 16)
    try:
        header = _SafeUnpickler(stream).load()
    except Exception as e:  # noqa: BLE001 - any corruption is one error for the caller
        raise StoryFormatError(f"corrupt stories model: {e}") from e
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        found = header.get("format") if isinstance(header, dict) else None
        raise StoryFormatError(f"unsupported stories model format {found!r}")

    def batches() -> Iterator[list]:
        left = header["docs"]
        while left > 0:
            try:
                # one unpickler per pickle: one for the whole stream would keep every batch in its memo
                batch = _SafeUnpickler(stream).load()
            except Exception as e:  # noqa: BLE001
                raise StoryFormatError(f"corrupt stories model: {e}") from e
            if not isinstance(batch, list) or not batch:
                raise StoryFormatError("corrupt stories model: a batch of documents is not a list")
            left -= len(batch)
            yield batch
    return header, batches()


class _Inflating(io.RawIOBase):
    """A zlib stream read as a file, decompressed a piece at a time."""

    def __init__(self, data: memoryview) -> None:
        self._data = data
        self._at = 0
        self._inflate = zlib.decompressobj()
        self._out = b""
        self._out_at = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self._out_at >= len(self._out):
            if self._at >= len(self._data):
                self._out, self._out_at = self._inflate.flush(), 0
                if not self._out:
                    return 0
                break
            piece = self._data[self._at:self._at + (1 << 16)]
            self._at += len(piece)
            self._out, self._out_at = self._inflate.decompress(piece), 0
        n = min(len(buffer), len(self._out) - self._out_at)
        buffer[:n] = self._out[self._out_at:self._out_at + n]
        self._out_at += n
        return n


class _SafeUnpickler(pickle.Unpickler):
    """Builtins only: the persisted model never references a class."""

    def find_class(self, module, name):
        raise pickle.UnpicklingError(f"class {module}.{name} not allowed in a stories model")


def _order_ratio(x, y) -> float:
    """Similarity of two token sequences in order (difflib's ratio: 2 * matched / total)."""
    if not x or not y:
        return 0.0
    if x == y:
        return 1.0
    from difflib import SequenceMatcher
    return SequenceMatcher(None, list(x), list(y), autojunk=False).ratio()


def _ordered_chain(pairs: list) -> list:
    """The longest run of matched sentence pairs in the same order in both texts (strictly
    increasing on both sides; pairs sorted by their first index): a longest increasing
    subsequence, O(n log n)."""
    from bisect import bisect_left
    tails: list[int] = []       # smallest j ending a chain of each length
    ends: list[int] = []        # index in pairs of that end
    back = [-1] * len(pairs)
    for k, (i, j, _) in enumerate(pairs):
        if k and pairs[k - 1][0] == i:
            continue  # one pair per sentence of the first text
        n = bisect_left(tails, j)
        back[k] = ends[n - 1] if n else -1
        if n == len(tails):
            tails.append(j)
            ends.append(k)
        else:
            tails[n], ends[n] = j, k
    out = []
    k = ends[-1] if ends else -1
    while k >= 0:
        out.append(pairs[k])
        k = back[k]
    return out[::-1]


def _copy_weight(ratio: float) -> float:
    """How much of a copy two matched sentences are, from their order ratio: nothing under
    COPY_RATIO (the same facts in other words), fully from COPY_FULL, linearly between (a
    copy keeps most words in order; a reworded report of the same facts keeps some)."""
    if ratio < COPY_RATIO:
        return 0.0
    if ratio >= COPY_FULL or COPY_FULL <= COPY_RATIO:
        return 1.0
    return (ratio - COPY_RATIO) / (COPY_FULL - COPY_RATIO)


def build_stories(docs: Iterable[StoryInput], outlets: dict[str, Iterable[str]] | None = None,
                  known_outlets: Iterable[str] = ()) -> StoryModel:
    """Stories of a whole corpus (a list, or a one-pass iterable to save memory).

    outlets: extra {canonical name: aliases} for credit recognition; known_outlets: names of
    the corpus's publishing outlets when `docs` is a stream (a list is scanned for them)."""
    m = StoryModel._knowing(outlets, known_outlets)
    ids = m._add_docs(docs)
    m._assign(m._cluster(ids, release=True), {})
    return m
