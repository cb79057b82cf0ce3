"""The recommender's settings fitted by leave-one-province-out (issue 23).

Every threshold and weight of `recommender.settings.Settings` was set by hand. Here each candidate
setting is scored on forms grouped by province: the 26 development forms (`../shared/fieldforms`,
grouped by the province of their `region`; a form without one is its own group) and the bundled
seed corpus as one more province (上海, each seed held out of the corpus in turn, as in the seed
leave-one-out). For each province in turn the setting that scores best on the OTHER provinces is
chosen and scored on the held-out one; what ships is, per parameter, the value every fold agrees
on, or the median of the folds' choices.

A case scores (soft recall@20 + soft precision@10) / 2 with the sealed scorer's own name
similarity; the objective is the mean over two variants, the plain run and the held-out-kind run
(the kinds the plain run matched removed, `evaluation.heldout_kinds`: the proxy for a project of a
kind the library lacks), of the mean over the training forms, every form weighing one as in the
scorer's figures (`--weigh provinces`: every province weighing one, a province of one form as
much as one of four). Ties go to the setting that changes fewest values of the shipped one (then
to the earlier one in the grid): a change must earn its place.

One index serves every setting (settings are passed to `recommend`, nothing global changes).

    python -m evaluation.fit_settings --cases ../shared/fieldforms/cases.jsonl --sweep
    python -m evaluation.fit_settings --cases ../shared/fieldforms/cases.jsonl \\
        --grid row_prior=0.3,0.5,0.8 --grid min_lexical=0.2,0.3,0.4 --json grid.json
    python -m evaluation.fit_settings --cases ../shared/fieldforms/cases.jsonl --table grid.json \
        --weigh provinces     # the same grid folded again from its saved figures, nothing measured

Development cases only: the sealed cases are never read here.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import statistics
import sys
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path

from recommender.settings import DEFAULT, Settings

VARIANTS = ("plain", "held-out-kind")
WEIGHTS = ("forms", "provinces")
SEED_GROUP = "上海（样本库）"
NO_REGION = "未注明地区"
_PROVINCE = re.compile(r"^(.+?(?:省|自治区|特别行政区)|北京市|天津市|上海市|重庆市)")

# one-at-a-time sweep: each parameter over these values, the others at the shipped ones
SWEEP = {
    "related": (0.01, 0.03, 0.06, 0.1),
    "min_shared_terms": (4, 8, 12),
    "related_full": (0.1, 0.2, 0.4),
    "own_unit_trust": (0.5, 0.7, 1.0),
    "one_off": (0.25, 0.5, 1.0),
    "library_discount": (0.15, 0.3, 0.6, 1.0),
    "library_beside_corpus": (0.1, 0.25, 0.5, 1.0),
    "generic_weight": (0.25, 0.5, 1.0),
    "keep_ratio": (0.3, 0.5, 0.7, 0.9),
    "row_prior": (0.25, 0.5, 0.8, 1.0),
    "row_candidates": (0, 4, 8, 16),
    "min_lexical": (0.2, 0.3, 0.4, 0.5),
    "composed_weight": (0.0, 0.09, 0.18, 0.36),
}


@dataclass(frozen=True)
class FitCase:
    id: str
    group: str                  # the province (the fold it is held out in)
    project_name: str
    description: str
    agency: str | None
    gold: tuple[str, ...]       # the real indicator names
    exclude: frozenset[str] = frozenset()  # a seed's own declaration, left out of the corpus


@dataclass(frozen=True)
class Fold:
    group: str
    cases: int
    chosen: Settings
    held_out: float             # the held-out province's objective under the chosen setting
    held_out_default: float     # and under the shipped one
    figures: dict               # variant → (recall@20, precision@10) on the held-out province, chosen setting


def province_of(region: str | None) -> str:
    """The province of a region (湖南省衡阳市南岳区 → 湖南省; 重庆市巫溪县 → 重庆市)."""
    m = _PROVINCE.match((region or "").strip())
    return m[1] if m else NO_REGION


def development_cases(path: Path) -> list[FitCase]:
    from evaluation.field_cases import load_cases
    return [FitCase(c.id, province_of(c.region), c.project_name, c.description, c.agency,
                    tuple(r.name for r in c.rows)) for c in load_cases(path)]


def seed_cases(engine) -> list[FitCase]:
    """The bundled seed forms, each recommended with itself left out of the corpus."""
    from evaluation.recommend_eval import description_of
    out = []
    for decl in engine.decls:
        gold = tuple(dict.fromkeys(i.name for i in decl.indicators if i.name))
        if gold:
            out.append(FitCase(decl.id, SEED_GROUP, decl.project_name or "", description_of(decl), decl.agency,
                               gold, frozenset({decl.id})))
    return out


def case_figures(names: list[str], gold: tuple[str, ...], sim) -> tuple[float, float]:
    """Soft recall@20 and precision@10 of a ranked list of names, by the scorer's `sim` (≥ 0.5 matches)."""
    top = names[:20]
    recall = sum(any(sim(p, g) >= 0.5 for p in top) for g in gold) / max(len(gold), 1)
    precision = sum(any(sim(t, g) >= 0.5 for g in gold) for t in top[:10]) / max(len(top[:10]), 1)
    return recall, precision


