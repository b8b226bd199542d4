"""The escalation index: one number from 0 to 100 per period of a dyad's series.

It blends two questions an analyst asks (docs/escalation.md has the reasons):

- how hostile is the relation now? (intensity: the share of conflict among the period's
  events and how negative their mean Goldstein score is), and
- is this unusual for this dyad? (change: a robust z-score of the period's hostility
  against the dyad's own trailing baseline, squashed by a logistic curve).

Chronic conflict alone therefore cannot pin a dyad at 100, and a jump in a calm dyad
shows even when the absolute numbers are small.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

#: trailing baseline (periods) when none is given: four weeks, twelve weeks, six months
BASELINES = {"day": 28, "week": 12, "month": 6}
INTENSITY_WEIGHT = 0.4
CHANGE_WEIGHT = 0.6
#: z-score at which the change component is half way (a 2-sigma excess)
Z_MIDPOINT = 2.0
#: verbal conflict (threats, protests, accusations) counts half as much as material
VERBAL_CONFLICT_WEIGHT = 0.5


def lookback(start: dt.date, freq: str, baseline: int | None = None) -> dt.date:
    """Where a series must begin for the index at `start` to have its full baseline
    behind it (months counted as 31 days, to be safe)."""
    days = {"day": 1, "week": 7, "month": 31}[freq]
    return start - dt.timedelta(days=days * (baseline or BASELINES[freq]))


NEEDED = ("q3", "q4", "total", "goldstein_sum", "all_events")


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns the index needs, with only the attrs it reads: pandas deep-copies a
    frame's attrs on every operation, which dominates when thousands of pairs are
    scanned."""
    missing = set(NEEDED) - set(frame.columns)
    if missing:
        raise ValueError(f"not a series frame: missing {', '.join(sorted(missing))}")
    work = pd.DataFrame(frame.loc[:, list(NEEDED)].to_numpy(dtype=float),
                        index=frame.index, columns=list(NEEDED))
    work.attrs = {"normalised": bool(frame.attrs.get("normalised"))}
    return work


def hostility(frame: pd.DataFrame) -> pd.Series:
    """Conflict weight per period: material conflict plus half the verbal conflict."""
    return frame["q4"] + VERBAL_CONFLICT_WEIGHT * frame["q3"]


def intensity(frame: pd.DataFrame) -> pd.Series:
    """0..1: how conflictual the period's events are, shrunk towards 0 by one neutral
    pseudo-event so that a lone event in a quiet period is weak evidence."""
    total = frame["total"]
    # ratios do not depend on normalisation; the pseudo-event does, so use the raw scale
    scale = frame["all_events"].where(frame["all_events"] > 0, 1.0) \
        if frame.attrs.get("normalised") else 1.0
    raw_total = total * scale
    share = hostility(frame) * scale / (raw_total + 1.0)
    negative = (-frame["goldstein_sum"] * scale / (10.0 * (raw_total + 1.0))).clip(0.0, 1.0)
    return (0.5 * share + 0.5 * negative).clip(0.0, 1.0).where(total > 0, 0.0)


def robust_z(values: pd.Series, baseline: int, unit: pd.Series | float = 1.0) -> pd.Series:
    """Each value against the median and MAD of the `baseline` periods before it.

    The scale never falls below the Poisson spread of the window's mean rate, taken as
    at least a quarter of an event per period: sqrt(unit * max(mean, unit / 4)), with
    `unit` what one event adds (1 for counts, 1/all_events for shares). So a dyad silent
    for weeks does not turn its first event into an infinite z-score (one event there
    scores 2, two score 4). Periods with too little history (fewer than
    max(3, baseline // 4), and at most `baseline`) get 0.
    """
    prior = values.shift(1)
    minimum = min(baseline, max(3, baseline // 4))
    rolling = prior.rolling(baseline, min_periods=minimum)
    median = rolling.median()
    mad = (prior - median).abs().rolling(baseline, min_periods=minimum).median()
    floor = np.sqrt(unit * np.maximum(rolling.mean(), unit / 4.0))
    scale = np.maximum(1.4826 * mad, floor)
    return ((values - median) / scale).fillna(0.0)


def _logistic(x: float | pd.Series) -> float | pd.Series:
    return 1.0 / (1.0 + np.exp(-x))


def change(frame: pd.DataFrame, baseline: int) -> pd.Series:
    """0..1: how far the period's hostility rises above the dyad's own recent normal."""
    unit: pd.Series | float = 1.0
    if frame.attrs.get("normalised"):
        typical = frame["all_events"].shift(1).rolling(baseline, min_periods=1).median()
        unit = 1.0 / typical.where(typical > 0, 1.0).fillna(1.0)
    z = robust_z(hostility(frame), baseline, unit)
    floor = _logistic(-Z_MIDPOINT)
    squashed = (_logistic(z - Z_MIDPOINT) - floor) / (1.0 - floor)
    return squashed.clip(0.0, 1.0)


def escalation_index(frame: pd.DataFrame, *, baseline: int | None = None) -> pd.Series:
    """0..100 per period: 40% conflict intensity, 60% rise against the trailing baseline.

    `frame` is a `series()` frame; `baseline` is the number of prior periods the dyad is
    compared with (default by frequency: 28 days, 12 weeks or 6 months).
    """
    if baseline is None:
        baseline = BASELINES.get(frame.attrs.get("freq", "week"), 12)
    if baseline < 2:
        raise ValueError(f"baseline {baseline}: needs at least 2 prior periods")
    work = plain(frame)
    value = 100.0 * (INTENSITY_WEIGHT * intensity(work)
                     + CHANGE_WEIGHT * change(work, baseline))
    index = value.clip(0.0, 100.0).rename("escalation_index")
    index.attrs.update(frame.attrs)
    index.attrs["baseline"] = baseline
    return index


def describe() -> str:
    """The formula in one line (for reports and --help)."""
    return (f"index = 100 * ({INTENSITY_WEIGHT} * intensity + {CHANGE_WEIGHT} * change); "
            f"change = logistic(z - {Z_MIDPOINT}) rescaled to 0..1, z = robust z-score of "
            f"q4 + {VERBAL_CONFLICT_WEIGHT} * q3 against the trailing baseline")


__all__ = ["escalation_index", "hostility", "intensity", "change", "robust_z", "describe",
           "plain"]
