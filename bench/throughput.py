"""Throughput: Flashpoint against spaCy alone on the same real news corpus.

Codes ../shared/corpora/bbc-2004-2005.jsonl (2,095 BBC articles) with 2 workers and, in
the same run, times spaCy alone on the same texts (same model, all components,
``nlp.pipe(n_process=2, batch_size=16)``). Each measurement runs in its own process so
that peak memory (the process and its workers) is its own. Flashpoint also runs on a
quarter of the corpus, to show that memory does not grow with the input.

    .venv/bin/python bench/throughput.py [--limit N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PeakMemory, shared_or_skip  # noqa: E402

CORPUS = "corpora/bbc-2004-2005.jsonl"


def _texts(path: Path, limit: int | None) -> list[str]:
    texts = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            title = record.get("title")
            texts.append(f"{title}\n\n{record['text']}" if title else record["text"])
            if limit and len(texts) >= limit:
                break
    return texts


def measure_spacy(path: Path, limit: int | None) -> dict:
    import spacy

    from flashpoint.nlp import DEFAULT_MODELS

    texts = _texts(path, limit)
    nlp = None
    for name in DEFAULT_MODELS:
        try:
            nlp = spacy.load(name)
            break
        except OSError:
            continue
    assert nlp is not None, "no spaCy model installed"
    with PeakMemory() as memory:
        started = time.perf_counter()
        for _ in nlp.pipe(texts, n_process=2, batch_size=16):
            pass
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak": memory.peak,
            "words": sum(len(t.split()) for t in texts), "docs": len(texts)}


def measure_flashpoint(path: Path, limit: int | None) -> dict:
    from itertools import islice

    from flashpoint import code_documents
    from flashpoint.ingest import read_inputs
    from flashpoint.model import Document
    from flashpoint.pipeline import Stats

    documents = (d for d in read_inputs([str(path)]) if isinstance(d, Document))
    if limit:
        documents = islice(documents, limit)
    stats = Stats()
    words = events = 0
    with PeakMemory() as memory:
        started = time.perf_counter()
        for document, found in code_documents(documents, workers=2, stats=stats):
            words += len(document.text.split())
            events += len(found)
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak": memory.peak, "words": words, "docs": stats.documents,
            "events": events, "sentences": stats.sentences, "parsed": stats.parsed}


def _child(kind: str, limit: int | None) -> dict:
    command = [sys.executable, __file__, "--child", kind]
    if limit:
        command += ["--limit", str(limit)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"{kind} run failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--child", choices=["spacy", "flashpoint"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    path = shared_or_skip(CORPUS)
    if args.child:
        measure = measure_spacy if args.child == "spacy" else measure_flashpoint
        print(json.dumps(measure(path, args.limit)))
        return
    spacy_run = _child("spacy", args.limit)
    flash = _child("flashpoint", args.limit)
    quarter = _child("flashpoint", max(1, (args.limit or 2095) // 4))
    mb = 1024 * 1024
    spacy_wps = spacy_run["words"] / spacy_run["seconds"]
    flash_wps = flash["words"] / flash["seconds"]
    print(f"corpus: {path.name}, {flash['docs']} articles, {flash['words']:,} words")
    print(f"spaCy alone (all components, n_process=2, batch_size=16): "
          f"{spacy_wps:,.0f} words/s, {spacy_run['seconds']:.1f} s, "
          f"peak memory {spacy_run['peak'] / mb:,.0f} MB")
    print(f"Flashpoint (2 workers, full coding): {flash_wps:,.0f} words/s, "
          f"{flash['seconds']:.1f} s, peak memory {flash['peak'] / mb:,.0f} MB, "
          f"{flash['events']:,} events; parsed {flash['parsed']:,} of "
          f"{flash['sentences']:,} sentences")
    print(f"Flashpoint on a quarter of the corpus ({quarter['docs']} articles): "
          f"peak memory {quarter['peak'] / mb:,.0f} MB")
    ratio = flash_wps / spacy_wps
    print(f"ratio Flashpoint / spaCy: {ratio:.2f}x (target at least 1.5x); "
          f"peak memory target under 1,536 MB")
    print(json.dumps({"spacy_words_per_s": round(spacy_wps), "flashpoint_words_per_s":
                      round(flash_wps), "ratio": round(ratio, 2),
                      "flashpoint_peak_mb": round(flash["peak"] / mb),
                      "flashpoint_quarter_peak_mb": round(quarter["peak"] / mb),
                      "spacy_peak_mb": round(spacy_run["peak"] / mb)}))


if __name__ == "__main__":
    main()
