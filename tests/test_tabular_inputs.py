"""Our own JSON export, CSV and XLSX tables go through the same entry point."""

import json

import pytest

from corpus.errors import InputError
from corpus.layouts import parse_file

HEADER = ["项目名称", "一级指标", "二级指标", "三级指标", "指标值", "申报单位", "年度"]
ROWS = [
    ["区图书馆阅读推广", "产出指标", "数量指标", "阅读推广活动场次", "≥24场", "某区图书馆", "2024"],
    ["区图书馆阅读推广", "满意度指标", "服务对象满意度指标", "读者满意度", "≥90%", "某区图书馆", "2024"],
]


def test_json_export_round_trips(seed_decls, tmp_path):
    decls = [d for d in seed_decls.values() if d.id.startswith("003_")]
    path = tmp_path / "export.json"
    path.write_text(json.dumps([d.to_dict() for d in decls], ensure_ascii=False), encoding="utf-8")
    again = parse_file(path)
    assert [d.to_dict() for d in again] == [d.to_dict() for d in decls]


def test_csv_table(tmp_path):
    path = tmp_path / "library.csv"
    path.write_text("\n".join(",".join(r) for r in [HEADER] + ROWS), encoding="utf-8")
    [decl] = parse_file(path)
    assert (decl.project_name, decl.agency, decl.year) == ("区图书馆阅读推广", "某区图书馆", 2024)
    assert [(i.level1, i.level2, i.name, i.target.value, i.target.unit) for i in decl.indicators] == [
        ("产出", "数量", "阅读推广活动场次", 24, "场"), ("满意度", "服务对象满意度", "读者满意度", 90, "%")]


def test_xlsx_table(tmp_path):
    from openpyxl import Workbook
    book = Workbook()
    for r in [HEADER] + ROWS:
        book.active.append(r)
    path = tmp_path / "library.xlsx"
    book.save(path)
    [decl] = parse_file(path)
    assert len(decl.indicators) == 2 and decl.source.layout == "table-xlsx"


def test_csv_missing_columns_is_named(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("项目名称,指标\n甲,乙\n", encoding="utf-8")
    with pytest.raises(InputError, match="lacks column\\(s\\) 一级指标, 二级指标, 三级指标, 指标值"):
        parse_file(path)


def test_bad_json_names_the_position(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('[{"project_name": "x",', encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON \\(line 1"):
        parse_file(path)
