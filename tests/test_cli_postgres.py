"""The CLI on a PostgreSQL corpus (ZHIBIAO_DATABASE_URL) answers as on the SQLite default: the
same store contents, the same index, the same recommendation."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SEEDS

QUERY = ("recommend", "--name", "市场监管投诉举报热线运行维护", "--description",
         "受理群众投诉举报，提高办结率和满意度", "--json")


def _without_origin(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k not in ("origin", "timing", "seconds", "elapsed_ms")}


@pytest.mark.slow  # two index builds
def test_ingest_stats_and_recommend_agree_with_sqlite(zhibiao, postgres_url, monkeypatch):
    plain = zhibiao("ingest", *map(str, SEEDS))
    assert plain.returncode == 0, plain.stderr
    sqlite_stats = json.loads(zhibiao("corpus", "stats", "--json").stdout)
    sqlite_answer = json.loads(zhibiao(*QUERY).stdout)

    monkeypatch.setenv("ZHIBIAO_DATABASE_URL", postgres_url)
    done = zhibiao("ingest", *map(str, SEEDS))
    assert done.returncode == 0, done.stderr
    assert "新增 5，替换 0，未变化 0，失败 0；语料库现有 22 份申报表" in done.stdout
    stats = json.loads(zhibiao("corpus", "stats", "--json").stdout)
    assert {k: v for k, v in stats.items() if k != "origin"} == {
        k: v for k, v in sqlite_stats.items() if k != "origin"}
    assert stats["origin"].startswith("store postgresql://")
    answer = json.loads(zhibiao(*QUERY).stdout)
    assert _without_origin(answer) == _without_origin(sqlite_answer)
