"""自评表 (self-evaluation forms) as published templates print them: the target column chosen by its heading or,
with none, by what the cells are (a weight is a small bare number before the values, an actual follows the target,
a deviation text is prose); the funds block, the 年度总体目标 block and the 总分 / 合计 row are no indicators.
Gold is the generator's (`evaluation.generate_forms`, trait 自评表式样: 财政部's 项目支出绩效自评表 of 财预〔2020〕10号,
四川's 部门预算项目支出绩效自评表, and our own orders of their columns)."""

from __future__ import annotations

import zlib

from corpus.read.interpret import interpret_text, labels
from corpus.read.interpret.cells import SECOND, align
from evaluation.generate_forms import generate


def _rows(text: str) -> list[tuple[str, str]]:
    decls = interpret_text(text.splitlines(), file="t.txt", ident_prefix="t")
    return [(i.name, i.target.raw) for d in decls for i in d.indicators]


def test_self_evaluation_headings_and_values():
    # '实际完成指标值': 实际 qualifies the bare 指标值, one heading (it read as two header words run together)
    assert labels.header_role("实际完成指标值") == "actual"
    assert labels.header_role("实际完成值年度指标值") is None  # two headings run together stay none
    # what a 自评表 writes as the actual of a qualitative target is a value, never a name
    assert all(labels.is_short_value_word(w) for w in ("达成预期指标", "基本达成", "部分达成", "未达成"))
    assert labels.opens_total_row("合计  100  87.5") and labels.opens_total_row("总分")
    assert not labels.opens_total_row("总分馆建设数量")


def test_a_role_a_header_names_twice_keeps_both_cells():
    # 分值 and 得分 both read as scores; an explanation before the target and a deviation text after the values
    roles = ["explain", "target", "actual", "score", "score", "explain"]
    cells = ["依据年度工作计划", "≥95%", "96%", "10", "9.5", "资金于5月才下达，项目进度滞后"]
    assert align(cells, roles, twice=True) == {"explain": "依据年度工作计划", "target": "≥95%", "actual": "96%",
                                              "score": "10", "score" + SECOND: "9.5",
                                              "explain" + SECOND: "资金于5月才下达，项目进度滞后"}
    # the default guess of a headerless table holds two explanation places as alternatives: one cell each
    assert "explain" + SECOND not in align(cells, roles)


# one form of each style (seed 2026), in several separators, with and without header, funds block and 总分 row;
# before this pass: G-00313 0 of 12 (the funds block's goal prose and a split row read as sentences), G-00410
# 0 of 8 (records keyed 实际完成指标值), G-00588 11 of 12 (a deviation text joined to the next name), G-01668
# 3 of 7 (a `|` header broken after its name column read as cells a line each), G-00165 10 of 11
_FORMS = {"G-00313": ("财政部", "spaces"), "G-00008": ("财政部", "cell_lines"), "G-00017": ("完成率", "one_line"),
          "G-00081": ("完成率", "tab"), "G-00410": ("预期实际", "records"), "G-00659": ("预期实际", "pipe"),
          "G-00272": ("四川", "pipe"), "G-00429": ("四川", "whole_page"), "G-00588": ("分值在前", "blank_lines"),
          "G-00165": ("分值在前", "blank_lines"), "G-00676": ("分值在前", "tab"), "G-01668": ("预期实际", "pipe")}


def test_generated_self_evaluations_of_every_style_read_to_their_gold():
    forms = {f.id: f for f in generate(1700, 2026, value_traits=False) if f.id in _FORMS}
    assert {i: (f.traits["自评表式样"], f.traits["分隔"]) for i, f in forms.items()} == _FORMS
    for ident, form in forms.items():
        assert _rows(form.text) == [(r.name, r.value) for r in form.rows], ident


def test_the_actual_differs_from_the_target_and_blocks_stand_above():
    form = next(f for f in generate(20, 2026, value_traits=False) if f.id == "G-00008")
    assert form.above[0][:3] == ["项目资金（万元）", "年初预算数", "全年预算数"] and form.above[-2][0] == "年度总体目标"
    roles = form.roles
    body = form.grid[1:]
    differ = [r for r in body if r[roles.index("actual")] != r[roles.index("target")]]
    assert len(differ) >= len(body) // 2


def test_the_style_trait_leaves_every_other_form_as_it_was():
    # the 1,871 forms of the 2,000 (seed 2026) that are no styled 自评表 are those of the generator before the
    # trait (main 63e858a): the crc32 of their texts, and 129 forms are styled
    forms = generate(2000, 2026, value_traits=False)
    styled = [f for f in forms if f.traits["自评表式样"] not in ("—", "原样")]
    assert len(styled) == 129
    others = "\n".join(f.text for f in forms if f not in styled)
    assert zlib.crc32(others.encode("utf-8")) == CRC_OF_OTHERS


CRC_OF_OTHERS = 992114248  # measured with main 63e858a's generator on the same 1,871 forms


def test_a_deviation_text_wrapped_in_its_cell_is_one_cell_again():
    # a one-cell-a-line text layer (PyMuPDF, pypdf): a 自评表's deviation text cut at its column's width; its lines
    # go on while they hold a clause break or start with one, its last line where it does not end as a name does
    from corpus.read.interpret.cellpieces import join_wrapped_cells
    lines = ["指标1补助对象公示率", "10", "=100%", "=100%", "10", "受疫情影响，部分", "活动延期，实际完", "成54%，下年度加",
             "强进度管理", "指标1项目预算控制数", "10", "=<38.3万", "元", "=<38.8万", "元", "10", "资金于4月才下达",
             "，项目进度滞后，", "将提前谋划", "指标1城镇新增就业人数"]
    assert [line for line in join_wrapped_cells(lines) if line] == [
        "指标1补助对象公示率", "10", "=100%", "=100%", "10", "受疫情影响，部分活动延期，实际完成54%，下年度加强进度管理",
        "指标1项目预算控制数", "10", "=<38.3万元", "=<38.8万元", "10", "资金于4月才下达，项目进度滞后，将提前谋划",
        "指标1城镇新增就业人数"]
