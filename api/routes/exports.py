"""Files to take away: the filled form and the reviewer's memo (thin over api.export)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.export import Download, content_disposition
from api.export.form import form_download
from api.export.memo import memo_download
from api.export.schemas import DraftIn, MemoIn
from api.openapi import errors

router = APIRouter(prefix="/v1/exports", tags=["导出"])
Format = Annotated[Literal["xlsx", "docx"], Query(title="文件格式", description="xlsx 或 docx")]
_FILE = {200: {"description": "文件", "content": {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}}}}


def _answer(download: Download) -> Response:
    return Response(download.content, media_type=download.media_type,
                    headers={"Content-Disposition": content_disposition(download.filename)})


@router.post("/form", summary="导出申报表（.xlsx / .docx）", response_class=Response,
             responses={**_FILE, **errors(400, 413, 422)})
async def export_form(body: DraftIn, format: Format = "xlsx") -> Response:
    """把草稿（推荐结果，经修改后）写成全国通用版式的项目支出绩效目标申报表：表头、年度绩效目标、
    指标表（一级、二级指标单元格合并）。"""
    try:
        return _answer(await run_in_threadpool(form_download, draft=body.draft(), fmt=format))
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None


@router.post("/review", summary="导出审核意见（.xlsx / .docx）", response_class=Response,
             responses={**_FILE, **errors(400, 413, 422)})
async def export_review(body: MemoIn, format: Format = "xlsx") -> Response:
    """一份或多份申报表的审核意见；.xlsx 首页为汇总（问题最多的在前），其后每份表一页。"""
    try:
        return _answer(await run_in_threadpool(memo_download, forms=body.reviewed(), fmt=format))
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
