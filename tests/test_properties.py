"""Properties that hold for any input (hypothesis)."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashpoint.ingest import read_inputs
from flashpoint.model import Document, InputError

ACTORS = ["Iran", "the United States", "Iraqi militias", "The Kremlin", "Saudi officials",
          "the Houthis", "NATO", "Israeli troops", "Turkey", "the Pentagon"]
ACTIONS = ["accused", "attacked", "condemned", "met with", "threatened", "praised",
           "imposed sanctions on", "did not attack", "could attack", "said it would help"]


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(["auto", "txt", "jsonl", "html"]))
def test_readers_never_raise_on_any_bytes(data, fmt):
    items = list(read_inputs(["-"], fmt=fmt, stdin=io.BytesIO(data)))
    assert all(isinstance(i, Document | InputError) for i in items)
    assert all(i.origin.startswith("<stdin>") for i in items)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(ACTORS), st.sampled_from(ACTIONS),
                          st.sampled_from(ACTORS)), min_size=1, max_size=4),
       st.sampled_from([" ", "\n\n"]))
def test_offsets_always_point_at_the_words(code, clauses, joiner):
    text = joiner.join(f"{a} {v} {b}." for a, v, b in clauses)
    for event in code(text):
        assert text[event.trigger.start:event.trigger.end] == event.trigger.text
        assert text[event.source.start:event.source.end] == event.source.text
        if event.target is not None:
            assert text[event.target.start:event.target.end] == event.target.text
        assert event.sentence in text
        assert event.modality in ("asserted", "alleged", "negated", "hypothetical")
        assert event.event_code.startswith(event.root_code)


def _mention(i: int, key: int, day: int | None, doc: int, role: str | None,
             city: str | None) -> dict:
    import datetime as dt

    source, target = ("IRN", "USA") if key == 0 else ("RUS", "UKR")
    return {
        "mention_id": f"m{i:03d}", "doc_id": f"d{doc}", "sentence_index": 0, "sentence": "",
        "date": None if day is None else dt.date(2024, 5, 1) + dt.timedelta(days=day),
        "event_code": "190", "root_code": "19", "quad_class": 4, "goldstein": -10.0,
        "source_code": source + (role or ""), "source_country": source, "source_role": role,
        "source_text": source, "source_start": 0, "target_code": target,
        "target_country": target, "target_role": None, "target_text": target,
        "target_start": 5, "modality": "asserted", "attributed_to": None,
        "trigger_text": "attacked", "trigger_start": 3, "plover_type": "ASSAULT",
        "plover_mode": None, "doc_tone": -5.0, "location_name": city,
        "location_country": "UKR" if city else None, "latitude": 50.0 if city else None,
        "longitude": 30.0 if city else None, "location_precision": "city" if city else None,
        "event_id": None,
    }


MENTIONS = st.lists(st.tuples(st.integers(0, 1), st.one_of(st.none(), st.integers(0, 12)),
                              st.integers(0, 3), st.sampled_from([None, "GOV", "MIL"]),
                              st.sampled_from([None, "Kyiv", "Lviv"])),
                    min_size=1, max_size=30)


@settings(max_examples=40, deadline=None)
@given(MENTIONS, st.randoms(use_true_random=False))
def test_regrouping_late_batches_equals_grouping_everything_at_once(specs, rnd):
    """The store regroups only the tail of each key that a batch touches; in any order
    and any split into batches, that must equal grouping all mentions in one go."""
    from flashpoint.store import Store
    from flashpoint.store.grouping import group

    rows = [_mention(i, *spec) for i, spec in enumerate(specs)]
    with Store(":memory:") as whole:
        whole.add_mentions(rows)
        whole.regroup_all()
        expected = sorted(whole.db.execute(
            "SELECT list(mention_id ORDER BY mention_id) FROM mentions GROUP BY event_id"
        ).fetchall())
    shuffled = rows[:]
    rnd.shuffle(shuffled)
    cuts = sorted(rnd.sample(range(1, len(rows)), min(3, len(rows) - 1))) if len(rows) > 1 \
        else []
    with Store(":memory:") as late:
        for start, end in zip([0, *cuts], [*cuts, len(rows)], strict=True):
            late.add_mentions([dict(r) for r in shuffled[start:end]], regroup=True)
        got = sorted(late.db.execute(
            "SELECT list(mention_id ORDER BY mention_id) FROM mentions GROUP BY event_id"
        ).fetchall())
        assert late.counts()["events"] == len(got)
    assert got == expected
    pure = sorted((sorted(m["mention_id"] for m in g),) for g in group(rows))
    assert [(list(g),) for (g,) in pure] == expected