def run_case(engine, case: FitCase, settings: Settings, sim) -> dict[str, tuple[float, float]]:
    """The case's figures in both variants under one setting."""
    from evaluation.heldout_kinds import kinds_held_out
    from recommender.recommend import recommend

    ask = dict(project_name=case.project_name, description=case.description, agency=case.agency,
               exclude_ids=case.exclude, settings=settings)
    plain = recommend(engine, **ask)
    held = {k.id for k in plain.kinds}
    if held:
        with kinds_held_out(engine, held):
            without = recommend(engine, **ask)
    else:
        without = plain
    return {"plain": case_figures([i.name for i in plain.indicators], case.gold, sim),
            "held-out-kind": case_figures([i.name for i in without.indicators], case.gold, sim)}


def measure(engine, cases: list[FitCase], grid: list[Settings], sim) -> list[dict[str, list[tuple[float, float]]]]:
    """For each setting of the grid: variant → per-case (recall@20, precision@10), in the cases' order."""
    table = []
    for settings in grid:
        per_case = [run_case(engine, case, settings, sim) for case in cases]
        table.append({v: [figures[v] for figures in per_case] for v in VARIANTS})
    return table


def group_figures(cases: list[FitCase], figures: list[tuple[float, float]], groups,
                  weigh: str = "forms") -> tuple[float, float]:
    """Mean recall and precision over the forms of `groups`: each form weighing one, or (`provinces`)
    each province the mean of its forms."""
    by_group: dict[str, list[tuple[float, float]]] = {}
    for case, fig in zip(cases, figures):
        if case.group in groups:
            by_group.setdefault(case.group, []).append(fig)
    if not by_group:
        return 0.0, 0.0
    if weigh == "forms":
        every = [f for found in by_group.values() for f in found]
        return statistics.fmean(r for r, _ in every), statistics.fmean(p for _, p in every)
    recall = statistics.fmean(statistics.fmean(r for r, _ in f) for f in by_group.values())
    precision = statistics.fmean(statistics.fmean(p for _, p in f) for f in by_group.values())
    return recall, precision


def objective(cases: list[FitCase], row: dict[str, list[tuple[float, float]]], groups, weigh: str = "forms") -> float:
    """Mean over the two variants of (recall@20 + precision@10) / 2."""
    return statistics.fmean(sum(group_figures(cases, row[v], groups, weigh)) / 2 for v in VARIANTS)


def changed(settings: Settings, base: Settings = DEFAULT) -> int:
    return sum(getattr(settings, f.name) != getattr(base, f.name) for f in fields(Settings))


