"""The budget officer's whole path in a real headless Chromium (issue 24): recommend → edit a value
→ download the form as .xlsx and .docx → read both back with `zhibiao parse` (same rows); review
the downloaded .xlsx → download the memo; sign in → upload a .zip of 3 forms → the job finishes and
the corpus count rises; search 卫生 → national library rows; remove a file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest

from api.export.form import Draft, DraftRow, form_download
from api.live import LiveServer
from api.settings import Settings
from corpus.store import SAMPLES_DIR, CorpusStore, form_files, ingest
from tests.conftest import ROOT
from tests.test_browser import ARGS, CHROMIUM, shots

pytestmark = pytest.mark.slow
TOKEN = "officer-s3cret"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("workflow-home")
    settings = Settings(home=home, admin_token=TOKEN)
    with CorpusStore(settings.store_path) as store:  # the archive starts as the 22 sample forms
        ingest(store, list(form_files([SAMPLES_DIR])), jobs=1)
    with LiveServer(settings) as live:
        yield live


@pytest.fixture(scope="module")
def browser_page():
    from playwright.sync_api import sync_playwright
    assert CHROMIUM, "chromium is required"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
        yield context.new_page()
        browser.close()


def parse_rows(path) -> list[tuple]:
    done = subprocess.run([sys.executable, "-m", "api.cli", "parse", "--json", str(path)], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", timeout=120,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 0, done.stderr
    [decl] = json.loads(done.stdout)
    return [(i["level1"], i["level2"], i["name"], i["target"]["raw"]) for i in decl["indicators"]]


def three_forms_zip(path):
    with zipfile.ZipFile(path, "w") as archive:
        for n, (name, count) in enumerate((("村级道路养护", "=35公里"), ("农村低保资金发放", "≥1200户"),
                                            ("中小学教师培训", "≥600人次")), start=1):
            draft = Draft(project_name=f"2025年{name}项目", agency="某县财政局", rows=[
                DraftRow("产出", "数量", f"{name}数量", count), DraftRow("产出", "质量", "验收合格率", "=100%"),
                DraftRow("效益", "社会效益", "群众受益面", "≥90%"),
                DraftRow("满意度", "服务对象满意度", "服务对象满意度", "≥90%")])
            archive.writestr(f"表{n}.xlsx", form_download(draft=draft, fmt="xlsx").content)
    return path


def test_the_officers_whole_path(server, browser_page, tmp_path):
    page, out = browser_page, shots(tmp_path)
    page.goto(server.url + "/")
    page.wait_for_selector("text=语料库 22 份申报表")

    # 1. recommend, edit a value, download both formats, read them back
    page.fill("input[name=project_name]", "乡镇卫生院医疗设备购置")
    page.fill("textarea[name=description]", "为12个乡镇卫生院购置医疗设备36台（套），年底前完成安装验收，提升基层诊疗能力。")
    page.fill("input[name=agency]", "某县卫生健康局")
    page.click("#recommend-form button[type=submit]")
    page.wait_for_selector("#recommend-table", timeout=90_000)
    counts = "#recommend-table tr.draft-row:has(td.l2:text-is('数量'))"
    equipment = page.locator(f"{counts}:has(td.name:has-text('设备')) td.value")  # the devices' count
    cell = (equipment if equipment.count() else page.locator(f"{counts} td.value")).first
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("≥40台（套）")
    rows = [(r["level1"], r["level2"], r["name"], r["value"]) for r in page.evaluate("draftRows()")]
    assert "≥40台（套）" in [r[3] for r in rows if r[1] == "数量"] and len(rows) >= 10
    page.screenshot(path=str(out / "workflow-recommend.png"))
    for fmt in ("xlsx", "docx"):
        with page.expect_download() as download:
            page.click(f"#download-form-{fmt}")
        path = tmp_path / f"form.{fmt}"
        download.value.save_as(path)
        assert download.value.suggested_filename == f"乡镇卫生院医疗设备购置-绩效目标申报表.{fmt}"
        assert parse_rows(path) == rows

    # 2. review the downloaded form, download the memo
    page.click("#tab-review")
    page.set_input_files("#review-file", [str(tmp_path / "form.xlsx")])
    page.click("#review-form button[type=submit]")
    summary = page.wait_for_selector("table.review-summary", timeout=90_000)
    assert "乡镇卫生院医疗设备购置" in summary.inner_text()
    page.click(".open-memo")
    page.wait_for_selector("tr.memo:not([hidden]) table.review-table")
    page.screenshot(path=str(out / "workflow-review.png"))
    with page.expect_download() as download:
        page.click("#download-memo-xlsx")
    memo = tmp_path / "memo.xlsx"
    download.value.save_as(memo)
    from openpyxl import load_workbook
    assert load_workbook(memo).sheetnames == ["汇总", "1-乡镇卫生院医疗设备购置"]

    # 3. sign in, upload a .zip of three forms, see the job finish and the corpus grow
    page.click("#tab-corpus")
    page.fill("#admin-form input[name=token]", "wrong")
    page.click("#admin-form button[type=submit]")
    page.wait_for_selector("#admin-message:has-text('登录失败')")
    page.fill("#admin-form input[name=token]", TOKEN)
    page.click("#admin-form button[type=submit]")
    page.wait_for_selector("#archive-table")
    assert page.evaluate("sessionStorage.getItem('zhibiao-admin-token')") == TOKEN
    page.set_input_files("#archive-files", [str(three_forms_zip(tmp_path / "三份申报表.zip"))])
    page.click("#archive-upload")
    page.wait_for_selector("#job-done", timeout=120_000)
    grown = page.wait_for_selector("#corpus-grown", timeout=300_000).inner_text()
    assert "语料库现有 25 份申报表（新增 3 份）" in grown
    assert page.locator("#corpus-count").inner_text() == "25"
    assert page.locator("#archive-table td:has-text('三份申报表.zip')").count() == 1

    # 4. search 卫生: the national library's rows and the corpus's, each named
    page.fill("#library-form input[name=q]", "卫生")
    page.click("#library-form button[type=submit]")
    page.wait_for_selector("#library-national:has-text('国家指标库：共 92 个指标')")
    assert page.locator("#library-out td:has-text('人均基本公共卫生服务经费补助标准')").count() == 1
    assert page.locator("#library-corpus").count() == 1
    page.screenshot(path=str(out / "workflow-corpus.png"), full_page=True)

    # 5. remove the uploaded file: the count falls back
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#archive-table tr:has-text('三份申报表.zip') .remove-file")
    page.wait_for_function("document.querySelector('#corpus-count') && document.querySelector('#corpus-count').textContent === '22'",
                           timeout=300_000)
