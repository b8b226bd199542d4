"""Ingest: the real coder and store on a real news corpus, against coding alone.

Runs, each as its own `flashpoint` process (so that peak memory, measured over the
process and its workers, is its own), on ../shared/corpora/bbc-2004-2005.jsonl:

1. `flashpoint code` to JSON Lines (thrown away): the baseline, coding without storing;
2. `flashpoint ingest` of the first quarter of the corpus into a new database;
3. `flashpoint ingest` of the whole corpus into a new database;
4. the same ingest again: everything is already stored, so it must add nothing.

Prints articles/s and peak memory for each: storing should cost little next to coding,
and memory should not grow with the corpus (articles are streamed in batches).

    .venv/bin/python bench/ingest.py [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PeakMemory, shared_or_skip  # noqa: E402

FLASHPOINT = str(Path(sys.executable).parent / "flashpoint")


def run(args: list[str]) -> dict:
    with PeakMemory() as memory:
        started = time.perf_counter()
        result = subprocess.run([FLASHPOINT, *args], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        seconds = time.perf_counter() - started
    if result.returncode not in (0, 1):
        sys.exit(f"flashpoint {' '.join(args)} failed: {result.stderr.strip()}")
    return {"seconds": round(seconds, 1), "peak_mb": round(memory.peak / 1e6),
            "summary": result.stderr.strip().splitlines()[-1] if result.stderr else ""}


def counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                for t in ("documents", "mentions", "events")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    corpus = shared_or_skip("corpora/bbc-2004-2005.jsonl")
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    with tempfile.TemporaryDirectory() as folder:
        quarter = Path(folder) / "quarter.jsonl"
        quarter.write_text("".join(lines[:len(lines) // 4]), encoding="utf-8")
        workers = ["--workers", str(args.workers)]
        results = {
            "code": run(["code", str(corpus), "--format", "jsonl", *workers]),
            "ingest_quarter": run(["ingest", str(quarter), "--db",
                                   str(Path(folder) / "q.duckdb"), *workers]),
            "ingest": run(["ingest", str(corpus), "--db", str(Path(folder) / "all.duckdb"),
                           *workers]),
        }
        stored = counts(Path(folder) / "all.duckdb")
        results["reingest"] = run(["ingest", str(corpus), "--db",
                                   str(Path(folder) / "all.duckdb"), *workers])
        unchanged = counts(Path(folder) / "all.duckdb") == stored
    n = len(lines)
    for name, articles in (("code", n), ("ingest_quarter", n // 4), ("ingest", n),
                           ("reingest", n)):
        r = results[name]
        r["articles_per_s"] = round(articles / r["seconds"], 1)
        print(f"{name:>15}: {articles:,} articles in {r['seconds']} s "
              f"({r['articles_per_s']} articles/s), peak memory {r['peak_mb']} MB")
    overhead = results["ingest"]["seconds"] / results["code"]["seconds"]
    print(f"storing costs {overhead:.2f}x the time of coding alone; stored {stored}; "
          f"re-ingest left the database {'unchanged' if unchanged else 'CHANGED'}")
    print(json.dumps({**results, "stored": stored, "ingest_over_code": round(overhead, 2),
                      "reingest_unchanged": unchanged}))


if __name__ == "__main__":
    main()
