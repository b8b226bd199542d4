"""Writing events: JSON Lines (the default), TSV, or a readable rich table."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from rich.console import Console
from rich.table import Table

from flashpoint.model import Event

FORMATS = ("jsonl", "table", "tsv")

TSV_COLUMNS = ("doc_id", "sentence_index", "date", "source_code", "source_text", "event_code",
               "event_name", "target_code", "target_text", "modality", "attributed_to",
               "quad_class", "goldstein", "plover_type", "plover_mode", "trigger", "sentence")


def _tsv_cell(value: object) -> str:
    if value is None:
        return ""
    return str(value).replace("\t", " ").replace("\n", " ")


def tsv_row(event: Event) -> list[str]:
    target = event.target
    values = (
        event.doc_id, event.sentence_index, event.date.isoformat() if event.date else None,
        event.source.code, event.source.text, event.event_code, event.event_name,
        target.code if target else None, target.text if target else None, event.modality,
        event.attributed_to.code if event.attributed_to else None, event.quad_class,
        event.goldstein, event.plover_type, event.plover_mode, event.trigger.text,
        event.sentence,
    )
    return [_tsv_cell(v) for v in values]


class EventWriter:
    """Streams events to `stream` in one of FORMATS; the table is printed at the end."""

    def __init__(self, stream: TextIO, fmt: str = "jsonl") -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
        self.stream = stream
        self.fmt = fmt
        self._rows: list[Event] = []
        if fmt == "tsv":
            stream.write("\t".join(TSV_COLUMNS) + "\n")

    def write(self, events: Iterable[Event]) -> None:
        for event in events:
            if self.fmt == "jsonl":
                self.stream.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
            elif self.fmt == "tsv":
                self.stream.write("\t".join(tsv_row(event)) + "\n")
            else:
                self._rows.append(event)

    def close(self) -> None:
        if self.fmt == "table":
            console = Console(file=self.stream, width=max(120, Console().width))
            console.print(event_table(self._rows))
        self.stream.flush()


def event_table(events: list[Event]) -> Table:
    table = Table(title=f"{len(events)} events", show_lines=False, expand=False)
    for name in ("sent", "source", "event", "target", "modality", "trigger"):
        table.add_column(name, overflow="fold")
    for e in events:
        target = f"{e.target.code}\n[dim]{e.target.text}[/dim]" if e.target else "-"
        table.add_row(
            str(e.sentence_index),
            f"{e.source.code}\n[dim]{e.source.text}[/dim]",
            f"{e.event_code} {e.event_name}",
            target,
            e.modality + (f"\n[dim]per {e.attributed_to.code}[/dim]" if e.attributed_to else ""),
            e.trigger.text,
        )
    return table
