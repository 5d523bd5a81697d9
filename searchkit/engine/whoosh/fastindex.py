"""Indexing text fields in one pass instead of through Whoosh's analyzer chain.

Whoosh analyses a text field through a chain of generators (tokenizer, lowercase, stop words,
stemmer) that hand one mutable Token along per word, then groups the tokens by term: nearly
half of a full build. :class:`AnalyzedText` is a TEXT field whose ``index()`` does the analysis
of :func:`searchkit.engine.whoosh.analysis.text_analyzer` in one loop, with a cache from a word as written to
its term, and produces the same terms, positions and character offsets. Queries and
highlighting still use the field's analyzer chain, so they see exactly what they saw before.

A document's language reaches the field as its value, a :class:`LangText` (a str that knows
its language): the one-pass analysis and the chain (``lang=`` passed to the analyzer) then
both give that language's tagged terms, from a cache of their own per language.
"""

from __future__ import annotations

import re
import struct
from array import array
from collections.abc import Callable
from typing import Any

from whoosh import fields, formats
from whoosh.system import pack_uint

from .analysis import (
    _CJK_START,
    TITLE_STOP,
    ANALYSED_LANGUAGES,
    TOKEN_PATTERN,
    NewsFilter,
    NewsTokenizer,
    cjk_bigrams,
    is_cjk,
    opens_sentence,
    text_analyzer,
    word_terms_in,
)
from .codec import little_endian_array, little_endian_bytes

_FIND_ALL_WORDS = re.compile(TOKEN_PATTERN).findall
_ONE_TRIPLE = struct.Struct("<III")

#: Word as written in the text -> what it indexes: None (a stop word), the term as UTF-8
#: bytes (most words), a tuple of terms at one position (exact and accent-folded), a list
#: of terms at successive positions (the bigrams of a CJK run), or a str: the term of a
#: capitalised stop word, indexed unless the word opens a sentence. Emptied when full: news text
#: repeats common words, and a cache of every rare name costs memory.
_TermCache = dict[str, bytes | tuple[bytes, ...] | list[bytes] | str | None]
_TERM_OF: _TermCache = {}
#: The same, for documents in each of the analysed languages (their own stemmer, tagged terms).
_TERM_OF_LANG: dict[str, _TermCache] = {}
_TERM_CACHE_LIMIT = 200_000
_MISSING = b"\0missing"


class LangText(str):
    """A text field's value that knows its document's language (``lang``, an ISO 639-1 code or
    None): :meth:`AnalyzedText.index` analyses it in that language. Pickles as a plain str,
    so a stored value never names this class."""

    __slots__ = ("lang",)
    lang: str | None

    def __new__(cls, text: str, lang: str | None) -> "LangText":
        self = super().__new__(cls, text)
        self.lang = lang
        return self

    def __reduce__(self):
        return (str, (str(self),))


def text_language(value: object) -> str | None:
    """The analysed language a field value is in (None: the default analysis)."""
    lang = getattr(value, "lang", None)
    return lang if lang in ANALYSED_LANGUAGES else None


def _term_cache(lang: str | None) -> _TermCache:
    if lang is None:
        return _TERM_OF
    cache = _TERM_OF_LANG.get(lang)
    if cache is None:
        cache = _TERM_OF_LANG[lang] = {}
    return cache


def _term_bytes(word: str, lang: str | None = None) -> bytes | tuple[bytes, ...] | list[bytes] | str | None:
    """What a word as written indexes (see _TERM_OF): the analyzer chain's result."""
    cache = _term_cache(lang)
    term = cache.get(word, _MISSING)
    if term is not _MISSING:
        return term
    if word[0] >= _CJK_START and is_cjk(word[0]):
        term = [g.encode("utf-8") for g in cjk_bigrams(word)]
    else:
        terms = word_terms_in(word, lang)
        if terms is None:
            term = None
        elif terms[0] == TITLE_STOP:
            term = terms[1]
        elif len(terms) == 1:
            term = terms[0].encode("utf-8")
        else:
            term = tuple(t.encode("utf-8") for t in terms)
    if len(cache) >= _TERM_CACHE_LIMIT:
        cache.clear()
    cache[word] = term
    return term


def _flat_bytes(count: int, flat: array) -> bytes:
    """A packed value: the occurrence count (Whoosh's 4-byte prefix, which its
    ``decode_frequency`` reads) and the flat uint32 numbers, little-endian."""
    return pack_uint(count) + little_endian_bytes(flat if flat.typecode == "I" else array("I", flat))


