"""The report page: one self-contained HTML file.

Everything the page needs is inside it: CSS in a <style> element, charts as SVG in
`data:` URIs (each chart its own document, so matplotlib's element ids cannot collide
between charts). A Content-Security-Policy forbids loading anything else, so the page
reads the same offline, from an e-mail attachment or an archive years later, and a
browser reports any outside reference as an error (the browser check looks for those).

Every text that comes from articles or from the database (sentences, actor codes,
document ids, the path) goes through `html.escape`: a news sentence can hold `<`, `&` or
a quoted script, and must be shown, never run.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape
from typing import Any

from flashpoint.report.charts import QUAD_COLOURS, Chart, sentence_case

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f6f3; color: #222; font: 15px/1.45 system-ui,
  -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1080px; margin: 0 auto; padding: 24px 28px 40px; }
header h1 { margin: 0 0 2px; font-size: 28px; letter-spacing: .01em; }
header p { margin: 0; color: #555; }
h2 { font-size: 19px; margin: 0 0 4px; }
h3 { font-size: 16px; margin: 18px 0 6px; }
section { background: #fff; border: 1px solid #e2e2dc; border-radius: 6px;
  padding: 16px 20px; margin: 18px 0; }
.summary { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr));
  gap: 10px 18px; margin: 0; }
.summary div { border-left: 3px solid #d8d8d0; padding-left: 10px; }
.summary div.path { grid-column: span 2; }
.summary dt { font-size: 12px; text-transform: uppercase; letter-spacing: .05em;
  color: #666; }
.summary dd { margin: 0; font-size: 18px; font-weight: 600; overflow-wrap: anywhere; }
.summary dd.path { font-size: 13px; font-weight: normal; font-family: ui-monospace,
  Menlo, Consolas, monospace; }
.alerting dd { color: #a12020; }
.caption { color: #555; font-size: 13px; margin: 0 0 10px; }
figure { margin: 0; }
figure img { display: block; width: 100%; height: auto; }
.empty { padding: 34px 16px; text-align: center; color: #666; background: #fafaf7;
  border: 1px dashed #ccc; border-radius: 4px; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px;
  border-bottom: 1px solid #ecece6; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #555;
  border-bottom: 2px solid #ddd; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
td.sentence { min-width: 320px; }
td.event { min-width: 190px; }
td.id { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px;
  overflow-wrap: anywhere; min-width: 140px; max-width: 190px; }
.code { display: inline-block; min-width: 2.6em; padding: 0 4px; margin-right: 4px;
  border-radius: 3px; color: #fff; font-weight: 600; font-size: 12px; text-align: center; }
.sev { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 12px;
  font-weight: 600; text-transform: uppercase; }
.sev-high { background: #c9302c; color: #fff; }
.sev-medium { background: #f5a142; color: #222; }
.sev-low { background: #f2e394; color: #222; }
details { margin-top: 8px; font-size: 13px; }
summary { cursor: pointer; color: #555; }
table.data { width: auto; min-width: 320px; margin-top: 6px; }
footer { color: #777; font-size: 12px; margin-top: 18px; }
"""


def _text(value: Any) -> str:
    """Escaped text for any value, with a dash for nothing."""
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    return escape(str(value))


def _colour(code: str) -> str:
    """The QuadClass colour of an event code (grey for a code CAMEO does not have)."""
    from flashpoint.ontology import quad_class

    try:
        return QUAD_COLOURS[quad_class(code)]
    except ValueError:
        return "#888888"


def data_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """The numbers behind a chart, as a table under it (folded away): to copy from, and
    readable by screen readers and text search, which an image is not."""
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(
        f'<td class="num">{_text(v)}</td>' if isinstance(v, int | float)
        else f"<td>{_text(v)}</td>" for v in row) + "</tr>" for row in rows)
    return (f'<details><summary>Data</summary><table class="data"><tr>{head}</tr>{body}'
            "</table></details>")


def chart_section(chart: Chart, data: str = "") -> str:
    """A chart's section: title, caption and the image (with `data`, its data table), or
    the reason there is none."""
    if chart.svg is not None:
        encoded = base64.b64encode(chart.svg).decode("ascii")
        body = (f'<figure><img class="chart" alt="{escape(chart.title)}" '
                f'src="data:image/svg+xml;base64,{encoded}"></figure>{data}')
    else:
        body = f'<div class="empty chart-empty">{_text(chart.empty)}</div>'
    return (f'<section id="{escape(chart.name)}"><h2>{escape(chart.title)}</h2>'
            f'<p class="caption">{escape(chart.caption)}</p>{body}</section>')


def summary_section(items: Sequence[tuple[str, str, str]]) -> str:
    """The figures up top: (label, value, css class) each."""
    cells = "".join((f'<div class="{escape(cls)}">' if cls else "<div>")
                    + f"<dt>{escape(label)}</dt>"
                    + (f'<dd class="path">{escape(value)}</dd>' if cls == "path"
                       else f"<dd>{escape(value)}</dd>") + "</div>"
                    for label, value, cls in items)
    return f'<section id="summary"><dl class="summary">{cells}</dl></section>'


def evidence_table(rows: Sequence[Any]) -> str:
    """Evidence rows (flashpoint.monitor.Evidence or alike) as a table."""
    head = ("<tr><th>date</th><th>event</th><th>source</th><th>target</th>"
            "<th>sentence</th><th>article</th><th>sources</th></tr>")
    body = []
    for row in rows:
        body.append(
            "<tr>"
            f'<td class="nowrap">{_text(str(row.date)[:10] if row.date is not None else None)}'
            "</td>"
            f'<td class="event"><span class="code" '
            f'style="background:{_colour(str(row.event_code))}">'
            f"{_text(row.event_code)}</span>{_text(sentence_case(row.event_name))}</td>"
            f'<td class="nowrap">{_text(row.source_code)}</td>'
            f'<td class="nowrap">{_text(row.target_code)}</td>'
            f'<td class="sentence">{_text(row.sentence)}</td>'
            f'<td class="id">{_text(row.doc_id)}</td>'
            f'<td class="num">{_text(row.num_sources)}</td>'
            "</tr>")
    return f'<table class="evidence">{head}{"".join(body)}</table>'


def page(title: str, subtitle: str, sections: Sequence[str], footer: str) -> str:
    """The whole document around already-rendered sections."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>\n"
        f"<body><main><header><h1>{escape(title)}</h1><p>{escape(subtitle)}</p></header>\n"
        + "\n".join(sections)
        + f"\n<footer>{escape(footer)}</footer></main></body></html>\n"
    )
