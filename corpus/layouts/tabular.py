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
from corpus.errors import DataError, InputError
from corpus.schema import Declaration, Indicator, Source
from corpus.targets import parse_target
from corpus.text import json_problem, read_form_text

REQUIRED_COLUMNS = ("项目名称", "一级指标", "二级指标", "三级指标", "指标值")
OPTIONAL_COLUMNS = ("申报单位", "年度", "项目概况")


def parse(path: Path, *, max_bytes: int) -> list[Declaration]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        rows = _xlsx_rows(path, max_bytes)
        return _from_rows(rows, path, layout="table-xlsx")
    text, warning = read_form_text(path, max_bytes=max_bytes)
    if suffix == ".csv":
        decls = _from_rows(_csv_rows(text, path), path, layout="table-csv")
    else:
        decls = _from_json(text, path)
    if warning:
        for decl in decls:
            decl.warn("encoding_converted", warning)
    return decls


# csv's own words for a malformed file
_CSV_PROBLEMS = (("new-line character", "未加引号的字段中有换行符"), ("NUL", "含有空字符（NUL）"),
                 ("field larger than field limit", "单元格超过长度上限"),
                 ("expected after", "引号后面缺少分隔符"))


def _csv_rows(text: str, path: Path) -> list[list[str]]:
    """Rows of a CSV text; newline="" lets the reader see every line end (a lone CR included),
    as the csv module expects."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as exc:
        said = next((zh for en, zh in _CSV_PROBLEMS if en in str(exc)), "格式错误")
        raise InputError(path, f"第 {reader.line_num} 行：不是有效的 CSV（{said}）；应为带表头的表格，"
                               f"每行一个指标") from None
    return rows


def _from_json(text: str, path: Path) -> list[Declaration]:
    try:
        if path.suffix.lower() == ".jsonl":
            data = []
            for line_no, line in enumerate(text.splitlines(), start=1):
                if line.strip():
                    data.append(_load_json(line, path, line_no))
        else:
            data = _load_json(text, path, None)
    except RecursionError:
        raise InputError(path, "JSON 嵌套过深；应为 zhibiao parse --json 的输出") from None
    items = data if isinstance(data, list) else [data]
    decls = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict) or "indicators" not in item:
            raise InputError(path, f"第 {n} 项不是申报表：应为含 project_name 和 indicators 的对象")
        item = dict(item)
        item.setdefault("id", f"{path.stem}-{n}")
        item.setdefault("source", {"file": path.name, "layout": "json", "line_start": n,
                                   "line_end": n})
        item["indicators"] = _read_targets(item["indicators"])
        try:
            decls.append(Declaration.from_dict(item))
        except DataError as exc:
            raise InputError(path, f"第 {n} 项：{exc}") from None
    return decls


def _load_json(text: str, path: Path, line_no: int | None):
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        line = line_no if line_no is not None else exc.lineno
        said = json_problem(exc.msg)
        raise InputError(path, f"不是有效的 JSON（第 {line} 行第 {exc.colno} 列：{said}）；"
                               "应为 zhibiao parse --json 的输出") from None


def _read_targets(indicators):
    """A target given only as its written value ({"raw": "≥90%"}, no kind) is read like a
    form's cell, so the declaration is reviewed the same as if it had been parsed."""
    if not isinstance(indicators, list):
        return indicators  # from_dict names the field
    out = []
    for row in indicators:
        target = row.get("target") if isinstance(row, dict) else None
        if isinstance(target, dict) and isinstance(target.get("raw"), str) and target.get("kind") is None:
            parsed = vars(parse_target(target["raw"]))
            row = {**row, "target": {**parsed, "actual": target.get("actual")}}
        out.append(row)
    return out


def _xlsx_rows(path: Path, max_bytes: int) -> list[list[str]]:
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(path, f"大小 {size:,} 字节，超过 {max_bytes:,} 字节的上限（ZHIBIAO_MAX_FILE_BYTES）")
    try:
        from openpyxl import load_workbook
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise InputError(path, f"不是可读取的 .xlsx 工作簿（openpyxl 读取时出错）") from None
    sheet = book.worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def from_table(table, path: Path) -> list[Declaration] | None:
    """Declarations of a flat table already read by an extractor (bounded: rows cut at
    Limits.max_rows with a warning on the Document); None when no row of the first five is the
    header. Cells are as Excel shows them (95%, not 0.95)."""
    texts = [["" if t is None else t for t in table.texts(r)] for r in range(len(table.rows))]
    for at, row in enumerate(texts[:5]):
        if all(col in {c.strip() for c in row} for col in REQUIRED_COLUMNS):
            numbers = table.row_numbers[at:] if table.row_numbers else None
            return _from_rows(texts[at:], path, layout="table-xlsx", numbers=numbers)
    return None


def _from_rows(rows: list[list[str]], path: Path, *, layout: str,
               numbers: list[int] | None = None) -> list[Declaration]:
    """`numbers[i]`: the source row number of rows[i] (default i + 1)."""
    if not rows:
        raise InputError(path, "是空表；应有表头行，含 " + "、".join(REQUIRED_COLUMNS))
    header = [h.strip() for h in rows[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(path, f"表头缺少列：{'、'.join(missing)}；应有 {'、'.join(REQUIRED_COLUMNS)}"
                               f"（可选：{'、'.join(OPTIONAL_COLUMNS)}）")
    col = {name: header.index(name) for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS if name in header}
    groups: dict[tuple, Declaration] = {}
    numbers = numbers or list(range(1, len(rows) + 1))
    for number, row in zip(numbers[1:], rows[1:]):
        if not any(cell.strip() for cell in row):
            continue
        cell = lambda name: row[col[name]].strip() if name in col and col[name] < len(row) else ""  # noqa: E731
        project = cell("项目名称")
        if not project or not cell("三级指标"):
            raise InputError(path, f"第 {number} 行：项目名称和三级指标不能为空")
        year_text = cell("年度")
        if year_text and not year_text[:4].isdigit():
            raise InputError(path, f"第 {number} 行：年度“{year_text}”不是年份（应如 2024）")
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
        raise InputError(path, "只有表头，没有指标行")
    return list(groups.values())
