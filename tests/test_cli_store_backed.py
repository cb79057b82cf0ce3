"""`zhibiao corpus stats`, `review` and `report` never materialise the whole corpus: the stats are
SQL aggregates, the review is the server's store-backed reviewer, the report streams the store.
Values are those of the bundled seeds (22 forms, 306 indicators), as the list-based commands gave."""

from __future__ import annotations

import json

import pytest

import corpus.store
from api.cli import main
from api.commands_review import _read_form
from api.services import Services
from api.settings import Settings
from corpus.ingest_pool import Bounds
from corpus.store import SAMPLES_DIR, CorpusStore

SEED = SAMPLES_DIR / "002_9a32ee6a7d1f2b19.txt"
BY_AGENCY = {"上海市知识产权局": 1, "上海市市场监督管理局": 2, "上海市消费者投诉举报中心（上海市保护知识产权举报投诉服务中心）": 1,
             "（未知）": 1, "闵行区市场监督管理局": 1, "上海市商务委员会": 5, "上海市经济信息中心": 7,
             "上海市市场监督管理局行政服务中心": 4}
BY_YEAR = {"2019": 10, "2020": 8, "2023": 4}
BY_LAYOUT = {"sh-2019-tabbed": 10, "minhang-2020-sheets": 1, "sh-2020-starred": 7, "pdf-2023-pages": 4}

pytestmark = pytest.mark.usefixtures("no_whole_corpus")  # tests/conftest.py


@pytest.fixture(scope="module")
def seeded_home(tmp_path_factory):
    """A home whose store holds the bundled seeds (ingested as a user would)."""
    home = tmp_path_factory.mktemp("seeded")
    with CorpusStore(home / "corpus.sqlite3") as store:
        corpus.store.ingest(store, [SAMPLES_DIR], jobs=1)
    return home


