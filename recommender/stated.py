"""Quantities, money, rates, periods, deadlines and coverage stated in a description → indicators.

Every statement with a number becomes one indicator named the way budget officers name them,
with its class and target (issue 11):

    道路全长约985米                    → 道路建设长度 =985米 (产出/数量)
    继续采购10台雾炮车                 → 雾炮车配备数量 =10台 (产出/数量)
    服务周期180天                      → 服务周期 =180天 (产出/时效)
    送戏进村…任务70个行政村，每村4400元 → 送戏进村数量 ≥70个 (数量), 每村补助标准 ≤4400元/村 (成本)
    预算安排5万元                      → 项目预算 ≤5万元 (产出/成本: the word the author wrote)
    主体班培训280人次                  → 主体班培训人次 ≥280人次 (数量)
    实现慰问全覆盖                     → 慰问覆盖率 =100% (质量)
    2026年1月1日至2027年12月31日        → 项目完成时限 2027年12月31日前 (时效)
    村集体收入达6万元                  → 村集体收入 ≥6万元 (效益/经济效益)
    每生每年780元（公用经费）           → 生均公用经费标准 =780元/生·年 (成本)
    本次出差8人                        → 出差人数 =8人 (the unit's own people: exact)
    每月开展1次考核                    → 考核频次 ≥1次/月 (a frequency keeps its period)
    2023年6月30日前完成全部建设任务      → 建设完成时间 2023年6月30日前 (时效)
    覆盖率由55%提高到58%; 收入增长8%     → 覆盖率 ≥58% (the level reached); 收入增长率 ≥8%

A numbered list (1. 2. / （1） / ①) is read item by item; full-width figures (９５％) as figures;
units and how each reads in prose (length, area, money, time, people, equipment, count, and the
name ending it gives: 人 → 人数) come from corpus/vocab/units.json. Chinese numerals (三十个,
两个) are read as numbers; a range (3-5期) gives its lower bound as a floor (its upper bound
for a ceiling). The operator is the one the author wrote (不少于 → ≥, 不超过 → ≤); otherwise it
follows what is measured: people served and activities are floors, money and unit standards are
ceilings, things built or bought are exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus import framework
from corpus.targets import parse_target
from corpus.vocab import (completion_verb_pattern, counted_as, counted_endings, deadline_part_pattern, measure_endings,
                          operator_display, operator_glyphs, per_in_prose, project_action_verbs, project_person_endings,
                          prose_unit_groups, sentence_deadline_targets, sentence_deadline_words, unit_measures)

# ---- vocabulary ---------------------------------------------------------------------------
# how a unit reads in a sentence (corpus/vocab/units.json `in_prose`): length, area, money, time, people,
# equipment (a machine or vehicle: X配备数量) and count
_GROUPS = prose_unit_groups()
LENGTH_UNITS = _GROUPS["length"]
AREA_UNITS = _GROUPS["area"]
MONEY_UNITS = _GROUPS["money"]
TIME_UNITS = _GROUPS["time"]
PEOPLE_UNITS = _GROUPS["people"]
EQUIPMENT_UNITS = _GROUPS["equipment"]
COUNT_UNITS = _GROUPS["count"] + EQUIPMENT_UNITS
# and every count unit of two characters or more the vocabulary knows (批次, 户次, 剂次, 万人次 …): without
# them 1200批次 was read as 1200批 and the 次 left behind named an indicator 次数量; one-character units
# of the vocabulary (村, 生, 道 …) are also ordinary words in a sentence, so only the `in_prose` ones count
COUNT_UNITS += tuple(u for u in unit_measures()["count"] if len(u) >= 2 and u not in COUNT_UNITS)
_WEIGHED = tuple(u for u in COUNT_UNITS if u in unit_measures()["amount"])  # 吨, 公斤: a decimal is a quantity
PLACES = ("行政村", "村", "社区", "乡镇", "镇", "街道", "学校", "所学校", "小区", "自然村")
_ALL_UNITS = sorted(LENGTH_UNITS + AREA_UNITS + MONEY_UNITS + TIME_UNITS + PEOPLE_UNITS + COUNT_UNITS
                    + ("%", "‰"), key=len, reverse=True)
_UNIT_RE = "|".join(map(re.escape, _ALL_UNITS))
# a rate's denominator: a prose unit or a word of units.json's per_in_prose (元/人·月, 每村), longest first
_PER_RE = "|".join(map(re.escape, sorted(dict.fromkeys([*_ALL_UNITS, *per_in_prose()]), key=len, reverse=True)))
_NUM = r"(?<![\d,.])\d[\d,]*(?:\.\d+)?"  # a number starts where a digit run starts (linear time)
_QUANTITY = re.compile(
    rf"(?P<op>不少于|不低于|不超过|不多于|不高于|超过|至少|达到|达|约为|约|近|共计|共|计|累计|总计|全长约|全长)?"
    rf"(?P<num>{_NUM})(?:\s*(?:-|~|～|—|至|到)\s*(?P<high>{_NUM}))?\s*(?:余|多)?(?P<mult>万|亿)?(?:余|多)?(?=\s*(?:{_UNIT_RE}))"
    rf"\s*(?P<unit>{_UNIT_RE})(?P<alt>[（(](?:{_UNIT_RE})[）)])?"
    rf"(?P<per>(?:/|每)(?:{_PER_RE}))?")
# the denominator after 每: a unit of two characters or more (每平方米, 每公里) or a word of one or two (每人, 每村)
_PER_WORD = "|".join(re.escape(u) for u in _ALL_UNITS if len(u) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", u))
_EACH = re.compile(rf"每(?P<per>{_PER_WORD}|[个]?[\u4e00-\u9fff]{{1,2}}?)(?:每(?P<per2>[月年天日]))?"
                   r"(?P<mid>(?:(?!每)[\u4e00-\u9fff]){0,8}?)(?:不低于|不少于|不超过|不高于|达到)?"
                   rf"(?P<num>{_NUM})\s*(?P<mult>万)?(?P<unit>元)")
# 人均补助1000元, 户均奖补3000元: the same standard per head written with 均
_AVERAGE = re.compile(r"(?P<pre>[月年])?(?P<per>[人户生村亩])均(?:每(?P<per2>[月年天日]))?"
                      r"(?P<mid>(?:(?!每)[\u4e00-\u9fff]){0,8}?)(?:不低于|不少于|不超过|不高于|达到)?"
                      rf"(?P<num>{_NUM})\s*(?P<mult>万)?(?P<unit>元)")
# what may stand between 每X and the amount without naming a fund (每人每月补助600元, 每村按4400元)
_EACH_PLAIN = re.compile(r"(?:补助|补贴|奖补|按|安排|发放|给予)?(?:标准)?")
# a fund paid per head, named between 每X and the amount (每人每月发放高龄津贴200元 → 高龄津贴)
_FUND_NAMED = re.compile(r"(?:发放|给予|补助|补贴|安排|按|拨付|兑现|享受)*(?P<fund>[\u4e00-\u9fff]{0,6}?"
                         r"(?:津贴|补贴|补助|奖励|资助|奖补|经费|工资|报酬|生活费|救助金|补助金|慰问金|保障金|助学金|奖学金)(?:资金)?)"
                         r"(?:标准)?$")
_PERIOD_WORDS = ("年", "月", "天", "日", "周", "季", "季度", "年度", "半年")
_VERBS = project_action_verbs()  # corpus/vocab/project_words.json
_WORK = {"新建": "建设", "修建": "建设", "建设": "建设", "建成": "建设", "建": "建设", "硬化": "硬化",
         "改造": "改造", "改建": "改造", "扩建": "改造", "修缮": "修缮", "维修": "维修", "修复": "修复",
         "养护": "养护", "治理": "治理", "铺设": "铺设", "整治": "整治", "绿化": "绿化"}


def work_noun(verb: str) -> str:
    """The noun a name writes for building work (新建 → 建设, 改建 → 改造); another verb as it is."""
    return _WORK.get(verb, verb)


_FILLER = re.compile(r"^(?:本项目|该项目|本次|此次|项目实施后|项目建成后|实施后|建成后|第[一二三四五六七八九十\d]+年|各(?!类|级)|均|全年|年度内|年内|年度|每年|明年|今年|本年度?|累计|共计|共(?!享|建|同|治)|计(?!划|量|生)|约为|约|为(?!民|老|农)|达到|达(?!标)|实现|超过|不少于|不低于|"
                     r"至少|力争|预计|计划|确保|完成|继续|拟|将(?!励)|需要|需(?!求)|主要|用于|对(?!接|象|外|口)|其中|另外|同时|并(?!网|联)|和(?!谐)|及(?!时|格)|在(?!岗|线|校|册|建|用|职|库)|按照|"
                     r"根据|通过|目标\d*|任务|\d{4}年度?|上半年|下半年|一是|二是|三是|四是|五是|[:：])+")
_TAIL = re.compile(r"(?:约为|约|为|达到|达|共计|共|计|累计|超过|突破|不少于|不低于|至少|近|全长|总长|(?<![增成延生])长|的|了|有|其中|"
                   r"稳定在|保持在|控制在|提高到|提高至|提升到|提升至|增加到|增加至|扩大到|扩大至)+$")
_PROVISO = re.compile(r"(力争|超过|突破|不少于|不低于|至少|以上|确保)")
_INCOME = re.compile(r"收入|增收|收益|分红|利润|产值|营业额|销售额|签约|成交|交易额|引资|融资|带动[\u4e00-\u9fff]{0,6}(?:投资|投入)")  # what the project earns or brings in
_BUDGET = re.compile(r"预算|资金|投资|投入|经费|总额|安排|补助|奖补|拨付|费用|造价|概算|合同价|金额")
_BENEFICIARY = re.compile(r"受益|带动|吸纳|惠及|覆盖人口|就业|务工")
_RATE_NAME = re.compile(r"(率|度|比例|比重|占比|增幅|降幅|幅度)$")
# when-words and completion verbs from corpus/vocab/deadlines.json, and a written month (6月底前, 3月前)
_DEADLINE = re.compile(rf"({'|'.join(map(re.escape, sentence_deadline_words()))}|\d{{1,2}}月底前|\d{{1,2}}月底|\d{{1,2}}月前)"
                       rf"({completion_verb_pattern()})")
_PERIOD = re.compile(r"(?P<y1>\d{4})年(?P<m1>\d{1,2})月(?:(?P<d1>\d{1,2})日)?\s*(?:-|—|－|~|～|至|到)\s*"
                     r"(?:(?P<y2>\d{4})年)?(?P<m2>\d{1,2})月(?:(?P<d2>\d{1,2})日)?")
_COVERAGE = re.compile(r"(?P<what>[\u4e00-\u9fff]{1,12}?)(?:工作)?(?:实现)?(?<![健完齐安周])全覆盖")
_ALL_COVERED = re.compile(r"应(?P<c>[\u4e00-\u9fff])尽(?P=c)")
_ACTIVITY = re.compile(r"(送[\u4e00-\u9fff]{1,3}?|[\u4e00-\u9fff]{2})(进村|下乡|进社区|进校园|进农村|入户|进万家)")
_FUND_BEFORE = re.compile(r"([\u4e00-\u9fff]{0,4}?(?:经费|补助|补贴|津贴|资金|资助|奖励|奖补))(?=[，,、：:\s]|$|按|标准)")
# a count per period (每月开展1次考核, 每季度召开1次, 一年2次): a frequency, written N次/月
_PER_PERIOD = re.compile(r"(?:每|一)(?P<p>半年|年度|年|季度|季|月|周|旬|天|日)(?![级龄前后内底末])")
_FREQUENCY_UNITS = ("次", "场", "期")  # occurrences; 每月服务200人次 is a volume, not a frequency
# a deadline written as a date (2023年6月30日前完成…, 于6月底前建成)
_DATED = re.compile(rf"(?P<date>(?:\d{{4}}年)?\d{{1,2}}月(?:\d{{1,2}}日|{deadline_part_pattern()}|份)?(?:以前|之前|前)|"
                    rf"(?<!\d)(?<!至|到|-|~)\d{{4}}年(?:内)?(?=(?:全面|全部|按期|如期|顺利)?(?:{completion_verb_pattern()})))"
                    rf"(?:全面|全部|按期|如期|顺利)?(?P<verb>{completion_verb_pattern()})")
# a stated sum in 万 with no 元 after it (项目（约50万）): money where the clause is about funds or a project
_BARE_WAN = re.compile(rf"(?P<op>约为|约|共计|共|计|总计|累计)?(?P<num>{_NUM})\s*万(?=\s*(?:[)）,，。；;]|$))")
_EXACT_PEOPLE = re.compile(r"出差|派出|选派|派驻|聘用|聘请|招聘|招录|配备|参会|参训")  # the unit's own people: an exact count
_INSTITUTION = re.compile(r"(院|室|站|所|校|园|中心|馆|学校|小学|中学)$")
_CONTEXT = re.compile(r"户籍|常住|现有|总人口|辖区内?共有|目前")  # background figures, not targets
_DIMENSION = re.compile(r"(?<![全总])(宽|宽度|高|高度|厚|厚度|深|深度|直径|长)$")
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9}
_CN_SCALE = {"十": 10, "百": 100, "千": 1000}
_CN_NUMBER = re.compile(rf"(?<![\d.第一二三四五六七八九十百千零两统唯逐单同])(?P<cn>[零〇一二两三四五六七八九十百千]+)"
                        rf"(?P<mult>万)?(?=(?:{_UNIT_RE}))")


@dataclass
class StatedIndicator:
    level1: str
    level2: str
    name: str
    target_raw: str
    operator: str
    value: float | None
    unit: str | None
    evidence: str  # the sentence it came from
    measure: str = "count"  # count | amount | money | rate | duration | deadline | state
    lead: str = ""  # the clause before the number (brackets kept as words): what tells two same-named rows apart


# a sentence ends at its stop, or where the next item of a numbered list starts: 1.完成改厕500户 2.新建…,
# （1）…（2）…, ①…②… (a decimal such as 1.2万亩 is no item number)
_SENTENCE_END = re.compile(r"[。；;！!\n]|(?<![\d.])(?=\d{1,2}[、.．](?!\d))|(?=[（(]\d{1,2}[)）])|(?=[①-⑳])")
_LIST_MARK = re.compile(r"^\s*(?:\d{1,2}[、.．]|[（(]\d{1,2}[)）]|[①-⑳])\s*")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９％．，", "0123456789%.,")


def extract(description: str) -> list[StatedIndicator]:
    text = (description or "").translate(_FULL_WIDTH)  # 95％, １２００人: a Word document's full-width figures
    text = chinese_numerals_to_digits(re.sub(r"m\s+²", "m²", text))
    found: list[StatedIndicator] = []

    def add(item: StatedIndicator | None) -> None:
        if item is None or not item.name:
            return
        same = next((f for f in found if f.name == item.name), None)
        if same is None:
            found.append(item)
        elif same.level2 != "成本" and same.target_raw != item.target_raw and _set_apart(same, item, found):
            found.append(item)  # 墙身（瓷砖）喷涂面积520㎡，墙身（砖墙）喷涂面积2021㎡: two facts, each named by its lead
        elif same.unit == item.unit and (item.value or 0) > (same.value or 0) and same.level2 != "成本":
            found[found.index(same)] = item  # "上半年80万次，全年200万次": the year's figure
        elif same.target_raw != item.target_raw and same.level2 == "成本":
            # 资助困难大学生40人，每人5000元；资助高中生60人，每人2000元: two standards, each named by whom it pays
            lead = _strip(re.sub(rf"{_NUM}\s*(?:万|亿)?(?:{_UNIT_RE})", "", re.split(r"[，,：:]", item.evidence)[0]))
            if 2 <= len(lead) <= 10 and not any(f.name == lead + item.name for f in found):
                item.name = lead + item.name
                found.append(item)

    for sentence in _SENTENCE_END.split(text):
        sentence = _LIST_MARK.sub("", sentence)
        add(_period(sentence))
        taken: list[tuple[int, int]] = []
        for match in [*_EACH.finditer(sentence), *_AVERAGE.finditer(sentence)]:
            standard = _unit_standard(sentence, match, text)
            if standard is not None:  # else the amount is read as a quantity below (每年安排资金50万元)
                add(standard)
                taken.append(match.span())
        for match in _QUANTITY.finditer(sentence):
            if any(a <= match.start("num") < b for a, b in taken):
                continue
            item = _from_quantity(sentence, match, text)
            if item is not None:
                item.lead = _lead(sentence[:match.start()])
            add(item)
        deadlines = list(_DEADLINE.finditer(sentence))
        for match in deadlines:
            add(_from_deadline(sentence, match))
        for match in _DATED.finditer(sentence):
            if not any(d.start() < match.end() and match.start() < d.end() for d in deadlines):
                add(_from_dated(sentence, match))
        for match in _BARE_WAN.finditer(sentence):
            if not any(a <= match.start("num") < b for a, b in taken):
                add(_bare_wan(sentence, match))
        for match in _COVERAGE.finditer(sentence):
            add(_coverage(match))
        for match in _ALL_COVERED.finditer(sentence):
            c = match["c"]
            add(StatedIndicator("产出", "质量", f"应{c}尽{c}率", "=100%", "=", 100.0, "%", sentence.strip(), "rate"))
    years = set(re.findall(r"(?<!\d)(20\d{2})年", text))
    if len(years) == 1:  # 年底前完成 in a description of 2023 alone: 2023年12月底前 (a date a reviewer can check)
        year = years.pop()
        for item in found:
            if item.measure == "deadline" and item.target_raw[:1].isdigit() and "年" not in item.target_raw:
                item.target_raw = f"{year}年{item.target_raw}"
    return found


# one figure part of the other (上半年80万次，全年200万次; 其中新造林3万亩): the larger stands for both
_PART_OR_TOTAL = re.compile(r"全年|累计|共计|总计|合计|总共|全部|其中|上半年|下半年|季度|每月|月底|年底")
_BRACKETED = re.compile(r"[（(]([^（()）]{1,8})[)）]")


def _lead(before: str) -> str:
    """The clause before a number, from the last comma or stop (brackets kept as words): 商业段外立面墙身（砖墙）
    重新喷涂铁锈红真石漆面积 → 商业段外立面墙身砖墙重新喷涂铁锈红真石漆面积."""
    clause = re.split(r"[，,；;。：:]", before)[-1]
    return _strip(_BRACKETED.sub(r"\1", clause))


def _qualifier(item: StatedIndicator) -> str:
    """What the clause says before the thing the name counts: the lead up to where the name's own words start."""
    lead = item.lead
    if not lead:
        return ""
    at = lead.find(item.name[:2])
    prefix = lead[:at] if at > 0 else ""
    return prefix if len(prefix) + len(item.name) <= 24 else prefix[-8:]


