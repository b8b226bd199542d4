"""`flashpoint eval`, `flashpoint info` and `--actors` as real subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FLASHPOINT = str(Path(sys.executable).parent / "flashpoint")

GOLD = """<Validation>
<Sentences>
<Sentence date="20190520" id="ONE" evaluate="true"/>
<EventCoding eventcode="112" sourcecode="IRN" targetcode="USA" />
<Text>
Iran accused the United States of sabotage.
</Text>
<Sentence date="20190520" id="TWO" evaluate="true"/>
<EventCoding noevents="True" />
<Text>
The weather was pleasant in the afternoon.
</Text>
<Sentence date="20190520" id="THREE" evaluate="true"/>
<EventCoding eventcode="163" sourcecode="CAN" targetcode="RUS" />
<Text>
Canada praised the museum.
</Text>
</Sentences>
</Validation>
"""


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([FLASHPOINT, *args], capture_output=True, text=True, timeout=300,
                          **kwargs)


def test_eval_scores_a_gold_file_and_a_seed_folder(tmp_path):
    gold = tmp_path / "gold.xml"
    gold.write_text(GOLD, encoding="utf-8")
    seed = tmp_path / "seed"
    seed.mkdir()
    (seed / "article.txt").write_text(
        "Tensions Rise\n\nIran accused the United States of sabotage.\n\n"
        "The author writes for a magazine.\n", encoding="utf-8")
    (seed / "expected.json").write_text(json.dumps({
        "must": [{"quote": "accused the United States", "roots": ["11"], "source": "IRN",
                  "target": "USA"}],
        "not_asserted": [],
        "no_events": ["The author writes for a magazine"],
    }), encoding="utf-8")
    result = run("eval", "--gsr", str(gold), "--seed", str(seed), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    root = summary["gsr"]["root"]
    # one of two expected events found; the third sentence codes something else
    assert root["expected"] == 2 and root["tp"] == 1
    assert 0 < root["precision"] <= 1 and root["recall"] == 0.5
    assert [r["met"] for r in summary["seed"]] == [True, True]

    # a missed seed expectation makes the exit code 1
    (seed / "expected.json").write_text(json.dumps({
        "must": [{"quote": "accused the United States", "roots": ["19"], "source": "IRN"}]}),
        encoding="utf-8")
    result = run("eval", "--seed", str(seed))
    assert result.returncode == 1
    assert "MISSED" in result.stdout

    result = run("eval")
    assert result.returncode == 2 and "give --gsr" in result.stderr


def test_info_reports_coverage():
    result = run("info")
    assert result.returncode == 0, result.stderr
    assert "CAMEO leaf codes covered" in result.stdout
    assert "roots: 20 of 20" in result.stdout


def test_user_actor_dictionary_on_the_command_line(tmp_path):
    actors = tmp_path / "mine.tsv"
    actors.write_text("phrase\tcode\tfrom\tuntil\tnote\nGondor\tGON\t\t\t\nMordor\tMOR\t\t\t\n",
                      encoding="utf-8")
    result = run("code", "-", "--actors", str(actors), input="Gondor accused Mordor of lying.")
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert any(e["source"]["code"] == "GON" and e["target"]["code"] == "MOR" for e in events)

    bad = tmp_path / "bad.tsv"
    bad.write_text("phrase\tcode\nGondor\tgon\n", encoding="utf-8")
    result = run("code", "-", "--actors", str(bad), input="Gondor accused Mordor.")
    assert result.returncode == 2
    assert "bad.tsv:2" in result.stderr and len(result.stderr.strip().splitlines()) == 1
