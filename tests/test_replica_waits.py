"""A replica started before the builder's first publication is alive but not ready, says why,
and becomes ready on its own once an index is published (no restart)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.commands_recommend import load_engine
from api.settings import Settings


@pytest.mark.slow  # an index build (~8 s)
def test_a_replica_waits_for_the_first_published_index(tmp_path):
    settings = Settings(home=tmp_path, encoder="tfidf", index_readonly=True)
    with TestClient(create_app(settings)) as client:
        waiting = client.get("/readyz")
        assert waiting.status_code == 503
        assert waiting.json()["reason"].startswith("尚无已发布的索引，等待构建进程（zhibiao corpus index）发布：")
        assert client.get("/healthz").status_code == 200
        load_engine(Settings(home=tmp_path, encoder="tfidf"))  # the builder publishes (bundled samples)
        holder = client.app.state.holder
        holder._checked = 0.0
        client.get("/readyz")  # notices the publication; loads it in the background
        for _ in range(600):
            if not holder.rebuilding:
                break
            import time
            time.sleep(0.1)
        ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.json()["declarations"] == 22
