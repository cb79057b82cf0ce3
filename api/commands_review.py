"""CLI commands over review: `review FILE_OR_DIR... [--summary [--csv OUT]]` and `check` (loose
targets, JSONL)."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from typing import TYPE_CHECKING

from api.render import table
from corpus.vocab import label
from corpus.errors import CorpusError

if TYPE_CHECKING:  # imported by the commands that use them (a one-shot command pays for its own)
    from api.settings import Settings
    from recommender.review import DeclarationReview, Reviewer

MARK = {"error": "✗", "warning": "!", "info": "·"}


def load_reviewer(settings: Settings) -> Reviewer:
    """The server's reviewer (`api.services.Services.load`): over the store-backed engine, so the
    CLI reviews exactly as POST /v1/reviews does and holds nothing proportional to the corpus."""
    from api.commands_recommend import load_engine
    from recommender.review import Reviewer
    return Reviewer.of_engine(load_engine(settings)).fit()


def render_review(review: DeclarationReview) -> str:
    from recommender.checks import SEVERITY_ORDER
    s = review.summary
    counts = {k: s["by_severity"].get(k, 0) for k in ("error", "warning", "info")}
    lines = [f"== 审核意见：{review.project_name or '（项目名称缺失）'}（{review.declaration_id}，"
             f"{review.agency or '申报单位不详'}，{review.year or '年度不详'}"
             + (f"，{s['form_kind']}表" if s.get("form_kind") else "") + "）",
             f"  可测量性评分 {s['measurability_score']}/100：{s['indicators']} 个指标中 {s['vague']} 个目标值无法量化，"
             f"{s['misfit']} 个与指标类型不符；错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}"]
    if s.get("framework_label"):
        lines.append(f"  指标体系按{s['framework_label']}核对")
    if "targets_compared" in s:
        lines.append(f"  自评：{s['targets_compared']} 项目标可与实际值比较，完成 {s['targets_met']} 项，"
                     f"未完成 {s['targets_missed']} 项")
    lines += ["", "  一、指标表（✗ 错误  ! 警告  · 提示）"]
    self_evaluation = any(row.get("actual") for row in review.rows)
    header = ["行", "一级", "二级", "三级指标", "目标值"] + (["实际值", "完成"] if self_evaluation else [])
    rows = [header + ["", "问题", "建议改为"]]
    for row in review.rows:
        found = [f for f in review.findings if f.line == row["line"] and f.indicator == row["name"]]
        worst = min((SEVERITY_ORDER[f.severity] for f in found), default=None)
        mark = {0: "✗", 1: "!", 2: "·"}.get(worst, "")
        labels = "；".join(dict.fromkeys(f.label for f in found))
        suggestion = (row["suggestion"] or {}).get("raw", "") if found else ""
        done = {True: "是", False: "否", None: "—"}[row.get("met")]
        rows.append([str(row["line"] or ""), row["level1"] or "—", row["level2"] or "—", row["name"],
                     row["value"] or "（空）"] + ([row.get("actual") or "—", done] if self_evaluation else [])
                    + [mark, labels, suggestion])
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


SUMMARY_COLUMNS = ("file", "declaration_id", "agency", "project_name", "form_kind", "framework", "indicators",
                   "errors", "warnings", "infos", "measurability_score", "targets_missed")
SUMMARY_HEADER = ("文件", "编号", "申报单位", "项目名称", "表类", "框架", "指标数", "错误", "警告", "提示",
                  "可测量性评分", "未完成目标")


def _read_form(path: Path, bounds):
    """Any province's form, read in a child process with a deadline and a memory cap."""
    from corpus.bounded import read_file_or_raise
    return read_file_or_raise(path, bounds)


def form_files(paths: list[str]) -> list[str]:
    """Files named, and the form files inside folders named (sorted, recursively)."""
    from corpus.read import SUPPORTED
    out = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            out += sorted(str(p) for p in path.rglob("*")
                          if p.is_file() and p.suffix.lower() in SUPPORTED and not p.name.startswith("."))
        else:
            out.append(name)
    return out


def summary_row(review: DeclarationReview, file: str) -> dict:
    s = review.summary
    return {"file": file, "declaration_id": review.declaration_id, "agency": review.agency,
            "project_name": review.project_name, "form_kind": s.get("form_kind"), "framework": s.get("framework"),
            "indicators": s["indicators"], "errors": s["by_severity"].get("error", 0),
            "warnings": s["by_severity"].get("warning", 0), "infos": s["by_severity"].get("info", 0),
            "measurability_score": s["measurability_score"], "targets_missed": s.get("targets_missed", 0)}


def worst_first(rows: list[dict]) -> list[dict]:
    """Most errors first, then the lowest measurability score, then most warnings."""
    return sorted(rows, key=lambda r: (-r["errors"], r["measurability_score"], -r["warnings"],
                                       r["file"], r["declaration_id"]))


