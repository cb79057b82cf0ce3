"""Does a value have the type its indicator measures? (separate from "is it vague?")

What the indicator measures is read from its name, its template hint and, for costs, its second
level (models/measure.py): a rate wants a %, a count a number of things, money an amount of
yuan, a duration a length of time, a deadline a date, a state a verifiable outcome. A goal
sentence (促进…发展, 维护社会稳定) is not an indicator: a percentage on it measures nothing.
Misfits seen in real forms: 项目维持时效 ≥95% (a rate on a duration), 满意度 位于…前列 (a
ranking), 返本20%,分红8% (two rates in one row), ≤4 on an output count (0 would pass), a score
(20) in the value column, ≥ on a cost, a template hint (≥**人) answered in another unit.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from models.measure import (clean_name, is_aim, is_deadline_hint, is_negative, is_negative_rate, is_output, measure_of, name_hint,
                            read_value, unit_class)
from corpus import framework
from corpus.vocab import name_units, operator_symbols, operators, unit_aliases
from models.vagueness import RANKING, rule_kind

COST_LEVEL2 = framework.COST_LEVEL2
_SYMBOL = operators()["display"]
# a number and unit written in the name (道路改造5公里): the units are the vocabulary's (in_names)
_NAME_QUANTITY = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(" + "|".join(map(re.escape, name_units())) + ")")


@dataclass
class FitResult:
    fits: bool
    reason: str
    measure: str  # what the indicator measures (models/measure.py)
    code: str | None = None  # VALUE_MISMATCH | SPLIT, when it does not fit
    aim: bool = False  # the name is a goal sentence, not an indicator
    hint: dict | None = None  # the template hint the value was checked against
    fix: str | None = None  # the obvious repair when there is one (operator turned, unit added)
    rule: str | None = None  # the row check (recommender.checks.rows) a misfit reports, when it does not fit

    def to_dict(self) -> dict:
        out = asdict(self)
        out.pop("rule")  # internal: the review's finding carries its code and severity
        return out


def value_fits(name: str, value: str, level2: str | None = None,
               hint: dict | None = None) -> tuple[bool, str]:
    """(fits, reason in Chinese)."""
    result = assess_fit(name, value, level2=level2, hint=hint)
    return result.fits, result.reason


def assess_fit(name: str, value: str, level2: str | None = None, hint: dict | None = None) -> FitResult:
    hint = hint if hint is not None else name_hint(name)
    measure = measure_of(name, level2, hint)
    reading = read_value(value)

    def no(reason: str, code: str = "VALUE_MISMATCH", fix: str | None = None, rule: str | None = None) -> FitResult:
        rule = rule or ("split" if code == "SPLIT" else "value_mismatch")
        return FitResult(False, reason, measure, code, measure == "aim", hint, fix, rule)

    if reading.kind in ("empty", "placeholder"):
        return no("目标值为空或为占位符，无法判断类型")
    if hint:
        conflict = _hint_conflict(hint, reading, value)
        if conflict:
            fix = _turned(value, hint["operator"]) if "要求≥" in conflict or "要求≤" in conflict else None
            return no(conflict, fix=fix)
    if (level2 in COST_LEVEL2 or "成本" in clean_name(name)) and reading.operator in (">=", ">") \
            and not (hint and hint.get("operator") in (">=", ">")):
        return no(f"成本指标应设上限（≤），而不是 {value.strip()}", fix=_turned(value, "<="), rule="cost_floor")
    stated = _NAME_QUANTITY.search(clean_name(name))
    if stated and reading.kind == "bare" and reading.number is not None and float(stated[1]) != reading.number:
        return no(f"名称中写明“{stated[0]}”，目标值却是没有单位的“{value.strip()}”（可能是分值），与指标不符",
                  fix=f"={stated[0]}")
    check = _BY_MEASURE.get(measure, _other)
    reason = check(name, value, reading, hint)
    if reason is None:
        return FitResult(True, _FITS.get(measure, "未发现类型不符"), measure, None, False, hint)
    if isinstance(reason, tuple):  # (reason, code) or (reason, code, row check)
        return no(reason[0], reason[1], fix=_fix(measure, value, reading, reason[0]),
                  rule=reason[2] if len(reason) > 2 else None)
    return no(reason, fix=_fix(measure, value, reading, reason))


_FITS = {"rate": "比率类指标，给出了百分比", "count": "计数类指标，给出了数量",
         "amount": "实物量指标，给出了数量及单位", "money": "金额类指标，给出了金额",
         "duration": "时长类指标，给出了时长或期限", "deadline": "期限类指标，给出了期限",
         "time": "时效类指标，给出了期限或时长", "state": "状态类指标，给出了可核验的状态或数值",
         "aim": "未发现类型不符"}


def _hint_conflict(hint: dict, reading, value: str) -> str | None:
    raw = hint.get("raw", "")
    unit = hint.get("unit")
    if is_deadline_hint(hint):
        if reading.kind not in ("deadline",):
            return f"模板提示{raw}要求填写完成日期，目标值“{value.strip()}”不是日期"
        return None
    op = hint.get("operator")
    if op and reading.operator and reading.kind not in ("words", "yesno"):
        written = _written_operator(value)
        if written and {op, written} in ({">=", "<="}, {">=", "<"}, {">", "<="}, {">", "<"}):
            return f"模板提示{raw}要求{_SYMBOL[op]}，目标值却是{_SYMBOL[written]}"
    if unit and reading.kind in ("rate", "count", "amount", "money", "duration"):
        wanted = unit_class(unit)
        if wanted and wanted[0] != reading.kind:
            return f"模板提示{raw}要求单位“{unit}”，目标值“{value.strip()}”的单位不同类"
        if wanted and reading.unit and _base_unit(unit) != _base_unit(reading.unit):
            return f"模板提示{raw}要求单位“{unit}”，目标值的单位是“{reading.unit}”"
    if unit and reading.kind in ("words", "yesno", "deadline") and unit_class(unit):
        return f"模板提示{raw}要求填写数值（单位“{unit}”），目标值“{value.strip()}”不是数值"
    return None


def _turned(value: str, operator: str) -> str | None:
    """The same number and unit with the operator the indicator needs: ≤4 → ≥4."""
    text = value.strip()
    body = re.sub(r"^(>=|<=|≥|≤|>|<|＞|＜|=|＝|大于等于|小于等于|不少于|不低于|不超过|不高于)\s*", "", text)
    return f"{_SYMBOL[operator]}{body}" if body and re.match(r"\d", body) else None


def _fix(measure: str, value: str, reading, reason: str) -> str | None:
    if reason.startswith("产出数量设了上限"):
        return _turned(value, ">=")
    if measure == "rate" and reading.kind == "bare" and reason.startswith("比率类指标缺少%"):
        return value.strip() + "%"
    if reason.startswith("一个目标值中写了多个比例"):
        return "拆分为 " + str(len(set(reading.percents))) + " 个指标，分别写 " + "、".join(
            f"{p:g}%" for p in dict.fromkeys(reading.percents))
    return None


_ALIASES = unit_aliases()  # 平米 → m², 公里 → km (one canonical form: corpus/vocab/units.json)
# every operator glyph and word written before a number, in the vocabulary's order; = says no direction
_DIRECTED = tuple((g, op) for g, op in operator_symbols() + tuple(map(tuple, operators()["words_before"]))
                  if op != "=")


def _base_unit(unit: str) -> str:
    """元/亩 → 元/亩, 万元 → 元, 平米 → m²: the scale is not compared, the per-unit part is."""
    head, _, per = unit.partition("/")
    head = re.sub(r"^[万亿千]", "", head) if len(head) > 1 else head
    head = _ALIASES.get(head, head)
    return f"{head}/{_ALIASES.get(per, per)}" if per else head


def _written_operator(value: str) -> str | None:
    text = re.sub(r"\s", "", value)
    for symbol, op in _DIRECTED:
        if symbol in text[:6]:
            return op
    if re.search(r"(以上|及以上)$", text):
        return ">="
    if re.search(r"(以下|以内|之内)$", text):
        return "<="
    return None


def _words_reason(name: str, value: str, wanted: str) -> str:
    guess, _ = rule_kind(name, value)
    if RANKING.search(value):
        return f"{wanted}给出的是排名"
    if guess == "vague_grade" and "满意" not in name:
        return f"“{value.strip()}”是满意程度，与指标（{clean_name(name)}）衡量的内容不符"
    if guess == "vague_grade":
        return "满意度应给出比例（如≥90%），而非主观等级"
    if guess == "vague_direction":
        return f"{wanted}给出的只有方向（{value.strip()}），没有数值"
    if guess == "vague_activity":
        return f"{wanted}给出的是一项工作"
    return f"{wanted}给出的是文字（{value.strip()}）"


def _asking(reason: str, ask: str, tail: str) -> str:
    """`reason` and what the indicator asks for, unless the reason already says it (满意度应给出
    比例（如≥90%），而非主观等级 must not end in a second 应给出比例)."""
    return reason if ask in reason else reason + tail


def _rate(name, value, reading, hint):
    if reading.kind == "rate":
        distinct = {p for p in reading.percents}
        if len(distinct) >= 2 and not re.search(r"上年|前[一二三四五六七八九十\d]+年|平均", value):
            return "一个目标值中写了多个比例，应拆分为多个指标", "SPLIT"
        if is_negative_rate(name) and reading.operator in (">=", ">", "=") and (reading.number or 0) >= 50:
            return "投诉率、差错率等负向指标应设上限（如≤5%），不能要求达到高比例"
        per_base = (reading.unit or "").startswith("/")  # '≤4661/10万': a rate per 10万 may pass 100
        if (reading.number or 0) > 100 and not per_base and not re.search(r"上年|前[一二三四五六七八九十\d]+年|平均|同期|增长", value + name):
            return "比率超过100%", "VALUE_MISMATCH", "rate_over_100"
        return None
    if reading.kind == "bare":
        if (reading.number or 0) <= 1 or (hint and hint.get("unit") in ("%", "％")):
            return None
        return "比率类指标缺少%单位（纯数字无法判断是比例还是分值）"
    if reading.kind in ("count", "amount", "money", "duration"):
        if re.search(r"(?m)^[^、，,；;\n]*[、，,；;].*\d", value):
            return "比率类指标的目标值是一组计数，应拆分为计数指标或给出比例", "SPLIT"
        return f"比率类指标给出的是计数（{reading.unit}），应给出比例"
    if reading.kind == "deadline":
        return "比率类指标给出的是日期"
    if reading.kind == "yesno":
        return "比率类指标给出的是“是/否”，应给出比例"
    return _asking(_words_reason(name, value, "比率类指标"), "应给出比例", "，应给出比例（如≥90%）")


def _count(name, value, reading, hint):
    if reading.kind == "rate":
        return "计数类指标给出的是比例，应写明数量及单位"
    if reading.kind in ("count", "amount", "money", "duration", "bare"):
        if reading.operator in ("<=", "<") and not is_negative(name) and is_output(name):
            return f"产出数量设了上限（{value.strip()}），完成0个也算达成；应为≥或="
        return None
    if reading.kind == "deadline":
        return "计数类指标给出的是日期，应给出数量"
    return _asking(_words_reason(name, value, "计数类指标"), "应给出数量", "，应给出数量及单位（如≥20个）")


def _money(name, value, reading, hint):
    if reading.kind in ("money", "bare", "count", "amount"):
        return None
    if reading.kind == "rate":
        return "金额类指标给出的是比例，应给出金额（元、万元）"
    if reading.kind == "deadline":
        return "金额类指标给出的是日期"
    return _asking(_words_reason(name, value, "金额类指标"), "应给出金额", "，应给出金额（如≤__万元）")


def _duration(name, value, reading, hint):
    if reading.kind in ("duration", "deadline"):
        return None
    if reading.kind == "count" and reading.per:
        return None  # a frequency: 1次/月
    if reading.kind == "rate":
        return f"时长类指标（{clean_name(name)}）给出的是比率，应给出时长（如≥__年）或期限"
    if reading.kind == "bare":
        if hint and hint.get("unit"):
            return None  # the unit is in the name: 任务完成时限(月) | 10
        return "时长类指标缺少时间单位（天、月、年）"
    return _words_reason(name, value, "时效类指标") + "，应给出期限（如12月底前）或时长（如≤5个工作日）"


def _time(name, value, reading, hint):
    if reading.kind in ("duration", "deadline"):
        return None
    if reading.kind == "count" and reading.per:
        return None
    if reading.kind == "rate" and re.search(r"进度$", clean_name(name)):
        return None  # 进度 is often a share of the plan done
    if reading.kind == "rate":
        return "时效类指标给出的是比率，应给出期限或时长"
    if reading.kind == "bare":
        return "时效类指标给出的是没有单位的数字，应给出期限或时长"
    if reading.kind in ("count", "amount", "money"):
        return f"时效类指标给出的是数量（{reading.unit}），应给出期限或时长"
    return _words_reason(name, value, "时效类指标") + "，应给出期限（如12月底前）或时长（如≤5个工作日）"


def _state(name, value, reading, hint):
    if reading.kind == "bare" and (reading.number or 0) > 1:
        return f"“{value.strip()}”是没有单位的数字（可能是分值），与指标所述状态不符"
    return None


def _aim(name, value, reading, hint):
    if reading.kind == "rate":
        return (f"“{clean_name(name)}”是工作目的而不是指标，百分比无法衡量它；应换成可计量的指标"
                "（如受益人数、覆盖率、达标率）")
    if reading.kind == "bare":
        return f"“{clean_name(name)}”是工作目的而不是指标，“{value.strip()}”是没有单位的数字（可能是分值）"
    return None


def _other(name, value, reading, hint):
    return None


_BY_MEASURE = {"rate": _rate, "count": _count, "amount": _count, "money": _money, "duration": _duration,
               "deadline": _time, "time": _time, "state": _state, "aim": _aim, "other": _other}
