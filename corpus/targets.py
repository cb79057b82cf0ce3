"""Target-value grammar (domain.md §4): operator, number, unit and kind of a written target.

`parse_target("≥95.00(%)")` → Target(raw, ">=", 95.0, "%", "quantitative").
Kinds: quantitative, relative (a magnitude against a stated baseline), deadline, qualitative
(words only), placeholder (`*`, `XX`, `/`, 待填写), missing (empty).

Shapes of real forms beyond one operator, one number and one unit (issue 22):
- a range (`90%-95%`, `3-5个`, `10至20人`) is read as at least its lower end: `>=`, the lower number, the
  unit written after the upper one (a Target holds one number; the upper end stays in `raw`);
- a bound set by a verb (`控制在500万元以内`, `压缩至3个工作日`: operators.json verbs_before) is that bound;
- a change by an amount (`提高5个百分点`, `下降2个百分点`: operators.json changes_before) is kind `relative`
  with `>=` on the amount named by its verb, as recommender/stated.py writes a promised change;
- a rate per a base of counting (`≤4661/10万`, `≥3.2张/千人`) has the base as its unit where no unit comes
  before it (`/10万`); `‰` and `百分点` are units of the vocabulary.
"""

from __future__ import annotations

import re

from corpus.schema import Target
from corpus.vocab import (deadline_part_alone, deadline_part_months, deadline_part_pattern, deadline_value_ending_pattern,
                          operator_symbols, operators, unit_aliases, units, value_units)

_OPERATOR_SYMBOLS = operator_symbols()
# OCR / PDF extraction turns ≤ into 《 and ≥ into 》 (seen in the 2023 PDF forms).
_OCR_OPERATORS = dict(operators()["ocr"])
_WORD_BEFORE = tuple((w, op) for w, op in (*operators()["verbs_before"], *operators()["words_before"]))
_CHANGES = tuple(w for w, _ in operators()["changes_before"])
_WORD_AFTER = tuple((w, op) for w, op in operators()["words_after"])
# Longest first so that 个工作日 wins over 个, 人次 over 人 and 万元 over 元.
_UNITS = value_units()
UNITS = _UNITS  # every unit the grammar knows, longest first
UNIT_PATTERN = "|".join(re.escape(u) for u in _UNITS)  # for readers that cut values out of text
_UNIT_ALIASES = unit_aliases()
_TIME_UNITS = {u["unit"] for u in units() if u.get("time_limit")}
_PLACEHOLDERS = re.compile(r"^(\*+|x+|X+|XX.*|/|／|-+|—+|待填写|待定|\.\.\.|…+)$")
# a template whose number is still a blank: ≥__人, ≤**万元, =XX% (our own drafts write __)
_BLANK_NUMBER = re.compile(r"^(?:>=|<=|[≥≤=＝><＞＜])?(?:_{2,}|\*{2,}|[xX]{2,})[^\d_*]{0,10}$")
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9, "十": 10}
_FRACTION = re.compile(r"(百|千|万)分之([零一二两三四五六七八九十\d.]+)")
_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(万|亿)?")
# the rest of a range after its lower number: [% or ‰] a dash, a tilde or 至/到, the upper number
RANGE_REST = re.compile(r"^[%‰％]?\s*[-—–~～至到]\s*\d[\d,]*(?:\.\d+)?\s*(?:万|亿)?")
# a base of counting after '/': '/10万', '/千人', '/万人', '/10万人'
PER_BASE = re.compile(r"^/\d*[十百千万亿]+[\u4e00-\u9fff]?")
_RELATIVE = re.compile(r"上年|去年|前[一二三四五六七八九十\d]+年|平均值|同期|基数|基期|往年")
_DEADLINE = re.compile(
    r"^(?:(?P<year>\d{4})\s*年)?\s*(?:(?P<month>\d{1,2})\s*月(?:份)?(?:(?P<day>\d{1,2})\s*日)?)?"
    rf"\s*(?P<part>{deadline_part_pattern()})?"
    rf"\s*(?:{deadline_value_ending_pattern()})?[。.]?$")
_PART_MONTH = deadline_part_months()  # 年底 → 12, 第二季度 → 6, 上旬 → None (corpus/vocab/deadlines.json)
_PART_ALONE = deadline_part_alone()  # always | after_year | never
_ISO_DATE = re.compile(r"^(?P<year>\d{4})[-/.](?P<month>\d{1,2})(?:[-/.](?P<day>\d{1,2}))?\s*(?:前|之前)?$")


