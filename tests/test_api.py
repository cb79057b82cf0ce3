"""The HTTP API with the real app: real corpus, real e5 index (built once for the module)."""

import json
import time

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.conftest import SEEDS

TOKEN = "s3cret-token"
SEED_002 = next(p for p in SEEDS if p.name.startswith("002_"))


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("api-home")


@pytest.fixture(scope="module")
def client(home):
    with TestClient(create_app(Settings(home=home, admin_token=TOKEN))) as test_client:
        yield test_client


def error_of(response):
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return body["error"]


def test_health_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["ready"] and ready["declarations"] == 22 and ready["indicators"] == 306
    assert ready["encoder"] == "static-e5" and ready["index"] == "flat"  # the default encoder


def test_recommendations(client):
    response = client.post("/v1/recommendations", json={
        "project_name": "上海智慧微菜场建设", "description": "完成2019年新建500家社区智慧微菜场任务", "top_k": 15})
    assert response.status_code == 200
    data = response.json()
    assert set(data) >= {"encoder", "similar_projects", "indicators", "coverage", "corpus_hash"}
    assert len(data["indicators"]) == 15 and data["coverage"]["missing"] == []
    assert any(i["name"] == "新建社区智慧微菜场数量" and i["target"]["raw"] == "=500家" for i in data["indicators"])


