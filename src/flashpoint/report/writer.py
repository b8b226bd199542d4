"""`write_report`: query, chart and write one dyad's escalation report.

The page is written to a temporary file beside the target and moved into place, so a
report that fails half way (a full disk, an interrupt) never leaves a truncated page
where the previous good one was.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import pandas as pd

from flashpoint.report import charts
from flashpoint.report import html as page
from flashpoint.report.data import ReportData, gather
from flashpoint.store import Store

#: progress(step, done, total): called as each step starts, then once at the end
Progress = Callable[[str, int, int], None]

STEPS = ("querying", "charting the series", "charting the index", "charting event types",
         "charting actors", "writing the page")
UNITS = {"day": "daily", "week": "weekly", "month": "monthly"}


@dataclass
class Report:
    """What `write_report` wrote, for the command's closing line and for callers."""

    output: Path
    dyad: str
    since: dt.date
    until: dt.date
    events: int
    alerts: int
    png_files: list[Path] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.events == 0


def _spans(data: ReportData) -> list[charts.Span]:
    """The alerts as shaded stretches: an alert's `end` is the last day of its last
    period, so the stretch runs to the next day's start."""
    return [charts.Span(n, pd.Timestamp(a.start), pd.Timestamp(a.end) + pd.Timedelta(days=1),
                        a.severity)
            for n, a in enumerate(data.alerts, 1)]


def _summary(data: ReportData) -> list[tuple[str, str, str]]:
    frame, events = data.frame, data.events
    items = [("Dyad", f"{data.sides[0]} and {data.sides[1]}", ""),
             ("Period", f"{data.since} to {data.until}", ""),
             ("Periods", f"{len(frame)} {data.freq}{'s' if len(frame) != 1 else ''}", ""),
             ("Events", f"{events:,}", "")]
    if events:
        total = float(frame["total"].sum())
        material, verbal = frame["q4"].sum() / total, frame["q3"].sum() / total
        items.append(("Conflict", f"{material:.0%} material, {verbal:.0%} verbal", ""))
        items.append(("Mean Goldstein", f"{frame['goldstein_sum'].sum() / total:+.2f}", ""))
    if data.index is not None:
        peak = data.index.idxmax()
        items.append(("Peak index", f"{data.index.max():.0f} ({peak.date()})", ""))
    items.append(("Alerts", str(len(data.alerts)), "alerting" if data.alerts else ""))
    items.append(("Data", f"{data.db_path} ({data.stored_events:,} events stored)", "path"))
    return items


def _alerts_section(data: ReportData) -> str:
    """The alert table, then each alert's evidence; or the top conflict events."""
    if not data.alerts:
        heading = "<h2>Evidence: the period's strongest conflict events</h2>"
        if not data.evidence:
            why = (data.empty_message or
                   f"No conflict events between {data.sides[0]} and {data.sides[1]} in this "
                   "period.")
            return (f'<section id="evidence">{heading}<p class="caption">No alert was raised.'
                    f'</p><div class="empty">{escape(why)}</div></section>')
        return (f'<section id="evidence">{heading}<p class="caption">No alert was raised in '
                "this period. These are its conflict events, the most violent first (lowest "
                "Goldstein score), then the most reported; each with the sentence that first "
                "reported it and that sentence's article.</p>"
                f"{page.evidence_table(data.evidence)}</section>")
    rows = "".join(
        f'<tr><td><a href="#alert-{n}">A{n}</a></td>'
        f'<td><span class="sev sev-{escape(str(a.severity))}">'
        f"{escape(str(a.severity))}</span></td>"
        f'<td class="nowrap">{_day(a.start)} to {_day(a.end)}</td>'
        f'<td class="num">{a.score:.1f}</td>'
        f'<td class="num">{a.before:.1f} &rarr; {a.after:.1f}</td>'
        f'<td class="num">{a.index:.0f}</td><td class="num">{len(a.evidence)}</td></tr>'
        for n, a in enumerate(data.alerts, 1))
    table = ("<table class=\"alerts\"><tr><th>alert</th><th>severity</th><th>from, to</th>"
             f"<th>score</th><th>hostility per {data.freq}: before &rarr; after</th>"
             f"<th>index at onset</th><th>evidence</th></tr>{rows}</table>")
    evidence = ('<p class="caption">The events that set each alert off (its first days), '
                "the most violent first (lowest Goldstein score), then the most reported; each "
                "with the sentence that first reported it and that sentence's article.</p>")
    evidence += "".join(
        f'<h3 id="alert-{n}">A{n}: {_day(a.start)} to {_day(a.end)}</h3>'
        + (page.evidence_table(a.evidence) if a.evidence
           else '<div class="empty">No event sentences stored for this alert.</div>')
        for n, a in enumerate(data.alerts, 1))
    return (f'<section id="alerts"><h2>Alerts</h2><p class="caption">Change points in the '
            "pair's hostility (material conflict plus half the verbal conflict per period), "
            "in time order, each with the events that set it off.</p>"
            f'{table}</section><section id="evidence"><h2>Evidence</h2>{evidence}</section>')


