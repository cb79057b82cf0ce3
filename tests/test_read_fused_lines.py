"""Cells run together within each row, a row a line (a document site's preview), issue 22, fifth pass:
with no header the lines are found as rows run together (words then a value, a level label among them,
or values of several units: a list of amounts is a budget, not a table); a header whose words ran
together with no anchor word ('绩效指标评分标准年度指标值…') is a header; each line ends its row."""

from __future__ import annotations

from corpus.read.interpret import interpret_text
from corpus.read.interpret.locate import _fused_rows

_ROWS = [("产出指标", "数量指标", "新建农村公路里程", "≥12公里"), ("", "质量指标", "工程验收合格率", "≥95%"),
         ("效益指标", "可持续影响指标", "道路使用年限", "≥10年"), ("满意度指标", "服务对象满意度指标", "受益群众满意度", "≥90%")]
_HEAD = ["2021年项目支出绩效目标申报表", "项目名称：农村公路建设项目", "主管部门：某镇人民政府"]


def _read(lines: list[str]) -> list[tuple[str, str]]:
    decls = interpret_text(lines, file="t.txt", ident_prefix="t")
    return [(i.name, i.target.raw) for i in decls[0].indicators]


def test_fused_rows_without_header():
    lines = _HEAD + ["".join(row) for row in _ROWS]
    assert _read(lines) == [(r[2], r[3]) for r in _ROWS]


def test_a_list_of_amounts_is_no_table():
    lines = ["国有林场森林防火交通工具20万元", "防火隔离带建设50万元", "义务植树及林地改造项目40万元", "竹资源提质增效46万元"]
    assert _fused_rows(lines) is None


def test_a_fused_header_with_no_anchor_word_and_a_row_a_line():
    lines = _HEAD + ["绩效指标评分标准年度指标值实际完成值得分",
                     "购置设备数量按计划完成得满分>=243台（套）>=243台（套）8",
                     "资产登记入账率依据年度工作计划=100%=100%8",
                     "设备验收合格率完成得满分，未完成按比例扣分=100%=100%10"]
    assert [name for name, _ in _read(lines)] == ["购置设备数量", "资产登记入账率", "设备验收合格率"]


def test_generated_fused_rows_a_line_each_read_back():
    from evaluation.parse_eval import by_trait, evaluate_generated
    results, _ = evaluate_generated(300, 5, value_traits=False)
    figures = {value: (t["rows"], t["matched"], t["read"]) for trait, value, t in by_trait(results)
               if trait == "逐行粘连"}
    # 2000 forms of seed 2026: 0.684 / 0.828 before the fifth pass's fused-line reading, 0.899 / 0.923 after
    # it, 0.962 / 0.975 after reader8's (a line holds one row; 是 here 139 / 143 before, 155 / 156 after)
    # (— rose from 2302 to 2305 matched when a headerless 多列折行 table took its explanation column, issue 22;
    # 2350 read fell to 2345, the same 2305 matched, when a wrapped label's piece and a one-character name made
    # no row, reader10)
    # (— rose to 2310 of 2343 read when a text layer's rows were cut by the layout of their lines, reader13)
    # (one row more matched and read since the generator's 自评表左列 forms end with their 总分 row, reader13)
    # (— 2295 of 2344 read since the trait 自评表式样 prints some 自评表 as published templates do, reader17; main
    # 63e858a's reader reads the same forms at 2282)
    # (2336 read when a wrapped deviation text's line cut before its sentence's end made no row, reader17)
    # (merged reader16 + reader17: — 2298 of 2334 read)
    # (reader19: a value written with its operator, unit or % is no explanation's words, so a headerless row's first
    # value is its target, not an explanation spared the leading gap's cost: — 2298 → 2303 matched)
    # (reader19: a heading no list holds between a header's words and a lone header word among the rows kept as the
    # row's cell, a broken explanation no wrapped name's tail: — 2303 → 2306 matched)
    # (reader19: with no header both places of an explanation are the row's, an explanation before the value and a
    # deviation text after it, and 来源于 is an explanation's word: — 2306 → 2312 matched)
    # (reader19: a 自评表's 完成率 column, a bare percentage between the actual and the scores, is a role of a row read
    # with no header, not the target's next column: — 2312 → 2321 matched, G-00286)
    # reader20 (a label's pieces off names, a label's last line below its row joined to it): one row more, one
    # extra row fewer
    # (merged reader19 + reader20, measured on the merged main: — 2322 matched, 否 99 read)
    assert figures == {"—": (2342, 2322, 2334), "否": (99, 95, 99), "是": (156, 155, 156)}


def test_a_line_holds_one_row_so_a_number_before_its_value_is_the_names():
    # issue 22, reader8: a row a line, no header: of the value runs of a line, the one with its operator
    # is the row's value, a number before it is part of the name; the first line's end is a row end too
    lines = _HEAD + ["健康教育讲座（活动）次数≥56.7次", "受灾群众12小时内得到初步救助率=100%",
                     "PM10年均浓度≤57.7微克/立方米", "孕产妇系统管理率≥90%"]
    assert _read(lines) == [("健康教育讲座(活动)次数", "≥56.7次"), ("受灾群众12小时内得到初步救助率", "=100%"),
                            ("PM10年均浓度", "≤57.7微克/立方米"), ("孕产妇系统管理率", "≥90%")]


