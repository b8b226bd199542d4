"""Change points and alerts: when did a dyad's hostility shift upwards, and why.

`detect` finds shifts in a series' hostility (material conflict plus half the verbal
conflict, per period) with penalised PELT from the `ruptures` package. Event counts are
Poisson-like, so their spread grows with their level; the Anscombe transform
2*sqrt(x + 3/8) makes the spread about 1 from a few events a period upwards, which is
what the least-squares (l2) cost of PELT assumes. The penalty is the BIC-like
`penalty * sigma^2 * log(n)`, with sigma the series' own noise (a robust estimate from
first differences, never below 1, the transform's spread at a few events a period): a
noisy dyad needs a larger shift to be flagged than a quiet one. Below about one event a
period the true spread is smaller (0.34 at 0.1 a day), so the floor makes quiet pairs
conservative: fewer false alarms, and mild escalations on them found later
(docs/escalation.md, "Limits").

`watch` runs this over dyads of a store and returns `Alert`s with the events that
drove each shift as evidence, traceable to the sentence and article they came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import ruptures as rpt
from pandas.tseries.frequencies import to_offset

from flashpoint.monitor.index import BASELINES, escalation_index, hostility, lookback, plain
from flashpoint.monitor.series import (
    FREQS,
    NoEventsError,
    as_date,
    pair_series,
    parse_dyad,
    period_filter,
    select,
    series,
)
from flashpoint.ontology import cameo_table
from flashpoint.store import Store

#: minimum segment length (periods) by frequency: a change must hold this long
MIN_SIZE = {"day": 4, "week": 2, "month": 2}
#: the penalty's multiple of sigma^2 * log(n): 2 is the BIC for a change in mean (a new
#: location and a new level per change)
PENALTY = 2.0
#: evidence is taken from the first days of a shift: what set it off
EVIDENCE_DAYS = {"day": 7, "week": 14, "month": 31}
SEVERITIES = ("high", "medium", "low")


@dataclass(frozen=True)
class ChangePoint:
    """An upward shift in hostility: from `start` to `end` (period starts, inclusive)
    the mean per period is `after`, against `before` in the segment preceding it."""

    position: int
    start: pd.Timestamp
    end: pd.Timestamp
    before: float
    after: float
    shift: float
    score: float  # the shift in noise units of the variance-stabilised series


@dataclass(frozen=True)
class Evidence:
    """One event that drove an alert, with the sentence it was first reported in."""

    event_id: str
    date: dt.date
    event_code: str
    event_name: str
    source_code: str | None
    target_code: str | None
    sentence: str | None
    doc_id: str | None
    num_sources: int
    num_mentions: int


@dataclass
class Alert:
    """A dyad whose hostility shifted upwards from `start` (to `end`)."""

    dyad: str
    start: dt.date
    end: dt.date
    severity: str
    score: float
    before: float
    after: float
    shift: float
    index: float
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (dates as ISO strings)."""
        record = asdict(self)
        record["start"], record["end"] = self.start.isoformat(), self.end.isoformat()
        for item in record["evidence"]:
            item["date"] = item["date"].isoformat() if item["date"] else None
        return record


def _stabilised(raw: np.ndarray, frame: pd.DataFrame) -> np.ndarray:
    """Hostility (`raw`) as Anscombe-transformed counts (spread about 1 at any level).
    Shares of a normalised frame are turned back into counts at its typical volume."""
    values = raw
    if frame.attrs.get("normalised"):
        typical = float(np.median(frame["all_events"].to_numpy())) or 1.0
        values = values * typical
    return 2.0 * np.sqrt(np.clip(values, 0.0, None) + 0.375)


def noise(signal: np.ndarray) -> float:
    """Robust spread of a series: MAD of first differences / sqrt(2), at least 1 (the
    Anscombe transform's spread for Poisson counts of a few a period; conservative
    below that). Differences ignore level shifts."""
    if len(signal) < 3:
        return 1.0
    diffs = np.diff(signal)
    mad = float(np.median(np.abs(diffs - np.median(diffs))))
    return max(1.4826 * mad / np.sqrt(2.0), 1.0)


