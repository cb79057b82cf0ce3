"""Library names in the wording of the description's era (wording.json): a 2018 扶贫 project's
form says 受益建档立卡贫困人口数 where today's library says 受益脱贫（监测）人口数."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

WORDING_FILE = Path(__file__).parent / "wording.json"


@lru_cache(maxsize=1)
def _eras() -> tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, str], ...]], ...]:
    data = json.loads(WORDING_FILE.read_text(encoding="utf-8"))
    return tuple((tuple(e["when_any"]), tuple(e.get("unless_any", ())), tuple(tuple(p) for p in e["replace"]))
                 for e in data["eras"])


def era_wording(text: str) -> Callable[[str], str]:
    """A function that rewrites a library name into the era `text` is written in (identity when
    the text names no era, or names two)."""
    pairs = [pair for when, unless, replace in _eras()
             if any(w in text for w in when) and not any(u in text for u in unless) for pair in replace]
    if not pairs:
        return lambda name: name

    def reword(name: str) -> str:
        for old, new in pairs:
            if old in name:
                return name.replace(old, new)
        return name
    return reword
