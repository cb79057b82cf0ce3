"""Random indicator forms with exact gold: the test bench of the reader on layouts nobody here has seen.

`generate(n, seed)` draws `n` forms. Each form takes 4–14 indicator rows of one kind of the national
library as of 2026-12-07 (a frozen copy, `evaluation/data/generator_rows.json`, so that the library's
growth does not move the reader's figures), fills the library's `__` with a number, and draws every
trait of its layout at random:

- `标签体系` label family: national (产出/效益/满意度, sometimes 成本 as a first level), Shanghai
  (投入和管理/产出/效果/影响力), NDRC (过程管理/实施效果), county (项目完成/项目效益);
- `标签后缀` / `标签编号` / `标签分值` / `必填标注` / `字间空格` label spelling: ending (指标/目标/类/
  none), numbering in order (一、/(一)/1./1、), score ((50分)), 必填 tag, spaces between characters;
- `层级列` level columns: merged cell printed on the first row, on the middle row, on every row,
  none at all, or the hierarchy given only by indentation (labels on lines of their own);
- `附加列` an extra column: 指标解释, 权重/分值, 评分标准 (between name and value or after it);
- `值列` value columns: one, half-year / full-year, mid-term / annual, target / actual / score,
  a 自评表 (年初目标值 / 实际完成值 / 分值 / 得分 / 偏差原因分析, the reason mostly empty), the target
  column in any position among them and headed by any of `_TARGET_HEADS` (目标值, 预期指标值,
  全年指标值, 年初目标值 …), the period column by 实施期指标值 / 实施期目标 / 总体目标值;
- `值写法` the value whole, or split into 指标性质 | 指标值 | 度量单位 (`拆分顺序`: or 计量单位 | 指标性质 |
  指标值, 指标性质 | 度量单位 | 指标值), the operator in any glyph
  (≥ ≧ >= ＞＝ 不低于 不少于 …), or an operator written as a word after the value (500人次以上, 3天以内);
- `分隔` separators: tabs, `|`, runs of spaces, one cell per line, blank lines between cells, none
  (cells run together), the whole table on one line (`one_line`; half of them the whole page, title and
  fields too: `whole_page`), or records (one `三级指标：名称` line per cell,
  the column's header word as its key, as 批复 and 公示 pages print them), or a list (one `1.名称：值；`
  line per indicator under its level labels, as notices and 公示 pages print targets), or sentences (`sentences`:
  half of the list forms, drawn from their rows: level labels inline with a colon, both levels, the first or
  the second only, a line per block or one paragraph, `年度绩效指标：` before them or not; clauses joined by
  ；，、 with the value after the name in any form operators.json writes — a glyph, 不少于 / 不超过 …, 达到…以上,
  …以上 / …以内 —, in brackets, a state after a colon; names numbered `指标N：` (kept in gold) or as a list
  (`（N）`, `N.`, `①`: not kept); gold is the value as printed, from its operator word to the word after it);
- `表头` the column header present, repeated at a page break (after a `第 2 页` line), or absent
  (never with two target-like value columns: nobody could tell the target then);
- `表前文字` text above the table: the year's goals as numbered sentences that repeat some rows'
  quantities, and the budget block (资金总额 / 财政拨款 / 其他资金 with amounts);
- `定性值` some 效益 rows carry a qualitative target (有所提升, 群众生活水平明显提高 …);
- `表头折行` header words wrapped inside their cells: two header lines of half words (一级 / 指标);
- `字面` the surface a web page gives the text: full-width digits (１００％), the page source's entities
  (`&nbsp;` between cells, `&ge;95%`), no-break spaces between cells;
- `折行` a long name wrapped onto a line of its own (in its column for tab and `|` rows, on the next
  line for one cell per line), or broken inside its cell (`单元格内换行`: a web page's line break in a
  `|` row, the row's line going on on the next line);
- `表头断行` the header broken after its name column (the value headings on the next line), an
  explanation column headed by a word no list holds (考核方式);
- `解释列表头` an explanation column between the name and the value headed by a word no list holds
  (计算方法, 指标内涵, 评价要点, 计分方法), in any separator;
- `OCR符号` in a fused self-evaluation an OCR's symbol (^ $ ~) between the target and the actual;
- `竖排标签` level labels (and the level headings) printed down their narrow merged cells, one or two
  characters a line (`产` / `出` / `指` / `标`, `一级` / `指标`), as a PDF's text layer gives them;
- `项目列在前` a department's table of projects: the project's name and goal (and the unit) in columns
  before the levels, printed on the project's first row (单位名称 | 项目名称 | 年度目标 | 一级指标 …);
- `PDF折行` a PDF's text layer: cells separated by single spaces, every name longer than its cell's width
  (8 to 12 characters) cut there, the tail on the next line with none of the row's other cells;
- `逐行粘连` cells run together (`分隔` none) within each row, a row a line, rather than the whole table
  on one line;
- `中期年度并列` the mid-term and the annual blocks side by side (二级指标 | 三级指标 | 指标值 twice, the
  mid-term block first, as 财政部's 项目支出绩效目标申报表 prints them): gold is the annual block's value;
- `指标编号` names numbered inside their second-level block as 自评表 and 公示 templates print them
  (`指标1：名称`, `指标1:名称`, `指标1名称`); gold keeps the numbering, as a person copies the name;
- `自评表式样` half the 自评表 (drawn from their rows, with draws of their own: every other form as it was)
  printed as published templates print them (`_SELF_EVAL_STYLES`: 财政部's 项目支出绩效自评表, 四川's 部门预算项目
  支出绩效自评表, 分值 before the values, a 完成率 column, 得分 before 权重): their headings and column order, actual
  values of the target's shape with other digits (the operator kept or dropped, a word such as 达成预期指标),
  weights and scores (9.5), deviation texts of prose with numbers, the funds block (年初预算数 / 全年预算数 /
  全年执行数 / 分值 / 执行率 / 得分 or 年初预算 / 调整后预算数 / 预算执行数 …) and the 年度总体目标 block above the
  table, a 总分 / 合计 row under it (`自评表总分行`), the title 项目支出绩效自评表 on half of them; the blocks and
  the 总分 row are drawn in the PDF renditions too (`GeneratedForm.above` / `.total`, `evaluation.pdf_layer`).

Fused forms (`分隔` none) print whole values, the target first: adjacent number columns run together
cannot be told apart by anyone.

Gold is what a careful person would copy from the form: the name as printed and the target value
(a split value joined as `≥` + number + unit; a whole value as printed). `as_grid` gives the same
form as a grid for the office renditions (`evaluation.renditions`).
"""

from __future__ import annotations

import json
import random
import re
import zlib
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path

from corpus import framework
from corpus.vocab import frameworks

# label families: canonical (level1, level2) of a library row → (printed level1, printed level2)
FAMILIES = ("national", "national_cost", "shanghai", "ndrc", "county")
# how the Shanghai and the 项目完成/项目效益 families print a national first level (corpus/vocab/frameworks.json)
_SHANGHAI = frameworks()["families"]["shanghai"]
_SHANGHAI_L1, _SHANGHAI_L2 = _SHANGHAI["prints"], _SHANGHAI["prints_level2"]
_COUNTY_L1 = frameworks()["families"]["completion"]["prints"]
_ENDINGS = ("指标", "指标", "目标", "类", "")
_NUMBERINGS = ("", "", "一、", "(一)", "1.", "1、")
_SCORES = ("", "", "(50分)", "（30分）", "(20分)")
_TAGS = ("", "", "", "(必填)")


@lru_cache(maxsize=1)
def _operator_of_sign() -> dict[str, str]:
    """≥ → >=, ≤ → <= …: how a gold value writes each operator (the vocabulary's display)."""
    from corpus.vocab import operators
    return {sign: op for op, sign in operators()["display"].items()}


@lru_cache(maxsize=2)
def _operator_glyphs(words: bool) -> dict[str, tuple[str, ...]]:
    """Every way the vocabulary (corpus/vocab/operators.json) writes each operator before a number:
    its symbols, and with `words` its words (不低于, 不超过 …)."""
    from corpus.vocab import operators
    data = operators()
    out: dict[str, list[str]] = {}
    for glyph, op in (*data["symbols"], *(data["words_before"] if words else ())):
        out.setdefault(op, []).append(glyph)
    return {op: tuple(glyphs) for op, glyphs in out.items()}


_SEPARATORS = ("tab", "pipe", "spaces", "cell_lines", "blank_lines", "none", "one_line", "records", "list")
_LEVELS = ("first", "middle", "every", "none", "indent")
_EXTRAS = ("", "", "指标解释", "权重", "分值", "评分标准")
_VALUE_COLUMNS = ("single", "single", "half_full", "period_annual", "target_actual_score", "self_eval")
# how templates head the target column (财预〔2021〕101号 指标值; provincial 申报表 and 自评表 variants)
_TARGET_HEADS = ("指标值", "年度指标值", "目标值", "年度目标值", "预期指标值", "全年指标值", "年初目标值",
                 # 区域绩效自评表 and provincial 自评表 headings: 全年预期目标, a planned value (计划完成值)
                 "全年预期目标", "计划完成值")
