"""Issue 22, reader19: the generator's new trait combinations (a 自评表 as published templates print it, with no
header or under a header holding a heading no list holds). Gold is the generator's (`evaluation.generate_forms`,
seed 2026, the 2,000 forms of `zhibiao evaluate parse --generated 2000 --seed 2026`); each form below read fewer
rows on main 5076337 (given beside it) and reads its gold exactly now."""

from __future__ import annotations

from corpus.read.interpret import interpret_text
from corpus.read.interpret.assemble import decode
from corpus.read.interpret.textrows import TextCell
from evaluation.generate_forms import generate

# id: (自评表式样, 分隔, 表头); the comment: rows matched of the gold's on main 5076337
_FORMS = {"G-00979": ("财政部", "cell_lines", "absent"),      # 5 of 12: the actual column taken for the target
          "G-01559": ("财政部", "blank_lines", "absent"),     # 5 of 11: explanations joined to the names
          "G-01734": ("完成率", "blank_lines", "repeated"),   # 1 of 8: 评价要点 ended the header
          "G-00312": ("原样", "blank_lines", "absent"),       # 9 of 12
          "G-00286": ("完成率", "cell_lines", "absent")}      # 1 of 10 (seed 5: G-00251, G-00286)


def _rows(text: str) -> list[tuple[str, str]]:
    decls = interpret_text(text.splitlines(), file="t.txt", ident_prefix="t")
    return [(i.name, i.target.raw) for d in decls for i in d.indicators]


def test_generated_self_evaluations_of_the_new_combinations_read_to_their_gold():
    forms = {f.id: f for f in generate(1800, 2026) if f.id in _FORMS and f.id != "G-00286"}
    assert {i: (f.traits["自评表式样"], f.traits["分隔"], f.traits["表头"]) for i, f in forms.items()} == \
        {i: t for i, t in _FORMS.items() if i != "G-00286"}
    for ident, form in forms.items():
        assert _rows(form.text) == [(r.name, r.value) for r in form.rows], ident


def test_a_headerless_self_evaluation_of_seed_5_reads_to_its_gold():
    form = next(f for f in generate(300, 5, value_traits=False) if f.id == "G-00286")
    assert (form.traits["自评表式样"], form.traits["分隔"], form.traits["表头"]) == _FORMS["G-00286"]
    assert _rows(form.text) == [(r.name, r.value) for r in form.rows]


def _decoded(cells: list[str], roles: list[str] | None = None) -> list[tuple[str, dict]]:
    rows, _ = decode([TextCell(c, i) for i, c in enumerate(cells)], roles)
    return [(r.name, r.values) for r in rows]


def test_with_no_header_the_first_value_is_the_target_and_the_actual_follows():
    # a 财政部 自评表 with no header: target, actual, 分值, 得分; a value with its operator, unit or % is never an
    # explanation (it stood there to spare the cost of the guessed columns left empty before the target)
    rows = _decoded(["指标1：补助资金兑付及时率", "=100%", "102%", "10", "10", "15"])
    assert rows[0][1]["target"] == "=100%" and rows[0][1]["actual"] == "102%"


def test_an_explanation_and_a_deviation_text_are_both_the_rows():
    # with no header an explanation before the value and a deviation text after it: neither goes into the name
    rows = _decoded(["治理河道长度", "反映项目实施的实际情况", "=>", "公里", "301", "304", "10", "9.5", "已按计划完成，无偏差"])
    assert rows == [("治理河道长度", {"explain": "反映项目实施的实际情况", "operator": "=>", "unit": "公里",
                                   "target": "301", "actual": "304", "score": "10", "score#2": "9.5",
                                   "explain#2": "已按计划完成，无偏差"})]


def test_a_header_printed_again_with_a_heading_no_list_holds_makes_no_row():
    roles = ["explain", "unit", "operator", "target", "actual", "score", "score", "score", "explain"]
    cells = ["每亩补贴标准", "以年底实际完成数为准", "元/亩", "＝", "18.1", "18.3", "100%", "5", "5",
             "一级指标", "二级指标", "绩效指标", "评价要点", "单位", "指标性质", "年度目标值", "实际完成值",
             "项目预算控制数", "数据来源于主管部门统计", "万元", "＜=", "41454", "41452", "92%", "10", "8"]
    assert [name for name, _ in _decoded(cells, roles)] == ["每亩补贴标准", "项目预算控制数"]
    # a lone cell that reads as a heading among the rows is the row's ('…完成情况' holds an actual's heading word)
    rows = _decoded(["病死畜禽无害化处理率", "考核年度内完成情况", "=", "100", "%"], ["explain", "operator", "target", "unit"])
    assert rows == [("病死畜禽无害化处理率", {"explain": "考核年度内完成情况", "operator": "=", "target": "100", "unit": "%"})]


def test_a_rate_of_completion_stands_between_the_actual_and_the_scores():
    # 完成率 (the actual over the target) is a bare percentage: with no header it once tied the reading that took the
    # actual for the target ('≥64638个' dropped), as no guessed column could hold it
    rows = _decoded(["改造覆盖小区（城中村）数量", "≥64638个", "≥64634个", "100%", "10", "10"])
    assert rows == [("改造覆盖小区（城中村）数量", {"target": "≥64638个", "actual": "≥64634个", "rate": "100%",
                                            "score": "10", "score#2": "10"})]


def test_a_piece_of_a_wrapped_sentence_with_no_value_is_no_row():
    # a deviation text wrapped in its cell (a text layer with its positions kept): its line that starts with a clause
    # break is no indicator; a whole sentence with no value stays one (A-010's 效益 rows)
    from corpus.read.interpret import _piece_row
    from corpus.read.interpret.cells import RawRow
    assert _piece_row(RawRow(None, None, "，部分活动", {}, 1))
    assert not _piece_row(RawRow(None, None, "增加就业机会,提高农民收入。", {}, 1))
    assert not _piece_row(RawRow(None, None, "，部分活动", {"target": "≥90%"}, 1))
