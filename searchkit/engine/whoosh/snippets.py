"""Snippets: the best fragments of a hit's body, as plain text with the offsets of the
matched words, phrases highlighted only where they occur as phrases."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from whoosh import highlight
from whoosh import query as wq
from whoosh.reading import TermNotFound

from . import internals
from .compile import query_words
from .querywalk import leaves as query_leaves
from .queries import GappedPhrase, phrase_spans
from ...models import Passage
from ..passages import SNIPPET_CHARS, SNIPPET_FRAGMENTS, lead_snippet, merge_fragments, snippet_from  # noqa: F401  (re-exported)

# Highlight matches anywhere in an article, not only in its first 32 KB (Whoosh pitfall 4, docs/whoosh-pitfalls.md).
HIGHLIGHT_CHARLIMIT = 2**31 - 1


class _SpanFormatter(highlight.Formatter):
    """Returns ``(snippet, spans)``: plain text and the offsets of the highlighted terms."""

    def format(self, fragments, replace=False):
        return fragments


class _PhraseMarks:
    """Decides which matched words of a hit to highlight for a query with phrases.

    Whoosh marks every occurrence of every matched word; for ``"shock waves"`` only the
    places where the words stand as the phrase should light up. A word the query also asks
    for on its own (``"shock waves" shock``) is still marked everywhere.
    """

    def __init__(self, query: wq.Query, fieldname: str = "body") -> None:
        leaves = [q for q in query_leaves(query, opaque=(wq.Phrase,)) if getattr(q, "fieldname", fieldname) == fieldname]
        self.phrases = [q for q in leaves if isinstance(q, GappedPhrase)]
        loose = {q.text for q in leaves if isinstance(q, wq.Term)}
        self.phrase_only = {w for p in self.phrases for w in p.words} - loose
        # A prefix, wildcard or fuzzy word may stand for any phrase word: mark all, as before.
        if any(isinstance(q, wq.MultiTerm) for q in leaves):
            self.phrase_only = set()

    def keep(self, tokens: list) -> list:
        if not self.phrase_only:
            return tokens
        positions: dict[str, list[int]] = {}
        for t in tokens:
            positions.setdefault(t.text, []).append(t.pos)
        in_phrase: set[tuple[str, int]] = set()
        for phrase in self.phrases:
            word_positions = [sorted(positions.get(w, ())) for w in phrase.words]
            if not all(word_positions):
                continue
            for span in phrase_spans(phrase, word_positions):
                # Only the positions inside the span, found by bisection: looking at every
                # position for every span was quadratic in the article's length (311 s for a
                # phrase in a 45 MB article).
                for w, ps in zip(phrase.words, word_positions):
                    i = bisect_left(ps, span.start)
                    while i < len(ps) and ps[i] <= span.end:
                        in_phrase.add((w, ps[i]))
                        i += 1
        return [t for t in tokens if t.text not in self.phrase_only or (t.text, t.pos) in in_phrase]


def matched_spans(query: wq.Query, text: str, lang: str | None = None) -> list[tuple[int, int]]:
    """Where ``text`` (read as an article in ``lang``) holds what ``query`` looks for in
    titles and bodies, as character offsets: each word it asks for, and a phrase's words
    only where they stand as the phrase (as snippets mark them)."""
    from .analysis import text_analyzer

    terms = {term for field, term in query_words(query) if field in ("title", "body")}
    if not terms:
        return []
    options = {"lang": lang} if lang else {}
    tokens = [t.copy() for t in text_analyzer()(text, chars=True, positions=True, **options) if t.text in terms]
    return [(t.startchar, t.endchar) for t in _PhraseMarks(query).keep(tokens)]


class _PhraseAwareFragmenter(highlight.PinpointFragmenter):
    """Whoosh's pinpoint fragmenter, fed only the matches ``marks`` keeps."""

    def __init__(self, marks: _PhraseMarks | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.marks = marks

    def fragment_matches(self, text, matched_tokens):
        if self.marks is not None:
            matched_tokens = self.marks.keep(list(matched_tokens))
        return super().fragment_matches(text, matched_tokens)


def record_matched_terms(searcher, query: wq.Query, hits: list, postings=None,
                         fieldname: str = "body") -> None:
    """Tell Whoosh which of the query's words each of ``hits`` contains in ``fieldname``,
    and where.

    The pinpoint highlighter reads that from the hits' results. Whoosh can record it during
    the search (``terms=True``), but then pays for every document the search visits; here
    only the hits shown are looked up: in the posting blocks the search already read
    (``postings``, a :class:`~searchkit.engine.whoosh.docsets.SearchPostings`) when it has them all, else
    with one posting-list skip per word.
    """
    field = searcher.schema[fieldname]
    words = sorted(text for f, text in query_words(query, searcher.reader()) if f == fieldname)
    by_results: dict[int, tuple] = {}
    for hit in hits:
        by_results.setdefault(id(hit.results), (hit.results, []))[1].append(hit.docnum)
    leaves = searcher.leaf_searchers()
    dense = getattr(postings, "reads_any_word", False)  # packed postings: read any word
    postings = getattr(postings, "postings", postings)  # the set path's SearchPostings
    cached = dense or postings is not None and all(
        postings.cached_blocks(leaf.reader(), fieldname, w) is not None or (fieldname, field.to_bytes(w)) not in leaf.reader()
        for w in words for leaf, _ in leaves)
    for results, docnums in by_results.values():
        docnums.sort()
        termdocs: dict[tuple[str, bytes], list[int]] = {}
        docterms: dict[int, list[tuple[str, bytes]]] = {}
        chars: dict[int, dict[str, list]] = {d: {} for d in docnums}
        for word in words:
            btext = field.to_bytes(word)
            present: Iterable[int]
            if dense:
                places = postings.characters(fieldname, word, docnums)
                for docnum, found_chars in places.items():
                    chars[docnum][word] = found_chars
                present = places
            elif cached:
                found = _values_from_blocks(postings, leaves, fieldname, word, docnums)
                for docnum, value in found.items():
                    chars[docnum][word] = field.format.decode_as("characters", value)
                present = found
            else:
                present = _present_by_skipping(searcher, fieldname, btext, docnums)
            for docnum in present:
                termdocs.setdefault((fieldname, btext), []).append(docnum)
                docterms.setdefault(docnum, []).append((fieldname, btext))
        results.termdocs, results.docterms = termdocs, docterms
        if cached:
            internals.set_highlight_chars(results, fieldname, chars)


def _values_from_blocks(postings, leaves, fieldname: str, word: str, docnums: list[int]) -> dict[int, bytes]:
    """The encoded postings of ``word`` in those of ``docnums`` (global, sorted) that have it."""
    found: dict[int, bytes] = {}
    bounds = [(offset, offset + leaf.reader().doc_count_all(), leaf.reader()) for leaf, offset in leaves]
    for docnum in docnums:
        for start, end, reader in bounds:
            if start <= docnum < end:
                break
        else:
            continue
        local = docnum - start
        for ids, _weights, values in postings.cached_blocks(reader, fieldname, word) or ():
            if ids and ids[-1] >= local:
                i = bisect_left(ids, local)
                if ids[i] == local:
                    found[docnum] = values[i]
                break
    return found


def _present_by_skipping(searcher, fieldname: str, btext: bytes, docnums: list[int]) -> list[int]:
    try:
        matcher = searcher.postings(fieldname, btext)
    except TermNotFound:
        return []
    present = []
    for docnum in docnums:
        if matcher.is_active() and matcher.id() < docnum:
            matcher.skip_to(docnum)
        if not matcher.is_active():
            break
        if matcher.id() == docnum:
            present.append(docnum)
    return present


def snippet_highlighter(query: wq.Query) -> highlight.Highlighter:
    """A highlighter for the hits of ``query``."""
    marks = _PhraseMarks(query)
    fragmenter = _PhraseAwareFragmenter(
        marks if marks.phrase_only else None,
        maxchars=SNIPPET_CHARS, surround=SNIPPET_CHARS // 2 - 20, autotrim=True, charlimit=HIGHLIGHT_CHARLIMIT,
    )
    return highlight.Highlighter(fragmenter=fragmenter, formatter=_SpanFormatter(), order=highlight.FIRST)


def make_snippet(hit, highlighter) -> tuple[str, tuple[tuple[int, int], ...], tuple[Passage, ...]]:
    """The best fragments of the hit's body with the matched terms' offsets in them, and the
    same fragments as :class:`Passage` objects (offsets into the whole body)."""
    text = hit.get("body") or ""
    fragments = []
    try:
        fragments = highlighter.highlight_hit(hit, "body", text=text, top=SNIPPET_FRAGMENTS)
    except KeyError:
        fragments = []
    return snippet_from(text, [(f.startchar, f.endchar, [(t.startchar, t.endchar) for t in f.matches])
                               for f in fragments])


