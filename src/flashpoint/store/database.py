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

from flashpoint.actors.dictionary import parse_dyad
from flashpoint.geo import Location, gazetteer
from flashpoint.model import Document, Event
from flashpoint.ontology import cameo_table
from flashpoint.store.dedup import THRESHOLD, bands, signature, similarity
from flashpoint.store.grouping import affected_from, assign, day_number, key_text
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
    "location_precision", "first_mention", "source_url", "group_key",
)
DOCUMENT_COLUMNS = ("doc_id", "title", "date", "url", "source", "origin", "n_chars", "tone",
                    "signature", "duplicate_of")


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
        self.single_fast_path = True  # events of one mention skip the aggregation
        self._cameo_registered = False  # the CAMEO relation, registered on first grouping
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
        self._prepare(read_only)

    def _prepare(self, read_only: bool) -> None:
        """Create the tables in a new file; refuse files that are not ours, or that an
        older Flashpoint wrote (their events lack columns this version needs)."""
        tables = {r[0] for r in self.db.execute(
            "SELECT table_name FROM information_schema.tables").fetchall()}
        if not tables and not read_only:
            self.db.execute(DDL)
            self.db.execute("INSERT INTO flashpoint_meta VALUES ('schema', ?)",
                            [str(SCHEMA_VERSION)])
            return
        if not {"flashpoint_meta", "documents", "mentions", "events"} <= tables:
            raise StoreError(f"{self.path}: a DuckDB file, but not a Flashpoint database")
        version = self.db.execute(
            "SELECT value FROM flashpoint_meta WHERE key = 'schema'").fetchall()
        if not version or version[0][0] != str(SCHEMA_VERSION):
            found = version[0][0] if version else "unknown"
            raise StoreError(f"{self.path}: written by another Flashpoint version (schema "
                             f"{found}, this one reads {SCHEMA_VERSION}); ingest the articles "
                             "again into a new file")

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
        """Store a batch of coded documents in one transaction; returns counts.

        Every write is a bulk statement over the whole batch: documents, their MinHash
        bands, mentions, and the regrouping of the events they touch."""
        tones = tones or {}
        counts = collections.Counter(documents=0, duplicates=0, mentions=0)
        self.db.execute("BEGIN TRANSACTION")
        try:
            stored = self.known(d.id for d, _ in coded)
            fresh: dict[str, tuple[Document, list[Event]]] = {}
            for document, events in coded:
                if document.id not in stored and document.id not in fresh:
                    fresh[document.id] = (document, events)
            counts["documents"] = len(fresh)
            outcome = self._store_documents([d for d, _ in fresh.values()], tones)
            # every document that became a copy of another in this batch: on arrival, or
            # when a copy with a smaller id arrived (so totals add up to the stored count)
            counts["duplicates"] = outcome.arrived_as_duplicates + len(outcome.remap)
            rows: list[dict[str, Any]] = []
            places = gazetteer()
            for doc_id, (document, events) in fresh.items():
                if doc_id in outcome.duplicate_of or not events:
                    continue
                article_place = places.locate(document.text)
                for event in events:
                    location = places.locate(event.sentence) or article_place
                    rows.append(mention_row(event, tones.get(doc_id), location))
            rows = list({r["mention_id"]: r for r in rows}.values())
            removed = self._remove_mentions(outcome.demoted)
            if rows:
                self._insert("batch_mentions", rows, MENTION_COLUMNS, "mentions")
            counts["mentions"] = len(rows)
            self._regroup(self._changed_days(rows, removed), removed.event_ids,
                          _undated_docs(rows))
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
        with contextlib.suppress(duckdb.Error):  # the transaction may be aborted already
            self.db.execute("ROLLBACK")

    def _store_documents(self, documents: list[Document],
                         tones: dict[str, float]) -> _Outcome:
        """Insert the batch's documents and their MinHash bands in bulk, deciding which
        are repeats of a story. Of two copies the smaller id is kept, whatever the order
        they arrive in; a stored copy that loses is demoted (its mentions go)."""
        outcome = _Outcome()
        if not documents:
            return outcome
        signatures = {d.id: signature(d.text) for d in documents}
        hashes = {d.id: bands(signatures[d.id]) for d in documents}
        # the stored stories any of them may repeat, found with one join
        self._register("batch_bands", [{"band": b, "hash": h} for hs in hashes.values()
                                       for b, h in enumerate(hs)])
        self._register("batch_urls", [{"url": d.url} for d in documents if d.url]
                       or [{"url": None}])
        candidates = self.db.execute(
            "SELECT doc_id, signature, url FROM documents WHERE duplicate_of IS NULL AND "
            "(url IN (SELECT url FROM batch_urls) OR doc_id IN (SELECT b.doc_id FROM "
            "document_bands b JOIN batch_bands x ON b.band = x.band AND b.hash = x.hash))"
        ).fetchall()
        self.db.unregister("batch_bands")
        self.db.unregister("batch_urls")
        index = _StoryIndex()
        for doc_id, sig, url in candidates:
            index.add(doc_id, sig, url, bands(sig))
        stored = {doc_id for doc_id, _, _ in candidates}
        for document in documents:  # in batch order: each sees the copies before it
            sig = signatures[document.id]
            same = index.matches(sig, document.url, hashes[document.id])
            canonical = min([document.id, *same])
            if canonical != document.id:
                outcome.duplicate_of[document.id] = canonical
                outcome.arrived_as_duplicates += 1
                continue
            for loser in same:  # the new copy wins: the others become its duplicates
                index.remove(loser)
                outcome.remap[loser] = document.id
            index.add(document.id, sig, document.url, hashes[document.id])
        final = {old: outcome.resolve(old) for old in outcome.remap}
        outcome.demoted = [old for old in final if old in stored]
        for doc_id in list(outcome.duplicate_of):
            outcome.duplicate_of[doc_id] = outcome.resolve(doc_id)
        for loser in final:
            if loser not in stored:
                outcome.duplicate_of[loser] = final[loser]
        self._insert("batch_documents", [{
            "doc_id": d.id, "title": d.title, "date": d.date, "url": d.url, "source": d.source,
            "origin": d.origin, "n_chars": len(d.text), "tone": tones.get(d.id),
            "signature": signatures[d.id], "duplicate_of": outcome.duplicate_of.get(d.id),
        } for d in documents], DOCUMENT_COLUMNS, "documents",
            types={"signature": "UBIGINT[]", "date": "DATE"})
        self._insert("batch_document_bands", [
            {"band": b, "hash": h, "doc_id": doc_id} for doc_id, hs in hashes.items()
            for b, h in enumerate(hs)], ("band", "hash", "doc_id"), "document_bands")
        if final:
            remap = [{"old": old, "new": new} for old, new in sorted(final.items())]
            self._register("remap", remap)
            # stored documents that pointed at a demoted copy now point at the winner
            self.db.execute("UPDATE documents SET duplicate_of = r.new FROM remap r "
                            "WHERE documents.duplicate_of = r.old OR documents.doc_id = r.old")
            self.db.unregister("remap")
        return outcome

    def _remove_mentions(self, doc_ids: list[str]) -> _Removed:
        """Delete the mentions of demoted documents; says which events and days they
        touched, so that those are regrouped."""
        removed = _Removed()
        if not doc_ids:
            return removed
        rows = self.db.execute(
            f"SELECT {_KEY_SQL} AS k, min(date_diff('day', {_EPOCH}, date)), "
            "list(DISTINCT event_id) FROM mentions WHERE doc_id IN (SELECT unnest(?)) "
            "GROUP BY k", [doc_ids]).fetchall()
        for key, day, event_ids in rows:
            removed.days[key] = day
            removed.event_ids.update(e for e in event_ids if e)
        self.db.execute("DELETE FROM mentions WHERE doc_id IN (SELECT unnest(?))", [doc_ids])
        return removed

    def _changed_days(self, rows: list[dict[str, Any]],
                      removed: _Removed) -> dict[str, int | None]:
        """The earliest changed day of every key (None: only undated mentions changed)."""
        changes: dict[str, int | None] = {}
        for key, day in [(key_text(r), day_number(r["date"])) for r in rows] + \
                list(removed.days.items()):
            if key not in changes:
                changes[key] = day
            elif day is not None:
                changes[key] = day if changes[key] is None else min(changes[key], day)
        return changes

    def _regroup(self, changes: dict[str, int | None], removed_events: set[str],
                 undated_docs: set[str]) -> None:
        """Regroup the tails of the changed keys: the events that start within the window
        before each key's earliest changed day, or later (earlier events are closed and
        cannot change), with the new mentions; and the undated events of articles that
        gained undated mentions (those are grouped within their article)."""
        if not changes and not removed_events:
            return
        if undated_docs:
            removed_events = removed_events | {r[0] for r in self.db.execute(
                "SELECT DISTINCT event_id FROM mentions WHERE date IS NULL AND event_id IS "
                "NOT NULL AND doc_id IN (SELECT unnest(?))", [sorted(undated_docs)]
            ).fetchall()}
        self._register("touched", [{"k": k, "d": d} for k, d in sorted(
            changes.items(), key=lambda kv: kv[0])] or [{"k": None, "d": None}],
            types={"d": "INTEGER"})
        self._register("removed_events", [{"e": e} for e in sorted(removed_events)]
                       or [{"e": None}])
        # every mention to regroup is undated or dated on or after `since`: with articles
        # stored roughly in date order, DuckDB's zone maps skip the older row groups
        days = [d for d in changes.values() if d is not None]
        since = f"{_EPOCH} + {affected_from(min(days), self.window_days)}" if days else None
        recent = f"(date IS NULL OR date >= {since})" if since else "date IS NULL"
        self.db.execute(
            "CREATE OR REPLACE TEMP TABLE rebuild AS SELECT e.event_id FROM events e "
            "JOIN touched t ON e.group_key = t.k WHERE t.d IS NOT NULL AND "
            f"e.first_date >= {since or 'NULL'} AND "
            f"date_diff('day', {_EPOCH}, e.first_date) >= t.d - {int(self.window_days)} "
            "UNION SELECT e FROM removed_events WHERE e IS NOT NULL")
        self.db.unregister("touched")
        self.db.unregister("removed_events")
        self.db.execute("DELETE FROM events WHERE event_id IN (SELECT event_id FROM rebuild)")
        self.db.execute(f"UPDATE mentions SET event_id = NULL WHERE {recent} AND "
                        "event_id IN (SELECT event_id FROM rebuild)")
        self.db.execute("DROP TABLE rebuild")
        self._group_where(f"{recent} AND event_id IS NULL")

    def regroup_all(self, bucket_size: int = 1_000_000) -> int:
        """Group every mention again (after bulk loading); returns the number of events.

        Works through the keys in buckets of about `bucket_size` mentions, one
        transaction each, so that memory stays bounded at any size; if it is interrupted,
        run it again (it starts over)."""
        total = self.counts()["mentions"]
        buckets = max(1, -(-total // bucket_size))
        self.db.execute("DELETE FROM events")
        for bucket in range(buckets):
            self.db.execute("BEGIN TRANSACTION")
            try:
                # all of a source country's mentions in one bucket: its events are then
                # written together, sorted by key, so that DuckDB's zone maps let a dyad
                # query skip most of the table
                where = f"hash(coalesce(source_country, source_code)) % {buckets} = {bucket}"
                self.db.execute(f"UPDATE mentions SET event_id = NULL WHERE {where}")
                self._group_where(f"event_id IS NULL AND {where}")
                self.db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
        return self.counts()["events"]

    def add_mentions(self, rows: list[dict[str, Any]], regroup: bool = False) -> None:
        """Load mention rows as they are (no coding): for benchmarks and imports.

        With `regroup`, the events they touch are regrouped at once, as `add` does (one
        transaction); without, call `regroup_all` after the last batch (faster in bulk)."""
        if not regroup:
            self._insert("loaded", rows, MENTION_COLUMNS, "mentions")
            return
        self.db.execute("BEGIN TRANSACTION")
        try:
            self._insert("loaded", rows, MENTION_COLUMNS, "mentions")
            self._regroup(self._changed_days(rows, _Removed()), set(), _undated_docs(rows))
            self.db.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _group_where(self, where: str) -> None:
        """Group the matching mentions (a closed set: whole keys, or tails of keys as
        `_regroup` picks them) and write their events.

        The database sorts them; `grouping.assign` walks them once in Python, reading
        plain columns in Arrow batches; the database then labels the mentions and
        aggregates the events in bulk."""
        import numpy as np
        import pyarrow as pa

        self.db.execute(
            f"CREATE OR REPLACE TEMP TABLE to_group AS SELECT row_number() OVER (ORDER BY "
            f"k, day NULLS FIRST, mention_id) - 1 AS rn, * FROM (SELECT * EXCLUDE (event_id), "
            f"{_KEY_SQL} AS k, date_diff('day', {_EPOCH}, date) AS day, "
            "CASE WHEN location_precision = 'city' THEN location_name END AS city "
            f"FROM mentions WHERE {where})")
        reader = self.db.sql("SELECT k, day, doc_id, source_role, target_role, city "
                             "FROM to_group ORDER BY rn").to_arrow_reader(100_000)

        def rows() -> Iterable[tuple]:
            for batch in reader:
                yield from zip(*(column.to_pylist() for column in batch.columns),
                               strict=True)

        firsts = np.asarray(assign(rows(), self.window_days), dtype=np.int64)
        if not len(firsts):
            self.db.execute("DROP TABLE to_group")
            return
        sizes = np.bincount(firsts, minlength=len(firsts))
        self.db.register("assignment", pa.table({
            "rn": np.arange(len(firsts)), "first_rn": firsts,
            "single": sizes[firsts] == 1 if self.single_fast_path
            else np.zeros(len(firsts), dtype=bool)}))
        self.db.execute(
            "CREATE OR REPLACE TEMP TABLE labelled AS SELECT t.*, a.single, "
            "left(sha1(f.mention_id), 16) AS event_id FROM assignment a "
            "JOIN to_group t ON t.rn = a.rn JOIN to_group f ON f.rn = a.first_rn")
        self.db.unregister("assignment")
        # (a filter on mentions here would make DuckDB drop its fast join plan)
        self.db.execute("UPDATE mentions SET event_id = l.eid FROM (SELECT mention_id AS mid, "
                        "event_id AS eid FROM labelled) l WHERE mentions.mention_id = l.mid")
        self._register_cameo()
        columns = ", ".join(EVENT_COLUMNS)
        self.db.execute(f"INSERT INTO events SELECT {columns} FROM (SELECT {columns} FROM "
                        f"({_SINGLE_SQL}) UNION ALL SELECT {columns} FROM ({_AGGREGATE_SQL})) "
                        "ORDER BY group_key, first_date, event_id")
        self.db.execute("DROP TABLE labelled")
        self.db.execute("DROP TABLE to_group")

    def _register_cameo(self) -> None:
        """The CAMEO table as a relation, so events take their names and scores in SQL."""
        if self._cameo_registered:
            return
        table = cameo_table()
        self._register("cameo", [{
            "code": code, "root": e.root, "quad_class": e.quad_class, "goldstein": e.goldstein,
            "plover_type": e.plover_type, "plover_mode": e.plover_mode,
        } for code, e in table.items()], types={"goldstein": "DOUBLE"})
        self._cameo_registered = True

    def _insert(self, name: str, rows: list[dict[str, Any]], columns: Sequence[str],
                table: str, types: dict[str, str] | None = None) -> None:
        """One bulk INSERT of Python rows, through Arrow."""
        if not rows:
            return
        self._register(name, rows, columns)
        select = ", ".join(f"{c}::{types[c]}" if types and c in types else c for c in columns)
        self.db.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} "
                        f"FROM {name}")
        self.db.unregister(name)

    def _register(self, name: str, rows: list[dict[str, Any]],
                  columns: Sequence[str] | None = None,
                  types: dict[str, str] | None = None) -> None:
        """Expose Python rows to SQL as an Arrow table (fast bulk inserts and joins)."""
        import pyarrow as pa

        if columns is None:
            columns = list(rows[0]) if rows else []
        arrow_types = {"INTEGER": pa.int64(), "DOUBLE": pa.float64()}
        table = pa.table({c: pa.array([r[c] for r in rows],
                                      type=arrow_types.get((types or {}).get(c, "")))
                          for c in columns})
        self.db.register(name, table)

    # ---------------------------------------------------------------- reading

    def counts(self) -> dict[str, int]:
        return {table: self.db.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
                for table in ("documents", "mentions", "events")}


