"""The `flashpoint code` command run as a real subprocess, over good and bad inputs.

Each run loads the spaCy model (a few seconds), so the cases share a handful of runs:
the runs are module-scoped fixtures and several tests look at the same run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from flashpoint.ingest import stable_id
from flashpoint.model import MODALITIES

FLASHPOINT = Path(sys.executable).parent / "flashpoint"

# Written for these tests.
ARTICLE = (
    "Iran accused the United States of sabotage.\n"
    "\n"
    "Iran accused the United States of sabotage. The foreign ministry in Tehran said on "
    "Sunday that a fire at a power station had been set on purpose. Officials in Washington "
    "rejected the claim and said they had no part in the incident.\n"
)
JSONL_GOOD = {"id": "dock-1", "date": "2019-05-20",
              "title": "Israel attacked Hamas targets in Gaza",
              "text": "The Israeli army attacked Hamas positions in Gaza on Monday. Egypt "
                      "condemned the strikes and called for calm."}
FRENCH = (
    "Le gouvernement français a annoncé mardi une nouvelle série de mesures destinées à "
    "soutenir les agriculteurs touchés par la sécheresse. Selon le ministre, les aides seront "
    "versées avant la fin du mois, mais plusieurs syndicats estiment que ces montants restent "
    "très insuffisants face aux pertes subies cette année dans le sud du pays."
)
SIX_ARTICLES = [
    {"id": "w1", "text": "Iran accused the United States of sabotage. Washington denied it."},
    {"id": "w2", "text": "Russia threatened Ukraine with new sanctions on Tuesday."},
    {"id": "w3", "text": "The Israeli army attacked Hamas militants in Gaza. Egypt urged "
                         "both sides to stop the fighting."},
    {"id": "w4", "text": "China criticized Japan over its new defence budget."},
    {"id": "w5", "text": "India and Pakistan agreed to resume talks in Geneva next month."},
    {"id": "w6", "text": "Turkey arrested two Greek soldiers near the border, and Greece "
                         "demanded their release."},
]

EVENT_KEYS = {"doc_id", "sentence_index", "sentence", "event_code", "root_code", "quad_class",
              "goldstein", "source", "target", "plover", "modality", "attributed_to",
              "trigger", "date"}
ACTOR_KEYS = {"text", "code", "country", "role"}


def flashpoint(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(FLASHPOINT), *args], input=stdin, capture_output=True,
                          text=True, timeout=300)


def events_of(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def check_event(event: dict) -> None:
    assert set(event) >= EVENT_KEYS, EVENT_KEYS - set(event)
    assert isinstance(event["doc_id"], str) and event["doc_id"]
    assert isinstance(event["sentence_index"], int) and event["sentence_index"] >= 0
    assert isinstance(event["sentence"], str) and event["sentence"].strip()
    assert isinstance(event["event_code"], str) and event["event_code"].isdigit()
    assert event["root_code"] == event["event_code"][:2]
    assert event["quad_class"] in (0, 1, 2, 3, 4)
    assert isinstance(event["goldstein"], int | float) and -10 <= event["goldstein"] <= 10
    assert set(event["source"]) >= ACTOR_KEYS
    assert event["source"]["code"]
    assert event["target"] is None or set(event["target"]) >= ACTOR_KEYS
    assert event["attributed_to"] is None or set(event["attributed_to"]) >= ACTOR_KEYS
    assert set(event["plover"]) >= {"type", "mode"}
    assert event["modality"] in MODALITIES
    trigger = event["trigger"]
    assert {"text", "start", "end"} <= set(trigger)
    assert 0 <= trigger["start"] < trigger["end"]
    assert trigger["end"] - trigger["start"] == len(trigger["text"])
    assert trigger["text"] in event["sentence"]


# --- one run over a directory of good and bad inputs ------------------------------------

@pytest.fixture(scope="module")
def mixed_dir(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("mixed")
    paths = {
        "good": root / "good.txt",
        "jsonl": root / "feed" / "news.jsonl",
        "empty": root / "empty.txt",
        "binary": root / "feed" / "blob.txt",
        "french": root / "french.txt",
    }
    paths["jsonl"].parent.mkdir()
    paths["good"].write_text(ARTICLE, encoding="utf-8")
    paths["jsonl"].write_text(json.dumps(JSONL_GOOD) + "\n" + '{"id": "broken", "text": \n',
                              encoding="utf-8")
    paths["empty"].write_bytes(b"")
    paths["binary"].write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00")
    paths["french"].write_text(FRENCH, encoding="utf-8")
    (root / "ignored.pdf").write_bytes(b"%PDF-1.4\x00\x00")
    paths["root"] = root
    return paths


@pytest.fixture(scope="module")
def mixed_run(mixed_dir) -> subprocess.CompletedProcess[str]:
    return flashpoint("code", str(mixed_dir["root"]), "--date", "2019-05-20", "--workers", "1")


def test_bad_inputs_exit_1(mixed_run):
    assert mixed_run.returncode == 1, mixed_run.stderr
    assert "Traceback" not in mixed_run.stderr


def test_one_error_line_per_bad_input(mixed_run, mixed_dir):
    errors = [line for line in mixed_run.stderr.splitlines()
              if line.startswith("flashpoint: error:")]
    expected = {
        "jsonl": f"{mixed_dir['jsonl']}:2: ",
        "empty": f"{mixed_dir['empty']}: ",
        "binary": f"{mixed_dir['binary']}: ",
        "french": f"{mixed_dir['french']}: ",
    }
    assert len(errors) == len(expected), mixed_run.stderr
    for name, origin in expected.items():
        hits = [line for line in errors if line.startswith(f"flashpoint: error: {origin}")]
        assert len(hits) == 1, (name, errors)
    # nothing about the good inputs, nor the file with an unknown suffix
    assert f"{mixed_dir['good']}:" not in mixed_run.stderr
    assert f"{mixed_dir['jsonl']}:1:" not in mixed_run.stderr
    assert "ignored.pdf" not in mixed_run.stderr
    assert "English" in next(e for e in errors if "french.txt" in e)
    # and the summary counts them
    assert "4 input(s) failed; 2 article(s) coded" in mixed_run.stderr


def test_good_articles_still_coded(mixed_run):
    events = events_of(mixed_run.stdout)
    for event in events:
        check_event(event)
    article_id = stable_id(ARTICLE)
    assert {e["doc_id"] for e in events} <= {article_id, JSONL_GOOD["id"]}
    # a clearly eventful sentence gives at least one event (codes are not pinned down here)
    assert any(e["doc_id"] == article_id and e["sentence"].startswith("Iran accused")
               for e in events), mixed_run.stdout
    for event in events:
        assert event["date"] == "2019-05-20"  # --date for the .txt, "date" for the JSONL line
        if event["doc_id"] == article_id:
            trigger = event["trigger"]
            assert ARTICLE[trigger["start"]:trigger["end"]] == trigger["text"]
            assert event["sentence"] in ARTICLE
    # input order: the directory is read sorted, so feed/news.jsonl comes before good.txt
    order = [e["doc_id"] for e in events]
    assert order == sorted(order, key=lambda d: d != JSONL_GOOD["id"])


# --- output options and stdin -------------------------------------------------------------

@pytest.fixture(scope="module")
def tsv_run(tmp_path_factory) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path_factory.mktemp("tsv") / "events.tsv"
    return flashpoint("code", "-", "-o", str(out), "--format", "tsv", stdin=ARTICLE), out


def test_output_file_and_tsv_header_from_stdin(tsv_run, mixed_run):
    result, out = tsv_run
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    lines = out.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    assert header[:2] == ["doc_id", "sentence_index"]
    assert {"event_code", "source_code", "target_code", "sentence"} <= set(header)
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    # stdin gives the same document id as the same text in a file
    assert all(r["doc_id"] == stable_id(ARTICLE) for r in rows)
    # and the same events as the directory run coded from good.txt
    expected = [e for e in events_of(mixed_run.stdout) if e["doc_id"] == stable_id(ARTICLE)]
    assert [(r["sentence_index"], r["event_code"], r["source_code"]) for r in rows] == [
        (str(e["sentence_index"]), e["event_code"], e["source"]["code"]) for e in expected]


@pytest.fixture(scope="module")
def table_run(mixed_dir) -> subprocess.CompletedProcess[str]:
    return flashpoint("code", str(mixed_dir["good"]), "--format", "table")


def test_table_format(table_run, mixed_run):
    assert table_run.returncode == 0, table_run.stderr
    expected = [e for e in events_of(mixed_run.stdout) if e["doc_id"] == stable_id(ARTICLE)]
    assert f"{len(expected)} events" in table_run.stdout
    for event in expected:
        assert event["event_code"] in table_run.stdout
        assert event["source"]["code"] in table_run.stdout
    # not JSON Lines
    assert not table_run.stdout.lstrip().startswith("{")


def test_unknown_format_exits_2_with_one_line(mixed_dir):
    result = flashpoint("code", str(mixed_dir["good"]), "--format", "xml")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("flashpoint: error:")
    assert "--format" in lines[0] and "xml" in lines[0]


# --- worker processes ------------------------------------------------------------------

@pytest.fixture(scope="module")
def six_articles(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("workers") / "six.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in SIX_ARTICLES), encoding="utf-8")
    return path


def test_workers_give_the_same_events_in_the_same_order(six_articles):
    one = flashpoint("code", str(six_articles), "--workers", "1")
    two = flashpoint("code", str(six_articles), "--workers", "2")
    assert one.returncode == 0, one.stderr
    assert two.returncode == 0, two.stderr
    events_one, events_two = events_of(one.stdout), events_of(two.stdout)
    for event in events_one:
        check_event(event)
    assert events_one, one.stderr
    assert "w1" in {e["doc_id"] for e in events_one}
    assert events_one == events_two
    ids = [a["id"] for a in SIX_ARTICLES]
    order = [ids.index(e["doc_id"]) for e in events_one]
    assert order == sorted(order)
