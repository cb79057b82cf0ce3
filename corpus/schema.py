"""Typed records for declarations (绩效目标申报表) and their indicators.

Everything that leaves the corpus package is one of these dataclasses; `to_dict` gives the
JSON shape documented in the README (keys are stable, extra keys may be added).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ParseWarning:
    code: str
    message: str
    line: int | None = None


@dataclass
class Target:
    raw: str
    operator: str | None = None
    value: float | None = None
    unit: str | None = None
    kind: str = "missing"  # quantitative | relative | deadline | qualitative | placeholder | missing
    deadline: dict[str, int | None] | None = None  # {"year", "month", "day"} for kind deadline
    repaired: str | None = None  # what was repaired in the operator (OCR), if anything
    actual: str | None = None  # 自评表: the actual value (全年实际值), never mixed into the target


@dataclass
class Indicator:
    level1: str | None
    level2: str | None
    raw_level1: str | None
    raw_level2: str | None
    name: str
    target: Target
    line: int | None = None
    inferred: bool = False  # level read from the indicator's meaning, not from the layout
    name_hint: dict[str, str | None] | None = None  # template hint in the name: {"operator", "unit", "raw"}
    core: bool = False  # ★ core indicator of the template


@dataclass
class Component:
    name: str
    amount: float | None


@dataclass
class Budget:
    total: float | None = None
    current_year: float | None = None
    last_year: float | None = None
    last_year_executed: float | None = None
    components: list[Component] = field(default_factory=list)


TEXT_FIELDS = ("overview", "basis", "necessity", "measures", "plan", "overall_goal", "annual_goal")


@dataclass
class Source:
    file: str
    layout: str
    line_start: int
    line_end: int


@dataclass
class Declaration:
    id: str
    source: Source
    year: int | None = None
    agency: str | None = None
    department: str | None = None
    project_name: str | None = None
    project_type: str | None = None
    fund_use: str | None = None
    form_kind: str | None = None  # 申报 / 批复 / 自评 (from the title and the columns)
    start_date: str | None = None
    end_date: str | None = None
    budget: Budget = field(default_factory=Budget)
    texts: dict[str, str | None] = field(default_factory=lambda: dict.fromkeys(TEXT_FIELDS))
    indicators: list[Indicator] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    def warn(self, code: str, message: str, line: int | None = None) -> None:
        self.warnings.append(ParseWarning(code, message, line))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Declaration:
        """Rebuild from `to_dict` output (or our own JSON export); unknown keys are ignored."""
        budget = dict(data.get("budget") or {})
        budget["components"] = [Component(c.get("name", ""), c.get("amount"))
                                for c in budget.get("components") or []]
        indicators = []
        for row in data.get("indicators") or []:
            target = dict(row.get("target") or {"raw": ""})
            target.setdefault("raw", "")
            indicators.append(Indicator(
                level1=row.get("level1"), level2=row.get("level2"),
                raw_level1=row.get("raw_level1"), raw_level2=row.get("raw_level2"),
                name=row["name"], target=Target(**_known(Target, target)),
                line=row.get("line"), inferred=bool(row.get("inferred", False)),
                name_hint=row.get("name_hint"), core=bool(row.get("core", False))))
        texts = dict.fromkeys(TEXT_FIELDS)
        texts.update({k: v for k, v in (data.get("texts") or {}).items() if k in TEXT_FIELDS})
        return cls(
            id=data["id"], source=Source(**_known(Source, data["source"])),
            year=data.get("year"), agency=data.get("agency"), department=data.get("department"),
            project_name=data.get("project_name"), project_type=data.get("project_type"),
            fund_use=data.get("fund_use"), form_kind=data.get("form_kind"), start_date=data.get("start_date"),
            end_date=data.get("end_date"), budget=Budget(**_known(Budget, budget)), texts=texts,
            indicators=indicators,
            warnings=[ParseWarning(**_known(ParseWarning, w)) for w in data.get("warnings") or []])


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = cls.__dataclass_fields__.keys()
    return {k: v for k, v in data.items() if k in names}
