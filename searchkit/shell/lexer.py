"""Syntax highlighting of the shell's input line, as the user types.

The query parser (``searchkit.query``) either compiles a whole query or raises at the first
problem; highlighting needs more: a class for every piece of a half-typed line, and no
exception ever. So this module has a small forgiving scanner of its own that follows the
same lexical rules (fields, quotes, ``+``/``-``, ``AND``/``OR``/``NOT``, date ranges,
wildcards, fuzzy ``~``), and asks the real parser only where the line has an error, so
that what is shown red is exactly what the search would reject.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from prompt_toolkit.document import Document as PTDocument
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.lexers import Lexer

FIELDS = ("title", "body", "outlet", "date")
OPERATORS = frozenset({"AND", "OR", "NOT"})
QUOTES = frozenset('"\u201c\u201d\u201e\u00ab\u00bb')
# URI-like words the parser reads as text, not as an unknown field (mailto:x, doi:10...).
_URI_SCHEMES = frozenset({"mailto", "tel", "urn", "doi", "isbn", "issn", "arxiv", "pmid", "http", "https"})
_FIELD_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):")
_FUZZY_RE = re.compile(r".+~\d*$", re.S)


@dataclass(frozen=True)
class Token:
    """A piece of the input line: ``kind`` names its highlighting class."""

    kind: str  # word operator field badfield phrase near modifier paren range wildcard fuzzy error space
    start: int
    end: int


def scan(text: str) -> list[Token]:
    """Split a query into tokens for highlighting; never raises.

    Unclosed quotes and brackets are tokens too (a phrase runs to the end, as the parser
    reads it); a ``)`` with no ``(`` is an error token.
    """
    tokens: list[Token] = []
    n = len(text)
    i = 0
    depth = 0
    while i < n:
        c = text[i]
        if c.isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            tokens.append(Token("space", i, j))
            i = j
            continue
        after_field = bool(tokens) and tokens[-1].kind == "field" and tokens[-1].end == i
        if c == "(":
            depth += 1
            tokens.append(Token("paren", i, i + 1))
            i += 1
        elif c == ")":
            tokens.append(Token("paren" if depth else "error", i, i + 1))
            depth = max(depth - 1, 0)
            i += 1
        elif c in QUOTES:
            j = i + 1
            while j < n and text[j] not in QUOTES:
                j += 1
            j = min(j + 1, n)
            tokens.append(Token("phrase", i, j))
            if j < n and text[j] == "~":
                k = j + 1
                while k < n and text[k].isdigit():
                    k += 1
                tokens.append(Token("near" if k > j + 1 else "error", j, k))
                j = k
            i = j
        elif c in "+-" and i + 1 < n and not text[i + 1].isspace() and (i == 0 or text[i - 1].isspace() or text[i - 1] == "("):
            tokens.append(Token("modifier", i, i + 1))
            i += 1
        else:
            match = None if after_field else _FIELD_RE.match(text, i)
            if match is not None:
                name = match.group(1).lower()
                j = match.end()
                following = text[j] if j < n else ""
                if name in FIELDS:
                    tokens.append(Token("field", i, j))
                    i = j
                    if name == "date" and following in ("[", "{"):
                        close = [e for e in (text.find("]", j), text.find("}", j)) if e != -1]
                        end = min(close) + 1 if close else n
                        tokens.append(Token("range" if close else "error", j, end))
                        i = end
                    continue
                if len(name) >= 2 and name not in _URI_SCHEMES and following and (
                    following.isalpha() or following in QUOTES or following in "([{*?_"
                ):
                    tokens.append(Token("badfield", i, j))
                    i = j
                    continue
            j = i
            while j < n and not text[j].isspace() and text[j] not in "()" and text[j] not in QUOTES:
                j += 1
            word = text[i:j]
            if word in OPERATORS:
                kind = "operator"
            elif _FUZZY_RE.match(word):
                kind = "fuzzy"
            elif "*" in word or "?" in word.rstrip("?"):
                kind = "wildcard"
            else:
                kind = "word"
            tokens.append(Token(kind, i, j))
            i = j
    return tokens


def error_position(text: str, check: Callable[[str], None]) -> int | None:
    """Where ``check`` (the real parser) rejects ``text``, or None when it accepts it.

    A QueryError without a position counts as an error at the end of the line.
    """
    from ..errors import QueryError

    if not text.strip():
        return None
    try:
        check(text)
    except QueryError as err:
        return err.position if err.position is not None else len(text)
    except Exception:  # the parser is meant to be total; never let highlighting crash the shell
        return len(text)
    return None


def query_fragments(text: str, check: Callable[[str], None]) -> StyleAndTextTuples:
    """Styled fragments for a query line; the token holding a parse error is marked."""
    tokens = scan(text)
    bad = error_position(text, check)
    fragments: StyleAndTextTuples = []
    marked = False
    for token in tokens:
        kind = token.kind
        if bad is not None and not marked and token.kind != "space" and token.start <= bad < max(token.end, token.start + 1):
            kind, marked = "error", True
        fragments.append((f"class:query.{kind}", text[token.start : token.end]))
    if bad is not None and not marked and fragments:
        # The error is at the end (a dangling operator): mark the last real token.
        for index in range(len(fragments) - 1, -1, -1):
            style, piece = fragments[index]
            if not piece.isspace():
                fragments[index] = ("class:query.error", piece)
                break
    return fragments


def command_fragments(text: str, known: Callable[[str], bool]) -> StyleAndTextTuples:
    """Styled fragments for a ``:command args`` line (leading blanks allowed)."""
    indent = len(text) - len(text.lstrip())
    name_end = len(text)
    for index in range(indent, len(text)):
        if text[index].isspace():
            name_end = index
            break
    name = text[indent:name_end]
    style = "class:command" if known(name[1:]) else "class:command.unknown"
    fragments: StyleAndTextTuples = [("", text[:indent])] if indent else []
    fragments.append((style, name))
    rest = text[name_end:]
    if rest:
        fragments.append(("class:command.args", rest))
    return fragments


class ShellLexer(Lexer):
    """prompt_toolkit lexer: commands, or queries with operators, fields, phrases and errors."""

    def __init__(self, known_command: Callable[[str], bool], check_query: Callable[[str], None]) -> None:
        self._known_command = known_command
        self._check_query = check_query
        self._cache: tuple[str, StyleAndTextTuples] | None = None

    def fragments(self, text: str) -> StyleAndTextTuples:
        if self._cache is not None and self._cache[0] == text:
            return self._cache[1]
        if text.lstrip().startswith(":"):
            fragments = command_fragments(text, self._known_command)
        else:
            fragments = query_fragments(text, self._check_query)
        self._cache = (text, fragments)
        return fragments

    def lex_document(self, document: PTDocument) -> Callable[[int], StyleAndTextTuples]:
        fragments = self.fragments(document.text)
        lines: list[StyleAndTextTuples] = [[]]
        for style, piece in fragments:
            parts = piece.split("\n")
            for number, part in enumerate(parts):
                if number:
                    lines.append([])
                if part:
                    lines[-1].append((style, part))

        def get_line(lineno: int) -> StyleAndTextTuples:
            return lines[lineno] if 0 <= lineno < len(lines) else []

        return get_line
