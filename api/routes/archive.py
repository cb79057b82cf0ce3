"""The archive from the page: stored files listed and removed (admin token), and the national
indicator library searched (public). New routes beside routes/corpus.py, thin over the store and
models.library.search."""

from __future__ import annotations

import re
from dataclasses import asdict
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool

from api.deps import SettingsDep
from api.openapi import errors
from api.routes.corpus import Credentials, _authorise
from corpus.stores import make_store, store_exists
from models.library.search import search_library

router = APIRouter(prefix="/v1", tags=["语料库"])
_UPLOAD_PREFIX = re.compile(r"^[0-9a-f]{16}-")


def stored_files(*, store_path: FilePath | str, limit: int, offset: int) -> dict:
    if not store_exists(store_path):
        return {"total": 0, "items": []}
    with make_store(store_path) as store:
        total, rows = store.files_page(limit, offset)
    # an upload is stored under its content hash, the name it was given kept beside it: show that name
    items = [{"path": path, "name": name or _UPLOAD_PREFIX.sub("", FilePath(path).name), "ingested_at": at,
              "declarations": count} for path, name, at, count in rows]
    return {"total": total, "items": items}


def remove_stored_file(*, store_path: FilePath | str, path: str) -> dict:
    if not store_exists(store_path):
        raise LookupError(path)
    with make_store(store_path) as store:
        removed = [(p, n) for p, n in store.remove_files([path]) if n >= 0]
        total = store.count()
    if not removed:
        raise LookupError(path)
    return {"removed_files": len(removed), "removed_declarations": sum(n for _, n in removed),
            "declarations": total}


@router.get("/files", summary="语料库中的文件", responses=errors(401, 403, 422))
def files(settings: SettingsDep, credentials: Credentials,
          limit: Annotated[int, Query(ge=1, le=500, title="条数")] = 100,
          offset: Annotated[int, Query(ge=0, le=10_000_000, title="起始位置")] = 0) -> dict:
    """已入库的文件（最新的在前）及每个文件的申报表数。需要管理员令牌。"""
    _authorise(settings, credentials)
    return stored_files(store_path=settings.store_location, limit=limit, offset=offset)


@router.delete("/files", summary="从语料库删除一个文件", responses=errors(401, 403, 404, 422))
async def delete_file(request: Request, settings: SettingsDep, credentials: Credentials,
                      path: Annotated[str, Query(min_length=1, max_length=1000, title="文件路径",
                                                 description="GET /v1/files 列出的 path")]) -> dict:
    """删除文件及其申报表；索引随后在后台更新（完成后 /readyz 的申报表数随之变化）。需要管理员令牌。"""
    _authorise(settings, credentials)
    try:
        result = await run_in_threadpool(remove_stored_file, store_path=settings.store_location, path=path)
    except LookupError:
        raise HTTPException(404, f"语料库中没有文件“{path}”") from None
    request.app.state.holder.rebuild_in_background()
    return {**result, "rebuild": "scheduled"}


@router.get("/library", summary="搜索国家指标库", responses=errors(422))
def library(q: Annotated[str, Query(max_length=200, title="关键词")] = "",
            level1: Annotated[str | None, Query(max_length=50, title="一级指标")] = None,
            limit: Annotated[int, Query(ge=1, le=500, title="条数")] = 50,
            offset: Annotated[int, Query(ge=0, le=100_000, title="起始位置")] = 0) -> dict:
    """内置的全国指标库（按行业和项目类型整理）：指标名称、项目类型名称、行业或关键词含有关键词的指标。"""
    total, rows = search_library(q, level1=level1, limit=limit, offset=offset)
    return {"total": total, "offset": offset, "items": [asdict(r) for r in rows]}
