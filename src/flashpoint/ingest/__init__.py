"""Reading articles: .txt, .jsonl, .html, directories and stdin, into Documents.

Readers are generators that yield `Document` for every article they can read and
`InputError` for everything they cannot, so one bad line or file never stops a run and
never hides the good articles around it.
"""

from flashpoint.ingest.readers import DEFAULT_MAX_CHARS, read_inputs, stable_id

__all__ = ["DEFAULT_MAX_CHARS", "read_inputs", "stable_id"]