_SPLIT_ORDERS = ("性质-值-单位", "性质-值-单位", "单位-性质-值", "性质-单位-值")
_PERIOD_HEADS = ("实施期指标值", "实施期目标", "总体目标值")
_SELF_EVAL_REASONS = ("", "", "", "受疫情影响进度滞后", "资金未及时到位")
_HEADERS = ("present", "present", "repeated", "absent")
_EXPLAINS = ("反映项目实施的实际情况", "考核年度内完成情况", "按计划完成得满分", "依据年度工作计划",
             # phrasings the reader's cue words were not written from (a check of their generality)
             "以年底实际完成数为准", "完成得满分，未完成按比例扣分", "数据来源于主管部门统计", "指项目覆盖的全部对象")
# what a real 申报表 prints above its indicator table: the year's goals as numbered sentences (with
# numbers in them) and the budget block (资金总额 / 财政拨款 / 其他资金 with amounts)
# qualitative targets real 效益 rows carry (short state words and whole phrases)
_QUALITATIVE = ("有所提升", "明显改善", "逐步提高", "长期", "持续发挥效益", "有效改善农村人居环境",
                "群众生活水平明显提高", "中长期", "显著提升")
_PREAMBLES = ("none", "none", "goals", "funds", "goals_funds")
# headings of an explanation column that no list of ours holds (provincial templates' own words)
_UNKNOWN_HEADS = ("计算方法", "指标内涵", "评价要点", "计分方法")
# how 自评表 and 公示 templates number the names inside a second-level block
_NAME_NUMBERINGS = ("", "", "", "", "", "指标{n}：", "指标{n}:", "指标{n}")
# trait 值形状 (issue 22): values written in shapes real forms use that the library's rows do not (a rate per a
# number, a change in 百分点, a bound set by a verb or a word around the number, a range, a verifiable state),
# chosen by what the row's own value measures: {a} {b} {n} {x} {k} are numbers drawn for the row, {u} its unit
_VALUE_SHAPES = {
    "rate": ("{a}%-{b}%", "{a}%～{b}%", "{a}%—{b}%", "提高{k}个百分点", "下降{k}个百分点", "≤{x}‰", "＜={x}‰",
             "≤{n}/10万", "＜={n}/10万"),
    "money": ("控制在{n}万元以内", "控制在{n}万元以下", "不超过{n}万元", "不高于{n}万元", "控制在{n}万元"),
    "duration": ("压缩至{k}个工作日", "控制在{k}天以内", "{k}-{b}个工作日", "压缩到{k}天"),
    "count": ("{a}-{b}{u}", "{a}至{b}{u}", "{a}～{b}{u}", "≤{n}/10万", "≥{x}张/千人", "每万人{x}名",
              "≥{x}人/万人", "不超过{n}{u}", "控制在{n}{u}以内"),
    "state": ("通过{o}", "通过{o}", "{r}合格", "{r}达标", "{r}通过"),
}
# what a verifiable state passes (after 通过) and what is found passing (before 合格 / 达标 / 通过): objects no list
# of the reader holds, so that the reader must know the state by its shape
_PASSED = ("专家评审", "竣工验收", "等保二级测评", "第三方评估", "上级部门考核", "消防验收", "年度审计", "绩效评价",
           "环保验收", "市级复核")
_FOUND = ("验收", "一次性验收", "质量检测", "抽检", "年检", "水质检测", "排放", "竣工验收", "安全评估")
# the second levels real forms also give an indicator as its name (服务对象满意度 | 服务对象满意度 | ≥90%): the
# 效益 and 满意度 classes and the output class 成本 (trait 名称同标签)
_LABEL_NAMES = frozenset(w for w, parent in framework.LEVEL2.items() if parent in ("效益", "满意度") or w == "成本")


def _shaped(value: str, rng: random.Random) -> str:
    """The row's value written in one of `_VALUE_SHAPES`, the shape chosen by what the value measures (its
    unit in the vocabulary: a rate, money, a duration, a count; a value with no number becomes a state)."""
    from corpus.targets import parse_target
    from corpus.vocab import unit_measures
    target = parse_target(value)
    measures = unit_measures()
    unit = target.unit or ""
    if target.kind != "quantitative" or target.value is None:
        kind = "state"
    elif unit in measures["rate"]:
        kind = "rate"
    elif unit in measures["money"]:
        kind = "money"
    elif unit in measures["duration"]:
        kind = "duration"
    else:
        kind = "count"
    a = rng.randint(2, 90)
    numbers = {"a": a, "b": a + rng.randint(1, 9), "n": rng.choice((rng.randint(10, 999), rng.randint(1000, 9999))),
               "x": round(rng.uniform(0.1, 9.9), 1), "k": rng.randint(1, 15), "u": unit or "个",
               "o": rng.choice(_PASSED), "r": rng.choice(_FOUND)}
    return rng.choice(_VALUE_SHAPES[kind]).format(**numbers)


_NAMES_CN = {"national": "国家通用", "national_cost": "国家(成本一级)", "shanghai": "上海",
             "ndrc": "发改委", "county": "项目完成/效益"}


@dataclass
class GoldRow:
    level1: str
    level2: str
    name: str
    value: str


@dataclass
class GeneratedForm:
    id: str
    text: str
    rows: list[GoldRow]
    traits: dict[str, str]
    grid: list[list[str]] = field(default_factory=list)   # header row + body rows (for renditions)
    title: str = ""
    # what a web page's table needs beyond the grid (evaluation.web_pages): each column's role (l1, l2,
    # name, target …) and each body row's printed level labels before the merge blanked them
    roles: list[str] = field(default_factory=list)
    labels: list[tuple[str, str]] = field(default_factory=list)
    # a styled 自评表's blocks above the indicators (funds, 年度总体目标: rows of cells) and its 总分 row, for
    # the renditions that draw a grid (evaluation.pdf_layer); empty for every other form
    above: list[list[str]] = field(default_factory=list)
    total: list[str] = field(default_factory=list)

    def case(self) -> dict:
        """The form as a `cases.jsonl` object, for `evaluation.parse_eval.score_case`."""
        return {"id": self.id, "indicators": [{"level1": r.level1, "level2": r.level2, "name": r.name,
                                               "value": r.value} for r in self.rows]}


GENERATOR_ROWS = Path(__file__).parent / "data" / "generator_rows.json"


@dataclass(frozen=True)
class _Row:
    level1: str
    level2: str
    name: str
    target: str


def _library_rows():
    """The national library's rows as of 2026-12-07 (evaluation/data/generator_rows.json), frozen: the
    reader's exact figures on generated forms must not move when the library grows or is audited."""
    data = json.loads(GENERATOR_ROWS.read_text(encoding="utf-8"))
    return [tuple(_Row(*row) for row in kind) for kind in data["kinds"]]


def _fill(template: str, rng: random.Random) -> str:
    if "__" not in template:
        return template
    number = rng.choice((rng.randint(2, 500), rng.randint(1000, 90000), round(rng.uniform(1, 99), 1)))
    return template.replace("__", str(number), 1)


_CN = "一二三四五六七八九十"


def _spell(word: str, rng: random.Random, style: dict, ordinal: int = 1) -> str:
    """A level label written the way one template writes all of its labels (numbered in order)."""
    text = word + style["ending"]
    if style["spaces"]:
        text = " ".join(text)
    numbering = style["numbering"]
    if numbering:
        numbering = numbering.replace("一", _CN[(ordinal - 1) % 10]).replace("1", str(ordinal))
    return numbering + text + style["score"] + style["tag"]


def _printed_levels(level1: str, level2: str, family: str) -> tuple[str, str]:
    if family == "shanghai":
        if level1 == "满意度":
            return _SHANGHAI_L1[level1], _SHANGHAI_L2["服务对象满意度"]
        return _SHANGHAI_L1[level1], _SHANGHAI_L2.get(level2, level2)
    if family == "county":
        return _COUNTY_L1[level1], level2
    if family == "ndrc":
        return "实施效果", level1  # 实施效果 > 产出 / 效益 / 满意度 (the class as the second level)
    if family == "national_cost" and level2 == "成本":
        return "成本", "经济成本"
    return level1, level2


def _split(value: str, glyph_choice: int) -> tuple[str, str, str, str] | None:
    """(operator as printed, number, unit, gold) of a quantitative value; None for other values."""
    from evaluation.renditions import shown, split_value
    nature, number, unit = split_value(value)
    if nature in ("定性", ""):
        return None
    key = _operator_of_sign().get(nature, nature)
    glyphs = _operator_glyphs(words=True).get(key, (nature,))
    printed = glyphs[glyph_choice % len(glyphs)]
    number_text = shown(number)
    return printed, number_text, unit, f"{nature}{number_text}{unit}"


def _whole(value: str, glyph_choice: int) -> str:
    """A whole value with its leading operator written in another glyph."""
    for sign, key in _operator_of_sign().items():
        if key in (">=", "<=") and value.startswith(sign):
            glyphs = _operator_glyphs(words=False)[key]
            return glyphs[glyph_choice % len(glyphs)] + value[1:]
    return value


