"""Held-out-kind development figures: the development forms as projects of a kind the library lacks.

The library's kinds and keywords were written around the 26 development forms, so their figures say
little about unseen projects. This proxy (drafts5's, issue 23) runs each form twice: the second time
the kinds the first run matched score 0 in the kind matcher and are skipped by the library-by-row
candidates, so the draft must come from the corpus, the description, composed rows and the other
kinds' rows, as for a project outside our kinds. Names are soft-matched with the sealed scorer's own
`sim` (read from its file, so the figures are the scorer's), recall over the top 20 and precision
over the top 10.

    python -m evaluation.heldout_kinds --cases ../shared/fieldforms/cases.jsonl [--all-kinds] [--index DIR]

The engine is the bundled sample corpus's with the default encoder (static-e5), as the scorer's fresh
ZHIBIAO_HOME gives; its index is built in --index (a temporary folder by default).

Development cases only: the sealed cases are never read here.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

SCORER = Path(__file__).resolve().parents[2] / "shared" / "validation" / "score"


def scorer_sim(path: Path = SCORER):
    """The sealed scorer's name similarity (its module code before `main`, run as a namespace)."""
    source = path.read_text(encoding="utf-8").split("\ndef main")[0]
    namespace = {"__file__": str(path), "__name__": "score"}
    exec(compile(source, str(path), "exec"), namespace)  # the scorer is a script, not a package
    return namespace["sim"]


def sample_engine(index_dir: Path, encoder: str = "static-e5"):
    """The engine over the bundled sample corpus (what a fresh ZHIBIAO_HOME recommends from)."""
    from corpus.store import cached_samples
    from models.encoders import make_encoder
    from recommender.engine import Engine
    from recommender.index import ListSource
    decls, fingerprint = cached_samples(Path(index_dir))
    return Engine.build(ListSource(decls, fingerprint), make_encoder(encoder), Path(index_dir))


@contextmanager
def kinds_held_out(engine, held: set[str]):
    """The engine's kind matcher scores the held kinds 0, and library-by-row skips them."""
    from recommender import library_rows

    matcher = engine.kind_matcher
    scores, candidates = type(matcher).scores, library_rows.LibraryRows.candidates

    def masked_scores(self, name, description):
        out = scores(self, name, description).copy()
        for i, kind in enumerate(self.kinds):
            if kind.id in held:
                out[i] = 0.0
        return out

    def masked_candidates(self, engine, text, qvec, skip_kinds, *args, **kwargs):
        return candidates(self, engine, text, qvec, set(skip_kinds) | held, *args, **kwargs)

    type(matcher).scores = masked_scores
    library_rows.LibraryRows.candidates = masked_candidates
    try:
        yield
    finally:
        type(matcher).scores = scores
        library_rows.LibraryRows.candidates = candidates


def evaluate(engine, cases: list[dict], sim, hold_out: bool = True) -> dict:
    from recommender.recommend import recommend

    per_case, recall, precision = [], 0.0, 0.0
    for case in cases:
        ask = dict(project_name=case.get("project_name") or "", description=case.get("description") or "",
                   agency=case.get("agency"))
        result = recommend(engine, **ask)
        held = {k.id for k in result.kinds} if hold_out else set()
        if held:
            with kinds_held_out(engine, held):
                result = recommend(engine, **ask)
        top = [i.name for i in result.indicators[:20]]
        gold = [g["name"] for g in case["indicators"]]
        r = sum(any(sim(p, g) >= 0.5 for p in top) for g in gold) / max(len(gold), 1)
        p = sum(any(sim(t, g) >= 0.5 for g in gold) for t in top[:10]) / max(len(top[:10]), 1)
        recall, precision = recall + r, precision + p
        per_case.append({"id": case.get("id"), "held_out": sorted(held), "recall@20": round(r, 3),
                         "precision@10": round(p, 3)})
    n = max(len(cases), 1)
    return {"cases": per_case, "recall@20": round(recall / n, 3), "precision@10": round(precision / n, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=Path, required=True, help="development cases (cases.jsonl)")
    parser.add_argument("--scorer", type=Path, default=SCORER, help="the sealed scorer's file (for its sim)")
    parser.add_argument("--all-kinds", action="store_true", help="keep the matched kinds (plain development run)")
    parser.add_argument("--index", type=Path, default=None, help="index folder (default: a temporary one)")
    parser.add_argument("--encoder", default="static-e5")
    args = parser.parse_args(argv)
    if not args.cases.is_file() or not args.scorer.is_file():
        print(f"找不到文件：{args.cases if not args.cases.is_file() else args.scorer}", file=sys.stderr)
        return 2
    cases = [json.loads(line) for line in args.cases.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as scratch:
        result = evaluate(sample_engine(args.index or Path(scratch), args.encoder), cases, scorer_sim(args.scorer),
                          hold_out=not args.all_kinds)
    for row in result["cases"]:
        print(row["id"], f"R@20 {row['recall@20']:.2f} P@10 {row['precision@10']:.2f}", ",".join(row["held_out"]))
    label = "development" if args.all_kinds else "held-out-kind development"
    print(f"{label}: soft recall@20 {result['recall@20']:.3f}, soft precision@10 {result['precision@10']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
