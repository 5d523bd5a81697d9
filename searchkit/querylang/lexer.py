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
    after_modifier = False
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            after_modifier = False
            continue
        glued_to_field = bool(toks) and toks[-1].kind == "FIELD" and toks[-1].end == i
        if c == "(":
            toks.append(Tok("LPAREN", c, i, i + 1))
            i += 1
        elif c == ")":
            toks.append(Tok("RPAREN", c, i, i + 1))
            i += 1
        elif c in QUOTES:
            j = i + 1
            while j < n and text[j] not in QUOTES:
                j += 1
            body = text[i + 1 : j]
            j = min(j + 1, n)  # past the closing quote; an unclosed one runs to the end
            near = None
            if j < n and text[j] == "~":
                k = _digits(text, j + 1)
                if k == j + 1:
                    if not forgiving:
                        raise QueryError(
                            "'~' after a phrase needs a number of words, as in \"a b\"~5", j)
                    toks.append(Tok("PHRASE", body, i, j))
                    toks.append(Tok("ERROR", "~", j, k))
                    i = k
                    after_modifier = False
                    continue
                if (k - j - 1 > 4 or int(text[j + 1 : k]) > MAX_NEAR) and not forgiving:
                    raise QueryError("proximity must be at most %d words" % MAX_NEAR, j)
                near = int(text[j + 1 : k])
                j = k
            toks.append(Tok("PHRASE", body, i, j, near))
            i = j
        elif (c in "+-" and not after_modifier and i + 1 < n and not text[i + 1].isspace()
              and (i == 0 or text[i - 1].isspace() or text[i - 1] == "(")):
            toks.append(Tok("MINUS" if c == "-" else "PLUS", c, i, i + 1))
            i += 1
            after_modifier = True
            continue
        else:
            m = None if glued_to_field else _FIELD_RE.match(text, i)
            if m is not None:
                name = m.group(1)
                key = name.lower()
                j = m.end()
                nxt = text[j] if j < n else ""
                if key in USER_FIELDS:
                    toks.append(Tok("FIELD", key, i, j))
                    i = j
                    if key == "date":
                        k = j
                        while k < n and text[k].isspace():
                            k += 1
                        if k < n and text[k] in "[{":
                            close = text.find("]", k)
                            close2 = text.find("}", k)
                            ends = [e for e in (close, close2) if e != -1]
                            if not ends:
                                if not forgiving:
                                    raise QueryError("unclosed '%s' in date range" % text[k], k)
                                toks.append(Tok("ERROR", text[k:], k, n))
                                i = n
                                after_modifier = False
                                continue
                            e = min(ends)
                            toks.append(Tok("RANGE", text[k : e + 1], k, e + 1))
                            i = e + 1
                    after_modifier = False
                    continue
                if (len(name) >= 2 and key not in _URI_SCHEMES and nxt
                        and (nxt.isalpha() or nxt in QUOTES or nxt in "([{*?_")):
                    if forgiving:
                        toks.append(Tok("BADFIELD", text[i:j], i, j))
                        i = j
                        after_modifier = False
                        continue
                    word_end = j
                    while word_end < n and not text[word_end].isspace():
                        word_end += 1
                    raise QueryError(
                        "unknown field '%s' (known: %s); to search for the text, quote "
                        'it: "%s"' % (show(name), KNOWN_LIST, show(text[i:word_end])), i)
            j = i
            while j < n and not text[j].isspace() and text[j] not in "()" \
                    and text[j] not in QUOTES:
                j += 1
            word = text[i:j]
            toks.append(Tok(word if word in OPERATORS else "WORD", word, i, j))
            i = j
        after_modifier = False
    toks.append(Tok("EOF", "", n, n))
    return toks


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
