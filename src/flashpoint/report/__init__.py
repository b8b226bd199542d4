"""Escalation reports: one self-contained HTML page (and PNG charts) per dyad.

    from flashpoint.report import write_report
    write_report("news.duckdb", dyad="USA-IRN", output="usa-irn.html", png_dir="charts/")

The page holds the dyad's series by QuadClass with its alerts shaded, the escalation
index, the CAMEO event types, the most active actors and the evidence sentences behind
each alert (or the most reported conflict events when there is none). See
docs/reports.md.
"""

from flashpoint.report.writer import Report, write_report

__all__ = ["Report", "write_report"]
