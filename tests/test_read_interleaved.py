"""A PDF text layer of a table whose cells wrap (issue 22, seventh pass): every cell wider than its column
wraps, the fragments of a row's cells print on shared lines (a short cell on the middle line of its row,
a merged level on the middle line of its block), with single spaces or with the columns' positions kept.
`wraps.join_interleaved` puts the fragments back into their cells before rows are decoded."""

from __future__ import annotations

from corpus.read.interpret import interpret_text, wraps
from evaluation.generate_forms import generate
from evaluation.parse_eval import score_case


def _read(lines: list[str]) -> list[tuple[str, str]]:
    decls = interpret_text(lines, file="t.txt", ident_prefix="t")
    return [(i.name, i.target.raw) for d in decls for i in d.indicators]


# the name column 9 characters wide, the explanation 6, the value 5; cells at their row's middle
_SINGLE_SPACES = ["项目支出绩效目标表", "项目名称：农村饮水安全工程维修养护",
                  "一级指标 二级指标 三级指标 指标解释 指标值",
                  "开展农村饮水安全工 以验收报告为",      # the name and the explanation, first lines
                  "数量指标 ≥120处",                     # the level and the value at the row's middle
                  "程维修养护处数 准",
                  "维修养护工程验收合",
                  "产出指标 质量指标 按验收报告 ≥95%",     # a merged level at its block's middle
                  "格率",
                  "以竣工日期为 2025年12月",             # the explanation and the value cut after 月
                  "时效指标 工程完工时间",
                  "准 31日前",
                  "效益指标 社会效益指标 受益人口数 以户籍人口计 ≥3.5万人",  # a short row on one line
                  "填报说明：本表由项目单位填写。"]
_GOLD = [("开展农村饮水安全工程维修养护处数", "≥120处"), ("维修养护工程验收合格率", "≥95%"),
         ("工程完工时间", "2025年12月31日前"), ("受益人口数", "≥3.5万人")]


def test_single_spaced_fragments_are_put_back_into_their_cells():
    assert _read(_SINGLE_SPACES) == _GOLD


def test_a_row_printed_over_lines_becomes_one_line_of_cells():
    joined = wraps.join_interleaved(_SINGLE_SPACES)
    assert joined[3] == "数量指标  开展农村饮水安全工程维修养护处数  以验收报告为准  ≥120处"
    assert joined[4] == joined[5] == ""  # the lines it took are left empty: every other line keeps its number
    assert joined[12] == _SINGLE_SPACES[12]  # a row printed on one line stays as printed


def _at(*cells: tuple[int, str]) -> str:
    line = ""
    for start, text in cells:
        line += " " * max(start - len(line), 2 if line else 0) + text
    return line


# pdftotext -layout: each fragment under its column's heading, cells at their row's top; a value wraps
# before its unit
_KEPT = ["项目支出绩效目标表", "项目名称：农村公路养护",
         _at((0, "一级指标"), (10, "二级指标"), (20, "三级指标"), (32, "年度指标值"), (42, "备注")),
         _at((0, "产出指标"), (10, "数量指标"), (20, "农村公路日常养护里"), (32, "≥1200.5"), (42, "无")),
         _at((20, "程"), (32, "公里")),
         _at((10, "质量指标"), (20, "路面技术状况指数"), (32, "≥80")),
         _at((10, "时效指标"), (20, "农村公路养护资金到"), (32, "=100%")),
         _at((20, "位率")),
         _at((0, "满意度指标"), (10, "服务对象满意度"), (20, "沿线群众满意度"), (32, "≥90%")),
         "填报说明：本表由项目单位填写。"]


def test_fragments_under_their_columns_join_by_position():
    assert _read(_KEPT) == [("农村公路日常养护里程", "≥1200.5公里"), ("路面技术状况指数", "≥80"),
                            ("农村公路养护资金到位率", "=100%"), ("沿线群众满意度", "≥90%")]


def test_a_value_goes_on_only_with_what_can_follow_it():
    assert wraps._value_goes_on("≥120", "处", False)            # a unit after its number
    assert wraps._value_goes_on("≥", "12134人次", False)         # a number after its operator
    assert wraps._value_goes_on("2025年12月", "31日前", False)    # a day after its month
    assert wraps._value_goes_on("=481元/", "生·年", False)       # a per-unit's rest
    assert wraps._value_goes_on("≥12134人", "次", False)         # the rest of a unit
    assert wraps._value_goes_on(">=102件", "（套）", False)       # a unit's alternative in brackets
    assert not wraps._value_goes_on("≥95%", "（含）", False)      # no unit before the bracket
    assert wraps._value_goes_on("29.7人次以", "上", True)        # words cut at the column's width
    assert not wraps._value_goes_on("≥81096人次", "人次", True)  # a second unit: a name's tail
    assert not wraps._value_goes_on("群众生活水平明显提高", "中长期", True)  # two whole values: two rows
    assert not wraps._value_goes_on("≥95%", "≥90%", True)        # a new value starts with its operator


