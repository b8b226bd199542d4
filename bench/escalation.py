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
  away from its planted dates; reported per 10 pair-years;
- an escalation is `detectable` when its first 7 days hold significantly more conflict
  events than the pair's calm days predict (one-sided Poisson test, p < 0.01): one whose
  first week looks like chance cannot be found in time without false alarms.

`--seeds` runs several corpora (a database each, named after the seed) and scores them
together. The last line printed is one JSON object. Needs no ../shared data.

    .venv/bin/python bench/escalation.py                       # 30 pairs x 540 days
    .venv/bin/python bench/escalation.py --dyads 12 --days 365 --seed 7 --db /tmp/e.duckdb
    .venv/bin/python bench/escalation.py --seeds 20261125,1,2,3,4,5 --db /tmp/six/e.duckdb
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import flashpoint
from flashpoint.model import Document
from flashpoint.monitor import watch
from flashpoint.monitor.alerts import PENALTY
from flashpoint.monitor.series import pair_series
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
#: days after the planted date within which an alert must start
LATE = 7
#: a planted escalation is "detectable" when its first LATE days hold significantly more
#: conflict than the pair's calm days predict (one-sided Poisson test at this level)
DETECTABLE_P = 0.01


@dataclass
class Outcome:
    """What became of one planted escalation."""

    dyad: str
    date: dt.date
    size: float
    delay: int | None  # alert start minus planted date; None when not detected
    strict: bool  # an alert starts on the planted date or after it, within LATE days
    first_week: int  # conflict events (QuadClass 3 and 4) in its first LATE days
    expected: float  # the same count the pair's calm days predict
    p_value: float  # P(at least first_week | Poisson(expected))

    @property
    def detectable(self) -> bool:
        return self.p_value < DETECTABLE_P


@dataclass
class Score:
    """One corpus' result: outcomes of planted escalations, and alerts that match none."""

    outcomes: list[Outcome]
    quiet_alarms: int  # alerts on calm and noisy pairs
    misplaced: int  # alerts on escalating pairs away from every planted date
    dyad_years: float


def poisson_tail(k: int, mean: float) -> float:
    """P(X >= k) for X ~ Poisson(mean), summed upwards from k (accurate for tiny tails)."""
    if k <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    term = math.exp(k * math.log(mean) - mean - math.lgamma(k + 1))
    total, i = 0.0, k
    while term > 1e-18 * total or i < mean:
        total += term
        i += 1
        term *= mean / i
    return min(total, 1.0)


def first_week(conflict: np.ndarray, day: int, planted: list[int]) -> tuple[int, float, float]:
    """Conflict events in the LATE days from `day`, the count the pair's calm days (all but
    the 60 days from each planted date) predict, and the one-sided Poisson p-value."""
    calm = np.ones(len(conflict), dtype=bool)
    for start in planted:
        calm[start:start + 60] = False
    expected = float(conflict[calm].mean()) * LATE if calm.any() else 0.0
    seen = int(conflict[day:day + LATE].sum())
    return seen, expected, poisson_tail(seen, expected)


def score(dyads: list[Dyad], alerts: list, days: int,
          conflict: dict[str, np.ndarray]) -> Score:
    """Detections from EARLY days before to LATE days after a planted date; every other
    alert is false: on a calm or noisy pair (`quiet_alarms`) or misplaced on an
    escalating pair. `conflict` holds each pair's daily conflict counts from day 0."""
    by_dyad: dict[str, list] = {}
    for alert in alerts:
        by_dyad.setdefault(alert.dyad, []).append(alert)
    outcomes, quiet, misplaced = [], 0, 0
    for dyad in dyads:
        mine = by_dyad.pop(dyad.code, [])
        matched = set()
        for day, size in zip(dyad.planted, dyad.strength, strict=True):
            date = START + dt.timedelta(days=day)
            hits = [a for a in mine if -EARLY <= (a.start - date).days <= LATE]
            matched.update(id(a) for a in hits)
            delay = min(((a.start - date).days for a in hits), key=abs) if hits else None
            seen, expected, p_value = first_week(
                conflict.get(dyad.code, np.zeros(days)), day, dyad.planted)
            outcomes.append(Outcome(dyad.code, date, size, delay,
                                    any((a.start - date).days >= 0 for a in hits),
                                    seen, expected, p_value))
        unmatched = sum(1 for a in mine if id(a) not in matched)
        if dyad.kind == "escalating":
            misplaced += unmatched
        else:
            quiet += unmatched
    quiet += sum(len(v) for v in by_dyad.values())  # pairs the corpus never made
    return Score(outcomes, quiet, misplaced, len(dyads) * days / 365.25)


SIZES = (("0.4-0.6", 0.4, 0.6), ("0.6-0.9", 0.6, 0.9), ("0.9-1.2", 0.9, 1.21))


