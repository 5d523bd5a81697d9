"""The query language's parser: tokens (:mod:`.lexer`) in, a query tree (:mod:`.ast`) out.

One parser serves the CLI, the shell and the library. It is written here as a small
tokenizer plus a recursive-descent parser rather than configured from Whoosh's
``QueryParser``, because what we need from it is what that parser does not give:

* it must be *total*: any string yields a query or a :class:`QueryError` with a message
  and a position, never another exception (Whoosh's parser raises AttributeError on some
  inputs and its date plugin mangles ``date:2019-02-02``, Whoosh pitfall 5 in docs/whoosh-pitfalls.md);
* exact phrases must respect the gaps stop words leave (pitfall 10), which no Whoosh
  phrase class does: a :class:`~.ast.Phrase` keeps its words' relative positions;
* pasted text (``plain=True``) must treat every character as text (pitfall 11);
* ``date:`` values, ``outlet:`` names and words with a colon need rules of our own.

Language (operator mode, the default)::

    satellites launch        words; all of them ranks first, any one of them is found
    "shock waves"            exact phrase (stop-word gaps kept: not "shock with waves")
    "china russia"~5         both words within 5 other words of each other, any order
    a AND b, a OR b, NOT a   operators, uppercase only; lowercase and/or/not are words
    -word, +word             must not / must contain; (a OR b) groups
    satell*  m?cro           prefix / wildcard on the indexed terms
    nitrocelulose~  word~2   fuzzy (edit distance 0..2; default by length)
    title:word  title:"a b"  body:word   one field;  field:(a OR b) for a group
    outlet:forbes  outlet:"EU Today"     an outlet: its name in any case, or the one name
                                         it begins (outlet:tib), a filter
    date:2024  date:2024-04  date:2024-04-07
    date:[2024-04-01 TO 2024-04-08]  date:[2024-04 TO *]  date:{2024 TO 2025}
    date:>=2024-04-01  date:<2024-05     dates, filters; undated articles never match

Decisions worth knowing:

* Precedence: ``NOT`` > ``AND`` > ``OR`` > adjacency. As in Lucene, an explicit AND
  expression inside a list of words is required (``a b AND c`` needs b and c, a ranks).
* ``date:`` and ``outlet:`` clauses are filters: next to words they restrict the result
  without changing the ranking (``china date:2024`` = china, in 2024).
* A list of words is combined by ``grouping`` (measured by the ranking work):
  ``"all_first"`` (default) finds documents with any word and adds a constant bonus
  larger than any BM25 score to those with all words, so they always rank first;
  ``"coord"`` is Whoosh's coordination bonus; ``"or"`` and ``"and"`` are plain.
* Pure negative queries (``-china``, ``NOT china``) match every article without the word;
  ``NOT`` with nothing after it is an error.
* A word of only stop words is dropped, unless it is the query's only word ("us" alone is
  searched); a query left with nothing raises QueryError (operator mode) or returns
  ``NOTHING`` (plain mode, which never raises). Function words ("what", "of") are dropped
  from a list with other words, except when typed in capitals: "US", "WHO", "IT", or "May"
  inside a sentence of a text that is not a headline. Dropped words are reported
  (``parse(..., ignored=[])``) so the user is told "ignored the common word 'of'".
* A query looks for at most MAX_QUERY_WORDS distinct words; a repeated word counts once.
* A word that analyses to several tokens (``covid-19``, ``U.S.-China``, ``16:10``) is a
  phrase of those tokens.
* A trailing ``?`` is punctuation (``what is nitrocellulose?``), not a wildcard; ``*``
  anywhere and ``?`` inside a word are wildcards. A prefix matches index terms starting
  with the typed text or with its stem, so ``satellites*`` finds "satellite" too.
* An unclosed quote runs to the end of the query and an unclosed ``(`` closes at the end;
  a stray ``)``, an unclosed date bracket and ``AND``/``OR``/``NOT`` with a missing
  operand are errors.
* ``NAME:value`` is a field only for known names (title, body, outlet, date; any case).
  For an unknown NAME of two or more ASCII letters directly followed by a letter, quote,
  bracket or parenthesis it is an error ("unknown field 'foo'"); otherwise it is text:
  ``http://x``, ``16:10``, ``localhost:8080``, ``C:\\dir``, ``Note: this``.
* Curly quotes (“ ” „ « ») delimit phrases like ``"``.
* Proximity counts positions, stop words included: ``"a b"~N`` allows at most N other
  words between the first and last of the phrase's words.

Words are analysed (lower-cased, stemmed, stop words kept in positions) by the engine's
:class:`Analyzer`, so the tree holds the terms the index holds and this package needs no
engine.
"""

