"""An annual goal that promises a number ("孵化10家企业") with no indicator measuring it."""

from __future__ import annotations

from corpus.schema import Declaration
from recommender.checks.base import Finding, finding
from recommender.stated import extract
from recommender.naming import similar


def check(decl: Declaration) -> list[Finding]:
    goal = decl.texts.get("annual_goal") or ""
    out, seen = [], set()
    for stated in extract(goal):
        if stated.value is None:
            continue
        measured = any(i.target.value == stated.value and (i.target.unit in (stated.unit, None))
                       for i in decl.indicators)
        named = any(similar(i.name, stated.name) >= 0.6 for i in decl.indicators)
        key = (stated.level2, stated.value, stated.unit)
        if not measured and not named and key not in seen:
            seen.add(key)
            out.append(finding("INCOMPLETE", "warning",
                               f"年度绩效目标写明“{stated.evidence[:60]}”，但没有指标衡量这一承诺",
                               suggestion={"raw": f"{stated.level2}指标：{stated.name} {stated.target_raw}",
                                           "basis": "由年度绩效目标中的数字生成"}))
    return out
