"""Framework checks per template family, the family read from the form's own raw labels.

- national (财预〔2020〕10号 and the 2021 指引): 产出 / 效益 / 满意度 required, 成本 where the
  template has it (a 成本 block printed), at least one 数量 row and one 质量 or 时效 row;
- shanghai (2019/2020: 投入和管理 / 产出 / 效果 / 影响力): 产出 / 效益 / 满意度 and the three
  output classes, as the first version did;
- ndrc (中央预算内投资计划绩效目标表: 实施效果 > 产出 / 效益 / 满意度, 过程管理 > 计划 / 资金 /
  项目管理 / 监督检查): 产出 and 效益 required, 满意度 and 过程管理 expected;
- completion (项目完成指标 / 项目效益指标): both required, 数量 and 质量 or 时效 when the second
  level is printed.
Every finding says which framework the form was checked against.
"""

from __future__ import annotations

from corpus import framework
from corpus.schema import Declaration
from recommender.checks.base import Finding, finding

FAMILIES = framework.FAMILIES  # family → its name as a person reads it (corpus/vocab/frameworks.json)


def _stems(decl: Declaration) -> set[str]:
    stems = set()
    for ind in decl.indicators:
        for raw in (ind.raw_level1, ind.raw_level2):
            stem = framework.stem(_no_score(raw))
            if stem:
                stems.add(stem)
    return stems


def _no_score(label: str | None) -> str:
    """'产出指标(50分)' → '产出指标'; '成本指标(0-20)分' → '成本指标'."""
    import re
    return re.sub(r"[(（][^()（）]*[)）]\s*分?$|(?<!\d)\d+分$", "", label or "")


def detect_family(decl: Declaration) -> str:
    stems = _stems(decl)
    if stems & {"实施效果", "过程管理"}:
        return "ndrc"
    if stems & {"项目完成", "项目效益"}:
        return "completion"
    if stems & framework.SHANGHAI_STEMS or any(i.level1 == "投入和管理" for i in decl.indicators):
        return "shanghai"
    return "national"


def check(decl: Declaration) -> list[Finding]:
    if not decl.indicators:
        return [finding("INCOMPLETE", "error", "表中没有读到任何绩效指标")]
    family = detect_family(decl)
    against = f"（按{FAMILIES[family]}检查）"
    level1s = {i.level1 for i in decl.indicators if i.level1}
    if not level1s:
        return [finding("INCOMPLETE", "warning", f"表中没有读到一级指标，无法核对指标体系是否完整{against}")]
    out: list[Finding] = []

    def need(level1: str, code: str, severity: str, message: str) -> None:
        if level1 not in level1s:
            out.append(finding(code, severity, message + against))

    need("产出", "ADD_OUTPUT", "error", "没有产出指标（数量、质量、时效）")
    need("效益", "ADD_BENEFIT", "error", "没有效益指标（经济、社会、生态效益或可持续影响）")
    if family == "completion":
        need("满意度", "ADD_SATISFACTION", "info", "没有服务对象满意度指标")
    else:
        need("满意度", "ADD_SATISFACTION", "warning", "没有服务对象满意度指标")
    if family == "ndrc":
        need("投入和管理", "INCOMPLETE", "warning", "没有过程管理指标（计划、资金、项目管理、监督检查）")
        return out
    out += _output_classes(decl, family, against)
    if family == "national":
        out += _cost(decl, against)
    level2s = {i.level2 for i in decl.indicators}
    benefit = [c for c in framework.BENEFIT_LEVEL2 if c in level2s]
    if "效益" in level1s and any(i.level2 for i in decl.indicators if i.level1 == "效益") and not benefit:
        out.append(finding("INCOMPLETE", "info", "效益指标中没有经济、社会或生态效益指标" + against))
    return out


def _output_classes(decl: Declaration, family: str, against: str) -> list[Finding]:
    outputs = [i for i in decl.indicators if i.level1 == "产出"]
    if not outputs or not any(i.level2 for i in outputs):
        return []
    level2s = {i.level2 for i in outputs}
    if family == "shanghai":  # the first version's rule: every output class
        missing = [c for c in framework.SHANGHAI_REQUIRED_OUTPUT if c not in level2s]
        return [finding("INCOMPLETE", "warning", f"产出指标缺少{'、'.join(missing)}指标" + against)] if missing else []
    out = []
    if "数量" not in level2s:
        out.append(finding("INCOMPLETE", "warning", "产出指标中没有数量指标（至少一项）" + against))
    if not level2s & {"质量", "时效"}:
        out.append(finding("INCOMPLETE", "warning", "产出指标中没有质量或时效指标（至少一项）" + against))
    return out


def _cost(decl: Declaration, against: str) -> list[Finding]:
    """成本 where the template has it: a 成本 block is printed (first level or its classes)."""
    rows = [i for i in decl.indicators if i.level1 == "成本" or i.level2 in framework.COST_LEVEL2]
    if not rows:
        return []
    if any(i.target.raw.strip() for i in rows):
        return []
    return [finding("INCOMPLETE", "warning", "模板设有成本指标，但成本指标均未填写目标值" + against)]
