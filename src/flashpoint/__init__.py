"""Flashpoint: code English news text into CAMEO and PLOVER political events, offline."""

from flashpoint.api import code_documents, code_text
from flashpoint.model import Actor, Document, Event, Trigger

__all__ = ["Actor", "Document", "Event", "Trigger", "code_documents", "code_text"]
__version__ = "0.1.0"
