"""False alarms on a null store: steady news and no escalation, so every alert is false.

The escalation benchmark (bench/escalation.py) has 30 pairs of moderate volume. Real
stores have thousands of pairs, most of them sparse: a detector that is too sensitive
there floods the analyst. This script builds a store with bench/store.py's generator
(about 200 countries, pair volumes skewed like news, one year, no trend: each pair's
events are spread evenly at random over the days), runs `watch` over every pair with 10
or more events, as `flashpoint watch --db` does, and prints the alerts per 10 pair-years,
overall and by the pair's yearly number of events. The last line printed is one JSON
object. Needs no ../shared data.

    .venv/bin/python bench/null_alarms.py                          # 500,000 mentions
    .venv/bin/python bench/null_alarms.py --mentions 2000000 --penalty 1 --db /tmp/null.duckdb
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from store import countries, load_year, news_codes  # noqa: E402

from flashpoint.monitor import watch  # noqa: E402
from flashpoint.monitor.alerts import PENALTY, active_dyads  # noqa: E402
from flashpoint.monitor.series import pair_series  # noqa: E402
from flashpoint.store import Store  # noqa: E402

VOLUMES = ((10, 30), (30, 100), (100, 300), (300, None))


def build(path: Path, mentions: int, seed: int) -> int:
    """Write the null store; return its number of events."""
    codes, weights = news_codes()
    with Store(path) as store:
        load_year(store, np.random.default_rng(seed), 0, mentions, countries(), codes, weights)
        return store.regroup_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--penalty", type=float, default=PENALTY,
                        help=f"the detector's penalty (default {PENALTY}, as `watch`)")
    parser.add_argument("--db", type=Path, help="database to write (default: a temporary one)")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    path = args.db or Path(folder.name) / "null.duckdb"
    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)

    started = time.perf_counter()
    events = build(path, args.mentions, args.seed)
    print(f"null store: {args.mentions:,} mentions, {events:,} events, one year, "
          f"in {time.perf_counter() - started:.0f} s -> {path}")
    with Store(path, read_only=True) as store:
        pairs = active_dyads(store)
        volume = {p: float(f["total"].sum())
                  for p, f in pair_series(store, pairs, freq="day").items()}
        started = time.perf_counter()
        alerts = watch(store, freq="day", penalty=args.penalty)
        seconds = time.perf_counter() - started
    years = len(pairs) * 365 / 365.25
    by_volume = {}
    for low, high in VOLUMES:
        members = {p for p, n in volume.items() if n >= low and (high is None or n < high)}
        found = sum(a.dyad in members for a in alerts)
        name = f"{low}-{high}" if high else f"{low}+"
        by_volume[name] = {"pairs": len(members), "alerts": found,
                           "per_10_pair_years": round(10 * found / max(len(members), 1), 3)}
        print(f"  pairs with {name} events a year: {len(members):,}, {found} alerts")
    for alert in alerts[:10]:
        print(f"  {alert.dyad} {alert.start} to {alert.end} {alert.severity} "
              f"{alert.before}->{alert.after} per day")
    print(f"watch: {len(alerts)} alerts over {len(pairs):,} pairs in {seconds:.1f} s")
    print(json.dumps({"pairs": len(pairs), "pair_years": round(years, 2),
                      "alerts": len(alerts),
                      "false_alarms_per_10_dyad_years": round(10 * len(alerts) / years, 3),
                      "by_events_a_year": by_volume, "penalty": args.penalty,
                      "mentions": args.mentions, "events": events,
                      "watch_seconds": round(seconds, 1)}))


if __name__ == "__main__":
    main()
