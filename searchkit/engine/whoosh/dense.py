"""Queries computed with numpy over the W4 codec's packed postings.

The same answers as :mod:`~searchkit.engine.whoosh.docsets` (match sets),
:mod:`~searchkit.engine.whoosh.bulkscore` (BM25F of plain word queries) and
:mod:`~searchkit.engine.whoosh.facets`, computed on arrays instead of Python sets and loops:

- a query's matches are a dense boolean mask over the searcher's document numbers, built per
  segment from each term's document ids (``np.frombuffer`` over the record, no decoding), and
  combined with ``&``, ``|`` and ``~``; the total is a count of the mask;
- phrases intersect their words' documents first, then compare positions on those
  candidates only: each occurrence becomes the key ``document << 32 | position - offset``,
  and the phrase occurs where every word has the same key;
- BM25F sums into a dense float64 accumulator with Whoosh's idf, quantised field lengths,
  boosts and float32 weights, in the same order of operations as Whoosh, so the scores are
  the same to the last bit; the top k is taken with ``np.partition``, ties to the lower
  document number as in Whoosh;
- outlet and day facets are ``np.bincount`` over columns read once per searcher, and date
  sorting a partition of the day column;
- a search of a few given articles (``within``: a collapsed page, a story's versions) looks
  each one up by binary search instead of computing every match.

The records are read from the postings file with ``os.pread`` (:func:`_read_postings`), a
large one section by section as a search uses them, and only the snippets' documents' share
of its character offsets; never from a memory map, which a file cut short under it turns into
a SIGBUS. Segments not written by the W4 codec, and :func:`disabled`, keep the set path; so
does a process that has not imported numpy for a query that reads little
(``search.match_sets``). The tests compare the two paths on the same index.
"""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Iterator
from typing import Any

import numpy as np
from whoosh import query as wq
from whoosh.reading import TermNotFound

from . import internals
from .bulkscore import bm25_words, length_norms
from .codec import PackedRecord, PostingsFile, W4Codec, read_record
from .facets import FacetColumns
from .queries import GappedPhrase, phrase_occurs
from .querywalk import segment_matches, with_phrases_replaced

_enabled = True


@contextlib.contextmanager
def disabled() -> Iterator[None]:
    """Searches inside take the set path (docsets and bulkscore), as before W4."""
    global _enabled
    before, _enabled = _enabled, False
    try:
        yield
    finally:
        _enabled = before


def usable(searcher) -> bool:
    """Whether every segment of ``searcher`` has packed postings (and the path is on)."""
    if not _enabled:
        return False
    readers = [leaf.reader() for leaf, _ in searcher.leaf_searchers()]
    return bool(readers) and all(isinstance(internals.segment_codec(r), W4Codec) for r in readers)


_EMPTY = np.zeros(0, dtype=np.int64)
_MISSING = object()
#: Terms kept per segment reader across searches, up to this many, and while what they read
#: of the postings file stays under ``_TERM_CACHE_BYTES``.
_TERM_CACHE_SIZE = 4096
_TERM_CACHE_BYTES = 32 << 20


def _read_postings(reader, terminfo) -> PackedRecord:
    """The term's record, read from the segment's postings file with ``os.pread`` (a large
    record section by section, as a search uses them: :class:`~.codec.PostingsFile`, which
    says why it is never memory-mapped)."""
    postings = _postings_file(reader)
    if postings is None:
        return read_record(internals.postings_file(reader), terminfo)
    return postings.record(terminfo)


def _postings_file(reader) -> PostingsFile | None:
    """The segment's :class:`~.codec.PostingsFile`, kept per reader; None when the postings
    are not a plain file (a compound segment, an index in memory)."""
    cache = internals.object_cache(reader, "postings")
    found = cache.get("file", _MISSING)
    if found is _MISSING:
        found = None
        fileno = getattr(getattr(internals.postings_file(reader), "file", None), "fileno", None)
        if fileno is not None:
            try:
                found = PostingsFile(fileno())
            except (OSError, ValueError, io.UnsupportedOperation):
                found = None
        cache["file"] = found
    return found


