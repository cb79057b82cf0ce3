"""Units, operators, level labels, vague words and deadline words are written once (corpus/vocab/*.json): no module
keeps its own table of them, and every unit and operator the library uses resolves in the vocabulary."""

import ast
import re
from functools import lru_cache
from pathlib import Path

from corpus import framework
from corpus.targets import parse_target
from corpus.vocab import (canonical_unit, completion_verbs, deadline_part_months, deadlines, frameworks,
                          sentence_deadline_targets, vague_words, operator_display, operator_glyphs, unit_aliases, unit_measures,
                          unit_scales, units, unknown_unit_parts, value_units)

ROOT = Path(__file__).resolve().parent.parent
# Tables not yet moved to the vocabulary, each with the reason (issue 21, D). Shrink, never grow.
NOT_YET = {
    # a scorer keeps its own normalisation on purpose: were it to read the vocabulary it judges, a
    # wrong alias there (公里 → m², say) would be read the same way by the reader and by its judge,
    # and no figure would show it
    "evaluation/field_cases.py": "the scorer's own unit conversions for comparing stated numbers (independent of the vocabulary)",
    "evaluation/parse_eval.py": "the scorer's own operator normalisation for comparing values (independent of the vocabulary)",
}


def _strings(node) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}



@lru_cache(maxsize=1)
def _product_trees() -> tuple:
    """(path under the root, parsed module) of every module of the product's packages, parsed once."""
    return tuple((path.relative_to(ROOT), ast.parse(path.read_text(encoding="utf-8")))
                 for package in ("api", "corpus", "evaluation", "models", "recommender")
                 for path in sorted((ROOT / package).rglob("*.py")))


def _product_nodes(outside_vocab: bool = False):
    """(path, node) of every syntax node of the product; `outside_vocab`: without corpus/vocab's
    own modules (the loader builds the patterns from the data)."""
    for path, tree in _product_trees():
        if outside_vocab and path.parent == Path("corpus") / "vocab":
            continue
        for node in ast.walk(tree):
            yield path, node

def tables_defined(min_units: int = 4, min_operators: int = 3) -> list[str]:
    """dict / set / tuple / list literals holding several unit strings or operator glyphs."""
    unit_words = {w for u in units() for w in (u["unit"], *u.get("aliases", ()))}
    unit_words -= {"%", "日", "月", "年", "个", "人"}  # also ordinary words and punctuation
    glyphs = set(operator_glyphs()) - {"=", ">", "<", "内", "达"}
    found = []
    for path, node in _product_nodes():
        if isinstance(node, (ast.Dict, ast.Set, ast.Tuple, ast.List)):
            strings = _strings(node)
            if len(strings & unit_words) >= min_units or len(strings & glyphs) >= min_operators:
                found.append(f"{path}:{node.lineno}")
    return found


# Level-label or vague-word literals kept on purpose, each with the reason. Shrink, never grow.
LABEL_TABLES_KEPT = {
    "corpus/framework.py": "the fallback order of level2_from_meaning (a rule over the vocabulary's classes)",
}


def _level_words() -> set[str]:
    words = {*framework.LEVEL1, *framework.LEVEL2, *frameworks()["raw_level1"], *frameworks()["raw_level2"]}
    return words | {w + ending for w in words for ending in ("指标", "目标")}


def _vague_words() -> set[str]:
    data = vague_words()
    return {*data["quality"], *data["grades"], *data["direction"]["verbs"], *data["direction"]["phrases"]}


def label_tables_defined(min_words: int = 3) -> list[str]:
    """Literals made mostly (half or more of their strings) of level labels or of vague words: a
    module's own copy of the framework or of the vague words (a row of a library table, which
    names a level beside a name and a value, is not one)."""
    found = []
    for words in (_level_words(), _vague_words()):
        for path, node in _product_nodes():
            if isinstance(node, (ast.Dict, ast.Set, ast.Tuple, ast.List)):
                strings = _strings(node)
                hit = strings & words
                if len(hit) >= min_words and 2 * len(hit) >= len(strings):
                    found.append(f"{path}:{node.lineno}")
    return found


def test_no_module_defines_its_own_level_labels_or_vague_words():
    found = [f for f in label_tables_defined() if f.split(":")[0] not in LABEL_TABLES_KEPT]
    assert found == [], "level-label or vague-word tables outside corpus/vocab: " + ", ".join(found)


def test_the_label_scan_finds_a_table():
    levels = ast.parse('ORDER = ("产出", "效益", "满意度")').body[0].value
    vague = ast.parse('WORDS = {"完善", "健全", "较满意", "提升"}').body[0].value
    row = ast.parse('ROW = ("产出", "数量", "项目任务完成数量", "≥__个")').body[0].value
    assert _strings(levels) <= _level_words() and len(_strings(vague) & _vague_words()) == 4
    assert 2 * len(_strings(row) & _level_words()) >= len(_strings(row))  # a library row: 2 of 4 …
    assert len(_strings(row) & _level_words()) < 3                         # … but under the minimum


