"""CLI commands over review: `review FILE...` and `check` (loose targets, JSONL)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from api.jsonl import JsonlError, read_jsonl
from api.render import table
from api.settings import Settings
from corpus.errors import CorpusError
from corpus.layouts import parse_file
from corpus.store import load_corpus
from recommender.checks import SEVERITY_ORDER
from recommender.review import DeclarationReview, Reviewer

MARK = {"error": "✗", "warning": "!", "info": "·"}


def load_reviewer(settings: Settings) -> Reviewer:
    decls, _ = load_corpus(settings.store_path)
    return Reviewer(decls).fit()


def render_review(review: DeclarationReview) -> str:
    s = review.summary
    counts = {k: s["by_severity"].get(k, 0) for k in ("error", "warning", "info")}
    lines = [f"== 审核意见：{review.project_name or '（项目名称缺失）'}（{review.declaration_id}，"
             f"{review.agency or '申报单位不详'}，{review.year or '年度不详'}）",
             f"  可测量性评分 {s['measurability_score']}/100：{s['indicators']} 个指标中 {s['vague']} 个目标值无法量化，"
             f"{s['misfit']} 个与指标类型不符；错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}",
             "", "  一、指标表（✗ 错误  ! 警告）"]
    rows = [["行", "一级", "二级", "三级指标", "目标值", "", "问题", "建议改为"]]
    for row in review.rows:
        found = [f for f in review.findings if f.line == row["line"] and f.indicator == row["name"]]
        worst = min((SEVERITY_ORDER[f.severity] for f in found), default=None)
        mark = {0: "✗", 1: "!", 2: "·"}.get(worst, "")
        labels = "；".join(dict.fromkeys(f.label for f in found))
        suggestion = (row["suggestion"] or {}).get("raw", "") if found else ""
        rows.append([str(row["line"] or ""), row["level1"] or "—", row["level2"] or "—", row["name"],
                     row["value"] or "（空）", mark, labels, suggestion])
    lines.append(table(rows, indent="    "))
    form = [f for f in review.findings if f.indicator is None or f.code == "OTHER"]
    lines += ["", "  二、表单层面"]
    lines += [f"    {MARK[f.severity]} [{f.label}] {f.message}"
              + (f" → 建议：{f.suggestion['raw']}" if f.suggestion else "") for f in form] or ["    无"]
    detail = [f for f in review.findings if f.indicator is not None and f.code != "OTHER"]
    lines += ["", "  三、逐条意见"]
    for n, f in enumerate(sorted(detail, key=lambda f: (f.line or 0, SEVERITY_ORDER[f.severity])), start=1):
        text = f"    {n}. 第{f.line}行 {f.indicator}（{f.value or '空'}）[{f.label}]：{f.message}"
        if f.suggestion:
            text += f"\n       建议改为“{f.suggestion['raw']}”。依据：{f.suggestion['basis']}"
        lines.append(text)
    if not detail:
        lines.append("    无")
    return "\n".join(lines)


def cmd_review(args: argparse.Namespace, settings: Settings) -> int:
    decls, status = [], 0
    for name in args.files:
        try:
            parsed = parse_file(Path(name), max_bytes=settings.max_file_bytes)
            if any(w.code == "encoding_converted" for d in parsed[:1] for w in d.warnings):
                print(f"zhibiao: warning: {name}: decoded as GB18030 and converted to UTF-8", file=sys.stderr)
            decls.extend(parsed)
        except CorpusError as exc:
            print(f"zhibiao: error: {exc}", file=sys.stderr)
            status = 2
    reviewer = load_reviewer(settings)
    reviews = [reviewer.review(d) for d in decls]
    if args.json:
        sys.stdout.write(json.dumps([r.to_dict() for r in reviews], ensure_ascii=False, indent=2) + "\n")
    else:
        print("\n\n".join(render_review(r) for r in reviews))
    return status


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    try:
        items = read_jsonl(args.input, ("name", "value"), '{"name", "value", "level1"?, "level2"?}')
    except JsonlError as exc:
        print(f"zhibiao: error: {exc}", file=sys.stderr)
        return 2
    results = load_reviewer(settings).check(items)
    for result in results:
        if args.json:
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        else:
            verdict = "不可测量" if result.vague else "可测量"
            fit = "类型相符" if result.fits else f"类型不符：{result.fit_reason}"
            line = f"{result.name} | {result.value or '（空）'} → {verdict}（{result.kind}），{fit}"
            if result.suggestion:
                line += f"\n    建议改为“{result.suggestion['raw']}”。依据：{result.suggestion['basis']}"
            print(line)
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("review", help="review filled forms like a reviewer would")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_review)
    p = sub.add_parser("check", help="assess loose targets (JSONL in: name, value, level1?, level2?)")
    p.add_argument("--input", help="JSONL file; stdin when omitted")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check)
