"""Reports: real stores (DuckDB through the store's bulk path, and the real coder), the
real CLI in a subprocess, and a real headless browser when one is installed."""

from __future__ import annotations

import base64
import datetime as dt
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import duckdb
import pytest

import flashpoint
from flashpoint.model import Document
from flashpoint.ontology import lookup
from flashpoint.report import write_report
from flashpoint.store import Store
from flashpoint.store.database import MENTION_COLUMNS

FLASHPOINT = str(Path(sys.executable).parent / "flashpoint")
START = dt.date(2024, 1, 1)  # a Monday: weeks line up with the calendar below
CALM_DAYS, HOT_DAYS = 84, 28
# sentences written for these tests; two carry markup that must be shown, never run
ATTACK = 'Iranian boats fired on a tanker & its crew, "<b>as a warning</b>", officials said.'
SCRIPTED = "US jets struck a radar site <script>alert('x')</script> near the coast."
CALM = ("American and Iranian envoys met in Oman to discuss a prisoner exchange.",
        "Tehran said it welcomed the talks with Washington.")
HOT = ("Iranian forces fired missiles at a US base in the region.",
       "The United States accused Iran of attacking shipping in the Gulf.",
       "Washington threatened Tehran with further strikes.")


def mention(n: int, day: int, source: str, target: str, code: str, sentence: str,
            doc: str | None = None, place: str | None = None) -> dict:
    """One mention row as the store keeps it; its own place unless `place` is given,
    so that grouping keeps each mention a separate event."""
    entry = lookup(code)
    row = dict.fromkeys(MENTION_COLUMNS)
    row.update({
        "mention_id": f"m{n:05d}", "doc_id": doc or f"doc-{n:05d}", "sentence_index": 0,
        "sentence": sentence, "date": START + dt.timedelta(days=day), "event_code": code,
        "root_code": code[:2], "quad_class": entry.quad_class, "goldstein": entry.goldstein,
        "source_code": source, "source_country": source[:3], "source_role": source[3:] or None,
        "source_text": source, "source_start": 0, "target_code": target,
        "target_country": target[:3], "target_role": target[3:] or None,
        "target_text": target, "target_start": 20, "modality": "asserted",
        "trigger_text": "x", "trigger_start": 10, "plover_type": entry.plover_type,
        "plover_mode": entry.plover_mode, "location_name": place or f"place-{n}",
        "location_precision": "city"})
    return row


def escalation_rows() -> list[dict]:
    """Twelve calm weeks of USA-IRN talks, then four weeks of strikes and threats; a
    RUS-UKR war throughout that a USA-IRN report must leave out."""
    rows: list[dict] = []

    def add(*args, **kwargs) -> None:
        rows.append(mention(len(rows), *args, **kwargs))

    for day in range(CALM_DAYS + HOT_DAYS):
        add(day, "RUSMIL", "UKR", "190", "Russian troops shelled Ukrainian positions.")
        if day < CALM_DAYS:
            add(day, "USA" if day % 2 else "IRN", "IRN" if day % 2 else "USA",
                "040" if day % 2 else "010", CALM[day % 2])
            if day % 7 == 3:
                add(day, "IRN", "USA", "112", "Iran criticised American sanctions.")
        else:
            add(day, "IRNMIL", "USA", "190", HOT[0])
            add(day, "USA", "IRN", "112", HOT[1])
            add(day, "USAGOV", "IRNGOV", "138", HOT[2])
            if day % 3 == 0:
                add(day, "IRN", "USA", "043", CALM[0])
    # one attack reported by three outlets on the first hot day: one event, 3 sources
    for outlet in range(3):
        add(CALM_DAYS, "IRNNAV", "USA", "190", ATTACK, doc=f"outlet-{outlet}", place="Hormuz")
    add(CALM_DAYS + 1, "USAMIL", "IRN", "195", SCRIPTED)
    return rows


