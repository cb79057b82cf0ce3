"""Every seed declaration pinned: name, agency, year, current-year budget, indicator count,
plus one row for each artifact of domain.md §2, values copied from the seed text."""

import pytest

from corpus.framework import LEVEL1, LEVEL2

# id: (project_name, agency, year, current_year budget (元), indicators)
EXPECTED = {
    "000_8fa2eebab90b1003-1": ("知识产权(专利扶持)专项资金", "上海市知识产权局", 2019, 170_000_000, 15),
    "000_8fa2eebab90b1003-2": ("红盾维权联络专项经费", "上海市市场监督管理局", 2019, 11_994_000, 18),
    "000_8fa2eebab90b1003-3": ("消费者维权管理专项",
                               "上海市消费者投诉举报中心（上海市保护知识产权举报投诉服务中心）", 2019, 3_884_872, 19),
    "000_8fa2eebab90b1003-4": (None, None, 2019, 12_300_000, 22),
    "000_8fa2eebab90b1003-5": ("上海市政府质量奖", "上海市市场监督管理局", 2019, 7_200_000, 13),
    "001_0080d4b67bb244a6-1": ("区长质量奖工作经费", "闵行区市场监督管理局", 2020, 390_000, 6),
    "002_9a32ee6a7d1f2b19-1": ("投资促进平台网络信息平台维护项目", "上海市商务委员会", 2019, 275_000, 13),
    "002_9a32ee6a7d1f2b19-2": ("对外贸易经营者备案登记", "上海市商务委员会", 2019, 195_000, 5),
    "002_9a32ee6a7d1f2b19-3": ("上海市单用途预付卡信息管理系统(2019升级改造)", "上海市商务委员会", 2019, 1_843_294, 7),
    "002_9a32ee6a7d1f2b19-4": ("上海智慧微菜场建设", "上海市商务委员会", 2019, 4_000_000, 8),
    "002_9a32ee6a7d1f2b19-5": ("上海市商务委员会办事大厅管理项目", "上海市商务委员会", 2019, 300_000, 11),
    "003_2b8cab329f0dc167-1": ("办公用房修缮", "上海市经济信息中心", 2020, 600_000, 15),
    "003_2b8cab329f0dc167-2": ("公共资源交易平台专项经费", "上海市经济信息中心", 2020, 1_150_000, 17),
    "003_2b8cab329f0dc167-3": ("企业投资备案系统专项工作经费", "上海市经济信息中心", 2020, 800_000, 19),
    "003_2b8cab329f0dc167-4": ("上海市公共信用信息服务平台（一期）", "上海市经济信息中心", 2020, 280_000, 27),
    "003_2b8cab329f0dc167-5": ("上海市固定资产投资项目管理信息系统(运维)", "上海市经济信息中心", 2020, 604_000, 19),
    "003_2b8cab329f0dc167-6": ("市财政科技投入信息管理平台专项工作", "上海市经济信息中心", 2020, 1_095_000, 22),
    "003_2b8cab329f0dc167-7": ("推进长三角地区经济社会一体化发展工作经费", "上海市经济信息中心", 2020, 150_000, 16),
    "004_5ec4df06c226ed13-1": ("业务受理工作经费", "上海市市场监督管理局行政服务中心", 2023, 102_080, 11),
    "004_5ec4df06c226ed13-2": ("新闻宣传专项经费", "上海市市场监督管理局行政服务中心", 2023, 154_240, 3),
    "004_5ec4df06c226ed13-3": ("质量发展专项经费", "上海市市场监督管理局行政服务中心", 2023, 555_000, 16),
    "004_5ec4df06c226ed13-4": ("政府聘用辅助人员经费", "上海市市场监督管理局行政服务中心", 2023, 1_716_000, 4),
}


def test_every_seed_declaration_is_read(seed_decls):
    assert sorted(seed_decls) == sorted(EXPECTED)
    for ident, (name, agency, year, budget, count) in EXPECTED.items():
        decl = seed_decls[ident]
        assert (decl.project_name, decl.agency, decl.year) == (name, agency, year), ident
        assert decl.budget.current_year == budget, ident
        assert len(decl.indicators) == count, ident
    assert sum(len(d.indicators) for d in seed_decls.values()) == 306


def test_levels_are_canonical(seed_decls):
    for decl in seed_decls.values():
        for ind in decl.indicators:
            assert ind.level1 in LEVEL1, (decl.id, ind.name)
            assert ind.level2 is None or LEVEL2[ind.level2] == ind.level1, (decl.id, ind.name)