def _set_apart(same: StatedIndicator, item: StatedIndicator, found: list[StatedIndicator]) -> bool:
    """Two numbers read under one name from clauses that say different things: each takes the words its clause
    writes before the name (in place), so both stay; False when one figure is part of the other or the clauses
    do not tell them apart (the caller keeps the larger)."""
    if _PART_OR_TOTAL.search(same.lead + item.lead):
        return False
    mine, theirs = _qualifier(item), _qualifier(same)
    if not mine or mine == theirs:
        return False
    name = item.name
    if any(f.name == mine + name for f in found):
        return False
    item.name = mine + name
    if theirs and not any(f.name == theirs + name for f in found):
        same.name = theirs + name
    return True


# ---- numbers written in Chinese ---------------------------------------------------------------
def cn_to_int(text: str) -> int | None:
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGIT:
            current = _CN_DIGIT[ch]
        elif ch in _CN_SCALE:
            total += (current or 1) * _CN_SCALE[ch]
            current = 0
        else:
            return None
    return total + current


def chinese_numerals_to_digits(text: str) -> str:
    """三十个 → 30个, 两个 → 2个; a lone 一 (一个, 一批: idioms as often as counts) is left alone."""
    def repl(m: re.Match) -> str:
        if m["cn"] == "一":
            return m[0]
        value = cn_to_int(m["cn"])
        return m[0] if value is None else f"{value}{m['mult'] or ''}"
    return _CN_NUMBER.sub(repl, text)


