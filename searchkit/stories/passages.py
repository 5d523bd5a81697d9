"""Verbatim or reworded: what exactly two aligned passages have in common, word by word.

A passage pair is *verbatim* only when both are the same words in the same order, up to
punctuation, letter case, quotation marks and the way numbers are written ("$240 billion" =
"US$240bn", "5 percent" = "5%", "1,000" = "1000"). Anything else is *reworded*, and the runs
of identical words inside it are returned with their character offsets in each text, so a
reader sees exactly what was copied and what was changed.

Pure functions over (text, start, end): callable per pair from any runner (in-process or a
Spark job).
"""
from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from .text import STOPWORDS, _num_token

# A number with an optional magnitude ("240bn", "240 billion"), a percent sign or word, or a word.
_UNIT = re.compile(
    r"(?P<num>\d+(?:[.,]\d+)*)(?:\s?(?P<mag>thousand|million|billion|trillion|mln|bln|bn|mn|trn|tn)\b)?"
    r"(?P<pct>\s?(?:%|percent\b|per\s+cent\b|pct\b))?"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)?)",
    re.IGNORECASE,
)
# Currency markers are number style: "$240bn" = "US$240 billion" = "USD 240 billion".
_CURRENCY_WORDS = frozenset({"us", "usd", "eur", "gbp", "dollars", "dollar"})


def words(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """[(normalised unit, start, end)] of text[start:end]: case-folded words, numbers in one
    style; currency markers next to a number are dropped."""
    out: list[tuple[str, int, int]] = []
    for m in _UNIT.finditer(text, start, end):
        if m.group("num"):
            key = _num_token(m.group("num"), (m.group("mag") or "").lower() or None)
            if m.group("pct"):
                key += "%"
            # "US$" / "USD" before a number, "dollars" after it: number style, not words
            if out and out[-1][0] in _CURRENCY_WORDS and m.start() - out[-1][2] <= 2:
                out.pop()
            out.append((key, m.start(), m.end()))
            continue
        w = m.group("word").casefold().replace("’", "'")
        if not w.isascii():
            w = unicodedata.normalize("NFKC", w)
        if w in _CURRENCY_WORDS and out and out[-1][0].startswith("#") and m.start() - out[-1][2] <= 2:
            continue
        out.append((w, m.start(), m.end()))
    return out


def classify(text_a: str, a_span: tuple[int, int], text_b: str, b_span: tuple[int, int]
             ) -> tuple[str, tuple[tuple[int, int, int, int], ...]]:
    """("verbatim" | "reworded", identical runs as (a_start, a_end, b_start, b_end))."""
    wa = words(text_a, *a_span)
    wb = words(text_b, *b_span)
    ka = [w for w, _, _ in wa]
    kb = [w for w, _, _ in wb]
    if ka and ka == kb:
        return "verbatim", ((wa[0][1], wa[-1][2], wb[0][1], wb[-1][2]),)
    runs = []
    for block in SequenceMatcher(None, ka, kb, autojunk=False).get_matching_blocks():
        i, j, n = block.a, block.b, block.size
        if not n:
            continue
        # a lone common word ("the", "said") is not copying; a lone name or number is shown
        if n == 1 and (ka[i] in STOPWORDS or len(ka[i]) < 3):
            continue
        runs.append((wa[i][1], wa[i + n - 1][2], wb[j][1], wb[j + n - 1][2]))
    return "reworded", tuple(runs)