def test_an_explanation_starting_with_a_value_word_is_no_value():
    # '…8' + '完成得满分，…': the row's target, actual and score are read; 完成 starts the explanation
    lines = _HEAD + ["绩效指标年度指标值实际完成值得分指标解释",
                     "绿化美化道路长度>=43米>=43米10以年底实际完成数为准",
                     "新增绿化面积>=36055平方米>=36055平方米8完成得满分，未完成按比例扣分",
                     "苗木成活率>=95%>=95%5以年底实际完成数为准"]
    decls = interpret_text(lines, file="t.txt", ident_prefix="t")
    assert [(i.name, i.target.raw, i.target.actual) for i in decls[0].indicators] == [
        ("绿化美化道路长度", ">=43米", ">=43米"), ("新增绿化面积", ">=36055平方米", ">=36055平方米"),
        ("苗木成活率", ">=95%", ">=95%")]


def test_rows_a_line_each_below_goals_that_restate_them():
    # issue 22, reader8: the year's goals above the table say some rows again as sentences; they are no
    # more indicators than the table holds, so the table (rows a line each, no header, a label printed on
    # its block's middle row, names numbered '指标1:', a scoring rule with a comma) is read, not the sentences
    lines = _HEAD + ["年度绩效目标：", "目标1：新建农村公路里程达到≥12公里，确保项目按期完成。",
                     "目标2：工程验收合格率达到≥95%，确保项目按期完成。", "",
                     "指标1:新建农村公路里程依据年度工作计划≥12公里",
                     "产出指标(50分)数量指标(30分)指标2:新建桥梁座数完成得满分，未完成按比例扣分≥3座",
                     "质量指标(20分)指标1:工程验收合格率考核年度内完成情况≥95%",
                     "效益指标(50分)社会效益指标(50分)指标1:受益群众人数反映项目实施的实际情况≥1500人"]
    assert _read(lines) == [("指标1:新建农村公路里程", "≥12公里"), ("指标2:新建桥梁座数", "≥3座"),
                            ("指标1:工程验收合格率", "≥95%"), ("指标1:受益群众人数", "≥1500人")]


def test_a_weight_glued_before_the_value_under_labels_on_lines_of_their_own():
    # issue 22, reader8: '指标1:名称' + weight + value, a row a line, the labels on lines of their own above
    lines = _HEAD + ["", "1.产出指标", "1.数量指标", "指标1:栽植苗木数量5>=74615株", "指标2:新建道路长度10>=12公里",
                     "2.质量指标", "指标1:苗木成活率15>=95%", "2.效益指标", "1.社会效益指标", "指标1:受益群众人数10>=1500人"]
    decls = interpret_text(lines, file="t.txt", ident_prefix="t")
    assert [(i.level1, i.name, i.target.raw) for i in decls[0].indicators] == [
        ("产出", "指标1:栽植苗木数量", ">=74615株"), ("产出", "指标2:新建道路长度", ">=12公里"),
        ("产出", "指标1:苗木成活率", ">=95%"), ("效益", "指标1:受益群众人数", ">=1500人")]


def test_a_line_holding_one_row_ends_its_value_where_a_name_could_not():
    # issue 22, reader8: on a line holding one row a qualitative target's object ('农村人居环境') and a
    # one-character unit before the actual ('盏') are the value's; a target said twice with an OCR symbol
    # between and an explanation before it; a cue word a name's ending follows ('计划完成率') is the name's
    lines = _HEAD + ["绩效指标年度指标值实际完成值得分",
                     "维护路灯盏数≥77.8盏≥77.8盏8",
                     "执法检查计划完成率=100%=100%10",
                     "人居环境整治村数量有效改善农村人居环境$有效改善农村人居环境5",
                     "群众满意度≥90%≥90%10"]
    assert _read(lines) == [("维护路灯盏数", "≥77.8盏"), ("执法检查计划完成率", "=100%"),
                            ("人居环境整治村数量", "有效改善农村人居环境"), ("群众满意度", "≥90%")]
    lines = _HEAD + ["绩效指标指标解释年度指标值实际完成值得分",
                     "维护路灯盏数按计划完成得满分≥77.8盏≥77.8盏8",
                     "人居环境整治村数量以年底实际完成数为准有效改善农村人居环境有效改善农村人居环境5",
                     "群众满意度以年底实际完成数为准≥90%≥90%10"]
    assert _read(lines) == [("维护路灯盏数", "≥77.8盏"), ("人居环境整治村数量", "有效改善农村人居环境"),
                            ("群众满意度", "≥90%")]
    lines = _HEAD + ["三级指标指标值", "家庭医生签约服务覆盖率有效改善农村人居环境", "高血压患者规范管理率≥60%",
                     "孕产妇系统管理率≥90%"]
    assert _read(lines)[0] == ("家庭医生签约服务覆盖率", "有效改善农村人居环境")


def test_a_weight_beside_a_qualitative_target_is_no_part_of_the_name_nor_the_target():
    # issue 22, reader8: a weight column before the target glued to the name's end ('新增粮食产能5' +
    # '中长期中长期5'), and a weight after a qualitative target ('…有效改善农村人居环境15')
    lines = _HEAD + ["绩效指标分值年度指标值实际完成值得分", "新增粮食产能5中长期中长期5", "受益农户数5明显改善明显改善5",
                     "灌溉达标面积15≥300亩≥300亩10"]
    assert _read(lines) == [("新增粮食产能", "中长期"), ("受益农户数", "明显改善"), ("灌溉达标面积", "≥300亩")]
    lines = _HEAD + ["三级指标指标值权重", "区域性重大动物疫情发生数有效改善农村人居环境15", "动物免疫密度≥90%10",
                     "养殖损失减少比例明显改善15"]
    assert _read(lines) == [("区域性重大动物疫情发生数", "有效改善农村人居环境"), ("动物免疫密度", "≥90%"),
                            ("养殖损失减少比例", "明显改善")]
