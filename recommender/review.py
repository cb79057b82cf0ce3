"""Review a declaration the way a reviewer would, and assess loose targets.

Per indicator: is the target measurable (rules + model), does the value fit what the indicator
measures, % above 100, a cost with ≥, a deadline after the project's end, a name that says it
belongs to another class. Per form: `checks.form_findings`. Every vague or misfit target gets a
rewrite grounded in the corpus.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import asdict, dataclass, field

from corpus import framework
from corpus.schema import Declaration, Indicator
from models.levels import LevelClassifier
from models.vagueness import TargetAssessor
from recommender.checks import CODES, Finding, form_findings
from recommender.fit import value_fits
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

    def to_dict(self) -> dict:
        return asdict(self)


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


class Reviewer:
    """Constructor stores the corpus; `fit` trains the assessor and prepares the rewrites."""

    def __init__(self, decls: list[Declaration]):
        self.decls = decls
        self.assessor: TargetAssessor | None = None
        self.advisor: RewriteAdvisor | None = None
        self._levels: dict[frozenset[str], LevelClassifier] = {}

    def fit(self) -> Reviewer:
        self.assessor = TargetAssessor().fit()
        self.advisor = RewriteAdvisor(self.decls)
        return self

    def _classifier(self, exclude: frozenset[str]) -> LevelClassifier:
        if exclude not in self._levels:
            if len(self._levels) > 64:
                self._levels.clear()
            self._levels[exclude] = LevelClassifier().fit(self.decls, exclude_ids=set(exclude))
        return self._levels[exclude]

    # ---- loose targets -------------------------------------------------------------------
    def check(self, items: list[dict], exclude_ids: frozenset[str] = frozenset()) -> list[TargetCheck]:
        pairs = [(str(i.get("name") or ""), str(i.get("value") or "")) for i in items]
        out = []
        for item, (name, value), assessment in zip(items, pairs, self.assessor.assess_many(pairs)):
            fits, reason = value_fits(name, value)
            suggestion = None
            if assessment.vague or not fits:
                rewrite = self.advisor.rewrite(name=name, value=value, level2=item.get("level2"),
                                               exclude_ids=exclude_ids)
                suggestion = {"raw": rewrite.raw, "basis": rewrite.basis}
            out.append(TargetCheck(name, value, assessment.vague, assessment.kind, fits, reason,
                                   assessment.reasons, suggestion))
        return out

    # ---- whole declarations --------------------------------------------------------------
    def review(self, decl: Declaration) -> DeclarationReview:
        exclude = frozenset({decl.id})
        checks = self.check([{"name": i.name, "value": i.target.raw, "level2": i.level2}
                             for i in decl.indicators], exclude_ids=exclude)
        levels = self._classifier(exclude).predict([i.name for i in decl.indicators])
        findings: list[Finding] = []
        rows = []
        for position, (ind, check, predicted) in enumerate(zip(decl.indicators, checks, levels)):
            row_findings = self._indicator_findings(decl, ind, check, predicted)
            rows.append({"line": ind.line, "level1": ind.level1, "level2": ind.level2, "name": ind.name,
                         "value": ind.target.raw, "vague": check.vague, "kind": check.kind,
                         "fits": check.fits, "codes": [f.code for f in row_findings],
                         "suggestion": check.suggestion})
            findings.extend(row_findings)
        findings.extend(form_findings(decl))
        measurable = sum(1 for c in checks if not c.vague and c.fits)
        score = round(100 * measurable / len(checks)) if checks else 0
        summary = {"indicators": len(checks), "vague": sum(c.vague for c in checks),
                   "misfit": sum(not c.fits for c in checks), "measurability_score": score,
                   "counts_by_code": dict(Counter(f.code for f in findings)),
                   "by_severity": dict(Counter(f.severity for f in findings))}
        return DeclarationReview(decl.id, decl.project_name, decl.agency, decl.year, findings, summary, rows)

    def _indicator_findings(self, decl: Declaration, ind: Indicator, check: TargetCheck,
                            predicted: tuple[str, float]) -> list[Finding]:
        out = []

        def add(code, severity, message, suggestion=None):
            out.append(Finding(code, CODES[code], severity, ind.level1, ind.level2, ind.name,
                               ind.target.raw, ind.line, message, suggestion))

        target = ind.target
        if check.kind == "placeholder":
            add("NOT_QUANTIFIED", "error", f"“{ind.name}”未填写目标值", check.suggestion)
        elif check.vague:
            add("NOT_QUANTIFIED", "warning", "；".join(check.reasons), check.suggestion)
        if not check.fits and check.kind != "placeholder":
            code = "SPLIT" if "拆分" in check.fit_reason else "VALUE_MISMATCH"
            add(code, "warning", f"“{ind.name}”：{check.fit_reason}", check.suggestion)
        if target.unit == "%" and target.kind == "quantitative" and (target.value or 0) > 100:
            add("VALUE_MISMATCH", "error", f"“{ind.name}”的比例目标 {target.raw} 超过100%")
        if (ind.level2 == "成本" or "成本" in ind.name) and target.operator in (">=", ">"):
            add("VALUE_MISMATCH", "error", f"成本指标“{ind.name}”应设上限（≤），而不是 {target.raw}")
        late = _after_end(decl, ind)
        if late:  # within the end date's own month it is a matter of wording, not a plan error
            severity = "warning" if late[:7] == decl.end_date[:7] else "error"
            add("VALUE_MISMATCH", severity, f"“{ind.name}”的期限 {target.raw}（{late}）晚于项目结束日期 "
                                            f"{decl.end_date}")
        level2, confidence = predicted
        if (ind.level2 and not ind.inferred and confidence >= MISFILED_CONFIDENCE and level2 != ind.level2):
            level1 = framework.LEVEL2[level2]
            code = "LEVEL1_WRONG" if level1 != ind.level1 else "LEVEL2_WRONG"
            add(code, "warning", f"“{ind.name}”填在 {ind.level1}/{ind.level2} 下，但名称更像 {level1}/{level2}"
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
    day = deadline.get("day") or calendar.monthrange(year, month)[1]
    date = f"{year:04d}-{month:02d}-{day:02d}"
    return date if date > decl.end_date and re.match(r"\d{4}-\d{2}-\d{2}$", decl.end_date) else None
