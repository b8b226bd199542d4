"""Grouping mentions into events: which reports are about the same happening.

A pure function of the set of mentions, so that the order in which articles arrive
never changes the events: mentions are split by (source country, target country, CAMEO
root), sorted by date and id, and each joins the earliest open group that it is
compatible with (within `window_days` of the group's last mention, the same source and
target role where both have one, the same city where both name one), else starts one.
Undated mentions are grouped only within their own article: without dates there is no
telling two reports apart.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

Mention = Mapping[str, Any]


def group_key(m: Mention) -> tuple[str, str, str]:
    """Mentions of different keys never share an event."""
    return (m["source_country"] or m["source_code"], m["target_country"] or m["target_code"]
            or "", m["root_code"])


@dataclass
class _Group:
    last: dt.date | None
    source_role: str | None
    target_role: str | None
    city: str | None = None  # two different cities are two different happenings
    members: list[Mention] = field(default_factory=list)

    def accepts(self, m: Mention, window: int) -> bool:
        if (self.last is None) != (m["date"] is None):
            return False
        if self.last is None and m["doc_id"] != self.members[0]["doc_id"]:
            return False  # undated reports can only be matched within one article
        if self.last is not None and (m["date"] - self.last).days > window:
            return False
        for mine, theirs in ((self.source_role, m["source_role"]),
                             (self.target_role, m["target_role"])):
            if mine and theirs and mine != theirs:
                return False
        return self.city is None or m.get("location_precision") != "city" \
            or m["location_name"] == self.city

    def add(self, m: Mention) -> None:
        self.members.append(m)
        self.last = m["date"] if m["date"] is not None else self.last
        self.source_role = self.source_role or m["source_role"]
        self.target_role = self.target_role or m["target_role"]
        if m.get("location_precision") == "city":
            self.city = self.city or m["location_name"]


def group(mentions: Iterable[Mention], window_days: int = 1) -> list[list[Mention]]:
    """The mentions, grouped into events (each group sorted by date, then id)."""
    by_key: dict[tuple[str, str, str], list[Mention]] = defaultdict(list)
    for m in mentions:
        by_key[group_key(m)].append(m)
    groups: list[list[Mention]] = []
    for key in sorted(by_key):
        ordered = sorted(by_key[key], key=lambda m: (m["date"] or dt.date.min, m["mention_id"]))
        open_groups: list[_Group] = []
        for m in ordered:
            target = next((g for g in open_groups if g.accepts(m, window_days)), None)
            if target is None:
                target = _Group(None, None, None)
                target.last = m["date"]
                open_groups.append(target)
            target.add(m)
        groups.extend(g.members for g in open_groups)
    return groups


def event_id(members: list[Mention]) -> str:
    """Stable id: from the group's first mention."""
    return hashlib.sha1(members[0]["mention_id"].encode()).hexdigest()[:16]
