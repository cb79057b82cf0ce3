"""Header-field labels of the tab-separated forms and where each goes in a Declaration."""

from __future__ import annotations

import re

from corpus.schema import Declaration
from corpus.text import checked_label, clean_prose, parse_date, parse_money

# Field names as a user reads them in a warning.
LABELS = {"start_date": "开始时间", "end_date": "结束时间", "total": "项目总预算",
          "current_year": "项目当年预算", "last_year": "同名项目上年预算额",
          "last_year_executed": "同名项目上年预算执行数"}

# normalised label → (kind, target)
FIELDS: dict[str, tuple[str, str]] = {
    "项目名称": ("plain", "project_name"),
    "项目类型": ("choice", "project_type"), "项目类别": ("choice", "project_type"),
    "资金用途": ("choice", "fund_use"), "绩效类型": ("choice", "fund_use"),
    "开始时间": ("start", "start_date"), "计划开始日期": ("start", "start_date"),
    "起始日期": ("start", "start_date"),
    "结束时间": ("end", "end_date"), "计划完成日期": ("end", "end_date"),
    "结束日期": ("end", "end_date"),
    "项目概况": ("text", "overview"), "立项依据": ("text", "basis"),
    "项目设立的必要性": ("text", "necessity"), "保证项目实施的制度、措施": ("text", "measures"),
    "项目相关资源投入和制度建设情况": ("text", "measures"),
    "项目实施计划": ("text", "plan"), "项目总目标": ("text", "overall_goal"),
    "总目标及阶段性目标": ("text", "overall_goal"), "年度绩效目标": ("text", "annual_goal"),
    "项目总预算(元)": ("money", "total"), "项目当年预算(元)": ("money", "current_year"),
    "同名项目上年预算额(元)": ("money", "last_year"),
    "同名项目上年预算执行数(元)": ("money", "last_year_executed"),
    "同名项目上年预算执行": ("money", "last_year_executed"),
    "同名项目上年预算执行数": ("money", "last_year_executed"),
}


def normalise_label(cell: str) -> str:
    text = re.sub(r"[\s*：:]", "", cell).replace("（", "(").replace("）", ")")
    return text


def field_of(cell: str) -> tuple[str, str] | None:
    return FIELDS.get(normalise_label(cell))


def set_field(decl: Declaration, kind: str, target: str, value: str, line: int) -> None:
    """Store one header field; choice fields take the checked box or the plain text."""
    value = value.strip()
    if kind == "plain":
        setattr(decl, target, re.sub(r"\s+", " ", value) or None)
    elif kind == "choice":
        if "<input" in value:
            label = checked_label(value)
            if label and getattr(decl, target) is None:
                setattr(decl, target, label)
        elif value and getattr(decl, target) is None:
            setattr(decl, target, value)
    elif kind in ("start", "end"):
        date = parse_date(value, year=decl.year, end=kind == "end")
        if value and date is None:
            decl.warn("bad_date", f"{LABELS.get(target, target)}：无法从“{value}”读出日期", line)
        setattr(decl, target, date)
    elif kind == "text":
        previous = decl.texts.get(target)
        cleaned = clean_prose(value)
        decl.texts[target] = "\n".join(t for t in (previous, cleaned) if t) or None
    elif kind == "money":
        amount = parse_money(value)
        if value and value not in ("无", "-", "/") and amount is None:
            decl.warn("bad_amount", f"{LABELS.get(target, target)}：无法从“{value}”读出金额", line)
        setattr(decl.budget, target, amount)
