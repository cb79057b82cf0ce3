"""`zhibiao evaluate recommend|vagueness` and `zhibiao bench`: print tables, optionally JSON."""

from __future__ import annotations

import argparse
import json
import sys

from api.commands_recommend import load_engine, say
from api.render import table
from api.settings import Settings


def cmd_evaluate_cases(args: argparse.Namespace, settings: Settings) -> int:
    from dataclasses import asdict

    from evaluation.field_cases import CasesError, load_cases
    from evaluation.recommend_eval import evaluate_cases
    try:
        cases = load_cases(args.cases)
    except CasesError as exc:
        say(f"error: {exc}")
        return 2
    engine = load_engine(settings, args.encoder)
    say(f"{len(cases)} cases from {args.cases}; corpus: {engine.origin}; encoder {engine.encoder.id}")
    totals, scores = evaluate_cases(engine, cases, framework=args.framework)
    if args.json:
        sys.stdout.write(json.dumps({"cases": str(args.cases), "corpus": engine.origin, "encoder": engine.encoder.id,
                                     "totals": [asdict(t) for t in totals], "per_case": [asdict(s) for s in scores]},
                                    ensure_ascii=False, indent=2) + "\n")
        return 0
    head = ["method", "R@10 soft", "R@20 soft", "P@10 soft", "stated numbers", "kind acc.", "vague", "templates",
            "cover 产出/效益/满意度"]
    body = [[t.method, f"{t.recall_10:.3f}", f"{t.recall_20:.3f}", f"{t.precision_10:.3f}",
             f"{t.stated_recovered}/{t.stated}", "—" if t.kind_accuracy is None else f"{t.kind_accuracy:.3f}",
             f"{t.vague_share:.1%}", f"{t.template_share:.1%}", f"{t.covering_answers}/{t.cases}"] for t in totals]
    print(table([head] + body, indent=""))
    full = totals[-1].method
    rows = [["case", "R@10", "R@20", "P@10", "stated", "vague", "templates"]] + [
        [s.case, f"{s.recall_10:.3f}", f"{s.recall_20:.3f}", f"{s.precision_10:.3f}", f"{s.stated_recovered}/{s.stated}",
         str(s.vague), str(s.templates)] for s in scores if s.method == full]
    print(f"\nper case ({full})")
    print(table(rows, indent=""))
    return 0


def cmd_evaluate_recommend(args: argparse.Namespace, settings: Settings) -> int:
    if getattr(args, "cases", None):
        return cmd_evaluate_cases(args, settings)
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
    print(f"labels: {len(labels)} distinct (name, value) pairs — seed corpus {counts['seed']['pairs']} "
          f"({counts['seed']['vague']} vague, {counts['seed']['misfit']} misfit), field forms "
          f"{counts['field']['pairs']} ({counts['field']['vague']} vague, {counts['field']['misfit']} misfit); "
          "models/data/*.jsonl, guide LABELLING.md")
    head = ["method", "precision", "recall", "F1", "TP", "FP", "FN", "false alarms"]

    def body(rows):
        return [[r.method, f"{r.precision:.3f}", f"{r.recall:.3f}", f"{r.f1:.3f}", str(r.true_positives),
                 str(r.false_positives), str(r.false_negatives), f"{r.false_alarm_rate:.1%}"] for r in rows]
    print("\nvague (positive: the target cannot be judged at year end)")
    print(table([head] + body(vague_rows), indent=""))
    print("\nfits (positive: the value does not fit what the indicator measures)")
    print(table([head] + body(fit_rows), indent=""))
    print(f"\nmodels: stratified {FOLDS}-fold cross-validation over distinct pairs; rules: in-sample "
          "(written while reading these forms)")
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
    from api.commands_parse_eval import add_parse_evaluation
    add_parse_evaluation(ev)
    r = ev.add_parser("recommend", help="leave-one-out recommendation quality, or on real forms (--cases)")
    r.add_argument("--json", action="store_true")
    r.add_argument("--cases", help="JSONL of field forms (../shared/fieldforms/cases.jsonl format)")
    r.add_argument("--encoder", help="with --cases: e5-small-q4 (default setting), tfidf, st:<path>")
    r.add_argument("--framework", choices=("auto", "national", "shanghai-2019"), default="auto",
                   help="with --cases: the framework the recommendations follow")
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
