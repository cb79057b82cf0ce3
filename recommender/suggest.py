"""A suggested target value from the values past projects used for the same indicator.

Numbers first: when any observed value has a number, the suggestion is the dominant
(operator, unit) pair with the weighted median of its numbers; words are suggested only when
the corpus has nothing else for that indicator. The observed values always travel with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus.vocab import operators
from corpus.targets import parse_target

_SYMBOL = operators()["display"]  # >= → ≥ (corpus/vocab/operators.json)
# A target written as "100%" or "=100%" says the same; "≥95%" and ">95%" too.
OPERATOR_FAMILY = {">=": ">=", ">": ">=", "=": "=", "<=": "<=", "<": "<="}


@dataclass
class Suggestion:
    raw: str
    operator: str | None
    value: float | None
    unit: str | None
    basis: str
    observed: list[dict]  # [{"value": raw, "count": n}]


def fmt_number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def format_target(operator: str | None, value: float | None, unit: str | None) -> str:
    if value is None:
        return ""
    return f"{_SYMBOL.get(operator or '=', '=')}{fmt_number(value)}{unit or ''}"


def _weighted_median(pairs: list[tuple[float, float]]) -> float:
    pairs = sorted(pairs)
    total = sum(w for _, w in pairs)
    running = 0.0
    for value, weight in pairs:
        running += weight
        if running >= total / 2:
            return value
    return pairs[-1][0]


def suggest(observed: dict[str, tuple[int, float]], *, parsed: dict | None = None) -> Suggestion | None:
    """`observed`: written value → (how many past uses, their summed weight); `parsed`: written
    value → its parsed Target where already known (the corpus tables parse each value once)."""
    observed = {raw: cw for raw, cw in observed.items() if cw[0] > 0}
    if not observed:
        return None
    listing = [{"value": raw or "（空）", "count": n}
               for raw, (n, _) in sorted(observed.items(), key=lambda kv: -kv[1][0])]
    known = parsed or {}
    parsed = [(known.get(raw) or parse_target(raw), w) for raw, (_, w) in observed.items()]
    numeric = [(t, w) for t, w in parsed if t.kind in ("quantitative", "relative") and t.value is not None]
    if numeric:
        families: dict[tuple[str, str | None], list[tuple[float, float]]] = {}
        for t, w in numeric:
            families.setdefault((OPERATOR_FAMILY.get(t.operator or "=", "="), t.unit), []).append((t.value, w))
        (operator, unit), values = max(families.items(), key=lambda kv: sum(w for _, w in kv[1]))
        value = _weighted_median(values)
        raw = format_target(operator, value, unit)
        uses = sum(observed[t.raw][0] for t, _ in numeric)
        basis = (f"{uses} 次过往使用有数值目标，其中 {len(values)} 种写法为 "
                 f"{_SYMBOL[operator]}…{unit or ''}，取加权中位数")
        return Suggestion(raw, operator, value, unit, basis, listing)
    deadlines = [(t, w) for t, w in parsed if t.kind == "deadline"]
    if deadlines:
        best = max(deadlines, key=lambda tw: tw[1])[0].raw
        return Suggestion(best, "<=", None, None, f"{len(deadlines)} 个过往指标为时限，取最常见的", listing)
    words = [(t, w) for t, w in parsed if t.kind == "qualitative"]
    if words:
        best = max(words, key=lambda tw: tw[1])[0].raw
        return Suggestion(best, None, None, None,
                          "过往指标均为文字目标（无数值可参考），取最常见的写法；建议量化", listing)
    return None