def generate_one(index: int, rng: random.Random, kinds, value_traits: bool = True) -> GeneratedForm:
    """One form. The traits `值形状` and `名称同标签` are drawn from the rows' names of the form as it was
    drawn before them (crc32); a form they take is drawn again from the same state of `rng` with its values or
    names rewritten by their own draws, and `rng` goes on from where the first drawing left it, so that every
    other form, and every later one, stays as it was. Without `value_traits` every form is drawn as before those
    two traits (the tests that pin an earlier form or figure read those forms)."""
    state = rng.getstate()
    form = _generate_one(index, rng, kinds)
    if not value_traits:
        return form
    names_key = "|".join(r.name for r in form.rows)
    shapes_key = zlib.crc32(("shapes" + names_key).encode("utf-8"))
    named_key = zlib.crc32(("named" + names_key).encode("utf-8"))
    shapes = shapes_key % 8 == 0
    named = named_key % 8 == 0 and any(r.level2 in _LABEL_NAMES for r in form.rows)
    if not (shapes or named):
        form.traits.update({"值形状": "否", "名称同标签": "否"})
        return form
    after = rng.getstate()
    rng.setstate(state)
    form = _generate_one(index, rng, kinds, shapes=random.Random(shapes_key) if shapes else None,
                         named=random.Random(named_key) if named else None)
    rng.setstate(after)
    return form


