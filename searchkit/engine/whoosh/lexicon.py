"""A field's words in memory, for did-you-mean: the terms that start with one letter, with
their document frequencies, read in one piece per segment and kept per reader.

Whoosh finds the words within an edit distance (``reader.terms_within``) by walking a
Levenshtein automaton over its on-disk word list: every step is a binary search of the
terms file with a seek and a read per probe, about 170 probes a word, 1-2 ms each on a
20,000-article index (a one-shot query with no match spent 265 ms there), and building the
automaton alone took 3-5 ms a word. Here the letter's terms are a sorted Python list, walked
as a trie with the edit-distance table (:meth:`LetterWords.within`: the same terms, no
automaton to build), and the list is made by reading the letter's stretch of the terms file
at once and cutting it into records (about 1 us a term, where Whoosh's own ``lexicon()``
takes 17). A letter is read when first asked,
so a one-shot query reads only its words' letters; a long-lived process keeps them until
the index changes (a new reader).

Reads W3's terms file layout (``W3TermsReader``: an ordered hash file of ``field number +
term`` keys, each value a ``W3TermInfo`` whose document frequency is at byte 5); any other
reader falls back to Whoosh's public calls. Whoosh is pinned (pyproject.toml).
"""

from __future__ import annotations

import struct
from bisect import bisect_left
from collections.abc import Callable, Iterator

from .internals import per_searcher, terms_table

_FIELD_NUMBER = struct.Struct("!H")
_LENGTHS = struct.Struct("!ii")  # OrderedHashReader: key length, value length
_DOC_FREQ = struct.Struct("!I")  # W3TermInfo: flags (B), total weight (f), doc frequency (I)
_DOC_FREQ_AT = 5

#: Did-you-mean walks a letter's terms by bands of document frequency, each from its floor
#: here to the floor before it, the most frequent first (:meth:`LetterWords.most_frequent_within`).
BANDS = (5000, 500, 50, 6, 1)


class LetterWords:
    """The terms of one field that start with one letter, sorted, and how many documents
    hold each (summed over segments)."""

    __slots__ = ("terms", "freqs", "_bands")

    def __init__(self, terms: list[str], freqs: list[int]) -> None:
        self.terms = terms
        self.freqs = freqs
        self._bands: dict[int, LetterWords] | None = None

    def freq(self, term: str) -> int:
        i = bisect_left(self.terms, term)
        return self.freqs[i] if i < len(self.terms) and self.terms[i] == term else 0

    def band(self, floor: int) -> LetterWords:
        """The terms held by at least ``floor`` documents (one of :data:`BANDS`) and by
        fewer than the band above asks, in order; each band made when first walked (a
        one-shot query walks the top bands of the letters it needs, and no more)."""
        if self._bands is None:
            self._bands = {}
        found = self._bands.get(floor)
        if found is None:
            above = BANDS.index(floor)
            ceiling = BANDS[above - 1] if above else 1 << 62
            kept = [(term, freq) for term, freq in zip(self.terms, self.freqs) if floor <= freq < ceiling]
            found = self._bands[floor] = LetterWords([term for term, _ in kept], [freq for _, freq in kept])
        return found

    def most_frequent_within(self, term: str, maxdist: int, least: int,
                             accept: Callable[[str], bool], prefix: int = 1) -> tuple[str, int] | None:
        """The term held by most documents, and by at least ``least``, among those within
        ``maxdist`` edits of ``term`` (as :meth:`within`) that ``accept`` takes; the first in
        sorted order of those held by as many; None if there is none.

        The terms are walked by bands of document frequency, the most frequent first
        (:data:`BANDS`), and the walk stops after the first band that has a candidate: the
        bands below hold only rarer terms. Most of a letter's terms are rare (names, numbers,
        the collection's own typos), and a typo of a common word finds it in a short list.
        The answer is the one a walk of every term gives."""
        best, best_freq = None, least - 1
        ceiling = None
        for floor in BANDS:
            if ceiling is not None and ceiling <= least:
                break  # this band's terms are all held by fewer than least
            ceiling = floor
            for candidate, freq in self.band(floor).within(term, maxdist, prefix):
                if freq > best_freq and accept(candidate):
                    best, best_freq = candidate, freq
            if best is not None:
                return best, best_freq
        return None

    def within(self, term: str, maxdist: int, prefix: int = 1) -> Iterator[tuple[str, int]]:
        """(term, document frequency) of every term within ``maxdist`` edits (Levenshtein)
        of ``term`` that shares its first ``prefix`` characters, in sorted order: the terms
        Whoosh's ``terms_within`` finds with its automaton.

        The sorted list is walked as a trie: the rows of the edit-distance table are kept
        for the prefix a term shares with the one before, and a prefix whose row is already
        beyond ``maxdist`` everywhere skips every term that starts with it (one bisect).
        Only the cells within ``maxdist`` of the diagonal are computed (Ukkonen's band: a
        cell further off is beyond ``maxdist``, and so is any cell reached through it); the
        others hold ``maxdist + 1``."""
        terms, size = self.terms, len(self.terms)
        head, rest = term[:prefix], term[prefix:]
        n = len(rest)
        beyond = maxdist + 1
        rows = [[j if j <= maxdist else beyond for j in range(n + 1)]]  # rows[d]: after d letters of the path
        path = ""
        i = bisect_left(terms, head)
        while i < size:
            candidate = terms[i]
            if not candidate.startswith(head):
                return
            suffix = candidate[prefix:]
            shared, most = 0, min(len(path), len(suffix))
            while shared < most and path[shared] == suffix[shared]:
                shared += 1
            del rows[shared + 1:]
            path = suffix[:shared]
            dead_end = -1
            for depth in range(shared, len(suffix)):
                letter = suffix[depth]
                above = rows[-1]
                row = [beyond] * (n + 1)
                low, high = depth + 1 - maxdist, min(n, depth + 1 + maxdist)
                if low <= 0:
                    row[0] = left = depth + 1
                    low = 1
                else:
                    left = beyond
                best = left
                for j in range(low, high + 1):
                    cost = above[j - 1] + (rest[j - 1] != letter)
                    if above[j] < cost:
                        cost = above[j] + 1
                    if left < cost:
                        cost = left + 1
                    row[j] = left = cost
                    if cost < best:
                        best = cost
                rows.append(row)
                path += letter
                if best > maxdist:
                    dead_end = depth
                    break
            if dead_end >= 0:  # nothing that starts so can come within maxdist
                i = bisect_left(terms, head + suffix[: dead_end + 1] + "\U0010ffff", i + 1)
                continue
            if rows[-1][n] <= maxdist:
                yield candidate, self.freqs[i]
            i += 1


