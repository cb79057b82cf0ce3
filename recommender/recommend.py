"""Recommend an indicator table for a new project description (any project in China).

Evidence, in order of trust: what the author stated (origin `description`: every quantity,
amount, rate, period and coverage in the text becomes an indicator), the national library's
indicators for the kinds of project the description matches (`library`; a template's number
is taken from the description when stated there), indicators of similar past projects
(`corpus`; only projects whose text shares enough of the query's informative words, so no
unrelated boilerplate), and the corpus's most common indicator for a required class still
missing (`framework`). Near-duplicates are merged keeping every source. Every value then passes
the product's own target assessor (`recommender.quantify`).

Frameworks: `national` (产出/效益/满意度, 成本) leaves out 投入和管理 rows; `shanghai-2019` keeps
them; `auto` (default) uses the agency's own past forms: shanghai-2019 when most of them have
投入和管理 rows, national otherwise (and when the agency has no forms in the corpus).
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from corpus import framework
from corpus.targets import parse_target
from models.library.wording import era_wording
from recommender.engine import Engine
from recommender.errors import RequestError
from recommender import kind_match
from recommender.compose import compose, for_project, project_core
from recommender.library_rows import rows_of
from recommender.stated import StatedIndicator, extract
from recommender.index import name_key
from recommender.merge import Group, Source, group_sources, merge_key, same_indicator, similar
from recommender.quantify import entry_basis, entry_target, is_template, quantify
from recommender.settings import DEFAULT, Settings
from recommender.results import Coverage, KindMatchOut, Recommendation, SimilarProject, Suggested, Target
from recommender.suggest import Suggestion, suggest
from recommender.templates import (asks_about_project, budget_as_rate, project_year, stated_for as _stated_for,
                                   with_project_year)

RRF_K = 60
OVERLAP_FROM = 50_000  # above this many projects the dense search runs beside BM25, in another thread
SIMILAR_PROJECTS = 8
MAX_DESCRIPTION = 5000
BENEFIT = set(framework.BENEFIT_LEVEL2)
REQUIRED = framework.REQUIRED
MODES = ("full", "dense", "lexical")
FRAMEWORKS = ("national", "shanghai-2019", "auto")
# thresholds and weights are in recommender.settings (one frozen object per call, fitted by
# leave-one-province-out: evaluation/fit_settings.py)
GENERIC_NAME_KINDS = 5  # a library row name that this many kinds list is generic
MAX_TEMPLATES = 2  # library count rows left as fill-in templates (the author's number is missing)
DESCRIPTION_SCORE = 2.0
BASE_WEIGHT = 0.3  # weight of a past value from a project that is not among the similar ones
VALUES_PER_KEY = 64  # distinct corpus values weighed per indicator (the most often written; the similar
# projects' values always count): a million forms write thousands of distinct amounts for one name
NAME_RANGE_SAMPLE = 2048  # names over which a query's name fits are ranged (all of them up to this many)


def recommend(engine: Engine, *, project_name: str, description: str, agency: str | None = None,
              top_k: int = 20, exclude_ids: frozenset[str] = frozenset(), mode: str = "full",
              framework: str = "auto", settings: Settings = DEFAULT) -> Recommendation:
    if not (project_name or "").strip() and not (description or "").strip():
        raise RequestError("项目名称（project_name）与项目描述（description）均为空：请描述项目")
    if len(description or "") > MAX_DESCRIPTION:
        raise RequestError(f"项目描述（description）有 {len(description)} 个字符，最多 {MAX_DESCRIPTION} 个")
    if not 1 <= top_k <= 100:
        raise RequestError(f"建议条数（top_k）应在 1 至 100 之间，收到 {top_k}")
    if mode not in MODES:
        raise RequestError(f"模式（mode）“{mode}”不在可选项 {'、'.join(MODES)} 之中")
    if framework not in FRAMEWORKS:
        raise RequestError(f"指标框架（framework）“{framework}”不在可选项 {'、'.join(FRAMEWORKS)} 之中")
    query = f"{project_name or ''}。{description or ''}"
    qvec = engine.encoder.encode_queries([query])[0]
    return recommend_with_vector(engine, query=query, qvec=qvec, description=description,
                                 agency=agency, top_k=top_k, exclude_ids=exclude_ids, mode=mode,
                                 framework=framework, project_name=project_name, settings=settings)


def resolve_framework(engine: Engine, framework_name: str, agency: str | None,
                      exclude_ids: frozenset[str] = frozenset(), related: list | None = None) -> str:
    """auto: the agency's own past forms decide; without them, the closely related past projects
    (above the relatedness threshold); without those, national. A shanghai-2019 table also covers
    投入管理 and 财务管理."""
    if framework_name != "auto":
        return framework_name
    uses = engine.agency_uses_input_management(agency, exclude_ids)
    if uses is None and related:
        uses = engine.uses_input_management(p.id for p, _ in related)
    return "shanghai-2019" if uses else "national"


def recommend_with_vector(engine: Engine, *, query: str, qvec: np.ndarray, description: str,
                          agency: str | None = None, top_k: int = 20,
                          exclude_ids: frozenset[str] = frozenset(), mode: str = "full",
                          framework: str = "auto", project_name: str = "",
                          settings: Settings = DEFAULT) -> Recommendation:
    """The recommendation once the query is embedded (the benchmark times both halves)."""
    similar_projects = _similar(engine, query, qvec, agency, exclude_ids, mode)
    related, mass = similar_projects, None
    if mode == "full":  # only precedent that is about the same thing, weighted by how close it is
        kept = [(p, w) for p, w in similar_projects if _is_related(engine, query, p, agency, settings)]
        related = [(p, w * _trust(engine, query, p, agency, settings)) for p, w in kept]
        mass = sum(w for _, w in kept)  # shares of the related projects before trust, so trust stays
    chosen_framework = resolve_framework(engine, framework, agency, exclude_ids, related)
    evidence = _Evidence(engine, exclude_ids, related)
    groups = _corpus_groups(engine, qvec, related, evidence, agency,
                            one_off=settings.one_off if mode == "full" else None)
    items = [_from_group(engine, g, evidence, related, exclude_ids, mass) for g in groups]
    matched: list = []
    if mode == "full":
        matched = kind_match.match(engine, project_name, description or "", query, qvec,
                                   keep_ratio=settings.keep_ratio)
        items = _with_stated(engine, items, description or "", project_name or "")
        beside = settings.library_beside_corpus if any(i.origin == "corpus" for i in items) else 1.0
        items += _library(engine, qvec, items, matched, beside, reword=era_wording(query), text=query,
                          settings=settings)
        items += _library_by_row(engine, qvec, items, matched, beside, reword=era_wording(query), text=query,
                                 settings=settings)
        items += _composed(engine, project_name, description or "", items, settings.composed_weight)
    if chosen_framework == "national":
        items = [i for i in items if i.level1 != "投入和管理"]
    items = _merge_duplicates(items)
    chosen = _choose(items, top_k)
    if mode == "full":
        chosen = _cover(engine, chosen, items, top_k, exclude_ids, chosen_framework)
        if chosen_framework == "national":
            chosen = _complete_with_common(chosen, top_k, building=bool(_WORKS.search(query)) or "工程" in query,
                                           core=project_core(project_name or ""))
        quantify(engine, chosen, exclude_ids)
        with_project_year(chosen, project_year(project_name, description))
    chosen.sort(key=lambda s: -s.score)
    return Recommendation(engine.encoder.id, [p for p, _ in related], chosen,
                          _coverage(chosen), [KindMatchOut(s.id, s.name, s.score) for _, s in matched],
                          chosen_framework, sum(1 for i in chosen if is_template(i.target.raw)))


def _trust(engine: Engine, query: str, project: SimilarProject, agency: str | None,
           settings: Settings = DEFAULT) -> float:
    """How far a related past project's rows are trusted: fully from `related_full` cosine up,
    proportionally below, so library rows can outrank marginal precedent. The unit's own forms
    about a related thing are trusted at least `own_unit_trust`; its forms about something else
    (which fail the content test other units' forms must pass) only as far as their text is related."""
    row = engine.row_of.get(project.id)
    rel = engine.relatedness(query, row) if row is not None else 0.0
    trust = min(1.0, rel / settings.related_full)
    own = agency and project.agency == agency
    return max(trust, settings.own_unit_trust) if own and _is_related(engine, query, project, None, settings) else trust


def _is_related(engine: Engine, query: str, project: SimilarProject, agency: str | None,
                settings: Settings = DEFAULT) -> bool:
    """Above `related` word-vector cosine with the query and with `min_shared_terms` words in common
    (field forms vs the Shanghai samples: cosine ≤ 0.07 on a few generic words; seed forms vs their
    neighbours: 0.02–0.3 on many)."""
    if agency and project.agency == agency:
        return True  # the unit's own past forms are always precedent
    row = engine.row_of.get(project.id)
    return (row is not None and engine.relatedness(query, row) >= settings.related
            and engine.shared_terms(query, row) >= settings.min_shared_terms)


def _similar(engine: Engine, query: str, qvec: np.ndarray, agency: str | None,
             exclude_ids: frozenset[str], mode: str) -> list[tuple[SimilarProject, float]]:
    n = len(engine.decls)
    ranks: dict[int, float] = {}
    dense_rows, pending = [], None
    if mode in ("full", "dense"):
        search, args = engine.index.projects.search, (qvec[None, :], min(n, 50))
        if mode == "full" and n > OVERLAP_FROM:  # faiss and numpy release the GIL: search while BM25 scores
            pending = _searcher().submit(search, *args)
        else:
            dense_rows = search(*args)[1][0]
    lexical = engine.bm25.top(query, 50) if mode in ("full", "lexical") else []
    if pending is not None:
        dense_rows = pending.result()[1][0]
    for rank, row in enumerate(r for r in dense_rows if r >= 0):
        ranks[row] = ranks.get(row, 0.0) + 1.0 / (RRF_K + rank)
    for rank, (row, _) in enumerate(lexical):
        ranks[row] = ranks.get(row, 0.0) + 1.0 / (RRF_K + rank)
    ordered = sorted(ranks.items(), key=lambda kv: -kv[1])
    out = []
    for row, score in ordered:  # read from the corpus tables: no declaration is fetched here
        ident, name, project_agency, year = engine.tables.project(row)
        if ident in exclude_ids:
            continue
        if agency and project_agency and agency == project_agency:
            score *= 1.2  # the same unit's past forms are the closest precedent
        out.append((SimilarProject(ident, name, project_agency, year, 0.0), score))
        if len(out) == SIMILAR_PROJECTS:
            break
    top = max((s for _, s in out), default=1.0)
    for project, score in out:
        project.score = round(score / top, 3)
    return [(p, s / top) for p, s in out]


_SEARCHER: ThreadPoolExecutor | None = None


def _searcher() -> ThreadPoolExecutor:
    """Threads for the dense search of large corpora (one per core: requests run in parallel too)."""
    global _SEARCHER
    if _SEARCHER is None:
        _SEARCHER = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="zhibiao-search")
    return _SEARCHER


