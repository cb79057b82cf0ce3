"""Minhang district 2020 workbook exported as text (seed 001): three sheets of ONE form.

Sheet 1 (项目总体情况) holds the header fields and money, sheet 2 (绩效目标) the indicator table
(block label, level 1, level 2, name, value, note) followed by the budget detail (项目明细), and
sheet 3 (制度保障) the rules the unit relies on. Narrow cells cut names short; the declaring
unit's name is not printed and is read from the unit's own rules in sheet 3 when possible.
"""

from __future__ import annotations

import re

from corpus.layouts.fields import field_of, set_field
from corpus.schema import Component, Declaration, Source
from corpus.layouts.grid_rows import GridRow, read_grid
from corpus.text import clean_prose, find_year, parse_money

_CUT_ENDINGS = re.compile(r"(满意|知晓|覆盖|(?<!完)成)$")


def parse(lines: list[str], *, file: str, layout: str, ident: str) -> list[Declaration]:
    decl = Declaration(id=ident, source=Source(file, layout, 1, len(lines)))
    decl.year = find_year("\n".join(lines[:8]))
    table_at = detail_at = rules_at = None
    current = None
    for index, line in enumerate(lines):
        cells = [c.strip() for c in line.split("\t")]
        joined = " ".join(c for c in cells if c)
        if "二级目标" in joined and "三级目标" in joined:
            table_at = index
        elif "项目明细" in joined and "明细" in joined and table_at is not None:
            detail_at = index
        elif "制度保障" in joined and "文件名称" in joined:
            rules_at = index
        if table_at is not None or not joined:
            continue
        if cells[0] == "项目资金":
            _read_money(cells, decl)
            current = ("money", "")
            continue
        if cells[0] == "" and current == ("money", ""):
            _read_money(cells, decl)
            continue
        if cells[0] == "" and current and current[0] == "text":
            _read_text_continuation(joined, decl)
            continue
        field = field_of(cells[0]) or field_of(_strip_colon(cells[0]))
        if cells[0] == "项目立项情况":
            field = ("text", "basis")
            _read_text_continuation(cells[1], decl)
            current = field
            continue
        if field:
            set_field(decl, field[0], field[1], " ".join(c for c in cells[1:] if c), index + 1)
            current = field
        for pos in range(2, len(cells) - 1):  # "起始日期：⇥…⇥结束日期：⇥…" pairs
            extra = field_of(cells[pos])
            if extra and extra[0] in ("start", "end"):
                set_field(decl, extra[0], extra[1], cells[pos + 1], index + 1)
    if table_at is not None:
        end = detail_at if detail_at is not None else len(lines)
        rows = [GridRow(i + 1, lines[i].split("\t")[1:]) for i in range(table_at + 1, end)]
        decl.indicators = read_grid(rows, decl, has_level2=True)
        for indicator in decl.indicators:
            if _CUT_ENDINGS.search(indicator.name):
                decl.warn("name_cut", f"指标名称“{indicator.name}”似乎被单元格宽度截断",
                          indicator.line)
    if detail_at is not None:
        _read_detail(lines, detail_at, rules_at, decl)
    if rules_at is not None:
        _read_rules(lines, rules_at, decl)
    return [decl]


def _strip_colon(text: str) -> str:
    return text.rstrip("：:")


def _read_text_continuation(text: str, decl: Declaration) -> None:
    """Sheet 1 puts 依据 and 必要性 in one block, each paragraph prefixed by its name."""
    cleaned = clean_prose(text) or ""
    if cleaned.startswith("必要性"):
        decl.texts["necessity"] = re.sub(r"^必要性[：:]\s*", "", cleaned)
    elif cleaned.startswith("依据"):
        decl.texts["basis"] = re.sub(r"^依据[：:]\s*", "", cleaned)
    elif cleaned:
        decl.texts["basis"] = "\n".join(t for t in (decl.texts["basis"], cleaned) if t)


def _read_money(cells: list[str], decl: Declaration) -> None:
    label = next((c for c in cells[1:] if c), "")
    amount = parse_money(next((c for c in reversed(cells) if re.search(r"\d", c)), ""))
    if "项目总预算" in label:
        decl.budget.total = parse_money(label.split("：")[-1]) or amount
    elif "当年预算" in label:
        decl.budget.current_year = amount


def _read_detail(lines: list[str], detail_at: int, rules_at: int | None, decl: Declaration) -> None:
    """项目明细 rows: (block, project, content, item, amount, unit price, …)."""
    end = rules_at if rules_at is not None else len(lines)
    for index in range(detail_at + 1, end):
        cells = [c.strip() for c in lines[index].split("\t")]
        if len(cells) < 5 or "合计" in "".join(cells) or not cells[3]:
            continue
        decl.budget.components.append(Component(cells[3], parse_money(cells[4])))


def _read_rules(lines: list[str], rules_at: int, decl: Declaration) -> None:
    """Sheet 3: add the rules to `measures`, and take the unit's name from its own rules."""
    parts = []
    for index in range(rules_at + 1, len(lines)):
        cells = [c.strip() for c in lines[index].split("\t")]
        if len(cells) < 3 or not cells[0]:
            continue
        parts.append(f"{cells[0]}：{cells[1]} {cells[2]}".strip())
        unit = re.match(r"(?<!\S)《?(\S+?(?:局|委员会|委|中心|办公室|院))财务管理", cells[1])
        if unit and decl.agency is None and cells[0] == "财务管理制度":
            decl.agency = unit[1]
            decl.warn("agency_inferred", f"未印出申报单位（填报单位为空）；从其财务管理制度“{cells[1]}”"
                                         f"读出“{unit[1]}”", index + 1)
    if parts:
        decl.texts["measures"] = "\n".join(t for t in (decl.texts["measures"], *parts) if t)