def render_summary(rows: list[dict]) -> str:
    body = [["#", "申报单位", "项目名称", "表类", "指标", "错误", "警告", "提示", "评分", "文件"]]
    for n, r in enumerate(rows, start=1):
        body.append([str(n), _cut(r["agency"] or "—", 16), _cut(r["project_name"] or "（项目名称缺失）", 30),
                     r["form_kind"] or "—", str(r["indicators"]), str(r["errors"]), str(r["warnings"]),
                     str(r["infos"]), str(r["measurability_score"]), Path(r["file"]).name])
    return table(body, indent="")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def write_csv(rows: list[dict], out: str) -> None:
    # UTF-8 with a byte-order mark: Excel opens the Chinese columns correctly
    from evaluation.csv_safe import safe_row
    with open(out, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(SUMMARY_HEADER)
        for r in rows:  # a project name such as =HYPERLINK(…) must stay text in a spreadsheet
            writer.writerow(safe_row([r[c] if r[c] is not None else "" for c in SUMMARY_COLUMNS]))


def cmd_review(args: argparse.Namespace, settings: Settings) -> int:
    from api.cli_files import usable_files
    if args.csv and not args.summary:
        print("zhibiao: 错误：--csv 只能与 --summary 一起使用", file=sys.stderr)
        return 2
    files, status = usable_files(form_files(args.paths), settings)
    decls = []
    for name in files:
        try:
            parsed = _read_form(Path(name), settings.parse_bounds())
            converted = next((w.message for d in parsed[:1] for w in d.warnings if w.code == "encoding_converted"), None)
            if converted:
                print(f"zhibiao: 注意：{converted}", file=sys.stderr)
            decls.extend((name, d) for d in parsed)
        except CorpusError as exc:
            print(f"zhibiao: 错误：{exc}", file=sys.stderr)
            status = 2
    if not decls:
        if not files and not status:
            print(f"zhibiao: 错误：{'、'.join(args.paths)}: 没有找到申报表文件", file=sys.stderr)
        return 2
    memo_format = None
    if args.out:
        from api.export.download import format_of
        from api.export.memo import MEMO_FORMATS
        memo_format = format_of(args.out, MEMO_FORMATS)
        if memo_format is None:
            print(f"zhibiao: 错误：--out {args.out}：应为 .xlsx 或 .docx 文件", file=sys.stderr)
            return 2
    reviewer = load_reviewer(settings)
    reviews = [(name, reviewer.review(d)) for name, d in decls]
    if memo_format:
        from api.export.memo import ReviewedForm, memo_download
        memo = memo_download(forms=[ReviewedForm(Path(name).name, r.to_dict()) for name, r in reviews],
                             fmt=memo_format)
        try:
            Path(args.out).write_bytes(memo.content)
        except OSError as exc:
            print(f"zhibiao: 错误：{args.out}: 无法写入（{exc.strerror or exc}）", file=sys.stderr)
            return 2
        print(f"zhibiao: 已写出审核意见：{args.out}（{len(reviews)} 份申报表）", file=sys.stderr)
    if args.summary:
        rows = worst_first([summary_row(r, name) for name, r in reviews])
        if args.csv:
            try:
                write_csv(rows, args.csv)
            except OSError as exc:
                print(f"zhibiao: 错误：{args.csv}: 无法写入（{exc.strerror or exc}）", file=sys.stderr)
                return 2
        if args.json:
            sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        else:
            print(render_summary(rows))
        return status
    if args.json:
        sys.stdout.write(json.dumps([r.to_dict() for _, r in reviews], ensure_ascii=False, indent=2) + "\n")
    else:
        print("\n\n".join(render_review(r) for _, r in reviews))
    return status


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    from api.jsonl import JsonlError, read_jsonl
    try:
        items = read_jsonl(args.input, ("name", "value"), '{"name", "value", "level1"?, "level2"?}')
    except JsonlError as exc:
        print(f"zhibiao: 错误：{exc}", file=sys.stderr)
        return 2
    results = load_reviewer(settings).check(items)
    for result in results:
        if args.json:
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        else:
            verdict = "不可测量" if result.vague else "可测量"
            from models.measure import MEASURE_LABELS
            measure = MEASURE_LABELS.get(result.measure, result.measure)
            if not result.fits:
                fit = f"类型不符（{measure}）：{result.fit_reason}"
            elif result.vague:  # a vague value does not "fit" anything: say what the indicator wants
                fit = f"指标应写成{measure}，目标值没有判定标准"
            else:
                fit = f"类型相符（{measure}）"
            line = (f"{result.name} | {result.value or '（空）'} → {verdict}"
                    f"（{label('check_kinds', result.kind)}），{fit}")
            if result.suggestion:
                line += f"\n    建议改为“{result.suggestion['raw']}”。依据：{result.suggestion['basis']}"
            print(line)
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("review", help="像评审人员一样审核已填写的申报表")
    # "paths", not "files": folders are welcome here (the CLI's file check refuses folders)
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", help="申报表文件或文件夹")
    p.add_argument("--json", action="store_true", help="输出 JSON（UTF-8）")
    p.add_argument("--summary", action="store_true", help="每份表一行，问题最多的在前")
    p.add_argument("--csv", metavar="OUT", help="与 --summary 同用：另将清单写成 CSV（UTF-8）")
    p.add_argument("--out", metavar="MEMO", help="另将审核意见写成文件（.xlsx：汇总加每份表一页；.docx）")
    p.set_defaults(func=cmd_review)
    p = sub.add_parser("check", help="判定零散的目标值（输入 JSONL：name、value，可选 level1、level2）")
    p.add_argument("--input", help="JSONL 文件；省略时读标准输入")
    p.add_argument("--json", action="store_true", help="输出 JSON（UTF-8）")
    p.set_defaults(func=cmd_check)
