"""Escalation monitoring: dyad series, an escalation index, change points and alerts.

>>> from flashpoint.store import Store
>>> from flashpoint.monitor import series, escalation_index, watch
>>> with Store("news.duckdb", read_only=True) as store:          # doctest: +SKIP
...     frame = series(store, dyad="USA-IRN", freq="week")
...     index = escalation_index(frame)
...     alerts = watch(store, since="2019-05-01")
"""

from flashpoint.monitor.alerts import (
    Alert,
    ChangePoint,
    Evidence,
    active_dyads,
    detect,
    watch,
)
from flashpoint.monitor.index import escalation_index
from flashpoint.monitor.series import MonitorError, NoEventsError, series

__all__ = ["Alert", "ChangePoint", "Evidence", "MonitorError", "NoEventsError", "active_dyads",
           "detect", "escalation_index", "series", "watch"]
