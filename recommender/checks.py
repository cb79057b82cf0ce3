"""Form-level checks, each a finding with a code from the reviewer taxonomy (domain.md §6)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

from corpus.schema import Declaration
from recommender.extract import extract
from recommender.merge import merge_key, similar

CODES = {
    "INCOMPLETE": "指标不够完整", "NOT_QUANTIFIED": "指标不够细化、量化",
    "IRRELEVANT": "指标与项目的相关性不够", "VALUE_MISMATCH": "指标与指标值不匹配",
    "SPLIT": "建议拆分指标", "LEVEL1_WRONG": "一级指标类型错误", "LEVEL2_WRONG": "二级指标类型错误",
    "ADD_BENEFIT": "建议增加明确效益指标", "ADD_OUTPUT": "建议增加明确产出指标",
    "ADD_SATISFACTION": "建议增加满意度指标", "OTHER": "其他",
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


def _finding(code: str, severity: str, message: str, *, line=None, indicator=None, value=None,
             level1=None, level2=None, suggestion=None) -> Finding:
    return Finding(code, CODES[code], severity, level1, level2, indicator, value, line, message, suggestion)


def form_findings(decl: Declaration) -> list[Finding]:
    return _classes(decl) + _duplicates(decl) + _budget(decl) + _promises(decl)


def _classes(decl: Declaration) -> list[Finding]:
    out = []
    level1s = {i.level1 for i in decl.indicators}
    level2s = {i.level2 for i in decl.indicators}
    if not decl.indicators:
        return [_finding("INCOMPLETE", "error", "表中没有读到任何绩效指标")]
    if "产出" not in level1s:
        out.append(_finding("ADD_OUTPUT", "error", "没有产出指标（数量、质量、时效）"))
    if "效益" not in level1s:
        out.append(_finding("ADD_BENEFIT", "error", "没有效益指标（经济、社会、生态效益或可持续影响）"))
    if "满意度" not in level1s:
        out.append(_finding("ADD_SATISFACTION", "warning", "没有服务对象满意度指标"))
    has_level2 = any(i.level2 for i in decl.indicators if i.level1 == "产出")
    missing = [c for c in ("数量", "质量", "时效") if c not in level2s]
    if "产出" in level1s and has_level2 and missing:
        out.append(_finding("INCOMPLETE", "warning", f"产出指标缺少{'、'.join(missing)}指标"))
    benefit = [c for c in ("经济效益", "社会效益", "生态效益") if c in level2s]
    if "效益" in level1s and any(i.level2 for i in decl.indicators if i.level1 == "效益") and not benefit:
        out.append(_finding("INCOMPLETE", "info", "效益指标中没有经济、社会或生态效益指标"))
    return out


def _duplicates(decl: Declaration) -> list[Finding]:
    counts = Counter(merge_key(i.name) for i in decl.indicators)
    out = []
    for key, n in counts.items():
        if n < 2:
            continue
        rows = [i for i in decl.indicators if merge_key(i.name) == key]
        places = "、".join(f"第{i.line}行（{i.level1}/{i.level2 or '—'}，{i.target.raw or '空'}）" for i in rows)
        out.append(_finding("OTHER", "warning", f"指标“{rows[0].name}”重复出现 {n} 次：{places}；"
                            "同一指标只应填在一个类别下", line=rows[1].line, indicator=rows[0].name,
                            value=rows[1].target.raw, level1=rows[1].level1, level2=rows[1].level2))
    return out


def _budget(decl: Declaration) -> list[Finding]:
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
    return [_finding("OTHER", "error", message)]


def _promises(decl: Declaration) -> list[Finding]:
    goal = decl.texts.get("annual_goal") or ""
    out = []
    for stated in extract(goal):
        if stated.value is None:
            continue
        measured = any(i.target.value == stated.value and (i.target.unit in (stated.unit, None))
                       for i in decl.indicators)
        named = any(similar(i.name, stated.name) >= 0.6 for i in decl.indicators)
        if not measured and not named:
            out.append(_finding("INCOMPLETE", "warning",
                                f"年度绩效目标写明“{stated.evidence[:60]}”，但没有指标衡量这一承诺",
                                suggestion={"raw": f"{stated.level2}指标：{stated.name} {stated.target_raw}",
                                            "basis": "由年度绩效目标中的数字生成"}))
    return out