def build_store(path: Path, rows: list[dict]) -> Path:
    with Store(path) as store:
        if rows:
            store.add_mentions(rows)
            store.regroup_all()
    return path


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return escalation_rows()


@pytest.fixture(scope="module")
def db(tmp_path_factory, rows) -> Path:
    return build_store(tmp_path_factory.mktemp("report") / "escalation.duckdb", rows)


@pytest.fixture(scope="module")
def written(db, tmp_path_factory):
    """One weekly report with PNG charts, shared by the tests that read it."""
    folder = tmp_path_factory.mktemp("out")
    result = write_report(db, dyad="USA-IRN", output=folder / "report.html",
                          png_dir=folder / "png", freq="week")
    return result, (folder / "report.html").read_text(encoding="utf-8")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([FLASHPOINT, "report", *args], capture_output=True, text=True,
                          timeout=120)


def chart_images(page: str) -> list[bytes]:
    return [base64.b64decode(m) for m in
            re.findall(r'<img class="chart"[^>]*src="data:image/svg\+xml;base64,([^"]+)"', page)]


# ------------------------------------------------------------------------ the page


def test_page_needs_nothing_from_outside(written):
    _, page = written
    for attribute, value in re.findall(r'\b(src|href|action)\s*=\s*"([^"]*)"', page):
        assert value.startswith("data:" if attribute == "src" else "#"), (attribute, value)
    assert not re.search(r"https?://|@import|url\(|<script|<link|<iframe", page, re.I)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_page_holds_four_charts_as_svg(written):
    _, page = written
    images = chart_images(page)
    assert len(images) == 4
    for svg in images:
        root = ElementTree.fromstring(svg)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert len(svg) > 5_000  # drawn, not an empty frame
    for section in ("series", "index", "event-types", "actors", "alerts", "evidence"):
        assert f'<section id="{section}">' in page


def test_summary_counts_the_dyads_events_in_both_directions(written, rows):
    result, page = written
    # every USA-IRN mention above is its own event except the seizure's three copies
    pair = [r for r in rows if {r["source_country"], r["target_country"]} == {"USA", "IRN"}]
    assert result.events == len(pair) - 2
    assert f"<dd>{result.events:,}</dd>" in page
    assert result.since == START and result.until == START + dt.timedelta(
        days=CALM_DAYS + HOT_DAYS - 1)
    assert "USA and IRN" in page and "escalation.duckdb" in page


def test_escalation_is_alerted_and_marked_with_its_evidence(written):
    result, page = written
    assert result.alerts >= 1
    hot = START + dt.timedelta(days=CALM_DAYS)
    # the first alert starts in the week the strikes began, with their sentences
    starts = re.findall(r'<h3 id="alert-1">A1: (\d{4}-\d\d-\d\d)', page)
    assert starts and abs(dt.date.fromisoformat(starts[0]) - hot).days <= 7
    evidence = page[page.index('<section id="evidence">'):]
    assert lookup("190").name in evidence and HOT[0] in evidence


def test_article_text_is_escaped(written):
    _, page = written
    assert "<script>" not in page and "<b>as a warning</b>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "tanker &amp; its crew, &quot;&lt;b&gt;as a warning&lt;/b&gt;&quot;" in page
    # the attack's row says it came from three sources
    row = page[page.index("tanker &amp;"):]
    row = row[:row.index("</tr>")]
    assert '<td class="num">3</td>' in row


def test_event_types_are_named_and_other_dyads_left_out(written):
    _, page = written
    table = page[page.index('<section id="event-types">'):page.index('<section id="actors">')]
    for root in ("01", "04", "11", "13", "19"):
        assert f"<td>{root}</td><td>{lookup(root).name.capitalize()}</td>" in table
    actors = page[page.index('<section id="actors">'):page.index('<section id="alerts">')]
    assert "<td>IRNMIL</td>" in actors and "<td>USAGOV</td>" in actors
    assert "RUS" not in actors and "UKR" not in actors


