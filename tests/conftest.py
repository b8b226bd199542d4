"""Shared fixtures: one real coder (real spaCy model, real dictionaries) per test session."""

from __future__ import annotations

import datetime as dt

import pytest

from flashpoint.api import code_text, get_coder
from flashpoint.model import Event


@pytest.fixture(scope="session")
def coder():
    return get_coder()


@pytest.fixture(scope="session")
def code():
    """Code a text; returns its events."""

    def run(text: str, date: str | None = None) -> list[Event]:
        return code_text(text, dt.date.fromisoformat(date) if date else None)

    return run


def triples(events: list[Event]) -> set[tuple[str, str, str | None]]:
    """(source code, event code, target code) of each event."""
    return {(e.source.code, e.event_code, e.target.code if e.target else None) for e in events}


def roots(events: list[Event]) -> set[tuple[str | None, str, str | None]]:
    """(source country, root code, target country) of each event."""
    return {(e.source.country, e.root_code, e.target.country if e.target else None)
            for e in events}
