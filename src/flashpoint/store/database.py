"""The event dataset on disk: one DuckDB file with documents, mentions and events.

`Store.add` takes a batch of coded documents and, in ONE transaction, stores the new
documents, marks repeated stories as duplicates, stores the mentions of the others and
regroups the events those mentions can touch. A batch either lands whole or not at all,
so a run killed at any point and started again ends with the database an uninterrupted
run gives; documents already stored are skipped, so ingesting twice adds nothing.
"""

from __future__ import annotations

import collections
import contextlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import duckdb

from flashpoint.geo import Location, gazetteer
from flashpoint.model import Document, Event
from flashpoint.ontology import lookup
from flashpoint.store.dedup import THRESHOLD, bands, signature, similarity
from flashpoint.store.grouping import event_id, group, group_key
from flashpoint.store.schema import DDL, SCHEMA_VERSION

DEFAULT_PATH = "flashpoint.duckdb"

MENTION_COLUMNS = (
    "mention_id", "doc_id", "sentence_index", "sentence", "date", "event_code", "root_code",
    "quad_class", "goldstein", "source_code", "source_country", "source_role", "source_text",
    "source_start", "target_code", "target_country", "target_role", "target_text",
    "target_start", "modality", "attributed_to", "trigger_text", "trigger_start",
    "plover_type", "plover_mode", "doc_tone", "location_name", "location_country",
    "latitude", "longitude", "location_precision", "event_id",
)
EVENT_COLUMNS = (
    "event_id", "global_id", "first_date", "last_date", "source_code", "source_country",
    "source_role", "source_text", "target_code", "target_country", "target_role",
    "target_text", "event_code", "root_code", "quad_class", "goldstein", "plover_type",
    "plover_mode", "num_mentions", "num_sources", "num_articles", "avg_tone", "asserted",
    "modalities", "location_name", "location_country", "latitude", "longitude",
    "location_precision", "first_mention", "source_url",
)


class StoreError(RuntimeError):
    """A database that cannot be used; the message says which file and why."""


def mention_row(event: Event, tone: float | None,
                location: Location | None = None) -> dict[str, Any]:
    """One mention row from a coded event, with the place it happened if known."""
    target = event.target
    mention_id = ":".join(str(p) for p in (
        event.doc_id, event.sentence_index, event.trigger.start, event.source.code,
        target.code if target else "", event.event_code))
    return {
        "mention_id": mention_id, "doc_id": event.doc_id,
        "sentence_index": event.sentence_index, "sentence": event.sentence,
        "date": event.date, "event_code": event.event_code, "root_code": event.root_code,
        "quad_class": event.quad_class, "goldstein": event.goldstein,
        "source_code": event.source.code, "source_country": event.source.country,
        "source_role": event.source.role, "source_text": event.source.text,
        "source_start": event.source.start,
        "target_code": target.code if target else None,
        "target_country": target.country if target else None,
        "target_role": target.role if target else None,
        "target_text": target.text if target else None,
        "target_start": target.start if target else None,
        "modality": event.modality,
        "attributed_to": event.attributed_to.code if event.attributed_to else None,
        "trigger_text": event.trigger.text, "trigger_start": event.trigger.start,
        "plover_type": event.plover_type, "plover_mode": event.plover_mode,
        "doc_tone": tone,
        "location_name": location.name if location else None,
        "location_country": location.country if location else None,
        "latitude": location.latitude if location else None,
        "longitude": location.longitude if location else None,
        "location_precision": location.precision if location else None,
        "event_id": None,
    }


def outlet(source: str | None, url: str | None, fallback: str) -> str:
    """Who published it: the source field, else the URL's host, else `fallback`."""
    if source:
        return source
    if url:
        return urlparse(url).netloc or url
    return fallback


