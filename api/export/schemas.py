"""Request models of the export routes (pydantic, at the HTTP edge)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.export.form import Draft, DraftRow
from api.export.memo import ReviewedForm

MAX_ROWS = 1000
MAX_FORMS = 500


class DraftRowIn(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", title="申报表指标行")
    level1: str | None = Field(None, max_length=100, title="一级指标", examples=["产出"])
    level2: str | None = Field(None, max_length=100, title="二级指标", examples=["数量"])
    name: str = Field(..., min_length=1, max_length=500, title="三级指标", examples=["覆盖乡镇数量"])
    value: str = Field("", max_length=2000, title="指标值", examples=["=12个"])


class DraftIn(BaseModel):
    """申报表草稿：表头、年度绩效目标和指标行（推荐结果经修改后）。"""
    model_config = ConfigDict(strict=True, extra="ignore", title="申报表草稿")
    project_name: str = Field(..., min_length=1, max_length=500, title="项目名称")
    agency: str | None = Field(None, max_length=500, title="申报单位")
    department: str | None = Field(None, max_length=500, title="主管部门")
    # lax: JSON Schema counts 2025.0 as an integer (JsonInt's validator hides ge/le from the schema)
    year: int | None = Field(None, ge=1900, le=2200, strict=False, title="年度")
    annual_goal: str | None = Field(None, max_length=50_000, title="年度绩效目标")
    rows: list[DraftRowIn] = Field(..., min_length=1, max_length=MAX_ROWS, title="指标行")

    def draft(self) -> Draft:
        return Draft(project_name=self.project_name, agency=self.agency, department=self.department,
                     year=self.year, annual_goal=self.annual_goal,
                     rows=[DraftRow(r.level1, r.level2, r.name, r.value) for r in self.rows])


class ReviewedFormIn(BaseModel):
    model_config = ConfigDict(extra="ignore", title="一份审核结果")
    file: str = Field("", max_length=500, title="文件名")
    review: dict[str, Any] = Field(..., title="审核结果（POST /v1/reviews 的一项）")


class MemoIn(BaseModel):
    """要导出的审核结果：一份或多份（多份时另附汇总）。"""
    model_config = ConfigDict(extra="ignore", title="审核意见导出请求")
    forms: list[ReviewedFormIn] = Field(..., min_length=1, max_length=MAX_FORMS, title="审核结果")

    def reviewed(self) -> list[ReviewedForm]:
        return [ReviewedForm(f.file or "—", f.review) for f in self.forms]
