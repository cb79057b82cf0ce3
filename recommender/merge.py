"""Near-duplicate indicator names merged into one suggestion, keeping every source: names are
compared by `recommender.naming` (merge keys, then character similarity within the same class)."""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from recommender.naming import SIMILAR_NAMES, merge_key, similar

@dataclass
class Source:
    declaration_id: str
    project_name: str | None
    name: str
    target_raw: str
    weight: float
    level2: str | None


@dataclass
class Group:
    level1: str | None
    level2: str | None
    keys: set[str] = field(default_factory=set)
    sources: list[Source] = field(default_factory=list)

    @property
    def weight(self) -> float:
        # a project counts once even if it lists the indicator twice
        best: dict[str, float] = {}
        for s in self.sources:
            best[s.declaration_id] = max(best.get(s.declaration_id, 0.0), s.weight)
        return sum(best.values())

    @property
    def display_name(self) -> str:
        totals: dict[str, float] = {}
        for s in self.sources:
            totals[s.name] = totals.get(s.name, 0.0) + s.weight + 1e-3
        return max(totals, key=lambda n: (totals[n], -len(n)))


def group_sources(sources: list[tuple[str | None, Source]]) -> list[Group]:
    """Group (level1, source) pairs: same merge key and class first, then similar names."""
    groups: dict[tuple[str | None, str], Group] = {}
    for level1, source in sources:
        key = (source.level2, merge_key(source.name))
        group = groups.setdefault(key, Group(level1, source.level2, {key[1]}))
        group.sources.append(source)
    merged: list[Group] = []
    for group in sorted(groups.values(), key=lambda g: -g.weight):
        target = next((m for m in merged if m.level2 == group.level2 and any(
            SequenceMatcher(None, k, j).ratio() >= SIMILAR_NAMES for k in group.keys for j in m.keys)), None)
        if target is None:
            merged.append(group)
        else:
            target.keys |= group.keys
            target.sources.extend(group.sources)
    return merged


MIN_CONTAINED = 4  # a name at least this long that ends another name is the same measure of a narrower object


def same_indicator(a: str, b: str) -> bool:
    """Are two names one indicator whatever class each was filed under? The same folded name, a name
    that ends the other (设备使用率 / 医疗设备使用率: one measure, the longer one names the object),
    or nearly the same characters."""
    ka, kb = merge_key(a), merge_key(b)
    if ka == kb:
        return True
    short, long = sorted((ka, kb), key=len)
    if len(short) >= MIN_CONTAINED and long.endswith(short):
        return True
    return similar(a, b) >= SIMILAR_NAMES
