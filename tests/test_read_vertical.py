"""Labels printed down a narrow merged cell (one or two characters a line) and a header inside a long
line (a whole table, or a whole page, on one line): issue 22, the reader's fifth pass."""

from __future__ import annotations

from corpus.read.interpret import interpret_text
from corpus.read.interpret.textrows import find_header_line
from corpus.read.interpret.vertical import join_vertical_labels
from evaluation.generate_forms import generate
from evaluation.parse_eval import score_case


def _rows(text: str) -> list[tuple[str | None, str | None, str, str]]:
    decls = interpret_text(text.splitlines(), file="t.txt", ident_prefix="t")
    return [(i.level1, i.level2, i.name, i.target.raw) for i in decls[0].indicators]


def test_pieces_of_a_label_are_joined_on_their_first_line():
    lines = ["产", "出", "指", "标", "数量", "", "指标", "培训人次", "≥500人次", "社会", "效益指标", "一级", "指标"]
    assert join_vertical_labels(lines) == ["产出指标", "", "", "", "数量指标", "", "", "培训人次", "≥500人次",
                                           "社会效益指标", "", "一级指标", ""]


def test_short_cells_that_make_no_label_stay_apart():
    lines = ["长期", "有效", "数量", "培训", "2、", "满", "意", "度", "(", "2", "0", "分", ")"]
    assert join_vertical_labels(lines) == ["长期", "有效", "数量", "培训", "2、满意度(20分)"] + [""] * 8


def test_a_headerless_table_with_labels_down_their_column():
    """No header and labels one character a line: before, no table was found at all (read as prose)."""
    body = ["产", "出", "指", "标", "数", "量", "指", "标", "培训人次", "≥500人次", "质", "量", "指", "标",
            "培训合格率", "≥95%", "满", "意", "度", "指", "标", "服务对象", "满意度指标", "学员满意度", "≥90%"]
    text = "\n".join(["培训项目绩效目标表", "项目名称：农民培训", "年度目标：培训农民500人次。"] + body)
    assert _rows(text) == [("产出", "数量", "培训人次", "≥500人次"), ("产出", "质量", "培训合格率", "≥95%"),
                           ("满意度", "服务对象满意度", "学员满意度", "≥90%")]


def test_generated_forms_with_labels_down_their_column_read_back():
    forms = generate(165, 5)
    for index, separator, header in ((0, "cell_lines", "present"), (163, "blank_lines", "absent")):
        form = forms[index]
        assert (form.traits["竖排标签"], form.traits["分隔"], form.traits["表头"]) == ("是", separator, header)
        decls = interpret_text(form.text.splitlines(), file="t.txt", ident_prefix="t")
        score = score_case(form.case(), decls[0].indicators)
        assert (score.expected, score.matched, score.found) == (len(form.rows), len(form.rows), len(form.rows))


def test_a_header_inside_a_long_line_is_found():
    """A whole table on one line whose name column is headed 绩效指标 (no 三级指标 anchor) and whose
    two value columns are 半年 / 全年: the header is found, so the target is the full-year column."""
    rows = [("培训人次", "≥300人次", "≥500人次"), ("培训合格率", "≥90%", "≥95%"), ("学员满意度", "≥85%", "≥90%")] * 3
    line = "绩效指标 指标解释 半年指标值 全年指标值 " + " ".join(f"{n} 反映培训情况 {h} {f}" for n, h, f in rows)
    assert len(line) > 200 and find_header_line(["培训项目绩效目标表", line]) == 1
    got = [(r[2], r[3]) for r in _rows("\n".join(["培训项目绩效目标表", "项目名称：农民培训", line]))]
    assert got[:3] == [("培训人次", "≥500人次"), ("培训合格率", "≥95%"), ("学员满意度", "≥90%")]


def test_pieces_of_labels_at_the_start_of_pdf_lines():
    """A PDF's text layer prints a narrow merged level cell piece by piece at the start of its block's
    lines ('产  数量  新建农村公路里程  ≥12公里' / '出  指标  受益农户数  ≥350户' / '指 …' / '标 …'): before,
    the pieces were read as the rows' names."""
    body = ["产  数量  新建农村公路里程  ≥12公里", "出  指标  受益农户数  ≥350户", "指  质量指标  工程验收合格率  ≥95%",
            "标  时效指标  项目完成时间  2023年12月底前", "效益  社会效益指标  改善群众出行条件  明显改善",
            "指标  可持续影响指标  道路使用年限  ≥10年", "满意度指标  服务对象满意度指标  受益群众满意度  ≥90%"]
    for header in ([], ["一级指标  二级指标  三级指标  指标值"]):
        text = "\n".join(["项目支出绩效目标表", "项目名称：农村公路建设项目"] + header + body)
        assert [(r[2], r[3]) for r in _rows(text)] == [
            ("新建农村公路里程", "≥12公里"), ("受益农户数", "≥350户"), ("工程验收合格率", "≥95%"),
            ("项目完成时间", "2023年12月底前"), ("改善群众出行条件", "明显改善"), ("道路使用年限", "≥10年"),
            ("受益群众满意度", "≥90%")]