# ---- one quantity -------------------------------------------------------------------------------
# a bracketed word inside a name (研究成果采纳（转化）率, 墙身（瓷砖）喷涂面积): read as words, not as a remark that
# ends the clause
_INLINE_ALTERNATIVE = re.compile(r"[（(]([^（()）\d]{1,3})[)）](?=[\u4e00-\u9fff])")


def _from_quantity(sentence: str, match: re.Match, whole: str) -> StatedIndicator | None:
    before = _INLINE_ALTERNATIVE.sub(r"\1", sentence[:match.start()])
    after = sentence[match.end():]
    unit, per = match["unit"], match["per"]
    if re.search(r"\d{4}$", before.rstrip()) or re.match(r"(?<!\s)\s*[年月日号]", after):
        return None  # a year or a date, not a quantity
    if re.search(r"(第|（|\(|-|~|～|(?<![缩短减降低高升加增达扩])至|编号|No\.?)$", before) or re.search(r"[A-Za-z]$", before):
        return None  # an article number (第4.2条), a remark in brackets, a model number
    if unit in ("个", "名", "人") and re.match(r"(工作日|月|小时)", after):
        return None
    number = float(match["num"].replace(",", ""))
    high = float(match["high"].replace(",", "")) if match["high"] else None
    clause = re.split(r"[，,、：:（()）]", before)[-1]
    stated_op = match["op"] or _word_op(clause, after)
    unit_written = "平方米" if unit == "平米" else unit
    if match["mult"]:
        unit_written = f"{match['mult']}{unit_written}"
    if match["alt"]:  # "36台（套）": the unit as the author wrote it
        unit_written += f"（{match['alt'][1:-1]}）"
    if "由" in clause and re.match(r"(?<!\s)\s*(?:扩展|扩大|提高|提升|增加|增长|降低|减少|下降|压缩)(?:到|至)", after):
        return None  # 由55%提高到58%: 55% is where it starts, not the target
    change = _CHANGE.search(before[-60:])  # bounded: a sentence may run for thousands of characters
    if change and unit not in MONEY_UNITS:  # 覆盖面积由现有的1000平方公里扩展到8522平方公里: the level reached
        return _changed_to(sentence, change, number, unit, unit_written)
    points = re.match(r"百分点", after) if unit == "个" else None
    moved = re.search(r"(?P<what>[\u4e00-\u9fff]{2,14}?)(?P<way>增长|提高|提升|增加|上升|下降|降低|减少)$", _strip(clause))
    if points and moved:  # 森林覆盖率提高1个百分点 → 森林覆盖率提高幅度 ≥1个百分点 (the change promised is a floor)
        operator = _operator(stated_op, ">=")
        name = f"{moved['what']}{moved['way']}幅度"
        level2 = framework.level2_from_meaning(moved["what"], "") or "社会效益"
        return StatedIndicator(framework.LEVEL2[level2], level2, name, _raw(operator, number, "个百分点"),
                               operator, number, "个百分点", sentence.strip(), "rate")
    if unit in ("%", "‰"):
        return _rate(sentence, before, after, number, unit, stated_op)
    if unit in MONEY_UNITS:
        return _money(sentence, before, clause, after, number, high, unit_written, per, stated_op, whole)
    if unit in TIME_UNITS:
        if unit == "年" and (number >= 1900 or not float(number).is_integer()):
            return None  # 2023年 is a year, not a period
        return _duration(sentence, clause, number, unit_written, stated_op)
    if not float(number).is_integer() and unit in COUNT_UNITS + PEOPLE_UNITS and unit not in _WEIGHED:
        if not match["mult"] and not match["op"]:
            return None  # "4.2条" is an article number, not a count (达到49.07件 is one: an average)
    return _count(sentence, before, clause, after, number, high, unit, unit_written, stated_op, whole)


