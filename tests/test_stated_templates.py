"""Where a fill-in template (≥__) is offered or left out (issue 23 item 4): a number the description
states stands for the library row that asks for it, matched by unit and measured object; the project's
whole budget as a ceiling is written as a share of the budget (valued, no blank); a template asks only
about something the project text names. Exact rows expected."""

import pytest

from models.encoders import make_encoder
from recommender.engine import Engine
from recommender.recommend import recommend


@pytest.fixture(scope="module")
def engine(seed_decls, tmp_path_factory):
    return Engine.build(list(seed_decls.values()), make_encoder("fake"), tmp_path_factory.mktemp("index"))


def _rows(result):
    return [(i.origin, i.level2, i.name, i.target.raw) for i in result.indicators]


def test_a_stated_count_stands_for_the_library_template_of_the_same_unit_and_object(engine):
    result = recommend(engine, project_name="2024年食品安全抽检项目",
                       description="全年抽检食品样品数量1200批次，每月开展1次考核。")
    rows = _rows(result)
    assert ("description", "数量", "抽检食品样品数量", "≥1200批次") in rows
    assert ("description", "数量", "考核频次", "≥1次/月") in rows
    assert not [r for r in rows if "批次" in r[3] and "__" in r[3]]
    stated = next(i for i in result.indicators if i.name == "抽检食品样品数量")
    assert "食品（产品）抽检批次" in stated.basis


def test_the_budget_ceiling_without_a_stated_sum_is_a_share_of_the_budget(engine):
    result = recommend(engine, project_name="2024年乡村旅游基础设施项目",
                       description="完善乡村旅游景点步道和停车场，带动游客增长。")
    rows = _rows(result)
    assert not [r for r in rows if r[2] == "项目预算控制数"]
    assert ("library", "成本", "项目成本控制率", "≤100%") in rows
    row = next(i for i in result.indicators if i.name == "项目成本控制率")
    assert "项目预算控制数" in row.basis


def test_a_stated_sum_stands_for_the_budget_ceiling(engine):
    result = recommend(engine, project_name="2024年乡村旅游基础设施项目",
                       description="完善乡村旅游景点步道和停车场，带动游客增长，项目总投资约50万。")
    rows = _rows(result)
    assert ("description", "成本", "项目总投资", "≤50万元") in rows
    assert not [r for r in rows if r[2] in ("项目预算控制数", "项目成本控制率") and r[0] == "library"]


def test_a_template_asks_only_about_what_the_project_names(engine):
    result = recommend(engine, project_name="2024年农村公路硬化项目",
                       description="对村组道路进行水泥硬化，改善群众出行条件。")
    templates = [r[2] for r in _rows(result) if "__" in r[3]]
    assert "新建（改建）桥梁数量" not in templates
    assert result.templates == len(templates)


def test_a_deadline_without_its_year_takes_the_projects_year(engine):
    from recommender.templates import project_year
    assert project_year("2024年乡村旅游基础设施项目", "2023年已建成游客中心") == "2024"
    assert project_year("乡村旅游基础设施项目", "2023年建成游客中心") == "2023"
    assert project_year("乡村旅游基础设施项目", "2022年规划，2023年建成") is None
    result = recommend(engine, project_name="2024年乡村旅游基础设施项目",
                       description="完善乡村旅游景点步道和停车场，年底前完成建设。")
    deadlines = {(i.name, i.target.raw, i.origin) for i in result.indicators if i.level2 == "时效" and "月" in i.target.raw}
    # the author's own deadline stays as the description writes it; every other takes the project's year
    assert ("建设完成时限", "12月底前", "description") in deadlines
    assert all(raw.startswith("2024年") for _, raw, origin in deadlines if origin != "description")
    from recommender.results import Suggested, Target
    from recommender.templates import with_project_year
    rows = [Suggested("产出", "时效", "项目完成时限", Target("12月底前", None, None, None), 0.0, "framework"),
            Suggested("产出", "时效", "建设完成时限", Target("12月底前", None, None, None), 0.0, "description")]
    with_project_year(rows, "2024")
    assert [r.target.raw for r in rows] == ["2024年12月底前", "12月底前"]