class TermArrays:
    """One term's postings in one segment, as numpy arrays viewing its record."""

    __slots__ = ("record", "docs", "_weights", "_firsts", "_counts")

    def __init__(self, record: PackedRecord) -> None:
        self.record = record
        self.docs = record.numpy("docs")
        self._weights: Any = None
        self._firsts: Any = None
        self._counts: Any = None

    def weights_at(self, at: Any) -> Any:
        """The weights of postings ``at`` as float64 (exactly the float32 values W3 stored)."""
        if self._weights is None:
            self._weights = self.record.numpy("weights") if self.record.has("weights") else False
        if self._weights is False:
            return np.ones(len(at), dtype=np.float64)
        return self._weights[at].astype(np.float64)

    def has_positions(self) -> bool:
        return self.record.has("positions")

    def counts(self) -> Any:
        if self._counts is None:
            self._counts = self.record.numpy("counts")
        return self._counts

    def keys(self, candidates: Any, offset: int) -> Any:
        """``document << 32 | position - offset`` of every occurrence in the documents
        ``candidates`` (sorted segment numbers, each in ``docs``), ascending. When the candidates are most of the term's documents, all its
        occurrences are keyed (selecting them would cost more than the extra keys, which the
        intersection drops); else only theirs, gathered by each one's first occurrence."""
        docs, counts = self.docs, self.counts()
        positions = self.record.numpy("positions")
        if 2 * len(candidates) >= len(docs):
            owners = np.repeat(docs, counts)
        else:  # gather the candidates' occurrences alone
            positions, owner = self.occurrences(np.searchsorted(docs, candidates))
            owners = candidates[owner]
        keys = (owners.astype(np.int64) << 32) | positions
        if offset:
            keys = keys[positions >= offset] - offset
        return keys

    def occurrences(self, index: Any, section: str = "positions") -> tuple[Any, Any]:
        """For postings ``index`` (sorted positions in ``docs``): the values of ``section``
        of all their occurrences, flat, and which of ``index`` each belongs to."""
        flat, owner = self.occurrence_index(index)
        return (self.record.take(section, flat) if len(flat) else _EMPTY), owner

    def occurrence_index(self, index: Any) -> tuple[Any, Any]:
        """Where the occurrences of postings ``index`` are in the occurrence sections, and
        which of ``index`` each belongs to."""
        if self._firsts is None:
            self._firsts = np.concatenate(([0], np.cumsum(self.counts(), dtype=np.int64)))
        counts = self.counts()[index].astype(np.int64)
        firsts = self._firsts[index]
        total = int(counts.sum())
        if not total:
            return _EMPTY, _EMPTY
        owner = np.repeat(np.arange(len(index)), counts)
        starts = np.cumsum(counts) - counts  # where each posting's run begins in the output
        return np.arange(total) + (firsts - starts)[owner], owner


