"""A long-term indicator table printed above the year's with the same columns (长期绩效指标 / 年度绩效指标,
总目标绩效指标 / 本年度绩效指标: county and provincial 申报表 templates, generator trait 长期年度两表): the year's
table is the declaration's (issue 22, reader13)."""

from __future__ import annotations

from corpus.read.interpret import interpret_text, labels
from evaluation.generate_forms import generate
from evaluation.parse_eval import score_case


def test_table_headings_name_their_period():
    assert [labels.table_period(t) for t in ("长期绩效指标", "总目标绩效指标", "二、中期绩效指标", "年度绩效指标",
                                             "本年度绩效指标", "年度指标值", "长期目标", "绩效指标")] == \
        ["period", "period", "period", "annual", "annual", None, None, None]


def test_the_years_table_is_read_and_the_long_term_one_left_out():
    lines = ["项目支出绩效目标申报表", "项目名称：农村公路养护", "长期绩效指标",
             "一级指标\t二级指标\t指标内容\t指标值\t备注", "产出指标\t数量指标\t养护农村公路里程\t≥600公里\t",
             "年度绩效指标", "一级指标\t二级指标\t指标内容\t指标值\t备注", "产出指标\t数量指标\t养护农村公路里程\t≥120公里\t",
             "\t质量指标\t路面完好率\t≥90%\t"]
    decls = interpret_text(lines, file="t.txt", ident_prefix="t")
    assert [(i.name, i.target.raw) for d in decls for i in d.indicators] == [
        ("养护农村公路里程", "≥120公里"), ("路面完好率", "≥90%")]


def test_generated_forms_with_a_long_term_table_read_to_their_gold():
    # seed 2026: `|`, tab and one cell per line, each heading pair; before, both tables were read as one (twice
    # the rows, half of them the long-term values)
    wanted = ("G-00046", "G-00049", "G-00218", "G-00243", "G-00296")
    forms = {f.id: f for f in generate(300, 2026) if f.id in wanted}
    scores = {}
    for ident, form in forms.items():
        decls = interpret_text(form.text.splitlines(), file="t.txt", ident_prefix="t")
        score = score_case(form.case(), [i for d in decls for i in d.indicators])
        scores[ident] = (form.traits["长期年度两表"], score.expected, score.matched, score.found)
    assert scores == {"G-00046": ("中期绩效指标", 4, 4, 4), "G-00049": ("长期绩效指标", 6, 6, 6),
                      "G-00218": ("总目标绩效指标", 12, 12, 12), "G-00243": ("总目标绩效指标", 12, 12, 12),
                      "G-00296": ("长期绩效指标", 13, 13, 13)}


def test_an_explanation_broken_before_an_empty_note_column_goes_back_to_its_row():
    # a browser's copy (innerText) of a table whose 指标解释 cell holds a <br> and whose last column, 备注, is
    # empty: the explanation's rest and the empty cell stand on the next line; before, the rest went on with the
    # next row's name ('的全部对象' + '签约项目履约率': generated G-00070 of seed 2026 through chromium)
    lines = ["项目支出绩效目标申报表", "一级指标\t二级指标\t指标内容\t指标值\t指标解释\t备注",
             "产出指标\t数量指标\t举办招商推介活动次数\t≥50次\t指项目覆盖", "的全部对象\t\xa0",
             "质量指标\t签约项目履约率\t≥60%\t按计划完成得满分\t\xa0", "成本指标\t经济成本指标\t项目预算控制数\t≤120万元\t依据年度",
             "工作计划\t\xa0"]
    decls = interpret_text(lines, file="t.txt", ident_prefix="t")
    assert [(i.name, i.target.raw) for d in decls for i in d.indicators] == [
        ("举办招商推介活动次数", "≥50次"), ("签约项目履约率", "≥60%"), ("项目预算控制数", "≤120万元")]
