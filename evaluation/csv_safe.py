"""Spreadsheet-safe cells for every CSV / XLSX we write (OWASP "CSV Injection").

A cell that starts with = + - @ tab or CR is run as a formula by Excel, LibreOffice and Sheets
(`=HYPERLINK(…)` in a project name becomes a live link). Such text cells get a leading single
quote, which spreadsheets show as text. Numbers stay numbers: -5 is written as -5, not '-5.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as it may go into a spreadsheet cell; non-strings pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Mapping[str, Any] | Iterable[Any]) -> Any:
    if isinstance(row, Mapping):
        return {key: safe_cell(value) for key, value in row.items()}
    return [safe_cell(value) for value in row]


def write_csv(path: str | Path, rows: list[dict], *, encoding: str = "utf-8-sig") -> None:
    """rows → CSV with a header from the first row's keys (BOM: Excel opens it as UTF-8)."""
    fields = list(rows[0]) if rows else ["empty"]
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[safe_cell(f) for f in fields])
        writer.writeheader()
        writer.writerows(dict(zip([safe_cell(f) for f in fields], safe_row([r.get(f) for f in fields])))
                         for r in rows)