class DenseSearch:
    """What one search reads and computes on arrays; the same interface as
    :class:`SetSearch` (the set path), over boolean masks instead of sets."""

    reads_any_word = True  # snippets may ask for any word's characters: reading is cheap
    path = "numpy"

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self.leaves = []
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            self.leaves.append((leaf, reader, offset, reader.doc_count_all()))
        self.size = searcher.doc_count_all()
        self._phrases: dict[tuple, Any] = {}

    # ----------------------------------------------------------------------------------------
    # Reading

    def term(self, reader, fieldname: str, text: str | bytes) -> TermArrays | None:
        """The term's packed postings in the segment, or None; kept per segment reader
        across searches (what they read of the file, within a budget of bytes)."""
        cache = internals.object_cache(reader, "terms")
        found = cache.get((fieldname, text), _MISSING)
        if found is _MISSING:
            found = None
            schema = reader.schema
            if fieldname in schema:
                btext = schema[fieldname].to_bytes(text) if isinstance(text, str) else text
                try:
                    terminfo = internals.term_info(reader, fieldname, btext)
                except TermNotFound:
                    terminfo = None
                if terminfo is not None and not terminfo.is_inlined():
                    found = TermArrays(_read_postings(reader, terminfo))
            postings = _postings_file(reader)
            if len(cache) >= _TERM_CACHE_SIZE or (postings is not None and postings.bytes_read > _TERM_CACHE_BYTES):
                cache.clear()
                if postings is not None:
                    postings.bytes_read = 0
            cache[(fieldname, text)] = found
        return found

    # ----------------------------------------------------------------------------------------
    # Match sets

    def docs(self, query: wq.Query, within: Any = None) -> Any:
        """Mask of the live documents that match ``query``; with ``within`` (sorted global
        document numbers, a page's worth), of those of them only, each looked up in the
        terms' postings instead of every posting read."""
        if within is not None:
            return self._docs_within(query, np.asarray(within, dtype=np.int64))
        if not self.leaves:
            return np.zeros(0, dtype=bool)
        parts = []
        for leaf, reader, _offset, size in self.leaves:
            local = segment_matches(MaskAlgebra(self, leaf, reader, _Segment(size)), query)
            live = _live_mask(reader, size)
            parts.append(local if live is None else local & live)
        return np.concatenate(parts) if len(parts) != 1 else parts[0]

    def _docs_within(self, query: wq.Query, within: Any) -> Any:
        found = np.zeros(self.size, dtype=bool)
        for leaf, reader, offset, size in self.leaves:
            local = within[(within >= offset) & (within < offset + size)] - offset
            if not len(local):
                continue
            hit = segment_matches(MaskAlgebra(self, leaf, reader, _Among(local)), query)
            live = _live_mask(reader, size)
            if live is not None:
                hit &= live[local]
            found[local[hit] + offset] = True
        return found

    def _term_docs(self, reader, fieldname: str, text: str | bytes) -> Any:
        arrays = self.term(reader, fieldname, text)
        return arrays.docs if arrays is not None else _EMPTY

    def phrase_docs(self, reader, phrase: GappedPhrase) -> Any:
        """Sorted segment document numbers where ``phrase`` occurs (deleted ones included)."""
        key = (phrase._key(), id(reader))
        found = self._phrases.get(key)
        if found is None:
            found = self._phrases[key] = self._find_phrase(reader, phrase)
        return found

    def phrase_mask(self, reader, phrase: GappedPhrase, size: int) -> Any:
        """:meth:`phrase_docs` as a mask over the segment's documents."""
        key = (phrase._key(), id(reader), "mask")
        found = self._phrases.get(key)
        if found is None:
            found = self._phrases[key] = np.zeros(size, dtype=bool)
            found[self.phrase_docs(reader, phrase)] = True
        return found

    def _find_phrase(self, reader, phrase: GappedPhrase) -> Any:
        fieldname = phrase.fieldname
        if fieldname not in reader.schema or not reader.schema[fieldname].format.supports("positions"):
            return _EMPTY
        words = list(dict.fromkeys(phrase.words))
        arrays = {w: self.term(reader, fieldname, w) for w in words}
        if any(a is None or not a.has_positions() for a in arrays.values()):
            return _EMPTY
        candidates = None
        size = reader.doc_count_all()
        for w in sorted(words, key=lambda w: len(arrays[w].docs)):  # type: ignore[union-attr]
            docs = arrays[w].docs  # type: ignore[union-attr]
            if candidates is None:
                candidates = docs
                continue
            present = np.zeros(size, dtype=bool)  # a scatter and a gather: no binary search
            present[candidates] = True
            candidates = docs[present[docs]]
            if not len(candidates):
                return _EMPTY
        assert candidates is not None
        if phrase.near is not None:
            return self._near(phrase, arrays, candidates)
        # Every occurrence as the key document << 32 | position, less the word's offset in
        # the phrase for all but the first word (as phrase_occurs): the phrase starts where
        # every word has the same key. Keys come out sorted (documents ascending, positions
        # ascending within one), so intersections are binary searches, with no sorting.
        keys = None
        for i, (w, offset) in enumerate(sorted(zip(phrase.words, phrase.offsets),
                                               key=lambda wo: len(arrays[wo[0]].docs))):  # type: ignore[union-attr]
            word = arrays[w]
            assert word is not None
            first = phrase.offsets[0]
            these = word.keys(candidates, offset if (w, offset) != (phrase.words[0], first) else 0)
            keys = these if keys is None else _sorted_intersection(keys, these)
            if not len(keys):
                return _EMPTY
        assert keys is not None
        docs = keys >> 32
        return docs[np.concatenate(([True], docs[1:] != docs[:-1]))]

    def _near(self, phrase: GappedPhrase, arrays: dict, candidates: Any) -> Any:
        """NEAR: the windows are found per candidate with the set path's own function."""
        per_word: dict[str, list[list[int]]] = {}
        for w, word in arrays.items():
            index = np.searchsorted(word.docs, candidates)
            positions, owner = word.occurrences(index)
            split = np.searchsorted(owner, np.arange(len(candidates) + 1))
            flat = positions.tolist()
            per_word[w] = [flat[split[i]:split[i + 1]] for i in range(len(candidates))]
        found = [int(doc) for i, doc in enumerate(candidates.tolist())
                 if phrase_occurs(phrase, [per_word[w][i] for w in phrase.words])]
        return np.array(found, dtype=np.int64)

    # ----------------------------------------------------------------------------------------
    # Operations on match sets (the set path does the same on sets)

    def count(self, docs: Any) -> int:
        return int(np.count_nonzero(docs))

    def both(self, a: Any, b: Any) -> Any:
        return a & b

    def without(self, a: Any, b: Any) -> Any:
        return a & ~b

    def discard(self, docs: Any, docnum: int) -> Any:
        docs = docs.copy()
        docs[docnum] = False
        return docs

    def rank_query(self, q: wq.Query) -> wq.Query:
        """``q`` with each phrase replaced by its words where the phrase was found, for
        Whoosh's ranking (as :meth:`SearchPostings.rank_query`)."""
        from .docsets import _PhraseInSets

        sets = _PhraseSets(self)
        return with_phrases_replaced(q, lambda phrase: _PhraseInSets(phrase, sets))  # type: ignore[arg-type]  # the same phrase_docs

    def as_set(self, docs: Any) -> set[int]:
        """For Whoosh's collectors, which filter by a set."""
        return set(np.flatnonzero(docs).tolist())

    def numbers(self, docs: Any) -> list[int]:
        return np.flatnonzero(docs).tolist()

    def every(self) -> Any:
        """Mask of every live document."""
        parts = []
        for _leaf, reader, _offset, size in self.leaves:
            live = _live_mask(reader, size)
            parts.append(np.ones(size, dtype=bool) if live is None else live)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=bool)

    # ----------------------------------------------------------------------------------------
    # Ranking

    def top(self, terms: list, docs: Any, k: int) -> list[tuple[float, int]]:
        """The ``k`` best (score, document number) of ``docs``, best first, scored as
        Whoosh scores the OR of ``terms`` (see :func:`bulkscore.top_scored`)."""
        candidates = np.flatnonzero(docs)
        if not len(candidates) or k <= 0:
            return []
        scores = np.zeros(self.size, dtype=np.float64)
        by_segment: dict[int, Any] = {}  # the candidates of each segment, by its offset

        def found_in_segments(fieldname: str, text: str) -> list | None:
            found = [(reader, offset, size, self.term(reader, fieldname, text))
                     for _leaf, reader, offset, size in self.leaves]
            return None if all(arrays is None for *_, arrays in found) else found

        for fieldname, _text, boost, phrase, idf, params, found in bm25_words(self.searcher, terms, found_in_segments):
            norm = _norm_table(*params)
            for reader, offset, size, arrays in found:
                if arrays is None:
                    continue
                segment_candidates = by_segment.get(offset)
                if segment_candidates is None:
                    segment_candidates = by_segment[offset] = \
                        candidates[(candidates >= offset) & (candidates < offset + size)] - offset
                at = self._postings_among(reader, size, arrays, docs[offset:offset + size], segment_candidates, phrase)
                if not len(at):
                    continue
                picked = arrays.docs[at]
                tf = arrays.weights_at(at)
                # Whoosh's idf * ((tf * (K1 + 1)) / (tf + norm)), in place: the same
                # operations on the same values (+ and * commute exactly), fewer arrays.
                denominator = _segment_norms(reader, fieldname, size, norm)[picked]
                denominator += tf
                s = tf
                s *= params[0] + 1
                s /= denominator
                s *= idf
                if boost != 1.0:
                    s *= boost
                scores[offset:offset + size][picked] += s
        ranked = scores[candidates]
        if len(candidates) > k:
            kth = np.partition(ranked, len(ranked) - k)[len(ranked) - k]
            keep = np.flatnonzero(ranked >= kth)
            candidates, ranked = candidates[keep], ranked[keep]
        order = np.lexsort((candidates, -ranked))[:k]
        return [(float(ranked[i]), int(candidates[i])) for i in order]

    def _postings_among(self, reader, size: int, arrays: TermArrays, segment_docs: Any, segment_candidates: Any,
                        phrase: GappedPhrase | None) -> Any:
        """Which postings of the word (``arrays``) belong to the candidates (``segment_docs``
        as a mask, ``segment_candidates`` as sorted numbers): a page's worth looked up each,
        more by the mask; a phrase's words only where the phrase is."""
        local = arrays.docs
        if 64 * len(segment_candidates) < len(local):  # a page's worth: look each up
            at = np.searchsorted(local, segment_candidates)
            inside = at < len(local)
            at = at[inside]
            at = at[local[at] == segment_candidates[inside]]
            if phrase is not None:
                at = at[self.phrase_mask(reader, phrase, size)[local[at]]]
            return at
        chosen = segment_docs[local]
        if phrase is not None:
            chosen &= self.phrase_mask(reader, phrase, size)[local]
        return np.flatnonzero(chosen)

    def by_date(self, docs: Any, k: int, newest_first: bool) -> list[tuple[float, int]]:
        """The first ``k`` of ``docs`` by publication date, as Whoosh's sorted search orders
        them: newest or oldest first, undated last, ties to the lower document number;
        (sort key, document number) each."""
        candidates = np.flatnonzero(docs)
        if not len(candidates) or k <= 0:
            return []
        days = _facet_columns(self.searcher).days[candidates]
        keys = -days if newest_first else np.where(days == 0, 99999999, days)
        if len(candidates) > k:
            kth = np.partition(keys, k - 1)[k - 1]
            keep = np.flatnonzero(keys <= kth)
            candidates, keys = candidates[keep], keys[keep]
        order = np.lexsort((candidates, keys))[:k]
        return [(float(keys[i]), int(candidates[i])) for i in order]

    # ----------------------------------------------------------------------------------------
    # Snippets and facets

    def characters(self, fieldname: str, word: str, docnums: list[int]) -> dict[int, list[tuple[int, int, int]]]:
        """(position, start, end) of each occurrence of ``word`` in those of ``docnums``
        (global, sorted) that have it."""
        found: dict[int, list[tuple[int, int, int]]] = {}
        wanted = np.asarray(docnums, dtype=np.int64)
        for _leaf, reader, offset, size in self.leaves:
            local = wanted[(wanted >= offset) & (wanted < offset + size)] - offset
            if not len(local):
                continue
            arrays = self.term(reader, fieldname, word)
            if arrays is None or not arrays.record.has("starts"):
                continue
            index = np.searchsorted(arrays.docs, local)
            inside = index < len(arrays.docs)
            index = index[inside]
            index = index[arrays.docs[index] == local[inside]]
            if not len(index):
                continue
            flat, owner = arrays.occurrence_index(index)
            positions = arrays.record.take("positions", flat)
            starts = arrays.record.take("starts", flat)
            widths = arrays.record.take("widths", flat)
            docs = (arrays.docs[index].astype(np.int64) + offset)[owner]
            for doc, p, s, w in zip(docs.tolist(), positions.tolist(), starts.tolist(), widths.tolist()):
                found.setdefault(doc, []).append((p, s, s + w))
        return found

    def facets(self, docs: Any) -> tuple[dict[str, int], dict[int, int], dict[str, int]]:
        """How many of ``docs`` each outlet, each day (YYYYMMDD, 0 for undated) and each
        language ("" for unknown) has."""
        columns = _facet_columns(self.searcher)
        by_outlet = _count_codes(columns.outlet_codes[docs], columns.outlet_names)
        by_lang = _count_codes(columns.lang_codes[docs], columns.lang_names)
        by_day: dict[int, int] = {}
        counts = np.bincount(columns.day_codes[docs], minlength=len(columns.day_values))
        for code in np.flatnonzero(counts).tolist():
            by_day[columns.day_values[code]] = int(counts[code])
        return by_outlet, by_day, by_lang


