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
    p.add_argument("--cases", required=True, help="cases.jsonl（../shared/fieldforms/cases.jsonl 格式）")
    p.add_argument("--raw", help="原始文本目录（默认：案例文件旁的 raw/）")
    p.add_argument("--formats", default="xlsx,xls,docx,html,pdf",
                   help="转写并读回的办公格式，逗号分隔；空字符串表示只评原始文本")
    p.add_argument("--json", action="store_true", help="输出 JSON（UTF-8）")
    p.set_defaults(func=cmd_evaluate_parse)
