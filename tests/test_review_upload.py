"""The 审核 upload: form files of any format reviewed through POST /v1/reviews/files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from evaluation.renditions import write_rendition

SHARED = Path(__file__).resolve().parents[2] / "shared" / "fieldforms"
pytestmark = pytest.mark.skipif(not SHARED.exists(), reason="../shared/fieldforms not present")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    with TestClient(create_app(Settings(home=home, encoder="tfidf"))) as client:
        yield client


def test_text_and_office_files_are_reviewed_each_on_its_own(client, tmp_path):
    case = next(json.loads(line) for line in (SHARED / "cases.jsonl").read_text(encoding="utf-8").splitlines()
                if json.loads(line)["id"] == "A-001")
    docx = write_rendition(case, "docx", "plain", tmp_path / "A-001.docx")
    files = [("files", ("A-019.txt", (SHARED / "raw" / "A-019.txt").read_bytes(), "text/plain")),
             ("files", ("A-001.docx", docx.read_bytes(), "application/octet-stream")),
             ("files", ("renamed.xlsx", "这不是工作簿".encode(), "application/octet-stream"))]
    response = client.post("/v1/reviews/files", files=files)
    assert response.status_code == 200
    first, second, third = response.json()
    assert first["error"] is None
    assert first["reviews"][0]["project_name"] == "2023年马鹿坑国有林场新建野生动物收容所建设项目"
    assert second["reviews"][0]["project_name"] == "2018年市级专项扶贫资金基础设施(人大代表扶贫基地)"
    assert third["reviews"] == [] and third["error"].startswith("renamed.xlsx：")


def test_unsupported_upload_is_refused(client):
    response = client.post("/v1/reviews/files", files=[("files", ("a.exe", b"MZ", "application/octet-stream"))])
    assert response.status_code == 422
    assert "文件类型不支持" in response.json()["error"]["message"]
