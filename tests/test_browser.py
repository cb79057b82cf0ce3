"""The web page in a real headless Chromium: recommend for a seed project, review a seed form."""

import os
import shutil
from pathlib import Path

import pytest

from api.settings import Settings
from tests.conftest import ROOT, SEEDS
from api.live import LiveServer

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]

if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed (make test installs it as root)", allow_module_level=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    settings = Settings(home=tmp_path_factory.mktemp("browser-home"))
    with LiveServer(settings) as live:
        live.settings = settings
        yield live


@pytest.fixture(scope="module")
def page():
    from playwright.sync_api import sync_playwright
    assert CHROMIUM, "chromium is required in CI"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        yield page
        browser.close()


def shots(tmp_path) -> Path:
    # ZHIBIAO_SCREENSHOTS=docs refreshes the pictures in the README
    target = os.environ.get("ZHIBIAO_SCREENSHOTS")
    return (ROOT / target) if target else tmp_path


def test_recommend_then_review_in_the_browser(server, page, tmp_path):
    out = shots(tmp_path)
    page.goto(server.url + "/")
    page.wait_for_selector("text=语料库 22 份申报表")
    page.fill("input[name=project_name]", "上海智慧微菜场建设")
    page.fill("textarea[name=description]", "完成2019年新建500家社区智慧微菜场任务，实现市民“菜篮子”量足价稳、优质安全、便捷惠民。")
    page.click("#recommend-form button[type=submit]")
    table = page.wait_for_selector("#recommend-table", timeout=60_000)
    assert "新建社区智慧微菜场数量" in table.inner_text() and "=500家" in table.inner_text()
    assert page.locator("#recommend-table tr.group").count() >= 3
    page.screenshot(path=str(out / "tab-recommend.png"), full_page=True)

    page.click("#tab-review")
    form_text = next(p for p in SEEDS if p.name.startswith("002_")).read_text(encoding="utf-8")
    page.fill("#review-form textarea", form_text)
    page.click("#review-form button[type=submit]")
    row = page.wait_for_selector("tr.sev-warning:has-text('社区智慧微菜场市民满意度')", timeout=60_000)
    assert "较满意" in row.inner_text() and "≥85%" in row.inner_text()
    page.eval_on_selector("h3:has-text('上海智慧微菜场建设')", "e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(out / "tab-review.png"))

    page.click("#tab-corpus")
    page.wait_for_selector("#library-out table")
    page.fill("#library-form input[name=q]", "满意度")
    page.click("#library-form button[type=submit]")
    page.wait_for_selector("#library-out td:has-text('资助对象满意度')")
    page.screenshot(path=str(out / "tab-corpus.png"), full_page=True)


def test_quality_report_renders_with_chinese_labels(server, page, tmp_path):
    import argparse

    from api.commands_report import cmd_report
    cmd_report(argparse.Namespace(out=None, format="html", by="agency", agency=None), server.settings)
    page.set_viewport_size({"width": 1240, "height": 1300})
    page.goto(server.url + "/report")
    assert page.locator("svg").count() == 4
    assert page.locator("text=含糊目标占比最高的是").count() == 1
    # a CJK font is installed (make test installs fonts-wqy-zenhei), so labels are not tofu boxes
    import subprocess
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    assert fonts.strip(), "no Chinese font: the report would render tofu"
    page.eval_on_selector("h2:nth-of-type(2)", "e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(shots(tmp_path) / "report.png"))


def test_api_docs_render_without_network(server, page):
    page.goto(server.url + "/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/v1/recommendations" in paths and "/v1/targets/assess" in paths


def test_review_tab_uploads_office_files(server, page, tmp_path):
    import json

    from evaluation.renditions import write_rendition
    shared = ROOT.parent / "shared" / "fieldforms"
    if not shared.exists():
        pytest.skip("../shared/fieldforms not present")
    case = next(json.loads(line) for line in (shared / "cases.jsonl").read_text(encoding="utf-8").splitlines()
                if json.loads(line)["id"] == "A-019")
    xlsx = write_rendition(case, "xlsx", "selfeval", tmp_path / "A-019.xlsx")
    page.goto(server.url + "/")
    page.click("#tab-review")
    page.set_input_files("#review-file", [str(xlsx), str(shared / "raw" / "A-001.txt")])
    page.click("#review-form button[type=submit]")
    table = page.wait_for_selector("table.review-summary", timeout=90_000)
    text = table.inner_text()
    assert "2023年马鹿坑国有林场新建野生动物收容所建设项目" in text and "A-019.xlsx" in text
    assert "2018年市级专项扶贫资金基础设施(人大代表扶贫基地)" in text and "A-001.txt" in text
