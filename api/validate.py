"""One validation layer for JSON that comes from outside (HTTP bodies, JSON files the CLI reads).

- `check_depth` refuses JSON nested deeper than MAX_JSON_DEPTH before `json.loads` recurses
  (10,000-deep brackets would otherwise raise RecursionError deep inside the parser).
- `describe` turns pydantic's errors into one Chinese line naming the field and what was expected.
- `declarations_from_json` is what both the API and the CLI use for declarations given as JSON.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from pydantic import BaseModel, ValidationError

from api.schemas import MAX_DECLARATIONS_PER_UPLOAD, MAX_JSON_DEPTH, DeclarationIn
from corpus.schema import Declaration
from corpus.targets import parse_target
from corpus.text import json_problem


class JsonInputError(ValueError):
    """JSON from outside that we refuse. `status` is the HTTP status (400 / 413 / 422)."""

    def __init__(self, message: str, status: int = 422, code: str = "invalid"):
        super().__init__(message)
        self.status = status
        self.code = code


_OPEN = np.zeros(256, dtype=np.int8)
_OPEN[[ord("["), ord("{")]] = 1
_OPEN[[ord("]"), ord("}")]] = -1


def json_depth(data: bytes | str) -> int:
    """Deepest bracket nesting of a JSON text, brackets inside strings excluded. Vectorised: a
    2 MB body takes milliseconds, and nothing recurses."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    openers = raw.count(b"[") + raw.count(b"{")
    if openers <= MAX_JSON_DEPTH:
        return openers  # an upper bound, already within the limit
    codes = np.frombuffer(raw, dtype=np.uint8)
    quotes = np.flatnonzero(codes == ord('"'))
    real = np.zeros(len(codes), dtype=bool)
    for position in quotes:  # a quote is escaped when an odd run of backslashes precedes it
        run, i = 0, position - 1
        while i >= 0 and codes[i] == 92:
            run, i = run + 1, i - 1
        real[position] = run % 2 == 0
    inside = np.cumsum(real) % 2 == 1  # from an opening quote up to (not incl.) its closing one
    steps = _OPEN[codes].astype(np.int32)
    steps[inside] = 0
    return int(np.cumsum(steps).max(initial=0))


def check_depth(data: bytes | str, where: str = "请求体") -> None:
    depth = json_depth(data)
    if depth > MAX_JSON_DEPTH:
        raise JsonInputError(f"{where}：JSON 嵌套超过 {MAX_JSON_DEPTH} 层的上限", 413, "too_deep")


def load_json(data: bytes | str, where: str = "请求体") -> Any:
    """json.loads after the depth check; errors as JsonInputError (400 for syntax)."""
    check_depth(data, where)
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise JsonInputError(f"{where}：不是 UTF-8 编码的文本（第 {exc.start + 1} 个字节无法解码）",
                             400, "bad_json") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise JsonInputError(f"{where}：不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列："
                             f"{json_problem(exc.msg)}）", 400, "bad_json") from None
    except RecursionError:  # belt and braces: the depth check should have caught it
        raise JsonInputError(f"{where}：JSON 嵌套过深", 413, "too_deep") from None




_TYPE_NAMES = {str: "字符串", int: "整数", float: "数字", bool: "布尔值", list: "数组", dict: "对象",
               type(None): "空值"}
_EXPECTED = {
    "string_type": "应为字符串", "int_type": "应为整数", "int_from_float": "应为整数",
    "float_type": "应为数字", "bool_type": "应为布尔值", "list_type": "应为数组",
    "dict_type": "应为对象", "model_type": "应为对象", "model_attributes_type": "应为对象",
    "missing": "缺少必填字段", "finite_number": "应为有限的数字", "none_required": "应为空值",
}


def where_of(loc: tuple) -> str:
    """('indicators', 0, 'name') → indicators[0].name"""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def describe_error(error: dict, prefix: str = "") -> str:
    """One pydantic error as a Chinese sentence naming the field, the expectation and the value."""
    loc = tuple(error.get("loc", ()))
    if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
        loc = loc[1:]  # where FastAPI found it; the field's own name is what the user knows
    where = where_of(loc)
    joint = "." if prefix and where and not where.startswith("[") and not prefix.endswith(" ") else ""
    where = f"{prefix}{joint}{where}".strip() or "请求体"
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in _EXPECTED:
        text = _EXPECTED[kind]
    elif kind == "string_too_short":
        text = "不能为空" if ctx.get("min_length") == 1 else f"至少 {ctx.get('min_length')} 个字符"
    elif kind == "string_too_long":
        text = f"超过 {ctx.get('max_length'):,} 个字符的上限"
    elif kind == "too_long":
        text = f"最多 {ctx.get('max_length'):,} 项"
    elif kind == "too_short":
        text = f"至少 {ctx.get('min_length'):,} 项"
    elif kind in ("greater_than_equal", "greater_than"):
        text = f"应不小于 {ctx.get('ge', ctx.get('gt'))}"
    elif kind in ("less_than_equal", "less_than"):
        text = f"应不大于 {ctx.get('le', ctx.get('lt'))}"
    elif kind == "literal_error":
        text = f"应为 {ctx.get('expected')} 之一"
    elif kind == "json_invalid":
        text = "不是有效的 JSON"
    else:
        text = "不符合要求"
    if kind != "missing" and "input" in error and kind.endswith("_type"):
        text += f"，实际为{_TYPE_NAMES.get(type(error['input']), '其他类型')}"
    return f"{where}：{text}"


def describe(exc: ValidationError | list[dict], prefix: str = "") -> str:
    errors = exc.errors() if isinstance(exc, ValidationError) else exc
    if not errors:
        return f"{prefix or '请求体'}：不符合要求"
    first = describe_error(errors[0], prefix)
    return first + (f"（另有 {len(errors) - 1} 处问题）" if len(errors) > 1 else "")


def validate(model: type[BaseModel], data: Any, prefix: str = "") -> BaseModel:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        too_many = any(e["type"] == "too_long" for e in exc.errors()[:1])
        raise JsonInputError(describe(exc, prefix), 413 if too_many else 422,
                             "too_large" if too_many else "invalid") from None


def declaration_from_dict(data: Any, *, ident: str, file: str, position: int = 1,
                          prefix: str = "") -> Declaration:
    """A validated Declaration from one JSON object (the parse --json shape)."""
    if not isinstance(data, dict):
        raise JsonInputError(f"{prefix or '申报表'}：应为对象（含 indicators 的申报表），"
                             f"实际为{_TYPE_NAMES.get(type(data), '其他类型')}")
    model = validate(DeclarationIn, data, prefix)
    clean = model.model_dump()
    clean["id"] = clean["id"] or ident
    clean["source"] = clean["source"] or {"file": file, "layout": "json", "line_start": position,
                                          "line_end": position}
    for row, given in zip(clean["indicators"], data["indicators"]):
        target = given.get("target") if isinstance(given, dict) else None
        if not isinstance(target, dict) or target.get("kind") is None:
            # only the written value given: read it like a form's cell
            parsed = parse_target(row["target"]["raw"])
            row["target"] = {**vars(parsed), "actual": row["target"].get("actual")}
    return Declaration.from_dict(clean)


def declarations_from_json(payload: Any, *, file: str, stem: str, need_indicators: bool = False,
                           where: str = "") -> list[Declaration]:
    """A declaration or a list of them (at most MAX_DECLARATIONS_PER_UPLOAD)."""
    items = payload if isinstance(payload, list) else [payload]
    if not items:
        raise JsonInputError(f"{where or '请求体'}：空数组，应为一份申报表或申报表数组")
    if len(items) > MAX_DECLARATIONS_PER_UPLOAD:
        raise JsonInputError(f"{where or '请求体'}：{len(items):,} 份申报表，超过每次最多 "
                             f"{MAX_DECLARATIONS_PER_UPLOAD:,} 份的上限", 413, "too_large")
    out = []
    for n, item in enumerate(items, start=1):
        prefix = f"{where}[{n - 1}]" if isinstance(payload, list) else where
        decl = declaration_from_dict(item, ident=f"{stem}-{n}", file=file, position=n, prefix=prefix)
        if need_indicators and not decl.indicators:
            raise JsonInputError(f"{prefix or '申报表'}.indicators：至少应有 1 个指标")
        out.append(decl)
    return out
