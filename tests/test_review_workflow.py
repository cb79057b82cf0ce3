"""Issue 24's review-side defects, each held by a test that failed before the change."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from recommender.fit import assess_fit
from evaluation.loo_review import ListReviewer

STATIC = Path(__file__).resolve().parents[1] / "api" / "static"


@pytest.fixture(scope="module")
def reviewer(seed_decls):
    return ListReviewer(list(seed_decls.values())).fit()


@pytest.mark.parametrize("name, value, level2", [
    ("服务对象满意度", "较满意", "服务对象满意度"), ("群众满意度", "满意", None), ("设备完好率", "完善", None),
    ("培训人数", "较多", None), ("项目资金", "充足", None)])
def test_a_fit_reason_says_what_it_asks_once(name, value, level2):
    reason = assess_fit(name, value, level2=level2).reason or ""
    for ask in ("应给出比例", "应给出数量", "应给出金额"):
        assert reason.count(ask) <= 1, reason


def test_satisfaction_grade_reason_is_not_repeated():
    assert assess_fit("服务对象满意度", "较满意", level2="服务对象满意度").reason == "满意度应给出比例（如≥90%），而非主观等级"


def test_quality_is_never_offered_a_count_template(reviewer):
    [check] = reviewer.check([{"name": "培训质量", "value": "较好", "level1": "产出", "level2": "质量"}])
    assert check.vague and check.suggestion
    assert "单位，如个、次、人次" not in check.suggestion["raw"]
    assert check.suggestion["raw"].startswith("合格率（或达标率）") and "%" in check.suggestion["raw"]
    [count] = reviewer.check([{"name": "培训人数", "value": "较多"}])
    assert count.suggestion["raw"] == "≥__（单位，如个、次、人次）"  # a count name still gets the count template


def test_cli_check_shows_chinese_kinds_and_no_fit_for_a_vague_value(zhibiao):
    done = zhibiao("check", stdin='{"name": "培训质量", "value": "较好"}\n{"name": "采购数量", "value": "≥36台"}\n')
    assert done.returncode == 0, done.stderr
    first, *_ = [line for line in done.stdout.splitlines() if "→" in line]
    assert first == "培训质量 | 较好 → 不可测量（定性形容词），指标应写成可核验的状态，目标值没有判定标准"
    assert "采购数量 | ≥36台 → 可测量（已量化），类型相符（数量）" in done.stdout
    assert "vague_" not in done.stdout and "quantified" not in done.stdout


def test_a_default_sheet_name_is_not_the_project_name(tmp_path):
    from openpyxl import Workbook

    from corpus.read import read
    book = Workbook()
    sheet = book.active  # "Sheet"
    for row in (["一级指标", "二级指标", "三级指标", "指标值"], ["产出指标", "数量指标", "培训人次", "≥300人次"],
                ["满意度指标", "服务对象满意度指标", "学员满意度", "≥90%"]):
        sheet.append(row)
    book.save(tmp_path / "only-table.xlsx")
    [decl] = read(tmp_path / "only-table.xlsx")
    assert decl.project_name is None and len(decl.indicators) == 2


def test_the_upload_label_and_the_placeholder():
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    assert "UTF-8 或 GB18030 文本" not in page and "电子表格、文档、网页、文本或压缩包" in page
    placeholder = re.search(r'<textarea name="text"[^>]*placeholder="([^"]*)"', page)[1]
    assert "上海" not in placeholder and "产出指标" in placeholder and "满意度指标" in placeholder


@pytest.mark.parametrize("value", ["≤__万元", "≥__人", "≥**%", "=XX个"])
def test_a_blank_number_is_a_placeholder(value):
    from corpus.targets import parse_target
    assert parse_target(value).kind == "placeholder"
    assert parse_target("较上年提高≥__%（写明上年基数）").kind == "qualitative"  # a rewrite template, not a value


def test_reviewing_a_draft_with_blanks_says_unfilled(reviewer):
    from corpus.schema import Declaration, Indicator, Source
    from corpus.targets import parse_target
    decl = Declaration(id="d-1", source=Source("d.xlsx", "grid-xlsx", 1, 3), project_name="甲", indicators=[
        Indicator("产出", "成本", "产出", "成本", "项目预算控制数", parse_target("≤__万元"), line=3)])
    [finding] = [f for f in reviewer.review(decl).findings if f.indicator == "项目预算控制数"]
    assert finding.message == "“项目预算控制数”未填写目标值" and finding.severity == "error"
