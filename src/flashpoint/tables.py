"""Reading the tab-separated data files that hold Flashpoint's knowledge.

All dictionaries (countries, actors, leaders, roles, verb and noun patterns, CAMEO) share
one shape: UTF-8, ``#`` comments, a header line naming the columns, one record per line.
Analysts edit them by hand, so every problem is reported with the file and line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from importlib import resources
from pathlib import Path


class DataFileError(ValueError):
    """A dictionary file that cannot be used; the message names the file and line."""


class Row(dict[str, str]):
    """One record; `origin` is ``file:line`` for error messages."""

    origin: str = ""

    def fail(self, message: str) -> DataFileError:
        return DataFileError(f"{self.origin}: {message}")

    def date(self, column: str) -> dt.date | None:
        """An optional ISO date cell, validated."""
        value = self.get(column, "")
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise self.fail(f"column {column!r}: {value!r} is not a date (YYYY-MM-DD)") from None


def _parse(lines: Iterator[str], name: str) -> Iterator[Row]:
    header: list[str] | None = None
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = [c.strip() for c in cells]
            continue
        if len(cells) > len(header):
            raise DataFileError(
                f"{name}:{number}: {len(cells)} columns, expected at most {len(header)} "
                f"({', '.join(header)})"
            )
        padded = [c.strip() for c in cells] + [""] * (len(header) - len(cells))
        row = Row(zip(header, padded, strict=True))
        row.origin = f"{name}:{number}"
        yield row
    if header is None:
        raise DataFileError(f"{name}: no header line")


def read_table(package: str, filename: str) -> list[Row]:
    """A data file shipped inside the package (``package/data/filename``)."""
    name = f"{package.replace('.', '/')}/data/{filename}"
    ref = resources.files(package).joinpath("data", filename)
    try:
        with ref.open(encoding="utf-8") as handle:
            return list(_parse(handle, name))
    except OSError as exc:
        raise DataFileError(f"{name}: {exc.strerror or exc} (reinstall Flashpoint)") from None


def data_files(package: str, prefix: str) -> list[str]:
    """Names of the package's data files starting with `prefix`, sorted."""
    folder = resources.files(package).joinpath("data")
    return sorted(
        p.name for p in folder.iterdir() if p.name.startswith(prefix) and p.name.endswith(".tsv")
    )


def read_path(path: str | Path) -> list[Row]:
    """A user's data file, e.g. from ``--actors my.tsv``."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as handle:
            return list(_parse(handle, str(path)))
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise DataFileError(f"{path}: {exc.strerror}") from None


def require(row: Row, *columns: str) -> None:
    """Fail with the file and line when a required cell is empty."""
    for column in columns:
        if not row.get(column):
            raise row.fail(f"column {column!r} is empty")
