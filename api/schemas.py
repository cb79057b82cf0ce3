"""Request and response models at the HTTP edge (pydantic)."""

from __future__ import annotations

from dataclasses import MISSING, fields
from typing import Annotated, Any, Literal, get_type_hints

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model

from recommender.recommend import MAX_DESCRIPTION  # one limit for the CLI and the API
from recommender.review import TargetCheck

MAX_FORM_TEXT = 500_000
# Bounded work per input (issue 13): refused with 413 (too many) or 422 (too long) up front.
MAX_DECLARATIONS_PER_UPLOAD = 500
MAX_INDICATORS = 1000
MAX_FILES_PER_UPLOAD = 20
MAX_JSON_DEPTH = 32
MAX_NAME = 500
MAX_VALUE = 2000
MAX_PROSE = 50_000
MAX_MONEY = 1e15


def _integral(value: Any) -> Any:
    """JSON Schema counts 37.0 as an integer: accept it as 37 (strict mode would refuse it)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


JsonInt = Annotated[int, BeforeValidator(_integral)]


class Strict(BaseModel):
    """Strict JSON types (no "5" for 5, no 5 for "5"); unknown keys are ignored, since our own
    `parse --json` output may carry keys newer than this schema."""
    model_config = ConfigDict(strict=True, extra="ignore")


class DeadlineIn(Strict):
    year: JsonInt | None = Field(None, ge=1900, le=2200)
    month: JsonInt | None = Field(None, ge=1, le=12)
    day: JsonInt | None = Field(None, ge=1, le=31)


class TargetIn(Strict):
    raw: str = Field("", max_length=MAX_VALUE, examples=["≥95%"])
    operator: str | None = Field(None, max_length=8)
    value: float | None = Field(None, allow_inf_nan=False, ge=-MAX_MONEY, le=MAX_MONEY)
    unit: str | None = Field(None, max_length=50)
    kind: str | None = Field(None, max_length=32)
    deadline: DeadlineIn | None = None
    repaired: str | None = Field(None, max_length=50)
    actual: str | None = Field(None, max_length=MAX_VALUE)


class IndicatorIn(Strict):
    level1: str | None = Field(None, max_length=100, examples=["产出"])
    level2: str | None = Field(None, max_length=100, examples=["质量"])
    raw_level1: str | None = Field(None, max_length=100)
    raw_level2: str | None = Field(None, max_length=100)
    name: str = Field(..., min_length=1, max_length=MAX_NAME, examples=["验收合格率"])
    target: TargetIn = Field(default_factory=TargetIn)
    line: JsonInt | None = Field(None, ge=0, le=10_000_000)
    inferred: bool = False
    name_hint: dict[str, str | None] | None = Field(None, max_length=10)
    core: bool = False


class ComponentIn(Strict):
    name: str = Field("", max_length=MAX_NAME)
    amount: float | None = Field(None, allow_inf_nan=False, ge=-MAX_MONEY, le=MAX_MONEY)


class BudgetIn(Strict):
    total: float | None = Field(None, allow_inf_nan=False, ge=-MAX_MONEY, le=MAX_MONEY)
    current_year: float | None = Field(None, allow_inf_nan=False, ge=-MAX_MONEY, le=MAX_MONEY)
    last_year: float | None = Field(None, allow_inf_nan=False, ge=-MAX_MONEY, le=MAX_MONEY)
    last_year_executed: float | None = Field(None, allow_inf_nan=False, ge=-MAX_MONEY, le=MAX_MONEY)
    components: list[ComponentIn] = Field(default_factory=list, max_length=MAX_INDICATORS)


class SourceIn(Strict):
    file: str = Field(..., min_length=1, max_length=MAX_NAME)
    layout: str = Field("json", max_length=64)
    line_start: JsonInt = Field(1, ge=0, le=10_000_000)
    line_end: JsonInt = Field(1, ge=0, le=10_000_000)


class WarningIn(Strict):
    code: str = Field(..., max_length=64)
    message: str = Field("", max_length=MAX_VALUE)
    line: JsonInt | None = Field(None, ge=0, le=10_000_000)


DECLARATION_EXAMPLE = {
    "project_name": "区图书馆全民阅读推广", "agency": "某区图书馆", "year": 2024,
    "end_date": "2024-12-31",
    "texts": {"annual_goal": "全年举办读书讲座不少于48场，服务读者20万人次。"},
    "indicators": [
        {"level1": "产出", "level2": "数量", "name": "读书讲座场次", "target": {"raw": "≥48场"}},
        {"level1": "产出", "level2": "质量", "name": "活动组织规范性", "target": {"raw": "规范"}},
        {"level1": "满意度", "level2": "服务对象满意度", "name": "读者满意度", "target": {"raw": "较满意"}},
    ],
}


class DeclarationIn(Strict):
    """A declaration as JSON: the shape `zhibiao parse --json` prints (README), every field but
    `indicators` optional; a target given only as `{"raw": …}` is parsed like a form's cell."""
    model_config = ConfigDict(json_schema_extra={"examples": [DECLARATION_EXAMPLE]})

    id: str | None = Field(None, min_length=1, max_length=200)
    source: SourceIn | None = None
    year: JsonInt | None = Field(None, ge=1900, le=2200)
    agency: str | None = Field(None, max_length=MAX_NAME)
    department: str | None = Field(None, max_length=MAX_NAME)
    project_name: str | None = Field(None, max_length=MAX_NAME)
    project_type: str | None = Field(None, max_length=MAX_NAME)
    fund_use: str | None = Field(None, max_length=MAX_NAME)
    form_kind: str | None = Field(None, max_length=32)
    start_date: str | None = Field(None, max_length=32)
    end_date: str | None = Field(None, max_length=32)
    budget: BudgetIn = Field(default_factory=BudgetIn)
    texts: dict[str, str | None] = Field(default_factory=dict, max_length=20)
    indicators: list[IndicatorIn] = Field(..., max_length=MAX_INDICATORS)
    warnings: list[WarningIn] = Field(default_factory=list, max_length=MAX_INDICATORS)


