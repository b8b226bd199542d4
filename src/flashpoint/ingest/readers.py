"""Format readers and the checks every article passes before it reaches the parser."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from flashpoint.model import Document, InputError

#: Articles longer than this are refused (``--max-chars`` changes it): a 20 MB "article"
#: is almost always a concatenated dump, and would hold one worker for many minutes.
DEFAULT_MAX_CHARS = 2_000_000

SUFFIXES = {".txt": "txt", ".text": "txt", ".jsonl": "jsonl", ".ndjson": "jsonl",
            ".html": "html", ".htm": "html"}

Item = Document | InputError
_BOM = b"\xef\xbb\xbf"

# A handful of the commonest English function words. News text in English has well over
# 15% of its words in this set; other languages written in Latin script have almost none.
_ENGLISH_MARKERS = frozenset(
    "the of and to in a is that for on with as was by at it from be are has have said "
    "its an were not but this which will had after their they he she his her would".split()
)


def stable_id(text: str) -> str:
    """A document id derived from the text alone, so re-running gives the same ids."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def looks_english(text: str) -> bool:
    """Cheap guard against coding non-English text with an English model."""
    words = [w.strip(".,;:!?\"'()[]").lower() for w in text[:20_000].split()]
    words = [w for w in words if w]
    if len(words) < 12:
        return True  # too short to judge; a headline alone is fine
    hits = sum(w in _ENGLISH_MARKERS for w in words)
    return hits / len(words) >= 0.06


def _decode(data: bytes, origin: str) -> tuple[str, InputError | None]:
    """Decode UTF-8; bad bytes become U+FFFD and are reported with their line."""
    bom = len(_BOM) if data.startswith(_BOM) else 0
    try:
        return data[bom:].decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, bom + exc.start) + 1
        text = data[bom:].decode("utf-8", errors="replace")
        return text, InputError(f"{origin}:{line}", "invalid UTF-8 (bad bytes replaced)")


def _checked(doc: Document, max_chars: int) -> Item:
    """The article-level checks shared by every format."""
    if not doc.text.strip():
        return InputError(doc.origin, "empty article")
    if len(doc.text) > max_chars:
        return InputError(
            doc.origin,
            f"article too long ({len(doc.text):,} characters > {max_chars:,}; "
            "split it or raise --max-chars)",
        )
    if not looks_english(doc.text):
        return InputError(doc.origin, "does not look like English text; skipped")
    return doc


def _parse_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"date must be an ISO 8601 string, got {value!r}")
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        raise ValueError(f"date {value!r} is not ISO 8601") from None


def read_txt(data: bytes, origin: str, default_date: dt.date | None) -> Iterator[Item]:
    """One article per file; the first non-blank line is its title."""
    text, problem = _decode(data, origin)
    if problem:
        yield problem
    lines = text.strip().splitlines()
    title = lines[0].strip() if lines else None
    yield Document(id=stable_id(text), text=text, title=title, date=default_date, origin=origin)


def read_jsonl(
    data: bytes | Iterable[bytes], origin: str, default_date: dt.date | None
) -> Iterator[Item]:
    """One article per line: ``id``, ``text``, optional ``title``, ``date``, ``url``,
    ``source``. A bad line is reported and skipped; the others are kept. `data` may be
    an open binary file, read line by line so that a large corpus is streamed."""
    lines = data.splitlines() if isinstance(data, bytes) else data
    for number, raw in enumerate(lines, start=1):
        where = f"{origin}:{number}"
        if number == 1 and raw.startswith(_BOM):
            raw = raw[len(_BOM):]
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            yield InputError(where, "invalid UTF-8; line skipped")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"malformed JSON ({exc.msg}); line skipped")
            continue
        if not isinstance(record, dict):
            yield InputError(where, "expected a JSON object; line skipped")
            continue
        text = record.get("text")
        if not isinstance(text, str):
            yield InputError(where, "missing string field 'text'; line skipped")
            continue
        try:
            date = _parse_date(record.get("date")) or default_date
        except ValueError as exc:
            yield InputError(where, f"{exc}; line skipped")
            continue
        title = record.get("title")
        # a title is put before the text unless the text already opens with it
        body = (f"{title}\n\n{text}" if isinstance(title, str) and title.strip()
                and not text.lstrip().startswith(title.strip()) else text)
        doc_id = record.get("id")
        yield Document(
            id=str(doc_id) if doc_id not in (None, "") else stable_id(body),
            text=body,
            title=title if isinstance(title, str) else None,
            date=date,
            url=record.get("url") if isinstance(record.get("url"), str) else None,
            source=record.get("source") if isinstance(record.get("source"), str) else None,
            origin=where,
        )