class Store:
    """An open Flashpoint database."""

    def __init__(self, path: str | Path = DEFAULT_PATH, read_only: bool = False,
                 window_days: int = 1, memory_limit: str = "1GB") -> None:
        self.path = Path(path)
        self.window_days = window_days
        # keys whose mentions a winning copy of a story removed, regrouped with the batch
        self._pending_keys: set[tuple[str, str, str]] = set()
        if read_only and not self.path.exists():
            raise StoreError(f"{self.path}: no such database")
        try:
            self.db = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as exc:
            message = str(exc).splitlines()[0]
            if "lock" in message.lower():
                raise StoreError(f"{self.path}: in use by another process ({message})") from None
            raise StoreError(f"{self.path}: cannot open as a Flashpoint database "
                             f"({message})") from None
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: not a Flashpoint database "
                             f"({str(exc).splitlines()[0]})") from None
        # bounded memory whatever the database size (DuckDB spills to disk beyond it)
        self.db.execute(f"SET memory_limit = '{memory_limit}'")
        if not read_only:
            self.db.execute(DDL)
            self.db.execute("INSERT OR IGNORE INTO flashpoint_meta VALUES ('schema', ?)",
                            [str(SCHEMA_VERSION)])
        self._check()

    def _check(self) -> None:
        tables = {r[0] for r in self.db.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
        if not {"flashpoint_meta", "documents", "mentions", "events"} <= tables:
            raise StoreError(f"{self.path}: a DuckDB file, but not a Flashpoint database")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- writing

    def known(self, doc_ids: Iterable[str]) -> set[str]:
        """Which of these documents are already stored (coded or as duplicates)."""
        ids = list(doc_ids)
        if not ids:
            return set()
        rows = self.db.execute("SELECT doc_id FROM documents WHERE doc_id IN (SELECT unnest(?))",
                               [ids]).fetchall()
        return {r[0] for r in rows}

    def add(self, coded: Sequence[tuple[Document, list[Event]]],
            tones: dict[str, float] | None = None) -> dict[str, int]:
        """Store a batch of coded documents in one transaction; returns counts."""
        tones = tones or {}
        counts = collections.Counter(documents=0, duplicates=0, mentions=0)
        self.db.execute("BEGIN TRANSACTION")
        try:
            stored = self.known(d.id for d, _ in coded)
            rows: dict[str, dict[str, Any]] = {}  # the batch's mentions, written at once
            places = gazetteer()
            for document, events in coded:
                if document.id in stored:
                    continue
                stored.add(document.id)
                counts["documents"] += 1
                canonical, demoted = self._store_document(document, tones.get(document.id))
                if demoted:  # copies of this story earlier in the batch lose their mentions
                    rows = {k: r for k, r in rows.items() if r["doc_id"] not in demoted}
                if canonical != document.id:
                    counts["duplicates"] += 1
                    continue
                article_place = places.locate(document.text) if events else None
                for event in events:
                    location = places.locate(event.sentence) or article_place
                    row = mention_row(event, tones.get(document.id), location)
                    rows[row["mention_id"]] = row
            if rows:
                self._register("batch_mentions", list(rows.values()), MENTION_COLUMNS)
                self.db.execute(f"INSERT INTO mentions SELECT {', '.join(MENTION_COLUMNS)} "
                                "FROM batch_mentions")
                self.db.unregister("batch_mentions")
            counts["mentions"] = len(rows)
            touched = {group_key(r) for r in rows.values()} | self._pending_keys
            self._pending_keys = set()
            self._regroup(touched)
            self.db.execute("COMMIT")
        except duckdb.Error as exc:
            self._rollback()
            raise StoreError(f"{self.path}: could not store the batch "
                             f"({str(exc).splitlines()[0]}); batches already stored are "
                             "intact: free space and run again to continue") from None
        except BaseException:
            self._rollback()
            raise
        return dict(counts)

    def _rollback(self) -> None:
        self._pending_keys = set()
        with contextlib.suppress(duckdb.Error):  # the transaction may be aborted already
            self.db.execute("ROLLBACK")

    def _store_document(self, document: Document,
                        tone: float | None) -> tuple[str, list[str]]:
        """Insert the document; returns the id of the story it belongs to (itself, or
        the stored document it repeats) and the stored copies it replaces. Of two copies
        of a story the smaller id is kept, whatever the order they arrive in."""
        sig = signature(document.text)
        hashes = bands(sig)
        candidates = self.db.execute(
            "SELECT DISTINCT d.doc_id, d.signature, d.url FROM documents d "
            "LEFT JOIN document_bands b ON b.doc_id = d.doc_id "
            "WHERE d.duplicate_of IS NULL AND ((d.url IS NOT NULL AND d.url = ?) OR "
            "(b.band, b.hash) IN (SELECT (unnest(range(?)), unnest(?::UBIGINT[]))))",
            [document.url, len(hashes), hashes]).fetchall()
        same = [(doc_id,) for doc_id, other, url in candidates
                if (document.url and url == document.url) or similarity(sig, other) >= THRESHOLD]
        canonical = min([document.id] + [r[0] for r in same])
        self.db.execute(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [document.id, document.title, document.date, document.url, document.source,
             document.origin, len(document.text), tone, sig,
             None if canonical == document.id else canonical])
        self.db.executemany("INSERT INTO document_bands VALUES (?, ?, ?)",
                            [(band, h, document.id) for band, h in enumerate(hashes)])
        old: list[str] = []
        if canonical == document.id and same:
            # the new copy wins: the stored ones become its duplicates
            old = [r[0] for r in same]
            keys = self.db.execute(
                "SELECT DISTINCT coalesce(source_country, source_code), "
                "coalesce(target_country, target_code, ''), root_code FROM mentions "
                "WHERE doc_id IN (SELECT unnest(?))", [old]).fetchall()
            self._pending_keys = self._pending_keys | {tuple(k) for k in keys}
            self.db.execute("DELETE FROM mentions WHERE doc_id IN (SELECT unnest(?))", [old])
            self.db.execute("UPDATE documents SET duplicate_of = ? WHERE doc_id IN "
                            "(SELECT unnest(?)) OR duplicate_of IN (SELECT unnest(?))",
                            [document.id, old, old])
        return canonical, old

    _KEY_SQL = ("coalesce(m.source_country, m.source_code)",
                "coalesce(m.target_country, m.target_code, '')", "m.root_code")

    def _regroup(self, keys: set[tuple[str, str, str]]) -> None:
        """Recompute the events of every (source, target, root) key that changed."""
        if not keys:
            return
        self._register("touched", [{"s": k[0], "t": k[1], "r": k[2]} for k in sorted(keys)])
        where = f"({', '.join(self._KEY_SQL)}) IN (SELECT (s, t, r) FROM touched)"
        self.db.execute(f"DELETE FROM events WHERE event_id IN (SELECT m.event_id FROM "
                        f"mentions m WHERE {where})")
        self._group_where(where)

    def regroup_all(self) -> int:
        """Group every mention again (after bulk loading); returns the number of events.

        Runs in auto-commit mode, one commit per 50,000 events, so that memory stays
        bounded at any size; if it is interrupted, run it again (it starts over)."""
        self.db.execute("DELETE FROM events")
        self._group_where("true")
        return self.counts()["events"]

    def add_mentions(self, rows: list[dict[str, Any]]) -> None:
        """Bulk-load mention rows as they are (no coding, no grouping): for benchmarks
        and imports. Call `regroup_all` afterwards."""
        self._register("loaded", rows, MENTION_COLUMNS)
        self.db.execute(f"INSERT INTO mentions SELECT {', '.join(MENTION_COLUMNS)} FROM loaded")
        self.db.unregister("loaded")

    def _group_where(self, where: str) -> None:
        """Stream the matching mentions key by key (bounded memory), group them, and
        write events and assignments in bulk."""
        # materialise the ordered rows, then read them in slices on the same connection:
        # the transaction's own writes stay visible, and no result is left half-read
        self.db.execute(
            f"CREATE OR REPLACE TEMP TABLE to_group AS SELECT row_number() OVER (ORDER BY "
            f"{', '.join(self._KEY_SQL)}, m.date NULLS FIRST, m.mention_id) AS rn, m.*, "
            f"d.url, d.source AS outlet FROM mentions m LEFT JOIN documents d USING (doc_id) "
            f"WHERE {where}")
        total = self.db.execute("SELECT count(*) FROM to_group").fetchall()[0][0]
        events: list[dict[str, Any]] = []
        assignment: list[dict[str, str]] = []
        current: list[dict[str, Any]] = []
        key = None
        for start in range(0, total, 50_000):
            cursor = self.db.execute("SELECT * EXCLUDE (rn) FROM to_group WHERE rn > ? AND "
                                     "rn <= ? ORDER BY rn", [start, start + 50_000])
            names = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                mention = dict(zip(names, row, strict=True))
                mention_key = group_key(mention)
                if mention_key != key and current:
                    self._collect(current, events, assignment)
                    current = []
                key = mention_key
                current.append(mention)
            if len(events) >= 50_000:
                self._flush(events, assignment)
        if current:
            self._collect(current, events, assignment)
        self._flush(events, assignment)
        self.db.execute("DROP TABLE to_group")

    def _collect(self, mentions: list[dict[str, Any]], events: list[dict[str, Any]],
                 assignment: list[dict[str, str]]) -> None:
        for members in group(mentions, self.window_days):
            eid = event_id(members)
            events.append(_aggregate(eid, members))
            assignment.extend({"e": eid, "m": m["mention_id"]} for m in members)

    def _flush(self, events: list[dict[str, Any]], assignment: list[dict[str, str]]) -> None:
        if not events:
            return
        self._register("new_events", events, EVENT_COLUMNS)
        self.db.execute(f"INSERT INTO events SELECT {', '.join(EVENT_COLUMNS)} FROM new_events")
        self._register("assignment", assignment)
        self.db.execute("UPDATE mentions SET event_id = a.e FROM assignment a "
                        "WHERE mentions.mention_id = a.m")
        self.db.unregister("new_events")
        self.db.unregister("assignment")
        events.clear()
        assignment.clear()

    def _register(self, name: str, rows: list[dict[str, Any]],
                  columns: Sequence[str] | None = None) -> None:
        """Expose Python rows to SQL as an Arrow table (fast bulk inserts and joins)."""
        import pyarrow as pa

        if columns is None:
            columns = list(rows[0]) if rows else []
        table = pa.table({c: [r[c] for r in rows] for c in columns})
        self.db.register(name, table)

    # ---------------------------------------------------------------- reading

    def counts(self) -> dict[str, int]:
        return {table: self.db.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
                for table in ("documents", "mentions", "events")}


def _place(members: list[dict[str, Any]]) -> dict[str, Any]:
    """The event's place: the most reported city, else the most reported country."""
    fields = ("location_name", "location_country", "latitude", "longitude",
              "location_precision")
    for precision in ("city", "country"):
        places = collections.Counter(tuple(m[f] for f in fields) for m in members
                                     if m["location_precision"] == precision)
        if places:
            best = max(places, key=lambda p: (places[p], str(p)))
            return dict(zip(fields, best, strict=True))
    return dict.fromkeys(fields)


def _aggregate(eid: str, members: list[dict[str, Any]]) -> dict[str, Any]:
    """One event row from its mentions."""
    first = members[0]
    codes = collections.Counter(m["event_code"] for m in members)
    code = max(codes, key=lambda c: (len(c), codes[c], [-ord(ch) for ch in c]))
    entry = lookup(code)
    tones = [m["doc_tone"] for m in members if m["doc_tone"] is not None]
    dates = [m["date"] for m in members if m["date"] is not None]
    modalities = sorted({m["modality"] for m in members})

    def most(field: str) -> Any:
        values = collections.Counter(m[field] for m in members if m[field] is not None)
        return max(values, key=lambda v: (values[v], str(v))) if values else None

    return {
        "event_id": eid, "global_id": int(eid[:15], 16),
        "first_date": min(dates) if dates else None, "last_date": max(dates) if dates else None,
        "source_code": most("source_code"), "source_country": first["source_country"],
        "source_role": most("source_role"), "source_text": most("source_text"),
        "target_code": most("target_code"), "target_country": first["target_country"],
        "target_role": most("target_role"), "target_text": most("target_text"),
        "event_code": code, "root_code": entry.root, "quad_class": entry.quad_class,
        "goldstein": entry.goldstein, "plover_type": entry.plover_type,
        "plover_mode": entry.plover_mode,
        "num_mentions": len(members),
        "num_sources": len({outlet(m["outlet"], m["url"], m["doc_id"]) for m in members}),
        "num_articles": len({m["doc_id"] for m in members}),
        "avg_tone": sum(tones) / len(tones) if tones else None,
        "asserted": "asserted" in modalities,
        "modalities": ",".join(modalities),
        **_place(members),
        "first_mention": first["mention_id"], "source_url": first["url"],
    }


def events_query(store: Store, *, dyad: str | None = None, actor: str | None = None,
                 since: str | None = None, until: str | None = None,
                 root: str | None = None, min_sources: int | None = None,
                 limit: int | None = None) -> duckdb.DuckDBPyRelation:
    """Grouped events matching the filters, newest first.

    `dyad` is "USA-IRN" (either direction); `actor` a code prefix ("IRN", "IRQGOV").
    """
    where, params = [], []
    if dyad:
        parts = dyad.upper().split("-")
        if len(parts) != 2 or not all(parts):
            raise ValueError(f"--dyad {dyad!r}: expected two codes like USA-IRN")
        a, b = parts
        where.append("((starts_with(source_code, ?) AND starts_with(target_code, ?)) OR "
                     "(starts_with(source_code, ?) AND starts_with(target_code, ?)))")
        params += [a, b, b, a]
    if actor:
        where.append("(starts_with(source_code, ?) OR starts_with(target_code, ?))")
        params += [actor.upper(), actor.upper()]
    for value, clause in ((since, "last_date >= ?::DATE"), (until, "first_date <= ?::DATE")):
        if value:
            where.append(clause)
            params.append(value)
    if root:
        where.append("root_code = ?")
        params.append(f"{int(root):02d}")
    if min_sources:
        where.append("num_sources >= ?")
        params.append(min_sources)
    sql = "SELECT * FROM events"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY first_date DESC NULLS LAST, num_mentions DESC, event_id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return store.db.sql(sql, params=params)
