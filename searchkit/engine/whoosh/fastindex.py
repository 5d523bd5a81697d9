"""Indexing text fields in one pass instead of through Whoosh's analyzer chain.

Whoosh analyses a text field through a chain of generators (tokenizer, lowercase, stop words,
stemmer) that hand one mutable Token along per word, then groups the tokens by term: nearly
half of a full build. :class:`AnalyzedText` is a TEXT field whose ``index()`` does the analysis
of :func:`searchkit.analysis.text_analyzer` in one loop, with a cache from a word as written to
its term, and produces the same terms, positions and character offsets. Queries and
highlighting still use the field's analyzer chain, so they see exactly what they saw before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pickle import dumps
from typing import Any

from whoosh import fields, formats
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.analysis.filters import STOP_WORDS
from whoosh.system import pack_uint

from .analysis import TOKEN_PATTERN, SnowballStemFilter, stem, text_analyzer

_STOP_WORDS = frozenset(STOP_WORDS)
_FIND_ALL_WORDS = re.compile(TOKEN_PATTERN).findall

#: Word as written in the text -> its term as UTF-8 bytes, or None for a stop word. Emptied
#: when full: news text repeats common words, and a cache of every rare name costs memory.
_TERM_OF: dict[str, bytes | None] = {}
_TERM_CACHE_LIMIT = 200_000
#: The stemmer without the query side's cache in front of it: _TERM_OF already caches.
_stem = stem.__wrapped__
_MISSING = b"\0missing"


def _term_bytes(word: str) -> bytes | None:
    """The indexed term of a word as written (None for a stop word): the analyzer chain's result."""
    term = _TERM_OF.get(word, _MISSING)
    if term is not _MISSING:
        return term
    text = word.lower()
    if text in _STOP_WORDS:
        term = None
    else:
        if "\u2019" in text:
            text = text.replace("\u2019", "'")
        term = (text if "." in text else _stem(text)).encode("utf-8")
    if len(_TERM_OF) >= _TERM_CACHE_LIMIT:
        _TERM_OF.clear()
    _TERM_OF[word] = term
    return term


