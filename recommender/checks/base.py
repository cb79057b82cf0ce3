"""Finding: one problem a reviewer sends back, with a code from the reviewer taxonomy (domain.md §6)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

CODES = {
    "INCOMPLETE": "指标不够完整", "NOT_QUANTIFIED": "指标不够细化、量化",
    "IRRELEVANT": "指标与项目的相关性不够", "VALUE_MISMATCH": "指标与指标值不匹配",
    "SPLIT": "建议拆分指标", "LEVEL1_WRONG": "一级指标类型错误", "LEVEL2_WRONG": "二级指标类型错误",
    "ADD_BENEFIT": "建议增加明确效益指标", "ADD_OUTPUT": "建议增加明确产出指标",
    "ADD_SATISFACTION": "建议增加满意度指标", "OTHER": "其他",
    # self-evaluations (自评表): a target not reached, and targets set so that they cannot fail
    "TARGET_MISSED": "未完成年度指标值", "TARGET_GAMING": "目标值设置偏低或照抄实际值",
}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class Finding:
    code: str
    label: str
    severity: str  # error | warning | info
    level1: str | None
    level2: str | None
    indicator: str | None
    value: str | None
    line: int | None
    message: str
    suggestion: dict | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def finding(code: str, severity: str, message: str, *, line=None, indicator=None, value=None,
            level1=None, level2=None, suggestion=None) -> Finding:
    return Finding(code, CODES[code], severity, level1, level2, indicator, value, line, message, suggestion)


def row_finding(code: str, severity: str, message: str, ind, suggestion=None) -> Finding:
    """A finding on one indicator row."""
    return Finding(code, CODES[code], severity, ind.level1, ind.level2, ind.name, ind.target.raw, ind.line,
                   message, suggestion)