def _generate_one(index: int, rng: random.Random, kinds, shapes: random.Random | None = None,
                  named: random.Random | None = None) -> GeneratedForm:
    family = rng.choice(FAMILIES)
    style = {"ending": rng.choice(_ENDINGS), "numbering": rng.choice(_NUMBERINGS),
             "score": rng.choice(_SCORES), "tag": rng.choice(_TAGS), "spaces": rng.random() < 0.2}
    if style["ending"] == "" and not (style["numbering"] or style["score"]):
        style["ending"] = "指标"  # a bare stem ('产出') is a label only where a column says so
    separator = rng.choice(_SEPARATORS)
    levels = rng.choice(_LEVELS)
    extra = rng.choice(_EXTRAS)
    value_columns = rng.choice(_VALUE_COLUMNS)
    split = rng.random() < 0.3
    tail_words = rng.random() < 0.15  # quantities written '500人次以上' / '3天以内' instead of with ≥ / ≤
    if separator == "none":
        # cells run together: adjacent number columns cannot be told apart by anyone, so such
        # forms print whole values, the target first (a 自评表's actual and score after it)
        split = False
        value_columns = rng.choice(("single", "target_actual_score"))
        tail_words = False
    glyph = rng.randrange(7)
    header = rng.choice(_HEADERS)
    if separator == "list":
        # one '1.名称：值；' line per indicator under its labels: no columns, so no header, one whole
        # value, no extra column (a list prints a name and its target)
        header, split, extra, value_columns, tail_words = "absent", False, "", "single", False
        levels = "indent"
    if separator == "records":
        # one `column：value` line per cell: the keys are the header, repeated on every row
        header = "present"
        levels = "first" if levels == "indent" else levels
    if header == "absent" and value_columns in ("half_full", "period_annual"):
        header = "present"  # two value columns with no header: a person cannot tell the target either
    preamble = rng.choice(_PREAMBLES)
    qualitative = rng.random() < 0.3  # some 效益 rows carry a qualitative target
    # a header whose words wrap inside their cells: printed as two lines of half words
    split_header = header != "absent" and separator in ("tab", "pipe", "spaces") and rng.random() < 0.3
    wrap = rng.random() < 0.15 and separator in ("tab", "pipe", "cell_lines") and levels != "indent"
    kind = rng.choice(kinds)
    picked = rng.sample(list(kind), k=min(len(kind), rng.randint(4, 14)))
    # the framework's order: first levels as a table shows them, output classes as the framework lists them
    order = {("产出", level2): n for n, level2 in enumerate(c for c, parent in framework.LEVEL2.items() if parent == "产出")}
    picked.sort(key=lambda i: (framework.DISPLAY_ORDER.index(i.level1), order.get((i.level1, i.level2), 9)))
    # names numbered per second-level block: drawn from the rows themselves, so that adding this
    # trait left every other draw, and so every earlier form, as it was
    name_numbering = random.Random(zlib.crc32("|".join(i.name for i in picked).encode("utf-8"))).choice(_NAME_NUMBERINGS)
    if separator == "list":
        name_numbering = ""  # the list numbers its items itself

    # columns: (role, header word)
    columns: list[tuple[str, str]] = []
    if levels not in ("none", "indent"):
        columns += [("l1", "一级指标"), ("l2", "二级指标")]
    columns.append(("name", rng.choice(("三级指标", "指标名称", "三级指标", "绩效指标"))))
    extra_after = extra and rng.random() < 0.5
    if extra and not extra_after:
        columns.append(("extra", extra))
    if split:
        columns.append(("op", rng.choice(("指标性质", "计算符号", "指标方向"))))
    value_heads = {"single": [("target", rng.choice(_TARGET_HEADS))],
                   "half_full": [("other", "半年指标值"), ("target", "全年指标值")],
                   "period_annual": [("other", rng.choice(_PERIOD_HEADS)), ("target", "年度指标值")],
                   "target_actual_score": [("target", "年度指标值"), ("actual", "实际完成值"),
                                           ("score", "得分")],
                   # a 自评表: target, actual, weight, score and a reason column mostly left empty
                   "self_eval": [("target", rng.choice(("年初目标值", "年度指标值", "预期指标值", "全年预期目标"))),
                                 ("actual", rng.choice(("实际完成值", "全年实际值", "全年实际完成", "实际指标值"))),
                                 ("weight", "分值"), ("score", "得分"), ("reason", "偏差原因分析")]}[value_columns]
    if value_columns in ("half_full", "period_annual") and rng.random() < 0.5:
        value_heads.reverse()  # the target column first or last
    for role, head in value_heads:
        columns.append((role, head))
        if split and role == "target":
            columns.append(("unit", rng.choice(("度量单位", "计量单位", "单位"))))
    # a 自评表 of a published template's columns and order (trait 自评表式样): half the self-evaluations, drawn
    # from the rows with draws of its own, so that every other form stays as it was
    se_rng = random.Random(zlib.crc32(("自评式样" + "|".join(i.name for i in picked)).encode("utf-8")))
    se_style = _SELF_EVAL_STYLES[se_rng.randrange(len(_SELF_EVAL_STYLES))] \
        if value_columns == "self_eval" and zlib.crc32(("se-style" + "|".join(i.name for i in picked))
                                                        .encode("utf-8")) % 2 == 0 else None
    if se_style:
        columns = _self_eval_columns(columns, se_style)
    if extra and extra_after:
        columns.append(("extra", extra))
    # a split value's cells in another order, as other templates print them (计量单位 | 指标性质 | 指标值 in
    # 重庆's 项目绩效目标表, 指标性质 | 度量单位 | 指标值), drawn from the rows so that every other draw stays
    split_order = _SPLIT_ORDERS[zlib.crc32(("order" + "|".join(i.name for i in picked)).encode("utf-8"))
                                % len(_SPLIT_ORDERS)] if split else "性质-值-单位"
    # 中期目标 and 年度目标 as two blocks side by side (二级指标 | 三级指标 | 指标值 twice: 财政部's 项目支出绩效目标
    # 申报表 and the provinces' copies of it), the mid-term block first; the year's target is the annual block's
    blocks = value_columns == "period_annual" and levels in ("first", "middle", "every") and not split and \
        not extra and header != "absent" and separator in ("tab", "pipe", "spaces") and \
        zlib.crc32(("blocks" + "|".join(i.name for i in picked)).encode("utf-8")) % 2 == 0
    # a department's table of projects: each project's name and goal (and unit) in columns before its
    # levels, merged over its rows (部门预算公开's 项目支出绩效目标表: 单位名称 | 项目名称 | 年度目标 | 一级指标 …)
    lead = header != "absent" and separator in ("tab", "pipe", "spaces") and levels != "indent" and \
        zlib.crc32(("lead" + "|".join(i.name for i in picked)).encode("utf-8")) % 6 == 0
    if lead:
        columns = [("proj", "项目名称"), ("goal", "年度目标")] + columns
        if zlib.crc32(("unit" + "|".join(i.name for i in picked)).encode("utf-8")) % 2 == 0:
            columns = [("dept", "单位名称")] + columns
    if blocks:
        at = [r for r, _ in columns].index("name")
        columns = columns[:at + 1] + [("other", "指标值"), ("l2b", "二级指标"), ("nameb", columns[at][1]),
                                      ("target", "指标值")]
    if split_order != "性质-值-单位":
        roles = [r for r, _ in columns]
        at = roles.index("target")
        op_col, unit_col = columns[roles.index("op")], columns[roles.index("unit")]
        rest = [c for c in columns if c not in (op_col, unit_col)]
        at = rest.index(columns[at])
        run = {"单位-性质-值": [unit_col, op_col, rest[at]], "性质-单位-值": [op_col, unit_col, rest[at]]}[split_order]
        columns = rest[:at] + run + rest[at + 1:]

    # 财政部's 项目支出绩效自评表 (the attachment of 财预〔2020〕10号 项目支出绩效评价管理办法, as the provinces copy it:
    # 绩效指标 | 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施): a cell 绩效指标
    # merged down the left of the indicator table from its header row (printed on that row), and the reason column
    # headed by the template's words; drawn from the rows, so that every other form stays as it was
    frame = value_columns == "self_eval" and levels in ("first", "middle", "every") and header != "absent" and \
        separator in ("tab", "pipe", "spaces", "cell_lines") and not lead and \
        zlib.crc32(("frame" + "|".join(i.name for i in picked)).encode("utf-8")) % 2 == 0
    if frame:
        columns = [("frame", "绩效指标")] + [(r, "偏差原因分析及改进措施" if r == "reason" else h) for r, h in columns]

    # the long-term (or the whole project's) indicators in a table of their own above the year's, with the same
    # columns (一级指标 | 二级指标 | 指标内容 | 指标值 | 备注 under 长期绩效指标, then 年度绩效指标): the county and
    # provincial templates of the 项目支出绩效目标申报表 (e.g. 佳县财政支出项目绩效目标申报表; the 项目绩效目标表 whose
    # 项目绩效目标 row holds 长期目标 and 年度目标; 总目标绩效指标 / 本年度绩效指标). Gold is the year's table.
    periods_key = zlib.crc32(("periods" + "|".join(i.name for i in picked)).encode("utf-8"))
    periods = _PERIOD_TABLES[periods_key % len(_PERIOD_TABLES)] if value_columns == "single" and \
        header == "present" and separator in ("tab", "pipe", "cell_lines") and levels in ("first", "middle", "every") \
        and not lead and not blocks and periods_key % 2 == 0 else None
    if periods:
        columns = [(r, "指标内容" if r == "name" else h) for r, h in columns] + [("note", "备注")]

    gold: list[GoldRow] = []
    body: list[list[str]] = []   # one list of cells per indicator row
    block_l1: list[str] = []
    block_l2: list[str] = []
    seen1: dict[str, int] = {}
    seen2: dict[str, dict[str, int]] = {}
    in_block: dict[tuple[str, str], int] = {}
    shaped: set[int] = set()  # rows whose value the trait 值形状 wrote
    # trait 名称同标签: the first row of each block whose second level is a name real forms give an indicator
    # too (服务对象满意度 under 服务对象满意度) is named so, in about half of those blocks
    renamed = {(i.level1, i.level2) for i in picked if named is not None and i.level2 in _LABEL_NAMES
               and named.random() < 0.6} if named is not None else set()
    if named is not None and not renamed:
        renamed = {next((i.level1, i.level2) for i in picked if i.level2 in _LABEL_NAMES)}
    for item in picked:
        value = _fill(item.target, rng)
        if qualitative and item.level1 == "效益" and rng.random() < 0.6:
            value = rng.choice(_QUALITATIVE)
        if shapes is not None and shapes.random() < 0.6:
            value = _shaped(value, shapes)
            shaped.add(len(gold))
        parts = _split(value, glyph) if split and len(gold) not in shaped else None
        shown_value = value if split else _whole(value, glyph)
        if tail_words and not split:
            shown_value = _tail_word(value)
        gold_value = parts[3] if parts else shown_value
        name = item.name
        if (item.level1, item.level2) in renamed:
            renamed.discard((item.level1, item.level2))
            name = item.level2
        if name_numbering:
            in_block[(item.level1, item.level2)] = in_block.get((item.level1, item.level2), 0) + 1
            name = name_numbering.format(n=in_block[(item.level1, item.level2)]) + name
        gold.append(GoldRow(item.level1, item.level2, name, gold_value))
        p1, p2 = _printed_levels(item.level1, item.level2, family)
        if p1 not in seen1:
            seen1[p1] = len(seen1) + 1
            seen2[p1] = {}
        seen2[p1].setdefault(p2, len(seen2[p1]) + 1)
        block_l1.append(_spell(p1, rng, style, seen1[p1]))
        block_l2.append(_spell(p2, rng, style, seen2[p1][p2]))
        cells = []
        for role, head in columns:
            if role == "l1":
                cells.append(block_l1[-1])
            elif role in ("proj", "goal", "dept"):
                cells.append({"proj": "专项资金项目", "dept": "县农业农村局",
                              "goal": f"完成{picked[0].name}等任务，确保项目按期完成。"}[role] if not body else "")
            elif role in ("l2", "l2b"):
                cells.append(block_l2[-1])
            elif role in ("name", "nameb"):
                cells.append(name)
            elif role == "extra":
                cells.append(rng.choice(_EXPLAINS) if head in ("指标解释", "评分标准") else str(rng.choice((5, 10, 15))))
            elif role == "op":
                # (a value of the trait 值形状 stands whole in the value cell, its 指标性质 cell left empty)
                cells.append(parts[0] if parts else "" if len(gold) - 1 in shaped else "定性")
            elif role == "target":
                cells.append(parts[1] if parts else shown_value)
            elif role == "unit":
                cells.append(parts[2] if parts else "")
            elif role == "other":
                cells.append(_other_value(value, parts, rng))
            elif role == "actual":
                cells.append(parts[1] if parts else shown_value)
            elif role == "score":
                cells.append(str(rng.choice((5, 10, 8))))
            elif role == "weight":
                cells.append(str(rng.choice((5, 10, 20))))
            elif role == "reason":
                cells.append(rng.choice(_SELF_EVAL_REASONS))
            elif role == "frame":
                cells.append("")  # (merged down from the header row, where it is printed)
            elif role == "note":
                cells.append("")  # (备注: left empty)
            elif role == "rate":
                cells.append("")  # (完成率: a styled 自评表's, filled by its own draws below)
        if se_style:  # the style's own cells, from its own draws (the form's draws above stay as they were)
            cells = _self_eval_cells(cells, columns, gold_value, parts, se_rng)
        body.append(cells)

    _merge(body, columns, levels)
    head_cells = [h for _, h in columns]
    # the long-term table's values: of the same shape as the year's, other digits (its own draws, so that every
    # other form stays as it was)
    long_rng = random.Random(periods_key)
    long_body = [[_other_value(c, None, long_rng) if role == "target" and c else c for c, (role, _) in zip(r, columns)]
                 for r in body] if periods else []
    grid = [head_cells] + body
    traits = {"标签体系": _NAMES_CN[family], "层级列": levels,
              "标签后缀": style["ending"] or "无", "标签编号": style["numbering"] or "无",
              "标签分值": style["score"] or "无", "必填标注": style["tag"] or "无",
              "字间空格": "是" if style["spaces"] else "否", "附加列": extra or "无", "值列": value_columns, "值写法": "拆分" if split else ("以上/以内" if tail_words else "整体"),
              "分隔": separator, "表头": header, "折行": "是" if wrap else "否", "表前文字": preamble,
              "表头折行": "是" if split_header else "否",
              "定性值": "是" if qualitative else "否",
              "指标编号": name_numbering.replace("{n}", "N") or "无", "拆分顺序": split_order if split else "无",
              "自评表左列": "是" if frame else ("否" if value_columns == "self_eval" else "—"),
              "值形状": "是" if shapes is not None else "否", "名称同标签": "是" if named is not None else "否"}
    title = "专项项目支出绩效目标表"
    if se_style and se_rng.random() < 0.5:
        title = "项目支出绩效自评表（2024年度）"  # a styled 自评表 named so (or, as often, not)
    # an OCR's symbol between the target and the actual of a fused self-evaluation ('80%^80%'), drawn from
    # the rows themselves so that every other draw stays as it was
    noise = separator == "none" and value_columns != "single" and \
        zlib.crc32(("ocr" + "|".join(r.name for r in gold)).encode("utf-8")) % 3 == 0
    traits["OCR符号"] = "是" if noise else "否"
    # a web page's line break inside a name cell ('| 养护农村公路<br>里程 |'): the row's line goes on on the next
    broken = wrap and separator == "pipe" and zlib.crc32(("br" + "|".join(r.name for r in gold)).encode("utf-8")) % 2 == 0
    if broken:
        traits["折行"] = "单元格内换行"
    # the header broken after its name column (the value headings on the next line), an explanation
    # column headed by a word no list holds (考核方式): the header words match, its columns do not
    header_break = header != "absent" and not split_header and separator in ("tab", "pipe") and \
        zlib.crc32(("hb" + "|".join(r.name for r in gold)).encode("utf-8")) % 4 == 0
    traits["表头断行"] = "是" if header_break else "否"
    # a 自评表's budget execution and goal block above the indicators (分值 / 得分 / 预期目标 headings)
    self_block = value_columns in ("self_eval", "target_actual_score") and separator not in ("records", "list") and \
        zlib.crc32(("se" + "|".join(r.name for r in gold)).encode("utf-8")) % 2 == 0
    traits["自评表头块"] = "是" if self_block else "否"
    if header_break:
        grid[0] = ["考核方式" if h in ("指标解释", "评分标准") else h for h in grid[0]]
    # the explanation column between the name and the value headed by a word no list holds (计算方法,
    # 指标内涵 …: templates name that column in their own words), drawn from the rows themselves so that
    # every other form stays as it was
    unknown_head = header != "absent" and not header_break and extra in ("指标解释", "评分标准") and \
        not extra_after and separator not in ("records", "list") and \
        zlib.crc32(("uh" + "|".join(r.name for r in gold)).encode("utf-8")) % 3 == 0
    if unknown_head:
        word = _UNKNOWN_HEADS[zlib.crc32(("uw" + "|".join(r.name for r in gold)).encode("utf-8")) % len(_UNKNOWN_HEADS)]
        grid[0] = [word if h == extra else h for h in grid[0]]
    traits["解释列表头"] = "生词" if unknown_head else ("常见" if extra in ("指标解释", "评分标准") else "—")
    # level labels printed down their narrow merged cells, one or two characters a line (a PDF's text
    # layer, a page copied from such a table), the level headings too ('一级' / '指标')
    down = separator in ("cell_lines", "blank_lines") and levels in ("first", "middle", "every") and \
        zlib.crc32(("down" + "|".join(r.name for r in gold)).encode("utf-8")) % 3 == 0
    traits["竖排标签"] = "是" if down else "否"
    # a PDF's text layer: names cut at their cell's width (8 to 12 characters), tails on lines of their own
    pdf_cut = separator == "spaces" and levels != "indent" and not split_header and \
        zlib.crc32(("pdf" + "|".join(r.name for r in gold)).encode("utf-8")) % 3 == 0
    cut_width = 8 + zlib.crc32(("w" + "|".join(r.name for r in gold)).encode("utf-8")) % 5 if pdf_cut else 0
    if cut_width and sum(len(r.name) > cut_width for r in gold) < 1:
        cut_width = 0
    traits["PDF折行"] = "是" if cut_width else "否"
    # cells run together within each row, a row a line (not the whole table on one line)
    fused_lines = separator == "none" and zlib.crc32(("fl" + "|".join(r.name for r in gold)).encode("utf-8")) % 2 == 0
    traits["逐行粘连"] = "是" if fused_lines else ("否" if separator == "none" else "—")
    traits["中期年度并列"] = "是" if blocks else "否"
    traits["项目列在前"] = "是" if lead else "否"
    # a PDF's text layer of a table whose cells wrap: every cell wider than its column wraps, the fragments
    # of a row's cells printed on shared lines (drawn from the rows, so that every other form stays as it was)
    names_key = "|".join(r.name for r in gold)
    layer = None
    if separator == "spaces" and levels != "indent" and not split_header and not cut_width and not lead and \
            not blocks and zlib.crc32(("mc" + names_key).encode("utf-8")) % 2 == 0:
        layer = _pdf_layer(columns, random.Random(zlib.crc32(("layer" + names_key).encode("utf-8"))))
    traits["多列折行"] = ("是·" + layer["spacing"]) if layer else ("否" if separator == "spaces" else "—")
    traits["长期年度两表"] = periods[0] if periods else "否"
    total_row = _total_row(body, columns) if frame else None
    above_rows: list[list[str]] = []
    if se_style:
        traits["自评表式样"] = se_style["name"]
        above_rows = _self_eval_above(se_style, gold, se_rng)
        traits["自评表头块"] = "是" if above_rows else "否"
        total_row = _styled_total_row(body, columns, se_style, se_rng)
        traits["自评表总分行"] = total_row[0] if total_row else "无"
    else:
        traits["自评表式样"] = "原样" if value_columns == "self_eval" else "—"
        traits["自评表总分行"] = "总分" if total_row else "无"
    above = _preamble(preamble, separator, gold, rng) + (_self_eval_block(separator, gold) if self_block and not se_style
                                                        else _block_lines(above_rows, separator))
    text = _render(grid, columns, separator, levels, header, wrap, title, block_l1, block_l2, rng,
                   above, split_header, noise, broken, header_break, down, cut_width, fused_lines, layer,
                   (periods[0], periods[1], long_body) if periods else None, total_row)
    # the table written as sentences and labelled lines (a 绩效目标 text field, a 公示 page): half of the list
    # forms, drawn from the rows and written with their own draws after the list's, so that every other
    # form, and the draws of every later one, stay as they were
    if separator == "list" and zlib.crc32(("sentences" + names_key).encode("utf-8")) % 2 == 0:
        text, gold, written = _sentences(gold, block_l1, block_l2, title, above,
                                         random.Random(zlib.crc32(("sentence draws" + names_key).encode("utf-8"))),
                                         shaped)
        grid = [grid[0]] + [[row.name, row.value] for row in gold]
        traits.update({"分隔": "sentences", **written})
    # the surface a page gives the text (drawn from the text itself, so that adding this trait left
    # every other draw, and so every earlier form, as it was; drawn without the 总分 row, which came later)
    key = text.replace("\n".join(_total_lines(total_row, separator)) + "\n", "", 1) if total_row else text
    surface = random.Random(zlib.crc32(key.encode("utf-8"))).choice(_SURFACES)
    if layer and layer["spacing"] == "保留位置":
        surface = "原样"  # a PDF's text layer keeps its characters (entities would move its columns)
    traits["字面"] = surface
    if separator == "one_line":
        traits["分隔"] = "whole_page" if text.count("\n") <= 1 else "one_line"
    return GeneratedForm(f"G-{index:05d}", _surface(text, surface), gold, traits, grid, title,
                         [role for role, _ in columns], list(zip(block_l1, block_l2)),
                         above_rows if se_style else [], total_row if se_style else [])


