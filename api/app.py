"""FastAPI application factory. Heavy objects load in the lifespan hook, never at import."""

from __future__ import annotations

import logging
import uuid
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette._utils import parse_host_header
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from api.jobs import JobRunner
from api.openapi import complete_openapi
from api.parse_slots import Busy, ParseSlots
from api.routes import archive, corpus, exports, health, recommend, review, vocab
from api.services import ServiceHolder
from api.settings import Settings
from api.validate import JsonInputError, check_depth, describe
from corpus.errors import CorpusError
from models.errors import ModelError
from recommender.errors import RecommenderError

STATIC = Path(__file__).parent / "static"
log = logging.getLogger("zhibiao")
_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type", 422: "invalid",
          500: "internal", 503: "not_ready"}
# Starlette's own messages for routing errors, in Chinese (these reach the page's error box).
_STARLETTE = {"Not Found": "没有这个地址", "Method Not Allowed": "该地址不支持这个请求方法"}


def error_response(status: int, message: str, code: str | None = None, *,
                   request_id: str | None = None, headers: dict | None = None) -> JSONResponse:
    body = {"code": code or _CODES.get(status, "error"), "message": message}
    if request_id:
        body["request_id"] = request_id
    return JSONResponse({"error": body}, status_code=status, headers=headers)


class Edge:
    """The outermost layer (pure ASGI): a request id on every answer; bodies over the limit
    refused with 413 (by Content-Length up front, and while streaming a chunked body); JSON
    nested deeper than the limit refused with 413 before any parser recurses; and anything
    unforeseen turned into a logged 500 with the JSON error shape — never bare text."""

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request_id = uuid.uuid4().hex[:12]
        scope.setdefault("state", {})["request_id"] = request_id
        started = False

        async def send_with_id(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", []),
                                                  (b"x-request-id", request_id.encode())]}
            await send(message)

        try:
            replay = await self._bounded_body(scope, receive)
            if isinstance(replay, JSONResponse):
                return await replay(scope, receive, send_with_id)
            await self.app(scope, replay, send_with_id)
        except Exception:
            log.exception("zhibiao: unhandled error in %s %s (request %s)", scope.get("method"),
                          scope.get("path"), request_id)
            if not started:
                response = error_response(500, f"服务器内部错误，已记录（请求编号 {request_id}）",
                                          "internal", request_id=request_id)
                await response(scope, receive, send_with_id)

    async def _bounded_body(self, scope, receive):
        """Read the whole body (at most `limit` bytes) and hand back a receive() that replays it,
        or a 413 answer."""
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length", b"")
        too_large = error_response(413, f"请求体超过 {self.limit:,} 字节的上限（ZHIBIAO_MAX_BODY_BYTES）",
                                   "too_large")
        if length.isdigit() and int(length) > self.limit:
            return too_large
        chunks, size = [], 0
        while True:
            event = await receive()
            if event["type"] != "http.request":
                break
            size += len(event.get("body", b""))
            if size > self.limit:
                return too_large
            chunks.append(event.get("body", b""))
            if not event.get("more_body"):
                break
        body = b"".join(chunks)
        kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if body and not _json_or_upload(kind):
            # text/plain and form posts are what another site's page may send without asking
            # (no CORS preflight): only JSON and multipart uploads are read
            shown = kind.decode("latin-1") or "（未给出）"
            return error_response(415, f"请求头 Content-Type 为 {shown}：请求体应为 JSON（application/json）"
                                       "或文件上传（multipart/form-data）", "unsupported_media_type")
        if body and not kind.startswith(b"multipart/"):
            try:
                check_depth(body)
            except JsonInputError as exc:
                return error_response(exc.status, str(exc), exc.code)
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay


def _warm(app: FastAPI) -> None:
    """One small form read in a bounded child and reviewed: the forkserver and the reviewer's
    lazily built parts are ready before the first request, which then costs what any other does."""
    try:
        read = app.state.parse_slots.warm()
        services = app.state.holder.current
        if services is not None and read.declarations:
            form = read.declarations[0]
            form.id = "warm-up-1"  # a form outside the corpus: what requests send (the shared classifier)
            services.reviewer.review(form)
    except Exception:  # a warm-up that fails leaves the first request slower, nothing else
        log.exception("zhibiao: warm-up failed")


def _json_or_upload(kind: bytes) -> bool:
    return kind in (b"application/json", b"multipart/form-data") or (
        kind.startswith(b"application/") and kind.endswith(b"+json"))


class TrustedHosts(TrustedHostMiddleware):
    """Starlette's TrustedHostMiddleware (against DNS rebinding: a page of evil.example that
    resolves to 127.0.0.1 sends Host: evil.example), answering in the JSON error shape."""

    def __init__(self, app, allowed_hosts: list[str]):
        super().__init__(app, allowed_hosts=allowed_hosts, www_redirect=False)

    async def __call__(self, scope, receive, send):
        if self.allow_any or scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        raw = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
        parsed = parse_host_header(raw)
        host = parsed.host.lower().strip("[]") if parsed else ""
        if any(host == p.strip("[]") or (p.startswith("*.") and host.endswith(p[1:]))
               for p in self.allowed_hosts):
            return await self.app(scope, receive, send)
        shown = raw[:100] or "（未给出）"
        response = error_response(400, f"请求头 Host 为 {shown}，不是本服务的地址；如需从其他主机名访问，"
                                       "请在 ZHIBIAO_ALLOWED_HOSTS 中列出（逗号分隔）", "bad_host")
        await response(scope, receive, send)


def create_app(settings: Settings | None = None, *, holder: ServiceHolder | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        logging.basicConfig(level=logging.INFO, format="%(message)s")
        logging.getLogger("httpx").setLevel(logging.WARNING)
        if app.state.holder.current is None:
            app.state.holder.load()
        _warm(app)
        # jobs a killed server left unfinished: after the index is loaded (a resumed job writes to
        # the store, which the index build must not see change under it)
        app.state.jobs.recover()
        try:
            yield
        finally:
            app.state.jobs.close()

    app = FastAPI(title="zhibiao 指标", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="绩效目标申报表的离线指标推荐与审核。每个错误都是 "
                              "`{\"error\": {\"code\", \"message\"}}`，"
                              "message 为中文，指明字段及其应有的取值。")
    app.state.settings = settings
    app.state.holder = holder or ServiceHolder(settings)
    app.state.jobs = JobRunner(settings, app.state.holder)
    app.state.parse_slots = ParseSlots(settings)

    app.add_middleware(Edge, limit=settings.max_body_bytes)
    app.add_middleware(TrustedHosts, allowed_hosts=settings.trusted_hosts())  # outermost: before any body is read

    @app.exception_handler(StarletteHTTPException)  # also the router's own 404 / 405
    async def http_error(request: Request, exc: StarletteHTTPException):
        detail = _STARLETTE.get(str(exc.detail), str(exc.detail))
        return error_response(exc.status_code, detail, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        errors = exc.errors()
        first = errors[0] if errors else {}
        kind = first.get("type", "")
        if kind == "json_invalid":
            return error_response(400, "请求体不是有效的 JSON", "bad_json")
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        status = 413 if kind == "string_too_long" and "description" in where else 422
        return error_response(status, describe(errors), "too_large" if status == 413 else "invalid")

    @app.exception_handler(JsonInputError)
    async def json_input(request: Request, exc: JsonInputError):
        return error_response(exc.status, str(exc), exc.code)

    @app.exception_handler(Busy)
    async def busy(request: Request, exc: Busy):
        return error_response(503, f"正在读取的文件已达上限（{settings.parse_children} 个），请 {exc.retry_after} 秒后再试",
                              "busy", headers={"Retry-After": str(exc.retry_after)})

    @app.exception_handler(RecommenderError)
    async def request_error(request: Request, exc: RecommenderError):
        return error_response(422, str(exc))

    @app.exception_handler(CorpusError)
    async def corpus_error(request: Request, exc: CorpusError):
        return error_response(422, str(getattr(exc, "reason", exc)))

    @app.exception_handler(ModelError)
    async def model_error(request: Request, exc: ModelError):
        request_id = getattr(request.state, "request_id", None)
        log.error("zhibiao: model error (request %s): %s", request_id, exc)
        return error_response(500, f"模型出错，已记录（请求编号 {request_id}）", "model_error",
                              request_id=request_id)

    for router in (health.router, recommend.router, review.router, corpus.router, vocab.router,
                   exports.router, archive.router):
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
            raise HTTPException(404, "还没有质量报告：请先运行 zhibiao report")
        return FileResponse(path)

    app.openapi = lambda: complete_openapi(app)
    return app
