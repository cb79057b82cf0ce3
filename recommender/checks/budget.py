"""Sub-item amounts against the year's budget (元 vs 万元 detected)."""

from __future__ import annotations

from corpus.schema import Declaration
from recommender.checks.base import Finding, finding


def check(decl: Declaration) -> list[Finding]:
    parts = [c.amount for c in decl.budget.components if c.amount is not None]
    current = decl.budget.current_year
    if not parts or current is None:
        return []
    total = sum(parts)
    if abs(total - current) <= 1:
        return []
    if abs(total * 10_000 - current) <= 1:
        message = (f"子项目金额合计 {total:,.2f} 与当年预算 {current:,.0f} 元相差一万倍：子项目金额的单位"
                   "可能是万元")
    else:
        message = f"子项目金额合计 {total:,.0f} 元，与当年预算 {current:,.0f} 元不一致（差 {total - current:,.0f} 元）"
    return [finding("OTHER", "error", message)]
