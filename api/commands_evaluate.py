"""`zhibiao evaluate recommend|stated|vagueness` and `zhibiao bench`: print tables, optionally JSON."""

from __future__ import annotations

import argparse
from pathlib import Path
import json
import sys

from api.commands_recommend import load_engine, say
from api.render import origin_label, table
from api.settings import Settings
from corpus.vocab import label


def method_label(method: str) -> str:
    """The Chinese name of an evaluation method; a trailing [seed] / [field] subset code stays."""
    name, _, subset = method.partition(" [")
    return label("evaluation_methods", name) + (f" [{subset}" if subset else "")


LOO_ENCODERS = ("static-e5", "e5-small-q4")  # the default encoder beside the model it was distilled from


def _encoders(args: argparse.Namespace, default: tuple[str, ...]) -> list[str]:
    specs = [s.strip() for s in (args.encoder or "").split(",") if s.strip()]
    return specs or list(default)


def cmd_evaluate_cases(args: argparse.Namespace, settings: Settings) -> int:
    """Field cases, one block of rows per encoder (`--encoder a,b` puts them side by side in one run)."""
    from dataclasses import asdict

    from evaluation.field_cases import CasesError, load_cases
    from evaluation.recommend_eval import evaluate_cases
    try:
        cases = load_cases(args.cases)
    except CasesError as exc:
        say(f"错误：{exc}")
        return 2
    specs = _encoders(args, (settings.encoder,))
    totals, scores, encoders, origin = [], [], [], ""
    for spec in specs:
        engine = load_engine(settings, spec)
        origin = engine.origin
        encoders.append(engine.encoder.id)
        say(f"{args.cases} 中 {len(cases)} 个案例；语料：{origin_label(engine.origin)}（{len(engine.decls)} 份）；"
            f"编码器 {engine.encoder.id}")
        rows, per_case = evaluate_cases(engine, cases, framework=args.framework)
        if len(specs) > 1:  # each row names its encoder
            for row in rows + per_case:
                row.method = f"{row.method} [{engine.encoder.id}]"
        totals += rows
        scores += per_case
    if args.json:
        sys.stdout.write(json.dumps({"cases": str(args.cases), "corpus": origin, "encoder": encoders[0],
                                     "encoders": encoders, "totals": [asdict(t) for t in totals],
                                     "per_case": [asdict(s) for s in scores]},
                                    ensure_ascii=False, indent=2) + "\n")
        return 0
    head = ["方法", "软召回@10", "软召回@20", "软精确@10", "描述所给数字", "类别准确率", "含糊", "待填模板",
            "覆盖 产出/效益/满意度"]
    body = [[method_label(t.method), f"{t.recall_10:.3f}", f"{t.recall_20:.3f}", f"{t.precision_10:.3f}",
             f"{t.stated_recovered}/{t.stated}", "—" if t.kind_accuracy is None else f"{t.kind_accuracy:.3f}",
             f"{t.vague_share:.1%}", f"{t.template_share:.1%}", f"{t.covering_answers}/{t.cases}"] for t in totals]
    print(table([head] + body, indent=""))
    full = next(t.method for t in totals if t.method.startswith("full"))  # the first encoder's full method
    rows = [["案例", "软召回@10", "软召回@20", "软精确@10", "描述所给数字", "含糊", "待填模板"]] + [
        [s.case, f"{s.recall_10:.3f}", f"{s.recall_20:.3f}", f"{s.precision_10:.3f}", f"{s.stated_recovered}/{s.stated}",
         str(s.vague), str(s.templates)] for s in scores if s.method == full]
    print(f"\n逐个案例（{method_label(full)}）")
    print(table(rows, indent=""))
    return 0


