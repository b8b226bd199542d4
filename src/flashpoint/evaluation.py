"""Measured accuracy: score the coder on gold files and say what it got right and wrong.

Two gold formats are read:

* PETRARCH validation XML (``<Sentence date= id=>`` records with ``<EventCoding
  sourcecode= targetcode= eventcode=>`` lines and a ``<Text>``), such as the 78-sentence
  PETR2_GSR_validation.xml set of wire news.
* A seed folder with ``article.txt`` and ``expected.json`` (``must`` events, claims that
  must ``not_asserted``, passages with ``no_events``).

Scores are precision, recall and F1 over per-sentence multisets of tuples, at three
levels: (source country, target country, root code), (source country, target country,
full code), and (full source code, full target code, full code).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from flashpoint.model import Event

Key = tuple[str, str, str]

_SENTENCE = re.compile(r"<Sentence\b([^>]*)>(.*?)<Text>(.*?)</Text>", re.S)
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_CODING = re.compile(r"<EventCoding\b([^>]*)/?>")


@dataclass
class GoldRecord:
    id: str
    date: dt.date | None
    text: str
    events: list[tuple[str, str, str]]  # (source code, target code, event code)


def read_petrarch_xml(path: str | Path) -> list[GoldRecord]:
    """Records of a PETRARCH validation file (read with regular expressions: the files
    carry comment banners that are not well-formed XML)."""
    records = []
    for match in _SENTENCE.finditer(Path(path).read_text(encoding="utf-8")):
        attrs = dict(_ATTR.findall(match.group(1)))
        if attrs.get("evaluate", "true").lower() != "true":
            continue
        events = []
        for coding in _CODING.finditer(match.group(2)):
            c = dict(_ATTR.findall(coding.group(1)))
            if c.get("noevents", "").lower() == "true" or "eventcode" not in c:
                continue
            events.append((c.get("sourcecode", "---"), c.get("targetcode", "---"),
                           c["eventcode"]))
        raw_date = attrs.get("date", "")
        date = dt.datetime.strptime(raw_date, "%Y%m%d").date() if len(raw_date) == 8 else None
        text = " ".join(match.group(3).split())
        records.append(GoldRecord(attrs.get("id", str(len(records))), date, text, events))
    return records


def country(code: str | None) -> str:
    """The first three letters of an actor code ("IRQGOV" -> "IRQ"); "---" if none."""
    return (code or "---")[:3] or "---"


def keys(source: str, target: str, event_code: str, level: str) -> Key:
    if level == "root":
        return (country(source), country(target), event_code[:2])
    if level == "code":
        return (country(source), country(target), event_code)
    return (source or "---", target or "---", event_code)


def event_keys(event: Event, level: str) -> Key:
    return keys(event.source.code, event.target.code if event.target else "---",
                event.event_code, level)


@dataclass
class Score:
    tp: int = 0
    predicted: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.expected if self.expected else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 3), "recall": round(self.recall, 3),
                "f1": round(self.f1, 3), "tp": self.tp, "predicted": self.predicted,
                "expected": self.expected}


LEVELS = ("root", "code", "full")


@dataclass
class GoldReport:
    scores: dict[str, Score] = field(default_factory=lambda: {lv: Score() for lv in LEVELS})
    rows: list[dict] = field(default_factory=list)


def score_records(records: Iterable[GoldRecord],
                  code: Callable[[str, dt.date | None], list[Event]]) -> GoldReport:
    """Code each record's text with `code` and compare with its expected events."""
    report = GoldReport()
    for record in records:
        events = code(record.text, record.date)
        row = {"id": record.id, "expected": record.events,
               "predicted": sorted({(e.source.code, e.target.code if e.target else "---",
                                     e.event_code) for e in events})}
        for level in LEVELS:
            gold = Counter(keys(s, t, c, level) for s, t, c in record.events)
            # one prediction per distinct tuple: a sentence coded twice the same way
            # counts once, as in the gold files
            predicted = Counter(set(event_keys(e, level) for e in events))
            score = report.scores[level]
            score.tp += sum((gold & predicted).values())
            score.predicted += sum(predicted.values())
            score.expected += sum(gold.values())
        report.rows.append(row)
    return report


