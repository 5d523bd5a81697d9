"""Does a word find its other inflected forms, in each language, and only in its own language?

Run ``python benchmarks/inflection.py`` from the repository root (``pip install simplemma``:
its lemma lists, from Wiktionary and other open sources, are the truth about which forms belong
together; nobody on this project wrote them). Two parts, written to
``benchmarks/results/inflection-DATE.json``:

1. **Stemmer level**, for every language that both simplemma and searchkit's analysis know (and
   English as the control): up to 3,000 lemmas with several forms each (seeded sample). *Recall*:
   the share of pairs of forms of one lemma that get one term. *Overstemming*: of the pairs of
   forms that get one term, the share that belong to different lemmas (Paice's measure; the
   lower the better). "before" is the analysis every document had until now (the English
   stemmer for all), "after" the language's own. For Ukrainian, which Snowball lacks, three
   candidates: no stemming, the Russian stemmer, and searchkit's light suffix stripper. The
   lemmas are split in two halves by a hash of the lemma: the stripper's endings were written
   looking at the *dev* half only; the *held-out* half is reported separately.
2. **Search level**, on the 125 real news pages of ``benchmarks/data/news-html-dev`` (17
   languages, language checked by hand in its ``index.tsv``): for each article in a language
   with a lemma list, up to 5 of its words (5+ letters) whose lemma has another form that the
   article never uses; that other form is the query. *Recall*: the share of queries that find
   their article. *Cross-language hits*: of all hits, the share in articles of another
   language (a German query word matching an English article). Both before (every document's
   language made unknown in metadata.toml, so analysed the old way) and after, on the same
   pages in the same run.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import random
import re
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DATA = ROOT / "benchmarks" / "data" / "news-html-dev"
WORK = ROOT / "benchmarks" / "work" / "inflection"
SEED = 23
LEMMAS_PER_LANGUAGE = 3000
QUERIES_PER_ARTICLE = 5
_WORD = re.compile(r"^[^\W\d_]{3,}$")


def lemma_lists(lang: str) -> dict[str, set[str]]:
    """lemma -> its forms (lower case, letters only), from simplemma's list for ``lang``."""
    from simplemma.strategies.dictionaries.dictionary_factory import _load_dictionary_from_disk

    forms: dict[str, set[str]] = defaultdict(set)
    for form, lemma in _load_dictionary_from_disk(lang).items():
        f, lem = form.decode("utf-8").lower(), lemma.decode("utf-8").lower()
        if _WORD.match(f) and _WORD.match(lem):
            forms[lem].add(f)
            forms[lem].add(lem)
    return forms


def half(lemma: str) -> str:
    return "dev" if hashlib.sha256(lemma.encode("utf-8")).digest()[0] % 2 == 0 else "held-out"


def analysers(lang: str) -> dict:
    from searchkit.engine.whoosh.analysis import ANALYSED_LANGUAGES, stem, stem_in

    out = {"before (English stemmer)": stem}
    if lang == "en":
        return out
    if lang == "uk":
        import Stemmer

        russian = Stemmer.Stemmer("russian")
        out["uk: no stemming"] = lambda w: w
        out["uk: Russian Snowball"] = russian.stemWord
        out["after: uk light stripper"] = lambda w: stem_in(w, "uk")
    elif lang in ANALYSED_LANGUAGES:
        out["after (own stemmer)"] = lambda w, lang=lang: stem_in(w, lang)
    return out


def pair_scores(groups: list[tuple[str, set[str]]], fn) -> dict:
    pairs = together = 0
    by_term: dict[str, list[str]] = defaultdict(list)
    for lemma, forms in groups:
        terms = [fn(f) for f in sorted(forms)]
        for i in range(len(terms)):
            for j in range(i + 1, len(terms)):
                pairs += 1
                together += terms[i] == terms[j]
        for t in terms:
            by_term[t].append(lemma)
    same_term_pairs = wrong = 0
    for lemmas in by_term.values():
        n = len(lemmas)
        same_term_pairs += n * (n - 1) // 2
        counts: dict[str, int] = defaultdict(int)
        for lem in lemmas:
            counts[lem] += 1
        wrong += (n * (n - 1) - sum(c * (c - 1) for c in counts.values())) // 2
    return {"recall": round(together / pairs, 4) if pairs else None,
            "overstemming": round(wrong / same_term_pairs, 4) if same_term_pairs else 0.0,
            "pairs": pairs, "false_pairs": wrong}


def stemmer_level() -> dict:
    from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

    from searchkit.engine.whoosh.analysis import ANALYSED_LANGUAGES

    out = {}
    for lang in sorted((ANALYSED_LANGUAGES | {"en"}) & set(SUPPORTED_LANGUAGES)):
        forms = lemma_lists(lang)
        rng = random.Random(f"{SEED}-{lang}")
        groups = sorted((lem, f) for lem, f in forms.items() if 2 <= len(f) <= 60)
        rng.shuffle(groups)
        result = {}
        for part in ("dev", "held-out"):
            chosen = [g for g in groups if half(g[0]) == part][:LEMMAS_PER_LANGUAGE]
            result[part] = {name: pair_scores(chosen, fn) for name, fn in analysers(lang).items()}
        out[lang] = result
        print(lang, json.dumps(result["held-out"], ensure_ascii=False))
    return out