def cmd_evaluate_recommend(args: argparse.Namespace, settings: Settings) -> int:
    """Seed leave-one-out: the baselines, then dense-only and the full method for each encoder
    (default: the default encoder beside e5, the issue's side-by-side)."""
    if getattr(args, "cases", None):
        return cmd_evaluate_cases(args, settings)
    from evaluation.recommend_eval import SOFT_THRESHOLD, as_dicts, evaluate
    engines = [load_engine(settings, spec) for spec in _encoders(args, LOO_ENCODERS)]
    tfidf = load_engine(settings, "tfidf")
    first = engines[0]
    say(f"留一法：{len(first.decls)} 份申报表（{origin_label(first.origin)}）")
    methods = {"popularity baseline": (first, "popularity"), "tfidf only": (tfidf, "dense")}
    for engine in engines:
        methods[f"dense only [{engine.encoder.id}]"] = (engine, "dense")
        methods[f"full (vectors + BM25 + description + library + coverage) [{engine.encoder.id}]"] = (engine, "full")
    rows = evaluate(methods)
    if args.json:
        sys.stdout.write(json.dumps({"corpus": first.origin, "soft_threshold": SOFT_THRESHOLD,
                                     "encoders": [e.encoder.id for e in engines],
                                     "rows": as_dicts(rows)}, ensure_ascii=False, indent=2) + "\n")
        return 0
    header = ["方法", "精确召回@10", "精确召回@20", "精确精确@10", "软召回@10", "软召回@20",
              "软精确@10", "目标值一致"]
    body = [[method_label(r.method)] + [f"{v:.3f}" for v in (r.recall_exact_10, r.recall_exact_20, r.precision_exact_10,
                                               r.recall_soft_10, r.recall_soft_20, r.precision_soft_10,
                                               r.value_agreement)] for r in rows]
    print(f"语料：{origin_label(first.origin)}；留一法，{rows[0].declarations} 份申报表")
    print(table([header] + body, indent=""))
    return 0


def cmd_evaluate_stated(args: argparse.Namespace, settings: Settings) -> int:
    """Generated descriptions (evaluation/stated_gen.py): recall of their numbers per clause pattern."""
    from dataclasses import asdict

    from evaluation.stated_eval import evaluate
    from evaluation.stated_gen import generate, generate_widened
    if args.generated < 1 or args.widened < 0:
        say("错误：--generated 须为正整数，--widened 须为非负整数")
        return 2
    engine = load_engine(settings, settings.encoder)
    descriptions = generate(args.generated, args.seed)
    rows, misses = evaluate(engine, descriptions)
    widened = generate_widened(args.widened, args.seed) if args.widened else []
    wide_rows, wide_misses = evaluate(engine, widened) if widened else ([], [])
    misses += wide_misses
    if args.json:
        sys.stdout.write(json.dumps({"generated": len(descriptions), "seed": args.seed,
                                     "patterns": [asdict(r) | {"recall": round(r.recall, 3)} for r in rows],
                                     "widened": len(widened),
                                     "widened_patterns": [asdict(r) | {"recall": round(r.recall, 3)} for r in wide_rows],
                                     "misses": [asdict(m) for m in misses[:args.misses]]},
                                    ensure_ascii=False, indent=2) + "\n")
        return 0
    print(f"生成的项目描述 {len(descriptions)} 份（种子 {args.seed}）；数字以合适名称（字二元组 Dice ≥ 0.3）回到推荐中")
    print(table([["句式", "数字", "回到推荐", "召回"]] + [[r.pattern, str(r.numbers), str(r.recovered), f"{r.recall:.3f}"]
                                                  for r in rows], indent=""))
    if widened:
        print(f"\n第二组句式（drafts9）的项目描述 {len(widened)} 份（种子 {args.seed}，另一随机流：上表不变）")
        print(table([["句式", "数字", "回到推荐", "召回"]] + [[r.pattern, str(r.numbers), str(r.recovered),
                                                       f"{r.recall:.3f}"] for r in wide_rows], indent=""))
    for miss in misses[:args.misses]:
        print(f"未回：[{miss.pattern}] {miss.clause} → 应为“{miss.gold_name}” {miss.number:g}；"
              f"同数的推荐：{'、'.join(f'{n} {r}' for n, r in miss.same_number) or '无'}")
    return 0


