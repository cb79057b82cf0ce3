"""FastAPI application factory. Heavy objects load in the lifespan hook, never at import."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from api.routes import corpus, health, recommend, review
from api.services import ServiceHolder
from api.settings import Settings
from corpus.errors import CorpusError
from models.errors import ModelError
from recommender.errors import RecommenderError

STATIC = Path(__file__).parent / "static"
_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          413: "too_large", 422: "invalid", 503: "not_ready"}


def _error(status: int, message: str, code: str | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code or _CODES.get(status, "error"), "message": message}},
                        status_code=status)


def create_app(settings: Settings | None = None, *, holder: ServiceHolder | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        logging.basicConfig(level=logging.INFO, format="%(message)s")
        logging.getLogger("httpx").setLevel(logging.WARNING)
        if app.state.holder.current is None:
            app.state.holder.load()
        yield

    app = FastAPI(title="zhibiao 指标", version="0.1.0", lifespan=lifespan,
                  description="Offline recommendation and review of performance-target declarations "
                              "(绩效目标申报表).")
    app.state.settings = settings
    app.state.holder = holder or ServiceHolder(settings)

    @app.middleware("http")
    async def limit_body(request: Request, call_next):
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_body_bytes:
            return _error(413, f"request body of {int(length):,} bytes is over the limit of "
                               f"{settings.max_body_bytes:,} bytes (ZHIBIAO_MAX_BODY_BYTES)")
        return await call_next(request)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        kind = first.get("type", "")
        if kind == "json_invalid":
            return _error(400, f"body is not valid JSON: {first.get('ctx', {}).get('error', '')}".strip(), "bad_json")
        status = 413 if kind == "string_too_long" and "description" in where else 422
        return _error(status, f"{where or 'body'}: {first.get('msg', 'invalid')}")

    @app.exception_handler(RecommenderError)
    async def request_error(request: Request, exc: RecommenderError):
        return _error(422, str(exc))

    @app.exception_handler(CorpusError)
    async def corpus_error(request: Request, exc: CorpusError):
        return _error(422, str(exc))

    @app.exception_handler(ModelError)
    async def model_error(request: Request, exc: ModelError):
        return _error(500, str(exc), "model_error")

    for router in (health.router, recommend.router, review.router, corpus.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page():
        return FileResponse(STATIC / "index.html")

    @app.get("/report", include_in_schema=False)
    def report():
        path = settings.home / "report" / "report.html"
        if not path.exists():
            raise HTTPException(404, "no report yet: run `zhibiao report` first")
        return FileResponse(path)

    return app