def test_png_charts_are_written(written):
    result, _ = written
    names = sorted(p.name for p in result.png_files)
    assert names == ["actors.png", "event-types.png", "index.png", "series.png"]
    for path in result.png_files:
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
        assert width >= 1000 and height >= 200 and len(data) > 10_000


def test_same_data_gives_the_same_report(db, written, tmp_path):
    repeat = write_report(db, dyad="USA-IRN", output=tmp_path / "repeat.html", freq="week")
    assert repeat.output.read_bytes() == written[0].output.read_bytes()
    # the pair named the other way round, in lower case: the same events and breakdowns
    turned = write_report(db, dyad="irn-usa", output=tmp_path / "turned.html", freq="week")
    assert turned.events == written[0].events and turned.alerts == written[0].alerts
    assert chart_images(turned.output.read_text())[2:] == chart_images(written[1])[2:]


def test_an_open_store_and_other_frequencies(db, tmp_path):
    with Store(db, read_only=True) as store:
        daily = write_report(store, dyad="USA-IRN", output=tmp_path / "d.html", freq="day",
                             since="2024-03-01", until="2024-04-30")
        monthly = write_report(store, dyad="USA-IRN", output=tmp_path / "m.html",
                               freq="month")
    assert daily.events < monthly.events and daily.alerts >= 1
    assert len(chart_images(daily.output.read_text())) == 4
    assert "2024-03-01 to 2024-04-30" in daily.output.read_text()


def test_a_report_from_the_real_coder(tmp_path):
    stories = [
        ("r1", "2024-05-06", "Iranian forces attacked an American drone over the Gulf."),
        ("r2", "2024-05-07", "The United States accused Iran of sabotage & piracy."),
        ("r3", "2024-05-08", "Iran and the United States held talks in Geneva."),
    ]
    db = tmp_path / "coded.duckdb"
    flashpoint.ingest([Document(i, text, date=dt.date.fromisoformat(day))
                       for i, day, text in stories], str(db))
    result = write_report(db, dyad="USA-IRN", output=tmp_path / "coded.html", freq="day")
    page = result.output.read_text()
    assert result.events >= 2 and result.alerts == 0
    evidence = page[page.index('<section id="evidence">'):]
    assert "accused Iran of sabotage &amp; piracy" in evidence
    assert "r2" in evidence


# ------------------------------------------------------------------- bad input
# The real command in a subprocess for the cases a user meets first; the option checks
# run the same command in-process (typer's runner), as each subprocess costs seconds of
# imports.


def invoke(*args: str):
    from typer.testing import CliRunner

    from flashpoint.cli import app

    return CliRunner().invoke(app, ["report", *args])


def one_error_line(stderr: str) -> bool:
    return (stderr.startswith("flashpoint: error: ") and stderr.count("\n") == 1
            and "Traceback" not in stderr)


def test_dyad_without_events_gets_a_report_that_says_so(db, tmp_path):
    out = tmp_path / "none.html"
    done = run("--db", str(db), "--dyad", "USA-FJI", "-o", str(out), "--png", str(tmp_path))
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("\n") == 1 and "no events between USA and FJI" in done.stderr
    page = out.read_text()
    assert page.count("No events between USA and FJI in this period") == 5  # 4 charts, evidence
    assert not chart_images(page) and not list(tmp_path.glob("*.png"))


def test_unknown_actor_code_writes_nothing(db, tmp_path):
    out = tmp_path / "bad.html"
    done = run("--db", str(db), "--dyad", "USA-XYZ", "-o", str(out))
    assert done.returncode == 2 and one_error_line(done.stderr)
    assert "unknown actor code 'XYZ'" in done.stderr and not out.exists()


@pytest.mark.parametrize("case", ["missing", "empty store"])
def test_no_data_writes_nothing(tmp_path, case):
    path = tmp_path / "store.duckdb"
    if case == "empty store":
        build_store(path, [])
    out = tmp_path / "bad.html"
    done = run("--db", str(path), "--dyad", "USA-IRN", "-o", str(out))
    assert done.returncode == 2 and one_error_line(done.stderr)
    assert ("no such database" if case == "missing" else "no events stored") in done.stderr
    assert not out.exists()


