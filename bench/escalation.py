"""Escalation benchmark: are planted escalations found, and how often does it cry wolf?

Writes a dated synthetic news corpus from the sentence templates in
bench/data/escalation_templates.tsv about pairs of countries. A third of the pairs
escalate at known dates (conflict sentences ramp up over a few days, hold for weeks, then
fade; two escalations per 540 days, of sizes from mild to severe), a third stay calm, a
third are noisy (the day's amount of news varies a lot, with frequent verbal conflict)
without a trend. Every pair has one-day incidents (about one every 45 days) and less
news at weekends. The texts go through the real coder and the
real store (`flashpoint.ingest`, two workers), then `flashpoint.monitor.watch` scans every
pair. Scoring:

- a planted escalation is detected when an alert on its pair starts from 2 days before
  its date up to 7 days after it (the delay is the alert's start minus the planted date;
  a change point is an estimate, and news on the eve of an escalation can pull it a day
  or two early, as change-point benchmarks allow with a margin); `detected_strict`
  counts only alerts on the date or after it;
- a false alarm is any other alert: on a calm or noisy pair, or on an escalating pair
  away from its planted dates; reported per 10 pair-years.

The last line printed is one JSON object. Needs no ../shared data.

    .venv/bin/python bench/escalation.py                       # 30 pairs x 540 days
    .venv/bin/python bench/escalation.py --dyads 12 --days 365 --seed 7 --db /tmp/e.duckdb
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import flashpoint
from flashpoint.model import Document
from flashpoint.monitor import watch
from flashpoint.store import Store

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "data" / "escalation_templates.tsv"
START = dt.date(2024, 1, 1)
#: names the coder resolves to these country codes (checked at start-up)
COUNTRIES = [
    ("Norway", "NOR"), ("Chile", "CHL"), ("Ethiopia", "ETH"), ("Kenya", "KEN"),
    ("India", "IND"), ("Pakistan", "PAK"), ("Brazil", "BRA"), ("Argentina", "ARG"),
    ("Sweden", "SWE"), ("Finland", "FIN"), ("Egypt", "EGY"), ("Sudan", "SDN"),
    ("Peru", "PER"), ("Colombia", "COL"), ("Japan", "JPN"), ("Vietnam", "VNM"),
    ("Greece", "GRC"), ("Turkey", "TUR"), ("Morocco", "MAR"), ("Algeria", "DZA"),
    ("Nigeria", "NGA"), ("Ghana", "GHA"), ("Thailand", "THA"), ("Cambodia", "KHM"),
    ("Poland", "POL"), ("Belarus", "BLR"), ("Armenia", "ARM"), ("Azerbaijan", "AZE"),
    ("Serbia", "SRB"), ("Croatia", "HRV"), ("Indonesia", "IDN"), ("Malaysia", "MYS"),
    ("Bolivia", "BOL"), ("Paraguay", "PRY"), ("Uganda", "UGA"), ("Rwanda", "RWA"),
    ("Tunisia", "TUN"), ("Libya", "LBY"), ("Portugal", "PRT"), ("Spain", "ESP"),
    ("Canada", "CAN"), ("Mexico", "MEX"), ("Bangladesh", "BGD"), ("Myanmar", "MMR"),
    ("Hungary", "HUN"), ("Romania", "ROU"), ("Senegal", "SEN"), ("Mali", "MLI"),
    ("Iran", "IRN"), ("Iraq", "IRQ"), ("Israel", "ISR"), ("Lebanon", "LBN"),
    ("Russia", "RUS"), ("Ukraine", "UKR"), ("China", "CHN"), ("Philippines", "PHL"),
    ("Australia", "AUS"), ("New Zealand", "NZL"), ("Ecuador", "ECU"), ("Venezuela", "VEN"),
]
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TOPICS = ("fishing rights", "water sharing", "border trade", "energy supplies",
          "rail links", "customs rules", "refugee returns", "visa rules", "grain exports",
          "a new pipeline", "river shipping", "power lines", "student exchanges",
          "mining permits", "air links", "port fees")
OUTLETS = tuple(f"Outlet {letter}" for letter in "ABCDEFGHIJ")


@dataclass
class Dyad:
    """A pair of countries and how its news is generated."""

    a: tuple[str, str]
    b: tuple[str, str]
    kind: str  # escalating, calm or noisy
    rates: dict[str, float]  # articles per day by template kind, at baseline
    planted: list[int] = field(default_factory=list)  # day numbers of escalations
    strength: list[float] = field(default_factory=list)  # size of each escalation
    incidents: set[int] = field(default_factory=set)  # one-day flare-ups, not escalations

    @property
    def code(self) -> str:
        return "-".join(sorted((self.a[1], self.b[1])))


def read_templates(path: Path = TEMPLATES) -> dict[str, list[tuple[str, str]]]:
    """kind -> [(expected root, template)]."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    out: dict[str, list[tuple[str, str]]] = {}
    for row in csv.DictReader(lines, delimiter="\t"):
        out.setdefault(row["kind"], []).append((row["root"], row["template"]))
    return out


