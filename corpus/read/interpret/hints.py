"""Template hints printed inside indicator names: `(≥**人)`, `≥**%`, `(≤**元/亩)`, `(**月**日前)`,
a bare unit `(个)` / `(%)`. The name keeps them as printed; the hint says what the template asks."""

from __future__ import annotations

import re

from corpus.vocab import operator_glyphs

_OPS = operator_glyphs()  # glyph → operator (corpus/vocab/operators.json)
_PLACEHOLDER = re.compile(
    r"[(（]?(?<!\s)\s*(?:(?P<op>≥|>=|≧|≤|<=|≦|=|＝|>|<|＞|＜)\s*)?(?:\*{1,3}|X{1,3}|x{1,3}|(?<!_)_{2,}|(?<!＿)＿+)\s*"
    r"(?P<unit>[^()（）*\s]{0,8}?)\s*[)）]?$")  # (?<!…): a run entered at its start only (linear time)
_DEADLINE = re.compile(r"[(（]\s*\*{1,3}\s*月\s*\*{0,3}\s*日?\s*前?\s*[)）]")
_BARE_UNIT = re.compile(r"[(（]\s*(%|‰|个|人|人次|户|亩|万元|元|公里|km|米|平方米|㎡|m²|吨|次|家|项|座|"
                        r"处|台|套|辆|月|天|日|年|工作日|小时|元/亩|元/人|元/户|万亩)\s*[)）]")


def name_hint(name: str) -> dict[str, str | None] | None:
    text = name.replace("★", "").strip()
    deadline = _DEADLINE.search(text)
    if deadline:
        return {"raw": deadline[0], "operator": "<=", "unit": "日期"}
    for match in re.finditer(r"[(（][^()（）]*\*[^()（）]*[)）]|(?:≥|≤|>=|<=|=|＞|＜)\s*\*{1,3}\S{0,8}$", text):
        inner = _PLACEHOLDER.search(match[0])
        if inner:
            unit = (inner["unit"] or "").strip() or None
            return {"raw": match[0], "operator": _OPS.get(inner["op"] or "", None), "unit": unit}
    bare = _BARE_UNIT.search(text)
    if bare:
        return {"raw": bare[0], "operator": None, "unit": bare[1]}
    return None