def test_not_a_flashpoint_database(tmp_path):
    text = tmp_path / "notes.duckdb"
    text.write_text("not a database\n")
    foreign = tmp_path / "other.duckdb"
    duckdb.connect(str(foreign)).execute("CREATE TABLE t (x INTEGER)").close()
    for path, message in ((text, "cannot open as a Flashpoint database"),
                          (foreign, "not a Flashpoint database")):
        out = tmp_path / "bad.html"
        done = invoke("--db", str(path), "--dyad", "USA-IRN", "-o", str(out))
        assert done.exit_code == 2 and one_error_line(done.stderr), done.stderr
        assert message in done.stderr and not out.exists()


def test_a_period_without_events(db, tmp_path):
    out = tmp_path / "later.html"
    done = invoke("--db", str(db), "--dyad", "USA-IRN", "--since", "2025-01-01",
                  "--until", "2025-03-31", "-o", str(out))
    assert done.exit_code == 1 and "from 2025-01-01 to 2025-03-31" in done.stderr
    assert out.read_text().count("No events between USA and IRN in this period") == 5
    # open-ended: the store has nothing after that date, so there is no period to show
    done = invoke("--db", str(db), "--dyad", "USA-IRN", "--since", "2025-01-01", "-o",
                  str(tmp_path / "open.html"))
    assert done.exit_code == 2 and "no dated events" in done.stderr


def test_empty_periods_inside_the_range_are_drawn_as_zero(db, tmp_path):
    out = tmp_path / "wide.html"
    done = invoke("--db", str(db), "--dyad", "USA-IRN", "--since", "2023-11-01",
                  "--until", "2024-06-30", "--freq", "month", "-o", str(out))
    assert done.exit_code == 0, done.stderr
    assert "2023-11-01 to 2024-06-30" in out.read_text()
    assert "USA-IRN, 2023-11-01 to 2024-06-30" in done.stderr
    assert len(chart_images(out.read_text())) == 4


@pytest.mark.parametrize(("args", "message"), [
    (["--dyad", "USA"], "expected two actor codes"),
    (["--dyad", "USA-IRN", "--freq", "hour"], "freq 'hour'"),
    (["--dyad", "USA-IRN", "--since", "2024-02-30"], "not a date"),
    (["--dyad", "USA-IRN", "--since", "2024-03-01", "--until", "2024-02-01"], "before since"),
])
def test_bad_options_write_nothing(db, tmp_path, args, message):
    out = tmp_path / "bad.html"
    done = invoke("--db", str(db), "-o", str(out), *args)
    assert done.exit_code == 2 and one_error_line(done.stderr), done.stderr
    assert message in done.stderr and not out.exists()


def test_an_unwritable_output(db, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cases = [(["-o", str(blocker / "report.html")], blocker),  # a file where a folder must be
             (["-o", str(tmp_path)], tmp_path),                # a folder where the file must be
             (["-o", str(tmp_path / "r.html"), "--png", str(blocker)], blocker)]
    for args, named in cases:
        done = invoke("--db", str(db), "--dyad", "USA-IRN", *args)
        assert done.exit_code == 2 and one_error_line(done.stderr), done.stderr
        assert done.stderr.startswith(f"flashpoint: error: {named}: "), done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]  # nothing half-written


# ------------------------------------------------------------------- in a browser


def test_report_renders_in_a_headless_browser(written):
    from flashpoint.report.browser import available, check_page

    reason = available()
    if reason:
        pytest.skip(f"no headless browser to check the report with: {reason}")
    result, _ = written
    checked = check_page(result.output)
    assert checked.errors == []
    assert checked.charts == 4 and all(c.rendered for c in checked.chart_states)
    assert checked.height > 1000
