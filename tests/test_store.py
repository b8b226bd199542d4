"""The event dataset: a real DuckDB file, the real coder, real subprocesses."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

import flashpoint
from flashpoint.ingest import read_inputs
from flashpoint.model import Document
from flashpoint.store import Store, StoreError

FLASHPOINT = str(Path(sys.executable).parent / "flashpoint")

KHARKIV = [
    {"id": "a1", "date": "2024-03-04", "source": "Agency A",
     "text": "Russian troops shelled Ukrainian positions near Kharkiv on Monday."},
    {"id": "a2", "date": "2024-03-04", "source": "Agency B",
     "text": "Russian artillery units shelled Ukrainian army positions outside Kharkiv, the "
             "Ukrainian military said."},
    {"id": "a3", "date": "2024-03-05", "source": "Agency C",
     "text": "Ukraine said Russian forces shelled its troops near Kharkiv overnight."},
]
ODESA = {"id": "b1", "date": "2024-03-04", "source": "Agency A",
         "text": "Russian jets bombed the port of Odesa on Monday."}


def documents(records: list[dict]) -> list[Document]:
    def one(record: dict) -> Document:
        return Document(record["id"], record["text"], date=_date(record.get("date")),
                        source=record.get("source"), url=record.get("url"))
    return [one(r) for r in records]


def _date(value):
    import datetime as dt

    return dt.date.fromisoformat(value) if value else None


def dump(path: Path) -> dict[str, list]:
    """Every table, sorted: two databases are the same dataset when dumps are equal."""
    with duckdb.connect(str(path), read_only=True) as db:
        return {t: sorted(map(repr, db.execute(f"SELECT * FROM {t}").fetchall()))
                for t in ("documents", "mentions", "events")}


def test_same_event_in_three_articles_is_one_event(tmp_path):
    db = tmp_path / "news.duckdb"
    flashpoint.ingest(documents(KHARKIV + [ODESA]), str(db))
    with flashpoint.open(str(db)) as data:
        attacks = data.events(dyad="RUS-UKR", root=19)
    kharkiv = attacks[attacks.location_name == "Kharkiv"]
    assert len(kharkiv) == 1
    event = kharkiv.iloc[0]
    assert (event.num_articles, event.num_mentions, event.num_sources) == (3, 3, 3)
    assert event.asserted  # one report asserts it; two only relay a claim
    assert str(event.first_date)[:10] == "2024-03-04" and str(event.last_date)[:10] \
        == "2024-03-05"
    # the Odesa bombing, the same day and dyad, stays a separate event
    assert set(attacks.location_name) == {"Kharkiv", "Odesa"}
    with flashpoint.open(str(db)) as data:
        assert len(data.events(dyad="ukr-rus", root=19)) == len(attacks)  # any case, order
        for bad in ("RU-UKR", "RUS-", "RUS-UKR-USA"):  # as `watch` and `report` refuse
            with pytest.raises(ValueError, match="expected two actor codes"):
                data.events(dyad=bad)


def test_reingest_adds_nothing_and_order_does_not_matter(tmp_path):
    everything = documents(KHARKIV + [ODESA])
    one_go, late = tmp_path / "one.duckdb", tmp_path / "late.duckdb"
    flashpoint.ingest(everything, str(one_go))
    before = dump(one_go)
    totals = flashpoint.ingest(everything, str(one_go))
    assert totals["documents"] == 0 and totals["skipped"] == 4
    assert dump(one_go) == before
    # the same articles in another order, in three runs
    flashpoint.ingest(everything[3:], str(late))
    flashpoint.ingest(everything[2:3], str(late))
    flashpoint.ingest(everything[:2], str(late))
    assert dump(late) == before


def test_a_story_twice_is_stored_once(tmp_path):
    story = ("Turkish warplanes struck Kurdish militant positions in northern Iraq on "
             "Tuesday, the defence ministry in Ankara said, adding that several shelters "
             "and ammunition depots had been destroyed in the raids near the border. The "
             "ministry said the operation targeted fighters who had crossed into Turkey and "
             "attacked a military outpost last week, killing two soldiers and wounding "
             "several others. Iraqi officials protested the strikes and summoned the Turkish "
             "ambassador in Baghdad to demand an explanation.")
    # the same wire story, re-published with one more line
    records = [{"id": "t1", "date": "2024-05-07", "text": story},
               {"id": "t2", "date": "2024-05-07", "text": story + " More strikes are planned."},
               {"id": "t3", "date": "2024-05-07", "url": "https://example.org/x",
                "text": "Iran accused Israel of sabotage at a nuclear site."},
               {"id": "t4", "date": "2024-05-07", "url": "https://example.org/x",
                "text": "Iran accused Israel of sabotage at a nuclear site, officials said."}]
    db = tmp_path / "dup.duckdb"
    totals = flashpoint.ingest(documents(records), str(db))
    assert totals["duplicates"] == 2
    with duckdb.connect(str(db), read_only=True) as con:
        kept = con.execute("SELECT doc_id FROM documents WHERE duplicate_of IS NULL "
                           "ORDER BY doc_id").fetchall()
        assert kept == [("t1",), ("t3",)]
        assert con.execute("SELECT max(num_articles) FROM events").fetchall()[0][0] == 1


def test_kill_and_rerun_equals_one_clean_run(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    cities = ["Kharkiv", "Odesa", "Mariupol", "Kherson", "Zaporizhzhia", "Dnipro", "Sumy",
              "Poltava", "Lviv", "Kyiv"]
    with corpus.open("w") as out:
        for day in range(1, 16):
            for n, city in enumerate(cities[:4]):
                out.write(json.dumps({
                    "id": f"d{day:02d}-{n}", "date": f"2024-04-{day:02d}",
                    "text": f"Russian troops shelled Ukrainian positions near {city} on day "
                            f"{day}. Ukraine condemned Russia for the attack on {city}."}) + "\n")
    clean, killed = tmp_path / "clean.duckdb", tmp_path / "killed.duckdb"
    command = [FLASHPOINT, "ingest", str(corpus), "--workers", "1", "--batch-size", "4"]
    subprocess.run(command + ["--db", str(clean)], check=True, capture_output=True,
                   timeout=300)
    process = subprocess.Popen(command + ["--db", str(killed)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    # wait until some batches are committed, then kill without warning
    while time.time() < deadline and process.poll() is None:
        if killed.exists() and killed.stat().st_size > 0 and _stored(killed) >= 8:
            break
        time.sleep(0.2)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    subprocess.run(command + ["--db", str(killed)], check=True, capture_output=True,
                   timeout=300)
    assert dump(killed) == dump(clean)


def _stored(path: Path) -> int:
    """Documents committed so far, read from a copy (the writer holds the lock)."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "copy.duckdb"
        try:
            shutil.copy(path, copy)
            wal = path.with_name(path.name + ".wal")
            if wal.exists():
                shutil.copy(wal, copy.with_name(copy.name + ".wal"))
            with duckdb.connect(str(copy)) as db:
                return db.execute("SELECT count(*) FROM documents").fetchall()[0][0]
        except (duckdb.Error, OSError):
            return 0


