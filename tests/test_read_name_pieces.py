"""A level label's pieces, wrapped in its narrow merged column of a PDF, taken off an indicator's name
(`corpus/read/interpret/namepieces.py`). The texts are pdfplumber's `extract_text()` of generated forms of
seed 2026 (`evaluation.pdf_layer`, kept under tests/data/pdf_layers with their gold)."""

import json
from pathlib import Path

import pytest

from corpus.read.interpret import interpret_text
from corpus.read.interpret.namepieces import is_label_piece, is_label_remnant, without_label_pieces
from corpus.read.interpret.vertical import join_label_ends
from evaluation.parse_eval import score_case

DATA = Path(__file__).parent / "data" / "pdf_layers"


@pytest.mark.parametrize("name, expected", [
    # pieces before the name: a label spaced out and cut at its cell's width, then the second level
    ("指 标(必 一、数 量 指 标(必填) 保障村（社区）数量", "保障村（社区）数量"),
    ("(一)实施效 (一)产出指标(50分) (必 指标2：抚恤金按时发放率", "指标2：抚恤金按时发放率"),
    ("指 指标1：农村公路列养率", "指标1：农村公路列养率"),
    ("满意度(20分)(必 村干部满意度", "村干部满意度"),
    # pieces glued after it: a note's closing piece, the next label's numbered head, a note with the ending
    ("指标(50 指标1市容秩序巡查次数分)", "指标1市容秩序巡查次数"),
    ("造林任务按季节完成率(一)实施效果指标(20", "造林任务按季节完成率"),
    ("指标1：社会效益3.社会效益目", "指标1：社会效益"),
    ("服务周期(一)生态效益指标(50分)(", "服务周期"),
    ("培训人次(必填)2、可持续影响目标(20", "培训人次"),
    ("综合得分率类（30分）", "综合得分率"),
    # a label with its note glued before the name; a name like its label only after its own label
    ("服务对象满意度（30受益群众满意度", "受益群众满意度"),
    ("(一)社会效益指标（30分）社会效益", "社会效益"),
    ("时效指标(20分)", "时效指标(20分)"),
    ("数量指标（30分）(必填)时效", "数量指标（30分）(必填)时效"),
    ("象满意度目 指标1:服务对象满意度", "指标1:服务对象满意度"),
    # names left as they are: their own brackets, a score of their own, a name like a label, a numbering
    ("评分(100分)", "评分(100分)"),
    ("新建公路(含桥梁)", "新建公路(含桥梁)"),
    ("验收合格率(%)", "验收合格率(%)"),
    ("社会效益", "社会效益"),
    ("服务对象满意度", "服务对象满意度"),
    ("指标1 培训人次", "指标1 培训人次"),
    ("村级组织运转经费标准", "村级组织运转经费标准"),
])
def test_label_pieces_off_a_name(name, expected):
    assert without_label_pieces(name) == expected


def test_what_a_label_piece_is():
    assert [is_label_piece(t) for t in ("一、产出指标(50分)", "分)", "(必", "指", "标(必", "0分)(必", "续影响指(必",
                                        "3.社会效益目")] == [True] * 8
    assert [is_label_piece(t) for t in ("培训人次", "95", "≥90%", "指标1", "保障村", "(一期)")] == [False] * 6


def test_rows_named_by_a_label_piece_are_no_indicators():
    # names a wrapped level column leaves (pdfplumber's texts of seed 2026); an indicator named like its
    # label stays one
    assert [is_label_remnant(n) for n in ("分）", "(二)成本指标(50", "时效类(20分)", "意度目标(必填)", "益类(50分)")] == \
        [True] * 5
    assert [is_label_remnant(n) for n in ("社会效益", "服务对象满意度", "成本", "满分", "平方")] == [False] * 5


