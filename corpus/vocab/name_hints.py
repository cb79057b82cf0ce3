"""Template hints printed inside indicator names, one grammar for the reader and for what a name
measures (models/measure.py):

- a placeholder with an operator and a unit: `(≥**人)`, `( ≥**% )`, `(不少于**人)`, `(XX个)`,
  and at the end of the name without parentheses, `≥**%`;
- a deadline to fill in: `(**月**日前)` (unit DEADLINE, operator <=);
- a bare unit in parentheses at the end of the name: `(个)`, `(%)`, `(元/亩)` (a unit inside a
  name, 联络点居（村）委会覆盖率, is part of the name).

A hint is {"operator": ">=" | "<=" | … | None, "unit": the unit as printed or None, "raw": the
text as printed}. Where a name holds several, the last wins: `(按月平均)(≥**人)`. Operators (the
symbols and the words written before a number) and units are this package's data
(operators.json, units.json).
"""

from __future__ import annotations

import re
from functools import lru_cache

from corpus.vocab import operators, units

DEADLINE = "日期"  # the unit of a deadline hint

_PLACEHOLDER = r"(?:\*{1,3}|＊{1,3}|X{1,3}|x{1,3}|_{2,}|＿+)"
_PAREN = re.compile(r"[(（]\s*([^()（）]{1,16}?)\s*[)）]")


@lru_cache(maxsize=1)
def _grammar() -> tuple[tuple[tuple[str, str], ...], re.Pattern, frozenset[str]]:
    data = operators()
    # symbols and words written before a number, longest first (OCR glyphs are not: 《 in a name
    # opens a title)
    ops = tuple(sorted(((g, op) for key in ("symbols", "words_before") for g, op in data[key]),
                       key=lambda pair: -len(pair[0])))
    trailing = re.compile(r"((?:" + "|".join(re.escape(g) for g, _ in ops) + r")\s*"
                          + _PLACEHOLDER + r"\s*[^\s()（）*＊]{0,8})$")
    known = frozenset(w for u in units() for w in (u["unit"], *u.get("aliases", ())))
    return ops, trailing, known


def trailing_hint() -> re.Pattern:
    """An operator, a placeholder and a unit ending a name without parentheses: `覆盖率≥**%`."""
    return _grammar()[1]


def _read(body: str) -> dict | None:
    ops, _, known = _grammar()
    text = re.sub(r"\s", "", body)
    placeholder = re.match(_PLACEHOLDER, text) or re.search(_PLACEHOLDER, text)
    if placeholder and "月" in text and ("前" in text or "日" in text):
        return {"operator": "<=", "unit": DEADLINE}
    operator = None
    for word, op in ops:
        if text.startswith(word):
            operator, text = op, text[len(word):]
            break
    mark = re.match(_PLACEHOLDER, text)
    if mark:
        unit = text[mark.end():]
        return {"operator": operator, "unit": unit or None} if len(unit) <= 8 and "*" not in unit else None
    if operator is None and text in known and len(text) <= 4:
        return {"operator": None, "unit": text}
    return None


def name_hint(name: str | None) -> dict | None:
    """The template's hint in an indicator name, or None."""
    text = (name or "").replace("★", "").strip()
    found = None
    for match in _PAREN.finditer(text):
        hint = _read(match[1])
        if hint is None:
            continue
        if hint["operator"] is None and hint["unit"] != DEADLINE and not re.search(_PLACEHOLDER, match[1]) \
                and match.end() < len(text):
            continue  # a bare unit is a hint only at the end
        found = {**hint, "raw": match[0]}
    if found:
        return found
    bare = trailing_hint().search(text)
    if bare:
        hint = _read(bare[1])
        if hint:
            return {**hint, "raw": bare[1]}
    return None


def is_deadline_hint(hint: dict | None) -> bool:
    return bool(hint) and hint.get("unit") == DEADLINE
