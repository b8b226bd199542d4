"""Dyad time series: how much cooperation and conflict a selection of events shows per
day, week or month.

Counts come from the grouped `events` table (one row per real-world happening), dated
by the event's first date: a story reported by ten outlets is one event, so the series
measures happenings rather than coverage. `count="mentions"` weights each event by its
number of mentions instead, for those who want coverage. Following GDELT's advice, the
series also carries `all_events`, everything coded in the store in the same period, so
that a rise in one dyad can be told apart from a rise in the amount of news read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from flashpoint.actors.dictionary import ROLE_CODES, ActorDictionary, is_code, parse_dyad
from flashpoint.store import Store

FREQS = {"day": "D", "week": "W-MON", "month": "MS"}
COUNTS = ("events", "mentions")
COLUMNS = ("q1", "q2", "q3", "q4", "total", "goldstein_sum", "goldstein_mean",
           "conflict_share", "all_events")


class MonitorError(ValueError):
    """A selection that cannot be monitored (unknown actor code, nothing stored); the
    message is one line a command can print as it is."""


class NoEventsError(MonitorError):
    """Nothing to monitor: no dated events in the store or the period, or none for a
    dyad asked for by name."""


@dataclass(frozen=True)
class Selection:
    """Which events a series counts, as SQL over the `events` table."""

    where: str
    params: list[Any]
    label: str


def _check_code(store: Store, code: str, what: str) -> str:
    code = code.strip().upper()
    if not is_code(code):
        raise ValueError(f"{what} {code!r}: expected a CAMEO actor code like IRN or IRNGOV")
    if not known_code(store, code):
        raise MonitorError(f"unknown actor code {code!r}: not in the database and not in "
                           "Flashpoint's actor or country dictionaries")
    return code


def known_code(store: Store, code: str) -> bool:
    """Whether `code` names an actor: some stored event uses it (as a prefix), or the
    dictionaries know it (a country or named actor, optionally followed by roles)."""
    found = store.db.execute(
        "SELECT 1 FROM events WHERE starts_with(source_code, ?) OR starts_with(target_code, ?) "
        "LIMIT 1", [code, code]).fetchall()
    return bool(found) or _in_dictionaries(code)


def _in_dictionaries(code: str) -> bool:
    codes, countries = _dictionary_codes()
    if any(c.startswith(code) for c in codes):
        return True
    # a country followed by role codes: "IRNMIL", "USAGOVLEG"
    groups = [code[i:i + 3] for i in range(0, len(code), 3)]
    return groups[0] in countries and all(g in ROLE_CODES for g in groups[1:])


@cache
def _dictionary_codes() -> tuple[frozenset[str], frozenset[str]]:
    """Every actor code of the shipped dictionaries, and their country prefixes."""
    codes = frozenset(e.code for e in ActorDictionary.load().entries)
    return codes, frozenset(c[:3] for c in codes)


def select(store: Store, *, dyad: str | None = None, directed: bool = False,
           country: str | None = None, actor: str | None = None) -> Selection:
    """The SQL filter for a dyad, a country or an actor (at most one of them)."""
    given = [name for name, value in (("dyad", dyad), ("country", country), ("actor", actor))
             if value]
    if len(given) > 1:
        raise ValueError(f"give one of dyad, country or actor, not {' and '.join(given)}")
    if dyad:
        a, b = parse_dyad(dyad)
        a, b = _check_code(store, a, "dyad side"), _check_code(store, b, "dyad side")
        one_way = "(starts_with(source_code, ?) AND starts_with(target_code, ?))"
        if directed:
            return Selection(one_way, [a, b], f"{a}->{b}")
        return Selection(f"({one_way} OR {one_way})", [a, b, b, a], f"{a}-{b}")
    if country:
        code = _check_code(store, country, "country")
        if len(code) != 3:
            raise ValueError(f"country {country!r}: expected a three-letter country code")
        return Selection("(source_country = ? OR target_country = ?)", [code, code], code)
    if actor:
        code = _check_code(store, actor, "actor")
        return Selection("(starts_with(source_code, ?) OR starts_with(target_code, ?))",
                         [code, code], code)
    return Selection("true", [], "all events")


def as_date(value: dt.date | str | None, name: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ValueError(f"{name} {value!r} is not a date (YYYY-MM-DD)") from None


def period_start(day: dt.date, freq: str) -> pd.Timestamp:
    """The first day of the period holding `day` (weeks start on Monday)."""
    stamp = pd.Timestamp(day)
    if freq == "week":
        return stamp - pd.Timedelta(days=stamp.weekday())
    if freq == "month":
        return stamp.replace(day=1)
    return stamp


def _check_options(freq: str, count: str, since: dt.date | str | None,
                   until: dt.date | str | None) -> tuple[dt.date | None, dt.date | None]:
    if freq not in FREQS:
        raise ValueError(f"freq {freq!r}: expected one of {', '.join(FREQS)}")
    if count not in COUNTS:
        raise ValueError(f"count {count!r}: expected one of {', '.join(COUNTS)}")
    start, end = as_date(since, "since"), as_date(until, "until")
    if start and end and end < start:
        raise ValueError(f"until {end} is before since {start}")
    return start, end


@dataclass(frozen=True)
class _Scope:
    """The events a series may count at all (dated, asserted, in the period) and the
    period's bounds."""

    where: str
    params: list[Any]
    start: dt.date
    end: dt.date
    weight: str  # SQL: what one event counts for