class _Outcome:
    """What storing a batch's documents decided."""

    def __init__(self) -> None:
        self.duplicate_of: dict[str, str] = {}  # batch documents stored as duplicates
        self.remap: dict[str, str] = {}          # copies that lost to a newer, smaller id
        self.demoted: list[str] = []            # ... of them, those stored before the batch
        self.arrived_as_duplicates = 0

    def resolve(self, doc_id: str) -> str:
        target = self.duplicate_of.get(doc_id, self.remap.get(doc_id, doc_id))
        while target in self.remap:
            target = self.remap[target]
        return target


class _Removed:
    """Mentions deleted because their document turned out to repeat a story."""

    def __init__(self) -> None:
        self.days: dict[str, int | None] = {}
        self.event_ids: set[str] = set()


class _StoryIndex:
    """The canonical copies of stories a batch may repeat: by LSH band and by URL."""

    def __init__(self) -> None:
        self.docs: dict[str, tuple[list[int], str | None, list[int]]] = {}
        self.by_band: dict[tuple[int, int], set[str]] = collections.defaultdict(set)
        self.by_url: dict[str, set[str]] = collections.defaultdict(set)

    def add(self, doc_id: str, sig: list[int], url: str | None, hashes: list[int]) -> None:
        self.docs[doc_id] = (sig, url, hashes)
        for band in enumerate(hashes):
            self.by_band[band].add(doc_id)
        if url:
            self.by_url[url].add(doc_id)

    def remove(self, doc_id: str) -> None:
        _, url, hashes = self.docs.pop(doc_id)
        for band in enumerate(hashes):
            self.by_band[band].discard(doc_id)
        if url:
            self.by_url[url].discard(doc_id)

    def matches(self, sig: list[int], url: str | None, hashes: list[int]) -> list[str]:
        """Stored stories this text repeats: the same URL, or MinHash similarity ≥ 0.9."""
        candidates = set(self.by_url.get(url, ())) if url else set()
        for band in enumerate(hashes):
            candidates |= self.by_band.get(band, set())
        return sorted(c for c in candidates
                      if (url and self.docs[c][1] == url)
                      or similarity(sig, self.docs[c][0]) >= THRESHOLD)


