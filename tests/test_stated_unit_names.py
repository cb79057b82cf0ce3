"""A stated number under the word the unit writes (issue 23 item 4, drafts9): the ending past rows of the national
library wrote for a thing in a unit (recommender/unit_names.py), the reader's fixes the development forms showed
(an ordinal year is no quantity; a thing named by its own measure takes no second one), and the generator's second
family of clause shapes with its exact gold. Exact values throughout."""

import pytest

from corpus.targets import parse_target
from evaluation.stated_eval import recovered
from evaluation.stated_gen import generate, generate_widened
from models.encoders import make_encoder
from models.library import load_library
from models.segment import Segmenter
from recommender.engine import Engine
from recommender.quantify import entry_target
from recommender.recommend import recommend
from recommender.stated import extract
from recommender.unit_names import UnitNames


@pytest.fixture(scope="module")
def cut():
    return Segmenter().fit([]).cut


@pytest.fixture(scope="module")
def library_units(cut):
    """Learned from the national library's rows alone (a row whose number is the project's own: its unit)."""
    rows = [(e.name, parse_target(entry_target(e)).unit or e.unit) for k in load_library() for e in k.indicators]
    return UnitNames.learn(rows, cut)


def test_the_ending_a_thing_takes_in_its_unit_is_learned_from_past_rows(library_units):
    assert library_units.ending_for("起", "安全事故") == "发生数"  # 安全事故发生数, 12 rows
    assert library_units.by_unit("批次") == "批次"  # every row counted in 批次 ends so
    assert library_units.by_unit("件") is None  # 案件数 is no word of measure alone
    assert library_units.ending_for("公里", "道路") is None  # 道路长度 once, 道路里程 once: past rows do not agree


@pytest.mark.parametrize("name, unit, written, expected", [
    ("发生安全事故数量", "起", "", "安全事故发生数"),       # the verb past rows write after the thing, once
    ("查处违法案件数量", "件", "", "查处违法案件数"),       # 案件 + 案件数: the words written once
    ("抽检食品数量", "批次", "", "抽检食品批次"),           # a unit the vocabulary has no word for
    ("抽检食品样品数量", "批次", "全年抽检食品样品数量1200批次", "抽检食品样品数量"),  # the author's own word stays
    ("道路建设长度", "公里", "", "道路建设长度"),
    ("培训农民人次", "人次", "", "培训农民人次"),
    ("印发宣传资料数量", "件", "", "印发宣传资料数量"),
])
def test_a_stated_count_takes_the_learned_ending(library_units, cut, name, unit, written, expected):
    assert library_units.rename(name, unit, cut, written) == expected


def test_the_unit_words_are_saved_with_the_measures(library_units, tmp_path):
    from recommender.compose import MeasureTable, load_measures, save_measures
    table = MeasureTable(units=library_units)
    save_measures(table, tmp_path / "measures.json")
    again = load_measures(tmp_path / "measures.json").units
    assert again.endings == library_units.endings
    assert again.after_word == library_units.after_word and again.after_char == library_units.after_char


