"""The persistent event dataset (DuckDB): ingest, group, query, export."""

from flashpoint.store.database import DEFAULT_PATH, Store, StoreError, events_query

__all__ = ["DEFAULT_PATH", "Store", "StoreError", "events_query"]
