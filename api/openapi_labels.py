"""Chinese for what the API documentation (/docs) shows a person: tag names, operation summaries
and schema titles. Applied to the generated OpenAPI document in one place, so the route modules
keep their code-level names (paths, operation ids and schema keys stay English, as JSON keys do)."""

from __future__ import annotations

TAGS = {"health": "服务状态", "recommend": "推荐指标", "review": "审核", "corpus": "语料库",
        "vocabulary": "词表", "导出": "导出", "语料库": "语料库"}
TAG_DESCRIPTIONS = {"服务状态": "存活与就绪检查", "推荐指标": "为新项目推荐绩效指标表",
                    "审核": "像评审人员一样审核已填写的申报表", "语料库": "过往申报表、指标库、导入任务",
                    "词表": "界面使用的中文标签", "导出": "下载申报表和审核意见文件"}
SUMMARIES = {
    ("get", "/healthz"): "存活检查", ("get", "/readyz"): "就绪检查（语料库和索引已加载）",
    ("post", "/v1/recommendations"): "为新项目推荐指标", ("post", "/v1/reviews"): "审核一份申报表（文本或 JSON）",
    ("post", "/v1/reviews/files"): "审核上传的申报表文件", ("post", "/v1/targets/assess"): "判定零散的目标值",
    ("get", "/v1/indicators"): "语料库指标库", ("get", "/v1/stats"): "按申报单位和年度的指标质量",
    ("get", "/v1/declarations"): "查询已入库的申报表", ("post", "/v1/declarations"): "导入申报表（需管理员令牌）",
    ("get", "/v1/declarations/{declaration_id}"): "按编号取一份申报表",
    ("get", "/v1/jobs/{job_id}"): "导入任务的进度", ("get", "/v1/vocab/labels"): "代码的中文标签",
}
SCHEMA_TITLES = {
    "AssessRequest": "目标值判定请求", "CoverageOut": "类别覆盖", "ErrorBody": "错误内容", "ErrorOut": "错误",
    "FileOutcomeOut": "单个文件的导入结果", "JobOut": "导入任务", "KindOut": "项目类型",
    "RecommendationOut": "推荐结果", "RecommendationRequest": "推荐请求", "RecommendedIndicator": "推荐的指标",
    "SimilarProjectOut": "相似项目", "SourceRef": "来源项目", "TargetCheckOut": "目标值判定结果",
    "TargetItem": "待判定的目标值", "TargetRef": "目标值", "BudgetIn": "预算", "ComponentIn": "子项目",
    "DeadlineIn": "期限", "IndicatorIn": "指标", "SourceIn": "来源", "TargetIn": "目标值", "WarningIn": "读取提示",
    "DeclarationIn": "申报表", "ReviewText": "申报表全文", "HTTPValidationError": "请求校验错误",
    "ValidationError": "校验错误",
}


def translate(schema: dict) -> dict:
    """Put the Chinese tags, summaries and schema titles into a generated OpenAPI document."""
    used = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            if not isinstance(operation, dict):
                continue
            operation["tags"] = [TAGS.get(t, t) for t in operation.get("tags", [])]
            used += [t for t in operation["tags"] if t not in used]
            if (method, path) in SUMMARIES:
                operation["summary"] = SUMMARIES[(method, path)]
    schema["tags"] = [{"name": t, "description": TAG_DESCRIPTIONS.get(t, "")} for t in used]
    for name, body in schema.get("components", {}).get("schemas", {}).items():
        if name in SCHEMA_TITLES:
            body["title"] = SCHEMA_TITLES[name]
    return schema
