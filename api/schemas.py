"""Request and response models at the HTTP edge (pydantic)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from recommender.recommend import MAX_DESCRIPTION  # one limit for the CLI and the API

MAX_FORM_TEXT = 500_000


class RecommendationRequest(BaseModel):
    project_name: str = Field(..., min_length=1, max_length=200, examples=["区图书馆全民阅读推广"])
    description: str = Field("", max_length=MAX_DESCRIPTION,
                             examples=["全年举办读书讲座不少于48场，服务读者20万人次，年底前完成平台上线。"])
    agency: str | None = Field(None, max_length=200)
    top_k: int = Field(20, ge=1, le=100)


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


class RecommendationOut(BaseModel):
    encoder: str
    corpus_hash: str
    similar_projects: list[SimilarProjectOut]
    indicators: list[RecommendedIndicator]
    coverage: CoverageOut


class ReviewText(BaseModel):
    text: str = Field(..., min_length=1, max_length=MAX_FORM_TEXT)
    file: str = Field("pasted.txt", max_length=200)


class TargetItem(BaseModel):
    name: str = Field(..., max_length=500)
    value: str = Field("", max_length=2000)
    level1: str | None = None
    level2: str | None = None


class AssessRequest(BaseModel):
    items: list[TargetItem] = Field(..., min_length=1, max_length=1000)


class TargetCheckOut(BaseModel):
    name: str
    value: str
    vague: bool
    kind: str
    fits: bool
    fit_reason: str
    reasons: list[str]
    suggestion: dict[str, str] | None


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody
