"""What users import: the same calls the CLI makes.

>>> import flashpoint
>>> events = flashpoint.code_text("Iran accused the United States of sabotage.")
>>> [(e.source.code, e.event_code, e.target.code) for e in events]
[('IRN', '112', 'USA')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from functools import lru_cache

from flashpoint.ingest import stable_id
from flashpoint.model import Document, Event
from flashpoint.pipeline import Coder, CoderConfig, Stats, run


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
