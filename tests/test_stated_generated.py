"""Stated numbers of generated descriptions (evaluation/stated_gen.py) and of development descriptions: the
generator's exact gold, the rows the description reader writes for them, the recall the evaluation counts
through the full recommendation, and every stated number kept however many the author writes (issue 23
item 4)."""

import json
from pathlib import Path

import pytest

from evaluation.stated_eval import evaluate, name_fit, recovered
from evaluation.stated_gen import GoldNumber, generate
from recommender.engine import Engine
from models.encoders import make_encoder
from recommender.recommend import recommend
from recommender.stated import extract

FIELD_CASES = Path(__file__).resolve().parents[1].parent / "shared" / "fieldforms" / "cases.jsonl"


@pytest.fixture(scope="module")
def engine(seed_decls, tmp_path_factory):
    return Engine.build(list(seed_decls.values()), make_encoder("static-e5"), tmp_path_factory.mktemp("index"))


def test_the_generator_writes_each_number_with_its_gold():
    first, second = generate(2, seed=11)[:2]
    assert first.project_name == "2024年资产收益扶贫项目"
    assert first.description.endswith("力争年度分红比例达到92%，项目预算39万元，受益脱贫32户，预计参与资产收益的合作社4个，"
                                      "计划项目惠及脱贫人口6人。")
    assert [(g.pattern, g.number, g.unit, g.name) for g in first.gold] == [
        ("比率", 92.0, "%", "年度分红比例"), ("预算", 39.0, "万元", "项目预算"), ("对象+数量", 32.0, "户", "受益脱贫户数"),
        ("对象+数量", 4.0, "个", "参与资产收益的合作社（企业）数量"), ("惠及/覆盖", 6.0, "人", "受益脱贫（监测）人口数")]
    assert second.description.endswith("开展宣传活动于10月底前完成，开展宣传活动1273次、新闻稿件6篇，计划新媒体平台粉丝增长39人以上。")
    assert [(g.pattern, g.number, g.name) for g in second.gold] == [
        ("期限", 10.0, "项目完成时限"), ("列举", 1273.0, "开展宣传活动次数"), ("列举", 6.0, "发布新闻稿件（信息）数量"),
        ("下限", 39.0, "新媒体平台粉丝（订阅）增长数")]
    assert generate(2, seed=11)[0].description == first.description  # the same seed, the same descriptions


@pytest.mark.parametrize("index, expected", [
    (0, [("分红比例", "≥92%"), ("项目预算", "≤39万元"), ("受益脱贫户数", "≥32户"), ("参与资产收益的合作社数量", "=4个"),
         ("受益脱贫人口数", "≥6人")]),
    (1, [("宣传活动次数", "≥1273次"), ("新闻稿件数量", "=6篇"), ("新媒体平台粉丝增长人数", "≥39人"),
         ("开展宣传活动完成时限", "10月底前")]),
    (2, [("示范推广面积", "≥1274亩"), ("发放良种完成时限", "3月底前"), ("良种发放数量", "=765公斤"), ("技术培训人次", "≥33人次")]),
])
def test_generated_descriptions_give_exact_rows(index, expected):
    item = generate(4, seed=11)[index]
    rows = extract(item.description)
    assert [(s.name, s.target_raw) for s in rows] == expected
    pairs = [(s.name, s.target_raw) for s in rows]
    assert all(recovered(g, pairs) for g in item.gold)


def test_the_scorer_rule_is_the_sealed_one():
    assert name_fit("项目完成时限", "道路硬化完成时限") == 0.5  # 完成, 成时, 时限 of 5 and 7 bigrams
    assert name_fit("研究成果采纳（转化）率", "研究成果采纳转化率") == 10 / 14  # the bracket dropped: 研究成果采纳率
    gold = GoldNumber("预算", 39.0, "万元", "项目预算", "")
    assert recovered(gold, [("项目预算", "≤39万元")]) and not recovered(gold, [("受益人数", "≥39人")])


@pytest.mark.slow
def test_generated_recall_through_the_recommendation(engine):
    rows, misses = evaluate(engine, generate(40, seed=2026))
    total = rows[-1]
    assert (total.pattern, total.numbers, total.recovered) == ("合计", 141, 141)
    assert misses == []


