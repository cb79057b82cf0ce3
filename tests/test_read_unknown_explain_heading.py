"""An explanation column between the name and the value headed by a word no list holds (计算方法, 指标内涵,
评价要点 …: a template's own words), issue 22, reader8. The heading run into the target's ('指标内涵年度指标值'
in fused text, '评价要点' + '全年指标值' joined in a stream) is two columns: the one no list names stands
before the named target, so it is an explanation, not part of the target heading."""

from __future__ import annotations

from corpus.read.interpret import interpret_text, labels

_HEAD = ["2021年项目支出绩效目标申报表", "项目名称：宣传项目", "主管部门：某县委宣传部"]


def _read(lines: list[str]) -> list[tuple[str, str]]:
    decls = interpret_text(lines, file="t.txt", ident_prefix="t")
    return [(i.name, i.target.raw) for i in decls[0].indicators]


def test_a_heading_no_list_holds_run_into_the_target_heading_is_split_off():
    cells, _ = labels.header_words_run_together("绩效指标指标内涵年度指标值实际完成值得分", 0)
    assert cells == ["绩效指标", "指标内涵", "年度指标值", "实际完成值", "得分"]
    # built target headings keep their words; an explanation heading stays one
    assert labels.split_unknown_heading("全年预期目标") == ["全年预期目标"]
    assert labels.split_unknown_heading("实施期指标值") == ["实施期指标值"]
    assert labels.split_unknown_heading("评价要点全年指标值") == ["评价要点", "全年指标值"]
    assert labels.split_unknown_heading("值未完成原因") == ["值未完成原因"]
    assert labels.split_unknown_heading("计分方法计划完成值") == ["计分方法", "计划完成值"]
    assert labels.split_unknown_heading("计算方法全年预期目标") == ["计算方法", "全年预期目标"]
    # a header word's part or a year in the words before, or a part cut in two: one heading
    assert labels.split_unknown_heading("全年实际完成数") == ["全年实际完成数"]
    assert labels.split_unknown_heading("项目实施期目标值") == ["项目实施期目标值"]
    assert labels.split_unknown_heading("本年度计划完成值") == ["本年度计划完成值"]


def test_fused_rows_under_an_unknown_explanation_heading():
    lines = _HEAD + ["绩效指标指标内涵年度指标值实际完成值得分",
                     "购置设备数量按计划完成得满分>=243台（套）>=243台（套）8",
                     "资产登记入账率依据年度工作计划=100%=100%8",
                     "采购资金节约率考核年度内完成情况>=52%>=52%10",
                     "设备完好率指项目覆盖的全部对象>=95%>=95%10"]
    assert _read(lines) == [("购置设备数量", ">=243台(套)"), ("资产登记入账率", "=100%"),
                            ("采购资金节约率", ">=52%"), ("设备完好率", ">=95%")]


def test_one_cell_per_line_under_an_unknown_explanation_heading():
    lines = _HEAD + ["", "一级指标", "二级指标", "指标名称", "评价要点", "全年指标值", "", "半年指标值",
                     "一、产出指标", "一、数量指标", "开展宣传活动次数", "按计划完成得满分", "≥22次", "≥12次",
                     "发布新闻稿件数量", "以年底实际完成数为准", "≥138篇", "≥68篇",
                     "二、质量指标", "稿件差错率", "依据年度工作计划", "≤0.1%", "≤0.2%"]
    assert _read(lines) == [("开展宣传活动次数", "≥22次"), ("发布新闻稿件数量", "≥138篇"), ("稿件差错率", "≤0.1%")]


def test_spaced_rows_with_no_header_a_qualitative_target_before_its_explanation():
    # no header: a qualitative target ('中长期', '有效改善农村人居环境') is the row's value and the words after
    # it the explanation (both were text to an explanation column, the first cell taking it)
    lines = _HEAD + ["", "一、数量指标(20分)  粪肥还田利用面积    ≧106亩    数据来源于主管部门统计",
                     "二、质量指标(20分)   秸秆综合利用率   ≧86%   考核年度内完成情况",
                     "一、可持续影响指标(20分)   粪污处理设施正常运行率   有效改善农村人居环境   数据来源于主管部门统计",
                     "二、经济效益指标(20分)    养殖场户节本增收    中长期    指项目覆盖的全部对象"]
    assert _read(lines) == [("粪肥还田利用面积", "≧106亩"), ("秸秆综合利用率", "≧86%"),
                            ("粪污处理设施正常运行率", "有效改善农村人居环境"), ("养殖场户节本增收", "中长期")]
