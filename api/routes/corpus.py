from __future__ import annotations

import json
import re
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request, Security, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.deps import ServicesDep, SettingsDep
from api.openapi import DECLARATIONS_BODY, errors
from api.schemas import MAX_FILES_PER_UPLOAD, JobOut
from api.uploads import save_upload
from api.validate import declarations_from_json, load_json
from corpus.store import FORM_SUFFIXES

router = APIRouter(prefix="/v1", tags=["corpus"])
bearer = HTTPBearer(auto_error=False, description="ZHIBIAO_ADMIN_TOKEN")
Text = Annotated[str, Query(max_length=200)]


@router.get("/indicators", responses=errors(422, 503))
def indicators(services: ServicesDep, q: Text = "", level1: Annotated[str | None, Query(max_length=50)] = None,
               level2: Annotated[str | None, Query(max_length=50)] = None,
               limit: Annotated[int, Query(ge=1, le=500)] = 50,
               offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> dict:
    """The corpus-wide indicator library: names, classes, how often used, values seen (a page of
    `limit` entries from `offset`, most used first; `declarations` lists at most 100 ids of the
    `frequency` forms, `observed_values` the 50 commonest of `distinct_values`)."""
    total, items = services.library.query(q=q, level1=level1, level2=level2, limit=limit, offset=offset)
    return {"total": total, "offset": offset, "items": items}


@router.get("/stats", responses=errors(503))
def stats(services: ServicesDep) -> dict:
    """Indicator quality per agency, per year and per agency × year (see `zhibiao report`)."""
    return services.stats()


@router.get("/declarations", responses=errors(422, 503))
def declarations(services: ServicesDep, agency: Annotated[str | None, Query(max_length=200)] = None,
                 year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
                 q: Text = "", limit: Annotated[int, Query(ge=1, le=500)] = 100,
                 offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> dict:
    """Stored declarations by agency, year and text (project name or overview): the total and a
    page of `limit` rows from `offset`."""
    total, items = services.listing.query(agency=agency, year=year, q=q, limit=limit, offset=offset)
    return {"total": total, "corpus_hash": services.corpus_hash, "offset": offset, "items": items}


@router.get("/declarations/{declaration_id}", responses=errors(404, 422, 503))
def declaration(declaration_id: Annotated[str, Path(max_length=300, openapi_examples={
                    "seed": {"summary": "a bundled sample form", "value": "002_9a32ee6a7d1f2b19-4"}})],
                services: ServicesDep) -> dict:
    decl = services.by_id(declaration_id)
    if decl is None:
        raise HTTPException(404, f"语料库中没有编号为“{declaration_id}”的申报表")
    return decl.to_dict()


Credentials = Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]


def _authorise(settings, credentials: HTTPAuthorizationCredentials | None) -> None:
    if not settings.admin_token:
        raise HTTPException(403, "写入已关闭：服务器需设置 ZHIBIAO_ADMIN_TOKEN 才能导入申报表")
    if credentials is None:
        raise HTTPException(401, "缺少请求头 Authorization: Bearer <ZHIBIAO_ADMIN_TOKEN>",
                            headers={"WWW-Authenticate": "Bearer"})
    if credentials.credentials.strip() != settings.admin_token:
        raise HTTPException(401, "令牌与 ZHIBIAO_ADMIN_TOKEN 不一致", headers={"WWW-Authenticate": "Bearer"})


@router.post("/declarations", status_code=202, response_model=JobOut,
             responses=errors(400, 401, 403, 413, 422, 503), openapi_extra=DECLARATIONS_BODY)
async def ingest(request: Request, settings: SettingsDep, credentials: Credentials) -> JSONResponse:
    """Ingest form files (multipart, field `files`) or declarations as JSON (one or a list, the
    `parse --json` shape). Answers 202 with a job at once; the files are parsed in a child process
    and stored, then the index is rebuilt in the background and swapped in whole. Follow the job at
    `GET /v1/jobs/{id}`."""
    _authorise(settings, credentials)
    uploads = settings.home / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        received = await _received_files(request, settings)
        saved = [(name, save_upload(uploads, name, data)) for name, data in received]
    else:
        payload = load_json(await request.body())
        decls = await run_in_threadpool(declarations_from_json, payload, file="declarations.json",
                                        stem="declarations", need_indicators=True)
        data = json.dumps([d.to_dict() for d in decls], ensure_ascii=False).encode("utf-8")
        saved = [("declarations.json", save_upload(uploads, "declarations.json", data))]
    try:
        job = request.app.state.jobs.submit(saved)
    except OverflowError:
        for _, path in saved:
            path.unlink(missing_ok=True)
        raise HTTPException(503, "导入任务排队已满，请稍后再试") from None
    return JSONResponse(_job_out(job), status_code=202, headers={"Location": f"/v1/jobs/{job.id}"})


async def _received_files(request: Request, settings) -> list[tuple[str, bytes]]:
    try:
        form = await request.form(max_files=MAX_FILES_PER_UPLOAD, max_fields=MAX_FILES_PER_UPLOAD)
    except StarletteHTTPException as exc:
        too_many = "Too many" in str(exc.detail)
        raise HTTPException(413 if too_many else 400,
                            f"每次最多上传 {MAX_FILES_PER_UPLOAD} 个文件" if too_many
                            else "无法读取 multipart/form-data 请求体（分隔符或格式有误）") from None
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) or hasattr(f, "read")]
    if not files:
        raise HTTPException(422, "files：multipart 请求体中缺少名为 files 的文件字段")
    out = []
    suffixes = "、".join(sorted(FORM_SUFFIXES))
    for upload in files:
        shown = (upload.filename or "upload")[-200:]
        name = re.sub(r"[^\w.\-]+", "_", upload.filename or "upload.txt")[-80:]
        if not any(name.lower().endswith(s) for s in FORM_SUFFIXES):
            raise HTTPException(422, f"files：{shown}：文件类型不支持，应为 {suffixes} 之一")
        data = await upload.read(settings.max_file_bytes + 1)
        if len(data) > settings.max_file_bytes:
            raise HTTPException(413, f"files：{shown}：超过 {settings.max_file_bytes:,} 字节的上限"
                                     "（ZHIBIAO_MAX_FILE_BYTES）")
        if not data:
            raise HTTPException(422, f"files：{shown}：文件为空")
        out.append((shown, data))
    return out


@router.get("/jobs/{job_id}", response_model=JobOut, responses=errors(401, 403, 404, 422))
def job(job_id: Annotated[str, Path(max_length=64, openapi_examples={
            "job": {"summary": "the id a POST /v1/declarations answered", "value": "0f8c2d1e9a7b4c3d8e6f5a4b3c2d1e0f"}})],
        request: Request, settings: SettingsDep, credentials: Credentials) -> dict:
    """Progress of an ingest job and the outcome of each file."""
    _authorise(settings, credentials)
    found = request.app.state.jobs.get(job_id)
    if found is None:
        raise HTTPException(404, f"没有编号为“{job_id}”的导入任务（已完成的任务只保留最近 200 个）")
    return _job_out(found)


def _job_out(job) -> dict:
    return {**job.to_dict(), "url": f"/v1/jobs/{job.id}"}
