"""Grouping mentions into events: which reports are about the same happening.

A pure function of the set of mentions, so that the order in which articles arrive
never changes the events. Mentions are split by key (source country, target country,
CAMEO root) and taken in order of date, then id; each joins the earliest open group it is
compatible with, else starts one. Compatible means: dated no more than `window_days`
after the group's FIRST mention (so all reports of one event lie within the window of
each other and a story retold every day does not become one months-long event), the
same source and target role where both have one, and the same city where both name one.
Undated mentions are grouped only within their own article: without dates there is no
telling two reports apart.

Because a group never reaches more than `window_days` past its first date, the groups
that start on or after a day D are decided by the mentions from D on and the groups
still open at D (those that start within the window before it). The store relies on
this to regroup only the tail of a key when late articles arrive (see `affected_from`).

The core, `assign`, works on plain tuples sorted by the database, so that grouping
millions of mentions costs a few microseconds each.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any

Mention = Mapping[str, Any]
# key, day number (None if undated), doc_id, source role, target role, city
Row = tuple[str, int | None, str, str | None, str | None, str | None]


def group_key(m: Mention) -> tuple[str, str, str]:
    """Mentions of different keys never share an event."""
    return (m["source_country"] or m["source_code"], m["target_country"] or m["target_code"]
            or "", m["root_code"])


def key_text(m: Mention) -> str:
    """The group key as one string, as the store's SQL spells it (parts joined by the
    unit separator, chr(31))."""
    return "\x1f".join(group_key(m))


EPOCH = dt.date(1970, 1, 1)


def day_number(value: dt.date | None) -> int | None:
    """Days since 1970-01-01, as the store's SQL counts them (None for undated)."""
    return None if value is None else (value - EPOCH).days


def affected_from(day: int, window_days: int) -> int:
    """The first day whose groups can change when a mention dated `day` arrives or goes:
    groups that start before it are closed by then."""
    return day - window_days


def assign(rows: Iterable[Row], window_days: int = 1) -> list[int]:
    """The group of each row, as the position of the group's first row.

    `rows` must be sorted by key, then day (undated first), then mention id.
    """
    firsts: list[int] = []
    previous_key: str | None = None
    open_groups: deque[list[Any]] = deque()  # [first day, source role, target role, city, first]
    undated: dict[str, list[list[Any]]] = {}
    for position, (key, day, doc, source_role, target_role, city) in enumerate(rows):
        if key != previous_key:
            previous_key = key
            open_groups.clear()
            undated.clear()
        if day is None:
            candidates: Iterable[list[Any]] = undated.setdefault(doc, [])
        else:
            while open_groups and day - open_groups[0][0] > window_days:
                open_groups.popleft()  # groups are opened in date order: close the oldest
            candidates = open_groups
        for group in candidates:
            if ((source_role and group[1] and source_role != group[1])
                    or (target_role and group[2] and target_role != group[2])
                    or (city and group[3] and city != group[3])):
                continue
            group[1] = group[1] or source_role
            group[2] = group[2] or target_role
            group[3] = group[3] or city
            firsts.append(group[4])
            break
        else:
            fresh = [day, source_role, target_role, city, position]
            if day is None:
                undated[doc].append(fresh)
            else:
                open_groups.append(fresh)
            firsts.append(position)
    return firsts


def group(mentions: Iterable[Mention], window_days: int = 1) -> list[list[Mention]]:
    """The mentions, grouped into events (each group sorted by date, then id).

    The same rules as the store's grouping, on mention dictionaries: for tests and for
    callers without a database."""
    ordered = sorted(mentions, key=lambda m: (key_text(m),
                                              m["date"] is not None,
                                              m["date"] or dt.date.min, m["mention_id"]))
    rows = [(key_text(m), day_number(m["date"]), m["doc_id"], m["source_role"],
             m["target_role"],
             m["location_name"] if m.get("location_precision") == "city" else None)
            for m in ordered]
    groups: dict[int, list[Mention]] = {}
    for mention, first in zip(ordered, assign(rows, window_days), strict=True):
        groups.setdefault(first, []).append(mention)
    return list(groups.values())


def event_id(members: list[Mention]) -> str:
    """Stable id: from the group's first mention (the store computes the same in SQL)."""
    return hashlib.sha1(members[0]["mention_id"].encode()).hexdigest()[:16]
