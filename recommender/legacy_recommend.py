"""Today's (pre-issue-11) recommender, frozen as the baseline `evaluate recommend` compares with.

Do not improve this file: it reproduces the method as it was on 2026-11-22.

Recommend an indicator table for a new project description.

Evidence, in order of trust: numbers the author stated (origin `description`), indicators of
similar past projects (dense + BM25 retrieval fused by reciprocal rank; weighted by project
similarity and by how well the name fits the description; origin `corpus`), the built-in
library for the project's kind (origin `library`, ranked below corpus evidence of equal fit),
and the corpus's most common indicator for any required class still missing (`framework`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from corpus import framework
from corpus.targets import parse_target
from recommender.engine import Engine
from recommender.errors import RequestError
from recommender.legacy_extract import extract
from recommender.index import name_key
from recommender.merge import Group, Source, group_sources, merge_key, similar
from recommender.results import Coverage, Recommendation, SimilarProject, Suggested
from recommender.suggest import Suggestion, suggest

FROZEN_LIBRARY = Path(__file__).with_name("legacy_library.json")
RRF_K = 60
SIMILAR_PROJECTS = 8
LIBRARY_DISCOUNT = 0.3   # a library row with the fit of a corpus row ranks below it (tuned by leave-one-out)
MAX_DESCRIPTION = 5000
BENEFIT = set(framework.BENEFIT_LEVEL2)
REQUIRED = ("数量", "质量", "时效", "benefit", "可持续影响", "服务对象满意度")
MODES = ("full", "dense", "lexical")
BASE_WEIGHT = 0.3  # weight of a past value from a project that is not among the similar ones


def recommend(engine: Engine, *, project_name: str, description: str, agency: str | None = None,
              top_k: int = 20, exclude_ids: frozenset[str] = frozenset(), mode: str = "full") -> Recommendation:
    if not (project_name or "").strip() and not (description or "").strip():
        raise RequestError("项目名称（project_name）与项目描述（description）均为空：请描述项目")
    if len(description or "") > MAX_DESCRIPTION:
        raise RequestError(f"项目描述（description）有 {len(description)} 个字符，最多 {MAX_DESCRIPTION} 个")
    if not 1 <= top_k <= 100:
        raise RequestError(f"建议条数（top_k）应在 1 至 100 之间，收到 {top_k}")
    if mode not in MODES:
        raise RequestError(f"模式（mode）“{mode}”不在可选项 {'、'.join(MODES)} 之中")
    query = f"{project_name or ''}。{description or ''}"
    qvec = engine.encoder.encode_queries([query])[0]
    return recommend_with_vector(engine, query=query, qvec=qvec, description=description,
                                 agency=agency, top_k=top_k, exclude_ids=exclude_ids, mode=mode)


def recommend_with_vector(engine: Engine, *, query: str, qvec: np.ndarray, description: str,
                          agency: str | None = None, top_k: int = 20,
                          exclude_ids: frozenset[str] = frozenset(), mode: str = "full") -> Recommendation:
    """The recommendation once the query is embedded (the benchmark times both halves)."""
    similar_projects = _similar(engine, query, qvec, agency, exclude_ids, mode)
    groups = _corpus_groups(engine, qvec, similar_projects)
    items = [_from_group(engine, g, exclude_ids, similar_projects) for g in groups]
    if mode == "full":
        items = _with_stated(items, description or "")
        items += _library(engine, query, qvec, items)
    chosen = _choose(items, top_k)
    if mode == "full":
        chosen = _cover(engine, chosen, items, top_k, exclude_ids)
    chosen.sort(key=lambda s: -s.score)
    return Recommendation(engine.encoder.id, [p for p, _ in similar_projects], chosen,
                          _coverage(chosen))


def _similar(engine: Engine, query: str, qvec: np.ndarray, agency: str | None,
             exclude_ids: frozenset[str], mode: str) -> list[tuple[SimilarProject, float]]:
    n = len(engine.decls)
    ranks: dict[int, float] = {}
    if mode in ("full", "dense"):
        scores, rows = engine.index.projects.search(qvec[None, :], min(n, 50))
        for rank, row in enumerate(r for r in rows[0] if r >= 0):
            ranks[row] = ranks.get(row, 0.0) + 1.0 / (RRF_K + rank)
    if mode in ("full", "lexical"):
        bm25 = engine.bm25.scores(query)
        for rank, row in enumerate(np.argsort(-bm25)[:50]):
            if bm25[row] > 0:
                ranks[row] = ranks.get(row, 0.0) + 1.0 / (RRF_K + rank)
    ordered = sorted(ranks.items(), key=lambda kv: -kv[1])
    out = []
    for row, score in ordered:
        decl = engine.decls[row]
        if decl.id in exclude_ids:
            continue
        if agency and decl.agency and agency == decl.agency:
            score *= 1.2  # the same unit's past forms are the closest precedent
        out.append((decl, score))
        if len(out) == SIMILAR_PROJECTS:
            break
    top = max((s for _, s in out), default=1.0)
    return [(SimilarProject(d.id, d.project_name, d.agency, d.year, round(s / top, 3)), s / top)
            for d, s in out]


def _corpus_groups(engine: Engine, qvec: np.ndarray, similar_projects) -> list[Group]:
    fits = engine.index.name_vectors @ qvec if len(engine.index.names) else np.zeros(0)
    low, high = (float(fits.min()), float(fits.max())) if len(fits) else (0.0, 1.0)
    pairs = []
    for project, weight in similar_projects:
        decl = engine.by_id[project.id]
        for ind in decl.indicators:
            row = engine.name_rows.get(name_key(ind.name))
            fit = (fits[row] - low) / (high - low) if row is not None and high > low else 0.5
            level1, level2 = engine.level_of(ind)
            pairs.append((level1, Source(decl.id, decl.project_name, ind.name, ind.target.raw,
                                         weight * (0.5 + 0.5 * float(fit)), level2)))
    return group_sources(pairs)


def _from_group(engine: Engine, group: Group, exclude_ids, similar_projects) -> Suggested:
    near = {p.id: w for p, w in similar_projects}
    observed: dict[str, tuple[int, float]] = {}  # every past use; similar projects weigh more

    def add(raw: str, count: int, weight: float) -> None:
        n, w = observed.get(raw, (0, 0.0))
        observed[raw] = (n + count, w + weight)

    for key in group.keys:
        for raw, count in engine.value_counts.get(key, {}).items():
            add(raw, count, BASE_WEIGHT * count)
    for ident in exclude_ids:
        for key, raw in engine.keyed_values.get(ident, []):
            if key in group.keys:
                add(raw, -1, -BASE_WEIGHT)
    for ident, weight in near.items():
        for key, raw in engine.keyed_values[ident]:
            if key in group.keys:
                add(raw, 0, weight - BASE_WEIGHT)
    total = sum(w for _, w in similar_projects) or 1.0
    suggestion = suggest(observed)
    name = group.display_name
    if suggestion is not None and suggestion.operator is None:  # only words in the corpus
        rewrite = engine.advisor.rewrite(name=name, value=suggestion.raw, level2=group.level2,
                                         exclude_ids=exclude_ids)
        if re.search(r"\d", rewrite.raw) and "__" not in rewrite.raw:
            parsed = parse_target(rewrite.raw)
            suggestion = Suggestion(rewrite.raw, parsed.operator, parsed.value, parsed.unit,
                                    f"过往项目对此指标只写了文字目标（{suggestion.raw}）；量化建议：{rewrite.basis}",
                                    suggestion.observed)
    return Suggested.of(group.level1 or framework.LEVEL2.get(group.level2 or ""), group.level2,
                        name, suggestion, group.weight / total, "corpus", group.sources)


def _with_stated(items: list[Suggested], description: str) -> list[Suggested]:
    for stated in extract(description):
        match = next((s for s in items if s.level2 == stated.level2 and similar(s.name, stated.name) >= 0.6), None)
        stated_item = Suggested.stated(stated)
        if match is not None:
            stated_item.sources = match.sources
            stated_item.observed = match.observed
            items.remove(match)
        items.append(stated_item)
    return items


def _library(engine: Engine, query: str, qvec: np.ndarray, items: list[Suggested]) -> list[Suggested]:
    kinds, kind_vectors, library_vectors = _frozen_library(engine)
    sims = kind_vectors @ qvec
    low, high = float(sims.min()), float(sims.max())
    scored = []
    for kind, sim in zip(kinds, sims):
        hits = sum(1 for k in kind.keywords if k in query)
        dense = (sim - low) / (high - low) if high > low else 0.0
        scored.append((0.5 * dense + 0.5 * min(1.0, hits / 3), kind))
    scored.sort(key=lambda kv: -kv[0])
    best = scored[0][0]
    out: list[Suggested] = []
    for score, kind in scored[:2]:
        if score < 0.5 * best or score <= 0.2:
            continue
        fits = np.array([float(library_vectors[e.name] @ qvec) for e in kind.indicators])
        spread = float(fits.max() - fits.min()) or 1.0
        for entry, fit in zip(kind.indicators, fits):
            if any(s.level2 == entry.level2 and similar(s.name, entry.name) >= 0.6 for s in items + out):
                continue
            if "__" in entry.target and any(s.origin == "description" and s.target.unit == entry.unit
                                            for s in items):
                continue  # the author already stated this count
            fit_scaled = (fit - float(fits.min())) / spread
            out.append(Suggested.library(entry, kind, LIBRARY_DISCOUNT * score * (0.5 + 0.5 * fit_scaled)))
    return out


@dataclass(frozen=True)
class _Entry:
    level1: str
    level2: str
    name: str
    target: str
    unit: str | None


@dataclass(frozen=True)
class _Kind:
    id: str
    name: str
    description: str
    keywords: tuple[str, ...]
    indicators: tuple[_Entry, ...]


_FROZEN: dict[int, tuple] = {}


def _frozen_library(engine: Engine):
    """The 11-kind library of 2026-11-22 (a frozen copy), embedded once per engine."""
    if id(engine) not in _FROZEN:
        data = json.loads(FROZEN_LIBRARY.read_text(encoding="utf-8"))
        kinds = tuple(_Kind(k["id"], k["name"], k["description"], tuple(k["keywords"]),
                            tuple(_Entry(**i) for i in k["indicators"])) for k in data["kinds"])
        vectors = engine.encoder.encode_passages([f"{k.name}：{k.description}" for k in kinds])
        names = sorted({i.name for k in kinds for i in k.indicators})
        _FROZEN[id(engine)] = (kinds, vectors, dict(zip(names, engine.encoder.encode_passages(names))))
    return _FROZEN[id(engine)]


def _choose(items: list[Suggested], top_k: int) -> list[Suggested]:
    return sorted(items, key=lambda s: -s.score)[:top_k]


def _class_of(item: Suggested) -> str | None:
    return "benefit" if item.level2 in BENEFIT else item.level2


def _cover(engine: Engine, chosen, pool, top_k: int, exclude_ids) -> list[Suggested]:
    for needed in REQUIRED:
        if any(_class_of(s) == needed for s in chosen):
            continue
        spare = [s for s in pool if _class_of(s) == needed and s not in chosen]
        if spare:
            addition = max(spare, key=lambda s: s.score)
        else:
            addition = _framework_fill(engine, needed, exclude_ids)
            if addition is None:
                continue
        if len(chosen) >= top_k:
            removable = [s for s in chosen if s.origin != "description" and sum(
                _class_of(o) == _class_of(s) for o in chosen) > 1]
            if removable:
                chosen.remove(min(removable, key=lambda s: s.score))
        chosen.append(addition)
    return chosen


def _framework_fill(engine: Engine, needed: str, exclude_ids) -> Suggested | None:
    for level2 in (["社会效益", "经济效益", "生态效益"] if needed == "benefit" else [needed]):
        rows = engine.most_common(level2, exclude_ids)
        if rows:
            group = Group(framework.LEVEL2[level2], level2, {merge_key(rows[0].name)}, rows)
            item = _from_group(engine, group, exclude_ids, [])
            item.origin, item.score = "framework", 0.01
            return item
    return None


def _coverage(chosen: list[Suggested]) -> Coverage:
    present = {_class_of(s) for s in chosen}
    label = {"benefit": "经济效益/社会效益/生态效益"}
    return Coverage([label.get(c, c) for c in REQUIRED if c in present],
                    [label.get(c, c) for c in REQUIRED if c not in present])
