"""Frozen copy of the description extractor as it was on 2026-11-22 (baseline only).

Numbers and deadlines stated in a project description, turned into indicators.

"完成2019年新建500家社区智慧微菜场任务" → 新建社区智慧微菜场数量 =500家 (数量);
"全年实现…查询超过200万次" → 查询次数 ≥2000000次; "力争孵化10家企业" → 孵化企业数量 ≥10家;
"建筑面积约为1344m²" in a repair project → 修缮面积 =1344m²; "满意率达95%以上" → ≥95%;
"年底前完成" / "第四季度完工" → a 时效 indicator with that deadline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus import framework
from corpus.targets import parse_target

COUNT_UNITS = "家|个|次|人次|场|件|册|本|条|项|份|篇|期|户|所|座|台|套|名|人|区|批|亩|公里|km"
AREA_UNITS = r"m\s*²|m2|㎡|平方米"
_NUMBER = r"(?<![\d,.])\d[\d,]*(?:\.\d+)?(?:万|亿)?"  # entered at a run's first digit (linear time)
_VERBS = ("新建", "建成", "建设", "改造", "孵化", "培育", "培训", "举办", "开展", "完成", "发放", "资助",
          "补贴", "服务", "接待", "印刷", "发布", "采购", "查询", "受理", "办理", "接种", "检测", "覆盖",
          "修缮", "维修", "走访", "召开", "引进", "新增", "支持", "接听", "归集", "调研", "评审")
_FILLER = re.compile(r"^(全年|年度|每年|累计|共|计|约|约为|为|达|达到|实现|超过|不少于|不低于|至少|力争|预计|"
                     r"计划|确保|完成|\d{4}年度?|上半年|下半年|为政府部门、相关机构和信息主体)+")
TIME_UNITS = "个工作日|工作日|个月|小时|分钟|天"
_STATED = re.compile(rf"(?P<op>不超过|不多于|超过|不少于|不低于|至少|达到|达|约为|约|以上)?(?P<num>{_NUMBER})\s*"
                     rf"(?P<unit>%|{AREA_UNITS}|{TIME_UNITS}|{COUNT_UNITS})(?P<after>[^，。；;,]*)")
_AT_MOST = ("不超过", "不多于")
_DEADLINE = re.compile(r"(年底前|年内|年底|\d{1,2}月底前|\d{1,2}月底|第[一二三四]季度|上半年|下半年)"
                       r"(完成|完工|建成|上线|实现|交付)")
_PROVISO = re.compile(r"(力争|超过|不少于|不低于|至少|以上)")


@dataclass
class StatedIndicator:
    level1: str
    level2: str
    name: str
    target_raw: str
    operator: str
    value: float | None
    unit: str | None
    evidence: str  # the sentence it came from


def extract(description: str) -> list[StatedIndicator]:
    found: list[StatedIndicator] = []
    text = description or ""
    for sentence in re.split(r"[。；;！!\n]", text):
        for match in _STATED.finditer(sentence):
            item = _from_number(sentence, match, text)
            same = next((f for f in found if f.name == item.name), None) if item else None
            if item and same is None:
                found.append(item)
            elif item and same.unit == item.unit and (item.value or 0) > (same.value or 0):
                found[found.index(same)] = item  # "上半年80万次，全年200万次": the year's figure
        for match in _DEADLINE.finditer(sentence):
            item = _from_deadline(sentence, match)
            if all(item.name != f.name for f in found):
                found.append(item)
    return found


def _from_number(sentence: str, match: re.Match, whole: str) -> StatedIndicator | None:
    before = sentence[:match.start()]
    if re.search(r"\d{4}$", before) or re.match(r"年", match["after"] or ""):
        return None  # a year, not a quantity
    if re.search(r"(第|（|\(|-|~|～|至)$", before):
        return None  # an article number (第4.2条) or a remark in brackets (（30%）)
    if match["unit"] in ("年",):
        return None
    if re.fullmatch(TIME_UNITS, match["unit"]):
        return None  # durations in prose are rarely a target of their own ("不长于3个月")
    unit = "m²" if re.fullmatch(r"m\s*²|m2|㎡|平方米", match["unit"]) else match["unit"]
    target = parse_target(f"{match['num']}{unit}")
    if target.value is None:
        return None
    if unit not in ("%", "m²") and not float(target.value).is_integer():
        return None  # "4.2条" is an article number, not a count
    stated_op = match["op"] if match["op"] not in ("约", "约为") else None
    stretch = stated_op or (_PROVISO.search(before[-6:]) or [None])[0] or \
        ("以上" if (match["after"] or "").startswith("以上") else None)
    operator = "<=" if stated_op in _AT_MOST else ">=" if stretch else "="
    value = target.value
    raw = f"{ {'>=': '≥', '<=': '≤'}.get(operator, '=')}{_fmt(value)}{unit}"
    if unit == "%":
        name = _noun_before(before)
        if len(name) < 3 or name.startswith(("按照", "根据", "其中")):
            return None
        level2 = framework.level2_from_meaning(name, raw) or "质量"
    elif unit == "m²":
        noun = _noun_before(before) or "面积"
        work = next((w for w in ("修缮", "维修", "改造", "装修", "新建", "建设") if w in whole), None)
        name = f"{work}面积" if work and noun.endswith("面积") else noun
        level2 = "数量"
    else:
        verb, obj = _verb_before(before), _object_after(match["after"] or "")
        trailing = next((v for v in _VERBS if obj.endswith(v) and len(obj) > len(v)), None)
        if trailing:  # "500家社区智慧微菜场新建任务": the verb comes after its object
            verb, obj = trailing, obj[:-len(trailing)]
        if not obj and verb:  # "举办读书讲座不少于48场": the object sits between verb and number
            between = before[before.rfind(verb) + len(verb):]
            obj = re.sub(r"(不少于|不低于|超过|至少|达到|达|约为|约|共|计|累计)$", "", between).strip()[:14]
        if not verb and not obj:
            obj = _noun_before(before)  # "获奖组织和个人总数每年各不超过2个"
            if len(obj) < 3:
                return None
            return StatedIndicator("产出", "数量", re.sub(r"(每年|各|全年)+$", "", obj), raw, operator,
                                   value, unit, sentence.strip())
        suffix = {"次": "次数", "人次": "人次", "场": "场次", "公里": "里程", "km": "里程"}.get(unit, "数量")
        if suffix == "里程":  # "12公里农村公路进行拓宽改造": road + the work done on it
            work = re.search(r"(新建|改造|修缮|拓宽|修复|建设|养护)", match["after"] or "")
            obj = re.split(r"(进行|实施|开展|完成)", obj)[0]
            verb = verb or (work[1] if work else "")
            name = f"{obj}{verb}{suffix}"
        else:
            name = f"{verb}{obj}{suffix}"
        level2 = "数量"
    return StatedIndicator(framework.LEVEL2[level2], level2, name, raw, operator, value, unit,
                           sentence.strip())


def _from_deadline(sentence: str, match: re.Match) -> StatedIndicator:
    when = match[1]
    target = {"年底前": "12月底前", "年底": "12月底前", "年内": "12月底前", "上半年": "6月底前",
              "下半年": "12月底前"}.get(when, when)
    if target.startswith("第"):
        target = f"{target}末前"
    elif not target.endswith("前"):
        target += "前"
    task = _noun_before(sentence[:match.start()]) or ""
    name = f"{task}{match[2]}时间" if task and len(task) <= 12 else f"项目{match[2]}时间"
    return StatedIndicator("产出", "时效", name, target, "<=", None, None, sentence.strip())


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _verb_before(before: str) -> str:
    tail = _FILLER.sub("", re.split(r"[，,、：:（(]", before)[-1])
    for verb in sorted(_VERBS, key=len, reverse=True):
        if verb in tail:
            return verb
    return ""


def _object_after(after: str) -> str:
    obj = re.split(r"(任务|工作|的|以上|，|,|、|（|\()", after)[0]
    return obj.strip()[:12]


def _noun_before(before: str) -> str:
    tail = re.split(r"[，,、：:（(]|(?<!\d)\d+[.、．]\s", before)[-1]
    tail = re.sub(r"(约为|约|为|达到|达|超过|不少于|不低于|至少|力争|实现|完成|在|计划|已|)$", "", tail.strip())
    tail = _FILLER.sub("", tail)
    return tail.strip()[-16:].lstrip("对")
