"""CLI commands over the recommender: recommend (single and batch)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from typing import TYPE_CHECKING

from api.render import origin_label, table
from corpus import framework
from corpus.vocab import label

if TYPE_CHECKING:  # the engine's modules are imported by the commands that use them
    from api.settings import Settings
    from recommender.engine import Engine


def say(message: str) -> None:
    print(f"zhibiao: {message}", file=sys.stderr)


def load_engine(settings: Settings, encoder_spec: str | None = None) -> Engine:
    return load_engine_from_store(settings.store_location, encoder_spec or settings.encoder, settings.index_dir, say,
                                  readonly=settings.index_readonly)


def load_engine_from_store(store_path, encoder_spec: str, index_dir, say=say, *, readonly: bool = False) -> Engine:
    """The engine over the store at `store_path` (any size: declarations stay in SQLite, the index
    is built or updated incrementally under `index_dir` and memory-mapped), or over the bundled
    samples when the store is absent or empty. `readonly`: a replica's engine, over the index
    version published under `index_dir` as it is (built by another process, never here)."""
    from corpus.store import cached_samples, samples_origin, store_origin
    from corpus.stores import make_store, store_exists
    from models.encoders import make_encoder
    from recommender.engine import Engine
    from recommender.index import ListSource
    encoder = make_encoder(encoder_spec)
    if readonly:
        store = make_store(store_path).open()
        return Engine.published(store, encoder, index_dir, origin=store_origin(store.location, store.count()))
    if store_exists(store_path):
        store = make_store(store_path).open()
        count = store.count()
        if count:
            return Engine.build(store, encoder, index_dir, origin=store_origin(store.location, count), say=say)
        store.close()
    path = store_path  # said as given: a file path (a URL's store is never absent)
    decls, fingerprint = cached_samples(Path(index_dir))
    origin = samples_origin(path, len(decls))
    say(f"使用{origin_label(origin)}")
    return Engine.build(ListSource(decls, fingerprint), encoder, index_dir, origin=origin, say=say)


def render_recommendation(result, name: str) -> str:
    similar = "；".join(f"{p.project_name or p.id}（{p.score:.2f}）" for p in result.similar_projects[:5])
    # never a label with nothing after it: say why the draft has no past projects behind it
    lines = [f"== 推荐指标：{name}   （编码器 {result.encoder}）",
             "  相似项目：" + (similar or "无（语料库中没有相近的过往项目，建议来自项目描述和指标库）")]
    rows = [["一级", "二级", "三级指标", "建议目标值", "来源", "依据"]]
    order = {level1: n for n, level1 in enumerate(framework.DISPLAY_ORDER)}
    for item in sorted(result.indicators, key=lambda i: (order.get(i.level1 or "", 9), i.level2 or "", -i.score)):
        basis = ("、".join(sorted({s.project_name or s.declaration_id for s in item.sources}))[:40]
                 if item.sources else item.basis[:40])
        rows.append([item.level1 or "—", item.level2 or "—", item.name, item.target.raw or "—",
                     label("origins", item.origin), basis])
    lines.append(table(rows))
    if result.coverage.missing:
        lines.append("  ! 仍缺少: " + "、".join(result.coverage.missing))
    return "\n".join(lines)


def cmd_recommend(args: argparse.Namespace, settings: Settings) -> int:
    if args.input is None and not (args.name or args.description):
        say("错误：请给出 --name 和 --description，或 --input 文件.jsonl")
        return 2
    from recommender.errors import RequestError
    from recommender.recommend import recommend
    if args.input:
        from api.jsonl import JsonlError, read_jsonl
        try:
            items = read_jsonl(args.input, ("project_name",), '{"project_name", "description", "agency"?}')
        except JsonlError as exc:
            say(f"错误：{exc}")
            return 2
        requests = [(i["project_name"], i.get("description", ""), i.get("agency")) for i in items]
    else:
        requests = [(args.name or "", args.description or "", args.agency)]
    fmt = None
    if args.out:
        from api.export.download import format_of
        from corpus.write import FORM_FORMATS
        fmt = format_of(args.out, FORM_FORMATS)
        if fmt is None or args.input:
            say(f"错误：--out {args.out}：应为 .xlsx 或 .docx 文件，且只用于单个项目（不与 --input 同用）")
            return 2
    engine = load_engine(settings, args.encoder)
    status = 0
    for name, description, agency in requests:
        try:
            result = recommend(engine, project_name=name, description=description, agency=agency,
                               top_k=args.top_k, framework=args.framework)
        except RequestError as exc:
            say(f"错误：{name}：{exc}")
            status = 2
            continue
        if fmt:
            from api.export.form import draft_of_recommendation, form_download
            draft = draft_of_recommendation(result, project_name=name, description=description, agency=agency)
            try:
                Path(args.out).write_bytes(form_download(draft=draft, fmt=fmt).content)
            except OSError as exc:
                say(f"错误：{args.out}：无法写入（{exc.strerror or exc}）")
                return 2
            say(f"已写出申报表：{args.out}（{len(draft.rows)} 个指标）")
        if args.json:
            indent = None if args.input else 2
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=indent) + "\n")
        else:
            print(render_recommendation(result, name))
    return status


def add_parser(sub) -> None:
    p = sub.add_parser("recommend", help="为新项目推荐绩效指标表")
    p.add_argument("--name", help="项目名称")
    p.add_argument("--description", help="项目描述（概况、目标 …）")
    p.add_argument("--agency", help="申报单位；本单位过往的表权重更高")
    p.add_argument("--top-k", type=int, default=20, help="建议条数（默认 20）")
    p.add_argument("--encoder", help="编码器：static-e5（默认）、e5-small-q4、tfidf、st:<路径>")
    p.add_argument("--input", help="请求的 JSONL 文件（- 表示标准输入）；每行输出一个 JSON 结果")
    p.add_argument("--framework", choices=("auto", "national", "shanghai-2019"), default="auto",
                   help="指标框架；auto：按本单位过往的表决定，否则用全国框架")
    p.add_argument("--json", action="store_true", help="输出 JSON（UTF-8）")
    p.add_argument("--out", metavar="FORM", help="另将推荐结果写成申报表文件（.xlsx 或 .docx，全国通用版式）")
    p.set_defaults(func=cmd_recommend)
