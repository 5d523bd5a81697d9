"""Ingestion benchmark: speed per format, and HTML accuracy on the news-html-dev set.

    python benchmarks/ingest.py [--out benchmarks/results/ingest-DATE.json]

* HTML: every page of ``benchmarks/data/news-html-dev/pages`` read by searchkit's reader
  (text, title, date, outlet, URL, author, then the same ``describe`` the index uses), timed
  against trafilatura alone (``extract`` on the same bytes) and htmldate alone; accuracy per
  field scored with the set's own ``score.py`` for searchkit, htmldate
  ``find_date(original_date=True)`` and trafilatura (``extract_metadata`` + ``extract``).
* PDF: pypdfium2 (what the reader uses), pdfminer.six and pypdf on PDFs generated here
  (fpdf2), for speed and for how many of the words put in come back out.
* Word, e-mail, JSONL, CSV, WARC: documents per second through ``read_source``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib.util
import io
import json
import platform
import random
import statistics
import time
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEV = HERE / "data" / "news-html-dev"

from searchkit.ingest.decode import UnusableFile  # noqa: E402
from searchkit.ingest.infer import describe  # noqa: E402
from searchkit.ingest.readers import Source, read_source  # noqa: E402


def _score_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("news_html_dev_score", DEV / "score.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def held_out(name: str) -> bool:
    """A quarter of the pages, by the first hex digit of the SHA-256 of the file name (0-3):
    fixed before issue 22's outlet and date rules were written, and never looked at for them."""
    return hashlib.sha256(name.encode()).hexdigest()[0] in "0123"


def _timed(fn, *args):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    try:
        out = fn(*args)
    except Exception as exc:  # noqa: BLE001 - a crash counts as no output
        out = exc
    return out, (time.perf_counter() - t0) * 1000


def html_benchmark() -> dict:  # type: ignore[type-arg]
    import htmldate
    import trafilatura
    from trafilatura.metadata import extract_metadata

    from searchkit.ingest.readers.html import page_article

    score = _score_module()
    truth = json.loads((DEV / "truth.json").read_text(encoding="utf-8"))
    names = sorted(truth)
    raws = {n: (DEV / "pages" / n).read_bytes() for n in names}
    # Warm-up: one untimed pass of all three over every page, so that imports and the
    # caches they share (dateparser compiles its regexes per language on first use, for
    # htmldate inside all three) are warm for each of them alike.
    for n in names:
        for fn in (page_article, trafilatura.extract, lambda r: htmldate.find_date(r, original_date=True),
                   lambda r: extract_metadata(trafilatura.load_html(r))):
            _timed(fn, raws[n])

    ours, hd, tr = {}, {}, {}
    ms: dict[str, list[float]] = {"searchkit": [], "trafilatura.extract": [], "trafilatura.extract_metadata": [],
                                  "htmldate.find_date": []}
    for n in names:
        raw = raws[n]

        def run(raw: bytes = raw):  # type: ignore[no-untyped-def]
            article = page_article(raw)
            return article, describe(article, None)

        out, t = _timed(run)
        ms["searchkit"].append(t)
        if isinstance(out, Exception):
            ours[n] = {}
        else:
            article, meta = out
            ours[n] = {"date": meta.date.isoformat() if meta.date else None, "title": meta.title,
                       "outlet": meta.outlet, "outlet_source": meta.outlet_source,
                       "date_source": meta.date_source, "text": article.text}
        date, t = _timed(lambda r=raw: htmldate.find_date(r, original_date=True))
        ms["htmldate.find_date"].append(t)
        hd[n] = {"date": None if isinstance(date, Exception) else date}
        doc, t1 = _timed(lambda r=raw: extract_metadata(trafilatura.load_html(r)))
        text, t2 = _timed(trafilatura.extract, raw)
        ms["trafilatura.extract_metadata"].append(t1)
        ms["trafilatura.extract"].append(t2)
        tr[n] = {"date": getattr(doc, "date", None), "title": getattr(doc, "title", None),
                 "outlet": getattr(doc, "sitename", None), "text": None if isinstance(text, Exception) else text}

    def fields(result: dict) -> dict:  # type: ignore[type-arg]
        res, _misses = result
        return {k: (round(v[0], 4) if isinstance(v[0], float) else v[0]) for k, v in res.items()
                if isinstance(v, tuple)} | {"n": {k: v[1] for k, v in res.items() if isinstance(v, tuple)},
                                            "has_text": res["has_text"]}

    scored = {"searchkit": fields(score.score(truth, ours)), "htmldate": fields(score.score(truth, hd)),
              "trafilatura": fields(score.score(truth, tr))}
    # The pages issue 22's rules were written on, and the ones held out from them (chosen by
    # the hash of the file name before any was looked at): each part scored on its own.
    parts = {}
    for part, keep in (("rule_making", lambda n: not held_out(n)), ("held_out", held_out)):
        subset = {n: t for n, t in truth.items() if keep(n)}
        parts[part] = {"pages": len(subset)} | {
            system: fields(score.score(subset, preds)) for system, preds in
            (("searchkit", ours), ("htmldate", hd), ("trafilatura", tr))}
    total = {k: sum(v) for k, v in ms.items()}
    return {
        "pages": len(names),
        "accuracy": scored,
        "accuracy_by_part": parts,
        "predictions": {"searchkit": {n: {k: v for k, v in p.items() if k != "text"} for n, p in ours.items()}},
        "median_ms_per_page": {k: round(statistics.median(v), 1) for k, v in ms.items()},
        "total_s": {k: round(v / 1000, 2) for k, v in total.items()},
        "pages_per_s": {k: round(len(names) / (v / 1000), 1) for k, v in total.items()},
        "searchkit_vs_trafilatura_extract": round(total["searchkit"] / total["trafilatura.extract"], 2),
        "searchkit_vs_trafilatura_extract_plus_metadata": round(
            total["searchkit"] / (total["trafilatura.extract"] + total["trafilatura.extract_metadata"]), 2),
    }


