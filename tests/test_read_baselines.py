"""Runs of cells on one baseline in a stream-ordered text layer (poppler's `pdftotext -raw`), `baselines.py`.

The texts in tests/data/pdf_layers/ are generated forms of seed 2026 (`evaluation.generate_forms`), drawn as
ruled PDFs by `evaluation.pdf_layer` and taken out by `pdftotext -raw` and by pdfplumber's `extract_text()`;
gold is the generator's. Main 5076337 read the -raw texts at 1 of 7 (8 read), 2 of 10 (12) and 4 of 11 (15).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.read.interpret import interpret_text
from corpus.read.interpret.baselines import cells_of_run, split_runs
from evaluation.parse_eval import score_case

DATA = Path(__file__).parent / "data" / "pdf_layers"
GOLD = {case["id"]: case for case in map(json.loads, (DATA / "gold.jsonl").read_text(encoding="utf-8").splitlines())}


def _lines(form: str, engine: str) -> list[str]:
    return (DATA / f"{form}-{engine}.txt").read_text(encoding="utf-8").split("\n")


@pytest.mark.parametrize("form", ["G-00068", "G-00166", "G-00078"])
def test_raw_text_layers_read_their_gold_exactly(form):
    decls = interpret_text(_lines(form, "pdftotext_raw"), file="t.txt", ident_prefix="t")
    indicators = [i for d in decls for i in d.indicators]
    score = score_case(GOLD[form], indicators)
    assert (score.expected, score.matched, score.found) == (len(GOLD[form]["indicators"]),) * 3
    if form == "G-00068":  # (the others' labels are of the 实施效果 / 项目完成 families: levels as PyMuPDF's reading)
        assert score.levels_agree == score.expected


@pytest.mark.parametrize("form", ["G-00068", "G-00166", "G-00078"])
def test_a_layout_ordered_text_of_the_same_form_is_left_as_it_is(form):
    # pdfplumber prints a row's cells at their height: a wrapped cell's pieces share lines with other cells
    lines = _lines(form, "pdfplumber")
    assert split_runs(lines) == (lines, None)
    assert split_runs(_lines(form, "pdftotext_raw"))[1] is not None


def test_line_numbers_point_into_the_text_as_given():
    lines = _lines("G-00068", "pdftotext_raw")
    decls = interpret_text(lines, file="t.txt", ident_prefix="t")
    first = decls[0].indicators[0]
    assert first.name == "开展宣传活动次数"
    assert first.line is not None and "开展宣传活动次数" in lines[first.line - 1]


def test_a_run_is_cut_at_single_spaces_and_a_spaced_word_stays_whole():
    assert cells_of_run("＞=307个 100% 5 4.5") == ["＞=307个", "100%", "5", "4.5"]
    assert cells_of_run("(一)产 出 指 标(20") == ["(一)产出指标(20"]
    assert cells_of_run("(一)社 会 效 益") == ["(一)社会效益"]
    assert cells_of_run("生态效益 数据来源于主 ＞=90% 已完成") == ["生态效益", "数据来源于主", "＞=90%", "已完成"]
    assert cells_of_run("≧ 85 % 25") == ["≧", "85", "%", "25"]


def test_text_without_wrapped_cells_or_with_wide_gaps_or_blank_lines_is_left():
    rows = ["一级指标 二级指标 三级指标 指标值", "产出指标 数量指标 培训人次 ≥500人次", "效益指标 社会效益指标 就业人数 ≥20人"]
    assert split_runs(rows) == (rows, None)
    wide = ["一级指标    二级指标    三级指标    指标值", "培训人次", "≥500", "人次", "就业人数", "≥20", "人"]
    assert split_runs(wide) == (wide, None)
    boxes = ["培训人次 x", "", "≥500", "人次", "", "就业人数", "", "≥20", "人", ""]
    assert split_runs(boxes) == (boxes, None)


def test_a_top_aligned_row_goes_on_after_its_wrapped_cell():
    # '… 指标方' / '向' / '年度指标值 …': the header's next headings after a heading's rest; a row's value after
    # a wrapped explanation's rest; never the next row's name after a row's last cell's rest (a layout's order)
    from corpus.read.interpret.baselines import _row_goes_on
    assert _row_goes_on("一级指标 二级指标 绩效指标 计量单位 指标方", ["向"], "年度指标值 实际完成值 得分 指标解释")
    assert not _row_goes_on("一级指标 二级指标 绩效指标 计量单位 指标方", ["向"], "产出类 数量类 指标1储备粮轮换数量 吨")
    assert _row_goes_on("示范推广面积 依据年度工作计划 ＞=32万", ["亩"], "＞=32万亩 100% 20 18")
    assert not _row_goes_on("指标1无公害防治率 ＞= 90 % 90 15 15 因物价上涨", ["，实际支出", "超出预算87"], "测报准确率 ＞= 90 % 91")