def _count_codes(codes: Any, names: list[str]) -> dict[str, int]:
    counts = np.bincount(codes, minlength=len(names))
    return {names[code]: int(counts[code]) for code in np.flatnonzero(counts).tolist()}


class MaskAlgebra:
    """One segment's match sets as numpy boolean masks over ``space`` (the segment's
    documents, or some of them): the fast implementation of
    :class:`~searchkit.engine.whoosh.querywalk.MatchAlgebra`, tested against the sets'."""

    def __init__(self, search: DenseSearch, leaf, reader, space: "_Segment | _Among") -> None:
        self.search = search
        self.leaf = leaf
        self.reader = reader
        self.space = space

    def term(self, fieldname: str, text: str | bytes) -> Any:
        return self.space.of(self.search._term_docs(self.reader, fieldname, text))

    def phrase(self, phrase: GappedPhrase) -> Any:
        return self.space.of(self.search.phrase_docs(self.reader, phrase))

    def whoosh(self, q: wq.Query) -> Any:
        return self.space.of(np.sort(np.fromiter(q.docs(self.leaf), dtype=np.int64)))

    def none(self) -> Any:
        return self.space.none()

    def every(self) -> Any:
        return self.space.every()

    def add(self, into: Any, docs: Any) -> Any:
        into |= docs
        return into

    def both(self, a: Any, b: Any) -> Any:
        return a & b

    def without(self, a: Any, b: Any) -> Any:
        return a & ~b

    def is_empty(self, docs: Any) -> bool:
        return not docs.any()


