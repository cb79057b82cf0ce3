"""Generated forms drawn as ruled PDFs by reportlab and read back from a real engine's text layer
(`evaluation.pdf_layer`, `zhibiao evaluate parse --generated N --generated-formats pdftext`), and the
reader's mechanisms those text layers needed: page furniture (`pages.py`), headings wrapped around the
header line (`textrows.join_header_fragments`), a row printed at the middle of its cells
(`wraps._centred_part`), a label cut after its bracket, a wrapped label's ending."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from corpus.read.interpret import interpret_text, pages
from corpus.read.interpret.textrows import join_header_fragments, spaced_tokens
from evaluation.generate_forms import generate
from evaluation.parse_eval import score_case
from evaluation.pdf_layer import ENGINES, available_engines, missing_engine, texts


def _rows(lines: list[str]) -> list[tuple[str, str]]:
    decls = interpret_text(lines, file="t.txt", ident_prefix="t")
    return [(i.name, i.target.raw) for d in decls for i in d.indicators]


@pytest.fixture(scope="module")
def layers(tmp_path_factory):
    directory = tmp_path_factory.mktemp("pdf")
    return [(form, *texts(form, directory)) for form in generate(8, 11, value_traits=False)]


def test_the_engines_give_the_same_text_for_the_same_seed(layers, tmp_path):
    form, first, traits = layers[5]
    again, same = texts(form, tmp_path)
    assert again == first and same == traits
    assert set(first) == set(available_engines()[0])


def _needs(engine: str) -> None:
    why = missing_engine(engine)
    if why:
        pytest.skip(why)


def test_an_engine_that_is_not_installed_is_named_with_how_to_install_it(monkeypatch):
    import shutil
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert missing_engine("pdftotext_raw") == \
        "未安装 pdftotext：跳过 PDF 文字层引擎 pdftotext_raw（apt-get install poppler-utils）"
    assert missing_engine("pdfplumber") is None
    assert missing_engine("acrobat").startswith("未知的 PDF 文字层引擎 acrobat")
    engines, notes = available_engines()
    assert not any(e.startswith("pdftotext") for e in engines) and len([n for n in notes if "pdftotext" in n]) == 3


def test_generated_pdf_text_layers_read_back(layers):
    # 8 forms of seed 11 (1 to 2 pages, running titles, page marks, print stamps, merged level cells): rows
    # expected, matched and read per engine. Main's reader before reader10 (pages.py, the wrapped-cell rules)
    # read the same text layers at pdfplumber 55 (70 read), layout=True 57 (65), pdfminer 8 (33); pdfminer
    # 8 (31) before reader12's column decoder (`assemble.decode_columns`)
    # (each text split as `zhibiao parse FILE.txt` splits it, at line feeds only: pdfminer's and pdftotext's form
    # feeds stay in their lines, and mark a PDF engine's pages for the column reader; reader18)
    figures = {engine: [0, 0, 0] for engine in ENGINES if not missing_engine(engine)}
    for form, text, _ in layers:
        for engine, layer in text.items():
            decls = interpret_text(layer.split("\n"), file="t.txt", ident_prefix="t")
            score = score_case(form.case(), [i for d in decls for i in d.indicators])
            for k, v in enumerate((score.expected, score.matched, score.found)):
                figures[engine][k] += v
    # reader14 added poppler's pdftotext (default order, -layout, -raw), pypdf (plain, layout mode) and
    # PyMuPDF (get_text, sorted); at reader14's start pdftotext, pypdf and pymupdf matched 60, 60 and 61 (a
    # cell's wrapped lines in a one-cell-a-line text, `cellpieces.py`, raised them); merged with reader13's
    # `linelayout`, pdftotext -raw reads 3 rows fewer that matched nothing (68 → 65 read, 60 matched)
    # reader17: G-00004 of these forms is a 自评表 the trait 自评表式样 now prints as a published template does (完成率
    # column, actual values unlike the targets, funds and 总体目标 blocks above the table): the figures below are of
    # the new forms; main 63e858a's reader read the same PDFs at pdfminer 32 (57 read), pdftotext 60 (67),
    # pdftotext -raw 59 (68), pypdf 60 (66), PyMuPDF 61 (66), the others as now
    # reader18 (pdfminer's text boxes joined into cells, values waiting for names printed after them, runs of
    # any value column as evidence of columns, a split value's numbers to the value columns in the headings' order,
    # two value columns printed row by row told by their units, one column run evidence enough in a text of boxes):
    # pdfminer 33 (55 read) → 49 (64 read); pdftotext's default order, read by the same column decoder where
    # it prints boxes, 61 (64 read) → 62 (63 read)
    # merged reader17 + reader18 (G-00004 the new 自评表, read by the column decoder too): pdfminer 45 (64 read),
    # pdftotext 61 (64 read), the others as reader17's
    # (a bare small number beside a split value's operator or unit cell is a target, not a reason's score, so a
    # sentence-like name keeps its row in the split office renditions, 0.989 → 0.994: pdfplumber and pypdf's
    # layout mode read one row more each, which matched nothing)
    # (reader19: a value written with its operator, unit or % is no explanation's words, so a headerless row's first
    # value is its target, not an explanation spared the leading gap's cost: pdfminer 45 → 46 matched)
    # reader20 (a level label's wrapped pieces taken off a name's ends, `namepieces.py`): pdfplumber 55 → 57,
    # pdftotext -raw 59 → 60; rows named by a label's piece alone ('分)', '(二)成本指标(50') no indicators: fewer
    # read, none of them matched (pdfplumber 65 → 61, layout=True 63 → 61, pdftotext -layout 64 → 60, -raw 65 → 64,
    # pypdf's layout mode 63 → 57, PyMuPDF sorted 63 → 61)
    # (merged reader19 + reader20, measured on the merged main: reader20's figures, pdfminer 46 as reader19's)
    # reader21: pdftotext -raw's runs of cells on one baseline cut into one cell a line (`baselines.py`): 59 (65
    # read) → 60 (63 read)
    # (merged reader19 + reader20 + reader21, measured on the merged main: -raw 60 matched of 65 read, one more
    # read than either branch alone)
    expected = {"pdfplumber": [63, 57, 61], "pdfplumber_layout": [63, 59, 61], "pdfminer": [63, 46, 64],
                "pdftotext": [63, 61, 64], "pdftotext_layout": [63, 56, 60], "pdftotext_raw": [63, 60, 65],
                "pypdf": [63, 60, 64], "pypdf_layout": [63, 55, 57], "pymupdf": [63, 61, 64],
                "pymupdf_sorted": [63, 57, 61]}
    assert figures == {engine: expected[engine] for engine in figures}


def test_a_two_page_form_reads_its_gold_exactly(layers):
    # G-00008: two pages, the running title with its print stamp and '第1页/共2页' between two rows, the
    # header on the first page only; G-00006: a name wrapped around its value at the row's middle
    for index in (7, 5):
        form, text, _ = layers[index]
        assert _rows(text["pdfplumber"].splitlines()) == [(r.name, r.value) for r in form.rows]


@pytest.mark.parametrize("engine", [e for e in ENGINES if not e.startswith(("pdfplumber", "pdfminer"))])
def test_the_new_engines_read_two_forms_gold_exactly(layers, engine):
    # G-00008 (two pages, the header on the first only) and G-00007, as poppler, pypdf and PyMuPDF print them
    _needs(engine)
    for index in (7, 6):
        form, text, _ = layers[index]
        assert _rows(text[engine].splitlines()) == [(r.name, r.value) for r in form.rows], (engine, index)


def test_page_furniture_is_taken_out():
    lines = ["专项项目支出绩效目标表（县农业农村局） 打印时间：2026-03-17 09:21:49", "专项项目支出绩效目标表",
             "项目名称：专项资金项目", "三级指标 年度指标值", "培训人次 ≥500人次", "第 1 页 共 2 页",
             "专项项目支出绩效目标表（县农业农村局） 打印时间：2026-03-17 09:21:49", "培训合格率 ≥95%",
             "第2页/共2页"]
    assert pages.strip_furniture(lines) == [
        "专项项目支出绩效目标表（县农业农村局）", "专项项目支出绩效目标表", "项目名称：专项资金项目",
        "三级指标 年度指标值", "培训人次 ≥500人次", "第1页共2页", "", "培训合格率 ≥95%", "第2页/共2页"]
    assert _rows(lines) == [("培训人次", "≥500人次"), ("培训合格率", "≥95%")]


def test_a_repeated_line_that_is_no_page_furniture_stays():
    # a second form under the same title (its fields follow), a wrapped cell's line printed twice
    lines = ["项目支出绩效目标表", "项目名称：甲", "三级指标 年度指标值", "培训人次 ≥500人次", "标(必填) 目标(必填)",
             "项目支出绩效目标表", "项目名称：乙", "三级指标 年度指标值", "标(必填) 目标(必填)"]
    assert pages.strip_furniture(lines) == lines


def test_headings_wrapped_around_the_header_line_are_joined():
    # the cell's lines at its middle: above and below the header line (single spaces: put by the column's place)
    assert join_header_fragments(["x", "实际完成", "三级指标 权重 年度指标值 得分", "值", "a"]) == \
        ["x", "", "三级指标 权重 年度指标值 实际完成值 得分", "", "a"]
    assert join_header_fragments(["x", "一级", "二级指标 三级指标 年度指标值", "指标", "a"]) == \
        ["x", "", "一级指标 二级指标 三级指标 年度指标值", "", "a"]
    # at the cell's top: the line below completes the headings it belongs to ('单位' is a heading alone too)
    assert join_header_fragments(["x", "一级指标 三级指标 计算符 度量 年度指标值 得分", "号 单位", "a"]) == \
        ["x", "一级指标 三级指标 计算符号 度量单位 年度指标值 得分", "", "a"]
    # a line of words below that completes no heading is a row
    rows = ["x", "三级指标 年度指标值 得分", "培训人次 ≥500人次 10"]
    assert join_header_fragments(rows) == rows


def test_a_name_wrapped_around_its_value_at_the_rows_middle():
    # one wrapped cell in the table: no column width to measure, the row's middle tells
    lines = ["项目支出绩效目标表", "项目名称：小额信贷", "一级指标 二级指标 三级指标 计划完成值",
             "指标1:发放脱贫人口小额信贷金", "9.5万元以上", "额", "(一)产出类 (一)数量类",
             "指标2:纳入监测对象户数 200户以上", "指标3:小额信贷贴息户数 37.9户以上"]
    assert _rows(lines) == [("指标1:发放脱贫人口小额信贷金额", "9.5万元以上"), ("指标2:纳入监测对象户数", "200户以上"),
                            ("指标3:小额信贷贴息户数", "37.9户以上")]


def test_a_label_cut_after_its_bracket_opens_no_note():
    assert spaced_tokens("1、数量目标( 指标1带动就业人数 依据年度工作计划 ≥17197人") == \
        ["1、数量目标(", "指标1带动就业人数", "依据年度工作计划", "≥17197人"]
    assert spaced_tokens("培训人次( 含线上 ) ≥500人次") == ["培训人次( 含线上 )", "≥500人次"]


def test_a_wrapped_label_and_its_pieces_make_no_rows():
    lines = ["项目支出绩效目标表", "项目名称：农机购置补贴", "一级指标 二级指标 三级指标 评分标准 年度目标值",
             "2、项目效益目 1、经济效益 指标1村集体经济年增收 按计划完成得满分 ≥81312万", "标(必填) 目标(必填) 元",
             "2、项目效益目 2、社会效益 指标1带动就业人数 数据来源于主管部门统计 ≥17197人", "标(必填) 目标(必填)",
             "2、项目效益目 3、生态效益 指标1项目环评要求落实率 依据年度工作计划 =100%", "标(必填) 目标(必填)"]
    decls = interpret_text(lines, file="t.txt", ident_prefix="t")
    assert [(i.name, i.target.raw, i.raw_level2) for i in decls[0].indicators] == [
        ("指标1村集体经济年增收", "≥81312万元", "1、经济效益目标(必填)"),
        ("指标1带动就业人数", "≥17197人", "2、社会效益目标(必填)"),
        ("指标1项目环评要求落实率", "=100%", "3、生态效益目标(必填)")]


def test_the_cli_evaluates_pdf_text_layers(tmp_path):
    env = {**os.environ, "ZHIBIAO_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-m", "api.cli", "evaluate", "parse", "--generated", "2", "--seed", "11",
                           "--generated-formats", "pdftext", "--json"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    formats = {t["value"]: (t["rows"], t["matched"]) for t in out["traits"] if t["trait"] == "格式"}
    expected = {"pdftext·pdfminer": (16, 16),  # (16, 0) before the column decoder, (16, 4) before reader18
                "pdftext·pdfplumber": (16, 12),  # (16, 10) before reader20's label pieces off names
                "pdftext·pdfplumber_layout": (16, 12),
                # reader14's engines, at reader14's start
                "pdftext·pdftotext": (16, 16),  # (16, 15) before reader18
                "pdftext·pdftotext_layout": (16, 11),
                "pdftext·pdftotext_raw": (16, 15),  # (16, 14) before reader20 and reader21 (each raised it to 15 alone)
                "pdftext·pypdf": (16, 15), "pdftext·pypdf_layout": (16, 9),
                "pdftext·pymupdf": (16, 15), "pdftext·pymupdf_sorted": (16, 12)}
    assert formats == {f: expected[f] for f in expected if not missing_engine(f.split("·")[1])}
    assert len(out["notes"]) == len([e for e in ENGINES if missing_engine(e)])
    bad = subprocess.run([sys.executable, "-m", "api.cli", "evaluate", "parse", "--generated", "2",
                          "--generated-formats", "pdftxt"], capture_output=True, text=True, env=env)
    assert bad.returncode == 2 and "pdftxt" in bad.stderr and "Traceback" not in bad.stderr


def test_a_row_split_by_a_page_break_is_drawn_and_read_back(tmp_path):
    # G-00079 of seed 2026: two pages, the row at the break split across it (PDF跨页断行); its target cut inside
    # its unit ('=<383元/平' | '方米·年'): PyMuPDF's text reads that row whole (the unit's rest goes back across the
    # page mark, `cellpieces._join_across_break`). (Until reader17 this was G-00044, whose row cut so is now a
    # 自评表 the trait 自评表式样 prints as a published template: see below.)
    engines = tuple(e for e in ("pdfplumber", "pymupdf") if not missing_engine(e))
    forms = generate(79, 2026, value_traits=False)
    form = forms[78]
    layers, traits = texts(form, tmp_path, engines)
    assert traits["PDF跨页断行"] == "是" and traits["PDF页数"] == "2"
    page_one, page_two = layers["pdfplumber"].split("第 1 页 共 2 页")
    assert "单位面积保洁单价 指项目覆盖的全部对象 =<383元/平 =<383元/平方米·年 5" in page_one and \
        page_two.split("\n")[2] == "方米·年"
    _needs("pymupdf")
    assert ("单位面积保洁单价", "=<383元/平方米·年") in _rows(layers["pymupdf"].splitlines())
    # G-00044: a 自评表 whose deviation text is split by the break ('指标设置偏低，下年度将' | '据实调整为7个'), the
    # text's lines cut before its sentence's end no rows of their own, the 总体目标 block's goal neither
    form = forms[43]
    layers, traits = texts(form, tmp_path, engines)
    assert traits["PDF跨页断行"] == "是" and form.traits["自评表式样"] == "完成率"
    page_one, page_two = layers["pdfplumber"].rsplit("\n项目支出绩效自评表（2024年度）（县农业农村局）\n", 1)
    assert page_one.endswith("设施巡查覆盖率 15 逐步提高 达标 100% 10 10 指标设置偏低，下年度将") and \
        page_two.startswith("据实调整为7个")
    assert _rows(layers["pymupdf"].splitlines()) == [(r.name, r.value) for r in form.rows]
