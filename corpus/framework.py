"""The indicator framework: canonical levels and the mapping of every raw label seen in forms.

National framework (财预〔2020〕10号): 产出 / 效益 / 满意度 (+ 成本 in recent forms).
Shanghai 2019/2020 forms use 投入和管理 / 产出 / 效果 / 影响力; the mapping (corpus/vocab/frameworks.json) makes all eras
comparable (效果 → 效益; 影响力-满意度 → 满意度; 影响力's other children → 效益-可持续影响;
环境效益 → 生态效益). Raw labels are always kept beside the canonical ones by the parsers.
"""

from __future__ import annotations

import re
from functools import lru_cache

from corpus.vocab import frameworks, units

_DATA = frameworks()  # corpus/vocab/frameworks.json: every family's labels and their order
LEVEL1 = tuple(_DATA["level1"])
# the order a table shows its first levels in (the CLI, the page through GET /v1/vocab/labels)
DISPLAY_ORDER = tuple(_DATA["display_order"])
LEVEL2: dict[str, str] = dict(_DATA["level2"])  # canonical level2 → its level1
# Classes a reviewer requires in every table (domain.md §6, issue 3); "benefit": any of BENEFIT_LEVEL2.
REQUIRED = tuple(_DATA["required"])
REQUIRED_LEVEL2 = tuple(c for c in REQUIRED if c != "benefit")
REQUIRED_LEVEL1 = frozenset(LEVEL2[c] for c in REQUIRED_LEVEL2)  # 产出 / 效益 / 满意度
BENEFIT_LEVEL2 = tuple(_DATA["benefit_level2"])
BENEFIT_FILL_ORDER = tuple(_DATA["benefit_fill_order"])
# classes a cost indicator is filed under: 产出 > 成本 and the 成本 first level's children
COST_LEVEL2 = ("成本", *(level2 for level2, level1 in LEVEL2.items() if level1 == "成本"))
FAMILIES: dict[str, str] = {name: family["label"] for name, family in _DATA["families"].items()}
SHANGHAI_STEMS = frozenset(_DATA["families"]["shanghai"]["stems"])  # first-level stems only Shanghai uses
SHANGHAI_REQUIRED_OUTPUT = tuple(_DATA["families"]["shanghai"]["required_output"])

# Raw first-level stems (label without spaces and without the 目标/指标 suffix).
_RAW_LEVEL1: dict[str, str] = dict(_DATA["raw_level1"])
# First-level labels that only group other first-level classes (实施效果 > 产出 / 效益 / 满意度).
CONTAINERS = set(_DATA["containers"])
CONTAINED_LEVEL1 = {container: tuple(held) for container, held in _DATA["containers"].items()}
CONTAINED = frozenset(level1 for held in CONTAINED_LEVEL1.values() for level1 in held)  # what a container holds
# Raw second-level stems → canonical level2.
_RAW_LEVEL2: dict[str, str] = dict(_DATA["raw_level2"])
# Labels that are first-level terms only; seen in a second-level column they still say "效益" etc.


_MARKS = re.compile(r"[\s*：:]")
_SUFFIX = re.compile(r"(?:类指标|类目标|目标|指标|类)$")


@lru_cache(maxsize=8192)  # a reader asks of every cell of every row, and forms repeat their labels
def stem(label: str | None) -> str:
    """'产出 目标' → '产出'; '社会效益指标' → '社会效益'; '项目名称*：' style marks removed."""
    if not label:
        return ""
    return _SUFFIX.sub("", _MARKS.sub("", label))


def level_words() -> list[str]:
    """Every raw framework word of every family (first and second level), for building patterns."""
    return sorted(set(_RAW_LEVEL1) | set(_RAW_LEVEL2))


def is_level1_label(label: str) -> bool:
    return stem(label) in _RAW_LEVEL1 and _looks_like_label(label)


def is_level2_label(label: str) -> bool:
    return stem(label) in _RAW_LEVEL2 and _looks_like_label(label)


def is_label(label: str) -> bool:
    return is_level1_label(label) or is_level2_label(label)


def _looks_like_label(label: str) -> bool:
    # An indicator may be *named* 满意度 only when written as a full phrase; bare stems and stems
    # with 目标/指标 are labels. Long cells are never labels.
    return len(re.sub(r"\s", "", label)) <= 12