from __future__ import annotations

import math
import re
from typing import Callable, Iterable, Protocol, Sequence

from ..errors import QueryError
from . import ast
from .ast import Node
from .dates import date_range, date_value
from .lexer import USER_FIELDS, Tok, show, tokenize

__all__ = ["Analyzer", "DEFAULT_FIELD_BOOSTS", "DEFAULT_FIELDS", "GROUPINGS", "parse"]


class Analyzer(Protocol):
    """What the parser needs of the engine's text analysis."""

    @property
    def stop_words(self) -> frozenset[str]:
        """Function words dropped from word lists when other words remain."""
        ...

    def terms(self, text: str, keep_stops: bool = False) -> tuple[tuple[int, str], ...]:
        """(position, indexed term) pairs; positions keep the gaps of dropped stop words
        (``keep_stops``: a stop word written in lower case is kept, as its term)."""
        ...

    def exact_term(self, word: str) -> str | None:
        """For a single word with accents ("Pékin"), its exact term ("pékin") when
        :meth:`terms` gives the accent-folded one ("pekin"); else None."""
        ...

    def terms_with_originals(self, text: str) -> list[tuple[str, str, int, bool]]:
        """(indexed term, the word as written, its start, whether it is a stop word the
        index leaves out) for every word of ``text``."""
        ...

    def stem(self, word: str) -> str: ...

    #: Languages whose documents the index analyses in their own way (``ru``, ``de``): each
    #: word is also looked for as :meth:`terms_in` gives it for them.
    languages: tuple[str, ...]

    def terms_in(self, text: str, lang: str) -> tuple[tuple[int, str], ...]:
        """(position, indexed term) pairs of ``text`` as a document in ``lang`` indexes it."""
        ...

    def exact_term_in(self, word: str, lang: str) -> str | None:
        """:meth:`exact_term` for a document in ``lang``."""
        ...


#: Fields searched by words when a query names no field.
DEFAULT_FIELDS = ("title", "body", "outlet_text")

#: BM25F-style field weights for unfielded words (the ranking work tunes them).
# The title line is also part of the body, so a title word already counts twice; a title
# boost of 2 let generic title words outrank rarer words of the text. 0.5 was chosen by
# two-fold cross-validation on Cranfield (both folds; benchmarks/relevance.py).
DEFAULT_FIELD_BOOSTS: dict[str, float] = {"title": 0.5, "body": 1.0, "outlet_text": 1.0}

#: How a list of words is combined; see the module docstring.
GROUPINGS = ("all_first", "coord", "or", "and")
#: How the per-field clauses of one word are combined: summed ("or") or best field ("max").
MULTIFIELD = ("or", "max")
#: How a word repeated in plain (pasted) text counts: once, its count, 1 + ln(count), or
#: "saturate" (the default): BM25's query-term weight (k3 + 1) n / (k3 + n), 1 for n = 1 and
#: approaching k3 + 1 (Robertson et al., Okapi at TREC-3). A pasted paragraph repeats its key
#: words; counting each once lost 10-17% nDCG@10 on CISI and CACM (benchmarks/relevance.py).
REPEATS = ("once", "count", "log", "saturate")
#: k3 as Okapi's TREC runs set it (7-8), and what leave-one-collection-out picked (docs/architecture.md, Ranking).
DEFAULT_K3 = 8.0

#: Coordination scale for grouping="coord" (Whoosh's OrGroup.factory(0.9)).
COORD_SCALE = 0.9
#: Deepest nesting of parentheses / NOT accepted (guards the recursion).
MAX_DEPTH = 32
#: Word lists longer than this are OR-ed without the all-words-first bonus (see _group).
ALL_FIRST_MAX_WORDS = 6
#: Distinct words a query may look for; words past them are left out (and said so): each
#: word costs a posting-list read per field, and a pasted article must still answer at once.
MAX_QUERY_WORDS = 1024
#: Largest fuzzy edit distance (Whoosh's automata get slow beyond it).
MAX_FUZZY = 2

_FILTER_FIELDS = frozenset({"outlet", "date", "story", "lang"})
#: The fields whose words are analysed in their document's language (an outlet's name is not).
LANGUAGE_FIELDS = frozenset({"title", "body"})
_FUZZY_RE = re.compile(r"^(.+?)~(\d*)$", re.S)
_WORDCHAR_RE = re.compile(r"\w")
_EDGE_RE = re.compile(r"^[^\w*?]+|[^\w*?]+$")


