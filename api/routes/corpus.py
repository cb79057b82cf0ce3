from __future__ import annotations

import hashlib
import json
import re
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Query, Request, UploadFile

from api.deps import HolderDep, ServicesDep, SettingsDep
from corpus.store import CorpusStore, FORM_SUFFIXES

router = APIRouter(prefix="/v1", tags=["corpus"])


@router.get("/indicators")
def indicators(services: ServicesDep, q: str = "", level1: str | None = None,
               level2: str | None = None, limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict:
    rows = [e for e in services.library
            if (not q or q in e.name) and (not level1 or e.level1 == level1)
            and (not level2 or e.level2 == level2)]
    return {"total": len(rows), "items": [vars(e) for e in rows[:limit]]}


@router.get("/stats")
def stats(services: ServicesDep) -> dict:
    """Indicator quality per agency, per year and per agency × year (see `zhibiao report`)."""
    return services.stats()


@router.get("/declarations")
def declarations(services: ServicesDep, agency: str | None = None, year: int | None = None,
                 q: str = "", limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict:
    rows = [d for d in services.decls
            if (not agency or d.agency == agency) and (year is None or d.year == year)
            and (not q or q in (d.project_name or "") or q in (d.texts.get("overview") or ""))]
    return {"total": len(rows), "corpus_hash": services.corpus_hash,
            "items": [{"id": d.id, "project_name": d.project_name, "agency": d.agency, "year": d.year,
                       "indicators": len(d.indicators), "layout": d.source.layout} for d in rows[:limit]]}


@router.get("/declarations/{declaration_id}")
def declaration(declaration_id: str, services: ServicesDep) -> dict:
    decl = services.by_id(declaration_id)
    if decl is None:
        raise HTTPException(404, f"no declaration '{declaration_id}' in the corpus")
    return decl.to_dict()


def _authorise(settings, authorization: str | None) -> None:
    if not settings.admin_token:
        raise HTTPException(403, "writes are disabled: set ZHIBIAO_ADMIN_TOKEN on the server to allow ingest")
    if not authorization or not authorization.startswith("Bearer "):
        raise HTTPException(401, "missing 'Authorization: Bearer <ZHIBIAO_ADMIN_TOKEN>' header")
    if authorization[7:].strip() != settings.admin_token:
        raise HTTPException(401, "the bearer token does not match ZHIBIAO_ADMIN_TOKEN")


@router.post("/declarations", status_code=202)
async def ingest(request: Request, holder: HolderDep, settings: SettingsDep,
                 authorization: Annotated[str | None, Header()] = None) -> dict:
    """Ingest form files (multipart, field `files`) or declarations as JSON; the index is rebuilt
    in the background and swapped in when ready."""
    _authorise(settings, authorization)
    uploads = settings.home / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    saved = []
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        files = [f for f in form.getlist("files") if isinstance(f, UploadFile) or hasattr(f, "read")]
        if not files:
            raise HTTPException(422, "multipart body has no 'files' field")
        for upload in files:
            data = await upload.read()
            name = re.sub(r"[^\w.\-]+", "_", upload.filename or "upload.txt")[-80:]
            if not any(name.lower().endswith(s) for s in FORM_SUFFIXES):
                raise HTTPException(422, f"{upload.filename}: expected one of {', '.join(sorted(FORM_SUFFIXES))}")
            saved.append(_save(uploads, name, data))
    else:
        try:
            payload = json.loads(await request.body())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise HTTPException(400, f"body is not valid JSON: {exc}") from None
        items = payload if isinstance(payload, list) else [payload]
        if not all(isinstance(i, dict) and "indicators" in i for i in items):
            raise HTTPException(422, "expected a declaration (or a list of them) with 'indicators'")
        saved.append(_save(uploads, "declarations.json", json.dumps(items, ensure_ascii=False).encode()))
    with CorpusStore(settings.store_path) as store:
        results = [store.ingest_file(path) for path in saved]
    changed = any(r.status in ("new", "replaced") for r in results)
    if changed:
        holder.rebuild_in_background()
    return {"results": [vars(r) for r in results],
            "rebuild": "scheduled" if changed else "not needed (nothing changed)"}


def _save(folder, name, data: bytes):
    digest = hashlib.sha256(data).hexdigest()[:16]
    path = folder / f"{digest}-{name}"
    path.write_bytes(data)
    return path
