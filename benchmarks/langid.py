"""Language detectors measured for searchkit's ``lang`` field: accuracy on short and long
texts, and speed.

Run ``python benchmarks/langid.py`` from the repository root (``pip install py3langid
langdetect lingua-language-detector`` for the peers). The texts are the main texts of the 125
saved news pages in ``benchmarks/data/news-html-dev`` (read with searchkit's HTML reader), in
17 languages; the truth is the ``language`` column of its ``index.tsv``, checked by hand by
whoever assembled the set, not by this script's author. Each detector sees each text cut to
60, 200 and 1,000 characters (at a word boundary) and whole.

For each detector and length: accuracy, how many texts it declined (None), and the median time
per call. Also the pages' own statement (``<html lang>`` / ``content-language``) against the
truth, and searchkit's rule (:func:`searchkit.ingest.language.choose`) which combines the two.
Results are written to ``benchmarks/results/langid-DATE.json``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DATA = ROOT / "benchmarks" / "data" / "news-html-dev"
LENGTHS = (60, 200, 1000, None)


def _cut(text: str, n: int | None) -> str:
    text = " ".join(text.split())
    if n is None or len(text) <= n:
        return text
    cut = text.rfind(" ", 0, n)
    return text[: cut if cut > n // 2 else n]


def load_pages() -> list[dict]:
    from searchkit.ingest.language import choose, statement_of_page
    from searchkit.ingest.readers.html import page_article

    rows = list(csv.DictReader((DATA / "index.tsv").open(encoding="utf-8"), delimiter="\t"))
    pages = []
    for row in rows:
        data = (DATA / "pages" / row["name"]).read_bytes()
        article = page_article(data)
        pages.append({"name": row["name"], "truth": row["language"], "text": article.text,
                      "declared": statement_of_page(data),
                      "reader": choose(article.lang.value if article.lang else None, "markup",
                                       article.text)[0]})
    return pages


def detectors() -> dict:
    out = {}
    try:
        import py3langid
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        out["py3langid"] = lambda t: ident.classify(t)[0]
    except ImportError:
        pass
    try:
        import langdetect

        langdetect.DetectorFactory.seed = 0

        def ld(t: str) -> str | None:
            try:
                return langdetect.detect(t).split("-")[0]
            except langdetect.LangDetectException:
                return None

        out["langdetect"] = ld
    except ImportError:
        pass
    try:
        from lingua import LanguageDetectorBuilder

        t0 = time.perf_counter()
        lingua = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()
        out["_lingua_load_s"] = time.perf_counter() - t0

        def lg(t: str) -> str | None:
            found = lingua.detect_language_of(t)
            return found.iso_code_639_1.name.lower() if found else None

        out["lingua"] = lg
    except ImportError:
        pass
    from searchkit.ingest.language import detect

    out["searchkit.detect"] = detect
    return out


def main() -> None:
    pages = load_pages()
    import os

    results: dict = {"load_average_1min": round(os.getloadavg()[0], 1), "pages": len(pages), "languages": sorted({p["truth"] for p in pages}), "detectors": {}}
    found = detectors()
    load = found.pop("_lingua_load_s", None)
    if load is not None:
        results["lingua_load_s"] = round(load, 2)
    for name, fn in found.items():
        per = {}
        for n in LENGTHS:
            right = declined = 0
            times = []
            wrong = []
            for p in pages:
                text = _cut(p["text"], n)
                t0 = time.perf_counter()
                got = fn(text)
                times.append(time.perf_counter() - t0)
                if got is None:
                    declined += 1
                elif got == p["truth"]:
                    right += 1
                else:
                    wrong.append(f"{p['name']}:{got}!={p['truth']}")
            per[str(n or "whole")] = {"accuracy": round(right / len(pages), 3), "declined": declined,
                                     "wrong": len(wrong), "median_ms": round(statistics.median(times) * 1000, 3),
                                     "wrong_examples": wrong[:8]}
        results["detectors"][name] = per
        print(name, {k: (v["accuracy"], v["declined"], v["wrong"], v["median_ms"]) for k, v in per.items()})
    declared = [p for p in pages if p["declared"]]
    results["page_statement"] = {
        "pages_with_one": len(declared),
        "right": sum(p["declared"] == p["truth"] for p in declared),
        "wrong": [f"{p['name']}:{p['declared']}!={p['truth']}" for p in declared if p["declared"] != p["truth"]],
    }
    results["reader_rule"] = {
        "right": sum(p["reader"] == p["truth"] for p in pages),
        "unknown": sum(p["reader"] is None for p in pages),
        "wrong": [f"{p['name']}:{p['reader']}!={p['truth']}" for p in pages
                  if p["reader"] is not None and p["reader"] != p["truth"]],
    }
    print("page statement", results["page_statement"])
    print("reader rule", results["reader_rule"])
    out = ROOT / "benchmarks" / "results" / f"langid-{dt.date.today().isoformat()}.json"
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print("wrote", out)


if __name__ == "__main__":
    main()