def choose(cases: list[FitCase], table, grid: list[Settings], groups, weigh: str = "forms") -> int:
    """The index of the grid's best setting on `groups`; ties to the fewest changes, then the earliest."""
    scores = [round(objective(cases, row, groups, weigh), 9) for row in table]
    best = max(scores)
    return min((i for i, s in enumerate(scores) if s == best), key=lambda i: (changed(grid[i]), i))


def leave_one_province_out(cases: list[FitCase], table, grid: list[Settings], weigh: str = "forms") -> list[Fold]:
    groups = list(dict.fromkeys(c.group for c in cases))
    default_row = table[grid.index(DEFAULT)] if DEFAULT in grid else None
    folds = []
    for held in groups:
        others = set(groups) - {held}
        i = choose(cases, table, grid, others, weigh)
        folds.append(Fold(held, sum(c.group == held for c in cases), grid[i],
                          objective(cases, table[i], {held}, weigh),
                          objective(cases, default_row, {held}, weigh) if default_row else float("nan"),
                          {v: group_figures(cases, table[i][v], {held}, weigh) for v in VARIANTS}))
    return folds


def provinces_moved(cases: list[FitCase], grid: list[Settings], table, name: str) -> set[str]:
    """The provinces some of whose forms score otherwise when only `name` changes (the rest fixed)."""
    rest = [f.name for f in fields(Settings) if f.name != name]
    alike: dict[tuple, list[dict]] = {}
    for settings, row in zip(grid, table):
        alike.setdefault(tuple(getattr(settings, n) for n in rest), []).append(row)
    moved = set()
    for rows in alike.values():
        for row in rows[1:]:
            for v in VARIANTS:
                moved.update(c.group for c, a, b in zip(cases, rows[0][v], row[v]) if a != b)
    return moved


def fitted_names(cases: list[FitCase], grid: list[Settings], table, names) -> list[str]:
    """The parameters leave-one-province-out can fit: those that move the figures of two provinces or more.
    One that moves one province only is chosen, in every other fold, on that province alone, and in
    its own fold on nothing: an in-sample choice, so the shipped value stays."""
    return [n for n in names if len(provinces_moved(cases, grid, table, n)) >= 2]


def shipped(folds: list[Fold], names) -> Settings:
    """Per parameter, the value every fold chose, or the median of their choices (the lower middle
    value of an even count, so it is one the grid measured)."""
    values = {}
    for name in names:
        chosen = sorted(getattr(f.chosen, name) for f in folds)
        values[name] = chosen[0] if chosen[0] == chosen[-1] else statistics.median_low(chosen)
    return DEFAULT.with_values(**values)


def grid_of(ranges: dict[str, tuple]) -> list[Settings]:
    names = list(ranges)
    return [DEFAULT.with_values(**dict(zip(names, combo))) for combo in itertools.product(*(ranges[n] for n in names))]


def sweep_grid(sweep: dict[str, tuple]) -> list[tuple[str, object, Settings]]:
    return [(name, value, DEFAULT.with_values(**{name: value})) for name, values in sweep.items() for value in values]


# ---- printing ------------------------------------------------------------------------------
def _figures_cells(cases, row, weigh: str = "forms") -> list[str]:
    dev = {c.group for c in cases if c.group != SEED_GROUP}
    cells = []
    for v in VARIANTS:
        r, p = group_figures(cases, row[v], dev, weigh)
        cells.append(f"{r:.3f} / {p:.3f}")
    r, p = group_figures(cases, row["plain"], {SEED_GROUP})
    cells.append(f"{r:.3f} / {p:.3f}")
    cells.append(f"{objective(cases, row, {c.group for c in cases}, weigh):.4f}")
    return cells


