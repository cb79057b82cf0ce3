"""Checks, each a finding with a code from the reviewer taxonomy.

Registries: `FORM_CHECKS` lists the form-level checks (id, what it checks, function), one module
per check; `form_findings(decl)` runs them all; `history_check` needs last year's form of the same
project and is run by the reviewer. `ROW_CHECKS` (rows.py) names the checks of one indicator row,
each with its code and severity; the reviewer decides when one fires.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from corpus.schema import Declaration
from recommender.checks import budget, coverage, duplicates, promises, selfeval
from recommender.checks.base import CODES, SEVERITY_ORDER, Finding, finding, row_finding
from recommender.checks.coverage import FAMILIES, detect_family
from recommender.checks.rows import ROW_CHECKS, RowCheck, row_check_finding
from recommender.checks.selfeval import history_check, is_self_evaluation


@dataclass(frozen=True)
class Check:
    id: str
    scope: str  # what it looks at
    run: Callable[[Declaration], list[Finding]]


FORM_CHECKS = (
    Check("framework", "指标体系是否完整（按表单所属的框架）", coverage.check),
    Check("duplicates", "同一指标是否重复", duplicates.check),
    Check("budget", "子项目金额是否与当年预算一致", budget.check),
    Check("promises", "年度目标中的数字是否有指标衡量", promises.check),
    Check("self_evaluation", "自评表：目标是否完成，目标值是否照抄或偏低", selfeval.check),
)


def form_findings(decl: Declaration) -> list[Finding]:
    return [f for check in FORM_CHECKS for f in check.run(decl)]


__all__ = ["CODES", "SEVERITY_ORDER", "FAMILIES", "FORM_CHECKS", "ROW_CHECKS", "Check", "Finding", "RowCheck",
           "detect_family", "finding", "form_findings", "history_check", "is_self_evaluation", "row_check_finding",
           "row_finding"]
