"""Text analysis shared by indexing and querying.

One tokenizer and one filter (:class:`NewsTokenizer` | :class:`NewsFilter`):

* Words are runs of letters and digits, keeping inner apostrophes (Ukraine's, Ukraine’s),
  dotted acronyms (U.S) and soft hyphens (``nitro\\u00adcellulose`` is one word, read without
  the hyphen). Width and compatibility forms are normalised (NFKC: full-width ``ＣＨＩＮＡ``
  reads ``CHINA``, the ligature ``ﬁ`` reads ``fi``).
* Chinese, Japanese and Korean text has no spaces between words: a run of those characters
  becomes overlapping bigrams (``中国人民`` -> 中国 国人 人民, one position each), as
  Lucene's CJK analyzer does, so any two-character word is found and a phrase of them
  matches the run.
* Words are lower-cased. A stop word written in lower case ("of", "us", "it") is dropped
  *without renumbering positions* (the phrase "shock waves" does not match "shock with
  waves"); written in capitals ("US", "IT"), or capitalised inside a sentence ("in May"),
  it is a name and is indexed, unstemmed, so that queries for it can find it. Capitalised
  at the start of a sentence ("It may rain") it is a stop word again.
* Other words are stemmed with the Snowball English stemmer from PyStemmer (Whoosh's
  Porter stemmer gets common words wrong, running -> runn, and is slow).
* A Latin-script word with accents or special letters (Pékin, États, Straße, Øresund) is
  indexed twice at the same position: its exact term and its folded one (pekin, etat,
  strasse, oresund), so a query typed without accents finds it and one typed with them
  ranks exact spellings first.

Languages. The above is the analysis of English documents and of documents whose language is
unknown or has no stemmer here. A document in one of :data:`ANALYSED_LANGUAGES` (Russian,
German, French, ... every Snowball stemmer PyStemmer has, and Ukrainian: see
:func:`stem_in`) has its words stemmed by that language's stemmer and each term tagged with the
language (``sanktion|de``, ``санкц|ru``: :func:`tagged`), in the same fields. Nothing of such a
document is a stop word (its positions and phrases stay exact; BM25 gives common words no
weight), and CJK bigrams stay untagged whatever the language. A query word is analysed once
for the default analysis and once for each analysed language present in the index, and each
language's terms match only that language's documents: a Russian word finds its inflections
in Russian articles, and a German stem cannot meet an English word that happens to be spelt
like it. English analysis, and so every English index, is unchanged.

:mod:`.fastindex` does the same analysis in one pass for indexing; tests compare the two.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import Stemmer
from whoosh.analysis import Filter, Tokenizer
from whoosh.analysis.acore import Token
from whoosh.analysis.filters import STOP_WORDS

_STEMMER = Stemmer.Stemmer("english")

#: ISO 639-1 code -> PyStemmer's Snowball algorithm, for every language it has but English.
SNOWBALL_LANGUAGES = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech",
    "da": "danish", "nl": "dutch", "eo": "esperanto", "et": "estonian", "fi": "finnish",
    "fr": "french", "de": "german", "el": "greek", "hi": "hindi", "hu": "hungarian",
    "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian", "ne": "nepali",
    "no": "norwegian", "fa": "persian", "pl": "polish", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sr": "serbian", "st": "sesotho", "es": "spanish", "sv": "swedish",
    "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}
#: Languages whose documents get their own analysis (see the module docstring).
ANALYSED_LANGUAGES = frozenset(SNOWBALL_LANGUAGES) | {"uk"}
#: Joins a term and its language: never inside a word (the tokenizer splits on it).
TAG = "|"

#: Hiragana, Katakana, CJK unified ideographs (and extension A), compatibility ideographs,
#: Hangul syllables: scripts written without spaces, indexed as bigrams.
CJK_RANGES = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_CJK_START = "\u3040"
#: A CJK run, or a word: letters and digits (not CJK) joined by inner . ' ’ or soft hyphen.
TOKEN_PATTERN = (r"[" + CJK_RANGES + r"]+|[^\W" + CJK_RANGES + r"]+(?:[.'\u2019\u00ad][^\W"
                 + CJK_RANGES + r"]+)*")
STOPS = frozenset(STOP_WORDS)

_SPECIAL_LETTERS = str.maketrans({
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "þ": "th",
    "ı": "i", "ŀ": "l", "ħ": "h", "ŧ": "t", "ĸ": "k", "ŉ": "n",
})


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball English stem of a lower-cased word (cached: news text repeats words a lot)."""
    return _STEMMER.stemWord(word)


@lru_cache(maxsize=None)
def _stemmer(lang: str):
    return Stemmer.Stemmer(SNOWBALL_LANGUAGES[lang])