class _Segment:
    """Every document of a segment, as the space a query's matches are a mask over."""

    def __init__(self, size: int) -> None:
        self.size = size

    def none(self) -> Any:
        return np.zeros(self.size, dtype=bool)

    def every(self) -> Any:
        return np.ones(self.size, dtype=bool)

    def of(self, docs: Any) -> Any:
        """The mask of ``docs`` (segment document numbers)."""
        mask = np.zeros(self.size, dtype=bool)
        mask[docs] = True
        return mask


class _Among:
    """Some documents of a segment (sorted numbers), each looked up by binary search."""

    def __init__(self, local: Any) -> None:
        self.local = local

    def none(self) -> Any:
        return np.zeros(len(self.local), dtype=bool)

    def every(self) -> Any:
        return np.ones(len(self.local), dtype=bool)

    def of(self, docs: Any) -> Any:
        """Which of the documents are in ``docs`` (sorted segment document numbers)."""
        return _member(self.local, docs)


class _PhraseSets:
    """A phrase's documents in a segment as a set, for Whoosh's FilterMatcher."""

    def __init__(self, search: DenseSearch) -> None:
        self.search = search
        self._sets: dict[tuple[tuple, int], set[int]] = {}

    def phrase_docs(self, reader, phrase: GappedPhrase) -> set[int]:
        key = (phrase._key(), id(reader))
        if key not in self._sets:
            self._sets[key] = set(self.search.phrase_docs(reader, phrase).tolist())
        return self._sets[key]


