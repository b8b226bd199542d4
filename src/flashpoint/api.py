"""What users import: the same calls the CLI makes.

>>> import flashpoint
>>> events = flashpoint.code_text("Iran accused the United States of sabotage.")
>>> [(e.source.code, e.event_code, e.target.code) for e in events]
[('IRN', '112', 'USA')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from flashpoint.ingest import stable_id
from flashpoint.model import Document, Event
from flashpoint.pipeline import Coder, CoderConfig, Stats, chunks, run


@lru_cache(maxsize=4)
def get_coder(model: str | None = None, actors: tuple[str, ...] = ()) -> Coder:
    """A coder kept for the life of the process (loading the model takes a second)."""
    return Coder(CoderConfig(model, actors))


def code_text(
    text: str,
    date: dt.date | str | None = None,
    *,
    doc_id: str | None = None,
    model: str | None = None,
    actors: Iterable[str] = (),
) -> list[Event]:
    """Code one article's text into events.

    `date` (a date or an ISO string) selects the right leaders and office-holders from
    the dated dictionaries ("the Trump Administration" is USAGOV in 2019).
    """
    if isinstance(date, str):
        date = dt.date.fromisoformat(date[:10])
    document = Document(id=doc_id or stable_id(text), text=text, date=date)
    return get_coder(model, tuple(str(a) for a in actors)).code_batch([document])[0][0]


def code_documents(
    documents: Iterable[Document],
    *,
    workers: int = 1,
    model: str | None = None,
    actors: Iterable[str] = (),
    stats: Stats | None = None,
) -> Iterator[tuple[Document, list[Event]]]:
    """Code many documents (in worker processes when `workers` > 1), in input order."""
    yield from run(documents, workers=workers, stats=stats,
                   config=CoderConfig(model, tuple(str(a) for a in actors)))


class Dataset:
    """An event dataset on disk (DuckDB), as `flashpoint.open(path)` returns it."""

    def __init__(self, path: str = "flashpoint.duckdb", read_only: bool = True) -> None:
        from flashpoint.store import Store

        self.store = Store(path, read_only=read_only)

    def events(self, *, arrow: bool = False, **filters: object):
        """Grouped events as a pandas DataFrame (or an Arrow table with `arrow=True`).

        Filters: dyad="USA-IRN", actor="IRN", since="2019-01-01", until=..., root=19,
        min_sources=2, limit=100.
        """
        from flashpoint.store import events_query

        relation = events_query(self.store, **filters)  # type: ignore[arg-type]
        return relation.to_arrow_table() if arrow else relation.df()

    def series(self, **selection: object):
        """A dyad's (or country's, or actor's) counts per period as a pandas DataFrame:
        ``data.series(dyad="USA-IRN", freq="week")``; see `flashpoint.monitor.series`."""
        from flashpoint.monitor import series

        return series(self.store, **selection)  # type: ignore[arg-type]

    def watch(self, **options: object):
        """Escalation alerts, most severe first: ``data.watch(since="2019-05-01")``; see
        `flashpoint.monitor.watch`."""
        from flashpoint.monitor import watch

        return watch(self.store, **options)  # type: ignore[arg-type]

    def counts(self) -> dict[str, int]:
        return self.store.counts()

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Dataset:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open(path: str = "flashpoint.duckdb") -> Dataset:  # noqa: A001 - mirrors sqlite_utils
    """Open a dataset for reading: ``flashpoint.open("news.duckdb").events(dyad="USA-IRN")``."""
    return Dataset(path)


def ingest(
    documents: Iterable[Document],
    db: str = "flashpoint.duckdb",
    *,
    workers: int = 1,
    model: str | None = None,
    actors: Iterable[str] = (),
    batch_size: int = 64,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Code documents and store them: documents, mentions, grouped events.

    Documents already in the database are skipped before coding (re-ingesting adds
    nothing). Each batch of `batch_size` documents is stored in one transaction.
    """
    from flashpoint.store import Store

    totals = {"documents": 0, "duplicates": 0, "mentions": 0, "skipped": 0}
    with Store(db) as store:
        def fresh() -> Iterator[Document]:
            # one lookup per chunk of articles, not per article
            for chunk in chunks(documents, batch_size):
                stored = store.known(d.id for d in chunk)
                totals["skipped"] += sum(d.id in stored for d in chunk)
                yield from (d for d in chunk if d.id not in stored)

        batch: list[tuple[Document, list[Event]]] = []
        for item in code_documents(fresh(), workers=workers, model=model, actors=actors):
            batch.append(item)
            if len(batch) >= batch_size:
                _store_batch(store, batch, totals, progress)
        _store_batch(store, batch, totals, progress)
    return totals


def _store_batch(store, batch: list, totals: dict[str, int],
                 progress: Callable[[int], None] | None) -> None:
    if not batch:
        return
    from flashpoint.tone import document_tone

    counts = store.add(batch, {d.id: document_tone(d.text) for d, _ in batch})
    for key, value in counts.items():
        totals[key] += value
    if progress is not None:
        progress(len(batch))
    batch.clear()
