"""Checks of one indicator row, as a registry: each check has an id, the reviewer-taxonomy code it
reports and the severity that comes with it (the reviewer's per-row logic decides *whether* a check
fires; what it is called and how bad it is are written here once)."""

from __future__ import annotations

from dataclasses import dataclass

from recommender.checks.base import Finding, row_finding


@dataclass(frozen=True)
class RowCheck:
    id: str
    code: str      # reviewer taxonomy (checks.base.CODES)
    severity: str  # error | warning | info
    scope: str     # what it looks at


ROW_CHECKS = {c.id: c for c in (
    RowCheck("placeholder", "NOT_QUANTIFIED", "error", "目标值为空或为占位符"),
    RowCheck("vague", "NOT_QUANTIFIED", "warning", "目标值无法客观判定"),
    RowCheck("vague_core", "NOT_QUANTIFIED", "error", "★核心指标的目标值无法客观判定"),
    RowCheck("core_not_quantified", "NOT_QUANTIFIED", "error", "★核心指标的目标值没有量化"),
    RowCheck("aim", "NOT_QUANTIFIED", "warning", "名称是工作目的而不是可衡量的指标"),
    RowCheck("value_mismatch", "VALUE_MISMATCH", "warning", "目标值与指标衡量的内容或模板提示不符"),
    RowCheck("split", "SPLIT", "warning", "一个目标值写了几个指标"),
    # a rate above 100% and a cost with a floor are errors of the plan, not of wording
    RowCheck("rate_over_100", "VALUE_MISMATCH", "error", "比率超过100%"),
    RowCheck("cost_floor", "VALUE_MISMATCH", "error", "成本指标设了下限（≥）"),
    RowCheck("deadline_after_end", "VALUE_MISMATCH", "error", "期限晚于项目结束日期"),
    # within the end date's own month it is a matter of wording, not a plan error
    RowCheck("deadline_after_end_month", "VALUE_MISMATCH", "warning", "期限晚于结束日期，但在同一月内"),
    RowCheck("level1_misfiled", "LEVEL1_WRONG", "warning", "名称更像另一个一级指标"),
    RowCheck("level2_misfiled", "LEVEL2_WRONG", "warning", "名称更像另一个二级指标"),
)}


def row_check_finding(check_id: str, message: str, ind, suggestion: dict | None = None) -> Finding:
    check = ROW_CHECKS[check_id]
    return row_finding(check.code, check.severity, message, ind, suggestion)