def _corpus_groups(engine: Engine, qvec: np.ndarray, similar_projects, evidence: _Evidence,
                   agency: str | None = None, one_off: float | None = None) -> list[Group]:
    """Rows of the similar projects grouped by name. With `one_off` (full mode), a row of another
    unit's form that no other past form uses counts that share: it is that project's own indicator,
    not evidence of what projects like it measure (the unit's own one-off rows keep full weight:
    they show how the unit writes its tables)."""
    rows = [(project, weight, engine.row_of.get(project.id)) for project, weight in similar_projects]
    indicators = [engine.tables.indicator_rows(row) if row is not None else [] for _, _, row in rows]
    fit_of = _name_fits(engine, qvec, {name for found in indicators for name, *_ in found})
    pairs = []
    for (project, weight, _), found in zip(rows, indicators):
        for name, raw, level1, level2 in found:
            fit = fit_of.get(name, 0.5)
            strength = weight
            if one_off is not None and not (agency and project.agency == agency) and \
                    evidence.forms_using(merge_key(name)) < 2:
                strength *= one_off
            pairs.append((level1, Source(project.id, project.project_name, name, raw,
                                         strength * (0.5 + 0.5 * float(fit)), level2)))
    return group_sources(pairs)


def _name_fits(engine: Engine, qvec: np.ndarray, names: set[str]) -> dict[str, float]:
    """How well each indicator name fits the query, scaled to [0, 1] by the range of fits over the
    corpus's names. Above NAME_RANGE_SAMPLE names the range is taken over an evenly spaced sample
    of them plus the names at hand: a million forms write hundreds of thousands of names, and
    scoring them all would cost more than the rest of the recommendation."""
    vectors = engine.index.name_vectors
    if not len(vectors):
        return {}
    at = {name: engine.name_rows.get(name_key(name)) for name in names}
    own = np.array(sorted({a for a in at.values() if a is not None}), dtype=np.int64)
    if len(vectors) <= NAME_RANGE_SAMPLE:
        fits = vectors @ qvec
        low, high = float(fits.min()), float(fits.max())
        own_fits = fits[own]
    else:
        sample = vectors[::len(vectors) // NAME_RANGE_SAMPLE][:NAME_RANGE_SAMPLE]  # strided view: no copy
        own_fits = vectors[own] @ qvec if len(own) else np.zeros(0, dtype=np.float32)
        ranged = np.concatenate([sample @ qvec, own_fits])
        low, high = float(ranged.min()), float(ranged.max())
    fit_at = dict(zip(own.tolist(), own_fits))  # float32 scalars, as the scores have always been computed
    return {name: ((fit_at[a] - low) / (high - low) if high > low else 0.5)
            for name, a in at.items() if a is not None}


class _Evidence:
    """The values past projects wrote, by merge key code, gathered once per recommendation:
    the excluded forms' (taken back out of the corpus counts) and the similar projects' (weighted)."""

    def __init__(self, engine: Engine, exclude_ids, similar_projects):
        tables = engine.tables
        self.excluded: dict[int, list[int]] = {}
        for row in tables.rows_of(exclude_ids):
            for key, value in zip(*tables.row_codes(row)):
                self.excluded.setdefault(key, []).append(value)
        self.tables = tables
        self.near: dict[int, list[tuple[int, float]]] = {}
        for project, weight in similar_projects:
            row = tables.row_of(project.id)
            for key, value in zip(*tables.row_codes(row)) if row is not None else ():
                self.near.setdefault(key, []).append((value, weight - BASE_WEIGHT))

    def forms_using(self, key: str) -> int:
        """How many past rows use a merge key (about one per form), the excluded forms' left out."""
        code = self.tables.key_code(key)
        if code is None:
            return 0
        return self.tables.key_uses(code) - len(self.excluded.get(code, ()))


def _from_group(engine: Engine, group: Group, evidence: _Evidence, similar_projects, exclude_ids,
                mass: float | None = None) -> Suggested:
    """`mass`: the related projects' weight before trust (default: the weights given), so a row all
    of them use scores their trust, not 1 whatever their trust."""
    tables = engine.tables
    observed: dict[int, tuple[int, float]] = {}  # value code → (past uses, weight); similar projects weigh more

    def add(value: int, count: int, weight: float) -> None:
        n, w = observed.get(value, (0, 0.0))
        observed[value] = (n + count, w + weight)

    codes = [c for c in (tables.key_code(k) for k in group.keys) if c is not None]
    for code in codes:
        for value, count in zip(*tables.key_values(code, limit=VALUES_PER_KEY)):
            add(value, count, BASE_WEIGHT * count)
    for code in codes:
        for value in evidence.excluded.get(code, ()):
            add(value, -1, -BASE_WEIGHT)
    for code in codes:
        for value, weight in evidence.near.get(code, ()):
            add(value, 0, weight)
    parsed = {v: tables.value_target(v) for v in observed}
    total = (mass if mass is not None else sum(w for _, w in similar_projects)) or 1.0
    suggestion = suggest({parsed[v].raw: cw for v, cw in observed.items()},
                         parsed={t.raw: t for t in parsed.values()})
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


def _in_unit_words(engine: Engine, rows: list[StatedIndicator]) -> list[StatedIndicator]:
    """Each stated count ends with the word past rows wrote for its thing in its unit (recommender/unit_names.py:
    1200批次 of 抽检 → 抽检食品批次, not 抽检食品数量); two rows never end up under one name."""
    units = engine.measures.units
    taken = {r.name for r in rows}
    for row in rows:
        if row.measure not in ("count", "amount"):
            continue
        renamed = units.place_work(units.rename(row.name, row.unit, engine.segmenter.cut, row.evidence), row.unit,
                                   row.evidence, f"{row.value:g}" if row.value is not None else "")
        if renamed != row.name and renamed not in taken:
            taken.add(renamed)
            row.name = renamed
    return rows


def _with_stated(engine: Engine, items: list[Suggested], description: str, project_name: str = "") -> list[Suggested]:
    """Every number the author stated becomes a row, first in the order written: the description's, then
    those of the project's name (2023年石门村500亩高标准农田建设项目 → 高标准农田建设面积 =500亩) that the
    description does not state under the same name."""
    stated_rows = _in_unit_words(engine, extract(description))
    said = {s.name for s in stated_rows}
    from_name = [s for s in _in_unit_words(engine, extract(project_name)) if s.name not in said and s.measure != "deadline"]
    for order, stated in enumerate(stated_rows + from_name):
        match = next((s for s in items if s.origin == "corpus" and s.level2 == stated.level2
                      and similar(s.name, stated.name) >= 0.6), None)
        stated_item = Suggested.stated(stated)
        stated_item.score = DESCRIPTION_SCORE - 0.001 * order  # the author's own numbers first, in order
        if stated in from_name:
            stated_item.basis = f"项目名称中写明：“{stated.evidence}”"
        if match is not None:
            stated_item.sources = match.sources
            stated_item.observed = match.observed
            items.remove(match)
        items.append(stated_item)
    return items


def _library(engine: Engine, qvec: np.ndarray, items: list[Suggested], matched,
             weight: float = 1.0, reword=lambda name: name, text: str = "",
             settings: Settings = DEFAULT) -> list[Suggested]:
    """The matched kinds' library rows, named in the description's era (`reword`); a template
    takes the number the description states. A row that presupposes building work the project
    text never mentions (新建（改造）业务用房面积 for an equipment purchase) is another project's, and
    so is a second or third kind's row whose own specific words the text never writes (vaccination
    rows for a street-cleaning project matched to disease control on 病媒防治): the best kind's rows
    describe the project, the others' only where the project names what they are about."""
    out: list[Suggested] = []
    works = bool(_WORKS.search(text))
    stated = [s for s in items if s.origin == "description"]
    templates = 0
    best = max((s.score for _, s in matched), default=1.0) or 1.0
    first = matched[0][0] if matched else None
    for kind, kind_score in matched:
        entries = list(kind.indicators)
        if not entries:
            continue
        fits = np.array([float(engine.library_vector(e.name) @ qvec) for e in entries])
        spread = float(fits.max() - fits.min()) or 1.0
        for position, (entry, fit) in enumerate(zip(entries, fits)):
            typical = entry_target(entry)
            filler = _stated_for(entry, stated)
            if filler is not None:  # the description states this number: the stated row stands for it
                if entry.name not in filler.basis:
                    filler.basis += f"；对应指标库“{kind.name}”的“{entry.name}”"
                continue
            if not works and _WORKS.search(entry.name):  # any building word admits the building rows
                continue
            name = reword(entry.name)
            if any(s.level2 == entry.level2 and similar(s.name, name) >= 0.6 for s in items + out):
                continue
            if entry.level2 in ("成本", "经济成本") and not re.search(r"\d", typical) and any(
                    s.level2 == "成本" and s.target.unit and "元" in s.target.unit for s in stated):
                continue  # the stated budget already bounds the cost
            if is_template(typical):
                if templates >= MAX_TEMPLATES or not asks_about_project(engine, entry, text):
                    continue
                templates += 1
            valued = budget_as_rate(entry, typical)
            if valued is not None:  # the template's place, valued (it still takes a template's slot)
                entry, typical, name = valued, valued.typical, valued.name
            fit_scaled = (fit - float(fits.min())) / spread
            order = 1.0 - position / (4 * len(entries))  # the library lists core indicators first
            score = weight * settings.library_discount * (kind_score.score / best) ** 2 * (0.4 + 0.3 * fit_scaled + 0.3 * order)
            if is_template(typical):
                score *= 0.5
            generic = _kinds_writing(engine, entry.name) >= GENERIC_NAME_KINDS
            if generic:
                score *= settings.generic_weight  # a row nearly every kind lists (安全生产事故发生次数) fits any project
            elif kind is not first and not asks_about_project(engine, entry, text):
                continue  # a second kind's row about what the project never names is a neighbouring programme's
            basis = f"国家指标库“{kind.name}”类项目的常用指标"
            out.append(_library_suggestion(entry, kind.name, score, typical, basis, name))
    return out


_NAME_KINDS: list = []  # [(engine, {library row name: how many kinds list it})]


def _kinds_writing(engine, name: str) -> int:
    """How many of the library's kinds list a row of this name (项目预算控制数: nearly all; 雾炮车配备数量: one)."""
    if not _NAME_KINDS or _NAME_KINDS[0][0] is not engine:
        counts: dict[str, int] = {}
        for kind in engine.kinds:
            for row in {e.name for e in kind.indicators}:
                counts[row] = counts.get(row, 0) + 1
        _NAME_KINDS[:] = [(engine, counts)]
    return _NAME_KINDS[0][1].get(name, 0)


def _shared_basis(kind, candidate) -> str:
    return f"国家指标库“{kind.name}”类项目的指标，与本项目共有“{'、'.join(candidate.shared)}”"


def _library_suggestion(entry, kind_name: str, score: float, typical, basis: str, name: str) -> Suggested:
    """A library row as a suggestion: the typical value's own basis after `basis`, and the project's
    wording of the name (with the library's said) when it differs."""
    if entry_basis(entry):
        basis += f"；典型值依据：{entry_basis(entry)}"
    item = Suggested.from_entry(entry, kind_name, score, typical, basis)
    if name != entry.name:
        item.name = name
        item.basis += f"；按项目描述所用的表述，库中“{entry.name}”写作“{name}”"
    return item


def _library_by_row(engine: Engine, qvec: np.ndarray, items: list[Suggested], matched,
                    weight: float = 1.0, reword=lambda name: name, text: str = "",
                    settings: Settings = DEFAULT) -> list[Suggested]:
    """Rows of kinds the project was not matched to that fit it on their own words
    (recommender.library_rows), ranked below the matched kinds' core rows and above generic fill;
    no fill-in templates (the author stated no number for them)."""
    out: list[Suggested] = []
    works = bool(_WORKS.search(text))
    stated = [s for s in items if s.origin == "description"]
    skip = {kind.id for kind, _ in matched}
    for candidate in rows_of(engine).candidates(engine, text, qvec, skip, min_lexical=settings.min_lexical):
        if len(out) >= settings.row_candidates:
            break
        entry, kind = candidate.entry, candidate.kind
        typical = entry_target(entry)
        if is_template(typical) or _stated_for(entry, stated) is not None:
            continue
        if not works and _WORKS.search(entry.name):
            continue
        name = reword(entry.name)
        if any(s.level2 == entry.level2 and similar(s.name, name) >= 0.6 for s in items + out):
            continue
        score = weight * settings.library_discount * settings.row_prior * (0.4 + 0.6 * candidate.fit)
        out.append(_library_suggestion(entry, kind.name, score, typical, _shared_basis(kind, candidate), name))
    return out


def _composed(engine: Engine, project_name: str, description: str, items: list[Suggested],
              weight: float = DEFAULT.composed_weight) -> list[Suggested]:
    """Rows composed for the project (recommender.compose): its own objects and the people it serves
    joined to the measures past rows attach to such words, ranked on their strength beside the library
    rows (never forced in); none that repeats a row at hand."""
    out: list[Suggested] = []
    for c in compose(engine.measures, project_name, description, engine.segmenter.cut):
        if any(_class_of(s) == _class_of_level2(c.level2) and similar(s.name, c.name) >= 0.6 for s in items + out):
            continue
        parsed = parse_target(c.target)
        out.append(Suggested(c.level1, c.level2, c.name, Target(c.target, parsed.operator, parsed.value, parsed.unit),
                             weight * c.strength, "composed", [], [], c.basis))
    return out


def _class_of_level2(level2: str | None) -> str | None:
    return "benefit" if level2 in BENEFIT else level2


# building work a library row may presuppose; such a row needs one of these words in the project text
_WORKS = re.compile(r"新建|改建|扩建|改造|修缮|维修|建设|施工|硬化|铺设|装修|竣工")


def _choose(items: list[Suggested], top_k: int) -> list[Suggested]:
    """The best `top_k` rows; every number the author stated stays, however many (a long plan's 25th figure is
    as much the author's as its first): the other rows fill what is left of `top_k`."""
    ranked = sorted(items, key=lambda s: -s.score)
    stated = [s for s in ranked if s.origin == "description"]
    others = [s for s in ranked if s.origin != "description"]
    return sorted(stated + others[:max(0, top_k - len(stated))], key=lambda s: -s.score)


def _class_of(item: Suggested) -> str | None:
    return "benefit" if item.level2 in BENEFIT else item.level2


def _merge_duplicates(items: list[Suggested]) -> list[Suggested]:
    """Near-duplicate rows become one, keeping every source: in one class, names that fold to one;
    across classes too, one measure filed twice (医疗设备使用率 ≥85% under 可持续影响 and 设备使用率
    ≥90% under 质量 are one row). Two numbers the author stated are two facts and stay apart."""
    kept: list[Suggested] = []
    for item in sorted(items, key=lambda s: -s.score):
        twin = next((k for k in kept if not k.origin == item.origin == "description" and (
                     (_class_of(k) == _class_of(item) and
                      (merge_key(k.name) == merge_key(item.name) or
                       (k.origin != item.origin and similar(k.name, item.name) >= 0.85)))
                     or same_indicator(k.name, item.name))),
                    None)
        if twin is None:
            kept.append(item)
            continue
        known = {(s.declaration_id, s.name) for s in twin.sources}
        twin.sources.extend(s for s in item.sources if (s.declaration_id, s.name) not in known)
        if item.origin != twin.origin and item.origin in ("library", "description"):
            twin.basis += f"；另见{'国家指标库' if item.origin == 'library' else '项目描述'}“{item.name}”"
    return kept


def _cover(engine: Engine, chosen, pool, top_k: int, exclude_ids, framework_name: str = "auto") -> list[Suggested]:
    required = REQUIRED + (("投入管理", "财务管理") if framework_name == "shanghai-2019" else ())
    for needed in required:
        if any(_class_of(s) == needed for s in chosen):
            continue
        spare = [s for s in pool if _class_of(s) == needed and s not in chosen]
        if spare:
            addition = max(spare, key=lambda s: s.score)
        elif framework_name == "national":
            addition = (_benefit_from_stated(chosen) if needed == "benefit" else None) or _national_default(needed)
        else:
            addition = _framework_fill(engine, needed, exclude_ids)
            if addition is None or (framework_name == "national" and addition.level1 == "投入和管理"):
                continue
        if len(chosen) >= top_k:
            removable = [s for s in chosen if s.origin != "description" and sum(
                _class_of(o) == _class_of(s) for o in chosen) > 1]
            if removable:
                chosen.remove(min(removable, key=lambda s: s.score))
        chosen.append(addition)
    return chosen


# One generic national row per required class, for a kind whose library rows leave it empty.
_NATIONAL_DEFAULTS = {
    "数量": ("产出", "数量", "年度任务完成率", "=100%"),  # valued: a blank (≥__个) is what reviewers send back
    "质量": ("产出", "质量", "项目验收合格率", "=100%"),
    "时效": ("产出", "时效", "项目按期完成率", "=100%"),
    "benefit": ("效益", "社会效益", "受益群众人数", "≥__人"),
    "可持续影响": ("效益", "可持续影响", "项目持续发挥作用年限", "≥__年"),
    "服务对象满意度": ("满意度", "服务对象满意度", "受益群众满意度", "≥90%"),
}


# 共性 indicators with a value common practice gives, used last to complete a short table
# (national framework only): the rows almost every county form carries.
_NATIONAL_COMMON = (
    ("产出", "质量", "项目（工程）验收合格率", "=100%"),
    ("产出", "时效", "资金拨付及时率", "=100%"),
    ("产出", "时效", "项目完成时限", "12月底前"),
    ("产出", "时效", "项目按期完成率", "=100%"),
    ("满意度", "服务对象满意度", "受益群众满意度", "≥90%"),
    ("产出", "质量", "资金使用合规率", "=100%"),
    ("产出", "数量", "年度任务完成率", "=100%"),
    ("效益", "可持续影响", "项目设施（成果）持续使用年限", "≥5年"),
    ("产出", "质量", "安全责任事故发生数", "=0起"),
    ("产出", "成本", "项目成本控制率", "≤100%"),
)


# not generic: every project has its own completion date (by the end of its budget year unless written)
_PROJECT_OWN = {"项目完成时限"}
_BUILDING_ONLY = {"项目（工程）验收合格率", "安全责任事故发生数", "项目设施（成果）持续使用年限"}


def _complete_with_common(chosen: list[Suggested], top_k: int, building: bool = True,
                          core: str | None = None) -> list[Suggested]:
    """Common rows after every specific one, written for the project's own object (`core`: 资金拨付及时率
    → 农村危房改造补助资金拨付及时率), at most one per class; without an object, a bare common row fills
    only a class with nothing else (a reviewer rejects rows that fit any project). Acceptance, safety and
    the facility's lifetime only for a project that builds something (项目（工程）验收合格率 on a subsidy
    is another project's). The project's completion date is its own and always comes."""
    filled: set[str] = set()
    for n, (level1, level2, name, raw) in enumerate(_NATIONAL_COMMON):
        if len(chosen) >= top_k:
            break
        if name in _BUILDING_ONLY and not building:
            continue
        own = name in _PROJECT_OWN
        if not own and (level2 in filled or (core is None and any(s.level2 == level2 for s in chosen))):
            continue
        if any(similar(s.name, name) >= (0.5 if s.level2 == level2 else 0.75) or (level2 == "服务对象满意度" and s.level2 == level2 and
                                                 sum(o.level2 == level2 for o in chosen) >= 2) for s in chosen):
            continue
        written = name if own or level2 == "服务对象满意度" else for_project(name, core)
        parsed = parse_target(raw)
        basis = "全国共性指标（财预〔2020〕10号框架下各地表格的常用写法），典型值为通行做法，请确认"
        if written != name:
            basis = f"全国共性指标“{name}”按本项目的“{core}”写出；" + basis[len("全国共性指标"):].lstrip("（").replace("），", "，", 1)
        chosen.append(Suggested(level1, level2, written, Target(raw, parsed.operator, parsed.value, parsed.unit),
                                0.005 - 0.0001 * n, "framework", [], [], basis))
        filled.add(level2)
    return chosen


# the people a stated count is of, once the verb done to them is left out (补助脱贫户户数 → 脱贫户户数)
_DONE_TO = re.compile(r"^(?:补助|补贴|资助|救助|慰问|帮扶|扶持|培训|服务|覆盖|发放|走访|涉及|惠及|带动)")
_PEOPLE_COUNT = re.compile(r"(?:人数|户数|人次)$")


def _benefit_from_stated(chosen: list[Suggested]) -> Suggested | None:
    """A benefit row from the people the description counts (补助64户脱贫户 → 受益脱贫户户数 ≥64户): the
    author's own number where a generic benefit row would be a blank."""
    for item in chosen:
        if item.origin != "description" or not _PEOPLE_COUNT.search(item.name) or item.target.value is None:
            continue
        who = _DONE_TO.sub("", item.name)
        if len(who) < 4:
            continue
        raw = f"≥{item.target.raw.lstrip('=≥>')}" if item.target.operator in ("=", ">=", ">") else item.target.raw
        parsed = parse_target(raw)
        return Suggested("效益", "社会效益", f"受益{who}", Target(raw, parsed.operator, parsed.value, parsed.unit),
                         0.01, "description", [], [],
                         f"项目描述写明的“{item.name}”{item.target.raw}即项目的受益对象，作为社会效益指标")
    return None


def _national_default(needed: str) -> Suggested | None:
    row = _NATIONAL_DEFAULTS.get(needed)
    if row is None:
        return None
    level1, level2, name, raw = row
    parsed = parse_target(raw)
    return Suggested(level1, level2, name, Target(raw, parsed.operator, parsed.value, parsed.unit), 0.01,
                     "framework", [], [], "全国框架（财预〔2020〕10号）要求的类别；共性指标，典型值为常见做法"
                     + ("；数值请按本项目填写" if "__" in raw else ""))


def _framework_fill(engine: Engine, needed: str, exclude_ids) -> Suggested | None:
    for level2 in (framework.BENEFIT_FILL_ORDER if needed == "benefit" else (needed,)):
        rows = engine.most_common(level2, exclude_ids)
        if rows:
            group = Group(framework.LEVEL2[level2], level2, {merge_key(rows[0].name)}, rows)
            item = _from_group(engine, group, _Evidence(engine, exclude_ids, []), [], exclude_ids)
            item.origin, item.score = "framework", 0.01
            return item
    return None


def _coverage(chosen: list[Suggested]) -> Coverage:
    present = {_class_of(s) for s in chosen}
    label = {"benefit": "经济效益/社会效益/生态效益"}
    return Coverage([label.get(c, c) for c in REQUIRED if c in present],
                    [label.get(c, c) for c in REQUIRED if c not in present])
