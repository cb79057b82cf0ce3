"""`zhibiao evaluate recommend|vagueness` and `zhibiao bench`: print tables, optionally JSON."""

from __future__ import annotations

import argparse
import json
import sys

from api.commands_recommend import load_engine, say
from api.render import table
from api.settings import Settings


def cmd_evaluate_recommend(args: argparse.Namespace, settings: Settings) -> int:
    from evaluation.recommend_eval import SOFT_THRESHOLD, as_dicts, evaluate
    dense = load_engine(settings, "e5-small-q4")
    tfidf = load_engine(settings, "tfidf")
    say(f"leave-one-out over {len(dense.decls)} declarations ({dense.origin})")
    rows = evaluate({"popularity baseline": (dense, "popularity"), "tfidf only": (tfidf, "dense"),
                     "dense only (e5-small-q4)": (dense, "dense"),
                     "full (e5 + BM25 + description + library + coverage)": (dense, "full")})
    if args.json:
        sys.stdout.write(json.dumps({"corpus": dense.origin, "soft_threshold": SOFT_THRESHOLD,
                                     "rows": as_dicts(rows)}, ensure_ascii=False, indent=2) + "\n")
        return 0
    header = ["method", "R@10 exact", "R@20 exact", "P@10 exact", "R@10 soft", "R@20 soft",
              "P@10 soft", "value agrees"]
    body = [[r.method] + [f"{v:.3f}" for v in (r.recall_exact_10, r.recall_exact_20, r.precision_exact_10,
                                               r.recall_soft_10, r.recall_soft_20, r.precision_soft_10,
                                               r.value_agreement)] for r in rows]
    print(f"corpus: {dense.origin}; leave-one-out, {rows[0].declarations} declarations")
    print(table([header] + body, indent=""))
    return 0


def cmd_evaluate_vagueness(args: argparse.Namespace, settings: Settings) -> int:
    from evaluation.vagueness_eval import FOLDS, LABELS, as_dicts, evaluate, load_labels
    labels = load_labels()
    rows = evaluate(labels)
    if args.json:
        sys.stdout.write(json.dumps({"labels": len(labels), "folds": FOLDS, "rows": as_dicts(rows)},
                                    ensure_ascii=False, indent=2) + "\n")
        return 0
    vague = sum(1 for r in labels if r["vague"])
    print(f"labels: {len(labels)} distinct targets of the seed corpus ({vague} vague), {LABELS.name}")
    body = [[r.method, f"{r.precision:.3f}", f"{r.recall:.3f}", f"{r.f1:.3f}", str(r.true_positives),
             str(r.false_positives), str(r.false_negatives)] for r in rows]
    print(table([["method", "precision", "recall", "F1", "TP", "FP", "FN"]] + body, indent=""))
    return 0


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    from evaluation import bench
    if not args.skip_sizes:
        bench.main(["--sizes", args.sizes] + (["--json", args.json] if args.json else []))
    if not args.skip_load:
        import tempfile
        from pathlib import Path

        from api.live import LiveServer
        from evaluation import load
        # a real server on a loopback port, bundled corpus, its own temporary home
        with tempfile.TemporaryDirectory() as home, LiveServer(Settings(home=Path(home))) as live:
            say(f"load: server on {live.url} (bundled sample corpus)")
            print("\n" + load.render(load.run(live.url)))
    return 0


def add_parser(sub) -> None:
    p = sub.add_parser("evaluate", help="measure quality on the corpus")
    ev = p.add_subparsers(dest="evaluate_command", required=True)
    r = ev.add_parser("recommend", help="leave-one-out recommendation quality")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=cmd_evaluate_recommend)
    v = ev.add_parser("vagueness", help="precision / recall / F1 of the vagueness detector")
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=cmd_evaluate_vagueness)
    b = sub.add_parser("bench", help="speed and memory benchmark (prints a table)")
    b.add_argument("--sizes", default="1000,10000,100000")
    b.add_argument("--json", help="also write the report as JSON to this file")
    b.add_argument("--skip-sizes", action="store_true", help="only the HTTP load measurement")
    b.add_argument("--skip-load", action="store_true", help="no HTTP load measurement")
    b.set_defaults(func=cmd_bench)