@pytest.mark.parametrize("form", ["G-00166", "G-00064"])
def test_generated_pdfplumber_texts_read_to_their_gold(form):
    # G-00166: '1、实施效果指标(50分)' and '1、产出指标(50分)' wrapped on every row, their pieces on the row's lines
    # ('指标(50 指标1市容秩序巡查次数 15 =>442次 …' / '分)' / '分)'); G-00064: labels spaced out character by
    # character ('指 标(20 (一)产 出 指 标(20分) 指标1：…'). Main's reader: 0 of 10 and 5 of 7 rows.
    gold = json.loads((DATA / "gold.json").read_text(encoding="utf-8"))[form]
    lines = (DATA / f"seed2026-{form}-pdfplumber.txt").read_text(encoding="utf-8").split("\n")
    decls = interpret_text(lines, file="t.txt", ident_prefix="t")
    case = {"id": form, "indicators": [{"name": n, "value": v} for n, v in gold]}
    score = score_case(case, [i for d in decls for i in d.indicators])
    assert (score.matched, score.found) == (len(gold), len(gold)), (score.missed, score.extra)


def _read(form: str, engine: str) -> tuple[int, int, int]:
    gold = json.loads((DATA / "gold.json").read_text(encoding="utf-8"))[form]
    lines = (DATA / f"seed2026-{form}-{engine}.txt").read_text(encoding="utf-8").split("\n")
    decls = interpret_text(lines, file="t.txt", ident_prefix="t")
    case = {"id": form, "indicators": [{"name": n, "value": v} for n, v in gold]}
    score = score_case(case, [i for d in decls for i in d.indicators])
    return score.expected, score.matched, score.found


def test_a_labels_last_line_below_its_row_joins_the_label():
    # '3、时效目' / '指标1:建设任务按期完成率 =100% …' / '标': the piece is the label's, not the name's tail
    lines = ["3、时效目", "指标1:建设任务按期完成率 =100% =100% 10 15", "标",
             "(四)经济效益指 72.9万元以", "带动农民购机投入 72.9万元以上 5 5", "标 上",
             "二、效益类（30  居民垃圾分类知晓率  10  >=90%", "", "分）"]
    assert join_label_ends(lines) == [
        "3、时效目标", "指标1:建设任务按期完成率 =100% =100% 10 15", "",
        "(四)经济效益指标 72.9万元以", "带动农民购机投入 72.9万元以上 5 5", "上",
        "二、效益类（30分）  居民垃圾分类知晓率  10  >=90%", "", ""]
    # a label spaced out, its last line's words apart ('二、质' / '量 类'); a head whose line goes on with its own
    # spaced-out rest takes nothing ('2、满 意 度 指 标')
    assert join_label_ends(["二、质 指标1:执法检查计划完成率 =100% =100% 5 8", "量 类", "三、时 指标1:隐患整改闭环时限 30天以内",
                            "效 类 内"]) == ["二、质量类 指标1:执法检查计划完成率 =100% =100% 5 8", "",
                                            "三、时效类 指标1:隐患整改闭环时限 30天以内", "内"]
    assert join_label_ends(["2、满 意 度 指 标", "名称 ≥5个", "意 度 指 标"]) == \
        ["2、满 意 度 指 标", "名称 ≥5个", "意 度 指 标"]
    # a note's end closes only a note its head opened; a label already whole takes nothing
    assert join_label_ends(["数量类(5", "名称 ≥5个", "填)"]) == ["数量类(5", "名称 ≥5个", "填)"]
    assert join_label_ends(["产出指标 名称 ≥5个", "标"]) == ["产出指标 名称 ≥5个", "标"]