def sweep_table(cases, entries, table, weigh: str = "forms") -> list[str]:
    head = (f"development R@20 / P@10 (in-sample, {'each form' if weigh == 'forms' else 'each province'} weighing one) | "
            "held-out-kind dev R@20 / P@10 | seeds leave-one-out R@20 / P@10 (scorer's match) | "
            "objective (every fold's forms, in-sample)")
    lines = [f"| parameter | value | {head} |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for (name, value, settings), row in zip(entries, table):
        mark = " (shipped)" if getattr(DEFAULT, name, None) == value else ""
        lines.append(f"| {name} | {value}{mark} | " + " | ".join(_figures_cells(cases, row, weigh)) + " |")
    return lines


def folds_table(folds: list[Fold], names) -> list[str]:
    lines = ["| held-out province | forms | chosen on the others | held-out objective, chosen | held-out objective, "
             "shipped before | held-out R@20 / P@10 plain | held-out-kind |",
             "| --- | ---: | --- | ---: | ---: | ---: | ---: |"]
    for f in folds:
        chosen = ", ".join(f"{n}={getattr(f.chosen, n)}" for n in names)
        plain, held = f.figures["plain"], f.figures["held-out-kind"]
        lines.append(f"| {f.group} | {f.cases} | {chosen} | {f.held_out:.3f} | {f.held_out_default:.3f} | "
                     f"{plain[0]:.3f} / {plain[1]:.3f} | {held[0]:.3f} / {held[1]:.3f} |")
    n = len(folds)
    lines.append(f"| mean of {n} provinces | | | {statistics.fmean(f.held_out for f in folds):.3f} | "
                 f"{statistics.fmean(f.held_out_default for f in folds):.3f} | | |")
    weights = [f.cases for f in folds]
    lines.append(f"| mean of their {sum(weights)} forms | | | "
                 f"{sum(f.held_out * w for f, w in zip(folds, weights)) / sum(weights):.3f} | "
                 f"{sum(f.held_out_default * w for f, w in zip(folds, weights)) / sum(weights):.3f} | | |")
    return lines


def _parse_grid(specs: list[str]) -> dict[str, tuple]:
    types = {f.name: f.type for f in fields(Settings)}
    ranges = {}
    for spec in specs:
        name, _, values = spec.partition("=")
        if name not in types or not values:
            raise ValueError(f"--grid “{spec}”：应写作 参数=值1,值2（参数：{'、'.join(types)}）")
        cast = int if types[name] in (int, "int") else float
        try:
            ranges[name] = tuple(cast(v) for v in values.split(","))
        except ValueError:
            raise ValueError(f"--grid “{spec}”：{name} 的取值应为数字") from None
    return ranges


def load_table(path: Path) -> tuple[list[FitCase], list[Settings], list[dict]]:
    """A grid measured before (`--json`): its forms (id and province), settings and per-form figures."""
    dump = json.loads(path.read_text(encoding="utf-8"))
    if "grid" not in dump or "cases" not in dump:
        raise ValueError(f"{path}：不是 --grid … --json 写出的结果（缺少 grid 或 cases）")
    cases = [FitCase(c["id"], c["group"], "", "", None, ()) for c in dump["cases"]]
    grid = [Settings(**g["settings"]) for g in dump["grid"]]
    table = [{v: [tuple(f) for f in g[v]] for v in VARIANTS} for g in dump["grid"]]
    return cases, grid, table


def fold_and_print(cases, grid, table, weigh: str, engine=None, sim=None) -> Settings:
    names = [f.name for f in fields(Settings) if len({getattr(s, f.name) for s in grid}) > 1]
    folds = leave_one_province_out(cases, table, grid, weigh)
    print("\n".join(folds_table(folds, names)))
    fitted = fitted_names(cases, grid, table, names)
    for name in names:
        moved = sorted(provinces_moved(cases, grid, table, name))
        print(f"{name}: moves {len(moved)} province(s)" + (f" ({'、'.join(moved)})" if len(moved) < 3 else "")
              + ("" if name in fitted else f"; not fitted, stays {getattr(DEFAULT, name)}"))
    ship = shipped(folds, fitted)
    print("shipped by the folds:", ", ".join(f"{n}={getattr(ship, n)}" for n in names))
    if ship in grid:
        row = table[grid.index(ship)]
    elif engine is not None:
        row = measure(engine, cases, [ship], sim)[0]
    else:
        print("(that setting is not in the grid: measure it with --grid)")
        return ship
    print("\n".join(sweep_table(cases, [("(shipped by the folds)", "", ship)], [row], weigh)[2:]))
    return ship


def main(argv: list[str] | None = None) -> int:
    from evaluation.heldout_kinds import SCORER, sample_engine, scorer_sim

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=Path, required=True, help="development cases (cases.jsonl)")
    parser.add_argument("--scorer", type=Path, default=SCORER, help="the sealed scorer's file (for its sim)")
    parser.add_argument("--sweep", action="store_true", help="one parameter at a time over its sweep values")
    parser.add_argument("--grid", action="append", default=[], metavar="NAME=V1,V2",
                        help="a parameter of the leave-one-province-out grid and its values (repeatable)")
    parser.add_argument("--table", type=Path, default=None, help="fold a grid saved by --json again (nothing measured)")
    parser.add_argument("--weigh", choices=WEIGHTS, default="forms",
                        help="forms: every form weighs one (the scorer's figures); provinces: every province one")
    parser.add_argument("--index", type=Path, default=None, help="index folder (default: a temporary one)")
    parser.add_argument("--json", type=Path, default=None, help="write every setting's per-case figures here")
    args = parser.parse_args(argv)
    for path in (args.cases, args.scorer) + ((args.table,) if args.table else ()):
        if not path.is_file():
            print(f"找不到文件：{path}", file=sys.stderr)
            return 2
    try:
        ranges = _parse_grid(args.grid)
        if args.table:
            fold_and_print(*load_table(args.table), args.weigh)
            return 0
    except json.JSONDecodeError as exc:
        print(f"{args.table}：不是 JSON（第 {exc.lineno} 行：{exc.msg}）", file=sys.stderr)
        return 2
    except (KeyError, TypeError) as exc:
        print(f"{args.table}：不是 --grid … --json 写出的结果（{exc!r}）", file=sys.stderr)
        return 2
    except ValueError as exc:  # our own messages name the option or file
        print(exc, file=sys.stderr)
        return 2
    if not args.sweep and not ranges:
        print("请给出 --sweep、--table 文件 或至少一个 --grid 参数=值1,值2", file=sys.stderr)
        return 2
    sim = scorer_sim(args.scorer)
    with tempfile.TemporaryDirectory() as scratch:
        engine = sample_engine(args.index or Path(scratch))
        cases = development_cases(args.cases) + seed_cases(engine)
        groups = list(dict.fromkeys(c.group for c in cases))
        print(f"{len(cases)} forms in {len(groups)} provinces: "
              + ", ".join(f"{g} {sum(c.group == g for c in cases)}" for g in groups))
        dump: dict = {}
        if args.sweep:
            entries = sweep_grid(SWEEP)
            table = measure(engine, cases, [s for _, _, s in entries], sim)
            print("\n".join(sweep_table(cases, entries, table, args.weigh)))
            dump["sweep"] = [{"parameter": n, "value": v, **row} for (n, v, _), row in zip(entries, table)]
        if ranges:
            grid = grid_of(ranges)
            if DEFAULT not in grid:
                grid.append(DEFAULT)
            table = measure(engine, cases, grid, sim)
            ship = fold_and_print(cases, grid, table, args.weigh, engine, sim)
            dump["grid"] = [{"settings": s.as_dict(), **r} for s, r in zip(grid, table)]
            dump["shipped"] = ship.as_dict()
        if args.json:
            dump["cases"] = [{"id": c.id, "group": c.group} for c in cases]
            args.json.write_text(json.dumps(dump, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