def test_not_a_database_and_locked_database(tmp_path):
    text = tmp_path / "notes.duckdb"
    text.write_text("just some notes\n")
    with pytest.raises(StoreError, match="notes.duckdb"):
        Store(text)
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as db:
        db.execute("CREATE TABLE t (x INTEGER)")
    with pytest.raises(StoreError, match="not a Flashpoint database"):
        Store(other, read_only=True)
    with pytest.raises(StoreError, match="no such database"):
        Store(tmp_path / "absent.duckdb", read_only=True)
    # another process holds the database open for writing
    locked = tmp_path / "locked.duckdb"
    Store(locked).close()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import duckdb, sys, time; db = duckdb.connect(sys.argv[1]); print('ready', flush=True);"
        " time.sleep(60)"), str(locked)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        result = subprocess.run([FLASHPOINT, "events", "--db", str(locked)],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 2
        assert "locked.duckdb" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    finally:
        holder.kill()
        holder.wait()


def test_ingest_and_events_commands(tmp_path):
    corpus = tmp_path / "news.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in KHARKIV + [ODESA])
                      + "{not json\n", encoding="utf-8")
    db = tmp_path / "cli.duckdb"
    result = subprocess.run([FLASHPOINT, "ingest", str(corpus), "--db", str(db)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1  # one bad line; the rest is stored
    assert "news.jsonl:5" in result.stderr
    result = subprocess.run([FLASHPOINT, "events", "--db", str(db), "--dyad", "UKR-RUS",
                             "--root", "19", "--format", "jsonl"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(r["num_articles"] for r in rows) == [1, 3]
    result = subprocess.run([FLASHPOINT, "events", "--db", str(db), "--dyad", "USA"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "USA-IRN" in result.stderr


def test_inputs_from_readers_go_straight_in(tmp_path):
    corpus = tmp_path / "one.txt"
    corpus.write_text("Border Clash\n\nIndian troops clashed with Chinese soldiers in "
                      "Ladakh.\n", encoding="utf-8")
    db = tmp_path / "r.duckdb"
    items = [i for i in read_inputs([str(corpus)]) if isinstance(i, Document)]
    totals = flashpoint.ingest(items, str(db))
    assert totals["documents"] == 1
    with flashpoint.open(str(db)) as data:
        assert data.counts()["documents"] == 1
        assert data.events(arrow=True).num_rows == len(data.events())


GDELT_INTEGERS = (0, 1, 2, 3, 25, 29, 31, 32, 33)  # GLOBALEVENTID, SQLDATE, ..., NumArticles


def test_exports_follow_gdelt_and_plover(tmp_path):
    db = tmp_path / "x.duckdb"
    flashpoint.ingest(documents(KHARKIV + [ODESA]), str(db))
    events_file, mentions_file = tmp_path / "events.tsv", tmp_path / "mentions.tsv"
    for fmt, target in (("gdelt", events_file), ("gdelt-mentions", mentions_file)):
        result = subprocess.run([FLASHPOINT, "export", "--db", str(db), "--format", fmt,
                                 "-o", str(target)], capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 0, result.stderr
    rows = [line.split("\t") for line in events_file.read_text().splitlines()]
    with duckdb.connect(str(db), read_only=True) as con:
        assert len(rows) == con.execute("SELECT count(*) FROM events").fetchall()[0][0]
    for row in rows:
        assert len(row) == 61
        for index in GDELT_INTEGERS:
            int(row[index])
        float(row[30])  # GoldsteinScale
        code, base, root = row[26], row[27], row[28]
        assert code.startswith(base) and base.startswith(root) and len(root) == 2
        quad = 1 if int(root) <= 5 else 2 if int(root) <= 9 else 3 if int(root) <= 14 else 4
        assert int(row[29]) == quad
    kharkiv = [r for r in rows if r[52] == "Kharkiv"]
    assert kharkiv and kharkiv[0][53] == "UP" and kharkiv[0][51] == "4"  # FIPS, world city
    assert {r[1] for r in rows} >= {"20240304"}
    mentions = [line.split("\t") for line in mentions_file.read_text().splitlines()]
    assert mentions and all(len(m) == 16 for m in mentions)
    assert {m[0] for m in mentions} == {r[0] for r in rows}

    plover = subprocess.run([FLASHPOINT, "export", "--db", str(db), "--format", "plover"],
                            capture_output=True, text=True, timeout=120)
    records = [json.loads(line) for line in plover.stdout.splitlines()]
    assert records and all(r["event"] == "ASSAULT" for r in records if r["cameo"][:2] == "19")

    folder = tmp_path / "parquet"
    result = subprocess.run([FLASHPOINT, "export", "--db", str(db), "--format", "parquet",
                             "-o", str(folder)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    import pyarrow.dataset as ds

    table = ds.dataset(folder / "events", format="parquet", partitioning="hive").to_table()
    assert table.num_rows == len(rows)
    assert {p.name for p in (folder / "events").iterdir()} == {"month=2024-03"}


def test_tone_is_negative_for_violence_and_positive_for_cooperation():
    from flashpoint.tone import document_tone

    bad = document_tone("The brutal attack was a horrible massacre of innocent civilians.")
    good = document_tone("The leaders praised the excellent agreement as a great success.")
    assert -100 <= bad < 0 < good <= 100


def test_events_carry_the_mean_tone_of_their_articles(tmp_path):
    db = tmp_path / "tone.duckdb"
    flashpoint.ingest(documents(KHARKIV), str(db))
    with duckdb.connect(str(db), read_only=True) as con:
        tones = con.execute("SELECT tone FROM documents").fetchall()
        event_tone = con.execute("SELECT avg_tone FROM events WHERE num_articles = 3"
                                 ).fetchall()[0][0]
    assert all(t[0] is not None for t in tones)
    assert event_tone == pytest.approx(sum(t[0] for t in tones) / 3)


def _corpus(path: Path, days: int = 20) -> Path:
    with path.open("w") as out:
        for day in range(1, days + 1):
            for n, city in enumerate(["Kharkiv", "Odesa", "Mariupol", "Kherson"]):
                out.write(json.dumps({
                    "id": f"f{day:02d}-{n}", "date": f"2024-02-{day:02d}",
                    "text": f"Russian troops shelled Ukrainian positions near {city} on day "
                            f"{day}. Ukraine condemned Russia for the attack on {city}, "
                            "officials in Kyiv said."}) + "\n")
    return path


def test_a_full_disk_stops_cleanly_and_nothing_stored_is_damaged(tmp_path):
    corpus = _corpus(tmp_path / "news.jsonl")
    clean, full = tmp_path / "clean.duckdb", tmp_path / "full.duckdb"
    command = [FLASHPOINT, "ingest", str(corpus), "--workers", "1", "--batch-size", "4"]
    subprocess.run(command + ["--db", str(clean)], check=True, capture_output=True,
                   timeout=300)

    def small_disk() -> None:  # files may not grow past 150 kB: the WAL fills up
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (150_000, 150_000))

    Store(full).close()  # the empty database exists before the disk "fills"
    result = subprocess.run(command + ["--db", str(full)], capture_output=True, text=True,
                            timeout=300, preexec_fn=small_disk)
    assert result.returncode == 2
    assert "full.duckdb" in result.stderr and "run again" in result.stderr
    stored = dump(full)["documents"]
    assert 0 < len(stored) < len(dump(clean)["documents"])
    subprocess.run(command + ["--db", str(full)], check=True, capture_output=True, timeout=300)
    assert dump(full) == dump(clean)


def test_an_unwritable_place_is_a_clear_error(tmp_path):
    corpus = _corpus(tmp_path / "news.jsonl", days=1)
    result = subprocess.run([FLASHPOINT, "ingest", str(corpus), "--db",
                             "/proc/flashpoint-test.duckdb"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "/proc/flashpoint-test.duckdb" in lines[0]


def test_bulk_regrouping_gives_the_same_events_as_ingest(tmp_path):
    db = tmp_path / "inc.duckdb"
    flashpoint.ingest(documents(KHARKIV + [ODESA]), str(db))
    before = dump(db)["events"]
    with Store(db) as store:
        assert store.regroup_all() == len(before)
    assert dump(db)["events"] == before


def test_one_mention_events_equal_what_the_aggregation_gives(tmp_path):
    """Events of a single mention are written by a shortcut; it must agree with the
    general aggregation in every column."""
    db = tmp_path / "fast.duckdb"
    flashpoint.ingest(documents(KHARKIV + [ODESA]), str(db))
    fast = dump(db)["events"]
    with Store(db) as store:
        singles = store.db.execute("SELECT count(*) FROM events WHERE num_mentions = 1"
                                   ).fetchall()[0][0]
        assert singles > 0
        store.single_fast_path = False
        store.regroup_all()
    assert dump(db)["events"] == fast


def test_copies_of_a_story_in_one_batch_keep_the_smaller_id_in_any_order(tmp_path):
    story = ("Israeli aircraft struck targets in southern Lebanon on Sunday after rockets "
             "were fired across the border, the army said, adding that Hezbollah positions "
             "near the town of Nabatieh had been hit. Lebanese officials condemned the "
             "strikes and said two civilians were wounded in the village of Kfar Kila.")
    copies = [{"id": "z9", "date": "2024-06-02", "text": story + " More raids followed."},
              {"id": "a1", "date": "2024-06-02", "text": story}]
    forward, backward = tmp_path / "f.duckdb", tmp_path / "b.duckdb"
    totals = [flashpoint.ingest(documents(copies), str(forward)),
              flashpoint.ingest(documents(list(reversed(copies))), str(backward))]
    assert dump(forward) == dump(backward)
    # the copy that lost counts as a duplicate whether it came first or second
    assert [t["duplicates"] for t in totals] == [1, 1]
    with duckdb.connect(str(forward), read_only=True) as con:
        assert con.execute("SELECT DISTINCT doc_id FROM mentions").fetchall() == [("a1",)]