def _member(values: Any, sorted_set: Any) -> Any:
    """Which of ``values`` are in ``sorted_set`` (sorted, unique), by binary search."""
    if not len(sorted_set) or not len(values):
        return np.zeros(len(values), dtype=bool)
    at = np.searchsorted(sorted_set, values)
    at[at == len(sorted_set)] = 0
    return sorted_set[at] == values


def _sorted_intersection(a: Any, b: Any) -> Any:
    """The values in both of two sorted arrays of unique values, sorted: each value of the
    shorter looked up in the longer by binary search."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return a
    at = np.searchsorted(b, a)
    at[at == len(b)] = 0
    return a[b[at] == a]


def _live_mask(reader, size: int) -> Any:
    """The segment's documents that are not deleted, or None if none is."""
    cache = internals.object_cache(reader, "live")
    if "mask" not in cache:
        deleted = reader.deleted_docs_set if reader.has_deletions() else ()
        if deleted:
            mask = np.ones(size, dtype=bool)
            mask[np.fromiter(deleted, dtype=np.int64)] = False
            cache["mask"] = mask
        else:
            cache["mask"] = None
    return cache["mask"]


@functools.lru_cache(maxsize=256)
def _norm_table(k1: float, b: float, avgfl: float) -> Any:
    """:func:`bulkscore.length_norms` as a read-only array."""
    table = np.array(length_norms(k1, b, avgfl), dtype=np.float64)
    table.flags.writeable = False
    return table


