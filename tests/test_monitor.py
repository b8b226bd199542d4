"""Escalation monitoring: series, index, change points, alerts and `flashpoint watch`.

Series and index fixtures are written through the store's real bulk path
(`Store.add_mentions` + `regroup_all`); alerts and the command run on articles coded by
the real coder and stored by `flashpoint.ingest`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flashpoint
from flashpoint.model import Document
from flashpoint.monitor import (
    MonitorError,
    NoEventsError,
    detect,
    escalation_index,
    series,
    watch,
)
from flashpoint.monitor.series import pair_series
from flashpoint.ontology import lookup
from flashpoint.store import Store
from flashpoint.store.database import MENTION_COLUMNS

FLASHPOINT = str(Path(sys.executable).parent / "flashpoint")
DAY0 = dt.date(2024, 3, 4)  # a Monday


def mention(n: int, day: dt.date, source: str, code: str, target: str, *,
            modality: str = "asserted", doc: str | None = None) -> dict:
    """One mention row as the coder would store it."""
    entry = lookup(code)
    row = dict.fromkeys(MENTION_COLUMNS)
    row.update(mention_id=f"m{n:05d}", doc_id=doc or f"d{n:05d}", sentence_index=0,
               sentence=f"{source} {entry.name.lower()} {target} (sentence {n}).", date=day,
               event_code=code, root_code=code[:2], quad_class=entry.quad_class,
               goldstein=entry.goldstein, source_code=source, source_country=source[:3],
               target_code=target, target_country=target[:3], modality=modality,
               trigger_text="x", trigger_start=0, plover_type=entry.plover_type,
               plover_mode=entry.plover_mode)
    return row


def build(path: Path, rows: list[dict]) -> Path:
    with Store(path) as store:
        store.add_mentions(rows)
        store.regroup_all()
    return path


@pytest.fixture
def small(tmp_path) -> Store:
    """USA-IRN over three weeks of March 2024, plus FRA-DEU for the denominator."""
    day = DAY0
    rows = [
        mention(1, day, "USAMIL", "190", "IRN"),                        # q4, week 1
        mention(2, day + dt.timedelta(days=1), "USA", "042", "IRN"),    # q1, week 1
        mention(3, day + dt.timedelta(days=9), "IRN", "112", "USA"),    # q3, week 2 (IRN->USA)
        mention(4, day + dt.timedelta(days=16), "USA", "071", "IRNGOV"),  # q2, week 3
        mention(5, day + dt.timedelta(days=16), "USA", "138", "IRN", modality="alleged"),
        mention(6, day, "FRA", "042", "DEU"),
        mention(7, day + dt.timedelta(days=9), "FRA", "042", "DEU"),
        # one event reported three times (same day, key and place): three mentions
        mention(8, day + dt.timedelta(days=2), "DEU", "036", "FRA"),
        mention(9, day + dt.timedelta(days=2), "DEU", "036", "FRA"),
        mention(10, day + dt.timedelta(days=2), "DEU", "036", "FRA"),
    ]
    store = Store(build(tmp_path / "small.duckdb", rows), read_only=True)
    yield store
    store.close()


def test_weekly_series_counts_by_quad_class(small):
    frame = series(small, dyad="USA-IRN", freq="week")
    assert list(frame.index) == list(pd.date_range("2024-03-04", periods=3, freq="7D"))
    assert frame[["q1", "q2", "q3", "q4", "total"]].values.tolist() == [
        [1, 0, 0, 1, 2], [0, 0, 1, 0, 1], [0, 1, 0, 0, 1]]
    expected = lookup("190").goldstein + lookup("042").goldstein
    assert frame["goldstein_sum"].iloc[0] == pytest.approx(expected)
    assert frame["goldstein_mean"].iloc[0] == pytest.approx(expected / 2)
    assert frame["conflict_share"].tolist() == [0.5, 0.0, 0.0]
    assert frame["all_events"].tolist() == [4, 2, 1]  # every stored asserted event
    assert frame.attrs["label"] == "USA-IRN" and frame.attrs["freq"] == "week"


def test_daily_series_has_every_day_zero_filled(small):
    frame = series(small, dyad="USA-IRN", freq="day")
    assert len(frame) == 17 and frame.index.freqstr == "D"
    assert frame["total"].sum() == 4 and (frame["total"] == 0).sum() == 13
    quiet = frame.loc["2024-03-07"]
    assert quiet["total"] == 0 and math.isnan(quiet["goldstein_mean"]) \
        and math.isnan(quiet["conflict_share"])
    monthly = series(small, dyad="USA-IRN", freq="month", since="2024-02-01",
                     until="2024-04-30")
    assert list(monthly.index.strftime("%Y-%m")) == ["2024-02", "2024-03", "2024-04"]
    assert monthly["total"].tolist() == [0, 4, 0]


def test_directed_dyad_and_country_and_actor(small):
    both = series(small, dyad="USA-IRN", freq="month")
    one_way = series(small, dyad="USA-IRN", directed=True, freq="month")
    other_way = series(small, dyad="IRN-USA", directed=True, freq="month")
    assert (both["total"].sum(), one_way["total"].sum(), other_way["total"].sum()) == (4, 3, 1)
    assert one_way.attrs["label"] == "USA->IRN"
    assert series(small, country="IRN", freq="month")["total"].sum() == 4
    assert series(small, actor="USAMIL", freq="month")["q4"].sum() == 1
    # a known code without events is a series of zeros, not an error
    assert series(small, dyad="USA-CHN", freq="month")["total"].sum() == 0


def test_normalised_series_divides_by_all_events(small):
    raw = series(small, dyad="USA-IRN", freq="week")
    shares = series(small, dyad="USA-IRN", freq="week", normalise=True)
    assert shares["total"].tolist() == pytest.approx((raw["total"] / raw["all_events"]).tolist())
    assert shares["q4"].iloc[0] == pytest.approx(1 / 4)
    assert shares["conflict_share"].tolist() == raw["conflict_share"].tolist()
    assert shares.attrs["normalised"] is True and "share" in shares.attrs["unit"]
    assert raw.attrs["normalised"] is False


def test_asserted_only_by_default_and_mentions_weighting(small):
    week3 = pd.Timestamp("2024-03-18")
    assert series(small, dyad="USA-IRN")["q3"][week3] == 0  # the alleged threat
    assert series(small, dyad="USA-IRN", asserted_only=False)["q3"][week3] == 1
    events = series(small, dyad="DEU-FRA", freq="week")
    mentions = series(small, dyad="DEU-FRA", freq="week", count="mentions")
    assert events["q1"].iloc[0] == 2 and mentions["q1"].iloc[0] == 4
    assert mentions.attrs["count"] == "mentions"


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"dyad": "USAIRN"}, "expected two actor codes"),
    ({"dyad": "USA-IRN-ISR"}, "expected two actor codes"),
    ({"freq": "hour"}, "freq 'hour'"),
    ({"count": "tweets"}, "count 'tweets'"),
    ({"since": "2024-13-01"}, "not a date"),
    ({"dyad": "USA-IRN", "country": "IRN"}, "not dyad and country"),
])
def test_bad_arguments_raise_value_error(small, kwargs, message):
    with pytest.raises(ValueError, match=message) as caught:
        series(small, **kwargs)
    assert not isinstance(caught.value, MonitorError)


def test_unknown_actor_and_empty_store_raise_monitor_error(small, tmp_path):
    with pytest.raises(MonitorError, match="unknown actor code 'XYZ'"):
        series(small, dyad="USA-XYZ")
    with pytest.raises(MonitorError, match="unknown actor code 'QQQGOV'"):
        series(small, actor="QQQGOV")
    series(small, actor="CHNMIL")  # China's military: in the dictionaries, not stored
    Store(tmp_path / "empty.duckdb").close()
    with Store(tmp_path / "empty.duckdb", read_only=True) as empty, \
            pytest.raises(MonitorError, match="no events stored"):
        series(empty, dyad="USA-IRN")


def calm_then_escalation(path: Path, *, calm_days: int = 60, hot_days: int = 20,
                         seed: int = 3) -> Path:
    """USA-IRN: talks and the odd accusation, then daily attacks and threats."""
    rng = np.random.default_rng(seed)
    rows, n = [], 0
    for d in range(calm_days + hot_days):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=d)
        codes = ["042"] if rng.random() < 0.6 else []
        if rng.random() < 0.1:
            codes.append("112")
        if d >= calm_days:
            codes += ["190", "138", "183"][:1 + int(rng.integers(3))]
        for code in codes:
            n += 1
            source, target = ("USA", "IRN") if rng.random() < 0.5 else ("IRN", "USA")
            rows.append(mention(n, day, source, code, target))
        n += 1
        rows.append(mention(n, day, "FRA", "042", "DEU"))
    return build(path, rows)


def flat(path: Path, days: int = 150, seed: int = 5) -> Path:
    """USA-IRN at a steady rate: cooperation most days, conflict now and then."""
    rng = np.random.default_rng(seed)
    rows, n = [], 0
    for d in range(days):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=d)
        for code in ("042", "051", "112", "190"):
            rate = {"042": 0.7, "051": 0.3, "112": 0.25, "190": 0.1}[code]
            if rng.random() < rate:
                n += 1
                rows.append(mention(n, day, "USA", code, "IRN"))
    return build(path, rows)


def test_index_is_bounded_and_rises_on_an_escalation(tmp_path):
    with Store(calm_then_escalation(tmp_path / "esc.duckdb"), read_only=True) as store:
        frame = series(store, dyad="USA-IRN", freq="day")
        index = escalation_index(frame)
    assert index.between(0, 100).all() and index.index.equals(frame.index)
    calm, hot = index.iloc[28:60], index.iloc[60:66]
    assert calm.mean() < 15 and hot.mean() > 40 and hot.max() > 60
    assert hot.mean() > calm.max()
    # shares give the same picture
    with Store(tmp_path / "esc.duckdb", read_only=True) as store:
        shares = escalation_index(series(store, dyad="USA-IRN", freq="day", normalise=True))
    assert shares.between(0, 100).all() and shares.iloc[60:66].mean() > shares.iloc[28:60].mean()
    with pytest.raises(ValueError, match="baseline"):
        escalation_index(frame, baseline=1)


def test_change_point_found_on_a_planted_shift_but_not_on_a_flat_series(tmp_path):
    with Store(calm_then_escalation(tmp_path / "esc.duckdb"), read_only=True) as store:
        changes = detect(series(store, dyad="USA-IRN", freq="day"))
    assert len(changes) == 1
    change = changes[0]
    assert change.start == pd.Timestamp("2024-03-01")  # day 60
    assert change.after > change.before + 1 and change.score > 1
    with Store(flat(tmp_path / "flat.duckdb"), read_only=True) as store:
        frame = series(store, dyad="USA-IRN", freq="day")
        assert frame["q4"].sum() > 5  # not empty: conflict, but no shift in it
        assert detect(frame) == []
        assert watch(store, freq="day") == []
        assert watch(store, freq="week") == []


# ------------------------------------------------------------ the real coder and store

CALM = ["Norway held talks with Chile on {day} about fishing rights.",
        "Chile praised Norway for its help after the floods.",
        "Officials from Chile met their counterparts from Norway to discuss port fees.",
        "Norway sent humanitarian aid to Chile on {day}."]
# even and odd days use different (source, target, root) keys, so that attacks on
# consecutive days stay separate events whatever the store's grouping window
HOT = [["Norway shelled positions held by Chile on {day}.",
        "Chile seized a cargo ship belonging to Norway on {day}.",
        "Norway threatened Chile with sanctions on {day}."],
       ["Chile launched air strikes against Norway on {day}.",
        "Norway seized a cargo ship belonging to Chile on {day}.",
        "Chile threatened Norway with sanctions on {day}."]]
START = dt.date(2024, 5, 1)
PLANTED = START + dt.timedelta(days=42)


def articles() -> list[Document]:
    """Six weeks of calm between Norway and Chile, then two weeks of attacks; a few
    unrelated cooperation stories for the store's denominator."""
    docs = []
    for d in range(56):
        day = START + dt.timedelta(days=d)
        weekday = day.strftime("%A")
        texts = [CALM[d % 4].format(day=weekday)] if d % 3 != 2 else []
        if d >= 42:
            texts += [text.format(day=weekday) for text in HOT[d % 2][:2 + d % 3 // 2]]
        if d % 7 == 0:
            texts.append(f"Ghana signed an agreement with Senegal on {weekday} on rail links.")
        docs += [Document(f"art-{d:02d}-{k}", text, date=day, source=f"Outlet {k}")
                 for k, text in enumerate(texts)]
    return docs


@pytest.fixture(scope="module")
def coded(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("coded") / "news.duckdb"
    flashpoint.ingest(articles(), str(db))
    return db


def test_watch_alerts_on_the_planted_escalation_with_its_evidence(coded):
    with Store(coded, read_only=True) as store:
        alerts = watch(store, min_events=5)
        named = watch(store, dyads=["NOR-CHL"], top=2)
    assert [a.dyad for a in alerts] == ["CHL-NOR"]  # the calm Ghana-Senegal pair: no alert
    alert = alerts[0]
    assert 0 <= (alert.start - PLANTED).days <= 3
    assert alert.severity in ("high", "medium") and alert.after > alert.before
    assert alert.shift == pytest.approx(alert.after - alert.before, abs=1e-3)
    assert 0 < alert.index <= 100
    assert alert.evidence, "an alert names the events that drove it"
    for item in alert.evidence:
        assert item.date >= PLANTED and item.event_code[:2] in ("13", "17", "19")
        assert item.doc_id.startswith("art-") and ("Norway" in item.sentence
                                                    or "Chile" in item.sentence)
        assert {item.source_code[:3], item.target_code[:3]} == {"NOR", "CHL"}
    # most conflictual first: the air strikes and shelling before the threats
    assert alert.evidence[0].event_code[:2] == "19"
    assert len(named) == 1 and named[0].dyad == "NOR-CHL" and len(named[0].evidence) == 2
    with flashpoint.open(str(coded)) as data:
        assert data.watch(dyads=["CHL-NOR"])[0].start == alert.start
        assert data.series(dyad="CHL-NOR", freq="week")["q4"].sum() > 5


def test_watch_bad_inputs(coded, tmp_path):
    with Store(coded, read_only=True) as store:
        with pytest.raises(NoEventsError, match="no events for NOR-IRN"):
            watch(store, dyads=["NOR-IRN"])
        with pytest.raises(NoEventsError, match="no events for NOR-CHL from 2030-01-01"):
            watch(store, dyads=["NOR-CHL"], since="2030-01-01")
        with pytest.raises(MonitorError, match="unknown actor code"):
            watch(store, dyads=["NOR-ABC"])
        with pytest.raises(ValueError, match="expected two actor codes"):
            watch(store, dyads=["NOR"])
        with pytest.raises(ValueError, match="freq"):
            watch(store, freq="hour")
        # a window after the shift started: nothing new starts in it
        assert watch(store, since=PLANTED + dt.timedelta(days=5)) == []


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([FLASHPOINT, "watch", *args], capture_output=True, text=True,
                          timeout=120)


def test_watch_command(coded, tmp_path):
    table = run("--db", str(coded))
    assert table.returncode == 0, table.stderr
    assert "CHL-NOR" in table.stdout
    assert "positions held by" in table.stdout or "air strikes" in table.stdout
    assert str(PLANTED.year) in table.stdout and "article art-" in table.stdout
    lines = run("--db", str(coded), "--dyad", "NOR-CHL", "--format", "jsonl").stdout
    records = [json.loads(line) for line in lines.splitlines()]
    assert len(records) == 1 and records[0]["dyad"] == "NOR-CHL"
    assert records[0]["evidence"][0]["doc_id"].startswith("art-")


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--dyad", "NOR-XYZ"], 2, "unknown actor code 'XYZ'"),
    (["--dyad", "NORCHL"], 2, "expected two actor codes"),
    (["--dyad", "NOR-IRN"], 1, "no events for NOR-IRN"),
])
def test_watch_command_bad_input_is_one_line(coded, args, code, message):
    result = run("--db", str(coded), *args)
    assert result.returncode == code
    assert result.stderr.startswith("flashpoint: error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_watch_command_options_in_process(coded):
    """The same command through typer's runner (no process start-up): option checks and
    a pair without alerts."""
    from typer.testing import CliRunner

    from flashpoint.cli import app

    runner = CliRunner()
    quiet = runner.invoke(app, ["watch", "--db", str(coded), "--dyad", "GHA-SEN"])
    assert quiet.exit_code == 0 and "no escalation alerts for GHA-SEN" in quiet.output
    weekly = runner.invoke(app, ["watch", "--db", str(coded), "--freq", "week"])
    assert weekly.exit_code == 0 and "CHL-NOR" in weekly.output
    for args, message in ((["--freq", "hour"], "--freq must be day or week"),
                          (["--since", "May 1"], "is not a date"),
                          (["--format", "xml"], "--format must be table or jsonl")):
        result = runner.invoke(app, ["watch", "--db", str(coded), *args])
        assert result.exit_code == 2 and message in result.output, result.output


def test_watch_command_on_missing_and_empty_databases(tmp_path):
    missing = run("--db", str(tmp_path / "nothing.duckdb"))
    assert missing.returncode == 2 and "no such database" in missing.stderr
    Store(tmp_path / "empty.duckdb").close()
    empty = run("--db", str(tmp_path / "empty.duckdb"))
    assert empty.returncode == 2 and "no events stored" in empty.stderr
    assert "Traceback" not in missing.stderr + empty.stderr


def test_watch_explains_a_store_of_undated_articles(tmp_path):
    db = tmp_path / "undated.duckdb"
    flashpoint.ingest([Document("u1", "Chile accused Peru of spying on its navy.")], str(db))
    result = run("--db", str(db))
    assert result.returncode == 2 and "1 event stored, not dated" in result.stderr
    assert "--date" in result.stderr


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(*[st.integers(0, 30)] * 4), min_size=1, max_size=60),
       st.booleans(), st.integers(2, 30))