def read_html(data: bytes, origin: str, default_date: dt.date | None) -> Iterator[Item]:
    """Main text by trafilatura (boilerplate, menus and comments removed)."""
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    html, problem = _decode(data, origin)
    if problem:
        yield problem
    # no extensive date search: a "Copyright 2024" footer is not the article's date
    extracted = trafilatura.bare_extraction(
        html, include_comments=False, with_metadata=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or not text.strip():
        yield InputError(origin, "no article text found in HTML")
        return
    title = getattr(extracted, "title", None)
    date = default_date
    raw_date = getattr(extracted, "date", None)
    if raw_date:
        with contextlib.suppress(ValueError):
            date = _parse_date(raw_date) or default_date
    # the headline often opens the extracted text already
    body = f"{title}\n\n{text}" if title and not text.lstrip().startswith(title) else text
    yield Document(
        id=stable_id(body), text=body, title=title, date=date,
        url=getattr(extracted, "url", None), source=getattr(extracted, "sitename", None),
        origin=origin,
    )


READERS = {"txt": read_txt, "jsonl": read_jsonl, "html": read_html}


def sniff(data: bytes) -> str:
    """Guess the format of stdin from its first character."""
    head = data.removeprefix(_BOM).lstrip()[:1]
    if head == b"{":
        return "jsonl"
    if head == b"<":
        return "html"
    return "txt"


def _read_source(head: bytes, body: bytes | Iterable[bytes], origin: str, fmt: str,
                 default_date: dt.date | None, max_chars: int) -> Iterator[Item]:
    """Checks on the first bytes (`head`), then the format's reader over `body`."""
    if not head.strip():
        yield InputError(origin, "empty file")
        return
    if b"\x00" in head:
        yield InputError(origin, "binary file, not text; skipped")
        return
    for item in READERS[fmt](body, origin, default_date):
        yield item if isinstance(item, InputError) else _checked(item, max_chars)


def _read_path(path: Path, fmt: str, default_date: dt.date | None,
               max_chars: int) -> Iterator[Item]:
    origin = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputError(origin, exc.strerror or "cannot read")
        return
    with handle:
        head = handle.read(8192)
        if fmt == "jsonl" and head.strip() and b"\x00" not in head:
            handle.seek(0)
            yield from _read_source(head, handle, origin, fmt, default_date, max_chars)
            return
        try:
            data = head + handle.read()
        except OSError as exc:
            yield InputError(origin, exc.strerror or "cannot read")
            return
    # the file is closed again before its articles are handed on
    yield from _read_source(head, data, origin, fmt, default_date, max_chars)


def _files(path: Path) -> Iterator[Path]:
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and child.suffix.lower() in SUFFIXES:
                yield child
    else:
        yield path


def read_inputs(
    inputs: Iterable[str],
    *,
    fmt: str = "auto",
    default_date: dt.date | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    stdin: BinaryIO | None = None,
) -> Iterator[Item]:
    """Every article in `inputs` (files, directories, ``-``), identical texts once."""
    seen: set[str] = set()
    for name in inputs:
        if name == "-":
            data = (stdin or sys.stdin.buffer).read()
            kind = sniff(data) if fmt == "auto" else fmt
            items = _read_source(data[:8192], data, "<stdin>", kind, default_date, max_chars)
        else:
            path = Path(name)
            if not path.exists():
                yield InputError(name, "no such file or directory")
                continue
            items = (
                item
                for p in _files(path)
                for item in _read_path(
                    p, SUFFIXES.get(p.suffix.lower(), "txt") if fmt == "auto" else fmt,
                    default_date, max_chars,
                )
            )
        for item in items:
            if isinstance(item, Document):
                key = stable_id(item.text)
                if key in seen:
                    continue  # the same text twice is one article
                seen.add(key)
            yield item
