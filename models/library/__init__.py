"""The built-in library of common indicators per kind of project (data in indicators.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LIBRARY_FILE = Path(__file__).parent / "indicators.json"


@dataclass(frozen=True)
class LibraryIndicator:
    level1: str
    level2: str
    name: str
    target: str
    unit: str | None


@dataclass(frozen=True)
class ProjectKind:
    id: str
    name: str
    description: str
    keywords: tuple[str, ...]
    indicators: tuple[LibraryIndicator, ...]


@lru_cache(maxsize=1)
def load_library(path: Path = LIBRARY_FILE) -> tuple[ProjectKind, ...]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(ProjectKind(k["id"], k["name"], k["description"], tuple(k["keywords"]),
                             tuple(LibraryIndicator(**i) for i in k["indicators"]))
                 for k in data["kinds"])
