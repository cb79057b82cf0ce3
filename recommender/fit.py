"""Does a value have the type its indicator measures? (separate from "is it vague?")

A 率 / 满意度 / 知晓率 needs a rate, a count needs a count, a 时限 needs a time. Misfits seen in
real forms: a percentage on an aim that is not a rate (促进社会和谐 ≥95%), a ranking where a rate
is asked (满意度 位于…前列), an activity where an awareness level is asked, a complaint rate that
must "reach 100%", a completion rate whose value is a list of counts.
"""

from __future__ import annotations

import re

from corpus.targets import parse_target
from models.vagueness import RANKING, rule_kind

RATE_NAME = re.compile(r"(?<!频)(率|满意度|知晓度|认可度|比例|比率|完好度|覆盖面|占比)(（[^）]*）)?$")
# a rate that should stay low: the bad event is what is counted ("…投诉率", not "投诉…处理率")
NEGATIVE_RATE = re.compile(r"(?<!好)(投诉|差错|差评|流失|停机|故障|事故|发病|举报|退回|返工|失误)(举报)?率$")
COUNT_NAME = re.compile(r"(数|数量|次数|人次|场次|个数|户数|件数|接听量|数据量|面积|里程)(（[^）]*）)?$")
TIME_NAME = re.compile(r"(时间|时限|期限|时长|周期|工期|进度|频率)(（[^）]*）)?$")
AIM_NAME = re.compile(r"^(促进|推动|带动|提升|提高|加强|增强|改善|营造|维护)")
COUNT_UNITS = {"个", "次", "场", "家", "册", "本", "条", "件", "人次", "人", "项", "篇", "期", "户",
               "台", "套", "份", "区", "m²", "万元", "元", "所", "座", "名", "批", "部", "种", "张", "km"}
TIME_UNITS = {"工作日", "小时", "分钟", "天", "日", "周", "月", "秒", "年"}


def indicator_type(name: str) -> str:
    name = re.sub(r"\s", "", name or "")
    if RATE_NAME.search(name):
        return "rate"
    if TIME_NAME.search(name):
        return "time"
    if COUNT_NAME.search(name):
        return "count"
    if AIM_NAME.search(name):
        return "aim"
    return "other"


def value_fits(name: str, value: str) -> tuple[bool, str]:
    """(fits, reason in Chinese)."""
    kind = indicator_type(name)
    target = parse_target(value)
    guess, _ = rule_kind(name, value)
    if target.kind in ("missing", "placeholder"):
        return False, "目标值为空或为占位符，无法判断类型"
    if kind == "rate":
        return _rate_fits(name, value, target, guess)
    if kind == "count":
        if target.kind == "quantitative" and (target.unit in COUNT_UNITS or target.unit is None):
            return True, "计数类指标，给出了数量"
        if target.kind == "quantitative" and target.unit == "%":
            return False, "计数类指标给出的是比例，应写明数量及单位"
        return False, "计数类指标应给出数量及单位（如≥20个）"
    if kind == "time":
        if target.kind == "deadline" or (target.kind == "quantitative" and target.unit in TIME_UNITS):
            return True, "时效类指标，给出了期限或时长"
        return False, "时效类指标应给出期限（如12月底前）或时长（如≤5个工作日）"
    if kind == "aim" and target.kind == "quantitative" and target.unit == "%":
        return False, "指标名称是工作目的而非比率，百分比无法衡量（应改为可计量的指标名称）"
    return True, "未发现类型不符"


def _rate_fits(name: str, value: str, target, guess: str) -> tuple[bool, str]:
    if target.kind in ("quantitative", "relative"):
        if target.unit == "%":
            if NEGATIVE_RATE.search(name) and target.operator in (">=", ">", "=") and (target.value or 0) >= 50:
                return False, "投诉率、差错率等负向指标应设上限（如≤5%），不能要求达到高比例"
            if (target.value or 0) > 100 and target.kind != "relative":
                return False, "比率超过100%"
            return True, "比率类指标，给出了百分比"
        if target.unit is None:
            if (target.value or 0) <= 1:
                return True, "比率类指标，给出了小数比例"
            return False, "比率类指标缺少%单位"
        if re.search(r"[、，,].*\d", value):
            return False, "比率类指标的目标值是一组计数，应拆分为计数指标或给出比例"
        return False, f"比率类指标给出的是计数（{target.unit}），应给出比例"
    if RANKING.search(value):
        return False, "比率类指标给出的是排名，应给出比例（如≥90%）"
    if guess == "vague_grade" and "满意" not in name:
        return False, f"“{value}”是满意程度，与指标（{name}）衡量的内容不符"
    if guess == "vague_grade":
        return False, "满意度应给出比例（如≥90%），而非主观等级"
    if guess == "vague_activity":
        return False, "比率类指标给出的是一项工作，应给出比例"
    if target.kind == "deadline":
        return False, "比率类指标给出的是日期"
    return False, "比率类指标应给出百分比"
