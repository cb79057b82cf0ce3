"""Plain-text rendering for the terminal: CJK-aware alignment, one block per declaration."""

from __future__ import annotations

import unicodedata

from corpus.schema import Declaration
from corpus.vocab import label, layout_label


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, size: int) -> str:
    return text + " " * max(0, size - width(text))


def table(rows: list[list[str]], indent: str = "  ") -> str:
    sizes = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(indent + "  ".join(pad(cell, sizes[i]) for i, cell in enumerate(row)).rstrip()
                     for row in rows)


def origin_label(origin: str) -> str:
    """Where the corpus came from, for a user: the store or the bundled samples."""
    if origin.startswith("bundled"):
        return "内置样例语料（用户语料库为空）"
    return "用户语料库"


def money(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def declaration_summary(decl: Declaration) -> str:
    src = decl.source
    budget = decl.budget
    lines = [
        f"== {decl.id}  {decl.project_name or '（项目名称缺失）'}",
        f"  来源: {src.file}（版式：{layout_label(src.layout)}，行 {src.line_start}–{src.line_end}）   年度: {decl.year or '—'}",
        f"  申报/实施单位: {decl.agency or '—'}   主管部门: {decl.department or '—'}",
        f"  项目类型: {decl.project_type or '—'}   资金用途: {decl.fund_use or '—'}   "
        f"期间: {decl.start_date or '—'} – {decl.end_date or '—'}",
        f"  预算(元): 总额 {money(budget.total)}  当年 {money(budget.current_year)}  "
        f"上年 {money(budget.last_year)}  上年执行 {money(budget.last_year_executed)}  "
        f"子项目 {len(budget.components)}",
        f"  指标 ({len(decl.indicators)}):",
    ]
    rows = [["行", "一级", "二级", "三级指标", "目标值", "类型"]]
    for ind in decl.indicators:
        rows.append([str(ind.line or ""), ind.level1 or "—",
                     (ind.level2 or "—") + ("*" if ind.inferred else ""),
                     ind.name, ind.target.raw or "（空）", label("target_kinds", ind.target.kind)])
    lines.append(table(rows, indent="    "))
    if any(ind.inferred for ind in decl.indicators):
        lines.append("    * 层级由指标含义推断")
    for warning in decl.warnings:
        where = f"行 {warning.line}: " if warning.line else ""
        lines.append(f"  ! {where}{warning.message} [{warning.code}]")
    return "\n".join(lines)