class AnalyzedText(fields.TEXT):
    """A TEXT field analysed by :func:`~searchkit.analysis.text_analyzer`, indexed in one pass.

    Writes exactly the postings a plain TEXT field with that analyzer writes (the formats are
    Whoosh's own ``Positions`` and ``Characters``), so readers cannot tell the difference.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(analyzer=text_analyzer(), **kwargs)

    def index(self, value, **kwargs):
        fmt = type(self.format)
        if (kwargs or not isinstance(value, str) or fmt not in (formats.Characters, formats.Positions)
                or not mirrors(self.analyzer)):
            return super().index(value, **kwargs)
        boost = float(self.format.field_boost)
        if fmt is formats.Characters:
            return _character_postings(value, boost)
        return _position_postings(value, boost)


def mirrors(analyzer) -> bool:
    """Whether the one-pass analysis here does what ``analyzer`` does, step by step.

    A changed :func:`~searchkit.analysis.text_analyzer` makes :class:`AnalyzedText` fall back
    to it (slower, never different) until this module learns the change.
    """
    steps: Any = getattr(analyzer, "items", ())  # a Whoosh CompositeAnalyzer's filters
    return (
        len(steps) == 4
        and type(steps[0]) is RegexTokenizer and steps[0].expression.pattern == TOKEN_PATTERN
        and not steps[0].gaps
        and type(steps[1]) is LowercaseFilter
        and type(steps[2]) is StopFilter and steps[2].stops == _STOP_WORDS
        and steps[2].min <= 1 and steps[2].max is None and not steps[2].renumber
        and type(steps[3]) is SnowballStemFilter
    )


#: Told (characters done, characters in all) after each chunk of a long text; set by the
#: engine's writer for the build's progress bar (``_Writer.on_progress``).
long_text_progress: Callable[[int, int], None] | None = None
#: Texts longer than this (characters) are indexed by :func:`_character_postings_lean`.
LARGE_TEXT = 1 << 20
_LARGE_CHUNK = 1 << 20
_WHITE_SPACE = re.compile(r"\s")


def _character_postings(text: str, boost: float) -> list[tuple[bytes, int, float, bytes]]:
    """(term bytes, frequency, weight, Characters-encoded value) for each term of ``text``."""
    if len(text) > LARGE_TEXT:
        return _character_postings_lean(text, boost)
    term_cache = _TERM_OF
    missing = _MISSING
    find = text.find
    end = 0
    occurrences: dict[bytes, list[tuple[int, int, int]]] = {}
    # findall and str.find instead of match objects (the hottest loop of a build): a word
    # starts at the first word character after the previous word, as whatever lies between
    # has none, so finding its text from the previous end finds the match itself.
    for pos, word in enumerate(_FIND_ALL_WORDS(text)):
        start = find(word, end)
        end = start + len(word)
        term = term_cache.get(word, missing)
        if term is missing:
            term = _term_bytes(word)
        if term is None:
            continue
        found = occurrences.get(term)
        if found is None:
            occurrences[term] = [(pos, start, end)]
        else:
            found.append((pos, start, end))
    out = []
    once = pack_uint(1)
    for term, places in occurrences.items():
        # Whoosh's Characters encoding: deltas of position, of start from the previous end,
        # and the length.
        if len(places) == 1:  # most terms of an article
            pos, start, end = places[0]
            out.append((term, 1, boost, once + dumps([(pos, start, end - start)], 2)))
            continue
        deltas = []
        last_pos = last_end = 0
        for pos, start, end in places:
            deltas.append((pos - last_pos, start - last_end, end - start))
            last_pos, last_end = pos, end
        freq = len(places)
        out.append((term, freq, freq * boost, pack_uint(freq) + dumps(deltas, 2)))
    return out


def _character_postings_lean(text: str, boost: float) -> list[tuple[bytes, int, float, bytes]]:
    """:func:`_character_postings` for a long text (a 45 MB article), in memory proportional
    to the text rather than to its words as Python objects.

    The words are found a chunk of about a megabyte at a time (cut at white space, which no
    word contains), and each term's occurrences kept as flat machine integers: 12 bytes per
    word instead of a list of every word and a tuple of three ints per occurrence (about
    20 times the text). The encoded postings are byte for byte those of the short path.
    """
    from array import array

    term_cache = _TERM_OF
    missing = _MISSING
    find = text.find
    occurrences: dict[bytes, array] = {}
    size = len(text)
    typecode = "i" if size < 2**31 - 1 else "q"  # offsets fit 4 bytes below 2 G characters
    pos = 0
    chunk_start = 0
    while chunk_start < size:
        cut = size
        if chunk_start + _LARGE_CHUNK < size:
            space = _WHITE_SPACE.search(text, chunk_start + _LARGE_CHUNK)
            cut = space.start() if space is not None else size
        end = chunk_start
        for word in _FIND_ALL_WORDS(text, chunk_start, cut):
            start = find(word, end)
            end = start + len(word)
            term = term_cache.get(word, missing)
            if term is missing:
                term = _term_bytes(word)
            if term is not None:
                found = occurrences.get(term)
                if found is None:
                    found = occurrences[term] = array(typecode)
                found.append(pos)
                found.append(start)
                found.append(end)
            pos += 1
        chunk_start = cut
        if long_text_progress is not None:
            long_text_progress(cut, size)
    out = []
    once = pack_uint(1)
    for term in list(occurrences):
        flat = occurrences.pop(term)  # freed term by term as the encoded values are made
        if len(flat) == 3:
            out.append((term, 1, boost, once + dumps([(flat[0], flat[1], flat[2] - flat[1])], 2)))
            continue
        deltas = []
        last_pos = last_end = 0
        for i in range(0, len(flat), 3):
            p, start, end = flat[i], flat[i + 1], flat[i + 2]
            deltas.append((p - last_pos, start - last_end, end - start))
            last_pos, last_end = p, end
        freq = len(flat) // 3
        out.append((term, freq, freq * boost, pack_uint(freq) + dumps(deltas, 2)))
    return out


def _position_postings(text: str, boost: float) -> list[tuple[bytes, int, float, bytes]]:
    """(term bytes, frequency, weight, Positions-encoded value) for each term of ``text``."""
    occurrences: dict[bytes, list[int]] = {}
    for pos, word in enumerate(_FIND_ALL_WORDS(text)):
        term = _term_bytes(word)
        if term is not None:
            occurrences.setdefault(term, []).append(pos)
    out = []
    for term, places in occurrences.items():
        deltas = [b - a for a, b in zip([0] + places, places)]
        freq = len(places)
        out.append((term, freq, freq * boost, pack_uint(freq) + dumps(deltas, 2)))
    return out