# what a sentence moves from one level to another: the subject before 由, the direction after it
_CHANGE = re.compile(r"(?P<what>[\u4e00-\u9fff]{2,14}?)由[^，,；;]*?(?:扩展|扩大|提高|提升|增加|增长|(?P<down>降低|减少|下降|压缩))"
                     r"(?:到|至)[^，,；;\d]{0,12}$")


def _changed_to(sentence: str, change: re.Match, number: float, unit: str, unit_written: str) -> StatedIndicator | None:
    name = re.sub(r"(?:可|能|将)$", "", _strip(change["what"]))
    name = re.sub(r"^(?:可|能)", "", name)
    if len(name) < 3:
        return None
    operator = "<=" if change["down"] else ">="  # down to a level: a ceiling
    raw = _raw(operator, number, unit_written)
    if unit in ("%", "‰"):
        level2 = framework.level2_from_meaning(name, raw) or "质量"
        return StatedIndicator(framework.LEVEL2[level2], level2, name, raw, operator, number, unit, sentence.strip(), "rate")
    measure = "amount" if unit in LENGTH_UNITS + AREA_UNITS else "count"
    return StatedIndicator("产出", "数量", name, raw, operator, number, unit_written, sentence.strip(), measure)


def _word_op(clause: str, after: str) -> str | None:
    if re.match(r"(?<!\s)\s*(以上|及以上)", after):
        return "以上"
    if re.match(r"(?<!\s)\s*(以内|以下|及以下)", after):
        return "不超过"
    found = _PROVISO.search(clause[-10:])
    return found[0] if found else None


def _operator(stated: str | None, default: str) -> str:
    """The operator of a word the author wrote (corpus/vocab/operators.json): a bound as ≥ or ≤ (超过1000人
    is read as a floor of 1000); 力争 and 确保 promise a floor; any other word leaves `default`."""
    written = operator_glyphs().get(stated or "")
    if written in ("<=", "<"):
        return "<="
    if written in (">=", ">") or stated in ("力争", "确保", "突破"):
        return ">="
    return default


def _raw(operator: str, value: float, unit: str) -> str:
    return f"{operator_display(operator if operator in ('>=', '<=') else '=')}{_fmt(value)}{unit}"


def _target(operator: str, number: float, unit_written: str) -> tuple[str, float | None, str | None]:
    raw = _raw(operator, number, unit_written)
    parsed = parse_target(raw)
    if parsed.unit and parsed.value == number and unit_written.startswith(parsed.unit):
        return raw, parsed.value, unit_written  # 1200批次 is counted in 批次, 1次/月 in 次/月
    return raw, parsed.value, parsed.unit or unit_written


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _strip(phrase: str) -> str:
    # "收容所1间" → "收容所"; an ordinal is no quantity (第一年按投资额: 一年 stays for _FILLER's 第一年)
    phrase = re.sub(r"(?<!第)(?:\d[\d.]*|一)\s*(?:" + _UNIT_RE + r")", "", phrase)
    phrase = re.sub(r"(?<![\d.])\d[\d.]*[A-Za-z]+", "", phrase)  # "1250KVA变压器" → "变压器"
    phrase = _FILLER.sub("", phrase.strip())
    return _TAIL.sub("", phrase).strip()


def _split_verb(phrase: str) -> tuple[str, str]:
    """'修建作业道' → ('修建', '作业道'); the last verb in the phrase and what follows it.
    A verb that ends the phrase ('果园路建设') leaves what precedes it as the object."""
    if re.match(r"建(?!档|设|成|立)", phrase):
        return "建设", phrase[1:]
    best = None
    for verb in sorted(_VERBS, key=len, reverse=True):
        at = phrase.rfind(verb)
        if at >= 0 and (best is None or at + len(verb) > best[0] + len(best[1])):
            best = (at, verb)
    if best is None:
        return "", phrase
    tail = phrase[best[0] + len(best[1]):]
    return best[1], tail or phrase[:best[0]]


def _closing_verb_name(head: str, verb: str, suffix: str) -> str:
    head = re.sub(r"^(开展|组织|举办|进行|实施|完成)", "", head)
    return f"{head}{verb}{suffix}" if _modifier(head) else f"{verb}{suffix}"


def _modifier(head: str) -> bool:
    """Is the text before a closing verb a short modifier of it (主体班 in 主体班培训), rather
    than a subject clause (相关机构和信息主体实现)?"""
    # 法律援助案件办理, 港澳台和国外专利资助: modifiers too (two things joined by 和 are still what is done to)
    return 0 < len(head) <= 8 and not re.search(r"实现|为|对|向|给", head)


# a clause that gives only a size (全长, 面积, 建筑面积): what is measured is named in the clause before
_SIZE_ALONE = re.compile(r"(?:全长|总长|长度|总长度|长|面积|总面积|建筑面积|占地面积|占地|规模)?")


def _previous_work(before: str) -> tuple[str, str] | None:
    """The work and the thing of the clause before a size (新建防火隔离带，全长… → (新建, 防火隔离带); 治理河道 →
    (治理, 河道)); None where there is no such clause or it names nothing of 2–12 characters."""
    clauses = re.split(r"[，,]", before)[:-1]
    # dimensions written between (新建厕所1个，长4.5米，宽3米，占地13.5平方米): the thing is named before them
    while clauses and re.fullmatch(r"(?:长|宽|高|厚|深|直径|长度|宽度|高度|厚度|深度)?", _strip(clauses[-1])):
        clauses.pop()
    if not clauses:
        return None
    words = _strip(clauses[-1])
    verb = next((v for v in sorted(_VERBS, key=len, reverse=True) if words.startswith(v) and len(words) > len(v)), "")
    thing = words[len(verb):]
    if not (2 <= len(thing) <= 12) or not re.fullmatch(r"[\u4e00-\u9fff]+", thing):
        return None
    return (verb if verb else "建设"), thing


_SERVED = re.compile(r"(?:惠及|覆盖|受益|带动)(?P<who>[\u4e00-\u9fff]*)$")
_PERSON_ENDINGS = project_person_endings()["long"]