def check_templates(templates: dict[str, list[tuple[str, str]]],
                    dyads: list[Dyad]) -> list[str]:
    """Code every template with every pair, both ways round: each event sentence must
    give its root between the pair, each filler no event at all."""
    from flashpoint.api import code_documents

    cases, documents = [], []
    for dyad in dyads:
        for a, b in ((dyad.a, dyad.b), (dyad.b, dyad.a)):
            for rows in templates.values():
                for root, template in rows:
                    text = fill(template, a[0], b[0], np.random.default_rng(len(cases)))
                    cases.append((root, text, {a[1], b[1]}))
                    documents.append(Document(id=f"check-{len(documents)}", text=text,
                                              date=START))
    problems = []
    for (root, text, codes), (_, events) in zip(cases, code_documents(documents),
                                                strict=True):
        # events aimed at no country ("killing 26 people": civilians) touch no pair
        dyadic = [e for e in events if e.target is not None and e.target.country is not None]
        if not root:
            if events:
                problems.append(f"filler coded as an event: {text}")
            continue
        if not dyadic or not all(e.root_code == root and {e.source.country, e.target.country}
                                 <= codes for e in dyadic):
            problems.append(f"{text!r}: expected root {root} between {sorted(codes)}, got "
                            f"{[(e.source.code, e.event_code, e.target.code) for e in dyadic]}")
    return problems


def fill(template: str, a: str, b: str, rng: np.random.Generator) -> str:
    return template.format(A=a, B=b, DAY=WEEKDAYS[int(rng.integers(7))],
                           N=int(rng.integers(2, 40)), TOPIC=TOPICS[int(rng.integers(len(TOPICS)))])