def canonical_level1(raw: str | None) -> str | None:
    """Canonical first level of a raw first-level label; 影响力 has no single answer (None)."""
    value = _RAW_LEVEL1.get(stem(raw))
    return None if value in ("影响力", "实施效果") else value


def canonical_level2(raw: str | None) -> str | None:
    return _RAW_LEVEL2.get(stem(raw))


def compatible(raw_level1: str | None, raw_level2: str | None) -> bool:
    """Can a row with this second-level label sit under this first-level label?"""
    level2 = canonical_level2(raw_level2)
    if level2 is None or not raw_level1:
        return True
    parent = _RAW_LEVEL1.get(stem(raw_level1))
    if parent == "影响力":  # old framework: 满意度 and sustainability children
        return level2 in ("可持续影响", "服务对象满意度")
    if parent == "效益" and level2 == "服务对象满意度":  # 2020 forms file 满意度 under 效果目标
        return True
    if parent in CONTAINERS:
        return True
    return LEVEL2[level2] == parent


def canonical(raw_level1: str | None, raw_level2: str | None) -> tuple[str | None, str | None]:
    """(level1, level2) in the national framework. The second level settles conflicts."""
    level2 = canonical_level2(raw_level2)
    if raw_level2 and stem(raw_level2) in _RAW_LEVEL1 and level2 is None:
        # a first-level term printed in the second-level column (e.g. 效益指标)
        return canonical_level1(raw_level2), None
    if level2 is not None:
        return LEVEL2[level2], level2
    parent = _RAW_LEVEL1.get(stem(raw_level1))
    if parent == "影响力":
        return "效益", "可持续影响"
    if parent in CONTAINERS:
        return None, None
    return parent, None


# ---- level from an indicator's meaning (used where the layout cannot tell) -------------------
_COUNT_UNITS = frozenset(_DATA["count_value_units"])  # a value in these says 数量 (frameworks.json)
_TIME_UNITS = frozenset(u["unit"] for u in units() if u.get("time_limit"))  # units.json: a time limit
# Ordered: the first rule whose class is allowed and that matches wins.
# (level2, name pattern, value test)
_MEANING_RULES: tuple[tuple[str, str, str], ...] = (
    ("服务对象满意度", r"满意|好评|差评率", ""),
    ("财务管理", r"财务|资金使用|专款专用|会计", ""),
    ("投入管理", r"预算|资金到位|到位率", ""),
    ("时效", r"时间|时限|期限|及时|时效|进度|周期|按时", "time"),
    ("数量", r"数量|次数|个数|人次|场次", "count"),
    ("质量", r"率|完好|合格|质量|运作|规范|达标|准确|完整|完备", ""),
    ("可持续影响", r"能力|机制|长效|制度|可持续|专家库|平台|队伍", ""),
    ("经济效益", r"经济|收入|产值|投资|节约|成本降低", ""),
    ("生态效益", r"生态|节能|减排|绿化|污染", ""),
    ("社会效益", r"社会|环境|宣传|宣贯|知晓|影响|召回|行政|公众", ""),
)


def level2_from_meaning(name: str, value: str = "", allowed: set[str] | None = None, *,
                        strict: bool = False) -> str | None:
    """Best second level for an indicator from its name and value, among `allowed` if given.

    `strict`: only an explicit rule match counts (no fallback to a plausible class)."""
    from corpus.targets import parse_target  # local: targets is a sibling leaf module

    target = parse_target(value)
    value_kind = ("time" if target.kind == "deadline" or target.unit in _TIME_UNITS else
                  "count" if target.unit in _COUNT_UNITS else "")
    for level2, name_pattern, value_test in _MEANING_RULES:
        if allowed is not None and level2 not in allowed:
            continue
        if re.search(name_pattern, name) or (value_test and value_test == value_kind):
            return level2
    if strict or not allowed:
        return None
    numeric = target.kind == "quantitative"
    for fallback in (("数量", "质量") if numeric else ("社会效益", "可持续影响", "质量")):
        if fallback in allowed:
            return fallback
    return sorted(allowed)[0]
