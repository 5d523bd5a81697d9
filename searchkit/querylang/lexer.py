"""The query language's tokens: one tokenizer for the parser, the shell's highlighter and
its completer.

Kinds: WORD PHRASE LPAREN RPAREN AND OR NOT MINUS PLUS FIELD RANGE EOF. The tokenizer is
total: any string gives tokens or a :class:`~searchkit.errors.QueryError` with a position.
"""

from __future__ import annotations

import re

from ..errors import QueryError

#: Largest proximity accepted in ``"a b"~N``.
MAX_NEAR = 1000

#: Field names a user may type, and the index field each searches.
USER_FIELDS = {"title": "title", "body": "body", "outlet": "outlet_text", "date": "day", "story": "story",
               "lang": "lang"}
KNOWN_LIST = ", ".join(USER_FIELDS)
#: Field-like prefixes that are really text (URIs); ``name:`` followed by a digit is too.
_URI_SCHEMES = frozenset({"mailto", "tel", "urn", "doi", "isbn", "issn", "arxiv", "pmid"})

QUOTES = frozenset('"\u201c\u201d\u201e\u00ab\u00bb')
_FIELD_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):")
OPERATORS = frozenset({"AND", "OR", "NOT"})


def show(text: str, limit: int = 40) -> str:
    """User text made safe for a one-line message (no control characters, bounded)."""
    if len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return "".join(c if c.isprintable() else "\\x%02x" % ord(c) if ord(c) < 256
                   else "\\u%04x" % ord(c) for c in text)


class Tok:
    """One token: kind is WORD PHRASE LPAREN RPAREN AND OR NOT MINUS PLUS FIELD RANGE EOF;
    ``near`` is a phrase's proximity."""

    __slots__ = ("kind", "text", "pos", "end", "near")

    def __init__(self, kind: str, text: str, pos: int, end: int,
                 near: int | None = None) -> None:
        self.kind = kind
        self.text = text
        self.pos = pos
        self.end = end
        self.near = near


def _digits(text: str, i: int) -> int:
    j = i
    while j < len(text) and "0" <= text[j] <= "9":
        j += 1
    return j


def tokenize(text: str, *, forgiving: bool = False) -> list[Tok]:
    """The tokens of ``text``, ending with EOF; raises QueryError at the first bad token.

    ``forgiving=True`` (for highlighting a half-typed line) never raises: a bad piece becomes
    an ERROR token, an unknown ``name:`` a BADFIELD token, and scanning goes on.
    """
    toks: list[Tok] = []
    n = len(text)
    i = 0
    after_modifier = False  # "--x": only the first "-" is a modifier
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            after_modifier = False
            continue
        if c in "()":
            toks.append(Tok("LPAREN" if c == "(" else "RPAREN", c, i, i + 1))
            i += 1
        elif c in QUOTES:
            i = _phrase(text, i, toks, forgiving)
        elif c in "+-" and not after_modifier and _is_modifier(text, i):
            toks.append(Tok("MINUS" if c == "-" else "PLUS", c, i, i + 1))
            i += 1
            after_modifier = True
            continue
        else:
            i = _field_or_word(text, i, toks, forgiving)
        after_modifier = False
    toks.append(Tok("EOF", "", n, n))
    return toks


def _is_modifier(text: str, i: int) -> bool:
    """Whether the "+" or "-" at ``i`` starts a term (``-drone``), not a word (``e-mail``)."""
    return (i + 1 < len(text) and not text[i + 1].isspace()
            and (i == 0 or text[i - 1].isspace() or text[i - 1] == "("))


def _phrase(text: str, i: int, toks: list[Tok], forgiving: bool) -> int:
    """The phrase opening at ``i`` (an unclosed one runs to the end), with its ``~N``."""
    n = len(text)
    j = i + 1
    while j < n and text[j] not in QUOTES:
        j += 1
    body = text[i + 1 : j]
    j = min(j + 1, n)  # past the closing quote
    near = None
    if j < n and text[j] == "~":
        k = _digits(text, j + 1)
        if k == j + 1:
            if not forgiving:
                raise QueryError("'~' after a phrase needs a number of words, as in \"a b\"~5", j)
            toks.append(Tok("PHRASE", body, i, j))
            toks.append(Tok("ERROR", "~", j, k))
            return k
        if (k - j - 1 > 4 or int(text[j + 1 : k]) > MAX_NEAR) and not forgiving:
            raise QueryError("proximity must be at most %d words" % MAX_NEAR, j)
        near = int(text[j + 1 : k])
        j = k
    toks.append(Tok("PHRASE", body, i, j, near))
    return j


def _field_or_word(text: str, i: int, toks: list[Tok], forgiving: bool) -> int:
    """A ``field:`` (with a date range after ``date:``) or a word, from ``i``."""
    glued_to_field = bool(toks) and toks[-1].kind == "FIELD" and toks[-1].end == i
    m = None if glued_to_field else _FIELD_RE.match(text, i)
    if m is not None:
        end = _field(text, m, toks, forgiving)
        if end is not None:
            return end
    j = i
    while j < len(text) and not text[j].isspace() and text[j] not in "()" and text[j] not in QUOTES:
        j += 1
    word = text[i:j]
    toks.append(Tok(word if word in OPERATORS else "WORD", word, i, j))
    return j


def _field(text: str, m: re.Match[str], toks: list[Tok], forgiving: bool) -> int | None:
    """The field ``m`` matched, or None where ``name:`` is text (a URI, ``10:30``)."""
    i, j = m.start(), m.end()
    name = m.group(1)
    key = name.lower()
    if key in USER_FIELDS:
        toks.append(Tok("FIELD", key, i, j))
        return _date_range(text, j, toks, forgiving) if key == "date" else j
    nxt = text[j] if j < len(text) else ""
    if len(name) >= 2 and key not in _URI_SCHEMES and nxt and (nxt.isalpha() or nxt in QUOTES or nxt in "([{*?_"):
        if forgiving:
            toks.append(Tok("BADFIELD", text[i:j], i, j))
            return j
        word_end = j
        while word_end < len(text) and not text[word_end].isspace():
            word_end += 1
        raise QueryError(
            "unknown field '%s' (known: %s); to search for the text, quote "
            'it: "%s"' % (show(name), KNOWN_LIST, show(text[i:word_end])), i)
    return None


def _date_range(text: str, j: int, toks: list[Tok], forgiving: bool) -> int:
    """After ``date:`` at ``j``: a ``[a TO b]`` or ``{a TO b}`` range as one RANGE token."""
    n = len(text)
    k = j
    while k < n and text[k].isspace():
        k += 1
    if not (k < n and text[k] in "[{"):
        return j
    ends = [e for e in (text.find("]", k), text.find("}", k)) if e != -1]
    if not ends:
        if not forgiving:
            raise QueryError("unclosed '%s' in date range" % text[k], k)
        toks.append(Tok("ERROR", text[k:], k, n))
        return n
    e = min(ends)
    toks.append(Tok("RANGE", text[k : e + 1], k, e + 1))
    return e + 1


#: A query of more words than this with AND/OR/NOT in capitals is probably pasted prose.
LONG_QUERY_WORDS = 8


def capital_operators(text: str) -> list[str]:
    """The operators AND/OR/NOT of a long query (outside phrases), sorted: worth a reminder
    that they are operators, in case the query is pasted prose. [] for a short query."""
    if len(text.split()) <= LONG_QUERY_WORDS:
        return []
    try:
        kinds = {tok.kind for tok in tokenize(text)}
    except Exception:  # noqa: BLE001 - a malformed query gets its own error elsewhere
        return []
    return sorted(kinds & OPERATORS)