# ---- the table written as sentences and labelled lines (separator 'sentences') ---------------------------
# how the block's labels stand: both levels inline on a line per first level, the first level on a line of
# its own and a line per second level, the first level only, the second level only, everything in one paragraph
_SENTENCE_SHAPES = ("两级同行", "一级成行", "仅一级", "仅二级", "整段")
_ITEM_NUMBERINGS = ("", "", "", "指标{n}：", "指标{n}:", "（{n}）", "{n}.", "{c}")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭"


def _sentences(gold: list[GoldRow], block_l1: list[str], block_l2: list[str], title: str, above: list[str],
               rng: random.Random, shaped: set[int] = frozenset()) -> tuple[str, list[GoldRow], dict[str, str]]:
    """The form's rows as sentences under inline level labels: its text, its gold (the name as printed with
    its own numbering `指标N：`, a list's numbering left out; the value as printed, from its operator word to
    its unit and the word after it) and the traits drawn."""
    shape = rng.choice(_SENTENCE_SHAPES)
    colon = rng.choice(("：", "：", ":"))
    joiner = rng.choice(("；", "，", "、", "；"))
    end = rng.choice(("。", "；"))
    numbering = rng.choice(_ITEM_NUMBERINGS)
    new_gold: list[GoldRow] = []
    clauses: list[str] = []
    count: dict[tuple[str, str], int] = {}
    for at, (row, l1, l2) in enumerate(zip(gold, block_l1, block_l2)):
        block = (l1, l2) if shape != "仅一级" else (l1, "")
        count[block] = count.get(block, 0) + 1
        n = count[block]
        mark = numbering.format(n=n, c=_CIRCLED[(n - 1) % len(_CIRCLED)])
        own = mark if mark.startswith("指标") else ""  # a name's own numbering is part of it as printed
        clause, value = _clause(row.name, row.value, rng, at in shaped)
        clauses.append(mark + clause)
        new_gold.append(GoldRow(row.level1, row.level2, own + row.name, value))
    lines: list[str] = []
    for i, (l1, l2) in enumerate(zip(block_l1, block_l2)):
        new1 = i == 0 or l1 != block_l1[i - 1]
        new2 = new1 or l2 != block_l2[i - 1]
        last = i + 1 == len(gold) or (block_l1[i + 1], block_l2[i + 1]) != (l1, l2)
        last1 = i + 1 == len(gold) or block_l1[i + 1] != l1
        head = ""
        if shape in ("两级同行", "整段"):
            head = (l1 + colon if new1 else "") + (l2 + colon if new2 else "")
        elif shape == "一级成行":
            if new1:
                lines.append(l1)
            head = l2 + colon if new2 else ""
        elif shape == "仅一级":
            head = l1 + colon if new1 else ""
        elif shape == "仅二级":
            head = l2 + colon if new2 else ""
        opens = (new1 if shape == "仅一级" else new2)
        closes = last1 if shape == "仅一级" else last
        piece = head + clauses[i] + (end if closes else joiner)
        if opens and (shape != "整段" or not lines):
            lines.append(piece)
        else:
            lines[-1] += piece
    lead = rng.random() < 0.3
    if lead:  # a heading before the labels on the first line: '年度绩效指标：产出指标：…'
        lines[0 if shape != "一级成行" else 0] = "年度绩效指标" + colon + lines[0]
    text = "\n".join([title, "项目名称：" + "专项资金项目", "主管部门：县农业农村局"] + above + [""] + lines +
                     ["填报说明：本表由项目单位填写。"]) + "\n"
    traits = {"句式层级": shape, "句式连接": joiner, "句式编号": numbering.replace("{n}", "N").replace("{c}", "①") or "无",
              "句式引导": "年度绩效指标：" if lead else "无"}
    return text, new_gold, traits


def _clause(name: str, value: str, rng: random.Random, shaped: bool = False) -> tuple[str, str]:
    """A row written as a clause, in a form the vocabulary writes (corpus/vocab/operators.json: the glyph, a
    word before the number, 达到…以上, a word after it; a value in brackets; a state after a colon), and the
    value as printed. A value of the trait 值形状 (`shaped`) is printed as written: right after the name, in
    brackets or after a colon."""
    if shaped:
        form = rng.choice(("glyph", "bracket", "colon"))
        if form == "bracket":
            return f"{name}（{value}）", value
        return (f"{name}：{value}" if form == "colon" else name + value), value
    from corpus.read.interpret.labels import operator_pattern
    from corpus.targets import parse_target
    from corpus.vocab import operators
    target = parse_target(value)
    glyph = re.match(rf"(?:{operator_pattern(words=False)})", value)
    body = value[glyph.end():] if glyph else value
    forms = ["bracket"]
    if target.kind == "quantitative" and target.operator and body[:1].isdigit():
        forms += ["glyph", "glyph", "word_before"]
        if target.operator in (">=", "<="):
            forms += ["word_after"]
        if target.operator == ">=":
            forms += ["reach_above"]
        if target.operator == "=" and target.unit:
            forms += ["bare"]
    elif target.kind == "deadline":
        forms += ["glyph", "glyph"]
    else:
        from corpus.read.interpret.fused import QUALITATIVE_VALUE
        forms += ["colon"]
        if QUALITATIVE_VALUE.match(value):
            forms += ["glyph"]  # a state built from its parts ends a clause by itself ('有所提升')
    form = rng.choice(forms)
    before = [w for w, op in operators()["words_before"] if op == target.operator]
    after = [w for w, op in operators()["words_after"] if op == target.operator and len(w) >= 2]
    if form == "word_before" and before:
        shown = rng.choice(before) + body
    elif form == "word_after" and after:
        shown = body + rng.choice(after)
    elif form == "reach_above":
        shown = "达到" + body + "以上"
    elif form == "bare":
        shown = body
    else:
        shown = value
    if form == "bracket":
        return f"{name}{rng.choice(('（', '('))}{shown}{'）' if rng.random() < 0.8 else ')'}", shown
    if form == "colon":
        return f"{name}：{shown}", shown
    return name + shown, shown