def run(capsys, monkeypatch, home, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setenv("ZHIBIAO_HOME", str(home))
    monkeypatch.setenv("ZHIBIAO_ENCODER", "tfidf")
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_corpus_stats_of_the_samples_and_of_a_store(capsys, monkeypatch, tmp_path, seeded_home):
    status, out, _ = run(capsys, monkeypatch, tmp_path, "corpus", "stats", "--json")
    samples = json.loads(out)
    assert status == 0
    assert samples["origin"].startswith("bundled sample corpus (22 declarations")
    assert (samples["declarations"], samples["indicators"]) == (22, 306)
    # key order too: first appearance in corpus order, as counting the declarations gives it
    assert [list(samples[k].items()) for k in ("by_agency", "by_year", "by_layout")] == \
        [list(BY_AGENCY.items()), list(BY_YEAR.items()), list(BY_LAYOUT.items())]
    status, out, _ = run(capsys, monkeypatch, seeded_home, "corpus", "stats", "--json")
    stored = json.loads(out)
    assert stored["origin"] == f"store {seeded_home / 'corpus.sqlite3'} (22 declarations)"
    assert [list(stored[k].items()) for k in ("by_agency", "by_year", "by_layout")] == \
        [list(BY_AGENCY.items()), list(BY_YEAR.items()), list(BY_LAYOUT.items())]
    assert (stored["declarations"], stored["indicators"]) == (22, 306)
    status, text, _ = run(capsys, monkeypatch, seeded_home, "corpus", "stats")
    lines = text.splitlines()
    assert lines[0] == "语料库：用户语料库；22 份申报表，306 个指标"
    assert lines[1].split() == ["申报单位", "申报表数"] and lines[2].split() == ["上海市商务委员会", "5"]
    assert lines[9].split() == ["（未知）", "1"]
    assert [line.split() for line in lines[10:14]] == [["年度", "申报表数"], ["2019", "10"], ["2020", "8"], ["2023", "4"]]
    assert lines[-1].split() == ["上海", "2020", "年版（标签带星号）", "7"]  # sh-2020-starred, as a person reads it


def test_stats_count_missing_agency_and_year_as_unknown(tmp_path):
    from corpus.store import sample_declarations
    decls = sample_declarations()[:3]
    decls[0].agency, decls[1].year, decls[2].agency = "", None, None
    with CorpusStore(tmp_path / "corpus.sqlite3") as store:
        store.add_declarations(decls, source="three")
        counts = store.aggregates("（未知）")
    assert counts["by_agency"] == {"（未知）": 2, "上海市市场监督管理局": 1}
    assert counts["by_year"] == {"2019": 2, "（未知）": 1}


@pytest.mark.slow
def test_review_is_the_servers_review(capsys, monkeypatch, tmp_path):
    status, out, _ = run(capsys, monkeypatch, tmp_path, "review", str(SEED), "--json")
    assert status == 0
    reviews = json.loads(out)
    assert [(r["declaration_id"], r["summary"]["measurability_score"], r["summary"]["by_severity"], len(r["findings"]))
            for r in reviews] == [
        ("002_9a32ee6a7d1f2b19-1", 62, {"warning": 6}, 6), ("002_9a32ee6a7d1f2b19-2", 60, {"warning": 3}, 3),
        ("002_9a32ee6a7d1f2b19-3", 14, {"warning": 8}, 8), ("002_9a32ee6a7d1f2b19-4", 62, {"warning": 6}, 6),
        ("002_9a32ee6a7d1f2b19-5", 82, {"warning": 2}, 2)]
    server = Services.load(Settings(home=tmp_path, encoder="tfidf")).reviewer
    assert reviews == [server.review(d).to_dict() for d in _read_form(SEED, Bounds())]
    status, text, _ = run(capsys, monkeypatch, tmp_path, "review", str(SEED))
    assert status == 0 and text.count("== 审核意见") == 5 and "建议改为“≥85%”" in text


@pytest.mark.slow
def test_report_streams_the_store_and_matches_the_samples_report(capsys, monkeypatch, tmp_path, seeded_home):
    status, _, err = run(capsys, monkeypatch, tmp_path, "report", "--out", str(tmp_path / "samples"),
                         "--format", "json")
    assert status == 0 and "内置样例语料" in err
    status, _, err = run(capsys, monkeypatch, seeded_home, "report", "--out", str(tmp_path / "store"),
                         "--format", "json,html")
    assert status == 0 and "用户语料库" in err and "已分析 22 份申报表" in err
    tables = ("declarations", "agencies", "years", "agency_years", "indicator_library")
    for name in tables:  # the same 22 forms: the same report, streamed from the store
        assert (tmp_path / "store" / f"{name}.json").read_text(encoding="utf-8") == \
            (tmp_path / "samples" / f"{name}.json").read_text(encoding="utf-8")
    agencies = json.loads((tmp_path / "store" / "agencies.json").read_text(encoding="utf-8"))
    assert [(r["group"], r["declarations"], r["indicators"], r["vague"], r["mean_measurability"]) for r in agencies] == [
        ("上海市商务委员会", 5, 44, 18, 56.0), ("上海市市场监督管理局", 2, 31, 15, 43.5),
        ("上海市市场监督管理局行政服务中心", 4, 34, 9, 66.2),
        ("上海市消费者投诉举报中心（上海市保护知识产权举报投诉服务中心）", 1, 19, 8, 58.0),
        ("上海市知识产权局", 1, 15, 7, 53.0), ("上海市经济信息中心", 7, 135, 76, 43.0),
        ("闵行区市场监督管理局", 1, 6, 2, 67.0), ("（未知）", 1, 22, 10, 55.0)]
    assert len(json.loads((tmp_path / "store" / "indicator_library.json").read_text(encoding="utf-8"))) == 219
    assert "22 份申报表，306 个指标" in (tmp_path / "store" / "report.html").read_text(encoding="utf-8")
    status, _, _ = run(capsys, monkeypatch, seeded_home, "report", "--out", str(tmp_path / "two"), "--format", "json",
                       "--by", "year", "--agency", "上海市经济信息中心", "--agency", "上海市商务委员会")
    years = json.loads((tmp_path / "two" / "years.json").read_text(encoding="utf-8"))
    assert status == 0 and [(r["group"], r["declarations"], r["indicators"]) for r in years] == \
        [("2019", 5, 44), ("2020", 7, 135)]
    # ties among the commonest names: first used first, as before the report streamed
    assert years[0]["top_indicators"] == "预算执行率×3、专款专用率×2、资金使用合规性×2、财务制度健全性×1、信息和数据服务产品数×1"
