"""Review a declaration the way a reviewer would, and assess loose targets.

Per indicator: is the target measurable (rules + model), does the value fit what the indicator
measures (rate, count, money, duration, deadline, state; a goal sentence is no indicator) and the
template's hint in the name, ★ core indicators quantified, % above 100, a cost with ≥, a deadline
after the project's end, a name that says it belongs to another class. Per form:
`checks.form_findings` (framework of the form's own family, duplicates, budget, promises,
self-evaluation) and last year's actual values of the same project. Every vague or misfit target
gets a rewrite grounded in the national library and the corpus (`RewriteAdvisor`), the same one
the recommender uses.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from types import SimpleNamespace
from typing import ClassVar

from corpus import framework
from corpus.schema import Declaration, Indicator
from models.levels import LevelClassifier
from models.measure import is_core
from models.vagueness import TargetAssessor
from recommender.checks import (FAMILIES, Finding, detect_family, form_findings, history_check,
                                is_self_evaluation, row_check_finding)
from recommender.checks.selfeval import compare, project_key
from recommender.fit import assess_fit
from recommender.rewrite import RewriteAdvisor

MISFILED_CONFIDENCE = 0.8


@dataclass
class TargetCheck:
    name: str
    value: str
    vague: bool
    kind: str
    fits: bool
    fit_reason: str
    reasons: list[str]
    suggestion: dict | None
    measure: str = "other"  # what the indicator measures (rate, count, money, duration, …, aim)
    aim: bool = False  # the name is a goal sentence, not an indicator
    fit_code: str | None = None  # VALUE_MISMATCH | SPLIT when it does not fit
    fit_rule: str | None = None  # the row check a misfit reports (recommender.checks.rows)

    # internal: a finding carries its code and severity; the API's model leaves these out too
    INTERNAL: ClassVar[tuple[str, ...]] = ("fit_rule",)

    def to_dict(self) -> dict:
        out = asdict(self)
        for name in self.INTERNAL:
            out.pop(name)
        return out


@dataclass
class DeclarationReview:
    declaration_id: str
    project_name: str | None
    agency: str | None
    year: int | None
    findings: list[Finding]
    summary: dict
    rows: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"declaration_id": self.declaration_id, "project_name": self.project_name,
                "agency": self.agency, "year": self.year,
                "findings": [f.to_dict() for f in self.findings], "summary": self.summary,
                "rows": self.rows}


EXCLUDE_RETRAIN_MAX = 2_000  # corpus forms up to which leaving the reviewed form out rescans the statistics


class Reviewer:
    """Reviews against the store-backed engine (the server, the CLI), holding nothing proportional
    to the corpus: the engine's assessor and rewrite advisor (statistics precomputed at index
    time), the level classifier the build saved in the index, last year's form looked up in the
    tables and fetched by id. Nothing is fitted here: loading and reviewing only read the index.

    The reviewed form, when it is in the corpus, is left out of the rewrite statistics (a rescan,
    not a fit) while the corpus is small (EXCLUDE_RETRAIN_MAX forms); in a large corpus one form
    does not move the typical values, and the shared ones are used. Leaving it out of the level
    classifier too (a refit per form) is an evaluation's business: evaluation/loo_review.py."""

    def __init__(self, engine=None):
        self.engine = engine
        self.assessor: TargetAssessor | None = None
        self.advisor: RewriteAdvisor | None = None

    @classmethod
    def of_engine(cls, engine) -> Reviewer:
        return cls(engine)

    def fit(self) -> Reviewer:
        """Takes the engine's parts (the name is the constructor/fit habit; nothing is trained)."""
        self.assessor = self.engine.assessor
        self.advisor = self.engine.advisor
        return self

    def previous(self, decl: Declaration) -> Declaration | None:
        """Last year's form of the same project with actual values, if the corpus has it."""
        if not decl.year:
            return None
        return self._previous_in_tables(decl)

    def _previous_in_tables(self, decl: Declaration) -> Declaration | None:
        """The same agency's forms of the year before (a mask over the tables), those whose name
        gives the same project key, fetched by id; the last one with actual values, as the list
        mode's dict keeps."""
        import numpy as np
        t = self.engine.tables
        agencies = getattr(self, "_agency_codes", None)
        if agencies is None:
            agencies = self._agency_codes = {a: i for i, a in enumerate(t.agencies)}
        code = agencies.get(decl.agency, -2) if decl.agency else -1
        rows = np.flatnonzero((np.asarray(t.decl_agency) == code) & (np.asarray(t.decl_year) == decl.year - 1))
        key = project_key(decl)
        ids = [t.ids[int(r)] for r in rows
               if project_key(SimpleNamespace(project_name=t.project_names[int(r)], agency=decl.agency)) == key]
        found = self.engine.decls.fetch(ids) if ids else {}
        for ident in reversed(ids):
            d = found.get(ident)
            if d is not None and any(i.target.actual for i in d.indicators):
                return d
        return None

    def _in_corpus(self, exclude: frozenset[str]) -> frozenset[str]:
        """The excluded forms that are in the corpus and worth leaving out (see the class)."""
        if len(self.engine.tables) > EXCLUDE_RETRAIN_MAX:
            return frozenset()
        return frozenset(i for i in exclude if self.engine.tables.row_of(i) is not None)

    def _classifier(self, exclude: frozenset[str]) -> LevelClassifier:
        """The classifier saved in the index (the reviewed form excluded from nothing: a refit per
        form is what evaluation/loo_review.py measures, not what a user waits for)."""
        return self.engine.levels

    # ---- loose targets -------------------------------------------------------------------
    def check(self, items: list[dict], exclude_ids: frozenset[str] = frozenset()) -> list[TargetCheck]:
        pairs = [(str(i.get("name") or ""), str(i.get("value") or "")) for i in items]
        out = []
        for item, (name, value), assessment in zip(items, pairs, self.assessor.assess_many(pairs)):
            fit = assess_fit(name, value, level2=item.get("level2"), hint=item.get("name_hint"))
            suggestion = None
            if fit.fix and not fit.fits:
                suggestion = {"raw": fit.fix, "basis": f"{fit.reason}；只需改写为“{fit.fix}”"}
            elif fit.aim and not fit.fits:
                rewrite = self.advisor.for_aim(name, str(item.get("context") or ""))
                suggestion = {"raw": rewrite.raw, "basis": rewrite.basis}
            elif assessment.vague or not fit.fits:
                rewrite = self.advisor.rewrite(name=name, value=value, level2=item.get("level2"),
                                               exclude_ids=exclude_ids)
                suggestion = {"raw": rewrite.raw, "basis": rewrite.basis}
            out.append(TargetCheck(name, value, assessment.vague, assessment.kind, fit.fits, fit.reason,
                                   assessment.reasons, suggestion, fit.measure, fit.aim and not fit.fits,
                                   fit.code, fit.rule))
        return out

    # ---- whole declarations --------------------------------------------------------------
    def review(self, decl: Declaration) -> DeclarationReview:
        exclude = frozenset({decl.id})
        context = " ".join(filter(None, [decl.project_name, decl.texts.get("overview"),
                                         decl.texts.get("annual_goal")]))
        checks = self.check([{"name": i.name, "value": i.target.raw, "level2": i.level2,
                              "name_hint": i.name_hint, "context": context}
                             for i in decl.indicators], exclude_ids=self._in_corpus(exclude))
        levels = self._classifier(exclude).predict([i.name for i in decl.indicators])
        findings: list[Finding] = []
        rows = []
        for position, (ind, check, predicted) in enumerate(zip(decl.indicators, checks, levels)):
            row_findings = self._indicator_findings(decl, ind, check, predicted)
            compared = compare(ind, decl.year) if ind.target.actual else None
            rows.append({"line": ind.line, "level1": ind.level1, "level2": ind.level2, "name": ind.name,
                         "value": ind.target.raw, "vague": check.vague, "kind": check.kind,
                         "fits": check.fits, "measure": check.measure, "codes": [f.code for f in row_findings],
                         "suggestion": check.suggestion, "actual": ind.target.actual,
                         "met": compared.met if compared else None})
            findings.extend(row_findings)
        findings.extend(form_findings(decl))
        findings.extend(history_check(decl, self.previous(decl)))
        measurable = sum(1 for c in checks if not c.vague and c.fits)
        score = round(100 * measurable / len(checks)) if checks else 0
        family = detect_family(decl) if decl.indicators else "national"
        summary = {"indicators": len(checks), "vague": sum(c.vague for c in checks),
                   "misfit": sum(not c.fits for c in checks), "measurability_score": score,
                   "framework": family, "framework_label": FAMILIES[family],
                   "form_kind": decl.form_kind or ("自评" if is_self_evaluation(decl) else None),
                   "counts_by_code": dict(Counter(f.code for f in findings)),
                   "by_severity": dict(Counter(f.severity for f in findings))}
        if is_self_evaluation(decl):
            compared = [c for c in (compare(i, decl.year) for i in decl.indicators) if c is not None]
            summary["targets_compared"] = len(compared)
            summary["targets_met"] = sum(c.met for c in compared)
            summary["targets_missed"] = sum(not c.met for c in compared)
        return DeclarationReview(decl.id, decl.project_name, decl.agency, decl.year, findings, summary, rows)

    def _indicator_findings(self, decl: Declaration, ind: Indicator, check: TargetCheck,
                            predicted: tuple[str, float]) -> list[Finding]:
        out = []

        def add(check_id, message, suggestion=None):
            out.append(row_check_finding(check_id, message, ind, suggestion))

        target = ind.target
        core = ind.core or is_core(ind.name)
        if check.kind == "placeholder":
            why = ("，且名称是工作目的而不是可衡量的指标" if check.aim else "") + ("（★核心指标必须量化）" if core else "")
            add("placeholder", f"“{ind.name}”未填写目标值{why}", check.suggestion)
        elif check.vague:
            add("vague_core" if core else "vague",
                "；".join(check.reasons) + ("；★核心指标必须量化" if core else ""), check.suggestion)
        elif core and target.kind not in ("quantitative", "relative", "deadline"):
            add("core_not_quantified", f"★核心指标“{ind.name}”的目标值“{target.raw}”没有量化", check.suggestion)
        if check.aim and check.kind != "placeholder":
            add("aim", f"“{ind.name}”是工作目的而不是可衡量的指标，应细化为可计量的指标", check.suggestion)
        if not check.fits and check.kind != "placeholder":
            add(check.fit_rule or "value_mismatch", f"“{ind.name}”：{check.fit_reason}", check.suggestion)
        late = _after_end(decl, ind)
        if late:
            add("deadline_after_end_month" if late[:7] == decl.end_date[:7] else "deadline_after_end",
                f"“{ind.name}”的期限 {target.raw}（{late}）晚于项目结束日期 {decl.end_date}")
        level2, confidence = predicted
        if (ind.level2 and not ind.inferred and confidence >= MISFILED_CONFIDENCE and level2 != ind.level2):
            level1 = framework.LEVEL2[level2]
            add("level1_misfiled" if level1 != ind.level1 else "level2_misfiled",
                f"“{ind.name}”填在 {ind.level1}/{ind.level2} 下，但名称更像 {level1}/{level2}"
                f"（按语料库训练的分类器，置信度 {confidence:.0%}）",
                {"raw": f"{level1}/{level2}", "basis": "由语料库中同类指标名称的分级学得"})
        return out


def _after_end(decl: Declaration, ind: Indicator) -> str | None:
    deadline = ind.target.deadline
    if not deadline or not decl.end_date or not deadline.get("month"):
        return None
    year = deadline.get("year") or decl.year
    if year is None:
        return None
    month = deadline["month"]
    if not 1 <= month <= 12:  # a misread date (2024年13月) is no deadline to compare
        return None
    day = deadline.get("day") or calendar.monthrange(year, month)[1]
    date = f"{year:04d}-{month:02d}-{day:02d}"
    return date if date > decl.end_date and re.match(r"\d{4}-\d{2}-\d{2}$", decl.end_date) else None
