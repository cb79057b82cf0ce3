"""The same real form written as .xlsx, .xls, .docx, .html and .pdf reads as the same declaration."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.read import read
from evaluation.renditions import FORMATS, write_rendition

SHARED = Path(__file__).resolve().parents[2] / "shared" / "fieldforms"
pytestmark = pytest.mark.skipif(not SHARED.exists(), reason="../shared/fieldforms not present")


def _case(case_id: str) -> dict:
    for line in (SHARED / "cases.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        if case["id"] == case_id:
            return case
    raise KeyError(case_id)


def _comparable(decl) -> dict:
    data = decl.to_dict()
    for key in ("id", "source", "warnings"):
        data.pop(key)
    for row in data["indicators"]:
        row.pop("line")
    return data


@pytest.mark.parametrize("case_id,template", [("A-019", "selfeval"), ("A-001", "plain"), ("A-009", "split")])
def test_every_format_gives_the_same_declaration(tmp_path, case_id, template):
    case = _case(case_id)
    seen = {}
    for fmt in FORMATS:
        path = write_rendition(case, fmt, template, tmp_path / f"{case_id}.{fmt}")
        [decl] = read(path)
        seen[fmt] = _comparable(decl)
    reference = seen["xlsx"]
    assert len(reference["indicators"]) == len(case["indicators"])
    for fmt, data in seen.items():
        assert data == reference, fmt
    assert reference["project_name"] == case["project_name"]


def test_split_template_joins_operator_number_and_unit(tmp_path):
    case = _case("A-009")  # 重庆荣昌: 计量单位 | 指标性质 | 指标值 in the real form too
    [decl] = read(write_rendition(case, "xlsx", "split", tmp_path / "a.xlsx"))
    assert [(i.name, i.target.raw) for i in decl.indicators] == [
        ("绿化美化公路", "=3500"), ("购买发放李子苗", "=15000"), ("树木成活率", "=85")]


def test_self_evaluation_actual_column_never_mixed_into_the_target(tmp_path):
    case = _case("A-019")
    [decl] = read(write_rendition(case, "docx", "selfeval", tmp_path / "a.docx"))
    assert decl.form_kind == "自评"
    assert all(i.target.actual == i.target.raw for i in decl.indicators)  # rendition: actual = target
    assert [i.target.raw for i in decl.indicators][:3] == ["≥200平方米", "≥120米", "2023年12月"]


def test_pdf_without_ruled_lines_is_read_from_its_text(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    case = _case("A-019")
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "noline.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("STSong-Light", 9)
    y = 800
    for cells in ([("项目名称", 40), (case["project_name"], 140)],
                  [(h, x) for h, x in zip(("一级指标", "二级指标", "三级指标", "指标值"), (40, 110, 180, 380))]):
        for text, x in cells:
            page.drawString(x, y, text)
        y -= 16
    for row in case["indicators"]:
        for text, x in zip((row["level1"] or "", row["level2"] or "", row["name"], row["value"]), (40, 110, 180, 380)):
            page.drawString(x, y, text)
        y -= 16
    page.save()
    [decl] = read(path)
    assert decl.source.layout == "text-pdf-spaced_rows"
    assert decl.project_name == case["project_name"]
    assert [(i.name, i.target.raw) for i in decl.indicators] == [(r["name"], r["value"]) for r in case["indicators"]]


def test_split_value_beside_a_sentence_like_name_is_a_row(tmp_path):
    # A-014's last row: a name with a clause break ('截至2026年12月底,项目开展率(%)') and a split value '=' | '100' |
    # '%'. The bare '100' beside an operator and a unit cell is a target, not a 自评表 reason's score (the row was
    # dropped after reader17's reason rows, and the split renditions fell to 0.989)
    case = _case("A-014")
    [decl] = read(write_rendition(case, "xlsx", "split", tmp_path / "a.xlsx"))
    assert [(i.name, i.target.raw) for i in decl.indicators] == [
        ("省级财政专项资金投入成本控制率(%)", "=100%"), ("开展修复工程(个)", "=1"), ("已建工程是否存在质量问题", "否"),
        ("截至2026年12月底,项目开展率(%)", "=100%")]
