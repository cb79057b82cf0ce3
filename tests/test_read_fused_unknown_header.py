"""A header is a help, not a requirement (issue 22, sixth pass): a fused table whose header names its
level columns with words we know and its name and target with words no list holds ('考核要点',
'年度计划': a template's own headings) names no value column. Its rows are read as a table without a
header reads them (name, then values), the header printed again at a page top taken out with its
unknown words; before, the rows of such a table, a row a line, came back with no value, or not at all.

Gold is exact: the generated forms' own rows (`evaluation.generate_forms`), only the two headings
changed in the text."""

from __future__ import annotations

from corpus.read.interpret import interpret_text


def _read(lines: list[str]) -> list[tuple[str, str]]:
    decls = interpret_text(lines, file="t.txt", ident_prefix="t")
    return [(i.name, i.target.raw) for d in decls for i in d.indicators]


def test_fused_rows_under_a_header_of_unknown_words_and_a_page_break():
    lines = ["专项项目支出绩效目标表", "项目名称：专项资金项目", "主管部门：县农业农村局", "",
             "一级指标二级指标考核要点年度计划",
             "产出指标(50分)数量指标(50分)重大动物疫病强制免疫数量>=59899万头",
             "产出指标(50分)质量指标(50分)应免畜禽免疫密度>=90%",
             "第 2 页",
             "一级指标二级指标考核要点年度计划",
             "产出指标(50分)质量指标(50分)免疫抗体合格率>=70%",
             "成本指标(50分)经济成本指标(50分)项目预算控制数<=230万元",
             "填报说明：本表由项目单位填写。"]
    assert _read(lines) == [("重大动物疫病强制免疫数量", ">=59899万头"), ("应免畜禽免疫密度", ">=90%"),
                            ("免疫抗体合格率", ">=70%"), ("项目预算控制数", "<=230万元")]


def _unknown_headings(form) -> str:
    head = "".join(c.strip() for c in form.grid[0])
    known = head[:len(head) - len(form.grid[0][-2]) - len(form.grid[0][-1])]
    return form.text.replace(head, known + "考核要点年度计划")


def test_generated_fused_rows_a_line_each_under_unknown_headings_read_back():
    from evaluation.generate_forms import generate
    from evaluation.parse_eval import score_case

    picked = {"G-00100", "G-00834", "G-01379", "G-01620", "G-01885"}  # rows a line each, one value column
    forms = [f for f in generate(1885, 2026) if f.id in picked]
    assert [f.traits["逐行粘连"] for f in forms] == ["是"] * 5
    for form in forms:
        text = _unknown_headings(form)
        assert "考核要点年度计划" in text
        decls = interpret_text(text.splitlines(), file="t.txt", ident_prefix="t")
        score = score_case(form.case(), [i for d in decls for i in d.indicators])
        assert (score.matched, score.found) == (score.expected, score.expected), form.id