class _Node:
    """A compiled piece of query. ``sign`` is "" (ranks), "+" (required) or "-" (query
    holds what must NOT match); ``filter`` marks date:/outlet: restrictions."""

    __slots__ = ("query", "sign", "filter", "function_word", "word")

    def __init__(self, query: Node, sign: str = "", filter: bool = False,
                 function_word: bool = False) -> None:
        self.query = query
        self.sign = sign
        self.filter = filter
        #: A bare function word ("what", "any"): dropped from a word list with other words.
        self.function_word = function_word
        self.word = ""  # the function word as typed


class _Options:
    """The knobs of one parse_query call."""

    __slots__ = ("fields", "boosts", "grouping", "multifield", "repeats", "drop_function_words", "k3")

    def __init__(self, fields: tuple[str, ...], boosts: dict[str, float], grouping: str,
                 multifield: str, repeats: str, drop_function_words: bool = True,
                 k3: float = DEFAULT_K3) -> None:
        self.k3 = k3
        self.fields = fields
        self.boosts = boosts
        self.grouping = grouping
        self.multifield = multifield
        self.repeats = repeats
        self.drop_function_words = drop_function_words


class _Parser:
    def __init__(self, text: str, opts: _Options, analyzer: Analyzer) -> None:
        self.text = text
        self.opts = opts
        self.analyzer = analyzer
        self.toks = tokenize(text)
        self.i = 0
        self.depth = 0
        self.dropped: list[str] = []  # stop words dropped, for the "nothing left" message
        #: Set when the query was all stop words: parse again keeping them (never drop the only word).
        self.keep_stops = False
        self.headline = headline_cased(text)
        self.words_seen: set[str] = set()
        #: Words left out because the query had more than MAX_QUERY_WORDS distinct ones.
        self.truncated = 0
        #: The languages each word is also analysed for: those of the index, or the ones the
        #: query's lang: filters name.
        self.languages = query_languages(self.toks, analyzer.languages)

    # -- token helpers
    def peek(self) -> Tok:
        return self.toks[self.i]

    def take(self) -> Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def enter(self, tok: Tok) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError("query nested too deeply (more than %d levels of "
                             "parentheses or NOT)" % MAX_DEPTH, tok.pos)

    # -- grammar
    def parse(self) -> Node:
        node = self.seq(None)
        tok = self.peek()
        if tok.kind == "RPAREN":
            raise QueryError("unmatched ')'", tok.pos)
        if node is None and len(self.dropped) == 1 and not self.keep_stops:
            # The only word is a common one ("us", "it"): search for it rather than for nothing.
            dropped = self.dropped
            self.i, self.depth, self.dropped, self.keep_stops = 0, 0, [], True
            node = self.seq(None)
            if node is None:
                self.dropped = dropped
        if node is None:
            if self.dropped:
                unique = list(dict.fromkeys(w.lower() for w in self.dropped))
                words = ", ".join("'%s'" % show(w, 20) for w in unique[:5])
                raise QueryError("nothing to search for: %s %s too common to be indexed"
                                 % (words, "is" if len(unique) == 1 else "are"), 0)
            raise QueryError("nothing to search for in '%s'" % show(self.text), 0)
        return ast.Not(node.query) if node.sign == "-" else node.query

    def seq(self, field: str | None) -> _Node | None:
        items: list[_Node] = []
        while True:
            tok = self.peek()
            if tok.kind in ("EOF", "RPAREN"):
                break
            if tok.kind in ("AND", "OR"):
                raise QueryError("'%s' needs something before it" % tok.kind, tok.pos)
            node = self.or_expr(field)
            if node is not None:
                items.append(node)
        return self.combine_seq(items)

    def or_expr(self, field: str | None) -> _Node | None:
        parts = [self.and_expr(field)]
        while self.peek().kind == "OR":
            op = self.take()
            self.need_operand(op)
            parts.append(self.and_expr(field))
        if len(parts) == 1:
            return parts[0]
        live = [p for p in parts if p is not None]
        if not live:
            return None
        if len(live) == 1:
            return live[0]
        qs = [ast.Not(p.query) if p.sign == "-" else p.query for p in live]
        return _Node(ast.Or(tuple(qs)), "", all(p.filter and p.sign != "-" for p in live))

    def and_expr(self, field: str | None) -> _Node | None:
        parts = [self.unary(field)]
        while self.peek().kind == "AND":
            op = self.take()
            self.need_operand(op)
            parts.append(self.unary(field))
        if len(parts) == 1:
            return parts[0]
        live = [p for p in parts if p is not None]
        if not live:
            return None
        neg = [p.query for p in live if p.sign == "-"]
        pos = [p for p in live if p.sign != "-"]
        if not pos:
            return _Node(_or(neg), "-")
        scoring = [p.query for p in pos if not p.filter]
        filters = [p.query for p in pos if p.filter]
        if scoring:
            q = _and(scoring)
            if filters:
                q = ast.Filtered(q, _and(filters))
        else:
            q = _and(filters)
        if neg:
            q = ast.Excluding(q, _or(neg))
        return _Node(q, "+", not scoring)

    def need_operand(self, op: Tok) -> None:
        if self.peek().kind in ("EOF", "RPAREN", "AND", "OR"):
            raise QueryError("'%s' needs something after it" % op.kind, op.pos)

    def unary(self, field: str | None) -> _Node | None:
        tok = self.peek()
        if tok.kind == "NOT":
            self.take()
            self.need_operand(tok)
            self.enter(tok)
            node = self.unary(field)
            self.depth -= 1
            return _flip(node)
        if tok.kind in ("MINUS", "PLUS"):
            self.take()
            nxt = self.peek()
            if nxt.kind in ("EOF", "RPAREN", "AND", "OR", "NOT"):
                raise QueryError("'%s' needs a word right after it" % tok.text, tok.pos)
            node = self.atom(field)
            if tok.kind == "MINUS":
                return _flip(node)
            if node is None or node.sign == "-":
                return node
            return _Node(node.query, "+", node.filter)
        return self.atom(field)

    def atom(self, field: str | None) -> _Node | None:
        tok = self.take()
        kind = tok.kind
        if kind == "LPAREN":
            self.enter(tok)
            node = self.seq(field)
            self.depth -= 1
            if self.peek().kind == "RPAREN":
                self.take()
            # else: an unclosed "(" closes at the end of the query
            return node
        if kind == "FIELD":
            nxt = self.peek()
            if nxt.kind not in ("WORD", "PHRASE", "LPAREN", "RANGE"):
                raise QueryError("'%s:' needs a value after it" % tok.text, tok.pos)
            if nxt.kind == "RANGE":
                self.take()
                return _Node(date_range(nxt), "", True)
            return self.atom(tok.text)
        if kind == "PHRASE":
            return self.phrase(tok, field)
        if kind == "WORD":
            return self.word(tok, field)
        if kind in ("MINUS", "PLUS"):  # "--a": the second sign is just a character
            return self.word(Tok("WORD", tok.text, tok.pos, tok.end), field)
        # RANGE cannot reach here (only after FIELD); RPAREN/EOF/operators are checked
        # by the callers, but stay total:
        raise QueryError("unexpected '%s'" % show(tok.text or kind), tok.pos)

    # -- leaves
    def targets(self, field: str | None) -> list[tuple[str, float]]:
        if field is None:
            return [(f, self.opts.boosts.get(f, 1.0)) for f in self.opts.fields]
        ixfield = USER_FIELDS[field]
        return [(ixfield, self.opts.boosts.get(ixfield, 1.0) if field != "outlet" else 1.0)]

    def fields_clause(self, field: str | None,
                      make: Callable[[str, float], Node | None]) -> _Node | None:
        qs = [q for f, b in self.targets(field) if (q := make(f, b)) is not None]
        if not qs:
            return None
        return _Node(_multifield(qs, self.opts.multifield), "", field in _FILTER_FIELDS)

    def terms_clause(self, field: str | None, tokens: Sequence[tuple[int, str]],
                     near: int | None = None) -> _Node | None:
        if not tokens:
            return None
        words = [t for _, t in tokens]
        offsets = [p - tokens[0][0] for p, _ in tokens]
        if len(words) == 1:
            return self.fields_clause(field, lambda f, b: ast.Term(f, words[0], boost=b))
        return self.fields_clause(
            field, lambda f, b: ast.Phrase(f, tuple(words), tuple(offsets), near, boost=b))

    def phrase(self, tok: Tok, field: str | None) -> _Node | None:
        if field == "date":
            return _Node(date_value(tok.text.strip(), tok.pos + 1), "", True)
        if field == "story":
            return self.story(tok.text.strip(), tok.pos)
        if field == "lang":
            return self.language(tok.text, tok.pos)
        if field == "outlet" and tok.near is None:
            return self.outlet(tok.text, tok.pos)
        tokens = self.analyzer.terms(tok.text, self.keep_stops)
        if not tokens:
            self.note_dropped(tok.text)
        return self.in_languages(tok.text, field, self.terms_clause(field, tokens, tok.near), tok.near)

    def in_languages(self, raw: str, field: str | None, node: _Node | None,
                     near: int | None = None) -> _Node | None:
        """``node`` (the words of ``raw`` analysed the default way) or, in an index with
        documents in other analysed languages, ``node`` OR the same words as each of those
        languages indexes them (title and body only). Documents are in one language, so at
        most one of the alternatives matches each."""
        if node is None or not self.languages or (field is not None and USER_FIELDS[field] not in LANGUAGE_FIELDS):
            return node
        alternatives = [node.query]
        for lang in self.languages:
            tokens = self.analyzer.terms_in(raw, lang)
            if not tokens:
                continue
            words = tuple(t for _, t in tokens)
            offsets = tuple(p - tokens[0][0] for p, _ in tokens)
            exact = self.analyzer.exact_term_in(raw, lang) if len(words) == 1 else None
            qs: list[Node] = []
            for f, b in self.targets(field):
                if f not in LANGUAGE_FIELDS:
                    continue
                if exact is not None:  # "Pékin": the exact spelling ranks first, as above
                    qs.append(ast.Or((ast.Term(f, exact, boost=b), ast.Term(f, words[0], boost=b))))
                elif len(words) == 1:
                    qs.append(ast.Term(f, words[0], boost=b))
                else:
                    qs.append(ast.Phrase(f, words, offsets, near, boost=b))
            if qs:
                alternative = _multifield(qs, self.opts.multifield)
                if alternative not in alternatives:
                    alternatives.append(alternative)
        if len(alternatives) == 1:
            return node
        out = _Node(ast.Or(tuple(alternatives)), node.sign, node.filter, node.function_word)
        out.word = node.word
        return out

    def language(self, raw: str, pos: int) -> _Node:
        return _Node(ast.Term("lang", language_code(raw, pos)), "", True)

    def note_dropped(self, raw: str) -> None:
        if _WORDCHAR_RE.search(raw):
            self.dropped.append(raw)

    def outlet(self, name: str, pos: int) -> _Node:
        if not name.strip():
            raise QueryError("outlet: needs a name", pos)
        return _Node(ast.Outlet(" ".join(name.split())), "", True)

    def story(self, story_id: str, pos: int) -> _Node:
        if not story_id:
            raise QueryError("story: needs a story id, as `searchkit stories` shows it", pos)
        return _Node(ast.Story(story_id), "", True)

    def word(self, tok: Tok, field: str | None) -> _Node | None:
        raw = tok.text
        if field == "date":
            return _Node(date_value(raw, tok.pos), "", True)
        if field == "story":
            return self.story(raw, tok.pos)
        if field == "lang":
            return self.language(raw, tok.pos)
        fuzzy = _FUZZY_RE.match(raw)
        if fuzzy is not None:
            return self.fuzzy(tok, fuzzy.group(1), fuzzy.group(2), field)
        core = raw.rstrip("?")  # "what is nitrocellulose?" asks; it is no wildcard
        key = _EDGE_RE.sub("", core.lower())
        if key not in self.words_seen:
            if len(self.words_seen) >= MAX_QUERY_WORDS:
                self.truncated += 1
                return None
            self.words_seen.add(key)
        if "*" in core or "?" in core:
            return self.wildcard(tok, core, field)
        if field == "outlet":
            return self.outlet(core, tok.pos)
        tokens = self.analyzer.terms(raw, self.keep_stops)
        if not tokens:
            self.note_dropped(raw)
        exact = self.analyzer.exact_term(raw) if len(tokens) == 1 else None
        if exact is not None:
            # "Pékin": the folded term finds every spelling, the exact one ranks it first.
            folded = tokens[0][1]
            node = self.fields_clause(field, lambda f, b: ast.Or(
                (ast.Term(f, exact, boost=b), ast.Term(f, folded, boost=b))))
        else:
            node = self.terms_clause(field, tokens)
        node = self.in_languages(raw, field, node)
        if (node is not None and field is None and self.opts.drop_function_words
                and core.lower().replace("\u2019", "'") in self.analyzer.stop_words
                and not typed_in_capitals(core, sentence_start(self.text, tok.pos), self.headline)):
            node.function_word = True
            node.word = core
        return node

    def wildcard(self, tok: Tok, core: str, field: str | None) -> _Node | None:
        pattern = _EDGE_RE.sub("", core.lower().replace("\u2019", "'"))
        if not _WORDCHAR_RE.search(pattern):
            raise QueryError("a wildcard needs at least one letter or digit: '%s'"
                             % show(tok.text), tok.pos)
        if pattern.endswith("*") and "*" not in pattern[:-1] and "?" not in pattern:
            prefix = pattern.rstrip("*")
            stems = [prefix]
            stemmed = self.analyzer.stem(prefix)
            if stemmed != prefix and stemmed:
                stems.append(stemmed)

            def make(f: str, b: float) -> Node:
                return _or([ast.Prefix(f, p, boost=b) for p in stems])

            return self.fields_clause(field, make)
        patterns = [pattern]
        stemmed = self.analyzer.stem(pattern)  # "m?croscopes" -> "m?croscop", as the index holds it
        if stemmed != pattern and all(stemmed.count(c) == pattern.count(c) for c in "*?"):
            patterns.append(stemmed)
        return self.fields_clause(
            field, lambda f, b: _or([ast.Wildcard(f, p, boost=b) for p in patterns]))

    def fuzzy(self, tok: Tok, base: str, digits: str, field: str | None) -> _Node | None:
        if digits:
            if len(digits) > 1 or int(digits) > MAX_FUZZY:
                raise QueryError("fuzzy edit distance must be 0, 1 or 2: '%s'"
                                 % show(tok.text), tok.pos)
            dist: int | None = int(digits)
        else:
            dist = None
        tokens = self.analyzer.terms(base, self.keep_stops)
        if not tokens:
            self.note_dropped(base)
            return None
        words = [t for _, t in tokens]

        def one(f: str, b: float, w: str) -> Node:
            d = _auto_distance(w) if dist is None else dist
            if d == 0:
                return ast.Term(f, w, boost=b)
            # the exact word ranks above its neighbours (FuzzyTerm scores constantly)
            return ast.Or((ast.Term(f, w, boost=b), ast.Fuzzy(f, w, d, boost=b)))

        return self.fields_clause(field, lambda f, b: _and([one(f, b, w) for w in words]))

    # -- combination
    def combine_seq(self, items: list[_Node]) -> _Node | None:
        if not items:
            return None
        if len(items) == 1:
            return items[0] if items[0].sign == "-" else _Node(items[0].query, "",
                                                                items[0].filter)
        # As in plain mode: "what is nitrocellulose" looks for nitrocellulose, not for "what"
        # (rare in articles, so its idf would let it decide the order).
        if any(not n.function_word for n in items):
            for n in items:
                if n.function_word and n.sign == "":
                    self.dropped.append(n.word)
            items = [n for n in items if not (n.function_word and n.sign == "")]
        required = [n.query for n in items if n.sign == "+" and not n.filter]
        filters = [n.query for n in items if n.sign != "-" and n.filter]
        # a repeated word counts once, as in plain mode
        optional = list(dict.fromkeys(n.query for n in items if n.sign == "" and not n.filter))
        prohibited = [n.query for n in items if n.sign == "-"]
        if self.opts.grouping == "and":
            required, optional = required + optional, []
        q: Node | None = None
        if required:
            q = _and(required)
            if optional:
                q = ast.AndMaybe(q, _group(optional, self.opts))
        elif optional:
            q = _group(optional, self.opts)
        if filters:
            q = ast.Filtered(q, _and(filters)) if q is not None else _and(filters)
        if q is None:
            return _Node(_or(prohibited), "-")
        if prohibited:
            q = ast.Excluding(q, _or(prohibited))
        return _Node(q, "", not required and not optional)


