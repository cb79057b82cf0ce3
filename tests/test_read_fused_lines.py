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
    results, _ = evaluate_generated(300, 5)
    figures = {value: (t["rows"], t["matched"], t["read"]) for trait, value, t in by_trait(results)
               if trait == "逐行粘连"}
    # 2000 forms of seed 2026: 0.684 / 0.828 before this pass's fused-line reading, 0.899 / 0.923 now
    # (多列折行, a PDF text layer whose cells wrap, printed some spaced forms otherwise: 2309 → 2301 in '—')
    assert figures == {"—": (2342, 2301, 2349), "否": (99, 92, 100), "是": (156, 139, 143)}
