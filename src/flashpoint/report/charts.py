"""The report's charts, drawn with matplotlib into SVG (for the page) and PNG (files).

Figures are built with `matplotlib.figure.Figure` directly, never through pyplot, so no
GUI backend is chosen and no global figure state is left behind in a long-lived process
(a notebook, a server). Output is deterministic: fixed SVG ids, no dates in metadata, so
the same data gives byte-identical charts and reports can be compared with `diff`.

Every chart function takes plain data and returns a `Chart`; when there is nothing to
draw it returns a Chart with `empty` set to a sentence the page shows instead of an empty
frame, because a blank axis reads as "no escalation" when it means "no data".
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis
    from matplotlib.figure import Figure

#: QuadClass colours: blues for cooperation, orange and red for conflict.
QUAD_COLOURS = {1: "#9ecae1", 2: "#3182bd", 3: "#f5a142", 4: "#c9302c"}
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
              4: "material conflict"}
ALERT_COLOUR = "#f2c0c0"
INDEX_COLOUR = "#7a1f5c"
TEXT_COLOUR = "#222222"
GRID_COLOUR = "#e4e4e4"

_STYLE = {
    "svg.fonttype": "path",        # glyphs as paths: no font needed where the page is read
    "svg.hashsalt": "flashpoint",  # stable ids, so the same data gives the same file
    "text.parse_math": False,      # a '$' in a label is a dollar, not mathtext
    "font.size": 10,
    "axes.edgecolor": "#888888",
    "axes.labelcolor": TEXT_COLOUR,
    "axes.titlesize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "legend.frameon": False,
}


def sentence_case(name: str | None) -> str | None:
    """A CAMEO name as a label. CAMEO writes root names in capitals ("MAKE PUBLIC
    STATEMENT"), which shout from a chart, and some leaf names in lower case; both are
    shown in sentence case."""
    if not name:
        return name
    return name.capitalize() if name.isupper() else name[0].upper() + name[1:]


@dataclass(frozen=True, slots=True)
class Span:
    """A marked stretch of time on the time charts: an alert, numbered as in the page."""

    number: int
    start: pd.Timestamp
    end: pd.Timestamp  # exclusive: the end of the alert's last period
    severity: str


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart of the report: its images, or the reason there is none."""

    name: str          # file stem for --png, and the id of its place in the page
    title: str
    caption: str
    svg: bytes | None = None
    png: bytes | None = None
    empty: str | None = None  # shown instead of the chart when there is nothing to draw


def _figure(height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(10, height), dpi=100, layout="constrained")


def _render(name: str, title: str, caption: str, figure: Figure, png: bool) -> Chart:
    svg_out = io.BytesIO()
    figure.savefig(svg_out, format="svg", metadata={"Date": None})
    png_bytes = None
    if png:
        png_out = io.BytesIO()
        figure.savefig(png_out, format="png", dpi=150, metadata={"Software": None})
        png_bytes = png_out.getvalue()
    return Chart(name, title, caption, svg=svg_out.getvalue(), png=png_bytes)


def _period_edges(index: pd.DatetimeIndex, freq: str) -> list[pd.Timestamp]:
    """Start of every period and the end of the last one (months differ in length)."""
    step = {"day": pd.offsets.Day(1), "week": pd.offsets.Week(1),
            "month": pd.offsets.MonthBegin(1)}[freq]
    starts = list(index)
    return starts + [starts[-1] + step] if starts else []


def _mark_alerts(axes: Axes, spans: Sequence[Span], label_y: float) -> None:
    """Shade each alert's stretch and number it like the alert table."""
    for span in spans:
        axes.axvspan(span.start, span.end, color=ALERT_COLOUR, alpha=0.7, lw=0, zorder=0)
        axes.annotate(f"A{span.number}", xy=(span.start, label_y),
                      xycoords=("data", "axes fraction"), xytext=(2, -2),
                      textcoords="offset points", va="top", ha="left", fontsize=9,
                      color="#8a1c1c", fontweight="bold")


def _date_axis(axes: Axes) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes.grid(axis="y", color=GRID_COLOUR, lw=0.8)
    axes.set_axisbelow(True)


def _whole_numbers(axis: Axis) -> None:
    """Ticks at whole numbers only: there is no half an event."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def series_chart(frame: pd.DataFrame, freq: str, spans: Sequence[Span], *, empty: str | None,
                 png: bool = False) -> Chart:
    """Events per period stacked by QuadClass, alerts shaded."""
    import matplotlib as mpl

    normalised = bool(frame.attrs.get("normalised"))
    measure = str(frame.attrs.get("count", "events"))
    what = f"share of all {measure}" if normalised else measure
    title = f"{measure.capitalize()} per {freq} by QuadClass"
    caption = (f"Bars stack the {what} of each {freq} by GDELT QuadClass (blue: cooperation, "
               "orange and red: conflict). Shaded stretches are the alerts listed below.")
    if empty:
        return Chart("series", title, caption, empty=empty)
    with mpl.rc_context(_STYLE):
        figure = _figure(3.6)
        axes = figure.add_subplot()
        edges = _period_edges(frame.index, freq)
        widths = [(b - a).days * 0.86 for a, b in zip(edges, edges[1:], strict=False)]
        bottom = pd.Series(0.0, index=frame.index)
        for quad in (1, 2, 3, 4):
            values = frame[f"q{quad}"].astype(float)
            axes.bar(frame.index, values, width=widths, bottom=bottom, align="edge",
                     color=QUAD_COLOURS[quad], label=QUAD_NAMES[quad], lw=0)
            bottom = bottom + values
        top = float(bottom.max()) or 1.0
        axes.set_ylim(0, top * 1.12)
        axes.set_xlim(edges[0], edges[-1])
        _mark_alerts(axes, spans, 0.99)
        _date_axis(axes)
        if not normalised:
            _whole_numbers(axes.yaxis)
        axes.set_ylabel(what)
        axes.legend(ncols=4, loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=9)
        return _render("series", title, caption, figure, png)


def index_chart(index: pd.Series | None, freq: str, spans: Sequence[Span], *, empty: str | None,
                png: bool = False) -> Chart:
    """The escalation index (0 calm .. 100 most escalated) over time, alerts shaded."""
    import matplotlib as mpl

    from flashpoint.monitor.index import CHANGE_WEIGHT, INTENSITY_WEIGHT

    title = "Escalation index"
    caption = (f"From 0 (calm) to 100: {INTENSITY_WEIGHT:.0%} how conflictual the period's "
               f"events are (share of conflict, Goldstein score), {CHANGE_WEIGHT:.0%} how far "
               "the pair's hostility rises above its own recent normal. Shaded stretches are "
               "alerts.")
    if empty or index is None:
        return Chart("index", title, caption, empty=empty)
    with mpl.rc_context(_STYLE):
        figure = _figure(2.8)
        axes = figure.add_subplot()
        edges = _period_edges(index.index, freq)
        # a step per period: the value holds for the whole period it describes
        x = edges
        y = list(index.astype(float)) + [float(index.iloc[-1])]
        axes.step(x, y, where="post", color=INDEX_COLOUR, lw=1.6)
        axes.fill_between(x, y, step="post", color=INDEX_COLOUR, alpha=0.12, lw=0)
        axes.set_ylim(0, 105)
        axes.set_yticks([0, 25, 50, 75, 100])
        axes.set_xlim(edges[0], edges[-1])
        _mark_alerts(axes, spans, 0.99)
        _date_axis(axes)
        axes.set_ylabel("index")
        return _render("index", title, caption, figure, png)


def event_types_chart(types: pd.DataFrame, *, empty: str | None, png: bool = False) -> Chart:
    """Events per CAMEO root, named, coloured by QuadClass.

    `types` has columns root_code, name, quad_class, events.
    """
    import matplotlib as mpl

    title = "Event types (CAMEO roots)"
    caption = "Events of the pair in the period by CAMEO root code, coloured by QuadClass."
    if empty or types.empty:
        return Chart("event-types", title, caption, empty=empty or "No events to classify.")
    with mpl.rc_context(_STYLE):
        rows = types.sort_values("root_code", ascending=False)
        figure = _figure(0.6 + 0.28 * len(rows))
        axes = figure.add_subplot()
        labels = [f"{r.root_code} {sentence_case(r.name)}" for r in rows.itertuples()]
        bars = axes.barh(labels, rows["events"], color=[QUAD_COLOURS[int(q)]
                                                        for q in rows["quad_class"]], lw=0)
        axes.bar_label(bars, padding=3, fontsize=9, color=TEXT_COLOUR)
        axes.set_xlim(0, float(rows["events"].max()) * 1.12)
        axes.grid(axis="x", color=GRID_COLOUR, lw=0.8)
        axes.set_axisbelow(True)
        _whole_numbers(axes.xaxis)
        axes.set_xlabel("events")
        return _render("event-types", title, caption, figure, png)


def actors_chart(actors: pd.DataFrame, *, empty: str | None, png: bool = False) -> Chart:
    """The most active actor codes, split into events they did and events done to them.

    `actors` has columns code, as_source, as_target (most active first).
    """
    import matplotlib as mpl

    title = "Top actors"
    caption = ("Actor codes (country plus role, e.g. IRNMIL) by number of events, as the "
               "one acting (source) and as the one acted upon (target).")
    if empty or actors.empty:
        return Chart("actors", title, caption, empty=empty or "No actors to count.")
    with mpl.rc_context(_STYLE):
        rows = actors.iloc[::-1]  # barh draws bottom-up: most active on top
        figure = _figure(0.8 + 0.28 * len(rows))
        axes = figure.add_subplot()
        codes = list(rows["code"])
        axes.barh(codes, rows["as_source"], color="#4a4a8c", label="as source", lw=0)
        bars = axes.barh(codes, rows["as_target"], left=rows["as_source"], color="#aeb0d6",
                         label="as target", lw=0)
        totals = rows["as_source"] + rows["as_target"]
        axes.bar_label(bars, labels=[str(int(t)) for t in totals], padding=3, fontsize=9,
                       color=TEXT_COLOUR)
        axes.set_xlim(0, float(totals.max()) * 1.12)
        axes.grid(axis="x", color=GRID_COLOUR, lw=0.8)
        axes.set_axisbelow(True)
        _whole_numbers(axes.xaxis)
        axes.set_xlabel("events")
        axes.legend(ncols=2, loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=9)
        return _render("actors", title, caption, figure, png)
