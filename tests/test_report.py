"""Quality report on the seeds: aggregates checked against counts made from the forms and labels."""

import csv
import json

import pytest

from evaluation.report import QualityReport, wilson


@pytest.fixture(scope="module")
def report(seed_decls):
    return QualityReport(list(seed_decls.values())).build()


def test_every_seed_agency_has_its_own_numbers(report):
    groups = {g.group: g for g in report.by_agency()}
    assert set(groups) == {"上海市知识产权局", "上海市市场监督管理局", "上海市消费者投诉举报中心（上海市保护知识产权举报投诉服务中心）",
                           "闵行区市场监督管理局", "上海市商务委员会", "上海市经济信息中心",
                           "上海市市场监督管理局行政服务中心", "（未知）"}
    # counted from the seed files and our labels (models/data/vagueness_labels.jsonl)
    info = groups["上海市经济信息中心"]
    assert (info.declarations, info.indicators, info.vague) == (7, 135, 76)
    commerce = groups["上海市商务委员会"]
    assert (commerce.declarations, commerce.indicators, commerce.vague) == (5, 44, 18)
    service = groups["上海市市场监督管理局行政服务中心"]
    assert (service.declarations, service.indicators, service.vague) == (4, 34, 9)
    assert info.vague_low <= info.vague_share <= info.vague_high
    assert info.coverage["数量"] == 1.0 and info.coverage["生态效益"] == pytest.approx(4 / 7, abs=0.001)
    assert ("健全", 13) in info.top_vague


def test_years_and_profiles(report):
    years = {g.group: (g.declarations, g.indicators) for g in report.by_year()}
    assert years == {"2019": (10, 131), "2020": (8, 141), "2023": (4, 34)}
    market = next(p for p in report.profiles if p.project_name == "上海智慧微菜场建设")
    assert (market.indicators, market.vague_count) == (8, 3)
    assert market.vague_expressions == ["稳步提升", "较满意", "较满意"]
    budget = next(r for r in report.library if r["indicator"] == "预算执行率")
    assert budget["frequency"] == 13 and budget["boilerplate"]  # 000-1,2,4; 002-1,2,5; all seven of 003


def test_wilson_interval():
    low, high = wilson(76, 135)
    assert round(low, 3) == 0.479 and round(high, 3) == 0.644
    assert wilson(0, 0) == (0.0, 0.0)


def test_cli_report_writes_every_format(zhibiao, tmp_path):
    out = tmp_path / "report"
    result = zhibiao("report", "--out", str(out))
    assert result.returncode == 0, result.stderr
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 4 and 'class="reading"' in html and "http" not in html
    assert "上海市经济信息中心" in html and "含糊目标占比最高的是“上海市经济信息中心”" in html
    with open(out / "agencies.csv", encoding="utf-8-sig") as handle:
        rows = {r["group"]: r for r in csv.DictReader(handle)}
    assert rows["上海市经济信息中心"]["indicators"] == "135"
    assert len(json.loads((out / "indicator_library.json").read_text(encoding="utf-8"))) > 200


def test_cli_report_side_by_side(zhibiao, tmp_path):
    out = tmp_path / "compare"
    result = zhibiao("report", "--out", str(out), "--format", "html", "--agency", "上海市商务委员会",
                     "--agency", "上海市经济信息中心")
    assert result.returncode == 0, result.stderr
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "上海市商务委员会 vs 上海市经济信息中心" in html and "上海市知识产权局" not in html.split("<h2>每份")[0]
    by_year = zhibiao("report", "--out", str(tmp_path / "years"), "--by", "year", "--format", "json")
    assert by_year.returncode == 0
    bad = zhibiao("report", "--agency", "不存在的单位")
    assert bad.returncode == 2 and "语料库中没有这个申报单位" in bad.stderr