def test_an_index_built_before_reads_back_without_unit_words(tmp_path):
    import json

    from recommender.compose import MeasureTable, load_measures, save_measures
    save_measures(MeasureTable(), tmp_path / "measures.json")
    data = json.loads((tmp_path / "measures.json").read_text(encoding="utf-8"))
    del data["units"]
    (tmp_path / "measures.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert load_measures(tmp_path / "measures.json").units.rename("抽检食品数量", "批次", str.split) == "抽检食品数量"


@pytest.mark.parametrize("text, expected", [
    ("刑事案件发案数不超过12起", [("刑事案件发案数", "≤12起")]),     # not 刑事案件发案数数量
    ("全年受理办件量达到3500件", [("受理办件量", "≥3500件")]),
    ("第一年按投资额20%返本", [("投资额返本比例", "=20%")]),        # 一年 of 第一年 is no quantity (was 第按投资额…)
    ("第二年完成造林500亩", [("造林面积", "=500亩")]),
])
def test_the_reader_fixes_the_development_forms_showed(text, expected):
    assert [(s.name, s.target_raw) for s in extract(text)] == expected


def test_the_second_family_writes_each_number_with_its_gold():
    first, second = generate_widened(2, seed=11)
    assert first.project_name == "2024年就业创业补贴项目"
    assert first.description.endswith("稳定和扩大就业。第一年带动就业2894人。")
    assert [(g.pattern, g.number, g.unit, g.name) for g in first.gold] == [("序数年", 2894.0, "人", "带动就业人数")]
    assert second.description.endswith("减少农业面源污染。第二年化肥使用量减少比例达到16%。")
    assert [(g.pattern, g.number, g.name) for g in second.gold] == [("序数年", 16.0, "化肥使用量减少比例")]
    assert generate(2, seed=11)[0].description.endswith("计划项目惠及脱贫人口6人。")  # the first family as it was


@pytest.mark.parametrize("index, expected", [
    (0, [("带动就业人数", "≥2894人")]),
    (1, [("化肥使用量减少比例", "≥16%")]),
    (3, [("改造老旧小区数量", "=3个")]),
])
def test_second_family_descriptions_give_exact_rows(index, expected):
    item = generate_widened(4, seed=11)[index]
    pairs = [(s.name, s.target_raw) for s in extract(item.description)]
    assert pairs == expected
    assert all(recovered(g, pairs) for g in item.gold)


def test_the_second_family_enumerates_with_the_work_after_the_first_thing():
    listed = [d for d in generate_widened(40, seed=2026) if any(g.pattern == "动词在后的列举" for g in d.gold)]
    item = listed[0]
    gold = [(g.number, g.name) for g in item.gold if g.pattern == "动词在后的列举"]
    clause = item.gold[[g.pattern for g in item.gold].index("动词在后的列举")].clause
    assert (clause, gold) == ("晒坝硬化7.27平方米、加工车间8.02平方米",
                              [(7.27, "硬化晒坝（场坪）面积"), (8.02, "新建加工车间（冷库）面积")])
    pairs = [(s.name, s.target_raw) for s in extract(item.description)]
    assert pairs == [("晒坝硬化面积", "=7.27平方米"), ("加工车间面积", "=8.02平方米")]  # the work not carried over
    assert all(recovered(g, pairs) for g in item.gold)


@pytest.fixture(scope="module")
def engine(seed_decls, tmp_path_factory):
    return Engine.build(list(seed_decls.values()), make_encoder("fake"), tmp_path_factory.mktemp("index"))


def test_the_recommendation_names_stated_counts_by_the_learned_endings(engine):
    result = recommend(engine, project_name="2024年市场监管执法项目",
                       description="全年抽检食品1200批次，发生安全事故不超过2起，查处违法案件30件。")
    stated = [(i.name, i.target.raw) for i in result.indicators if i.origin == "description"]
    assert stated == [("抽检食品批次", "≥1200批次"), ("安全事故发生数", "≤2起"), ("查处违法案件数", "=30件")]


def test_past_rows_of_a_length_write_the_verb_first(library_units):
    assert dict(library_units.order["km"]) == {"verb first": 14}  # 新建（改建）道路里程, 修建林区作业道长度 …
    assert dict(library_units.order["人次"]) == {"verb first": 3, "work last": 14}  # 技术培训人次: the work last


@pytest.mark.parametrize("name, unit, written, number, expected", [
    ("道路建设长度", "公里", "新建8287公里道路", "8287", "新建道路长度"),     # the author's verb, first
    ("作业道建设长度", "公里", "修建作业道30公里", "30", "修建作业道长度"),    # A-010's clause (the form: 修建作业道长度)
    # 建设 was the item before's; the author's words about 寨山石坪果园路 write no work
    ("寨山石坪果园路建设长度", "km", "改善基础实施建设,呼家河至鲍家沟果园路建设2公里、寨山石坪果园路2公里", "2",
     "寨山石坪果园路长度"),
    ("呼家河至鲍家沟果园路建设长度", "km", "改善基础实施建设,呼家河至鲍家沟果园路建设2公里、寨山石坪果园路2公里", "2",
     "呼家河至鲍家沟果园路建设长度"),                                      # the author wrote 建设 after the thing
    ("小型水利工程建设数量", "个", "7个小型水利工程建设", "7", "小型水利工程建设数量"),
    ("安全检测次数", "次", "开展安全检测45次", "45", "安全检测次数"),          # the work is the activity counted
    ("主体班培训人次", "人次", "主体班培训280人次", "280", "主体班培训人次"),   # rows in 人次 write the work last
])
def test_the_work_is_written_where_past_rows_of_the_unit_write_it(library_units, name, unit, written, number, expected):
    assert library_units.place_work(name, unit, written, number) == expected