@pytest.mark.parametrize("sentence, expected", [
    # the subject its clause writes before 每 names a standard; each per unit of two characters
    ("高龄津贴发放标准为每人每月1000元", [("成本", "高龄津贴发放标准", "=1000元/人·月")]),
    ("单位面积建设成本为每平方米2700元", [("成本", "单位面积建设成本", "=2700元/平方米")]),
    ("农村低保按每人每月1000元的标准发放", [("成本", "农村低保标准", "=1000元/人·月")]),
    ("为建档立卡户62户每户发放补助资金2000元", [("成本", "户均补助资金标准", "=2000元/户"), ("数量", "建档立卡户户数", "≥62户")]),
    # a sum that names what it is for keeps its words; 带动…投资 and 融资 are outcomes
    ("软件开发费用11万元", [("成本", "软件开发费用", "≤11万元")]),
    ("发放创业担保贷款金额共计2766万元", [("成本", "发放创业担保贷款金额", "≤2766万元")]),
    ("知识产权质押融资金额共计10.3万元", [("经济效益", "知识产权质押融资金额", "≥10.3万元")]),
    # a priced thing per unit keeps its word; a short bracketed word inside a name is read
    ("吨垃圾收运处理成本不超过800元/吨", [("成本", "吨垃圾收运处理成本", "≤800元/吨")]),
    ("研究成果采纳（转化）率不低于79%", [("质量", "研究成果采纳转化率", "≥79%")]),
    # a size alone measures what the clause before names, past the dimensions written between
    ("新建防火隔离带，全长7136公里", [("数量", "防火隔离带建设长度", "=7136公里")]),
    ("新建厕所1个，长4.5米，宽3米，占地13.5平方米", [("数量", "新建厕所数量", "=1个"), ("数量", "厕所占地面积", "=13.5平方米")]),
    ("新建污水收集管网32.4公里", [("数量", "污水收集管网建设长度", "=32.4公里")]),
    # people reached; 的 between a count and its thing; 起 counted in prose
    ("项目惠及农户1200户", [("社会效益", "受益农户户数", "≥1200户")]),
    ("项目覆盖人口2583人", [("社会效益", "受益人口数", "≥2583人")]),
    ("完成1200户的农村厕所改造", [("数量", "农村厕所改造户数", "≥1200户")]),
    ("确保全年安全生产事故为0起", [("数量", "安全生产事故数量", "=0起")]),
    ("确保脱贫人口人均纯收入增幅达5%以上", [("经济效益", "脱贫人口人均纯收入增幅", "≥5%")]),
])
def test_general_causes_found_by_the_generator(sentence, expected):
    assert [(s.level2, s.name, s.target_raw) for s in extract(sentence)] == expected


@pytest.mark.slow
def test_a_stated_number_is_never_a_template_and_every_one_stays(engine):
    result = recommend(engine, project_name="2024年生活垃圾收运处理项目",
                       description="吨垃圾收运处理成本不少于800元/吨，项目预算58.84万元。")
    stated = {(i.name, i.target.raw) for i in result.indicators if i.origin == "description"}
    assert stated == {("吨垃圾收运处理成本", "≤800元/吨"), ("项目预算", "≤58.84万元")}  # a cost's floor turned, not blanked
    things = ("蓄水池", "垃圾池", "公厕", "路灯", "文化广场", "篮球场", "便民桥", "排水沟", "挡土墙", "停车场", "健身路径",
              "宣传栏", "垃圾箱", "监控探头", "消防栓", "护栏", "太阳能热水器", "沼气池", "晒场", "机井", "泵站", "过水路面",
              "涵洞", "景观亭")
    long = "；".join(f"新建{thing}{n}处" for n, thing in enumerate(things, 11)) + "。"
    rows = extract(long)
    assert len(rows) == 24
    result = recommend(engine, project_name="2024年乡村建设项目", description=long, top_k=20)
    kept = {i.name for i in result.indicators if i.origin == "description"}
    assert kept == {r.name for r in rows}  # all 24, beyond the 20 asked for


@pytest.mark.skipif(not FIELD_CASES.exists(), reason="the development forms are in ../shared/fieldforms")
def test_development_descriptions_give_exact_rows():
    cases = {c["id"]: c for c in map(json.loads, FIELD_CASES.read_text(encoding="utf-8").splitlines()) if c}
    assert [(s.name, s.target_raw) for s in extract(cases["A-011"]["description"])] == [
        ("中药材晾晒房占地面积", "=300平方米"), ("室外晒坝硬化面积", "=420平方米"), ("室内场坪面积", "=1800平方米"),
        ("新建厕所数量", "=1个"), ("厕所占地面积", "=13.5平方米"), ("配套三格式化粪池数量", "=4.5立方米")]
    assert ("冷库仓储建设面积", "=1290.3平方米") in [(s.name, s.target_raw) for s in extract(cases["A-004"]["description"])]


def test_the_command_refuses_a_count_below_one(zhibiao):
    done = zhibiao("evaluate", "stated", "--generated", "0")
    assert done.returncode == 2 and "错误：--generated 须为正整数" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr
