"""The parts of the OpenAPI document FastAPI cannot infer: every error status with its model and
an example, the request bodies read by hand (declarations: multipart or JSON; reviews: form text
or a declaration), and the schemas those bodies refer to."""

from __future__ import annotations

from fastapi.openapi.utils import get_openapi

from api.schemas import DECLARATION_EXAMPLE, MAX_FILES_PER_UPLOAD, DeclarationIn, ErrorOut, ReviewText

_ERROR_EXAMPLES = {
    400: ("bad_json", "请求体：不是有效的 JSON（第 1 行第 2 列：此处应为双引号括起的字段名）"),
    401: ("unauthorized", "缺少请求头 Authorization: Bearer <ZHIBIAO_ADMIN_TOKEN>"),
    403: ("forbidden", "写入已关闭：服务器需设置 ZHIBIAO_ADMIN_TOKEN 才能导入申报表"),
    404: ("not_found", "语料库中没有编号为“nope-1”的申报表"),
    413: ("too_large", "请求体超过 2,097,152 字节的上限（ZHIBIAO_MAX_BODY_BYTES）"),
    415: ("unsupported_media_type", "请求头 Content-Type 为 text/plain：请求体应为 JSON（application/json）"
                                    "或文件上传（multipart/form-data）"),
    422: ("invalid", "indicators[0].name：应为字符串，实际为整数"),
    500: ("internal", "服务器内部错误，已记录（请求编号 3f2a9c1b7d4e）"),
    503: ("not_ready", "语料库和索引仍在加载"),
}
_DESCRIPTIONS = {400: "请求体不是 JSON（或不是 UTF-8，或 multipart 请求体格式有误）",
                 401: "缺少令牌或令牌不对", 403: "写入已关闭（未设置 ZHIBIAO_ADMIN_TOKEN）",
                 404: "没有找到", 413: "请求体、文件、列表或嵌套层数超过上限",
                 415: "请求体既不是 JSON 也不是 multipart/form-data（拒绝跨站请求）",
                 422: "字段缺失，或类型、长度不对", 500: "未预料的错误（已记录）",
                 503: "语料库和索引仍在加载、导入队列已满，或读取子进程全忙（见 Retry-After）"}


def errors(*statuses: int) -> dict:
    """`responses=` for a route: each status with ErrorOut and an example (500 always added)."""
    out = {}
    for status in (*statuses, 500):
        code, message = _ERROR_EXAMPLES[status]
        example = {"error": {"code": code, "message": message}}
        if status == 500:
            example["error"]["request_id"] = "3f2a9c1b7d4e"
        out[status] = {"model": ErrorOut, "description": _DESCRIPTIONS[status],
                       "content": {"application/json": {"example": example}}}
    return out


REVIEW_FILES_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {
    "schema": {"type": "object", "required": ["files"], "properties": {
        "files": {"type": "array", "items": {"type": "string", "format": "binary"},
                  "description": "申报表文件：.txt .xlsx .xls .docx .html .pdf .json .csv .zip"}}}}}}}

DECLARATIONS_BODY = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {
        "schema": {"type": "object", "required": ["files"], "properties": {
            "files": {"type": "array", "maxItems": MAX_FILES_PER_UPLOAD,
                      "items": {"type": "string", "format": "binary"},
                      "description": "form files: .txt, .json, .jsonl, .csv, .xlsx (and what the reader accepts)"}}},
    },
    "application/json": {
        "schema": {"anyOf": [{"$ref": "#/components/schemas/DeclarationIn"},
                             {"type": "array", "minItems": 1, "maxItems": 500,
                              "items": {"$ref": "#/components/schemas/DeclarationIn"}}]},
        "example": [DECLARATION_EXAMPLE],
    },
}}}

REVIEWS_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"oneOf": [{"$ref": "#/components/schemas/ReviewText"},
                         {"$ref": "#/components/schemas/DeclarationIn"}]},
    "examples": {
        "declaration": {"summary": "a declaration as JSON", "value": DECLARATION_EXAMPLE},
        "text": {"summary": "form text", "value": {"text": (
            "上海市财政支出项目绩效目标申报表\n项目名称\t区图书馆全民阅读推广\n申报单位名称\t某区图书馆\n"
            "一级指标\t二级指标\t三级指标\t指标目标值\n产出\t数量\t读书讲座场次\t≥48场\n"), "file": "pasted.txt"}},
    },
}}}}


def complete_openapi(app) -> dict:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description,
                         routes=app.routes)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (DeclarationIn, ReviewText):
        body = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(body.pop("$defs", {}))
        components[model.__name__] = body
    # every operation with a body may answer 415 (api.app.Edge: JSON or multipart only)
    unsupported = errors(415)[415]
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation.setdefault("responses", {}).setdefault("415", {
                    "description": unsupported["description"],
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"},
                                                     "example": unsupported["content"]["application/json"]["example"]}}})
    from api.openapi_labels import translate
    app.openapi_schema = translate(schema)
    return app.openapi_schema