def _segment_norms(reader, fieldname: str, size: int, norm: Any) -> Any:
    """BM25's length part for every document of the segment (``norm`` by length byte),
    kept per reader for the last table it was asked with."""
    cache = internals.object_cache(reader, "norms")
    found = cache.get(fieldname)
    if found is None or (found[0] is not norm and not np.array_equal(found[0], norm)):
        found = cache[fieldname] = (norm, norm[_length_bytes(reader, fieldname, size)])
    return found[1]


def _length_bytes(reader, fieldname: str, size: int) -> Any:
    cache = internals.object_cache(reader, "length_array")
    found = cache.get(fieldname)
    if found is None:
        raw = internals.field_length_bytes(reader, fieldname)
        found = cache[fieldname] = (np.frombuffer(bytes(raw), dtype=np.uint8) if raw is not None
                                    else np.zeros(size, dtype=np.uint8))
    return found


class _FacetCodes:
    """Outlet (as codes into names) and day of every document, by global document number,
    as arrays; from the columns the set path's facets read (:class:`facets.FacetColumns`)."""

    def __init__(self, searcher) -> None:
        columns = FacetColumns(searcher)
        code_of: dict[str, int] = {}
        # A segment written without the column gives None: counted as no outlet, as "".
        self.outlet_codes = np.array([code_of.setdefault(name or "", len(code_of)) for name in columns.outlet],
                                     dtype=np.int32)
        self.outlet_names: list[str] = list(code_of)
        lang_code_of: dict[str, int] = {}
        self.lang_codes = np.array([lang_code_of.setdefault(code or "", len(lang_code_of)) for code in columns.lang],
                                   dtype=np.int32)
        self.lang_names: list[str] = list(lang_code_of)
        day_code_of: dict[int, int] = {}
        self.day_codes = np.array([day_code_of.setdefault(day, len(day_code_of)) for day in columns.day],
                                  dtype=np.int32)
        self.day_values: list[int] = list(day_code_of)
        self.days = np.array(columns.day, dtype=np.int64)


def _facet_columns(searcher) -> _FacetCodes:
    return internals.per_searcher(searcher, _FacetCodes)
