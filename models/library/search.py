"""Search the national indicator library (models/library/data) by a word: an indicator matches
when the word is in its name, or in its project kind's name, sector or keywords (搜索 卫生 finds
every 卫生健康 kind's indicators). Each indicator is listed once, under the first kind that has it."""

from __future__ import annotations

from dataclasses import dataclass

from models.library import load_library


@dataclass(frozen=True)
class LibraryRow:
    name: str
    level1: str
    level2: str
    typical: str
    unit: str | None
    basis: str
    kind: str
    sector: str


def search_library(q: str = "", *, level1: str | None = None, limit: int = 50,
                   offset: int = 0) -> tuple[int, list[LibraryRow]]:
    """(how many match, the page of `limit` rows from `offset`), rows whose own name matches first."""
    word = (q or "").strip()
    named, by_kind, seen = [], [], set()
    for kind in load_library():
        kind_hit = bool(word) and (word in kind.name or word in kind.sector
                                   or any(word in k for k in kind.keywords))
        for ind in kind.indicators:
            if ind.name in seen or (level1 and ind.level1 != level1):
                continue
            name_hit = not word or word in ind.name
            if not (name_hit or kind_hit):
                continue
            seen.add(ind.name)
            row = LibraryRow(ind.name, ind.level1, ind.level2, ind.target, ind.unit, ind.basis,
                             kind.name, kind.sector)
            (named if name_hit else by_kind).append(row)
    rows = named + by_kind
    return len(rows), rows[offset:offset + limit]
