"""CAMEO event codes, Goldstein scores, QuadClass and the CAMEO to PLOVER table.

The facts live in ``data/cameo.tsv``; this module only reads and interprets them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from flashpoint.tables import read_table


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    name: str
    goldstein: float
    plover_type: str | None
    plover_mode: str | None
    plover_context: str | None

    @property
    def root(self) -> str:
        return self.code[:2]

    @property
    def quad_class(self) -> int:
        return quad_class(self.code)


def quad_class(code: str) -> int:
    """GDELT's QuadClass: roots 01-05 verbal cooperation (1), 06-09 material
    cooperation (2), 10-14 verbal conflict (3), 15-20 material conflict (4)."""
    root = int(code[:2])
    if not 1 <= root <= 20:
        raise ValueError(f"not a CAMEO event code: {code!r}")
    if root <= 5:
        return 1
    if root <= 9:
        return 2
    if root <= 14:
        return 3
    return 4


@cache
def cameo_table() -> dict[str, CameoCode]:
    """All CAMEO event codes (roots and leaves) keyed by code."""
    table: dict[str, CameoCode] = {}
    for row in read_table("flashpoint.ontology", "cameo.tsv"):
        table[row["code"]] = CameoCode(
            code=row["code"],
            name=row["name"],
            goldstein=float(row["goldstein"]),
            plover_type=row["plover_type"] or None,
            plover_mode=row["plover_mode"] or None,
            plover_context=row["plover_context"] or None,
        )
    return table


def lookup(code: str) -> CameoCode:
    """The CAMEO entry for `code`; a clear error for codes CAMEO does not have."""
    try:
        return cameo_table()[code]
    except KeyError:
        raise KeyError(f"unknown CAMEO event code {code!r}") from None


def leaf_codes() -> list[str]:
    """Codes below the 20 roots (three and four digits)."""
    return [c for c in cameo_table() if len(c) > 2]