def cmd_evaluate_vagueness(args: argparse.Namespace, settings: Settings) -> int:
    from evaluation.vagueness_eval import FOLDS, as_dicts, evaluate, evaluate_fits, load_labels
    labels = load_labels()
    vague_rows, fit_rows = evaluate(labels), evaluate_fits(labels)
    counts = {origin: {"pairs": sum(1 for r in labels if r["origin"] == origin),
                       "vague": sum(1 for r in labels if r["origin"] == origin and r["vague"]),
                       "misfit": sum(1 for r in labels if r["origin"] == origin and not r.get("fits", True))}
              for origin in ("seed", "field")}
    if args.json:
        sys.stdout.write(json.dumps({"labels": len(labels), "counts": counts, "folds": FOLDS,
                                     "rows": as_dicts(vague_rows), "fits_rows": as_dicts(fit_rows)},
                                    ensure_ascii=False, indent=2) + "\n")
        return 0
    print(f"标注：{len(labels)} 个不同的（指标名称，目标值）对 — 样例语料 {counts['seed']['pairs']} 个"
          f"（含糊 {counts['seed']['vague']}，不适配 {counts['seed']['misfit']}），实地表 "
          f"{counts['field']['pairs']} 个（含糊 {counts['field']['vague']}，不适配 {counts['field']['misfit']}）；"
          "见 models/data/*.jsonl 与标注说明 LABELLING.md")
    head = ["方法", "精确率", "召回率", "F1", "TP", "FP", "FN", "误报率"]

    def body(rows):
        return [[method_label(r.method), f"{r.precision:.3f}", f"{r.recall:.3f}", f"{r.f1:.3f}", str(r.true_positives),
                 str(r.false_positives), str(r.false_negatives), f"{r.false_alarm_rate:.1%}"] for r in rows]
    print("\n含糊（正例：年终无法据此评判目标是否完成）")
    print(table([head] + body(vague_rows), indent=""))
    print("\n不适配（正例：目标值与指标所衡量的内容不符）")
    print(table([head] + body(fit_rows), indent=""))
    print(f"\n模型：按不同的对做分层 {FOLDS} 折交叉验证；规则：样本内"
          "（规则是阅读这些表时写成的）")
    return 0


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    import contextlib
    import tempfile
    from pathlib import Path

    from api.live import LiveServer
    from evaluation import bench

    @contextlib.contextmanager
    def serve(encoder: str, workers: int):
        # a real `zhibiao serve --workers N` on a loopback port, bundled corpus, its own temporary home
        with tempfile.TemporaryDirectory() as home, \
                LiveServer(Settings(home=Path(home), encoder=encoder), workers=workers) as live:
            yield live

    try:
        sizes = bench.parse_sizes(bench.QUICK_SIZES if args.quick else args.sizes)
    except ValueError:
        say(f"错误：--sizes 应为逗号分隔的正整数，如 10000,100000，收到“{args.sizes}”")
        return 2
    if args.workers < 1:
        say(f"错误：--workers 应为不小于 1 的整数，收到 {args.workers}")
        return 2
    def replicas(encoder: str) -> list[dict]:
        # the builder publishes the index of the bundled corpus once; then 1, then 2 replicas serve it
        from api.commands_recommend import load_engine
        from api.replicas import throughput_rows
        with tempfile.TemporaryDirectory() as home:
            replica_settings = Settings(home=Path(home), encoder=encoder)
            load_engine(replica_settings)
            return throughput_rows(replica_settings, seconds=args.replica_seconds, say=say)

    report = bench.run(sizes, encoder_spec=args.encoder, skip_load=args.skip_load, skip_sizes=args.skip_sizes,
                       workers=args.workers, serve=serve, skip_ingest=args.skip_ingest, say=say,
                       keep=Path(args.keep) if args.keep else None, skip_oneshot=args.skip_oneshot,
                       replicas=None if args.skip_replicas else replicas)
    if args.ray_sizes:
        from evaluation import ray_bench
        try:
            ray_sizes = bench.parse_sizes(args.ray_sizes)
        except ValueError:
            say(f"错误：--ray-sizes 应为逗号分隔的正整数，收到“{args.ray_sizes}”")
            return 2
        try:
            ray_workers = tuple(int(w) for w in args.ray_workers.split(","))
            if not ray_workers or min(ray_workers) < 0:
                raise ValueError
        except ValueError:
            say(f"错误：--ray-workers 应为逗号分隔的非负整数（0 为不用 Ray 的构建），收到“{args.ray_workers}”")
            return 2
        report["ray_build"] = ray_bench.run(ray_sizes, workers=ray_workers, encoder=args.encoder, say=say)
    if args.ray_equivalence:
        from evaluation import ray_equivalence
        report["ray_equivalence"] = ray_equivalence.run(args.ray_equivalence, recommend=_recommend_answers,
                                                        encoder=args.encoder, say=say)
    print(bench.render(report))
    if report.get("ray_equivalence"):
        from evaluation import ray_equivalence
        print("\n".join(ray_equivalence.render(report["ray_equivalence"])))
    if report.get("ray_build"):
        from evaluation import ray_bench
        print("\n".join(ray_bench.render(report["ray_build"])))
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


def _recommend_answers(home: Path, requests: Path, encoder: str) -> list[dict]:
    """`zhibiao recommend --input requests --json` on `home`, as a user runs it: one answer per
    request, without its timings (they differ from run to run)."""
    import os
    import subprocess
    env = dict(os.environ, ZHIBIAO_HOME=str(home), ZHIBIAO_ENCODER=encoder, PYTHONIOENCODING="utf-8")
    env.pop("ZHIBIAO_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "api.cli", "recommend", "--input", str(requests), "--json"],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=1800,
                          cwd=Path(__file__).resolve().parents[1])
    timings = ("origin", "timing", "seconds", "elapsed_ms")
    return [{k: v for k, v in json.loads(line).items() if k not in timings}
            for line in done.stdout.splitlines() if line.strip()]


