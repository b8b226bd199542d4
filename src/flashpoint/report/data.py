"""What a report shows, gathered from the store before anything is drawn.

The series, the index, the alerts and the evidence come from `flashpoint.monitor`; the
breakdowns (event types, actors) are queried here with the monitor's own selection
(`monitor.series.select`) and the same filters as its series (dated, asserted, first
date within the period), so that every number on the page counts the same events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from flashpoint.monitor import Alert, Evidence, escalation_index, series, watch
from flashpoint.monitor.alerts import evidence as conflict_evidence
from flashpoint.monitor.index import lookback
from flashpoint.monitor.series import Selection, period_filter, select
from flashpoint.ontology import lookup
from flashpoint.store import Store

#: evidence rows per alert (or in all when there is no alert); bars of the actor chart
TOP_EVENTS = 10
TOP_ACTORS = 12


@dataclass
class ReportData:
    """Everything the page and the charts need, already queried."""

    dyad: str                      # as the monitor labels it, e.g. "USA-IRN"
    sides: tuple[str, str]
    db_path: str
    freq: str
    since: dt.date
    until: dt.date
    frame: pd.DataFrame            # monitor.series()
    index: pd.Series | None        # monitor.escalation_index(), None without events
    alerts: list[Alert]
    event_types: pd.DataFrame      # root_code, name, quad_class, events
    actors: pd.DataFrame           # code, as_source, as_target
    evidence: list[Evidence]       # the top conflict events when there is no alert
    stored_events: int             # every dated event in the store, for the summary

    @property
    def events(self) -> int:
        return int(self.frame.attrs.get("selected", int(self.frame["total"].sum())))

    @property
    def empty_message(self) -> str | None:
        """Why there is nothing to draw, or None when there is."""
        if self.events:
            return None
        a, b = self.sides
        return f"No events between {a} and {b} in this period ({self.since} to {self.until})."


def _filters(selection: Selection, since: dt.date, until: dt.date) -> tuple[str, list[Any]]:
    """The monitor's series filter (asserted, dated, in the period) plus the selection."""
    where, params = period_filter(True, since, until)
    return " AND ".join([*where, selection.where]), [*params, *selection.params]


def event_types(store: Store, where: str, params: list[Any]) -> pd.DataFrame:
    """Events per CAMEO root code, with the root's name and QuadClass."""
    rows = store.db.execute(
        f"SELECT root_code, count(*) AS events FROM events WHERE {where} "
        "GROUP BY root_code ORDER BY root_code", params).fetchall()
    return pd.DataFrame(
        [(root, lookup(root).name, lookup(root).quad_class, int(n)) for root, n in rows],
        columns=["root_code", "name", "quad_class", "events"])


def top_actors(store: Store, where: str, params: list[Any],
               limit: int = TOP_ACTORS) -> pd.DataFrame:
    """The actor codes in most events, counted as source and as target."""
    rows = store.db.execute(
        f"WITH chosen AS (SELECT source_code, target_code FROM events WHERE {where}), "
        "sides AS (SELECT source_code AS code, 1 AS s, 0 AS t FROM chosen "
        "UNION ALL SELECT target_code, 0, 1 FROM chosen) "
        "SELECT code, sum(s) AS as_source, sum(t) AS as_target FROM sides "
        "WHERE code IS NOT NULL GROUP BY code "
        "ORDER BY as_source + as_target DESC, code LIMIT ?", [*params, limit]).fetchall()
    return pd.DataFrame([(c, int(s), int(t)) for c, s, t in rows],
                        columns=["code", "as_source", "as_target"])


def _index(store: Store, dyad: str, frame: pd.DataFrame, since: dt.date | str | None,
           until: dt.date) -> pd.Series:
    """The escalation index over the frame's periods. When the report starts at `since`,
    the index is computed from a series reaching one baseline further back, as `watch`
    does, so that the first periods are compared with their real past (not with nothing)
    and the chart agrees with the index values in the alert table."""
    if since is None:
        return escalation_index(frame)
    freq = frame.attrs["freq"]
    start = dt.date.fromisoformat(frame.attrs["since"])
    longer = series(store, dyad=dyad, freq=freq, since=lookback(start, freq), until=until)
    return escalation_index(longer).loc[frame.index]


def gather(store: Store, dyad: str, *, freq: str = "week", since: dt.date | str | None = None,
           until: dt.date | str | None = None) -> ReportData:
    """Query everything a report on `dyad` shows.

    Raises ValueError (a malformed dyad, date or frequency) or monitor.MonitorError (an
    unknown actor code, a store without dated events) with a one-line message.
    """
    frame = series(store, dyad=dyad, freq=freq, since=since, until=until)
    start = dt.date.fromisoformat(frame.attrs["since"])
    end = dt.date.fromisoformat(frame.attrs["until"])
    selection = select(store, dyad=dyad)
    where, params = _filters(selection, start, end)
    has_events = frame["total"].sum() > 0
    index = _index(store, dyad, frame, since, end) if has_events else None
    alerts = watch(store, dyads=[dyad], since=since, until=until, freq=freq,
                   top=TOP_EVENTS) if has_events else []
    alerts.sort(key=lambda a: a.start)  # numbered A1, A2, ... left to right on the charts
    sides = tuple(selection.label.split("-", 1))
    stored = store.db.execute("SELECT count(*) FROM events WHERE first_date IS NOT NULL "
                              "AND asserted").fetchall()[0][0]
    return ReportData(
        dyad=selection.label, sides=(sides[0], sides[1]), db_path=str(store.path), freq=freq,
        since=start, until=end, frame=frame, index=index, alerts=alerts,
        event_types=event_types(store, where, params), actors=top_actors(store, where, params),
        # without alerts, the period's most conflictual events, chosen as alerts choose theirs
        evidence=[] if alerts or not has_events else conflict_evidence(
            store, dyad, start, end, limit=TOP_EVENTS),
        stored_events=int(stored))