# what a web page's text does to characters: numbers in full-width digits, the page source's entities
# (&nbsp; between cells, &ge; for ≥), no-break spaces between cells
# the headings of a long-term table and of the year's table printed one after the other
_PERIOD_TABLES = (("长期绩效指标", "年度绩效指标"), ("总目标绩效指标", "本年度绩效指标"), ("中期绩效指标", "年度绩效指标"))
_SURFACES = ("原样", "原样", "原样", "原样", "原样", "全角数字", "网页实体", "不换行空格")
_ENTITIES = (("&", "&amp;"), ("≥", "&ge;"), ("≤", "&le;"), (">", "&gt;"), ("<", "&lt;"), ("\t", "&nbsp;&nbsp;"),
             ("  ", "&nbsp;&nbsp;"))


def _surface(text: str, surface: str) -> str:
    if surface == "全角数字":
        return text.translate(str.maketrans("0123456789%", "０１２３４５６７８９％"))
    if surface == "网页实体":
        for plain, entity in _ENTITIES:
            text = text.replace(plain, entity)
        return text
    if surface == "不换行空格":
        return text.replace("\t", "\xa0\xa0").replace("  ", "\xa0\xa0")
    return text


def _total_row(body: list[list[str]], columns) -> list[str]:
    """The 总分 row that ends 财政部's 项目支出绩效自评表 (trait 自评表左列): 总分 merged over the columns before
    分值 (printed once), the weights' total (100 in a filled form) and the scores' total, the reason left empty."""
    roles = [r for r, _ in columns]
    scores = sum(int(r[roles.index("score")]) for r in body if r[roles.index("score")].isdigit())
    return ["总分", "100", str(scores), ""]


def _total_lines(total_row: list[str], separator: str) -> list[str]:
    filled = [c for c in total_row if c]
    return {"tab": ["\t".join(total_row)], "pipe": ["| " + " | ".join(total_row) + " |"],
            "cell_lines": filled}.get(separator, ["  ".join(filled)])


def _tail_word(value: str) -> str:
    """'≥500人次' written '500人次以上', '≤3天' written '3天以内' (the operator as a word after)."""
    if value[:1] == "≥" and value[1:2].isdigit():
        return value[1:] + "以上"
    if value[:1] == "≤" and value[1:2].isdigit():
        return value[1:] + "以内"
    return value


def _other_value(value: str, parts, rng: random.Random) -> str:
    """The half-year / mid-term column: a value of the same shape with other digits."""
    def shift(text: str) -> str:
        digits = [i for i, ch in enumerate(text) if ch.isdigit()]
        if not digits:
            return text
        at = digits[0]
        return text[:at] + str((int(text[at]) + rng.randint(1, 8)) % 10 or 1) + text[at + 1:]
    if parts:
        return shift(parts[1])
    from corpus.targets import parse_target
    return shift(value) if parse_target(value).kind == "quantitative" else value


def _merge(body: list[list[str]], columns, levels: str) -> None:
    """Blank the repeated level cells as a flattened merged cell does (first or middle row)."""
    if levels in ("every", "none", "indent"):
        return
    for col, (role, _) in enumerate(columns):
        if role not in ("l1", "l2", "l2b"):
            continue
        keys = [tuple(r[: col + 1]) for r in body] if role != "l1" else [(r[col],) for r in body]
        start = 0
        for i in range(1, len(body) + 1):
            if i == len(body) or keys[i] != keys[start]:
                keep = start if levels == "first" else (start + i - 1) // 2
                for j in range(start, i):
                    if j != keep:
                        body[j][col] = ""
                start = i
    # a second-level cell blanked in rows whose first level is also blank stays blank: nothing to do


def _preamble(kind: str, separator: str, gold: list[GoldRow], rng: random.Random) -> list[str]:
    """Lines above the table: numbered goal sentences that mention the rows' quantities, and the
    budget block, printed with the table's separator."""
    lines: list[str] = []
    if "funds" in kind:
        total = rng.randint(20, 900)
        cells = [["资金总额（万元）", str(total)], ["其中：财政拨款", str(total - 10)], ["其他资金", "10"]]
        sep = {"tab": "\t", "pipe": " | ", "spaces": "    "}.get(separator, "  ")
        lines += [sep.join(c) for c in cells]
    if "goals" in kind:
        lines.append("年度绩效目标：")
        for i, row in enumerate(gold[:3], start=1):
            lines.append(f"目标{i}：{row.name}达到{row.value}，确保项目按期完成。")
    return lines