def make_dyads(count: int, days: int, rng: np.random.Generator) -> list[Dyad]:
    """Disjoint country pairs: a third escalating, a third calm, a third noisy. Every
    pair also has one-day incidents (a clash, a seizure) about every 45 days: news that
    is not an escalation."""
    if count * 2 > len(COUNTRIES):
        raise SystemExit(f"--dyads {count}: at most {len(COUNTRIES) // 2} disjoint pairs")
    order = rng.permutation(len(COUNTRIES))
    dyads = []
    for i in range(count):
        a, b = COUNTRIES[order[2 * i]], COUNTRIES[order[2 * i + 1]]
        kind = ("escalating", "calm", "noisy")[i % 3]
        if kind == "noisy":
            rates = {"calm": rng.uniform(0.8, 1.6), "tension": rng.uniform(0.25, 0.5),
                     "violence": rng.uniform(0.03, 0.08)}
        else:
            rates = {"calm": rng.uniform(0.5, 1.2), "tension": rng.uniform(0.04, 0.15),
                     "violence": rng.uniform(0.0, 0.03)}
        dyad = Dyad(a, b, kind, rates)
        dyad.incidents = {int(d) for d in np.flatnonzero(rng.random(days) < 1 / 45)}
        if kind == "escalating":
            # one escalation per 250 days, starting at least 60 days after the previous
            # one has faded and 60 days from the ends; sizes from mild to severe
            slots = max(1, days // 250)
            width = (days - 60) // slots
            dyad.planted = [60 + s * width + int(rng.integers(0, max(1, width - 120)))
                            for s in range(slots)]
            dyad.strength = [float(rng.uniform(0.4, 1.2)) for _ in dyad.planted]
        dyads.append(dyad)
    return dyads


def day_rates(dyad: Dyad, day: int, rng: np.random.Generator) -> dict[str, float]:
    """Expected articles of each kind on `day`: less news at weekends, an incident's
    one-day flare-up, a noisy pair's big day-to-day swings, an escalation's ramp (4 days),
    hold (30 days) and fade (20 days)."""
    weekend = 0.6 if (START + dt.timedelta(days=day)).weekday() >= 5 else 1.0
    rates = {k: v * weekend for k, v in dyad.rates.items()}
    if day in dyad.incidents:
        rates["violence"] += float(rng.uniform(1.0, 3.0))
    if dyad.kind == "noisy":  # overdispersed news volume: no trend, big day-to-day swings
        factor = rng.gamma(0.6, 1 / 0.6)
        return {k: v * factor for k, v in rates.items()}
    for planted, strength in zip(dyad.planted, dyad.strength, strict=True):
        since = day - planted
        if since < 0:
            continue
        ramp, hold, fade = 4, 30, 20
        if since < ramp:
            level = (since + 1) / ramp
        elif since < ramp + hold:
            level = 1.0
        elif since < ramp + hold + fade:
            level = 1.0 - (since - ramp - hold) / fade
        else:
            continue
        level *= strength
        rates["tension"] += level * 1.2
        rates["violence"] += level * 1.5
        rates["calm"] *= 1.0 - 0.4 * level
    return rates


def corpus(dyads: list[Dyad], days: int, templates: dict[str, list[tuple[str, str]]],
           rng: np.random.Generator, per_article: int = 8) -> list[Document]:
    """Each day, each outlet publishes news briefs: up to `per_article` event sentences
    (from any pairs) and a context sentence per article. Some events are reported by
    several outlets, with their own wording around them. (Briefs rather than one article
    per event keep the number of documents, and so the run time, down.)"""
    documents: list[Document] = []
    fillers = [t for _, t in templates["filler"]]
    for day in range(days):
        date = START + dt.timedelta(days=day)
        desk: dict[int, list[str]] = {}
        for dyad in dyads:
            for kind, rate in day_rates(dyad, day, rng).items():
                for _ in range(int(rng.poisson(rate))):
                    root, template = templates[kind][int(rng.integers(len(templates[kind])))]
                    a, b = (dyad.a, dyad.b) if rng.random() < 0.5 else (dyad.b, dyad.a)
                    sentence = fill(template, a[0], b[0], rng)
                    for outlet in rng.choice(len(OUTLETS), 1 + int(rng.binomial(2, 0.25)),
                                             replace=False):
                        desk.setdefault(int(outlet), []).append(sentence)
        for outlet, sentences in sorted(desk.items()):
            order = rng.permutation(len(sentences))
            for k in range(0, len(sentences), per_article):
                brief = [sentences[int(i)] for i in order[k:k + per_article]]
                context = fill(fillers[int(rng.integers(len(fillers)))], "", "", rng)
                brief.insert(int(rng.integers(len(brief) + 1)), context)
                documents.append(Document(
                    id=f"{date.isoformat()}-{OUTLETS[outlet][-1]}{k // per_article}",
                    text=" ".join(brief), date=date, source=OUTLETS[outlet]))
    return documents


#: an alert may start this many days before the planted date and still count
EARLY = 2


def score(dyads: list[Dyad], alerts: list, days: int) -> dict:
    """Detections from 2 days before to 7 days after a planted date, and every other
    alert as false."""
    by_dyad: dict[str, list] = {}
    for alert in alerts:
        by_dyad.setdefault(alert.dyad, []).append(alert)
    planted, delays, false_alarms, strict = 0, [], 0, 0
    for dyad in dyads:
        mine = by_dyad.pop(dyad.code, [])
        matched = set()
        for day in dyad.planted:
            planted += 1
            date = START + dt.timedelta(days=day)
            hits = [a for a in mine if -EARLY <= (a.start - date).days <= 7]
            if hits:
                delays.append(min(((a.start - date).days for a in hits), key=abs))
                matched.update(id(a) for a in hits)
                strict += any((a.start - date).days >= 0 for a in hits)
        false_alarms += sum(1 for a in mine if id(a) not in matched)
    false_alarms += sum(len(v) for v in by_dyad.values())  # pairs the corpus never made
    years = len(dyads) * days / 365.25
    return {"planted": planted, "detected_within_7_days": len(delays),
            "median_delay_days": statistics.median(delays) if delays else None,
            "false_alarms_per_10_dyad_years": round(10 * false_alarms / years, 3),
            "false_alarms": false_alarms, "dyad_years": round(years, 2),
            "detected_strict": strict}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--dyads", type=int, default=30, help="country pairs (at most 30)")
    parser.add_argument("--days", type=int, default=540, help="days of news")
    parser.add_argument("--db", type=Path, default=HERE / "out" / "escalation.duckdb",
                        help="database to write (replaced); kept for reports")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    templates = read_templates()

    started = time.perf_counter()
    dyads = make_dyads(args.dyads, args.days, rng)
    problems = check_templates(templates, dyads)
    for problem in problems:
        print(f"template check: {problem}", file=sys.stderr)
    if problems:
        raise SystemExit(f"{len(problems)} template sentence(s) not coded as intended")
    print(f"templates: {sum(map(len, templates.values()))} templates coded as intended with "
          f"each of the {len(dyads)} pairs, both ways round")
    documents = corpus(dyads, args.days, templates, rng)
    words = sum(len(d.text.split()) for d in documents)
    kinds = {k: sum(d.kind == k for d in dyads) for k in ("escalating", "calm", "noisy")}
    print(f"corpus: {len(documents)} articles, {words} words, {args.dyads} pairs "
          f"({kinds}), {args.days} days from {START}")

    args.db.parent.mkdir(parents=True, exist_ok=True)
    for stale in (args.db, args.db.with_name(args.db.name + ".wal")):
        stale.unlink(missing_ok=True)
    t0 = time.perf_counter()
    totals = flashpoint.ingest(documents, str(args.db), workers=args.workers, batch_size=256)
    ingest_s = time.perf_counter() - t0
    with Store(args.db, read_only=True) as store:
        counts = store.counts()
        print(f"ingest: {totals['documents']} articles, {totals['mentions']} mentions, "
              f"{counts['events']} events in {ingest_s:.0f} s ({words / ingest_s:,.0f} words/s)"
              f" -> {args.db}")
        t0 = time.perf_counter()
        alerts = watch(store, freq="day")
        watch_s = time.perf_counter() - t0
    print(f"watch: {len(alerts)} alerts over {args.dyads} pairs in {watch_s:.1f} s")
    kind_of = {d.code: d.kind for d in dyads}
    planted_of = {d.code: [str(START + dt.timedelta(days=p)) for p in d.planted] for d in dyads}
    for alert in sorted(alerts, key=lambda a: (a.dyad, a.start)):
        print(f"  {alert.dyad} ({kind_of.get(alert.dyad, '?')}, planted "
              f"{planted_of.get(alert.dyad) or '-'}): {alert.start} to {alert.end} "
              f"{alert.severity} score {alert.score} {alert.before}->{alert.after} "
              f"index {alert.index}")
    by_size: dict[str, list[int]] = {"0.4-0.6": [0, 0], "0.6-0.9": [0, 0], "0.9-1.2": [0, 0]}
    for dyad in dyads:
        for day, strength in zip(dyad.planted, dyad.strength, strict=True):
            date = START + dt.timedelta(days=day)
            hit = [a for a in alerts
                   if a.dyad == dyad.code and -EARLY <= (a.start - date).days <= 7]
            print(f"  planted {dyad.code} {date} size {strength:.2f}: "
                  + (f"found {hit[0].start} ({hit[0].severity})" if hit else "MISSED"))
            bucket = by_size["0.4-0.6" if strength < 0.6 else "0.6-0.9" if strength < 0.9
                             else "0.9-1.2"]
            bucket[0] += bool(hit)
            bucket[1] += 1
    result = score(dyads, alerts, args.days)
    result["detected_by_size"] = {k: f"{found}/{total}" for k, (found, total) in by_size.items()}
    result.update({"articles": len(documents), "events": counts["events"],
                   "seconds": round(time.perf_counter() - started, 1)})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
