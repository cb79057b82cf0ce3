from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

from api.deps import ServicesDep, SettingsDep
from api.openapi import REVIEW_FILES_BODY, REVIEWS_BODY, errors
from api.schemas import AssessRequest, ReviewText, TargetCheckOut
from api.uploads import save_upload
from api.validate import JsonInputError, declaration_from_dict, load_json, validate
from corpus.errors import InputError

router = APIRouter(prefix="/v1", tags=["review"])


@router.post("/reviews", responses=errors(400, 413, 422, 503), openapi_extra=REVIEWS_BODY)
async def reviews(request: Request, services: ServicesDep) -> list[dict]:
    """A declaration as JSON (the parse schema; only `indicators` is required), or
    `{"text": "<form text>"}`. One review per declaration found."""
    body = load_json(await request.body())
    if isinstance(body, dict) and "text" in body:
        form = validate(ReviewText, body)
        # pasted text is as untrusted as a file: read in a bounded child (api.parse_slots)
        read = await run_in_threadpool(request.app.state.parse_slots.read, text=form.text, file=form.file)
        if not read.ok:
            raise InputError(form.file or "text", read.reason)
        decls = read.declarations
    elif isinstance(body, dict) and "indicators" in body:
        decls = [declaration_from_dict(body, ident="submitted-1", file="submitted.json")]
    else:
        raise JsonInputError('请求体：应为 {"text": "<申报表全文>"}，或含 indicators 的申报表 JSON')
    return await run_in_threadpool(lambda: [services.reviewer.review(d).to_dict() for d in decls])


@router.post("/reviews/files", responses=errors(400, 413, 422, 503), openapi_extra=REVIEW_FILES_BODY)
async def review_files(request: Request, services: ServicesDep, settings: SettingsDep) -> list[dict]:
    """Form files of any format (multipart, field `files`: .txt .xlsx .xls .docx .html .pdf .json
    .csv .zip): each is read in a bounded child process and reviewed; one entry per file with its
    reviews, or its error."""
    from api.routes.corpus import _received_files
    received = await _received_files(request, settings)
    out = []
    for name, data in received:
        read = await run_in_threadpool(_read_upload, request.app.state.parse_slots, name, data)
        if not read.ok:
            out.append({"file": name, "error": f"{name}：{read.reason}", "reviews": []})
            continue
        decls = read.declarations
        reviews = await run_in_threadpool(lambda: [services.reviewer.review(d).to_dict() for d in decls])
        out.append({"file": name, "error": None, "reviews": reviews})
    return out


def _read_upload(slots, name: str, data: bytes):
    """Parse one upload in a bounded child; on disk it is named by its hash (the name is display only)."""
    with tempfile.TemporaryDirectory(prefix="zhibiao-review-") as tmp:
        path = save_upload(Path(tmp), name, data)
        read = slots.read(path=path)
    for decl in read.declarations:  # ids and sources as the user named the file
        decl.id = decl.id.replace(path.stem, Path(name).stem or "upload", 1)
        decl.source.file = decl.source.file.replace(path.name, name, 1)
    return read


@router.post("/targets/assess", response_model=list[TargetCheckOut], responses=errors(400, 413, 422, 503))
async def assess(body: AssessRequest, services: ServicesDep) -> list[dict]:
    """Is each target measurable, and does it fit its indicator? Vague and misfit are separate."""
    items = [item.model_dump() for item in body.items]
    results = await run_in_threadpool(services.reviewer.check, items)
    return [r.to_dict() for r in results]