def _flat_numbers(value: bytes) -> array:
    return little_endian_array("I", value[4:])


class PackedCharacters(formats.Characters):
    """Whoosh's Characters format with each value a count and flat (position, start, end)
    uint32 triples instead of pickled deltas: the W4 codec copies them into its arrays
    without unpickling, and the one-pass indexer writes them without pickling."""

    flat_width = 3  #: numbers per occurrence (the codec reads this)

    def encode(self, poslist):
        flat = array("I")
        for pos, start, end in poslist:
            flat.append(pos)
            flat.append(start)
            flat.append(end)
        return _flat_bytes(len(poslist), flat)

    def decode_characters(self, valuestring):
        flat = _flat_numbers(valuestring)
        return list(zip(flat[0::3], flat[1::3], flat[2::3]))

    def decode_positions(self, valuestring):
        return list(_flat_numbers(valuestring)[0::3])

    def decode_position_boosts(self, valuestring):
        return [(pos, 1) for pos in self.decode_positions(valuestring)]


class PackedPositions(formats.Positions):
    """Whoosh's Positions format with each value a count and flat uint32 positions."""

    flat_width = 1

    def encode(self, poslist):
        return _flat_bytes(len(poslist), array("I", poslist))

    def decode_positions(self, valuestring):
        return list(_flat_numbers(valuestring))

    def decode_position_boosts(self, valuestring):
        return [(pos, 1) for pos in self.decode_positions(valuestring)]


