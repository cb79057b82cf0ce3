"""Our own JSON export, CSV and XLSX tables go through the same entry point."""

import json

import pytest

from corpus.errors import InputError
from corpus.read import parse_file

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
    with pytest.raises(InputError) as caught:
        parse_file(path)
    assert caught.value.reason == ("表头缺少列：一级指标、二级指标、三级指标、指标值；应有 项目名称、一级指标、"
                                   "二级指标、三级指标、指标值（可选：申报单位、年度、项目概况）")


def test_bad_json_names_the_position(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('[{"project_name": "x",', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        parse_file(path)
    assert caught.value.reason == ("不是有效的 JSON（第 1 行第 23 列：此处应为双引号括起的字段名）；"
                                   "应为 zhibiao parse --json 的输出")
    lines = tmp_path / "bad.jsonl"
    lines.write_text('{"project_name": "x", "indicators": []}\n\n{"indicators": [}\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        parse_file(lines)
    assert caught.value.reason.startswith("不是有效的 JSON（第 3 行第 17 列：此处应为一个值）")


@pytest.mark.parametrize("item, reason", [
    ({"indicators": ["x"]}, "第 1 项：indicators[0]：应为对象，实际为字符串"),
    ({"indicators": [{"name": 5, "target": {"raw": "≥90%"}}]}, "第 1 项：indicators[0].name：应为字符串，实际为整数"),
    ({"indicators": [{"name": "满意度", "target": "≥90%"}]}, "第 1 项：indicators[0].target：应为对象，实际为字符串"),
    ({"indicators": [{"target": {"raw": "≥90%"}}]}, "第 1 项：indicators[0].name：缺少必填字段"),
    ({"indicators": {"name": "满意度"}}, "第 1 项：indicators：应为数组，实际为对象"),
    ({"indicators": [], "budget": [1, 2]}, "第 1 项：budget：应为对象，实际为数组"),
    ({"indicators": [], "texts": ["概况"]}, "第 1 项：texts：应为对象，实际为数组"),
    ({"indicators": [], "source": {"file": "a.json"}}, "第 1 项：source.layout：缺少必填字段"),
    ({"indicators": [], "warnings": ["x"]}, "第 1 项：warnings[0]：应为对象，实际为字符串"),
    ("x", "第 1 项不是申报表：应为含 project_name 和 indicators 的对象"),
])
def test_malformed_json_declaration_names_the_field(tmp_path, item, reason):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(item, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        parse_file(path)
    assert (caught.value.path, caught.value.reason) == (str(path), reason)


def test_json_target_given_only_as_written_is_read_like_a_form_cell(tmp_path):
    path = tmp_path / "raw.json"
    path.write_text(json.dumps({"project_name": "区图书馆阅读推广", "indicators": [
        {"level1": "产出", "level2": "数量", "name": "阅读推广活动场次", "target": {"raw": "≥24场"}},
        {"level1": "满意度", "level2": "服务对象满意度", "name": "读者满意度",
         "target": {"raw": "较满意", "kind": "qualitative"}}]}, ensure_ascii=False), encoding="utf-8")
    [decl] = parse_file(path)
    first, second = decl.indicators
    assert (first.target.operator, first.target.value, first.target.unit, first.target.kind) == (">=", 24, "场", "quantitative")
    assert (second.target.value, second.target.kind) == (None, "qualitative")  # a kind given is kept


def test_csv_with_a_lone_carriage_return_inside_a_quoted_cell(tmp_path):
    path = tmp_path / "cr.csv"
    rows = [HEADER, ROWS[0][:3] + ["阅读推广\r活动场次"] + ROWS[0][4:]]
    path.write_bytes("\r\n".join(",".join(f'"{c}"' for c in r) for r in rows).encode("utf-8"))
    [decl] = parse_file(path)
    assert [i.name for i in decl.indicators] == ["阅读推广\r活动场次"]
    huge = tmp_path / "huge.csv"  # one cell over the csv module's field limit (131,072 characters)
    huge.write_text(",".join(HEADER) + "\n" + "区图书馆," + "很" * 140_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        parse_file(huge)
    assert caught.value.reason == "第 2 行：不是有效的 CSV（单元格超过长度上限）；应为带表头的表格，每行一个指标"


def test_flat_xlsx_is_read_once_and_cut_at_the_row_limit(tmp_path):
    """A flat export is read from the extractor's bounded table, not by opening the workbook a
    second time: rows after the limit (20,000 by default; 100 here) are cut with the extractor's
    warning."""
    from openpyxl import Workbook

    from corpus.read import read
    from corpus.read.document import Limits
    book = Workbook(write_only=True)
    sheet = book.create_sheet("指标")
    sheet.append(HEADER)
    for n in range(1, 111):
        sheet.append(["区图书馆阅读推广", "产出指标", "数量指标", f"活动{n}", 0.95, "某区图书馆", 2024])
    path = tmp_path / "many.xlsx"
    book.save(path)
    [decl] = read(path, limits=Limits(max_rows=100))
    assert len(decl.indicators) == 99 and decl.indicators[-1].line == 100
    assert (decl.indicators[0].name, decl.indicators[0].target.raw, decl.year) == ("活动1", "0.95", 2024)
    assert [(w.code, w.message) for w in decl.warnings] == [
        ("rows_cut", "工作表 指标：超过 100 行，第 100 行之后未读取")]