def test_index_stays_within_0_and_100_whatever_the_counts(counts, normalised, baseline):
    frame = pd.DataFrame(counts, columns=["q1", "q2", "q3", "q4"], dtype=float,
                         index=pd.date_range("2024-01-01", periods=len(counts), freq="D"))
    frame["total"] = frame.sum(axis=1)
    frame["goldstein_sum"] = 3 * frame["q1"] + 6 * frame["q2"] - 4 * frame["q3"] \
        - 9 * frame["q4"]
    frame["all_events"] = frame["total"] + 5
    if normalised:
        for column in ("q1", "q2", "q3", "q4", "total", "goldstein_sum"):
            frame[column] = frame[column] / frame["all_events"]
    frame.attrs.update(freq="day", normalised=normalised)
    index = escalation_index(frame, baseline=baseline)
    assert len(index) == len(frame) and index.notna().all()
    assert index.between(0, 100).all()
    for change in detect(frame):
        assert change.after > change.before - 1e-9 and change.start <= change.end


def test_pair_series_equals_series_pair_by_pair(small, coded):
    """Scanning all pairs in one query gives exactly the frames of `series`."""
    for store_path, pairs in ((small.path, ["IRN-USA", "DEU-FRA", "CHN-USA"]),
                              (coded, ["CHL-NOR", "GHA-SEN"])):
        store = small if store_path == small.path else Store(coded, read_only=True)
        for options in ({"freq": "day"}, {"freq": "week", "count": "mentions"},
                        {"freq": "month", "normalise": True, "asserted_only": False}):
            frames = pair_series(store, pairs, **options)
            assert list(frames) == pairs
            for pair, frame in frames.items():
                one = series(store, dyad=pair, **options)
                pd.testing.assert_frame_equal(frame, one)
                assert frame.attrs == one.attrs
        if store is not small:
            store.close()
