"""`zhibiao` command line. Thin: every command calls domain functions and renders the result.

Exit status: 0 success, 1 a command-level failure, 2 unusable input (bad file, bad argument).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import sys
from collections import Counter
from pathlib import Path

from typing import TYPE_CHECKING

from api.cli_files import EXIT_INPUT, JSON_SUFFIXES, check_form_file, usable_files
from api.cli_files import error as _error
from api.cli_files import print_json as _print_json
from corpus.errors import CorpusError
from models.errors import ModelError
from recommender.errors import RecommenderError

if TYPE_CHECKING:
    from api.settings import Settings

# Only what every command needs is imported here: each command imports its own modules, so a
# one-shot `zhibiao recommend` never pays for pydantic's schemas, the office readers or fastapi.

def cmd_parse(args: argparse.Namespace, settings: Settings) -> int:
    from api.render import declaration_summary
    from corpus.bounded import read_file_or_raise
    out, status = [], 0
    for name in args.files:  # already checked by usable_files
        path = Path(name)
        try:  # in a child process with a deadline and a memory cap (corpus.bounded)
            decls = read_file_or_raise(path, settings.parse_bounds())
        except CorpusError as exc:
            _error(str(exc))
            status = EXIT_INPUT
            continue
        converted = next((w.message for d in decls for w in d.warnings if w.code == "encoding_converted"), None)
        if converted:  # once per file
            print(f"zhibiao: 提示：{converted}", file=sys.stderr)
        out.extend(decls)
    if args.json:
        _print_json([d.to_dict() for d in out])
    else:
        print("\n\n".join(declaration_summary(d) for d in out))
    return status


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    if args.remove:
        return _remove_from_store(args.paths, settings)
    from api.ingest_progress import IngestProgress
    from corpus.ingest_pool import Bounds
    from corpus.store import FileResult, form_files, ingest
    from corpus.stores import make_store

    if args.jobs is not None and args.jobs < 1:
        _error(f"--jobs 应为不小于 1 的整数，收到 {args.jobs}")
        return EXIT_INPUT
    files = list(form_files(args.paths))
    refused = []  # JSON files that fail the edge validation never reach the store
    for path in files:
        if path.suffix.lower() in JSON_SUFFIXES or not path.exists():
            try:
                check_form_file(str(path), settings.max_file_bytes)
            except CorpusError as exc:
                refused.append(FileResult(str(path), "failed", reason=getattr(exc, "reason", str(exc))))
    bad = {r.path for r in refused}
    for result in refused:
        _error(f"{result.path}: {result.reason}")
    todo = [p for p in files if str(p) not in bad]
    jobs = min(args.jobs or os.cpu_count() or 1, max(len(todo), 1))
    bounds = Bounds(memory_mb=settings.ingest_memory_mb, timeout_s=settings.ingest_timeout_s,
                    max_bytes=settings.max_file_bytes)
    progress = IngestProgress(len(todo), jobs)
    published = None
    with make_store(settings.store_location) as store:
        try:
            if args.engine == "ray" and todo:
                from recommender.ray_build import ray_ingest
                done = ray_ingest(store, todo, encoder_spec=settings.encoder, index_root=settings.index_dir,
                                  workers=args.jobs or (None if args.address else os.cpu_count() or 1), address=args.address, bounds=bounds,
                                  on_file=progress, say=lambda m: print(f"zhibiao: {m}", file=sys.stderr))
                results, published = done.results, done.index_path
            else:
                results = ingest(store, todo, jobs=jobs, bounds=bounds, on_file=progress) if todo else []
        finally:
            progress.close()
        total = store.count()
    results += refused
    counts = Counter(r.status for r in results)
    print(f"已导入 {len(results)} 个文件到 {store.location}：新增 {counts['new']}，替换 "
          f"{counts['replaced']}，未变化 {counts['unchanged']}，失败 {counts['failed']}；"
          f"语料库现有 {total} 份申报表")
    if published:
        print(f"索引已发布：{published}")
    return EXIT_INPUT if counts["failed"] else 0


def _remove_from_store(paths: list[str], settings: Settings) -> int:
    """`zhibiao ingest --remove PATH…`: the files (or every file under a folder) leave the store."""
    from corpus.stores import make_store, store_exists
    if not store_exists(settings.store_location):
        _error(f"{settings.store_path}: 语料库为空，没有可删除的文件")
        return EXIT_INPUT
    with make_store(settings.store_location) as store:
        removed = store.remove_files(paths)
        total = store.count()
    missing = [path for path, count in removed if count < 0]
    for path in missing:
        _error(f"{path}: 不在语料库中（按绝对路径查找；文件夹删除其中所有已入库的文件）")
    gone = [(path, count) for path, count in removed if count >= 0]
    print(f"已从 {store.location} 删除 {len(gone)} 个文件的 {sum(c for _, c in gone)} 份申报表；"
          f"语料库现有 {total} 份申报表（向量在下次更新索引时移除）")
    return EXIT_INPUT if missing else 0


def cmd_corpus_stats(args: argparse.Namespace, settings: Settings) -> int:
    # counted by SQL in the store (any size); the bundled samples, a few forms, as objects
    from api.render import origin_label, table
    from corpus.store import sample_declarations, samples_origin, store_origin
    from corpus.stores import make_store, store_exists
    path, unknown, counts = settings.store_location, "（未知）", None
    if store_exists(path):
        with make_store(path) as store:
            path = store.location
            counts = store.aggregates(unknown) if store.count() else None
    if counts is not None:
        origin = store_origin(path, counts["declarations"])
    else:
        decls = sample_declarations()
        origin = samples_origin(path, len(decls))
        counts = {"declarations": len(decls), "indicators": sum(len(d.indicators) for d in decls),
                  "by_agency": Counter(d.agency or unknown for d in decls),
                  "by_year": Counter(str(d.year or unknown) for d in decls),
                  "by_layout": Counter(d.source.layout for d in decls)}
    stats = {"origin": origin, **counts}
    if args.json:
        _print_json(stats)
        return 0
    print(f"语料库：{origin_label(origin)}；{stats['declarations']} 份申报表，{stats['indicators']} 个指标")
    from corpus.vocab import layout_label
    for title, key in (("申报单位", "by_agency"), ("年度", "by_year"), ("版式", "by_layout")):
        shown = layout_label if key == "by_layout" else str
        rows = [[title, "申报表数"]] + [[shown(k), str(v)] for k, v in sorted(stats[key].items())]
        print(table(rows))
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    host = args.host or settings.host
    port = args.port or settings.port
    if not 1 <= port <= 65535:
        _error(f"--port 应为 1 到 65535 之间的整数，收到 {port}")
        return EXIT_INPUT
    settings = dataclasses.replace(settings, host=host, port=port)  # --host is a trusted host name
    workers = args.workers if args.workers is not None else settings.workers
    if workers < 1:
        _error(f"--workers 应为不小于 1 的整数，收到 {workers}")
        return EXIT_INPUT
    print(f"zhibiao: 服务地址 http://{host}:{port}/（接口文档 /docs）；正在加载语料库和索引…",
          file=sys.stderr)
    if workers == 1:
        from api.app import create_app
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
        return 0
    # Build (or check) the index once, in a child process that exits afterwards, so the N
    # workers only load it (memory-mapped, shared page cache) and never race to build it.
    # A replica (ZHIBIAO_INDEX_READONLY=1) builds nothing: the builder publishes the index.
    import multiprocessing
    prepare = multiprocessing.get_context("spawn").Process(target=_prepare_index, args=(settings,),
                                                          name="zhibiao-prepare-index")
    if not settings.index_readonly:
        prepare.start()
        prepare.join()
    if not settings.index_readonly and prepare.exitcode != 0:
        _error("建立索引失败（见上方日志）；服务未启动")
        return 1
    print(f"zhibiao: 索引已就绪；启动 {workers} 个工作进程", file=sys.stderr)
    # workers read their Settings from the same environment (ZHIBIAO_*), as this process did
    os.environ["ZHIBIAO_WORKERS"] = str(workers)
    os.environ["ZHIBIAO_HOST"] = host  # a trusted host name (api.app.TrustedHosts) in every worker
    # One OpenMP thread per worker: the workers are the parallelism. faiss's default team on a
    # busy 2-core machine made one single-query search 10-40x slower (OMP barriers; see bench).
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    uvicorn.run("api.serving:worker_app", factory=True, host=host, port=port, workers=workers,
                http="api.serving:NoDelayH11Protocol", log_level="info")
    return 0


def cmd_corpus_index(args: argparse.Namespace, settings: Settings) -> int:
    """The builder of a deployment: build (or update) the index from the store and publish it
    (a new version directory, then the `index/<encoder>` link replaced atomically); replicas
    serving with ZHIBIAO_INDEX_READONLY=1 pick it up between requests."""
    from api.commands_recommend import load_engine
    if settings.index_readonly:
        _error("ZHIBIAO_INDEX_READONLY=1：此进程是只读副本，不建立索引；请在构建进程中运行")
        return EXIT_INPUT
    if args.engine == "ray":
        from corpus.stores import make_store
        from recommender.ray_build import ray_build_index
        with make_store(settings.store_location) as store:
            built = ray_build_index(store, encoder_spec=args.encoder or settings.encoder, index_root=settings.index_dir,
                                    workers=args.jobs or (None if args.address else os.cpu_count() or 1), address=args.address,
                                    say=lambda m: print(f"zhibiao: {m}", file=sys.stderr))
        print(f"索引已发布：{built.index_path}（{built.workers} 个工作进程，每个 1 核；启动 Ray {built.start_s} 秒，"
              f"启动工作进程 {built.actors_s} 秒，读取 {built.read_s} 秒，切词与向量化 {built.cut_s} 秒，"
              f"其余 {built.merge_s} 秒）")
        return 0
    engine = load_engine(settings, args.encoder)
    print(f"索引已发布：{engine.index.path}（{len(engine.tables)} 份申报表，语料库指纹 {engine.index.corpus_hash}）")
    return 0


def _prepare_index(settings: Settings) -> None:
    from api.commands_recommend import load_engine
    load_engine(settings)


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseParser(prog="zhibiao", description="绩效目标申报表：读取、入库、推荐与审核绩效指标（离线）。")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=ChineseParser)
    p = sub.add_parser("parse", help="读取申报表文件并输出其内容")
    p.add_argument("files", nargs="+", metavar="FILE_OR_DIR", help="申报表文件或文件夹（.txt .xlsx .xls .docx .html .pdf .json .csv .zip）")
    p.add_argument("--json", action="store_true", help="输出 JSON 数组（UTF-8）")
    p.set_defaults(func=cmd_parse)
    p = sub.add_parser("ingest", help="把申报表文件（或文件夹）存入语料库")
    p.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", help="申报表文件或文件夹（含 .zip）")
    p.add_argument("--jobs", type=int, help="并行解析的进程数，默认为 CPU 核数（--engine ray 在本机启动时：Ray 的 CPU 数）")
    p.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="local（默认）：本机进程池；ray：由 Ray 集群并行解析与向量化，入库后合并分片建立并发布索引")
    p.add_argument("--address", help="--engine ray 时连接的集群：auto 或 ray://主机:端口；不给则在本机启动")
    p.add_argument("--remove", action="store_true",
                   help="从语料库删除这些文件（文件夹：其中所有已入库的文件）及其申报表，不再导入")
    p.set_defaults(func=cmd_ingest)
    p = sub.add_parser("corpus", help="语料库信息")
    corpus_sub = p.add_subparsers(dest="corpus_command", required=True)
    s = corpus_sub.add_parser("stats", help="按申报单位、年度和版式统计")
    s.add_argument("--json", action="store_true", help="输出 JSON（UTF-8）")
    s.set_defaults(func=cmd_corpus_stats)
    s = corpus_sub.add_parser("index", help="由语料库建立（或更新）索引并原子地发布新版本（多副本部署的构建进程）")
    s.add_argument("--encoder", help="编码器（默认 ZHIBIAO_ENCODER）")
    s.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="local（默认）：本进程；ray：Ray 任务并行向量化，再合并建立索引")
    s.add_argument("--address", help="--engine ray 时连接的集群：auto 或 ray://主机:端口；不给则在本机启动")
    s.add_argument("--jobs", type=int, help="--engine ray 在本机启动时的 CPU 数（默认 CPU 核数）")
    s.set_defaults(func=cmd_corpus_index)
    p = sub.add_parser("serve", help="启动接口和网页服务")
    p.add_argument("--host", help="默认 127.0.0.1（ZHIBIAO_HOST）")
    p.add_argument("--port", type=int, help="默认 8000（ZHIBIAO_PORT）")
    p.add_argument("--workers", type=int, help="工作进程数，默认 1（ZHIBIAO_WORKERS）；多个进程共享已建好的索引")
    p.set_defaults(func=cmd_serve)
    from api import commands_evaluate, commands_recommend, commands_report, commands_review
    commands_recommend.add_parser(sub)
    commands_report.add_parser(sub)
    commands_review.add_parser(sub)
    commands_evaluate.add_parser(sub)
    return parser


class ChineseHelpFormatter(argparse.HelpFormatter):
    """`-h` output in Chinese: argparse writes its own headings in English."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ChineseParser(argparse.ArgumentParser):
    """argparse whose help is Chinese and whose usage errors are one Chinese line, exit status 2."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str):
        _error(f"{self.prog}：{_argparse_message(message)}（运行 {self.prog} -h 查看用法）")
        raise SystemExit(EXIT_INPUT)


def _argparse_message(message: str) -> str:
    import re
    patterns = (
        (r"the following arguments are required: (.+)", "缺少参数 {0}"),
        (r"argument (\S+): invalid choice: '?([^']*)'? \(choose from (.+)\)", "参数 {0} 的取值“{1}”无效，应为 {2} 之一"),
        (r"argument (\S+): invalid (\w+) value: '?([^']*)'?", "参数 {0} 的取值“{2}”无效，应为{1}"),
        (r"argument (\S+): expected one argument", "参数 {0} 后面应跟一个值"),
        (r"unrecognized arguments: (.+)", "无法识别的参数 {0}"),
        (r"argument (\S+): (.+)", "参数 {0} 有误"),
    )
    kinds = {"int": "整数", "float": "数字"}
    for pattern, template in patterns:
        found = re.match(pattern, message)
        if found:
            groups = [kinds.get(g, g) for g in found.groups()]
            return template.format(*groups)
    return "参数有误"


def _home_problem(home: Path) -> str | None:
    """ZHIBIAO_HOME must be a folder (or not exist yet, to be created)."""
    for folder in (home, *home.parents):
        if folder.exists():
            if not folder.is_dir():
                where = "ZHIBIAO_HOME" if folder == home else f"ZHIBIAO_HOME 的上级 {folder}"
                return f"{home}: {where} 不是文件夹；应为数据文件夹的路径"
            return None
    return None




def main(argv: list[str] | None = None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
        sys.stderr.reconfigure(encoding="utf-8")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage error (2) or --help (0): argparse has printed its line
        return exc.code if isinstance(exc.code, int) else EXIT_INPUT
    from api.settings import Settings, SettingsError
    try:
        settings = Settings()
    except SettingsError as exc:
        _error(str(exc))
        return EXIT_INPUT
    problem = _home_problem(settings.home)
    if problem:
        _error(problem)
        return EXIT_INPUT
    try:
        if hasattr(args, "files"):  # parse, review: refuse unusable files before any reader sees them
            # folders name the form files inside them (recursively), as for ingest
            from corpus.store import form_files
            names, empty_folder = [], False
            for name in args.files:
                found = [str(p) for p in form_files([name])]
                if Path(name).is_dir() and not found:
                    _error(f"{name}: 文件夹中没有申报表文件（.txt .xlsx .xls .docx .html .pdf .json .csv .zip）")
                    empty_folder = True
                names += found
            args.files, status = usable_files(names, settings)
            status = EXIT_INPUT if empty_folder else status
            if not args.files:
                return status
            return max(args.func(args, settings), status)
        return args.func(args, settings)
    except (CorpusError, ModelError, RecommenderError) as exc:
        _error(str(exc))
        return EXIT_INPUT
    except KeyboardInterrupt:
        _error("已中断")
        return 130
    except BrokenPipeError:  # `zhibiao parse … | head`
        return 0
    except Exception as exc:  # unforeseen: one line for the user, the traceback in the log
        logging.getLogger("zhibiao").debug("unhandled", exc_info=True)
        if os.environ.get("ZHIBIAO_DEBUG"):
            raise
        _error(f"内部错误（{type(exc).__name__}），请把命令和输入文件报告给维护者；"
               "设置 ZHIBIAO_DEBUG=1 可看到详细信息")
        return 1


if __name__ == "__main__":
    sys.exit(main())