def _self_eval_block(separator: str, gold: list[GoldRow]) -> list[str]:
    """What a 自评表 prints above its indicators (部门整体 / 项目支出绩效自评表): the budget's execution
    with its own 分值 and 得分 headings, and the year's goal beside what was achieved (预期目标 /
    实际完成情况): header words that head no indicator column."""
    sep = {"tab": "\t", "pipe": " | ", "spaces": "    ", "one_line": " "}.get(separator, "  ")
    budget = 20 + zlib.crc32(gold[0].name.encode("utf-8")) % 880
    cells = [["", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
             ["年度资金总额", str(budget), str(budget), str(budget - 5), "10", f"{(budget - 5) / budget:.0%}", "9"],
             ["年度总体目标", "预期目标", "实际完成情况"],
             ["", f"完成{gold[0].name}{gold[0].value}", f"已完成{gold[0].name}"]]
    return [sep.join(c).strip() for c in cells]


# ---- 自评表 as published templates print them (trait 自评表式样) --------------------------------------------
# Sources (template texts and their column headings only): 财政部's 项目支出绩效自评表 (the attachment of
# 财预〔2020〕10号, as provinces and cities copy it: 项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 |
# 得分, 年度资金总额 / 其中：当年财政拨款 / 上年结转资金 / 其他资金, 年度总体目标 | 预期目标 | 实际完成情况, then 一级指标 |
# 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施, 总分); 四川's 部门预算项目支出绩效
# 自评表 (预算执行情况(10分) | 年初预算 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分; 项目年度目标 | 年度目标完成
# 情况; 绩效指标(90分) | … | 指标值 | 完成值 | 权重 | 得分 | 未完成原因分析, 合计 | 100); the 项目支出绩效自评表 填报说明
# that scores by 全年实际值 / 年度指标值 and asks for 未完成原因分析. The orders with 分值 or 完成率 elsewhere are our
# own variations of these (a template moves a side column; the reader must not rely on where it stands).
_SELF_EVAL_STYLES = (
    {"name": "财政部", "columns": (("target", "年度指标值"), ("actual", "实际完成值"), ("weight", "分值"),
                                ("score", "得分"), ("reason", "偏差原因分析及改进措施")), "funds": "财政部", "total": "总分"},
    {"name": "四川", "columns": (("target", "指标值"), ("actual", "完成值"), ("weight", "权重"), ("score", "得分"),
                               ("reason", "未完成原因分析")), "funds": "四川", "total": "合计"},
    {"name": "分值在前", "columns": (("weight", "分值"), ("target", "年度指标值"), ("actual", "全年实际值"),
                                 ("score", "得分"), ("reason", "未完成原因分析")), "funds": "财政部", "total": "总分"},
    {"name": "完成率", "columns": (("target", "年度目标值"), ("actual", "实际完成值"), ("rate", "完成率"),
                                ("weight", "分值"), ("score", "得分"), ("reason", "偏差原因分析及改进措施")),
     "funds": "财政部", "total": "总分"},
    {"name": "预期实际", "columns": (("target", "预期指标值"), ("actual", "实际完成指标值"), ("score", "得分"),
                                 ("weight", "权重"), ("reason", "偏差原因")), "funds": "四川", "total": "合计"},
)
# deviation texts as units write them: prose, often with numbers (a rate, an amount, a date)
_DEVIATION_TEXTS = ("受疫情影响，部分活动延期，实际完成{n}%，下年度加强进度管理",
                    "资金于{m}月才下达，项目进度滞后，将提前谋划",
                    "因物价上涨，实际支出超出预算{n}万元，今后加强成本测算",
                    "已按计划完成，无偏差", "部分农户未按期申报，已督促于{m}月底前补齐资料",
                    "指标设置偏低，下年度将据实调整为{n}个", "")
_ACHIEVED = ("达成预期指标", "已完成", "完成", "基本达成", "达标")


def _self_eval_columns(columns: list[tuple[str, str]], style: dict) -> list[tuple[str, str]]:
    """The 自评表's value columns in the style's order and headings; a split value (指标性质 | 指标值 | 单位)
    stays together where the target stands."""
    roles = [r for r, _ in columns]
    first = min(i for i, r in enumerate(roles) if r in ("op", "target", "unit", "actual", "weight", "score", "reason"))
    group = [c for c in columns[first:] if c[0] in ("op", "target", "unit")]
    out = list(columns[:first])
    for role, head in style["columns"]:
        if role == "target":
            out += [(r, head if r == "target" else h) for r, h in group]
        else:
            out.append((role, head))
    return out


def _self_eval_cells(cells: list[str], columns, gold_value: str, parts, rng: random.Random) -> list[str]:
    """A styled 自评表 row: the actual value of the target's shape (other digits, its unit, with or without
    the operator; a word where it was met), a weight and a score (whole or with a decimal), the completion
    rate, a deviation text of prose with numbers (mostly empty)."""
    out = list(cells)
    weight = rng.choice((5, 10, 10, 15, 20))
    for i, (role, _) in enumerate(columns):
        if role == "actual":
            out[i] = _actual_value(gold_value, parts, rng)
        elif role == "weight":
            out[i] = str(weight)
        elif role == "score":
            out[i] = rng.choice((str(weight), str(weight), f"{weight - 0.5:g}", str(max(weight - 2, 0))))
        elif role == "rate":
            out[i] = rng.choice(("100%", "100%", f"{rng.randint(80, 99)}%", f"{rng.randint(101, 120)}%"))
        elif role == "reason":
            text = rng.choice(_DEVIATION_TEXTS) if rng.random() < 0.5 else ""
            out[i] = text.format(n=rng.randint(3, 95), m=rng.randint(3, 11))
    return out


def _actual_value(gold_value: str, parts, rng: random.Random) -> str:
    """What was achieved, written as a target is: the number shifted, the unit kept, the operator kept or
    dropped; a split value's number alone; a state or a word where the target was a state."""
    if parts:  # split columns: the actual is a number (its unit under 度量单位)
        number = parts[1]
        digits = [i for i, ch in enumerate(number) if ch.isdigit()]
        if digits and rng.random() < 0.7:
            at = digits[-1]
            number = number[:at] + str((int(number[at]) + rng.randint(1, 8)) % 10) + number[at + 1:]
        return number
    from corpus.targets import parse_target
    target = parse_target(gold_value)
    if target.kind != "quantitative" or not any(ch.isdigit() for ch in gold_value):
        return rng.choice((gold_value, *_ACHIEVED)) if gold_value else rng.choice(_ACHIEVED)
    shown = gold_value
    digits = [i for i, ch in enumerate(shown) if ch.isdigit()]
    if rng.random() < 0.75:
        at = digits[-1]
        shown = shown[:at] + str((int(shown[at]) + rng.randint(1, 8)) % 10) + shown[at + 1:]
    form = rng.random()
    if form < 0.4:  # the operator dropped: '96%' under '≥95%'
        shown = shown[digits[0]:] if shown[:digits[0]].strip() and not shown[:digits[0]].endswith(("-", ".")) else shown
    elif form < 0.5:
        shown = rng.choice(_ACHIEVED)
    return shown


def _self_eval_above(style: dict, gold: list[GoldRow], rng: random.Random) -> list[list[str]]:
    """The blocks above a styled 自评表's indicators: the funds' execution (its own 分值 / 得分 / 权重 headings,
    amounts, a rate) and the year's goal beside what was achieved (prose with the rows' numbers)."""
    rows: list[list[str]] = []
    budget = rng.randint(20, 900)
    spent = budget - rng.randint(0, 15)
    rate = f"{spent / budget:.0%}" if rng.random() < 0.5 else f"{100 * spent / budget:.2f}%"
    if rng.random() < 0.75:
        if style["funds"] == "财政部":
            rows += [["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
                     ["年度资金总额", str(budget), str(budget), str(spent), "10", rate, "9"],
                     ["其中：当年财政拨款", str(budget - 10), str(budget - 10), str(spent - 10), "—", rate, "—"],
                     ["上年结转资金", "", "", "", "—", "", "—"],
                     ["其他资金", "10", "10", "10", "—", "100%", "—"]]
        else:
            rows += [["预算执行情况(10分)", "年初预算", "调整后预算数", "预算执行数", "预算执行率", "权重", "得分"],
                     ["总额", str(budget), str(budget), str(spent), rate, "10", "9"],
                     ["其中：财政资金", str(budget), str(budget), str(spent), rate, "/", "/"],
                     ["其他资金", "0.00", "0.00", "0.00", "0.00%", "/", "/"]]
    if rng.random() < 0.7:
        first = gold[0]
        goal = f"完成{first.name}{first.value}，{gold[-1].name}达到{gold[-1].value}"
        done = f"已完成{first.name}，完成率{rng.randint(85, 100)}%"
        rows += [["年度总体目标", "预期目标", "实际完成情况"] if style["funds"] == "财政部" else ["项目年度目标", "年度目标完成情况"],
                 [goal, done]]
    return rows


def _block_lines(rows: list[list[str]], separator: str) -> list[str]:
    sep = {"tab": "\t", "pipe": " | ", "spaces": "    ", "one_line": " "}.get(separator, "  ")
    if separator == "pipe":
        return ["| " + " | ".join(r) + " |" for r in rows]
    if separator in ("cell_lines", "blank_lines"):
        return [c for r in rows for c in r if c]
    return [sep.join(r).strip() for r in rows]


def _styled_total_row(body: list[list[str]], columns, style: dict, rng: random.Random) -> list[str] | None:
    """The row of totals under a styled 自评表 (总分 / 合计 merged over the columns before the first score
    column, 100, the scores' total), or none."""
    if rng.random() < 0.3:
        return None
    roles = [r for r, _ in columns]
    scores = sum(float(r[roles.index("score")]) for r in body if re.fullmatch(r"[\d.]+", r[roles.index("score")]))
    return [style["total"], "100", f"{scores:g}", ""]


def _render(grid, columns, separator, levels, header, wrap, title, block_l1, block_l2,
            rng: random.Random, preamble: list[str] | None = None, split_header: bool = False,
            noise: bool = False, broken: bool = False, header_break: bool = False, down: bool = False,
            cut_width: int = 0, fused_lines: bool = False, layer: dict | None = None,
            periods: tuple[str, str, list[list[str]]] | None = None, total_row: list[str] | None = None) -> str:
    head, body = grid[0], grid[1:]
    if down:  # a level cell printed piece by piece down its column: its pieces are lines of their own
        step = 1 + zlib.crc32("".join(head).encode("utf-8")) % 2
        level_cols = [i for i, (role, _) in enumerate(columns) if role in ("l1", "l2")]
        def pieces(text: str) -> str:
            core = text.replace(" ", "")
            return "\n".join(core[i:i + step] for i in range(0, len(core), step)) if core else text
        head = [pieces(h) if i in level_cols else h for i, h in enumerate(head)]
        body = [[pieces(c) if i in level_cols else c for i, c in enumerate(r)] for r in body]
    rows: list[list[str]] = []
    if header != "absent":
        if split_header:  # '一级' / '指标' on two lines, each word cut at its middle
            rows.append([h[: (len(h) + 1) // 2] for h in head])
            rows.append([h[(len(h) + 1) // 2:] for h in head])
        elif header_break:  # the value headings on a line of their own
            at = [r for r, _ in columns].index("name") + 1
            rows.append(head[:at])
            rows.append(head[at:])
        else:
            rows.append(head)
    last = (None, None)
    cut = len(body) // 2 if header == "repeated" and len(body) >= 4 else -1
    name_col = [r for r, _ in columns].index("name")
    for i, cells in enumerate(body):
        if i == cut:
            rows.append(["第 2 页"] if separator != "one_line" else [])
            rows.append(head)
        if levels == "indent":
            if block_l1[i] != last[0]:
                rows.append([block_l1[i]])
            if (block_l1[i], block_l2[i]) != last:
                rows.append(["  " + block_l2[i]])
            last = (block_l1[i], block_l2[i])
            cells = ["    " + cells[0]] + cells[1:]
        if wrap and i % 3 == 1 and len(cells[name_col]) >= 8:
            name = cells[name_col].strip()
            cut_at = len(name) // 2
            if separator == "cell_lines" or broken:  # the two lines of the name follow each other
                first = list(cells)
                first[name_col] = name[:cut_at] + "\n" + name[cut_at:]
                rows.append(first)
                continue
            first = list(cells)
            first[name_col] = name[:cut_at]
            rows.append(first)
            rows.append(["" if c != name_col else name[cut_at:] for c in range(len(cells))])
            continue
        rows.append(cells)
    if periods:  # the long-term table first, under its heading and a header printed as the year's, then the year's
        printed_head = rows[:2] if split_header or header_break else rows[:1]
        rows = [[periods[0]], *printed_head, *periods[2], [periods[1]]] + rows
    lines = [title, "项目名称：" + "专项资金项目", "主管部门：县农业农村局"] + (preamble or []) + [""]
    if separator == "tab":
        lines += ["\t".join(r) for r in rows]
    elif separator == "pipe":
        lines += ["| " + " | ".join(r) + " |" for r in rows]
    elif separator == "spaces" and cut_width:
        # a PDF's text layer: single spaces, every name cut at its cell's width, the tail on the next line
        # with none of the row's other cells
        for r in rows:
            rng.randint(2, 4)  # (the draw of the spaced rows, so that every later form stays as it was)
            if r is head or r == head or len(r) <= name_col or len(r[name_col].strip()) <= cut_width:
                lines.append(" ".join(c.strip() for c in r if c.strip()))
                continue
            name = r[name_col].strip()
            first = list(r)
            first[name_col] = name[:cut_width]
            lines.append(" ".join(c.strip() for c in first if c.strip()))
            lines += [name[k:k + cut_width] for k in range(cut_width, len(name), cut_width)]
    elif separator == "spaces" and layer:
        for _ in rows:
            rng.randint(2, 4)  # (the draw of the spaced rows, so that every later form stays as it was)
        lines += _layer_lines(rows, head, body, columns, levels, block_l1, block_l2, layer)
    elif separator == "spaces":
        lines += [(" " * rng.randint(2, 4)).join(c for c in r if c) for r in rows]
    elif separator == "cell_lines":
        lines += [c for r in rows for c in r if c.strip()]
    elif separator == "blank_lines":
        for r in rows:
            for c in r:
                lines += [c if c else " ", ""]
    elif separator == "none":
        roles = [role for role, _ in columns]
        def fused(r: list[str]) -> str:
            if noise and len(r) == len(roles) and "actual" in roles:  # '80%' '^' '80%'
                at = roles.index("actual")
                r = r[:at] + ["^$~"[len(r[at]) % 3] + r[at]] + r[at + 1:]
            return "".join(c.strip() for c in r)
        if fused_lines:  # each row's cells run together on a line of its own (a document site's preview)
            lines += [fused(r) for r in rows if "".join(r).strip()]
        else:
            lines.append("".join(fused(r) for r in rows))
    elif separator == "records":
        for r in rows:
            if len(r) == 1 and r[0].startswith("第"):
                lines.append(r[0])  # the page mark
            elif r is not head and r != head:  # the keys are the header: not printed apart
                lines += [f"{h}：{c.strip()}" for h, c in zip(head, r) if c.strip()]
    elif separator == "list":
        number = 0
        for r in rows:
            filled = [c.strip() for c in r if c.strip()]
            if len(filled) == 1:  # a level label, or the page mark
                lines.append(filled[0])
                number = 0
            elif filled:
                number += 1
                mark = rng.choice(("{n}.", "{n}、", "({n})", "（{n}）")).format(n=number)
                lines.append(f"{mark}{filled[0]}{rng.choice(('：', ':'))}{filled[1]}{rng.choice(('；', '。', ''))}")
    elif separator == "one_line":
        lines.append(" ".join(" ".join(c.strip() for c in r if c.strip()) for r in rows))
    if total_row:  # the self-evaluation's last row: 总分 merged over the columns before 分值, then its totals
        # (written here, with no draw, so that every later form stays as it was)
        lines += _total_lines(total_row, separator)
    lines.append("填报说明：本表由项目单位填写。")
    if separator == "one_line" and zlib.crc32("\n".join(lines).encode("utf-8")) % 2 == 0:
        # the whole page on one line (a document site's preview): title, fields, goals and table
        return " ".join(line.strip() for line in lines if line.strip()) + "\n"
    return "\n".join(lines) + "\n"


# ---- a PDF's text layer of a table whose cells wrap (trait 多列折行) ---------------------------------
# Modelled on what pdfplumber's extract_text gives for a ruled table (evaluation/renditions.py's PDF: 8 pt
# type, 10 pt leading, 3 pt cell padding): each cell wraps at its column's width, a cell's lines stand at
# the middle of its row (or at its top), a merged level cell at the middle of its block, and characters
# whose lines lie within 3 pt of each other print on one text line, the cells in column order.
_LEADING, _PADDING, _Y_TOLERANCE = 10.0, 3.0, 3.0


def _pdf_layer(columns, rng: random.Random) -> dict:
    """A form's page: each column's width in characters (a digit or a Latin letter is half a
    character), where a short cell stands, and how the text layer separates cells."""
    widths = {}
    for index, (role, _) in enumerate(columns):
        if role in ("l1", "l2", "l2b"):
            widths[index] = 99  # a level label fits its column (labels printed down a cell: 竖排标签)
        elif role in ("name", "nameb"):
            widths[index] = rng.randint(5, 11)
        elif role == "extra":
            widths[index] = rng.randint(4, 9)
        elif role in ("score", "weight"):
            widths[index] = 3
        else:
            widths[index] = rng.randint(4, 8)
    return {"widths": widths, "valign": rng.choice(("middle", "middle", "top")),
            # single spaces (pdfplumber's extract_text) or the columns' positions kept (pdftotext -layout)
            "spacing": rng.choice(("单空格", "保留位置"))}


def _shown_width(text: str) -> float:
    return sum(0.5 if ord(ch) < 128 else 1.0 for ch in text)


def _wrap_cell(text: str, width: float) -> list[str]:
    """A cell's text cut at its column's width: between any two Chinese characters, never inside a number
    or a Latin word unless it is wider than the column (as Word and WPS wrap a cell)."""
    text = text.strip()
    if not text:
        return []
    parts, current, used = [], "", 0.0
    for unit in re.findall(r"[0-9A-Za-z.,%]+|.", text):
        step = _shown_width(unit)
        if current and used + step > width:
            parts.append(current)
            current, used = "", 0.0
        while step > width:  # a number wider than the column is cut where it must be
            cut = int(width * 2)
            parts.append(unit[:cut])
            unit, step = unit[cut:], _shown_width(unit[cut:])
        current += unit
        used += step
    return parts + [current] if current else parts


def _layer_lines(rows, head, body, columns, levels, block_l1, block_l2, layer) -> list[str]:
    """The table's lines as the text layer prints them (see `_pdf_layer`)."""
    body_at = {id(r): i for i, r in enumerate(body)}
    layer = dict(layer, label_width=max((len(r[i]) for r in body for i, (role, _) in enumerate(columns)
                                         if role in ("l1", "l2", "l2b")), default=0))
    out: list[str] = []
    segment: list[int] = []

    def flush() -> None:
        if segment:
            out.extend(_layer_segment([body[i] for i in segment], [block_l1[i] for i in segment],
                                      [block_l2[i] for i in segment], head, columns, levels, layer))
            segment.clear()

    for r in rows:
        if id(r) in body_at:
            segment.append(body_at[id(r)])
            continue
        flush()
        out.append(_layer_join([(i, c.strip()) for i, c in enumerate(r) if c.strip()], head, columns, layer)
                   if len(r) > 1 else " ".join(c.strip() for c in r if c.strip()))
    flush()
    return out


def _layer_segment(body, keys1, keys2, head, columns, levels, layer) -> list[str]:
    widths, top = layer["widths"], layer["valign"] == "top"
    level_cols = [i for i, (role, _) in enumerate(columns) if role in ("l1", "l2", "l2b")]
    frags = [{i: _wrap_cell(c, widths[i]) for i, c in enumerate(r) if i not in level_cols} for r in body]
    heights = [max([len(f) for f in row.values()] + [1]) for row in frags]
    tops = [0.0]
    for h in heights:
        tops.append(tops[-1] + _LEADING * h + 2 * _PADDING)
    placed: list[tuple[float, int, str]] = []  # (y of the line's middle, column, text)

    def place(parts: list[str], col: int, first: int, last: int) -> None:
        span = tops[last + 1] - tops[first]
        start = tops[first] + (_PADDING if top else (span - _LEADING * len(parts)) / 2)
        for j, part in enumerate(parts):
            placed.append((start + _LEADING * j + _LEADING / 2, col, part))

    for r, row in enumerate(frags):
        for col, parts in row.items():
            place(parts, col, r, r)
    for col in level_cols:
        keys = keys1 if columns[col][0] == "l1" else list(zip(keys1, keys2))
        first = 0
        for r in range(1, len(body) + 1):
            if r == len(body) or keys[r] != keys[first] or levels == "every":
                label = next((body[k][col] for k in range(first, r) if body[k][col].strip()), "")
                if label.strip():
                    place([label.strip()], col, first, r - 1)
                first = r
    placed.sort()
    lines: list[list[tuple[int, str]]] = []
    last_y = None
    for y, col, text in placed:
        if last_y is None or y - last_y > _Y_TOLERANCE:
            lines.append([])
        lines[-1].append((col, text))
        last_y = y
    return [_layer_join(sorted(line), head, columns, layer) for line in lines]


def _layer_join(cells: list[tuple[int, str]], head, columns, layer) -> str:
    """One text line: single spaces between cells, or each cell at its column's position."""
    if layer["spacing"] == "单空格":
        return " ".join(text for _, text in cells)
    starts, at = [], 0
    for index in range(len(columns)):
        starts.append(at)
        at += int(max(layer["widths"][index] if layer["widths"][index] < 99 else layer["label_width"],
                      len(head[index]) if index < len(head) else 0, 4)) + 3
    line = ""
    for col, text in cells:
        line += " " * max(starts[col] - len(line), 2 if line else 0) + text
    return line


def generate(n: int, seed: int = 0, *, value_traits: bool = True) -> list[GeneratedForm]:
    """`n` random forms; the same seed gives the same forms. `value_traits=False`: the forms as drawn before the
    traits 值形状 and 名称同标签 (issue 22, reader16), every other trait the same."""
    rng = random.Random(seed)
    kinds = _library_rows()
    return [generate_one(i + 1, rng, kinds, value_traits) for i in range(n)]
