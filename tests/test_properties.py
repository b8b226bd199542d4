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