def test_the_framework_reads_the_vocabulary():
    assert framework.LEVEL2["社会效益"] == "效益" and framework.canonical_level2("环境效益") == "生态效益"
    assert framework.COST_LEVEL2 == ("成本", "经济成本", "社会成本", "生态环境成本")
    assert framework.REQUIRED_LEVEL1 == {"产出", "效益", "满意度"}
    assert framework.DISPLAY_ORDER == ("投入和管理", "产出", "成本", "效益", "满意度")
    assert framework.canonical("效果目标", "环境效益") == ("效益", "生态效益")


def test_no_module_defines_its_own_unit_or_operator_table():
    found = [f for f in tables_defined() if f.split(":")[0] not in NOT_YET]
    assert found == [], "unit/operator tables outside corpus/vocab: " + ", ".join(found)


def test_the_scan_finds_a_table():
    tree = ast.parse('UNITS = {"平方米": "m²", "公里": "km", "万元": "元", "工作日": "天"}')
    assert len(_strings(tree.body[0].value) & {"平方米", "公里", "万元", "工作日"}) == 4


# Regular expressions that still spell out units inside an alternation, each with the reason (issue 21).
# Shrink, never grow.
REGEX_UNITS_NOT_YET: dict[str, str] = {}  # none left: each unit list is built from corpus/vocab
_LOOKAROUND = re.compile(r"\?(?:P<\w+>|<[=!]|[:=!])")  # (?:  (?!  (?<=  (?P<name>  open a group, name no unit
_GROUP = re.compile(r"[()]")


def unit_alternations(pattern: str) -> list[str]:
    """The known units written as whole alternatives of one alternation of `pattern` (公里|千米|km|…):
    the words between one group's | that the vocabulary knows as units, less the ordinary words."""
    unit_words = {w for u in units() for w in (u["unit"], *u.get("aliases", ()))}
    unit_words -= {"%", "日", "月", "年", "个", "人"}  # also ordinary words and date parts
    found = []
    for group in _GROUP.split(_LOOKAROUND.sub("", pattern)):
        hit = [alternative for alternative in group.split("|") if alternative in unit_words]
        if len(hit) > len(found):
            found = hit
    return found


def regex_unit_tables(min_units: int = 3) -> list[str]:
    """String constants (a regular expression, or a piece of an f-string) with an alternation of
    `min_units` or more units: a module's own unit list written inside a pattern."""
    found = []
    for path, node in _product_nodes(outside_vocab=True):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "|" in node.value \
                and len(unit_alternations(node.value)) >= min_units:
            found.append(f"{path}:{node.lineno}")
    return found


def test_no_module_writes_a_unit_list_inside_a_regular_expression():
    found = [f for f in regex_unit_tables() if f.split(":")[0] not in REGEX_UNITS_NOT_YET]
    assert found == [], "unit lists inside regular expressions outside corpus/vocab: " + ", ".join(found)
    kept = {f.split(":")[0] for f in regex_unit_tables()}
    assert kept == set(REGEX_UNITS_NOT_YET), "a file left REGEX_UNITS_NOT_YET: take it off the list"


def test_the_regex_scan_finds_a_unit_alternation():
    # recommender/fit.py's name-quantity pattern before it read units.json (in_names)
    old = r"(?<![\d.])(\d+(?:\.\d+)?)\s*(公里|千米|km|平方米|平米|m²|米|亩|公顷|吨|个|户|人|座|条|间|台|套|所|处)"
    assert unit_alternations(old) == ["公里", "千米", "km", "平方米", "平米", "m²", "米", "亩", "公顷", "吨",
                                      "户", "座", "条", "间", "台", "套", "所", "处"]
    assert unit_alternations(r"(?:每|一)(?P<p>半年|年度|年|季度|季|月|周|旬|天|日)") == ["周", "天"]  # dates
    assert unit_alternations(r"在(?!岗|线|校|册|建|用|职|库)|对(?!接|象|外|口)") == ["册"]  # one per group
    from recommender.fit import _NAME_QUANTITY
    assert len(unit_alternations(_NAME_QUANTITY.pattern)) == 20  # built from units.json: not a string constant


