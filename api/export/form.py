"""The draft (a recommendation, as the officer edited it) as a filled 项目支出绩效目标申报表."""

from __future__ import annotations

from dataclasses import dataclass, field

from api.export.download import MEDIA_TYPES, Download, safe_stem
from corpus import framework
from corpus.schema import Declaration, Indicator, Source
from corpus.targets import parse_target
from corpus.write import FORM_FORMATS, write_form


@dataclass
class DraftRow:
    level1: str | None
    level2: str | None
    name: str
    value: str


@dataclass
class Draft:
    """What the officer submits: header fields, the annual goal, the indicator rows."""
    project_name: str
    rows: list[DraftRow] = field(default_factory=list)
    agency: str | None = None
    department: str | None = None
    year: int | None = None
    annual_goal: str | None = None


def draft_of_recommendation(result, *, project_name: str, description: str = "",
                            agency: str | None = None) -> Draft:
    """A recommendation as a draft, rows in the form's order (产出 … 满意度, then by score)."""
    order = {level1: n for n, level1 in enumerate(framework.DISPLAY_ORDER)}
    items = sorted(result.indicators, key=lambda i: (order.get(i.level1 or "", 9), i.level2 or "", -i.score))
    return Draft(project_name=project_name, agency=agency, annual_goal=description or None,
                 rows=[DraftRow(i.level1, i.level2, i.name, i.target.raw or "") for i in items])


def declaration_of_draft(draft: Draft) -> Declaration:
    decl = Declaration(id="draft-1", source=Source("draft", "draft", 0, 0), year=draft.year,
                       agency=draft.agency, department=draft.department, project_name=draft.project_name)
    decl.texts["annual_goal"] = draft.annual_goal
    decl.indicators = [Indicator(r.level1, r.level2, r.level1, r.level2, r.name, parse_target(r.value))
                       for r in draft.rows]
    return decl


def form_download(*, draft: Draft, fmt: str) -> Download:
    """The filled form as .xlsx or .docx. Raises ValueError (Chinese) for another format."""
    if fmt not in FORM_FORMATS:
        raise ValueError(f"格式“{fmt}”不支持，应为 {'、'.join(FORM_FORMATS)} 之一")
    content = write_form(declaration_of_draft(draft), fmt)
    name = f"{safe_stem(draft.project_name, '绩效目标申报表')}-绩效目标申报表.{fmt}"
    return Download(name, MEDIA_TYPES[fmt], content)
