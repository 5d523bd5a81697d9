"""The OpenSearch mapping: fields, analysis, and the version stored with them.

Analysis is the local one (:mod:`searchkit.engine.whoosh.analysis`) as far as OpenSearch's
built-in analysers allow: words by the standard tokenizer (Unicode word breaks), CJK runs as
overlapping bigrams (``cjk_bigram``), stop words dropped only when written in lower case
(``US``, ``IT`` and ``May`` stay, as names) with their positions kept, Snowball English
stemming (the same Porter2 algorithm as PyStemmer), and accented Latin words indexed twice at
one position, exact and folded (``asciifolding`` with ``preserve_original``). Soft hyphens and
curly apostrophes are mapped before tokenizing; full-width ASCII is mapped to ASCII.

Where it differs from the local index (OpenSearch has no NFKC without the ICU plugin, and no
notion of a sentence's first word):
* a stop word capitalised at the start of a sentence ("The", "It") is indexed (the local
  index drops it there); queries never look for it, so only phrase gaps can differ;
* compatibility forms other than full-width ASCII (ligatures such as "ﬁ") are not normalised;
* words are split at Unicode word boundaries rather than the local pattern, so a few
  punctuation cases (``U.S.A.``, words joined by ``_``) tokenize differently;
* every article's words are stemmed as English: the local index analyses an article detected
  in Russian, German, French... with its language's stemmer. Each article's language is
  kept (``lang``), so ``lang:`` filters and the language facet are the same on both.
The query tree's terms come from the local analysis; the behaviour suite checks that both
engines find the same documents.
"""

from __future__ import annotations

from typing import Any

#: Bump when a field or its analysis changes: an index of another version is refused with the
#: local index's message (``searchkit index --rebuild``).
MAPPING_VERSION = 2

#: Stored with the mapping (``_meta``) and in every searchkit index's pointer.
SCHEMA_KIND = "searchkit-opensearch"


def _stop_words() -> list[str]:
    from ..whoosh.analysis import STOPS

    return sorted(STOPS)


def _fullwidth() -> list[str]:
    """Full-width ASCII (U+FF01-FF5E) to ASCII, as NFKC would."""
    out = []
    for code in range(0xFF01, 0xFF5F):
        ascii_char = chr(code - 0xFEE0)
        if ascii_char in "\\=>":  # mapping syntax; those stay as they are
            continue
        out.append(f"\\u{code:04x}=>{ascii_char}")
    return out


def analysis() -> dict[str, Any]:
    return {
        "char_filter": {
            "news_chars": {"type": "mapping",
                           "mappings": ["\\u00ad=>", "\\u2019=>'", "\\u3000=>\\u0020", *_fullwidth()]},
        },
        "filter": {
            # Case-sensitive, before lower-casing: "us" goes, "US" stays (a name).
            "news_stop": {"type": "stop", "stopwords": _stop_words(), "ignore_case": False},
            "news_fold": {"type": "asciifolding", "preserve_original": True},
            "news_stem": {"type": "snowball", "language": "English"},
            "news_cjk": {"type": "cjk_bigram"},
        },
        "analyzer": {
            "news": {"type": "custom", "char_filter": ["news_chars"], "tokenizer": "standard",
                     "filter": ["news_cjk", "news_stop", "lowercase", "news_fold", "news_stem"]},
            # Words as written (lower case, unstemmed): did-you-mean and completion show them.
            "news_words": {"type": "custom", "char_filter": ["news_chars"], "tokenizer": "standard",
                           "filter": ["lowercase"]},
        },
    }


def _text(**extra: Any) -> dict[str, Any]:
    return {"type": "text", "analyzer": "news", "index_options": "offsets", **extra}


def mappings(*, corpus: str | None = None) -> dict[str, Any]:
    keyword_stored = {"type": "keyword"}
    not_indexed = {"type": "keyword", "index": False, "doc_values": False}
    return {
        "dynamic": "strict",
        "_meta": {"kind": SCHEMA_KIND, "version": MAPPING_VERSION},
        "properties": {
            "doc_id": keyword_stored,
            "file": keyword_stored,
            "title": _text(),
            "body": _text(fields={"words": {"type": "text", "analyzer": "news_words", "index_options": "docs",
                                            "norms": False}}),
            "outlet": keyword_stored,
            "outlet_key": keyword_stored,
            "outlet_text": {"type": "text", "analyzer": "news"},
            "date": {"type": "date", "format": "strict_date"},
            # The article's language (ISO 639-1; absent when unknown or mixed) and its source.
            "lang": keyword_stored,
            "lang_source": not_indexed,
            "url": not_indexed,
            "author": {"type": "keyword"},
            "title_source": not_indexed,
            "outlet_source": not_indexed,
            "date_source": not_indexed,
            "url_source": not_indexed,
            "author_source": not_indexed,
            "page_starts": {"type": "integer", "index": False, "doc_values": False},
            "captured": not_indexed,
            # Incremental runs compare these (size, mtime, content hash, metadata entry, file).
            "sha256": keyword_stored,
            "mtime_ns": {"type": "long"},
            "state": not_indexed,
            # The story the article belongs to (written by the stories stage), else its own id:
            # field collapsing groups by it.
            "story": keyword_stored,
        },
    }


def settings(*, shards: int, replicas: int) -> dict[str, Any]:
    return {
        "number_of_shards": shards,
        "number_of_replicas": replicas,
        # Bulk loads refresh on demand (the writer's commit), not every second.
        "refresh_interval": "-1",
        "analysis": analysis(),
        "similarity": {"default": {"type": "BM25", "k1": 1.2, "b": 0.75}},
        "highlight": {"max_analyzed_offset": 50_000_000},
        "max_result_window": 100_000,
    }
