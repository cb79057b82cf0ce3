"""The same indicator name twice in one table."""

from __future__ import annotations

from collections import Counter

from corpus.schema import Declaration
from recommender.checks.base import Finding, finding
from recommender.naming import merge_key


def check(decl: Declaration) -> list[Finding]:
    counts = Counter(merge_key(i.name) for i in decl.indicators)
    out = []
    for key, n in counts.items():
        if n < 2:
            continue
        rows = [i for i in decl.indicators if merge_key(i.name) == key]
        places = "、".join(f"第{i.line}行（{i.level1}/{i.level2 or '—'}，{i.target.raw or '空'}）" for i in rows)
        out.append(finding("OTHER", "warning", f"指标“{rows[0].name}”重复出现 {n} 次：{places}；"
                           "同一指标只应填在一个类别下", line=rows[1].line, indicator=rows[0].name,
                           value=rows[1].target.raw, level1=rows[1].level1, level2=rows[1].level2))
    return out
