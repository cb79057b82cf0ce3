"""Every stated number under a name that says what is counted (issue 23 item 4): frequencies keep
their period, standards per head name their fund, people the unit sends are an exact count, a
deadline written as a date, a building period, a sum in 万 with 元 left out. Sentences written
for these tests (the issue's own examples among them); exact rows expected."""

import pytest

from recommender.stated import extract


@pytest.mark.parametrize("sentence, expected", [
    # the examples
    ("义务教育阶段公用经费按每生每年780元标准拨付。", [("成本", "生均公用经费标准", "=780元/生·年")]),
    ("本次出差8人，赴省城学习考察。", [("数量", "出差人数", "=8人")]),
    # a frequency keeps its period
    ("每月开展1次考核，每季度召开1次调度会议。",
     [("数量", "考核频次", "≥1次/月"), ("数量", "召开调度会议频次", "≥1次/季度")]),
    ("每周巡查2次。", [("数量", "巡查频次", "≥2次/周")]),
    ("每年为辖区65岁以上老人体检1次。", [("数量", "体检频次", "≥1次/年")]),
    # without a period it stays a count of occurrences
    ("全年开展培训12次。", [("数量", "培训次数", "≥12次")]),
    # a count unit of two characters, and a name that already ends in 数量, once
    ("全年抽检食品样品数量1200批次。", [("数量", "抽检食品样品数量", "≥1200批次")]),
    # a standard per head named by its fund, the people counted without 每人每月
    ("为全县3200名困难老人每人每月发放高龄津贴200元。",
     [("成本", "人均高龄津贴标准", "=200元/人·月"), ("数量", "困难老人人数", "≥3200名")]),
    ("资助家庭经济困难学生1500名，资助标准每生每年2000元。",
     [("成本", "生均资助标准", "=2000元/生·年"), ("数量", "资助家庭经济困难学生人数", "≥1500名")]),
    # a yearly sum is not a standard per head: the quantity reader keeps it
    ("每年安排资金50万元。", [("成本", "项目资金", "≤50万元")]),
    # a deadline written as a date, the task after the verb or before the date
    ("2023年6月30日前完成全部建设任务。", [("时效", "建设完成时限", "2023年6月30日前")]),
    ("道路改造于6月底前完工。", [("时效", "道路改造完工时限", "6月底前")]),
    # a building period
    ("建设期为6个月。", [("时效", "建设期", "=6个月")]),
    # a length whose work is named later in the sentence
    ("在村约3500米公路沿线，通过清表和栽植，进行绿化和美化。", [("数量", "公路沿线绿化长度", "=3500米")]),
    # a sum in 万 with 元 left out, beside the project's name or after a word about funds
    ("养殖场基础设施建设项目(约50万) 沙湾子村是少数民族聚居村。", [("成本", "项目资金", "≤50万元")]),
    ("总投资约120万，新建村道2公里。", [("数量", "村道建设长度", "=2公里"), ("成本", "项目总投资", "≤120万元")]),
    # 万 after people is not money
    ("受益群众1.2万，", []),
    # 余 and 多 between the number and the unit; 位 counts people
    ("受益群众2000余人，带动300多户增收。", [("社会效益", "受益群众人数", "≥2000人"), ("社会效益", "带动增收户数", "≥300户")]),
    ("慰问老党员50位。", [("数量", "慰问老党员人数", "≥50位")]),
    # a standard per head written with 均; an income per household stays an income
    ("人均补助1000元，户均增收3000元。", [("成本", "每人补助标准", "=1000元/人"), ("经济效益", "户均增收", "≥3000元")]),
    # a deadline keeps the year written before it, or the description's one year
    ("2022年12月底前完成道路硬化。", [("时效", "道路硬化完成时限", "2022年12月底前")]),
    ("2023年实施，年底前完成全部建设。", [("时效", "建设完成时限", "2023年12月底前")]),
    # a level held (稳定在, 突破) is not part of the name; 各类 says nothing; 场次 is one unit
    ("粮食作物种植面积稳定在3.5万亩以上。", [("数量", "粮食作物种植面积", "≥3.5万亩")]),
    ("年接待游客量突破10万人次。", [("数量", "年接待游客量", "≥10万人次")]),
    ("全年举办各类文化活动30场次。", [("数量", "举办文化活动场次", "≥30场次")]),
    # an income per head is an income; a standard per head per month written 月人均
    ("带动农户增收人均1000元以上。", [("经济效益", "农户人均增收", "≥1000元")]),
    ("为低保对象发放最低生活保障金，月人均补助标准为580元。", [("成本", "每人每月补助标准", "=580元/人·月")]),
    # what is done to the people counted, and the problem solved for them
    ("对全区180名村干部进行培训，培训时间为5天。", [("数量", "培训村干部人数", "≥180名"), ("时效", "培训时间", "=5天")]),
    ("项目建成后，可解决1200名群众的安全饮水问题。", [("社会效益", "解决安全饮水群众人数", "≥1200名")]),
    # a second figure after 、 counts the same people
    ("共涉及困难群众350户、1050人。", [("数量", "涉及困难群众户数", "≥350户"), ("数量", "涉及困难群众人数", "≥1050人")]),
    # a named fund keeps its name, so two sums are two rows
    ("项目总投资350万元，其中申请财政资金300万元，自筹50万元。",
     [("成本", "项目总投资", "≤350万元"), ("成本", "申请财政资金", "≤300万元"), ("成本", "自筹资金", "≤50万元")]),
    ("计划用3个月时间完成。", [("时效", "项目完成时限", "≤3个月")]),
    # full-width figures; 千米 after a decimal is a unit, not a numeral; 台套 is one unit
    ("疫苗接种率达９５％以上。", [("质量", "疫苗接种率", "≥95%")]),
    ("新建灌溉渠道8.6千米。", [("数量", "灌溉渠道建设长度", "=8.6千米")]),
    ("配备医疗设备20台套。", [("数量", "医疗设备配备数量", "=20台套")]),
    # a longer modifier of the closing verb; 组织开展 says nothing; a bracketed alternative and the pay are not the people
    ("开展法律援助案件办理120件。", [("数量", "法律援助案件办理数量", "=120件")]),
    ("组织开展全民健身活动12次。", [("数量", "全民健身活动次数", "≥12次")]),
    ("保障102名村（社区）干部报酬及村级运转经费。", [("数量", "村干部人数", "≥102名")]),
    # a numbered list: each item its own sentence, the item number no part of a name
    ("1.完成改厕500户；2.新建垃圾池20个；3.群众满意度达到92%以上",
     [("数量", "改厕户数", "≥500户"), ("数量", "新建垃圾池数量", "=20个"), ("服务对象满意度", "群众满意度", "≥92%")]),
    ("（1）培训农民500人次（2）发放资料2000份", [("数量", "培训农民人次", "≥500人次"), ("数量", "发放资料数量", "=2000份")]),
    ("①硬化道路3.5公里；②安装路灯120盏", [("数量", "道路硬化长度", "=3.5公里"), ("数量", "安装路灯数量", "=120盏")]),
    # two standards are two facts: the second named by whom it pays
    ("资助困难大学生40人，每人5000元；资助高中生60人，每人2000元",
     [("成本", "每人补助标准", "=5000元/人"), ("数量", "资助困难大学生人数", "≥40人"),
      ("成本", "资助高中生每人补助标准", "=2000元/人"), ("数量", "资助高中生人数", "≥60人")]),
    # a named period in years, months or days; a lifetime is a lasting benefit; a year is no period
    ("项目实施周期为1年。", [("时效", "项目实施周期", "=1年")]),
    ("管护期3年。", [("时效", "管护期", "=3年")]),
    ("设施使用年限不少于10年。", [("可持续影响", "设施使用年限", "≥10年")]),
    ("为期3年的帮扶。", []),
    # a year alone before the verb; a year written before 年底
    ("2023年完成全部建设任务。", [("时效", "建设完成时限", "2023年12月底前")]),
    ("2023年底前完成道路硬化。", [("时效", "道路硬化完成时限", "2023年12月底前")]),
    # 余 / 多 before or after 万; one-character count units of the vocabulary read in prose (units.json in_prose)
    ("争取资金100余万元。", [("成本", "争取资金", "≤100万元")]),
    ("带动3万余人就业。", [("社会效益", "带动就业人数", "≥3万人")]),
    ("投放鱼苗10万尾，养殖蛋鸡5000羽。", [("数量", "投放鱼苗数量", "=10万尾"), ("数量", "养殖蛋鸡数量", "=5000羽")]),
    ("培训2轮。", [("数量", "培训轮次", "=2轮")]),
    # from one level to another: the level reached under the subject, the starting level no target
    ("森林覆盖率由55%提高到58%。", [("质量", "森林覆盖率", "≥58%")]),
    ("贫困发生率由5%下降到2%。", [("质量", "贫困发生率", "≤2%")]),
    ("增雨作业覆盖面积由现有的1000平方公里扩展到8522平方公里。", [("数量", "增雨作业覆盖面积", "≥8522平方公里")]),
    # a component's own investment keeps what it pays for
    ("完成高压线接入及土建安装投资150万元。", [("成本", "高压线接入及土建安装投资", "≤150万元")]),
    # a growth or a cut by a share: a rate of change, a floor (增长 no longer cut to 增 as if 长 were a length)
    ("农民人均可支配收入增长8%。", [("经济效益", "农民人均可支配收入增长率", "≥8%")]),
    ("村集体经济收入较上年增长15%以上。", [("经济效益", "村集体经济收入增长率", "≥15%")]),
    ("化肥使用量减少10%。", [("质量", "化肥使用量减少率", "≥10%")]),
    # the activity named after 开展 keeps its verb; people sent somewhere are counted as sent
    ("每月开展1次经费使用检查。", [("数量", "经费使用检查频次", "≥1次/月")]),
    ("本次出差8人赴省厅对接。", [("数量", "出差人数", "=8人")]),
    # one name read from two clauses that say different things: each keeps the words its clause writes first
    ("外立面墙身（瓷砖）喷涂真石漆面积520㎡，外立面墙身（砖墙）喷涂真石漆面积2021㎡。",
     [("数量", "外立面墙身瓷砖喷涂真石漆面积", "=520㎡"), ("数量", "外立面墙身砖墙喷涂真石漆面积", "=2021㎡")]),
    # one figure part of the other: the larger stands for both
    ("上半年接待游客8万人次，全年接待游客20万人次。", [("数量", "接待游客人次", "≥20万人次")]),
    # a length in m and a volume in m³ (corpus/vocab/units.json)
    ("混凝土道牙花池1244m，木质廊架17.6m。",
     [("数量", "混凝土道牙花池建设长度", "=1244m"), ("数量", "木质廊架建设长度", "=17.6m")]),
    ("建设蓄水池50m³。", [("数量", "建设蓄水池数量", "=50m³")]),
    # two things joined by 和 before the closing verb are what is done to; a share reached cannot pass the whole
    ("港澳台和国外专利资助300件。", [("数量", "港澳台和国外专利资助数量", "=300件")]),
    ("对服务对象投诉问题的及时处理率达100%。", [("时效", "服务对象投诉问题的及时处理率", "=100%")]),
    # 完成 says nothing: the work written after what it is done to names the row
    ("年度内完成1200户农村厕所改造。", [("数量", "农村厕所改造户数", "≥1200户")]),
    # 共 starts the next figure; a clause of 面积 alone measures what the clause before names
    ("建设产业路5条共8.5公里。", [("数量", "建设产业路数量", "=5条"), ("数量", "产业路建设长度", "=8.5公里")]),
    ("新建村级综合服务中心1个，面积300平方米。",
     [("数量", "新建村级综合服务中心数量", "=1个"), ("数量", "村级综合服务中心建设面积", "=300平方米")]),
    # a problem solved for people is a benefit named by the problem
    ("解决5600人饮水问题，新建水厂1座。", [("社会效益", "解决饮水问题人数", "≥5600人"), ("数量", "新建水厂数量", "=1座")]),
    # a fund named …金 keeps its name; a sum signed or brought in is an outcome, a floor
    ("全年发放临时救助金150万元，救助困难群众800人次。",
     [("成本", "临时救助金", "≤150万元"), ("数量", "救助困难群众人次", "≥800人次")]),
    ("签约项目10个，签约金额5亿元。", [("数量", "签约项目数量", "=10个"), ("经济效益", "签约金额", "≥5亿元")]),
    # the people counted end where what they are given starts (提供, 享受, 接受)
    ("为全县6.5万名城乡居民提供基本公共卫生服务。", [("数量", "城乡居民人数", "≥6.5万名")]),
    # a change in points of a rate; an income raised by a share is a growth rate; a share of the tasks done
    ("森林覆盖率提高1个百分点。", [("质量", "森林覆盖率提高幅度", "≥1个百分点")]),
    ("使项目区群众收入提高10%。", [("经济效益", "项目区群众收入增长率", "≥10%")]),
    ("年内完成80%的建设任务。", [("数量", "建设任务完成率", "≥80%"), ("时效", "项目完成时限", "12月底前")]),
    # a verb before 点, 站, 中心 names a place (村级服务点), not what is done to the object
    ("建设5个村级服务点，新建2个便民服务中心。",
     [("数量", "建设村级服务点数量", "=5个"), ("数量", "新建便民服务中心数量", "=2个")]),
    # a time cut down to (压缩至) is a ceiling; the task done within a time is named after the verb
    ("全年办理登记业务3.5万件，平均办理时间压缩至3个工作日。",
     [("数量", "办理登记业务数量", "=3.5万件"), ("时效", "平均办理时间", "≤3个工作日")]),
    ("在10个工作日内完成资金拨付。", [("时效", "资金拨付完成时限", "≤10个工作日")]),
    # an age qualifies the people counted; 年度内 says nothing
    ("对全县2.3万名65岁以上老年人开展健康管理。", [("数量", "老年人人数", "≥2.3万名")]),
    ("年度内完成人工造林8000亩。", [("数量", "人工造林面积", "=8000亩")]),
])
def test_a_stated_number_comes_back_under_a_name_that_says_what_is_counted(sentence, expected):
    assert [(s.level2, s.name, s.target_raw) for s in extract(sentence)] == expected


def test_a_frequency_and_a_two_character_unit_keep_their_unit():
    units = {s.name: s.unit for s in extract("每月开展1次考核；全年抽检食品样品数量1200批次。")}
    assert units == {"考核频次": "次/月", "抽检食品样品数量": "批次"}