_SENTENCE_END = frozenset(".?!:;\n")
_OPENERS = frozenset(" \t\"'(\u201c\u2018\u00ab")
_LETTERS_RE = re.compile(r"[^\W\d_]+")


def language_code(raw: str, pos: int = 0) -> str:
    """The ISO 639-1 code of a ``lang:`` value (``ru``, ``de-AT``, ``German``), or QueryError."""
    from ..ingest.language import normalise_code

    code = normalise_code(raw.strip())
    if code is None:
        raise QueryError("lang: needs a language code like ru or de, not '%s'" % show(raw), pos)
    return code


def query_languages(toks: Sequence[Tok], languages: Sequence[str]) -> tuple[str, ...]:
    """The index's analysed ``languages``, or only those that the query's ``lang:`` filters
    name (the words then need no other analysis)."""
    named = set()
    for i, (tok, nxt) in enumerate(zip(toks, toks[1:])):
        negated = i > 0 and toks[i - 1].kind in ("MINUS", "NOT")
        if tok.kind == "FIELD" and tok.text == "lang" and nxt.kind in ("WORD", "PHRASE") and not negated:
            from ..ingest.language import normalise_code

            code = normalise_code(nxt.text.strip())
            if code:
                named.add(code)
    if not named:
        return tuple(languages)
    return tuple(lang for lang in languages if lang in named)