# --------------------------------------------------------------------------------------------
# Search level


def _corpus(languages_known: bool) -> Path:
    folder = WORK / ("after" if languages_known else "before") / "corpus"
    if folder.exists():
        shutil.rmtree(folder.parent)
    folder.mkdir(parents=True)
    for page in sorted((DATA / "pages").iterdir()):
        shutil.copy(page, folder / page.name)
    if not languages_known:
        entries = "".join(f'["{p.name}"]\nlang = ""\n' for p in sorted(folder.iterdir()))
        (folder / "metadata.toml").write_text(entries, encoding="utf-8")
    return folder


def search_level() -> dict:
    import searchkit

    truth = {row["name"]: row["language"] for row in
             csv.DictReader((DATA / "index.tsv").open(encoding="utf-8"), delimiter="\t")}
    from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

    indexes = {}
    build_s = {}
    for name, known in (("before", False), ("after", True)):
        corpus = _corpus(known)
        started = time.perf_counter()
        indexes[name] = searchkit.build_index(corpus, corpus.parent / "index", rebuild=True)
        build_s[name] = round(time.perf_counter() - started, 2)
    after = indexes["after"]
    detected = {d: after.document(d).meta.lang for d in truth}
    lemma_of: dict[str, dict[str, str]] = {}
    forms_of: dict[str, dict[str, set[str]]] = {}
    queries: list[tuple[str, str, str]] = []  # (doc, language, query form)
    rng = random.Random(SEED)
    for doc, lang in sorted(truth.items()):
        if lang not in SUPPORTED_LANGUAGES:
            continue
        if lang not in forms_of:
            forms_of[lang] = lemma_lists(lang)
            lemma_of[lang] = {f: lem for lem, fs in forms_of[lang].items() for f in fs}
        text = after.document(doc).text
        used = {w.lower() for w in re.findall(r"[^\W\d_]+", text)}
        candidates = sorted({w for w in used if len(w) >= 5 and w in lemma_of[lang]})
        rng.shuffle(candidates)
        taken = 0
        for word in candidates:
            others = sorted(forms_of[lang][lemma_of[lang][word]] - used)
            others = [o for o in others if len(o) >= 4]
            if not others:
                continue
            queries.append((doc, lang, rng.choice(others)))
            taken += 1
            if taken >= QUERIES_PER_ARTICLE:
                break
    results: dict = {"build_s": build_s, "queries": len(queries),
                     "language_of_pages": {"right": sum(detected[d] == truth[d] for d in truth),
                                           "unknown": sum(detected[d] is None for d in truth),
                                           "of": len(truth)},
                     "by_language": {}}
    rows: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(float)))
    for doc, lang, form in queries:
        for name, ix in indexes.items():
            hits = ix.search(form, limit=200, snippets=False).hits
            found = [h.doc_id for h in hits]
            row = rows[lang][name]
            row["queries"] += 1
            row["found"] += doc in found
            row["hits"] += len(found)
            row["other_language_hits"] += sum(truth.get(d) != lang for d in found)
    for lang, by_name in sorted(rows.items()):
        results["by_language"][lang] = {
            name: {"queries": int(r["queries"]), "recall": round(r["found"] / r["queries"], 3),
                   "hits": int(r["hits"]),
                   "other_language_share": round(r["other_language_hits"] / r["hits"], 3) if r["hits"] else 0.0}
            for name, r in by_name.items()}
        print(lang, results["by_language"][lang])
    for name in indexes:
        total = [rows[lang][name] for lang in rows if lang != "en"]
        q = sum(r["queries"] for r in total)
        hits = sum(r["hits"] for r in total)
        results[f"all but English, {name}"] = {
            "queries": int(q), "recall": round(sum(r["found"] for r in total) / q, 3) if q else None,
            "other_language_share": round(sum(r["other_language_hits"] for r in total) / hits, 3) if hits else 0.0}
        print(name, results[f"all but English, {name}"])
    for ix in indexes.values():
        ix.close()
    results["sample_queries"] = [f"{lang}:{form}->{doc}" for doc, lang, form in queries[:: max(1, len(queries) // 20)]]
    return results


def main() -> None:
    import os

    out = {"date": dt.date.today().isoformat(), "load": os.getloadavg()[0]}
    path = ROOT / "benchmarks" / "results" / f"inflection-{out['date']}.json"
    if path.exists():  # a part run again keeps the other part's figures
        out = {**json.loads(path.read_text(encoding="utf-8")), **out}
    if "--search-only" not in sys.argv:
        out["stemmer_level"] = stemmer_level()
    if "--stemmers-only" not in sys.argv:
        out["search_level"] = search_level()
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print("wrote", path)


if __name__ == "__main__":
    main()
