"""Credit phrasings in five languages, scored sentence by sentence (issue 21).

The cases in benchmarks/data/credits-phrasings/ are short texts written from memory of real
wire and newspaper copy (end lines, sign-offs, datelines, headline credits, anaphora, "told X",
self-references and parentheses that are not sources). Each is run through
searchkit.stories.credits.extract_credits with its own outlet; a predicted credit is right when
its span overlaps a gold mention and names the same outlet (any alias, as stories_eval.py
matches them). The held-out half was written before the extractor was tuned and is scored once,
at the end (--unseal).

`--set real` scores benchmarks/data/credits-real/ instead: real sentences (verbatim excerpts of
news pages in trafilatura's test data, mostly German, some Spanish and French) labelled by the
evaluation helper; a case may list `doubtful` mentions, where a predicted credit is ignored.

Usage: python benchmarks/credits_phrasings.py [--set phrasings|real] [--split dev|heldout --unseal] [--label L] [--show]
Writes benchmarks/results/credits-<set>-<split>-<label>.json ("credits-phrasings-..." for the first set).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent

from stories_eval import key, names_of  # noqa: E402

from searchkit.stories.credits import Lexicon, extract_credits  # noqa: E402
from searchkit.stories.text import segment  # noqa: E402

DATA = HERE / "data" / "credits-phrasings"
SETS = {"phrasings": DATA, "real": HERE / "data" / "credits-real"}


def score_case(case: dict) -> tuple[Counter, list[str]]:
    text, own = case["text"], case.get("own")
    lex = Lexicon(outlets=[own] if own else [])
    got = extract_credits(text, own, lex, segment(text), case.get("url"))
    gold = []
    for source, mention in case["credits"]:
        at = text.find(mention)
        if at < 0:
            raise SystemExit(f"mention {mention!r} not in {text!r}")
        gold.append((at, at + len(mention), names_of(source, (mention,))))
    doubtful = [(text.find(m), text.find(m) + len(m)) for m in case.get("doubtful", [])]
    c: Counter = Counter()
    notes = []
    matched = set()
    for cr in got:
        hit = next((i for i, (s, e, names) in enumerate(gold)
                    if i not in matched and s < cr.end and cr.start < e and key(cr.source) in names), None)
        if hit is None and any(s < cr.end and cr.start < e for s, e in doubtful):
            c["ignored"] += 1
            continue
        if hit is None:
            c["fp"] += 1
            notes.append(f"false  {cr.source!r} at {text[cr.start:cr.end]!r}")
        else:
            matched.add(hit)
            c["tp"] += 1
    for i, (s, e, _) in enumerate(gold):
        if i not in matched:
            c["fn"] += 1
            notes.append(f"missed {text[s:e]!r}")
    return c, notes


def _pr(c: Counter) -> dict:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    return {"precision": round(p, 3), "recall": round(r, 3), **{k: c[k] for k in ("tp", "fp", "fn")}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", dest="which", choices=sorted(SETS), default="phrasings",
                    help="phrasings: written from memory (credits-phrasings/); real: sentences of real pages (credits-real/)")
    ap.add_argument("--split", choices=("dev", "heldout"), default="dev")
    ap.add_argument("--unseal", action="store_true", help="needed for the held-out half")
    ap.add_argument("--label", default="run")
    ap.add_argument("--show", action="store_true", help="print every error (not for the held-out half)")
    ap.add_argument("--results", type=Path, default=HERE / "results", help="where the result file goes")
    a = ap.parse_args(argv)
    if a.split == "heldout" and not a.unseal:
        print("the held-out half is scored once, at the end: add --unseal", file=sys.stderr)
        return 2
    cases = json.loads((SETS[a.which] / f"{a.split}.json").read_text(encoding="utf-8"))["cases"]
    total: Counter = Counter()
    by_lang: dict[str, Counter] = {}
    by_form: dict[str, Counter] = {}
    for case in cases:
        c, notes = score_case(case)
        total += c
        by_lang.setdefault(case["lang"], Counter()).update(c)
        by_form.setdefault(case["form"], Counter()).update(c)
        if notes and a.show and a.split == "dev":
            print(f"[{case['lang']} {case['form']}] {case['text'][:90]!r}")
            for n in notes:
                print("   ", n)
    res = {"set": a.which, "split": a.split, "label": a.label, "cases": len(cases), "all": _pr(total),
           "by_language": {k: _pr(v) for k, v in sorted(by_lang.items())},
           "by_form": {k: _pr(v) for k, v in sorted(by_form.items())}}
    a.results.mkdir(parents=True, exist_ok=True)
    out = a.results / f"credits-{a.which}-{a.split}-{a.label}.json"
    out.write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(res["all"]), "\n", json.dumps(res["by_language"]))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
