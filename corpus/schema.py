"""Typed records for declarations (绩效目标申报表) and their indicators.

Everything that leaves the corpus package is one of these dataclasses; `to_dict` gives the
JSON shape documented in the README (keys are stable, extra keys may be added).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from corpus.errors import DataError


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
        """Rebuild from `to_dict` output (or our own JSON export); unknown keys are ignored.

        Raises DataError naming the field (`indicators[2].name：应为字符串，实际为整数`) for data
        of the wrong shape; types of the optional scalar fields are not checked here (the edges,
        api/validate.py, check them before)."""
        data = _object(data, "申报表")
        ident = _text(data, "id", "")
        budget = dict(_object(data.get("budget"), "budget"))
        budget["components"] = [
            Component(_text(c, "name", f"budget.components[{n}]", default=""), c.get("amount"))
            for n, c in enumerate(_list(budget.get("components"), "budget.components"))
            for c in [_object(c, f"budget.components[{n}]")]]
        indicators = []
        for n, row in enumerate(_list(data.get("indicators"), "indicators")):
            where = f"indicators[{n}]"
            row = _object(row, where)
            target = dict(_object(row.get("target"), f"{where}.target") or {"raw": ""})
            target["raw"] = _text(target, "raw", f"{where}.target", default="")
            indicators.append(Indicator(
                level1=row.get("level1"), level2=row.get("level2"),
                raw_level1=row.get("raw_level1"), raw_level2=row.get("raw_level2"),
                name=_text(row, "name", where), target=Target(**_known(Target, target)),
                line=row.get("line"), inferred=bool(row.get("inferred", False)),
                name_hint=row.get("name_hint"), core=bool(row.get("core", False))))
        texts = dict.fromkeys(TEXT_FIELDS)
        texts.update({k: v for k, v in _object(data.get("texts"), "texts").items() if k in TEXT_FIELDS})
        source = _object(data.get("source"), "source", required=True)
        for key in ("file", "layout"):
            _text(source, key, "source")
        for key in ("line_start", "line_end"):
            _number(source, key, "source")
        warnings = []
        for n, w in enumerate(_list(data.get("warnings"), "warnings")):
            w = _object(w, f"warnings[{n}]")
            warnings.append(ParseWarning(_text(w, "code", f"warnings[{n}]"),
                                         _text(w, "message", f"warnings[{n}]"), w.get("line")))
        return cls(
            id=ident, source=Source(**_known(Source, source)),
            year=data.get("year"), agency=data.get("agency"), department=data.get("department"),
            project_name=data.get("project_name"), project_type=data.get("project_type"),
            fund_use=data.get("fund_use"), form_kind=data.get("form_kind"),
            start_date=data.get("start_date"), end_date=data.get("end_date"),
            budget=Budget(**_known(Budget, budget)), texts=texts, indicators=indicators,
            warnings=warnings)


_TYPE_NAMES = {str: "字符串", int: "整数", float: "数字", bool: "布尔值", list: "数组", dict: "对象",
               type(None): "空值"}


def _kind(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), "其他类型")


def _object(value: Any, where: str, *, required: bool = False) -> dict[str, Any]:
    """`value` as an object; None (absent) is an empty one unless the field is required."""
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        expected = "缺少必填字段" if value is None else f"应为对象，实际为{_kind(value)}"
        raise DataError(where, expected)
    return value


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise DataError(where, f"应为数组，实际为{_kind(value)}")
    return value


def _text(data: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
    """A string field of `data`; `default` when absent (a missing required one is an error)."""
    path = f"{where}.{key}" if where else key
    value = data.get(key)
    if value is None:
        if default is None:
            raise DataError(path, "缺少必填字段")
        return default
    if not isinstance(value, str):
        raise DataError(path, f"应为字符串，实际为{_kind(value)}")
    return value


def _number(data: dict[str, Any], key: str, where: str) -> int:
    value = data.get(key)
    if value is None:
        raise DataError(f"{where}.{key}", "缺少必填字段")
    if not isinstance(value, int) or isinstance(value, bool):
        raise DataError(f"{where}.{key}", f"应为整数，实际为{_kind(value)}")
    return value


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = cls.__dataclass_fields__.keys()
    if names >= data.keys():  # the common case (our own export): nothing to drop
        return data
    return {k: v for k, v in data.items() if k in names}


def corpus_hash(decls: list[Declaration]) -> str:
    """Fingerprint of a list of declarations (their content, in id order)."""
    import hashlib
    import json
    digest = hashlib.sha256()
    for decl in sorted(decls, key=lambda d: d.id):
        digest.update(json.dumps(decl.to_dict(), ensure_ascii=False, sort_keys=True).encode())
    return digest.hexdigest()[:16]