def _day(value: object) -> str:
    return escape(str(value)[:10])


def render(data: ReportData, *, png: bool = False,
           progress: Progress | None = None) -> tuple[str, list[charts.Chart]]:
    """The page's HTML and its charts (with PNG bytes when `png`)."""
    def step(n: int) -> None:
        if progress is not None:
            progress(STEPS[n], n, len(STEPS))

    empty, spans = data.empty_message, _spans(data)
    step(1)
    drawn = [charts.series_chart(data.frame, data.freq, spans, empty=empty, png=png)]
    step(2)
    drawn.append(charts.index_chart(data.index, data.freq, spans, empty=empty, png=png))
    step(3)
    drawn.append(charts.event_types_chart(data.event_types, empty=empty, png=png))
    step(4)
    drawn.append(charts.actors_chart(data.actors, empty=empty, png=png))
    step(5)
    from flashpoint import __version__
    from flashpoint.monitor.index import describe

    title = f"{data.sides[0]} \u2013 {data.sides[1]}: escalation report"
    subtitle = (f"{UNITS[data.freq].capitalize()} events between {data.sides[0]} and "
                f"{data.sides[1]} (both directions), {data.since} to {data.until}")
    tables = {
        "event-types": page.data_table(
            ["CAMEO root", "name", "QuadClass", "events"],
            [(r.root_code, charts.sentence_case(r.name), r.quad_class, r.events)
             for r in data.event_types.itertuples()]),
        "actors": page.data_table(
            ["actor", "as source", "as target"],
            [(r.code, r.as_source, r.as_target) for r in data.actors.itertuples()]),
    }
    sections = [page.summary_section(_summary(data)),
                *(page.chart_section(c, tables.get(c.name, "")) for c in drawn),
                _alerts_section(data)]
    footer = (f"Flashpoint {__version__}. Events are grouped reports of one happening "
              "(a story told by ten outlets counts once); only dated events asserted by at "
              f"least one report are counted. Escalation index: {describe()}.")
    return page.page(title, subtitle, sections, footer), drawn


def write_report(store_or_path: Store | str | Path, *, dyad: str,
                 output: str | Path = "report.html", png_dir: str | Path | None = None,
                 since: dt.date | str | None = None, until: dt.date | str | None = None,
                 freq: str = "week", progress: Progress | None = None) -> Report:
    """Write one self-contained HTML report on `dyad` (e.g. "USA-IRN", both directions).

    With `png_dir`, each chart is also written there as a PNG file (folder created if
    needed). A dyad without events in the period still gets a report, whose chart areas
    say so. Raises StoreError (a missing or non-Flashpoint database), ValueError or
    monitor.MonitorError (bad dyad, dates or frequency; unknown actor code; a store with
    no dated events) and OSError (the output cannot be written): each with a one-line
    message.
    """
    if progress is not None:
        progress(STEPS[0], 0, len(STEPS))
    if isinstance(store_or_path, Store):
        data = gather(store_or_path, dyad, freq=freq, since=since, until=until)
    else:
        with Store(store_or_path, read_only=True) as store:
            data = gather(store, dyad, freq=freq, since=since, until=until)
    document, drawn = render(data, png=png_dir is not None, progress=progress)
    target = Path(output)
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "a folder: give a file name for the report",
                                str(target))
    # both places made before anything is written: no page without its charts
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(png_dir) if png_dir is not None else None
    if folder is not None:
        if folder.exists() and not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "a file: give a folder for the PNG charts",
                                     str(folder))
        folder.mkdir(parents=True, exist_ok=True)
    _replace(target, document.encode("utf-8"))
    written: list[Path] = []
    if folder is not None:
        for chart in drawn:
            if chart.png is not None:
                path = folder / f"{chart.name}.png"
                _replace(path, chart.png)
                written.append(path)
    if progress is not None:
        progress("done", len(STEPS), len(STEPS))
    return Report(target, data.dyad, data.since, data.until, data.events, len(data.alerts),
                  written)


def _replace(path: Path, content: bytes) -> None:
    """Write `content` to `path` all at once: a temporary file beside it, then a rename."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_bytes(content)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