#: Ukrainian endings (nouns, adjectives, verbs, participles), longest first: Snowball has no
#: Ukrainian stemmer. Chosen in benchmarks/inflection.py against no stemming and the Russian
#: stemmer, on simplemma's Ukrainian lemma list.
_UK_ENDINGS = tuple(sorted({
    # nouns: cases and numbers (the i-stems of -ія/-ій nouns: санкція, санкції, санкцій)
    "а", "я", "о", "е", "у", "ю", "і", "ї", "и", "ь", "ом", "ем", "єм", "ою", "ею", "єю", "ам",
    "ям", "ами", "ями", "ах", "ях", "ів", "їв", "ей", "ові", "еві", "єві", "ія", "ії", "ію",
    "ією", "ій", "іям", "іями", "іях", "ість", "ості", "істю", "остей", "остям", "остями",
    "остях",
    # adjectives and participles
    "ий", "ого", "ього", "ому", "ьому", "ім", "им", "ої", "их", "іх", "ими", "іми", "ая", "яя",
    "еє", "єє", "є",
    # verbs: infinitive, present, past, imperative, future, gerunds
    "ть", "ати", "яти", "ити", "іти", "їти", "ути", "еш", "єш", "иш", "їш", "ить", "їть",
    "ете", "єте", "ите", "їте", "емо", "ємо", "имо", "їмо", "ють", "уть", "ать", "ять", "ав",
    "яв", "ив", "ів", "їв", "ала", "яла", "ила", "іла", "али", "яли", "или", "іли", "ало", "яло",
    "ило", "ла", "ли", "ло", "ай", "аймо", "айте", "яй", "яймо", "яйте", "ймо", "йте", "авши",
    "явши", "ивши", "вши", "учи", "ючи", "ачи", "ячи", "атиме", "атимуть", "атимеш",
    "атимемо", "атимете", "итиме", "итимуть", "ятиме", "ятимуть",
}, key=len, reverse=True))
_UK_MIN_STEM = 3


def _uk_stem(word: str) -> str:
    """A light Ukrainian suffix stripper: the longest known ending that leaves a stem of at
    least three letters (a reflexive -ся/-сь first). Conflates the case and number forms of
    nouns and adjectives and most verb forms; aspect and derivation are left alone."""
    for reflexive in ("ся", "сь"):
        if word.endswith(reflexive) and len(word) - 2 >= _UK_MIN_STEM + 1:
            word = word[:-2]
            break
    for ending in _UK_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _UK_MIN_STEM:
            return word[: -len(ending)]
    return word


@lru_cache(maxsize=200_000)
def stem_in(word: str, lang: str) -> str:
    """The stem of a lower-cased word in one of :data:`ANALYSED_LANGUAGES` (Snowball, or the
    light Ukrainian stripper)."""
    if lang == "uk":
        return _uk_stem(word.replace("\u2019", "'"))
    return _stemmer(lang).stemWord(word)


def tagged(term: str, lang: str) -> str:
    """The indexed term of ``term`` in a document in ``lang`` (``drohn|de``)."""
    return term + TAG + lang


def untagged(term: str) -> tuple[str, str | None]:
    """(term, language) of an indexed term; the language is None for the default analysis."""
    word, sep, lang = term.rpartition(TAG)
    return (word, lang) if sep else (term, None)


def is_cjk(char: str) -> bool:
    """Whether ``char`` belongs to a script indexed as bigrams."""
    o = ord(char)
    return (0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF
            or 0xF900 <= o <= 0xFAFF or 0xAC00 <= o <= 0xD7AF)


def normalise(word: str) -> str:
    """A word as written, without soft hyphens and in NFKC form (full-width -> ASCII)."""
    if word.isascii():
        return word
    if "\u00ad" in word:
        word = word.replace("\u00ad", "")
    return unicodedata.normalize("NFKC", word)


def _latin(text: str) -> bool:
    return all(ord(c) < 0x250 or 0x1E00 <= ord(c) < 0x1F00 for c in text)


def fold(text: str) -> str:
    """``text`` (lower case) without accents and with special Latin letters spelled out;
    words of other scripts are returned unchanged (their marks are letters' parts)."""
    if text.isascii() or not _latin(text):
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.translate(_SPECIAL_LETTERS)


_OPENERS = frozenset(" \t\"'(\u201c\u2018\u00ab\u00a0")
_SENTENCE_END = frozenset(".?!:;\n\r")


def opens_sentence(text: str, start: int) -> bool:
    """Whether the word starting at ``start`` opens ``text``, a line or a sentence."""
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


#: word_terms() of a stop word capitalised like a sentence's first word ("May", "It"): a name
#: inside a sentence, a stop word at its start; the caller knows which.
TITLE_STOP = "title-stop"