def parse_target(raw: str | None) -> Target:
    """Parse one written target value. Never raises: unknown text is `qualitative`."""
    text = (raw or "").strip()
    target = Target(raw=text)
    compact = re.sub(r"\s+", "", text)
    if not compact:
        return target
    if _PLACEHOLDERS.match(compact) or _BLANK_NUMBER.match(compact):
        target.kind = "placeholder"
        return target
    deadline = _parse_deadline(compact)
    if deadline is not None:
        target.kind, target.operator, target.deadline = "deadline", "<=", deadline
        return target
    body = compact
    if body[0] in _OCR_OPERATORS:
        target.repaired = f"{body[0]} → {_OCR_OPERATORS[body[0]]}"
        body = _OCR_OPERATORS[body[0]] + body[1:]
    number, start, end = _first_number(body)
    if number is None:
        target.kind = "qualitative"
        return target
    target.value = number
    ranged = RANGE_REST.match(body[end:])
    if ranged:  # '90%-95%', '3-5个': at least the lower end, in the unit written after the upper one
        end += ranged.end()
    base = PER_BASE.match(body[end:])
    target.unit = _unit_after(body[end:]) or (base[0] if base else None)
    target.operator = ">=" if ranged and not _operator_written(body[:start]) else \
        _operator(body[:start], body[end:], target.unit)
    changed = body[:start].endswith(_CHANGES) and not any(w in body[:start][-6:] for w, _ in _WORD_BEFORE)
    if changed:  # '提高5个百分点': a floor on the change its verb names
        target.operator = ">="
    target.kind = "relative" if changed or _RELATIVE.search(body[:start] + body[end:]) else "quantitative"
    return target


def _operator_written(before: str) -> bool:
    return any(before.rstrip("(（").endswith(s) for s, _ in _OPERATOR_SYMBOLS) or \
        any(w in before[-6:] for w, _ in _WORD_BEFORE)


def _parse_deadline(text: str) -> dict[str, int | None] | None:
    iso = _ISO_DATE.match(text)
    if iso:
        return {"year": int(iso["year"]), "month": int(iso["month"]),
                "day": int(iso["day"]) if iso["day"] else None}
    match = _DEADLINE.match(text)
    if not match:
        return None
    alone = _PART_ALONE.get(match["part"] or "", "never")
    year_end = match["year"] and not match["month"] and alone == "after_year"
    if not (match["month"] or alone == "always" or year_end):
        return None
    if not (match["month"] or match["year"] or match["part"]):
        return None
    month = int(match["month"]) if match["month"] else None
    part = match["part"] or ""
    if month is None:
        month = _PART_MONTH.get(part)
    if month is not None and not 1 <= month <= 12:
        return None
    return {"year": int(match["year"]) if match["year"] else None, "month": month,
            "day": int(match["day"]) if match["day"] else None}


def _first_number(text: str) -> tuple[float | None, int, int]:
    """The target's number: a fraction (万分之一) or the first Arabic number, with 万/亿."""
    fraction = _FRACTION.search(text)
    number = _NUMBER.search(text)
    if fraction and (number is None or fraction.start() <= number.start()):
        scale = {"百": 100, "千": 1000, "万": 10000}[fraction[1]]
        count = _cn_number(fraction[2])
        if count is not None:
            return round(count / scale, 12), fraction.start(), fraction.end()
    if number is None:
        return None, 0, 0
    value = float(number[1].replace(",", ""))
    if number[2] == "万" and not text[number.end():].startswith(("元", "分之")):
        value *= 10_000
    elif number[2] == "亿" and not text[number.end():].startswith("元"):
        value *= 100_000_000
    elif number[2]:  # 万元 / 亿元: the multiplier is part of the unit
        return value, number.start(), number.end(1)
    return value, number.start(), number.end()


def _cn_number(text: str) -> float | None:
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    if text in _CN_DIGITS:
        return float(_CN_DIGITS[text])
    if len(text) == 2 and text[0] == "十" and text[1] in _CN_DIGITS:
        return 10.0 + _CN_DIGITS[text[1]]
    return None


def _unit_after(rest: str) -> str | None:
    rest = rest.lstrip("(（[【").replace(" ", "")
    for unit in _UNITS:
        if rest.startswith(unit):
            return _UNIT_ALIASES.get(unit, unit)
    # "1344m ²" written with a space, or m followed by a superscript on its own
    if rest.startswith("m²") or rest.startswith("m ²"):
        return "m²"
    return None


def _operator(before: str, after: str, unit: str | None) -> str:
    for symbol, op in _OPERATOR_SYMBOLS:
        # "≥95%" has the symbol right before the number; "≥前五年平均值的110%" at the start
        if before.rstrip("(（").endswith(symbol) or before.startswith(symbol):
            return op
    for word, op in _WORD_BEFORE:
        if word in before[-6:]:
            return op
    tail = re.sub(r"^[(（][^)）]*[)）]", "", after)
    for unit_word in [unit or ""] + list(_UNITS):
        if unit_word and tail.startswith(unit_word):
            tail = tail[len(unit_word):]
            break
    for word, op in _WORD_AFTER:
        if tail.startswith(word) or tail.lstrip("(（").startswith(word):
            return op
    if unit in _TIME_UNITS:  # "2个工作日" is a time limit: at most that long
        return "<="
    return "="
