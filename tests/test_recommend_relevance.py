"""Relevance before coverage (issue 23 item 3): a second kind's rows come in only about what the project
names. Real development form A-003 (a district's street cleaning during an epidemic), the fake encoder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.encoders import make_encoder
from recommender.engine import Engine
from recommender.recommend import recommend
from recommender.templates import asks_about_project

CASES = Path(__file__).resolve().parents[2] / "shared" / "fieldforms" / "cases.jsonl"


@pytest.fixture(scope="module")
def engine(seed_decls, tmp_path_factory):
    return Engine.build(list(seed_decls.values()), make_encoder("fake"), tmp_path_factory.mktemp("index"))


def _case(ident: str) -> dict:
    if not CASES.exists():
        pytest.skip("the development forms are not beside the project")
    return next(c for c in map(json.loads, CASES.read_text(encoding="utf-8").splitlines()) if c["id"] == ident)


def test_a_second_kinds_rows_come_in_only_about_what_the_project_names(engine):
    from recommender.settings import DEFAULT
    case = _case("A-003")
    ask = dict(project_name=case["project_name"], description=case["description"])
    # the shipped keep_ratio (0.7, leave-one-province-out) keeps the best kind alone here; the rule for a
    # second kind's rows is exercised with the kind kept from half the best score, as before the fit
    assert [k.name for k in recommend(engine, **ask).kinds] == ["环境卫生保洁与消杀"]
    answer = recommend(engine, **ask, settings=DEFAULT.with_values(keep_ratio=0.5))
    assert [k.name for k in answer.kinds] == ["环境卫生保洁与消杀", "疾病预防控制与传染病防治"]
    second = next(k for k in engine.kinds if k.name == "疾病预防控制与传染病防治")
    text = f"{case['project_name']}。{case['description']}"
    from_second = {e.name for e in second.indicators} & {i.name for i in answer.indicators if i.origin == "library"}
    assert from_second == {"重大传染病疫情处置率", "重点人群防治知识知晓率"}  # about 疫情, 防治: the project names them
    assert all(asks_about_project(engine, e, text) for e in second.indicators if e.name in from_second)
    assert "适龄儿童国家免疫规划疫苗接种率" not in {i.name for i in answer.indicators}


def test_a_missing_benefit_is_the_people_the_description_counts_not_a_blank():
    from recommender.recommend import _benefit_from_stated, _national_default
    from recommender.results import Suggested
    from recommender.stated import extract

    stated = [Suggested.stated(s) for s in extract("以产业补助的形式对64户脱贫户进行补助，新建道路2公里。")]
    row = _benefit_from_stated(stated)
    assert (row.level1, row.level2, row.name, row.target.raw) == ("效益", "社会效益", "受益脱贫户户数", "≥64户")
    assert _benefit_from_stated([s for s in stated if s.target.unit != "户"]) is None  # no people counted
    assert _national_default("数量").target.raw == "=100%"  # the generic count row is valued, not ≥__个


def test_rows_nearly_every_kind_lists_rank_below_the_projects_own(engine):
    from recommender.recommend import GENERIC_NAME_KINDS, _kinds_writing

    assert _kinds_writing(engine, "安全生产事故发生次数") >= GENERIC_NAME_KINDS
    assert _kinds_writing(engine, "工程交工验收合格率") == 1
    answer = recommend(engine, project_name="2025年石门村通组道路硬化工程",
                       description="新建石门村通组水泥路，道路全长约985米，路面宽4.5米，预算安排50万元。")
    rank = {i.name: n for n, i in enumerate(answer.indicators)}
    assert rank["工程交工验收合格率"] < rank["安全生产事故发生次数"]
    assert rank["路面压实度达标率"] < rank["工程按期完工率"]


def test_a_number_in_the_projects_name_is_a_stated_row_too(engine):
    answer = recommend(engine, project_name="2023年石门村500亩高标准农田建设项目",
                       description="建设高标准农田，配套灌溉渠道8.6千米。")
    rows = {i.name: (i.origin, i.target.raw, i.basis) for i in answer.indicators if i.origin == "description"}
    origin, target, basis = rows["高标准农田建设面积"]
    assert (origin, target) == ("description", "=500亩")
    assert basis.startswith("项目名称中写明：“2023年石门村500亩高标准农田建设项目”；对应指标库“高标准农田与农田水利建设”")
    assert rows["配套灌溉渠道长度"][1] == "=8.6千米"  # no work the author wrote about the channel (was …建设长度)
