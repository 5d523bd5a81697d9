"""What the safety machinery costs (issue 12): checksums at commit, size checks at open,
`searchkit check`, and why xxh3 rather than zlib's CRC-32.

Run ``python benchmarks/safety.py --n 20000`` (or ``make bench-safety N=20000``). Builds an
index of N synthetic articles (benchmarks/corpusgen.py) under benchmarks/work/, then times,
in the same run:

- the full build, and the part of it spent recording the manifest (fsync + xxh3 of every file);
- a 1% update, and its manifest part (only new files are read);
- the size check done at every open, against the open itself;
- ``check_index`` (every checksum, document count) against the floor of reading every file
  once, and that pass with xxh3 (what check uses) and with ``zlib.crc32`` (the stdlib's).

Prints the figures and writes JSON to benchmarks/results/safety-nN-DATE.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import time
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

from scale import WORK_DIR, corpus_for  # noqa: E402

from searchkit import build_index, open_index  # noqa: E402
from searchkit.api import check_index  # noqa: E402
from searchkit.engine import default_engine  # noqa: E402
from searchkit.store import checksum, read_manifest, read_pointer, record_commit, verify_sizes  # noqa: E402


def _time(action, repeats: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _read_all(index: Path, names: list[str], digest=None) -> None:  # type: ignore[no-untyped-def]
    for name in names:
        with open(index / name, "rb") as fh:
            value = 0
            while chunk := fh.read(1 << 20):
                if digest is not None:
                    value = digest(chunk, value)


def _record_from_scratch(index: Path) -> float:
    generation = read_pointer(index).generation
    commit, names = default_engine().files(index, generation)
    documents = read_manifest(index, generation).documents  # type: ignore[union-attr]
    (index / f"{generation}.manifest.json").unlink()
    started = time.perf_counter()
    record_commit(index, generation, names, commit, documents)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    corpus = corpus_for(args.n, args.seed)
    work = WORK_DIR / f"safety-n{args.n}-s{args.seed}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    live_corpus = work / "corpus"
    shutil.copytree(corpus, live_corpus)
    index = work / "index"

    started = time.perf_counter()
    build_index(live_corpus, index).close()
    build_s = time.perf_counter() - started
    record_full_s = _record_from_scratch(index)

    generation = read_pointer(index).generation
    names = list(read_manifest(index, generation).files)  # type: ignore[union-attr]
    size = sum((index / n).stat().st_size for n in names)

    # 1% of the articles edited, then an incremental run (its manifest reads new files only).
    recorded = read_manifest(index, generation)
    assert recorded is not None
    paths = sorted(live_corpus.rglob("*.txt"))
    for path in paths[:: 100]:
        path.write_text(path.read_text(encoding="utf-8") + "\nAmended.", encoding="utf-8")
    started = time.perf_counter()
    build_index(live_corpus, index).close()
    update_s = time.perf_counter() - started
    after = read_manifest(index, generation)
    assert after is not None
    commit, names = default_engine().files(index, generation)
    new_files = [n for n in names if n not in recorded.files]  # what the update's manifest had to read
    started = time.perf_counter()
    record_commit(index, generation, names, commit, after.documents)  # all known: stats only
    record_again_s = time.perf_counter() - started

    sizes_s = _time(lambda: verify_sizes(index, generation), 20)
    open_s = _time(lambda: open_index(index).close(), 5)
    _read_all(index, names)  # warm the page cache for the three passes below
    read_s = _time(lambda: _read_all(index, names), 3)
    crc_s = _time(lambda: _read_all(index, names, zlib.crc32), 3)
    xxh_s = _time(lambda: [checksum(index / name) for name in names], 3)
    check_s = _time(lambda: check_index(index), 3)
    report = check_index(index)
    assert report.ok, report

    result = {
        "n": args.n, "date": dt.date.today().isoformat(), "index_bytes": size, "index_files": len(names),
        "build_s": round(build_s, 3), "manifest_at_build_s": round(record_full_s, 3),
        "manifest_share_of_build": round(record_full_s / build_s, 4),
        "update_1pct_s": round(update_s, 3), "update_new_files": len(new_files),
        "manifest_rerecord_known_files_s": round(record_again_s, 4),
        "size_check_at_open_ms": round(sizes_s * 1000, 3), "open_ms": round(open_s * 1000, 2),
        "check_s": round(check_s, 3), "read_every_file_s": round(read_s, 3),
        "zlib_crc32_every_file_s": round(crc_s, 3), "xxh3_every_file_s": round(xxh_s, 3),
        "check_vs_read": round(check_s / read_s, 2) if read_s else None,
        "crc32_vs_read": round(crc_s / read_s, 2) if read_s else None,
    }
    print(f"index: {args.n} articles, {len(names)} files, {size / 1e6:.0f} MB")
    print(f"full build {build_s:.1f} s, of which the manifest (fsync + xxh3 of every file) {record_full_s:.2f} s "
          f"({100 * record_full_s / build_s:.1f}%)")
    print(f"1% update {update_s:.2f} s ({len(new_files)} new files checksummed); re-recording a manifest "
          "whose files are known: "
          f"{record_again_s * 1000:.1f} ms")
    print(f"size check at open {sizes_s * 1000:.2f} ms (open_index + close: {open_s * 1000:.1f} ms)")
    print(f"searchkit check {check_s:.2f} s; reading every file once {read_s:.2f} s "
          f"({check_s / read_s:.2f}x); the same pass with xxh3 {xxh_s:.3f} s ({xxh_s / read_s:.2f}x), "
          f"with zlib.crc32 {crc_s:.3f} s ({crc_s / read_s:.2f}x)")
    out = HERE / "results" / f"safety-n{args.n}-{result['date']}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
