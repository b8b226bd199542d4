"""Flashpoint: code English news text into CAMEO and PLOVER political events, offline."""

from flashpoint.api import Dataset, code_documents, code_text, ingest, open
from flashpoint.model import Actor, Document, Event, Trigger

__all__ = ["Actor", "Dataset", "Document", "Event", "Trigger", "code_documents", "code_text",
           "ingest", "open"]
__version__ = "0.1.0"
