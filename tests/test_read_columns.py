"""A table printed column by column (pdfminer's `extract_text`, `pdftotext` without -layout): each column's
cells one after another, read back into rows by `assemble.decode_columns` (runs of one role paired by count
and order). Gold is the generated forms' rows (seed 2026, `evaluation.generate_forms`)."""

from __future__ import annotations

import pytest

from corpus.read.interpret import assemble, interpret_text
from evaluation.generate_forms import generate
from evaluation.pdf_layer import texts


def _rows(lines: list[str]) -> list[tuple[str, str]]:
    decls = interpret_text(lines, file="t.txt", ident_prefix="t")
    return [(i.name, i.target.raw) for d in decls for i in d.indicators]


@pytest.fixture(scope="module")
def forms():
    return {f.id: f for f in generate(6, 2026, value_traits=False)}


@pytest.mark.parametrize("ident", ["G-00001", "G-00002", "G-00005", "G-00006"])
def test_pdfminer_text_layers_read_their_gold_exactly(forms, tmp_path, ident):
    # G-00002: level column, names with their weights on one line ('环境监测（执法检查）次数 5'), the
    # weights' run, the targets' run under their heading, a name wrapped in its box ('…年均浓' / '度'), two
    # pages; G-00005: labels and names in one indented column, the values after them; before the column
    # decoder these read 0 of their 5, 10, 6 and 4 rows
    form = forms[ident]
    layers, _ = texts(form, tmp_path)
    assert _rows(layers["pdfminer"].splitlines()) == [(r.name, r.value) for r in form.rows]


# G-00002's first page as pdfminer prints it (generated gold), a header cell above each column's run
_PAGE = ["专项项目支出绩效目标表", "项目名称：专项资金项目 主管部门：县农业农村局", "一级指标", "二级指标", "绩效指标",
         "分值", "(一)项目完", "成（30分）", "(一)数量（30分）", "(二)质量（30分）", "环境监测（执法检查）次数 5",
         "新建（改造）污水管网长度 10", "污水处理厂出水达标率", "环保督察问题整改完成率", "15", "10", "预期指标值",
         ">=27546次", ">=65.3公里", "=100%", "=100%"]


def test_runs_pair_by_order_and_the_weights_go_to_their_column():
    rows = assemble.decode_columns(_PAGE)
    assert [(r.name, r.values) for r in rows] == [
        ("环境监测（执法检查）次数", {"score": "5", "target": ">=27546次"}),
        ("新建（改造）污水管网长度", {"score": "10", "target": ">=65.3公里"}),
        ("污水处理厂出水达标率", {"score": "15", "target": "=100%"}),
        ("环保督察问题整改完成率", {"score": "10", "target": "=100%"})]
    # the wrapped label is one label; two second-level labels over four names cannot be spread: left empty
    assert {(r.raw1, r.raw2) for r in rows} == {("(一)项目完成（30分）", None)}


def test_a_name_wrapped_in_its_box_joins_where_the_values_are_one_fewer():
    lines = ["三级指标", "污水处理厂出水达标", "率", "环保督察问题整改完成率", "治理设施稳定运行率", "年度指标值",
             "=100%", "=100%", ">=95%"]
    assert _rows(lines) == [("污水处理厂出水达标率", "=100%"), ("环保督察问题整改完成率", "=100%"),
                            ("治理设施稳定运行率", ">=95%")]
    # a longer tail piece: the line cut at the column's width (the run's longest) takes the line after it
    lines = ["三级指标", "细颗粒物（PM2.5）年均浓", "度达标天数", "环保督察问题整改完成率", "治理设施稳定运行率",
             "年度指标值", "<=27193微克/立方米", "=100%", ">=95%"]
    assert _rows(lines) == [("细颗粒物（PM2.5）年均浓度达标天数", "<=27193微克/立方米"),
                            ("环保督察问题整改完成率", "=100%"), ("治理设施稳定运行率", ">=95%")]


def test_adjacent_value_headings_over_a_run_twice_as_long_are_printed_row_by_row():
    # G-00004's second page: 年度指标值 and 实际完成值 side by side, their cells one row after another
    lines = ["三级指标", "指标2:水质检测样品数量", "指标1:供水水质达标率", "指标1:项目预算控制数", "年度指标值", "实际完成值",
             "＞=113份", "＞=110份", "＞=95%", "＞=96%", "＜=141万元", "＜=140万元"]
    decls = interpret_text(lines, file="t.txt", ident_prefix="t")
    assert [(i.name, i.target.raw, i.target.actual) for i in decls[0].indicators] == [
        ("指标2:水质检测样品数量", "＞=113份", "＞=110份"), ("指标1:供水水质达标率", "＞=95%", "＞=96%"),
        ("指标1:项目预算控制数", "＜=141万元", "＜=140万元")]
    # the 得分 heading printed beside them: its numbers follow the values in the same run
    rows = assemble.decode_columns(lines[:6] + ["得分"] + lines[6:] + ["8", "10", "9"])
    assert [r.values for r in rows] == [
        {"target": "＞=113份", "actual": "＞=110份", "score": "8"}, {"target": "＞=95%", "actual": "＞=96%", "score": "10"},
        {"target": "＜=141万元", "actual": "＜=140万元", "score": "9"}]


def test_a_table_printed_row_by_row_is_not_decoded_by_columns():
    # one cell per line, each name followed by its values: no run of values pairs with earlier names
    lines = ["三级指标", "年度指标值", "实际完成值", "培训人次", "≥500人次", "≥520人次", "培训合格率", "≥95%", "≥96%",
             "参训学员满意度", "≥90%", "≥92%"]
    assert assemble.decode_columns(lines) == []
    assert _rows(lines) == [("培训人次", "≥500人次"), ("培训合格率", "≥95%"), ("参训学员满意度", "≥90%")]