def _served(clause: str, who: str) -> str:
    """The people a project reaches (惠及, 覆盖, 受益, 带动 before them, or before the count with them after it):
    a word naming people (its last character one of the vocabulary's person endings, or 人口); empty otherwise
    (带动就业300人 counts jobs, 覆盖12个行政村 places)."""
    cue = _SERVED.search(_strip(re.sub(rf"{_NUM}\s*(?:万|亿)?(?:{_UNIT_RE})", "", clause)))
    if cue is None:
        return ""
    people = who or re.sub(r"^(?:周边|沿线|全县|全区|全市|全镇|全乡|辖区)", "", cue["who"])
    if not (2 <= len(people) <= 8) or people.startswith(("就业", "务工")):
        return ""
    return people if people.endswith("人口") or people[-1] in _PERSON_ENDINGS else ""


_PLACE_NOUN = re.compile(r"(?:点|站|室|所|班|队|馆|中心|基地|平台)")


def _object_after(after: str) -> str:
    after = re.sub(r"[（(][^）)]{1,6}[）)]", "", after)  # 村（社区）干部: the alternative in brackets
    after = re.sub(r"^\d+周?岁(?:及)?以上", "", after)  # 2.3万名65岁以上老年人: the age qualifies the people
    after = re.sub(r"^(?:共计|合计|总计|共)", "", after)  # 产业路5条共8.5公里: 共 starts the next figure
    after = re.sub(r"^的(?=[\u4e00-\u9fff]{2})", "", after)  # 完成1200户的农村厕所改造: what the count is of
    obj = re.split(r"(任务|工作|的|以上|以内|进行|实施|开展|按月|按时|按季|承担|参与|参加|负责|提供|享受|接受|"
                   r"[为，,、；;（(：:和及与并每]|\d)", after)[0]
    for verb in _VERBS:  # "低保对象发放最低生活保障金": the object ends where a verb starts
        at = obj.find(verb, 2)
        if at > 0 and not obj.endswith(verb) and not _PLACE_NOUN.match(obj[at + len(verb):]):
            obj = obj[:at]  # (村级服务点, 监测站: a verb before 点, 站, 中心 names a place, not what is done)
    obj = obj.strip()[:12]
    return "" if obj in _VERBS else obj  # 为建档立卡户62户发放补助资金: what is done after the count, not what is counted


def _suffix(unit: str) -> str:
    if unit in LENGTH_UNITS:
        return "长度"
    if unit in AREA_UNITS:
        return "面积"
    return counted_as().get(unit, "数量")


def _count(sentence, before, clause, after, number, high, unit, unit_written, stated_op, whole):
    if not clause.strip() and re.search(r"\d\s*[\u4e00-\u9fff]{1,2}[、和及]$", before):
        # 困难群众350户、1050人: the second figure counts the same people as the first
        clause = re.sub(rf"(?:\d[\d.]*\s*(?:万|亿)?(?:{_UNIT_RE}))[、和及]?$", "", before)
        clause = re.split(r"[，,、：:（()）]", clause)[-1]
    phrase = _strip(clause)
    if _CONTEXT.search(clause) or (_DIMENSION.search(clause.strip()) and unit in LENGTH_UNITS):
        return None
    obj_after = _object_after(after)
    verb, obj_before = _split_verb(phrase)
    trailing = next((v for v in _VERBS if obj_after.endswith(v) and len(obj_after) > len(v)), None)
    if trailing and verb in ("开展", "组织", "实施", "举办"):
        verb = ""  # 每月开展1次经费使用检查: the activity is 经费使用检查, 开展 says nothing
    elif trailing and verb in ("", "完成", "实施", "进行"):
        verb = ""  # 完成1200户农村厕所改造: the work is 改造, written after what it is done to
    elif trailing:  # "7个小型水利工程建设": the verb comes after its object
        obj_after = obj_after[:-len(trailing)]
        verb = verb or trailing
    done_to = re.match(rf"{re.escape(obj_after)}(?:进行|开展|参加|接受|组织)({'|'.join(_VERBS)})", after) if obj_after else None
    if done_to and not verb:  # "对180名村干部进行培训": what is done to the people counted
        verb = done_to[1]
    suffix = _suffix(unit)
    level1, level2, measure = "产出", "数量", "amount" if unit in LENGTH_UNITS + AREA_UNITS else "count"
    if unit in LENGTH_UNITS + AREA_UNITS:
        default = "="
        leading = next((v for v in sorted(_WORK, key=len, reverse=True)
                        if phrase.startswith(v) and len(phrase) > len(v) + 1), None)
        if leading and not obj_after:  # 新建污水收集管网32公里: the building verb leads; 收集 is part of the thing built
            verb, obj_before = leading, phrase[len(leading):]
        elif not obj_after and verb and not phrase.endswith(verb) and not phrase.startswith(verb):
            verb, obj_before = "", phrase  # 污水收集管网567公里 (a list's next item): a verb inside the name is part of it
        thing = obj_after or obj_before or phrase
        thing = re.sub(r"(全长|总长|长度|长|占地|面积|总面积)$", "", thing) or thing
        work = _WORK.get(verb) or next((w for k, w in _WORK.items() if k in whole), "建设")
        thing = thing[-12:]
        size_word = re.sub(r"(?:约为|约|为|达到|达|共计|共|计|总计)$", "", _FILLER.sub("", clause.strip()))
        previous = _previous_work(before) if not obj_after and _SIZE_ALONE.fullmatch(size_word) else None
        if obj_after:
            later = re.search("|".join(_WORK), after)  # "12公里农村公路进行拓宽改造"
            done = _WORK.get(trailing or verb) or (_WORK[later[0]] if later else "")
            name = f"{obj_after}{done}{suffix}"
        elif previous:  # 新建防火隔离带，全长7公里 → 防火隔离带建设长度; 治理河道，全长14公里 → 治理河道长度
            done, thing = previous
            size = {"建筑面积": "建筑面积", "占地面积": "占地面积", "占地": "占地面积"}.get(size_word, suffix)
            if size != suffix:  # 新建加工车间，建筑面积… → 加工车间建筑面积
                name = f"{thing}{size}"
            else:
                name = f"{thing}{_WORK[done]}{size}" if done in _WORK else f"{done}{thing}{size}"
        elif phrase in ("建筑面积", "面积") and re.search(r"修缮|维修|装修|改造", whole):
            name = next(f"{w}面积" for w in ("修缮", "维修", "装修", "改造") if w in whole)  # the area repaired
        elif phrase.endswith("面积"):
            name = phrase  # "防治作业面积19.699万亩"
        elif phrase.endswith("占地"):
            name = "占地面积"
        elif unit in AREA_UNITS and not (verb in _WORK):
            name = f"{phrase}{suffix}"  # "造林1.2万亩" → 造林面积, "森林经营16.3万亩" → 森林经营面积
        else:
            if any(k in thing for k in _WORK):
                work = ""  # 道路改造提升5公里: the work is already in the thing's words
            name = f"{thing}{work}{suffix}" if thing else f"{work}{suffix}"
    elif unit in EQUIPMENT_UNITS and verb in ("采购", "购置", "购买", "配备", "配置", "新增", ""):
        default = "="
        thing = obj_after or obj_before
        if not thing:
            return None
        name = f"{thing}配备数量"
    elif unit in PEOPLE_UNITS + ("户",):
        default = "=" if _EXACT_PEOPLE.search(phrase) else ">="
        who = obj_after if obj_after and not re.match(r"^(次|参加|参与)", obj_after) else ""
        who = re.sub(r"(?<=[\u4e00-\u9fff]{2})(?:基本)?(?:报酬|工资|补贴|经费|补助|待遇|生活费)$", "", who)  # 村干部报酬: the people
        if _EXACT_PEOPLE.search(phrase) and len(phrase) <= 6 and re.match(r"(?:赴|到|去|前往|至)", who):
            name = f"{phrase}{suffix}"  # 出差8人赴省厅对接 → 出差人数: the people the unit sends
        elif verb and phrase.endswith(verb) and obj_before and not who:
            name = _closing_verb_name(obj_before, verb, suffix)  # 主体班培训人次; …主体实现查询 → 查询次数
        elif phrase.endswith("人口") and not who:
            name = f"{phrase}数" if unit != "户" else f"{phrase}户数"
        elif obj_before and not who:
            name = f"{phrase}{suffix}"  # "主体班培训280人次" → 主体班培训人次
        elif who:
            name = f"{verb}{who}{suffix}" if verb and verb not in ("实施", "开展") else f"{who}{suffix}"
        else:
            name = f"{phrase or verb}{suffix}"
        if _BENEFICIARY.search(phrase + who):
            level1, level2 = "效益", "社会效益"
        served = _served(clause, who)
        if served:  # 项目惠及农户1200户 → 受益农户户数; 覆盖人口2583人 → 受益人口数 (the words forms file them under)
            name = f"受益{served}{'数' if served.endswith('人口') and unit != '户' else suffix}"
            level1, level2 = "效益", "社会效益"
        solved = re.match(rf"{re.escape(who)}的([\u4e00-\u9fff]{{2,8}}?)(?:问题|难题|困难)", after) if who else None
        if solved and "解决" in clause:  # 解决1200名群众的安全饮水问题 → 解决安全饮水群众人数 (a benefit)
            name = f"解决{solved[1]}{who}{suffix}"
            level1, level2 = "效益", "社会效益"
        elif "解决" in clause and re.search(r"(?:问题|难题|困难)$", who):  # 解决5600人饮水问题 → 解决饮水问题人数
            name = f"解决{who}{suffix}"
            level1, level2 = "效益", "社会效益"
    else:
        default = ">=" if unit in ("场", "期", "批") or unit.endswith("次") else "="  # occurrences (次, 人次, 批次, 户次 …): a floor
        village = re.match(r"(行政村|自然村|乡镇|建制村)", obj_after)
        if village and _INSTITUTION.search(obj_after) and len(obj_after) <= 8:
            village = None  # "12个乡镇卫生院": the count is of the clinics
            name = f"覆盖{obj_after}数量"
            operator = _operator(stated_op, ">=")
            raw, parsed_value, parsed_unit = _target(operator, number, unit_written)
            return StatedIndicator(level1, level2, name, raw, operator, parsed_value, parsed_unit,
                                   sentence.strip(), measure)
        if village:  # "12个行政村村干部基本报酬": the count is of villages
            obj_after = village[1]
        if obj_after and any(obj_after.endswith(p) and len(obj_after) <= 5 for p in PLACES):
            activity = _ACTIVITY.search(whole)
            default = ">="
            name = (f"{activity[0]}数量" if activity else f"{verb}{obj_after}数量" if verb
                    else f"覆盖{obj_after}数量")
        elif obj_after:
            name = f"{verb if verb not in ('实施',) else ''}{obj_after}{suffix}"
        elif verb and phrase.endswith(verb) and obj_before:
            name = _closing_verb_name(obj_before, verb, suffix)  # 预防接种宣传场次; 查询次数
        elif phrase:
            name = f"{phrase}{suffix}"
        else:
            return None
    name = _ONE_ENDING.sub(r"\1", re.sub(r"各类|各项|各种", "", name.strip()))  # 抽检食品样品数量 + 数量: one ending
    name = re.sub(rf"({'|'.join(dict.fromkeys(_WORK.values()))})\1", r"\1", name)  # 冷库仓储建设建设面积: the work once
    name = re.sub(r"^(?:组织开展|组织实施|组织|开展|进行)(?=[\u4e00-\u9fff]{4})", "", name)  # 组织开展全民健身活动次数
    period = _PER_PERIOD.search(clause) if unit in _FREQUENCY_UNITS else None
    if period:  # 每月开展1次考核 → 考核频次 ≥1次/月
        name = _frequency_name(name)
        unit_written = f"{unit_written}/{_PERIOD_UNIT.get(period['p'], period['p'])}"
        default = ">="
    if len(name) < 3:
        return None
    operator = _operator(stated_op, default)
    value = high if high is not None and operator == "<=" else number
    raw, parsed_value, parsed_unit = _target(operator, value, unit_written)
    return StatedIndicator(level1, level2, name, raw, operator, parsed_value, parsed_unit, sentence.strip(),
                           measure)