def test_one_canonical_form_per_unit():
    assert canonical_unit("平方米") == canonical_unit("平米") == canonical_unit("㎡") == "m²"
    assert canonical_unit("公里") == canonical_unit("千米") == "km"
    assert canonical_unit("个工作日") == "工作日"
    assert unit_scales()["万元"] == ("元", 10000) and unit_scales()["km"] == ("m", 1000)
    aliases = unit_aliases()
    assert not set(aliases) & {u["unit"] for u in units()}, "an alias is also a canonical unit"
    written = [w for u in units() for w in (u["unit"], *u.get("aliases", ()))]
    assert len(written) == len(set(written)), "a unit string in two entries"


def test_the_grammar_and_the_measures_read_the_vocabulary():
    assert parse_target("1344平方米").unit == "m²" and parse_target("12公里").unit == "km"
    assert parse_target("不低于95%").operator == ">=" and parse_target("≧90%").operator == ">="
    assert "个工作日" in value_units() and "平米" not in value_units()
    assert "m²" in unit_measures()["amount"] and "万元" in unit_measures()["money"]
    assert operator_display(">=") == "≥"
    assert unknown_unit_parts("万立方米") == [] and unknown_unit_parts("人·月") == []
    assert unknown_unit_parts("元/亩") == [] and unknown_unit_parts("台（套）") == []
    assert unknown_unit_parts("斗") == ["斗"]


def test_every_library_unit_resolves_in_the_vocabulary():
    from models.library import load_library
    missing = {part for kind in load_library() for entry in kind.indicators if getattr(entry, "unit", None)
               for part in unknown_unit_parts(entry.unit)}
    assert missing == set(), f"library units missing from corpus/vocab/units.json: {sorted(missing)}"


def _deadline_words() -> set[str]:
    data = deadlines()
    return {*deadline_part_months(), *completion_verbs(), *data["value_endings"], *data["dated_name_words"]} - {"前"}


_REGEX_SPLIT = re.compile(r"[|()?:\[\]^$]+")


def deadline_tables_defined(min_words: int = 3) -> list[str]:
    """Literals, or regular expressions written as one string, made mostly (half or more of their
    words) of deadline parts and completion verbs: a module's own list of the deadline words. A
    regular expression counts as the words between its | and parentheses."""
    words = _deadline_words()
    found = []
    for path, node in _product_nodes(outside_vocab=True):
        if isinstance(node, (ast.Dict, ast.Set, ast.Tuple, ast.List)):
            strings = _strings(node)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "|" in node.value:
            strings = set(filter(None, _REGEX_SPLIT.split(node.value)))
        else:
            continue
        hit = strings & words
        if len(hit) >= min_words and 2 * len(hit) >= len(strings):
            found.append(f"{path}:{node.lineno}")
    return found


def test_no_module_defines_its_own_deadline_words():
    found = deadline_tables_defined()
    assert found == [], "deadline-word tables outside corpus/vocab/deadlines.json: " + ", ".join(found)


def test_the_deadline_scan_finds_a_list_and_a_pattern():
    words = _deadline_words()
    months = ast.parse('PARTS = ("年底", "年末", "下半年", "底", "末")').body[0].value
    pattern = set(filter(None, _REGEX_SPLIT.split(r"(年底前|年内|第[一二三四]季度|上半年)(完成|完工|建成|上线)")))
    other = set(filter(None, _REGEX_SPLIT.split(r"完成|完工|竣工|开工|验收|评估|会议|报告|采购|实施|建设|进度")))
    assert _strings(months) <= words
    assert len(pattern & words) == 7 and 2 * len(pattern & words) >= len(pattern)
    assert len(other & words) == 3 and 2 * len(other & words) < len(other)  # a name's words that want a deadline


def test_the_readers_take_the_deadline_words_from_the_vocabulary():
    assert deadline_part_months()["年底"] == 12 and deadline_part_months()["第2季度"] == 6
    assert deadline_part_months()["上半年"] == 6 and deadline_part_months()["上旬"] is None
    assert parse_target("2023年底前").deadline == {"year": 2023, "month": 12, "day": None}
    assert parse_target("第三季度").deadline == {"year": None, "month": 9, "day": None}
    assert parse_target("6月上旬").deadline == {"year": None, "month": 6, "day": None}
    assert parse_target("上旬").kind == "qualitative" and parse_target("底").kind == "qualitative"
    assert parse_target("年内").kind == "qualitative"  # read in descriptions only (in_values: false)
    assert sentence_deadline_targets() == {"年底前": "12月底前", "年底": "12月底前", "上半年": "6月底前",
                                           "下半年": "12月底前", "年内": "12月底前"}
    from recommender.stated import extract
    assert [(s.name, s.target_raw) for s in extract("平台年内上线。")] == [("平台上线时限", "12月底前")]
    assert [(s.name, s.target_raw) for s in extract("道路改造第四季度完工。")] == [("道路改造完工时限", "第四季度末前")]
