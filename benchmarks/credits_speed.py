"""Cost of credit extraction per article, before and after, in one run (issues 21 and 24).

The stories stage calls searchkit.stories.credits.extract_credits once per article; at 20k
articles it was 12.5 s of a 38 s build (issue 24's profile). This script times it on the
texts of two corpora, in one process, interleaving rounds of the current module with a
baseline module taken from git (``--base REV``, default the merge base with main):

- ``corpusgen``: the scale benchmark's corpus (benchmarks/corpusgen.py, N articles, seed 0),
  the one issue 24 profiled; few credits, like most news;
- ``storygen2``: the multilingual syndication corpus of storygen2.py (dev split, 600
  articles) repeated to N, dense with credits in five languages.

Each text is read as stored (raw file text), segmented with searchkit.stories.text.segment
(not timed), and given to extract_credits with a Lexicon holding the corpus's outlets. Both
modules must return the same credits on a corpus for speed to be compared fairly; the number
of differing articles is reported (a behaviour change, not an error). Times are CPU seconds of
this process (time.process_time), less disturbed than wall time on a shared machine.

Usage: python benchmarks/credits_speed.py [--n 20000] [--rounds 3] [--base REV] [--label L]
Writes benchmarks/results/credits-speed-<label>.json.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

from searchkit.stories import credits as current  # noqa: E402
from searchkit.stories.text import segment  # noqa: E402

WORK = HERE / "work" / "credits-speed"


def _texts(folder: Path, limit: int) -> list[str]:
    out = []
    for p in sorted(folder.rglob("*")):
        if p.suffix in (".txt", ".md", ".html") and p.is_file():
            out.append(p.read_text(encoding="utf-8", errors="replace"))
            if len(out) >= limit:
                break
    return out


def corpus(name: str, n: int) -> list[str]:
    if name == "corpusgen":
        out = WORK / f"corpusgen-{n}"
        if not out.exists():
            subprocess.run([sys.executable, str(HERE / "corpusgen.py"), str(out), str(n)], check=True,
                           stdout=subprocess.DEVNULL)
        return _texts(out, n)
    out = WORK / "storygen2-dev"
    if not out.exists():
        import storygen2
        storygen2.write(out, "dev")
    base = _texts(out, 10**9)
    return [base[i % len(base)] for i in range(n)]


def base_module(rev: str):
    """credits.py at `rev`, imported with the modules beside it (since the split of issue 21 it
    imports its phrase tables and known outlets from siblings) as the package `credits_base`."""
    pkg = Path(tempfile.mkdtemp()) / "credits_base"
    pkg.mkdir()
    names = subprocess.run(["git", "-C", str(ROOT), "ls-tree", "--name-only", f"{rev}:searchkit/stories/"],
                           check=True, capture_output=True, text=True).stdout.split()
    for name in names:
        if name.endswith(".py") and name != "__init__.py":
            src = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:searchkit/stories/{name}"],
                                 check=True, capture_output=True, text=True).stdout
            (pkg / name).write_text(src, encoding="utf-8")
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    for loaded in [k for k in sys.modules if k == "credits_base" or k.startswith("credits_base.")]:
        del sys.modules[loaded]
    spec = importlib.util.spec_from_file_location("credits_base", pkg / "__init__.py", submodule_search_locations=[str(pkg)])
    package = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["credits_base"] = package  # dataclasses and relative imports look their package up
    spec.loader.exec_module(package)  # type: ignore[union-attr]
    return importlib.import_module("credits_base.credits")


def run(mod, docs: list[tuple[str, list]]) -> tuple[float, list]:
    lex = mod.Lexicon()
    got = []
    t0 = time.process_time()
    for text, spans in docs:
        got.append([(c.source, c.start, c.end) for c in mod.extract_credits(text, None, lex, spans, None)])
    return time.process_time() - t0, got


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--base", default=None, help="git revision of the baseline (default: merge-base with main)")
    ap.add_argument("--label", default="run")
    a = ap.parse_args(argv)
    rev = a.base or subprocess.run(["git", "-C", str(ROOT), "merge-base", "HEAD", "main"],
                                   capture_output=True, text=True).stdout.strip() or "HEAD"
    base = base_module(rev)
    res: dict = {"n": a.n, "rounds": a.rounds, "base": rev,
                 "head": subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                        capture_output=True, text=True).stdout.strip(),
                 "load_before": os.getloadavg(), "corpora": {}}
    for name in ("corpusgen", "storygen2"):
        docs = [(t, segment(t)) for t in corpus(name, a.n)]
        times: dict[str, list[float]] = {"base": [], "current": []}
        outs = {}
        for _ in range(a.rounds):
            for label, mod in (("base", base), ("current", current)):
                dt_, outs[label] = run(mod, docs)
                times[label].append(dt_)
        differ = sum(1 for x, y in zip(outs["base"], outs["current"]) if x != y)
        med = {k: statistics.median(v) for k, v in times.items()}
        res["corpora"][name] = {
            "articles": len(docs), "chars": sum(len(t) for t, _ in docs),
            "seconds": {k: [round(x, 3) for x in v] for k, v in times.items()},
            "median_s": {k: round(v, 3) for k, v in med.items()},
            "us_per_article": {k: round(v / len(docs) * 1e6, 1) for k, v in med.items()},
            "current_over_base": round(med["current"] / med["base"], 3),
            "credits": {k: sum(len(x) for x in v) for k, v in outs.items()},
            "articles_with_other_credits": differ,
        }
        print(name, json.dumps(res["corpora"][name]["median_s"]), "ratio", res["corpora"][name]["current_over_base"],
              "credits", res["corpora"][name]["credits"], "differ", differ, flush=True)
    res["load_after"] = os.getloadavg()
    out = HERE / "results" / f"credits-speed-{a.label}.json"
    out.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}  (load {res['load_before'][0]:.1f} -> {res['load_after'][0]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
