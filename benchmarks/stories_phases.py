"""The in-process stories stage phase by phase: seconds, VmRSS after and VmHWM (peak) of each.

    python benchmarks/stories_phases.py --n 20000 [--inputs FILE.jsonl --outlets FILE.json] [--label L]

Reads the story inputs `spark_stories.py` writes for N corpusgen articles (or the given JSON
Lines), in one fresh process runs what ``build_stories`` runs, a phase at a time: add the
documents (sentences and tokens, credits, counts, postings), choose the candidate pairs, judge
and merge them, assign ids, store the model (``to_bytes``) and the story map; and times the
per-document and per-pair functions inside (parse, credits, counts, candidates, judging).
Records a digest of the stored content (without its format line) and of the story map, so that
two revisions can be shown to store the same stories, and the load average. Run it from a
checkout (``PYTHONPATH=CHECKOUT``) to measure that checkout. Writes
benchmarks/results/stories-phases-n<N>-<label>.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _memory() -> dict[str, float]:
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("VmHWM:", "VmRSS:")):
                out[line.split(":")[0]] = round(int(line.split()[1]) / 1024, 1)
    return out


def _timed(owner: object, name: str, key: str, timers: dict[str, float]) -> None:
    real = getattr(owner, name)

    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            timers[key] = timers.get(key, 0.0) + time.perf_counter() - started
    setattr(owner, name, wrapper)


def run(inputs: Path, outlets: list[str]) -> dict:
    import searchkit.stories.model as M
    from searchkit import story_stage
    from searchkit.stories.spark import parse_input

    timers: dict[str, float] = {}
    _timed(M, "parse_document", "parse (sentences, tokens)", timers)
    _timed(M, "document_credits", "credits", timers)
    _timed(M.StoryModel, "_count", "counts", timers)
    _timed(M.StoryModel, "_edge", "judge pairs", timers)
    _timed(M.StoryModel, "_candidates", "candidates", timers)
    phases: list[dict] = []

    def phase(name: str, started: float) -> None:
        phases.append({"phase": name, "seconds": round(time.perf_counter() - started, 2), **_memory()})
        print(phases[-1], file=sys.stderr, flush=True)

    def docs():  # type: ignore[no-untyped-def]
        with open(inputs, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield parse_input(line)
    began = t = time.perf_counter()
    m = M.StoryModel._knowing(None, outlets)
    ids = m._add_docs(docs())
    phase("add documents", t)
    t = time.perf_counter()
    m._ensure_weights()
    names = sorted(ids)
    order = m._candidate_order(names)
    if hasattr(m, "_release_postings"):
        m._release_postings()  # as build_stories does once the candidates are chosen
    phase("candidates", t)
    t = time.perf_counter()
    d = m._docs
    groups = M.group_in_order(ids, names, order, lambda a, b: m._edge(d[a], d[b]),
                              lambda i: None if d[i].date is None else M._ordinal(d[i].date))
    del order
    phase("judge and merge", t)
    t = time.perf_counter()
    m._assign(groups, {})
    phase("assign", t)
    t = time.perf_counter()
    blob = m.to_bytes()
    phase("store the model", t)
    t = time.perf_counter()
    story_map = json.dumps({"format": story_stage.MAP_FORMAT, "stories": story_stage.story_map(m)}).encode()
    phase("story map", t)
    total = time.perf_counter() - began
    try:
        from searchkit.stories.model import read_payload
        payload = read_payload(blob)
    except ImportError:  # a revision before the streamed format
        import pickle
        import zlib
        payload = pickle.loads(zlib.decompress(blob[5:]))
    payload.pop("format")
    return {"phases": phases, "seconds": round(total, 2), "inside": {k: round(v, 2) for k, v in timers.items()},
            "documents": len(m), "stories": sum(1 for s in m.stories if len(s.doc_ids) > 1),
            "model_bytes": len(blob), "stored_content_sha1": hashlib.sha1(repr(sorted(payload.items())).encode()).hexdigest(),
            "story_map_sha1": hashlib.sha1(story_map).hexdigest()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--inputs", type=Path)
    parser.add_argument("--outlets", type=Path)
    parser.add_argument("--label", default="run")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if args.inputs is None:
        from spark_stories import prepare
        inputs, outlets = prepare(args.n)
    else:
        inputs, outlets = args.inputs, json.loads(args.outlets.read_text()) if args.outlets else []
    load = os.getloadavg()
    report = run(inputs, outlets)
    import searchkit
    report.update({"n": args.n, "inputs": str(inputs), "label": args.label, "searchkit": str(Path(searchkit.__file__).parent),
                   "load_before": [round(x, 2) for x in load], "load_after": [round(x, 2) for x in os.getloadavg()]})
    out = args.json or HERE / "results" / f"stories-phases-n{args.n}-{args.label}.json"
    out.write_text(json.dumps(report, indent=1) + "\n")
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
