"""deploy/compose.yaml is a recipe (Docker does not run here): parsed and checked for the topology
the README describes — PostgreSQL, one builder, API replicas on a read-only index, a proxy."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT

yaml = pytest.importorskip("yaml", reason="PyYAML 未安装（make test 的依赖会带上它）")


def test_compose_recipe_has_the_documented_topology():
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"postgres", "builder", "api", "proxy"}
    assert services["postgres"]["image"] == "postgres:15"
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"]
    for name in ("builder", "api"):
        env = services[name]["environment"]
        assert env["ZHIBIAO_DATABASE_URL"].startswith("postgresql://zhibiao:")
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "zhibiao corpus index" in services["builder"]["command"][-1]
    assert services["builder"]["volumes"][-1] == "index:/home/zhibiao/zhibiao/index"
    api = services["api"]
    assert api["environment"]["ZHIBIAO_INDEX_READONLY"] == "1"
    assert api["volumes"] == ["index:/home/zhibiao/zhibiao/index:ro"]
    assert "/readyz" in api["healthcheck"]["test"][-1]
    assert services["proxy"]["depends_on"]["api"]["condition"] == "service_healthy"
    assert set(compose["volumes"]) == {"pgdata", "index"}
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install --no-cache-dir --no-compile ." in dockerfile  # the runtime only: no ray, no torch
