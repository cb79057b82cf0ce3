"""What an indicator measures, what its template hint asks, and what a written value gives.

The vocabulary (unit classes, name endings, aim openings) lives in data/measures.json. Used by
the value-fit check (recommender/fit.py), the vagueness rules and the rewrites, so that all of
them read a name the same way.

- `clean_name("*资产股权年收益率( ≥**% )")` → "资产股权年收益率"
- `name_hint("扶贫临时救助人数(按月平均)(≥**人)")` → {"operator": ">=", "unit": "人", "raw": "(≥**人)"}
- `measure_of("项目维持时效")` → "duration"; `measure_of("维护社会稳定")` → "aim"
- `read_value("≤475元/亩")` → ValueReading(kind="money", operator="<=", number=475.0, unit="元/亩", …)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from corpus.targets import PER_BASE, RANGE_REST, parse_target
from corpus.vocab import unit_measures, year_end_pattern
from corpus.vocab.name_hints import is_deadline_hint, name_hint, trailing_hint  # noqa: F401  (name_hint: callers import it here)

MEASURES_FILE = Path(__file__).parent / "data" / "measures.json"


@lru_cache(maxsize=1)
def _vocab() -> dict:
    data = json.loads(MEASURES_FILE.read_text(encoding="utf-8"))
    units = [(u, cls) for cls, names in unit_measures().items() for u in names]  # corpus/vocab/units.json
    data["_units"] = sorted(units, key=lambda x: len(x[0]), reverse=True)
    data["_name_rules"] = [(m, re.compile(p)) for m, p in data["name_rules"]]
    data["_aim"] = re.compile(data["aim"])
    data["_negative"] = re.compile(data["negative"])
    data["_output"] = re.compile(data["output_verbs"])
    return data


MEASURE_LABELS: dict[str, str] = json.loads(MEASURES_FILE.read_text(encoding="utf-8"))["measures"]

# ---- names ----------------------------------------------------------------------------------
_MARKS = re.compile(r"^[\s*＊★☆]+|[\s*＊★☆]+$")
_PREFIX = re.compile(r"^(指标\s*\d+\s*[:：]?|其中\s*[:：]|\d+[.、．]\s*)")


def is_core(name: str) -> bool:
    """★ (or a leading * in older templates) marks a core indicator."""
    return bool(re.match(r"^\s*[*＊★]", name or ""))


def clean_name(name: str) -> str:
    """The name without template hints, ★/* marks, 指标1: prefixes and inner spaces."""
    text = re.sub(r"\s", "", name or "")
    text = _MARKS.sub("", text)
    text = _PREFIX.sub("", text)
    text = re.sub(r"[(（][^()（）]*\*[^()（）]*[)）]", "", text)
    text = trailing_hint().sub("", text)
    text = re.sub(r"[(（](%|％|[^()（）\d]{1,4}|目标|含[^()（）]*)[)）]$", "", text)
    # a target written into the name (质量达标率100%, 覆盖率≥95%) is not part of what is measured
    text = re.sub(r"(?<=[率比例度])[≥≤>=<]?\d+(\.\d+)?[%％]$", "", text)
    return text.strip(" *★")


def is_aim(name: str) -> bool:
    """A goal sentence (保护生态环境卫生, 促进…发展) rather than something that can be measured:
    it opens like a goal and no measurable ending (rate, count, money, time …) follows."""
    text = clean_name(name)
    # a sentence of clauses (增加就业机会,提高农民收入。) is read by its first clause
    first = re.split(r"[,，;；。]", text)[0] or text
    if not _vocab()["_aim"].search(first):
        return False
    return _name_rule(first) in (None, "state")


def _name_rule(text: str) -> str | None:
    text = re.sub(r"[(（][^()（）]*[)）]$", "", text).rstrip("。.；;")
    for measure, pattern in _vocab()["_name_rules"]:
        if pattern.search(text):
            return measure
    return None


def measure_of(name: str, level2: str | None = None, hint: dict | None = None) -> str:
    """rate | count | amount | money | duration | deadline | time | state | aim | other."""
    vocab = _vocab()
    hint = hint if hint is not None else name_hint(name)
    if hint and hint.get("unit"):
        if is_deadline_hint(hint):
            return "deadline"
        found = unit_class(hint["unit"])
        if found:
            return found[0]
    if is_aim(name):
        return "aim"
    return _name_rule(clean_name(name)) or "other"


def is_negative(name: str) -> bool:
    """The thing counted is bad (投诉, 事故, 变质 …): its target is an upper bound."""
    return bool(_vocab()["_negative"].search(clean_name(name)))


def is_negative_rate(name: str) -> bool:
    """A rate of a bad event (投诉率, 差错率, 变质比例), not of handling it (投诉处理率, 好差评好评率)."""
    text = clean_name(name)
    match = re.search(_vocab()["negative"] + r"(举报)?(率|比例)$", text)
    return bool(match) and not text[:match.start()].endswith("好")


def is_output(name: str) -> bool:
    return bool(_vocab()["_output"].search(clean_name(name)))


def level2_fallback(level2: str | None) -> str | None:
    return _vocab()["level2_fallback"].get(level2 or "")


# ---- values ---------------------------------------------------------------------------------
def unit_class(text: str) -> tuple[str, int] | None:
    """(class, length of the unit matched) for a unit at the start of `text`."""
    for unit, cls in _vocab()["_units"]:
        if text.startswith(unit):
            return cls, len(unit)
    return None


@dataclass(frozen=True)
class ValueReading:
    kind: str  # empty | placeholder | rate | count | amount | money | duration | deadline | bare | yesno | words
    operator: str | None
    number: float | None
    unit: str | None  # as written after the number ("元/亩", "平方米", "次/月")
    percents: tuple[float, ...] = ()  # every percentage written in the value
    per: str | None = None  # "每亩300" → "亩"; "1次/月" → "月"


_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)")
_PERIOD = re.compile(r"^\d{4}年\d{1,2}月(\d{1,2}日)?[-—~～至到]+(\d{4}年)?\d{1,2}月(\d{1,2}日)?(底|末)?$")
_YEAR_END = re.compile(rf"^(\d{{4}})年({year_end_pattern()})(前|之前)?$")  # 2023年底, 2023年年末前
_EVERY = re.compile(r"^(每年|每季度|每月|每半年|年度|当年)")
_YESNO = {"是", "否", "有", "无", "已完成", "未发生", "不发生"}


def read_value(raw: str | None) -> ValueReading:
    text = re.sub(r"\s", "", raw or "")
    target = parse_target(text)
    if target.kind == "missing":
        return ValueReading("empty", None, None, None)
    if target.kind == "placeholder":
        return ValueReading("placeholder", None, None, None)
    if text.rstrip("。.") in _YESNO:
        return ValueReading("yesno", None, None, None)
    bare_every = _EVERY.sub("", text)
    if target.kind == "deadline" or _PERIOD.match(text) or _YEAR_END.match(text) or (
            bare_every != text and parse_target(bare_every).kind == "deadline"):
        return ValueReading("deadline", "<=", None, None)
    percents = tuple(float(m) for m in re.findall(r"(\d+(?:\.\d+)?)\s*[%％]", text))
    first = _NUMBER.search(text)
    ranged = RANGE_REST.match(text[first.end():]) if first else None
    if ranged:  # '90%-95%', '3-5个': one target, at least its lower end (corpus.targets); its rest read as one number
        text = text[:first.end()] + text[first.end() + ranged.end():]
        percents = percents[:1]
    if target.value is None:
        return ValueReading("words", None, None, None, percents)
    per = None
    every = re.match(r"^每([^\d]{1,3}?)(\d)", text)
    if every:
        per = every[1]
    match = _NUMBER.search(text.replace("万分之", "").replace("千分之", ""))
    after = text[match.end():] if match else ""
    after = re.sub(r"^[万亿](?=[元/])", lambda m: m[0], after)
    scale_word = re.match(r"^([万亿])", after)
    rest = after[1:] if scale_word and not after.startswith(("万元", "亿元", "万/")) else after
    rest = rest.lstrip("(（[【")
    if "分之" in text:
        return ValueReading("rate", target.operator, target.value, "分之", percents, per)
    found = unit_class(rest)
    base = PER_BASE.match(rest)
    if found is None and base:  # '≤4661/10万', '≥3/千人': a rate per a base of counting
        return ValueReading("rate", target.operator, target.value, base[0], percents, base[0][1:])
    if found is None:
        kind = "bare"
        unit = None
        if scale_word and after.startswith("万/"):
            kind, unit = "money", after
    else:
        kind, length = found
        unit = rest[:length]
        slash = re.match(r"^/([^\d/()（）]{1,4})", rest[length:])
        if slash:
            per = slash[1]
            unit = f"{unit}/{per}"
    return ValueReading(kind, target.operator, target.value, unit, percents, per)