def row(decl, name, line=None):
    rows = [i for i in decl.indicators if i.name == name and (line is None or i.line == line)]
    assert len(rows) == 1, (decl.id, name, [i.line for i in rows])
    return rows[0]


def test_header_fields(seed_decls):
    d = seed_decls["000_8fa2eebab90b1003-1"]
    assert (d.project_type, d.fund_use) == ("经常性专项业务费", "其他事业专业类")
    assert (d.start_date, d.end_date) == ("2019-01-01", "2019-12-31")
    assert (d.budget.total, d.budget.last_year, d.budget.last_year_executed) == (170_000_000, 170_000_000, 169_429_617)
    assert [(c.name, c.amount) for c in d.budget.components] == [("专利一般资助", 90_250_000), ("专利专项资助", 79_750_000)]
    d = seed_decls["002_9a32ee6a7d1f2b19-2"]  # checked box on a continuation cell
    assert (d.project_type, d.fund_use) == ("其他经常性项目", "政府购买服务")
    d = seed_decls["003_2b8cab329f0dc167-1"]
    assert (d.project_type, d.fund_use, d.end_date) == ("经常性专项业务费", "基本建设工程类", "2020-11-27")
    d = seed_decls["004_5ec4df06c226ed13-1"]
    assert (d.department, d.project_type) == ("上海市市场监督管理局", "经常性专项业务费")
    d = seed_decls["001_0080d4b67bb244a6-1"]
    assert d.project_type is None  # no box is checked in that form
    assert [(c.name, c.amount) for c in d.budget.components] == [
        ("区长质量奖评审", 260_000), ("卓越绩效孵化", 100_000), ("工作经费", 30_000)]
    assert d.texts["necessity"].startswith("《上海市闵行区区长质量奖管理办法》")
    assert any(w.code == "agency_inferred" for w in d.warnings)


def test_prose_has_no_html(seed_decls):
    for decl in seed_decls.values():
        for text in decl.texts.values():
            assert text is None or ("<p>" not in text and "</p>" not in text), decl.id
    plan = seed_decls["000_8fa2eebab90b1003-2"].texts["plan"]
    assert plan.startswith("2019年红盾维权联络点项目实施，主要做好以下几方面工作")


def test_cut_form_keeps_what_is_there(seed_decls):
    d = seed_decls["000_8fa2eebab90b1003-4"]
    assert d.project_name is None
    assert {w.code for w in d.warnings} >= {"form_opening_missing", "year_from_file"}
    assert d.texts["necessity"].startswith("以地方标准、行业标准、国家标准")
    assert len(d.budget.components) == 15
    assert sum(c.amount for c in d.budget.components) == 12_300_000


def test_label_on_middle_row_of_merged_block(seed_decls):
    d = seed_decls["000_8fa2eebab90b1003-4"]  # 投入和管理目标 printed on line 170, rows from 166
    ind = row(d, "项目立项规范性")
    assert (ind.line, ind.raw_level1, ind.raw_level2, ind.level1) == (166, "投入和管理目标", "项目立项", "投入和管理")
    d = seed_decls["002_9a32ee6a7d1f2b19-1"]  # 数量目标 row printed above 产出目标
    ind = row(d, "信息和数据服务产品数")
    assert (ind.level1, ind.level2, ind.raw_level1, ind.target.raw) == ("产出", "数量", "产出目标", "正增长")


def test_shifted_rows(seed_decls):
    d = seed_decls["000_8fa2eebab90b1003-3"]
    ind = row(d, "项目管理制度健全性")  # ⇥⇥⇥项目实施⇥项目管理制度健全性
    assert (ind.level2, ind.target.kind, ind.line) == ("项目实施", "missing", 122)
    assert row(d, "项目管理制度有效性").target.raw == "有效"  # ⇥⇥name⇥⇥value
    d = seed_decls["003_2b8cab329f0dc167-4"]
    assert row(d, "数据归集单位数").target.kind == "missing"
    ind = row(d, "数据归集数量")  # name in the first column, value in the last
    assert (ind.level2, ind.target.raw) == ("数量", "≥100000000条")
    assert row(d, "供应商资质符合程度").target.raw == "符合"  # shifted left
    d = seed_decls["003_2b8cab329f0dc167-5"]
    ind = row(d, "项目质量可控性")
    assert (ind.level2, ind.target.raw) == ("项目实施", "可控")
    d = seed_decls["003_2b8cab329f0dc167-3"]
    ind = row(d, "平均系统故障修复时间")  # 时效 label in the first column
    assert (ind.level1, ind.level2, ind.target.raw) == ("产出", "时效", "<30分钟")
    d = seed_decls["003_2b8cab329f0dc167-2"]
    ind = row(d, "数据检查管理制度健全性")  # 实施管理 in the first column
    assert (ind.level2, ind.target.raw) == ("项目实施", "健全")


