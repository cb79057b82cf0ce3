from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import HolderDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "still loading", "content": {"application/json": {
    "schema": {"type": "object", "properties": {"ready": {"type": "boolean"}, "reason": {"type": "string"}}},
    "example": {"ready": False, "reason": "loading corpus and index"}}}}})
def readyz(holder: HolderDep):
    holder.check_index()  # a replica's health check also notices a newly published index
    services = holder.current
    if services is None:
        return JSONResponse({"ready": False, "reason": holder.last_error or "正在加载语料库和索引"}, status_code=503)
    return {"ready": True, "declarations": services.declarations,
            "indicators": services.indicators, "corpus": services.origin,
            "corpus_hash": services.corpus_hash, "encoder": services.engine.encoder.id,
            "index": services.engine.index.kind, "rebuilding": holder.rebuilding,
            "last_rebuild_error": holder.last_error}