def summary(scores: list[Score]) -> dict:
    """The benchmark's JSON result over one corpus or several."""
    outcomes = [o for s in scores for o in s.outcomes]
    found = [o for o in outcomes if o.delay is not None]
    detectable = [o for o in outcomes if o.detectable]
    false_alarms = sum(s.quiet_alarms + s.misplaced for s in scores)
    years = sum(s.dyad_years for s in scores)
    return {
        "planted": len(outcomes), "detected_within_7_days": len(found),
        "median_delay_days": statistics.median(o.delay for o in found) if found else None,
        "false_alarms_per_10_dyad_years": round(10 * false_alarms / years, 3),
        "false_alarms": false_alarms,
        "false_alarms_on_quiet_pairs": sum(s.quiet_alarms for s in scores),
        "misplaced_alerts": sum(s.misplaced for s in scores),
        "dyad_years": round(years, 2), "detected_strict": sum(o.strict for o in outcomes),
        "detectable": len(detectable),
        "detected_of_detectable": sum(o.delay is not None for o in detectable),
        "detected_by_size": {
            name: f"{sum(o.delay is not None for o in outcomes if low <= o.size < high)}/"
                  f"{sum(low <= o.size < high for o in outcomes)}"
            for name, low, high in SIZES},
    }


def run(seed: int, args: argparse.Namespace, db: Path,
        templates: dict[str, list[tuple[str, str]]]) -> tuple[Score, int, int]:
    """Generate, code, store and scan one corpus; print its details; return its score
    with the numbers of articles and events."""
    rng = np.random.default_rng(seed)
    dyads = make_dyads(args.dyads, args.days, rng)
    problems = check_templates(templates, dyads)
    for problem in problems:
        print(f"template check: {problem}", file=sys.stderr)
    if problems:
        raise SystemExit(f"{len(problems)} template sentence(s) not coded as intended")
    print(f"seed {seed}: {sum(map(len, templates.values()))} templates coded as intended with "
          f"each of the {len(dyads)} pairs, both ways round")
    documents = corpus(dyads, args.days, templates, rng)
    words = sum(len(d.text.split()) for d in documents)
    kinds = {k: sum(d.kind == k for d in dyads) for k in ("escalating", "calm", "noisy")}
    print(f"corpus: {len(documents)} articles, {words} words, {args.dyads} pairs "
          f"({kinds}), {args.days} days from {START}")

    db.parent.mkdir(parents=True, exist_ok=True)
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    t0 = time.perf_counter()
    totals = flashpoint.ingest(documents, str(db), workers=args.workers, batch_size=256)
    ingest_s = time.perf_counter() - t0
    with Store(db, read_only=True) as store:
        counts = store.counts()
        print(f"ingest: {totals['documents']} articles, {totals['mentions']} mentions, "
              f"{counts['events']} events in {ingest_s:.0f} s ({words / ingest_s:,.0f} words/s)"
              f" -> {db}")
        t0 = time.perf_counter()
        alerts = watch(store, freq="day", penalty=args.penalty)
        watch_s = time.perf_counter() - t0
        end = START + dt.timedelta(days=args.days - 1)
        frames = pair_series(store, [d.code for d in dyads], freq="day", since=START,
                             until=end)
    conflict = {code: (f["q3"] + f["q4"]).to_numpy(dtype=float) for code, f in frames.items()}
    print(f"watch: {len(alerts)} alerts over {args.dyads} pairs in {watch_s:.1f} s")
    kind_of = {d.code: d.kind for d in dyads}
    planted_of = {d.code: [str(START + dt.timedelta(days=p)) for p in d.planted] for d in dyads}
    for alert in sorted(alerts, key=lambda a: (a.dyad, a.start)):
        print(f"  {alert.dyad} ({kind_of.get(alert.dyad, '?')}, planted "
              f"{planted_of.get(alert.dyad) or '-'}): {alert.start} to {alert.end} "
              f"{alert.severity} score {alert.score} {alert.before}->{alert.after} "
              f"index {alert.index}")
    result = score(dyads, alerts, args.days, conflict)
    for o in result.outcomes:
        found = "MISSED" if o.delay is None else f"found, delay {o.delay:+d} days"
        print(f"  planted {o.dyad} {o.date} size {o.size:.2f}: {found}; first {LATE} days "
              f"{o.first_week} conflict events against {o.expected:.1f} expected "
              f"(p={o.p_value:.2g}{'' if o.detectable else ', not detectable'})")
    return result, len(documents), counts["events"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--seeds", type=str, default=None,
                        help="several corpora, e.g. 20261125,1,2,3,4,5: one result over all "
                             "of them (databases named after the seed next to --db)")
    parser.add_argument("--dyads", type=int, default=30, help="country pairs (at most 30)")
    parser.add_argument("--days", type=int, default=540, help="days of news")
    parser.add_argument("--db", type=Path, default=HERE / "out" / "escalation.duckdb",
                        help="database to write (replaced); kept for reports")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--penalty", type=float, default=PENALTY,
                        help=f"the detector's penalty (default {PENALTY}, as `watch`)")
    args = parser.parse_args()
    try:
        seeds = [int(s) for s in args.seeds.split(",")] if args.seeds else [args.seed]
    except ValueError:
        parser.error(f"--seeds {args.seeds!r}: expected integers separated by commas")
    templates = read_templates()

    started = time.perf_counter()
    scores, articles, events = [], 0, 0
    for seed in seeds:
        db = args.db if len(seeds) == 1 else args.db.with_name(
            f"{args.db.stem}-{seed}{args.db.suffix}")
        result, n_articles, n_events = run(seed, args, db, templates)
        scores.append(result)
        articles += n_articles
        events += n_events
        if len(seeds) > 1:
            print(f"seed {seed}: {json.dumps(summary([result]))}")
    outcome = summary(scores)
    outcome.update({"seeds": len(seeds), "articles": articles, "events": events,
                    "seconds": round(time.perf_counter() - started, 1)})
    print(json.dumps(outcome))


if __name__ == "__main__":
    main()
