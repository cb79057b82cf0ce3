"""A cell's wrapped lines in a text of one cell per line (pypdf, PyMuPDF, pdftotext's blocks) joined before
the stream is decoded (`corpus.read.interpret.cellpieces`). Lines are from our own generated forms' PDF text
layers (seed 2026), never from sealed forms."""

from __future__ import annotations

from corpus.read.interpret import interpret_text
from corpus.read.interpret.cellpieces import join_wrapped_cells


def test_a_label_wrapped_over_lines_is_one_cell():
    assert join_wrapped_cells(["数量类(5", "0分)(必", "填)", "指标1:技术培训人次"]) == \
        ["数量类(50分)(必填)", "", "", "指标1:技术培训人次"]
    # a label that grows by pieces that are none ('1、产出' is a label alone), the longest label wins
    assert join_wrapped_cells(["1、产出", "指标(50", "分)", "指标1市容秩序巡查次数"]) == \
        ["1、产出指标(50分)", "", "", "指标1市容秩序巡查次数"]
    assert join_wrapped_cells(["(一)服", "务对象", "满意度", "指标(50", "分)", "养殖户满意度"]) == \
        ["(一)服务对象满意度指标(50分)", "", "", "", "", "养殖户满意度"]
    # two labels are two cells
    assert join_wrapped_cells(["产出指标", "数量指标", "培训人次"]) == ["产出指标", "数量指标", "培训人次"]


def test_a_heading_a_value_and_a_word_cut_at_their_cells_width():
    assert join_wrapped_cells(["二级指", "标", "绩效指标"]) == ["二级指标", "", "绩效指标"]
    assert join_wrapped_cells([">=8.7公", "斤", "考核年度内完成情况"]) == [">=8.7公斤", "", "考核年度内完成情况"]
    assert join_wrapped_cells(["<=70.9元", "/公斤", "指标2"]) == ["<=70.9元/公斤", "", "指标2"]
    assert join_wrapped_cells(["细颗粒物（PM2.5）年均浓", "度", "10"]) == ["细颗粒物（PM2.5）年均浓度", "", "10"]
    # a split value's number and its unit cell stay two cells; a short value after a name stays apart
    assert join_wrapped_cells(["培训人次", "500", "人次"]) == ["培训人次", "500", "人次"]
    assert join_wrapped_cells(["良种繁育基地持续运营年限", "长期"]) == ["良种繁育基地持续运营年限", "长期"]


def test_rows_whose_lines_hold_several_cells_are_left_to_the_row_readers():
    # G-00130 of seed 2026 as pdftotext -raw gives it: rows a line, their wrapped cells' tails on lines below
    lines = ["1.产出(20分) 1.时效(20分) 指标1扶助金发放及时率 =100% 5",
             "1.产出(20分) 2.成本(20分) 指标1项目预算控制数 ＜＝61万元 15",
             "1.产出(20分) 2.成本(20分) 指标2特别扶助金标准", "=18.2元/人·", "月", "10",
             "2.效果(20分) 1.社会效益(20分)", "指标1符合条件对象扶助覆盖", "率", "=100% 15"]
    assert join_wrapped_cells(lines) == lines


def test_a_generated_forms_stream_reads_back_its_gold():
    # G-00119 of seed 2026 as PyMuPDF's get_text() gives it (one piece of a cell a line); main read 10 of its
    # 13 rows (15 read: '数量类(5' = '0分)(必', '指标1:发放（推广）良种数量' = '>=8.7公' …)
    lines = """一级指标
二级指
标
绩效指标
指标值
评分标准
项目完成类(50分)(必
填)
数量类(5
0分)(必
填)
指标1:发放（推广）良种数量
>=8.7公
斤
考核年度内完成情况
指标2:技术培训人次
>=31.2人
次
指项目覆盖的全部对象
成本类(5
0分)(必
填)
指标1:项目预算控制数
<=19.7万
元
按计划完成得满分
指标2:良种采购单价
<=70.9元
/公斤
完成得满分，未完成按比例扣
分
项目效益类(50分)(必
填)
社会效
益类(50
分)(必填)
指标1:受益农户数
>=138户
以年底实际完成数为准""".splitlines()
    decls = interpret_text(["专项项目支出绩效目标表", "项目名称：专项资金项目"] + lines, file="t.txt", ident_prefix="t")
    assert [(i.name, i.target.raw, i.level1, i.level2) for d in decls for i in d.indicators] == [
        ("指标1:发放（推广）良种数量", ">=8.7公斤", "产出", "数量"),
        ("指标2:技术培训人次", ">=31.2人次", "产出", "数量"),
        ("指标1:项目预算控制数", "<=19.7万元", "产出", "成本"),
        ("指标2:良种采购单价", "<=70.9元/公斤", "产出", "成本"),
        ("指标1:受益农户数", ">=138户", "效益", "社会效益")]


