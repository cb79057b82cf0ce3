"""Where a value ends in cells run together on one line (issue 22, reader8: the development forms written
as fused text, `evaluation.text_renditions`, read at 0.869 / 0.847 before these; their misses were value
boundaries and rows taken for a heading). Each case is a shape of the development forms' fused renditions,
written with rows of our own."""

from __future__ import annotations

from corpus.read.interpret import interpret_text

_HEAD = ["2021年项目支出绩效目标申报表", "项目名称：养殖场建设项目", "主管部门：某县民族事务委员会"]


def _read(lines: list[str]) -> list[tuple[str, str]]:
    decls = interpret_text(lines, file="t.txt", ident_prefix="t")
    return [(i.name, i.target.raw) for i in decls[0].indicators]


def test_rows_before_the_first_label_are_rows_not_a_heading():
    # rows whose level cells are empty stand between the header and the first label: with a value with
    # its operator among them they are rows, not a value column's heading (which widened every row to two
    # values and took a name's quantity for the target: '饲料库' = '120平米')
    lines = _HEAD + ["一级指标二级指标三级指标指标值新增特色产业数量≥1个养殖动物成活率≥95%时效指标开工时限2021年7月"
                     "成本指标打井、配电50000元饲料库120平米490元/平米围墙300米300元/米"]
    assert _read(lines) == [("新增特色产业数量", "≥1个"), ("养殖动物成活率", "≥95%"), ("开工时限", "2021年7月"),
                            ("打井、配电", "50000元"), ("饲料库120平米", "490元/平米"), ("围墙300米", "300元/米")]


def test_a_value_per_unit_a_deadline_each_year_and_scores_run_together():
    # '每亩300' ends a row as a number does; '每年12月底前' is one deadline; a 自评 row's target, actual and
    # two scores of the same digits ('10101010') are 10 10 10 10, and the scores' '1010' before the next
    # name's first character ('年度…') leave it to the name
    lines = _HEAD + ["一级指标二级指标三级指标指标值成本指标造林补助每亩300抚育补助每亩100时效指标每年返本分红时间每年12月底前"
                     "效益指标返本分红分几年=5年"]
    assert _read(lines) == [("造林补助", "每亩300"), ("抚育补助", "每亩100"), ("每年返本分红时间", "每年12月底前"),
                            ("返本分红分几年", "=5年")]
    lines = _HEAD + ["一级指标二级指标三级指标年度指标值全年实际值分值得分时效指标按期完成投资10101010"
                     "资金管理指标中央预算内投资支付率≥95%≥95%1010年度计划投资完成率≥95%≥95%1010"]
    assert _read(lines) == [("按期完成投资", "10"), ("中央预算内投资支付率", "≥95%"), ("年度计划投资完成率", "≥95%")]


def test_a_table_on_one_line_with_no_header():
    # the development forms' fused renditions with their header words taken out (reader8): a line with one
    # level label and three values glued after words is a table; two values of different units run
    # together are a quantity of the name and the target, not a target and its actual; a table of one row
    lines = _HEAD + ["年度目标 以产业补助的形式对64户脱贫户进行补助,增加脱贫户收入10.9304万元。",
                     "数量指标红薯种植面积5.5亩梨树种植面积6亩猪养殖数量80头新建水泥路1条2km"]
    assert _read(lines) == [("红薯种植面积", "5.5亩"), ("梨树种植面积", "6亩"), ("猪养殖数量", "80头"),
                            ("新建水泥路1条", "2km")]
    lines = _HEAD + ["年度目标新建中药材晾晒房一座,配套建设场坪和厕所。", "成本指标(0-20)分经济成本指标项目建设成本≤65万元"]
    assert _read(lines) == [("项目建设成本", "≤65万元")]