def sentence_start(text: str, pos: int) -> bool:
    """Whether the word at ``pos`` opens the text or a sentence (after . ? ! : ;)."""
    i = pos - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in _SENTENCE_END


def headline_cased(text: str) -> bool:
    """Whether ``text`` reads like a headline, its longer words all capitalised
    ("Satellite Imagery From China Helps Russia"): then "From" is no name."""
    long_words = [w for w in _LETTERS_RE.findall(text[:2000]) if len(w) >= 4]
    return len(long_words) >= 2 and all(w[0].isupper() for w in long_words)


def typed_in_capitals(word: str, at_sentence_start: bool, headline: bool) -> bool:
    """A common word the user means: all capitals ("US", "WHO", "IT"), or capitalised
    inside a sentence ("in May", "Theresa May") of a text that is not a headline."""
    letters = "".join(_LETTERS_RE.findall(word))
    if len(letters) >= 2 and letters.isupper():
        return True
    return (bool(letters) and letters[0].isupper() and letters[1:].islower()
            and not at_sentence_start and not headline)


def _flip(node: _Node | None) -> _Node | None:
    if node is None:
        return None
    if node.sign == "-":
        return _Node(node.query, "", node.filter)
    return _Node(node.query, "-", node.filter)


def _and(qs: list[Node]) -> Node:
    return qs[0] if len(qs) == 1 else ast.And(tuple(qs))


