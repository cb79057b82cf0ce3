"""Declarations from our own JSON export and from flat tables (.csv / .xlsx).

Tables have one indicator per row with the columns 项目名称, 一级指标, 二级指标, 三级指标, 指标值
and optionally 申报单位, 年度, 项目概况; rows of the same 项目名称 (and 申报单位, 年度) form one
declaration.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from corpus import framework
from corpus.errors import InputError
from corpus.schema import Declaration, Indicator, Source
from corpus.targets import parse_target
from corpus.text import read_form_text

REQUIRED_COLUMNS = ("项目名称", "一级指标", "二级指标", "三级指标", "指标值")
OPTIONAL_COLUMNS = ("申报单位", "年度", "项目概况")


def parse(path: Path, *, max_bytes: int) -> list[Declaration]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        rows = _xlsx_rows(path, max_bytes)
        return _from_rows(rows, path, layout="table-xlsx")
    text, warning = read_form_text(path, max_bytes=max_bytes)
    if suffix == ".csv":
        rows = list(csv.reader(io.StringIO(text)))
        decls = _from_rows(rows, path, layout="table-csv")
    else:
        decls = _from_json(text, path)
    if warning:
        for decl in decls:
            decl.warn("encoding_converted", warning)
    return decls


def _from_json(text: str, path: Path) -> list[Declaration]:
    try:
        if path.suffix.lower() == ".jsonl":
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                               f"{exc.msg}); expected the output of `zhibiao parse --json`") from None
    items = data if isinstance(data, list) else [data]
    decls = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict) or "indicators" not in item:
            raise InputError(path, f"item {n} is not a declaration: expected an object with "
                                   "'project_name' and 'indicators'")
        item = dict(item)
        item.setdefault("id", f"{path.stem}-{n}")
        item.setdefault("source", {"file": path.name, "layout": "json", "line_start": n,
                                   "line_end": n})
        try:
            decls.append(Declaration.from_dict(item))
        except (KeyError, TypeError) as exc:
            raise InputError(path, f"item {n}: missing or malformed field {exc}") from None
    return decls


def _xlsx_rows(path: Path, max_bytes: int) -> list[list[str]]:
    if path.stat().st_size > max_bytes:
        raise InputError(path, f"is larger than {max_bytes:,} bytes")
    try:
        from openpyxl import load_workbook
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise InputError(path, f"is not a readable .xlsx workbook ({type(exc).__name__})") from None
    sheet = book.worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def _from_rows(rows: list[list[str]], path: Path, *, layout: str) -> list[Declaration]:
    if not rows:
        raise InputError(path, "is empty; expected a header row with " + ", ".join(REQUIRED_COLUMNS))
    header = [h.strip() for h in rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(path, f"header lacks column(s) {', '.join(missing)}; expected "
                               f"{', '.join(REQUIRED_COLUMNS)} (optional: {', '.join(OPTIONAL_COLUMNS)})")
    col = {name: header.index(name) for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS if name in header}
    groups: dict[tuple, Declaration] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cell = lambda name: row[col[name]].strip() if name in col and col[name] < len(row) else ""  # noqa: E731
        project = cell("项目名称")
        if not project or not cell("三级指标"):
            raise InputError(path, f"row {number}: 项目名称 and 三级指标 must not be empty")
        year_text = cell("年度")
        if year_text and not year_text[:4].isdigit():
            raise InputError(path, f"row {number}: 年度 '{year_text}' is not a year (expected e.g. 2024)")
        key = (project, cell("申报单位"), year_text)
        decl = groups.get(key)
        if decl is None:
            decl = Declaration(id=f"{path.stem}-{len(groups) + 1}",
                               source=Source(path.name, layout, number, number),
                               year=int(year_text[:4]) if year_text else None,
                               agency=cell("申报单位") or None, project_name=project)
            decl.texts["overview"] = cell("项目概况") or None
            groups[key] = decl
        decl.source.line_end = number
        raw1, raw2 = cell("一级指标") or None, cell("二级指标") or None
        level1, level2 = framework.canonical(raw1, raw2)
        decl.indicators.append(Indicator(level1, level2, raw1, raw2, cell("三级指标"),
                                         parse_target(cell("指标值")), line=number))
    if not groups:
        raise InputError(path, "has a header but no indicator rows")
    return list(groups.values())