def detect(frame: pd.DataFrame, *, penalty: float = PENALTY,
           min_size: int | None = None) -> list[ChangePoint]:
    """Upward shifts of hostility in a `series()` frame (PELT, l2 cost, ruptures).

    `penalty` multiplies sigma^2 * log(n); `min_size` is the shortest segment in periods
    (default by frequency: 4 days, 2 weeks, 2 months).

    Consecutive rising segments (a ramp found as steps) are merged into one change.
    """
    freq = frame.attrs.get("freq", "day")
    min_size = min_size or MIN_SIZE.get(freq, 2)
    raw = hostility(plain(frame)).to_numpy(dtype=float)
    signal = _stabilised(raw, frame)
    n = len(signal)
    if n < 2 * min_size:
        return []
    sigma = noise(signal)
    # ruptures' KernelCPD with the linear kernel is exactly the l2 (change in mean) cost,
    # solved by penalised PELT in C: the same change points as Pelt(model="l2"), ~1000x
    # faster, which matters when every pair of a large store is scanned
    breaks = [int(b) for b in rpt.KernelCPD(kernel="linear", min_size=min_size, jump=1)
              .fit(signal).predict(pen=penalty * sigma ** 2 * np.log(n))]
    bounds = [0, *breaks]
    segments = [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]
    level = [float(signal[a:b].mean()) for a, b in segments]
    mean = [float(raw[a:b].mean()) for a, b in segments]
    changes: list[ChangePoint] = []
    k = 1
    while k < len(segments):
        if level[k] <= level[k - 1]:
            k += 1
            continue
        first = k
        while k + 1 < len(segments) and level[k + 1] > level[k]:
            k += 1  # still rising: one escalation in steps
        a, b = segments[first][0], segments[k][1]
        changes.append(ChangePoint(
            position=a, start=frame.index[a], end=frame.index[b - 1],
            before=mean[first - 1], after=mean[k], shift=mean[k] - mean[first - 1],
            score=(level[k] - level[first - 1]) / sigma))
        k += 1
    return changes


def severity(score: float, index: float) -> str:
    """high: a shift of 1.5 noise units or more (about "from nothing to two conflict
    events a period"), or of 1 with an index of 70 or more; medium: a shift of 0.75 or
    more (about "from nothing to one event every two periods"), or an index of 50 or
    more; low: the rest."""
    if score >= 1.5 or (score >= 1.0 and index >= 70.0):
        return "high"
    if score >= 0.75 or index >= 50.0:
        return "medium"
    return "low"


def evidence(store: Store, dyad: str, start: dt.date, end: dt.date, *, limit: int = 5,
             asserted_only: bool = True) -> list[Evidence]:
    """The dyad's conflict events from `start` to `end`, most conflictual and most
    sourced first, each with the sentence and article of its first mention."""
    chosen = select(store, dyad=dyad)
    asserted = "AND e.asserted" if asserted_only else ""
    rows = store.db.execute(
        f"SELECT e.event_id, e.first_date, e.event_code, e.source_code, e.target_code, "
        f"m.sentence, m.doc_id, e.num_sources, e.num_mentions "
        f"FROM (SELECT * FROM events WHERE {chosen.where}) e "
        f"LEFT JOIN mentions m ON m.mention_id = e.first_mention "
        f"WHERE e.quad_class >= 3 {asserted} AND e.first_date BETWEEN ? AND ? "
        f"ORDER BY e.goldstein, e.num_sources DESC, e.num_mentions DESC, e.first_date, "
        f"e.event_id LIMIT ?", [*chosen.params, start, end, limit]).fetchall()
    names = cameo_table()
    return [Evidence(r[0], r[1], r[2], names[r[2]].name if r[2] in names else r[2], r[3], r[4],
                     r[5], r[6], int(r[7]), int(r[8])) for r in rows]


def active_dyads(store: Store, *, since: dt.date | None = None, until: dt.date | None = None,
          min_events: int = 10, asserted_only: bool = True) -> list[str]:
    """Country pairs ("AAA-BBB", alphabetical) with at least `min_events` events."""
    where, params = period_filter(asserted_only, since, until)
    where += ["source_country IS NOT NULL", "target_country IS NOT NULL",
              "source_country <> target_country"]
    rows = store.db.execute(
        f"SELECT least(source_country, target_country) || '-' || "
        f"greatest(source_country, target_country) AS dyad, count(*) AS n FROM events "
        f"WHERE {' AND '.join(where)} GROUP BY dyad HAVING count(*) >= ? ORDER BY dyad",
        [*params, min_events]).fetchall()
    return [r[0] for r in rows]