def test_contradicting_second_level(seed_decls):
    d = seed_decls["000_8fa2eebab90b1003-2"]  # 经济效益目标 printed under 产出目标
    ind = row(d, "消费者经济损失挽回率")
    assert (ind.level1, ind.level2, ind.raw_level2) == ("效益", "经济效益", "经济效益目标")
    d = seed_decls["002_9a32ee6a7d1f2b19-3"]  # 效益指标 in the second column under 投入和管理目标
    ind = row(d, "基本满足教育、文化、旅游、体育、交通等相关领域的平台服务需求")
    assert (ind.level1, ind.raw_level1, ind.raw_level2, ind.inferred) == ("效益", "投入和管理目标", "效益指标", True)
    d = seed_decls["003_2b8cab329f0dc167-1"]  # 满意度 under 效果目标 (2020 framework)
    ind = row(d, "员工满意度")
    assert (ind.level1, ind.level2, ind.raw_level1, ind.target.raw) == ("满意度", "服务对象满意度", "效果目标", ">=90")
    ind = row(d, "日常维护")  # 影响力目标 / 长效管理
    assert (ind.level1, ind.level2, ind.raw_level1) == ("效益", "可持续影响", "影响力目标")


def test_cut_names_and_three_sheets(seed_decls):
    d = seed_decls["001_0080d4b67bb244a6-1"]
    ind = row(d, "入孵企业满意")
    assert (ind.level1, ind.raw_level1, ind.target.raw) == ("满意度", "影响", "90%")
    assert any(w.code == "name_cut" and "入孵企业满意" in w.message for w in d.warnings)
    assert row(d, "孵化培育落实").target.raw == "100%"


def test_two_level_table(seed_decls):
    d = seed_decls["002_9a32ee6a7d1f2b19-2"]
    assert [(i.raw_level1, i.level2, i.name, i.target.raw) for i in d.indicators] == [
        ("投入和管理目标", None, "预算执行率", "=100.00%"), ("投入和管理目标", None, "执行规范性", "规范"),
        ("产出目标", None, "办理时效性", "2个工作日"), ("产出目标", None, "质量达标率", "=100.00%"),
        ("影响力目标", None, "长效管理机制", "完善")]
    d = seed_decls["002_9a32ee6a7d1f2b19-5"]
    assert row(d, "服务对象满意率").level1 == "满意度"
    assert row(d, "服务对象投诉率").target.value == pytest.approx(0.0001)


def test_pdf_pages(seed_decls):
    d = seed_decls["004_5ec4df06c226ed13-1"]
    ind = row(d, "证书印刷数量")  # ordered part: read from the layout
    assert (ind.level1, ind.level2, ind.inferred, ind.target.value, ind.target.unit) == ("产出", "数量", False, 7000, "册")
    ind = row(d, "证书送达时间")  # scrambled part: inferred
    assert (ind.level2, ind.inferred, ind.target.raw) == ("时效", True, "≤10(工作日)")
    assert row(d, "好差评系统好评率").level1 == "满意度"
    assert d.texts["annual_goal"] == "预算执行到位、制度规范合理、日常运作合法规范、申请人感受度不断提高"
    d = seed_decls["004_5ec4df06c226ed13-3"]
    ind = row(d, "缺陷产品召回工作流程")  # name and value on different lines
    assert (ind.level2, ind.target.raw, ind.inferred) == ("质量", "流程规范", False)
    assert any(w.code == "value_separated" for w in d.warnings)
    assert row(d, "《简讯》印刷期限").level2 == "时效"
    d = seed_decls["004_5ec4df06c226ed13-4"]
    ind = row(d, "一楼服务台差评率")
    assert (ind.target.operator, ind.target.value, ind.target.unit) == ("<=", 5, "%")
    assert any(w.code == "operator_repaired" and w.line == 307 for w in d.warnings)
    assert d.texts["annual_goal"].startswith("一是不断提升窗口服务能级")


def test_value_exactly_as_written(seed_decls):
    d = seed_decls["000_8fa2eebab90b1003-4"]
    assert row(d, "馆内终端使用率").target.raw == "≥0.75"
    assert row(d, "社会总服务次数增长率").target.kind == "relative"
    d = seed_decls["003_2b8cab329f0dc167-1"]
    ind = row(d, "修缮面积")
    assert (ind.target.raw, ind.target.value, ind.target.unit) == ("1344m ²", 1344, "m²")