class AnalyzedText(fields.TEXT):
    """A TEXT field analysed by :func:`~searchkit.engine.whoosh.analysis.text_analyzer`, indexed in one pass.

    Writes exactly the postings a plain TEXT field with that analyzer writes, in the packed
    formats above (Whoosh's ``Characters`` and ``Positions`` with flat values), so readers
    cannot tell the difference.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(analyzer=text_analyzer(), **kwargs)
        fmt: Any = self.__dict__["format"]
        if type(fmt) is formats.Characters:
            self.format = PackedCharacters(field_boost=fmt.field_boost)
        elif type(fmt) is formats.Positions:
            self.format = PackedPositions(field_boost=fmt.field_boost)

    def index(self, value, **kwargs):
        fmt = type(self.format)
        lang = text_language(value)
        if (kwargs or not isinstance(value, str) or fmt not in (PackedCharacters, PackedPositions)
                or not mirrors(self.analyzer)):
            if lang is not None:
                kwargs["lang"] = lang
            return super().index(str(value) if isinstance(value, str) else value, **kwargs)
        boost = float(self.format.field_boost)
        if fmt is PackedCharacters:
            return _character_postings(value, boost, lang)
        return _position_postings(value, boost, lang)


def mirrors(analyzer) -> bool:
    """Whether the one-pass analysis here does what ``analyzer`` does, step by step.

    A changed :func:`~searchkit.engine.whoosh.analysis.text_analyzer` makes :class:`AnalyzedText` fall back
    to it (slower, never different) until this module learns the change.
    """
    steps: Any = getattr(analyzer, "items", ())  # a Whoosh CompositeAnalyzer's filters
    return len(steps) == 2 and type(steps[0]) is NewsTokenizer and type(steps[1]) is NewsFilter


#: Told (characters done, characters in all) after each chunk of a long text; set by the
#: engine's writer for the build's progress bar (``_Writer.on_progress``).
long_text_progress: Callable[[int, int], None] | None = None
#: Texts longer than this (characters) are indexed by :func:`_character_postings_lean`.
LARGE_TEXT = 1 << 20
_LARGE_CHUNK = 1 << 20
_WHITE_SPACE = re.compile(r"\s")


def _character_postings(text: str, boost: float, lang: str | None = None) -> list[tuple[bytes, int, float, bytes]]:
    """(term bytes, frequency, weight, Characters-encoded value) for each term of ``text``."""
    if len(text) > LARGE_TEXT:
        return _character_postings_lean(text, boost, lang)
    term_cache = _term_cache(lang)
    missing = _MISSING
    find = text.find
    end = 0
    pos = -1
    occurrences: dict[bytes, list[tuple[int, int, int]]] = {}
    # findall and str.find instead of match objects (the hottest loop of a build): a word
    # starts at the first word character after the previous word, as whatever lies between
    # has none, so finding its text from the previous end finds the match itself.
    for word in _FIND_ALL_WORDS(text):
        start = find(word, end)
        end = start + len(word)
        pos += 1
        term: Any = term_cache.get(word, missing)
        if term is missing:
            term = _term_bytes(word, lang)
        if term is None:
            continue
        if type(term) is str:  # a capitalised stop word: a name unless it opens a sentence
            if opens_sentence(text, start):
                continue
            term = term.encode("utf-8")
        if type(term) is bytes:
            found = occurrences.get(term)
            if found is None:
                occurrences[term] = [(pos, start, end)]
            else:
                found.append((pos, start, end))
        elif type(term) is tuple:  # exact and folded terms at one position
            for one in term:
                occurrences.setdefault(one, []).append((pos, start, end))
        else:  # CJK bigrams, one position each
            width = 1 if len(word) == 1 else 2
            pos -= 1
            for i, gram in enumerate(term):
                pos += 1
                occurrences.setdefault(gram, []).append((pos, start + i, start + i + width))
    out = []
    once = pack_uint(1)
    pack_one = _ONE_TRIPLE.pack
    for term, places in occurrences.items():
        # PackedCharacters: the count, then (position, start, end) of each occurrence.
        if len(places) == 1:  # most terms of an article
            out.append((term, 1, boost, once + pack_one(*places[0])))
            continue
        flat = array("I")
        for place in places:
            flat.extend(place)
        freq = len(places)
        out.append((term, freq, freq * boost, _flat_bytes(freq, flat)))
    return out


def _character_postings_lean(text: str, boost: float, lang: str | None = None) -> list[tuple[bytes, int, float, bytes]]:
    """:func:`_character_postings` for a long text (a 45 MB article), in memory proportional
    to the text rather than to its words as Python objects.

    The words are found a chunk of about a megabyte at a time (cut at white space, which no
    word contains), and each term's occurrences kept as flat machine integers: 12 bytes per
    word instead of a list of every word and a tuple of three ints per occurrence (about
    20 times the text). The encoded postings are byte for byte those of the short path.
    """
    from array import array

    term_cache = _term_cache(lang)
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
            term: Any = term_cache.get(word, missing)
            if term is missing:
                term = _term_bytes(word, lang)
            if type(term) is str:  # a capitalised stop word: a name unless it opens a sentence
                term = None if opens_sentence(text, start) else term.encode("utf-8")
            if term is None:
                pos += 1
                continue
            if type(term) is bytes:
                places = [(term, pos, start, end)]
            elif type(term) is tuple:  # exact and folded terms at one position
                places = [(one, pos, start, end) for one in term]
            else:  # CJK bigrams, one position each
                width = 1 if len(word) == 1 else 2
                places = [(gram, pos + i, start + i, start + i + width) for i, gram in enumerate(term)]
                pos += len(term) - 1
            for key, at, first, last in places:
                found = occurrences.get(key)
                if found is None:
                    found = occurrences[key] = array(typecode)
                found.append(at)
                found.append(first)
                found.append(last)
            pos += 1
        chunk_start = cut
        if long_text_progress is not None:
            long_text_progress(cut, size)
    out = []
    for term in list(occurrences):
        flat = occurrences.pop(term)  # freed term by term as the encoded values are made
        freq = len(flat) // 3
        out.append((term, freq, freq * boost, _flat_bytes(freq, flat)))
    return out


def _position_postings(text: str, boost: float, lang: str | None = None) -> list[tuple[bytes, int, float, bytes]]:
    """(term bytes, frequency, weight, Positions-encoded value) for each term of ``text``."""
    occurrences: dict[bytes, list[int]] = {}
    pos = -1
    find = text.find
    end = 0
    for word in _FIND_ALL_WORDS(text):
        start = find(word, end)
        end = start + len(word)
        pos += 1
        term: Any = _term_bytes(word, lang)
        if term is None:
            continue
        if type(term) is str:
            if opens_sentence(text, start):
                continue
            term = term.encode("utf-8")
        if type(term) is bytes:
            occurrences.setdefault(term, []).append(pos)
        elif type(term) is tuple:
            for one in term:
                occurrences.setdefault(one, []).append(pos)
        else:
            pos -= 1
            for gram in term:
                pos += 1
                occurrences.setdefault(gram, []).append(pos)
    out = []
    for term, places in occurrences.items():
        freq = len(places)
        out.append((term, freq, freq * boost, _flat_bytes(freq, array("I", places))))
    return out
