"""Indicators written as sentences (公示 pages): '防治作业面积19.699万亩,无公害防治率100%;…'.

Only clauses that end in a number with a unit (or a percentage) become rows: the name is the
words before the number. Clauses with no number at their end, or with words after the number
('伐除各类枯、病死松树8万余株'), are not split — nothing is invented.
"""

from __future__ import annotations

import re

from corpus.read.interpret import labels
from corpus.read.interpret.table import RawRow
from corpus.targets import UNIT_PATTERN

_SECTION = re.compile(r"绩效目标|绩效指标|产出指标|效益指标|满意度指标")
_WORD_OPS = labels.operator_pattern()  # every glyph and word of corpus/vocab/operators.json
_UNIT_RE = UNIT_PATTERN
_CLAUSE = re.compile(rf"^(?P<name>.*?[\u4e00-\u9fff)）])(?P<value>(?:{_WORD_OPS})?\s*\d[\d,]*(?:\.\d+)?\s*"
                     rf"(?:万|亿)?(?:{_UNIT_RE}))$")
_LABEL_PREFIX = re.compile(r"^(?:[一二三四五六七八九十\d]+[、.．)）]\s*)?"
                           r"(?:(?:产出|效益|满意度|成本|数量|质量|时效|经济效益|社会效益|生态效益|"
                           r"可持续影响|服务对象满意度)指标)[:：]")


def indicators(lines: list[str]) -> list[RawRow]:
    rows: list[RawRow] = []
    in_section = False
    raw1: str | None = None
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text:
            continue
        heading = _heading_with_clauses(text)
        if heading is not None:
            # '产出指标：培训人次≥500人次；…': the label opens the section and its clauses follow
            in_section = True
            raw1 = heading if labels.level_label(heading) == "l1" else raw1
        elif _SECTION.search(text) and len(text) <= 30:
            in_section = True
            heading = re.sub(r"^[一二三四五六七八九十\d]+[、.．]\s*", "", text)
            raw1 = heading if labels.level_label(heading) == "l1" else raw1
            continue
        if not in_section:
            continue
        for clause in re.split(r"[,，;；。]", text):
            clause = clause.strip()
            raw2 = None
            prefix = _LABEL_PREFIX.match(clause)
            if prefix:
                raw2 = re.sub(r"^[一二三四五六七八九十\d]+[、.．)）]\s*", "", prefix[0]).rstrip(":：")
                clause = clause[prefix.end():]
            match = _CLAUSE.match(clause)
            if not match or len(match["name"]) < 2 or len(match["name"]) > 40:
                continue
            rows.append(RawRow(raw1 if raw2 else None, raw2, match["name"].strip(),
                               {"target": match["value"].strip()}, number, explicit=False))
    return rows


_HEAD = re.compile(r"^(?:[一二三四五六七八九十\d]+[、.．)）]\s*)?(?P<label>[^:：]{2,16})[:：](?=.*\d)")


def _heading_with_clauses(text: str) -> str | None:
    """The level label ('产出指标', '(一)数量指标') opening a line of clauses with a number in
    them, or None."""
    match = _HEAD.match(text)
    if match and labels.level_label(match["label"]):
        return labels.strip_decoration(match["label"])
    return None
