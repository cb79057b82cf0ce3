"""Field-form cases (`../shared/fieldforms/cases.jsonl` format): loading, soft matching, stated numbers.

Soft match (issue 11): names are compared after dropping parenthesised hints (`(≥**人)`, `(%)`),
★ / * marks, `指标1:` prefixes and punctuation; a suggestion matches a real row when one name
contains the other (both at least 3 characters) or their character-bigram Dice coefficient is
at least 0.5. Classes are not compared (field forms often print none).

Stated numbers: a number with a unit written in the case's `description` (e.g. 6万人, 2公里,
1.2万亩, 30%) that also appears as the target of a row of the case's own indicator table (same
value once 万/亿 and unit aliases are resolved; a table value printed without a unit matches on
the number alone). Bare numbers, years, dates and numbers without a unit are not counted. A
stated number is *recovered* when a suggested target (within the answer's top k) has that value
in a compatible unit.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from corpus.targets import parse_target

_HINT = re.compile(r"[（(][^（()）]*[)）]")
_PREFIX = re.compile(r"^(指标\s*\d+\s*[:：]?|其中\s*[:：]|\d+[.、．])")
_PUNCT = re.compile(r"[\s★☆*＊\"“”'‘’、，,。.:：;；!！?？（）()\[\]【】《》<>≥≤=＝+\-—_/|·…~～]")


class CasesError(ValueError):
    """A cases file that cannot be read; the message names the file, line and field."""


@dataclass
class CaseRow:
    level1: str | None
    level2: str | None
    name: str
    value: str


@dataclass
class Case:
    id: str
    project_name: str
    description: str
    agency: str | None
    region: str | None
    sector: str | None
    rows: list[CaseRow] = field(default_factory=list)


def load_cases(path: Path) -> list[Case]:
    path = Path(path)
    if not path.is_file():
        raise CasesError(f"{path}: no such file (expected a JSONL file of cases)")
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CasesError(f"{path}, line {number}: not JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise CasesError(f"{path}, line {number}: expected an object")
        for key in ("id", "project_name", "indicators"):
            if key not in obj:
                raise CasesError(f"{path}, line {number}: field '{key}' is missing")
        if not isinstance(obj["indicators"], list):
            raise CasesError(f"{path}, line {number}: field 'indicators' must be a list")
        rows = []
        for n, ind in enumerate(obj["indicators"], 1):
            if not isinstance(ind, dict) or not str(ind.get("name") or "").strip():
                raise CasesError(f"{path}, line {number}: indicators[{n}] needs a 'name'")
            rows.append(CaseRow(ind.get("level1"), ind.get("level2"), str(ind["name"]),
                                str(ind.get("value") or "")))
        cases.append(Case(str(obj["id"]), str(obj["project_name"] or ""), str(obj.get("description") or ""),
                          obj.get("agency"), obj.get("region"), obj.get("sector"), rows))
    return cases


# ---- soft match ----------------------------------------------------------------------------
def clean_name(name: str) -> str:
    text = _HINT.sub("", name or "")
    text = _PREFIX.sub("", text.strip())
    return _PUNCT.sub("", text)


def _bigrams(text: str) -> list[str]:
    return [text[i:i + 2] for i in range(len(text) - 1)] or ([text] if text else [])


def dice(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return 0.0
    pool = list(y)
    common = 0
    for gram in x:
        if gram in pool:
            pool.remove(gram)
            common += 1
    return 2 * common / (len(x) + len(y))


def soft_match(a: str, b: str) -> bool:
    x, y = clean_name(a), clean_name(b)
    if len(x) >= 3 and len(y) >= 3 and (x in y or y in x):
        return True
    return dice(x, y) >= 0.5


# ---- stated numbers ------------------------------------------------------------------------
# unit as written → (canonical unit, factor to it)
_UNIT_TABLE = {
    "%": ("%", 1), "‰": ("‰", 1), "万元": ("元", 1e4), "亿元": ("元", 1e8), "元": ("元", 1),
    "公里": ("m", 1e3), "km": ("m", 1e3), "千米": ("m", 1e3), "米": ("m", 1), "m": ("m", 1),
    "平方米": ("m²", 1), "平米": ("m²", 1), "㎡": ("m²", 1), "m²": ("m²", 1), "m2": ("m²", 1),
    "平方公里": ("km²", 1), "亩": ("亩", 1), "公顷": ("公顷", 1), "吨": ("吨", 1), "公斤": ("公斤", 1),
    "人次": ("人次", 1), "人": ("人", 1), "名": ("人", 1), "户": ("户", 1), "个": ("个", 1),
    "家": ("家", 1), "次": ("次", 1), "场": ("场", 1), "台": ("台", 1), "辆": ("辆", 1),
    "座": ("座", 1), "所": ("所", 1), "条": ("条", 1), "间": ("间", 1), "套": ("套", 1),
    "项": ("项", 1), "期": ("期", 1), "只": ("只", 1), "头": ("头", 1), "粒": ("粒", 1),
    "株": ("株", 1), "棵": ("株", 1), "天": ("天", 1), "日": ("天", 1), "工作日": ("工作日", 1),
    "个月": ("月", 1), "月": ("月", 1), "小时": ("小时", 1), "年": ("年", 1), "架": ("架", 1),
    "立方米": ("m³", 1), "KVA": ("KVA", 1), "村": ("个", 1),
}
_UNITS_RE = "|".join(sorted(map(re.escape, _UNIT_TABLE), key=len, reverse=True))
_STATED_NUMBER = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)\s*(万|亿)?\s*({_UNITS_RE})")


@dataclass(frozen=True)
class Quantity:
    value: float  # in the canonical unit, 万/亿 resolved
    unit: str | None
    raw: str


def quantity_of(number: str, multiplier: str | None, unit: str | None, raw: str) -> Quantity:
    value = float(number) * {"万": 1e4, "亿": 1e8}.get(multiplier or "", 1)
    if unit is None:
        return Quantity(value, None, raw)
    canonical, factor = _UNIT_TABLE.get(unit, (unit, 1))
    return Quantity(value * factor, canonical, raw)


def description_quantities(text: str) -> list[Quantity]:
    out = []
    for m in _STATED_NUMBER.finditer(text or ""):
        if m[3] in ("年", "月", "日") or re.match(r"\s*[年月日]", text[m.end():m.end() + 1]):
            continue  # 2021年, 7月, 1日 are dates, not quantities (durations are written 个月, 天)
        out.append(quantity_of(m[1], m[2], m[3], m[0]))
    return out


def target_quantity(raw: str) -> Quantity | None:
    text = re.sub(r"\s", "", raw or "")
    m = re.search(rf"(\d+(?:\.\d+)?)(万|亿)?({_UNITS_RE})?", text)
    if not m:
        return None
    return quantity_of(m[1], m[2], m[3], raw)


def same_quantity(a: Quantity, b: Quantity) -> bool:
    if a.unit and b.unit and a.unit != b.unit:
        return False
    scale = max(abs(a.value), abs(b.value), 1e-9)
    if abs(a.value - b.value) / scale < 1e-6:
        return True
    # a table value printed without unit, or in 万 of the same unit ("8万亩" vs "80000")
    return (a.unit is None or b.unit is None) and any(
        abs(a.value * f - b.value) / scale < 1e-6 for f in (1e4, 1e-4))


def stated_numbers(case: Case) -> list[Quantity]:
    """Numbers with units in the description that are targets in the case's own table."""
    table = [q for q in (target_quantity(r.value) for r in case.rows) if q is not None]
    out: list[Quantity] = []
    for q in description_quantities(case.description):
        if any(same_quantity(q, t) for t in table) and not any(same_quantity(q, o) and q.unit == o.unit
                                                                for o in out):
            out.append(q)
    return out


def recovered(stated: Quantity, targets: list[str]) -> bool:
    for raw in targets:
        parsed = parse_target(raw)
        if parsed.value is None:
            continue
        q = target_quantity(raw)
        if q is not None and q.unit and stated.unit and q.unit == stated.unit:
            if abs(q.value - stated.value) <= 1e-6 * max(1.0, abs(stated.value)):
                return True
    return False