def _normal(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split())


@dataclass
class Expectation:
    kind: str
    item: dict
    met: bool
    detail: str


def check_seed(expected: dict, events: list[Event]) -> list[Expectation]:
    """Each expectation of a seed file's expected.json, met or missed, with the events
    that decided it."""
    results = []

    def about(quote: str) -> list[Event]:
        q = _normal(quote)
        return [e for e in events if q in _normal(e.sentence)]

    def describe(found: list[Event]) -> str:
        return "; ".join(f"{e.source.code} {e.event_code} {e.target.code if e.target else '-'}"
                         f" ({e.modality})" for e in found) or "no event in that sentence"

    for item in expected.get("must", []):
        candidates = about(item["quote"])
        hits = [
            e for e in candidates
            if e.root_code in item["roots"]
            and e.source.country == item["source"]
            and (item.get("target") is None or (e.target and e.target.country == item["target"]))
            and ("modality" not in item or e.modality in item["modality"])
        ]
        results.append(Expectation("must", item, bool(hits), describe(hits or candidates)))
    for item in expected.get("not_asserted", []):
        bad = [e for e in about(item["quote"])
               if e.source.country == item["source"] and e.root_code in item["roots"]
               and e.modality == "asserted"]
        results.append(Expectation("not_asserted", item, not bad,
                                   describe(bad) if bad else "no asserted event of that kind"))
    for passage in expected.get("no_events", []):
        found = about(passage)
        results.append(Expectation("no_events", {"quote": passage}, not found,
                                   describe(found) if found else "none"))
    return results


def load_seed(folder: str | Path) -> tuple[str, dict]:
    folder = Path(folder)
    return (folder / "article.txt").read_text(encoding="utf-8"), json.loads(
        (folder / "expected.json").read_text(encoding="utf-8"))


def run_evaluation(gsr: str | Path | None, seed: str | Path | None,
                   model: str | None = None, details: list[dict] | None = None) -> dict:
    """Score on a PETRARCH XML file and/or a seed folder; a JSON-ready summary.
    Per-record rows are appended to `details` when given."""
    from flashpoint.api import code_text

    summary: dict = {}
    if gsr is not None:
        started = time.perf_counter()
        report = score_records(read_petrarch_xml(gsr),
                               lambda text, day: code_text(text, day, model=model))
        summary["gsr"] = {level: s.as_dict() for level, s in report.scores.items()}
        summary["gsr"]["seconds"] = round(time.perf_counter() - started, 1)
        if details is not None:
            details.extend(report.rows)
    if seed is not None:
        text, expected = load_seed(seed)
        events = code_text(text, model=model, doc_id="seed")
        summary["seed"] = [{"kind": r.kind, "quote": r.item["quote"], "met": r.met,
                            "detail": r.detail} for r in check_seed(expected, events)]
    return summary


_LABELS = {"root": "(source country, target country, root code)",
           "code": "(source country, target country, full code)",
           "full": "(source code, target code, full code)"}


def format_summary(summary: dict) -> str:
    """The human-readable report printed by `flashpoint eval` and bench/evaluate.py."""
    lines = []
    if "gsr" in summary:
        lines.append("GSR validation set (per-sentence multisets):")
        for level, label in _LABELS.items():
            s = summary["gsr"][level]
            lines.append(f"  {label:48} P {s['precision']:.3f}  R {s['recall']:.3f}  "
                         f"F1 {s['f1']:.3f}  (tp {s['tp']}, predicted {s['predicted']}, "
                         f"expected {s['expected']})")
    if "seed" in summary:
        met = sum(r["met"] for r in summary["seed"])
        lines.append(f"Seed expectations: {met} of {len(summary['seed'])} met")
        for r in summary["seed"]:
            mark = "met   " if r["met"] else "MISSED"
            lines.append(f"  {mark} {r['kind']:13} {r['quote'][:60]!r}: {r['detail']}")
    return "\n".join(lines)
