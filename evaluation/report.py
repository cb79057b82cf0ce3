"""Indicator quality across agencies and years: profiles, aggregates, the indicator library.

Per declaration: indicators; shares quantified / deadline / verifiable / vague; classes covered;
measurability score (as in review: share of targets that are measurable and fit their
indicator); boilerplate share (indicators used by more than half of the corpus's declarations).
Vague: our label where the (name, value) pair is labelled, else the detector (rules + model).
Groups (agency, year, agency × year) get counts, vague share with a 95% Wilson interval (the
unit is the indicator; groups are small, so read the interval), class coverage, the commonest
vague expressions and indicators.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from corpus import framework
from corpus.schema import Declaration
from models.vagueness import TargetAssessor, load_training_labels
from recommender.fit import value_fits
from recommender.naming import merge_key

LEVEL2_ORDER = [l2 for l2 in framework.LEVEL2]
UNKNOWN = "（未知）"


@dataclass(slots=True)  # one per declaration: no per-instance dict
class Profile:
    declaration_id: str
    project_name: str | None
    agency: str
    year: int | None
    indicators: int
    quantified: float
    deadline: float
    verifiable: float
    vague: float
    vague_count: int
    measurability_score: int
    boilerplate_share: float
    classes: list[str]
    vague_expressions: list[str] = field(default_factory=list)


@dataclass
class Group:
    group: str
    declarations: int
    indicators: int
    mean_indicators: float
    vague: int
    vague_share: float
    vague_low: float
    vague_high: float
    mean_measurability: float
    coverage: dict[str, float]
    top_vague: list[tuple[str, int]]
    top_indicators: list[tuple[str, int]]


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return 0.0, 0.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


class QualityReport:
    """Constructor stores the corpus; `build` computes profiles, groups and the library.

    `decls` is anything that can be iterated more than once in the same order: a list, or a
    view that streams the store in batches (`api.commands_report.StoredDeclarations`). `build`
    reads it twice (indicator usage, then the per-declaration pass) and keeps no declaration:
    only the profiles, the library rows per distinct indicator and the indicator names counted
    per agency × year, from which every group's commonest indicators are merged."""

    def __init__(self, decls: Iterable[Declaration], assessor: TargetAssessor | None = None):
        self.decls = decls
        self.assessor = assessor
        self.profiles: list[Profile] = []
        self.library: list[dict] = []
        self._boilerplate: set[str] = set()
        # (agency, year) -> indicator name -> [count, position of its first use in the corpus]
        self._names: dict[tuple[str, int | None], dict[str, list[int]]] = {}

    def build(self, progress: Callable[[int, int], None] = lambda n, total: None) -> QualityReport:
        assessor = self.assessor or TargetAssessor().fit()
        items, labels = load_training_labels()
        labelled = dict(zip(items, labels))
        usage, total_decls = Counter(), 0
        for d in self.decls:
            usage.update({merge_key(i.name) for i in d.indicators})
            total_decls += 1
        self._boilerplate = {k for k, n in usage.items() if n > total_decls / 2}
        rows: dict[str, dict] = {}
        seen = 0  # indicators so far: ties among a group's commonest names go to the first used
        shared: dict[str, str] = {}  # one string object per agency and class across the profiles
        for n, decl in enumerate(self.decls, start=1):
            pairs = [(i.name, i.target.raw) for i in decl.indicators]
            assessed = assessor.assess_many(pairs) if pairs else []
            kinds, vague_flags, fits = [], [], []
            for pair, a in zip(pairs, assessed):
                vague = labelled.get(pair, a.vague)
                kinds.append(a.kind)
                vague_flags.append(vague)
                fits.append(value_fits(*pair)[0])
            total = len(pairs) or 1
            share = lambda names: round(sum(k in names for k in kinds) / total, 3)  # noqa: E731
            agency = shared.setdefault(decl.agency or UNKNOWN, decl.agency or UNKNOWN)
            self.profiles.append(Profile(
                decl.id, decl.project_name, agency, decl.year, len(pairs),
                share({"quantified", "relative"}), share({"deadline"}), share({"verifiable_state"}),
                round(sum(vague_flags) / total, 3), sum(vague_flags),
                round(100 * sum(not v and f for v, f in zip(vague_flags, fits)) / total),
                round(sum(merge_key(i.name) in self._boilerplate for i in decl.indicators) / total, 3),
                sorted({shared.setdefault(c, c) for c in (i.level2 or i.level1 for i in decl.indicators) if c}),
                [value for (_, value), v in zip(pairs, vague_flags) if v]))
            names = self._names.setdefault((agency, decl.year), {})
            for ind in decl.indicators:
                seen += 1
                counted = names.get(ind.name)
                if counted is None:
                    names[ind.name] = [1, seen]
                else:
                    counted[0] += 1
                self._add_to_library(rows, decl, ind)
            progress(n, total_decls)
        self.library = self._library(rows, usage)
        return self

    @staticmethod
    def _add_to_library(rows: dict[str, dict], decl: Declaration, ind) -> None:
        key = merge_key(ind.name)
        row = rows.setdefault(key, {"indicator": ind.name, "classes": Counter(), "agencies": set(),
                                    "values": Counter()})
        row["classes"][f"{ind.level1}/{ind.level2 or '—'}"] += 1
        row["agencies"].add(decl.agency or UNKNOWN)
        row["values"][ind.target.raw or "（空）"] += 1

    def _library(self, rows: dict[str, dict], usage: Counter) -> list[dict]:
        out = [{"indicator": r["indicator"], "classes": "、".join(c for c, _ in r["classes"].most_common()),
                "frequency": usage[key], "agencies": "、".join(sorted(r["agencies"])),
                "observed_values": "、".join(f"{v}×{n}" for v, n in r["values"].most_common()),
                "boilerplate": key in self._boilerplate}
               for key, r in rows.items()]
        return sorted(out, key=lambda r: (-r["frequency"], r["indicator"]))

    def _top_names(self, members: list[Profile], size: int = 5) -> list[tuple[str, int]]:
        """The members' commonest indicator names (ties: first used first, as a Counter over the
        members' declarations in corpus order gives them), merged from their agency × year cells."""
        merged: dict[str, list[int]] = {}
        for cell in dict.fromkeys((p.agency, p.year) for p in members):
            for name, (count, first) in self._names.get(cell, {}).items():
                known = merged.get(name)
                if known is None:
                    merged[name] = [count, first]
                else:
                    known[0] += count
                    known[1] = min(known[1], first)
        ranked = sorted(merged.items(), key=lambda item: (-item[1][0], item[1][1]))
        return [(name, count) for name, (count, _) in ranked[:size]]

    def groups(self, key: Callable[[Profile], str]) -> list[Group]:
        """Profiles grouped by `key`, a function of a profile's agency and year (the indicator
        names are counted per agency × year)."""
        buckets: dict[str, list[Profile]] = {}
        for p in self.profiles:
            buckets.setdefault(key(p), []).append(p)
        out = []
        for name, members in sorted(buckets.items()):
            indicators = sum(p.indicators for p in members)
            vague = sum(p.vague_count for p in members)
            low, high = wilson(vague, indicators)
            coverage = {c: round(sum(c in p.classes for p in members) / len(members), 3)
                        for c in LEVEL2_ORDER + list(framework.LEVEL1)}
            expressions = Counter(v for p in members for v in p.vague_expressions)
            out.append(Group(name, len(members), indicators, round(indicators / len(members), 2), vague,
                             round(vague / indicators, 3) if indicators else 0.0, round(low, 3),
                             round(high, 3), round(sum(p.measurability_score for p in members) / len(members), 1),
                             coverage, expressions.most_common(5), self._top_names(members)))
        return out

    def by_agency(self) -> list[Group]:
        return self.groups(lambda p: p.agency)

    def by_year(self) -> list[Group]:
        return self.groups(lambda p: str(p.year or UNKNOWN))

    def by_agency_year(self) -> list[Group]:
        return self.groups(lambda p: f"{p.agency} · {p.year or UNKNOWN}")

    def filtered(self, agencies: list[str]) -> QualityReport:
        """The same report restricted to some agencies (for side-by-side comparison)."""
        subset = QualityReport(self.decls, self.assessor)
        subset.profiles = [p for p in self.profiles if p.agency in agencies]
        subset.library, subset._boilerplate, subset._names = self.library, self._boilerplate, self._names
        return subset

    def tables(self) -> dict[str, list[dict]]:
        flat = flat_groups
        profiles = []
        for p in self.profiles:
            row = asdict(p)
            row["classes"] = "、".join(p.classes)
            row["vague_expressions"] = "、".join(p.vague_expressions)
            profiles.append(row)
        return {"declarations": profiles, "agencies": flat(self.by_agency()), "years": flat(self.by_year()),
                "agency_years": flat(self.by_agency_year()), "indicator_library": self.library}


def flat_groups(groups: list[Group]) -> list[dict]:
    """Group aggregates as flat rows (CSV / JSON): coverage spread into columns, top lists joined."""
    rows = []
    for g in groups:
        row = asdict(g)
        coverage = row.pop("coverage")
        row["top_vague"] = "、".join(f"{v}×{n}" for v, n in g.top_vague)
        row["top_indicators"] = "、".join(f"{v}×{n}" for v, n in g.top_indicators)
        row.update({f"coverage_{c}": v for c, v in coverage.items()})
        rows.append(row)
    return rows
