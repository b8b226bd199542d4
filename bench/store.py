"""Store benchmark: synthetic mentions at scale, written through the store's bulk path.

Generates mentions with a realistic skew (Zipf-like over about 200 countries, 365 days,
CAMEO roots weighted like news), loads them in batches of 100,000, groups them, and
prints the load rate (mentions/s), grouping time, database size, peak memory, and the
time of a dyad daily-series query. Then times the ingest path on the full store: batches
of 2,000 mentions stored and regrouped in one transaction each, as `flashpoint ingest`
does (only the open tails of the keys a batch touches are regrouped), against
regrouping everything. Then grows the same database to the second size and measures
again. Needs no ../shared data.

    .venv/bin/python bench/store.py                      # 1M then 10M mentions
    .venv/bin/python bench/store.py --sizes 100000 1000000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PeakMemory  # noqa: E402

from flashpoint.ontology import cameo_table  # noqa: E402
from flashpoint.store import Store  # noqa: E402

BATCH = 100_000
ROLES = [None, "GOV", "MIL", "REB", "OPP", "CVL"]


def countries(n: int = 200) -> list[str]:
    import pycountry

    codes = sorted(c.alpha_3 for c in pycountry.countries)
    return ["USA", "IRN", "RUS", "UKR", "CHN", "ISR", "GBR"] + [c for c in codes if c not in (
        "USA", "IRN", "RUS", "UKR", "CHN", "ISR", "GBR")][:n - 7]


def news_codes() -> tuple[list[str], np.ndarray]:
    """The three-digit CAMEO codes and news-like weights for drawing them: statements,
    consultations and conflict dominate."""
    codes = [c for c in cameo_table() if len(c) == 3]
    weights = np.array([{"01": 6, "04": 5, "11": 4, "19": 4, "05": 3, "17": 3, "03": 3,
                         "02": 2, "13": 2, "18": 2}.get(c[:2], 1) for c in codes], float)
    return codes, weights / weights.sum()


def synthetic(rng: np.random.Generator, start: int, size: int, names: list[str],
              codes: list[str], weights: np.ndarray,
              days: tuple[int, int] = (0, 365)) -> list[dict]:
    """`size` mention rows with ids from `start`, dated in order within `days` (news is
    stored roughly in the order it is published)."""
    rank = np.arange(1, len(names) + 1)
    p = 1 / rank ** 1.1
    p /= p.sum()
    src = rng.choice(len(names), size, p=p)
    tgt = rng.choice(len(names), size, p=p)
    day = np.sort(rng.integers(days[0], max(days[0] + 1, days[1]), size))
    code = rng.choice(len(codes), size, p=weights)
    role_s = rng.integers(0, len(ROLES), size)
    role_t = rng.integers(0, len(ROLES), size)
    base = dt.date(2024, 1, 1)
    table = cameo_table()
    rows = []
    for i in range(size):
        c = codes[code[i]]
        entry = table[c]
        s_country, t_country = names[src[i]], names[tgt[i]]
        s_role, t_role = ROLES[role_s[i]], ROLES[role_t[i]]
        rows.append({
            "mention_id": f"m{start + i:09d}", "doc_id": f"d{(start + i) // 3:09d}",
            "sentence_index": int(i % 20), "sentence": "", "date": base + dt.timedelta(int(day[i])),
            "event_code": c, "root_code": c[:2], "quad_class": entry.quad_class,
            "goldstein": entry.goldstein,
            "source_code": s_country + (s_role or ""), "source_country": s_country,
            "source_role": s_role, "source_text": s_country, "source_start": 0,
            "target_code": t_country + (t_role or ""), "target_country": t_country,
            "target_role": t_role, "target_text": t_country, "target_start": 10,
            "modality": "asserted", "attributed_to": None, "trigger_text": "x",
            "trigger_start": 5, "plover_type": entry.plover_type, "plover_mode": entry.plover_mode,
            "doc_tone": float(rng.normal(-2, 4)), "location_name": None,
            "location_country": None, "latitude": None, "longitude": None,
            "location_precision": None, "event_id": None,
        })
    return rows


def load_year(store: Store, rng: np.random.Generator, first: int, size: int,
              names: list[str], codes: list[str], weights: np.ndarray) -> None:
    """Add mentions with ids `first` to `size` in batches of BATCH, spanning the year in
    date order (grouping is left to the caller)."""
    loaded = first
    while loaded < size:
        n = min(BATCH, size - loaded)
        span = ((loaded - first) * 365 // (size - first),
                (loaded + n - first) * 365 // (size - first))
        store.add_mentions(synthetic(rng, loaded, n, names, codes, weights, span))
        loaded += n


def incremental(store: Store, rng: np.random.Generator, start: int, names: list[str],
                codes: list[str], weights: np.ndarray, late: bool) -> tuple[float, int]:
    """Time the ingest path: 5 batches of 2,000 mentions added with `regroup=True` (one
    transaction each, regrouping only the open tails of the keys they touch). New
    mentions fall on the last 3 days of the year, or anywhere in it when `late`."""
    timings = []
    for b in range(5):
        rows = synthetic(rng, start + b * 2_000, 2_000, names, codes, weights)
        for row in rows:
            row["mention_id"] = "n" + row["mention_id"]
            if not late:
                row["date"] = dt.date(2024, 12, 28) + dt.timedelta(int(rng.integers(0, 3)))
        started = time.perf_counter()
        store.add_mentions(rows, regroup=True)
        timings.append(time.perf_counter() - started)
    return sum(timings) / len(timings), 5 * 2_000


def series_query(store: Store, a: str, b: str) -> tuple[float, int]:
    """Time a dyad daily series (both directions) over the events table, best of 3."""
    sql = ("SELECT first_date, count(*) AS events, sum(num_mentions) AS mentions, "
           "sum(goldstein) AS goldstein, avg(CASE WHEN quad_class = 4 THEN 1 ELSE 0 END) "
           "AS material_conflict FROM events WHERE (source_country = ? AND target_country = ?)"
           " OR (source_country = ? AND target_country = ?) GROUP BY first_date "
           "ORDER BY first_date")
    best, rows = float("inf"), 0
    for _ in range(3):
        started = time.perf_counter()
        rows = len(store.db.execute(sql, [a, b, b, a]).fetchall())
        best = min(best, time.perf_counter() - started)
    return best, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--db", type=Path, help="database file (default: a temporary one)")
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    names = countries()
    codes, weights = news_codes()
    folder = tempfile.TemporaryDirectory()
    path = args.db or Path(folder.name) / "bench.duckdb"
    results = {}
    loaded = previous = 0
    with PeakMemory() as memory, Store(path) as store:
        for size in sorted(args.sizes):
            started = time.perf_counter()
            load_year(store, rng, loaded, size, names, codes, weights)
            loaded = size
            load = time.perf_counter() - started
            added = size - previous
            previous = size
            started = time.perf_counter()
            events = store.regroup_all()
            grouping = time.perf_counter() - started
            store.db.execute("CHECKPOINT")
            query, days = series_query(store, "USA", "IRN")
            recent, added_recent = incremental(store, rng, loaded, names, codes, weights, False)
            late, added_late = incremental(store, rng, loaded + added_recent, names, codes,
                                           weights, True)
            mb = path.stat().st_size / 1e6
            results[size] = {"mentions": size, "events": events, "load_s": round(load, 1),
                             "mentions_per_s": round(added / load) if load else 0,
                             "grouping_s": round(grouping, 1), "db_mb": round(mb, 1),
                             "query_ms": round(query * 1000, 1), "series_days": days,
                             "ingest_batch_ms": round(recent * 1000),
                             "late_batch_ms": round(late * 1000),
                             "peak_mb": round(memory.peak / 1e6)}
            r = results[size]
            print(f"{size:>11,} mentions: load {r['mentions_per_s']:,} mentions/s, "
                  f"grouping {r['grouping_s']} s "
                  f"({events:,} events), database {r['db_mb']} MB, USA-IRN daily series "
                  f"{r['query_ms']} ms ({days} days); ingest path: a batch of 2,000 new "
                  f"mentions stored and regrouped in {r['ingest_batch_ms']} ms "
                  f"({2000 / recent:,.0f} mentions/s), {r['late_batch_ms']} ms when they are "
                  f"spread over the whole year (regrouping everything instead: "
                  f"{r['grouping_s']} s); peak memory so far {r['peak_mb']} MB",
                  flush=True)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