def test_request_limits_and_malformed_bodies(client):
    assert client.post("/v1/recommendations", json={"project_name": "x", "top_k": 0}).status_code == 422
    long = client.post("/v1/recommendations", json={"project_name": "x", "description": "很" * 5001})
    assert long.status_code == 413 and "description" in error_of(long)["message"]
    huge = client.post("/v1/targets/assess", content=b"{" + b" " * (2 * 1024 * 1024 + 10) + b"}",
                       headers={"content-type": "application/json"})
    assert huge.status_code == 413 and error_of(huge)["code"] == "too_large"
    def chunks():
        for _ in range(40):
            yield b" " * 65536
    streamed = client.post("/v1/targets/assess", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413  # sent without Content-Length, refused while streaming
    bad = client.post("/v1/recommendations", content="{not json", headers={"content-type": "application/json"})
    assert bad.status_code == 400 and error_of(bad)["code"] == "bad_json"
    missing = client.post("/v1/recommendations", json={"description": "no name"})
    assert missing.status_code == 422 and "project_name" in error_of(missing)["message"]


def test_reviews_from_text_and_from_json(client, seed_decls):
    response = client.post("/v1/reviews", json={"text": SEED_002.read_text(encoding="utf-8")})
    assert response.status_code == 200
    reviews = response.json()
    assert len(reviews) == 5
    market = reviews[3]
    assert market["project_name"] == "上海智慧微菜场建设"
    assert any(f["value"] == "较满意" and f["suggestion"]["raw"] == "≥85%" for f in market["findings"])
    as_json = client.post("/v1/reviews", json=seed_decls["003_2b8cab329f0dc167-4"].to_dict())
    [review] = as_json.json()
    assert any(f["indicator"] == "数据归集单位数" and f["severity"] == "error" for f in review["findings"])
    nothing = client.post("/v1/reviews", json={"text": "没有表格的文字"})
    assert nothing.status_code == 422
    assert error_of(nothing)["message"] == ("未找到绩效目标申报表：查找了含 一级指标/二级指标/"
                                            "三级指标/指标值（或 指标名称、年度指标值等）的表头，以及以句子写出的指标")
    assert client.post("/v1/reviews", json={"foo": 1}).status_code == 422


def test_targets_assess(client):
    response = client.post("/v1/targets/assess", json={"items": [
        {"name": "资助对象满意度", "value": "较满意"}, {"name": "办理时效性", "value": "2个工作日"}]})
    first, second = response.json()
    # the national indicator library's typical value comes first, the corpus median (≥85%) beside it
    assert first["vague"] and not first["fits"] and first["suggestion"]["raw"] == "≥90%"
    assert first["suggestion"]["basis"].startswith("国家指标库（知识产权资助与保护）“资助对象满意度”常用值 ≥90%")
    # the basis names the value suggested; the corpus median is shown only as a comparison (issue 24)
    assert first["suggestion"]["basis"].endswith("取此值；语料库同类指标另写作 ≥85%（仅供对照）")
    assert "中位数 85%" not in first["suggestion"]["basis"]
    assert not second["vague"] and second["fits"] and second["suggestion"] is None
    assert client.post("/v1/targets/assess", json={"items": []}).status_code == 422


def test_indicator_library_and_declarations(client):
    data = client.get("/v1/indicators", params={"q": "满意度", "level1": "满意度", "limit": 5}).json()
    assert data["total"] >= 5 and len(data["items"]) == 5
    top = data["items"][0]
    assert set(top) >= {"name", "level1", "level2", "frequency", "agencies", "observed_values"}
    assert all("满意度" in i["name"] and i["level1"] == "满意度" for i in data["items"])
    listing = client.get("/v1/declarations", params={"agency": "上海市经济信息中心"}).json()
    assert listing["total"] == 7
    assert client.get("/v1/declarations", params={"year": 2023}).json()["total"] == 4
    one = client.get("/v1/declarations/002_9a32ee6a7d1f2b19-4").json()
    assert one["project_name"] == "上海智慧微菜场建设" and len(one["indicators"]) == 8
    assert error_of(client.get("/v1/nothing-here"))["code"] == "not_found"
    assert error_of(client.get("/v1/recommendations"))["code"] == "method_not_allowed"
    missing = client.get("/v1/declarations/nope-1")
    assert missing.status_code == 404 and "nope-1" in error_of(missing)["message"]


def test_page_and_docs(client):
    page = client.get("/")
    assert page.status_code == 200 and "推荐指标" in page.text and "审核" in page.text and "语料库" in page.text
    assert "http://" not in page.text.replace("http://www", "") and "https://" not in page.text
    assert client.get("/static/app.js").status_code == 200
    docs = client.get("/docs")
    assert docs.status_code == 200 and "cdn" not in docs.text and "/swagger/swagger-ui-bundle.js" in docs.text
    assert client.get("/swagger/swagger-ui-bundle.js").status_code == 200
    assert "/v1/recommendations" in client.get("/openapi.json").json()["paths"]


def test_stats_and_report(client, home):
    stats = client.get("/v1/stats").json()
    agencies = {row["group"]: row for row in stats["agencies"]}
    assert agencies["上海市经济信息中心"]["indicators"] == 135 and agencies["上海市经济信息中心"]["vague"] == 76
    assert {row["group"] for row in stats["years"]} == {"2019", "2020", "2023"}
    missing = client.get("/report")
    assert missing.status_code == 404 and "zhibiao report" in error_of(missing)["message"]
    import argparse

    from api.commands_report import cmd_report
    cmd_report(argparse.Namespace(out=None, format="html", by="agency", agency=None), Settings(home=home))
    page = client.get("/report")
    assert page.status_code == 200 and "绩效指标质量报告" in page.text


def test_ingest_needs_the_admin_token(client, home):
    files = {"files": (SEED_002.name, SEED_002.read_bytes(), "text/plain")}
    assert client.post("/v1/declarations", files=files).status_code == 401
    wrong = client.post("/v1/declarations", files=files, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and error_of(wrong)["message"] == "令牌与 ZHIBIAO_ADMIN_TOKEN 不一致"
    with TestClient(create_app(Settings(home=home, admin_token=None))) as no_writes:
        refused = no_writes.post("/v1/declarations", files=files, headers={"Authorization": f"Bearer {TOKEN}"})
        assert refused.status_code == 403 and "ZHIBIAO_ADMIN_TOKEN" in error_of(refused)["message"]


def test_ingest_rebuilds_in_the_background(client):
    before = client.get("/readyz").json()
    text = SEED_002.read_text(encoding="utf-8").replace("上海智慧微菜场建设", "浦东智慧微菜场试点")
    response = client.post("/v1/declarations", headers={"Authorization": f"Bearer {TOKEN}"},
                           files={"files": ("pudong.txt", text.encode("utf-8"), "text/plain")})
    assert response.status_code == 202, response.text
    job = response.json()
    deadline = time.time() + 60
    while job["state"] != "done" and time.time() < deadline:
        time.sleep(0.2)
        job = client.get(job["url"], headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert job["state"] == "done", job
    assert job["files"][0]["status"] == "new" and job["rebuild"] == "scheduled"
    deadline = time.time() + 120
    while time.time() < deadline:
        ready = client.get("/readyz").json()
        if ready["corpus_hash"] != before["corpus_hash"] and not ready["rebuilding"]:
            break
        time.sleep(0.5)
    assert ready["declarations"] == 5  # the store now holds the user's corpus only
    found = client.get("/v1/declarations", params={"q": "浦东智慧微菜场试点"}).json()
    assert found["total"] == 1
    bad = client.post("/v1/declarations", headers={"Authorization": f"Bearer {TOKEN}"},
                      content=json.dumps({"no": "indicators"}), )  # no Content-Type: 415 (issue 20)
    assert bad.status_code == 415
    bad = client.post("/v1/declarations", headers={"Authorization": f"Bearer {TOKEN}",
                                                   "content-type": "application/json"},
                      content=json.dumps({"no": "indicators"}), )
    assert bad.status_code == 422