def test_a_level_label_run_into_the_next_cell_is_two_cells():
    from corpus.read.interpret.labels import glued_label
    from corpus.read.interpret.textrows import flatten

    # pypdf's extraction_mode="layout" prints a cell that fills its column against the next one
    assert glued_label("(一)产出指标(50分)(必填)施工工地扬尘防控措施落实率") == len("(一)产出指标(50分)(必填)")
    assert glued_label("(一)生态效益指标(50分)(PM10年均浓度") == len("(一)生态效益指标(50分)")
    # only a note's closing bracket ends a label: a name that starts with a framework word stays whole
    assert [glued_label(t) for t in ("产出指标完成率", "(一)产出指标(50分)(必填)", "服务对象满意度(%)")] == [0, 0, 0]
    # G-00030 of seed 2026 (pypdf layout mode): the second level and the name in one run of characters
    lines = ["一级指标         二级指标          绩效指标                   实施期指标值     年度指标值",
             "实施效果指标     (一)产出指标(50分)指标1：走访慰问对象人数             ≥89449人    ＞＝79449人"]
    assert [c.text for c in flatten(lines).rows[1].cells] == \
        ["实施效果指标", "(一)产出指标(50分)", "指标1：走访慰问对象人数", "≥89449人", "＞＝79449人"]


def test_a_value_cut_by_a_page_break_gets_its_units_rest_back():
    # G-00044 of seed 2026 as PyMuPDF gives it: the row split across the break (PDF跨页断行), its target and
    # actual cut inside their unit, the rest after the next page's running title and page mark
    lines = ["单位面积养护成本", "5", "≦65.9元/平方", "≦65.9元/平方", "10", "8", "资金未及时到位", "", "",
             "第2页共2页", "米·年", "米·年", "因设施缺陷引发安全事故数", "10", "=0起"]
    assert join_wrapped_cells(lines) == [
        "单位面积养护成本", "5", "≦65.9元/平方米·年", "≦65.9元/平方米·年", "10", "8", "资金未及时到位", "", "",
        "第2页共2页", "", "", "因设施缺陷引发安全事故数", "10", "=0起"]
    # the header printed again is a break too; a header's first print follows no row
    lines = ["一级指标", "指标名称", "全年指标值", "指标1:单车年运行维护费用", "<=11.0万元/", "一级指标", "指标名称",
             "全年指标值", "辆", "指标1:车辆使用年限", ">=8年"]
    assert join_wrapped_cells(lines)[4:9] == ["<=11.0万元/辆", "一级指标", "指标名称", "全年指标值", ""]


def test_tab_cells_broken_by_a_line_break_are_joined_only_beside_tab_rows():
    # a file of several forms: the broken-cell rejoin of tab rows (`textrows.rejoin_broken_tab_cells`) looked
    # at every line from the first tab row to the last, and joined the next forms' titles to their fields (so
    # the forms ran together), and cost most of the time of a 5 MB text of mixed layouts
    from corpus.read.interpret.textrows import rejoin_broken_tab_cells
    lines = ["项目支出绩效目标表", "项目名称：甲", "一级指标\t三级指标\t年度指标值", "产出指标\t培训人次\t≥500人次",
             "产出指标\t培训合格率\t≥95%", "效益指标\t群众满意度\t≥90%", "", "项目支出绩效目标表", "项目名称：乙",
             "三级指标", "年度指标值", "农田灌溉面积", "≥1200亩", "新建渠道长度", "≥12公里", "服务对象满意度", "≥90%",
             "", "项目支出绩效目标表", "项目名称：丙", "一级指标\t三级指标\t年度指标值", "产出指标\t道路里程\t≥12公里"]
    assert rejoin_broken_tab_cells(lines) == lines
    decls = interpret_text(lines, file="t.txt", ident_prefix="t")
    assert [[(i.name, i.target.raw) for i in d.indicators] for d in decls] == [
        [("培训人次", "≥500人次"), ("培训合格率", "≥95%"), ("群众满意度", "≥90%")],
        [("农田灌溉面积", "≥1200亩"), ("新建渠道长度", "≥12公里"), ("服务对象满意度", "≥90%")],
        [("道路里程", "≥12公里")]]
