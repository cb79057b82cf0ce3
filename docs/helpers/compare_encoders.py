"""Recommendation quality of two encoders side by side, in one run (issue 14, item 1).

    .venv/bin/python docs/helpers/compare_encoders.py [--encoders e5-small-q4,static-e5]
        [--cases ../shared/fieldforms/cases.jsonl] [--json FILE]

Both evaluations, each engine built once per encoder over the bundled sample corpus (indexes in a
temporary directory): the seed leave-one-out (`evaluation.recommend_eval.evaluate`, dense-only
and full modes) and, when the cases file exists, the field-form cases
(`evaluation.recommend_eval.evaluate_cases`, the full method). Until `zhibiao evaluate recommend`
takes `--encoder` for the leave-one-out too, this is the one command that shows both rows.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from corpus.store import sample_declarations  # noqa: E402
from evaluation.recommend_eval import CASE_METHODS, evaluate, evaluate_cases  # noqa: E402
from evaluation.field_cases import load_cases  # noqa: E402
from models.encoders import make_encoder  # noqa: E402
from recommender.engine import Engine  # noqa: E402

LOO_HEAD = ["method", "R@10 exact", "R@20 exact", "P@10 exact", "R@10 soft", "R@20 soft", "P@10 soft",
            "value agrees"]
CASES_HEAD = ["method", "R@10 soft", "R@20 soft", "P@10 soft", "stated numbers", "kind acc.", "vague",
              "templates", "cover 产出/效益/满意度"]


def markdown(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "| --- " + "| ---: " * (len(head) - 1) + "|"]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--encoders", default="e5-small-q4,static-e5")
    parser.add_argument("--cases", type=Path, default=ROOT.parent / "shared" / "fieldforms" / "cases.jsonl")
    parser.add_argument("--json")
    args = parser.parse_args()
    decls = sample_declarations()
    specs = args.encoders.split(",")
    report: dict = {"encoders": specs}
    with tempfile.TemporaryDirectory() as root:
        engines = {}
        for spec in specs:
            t0 = time.perf_counter()
            engines[spec] = Engine.build(decls, make_encoder(spec), Path(root), origin="bundled")
            print(f"{spec}: engine built in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        t0 = time.perf_counter()
        loo = evaluate({f"{mode} ({spec})": (engine, mode) for mode in ("dense", "full")
                        for spec, engine in engines.items()})
        print(f"leave-one-out evaluated in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        report["leave_one_out"] = [asdict(r) for r in loo]
        print(f"seed leave-one-out, {loo[0].declarations} declarations (bundled sample corpus)")
        print(markdown(LOO_HEAD, [[r.method] + [f"{v:.3f}" for v in (
            r.recall_exact_10, r.recall_exact_20, r.precision_exact_10, r.recall_soft_10, r.recall_soft_20,
            r.precision_soft_10, r.value_agreement)] for r in loo]))
        if args.cases.is_file():
            cases = load_cases(args.cases)
            full = CASE_METHODS[-1]
            rows, report["cases"] = [], []
            for spec, engine in engines.items():
                t0 = time.perf_counter()
                totals, _ = evaluate_cases(engine, cases, methods=(full,))
                print(f"{spec}: {len(cases)} cases evaluated in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
                for t in totals:
                    report["cases"].append(dict(asdict(t), encoder=spec))
                    rows.append([f"{t.method} ({spec})", f"{t.recall_10:.3f}", f"{t.recall_20:.3f}",
                                 f"{t.precision_10:.3f}", f"{t.stated_recovered}/{t.stated}",
                                 "—" if t.kind_accuracy is None else f"{t.kind_accuracy:.3f}",
                                 f"{t.vague_share:.1%}", f"{t.template_share:.1%}",
                                 f"{t.covering_answers}/{t.cases}"])
            print(f"\nfield-form cases, {len(cases)} cases ({args.cases})")
            print(markdown(CASES_HEAD, rows))
        else:
            print(f"\n(no field-form cases at {args.cases})")
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
