"""中期目标 and 年度目标 side by side (二级指标 | 三级指标 | 指标值 twice, the mid-term block first, as 财政部's
项目支出绩效目标申报表 prints them): the year's target is the annual block's (issue 22, fifth pass)."""

from __future__ import annotations

from pathlib import Path

from corpus.read import read
from corpus.read.interpret import interpret_text
from evaluation.generate_forms import generate
from evaluation.parse_eval import score_case
from evaluation.renditions import write_grid

_LINES = ["项目支出绩效目标表", "项目名称 | 农村道路建设 | 主管部门 | 某县交通局",
          "总体目标 | 中期目标（2025年—2027年） | 年度目标",
          "绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标值 | 二级指标 | 三级指标 | 指标值",
          " | 产出指标 | 数量指标 | 新建道路里程 | ≥36公里 | 数量指标 | 新建道路里程 | ≥12公里",
          " |  | 质量指标 | 工程验收合格率 | ≥95% | 质量指标 | 工程验收合格率 | ≥98%",
          " | 满意度指标 | 服务对象满意度指标 | 群众满意度 | ≥90% | 服务对象满意度指标 | 群众满意度 | ≥92%"]


def test_the_annual_block_is_read():
    decls = interpret_text(_LINES, file="t.txt", ident_prefix="t")
    assert [(i.level1, i.level2, i.name, i.target.raw) for i in decls[0].indicators] == [
        ("产出", "数量", "新建道路里程", "≥12公里"), ("产出", "质量", "工程验收合格率", "≥98%"),
        ("满意度", "服务对象满意度", "群众满意度", "≥92%")]


def test_generated_blocks_read_back_as_text_and_as_a_workbook(tmp_path: Path):
    form = generate(117, 5)[116]
    assert form.traits["中期年度并列"] == "是"
    decls = interpret_text(form.text.splitlines(), file="t.txt", ident_prefix="t")
    score = score_case(form.case(), decls[0].indicators)
    assert (score.matched, score.found) == (len(form.rows), len(form.rows))
    path = tmp_path / "form.xlsx"
    write_grid(form.title, form.grid, "xlsx", path)
    score = score_case(form.case(), read(path)[0].indicators)
    assert (score.matched, score.found) == (len(form.rows), len(form.rows))
