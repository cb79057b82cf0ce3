"""pdfminer's text boxes (`extract_text`): a box's wrapped lines one cell (`textboxes.py`), a column's values
waiting for names printed after them, runs of any value column as evidence of a table printed by columns,
a split value's numbers in the headings' order (`assemble.decode_columns`); and pdfminer's grouping of boxes
made the same on every run (`pdf_layer._creation_order_ids`). Gold is the generated forms' rows (seed 2026,
`evaluation.generate_forms`)."""

from __future__ import annotations

import pytest

from corpus.read.interpret import interpret_text, textboxes
from evaluation.generate_forms import generate
from evaluation.pdf_layer import _creation_order_ids, missing_engine, texts


def _rows(lines: list[str]) -> list[tuple[str, str]]:
    decls = interpret_text(lines, file="t.txt", ident_prefix="t")
    return [(i.name, i.target.raw) for d in decls for i in d.indicators]


def test_a_box_of_one_wrapped_cell_is_joined():
    # boxes of our generated pdfminer texts (seed 2026): a name cut at its column's width, a label spaced out
    # character by character, a value cut inside its unit, a heading; a blank line between two boxes
    lines = ["一级指标", "", "指标1：养护管理长效机制（县乡村三级路长制）落", "实率", "", "1、数 量 指", "标(20分)", "",
             "≥84436元/", "人·月", "", "总体目标", "值", "", "=100%", ""]
    assert [line for line in textboxes.join_box_lines(lines) if line] == [
        "一级指标", "指标1：养护管理长效机制（县乡村三级路长制）落实率", "1、数 量 指标(20分)", "≥84436元/人·月",
        "总体目标值", "=100%"]


def test_cells_of_their_own_in_one_box_stay_apart():
    lines = ["=100%", "≥95%", "", "二级指标", "1.数量类(20分)(必填)", "", "专项项目支出绩效目标表",
             "项目名称：专项资金项目 主管部门：县农业农村局", "", "元/人·", "80997", "", "≥90%", ""]
    assert textboxes.join_box_lines(lines) == lines  # two values, a heading and a label, title and field, a
    # unit's piece and a number
    labelled = ["1.数量目标(必填)", "指标1:配置医疗设备数量", "", "=100%", "", "≥90%", "", "5", ""]
    assert textboxes.join_box_lines(labelled, lambda text: text.startswith("指标")) == labelled


def test_two_value_columns_printed_row_by_row_are_told_by_their_units():
    from corpus.read.interpret.assemble import _Cell, _paired_by_rows

    def cells(texts):
        return [_Cell(t, "value", n) for n, t in enumerate(texts)]
    assert _paired_by_rows(cells(["≥77.3台（套）", "≧67.3台（套）", "≥38302人次", "≧88302人次"]))
    assert not _paired_by_rows(cells(["≥77.3台（套）", "≥38302人次", "≧67.3台（套）", "≧88302人次"]))
    assert not _paired_by_rows(cells(["=100%", "=100%", "≥95%", "≥90%"]))  # one unit: the columns one after another


def test_a_text_of_one_cell_a_line_is_no_text_of_boxes():
    lines = ["一级指标", "二级指标", "三级指标", "指标值", "产出指标", "数量指标", "培训人次", "≥500人次"]
    assert not textboxes.printed_as_boxes(lines) and textboxes.join_box_lines(lines) == lines


def test_pdfminer_numbers_objects_in_the_order_it_first_sees_them():
    import pdfminer.layout as layout

    with _creation_order_ids():
        a, b = object(), object()
        assert (layout.id(b), layout.id(a), layout.id(b)) == (0, 1, 0)
    assert "id" not in vars(layout)  # the builtin again once the call is over


@pytest.fixture(scope="module")
def forms():
    return {f.id: f for f in generate(284, 2026)}


@pytest.mark.skipif(missing_engine("pdfminer") is not None, reason="pdfminer is not installed")
@pytest.mark.parametrize("ident", ["G-00069", "G-00121", "G-00146", "G-00150", "G-00183", "G-00204", "G-00233",
                                   "G-00284"])
def test_pdfminer_text_boxes_read_their_gold_exactly(forms, tmp_path, ident):
    # main before reader18 read 1, 0, 0, 0, 0, 0, 1 and 1 of their 11, 12, 6, 13, 12, 9, 13 and 11 rows. G-00069:
    # three pages, a row split by a page break, names and explanations grouped row by row, one column run of
    # values; G-00121: half-year and annual values ('以上' words), weights, a label on every row; G-00146: the
    # 实施期 and 年度 values of two rows grouped box by box ('≥77.3台（套）' '≧67.3台（套）' '≥38302人次' …);
    # G-00150: split values (operator, unit and number columns), target, actual and score columns, an
    # explanation column whose words wrap in their boxes; G-00183: split values whose 实施期指标值 column is
    # printed before 年度指标值; G-00204: '半年指标值' and '全年指标值' printed alone over their first values;
    # G-00233: split values and an explanation column, no level column; G-00284: no header, names printed above
    # the first level label
    form = forms[ident]
    layer = texts(form, tmp_path, ("pdfminer",))[0]["pdfminer"]
    # split as `zhibiao parse FILE.txt` splits a text (at line feeds only: a page's form feed stays in its line)
    assert _rows(layer.split("\n")) == [(r.name, r.value) for r in form.rows]


@pytest.mark.skipif(missing_engine("pdfminer") is not None, reason="pdfminer is not installed")
def test_pdfminer_gives_the_same_text_twice(forms, tmp_path):
    # G-00033 and G-00098 of seed 2026 came out of pdfminer with their boxes in another order from one run to
    # the next before the boxes' ties were broken by creation order
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for ident in ("G-00033", "G-00098"):
        first = texts(forms[ident], tmp_path / "a", ("pdfminer",))[0]["pdfminer"]
        junk = [object() for _ in range(10_000)]  # other objects alive: other addresses for the second run
        again = texts(forms[ident], tmp_path / "b", ("pdfminer",))[0]["pdfminer"]
        assert first == again and junk
