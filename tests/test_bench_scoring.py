"""The escalation benchmark's scoring (bench/escalation.py): the figures quoted for the
detector are only as good as the code that counts them.

Alerts here are plain stand-ins with a pair and a start date: what is tested is the
counting, not the detector (tests/test_monitor.py tests that on stored events).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "escalation.py"
spec = importlib.util.spec_from_file_location("escalation_bench", BENCH)
bench = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = bench  # dataclasses look their module up while it loads
spec.loader.exec_module(bench)


@dataclass
class Flag:
    """What the scoring reads of an alert."""

    dyad: str
    start: dt.date


def pair(kind: str, planted: list[int], a=("Chile", "CHL"), b=("Norway", "NOR")):
    return bench.Dyad(a, b, kind, {"calm": 1.0}, planted=planted,
                      strength=[0.5] * len(planted))


def on(day: int) -> dt.date:
    return bench.START + dt.timedelta(days=day)


@pytest.mark.parametrize(("k", "mean"), [(0, 2.0), (1, 0.5), (3, 1.1), (9, 0.6), (40, 3.0)])
def test_poisson_tail_matches_the_sum_of_the_probabilities(k, mean):
    expected = 1.0 - sum(math.exp(-mean) * mean ** i / math.factorial(i) for i in range(k))
    if expected > 1e-12:  # where 1 - sum still has digits to compare
        assert bench.poisson_tail(k, mean) == pytest.approx(expected, rel=1e-6)
    else:  # tiny tails are summed upwards, so they stay positive and below the first term
        first = math.exp(-mean) * mean ** k / math.factorial(k)
        assert first <= bench.poisson_tail(k, mean) <= 2 * first
    assert bench.poisson_tail(2, 0.0) == 0.0


def test_alerts_in_the_window_detect_and_the_rest_are_false():
    escalating = pair("escalating", [100, 300])
    calm = pair("calm", [], ("Peru", "PER"), ("Ghana", "GHA"))
    alerts = [
        Flag(escalating.code, on(98)),   # 2 days early: counts, but not strictly
        Flag(escalating.code, on(308)),  # 8 days late: misplaced, and 300 is missed
        Flag(calm.code, on(50)),         # any alert on a calm pair is false
        Flag("ARG-BRA", on(10)),         # so is one on a pair the corpus never made
    ]
    days = 400
    result = bench.score([escalating, calm], alerts, days, {})
    first, second = result.outcomes
    assert (first.delay, first.strict) == (-2, False)
    assert (second.delay, second.strict) == (None, False)
    assert (result.quiet_alarms, result.misplaced) == (2, 1)
    summary = bench.summary([result])
    assert summary["planted"] == 2 and summary["detected_within_7_days"] == 1
    assert summary["false_alarms"] == 3
    assert summary["dyad_years"] == pytest.approx(2 * days / 365.25, abs=0.01)


def test_a_first_week_like_the_calm_days_is_not_detectable():
    days = 200
    conflict = np.zeros(days)
    conflict[::10] = 1.0  # a conflict event every tenth day when calm
    loud, quiet = 60, 140
    conflict[loud:loud + 7] = 2.0  # 14 events in the first week: far above 0.7
    conflict[quiet:quiet + 7] = [1, 0, 0, 0, 0, 0, 0]  # one event: what calm days give
    seen, expected, p_value = bench.first_week(conflict, loud, [loud, quiet])
    assert seen == 14 and expected == pytest.approx(0.7) and p_value < 1e-9
    escalating = pair("escalating", [loud, quiet])
    result = bench.score([escalating], [Flag(escalating.code, on(loud + 1))], days,
                         {escalating.code: conflict})
    assert [o.detectable for o in result.outcomes] == [True, False]
    summary = bench.summary([result])
    assert (summary["detectable"], summary["detected_of_detectable"]) == (1, 1)