def _or(qs: list[Node]) -> Node:
    return qs[0] if len(qs) == 1 else ast.Or(tuple(qs))


def _multifield(qs: list[Node], how: str) -> Node:
    if len(qs) == 1:
        return qs[0]
    return ast.DisMax(tuple(qs)) if how == "max" else ast.Or(tuple(qs))


def _auto_distance(word: str) -> int:
    """Edit distance for ``word~`` (Elasticsearch's AUTO): 0, 1 or 2 by length."""
    return 0 if len(word) <= 2 else 1 if len(word) <= 5 else 2


def _group(qs: list[Node], opts: _Options, weight: float | None = None) -> Node:
    """Combine the optional clauses of a word list according to ``opts.grouping``.

    ``weight`` is the sum of the clauses' own boosts when it exceeds one per clause.
    "all_first" applies to keyword-length lists only: in a pasted passage hardly any
    article has every word, so the bonus clause would cost time (about 1.3x) and never
    change the order (measured on Cranfield: nDCG@10 equal within 0.002).
    """
    if len(qs) == 1:
        return qs[0]
    if opts.grouping == "all_first" and len(qs) > ALL_FIRST_MAX_WORDS:
        return ast.Or(tuple(qs))
    if opts.grouping == "and":
        return ast.And(tuple(qs))
    if opts.grouping == "coord":
        return ast.Or(tuple(qs), scale=COORD_SCALE)
    if opts.grouping == "or":
        return ast.Or(tuple(qs))
    # all_first: a bonus above any BM25 sum. Per word and field, Whoosh's BM25F scores at
    # most idf * (K1 + 1) < 35 for any index under 10^6 documents (idf <= ln(N) + 1).
    # The bonus re-tests the clauses without their own (nested) bonuses, so nesting
    # grows the query linearly per level, not 2**depth.
    top = max([1.0, *opts.boosts.values()])
    bonus = 100.0 * top * len(opts.fields) * max(weight or 0.0, len(qs))
    distinct = list(dict.fromkeys(_without_bonus(q) for q in qs))
    return ast.Or((*qs, ast.AllWordsBonus(_and(distinct), bonus)))