class RecommendationRequest(Strict):
    project_name: str = Field(..., min_length=1, max_length=200, examples=["区图书馆全民阅读推广"])
    description: str = Field("", max_length=MAX_DESCRIPTION,
                             examples=["全年举办读书讲座不少于48场，服务读者20万人次，年底前完成平台上线。"])
    agency: str | None = Field(None, max_length=200)
    top_k: JsonInt = Field(20, ge=1, le=100)
    framework: Literal["auto", "national", "shanghai-2019"] = "auto"


class TargetRef(BaseModel):
    raw: str
    operator: str | None
    value: float | None
    unit: str | None


class SourceRef(BaseModel):
    declaration_id: str
    project_name: str | None
    name: str
    target_raw: str


class RecommendedIndicator(BaseModel):
    level1: str | None
    level2: str | None
    name: str
    target: TargetRef
    score: float
    origin: str
    sources: list[SourceRef]
    observed_values: list[dict[str, Any]]
    basis: str


class SimilarProjectOut(BaseModel):
    id: str
    project_name: str | None
    agency: str | None
    year: int | None
    score: float


class CoverageOut(BaseModel):
    covered: list[str]
    missing: list[str]


class KindOut(BaseModel):
    id: str
    name: str
    score: float


class RecommendationOut(BaseModel):
    encoder: str
    corpus_hash: str
    similar_projects: list[SimilarProjectOut]
    indicators: list[RecommendedIndicator]
    coverage: CoverageOut
    kinds: list[KindOut] = []      # matched kinds of project (national library), best first
    framework: str = "national"    # the framework the table follows: national | shanghai-2019
    templates: int = 0             # suggestions that are fill-in templates (no evidence for a number)


class ReviewText(Strict):
    text: str = Field(..., min_length=1, max_length=MAX_FORM_TEXT,
                      examples=["上海市财政支出项目绩效目标申报表 …（表单全文）"])
    file: str = Field("pasted.txt", min_length=1, max_length=200)


class TargetItem(Strict):
    name: str = Field(..., max_length=MAX_NAME, examples=["服务对象满意度"])
    value: str = Field("", max_length=MAX_VALUE, examples=["较满意"])
    level1: str | None = Field(None, max_length=100)
    level2: str | None = Field(None, max_length=100)


class AssessRequest(Strict):
    items: list[TargetItem] = Field(..., min_length=1, max_length=1000,
                                    examples=[[{"name": "服务对象满意度", "value": "较满意"}]])


def _response_model(name: str, result: type, internal: tuple[str, ...]) -> type[BaseModel]:
    """A response model with a domain result's own fields (written once, in the dataclass), less the
    internal ones: the API describes what `to_dict()` returns rather than listing the fields again."""
    hints = get_type_hints(result)
    return create_model(name, **{
        f.name: (hints[f.name], f.default if f.default is not MISSING else ...)
        for f in fields(result) if f.name not in internal})


TargetCheckOut = _response_model("TargetCheckOut", TargetCheck, internal=TargetCheck.INTERNAL)


class ErrorBody(BaseModel):
    code: str = Field(..., examples=["invalid"])
    message: str = Field(..., examples=["indicators[0].name：应为字符串，实际为整数"])
    request_id: str | None = Field(None, description="仅 500 时给出：报告故障时请引用此编号")


class ErrorOut(BaseModel):
    error: ErrorBody


class FileOutcomeOut(BaseModel):
    file: str = Field(..., examples=["2024年区图书馆申报表.xlsx"])
    status: str = Field(..., description="pending（待处理）| running（处理中）| new（新增）| replaced（已替换）| unchanged（未变化）| failed（失败）",
                        examples=["new"])
    status_label: str = Field(..., examples=["新增"])
    declarations: int = Field(..., examples=[1])
    reason: str | None = Field(None, description="文件失败的原因")
    note: str | None = None
    seconds: float | None = None


class JobOut(BaseModel):
    id: str = Field(..., examples=["0f8c2d1e9a7b4c3d8e6f5a4b3c2d1e0f"])
    url: str = Field(..., examples=["/v1/jobs/0f8c2d1e9a7b4c3d8e6f5a4b3c2d1e0f"])
    state: str = Field(..., description="queued（排队中）| running（处理中）| done（已完成）", examples=["done"])
    state_label: str = Field(..., examples=["已完成"])
    files: list[FileOutcomeOut]
    done: int = Field(..., description="已处理完的文件数")
    total: int
    changed: bool = Field(..., description="语料库已变化：正在重建索引")
    rebuild: str | None = Field(None, description="完成后为 scheduled（已安排重建）或 not_needed（无需重建）")
    created: float
    finished: float | None = None
