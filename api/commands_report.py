"""`zhibiao report`: indicator quality across agencies and years, as CSV, JSON and one HTML file."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from api.settings import Settings
from corpus.store import load_corpus
from evaluation.report import QualityReport
from evaluation.report_html import render

FORMATS = ("html", "csv", "json")


def _progress(n: int, total: int) -> None:
    if sys.stderr.isatty():
        done = int(30 * n / total)
        sys.stderr.write(f"\r[{'#' * done}{'.' * (30 - done)}] {n}/{total} 申报表")
        if n == total:
            sys.stderr.write("\n")
    elif n == total:
        print(f"zhibiao: profiled {total} declarations", file=sys.stderr)


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        print(f"zhibiao: error: --format {','.join(unknown)}: expected some of {', '.join(FORMATS)}", file=sys.stderr)
        return 2
    decls, origin = load_corpus(settings.store_path)
    print(f"zhibiao: corpus: {origin}", file=sys.stderr)
    report = QualityReport(decls).build(progress=_progress)
    known = {p.agency for p in report.profiles}
    missing = [a for a in args.agency or [] if a not in known]
    if missing:
        print(f"zhibiao: error: --agency {', '.join(missing)}: not in the corpus; agencies are "
              f"{', '.join(sorted(known))}", file=sys.stderr)
        return 2
    if args.agency:
        report = report.filtered(args.agency)
    groups = report.by_year() if args.by == "year" else report.by_agency()
    dimension = "年度" if args.by == "year" else "申报单位"
    out = Path(args.out) if args.out else settings.home / "report"
    out.mkdir(parents=True, exist_ok=True)
    tables = report.tables()
    if "csv" in formats:
        for name, rows in tables.items():
            with open(out / f"{name}.csv", "w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["empty"])
                writer.writeheader()
                writer.writerows(rows)
    if "json" in formats:
        for name, rows in tables.items():
            (out / f"{name}.json").write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    if "html" in formats:
        title = "绩效指标质量报告" + (f"：{' vs '.join(args.agency)}" if args.agency else "")
        (out / "report.html").write_text(render(report, groups, title=title, dimension=dimension), encoding="utf-8")
    print(f"zhibiao: report written to {out} ({', '.join(formats)}; {len(tables)} tables)")
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("report", help="indicator quality across agencies and years")
    p.add_argument("--out", help="output folder (default $ZHIBIAO_HOME/report, served at /report)")
    p.add_argument("--format", default="html,csv,json", help="any of html,csv,json")
    p.add_argument("--by", choices=("agency", "year"), default="agency", help="groups side by side")
    p.add_argument("--agency", action="append", help="compare these agencies (repeat the option)")
    p.set_defaults(func=cmd_report)
