"""Typed recommendation results (dataclasses); `to_dict` gives the documented JSON shape."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from models.library import LibraryIndicator, ProjectKind
from recommender.merge import Source
from recommender.suggest import Suggestion


@dataclass
class SimilarProject:
    id: str
    project_name: str | None
    agency: str | None
    year: int | None
    score: float


@dataclass
class Target:
    raw: str
    operator: str | None
    value: float | None
    unit: str | None


@dataclass
class Suggested:
    level1: str | None
    level2: str | None
    name: str
    target: Target
    score: float
    origin: str  # corpus | description | library | framework | composed
    sources: list[Source] = field(default_factory=list)
    observed: list[dict] = field(default_factory=list)
    basis: str = ""

    @classmethod
    def of(cls, level1, level2, name, suggestion: Suggestion | None, score: float, origin: str,
           sources: list[Source]) -> Suggested:
        if suggestion is None:
            return cls(level1, level2, name, Target("", None, None, None), score, origin, sources,
                       [], "过往项目未填写目标值")
        return cls(level1, level2, name, Target(suggestion.raw, suggestion.operator, suggestion.value,
                                                suggestion.unit), score, origin, sources,
                   suggestion.observed, suggestion.basis)

    @classmethod
    def stated(cls, stated) -> Suggested:
        return cls(stated.level1, stated.level2, stated.name,
                   Target(stated.target_raw, stated.operator, stated.value, stated.unit), 1.0,
                   "description", [], [], f"项目描述中写明：“{stated.evidence}”")

    @classmethod
    def library(cls, entry: LibraryIndicator, kind: ProjectKind, score: float) -> Suggested:
        from corpus.targets import parse_target
        parsed = parse_target(entry.target)
        return cls(entry.level1, entry.level2, entry.name,
                   Target(entry.target, parsed.operator, parsed.value, entry.unit), score, "library",
                   [], [], f"内置指标库“{kind.name}”类项目的常用指标与典型目标值，请结合实际确认")

    @classmethod
    def from_entry(cls, entry, kind_name: str, score: float, raw: str, basis: str) -> Suggested:
        """A row of the national library (any library version: `typical` or `target`)."""
        from corpus.targets import parse_target
        parsed = parse_target(raw)
        return cls(entry.level1, entry.level2, entry.name,
                   Target(raw, parsed.operator, parsed.value, parsed.unit or getattr(entry, "unit", None)),
                   score, "library", [], [], basis)

    @property
    def is_template(self) -> bool:
        return "__" in (self.target.raw or "")

    def to_dict(self) -> dict:
        return {"level1": self.level1, "level2": self.level2, "name": self.name,
                "target": asdict(self.target), "score": round(self.score, 4), "origin": self.origin,
                "sources": [{"declaration_id": s.declaration_id, "project_name": s.project_name,
                             "name": s.name, "target_raw": s.target_raw} for s in self.sources],
                "observed_values": self.observed, "basis": self.basis}


@dataclass
class Coverage:
    covered: list[str]
    missing: list[str]


@dataclass
class KindMatchOut:
    id: str
    name: str
    score: float


@dataclass
class Recommendation:
    encoder: str
    similar_projects: list[SimilarProject]
    indicators: list[Suggested]
    coverage: Coverage
    kinds: list[KindMatchOut] = field(default_factory=list)  # matched kinds of project, best first
    framework: str = "national"  # the framework the table follows (national | shanghai-2019)
    templates: int = 0  # suggestions that are fill-in templates (no evidence for a number)

    def to_dict(self) -> dict:
        return {"encoder": self.encoder,
                "similar_projects": [asdict(p) for p in self.similar_projects],
                "indicators": [i.to_dict() for i in self.indicators],
                "coverage": asdict(self.coverage),
                "kinds": [asdict(k) for k in self.kinds], "framework": self.framework,
                "templates": self.templates}