# --------------------------------------------------------------------------------------------
# Generated documents

_WORDS = ("harbour council minister ceasefire reservoir inquiry election budget protest court "
          "evacuation refinery drought senator treaty nitrocellulose journalist ministry").split()


def _sentences(rng: random.Random, n: int) -> str:
    return " ".join(" ".join(rng.choice(_WORDS) for _ in range(12)).capitalize() + "." for _ in range(n))


def _pdfs(count: int, pages: int) -> list[tuple[bytes, set[str]]]:
    from fpdf import FPDF

    rng = random.Random(7)
    out = []
    for _ in range(count):
        pdf = FPDF()
        pdf.set_font("helvetica", size=11)
        words: set[str] = set()
        for _p in range(pages):
            pdf.add_page()
            text = _sentences(rng, 12)
            words.update(w.strip(".").lower() for w in text.split())
            pdf.multi_cell(0, 6, text)
        out.append((bytes(pdf.output()), words))
    return out


def _pdf_libraries(pdfs: list[tuple[bytes, set[str]]], pages: int) -> dict:  # type: ignore[type-arg]
    def pdfium(data: bytes) -> str:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(data)
        parts = []
        for i in range(len(doc)):
            page = doc[i]
            tp = page.get_textpage()
            parts.append(tp.get_text_bounded())
            tp.close()
            page.close()
        doc.close()
        return "\n".join(parts)

    def pdfminer(data: bytes) -> str:
        from pdfminer.high_level import extract_text

        return extract_text(io.BytesIO(data))

    def pypdf(data: bytes) -> str:
        from pypdf import PdfReader

        return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)

    results = {}
    for name, fn in (("pypdfium2", pdfium), ("pdfminer.six", pdfminer), ("pypdf", pypdf)):
        fn(pdfs[0][0])  # warm-up
        t0 = time.perf_counter()
        recall = []
        for data, words in pdfs:
            text = fn(data).lower()
            got = {w.strip(".,") for w in text.split()}
            recall.append(len(words & got) / len(words))
        elapsed = time.perf_counter() - t0
        results[name] = {"pages_per_s": round(len(pdfs) * pages / elapsed, 1),
                         "word_recall": round(statistics.mean(recall), 4)}
    return results


