"""Office-format extractors: the same grid from every format, read from renditions of real forms.

Each real case of ../shared/fieldforms/cases.jsonl is written as .xlsx, .xls, .docx, .html and .pdf
(evaluation/renditions.py) and read back; the header row, two indicator rows and the merged level
cells must come back identical from every extractor (one shared test over all of them).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from corpus.errors import InputError
from corpus.read.document import Limits, Table
from corpus.read.extract import (EXTRACTORS, OFFICE_SUFFIXES, TEXT_SUFFIXES, extract,
                                 extractor_for, open_zip)
from corpus.read.extract.numbers import render_number, render_value
from evaluation.renditions import FORMATS, TEMPLATES, form_grid, split_value, write_rendition

SHARED = Path(__file__).resolve().parents[2] / "shared"
CASES_FILE = SHARED / "fieldforms" / "cases.jsonl"


@pytest.fixture(scope="module")
def cases() -> dict[str, dict]:
    if not CASES_FILE.exists():
        pytest.skip("../shared/fieldforms/cases.jsonl is not available")
    rows = [json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {row["id"]: row for row in rows}


def spans(table: Table, r: int) -> list[tuple[str, int, int] | None]:
    return [None if c is None else (c.text, c.rowspan, c.colspan) for c in table.rows[r]]


def header_index(table: Table) -> int:
    return next(r for r, row in enumerate(table.rows) if row[0] is not None and row[0].text == "一级指标")


# What every format must give back, taken from the real cases (level cells with their spans).
EXPECTED = {
    ("A-019", "plain"): {
        "header": ["一级指标", "二级指标", "三级指标", "指标值"],
        "rows": {
            1: [("产出指标", 4, 1), ("数量指标", 2, 1), ("野生动物收容所", 1, 1), ("≥200平方米", 1, 1)],
            2: [None, None, ("钢结构圈养围栏", 1, 1), ("≥120米", 1, 1)],
            5: [("效益指标", 3, 1), ("经济效益指标", 1, 1), ("务工人员年人均增收", 1, 1), ("≥8400元", 1, 1)],
        },
        "block": {"项目名称": "2023年马鹿坑国有林场新建野生动物收容所建设项目", "资金(万元)": "32.40",
                  "年度": "2023"},
        "title": "2023年度项目支出绩效目标申报表",
    },
    ("A-001", "split"): {
        "header": ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重"],
        "rows": {
            2: [None, None, ("贫困地区旅游景点开发数量( ≥**个 )", 1, 1), ("≥", 1, 1), ("4", 1, 1),
                ("个", 1, 1), ("", 1, 1)],
            6: [None, ("成本指标", 3, 1), ("流转土地补助标准", 1, 1), ("≤", 1, 1), ("475", 1, 1),
                ("元/亩", 1, 1), ("", 1, 1)],
            10: [None, None, ("乡村旅游带动增加贫困人口收入(≥**万元)", 1, 1), ("≥", 1, 1), ("2.61", 1, 1),
                 ("万元", 1, 1), ("", 1, 1)],
        },
        "first_levels": [("产出指标", 8, 1), ("数量指标", 3, 1)],
        "block": {"资金(万元)": "10.00", "主管部门": "南岳镇政府"},
        "title": "2018年度项目支出绩效目标表",
    },
    ("A-007", "selfeval"): {
        "header": ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因"],
        "rows": {
            # 一级指标 is null in the real form: blank, and not merged over the rows below
            1: [("", 1, 1), ("数量指标", 9, 1), ("红薯种植面积", 1, 1), ("5.5亩", 1, 1), ("5.5亩", 1, 1),
                ("10", 1, 1), ("10", 1, 1), ("", 1, 1)],
            9: [("", 1, 1), None, ("羊养殖数量", 1, 1), ("283只", 1, 1), ("283只", 1, 1), ("10", 1, 1),
                ("10", 1, 1), ("", 1, 1)],
        },
        "block": {},
        "title": "2023年度项目支出绩效自评表",
    },
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case_id,template", list(EXPECTED))
def test_every_extractor_gives_the_same_grid(cases, tmp_path, fmt, case_id, template):
    expected = EXPECTED[(case_id, template)]
    path = write_rendition(cases[case_id], fmt, template, tmp_path / f"{case_id}.{fmt}")
    doc = extract(path)
    assert doc.format == fmt
    assert len(doc.tables) == 1
    table = doc.tables[0]
    h = header_index(table)
    assert table.texts(h) == expected["header"]
    for offset, row in expected["rows"].items():
        assert spans(table, h + offset) == row, (fmt, offset)
    if "first_levels" in expected:
        assert spans(table, h + 1)[:2] == expected["first_levels"]
    block = {row[0].text: row[1].text for row in table.rows[:h] if row[0] is not None and row[1] is not None}
    for label, value in expected["block"].items():
        assert block[label] == value
    indicator_rows = len(cases[case_id]["indicators"])
    assert len(table.rows) == h + 1 + indicator_rows
    assert table.positional
    if fmt in ("xlsx", "xls"):  # a spreadsheet's title is the merged first row; the sheet names it
        assert table.texts(0)[0] == expected["title"] and table.rows[0][0].colspan == len(expected["header"])
        assert table.where.startswith("工作表 ")
    else:
        assert doc.title == expected["title"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_whole_grid_matches_the_written_form_for_every_template(cases, tmp_path, fmt):
    """Every cell of every template, A-006 included (both levels null on most rows)."""
    for case_id in ("A-006", "A-002"):
        for template in TEMPLATES:
            grid = form_grid(cases[case_id], template)
            path = write_rendition(cases[case_id], fmt, template, tmp_path / f"{case_id}-{template}.{fmt}")
            table = extract(path).tables[0]
            rows = table.rows[1:] if fmt in ("xlsx", "xls") else table.rows
            got = [[None if c is None else (" ".join(c.text.split()), c.rowspan, c.colspan) for c in row]
                   for row in rows]
            want = [[None if c is None else (" ".join(c.text.split()), c.rowspan, c.colspan) for c in row]
                    for row in grid.rows]
            assert got == want, (case_id, template)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_extractor_cuts_rows_at_max_rows_with_a_warning(cases, tmp_path, fmt):
    path = write_rendition(cases["A-001"], fmt, "plain", tmp_path / f"A-001.{fmt}")
    doc = extract(path, limits=Limits(max_rows=10))
    table = doc.tables[0]
    assert len(table.rows) == 10
    assert [w.code for w in doc.warnings] == ["rows_cut"]
    h = header_index(table)
    # 产出指标 spans 8 rows in the form; the span is clipped to the rows that were read
    assert spans(table, h + 1)[:2] == [("产出指标", 9 - h, 1), ("数量指标", min(3, 9 - h), 1)]


def test_split_value_keeps_the_number_and_unit_as_written():
    assert split_value(">=2.61万元") == ("≥", 2.61, "万元")
    assert split_value("<=475元/亩") == ("≤", 475, "元/亩")
    assert split_value("100%") == ("=", 100, "%")
    assert split_value("2023年12月") == ("定性", "2023年12月", "")
    assert split_value("每亩300") == ("定性", "每亩300", "")
    assert split_value("显著") == ("定性", "显著", "")


def test_html_page_in_gb18030_is_converted_and_script_ignored(cases, tmp_path):
    path = write_rendition(cases["A-019"], "html", "selfeval", tmp_path / "a.html")
    assert b"charset=gb2312" in path.read_bytes()
    doc = extract(path)
    assert [w.code for w in doc.warnings] == ["encoding_converted"]
    assert "GB18030" in doc.warnings[0].message
    assert doc.title == "2023年度项目支出绩效自评表"
    assert doc.text_lines == ["2023年度项目支出绩效自评表", "填报说明：本表由预算管理系统导出。"]
    assert all("not a cell" not in (c.text if c else "") for row in doc.tables[0].rows for c in row)
    # the same page without any charset declaration is still detected as GB18030
    undeclared = tmp_path / "b.htm"
    undeclared.write_bytes(path.read_bytes().replace(b"; charset=gb2312", b""))
    doc = extract(undeclared)
    assert doc.warnings[0].code == "encoding_converted"
    assert doc.tables[0].texts(1)[:2] == ["主管部门", "临沧市临翔区林业和草原局"]


def test_docx_text_outside_tables_and_nested_tables(cases, tmp_path):
    import docx

    path = write_rendition(cases["A-019"], "docx", "plain", tmp_path / "a.docx")
    doc = extract(path)
    assert doc.text_lines == ["2023年度项目支出绩效目标申报表", "填报说明：本表由预算管理系统导出。"]
    # a form pasted into a one-cell layout table: the inner grid is a Table of its own
    outer = docx.Document()
    cell = outer.add_table(rows=1, cols=1).cell(0, 0)
    cell.paragraphs[0].text = "附件1"
    inner = cell.add_table(rows=2, cols=2)
    for r, texts in enumerate([["三级指标", "指标值"], ["项目竣工验收率", "100%"]]):
        for c, text in enumerate(texts):
            inner.cell(r, c).text = text
    outer.save(str(tmp_path / "nested.docx"))
    doc = extract(tmp_path / "nested.docx")
    assert [t.where for t in doc.tables] == ["表 1", "表 1 第 1 行第 1 格内的表 1"]
    assert doc.tables[0].texts(0) == ["附件1"]
    assert doc.tables[1].texts(1) == ["项目竣工验收率", "100%"]


def test_pdf_text_outside_the_table_is_kept_as_lines(cases, tmp_path):
    path = write_rendition(cases["A-001"], "pdf", "plain", tmp_path / "a.pdf")
    doc = extract(path)
    assert doc.text_lines == ["2018年度项目支出绩效目标申报表"]
    assert doc.tables[0].where == "第 1 页表 1"


def test_spreadsheet_numbers_render_as_shown_in_excel(tmp_path):
    import datetime as dt

    assert render_number(1100.0) == "1100"
    assert render_number(0.75) == "0.75"
    assert render_number(0.95, "0%") == "95%"
    assert render_number(0.955, "0.0%") == "95.5%"
    assert render_number(1234.5, "#,##0.00") == "1,234.50"
    assert render_number(0.1 + 0.2) == "0.3"
    assert render_value(dt.datetime(2023, 12, 31), 'yyyy"年"m"月"') == "2023年12月"
    assert render_value(dt.datetime(2023, 12, 31), "yyyy-mm-dd") == "2023-12-31"

    from openpyxl import Workbook
    import xlwt

    values = [(1100.0, "General"), (0.75, "General"), (0.95, "0%"), (32.4, "0.00")]
    book = Workbook()
    for c, (value, number_format) in enumerate(values, start=1):
        book.active.cell(row=1, column=c, value=value).number_format = number_format
    book.save(tmp_path / "n.xlsx")
    old = xlwt.Workbook()
    sheet = old.add_sheet("s")
    for c, (value, number_format) in enumerate(values):
        sheet.write(0, c, value, xlwt.easyxf(num_format_str=number_format))
    old.save(str(tmp_path / "n.xls"))
    for name in ("n.xlsx", "n.xls"):
        assert extract(tmp_path / name).tables[0].texts(0) == ["1100", "0.75", "95%", "32.40"]


def test_registry_leaves_text_formats_to_the_text_readers(tmp_path):
    assert set(OFFICE_SUFFIXES) == {".xlsx", ".xlsm", ".xls", ".docx", ".html", ".htm", ".pdf"}
    assert set(EXTRACTORS) == set(OFFICE_SUFFIXES)
    for suffix in TEXT_SUFFIXES + (".zip",):
        assert extractor_for(Path("form" + suffix)) is None
        (tmp_path / ("form" + suffix)).write_text("项目名称\n", encoding="utf-8")
        with pytest.raises(LookupError):
            extract(tmp_path / ("form" + suffix))
    with pytest.raises(InputError, match="文件不存在或不是普通文件"):
        extract(tmp_path / "missing.xlsx")


def test_workbook_under_the_wrong_office_suffix_is_read_with_a_warning(cases, tmp_path):
    real = write_rendition(cases["A-019"], "xls", "plain", tmp_path / "a.xls")
    renamed = tmp_path / "a.xlsx"
    renamed.write_bytes(real.read_bytes())
    doc = extract(renamed)
    assert doc.format == "xls" and doc.warnings[0].code == "format_mismatch"
    page = write_rendition(cases["A-019"], "html", "plain", tmp_path / "b.html")
    exported = tmp_path / "b.xls"  # budget systems often export an HTML table named .xls
    exported.write_bytes(page.read_bytes())
    doc = extract(exported)
    assert doc.format == "html" and doc.warnings[0].code == "format_mismatch"
    assert doc.tables[0].texts(0)[:2] == ["项目名称", "2023年马鹿坑国有林场新建野生动物收容所建设项目"]


def test_zip_of_forms_is_unpacked_safely(cases, tmp_path):
    form = write_rendition(cases["A-019"], "xlsx", "plain", tmp_path / "form.xlsx")
    archive = tmp_path / "forms.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(form, "2023/马鹿坑.xlsx")
        z.writestr("../../evil.txt", "x")
        z.writestr("/etc/passwd", "x")
        z.writestr("__MACOSX/._马鹿坑.xlsx", "x")
        z.writestr("inner.zip", "PK")
        z.writestr("ABCD.txt", "说明")
    # a Windows tool stores the GBK bytes of a name without the UTF-8 flag (same length: 8 bytes)
    archive.write_bytes(archive.read_bytes().replace(b"ABCD.txt", "说明.txt".encode("gbk")))
    with open_zip(archive, limits=Limits()) as unpacked:
        assert unpacked.names == ["2023/马鹿坑.xlsx", "说明.txt"]
        assert unpacked.skipped == ["../../evil.txt: 路径不安全（绝对路径或含 ..）",
                                    "/etc/passwd: 路径不安全（绝对路径或含 ..）",
                                    "__MACOSX/._马鹿坑.xlsx: 系统元数据",
                                    "inner.zip: 嵌套的压缩包（请先解压）"]
        doc = extract(unpacked.files[0], name="forms.zip/2023/马鹿坑.xlsx")
        assert doc.path == Path("forms.zip/2023/马鹿坑.xlsx")
        assert doc.tables[0].texts(1)[0] == "项目名称"
        assert unpacked.files[1].read_text(encoding="utf-8") == "说明"
        folder = unpacked.files[0].parents[1]
    assert not folder.exists()
    assert not (tmp_path / "evil.txt").exists()
