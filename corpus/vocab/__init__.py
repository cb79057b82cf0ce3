"""Chinese labels for the codes users see (target kinds, check kinds, origins, finding codes,
severities …). The data lives in labels.json so the CLI, the API and the page share one copy."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

LABELS_FILE = Path(__file__).parent / "labels.json"


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, str]]:
    """Every vocabulary: {"target_kinds": {"quantitative": "定量", …}, "origins": {…}, …}."""
    data = json.loads(LABELS_FILE.read_text(encoding="utf-8"))
    return {name: table for name, table in data.items() if not name.startswith("_")}


def label(vocabulary: str, code: str | None, default: str | None = None) -> str:
    """The Chinese label of `code` in `vocabulary`; the code itself (or `default`) if unknown."""
    if code is None:
        return default or "—"
    return labels().get(vocabulary, {}).get(code, default if default is not None else code)


def layout_label(code: str | None) -> str:
    """A layout code as a person reads it: a known profile by name (sh-2019-tabbed → 上海 2019 年版
    （制表符分隔）), a composed one part by part (grid-xlsx → 表格（.xlsx）, text-pdf-pipe_rows →
    文本（.pdf），竖线分隔的行). JSON keeps the code."""
    if not code:
        return "—"
    known = labels().get("layouts", {})
    if code in known:
        return known[code]
    parts = labels().get("layout_parts", {})
    words = [parts.get(part, part) for part in code.split("-")]
    out = ""
    for word in words:  # a format in parentheses sticks to the word before it
        out += word if word.startswith("（") or not out else "，" + word
    return out