def watch(store: Store, *, dyads: list[str] | None = None,
          since: dt.date | str | None = None, until: dt.date | str | None = None,
          freq: str = "day", top: int = 5, min_events: int = 10, count: str = "events",
          penalty: float = PENALTY, baseline: int | None = None,
          asserted_only: bool = True) -> list[Alert]:
    """Alerts for upward shifts in hostility, most severe first, then by score.

    With no `dyads`, every country pair with at least `min_events` events in the period
    is scanned (their series come from one query). `top` is the number of evidence
    events per alert. The series start `baseline` periods before `since` so that a shift
    at the start of the window has a "before" to be measured against; only alerts
    starting on or after `since` are kept. A pair asked for by name that has no events
    in the period raises `NoEventsError`.
    """
    if freq not in FREQS:
        raise ValueError(f"freq {freq!r}: expected one of {', '.join(FREQS)}")
    start, end = as_date(since, "since"), as_date(until, "until")
    baseline = baseline or BASELINES[freq]
    begin = lookback(start, freq, baseline) if start else None
    options = {"freq": freq, "count": count, "since": begin, "until": end,
               "asserted_only": asserted_only}
    if dyads is None:
        pairs = active_dyads(store, since=start, until=end, min_events=min_events,
                             asserted_only=asserted_only)
        frames = pair_series(store, pairs, **options) if pairs else {}
    else:
        frames = {}
        for dyad in ("-".join(parse_dyad(d)) for d in dyads):
            frames[dyad] = _named(store, dyad, start, end, options)
    alerts: list[Alert] = []
    for dyad, frame in frames.items():
        alerts += _alerts(store, dyad, frame, start, freq, baseline, penalty, top,
                          asserted_only)
    alerts.sort(key=lambda a: (SEVERITIES.index(a.severity), -a.score, a.dyad, a.start))
    return alerts


def _named(store: Store, dyad: str, start: dt.date | None, end: dt.date | None,
           options: dict[str, Any]) -> pd.DataFrame:
    """The series of a pair asked for by name; NoEventsError when it has nothing."""
    period = "".join(f" {word} {day}" for word, day in (("from", start), ("to", end)) if day)
    try:
        frame = series(store, dyad=dyad, **options)
    except NoEventsError:
        raise NoEventsError(f"no events for {dyad}{period} in {store.path}") from None
    inside = frame if start is None else frame[frame.index >= pd.Timestamp(start)]
    if inside["total"].sum() == 0:
        period = f" from {start or frame.attrs['since']} to {end or frame.attrs['until']}"
        raise NoEventsError(f"no events for {dyad}{period}")
    return frame


def _alerts(store: Store, dyad: str, frame: pd.DataFrame, start: dt.date | None, freq: str,
            baseline: int, penalty: float, top: int, asserted_only: bool) -> list[Alert]:
    """The alerts of one pair's series, each with its evidence."""
    changes = [c for c in detect(frame, penalty=penalty)
               if start is None or c.start >= pd.Timestamp(start)]
    if not changes:
        return []
    index = escalation_index(frame, baseline=baseline)
    window = pd.Timedelta(days=EVIDENCE_DAYS[freq] - 1)
    alerts = []
    for change in changes:
        first = change.start
        last_day = change.end + to_offset(FREQS[freq]) - pd.Timedelta(days=1)
        until_evidence = min(last_day, first + window)
        peak = float(index[(index.index >= first) & (index.index <= until_evidence)].max())
        alerts.append(Alert(
            dyad=dyad, start=first.date(), end=last_day.date(),
            severity=severity(change.score, peak), score=round(change.score, 3),
            before=round(change.before, 3), after=round(change.after, 3),
            shift=round(change.shift, 3), index=round(peak, 1),
            evidence=evidence(store, dyad, first.date(), until_evidence.date(), limit=top,
                              asserted_only=asserted_only)))
    return alerts