def _formats(rng: random.Random) -> dict[str, list[tuple[str, bytes]]]:
    import docx
    from email.message import EmailMessage

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out: dict[str, list[tuple[str, bytes]]] = {}
    files = []
    for i in range(40):
        d = docx.Document()
        d.add_heading(f"Report {i}", level=1)
        for _ in range(8):
            d.add_paragraph(_sentences(rng, 4))
        buf = io.BytesIO()
        d.save(buf)
        files.append((f"r{i}.docx", buf.getvalue()))
    out["docx"] = files
    mails = []
    for i in range(100):
        m = EmailMessage()
        m["From"] = "Newsroom <news@example.org>"
        m["Subject"] = f"Briefing {i}"
        m["Date"] = "Sun, 07 Apr 2024 10:00:00 +0000"
        m.set_content(_sentences(rng, 20))
        mails.append((f"m{i}.eml", m.as_bytes()))
    out["eml"] = mails
    lines = [json.dumps({"id": i, "title": f"Story {i}", "text": _sentences(rng, 10), "date": "2024-04-07",
                         "source": "Example News"}) for i in range(2000)]
    out["jsonl (records)"] = [("export.jsonl", "\n".join(lines).encode())]
    rows = "id,title,text,date\n" + "".join(f'{i},Story {i},"{_sentences(rng, 10)}",2024-04-07\n' for i in range(2000))
    out["csv (records)"] = [("export.csv", rows.encode())]
    page = (DEV / "pages" / "pcgamer.com.html").read_bytes()
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for i in range(30):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record(f"https://example.org/{i}", "response",
                                                      payload=io.BytesIO(page), http_headers=headers))
    out["warc.gz (responses)"] = [("crawl.warc.gz", buf.getvalue())]
    return out


def formats_benchmark() -> dict:  # type: ignore[type-arg]
    rng = random.Random(11)
    results: dict[str, dict] = {}  # type: ignore[type-arg]
    pages = 5
    pdfs = _pdfs(40, pages)
    results["pdf libraries (generated, 5 pages each)"] = _pdf_libraries(pdfs, pages)
    t0 = time.perf_counter()
    for i, (data, _words) in enumerate(pdfs):
        list(read_source(Source(f"p{i}.pdf", f"p{i}.pdf", data)))
    results["pdf"] = {"documents": len(pdfs), "pages_per_s": round(len(pdfs) * pages / (time.perf_counter() - t0), 1)}
    for name, files in _formats(rng).items():
        t0 = time.perf_counter()
        docs = 0
        for fname, data in files:
            try:
                docs += sum(1 for _ in read_source(Source(fname, fname, data)))
            except UnusableFile:
                pass
        elapsed = time.perf_counter() - t0
        results[name] = {"documents": docs, "documents_per_s": round(docs / elapsed, 1)}
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(HERE / "results" / f"ingest-{dt.date.today().isoformat()}.json"))
    ap.add_argument("--html-only", action="store_true", help="only the news-html-dev pages (no generated formats)")
    args = ap.parse_args()
    html = html_benchmark()
    formats = {} if args.html_only else formats_benchmark()
    result = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}",
        "versions": {p: version(p) for p in ("trafilatura", "htmldate", "lxml", "pypdfium2", "pdfminer.six",
                                             "pypdf", "warcio", "tldextract")},
        "html": html,
        "formats": formats,
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    acc = html["accuracy"]
    print(f"news-html-dev: {html['pages']} pages")
    print(f"{'field':<22}{'searchkit':>12}{'htmldate':>12}{'trafilatura':>14}")
    for key, label in (("date", "date"), ("title", "title"), ("title_exact", "title exact"), ("outlet", "outlet"),
                       ("must_have_found", "must_have found"), ("must_not_kept_out", "must_not kept out"),
                       ("text_f1", "text F1")):
        cells = []
        for system in ("searchkit", "htmldate", "trafilatura"):
            v = acc[system].get(key)
            has_text = acc[system].get("has_text")
            if v is None or (key.startswith(("must", "text")) and not has_text) or (system == "htmldate" and key != "date"):
                cells.append("-")
            else:
                cells.append(f"{v:.3f}" if key == "text_f1" else f"{v:.1f}%")
        print(f"{label:<22}{cells[0]:>12}{cells[1]:>12}{cells[2]:>14}")
    for part, figures in html["accuracy_by_part"].items():
        print(f"{part} ({figures['pages']} pages): " + "; ".join(
            f"{key} " + " / ".join(f"{system} {figures[system][key]:.1f}%" for system in ("searchkit", "htmldate", "trafilatura")
                                   if figures[system][key] is not None and (system != "htmldate" or key == "date"))
            for key in ("date", "title", "title_exact", "outlet")))
    print("median ms/page:", ", ".join(f"{k} {v}" for k, v in html["median_ms_per_page"].items()))
    print("pages/s:", ", ".join(f"{k} {v}" for k, v in html["pages_per_s"].items()))
    print(f"searchkit / trafilatura.extract time: {html['searchkit_vs_trafilatura_extract']}x; "
          f"/ (extract + extract_metadata): {html['searchkit_vs_trafilatura_extract_plus_metadata']}x")
    for name, figures in formats.items():
        print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
