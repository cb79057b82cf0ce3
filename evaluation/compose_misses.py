"""How units wrote the indicator names that no library row and no corpus name matches (issue 23).

drafts7 found that of the 176 real development names, 99 are in neither the national library nor the
bundled corpus (the sealed scorer's `sim`): recall is in generating names, not in ranking them. This
counts, for each such name, how a unit wrote it relative to its own project's name and description,
so that composition (`recommender.compose`) is extended where the names are, not where one form is:

- object: where the words before the measure come from — the project's name, its description only,
  or neither (words of two characters or more, by the engine's segmenter);
- measure: whether the name ends with a measure the index learned (`engine.measures`), of the row's
  own class, of another class, or none;
- value: a number the description states, a count (个, 户, 人 …) the description gives no number for,
  a rate or grade (%), a deadline, or another value;
- ceiling: whether ANY of the project's own objects (the name's, the description's activities or noun runs)
  joined to ANY learned measure ending would match it (the scorer's `sim` ≥ 0.5): what composing by joining
  could reach at best, whatever the class, the value or the rank.

Nothing is fitted here: the table only describes the development forms (which are in-sample).

    python -m evaluation.compose_misses --cases ../shared/fieldforms/cases.jsonl [--index DIR] [--names]

Development cases only: the sealed cases are never read here.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

from corpus import framework
from corpus.targets import parse_target
from corpus.vocab import unit_measures

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def reachable_names(engine) -> list[str]:
    """Every library row name and every corpus indicator name (what ranking could ever bring)."""
    names = {e.name for k in engine.kinds for e in k.indicators}
    for row in range(len(engine.tables)):
        names.update(name for name, *_ in engine.tables.indicator_rows(row))
    return sorted(names)


def learned_ending(measures, name: str) -> tuple[str, str] | None:
    """The longest learned measure ending the name ends with: (level2, ending)."""
    endings = {}
    for level2, ending in measures.measures:
        endings.setdefault(ending, level2)
    for n in range(5, 1, -1):
        if name[-n:] in endings:
            return endings[name[-n:]], name[-n:]
    return None


def join_ceiling(case, engine, sim, name: str) -> str | None:
    """Which of the project's own objects, joined to ANY learned measure ending (whatever its class or value),
    would match `name`: the ceiling of composing by joining object and measure. The objects are the readers'
    own: the name's core and noun runs, the description's activities, its first six noun runs."""
    from recommender.compose import _join, project_activities, project_core, project_objects

    endings = sorted({ending for _, ending in engine.measures.measures})
    core = project_core(case.project_name)
    sources = {"the name's objects": ([core] if core else []) + [o.text for o in project_objects(case.project_name, "")],
               "the description's activities": [a.text for a in project_activities(case.description)],
               "the description's noun runs": [o.text for o in project_objects("", case.description)][:6]}
    for source, objects in sources.items():
        if any(sim(name, _join(obj, ending)) >= 0.5 for obj in objects for ending in endings):
            return source
    return None


def classify(case, row, engine, clean) -> dict:
    """One unreached real name, described relative to its project (no fitting)."""
    name = clean(row.name)
    found = learned_ending(engine.measures, name)
    level2 = framework.canonical(row.level1, row.level2)[1]
    if found is None:
        measure = "none"
    else:
        measure = "own class" if found[0] == level2 or (
            found[0] in framework.BENEFIT_LEVEL2 and level2 in framework.BENEFIT_LEVEL2) else "other class"
    head = name[:-len(found[1])] if found else name
    words = [w for w in engine.segmenter.cut(head) if len(w) >= 2]
    in_name = [w for w in words if w in case.project_name]
    in_desc = [w for w in words if w in case.description and w not in in_name]
    where = "name" if in_name else "description only" if in_desc else "neither"
    target = parse_target(row.value or "")
    numbers = set(_NUMBER.findall((case.description or "").replace(",", "")))
    counts = set(unit_measures()["count"])
    if target.value is not None and _NUMBER.findall(f"{target.value:g}") and f"{target.value:g}" in numbers:
        value = "number stated in the description"
    elif target.unit in unit_measures()["rate"]:
        value = "rate or share"
    elif target.unit and target.unit in counts:
        value = "count, no number in the description"
    elif re.search(r"月|日前|年底|时限", row.value or ""):
        value = "deadline"
    else:
        value = "other value (money, size, words)"
    return {"id": case.id, "name": row.name, "level2": level2, "object": where, "measure": measure, "value": value}


def main(argv: list[str] | None = None) -> int:
    from evaluation.field_cases import clean_name, load_cases
    from evaluation.heldout_kinds import SCORER, sample_engine, scorer_sim
    from recommender.compose import compose

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=Path, required=True, help="development cases (cases.jsonl)")
    parser.add_argument("--scorer", type=Path, default=SCORER, help="the sealed scorer's file (for its sim)")
    parser.add_argument("--index", type=Path, default=None, help="index folder (default: a temporary one)")
    parser.add_argument("--names", action="store_true", help="print every unreached name with its classes")
    args = parser.parse_args(argv)
    for path in (args.cases, args.scorer):
        if not path.is_file():
            print(f"找不到文件：{path}", file=sys.stderr)
            return 2
    sim = scorer_sim(args.scorer)
    cases = load_cases(args.cases)
    with tempfile.TemporaryDirectory() as scratch:
        engine = sample_engine(args.index or Path(scratch))
        reachable = reachable_names(engine)
        rows = []
        total = 0
        composed = 0
        for case in cases:
            names = [c.name for c in compose(engine.measures, case.project_name, case.description, engine.segmenter.cut)]
            for row in case.rows:
                total += 1
                if any(sim(row.name, known) >= 0.5 for known in reachable):
                    continue
                rows.append(classify(case, row, engine, clean_name))
                composed += any(sim(row.name, name) >= 0.5 for name in names)
                rows[-1]["ceiling"] = join_ceiling(case, engine, sim, row.name) or "none"
    print(f"{len(rows)} of {total} real names match no library row and no corpus name; "
          f"{composed} of them match a row composed for the project (any rank)")
    for dim in ("object", "measure", "value", "ceiling"):
        print(f"\n| {dim} | names |\n| --- | ---: |")
        for key, n in Counter(r[dim] for r in rows).most_common():
            print(f"| {key} | {n} |")
    print("\n| object × measure | own class | other class | none |\n| --- | ---: | ---: | ---: |")
    for where in ("name", "description only", "neither"):
        cells = [sum(r["object"] == where and r["measure"] == m for r in rows) for m in ("own class", "other class", "none")]
        print(f"| {where} | " + " | ".join(map(str, cells)) + " |")
    print("\n| level2 × value | " + " | ".join(v for v, _ in Counter(r["value"] for r in rows).most_common()) + " |")
    values = [v for v, _ in Counter(r["value"] for r in rows).most_common()]
    for level2, _ in Counter(r["level2"] for r in rows).most_common():
        print(f"| {level2} | " + " | ".join(str(sum(r["level2"] == level2 and r["value"] == v for r in rows))
                                         for v in values) + " |")
    if args.names:
        for r in rows:
            print(r["id"], r["name"], r["level2"], r["object"], r["measure"], r["value"], r["ceiling"], sep="\t")
    return 0


if __name__ == "__main__":
    sys.exit(main())