_ENDINGS = "|".join(counted_endings())  # corpus/vocab/name_endings.json
# a thing named by its own measure takes no second one: 抽检样品数量 + 数量, 刑事案件发案数 + 数量, 受理办件量 + 数量
# (the one-character measure words of name_endings.json: 量, 数)
_ONE_ENDING = re.compile(rf"({_ENDINGS}|{'|'.join(e for e in measure_endings() if len(e) == 1)})(?:{_ENDINGS})$")
_PERIOD_UNIT = {"年度": "年", "季": "季度", "日": "天"}


def _frequency_name(name: str) -> str:
    """开展考核次数 → 考核频次, 每周巡查次数 → 巡查频次: what is done, how often."""
    name = _PER_PERIOD.sub("", name)
    name = re.sub(rf"(?:{_ENDINGS})$", "", name)
    name = re.sub(r"^(?:开展|组织|进行|实施|举办|完成|定期)", "", name)
    return f"{name}频次"


def _rate(sentence, before, after, number, unit, stated_op):
    noun = _strip(re.split(r"[，,、：:（()）]|(?<!\d)\d+[.、．]\s", before)[-1])
    noun = re.split(r"按照|不低于|不少于|不超过|达到", noun)[-1]
    noun = re.sub(r"(控制在|保持在|稳定在|提高到|提高至|提升到|提升至|降低到|降低至|降至|下降到|达)$", "", noun)
    share = re.match(r"的?比例(?:用于|发放|支付|兑付)?([\u4e00-\u9fff]{2,6})", after or "")
    if share and noun and not _RATE_NAME.search(noun):
        noun = f"{share[1]}占{noun}比例"  # "不低于中央投资30%的比例发放劳务报酬"
    moved = re.search(r"^(?P<what>[\u4e00-\u9fff]{2,14}?)(?:较上年|比上年|同比|较去年|年均)?(?P<way>增长|提高|提升|增加|上升|下降|降低|减少)$", noun)
    if moved and not _RATE_NAME.search(noun):  # 农民人均可支配收入增长8% → 农民人均可支配收入增长率 ≥8%
        way = "增长" if moved["way"] in ("提高", "提升") else moved["way"]  # 收入提高10% → 收入增长率
        name = f"{re.sub(r'^(?:使|让|促进|带动)', '', moved['what'])}{way}率"
        operator = _operator(stated_op, ">=")  # the growth or the cut promised is a floor
        raw = _raw(operator, number, unit)
        level2 = ("经济效益" if _INCOME.search(name) else framework.level2_from_meaning(name, raw) or "社会效益")
        return StatedIndicator(framework.LEVEL2[level2], level2, name, raw, operator, number, unit,
                               sentence.strip(), "rate")
    task = re.match(r"的([\u4e00-\u9fff]{2,8}?)任务", after or "")
    if task and re.search(r"完成$", before.rstrip()):  # 年内完成80%的建设任务 → 建设任务完成率 ≥80%
        raw = _raw(_operator(stated_op, ">="), number, unit)
        return StatedIndicator("产出", "数量", f"{task[1]}任务完成率", raw, _operator(stated_op, ">="), number, unit,
                               sentence.strip(), "rate")
    if not _RATE_NAME.search(noun):
        verb = re.match(r"[\u4e00-\u9fff]{2}", after or "")
        if not noun or noun.startswith(("按照", "根据")):
            return None
        noun = re.sub(r"^按", "", noun)
        noun = f"{noun}{verb[0] if verb else ''}比例" if len(noun) <= 8 else None
        if not noun:
            return None
    if len(noun) < 3:
        return None
    operator = _operator(stated_op, "=")
    if operator == ">=" and unit == "%" and number >= 100:
        operator = "="  # 处理率达100%: a share cannot pass the whole
    raw = _raw(operator, number, unit)
    level2 = framework.level2_from_meaning(noun, raw) or "质量"
    if re.search(r"满意", noun):
        level2 = "服务对象满意度"
    return StatedIndicator(framework.LEVEL2[level2], level2, noun, raw, operator, number, unit,
                           sentence.strip(), "rate")