def add_parser(sub) -> None:
    p = sub.add_parser("evaluate", help="评测质量（读取、推荐、含糊判定）")
    ev = p.add_subparsers(dest="evaluate_command", required=True)
    from api.commands_parse_eval import add_parse_evaluation
    add_parse_evaluation(ev)
    r = ev.add_parser("recommend", help="推荐质量：语料留一法，或真实表（--cases）")
    r.add_argument("--json", action="store_true", help="输出 JSON（UTF-8）")
    r.add_argument("--cases", help="真实表案例 JSONL（../shared/fieldforms/cases.jsonl 格式）")
    r.add_argument("--encoder", help="编码器，逗号分隔则并列比较：static-e5（默认设置）、e5-small-q4、tfidf、"
                   "st:<路径>；留一法默认 static-e5,e5-small-q4，--cases 默认为设置中的编码器")
    r.add_argument("--framework", choices=("auto", "national", "shanghai-2019"), default="auto",
                   help="与 --cases 同用：推荐所依的指标框架")
    r.set_defaults(func=cmd_evaluate_recommend)
    st = ev.add_parser("stated", help="描述所给数字：生成的项目描述按句式统计数字以合适名称回到推荐中的比例")
    st.add_argument("--generated", type=int, default=300, help="生成的项目描述数（默认 300）")
    st.add_argument("--seed", type=int, default=2026, help="随机种子（默认 2026）")
    st.add_argument("--misses", type=int, default=0, metavar="N", help="另列出前 N 个未回到推荐中的数字")
    st.add_argument("--widened", type=int, default=0, metavar="N",
                    help="另生成 N 份第二组句式的描述（名称自带量词、序数年、动词在后的列举；另一随机流）")
    st.add_argument("--json", action="store_true", help="输出 JSON（UTF-8）")
    st.set_defaults(func=cmd_evaluate_stated)
    v = ev.add_parser("vagueness", help="含糊判定的精确率、召回率与 F1")
    v.add_argument("--json", action="store_true", help="输出 JSON（UTF-8）")
    v.set_defaults(func=cmd_evaluate_vagueness)
    b = sub.add_parser("bench", help="速度与内存基准测试（合成语料，打印表格）")
    b.add_argument("--sizes", default="10000,100000,1000000", help="合成申报表数，逗号分隔（默认 10000,100000,1000000）")
    b.add_argument("--quick", action="store_true", help="冒烟测试：规模 1000,10000")
    b.add_argument("--encoder", default="static-e5", help="编码器（默认 static-e5）")
    b.add_argument("--workers", type=int, default=2, help="负载测试的服务工作进程数（默认 2）")
    b.add_argument("--json", help="另将报告以 JSON 写入此文件")
    b.add_argument("--skip-sizes", action="store_true", help="只测 HTTP 负载")
    b.add_argument("--skip-load", action="store_true", help="不测 HTTP 负载")
    b.add_argument("--skip-ingest", action="store_true", help="不测入库速率")
    b.add_argument("--ray-sizes", default="",
                   help="另测这些规模的建索引：单进程、Ray 1 个与 2 个工作进程（逗号分隔，如 100000,1000000；需 ray 附加依赖）")
    b.add_argument("--ray-workers", default="0,1,2,1,2",
                   help="--ray-sizes 每个规模依次构建的工作进程数（0 为不用 Ray；默认 0,1,2,1,2：单进程一次，再 1 与 2 个交替两次）")
    b.add_argument("--ray-equivalence", type=int, default=0, metavar="N",
                   help="另测 N 份真实形态的表（种子、现场表与随机生成的各式版面）经 Ray 入库与普通入库是否得到相同的申报表、向量与推荐（需 ray 附加依赖）")
    b.add_argument("--skip-replicas", action="store_true", help="不测多副本吞吐（1 个与 2 个副本，32 个客户端线程）")
    b.add_argument("--replica-seconds", type=float, default=10.0, help="多副本吞吐每种副本数测量的秒数（默认 10）")
    b.add_argument("--skip-oneshot", action="store_true", help="不测一次性推荐与入库到首次推荐（--skip-ingest 也不测）")
    b.add_argument("--keep", help="把各规模的合成语料库与索引留在此文件夹（每个规模一个子文件夹）；再次运行时沿用已建的，只重新测量")
    b.set_defaults(func=cmd_bench)
