"""Report check: build a report from the escalation benchmark's database and look at it in
a real browser.

Writes the HTML report (and its PNG charts) for one pair of the database written by
bench/escalation.py, opens it in headless Chromium through selenium, and checks that
the console shows no errors, that every chart image loaded, decoded and takes space on
the page, and that the page is self-contained (the report's Content-Security-Policy
blocks anything from outside, and a blocked load is a console error). Saves a
screenshot of the whole page. Exit code 0 when every check passes, 1 when one fails,
2 when it cannot run (no database, no browser).

    .venv/bin/python bench/escalation.py --db bench/out/escalation.duckdb   # first, once
    .venv/bin/python bench/report_check.py                  # the first pair with alerts
    .venv/bin/python bench/report_check.py --dyad NOR-CHL --freq day
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from flashpoint.monitor import watch
from flashpoint.report import write_report
from flashpoint.report.browser import available, check_page
from flashpoint.store import Store, StoreError

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def first_alerted_dyad(db: Path, freq: str) -> str | None:
    """The pair of the strongest alert in the database (watch sorts by severity, then
    score), so that the check looks at a page with alerts to draw."""
    with Store(db, read_only=True) as store:
        alerts = watch(store, freq=freq, top=1)
    return alerts[0].dyad if alerts else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=OUT / "escalation.duckdb")
    parser.add_argument("--dyad", help="pair to report on (default: the strongest alert's)")
    parser.add_argument("--freq", default="week", choices=("day", "week", "month"))
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the report, its "
                        "PNG charts and the screenshot")
    args = parser.parse_args()

    if not args.db.exists():
        print(f"{args.db} not found: write it first with\n"
              f"    .venv/bin/python bench/escalation.py --db {args.db}", file=sys.stderr)
        return 2
    reason = available()
    if reason:
        print(f"cannot check in a browser: {reason}", file=sys.stderr)
        return 2
    try:
        dyad = args.dyad or first_alerted_dyad(args.db, args.freq)
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return 2
    if dyad is None:
        print(f"{args.db}: no pair has an alert; name one with --dyad", file=sys.stderr)
        return 2

    started = time.perf_counter()
    html = args.out / "report.html"
    try:
        report = write_report(args.db, dyad=dyad, output=html,
                              png_dir=args.out / "report-png", freq=args.freq)
    except (StoreError, ValueError, OSError) as exc:
        print(exc, file=sys.stderr)
        return 2
    built = time.perf_counter() - started
    page = check_page(html, screenshot=args.out / "report.png")

    checks = [
        (f"report on {report.dyad}, {report.since} to {report.until}: {report.events} events, "
         f"{report.alerts} alerts, written in {built:.1f} s", report.events > 0),
        (f"{html.stat().st_size / 1024:.0f} KB page, title {page.title!r}", bool(page.title)),
        (f"no console errors ({len(page.errors)} found)", not page.errors),
        (f"4 chart images ({page.charts} found)", page.charts == 4),
        *((f"chart {c.name}: loaded, {c.natural_width}x{c.natural_height} decoded, "
           f"{c.width:.0f}x{c.height:.0f} on the page", c.rendered) for c in page.chart_states),
        (f"{len(report.png_files)} PNG charts in {args.out / 'report-png'}",
         len(report.png_files) == 4),
        (f"screenshot of the whole page ({page.height} px high): {page.screenshot}",
         page.screenshot is not None and page.screenshot.stat().st_size > 50_000),
    ]
    for message in page.errors:
        print(f"  console: {message}")
    for label, passed in checks:
        print(f"{'ok  ' if passed else 'FAIL'} {label}")
    failed = sum(not passed for _, passed in checks)
    print(f"{len(checks) - failed} of {len(checks)} checks passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
