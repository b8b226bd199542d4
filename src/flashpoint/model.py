"""The small typed objects that cross Flashpoint's stage boundaries.

Every stage (ingest, nlp, actors, events, output) speaks in these objects only, so a
stage can be replaced or tested without knowing how its neighbours work. They are plain
dataclasses: cheap to build in a worker process and cheap to pickle back to the parent.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

#: The four values of an event's `modality` (docs/modality.md).
MODALITIES = ("asserted", "alleged", "negated", "hypothetical")


@dataclass(frozen=True, slots=True)
class Document:
    """One article as read from disk or stdin.

    `origin` names where it came from (``file`` or ``file:line``) so that every
    message about it, and every event coded from it, can be traced back.
    """

    id: str
    text: str
    title: str | None = None
    date: date | None = None
    url: str | None = None
    source: str | None = None
    origin: str = ""


@dataclass(frozen=True, slots=True)
class InputError:
    """A piece of input that could not be read; reported, never fatal for the run."""

    origin: str
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


@dataclass(frozen=True, slots=True)
class Actor:
    """An actor as coded in one sentence: the words, the CAMEO code and its parts.

    `start`/`end` are character offsets into the document text. `resolved_by` says
    how the code was found (``dictionary``, ``context`` for a bare role noun or pronoun
    that took its country from earlier text, ``speaker`` for a source named only by
    reported speech).
    """

    text: str
    code: str
    country: str | None
    role: str | None
    start: int
    end: int
    resolved_by: str = "dictionary"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Trigger:
    """The words that express the action, with character offsets into the document."""

    text: str
    start: int
    end: int
    pattern: str = ""


@dataclass(slots=True)
class Event:
    """Who did what to whom, in which sentence, and how sure the text is about it."""

    doc_id: str
    sentence_index: int
    sentence: str
    sentence_start: int
    event_code: str
    event_name: str
    root_code: str
    quad_class: int
    goldstein: float
    source: Actor
    target: Actor | None
    plover_type: str | None
    plover_mode: str | None
    modality: str
    trigger: Trigger
    attributed_to: Actor | None = None
    date: date | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON Lines record documented in docs/formats.md."""
        return {
            "doc_id": self.doc_id,
            "sentence_index": self.sentence_index,
            "sentence": self.sentence,
            "event_code": self.event_code,
            "event_name": self.event_name,
            "root_code": self.root_code,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "source": self.source.to_dict(),
            "target": self.target.to_dict() if self.target else None,
            "plover": {"type": self.plover_type, "mode": self.plover_mode},
            "modality": self.modality,
            "attributed_to": self.attributed_to.to_dict() if self.attributed_to else None,
            "trigger": {
                "text": self.trigger.text,
                "start": self.trigger.start,
                "end": self.trigger.end,
                "pattern": self.trigger.pattern,
            },
            "date": self.date.isoformat() if self.date else None,
        }
