"""The files a person takes away: the filled form (.xlsx, .docx) read back by our own reader into
the same rows, the reviewer's memo, and the API routes that return them."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.export.form import Draft, DraftRow, declaration_of_draft, form_download
from api.export.memo import ReviewedForm, memo_download
from api.settings import Settings
from corpus.read import read
from corpus.write import form_grid

ROWS = [("产出", "数量", "覆盖乡镇卫生院数量", "=12个"), ("产出", "数量", "医疗设备购置数量", "≥36台（套）"),
        ("产出", "质量", "设备验收合格率", "=100%"), ("产出", "时效", "设备采购完成时间", "2025年10月底前"),
        ("产出", "成本", "设备购置成本", "≤500万元"), ("效益", "社会效益", "群众就医便利程度", "明显提升"),
        ("满意度", "服务对象满意度", "患者满意度", "≥90%")]
DRAFT = Draft(project_name="乡镇卫生院医疗设备购置项目", agency="某县卫生健康局", department="某县卫生健康局",
              year=2025, annual_goal="为12个乡镇卫生院购置医疗设备36台（套），年底前完成验收。",
              rows=[DraftRow(*r) for r in ROWS])


def rows_of(decl):
    return [(i.level1, i.level2, i.name, i.target.raw) for i in decl.indicators]


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_form_reads_back_into_the_same_declaration(tmp_path, fmt):
    download = form_download(draft=DRAFT, fmt=fmt)
    assert download.filename == f"乡镇卫生院医疗设备购置项目-绩效目标申报表.{fmt}"
    path = tmp_path / download.filename
    path.write_bytes(download.content)
    [decl] = read(path)
    assert rows_of(decl) == ROWS
    assert (decl.project_name, decl.agency, decl.department, decl.year) == (
        "乡镇卫生院医疗设备购置项目", "某县卫生健康局", "某县卫生健康局", 2025)
    assert decl.texts["annual_goal"] == DRAFT.annual_goal


def test_level_cells_are_merged_over_their_rows():
    _, grid = form_grid(declaration_of_draft(DRAFT))
    table = grid[-len(ROWS):]
    assert [c.text for c in grid[9]] == ["一级指标", "二级指标", "三级指标", "指标值"]
    assert table[0][0].text == "产出指标" and table[0][0].rowspan == 5
    assert table[0][1].text == "数量指标" and table[0][1].rowspan == 2
    assert [r[0] is None for r in table] == [False, True, True, True, True, False, False]


def test_xlsx_keeps_values_starting_with_equals_as_text(tmp_path):
    from openpyxl import load_workbook
    path = tmp_path / "f.xlsx"
    path.write_bytes(form_download(draft=DRAFT, fmt="xlsx").content)
    sheet = load_workbook(path).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "=12个" in values and "=100%" in values  # not formulas (openpyxl would keep "=12个" as one)
    assert sheet.merged_cells.ranges and sheet.title == "项目支出绩效目标申报表"


def test_form_refuses_another_format():
    with pytest.raises(ValueError, match="格式“pdf”不支持"):
        form_download(draft=DRAFT, fmt="pdf")


REVIEW = {"declaration_id": "d-1", "project_name": "培训项目", "agency": "某县人社局", "year": 2025,
          "summary": {"indicators": 2, "vague": 1, "misfit": 0, "measurability_score": 50,
                      "by_severity": {"warning": 1}},
          "rows": [{"line": 3, "level1": "产出", "level2": "质量", "name": "培训质量", "value": "较好"},
                   {"line": 4, "level1": "产出", "level2": "数量", "name": "培训人次", "value": "≥300人次"}],
          "findings": [{"line": 3, "indicator": "培训质量", "severity": "warning", "label": "指标不够细化、量化",
                        "code": "NOT_QUANTIFIED", "message": "“较好”没有判断标准",
                        "suggestion": {"raw": "合格率（或达标率）≥90%", "basis": "以合格率衡量"}},
                       {"line": None, "indicator": None, "severity": "info", "label": "其他", "code": "OTHER",
                        "message": "缺少效益指标"}]}


def test_memo_xlsx_has_a_summary_sheet_and_one_sheet_per_form(tmp_path):
    from openpyxl import load_workbook
    clean = {**REVIEW, "project_name": "道路养护", "summary": {**REVIEW["summary"], "by_severity": {},
                                                               "measurability_score": 100}}
    download = memo_download(forms=[ReviewedForm("b.xlsx", clean), ReviewedForm("a.xlsx", REVIEW)], fmt="xlsx")
    assert download.filename == "审核汇总-2份.xlsx"
    path = tmp_path / "memo.xlsx"
    path.write_bytes(download.content)
    book = load_workbook(path)
    assert book.sheetnames == ["汇总", "1-培训项目", "2-道路养护"]  # worst first
    assert [c.value for c in book["汇总"][2]] == ["1", "某县人社局", "培训项目", "2", "0", "1", "0", "50", "a.xlsx"]
    cells = [c.value for row in book["1-培训项目"].iter_rows() for c in row if c.value]
    assert "合格率（或达标率）≥90%" in cells and "提示［其他］缺少效益指标" in cells


def test_memo_docx_of_one_form(tmp_path):
    import docx
    download = memo_download(forms=[ReviewedForm("a.xlsx", REVIEW)], fmt="docx")
    assert download.filename == "培训项目-审核意见.docx"
    path = tmp_path / "memo.docx"
    path.write_bytes(download.content)
    document = docx.Document(str(path))
    assert document.paragraphs[0].text == "审核意见：培训项目"
    table = document.tables[0]
    assert [c.text for c in table.rows[1].cells][3:7] == ["培训质量", "较好", "警告：指标不够细化、量化——“较好”没有判断标准",
                                                          "合格率（或达标率）≥90%"]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    home = tmp_path_factory.mktemp("export-home")
    with TestClient(create_app(Settings(home=home, admin_token="t0ken"))) as test_client:
        yield test_client


def test_api_form_export_and_refusals(client, tmp_path):
    body = {"project_name": DRAFT.project_name, "agency": DRAFT.agency, "annual_goal": DRAFT.annual_goal,
            "rows": [dict(zip(("level1", "level2", "name", "value"), r)) for r in ROWS]}
    for fmt in ("xlsx", "docx"):
        response = client.post(f"/v1/exports/form?format={fmt}", json=body)
        assert response.status_code == 200
        assert "filename*=UTF-8''" in response.headers["content-disposition"]
        path = tmp_path / f"f.{fmt}"
        path.write_bytes(response.content)
        assert rows_of(read(path)[0]) == ROWS
    bad = client.post("/v1/exports/form?format=pdf", json=body)
    assert bad.status_code == 422
    empty = client.post("/v1/exports/form", json={**body, "rows": []})
    assert empty.status_code == 422 and "rows" in empty.json()["error"]["message"]


def test_api_review_export(client):
    response = client.post("/v1/exports/review?format=xlsx", json={"forms": [{"file": "a.xlsx", "review": REVIEW}]})
    assert response.status_code == 200
    assert zipfile.is_zipfile(io.BytesIO(response.content))


def test_api_library_search_finds_health_rows(client):
    data = client.get("/v1/library", params={"q": "卫生"}).json()
    # 92 since the 妇幼健康服务 kind joined the 卫生健康 sector (issue 23, 2026-12-07); 82 before
    assert data["total"] == 92 and data["items"][0]["name"] == "人均基本公共卫生服务经费补助标准"
    assert client.get("/v1/library", params={"q": "卫生", "level1": "满意度"}).json()["total"] < 92


def test_api_files_list_and_remove_need_the_token(client):
    assert client.get("/v1/files").status_code == 401
    headers = {"Authorization": "Bearer t0ken"}
    assert client.get("/v1/files", headers=headers).json() == {"total": 0, "items": []}
    missing = client.delete("/v1/files", params={"path": "/nope.txt"}, headers=headers)
    assert missing.status_code == 404 and "nope.txt" in missing.json()["error"]["message"]


@pytest.mark.slow
def test_cli_recommend_and_review_write_files(zhibiao, tmp_path):
    form = tmp_path / "表.docx"
    done = zhibiao("recommend", "--name", "村级道路养护", "--description", "养护村级道路35公里，年底前完成。",
                   "--out", str(form))
    assert done.returncode == 0, done.stderr
    assert f"已写出申报表：{form}" in done.stderr
    [decl] = read(form)
    assert decl.project_name == "村级道路养护" and len(decl.indicators) >= 10
    memo = tmp_path / "意见.xlsx"
    done = zhibiao("review", str(form), "--out", str(memo))
    assert done.returncode == 0, done.stderr
    from openpyxl import load_workbook
    assert load_workbook(memo).sheetnames == ["汇总", "1-村级道路养护"]
    bad = zhibiao("review", str(form), "--out", str(tmp_path / "意见.pdf"))
    assert bad.returncode == 2 and "应为 .xlsx 或 .docx 文件" in bad.stderr