def _without_bonus(q: Node) -> Node:
    if isinstance(q, ast.AllWordsBonus):
        return ast.NOTHING
    if isinstance(q, ast.Or):
        subs = [_without_bonus(s) for s in q.items if not isinstance(s, ast.AllWordsBonus)]
        return subs[0] if len(subs) == 1 else ast.Or(tuple(subs), boost=q.boost, scale=q.scale)
    return ast.map_children(q, _without_bonus)


def parse(text: str, analyzer: Analyzer, *, plain: bool = False,
          fields: Iterable[str] = DEFAULT_FIELDS,
          field_boosts: dict[str, float] | None = None,
          grouping: str = "all_first", multifield: str = "or",
          repeats: str = "saturate", drop_function_words: bool = True, k3: float = DEFAULT_K3,
          ignored: list[str] | None = None, notices: list[str] | None = None) -> Node:
    """Turn a user's query into a query tree, analysing words with ``analyzer``.

    ``plain=True`` reads ``text`` as pasted prose: no operators, every word counts
    (``repeats``: how a repeated word weighs, see REPEATS); it never raises, and a text
    with no searchable word gives :data:`~searchkit.querylang.ast.NOTHING`. Otherwise the query
    language of this module applies and malformed input raises :class:`QueryError`
    with a one-line message and the character position.

    Words left out as too common are appended to ``ignored`` (as typed, lower-cased), for
    the "ignored the common word 'of'" notice; other things worth telling the user (words
    left out of a huge query) to ``notices``.
    """
    if grouping not in GROUPINGS:
        raise ValueError("grouping must be one of %s" % ", ".join(GROUPINGS))
    if multifield not in MULTIFIELD:
        raise ValueError("multifield must be one of %s" % ", ".join(MULTIFIELD))
    if repeats not in REPEATS:
        raise ValueError("repeats must be one of %s" % ", ".join(REPEATS))
    boosts = dict(DEFAULT_FIELD_BOOSTS)
    if field_boosts:
        boosts.update(field_boosts)
    opts = _Options(tuple(fields), boosts, grouping, multifield, repeats, drop_function_words, k3)
    if not isinstance(text, str):
        raise TypeError("query must be a str")
    notes: list[str] = []
    if plain:
        node = _plain_query(text, opts, analyzer, notes)
    else:
        if not text.strip():
            raise QueryError("empty query", 0)
        parser = _Parser(text, opts, analyzer)
        node = parser.parse()
        notes = parser.dropped
        if parser.truncated and notices is not None:
            notices.append("the query has more than %d different words: %d more were left out"
                           % (MAX_QUERY_WORDS, parser.truncated))
    if ignored is not None:
        ignored.extend(dict.fromkeys(w.lower().replace("\u2019", "'") for w in notes))
    return node


