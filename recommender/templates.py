"""Where a fill-in template (`≥__人`) is offered, suppressed or replaced by a valued row.

A library row whose typical value is a blank asks the author for the project's own number. It is
not offered when the description already states that number (`stated_for`: the stated row stands
for it, matched by unit and measured object), nor when it asks about something the project text
never names (`asks_about_project`); the project's whole budget as a ceiling (项目预算控制数 ≤__万元)
is offered valued, as a share of the approved budget (`budget_as_rate`). A deadline written without
its year (12月底前) takes the project's year (`with_project_year`): a date a reviewer can check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.targets import parse_target
from corpus.vocab import (canonical_unit, deadline_part_pattern, deadline_value_ending_pattern, measure_endings,
                          unit_families)
from recommender.library_rows import rows_of
from recommender.naming import similar
from recommender.quantify import entry_target, is_template

_UNIT_FAMILY = unit_families()  # unit → length / area / money (corpus/vocab/units.json)
# what a name measures, at its end: left out when comparing what two names count
_MEASURE_ENDING = re.compile(f"(?:{'|'.join(measure_endings())})$")  # corpus/vocab/name_endings.json


def unit_family(unit: str | None) -> str | None:
    """What a unit states: length, area, money (their aliases and multiples alike), else the unit itself,
    its alternative left out (台（套） → 台); a unit per something keeps a mark (元/亩 is not 元)."""
    if not unit:
        return None
    base = re.split(r"[（(]", unit.split("/")[0])[0]
    return _UNIT_FAMILY.get(base, canonical_unit(base)) + ("/" if "/" in unit else "")


def measured_object(name: str) -> str:
    """食品（产品）抽检批次 → 食品产品抽检: the name without its measure ending (the alternative in
    brackets kept as words)."""
    return _MEASURE_ENDING.sub("", re.sub(r"[（()）、]", "", name))


def same_object(a: str, b: str) -> bool:
    """Two names count the same thing: one object inside the other, or two character pairs in common
    (抽检食品样品 and 食品产品抽检 share 食品 and 抽检)."""
    x, y = measured_object(a), measured_object(b)
    if len(x) >= 2 and len(y) >= 2 and (x in y or y in x):
        return True
    pairs = lambda s: {s[i:i + 2] for i in range(len(s) - 1)}
    return len(pairs(x) & pairs(y)) >= 2


def stated_for(entry, stated: list) -> object | None:
    """The stated row that gives this library template's number: same unit (or unit family), same class,
    and the same measured object (or one of the row's cue words, or a near name); None if none does."""
    typical = entry_target(entry)
    if not (is_template(typical) or getattr(entry, "from_description", False)):
        return None
    family = unit_family(getattr(entry, "unit", None) or parse_target(typical.replace("__", "1")).unit)
    cues = [c for c in (getattr(entry, "cues", ()) or ()) if c]
    for item in stated:
        if family and unit_family(item.target.unit) != family:
            continue
        if item.level2 != entry.level2 and not (item.level2 in ("成本",) and entry.level1 == "成本"):
            continue
        text = item.name + item.basis
        if any(c in text for c in cues) or similar(item.name, entry.name) >= 0.5 or (
                family and same_object(item.name, entry.name)):
            return item
    return None


def asks_about_project(engine, entry, text: str) -> bool:
    """A template asks about something the project text names (新建（改建）桥梁数量 only for a project that
    mentions a bridge), judged on the specific words of its name (recommender.library_rows: words few
    kinds use); a name of measure words only (项目预算控制数) asks what any project has."""
    words = {t for t in engine.segmenter.cut(entry.name) if len(t) >= 2} & rows_of(engine).specific
    return not words or any(w in text for w in words)


# the project's whole budget as a ceiling: its number is the approved budget, which the description did not
# state (a stated sum stands for the row: stated_for); the same bound as a share of the budget needs none
_BUDGET_CEILING = re.compile(r"^项目(?:预算|资金|总投资|投资)(?:控制数|控制额|总额)?$")


@dataclass
class ValuedRow:
    """A library row written with a value in a template's place (read like a library entry)."""
    level1: str
    level2: str
    name: str
    typical: str
    basis: str
    unit: str | None = None


def budget_as_rate(entry, typical: str) -> ValuedRow | None:
    """项目预算控制数 ≤__万元 → 项目成本控制率 ≤100%; None for any other row."""
    if not (is_template(typical) and entry.level2 in ("成本", "经济成本") and _BUDGET_CEILING.search(entry.name)):
        return None
    return ValuedRow(entry.level1, entry.level2, "项目成本控制率", "≤100%",
                     f"实际支出不超过批复预算（库中“{entry.name}”的上限，写作占预算的比例，无需另填金额）", "%")


_YEAR = re.compile(r"(?<!\d)(20\d{2})年")
# a month's deadline without a year (12月底前, 12月31日前, 6月上旬前): parts and endings from corpus/vocab/deadlines.json
_YEARLESS_DEADLINE = re.compile(rf"^\d{{1,2}}月(?:\d{{1,2}}日|{deadline_part_pattern()})?(?:{deadline_value_ending_pattern()})$")


def project_year(project_name: str, description: str) -> str | None:
    """The project's year: the one year its name states (2023年…项目), else the one year its description
    states; None where neither states exactly one."""
    for text in (project_name or "", description or ""):
        years = set(_YEAR.findall(text))
        if len(years) == 1:
            return years.pop()
        if years:
            return None
    return None


def with_project_year(items: list, year: str | None) -> None:
    """12月底前 → 2023年12月底前 on every deadline row written without a year (in place), except the author's own
    (origin `description`): a stated deadline stays as the description writes it (its one year, when it writes
    one, is already there)."""
    if not year:
        return
    for item in items:
        if getattr(item, "origin", None) == "description":
            continue
        raw = (item.target.raw or "").strip()
        if _YEARLESS_DEADLINE.match(raw):
            item.target = type(item.target)(f"{year}年{raw}", item.target.operator, item.target.value, item.target.unit)