def _money(sentence, before, clause, after, number, high, unit_written, per, stated_op, whole):
    phrase = _strip(clause)
    if per:  # "4400元/村", "300元/亩"
        per_unit = per.lstrip("/每")
        if re.search(r"(?:标准|成本|费用|单价|价格|造价)$", phrase):
            name = phrase  # 吨垃圾收运处理成本800元/吨: the author's own word for what is priced
        else:
            name = f"{phrase or '每' + per_unit}补助标准" if re.search(r"补助|补贴|奖补", whole) else f"{phrase}单价"
        operator = _operator(stated_op, "=" if name.endswith("标准") else "<=")
        raw = _raw(operator, number, f"{unit_written}/{per_unit}")
        return StatedIndicator("产出", "成本", name, raw, operator, number, f"{unit_written}/{per_unit}",
                               sentence.strip(), "money")
    if _INCOME.search(phrase + after[:4]):
        name = phrase if _INCOME.search(phrase) else f"{phrase}{after[:2]}"
        name = re.sub(r"(增收|收入)(人均|户均)$", r"\2\1", name)  # 农户增收人均1000元 → 农户人均增收
        name = re.sub(r"^(为|使|让|带动|促进|增加)", "", name)
        if re.match(r"^增加", _strip(clause)) or name.startswith("收入"):
            name = f"{name}增收" if not name.endswith(("收入", "增收")) else name
        operator = _operator(stated_op, ">=")
        value = number
        raw = _raw(operator, value, unit_written)
        if len(name) < 3:
            name = f"项目带动{name}"  # "预计增收2万元" → 项目带动增收
        return StatedIndicator("效益", "经济效益", name, raw, operator, value, unit_written,
                               sentence.strip(), "money")
    if not _BUDGET.search(clause + after[:6]) and not phrase:
        return None
    operator = "<="  # a sum of money the project spends is a ceiling, whatever word precedes it
    value = high if high is not None else number
    verb, thing = _split_verb(phrase)
    specific = thing if thing and not _BUDGET.search(thing) and len(thing) >= 2 else ""
    if not specific and re.search(r"(?:投资|资金|经费)$", phrase) and len(phrase) >= len(thing) + 3:
        specific = re.sub(r"^(?:完成|用于|实施)", "", re.sub(r"(?:投资|资金|经费)$", "", phrase))  # 土建安装投资
    name = _whole_sum(clause + after[:4]) if not specific else f"{specific}{'投资' if '投资' in clause + after[:4] else '资金'}"
    if not specific and _names_its_own_sum(phrase):
        name = phrase  # 发放创业担保贷款金额共计2766万元, 软件开发费用11万元: what the sum is for, as written
    fund = re.search(r"([\u4e00-\u9fff]{2,6}(?:资金|经费|补贴|补助|奖补)|[\u4e00-\u9fff]{0,6}?(?:[救资补]助金|慰问金|奖励金|"
                     r"保障金|助学金|抚恤金|津贴))$", phrase)
    if not specific and fund and not re.match(r"^(?:项目|总|预算|投入|安排)", fund[1]):
        # 发放补贴资金120万元 → 补贴资金, 申请财政资金300万元 → 财政资金, 发放临时救助金150万元 → 临时救助金
        name = re.sub(r"^(?:发放|拨付|兑现|兑付|安排|下达)", "", fund[1])
    raw = _raw(operator, value, unit_written)
    return StatedIndicator("产出", "成本", name, raw, operator, value, unit_written, sentence.strip(), "money")


# words that name the project's whole sum, not what a sum is for (项目总投资, 本年度安排资金, 申请财政资金)
_WHOLE_SUM_WORDS = re.compile(r"项目|总|本年度|年度|本年|安排|申请|争取|下达|财政|中央|省级|市级|县级|区级|上级|专项|资金|投资|投入|"
                              r"预算|经费|费用|总额|金额|概算|计划|需要|需|共|合计|其中|自筹|配套|补助|奖补|到位|拨付|使用|支出")


def _names_its_own_sum(phrase: str) -> bool:
    """A clause that names what its sum is for (软件开发费用, 发放创业担保贷款金额) in at least two characters
    beyond the words of a project's whole sum, and ends in a word of money."""
    rest = _WHOLE_SUM_WORDS.sub("", phrase)
    return (len(rest) >= 2 and len(phrase) <= 16 and re.fullmatch(r"[\u4e00-\u9fff]+", phrase) is not None
            and re.search(r"(?:资金|经费|费用|费|金额|投资|投入|成本|款|金|额)$", phrase) is not None)


def _whole_sum(words: str) -> str:
    """The project's whole sum under the word the author wrote for it: 总投资 → 项目总投资, 预算 → 项目预算,
    总投入 → 项目总投入; any other word of funds → 项目资金."""
    for written, name in (("总投资", "项目总投资"), ("投资", "项目总投资"), ("总投入", "项目总投入"),
                          ("预算", "项目预算"), ("概算", "项目概算")):
        if written in words:
            return name
    return "项目资金"


def _unit_standard(sentence: str, match: re.Match, whole: str) -> StatedIndicator | None:
    per = match["per"]
    per2 = match["per2"] or (match.groupdict().get("pre"))  # 月人均580元: per head per month
    unit = f"{match['mult'] or ''}元/{per}{'·' + per2 if per2 else ''}"
    number = float(match["num"].replace(",", ""))
    before = sentence[:match.start()]
    written = re.search(r"不低于|不少于|不超过|不高于|达到", match[0])
    stated = written[0] if written else _word_op(before, sentence[match.end():])
    mid = re.sub(r"(?:为|是)$", "", match["mid"])  # 补助标准为580元
    if _INCOME.search(before[-8:] + mid):
        return None  # 带动农户增收人均1000元: an income (the quantity reader names it)
    plain = bool(_EACH_PLAIN.fullmatch(mid))
    if not plain and per in _PERIOD_WORDS and not per2:
        return None  # 每年安排资金50万元: a yearly sum, not a standard per head (the quantity reader takes it)
    named = None if plain else _FUND_NAMED.search(mid)
    if not plain and named is None:
        return None  # 每户…新建…3万元: something else stands between, not a standard
    what = "单价" if re.search(r"单价|价格|造价|采购价", sentence) else "补助标准"
    fund = _FUND_BEFORE.findall(before)
    if named and len(per) == 1 and named["fund"] not in ("补助", "补贴", "奖补"):  # 每人每月发放高龄津贴200元
        name = f"{per}均{named['fund']}标准"  # → 人均高龄津贴标准
    elif fund and what != "单价" and len(per) == 1:  # 公用经费…每生每年780元 → 生均公用经费标准
        name = f"{per}均{re.search(r'.{0,2}(?:经费|补助|补贴|津贴|资金|资助|奖励|奖补)$', fund[-1])[0]}标准"
    else:  # 高龄津贴发放标准为每人每月600元 → 高龄津贴发放标准; 户均改造成本为每户1200元 → 户均改造成本
        name = _standard_subject(before) or f"每{per}{'每' + per2 if per2 else ''}{what}"
    operator = _operator(stated, "=")  # a standard the author states is the standard, not a ceiling
    raw = _raw(operator, number, unit)
    return StatedIndicator("产出", "成本", name, raw, operator, number, unit, sentence.strip(), "money")