def test_generated_forms_of_cells_wrapped_on_shared_lines_read_back():
    # the trait 多列折行 among 800 forms of seed 2026 (20 forms): without the join 16 of 74 (positions kept)
    # and 32 of 99 (single spaces) rows were read, with 131 and 129 rows read; single spaces rose from 64 to
    # 69 of 99 (85 → 93 found) when the rows above a headerless table's first line of labels were read
    # with it (locate._spaced_rows_above, issue 22), then to 72 (96 found) when a unit's alternative in
    # brackets ('≥102件' / '（套）') went on with its value; 95 found (one extra row fewer) when a line of values
    # alone went on with a centred row that had its name and no value (wraps._centred_part, reader10), 94 when
    # a level label's cut piece with no value made no row (labels.label_piece, reader10); 69 of 74 (75 found)
    # and 88 of 99 (101 found) when rows were also cut by the layout of their lines (linelayout, reader13); 70 of
    # 74 (74 found) and 89 of 99 (103 found) when a table's rows were all cut at their top or all at their middle
    figures: dict[str, tuple[int, int, int]] = {}
    for form in generate(800, 2026, value_traits=False):
        if not form.traits["多列折行"].startswith("是"):
            continue
        decls = interpret_text(form.text.splitlines(), file="t.txt", ident_prefix="t")
        score = score_case(form.case(), [i for d in decls for i in d.indicators])
        rows, matched, found = figures.get(form.traits["多列折行"], (0, 0, 0))
        figures[form.traits["多列折行"]] = (rows + score.expected, matched + score.matched, found + score.found)
    # (保留位置 71 when a bare framework word under the name column is the name's, and a 自评表's 绩效指标
    # column heads no column, reader13)
    assert figures == {"是·保留位置": (74, 71, 74), "是·单空格": (99, 89, 103)}


def test_a_level_label_wrapped_in_its_cell_is_joined():
    # a narrow level column: the score of '2.质量指标（30分）' cut onto the row's last line ('分）'), as
    # pdfplumber prints a generated form rendered to .pdf (evaluation.renditions)
    lines = ["项目支出绩效目标表", "项目名称：农村饮水安全工程维修养护", "一级指标 二级指标 三级指标 指标值",
             "开展农村饮水安全工", "1.产出指标（30分） 1.数量指标（30分） ≥120处", "程维修养护处数",
             "2.质量指标（30 维修养护工程验收合", "≥95%", "分） 格率",
             "2.效益指标（30分） 1.社会效益指标（30分） 受益人口数 ≥3.5万人", "填报说明：本表由项目单位填写。"]
    decls = interpret_text(lines, file="t.txt", ident_prefix="t")
    assert [(i.level2, i.raw_level2, i.name, i.target.raw) for i in decls[0].indicators] == [
        ("数量", "1.数量指标（30分）", "开展农村饮水安全工程维修养护处数", "≥120处"),
        ("质量", "2.质量指标（30分）", "维修养护工程验收合格率", "≥95%"),
        ("社会效益", "1.社会效益指标（30分）", "受益人口数", "≥3.5万人")]


def test_rows_that_never_wrapped_are_left_as_printed():
    lines = ["一级指标 二级指标 三级指标 指标值", "产出指标 数量指标 培训人次 ≥500人次", "质量指标 培训合格率 ≥95%",
             "满意度指标 服务对象满意度指标 学员满意度 ≥90%"]
    assert wraps.join_interleaved(lines) == lines


def test_a_lone_explanation_line_does_not_widen_the_name_column():
    # G-00267 of seed 2026 (trait 多列折行 单空格, no header, names 7 characters wide, explanations 8): lone
    # explanation lines ('数据来源于主管部') placed in the name column made its width 8, so no name filled
    # it and no row was joined; the rows that show both columns give the name its width 7
    form = next(f for f in generate(300, 2026, value_traits=False) if f.case()["id"] == "G-00267")
    lines = form.text.splitlines()
    joined = wraps.join_interleaved(lines)
    assert joined[7] == "受灾群众救助人次 >=80767人次 考核年度内完成情况"   # single spaces, as the table's rows
    assert joined[8] == ""
    assert joined[9] == "开展应急演练次数 >=45次 反映项目实施的实际情况"
    assert joined[21] == "灾害预警信息发布覆盖率 >=95% 完成得满分，未完成按比例扣分"
    assert joined[29] == "应急响应启动时限 <=2小时 指项目覆盖的全部对象"


def test_rows_above_a_headerless_tables_first_line_of_labels_are_read():
    # G-00267 again: its level labels stand at their blocks' middle, so the first line holding two labels is
    # the table's last row; the single-spaced rows above it (the lines the join took left empty) are rows of
    # the table too. Before, only that last row was read (1 of 12); now every row is read, 9 as the scorer's
    # gold (those below exactly; '储备应急物资数量' reads '>=102件(套)', its bracket half-width); the lone
    # fragments '门统计' (an explanation's last line between a name's lines) went to the name until rows were cut
    # by the layout of their lines (linelayout, reader13): two rows more as gold; and '数量', a name's tail that is a
    # bare framework word in a table whose labels carry a score, was read as a label: one more
    form = next(f for f in generate(300, 2026, value_traits=False) if f.case()["id"] == "G-00267")
    read = _read(form.text.splitlines())
    gold = {(i["name"], i["value"]) for i in form.case()["indicators"]}
    assert [pair for pair in read if pair in gold] == [
        ("受灾群众救助人次", ">=80767人次"), ("开展应急演练次数", ">=45次"), ("灾害隐患点监测数量", ">=19535处"),
        ("应急物资完好率", ">=95%"),
        ("灾害预警信息发布覆盖率", ">=95%"), ("受灾群众12小时内得到初步救助率", "=100%"), ("应急响应启动时限", "<=2小时"),
        ("项目预算控制数", "<=81.4万元"),
        ("因灾死亡失踪人数", "=0人"), ("受灾群众满意度", ">=90%")]
    assert len(read) == 12
