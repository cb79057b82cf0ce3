"""FastAPI application factory. Heavy objects load in the lifespan hook, never at import."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from starlette.exceptions import HTTPException as StarletteHTTPException
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
          405: "method_not_allowed", 413: "too_large", 422: "invalid", 503: "not_ready"}


def _error(status: int, message: str, code: str | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code or _CODES.get(status, "error"), "message": message}},
                        status_code=status)


class BodyLimit:
    """Refuse bodies over the limit with 413: by Content-Length up front, and while streaming a
    body sent without one (chunked), before any route reads it."""

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length", b"")
        message = (f"request body is over the limit of {self.limit:,} bytes (ZHIBIAO_MAX_BODY_BYTES)")
        if length.isdigit() and int(length) > self.limit:
            return await _error(413, message)(scope, receive, send)
        if length:
            return await self.app(scope, receive, send)
        chunks, size = [], 0
        while True:  # no Content-Length: read (bounded) before handing on
            event = await receive()
            if event["type"] != "http.request":
                break
            size += len(event.get("body", b""))
            if size > self.limit:
                return await _error(413, message)(scope, receive, send)
            chunks.append(event.get("body", b""))
            if not event.get("more_body"):
                break
        body = b"".join(chunks)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)


def create_app(settings: Settings | None = None, *, holder: ServiceHolder | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        logging.basicConfig(level=logging.INFO, format="%(message)s")
        logging.getLogger("httpx").setLevel(logging.WARNING)
        if app.state.holder.current is None:
            app.state.holder.load()
        yield

    app = FastAPI(title="zhibiao 指标", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Offline recommendation and review of performance-target declarations "
                              "(绩效目标申报表).")
    app.state.settings = settings
    app.state.holder = holder or ServiceHolder(settings)

    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)

    @app.exception_handler(StarletteHTTPException)  # also the router's own 404 / 405
    async def http_error(request: Request, exc: StarletteHTTPException):
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
    # Swagger UI from the installed swagger-ui-bundle package: /docs works with no network
    from swagger_ui_bundle import swagger_ui_path
    app.mount("/swagger", StaticFiles(directory=str(swagger_ui_path)), name="swagger")

    @app.get("/docs", include_in_schema=False)
    def docs():
        from fastapi.openapi.docs import get_swagger_ui_html
        return get_swagger_ui_html(openapi_url="/openapi.json", title="zhibiao API",
                                   swagger_js_url="/swagger/swagger-ui-bundle.js",
                                   swagger_css_url="/swagger/swagger-ui.css",
                                   swagger_favicon_url="/swagger/favicon-32x32.png")

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
