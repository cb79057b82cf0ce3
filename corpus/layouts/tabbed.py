"""Shanghai 2019/2020 tab-separated forms (seed files 000, 002 and 003).

One form per title line (…绩效目标申报表); header fields are label/value cell pairs; the
indicator table starts at its header row (4 columns, or 3 in some 2019 forms) and ends at 备注
or at the end of the form. A form whose opening was lost (text resumes after the previous
form's 备注 row) is emitted with `project_name: null` and a warning.
"""

from __future__ import annotations

import re

from corpus.layouts.fields import field_of, set_field
from corpus.schema import Component, Declaration, Source
from corpus.layouts.grid_rows import GridRow, read_grid
from corpus.text import find_year, parse_money

TITLE = re.compile(r"绩效目标申报表")


def split_forms(lines: list[str]) -> list[tuple[int, int, bool]]:
    """(first, last, has_opening) line indexes of each form."""
    starts = [i for i, line in enumerate(lines) if TITLE.search(line) and len(line) < 60]
    forms: list[tuple[int, int, bool]] = []
    for n, start in enumerate(starts):
        end = starts[n + 1] - 1 if n + 1 < len(starts) else len(lines) - 1
        cut = _after_remarks(lines, start, end)
        if cut is None:
            forms.append((start, end, True))
        else:
            forms.append((start, cut - 1, True))
            forms.append((cut, end, False))
    if starts and any(line.strip() for line in lines[:starts[0]]):
        forms.insert(0, (0, starts[0] - 1, False))
    return forms


def _after_remarks(lines: list[str], start: int, end: int) -> int | None:
    """Index of the first non-blank line after a 备注 row when more text follows it."""
    for i in range(start, end + 1):
        if lines[i].split("\t")[0].strip() == "备注":
            for j in range(i + 1, end + 1):
                if lines[j].strip():
                    return j
            return None
    return None


def parse_form(lines: list[str], first: int, last: int, has_opening: bool, *, file: str,
               layout: str, ident: str, year_hint: int | None) -> Declaration:
    decl = Declaration(id=ident, source=Source(file, layout, first + 1, last + 1))
    block = lines[first:last + 1]
    decl.year = find_year("\n".join(block[:6])) if has_opening else None
    if decl.year is None:
        decl.year = year_hint
        if not has_opening and year_hint is not None:
            decl.warn("year_from_file", f"申报表本身没有年度；取同一文件中其他申报表的年度 {year_hint}",
                      first + 1)
    if not has_opening:
        decl.warn("form_opening_missing", "申报表开头（标题、申报单位、项目名称）缺失；已保留其余字段",
                  first + 1)
    table_start = _read_header(block, first, decl)
    if table_start is None:
        decl.warn("no_indicator_table", "未找到指标表的表头（一级指标/二级指标/三级指标/指标目标值）",
                  last + 1)
        return decl
    header = [c.strip() for c in block[table_start].split("\t")]
    has_level2 = any("二级" in c for c in header)
    rows = []
    for offset, line in enumerate(block[table_start + 1:], start=table_start + 1):
        if line.split("\t")[0].strip() == "备注":
            break
        rows.append(GridRow(first + offset + 1, line.split("\t")))
    decl.indicators = read_grid(rows, decl, has_level2=has_level2)
    return decl


def _read_header(block: list[str], first: int, decl: Declaration) -> int | None:
    """Fill header fields; return the index (in block) of the table's header row."""
    current: tuple[str, str] | None = None
    in_components = False
    for index, line in enumerate(block):
        cells = [c.strip() for c in line.split("\t")]
        line_no = first + index + 1
        joined = " ".join(c for c in cells if c)
        if _is_table_header(cells):
            return index
        if "申报单位名称" in joined:
            decl.agency = re.sub(r"^.*申报单位名称[：:]\s*", "", joined).strip() or None
            continue
        if not joined:
            continue
        if cells[0] == "" and current and current[0] in ("choice", "text"):
            set_field(decl, current[0], current[1], joined, line_no)  # continuation row
            continue
        if cells[0] == "项目当年投入资金构成" or (in_components and cells[0] == ""):
            in_components = True
            _add_component(cells[1:], decl, line_no)
            continue
        in_components = False
        current = _read_pairs(cells, decl, line_no) or current
    return None


def _is_table_header(cells: list[str]) -> bool:
    text = "".join(cells)
    return ("三级指标" in text or "三级目标" in text or "绩效指标" in text) and "目标值" in text


def _read_pairs(cells: list[str], decl: Declaration, line_no: int) -> tuple[str, str] | None:
    """Label/value pairs along a row; returns the last field seen (for continuation rows)."""
    last = None
    i = 0
    while i < len(cells):
        field = field_of(cells[i]) if cells[i] else None
        if field is None:
            i += 1
            continue
        value_cells = []
        j = i + 1
        while j < len(cells) and field_of(cells[j]) is None:
            value_cells.append(cells[j])
            j += 1
            if field[0] != "choice":
                break
        set_field(decl, field[0], field[1], " ".join(v for v in value_cells if v), line_no)
        last = field
        i = j
    return last


def _add_component(cells: list[str], decl: Declaration, line_no: int) -> None:
    values = [c for c in cells if c]
    if not values or "子项目名称" in values[0] or "预算金额" in values[0]:
        return
    amount = parse_money(values[-1]) if len(values) > 1 else None
    if len(values) > 1 and amount is None:
        decl.warn("bad_amount", f"预算构成“{values[0]}”：无法从“{values[-1]}”读出金额", line_no)
    decl.budget.components.append(Component(values[0], amount))
