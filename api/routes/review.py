from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, HTTPException
from fastapi.concurrency import run_in_threadpool

from api.deps import ServicesDep
from api.schemas import AssessRequest, ReviewText, TargetCheckOut
from corpus.layouts import parse_text
from corpus.schema import Declaration

router = APIRouter(prefix="/v1", tags=["review"])


@router.post("/reviews")
async def reviews(services: ServicesDep, body: dict[str, Any] = Body(
        ..., examples=[{"text": "上海市财政支出项目绩效目标申报表 …（表单全文）"}])) -> list[dict]:
    """A declaration as JSON (the parse schema), or `{"text": "<form text>"}`."""
    if "text" in body:
        form = ReviewText.model_validate(body)
        decls = parse_text(form.text, file=form.file)
    elif "indicators" in body:
        data = {"id": "submitted-1", "source": {"file": "submitted.json", "layout": "json",
                                                "line_start": 1, "line_end": 1}, **body}
        try:
            decls = [Declaration.from_dict(data)]
        except (KeyError, TypeError) as exc:
            raise HTTPException(422, f"declaration JSON is missing or has a malformed field: {exc}") from None
    else:
        raise HTTPException(422, 'expected {"text": "<form text>"} or a declaration with "indicators"')
    return await run_in_threadpool(lambda: [services.reviewer.review(d).to_dict() for d in decls])


@router.post("/targets/assess", response_model=list[TargetCheckOut])
async def assess(body: AssessRequest, services: ServicesDep) -> list[dict]:
    items = [item.model_dump() for item in body.items]
    results = await run_in_threadpool(services.reviewer.check, items)
    return [r.to_dict() for r in results]