class FieldWords:
    """A reader's words of one field, letter by letter as they are asked for."""

    def __init__(self, reader, fieldname: str) -> None:
        self.reader = reader
        self.fieldname = fieldname
        self._letters: dict[str, LetterWords] = {}

    def letter(self, first: str) -> LetterWords:
        found = self._letters.get(first)
        if found is None:
            found = self._letters[first] = self._read(first)
        return found

    def freq(self, term: str) -> int:
        return self.letter(term[:1]).freq(term) if term else 0

    def _read(self, first: str) -> LetterWords:
        leaves = [leaf for leaf, _ in self.reader.leaf_readers()] if hasattr(self.reader, "leaf_readers") \
            else [self.reader]
        parts = [_segment_letter(leaf, self.fieldname, first) for leaf in leaves]
        parts = [p for p in parts if p[0]]
        if len(parts) == 1:
            return LetterWords(*parts[0])
        merged: dict[str, int] = {}
        for terms, freqs in parts:
            for term, freq in zip(terms, freqs):
                merged[term] = merged.get(term, 0) + freq
        ordered = sorted(merged)
        return LetterWords(ordered, [merged[t] for t in ordered])


def field_words(reader, fieldname: str = "body") -> FieldWords:
    """The reader's :class:`FieldWords` of ``fieldname``, made once per reader."""
    return per_searcher(reader, _by_field).setdefault(fieldname, FieldWords(reader, fieldname))


def _by_field(reader) -> dict[str, FieldWords]:
    return {}


def _segment_letter(leaf, fieldname: str, first: str) -> tuple[list[str], list[int]]:
    """(terms, document frequencies) of one segment's terms of ``fieldname`` starting with
    ``first``, sorted."""
    found = terms_table(leaf)
    if found is None:
        return _segment_letter_slowly(leaf, fieldname, first)
    table, fieldmap = found
    if fieldname not in fieldmap:
        return [], []
    start_key = _FIELD_NUMBER.pack(fieldmap[fieldname]) + first.encode("utf-8")
    end_key = start_key[:-1] + bytes([start_key[-1] + 1]) if start_key[-1] < 255 \
        else _FIELD_NUMBER.pack(fieldmap[fieldname] + 1)
    start = table.closest_key_pos(start_key)
    if start is None:
        return [], []
    end = table.closest_key_pos(end_key)
    if end is None:
        end = table.endofdata
    data = table.dbfile.get(start, end - start)
    terms: list[str] = []
    freqs: list[int] = []
    add_term, add_freq = terms.append, freqs.append
    lengths, doc_freq = _LENGTHS.unpack_from, _DOC_FREQ.unpack_from
    pos, size = 0, len(data)
    while pos < size:
        keylen, datalen = lengths(data, pos)
        key = pos + 8
        value = key + keylen
        add_term(data[key + 2 : value].decode("utf-8"))
        add_freq(doc_freq(data, value + _DOC_FREQ_AT)[0])
        pos = value + datalen
    return terms, freqs


def _segment_letter_slowly(leaf, fieldname: str, first: str) -> tuple[list[str], list[int]]:
    terms = [t.decode("utf-8") if isinstance(t, bytes) else t for t in leaf.expand_prefix(fieldname, first)]
    return terms, [leaf.doc_frequency(fieldname, t) for t in terms]
