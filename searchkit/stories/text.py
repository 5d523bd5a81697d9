"""Sentence segmentation and the token features the story stage works on.

Everything here is pure and deterministic. Offsets are character offsets into the exact
string given (no normalisation of the text itself; tokens are normalised one by one).
"""
from __future__ import annotations

from typing import Any

import re
import unicodedata

# A sentence ends at . ! ? (plus closing quotes/brackets) followed by space and an upper-case
# letter, a digit, an opening quote or bracket; never crosses a line break.
_BOUNDARY = re.compile(r"(?<=[.!?])([\"”’)\]]*)\s+(?=[“\"‘'(\[\d]|[^\W\d_])")
_ABBREV = re.compile(
    r"(?:\b(?:[A-Z]\.){1,3}[A-Z]?|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|No|vs|Gen|Col|Lt|Sgt|Rep|Sen|Gov|"
    r"Prof|Inc|Corp|Co|Ltd|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|e\.g|i\.e|etc|approx)\.)$"
)
_LINE = re.compile(r"[^\n\r\u2028\u2029\x0b\x0c\x1c-\x1e\x85]+")
MAX_SENTENCE_CHARS = 1500  # longer runs (no punctuation) are cut at spaces


def segment(text: str) -> list[tuple[int, int]]:
    """[(start, end)] character spans, one per sentence, stripped of surrounding space."""
    spans: list[tuple[int, int]] = []
    for m in _LINE.finditer(text):
        line, base = m.group(0), m.start()
        if not line.strip():
            continue
        pos = 0
        for b in _BOUNDARY.finditer(line):
            cut = b.start() + len(b.group(1))
            piece = line[pos:cut].rstrip()
            if _ABBREV.search(piece) and not b.group(1):
                # "U.S. officials" / "Mr. Smith": not a boundary unless the next word clearly
                # starts a sentence (we cannot tell; keep together).
                continue
            spans.append((base + pos, base + cut))
            pos = b.end()
        spans.append((base + pos, base + len(line)))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        seg = text[s:e]
        s += len(seg) - len(seg.lstrip())
        e = s + len(text[s:e].rstrip())
        while e - s > MAX_SENTENCE_CHARS:
            cut = text.rfind(" ", s + MAX_SENTENCE_CHARS // 2, s + MAX_SENTENCE_CHARS)
            if cut <= s:
                cut = s + MAX_SENTENCE_CHARS
            out.append((s, cut))
            s = cut
            while s < e and text[s].isspace():
                s += 1
        if e > s:
            out.append((s, e))
    return out


STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them themselves
    then there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself yourselves s t d ll m re ve
    said says say saying told tell tells according reported reports report reportedly allegedly
    per via mr mrs ms one two new year years week month day amid since however meanwhile
    additionally moreover also further furthermore well including include includes us yet""".split()
)

_MAG = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mln": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9,
    "bn": 1e9, "bln": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "trn": 1e12,
}
# A number, optionally with a magnitude word glued or following ("240bn", "240 billion").
_TOKEN = re.compile(
    r"(?P<num>\d+(?:[.,]\d+)*)(?:\s?(?P<mag>thousand|million|billion|trillion|mln|bln|bn|mn|trn|tn|k|m|b)\b)?"
    r"|(?P<word>[^\W\d_]+)"
)


def _num_token(digits: str, mag: str | None) -> str:
    d = digits
    if "," in d and "." not in d and re.fullmatch(r"\d{1,3}(,\d{3})+", d):
        d = d.replace(",", "")
    elif "," in d and "." not in d:
        d = d.replace(",", ".")  # 6,5 million (European decimal comma)
    else:
        d = d.replace(",", "")
    try:
        v = float(d)
    except ValueError:
        return "#" + digits
    if mag:
        v *= _MAG[mag.lower()]
    if v == int(v) and abs(v) < 1e18:
        return "#%d" % int(v)
    return "#%.6g" % v


def stem(word: str) -> str:
    """Cheap, order-free stem: strip one inflectional suffix, then truncate to 6 letters."""
    w = word
    if len(w) > 4:
        if w.endswith("ies"):
            w = w[:-3] + "i"
        elif w.endswith("ing"):
            w = w[:-3]
        elif w.endswith("ed"):
            w = w[:-2]
        elif w.endswith("es"):
            w = w[:-2]
        elif w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        elif w.endswith("y"):
            w = w[:-1] + "i"
    return w[:6]


_STEMS: dict[str, str | None] = {}
_TOKEN_CF = re.compile(
    r"(\d+(?:[.,]\d+)*)(?:\s?(thousand|million|billion|trillion|mln|bln|bn|mn|trn|tn|k|m|b)\b)?|([^\W\d_]+)"
)


def tokens(sentence: str) -> list[str]:
    """Content tokens of one sentence, in order: stems of non-stopwords and normalised numbers."""
    s = sentence.casefold()
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s)
    out = []
    cache = _STEMS
    for num, mag, w in _TOKEN_CF.findall(s):
        if num:
            out.append(_num_token(num, mag or None))
            continue
        st: Any = cache.get(w, 0)
        if st == 0:
            st = None if (len(w) < 2 or len(w) > 60 or w in STOPWORDS) else stem(w)
            if len(cache) < 500000:
                cache[w] = st
        if st is not None:
            out.append(st)
    return out
