"""`zhibiao evaluate parse --cases FILE`: rows recovered and precision of the reader per form,
on the raw text and on renditions of the same cases in every office format and template."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from api.render import table
from api.settings import Settings
from corpus.errors import CorpusError


def cmd_evaluate_parse(args: argparse.Namespace, settings: Settings) -> int:
    if args.generated is not None:
        return _generated(args)
    if not args.cases:
        print("zhibiao: 错误：需要 --cases FILE 或 --generated N", file=sys.stderr)
        return 2
    from evaluation.parse_eval import (evaluate_raw, evaluate_renditions, evaluate_text_families,
                                       load_cases, totals)
    try:
        cases = load_cases(Path(args.cases))
    except (CorpusError, OSError) as exc:
        print(f"zhibiao: 错误：{exc}", file=sys.stderr)
        return 2
    raw_dir = Path(args.raw) if args.raw else Path(args.cases).parent / "raw"
    raw = evaluate_raw(cases, raw_dir)
    families = evaluate_text_families(cases)
    formats = tuple(f for f in args.formats.split(",") if f) if args.formats else ()
    renditions = {}
    if formats:
        from evaluation.renditions import TEMPLATES
        renditions = evaluate_renditions(cases, formats, TEMPLATES)
    if args.json:
        out = {"cases": args.cases, "raw": {"total": totals(raw), "forms": [
            {"id": s.id, "expected": s.expected, "read": s.found, "matched": s.matched,
             "levels_agree": s.levels_agree, "missed": s.missed, "extra": s.extra, "error": s.error}
            for s in raw]},
            "text_families": [{"family": f, "template": t, **totals(scores)}
                              for (f, t), scores in families.items()],
            "renditions": [{"format": f, "template": t, **totals(scores)}
                           for (f, t), scores in renditions.items()]}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return 0
    head = ["表", "应有行", "读出行", "匹配", "召回率", "精确率", "层级一致"]
    body = [[s.id, str(s.expected), str(s.found), str(s.matched), f"{s.recall:.2f}",
             f"{s.precision:.2f}", str(s.levels_agree)] for s in raw]
    t = totals(raw)
    body.append(["合计", str(t["rows"]), str(t["read"]), str(t["matched"]), f"{t['recall']:.3f}",
                 f"{t['precision']:.3f}", f"{t['levels_agree']:.3f}"])
    print(f"原始文本：{raw_dir}（{len(cases)} 份表）")
    print(table([head] + body, indent=""))
    print("\n文本版式转写（同一批案例写成网页/PDF 文本的各种扁平版式后读回）")
    print(_totals_table("版式", families))
    if renditions:
        print("\n办公格式转写（同一批案例写成各格式、各模板后读回）")
        print(_totals_table("格式", renditions))
    return 0


def _generated(args: argparse.Namespace) -> int:
    from evaluation.parse_eval import by_trait, evaluate_generated, totals
    if args.generated < 1 or args.generated > 100000:
        print("zhibiao: 错误：--generated 应为 1 到 100000 之间的表数", file=sys.stderr)
        return 2
    formats = tuple(f for f in (args.gen_formats or "txt").split(",") if f)
    from evaluation.renditions import FORMATS
    unknown = [f for f in formats if f not in ("txt", "pdftext", "webtext", "webhtml", *FORMATS)]
    if unknown:
        print(f"zhibiao: 错误：--generated-formats 中的格式 {'、'.join(unknown)} 不认识"
              f"（可用：txt、{'、'.join(FORMATS)}、pdftext、webtext、webhtml）", file=sys.stderr)
        return 2
    results, meta = evaluate_generated(args.generated, args.seed, formats)
    overall = totals([s for _, s in results])
    traits = by_trait(results)
    if args.json:
        out = {**meta, "total": overall,
               "traits": [{"trait": t, "value": v, **tot} for t, v, tot in traits]}
        if len({t.get("格式") for t, _ in results}) > 1:
            from evaluation.parse_eval import by_trait_and_format
            out["traits_by_format"] = [{"trait": t, "value": v, "format": f, **tot}
                                       for t, v, f, tot in by_trait_and_format(results)]
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return 0
    for note in meta.get("notes", []):
        print(f"zhibiao: 注意：{note}", file=sys.stderr)
    print(f"随机生成的表：{args.generated} 份（种子 {args.seed}，格式 {'、'.join(formats)}）")
    print(f"合计：应有行 {overall['rows']}，读出行 {overall['read']}，匹配 {overall['matched']}，"
          f"召回率 {overall['recall']:.3f}，精确率 {overall['precision']:.3f}")
    rows = [["特征", "取值", "表数", "应有行", "读出行", "召回率", "精确率"]]
    for trait, value, tot in traits:
        rows.append([trait, value, str(tot["forms"]), str(tot["rows"]), str(tot["read"]),
                     f"{tot['recall']:.3f}", f"{tot['precision']:.3f}"])
    print(table(rows, indent=""))
    if len({t.get("格式") for t, _ in results}) > 1:  # several formats or engines: each trait per format too
        from evaluation.parse_eval import by_trait_and_format
        rows = [["特征", "取值", "格式", "表数", "应有行", "读出行", "召回率", "精确率"]]
        for trait, value, fmt, tot in by_trait_and_format(results):
            rows.append([trait, value, fmt, str(tot["forms"]), str(tot["rows"]), str(tot["read"]),
                         f"{tot['recall']:.3f}", f"{tot['precision']:.3f}"])
        print("\n逐格式（引擎）的特征")
        print(table(rows, indent=""))
    return 0


def _totals_table(first: str, results: dict) -> str:
    from evaluation.parse_eval import totals
    rows = [[first, "模板", "应有行", "读出行", "匹配", "召回率", "精确率", "层级一致"]]
    for (kind, template), scores in results.items():
        t = totals(scores)
        rows.append([kind, template, str(t["rows"]), str(t["read"]), str(t["matched"]),
                     f"{t['recall']:.3f}", f"{t['precision']:.3f}", f"{t['levels_agree']:.3f}"])
    return table(rows, indent="")


def add_parse_evaluation(ev) -> None:
    p = ev.add_parser("parse", help="读取质量：逐表召回率与精确率（原始文本与各办公格式）")
    p.add_argument("--cases", help="cases.jsonl（../shared/fieldforms/cases.jsonl 格式）")
    p.add_argument("--generated", type=int, help="改评随机生成的 N 份表（逐特征的召回率与精确率）")
    p.add_argument("--seed", type=int, default=0, help="随机生成的种子（默认 0）")
    p.add_argument("--generated-formats", dest="gen_formats", default="txt",
                   help="随机表写成的格式，逗号分隔：txt,xlsx,xls,docx,html,pdf （默认 txt）；另有 pdftext "
                        "（画成带框线、可分页的 PDF，再由各种 PDF 文字层引擎取出文字（未安装的引擎跳过），按文本读取）、 webtext "
                        "（写成网页，由浏览器与网页解析库取出文本后读回）与 webhtml （同一网页存为网页文件由本系统读取）")
    p.add_argument("--raw", help="原始文本目录（默认：案例文件旁的 raw/）")
    p.add_argument("--formats", default="xlsx,xls,docx,html,pdf",
                   help="转写并读回的办公格式，逗号分隔；空字符串表示只评原始文本")
    p.add_argument("--json", action="store_true", help="输出 JSON（UTF-8）")
    p.set_defaults(func=cmd_evaluate_parse)
