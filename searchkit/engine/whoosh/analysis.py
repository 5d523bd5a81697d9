"""Text analysis shared by indexing and querying.

Words are lower-cased, stop words dropped *without renumbering positions* (so the phrase
"shock waves" does not match "shock with waves"), and stemmed with the Snowball English
stemmer from PyStemmer: Whoosh's own Porter stemmer gets common words wrong
(running -> runn) and is slow.
"""

from __future__ import annotations

from functools import lru_cache

import Stemmer
from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StopFilter,
)
from whoosh.analysis.filters import STOP_WORDS

_STEMMER = Stemmer.Stemmer("english")

#: Words, keeping inner apostrophes (Ukraine's, Ukraine’s) and dotted acronyms (U.S).
TOKEN_PATTERN = r"\w+(?:[.'\u2019]\w+)*"


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball English stem of a lower-cased word (cached: news text repeats words a lot)."""
    return _STEMMER.stemWord(word)


class SnowballStemFilter(Filter):
    """Stems token text; keeps the original in ``token.original`` for highlighting.

    Defined here (not a lambda) because Whoosh pickles the schema into the index.
    """

    is_morph = True

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, tokens):
        for t in tokens:
            if not t.stopped:
                text = t.text
                if "\u2019" in text:
                    text = text.replace("\u2019", "'")
                # Acronyms with dots (u.s, e.g) are kept whole: stemming would mangle them.
                t.text = text if "." in text else stem(text)
            yield t


def text_analyzer():
    """Analyzer for title, body and outlet words."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=1, renumber=False)
        | SnowballStemFilter()
    )

