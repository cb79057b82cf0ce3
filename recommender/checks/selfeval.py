"""Self-evaluations (自评表): was each target met, and were the targets set so that they cannot fail?

A row is compared when its target and its actual value (全年实际值, `Target.actual`) are both
numbers in compatible units, or both dates. Met / missed follows the target's operator; an exact
output target (=10个) is met when reached or exceeded, an exact cost or a bad event when not
exceeded. The classic gaming patterns reviewers look for:
- every actual value equal to its target (the target column copied into the actual column, or the
  target written after the fact);
- 100% everywhere (every rate target, and every actual, at 100%);
- a target far below what was achieved (actual ≥ 1.5 × a ≥ target);
- a target below last year's actual value of the same project (when last year's form is known).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from corpus import framework
from corpus.schema import Declaration, Indicator
from corpus.targets import parse_target
from corpus.vocab import operator_display, unit_scales
from models.measure import clean_name, is_negative
from recommender.checks.base import Finding, finding, row_finding
from recommender.naming import merge_key

_SCALE = unit_scales()  # 万元 → (元, 10000), km → (m, 1000): corpus/vocab/units.json
OVERSHOOT = 1.5
_SYMBOLS = {op: operator_display(op) for op in (">=", ">", "=")}  # the floors a copied target keeps


@dataclass
class Comparison:
    met: bool
    gap: str  # in words, for the message
    equal: bool  # actual == target exactly
    target_value: float | None = None
    actual_value: float | None = None


def is_self_evaluation(decl: Declaration) -> bool:
    return (decl.form_kind or "").startswith("自评") or any(i.target.actual for i in decl.indicators)


def _number(raw: str):
    t = parse_target(raw)
    if t.kind not in ("quantitative",) or t.value is None:
        return None
    unit, factor = _SCALE.get(t.unit or "", (t.unit, 1))
    return t, t.value * factor, unit


def _date(raw: str, year: int | None):
    t = parse_target(raw)
    if t.kind != "deadline" or not t.deadline or not t.deadline.get("month"):
        return None
    y = t.deadline.get("year") or year or 2000
    month = t.deadline["month"]
    if not 1 <= month <= 12:
        return None
    day = t.deadline.get("day") or calendar.monthrange(y, month)[1]
    return (y, month, day)


def compare(ind: Indicator, year: int | None = None) -> Comparison | None:
    """Target vs actual of one row; None when they cannot be compared (words, other units)."""
    actual_raw = (ind.target.actual or "").strip()
    target_raw = (ind.target.raw or "").strip()
    if not actual_raw or not target_raw:
        return None
    planned, done = _date(target_raw, year), _date(actual_raw, year)
    if planned and done:
        late = (done[0] - planned[0]) * 12 + done[1] - planned[1]
        gap = f"比计划晚 {late} 个月" if late > 0 else "按期完成"
        return Comparison(done <= planned, gap, planned == done)
    target, actual = _number(target_raw), _number(actual_raw)
    if not target or not actual:
        return None
    (t, t_value, t_unit), (_, a_value, a_unit) = target, actual
    if t_unit and a_unit and t_unit != a_unit:
        return None
    if t.unit == "%" and t.value > 100 and "增长" not in ind.name:
        return None  # a rate above 100% is a misread target (OCR ≥ → 2), not a plan to compare with
    op = t.operator or "="
    lower_is_better = op in ("<=", "<") or is_negative(ind.name) or "成本" in clean_name(ind.name) \
        or ind.level2 in framework.COST_LEVEL2
    if op == ">=":
        met = a_value >= t_value
    elif op == ">":
        met = a_value > t_value
    elif op == "<=":
        met = a_value <= t_value
    elif op == "<":
        met = a_value < t_value
    else:
        met = a_value <= t_value if lower_is_better else a_value >= t_value
    factor = _SCALE.get(t.unit or "", (t.unit, 1))[1]
    diff = a_value - t_value
    # the gap in the target's own unit: 1100万元 vs 1093万元 → 7万元
    shown = _fmt(abs(diff) / factor) + ("个百分点" if t.unit == "%" else (t.unit or ""))
    gap = ("与目标相同" if diff == 0 else f"{'超出' if diff > 0 else '低于'}目标 {shown}")
    return Comparison(met, gap, a_value == t_value, t_value, a_value)


def _fmt(x: float) -> str:
    x = round(x, 4)
    return f"{x:,.4f}".rstrip("0").rstrip(".") if x != int(x) else f"{int(x):,}"


def check(decl: Declaration) -> list[Finding]:
    if not is_self_evaluation(decl):
        return _all_hundred(decl, with_actuals=False)
    out, compared = [], []
    for ind in decl.indicators:
        c = compare(ind, decl.year)
        if c is None:
            continue
        compared.append((ind, c))
        if not c.met:
            out.append(row_finding("TARGET_MISSED", "warning",
                                   f"“{ind.name}”年度指标值 {ind.target.raw}，全年实际值 {ind.target.actual}："
                                   f"未完成，{c.gap}；应说明偏差原因及改进措施", ind))
        elif (c.target_value and c.actual_value is not None and parse_target(ind.target.raw).operator in (">=", ">")
              and c.actual_value >= OVERSHOOT * c.target_value):
            share = round(100 * (c.actual_value / c.target_value - 1))
            out.append(row_finding("TARGET_GAMING", "info",
                                   f"“{ind.name}”实际值 {ind.target.actual} 超出目标 {ind.target.raw} 的 {share}%："
                                   "目标可能定得过低，下年应按实际能力设定", ind))
    if len(compared) >= 3 and all(c.equal for _, c in compared):
        out.append(finding("TARGET_GAMING", "warning",
                           f"全部 {len(compared)} 项可比指标的全年实际值与年度指标值完全相同：疑为照抄目标值或事后填写目标，"
                           "应附完成情况的佐证材料"))
    out += _all_hundred(decl, with_actuals=True)
    return out


def _all_hundred(decl: Declaration, with_actuals: bool) -> list[Finding]:
    rates = [i for i in decl.indicators if parse_target(i.target.raw).unit == "%"]
    if len(rates) < 4 or not all(parse_target(i.target.raw).value == 100 for i in rates):
        return []
    if with_actuals and all(parse_target(i.target.actual or "").value == 100 for i in rates):
        return [finding("TARGET_GAMING", "warning",
                        f"全部 {len(rates)} 项比率指标的目标值和全年实际值都是100%：目标没有区分难易，"
                        "实际值也缺少依据")]
    return [finding("TARGET_GAMING", "info",
                    f"全部 {len(rates)} 项比率指标的目标值都是100%：目标没有区分难易，难以反映绩效差异")]


# ---- last year's actual values ---------------------------------------------------------------
def project_key(decl: Declaration) -> tuple[str, str]:
    """Agency and project name without years: 2022年X项目 and 2023年X项目 are the same project."""
    name = re.sub(r"(19|20)\d{2}\s*年?度?", "", decl.project_name or "")
    return (decl.agency or "", re.sub(r"[\s(（）)]", "", name))


def history_check(decl: Declaration, previous: Declaration | None) -> list[Finding]:
    """Targets set below what the same project achieved last year."""
    if previous is None:
        return []
    last = {merge_key(i.name): i for i in previous.indicators if i.target.actual}
    out = []
    for ind in decl.indicators:
        before = last.get(merge_key(ind.name))
        target = _number(ind.target.raw or "")
        done = _number(before.target.actual) if before else None
        if not before or not target or not done or target[0].operator not in (">=", ">", "="):
            continue
        if target[2] and done[2] and target[2] != done[2]:
            continue
        if is_negative(ind.name) or target[0].operator == "=" and "成本" in ind.name:
            continue
        if target[1] < done[1]:
            out.append(row_finding("TARGET_GAMING", "warning",
                                   f"“{ind.name}”目标值 {ind.target.raw} 低于上年（{previous.year}年）实际完成值 "
                                   f"{before.target.actual}：目标应不低于上年实际水平", ind,
                                   {"raw": _SYMBOLS.get(target[0].operator, "") + before.target.actual.lstrip("≥≤=<>＝ "),
                                    "basis": f"上年自评表（{previous.id}）的全年实际值"}))
    return out