def _undated_docs(rows: list[dict[str, Any]]) -> set[str]:
    return {r["doc_id"] for r in rows if r["date"] is None}


_EPOCH = "DATE '1970-01-01'"
_KEY_SQL = ("concat_ws(chr(31), coalesce(source_country, source_code), "
            "coalesce(target_country, target_code, ''), root_code)")
# the host of a URL, as urllib's netloc (outlet() says who published a report)
_HOST_SQL = "nullif(regexp_extract(d.url, '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)', 1), '')"
# One event row per labelled group. Ties are broken by value so that the result does not
# depend on the order rows are read in: the most specific code (then the most reported),
# the most reported actor code, role and text, and the most reported city (else country).
# Most events have one mention: their rows are that mention's fields (what the
# aggregation below would give, without its cost; tests check the two agree).
_SINGLE_SQL = """
SELECT m.event_id, ('0x' || left(m.event_id, 15))::BIGINT AS global_id,
       m.date AS first_date, m.date AS last_date, m.source_code, m.source_country,
       m.source_role, m.source_text, m.target_code, m.target_country, m.target_role,
       m.target_text, m.event_code, cameo.root AS root_code, cameo.quad_class,
       cameo.goldstein, cameo.plover_type, cameo.plover_mode,
       1 AS num_mentions, 1 AS num_sources, 1 AS num_articles, m.doc_tone AS avg_tone,
       m.modality = 'asserted' AS asserted, m.modality AS modalities,
       CASE WHEN placed THEN m.location_name END AS location_name,
       CASE WHEN placed THEN m.location_country END AS location_country,
       CASE WHEN placed THEN m.latitude END AS latitude,
       CASE WHEN placed THEN m.longitude END AS longitude,
       CASE WHEN placed THEN m.location_precision END AS location_precision,
       m.mention_id AS first_mention, d.url AS source_url, m.k AS group_key
FROM (SELECT *, coalesce(location_precision IN ('city', 'country'), false) AS placed
      FROM labelled WHERE single) m
LEFT JOIN documents d USING (doc_id) LEFT JOIN cameo ON cameo.code = m.event_code
"""
_AGGREGATE_SQL = f"""
WITH m AS (
    SELECT m.*, m.k AS group_key, d.url,
           coalesce(d.source, {_HOST_SQL}, d.url, m.doc_id) AS outlet,
           coalesce(m.date, DATE '0001-01-01') AS sort_date
    FROM labelled m LEFT JOIN documents d USING (doc_id) WHERE NOT m.single
), main AS (
    SELECT event_id, any_value(group_key) AS group_key, min(date) AS first_date,
           max(date) AS last_date, count(*) AS num_mentions,
           count(DISTINCT outlet) AS num_sources, count(DISTINCT doc_id) AS num_articles,
           avg(doc_tone) AS avg_tone, bool_or(modality = 'asserted') AS asserted,
           string_agg(DISTINCT modality, ',' ORDER BY modality) AS modalities,
           arg_min(struct_pack(mention_id, url, source_country, target_country),
                   (sort_date, mention_id)) AS head
    FROM m GROUP BY event_id
), codes AS (
    SELECT event_id, arg_max(event_code, (length(event_code), n, event_code)) AS event_code
    FROM (SELECT event_id, event_code, count(*) AS n FROM m GROUP BY ALL) GROUP BY event_id
), votes AS (
    SELECT event_id, field, arg_max(value, (n, value)) AS value FROM (
        SELECT event_id, field, value, count(*) AS n FROM (
            UNPIVOT (SELECT event_id, source_code, source_role, source_text, target_code,
                            target_role, target_text FROM m)
            ON source_code, source_role, source_text, target_code, target_role, target_text
            INTO NAME field VALUE value)
        GROUP BY ALL)
    GROUP BY ALL
), actors AS (
    SELECT event_id,
        max(value) FILTER (WHERE field = 'source_code') AS source_code,
        max(value) FILTER (WHERE field = 'source_role') AS source_role,
        max(value) FILTER (WHERE field = 'source_text') AS source_text,
        max(value) FILTER (WHERE field = 'target_code') AS target_code,
        max(value) FILTER (WHERE field = 'target_role') AS target_role,
        max(value) FILTER (WHERE field = 'target_text') AS target_text
    FROM votes GROUP BY event_id
), places AS (
    SELECT event_id, arg_max(struct_pack(location_name, location_country, latitude,
                                         longitude, location_precision),
                             (location_precision = 'city', n, location_name,
                              location_country)) AS place
    FROM (SELECT event_id, location_name, location_country, latitude, longitude,
                 location_precision, count(*) AS n FROM m
          WHERE location_precision IN ('city', 'country') GROUP BY ALL)
    GROUP BY event_id
)
SELECT main.event_id, ('0x' || left(main.event_id, 15))::BIGINT AS global_id,
       first_date, last_date,
       a.source_code, main.head.source_country AS source_country, a.source_role,
       a.source_text, a.target_code, main.head.target_country AS target_country,
       a.target_role, a.target_text, codes.event_code, cameo.root AS root_code,
       cameo.quad_class, cameo.goldstein, cameo.plover_type, cameo.plover_mode,
       num_mentions, num_sources, num_articles, avg_tone, asserted, modalities,
       p.place.location_name AS location_name, p.place.location_country AS location_country,
       p.place.latitude AS latitude, p.place.longitude AS longitude,
       p.place.location_precision AS location_precision,
       main.head.mention_id AS first_mention, main.head.url AS source_url, group_key
FROM main JOIN codes USING (event_id) LEFT JOIN actors a USING (event_id)
LEFT JOIN places p USING (event_id) LEFT JOIN cameo ON cameo.code = codes.event_code
"""


def events_query(store: Store, *, dyad: str | None = None, actor: str | None = None,
                 since: str | None = None, until: str | None = None,
                 root: str | None = None, min_sources: int | None = None,
                 limit: int | None = None) -> duckdb.DuckDBPyRelation:
    """Grouped events matching the filters, newest first.

    `dyad` is "USA-IRN" (either direction); `actor` a code prefix ("IRN", "IRQGOV").
    """
    where, params = [], []
    if dyad:
        a, b = parse_dyad(dyad)
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