@pytest.mark.parametrize("form, engine, expected, main", [
    # labels wrapped in their column, the last line below the row: '(二)经济效益指标(20' / … / '分)'
    ("G-00027", "pdfplumber", (5, 5, 5), (5, 4, 5)),
    # positions kept (layout=True), a 自评表, labels' last lines below their rows
    ("G-00292", "pdfplumber_layout", (13, 13, 13), (13, 6, 11)),
    # a label over three lines ('1、服务对' / '象满意度目' beside the name / '标'): its middle piece is a run of a
    # label's characters before the name
    ("G-00032", "pdfplumber", (11, 11, 11), (11, 5, 11)),
])
def test_generated_texts_whose_labels_wrap_read_to_their_gold(form, engine, expected, main):
    # (expected, matched, read); `main`: the same text read by main 5076337 before reader20
    assert _read(form, engine) == expected


def test_a_header_whose_value_headings_all_wrapped_is_completed():
    # pdfplumber's G-00030 of seed 2026: '实施期指标值' and '年度指标值' cut at their cells' width, their rests on the
    # line below; before, the line held no value heading and was left as it was
    from corpus.read.interpret.textrows import join_header_fragments
    lines = ["专项项目支出绩效目标表", "一级指标 二级指标 绩效指标 实施期指标 年度指", "值 标值",
             "指标1：慰问覆盖率 =200% =100%"]
    assert join_header_fragments(lines) == ["专项项目支出绩效目标表", "一级指标 二级指标 绩效指标 实施期指标值 年度指标值",
                                            "", "指标1：慰问覆盖率 =200% =100%"]


def test_an_explanations_rest_under_its_row_is_not_the_names():
    # pdfplumber's G-00265 of seed 2026 (its header and rows): every explanation cut at its column's width, the
    # rest on a line of its own; the names are whole. Before, each rest went to the name ('…候车亭数量对象').
    lines = ["专项项目支出绩效目标表", "项目名称：专项资金项目 主管部门：县农业农村局",
             "一级指标 二级指标 三级指标 考核方式 指标性质 单位 年度指标值 总体目标值",
             "指标2：补贴公交（客运）线路条数 反映项目实施的实 ＞= 条 176 676", "际情况",
             "指标3：新建（改造）候车亭数量 指项目覆盖的全部 ＞= 个 172 472", "对象",
             "指标1：建制村通客车率 指项目覆盖的全部 ＝ % 100 400", "对象",
             "指标1：补贴资金拨付及时率 数据来源于主管部 ＝ % 100 400", "门统计",
             "指标2：单车年补贴标准 按计划完成得满分 ＜= 万元/辆 37955 57955"]
    decls = interpret_text(lines, file="t.txt", ident_prefix="t")
    assert [(i.name, i.target.raw) for i in decls[0].indicators] == [
        ("指标2：补贴公交（客运）线路条数", "≥176条"), ("指标3：新建（改造）候车亭数量", "≥172个"),
        ("指标1：建制村通客车率", "=100%"), ("指标1：补贴资金拨付及时率", "=100%"),
        ("指标2：单车年补贴标准", "≤37955万元/辆")]


def test_split_value_columns_in_the_rows_order_where_the_headers_leaves_one_out():
    # pdfplumber's G-00074 of seed 2026: '计算符' / '号' printed above and below the header line and put back at the
    # operator column's usual place (before 单位), while the form prints 单位 before it; the unit cell was left out
    # ('≥233' for '≥233公斤'); main read 1 of its 11 rows
    lines = ["专项项目支出绩效目标表", "项目名称：专项资金项目 主管部门：县农业农村局", "计算符",
             "一级指标 二级指标 指标名称 单位 全年指标值 分值", "号",
             "发放（推广）良种数量 公斤 >= 233 5", "1.数量指标 良种繁育基地面积 亩 >= 18866 5",
             "2.质量指标 良种覆盖率 % >= 95 5"]
    decls = interpret_text(lines, file="t.txt", ident_prefix="t")
    assert [(i.name, i.target.raw) for i in decls[0].indicators] == [
        ("发放（推广）良种数量", "≥233公斤"), ("良种繁育基地面积", "≥18866亩"), ("良种覆盖率", "≥95%")]
