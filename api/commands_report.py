"""`zhibiao report`: indicator quality across agencies and years, as CSV, JSON and one HTML file."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from typing import TYPE_CHECKING

from api.render import origin_label
from corpus.store import sample_declarations, samples_origin, store_origin
from corpus.stores import make_store, store_exists

if TYPE_CHECKING:
    from api.settings import Settings

FORMATS = ("html", "csv", "json")


class StoredDeclarations:
    """The store's declarations in store order, read in batches on every pass: the report reads
    the corpus a few times and never holds it."""

    def __init__(self, store_path: Path | str, count: int):
        self.path, self.count = store_path, count

    def __len__(self) -> int:
        return self.count

    def __iter__(self):
        with make_store(self.path) as store:
            yield from store.iter_declarations()


def report_corpus(store_path: Path | str):
    """(declarations to report on, origin): the store streamed, or the bundled samples (a few
    forms) when the store is absent or empty."""
    if store_exists(store_path):
        with make_store(store_path) as store:
            count, shown = store.count(), store.location
        if count:
            return StoredDeclarations(store_path, count), store_origin(shown, count)
    decls = sample_declarations()
    return decls, samples_origin(store_path, len(decls))


def _progress(n: int, total: int) -> None:
    if sys.stderr.isatty():
        done = int(30 * n / total)
        sys.stderr.write(f"\r[{'#' * done}{'.' * (30 - done)}] {n}/{total} 申报表")
        if n == total:
            sys.stderr.write("\n")
    elif n == total:
        print(f"zhibiao: 已分析 {total} 份申报表", file=sys.stderr)


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        print(f"zhibiao: 错误：--format {','.join(unknown)}：应为 {', '.join(FORMATS)} 中的一个或几个", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else settings.home / "report"
    blocker = next((p for p in (out, *out.parents) if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        where = "" if blocker == out else f"（其上级 {blocker} 不是文件夹）"
        print(f"zhibiao: 错误：--out {out}：已存在且不是文件夹{where}；应为输出文件夹的路径", file=sys.stderr)
        return 2
    decls, origin = report_corpus(settings.store_location)
    print(f"zhibiao: 语料库：{origin_label(origin)}", file=sys.stderr)
    from evaluation.csv_safe import write_csv
    from evaluation.report import QualityReport
    from evaluation.report_html import render
    report = QualityReport(decls).build(progress=_progress)
    known = {p.agency for p in report.profiles}
    missing = [a for a in args.agency or [] if a not in known]
    if missing:
        print(f"zhibiao: 错误：--agency {'、'.join(missing)}：语料库中没有这个申报单位；现有单位："
              f"{'、'.join(sorted(known))}", file=sys.stderr)
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
            write_csv(out / f"{name}.csv", rows)  # cells starting with = + - @ neutralised
    if "json" in formats:
        for name, rows in tables.items():
            (out / f"{name}.json").write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    if "html" in formats:
        title = "绩效指标质量报告" + (f"：{' vs '.join(args.agency)}" if args.agency else "")
        (out / "report.html").write_text(render(report, groups, title=title, dimension=dimension), encoding="utf-8")
    print(f"zhibiao: 报告已写入 {out}（{'、'.join(formats)}；{len(tables)} 张表）")
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("report", help="各申报单位、各年度的指标质量报告")
    p.add_argument("--out", help="输出文件夹（默认 $ZHIBIAO_HOME/report，由服务在 /report 提供）")
    p.add_argument("--format", default="html,csv,json", help="html、csv、json 中的一个或几个，逗号分隔")
    p.add_argument("--by", choices=("agency", "year"), default="agency", help="并列比较的分组：申报单位或年度")
    p.add_argument("--agency", action="append", help="只比较这些申报单位（可重复）")
    p.set_defaults(func=cmd_report)