def undated_message(store: Store) -> str:
    """Why a store has nothing to draw a series from: it is empty, or its events carry
    no date (articles ingested without one)."""
    total = store.db.execute("SELECT count(*) FROM events").fetchall()[0][0]
    if not total:
        return f"{store.path}: no events stored; ingest articles first"
    stored = f"{total} event stored, not dated" if total == 1 else \
        f"{total} events stored, none dated"
    return (f"{store.path}: {stored} (the articles carry no date; `flashpoint ingest "
            "--date YYYY-MM-DD` gives undated articles one)")


def period_filter(asserted_only: bool, start: dt.date | None,
                  end: dt.date | None) -> tuple[list[str], list[Any]]:
    """SQL conditions (and their parameters) on events: dated, asserted if asked, and
    first seen within the period."""
    where, params = ["first_date IS NOT NULL"], []
    if asserted_only:
        where.append("asserted")
    if start:
        where.append("first_date >= ?")
        params.append(start)
    if end:
        where.append("first_date <= ?")
        params.append(end)
    return where, params


def _scope(store: Store, freq: str, count: str, asserted_only: bool,
           start: dt.date | None, end: dt.date | None) -> _Scope:
    base, params = period_filter(asserted_only, start, end)
    where = " AND ".join(base)
    if start is None or end is None:
        first, last = store.db.execute(
            f"SELECT min(first_date), max(first_date) FROM events WHERE {where}",
            params).fetchall()[0]
        if first is None:
            if start or end:
                raise NoEventsError(f"{store.path}: no dated events to make a series from "
                                    "in that period")
            raise NoEventsError(undated_message(store))
        start, end = start or first, end or last
    return _Scope(where, params, start, end,
                  "num_mentions" if count == "mentions" else "1")


def _sums(weight: str) -> str:
    """SQL aggregates of a series' counts by QuadClass and Goldstein."""
    return ", ".join([f"sum(CASE WHEN quad_class = {q} THEN {weight} ELSE 0 END) AS q{q}"
                      for q in (1, 2, 3, 4)] + [f"sum({weight} * goldstein) AS goldstein_sum"])


def _all_events(store: Store, scope: _Scope, freq: str) -> pd.DataFrame:
    return store.db.execute(
        f"SELECT date_trunc('{freq}', first_date) AS period, sum({scope.weight}) AS all_events "
        f"FROM events WHERE {scope.where} GROUP BY period", scope.params).df()


def _aligned(part: pd.DataFrame, columns: list[str], index: pd.DatetimeIndex) -> np.ndarray:
    """The per-period sums of `part` on every period of `index`, zeros where none."""
    if not len(part):
        return np.zeros((len(index), len(columns)))
    values = part.set_index(pd.to_datetime(part["period"]).rename("period"))[columns]
    return values.astype(float).reindex(index, fill_value=0.0).to_numpy()


def _period_index(scope: _Scope, freq: str) -> pd.DatetimeIndex:
    return pd.date_range(period_start(scope.start, freq), period_start(scope.end, freq),
                         freq=FREQS[freq], name="period")


SUMS = ["q1", "q2", "q3", "q4", "goldstein_sum"]


