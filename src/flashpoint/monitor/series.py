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
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd

from flashpoint.store import Store

FREQS = {"day": "D", "week": "W-MON", "month": "MS"}
COUNTS = ("events", "mentions")
COLUMNS = ("q1", "q2", "q3", "q4", "total", "goldstein_sum", "goldstein_mean",
           "conflict_share", "all_events")
_CODE = re.compile(r"^(?:[A-Z]{3})+$")


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


def parse_dyad(dyad: str) -> tuple[str, str]:
    """"USA-IRN" -> ("USA", "IRN"); each side a CAMEO actor code (prefix)."""
    parts = dyad.strip().upper().split("-")
    if len(parts) != 2 or not all(_CODE.match(p) for p in parts):
        raise ValueError(f"dyad {dyad!r}: expected two actor codes joined by '-', "
                         "like USA-IRN")
    return parts[0], parts[1]


def _check_code(store: Store, code: str, what: str) -> str:
    code = code.strip().upper()
    if not _CODE.match(code):
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
    from flashpoint.actors.dictionary import ROLE_CODES

    groups = [code[i:i + 3] for i in range(0, len(code), 3)]
    return groups[0] in countries and all(g in ROLE_CODES for g in groups[1:])


@cache
def _dictionary_codes() -> tuple[frozenset[str], frozenset[str]]:
    """Every actor code of the shipped dictionaries, and their country prefixes."""
    from flashpoint.actors.dictionary import ActorDictionary

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


def _as_date(value: dt.date | str | None, name: str) -> dt.date | None:
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
    if freq not in FREQS:
        raise ValueError(f"freq {freq!r}: expected one of {', '.join(FREQS)}")
    if count not in COUNTS:
        raise ValueError(f"count {count!r}: expected one of {', '.join(COUNTS)}")
    start, end = _as_date(since, "since"), _as_date(until, "until")
    if start and end and end < start:
        raise ValueError(f"until {end} is before since {start}")
    chosen = select(store, dyad=dyad, directed=directed, country=country, actor=actor)

    base, params = ["first_date IS NOT NULL"], []
    if asserted_only:
        base.append("asserted")
    if start:
        base.append("first_date >= ?")
        params.append(start)
    if end:
        base.append("first_date <= ?")
        params.append(end)
    if start is None or end is None:
        first, last = store.db.execute(
            f"SELECT min(first_date), max(first_date) FROM events WHERE {' AND '.join(base)}",
            params).fetchall()[0]
        if first is None:
            raise NoEventsError(f"{store.path}: no dated events to make a series from"
                               + (" in that period" if start or end else ""))
        start, end = start or first, end or last

    weight = "num_mentions" if count == "mentions" else "1"
    sql = (
        f"SELECT date_trunc('{freq}', first_date) AS period, "
        f"sum(CASE WHEN {chosen.where} AND quad_class = 1 THEN {weight} ELSE 0 END) AS q1, "
        f"sum(CASE WHEN {chosen.where} AND quad_class = 2 THEN {weight} ELSE 0 END) AS q2, "
        f"sum(CASE WHEN {chosen.where} AND quad_class = 3 THEN {weight} ELSE 0 END) AS q3, "
        f"sum(CASE WHEN {chosen.where} AND quad_class = 4 THEN {weight} ELSE 0 END) AS q4, "
        f"sum(CASE WHEN {chosen.where} THEN {weight} * goldstein ELSE 0 END) AS goldstein_sum, "
        f"sum({weight}) AS all_events "
        f"FROM events WHERE {' AND '.join(base)} GROUP BY period")
    # the selection's parameters appear once per CASE, before the base filter's
    rows = store.db.execute(sql, chosen.params * 5 + params).df()

    index = pd.date_range(period_start(start, freq), period_start(end, freq),
                          freq=FREQS[freq], name="period")
    frame = pd.DataFrame(0.0, index=index, columns=list(COLUMNS))
    if len(rows):
        rows["period"] = pd.to_datetime(rows["period"])
        rows = rows.set_index("period").astype(float)
        for column in ("q1", "q2", "q3", "q4", "goldstein_sum", "all_events"):
            frame.loc[rows.index, column] = rows[column].to_numpy()
    frame["total"] = frame[["q1", "q2", "q3", "q4"]].sum(axis=1)
    has = frame["total"] > 0
    frame["goldstein_mean"] = (frame["goldstein_sum"] / frame["total"]).where(has)
    frame["conflict_share"] = (frame["q4"] / frame["total"]).where(has)
    selected = int(frame["total"].sum())
    if normalise:
        denominator = frame["all_events"].where(frame["all_events"] > 0)
        for column in ("q1", "q2", "q3", "q4", "total", "goldstein_sum"):
            frame[column] = (frame[column] / denominator).fillna(0.0)
    frame = frame[list(COLUMNS)]
    frame.attrs.update({
        "label": chosen.label, "freq": freq, "count": count, "normalised": normalise,
        "unit": (f"share of all {count} coded in the period" if normalise else count),
        "asserted_only": asserted_only, "directed": directed,
        "dyad": dyad.upper() if dyad else None, "country": country, "actor": actor,
        "since": str(start), "until": str(end),
        "selected": selected,  # events (or mentions) counted, before normalising
    })
    return frame
