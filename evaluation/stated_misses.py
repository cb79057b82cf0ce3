"""Each stated number of the development forms, the name the unit filed it under and what our draft gave it.

The sealed scorer counts a real row as *stated* when its value's first number (not 0 80 85 90 95 100) is a
number the description writes, and as *recovered* when some suggestion's value starts with that number under a
name of character-bigram Dice ≥ 0.3 to the real name (`../shared/validation/score`, whose `sim` is used here).
This prints, for every stated row, the clause of the description that writes the number, the real name and
value, and the suggestions carrying the number with their Dice; each miss is given one general cause:

- `another role`: every place the description writes the number is a list item's number (1. 2、 （3）), an
  ordinal (第2号), a date's part (2019年12月) or a document's number: the form's row happens to carry the figure;
- `not read`: no suggestion carries the number;
- `real name holds the number`: the unit wrote the number inside the name (围墙300米): no name without it fits;
- `unit differs`: a suggestion carries the number in another unit than the real row's;
- `named by other words`: the number came back in the real row's unit, under words that do not fit.

Development cases only (in-sample: the reader was written around them); the sealed cases are never read here.

    python -m evaluation.stated_misses --cases ../shared/fieldforms/cases.jsonl [--index DIR] [--all]
    python -m evaluation.stated_misses --seeds     # the bundled corpus's forms, each held out of its own draft
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from corpus.targets import parse_target

TRIVIAL = {0.0, 80.0, 85.0, 90.0, 95.0, 100.0}  # the scorer's: numbers forms write whether or not stated
FITTING = 0.3
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# a figure written in another role: a list item's number (1. 2、 （3）), an ordinal (第2号), a date's part
# (2019年12月, 3月, 15日) or a document's number (〔2016〕15号)
_OTHER_ROLE = (r"(?:(?<=^)|(?<=[\s。；;：:，,、）)]))({n})(?=[、.．](?!\d))|(?<=[（(])({n})(?=[)）])|(?<=第)({n})"
               r"|({n})(?=[月日号])|(?<![\d.])({n})(?=年\d{{1,2}}月)")

CAUSES = ("another role", "not read", "real name holds the number", "unit differs", "named by other words")


@dataclass
class StatedRow:
    case: str
    name: str  # the real row's
    value: str
    number: float
    clause: str  # the description around the number
    got: list[tuple[str, str, float]]  # suggestions with the number: (name, value, Dice)
    cause: str  # "" when recovered

    @property
    def recovered(self) -> bool:
        return not self.cause


def _first(raw: str | None) -> str | None:
    found = _NUMBER.search((raw or "").replace(",", ""))
    return found.group() if found else None


def _clause(description: str, number: str) -> str:
    at = [m.start() for m in re.finditer(rf"(?<![\d.]){re.escape(number)}(?![\d])", description)]
    return " | ".join(re.sub(r"\s+", " ", description[max(0, i - 24):i + 16]) for i in at[:2])


def _only_other_roles(description: str, number: str) -> bool:
    text = description.replace(",", "")
    places = [m.start() for m in re.finditer(rf"(?<![\d.]){re.escape(number)}(?![\d.]\d|\d)", text)]
    listed = {m.start(m.lastindex) for m in re.finditer(_OTHER_ROLE.format(n=re.escape(number)), text)}
    return bool(places) and all(p in listed for p in places)


def cause_of(description: str, real_name: str, real_value: str, number: str, got) -> str:
    if any(d >= FITTING for *_, d in got):
        return ""
    if _only_other_roles(description, number):
        return "another role"
    if not got:
        return "not read"
    if number in real_name.replace(",", ""):
        return "real name holds the number"
    want = parse_target(real_value).unit
    if want and all(parse_target(v).unit not in (None, want) and want not in (v or "") for _, v, _ in got):
        return "unit differs"
    return "named by other words"


def seed_cases(engine):
    """The bundled corpus's declarations as cases (name, prose, filed rows), each to be held out of the corpus
    when its draft is made: a second set of real descriptions, of one province (上海)."""
    from evaluation.field_cases import Case, CaseRow
    from evaluation.recommend_eval import description_of

    return [Case(d.id, d.project_name or "", description_of(d), d.agency, "上海", None,
                 [CaseRow(i.level1, i.level2, i.name, i.target.raw) for i in d.indicators])
            for d in engine.decls if d.indicators and (d.project_name or description_of(d))]


def stated_rows(engine, cases, sim, hold_out: bool = False) -> list[StatedRow]:
    """`hold_out`: each case is a declaration of the engine's corpus, left out of its own draft."""
    from recommender.recommend import recommend

    out = []
    for case in cases:
        description = case.description or ""
        written = set(_NUMBER.findall(description))
        answer = recommend(engine, project_name=case.project_name, description=description, agency=case.agency,
                           exclude_ids=frozenset({case.id}) if hold_out else frozenset())
        pairs = [(s.name, s.target.raw) for s in answer.indicators]
        for row in case.rows:
            number = _first(row.value)
            if number is None or float(number) in TRIVIAL or number not in written:
                continue
            got = [(n, v, round(sim(n, row.name), 2)) for n, v in pairs if _first(v) is not None
                   and float(_first(v)) == float(number)]
            out.append(StatedRow(case.id, row.name, row.value, float(number), _clause(description, number), got,
                                 cause_of(description, row.name, row.value, number, got)))
    return out


def main(argv: list[str] | None = None) -> int:
    from evaluation.field_cases import load_cases
    from evaluation.heldout_kinds import SCORER, sample_engine, scorer_sim

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=Path, default=None, help="development cases (cases.jsonl)")
    parser.add_argument("--seeds", action="store_true",
                        help="the bundled corpus's declarations instead, each held out of the corpus")
    parser.add_argument("--scorer", type=Path, default=SCORER, help="the sealed scorer's file (for its sim)")
    parser.add_argument("--index", type=Path, default=None, help="index folder (default: a temporary one)")
    parser.add_argument("--all", action="store_true", help="print the recovered rows too")
    args = parser.parse_args(argv)
    if args.cases is None and not args.seeds:
        print("请给出 --cases 文件或 --seeds", file=sys.stderr)
        return 2
    for path in ([args.cases] if args.cases else []) + [args.scorer]:
        if not path.is_file():
            print(f"找不到文件：{path}", file=sys.stderr)
            return 2
    sim = scorer_sim(args.scorer)
    with tempfile.TemporaryDirectory() as scratch:
        engine = sample_engine(args.index or Path(scratch))
        cases = seed_cases(engine) if args.seeds else load_cases(args.cases)
        rows = stated_rows(engine, cases, sim, hold_out=args.seeds)
    hits = sum(r.recovered for r in rows)
    print(f"stated numbers recovered: {hits}/{len(rows)}\n")
    print("| form | real name | real value | clause | ours (name, value, Dice) | cause |\n| --- | --- | --- | --- | --- | --- |")
    for r in rows:
        if r.recovered and not args.all:
            continue
        ours = "; ".join(f"{n} {v} ({d:.2f})" for n, v, d in r.got) or "—"
        print(f"| {r.case} | {r.name} | {r.value} | {r.clause} | {ours} | {r.cause or 'recovered'} |")
    print("\n| cause | misses |\n| --- | ---: |")
    counts = Counter(r.cause for r in rows if r.cause)
    for cause in CAUSES:
        print(f"| {cause} | {counts.get(cause, 0)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