_STANDARD_LINK = re.compile(r"(?:的标准|标准为|标准是|按照|按|为|是|：|:)+$")
_PRICED = re.compile(r"(?:标准|成本|费用|单价|价格|造价|工资|报酬|津贴|补贴|补助|资金|经费|金|费)$")


def _standard_subject(before: str) -> str:
    """What a standard per head is of, as its clause names it before 每 (农村低保按每人每月…, 户均改造成本为每户…):
    the subject when a link word (按, 为, 标准为) joins it to the amount or it names money itself; empty when the
    clause names no such thing (资助困难学生每人…: the people, not the standard)."""
    clause = _BRACKETED.sub(r"\1", re.split(r"[，,；;。]", before)[-1]).strip()
    linked = bool(_STANDARD_LINK.search(clause))
    subject = _strip(_STANDARD_LINK.sub("", clause))
    subject = re.sub(r"^(?:为|对|向|给|按照|按)", "", subject)
    if not (2 <= len(subject) <= 14) or not re.fullmatch(r"[\u4e00-\u9fff]+", subject):
        return ""
    if not linked and not _PRICED.search(subject):
        return ""
    return subject if re.search(r"(?:标准|成本|费用|单价|价格|造价)$", subject) else f"{subject}标准"


def _duration(sentence, clause, number, unit_written, stated_op):
    cut = re.search(r"(?:压缩|缩短|缩减|减少)(?:至|到)$", clause)  # 平均办理时间压缩至3个工作日: a ceiling
    if cut:
        clause, stated_op = clause[:cut.start()], stated_op or "不超过"
    phrase = _strip(clause)
    if re.search(r"(?:期|期限|时长|时限|年限|天数|时间)$", phrase) and 2 <= len(phrase) <= 10:
        name = phrase  # 服务周期180天, 建设期6个月, 管护期3年, 设施使用年限10年, 培训时间5天
        if re.search(r"年限$", phrase):  # how long what is built keeps working: a lasting benefit
            operator = _operator(stated_op, ">=")
            return StatedIndicator("效益", "可持续影响", name, _raw(operator, number, unit_written), operator, number,
                                   unit_written, sentence.strip(), "duration")
    elif re.search(r"(?:内|时间)(?:完成|办结|完工)", sentence):  # 3个工作日内办结, 用3个月时间完成
        task = re.sub(r"^(?:计划)?(?:用|利用|花)$", "", _split_verb(phrase)[1])
        done = re.search(r"(?:内|时间)(?:完成|办结|完工)(?:全部|所有)?([\u4e00-\u9fff]{2,8}?)(?:工作|任务)?$", sentence.rstrip("。；; "))
        name = f"{task or (done[1] if done else '项目')}完成时限"  # 10个工作日内完成资金拨付 → 资金拨付完成时限
        stated_op = stated_op or "不超过"
    else:
        return None  # durations in prose are rarely a target of their own ("不长于3个月")
    operator = _operator(stated_op, "=")
    raw = _raw(operator, number, unit_written)
    return StatedIndicator("产出", "时效", name, raw, operator, number, unit_written.replace("个", ""),
                           sentence.strip(), "duration")


def _period(sentence: str) -> StatedIndicator | None:
    m = _PERIOD.search(sentence)
    if not m:
        return None
    year = m["y2"] or m["y1"]
    target = f"{year}年{int(m['m2'])}月{int(m['d2'])}日前" if m["d2"] else f"{year}年{int(m['m2'])}月底前"
    return StatedIndicator("产出", "时效", "项目完成时限", target, "<=", None, None, sentence.strip(), "deadline")


def _from_deadline(sentence: str, match: re.Match) -> StatedIndicator:
    when = match[1]
    target = sentence_deadline_targets().get(when, when)
    if target.startswith("第"):
        target = f"{target}末前"
    elif not target.endswith("前"):
        target += "前"
    year = re.search(r"(\d{4})年?\s*$", sentence[:match.start()])  # 2023年6月底前; 2023年底前 (年 in the word)
    if year and target[0].isdigit() and "年" not in target:
        target = f"{year[1]}年{target}"
        sentence_before = sentence[:year.start()]
    else:
        sentence_before = sentence[:match.start()]
    task = _noun_before(sentence_before) or _task_after(sentence[match.end():])
    # 时限: the word the library's deadline rows end with (26 of its 34 dated rows)
    name = f"{task}{match[2]}时限" if task and len(task) <= 12 else f"项目{match[2]}时限"
    return StatedIndicator("产出", "时效", name, target, "<=", None, None, sentence.strip(), "deadline")


def _from_dated(sentence: str, match: re.Match) -> StatedIndicator:
    """2023年6月30日前完成全部建设任务 → 建设完成时间 2023年6月30日前; the task is named before the date
    (道路改造6月底前完工) or after the verb."""
    date = re.sub(r"(?:以前|之前|前)$", "", match["date"]).replace("份", "").replace("末", "底")
    target = f"{date}前" if "月" in date else f"{date[:5]}12月底前"  # 2023年完成 → 2023年12月底前
    task = _noun_before(re.sub(r"(?:于|在|须|需|应|要|必须)$", "", sentence[:match.start()].rstrip()))
    if not task or len(task) > 12:
        task = _task_after(sentence[match.end():])
    name = f"{task}{match['verb']}时限" if 2 <= len(task) <= 12 else "项目完成时限"
    return StatedIndicator("产出", "时效", name, target, "<=", None, None, sentence.strip(), "deadline")


def _task_after(after: str) -> str:
    """完成全部建设任务 → 建设: what the completion verb is done to, when nothing before the date names it."""
    words = re.match(r"[\u4e00-\u9fff]{2,14}", after)
    task = re.sub(r"^(?:全部|所有|各项|全部的|本项目|项目)", "", words[0]) if words else ""
    return re.sub(r"(?:任务|工作|内容)$", "", task)


def _bare_wan(sentence: str, match: re.Match) -> StatedIndicator | None:
    """项目（约50万）, 总投资80万，: a sum in 万 with 元 left out, read as 万元 where the words before it are
    about a project's funds; elsewhere 万 may count people or mu and is left alone."""
    before = sentence[:match.start()].rstrip()
    clause = re.split(r"[，,、：:；;（(]", before)[-1]
    number = float(match["num"].replace(",", ""))
    if re.search(r"项目[（(]$", before) and not clause:  # the sum beside the project's name
        return StatedIndicator("产出", "成本", "项目资金", _raw("<=", number, "万元"), "<=", number, "万元",
                               sentence.strip(), "money")
    if not _BUDGET.search(clause):
        return None
    return _money(sentence, before, clause, sentence[match.end():], number, None, "万元", None,
                  match["op"], sentence)


def _coverage(match: re.Match) -> StatedIndicator | None:
    what = _strip(re.split(r"[，,、：:（(]", match["what"])[-1])
    what = re.sub(r"^(实现|做到|达到|确保|力争|基本)", "", what)
    if len(what) < 2:
        return None
    return StatedIndicator("产出", "质量", f"{what}覆盖率", "=100%", "=", 100.0, "%", match.string.strip(), "rate")


def _noun_before(before: str) -> str:
    tail = re.split(r"[，,、：:（(]|(?<!\d)\d+[.、．]\s", before)[-1]
    tail = re.sub(r"(约为|约|为|达到|达|超过|不少于|不低于|至少|力争|实现|完成|在|于|计划|已|)$", "", tail.strip())
    tail = _FILLER.sub("", tail)
    return tail.strip()[-16:].lstrip("对")
