"""Stated numbers of generated descriptions: recall per clause pattern, by the sealed scorer's rule.

`zhibiao evaluate stated --generated N [--seed S]` runs the full recommendation on N descriptions from
`evaluation.stated_gen` and prints, per clause pattern, how many gold numbers came back under a fitting
name: some suggestion (anywhere in the answer, as the scorer counts) whose value's first number equals the
gold number and whose name has character-bigram Dice ≥ 0.3 with the gold name (after dropping bracketed
hints and punctuation; one name containing the other, both of 3 characters or more, counts as 1). The
rule is the one `../shared/validation/README.md` states; it is written again here, not imported, so that
the product and its judge do not share a mistake.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from evaluation.stated_gen import GeneratedDescription, GoldNumber
from recommender.engine import Engine
from recommender.recommend import recommend

FITTING = 0.3


def name_norm(name: str) -> str:
    name = re.sub(r"[（(][^）)]*[）)]", "", name or "")
    return re.sub(r"[★\s“”\"《》、，,。:：·\-—_/]", "", name)


def name_fit(a: str, b: str) -> float:
    a, b = name_norm(a), name_norm(b)
    if not a or not b:
        return 0.0
    if len(a) >= 3 and len(b) >= 3 and (a in b or b in a):
        return 1.0
    x = {a[i:i + 2] for i in range(len(a) - 1)} or {a}
    y = {b[i:i + 2] for i in range(len(b) - 1)} or {b}
    return 2 * len(x & y) / (len(x) + len(y))


def first_number(raw: str | None) -> float | None:
    found = re.search(r"\d+(?:\.\d+)?", (raw or "").replace(",", ""))
    return float(found.group()) if found else None


def recovered(gold: GoldNumber, suggestions: list[tuple[str, str]]) -> bool:
    """(name, value) pairs of an answer: one carries the gold number under a fitting name."""
    return any(first_number(raw) == gold.number and name_fit(name, gold.name) >= FITTING for name, raw in suggestions)


@dataclass
class PatternRow:
    pattern: str
    numbers: int
    recovered: int

    @property
    def recall(self) -> float:
        return self.recovered / self.numbers if self.numbers else 0.0


@dataclass
class Miss:
    pattern: str
    clause: str
    gold_name: str
    number: float
    same_number: list[tuple[str, str]]  # what the answer wrote with that number


def evaluate(engine: Engine, descriptions: list[GeneratedDescription]) -> tuple[list[PatternRow], list[Miss]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses: list[Miss] = []
    for item in descriptions:
        answer = recommend(engine, project_name=item.project_name, description=item.description)
        pairs = [(s.name, s.target.raw) for s in answer.indicators]
        for gold in item.gold:
            hit = recovered(gold, pairs)
            counts[gold.pattern][0] += 1
            counts[gold.pattern][1] += hit
            if not hit:
                misses.append(Miss(gold.pattern, gold.clause, gold.name, gold.number,
                                   [(n, r) for n, r in pairs if first_number(r) == gold.number]))
    rows = [PatternRow(p, n, k) for p, (n, k) in sorted(counts.items(), key=lambda kv: -kv[1][0])]
    rows.append(PatternRow("合计", sum(r.numbers for r in rows), sum(r.recovered for r in rows)))
    return rows, misses