def repeat_weight(n: int, repeats: str, k3: float = DEFAULT_K3) -> float:
    """The weight of a word said ``n`` times in pasted text (see REPEATS)."""
    if repeats == "count":
        return float(n)
    if repeats == "log":
        return 1.0 + math.log(n)
    if repeats == "saturate":
        return (k3 + 1.0) * n / (k3 + n)
    return 1.0


def _plain_query(text: str, opts: _Options, analyzer: Analyzer, notes: list[str]) -> Node:
    # Pasted questions are full of function words ("what", "any", "there") that are rare in
    # articles, so their idf is high and they pull in the wrong documents. Drop them unless
    # typed in capitals ("US", "in May") or nothing else is left; stop words the index leaves
    # out ("of", "the" in lower case) cannot be searched unless they are all there is.
    stop_words = analyzer.stop_words
    headline = headline_cased(text)
    content: list[str] = []
    function: list[tuple[str, str]] = []
    stopped: list[tuple[str, str]] = []
    original_of: dict[str, str] = {}  # a term -> the first word written for it
    for term, original, start, is_stop in analyzer.terms_with_originals(text):
        word = original.lower().replace("\u2019", "'")
        original_of.setdefault(term, original)
        if is_stop:
            stopped.append((term, word))
        elif (opts.drop_function_words and word in stop_words
              and not typed_in_capitals(original, sentence_start(text, start), headline)):
            function.append((term, word))
        else:
            content.append(term)
    if content:
        notes.extend(w for _, w in function + stopped)
    elif function:
        content = [t for t, _ in function]
        notes.extend(w for _, w in stopped)
    elif len(stopped) == 1:  # never drop the only word
        content = [t for t, _ in stopped]
    counts: dict[str, int] = {}
    for term in content:
        counts[term] = counts.get(term, 0) + 1
    if not counts:
        return ast.NOTHING
    clauses = []
    total = 0.0
    for word, n in counts.items():
        weight = repeat_weight(n, opts.repeats, opts.k3)
        total += weight
        qs: list[Node] = [ast.Term(f, word, boost=opts.boosts.get(f, 1.0) * weight) for f in opts.fields]
        clause = _multifield(qs, opts.multifield)
        alternatives = [clause]
        for lang in analyzer.languages if any(f in LANGUAGE_FIELDS for f in opts.fields) else ():
            # The word as each language's documents index it (see _Parser.in_languages).
            for _, other in analyzer.terms_in(original_of.get(word, word), lang)[:1]:
                alt = _multifield([ast.Term(f, other, boost=opts.boosts.get(f, 1.0) * weight)
                                   for f in opts.fields if f in LANGUAGE_FIELDS], opts.multifield)
                if alt not in alternatives:
                    alternatives.append(alt)
        clauses.append(clause if len(alternatives) == 1 else ast.Or(tuple(alternatives)))
    return _group(clauses, opts, total)