def _assemble(sums: np.ndarray, totals: np.ndarray, scope: _Scope, freq: str,
              normalise: bool, attrs: dict[str, Any]) -> pd.DataFrame:
    """The zero-filled frame from per-period sums (`sums`: q1..q4 and goldstein_sum)
    and all events per period (`totals`), both aligned on the period index. Computed on
    arrays: pandas copies a frame's attrs on every operation, which dominates when
    thousands of pairs are scanned."""
    index = _period_index(scope, freq)
    quads, goldstein = sums[:, :4], sums[:, 4]
    total = quads.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(total > 0, goldstein / total, np.nan)
        share = np.where(total > 0, quads[:, 3] / total, np.nan)
    selected = int(total.sum())
    if normalise:
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(totals > 0, 1.0 / totals, 0.0)
        quads, total, goldstein = quads * scale[:, None], total * scale, goldstein * scale
    frame = pd.DataFrame({"q1": quads[:, 0], "q2": quads[:, 1], "q3": quads[:, 2],
                          "q4": quads[:, 3], "total": total, "goldstein_sum": goldstein,
                          "goldstein_mean": mean, "conflict_share": share,
                          "all_events": totals.astype(float)}, index=index)
    count = "mentions" if scope.weight == "num_mentions" else "events"
    frame.attrs.update({
        "freq": freq, "count": count, "normalised": normalise,
        "unit": (f"share of all {count} coded in the period" if normalise else count),
        "since": str(scope.start), "until": str(scope.end),
        "selected": selected,  # events (or mentions) counted, before normalising
        **attrs,
    })
    return frame


def series(store: Store, *, dyad: str | None = None, directed: bool = False,
           country: str | None = None, actor: str | None = None, freq: str = "week",
           count: str = "events", normalise: bool = False, asserted_only: bool = True,
           since: dt.date | str | None = None,
           until: dt.date | str | None = None) -> pd.DataFrame:
    """Counts of a selection's events per period, every period present (zero-filled).

    Columns: q1..q4 (by GDELT QuadClass), total, goldstein_sum, goldstein_mean (NaN
    without events), conflict_share (q4 / total, NaN without events) and all_events (the
    same count over everything in the store, the denominator for normalising). With
    `normalise`, q1..q4, total and goldstein_sum are divided by all_events. Events only
    alleged or hypothetical in every mention are left out unless `asserted_only` is
    false: a claim is not a happening. Undated events cannot be placed and are left out.
    """
    start, end = _check_options(freq, count, since, until)
    chosen = select(store, dyad=dyad, directed=directed, country=country, actor=actor)
    scope = _scope(store, freq, count, asserted_only, start, end)
    rows = store.db.execute(
        f"SELECT date_trunc('{freq}', first_date) AS period, {_sums(scope.weight)} "
        f"FROM events WHERE {scope.where} AND {chosen.where} GROUP BY period",
        scope.params + chosen.params).df()
    index = _period_index(scope, freq)
    totals = _aligned(_all_events(store, scope, freq), ["all_events"], index)[:, 0]
    return _assemble(_aligned(rows, SUMS, index), totals, scope, freq, normalise, {
        "label": chosen.label, "asserted_only": asserted_only, "directed": directed,
        "dyad": dyad.upper() if dyad else None, "country": country, "actor": actor})


def pair_series(store: Store, pairs: list[str], *, freq: str = "week",
                count: str = "events", normalise: bool = False, asserted_only: bool = True,
                since: dt.date | str | None = None,
                until: dt.date | str | None = None) -> dict[str, pd.DataFrame]:
    """`series(store, dyad=pair, ...)` for many country pairs ("AAA-BBB", both
    directions) with one query over the events instead of one per pair: scanning every
    pair of a large store stays one pass. The frames equal those of `series`."""
    start, end = _check_options(freq, count, since, until)
    wanted = {"-".join(sorted(parse_dyad(p))): p.upper() for p in pairs}
    for pair in wanted:
        if any(len(code) != 3 for code in pair.split("-")):
            raise ValueError(f"pair {pair!r}: expected two three-letter country codes")
    scope = _scope(store, freq, count, asserted_only, start, end)
    key = ("least(source_country, target_country) || '-' || "
           "greatest(source_country, target_country)")
    rows = store.db.execute(
        f"SELECT {key} AS pair, date_trunc('{freq}', first_date) AS period, "
        f"{_sums(scope.weight)} FROM events WHERE {scope.where} AND source_country IS NOT "
        f"NULL AND target_country IS NOT NULL AND {key} IN (SELECT unnest(?)) "
        f"GROUP BY pair, period", scope.params + [sorted(wanted)]).df()
    index = _period_index(scope, freq)
    totals = _aligned(_all_events(store, scope, freq), ["all_events"], index)[:, 0]
    # place every row once, then cut the pairs out of one array
    positions = index.get_indexer(pd.to_datetime(rows["period"])) if len(rows) else []
    values = rows[SUMS].to_numpy(dtype=float)
    members = rows.groupby("pair").indices if len(rows) else {}
    frames = {}
    for pair, label in wanted.items():
        sums = np.zeros((len(index), len(SUMS)))
        if pair in members:
            sums[positions[members[pair]]] = values[members[pair]]
        frames[label] = _assemble(sums, totals, scope, freq, normalise, {
            "label": label, "asserted_only": asserted_only, "directed": False,
            "dyad": label, "country": None, "actor": None})
    return frames
