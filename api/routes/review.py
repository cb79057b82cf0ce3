from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool

from api.deps import ServicesDep, SettingsDep
from api.openapi import REVIEW_FILES_BODY, REVIEWS_BODY, errors
from api.schemas import AssessRequest, ReviewText, TargetCheckOut
from api.validate import JsonInputError, declaration_from_dict, load_json, validate
from corpus.read.profiles import parse_text

router = APIRouter(prefix="/v1", tags=["review"])


@router.post("/reviews", responses=errors(400, 413, 422, 503), openapi_extra=REVIEWS_BODY)
async def reviews(request: Request, services: ServicesDep) -> list[dict]:
    """A declaration as JSON (the parse schema; only `indicators` is required), or
    `{"text": "<form text>"}`. One review per declaration found."""
    body = load_json(await request.body())
    if isinstance(body, dict) and "text" in body:
        form = validate(ReviewText, body)
        decls = await run_in_threadpool(parse_text, form.text, file=form.file)
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
        parsed = await run_in_threadpool(_read_upload, name, data, settings)
        if "error" in parsed:
            out.append({"file": name, "error": parsed["error"], "reviews": []})
            continue
        decls = [declaration_from_dict(d, ident=d.get("id") or f"upload-{n}", file=name)
                 for n, d in enumerate(parsed["declarations"], start=1)]
        reviews = await run_in_threadpool(lambda: [services.reviewer.review(d).to_dict() for d in decls])
        out.append({"file": name, "error": None, "reviews": reviews})
    return out


def _read_upload(name: str, data: bytes, settings) -> dict:
    """Parse one upload in a child process (niced, memory-capped, killed at the deadline)."""
    suffix = Path(name).suffix.lower() or ".txt"
    with tempfile.TemporaryDirectory(prefix="zhibiao-review-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        command = [sys.executable, "-m", "api.parse_worker", str(settings.ingest_memory_mb), str(path)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=settings.ingest_timeout_s,
                                  cwd=str(Path(__file__).resolve().parents[2]))
        except subprocess.TimeoutExpired:
            return {"error": f"{name}：处理超过 {settings.ingest_timeout_s:g} 秒的时限，已中止"}
    lines = [line for line in done.stdout.decode("utf-8", "replace").splitlines() if line.startswith("{")]
    if not lines:
        return {"error": f"{name}：处理失败（文件过大或结构异常）"}
    result = json.loads(lines[-1])
    if "error" in result:
        return {"error": f"{name}：{result['error']}"}
    return result


@router.post("/targets/assess", response_model=list[TargetCheckOut], responses=errors(400, 413, 422, 503))
async def assess(body: AssessRequest, services: ServicesDep) -> list[dict]:
    """Is each target measurable, and does it fit its indicator? Vague and misfit are separate."""
    items = [item.model_dump() for item in body.items]
    results = await run_in_threadpool(services.reviewer.check, items)
    return [r.to_dict() for r in results]