def word_terms(word: str) -> tuple[str, ...] | str | None:
    """The indexed terms of one (non-CJK) word as written: None for a stop word written in
    lower case, (term,) or (exact term, folded term), or for a capitalised stop word
    (TITLE_STOP, term) -- a name unless it opens a sentence."""
    written = normalise(word)
    text = written.lower()
    if "\u2019" in text:
        text = text.replace("\u2019", "'")
    if text in STOPS:
        # In lower case a stop word is noise; in capitals ("US", "IT") a name; capitalised
        # ("May", "It") a name inside a sentence only.
        if written == text:
            return None
        if len(written) >= 2 and written.isupper():
            return (text,)
        return (TITLE_STOP, text)
    # Acronyms with dots (u.s, e.g) are kept whole: stemming would mangle them.
    exact = text if "." in text else stem(text)
    folded_text = fold(text)
    if folded_text == text:
        return (exact,)
    folded = folded_text if "." in folded_text else stem(folded_text)
    return (exact,) if folded == exact else (exact, folded)


def word_terms_in(word: str, lang: str | None) -> tuple[str, ...] | str | None:
    """:func:`word_terms` for a document in ``lang``: the default analysis unless ``lang`` is
    one of :data:`ANALYSED_LANGUAGES`; then (term,) or (exact, folded), tagged, never a stop
    word."""
    if lang is None or lang not in ANALYSED_LANGUAGES:
        return word_terms(word)
    text = normalise(word).lower()
    if "\u2019" in text:
        text = text.replace("\u2019", "'")
    exact = text if "." in text else stem_in(text, lang)
    folded_text = fold(text)
    if folded_text == text:
        return (exact + TAG + lang,)
    folded = folded_text if "." in folded_text else stem_in(folded_text, lang)
    if folded == exact:
        return (exact + TAG + lang,)
    return (exact + TAG + lang, folded + TAG + lang)


def cjk_bigrams(run: str) -> list[str]:
    """Overlapping bigrams of a CJK run (a lone character stays a unigram)."""
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


class _AlikeByType:
    """For analysis parts that hold no settings: equal when of the same class (Whoosh compares
    schemas, analyzers included, to tell whether they changed)."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))


class NewsTokenizer(_AlikeByType, Tokenizer):
    """Words and CJK bigrams (see the module docstring), with positions and offsets.

    Defined here (pickled into every index by path: never move it).
    """

    def __init__(self) -> None:
        import re

        self.expression = re.compile(TOKEN_PATTERN)

    def __getstate__(self) -> dict:
        return {}

    def __setstate__(self, state: dict) -> None:
        self.__init__()  # type: ignore[misc]  # unpickling rebuilds the filter as new (its state is not pickled)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            t.pos = start_pos
            t.startchar, t.endchar = start_char, start_char + len(value)
            t.cjk = False
            yield t
            return
        pos = start_pos
        for match in self.expression.finditer(value):
            word = match.group(0)
            start = match.start()
            if word[0] >= _CJK_START and is_cjk(word[0]):
                width = 1 if len(word) == 1 else 2
                for i, gram in enumerate(cjk_bigrams(word)):
                    t.text = gram
                    t.boost = 1.0
                    t.original = gram
                    t.stopped = False
                    t.cjk = True
                    t.pos = pos
                    pos += 1
                    t.startchar = start_char + start + i
                    t.endchar = t.startchar + width
                    yield t
                continue
            t.text = word
            t.boost = 1.0
            t.original = word
            t.stopped = False
            t.cjk = False
            t.opens = opens_sentence(value, start)
            t.pos = pos
            pos += 1
            t.startchar = start_char + start
            t.endchar = start_char + match.end()
            yield t


class NewsFilter(_AlikeByType, Filter):
    """Lower case, stop words, stems and accent-folded variants (see the module docstring).

    A stop word is kept as a stopped token when the analyzer is called with
    ``removestops=False``; its text is then the word in lower case. Called with ``lang="de"``
    (the tokens carry it), a document's words get that language's analysis.
    """

    is_morph = True

    def __call__(self, tokens):
        for t in tokens:
            if getattr(t, "cjk", False):
                yield t
                continue
            terms = word_terms_in(t.text, getattr(t, "lang", None))
            if terms is not None and terms[0] == TITLE_STOP:
                terms = None if getattr(t, "opens", False) else (terms[1],)
            if terms is None:
                if not t.removestops:
                    t.text = normalise(t.text).lower().replace("\u2019", "'")
                    t.stopped = True
                    yield t
                continue
            t.stopped = False
            t.text = terms[0]
            yield t
            if len(terms) > 1:
                t.text = terms[1]
                yield t


class SnowballStemFilter(_AlikeByType, Filter):
    """The stemming filter of schema versions up to 2 (kept so that their pickled schemas
    still load far enough to be refused with the rebuild message)."""

    is_morph = True

    def __call__(self, tokens):
        for t in tokens:
            if not t.stopped:
                text = t.text.replace("\u2019", "'")
                t.text = text if "." in text else stem(text)
            yield t


def text_analyzer():
    """Analyzer for title, body and outlet words."""
    return NewsTokenizer() | NewsFilter()
