"""Syntax highlighting of the shell's input line, as the user types.

The query parser either reads a whole query or raises at the first problem; highlighting
needs a class for every piece of a half-typed line, and no exception ever. So it uses the
query language's tokenizer (:mod:`searchkit.querylang.lexer`) in its forgiving mode, and asks
the real parser only where the line has an error, so that what is shown red is exactly what
the search would reject.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from prompt_toolkit.document import Document as PTDocument
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.lexers import Lexer

from ..querylang.lexer import tokenize

_FUZZY_RE = re.compile(r".+~\d*$", re.S)

#: The query language's token kinds -> the highlighting class of this module.
_KINDS = {"AND": "operator", "OR": "operator", "NOT": "operator", "MINUS": "modifier", "PLUS": "modifier",
          "FIELD": "field", "BADFIELD": "badfield", "RANGE": "range", "ERROR": "error", "PHRASE": "phrase"}


@dataclass(frozen=True)
class Token:
    """A piece of the input line: ``kind`` names its highlighting class."""

    kind: str  # word operator field badfield phrase near modifier paren range wildcard fuzzy error space
    start: int
    end: int


def scan(text: str) -> list[Token]:
    """Split a query into tokens for highlighting; never raises.

    The query language's own tokenizer, in its forgiving mode, finds the pieces, so the
    shell reads the syntax exactly as the parser does; this adds the white space between
    them, tells words from wildcards and fuzzy terms, and marks a ``)`` with no ``(``.
    """
    tokens: list[Token] = []
    cursor = 0
    depth = 0
    for tok in tokenize(text, forgiving=True):
        if tok.kind == "EOF":
            break
        if tok.pos > cursor:
            tokens.append(Token("space", cursor, tok.pos))
        cursor = tok.end
        if tok.kind == "PHRASE" and tok.near is not None:
            tilde = text.rfind("~", tok.pos, tok.end)
            tokens.append(Token("phrase", tok.pos, tilde))
            tokens.append(Token("near", tilde, tok.end))
        elif tok.kind == "LPAREN":
            depth += 1
            tokens.append(Token("paren", tok.pos, tok.end))
        elif tok.kind == "RPAREN":
            tokens.append(Token("paren" if depth else "error", tok.pos, tok.end))
            depth = max(depth - 1, 0)
        elif tok.kind == "WORD":
            word = tok.text
            kind = "fuzzy" if _FUZZY_RE.match(word) else "wildcard" if "*" in word or "?" in word.rstrip("?") else "word"
            tokens.append(Token(kind, tok.pos, tok.end))
        else:
            tokens.append(Token(_KINDS[tok.kind], tok.pos, tok.end))
    if cursor < len(text):
        tokens.append(Token("space", cursor, len(text)))
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
            style, piece = fragments[index][:2]
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
    """prompt_toolkit lexer: commands, or queries with operators, fields, phrases and errors.

    ``query_argument(name)``: whether the command's argument is a query (``:explain QUERY``),
    highlighted as one."""

    def __init__(self, known_command: Callable[[str], bool], check_query: Callable[[str], None],
                 query_argument: Callable[[str], bool] = lambda name: False) -> None:
        self._known_command = known_command
        self._check_query = check_query
        self._query_argument = query_argument
        self._cache: tuple[str, StyleAndTextTuples] | None = None

    def fragments(self, text: str) -> StyleAndTextTuples:
        if self._cache is not None and self._cache[0] == text:
            return self._cache[1]
        if text.lstrip().startswith(":"):
            fragments = command_fragments(text, self._known_command)
            style, rest = fragments[-1][:2]
            if style == "class:command.args" and self._query_argument(text.split()[0][1:]):
                query = rest.lstrip()
                fragments = [*fragments[:-1], ("", rest[: len(rest) - len(query)]),
                             *query_fragments(query, self._check_query)]
        else:
            fragments = query_fragments(text, self._check_query)
        self._cache = (text, fragments)
        return fragments

    def lex_document(self, document: PTDocument) -> Callable[[int], StyleAndTextTuples]:
        fragments = self.fragments(document.text)
        lines: list[StyleAndTextTuples] = [[]]
        for fragment in fragments:
            style, piece = fragment[:2]
            parts = piece.split("\n")
            for number, part in enumerate(parts):
                if number:
                    lines.append([])
                if part:
                    lines[-1].append((style, part))

        def get_line(lineno: int) -> StyleAndTextTuples:
            return lines[lineno] if 0 <= lineno < len(lines) else []

        return get_line
