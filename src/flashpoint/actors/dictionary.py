"""Loading the actor dictionaries: countries, named actors, leaders, role nouns.

Four shipped files (``data/countries.tsv``, ``data/actors.tsv``, ``data/leaders.tsv``,
``data/roles.tsv``) and any number of user files in the ``actors.tsv`` format
(``--actors my.tsv``). Every entry is validated here so that a typo in a code or a date
fails at start-up with the file and line, not silently in the middle of a corpus.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from flashpoint.tables import DataFileError, Row, read_path, read_table, require

PACKAGE = "flashpoint.actors"

#: Role codes Flashpoint understands (CAMEO actor codebook, chapter 3).
ROLE_CODES = frozenset(
    "GOV MIL REB OPP COP JUD LEG SPY BUS CVL MED EDU LAB REF INS SEP HLH HRI ELI AGR CRM "
    "ENV MOD RAD UAF IGO NGO IMG MNC PTY REL MUS CHR JEW BUD HIN SHI SUN".split()
)
#: International prefixes: codes that start with one of these have no country.
INTERNATIONAL = frozenset({"IGO", "NGO", "IMG", "MNC"})

_CODE = re.compile(r"^(?:[A-Z]{3})+$")
_ARTICLE = re.compile(r"^(?:the)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """One phrase of a dictionary and what it means.

    `kind` tells the resolver how the phrase behaves in a noun phrase: a ``name`` is an
    actor by itself ("Iran", "the Pentagon"), a ``modifier`` lends its country to the
    noun it modifies ("Iranian officials"), a ``people`` noun names a country's people
    ("the Iranians"), a ``capital`` stands for the government ("Tehran said").
    """

    phrase: str
    code: str
    kind: str
    start: dt.date | None
    end: dt.date | None
    origin: str

    @property
    def country(self) -> str | None:
        prefix = self.code[:3]
        return None if prefix in INTERNATIONAL else prefix

    @property
    def role(self) -> str | None:
        if self.code[:3] in INTERNATIONAL:
            return self.code[:3]
        return self.code[3:6] or None

    def valid_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


def normalise_phrase(phrase: str) -> str:
    """Phrases are stored without a leading article; the matcher ignores it too."""
    return _ARTICLE.sub("", phrase.strip())


def is_code(code: str) -> bool:
    """Whether `code` has the shape of a CAMEO actor code: groups of three capitals."""
    return bool(_CODE.match(code))


def parse_dyad(dyad: str) -> tuple[str, str]:
    """"usa-irn" -> ("USA", "IRN"): two actor codes (or code prefixes) joined by '-'.
    The one parser behind every --dyad option, so that `events`, `watch` and `report`
    accept and refuse the same spellings."""
    parts = dyad.strip().upper().split("-")
    if len(parts) != 2 or not all(is_code(p) for p in parts):
        raise ValueError(f"dyad {dyad!r}: expected two actor codes joined by '-', "
                         "like USA-IRN")
    return parts[0], parts[1]


def check_code(row: Row, code: str) -> str:
    """A CAMEO actor code: groups of three capital letters with known roles."""
    if not is_code(code):
        raise row.fail(f"actor code {code!r} is not groups of three capital letters")
    return code


def _countries(rows: Iterable[Row]) -> list[ActorEntry]:
    entries = []
    kinds = {"names": "name", "adjectives": "modifier", "demonyms": "people", "capitals": "capital"}
    for row in rows:
        require(row, "code", "names")
        code = check_code(row, row["code"])
        for column, kind in kinds.items():
            for phrase in filter(None, (p.strip() for p in row.get(column, "").split("|"))):
                # a capital stands for the government that sits there
                entry_code = code + "GOV" if kind == "capital" else code
                entries.append(ActorEntry(normalise_phrase(phrase), entry_code, kind, None, None,
                                          row.origin))
    return entries


def _actors(rows: Iterable[Row], kind: str = "name") -> list[ActorEntry]:
    entries = []
    for row in rows:
        require(row, "phrase", "code")
        start, end = row.date("from"), row.date("until")
        if start and end and end < start:
            raise row.fail(f"'until' {end} is before 'from' {start}")
        code = check_code(row, row["code"])
        entries.append(ActorEntry(normalise_phrase(row["phrase"]), code, kind, start, end,
                                  row.origin))
    return entries


def _roles(rows: Iterable[Row]) -> dict[str, str]:
    roles: dict[str, str] = {}
    for row in rows:
        require(row, "noun", "role")
        if row["role"] not in ROLE_CODES:
            raise row.fail(f"unknown role code {row['role']!r}")
        roles[row["noun"].lower()] = row["role"]
    return roles


@dataclass(frozen=True)
class ActorDictionary:
    """All actor knowledge in memory: phrase entries and role nouns."""

    entries: tuple[ActorEntry, ...]
    roles: dict[str, str]

    @classmethod
    def load(cls, extra: Iterable[str | Path] = ()) -> ActorDictionary:
        """The shipped dictionaries plus user files (later files take precedence)."""
        shipped = _shipped()
        entries = list(shipped.entries)
        for path in extra:
            rows = read_path(path)
            if rows and "noun" in rows[0] and "role" in rows[0]:
                raise DataFileError(f"{path}: role files are not supported as --actors")
            entries.extend(_actors(rows))
        return cls(tuple(entries), dict(shipped.roles))


@cache
def _shipped() -> ActorDictionary:
    entries = _countries(read_table(PACKAGE, "countries.tsv"))
    entries += _actors(read_table(PACKAGE, "actors.tsv"))
    entries += _actors(read_table(PACKAGE, "leaders.tsv"))
    return ActorDictionary(tuple(entries), _roles(read_table(PACKAGE, "roles.tsv")))
